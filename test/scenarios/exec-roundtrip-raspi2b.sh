#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-raspi2b: exec-roundtrip on QEMU's Raspberry Pi 2 B booted
# with maxcpus=1: the secondaries never left their spin loop, so nothing
# runs in the old kernel's memory and the load is accepted; both kernels
# run on CPU 0 alone (the command line is passed on).  RAM starts at 0.
set -u
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
