// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_mod image core, the part of kernel/kexec_core.c a load needs:
 * the control page, staging the segments page by page and the entry list
 * the relocation stub walks.  The segments were checked before
 * (segment_check.c).  Nothing here is specific to ARM; the machine code
 * hands in the control page limit and fills in the boot parameters.
 */

#include <kunit/visibility.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/swap.h>
#include <linux/uio.h>

#include "image.h"
#include "pages.h"

/* Passed as destination when a page will never be copied anywhere. */
#define IMAGE_NO_DEST		(~0UL)

/* Entries of one indirection page; the last one chains or ends. */
#define IMAGE_ENTRIES_PER_PAGE	(PAGE_SIZE / sizeof(unsigned long))

/*
 * How many misfits a search for a fitting block may hold on top of one
 * per destination page: those that fail for another reason than being a
 * destination (above a limit, outside a mapping).  16384 pages are 64 MiB,
 * far more than a machine with room for the image has in the way, and
 * little enough that a hopeless search gives up before it starves the
 * rest of the system.
 */
#define IMAGE_SPARE_TRIES	16384UL

/*
 * An image too large for the memory there is fails the load with ENOMEM
 * once reclaim gives up; it must never make the OOM killer pick a
 * process to die for it.  The list pages are written through the linear
 * map, so they are lowmem.  Source pages come from KEXEC_MOD_GFP_SOURCE
 * (image.h); where that is lowmem alone (LPAE), without a hard reclaim
 * and up to a budget (image_lowmem_budget()), then from highmem
 * (IMAGE_GFP_SPILL) with it.
 */
#define IMAGE_GFP_LIST		(GFP_KERNEL | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)
#define IMAGE_SPILLS		(!(KEXEC_MOD_GFP_SOURCE & __GFP_HIGHMEM))
#define IMAGE_GFP_SOURCE	(KEXEC_MOD_GFP_SOURCE | __GFP_NOWARN | \
				 (IMAGE_SPILLS ? __GFP_NORETRY :	\
						 __GFP_RETRY_MAYFAIL))
#define IMAGE_GFP_SPILL		(GFP_HIGHUSER | __GFP_RETRY_MAYFAIL | __GFP_NOWARN)

/*
 * Source pages are taken from blocks of 2^IMAGE_BATCH_ORDER pages where
 * the allocator has one free at once: one allocation per 64 KiB instead
 * of one a page, and a run of pages the copy fills in one go.  Without
 * direct reclaim or compaction, so that a fragmented or tight machine
 * pays nothing for the attempt and stages page by page as before.
 */
#define IMAGE_BATCH_ORDER	4
#define IMAGE_GFP_BATCH(gfp)	(((gfp) & ~(__GFP_DIRECT_RECLAIM |	\
					    __GFP_RETRY_MAYFAIL)) |	\
				 __GFP_NORETRY)

/*
 * Where lowmem comes first (IMAGE_SPILLS), an image takes at most half
 * of the lowmem free when its load starts: the rest of the system lives
 * on lowmem (page tables, slab), and a machine whose lowmem an image
 * holds is one allocation away from the OOM killer.
 */
static unsigned long image_lowmem_budget(void)
{
	struct sysinfo si;

	if (!IMAGE_SPILLS)
		return 0;
	si_meminfo(&si);
	return (si.freeram - si.freehigh) / 2;
}

/*
 * Staging asks "is this page a destination, whose, and is it staged
 * yet?" for every page the allocator hands out.  Walking the segments or
 * the entry list for that makes a load quadratic in the image size, so
 * the ranges are sorted once here and looked up by binary search.
 * Ranges are not merged: each keeps its own segment's staging state.
 */
static void image_dests_init(struct kexec_mod_image *image)
{
	unsigned long bit = 0;
	unsigned long i, j;

	for (i = 0; i < image->nr_segments; i++) {
		struct kexec_mod_dest *d = &image->dest[i];

		d->start = image->segment[i].mem;
		d->end = d->start + image->segment[i].memsz;
		d->first_bit = bit;
		bit += kexec_mod_pages_of(image->segment[i].memsz);
		if (d->start == d->end)
			continue;

		/* Insertion sort: there are at most KEXEC_SEGMENT_MAX. */
		for (j = image->nr_dests;
		     j > 0 && image->dest[image->dest_order[j - 1]].start > d->start;
		     j--)
			image->dest_order[j] = image->dest_order[j - 1];
		image->dest_order[j] = i;
		image->nr_dests++;
	}
}

