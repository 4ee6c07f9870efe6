#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-bench-guard.sh: make check's bench guard, after scripts/run.sh.
# The bench-* scenarios of test/scenarios.list are a short make bench (a
# 16 MiB image instead of 64); from their serial logs, fail when
# kexec_mod's load or relocation figure exceeds the in-kernel kexec's
# (ratio above 1.0), so a slowdown cannot land silently; and hold the
# module's own figures to the checked-in test/bench-baseline, so that it
# cannot lose a large part of its lead unnoticed either.  One TAP line
# per figure; none for a figure whose scenarios did not run in this
# check.  Exits non-zero when a figure failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

# The large image of the guard's scenarios, as in their names.
mib=16
figures="$BUILD/logs/bench-guard.figures"
table="$BUILD/logs/bench-guard.tsv"
failed=0

# selected NAME: the scenario ran in this check, whatever its outcome.
selected()
{
	grep -Fq -e "ok - $1/" "$RESULTS"
}

# completed NAME: the scenario ran in this check and reached its end.
completed()
{
	grep -Fqx -e "ok - $1/boot.end-marker" "$RESULTS"
}

# guard NAME FIGURE SCENARIO...: check FIGURE, a row of
# scripts/bench-table.awk, from the logs of the SCENARIOs.
guard()
{
	name=host/bench-guard.$1 figure=$2
	shift 2
	ran=0 missing=
	for s in "$@"; do
		! selected "$s" || ran=1
		completed "$s" || missing="$missing $s"
	done
	[ "$ran" = 1 ] || return 0
	if [ -n "$missing" ]; then
		tap_result skip "$name" "did not complete:$missing"
		return 0
	fi

	for s in "$@"; do
		sed -n "s/^KXB /$s KXB /p" "$BUILD/logs/$s.log"
	done > "$figures"
	awk -v big="$mib" -v format=tsv -f "$top/scripts/bench-table.awk" \
		"$figures" > "$table" || true
	row=$(awk -F '\t' -v f="$figure" '$1 == f' "$table")
	log "bench guard: $(echo "$row" | tr '\t' ' ')"
	ratio=$(echo "$row" | cut -f4)
	if [ -z "$ratio" ] || [ "$ratio" = missing ]; then
		tap_result fail "$name" "no figure \"$figure\" in the logs"
		failed=1
	elif awk -v r="$ratio" 'BEGIN { exit !(r <= 1.0) }'; then
		tap_result ok "$name"
	else
		tap_result fail "$name" "module/in-kernel $ratio > 1.0"
		failed=1
	fi
}

# memory: the module's own figures, from every guard scenario, against
# the checked-in test/bench-baseline, one result a figure: more than 2 %
# slower fails, however the in-kernel kexec compares.  The figures just
# measured are written in the baseline's format to
# build/logs/bench-baseline.new, for a deliberate update (testing.rst).
memory()
{
	all="bench-load.1.$mib bench-reboot.kernel.0 bench-reboot.kernel.$mib
	     bench-reboot.module.0 bench-reboot.module.$mib
	     bench-reboot.module.0.mmu-off bench-reboot.module.$mib.mmu-off"
	ran=0 missing=
	for s in $all; do
		! selected "$s" || ran=1
		completed "$s" || missing="$missing $s"
	done
	[ "$ran" = 1 ] || return 0
	if [ -n "$missing" ]; then
		tap_result skip host/bench-guard.baseline "did not complete:$missing"
		return 0
	fi

	for s in $all; do
		sed -n "s/^KXB /$s KXB /p" "$BUILD/logs/$s.log"
	done > "$figures.all"
	awk -v big="$mib" -v format=tsv -f "$top/scripts/bench-table.awk" \
		"$figures.all" > "$table.all" || true
	awk -F '\t' '$3 != "-" && $1 !~ /MiB\/s|overhead/ { print $1 "\t" $3 }' \
		"$table.all" > "$BUILD/logs/bench-baseline.new"
	awk -f "$top/scripts/bench-compare.awk" "$top/test/bench-baseline" \
		"$table.all" > "$compared" || true
	while IFS="$(printf '\t')" read -r head measured base change; do
		figure=${head#ok }
		figure=${figure#not ok }
		slug=$(echo "$figure" | tr '[:upper:]' '[:lower:]' | sed 's/[^a-z0-9]\{1,\}/-/g; s/-$//')
		case "$head" in
		ok\ *)
			log "bench baseline: $figure $measured against $base ($change)"
			tap_result ok "host/bench-guard.baseline.$slug"
			;;
		*)
			tap_result fail "host/bench-guard.baseline.$slug" \
				"$measured against $base: $change"
			failed=1
			;;
		esac
	done < "$compared"
}

compared="$BUILD/logs/bench-guard.compared"
guard load "load, $mib MiB image (ns)" "bench-load.1.$mib"
guard relocation "relocation per MiB (ns)" \
	bench-reboot.kernel.0 "bench-reboot.kernel.$mib" \
	bench-reboot.module.0 "bench-reboot.module.$mib"
memory
exit $failed
