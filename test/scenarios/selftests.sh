#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftests: every kselftest program built from selftests/kexec_mod/,
# run with the module loaded.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
# The programs the sources have (/lib/selftests.expect, listed when the
# initramfs is built): one missing, or none at all, is a failure rather
# than a shorter, quieter run.
kxt_run_ksft_all /selftests /lib/selftests.expect
kxt_check module.rmmod rmmod kexec_mod
