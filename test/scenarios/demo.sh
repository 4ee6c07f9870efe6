#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# demo: what `make demo` shows.  The first kernel (no CONFIG_KEXEC) loads
# kexec_mod, loads the same zImage with a new command line and its own
# root as initrd through kexec-mod, and execs; the second kernel's init
# shows what it was given.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kxt_diag "first kernel: $(uname -r), kexec built in: $(
		[ -e /proc/sys/kernel/kexec_load_disabled ] && echo yes || echo no)"
	kxt_step stage1.insmod insmod /lib/modules/kexec_mod.ko
	ls -l /dev/kexec
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_check stage1.load kexec-mod -d -l /boot/zImage \
		--initrd="$KX_INITRD" \
		--command-line="$(kx_next_cmdline 2 kxtest.marker=stage2 demo=hello-from-the-first-kernel)"
	kexec-mod -S
	kxt_diag "kexec-mod -e: rebooting into the loaded kernel"
	kexec-mod -e
	kxt_fail stage1.exec "kexec-mod -e returned: $?"
	;;
2)
	kxt_diag "second kernel up: $(uname -r), command line: $(cat /proc/cmdline)"
	kxt_check demo.message [ "$(kxt_cmdline_arg demo)" = hello-from-the-first-kernel ]
	kx_check_arrival demo
	;;
esac
