#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-restart-prio: a restart handler that holds priority 255 before the
# module's would run first and reset the board; the exec must be refused
# with EBUSY and a dmesg line saying why, and the system keep running with
# the image loaded and every CPU back.
set -u
KX_STAGE=$1
# shellcheck source=live-common.sh
. /scenarios/live-common.sh

case "$KX_STAGE" in
1)
	kx_testdev restart_prio=255
	kx_insmod
	kx_load_next wrong
	kxt_expect stage1.refusal-logged \
		'kexec_mod: cannot kexec: another restart handler holds priority 255'
	kx_rc=0
	kxload -e || kx_rc=$?
	kxt_check stage1.exec-refused-busy [ "$kx_rc" = 4 ]
	kxt_check stage1.cpus-back kx_cpus_as_before
	kxt_check stage1.image-kept sh -c 'kxload -s | grep -q "loaded=1"'
	;;
*)
	kxt_fail "stage$KX_STAGE.no-image" "the exec went through"
	;;
esac
