// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ARM half of the exec path, in the order it runs: prepare (how to
 * enter the new kernel, how the stub copies, the tables it needs), then,
 * from the restart handler, put the stub into the control page, switch to
 * the module's stack, flush the caches, go through the identity map into
 * the stub.  This stands in for the kernel's machine_kexec() and
 * soft_restart(), which need CONFIG_KEXEC and the unexported identity
 * map; everything here goes through exported symbols or touches the CPU
 * directly.  The tables themselves are built in exec_pgtable.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/errno.h>
#include <linux/fault-inject.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/cacheflush.h>
#include <asm/outercache.h>
#include <linux/kexec_mod.h>

#include "boot_mode.h"
#include "debug_uart.h"
#include "exec_pgtable.h"
#include "image.h"
#include "machine_kexec.h"
#include "param_enum.h"
#include "relocate_arm.h"

/*
 * reloc_mode: how the stub copies the image.  "auto" copies with the MMU
 * and caches on wherever that is possible (kexec_reloc_choose() says
 * where not) and with them off elsewhere; "mmu-on" and "mmu-off" force a
 * mode, for testing: an exec that cannot copy with the MMU on is then
 * refused rather than done the other way.
 */
enum kexec_reloc_mode {
	KEXEC_RELOC_AUTO,
	KEXEC_RELOC_MMU_ON,
	KEXEC_RELOC_MMU_OFF,
};

static const char * const kexec_reloc_mode_names[] = {
	[KEXEC_RELOC_AUTO] = "auto",
	[KEXEC_RELOC_MMU_ON] = "mmu-on",
	[KEXEC_RELOC_MMU_OFF] = "mmu-off",
};

static int kexec_reloc_mode = KEXEC_RELOC_AUTO;

static struct kexec_mod_param_enum kexec_reloc_mode_param = {
	.names = kexec_reloc_mode_names,
	.nr = ARRAY_SIZE(kexec_reloc_mode_names),
	.value = &kexec_reloc_mode,
};

module_param_cb(reloc_mode, &kexec_mod_param_enum_ops,
		&kexec_reloc_mode_param, 0644);
MODULE_PARM_DESC(reloc_mode,
		 "auto (default), mmu-on or mmu-off: copy the image with the MMU and caches on where possible, or force a mode (testing)");

/*
 * What the restart needs, decided and allocated in
 * kexec_mod_machine_prepare(), where failing is still allowed: the
 * restart path itself allocates nothing and decides nothing.
 */
static bool kexec_hyp;
static struct kexec_mod_uart kexec_uart;
static u32 kexec_prepared_mode;

/*
 * The stack the restart runs on: the module's own, so nothing it relies
 * on lives in a page of the current task that a destination may cover.
 * The restart calls the identity map builder and the cache maintenance
 * on it, an outer cache's included, which takes a spinlock: with lockdep
 * and KASAN that goes deep.  So it gets a kernel stack's size, and its
 * lowest KEXEC_RESTART_STACK_GUARD bytes hold a pattern the restart
 * checks before it jumps: a stack that ran into them panics (and the
 * board resets) instead of jumping with whatever lay below overwritten.
 */
#define KEXEC_RESTART_STACK_SIZE	THREAD_SIZE
#define KEXEC_RESTART_STACK_GUARD	SZ_512
#define KEXEC_RESTART_STACK_FILL	0xa5
static u64 kexec_restart_stack[KEXEC_RESTART_STACK_SIZE / sizeof(u64)];

/*
 * For the tests, where the kernel has CONFIG_FAULT_INJECTION_DEBUG_FS:
 * debugfs kexec_mod/fail_restart_stack makes the restart write into the
 * guard, as an overflow would.
 */
#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(kexec_fail_restart_stack);
#endif

static void kexec_restart_stack_guard(void)
{
	memset(kexec_restart_stack, KEXEC_RESTART_STACK_FILL,
	       KEXEC_RESTART_STACK_GUARD);
#ifdef CONFIG_FAULT_INJECTION
	if (should_fail(&kexec_fail_restart_stack, 1))
		((u8 *)kexec_restart_stack)[KEXEC_RESTART_STACK_GUARD - 1] = 0;
#endif
}

static bool kexec_restart_stack_intact(void)
{
	return !memchr_inv(kexec_restart_stack, KEXEC_RESTART_STACK_FILL,
			   KEXEC_RESTART_STACK_GUARD);
}

