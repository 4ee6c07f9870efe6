#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# highmem-big-image: on a HIGHMEM kernel with 2 GiB (about 760 MiB of it
# lowmem), an image of 850 MiB is within the half-of-RAM rule and must
# load, its pages staged in highmem as the kernel's are (GFP_HIGHUSER);
# staged in lowmem only, it ran out (ENOMEM, or before that the OOM
# killer).  Its unload gives every page back.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

KX_MIB=850

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

kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
kxt_diag "LowTotal $(kx_meminfo LowTotal) KiB, LowFree $(kx_meminfo LowFree) KiB, HighFree $(kx_meminfo HighFree) KiB"
# What makes the test: more than lowmem could hold.
kxt_check highmem.image-exceeds-lowfree \
	[ $((KX_MIB * 1024)) -gt "$(kx_meminfo LowFree)" ]
kxt_check highmem.big-image-loads kxload -Z "$KX_MIB"
kxt_check highmem.status-loaded sh -c 'kxload -s | grep -q "^loaded=1 "'
kxt_diag "after the load: LowFree $(kx_meminfo LowFree) KiB, HighFree $(kx_meminfo HighFree) KiB"
kxt_check highmem.unload kxload -u
kxt_check highmem.pages-back [ "$(kx_pages_held)" = 0 ]
kxt_check module.rmmod rmmod kexec_mod
