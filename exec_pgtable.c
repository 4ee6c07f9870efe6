// SPDX-License-Identifier: GPL-2.0-only
/*
 * The translation tables the exec switches to, apart from the restart
 * steps that use them (machine_kexec.c), as arm64 keeps trans_pgd.c apart
 * from its machine_kexec.c:
 *
 *  - the identity map: a private copy of the live TTBR0 table plus 1:1
 *    blocks for the control page and the debug UART, installed just
 *    before the jump into the stub, so that the stub's first
 *    instructions run at the same address with the MMU on and off;
 *  - the copy table: 1:1 normal-memory blocks over every whole block of
 *    System RAM, which the stub installs to copy the image with the MMU
 *    and caches on.
 *
 * Both come in the short-descriptor format (1 MiB sections) and the
 * long-descriptor format (LPAE, 2 MiB blocks), whichever the kernel runs.
 * Descriptor bits are written out here because the kernel's headers
 * define only the format the kernel was built for.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/bitfield.h>
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/fault-inject.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <asm/domain.h>

#include "debug_uart.h"
#include "exec_pgtable.h"
#include "image.h"
#include "machine_prepare.h"
#include "pages.h"

/*
 * The identity map lives in one 16 KiB, 16 KiB aligned buffer, in the
 * format the kernel runs with.  Both formats map 1:1 with Strongly-ordered
 * blocks,
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

/*
 * TTBCR: the short format's N; the long format's T0SZ, EPD0 (no TTBR0
 * walks), SH0 and T1SZ.
 */
#define KEXEC_TTBCR_N		GENMASK(2, 0)
#define KEXEC_TTBCR_T0SZ	GENMASK(2, 0)
#define KEXEC_TTBCR_EPD0	BIT(7)
#define KEXEC_TTBCR_SH0		GENMASK(13, 12)
#define KEXEC_TTBCR_T1SZ	GENMASK(18, 16)

/* The copy tables' RAM bitmap: one bit per 1 MiB section or 2 MiB block. */
#define KEXEC_COPY_BITS		(SZ_4G >> KEXEC_SD_SHIFT)

/* What the CPU needs once the trigger has committed; see exec_pgtable.h. */
static struct page *kexec_idmap_page;
static void *kexec_idmap;
static struct page *kexec_copy_table;
static u64 kexec_copy_ttbr;

/*
 * log2 of the size of one 1:1 block, in the identity map and in the copy
 * table alike: a section, or a second-level block with LPAE.
 */
static unsigned int kexec_block_shift(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? KEXEC_LD_L2_SHIFT : KEXEC_SD_SHIFT;
}

/*
 * CONFIG_CPU_TTBR0_PAN (LPAE only, on by default; distributions ship
 * it): outside its user accessors the kernel runs with TTBR0 walks off
 * (TTBCR.EPD0) and TTBR0's region cut to 32 MiB (T0SZ 7), TTBR1 with
 * T1SZ 0 pointing at swapper_pg_dir and translating everything above.
 * The exec turns TTBR0 walks back on for its own tables, with the
 * largest region that stays below the module area, so that TTBR1 keeps
 * translating this module, its stack and the kernel (the user accessors'
 * T0SZ 0 would hand them to TTBR0, to the process's table, whose module
 * entries are filled in lazily, by the fault handler).
 */
static bool kexec_ttbr0_pan(void)
{
	return IS_ENABLED(CONFIG_CPU_TTBR0_PAN);
}

static u32 kexec_pan_t0sz(void)
{
	return 32 - ilog2(TASK_SIZE);
}

static u32 kexec_ttbcr_read(void)
{
	u32 ttbcr;

	asm volatile("mrc p15, 0, %0, c2, c0, 2" : "=r" (ttbcr));
	return ttbcr;
}

/**
 * kexec_mod_exec_ttbcr() - TTBCR for the module's tables
 *
 * The value that kexec_mod_idmap_build()'s table and the copy table are
 * installed with: TTBCR as the kernel runs it, except under
 * CONFIG_CPU_TTBR0_PAN, where TTBR0 walks are turned on (EPD0 clear) for
 * the region below the module area (T0SZ).
 *
 * Return: the TTBCR value.
 */