/**
 * kexec_mod_machine_debugfs() - the exec's fault attribute in debugfs
 * @dir: the module's debugfs directory
 *
 * Context: module init; removed with @dir.
 */
void kexec_mod_machine_debugfs(struct dentry *dir)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_restart_stack", dir,
				  &kexec_fail_restart_stack);
#endif
}

/*
 * An outer cache is flushed and turned off before the stub runs; one
 * that cannot be turned off would hold lines of the copy that the stub's
 * set/way clean does not reach.
 */
static const char *kexec_outer_cache_obstacle(void)
{
#ifdef CONFIG_OUTER_CACHE
	if (outer_cache.flush_all && !outer_cache.disable)
		return "outer cache that cannot be disabled";
#endif
	return NULL;
}

/*
 * The one place the relocation mode is decided, for an exec (@create:
 * the copy table is made too, and the choice logged) and for a status
 * report alike.  Sets *@mode to KEXEC_MOD_RELOC_MMU_ON, _MMU_OFF or, when
 * reloc_mode=mmu-on cannot be had, _NONE.
 *
 * Return: 0, or for _NONE the reason's errno: -EOPNOTSUPP, -ENOMEM.
 */
static int kexec_reloc_choose(const struct kexec_mod_image *image,
			      const struct kexec_mod_uart *uart, bool create,
			      u32 *mode)
{
	int forced = READ_ONCE(kexec_reloc_mode);
	const char *why = kexec_outer_cache_obstacle();
	int err = -EOPNOTSUPP;

	if (forced == KEXEC_RELOC_MMU_OFF)
		why = "reloc_mode=mmu-off";
	else if (!why)
		err = kexec_mod_copy_table_prepare(image, uart, create, &why);

	if (!err)
		*mode = KEXEC_MOD_RELOC_MMU_ON;
	else if (forced == KEXEC_RELOC_MMU_ON)
		*mode = KEXEC_MOD_RELOC_NONE;
	else
		*mode = KEXEC_MOD_RELOC_MMU_OFF;

	if (*mode == KEXEC_MOD_RELOC_NONE) {
		if (create)
			pr_err("cannot kexec: reloc_mode=mmu-on, but %s\n", why);
		return err;
	}
	if (!create)
		return 0;
	if (*mode == KEXEC_MOD_RELOC_MMU_ON)
		pr_info("relocation with the MMU and caches on\n");
	else
		pr_info("relocation with the MMU and caches off (%s)\n", why);
	return 0;
}

/**
 * kexec_mod_machine_reloc_mode() - how an exec of @image would copy it now
 * @image: the loaded image
 *
 * For KEXEC_MOD_STATUS: the choice kexec_mod_machine_prepare() makes,
 * without allocating the copy table.
 *
 * Return: KEXEC_MOD_RELOC_MMU_ON or KEXEC_MOD_RELOC_MMU_OFF, or
 * KEXEC_MOD_RELOC_NONE when an exec would be refused because
 * reloc_mode=mmu-on cannot be had (or there is no memory to tell).
 */
u32 kexec_mod_machine_reloc_mode(const struct kexec_mod_image *image)
{
	struct kexec_mod_uart uart;
	u32 mode;

	kexec_mod_debug_uart_get(&uart);
	kexec_reloc_choose(image, &uart, false, &mode);
	return mode;
}

/**
 * kexec_mod_machine_prepare() - get the ARM side ready for an exec
 * @image: the image about to be executed
 *
 * Checks what the restart needs of @image, decides the HYP entry, takes
 * the debug UART as it is set now, allocates the identity map and
 * chooses how the stub copies (reloc_mode): with the MMU on, it allocates
 * and fills the copy table too.  Nothing can fail after the trigger
 * commits.  Undo with kexec_mod_machine_cancel().
 *
 * Context: serialised by the trigger with every other caller of this
 * file's functions.
 * Return: 0, -EINVAL if the control page cannot be mapped 1:1, -ENOMEM,
 * -EOPNOTSUPP if reloc_mode=mmu-on cannot be honoured.
 */
