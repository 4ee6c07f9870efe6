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

variant_list()
{
	for f in "$CONFIGS"/*.config; do
		basename "$f" .config
	done
}

kernel_dir()
{
	echo "$BUILD/kernel/$1"
}

# input_hash FILE...: one hash over the contents of the named files.
input_hash()
{
	cat "$@" | sha256sum | cut -d' ' -f1
}
