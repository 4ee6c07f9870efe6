#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-vexpress-a15: exec-roundtrip on Versatile Express with
# the CoreTile A15x2 (Cortex-A15, GIC, architected timer; the L2 cache is
# the core's own, no PL310).  Its device tree declares two CPUs, so with
# one of them the CPU check must compare with the first kernel, not with
# the CPUs present.
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
