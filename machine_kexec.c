// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ARM half of the exec path: put the relocation stub into the control
 * page, and restart the CPU into it.  This stands in for the kernel's
 * machine_kexec() and soft_restart(), which need CONFIG_KEXEC and the
 * unexported identity map; everything here goes through exported symbols
 * or touches the CPU directly.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/cacheflush.h>
#include <asm/cp15.h>
#include <asm/domain.h>
#include <asm/outercache.h>

#include "kimage.h"
#include "machine_kexec.h"
#include "relocate_arm.h"

/*
 * ARMv7 short-descriptor first-level table: 4096 one-MiB entries, 16 KiB
 * and 16 KiB aligned.  Written out here rather than taken from the
 * kernel's 2-level headers so that this file also builds for LPAE kernels,
 * which refuse the exec at run time instead.
 */
#define KEXEC_PGD_ENTRIES	4096
#define KEXEC_PGD_SIZE		(KEXEC_PGD_ENTRIES * sizeof(u32))
#define KEXEC_SECTION_SHIFT	20
#define KEXEC_SECT_TYPE		0x2		/* section descriptor */
#define KEXEC_SECT_XN		BIT(4)		/* never execute */
#define KEXEC_SECT_DOMAIN(d)	((d) << 5)
#define KEXEC_SECT_AP_PL1_RW	BIT(10)		/* AP[2:0] = 001 */
/*
 * TEX, C and B all zero: Strongly-ordered without TEX remap, and index 0
 * (which Linux sets to Strongly-ordered) with it.  The kernel's own
 * identity map uses the same attributes for the code it runs to reset.
 */
#define KEXEC_SECT_IDMAP	(KEXEC_SECT_TYPE | KEXEC_SECT_AP_PL1_RW | \
				 KEXEC_SECT_DOMAIN(DOMAIN_KERNEL))
/* TTBR0 bits 13:0 hold walk attributes, kept as the kernel set them. */
#define KEXEC_TTBR_ATTR_MASK	(SZ_16K - 1)

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

static phys_addr_t kexec_debug_uart_phys;
static enum kexec_uart_type kexec_debug_uart_type;

/*
 * What the CPU needs once the trigger has committed.  Allocated in
 * kexec_machine_prepare_exec(), where failing is still allowed; the
 * restart path itself allocates nothing.
 */
static u32 *kexec_pgd;

/*
 * The stack the restart runs on: the module's own, so nothing it relies
 * on lives in a page of the current task that a destination may cover.
 */
static u64 kexec_restart_stack[128];

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
	return sysfs_emit(buffer, "%pa,%s\n", &kexec_debug_uart_phys,
			  kexec_uart_descs[kexec_debug_uart_type].name);
}

static const struct kernel_param_ops kexec_debug_uart_ops = {
	.set = kexec_debug_uart_set,
	.get = kexec_debug_uart_get,
};

module_param_cb(debug_uart, &kexec_debug_uart_ops, NULL, 0644);
MODULE_PARM_DESC(debug_uart,
		 "<phys>,pl011|8250: relocation stub writes E M I.. J to this UART (8250: 32-bit registers)");

static phys_addr_t kexec_section_base(phys_addr_t phys)
{
	return phys & ~(phys_addr_t)(SZ_1M - 1);
}

/*
 * The debug UART can be written with the MMU on only if it gets a 1:1
 * section too, which must stay clear of the kernel half of the address
 * space, as the control page's does.
 */
static bool kexec_debug_uart_early(void)
{
	return kexec_debug_uart_type != KEXEC_UART_NONE &&
	       kexec_debug_uart_phys < TASK_SIZE;
}

/**
 * kexec_machine_prepare_exec() - get the ARM side ready for an exec
 * @image: the image about to be executed
 *
 * Checks what the restart needs of @image and allocates the private
 * first-level table, so that nothing can fail after the trigger commits.
 * Undo with kexec_machine_cancel_exec().
 *
 * Return: 0, -EOPNOTSUPP on a kernel this code cannot switch tables on,
 * -EINVAL if the control page cannot be mapped 1:1, -ENOMEM.
 */
int kexec_machine_prepare_exec(struct kimage *image)
{
	phys_addr_t control;

	if (IS_ENABLED(CONFIG_ARM_LPAE)) {
		pr_err("cannot kexec: LPAE page tables are not supported\n");
		return -EOPNOTSUPP;
	}
	if (!image->control_page)
		return -EINVAL;
	/* The assembler cannot check these; the stub is a few hundred bytes. */
	if (WARN_ON(kexec_reloc_end - kexec_reloc_code > PAGE_SIZE ||
		    kexec_reloc_end - kexec_reloc_params !=
		    KEXEC_RELOC_PARAMS_SIZE))
		return -EINVAL;

	/*
	 * A 1:1 section below TASK_SIZE only replaces user mappings of the
	 * current task, which the switch never touches; above it, it would
	 * replace the kernel, module or vmalloc mappings the switch runs on.
	 */
	control = page_to_phys(image->control_page);
	if (control + PAGE_SIZE > TASK_SIZE) {
		pr_err("cannot kexec: control page %pa is not below TASK_SIZE\n",
		       &control);
		return -EINVAL;
	}

	if (!kexec_pgd) {
		kexec_pgd = (u32 *)__get_free_pages(GFP_KERNEL,
						    get_order(KEXEC_PGD_SIZE));
		if (!kexec_pgd)
			return -ENOMEM;
	}
	return 0;
}

/**
 * kexec_machine_cancel_exec() - undo kexec_machine_prepare_exec()
 *
 * Frees the private first-level table.  Only for an exec that has not
 * committed; harmless if nothing was prepared.
 */
