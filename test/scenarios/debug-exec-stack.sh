#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-stack: the restart runs on the module's own stack, whose
# lowest bytes hold a guard pattern checked before the jump.  On the
# virt-debug kernel the fault attribute kexec_mod/fail_restart_stack
# writes into the guard as an overflow would: the restart must panic
# (and the board reset) instead of starting the image.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

KX_FAIL=/sys/kernel/debug/kexec_mod/fail_restart_stack

case "$KX_STAGE" in
1)
	kx_insmod
	kx_load_next wrong
	kxt_check stage1.fault-attribute [ -d "$KX_FAIL" ]
	echo 0 > "$KX_FAIL/verbose"
	echo 1 > "$KX_FAIL/times"
	echo 100 > "$KX_FAIL/probability"
	kxt_reset_expected
	kxload -e
	kxt_fail stage1.exec "the exec returned"
	;;
*)
	kxt_fail "stage$KX_STAGE.no-image" "the image was started with its stack guard broken"
	;;
esac
