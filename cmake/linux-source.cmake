# ukmem_linux_source(OUTVAR FILES path...): unpack just these files of the Linux 6.1 tree
# (paths relative to the tree's top, shell wildcards allowed) from Debian's linux-source-6.1
# tarball into ${CMAKE_BINARY_DIR}/linux-6.1, at configure time, and set OUTVAR to that
# folder.  Nothing from the tree is ever part of this repository.  The tarball is
# $UKMEM_LINUX_TARBALL or /usr/src/linux-source-6.1.tar.xz (scripts/setup.sh installs it);
# without it OUTVAR is empty and the caller skips its upstream tests.  A stamp records what
# was unpacked, so a later configure with the same list does nothing.
set(UKMEM_LINUX_TARBALL "/usr/src/linux-source-6.1.tar.xz" CACHE FILEPATH
    "Debian's linux-source-6.1 tarball, for the upstream tests")
function(ukmem_linux_source outvar)
  set(dest ${CMAKE_BINARY_DIR}/linux-6.1)
  if(NOT EXISTS ${UKMEM_LINUX_TARBALL})
    message(STATUS "ukmem: ${UKMEM_LINUX_TARBALL} not found: upstream tests skipped (scripts/setup.sh installs linux-source-6.1)")
    set(${outvar} "" PARENT_SCOPE)
    return()
  endif()
  set(members)
  foreach(f ${ARGN})
    list(APPEND members "linux-source-6.1/${f}")
  endforeach()
  string(SHA1 key "${UKMEM_LINUX_TARBALL};${members}")
  set(stamp ${dest}/.stamp-${key})
  if(NOT EXISTS ${stamp})
    message(STATUS "ukmem: unpacking ${ARGC} path(s) from ${UKMEM_LINUX_TARBALL}")
    file(MAKE_DIRECTORY ${dest})
    execute_process(COMMAND tar -xJf ${UKMEM_LINUX_TARBALL} --wildcards
                            --strip-components=1 -C ${dest} ${members}
                    RESULT_VARIABLE rc ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "ukmem: unpacking ${members} from ${UKMEM_LINUX_TARBALL} failed: ${err}")
    endif()
    file(WRITE ${stamp} "${members}\n")
  endif()
  set(${outvar} ${dest} PARENT_SCOPE)
endfunction()
