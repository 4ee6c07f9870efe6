// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ARM half of the exec path: put the relocation stub into the control
 * page, and restart the CPU into it.  This stands in for the kernel's
 * machine_kexec() and soft_restart(), which need CONFIG_KEXEC and the
 * unexported identity map; everything here goes through exported symbols
 * or touches the CPU directly.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/gfp.h>
#include <linux/ioport.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kmsg_dump.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <asm/cacheflush.h>
#include <asm/cp15.h>
#include <asm/domain.h>
#include <asm/outercache.h>
#include <linux/kexec_mod.h>

#include "kimage.h"
#include "machine_kexec.h"
#include "relocate_arm.h"

/*
 * The private translation table lives in one 16 KiB, 16 KiB aligned
 * buffer, in the format the kernel runs with.  Descriptor bits are written
 * out here because the kernel's headers define only the format the kernel
 * was built for.  Both formats map 1:1 with Strongly-ordered blocks,
 * privileged read/write, as the kernel's own identity map does.
 */
#define KEXEC_IDMAP_SIZE	SZ_16K

/*
 * Short-descriptor (2-level kernels): the buffer is the first-level table,
 * 4096 one-MiB entries, and the 1:1 mappings are sections.  TEX, C and B
 * zero: Strongly-ordered without TEX remap, and index 0, which Linux sets
 * to Strongly-ordered, with it.
 */
#define KEXEC_SD_ENTRIES	4096
#define KEXEC_SD_SHIFT		20
#define KEXEC_SD_SECT		0x2
#define KEXEC_SD_XN		BIT(4)
#define KEXEC_SD_DOMAIN(d)	((d) << 5)
#define KEXEC_SD_AP_PL1_RW	BIT(10)		/* AP[2:0] = 001 */
#define KEXEC_SD_IDMAP		(KEXEC_SD_SECT | KEXEC_SD_AP_PL1_RW | \
				 KEXEC_SD_DOMAIN(DOMAIN_KERNEL))
/* TTBR0 bits 13:0 hold walk attributes, kept as the kernel set them. */
#define KEXEC_SD_TTBR_ATTR	(SZ_16K - 1)
#define KEXEC_SD_TTBR_S		BIT(1)

/*
 * Sections of the copy table (MMU-on relocation): normal memory, inner
 * and outer write-back write-allocate.  TEX=001 C=1 B=1 means that
 * without TEX remap, and with it (SCTLR.TRE, as Linux runs ARMv7) picks
 * index 7, which Linux's PRRR/NMRR make the same.  Shareable when the
 * kernel's own table walks are (SMP).
 */
#define KEXEC_SD_B		BIT(2)
#define KEXEC_SD_C		BIT(3)
#define KEXEC_SD_TEX1		BIT(12)
#define KEXEC_SD_S		BIT(16)
#define KEXEC_SD_RAM		(KEXEC_SD_IDMAP | KEXEC_SD_TEX1 | \
				 KEXEC_SD_C | KEXEC_SD_B)

/*
 * Long-descriptor (LPAE kernels): the buffer holds the first-level table
 * (four 1 GiB entries) at 0 and up to two second-level tables (512 2 MiB
 * entries each) at 4 KiB and 8 KiB: private copies of the live ones, for
 * the gigabytes the 1:1 blocks go into.  AttrIndx 0 is Strongly-ordered
 * in Linux's MAIR; AP 00 is privileged read/write; AF must be set.
 */
#define KEXEC_LD_L1_ENTRIES	4
#define KEXEC_LD_L1_SHIFT	30
#define KEXEC_LD_L2_ENTRIES	512
#define KEXEC_LD_L2_SHIFT	21
#define KEXEC_LD_L2_MAX		2
#define KEXEC_LD_TYPE_MASK	0x3ULL
#define KEXEC_LD_BLOCK		0x1ULL
#define KEXEC_LD_TABLE		0x3ULL
#define KEXEC_LD_AF		BIT_ULL(10)
#define KEXEC_LD_XN		BIT_ULL(54)
#define KEXEC_LD_ADDR		GENMASK_ULL(39, 12)
#define KEXEC_LD_IDMAP		(KEXEC_LD_BLOCK | KEXEC_LD_AF)
/* TTBR0 bits 39:5 are the table; the rest (ASID) is kept. */
#define KEXEC_LD_TTBR_ADDR	GENMASK_ULL(39, 5)

