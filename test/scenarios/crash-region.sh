#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# crash-region: the crashkernel= parameter on a kernel booted with
# mem=384M of its 512 MiB, which leaves 0x58000000-0x5fffffff out of
# System RAM.  That region is published as "Crash kernel" in /proc/iomem
# and in /sys/kernel/kexec_crash_size, and withdrawn at rmmod; a region
# that overlaps System RAM, is not 128 MiB aligned, lies outside the
# device tree's memory, or is not SIZE@ADDR fails insmod (EINVAL) with
# one line saying why, and one a driver has claimed a page of fails with
# EBUSY.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

KX_KO=/lib/modules/kexec_mod.ko
KX_REGION=58000000-5fffffff

# kx_iomem_line LINE: /proc/iomem has LINE at its top level.
kx_iomem_line()
{
	grep -q -x -F "$1" /proc/iomem
}

# kx_refused NAME PARAM REASON [ERROR]: insmod with crashkernel=PARAM
# fails with ERROR (strerror's text; default: of EINVAL), and the kernel
# log says "crashkernel=PARAM: REASON".
kx_refused()
{
	dmesg -c > /dev/null
	if insmod "$KX_KO" "crashkernel=$2" 2> /tmp/insmod.err; then
		rmmod kexec_mod
		kxt_fail "$1" "insmod took crashkernel=$2"
	elif ! grep -q -F "${4:-Invalid argument}" /tmp/insmod.err; then
		kxt_fail "$1" "insmod said: $(cat /tmp/insmod.err)"
	elif dmesg | grep -q -F "kexec_mod: crashkernel=$2: $3"; then
		kxt_ok "$1"
	else
		kxt_fail "$1" "no line 'crashkernel=$2: $3' in the log"
	fi
}

# mem= worked, or nothing below would mean anything.
kxt_check region.ram-ends-below kx_iomem_line '40000000-57ffffff : System RAM'

kxt_step module.insmod insmod "$KX_KO" crashkernel=128M@0x58000000
kxt_check region.iomem kx_iomem_line "$KX_REGION : Crash kernel"
kxt_check region.size [ "$(cat /sys/kernel/kexec_crash_size)" = 134217728 ]
kxt_check region.not-loaded [ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ]
kxt_check region.logged sh -c 'dmesg | grep -q "kexec_mod: crash region \[mem 0x58000000-0x5fffffff"'
kxt_check module.rmmod rmmod kexec_mod
kxt_check region.withdrawn sh -c '! grep -q "Crash kernel" /proc/iomem'
kxt_check region.sysfs-withdrawn [ ! -e /sys/kernel/kexec_crash_size ]

kx_refused region.overlapping-ram 128M@0x50000000 'overlaps System RAM'
kx_refused region.unaligned 64M@0x5c000000 'not 128 MiB aligned'
kx_refused region.outside-memory 128M@0x60000000 'not memory the device tree describes'
kx_refused region.not-size-at-addr 128M 'not SIZE@ADDR'
# A page of the region claimed by a driver, as its registers would be.
kxt_step testdev.claim insmod /lib/modules/kxtestdev.ko claim_mem=0x5c000000
kx_refused region.claimed 128M@0x58000000 \
	'claimed by another resource in /proc/iomem' 'Device or resource busy'
kxt_check testdev.rmmod rmmod kxtestdev
kxt_check region.nothing-left sh -c '! grep -q "Crash kernel" /proc/iomem'
