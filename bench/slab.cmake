# Slab allocator benchmark: kmalloc and kmem_cache against glibc, jemalloc, tcmalloc, mimalloc.
ukmem_bench(bench_slab bench_slab.c)
