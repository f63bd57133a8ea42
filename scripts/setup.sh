#!/usr/bin/env bash
# Installs what ukmem needs on Debian 12 (build tools, liburcu, elfutils' libdw, libunwind,
# valgrind, clang for the sanitizer builds and the fuzzer, python3 and universal-ctags for
# the generated first-call test, and the allocators the benchmarks compare with).
# Safe to run again: it installs only what is missing.
set -euo pipefail
PACKAGES=(build-essential cmake pkg-config git
          liburcu-dev libdw-dev libelf-dev libunwind-dev
          valgrind clang libclang-rt-14-dev
          python3 universal-ctags
          libjemalloc2 libtcmalloc-minimal4 libmimalloc2.0)
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
