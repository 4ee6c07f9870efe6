#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-load STAGE [MIB...] (make bench, and make check's bench guard):
# time the load call of an image of each MIB size (default: 1 and 64)
# through the in-kernel kexec and through the module.  Each load runs
# twice; the figures kept are the second, warm ones.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

shift
[ $# -gt 0 ] || set -- 1 64
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
for path in kernel module; do
	for mib in "$@"; do
		for run in 1 2; do
			kxt_check "load.$path.$mib.$run" kxbench load "$path" "$mib"
		done
	done
done
