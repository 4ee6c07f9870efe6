#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftests-612: the selftests scenario (the load path's errno tests and
# the rest of the kselftests, built against the 6.1 uapi headers) on the
# kernel built from Linux 6.12.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_check linux-6.12 grep -q '^Linux version 6\.12\.' /proc/version
sh /scenarios/selftests.sh "$@"
