#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-lpae-4g: exec-roundtrip on the LPAE kernel with RAM past
# 4 GiB (QEMU -M virt,highmem=on and 3.5 GiB from 1 GiB up).  The MMU-off
# copy can address 32 bits only, and a kexec segment cannot even name a
# destination above 4 GiB: sources, indirection pages and the control
# page must all stay below, which the module gets by staging in lowmem.
# Both kernels check that the RAM past 4 GiB is there and in use, or the
# test would prove nothing.
set -u

# kx_ram_above_4g: /proc/iomem has System RAM starting or ending past
# 4 GiB (addresses of more than eight hex digits).
kx_ram_above_4g()
{
	grep -E '^[0-9a-f]*-[0-9a-f]{9,} : System RAM$' /proc/iomem
}

# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "lpae-4g.stage$1.ram-above-4g" kx_ram_above_4g
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
