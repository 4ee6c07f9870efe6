#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# Install the host packages the bench needs and fetch the armhf packages
# that go into the guest's initramfs.  Idempotent: skips what is present.
# Host packages are installed with apt-get; armhf packages are only
# downloaded and unpacked under build/armhf, never installed on the host.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

# source_pkgs: linux-source-VERSION for every version a variant is built
# from ("# kxbench-source:"), and for 6.1 in any case: the userspace
# programs and checkpatch come from it.
source_pkgs()
{
	{
		echo 6.1
		for v in $(variant_list); do
			variant_source "$v"
		done
	} | sort -u | sed 's/^/linux-source-/'
}

# llvm_pkgs: clang, lld and the LLVM tools for every LLVM= suffix a
# variant is built with ("# kxbench-llvm:").
llvm_pkgs()
{
	for v in $(variant_list); do
		variant_llvm "$v"
	done | sort -u | sed '/^$/d; s/^\(.*\)$/clang\1 lld\1 llvm\1/'
}

# debhelper, dh-dkms, dkms and lintian: the Debian packages (scripts/debs.sh)
# and their checks (debhelper brings dpkg-dev; Rules-Requires-Root: no, so
# no fakeroot).  mmdebstrap with arch-test (its check that armhf programs
# run here), qemu-user-static (qemu-arm for the armhf maintainer scripts)
# and e2fsprogs (mkfs.ext4 -d): the Debian root filesystem of the
# debian-* scenarios (debian-rootfs.sh).
HOST_PKGS="gcc-arm-linux-gnueabihf libc6-dev-armhf-cross qemu-system-arm bc bison
flex libssl-dev libelf-dev cpio kmod device-tree-compiler sparse shellcheck
make xz-utils debhelper dh-dkms dkms lintian mmdebstrap arch-test
qemu-user-static e2fsprogs $(source_pkgs) $(llvm_pkgs)"

# libfdt-dev: static libfdt for tools/kexec-mod.  kexec-tools with the
# closure of its NEEDED libraries (readelf -d): glibc and the Xen
# libraries libxenctrl (in libxenmisc4.17) pulls in.
ARMHF_PKGS="busybox-static libfdt-dev kexec-tools libc6 libxenmisc4.17
libxentoollog1 libxencall1 libxenevtchn1 libxengnttab1 libxenforeignmemory1
libxendevicemodel1 libxentoolcore1"

missing_host_pkgs()
{
	for p in $HOST_PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || echo "$p"
	done
}

updated=0
apt_update()
{
	[ "$updated" = 1 ] && return 0
	# One armhf index (the security suite's) fails to download here,
	# which makes the update exit non-zero although every package we
	# need is still reachable: what counts is whether each package is
	# obtained, checked below.
	apt-get update -qq || log "apt-get update reported errors; going on"
	updated=1
}

install_host()
{
	need=$(missing_host_pkgs)
	[ -n "$need" ] || return 0
	log "installing host packages: $need"
	apt_update
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
	need=$(missing_host_pkgs)
	[ -z "$need" ] || die "host package(s) not installed: $need"
}

fetch_armhf()
{
	dest="$BUILD/armhf"
	debs="$dest/debs"
	mkdir -p "$debs" "$dest/root"
	if ! dpkg --print-foreign-architectures | grep -qx armhf; then
		dpkg --add-architecture armhf
		updated=0
	fi
	for p in $ARMHF_PKGS; do
		[ -f "$dest/root/.have-$p" ] && continue
		ls "$debs/${p}_"*_armhf.deb >/dev/null 2>&1 || {
			apt_update
			(cd "$debs" && apt-get download -qq "$p:armhf") ||
				die "could not download armhf package $p"
		}
		deb=
		for f in "$debs/${p}_"*_armhf.deb; do
			[ -f "$f" ] && deb=$f
		done
		[ -n "$deb" ] || die "armhf package $p was not obtained"
		dpkg -x "$deb" "$dest/root"
		touch "$dest/root/.have-$p"
	done
}

install_host
fetch_armhf
log "dependencies present"
