#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# bench-load (make bench): time the load call of a 1 MiB and a 64 MiB
# image through the in-kernel kexec and through the module.  Each load
# runs twice; scripts/bench.sh keeps the second, warm figure.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_check module.insmod insmod /lib/modules/kexec_mod.ko
for path in kernel module; do
	for mib in 1 64; do
		for run in 1 2; do
			kxt_check "load.$path.$mib.$run" kxbench load "$path" "$mib"
		done
	done
done
