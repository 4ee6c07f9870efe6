#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# debian-systemd-kexec: a Debian 12 root filesystem booted by systemd 252
# (runner:debian: /dev/vda, the image debian-rootfs.sh builds, and
# /dev/vdb, a tar of the packages in build/debs) kexecs twice through the
# module, with `systemctl kexec` and with `systemctl reboot`, coming back
# each time on the same root, which systemd unmounted cleanly before the
# exec.
#
# Stage 1 starts in the bench's initramfs (debian-systemd-kexec.sh 1, by
# the bench's init): it mounts the root, copies this scenario into it
# (this script, kxtest.sh, a systemd unit that runs the script after
# multi-user.target with its output on the console, the module built for
# this kernel, the packages, the running kernel as /boot/vmlinuz-RELEASE)
# and hands the machine to systemd (/tmp/switch-root).  In every boot
# after that the unit runs "debian-systemd-kexec.sh systemd", which takes
# its stage from the kernel command line:
#   1  installs the kexec-mod package with dpkg, the module where the
#      packages document it for a board without a compiler; loads the
#      kernel with kexec-mod -l; systemctl kexec, with kexec_on_reboot
#      off: the package's systemd-shutdown hook boots it;
#   2  the root was cleanly unmounted, the module loaded at boot with the
#      package's modprobe.d example, its kexec_on_reboot=1 line enabled
#      in stage 1; nothing loaded; systemctl reboot: kexec-tools'
#      kexec-load service loads the kernel /etc/default/kexec names
#      (LOAD_KEXEC=true) with Debian's own kexec, through the package's
#      kexec.d snippet and the preload library, and kexec_on_reboot turns
#      the reboot into the exec;
#   3  the root was cleanly unmounted; the hook when the exec is refused;
#      end, and power off through systemd.
# The kxt_expect lines check on the console which way each exec went.
set -u

# shellcheck source=../initramfs/kxtest.sh
. "${KXT_LIB:-/lib}/kxtest.sh"

SCENARIO=debian-systemd-kexec
# Where the scenario's files go in the Debian root.
KD_LIB=/usr/local/lib/kxtest
KD_UNIT=kxtest.service
# The root filesystem's label (debian-rootfs.sh), the name e2fsck gives it.
KD_LABEL=kxdebian
KD_DEB_GLOB="$KD_LIB/debs/kexec-mod_*_armhf.deb"
KD_MODPROBE_EXAMPLE=/usr/share/doc/kexec-mod/examples/kexec-mod.modprobe.conf

# kd_log COMMAND...: run COMMAND with its output on the console as
# diagnostics ("KXT # "), never bare: a tool's "WARNING:" would read as a
# kernel report to the log's judge.  Returns COMMAND's status.
kd_log()
{
	kd_rc=0
	"$@" > /tmp/kd.out 2>&1 || kd_rc=$?
	sed 's/^/KXT # /' /tmp/kd.out
	return "$kd_rc"
}

# kd_end_now: the scenario cannot go on (or is done): its end marker, for the
# last stage, then power off without the bench's init.
kd_end_now()
{
	echo "KXT end $SCENARIO stage=3"
	sync
	poweroff -f
}

