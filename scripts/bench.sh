#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench.sh [PATTERN]: make bench.  Runs the scenarios of test/bench.list
# on virt-kexec, where the kernel's own kexec and kexec_mod share one
# kernel binary, under QEMU's -icount (guest time counts instructions,
# so the figures repeat), and prints the table of figures, also written
# to build/bench/results.md.  Benchmarks report; they do not judge.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

out="$BUILD/bench"
list="$top/test/bench.list"
mkdir -p "$out" "$BUILD/logs"

sh "$top/scripts/deps.sh"
sh "$top/scripts/kernel.sh" virt-kexec
sh "$top/scripts/initramfs.sh" virt-kexec

: > "$out/runs.tap"
SCENARIOS=$list RESULTS="$out/runs.tap" sh "$top/scripts/run.sh" "${1:-}" >&2
! grep '^not ok' "$out/runs.tap" >&2 || die "a bench run failed, see build/logs/"

grep -v -e '^#' -e '^[[:space:]]*$' "$list" | while read -r name _; do
	sed -n "s/^KXB /$name KXB /p" "$BUILD/logs/$name.log"
done > "$out/figures.txt"

{
	echo "kexec_mod against the in-kernel kexec, virt-kexec kernel," \
		"QEMU -icount shift=0 -smp 1 ($(date -u +%Y-%m-%d))"
	echo
	awk -f "$top/scripts/bench-table.awk" "$out/figures.txt"
} > "$out/results.md"
cat "$out/results.md"
