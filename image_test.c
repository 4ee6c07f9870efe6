// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the image core (image.c), and the home of
 * kexec_mod_kunit.ko's module information.  The functions under test come
 * from kexec_mod.ko, which exports them, static helpers included, to the
 * KUnit test namespace only, and only on a kernel with KUnit
 * (<kunit/visibility.h>): kexec_mod.ko must be loaded first.
 */

#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "image.h"
#include "kunit_test.h"
#include "machine_prepare.h"
#include "pages.h"

MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING);

/* An order the page allocator never hands out (renamed in 6.8). */
#ifdef MAX_PAGE_ORDER
#define TEST_NO_SUCH_ORDER	(MAX_PAGE_ORDER + 1)
#else
#define TEST_NO_SUCH_ORDER	MAX_ORDER
#endif

/* An image staged from kernel buffers; freed by the test's cleanup. */
static struct kexec_mod_image *test_image(struct kunit *test,
					  struct kexec_mod_segment *s, unsigned long nr)
{
	struct kexec_mod_image *image;

	image = kexec_mod_image_alloc(0x40008000, s, nr,
				      kexec_mod_arm_control_limit());
	KUNIT_ASSERT_NOT_NULL(test, image);
	return image;
}

static int test_stage(struct kexec_mod_image *image, unsigned long i, void *buf)
{
	struct kvec kv = { .iov_base = buf,
			   .iov_len = image->segment[i].bufsz };
	struct iov_iter iter;

	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, kv.iov_len);
	return kexec_mod_image_load_segment(image, i, &iter);
}

/* An indirection page, lowmem by rule. */
static void *test_page_of(unsigned long entry)
{
	return phys_to_virt(entry & PAGE_MASK);
}

/* A copy of the source page of @entry, which may be highmem. */
static u8 *test_source_copy(struct kunit *test, unsigned long entry)
{
	u8 *copy = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	void *src;

	KUNIT_ASSERT_NOT_NULL(test, copy);
	src = kmap_local_page(pfn_to_page(PHYS_PFN(entry)));
	memcpy(copy, src, PAGE_SIZE);
	kunmap_local(src);
	return copy;
}

/* A block of 2^@order pages of @gfp, counted as image.c counts its own. */
static struct page *test_alloc_block(gfp_t gfp, unsigned int order)
{
	return kexec_mod_pages_alloc(gfp | __GFP_NOWARN, order,
				     KEXEC_MOD_PAGES_IMAGE);
}

/*
 * Make @block the one @image's next source pages come from, as image.c's
 * batch is after an allocation: split, its pages handed out in order.
 */
static void test_give_block(struct kexec_mod_image *image, struct page *block,
			    unsigned int order)
{
	split_page(block, order);
	image->batch = block;
	image->batch_left = 1U << order;
	image->batch_clear = false;
}

static void control_page_skips_destinations(struct kunit *test)
{
	struct kexec_mod_segment s[1];
	unsigned long tries, rejects = 0;

	/*
	 * The page just freed is the allocator's next answer on this CPU,
	 * so making it a destination forces at least one retry; migration
	 * to another CPU can spoil a round, hence a few rounds.
	 */
	for (tries = 0; tries < 10 && !rejects; tries++) {
		struct kexec_mod_image *image;
		phys_addr_t pa, cpa;

		pa = test_freed_page(test);

		s[0] = seg(pa, PAGE_SIZE, 0);
		image = test_image(test, s, 1);
		KUNIT_ASSERT_EQ(test, kexec_mod_image_alloc_control_page(image), 0);
		cpa = page_to_phys(image->control_page);
		KUNIT_EXPECT_NE(test, cpa, pa);
		KUNIT_EXPECT_LE(test, cpa + PAGE_SIZE, image->control_limit);
		KUNIT_EXPECT_FALSE(test, PageHighMem(image->control_page));
		rejects = image->nr_control_rejects;
		kexec_mod_image_free(image);
	}
	KUNIT_EXPECT_GE(test, rejects, 1UL);
	kunit_info(test, "forced retry after %lu round(s)\n", tries);
}

