#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kunit: the KUnit suites of kexec_mod_kunit.ko; KUnit reports to the
# kernel log, turned into KXT lines here.  The suites call into
# kexec_mod.ko, which exports what they test to them alone: it goes in
# first and out last.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

# A kernel with KUnit built in has /sys/module/kunit (its stats_enabled
# parameter): there, a missing test module is a failure, not a skip.
if [ ! -f /lib/modules/kexec_mod_kunit.ko ]; then
	if [ -d /sys/module/kunit ]; then
		kxt_fail kunit.module "kexec_mod_kunit.ko not in the initramfs, yet the kernel has KUnit"
	else
		kxt_skip kunit.module "kexec_mod_kunit.ko not built (kernel without KUnit)"
	fi
	exit 0
fi
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
dmesg -c > /dev/null
kxt_step kunit.insmod insmod /lib/modules/kexec_mod_kunit.ko
# Each case's result, then each suite of the sources (/lib/kunit.expect,
# from scripts/kunit-expect.sh) held to its case count: a suite missing,
# or with a plan or results short, fails kunit.SUITE.complete.
kxt_kunit_results /lib/kunit.expect
kxt_check kunit.rmmod rmmod kexec_mod_kunit
kxt_check module.rmmod rmmod kexec_mod
