#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-smp-vexpress-a15: exec-smp-vexpress on the CoreTile A15x2, whose
# device tree has no PSCI either: the board's CPU hotplug parks CPUs.
# shellcheck source=exec-smp-vexpress.sh
. /scenarios/exec-smp-vexpress.sh