static void list_for_small_image(struct kunit *test)
{
	struct kexec_mod_segment s[2] = {
		seg(TEST_DEST, 2 * PAGE_SIZE, PAGE_SIZE + 10),
		seg(TEST_DEST + 8 * PAGE_SIZE, PAGE_SIZE, 0),
	};
	unsigned long *ind;
	struct kexec_mod_image *image;
	u8 *buf, *p;
	int i;

	buf = kunit_kmalloc(test, PAGE_SIZE + 10, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	for (i = 0; i < PAGE_SIZE + 10; i++)
		buf[i] = i * 7 + 1;

	image = test_image(test, s, 2);
	KUNIT_ASSERT_EQ(test, kexec_mod_image_alloc_control_page(image), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 1, NULL), 0);
	kexec_mod_image_terminate(image);

	KUNIT_EXPECT_EQ(test, image->head & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_INDIRECTION);
	ind = test_page_of(image->head);
	KUNIT_EXPECT_EQ(test, ind[0], TEST_DEST | KEXEC_MOD_IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[1] & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[2] & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[3],
			(TEST_DEST + 8 * PAGE_SIZE) | KEXEC_MOD_IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[4] & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[5], (unsigned long)KEXEC_MOD_IND_DONE);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, 3UL);

	/* Buffer bytes first, zeroes up to memsz. */
	p = test_source_copy(test, ind[1]);
	KUNIT_EXPECT_EQ(test, memcmp(p, buf, PAGE_SIZE), 0);
	p = test_source_copy(test, ind[2]);
	KUNIT_EXPECT_EQ(test, memcmp(p, buf + PAGE_SIZE, 10), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p + 10, 0, PAGE_SIZE - 10), NULL);
	p = test_source_copy(test, ind[4]);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(p, 0, PAGE_SIZE), NULL);
	kexec_mod_image_free(image);
}

/* Staged bytes read back across a page boundary, and nothing past them. */
static void read_returns_staged_bytes(struct kunit *test)
{
	struct kexec_mod_segment s[1] = {
		seg(TEST_DEST, 3 * PAGE_SIZE, 2 * PAGE_SIZE + 10),
	};
	struct kexec_mod_image *image;
	u8 *buf, *out;
	int i;

	buf = kunit_kmalloc(test, 2 * PAGE_SIZE + 10, GFP_KERNEL);
	out = kunit_kzalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 0; i < 2 * PAGE_SIZE + 10; i++)
		buf[i] = i * 13 + 5;

	image = test_image(test, s, 1);
	KUNIT_ASSERT_EQ(test, kexec_mod_image_alloc_control_page(image), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	kexec_mod_image_terminate(image);
	/* What the user's buffer holds now does not matter any more. */
	memset(buf, 0, 2 * PAGE_SIZE + 10);

	KUNIT_EXPECT_EQ(test, kexec_mod_image_read(image, 0, PAGE_SIZE - 3,
						   out, PAGE_SIZE + 13), 0);
	for (i = 0; i < PAGE_SIZE + 13; i++)
		if (out[i] != (u8)((PAGE_SIZE - 3 + i) * 13 + 5))
			break;
	KUNIT_EXPECT_EQ(test, i, (int)PAGE_SIZE + 13);
	KUNIT_EXPECT_EQ(test, kexec_mod_image_read(image, 0, 2 * PAGE_SIZE + 10,
						   out, PAGE_SIZE - 10), 0);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(out, 0, PAGE_SIZE - 10), NULL);
	KUNIT_EXPECT_EQ(test, kexec_mod_image_read(image, 0, 3 * PAGE_SIZE - 1,
						   out, 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, kexec_mod_image_read(image, 0, 4 * PAGE_SIZE,
						   out, 0), -EINVAL);
	kexec_mod_image_free(image);
}

