#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# rehearse[.MODE]: kexec-mod --rehearse on a loaded image, then the real
# exec.  The rehearsal takes the secondary CPUs offline and back, builds
# the exec's tables for the relocation mode (forced by MODE), goes into
# the stub and back with the MMU off in between (breadcrumbs E, M, R on
# the PL011), and leaves the system as it was: the same CPUs online, the
# image loaded, a shell that goes on.  Refused while kexec_on_reboot has
# armed the image.  Then the image execs: stage 2 must arrive.  (Every
# exec-roundtrip scenario rehearses before its exec too, kx_rehearse.)
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_PARAMS=/sys/module/kexec_mod/parameters

# kx_rehearsal_mode: the report names the mode asked for.
kx_rehearsal_mode()
{
	case "$KX_RELOC" in
	mmu-on) grep -q 'MMU and caches on$' /tmp/rehearse.out ;;
	mmu-off) grep -q 'MMU and caches off$' /tmp/rehearse.out ;;
	*) grep -q 'MMU and caches o' /tmp/rehearse.out ;;
	esac
}

kx_stage1()
{
	kx_insmod debug_uart=0x09000000,pl011
	kxt_step stage1.make-initrd kx_make_initrd
	kxt_step stage1.load kxload -i "$KX_INITRD" \
		-c "$(kx_next_cmdline 2 kxtest.marker=stage2)" "$KX_IMAGE"

	kxt_expect stage1.rehearsal-breadcrumbs 'EMR'
	kx_rehearse stage1
	kxt_check stage1.report-mode kx_rehearsal_mode
	kxt_check stage1.logged sh -c \
		'dmesg | grep -q "kexec_mod: rehearsal: CPUs offline and back ok .* stub ok"'
	kxt_check stage1.tables-freed [ "$(kx_exec_pages)" = 0 ]
	kxt_check stage1.goes-on echo alive

	echo 1 > "$KX_PARAMS/kexec_on_reboot"
	kxt_check stage1.refused-when-armed sh -c '! kexec-mod --rehearse 2> /tmp/err'
	kxt_check stage1.refusal-says-why grep -q 'armed or under way' /tmp/err
	echo 0 > "$KX_PARAMS/kexec_on_reboot"

	kx_exec_next
}

# kx_exec_pages: pages the module holds for an exec's tables.
kx_exec_pages()
{
	sed -n 's/^exec *//p' /sys/kernel/debug/kexec_mod/pages 2> /dev/null
}

case "$KX_STAGE" in
1) kx_stage1 ;;
*) kx_check_arrival rehearse ;;
esac
