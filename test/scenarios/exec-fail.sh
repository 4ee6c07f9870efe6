#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-fail: an exec that cannot go ahead is refused with the kernel's
# errno and leaves the system running with its image loaded: nothing
# loaded (ENOENT), no CAP_SYS_BOOT (EPERM), a CPU that does not go
# offline (EBUSY, injected through the module's fault attribute where
# the kernel has fault injection: debug-exec-fail on virt-debug; the
# same fault met by kexec-mod --rehearse too).  Then
# a real exec proves that nothing was left half done.
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

fail_attr=/sys/kernel/debug/kexec_mod/fail_cpu_offline

# fail_next_offline: the next CPU offline step fails, once, quietly.
fail_next_offline()
{
	echo 0 > "$fail_attr/verbose"
	echo 1 > "$fail_attr/times"
	echo 100 > "$fail_attr/probability"
}

# cpu_offline_fails: the CPU offline step, failed once by fault injection,
# is EBUSY with every CPU back and the image still loaded.
cpu_offline_fails()
{
	if [ ! -d "$fail_attr" ]; then
		kxt_skip fail.cpu-offline "no $fail_attr (kernel without CONFIG_FAULT_INJECTION_DEBUG_FS)"
		return 0
	fi
	fail_next_offline
	kxt_check fail.cpu-offline exit_is 4 kxload -e
	echo 0 > "$fail_attr/probability"
	kxt_check fail.cpu-offline.injected [ "$(cat "$fail_attr/times")" = 0 ]
	kxt_check fail.cpu-offline.cpus-back kx_cpus_all_online
	kxt_check fail.cpu-offline.still-loaded \
		sh -c 'kxload -s | grep -q "loaded=1 armed=0"'
}

# rehearsal_fails: the same fault met by a rehearsal: it fails, its
# report names the CPU step and says the others did not run, and CPUs
# and image are as before.
rehearsal_fails()
{
	if [ ! -d "$fail_attr" ]; then
		kxt_skip rehearse.cpu-offline "no $fail_attr (kernel without CONFIG_FAULT_INJECTION_DEBUG_FS)"
		return 0
	fi
	fail_next_offline
	kxt_check rehearse.cpu-offline \
		sh -c '! kexec-mod --rehearse > /tmp/rehearse.out 2>&1'
	echo 0 > "$fail_attr/probability"
	kxt_diag "$(tr '\n' ';' < /tmp/rehearse.out)"
	kxt_check rehearse.cpu-offline.named \
		grep -q '^rehearsal: secondary CPUs offline and back *FAILED' /tmp/rehearse.out
	kxt_check rehearse.cpu-offline.rest-not-run \
		[ "$(grep -c ' not run ' /tmp/rehearse.out)" = 2 ]
	kxt_check rehearse.cpu-offline.cpus-back kx_cpus_all_online
	kxt_check rehearse.cpu-offline.still-loaded \
		sh -c 'kxload -s | grep -q "loaded=1 armed=0"'
}

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_check fail.nothing-loaded exit_is 2 kxload -e
	kxt_check fail.load kxload /boot/zImage
	kxt_check fail.no-cap-sys-boot exit_is 3 kxload -P -e
	kxt_check fail.no-cap.still-loaded \
		sh -c 'kxload -s | grep -q "loaded=1"'
	cpu_offline_fails
	rehearsal_fails
	kxt_diag "cpus online: $(cat /sys/devices/system/cpu/online)"
	kx_exec_next
	;;
2)
	kx_check_arrival fail
	;;
esac
