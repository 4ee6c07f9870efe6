// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_mod image core: segment checks, the control page, staging the
 * segments page by page and the entry list the relocation stub walks.
 * Nothing here is specific to ARM; the machine code hands in the control
 * page limit and fills in the boot parameters.
 */

#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uio.h>

#include "kimage.h"

/* Passed as destination when a page will never be copied anywhere. */
#define KIMAGE_NO_DEST		(~0UL)

/* Entries of one indirection page; the last one chains or ends. */
#define KIMAGE_ENTRIES_PER_PAGE	(PAGE_SIZE / sizeof(unsigned long))

/*
 * Candidates for the control page refused because they lie above the
 * limit, on top of the ones refused as destinations.  It bounds how much
 * memory a hopeless search holds before it gives up.
 */
#define KIMAGE_CONTROL_SPARE_TRIES	16384UL

static unsigned long kimage_pages_of(size_t bytes)
{
	return DIV_ROUND_UP(bytes, PAGE_SIZE);
}

/**
 * kimage_check_segments() - apply kexec_load's rules to a segment list
 * @segments: the segments as the user gave them
 * @nr_segments: number of segments, at most KEXEC_SEGMENT_MAX
 * @ram_pages: pages of RAM the half-of-memory rule is measured against
 * @reject: filled in with the offending segment and the reason on failure
 *
 * The rules and the errno values are those of kexec_load(2): page-aligned,
 * non-wrapping destinations first, then overlaps, then buffer sizes, then
 * the amount of memory.  Whether a destination is RAM is the machine
 * code's business.
 *
 * Return: 0, -EADDRNOTAVAIL for a bad destination or -EINVAL.
 */
int kimage_check_segments(const struct kimage_segment *segments,
			  unsigned long nr_segments, unsigned long ram_pages,
			  struct kimage_reject *reject)
{
	unsigned long total = 0;
	unsigned long i, j;

	if (nr_segments > KEXEC_SEGMENT_MAX) {
		reject->segment = -1;
		reject->reason = "more segments than KEXEC_SEGMENT_MAX";
		return -EINVAL;
	}

	/*
	 * The stub copies whole pages, so anything but page granularity
	 * would silently copy bytes the user never asked for; and a range
	 * that wraps cannot be described by the list at all.
	 */
	for (i = 0; i < nr_segments; i++) {
		unsigned long start = segments[i].mem;
		unsigned long end = start + segments[i].memsz;

		reject->segment = i;
		if (end < start) {
			reject->reason = "destination wraps around";
			return -EADDRNOTAVAIL;
		}
		if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end)) {
			reject->reason = "destination not page aligned";
			return -EADDRNOTAVAIL;
		}
		/* ~0UL doubles as "no destination" inside this file. */
		if (end == ~0UL) {
			reject->reason = "destination above the addressable limit";
			return -EADDRNOTAVAIL;
		}
	}

	/* One segment landing on another makes the result order dependent. */
	for (i = 0; i < nr_segments; i++) {
		unsigned long start = segments[i].mem;
		unsigned long end = start + segments[i].memsz;

		for (j = 0; j < i; j++) {
			unsigned long ostart = segments[j].mem;
			unsigned long oend = ostart + segments[j].memsz;

			if (end > ostart && start < oend) {
				reject->segment = i;
				reject->reason = "destination overlaps an earlier segment";
				return -EINVAL;
			}
		}
	}

	for (i = 0; i < nr_segments; i++) {
		if (segments[i].bufsz > segments[i].memsz) {
			reject->segment = i;
			reject->reason = "bufsz larger than memsz";
			return -EINVAL;
		}
	}

	/*
	 * Staging needs a second copy of everything in RAM; refusing more
	 * than half of it up front avoids a long, doomed allocation run.
	 */
	for (i = 0; i < nr_segments; i++) {
		unsigned long pages = kimage_pages_of(segments[i].memsz);

		reject->segment = i;
		if (pages > ram_pages / 2) {
			reject->reason = "segment larger than half of RAM";
			return -EINVAL;
		}
		total += pages;
		if (total > ram_pages / 2) {
			reject->reason = "segments together larger than half of RAM";
			return -EINVAL;
		}
	}

	reject->segment = -1;
	reject->reason = NULL;
	return 0;
}

/*
 * Staging asks "is this page a destination, whose, and is it staged
 * yet?" for every page the allocator hands out.  Walking the segments or
 * the entry list for that makes a load quadratic in the image size, so
 * the ranges are sorted once here and looked up by binary search.
 * Ranges are not merged: each keeps its own segment's staging state.
 */
