# kmemleak, fault injection, context rules.
ukmem_test(test_kmemleak debug/test_kmemleak.c)
ukmem_test(test_fault debug/test_fault.c)
ukmem_test(test_context_rules debug/test_context_rules.c)
ukmem_test(test_sweep debug/test_sweep.c)
