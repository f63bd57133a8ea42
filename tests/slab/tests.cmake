# Slab allocator tests.
ukmem_test(test_kmalloc slab/test_kmalloc.c)
ukmem_test(test_cache slab/test_cache.c)
ukmem_test(test_slab_bad_free slab/test_bad_free.c)
ukmem_test(test_slabinfo slab/test_slabinfo.c)
ukmem_test(test_slab_stress slab/test_stress.c THREADS)
ukmem_test(test_init_on slab/test_init_on.c ENV "UKMEM_CMDLINE=init_on_alloc=1 init_on_free=1")
ukmem_test(test_slab_pressure slab/test_pressure.c ENV "UKMEM_CMDLINE=mem=64M")
ukmem_test(test_first_call slab/test_first_call.c)
