#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debs.sh: the Debian packages, into build/debs/:
#   kexec-mod_VERSION_armhf.deb       kexec-mod, the preload library, ...
#   kexec-mod-dkms_VERSION_all.deb    the module's sources for DKMS
# VERSION is debian/changelog's.  Cross-built with dpkg-buildpackage -a
# armhf (binaries only, unsigned) in a copy of the tracked files as they
# are in the work tree, build/debs/src/kexec-mod-VERSION, since
# dpkg-buildpackage writes its results next to the tree it builds.
# Nothing is rebuilt when the inputs are unchanged: the tracked files,
# the unpacked libfdt-dev:armhf and the cross compiler (build/debs/.inputs).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

out=$BUILD/debs
fdt_root=$BUILD/armhf/root
libfdt=$fdt_root/usr/lib/arm-linux-gnueabihf/libfdt.a
[ -f "$libfdt" ] || die "no $libfdt: run scripts/deps.sh"
version=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version)
src=$out/src/kexec-mod-$version
arch_deb=$out/kexec-mod_${version}_armhf.deb
all_deb=$out/kexec-mod-dkms_${version}_all.deb

mkdir -p "$out"
# check.sh's host checks and a user's run may build at the same time.
exec 8> "$out/.lock"
flock 8

# What the packages are built from: the tracked files that exist (a
# deleted one is not an input), without the test bench and the documents,
# so that a change there rebuilds nothing.
files=$(cd "$top" && git ls-files | while read -r f; do
	case "$f" in
	test/* | selftests/* | scripts/* | Documentation/* | .ci/* | *.md) ;;
	*) [ ! -f "$f" ] || echo "$f" ;;
	esac
done)
# shellcheck disable=SC2086
hash=$( (cd "$top" && stat -c '%a %n' $files && cat $files &&
	cat "$libfdt" && "${CROSS_COMPILE}gcc" --version) |
	sha256sum | cut -d' ' -f1)
if [ -f "$arch_deb" ] && [ -f "$all_deb" ] && [ -f "$out/.inputs" ] &&
   [ "$(cat "$out/.inputs")" = "$hash" ]; then
	log "packages up to date: $arch_deb $all_deb"
	exit 0
fi

rm -f "$out/.inputs" "$out"/*.deb
rm -rf "$out/src"
mkdir -p "$src"
# shellcheck disable=SC2086
(cd "$top" && tar -cf - $files) | tar -xf - -C "$src"

# The C library the preload library links against, with its symbols
# file, for dpkg-shlibdeps (SHLIBDEPS_TREES in debian/rules).
libc6=$(ls "$BUILD"/armhf/debs/libc6_*_armhf.deb)
dpkg-deb -R "$libc6" "$out/src/libc6"

# -d: the Build-Depends are not all installed on this host, on purpose:
# libfdt-dev:armhf is unpacked under build/armhf (FDT_ROOT, which
# debian/rules passes to tools/Makefile), never installed, and the cross
# compiler comes without crossbuild-essential-armhf.  A Debian build
# installs them (apt-get build-dep -a armhf) and goes without -d.
log "building packages $version in $src"
# Cross: no tests (there are none to run), as the cross profile asks.
(cd "$src" && FDT_ROOT=$fdt_root SHLIBDEPS_TREES=$out/src/libc6 \
	CC="${CROSS_COMPILE}gcc" DEB_BUILD_OPTIONS=nocheck \
	dpkg-buildpackage -a armhf -Pcross,nocheck -b -us -uc -d)
mv "$out/src/$(basename "$arch_deb")" "$arch_deb"
mv "$out/src/$(basename "$all_deb")" "$all_deb"
echo "$hash" > "$out/.inputs"
log "packages: $arch_deb $all_deb"
