# KUnit: the runner's own suites (one program of two files) checked line by line.
add_executable(kunit_selftest kunit/kunit_selftest.c kunit/kunit_selftest2.c)
target_link_libraries(kunit_selftest PRIVATE ukmem_kunit_main ukmem_static)
target_compile_definitions(kunit_selftest PRIVATE _GNU_SOURCE)
# (Under AddressSanitizer the case's write after free is the sanitizer's own report, which
# ends the case's process: the script is told, and expects that instead of ukmem's report.)
if(UKMEM_SANITIZE MATCHES "address")
  set(KUNIT_SELFTEST_ASAN asan)
else()
  set(KUNIT_SELFTEST_ASAN plain)
endif()
add_test(NAME test_kunit COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kunit/check_selftest.sh
         $<TARGET_FILE:kunit_selftest> ${KUNIT_SELFTEST_ASAN})
# The runner forks a child per case: under TSan without the deadlock detector (UKMEM_TSAN_FORKS).
set_tests_properties(test_kunit PROPERTIES TIMEOUT 120 ENVIRONMENT ${UKMEM_TSAN_FORKS})
# The executor filters with 6.1's glob_match, odd patterns included.
ukmem_test(test_kunit_filter kunit/test_kunit_filter.c)
# kunit_run_tests as a program's first call, and the suites' numbers.
ukmem_test(test_kunit_first_call kunit/test_kunit_first_call.c)
# A case that never returns: killed after kunit.timeout seconds, the run goes on.
add_executable(kunit_timeout kunit/kunit_timeout.c)
target_link_libraries(kunit_timeout PRIVATE ukmem_kunit_main ukmem_static)
add_test(NAME test_kunit_timeout COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/kunit/check_timeout.sh
         $<TARGET_FILE:kunit_timeout>)
set_tests_properties(test_kunit_timeout PROPERTIES TIMEOUT 30 ENVIRONMENT ${UKMEM_TSAN_FORKS})
