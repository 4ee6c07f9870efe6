#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-highmem: exec-roundtrip on a HIGHMEM kernel whose RAM
# reaches into highmem, with an image of over 64 MiB: stage 1 adds a
# 64 MiB file to the root it passes on as the initrd.  The staged pages
# come from highmem first, as the kernel's do (a 64 MiB image of zeroes
# must take that much of HighFree: checked after a first insmod), and
# the copy must still land everywhere.  Both kernels check
# that there is highmem at all, or the test would prove nothing; stage 2
# checks the size of the initrd it got and the file's checksum.
set -u

# kx_has_highmem: /proc/meminfo counts some highmem.
kx_has_highmem()
{
	kb=$(sed -n 's/^HighTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
	echo "KXT # HighTotal: ${kb:-none} kB"
	[ "${kb:-0}" -gt 0 ]
}

# kx_dt_number FILE: a big-endian device-tree number of 4 or 8 bytes.
kx_dt_number()
{
	kx_n=0
	for kx_b in $(od -An -tu1 -v "$1"); do
		kx_n=$((kx_n * 256 + kx_b))
	done
	echo "$kx_n"
}

# kx_initrd_at_least MIB: the initrd this kernel was given is that big.
kx_initrd_at_least()
{
	kx_chosen=/sys/firmware/devicetree/base/chosen
	kx_start=$(kx_dt_number "$kx_chosen/linux,initrd-start")
	kx_end=$(kx_dt_number "$kx_chosen/linux,initrd-end")
	echo "KXT # initrd: $(((kx_end - kx_start) / 1024)) KiB"
	[ $((kx_end - kx_start)) -ge $(($1 * 1024 * 1024)) ]
}

# kx_high_free: HighFree of /proc/meminfo, in KiB.
kx_high_free()
{
	sed -n 's/^HighFree: *\([0-9]*\) kB$/\1/p' /proc/meminfo
}

# kx_stages_in_highmem: a 64 MiB image takes at least 60 MiB of highmem.
kx_stages_in_highmem()
{
	kx_before=$(kx_high_free)
	kxload -Z 64 > /dev/null || return 1
	kx_after=$(kx_high_free)
	kxload -u
	echo "KXT # HighFree: $kx_before kB before a 64 MiB load, $kx_after kB loaded"
	[ $((kx_before - kx_after)) -ge $((60 * 1024)) ]
}

# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "highmem.stage$1.present" kx_has_highmem
case "$1" in
1)
	kxt_step highmem.insmod insmod /lib/modules/kexec_mod.ko
	kxt_check highmem.sources-in-highmem kx_stages_in_highmem
	kxt_step highmem.rmmod rmmod kexec_mod
	kxt_check highmem.pad sh -c 'cd /boot &&
		dd if=/dev/urandom of=pad.bin bs=1M count=64 2>/dev/null &&
		sha256sum pad.bin > pad.sha256'
	;;
2)
	kxt_check highmem.image-over-64mib kx_initrd_at_least 64
	kxt_check highmem.pad-intact sh -c 'cd /boot && sha256sum -c -s pad.sha256'
	;;
esac
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
