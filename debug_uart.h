/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The debug_uart module parameter: a UART the relocation stub writes its
 * breadcrumbs to, and the translation tables map for it.
 */
#ifndef KEXEC_MOD_DEBUG_UART_H
#define KEXEC_MOD_DEBUG_UART_H

#include <linux/types.h>

/**
 * struct kexec_mod_uart - a snapshot of debug_uart, taken when preparing
 * @phys: physical address of the data register; 0 when there is none
 * @status_offset: offset of the status register from @phys
 * @ready_mask: status bits that say "ready to send" ...
 * @ready_value: ... when they read as this value
 */
struct kexec_mod_uart {
	phys_addr_t phys;
	u32 status_offset;
	u32 ready_mask;
	u32 ready_value;
};

void kexec_mod_debug_uart_get(struct kexec_mod_uart *uart);

#endif /* KEXEC_MOD_DEBUG_UART_H */
