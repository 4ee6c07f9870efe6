# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the kexec scenarios (sourced, not a scenario itself).  A kexec
# scenario runs its stage 1 in the first kernel and its later stages in the
# kernels it kexecs into, all in one QEMU run.
# shellcheck source=../initramfs/kxtest.sh
. /lib/kxtest.sh

# The sourcing scenario sets KX_STAGE, its stage number.
: "${KX_STAGE:?KX_STAGE must be set before sourcing exec-common.sh}"
KX_INITRD=/tmp/initrd.cpio

# The CPUs the first kernel had online when its scenario started, carried
# to the kernels it kexecs into as kxtest.cpus= (kx_next_cmdline): each of
# those must come up with the same CPUs online.  "present" is no reference
# there: a device tree may declare more CPUs than the machine has
# (vexpress-a9's declares four, QEMU may run one).  Empty in a later
# stage whose command line lost it, which kx_cpus_as_before fails.
KX_CPUS=$(kxt_cmdline_arg kxtest.cpus)
if [ -z "$KX_CPUS" ] && [ "$KX_STAGE" = 1 ]; then
	KX_CPUS=$(cat /sys/devices/system/cpu/online)
fi

# A scenario named SCRIPT.MODE (exec-roundtrip.mmu-off) runs SCRIPT with
# the relocation forced into MODE (the module's reloc_mode: mmu-on or
# mmu-off); the scenario's second argument.
KX_RELOC=${2:-}

# The module for the running kernel, and the image kx_exec_next loads:
# a scenario that crosses to another kernel sets them (exec-cross).
KX_MODULE=${KX_MODULE:-/lib/modules/kexec_mod.ko}
KX_IMAGE=${KX_IMAGE:-/boot/zImage}

# kx_insmod [PARAM=VALUE...]: load the module, a test result of its own;
# with reloc_mode=KX_RELOC when the scenario forces a mode.
# shellcheck disable=SC2120 # the parameters are optional
kx_insmod()
{
	kxt_step "stage$KX_STAGE.insmod" insmod "$KX_MODULE" \
		${KX_RELOC:+"reloc_mode=$KX_RELOC"} "$@"
}

# kx_reloc_line: the log line of the relocation mode an exec will use:
# the forced one, or either in auto mode.
kx_reloc_line()
{
	case "$KX_RELOC" in
	mmu-on) echo 'kexec_mod: relocation with the MMU and caches on$' ;;
	mmu-off) echo 'kexec_mod: relocation with the MMU and caches off' ;;
	*) echo 'kexec_mod: relocation with the MMU and caches o(n|ff)' ;;
	esac
}

# kx_make_initrd: pack the running root (this very initramfs: init,
# scenarios, tools, /boot/big.bin) as the next kernel's initrd.
kx_make_initrd()
{
	(cd / && find . -xdev | cpio -o -H newc > "$KX_INITRD" 2>/dev/null)
}

# kx_next_cmdline STAGE [WORD...]: the current command line with
# kxtest.stage=STAGE and kxtest.cpus=$KX_CPUS instead of earlier
# kxtest.stage=, kxtest.marker= and kxtest.cpus= words, plus WORDs (a
# kxtest.cpus= among them replaces $KX_CPUS: a kernel told to bring up
# fewer CPUs).
kx_next_cmdline()
{
	kx_stage=$1
	shift
	kx_cpus="kxtest.cpus=$KX_CPUS"
	for kx_w in "$@"; do
		case "$kx_w" in
		kxtest.cpus=*) kx_cpus= ;;
		esac
	done
	kx_out=
	read -r kx_line < /proc/cmdline
	for kx_w in $kx_line; do
		case "$kx_w" in
		kxtest.stage=*|kxtest.marker=*|kxtest.cpus=*) ;;
		*) kx_out="$kx_out $kx_w" ;;
		esac
	done
	echo "${kx_out# } kxtest.stage=$kx_stage${kx_cpus:+ $kx_cpus} $*"
}

