// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the image core (kimage.c) and the pure parts of the ARM
 * prepare step (machine_prepare.c).  The files under test are included so
 * their static helpers can be reached and this module needs nothing the
 * main module exports.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/uio.h>

#include "machine_prepare.c"
#include "kimage.c"

/* Far below RAM on QEMU virt (flash), so no allocated page is ever hit. */
#define TEST_DEST	0x100000UL
#define TEST_RAM_PAGES	1000UL

static struct kimage_segment seg(unsigned long mem, size_t memsz,
				 size_t bufsz)
{
	struct kimage_segment s = {
		.buf = NULL, .bufsz = bufsz, .mem = mem, .memsz = memsz,
	};

	return s;
}

static int check(struct kimage_segment *s, unsigned long nr,
		 struct kimage_reject *r)
{
	return kimage_check_segments(s, nr, TEST_RAM_PAGES, r);
}

static void check_accepts_empty_and_simple_lists(struct kunit *test)
{
	struct kimage_segment s[2] = {
		seg(TEST_DEST, PAGE_SIZE, 0),
		seg(TEST_DEST + PAGE_SIZE, 2 * PAGE_SIZE, 2 * PAGE_SIZE),
	};
	struct kimage_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), 0);
	KUNIT_EXPECT_EQ(test, r.segment, -1L);
}

static void check_segment_count_limit(struct kunit *test)
{
	struct kimage_segment s[KEXEC_SEGMENT_MAX + 1];
	struct kimage_reject r;
	int i;

	for (i = 0; i <= KEXEC_SEGMENT_MAX; i++)
		s[i] = seg(TEST_DEST + i * PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, KEXEC_SEGMENT_MAX, &r), 0);
	KUNIT_EXPECT_EQ(test, check(s, KEXEC_SEGMENT_MAX + 1, &r), -EINVAL);
}

static void check_rejects_unaligned(struct kunit *test)
{
	struct kimage_segment s[2] = {
		seg(TEST_DEST, PAGE_SIZE, 0),
		seg(TEST_DEST + 2 * PAGE_SIZE + 1, PAGE_SIZE, 0),
	};
	struct kimage_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* An aligned start with a size that is not whole pages. */
	s[1] = seg(TEST_DEST + 2 * PAGE_SIZE, PAGE_SIZE + 1, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	s[1] = seg(TEST_DEST + 2 * PAGE_SIZE, PAGE_SIZE - 1, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
}

static void check_rejects_wrapping(struct kunit *test)
{
	unsigned long top = ULONG_MAX & PAGE_MASK;
	struct kimage_segment s[1];
	struct kimage_reject r;

	/* The last page but one ends just below the top: fine. */
	s[0] = seg(top - PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);

	/* The very last page ends at 2^32, which wraps to 0. */
	s[0] = seg(top, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);

	s[0] = seg(top - PAGE_SIZE, 3 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EADDRNOTAVAIL);
}

static void check_detects_overlap(struct kunit *test)
{
	struct kimage_segment s[3] = {
		seg(TEST_DEST + 4 * PAGE_SIZE, 2 * PAGE_SIZE, 0),
		seg(TEST_DEST, 4 * PAGE_SIZE, 0),	/* ends where 0 starts */
		seg(TEST_DEST + 6 * PAGE_SIZE, PAGE_SIZE, 0),
	};
	struct kimage_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 3, &r), 0);

	/* One page into segment 0 from below. */
	s[1].memsz = 5 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* The last page of segment 0 from above. */
	s[1].memsz = 4 * PAGE_SIZE;
	s[2].mem = TEST_DEST + 5 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 2L);

	/* Entirely inside. */
	s[2] = seg(TEST_DEST + PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 2L);

	/* Same start. */
	s[2] = seg(TEST_DEST + 4 * PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
}

