#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-612: exec-roundtrip on the kernel built from Linux 6.12
# with what distributions' kernels have: LPAE, HIGHMEM and so TTBR0 PAN,
# built by clang-19 with kCFI (kernel.sh checks that CFI_CLANG ended up
# set), booted with 1 GiB so that highmem is there.  Each stage first
# checks that it runs 6.12, so that a variant quietly built from another
# source cannot pass for it; stage 1 also that clang built it, that the
# module saw TTBR0 PAN (its insmod line) and that there is highmem, or
# the round trip would prove less than it claims.
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "stage$1.linux-6.12" grep -q '^Linux version 6\.12\.' /proc/version
if [ "$1" = 1 ]; then
	kxt_check stage1.highmem grep -q '^HighTotal: *[1-9]' /proc/meminfo
	kxt_check stage1.clang grep -q 'clang version 19\.' /proc/version
	kxt_expect stage1.ttbr0-pan \
		'kexec_mod: TTBR0 PAN: the kernel runs with TTBR0 walks off; the exec turns them on below 0x80000000 for its tables'
fi
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
