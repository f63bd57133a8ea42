# Upstream Linux 6.1 library files and test modules, built unmodified from Debian's
# linux-source-6.1 tarball (unpacked into the build folder by cmake/linux-source.cmake),
# labelled "upstream":  ctest -L upstream
include(${PROJECT_SOURCE_DIR}/cmake/linux-source.cmake)
ukmem_linux_extract(linux_lib_tests LINUX_SRC
  lib/overflow_kunit.c
  lib/test_meminit.c
  lib/test_parman.c lib/parman.c include/linux/parman.h
  lib/test_memcat_p.c lib/memcat_p.c)

# ukmem_upstream_test(NAME KUNIT|MODULE FILES... [ENV ...]): one program of upstream files.
# KUNIT programs get the KUnit main; MODULE programs a main that runs ukmem_modules_init and
# fails on an error.  Upstream code is compiled with its own warnings shown but not fatal.
function(ukmem_upstream_test name kind)
  cmake_parse_arguments(U "" "MODNAME" "FILES;ENV" ${ARGN})
  set(srcs)
  foreach(f ${U_FILES})
    list(APPEND srcs ${LINUX_SRC}/${f})
  endforeach()
  if(kind STREQUAL "KUNIT")
    add_executable(${name} ${srcs})
    target_link_libraries(${name} PRIVATE ukmem_kunit_main ukmem_static)
  else()
    add_executable(${name} ${srcs} ${CMAKE_CURRENT_SOURCE_DIR}/upstream_lib/run_modules.c)
    target_link_libraries(${name} PRIVATE ukmem_static)
  endif()
  add_dependencies(${name} linux_lib_tests)
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE KBUILD_MODNAME="${U_MODNAME}")
  # kbuild's warning set is narrower than ours; a missing declaration stays an error.
  target_compile_options(${name} PRIVATE -Wno-error -Wno-unused-function -Wno-type-limits
                         -Wno-sign-compare -Wno-unused-parameter -Wno-missing-field-initializers
                         -Werror=implicit-function-declaration -Werror=implicit-int
                         -fno-strict-overflow -fwrapv)  # kbuild's: signed overflow wraps
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 60 LABELS upstream ENVIRONMENT "${U_ENV}")
endfunction()

if(LINUX_SRC)
  ukmem_upstream_test(upstream_overflow_kunit KUNIT MODNAME overflow_kunit
                      FILES lib/overflow_kunit.c ENV ${UKMEM_TSAN_FORKS})
  ukmem_upstream_test(upstream_memcat_p MODULE MODNAME test_memcat_p
                      FILES lib/test_memcat_p.c lib/memcat_p.c)
  # test_parman needs <linux/random.h> (prandom), which the driver cores bring.
  if(EXISTS ${PROJECT_SOURCE_DIR}/include/linux/prandom.h)
    ukmem_upstream_test(upstream_parman MODULE MODNAME test_parman
                        FILES lib/test_parman.c lib/parman.c)
    # parman.h is the tree's own header for parman.c (only it is unpacked under include/).
    target_include_directories(upstream_parman PRIVATE ${LINUX_SRC}/include)
  endif()
  ukmem_upstream_test(upstream_meminit_alloc MODULE MODNAME test_meminit
                      FILES lib/test_meminit.c ENV "UKMEM_CMDLINE=init_on_alloc=1")
  ukmem_upstream_test(upstream_meminit_free MODULE MODNAME test_meminit
                      FILES lib/test_meminit.c ENV "UKMEM_CMDLINE=init_on_free=1")
endif()
