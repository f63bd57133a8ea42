# The installed package: cmake --install into a temporary prefix, then outside programs built
# with pkg-config (shared and --static) and with find_package(ukmem).
set(UKMEM_INSTALL_TEST_FLAGS "")
if(UKMEM_SANITIZE)
  set(UKMEM_INSTALL_TEST_FLAGS "-fsanitize=${UKMEM_SANITIZE}")
endif()
add_test(NAME test_install COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/install/test_install.sh ${CMAKE_BINARY_DIR})
set_tests_properties(test_install PROPERTIES TIMEOUT 300 ENVIRONMENT
  "CC=${CMAKE_C_COMPILER};UKMEM_TEST_CFLAGS=${UKMEM_INSTALL_TEST_FLAGS};PATH=$ENV{PATH}")