# kd_setup: stage 1 in the initramfs: the Debian root mounted on /debian
# with the scenario copied in, named in /tmp/switch-root for the init.
kd_setup()
{
	root=/debian
	mkdir -p "$root"
	if ! mount -t ext4 /dev/vda "$root"; then
		kxt_fail stage1.mount-root "mount -t ext4 /dev/vda failed"
		return 1
	fi
	mkdir -p "$root$KD_LIB/debs"
	if ! (cd "$root$KD_LIB" && tar -xf /dev/vdb); then
		kxt_fail stage1.packages-disk "tar -xf /dev/vdb failed"
		return 1
	fi
	# shellcheck disable=SC2086 # the glob
	if ! ls $root$KD_DEB_GLOB > /dev/null 2>&1; then
		kxt_skip "$SCENARIO" "no kexec-mod package in build/debs (scripts/debs.sh)"
		umount "$root"
		kd_end_now
	fi
	kxt_diag "packages: $(cd "$root$KD_LIB/debs" && echo ./*.deb)"
	cp /lib/kxtest.sh "$0" /lib/modules/kexec_mod.ko "$root$KD_LIB/"
	cp /boot/zImage "$root/boot/vmlinuz-$(uname -r)"
	cat > "$root/etc/systemd/system/$KD_UNIT" <<-EOF
	[Unit]
	Description=kexec_mod bench: $SCENARIO, this boot's stage
	After=multi-user.target

	[Service]
	Type=oneshot
	Environment=KXT_LIB=$KD_LIB
	ExecStart=/bin/sh $KD_LIB/$(basename "$0") systemd
	StandardOutput=tty
	StandardError=tty
	TTYPath=/dev/console

	[Install]
	WantedBy=multi-user.target
	EOF
	mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
	ln -s "../$KD_UNIT" "$root/etc/systemd/system/multi-user.target.wants/$KD_UNIT"
	# No login prompt on the console the results are read from.
	ln -s /dev/null "$root/etc/systemd/system/serial-getty@ttyAMA0.service"
	# Read-only, as a kernel mounts a root: systemd checks it first.
	if ! mount -o remount,ro "$root"; then
		kxt_fail stage1.remount-ro "mount -o remount,ro $root failed"
		return 1
	fi
	echo "$root" > /tmp/switch-root
}

# kd_next_cmdline STAGE: this kernel's command line for the next stage:
# the Debian root mounted by the kernel (no initrd), STAGE and its marker.
kd_next_cmdline()
{
	kd_out=
	read -r kd_line < /proc/cmdline
	for kd_w in $kd_line; do
		case "$kd_w" in
		kxtest.stage=*|kxtest.marker=*|root=*|rootfstype=*|ro|rw) ;;
		*) kd_out="$kd_out $kd_w" ;;
		esac
	done
	echo "${kd_out# } root=/dev/vda rootfstype=ext4 ro kxtest.stage=$1 kxtest.marker=stage$1"
}

# kd_root_clean NAME: the root filesystem was cleanly unmounted before
# this boot.  The root's fsck at boot (systemd-fsck-root.service runs
# e2fsck -a, whose "LABEL: clean, ..." line says it found the filesystem
# valid, its journal empty) neither replayed a journal nor forced a check
# (e2fsprogs' e2fsck/unix.c: "LABEL: recovering journal", "LABEL was not
# cleanly unmounted, check forced."), and the kernel mounted it without a
# recovery (fs/ext4/super.c, orphan.c: "INFO: recovery required on
# readonly filesystem", "recovery complete", "orphan cleanup on
# readonly fs").
kd_root_clean()
{
	journalctl -b -o cat -u systemd-fsck-root.service > /tmp/kd-fsck.out 2>&1
	dmesg | grep 'EXT4-fs (vda)' > /tmp/kd-ext4.out
	sed 's/^/KXT # fsck: /' /tmp/kd-fsck.out
	sed 's/^/KXT # /' /tmp/kd-ext4.out
	kxt_check "$1.fsck-clean" grep -Eq \
		"^$KD_LABEL: clean, [0-9]+/[0-9]+ files, [0-9]+/[0-9]+ blocks" /tmp/kd-fsck.out
	kxt_check "$1.fsck-no-replay" sh -c \
		"! grep -Eq '^$KD_LABEL(: recovering journal| was not cleanly unmounted)' /tmp/kd-fsck.out"
	kxt_check "$1.ext4-mounted" \
		grep -q '^.*EXT4-fs (vda): mounted filesystem with ordered data mode' /tmp/kd-ext4.out
	kxt_check "$1.ext4-no-recovery" sh -c \
		"! grep -Eq 'EXT4-fs \\(vda\\): (INFO: recovery required|recovery complete|orphan cleanup)' /tmp/kd-ext4.out"
}

# kd_kexec STAGE: systemctl kexec into the next stage, with the console
# line that shows how it went: systemd-shutdown ran the package's hook
# (systemd's src/shutdown/shutdown.c runs /usr/lib/systemd/system-shutdown/
# before its own `kexec -e`), which booted the loaded kernel.
kd_kexec()
{
	kxt_expect "stage$1.hook" 'kexec-mod: systemctl kexec: booting the kernel kexec_mod holds$'
	kxt_expect "stage$1.exec" 'kexec_mod: Starting new kernel'
	kxt_diag "stage $1: systemctl kexec"
	# --no-block: this unit is one of those the kexec stops.
	kxt_check "stage$1.systemctl-kexec" kd_log systemctl --no-block kexec
}

