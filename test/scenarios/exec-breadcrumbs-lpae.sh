#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-breadcrumbs-lpae: exec-breadcrumbs, and so the round trip, on the
# ARM-state LPAE kernel (virt-arm's build, Debian's armmp-lpae): the UART
# and the control page get 1:1 blocks in two private second-level tables,
# and the MMU-on copy runs on a long-descriptor copy table of 2 MiB
# blocks.
# A debug UART above 3 GiB lies beyond TTBR0's reach (TTBR1 translates the
# top gigabyte): the copy table cannot map it, so no MMU-on copy then.
KX_FAR_UART=0xd0000000
# shellcheck source=exec-breadcrumbs.sh
. /scenarios/exec-breadcrumbs.sh