static void list_chains_indirection_pages(struct kunit *test)
{
	unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
	unsigned long pages = per_page + 50, sources = 0;
	struct kexec_mod_segment s[1] = { seg(TEST_DEST, pages * PAGE_SIZE, 0) };
	unsigned long *ind, *ptr;
	struct kexec_mod_image *image;
	unsigned long dest = 0;

	image = test_image(test, s, 1);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, NULL), 0);
	kexec_mod_image_terminate(image);

	/* First page: a destination, per_page - 2 sources, the chain link. */
	ind = test_page_of(image->head);
	KUNIT_EXPECT_EQ(test, ind[0], TEST_DEST | KEXEC_MOD_IND_DESTINATION);
	KUNIT_EXPECT_EQ(test, ind[per_page - 2] & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_SOURCE);
	KUNIT_EXPECT_EQ(test, ind[per_page - 1] & ~PAGE_MASK,
			(unsigned long)KEXEC_MOD_IND_INDIRECTION);

	/* Walk it the way the stub does and count what it would copy. */
	for (ptr = &image->head; !(*ptr & KEXEC_MOD_IND_DONE);
	     ptr = kexec_mod_image_next_entry(ptr)) {
		KUNIT_ASSERT_NE(test, *ptr, 0UL);
		if (*ptr & KEXEC_MOD_IND_DESTINATION) {
			dest = *ptr & PAGE_MASK;
		} else if (*ptr & KEXEC_MOD_IND_SOURCE) {
			KUNIT_EXPECT_EQ(test, dest, TEST_DEST + sources * PAGE_SIZE);
			dest += PAGE_SIZE;
			sources++;
		}
	}
	KUNIT_EXPECT_EQ(test, sources, pages);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, pages);
	kexec_mod_image_free(image);
}

/*
 * Check what the stub relies on: every source page is its own destination
 * or nobody's, and holds the bytes its destination should get.
 */
