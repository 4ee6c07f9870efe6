#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-roundtrip: the exec-roundtrip scenario on the virt-debug
# kernel: the exec path under KASAN, lockdep and the other detectors.
set -eu
exec sh /scenarios/exec-roundtrip.sh "$@"
