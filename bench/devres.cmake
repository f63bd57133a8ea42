# devres benchmark: devm_kzalloc and release against kzalloc and kfree.
ukmem_bench(bench_devres bench_devres.c)
