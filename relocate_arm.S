/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec_mod relocation stub: the last code the old kernel runs.
 *
 * machine_kexec.c copies everything from kexec_reloc_code to
 * kexec_reloc_end into the control page, fills in the parameter table of
 * that copy and branches to the copy's physical address, which the
 * module's private first-level table maps 1:1.  The stub is assembled in
 * ARM state whatever the kernel's instruction set, so the caller must
 * enter it with bit 0 of the address clear (blx/bx to an even address);
 * it is position independent and finds its table with adr.
 *
 * Stages, each reported with one character on the debug UART if one is
 * configured:  E entered (MMU still on), M MMU and caches off, H back in
 * HYP mode (only where the kernel was entered in HYP), I each indirection
 * page, J jumping to the new kernel (followed by CR LF).
 */

#include <linux/linkage.h>
#include <asm/assembler.h>
#include "relocate_arm.h"

	/* hvc, to return to HYP mode through the kernel's HYP stub. */
	.arch_extension virt

/* SCTLR bits the stub clears: MMU, D-cache, I-cache, Thumb exceptions. */
#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define SCTLR_I		(1 << 12)
#define SCTLR_TE	(1 << 30)

/* A bound on the UART ready poll: a wrong UART type must not hang us. */
#define UART_POLL_LIMIT	0x10000

	/*
	 * A template, not code this module runs: keep it out of .text so
	 * nothing mistakes it for a callable function.
	 */
	.section .rodata, "a"
	.arm
	.align	3

/*
 * kexec_reloc_code - entry of the stub
 *
 * On entry: ARM state, IRQs and FIQs masked, running from the control
 * page through a 1:1 section with the MMU and caches on, caches cleaned
 * by the caller, which wrote nothing to memory since.  sp: a stack that
 * the current translation table maps (the module's).  r0-r3: nothing.
 *
 * Register use throughout:
 *   r0  pointer into the current indirection page
 *   r1  the list entry being looked at
 *   r2  destination pointer (advances by one page per source page)
 *   r3  source pointer
 *   r4-r11  data of one 32-byte ldm/stm block; r4-r6, r8-r10 also
 *       scratch for kexec_reloc_putc outside the copy loop
 *   r12 the parameter table
 *   lr  end of the source page in the copy loop, else link register
 *
 * Does not return: ends with a branch to the new kernel's entry with
 * r0 = 0, r1 = machine type, r2 = boot parameters (DTB or ATAGs).
 */
	.globl	kexec_reloc_code
