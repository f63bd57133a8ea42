# Cross-thread stress test (also under ThreadSanitizer in .ci/run).
ukmem_test(test_xthread_stress stress/test_xthread.c THREADS)