static void check_bufsz_against_memsz(struct kunit *test)
{
	struct kimage_segment s[1] = { seg(TEST_DEST, PAGE_SIZE, PAGE_SIZE) };
	struct kimage_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);
	s[0].bufsz = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);
}

static void check_half_of_ram(struct kunit *test)
{
	unsigned long half = TEST_RAM_PAGES / 2;
	struct kimage_segment s[2];
	struct kimage_reject r;

	s[0] = seg(TEST_DEST, half * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);
	s[0].memsz += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);

	/* Together: exactly half passes, one page more fails. */
	s[0] = seg(TEST_DEST, (half - 10) * PAGE_SIZE, 0);
	s[1] = seg(TEST_DEST + half * PAGE_SIZE, 10 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), 0);
	s[1].memsz += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* An odd page count rounds the half down. */
	s[0] = seg(TEST_DEST, half * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test,
			kimage_check_segments(s, 1, 2 * half + 1, &r), 0);
	KUNIT_EXPECT_EQ(test,
			kimage_check_segments(s, 1, 2 * half - 1, &r), -EINVAL);
}

static struct kunit_case kexec_mod_check_cases[] = {
	KUNIT_CASE(check_accepts_empty_and_simple_lists),
	KUNIT_CASE(check_segment_count_limit),
	KUNIT_CASE(check_rejects_unaligned),
	KUNIT_CASE(check_rejects_wrapping),
	KUNIT_CASE(check_detects_overlap),
	KUNIT_CASE(check_bufsz_against_memsz),
	KUNIT_CASE(check_half_of_ram),
	{}
};

static struct kunit_suite kexec_mod_check_suite = {
	.name = "kexec_mod_segment_checks",
	.test_cases = kexec_mod_check_cases,
};

static void boot_params_prefer_fdt(struct kunit *test)
{
	struct kimage_segment s[3] = {
		seg(0x40008000, 16 * PAGE_SIZE, 0),
		seg(0x41000000, PAGE_SIZE, 0),
		seg(0x42000000, PAGE_SIZE, 0),
	};
	__be32 words[3] = { 0, cpu_to_be32(0xd00dfeed), 0 };

	KUNIT_EXPECT_EQ(test,
			machine_pick_boot_params(0x40008000, s, words, 3),
			0x41000000UL);

	/* Several device trees: the last one wins, as in the kernel. */
	words[2] = cpu_to_be32(0xd00dfeed);
	KUNIT_EXPECT_EQ(test,
			machine_pick_boot_params(0x40008000, s, words, 3),
			0x42000000UL);
}

static void boot_params_default_to_atags(struct kunit *test)
{
	struct kimage_segment s[2] = {
		seg(0x40008000, 16 * PAGE_SIZE, 0),
		seg(0x41000000, PAGE_SIZE, 0),
	};
	/* The magic in the wrong byte order is not a device tree. */
	__be32 words[2] = { 0, (__force __be32)0xd00dfeed };

	if (cpu_to_be32(0xd00dfeed) == (__force __be32)0xd00dfeed)
		kunit_skip(test, "big-endian CPU");
	KUNIT_EXPECT_EQ(test,
			machine_pick_boot_params(0x40008000, s, words, 2),
			0x40001000UL);
}

static int ram_end_of(struct resource *res, void *arg)
{
	*(u64 *)arg = res->end;
	return 1;
}

static void memory_check_uses_system_ram(struct kunit *test)
{
	struct kimage_segment s[1];
	struct kimage_reject r;
	struct page *page;
	u64 pa, end = 0;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pa = page_to_phys(page);
	__free_page(page);

	s[0] = seg(pa, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, machine_check_memory(s, 1, &r), 0);

	/* Find where the System RAM block holding that page ends. */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, pa,
			    U32_MAX, &end, ram_end_of);
	KUNIT_ASSERT_GT(test, end, pa);
	if (end >= U32_MAX - PAGE_SIZE)
		kunit_skip(test, "RAM reaches the top of the address space");

	s[0] = seg(end + 1 - PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, machine_check_memory(s, 1, &r), 0);
	s[0].memsz = 2 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, machine_check_memory(s, 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);
}

