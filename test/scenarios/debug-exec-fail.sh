#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-fail: the exec-fail scenario on the virt-debug kernel, whose
# fault injection fails the CPU offline step on purpose, under KASAN,
# lockdep and the other detectors.
set -eu
exec sh /scenarios/exec-fail.sh "$@"
