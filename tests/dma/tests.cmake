# The DMA API: mapping, bouncing, coherent memory, dma_pool and DMA-API debugging.
ukmem_test(test_dma_map dma/test_dma_map.c THREADS)
ukmem_test(test_dma_bounce dma/test_dma_bounce.c)
ukmem_test(test_dma_edges dma/test_dma_edges.c)
ukmem_test(test_dma_debug dma/test_dma_debug.c)
ukmem_test(test_dma_debug_off dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_dma_debug_other dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug_driver=other")
ukmem_test(test_dma_debug_mine dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug_driver=dmadev")
ukmem_test(test_dma_pool dma/test_dma_pool.c)
ukmem_test(test_dma_pool_links dma/test_dma_pool_links.c)
ukmem_test(test_dma_bad_dev dma/test_dma_bad_dev.c)
ukmem_test(test_dma_bad_dev_nodebug dma/test_dma_bad_dev.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_dma_sg_short dma/test_dma_sg_short.c)
ukmem_test(test_dma_sg_short_nodebug dma/test_dma_sg_short.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_dma_sg_short_bounce dma/test_dma_sg_short.c ENV "UKMEM_CMDLINE=mem=512M swiotlb=128,force dma_debug=off")
ukmem_test(test_dma_managed_free dma/test_dma_managed_free.c)
ukmem_test(test_dma_managed_free_nodebug dma/test_dma_managed_free.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_dma_released_device dma/test_dma_released_device.c)
ukmem_test(test_dma_pages_refused dma/test_dma_pages_refused.c)
ukmem_test(test_dma_pages_refused_nodebug dma/test_dma_pages_refused.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_swiotlb dma/test_swiotlb.c ENV "UKMEM_CMDLINE=mem=512M swiotlb=128,force")
ukmem_test(test_swiotlb_overflow dma/test_swiotlb_overflow.c)
ukmem_test(test_dma_no_swiotlb dma/test_dma_no_swiotlb.c ENV "UKMEM_CMDLINE=mem=1G")
ukmem_test(test_swiotlb_stale dma/test_swiotlb_stale.c ENV "UKMEM_CMDLINE=mem=512M swiotlb=128,force")
ukmem_test(test_swiotlb_stale_nodebug dma/test_swiotlb_stale.c
           ENV "UKMEM_CMDLINE=mem=512M swiotlb=128,force dma_debug=off")
# The ukdma engine demo (examples/dma_demo.c): a clean run, a 32-bit engine whose buffers lie
# above 4 GiB (every transfer bounces), every mapping forced through swiotlb, and the driver's
# missing unmap reported at unbind, and its unchecked mappings reported at each unmap.
if(TARGET dma_demo)
  set(_expect ${CMAKE_CURRENT_SOURCE_DIR}/dma/run_expect.sh)
  add_test(NAME dma_demo COMMAND ${_expect} 0
    "ukdma ukdma.0: ukdma at .*, 64-bit DMA, 16 descriptors"
    "ukdma.0 ukdma single .* DMA_FROM_DEVICE dma map error checked"
    "16 transfers through the engine \\(16 completed by the device\\), every byte checked"
    "ukmem_exit found 0 problems"
    -- $<TARGET_FILE:dma_demo>)
  add_test(NAME dma_demo_bounce COMMAND ${_expect} 0
    "32-bit DMA, 16 descriptors at bus address 0x00000000"
    "above 4 GiB: the 32-bit engine gets swiotlb bounce buffers"
    "ukdma single idx [0-9]+ P=1[0-9a-f]{8} N=[0-9a-f]+ D=[0-9a-f]{1,8} L=100 DMA_TO_DEVICE"
    "every byte checked"
    "ukmem_exit found 0 problems"
    -- $<TARGET_FILE:dma_demo> 32)
  add_test(NAME dma_demo_swiotlb_force COMMAND ${_expect} 0
    "every byte checked" "ukmem_exit found 0 problems" -- $<TARGET_FILE:dma_demo>)
  add_test(NAME dma_demo_bug COMMAND ${_expect} 2
    "^DMA-API: platform ukdma.0: device driver has pending DMA allocations while released from device \\[count=16\\]"
    "\\[mapped with DMA_TO_DEVICE\\] \\[mapped as single\\]"
    "ukdma_submit.*ukdma_drv.c"
    "every byte checked"
    "ukmem_exit found 1 problem$"
    -- $<TARGET_FILE:dma_demo>)
  add_test(NAME dma_demo_bug2 COMMAND ${_expect} 2
    "^DMA-API: ukdma ukdma.0: device driver failed to check map error\\[device address=0x[0-9a-f]{16}\\] \\[size=1500 bytes\\] \\[mapped as single\\]$"
    "DMA_FROM_DEVICE dma map error not checked"
    "every byte checked"
    "ukmem_exit found 16 problems$"
    -- $<TARGET_FILE:dma_demo>)
  set_tests_properties(dma_demo_bounce PROPERTIES ENVIRONMENT "UKMEM_CMDLINE=mem=6G")
  set_tests_properties(dma_demo_bug2 PROPERTIES ENVIRONMENT "UKMEM_CMDLINE=ukdma.bug=2")
  set_tests_properties(dma_demo_swiotlb_force PROPERTIES ENVIRONMENT "UKMEM_CMDLINE=swiotlb=force")
  set_tests_properties(dma_demo_bug PROPERTIES ENVIRONMENT "UKMEM_CMDLINE=ukdma.bug=1")
  find_program(VALGRIND_EXECUTABLE valgrind)
  if(VALGRIND_EXECUTABLE AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
    add_test(NAME valgrind_dma_demo
             COMMAND ${VALGRIND_EXECUTABLE} -q --error-exitcode=9 --leak-check=no
                     $<TARGET_FILE:dma_demo>)
    set_tests_properties(valgrind_dma_demo PROPERTIES TIMEOUT 300)
  endif()
endif()
# ... and its driver gives back everything on every failure path (ukmem_fail_sweep).
if(TARGET dma_demo)
  ukmem_test(test_dma_demo_sweep dma/test_dma_demo_sweep.c)
  target_sources(test_dma_demo_sweep PRIVATE ${PROJECT_SOURCE_DIR}/examples/ukdma_hw.c
                 ${PROJECT_SOURCE_DIR}/examples/ukdma_drv.c)
  target_compile_definitions(test_dma_demo_sweep PRIVATE KBUILD_MODNAME="ukdma")
endif()
ukmem_test(test_swiotlb_banner dma/test_swiotlb_banner.c)