/*
 * The module's one overlap test: the index into @image->dest of a
 * destination range that overlaps [@start, @last], or -1.  The ranges do
 * not overlap each other (kexec_mod_check_segments()), so sorted by
 * start they are sorted by end too: a binary search that stops at the
 * first range it meets.  A page meets at most one.  phys_addr_t and an
 * inclusive last byte keep the staging loop's comparisons 32-bit without
 * LPAE and free of overflow.
 */
static long image_dest_lookup(const struct kexec_mod_image *image,
			      phys_addr_t start, phys_addr_t last)
{
	unsigned long lo = 0, hi = image->nr_dests;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		unsigned long i = image->dest_order[mid];
		const struct kexec_mod_dest *d = &image->dest[i];

		if (last < d->start)
			hi = mid;
		else if (start >= d->end)
			lo = mid + 1;
		else
			return i;
	}
	return -1;
}

/**
 * kexec_mod_image_overlaps() - whether a physical range meets a destination
 * @image: the image
 * @start: physical address of the range
 * @size: its size in bytes
 *
 * Return: true when any byte of the range is some segment's destination.
 */
bool kexec_mod_image_overlaps(const struct kexec_mod_image *image,
			      phys_addr_t start, size_t size)
{
	return size && image_dest_lookup(image, start, start + size - 1) >= 0;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_overlaps);

/*
 * The destination range holding physical address @pa, or NULL.  Ranges
 * are page aligned, so a page overlaps a destination exactly when its
 * first byte is inside one.
 */
static struct kexec_mod_dest *image_find_dest(struct kexec_mod_image *image,
					      phys_addr_t pa)
{
	long i = image_dest_lookup(image, pa, pa + PAGE_SIZE - 1);

	return i < 0 ? NULL : &image->dest[i];
}

/* Index of the page at @pa inside range @d. */
static unsigned long image_dest_index(const struct kexec_mod_dest *d,
				      phys_addr_t pa)
{
	return (pa - d->start) >> PAGE_SHIFT;
}

/**
 * kexec_mod_image_alloc() - allocate an empty image
 * @entry: physical entry point of the new kernel
 * @segments: segments already checked by kexec_mod_check_segments()
 * @nr_segments: number of segments
 * @control_limit: exclusive upper bound of the control page's physical
 *	range
 *
 * Stands in for the kernel's kimage_alloc_init() and
 * kimage_normal_alloc(), without the control page (allocated later, once
 * the ARM checks passed).
 *
 * Return: the image, or NULL when out of memory.
 */
struct kexec_mod_image *
kexec_mod_image_alloc(unsigned long entry,
		      const struct kexec_mod_segment *segments,
		      unsigned long nr_segments, phys_addr_t control_limit)
{
	struct kexec_mod_image *image;
	unsigned long i;

	image = kzalloc(sizeof(*image), GFP_KERNEL);
	if (!image)
		return NULL;

	image->start = entry;
	image->nr_segments = nr_segments;
	memcpy(image->segment, segments, nr_segments * sizeof(*segments));
	image->control_limit = control_limit;
	image->batch_order = IMAGE_BATCH_ORDER;
	image->low_budget = image_lowmem_budget();
	image_dests_init(image);

	/*
	 * One bit per destination page (2 KiB for a 64 MiB image), only for
	 * staging: kexec_mod_image_terminate() frees it before the image is
	 * loaded.
	 */
	for (i = 0; i < nr_segments; i++)
		image->nr_pages += kexec_mod_pages_of(segments[i].memsz);
	image->held = bitmap_zalloc(image->nr_pages, GFP_KERNEL);
	if (!image->held) {
		kfree(image);
		return NULL;
	}

	/* The first entry written allocates the first indirection page. */
	image->head = 0;
	image->entry = &image->head;
	image->last_entry = &image->head;
	INIT_LIST_HEAD(&image->dest_pages);
	INIT_LIST_HEAD(&image->unusable_pages);
	return image;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_alloc);