# kx_over_running_kernel: the zImage's destination, RAM + 0x8000, lies
# inside the running kernel's code, as with any ordinary kexec.
kx_over_running_kernel()
{
	ram=$(sed -n 's/^\([0-9a-f]*\)-[0-9a-f]* : System RAM$/\1/p' \
		/proc/iomem | head -n 1)
	code=$(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : Kernel code$/\1 \2/p' \
		/proc/iomem)
	dest=$((0x$ram + 0x8000))
	[ $((0x${code% *})) -le "$dest" ] && [ "$dest" -le $((0x${code#* })) ]
}

# kx_cpus_all_online: every present CPU is online (within one kernel, on
# a machine that has every CPU its device tree declares).
kx_cpus_all_online()
{
	[ "$(cat /sys/devices/system/cpu/online)" = \
	  "$(cat /sys/devices/system/cpu/present)" ]
}

# kx_cpus_as_before: the CPUs online are those of $KX_CPUS.
kx_cpus_as_before()
{
	[ -n "$KX_CPUS" ] &&
		[ "$(cat /sys/devices/system/cpu/online)" = "$KX_CPUS" ]
}

# kx_check_arrival NAME: the checks every stage after a kexec makes: this
# kernel got the marker and the initrd intact, and has the CPUs the first
# kernel had (or those kxtest.cpus= asked for).
kx_check_arrival()
{
	kx_marker=$(kxt_cmdline_arg kxtest.marker)
	kxt_step "$1.marker" [ "$kx_marker" = "stage$KX_STAGE" ]
	kxt_check "$1.cpus-online" kx_cpus_as_before
	kxt_check "$1.initrd-intact" \
		sh -c 'cd /boot && sha256sum -c -s big.sha256'
	kxt_diag "cpus online: $(cat /sys/devices/system/cpu/online), expected: ${KX_CPUS:-none}"
}

# kx_rehearse NAME: kexec-mod --rehearse on the loaded image (its report
# in /tmp/rehearse.out): every step passes, and the CPUs online and the
# loaded image are as before.
kx_rehearse()
{
	kx_online=$(cat /sys/devices/system/cpu/online)
	kxt_check "$1.rehearse" sh -c 'kexec-mod --rehearse > /tmp/rehearse.out'
	kxt_diag "$(tr '\n' ';' < /tmp/rehearse.out)"
	kxt_check "$1.rehearse-all-ok" \
		[ "$(grep -c '^rehearsal: .* ok  *[0-9]* us$' /tmp/rehearse.out)" = 3 ]
	kxt_check "$1.rehearse-cpus-back" \
		[ "$(cat /sys/devices/system/cpu/online)" = "$kx_online" ]
	kxt_check "$1.rehearse-image-kept" \
		sh -c 'kxload -s | grep -q "^loaded=1 armed=0"'
}

# kx_exec_next [KXLOAD-OPTION...]: load $KX_IMAGE with the root as
# initrd and a command line for the next stage (plus the words of
# $KX_NEXT_WORDS, when set), rehearse the exec where $KX_REHEARSE is set
# (kx_rehearse), then exec.  Returns only if the exec failed, which is
# then a failed test.
# shellcheck disable=SC2120 # the options are optional
kx_exec_next()
{
	kx_next=$((KX_STAGE + 1))
	kxt_step "stage$KX_STAGE.make-initrd" kx_make_initrd
	# shellcheck disable=SC2086 # KX_NEXT_WORDS is a list of words
	kxt_check "stage$KX_STAGE.load" kxload -i "$KX_INITRD" \
		-c "$(kx_next_cmdline "$kx_next" "kxtest.marker=stage$kx_next" \
			${KX_NEXT_WORDS:-})" \
		"$@" "$KX_IMAGE"
	[ -z "${KX_REHEARSE:-}" ] || kx_rehearse "stage$KX_STAGE"
	kxt_diag "stage $KX_STAGE: exec into stage $kx_next"
	kxt_expect "stage$KX_STAGE.reloc-mode" "$(kx_reloc_line)"
	kxload -e
	kxt_fail "stage$KX_STAGE.exec" "exec returned: $?"
	return 1
}
