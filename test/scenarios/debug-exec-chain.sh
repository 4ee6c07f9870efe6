#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debug-exec-chain: the exec-chain scenario on the virt-debug kernel,
# three kexecs instead of five (each boot under the detectors costs about
# 13 s of make check's budget; virt runs all five).
set -eu
KX_CHAIN_LAST=4 exec sh /scenarios/exec-chain.sh "$@"