/*
 * The stub holds physical addresses in 32-bit words, so every page it
 * reads must have one that fits an entry: on LPAE, RAM above 4 GiB is out
 * and is retried, as the kernel's KEXEC_SOURCE_MEMORY_LIMIT has it.
 * Highmem below that is fine for the stub (it copies by physical address,
 * through a 1:1 table with the MMU on) and for the kernel, which writes
 * such a page through kmap_local_page().
 */
/**
 * kexec_mod_image_phys_addressable() - whether the stub can read a page
 * @pa: physical address of the page
 *
 * Return: true when the whole page lies below 4 GiB.
 */
bool kexec_mod_image_phys_addressable(phys_addr_t pa)
{
	return pa + PAGE_SIZE - 1 <= ULONG_MAX;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_phys_addressable);

static bool image_page_addressable(struct page *page)
{
	return kexec_mod_image_phys_addressable(page_to_phys(page));
}

/*
 * Whether every page of the block at @page can be handed out as it is:
 * addressable and nobody's destination.  Asked once a block, it spares
 * the staging loop the lookup of each page.
 */
static bool image_block_clear(const struct kexec_mod_image *image,
			      struct page *page, unsigned int order)
{
	struct page *last = nth_page(page, (1U << order) - 1);

	return image_page_addressable(last) &&
	       !kexec_mod_image_overlaps(image, page_to_phys(page),
					 PAGE_SIZE << order);
}

/* Where the next source pages come from: see IMAGE_GFP_SOURCE. */
static gfp_t image_source_gfp(const struct kexec_mod_image *image)
{
	return image->spilled ? IMAGE_GFP_SPILL : IMAGE_GFP_SOURCE;
}

/* Count @nr pages just taken; past the lowmem budget, go on in highmem. */
static void image_took(struct kexec_mod_image *image, unsigned long nr)
{
	if (!IMAGE_SPILLS || image->spilled)
		return;
	if (nr >= image->low_budget) {
		image->low_budget = 0;
		image->spilled = true;
		return;
	}
	image->low_budget -= nr;
}

/*
 * A source page on its own, when no block is to be had.  Where lowmem
 * comes first, its running out turns staging to highmem for the rest of
 * the image.
 */
static struct page *image_single_page(struct kexec_mod_image *image)
{
	struct page *page;

	page = kexec_mod_pages_alloc(image_source_gfp(image), 0,
				     KEXEC_MOD_PAGES_IMAGE);
	if (page) {
		image_took(image, 1);
		return page;
	}
	if (!IMAGE_SPILLS || image->spilled)
		return NULL;
	image->spilled = true;
	return kexec_mod_pages_alloc(IMAGE_GFP_SPILL, 0, KEXEC_MOD_PAGES_IMAGE);
}

/*
 * The next page of the current block, split into single pages, or a
 * single page when no block is free; @clear says whether its whole
 * block was found addressable and free of destinations.  The pages of a
 * block not handed out yet go back in image_batch_free().
 */
static struct page *image_batch_page(struct kexec_mod_image *image,
				     bool *clear)
{
	unsigned int order = image->batch_order;
	struct page *page;

	/*
	 * A block only where the segment needs all of it: what a block has
	 * left at the end of the load would go back page by page, to the
	 * per-CPU lists, where it counts as used until they drain (so would
	 * smaller blocks, which come from per-CPU lists of their own).
	 */
	if (image->want < 1UL << order)
		order = 0;
	if (!image->batch_left) {
		gfp_t gfp = IMAGE_GFP_BATCH(image_source_gfp(image));

		page = order ? kexec_mod_pages_alloc(gfp, order,
						     KEXEC_MOD_PAGES_IMAGE) :
			       NULL;
		if (!page)
			return image_single_page(image);
		split_page(page, order);
		image_took(image, 1UL << order);
		image->batch = page;
		image->batch_left = 1U << order;
		image->batch_clear = image_block_clear(image, page, order);
	}
	page = image->batch;
	*clear = image->batch_clear;
	image->batch = nth_page(page, 1);
	image->batch_left--;
	return page;
}

static void image_batch_free(struct kexec_mod_image *image)
{
	for (; image->batch_left; image->batch_left--) {
		kexec_mod_pages_free(image->batch, 0, KEXEC_MOD_PAGES_IMAGE);
		image->batch = nth_page(image->batch, 1);
	}
}

static void image_free_page_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		kexec_mod_pages_free(page, 0, KEXEC_MOD_PAGES_IMAGE);
	}
}

