/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec_mod's own image: the staged segments and the list the relocation
 * stub walks; the module's stand-in for the kernel's struct kimage, which
 * exists only with CONFIG_KEXEC_CORE.  Every name here carries the
 * module's prefix, so that the header can sit beside <linux/kexec.h> on
 * a kernel that has kexec built in.
 */
#ifndef KEXEC_MOD_IMAGE_H
#define KEXEC_MOD_IMAGE_H

#include <linux/compiler.h>
#include <linux/gfp.h>
#include <linux/kconfig.h>
#include <linux/list.h>
#include <linux/math.h>
#include <linux/mm.h>
#include <linux/types.h>
#include <uapi/linux/kexec.h>

struct iov_iter;
struct page;

/*
 * The entry list, as the relocation stub walks it with the MMU off.
 *
 * Every entry is one unsigned long (the kernel's kimage_entry_t): a
 * page-aligned physical address with one flag in its low bits, the
 * kernel's IND_* values under the module's names.  The stub keeps a
 * destination pointer and reads entries one after another:
 *
 *  ..._DESTINATION  the destination pointer becomes the address;
 *  ..._SOURCE       the page at the address is copied to the destination
 *                   pointer, which then advances by PAGE_SIZE;
 *  ..._INDIRECTION  reading continues with the first entry of the page
 *                   at the address (the last slot of every indirection
 *                   page is reserved for this entry or for ..._DONE);
 *  ..._DONE         the list ends; the stub jumps to the image's start.
 *
 * The head field is the first entry, read exactly as any other entry:
 * (physical address of the first indirection page | ..._INDIRECTION)
 * once any page is staged, ..._DONE for an image with nothing to copy.
 * A stub may equally start at (head & PAGE_MASK) after checking
 * ..._INDIRECTION.  A source page may have its own destination as
 * address (a page staged in place); copying it onto itself is harmless.
 * Source, indirection and control pages are lowmem below 4 GiB, and no
 * source page other than such an in-place page, no indirection page and
 * no control page overlaps any destination.
 */
#define KEXEC_MOD_IND_DESTINATION	0x1
#define KEXEC_MOD_IND_INDIRECTION	0x2
#define KEXEC_MOD_IND_DONE		0x4
#define KEXEC_MOD_IND_SOURCE		0x8

/*
 * Where source pages come from first: highmem too, as the kernel's
 * (GFP_HIGHUSER), so that an image may take half of all RAM, highmem
 * included, as the half-of-RAM rule lets it.  LPAE kernels take lowmem
 * first: their MMU-on copy reaches only what TTBR0 translates (TTBR1
 * keeps the top gigabyte), and a board's highmem may lie up there, or
 * past 4 GiB, where the stub cannot read at all.  Once lowmem runs out,
 * or half of what was free of it is taken, they stage in highmem
 * (image.c), and the exec falls back to the MMU-off copy if a page is
 * out of the copy table's reach.
 */
#define KEXEC_MOD_GFP_SOURCE	(IS_ENABLED(CONFIG_ARM_LPAE) ? GFP_KERNEL : \
				 GFP_HIGHUSER)

/*
 * Kernel-side struct kexec_segment: the uapi header hides its definition
 * from the kernel, and the module keeps buf as a user pointer.  The layout
 * is the native userspace layout, so an array is copied in as it is.
 */
struct kexec_mod_segment {
	const void __user *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};

/**
 * struct kexec_mod_dest - one segment's destination range while staging
 * @start: physical address of the range's first page
 * @end: physical end of the range (exclusive)
 * @first_bit: bit of the range's first page in the image's @held bitmap
 * @nr_staged: pages of the range, from the first, with a source entry
 * @first_slot: slot of the range's first source entry (once @nr_staged)
 */
struct kexec_mod_dest {
	unsigned long start;
	unsigned long end;
	unsigned long first_bit;
	unsigned long nr_staged;
	unsigned long *first_slot;
};

