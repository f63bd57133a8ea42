#!/bin/sh
# SPDX-License-Identifier: MIT
# The KUnit walk-through of docs/testing-drivers.md, run as a user would: in a copy of
# examples/acme-trng against an installed ukmem, every command the page shows (each must still
# be a line of the page, word for word) and every output it shows (compared with the page's
# blocks marked <!-- output: NAME -->).  Built with sanitizers (UKMEM_TEST_CFLAGS), a bug case
# may be caught differently (ASan's own red zones), so only the verdict lines are compared.
# Usage: test_example_kunit.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
doc=$src/docs/testing-drivers.md
cc=${CC:-cc}
cflags=${UKMEM_TEST_CFLAGS:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "test_example_kunit: FAIL: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
pc=$(find "$tmp/prefix" -name ukmem-kunit.pc)
[ -n "$pc" ] || fail "no ukmem-kunit.pc installed"
PKG_CONFIG_PATH="$(dirname "$pc")"
LD_LIBRARY_PATH="$(dirname "$(dirname "$pc")")"
export PKG_CONFIG_PATH LD_LIBRARY_PATH
cp -r "$src/examples/acme-trng" "$tmp/ex"
cd "$tmp/ex"

# run CMD: CMD is a line of the page; it runs here (cc as the build's compiler), with its
# stdout in $tmp/out, its stderr in $tmp/err and its exit status in $status.
run() {
	grep -qxF -- "$1" "$doc" || fail "no longer in docs/testing-drivers.md: $1"
	cmd=$(printf '%s\n' "$1" | sed "s|^cc |$cc $cflags |")
	status=0
	eval "$cmd" > "$tmp/out" 2> "$tmp/err" || status=$?
}
# expect NAME: stdout is the page's block NAME.
expect() {
	awk -v mark="<!-- output: $1 -->" '
		$0 == mark { found = 1; next }
		found && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$doc" > "$tmp/expected"
	[ -s "$tmp/expected" ] || fail "the page has no output block $1"
	if [ -n "$cflags" ] && [ "$1" = bugs ]; then
		grep -E '^ *(not )?ok |pass:' "$tmp/expected" > "$tmp/e2"
		grep -E '^ *(not )?ok |pass:' "$tmp/out" > "$tmp/o2" || true
		diff "$tmp/e2" "$tmp/o2" || fail "the verdicts of '$1' differ from the page"
	else
		diff "$tmp/expected" "$tmp/out" || { cat "$tmp/err" >&2; fail "'$1' differs from the page"; }
	fi
}

run "cc \$(pkg-config --cflags ukmem) -DKBUILD_MODNAME='\"acme_trng\"' -c acme-trng.c"
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the driver does not build"; }
run 'cc $(pkg-config --cflags ukmem) -c acme-model.c acme_trng_kunit.c'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the suite does not build"; }
run 'cc -o acme_trng_kunit acme-trng.o acme-model.o acme_trng_kunit.o $(pkg-config --libs ukmem-kunit)'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the suite does not link"; }

run './acme_trng_kunit'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the suite failed (status $status)"; }
expect run
run './acme_trng_kunit --list'
[ $status = 0 ] || fail "--list: status $status"
expect list
run "./acme_trng_kunit --filter='acme_trng.*read*'"
[ $status = 0 ] || fail "--filter: status $status"
expect filter
run 'UKMEM_CMDLINE=kunit.filter_glob=acme_trng.acme_probe_test ./acme_trng_kunit'
[ $status = 0 ] || fail "kunit.filter_glob: status $status"
grep -qx '    1\.\.1' "$tmp/out" && grep -qx '    ok 1 acme_probe_test' "$tmp/out" ||
	fail "kunit.filter_glob= did not pick the one case"

run './acme_trng_kunit --fail-sweep failslab.verbose=0 fail_page_alloc.verbose=0'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "--fail-sweep: status $status"; }
expect run
[ "$(grep -c '^ukmem_fail_sweep: [0-9]* runs, 0 leaked$' "$tmp/err")" = 3 ] ||
	{ cat "$tmp/err" >&2; fail "--fail-sweep: not one clean sweep per case"; }
grep -qxF 'acme-trng: probe of fe100000.trng failed with error -12' "$tmp/err" ||
	fail "--fail-sweep: no failed probe on stderr"
if [ -z "$cflags" ]; then
	grep -qxF 'ukmem_fail_sweep: 13 runs, 0 leaked' "$tmp/err" ||
		fail "--fail-sweep: the page's example line is not in the output"
fi

run 'cc $(pkg-config --cflags ukmem) -DACME_SHOW_FAILURES -c acme_trng_kunit.c -o acme_trng_kunit_bugs.o'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the bug cases do not build"; }
run 'cc -o acme_trng_kunit_bugs acme-trng.o acme-model.o acme_trng_kunit_bugs.o $(pkg-config --libs ukmem-kunit)'
[ $status = 0 ] || { cat "$tmp/err" >&2; fail "the bug cases do not link"; }
run './acme_trng_kunit_bugs'
[ $status = 1 ] || fail "the bug cases: status $status, not 1"
expect bugs
if [ -z "$cflags" ]; then
	grep -qF 'BUG: KASAN: slab-out-of-bounds in acme_bug_out_of_bounds' "$tmp/err" ||
		fail "the out-of-bounds case's report is not on stderr"
fi
echo "test_example_kunit: ok"
