# ukmem must stay usable under valgrind: the demo runs under memcheck with no errors.
# (gcc builds only: valgrind 3.19 cannot read the DWARF 5 that clang 14 emits.)
find_program(VALGRIND_EXECUTABLE valgrind)
if(VALGRIND_EXECUTABLE AND TARGET demo AND NOT UKMEM_SANITIZE AND CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_test(NAME valgrind_demo
           COMMAND ${VALGRIND_EXECUTABLE} -q --error-exitcode=9 --leak-check=no $<TARGET_FILE:demo>)
  set_tests_properties(valgrind_demo PROPERTIES TIMEOUT 300)
endif()
