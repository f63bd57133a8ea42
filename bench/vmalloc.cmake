ukmem_bench(bench_vmalloc bench_vmalloc.c Threads::Threads)
