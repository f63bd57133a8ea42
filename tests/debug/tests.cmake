# Debugging aids: slub_debug, kasan=on and KFENCE as a whole (tests/bugs has one program per
# bug class); the slab stress test under each mode, threads included.
ukmem_test(test_slub_debug debug/test_slub_debug.c)
ukmem_test(test_slub_debug_spec debug/test_slub_debug_spec.c)
ukmem_test(test_slub_debug_blocks debug/test_slub_debug_blocks.c)
ukmem_test(test_slub_debug_cache_flags debug/test_slub_debug_cache_flags.c)
ukmem_test(test_slub_debug_ksize debug/test_slub_debug_ksize.c)
ukmem_test(test_stress_slub_debug slab/test_stress.c ENV "UKMEM_CMDLINE=slub_debug=FZPU")
ukmem_test(test_stress_kasan slab/test_stress.c THREADS ENV "UKMEM_CMDLINE=kasan=on")
ukmem_test(test_stress_kfence slab/test_stress.c THREADS ENV "UKMEM_CMDLINE=kfence.sample_interval=50")
ukmem_test(test_kasan debug/test_kasan.c)
# kasan.quarantine=0 is no quarantine (not the default size).
ukmem_test(test_kasan_no_quarantine debug/test_kasan_no_quarantine.c)
ukmem_test(test_kfence debug/test_kfence.c)
ukmem_test(test_kfence_count debug/test_kfence_count.c THREADS)
# Not under ThreadSanitizer: its two threads free one block at the same moment on purpose
# (the double-free report it checks), and the losing free's report reads what the winning
# free writes, which TSan rightly calls a race; the library's claim of the block is atomic.
ukmem_test(test_kasan_large debug/test_kasan_large.c LIBS Threads::Threads)
ukmem_test(test_kmalloc_slack debug/test_kmalloc_slack.c)
ukmem_test(test_kasan_init_on_alloc debug/test_kasan_init_on_alloc.c)
# kfree_rcu as a first call, then ukmem_exit: its free passes the quarantine before the checks.
# (This and test_tool_marks are not labelled "threads": their second thread is an RCU reader
# or empties a slab, and ThreadSanitizer cannot see liburcu's synchronisation, which is not
# instrumented; the same holds for the other RCU tests.)
ukmem_test(test_rcu_exit debug/test_rcu_exit.c)
ukmem_test(test_rcu_exit_kasan debug/test_rcu_exit.c ENV "UKMEM_CMDLINE=kasan=on")
# kfree of an object whose kfree_rcu is pending: a double-free report in each mode, no crash.
ukmem_test(test_kfree_rcu_free debug/test_kfree_rcu_free.c)
# What a watching ASan is told (marks checked in the ASan build, where annotations are on);
# the same accesses through slub_debug's paths, whose frees init_on_free=1 zeroes too.
ukmem_test(test_tool_marks debug/test_tool_marks.c ENV "UKMEM_CMDLINE=init_on_free=1")
ukmem_test(test_tool_marks_slub_debug debug/test_tool_marks.c
           ENV "UKMEM_CMDLINE=init_on_free=1 slub_debug=FZU")
find_program(VALGRIND_EXECUTABLE valgrind)
if(VALGRIND_EXECUTABLE AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_test(NAME test_tool_marks_valgrind COMMAND ${VALGRIND_EXECUTABLE} -q --error-exitcode=9
           --leak-check=no $<TARGET_FILE:test_tool_marks>)
  set_tests_properties(test_tool_marks_valgrind PROPERTIES TIMEOUT 300)
endif()

# kmemleak, fault injection, context rules.
ukmem_test(test_kmemleak debug/test_kmemleak.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_fault debug/test_fault.c)
ukmem_test(test_fault_61 debug/test_fault_61.c)
ukmem_test(test_context_rules debug/test_context_rules.c)
ukmem_test(test_sweep debug/test_sweep.c)
ukmem_test(test_kmemleak_drivers debug/test_kmemleak_drivers.c)
ukmem_test(test_kmemleak_size debug/test_kmemleak_size.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_kmemleak_size_stacks debug/test_kmemleak_size.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}kmemleak.stacks=on")
ukmem_test(test_kmemleak_noleaktrace debug/test_kmemleak_noleaktrace.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_kmemleak_noleaktrace_stacks debug/test_kmemleak_noleaktrace.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}kmemleak.stacks=on")
# Every small allocation a KFENCE object: kmemleak still reports the cache's object size.
ukmem_test(test_kmemleak_size_kfence debug/test_kmemleak_size.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}kfence.sample_interval=1")
ukmem_test(test_kmemleak_gate debug/test_kmemleak_gate.c THREADS ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_kmemleak_slab_recs debug/test_kmemleak_slab_recs.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}kmemleak.stacks=on")
ukmem_test(test_double_free_threads_slub debug/test_double_free_threads.c THREADS
           LIBS Threads::Threads ENV "UKMEM_CMDLINE=slub_debug=FZPU ukmem.annotate=0")
ukmem_test(test_double_free_threads_kasan debug/test_double_free_threads.c THREADS
           LIBS Threads::Threads ENV "UKMEM_CMDLINE=kasan=on ukmem.annotate=0")
# The scan's reads of other threads' arrays and struct pages as they are (the design's race)
# are kept out of ThreadSanitizer's view; what it decides from them is checked under locks.
ukmem_test(test_kmemleak_scan_threads debug/test_kmemleak_scan_threads.c THREADS
           LIBS Threads::Threads)
ukmem_test(test_fault_first_call debug/test_fault_first_call.c ENV "UKMEM_CMDLINE=fail_page_alloc=1,100,0,-1 fail_page_alloc.verbose=0")
ukmem_test(test_slub_debug_first_block debug/test_slub_debug_first_block.c)
# Its children start ukmem themselves, each with its own command line; ThreadSanitizer's
# deadlock detector is off as for the other tests that fork after start-up.
ukmem_test(test_hung_task debug/test_hung_task.c THREADS LIBS Threads::Threads
           ENV "TSAN_OPTIONS=halt_on_error=1:detect_deadlocks=0")
# A scan beside a thread that frees objects and allocates their addresses again at once.
ukmem_test(test_kmemleak_scan_reuse debug/test_kmemleak_scan_reuse.c THREADS
           LIBS Threads::Threads)
