# The page allocator against posix_memalign and mmap (docs/performance.md, "Page allocator").
ukmem_bench(bench_pages bench_pages.c m)
