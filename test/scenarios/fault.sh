#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# fault: failslab and fail_page_alloc aimed at a 4-segment load, at the
# allocations of an exec before its point of no return, and at insmod
# (kxfault), then a kmemleak scan: every failure ends in an errno, keeps
# the previous image, returns its pages and leaks nothing.  On one CPU
# (the scenario list says -smp 1): no failure lands in the kernel's CPU
# hotplug.
set -eu
# shellcheck source=debug-common.sh
. /scenarios/debug-common.sh

kx_kmemleak_begin
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
kxt_run_ksft /bin/kxfault
kxt_check module.rmmod rmmod kexec_mod
kx_kmemleak_check kmemleak.clean