static void control_limit_leaves_room_for_a_section(struct kunit *test)
{
	phys_addr_t limit = machine_control_limit();

	KUNIT_ASSERT_NE(test, limit, (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, limit & (SZ_1M - 1), (phys_addr_t)0);
	KUNIT_EXPECT_LE(test, limit + SZ_1M, (phys_addr_t)TASK_SIZE);
	KUNIT_EXPECT_LE(test, limit + SZ_1M, (phys_addr_t)MODULES_VADDR);
}

static void cmdline_one_cpu_words(struct kunit *test)
{
	static const struct {
		const char *args;
		bool one_cpu;
	} cases[] = {
		{ "console=ttyAMA0 nosmp", true },
		{ "maxcpus=1", true },
		{ "maxcpus=0 quiet", true },
		{ "maxcpus=4 maxcpus=1", true },
		{ "maxcpus=2", false },
		{ "maxcpus=1 maxcpus=4", false },
		{ "maxcpus=01234567890123456789", false },
		{ "console=ttyAMA0 -- nosmp", false },
		{ "nosmpx maxcpus= xnosmp", false },
		{ "", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    machine_cmdline_one_cpu(cases[i].args,
							    strlen(cases[i].args) + 1),
				    cases[i].one_cpu, "\"%s\"", cases[i].args);
	/* The property's length bounds the words, not a NUL. */
	KUNIT_EXPECT_FALSE(test, machine_cmdline_one_cpu("nosmp", 4));
}

/*
 * A flattened tree: / { bootargs; other { bootargs }; chosen { bootargs } },
 * only the last of which counts.
 */
#define FDT_WORD(x)	cpu_to_be32(x)
static const __be32 test_fdt[] = {
	/*
	 * header: magic, totalsize, off_struct, off_strings, off_rsvmap,
	 * version, last_comp, boot_cpuid, size_strings, size_struct
	 */
	FDT_WORD(0xd00dfeed), FDT_WORD(192), FDT_WORD(56), FDT_WORD(176),
	FDT_WORD(40), FDT_WORD(17), FDT_WORD(16), FDT_WORD(0),
	FDT_WORD(16), FDT_WORD(120),
	/* memory reservation map: one empty entry */
	0, 0, 0, 0,
	/* structure block at 56, 120 bytes */
	FDT_WORD(1), 0,					/* / */
	FDT_WORD(3), FDT_WORD(4), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6e6f736d),				/* "nosm", no NUL */
	FDT_WORD(1), FDT_WORD(0x6f746865), FDT_WORD(0x72000000), /* other */
	FDT_WORD(3), FDT_WORD(6), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6e6f736d), FDT_WORD(0x70000000),	/* "nosmp" */
	FDT_WORD(2),
	FDT_WORD(1), FDT_WORD(0x63686f73), FDT_WORD(0x656e0000), /* chosen */
	FDT_WORD(3), FDT_WORD(4), FDT_WORD(9),		/* other */
	FDT_WORD(0),
	FDT_WORD(3), FDT_WORD(8), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6d617863), FDT_WORD(0x70757300),	/* "maxcpus" */
	FDT_WORD(2),
	FDT_WORD(2),
	FDT_WORD(9),
	/* strings block at 176: "bootargs\0other\0\0" (16 bytes) */
	FDT_WORD(0x626f6f74), FDT_WORD(0x61726773), FDT_WORD(0x006f7468),
	FDT_WORD(0x65720000),
};

