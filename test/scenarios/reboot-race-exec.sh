#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# reboot-race-exec: an exec asked for while a plain reboot is in its
# device_shutdown() (held there by the test device) is refused with
# EBUSY: a reboot has begun, and a second device_shutdown() must not run
# beside it.  The reboot then resets the board.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

case "$KX_STAGE" in
1)
	kx_testdev shutdown=sleep sleep_ms=3000
	kx_insmod
	kx_load_next wrong
	kxt_expect stage1.refusal-logged \
		'kexec_mod: cannot kexec: a reboot or power-off is under way$'
	(kx_wait_window stage1 &&
		kx_rc=0 && { kxload -e > /dev/null 2>&1 || kx_rc=$?; } &&
		kxt_check stage1.exec-refused-busy [ "$kx_rc" = 4 ] &&
		kxt_step stage1.window-still-open kx_window_open &&
		kxt_reset_expected) &
	kxt_diag "stage 1: busybox reboot -f, kexec_on_reboot not set"
	reboot -f
	sleep 10
	kxt_fail stage1.reboot "reboot returned"
	;;
*)
	kxt_fail "stage$KX_STAGE.no-image" "the image was started by a refused exec"
	;;
esac
