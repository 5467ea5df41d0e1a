#!/bin/sh
# runner.sh SUITE TEST... - run each test, one line per test, and the output
# of the ones that fail.  A test is an executable (unit tests, fuzzers) or a
# shell script (*.sh, run with sh and tests/lib/common.sh available as
# $TESTLIB/common.sh).  Exit status: 0 when every test passed.
suite=$1; shift
top=$(cd "$(dirname "$0")/../.." && pwd)
export TESTLIB="$top/tests/lib" TOP="$top"
pass=0; fail=0; skip=0; failed=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cb-$suite.XXXXXX")
# The tests' projects are their own (under TMPDIR, or the samples): their
# settings may run programs without a record.  Any trust the tests do
# record goes to a store of their own, never the user's.  The trust tests
# unset CROSSBENCH_TRUST to see the question.
export CROSSBENCH_TRUST="${TMPDIR:-/tmp}:$top/samples"
export XDG_DATA_HOME="$tmp/data"
for t in "$@"; do
	[ -e "$t" ] || continue
	name=${t##*/}; name=${name%.sh}
	out="$tmp/$name.out"
	start=$(date +%s)
	case $t in
	*.sh) TESTTMP="$tmp/$name.d" sh -c 'mkdir -p "$TESTTMP" && cd "$TESTTMP" && . "$0"' "$top/$t" >"$out" 2>&1 ;;
	# libFuzzer adds what it finds to its first corpus directory: a
	# scratch one, so the committed seeds stay as they are.  Its crash
	# exit code is 77, which here means "skipped": make it 1.  A crash
	# input is kept with the test's output, never in the source tree.
	*/fuzz_*) mkdir -p "$tmp/$name.corpus" &&
		"$t" -runs="${FUZZ_RUNS:-5000}" -error_exitcode=1 -timeout_exitcode=1 \
			-artifact_prefix="$tmp/$name." \
			"$tmp/$name.corpus" "$top/tests/fuzz/corpus/$name" >"$out" 2>&1 ;;
	*) "$t" >"$out" 2>&1 ;;
	esac
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ $rc = 0 ]; then
		pass=$((pass + 1)); printf '  ok    %-10s %-40s %3ss\n' "$suite" "$name" "$secs"
	elif [ $rc = 77 ]; then
		skip=$((skip + 1)); printf '  skip  %-10s %-40s %s\n' "$suite" "$name" "$(tail -n 1 "$out")"
	else
		fail=$((fail + 1)); failed="$failed $name"
		printf '  FAIL  %-10s %-40s %3ss (exit %s)\n' "$suite" "$name" "$secs" "$rc"
		sed 's/^/        | /' "$out" | tail -n 60
	fi
done
printf '%s: %d passed, %d failed, %d skipped\n' "$suite" "$pass" "$fail" "$skip"
if [ $fail != 0 ]; then
	echo "$suite: failed:$failed (outputs in $tmp)"
	exit 1
fi
rm -rf "$tmp"
exit 0
