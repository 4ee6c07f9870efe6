#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-nohotplug: on an SMP kernel without CPU hotplug the load is
# refused with EINVAL and one line in the log, as the kernel's own
# machine_kexec_prepare() refuses it; an exec then has nothing to start
# (ENOENT), and the system keeps running with both CPUs.  (The exec keeps
# its own check, EOPNOTSUPP, which this kernel never reaches.)
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

kx_insmod
kxt_check nohotplug.load-refused sh -c '! kxload /boot/zImage'
kxt_check nohotplug.logged sh -c 'dmesg | grep -q "load refused (-22): SMP kernel without CONFIG_HOTPLUG_CPU"'
kxload -e
kxt_check nohotplug.exec-nothing-loaded [ "$?" = 2 ]
kxt_check nohotplug.cpus-online kx_cpus_all_online
kxt_check nohotplug.not-loaded sh -c 'kxload -s | grep -q "loaded=0 armed=0"'
