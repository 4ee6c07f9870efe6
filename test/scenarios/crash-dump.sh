#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# crash-dump[.LOADER]: kdump through the module, on a kernel without
# kexec.  Stage 1 (booted with mem=384M, so 0x58000000-0x5fffffff is out
# of System RAM) inserts the module with that crash region, fills 256
# pages with a marker that names a random token, starts a shell pinned
# to CPU 1 that is to panic, loads the capture kernel (virt-kexec's
# zImage, which has CRASH_DUMP and /proc/vmcore) and makes that shell
# panic.  LOADER: kexec-mod (`kexec-mod -p`, the default), kexec-tools
# (Debian's `kexec -p` through the preload library), or inkernel: the
# reference, the kernel's own kdump on virt-kexec (crashkernel= on its
# command line, `kexec -p` without the module; 0x50000000-0x57ffffff,
# below the memory the kernel takes for itself at the top of lowmem
# before it reserves the region).  Stage 2 is the capture kernel:
# /proc/vmcore describes the dead kernel's 384 MiB of RAM, every
# marked page is in it, and CPU 1's note is the panicking shell's
# PRSTATUS.  Through the module that note is the only one and CPU 0's
# buffer stays empty (its registers cannot be had once panic() stopped
# it); the kernel has CPU 0 save its own.  LOADER unloaded: loaded by
# kexec-mod -p and unloaded by kexec-mod -u -p before the panic, which
# must then take its usual course, a reset (panic=-1): stage 2 never
# runs.
set -u
KX_STAGE=$1
KX_LOADER=${2:-kexec-mod}
# shellcheck source=live-common.sh
. /scenarios/live-common.sh
# The scenario's second word is the loader, not a relocation mode.
KX_RELOC=

KX_CAPTURE=/boot/capture/zImage
KX_REGION=58000000-5fffffff
# The dead kernel's RAM, as "PADDR SIZE" lines of the dump's PT_LOADs.
KX_DUMPED="40000000 18000000"
if [ "$KX_LOADER" = inkernel ]; then
	KX_CAPTURE=/boot/zImage
	KX_REGION=50000000-57ffffff
	KX_DUMPED="40000000 10000000
58000000 08000000"
fi
KX_CRASH_INITRD=/tmp/capture.cpio
KX_MARKED=256

# kx_capture_initrd: the root without /boot (the kernels and the 32 MiB
# ballast), small enough for the capture kernel's 127 MiB.
kx_capture_initrd()
{
	(cd / && find . -xdev ! -path './boot/*' | cpio -o -H newc \
		> "$KX_CRASH_INITRD" 2> /dev/null)
}

# kx_without_mem CMDLINE: CMDLINE without mem= words.  kexec-tools adds
# its own mem= and keeps the user's: the capture kernel would take the
# union, the dead kernel's memory included (kexec-mod drops them).
kx_without_mem()
{
	for kx_w in $1; do
		case "$kx_w" in
		mem=*) ;;
		*) printf '%s ' "$kx_w" ;;
		esac
	done
}

# kx_crash_load CMDLINE: the capture kernel, by the loader asked for.
kx_crash_load()
{
	case "$KX_LOADER" in
	kexec-tools)
		LD_PRELOAD=/lib/libkexec-mod-preload.so kexec -p "$KX_CAPTURE" \
			--initrd="$KX_CRASH_INITRD" --dtb=/sys/firmware/fdt \
			--command-line="$(kx_without_mem "$1")"
		;;
	inkernel)
		kexec -p "$KX_CAPTURE" --initrd="$KX_CRASH_INITRD" \
			--dtb=/sys/firmware/fdt --command-line="$1"
		;;
	*)
		kexec-mod -p "$KX_CAPTURE" --initrd="$KX_CRASH_INITRD" \
			--append="$1"
		;;
	esac
}

# kx_crash_status RC TEXT: the loader's status of the capture kernel
# exits RC, 1 when one is loaded and 0 when not: kexec-mod -p -S, which
# also says "crash region of 128 MiB, TEXT", or kexec-tools' kexec -p -S,
# which reads /sys/kernel/kexec_crash_loaded (the module's, or the
# kernel's) and says nothing.
kx_crash_status()
{
	kx_rc=0
	kx_text="crash region of 128 MiB, $2"
	case "$KX_LOADER" in
	kexec-tools | inkernel)
		kexec -p -S > /tmp/status.out 2>&1 || kx_rc=$?
		kx_text=
		;;
	*) kexec-mod -p -S > /tmp/status.out 2>&1 || kx_rc=$? ;;
	esac
	if [ "$kx_rc" != "$1" ]; then
		kxt_diag "status exited $kx_rc, not $1: $(cat /tmp/status.out)"
		return 1
	fi
	[ -z "$kx_text" ] || grep -qxF "$kx_text" /tmp/status.out ||
		{ kxt_diag "not '$kx_text': $(cat /tmp/status.out)"; return 1; }
}

# kx_crash_unloaded_panic: unload the capture kernel, then panic; the
# board resets, or the test fails.
kx_crash_unloaded_panic()
{
	kxt_step stage1.unload kexec-mod -u -p
	kxt_check stage1.crash-unloaded \
		[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ]
	kxt_check stage1.status-unloaded kx_crash_status 0 \
		"no capture kernel loaded"
	kxt_reset_expected
	echo go > /tmp/go
	sleep 10
	kxt_fail stage1.reset "the board did not reset"
}

# kx_region_published: /proc/iomem has the crash region.
kx_region_published()
{
	grep -q "^ *$KX_REGION : Crash kernel\$" /proc/iomem
}