/*
 * Blocks of the LPAE copy table: normal memory through AttrIndx 7, which
 * Linux's MAIR1 makes inner and outer write-back write-allocate, as the
 * short-descriptor copy table's sections are; inner shareable when the
 * kernel's table walks are (TTBCR.SH0, set on SMP).  The table is four
 * second-level tables, one per gigabyte, back to back, so that the entry
 * of 2 MiB block n is entry n from the start, then the first level.
 */
#define KEXEC_LD_ATTRIDX(n)	((u64)(n) << 2)
#define KEXEC_LD_SH_INNER	(3ULL << 8)
#define KEXEC_LD_RAM		(KEXEC_LD_IDMAP | KEXEC_LD_ATTRIDX(7))
#define KEXEC_LD_COPY_L1	(KEXEC_LD_L1_ENTRIES * SZ_4K)
#define KEXEC_LD_COPY_SIZE	(KEXEC_LD_COPY_L1 + SZ_4K)

/* TTBCR: the short format's N; the long format's T0SZ, T1SZ and SH0. */
#define KEXEC_TTBCR_N		GENMASK(2, 0)
#define KEXEC_TTBCR_T0SZ	GENMASK(2, 0)
#define KEXEC_TTBCR_SH0		GENMASK(13, 12)
#define KEXEC_TTBCR_T1SZ	GENMASK(18, 16)

/* The copy tables' RAM bitmap: one bit per 1 MiB section or 2 MiB block. */
#define KEXEC_COPY_BITS		(SZ_4G >> KEXEC_SD_SHIFT)

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
static void *kexec_idmap;

/*
 * The MMU-on copy's table (no destination) and the TTBR0 value that
 * installs it; 0 when the copy runs with the MMU off.
 */
static struct page *kexec_copy_table;
static u64 kexec_copy_ttbr;

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

/*
 * Whether to return to HYP mode before starting the new kernel, as the
 * kernel's soft_restart() does when is_hyp_mode_available().  That reads
 * __boot_cpu_mode, which is not exported; what it says is also in the log,
 * from boot on, and an hvc on a CPU that was not entered in HYP would be
 * an undefined instruction, so "auto" goes by that line.
 */
static int kexec_boot_hyp = -1;
module_param_named(boot_hyp, kexec_boot_hyp, int, 0644);
MODULE_PARM_DESC(boot_hyp,
		 "enter the new kernel in HYP mode: 1 yes, 0 no, -1 (default) if the boot log says all CPUs started in HYP");

static bool kexec_boot_hyp_logged(void)
{
	static const char hyp_line[] = "CPU: All CPU(s) started in HYP mode.";
	struct kmsg_dump_iter iter;
	char line[160];
	size_t len;

	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, false, line, sizeof(line) - 1,
				  &len)) {
		line[len] = '\0';
		if (strstr(line, hyp_line))
			return true;
	}
	return false;
}

/* Decided when preparing, where reading the log is still allowed. */
static bool kexec_hyp;

/*
 * reloc_mode: how the stub copies the image.  "auto" copies with the MMU
 * and caches on wherever that is possible (kexec_reloc_mmu_on_obstacle()
 * says where not) and with them off elsewhere; "mmu-on" and "mmu-off"
 * force a mode, for testing: an exec that cannot copy with the MMU on is
 * then refused rather than done the other way.
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

static int kexec_reloc_mode_set(const char *val, const struct kernel_param *kp)
{
	int mode = sysfs_match_string(kexec_reloc_mode_names, val);

	if (mode < 0)
		return mode;
	WRITE_ONCE(kexec_reloc_mode, mode);
	return 0;
}

static int kexec_reloc_mode_get(char *buffer, const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n",
			  kexec_reloc_mode_names[READ_ONCE(kexec_reloc_mode)]);
}

static const struct kernel_param_ops kexec_reloc_mode_ops = {
	.set = kexec_reloc_mode_set,
	.get = kexec_reloc_mode_get,
};

module_param_cb(reloc_mode, &kexec_reloc_mode_ops, NULL, 0644);
MODULE_PARM_DESC(reloc_mode,
		 "auto (default), mmu-on or mmu-off: copy the image with the MMU and caches on where possible, or force a mode (testing)");

/*
 * log2 of the size of one 1:1 block, in the private table and in the copy
 * table alike: a section, or a second-level block with LPAE.
 */
