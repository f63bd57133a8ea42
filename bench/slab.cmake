# Slab allocator benchmark: kmalloc and kmem_cache against glibc, jemalloc, tcmalloc, mimalloc.
ukmem_bench(bench_slab bench_slab.c)

# The cost of slub_debug, kasan=on and KFENCE against the plain fast path.
ukmem_bench(bench_debug bench_debug.c)
