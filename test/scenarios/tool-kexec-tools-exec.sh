#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-kexec-tools-exec: Debian's kexec-tools, unmodified, boots a new
# kernel through the module: LD_PRELOAD=libkexec-mod-preload.so
# kexec -l ... --initrd=... --append=..., then kexec -e.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

PRELOAD=/lib/libkexec-mod-preload.so

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_check stage1.kexec-load env LD_PRELOAD=$PRELOAD kexec -l /boot/zImage \
		--initrd="$KX_INITRD" \
		--append="$(kx_next_cmdline 2 kxtest.marker=stage2 tool.kexec=tools)"
	kexec-mod -S
	kxt_diag "stage 1: kexec -e"
	LD_PRELOAD=$PRELOAD kexec -e
	kxt_fail stage1.exec "kexec -e returned: $?"
	;;
2)
	kx_check_arrival tool-kexec-tools-exec
	kxt_check tool-kexec-tools-exec.append \
		[ "$(kxt_cmdline_arg tool.kexec)" = tools ]
	;;
esac
