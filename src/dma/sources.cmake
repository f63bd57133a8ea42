list(APPEND UKMEM_SOURCES
  src/dma/debug.c
  src/dma/mapping.c
  src/dma/pool.c
  src/dma/swiotlb.c)
