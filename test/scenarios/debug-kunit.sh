#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-kunit: the kunit scenario on the virt-debug kernel, then a
# kmemleak scan.
set -eu
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

kx_kmemleak_begin
sh /scenarios/kunit.sh "$@"
kx_kmemleak_check kmemleak.clean
