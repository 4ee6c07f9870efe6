#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-kexec-tools-inkernel, on virt-kexec (a kernel with its own kexec):
# the same kexec-tools binary without the library uses the kernel's
# kexec_load; with the library its load goes to the module instead and
# the kernel's image stays empty, and kexec -e, which reads the kernel's
# /sys/kernel/kexec_loaded, is sent to the module's file and boots.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

PRELOAD=/lib/libkexec-mod-preload.so

case "$KX_STAGE" in
1)
	kxt_check inkernel.load kexec -l /boot/zImage --append=x=1
	kxt_check inkernel.loaded [ "$(cat /sys/kernel/kexec_loaded)" = 1 ]
	kxt_check inkernel.unload kexec -u
	kxt_check inkernel.unloaded [ "$(cat /sys/kernel/kexec_loaded)" = 0 ]

	kxt_step stage1.insmod insmod /lib/modules/kexec_mod.ko
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_check preload.load env LD_PRELOAD=$PRELOAD kexec -l /boot/zImage \
		--initrd="$KX_INITRD" \
		--append="$(kx_next_cmdline 2 kxtest.marker=stage2 tool.kexec=inkernel)"
	kxt_check preload.module-loaded \
		[ "$(cat /sys/kernel/kexec_mod/loaded)" = 1 ]
	kxt_check preload.kernel-untouched \
		[ "$(cat /sys/kernel/kexec_loaded)" = 0 ]
	kxt_diag "stage 1: kexec -e through the module"
	LD_PRELOAD=$PRELOAD kexec -e
	kxt_fail stage1.exec "kexec -e returned: $?"
	;;
2)
	kx_check_arrival tool-kexec-tools-inkernel
	kxt_check tool-kexec-tools-inkernel.append \
		[ "$(kxt_cmdline_arg tool.kexec)" = inkernel ]
	;;
esac
