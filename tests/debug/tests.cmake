# Debugging aids: slub_debug, kasan=on and KFENCE as a whole (tests/bugs has one program per
# bug class); the slab stress test under each mode, threads included.
ukmem_test(test_slub_debug debug/test_slub_debug.c)
ukmem_test(test_slub_debug_spec debug/test_slub_debug_spec.c)
ukmem_test(test_stress_slub_debug slab/test_stress.c ENV "UKMEM_CMDLINE=slub_debug=FZPU")
ukmem_test(test_stress_kasan slab/test_stress.c THREADS ENV "UKMEM_CMDLINE=kasan=on")
ukmem_test(test_stress_kfence slab/test_stress.c THREADS ENV "UKMEM_CMDLINE=kfence.sample_interval=50")
ukmem_test(test_kasan debug/test_kasan.c)
# kfree_rcu as a first call, then ukmem_exit: its free passes the quarantine before the checks.
ukmem_test(test_rcu_exit debug/test_rcu_exit.c THREADS)
ukmem_test(test_rcu_exit_kasan debug/test_rcu_exit.c THREADS ENV "UKMEM_CMDLINE=kasan=on")

# kmemleak, fault injection, context rules.
ukmem_test(test_kmemleak debug/test_kmemleak.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_fault debug/test_fault.c)
ukmem_test(test_context_rules debug/test_context_rules.c)
ukmem_test(test_sweep debug/test_sweep.c)
ukmem_test(test_kmemleak_drivers debug/test_kmemleak_drivers.c)
