# The cost of kmemleak tracking (and of the hooked slow path fault injection uses).
ukmem_bench(bench_kmemleak bench_kmemleak.c)
# The cost of ukmem_fail_sweep's per-run leak check on a function that allocates in a loop.
ukmem_bench(bench_sweep bench_sweep.c)