static void fdt_bootargs_from_chosen_only(struct kunit *test)
{
	const u8 *fdt = (const u8 *)test_fdt;
	const char *args;
	u32 len = 0;

	KUNIT_ASSERT_EQ(test, sizeof(test_fdt), (size_t)192);
	args = machine_fdt_bootargs(fdt, sizeof(test_fdt), &len);
	KUNIT_ASSERT_NOT_NULL(test, args);
	KUNIT_EXPECT_EQ(test, len, 8U);
	KUNIT_EXPECT_STREQ(test, args, "maxcpus");

	/* Cut short or with a structure block past its end: no answer. */
	KUNIT_EXPECT_NULL(test, machine_fdt_bootargs(fdt, 150, &len));
	KUNIT_EXPECT_NULL(test, machine_fdt_bootargs(fdt, 39, &len));
}

static struct kunit_case kexec_mod_machine_cases[] = {
	KUNIT_CASE(boot_params_prefer_fdt),
	KUNIT_CASE(boot_params_default_to_atags),
	KUNIT_CASE(memory_check_uses_system_ram),
	KUNIT_CASE(control_limit_leaves_room_for_a_section),
	KUNIT_CASE(cmdline_one_cpu_words),
	KUNIT_CASE(fdt_bootargs_from_chosen_only),
	{}
};

static struct kunit_suite kexec_mod_machine_suite = {
	.name = "kexec_mod_machine_prepare",
	.test_cases = kexec_mod_machine_cases,
};

/* An image staged from kernel buffers; freed by the test's cleanup. */
static struct kimage *test_image(struct kunit *test,
				 struct kimage_segment *s, unsigned long nr)
{
	struct kimage *image;

	image = kimage_alloc(0x40008000, s, nr, machine_control_limit());
	KUNIT_ASSERT_NOT_NULL(test, image);
	return image;
}

static int test_stage(struct kimage *image, unsigned long i, void *buf)
{
	struct kvec kv = { .iov_base = buf,
			   .iov_len = image->segment[i].bufsz };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, kv.iov_len);
	return kimage_load_segment(image, i, &iter);
}

static void *test_page_of(unsigned long entry)
{
	return phys_to_virt(entry & PAGE_MASK);
}

static void control_page_skips_destinations(struct kunit *test)
{
	struct kimage_segment s[1];
	unsigned long tries, rejects = 0;

	/*
	 * The page just freed is the allocator's next answer on this CPU,
	 * so making it a destination forces at least one retry; migration
	 * to another CPU can spoil a round, hence a few rounds.
	 */
	for (tries = 0; tries < 10 && !rejects; tries++) {
		struct kimage *image;
		struct page *page;
		phys_addr_t pa, cpa;

		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		pa = page_to_phys(page);
		__free_page(page);

		s[0] = seg(pa, PAGE_SIZE, 0);
		image = test_image(test, s, 1);
		KUNIT_ASSERT_EQ(test, kimage_alloc_control_page(image), 0);
		cpa = page_to_phys(image->control_page);
		KUNIT_EXPECT_NE(test, cpa, pa);
		KUNIT_EXPECT_LE(test, cpa + PAGE_SIZE, image->control_limit);
		KUNIT_EXPECT_FALSE(test, PageHighMem(image->control_page));
		rejects = image->nr_control_rejects;
		kimage_free(image);
	}
	KUNIT_EXPECT_GE(test, rejects, 1UL);
	kunit_info(test, "forced retry after %lu round(s)\n", tries);
}