static void kimage_dests_init(struct kimage *image)
{
	unsigned long bit = 0;
	unsigned long i, j;

	for (i = 0; i < image->nr_segments; i++) {
		struct kimage_dest *d = &image->dest[i];

		d->start = image->segment[i].mem;
		d->end = d->start + image->segment[i].memsz;
		d->first_bit = bit;
		bit += kimage_pages_of(image->segment[i].memsz);
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
 * The destination range holding physical address @pa, or NULL.  Ranges
 * are page aligned, so a page overlaps a destination exactly when its
 * first byte is inside one.
 */
static struct kimage_dest *kimage_find_dest(struct kimage *image,
					    phys_addr_t pa)
{
	unsigned long lo = 0, hi = image->nr_dests;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;
		struct kimage_dest *d = &image->dest[image->dest_order[mid]];

		if (pa < d->start)
			hi = mid;
		else if (pa >= d->end)
			lo = mid + 1;
		else
			return d;
	}
	return NULL;
}

/* Index of the page at @pa inside range @d. */
static unsigned long kimage_dest_index(const struct kimage_dest *d,
				       phys_addr_t pa)
{
	return (pa - d->start) >> PAGE_SHIFT;
}

/**
 * kimage_alloc() - allocate an empty image
 * @entry: physical entry point of the new kernel
 * @segments: segments already checked by kimage_check_segments()
 * @nr_segments: number of segments
 * @control_limit: exclusive upper bound of the control page's physical
 *	range
 *
 * Return: the image, or NULL when out of memory.
 */
struct kimage *kimage_alloc(unsigned long entry,
			    const struct kimage_segment *segments,
			    unsigned long nr_segments,
			    phys_addr_t control_limit)
{
	struct kimage *image;
	unsigned long pages = 0;
	unsigned long i;

	if (WARN_ON(nr_segments > KEXEC_SEGMENT_MAX))
		return NULL;

	image = kzalloc(sizeof(*image), GFP_KERNEL);
	if (!image)
		return NULL;

	image->start = entry;
	image->nr_segments = nr_segments;
	memcpy(image->segment, segments, nr_segments * sizeof(*segments));
	image->control_limit = control_limit;
	kimage_dests_init(image);

	/*
	 * One bit per destination page (2 KiB for a 64 MiB image), only for
	 * staging: kimage_terminate() frees it before the image is loaded.
	 */
	for (i = 0; i < nr_segments; i++)
		pages += kimage_pages_of(segments[i].memsz);
	image->held = bitmap_zalloc(pages, GFP_KERNEL);
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

/*
 * The stub runs with the MMU off and holds addresses in 32-bit words, so
 * every page it reads must be lowmem with a physical address that fits
 * an entry (on LPAE, RAM above 4 GiB is out).
 */
static bool kimage_page_addressable(struct page *page)
{
	phys_addr_t pa = page_to_phys(page);

	return !PageHighMem(page) && pa + PAGE_SIZE - 1 <= ULONG_MAX;
}

static void kimage_free_page_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		__free_page(page);
	}
}

/**
 * kimage_alloc_control_page() - find the page the stub will run from
 * @image: image with its segments set
 *
 * The control page survives until the stub has copied every segment, so
 * it must not be any segment's destination.  The page allocator knows
 * nothing about destinations; the only way to get a suitable page is to
 * ask until one comes back that is neither a destination nor above the
 * image's control limit, holding the refused ones so they are not handed
 * out again, and to give them all back at the end.  The limit keeps the
 * page's 1:1 mapping out of the way of the running kernel.
 *
 * Return: 0 or -ENOMEM.
 */