static unsigned int kexec_block_shift(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? KEXEC_LD_L2_SHIFT : KEXEC_SD_SHIFT;
}

static phys_addr_t kexec_idmap_granule(void)
{
	return BIT(kexec_block_shift());
}

/*
 * A 1:1 block below TASK_SIZE replaces at most user mappings of the
 * current task, which the switch never touches; at or above it, it would
 * replace kernel, module or vmalloc mappings the switch runs on.
 */
static bool kexec_idmap_fits(phys_addr_t phys, size_t len)
{
	phys_addr_t granule = kexec_idmap_granule();
	u64 end = ((u64)phys + len + granule - 1) & ~((u64)granule - 1);

	return end <= TASK_SIZE;
}

/* With the MMU on, the debug UART is reachable only through a 1:1 block. */
static bool kexec_debug_uart_early(void)
{
	return kexec_debug_uart_type != KEXEC_UART_NONE &&
	       kexec_idmap_fits(kexec_debug_uart_phys, sizeof(u32));
}

static u64 kexec_ttbr0_read(void)
{
	u32 lo, hi = 0;

	if (IS_ENABLED(CONFIG_ARM_LPAE))
		asm volatile("mrrc p15, 0, %0, %1, c2" : "=r" (lo), "=r" (hi));
	else
		asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (lo));
	return (u64)hi << 32 | lo;
}

static u32 kexec_ttbcr_read(void)
{
	u32 ttbcr;

	asm volatile("mrc p15, 0, %0, c2, c0, 2" : "=r" (ttbcr));
	return ttbcr;
}

/*
 * How much of the address space TTBR0, and so the copy table, translates.
 * Linux runs the short format with N = 0 (all of it); with LPAE, TTBR1
 * takes the top 1 or 2 GiB (T1SZ) where the kernel is mapped.
 */
static u64 kexec_copy_reach(void)
{
	u32 ttbcr = kexec_ttbcr_read();
	u32 t1sz = FIELD_GET(KEXEC_TTBCR_T1SZ, ttbcr);

	if (!IS_ENABLED(CONFIG_ARM_LPAE))
		return SZ_4G >> FIELD_GET(KEXEC_TTBCR_N, ttbcr);
	if (FIELD_GET(KEXEC_TTBCR_T0SZ, ttbcr))
		return SZ_4G >> FIELD_GET(KEXEC_TTBCR_T0SZ, ttbcr);
	return t1sz ? SZ_4G - (SZ_4G >> t1sz) : SZ_4G;
}

static size_t kexec_copy_table_size(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? KEXEC_LD_COPY_SIZE :
					     KEXEC_IDMAP_SIZE;
}

static void kexec_copy_table_free(void)
{
	if (kexec_copy_table) {
		__free_pages(kexec_copy_table,
			     get_order(kexec_copy_table_size()));
		kexec_copy_table = NULL;
	}
	kexec_copy_ttbr = 0;
}

/*
 * The copy table maps every block (1 MiB section, 2 MiB with LPAE) that
 * lies wholly in System RAM within TTBR0's reach, 1:1; a block that is RAM
 * only in part is left out, so that nothing can reach device memory
 * through a cacheable mapping.  The bitmap has a bit per block.
 */
struct kexec_ram_walk {
	unsigned long *sections;
	u64 reach;
	u64 start;
	u64 end;
};