u32 kexec_mod_exec_ttbcr(void)
{
	u32 ttbcr = kexec_ttbcr_read();

	if (!kexec_ttbr0_pan())
		return ttbcr;
	ttbcr &= ~(KEXEC_TTBCR_EPD0 | KEXEC_TTBCR_T0SZ);
	return ttbcr | FIELD_PREP(KEXEC_TTBCR_T0SZ, kexec_pan_t0sz());
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_exec_ttbcr);

/**
 * kexec_mod_pgtable_init() - say how the exec will use TTBR0
 *
 * Under TTBR0 PAN, one line at insmod: the exec's tables, and so the
 * control page and the MMU-on copy, are limited to TTBR0's region.
 *
 * Context: module init.
 */
void kexec_mod_pgtable_init(void)
{
	if (kexec_ttbr0_pan())
		pr_info("TTBR0 PAN: the kernel runs with TTBR0 walks off; the exec turns them on below %#llx for its tables\n",
			kexec_mod_idmap_top());
}

/*
 * How much of the address space TTBR0, and so the copy table, translates
 * with kexec_mod_exec_ttbcr().  Linux runs the short format with N = 0
 * (all of it); with LPAE, TTBR1 takes the top 1 or 2 GiB (T1SZ) where the
 * kernel is mapped, or, under TTBR0 PAN, everything above T0SZ's region.
 */
static u64 kexec_copy_reach(void)
{
	u32 ttbcr = kexec_mod_exec_ttbcr();
	u32 t1sz = FIELD_GET(KEXEC_TTBCR_T1SZ, ttbcr);

	if (!IS_ENABLED(CONFIG_ARM_LPAE))
		return SZ_4G >> FIELD_GET(KEXEC_TTBCR_N, ttbcr);
	if (FIELD_GET(KEXEC_TTBCR_T0SZ, ttbcr))
		return SZ_4G >> FIELD_GET(KEXEC_TTBCR_T0SZ, ttbcr);
	return t1sz ? SZ_4G - (SZ_4G >> t1sz) : SZ_4G;
}

/**
 * kexec_mod_idmap_top() - end of what the identity map can map 1:1
 *
 * A 1:1 block below TASK_SIZE replaces at most user mappings of the
 * current task, which the switch never touches; at or above it, it would
 * replace kernel, module or vmalloc mappings the switch runs on.  It must
 * also be within TTBR0's region (under TTBR0 PAN, 2 GiB with the 3G/1G
 * split).
 *
 * Return: the exclusive upper bound, a physical (and virtual) address.
 */
u64 kexec_mod_idmap_top(void)
{
	return min_t(u64, TASK_SIZE, kexec_copy_reach());
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_idmap_top);

/**
 * kexec_mod_idmap_fits() - whether a range can be mapped 1:1 for the switch
 * @phys: physical address of the range
 * @len: its length in bytes
 *
 * Return: true when every block the range touches lies below
 * kexec_mod_idmap_top().
 */
bool kexec_mod_idmap_fits(phys_addr_t phys, size_t len)
{
	u64 granule = BIT_ULL(kexec_block_shift());
	u64 end = round_up((u64)phys + len, granule);

	return end <= kexec_mod_idmap_top();
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_idmap_fits);

static u64 kexec_ttbr0_read(void)
{
	u32 lo, hi = 0;

	if (IS_ENABLED(CONFIG_ARM_LPAE))
		asm volatile("mrrc p15, 0, %0, %1, c2" : "=r" (lo), "=r" (hi));
	else
		asm volatile("mrc p15, 0, %0, c2, c0, 0" : "=r" (lo));
	return (u64)hi << 32 | lo;
}

/**
 * kexec_mod_ttbr_save() - TTBR0 and TTBCR as the kernel runs them now
 * @ttbcr: gets TTBCR
 *
 * For the rehearsal, which puts them back after its trip into the stub.
 *
 * Return: TTBR0.
 */
u64 kexec_mod_ttbr_save(u32 *ttbcr)
{
	*ttbcr = kexec_ttbcr_read();
	return kexec_ttbr0_read();
}

static size_t kexec_copy_table_size(void)
{
	return IS_ENABLED(CONFIG_ARM_LPAE) ? KEXEC_LD_COPY_SIZE :
					     KEXEC_IDMAP_SIZE;
}

