# The DMA API: mapping, bouncing, coherent memory, dma_pool and DMA-API debugging.
ukmem_test(test_dma_map dma/test_dma_map.c)
ukmem_test(test_dma_bounce dma/test_dma_bounce.c)
ukmem_test(test_dma_debug dma/test_dma_debug.c)