static void kexec_ram_walk_mark(struct kexec_ram_walk *walk)
{
	unsigned int shift = kexec_block_shift();
	u64 block = round_up(walk->start, BIT_ULL(shift));
	u64 end = min_t(u64, round_down(walk->end, BIT_ULL(shift)),
			walk->reach);

	for (; block < end; block += BIT_ULL(shift))
		set_bit(block >> shift, walk->sections);
}

/* Resources come in ascending order; adjacent ones join into one run. */
static int kexec_ram_walk_piece(struct resource *res, void *arg)
{
	struct kexec_ram_walk *walk = arg;

	if (res->start != walk->end) {
		kexec_ram_walk_mark(walk);
		walk->start = res->start;
	}
	walk->end = (u64)res->end + 1;
	return 0;
}

static void kexec_ram_sections(unsigned long *sections)
{
	struct kexec_ram_walk walk = {
		.sections = sections,
		.reach = kexec_copy_reach(),
	};

	bitmap_zero(sections, KEXEC_COPY_BITS);
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM,
			    0, U32_MAX, &walk, kexec_ram_walk_piece);
	kexec_ram_walk_mark(&walk);
	/* The UART gets a device mapping of its own, never a RAM one. */
	if (kexec_debug_uart_type != KEXEC_UART_NONE &&
	    kexec_debug_uart_phys < SZ_4G)
		clear_bit(kexec_debug_uart_phys >> kexec_block_shift(),
			  sections);
}

static bool kexec_in_sections(const unsigned long *sections, phys_addr_t phys)
{
	return (u64)phys < SZ_4G &&
	       test_bit(phys >> kexec_block_shift(), sections);
}

static bool kexec_range_in_sections(const unsigned long *sections,
				    u64 start, u64 size)
{
	u64 block = BIT_ULL(kexec_block_shift());
	u64 addr;

	for (addr = round_down(start, block); addr < start + size;
	     addr += block)
		if (!kexec_in_sections(sections, addr))
			return false;
	return true;
}

/*
 * Every page the copy reads or writes, and the stub's own page, must be
 * mapped by the copy table.  Source, indirection and control pages are
 * lowmem (kimage.h): when all of lowmem is mapped, the destinations are
 * all that is left to check.  Otherwise walk the list as the stub does.
 */
static bool kexec_image_in_sections(const struct kimage *image,
				    const unsigned long *sections)
{
	unsigned long entry = image->head;
	unsigned long *ptr = NULL;
	unsigned long dest = 0;
	unsigned long i;

	if (kexec_range_in_sections(sections, PHYS_OFFSET,
				    virt_to_phys(high_memory - 1) + 1 -
				    PHYS_OFFSET)) {
		for (i = 0; i < image->nr_segments; i++)
			if (!kexec_range_in_sections(sections,
						     image->segment[i].mem,
						     image->segment[i].memsz))
				return false;
		return true;
	}

	if (!kexec_in_sections(sections, page_to_phys(image->control_page)))
		return false;
	for (;;) {
		if (entry & IND_DONE)
			break;
		if (entry & IND_INDIRECTION) {
			if (!kexec_in_sections(sections, entry))
				return false;
			/* Indirection pages are lowmem (kimage.h). */
			ptr = phys_to_virt(entry & PAGE_MASK);
		} else if (entry & IND_DESTINATION) {
			dest = entry & PAGE_MASK;
		} else if (entry & IND_SOURCE) {
			if (!kexec_in_sections(sections, entry) ||
			    !kexec_in_sections(sections, dest))
				return false;
			dest += PAGE_SIZE;
		}
		if (!ptr)
			break;
		entry = *ptr++;
	}
	return true;
}

/*
 * Why the stub cannot copy @image with the MMU and caches on, or NULL if
 * it can.  Fills in @sections, the copy table's RAM sections.
 */
static const char *kexec_reloc_mmu_on_obstacle(const struct kimage *image,
					       unsigned long *sections)
{
#ifdef CONFIG_OUTER_CACHE
	/*
	 * An outer cache is flushed and turned off before the stub runs;
	 * one that cannot be turned off would hold lines of the copy that
	 * the stub's set/way clean does not reach.
	 */
	if (outer_cache.flush_all && !outer_cache.disable)
		return "outer cache that cannot be disabled";
#endif
	kexec_ram_sections(sections);
	if (!kexec_image_in_sections(image, sections))
		return IS_ENABLED(CONFIG_ARM_LPAE) ?
		       "a page outside whole 2 MiB blocks of System RAM in TTBR0's reach" :
		       "a page outside whole 1 MiB sections of System RAM";
	return NULL;
}

