#!/bin/sh
# runtests.sh BUILD: run the kyua suite in BUILD/tests, show what did not
# pass, and end with the line "N passed, N failed" (broken tests count as
# failed); exit non-zero on any failure or when nothing ran.
build=$1
LSAN_OPTIONS="suppressions=$(pwd)/mk/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS
cd "$build/tests" || exit 1
db=$(mktemp "$PWD/results.XXXXXX.db")
trap 'rm -f "$db"' EXIT
kyua test --results-file="$db" >kyua.log 2>&1
kyua report --results-file="$db" --verbose \
    --results-filter=broken,failed >report.txt 2>&1
summary=$(kyua report --results-file="$db" --results-filter= 2>/dev/null |
    grep '^Test cases:')
n() {	# n WORD: the number before WORD in the summary line
	echo "$summary" | sed -n "s/.* \([0-9][0-9]*\) $1.*/\1/p"
}
total=$(echo "$summary" | sed -n 's/^Test cases: \([0-9]*\) total.*/\1/p')
if [ -z "$total" ]; then
	tail -5 kyua.log
	echo "0 passed, 1 failed"
	exit 1
fi
skipped=$(n skipped)
xfail=$(n expected)
broken=$(n broken)
failed=$(($(n failed) + broken))
passed=$((total - skipped - xfail - failed))
kyua report --results-file="$db" --results-filter=skipped,broken,failed \
    2>/dev/null | grep -- '->'
[ "$failed" -gt 0 ] && cat report.txt
echo "test cases: $total total, $skipped skipped, $xfail expected failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
