#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-chain: five kexec reboots in a row in one QEMU run (KX_CHAIN_LAST,
# the last stage, 6 unless set); every kernel on the way gets its marker,
# all CPUs and the initrd intact, and loads the module again to go on,
# the zImage going over the running kernel each time.  Each hop is
# exec-roundtrip's, which runs on virt and virt-debug as this chain's
# first hop.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

if [ "$KX_STAGE" -gt 1 ]; then
	kx_check_arrival "chain$KX_STAGE"
fi
if [ "$KX_STAGE" -lt "${KX_CHAIN_LAST:-6}" ]; then
	kx_insmod
	kxt_check "chain$KX_STAGE.dest-over-running-kernel" kx_over_running_kernel
	kx_exec_next
fi
