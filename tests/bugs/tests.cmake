# The bug corpus: one program per bug class (tests/bugs/bug.h says what each checks).
set(UKMEM_SLUB "UKMEM_CMDLINE=slub_debug=FZPU")
set(UKMEM_KASAN "UKMEM_CMDLINE=kasan=on")
set(UKMEM_KFENCE "UKMEM_CMDLINE=kfence.sample_interval=1")
# Under ASan ukmem poisons red zones and freed objects for ASan, which then reports the bad
# accesses of these programs itself (bug_asan_oob below): they run in the other builds.
if(NOT UKMEM_SANITIZE MATCHES "address")
ukmem_test(bug_slub_right_redzone bugs/slub_right_redzone.c ENV ${UKMEM_SLUB})
ukmem_test(bug_slub_left_redzone bugs/slub_left_redzone.c ENV ${UKMEM_SLUB})
ukmem_test(bug_slub_poison bugs/slub_poison.c ENV ${UKMEM_SLUB})
ukmem_test(bug_kasan_uaf_write bugs/kasan_uaf_write.c ENV "UKMEM_CMDLINE=kasan=on kasan.quarantine=4K")
ukmem_test(bug_kasan_oob bugs/kasan_oob.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kasan_slack bugs/kasan_slack.c ENV ${UKMEM_KASAN})
# with slub_debug's 'F' as well: SLUB's checks, which skip the slack, then KASAN's
ukmem_test(bug_kasan_slack_slub_debug bugs/kasan_slack.c ENV "UKMEM_CMDLINE=kasan=on slub_debug=FZPU")
ukmem_test(bug_kfence_oob bugs/kfence_oob.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_slack bugs/kfence_slack.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_uaf bugs/kfence_uaf.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_oob_left bugs/kfence_oob_left.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_corruption bugs/kfence_corruption.c ENV ${UKMEM_KFENCE})
# Faults outside ukmem's windows: the oops (src/core/oops.c); under ASan, ASan's report.
ukmem_test(bug_null_deref bugs/null_deref.c)
ukmem_test(bug_list_poison bugs/list_poison.c)
endif()
ukmem_test(bug_slub_double_free bugs/slub_double_free.c ENV ${UKMEM_SLUB})
ukmem_test(bug_slub_kfree_sensitive_twice bugs/slub_kfree_sensitive_twice.c ENV ${UKMEM_SLUB})
ukmem_test(bug_default_double_free bugs/default_double_free.c)
ukmem_test(bug_interior_free bugs/interior_free.c)
ukmem_test(bug_kasan_double_free bugs/kasan_double_free.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kasan_interior_free bugs/interior_free.c ENV ${UKMEM_KASAN})
ukmem_test(bug_wrong_cache bugs/wrong_cache.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kfree_vmalloc bugs/kfree_vmalloc.c ENV ${UKMEM_KASAN})
ukmem_test(bug_vfree_kmalloc bugs/vfree_kmalloc.c ENV ${UKMEM_KASAN})
ukmem_test(bug_free_pages_slab bugs/free_pages_slab.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kfence_double_free bugs/kfence_double_free.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_krealloc_freed bugs/kfence_krealloc_freed.c ENV ${UKMEM_KFENCE})

# The tools see inside ukmem's objects: memcheck (gcc builds, as valgrind_demo) and ASan (the
# sanitizer build) report a kmalloc overflow, a read after kfree and a vmalloc overflow at the
# faulting instruction; a read of a freed kmalloc object inside an RCU reader is reported, of
# a freed SLAB_TYPESAFE_BY_RCU object not (its red zone still is).
add_executable(bug_tool bugs/tool_bug.c)
target_link_libraries(bug_tool PRIVATE ukmem_static)
target_compile_definitions(bug_tool PRIVATE _GNU_SOURCE)
set(TOOL_CHECK ${CMAKE_CURRENT_SOURCE_DIR}/bugs/tool_check.sh)
find_program(VALGRIND_EXECUTABLE valgrind)
if(VALGRIND_EXECUTABLE AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  set(VG ${VALGRIND_EXECUTABLE} -q --error-exitcode=9 --leak-check=no)
  add_test(NAME bug_valgrind_oob COMMAND ${TOOL_CHECK} "Invalid write of size 1" ${VG} $<TARGET_FILE:bug_tool> oob)
  add_test(NAME bug_valgrind_slack COMMAND ${TOOL_CHECK} "Invalid write of size 1" ${VG} $<TARGET_FILE:bug_tool> slack)
  add_test(NAME bug_valgrind_uaf COMMAND ${TOOL_CHECK} "inside a block of size 64 free'd" ${VG} $<TARGET_FILE:bug_tool> uaf)
  add_test(NAME bug_valgrind_vmalloc COMMAND ${TOOL_CHECK} "Invalid write of size 1" ${VG} $<TARGET_FILE:bug_tool> vmalloc)
  add_test(NAME bug_valgrind_rcu COMMAND ${TOOL_CHECK} "inside a block of size 64 free'd" ${VG} $<TARGET_FILE:bug_tool> rcu)
  add_test(NAME bug_valgrind_rcu_oob COMMAND ${TOOL_CHECK} "Invalid read of size 1" ${VG} $<TARGET_FILE:bug_tool> rcu_oob)
  set_tests_properties(bug_valgrind_oob bug_valgrind_slack bug_valgrind_uaf bug_valgrind_vmalloc bug_valgrind_rcu
                       bug_valgrind_rcu_oob PROPERTIES TIMEOUT 300)
endif()
if(UKMEM_SANITIZE MATCHES "address")
  add_test(NAME bug_asan_oob COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> oob)
  add_test(NAME bug_asan_slack COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> slack)
  add_test(NAME bug_asan_uaf COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> uaf)
  add_test(NAME bug_asan_vmalloc COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> vmalloc)
  add_test(NAME bug_asan_rcu COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> rcu)
  add_test(NAME bug_asan_rcu_oob COMMAND ${TOOL_CHECK} "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool> rcu_oob)
endif()

# The bug corpus: one program per bug class, each checking the first report line of a
# buggy version and that a fixed version reports nothing.
foreach(bug leak_kmalloc leak_vmalloc leak_page gfp_kernel_spinlock gfp_kernel_irq
            kcalloc_overflow fail_nth fail_sweep double_vfree double_devm_kfree kfree_devm
            iounmap_twice readl_after_iounmap dma_unmap_twice leak_dma_mapping uaf_vfree
            fail_sweep_mapping lost_devres_group devres_null_dev vfree_ioremap iounmap_devm)
  ukmem_test(bug_${bug} bugs/${bug}.c)
endforeach()

# Default-mode double frees whose second copy reaches the slab late (tests/bugs/*.c say how).
ukmem_test(bug_double_free_freelist bugs/double_free_freelist.c)
ukmem_test(bug_double_free_slab_gone bugs/double_free_slab_gone.c THREADS)
