#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-restart-prio: the exec-restart-prio scenario on the
# virt-debug kernel, under KASAN, lockdep and the other detectors (the
# live-system scenarios' locks, notifiers and panic path).
set -eu
exec sh /scenarios/exec-restart-prio.sh "$@"
