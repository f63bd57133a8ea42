# Cross-thread benchmark: test_xthread_stress's workload on ukmem and on malloc peers.
ukmem_bench(bench_xthread bench_xthread.c)
target_include_directories(bench_xthread PRIVATE ${PROJECT_SOURCE_DIR}/tests/stress)
