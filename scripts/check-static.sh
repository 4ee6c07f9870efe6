#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-static.sh NAME: one host-side static check, for tap_run.
#   checkpatch  checkpatch.pl --strict on every C source and header
#   warnings    a clean module build with W=1 and sparse (C=1) warns nothing
#   exports     every symbol kexec_mod.ko needs is exported by the virt kernel
#   clean       make clean removes the module's outputs, nothing in build/
#   install     from a plain clone: make -C tools names the missing libfdt,
#               make install KDIR= installs module and stripped tools,
#               make uninstall removes them; dkms.conf sets no CLEAN
#   shell       shellcheck on every shell script, the guest's included
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

c_sources()
{
	cd "$top" && git ls-files '*.c' '*.h'
}

shell_scripts()
{
	cd "$top" && git ls-files '*.sh' test/initramfs/init .ci/run
}

case "${1:?usage: check-static.sh NAME}" in
checkpatch)
	# compat.h is the one place that compares kernel versions, which
	# checkpatch warns about everywhere else.
	# shellcheck disable=SC2046
	cd "$top" && "$KSRC/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--ignore FILE_PATH_CHANGES -f $(c_sources | grep -vx compat.h) &&
		"$KSRC/scripts/checkpatch.pl" --strict --no-tree --quiet \
			--ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f compat.h
	;;
warnings)
	# Both sides of compat.h: 6.1 (virt) and 6.12 (virt-612-lpae).
	for v in virt virt-612-lpae; do
		out="$BUILD/module/$v-static"
		rm -rf "$out"
		# sparse reads a clang build's flags through a filter.
		check=sparse
		[ -z "$(variant_llvm "$v")" ] ||
			check="sh $top/scripts/sparse-clang.sh"
		MODULE_OUT=$out sh "$top/scripts/module.sh" "$v" W=1 C=1 \
			CHECK="$check" > "$out.log" 2>&1 ||
			{ cat "$out.log"; exit 1; }
		cat "$out.log"
		! grep -E 'warning:|error:' "$out.log" || exit 1
	done
	;;
exports)
	# The KUnit module may also use what kexec_mod.ko exports to it
	# (the module build's own Module.symvers), and nothing else.
	missing=0
	for v in virt virt-612-lpae; do
		kdir=$(kernel_dir "$v")
		for ko in "$BUILD/module/$v"/*.ko; do
			symvers="$kdir/Module.symvers"
			[ "$(basename "$ko")" != kexec_mod_kunit.ko ] ||
				symvers="$symvers $BUILD/module/$v/Module.symvers"
			for sym in $("${CROSS_COMPILE}nm" -u "$ko" | awk '{ print $2 }'); do
				# shellcheck disable=SC2086
				awk -v s="$sym" '$2 == s { f = 1 } END { exit !f }' \
					$symvers && continue
				echo "$(basename "$ko"): $sym is not exported by the $v kernel"
				missing=1
			done
		done
	done
	exit $missing
	;;
clean)
	# make clean removes the module's outputs at the top and leaves
	# build/ alone (kbuild's clean would walk into it).
	sentinel="$BUILD/clean-sentinel"
	mkdir -p "$sentinel"
	touch "$sentinel/kept.o" "$sentinel/kept.dtb" "$top/clean-probe.o"
	make -s -C "$top" clean
	rc=0
	[ ! -e "$top/clean-probe.o" ] || { echo "clean-probe.o left at the top"; rc=1; }
	for f in kept.o kept.dtb; do
		[ -e "$sentinel/$f" ] || { echo "make clean removed build/clean-sentinel/$f"; rc=1; }
	done
	rm -rf "$sentinel" "$top/clean-probe.o"
	exit $rc
	;;
install)
	# A clone has none of the bench's build/: what a user starts from.
	# Committed work only; the bench's unpacked libfdt stands for the
	# libfdt-dev:armhf a user installs.
	tmp="$BUILD/install-check"
	rm -rf "$tmp"
	mkdir -p "$tmp"
	git clone -q "$top" "$tmp/clone"
	dest="$tmp/dest"
	rc=0
	if make -s -C "$tmp/clone/tools" OUTPUT="$tmp/out" FDT_ROOT="$tmp/nofdt" \
		> "$tmp/nofdt.log" 2>&1; then
		echo "tools built without libfdt"
		rc=1
	fi
	grep -q 'libfdt-dev:armhf' "$tmp/nofdt.log" ||
		{ echo "no libfdt-dev:armhf in: $(cat "$tmp/nofdt.log")"; rc=1; }
	make -s -C "$tmp/clone" install KDIR="$(kernel_dir virt)" \
		FDT_ROOT="$BUILD/armhf/root" DESTDIR="$dest" PREFIX=/usr ||
		{ echo "make install failed"; exit 1; }
	ko=$(find "$dest/lib/modules" -name kexec_mod.ko)
	[ -n "$ko" ] || { echo "no kexec_mod.ko under $dest/lib/modules"; rc=1; }
	for f in usr/sbin/kexec-mod usr/lib/libkexec-mod-preload.so; do
		if [ ! -f "$dest/$f" ]; then
			echo "$f not installed"
			rc=1
		elif "${CROSS_COMPILE}readelf" -S "$dest/$f" | grep -q '\.symtab'; then
			echo "$f installed with its symbol table: not stripped"
			rc=1
		fi
	done
	make -s -C "$tmp/clone" uninstall KDIR="$(kernel_dir virt)" \
		DESTDIR="$dest" PREFIX=/usr || { echo "make uninstall failed"; rc=1; }
	left=$(find "$dest" -type f -name '*kexec*mod*')
	[ -z "$left" ] || { echo "left after make uninstall: $left"; rc=1; }
	# DKMS 3 warns that CLEAN is deprecated: it cleans on its own.
	# shellcheck disable=SC2016
	if bash -c '. "$1"; [ -n "${CLEAN+set}" ]' sh "$tmp/clone/dkms.conf"; then
		echo "dkms.conf sets CLEAN"
		rc=1
	fi
	rm -rf "$tmp"
	exit $rc
	;;
shell)
	# shellcheck disable=SC2046
	cd "$top" && shellcheck -s sh -x -P SCRIPTDIR $(shell_scripts)
	;;
*)
	die "unknown check $1"
	;;
esac
