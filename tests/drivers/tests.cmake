# The example drivers under ukmem_fail_sweep: each test links the driver's own file from
# examples/ and checks that every probe failure path returns what it took.
set(EX ${CMAKE_CURRENT_SOURCE_DIR}/../examples)
set(SWEEP_ENV "UKMEM_CMDLINE=failslab.verbose=0 fail_page_alloc.verbose=0")
ukmem_test(test_sweep_platform_demo drivers/test_sweep_platform_demo.c ENV ${SWEEP_ENV})
target_sources(test_sweep_platform_demo PRIVATE ${EX}/platform_demo_drv.c)
target_compile_definitions(test_sweep_platform_demo PRIVATE KBUILD_MODNAME="platform_demo")
ukmem_test(test_sweep_uart_demo drivers/test_sweep_uart_demo.c ENV ${SWEEP_ENV})
target_sources(test_sweep_uart_demo PRIVATE ${EX}/ukuart_drv.c ${EX}/ukuart_hw.c)
target_include_directories(test_sweep_uart_demo PRIVATE ${EX})
target_compile_definitions(test_sweep_uart_demo PRIVATE KBUILD_MODNAME="ukuart")
