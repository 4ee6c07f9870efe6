#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-late-cpu-vexpress: Versatile Express with two CPUs and no PSCI,
# booted with maxcpus=1 (kernel:maxcpus=1 in the scenario list), so that
# CPU1 waits in the boot loader, not in the kernel: nothing would be left
# parked and a load is accepted.  Bringing CPU1 up after the load changes
# that: the exec must then be refused (EOPNOTSUPP, one line in the log)
# before any CPU goes offline, the image staying loaded.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_CPU1=/sys/devices/system/cpu/cpu1/online
KX_REFUSED='cannot kexec: without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites'

kx_insmod
kxt_check late.one-cpu-online [ "$(cat /sys/devices/system/cpu/online)" = 0 ]
kxt_check late.load-accepted kxload /boot/zImage
kxt_check late.cpu1-up sh -c "echo 1 > $KX_CPU1"
kxt_check late.two-cpus-online \
	[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ]
dmesg -c > /dev/null
kxload -e
kxt_check late.exec-eopnotsupp [ "$?" = 5 ]
kxt_check late.logged sh -c \
	"[ \"\$(dmesg | grep -c 'kexec_mod: $KX_REFUSED')\" = 1 ]"
# kexec-mod names that cause, not another EOPNOTSUPP's.
kexec-mod -e > /tmp/late.out 2>&1
kxt_diag "$(head -n 2 /tmp/late.out)"
kxt_check late.tool-says-parked grep -q \
	"exec failed: a CPU brought up after the load would stay parked (no PSCI)" \
	/tmp/late.out
kxt_check late.still-loaded sh -c 'kxload -s | grep -q "loaded=1"'
kxt_check late.cpus-still-online \
	[ "$(cat /sys/devices/system/cpu/online)" = 0-1 ]
kxt_check late.rmmod rmmod kexec_mod
