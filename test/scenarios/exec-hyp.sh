#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-hyp: a kexec on a board that enters the kernel in HYP mode (QEMU
# virt with virtualization=on).  The module must find that in the boot
# log and enter the new kernel in HYP too: otherwise its boot CPU starts
# in SVC and the secondaries in HYP, which it reports as a WARNING.  With
# debug_uart, the serial log shows where HYP mode is entered: with the
# MMU off, H between M and the first I (the kernel's HYP stub takes the
# CPU there, before the copy can overwrite it); with the MMU on, V after
# C (the stub's own HYP vectors go in before the copy) and H after M.
# Stage 2 checks that the new kernel says it started in HYP mode.
case "${2:-}" in
mmu-off) KX_CRUMBS='^EMHI+J' ;;
*) KX_CRUMBS='^ECVI+MHJ' ;;
esac
# The module reads the boot mode from the kernel's own line at insmod.
if [ "$1" = 1 ]; then
	echo "KXT expect hyp.boot-mode-read kexec_mod: CPUs booted in HYP mode \(boot log\)$"
fi
# The rehearsal (exec-breadcrumbs.sh) stays in SVC mode.
# shellcheck source=exec-breadcrumbs.sh
. /scenarios/exec-breadcrumbs.sh

# The new kernel must have been entered in HYP mode, not merely survived.
if [ "$KX_STAGE" = 2 ]; then
	kxt_check hyp.stage2-started-in-hyp \
		sh -c 'dmesg | grep -q "CPU: All CPU(s) started in HYP mode\."'
fi
