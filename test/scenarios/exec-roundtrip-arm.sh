#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-arm: exec-roundtrip on the ARM-state (not Thumb-2) kernel.
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
