# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the scenarios on the virt-debug kernel (sourced, not a
# scenario itself): a kmemleak baseline before the test and a scan after.
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

KX_KMEMLEAK=/sys/kernel/debug/kmemleak

# kx_kmemleak_begin: forget what the kernel itself left unreferenced while
# booting, so that the scan after the test shows the test's leaks only.
# The baseline scan is kept off the console (the kernel has no sysctl, so
# `dmesg -n`, then back to the default level 7): its "new suspected"
# line is about the kernel, not about kexec_mod, and would fail the log
# check.
kx_kmemleak_begin()
{
	if [ ! -w "$KX_KMEMLEAK" ]; then
		kxt_fail kmemleak.available "no $KX_KMEMLEAK (kernel without DEBUG_KMEMLEAK?)"
		return 1
	fi
	dmesg -n 4
	echo scan > "$KX_KMEMLEAK"
	kx_boot=$(grep -c '^unreferenced object' "$KX_KMEMLEAK" || true)
	echo clear > "$KX_KMEMLEAK"
	dmesg -n 7
	kxt_diag "kmemleak: $kx_boot object(s) from boot set aside"
}

# kx_wait SECONDS: wait by /proc/uptime.  `sleep` alone returns at once
# on a kernel without COMPAT_32BIT_TIME: busybox sleeps with the time32
# nanosleep call.
kx_wait()
{
	read -r kx_up _ < /proc/uptime
	kx_until=$((${kx_up%.*} + $1 + 1))
	while read -r kx_up _ < /proc/uptime && [ "${kx_up%.*}" -lt "$kx_until" ]; do
		sleep 1 2> /dev/null || true
	done
}

# kx_kmemleak_check NAME: scan (kmemleak reports an object only once it is
# 5 s old, so wait first) and fail NAME with the report if anything of
# the test leaked.  The report goes to the console too, where the host
# runner fails the scenario on it as well.
kx_kmemleak_check()
{
	kx_wait 6
	echo scan > "$KX_KMEMLEAK"
	echo scan > "$KX_KMEMLEAK"
	kx_leaks=$(grep -c '^unreferenced object' "$KX_KMEMLEAK" || true)
	if [ "$kx_leaks" = 0 ]; then
		kxt_ok "$1"
	else
		sed 's/^/KXT # /' "$KX_KMEMLEAK"
		kxt_fail "$1" "$kx_leaks unreferenced object(s), report above"
	fi
}
