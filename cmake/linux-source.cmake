# Files of the Linux 6.1 tree for the upstream tests, unpacked at build time from Debian's
# linux-source-6.1 package (scripts/setup.sh installs it).  Nothing of the tree is kept in
# this repository: only the files a test names are unpacked, into the build folder.
#
# ukmem_linux_extract(TARGET OUT_DIR_VAR file...) adds a target TARGET that unpacks the
# files (paths inside the tree, e.g. drivers/watchdog/ep93xx_wdt.c) and sets OUT_DIR_VAR to
# the tree's root in the build folder, or to "" when the tarball is missing: then the caller
# skips its tests (outside CI; with $CI set a missing tarball is an error).
set(UKMEM_LINUX_TARBALL "/usr/src/linux-source-6.1.tar.xz" CACHE FILEPATH
    "Debian's linux-source-6.1 tarball, for the upstream tests")

function(ukmem_linux_extract name outdir_var)
  if(NOT EXISTS "${UKMEM_LINUX_TARBALL}")
    if(DEFINED ENV{CI})
      message(FATAL_ERROR "${UKMEM_LINUX_TARBALL} is missing: the upstream tests need "
              "Debian's linux-source-6.1 package (scripts/setup.sh installs it)")
    endif()
    message(WARNING "upstream tests (${name}) skipped: ${UKMEM_LINUX_TARBALL} not found; "
            "scripts/setup.sh installs Debian's linux-source-6.1")
    set(${outdir_var} "" PARENT_SCOPE)
    return()
  endif()
  set(dir ${CMAKE_BINARY_DIR}/linux-6.1/${name})
  set(outs)
  set(members)
  foreach(f ${ARGN})
    list(APPEND outs ${dir}/linux-source-6.1/${f})
    list(APPEND members linux-source-6.1/${f})
  endforeach()
  add_custom_command(OUTPUT ${outs}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
    COMMAND tar -xJf ${UKMEM_LINUX_TARBALL} -C ${dir} ${members}
    COMMAND ${CMAKE_COMMAND} -E touch ${outs}
    DEPENDS ${UKMEM_LINUX_TARBALL}
    COMMENT "Unpacking ${name} from ${UKMEM_LINUX_TARBALL}"
    VERBATIM)
  add_custom_target(${name} DEPENDS ${outs})
  set(${outdir_var} ${dir}/linux-source-6.1 PARENT_SCOPE)
endfunction()
