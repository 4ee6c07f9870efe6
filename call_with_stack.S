/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec_mod_call_with_stack: run a function on a stack the module owns.
 *
 * The restart path must not depend on the current task's stack: the
 * pages under it may be a destination of the new kernel, and the restart
 * code wants a stack it knows the location of.  The kernel's own helper
 * for this, call_with_stack(), is not exported, hence this one.
 * Assembled in the kernel's instruction set; the function pointer may be
 * ARM or Thumb (blx interworks on bit 0).
 */

#include <linux/linkage.h>
#include <asm/assembler.h>
#include <asm/unwind.h>

/*
 * void kexec_mod_call_with_stack(void (*fn)(void *), void *arg, void *sp)
 *
 * r0: fn, r1: arg, r2: top of the new stack (8-byte aligned).
 * Calls fn(arg) with sp = r2.  r4 keeps the caller's sp across the call
 * (r4 is callee-saved, so fn preserves it); if fn returns, the caller's
 * stack is restored and this function returns normally.
 */
ENTRY(kexec_mod_call_with_stack)
UNWIND(	.fnstart		)
UNWIND(	.save	{r4, lr}	)
	push	{r4, lr}
UNWIND(	.setfp	r4, sp		)
	mov	r4, sp
	mov	sp, r2
	mov	r2, r0
	mov	r0, r1
	blx	r2
	mov	sp, r4
	pop	{r4, pc}
UNWIND(	.fnend			)
ENDPROC(kexec_mod_call_with_stack)
