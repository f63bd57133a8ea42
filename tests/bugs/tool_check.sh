#!/bin/sh
# tool_check.sh EXPECT COMMAND...: COMMAND (the buggy run) must print EXPECT on stderr, and
# COMMAND with the argument "fixed" must exit 0 with no report from the tool.
expect=$1; shift
out=$("$@" 2>&1)
if ! printf '%s\n' "$out" | grep -qF -- "$expect"; then
	printf '%s\n' "$out"; echo "FAIL: expected \"$expect\" from the tool"; exit 1
fi
if ! out=$("$@" fixed 2>&1); then
	printf '%s\n' "$out"; echo "FAIL: the fixed run did not exit 0"; exit 1
fi
echo ok
