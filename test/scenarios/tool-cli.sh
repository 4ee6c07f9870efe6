#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-cli: the kexec-mod command without an exec: load, status, unload,
# the plan it prints, --reuse-cmdline's filter, and a clear message for
# each failure a user meets (no module, no device, no CAP_SYS_BOOT,
# unreadable file, not a zImage, too large, the module's errno); and
#   -S as kexec-tools' status (-p -S: the capture kernel's), -s
#   (kexec_file_load) refused;
#   dry runs and plans that change nothing;
#   --image-size held to the kernel segment;
#   uImages: the one kind loaded, the others refused;
#   warnings for a command line the new kernel would misread.
set -u
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

OUT=/tmp/tool-cli.out

# expect NAME TEXT COMMAND...: COMMAND fails and says TEXT (stdout+stderr).
expect()
{
	ex_name=$1
	ex_text=$2
	shift 2
	if "$@" > "$OUT" 2>&1; then
		kxt_fail "$ex_name" "succeeded: $*"
	elif grep -qF -- "$ex_text" "$OUT"; then
		kxt_ok "$ex_name"
	else
		kxt_fail "$ex_name" "no '$ex_text' in: $(head -c 300 "$OUT")"
	fi
	kxt_diag "$(head -n 2 "$OUT")"
}

# says NAME TEXT COMMAND...: COMMAND succeeds and says TEXT.
says()
{
	sy_name=$1
	sy_text=$2
	shift 2
	if ! "$@" > "$OUT" 2>&1; then
		kxt_fail "$sy_name" "failed: $* :: $(head -c 300 "$OUT")"
	elif grep -qF -- "$sy_text" "$OUT"; then
		kxt_ok "$sy_name"
	else
		kxt_fail "$sy_name" "no '$sy_text' in: $(head -c 300 "$OUT")"
	fi
}

# usage NAME TEXT COMMAND...: COMMAND is a usage error (exit 2) saying TEXT.
usage()
{
	us_name=$1
	us_text=$2
	shift 2
	us_rc=0
	"$@" > "$OUT" 2>&1 || us_rc=$?
	if [ "$us_rc" != 2 ]; then
		kxt_fail "$us_name" "exit $us_rc, not 2: $* :: $(head -c 300 "$OUT")"
	elif grep -qF -- "$us_text" "$OUT"; then
		kxt_ok "$us_name"
	else
		kxt_fail "$us_name" "no '$us_text' in: $(head -c 300 "$OUT")"
	fi
}

