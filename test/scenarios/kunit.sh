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

if [ ! -f /lib/modules/kexec_mod_kunit.ko ]; then
	kxt_skip kunit.module "kexec_mod_kunit.ko not built (kernel without KUnit)"
	exit 0
fi
kxt_check module.insmod insmod /lib/modules/kexec_mod.ko
dmesg -c > /dev/null
kxt_check kunit.insmod insmod /lib/modules/kexec_mod_kunit.ko
kxt_kunit_results > /tmp/kunit.tap
kxt_check kunit.reported [ -s /tmp/kunit.tap ]
cat /tmp/kunit.tap
kxt_check kunit.rmmod rmmod kexec_mod_kunit
kxt_check module.rmmod rmmod kexec_mod
