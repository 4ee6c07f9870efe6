#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# tool-kexec-tools: Debian's own kexec-tools `kexec`, unmodified, drives
# the module through the LD_PRELOAD library: it loads and unloads, a
# syscall() the library does not handle still reaches the kernel, a
# missing /dev/kexec is reported on stderr, a refused exec is explained
# in kexec's terms, and kexec-mod -S exits as kexec -l -S.
set -u
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

PRELOAD=/lib/libkexec-mod-preload.so
OUT=/tmp/tool-kexec-tools.out

pkexec()
{
	LD_PRELOAD=$PRELOAD kexec "$@"
}

kxt_check kexec.runs kexec --version
kxt_check kexec.runs-preloaded pkexec --version

# Before insmod: a clear message, not a silent ENOSYS from the kernel.
pkexec -l /boot/zImage > "$OUT" 2>&1
kxt_check no-device.message grep -q \
	"kexec-mod-preload: cannot open /dev/kexec: the kexec_mod module is not loaded" "$OUT"
kxt_diag "$(head -n 3 "$OUT")"

kxt_step insmod insmod /lib/modules/kexec_mod.ko
kxt_check load pkexec -l /boot/zImage --append="console=ttyAMA0 x=1"
kexec-mod -S > "$OUT" 2>&1
cat "$OUT"
kxt_check load.status grep -q "a kernel is loaded" "$OUT"
kxt_check load.entry grep -q "entry point   0x40008000" "$OUT"
kxt_check load.kexec_loaded [ "$(cat /sys/kernel/kexec_loaded)" = 1 ]

kxt_check load.initrd pkexec -l /boot/zImage --initrd=/boot/big.bin --append=y=2
kxt_check load.initrd-status sh -c 'kexec-mod -S | grep -q "segments      3,"'

kxt_check unload pkexec -u
kxt_check unload.status sh -c 'kexec-mod -S | grep -q "nothing loaded"'
kxt_check unload.kexec_loaded [ "$(cat /sys/kernel/kexec_loaded)" = 0 ]

# kexec -e with nothing loaded stops at kexec_loaded, read through the
# library; the system keeps running.
pkexec -e > "$OUT" 2>&1
kxt_check exec.nothing-loaded grep -q "Nothing has been loaded" "$OUT"
# Past that check (kexec_loaded saying 1 over the module's word), the
# module's ENOENT reaches the library, whose advice is kexec's own -l.
echo 1 > /tmp/one
mount --bind /tmp/one /sys/kernel/kexec_mod/loaded
pkexec -e > "$OUT" 2>&1
umount /sys/kernel/kexec_mod/loaded
kxt_diag "$(head -n 2 "$OUT")"
kxt_check exec.enoent-advice grep -q \
	"kexec-mod-preload: exec: nothing is loaded: load a kernel first (kexec -l)" "$OUT"

# kexec-mod -S exits as kexec -l -S does: 1 with a kernel loaded, 0
# without (kexec-tools returns what /sys/kernel/kexec_loaded says).
status_rc()
{
	sr_rc=0
	"$@" > /dev/null 2>&1 || sr_rc=$?
	echo "$sr_rc"
}
kexec_rc=$(status_rc pkexec -l -S)
tool_rc=$(status_rc kexec-mod -S)
kxt_diag "nothing loaded: kexec -l -S exits $kexec_rc, kexec-mod -S $tool_rc"
kxt_check status.unloaded-as-kexec [ "$kexec_rc.$tool_rc" = 0.0 ]
kxt_step status.load pkexec -l /boot/zImage
kexec_rc=$(status_rc pkexec -l -S)
tool_rc=$(status_rc kexec-mod -S)
kxt_diag "loaded: kexec -l -S exits $kexec_rc, kexec-mod -S $tool_rc"
kxt_check status.loaded-as-kexec [ "$kexec_rc.$tool_rc" = 1.1 ]
kxt_step status.unload pkexec -u

# kexec_file_load is not the library's: syscall() passes it to the
# kernel, which has no such call here (ENOSYS).  kexec must report that
# and go on to its own error message, where earlier shims aborted.
rc=0
pkexec -s -l /boot/zImage > "$OUT" 2>&1 || rc=$?
kxt_diag "kexec -s: exit $rc: $(head -n 2 "$OUT")"
kxt_check passthrough.kernel-answered \
	grep -q "kexec_file_load not available" "$OUT"
kxt_check passthrough.nothing-loaded sh -c 'kexec-mod -S | grep -q "nothing loaded"'
kxt_check rmmod rmmod kexec_mod
