#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-smp-raspi2b: QEMU's Raspberry Pi 2 B, four Cortex-A7 whose
# secondaries the kernel released from a mailbox spin loop.  Nothing can
# stop them again (the SoC has no cpu_kill, not even a cpu_die: CPU
# hotplug cannot take one down), so the load is refused with EINVAL and
# the documented line, as the kernel's machine_kexec_prepare() refuses
# such a board; the system keeps running with its four CPUs.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_REFUSED='load refused \(-22\): without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites'

kx_insmod
kxt_check raspi2b.four-cpus [ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
kxt_check raspi2b.not-recognised sh -c \
	"dmesg | grep -q 'kexec_mod: secondary CPUs: no PSCI and no SoC known to power them off'"
dmesg -c > /dev/null
kxt_check raspi2b.load-einval sh -c \
	'kxload /boot/zImage 2>&1 | grep -q "KEXEC_MOD_LOAD: Invalid argument"'
kxt_check raspi2b.load-logged sh -c \
	"[ \"\$(dmesg | grep -c -E 'kexec_mod: $KX_REFUSED')\" = 1 ]"
kxt_check raspi2b.not-loaded sh -c 'kxload -s | grep -q "loaded=0 armed=0"'
kxt_check raspi2b.cpus-online kx_cpus_as_before
kxt_check module.rmmod rmmod kexec_mod
