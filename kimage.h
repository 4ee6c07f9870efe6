/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec_mod's own image: the staged segments and the list the relocation
 * stub walks.  The kernel's struct kimage exists only with
 * CONFIG_KEXEC_CORE, so this header must never be mixed with
 * <linux/kexec.h>.
 */
#ifndef KEXEC_MOD_KIMAGE_H
#define KEXEC_MOD_KIMAGE_H

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/types.h>
#include <uapi/linux/kexec.h>

struct iov_iter;
struct page;

/*
 * The entry list, as the relocation stub walks it with the MMU off.
 *
 * Every entry is one unsigned long (the kernel's kimage_entry_t): a
 * page-aligned physical address with one IND_* flag in its low bits.
 * The stub keeps a destination pointer and reads entries one after
 * another:
 *
 *  IND_DESTINATION  the destination pointer becomes the address;
 *  IND_SOURCE       the page at the address is copied to the destination
 *                   pointer, which then advances by PAGE_SIZE;
 *  IND_INDIRECTION  reading continues with the first entry of the page at
 *                   the address (the last slot of every indirection page
 *                   is reserved for this entry or for IND_DONE);
 *  IND_DONE         the list ends; the stub jumps to kimage.start.
 *
 * The head field is the first entry, read exactly as any other entry:
 * (physical address of the first indirection page | IND_INDIRECTION)
 * once any page is staged, IND_DONE for an image with nothing to copy.
 * A stub may equally start at (head & PAGE_MASK) after checking
 * IND_INDIRECTION.  A source page may have its own destination as address
 * (a page staged in place); copying it onto itself is harmless.  Source,
 * indirection and control pages are lowmem below 4 GiB, and no source
 * page other than such an in-place page, no indirection page and no
 * control page overlaps any destination.
 */
#define IND_DESTINATION	0x1
#define IND_INDIRECTION	0x2
#define IND_DONE	0x4
#define IND_SOURCE	0x8
#define IND_FLAGS	(IND_DESTINATION | IND_INDIRECTION | IND_DONE | IND_SOURCE)

/*
 * Kernel-side struct kexec_segment: the uapi header hides its definition
 * from the kernel, and the module keeps buf as a user pointer.  The layout
 * is the native userspace layout, so an array is copied in as it is.
 */
struct kimage_segment {
	const void __user *buf;
	size_t bufsz;
	unsigned long mem;
	size_t memsz;
};

/**
 * struct kimage_dest - one segment's destination range while staging
 * @start: physical address of the range's first page
 * @end: physical end of the range (exclusive)
 * @first_bit: bit of the range's first page in the image's @held bitmap
 * @nr_staged: pages of the range, from the first, with a source entry
 * @first_slot: slot of the range's first source entry (once @nr_staged)
 */
struct kimage_dest {
	unsigned long start;
	unsigned long end;
	unsigned long first_bit;
	unsigned long nr_staged;
	unsigned long *first_slot;
};

/**
 * struct kimage - an image staged for the relocation stub
 * @start: physical entry point of the new kernel
 * @head: first entry of the list (see above)
 * @control_page: one lowmem page, no destination, for the stub and its
 *	1:1 section; its physical address plus PAGE_SIZE is at most
 *	@control_limit
 * @boot_params: physical address handed to the new kernel in r2
 * @machine_type: value handed to the new kernel in r1
 * @nr_segments: number of valid entries in @segment
 * @segment: the segments, as the user gave them
 * @nr_source_pages: IND_SOURCE entries in the list
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
 */
struct kimage {
	/* Read by the exec path; names and meaning are a contract. */
	unsigned long start;
	unsigned long head;
	struct page *control_page;
	unsigned long boot_params;
	unsigned long machine_type;

	unsigned long nr_segments;
	struct kimage_segment segment[KEXEC_SEGMENT_MAX];

	unsigned long nr_source_pages;
	unsigned long nr_control_rejects;
	unsigned long nr_in_place;
	unsigned long nr_swapped;
	phys_addr_t control_limit;

	/* Private to kimage.c. */
	unsigned long *entry;
	unsigned long *last_entry;
	struct kimage_dest dest[KEXEC_SEGMENT_MAX];
	unsigned char dest_order[KEXEC_SEGMENT_MAX];
	unsigned long nr_dests;
	unsigned long *held;
	struct list_head dest_pages;
	struct list_head unusable_pages;
};

/**
 * struct kimage_reject - why a request was refused, for the log line
 * @segment: index of the offending segment, or -1 for the whole request
 * @reason: short human-readable text
 */
struct kimage_reject {
	long segment;
	const char *reason;
};

int kimage_check_segments(const struct kimage_segment *segments,
			  unsigned long nr_segments, unsigned long ram_pages,
			  struct kimage_reject *reject);
struct kimage *kimage_alloc(unsigned long entry,
			    const struct kimage_segment *segments,
			    unsigned long nr_segments,
			    phys_addr_t control_limit);
int kimage_alloc_control_page(struct kimage *image);
int kimage_load_segment(struct kimage *image, unsigned long index,
			struct iov_iter *from);
void kimage_terminate(struct kimage *image);
void kimage_free(struct kimage *image);
unsigned long *kimage_next_entry(unsigned long *ptr);

#endif /* KEXEC_MOD_KIMAGE_H */