static void expect_list_safe(struct kunit *test, struct kexec_mod_image *image,
			     u8 (*pattern)(unsigned long dest))
{
	unsigned long dest = 0;
	unsigned long *ptr;

	for (ptr = &image->head; !(*ptr & KEXEC_MOD_IND_DONE);
	     ptr = kexec_mod_image_next_entry(ptr)) {
		unsigned long pa = *ptr & PAGE_MASK;
		bool is_dest;

		KUNIT_ASSERT_NE(test, *ptr, 0UL);
		is_dest = kexec_mod_image_find_dest(image, pa);
		if (*ptr & KEXEC_MOD_IND_INDIRECTION)
			KUNIT_EXPECT_FALSE(test, is_dest);
		if (*ptr & KEXEC_MOD_IND_DESTINATION)
			dest = pa;
		if (!(*ptr & KEXEC_MOD_IND_SOURCE))
			continue;
		if (pa != dest)
			KUNIT_EXPECT_FALSE(test, is_dest);
		KUNIT_EXPECT_EQ(test, *test_source_copy(test, *ptr),
				pattern(dest));
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

/* A kernel buffer of @pages pages holding pattern_of() for @dest on. */
static u8 *test_pattern_buf(struct kunit *test, unsigned long dest,
			    size_t pages)
{
	u8 *buf = kunit_kmalloc(test, pages * PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	fill_pattern(buf, dest, pages);
	return buf;
}

static void staging_uses_destination_in_place(struct kunit *test)
{
	unsigned long tries, in_place = 0;
	u8 *buf;

	buf = kunit_kmalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);

	for (tries = 0; tries < 10 && !in_place; tries++) {
		struct kexec_mod_segment s[1];
		struct kexec_mod_image *image;
		phys_addr_t pa;

		/* The next page handed out is the destination itself. */
		pa = test_freed_page(test);

		s[0] = seg(pa, PAGE_SIZE, PAGE_SIZE);
		fill_pattern(buf, pa, 1);
		image = test_image(test, s, 1);
		/* Single pages, so that the freed one comes back. */
		image->batch_order = 0;
		KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
		kexec_mod_image_terminate(image);
		expect_list_safe(test, image, pattern_of);
		in_place = image->nr_in_place;
		kexec_mod_image_free(image);
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
		struct kexec_mod_segment s[2];
		struct page *ind, *src, *dst;
		struct kexec_mod_image *image;
		phys_addr_t d;

		/* Each from where staging takes it: highmem, if any, for sources. */
		ind = alloc_page(GFP_KERNEL);
		src = alloc_page(KEXEC_MOD_GFP_SOURCE);
		dst = alloc_page(KEXEC_MOD_GFP_SOURCE);
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
		image->batch_order = 0;
		KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
		KUNIT_ASSERT_EQ(test, test_stage(image, 1, buf + PAGE_SIZE), 0);
		kexec_mod_image_terminate(image);
		expect_list_safe(test, image, pattern_of);
		swapped = image->nr_swapped;
		kexec_mod_image_free(image);
	}
	KUNIT_EXPECT_GE(test, swapped, 1UL);
	kunit_info(test, "swap seen after %lu round(s)\n", tries);
}

static void staging_many_destination_pages_is_safe(struct kunit *test)
{
	enum { NR = KEXEC_SEGMENT_MAX, PER = 4 };
	struct kexec_mod_segment s[NR];
	struct page *pages[NR * PER];
	struct kexec_mod_image *image;
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
	KUNIT_ASSERT_EQ(test, kexec_mod_image_alloc_control_page(image), 0);
	for (i = 0; i < NR; i++)
		KUNIT_ASSERT_EQ(test, test_stage(image, i, buf + i * PAGE_SIZE),
				0);
	kexec_mod_image_terminate(image);
	expect_list_safe(test, image, pattern_of);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, (unsigned long)NR);
	kunit_info(test, "in place %lu, swapped %lu, control rejects %lu\n",
		   image->nr_in_place, image->nr_swapped,
		   image->nr_control_rejects);
	kexec_mod_image_free(image);
}

static void staging_short_buffer_faults(struct kunit *test)
{
	struct kexec_mod_segment s[1] = {
		seg(TEST_DEST, 4 * PAGE_SIZE, 3 * PAGE_SIZE),
	};
	struct iov_iter iter;
	struct kexec_mod_image *image;
	struct kvec kv;
	long before;
	u8 *buf;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	kv.iov_base = buf;
	kv.iov_len = PAGE_SIZE;
	iov_iter_kvec(&iter, ITER_SOURCE, &kv, 1, PAGE_SIZE);

	/* The half-built list must still be freed completely. */
	before = kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE);
	image = test_image(test, s, 1);
	image->batch_order = 0;
	KUNIT_EXPECT_EQ(test, kexec_mod_image_load_segment(image, 0, &iter),
			-EFAULT);
	/*
	 * The second page is where the buffer ends; the fault shows when its
	 * run is filled, at the latest with the segment's last page.
	 */
	KUNIT_EXPECT_GE(test, image->nr_source_pages, 2UL);
	KUNIT_EXPECT_LE(test, image->nr_source_pages, 4UL);
	/* The sources and the indirection page are counted, and all go. */
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before + image->nr_source_pages + 1);
	kexec_mod_image_free(image);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before);
}

/*
 * A staged page whose content is still due from the run is moved into
 * its destination page: the run is filled first.  The block is the
 * segment's own range shifted by one page, so that each page after the
 * first comes out of the allocator as the destination staged just before.
 */