int kexec_mod_machine_prepare(struct kexec_mod_image *image)
{
	phys_addr_t control;
	u32 mode;
	int err;

	if (!image->control_page)
		return -EINVAL;
	/* The assembler cannot check these; the stub is a few hundred bytes. */
	if (WARN_ON(kexec_reloc_end - kexec_reloc_code > PAGE_SIZE ||
		    kexec_reloc_end - kexec_reloc_params !=
		    KEXEC_RELOC_PARAMS_SIZE ||
		    !IS_ALIGNED(kexec_reloc_hyp_vectors - kexec_reloc_code,
				32)))
		return -EINVAL;

	control = page_to_phys(image->control_page);
	if (!kexec_mod_idmap_fits(control, PAGE_SIZE)) {
		pr_err("cannot kexec: control page %pa cannot be mapped 1:1 below %#llx\n",
		       &control, kexec_mod_idmap_top());
		return -EINVAL;
	}

	kexec_hyp = kexec_mod_boot_hyp();
	if (kexec_hyp)
		pr_info("the new kernel will be entered in HYP mode\n");
	kexec_mod_debug_uart_get(&kexec_uart);

	kexec_mod_pgtable_free();
	err = kexec_mod_pgtable_alloc();
	if (!err)
		err = kexec_reloc_choose(image, &kexec_uart, true, &mode);
	if (err)
		kexec_mod_machine_cancel();
	kexec_prepared_mode = err ? KEXEC_MOD_RELOC_NONE : mode;
	return err;
}

/**
 * kexec_mod_machine_prepared_mode() - the mode the last prepare chose
 *
 * Return: KEXEC_MOD_RELOC_MMU_ON or _MMU_OFF after a
 * kexec_mod_machine_prepare() that succeeded, _NONE after one that
 * failed.
 */
u32 kexec_mod_machine_prepared_mode(void)
{
	return kexec_prepared_mode;
}

/**
 * kexec_mod_machine_cancel() - undo kexec_mod_machine_prepare()
 *
 * Frees the identity map and the copy table.  Only for an exec that has
 * not committed; harmless if nothing was prepared.
 */
void kexec_mod_machine_cancel(void)
{
	kexec_mod_pgtable_free();
}

/* How the stub is to run: the parameters that are not the image's. */
struct kexec_reloc_how {
	bool hyp;
	const struct kexec_mod_uart *uart;
	u64 copy_ttbr;
};

static void kexec_reloc_params_fill(struct kexec_reloc_params *params,
				    const struct kexec_mod_image *image,
				    const struct kexec_reloc_how *how)
{
	const struct kexec_mod_uart *uart = how->uart;

	params->start = image->start;
	params->head = image->head;
	params->mach_type = image->machine_type;
	params->boot_params = image->boot_params;
	params->cache_flush = (unsigned long)__cpuc_flush_kern_all;
	params->hyp = how->hyp;
	params->copy_ttbr = lower_32_bits(how->copy_ttbr);
	params->copy_ttbr_hi = upper_32_bits(how->copy_ttbr);

	if (!uart->phys)
		return;
	params->uart_data = uart->phys;
	params->uart_status = uart->phys + uart->status_offset;
	params->uart_mask = uart->ready_mask;
	params->uart_ready = uart->ready_value;
	/* With the MMU on, the UART is reachable only through a 1:1 block. */
	params->uart_early = kexec_mod_idmap_fits(uart->phys, sizeof(u32));
}

/*
 * Copy the stub into the control page and fill in the copy's table; the
 * template in the module stays as it was built.
 */
static void kexec_reloc_install(const struct kexec_mod_image *image,
				const struct kexec_reloc_how *how)
{
	size_t size = kexec_reloc_end - kexec_reloc_code;
	void *code = page_address(image->control_page);

	BUILD_BUG_ON(sizeof(struct kexec_reloc_params) !=
		     KEXEC_RELOC_PARAMS_SIZE);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, head) !=
		     KEXEC_RELOC_HEAD);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, boot_params) !=
		     KEXEC_RELOC_BOOT_PARAMS);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, uart_early) !=
		     KEXEC_RELOC_UART_EARLY);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, cache_flush) !=
		     KEXEC_RELOC_CACHE_FLUSH);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, hyp) !=
		     KEXEC_RELOC_HYP);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, copy_ttbr) !=
		     KEXEC_RELOC_COPY_TTBR);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, copy_ttbr_hi) !=
		     KEXEC_RELOC_COPY_TTBR_HI);
	/* The stub has its own copy of the list flags; they must agree. */
	static_assert(KEXEC_MOD_IND_DESTINATION == KEXEC_RELOC_IND_DESTINATION);
	static_assert(KEXEC_MOD_IND_INDIRECTION == KEXEC_RELOC_IND_INDIRECTION);
	static_assert(KEXEC_MOD_IND_DONE == KEXEC_RELOC_IND_DONE);
	static_assert(KEXEC_MOD_IND_SOURCE == KEXEC_RELOC_IND_SOURCE);

	memcpy(code, kexec_reloc_code, size);
	memset(code + (kexec_reloc_params - kexec_reloc_code), 0,
	       KEXEC_RELOC_PARAMS_SIZE);
	kexec_reloc_params_fill(code + (kexec_reloc_params - kexec_reloc_code),
				image, how);
}

