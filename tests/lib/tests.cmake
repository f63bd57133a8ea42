# Libraries drivers use: mempool, genalloc, scatterlists.
ukmem_test(test_mempool lib/test_mempool.c THREADS)
ukmem_test(test_genalloc lib/test_genalloc.c THREADS)
ukmem_test(test_scatterlist lib/test_scatterlist.c)
ukmem_test(test_bitops lib/test_bitops.c THREADS)