# kd_reboot STAGE: systemctl reboot into the next stage: kexec-tools'
# kexec-load service loads the kernel at shutdown (its stop action, when
# a reboot.target job is queued), systemd-shutdown reboots (the hook does
# nothing for a reboot), and kexec_on_reboot makes that reboot the exec.
kd_reboot()
{
	kxt_expect "stage$1.systemd-shutdown-reboot" 'systemd-shutdown\[1\]: Rebooting\.$'
	kxt_expect "stage$1.kexec-on-reboot" 'kexec_mod: kexec_on_reboot: rebooting into the loaded kernel'
	kxt_expect "stage$1.exec" 'kexec_mod: Starting new kernel'
	kxt_diag "stage $1: systemctl reboot"
	kxt_check "stage$1.systemctl-reboot" kd_log systemctl --no-block reboot
}

# kd_hook ACTION: the package's systemd-shutdown hook, run as
# systemd-shutdown runs it, for ACTION.
kd_hook()
{
	/usr/lib/systemd/system-shutdown/kexec-mod "$1"
}

# kd_install_module RELEASE: the module built for this kernel on the
# host, where DKMS would have put it, and depmod.  The kernel came
# without a package: the lists its package would have installed with it
# are empty here (depmod warns without them).
kd_install_module()
{
	mkdir -p "/lib/modules/$1/updates/dkms" &&
		touch "/lib/modules/$1/modules.order" "/lib/modules/$1/modules.builtin" \
			"/lib/modules/$1/modules.builtin.modinfo" &&
		cp "$KD_LIB/kexec_mod.ko" "/lib/modules/$1/updates/dkms/" &&
		depmod -a "$1" &&
		modinfo -F filename kexec_mod
}

# kd_modprobe_conf: the package's modprobe.d example as
# /etc/modprobe.d/kexec-mod.conf, its kexec_on_reboot=1 line enabled.
kd_modprobe_conf()
{
	sed 's/^#\(options kexec_mod kexec_on_reboot=1\)$/\1/' \
		"$KD_MODPROBE_EXAMPLE" > /etc/modprobe.d/kexec-mod.conf &&
		grep -x 'options kexec_mod kexec_on_reboot=1' /etc/modprobe.d/kexec-mod.conf
}

kd_stage1()
{
	rel=$(uname -r)
	kd_root_clean stage1
	# Only kexec-mod: kexec-mod-dkms depends on dkms, which needs a
	# compiler this root has not, as a board may not.  The packages'
	# way for such a board: the module built elsewhere for this kernel
	# in DKMS's place, updates/dkms, then depmod.
	# shellcheck disable=SC2086 # the glob
	kxt_check stage1.dpkg-install kd_log dpkg -i $KD_DEB_GLOB
	kxt_check stage1.module-installed kd_log kd_install_module "$rel"
	# Loaded at every boot, as the package's kexec.d snippet advises.
	echo kexec_mod > /etc/modules-load.d/kexec-mod.conf
	kxt_check stage1.modprobe kd_log modprobe kexec_mod
	# The hook needs no parameter: kexec_on_reboot stays off here.
	kxt_check stage1.kexec-on-reboot-off \
		[ "$(cat /sys/module/kexec_mod/parameters/kexec_on_reboot)" = N ]
	kxt_check stage1.kexec-loaded-file [ "$(cat /sys/kernel/kexec_loaded)" = 0 ]
	kxt_check stage1.hook-executable [ -x /usr/lib/systemd/system-shutdown/kexec-mod ]
	# Nothing loaded: the hook returns, and systemd-shutdown goes on.
	kxt_check stage1.hook-nothing-loaded kd_log kd_hook kexec
	kxt_check stage1.kexec-mod-load kd_log kexec-mod -l "/boot/vmlinuz-$rel" \
		--append="$(kd_next_cmdline 2)"
	kxt_check stage1.loaded [ "$(cat /sys/kernel/kexec_loaded)" = 1 ]
	# Loaded, but a reboot or a power-off: not the hook's business.
	kxt_check stage1.hook-reboot kd_log kd_hook reboot
	kxt_check stage1.hook-poweroff kd_log kd_hook poweroff
	kd_log kexec-mod -S
	# For stage 2: kexec_on_reboot=1 from the next boot on, and what a
	# user sets in /etc/default/kexec (kexec-tools' postinst wrote it):
	# load at shutdown, this kernel, stage 3's command line.
	kxt_check stage1.modprobe-conf kd_log kd_modprobe_conf
	kxt_check stage1.default-kexec kd_log sed -i \
		-e 's/^LOAD_KEXEC=.*/LOAD_KEXEC=true/' \
		-e "s|^KERNEL_IMAGE=.*|KERNEL_IMAGE=\"/boot/vmlinuz-$rel\"|" \
		-e 's/^INITRD=.*/INITRD=""/' \
		-e "s|^APPEND=.*|APPEND=\"$(kd_next_cmdline 3)\"|" /etc/default/kexec
	kd_kexec 1
}

