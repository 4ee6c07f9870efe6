#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# check-static.sh NAME: one host-side static check, for tap_run.
#   checkpatch  checkpatch.pl --strict on every C source and header
#   warnings    a clean module build with W=1 and sparse (C=1) warns nothing
#   exports     every symbol kexec_mod.ko needs is exported by the virt kernel
#   up          the module compiles against a UP kernel (base/up, only
#               prepared, never booted) with W=1, warning nothing
#   clean       make clean removes the module's outputs, nothing in build/
#   install     from a plain clone: make -C tools names the missing libfdt,
#               make install KDIR= installs module, stripped tools and
#               the man page,
#               make uninstall removes them; dkms.conf sets no CLEAN
#   shell       shellcheck on every shell script, the guest's included
#   debs        the Debian packages build (scripts/debs.sh), one version
#               throughout, the files where they belong, every option and
#               parameter documented, lintian clean
#   dkms        dkms build of the kexec-mod-dkms package against the virt
#               kernel, in build/ only: kexec_mod.ko with its vermagic
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

c_sources()
{
	cd "$top" && git ls-files '*.c' '*.h'
}

shell_scripts()
{
	cd "$top" && git ls-files '*.sh' test/initramfs/init .ci/run \
		debian/kexec.d/kexec-mod debian/system-shutdown/kexec-mod
}

