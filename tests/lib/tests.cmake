# Libraries drivers use: mempool, genalloc, scatterlists.
ukmem_test(test_mempool lib/test_mempool.c THREADS)
ukmem_test(test_mempool_poison lib/test_mempool_poison.c)
ukmem_test(test_mempool_double_free lib/test_mempool_double_free.c)
ukmem_test(test_mempool_double_free_kasan lib/test_mempool_double_free.c ENV "UKMEM_CMDLINE=kasan=on")
ukmem_test(test_mempool_double_free_slub lib/test_mempool_double_free.c ENV "UKMEM_CMDLINE=slub_debug=FZPU")
ukmem_test(test_genalloc lib/test_genalloc.c THREADS)
ukmem_test(test_scatterlist lib/test_scatterlist.c)

# mempool under fail-nth and ukmem_fail_sweep; under failslab=/fail_page_alloc= failing
# everything (sleeping allocs wait for frees); and with ignore-gfp-wait=1 (only the first,
# non-sleeping try fails).
ukmem_test(test_mempool_fault lib/test_mempool_fault.c)
ukmem_test(test_mempool_fault_always lib/test_mempool_fault.c THREADS ENV
  "UKMEM_CMDLINE=failslab=1,100,0,-1 failslab.ignore-gfp-wait=0 fail_page_alloc=1,100,0,-1 fail_page_alloc.ignore-gfp-wait=0 fail_page_alloc.min-order=0")
ukmem_test(test_mempool_fault_gfpwait lib/test_mempool_fault.c ENV "UKMEM_CMDLINE=failslab=1,100,0,-1")
ukmem_test(test_sg_iter lib/test_sg_iter.c)
ukmem_test(test_bitops lib/test_bitops.c THREADS)
ukmem_test(test_list lib/test_list.c)
ukmem_test(test_string lib/test_string.c)
ukmem_test(test_string_helpers lib/test_string_helpers.c)
ukmem_test(test_kthread lib/test_kthread.c THREADS LIBS Threads::Threads)
ukmem_test(test_refcount lib/test_refcount.c THREADS LIBS Threads::Threads)
