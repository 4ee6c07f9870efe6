#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [PATTERN]: boot each QEMU scenario of $SCENARIOS (default
# test/scenarios.list) whose name contains PATTERN (and whose variant is
# $VARIANT, when set), keep its serial log in build/logs/, and print its
# results as TAP lines (appended to $RESULTS as well).  With KX_CONSOLE
# set, the serial log is shown too.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

pattern=${1:-}
mkdir -p "$BUILD/logs"

# run_scenario NAME VARIANT STAGES TIMEOUT [QEMU ARG...]: the QEMU
# arguments come after the variant's machine line, so they override it
# (QEMU takes the last -smp, for one).
run_scenario()
{
	name=$1 variant=$2 stages=$3 tmo=$4
	shift 4
	log_file="$BUILD/logs/$name.log"
	kernel="$(kernel_dir "$variant")/arch/arm/boot/zImage"
	initrd="$BUILD/initramfs/$variant.cpio"
	machine="$(variant_field "$variant" qemu) $*"
	# A board without a QEMU-made device tree: the dtb kernel.sh built.
	dtb=$(variant_field "$variant" dtb)
	[ -z "$dtb" ] ||
		machine="-dtb $(kernel_dir "$variant")/arch/arm/boot/dts/$dtb $machine"
	append="console=ttyAMA0 panic=-1 kunit.enable=1"
	append="$append kxtest.scenario=$name kxtest.stage=1"
	# A fuzzer seed and call count to replay (make check T=fuzz SEED=n).
	append="$append${SEED:+ kxtest.seed=$SEED}${FUZZ_COUNT:+ kxtest.fuzz_count=$FUZZ_COUNT}"

	log "scenario $name on $variant (timeout ${tmo}s)"
	rc=0
	# shellcheck disable=SC2086
	timeout -k 10 "$tmo" qemu-system-arm $machine -nographic -monitor none \
		-nic none -no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "$append" < /dev/null > "$log_file" 2>&1 || rc=$?
	[ -z "${KX_CONSOLE:-}" ] || cat "$log_file" >&2
	awk -v scenario="$name" -v stages="$stages" -v rc="$rc" \
		-f "$top/scripts/parse-log.awk" "$log_file" | tee -a "$RESULTS" || true
}

scenarios_selected "$pattern" |
while read -r name variant stages tmo extra; do
	# shellcheck disable=SC2086
	run_scenario "$name" "$variant" "$stages" "$tmo" $extra
done