/**
 * kexec_mod_image_spare_tries() - a bound for kexec_mod_alloc_fitting()
 * @image: the image whose destinations are in the way
 *
 * Return: one try per destination page, and some to spare.
 */
unsigned long kexec_mod_image_spare_tries(const struct kexec_mod_image *image)
{
	return image->nr_pages + IMAGE_SPARE_TRIES;
}

/*
 * The control page survives until the stub has copied every segment, so
 * it must not be any segment's destination; the limit keeps its 1:1
 * mapping out of the way of the running kernel.
 */
static bool image_control_page_fits(struct page *page, void *arg)
{
	const struct kexec_mod_image *image = arg;
	phys_addr_t pa = page_to_phys(page);

	return !PageHighMem(page) && image_page_addressable(page) &&
	       pa + PAGE_SIZE <= image->control_limit &&
	       !kexec_mod_image_overlaps(image, pa, PAGE_SIZE);
}

/**
 * kexec_mod_image_alloc_control_page() - find the page the stub runs from
 * @image: image with its segments set
 *
 * Stands in for kimage_alloc_control_pages() with one page (ARM's
 * KEXEC_CONTROL_PAGE_SIZE is 4096 bytes), with the ARM upper bound on
 * top of the destination rule.
 *
 * Return: 0 or -ENOMEM.
 */
int kexec_mod_image_alloc_control_page(struct kexec_mod_image *image)
{
	image->control_page =
		kexec_mod_alloc_fitting(0, kexec_mod_image_spare_tries(image),
					image_control_page_fits, image,
					&image->nr_control_rejects,
					KEXEC_MOD_PAGES_IMAGE);
	return image->control_page ? 0 : -ENOMEM;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_alloc_control_page);

/**
 * kexec_mod_image_next_entry() - the slot after @ptr, following indirection
 * @ptr: a slot holding an entry that is neither 0 nor KEXEC_MOD_IND_DONE
 *
 * Return: the slot holding the entry the stub reads after *@ptr.
 */
unsigned long *kexec_mod_image_next_entry(unsigned long *ptr)
{
	if (*ptr & KEXEC_MOD_IND_INDIRECTION)
		return phys_to_virt(*ptr & PAGE_MASK);
	return ptr + 1;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_next_entry);

static bool image_entry_is_last(unsigned long entry)
{
	return !entry || (entry & KEXEC_MOD_IND_DONE);
}

/*
 * The slot @n data slots after @slot, stepping over the chain links.
 * The list is only ever appended to, so a slot once written stays put.
 */
static unsigned long *image_slot_advance(unsigned long *slot,
					 unsigned long n)
{
	unsigned long *ind = (unsigned long *)((unsigned long)slot & PAGE_MASK);
	unsigned long i = slot - ind + n;

	while (i >= IMAGE_ENTRIES_PER_PAGE - 1) {
		ind = phys_to_virt(ind[IMAGE_ENTRIES_PER_PAGE - 1] & PAGE_MASK);
		i -= IMAGE_ENTRIES_PER_PAGE - 1;
	}
	return ind + i;
}

/*
 * The slot of the source entry already staged for the page at @pa of
 * range @d, or NULL when that page is not staged yet.  A range's entries
 * are consecutive apart from chain links, so this hops over at most one
 * link per 1023 pages instead of walking the whole list.
 */
static unsigned long *image_staged_slot(const struct kexec_mod_dest *d,
					phys_addr_t pa)
{
	unsigned long index = image_dest_index(d, pa);

	if (index >= d->nr_staged)
		return NULL;
	return image_slot_advance(d->first_slot, index);
}

/* Keep @page, the not yet staged destination page @pa of @d, for later. */
static void image_hold_page(struct kexec_mod_image *image,
			    struct kexec_mod_dest *d, struct page *page,
			    phys_addr_t pa)
{
	__set_bit(d->first_bit + image_dest_index(d, pa), image->held);
	list_add(&page->lru, &image->dest_pages);
}

/* The page of destination @dest if it was held back earlier, or NULL. */
static struct page *image_take_held_page(struct kexec_mod_image *image,
					 unsigned long dest)
{
	struct kexec_mod_dest *d = image_find_dest(image, dest);
	struct page *page;

	if (!d || !__test_and_clear_bit(d->first_bit + image_dest_index(d, dest),
					image->held))
		return NULL;
	page = pfn_to_page(PHYS_PFN(dest));
	list_del(&page->lru);
	return page;
}

