# The kernel's own user-space test programs for the XArray, the radix tree and the IDR/IDA
# (tools/testing/radix-tree in Linux 6.1): `xarray` (lib/test_xarray.c) and `idr-test`
# (its IDR and IDA checks and lib/test_ida.c), built from the unchanged files against ukmem's
# headers, with the allocator stand-in they normally link (tools/testing/radix-tree/linux.c,
# tools/lib/slab.c) replaced by ukmem: every kmalloc and kmem_cache_alloc is ukmem's.
# What the stand-in's hooks were comes from glue.h/glue.c (counters, thread registration, CPU
# hot-plug) and from ukmem itself: failslab=1,100,0,-1 with ignore-gfp-wait (the default)
# fails every allocation that cannot sleep, as the stand-in does and as the programs assert;
# rcu_barrier is ukmem's RCU; leaks are ukmem's exit report.  Label "upstream".
include(${PROJECT_SOURCE_DIR}/cmake/linux-source.cmake)
ukmem_linux_extract(linux_radix_tree RADIX_SRC
  tools/testing/radix-tree/xarray.c tools/testing/radix-tree/idr-test.c
  tools/testing/radix-tree/test.c tools/testing/radix-tree/test.h
  lib/xarray.c lib/test_xarray.c lib/radix-tree.c lib/idr.c lib/test_ida.c
  include/linux/xarray.h include/linux/radix-tree.h include/linux/idr.h)

if(RADIX_SRC)
  set(radix_dir ${CMAKE_CURRENT_SOURCE_DIR}/upstream_radix)
  # The suite's build compiles lib/radix-tree.c and lib/idr.c with their file-local functions
  # made global (its test.h declares some of them): its Makefile strips "static" at the start
  # of a line and every "inline"/"__always_inline".  The same edit, into the build folder.
  set(radix_gen ${CMAKE_CURRENT_BINARY_DIR}/radix_tree_gen)
  foreach(f radix-tree idr)
    add_custom_command(OUTPUT ${radix_gen}/${f}.c
      COMMAND ${CMAKE_COMMAND} -E make_directory ${radix_gen}
      COMMAND sed -e "s/^static //" -e "s/__always_inline //" -e "s/inline //"
              ${RADIX_SRC}/lib/${f}.c > ${radix_gen}/${f}.c
      DEPENDS ${RADIX_SRC}/lib/${f}.c
      COMMENT "Making lib/${f}.c's functions global, as the radix-tree suite's build does")
  endforeach()

  # Everything of the suite's programs but main: the XArray (through the suite's xarray.c,
  # which includes lib/xarray.c and lib/test_xarray.c), the radix tree, the IDR and the
  # suite's helpers.  Options as the suite's Makefile: 8-slot nodes (XA_CHUNK_SHIFT 3, its
  # default SHIFT) to get deep trees from few entries, multi-index entries on.
  add_library(radix_tree_core OBJECT
    ${RADIX_SRC}/tools/testing/radix-tree/xarray.c ${radix_gen}/radix-tree.c
    ${radix_gen}/idr.c ${RADIX_SRC}/tools/testing/radix-tree/test.c)
  add_dependencies(radix_tree_core linux_radix_tree)
  # -UNDEBUG: the suite's checks are assert()s with side effects (assert(ida_simple_get(...)
  # == i)); a release build's -DNDEBUG would drop the calls themselves.
  set(radix_flags -include ${radix_dir}/glue.h -UNDEBUG
      -Wno-error -Wno-unused-function -Wno-type-limits -Wno-sign-compare
      -Wno-unused-parameter -Wno-missing-field-initializers -Wno-unused-variable
      -Werror=implicit-function-declaration -Werror=implicit-int -fno-strict-overflow -fwrapv)
  set(radix_defs _GNU_SOURCE CONFIG_XARRAY_MULTI=1 XA_CHUNK_SHIFT=3)
  # ukmem's headers first; then the test-side <linux/cpu.h>; last the tree's own xarray.h,
  # radix-tree.h and idr.h (the only headers unpacked there).
  set(radix_incs ${PROJECT_SOURCE_DIR}/include ${radix_dir}/include ${RADIX_SRC}/include)
  target_compile_options(radix_tree_core PRIVATE ${radix_flags})
  target_compile_definitions(radix_tree_core PRIVATE ${radix_defs} KBUILD_MODNAME="radix_tree")
  target_include_directories(radix_tree_core PRIVATE ${radix_incs})

  # failslab: every non-sleeping allocation fails (ignore-gfp-wait is on by default), quietly.
  # Under ASan ukmem keeps describing its objects to ASan (no UKMEM_PROD_CMDLINE): the tree's
  # code gets ASan's red zones around every node.
  # One possible CPU per thread: idr-test runs 20 threads besides main; per-CPU preloads
  # rely on a CPU's own data being its own (docs/percpu-and-pools.md).
  set(radix_cmdline "failslab=1,100,0,-1 failslab.verbose=0 possible_cpus=32")

  # ukmem_radix_program(NAME WARNINGS [MAIN_FILE]): one program of the suite (MAIN_FILE relative
  # to the tree, or a file of ours given by its absolute path), which must end
  # with exactly WARNINGS kernel WARN reports (the ones the suite provokes on purpose and
  # brackets with "vvv Ignore ... warnings" for its reader) and no other report or leak.
  # Both the suite's
  # xarray.c and idr-test.c define a weak main(); the program's own file, when it has one,
  # comes first on the link line, so its main is the one used (as in the suite's Makefile).
  function(ukmem_radix_program name warnings)
    set(objs)
    if(ARGN)
      set(main_src ${ARGN})
      if(NOT IS_ABSOLUTE ${main_src})
        set(main_src ${RADIX_SRC}/${main_src})
      endif()
      add_library(${name}_main OBJECT ${main_src})
      add_dependencies(${name}_main linux_radix_tree)
      target_compile_options(${name}_main PRIVATE ${radix_flags})
      target_compile_definitions(${name}_main PRIVATE ${radix_defs} KBUILD_MODNAME="${name}")
      target_include_directories(${name}_main PRIVATE ${radix_incs})
      set(objs $<TARGET_OBJECTS:${name}_main>)
    endif()
    add_executable(${name} ${objs} $<TARGET_OBJECTS:radix_tree_core> ${radix_dir}/glue.c)
    target_compile_definitions(${name} PRIVATE _GNU_SOURCE RADIX_EXPECTED_WARNINGS=${warnings})
    target_link_libraries(${name} PRIVATE ukmem_static)
    # time() 50 times faster (glue.c): idr-test's soak loops of 2 to 11 s of wall time run
    # for a fiftieth of it.
    target_link_options(${name} PRIVATE -Wl,--wrap=time)
    add_test(NAME ${name} COMMAND ${name})
    set_tests_properties(${name} PROPERTIES LABELS upstream TIMEOUT 120
      ENVIRONMENT "UKMEM_CMDLINE=${radix_cmdline};RADIX_TIME_SCALE=50")
  endfunction()

  ukmem_radix_program(upstream_xarray 0)
  # idr-test's 130 warnings: idr_u32_test's WARN_ON_ONCE in idr_get_next and idr_for_each (2),
  # and test_ida.c's ida_check_bad_free: 4 shapes of IDA x 32 ids never allocated (128).
  ukmem_radix_program(upstream_idr_test 130 tools/testing/radix-tree/idr-test.c)
  # The stand-in's non-kernel budget (glue.c), with a program of ours built the same way.
  ukmem_radix_program(test_radix_non_kernel 0 ${radix_dir}/test_non_kernel.c)
endif()