# status NAME RC TEXT [OPTION...]: kexec-mod -S (or OPTION...) exits RC,
# 1 when a kernel is loaded and 0 when not, as kexec-tools' -S, and says
# TEXT.
status()
{
	st_name=$1
	st_want=$2
	st_text=$3
	shift 3
	[ $# -gt 0 ] || set -- -S
	st_rc=0
	kexec-mod "$@" > "$OUT" 2>&1 || st_rc=$?
	if [ "$st_rc" != "$st_want" ]; then
		kxt_fail "$st_name" "kexec-mod $* exited $st_rc, not $st_want: $(head -c 300 "$OUT")"
	elif grep -qF -- "$st_text" "$OUT"; then
		kxt_ok "$st_name"
	else
		kxt_fail "$st_name" "no '$st_text' in: $(head -c 300 "$OUT")"
	fi
}

kxt_check version kexec-mod --version
kxt_check help sh -c 'kexec-mod --help | grep -q -- --reuse-cmdline'
expect no-action "nothing to do" kexec-mod
expect no-module "module is not loaded" kexec-mod -S
expect no-module.load "module is not loaded" kexec-mod -l /boot/zImage

kxt_step insmod insmod /lib/modules/kexec_mod.ko
status status.empty 0 "nothing loaded"
status status.long 0 "nothing loaded" --status
status status.with-l 0 "nothing loaded" -l -S
# -p -S: the capture kernel's status; without a crash region none can be.
status status.panic-no-region 0 "no crash region" -p -S
usage status.with-exec "-S goes alone, with -l or with -p" kexec-mod -e -S
usage panic.with-exec "-p goes with a ZIMAGE, -u or -S only" kexec-mod -p -e

# -s is kexec-tools' kexec_file_load, which the module does not offer:
# said as such, not taken for another option.
expect file-load.refused "kexec_file_load, which kexec_mod does not offer" \
	kexec-mod -s -l /boot/zImage
expect file-load.long "kexec_file_load, which kexec_mod does not offer" \
	kexec-mod --kexec-file-syscall -l /boot/zImage
status file-load.nothing-loaded 0 "nothing loaded"

# A dry run or a plan changes nothing: -n and -d with -e, -u or -S are
# usage errors, never an exec or an unload.
usage dry-run.exec "-n and -d go with -l or -f only" kexec-mod -n -e
usage debug.exec "-n and -d go with -l or -f only" kexec-mod -d -e
usage dry-run.status "-n and -d go with -l or -f only" kexec-mod -n -S
kxt_check dry-run.load kexec-mod -l /boot/zImage
usage dry-run.unload "-n and -d go with -l or -f only" kexec-mod -n -u
usage debug.unload "-n and -d go with -l or -f only" kexec-mod -d -u
status dry-run.still-loaded 1 "a kernel is loaded"
kxt_check dry-run.unload-for-real kexec-mod -u
# -n -f: the plan of the load, then nothing: no load, no exec.
says dry-run.force-plan "entry   0x" kexec-mod -n -f /boot/zImage
status dry-run.force-nothing-loaded 0 "nothing loaded"
# -d prints the plan on stderr, as kexec-tools' debug output, and loads.
kexec-mod -d -l /boot/zImage > /tmp/plan.out 2> /tmp/plan.err
kxt_check debug.plan-on-stderr grep -q '^entry   0x' /tmp/plan.err
kxt_check debug.stdout-empty [ ! -s /tmp/plan.out ]
status debug.loaded 1 "a kernel is loaded"
kxt_check debug.unload kexec-mod -u

# The plan: zImage at RAM base + 0x8000, size from the size tag, initrd
# above the decompressed kernel, DTB above the initrd.
says plan.size-tag "from the zImage's size tag" \
	kexec-mod -n -l /boot/zImage --initrd=/boot/big.bin --append=x=1
cat "$OUT"
ram=$(sed -n 's/^ *\([0-9a-f]*\)-[0-9a-f]* : System RAM$/\1/p' /proc/iomem | head -n 1)
kernel=$(sed -n 's/^kernel *0x\([0-9a-f]*\)-.*/\1/p' "$OUT")
initrd=$(sed -n 's/^initrd *0x\([0-9a-f]*\)-.*/\1/p' "$OUT")
initrd_end=$(sed -n 's/^initrd *0x[0-9a-f]*-0x\([0-9a-f]*\) .*/\1/p' "$OUT")
dtb=$(sed -n 's/^dtb *0x\([0-9a-f]*\)-.*/\1/p' "$OUT")
use_end=$(sed -n 's/.*may use up to 0x\([0-9a-f]*\) .*/\1/p' "$OUT")
kxt_check plan.kernel-at-base [ $((0x$kernel)) -eq $((0x$ram + 0x8000)) ]
kxt_check plan.initrd-above-kernel [ $((0x$initrd)) -gt $((0x$use_end)) ]
kxt_check plan.dtb-above-initrd [ $((0x$dtb)) -gt $((0x$initrd_end)) ]
kxt_check plan.dtb-page-aligned [ $((0x$dtb % 4096)) -eq 0 ]
kxt_check plan.cmdline grep -qx "command line: x=1" "$OUT"
big_size=$(wc -c < /boot/big.bin)
kxt_check plan.dtb-initrd grep -qx \
	"initrd in dtb: 0x$initrd-0x$(printf %08x $((0x$initrd + big_size)))" "$OUT"

# The firmware's tree announces QEMU's initrd; without --initrd the new
# kernel must not be told about it.
kxt_check dtb.firmware-has-initrd [ -e /proc/device-tree/chosen/linux,initrd-start ]
says dtb.stale-initrd-removed "initrd in dtb: none" \
	kexec-mod -n -l /boot/zImage

# Load, status, unload.
kxt_check load kexec-mod -l /boot/zImage --append="console=ttyAMA0 x=1"
status status.loaded 1 "a kernel is loaded"
cat "$OUT"
kxt_check status.entry grep -q "entry point   0x$kernel" "$OUT"
kxt_check status.two-segments grep -q "segments      2," "$OUT"
kxt_check sysfs.loaded [ "$(cat /sys/kernel/kexec_mod/loaded)" = 1 ]
kxt_check load.initrd kexec-mod -l /boot/zImage --initrd /boot/big.bin
status status.three-segments 1 "segments      3,"
kxt_check unload kexec-mod -u
status status.unloaded 0 "nothing loaded"
kxt_check sysfs.unloaded [ "$(cat /sys/kernel/kexec_mod/loaded)" = 0 ]

# --dtb FILE: a copy of the firmware's tree, loaded from a file.
cp /sys/firmware/fdt /tmp/board.dtb
kxt_check dtb-file.load kexec-mod -l /boot/zImage --dtb=/tmp/board.dtb --append=y=2
status dtb-file.status 1 "segments      2,"
kxt_check dtb-file.unload kexec-mod -u
expect dtb-file.not-a-dtb "not a flattened device tree" \
	kexec-mod -l /boot/zImage --dtb=/boot/big.sha256

# A uImage holding the zImage, as mkimage -A arm -O linux -T kernel
# -C none makes it: the same plan as the zImage, from offset 0x40, and a
# load; the uImages kexec-tools would not take either are refused, each
# saying why.
kxt_mkuimage /tmp/uImage /boot/zImage
says uimage.plan "the zImage inside the uImage 'kxtest-uImage', at offset 0x40" \
	kexec-mod -n -l /tmp/uImage --initrd=/boot/big.bin
grep -v -e uImage -e '^kernel ' "$OUT" > /tmp/uimage.plan
uimage_kernel=$(sed -n 's/^kernel *\(0x[0-9a-fx-]*\)  .* (\(0x[0-9a-f]*\) bytes)$/\1 \2/p' "$OUT")
kexec-mod -n -l /boot/zImage --initrd=/boot/big.bin > "$OUT" 2>&1
grep -v '^kernel ' "$OUT" > /tmp/zimage.plan
zimage_kernel=$(sed -n 's/^kernel *\(0x[0-9a-fx-]*\)  .* (\(0x[0-9a-f]*\) bytes)$/\1 \2/p' "$OUT")
kxt_check uimage.kernel-as-zimage [ "${zimage_kernel:-none}" = "$uimage_kernel" ]
kxt_check uimage.same-plan cmp -s /tmp/uimage.plan /tmp/zimage.plan
kxt_check uimage.load kexec-mod -l /tmp/uImage
status uimage.loaded 1 "segments      2,"
kxt_check uimage.unload kexec-mod -u
kxt_mkuimage /tmp/uImage.gz /boot/zImage 5 2 2 1
expect uimage.compressed "a uImage with a gzip-compressed payload" \
	kexec-mod -n -l /tmp/uImage.gz
kxt_mkuimage /tmp/uImage.x86 /boot/zImage 5 3 2 0
expect uimage.other-arch "a uImage for architecture 3, not ARM (2)" \
	kexec-mod -n -l /tmp/uImage.x86
kxt_mkuimage /tmp/uImage.os /boot/zImage 2 2 2 0
expect uimage.other-os "a uImage for OS 2, not Linux (5)" \
	kexec-mod -n -l /tmp/uImage.os
kxt_mkuimage /tmp/uImage.rd /boot/big.sha256 5 2 3 0
expect uimage.ramdisk "a uImage of type 3, a ramdisk" \
	kexec-mod -n -l /tmp/uImage.rd
kxt_mkuimage /tmp/uImage.data /boot/big.sha256
expect uimage.not-zimage "the uImage's payload is not an ARM zImage" \
	kexec-mod -n -l /tmp/uImage.data
cp /tmp/uImage /tmp/uImage.bad
printf X | dd of=/tmp/uImage.bad bs=1 seek=40 conv=notrunc 2> /dev/null
expect uimage.header-crc "the uImage header's checksum is wrong" \
	kexec-mod -n -l /tmp/uImage.bad
cp /tmp/uImage /tmp/uImage.bad
printf X | dd of=/tmp/uImage.bad bs=1 seek=4096 conv=notrunc 2> /dev/null
expect uimage.data-crc "the uImage data's checksum is wrong" \
	kexec-mod -n -l /tmp/uImage.bad
head -c 4096 /tmp/uImage > /tmp/uImage.bad
expect uimage.truncated "is a truncated uImage" kexec-mod -n -l /tmp/uImage.bad
rm -f /tmp/uImage*

# --image-size against the kernel segment itself: below the zImage's
# own size on a zImage without a size tag (second magic cleared) the
# initrd would land inside the kernel; -1 would wrap the alignment.
cp /boot/zImage /tmp/untagged
dd if=/dev/zero of=/tmp/untagged bs=1 seek=52 count=4 conv=notrunc 2> /dev/null
says layout.untagged "5 times the zImage (no size tag)" \
	kexec-mod -n -l /tmp/untagged --initrd=/boot/big.bin
expect layout.image-size-below-zimage "is below the zImage's own" \
	kexec-mod -n -l /tmp/untagged --image-size=0x100 --initrd=/boot/big.bin
expect layout.image-size-minus-one "--image-size wants bytes, at most 4 GiB, not '-1'" \
	kexec-mod -n -l /tmp/untagged --image-size=-1 --initrd=/boot/big.bin
expect layout.image-size-too-big "--image-size wants bytes, at most 4 GiB" \
	kexec-mod -n -l /tmp/untagged --image-size=0x100000001
rm -f /tmp/untagged

# Command lines the new kernel would misread are warned about, and the
# plan still made: initrd= (the kernel takes it over the device tree's
# initrd), in --append or in the device tree's bootargs kept as they
# are, and a line longer than ARM's COMMAND_LINE_SIZE (1024).
says cmdline.initrd-warned "warning: the command line holds initrd=0x48000000,8M" \
	kexec-mod -n -l /boot/zImage --append="console=ttyAMA0 initrd=0x48000000,8M"
says cmdline.kept-initrd-warned "warning: the device tree's bootargs (kept) hold initrd=0x48000000,8M" \
	kexec-mod -n -l /boot/zImage --dtb=/boot/stale-initrd.dtb
says cmdline.no-warning "command line: x=1" \
	kexec-mod -n -l /boot/zImage --dtb=/boot/stale-initrd.dtb --append=x=1
kxt_check cmdline.no-warning-silent sh -c "! grep -q warning $OUT"
long=$(head -c 1100 /dev/zero | tr '\000' x)
says cmdline.too-long-warned "warning: the command line is 1102 bytes long; an ARM kernel keeps the first 1023" \
	kexec-mod -n -l /boot/zImage --append="a=$long"
long=$(head -c 1021 /dev/zero | tr '\000' x)
says cmdline.longest "command line: a=x" kexec-mod -n -l /boot/zImage --append="a=$long"
kxt_check cmdline.longest-silent sh -c "! grep -q warning $OUT"

# --reuse-cmdline: the running command line, without initrd= and the
# module's own words, with --append after it.
printf '%s\n' 'console=ttyAMA0 initrd=0x48000000,8M kexec_mod.debug_uart=0x9000000,pl011 quiet kexec_mod=1 p="a b" kxtest.x=1' \
	> /tmp/cmdline
mount --bind /tmp/cmdline /proc/cmdline
kexec-mod -n -l /boot/zImage --reuse-cmdline --append=extra=1 > "$OUT" 2>&1
umount /proc/cmdline
kxt_check reuse-cmdline.filtered grep -qx \
	'command line: console=ttyAMA0 quiet p="a b" kxtest.x=1 extra=1' "$OUT"
grep "^command line" "$OUT"
says reuse-cmdline.current "kxtest.scenario=tool-cli" \
	kexec-mod -n -l /boot/zImage --reuse-cmdline

# Failures, each with its message.
expect fail.unreadable "cannot read /no/such/zImage: No such file" \
	kexec-mod -l /no/such/zImage
expect fail.initrd-unreadable "cannot read /no/initrd" \
	kexec-mod -l /boot/zImage --initrd=/no/initrd
expect fail.not-zimage "is not an ARM zImage (no magic 0x016f2818 at offset 0x24)" \
	kexec-mod -l /boot/big.bin
expect fail.too-large "image too large for RAM" \
	kexec-mod -l /boot/zImage --image-size=0x40000000
expect fail.exec-nothing-loaded "nothing is loaded" kexec-mod -e
expect fail.usage "exactly one zImage" kexec-mod -l
mkdir -p /etc
grep -q '^nobody:' /etc/passwd 2>/dev/null ||
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >> /etc/passwd
# CAP_SYS_BOOT is what the module checks, not the user id: a user who is
# not root is told, and so is root without the capability.
expect fail.not-root "this process lacks CAP_SYS_BOOT" \
	su nobody -s /bin/sh -c 'kexec-mod -S'
nocap=$(kxnocap sed -n 's/^CapEff:[[:space:]]*//p' /proc/self/status)
kxt_check cap.helper-drops-it [ $((0x${nocap:-400000} >> 22 & 1)) = 0 ]
expect cap.root-without-it "this process lacks CAP_SYS_BOOT" kxnocap kexec-mod -S
expect cap.root-without-it.load "this process lacks CAP_SYS_BOOT" \
	kxnocap kexec-mod -l /boot/zImage
says cap.dry-run-needs-none "entry   0x" kxnocap kexec-mod -n -l /boot/zImage

devnum=$(cat /sys/class/misc/kexec/dev)
rm /dev/kexec
expect fail.no-device "is devtmpfs mounted" kexec-mod -S
mknod -m 600 /dev/kexec c "${devnum%%:*}" "${devnum##*:}"
status device-back 0 "nothing loaded"

echo 1 > /sys/kernel/kexec_mod/load_disabled
expect fail.errno-eperm "not permitted" kexec-mod -l /boot/zImage
# Disabled until the next boot: the module cannot be removed any more.
kxt_check rmmod-refused-while-disabled sh -c '! rmmod kexec_mod 2> /dev/null'
