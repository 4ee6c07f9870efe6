#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-bigimage-lpae: exec-roundtrip-bigimage on the LPAE kernel,
# which stages in lowmem first and in highmem once lowmem runs out.  With
# 2 GiB all of RAM lies within TTBR0's 3 GiB, so the MMU-on copy reaches
# the highmem pages too.
set -u
# shellcheck source=exec-roundtrip-bigimage.sh
. /scenarios/exec-roundtrip-bigimage.sh