static void kexec_copy_table_free(void)
{
	if (kexec_copy_table) {
		kexec_mod_pages_free(kexec_copy_table,
				     get_order(kexec_copy_table_size()),
				     KEXEC_MOD_PAGES_EXEC);
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
struct kexec_ram_blocks {
	unsigned long *blocks;
	u64 reach;
};

static bool kexec_ram_blocks_mark(u64 start, u64 end, void *arg)
{
	struct kexec_ram_blocks *ram = arg;
	unsigned int shift = kexec_block_shift();
	u64 block = round_up(start, BIT_ULL(shift));

	end = min_t(u64, round_down(end, BIT_ULL(shift)), ram->reach);
	for (; block < end; block += BIT_ULL(shift))
		set_bit(block >> shift, ram->blocks);
	return false;
}

static void kexec_ram_blocks(unsigned long *blocks,
			     const struct kexec_mod_uart *uart)
{
	struct kexec_ram_blocks ram = {
		.blocks = blocks,
		.reach = kexec_copy_reach(),
	};

	bitmap_zero(blocks, KEXEC_COPY_BITS);
	kexec_mod_ram_walk(0, U32_MAX, kexec_ram_blocks_mark, &ram);
	/* The UART gets a device mapping of its own, never a RAM one. */
	if (uart->phys && uart->phys < SZ_4G)
		clear_bit(uart->phys >> kexec_block_shift(), blocks);
}

static bool kexec_in_blocks(const unsigned long *blocks, phys_addr_t phys)
{
	return (u64)phys < SZ_4G &&
	       test_bit(phys >> kexec_block_shift(), blocks);
}

static bool kexec_range_in_blocks(const unsigned long *blocks,
				  u64 start, u64 size)
{
	u64 block = BIT_ULL(kexec_block_shift());
	u64 addr;

	for (addr = round_down(start, block); addr < start + size;
	     addr += block)
		if (!kexec_in_blocks(blocks, addr))
			return false;
	return true;
}

/*
 * Every page the copy reads or writes, and the stub's own page, must be
 * mapped by the copy table.  Indirection and control pages are lowmem,
 * and so is every source page on a kernel without highmem: when all of
 * lowmem is mapped there, the destinations are all that is left to
 * check.  Otherwise walk the list as the stub does (a highmem source may
 * lie above TTBR0's reach on LPAE, where its 1:1 address is TTBR1's).
 */
static bool kexec_image_in_blocks(const struct kexec_mod_image *image,
				  const unsigned long *blocks)
{
	unsigned long entry = image->head;
	unsigned long *ptr = NULL;
	unsigned long dest = 0;
	unsigned long i;

	if (!totalhigh_pages() &&
	    kexec_range_in_blocks(blocks, PHYS_OFFSET,
				  virt_to_phys(high_memory - 1) + 1 -
				  PHYS_OFFSET)) {
		for (i = 0; i < image->nr_segments; i++)
			if (!kexec_range_in_blocks(blocks,
						   image->segment[i].mem,
						   image->segment[i].memsz))
				return false;
		return true;
	}

	if (!kexec_in_blocks(blocks, page_to_phys(image->control_page)))
		return false;
	for (;;) {
		if (entry & KEXEC_MOD_IND_DONE)
			break;
		if (entry & KEXEC_MOD_IND_INDIRECTION) {
			if (!kexec_in_blocks(blocks, entry))
				return false;
			/* Indirection pages are lowmem (image.h). */
			ptr = phys_to_virt(entry & PAGE_MASK);
		} else if (entry & KEXEC_MOD_IND_DESTINATION) {
			dest = entry & PAGE_MASK;
		} else if (entry & KEXEC_MOD_IND_SOURCE) {
			if (!kexec_in_blocks(blocks, entry) ||
			    !kexec_in_blocks(blocks, dest))
				return false;
			dest += PAGE_SIZE;
		}
		if (!ptr)
			break;
		entry = *ptr++;
	}
	return true;
}

struct kexec_copy_table_fit {
	const struct kexec_mod_image *image;
	const unsigned long *blocks;
};

/*
 * The copy table is read by the MMU during the whole copy, so it must be
 * no destination, and the copy table must map it.
 */
static bool kexec_copy_table_fits(struct page *page, void *arg)
{
	const struct kexec_copy_table_fit *fit = arg;
	phys_addr_t phys = page_to_phys(page);
	size_t size = kexec_copy_table_size();

	return kexec_range_in_blocks(fit->blocks, phys, size) &&
	       !kexec_mod_image_overlaps(fit->image, phys, size);
}

/*
 * Fill the copy table: the RAM sections as normal cacheable memory, and
 * the debug UART, if any, as Strongly-ordered and never-execute, wherever
 * it is (the table maps nothing else, so it collides with nothing).
 * Returns the TTBR0 value that installs it, walk attributes as the
 * kernel's.
 */
static u64 kexec_copy_table_build_short(u32 *pgd, const unsigned long *blocks,
					const struct kexec_mod_uart *uart)
{
	u32 ttbr0 = kexec_ttbr0_read();
	u32 ram = KEXEC_SD_RAM | (ttbr0 & KEXEC_SD_TTBR_S ? KEXEC_SD_S : 0);
	unsigned long sect;
	u32 base;

	memset(pgd, 0, KEXEC_SD_ENTRIES * sizeof(u32));
	for_each_set_bit(sect, blocks, KEXEC_SD_ENTRIES)
		pgd[sect] = (sect << KEXEC_SD_SHIFT) | ram;
	if (uart->phys && uart->phys < SZ_4G) {
		base = round_down(uart->phys, SZ_1M);
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
static u64 kexec_copy_table_build_long(u64 *table, const unsigned long *blocks,
				       const struct kexec_mod_uart *uart)
{
	u64 *l1 = table + KEXEC_LD_COPY_L1 / sizeof(u64);
	u64 ram = KEXEC_LD_RAM;
	unsigned long block;
	unsigned int gb;
	u64 phys;

	if (kexec_ttbcr_read() & KEXEC_TTBCR_SH0)
		ram |= KEXEC_LD_SH_INNER;
	memset(table, 0, KEXEC_LD_COPY_SIZE);
	for (gb = 0; gb < KEXEC_LD_L1_ENTRIES; gb++)
		l1[gb] = virt_to_phys(table + gb * KEXEC_LD_L2_ENTRIES) |
			 KEXEC_LD_TABLE;
	for_each_set_bit(block, blocks, KEXEC_COPY_BITS)
		table[block] = ((u64)block << KEXEC_LD_L2_SHIFT) | ram;
	if (uart->phys && uart->phys < SZ_4G) {
		phys = uart->phys;
		table[phys >> KEXEC_LD_L2_SHIFT] = round_down(phys, SZ_2M) |
						   KEXEC_LD_IDMAP | KEXEC_LD_XN;
	}
	return (kexec_ttbr0_read() & ~KEXEC_LD_TTBR_ADDR) | virt_to_phys(l1);
}

/* Allocate and fill the copy table for @image; 0 or -ENOMEM. */
static int kexec_copy_table_create(const struct kexec_mod_image *image,
				   const unsigned long *blocks,
				   const struct kexec_mod_uart *uart)
{
	struct kexec_copy_table_fit fit = { .image = image, .blocks = blocks };
	unsigned int order = get_order(kexec_copy_table_size());
	void *table;

	kexec_copy_table =
		kexec_mod_alloc_fitting(order,
					kexec_mod_image_spare_tries(image) >> order,
					kexec_copy_table_fits, &fit, NULL,
					KEXEC_MOD_PAGES_EXEC);
	if (!kexec_copy_table)
		return -ENOMEM;

	table = page_address(kexec_copy_table);
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		kexec_copy_ttbr = kexec_copy_table_build_long(table, blocks,
							      uart);
	else
		kexec_copy_ttbr = kexec_copy_table_build_short(table, blocks,
							       uart);
	return 0;
}

/*
 * For the tests, where the kernel has CONFIG_FAULT_INJECTION_DEBUG_FS:
 * debugfs kexec_mod/fail_copy_reach takes the control page's block out
 * of the map of RAM blocks, so that the copy table cannot reach a page
 * of the image, as on a board whose RAM does not fill whole blocks.
 */
#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(kexec_fail_copy_reach);
#endif

static void kexec_copy_reach_inject(const struct kexec_mod_image *image,
				    unsigned long *blocks)
{
#ifdef CONFIG_FAULT_INJECTION
	phys_addr_t control = page_to_phys(image->control_page);

	if (should_fail(&kexec_fail_copy_reach, 1))
		clear_bit(control >> kexec_block_shift(), blocks);
#endif
}

/**
 * kexec_mod_pgtable_debugfs() - the tables' fault attribute in debugfs
 * @dir: the module's debugfs directory
 *
 * Context: module init; removed with @dir.
 */
void kexec_mod_pgtable_debugfs(struct dentry *dir)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_copy_reach", dir,
				  &kexec_fail_copy_reach);
#endif
}

/**
 * kexec_mod_copy_table_prepare() - can the stub copy with the MMU on?
 * @image: the loaded image
 * @uart: the debug UART the stub writes to, if any
 * @create: allocate and fill the copy table too (for an exec), or only
 *	tell (for a status report)
 * @why: set to the reason when the answer is no
 *
 * With @create, drops any copy table made before.  The copy needs every
 * page it reads or writes inside whole blocks of System RAM within
 * TTBR0's reach, and the debug UART, if any, within that reach too.
 *
 * Return: 0 when it can (with @create, kexec_mod_copy_table_ttbr() then
 * installs the table); -EOPNOTSUPP when a page is out of reach, -ENOMEM
 * when there is no memory for the table or the RAM map.
 */
int kexec_mod_copy_table_prepare(const struct kexec_mod_image *image,
				 const struct kexec_mod_uart *uart,
				 bool create, const char **why)
{
	unsigned long *blocks;
	int err = 0;

	if (create)
		kexec_copy_table_free();
	blocks = bitmap_zalloc(KEXEC_COPY_BITS, GFP_KERNEL);
	if (!blocks) {
		*why = "no memory for the map of RAM blocks";
		return -ENOMEM;
	}

	kexec_ram_blocks(blocks, uart);
	kexec_copy_reach_inject(image, blocks);
	if (uart->phys && uart->phys >= kexec_copy_reach()) {
		/* Its 1:1 address would be TTBR1's: the stub's write aborts. */
		*why = "the debug UART lies beyond TTBR0's reach";
		err = -EOPNOTSUPP;
	} else if (!kexec_image_in_blocks(image, blocks)) {
		*why = IS_ENABLED(CONFIG_ARM_LPAE) ?
		       "a page outside whole 2 MiB blocks of System RAM in TTBR0's reach" :
		       "a page outside whole 1 MiB sections of System RAM";
		err = -EOPNOTSUPP;
	} else if (create && kexec_copy_table_create(image, blocks, uart)) {
		*why = "no memory for the copy table";
		err = -ENOMEM;
	}
	bitmap_free(blocks);
	return err;
}

/**
 * kexec_mod_copy_table_ttbr() - the TTBR0 value that installs the copy table
 *
 * Return: the value, or 0 when no copy table was made.
 */
u64 kexec_mod_copy_table_ttbr(void)
{
	return kexec_copy_ttbr;
}

/**
 * kexec_mod_pgtable_alloc() - allocate the identity map's buffer
 *
 * Context: when preparing an exec, where failing is still allowed; the
 * restart path itself allocates nothing.
 *
 * Return: 0 or -ENOMEM.
 */
int kexec_mod_pgtable_alloc(void)
{
	if (!kexec_idmap_page) {
		kexec_idmap_page = kexec_mod_idmap_alloc();
		if (!kexec_idmap_page)
			return -ENOMEM;
		kexec_idmap = page_address(kexec_idmap_page);
	}
	return 0;
}

/**
 * kexec_mod_pgtable_free() - free the identity map and the copy table
 *
 * Harmless when nothing was allocated.
 */
void kexec_mod_pgtable_free(void)
{
	kexec_copy_table_free();
	kexec_mod_idmap_release(kexec_idmap_page);
	kexec_idmap_page = NULL;
	kexec_idmap = NULL;
}

/* Short-descriptor: the live table, plus 1:1 sections. */
static u64 kexec_idmap_build_short(void *table, phys_addr_t control,
				   const struct kexec_mod_uart *uart)
{
	u32 *pgd = table;
	u64 ttbr0 = kexec_ttbr0_read();
	phys_addr_t base;

	memcpy(pgd, phys_to_virt(ttbr0 & ~KEXEC_SD_TTBR_ATTR),
	       KEXEC_SD_ENTRIES * sizeof(u32));
	if (uart->phys && kexec_mod_idmap_fits(uart->phys, sizeof(u32))) {
		base = round_down(uart->phys, SZ_1M);
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
static u64 kexec_idmap_build_long(void *table, phys_addr_t control,
				  const struct kexec_mod_uart *uart)
{
	unsigned int gbs[KEXEC_LD_L2_MAX], used = 0;
	u64 *l1 = table;
	u64 ttbr0 = kexec_ttbr0_read();

	memcpy(l1, phys_to_virt(ttbr0 & KEXEC_LD_TTBR_ADDR),
	       KEXEC_LD_L1_ENTRIES * sizeof(u64));
	if (uart->phys && kexec_mod_idmap_fits(uart->phys, sizeof(u32)))
		kexec_idmap_block(l1, gbs, &used, uart->phys,
				  KEXEC_LD_IDMAP | KEXEC_LD_XN);
	kexec_idmap_block(l1, gbs, &used, control, KEXEC_LD_IDMAP);

	return (ttbr0 & ~KEXEC_LD_TTBR_ADDR) | virt_to_phys(l1);
}

/**
 * kexec_mod_idmap_build() - fill the identity map
 * @control: physical address of the control page
 * @uart: the debug UART, mapped too when kexec_mod_idmap_fits() it
 *
 * The live table (so that the kernel, this module and its stack stay
 * mapped exactly as they are now), plus a 1:1 block for the control page
 * and, if it asks for one, the debug UART.  Both lie below
 * kexec_mod_idmap_top() (checked when preparing, with
 * kexec_mod_idmap_fits()).  Under TTBR0 PAN the table translates only
 * the user part below TTBR1's region (kexec_mod_exec_ttbcr()): there the
 * kernel and this module are TTBR1's, which stays the kernel's.
 *
 * Context: on the restart path, after kexec_mod_pgtable_alloc().
 * Return: the TTBR0 value that installs it.
 */
u64 kexec_mod_idmap_build(phys_addr_t control,
			  const struct kexec_mod_uart *uart)
{
	return kexec_mod_idmap_build_at(kexec_idmap, control, uart);
}

/**
 * kexec_mod_idmap_build_at() - fill an identity map of one's own
 * @table: the buffer of kexec_mod_idmap_alloc()
 * @control: physical address of the control page
 * @uart: the debug UART, mapped too when kexec_mod_idmap_fits() it
 *
 * As kexec_mod_idmap_build(), in @table: for the crash path, which
 * keeps its table for as long as a crash image is loaded and must not
 * share the exec's.
 *
 * Return: the TTBR0 value that installs it.
 */
u64 kexec_mod_idmap_build_at(void *table, phys_addr_t control,
			     const struct kexec_mod_uart *uart)
{
	if (IS_ENABLED(CONFIG_ARM_LPAE))
		return kexec_idmap_build_long(table, control, uart);
	return kexec_idmap_build_short(table, control, uart);
}

/**
 * kexec_mod_idmap_alloc() - a buffer for kexec_mod_idmap_build_at()
 *
 * Return: its first page (lowmem, 16 KiB, aligned as TTBR0 needs), or
 * NULL.
 */
struct page *kexec_mod_idmap_alloc(void)
{
	return kexec_mod_pages_alloc(GFP_KERNEL, get_order(KEXEC_IDMAP_SIZE),
				     KEXEC_MOD_PAGES_EXEC);
}

/**
 * kexec_mod_idmap_release() - free a buffer of kexec_mod_idmap_alloc()
 * @page: its first page; NULL is ignored
 */
void kexec_mod_idmap_release(struct page *page)
{
	if (page)
		kexec_mod_pages_free(page, get_order(KEXEC_IDMAP_SIZE),
				     KEXEC_MOD_PAGES_EXEC);
}
