#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-breadcrumbs: with debug_uart on the virt PL011, the relocation stub
# writes E (entered), M (MMU off), I per indirection page and J (jump) to
# the console between "Bye!" and the new kernel's banner.  The guest can
# check the parameter and the arrival; the characters themselves are in
# the serial log, a line matching ^EMI+J$.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod debug_uart=0x09000000,pl011
	kxt_check breadcrumbs.param [ "$(cat \
		/sys/module/kexec_mod/parameters/debug_uart)" = \
		"0x09000000,pl011" ]
	kx_exec_next
	;;
2)
	kx_check_arrival breadcrumbs
	;;
esac
