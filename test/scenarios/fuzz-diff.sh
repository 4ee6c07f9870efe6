#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz-diff: on the virt-kexec kernel, every load the fuzzer makes goes to
# the kernel's own kexec_load(2) and to /dev/kexec, and the two errnos
# must agree call by call (fuzz_test --diff; the documented differences
# are in hardening.rst).  Two fixed seeds, then one seed from the clock,
# printed, whose run finds what the fixed ones cannot.  Replay any of
# them with `make check T=fuzz-diff SEED=N` (then only that seed runs);
# kxtest.fuzz_count=N overrides the count.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

count=$(kxt_cmdline_arg kxtest.fuzz_count)
# About 10 000 loads a second on virt-kexec, both paths together.
count=${count:-50000}
replay=$(kxt_cmdline_arg kxtest.seed)

# diff_run TAG [SEED]: one run of COUNT loads; no SEED takes the clock's.
diff_run()
{
	if [ -n "${2:-}" ]; then
		KXFUZZ_SEED=$2
		export KXFUZZ_SEED
	else
		unset KXFUZZ_SEED
	fi
	KXFUZZ_TAG=$1
	KXFUZZ_DIFF=1
	KXFUZZ_COUNT=$count
	export KXFUZZ_TAG KXFUZZ_DIFF KXFUZZ_COUNT
	kxt_run_ksft /selftests/fuzz_test | tee /tmp/fuzz-diff.out
	kxt_fuzz_calls "${1}calls" "$count" < /tmp/fuzz-diff.out
}

kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
if [ -n "$replay" ]; then
	diff_run "replay." "$replay"
else
	diff_run "seed1." 1
	diff_run "seed2." 2
	diff_run "clock." ""
fi
kxt_check module.rmmod rmmod kexec_mod
