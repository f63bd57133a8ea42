#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the current build tree into a temporary prefix and builds an outside program
# against it three ways: pkg-config (shared), pkg-config --static, and find_package(ukmem).
# Usage: test_install.sh BUILD_DIR   (CC and UKMEM_TEST_CFLAGS may name the compiler and
# extra flags, such as the sanitizer options the library was built with).
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
extra="-Wall -Werror ${UKMEM_TEST_CFLAGS:-}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix
fail() { echo "test_install: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$prefix" >/dev/null
pc=$(find "$prefix" -name ukmem.pc)
[ -n "$pc" ] || fail "no ukmem.pc installed"
libdir=$(dirname "$(dirname "$pc")")
[ -f "$libdir/libukmem.a" ] || fail "no libukmem.a in $libdir"
[ -f "$libdir/libukmem.so" ] || fail "no libukmem.so in $libdir"
[ -f "$prefix/include/ukmem/ukmem.h" ] || fail "no include/ukmem/ukmem.h"
for h in linux/gfp.h linux/mm.h linux/spinlock.h linux/errno.h asm/page.h; do
	[ -f "$prefix/include/ukmem/$h" ] || fail "no include/ukmem/$h"
done
[ ! -e "$prefix/include/linux" ] || fail "something was installed into include/linux"
[ -n "$(find "$prefix" -name ukmemConfig.cmake)" ] || fail "no CMake package"

export PKG_CONFIG_PATH="$(dirname "$pc")"
cflags=$(pkg-config --cflags ukmem)
case " $cflags " in *" -I$prefix/include/ukmem "*) ;; *) fail "cflags lack -I$prefix/include/ukmem: $cflags" ;; esac

# 1. shared, as the README tells users to build
# shellcheck disable=SC2086
$cc $extra $cflags "$here/prog.c" $(pkg-config --libs ukmem) -o "$tmp/prog_shared"
LD_LIBRARY_PATH="$libdir" "$tmp/prog_shared" > "$tmp/out_shared" || fail "shared program failed"
grep -q "ukmem consumer: ok" "$tmp/out_shared" || fail "shared program printed no result"
LD_LIBRARY_PATH="$libdir" ldd "$tmp/prog_shared" | grep -q "$libdir/libukmem.so" ||
	fail "shared program does not use the installed libukmem.so"

# 2. static: the archive, with the private libraries pkg-config --static adds
libs=$(pkg-config --libs --static ukmem | sed 's/-lukmem\b/-l:libukmem.a/')
# shellcheck disable=SC2086
$cc $extra $(pkg-config --cflags --static ukmem) "$here/prog.c" $libs -o "$tmp/prog_static"
if readelf -d "$tmp/prog_static" | grep -q "libukmem.so"; then fail "static program needs libukmem.so"; fi
"$tmp/prog_static" > "$tmp/out_static" || fail "static program failed"
grep -q "ukmem consumer: ok" "$tmp/out_static" || fail "static program printed no result"

# 3. find_package(ukmem) in a CMake project
cmake -S "$here/consumer" -B "$tmp/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
	-DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$extra" -DCMAKE_EXE_LINKER_FLAGS="$extra" >/dev/null
cmake --build "$tmp/consumer" >/dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/consumer/consumer_shared" | grep -q "ukmem consumer: ok" ||
	fail "find_package shared program failed"
"$tmp/consumer/consumer_static" | grep -q "ukmem consumer: ok" || fail "find_package static program failed"
echo "test_install: ok (pkg-config shared, pkg-config --static, find_package)"