static void staging_fills_run_before_swap(struct kunit *test)
{
	struct kexec_mod_segment s[1];
	struct kexec_mod_image *image;
	struct page *block;
	phys_addr_t pa;
	u8 *buf;

	buf = kunit_kmalloc(test, 3 * PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	block = test_alloc_block(GFP_KERNEL, 2);
	KUNIT_ASSERT_NOT_NULL(test, block);
	pa = page_to_phys(block);

	/* Destinations: pages 1 to 3 of the block; page 0 is a plain source. */
	s[0] = seg(pa + PAGE_SIZE, 3 * PAGE_SIZE, 3 * PAGE_SIZE);
	image = test_image(test, s, 1);
	test_give_block(image, block, 2);
	fill_pattern(buf, pa + PAGE_SIZE, 3);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	kexec_mod_image_terminate(image);
	expect_list_safe(test, image, pattern_of);
	KUNIT_EXPECT_EQ(test, image->nr_swapped, 2UL);
	KUNIT_EXPECT_EQ(test, image->nr_in_place, 2UL);
	kexec_mod_image_free(image);
}

/* What a block had to spare when the image is complete goes back. */
static void staging_returns_spare_block_pages(struct kunit *test)
{
	enum { PAGES = 3, ORDER = 3 };
	struct kexec_mod_segment s[1] = {
		seg(TEST_DEST, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE),
	};
	struct kexec_mod_image *image;
	struct page *block;
	long before;
	u8 *buf;

	buf = test_pattern_buf(test, TEST_DEST, PAGES);
	before = kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE);
	block = test_alloc_block(KEXEC_MOD_GFP_SOURCE, ORDER);
	KUNIT_ASSERT_NOT_NULL(test, block);
	image = test_image(test, s, 1);
	test_give_block(image, block, ORDER);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	KUNIT_EXPECT_EQ(test, image->batch_left, (1U << ORDER) - PAGES);
	kexec_mod_image_terminate(image);
	expect_list_safe(test, image, pattern_of);
	KUNIT_EXPECT_EQ(test, image->batch_left, 0U);
	/* The sources and the indirection page are all it holds. */
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before + PAGES + 1);
	kexec_mod_image_free(image);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before);
}

/*
 * A block the allocator does not have (an order it never hands out, a
 * real failure of the no-retry request) leaves staging to single pages.
 */
static void staging_without_blocks_takes_single_pages(struct kunit *test)
{
	enum { PAGES = 8 };
	struct kexec_mod_segment s[1] = {
		seg(TEST_DEST, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE),
	};
	struct kexec_mod_image *image;
	long before;
	u8 *buf;

	buf = test_pattern_buf(test, TEST_DEST, PAGES);
	before = kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE);
	image = test_image(test, s, 1);
	image->batch_order = TEST_NO_SUCH_ORDER;
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	/* Nothing held to spare, even before the end. */
	KUNIT_EXPECT_EQ(test, image->batch_left, 0U);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before + PAGES + 1);
	kexec_mod_image_terminate(image);
	expect_list_safe(test, image, pattern_of);
	KUNIT_EXPECT_EQ(test, image->nr_source_pages, (unsigned long)PAGES);
	kexec_mod_image_free(image);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			before);
}

/* Highmem pages are sources like any other, filled through a mapping. */
static void staging_accepts_highmem_sources(struct kunit *test)
{
	enum { PAGES = 4 };
	struct kexec_mod_segment s[1] = {
		seg(TEST_DEST, PAGES * PAGE_SIZE, PAGES * PAGE_SIZE - 10),
	};
	struct kexec_mod_image *image;
	unsigned long *ind;
	struct page *block;
	u8 *buf;
	int i;

	buf = test_pattern_buf(test, TEST_DEST, PAGES);
	block = test_alloc_block(GFP_HIGHUSER, 2);
	KUNIT_ASSERT_NOT_NULL(test, block);
	if (!PageHighMem(block)) {
		kexec_mod_pages_free(block, 2, KEXEC_MOD_PAGES_IMAGE);
		kunit_skip(test, "no highmem page to be had on this kernel");
	}
	image = test_image(test, s, 1);
	test_give_block(image, block, 2);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, buf), 0);
	kexec_mod_image_terminate(image);
	ind = test_page_of(image->head);
	for (i = 0; i < PAGES; i++)
		KUNIT_EXPECT_EQ(test, ind[1 + i] & PAGE_MASK,
				(unsigned long)page_to_phys(nth_page(block, i)));
	expect_list_safe(test, image, pattern_of);
	/* The zeroes past the buffer's end, in the last highmem page. */
	buf = test_source_copy(test, ind[PAGES]);
	KUNIT_EXPECT_PTR_EQ(test, memchr_inv(buf + PAGE_SIZE - 10, 0, 10), NULL);
	kexec_mod_image_free(image);
}