/*
 * Switch TTBR0 to the table @ttbr0 (kexec_mod_idmap_build()), with TTBCR
 * @ttbcr (kexec_mod_exec_ttbcr()).  Drops every TLB entry and branch
 * prediction made under the old table.  Without LPAE TTBR0 covers the
 * whole address space (N = 0); with LPAE it covers all but the kernel's
 * top part, which TTBR1 maps and the copy leaves alone; under TTBR0 PAN
 * its walks are turned on here, for the part below the module area.  The
 * code running meanwhile is TTBR1's in both settings.
 *
 * Context: the only CPU left online, IRQs off: local maintenance is
 * enough.
 */
static void kexec_ttbr0_install(u64 ttbr0, u32 ttbcr)
{
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		asm volatile("mcrr p15, 0, %0, %1, c2"
			     : : "r" ((u32)ttbr0), "r" ((u32)(ttbr0 >> 32)));
	else
		asm volatile("mcr p15, 0, %0, c2, c0, 0" : : "r" ((u32)ttbr0));
	asm volatile("mcr p15, 0, %0, c2, c0, 2" : : "r" (ttbcr));
	asm volatile("isb\n\t"
		     "mcr p15, 0, %0, c8, c7, 0\n\t"	/* TLBIALL */
		     "mcr p15, 0, %0, c7, c5, 6\n\t"	/* BPIALL */
		     "dsb\n\t"
		     "isb"
		     : : "r" (0) : "memory");
}

/*
 * Outer cache first, as the kernel's restart does it: flushed, then off,
 * so that the inner flush after it reaches memory.
 */
static void kexec_caches_clean(void)
{
#ifdef CONFIG_OUTER_CACHE
	if (outer_cache.flush_all)
		outer_cache.flush_all();
	if (outer_cache.disable)
		outer_cache.disable();
#endif
	flush_cache_all();
}

/*
 * Through the identity map @ttbr0 into the stub in the control page at
 * @control.  By a branch, not a C call through a pointer: the control
 * page carries no kCFI type hash, which a kernel built by clang with
 * CONFIG_CFI_CLANG checks before every indirect call.  An even address:
 * bx enters it in ARM state from a Thumb-2 kernel as well.
 */
static void __noreturn kexec_enter_stub(phys_addr_t control, u64 ttbr0)
{
	kexec_ttbr0_install(ttbr0, kexec_mod_exec_ttbcr());
	asm volatile("bx %0" : : "r" ((unsigned long)control) : "memory");
	unreachable();
}

/*
 * The module's soft_restart, on the module's stack with IRQs off.  From
 * the first cache flush on it writes nothing to memory: the stub turns
 * the D-cache off and flushes once more, and a line dirtied in between
 * could be lost or written back over the copy.
 */
static void __noreturn kexec_restart_on_stack(void *arg)
{
	const struct kexec_mod_image *image = arg;
	phys_addr_t control = page_to_phys(image->control_page);
	u64 ttbr0;

	ttbr0 = kexec_mod_idmap_build(control, &kexec_uart);
	kexec_caches_clean();

	/* The last moment the kernel can still take over: a panic resets. */
	if (!kexec_restart_stack_intact())
		panic("kexec_mod: the restart overflowed its %lu-byte stack; not starting the new kernel",
		      (unsigned long)KEXEC_RESTART_STACK_SIZE);

	kexec_enter_stub(control, ttbr0);
}

