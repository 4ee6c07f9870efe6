#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [PATTERN]: boot each QEMU scenario of test/scenarios.list whose
# name contains PATTERN, keep its serial log in build/logs/, and print its
# results as TAP lines (appended to $RESULTS as well).  With KX_CONSOLE
# set, the serial log is shown too.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

pattern=${1:-}
mkdir -p "$BUILD/logs"

# run_scenario NAME VARIANT STAGES TIMEOUT
run_scenario()
{
	log_file="$BUILD/logs/$1.log"
	kernel="$(kernel_dir "$2")/arch/arm/boot/zImage"
	initrd="$BUILD/initramfs/$2.cpio"
	machine=$(variant_field "$2" qemu)
	append="console=ttyAMA0 panic=-1 kunit.enable=1 kxtest.scenario=$1 kxtest.stage=1"

	log "scenario $1 on $2 (timeout ${4}s)"
	rc=0
	# shellcheck disable=SC2086
	timeout -k 10 "$4" qemu-system-arm $machine -nographic -monitor none -nic none \
		-no-reboot -kernel "$kernel" -initrd "$initrd" \
		-append "$append" < /dev/null > "$log_file" 2>&1 || rc=$?
	[ -z "${KX_CONSOLE:-}" ] || cat "$log_file" >&2
	awk -v scenario="$1" -v stages="$3" -v rc="$rc" \
		-f "$top/scripts/parse-log.awk" "$log_file" | tee -a "$RESULTS" || true
}

grep -v -e '^#' -e '^[[:space:]]*$' "$top/test/scenarios.list" |
while read -r name variant stages tmo; do
	case "$name" in
	*"$pattern"*) run_scenario "$name" "$variant" "$stages" "$tmo" ;;
	esac
done
