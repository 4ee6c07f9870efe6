#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-reboot-race-exec: the reboot-race-exec scenario on the virt-debug
# kernel, under KASAN, lockdep and the other detectors (the live-system
# scenarios' locks, notifiers and panic path).
set -eu
exec sh /scenarios/reboot-race-exec.sh "$@"
