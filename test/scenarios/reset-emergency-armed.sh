#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# reset-emergency-armed: emergency_restart() (what sysrq-b calls) in the
# middle of a reboot that armed the image must reset the board as it would
# without kexec_mod; the loaded image never starts (see kx_reset_armed).
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

case "$KX_STAGE" in
1)
	kx_reset_armed emergency
	;;
*)
	kxt_fail "stage$KX_STAGE.no-image" "the image was started instead of a reset"
	;;
esac