int kimage_alloc_control_page(struct kimage *image)
{
	unsigned long tries = KIMAGE_CONTROL_SPARE_TRIES;
	LIST_HEAD(refused);
	struct page *page;
	unsigned long i;
	int ret = -ENOMEM;

	for (i = 0; i < image->nr_segments; i++)
		tries += kimage_pages_of(image->segment[i].memsz);

	while (tries--) {
		phys_addr_t pa;

		/* A failed search must not invoke the OOM killer. */
		page = alloc_page(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
		if (!page)
			break;
		pa = page_to_phys(page);
		if (kimage_page_addressable(page) &&
		    pa + PAGE_SIZE <= image->control_limit &&
		    !kimage_find_dest(image, pa)) {
			image->control_page = page;
			ret = 0;
			break;
		}
		list_add(&page->lru, &refused);
		image->nr_control_rejects++;
	}

	kimage_free_page_list(&refused);
	return ret;
}

/**
 * kimage_next_entry() - the slot after @ptr, following indirection
 * @ptr: a slot holding an entry that is neither 0 nor IND_DONE
 *
 * Return: the slot holding the entry the stub reads after *@ptr.
 */
unsigned long *kimage_next_entry(unsigned long *ptr)
{
	if (*ptr & IND_INDIRECTION)
		return phys_to_virt(*ptr & PAGE_MASK);
	return ptr + 1;
}

static bool kimage_entry_is_last(unsigned long entry)
{
	return !entry || (entry & IND_DONE);
}

/*
 * The slot @n data slots after @slot, stepping over the chain links.
 * The list is only ever appended to, so a slot once written stays put.
 */
static unsigned long *kimage_slot_advance(unsigned long *slot,
					  unsigned long n)
{
	unsigned long *ind = (unsigned long *)((unsigned long)slot & PAGE_MASK);
	unsigned long i = slot - ind + n;

	while (i >= KIMAGE_ENTRIES_PER_PAGE - 1) {
		ind = phys_to_virt(ind[KIMAGE_ENTRIES_PER_PAGE - 1] & PAGE_MASK);
		i -= KIMAGE_ENTRIES_PER_PAGE - 1;
	}
	return ind + i;
}

/*
 * The slot of the IND_SOURCE entry already staged for the page at @pa of
 * range @d, or NULL when that page is not staged yet.  A range's entries
 * are consecutive apart from chain links, so this hops over at most one
 * link per 1023 pages instead of walking the whole list.
 */
static unsigned long *kimage_staged_slot(const struct kimage_dest *d,
					 phys_addr_t pa)
{
	unsigned long index = kimage_dest_index(d, pa);

	if (index >= d->nr_staged)
		return NULL;
	return kimage_slot_advance(d->first_slot, index);
}

/* Keep @page, the not yet staged destination page @pa of @d, for later. */
static void kimage_hold_page(struct kimage *image, struct kimage_dest *d,
			     struct page *page, phys_addr_t pa)
{
	__set_bit(d->first_bit + kimage_dest_index(d, pa), image->held);
	list_add(&page->lru, &image->dest_pages);
}

/* The page of destination @dest if it was held back earlier, or NULL. */
static struct page *kimage_take_held_page(struct kimage *image,
					  unsigned long dest)
{
	struct kimage_dest *d = kimage_find_dest(image, dest);
	struct page *page;

	if (!d || !__test_and_clear_bit(d->first_bit + kimage_dest_index(d, dest),
					image->held))
		return NULL;
	page = pfn_to_page(PHYS_PFN(dest));
	list_del(&page->lru);
	return page;
}

/*
 * @page is the destination of the source entry in @slot: move the staged
 * content into it, so the entry is in place, and return the old source
 * page, which is nobody's destination, for reuse.
 */
static struct page *kimage_swap_in(struct kimage *image, unsigned long *slot,
				   struct page *page)
{
	struct page *old = pfn_to_page(PHYS_PFN(*slot & PAGE_MASK));

	copy_page(page_address(page), page_address(old));
	*slot = page_to_phys(page) | IND_SOURCE;
	image->nr_swapped++;
	image->nr_in_place++;
	return old;
}

/*
 * A page to stage the contents of destination page @dest in (or, with
 * KIMAGE_NO_DEST, a page that is nobody's destination, for the list).
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
static struct page *kimage_alloc_page(struct kimage *image,
				      unsigned long dest)
{
	struct page *page;

	/* Usually nothing is held back: no lookup at all then. */
	if (dest != KIMAGE_NO_DEST && !list_empty(&image->dest_pages)) {
		page = kimage_take_held_page(image, dest);
		if (page)
			return page;
	}

	for (;;) {
		struct kimage_dest *d;
		unsigned long *slot;
		phys_addr_t pa;

		page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
		if (!page)
			return NULL;
		if (!kimage_page_addressable(page)) {
			list_add(&page->lru, &image->unusable_pages);
			continue;
		}

		pa = page_to_phys(page);
		if (pa == dest)
			return page;
		d = kimage_find_dest(image, pa);
		if (!d)
			return page;

		slot = kimage_staged_slot(d, pa);
		if (slot)
			return kimage_swap_in(image, slot, page);
		kimage_hold_page(image, d, page, pa);
	}
}

