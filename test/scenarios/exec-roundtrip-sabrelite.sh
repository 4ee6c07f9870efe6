#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-sabrelite: exec-roundtrip on QEMU's i.MX6Q Sabre Lite,
# four Cortex-A9 with a PL310 and no PSCI, where the kernel's CPU hotplug
# holds a core taken down in reset through the SRC.  The module must
# recognise the SoC by itself (secondary_cpus left at auto, its insmod line
# naming the SoC and the kernel code that proves it); all four CPUs must
# be back in stage 2, and both kernels check that the PL310 is on, so that
# its flush and disable on the way out is exercised.
set -u

# kx_l2c_enabled: the kernel's L2X0 driver reported the PL310 enabled.
kx_l2c_enabled()
{
	dmesg | grep -q 'L2C-310 cache controller enabled'
}

# kx_soc_recognised: insmod says how the SoC stops its CPUs, with
# secondary_cpus left at auto; the module goes out again either way.
kx_soc_recognised()
{
	dmesg -c > /dev/null
	insmod /lib/modules/kexec_mod.ko || return 1
	kx_rc=0
	dmesg | grep -q 'kexec_mod: secondary CPUs: powered off by the SoC.s CPU hotplug (fsl,imx6q: arch/arm/mach-imx/hotplug.c imx_cpu_kill()' ||
		kx_rc=1
	grep -qx auto /sys/module/kexec_mod/parameters/secondary_cpus ||
		kx_rc=1
	rmmod kexec_mod || kx_rc=1
	return "$kx_rc"
}

# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "l2c.stage$1.enabled" kx_l2c_enabled
kxt_check "sabrelite.stage$1.four-cpus" \
	[ "$(cat /sys/devices/system/cpu/online)" = 0-3 ]
[ "$1" != 1 ] || kxt_check sabrelite.soc-recognised kx_soc_recognised
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
