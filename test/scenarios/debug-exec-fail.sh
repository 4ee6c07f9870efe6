#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-fail: the exec-fail scenario on the virt-debug kernel, whose
# fault injection fails the CPU offline step on purpose, under KASAN,
# lockdep and the other detectors.  First, 100 rehearsals in a row of a
# loaded image (kexec-mod --rehearse): each passes, and together they
# leave no page of the module's and nothing kmemleak finds; then a page
# the MMU-on copy table cannot reach, injected, fails the table step.
set -eu
KX_STAGE=$1
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

KX_REHEARSALS=100

# kx_rehearse_many N: N rehearsals, each passing.
kx_rehearse_many()
{
	kx_n=0
	while [ "$kx_n" -lt "$1" ]; do
		kexec-mod --rehearse > /tmp/rehearse.out || {
			cat /tmp/rehearse.out
			return 1
		}
		kx_n=$((kx_n + 1))
	done
}

# kx_all_online: every present CPU is online.
kx_all_online()
{
	[ "$(cat /sys/devices/system/cpu/online)" = \
	  "$(cat /sys/devices/system/cpu/present)" ]
}

# kx_exec_pages: pages the module holds for an exec's tables.
kx_exec_pages()
{
	sed -n 's/^exec *//p' /sys/kernel/debug/kexec_mod/pages
}

# kx_copy_reach_fails: a page the copy table cannot reach (fault
# injection): with reloc_mode=mmu-on the rehearsal's table step fails
# and says so, the stub step does not run, the image stays; in auto mode
# the same rehearsal passes, with the MMU-off copy.
kx_copy_reach_fails()
{
	kx_fa=/sys/kernel/debug/kexec_mod/fail_copy_reach
	kx_mode=/sys/module/kexec_mod/parameters/reloc_mode
	echo 0 > "$kx_fa/verbose"
	echo 1 > "$kx_fa/times"
	echo 100 > "$kx_fa/probability"
	echo mmu-on > "$kx_mode"
	kxt_check rehearse.copy-reach \
		sh -c '! kexec-mod --rehearse > /tmp/rehearse.out 2>&1'
	echo auto > "$kx_mode"
	kxt_diag "$(tr '\n' ';' < /tmp/rehearse.out)"
	kxt_check rehearse.copy-reach.named \
		grep -q '^rehearsal: identity map and copy tables *FAILED' /tmp/rehearse.out
	kxt_check rehearse.copy-reach.stub-not-run \
		grep -q '^rehearsal: stub: .* not run ' /tmp/rehearse.out
	kxt_check rehearse.copy-reach.still-loaded \
		sh -c 'kxload -s | grep -q "^loaded=1 armed=0"'
	echo 1 > "$kx_fa/times"
	kxt_check rehearse.copy-reach.auto-mmu-off \
		sh -c 'kexec-mod --rehearse > /tmp/rehearse.out &&
			grep -q "MMU and caches off$" /tmp/rehearse.out'
	echo 0 > "$kx_fa/probability"
}

if [ "$KX_STAGE" = 1 ]; then
	kx_kmemleak_begin
	kxt_step rehearse.insmod insmod /lib/modules/kexec_mod.ko
	kxt_step rehearse.load kxload /boot/zImage
	kxt_check rehearse.many kx_rehearse_many "$KX_REHEARSALS"
	kxt_diag "last of $KX_REHEARSALS: $(tr '\n' ';' < /tmp/rehearse.out)"
	kxt_check rehearse.many.cpus-back kx_all_online
	kxt_check rehearse.many.no-exec-pages [ "$(kx_exec_pages)" = 0 ]
	kx_copy_reach_fails
	kxt_check rehearse.unload kxload -u
	kxt_check rehearse.rmmod rmmod kexec_mod
	kx_kmemleak_check rehearse.kmemleak
fi
exec sh /scenarios/exec-fail.sh "$@"
