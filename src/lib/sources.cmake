list(APPEND UKMEM_SOURCES
  src/lib/mempool.c)
