# vmalloc tests.
ukmem_test(test_vmalloc vmalloc/test_vmalloc.c)
ukmem_test(test_vmalloc_fault vmalloc/test_vmalloc_fault.c)
ukmem_test(test_vmalloc_threads vmalloc/test_vmalloc_threads.c THREADS LIBS Threads::Threads)
ukmem_test(test_vmalloc_scatter vmalloc/test_vmalloc_scatter.c ENV "UKMEM_CMDLINE=ukmem.vmalloc_scatter=1 mem=1G")
ukmem_test(test_kvmalloc vmalloc/test_kvmalloc.c)
ukmem_test(test_vmap_area vmalloc/test_vmap_area.c)
ukmem_test(test_vmalloc_limit vmalloc/test_vmalloc_limit.c ENV "UKMEM_CMDLINE=mem=1G")
ukmem_test(test_vmalloc_limit_noguard vmalloc/test_vmalloc_limit.c ENV "UKMEM_CMDLINE=mem=1G ukmem.vmalloc_guard_regions=0")