# kx_dump_has_prstatus PID: the dump holds a PRSTATUS note of PID.
kx_dump_has_prstatus()
{
	kxvmcore prstatus | grep -q -x "prstatus pid $1"
}

# kx_note_is_prstatus ADDR: the note buffer at ADDR holds a PRSTATUS.
kx_note_is_prstatus()
{
	kxvmcore note-at "$1" | grep -q '^prstatus pid'
}

# kx_crash_arm_panic: a shell on CPU 1 that panics the kernel once
# /tmp/go is written; its pid in $kx_panic_pid.
kx_crash_arm_panic()
{
	mkfifo /tmp/go
	taskset 2 sh -c "read -r x < /tmp/go; echo panic > $KX_TESTDEV/act" &
	kx_panic_pid=$!
}

kx_stage1()
{
	kx_testdev
	[ "$KX_LOADER" = inkernel ] || kx_insmod crashkernel=128M@0x58000000
	kxt_check stage1.region kx_region_published
	kxt_check stage1.crash-not-loaded \
		[ "$(cat /sys/kernel/kexec_crash_loaded)" = 0 ]
	kxt_check stage1.status-not-loaded kx_crash_status 0 \
		"no capture kernel loaded"
	kxt_check stage1.crash-notes-cpu0 \
		[ -s /sys/devices/system/cpu/cpu0/crash_notes ]
	kxt_check stage1.crash-notes-size \
		[ "$(cat /sys/devices/system/cpu/cpu1/crash_notes_size)" -gt 100 ]

	kx_token=$(head -c 8 /dev/urandom | hexdump -e '8/1 "%02x"')
	kxvmcore hold "$kx_token" "$KX_MARKED" > /tmp/hold.out &
	kx_polls=0
	until grep -q held /tmp/hold.out 2> /dev/null; do
		kx_polls=$((kx_polls + 1))
		[ "$kx_polls" -lt 100 ] || break
		sleep 0.1
	done
	kxt_check stage1.marker-held grep -q held /tmp/hold.out
	kx_crash_arm_panic
	kxt_step stage1.capture-initrd kx_capture_initrd
	kx_note0=$(cat /sys/devices/system/cpu/cpu0/crash_notes)
	kx_note1=$(cat /sys/devices/system/cpu/cpu1/crash_notes)
	kxt_step "stage1.load-$KX_LOADER" kx_crash_load \
		"$(kx_next_cmdline 2 kxtest.marker=stage2 maxcpus=1 reset_devices \
			kxtest.token="$kx_token" kxtest.panic_pid="$kx_panic_pid" \
			kxtest.note0="$kx_note0" kxtest.note1="$kx_note1")"
	kxt_check stage1.crash-loaded \
		[ "$(cat /sys/kernel/kexec_crash_loaded)" = 1 ]
	kxt_check stage1.status-loaded kx_crash_status 1 \
		"a capture kernel is loaded"
	if [ "$KX_LOADER" = unloaded ]; then
		kx_crash_unloaded_panic
		return
	fi
	if [ "$KX_LOADER" = inkernel ]; then
		kxt_expect stage1.crash-start 'Loading crashdump kernel\.\.\.$'
	else
		kxt_expect stage1.crash-start 'kexec_mod: Starting crash kernel$'
	fi
	kxt_diag "panicking pid $kx_panic_pid on CPU 1, token $kx_token"
	echo go > /tmp/go
	sleep 10
	kxt_fail stage1.panic "no panic, or the capture kernel did not start"
}

kx_stage2()
{
	if [ "$KX_LOADER" = unloaded ]; then
		kxt_fail stage2.not-started "the unloaded capture kernel started"
		return
	fi
	kx_token=$(kxt_cmdline_arg kxtest.token)
	kx_pid=$(kxt_cmdline_arg kxtest.panic_pid)
	kxt_step stage2.marker [ "$(kxt_cmdline_arg kxtest.marker)" = stage2 ]
	kxt_check stage2.vmcore [ -r /proc/vmcore ]
	kxt_check stage2.booted-on-cpu1 \
		sh -c 'dmesg | grep -q "Booting Linux on physical CPU 0x1$"'
	kxt_check stage2.vmcore-ram [ "$(kxvmcore loads)" = "$KX_DUMPED" ]
	kxt_check stage2.vmcore-marks kxvmcore marks "$kx_token" "$KX_MARKED"
	if [ "$KX_LOADER" = inkernel ]; then
		kxt_check stage2.prstatus-panicked kx_dump_has_prstatus "$kx_pid"
	else
		kxt_check stage2.prstatus-one \
			[ "$(kxvmcore prstatus)" = "prstatus pid $kx_pid" ]
	fi
	kxt_check stage2.prstatus-cpu1 \
		[ "$(kxvmcore note-at "$(kxt_cmdline_arg kxtest.note1)")" = "prstatus pid $kx_pid" ]
	if [ "$KX_LOADER" = inkernel ]; then
		kxt_check stage2.note-cpu0 \
			kx_note_is_prstatus "$(kxt_cmdline_arg kxtest.note0)"
	else
		kxt_check stage2.note-cpu0-empty \
			[ "$(kxvmcore note-at "$(kxt_cmdline_arg kxtest.note0)")" = empty ]
	fi
	kxt_diag "vmcore: $(kxvmcore loads | tr '\n' ' '); $(kxvmcore prstatus | tr '\n' ' ')"
}

case "$KX_STAGE" in
1) kx_stage1 ;;
2) kx_stage2 ;;
*) kxt_fail "stage$KX_STAGE.unexpected" "no such stage" ;;
esac
