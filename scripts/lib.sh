# SPDX-License-Identifier: GPL-2.0-only
# Helpers shared by the bench scripts; sourced, not run.

# shellcheck disable=SC2034
BUILD=${BUILD:-$top/build}

log()
{
	echo "[kxbench] $*" >&2
}

die()
{
	echo "[kxbench] error: $*" >&2
	exit 1
}

ARCH=arm
CROSS_COMPILE=arm-linux-gnueabihf-
export ARCH CROSS_COMPILE

# The 6.1 source: what kernels are built from unless their fragment names
# another, and what the userspace programs and checkpatch come from.
KSRC_TARBALL=${KSRC_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
KSRC=$BUILD/src/linux-source-6.1
CONFIGS=$top/test/configs

# variant_field VARIANT KEY: value of a "# kxbench-KEY:" line of the fragment.
variant_field()
{
	sed -n "s/^# kxbench-$2: *//p" "$CONFIGS/$1.config" | head -n 1
}

# variant_fragments VARIANT: the fragment files, base first.
variant_fragments()
{
	base=$(variant_field "$1" base)
	[ -z "$base" ] || variant_fragments "$base"
	echo "$CONFIGS/$1.config"
}

# variant_inherited VARIANT FIELD: "# kxbench-FIELD:" in the variant's
# fragment, else its base's, and so on; empty when none names it.
variant_inherited()
{
	val=$(variant_field "$1" "$2")
	base=$(variant_field "$1" base)
	[ -n "$val" ] || [ -z "$base" ] || val=$(variant_inherited "$base" "$2")
	echo "$val"
}

# variant_source VARIANT: the version of Debian's linux-source-VERSION the
# variant is built from ("# kxbench-source:", inherited), else 6.1.
variant_source()
{
	src=$(variant_inherited "$1" source)
	echo "${src:-6.1}"
}

# variant_llvm VARIANT: the LLVM= suffix the variant's kernel, and every
# module for it, is built with ("# kxbench-llvm: -19" for Debian's
# clang-19, ld.lld-19 and llvm-*-19, inherited); empty for GCC.
variant_llvm()
{
	variant_inherited "$1" llvm
}

# source_tarball VERSION, source_dir VERSION: where Debian's package puts
# the tarball of linux-source-VERSION, where it is unpacked.
source_tarball()
{
	if [ "$1" = 6.1 ]; then
		echo "$KSRC_TARBALL"
	else
		echo "/usr/src/linux-source-$1.tar.xz"
	fi
}

source_dir()
{
	echo "$BUILD/src/linux-source-$1"
}

# own_options VARIANT: the option lines of the variant's own fragment (its
# base's not included); fails when there are none.
own_options()
{
	grep -E '^CONFIG_[A-Za-z0-9_]+=|^# CONFIG_[A-Za-z0-9_]+ is not set$' \
		"$CONFIGS/$1.config"
}

# kernel_of VARIANT: the variant whose kernel build (and initramfs) VARIANT
# boots.  A variant that asks for no option of its own and is built from
# its base's source is its base's kernel on another board, as one
# multi-platform kernel serves many boards: it shares that build rather
# than compiling the same kernel twice.
kernel_of()
{
	ko_base=$(variant_field "$1" base)
	if [ -z "$ko_base" ] || own_options "$1" > /dev/null ||
	   [ "$(variant_source "$1")" != "$(variant_source "$ko_base")" ]; then
		echo "$1"
	else
		kernel_of "$ko_base"
	fi
}

# sharing_variants KERNEL: the variants that boot KERNEL's build.
sharing_variants()
{
	for sv in $(variant_list); do
		[ "$(kernel_of "$sv")" != "$1" ] || echo "$sv"
	done
}

variant_list()
{
	for f in "$CONFIGS"/*.config; do
		basename "$f" .config
	done
}

# kernel_dir VARIANT: the build directory of the kernel VARIANT boots.
kernel_dir()
{
	echo "$BUILD/kernel/$(kernel_of "$1")"
}

# input_hash FILE...: one hash over the contents of the named files.
input_hash()
{
	cat "$@" | sha256sum | cut -d' ' -f1
}

RESULTS=${RESULTS:-$BUILD/logs/results.tap}

# tap_result STATUS NAME [REASON]: record one TAP line (STATUS ok, fail or
# skip) on stdout and in $RESULTS.
tap_result()
{
	case "$1" in
	ok)   line="ok - $2" ;;
	skip) line="ok - $2 # SKIP ${3:-}" ;;
	*)    line="not ok - $2${3:+ # $3}" ;;
	esac
	echo "$line" | tee -a "$RESULTS"
}

# tap_run NAME COMMAND...: run a host-side check, its output kept in
# build/logs/NAME.log (slashes become dashes), and record its result.
# Returns the command's success.
tap_run()
{
	tr_name=$1
	shift
	tr_log="$BUILD/logs/$(echo "$tr_name" | tr / -).log"
	if "$@" > "$tr_log" 2>&1; then
		tap_result ok "$tr_name"
	else
		tap_result fail "$tr_name" "see build/logs/$(basename "$tr_log")"
		return 1
	fi
}

# tap_step NAME COMMAND...: tap_run for a step the tests need, not a
# test (building a kernel or an initramfs): a failure is "not ok NAME",
# success only a "#" line, so that the summary counts what was tested.
tap_step()
{
	ts_name=$1
	shift
	ts_log="$BUILD/logs/$(echo "$ts_name" | tr / -).log"
	if "$@" > "$ts_log" 2>&1; then
		echo "# ok - $ts_name" | tee -a "$RESULTS"
	else
		tap_result fail "$ts_name" "see build/logs/$(basename "$ts_log")"
		return 1
	fi
}

# scenarios_selected [PATTERN]: the lines of $SCENARIOS (default
# test/scenarios.list) whose name contains PATTERN and, when $VARIANT is
# set, whose kernel variant is $VARIANT.
scenarios_selected()
{
	grep -v -e '^#' -e '^[[:space:]]*$' "${SCENARIOS:-$top/test/scenarios.list}" |
		awk -v p="${1:-}" -v v="${VARIANT:-}" \
			'{ sub(/[ \t]+$/, "") } index($1, p) && (v == "" || $2 == v)'
}

# scenario_variants [PATTERN]: the kernel variants those scenarios use.
scenario_variants()
{
	scenarios_selected "${1:-}" | awk '{ print $2 }' | sort -u
}

# scenario_kernels [PATTERN]: the kernel builds those scenarios boot, in
# the order check.sh builds them: the kernel whose scenarios may take
# longest (the sum of their timeouts) first, so that its scenarios run
# while the others build.
scenario_kernels()
{
	scenarios_selected "${1:-}" | while read -r _name sk _stages tmo _extra; do
		echo "$(kernel_of "$sk") $tmo"
	done | awk '{ t[$1] += $2 } END { for (k in t) print t[k], k }' |
		sort -k1,1nr -k2,2 | awk '{ print $2 }'
}

# debian_kernel [PATTERN]: the kernel build the selected runner:debian
# scenarios boot (those booting the Debian root filesystem), after whose
# build check.sh builds that filesystem; empty when none is selected.
debian_kernel()
{
	scenarios_selected "${1:-}" | awk '/[ \t]runner:debian([ \t]|$)/ { print $2 }' |
		while read -r dk; do
			kernel_of "$dk"
		done | head -n 1
}

# scenarios_in_build_order [PATTERN]: scenarios_selected, the scenarios of
# the kernel built first first, each kernel's in the order of the list.
scenarios_in_build_order()
{
	sb_rank=0
	sb_ranks=$(for sk in $(scenario_kernels "${1:-}"); do
		sb_rank=$((sb_rank + 1))
		for sv in $(sharing_variants "$sk"); do
			echo "$sv $sb_rank"
		done
	done)
	scenarios_selected "${1:-}" | awk -v ranks="$sb_ranks" '
		BEGIN { n = split(ranks, r, "\n")
			for (i = 1; i <= n; i++) { split(r[i], f, " "); rank[f[1]] = f[2] } }
		{ printf "%d %d %s\n", rank[$2], NR, $0 }' |
		sort -k1,1n -k2,2n | cut -d' ' -f3-
}
