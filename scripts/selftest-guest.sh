#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest-guest.sh: the guest's checks that an empty or short run fails,
# run on the host on made-up input (test/runner/kunit/, test/runner/fuzz/
# and programs written here), with the very functions the guest sources
# from test/initramfs/kxtest.sh; and scripts/kunit-expect.sh, which writes
# the KUnit expectation the guest holds KUnit's report to.  A pass-* input
# must give no "KXT not ok" line; a fail-* input must give the line its
# entry below names, so that it fails for the reason it was made for.
# Prints one TAP line per case; run by selftest-runner.sh.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
# shellcheck source=../test/initramfs/kxtest.sh
. "$top/test/initramfs/kxtest.sh"

runner=$top/test/runner
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# judge NAME OUTPUT WANT: WANT "pass" asks OUTPUT for a "KXT ok" line and
# no "KXT not ok" line; any other WANT is an ERE a line of OUTPUT must
# match.
judge()
{
	if [ "$3" = pass ]; then
		if grep -q '^KXT not ok ' "$2"; then
			tap_result fail "$1" "$(grep -m 1 '^KXT not ok ' "$2" | tr -d '#')"
		elif ! grep -q '^KXT ok ' "$2"; then
			tap_result fail "$1" "no KXT ok line"
		else
			tap_result ok "$1"
		fi
	elif [ -z "$3" ]; then
		tap_result fail "$1" "no verdict declared for it in selftest-guest.sh"
	elif grep -q -E -e "$3" "$2"; then
		tap_result ok "$1"
	else
		tap_result fail "$1" "no line matches $(echo "$3" | tr -d '#')"
	fi
}

# --- scripts/kunit-expect.sh: counts from the sources -------------------

k=$runner/kunit
# The made-up sources: two suites in one file, one in another whose case
# array has the same static name, commented-out cases, a parameterised
# case.
if (cd "$k" && sh "$top/scripts/kunit-expect.sh" suites.c.in more.c.in) > "$tmp/expect" 2> "$tmp/err" &&
   cmp -s "$tmp/expect" "$k/suites.expect"; then
	tap_result ok host/runner.kunit-expect.fixture
else
	tap_result fail host/runner.kunit-expect.fixture "$(head -n 1 "$tmp/err") output differs from suites.expect"
fi
# Sources it cannot count for sure must stop it, not be guessed at.
for bad in "$k"/bad-*.c.in; do
	name=host/runner.kunit-expect.$(basename "$bad" .c.in)
	if sh "$top/scripts/kunit-expect.sh" "$bad" > /dev/null 2>&1; then
		tap_result fail "$name" "accepted"
	else
		tap_result ok "$name"
	fi
done
# The repository's own KUnit sources, whatever they are named today.
if sh "$top/scripts/kunit-expect.sh" > "$tmp/sources" 2> "$tmp/err" &&
   grep -q -E '^[A-Za-z0-9_]+ [1-9][0-9]*$' "$tmp/sources"; then
	tap_result ok host/runner.kunit-expect.sources
else
	tap_result fail host/runner.kunit-expect.sources "$(head -n 1 "$tmp/err")"
fi

# --- kxt_kunit_check: KUnit's KTAP held to suites.expect -----------------

kunit_want()
{
	case "$1" in
	pass-*) echo pass ;;
	fail-case-not-ok)
		echo '^KXT not ok kunit\.demo_staging\.staging_swap$' ;;
	fail-missing-suite)
		echo '^KXT not ok kunit\.demo_checks\.complete # no "# Subtest: demo_checks"' ;;
	fail-kunit-disabled)
		echo '^KXT not ok kunit\.demo_ranges\.complete # no "# Subtest: demo_ranges"' ;;
	fail-missing-plan)
		echo '^KXT not ok kunit\.demo_staging\.complete # no 1\.\.N plan' ;;
	fail-short-plan)
		echo '^KXT not ok kunit\.demo_ranges\.complete # plan 1\.\.2, the sources have 3 ' ;;
	fail-few-results)
		echo '^KXT not ok kunit\.demo_ranges\.complete # 2 result\(s\) for plan 1\.\.3$' ;;
	fail-no-suite-end)
		echo '^KXT not ok kunit\.demo_checks\.complete # no result line for the suite' ;;
	fail-unexpected-suite)
		echo '^KXT not ok kunit\.demo_new\.complete # suite not in ' ;;
	esac
}

