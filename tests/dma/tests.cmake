# The DMA API: mapping, bouncing, coherent memory, dma_pool and DMA-API debugging.
ukmem_test(test_dma_map dma/test_dma_map.c THREADS)
ukmem_test(test_dma_bounce dma/test_dma_bounce.c)
ukmem_test(test_dma_debug dma/test_dma_debug.c)
ukmem_test(test_dma_debug_off dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug=off")
ukmem_test(test_dma_debug_other dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug_driver=other")
ukmem_test(test_dma_debug_mine dma/test_dma_debug_modes.c ENV "UKMEM_CMDLINE=dma_debug_driver=dmadev")
ukmem_test(test_dma_pool dma/test_dma_pool.c)
ukmem_test(test_swiotlb dma/test_swiotlb.c ENV "UKMEM_CMDLINE=mem=512M swiotlb=128,force")
