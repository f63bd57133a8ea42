ukmem_bench(bench_mmio bench_mmio.c)
