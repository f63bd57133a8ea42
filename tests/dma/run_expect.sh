#!/bin/sh
# run_expect.sh RC PATTERN... -- COMMAND [ARG...]
# Runs COMMAND and passes when it exits with status RC and its output (stdout and stderr
# together) matches every extended regular expression PATTERN.  The output is shown.
rc_want=$1
shift
n=0
while [ "$1" != "--" ]; do
	n=$((n + 1))
	eval "pat_$n=\$1"
	shift
done
shift
out=$("$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ "$rc" != "$rc_want" ]; then
	echo "run_expect: exit status $rc, expected $rc_want"
	exit 1
fi
i=1
while [ $i -le $n ]; do
	eval "pat=\$pat_$i"
	if ! printf '%s\n' "$out" | grep -Eq -- "$pat"; then
		echo "run_expect: no line matches: $pat"
		exit 1
	fi
	i=$((i + 1))
done
