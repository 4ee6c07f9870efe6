#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# portability-table.sh [RESULTS...]: print the reStructuredText table of
# Documentation/kexec_mod/portability.rst from the results of the last
# `make check` (build/logs/results.tap, or the TAP files given), the
# scenarios of test/scenarios.list and the headers and options of the
# kernel variants' fragments.  One row per variant and QEMU machine line;
# a scenario passed when it has results and none of them failed.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

[ $# -gt 0 ] || set -- "$RESULTS"
for f in "$@"; do
	[ -f "$f" ] || die "no results file $f: run make check first"
done

# options VARIANT: the kernel options that matter for kexec_mod, as the
# variant's fragments (base first) ask for them, after the name of the
# variant whose build it boots when it shares one (see kernel_of).
options()
{
	k=$(kernel_of "$1")
	[ "$k" = "$1" ] || printf '%s kernel: ' "$k"
	# shellcheck disable=SC2046
	awk -v src="$(variant_source "$1")" '
	/^CONFIG_[A-Za-z0-9_]+=/ { k = $0; sub(/=.*/, "", k); v[k] = 1 }
	/^# CONFIG_[A-Za-z0-9_]+ is not set$/ { v[$2] = 0 }
	function on(k) { return (k in v) && v[k] }
	END {
		s = "Linux " src ", " (on("CONFIG_THUMB2_KERNEL") ? "Thumb-2" : "ARM")
		if (!on("CONFIG_SMP")) s = s ", UP"
		else s = s ", SMP" (on("CONFIG_HOTPLUG_CPU") ? "+HOTPLUG_CPU" : " without HOTPLUG_CPU")
		if (on("CONFIG_ARM_PSCI")) s = s ", PSCI"
		if (on("CONFIG_ARM_LPAE")) s = s ", LPAE"
		if (on("CONFIG_HIGHMEM")) s = s ", HIGHMEM"
		if (on("CONFIG_CPU_TTBR0_PAN")) s = s ", TTBR0_PAN"
		if (on("CONFIG_CFI_CLANG")) s = s ", clang kCFI"
		if (on("CONFIG_VMSPLIT_3G")) s = s ", VMSPLIT_3G"
		if (on("CONFIG_CACHE_L2X0")) s = s ", CACHE_L2X0"
		if (on("CONFIG_SECURITY_LOCKDOWN_LSM")) s = s ", LOCKDOWN"
		if (on("CONFIG_KEXEC")) s = s ", KEXEC"
		if (on("CONFIG_KASAN")) s = s ", KASAN"
		if (on("CONFIG_KALLSYMS")) s = s ", KALLSYMS"
		print s
	}' $(variant_fragments "$1")
}

# limits VARIANT EXTRA: what kexec_mod refuses or cannot do there, and why.
limits()
{
	case "$1 $2" in
	*virtualization=on*)
		echo "None: the new kernel is entered in HYP, as the old one was" ;;
	virt-nohotplug*)
		echo "Load and exec refused: an SMP kernel without CPU hotplug cannot stop its secondaries" ;;
	virt-kexec*)
		echo "Coexists with the kernel's own kexec_load" ;;
	virt-612-lpae*)
		echo "None: the exec turns TTBR0 walks on below 2 GiB (TTBR0 PAN) and enters the stub by a branch (kCFI); with RAM above 2 GiB an image there copies with the MMU off" ;;
	virt-highmem*)
		echo "Staged pages come from highmem first (GFP_HIGHUSER), written through kmap_local_page()" ;;
	sabrelite*)
		echo "None: CPU hotplug holds the cores in reset through the SRC (recognised, fsl,imx6q); the PL310 is flushed and disabled on the way out" ;;
	raspi2b*maxcpus=1*)
		echo "None on one CPU: the secondaries never left their mailbox spin loop" ;;
	raspi2b*)
		echo "Load refused with four CPUs: BCM2836 has no cpu_kill (nor cpu_die), nothing stops the secondaries" ;;
	vexpress-*-smp\ [2-9]*)
		echo "Board without PSCI: load refused while a secondary is online or parked; secondary_cpus=park boots a nosmp kernel on one CPU" ;;
	vexpress-a9*)
		echo "None on one CPU (board without PSCI); the PL310 is flushed and disabled on the way out" ;;
	vexpress-*)
		echo "None on one CPU (board without PSCI)" ;;
	*)
		echo "None" ;;
	esac
}

# result NAME: pass, FAIL or "not run" for one scenario in the results.
result()
{
	n=$1
	shift
	awk -v n="$n/" '
	index($0, "ok - " n) == 1 { ok++ }
	index($0, "not ok - " n) == 1 { bad++ }
	END { print bad ? "FAIL" : ok ? "pass" : "not run" }' "$@"
}

rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
scenarios_selected | while read -r name variant _stages _tmo extra; do
	printf '%s|%s|%s\n' "$variant" "$extra" "$name"
done | sort -t '|' -k1,1 -k2,2 -s |
awk -F '|' '{ k = $1 "|" $2; if (k != last) { if (last != "") print last "|" s; last = k; s = $3 } else s = s " " $3 }
	END { if (last != "") print last "|" s }' > "$rows"

out=$(mktemp)
trap 'rm -f "$rows" "$out"' EXIT
while IFS='|' read -r variant extra names; do
	pass=0 fail='' notrun=''
	for n in $names; do
		case $(result "$n" "$@") in
		pass) pass=$((pass + 1)) ;;
		FAIL) fail="$fail $n" ;;
		*) notrun="$notrun $n" ;;
		esac
	done
	total=$(echo "$names" | wc -w)
	if [ "$pass" -eq 0 ] && [ -z "$fail" ]; then
		res="not run"
	else
		res="$pass/$total scenarios passed"
		[ -z "$fail" ] || res="$res; FAILED:$fail"
		[ -z "$notrun" ] || res="$res; not run:$notrun"
	fi
	machine="$(variant_field "$variant" qemu)${extra:+ $extra}"
	[ -z "$(variant_field "$variant" dtb)" ] ||
		machine="$machine -dtb $(variant_field "$variant" dtb)"
	printf '%s\t%s\t%s\t%s\t%s\n' "$variant" "$machine" \
		"$(options "$variant")" "$res" "$(limits "$variant" "$extra")"
done < "$rows" > "$out"

# An rst grid table: each column as wide as its widest cell.
awk -F '\t' '
function line(c,   i, s) { s = "+"; for (i = 1; i <= 5; i++) s = s sprintf("%s+", rep(c, w[i] + 2)); print s }
function rep(c, n,   s) { s = ""; while (n-- > 0) s = s c; return s }
function row(a,   i, s) { s = "|"; for (i = 1; i <= 5; i++) s = s sprintf(" %-" w[i] "s |", a[i]); print s }
BEGIN { split("Variant|QEMU machine|Kernel options|Result|Limits", h, "|"); for (i = 1; i <= 5; i++) w[i] = length(h[i]) }
{ n++; for (i = 1; i <= 5; i++) { c[n, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
END {
	line("-"); row(h); line("=")
	for (r = 1; r <= n; r++) { for (i = 1; i <= 5; i++) a[i] = c[r, i]; row(a); line("-") }
}' "$out"
