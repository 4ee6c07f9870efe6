#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# run.sh [PATTERN]: boot each QEMU scenario of $SCENARIOS (default
# test/scenarios.list) whose name contains PATTERN (and whose variant is
# $VARIANT, when set) with scripts/run-one.sh, $KX_JOBS at a time
# (default: one per CPU; a guest is mostly one busy host thread), the
# scenarios of the kernel check.sh builds first first.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

mkdir -p "$BUILD/logs"
: > "$BUILD/logs/durations"
export RESULTS
scenarios_in_build_order "${1:-}" |
	xargs -r -L 1 -P "${KX_JOBS:-$(nproc)}" sh "$top/scripts/run-one.sh"
