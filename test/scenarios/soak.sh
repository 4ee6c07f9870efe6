#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# soak: 1000 load/unload cycles of a 16 MiB image with free memory back
# within 256 KiB; 100 module load/unload rounds, each with an image
# loaded; 8 processes hammering load, unload and status for 15 s.
set -eu
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

# kx_soak NAME ARGS...: run kxsoak ARGS as kselftest NAME.
kx_soak()
{
	kx_name=$1
	shift
	printf '#!/bin/sh\nexec /bin/kxsoak %s\n' "$*" > "/tmp/$kx_name"
	chmod +x "/tmp/$kx_name"
	kxt_run_ksft "/tmp/$kx_name"
}

kxt_step module.insmod insmod /lib/modules/kexec_mod.ko
kx_soak soak-cycles cycles 1000 16
kxt_check module.rmmod rmmod kexec_mod

# The first round loads what later rounds reuse (module text, sysfs).
insmod /lib/modules/kexec_mod.ko && /bin/kxsoak load 16 && rmmod kexec_mod
# shellcheck disable=SC2046 # three numbers
set -- $(/bin/kxsoak mem)
kx_before=$1
kx_bad=0
kx_i=0
while [ "$kx_i" -lt 100 ]; do
	if ! insmod /lib/modules/kexec_mod.ko; then
		kx_bad=$((kx_bad + 1))
	else
		/bin/kxsoak load 16 || kx_bad=$((kx_bad + 1))
		rmmod kexec_mod || kx_bad=$((kx_bad + 1))
	fi
	kx_i=$((kx_i + 1))
done
# shellcheck disable=SC2046 # three numbers
set -- $(/bin/kxsoak mem)
kxt_diag "100 module rounds: free memory $kx_before -> $1 KiB" \
	"(delta $(($1 - kx_before)) KiB; MemFree $2, per-CPU lists $3)"
kxt_check module.rounds [ "$kx_bad" = 0 ]
kxt_check module.rounds_return_memory [ $(($1 - kx_before)) -ge -256 ]

kxt_step module.insmod.hammer insmod /lib/modules/kexec_mod.ko
kx_soak soak-hammer hammer 8 15
kxt_check module.rmmod.hammer rmmod kexec_mod
