#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-roundtrip: kexec-mod -l with --initrd and --append and the DTB
# from /sys/firmware/fdt, then kexec-mod -e; the new kernel must see the
# command line it was given and the initrd intact.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_check stage1.load kexec-mod -d -l /boot/zImage \
		--initrd="$KX_INITRD" \
		--append="$(kx_next_cmdline 2 kxtest.marker=stage2 tool.append=yes)"
	kexec-mod -S
	kxt_diag "stage 1: kexec-mod -e"
	kexec-mod -e
	kxt_fail stage1.exec "kexec-mod -e returned: $?"
	;;
2)
	kx_check_arrival tool-roundtrip
	kxt_check tool-roundtrip.append [ "$(kxt_cmdline_arg tool.append)" = yes ]
	kxt_check tool-roundtrip.initrd-in-dtb \
		[ -e /proc/device-tree/chosen/linux,initrd-start ]
	;;
esac
