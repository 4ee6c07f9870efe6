#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# initramfs.sh VARIANT: build build/initramfs/KERNEL.cpio for the kernel
# build VARIANT boots (see kernel_of), the guest's root: busybox, init and
# scenarios, the modules built for that kernel, the static kselftest and
# test programs with the lists of what KUnit and the kselftests must run
# (/lib/kunit.expect, /lib/selftests.expect), the kernel image itself (the
# image kexec scenarios boot into) and a 32 MiB file with its checksum for
# checking an initrd carried across a kexec.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

kernel=$(kernel_of "${1:?usage: initramfs.sh VARIANT}")
CC=${CROSS_COMPILE}gcc
KSFT=$KSRC/tools/testing/selftests

build_guest_programs()
{
	make -s -C "$top/selftests/kexec_mod" OUTPUT="$BUILD/selftests" \
		KSFT_DIR="$KSFT" CC="$CC"
	rm -rf "$BUILD/guest-bin"
	mkdir -p "$BUILD/guest-bin"
	for src in "$top"/test/initramfs/*.c; do
		[ -f "$src" ] || continue
		bin="$BUILD/guest-bin/$(basename "$src" .c)"
		$CC -static -O2 -Wall -Wextra -I"$top/include/uapi" -o "$bin" "$src"
	done
}

# big_file: 4 MiB of random bytes that every exec passes on in its
# initrd, checked by sha256 on arrival (exec-common.sh): a thousand pages
# whose every byte must survive the copy.  Each exec packs, loads, copies
# and unpacks the whole root, so each MiB here costs every hop of every
# scenario; scenarios that need a big image make their own.
big_file()
{
	big="$BUILD/initramfs/big.bin"
	[ "$(stat -c %s "$big" 2> /dev/null)" = 4194304 ] && return 0
	head -c 4M /dev/urandom > "$big.tmp"
	mv "$big.tmp" "$big"
}

# install_userspace: tools/ (kexec-mod, the preload library) and Debian's
# kexec-tools `kexec`, unmodified, with the armhf shared libraries it needs
# (NEEDED entries, followed recursively) and the dynamic loader.
install_userspace()
{
	make -s -C "$top/tools" OUTPUT="$BUILD/tools"
	armhf=$BUILD/armhf/root
	libdir=$root/lib/arm-linux-gnueabihf
	mkdir -p "$libdir"
	cp "$BUILD/tools/kexec-mod" "$root/bin/kexec-mod"
	cp "$BUILD/tools/libkexec-mod-preload.so" "$root/lib/"
	cp "$armhf/sbin/kexec" "$root/bin/kexec"
	todo="$root/bin/kexec $root/lib/libkexec-mod-preload.so"
	while [ -n "$todo" ]; do
		next=
		for lib in $(for f in $todo; do "${CROSS_COMPILE}readelf" -d "$f"; done |
			sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | sort -u); do
			[ -e "$libdir/$lib" ] && continue
			src=$(find "$armhf/lib" "$armhf/usr/lib" -name "$lib" | head -n 1)
			[ -n "$src" ] || die "armhf library $lib not found under $armhf"
			cp -L "$src" "$libdir/$lib"
			next="$next $libdir/$lib"
		done
		todo=$next
	done
	ln -s arm-linux-gnueabihf/ld-linux-armhf.so.3 "$root/lib/ld-linux-armhf.so.3"
}

# pack_cpio DIR OUT: DIR as a newc archive, in a stable order.
pack_cpio()
{
	(cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$2.tmp"
	mv "$2.tmp" "$2"
}

# install_bench: the guest half of make bench, kxbench and kxclock, and
# the small initrd its reboot figures kexec into (/boot/arrive.cpio),
# whose init stamps the timer before anything else.
install_bench()
{
	make -s -C "$top/tools" OUTPUT="$BUILD/tools" bench
	cp "$BUILD/tools/kxbench" "$BUILD/tools/kxclock" "$root/bin/"
	arrive="$BUILD/initramfs/$kernel.arrive"
	rm -rf "$arrive"
	mkdir -p "$arrive/bin" "$arrive/proc"
	cp "$BUILD/armhf/root/bin/busybox" "$BUILD/tools/kxclock" "$arrive/bin/"
	ln -s busybox "$arrive/bin/sh"
	cp "$top/test/bench/arrive-init" "$arrive/init"
	chmod 755 "$arrive/init"
	pack_cpio "$arrive" "$root/boot/arrive.cpio"
}

# kernel_banner KDIR: the banner of the kernel built in KDIR, as the
# running kernel prints it in /proc/version: version, builder, compiler,
# build number and date, which tell one build from another.
kernel_banner()
{
	strings "$1/vmlinux" | grep -m 1 '^Linux version .* #[0-9][0-9]* '
}

# install_cross: a kernel whose fragment names another ("# kxbench-cross:
# virt" in virt-612-lpae, built from 6.12 against virt's 6.1) carries that
# kernel too, with a module built for it and both banners, for the round
# trip that proves the copy: a stub that copied nothing would land in the
# kernel already running, which the banner tells apart (exec-cross).
install_cross()
{
	cross=$(variant_field "$kernel" cross)
	[ -n "$cross" ] || return 0
	cross=$(kernel_of "$cross")
	sh "$top/scripts/kernel.sh" "$cross"
	sh "$top/scripts/module.sh" "$cross" -s
	mkdir -p "$root/boot/cross" "$root/lib/modules/cross"
	cp "$(kernel_dir "$cross")/arch/arm/boot/zImage" "$root/boot/cross/zImage"
	kernel_banner "$(kernel_dir "$cross")" > "$root/boot/cross/banner"
	cp "$BUILD/module/$cross/kexec_mod.ko" "$root/lib/modules/cross/"
}

# install_capture: the zImage of the capture kernel this kernel's crash
# dump scenarios load, a build with CRASH_DUMP and /proc/vmcore whose
# fragment says "# kxbench-captures: KERNEL".
install_capture()
{
	capture=$(grep -l -x "# kxbench-captures: $kernel" "$CONFIGS"/*.config |
		head -n 1)
	[ -n "$capture" ] || return 0
	capture=$(kernel_of "$(basename "$capture" .config)")
	sh "$top/scripts/kernel.sh" "$capture"
	mkdir -p "$root/boot/capture"
	cp "$(kernel_dir "$capture")/arch/arm/boot/zImage" \
		"$root/boot/capture/zImage"
}

# One build of a kernel's root at a time; a second waits for the first.
mkdir -p "$BUILD/initramfs"
exec 8> "$BUILD/initramfs/.$kernel.lock"
flock 8

sh "$top/scripts/module.sh" "$kernel" -s
build_guest_programs
mkdir -p "$BUILD/initramfs"
big_file

root="$BUILD/initramfs/$kernel.root"
rm -rf "$root"
mkdir -p "$root/bin" "$root/lib/modules" "$root/boot" "$root/scenarios" \
	"$root/selftests" "$root/proc" "$root/sys" "$root/dev" "$root/tmp"
cp "$BUILD/armhf/root/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cp "$top/test/initramfs/init" "$root/init"
cp "$top/test/initramfs/kxtest.sh" "$root/lib/kxtest.sh"
# What the kunit and selftests scenarios must find ran, from the sources:
# the KUnit suites with their case counts, and the kselftest programs.
# Sources kunit-expect.sh cannot read leave the list empty, which fails
# the kunit scenario alone (kunit.expect) rather than every scenario.
sh "$top/scripts/kunit-expect.sh" > "$root/lib/kunit.expect" ||
	{ log "kunit-expect.sh failed: the kunit scenario will fail"; : > "$root/lib/kunit.expect"; }
for src in "$top"/selftests/kexec_mod/*_test.c; do
	[ ! -f "$src" ] || basename "$src" .c
done > "$root/lib/selftests.expect"
cp "$top"/test/scenarios/*.sh "$root/scenarios/"
cp "$BUILD/module/$kernel"/*.ko "$root/lib/modules/"
cp "$BUILD"/selftests/* "$root/selftests/" 2>/dev/null || true
cp "$BUILD"/guest-bin/* "$root/bin/" 2>/dev/null || true
cp "$(kernel_dir "$kernel")/arch/arm/boot/zImage" "$root/boot/zImage"
cp "$BUILD/initramfs/big.bin" "$root/boot/big.bin"
# A device tree whose bootargs name an initrd, as a board's firmware may
# leave them, for the warning kexec-mod gives when it keeps them.
printf '/dts-v1/;\n/ { chosen { bootargs = "console=ttyAMA0 initrd=0x48000000,8M"; }; };\n' |
	dtc -q -I dts -O dtb -o "$root/boot/stale-initrd.dtb" -
install_userspace
install_bench
kernel_banner "$(kernel_dir "$kernel")" > "$root/boot/banner"
install_cross
install_capture
(cd "$root/boot" && sha256sum big.bin > big.sha256)
chmod 755 "$root/init" "$root"/scenarios/*.sh

pack_cpio "$root" "$BUILD/initramfs/$kernel.cpio"
log "initramfs $kernel: $(du -h "$BUILD/initramfs/$kernel.cpio" | cut -f1)"
