#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-race-suspend: on a kernel with PM_SLEEP (virt-kexec), a suspend
# request while an exec is in its device_shutdown() (held there by the
# test device) fails at once with EBUSY, and `reboot -f` waits on the
# system transition lock, as they do beside reboot(2): the exec holds
# that lock too.  The exec boots stage 2; the test device warns when a
# second reboot begins.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

# kx_suspend_busy: a suspend to idle is refused because the lock is held.
kx_suspend_busy()
{
	kx_out=$(sh -c 'echo freeze > /sys/power/state' 2>&1)
	case "$kx_out" in
	*busy*) return 0 ;;
	esac
	kxt_diag "suspend: '$kx_out'"
	return 1
}

case "$KX_STAGE" in
1)
	kx_testdev shutdown=sleep sleep_ms=3000
	kx_insmod
	kx_load_next stage2
	kxt_expect stage1.suspend-answered '^KXT (not )?ok stage1\.suspend-refused-busy'
	(kx_wait_window stage1 &&
		kxt_check stage1.suspend-refused-busy kx_suspend_busy &&
		kxt_step stage1.window-still-open kx_window_open &&
		reboot -f) &
	kxload -e
	kxt_fail stage1.exec "the exec returned"
	;;
2)
	kx_check_arrival race-suspend
	;;
esac