static void list_for_small_image(struct kunit *test)
{
	struct kimage_segment s[2] = {
		seg(TEST_DEST, 2 * PAGE_SIZE, PAGE_SIZE + 10),
		seg(TEST_DEST + 8 * PAGE_SIZE, PAGE_SIZE, 0),
	};
	unsigned long *ind;
	struct kimage *image;
	u8 *buf, *p;
	int i;

	buf = kunit_kmalloc(test, PAGE_SIZE + 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < PAGE_SIZE + 10; i++)
		buf[i] = i * 7 + 1;

	image = test_image(test, s, 2);
	KUNIT_ASSERT_EQ(test, kimage_alloc_control_page(image), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 1, NULL), 0);
	kimage_terminate(image);

	KUNIT_EXPECT_EQ(test, image->head & ~PAGE_MASK,
			(unsigned long)IND_INDIRECTION);
	ind = test_page_of(image->head);
	KUNIT_EXPECT_EQ(test, ind[0], TEST_DEST | IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[1] & ~PAGE_MASK, (unsigned long)IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[2] & ~PAGE_MASK, (unsigned long)IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[3],
			(TEST_DEST + 8 * PAGE_SIZE) | IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[4] & ~PAGE_MASK, (unsigned long)IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[5], (unsigned long)IND_DONE);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, 3UL);

	/* Buffer bytes first, zeroes up to memsz. */
	KUNIT_EXPECT_EQ(test, memcmp(test_page_of(ind[1]), buf, PAGE_SIZE), 0);
	p = test_page_of(ind[2]);
	KUNIT_EXPECT_EQ(test, memcmp(p, buf + PAGE_SIZE, 10), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p + 10, 0, PAGE_SIZE - 10), NULL);
	p = test_page_of(ind[4]);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p, 0, PAGE_SIZE), NULL);
	kimage_free(image);
}

static void list_chains_indirection_pages(struct kunit *test)
{
	unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
	unsigned long pages = per_page + 50, sources = 0;
	struct kimage_segment s[1] = { seg(TEST_DEST, pages * PAGE_SIZE, 0) };
	unsigned long *ind, *ptr;
	struct kimage *image;
	unsigned long dest = 0;

	image = test_image(test, s, 1);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, NULL), 0);
	kimage_terminate(image);

	/* First page: a destination, per_page - 2 sources, the chain link. */
	ind = test_page_of(image->head);
	KUNIT_EXPECT_EQ(test, ind[0], TEST_DEST | IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[per_page - 2] & ~PAGE_MASK,
			(unsigned long)IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[per_page - 1] & ~PAGE_MASK,
			(unsigned long)IND_INDIRECTION);

	/* Walk it the way the stub does and count what it would copy. */
	for (ptr = &image->head; !(*ptr & IND_DONE);
	     ptr = kimage_next_entry(ptr)) {
		KUNIT_ASSERT_NE(test, *ptr, 0UL);
		if (*ptr & IND_DESTINATION) {
			dest = *ptr & PAGE_MASK;
		} else if (*ptr & IND_SOURCE) {
			KUNIT_EXPECT_EQ(test, dest, TEST_DEST + sources * PAGE_SIZE);
			dest += PAGE_SIZE;
			sources++;
		}
	}
	KUNIT_EXPECT_EQ(test, sources, pages);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, pages);
	kimage_free(image);
}

/*
 * Check what the stub relies on: every source page is its own destination
 * or nobody's, and holds the bytes its destination should get.
 */
static void expect_list_safe(struct kunit *test, struct kimage *image,
			     u8 (*pattern)(unsigned long dest))
{
	unsigned long dest = 0;
	unsigned long *ptr;

	for (ptr = &image->head; !(*ptr & IND_DONE);
	     ptr = kimage_next_entry(ptr)) {
		unsigned long pa = *ptr & PAGE_MASK;
		bool is_dest;

		KUNIT_ASSERT_NE(test, *ptr, 0UL);
		is_dest = kimage_find_dest(image, pa);
		if (*ptr & IND_INDIRECTION)
			KUNIT_EXPECT_FALSE(test, is_dest);
		if (*ptr & IND_DESTINATION)
			dest = pa;
		if (!(*ptr & IND_SOURCE))
			continue;
		if (pa != dest)
			KUNIT_EXPECT_FALSE(test, is_dest);
		KUNIT_EXPECT_EQ(test, *(u8 *)test_page_of(*ptr), pattern(dest));
		dest += PAGE_SIZE;
	}
}

