# Slab allocator tests.
# These tests check the production layout and fast paths (UKMEM_PROD_CMDLINE: see
# tests/CMakeLists.txt).
set(SLAB_CMDLINE "${UKMEM_PROD_CMDLINE}")
ukmem_test(test_kmalloc slab/test_kmalloc.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_cache slab/test_cache.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_slab_bad_free slab/test_bad_free.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
# kmem_cache_free to the wrong cache: 6.1's warning, then the free into the object's own
# cache, in each mode with its own free path
ukmem_test(test_wrong_cache slab/test_wrong_cache.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_wrong_cache_slub_debug slab/test_wrong_cache.c ENV "UKMEM_CMDLINE=slub_debug=FZPU")
ukmem_test(test_wrong_cache_kasan slab/test_wrong_cache.c ENV "UKMEM_CMDLINE=kasan=on")
ukmem_test(test_slabinfo slab/test_slabinfo.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_slab_stress slab/test_stress.c THREADS ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_init_on slab/test_init_on.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}init_on_alloc=1 init_on_free=1")
ukmem_test(test_init_on_free slab/test_init_on_free.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}init_on_free=1")
ukmem_test(test_init_on_free_kfence slab/test_init_on_free.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}init_on_free=1 kfence.sample_interval=1")
ukmem_test(test_slab_pressure slab/test_pressure.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}mem=64M")
ukmem_test(test_first_call slab/test_first_call.c)
ukmem_test(test_slab_fastpath slab/test_fastpath.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
ukmem_test(test_fuzz_found slab/test_fuzz_found.c)
ukmem_test(test_rcu_callbacks slab/test_rcu_callbacks.c THREADS)
ukmem_test(test_rcu_callbacks_kasan slab/test_rcu_callbacks.c THREADS ENV "UKMEM_CMDLINE=kasan=on")
# two threads kfree one large block at once: one releases it, the other is a double free
ukmem_test(test_large_double_free_threads slab/test_large_double_free_threads.c ENV "UKMEM_CMDLINE=${SLAB_CMDLINE}")