/* The stub's words are 32-bit: a page past 4 GiB is never a source. */
static void source_limit_is_4g(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kexec_mod_image_phys_addressable(0));
	KUNIT_EXPECT_TRUE(test,
			  kexec_mod_image_phys_addressable(0xfffff000UL));
#ifdef CONFIG_PHYS_ADDR_T_64BIT
	/* Only LPAE has physical addresses past 4 GiB. */
	KUNIT_EXPECT_FALSE(test, kexec_mod_image_phys_addressable(SZ_4G));
	KUNIT_EXPECT_FALSE(test,
			   kexec_mod_image_phys_addressable(0x8fffff000ULL));
#endif
}

/* The segment whose range find_dest() says holds @pa, or -1 for none. */
static long dest_segment_of(struct kexec_mod_image *image, phys_addr_t pa)
{
	struct kexec_mod_dest *d = kexec_mod_image_find_dest(image, pa);

	return d ? d - image->dest : -1;
}

static void dest_lookup_at_range_edges(struct kunit *test)
{
	const unsigned long top = ULONG_MAX & PAGE_MASK;
	struct kexec_mod_segment s[5] = {
		seg(TEST_DEST + 8 * PAGE_SIZE, 2 * PAGE_SIZE, 0),
		seg(TEST_DEST, 4 * PAGE_SIZE, 0),
		seg(TEST_DEST + 4 * PAGE_SIZE, PAGE_SIZE, 0),	/* adjacent */
		seg(TEST_DEST + 6 * PAGE_SIZE, 0, 0),		/* empty */
		seg(top - PAGE_SIZE, PAGE_SIZE, 0),		/* at the top */
	};
	/* Page addresses and the segment each lies in (-1: none). */
	const struct {
		unsigned long pa;
		long segment;
	} cases[] = {
		{ 0, -1 },
		{ TEST_DEST - PAGE_SIZE, -1 },
		{ TEST_DEST, 1 },
		{ TEST_DEST + 3 * PAGE_SIZE, 1 },
		{ TEST_DEST + 4 * PAGE_SIZE, 2 },
		{ TEST_DEST + 5 * PAGE_SIZE, -1 },
		{ TEST_DEST + 6 * PAGE_SIZE, -1 },
		{ TEST_DEST + 7 * PAGE_SIZE, -1 },
		{ TEST_DEST + 8 * PAGE_SIZE, 0 },
		{ TEST_DEST + 9 * PAGE_SIZE, 0 },
		{ TEST_DEST + 10 * PAGE_SIZE, -1 },
		{ top - 2 * PAGE_SIZE, -1 },
		{ top - PAGE_SIZE, 4 },
		{ top, -1 },
	};
	struct kexec_mod_image *image = test_image(test, s, 5);
	unsigned int i;

	KUNIT_EXPECT_EQ(test, image->nr_dests, 4UL);
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test, dest_segment_of(image, cases[i].pa),
				    cases[i].segment, "page %#lx", cases[i].pa);

	/* Each range's pages have their own bits, in segment order. */
	KUNIT_EXPECT_EQ(test, image->dest[1].first_bit, 2UL);
	KUNIT_EXPECT_EQ(test, image->dest[4].first_bit, 7UL);
	kexec_mod_image_free(image);
}

