list(APPEND UKMEM_SOURCES
  src/lib/genalloc.c
  src/lib/kthread.c
  src/lib/mempool.c
  src/lib/scatterlist.c)
list(APPEND UKMEM_SOURCES
  src/lib/random.c
  src/lib/refcount.c
  src/lib/string.c
  src/lib/time.c)