/*
 * The pages staged for the current segment and not filled yet: a run of
 * lowmem pages, one after the other in the linear map, filled with one
 * copy.  Capped, so that a kill is seen and the CPU yielded often enough
 * on a machine whose free memory is one long run.
 */
#define IMAGE_RUN_MAX		(16 * PAGE_SIZE)

/* Pages staged between two looks for a kill and a chance to yield. */
#define IMAGE_YIELD_PAGES	16

/*
 * Fill @len bytes at @addr with the next bytes of the segment's buffer,
 * zeroes past its end.
 */
static int image_fill(struct kexec_mod_image *image, void *addr, size_t len)
{
	size_t chunk = min(image->left, len);

	if (chunk && copy_from_iter(addr, chunk, image->from) != chunk)
		return -EFAULT;
	memset(addr + chunk, 0, len - chunk);
	image->left -= chunk;
	return 0;
}

static int image_run_flush(struct kexec_mod_image *image)
{
	size_t len = image->run_len;

	image->run_len = 0;
	return len ? image_fill(image, image->run, len) : 0;
}

/*
 * Give @page, the source page just listed for the next destination page,
 * its contents: add it to the run, or fill the run and start a new one;
 * a highmem page is filled on its own through a temporary mapping.
 */
static int image_stage_page(struct kexec_mod_image *image, struct page *page)
{
	void *addr;
	int ret;

	if (!PageHighMem(page)) {
		addr = page_address(page);
		if (image->run_len && image->run + image->run_len == addr &&
		    image->run_len < IMAGE_RUN_MAX) {
			image->run_len += PAGE_SIZE;
			return 0;
		}
		ret = image_run_flush(image);
		image->run = addr;
		image->run_len = PAGE_SIZE;
		return ret;
	}

	ret = image_run_flush(image);
	if (ret)
		return ret;
	addr = kmap_local_page(page);
	ret = image_fill(image, addr, PAGE_SIZE);
	kunmap_local(addr);
	return ret;
}

/*
 * @page is the destination of the source entry in @slot: move the staged
 * content into it, so the entry is in place, and return the old source
 * page, which is nobody's destination, for reuse.  The content may still
 * be due from the run: filled first.
 */
static struct page *image_swap_in(struct kexec_mod_image *image,
				  unsigned long *slot, struct page *page)
{
	struct page *old = pfn_to_page(PHYS_PFN(*slot & PAGE_MASK));
	int ret = image_run_flush(image);

	if (ret) {
		kexec_mod_pages_free(page, 0, KEXEC_MOD_PAGES_IMAGE);
		return ERR_PTR(ret);
	}
	copy_highpage(page, old);
	*slot = page_to_phys(page) | KEXEC_MOD_IND_SOURCE;
	image->nr_swapped++;
	image->nr_in_place++;
	return old;
}

/*
 * A page to stage the contents of destination page @dest in (or, with
 * IMAGE_NO_DEST, a page that is nobody's destination, for the list).
 *
 * The stub copies pages in list order over their destinations.  A source
 * page that is itself a destination would be overwritten before it is
 * read, unless it is its own destination.  So a freshly allocated page
 * that is a destination is handled in one of three ways:
 *  - it is @dest itself: use it in place, the copy becomes a no-op;
 *  - its destination is already staged in another page: move that
 *    content into it, point the staged entry at it (now in place), and
 *    hand out the old page, which is no destination, instead;
 *  - its destination comes later: hold it back (dest_pages, marked in
 *    held), where the staging of that destination will pick it up.
 */
