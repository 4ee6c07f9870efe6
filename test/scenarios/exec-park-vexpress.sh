#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-park-vexpress: Versatile Express with two CPUs and no PSCI, with
# secondary_cpus=park: the user accepts that the secondary stays parked
# in the old kernel's memory.  A load is accepted only when the device
# tree's bootargs keep the new kernel on one CPU (nosmp, maxcpus=0 or 1,
# not after "--"); the exec then goes ahead, says so in the log, and the
# new kernel comes up with CPU 0 alone, the initrd intact.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_PARK_REFUSED='load refused \(-22\): segment 1: secondary_cpus=park: the new kernel.s bootargs must hold nosmp or maxcpus=1'

# kx_park_load NAME OK|REFUSED WORD...: a load of /boot/zImage (and a
# device tree, no initrd) whose command line is WORDs is accepted, or
# refused with EINVAL and its log line; unloads again.
kx_park_load()
{
	kx_name=$1 kx_want=$2
	shift 2
	dmesg -c > /dev/null
	kxload -c "$*" /boot/zImage > /tmp/park.out 2>&1
	kx_rc=$?
	if [ "$kx_want" = OK ]; then
		kxt_check "$kx_name" [ "$kx_rc" = 0 ]
	else
		kxt_check "$kx_name.einval" \
			grep -q "KEXEC_MOD_LOAD: Invalid argument" /tmp/park.out
		kxt_check "$kx_name.logged" sh -c \
			"dmesg | grep -q -E 'kexec_mod: $KX_PARK_REFUSED'"
	fi
	kxload -u
}

case "$KX_STAGE" in
1)
	kx_insmod secondary_cpus=park
	kxt_check park.two-cpus-online \
		[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ]
	kxt_check park.mode \
		grep -qx park /sys/module/kexec_mod/parameters/secondary_cpus
	kx_park_load park.cmdline-plain REFUSED console=ttyAMA0
	kx_park_load park.cmdline-maxcpus2 REFUSED console=ttyAMA0 maxcpus=2
	kx_park_load park.cmdline-maxcpus-last REFUSED maxcpus=1 maxcpus=4
	kx_park_load park.cmdline-after-dashes REFUSED console=ttyAMA0 -- nosmp
	kx_park_load park.cmdline-maxcpus1 OK console=ttyAMA0 maxcpus=1
	kx_park_load park.cmdline-maxcpus0 OK maxcpus=0 console=ttyAMA0
	kx_park_load park.cmdline-nosmp OK console=ttyAMA0 nosmp
	kxt_expect stage1.parked \
		'kexec_mod: secondary_cpus=park: 1 secondary CPUs left parked'
	KX_NEXT_WORDS='nosmp kxtest.cpus=0'
	kx_exec_next
	;;
2)
	kx_check_arrival park
	kxt_check park.one-cpu-brought-up \
		sh -c 'dmesg | grep -q "smp: Brought up 1 node, 1 CPU"'
	;;
esac