for f in "$k"/*.dmesg; do
	name=$(basename "$f" .dmesg)
	kxt_kunit_check "$k/suites.expect" < "$f" > "$tmp/out"
	judge "host/runner.kunit.$name" "$tmp/out" "$(kunit_want "$name")"
done
# No expectation at all (the initramfs has none): nothing is checked.
kxt_kunit_check "$tmp/none" < "$k/pass-6.1.dmesg" > "$tmp/out"
judge host/runner.kunit.fail-no-expectation "$tmp/out" '^KXT not ok kunit\.expect # '

# --- kxt_run_ksft_all: the kselftest programs the sources have -----------

# prog DIR NAME TAP...: a stand-in kselftest program printing TAP lines.
prog()
{
	mkdir -p "$1"
	p=$1/$2
	shift 2
	printf '#!/bin/sh\n' > "$p"
	for l; do
		printf "echo '%s'\n" "$l" >> "$p"
	done
	chmod +x "$p"
}

d=$tmp/ksft-pass
prog "$d" load_test 'TAP version 13' '1..2' 'ok 1 global.a' 'ok 2 global.b'
# Left over from a removed test: it fails if run, and must not be.
prog "$d" old_test '1..1' 'not ok 1 global.stale'
echo load_test > "$tmp/ksft.expect"
kxt_run_ksft_all "$d" "$tmp/ksft.expect" > "$tmp/out"
judge host/runner.ksft.pass "$tmp/out" pass

# The programs are missing from the initramfs.
mkdir -p "$tmp/ksft-empty"
printf 'device_test\nload_test\n' > "$tmp/ksft.expect"
kxt_run_ksft_all "$tmp/ksft-empty" "$tmp/ksft.expect" > "$tmp/out"
judge host/runner.ksft.fail-empty "$tmp/out" '^KXT not ok load_test\.complete # no program '

# No list of programs: the scenario would run nothing.
kxt_run_ksft_all "$d" "$tmp/none" > "$tmp/out"
judge host/runner.ksft.fail-no-expectation "$tmp/out" '^KXT not ok selftests\.programs # '

# A program that plans no test.
prog "$tmp/ksft-zero" zero_test 'TAP version 13' '1..0'
echo zero_test > "$tmp/ksft.expect"
kxt_run_ksft_all "$tmp/ksft-zero" "$tmp/ksft.expect" > "$tmp/out"
judge host/runner.ksft.fail-plan-zero "$tmp/out" "^KXT not ok zero_test\\.complete # plan '0'"

# --- kxt_fuzz_calls: the fuzzer made the calls asked for -----------------

fuzz_want()
{
	case "$1" in
	pass*) echo pass ;;
	fail-zero-calls) echo '^KXT not ok fuzz\.calls # the fuzzer made 0 calls$' ;;
	fail-no-count) echo '^KXT not ok fuzz\.calls # no .# N calls in. line' ;;
	fail-count-differs) echo '^KXT not ok fuzz\.calls # the fuzzer made 2000 calls, 25000 ' ;;
	esac
}

for f in "$runner"/fuzz/*.out; do
	name=$(basename "$f" .out)
	# The count the made-up outputs were asked for: 25 000 calls.
	kxt_fuzz_calls fuzz.calls 25000 < "$f" > "$tmp/out"
	judge "host/runner.fuzz.$name" "$tmp/out" "$(fuzz_want "$name")"
done

# --- kxt_step: set-up steps are diagnostics, yet their failure fails -----

kxt_step stage1.insmod true > "$tmp/out"
if grep -q '^KXT # step ok: stage1\.insmod$' "$tmp/out" &&
   ! grep -q '^KXT \(not \)\{0,1\}ok ' "$tmp/out"; then
	tap_result ok host/runner.step.pass-is-no-result
else
	tap_result fail host/runner.step.pass-is-no-result "$(head -n 1 "$tmp/out")"
fi
kxt_step stage1.insmod false > "$tmp/out"
judge host/runner.step.fail-is-a-failure "$tmp/out" '^KXT not ok stage1\.insmod # failed: false$'
