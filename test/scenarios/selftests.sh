#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftests: every kselftest program built from selftests/kexec_mod/,
# run with the module loaded.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

# A crash region where the scenario hid one from the kernel (mem=) and
# names it (kxtest.crashkernel=), for the crash image tests; they say
# SKIP without one.
crash=$(kxt_cmdline_arg kxtest.crashkernel)
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko \
	${crash:+"crashkernel=$crash"}
# The programs the sources have (/lib/selftests.expect, listed when the
# initramfs is built): one missing, or none at all, is a failure rather
# than a shorter, quieter run.
kxt_run_ksft_all /selftests /lib/selftests.expect
kxt_check module.rmmod rmmod kexec_mod
