#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-cross: prove the copy.  Every other exec scenario boots the zImage
# that is running, so a stub that copied nothing could land in a kernel
# already in place and pass.  Here each exec goes into a different
# kernel: from virt-612-lpae (Linux 6.12) into the virt kernel (6.1), with the
# module built for 6.12, then back into 6.12 with the module built for
# 6.1.  Each stage checks that the kernel running is the very build it
# asked for: /proc/version against the banner initramfs.sh took from
# that build's vmlinux (version, build number, date).
set -u
KX_STAGE=$1

case "$KX_STAGE" in
2)
	# In the 6.1 kernel: its module, and the 6.12 zImage next.
	KX_MODULE=/lib/modules/cross/kexec_mod.ko
	banner=/boot/cross/banner
	;;
*)
	KX_IMAGE=/boot/cross/zImage
	banner=/boot/banner
	;;
esac
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

# kx_is_build BANNER: the running kernel is the build BANNER names.
kx_is_build()
{
	[ -s "$1" ] && [ "$(cat /proc/version)" = "$(cat "$1")" ]
}

kxt_check "cross.stage$KX_STAGE.build" kx_is_build "$banner"
kxt_diag "running: $(cat /proc/version)"
case "$KX_STAGE" in
1)
	kxt_check cross.has-other-kernel [ -s /boot/cross/zImage ]
	kx_insmod
	kx_exec_next
	;;
2)
	kx_check_arrival cross.61
	kxt_check cross.61.version sh -c 'uname -r | grep -q "^6\.1\."'
	kx_insmod
	kx_exec_next
	;;
3)
	kx_check_arrival cross.612
	kxt_check cross.612.version sh -c 'uname -r | grep -q "^6\.12\."'
	;;
esac
