#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debian-rootfs.sh: build build/debian/rootfs.ext4, a Debian 12 (bookworm)
# armhf root filesystem booted by systemd, for the debian-* scenarios:
# Debian's packages only, fetched by mmdebstrap from the mirror the host's
# apt uses, configured under qemu-arm (binfmt_misc), written into a raw
# ext4 image by mkfs.ext4 -d (no loop mount).  The image is rebuilt only
# when this script (which holds the package list) changed; QEMU opens it
# with snapshot=on, so a scenario never writes to it.  Nothing of a
# scenario is in it: the scenario copies its files in at boot.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"

SUITE=bookworm
# minbase's essential set without apt (the guest installs .debs with dpkg),
# plus systemd as init, kmod for modprobe and depmod, e2fsprogs for the
# root's fsck, and kexec-tools; udev, so that systemd sees the disk's
# device unit.
PACKAGES="systemd-sysv kmod e2fsprogs kexec-tools udev"
OUT=$BUILD/debian
IMAGE=$OUT/rootfs.ext4
LABEL=kxdebian

# mirror_lines: one "deb URI SUITE main" line for SUITE and SUITE-updates,
# from the sources the host's apt has for armhf (deps.sh adds armhf as a
# foreign architecture).  No mirror is named here.
# shellcheck disable=SC2016 # the $(...) are apt's fields
mirror_lines()
{
	apt-get indextargets --format '$(SITE) $(RELEASE) $(COMPONENT) $(ARCHITECTURE) $(CREATED_BY)' |
		awk -v s="$SUITE" '$3 == "main" && $4 == "armhf" && $5 == "Packages" &&
			($2 == s || $2 == s "-updates") && !seen[$2]++ {
			printf "deb %s %s main\n", $1, $2 }'
}

# binfmt_arm: have the kernel run armhf programs with qemu-user-static's
# qemu-arm, for the packages' maintainer scripts in the chroot.  The rule
# is the one the package ships for systemd-binfmt (/usr/lib/binfmt.d),
# registered here because this host may not run systemd-binfmt or
# binfmt-support; its F flag opens the interpreter now, so the chroot
# needs no copy of it.  Idempotent: mounts binfmt_misc only when it is
# not mounted, registers only when qemu-arm is not registered, enables
# it when it is disabled.  Changes the host: the rule stays until reboot.
binfmt_arm()
{
	bm=/proc/sys/fs/binfmt_misc
	[ -f "$bm/register" ] || mount -t binfmt_misc binfmt_misc "$bm"
	if [ ! -f "$bm/qemu-arm" ]; then
		rule=$(grep -v '^#' /usr/lib/binfmt.d/qemu-arm.conf | head -n 1)
		[ -n "$rule" ] || die "no qemu-arm rule in /usr/lib/binfmt.d (qemu-user-static)"
		echo "$rule" > "$bm/register"
	fi
	grep -qx enabled "$bm/qemu-arm" || echo 1 > "$bm/qemu-arm"
	grep -q ' F' "$bm/qemu-arm" ||
		grep -qx 'flags: .*F.*' "$bm/qemu-arm" ||
		die "qemu-arm is registered without the F flag: the chroot would need qemu-arm-static"
}

# configure DIR: what makes the tree boot as the bench boots it: the
# root (the kernel's /dev/vda, LABEL for fsck's messages) in fstab, a
# machine-id (an empty one would start systemd-firstboot, which asks on
# the console), a hostname, and no dpkg exclusions left behind (the
# guest's own dpkg installs every file of a package).
configure()
{
	echo "/dev/vda / ext4 errors=remount-ro 0 1" > "$1/etc/fstab"
	echo kxdebian > "$1/etc/hostname"
	printf '127.0.0.1\tlocalhost kxdebian\n' > "$1/etc/hosts"
	head -c 16 /dev/urandom | od -A n -t x1 | tr -d ' \n' > "$1/etc/machine-id"
	echo >> "$1/etc/machine-id"
	rm -f "$1/etc/dpkg/dpkg.cfg.d/99mmdebstrap"
}

inputs=$(input_hash "$0")
if [ -f "$IMAGE" ] && [ "$(cat "$IMAGE.inputs" 2> /dev/null)" = "$inputs" ]; then
	log "debian rootfs: up to date"
	exit 0
fi

mkdir -p "$OUT"
exec 7> "$OUT/.lock"
flock 7
started=$(date +%s)
binfmt_arm
mirrors=$(mirror_lines)
[ -n "$mirrors" ] || die "the host's apt has no $SUITE main armhf source (run scripts/deps.sh)"
tree=$OUT/tree
rm -rf "$tree" "$IMAGE" "$IMAGE.inputs"
# Docs, man pages and translations are left out while bootstrapping;
# configure() lifts the exclusion for the guest's own dpkg.
echo "$mirrors" | mmdebstrap --variant=essential --architectures=armhf \
	--include="$(echo "$PACKAGES" | tr ' ' ,)" \
	--aptopt='APT::Install-Recommends "false"' \
	--dpkgopt='path-exclude=/usr/share/man/*' \
	--dpkgopt='path-exclude=/usr/share/doc/*' \
	--dpkgopt='path-include=/usr/share/doc/*/copyright' \
	--dpkgopt='path-exclude=/usr/share/locale/*' \
	--dpkgopt='path-exclude=/usr/share/info/*' \
	--format=directory "$SUITE" "$tree" -
configure "$tree"
# The size: what the tree holds, a third more and 64 MiB for the
# scenarios' files and the journal.
size=$(($(du -s -m "$tree" | cut -f1) * 4 / 3 + 64))
mkfs.ext4 -q -L "$LABEL" -d "$tree" "$IMAGE.tmp" "${size}M"
rm -rf "$tree"
mv "$IMAGE.tmp" "$IMAGE"
echo "$inputs" > "$IMAGE.inputs"
log "debian rootfs: ${size} MiB image, $(du -h "$IMAGE" | cut -f1) used, in $(($(date +%s) - started)) s"
