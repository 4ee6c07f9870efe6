#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fuzz: the ioctl fuzzer at full length on the virt-debug kernel, then a
# kmemleak scan.  kxtest.seed=N on the command line replays a seed
# (`make check T=fuzz SEED=N`); kxtest.fuzz_count=N overrides the count.
set -eu
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

# virt-debug runs 150 to 240 calls/s: 9000 calls take under a minute
# and fit make check's budget (the volume is fuzz-diff's, 150 000 loads
# on a fast kernel; this run is for the detectors); 100 000
# (kxtest.fuzz_count=100000) take seven.  See hardening.rst.
KXFUZZ_COUNT=$(kxt_cmdline_arg kxtest.fuzz_count)
KXFUZZ_COUNT=${KXFUZZ_COUNT:-9000}
KXFUZZ_SEED=$(kxt_cmdline_arg kxtest.seed)
export KXFUZZ_COUNT
if [ -n "$KXFUZZ_SEED" ]; then
	export KXFUZZ_SEED
else
	unset KXFUZZ_SEED
fi

kx_kmemleak_begin
# With a crash region (hidden by the scenario's mem=), so that crash
# loads pass as well as fail.
crash=$(kxt_cmdline_arg kxtest.crashkernel)
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko \
	${crash:+"crashkernel=$crash"}
kxt_run_ksft /selftests/fuzz_test | tee /tmp/fuzz.out
# Its results say nothing of how much was fuzzed: a run of no calls (a
# count lost on its way, or 0) passes them all.
kxt_fuzz_calls fuzz.calls "$KXFUZZ_COUNT" < /tmp/fuzz.out
kxt_check module.rmmod rmmod kexec_mod
kx_kmemleak_check kmemleak.clean
