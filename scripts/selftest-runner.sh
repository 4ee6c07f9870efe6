#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest-runner.sh: the log parser must fail every made-up broken log in
# test/runner/ (a failing test, a kernel report of each detector, a
# missing or wrong end marker, a timeout, no results) and pass the good
# ones, near misses included.  Prints one TAP line per log, then the
# same for the bench guard's baseline comparison, then runs
# selftest-guest.sh, the same for the guest's own checks.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

for f in "$top"/test/runner/*.log; do
	name=$(basename "$f" .log)
	# QEMU's exit status as run-one.sh's `timeout -k 10` leaves it: 124
	# when the timeout stopped it, 137 when it had to be killed.
	rc=0
	case "$name" in
	*timeout137*) rc=137 ;;
	*timeout*) rc=124 ;;
	esac
	# A name with "reset" is a scenario that ends in a reset
	# (runner:reset), one with "xpanic" expects kxtestdev's panic.
	reset=0 panic=
	case "$name" in *reset*) reset=1 ;; esac
	case "$name" in *xpanic*) panic=kxtestdev ;; esac
	verdict=pass
	out=$(awk -v scenario=demo -v stages=2 -v rc="$rc" \
		-v reset="$reset" -v panic="$panic" \
		-f "$top/scripts/parse-log.awk" "$f") || verdict=fail
	# fail-detect-DETECTOR[.more].log holds one kind of kernel report:
	# log.clean must name DETECTOR, so that the report is caught by its
	# own pattern and not only by a "WARNING:" or "BUG:" it also prints.
	why=
	case "$name" in
	fail-detect-*)
		det=${name#fail-detect-}
		det=${det%%.*}
		echo "$out" | grep -q -E "^not ok - demo/log\\.clean # .*[(, ]${det}[,)]" ||
			why="log.clean did not name $det"
		;;
	esac
	case "$name" in
	"$verdict"-*)
		if [ -z "$why" ]; then
			tap_result ok "host/runner.$name"
		else
			tap_result fail "host/runner.$name" "$why"
		fi
		;;
	*) tap_result fail "host/runner.$name" "judged $verdict" ;;
	esac
done

# The bench guard's comparison with test/bench-baseline, on made-up
# tables held to a made-up baseline: a figure over 2 % slower, one not
# measured or absent must fail; an empty baseline must fail too.
bench=$top/test/runner/bench
for f in "$bench"/*.tsv; do
	name=$(basename "$f" .tsv)
	verdict=pass
	awk -f "$top/scripts/bench-compare.awk" "$bench/baseline" "$f" \
		> /dev/null || verdict=fail
	case "$name" in
	"$verdict"-*) tap_result ok "host/runner.bench.$name" ;;
	*) tap_result fail "host/runner.bench.$name" "judged $verdict" ;;
	esac
done
if awk -f "$top/scripts/bench-compare.awk" /dev/null "$bench/pass-same.tsv" \
	> /dev/null; then
	tap_result fail host/runner.bench.fail-empty-baseline "judged pass"
else
	tap_result ok host/runner.bench.fail-empty-baseline
fi

# Its own failures are TAP lines; a script that stops short is one too.
sh "$top/scripts/selftest-guest.sh" ||
	tap_result fail host/runner.guest "selftest-guest.sh stopped (exit $?)"
