#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-breadcrumbs: with debug_uart on the virt PL011, the relocation stub
# writes E (entered), C (copy table on, MMU-on copy only), M (MMU off), H
# (back in HYP mode, where the kernel was entered in it), I per
# indirection page and J (jump) to the console between "Bye!" and the new
# kernel's banner.  The guest checks the parameter and the arrival; the
# host checks the line, in the order of the relocation mode: ^EM(H)?I+J
# with the MMU off, ^ECI+MJ with it on (auto on virt; KX_CRUMBS, set by
# a scenario sourcing this one, overrides).  The exec is exec-roundtrip's,
# with its checks: the zImage over the running kernel, and the marker, the
# CPUs and the initrd in the new kernel.
set -u
KX_STAGE=$1
# The exec is rehearsed first (kx_exec_next): its breadcrumbs EMR come
# before the exec's, which the order check below does not take for its own.
KX_REHEARSE=1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

if [ -z "${KX_CRUMBS:-}" ]; then
	case "$KX_RELOC" in
	mmu-off) KX_CRUMBS='^EM(H)?I+J' ;;
	*) KX_CRUMBS='^ECI+MJ' ;;
	esac
fi

case "$KX_STAGE" in
1)
	param=/sys/module/kexec_mod/parameters/debug_uart
	kx_insmod debug_uart=0x09000000,pl011
	kxt_check breadcrumbs.dest-over-running-kernel kx_over_running_kernel
	kxt_check breadcrumbs.param [ "$(cat "$param")" = 0x09000000,pl011 ]
	kxt_check breadcrumbs.param-8250 sh -c "echo 0x1c090000,8250 > $param &&
		[ \"\$(cat $param)\" = 0x1c090000,8250 ]"
	kxt_check breadcrumbs.param-bad-type \
		sh -c "! echo 0x1c090000,16550 > $param 2>/dev/null"
	kxt_check breadcrumbs.param-unaligned \
		sh -c "! echo 0x09000001,pl011 > $param 2>/dev/null"
	kxt_check breadcrumbs.param-off sh -c "echo off > $param &&
		[ \"\$(cat $param)\" = off ]"
	# A UART the copy table cannot map 1:1 (KX_FAR_UART, beyond TTBR0's
	# reach on LPAE): no MMU-on copy, which would write to it.
	if [ -n "${KX_FAR_UART:-}" ]; then
		kxt_step breadcrumbs.load-for-status kxload /boot/zImage
		echo "$KX_FAR_UART,pl011" > "$param"
		case "$KX_RELOC" in
		mmu-on) kx_want=none ;;
		*) kx_want=mmu-off ;;
		esac
		kxt_check breadcrumbs.far-uart-no-mmu-on-copy \
			sh -c "kxload -s | grep -q ' reloc_mode=$kx_want\$'"
		# With mmu-on forced, the exec is refused, and kexec-mod
		# says it is the relocation mode.
		if [ "$kx_want" = none ]; then
			kexec-mod -e > /tmp/far-uart.out 2>&1
			kxt_diag "$(head -n 2 /tmp/far-uart.out)"
			kxt_check breadcrumbs.far-uart-exec-refused grep -q \
				"exec failed: reloc_mode=mmu-on is forced but cannot be had for this image" \
				/tmp/far-uart.out
		fi
	fi
	echo 0x09000000,pl011 > "$param"
	kxt_expect breadcrumbs.order "$KX_CRUMBS"
	kx_exec_next
	;;
2)
	kx_check_arrival breadcrumbs
	;;
esac
