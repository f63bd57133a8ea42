# Upstream drivers: Linux 6.1 files built unmodified against ukmem's headers, each with an
# emulated device of ours.  Each driver is compiled as a user would compile it:
#   cc -I<ukmem include> -DKBUILD_MODNAME='"hisi_rng"' -c drivers/char/hw_random/hisi-rng.c
# (built-in, no -DMODULE, so several could share a program).
include(${PROJECT_SOURCE_DIR}/cmake/linux-source.cmake)
ukmem_linux_extract(linux_upstream_drivers UKMEM_UPSTREAM_DRIVERS_DIR
  drivers/char/hw_random/hisi-rng.c
  drivers/char/hw_random/meson-rng.c
  drivers/char/hw_random/st-rng.c
  drivers/watchdog/ep93xx_wdt.c)

# ukmem_upstream_driver(TEST SOURCE UPSTREAM_FILE MODNAME [CMDLINE "params"]): the test
# program SOURCE linked with the upstream file compiled on its own.  The fail sweeps' runs are
# quiet (failslab.verbose=0 fail_page_alloc.verbose=0): symbolizing a report per run would
# triple the test's time; their leak checks still run.
function(ukmem_upstream_driver test source file modname)
  cmake_parse_arguments(U "" "CMDLINE" "" ${ARGN})
  add_library(${test}_upstream OBJECT ${UKMEM_UPSTREAM_DRIVERS_DIR}/${file})
  add_dependencies(${test}_upstream linux_upstream_drivers)
  target_include_directories(${test}_upstream PRIVATE ${PROJECT_SOURCE_DIR}/include)
  target_compile_definitions(${test}_upstream PRIVATE KBUILD_MODNAME="${modname}")
  ukmem_test(${test} ${source}
    ENV "UKMEM_CMDLINE=failslab.verbose=0 fail_page_alloc.verbose=0 ${U_CMDLINE}")
  target_sources(${test} PRIVATE $<TARGET_OBJECTS:${test}_upstream>)
  set_tests_properties(${test} PROPERTIES LABELS upstream)
endfunction()

if(UKMEM_UPSTREAM_DRIVERS_DIR)
  ukmem_upstream_driver(test_hisi_rng upstream/test_hisi_rng.c
    drivers/char/hw_random/hisi-rng.c hisi_rng)
  ukmem_upstream_driver(test_hisi_rng_seed_sel upstream/test_hisi_rng.c
    drivers/char/hw_random/hisi-rng.c hisi_rng CMDLINE "hisi_rng.seed_sel=1")
endif()
if(UKMEM_UPSTREAM_DRIVERS_DIR)
  ukmem_upstream_driver(test_meson_rng upstream/test_meson_rng.c
    drivers/char/hw_random/meson-rng.c meson_rng)
endif()
if(UKMEM_UPSTREAM_DRIVERS_DIR)
  ukmem_upstream_driver(test_st_rng upstream/test_st_rng.c
    drivers/char/hw_random/st-rng.c st_rng)
endif()
if(UKMEM_UPSTREAM_DRIVERS_DIR)
  ukmem_upstream_driver(test_ep93xx_wdt upstream/test_ep93xx_wdt.c
    drivers/watchdog/ep93xx_wdt.c ep93xx_wdt)
  ukmem_upstream_driver(test_ep93xx_wdt_nowayout upstream/test_ep93xx_wdt.c
    drivers/watchdog/ep93xx_wdt.c ep93xx_wdt CMDLINE "ep93xx_wdt.nowayout=1 ep93xx_wdt.timeout=60")
endif()
