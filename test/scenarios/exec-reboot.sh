#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-reboot: with kexec_on_reboot set and an image loaded, an ordinary
# busybox reboot boots the loaded kernel instead of resetting the board.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod kexec_on_reboot=1
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_check stage1.load kxload -i "$KX_INITRD" \
		-c "$(kx_next_cmdline 2 kxtest.marker=stage2)" /boot/zImage
	kxt_check stage1.status-armed sh -c 'kxload -s | grep -q "armed=1"'
	kxt_diag "stage 1: busybox reboot -f"
	sync
	reboot -f
	sleep 10
	kxt_fail stage1.reboot "reboot returned"
	;;
2)
	kx_check_arrival reboot
	;;
esac