/* The overlap test of ranges of any size, as the copy table asks it. */
static void overlap_of_ranges_at_edges(struct kunit *test)
{
	unsigned long top = ULONG_MAX & PAGE_MASK;
	struct kexec_mod_segment s[3] = {
		seg(TEST_DEST + 8 * PAGE_SIZE, 2 * PAGE_SIZE, 0),
		seg(TEST_DEST, 4 * PAGE_SIZE, 0),
		seg(top - PAGE_SIZE, PAGE_SIZE, 0),
	};
	struct kexec_mod_image *image = test_image(test, s, 3);

	/* Ending where a range starts, starting where one ends: apart. */
	KUNIT_EXPECT_FALSE(test, kexec_mod_image_overlaps(image, 0, TEST_DEST));
	KUNIT_EXPECT_FALSE(test,
			   kexec_mod_image_overlaps(image,
						    TEST_DEST + 4 * PAGE_SIZE,
						    4 * PAGE_SIZE));
	/* One byte in is enough; so is spanning a whole range. */
	KUNIT_EXPECT_TRUE(test, kexec_mod_image_overlaps(image, 0,
							 TEST_DEST + 1));
	KUNIT_EXPECT_TRUE(test,
			  kexec_mod_image_overlaps(image,
						   TEST_DEST + 4 * PAGE_SIZE,
						   4 * PAGE_SIZE + 1));
	KUNIT_EXPECT_TRUE(test,
			  kexec_mod_image_overlaps(image,
						   TEST_DEST + 3 * PAGE_SIZE,
						   SZ_16K));
	KUNIT_EXPECT_TRUE(test, kexec_mod_image_overlaps(image, TEST_DEST - 1,
							 SZ_1M));
	KUNIT_EXPECT_FALSE(test,
			   kexec_mod_image_overlaps(image,
						    TEST_DEST + 10 * PAGE_SIZE,
						    SZ_16K));
	/* The last page of the 32-bit space, with a range ending at 4 GiB. */
	KUNIT_EXPECT_TRUE(test, kexec_mod_image_overlaps(image, top - SZ_16K,
							 SZ_16K));
	KUNIT_EXPECT_FALSE(test,
			   kexec_mod_image_overlaps(image, top - SZ_16K,
						    SZ_16K - PAGE_SIZE));
	kexec_mod_image_free(image);
}

static bool never_fits(struct page *page, void *arg)
{
	return false;
}

static bool fits_second(struct page *page, void *arg)
{
	unsigned int *calls = arg;

	return ++*calls == 2;
}

/*
 * The search holds at most its bound of misfits and frees them all; the
 * block it returns is counted under the purpose asked for, the misfits
 * under KEXEC_MOD_PAGES_SEARCH only while it runs.
 */
static void alloc_fitting_gives_up_at_its_bound(struct kunit *test)
{
	long image = kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE);
	long search = kexec_mod_pages_count(KEXEC_MOD_PAGES_SEARCH);
	unsigned long misfits = 0;
	unsigned int calls = 0;
	struct page *page;

	KUNIT_EXPECT_NULL(test, kexec_mod_alloc_fitting(0, 3, never_fits,
							NULL, &misfits,
							KEXEC_MOD_PAGES_IMAGE));
	KUNIT_EXPECT_EQ(test, misfits, 3UL);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_SEARCH),
			search);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			image);

	misfits = 0;
	page = kexec_mod_alloc_fitting(2, 3, fits_second, &calls, &misfits,
				       KEXEC_MOD_PAGES_IMAGE);
	KUNIT_ASSERT_NOT_NULL(test, page);
	KUNIT_EXPECT_EQ(test, calls, 2U);
	KUNIT_EXPECT_EQ(test, misfits, 1UL);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_SEARCH),
			search);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			image + 4);
	kexec_mod_pages_free(page, 2, KEXEC_MOD_PAGES_IMAGE);
	KUNIT_EXPECT_EQ(test, kexec_mod_pages_count(KEXEC_MOD_PAGES_IMAGE),
			image);
}

