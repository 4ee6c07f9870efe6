#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run-one.sh NAME VARIANT STAGES TIMEOUT [QEMU ARG...]: boot one scenario
# (one line of a scenario list), keep its serial log in
# build/logs/NAME.log and print its results as TAP lines, appended to
# $RESULTS as well.  The QEMU arguments come after the variant's machine
# line, so they override it (QEMU takes the last -smp, for one); an
# argument of the form kernel:WORD is not QEMU's but a word for the first
# kernel's command line (kernel:maxcpus=1); runner:reset and
# runner:panic=PREFIX tell the log's judge that the scenario ends in a
# reset of the board, and after a panic (see parse-log.awk);
# runner:debian boots the guest with the Debian root filesystem
# (debian-rootfs.sh) and the packages of build/debs (see debian_disks).
# With KX_CONSOLE set, the serial log is shown too.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

name=$1 variant=$2 stages=$3 tmo=$4
shift 4
log_file="$BUILD/logs/$name.log"
# The kernel build (and initramfs) the variant boots, maybe another's.
build=$(kernel_of "$variant")
kdir=$(kernel_dir "$build")
kernel="$kdir/arch/arm/boot/zImage"
initrd="$BUILD/initramfs/$build.cpio"
qemu_args='' kernel_args='' reset=0 panic='' debian=0
for arg; do
	case "$arg" in
	kernel:*) kernel_args="$kernel_args ${arg#kernel:}" ;;
	runner:reset) reset=1 ;;
	runner:debian) debian=1 ;;
	runner:panic=*) panic=${arg#runner:panic=} ;;
	*) qemu_args="$qemu_args $arg" ;;
	esac
done
machine="$(variant_field "$variant" qemu)$qemu_args"
# A board without a QEMU-made device tree: the dtb kernel.sh built.
dtb=$(variant_field "$variant" dtb)
[ -z "$dtb" ] ||
	machine="-dtb $kdir/arch/arm/boot/dts/$dtb $machine"
# The console: the variant's "# kxbench-console:", else the PL011.
console=$(variant_field "$variant" console)
append="console=${console:-ttyAMA0} panic=-1 kunit.enable=1"
# How the guest ends its run: the variant's "# kxbench-end:" (reset where
# a power-off only halts the board), else a power-off.
end=$(variant_field "$variant" end)
append="$append${end:+ kxtest.end=$end}"
append="$append kxtest.scenario=$name kxtest.stage=1$kernel_args"
# A fuzzer seed and call count to replay (make check T=fuzz SEED=n).
append="$append${SEED:+ kxtest.seed=$SEED}${FUZZ_COUNT:+ kxtest.fuzz_count=$FUZZ_COUNT}"

# wait_for_kernel: under check.sh, which builds the kernels while the
# scenarios run, wait until this scenario's kernel and initramfs are
# ready; fail the scenario when they could not be built.
wait_for_kernel()
{
	[ -n "${KX_READY:-}" ] || return 0
	while [ ! -f "$KX_READY/$build" ] && kill -0 "$KX_BUILDER" 2> /dev/null; do
		sleep 1
	done
	[ "$(cat "$KX_READY/$build" 2> /dev/null)" = ok ] && return 0
	tap_result fail "$name/boot" "kernel $build or its initramfs was not built"
	exit 0
}

# debian_disks: QEMU's arguments for the two virtio disks of a
# runner:debian scenario, on the virt board's virtio-mmio transports:
# /dev/vda, the Debian root filesystem, opened with snapshot=on (the
# guest's writes, kept for the whole QEMU run, across its kexecs, never
# reach the cached image), and /dev/vdb, read-only, a tar archive of the
# packages in build/debs (none when they were not built: the scenario
# then skips).  Under check.sh, waits until the builder made the image;
# fails the scenario when there is none.
debian_disks()
{
	rootfs=$BUILD/debian/rootfs.ext4
	if [ -n "${KX_READY:-}" ]; then
		while [ ! -f "$KX_READY/debian-rootfs" ] &&
		      kill -0 "$KX_BUILDER" 2> /dev/null; do
			sleep 1
		done
		[ "$(cat "$KX_READY/debian-rootfs" 2> /dev/null)" = ok ] || {
			tap_result fail "$name/boot" "the Debian root filesystem was not built"
			exit 0
		}
	fi
	[ -f "$rootfs" ] || {
		tap_result fail "$name/boot" "no $rootfs (scripts/debian-rootfs.sh)"
		exit 0
	}
	payload=$BUILD/logs/$name.debs.tar
	rm -f "$payload"
	(cd "$BUILD" && tar -cf "$payload" --files-from /dev/null &&
		for deb in debs/*.deb; do
			[ ! -f "$deb" ] || tar -rf "$payload" "$deb"
		done)
	# The virt board hands its virtio-mmio transports out from the top
	# address down and Linux probes them from the bottom up: the last
	# disk given is vda.
	machine="$machine -drive if=none,id=kxdebs,format=raw,readonly=on,file=$payload"
	machine="$machine -device virtio-blk-device,drive=kxdebs"
	machine="$machine -drive if=none,id=kxroot,format=raw,snapshot=on,file=$rootfs"
	machine="$machine -device virtio-blk-device,drive=kxroot"
}

wait_for_kernel
[ "$debian" = 0 ] || debian_disks
log "scenario $name on $variant (timeout ${tmo}s)"
started=$(date +%s)
rc=0
# shellcheck disable=SC2086
timeout -k 10 "$tmo" qemu-system-arm $machine -nographic -monitor none \
	-nic none -no-reboot -kernel "$kernel" -initrd "$initrd" \
	-append "$append" < /dev/null > "$log_file" 2>&1 || rc=$?
[ -z "${KX_CONSOLE:-}" ] || cat "$log_file" >&2
# How long each guest ran, against its timeout: build/logs/durations.
echo "$name $variant $(($(date +%s) - started)) $tmo" >> "$BUILD/logs/durations"
# Whole results at once, so scenarios run side by side do not interleave.
awk -v scenario="$name" -v stages="$stages" -v rc="$rc" \
	-v reset="$reset" -v panic="$panic" \
	-f "$top/scripts/parse-log.awk" "$log_file" > "$log_file.tap" || true
cat "$log_file.tap"
cat "$log_file.tap" >> "$RESULTS"
rm -f "$log_file.tap"
