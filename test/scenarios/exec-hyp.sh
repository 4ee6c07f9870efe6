#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-hyp: a kexec on a board that enters the kernel in HYP mode (QEMU
# virt with virtualization=on).  The module must find that in the boot
# log and enter the new kernel in HYP too: otherwise its boot CPU starts
# in SVC and the secondaries in HYP, which it reports as a WARNING.  With
# debug_uart, the serial log shows H between M and the first I: the
# return to HYP goes before the copy, so the copy runs with the MMU off.
KX_CRUMBS='^EMHI+J'
# shellcheck source=exec-breadcrumbs.sh
. /scenarios/exec-breadcrumbs.sh