static u8 pattern_of(unsigned long dest)
{
	return (dest >> PAGE_SHIFT) * 13 + 5;
}

static void fill_pattern(u8 *buf, unsigned long dest, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		memset(buf + i * PAGE_SIZE, pattern_of(dest + i * PAGE_SIZE),
		       PAGE_SIZE);
}

static void staging_uses_destination_in_place(struct kunit *test)
{
	unsigned long tries, in_place = 0;
	u8 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (tries = 0; tries < 10 && !in_place; tries++) {
		struct kimage_segment s[1];
		struct kimage *image;
		struct page *page;
		phys_addr_t pa;

		/* The next page handed out is the destination itself. */
		page = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, page);
		pa = page_to_phys(page);
		__free_page(page);

		s[0] = seg(pa, PAGE_SIZE, PAGE_SIZE);
		fill_pattern(buf, pa, 1);
		image = test_image(test, s, 1);
		KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
		kimage_terminate(image);
		expect_list_safe(test, image, pattern_of);
		in_place = image->nr_in_place;
		kimage_free(image);
	}
	KUNIT_EXPECT_GE(test, in_place, 1UL);
}

static void staging_swaps_late_destination_page(struct kunit *test)
{
	unsigned long tries, swapped = 0;
	u8 *buf;

	buf = kunit_kmalloc(test, 2 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/*
	 * Free three pages so they come back as: indirection page, source
	 * for destination D, then D itself while staging the second
	 * segment.  D must then take over its staged content and the old
	 * source page serves the second segment.
	 */
	for (tries = 0; tries < 10 && !swapped; tries++) {
		struct kimage_segment s[2];
		struct page *ind, *src, *dst;
		struct kimage *image;
		phys_addr_t d;

		ind = alloc_page(GFP_KERNEL);
		src = alloc_page(GFP_KERNEL);
		dst = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_TRUE(test, ind && src && dst);
		d = page_to_phys(dst);
		__free_page(dst);
		__free_page(src);
		__free_page(ind);

		s[0] = seg(d, PAGE_SIZE, PAGE_SIZE);
		s[1] = seg(TEST_DEST, PAGE_SIZE, PAGE_SIZE);
		fill_pattern(buf, d, 1);
		fill_pattern(buf + PAGE_SIZE, TEST_DEST, 1);
		image = test_image(test, s, 2);
		KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
		KUNIT_ASSERT_EQ(test, test_stage(image, 1, buf + PAGE_SIZE), 0);
		kimage_terminate(image);
		expect_list_safe(test, image, pattern_of);
		swapped = image->nr_swapped;
		kimage_free(image);
	}
	KUNIT_EXPECT_GE(test, swapped, 1UL);
	kunit_info(test, "swap seen after %lu round(s)\n", tries);
}

static void staging_many_destination_pages_is_safe(struct kunit *test)
{
	enum { NR = KEXEC_SEGMENT_MAX, PER = 4 };
	struct kimage_segment s[NR];
	struct page *pages[NR * PER];
	struct kimage *image;
	u8 *buf;
	int i;

	buf = kunit_kmalloc(test, NR * PER * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	/*
	 * Destinations are the pages the allocator is about to hand out
	 * again, so staging meets in-place pages, set-aside pages and swaps
	 * all at once.
	 */
	for (i = 0; i < NR * PER; i++) {
		pages[i] = alloc_page(GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, pages[i]);
	}
	for (i = 0; i < NR; i++) {
		s[i] = seg(page_to_phys(pages[i * PER]), PAGE_SIZE, PAGE_SIZE);
		fill_pattern(buf + i * PAGE_SIZE, s[i].mem, 1);
	}
	for (i = NR * PER - 1; i >= 0; i--)
		__free_page(pages[i]);

	/* Freed pages in a segment list cannot overlap: one page each. */
	image = test_image(test, s, NR);
	KUNIT_ASSERT_EQ(test, kimage_alloc_control_page(image), 0);
	for (i = 0; i < NR; i++)
		KUNIT_ASSERT_EQ(test, test_stage(image, i, buf + i * PAGE_SIZE),
				0);
	kimage_terminate(image);
	expect_list_safe(test, image, pattern_of);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, (unsigned long)NR);
	kunit_info(test, "in place %lu, swapped %lu, control rejects %lu\n",
		   image->nr_in_place, image->nr_swapped,
		   image->nr_control_rejects);
	kimage_free(image);
}

static void staging_short_buffer_faults(struct kunit *test)
{
	struct kimage_segment s[1] = {
		seg(TEST_DEST, 4 * PAGE_SIZE, 3 * PAGE_SIZE),
	};
	struct iov_iter iter;
	struct kimage *image;
	struct kvec kv;
	u8 *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv.iov_base = buf;
	kv.iov_len = PAGE_SIZE;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, PAGE_SIZE);

	/* The half-built list must still be freed completely. */
	image = test_image(test, s, 1);
	KUNIT_EXPECT_EQ(test, kimage_load_segment(image, 0, &iter), -EFAULT);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, 2UL);
	kimage_free(image);
}