/**
 * kexec_mod_machine_kexec() - start the loaded image; does not return
 * @image: the image, prepared with kexec_mod_machine_prepare()
 *
 * Stands in for the kernel's machine_kexec() followed by soft_restart().
 * Call with IRQs off, on the only online CPU, after devices were shut
 * down: from the restart handler.
 */
void __noreturn kexec_mod_machine_kexec(struct kexec_mod_image *image)
{
	struct kexec_reloc_how how = {
		.hyp = kexec_hyp,
		.uart = &kexec_uart,
		.copy_ttbr = kexec_mod_copy_table_ttbr(),
	};

	kexec_reloc_install(image, &how);

	pr_info("Bye!\n");

	local_fiq_disable();
	raw_local_irq_disable();
	kexec_restart_stack_guard();
	kexec_mod_call_with_stack(kexec_restart_on_stack, image,
				  kexec_restart_stack +
				  ARRAY_SIZE(kexec_restart_stack));
	unreachable();
}

/**
 * kexec_mod_machine_rehearse() - into the stub and back, MMU off between
 * @image: the loaded image, prepared with kexec_mod_machine_prepare()
 *
 * The jump of an exec up to the copy, undone: the stub goes into the
 * control page with its parameters as the exec fills them, the identity
 * map is built and installed, the caches cleaned (the outer cache too,
 * but left on: nothing turns it back on), and the stub's rehearsal entry
 * turns the MMU and caches off, writes its breadcrumbs, turns them back
 * on and returns; then the kernel's TTBR0 and TTBCR go back.  Not
 * rehearsed: the copy, the MMU-on copy table switch (checked when it was
 * built), HYP mode and the new kernel's entry.
 *
 * Context: the trigger's lock held, as for an exec; IRQs on.
 * Return: 0.
 */
int kexec_mod_machine_rehearse(const struct kexec_mod_image *image)
{
	phys_addr_t control = page_to_phys(image->control_page);
	unsigned long entry = (unsigned long)control +
			      (kexec_reloc_rehearse - kexec_reloc_code);
	struct kexec_reloc_how how = {
		.uart = &kexec_uart,
		.copy_ttbr = kexec_mod_copy_table_ttbr(),
	};
	unsigned long flags;
	u64 ttbr0, saved;
	u32 ttbcr;

	kexec_reloc_install(image, &how);
	local_irq_save(flags);
	local_fiq_disable();
	saved = kexec_mod_ttbr_save(&ttbcr);
	ttbr0 = kexec_mod_idmap_build(control, &kexec_uart);
#ifdef CONFIG_OUTER_CACHE
	if (outer_cache.flush_all)
		outer_cache.flush_all();
#endif
	flush_cache_all();
	kexec_ttbr0_install(ttbr0, kexec_mod_exec_ttbcr());
	/* A branch, not a C call: the stub has no kCFI hash (see above). */
	asm volatile("blx %0"
		     : : "r" (entry)
		     : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
	kexec_ttbr0_install(saved, ttbcr);
	local_fiq_enable();
	local_irq_restore(flags);
	return 0;
}

/**
 * kexec_mod_machine_crash_kexec() - start a crash image; does not return
 * @image: the crash image, in place: its list is ..._DONE
 * @idmap: an identity map buffer of its own (kexec_mod_idmap_alloc())
 * @hyp: enter it in HYP mode (kexec_mod_boot_hyp(), asked at load time)
 * @uart: the debug UART for breadcrumbs, as set at load time
 *
 * The kernel's machine_kexec() for a crash image: no copy (the stub
 * turns the MMU and caches off and jumps), no device shutdown, on the
 * panicking task's stack, which nothing overwrites.  Allocates nothing.
 *
 * Context: from panic(), the other CPUs stopped, IRQs off.
 */
void __noreturn kexec_mod_machine_crash_kexec(const struct kexec_mod_image *image,
					      void *idmap, bool hyp,
					      const struct kexec_mod_uart *uart)
{
	phys_addr_t control = page_to_phys(image->control_page);
	struct kexec_reloc_how how = { .hyp = hyp, .uart = uart };
	u64 ttbr0;

	local_fiq_disable();
	raw_local_irq_disable();
	kexec_reloc_install(image, &how);
	ttbr0 = kexec_mod_idmap_build_at(idmap, control, uart);
	kexec_caches_clean();
	kexec_enter_stub(control, ttbr0);
}
