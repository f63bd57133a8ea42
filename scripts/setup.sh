#!/usr/bin/env bash
# Installs what ukmem needs on Debian 12 (build tools, liburcu, elfutils' libdw, libunwind,
# valgrind, clang for the sanitizer builds and the fuzzer, python3 and universal-ctags for
# the generated first-call test, the allocators the benchmarks compare with, and the Linux 6.1
# source package for the upstream tests).
# Safe to run again: it installs only what is missing.
set -euo pipefail
PACKAGES=(build-essential cmake pkg-config git
          liburcu-dev libdw-dev libelf-dev libunwind-dev
          valgrind clang libclang-rt-14-dev
          python3 universal-ctags
          libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0)
# The Linux 6.1 source tarball (/usr/src/linux-source-6.1.tar.xz): the upstream tests unpack
# the few files they build from it.
PACKAGES+=(linux-source-6.1 xz-utils)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "ukmem setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
