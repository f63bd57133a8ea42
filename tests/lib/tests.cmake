# Libraries drivers use: mempool, genalloc, scatterlists.
ukmem_test(test_mempool lib/test_mempool.c)
