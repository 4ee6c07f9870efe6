#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# demo: what `make demo` shows.  Loads the module, shows /dev/kexec and
# unloads it again.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_check module.insmod insmod /lib/modules/kexec_mod.ko
ls -l /dev/kexec
grep kexec /proc/misc
kxt_check dev.node [ -c /dev/kexec ]
kxt_check module.rmmod rmmod kexec_mod
