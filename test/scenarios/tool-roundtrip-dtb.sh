#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-roundtrip-dtb: kexec-mod -f (load and exec at once) with the DTB
# from a file given by --dtb; the new kernel boots with its command line
# and initrd from that file's patched /chosen.  The kernel is the zImage
# wrapped in a uImage, which the new kernel proves was unwrapped right by
# booting; -d's plan goes to the kernel log, where it must be found
# although the exec never returns to flush what the tool holds.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod
	cp /sys/firmware/fdt /tmp/board.dtb
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_step stage1.make-uimage kxt_mkuimage /tmp/uImage /boot/zImage
	kxt_expect stage1.plan-before-exec \
		'the zImage inside the uImage .kxtest-uImage., at offset 0x40'
	kxt_diag "stage 1: kexec-mod -d -f, its output to /dev/kmsg"
	kexec-mod -d -f /tmp/uImage --dtb=/tmp/board.dtb \
		--initrd="$KX_INITRD" \
		--append="$(kx_next_cmdline 2 kxtest.marker=stage2 tool.dtb=file)" \
		> /dev/kmsg 2>&1
	kxt_fail stage1.exec "kexec-mod -f returned: $?"
	;;
2)
	kx_check_arrival tool-roundtrip-dtb
	kxt_check tool-roundtrip-dtb.append [ "$(kxt_cmdline_arg tool.dtb)" = file ]
	;;
esac
