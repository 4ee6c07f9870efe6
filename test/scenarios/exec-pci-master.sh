#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-only
#
# exec-pci-master: a PCI device left with bus mastering on must have it
# off when the new kernel starts, as the kernel's own kexec leaves it
# (pci_device_shutdown() clears it when kexec_in_progress, which an
# ordinary restart is not).  QEMU's pci-testdev has no Linux driver, so
# nothing else touches its command register: stage 1 enables it (D0) and
# sets bus mastering through sysfs, stage 2 reads the register before
# anything could have changed it.  The board is booted with
# highmem=off: with highmem on (QEMU's default for a CPU with LPAE) the
# virt board puts its PCIe ECAM window above 4 GiB, at 0x4010000000,
# which a kernel without LPAE (a 32-bit phys_addr_t) reads as
# 0x10000000, inside the bridge's own memory window: "can't claim ECAM
# area ... address conflict", and no PCI bus.  Every other virt guest
# has that line and no PCI device to miss.
set -u
KX_STAGE=$1
# shellcheck source=exec-common.sh
. /scenarios/exec-common.sh

# kx_testdev_pci: the sysfs directory of QEMU's pci-testdev (1b36:0005).
kx_testdev_pci()
{
	for kx_d in /sys/bus/pci/devices/*; do
		[ "$(cat "$kx_d/vendor" 2> /dev/null)" = 0x1b36 ] &&
			[ "$(cat "$kx_d/device")" = 0x0005 ] &&
			echo "$kx_d" && return 0
	done
	return 1
}

# kx_bus_master DEV: whether the command register has Bus Master set.
kx_bus_master()
{
	kx_cmd=$(dd if="$1/config" bs=1 skip=4 count=1 2> /dev/null | od -An -tu1)
	kxt_diag "PCI command register, low byte: $kx_cmd"
	[ $((kx_cmd & 4)) = 4 ]
}

kx_bus_master_off()
{
	[ -n "$1" ] && ! kx_bus_master "$1"
}

kx_pci=$(kx_testdev_pci) || kx_pci=
case "$KX_STAGE" in
1)
	kxt_check stage1.testdev-found [ -n "$kx_pci" ]
	kxt_check stage1.enable sh -c "echo 1 > $kx_pci/enable"
	# Memory space and Bus Master (0x0006).
	printf '\006\000' |
		dd of="$kx_pci/config" bs=1 seek=4 count=2 conv=notrunc 2> /dev/null
	kxt_check stage1.bus-master-on kx_bus_master "$kx_pci"
	kx_insmod
	kx_exec_next
	;;
2)
	kx_check_arrival pci-master
	kxt_check stage2.testdev-found [ -n "$kx_pci" ]
	kxt_check stage2.bus-master-off kx_bus_master_off "$kx_pci"
	;;
esac
