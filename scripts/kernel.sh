#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# kernel.sh [--prepare] VARIANT: build the kernel VARIANT boots out of tree in
# build/kernel/KERNEL (KERNEL: the variant itself, or the base whose build
# it shares, see kernel_of) from Debian's linux-source-VERSION (the
# fragment's "# kxbench-source:", 6.1 when it names none) and the config
# fragments, merged onto allnoconfig, with the device trees of every
# variant booting it, by GCC or, where a fragment names one ("#
# kxbench-llvm:"), by that clang.  Rebuilds only when the source tarball, a
# fragment's options, the compiler or that list of device trees
# changed.  With --prepare, only what an out-of-tree module build needs
# (make modules_prepare): a tree to compile modules against, without
# vmlinux, Module.symvers or device trees.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

targets="zImage modules"
built=arch/arm/boot/zImage
prepared=
if [ "${1:-}" = --prepare ]; then
	targets=modules_prepare
	built=scripts/mod/modpost
	prepared="$targets "
	shift
fi
[ -f "$CONFIGS/${1:?usage: kernel.sh [--prepare] VARIANT}.config" ] ||
	die "no such variant: $1"
kernel=$(kernel_of "$1")
version=$(variant_source "$kernel")
KSRC=$(source_dir "$version")
KSRC_TARBALL=$(source_tarball "$version")

unpack_source()
{
	[ -f "$KSRC_TARBALL" ] || die "$KSRC_TARBALL missing (package linux-source-$version)"
	want=$(stat -c '%s %Y' "$KSRC_TARBALL")
	[ -f "$KSRC/.kxbench-tarball" ] &&
		[ "$(cat "$KSRC/.kxbench-tarball")" = "$want" ] && return 0
	log "unpacking $(basename "$KSRC_TARBALL")"
	rm -rf "$KSRC"
	mkdir -p "$BUILD/src"
	tar -C "$BUILD/src" -xf "$KSRC_TARBALL"
	echo "$want" > "$KSRC/.kxbench-tarball"
}

# requested FRAGMENT...: the option lines the fragments ask for, a later
# fragment overriding an earlier one, as merge_config.sh merges them.
requested()
{
	awk '/^CONFIG_[A-Za-z0-9_]+=/ { k = $0; sub(/=.*/, "", k) }
	     /^# CONFIG_[A-Za-z0-9_]+ is not set$/ { k = $2 }
	     k != "" { if (!(k in v)) order[n++] = k; v[k] = $0; k = "" }
	     END { for (i = 0; i < n; i++) print v[order[i]] }' "$@"
}

# check_config CONFIG FRAGMENT...: every option the fragments ask for must
# have ended up as asked; Kconfig silently drops what it cannot satisfy.
check_config()
{
	config=$1
	shift
	bad=0
	for line in $(requested "$@" | tr ' ' '@'); do
		line=$(echo "$line" | tr '@' ' ')
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$config" || {
				log "$kernel: asked for $line, got:" \
					"$(grep "^${line%%=*}=" "$config" || echo 'not set')"
				bad=1
			}
			;;
		*)
			opt=${line#\# }
			opt=${opt%% *}
			! grep -q "^$opt=" "$config" || {
				log "$kernel: asked for $opt off, got: $(grep "^$opt=" "$config")"
				bad=1
			}
			;;
		esac
	done
	return $bad
}

# Two builds of one tree, or two unpacks of the source, at once would
# wreck them: builds take turns (on two cores they would anyway).
mkdir -p "$BUILD/kernel"
exec 9> "$BUILD/kernel/.lock"
flock 9

unpack_source
out=$(kernel_dir "$kernel")
# A clang build: kbuild takes LLVM from the environment, in the config
# merge (Kconfig asks the compiler what it supports) as in the build.
llvm=$(variant_llvm "$kernel")
if [ -n "$llvm" ]; then
	LLVM=$llvm
	export LLVM
fi
frags=$(variant_fragments "$kernel")
# Boards QEMU makes no device tree for name theirs in their fragment
# ("# kxbench-dtb: NAME.dtb"); they are built with the kernel they boot.
dtbs=$(for v in $(sharing_variants "$kernel"); do
	variant_field "$v" dtb
done | sort -u | xargs)
# The inputs: the source, the options the fragments ask for (not their
# comments: a fragment's explanation may change without a rebuild), the
# compiler, the device trees, and whether only prepared.
# shellcheck disable=SC2086
hash="$({ cat "$KSRC/.kxbench-tarball"; requested $frags; } |
	sha256sum | cut -d' ' -f1) ${llvm:+llvm$llvm }$prepared$dtbs"
if [ -f "$out/$built" ] && [ -f "$out/.kxbench-inputs" ] &&
   [ "$(cat "$out/.kxbench-inputs")" = "$hash" ]; then
	log "kernel $kernel is up to date"
	exit 0
fi

log "building kernel $kernel"
mkdir -p "$out"
rm -f "$out/.kxbench-inputs"
# shellcheck disable=SC2086
(cd "$KSRC" && scripts/kconfig/merge_config.sh -n -O "$out" $frags) \
	> "$out/kxbench-config.log" 2>&1 ||
	die "config merge failed, see $out/kxbench-config.log"
# shellcheck disable=SC2086
check_config "$out/.config" $frags ||
	die "$kernel: the config fragments were not honoured"
# shellcheck disable=SC2086
make -C "$KSRC" O="$out" -j"$(nproc)" $targets $dtbs \
	> "$out/kxbench-build.log" 2>&1 ||
	die "kernel build failed, see $out/kxbench-build.log"
echo "$hash" > "$out/.kxbench-inputs"
log "kernel $kernel built"
