#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-612: exec-roundtrip on the kernel built from Linux 6.12.
# Each stage first checks that it runs 6.12, so that a variant quietly
# built from another source cannot pass for it.
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh
kxt_check "stage$1.linux-6.12" grep -q '^Linux version 6\.12\.' /proc/version
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
