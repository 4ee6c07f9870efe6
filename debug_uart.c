// SPDX-License-Identifier: GPL-2.0-only
/*
 * debug_uart: where the relocation stub writes its breadcrumbs.  Parsed
 * here, read as one snapshot when an exec is prepared, so that the
 * translation tables and the stub's parameters agree on one UART even if
 * the parameter is written in between.
 */

#include <linux/bits.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "debug_uart.h"

/* UART types for debug_uart, and what their registers look like. */
enum kexec_uart_type {
	KEXEC_UART_NONE,
	KEXEC_UART_PL011,
	KEXEC_UART_8250,	/* 32-bit registers (reg-shift 2), MMIO */
};

struct kexec_uart_desc {
	const char *name;
	u32 status_offset;
	u32 ready_mask;
	u32 ready_value;
};

static const struct kexec_uart_desc kexec_uart_descs[] = {
	[KEXEC_UART_PL011] = { "pl011", 0x18, BIT(5), 0 },	/* FR.TXFF clear */
	[KEXEC_UART_8250] = { "8250", 0x14, BIT(5), BIT(5) },	/* LSR.THRE set */
};

/* Written by the parameter's set, under the module's parameter lock. */
static phys_addr_t kexec_debug_uart_phys;
static enum kexec_uart_type kexec_debug_uart_type;

static int kexec_debug_uart_set(const char *val, const struct kernel_param *kp)
{
	char buf[40];
	char *type;
	unsigned long phys;
	int i, err;

	if (strscpy(buf, val, sizeof(buf)) < 0)
		return -EINVAL;
	strim(buf);
	if (!buf[0] || !strcmp(buf, "off")) {
		kexec_debug_uart_type = KEXEC_UART_NONE;
		kexec_debug_uart_phys = 0;
		return 0;
	}

	type = strchr(buf, ',');
	if (!type)
		return -EINVAL;
	*type++ = '\0';
	err = kstrtoul(buf, 0, &phys);
	if (err)
		return err;
	if (!phys || phys & 3)
		return -EINVAL;

	for (i = KEXEC_UART_PL011; i < ARRAY_SIZE(kexec_uart_descs); i++) {
		if (!strcmp(type, kexec_uart_descs[i].name)) {
			kexec_debug_uart_phys = phys;
			kexec_debug_uart_type = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int kexec_debug_uart_get(char *buffer, const struct kernel_param *kp)
{
	if (kexec_debug_uart_type == KEXEC_UART_NONE)
		return sysfs_emit(buffer, "off\n");
	/* One format for 32- and 64-bit phys_addr_t (LPAE). */
	return sysfs_emit(buffer, "0x%08llx,%s\n", (u64)kexec_debug_uart_phys,
			  kexec_uart_descs[kexec_debug_uart_type].name);
}

static const struct kernel_param_ops kexec_debug_uart_ops = {
	.set = kexec_debug_uart_set,
	.get = kexec_debug_uart_get,
};

module_param_cb(debug_uart, &kexec_debug_uart_ops, NULL, 0644);
MODULE_PARM_DESC(debug_uart,
		 "<phys>,pl011|8250: relocation stub writes E M I.. J to this UART (8250: 32-bit registers)");

/**
 * kexec_mod_debug_uart_get() - the debug UART as it is set now
 * @uart: filled in; @uart->phys is 0 when debug_uart is off
 *
 * Context: process context; takes the module's parameter lock, which a
 * write to the parameter holds too, so the snapshot is never half old.
 */
void kexec_mod_debug_uart_get(struct kexec_mod_uart *uart)
{
	const struct kexec_uart_desc *desc;

	memset(uart, 0, sizeof(*uart));
	kernel_param_lock(THIS_MODULE);
	if (kexec_debug_uart_type != KEXEC_UART_NONE) {
		desc = &kexec_uart_descs[kexec_debug_uart_type];
		uart->phys = kexec_debug_uart_phys;
		uart->status_offset = desc->status_offset;
		uart->ready_mask = desc->ready_mask;
		uart->ready_value = desc->ready_value;
	}
	kernel_param_unlock(THIS_MODULE);
}