# deb_version: debian/changelog's version, which the packages carry.
deb_version()
{
	dpkg-parsechangelog -l "$top/debian/changelog" -S Version
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
up)
	# No booted kernel is UP; the exec's CPU step and the module's use
	# of SMP interfaces must still compile without CONFIG_SMP.
	sh "$top/scripts/kernel.sh" --prepare base/up ||
		{ echo "kernel.sh --prepare base/up failed"; exit 1; }
	out="$BUILD/module/up-static"
	rm -rf "$out"
	COMPILE_ONLY=1 MODULE_OUT=$out sh "$top/scripts/module.sh" base/up \
		W=1 > "$out.log" 2>&1 || { cat "$out.log"; exit 1; }
	cat "$out.log"
	! grep -E 'warning:|error:' "$out.log" || exit 1
	[ -f "$out/kexec_mod.ko" ] || { echo "no kexec_mod.ko"; exit 1; }
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
	[ -f "$dest/usr/share/man/man8/kexec-mod.8" ] ||
		{ echo "usr/share/man/man8/kexec-mod.8 not installed"; rc=1; }
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
debs)
	sh "$top/scripts/debs.sh" || { echo "scripts/debs.sh failed"; exit 1; }
	v=$(deb_version)
	arch_deb=$BUILD/debs/kexec-mod_${v}_armhf.deb
	all_deb=$BUILD/debs/kexec-mod-dkms_${v}_all.deb
	rc=0
	# One version: debian/rules compares dkms.conf's and the tool's with
	# debian/changelog's and refuses to build, naming the file that is
	# off; the packages must carry it too.
	for pair in "$(basename "$arch_deb"):$(dpkg-deb -f "$arch_deb" Version)" \
		"$(basename "$all_deb"):$(dpkg-deb -f "$all_deb" Version)"; do
		[ "${pair#*:}" = "$v" ] ||
			{ echo "${pair%%:*} says version '${pair#*:}', debian/changelog $v"; rc=1; }
	done
	# kexec-mod-dkms: what kbuild and DKMS read, nothing else.
	want=$( (cd "$top" && git ls-files '*.c' '*.h' '*.S' | grep -v / &&
		echo Kbuild && echo Makefile && echo dkms.conf &&
		echo include/uapi/linux/kexec_mod.h) | sort)
	got=$(dpkg-deb -c "$all_deb" | awk '$1 !~ /^d/ { print $6 }' |
		sed -n "s|^\./usr/src/kexec_mod-$v/||p" | sort)
	if [ "$want" != "$got" ]; then
		echo "kexec-mod-dkms: /usr/src/kexec_mod-$v differs (- wanted, + packaged):"
		echo "$want" > "$BUILD/debs/want"
		echo "$got" | diff "$BUILD/debs/want" - || true
		rc=1
	fi
	others=$(dpkg-deb -c "$all_deb" | awk '$1 !~ /^d/ { print $6 }' |
		grep -v -e "^\./usr/src/kexec_mod-$v/" -e '^\./usr/share/doc/kexec-mod-dkms/' || true)
	[ -z "$others" ] || { echo "kexec-mod-dkms also holds: $others"; rc=1; }
	# kexec-mod: the paths other tools and documents name.
	lib=usr/lib/arm-linux-gnueabihf/kexec-mod/libkexec-mod-preload.so
	snippet=etc/default/kexec.d/kexec-mod
	example=usr/share/doc/kexec-mod/examples/kexec-mod.modprobe.conf
	hook=usr/lib/systemd/system-shutdown/kexec-mod
	listing=$(dpkg-deb -c "$arch_deb")
	files=$(echo "$listing" | awk '{ print $6 }')
	for f in usr/sbin/kexec-mod "$lib" "$snippet" "$example" "$hook" \
		usr/share/man/man8/kexec-mod.8.gz; do
		echo "$files" | grep -qx "\./$f" || { echo "kexec-mod lacks /$f"; rc=1; }
	done
	# systemd-shutdown runs only what it may execute.
	echo "$listing" | grep -q "^-rwxr-xr-x .* \./$hook\$" ||
		{ echo "/$hook is not executable"; rc=1; }
	grep -q "^[[:space:]]*LD_PRELOAD=\"/$lib" "$top/debian/kexec.d/kexec-mod" ||
		{ echo "$snippet does not preload /$lib"; rc=1; }
	# The example: every line a comment, every parameter in it.
	ex=$top/debian/examples/kexec-mod.modprobe.conf
	if grep -v -e '^#' -e '^$' "$ex"; then
		echo "$example: the lines above are not commented out"
		rc=1
	fi
	for p in $(cd "$top" && sed -n 's/^module_param[a-z_]*(\([a-z_]*\),.*/\1/p' ./*.c); do
		grep -q "^#options kexec_mod .*\b$p=" "$ex" ||
			{ echo "$example does not show parameter $p"; rc=1; }
	done
	# The man page: every option main.c knows.
	man=$top/tools/kexec-mod/kexec-mod.8
	main=$top/tools/kexec-mod/main.c
	longs=$(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)",.*/\1/p' "$main")
	[ -n "$longs" ] || { echo "no long options in main.c"; rc=1; }
	for o in $longs; do
		grep -q -- "\\\\-\\\\-$(echo "$o" | sed 's/-/\\\\-/g')" "$man" ||
			{ echo "kexec-mod.8 does not document --$o"; rc=1; }
	done
	shorts=$(sed -n 's/.*getopt_long(argc, argv, "\([a-zA-Z]*\)".*/\1/p' "$main")
	[ -n "$shorts" ] || { echo "no getopt_long string in main.c"; rc=1; }
	for o in $(echo "$shorts" | sed 's/./& /g'); do
		grep -q -- "^\.BR \\\\-$o\b" "$man" ||
			{ echo "kexec-mod.8 does not document -$o"; rc=1; }
	done
	LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
		man --warnings -E UTF-8 -l -Tutf8 -Z "$man" 2>&1 > /dev/null |
		grep . && { echo "kexec-mod.8: groff warns"; rc=1; }
	# Errors and warnings fail (overrides in debian/*.lintian-overrides,
	# each with its reason); info and pedantic tags are shown only.
	lintian --fail-on error,warning --display-info --pedantic \
		"$arch_deb" "$all_deb" || { echo "lintian failed"; rc=1; }
	exit $rc
	;;
dkms)
	# The package as dpkg would unpack it, built by DKMS the way its
	# postinst does on a board, cross-compiled: the trees DKMS writes are
	# under build/dkms-check, never /var/lib/dkms or /usr/src.
	sh "$top/scripts/debs.sh" || { echo "scripts/debs.sh failed"; exit 1; }
	v=$(deb_version)
	kdir=$(kernel_dir virt)
	[ -f "$kdir/vmlinux" ] || die "kernel virt not built"
	tmp=$BUILD/dkms-check
	rm -rf "$tmp"
	mkdir -p "$tmp/root" "$tmp/tree" "$tmp/install" "$tmp/bin"
	dpkg -x "$BUILD/debs/kexec-mod-dkms_${v}_all.deb" "$tmp/root"
	rel=$(make -s -C "$kdir" kernelrelease)
	# DKMS strips with the strip it finds (a board's own); here the cross
	# one.  sign_file: DKMS signs when it finds the kernel's sign-file,
	# and would make a key in /var/lib/dkms: not here.
	ln -s "$(command -v "${CROSS_COMPILE}strip")" "$tmp/bin/strip"
	rc=0
	PATH="$tmp/bin:$PATH" sign_file="$tmp/no-sign-file" \
		dkms build "kexec_mod/$v" -k "$rel" -a arm \
		--dkmstree "$tmp/tree" --sourcetree "$tmp/root/usr/src" \
		--installtree "$tmp/install" --kernelsourcedir "$kdir" ||
		{ echo "dkms build failed"; rc=1; }
	cat "$tmp/tree/kexec_mod/$v/build/make.log" 2> /dev/null || true
	ko=$tmp/tree/kexec_mod/$v/$rel/arm/module/kexec_mod.ko
	if [ ! -f "$ko" ]; then
		echo "no $ko"
		rc=1
	else
		# The virt kernel's vermagic: the string it compares at insmod.
		magic=$(modinfo -F vermagic "$ko")
		echo "kexec_mod.ko vermagic: $magic"
		case "$magic" in
		"$rel "*) ;;
		*) echo "vermagic is not for $rel"; rc=1 ;;
		esac
		strings -a "$kdir/vmlinux" | grep -Fxq "$magic" ||
			{ echo "the virt kernel's vermagic is not '$magic'"; rc=1; }
	fi
	for d in /var/lib/dkms/kexec_mod "/usr/src/kexec_mod-$v"; do
		[ ! -e "$d" ] || { echo "$d exists: DKMS wrote outside build/"; rc=1; }
	done
	[ "$rc" -ne 0 ] || rm -rf "$tmp"
	exit $rc
	;;
*)
	die "unknown check $1"
	;;
esac
