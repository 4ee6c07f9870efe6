#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# demo.sh: build everything, boot the virt guest and run the demo
# scenario, showing its console.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

sh "$top/scripts/deps.sh"
sh "$top/scripts/kernel.sh" virt
sh "$top/scripts/initramfs.sh" virt
RESULTS="$BUILD/logs/demo.tap"
: > "$RESULTS"
KX_CONSOLE=1 RESULTS=$RESULTS sh "$top/scripts/run.sh" demo
! grep -q '^not ok' "$RESULTS"