static bool kexec_hyp_wanted(void)
{
	return kexec_boot_hyp < 0 ? kexec_boot_hyp_logged() : kexec_boot_hyp;
}

static bool kexec_overlaps_destination(const struct kimage *image,
				       phys_addr_t phys, size_t size)
{
	unsigned long i;

	for (i = 0; i < image->nr_segments; i++) {
		u64 mem = image->segment[i].mem;

		if (mem < (u64)phys + size &&
		    (u64)phys < mem + image->segment[i].memsz)
			return true;
	}
	return false;
}

/*
 * The copy table is read by the MMU during the whole copy, so it must be
 * no destination, and the copy table must map it.  As the control page
 * allocation does, set candidates aside until one fits, then give the
 * rejects back.
 */
static struct page *kexec_copy_table_alloc(const struct kimage *image,
					   const unsigned long *sections)
{
	size_t size = kexec_copy_table_size();
	unsigned int order = get_order(size);
	struct page *page, *reject, *tmp;
	LIST_HEAD(rejects);
	phys_addr_t phys;

	for (;;) {
		page = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN,
				   order);
		if (!page)
			break;
		phys = page_to_phys(page);
		if (kexec_range_in_sections(sections, phys, size) &&
		    !kexec_overlaps_destination(image, phys, size))
			break;
		list_add(&page->lru, &rejects);
	}
	list_for_each_entry_safe(reject, tmp, &rejects, lru) {
		list_del(&reject->lru);
		__free_pages(reject, order);
	}
	return page;
}

/*
 * Fill the copy table: the RAM sections as normal cacheable memory, and
 * the debug UART, if any, as Strongly-ordered and never-execute, wherever
 * it is (the table maps nothing else, so it collides with nothing).
 * Returns the TTBR0 value that installs it, walk attributes as the
 * kernel's.
 */
static u64 kexec_copy_table_build_short(u32 *pgd,
					const unsigned long *sections)
{
	u32 ttbr0 = kexec_ttbr0_read();
	u32 ram = KEXEC_SD_RAM | (ttbr0 & KEXEC_SD_TTBR_S ? KEXEC_SD_S : 0);
	unsigned long sect;
	u32 base;

	memset(pgd, 0, KEXEC_SD_ENTRIES * sizeof(u32));
	for_each_set_bit(sect, sections, KEXEC_SD_ENTRIES)
		pgd[sect] = (sect << KEXEC_SD_SHIFT) | ram;
	if (kexec_debug_uart_type != KEXEC_UART_NONE &&
	    kexec_debug_uart_phys < SZ_4G) {
		base = round_down(kexec_debug_uart_phys, SZ_1M);
		pgd[base >> KEXEC_SD_SHIFT] = base | KEXEC_SD_IDMAP |
					      KEXEC_SD_XN;
	}
	return virt_to_phys(pgd) | (ttbr0 & KEXEC_SD_TTBR_ATTR);
}

/*
 * The same in the long format: 2 MiB blocks in the four second-level
 * tables, the first level pointing at them.  Gigabytes past TTBR0's reach
 * get no blocks and are never walked.  The ASID half of TTBR0 is kept.
 */
