ukmem_bench(bench_startup bench_startup.c)
