# The cost of kmemleak tracking (and of the hooked slow path fault injection uses).
ukmem_bench(bench_kmemleak bench_kmemleak.c)