static u64 kexec_copy_table_build_long(u64 *table,
				       const unsigned long *blocks)
{
	u64 *l1 = table + KEXEC_LD_COPY_L1 / sizeof(u64);
	u64 ram = KEXEC_LD_RAM;
	unsigned long block;
	unsigned int gb;
	u64 uart;

	if (kexec_ttbcr_read() & KEXEC_TTBCR_SH0)
		ram |= KEXEC_LD_SH_INNER;
	memset(table, 0, KEXEC_LD_COPY_SIZE);
	for (gb = 0; gb < KEXEC_LD_L1_ENTRIES; gb++)
		l1[gb] = virt_to_phys(table + gb * KEXEC_LD_L2_ENTRIES) |
			 KEXEC_LD_TABLE;
	for_each_set_bit(block, blocks, KEXEC_COPY_BITS)
		table[block] = ((u64)block << KEXEC_LD_L2_SHIFT) | ram;
	if (kexec_debug_uart_type != KEXEC_UART_NONE &&
	    kexec_debug_uart_phys < SZ_4G) {
		uart = kexec_debug_uart_phys;
		table[uart >> KEXEC_LD_L2_SHIFT] = round_down(uart, SZ_2M) |
						   KEXEC_LD_IDMAP | KEXEC_LD_XN;
	}
	return (kexec_ttbr0_read() & ~KEXEC_LD_TTBR_ADDR) | virt_to_phys(l1);
}

static u64 kexec_copy_table_build(void *table, const unsigned long *sections)
{
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		return kexec_copy_table_build_long(table, sections);
	return kexec_copy_table_build_short(table, sections);
}

/*
 * Choose how the stub copies @image and, for the MMU-on copy, allocate
 * and fill its table.  Return: 0, -EOPNOTSUPP when the MMU-on copy is
 * forced but impossible, -ENOMEM.
 */
static int kexec_reloc_prepare(const struct kimage *image)
{
	int mode = READ_ONCE(kexec_reloc_mode);
	unsigned long *sections = NULL;
	const char *obstacle = NULL;
	int err = 0;

	kexec_copy_table_free();
	if (mode == KEXEC_RELOC_MMU_OFF) {
		obstacle = "reloc_mode=mmu-off";
		goto out_log;
	}

	sections = bitmap_zalloc(KEXEC_COPY_BITS, GFP_KERNEL);
	if (!sections)
		return -ENOMEM;
	obstacle = kexec_reloc_mmu_on_obstacle(image, sections);
	if (!obstacle) {
		kexec_copy_table = kexec_copy_table_alloc(image, sections);
		if (!kexec_copy_table) {
			obstacle = "no memory for the copy table";
			err = -ENOMEM;
		}
	}
	if (obstacle && mode == KEXEC_RELOC_MMU_ON) {
		pr_err("cannot kexec: reloc_mode=mmu-on, but %s\n", obstacle);
		err = err ?: -EOPNOTSUPP;
		goto out_free;
	}
	err = 0;
	if (!obstacle)
		kexec_copy_ttbr = kexec_copy_table_build(page_address(kexec_copy_table),
							 sections);

out_log:
	if (kexec_copy_ttbr)
		pr_info("relocation with the MMU and caches on\n");
	else
		pr_info("relocation with the MMU and caches off (%s)\n",
			obstacle);
out_free:
	bitmap_free(sections);
	return err;
}

/**
 * kexec_machine_reloc_mode() - how an exec of @image would copy it now
 * @image: the loaded image
 *
 * For KEXEC_MOD_STATUS: the same choice kexec_machine_prepare_exec() makes,
 * without allocating the copy table.
 *
 * Return: KEXEC_MOD_RELOC_MMU_ON or KEXEC_MOD_RELOC_MMU_OFF, or
 * KEXEC_MOD_RELOC_NONE when an exec would be refused because
 * reloc_mode=mmu-on cannot be had (or there is no memory to tell).
 */
u32 kexec_machine_reloc_mode(const struct kimage *image)
{
	int mode = READ_ONCE(kexec_reloc_mode);
	unsigned long *sections;
	const char *obstacle;

	if (mode == KEXEC_RELOC_MMU_OFF)
		return KEXEC_MOD_RELOC_MMU_OFF;
	sections = bitmap_zalloc(KEXEC_COPY_BITS, GFP_KERNEL);
	if (!sections)
		return KEXEC_MOD_RELOC_NONE;
	obstacle = kexec_reloc_mmu_on_obstacle(image, sections);
	bitmap_free(sections);
	if (!obstacle)
		return KEXEC_MOD_RELOC_MMU_ON;
	return mode == KEXEC_RELOC_MMU_ON ? KEXEC_MOD_RELOC_NONE :
	       KEXEC_MOD_RELOC_MMU_OFF;
}