static struct page *image_alloc_page(struct kexec_mod_image *image,
				     unsigned long dest)
{
	struct page *page;

	/* Usually nothing is held back: no lookup at all then. */
	if (dest != IMAGE_NO_DEST && !list_empty(&image->dest_pages)) {
		page = image_take_held_page(image, dest);
		if (page)
			return page;
	}

	for (;;) {
		struct kexec_mod_dest *d;
		unsigned long *slot;
		phys_addr_t pa;

		bool clear = false;

		if (dest == IMAGE_NO_DEST)
			page = kexec_mod_pages_alloc(IMAGE_GFP_LIST, 0,
						     KEXEC_MOD_PAGES_IMAGE);
		else
			page = image_batch_page(image, &clear);
		if (!page || clear)
			return page;
		if (!image_page_addressable(page)) {
			list_add(&page->lru, &image->unusable_pages);
			continue;
		}

		pa = page_to_phys(page);
		if (pa == dest)
			return page;
		d = image_find_dest(image, pa);
		if (!d)
			return page;

		slot = image_staged_slot(d, pa);
		if (slot) {
			page = image_swap_in(image, slot, page);
			if (IS_ERR(page) || dest != IMAGE_NO_DEST ||
			    !PageHighMem(page))
				return page;
			/* A list page must be lowmem: this one goes back. */
			kexec_mod_pages_free(page, 0, KEXEC_MOD_PAGES_IMAGE);
			continue;
		}
		image_hold_page(image, d, page, pa);
	}
}

/*
 * Append @entry.  The last slot of every indirection page is kept free
 * so the page can always be chained to the next one or closed with
 * KEXEC_MOD_IND_DONE; the slot after the newest entry always holds 0 so
 * the list can be walked while it is still being built.
 */
static int image_add_entry(struct kexec_mod_image *image, unsigned long entry)
{
	if (image->entry == image->last_entry) {
		unsigned long *ind;
		struct page *page;

		page = image_alloc_page(image, IMAGE_NO_DEST);
		if (IS_ERR_OR_NULL(page))
			return page ? PTR_ERR(page) : -ENOMEM;
		ind = page_address(page);
		ind[0] = 0;
		*image->entry = page_to_phys(page) | KEXEC_MOD_IND_INDIRECTION;
		image->entry = ind;
		image->last_entry = ind + IMAGE_ENTRIES_PER_PAGE - 1;
	}

	*image->entry++ = entry;
	*image->entry = 0;
	return 0;
}

/**
 * kexec_mod_image_load_segment() - stage one segment page by page
 * @image: image with its control page allocated
 * @index: segment to stage
 * @from: the segment's buffer, exactly segment[@index].bufsz bytes
 *
 * Stands in for kimage_load_segment(): every page of the destination
 * range gets a source page, the buffer's bytes, then zeroes up to memsz.
 *
 * Return: 0, -ENOMEM, -EFAULT when @from cannot be read, or -EINTR when
 * a fatal signal came in.
 */
