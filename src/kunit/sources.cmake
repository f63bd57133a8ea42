# KUnit in a process: the test API's out-of-line parts and the runner (docs/kunit.md).
list(APPEND UKMEM_SOURCES
  src/kunit/test.c
  src/kunit/runner.c)
