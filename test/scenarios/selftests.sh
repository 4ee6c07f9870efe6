#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# selftests: every kselftest program built from selftests/kexec_mod/,
# run with the module loaded.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_check module.insmod insmod /lib/modules/kexec_mod.ko
for t in /selftests/*; do
	[ -x "$t" ] || continue
	kxt_diag "running $t"
	kxt_run_ksft "$t"
done
kxt_check module.rmmod rmmod kexec_mod