static void staged_slot_found_across_indirection_pages(struct kunit *test)
{
	unsigned long per_page = PAGE_SIZE / sizeof(unsigned long);
	unsigned long pages = per_page + 50, found = 0;
	struct kexec_mod_segment s[2] = {
		seg(TEST_DEST, 3 * PAGE_SIZE, 0),
		seg(TEST_DEST + 8 * PAGE_SIZE, pages * PAGE_SIZE, 0),
	};
	unsigned long dest = 0, end = s[1].mem + s[1].memsz;
	struct kexec_mod_dest *d;
	struct kexec_mod_image *image;
	unsigned long *ptr;

	image = test_image(test, s, 2);
	KUNIT_ASSERT_EQ(test, test_stage(image, 0, NULL), 0);
	KUNIT_ASSERT_EQ(test, test_stage(image, 1, NULL), 0);
	d = &image->dest[1];
	KUNIT_EXPECT_EQ(test, d->nr_staged, pages);

	/* Every source slot of segment 1, past the chain link too. */
	for (ptr = &image->head; *ptr; ptr = kexec_mod_image_next_entry(ptr)) {
		if (*ptr & KEXEC_MOD_IND_DESTINATION)
			dest = *ptr & PAGE_MASK;
		if (!(*ptr & KEXEC_MOD_IND_SOURCE))
			continue;
		if (dest >= s[1].mem && dest < end) {
			KUNIT_EXPECT_PTR_EQ(test, kexec_mod_image_staged_slot(d, dest),
					    ptr);
			found++;
		}
		dest += PAGE_SIZE;
	}
	KUNIT_EXPECT_EQ(test, found, pages);
	KUNIT_EXPECT_NULL(test, kexec_mod_image_staged_slot(d, end));
	kexec_mod_image_terminate(image);
	KUNIT_EXPECT_NULL(test, image->held);
	kexec_mod_image_free(image);
}

static void held_page_is_taken_once(struct kunit *test)
{
	struct kexec_mod_segment s[2];
	struct kexec_mod_image *image;
	struct page *page;
	phys_addr_t pa;

	page = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, page);
	pa = page_to_phys(page);

	/* The page is the second page of segment 1's range. */
	s[0] = seg(TEST_DEST, 2 * PAGE_SIZE, 0);
	s[1] = seg(pa - PAGE_SIZE, 3 * PAGE_SIZE, 0);
	image = test_image(test, s, 2);
	KUNIT_EXPECT_NULL(test, kexec_mod_image_take_held_page(image, pa));
	kexec_mod_image_hold_page(image, &image->dest[1], page, pa);
	KUNIT_EXPECT_TRUE(test, test_bit(3, image->held));
	KUNIT_EXPECT_NULL(test, kexec_mod_image_take_held_page(image, pa - PAGE_SIZE));
	KUNIT_EXPECT_NULL(test, kexec_mod_image_take_held_page(image, pa + PAGE_SIZE));
	KUNIT_EXPECT_PTR_EQ(test, kexec_mod_image_take_held_page(image, pa), page);
	KUNIT_EXPECT_NULL(test, kexec_mod_image_take_held_page(image, pa));
	KUNIT_EXPECT_TRUE(test, list_empty(&image->dest_pages));

	/* Held again, it is freed with the image. */
	kexec_mod_image_hold_page(image, &image->dest[1], page, pa);
	kexec_mod_image_free(image);
}

static struct kunit_case kexec_mod_image_cases[] = {
	KUNIT_CASE(dest_lookup_at_range_edges),
	KUNIT_CASE(overlap_of_ranges_at_edges),
	KUNIT_CASE(alloc_fitting_gives_up_at_its_bound),
	KUNIT_CASE(staged_slot_found_across_indirection_pages),
	KUNIT_CASE(held_page_is_taken_once),
	KUNIT_CASE(control_page_skips_destinations),
	KUNIT_CASE(list_for_small_image),
	KUNIT_CASE(read_returns_staged_bytes),
	KUNIT_CASE(list_chains_indirection_pages),
	KUNIT_CASE(staging_uses_destination_in_place),
	KUNIT_CASE(staging_swaps_late_destination_page),
	KUNIT_CASE(staging_many_destination_pages_is_safe),
	KUNIT_CASE(staging_short_buffer_faults),
	KUNIT_CASE(staging_fills_run_before_swap),
	KUNIT_CASE(staging_returns_spare_block_pages),
	KUNIT_CASE(staging_without_blocks_takes_single_pages),
	KUNIT_CASE(staging_accepts_highmem_sources),
	KUNIT_CASE(source_limit_is_4g),
	{}
};

static struct kunit_suite kexec_mod_image_suite = {
	.name = "kexec_mod_image",
	.test_cases = kexec_mod_image_cases,
};

kunit_test_suites(&kexec_mod_image_suite);

MODULE_DESCRIPTION("KUnit tests for kexec_mod's checks and image staging");
MODULE_LICENSE("GPL");
