#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-reboot-armed: a reboot has armed the loaded image (kexec_on_reboot)
# and is in device_shutdown(), held there for three seconds by the test
# device's sleeping shutdown callback (kxtestdev shutdown=sleep).  Another
# process tries meanwhile to unload the image, to replace it and to remove
# the module: each must be refused with EBUSY, as kexec_load(2) is while
# kernel_kexec() runs, and the armed image must be the one that boots.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

# kx_race_the_reboot: run in the background before the reboot; waits for
# the window, then tries each change.
kx_race_the_reboot()
{
	kx_wait_window stage1 || return 0
	kx_rc=0
	kxload -u 2> /dev/null || kx_rc=$?
	kxt_check stage1.unload-refused-while-armed [ "$kx_rc" = 4 ]
	kx_rc=0
	kxload -c kxtest.marker=replaced /boot/zImage > /dev/null 2>&1 ||
		kx_rc=$?
	kxt_check stage1.replace-refused-while-armed [ "$kx_rc" = 4 ]
	kxt_check stage1.rmmod-refused-while-armed \
		sh -c '! rmmod kexec_mod 2> /dev/null'
	# All three inside the window, or they proved nothing.
	kxt_step stage1.window-still-open kx_window_open
}

case "$KX_STAGE" in
1)
	kx_testdev shutdown=sleep sleep_ms=3000
	kx_insmod kexec_on_reboot=1
	kx_load_next stage2
	kx_race_the_reboot &
	kxt_diag "stage 1: busybox reboot -f"
	sync
	reboot -f
	sleep 10
	kxt_fail stage1.reboot "reboot returned"
	;;
2)
	kx_check_arrival reboot-armed
	;;
esac
