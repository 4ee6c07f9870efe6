#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# smoke: the module loads, /dev/kexec appears as a 0600 misc device, and
# the module unloads cleanly.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
kxt_check module.listed grep -q '^kexec_mod ' /proc/modules
kxt_check dev.node [ -c /dev/kexec ]
kxt_check dev.mode [ "$(stat -c %a /dev/kexec)" = 600 ]
kxt_check dev.misc grep -q ' kexec$' /proc/misc
kxt_check module.rmmod rmmod kexec_mod
kxt_check dev.gone [ ! -e /dev/kexec ]