static bool dest_is_segment(struct kimage *image, phys_addr_t pa, int i)
{
	return kimage_find_dest(image, pa) == &image->dest[i];
}

static void dest_lookup_at_range_edges(struct kunit *test)
{
	unsigned long top = ULONG_MAX & PAGE_MASK;
	struct kimage_segment s[5] = {
		seg(TEST_DEST + 8 * PAGE_SIZE, 2 * PAGE_SIZE, 0),
		seg(TEST_DEST, 4 * PAGE_SIZE, 0),
		seg(TEST_DEST + 4 * PAGE_SIZE, PAGE_SIZE, 0),	/* adjacent */
		seg(TEST_DEST + 6 * PAGE_SIZE, 0, 0),		/* empty */
		seg(top - PAGE_SIZE, PAGE_SIZE, 0),		/* at the top */
	};
	struct kimage *image = test_image(test, s, 5);

	KUNIT_EXPECT_EQ(test, image->nr_dests, 4UL);
	KUNIT_EXPECT_NULL(test, kimage_find_dest(image, 0));
	KUNIT_EXPECT_NULL(test, kimage_find_dest(image, TEST_DEST - PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, dest_is_segment(image, TEST_DEST, 1));
	KUNIT_EXPECT_TRUE(test,
			  dest_is_segment(image, TEST_DEST + 3 * PAGE_SIZE, 1));
	KUNIT_EXPECT_TRUE(test,
			  dest_is_segment(image, TEST_DEST + 4 * PAGE_SIZE, 2));
	KUNIT_EXPECT_NULL(test,
			  kimage_find_dest(image, TEST_DEST + 5 * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test,
			  kimage_find_dest(image, TEST_DEST + 6 * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test,
			  kimage_find_dest(image, TEST_DEST + 7 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test,
			  dest_is_segment(image, TEST_DEST + 8 * PAGE_SIZE, 0));
	KUNIT_EXPECT_TRUE(test,
			  dest_is_segment(image, TEST_DEST + 9 * PAGE_SIZE, 0));
	KUNIT_EXPECT_NULL(test,
			  kimage_find_dest(image, TEST_DEST + 10 * PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kimage_find_dest(image, top - 2 * PAGE_SIZE));
	KUNIT_EXPECT_TRUE(test, dest_is_segment(image, top - PAGE_SIZE, 4));
	KUNIT_EXPECT_NULL(test, kimage_find_dest(image, top));

	/* Each range's pages have their own bits, in segment order. */
	KUNIT_EXPECT_EQ(test, image->dest[1].first_bit, 2UL);
	KUNIT_EXPECT_EQ(test, image->dest[4].first_bit, 7UL);
	kimage_free(image);
}

static void staged_slot_found_across_indirection_pages(struct kunit *test)
{
	unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
	unsigned long pages = per_page + 50, found = 0;
	struct kimage_segment s[2] = {
		seg(TEST_DEST, 3 * PAGE_SIZE, 0),
		seg(TEST_DEST + 8 * PAGE_SIZE, pages * PAGE_SIZE, 0),
	};
	unsigned long dest = 0, end = s[1].mem + s[1].memsz;
	struct kimage_dest *d;
	struct kimage *image;
	unsigned long *ptr;

	image = test_image(test, s, 2);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 1, NULL), 0);
	d = &image->dest[1];
	KUNIT_EXPECT_EQ(test, d->nr_staged, pages);

	/* Every source slot of segment 1, past the chain link too. */
	for (ptr = &image->head; *ptr; ptr = kimage_next_entry(ptr)) {
		if (*ptr & IND_DESTINATION)
			dest = *ptr & PAGE_MASK;
		if (!(*ptr & IND_SOURCE))
			continue;
		if (dest >= s[1].mem && dest < end) {
			KUNIT_EXPECT_PTR_EQ(test, kimage_staged_slot(d, dest),
					    ptr);
			found++;
		}
		dest += PAGE_SIZE;
	}
	KUNIT_EXPECT_EQ(test, found, pages);
	KUNIT_EXPECT_NULL(test, kimage_staged_slot(d, end));
	kimage_terminate(image);
	KUNIT_EXPECT_NULL(test, image->held);
	kimage_free(image);
}

static void held_page_is_taken_once(struct kunit *test)
{
	struct kimage_segment s[2];
	struct kimage *image;
	struct page *page;
	phys_addr_t pa;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pa = page_to_phys(page);

	/* The page is the second page of segment 1's range. */
	s[0] = seg(TEST_DEST, 2 * PAGE_SIZE, 0);
	s[1] = seg(pa - PAGE_SIZE, 3 * PAGE_SIZE, 0);
	image = test_image(test, s, 2);
	KUNIT_EXPECT_NULL(test, kimage_take_held_page(image, pa));
	kimage_hold_page(image, &image->dest[1], page, pa);
	KUNIT_EXPECT_TRUE(test, test_bit(3, image->held));
	KUNIT_EXPECT_NULL(test, kimage_take_held_page(image, pa - PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kimage_take_held_page(image, pa + PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test, kimage_take_held_page(image, pa), page);
	KUNIT_EXPECT_NULL(test, kimage_take_held_page(image, pa));
	KUNIT_EXPECT_TRUE(test, list_empty(&image->dest_pages));

	/* Held again, it is freed with the image. */
	kimage_hold_page(image, &image->dest[1], page, pa);
	kimage_free(image);
}

static struct kunit_case kexec_mod_kimage_cases[] = {
	KUNIT_CASE(dest_lookup_at_range_edges),
	KUNIT_CASE(staged_slot_found_across_indirection_pages),
	KUNIT_CASE(held_page_is_taken_once),
	KUNIT_CASE(control_page_skips_destinations),
	KUNIT_CASE(list_for_small_image),
	KUNIT_CASE(list_chains_indirection_pages),
	KUNIT_CASE(staging_uses_destination_in_place),
	KUNIT_CASE(staging_swaps_late_destination_page),
	KUNIT_CASE(staging_many_destination_pages_is_safe),
	KUNIT_CASE(staging_short_buffer_faults),
	{}
};

static struct kunit_suite kexec_mod_kimage_suite = {
	.name = "kexec_mod_kimage",
	.test_cases = kexec_mod_kimage_cases,
};

kunit_test_suites(&kexec_mod_check_suite, &kexec_mod_machine_suite,
		  &kexec_mod_kimage_suite);

MODULE_DESCRIPTION("KUnit tests for kexec_mod's image staging");
MODULE_LICENSE("GPL");
