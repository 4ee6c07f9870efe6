/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The relocation stub (relocate_arm.S) and its parameter table.
 *
 * The stub is never run where the module was loaded: machine_kexec.c
 * copies kexec_reloc_code..kexec_reloc_end into the control page and fills
 * in the parameter table of that copy, which sits right after the code.
 * The offsets below are shared by the assembly and the C side.
 */
#ifndef KEXEC_MOD_RELOCATE_ARM_H
#define KEXEC_MOD_RELOCATE_ARM_H

/* Byte offsets into the parameter table. */
#define KEXEC_RELOC_START	0	/* entry point of the new kernel (phys) */
#define KEXEC_RELOC_HEAD	4	/* head of the indirection list */
#define KEXEC_RELOC_MACH_TYPE	8	/* r1 for the new kernel */
#define KEXEC_RELOC_BOOT_PARAMS	12	/* r2 for the new kernel: DTB or ATAGs */
#define KEXEC_RELOC_UART_DATA	16	/* UART data register (phys), 0: none */
#define KEXEC_RELOC_UART_STATUS	20	/* UART status register (phys) */
#define KEXEC_RELOC_UART_MASK	24	/* status bits that say "ready" ... */
#define KEXEC_RELOC_UART_READY	28	/* ... when they read as this value */
#define KEXEC_RELOC_UART_EARLY	32	/* non-zero: UART reachable, MMU on */
#define KEXEC_RELOC_CACHE_FLUSH	36	/* kernel's whole-cache clean+invalidate */
#define KEXEC_RELOC_HYP		40	/* non-zero: back to HYP mode first */
#define KEXEC_RELOC_COPY_TTBR	44	/* TTBR0 of the copy table, 0: MMU off */
#define KEXEC_RELOC_COPY_TTBR_HI	48	/* its top half (LPAE: 64-bit TTBR0) */
#define KEXEC_RELOC_PARAMS_SIZE	52

/* The HYP stub's call that branches to r1 in HYP mode (asm/virt.h). */
#define KEXEC_RELOC_HVC_SOFT_RESTART	1

/* Indirection list flags, as the kernel's kexec defines them. */
#define KEXEC_RELOC_IND_DESTINATION	0x1
#define KEXEC_RELOC_IND_INDIRECTION	0x2
#define KEXEC_RELOC_IND_DONE		0x4
#define KEXEC_RELOC_IND_SOURCE		0x8

#ifndef __ASSEMBLY__
#include <linux/types.h>

/* The parameter table as C sees it; offsets checked at build time. */
struct kexec_reloc_params {
	u32 start;
	u32 head;
	u32 mach_type;
	u32 boot_params;
	u32 uart_data;
	u32 uart_status;
	u32 uart_mask;
	u32 uart_ready;
	u32 uart_early;
	u32 cache_flush;
	u32 hyp;
	u32 copy_ttbr;
	u32 copy_ttbr_hi;
};

/* Bounds of the stub template; only ever read, never executed in place. */
extern const u8 kexec_reloc_code[];
extern const u8 kexec_reloc_hyp_vectors[];
extern const u8 kexec_reloc_rehearse[];
extern const u8 kexec_reloc_params[];
extern const u8 kexec_reloc_end[];
#endif /* __ASSEMBLY__ */

#endif /* KEXEC_MOD_RELOCATE_ARM_H */
