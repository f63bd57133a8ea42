#!/bin/sh
# Runs the KUnit self-test program and checks its KTAP: every line the kernel's runner would
# print for these suites, each failing case reported "not ok", nothing run after a failed
# assertion, the filter and list actions, and the exit status.
set -u
prog=$1
build=${2:-plain}	# asan: the program is built with AddressSanitizer
out=$(mktemp); trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; echo "---- output ----"; cat "$out"; exit 1; }
expect() { grep -qxF -- "$1" "$out" || fail "missing line: '$1'"; }

"$prog" >"$out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, expected 1 (a suite failed)"
head -2 "$out" | tr '\n' '|' | grep -qxF 'KTAP version 1|1..5|' || fail "header"
for l in '    KTAP version 1' '    # Subtest: kunit_api' '    1..7' '    ok 1 api_expectations' \
         '    ok 2 api_managed_memory' '    ok 3 api_resources' '    ok 4 api_actions' \
         '        KTAP version 1' '        # Subtest: api_params' '        ok 1 1 squared' \
         '        ok 3 3 squared' '    # api_params: pass:3 fail:0 skip:0 total:3' \
         '    ok 5 api_params' '    ok 6 api_skip # SKIP nothing to see' \
         '    # api_current: an info line' '    ok 7 api_current' \
         '# kunit_api: pass:6 fail:0 skip:1 total:7' '# Totals: pass:8 fail:0 skip:1 total:9' \
         'ok 1 kunit_api' '    # Subtest: kunit_failures' '    1..9' \
         '    Expected x == 6, but' '        x == 5' \
         '    not ok 1 fail_expect' '    not ok 2 fail_assert' '    not ok 3 fail_crash' \
         '    not ok 4 fail_leak' '    not ok 5 fail_vmalloc_leak' '    not ok 6 fail_report' \
         '    not ok 7 fail_uaf_write' '    not ok 8 fail_bad_kfree' '    not ok 9 fail_current' \
         '# kunit_failures: pass:0 fail:9 skip:0 total:9' 'not ok 2 kunit_failures' \
         '    # Subtest: kunit_second_file' '    ok 1 second_file_case' \
         '    ok 1 sweep_clean' '    ok 2 sweep_leaky'; do
  expect "$l"
done
grep -q '^    # fail_expect: EXPECTATION FAILED at .*kunit_selftest.c:[0-9]*$' "$out" || fail "expectation prologue"
grep -q '^    # fail_assert: ASSERTION FAILED at ' "$out" || fail "assertion prologue"
grep -qx 'ok [345] kunit_second_file' "$out" || fail "second file's suite"
grep -qx 'ok [345] kunit_sweep' "$out" || fail "sweep suite"
# A failed suite_init: 6.1's doubled prefix, no header, no case run, the suite not ok.
expect '    # kunit_bad_init:     # failed to initialize (-5)'
grep -qx 'not ok [345] kunit_bad_init' "$out" || fail "bad-init suite"
grep -q 'Subtest: kunit_bad_init' "$out" && fail "bad-init suite printed a header"
grep -q 'MUST NOT PRINT' "$out" && fail "code after a failed assertion ran"
grep -q '^    # fail_leak: leak: 1 slab object' "$out" || fail "leak message"
# 6.1's texts: NULL expanded, %pe formatted as the kernel does, kunit_kfree's failure.
expect '    Expected p == ((void *)0), but'; expect 'got -ENOMEM'; expect 'failed with -EINVAL'
grep -q '^    # fail_bad_kfree: EXPECTATION FAILED at src/kunit/test.c:[0-9]*$' "$out" || fail "kunit_kfree prologue"
[ "$(grep -c '^kunit_kfree: [0-9a-f]\{16\} already freed or not allocated by kunit$' "$out")" -eq 2 ] || fail "kunit_kfree message"
grep -q 'other_freed to be false' "$out" && fail "kunit_kfree released a resource that was not kunit_kmalloc memory"
if [ "$build" = asan ]; then
	expect "    # fail_uaf_write: the test's process exited with status 1 before finishing"
else
	expect '    # fail_uaf_write: ukmem printed 1 report(s) during the test'
fi

# Filter (both spellings) and list.
"$prog" "kunit.filter_glob=kunit_api.api_p*" >"$out" 2>/dev/null || fail "filtered run failed"
expect '1..1'; expect '    1..1'; expect '    ok 1 api_params'; expect 'ok 1 kunit_api'
"$prog" --filter='kunit_*file' >"$out" 2>/dev/null || fail "--filter run failed"
expect 'ok 1 kunit_second_file'
grep -q 'kunit_api' "$out" && fail "--filter kept another suite"
"$prog" kunit.action=list >"$out" 2>/dev/null || fail "list failed"
[ "$(wc -l <"$out")" -eq 21 ] || fail "list: expected the header and 20 cases"
expect 'KTAP version 1'; expect 'kunit_api.api_params'; expect 'kunit_failures.fail_crash'
UKMEM_CMDLINE="kunit.action=list kunit.filter_glob=*.fail_c*" "$prog" >"$out" 2>/dev/null || fail "env list failed"
[ "$(wc -l <"$out")" -eq 3 ] || fail "filtered list from UKMEM_CMDLINE"
# Without forking: the same results for cases that do not crash.
"$prog" --no-fork --filter='kunit_failures.fail_[elr]*' >"$out" 2>/dev/null
expect '    not ok 1 fail_expect'; expect '    not ok 2 fail_leak'; expect '    not ok 3 fail_report'
"$prog" --bogus >"$out" 2>&1; [ $? -eq 2 ] || fail "a bad option must exit 2"
"$prog" kunit.action=dance >"$out" 2>&1; [ $? -eq 2 ] || fail "a bad kunit.action must exit 2"
grep -q "kunit.action=dance" "$out" || fail "bad parameter not named"
# Fail sweep: each case under ukmem_fail_sweep; the error-path leak is caught.
"$prog" --fail-sweep --filter='kunit_sweep' >"$out" 2>/dev/null; [ $? -eq 1 ] || fail "sweep: exit status"
expect '    ok 1 sweep_clean'; expect '    not ok 2 sweep_leaky'; expect '    # sweep_leaky: fail sweep: 1 run(s) leaked'
"$prog" kunit.fail_sweep=1 "kunit.filter_glob=kunit_api.api_[emr]*" >"$out" 2>/dev/null || fail "sweep of passing cases"
expect '    ok 1 api_expectations'; expect '    ok 2 api_managed_memory'; expect '    ok 3 api_resources'
echo "KUnit self-test: all checks passed"
