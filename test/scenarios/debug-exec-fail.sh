#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-fail: the exec-fail scenario on the virt-debug kernel, whose
# fault injection fails the CPU offline step on purpose, under KASAN,
# lockdep and the other detectors.  First, 100 rehearsals in a row of a
# loaded image (kexec-mod --rehearse): each passes, and together they
# leave no page of the module's and nothing kmemleak finds.
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

if [ "$KX_STAGE" = 1 ]; then
	kx_kmemleak_begin
	kxt_step rehearse.insmod insmod /lib/modules/kexec_mod.ko
	kxt_step rehearse.load kxload /boot/zImage
	kxt_check rehearse.many kx_rehearse_many "$KX_REHEARSALS"
	kxt_diag "last of $KX_REHEARSALS: $(tr '\n' ';' < /tmp/rehearse.out)"
	kxt_check rehearse.many.cpus-back kx_all_online
	kxt_check rehearse.many.no-exec-pages [ "$(kx_exec_pages)" = 0 ]
	kxt_check rehearse.unload kxload -u
	kxt_check rehearse.rmmod rmmod kexec_mod
	kx_kmemleak_check rehearse.kmemleak
fi
exec sh /scenarios/exec-fail.sh "$@"
