# Device model and devres tests.
ukmem_test(test_devres base/test_devres.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_devres_fork base/test_devres_fork.c THREADS LIBS Threads::Threads TIMEOUT 120)
ukmem_test(test_devres_bias base/test_devres_bias.c THREADS LIBS Threads::Threads TIMEOUT 120)
ukmem_test(test_devres_release_race base/test_devres_release_race.c THREADS LIBS Threads::Threads TIMEOUT 120)
ukmem_test(test_devres_log base/test_devres_log.c ENV "UKMEM_CMDLINE=devres.log=1")
ukmem_test(test_devres_misuse base/test_devres_misuse.c)
ukmem_test(test_device base/test_device.c ENV "UKMEM_CMDLINE=${UKMEM_PROD_CMDLINE}")
ukmem_test(test_base_first_call base/test_base_first_call.c)
ukmem_test(test_device_exit base/test_device_exit.c)
ukmem_test(test_bus base/test_bus.c ENV "UKMEM_CMDLINE=loglevel=8")
ukmem_test(test_notifier base/test_notifier.c)

# Modules: three "modules" linked after the test, in this order.  The command line names
# two of them with a dash for the underscore, as the kernel's parameq() allows.
ukmem_test(test_modules base/test_modules.c ENV
  "UKMEM_CMDLINE=mod-a.count=42 mod_a.ucount=7 mod_a.lval=-9000000000 mod_a.ul=0xffff mod_a.flag=y \"mod_a.label=hello world\" mod_a.word=short mod-c.level=3")
target_sources(test_modules PRIVATE base/mod_a.c base/mod_b.c base/mod-c.c base/mod_d.c)
set_source_files_properties(base/mod_a.c PROPERTIES COMPILE_DEFINITIONS "KBUILD_MODNAME=\"mod_a\"")
set_source_files_properties(base/mod_d.c PROPERTIES COMPILE_DEFINITIONS "KBUILD_MODNAME=\"mod_d\"")
set_source_files_properties(base/mod_b.c PROPERTIES COMPILE_DEFINITIONS "KBUILD_MODNAME=\"mod_b\"")
ukmem_test(test_modules_cmdline base/test_modules_cmdline.c)
target_sources(test_modules_cmdline PRIVATE base/mod_a.c base/mod_b.c base/mod-c.c)
# A module in a shared object, resolved against the program's copy of ukmem.
add_library(mod_dl MODULE base/mod_dl.c)
target_include_directories(mod_dl PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_definitions(mod_dl PRIVATE _GNU_SOURCE KBUILD_MODNAME="mod_dl")
ukmem_test(test_modules_dlopen base/test_modules_dlopen.c ENV "UKMEM_CMDLINE=mod_dl.dlval=77")
set_target_properties(test_modules_dlopen PROPERTIES ENABLE_EXPORTS ON)
target_link_libraries(test_modules_dlopen PRIVATE ${CMAKE_DL_LIBS})
target_compile_definitions(test_modules_dlopen PRIVATE MOD_DL_PATH="$<TARGET_FILE:mod_dl>")
add_dependencies(test_modules_dlopen mod_dl)
add_test(NAME test_modules_dlopen_bad COMMAND test_modules_dlopen bad)
set_tests_properties(test_modules_dlopen_bad PROPERTIES TIMEOUT 60
                     ENVIRONMENT "UKMEM_CMDLINE=mod_dl.dlval=lots")

# Threads: also run under ThreadSanitizer by CI (.ci/run).
ukmem_test(test_device_threads base/test_device_threads.c THREADS LIBS Threads::Threads)

# The example driver runs clean (its unbind/rebind cycle, its devres listings).
if(TARGET platform_demo)
  add_test(NAME test_platform_demo COMMAND platform_demo)
  set_tests_properties(test_platform_demo PROPERTIES
    PASS_REGULAR_EXPRESSION "platform_demo: 0 problems" TIMEOUT 60)
endif()
ukmem_test(test_devres_lost_group base/test_devres_lost_group.c)
# Driver walks against driver_unregister: also under ThreadSanitizer.
ukmem_test(test_driver_walk base/test_driver_walk.c THREADS LIBS Threads::Threads)
ukmem_test(test_devres_bad_dev base/test_devres_bad_dev.c)
# A failed walk in driver_register: the host's malloc is replaced, which the sanitizers'
# own replacement forbids.
if(NOT UKMEM_SANITIZE)
  ukmem_test(test_driver_attach_nomem base/test_driver_attach_nomem.c)
endif()
