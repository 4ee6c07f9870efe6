#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-chain: the exec-chain scenario on the virt-debug kernel.
set -eu
exec sh /scenarios/exec-chain.sh "$@"
