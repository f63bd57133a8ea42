# The shadow-model fuzzer (fuzz/fuzz_mm.c, its driver half fuzz/fuzz_dev.c).  test_fuzz_replay replays the hand-made seeds (one
# per operation, fuzz/seeds) and every minimised crash (fuzz/regressions) in every build; the
# corpus the fuzzer grew (fuzz/corpus, merged with -merge=1) is its starting point in CI and
# too slow to replay in every test run (rcu_barrier waits).  With -DUKMEM_FUZZ=ON (clang)
# fuzz_mm is also built as a libFuzzer target and the library is instrumented for coverage
# (.ci/run runs it for a minute).
option(UKMEM_FUZZ "Build the libFuzzer target fuzz_mm (clang)" OFF)
add_executable(test_fuzz_replay fuzz/fuzz_mm.c fuzz/fuzz_dev.c fuzz/replay.c)
target_link_libraries(test_fuzz_replay PRIVATE ukmem_static)
target_compile_definitions(test_fuzz_replay PRIVATE _GNU_SOURCE)
add_test(NAME test_fuzz_replay COMMAND test_fuzz_replay
         ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/seeds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions)
# Under ASan with ukmem's annotations on (the default), so that ASan sees into every object.
set_tests_properties(test_fuzz_replay PROPERTIES TIMEOUT 300)
if(UKMEM_FUZZ)
  target_compile_options(ukmem_objects PRIVATE -fsanitize=fuzzer-no-link)
  add_executable(fuzz_mm fuzz/fuzz_mm.c fuzz/fuzz_dev.c)
  target_link_libraries(fuzz_mm PRIVATE ukmem_static)
  target_compile_definitions(fuzz_mm PRIVATE _GNU_SOURCE)
  target_compile_options(fuzz_mm PRIVATE -fsanitize=fuzzer)
  target_link_options(fuzz_mm PRIVATE -fsanitize=fuzzer)
endif()
