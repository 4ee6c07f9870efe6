#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-dtb-file: the DTB comes from a file instead of /sys/firmware/fdt
# (exec-chain and exec-breadcrumbs cover that one); the loader patches
# its /chosen.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod
	cp /sys/firmware/fdt /tmp/board.dtb
	kx_exec_next -d /tmp/board.dtb
	;;
2)
	kx_check_arrival dtb-file
	;;
esac