/**
 * kexec_machine_prepare_exec() - get the ARM side ready for an exec
 * @image: the image about to be executed
 *
 * Checks what the restart needs of @image, allocates the private
 * translation table and chooses how the stub copies (reloc_mode): with
 * the MMU on, it allocates and fills the copy table too.  Nothing can
 * fail after the trigger commits.  Undo with kexec_machine_cancel_exec().
 *
 * Return: 0, -EINVAL if the control page cannot be mapped 1:1, -ENOMEM,
 * -EOPNOTSUPP if reloc_mode=mmu-on cannot be honoured.
 */
int kexec_machine_prepare_exec(struct kimage *image)
{
	phys_addr_t control;
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
	if (!kexec_idmap_fits(control, PAGE_SIZE)) {
		pr_err("cannot kexec: control page %pa cannot be mapped 1:1 below TASK_SIZE\n",
		       &control);
		return -EINVAL;
	}

	kexec_hyp = kexec_hyp_wanted();
	if (kexec_hyp)
		pr_info("the new kernel will be entered in HYP mode\n");

	if (!kexec_idmap) {
		kexec_idmap = (void *)__get_free_pages(GFP_KERNEL,
						       get_order(KEXEC_IDMAP_SIZE));
		if (!kexec_idmap)
			return -ENOMEM;
	}

	err = kexec_reloc_prepare(image);
	if (err)
		kexec_machine_cancel_exec();
	return err;
}

/**
 * kexec_machine_cancel_exec() - undo kexec_machine_prepare_exec()
 *
 * Frees the private translation table and the copy table.  Only for an exec that has not
 * committed; harmless if nothing was prepared.
 */
void kexec_machine_cancel_exec(void)
{
	kexec_copy_table_free();
	if (kexec_idmap) {
		free_pages((unsigned long)kexec_idmap,
			   get_order(KEXEC_IDMAP_SIZE));
		kexec_idmap = NULL;
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
	params->hyp = kexec_hyp;
	params->copy_ttbr = lower_32_bits(kexec_copy_ttbr);
	params->copy_ttbr_hi = upper_32_bits(kexec_copy_ttbr);

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
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, hyp) !=
		     KEXEC_RELOC_HYP);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, copy_ttbr) !=
		     KEXEC_RELOC_COPY_TTBR);
	BUILD_BUG_ON(offsetof(struct kexec_reloc_params, copy_ttbr_hi) !=
		     KEXEC_RELOC_COPY_TTBR_HI);
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

/*
 * Point TTBR0 at another first-level table and drop every TLB entry and
 * branch prediction made under the old one.  TTBCR stays as the kernel set
 * it: without LPAE TTBR0 covers the whole address space (N = 0); with LPAE
 * it covers all but the kernel's top part, which TTBR1 maps and the copy
 * leaves alone.  Only this CPU is left, so local maintenance is enough.
 */
static void kexec_ttbr0_install(u64 ttbr0)
{
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		asm volatile("mcrr p15, 0, %0, %1, c2"
			     : : "r" ((u32)ttbr0), "r" ((u32)(ttbr0 >> 32)));
	else
		asm volatile("mcr p15, 0, %0, c2, c0, 0" : : "r" ((u32)ttbr0));
	asm volatile("isb\n\t"
		     "mcr p15, 0, %0, c8, c7, 0\n\t"	/* TLBIALL */
		     "mcr p15, 0, %0, c7, c5, 6\n\t"	/* BPIALL */
		     "dsb\n\t"
		     "isb"
		     : : "r" (0) : "memory");
}