/**
 * struct kexec_mod_image - an image staged for the relocation stub
 * @start: physical entry point of the new kernel
 * @head: first entry of the list (see above)
 * @control_page: one lowmem page, no destination, for the stub and its
 *	1:1 section; its physical address plus PAGE_SIZE is at most
 *	@control_limit
 * @boot_params: physical address handed to the new kernel in r2
 * @machine_type: value handed to the new kernel in r1
 * @nr_segments: number of valid entries in @segment
 * @segment: the segments, as the user gave them
 * @nr_pages: pages of all destination ranges together
 * @nr_source_pages: KEXEC_MOD_IND_SOURCE entries in the list
 * @nr_control_rejects: control page candidates set aside on allocation
 * @nr_in_place: source pages that are their own destination
 * @nr_swapped: staged pages moved into their own destination page when
 *	that page came out of the allocator later
 * @control_limit: exclusive upper bound for the control page's physical
 *	end, chosen by the machine code
 * @entry: slot the next entry is written to
 * @last_entry: reserved last slot of the current indirection page
 * @dest: the destination range of each segment, in segment order
 * @dest_order: indices into @dest of the non-empty ranges, by address
 * @nr_dests: number of valid entries in @dest_order
 * @held: during staging, one bit per destination page that sits on
 *	@dest_pages (NULL once terminated)
 * @dest_pages: allocated pages that are destinations not yet staged
 * @unusable_pages: allocated pages the stub could not address
 * @batch_order: order of the blocks source pages are taken from; 0 for
 *	single pages
 * @batch: next page of the block source pages are taken from
 * @batch_left: pages of that block not handed out yet
 * @batch_clear: the whole block is addressable and no destination
 * @low_budget: pages still to be had from lowmem where it comes first
 * @spilled: lowmem ran out where it comes first, or its budget did;
 *	staging goes on in highmem
 * @want: pages the segment being staged still needs, this one included
 * @from: the buffer of the segment being staged
 * @left: bytes of it not copied yet
 * @run: first page of the current segment's pages not filled yet
 * @run_len: their length in bytes, 0 when all are filled
 */
struct kexec_mod_image {
	/* Read by the exec path; names and meaning are a contract. */
	unsigned long start;
	unsigned long head;
	struct page *control_page;
	unsigned long boot_params;
	unsigned long machine_type;

	unsigned long nr_segments;
	struct kexec_mod_segment segment[KEXEC_SEGMENT_MAX];
	unsigned long nr_pages;

	unsigned long nr_source_pages;
	unsigned long nr_control_rejects;
	unsigned long nr_in_place;
	unsigned long nr_swapped;
	phys_addr_t control_limit;

	/* Private to image.c. */
	unsigned long *entry;
	unsigned long *last_entry;
	struct kexec_mod_dest dest[KEXEC_SEGMENT_MAX];
	unsigned char dest_order[KEXEC_SEGMENT_MAX];
	unsigned long nr_dests;
	unsigned long *held;
	struct list_head dest_pages;
	struct list_head unusable_pages;
	unsigned int batch_order;
	struct page *batch;
	unsigned int batch_left;
	bool batch_clear;
	unsigned long low_budget;
	bool spilled;
	unsigned long want;
	struct iov_iter *from;
	size_t left;
	void *run;
	size_t run_len;
};

/**
 * struct kexec_mod_reject - why a request was refused, for the log line
 * @segment: index of the offending segment, or -1 for the whole request
 * @reason: short human-readable text
 */
struct kexec_mod_reject {
	long segment;
	const char *reason;
};

/* Pages that @bytes take, whole pages. */
static inline unsigned long kexec_mod_pages_of(size_t bytes)
{
	return DIV_ROUND_UP(bytes, PAGE_SIZE);
}

int kexec_mod_check_nr_segments(unsigned long nr_segments,
				struct kexec_mod_reject *reject);
int kexec_mod_check_segments(const struct kexec_mod_segment *segments,
			     unsigned long nr_segments, unsigned long ram_pages,
			     struct kexec_mod_reject *reject);
struct kexec_mod_image *
kexec_mod_image_alloc(unsigned long entry,
		      const struct kexec_mod_segment *segments,
		      unsigned long nr_segments, phys_addr_t control_limit);
int kexec_mod_image_alloc_control_page(struct kexec_mod_image *image);
int kexec_mod_image_load_segment(struct kexec_mod_image *image,
				 unsigned long index, struct iov_iter *from);
void kexec_mod_image_terminate(struct kexec_mod_image *image);
void kexec_mod_image_free(struct kexec_mod_image *image);
int kexec_mod_image_read(const struct kexec_mod_image *image,
			 unsigned long index, unsigned long offset, void *buf,
			 size_t len);
unsigned long *kexec_mod_image_next_entry(unsigned long *ptr);
bool kexec_mod_image_overlaps(const struct kexec_mod_image *image,
			      phys_addr_t start, size_t size);
unsigned long kexec_mod_image_spare_tries(const struct kexec_mod_image *image);
bool kexec_mod_image_phys_addressable(phys_addr_t pa);

#if IS_ENABLED(CONFIG_KUNIT)
/* Static without KUnit; exported to the KUnit module only (image_test.c). */
struct kexec_mod_dest *kexec_mod_image_find_dest(struct kexec_mod_image *image,
						 phys_addr_t pa);
unsigned long *kexec_mod_image_staged_slot(const struct kexec_mod_dest *d,
					   phys_addr_t pa);
void kexec_mod_image_hold_page(struct kexec_mod_image *image,
			       struct kexec_mod_dest *d, struct page *page,
			       phys_addr_t pa);
struct page *kexec_mod_image_take_held_page(struct kexec_mod_image *image,
					    unsigned long dest);
#endif

#endif /* KEXEC_MOD_IMAGE_H */