kexec_reloc_code:
	adr	r12, kexec_reloc_params

	/* E: only where the caller mapped the UART 1:1 as well. */
	ldr	r4, [r12, #KEXEC_RELOC_UART_EARLY]
	cmp	r4, #0
	movne	r4, #'E'
	blne	kexec_reloc_putc

	/*
	 * Caches off first, MMU still on, then clean and invalidate them
	 * once more through the kernel's routine (it needs the stack and
	 * the kernel mapping, both still there).  With the D-cache off
	 * nothing new is allocated, so after this the caches hold nothing
	 * that the new kernel could later hit or have written back over
	 * what the copy below puts in memory.  The call follows the AAPCS:
	 * r0-r3, r12 and lr are lost.
	 */
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #SCTLR_C
	bic	r4, r4, #SCTLR_I
	mcr	p15, 0, r4, c1, c0, 0
	isb
	ldr	r4, [r12, #KEXEC_RELOC_CACHE_FLUSH]
	blx	r4
	adr	r12, kexec_reloc_params

	/*
	 * MMU off.  The next instruction is fetched from the same address,
	 * now physical, which is why the page is mapped 1:1.
	 */
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #SCTLR_M | SCTLR_C
	bic	r4, r4, #SCTLR_I
	bic	r4, r4, #SCTLR_TE
	mcr	p15, 0, r4, c1, c0, 0
	isb

	/* Nothing fetched or predicted under the old mapping may survive. */
	mov	r4, #0
	mcr	p15, 0, r4, c7, c5, 0		@ ICIALLU
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	mcr	p15, 0, r4, c8, c7, 0		@ TLBIALL
	dsb
	isb

	mov	r4, #'M'
	bl	kexec_reloc_putc

	/*
	 * A kernel entered in HYP mode dropped to SVC and left a stub in
	 * HYP; its new instance must be entered in HYP again, or it finds
	 * its boot CPU in another mode than the secondaries the firmware
	 * starts in HYP.  The stub's soft-restart call branches to r1 in HYP
	 * mode, HYP MMU and caches off.  Before the copy: the stub is part
	 * of the old kernel's text, which the copy may overwrite.
	 */
	ldr	r4, [r12, #KEXEC_RELOC_HYP]
	cmp	r4, #0
	beq	.Lwalk
	mov	r0, #KEXEC_RELOC_HVC_SOFT_RESTART
	adr	r1, .Lin_hyp
	hvc	#0
.Lin_hyp:
	mov	r4, #'H'
	bl	kexec_reloc_putc

.Lwalk:
	/* The head is an entry like the others; anything else: no copy. */
	ldr	r1, [r12, #KEXEC_RELOC_HEAD]
	tst	r1, #KEXEC_RELOC_IND_INDIRECTION
	beq	.Ldone
	b	.Lentry

.Lnext:
	ldr	r1, [r0], #4
.Lentry:
	tst	r1, #KEXEC_RELOC_IND_DESTINATION
	bicne	r2, r1, #KEXEC_RELOC_IND_DESTINATION
	bne	.Lnext

	tst	r1, #KEXEC_RELOC_IND_INDIRECTION
	beq	.Lnot_indirection
	bic	r0, r1, #KEXEC_RELOC_IND_INDIRECTION
	mov	r4, #'I'
	bl	kexec_reloc_putc
	b	.Lnext

.Lnot_indirection:
	tst	r1, #KEXEC_RELOC_IND_DONE
	bne	.Ldone
	tst	r1, #KEXEC_RELOC_IND_SOURCE
	beq	.Lnext				@ no flag: an unused slot

	/* One page, 32 bytes per ldm/stm pair, r2 left at the next page. */
	bic	r3, r1, #KEXEC_RELOC_IND_SOURCE
	add	lr, r3, #4096
.Lcopy:
	ldmia	r3!, {r4-r11}
	stmia	r2!, {r4-r11}
	cmp	r3, lr
	bne	.Lcopy
	b	.Lnext

.Ldone:
	/* The copied pages are code now: drop stale lines and predictions. */
	dsb
	mov	r4, #0
	mcr	p15, 0, r4, c7, c5, 0		@ ICIALLU
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	dsb
	isb

	mov	r4, #'J'
	bl	kexec_reloc_putc
	mov	r4, #'\r'
	bl	kexec_reloc_putc
	mov	r4, #'\n'
	bl	kexec_reloc_putc

	ldr	lr, [r12, #KEXEC_RELOC_START]
	mov	r0, #0
	ldr	r1, [r12, #KEXEC_RELOC_MACH_TYPE]
	ldr	r2, [r12, #KEXEC_RELOC_BOOT_PARAMS]
	bx	lr

/*
 * kexec_reloc_putc - write one breadcrumb character to the debug UART
 *
 * r4: the character; r12: the parameter table; lr: return address.
 * Clobbers r5, r6, r8, r9, r10.  Returns at once when no UART is set.
 * Waits for the UART to be ready, but only so long, then writes anyway.
 */
kexec_reloc_putc:
	ldr	r5, [r12, #KEXEC_RELOC_UART_DATA]
	cmp	r5, #0
	bxeq	lr
	ldr	r5, [r12, #KEXEC_RELOC_UART_STATUS]
	ldr	r8, [r12, #KEXEC_RELOC_UART_MASK]
	ldr	r9, [r12, #KEXEC_RELOC_UART_READY]
	mov	r10, #UART_POLL_LIMIT
1:	ldr	r6, [r5]
	and	r6, r6, r8
	cmp	r6, r9
	beq	2f
	subs	r10, r10, #1
	bne	1b
2:	ldr	r5, [r12, #KEXEC_RELOC_UART_DATA]
	str	r4, [r5]
	dsb
	bx	lr

	/* The table machine_kexec.c fills in, in the control-page copy. */
	.align	3
	.globl	kexec_reloc_params
kexec_reloc_params:
	.space	KEXEC_RELOC_PARAMS_SIZE

	.globl	kexec_reloc_end
kexec_reloc_end:
