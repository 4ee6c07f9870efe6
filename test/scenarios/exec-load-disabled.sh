#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-load-disabled: load_disabled with kernel.kexec_load_disabled's
# rules.  Stage 1 loads an image, then sets it: loads and unloads fail
# with EPERM, there is no way back, rmmod is refused (so that a fresh
# insmod cannot clear it), and the image loaded before still execs.
# Stage 2 sets it at insmod: the module is pinned from the start.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

KX_DISABLED=/sys/kernel/kexec_mod/load_disabled

# kx_refused EXPECTED-EXIT KXLOAD-ARG...: kxload exits with that code.
kx_refused()
{
	kx_want=$1
	shift
	kx_rc=0
	kxload "$@" > /dev/null 2>&1 || kx_rc=$?
	[ "$kx_rc" = "$kx_want" ]
}

# kx_disabled_rules STAGE: what holds once loading is disabled.
kx_disabled_rules()
{
	kxt_check "$1.load-eperm" kx_refused 3 /boot/zImage
	kxt_check "$1.unload-eperm" kx_refused 3 -u
	kxt_check "$1.no-way-back" \
		sh -c "! echo 0 > $KX_DISABLED 2> /dev/null"
	kxt_check "$1.still-disabled" grep -qx 1 "$KX_DISABLED"
	kxt_check "$1.rmmod-refused" sh -c '! rmmod kexec_mod 2> /dev/null'
}

case "$KX_STAGE" in
1)
	kx_insmod
	kx_load_next stage2
	kxt_check stage1.disable sh -c "echo 1 > $KX_DISABLED"
	kx_disabled_rules stage1
	kxt_diag "stage 1: exec of the image loaded before"
	kxload -e
	kxt_fail stage1.exec "the exec of the image loaded before was refused"
	;;
2)
	kx_check_arrival load-disabled
	kxt_step stage2.insmod insmod "$KX_MODULE" load_disabled=1
	kx_disabled_rules stage2
	;;
esac
