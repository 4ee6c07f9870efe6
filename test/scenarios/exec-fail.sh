#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-fail: an exec that cannot go ahead is refused with the kernel's
# errno and leaves the system running with its image loaded: nothing
# loaded (ENOENT), no CAP_SYS_BOOT (EPERM), a CPU that does not go
# offline (EBUSY, simulated with the module's test hook).  Then a real
# exec proves that nothing was left half done.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

# exit_is CODE COMMAND...: COMMAND exits with CODE (kxload: 2 ENOENT,
# 3 EPERM, 4 EBUSY).
exit_is()
{
	want=$1
	shift
	"$@"
	[ "$?" = "$want" ]
}

hook=/sys/module/kexec_mod/parameters/test_fail_cpu_offline

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_check fail.nothing-loaded exit_is 2 kxload -e
	kxt_check fail.load kxload /boot/zImage
	kxt_check fail.no-cap-sys-boot exit_is 3 kxload -P -e
	kxt_check fail.no-cap.still-loaded \
		sh -c 'kxload -s | grep -q "loaded=1"'
	echo 1 > "$hook"
	kxt_check fail.cpu-offline exit_is 4 kxload -e
	echo 0 > "$hook"
	kxt_check fail.cpu-offline.cpus-back kx_cpus_all_online
	kxt_check fail.cpu-offline.still-loaded \
		sh -c 'kxload -s | grep -q "loaded=1 armed=0"'
	kxt_diag "cpus online: $(cat /sys/devices/system/cpu/online)"
	kx_exec_next
	;;
2)
	kx_check_arrival fail
	;;
esac