/*
 * Append @entry.  The last slot of every indirection page is kept free
 * so the page can always be chained to the next one or closed with
 * IND_DONE; the slot after the newest entry always holds 0 so the list
 * can be walked while it is still being built.
 */
static int kimage_add_entry(struct kimage *image, unsigned long entry)
{
	if (image->entry == image->last_entry) {
		unsigned long *ind;
		struct page *page;

		page = kimage_alloc_page(image, KIMAGE_NO_DEST);
		if (!page)
			return -ENOMEM;
		ind = page_address(page);
		ind[0] = 0;
		*image->entry = page_to_phys(page) | IND_INDIRECTION;
		image->entry = ind;
		image->last_entry = ind + KIMAGE_ENTRIES_PER_PAGE - 1;
	}

	*image->entry++ = entry;
	*image->entry = 0;
	return 0;
}

/**
 * kimage_load_segment() - stage one segment page by page
 * @image: image with its control page allocated
 * @index: segment to stage
 * @from: the segment's buffer, exactly segment[@index].bufsz bytes
 *
 * Every page of the destination range gets a source page: the buffer's
 * bytes, then zeroes up to memsz.
 *
 * Return: 0, -ENOMEM, or -EFAULT when @from cannot be read.
 */
int kimage_load_segment(struct kimage *image, unsigned long index,
			struct iov_iter *from)
{
	const struct kimage_segment *seg = &image->segment[index];
	struct kimage_dest *d = &image->dest[index];
	size_t left = seg->bufsz;
	unsigned long dest = seg->mem;
	unsigned long end = seg->mem + seg->memsz;
	int ret;

	if (seg->memsz == 0)
		return 0;

	ret = kimage_add_entry(image, dest | IND_DESTINATION);
	if (ret)
		return ret;

	for (; dest < end; dest += PAGE_SIZE) {
		size_t chunk = min_t(size_t, left, PAGE_SIZE);
		struct page *page;
		void *addr;

		page = kimage_alloc_page(image, dest);
		if (!page)
			return -ENOMEM;
		/* In the list first, so kimage_free() finds it on any error. */
		ret = kimage_add_entry(image, page_to_phys(page) | IND_SOURCE);
		if (ret) {
			__free_page(page);
			return ret;
		}
		/* The slot just written, found again by kimage_staged_slot(). */
		if (!d->nr_staged)
			d->first_slot = image->entry - 1;
		d->nr_staged++;
		image->nr_source_pages++;
		if (page_to_phys(page) == dest)
			image->nr_in_place++;

		addr = page_address(page);
		if (chunk && copy_from_iter(addr, chunk, from) != chunk)
			return -EFAULT;
		memset(addr + chunk, 0, PAGE_SIZE - chunk);
		left -= chunk;
		cond_resched();
	}
	return 0;
}

/**
 * kimage_terminate() - close the list once every segment is staged
 * @image: the image
 *
 * Pages held back during staging, and the index of them, are no longer
 * needed and go back.
 */
void kimage_terminate(struct kimage *image)
{
	*image->entry = IND_DONE;
	bitmap_free(image->held);
	image->held = NULL;
	kimage_free_page_list(&image->dest_pages);
	kimage_free_page_list(&image->unusable_pages);
}

/**
 * kimage_free() - free an image and every page it holds
 * @image: the image, or NULL
 *
 * Works on a complete list and on one abandoned half way.
 */
void kimage_free(struct kimage *image)
{
	unsigned long *ptr;
	struct page *ind = NULL;

	if (!image)
		return;

	ptr = &image->head;
	while (!kimage_entry_is_last(*ptr)) {
		unsigned long entry = *ptr;

		if (entry & IND_INDIRECTION) {
			/* ptr lives in ind: step off it before freeing it. */
			if (ind)
				__free_page(ind);
			ind = pfn_to_page(PHYS_PFN(entry & PAGE_MASK));
			ptr = page_address(ind);
			continue;
		}
		if (entry & IND_SOURCE)
			__free_page(pfn_to_page(PHYS_PFN(entry & PAGE_MASK)));
		ptr++;
	}
	if (ind)
		__free_page(ind);

	if (image->control_page)
		__free_page(image->control_page);
	kimage_free_page_list(&image->dest_pages);
	kimage_free_page_list(&image->unusable_pages);
	bitmap_free(image->held);
	kfree(image);
}
