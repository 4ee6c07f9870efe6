#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# lockdown: once the kernel is locked down, a load is refused with EPERM,
# as kexec_load refuses it (LOCKDOWN_KEXEC), while status still answers.
# Lockdown is one way, so it gets a boot of its own; the module is loaded
# first because an unsigned module cannot be loaded afterwards.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

lockdown=/sys/kernel/security/lockdown
if [ ! -f "$lockdown" ]; then
	kxt_skip lockdown.load-refused "no lockdown LSM in this kernel"
	exit 0
fi
kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
kxt_check lockdown.load-before /bin/kxload /boot/zImage
kxt_check lockdown.unload-before /bin/kxload -u
kxt_check lockdown.raise sh -c "echo integrity > $lockdown"
kxt_diag "lockdown: $(cat "$lockdown")"

rc=0
/bin/kxload /boot/zImage 2> /tmp/lockdown.err || rc=$?
kxt_diag "kxload: $(cat /tmp/lockdown.err)"
kxt_check lockdown.load-refused [ "$rc" != 0 ]
kxt_check lockdown.load-eperm \
	grep -q 'KEXEC_MOD_LOAD: Operation not permitted' /tmp/lockdown.err
kxt_check lockdown.status-answers /bin/kxload -s
