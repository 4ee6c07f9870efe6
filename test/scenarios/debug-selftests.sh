#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-selftests: the selftests scenario on the virt-debug kernel
# (KASAN, kmemleak, lockdep, UBSAN...), then a kmemleak scan.
set -eu
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

kx_kmemleak_begin
sh /scenarios/selftests.sh "$@"
kx_kmemleak_check kmemleak.clean
