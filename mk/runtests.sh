#!/bin/sh
# runtests.sh BUILD: run the kyua suite in BUILD/tests, show failures, and
# end with the line "N passed, N failed"; exit non-zero on any failure.
build=$1
LSAN_OPTIONS="suppressions=$(pwd)/mk/lsan.supp:print_suppressions=0"
export LSAN_OPTIONS
cd "$build/tests" || exit 1
rm -f results.db
kyua test --results-file=results.db >kyua.log 2>&1
kyua report --results-file=results.db --verbose \
    --results-filter=broken,failed >report.txt 2>&1
total=$(kyua report --results-file=results.db \
    --results-filter=passed,skipped,xfail,broken,failed 2>/dev/null |
    sed -n 's/^Test cases: \([0-9]*\) total.*/\1/p')
passed=$(grep -c -- '->  *passed' kyua.log)
skipped=$(grep -c -- '->  *skipped' kyua.log)
xfail=$(grep -c -- '->  *expected_failure' kyua.log)
failed=$(grep -cE -- '->  *(failed|broken)' kyua.log)
grep -E -- '->  *(failed|broken|skipped)' kyua.log
[ "$failed" -gt 0 ] && cat report.txt
echo "test cases: ${total:-?} total, $skipped skipped, $xfail expected failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
