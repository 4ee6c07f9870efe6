#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-race-reboot: `reboot -f` while an exec is in its device_shutdown()
# (held there by the test device) must wait for the jump, not run a second
# device_shutdown() beside it: the module's first reboot notifier holds it
# on a kernel without PM_SLEEP (virt), and the test device warns when a
# second reboot begins.  The exec boots stage 2.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

case "$KX_STAGE" in
1)
	kx_testdev shutdown=sleep sleep_ms=3000
	kx_insmod
	kx_load_next stage2
	kxt_expect stage1.reboot-waits-for-the-jump \
		'kexec_mod: a reboot came during the exec: it waits for the jump$'
	(kx_wait_window stage1 && reboot -f) &
	kxload -e
	kxt_fail stage1.exec "the exec returned"
	;;
2)
	kx_check_arrival race-reboot
	;;
esac
