#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-vexpress: exec-roundtrip on Versatile Express (Cortex-A9
# with a PL310 outer cache).  Both kernels check that the L2 cache
# controller really is on, so that the exec path's flush and disable of
# the outer cache is exercised and not skipped.
set -u

# kx_l2c_enabled: the kernel's L2X0 driver reported the PL310 enabled.
kx_l2c_enabled()
{
	dmesg | grep -q 'L2C-310 cache controller enabled'
}

# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "l2c.stage$1.enabled" kx_l2c_enabled
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
