#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-up: exec-roundtrip on a uniprocessor (CONFIG_SMP off)
# kernel: no secondary CPUs to take offline, one CPU online afterwards.
# shellcheck source=exec-roundtrip.sh
. /scenarios/exec-roundtrip.sh
