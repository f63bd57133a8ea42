# io tests: ioremap, emulated devices, accessors, the resource tree.
ukmem_test(test_ioremap io/test_ioremap.c)
ukmem_test(test_io_faults io/test_io_faults.c)
ukmem_test(test_iopoll io/test_iopoll.c)
ukmem_test(test_pio io/test_pio.c)
ukmem_test(test_iomem io/test_iomem.c)
ukmem_test(test_mmio_threads io/test_mmio_threads.c THREADS LIBS Threads::Threads)
ukmem_test(test_mmio_trace io/test_mmio_trace.c ENV "UKMEM_CMDLINE=ukmem.mmio_trace=1")
ukmem_test(test_physmap io/test_physmap.c ENV "UKMEM_CMDLINE=mem=1G")
ukmem_test(test_io_devres io/test_io_devres.c)
# The demo driver runs clean, and its bug is reported.
if(TARGET uart_demo)
  add_test(NAME uart_demo COMMAND uart_demo uart_demo_physmap.svg)
  add_test(NAME uart_demo_bug COMMAND uart_demo)
  set_tests_properties(uart_demo_bug PROPERTIES ENVIRONMENT "UKMEM_CMDLINE=ukuart.bug=1"
    PASS_REGULAR_EXPRESSION "BUG: sleeping function called from invalid context.*ukuart_irq.*ukmem_exit found 2 problems")
endif()
# ... and runs clean under valgrind's memcheck (accessors, fault handler, irq threads).
find_program(VALGRIND_EXECUTABLE valgrind)
if(VALGRIND_EXECUTABLE AND TARGET uart_demo AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_test(NAME valgrind_uart_demo
           COMMAND ${VALGRIND_EXECUTABLE} -q --error-exitcode=9 --leak-check=no
                   $<TARGET_FILE:uart_demo> uart_demo_physmap_vg.svg)
  set_tests_properties(valgrind_uart_demo PROPERTIES TIMEOUT 300)
endif()
ukmem_test(test_mmio_fork io/test_mmio_fork.c)