/* Short-descriptor: the live table, plus 1:1 sections. */
static u64 kexec_idmap_build_short(phys_addr_t control)
{
	u32 *pgd = kexec_idmap;
	u64 ttbr0 = kexec_ttbr0_read();
	phys_addr_t base;

	memcpy(pgd, phys_to_virt(ttbr0 & ~KEXEC_SD_TTBR_ATTR),
	       KEXEC_SD_ENTRIES * sizeof(u32));
	if (kexec_debug_uart_early()) {
		base = round_down(kexec_debug_uart_phys, SZ_1M);
		pgd[base >> KEXEC_SD_SHIFT] = base | KEXEC_SD_IDMAP |
					      KEXEC_SD_XN;
	}
	base = round_down(control, SZ_1M);
	pgd[base >> KEXEC_SD_SHIFT] = base | KEXEC_SD_IDMAP;

	return virt_to_phys(pgd) | (ttbr0 & KEXEC_SD_TTBR_ATTR);
}

/*
 * Long-descriptor: a private second-level table for gigabyte @gb of the
 * first-level table @l1, made from what the live table has there, so that
 * a 1:1 block can be put in without touching the live one.  @used counts
 * the private tables handed out; one per gigabyte.
 */
static u64 *kexec_idmap_l2(u64 *l1, unsigned int gb, unsigned int *gbs,
			   unsigned int *used)
{
	u64 entry = l1[gb];
	u64 *l2;
	unsigned int i;

	for (i = 0; i < *used; i++)
		if (gbs[i] == gb)
			return (u64 *)((u8 *)l1 + SZ_4K * (i + 1));

	l2 = (u64 *)((u8 *)l1 + SZ_4K * (*used + 1));
	gbs[(*used)++] = gb;
	switch (entry & KEXEC_LD_TYPE_MASK) {
	case KEXEC_LD_TABLE:
		memcpy(l2, phys_to_virt(entry & KEXEC_LD_ADDR), SZ_4K);
		break;
	case KEXEC_LD_BLOCK:
		/* A 1 GiB block becomes 512 blocks of 2 MiB, same attributes. */
		for (i = 0; i < KEXEC_LD_L2_ENTRIES; i++)
			l2[i] = entry + ((u64)i << KEXEC_LD_L2_SHIFT);
		break;
	default:
		memset(l2, 0, SZ_4K);
	}
	l1[gb] = virt_to_phys(l2) | KEXEC_LD_TABLE;
	return l2;
}

static void kexec_idmap_block(u64 *l1, unsigned int *gbs, unsigned int *used,
			      phys_addr_t phys, u64 attr)
{
	u64 *l2 = kexec_idmap_l2(l1, phys >> KEXEC_LD_L1_SHIFT, gbs, used);
	phys_addr_t base = round_down(phys, SZ_2M);

	l2[(phys >> KEXEC_LD_L2_SHIFT) % KEXEC_LD_L2_ENTRIES] = base | attr;
}

/* Long-descriptor: the live first level, plus 1:1 blocks of 2 MiB. */
static u64 kexec_idmap_build_long(phys_addr_t control)
{
	unsigned int gbs[KEXEC_LD_L2_MAX], used = 0;
	u64 *l1 = kexec_idmap;
	u64 ttbr0 = kexec_ttbr0_read();

	memcpy(l1, phys_to_virt(ttbr0 & KEXEC_LD_TTBR_ADDR),
	       KEXEC_LD_L1_ENTRIES * sizeof(u64));
	if (kexec_debug_uart_early())
		kexec_idmap_block(l1, gbs, &used, kexec_debug_uart_phys,
				  KEXEC_LD_IDMAP | KEXEC_LD_XN);
	kexec_idmap_block(l1, gbs, &used, control, KEXEC_LD_IDMAP);

	return (ttbr0 & ~KEXEC_LD_TTBR_ADDR) | virt_to_phys(l1);
}

/*
 * Build the private table: the live one (so that the kernel, this module
 * and its stack stay mapped exactly as they are now), plus a 1:1 block
 * for the control page and, if it asks for one, the debug UART.  Both lie
 * below TASK_SIZE (checked when preparing).  Returns the TTBR0 value that
 * installs it.
 */
static u64 kexec_idmap_build(phys_addr_t control)
{
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		return kexec_idmap_build_long(control);
	return kexec_idmap_build_short(control);
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
	u64 ttbr0;

	ttbr0 = kexec_idmap_build(control);

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

	kexec_ttbr0_install(ttbr0);

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
