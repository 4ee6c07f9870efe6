#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-reboot STAGE PATH FILLER_MIB [RELOC_MODE] (make bench): kexec
# through PATH (kernel or module) with FILLER_MIB MiB of filler into the
# small /boot/arrive.cpio, whose init stamps the timer at once and ends
# stage 2.  RELOC_MODE (mmu-on, mmu-off) forces the module's relocation.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

path=$2
mib=$3
reloc=${4:-}
[ "$path" = kernel ] ||
	kxt_step module.insmod insmod /lib/modules/kexec_mod.ko \
		${reloc:+"reloc_mode=$reloc"}
next=
read -r cmdline < /proc/cmdline
for w in $cmdline; do
	case "$w" in
	kxtest.stage=*) ;;
	*) next="$next $w" ;;
	esac
done
kxbench exec "$path" "$mib" /boot/arrive.cpio "${next# } kxtest.stage=2"
kxt_fail "reboot.$path.$mib" "kxbench exec returned"
