#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-roundtrip-bigimage: on a HIGHMEM kernel with 2 GiB (about 760 MiB
# of it lowmem), an image of about 900 MiB: more than lowmem could hold,
# within the half-of-RAM rule.  Staged in lowmem only, it ran out (ENOMEM,
# or before that the OOM killer); its pages must come from highmem, as the
# kernel's do.
#
# Stage 1 first loads and unloads 850 MiB of zeroes: the load must take
# highmem and the unload give every page back.  Then it execs with
# KX_BALLAST_MIB MiB of ballast (kxload -B: a pattern in 12 segments at
# the top of RAM) on top of the usual kernel, initrd and DTB, and a
# command line whose mem= leaves the ballast out of the next kernel's
# System RAM.  Stage 2 reads it back through /dev/mem, every word.
set -u
KX_STAGE=$1
KX_BALLAST_MIB=840
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

# kx_meminfo FIELD: a /proc/meminfo field in KiB.
kx_meminfo()
{
	awk -v f="$1:" '$1 == f { print $2 }' /proc/meminfo
}

# kx_pages_held: what the module's page count says it holds.
kx_pages_held()
{
	awk '{ n += $2 } END { print n + 0 }' /sys/kernel/debug/kexec_mod/pages
}

# kx_ram FIELD: start (1) or end (2, exclusive) of the first System RAM
# range, in hex without 0x: what kxload puts the ballast under.
kx_ram()
{
	sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : System RAM$/\1 \2/p' \
		/proc/iomem | head -n 1 | {
		read -r kx_start kx_last
		if [ "$1" = 1 ]; then
			echo "$kx_start"
		else
			printf '%x\n' $((0x$kx_last + 1))
		fi
	}
}

# kx_zeroes_take_highmem MIB: a load of MIB MiB of zeroes, more than
# lowmem has free, takes at least what lowmem could not hold from highmem
# and leaves at least 40 % of the free lowmem free (highmem first, or on
# LPAE lowmem first up to half of it); its unload gives it all back.
kx_zeroes_take_highmem()
{
	kx_low=$(kx_meminfo LowFree)
	kx_high=$(kx_meminfo HighFree)
	kxload -Z "$1" > /dev/null || return 1
	kx_low_loaded=$(kx_meminfo LowFree)
	kx_high_loaded=$(kx_meminfo HighFree)
	kxt_diag "$1 MiB loaded: LowFree $kx_low -> $kx_low_loaded KiB, HighFree $kx_high -> $kx_high_loaded KiB"
	kxload -u || return 1
	[ "$(kx_pages_held)" = 0 ] || return 1
	[ $((kx_low_loaded * 10)) -ge $((kx_low * 4)) ] || return 1
	[ $((kx_high - kx_high_loaded)) -ge $(($1 * 1024 - kx_low)) ]
}

case "$KX_STAGE" in
1)
	kx_insmod
	kxt_diag "LowTotal $(kx_meminfo LowTotal) KiB, LowFree $(kx_meminfo LowFree) KiB, HighFree $(kx_meminfo HighFree) KiB"
	kxt_check bigimage.image-exceeds-lowfree \
		[ $((KX_BALLAST_MIB * 1024)) -gt "$(kx_meminfo LowFree)" ]
	kxt_check bigimage.zeroes-take-highmem kx_zeroes_take_highmem 850
	kx_base=$(kx_ram 1)
	kx_at=$(printf '0x%x' $((0x$(kx_ram 2) - KX_BALLAST_MIB * 1048576)))
	KX_NEXT_WORDS="mem=$(((kx_at - 0x$kx_base) / 1048576))M kxtest.ballast=$KX_BALLAST_MIB@$kx_at"
	kx_exec_next -B "$KX_BALLAST_MIB"
	;;
2)
	kx_check_arrival bigimage
	kxt_check bigimage.ballast-intact \
		kxload -V "$(kxt_cmdline_arg kxtest.ballast)"
	;;
esac