void kexec_machine_cancel_exec(void)
{
	if (kexec_pgd) {
		free_pages((unsigned long)kexec_pgd, get_order(KEXEC_PGD_SIZE));
		kexec_pgd = NULL;
	}
}

static void kexec_reloc_params_fill(struct kexec_reloc_params *params,
				    const struct kimage *image)
{
	const struct kexec_uart_desc *uart;

	params->start = image->start;
	params->head = image->head;
	params->mach_type = image->machine_type;
	params->boot_params = image->boot_params;
	params->cache_flush = (unsigned long)__cpuc_flush_kern_all;

	if (kexec_debug_uart_type == KEXEC_UART_NONE)
		return;
	uart = &kexec_uart_descs[kexec_debug_uart_type];
	params->uart_data = kexec_debug_uart_phys;
	params->uart_status = kexec_debug_uart_phys + uart->status_offset;
	params->uart_mask = uart->ready_mask;
	params->uart_ready = uart->ready_value;
	params->uart_early = kexec_debug_uart_early();
}

/*
 * Copy the stub into the control page and fill in the copy's table; the
 * template in the module stays as it was built.
 */
static void kexec_reloc_install(const struct kimage *image)
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
	/* The stub has its own copy of the list flags; they must agree. */
	static_assert(IND_DESTINATION == KEXEC_RELOC_IND_DESTINATION);
	static_assert(IND_INDIRECTION == KEXEC_RELOC_IND_INDIRECTION);
	static_assert(IND_DONE == KEXEC_RELOC_IND_DONE);
	static_assert(IND_SOURCE == KEXEC_RELOC_IND_SOURCE);

	memcpy(code, kexec_reloc_code, size);
	memset(code + (kexec_reloc_params - kexec_reloc_code), 0,
	       KEXEC_RELOC_PARAMS_SIZE);
	kexec_reloc_params_fill(code + (kexec_reloc_params - kexec_reloc_code),
				image);
}

static u32 kexec_ttbr0_read(void)
{
	u32 ttbr0;

	asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (ttbr0));
	return ttbr0;
}

/*
 * Point TTBR0 at another first-level table and drop every TLB entry and
 * branch prediction made under the old one.  The kernel runs with
 * TTBCR.N = 0 on 2-level tables, so TTBR0 covers the whole address space.
 * Only this CPU is left, so local maintenance is enough.
 */
static void kexec_ttbr0_install(u32 ttbr0)
{
	asm volatile("mcr p15, 0, %0, c2, c0, 0\n\t"	/* TTBR0 */
		     "isb\n\t"
		     "mcr p15, 0, %1, c8, c7, 0\n\t"	/* TLBIALL */
		     "mcr p15, 0, %1, c7, c5, 6\n\t"	/* BPIALL */
		     "dsb\n\t"
		     "isb"
		     : : "r" (ttbr0), "r" (0) : "memory");
}

/*
 * Build the private table: the live one (so that the kernel, this module
 * and its stack stay mapped exactly as they are now), plus a 1:1 section
 * for the control page and, if it asks for one, the debug UART.  Both lie
 * below TASK_SIZE (checked when preparing), where they replace at most
 * user mappings of the current task.
 */
static void kexec_pgd_build(phys_addr_t control)
{
	const u32 *live = phys_to_virt(kexec_ttbr0_read() &
				       ~KEXEC_TTBR_ATTR_MASK);

	memcpy(kexec_pgd, live, KEXEC_PGD_SIZE);
	if (kexec_debug_uart_early()) {
		phys_addr_t uart = kexec_section_base(kexec_debug_uart_phys);

		kexec_pgd[uart >> KEXEC_SECTION_SHIFT] =
			uart | KEXEC_SECT_IDMAP | KEXEC_SECT_XN;
	}
	control = kexec_section_base(control);
	kexec_pgd[control >> KEXEC_SECTION_SHIFT] = control | KEXEC_SECT_IDMAP;
}

/*
 * The module's soft_restart, on the module's stack with IRQs off.  From
 * the first cache flush on it writes nothing to memory: the stub turns
 * the D-cache off and flushes once more, and a line dirtied in between
 * could be lost or written back over the copy.
 */
static void __noreturn kexec_restart_on_stack(void *arg)
{
	phys_addr_t control = page_to_phys(((struct kimage *)arg)->control_page);
	void (*reloc)(void);

	kexec_pgd_build(control);

	/*
	 * An outer cache goes first, as the kernel's restart does it:
	 * flushed, then off, so that the inner flushes below reach memory.
	 */
#ifdef CONFIG_OUTER_CACHE
	if (outer_cache.flush_all)
		outer_cache.flush_all();
	if (outer_cache.disable)
		outer_cache.disable();
#endif
	flush_cache_all();

	kexec_ttbr0_install(virt_to_phys(kexec_pgd) |
			    (kexec_ttbr0_read() & KEXEC_TTBR_ATTR_MASK));

	/*
	 * An even address: blx enters the stub in ARM state from a Thumb-2
	 * kernel as well.
	 */
	reloc = (void (*)(void))(unsigned long)control;
	reloc();
	unreachable();
}

/**
 * kexec_machine_kexec() - start the loaded image; does not return
 * @image: the image, prepared with kexec_machine_prepare_exec()
 *
 * Stands in for the kernel's machine_kexec() followed by soft_restart().
 * Call with IRQs off, on the only online CPU, after devices were shut
 * down: from the restart handler.
 */
void __noreturn kexec_machine_kexec(struct kimage *image)
{
	kexec_reloc_install(image);

	pr_info("Bye!\n");

	local_fiq_disable();
	raw_local_irq_disable();
	kexec_mod_call_with_stack(kexec_restart_on_stack, image,
				  kexec_restart_stack +
				  ARRAY_SIZE(kexec_restart_stack));
	unreachable();
}
