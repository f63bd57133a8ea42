# Driver-support cores: clocks, the hwrng core, the watchdog core, time and randomness.
ukmem_test(test_time_random drivers/test_time_random.c)
ukmem_test(test_clk drivers/test_clk.c)
ukmem_test(test_hwrng drivers/test_hwrng.c)
ukmem_test(test_watchdog drivers/test_watchdog.c)
ukmem_test(test_cores_misuse drivers/test_cores_misuse.c)
ukmem_test(test_cores_threads drivers/test_cores_threads.c THREADS LIBS Threads::Threads)
# The example driver of docs/testing-drivers.md passes its own test.
if(TARGET test_acme_trng)
  add_test(NAME example_acme_trng COMMAND test_acme_trng)
  add_test(NAME example_acme_trng_kunit COMMAND acme_trng_kunit)
endif()
# ... and builds out of tree with its Makefile against an installed ukmem; an upstream driver
# builds with the bare user command (pkg-config --cflags ukmem, KBUILD_MODNAME).
set(UKMEM_EXAMPLE_CFLAGS "")
if(UKMEM_SANITIZE)
  set(UKMEM_EXAMPLE_CFLAGS "-fsanitize=${UKMEM_SANITIZE}")
endif()
set(UKMEM_EXAMPLE_UPSTREAM "")
if(UKMEM_UPSTREAM_DRIVERS_DIR)
  set(UKMEM_EXAMPLE_UPSTREAM ${UKMEM_UPSTREAM_DRIVERS_DIR}/drivers/char/hw_random/hisi-rng.c)
endif()
add_test(NAME test_example_make COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/drivers/test_example_make.sh
  ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR} ${UKMEM_EXAMPLE_UPSTREAM})
set_tests_properties(test_example_make PROPERTIES TIMEOUT 300 ENVIRONMENT
  "CC=${CMAKE_C_COMPILER};UKMEM_TEST_CFLAGS=${UKMEM_EXAMPLE_CFLAGS};PATH=$ENV{PATH}")
# The KUnit walk-through of docs/testing-drivers.md, each of its commands and outputs.
add_test(NAME test_example_kunit COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/drivers/test_example_kunit.sh
  ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(test_example_kunit PROPERTIES TIMEOUT 300 ENVIRONMENT
  "CC=${CMAKE_C_COMPILER};UKMEM_TEST_CFLAGS=${UKMEM_EXAMPLE_CFLAGS};PATH=$ENV{PATH};${UKMEM_TSAN_FORKS}")

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
# jiffies read first by two threads, one held inside its clock reading (--wrap).
ukmem_test(test_jiffies_first drivers/test_jiffies_first.c THREADS)
target_link_options(test_jiffies_first PRIVATE -Wl,--wrap=clock_gettime)
