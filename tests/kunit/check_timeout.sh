#!/bin/sh
# A case that hangs is killed after kunit.timeout seconds and reported with 6.1's lines
# ("try timed out", "test case timed out"); the run goes on with the next case.
set -u
prog=$1
out=$(mktemp); trap 'rm -f "$out"' EXIT
fail() { echo "FAIL: $*"; echo "---- output ----"; cat "$out"; exit 1; }
expect() { grep -qxF -- "$1" "$out" || fail "missing line: '$1'"; }

"$prog" kunit.timeout=1 >"$out" 2>/dev/null; rc=$?
[ $rc -eq 1 ] || fail "exit status $rc, expected 1"
for l in '    ok 1 before_hang' '    # hangs: try timed out' '    # hangs: test case timed out' \
         '    not ok 2 hangs' '    ok 3 after_hang' '# kunit_timeout: pass:2 fail:1 skip:0 total:3' \
         'not ok 1 kunit_timeout'; do
  expect "$l"
done
"$prog" kunit.timeout=x >"$out" 2>&1; [ $? -eq 2 ] || fail "a bad kunit.timeout must exit 2"
grep -q "kunit.timeout=x" "$out" || fail "bad parameter not named"
echo "KUnit timeout: all checks passed"