int kexec_mod_image_load_segment(struct kexec_mod_image *image,
				 unsigned long index, struct iov_iter *from)
{
	const struct kexec_mod_segment *seg = &image->segment[index];
	struct kexec_mod_dest *d = &image->dest[index];
	unsigned long dest = seg->mem;
	unsigned long end = seg->mem + seg->memsz;
	int ret;

	if (seg->memsz == 0)
		return 0;

	ret = image_add_entry(image, dest | KEXEC_MOD_IND_DESTINATION);
	if (ret)
		return ret;

	image->from = from;
	image->left = seg->bufsz;
	for (; dest < end; dest += PAGE_SIZE) {
		struct page *page;

		image->want = (end - dest) >> PAGE_SHIFT;
		page = image_alloc_page(image, dest);
		if (IS_ERR_OR_NULL(page))
			return page ? PTR_ERR(page) : -ENOMEM;
		/* In the list first, so kexec_mod_image_free() finds it on any error. */
		ret = image_add_entry(image, page_to_phys(page) | KEXEC_MOD_IND_SOURCE);
		if (ret) {
			kexec_mod_pages_free(page, 0, KEXEC_MOD_PAGES_IMAGE);
			return ret;
		}
		/* The slot just written, found again by image_staged_slot(). */
		if (!d->nr_staged)
			d->first_slot = image->entry - 1;
		d->nr_staged++;
		image->nr_source_pages++;
		if (page_to_phys(page) == dest)
			image->nr_in_place++;

		ret = image_stage_page(image, page);
		if (ret)
			return ret;
		/* A load of hundreds of MiB stops for a kill, and yields. */
		if (d->nr_staged % IMAGE_YIELD_PAGES == 0) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	return image_run_flush(image);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_load_segment);

/**
 * kexec_mod_image_terminate() - close the list once every segment is staged
 * @image: the image
 *
 * Stands in for kimage_terminate(); also frees what only staging needed.
 *
 * Pages held back during staging, and the index of them, are no longer
 * needed and go back.
 */
void kexec_mod_image_terminate(struct kexec_mod_image *image)
{
	*image->entry = KEXEC_MOD_IND_DONE;
	bitmap_free(image->held);
	image->held = NULL;
	image_batch_free(image);
	image_free_page_list(&image->dest_pages);
	image_free_page_list(&image->unusable_pages);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_terminate);

/**
 * kexec_mod_image_read() - copy bytes of a segment out of its staged pages
 * @image: the image, with segment @index staged
 * @index: the segment
 * @offset: where in the segment to start
 * @buf: where to copy to
 * @len: how many bytes
 *
 * What the new kernel will find at the segment's destination, read from
 * the pages the stub copies from: the user's buffer may have changed
 * since it was staged.
 *
 * Return: 0, or -EINVAL when the bytes are not all inside the staged
 * part of the segment.
 */
int kexec_mod_image_read(const struct kexec_mod_image *image,
			 unsigned long index, unsigned long offset, void *buf,
			 size_t len)
{
	const struct kexec_mod_dest *d = &image->dest[index];

	if (offset > d->nr_staged << PAGE_SHIFT ||
	    len > (d->nr_staged << PAGE_SHIFT) - offset)
		return -EINVAL;
	while (len) {
		unsigned long *slot = image_slot_advance(d->first_slot,
							 offset >> PAGE_SHIFT);
		size_t in_page = offset_in_page(offset);
		size_t chunk = min_t(size_t, len, PAGE_SIZE - in_page);
		void *src = kmap_local_page(pfn_to_page(PHYS_PFN(*slot)));

		memcpy(buf, src + in_page, chunk);
		kunmap_local(src);
		buf += chunk;
		offset += chunk;
		len -= chunk;
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_read);

/**
 * kexec_mod_image_free() - free an image and every page it holds
 * @image: the image, or NULL
 *
 * Stands in for kimage_free(); works on a complete list and on one
 * abandoned half way.
 */
void kexec_mod_image_free(struct kexec_mod_image *image)
{
	unsigned long *ptr;
	struct page *ind = NULL;

	if (!image)
		return;

	ptr = &image->head;
	while (!image_entry_is_last(*ptr)) {
		unsigned long entry = *ptr;

		if (entry & KEXEC_MOD_IND_INDIRECTION) {
			/* ptr lives in ind: step off it before freeing it. */
			if (ind)
				kexec_mod_pages_free(ind, 0,
						     KEXEC_MOD_PAGES_IMAGE);
			ind = pfn_to_page(PHYS_PFN(entry & PAGE_MASK));
			ptr = page_address(ind);
			continue;
		}
		if (entry & KEXEC_MOD_IND_SOURCE)
			kexec_mod_pages_free(pfn_to_page(PHYS_PFN(entry & PAGE_MASK)),
					     0, KEXEC_MOD_PAGES_IMAGE);
		ptr++;
	}
	if (ind)
		kexec_mod_pages_free(ind, 0, KEXEC_MOD_PAGES_IMAGE);

	if (image->control_page)
		kexec_mod_pages_free(image->control_page, 0,
				     KEXEC_MOD_PAGES_IMAGE);
	image_batch_free(image);
	image_free_page_list(&image->dest_pages);
	image_free_page_list(&image->unusable_pages);
	bitmap_free(image->held);
	kfree(image);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_free);

#if IS_ENABLED(CONFIG_KUNIT)
/*
 * The staging helpers, for the KUnit suites (image_test.c) alone.  The
 * staging loop calls the static ones above, which the compiler inlines
 * there; exported functions it would not.
 */
struct kexec_mod_dest *kexec_mod_image_find_dest(struct kexec_mod_image *image,
						 phys_addr_t pa)
{
	return image_find_dest(image, pa);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_find_dest);

unsigned long *kexec_mod_image_staged_slot(const struct kexec_mod_dest *d,
					   phys_addr_t pa)
{
	return image_staged_slot(d, pa);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_staged_slot);

void kexec_mod_image_hold_page(struct kexec_mod_image *image,
			       struct kexec_mod_dest *d, struct page *page,
			       phys_addr_t pa)
{
	image_hold_page(image, d, page, pa);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_hold_page);

struct page *kexec_mod_image_take_held_page(struct kexec_mod_image *image,
					    unsigned long dest)
{
	return image_take_held_page(image, dest);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_image_take_held_page);
#endif
