#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftest-runner.sh: the log parser must fail every made-up broken log in
# test/runner/ (a failing test, a kernel WARNING, an Oops, a KASAN or
# kmemleak report, a panic, a missing or wrong end marker, a timeout, no
# results) and pass the good one.  Prints one TAP line per log.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

for f in "$top"/test/runner/*.log; do
	name=$(basename "$f" .log)
	rc=0
	case "$name" in *timeout*) rc=124 ;; esac
	verdict=pass
	awk -v scenario=demo -v stages=2 -v rc="$rc" \
		-f "$top/scripts/parse-log.awk" "$f" > /dev/null || verdict=fail
	case "$name" in
	"$verdict"-*) tap_result ok "host/runner.$name" ;;
	*) tap_result fail "host/runner.$name" "judged $verdict" ;;
	esac
done
