#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-smp-vexpress: Versatile Express with two CPUs and no PSCI.  CPU
# hotplug there only parks a CPU, in a WFI loop inside the kernel, so the
# load is refused with EINVAL and one line in the log while a secondary
# is online, as the kernel's own machine_kexec_prepare() refuses a board
# without cpu_kill; an exec then has nothing to start (ENOENT).  A
# secondary taken offline before the load is parked all the same and
# refused the same way.  The system keeps running with both CPUs.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_REFUSED='load refused \(-22\): without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites'
KX_CPU1=/sys/devices/system/cpu/cpu1/online

# kx_load_refused NAME: a load of /boot/zImage fails with EINVAL and
# logs the refusal once.
kx_load_refused()
{
	dmesg -c > /dev/null
	kxt_check "$1.einval" sh -c \
		'kxload /boot/zImage 2>&1 | grep -q "KEXEC_MOD_LOAD: Invalid argument"'
	kxt_check "$1.logged" sh -c \
		"[ \"\$(dmesg | grep -c -E 'kexec_mod: $KX_REFUSED')\" = 1 ]"
}

kx_insmod
kxt_check smp.two-cpus-online [ "$(cat /sys/devices/system/cpu/online)" = 0-1 ]
kxt_check smp.mode-auto \
	grep -qx auto /sys/module/kexec_mod/parameters/secondary_cpus
kx_load_refused smp.online
kxload -e
kxt_check smp.exec-nothing-loaded [ "$?" = 2 ]
kxt_check smp.not-loaded sh -c 'kxload -s | grep -q "loaded=0 armed=0"'

# CPU1 offline is parked, not gone: still refused.
kxt_check smp.cpu1-offline sh -c "echo 0 > $KX_CPU1"
kx_load_refused smp.parked
kxt_check smp.cpu1-back sh -c "echo 1 > $KX_CPU1"
kxt_check smp.cpus-online kx_cpus_as_before
