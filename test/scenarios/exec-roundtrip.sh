#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip: kexec into the same zImage, at its usual place (over the
# running kernel), with the root as initrd and a new command line; the new
# kernel must see its marker, all CPUs back online and the initrd intact.
# Before the exec, kexec-mod --rehearse tries every step that can be
# undone and must leave CPUs and image as they were.
set -u
KX_STAGE=$1
# Every round trip rehearses its exec first (kx_exec_next).
KX_REHEARSE=1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_check roundtrip.dest-over-running-kernel kx_over_running_kernel
	kx_exec_next
	;;
2)
	kx_check_arrival roundtrip
	;;
esac
