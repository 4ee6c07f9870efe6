#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-selftests: the selftests scenario on the virt-debug kernel
# (KASAN, kmemleak, lockdep, UBSAN...), then a kmemleak scan.
set -eu
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

# KASAN's quarantine and stack depot keep some freed memory: tests that
# compare free memory read their margin from here (64 KiB by default).
KXTEST_MEM_SLACK_KIB=1024
export KXTEST_MEM_SLACK_KIB

kx_kmemleak_begin
sh /scenarios/selftests.sh "$@"
kx_kmemleak_check kmemleak.clean
