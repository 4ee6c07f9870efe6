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
 * it is position independent and finds its table with adr.  adr names
 * local labels only: clang's assembler leaves an adr to a global symbol
 * to the linker (R_ARM_ALU_PC_G0), which the module loader refuses.
 *
 * Two ways to copy, chosen by the C side through the copy_ttbr parameter:
 *
 *   MMU off (copy_ttbr 0): caches off and flushed through the kernel's
 *     routine, MMU off, back to HYP mode where needed, then the copy.
 *   MMU on (copy_ttbr set): switch to the private copy table, which maps
 *     System RAM 1:1 as normal cacheable memory, copy with the caches on,
 *     then D-cache off, clean it by set/way to the point of coherency with
 *     the stub's own loop (the copy may have overwritten the kernel's),
 *     MMU off.  Where the new kernel is to be entered in HYP mode, the
 *     stub puts its own HYP vectors in place before the copy (the
 *     kernel's HYP stub is part of its text) and traps to them at the end.
 *
 * Stages, each reported with one character on the debug UART if one is
 * configured:  E entered (MMU still on), C copy table installed (MMU-on
 * copy only), V own HYP vectors installed (MMU-on copy into HYP only), M
 * MMU and caches off, H in HYP mode (only where the kernel was entered in
 * HYP), I each indirection page, J jumping to the new kernel (followed by
 * CR LF).  MMU off: EM(H)I..J; MMU on: EC(V)I..M(H)J.
 */

#include <linux/linkage.h>
#include <asm/assembler.h>
#include "relocate_arm.h"

	/* hvc, to return to HYP mode through the kernel's HYP stub. */
	.arch_extension virt

/*
 * TTBCR.EPD1: no TTBR1 walks (long format).  The MMU-on copy turns them
 * off: TTBR1 points into the kernel's own tables, which the copy may
 * overwrite, and a speculative walk must not read them.
 */
#define TTBCR_EPD1	(1 << 23)

/* SCTLR bits the stub clears: MMU, D-cache, I-cache, Thumb exceptions. */
#define SCTLR_M		(1 << 0)
#define SCTLR_C		(1 << 2)
#define SCTLR_I		(1 << 12)
#define SCTLR_TE	(1 << 30)

/*
 * A bound on the UART ready poll, so that a wrong UART type or address
 * costs time, not the boot.  One character at 115200 baud takes 87 us; an
 * uncached device read takes well under a microsecond, so 65536 polls
 * outlast any real wait several times over and cost a few milliseconds a
 * breadcrumb when the UART never says ready.
 */
#define UART_POLL_LIMIT	0x10000

/* Breadcrumb \ch to the debug UART, if any: kexec_reloc_putc's clobbers. */
	.macro	crumb, ch
	mov	r4, #\ch
	bl	kexec_reloc_putc
	.endm

/* Go on at \label unless the new kernel is to be entered in HYP mode. */
	.macro	unless_hyp, label
	ldr	r4, [r12, #KEXEC_RELOC_HYP]
	cmp	r4, #0
	beq	\label
	.endm

/*
 * D- and I-cache off from SCTLR value \sctlr, MMU still on, then the
 * kernel's clean and invalidate of every cache (it needs the stack and
 * the kernel mapping).  The call follows the AAPCS: r0-r3, r12 and lr
 * are lost; r12 is found again.
 */
	.macro	caches_off_flush, sctlr
	bic	r4, \sctlr, #SCTLR_C
	bic	r4, r4, #SCTLR_I
	mcr	p15, 0, r4, c1, c0, 0
	isb
	ldr	r4, [r12, #KEXEC_RELOC_CACHE_FLUSH]
	blx	r4
	adr	r12, .Lparams
	.endm

/*
 * MMU off: the next instruction is fetched from the same address, now
 * physical, which is why the page is mapped 1:1.  Then nothing fetched,
 * predicted or translated under the old mapping may survive.
 */
	.macro	mmu_off
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #SCTLR_M | SCTLR_C
	bic	r4, r4, #SCTLR_I
	bic	r4, r4, #SCTLR_TE
	mcr	p15, 0, r4, c1, c0, 0
	isb
	mov	r4, #0
	mcr	p15, 0, r4, c7, c5, 0		@ ICIALLU
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	mcr	p15, 0, r4, c8, c7, 0		@ TLBIALL
	dsb
	isb
	.endm

/* Through the kernel's HYP stub: its soft-restart call branches to \to in HYP. */
	.macro	hyp_soft_restart, to
	mov	r0, #KEXEC_RELOC_HVC_SOFT_RESTART
	adr	r1, \to
	hvc	#0
	.endm

	/*
	 * A template, not code this module runs: keep it out of .text so
	 * nothing mistakes it for a callable function.
	 */
	.section .rodata, "a"
	.arm
	/*
	 * The copy starts on a page: aligning the start to 32 bytes here
	 * keeps the HYP vectors below 32-byte aligned in it, as HVBAR needs.
	 */
	.align	5

/*
 * kexec_reloc_code - entry of the stub
 *
 * On entry: ARM state, IRQs and FIQs masked, running from the control
 * page through a 1:1 section with the MMU and caches on, caches cleaned
 * by the caller, which wrote nothing to memory since.  sp: a stack that
 * the current translation table maps (the module's); only the MMU-off
 * path uses it, for the kernel's cache flush.  r0-r3: nothing.
 *
 * Register use throughout:
 *   r0  pointer into the current indirection page
 *   r1  the list entry being looked at
 *   r2  destination pointer (advances by one page per source page)
 *   r3  source pointer
 *   r4-r11  data of one 32-byte ldm/stm block; r4-r6, r8-r10 also
 *       scratch for kexec_reloc_putc outside the copy loop, r0-r11 for
 *       kexec_reloc_dcache_clean after it
 *   r12 the parameter table
 *   lr  end of the source page in the copy loop, else link register
 *
 * Does not return: ends with a branch to the new kernel's entry with
 * r0 = 0, r1 = machine type, r2 = boot parameters (DTB or ATAGs).
 */
	.globl	kexec_reloc_code
kexec_reloc_code:
	adr	r12, .Lparams

	/* E: only where the caller mapped the UART 1:1 as well. */
	ldr	r4, [r12, #KEXEC_RELOC_UART_EARLY]
	cmp	r4, #0
	movne	r4, #'E'
	blne	kexec_reloc_putc

	ldr	r4, [r12, #KEXEC_RELOC_COPY_TTBR]
	cmp	r4, #0
	beq	.Lmmu_off

	/*
	 * MMU-on copy: the copy table maps the control page 1:1 as the
	 * caller's table does, so the next instruction is fetched from the
	 * same address.  Nothing from the old mapping may survive: TLBs and
	 * predictions go.  The caches stay on; the caller cleaned them.
	 */
#ifdef CONFIG_ARM_LPAE
	ldr	r5, [r12, #KEXEC_RELOC_COPY_TTBR_HI]
	mcrr	p15, 0, r4, r5, c2		@ TTBR0, 64 bits
	mrc	p15, 0, r4, c2, c0, 2		@ TTBCR
	orr	r4, r4, #TTBCR_EPD1
	mcr	p15, 0, r4, c2, c0, 2
#else
	mcr	p15, 0, r4, c2, c0, 0		@ TTBR0
#endif
	isb
	mov	r4, #0
	mcr	p15, 0, r4, c8, c7, 0		@ TLBIALL
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	dsb
	isb
	crumb	'C'

	/*
	 * Into HYP at the end, as on the MMU-off path, but the kernel's HYP
	 * stub will not survive the copy: go through it now, once, to put
	 * the stub's own vectors in place (kexec_reloc_hyp_install).
	 */
	unless_hyp .Lwalk
	hyp_soft_restart kexec_reloc_hyp_install
	crumb	'V'
	b	.Lwalk

.Lmmu_off:
	/*
	 * Caches off first, MMU still on, then clean and invalidate them
	 * once more through the kernel's routine (it needs the stack and
	 * the kernel mapping, both still there).  With the D-cache off
	 * nothing new is allocated, so after this the caches hold nothing
	 * that the new kernel could later hit or have written back over
	 * what the copy below puts in memory.
	 */
	mrc	p15, 0, r4, c1, c0, 0
	caches_off_flush r4
	mmu_off
	crumb	'M'

	/*
	 * A kernel entered in HYP mode dropped to SVC and left a stub in
	 * HYP; its new instance must be entered in HYP again, or it finds
	 * its boot CPU in another mode than the secondaries the firmware
	 * starts in HYP.  The stub's soft-restart call branches to r1 in HYP
	 * mode, HYP MMU and caches off.  Before the copy: the stub is part
	 * of the old kernel's text, which the copy may overwrite.
	 */
	unless_hyp .Lwalk
	hyp_soft_restart .Lin_hyp
.Lin_hyp:
	crumb	'H'

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
	crumb	'I'
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
	ldr	r4, [r12, #KEXEC_RELOC_COPY_TTBR]
	cmp	r4, #0
	beq	.Lcode_sync

	/*
	 * End of the MMU-on copy.  D-cache off first, so that nothing new
	 * is allocated, then clean and invalidate it to the point of
	 * coherency: the copied image reaches memory and no line is left
	 * that the new kernel could hit or have written back later.  The
	 * stub's own loop: the kernel's may have been copied over.  Then
	 * the MMU and I-cache off with the MMU-off path's own sequence.
	 */
	dsb
	mrc	p15, 0, r4, c1, c0, 0
	bic	r4, r4, #SCTLR_C
	mcr	p15, 0, r4, c1, c0, 0
	isb
	bl	kexec_reloc_dcache_clean

	mmu_off
	crumb	'M'

	/* To HYP mode through the stub's own vectors: .Lhyp_trap. */
	unless_hyp .Lcode_sync
	hvc	#0

.Lcode_sync:
	/*
	 * TTBCR as at reset (short format, no split, all walks on), as the
	 * new kernel finds it after firmware: the old kernel's LPAE and PAN
	 * settings and the copy's EPD1 must not outlive it.
	 */
	mov	r4, #0
	mcr	p15, 0, r4, c2, c0, 2		@ TTBCR

	/* The copied pages are code now: drop stale lines and predictions. */
	dsb
	mcr	p15, 0, r4, c7, c5, 0		@ ICIALLU
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	dsb
	isb

	crumb	'J'
	crumb	0x0d				@ CR
	crumb	0x0a				@ LF

	ldr	lr, [r12, #KEXEC_RELOC_START]
	mov	r0, #0
	ldr	r1, [r12, #KEXEC_RELOC_MACH_TYPE]
	ldr	r2, [r12, #KEXEC_RELOC_BOOT_PARAMS]
	bx	lr

/*
 * kexec_reloc_rehearse - the stub's way there and back, for a rehearsal
 *
 * Entered as kexec_reloc_code is (ARM state, IRQs and FIQs masked, from
 * the control page through its 1:1 block, caches and the outer cache
 * cleaned by the caller), but with blx, a return address in lr and a
 * stack the caller's table maps.  Does what the MMU-off path does up to
 * its copy: caches off and flushed through the kernel's routine, MMU off
 * (breadcrumb M).  Then the MMU and caches go back on as they were, with
 * the caller's table still in TTBR0, and it returns (breadcrumb R where
 * the UART is mapped 1:1).  Nothing is written to memory while the MMU
 * is off.  No copy, no HYP: the new kernel's entry is not rehearsed.
 *
 * Preserves r4-r11 and sp, as the AAPCS asks; r0-r3, r12 and lr are
 * lost.  r11 holds the caller's SCTLR while the MMU is off.
 */
	.globl	kexec_reloc_rehearse
kexec_reloc_rehearse:
	push	{r4-r11, lr}
	adr	r12, .Lparams
	ldr	r4, [r12, #KEXEC_RELOC_UART_EARLY]
	cmp	r4, #0
	movne	r4, #'E'
	blne	kexec_reloc_putc

	mrc	p15, 0, r11, c1, c0, 0		@ SCTLR, to put back
	caches_off_flush r11
	mmu_off
	crumb	'M'

	/*
	 * Back on, from the same 1:1 address: TLBs and caches hold nothing
	 * from before, so the walk and every fetch start afresh.
	 */
	mov	r4, #0
	mcr	p15, 0, r4, c8, c7, 0		@ TLBIALL
	mcr	p15, 0, r4, c7, c5, 0		@ ICIALLU
	dsb
	mcr	p15, 0, r11, c1, c0, 0		@ SCTLR as it was
	isb
	mcr	p15, 0, r4, c7, c5, 6		@ BPIALL
	dsb
	isb

	ldr	r4, [r12, #KEXEC_RELOC_UART_EARLY]
	cmp	r4, #0
	movne	r4, #'R'
	blne	kexec_reloc_putc
	pop	{r4-r11, pc}

/*
 * kexec_reloc_hyp_install - in HYP mode, point HVBAR at the stub's vectors
 *
 * Reached through the kernel's HYP stub (its soft-restart call branches
 * here in HYP mode, HYP MMU off, so addresses are physical, as the 1:1
 * mapping makes them in SVC too).  A Thumb-2 kernel had HSCTLR.TE set so
 * that its vectors are entered in Thumb state; the stub's are ARM code.
 * ELR_hyp and SPSR_hyp still hold what the hvc saved: eret goes back to
 * SVC mode right after it.  Clobbers r4.
 */
kexec_reloc_hyp_install:
	adr	r4, .Lhyp_vectors
	mcr	p15, 4, r4, c12, c0, 0		@ HVBAR
	mrc	p15, 4, r4, c1, c0, 0		@ HSCTLR
	bic	r4, r4, #SCTLR_TE
	mcr	p15, 4, r4, c1, c0, 0
	isb
	eret

/*
 * kexec_reloc_hyp_vectors - HYP vectors for the end of the MMU-on copy
 *
 * Only the hyp trap entry is expected: the hvc after the MMU went off.
 * It continues in HYP mode, registers as they were, where the MMU-off
 * path would be after its copy.  Anything else stops here rather than
 * run into memory the copy has changed.
 */
	.align	5
	.globl	kexec_reloc_hyp_vectors
kexec_reloc_hyp_vectors:
.Lhyp_vectors:
	b	.				@ reset
	b	.				@ undefined instruction
	b	.				@ hvc from HYP mode
	b	.				@ prefetch abort
	b	.				@ data abort
	b	.Lhyp_trap			@ hyp trap: the stub's hvc
	b	.				@ IRQ
	b	.				@ FIQ
.Lhyp_trap:
	crumb	'H'
	b	.Lcode_sync

/*
 * kexec_reloc_dcache_clean - clean and invalidate the data and unified
 * caches by set/way, every level up to the level of coherency
 *
 * The walk of the kernel's v7_flush_dcache_all: CLIDR gives the levels
 * and LoC, CCSIDR of each level its line size, ways and sets.  Only
 * this CPU runs, so set/way operations reach everything that matters.
 *
 * lr: return address; r12 and lr are preserved.
 * Clobbers r0-r11: r0 CLIDR, r1 CCSIDR then the highest set number, r2
 * log2 of the line size, r3 LoC * 2, r4 way (shifted into the top bits),
 * r5 the set/way operand, r6 one way step, r9 set, r10 level * 2.
 */
kexec_reloc_dcache_clean:
	dmb
	mrc	p15, 1, r0, c0, c0, 1		@ CLIDR
	mov	r3, r0, lsr #23
	ands	r3, r3, #7 << 1			@ LoC * 2
	beq	.Lclean_end
	mov	r10, #0
.Lclean_level:
	add	r2, r10, r10, lsr #1		@ level * 3
	mov	r1, r0, lsr r2
	and	r1, r1, #7			@ cache type at this level
	cmp	r1, #2
	blt	.Lclean_next			@ none, or I-cache only
	mcr	p15, 2, r10, c0, c0, 0		@ CSSELR: this level
	isb
	mrc	p15, 1, r1, c0, c0, 0		@ CCSIDR
	and	r2, r1, #7
	add	r2, r2, #4			@ log2 of the line size
	movw	r4, #0x3ff
	ands	r4, r4, r1, lsr #3		@ highest way number
	clz	r5, r4				@ where the way field starts
	movw	r6, #0x7fff
	and	r1, r6, r1, lsr #13		@ highest set number
	mov	r6, #1
	movne	r4, r4, lsl r5
	movne	r6, r6, lsl r5
.Lclean_way:
	mov	r9, r1
.Lclean_set:
	mov	r5, r9, lsl r2
	orr	r5, r5, r4
	orr	r5, r5, r10
	mcr	p15, 0, r5, c7, c14, 2		@ DCCISW
	subs	r9, r9, #1
	bge	.Lclean_set
	subs	r4, r4, r6
	bcs	.Lclean_way
.Lclean_next:
	add	r10, r10, #2
	cmp	r3, r10
	dsb					@ ARM erratum 814220
	bgt	.Lclean_level
.Lclean_end:
	mov	r10, #0
	mcr	p15, 2, r10, c0, c0, 0		@ CSSELR: back to level 1
	dsb
	isb
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
.Lparams:
	.space	KEXEC_RELOC_PARAMS_SIZE

	.globl	kexec_reloc_end
kexec_reloc_end:
