#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-highmem: exec-roundtrip on a HIGHMEM kernel whose RAM
# reaches into highmem: the staged pages and the control page must come
# from lowmem, the copy must still land everywhere.  Both kernels check
# that there is highmem at all, or the test would prove nothing.
set -u

# kx_has_highmem: /proc/meminfo counts some highmem.
kx_has_highmem()
{
	kb=$(sed -n 's/^HighTotal: *\([0-9]*\) kB$/\1/p' /proc/meminfo)
	echo "KXT # HighTotal: ${kb:-none} kB"
	[ "${kb:-0}" -gt 0 ]
}

# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "highmem.stage$1.present" kx_has_highmem
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
