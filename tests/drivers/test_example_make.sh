#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the example driver (examples/acme-trng) out of tree with its Makefile against an
# installed ukmem, as docs/testing-drivers.md tells users to, and runs it; then compiles an
# unmodified upstream driver with the bare user command line (pkg-config's flags and
# KBUILD_MODNAME, nothing else).
# Usage: test_example_make.sh BUILD_DIR SOURCE_DIR [UPSTREAM_FILE]
set -eu
build=$1
src=$2
upstream=${3:-}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_example_make: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name ukmem.pc)
[ -n "$pc" ] || fail "no ukmem.pc installed"
export PKG_CONFIG_PATH="$(dirname "$pc")"
libdir=$(dirname "$(dirname "$pc")")

cp -r "$src/examples/acme-trng" "$tmp/acme-trng"
make -s -C "$tmp/acme-trng" CC="$cc ${UKMEM_TEST_CFLAGS:-}" test_acme_trng >/dev/null ||
	fail "the example does not build with its Makefile"
LD_LIBRARY_PATH="$libdir" "$tmp/acme-trng/test_acme_trng" > "$tmp/out" 2>"$tmp/err" ||
	{ cat "$tmp/err" >&2; fail "the example's test failed"; }
grep -q "all delivered intact" "$tmp/out" || fail "the example printed no result"

if [ -n "$upstream" ]; then
	# shellcheck disable=SC2046
	$cc $(pkg-config --cflags ukmem) -DKBUILD_MODNAME='"hisi_rng"' -c "$upstream" \
		-o "$tmp/upstream.o" || fail "$upstream does not build with the user command"
fi
echo "test_example_make: ok"
