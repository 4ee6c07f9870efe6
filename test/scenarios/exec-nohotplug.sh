#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-nohotplug: on an SMP kernel without CPU hotplug the exec is refused
# with EOPNOTSUPP and one line in the log, and the system keeps running
# with both CPUs and the image loaded.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

kx_insmod
kxt_check nohotplug.load kxload /boot/zImage
kxload -e
kxt_check nohotplug.refused [ "$?" = 5 ]
kxt_check nohotplug.logged \
	sh -c 'dmesg | grep -q "cannot kexec: SMP kernel without CONFIG_HOTPLUG_CPU"'
kxt_check nohotplug.cpus-online kx_cpus_all_online
kxt_check nohotplug.still-loaded sh -c 'kxload -s | grep -q "loaded=1 armed=0"'