kd_stage2()
{
	kd_root_clean stage2
	kxt_check stage2.module-at-boot [ -d /sys/module/kexec_mod ]
	kxt_check stage2.kexec-on-reboot \
		[ "$(cat /sys/module/kexec_mod/parameters/kexec_on_reboot)" = Y ]
	# kexec-load loads at shutdown, and only when nothing is loaded.
	kxt_check stage2.nothing-loaded [ "$(cat /sys/kernel/kexec_loaded)" = 0 ]
	kxt_check stage2.kexec-load-active kd_log systemctl is-active kexec-load.service
	kd_reboot 2
}

# kd_hook_refused: the hook when the exec is refused, with a stand-in
# for /usr/sbin/kexec-mod (bind-mounted over it, then gone) that says a
# kernel is loaded and refuses -e: the hook returns 1 and its reason is
# in the kernel log, where systemd-shutdown's console shows it.
kd_hook_refused()
{
	cat > /tmp/kexec-mod.refuses <<-'EOF'
	#!/bin/sh
	case "$1" in
	-S) exit 1 ;;
	-e) echo "kexec-mod: the exec was refused: planted for the test"; exit 1 ;;
	esac
	exit 2
	EOF
	chmod +x /tmp/kexec-mod.refuses
	mount --bind /tmp/kexec-mod.refuses /usr/sbin/kexec-mod || return 1
	kd_hook_rc=0
	kd_hook kexec || kd_hook_rc=$?
	umount /usr/sbin/kexec-mod
	[ "$kd_hook_rc" -eq 1 ] || { echo "the hook returned $kd_hook_rc"; return 1; }
	dmesg | grep -q 'kexec-mod: the exec was refused: planted for the test$'
}

kd_stage3()
{
	kd_root_clean stage3
	kxt_check stage3.module-at-boot [ -d /sys/module/kexec_mod ]
	kxt_check stage3.hook-refused kd_log kd_hook_refused
	echo "KXT end $SCENARIO stage=3"
	kxt_check stage3.poweroff kd_log systemctl --no-block poweroff
}

case "$1" in
1)
	kd_setup
	;;
systemd)
	stage=$(kxt_cmdline_arg kxtest.stage)
	kxt_diag "stage ${stage:-none} under $(cat /proc/1/comm), $(uname -r)"
	kxt_check "stage$stage.systemd" [ -d /run/systemd/system ]
	if [ "$stage" != 1 ]; then
		kxt_step "stage$stage.marker" \
			[ "$(kxt_cmdline_arg kxtest.marker)" = "stage$stage" ]
	fi
	case "$stage" in
	1) kd_stage1 ;;
	2) kd_stage2 ;;
	3) kd_stage3 ;;
	*) kxt_fail "$SCENARIO.stage" "no stage ${stage:-} on the command line"
	   kd_end_now ;;
	esac
	;;
*)
	kxt_fail "$SCENARIO.stage" "stage $1 is run by systemd"
	;;
esac
