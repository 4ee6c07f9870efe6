#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-hyp-forged: on a board that boots in SVC (QEMU virt without
# virtualization=on), root writes the kernel's "started in HYP mode" line
# to /dev/kmsg before the module is loaded.  The module must not take it
# for the boot mode (it carries the user facility): an hvc on this CPU
# would be an undefined instruction with the MMU off, and the board would
# hang.  The exec must enter the new kernel in SVC and boot stage 2.
# QEMU shows no hang (an hvc without EL2 went by as a no-op here), so the
# checks are on what the module decided: the boot mode it read, and the
# breadcrumbs of an MMU-on copy without HYP (no V for the stub's HYP
# vectors, no H).
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	echo "CPU: All CPU(s) started in HYP mode." > /dev/kmsg
	kx_insmod debug_uart=0x09000000,pl011
	kxt_check stage1.boot-mode-svc \
		sh -c 'dmesg | grep -q "kexec_mod: CPUs booted in SVC mode"'
	kxt_expect stage1.no-hyp-entry '^ECI+MJ$'
	kx_exec_next
	;;
2)
	kx_check_arrival hyp-forged
	kxt_check stage2.started-in-svc \
		sh -c 'dmesg | grep -q "CPU: All CPU(s) started in SVC mode\."'
	;;
esac
