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
ukmem_test(bug_kfence_oob bugs/kfence_oob.c ENV ${UKMEM_KFENCE})
ukmem_test(bug_kfence_uaf bugs/kfence_uaf.c ENV ${UKMEM_KFENCE})
endif()
ukmem_test(bug_slub_double_free bugs/slub_double_free.c ENV ${UKMEM_SLUB})
ukmem_test(bug_default_double_free bugs/default_double_free.c)
ukmem_test(bug_interior_free bugs/interior_free.c)
ukmem_test(bug_kasan_double_free bugs/kasan_double_free.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kasan_interior_free bugs/kasan_interior_free.c ENV ${UKMEM_KASAN})
ukmem_test(bug_wrong_cache bugs/wrong_cache.c ENV ${UKMEM_KASAN})
ukmem_test(bug_kfree_vmalloc bugs/kfree_vmalloc.c ENV ${UKMEM_KASAN})
ukmem_test(bug_vfree_kmalloc bugs/vfree_kmalloc.c ENV ${UKMEM_KASAN})
ukmem_test(bug_free_pages_slab bugs/free_pages_slab.c ENV ${UKMEM_KASAN})

# The tools see inside ukmem's objects: memcheck (gcc builds, as valgrind_demo) and ASan (the
# sanitizer build) report the overflow of a kmalloc object at the faulting instruction.
add_executable(bug_tool_oob bugs/tool_oob.c)
target_link_libraries(bug_tool_oob PRIVATE ukmem_static)
target_compile_definitions(bug_tool_oob PRIVATE _GNU_SOURCE)
find_program(VALGRIND_EXECUTABLE valgrind)
if(VALGRIND_EXECUTABLE AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_test(NAME bug_valgrind_oob COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/bugs/tool_check.sh
           "Invalid write of size 1"
           ${VALGRIND_EXECUTABLE} -q --error-exitcode=9 --leak-check=no $<TARGET_FILE:bug_tool_oob>)
  set_tests_properties(bug_valgrind_oob PROPERTIES TIMEOUT 300)
endif()
if(UKMEM_SANITIZE MATCHES "address")
  add_test(NAME bug_asan_oob COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/bugs/tool_check.sh
           "ERROR: AddressSanitizer: use-after-poison" $<TARGET_FILE:bug_tool_oob>)
endif()
