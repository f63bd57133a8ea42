# The per-CPU allocator and accessors (docs/performance.md, "Per-CPU memory").
ukmem_bench(bench_percpu bench_percpu.c)
