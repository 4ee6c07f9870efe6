# SPDX-License-Identifier: GPL-2.0-only
#
# Helpers for the scenarios of a live system around the exec (sourced,
# not a scenario itself): the bench's test device, kxtestdev, and its
# window in the middle of a reboot.
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

KX_TESTDEV=/sys/module/kxtestdev/parameters

# kx_testdev PARAM=VALUE...: load the test device.
kx_testdev()
{
	kxt_step "stage$KX_STAGE.insmod-testdev" \
		insmod /lib/modules/kxtestdev.ko "$@"
}

# kx_window_open: whether the test device's shutdown callback is asleep
# (shutdown=sleep), in the middle of a reboot's device_shutdown().
kx_window_open()
{
	read -r kx_w < "$KX_TESTDEV/in_shutdown" && [ "$kx_w" = 1 ]
}

# kx_wait_window: wait for the window (at most about a minute of
# polling); fails NAME.window when it never opened.
kx_wait_window()
{
	kx_polls=0
	until kx_window_open; do
		kx_polls=$((kx_polls + 1))
		if [ "$kx_polls" -gt 2000000 ]; then
			kxt_fail "$1.window" "the shutdown window never opened"
			return 1
		fi
	done
}

# kx_load_next MARKER: load the root as the next stage's initrd.
kx_load_next()
{
	kxt_step "stage$KX_STAGE.make-initrd" kx_make_initrd
	kxt_step "stage$KX_STAGE.load" kxload -i "$KX_INITRD" \
		-c "$(kx_next_cmdline $((KX_STAGE + 1)) "kxtest.marker=$1")" \
		"$KX_IMAGE"
}

# kx_reset_armed HOW: with an image loaded and kexec_on_reboot set, what
# resets a board without kexec must reset it here too; the image never
# starts (its stage 2 fails if it does).  HOW is one of
#   panic       a reboot whose device_shutdown() panics, after the
#               reboot notifier armed the image;
#   emergency   emergency_restart(), what sysrq-b calls, in the middle of
#               a reboot that armed the image;
#   idle-panic  a panic with no reboot under way.
kx_reset_armed()
{
	case "$1" in
	panic) kx_testdev shutdown=panic ;;
	*) kx_testdev shutdown=sleep sleep_ms=3000 ;;
	esac
	kx_insmod kexec_on_reboot=1
	kx_load_next wrong
	# What makes the test: a reboot now would start the image.
	kxt_check stage1.status-armed sh -c 'kxload -s | grep -q "armed=1"'
	case "$1" in
	panic)
		kxt_reset_expected
		reboot -f
		;;
	emergency)
		(kx_wait_window stage1 && kxt_reset_expected &&
			echo emergency-restart > "$KX_TESTDEV/act") &
		reboot -f
		;;
	idle-panic)
		kxt_reset_expected
		echo panic > "$KX_TESTDEV/act"
		;;
	esac
	sleep 10
	kxt_fail stage1.reset "the board did not reset"
}
