// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rules kexec_load(2) applies to a segment list before it allocates
 * anything (sanity_check_segment_list() in kernel/kexec_core.c, and the
 * count check in kernel/kexec.c), with the kernel's errno values.  Pure
 * checks: whether a destination is RAM is the machine code's business
 * (machine_prepare.c).
 */

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/mm.h>

#include "image.h"

/**
 * kexec_mod_check_nr_segments() - the segment count kexec_load(2) accepts
 * @nr_segments: number of segments the user asks for
 * @reject: filled in with the reason on failure
 *
 * Checked before the segment list is copied in, as kexec_load does.
 *
 * Return: 0 or -EINVAL.
 */
int kexec_mod_check_nr_segments(unsigned long nr_segments,
				struct kexec_mod_reject *reject)
{
	if (nr_segments <= KEXEC_SEGMENT_MAX)
		return 0;
	reject->segment = -1;
	reject->reason = "more segments than KEXEC_SEGMENT_MAX";
	return -EINVAL;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_check_nr_segments);

/*
 * The stub copies whole pages, so anything but page granularity would
 * silently copy bytes the user never asked for; and a range that wraps
 * cannot be described by the list at all.
 */
static int segment_check_bounds(const struct kexec_mod_segment *seg,
				struct kexec_mod_reject *reject)
{
	unsigned long start = seg->mem;
	unsigned long end = start + seg->memsz;

	if (end < start) {
		reject->reason = "destination wraps around";
		return -EADDRNOTAVAIL;
	}
	if (!PAGE_ALIGNED(start) || !PAGE_ALIGNED(end)) {
		reject->reason = "destination not page aligned";
		return -EADDRNOTAVAIL;
	}
	return 0;
}

/* Whether [@a_start, @a_end) and [@b_start, @b_end) share a byte. */
static bool segment_ranges_overlap(u64 a_start, u64 a_end, u64 b_start,
				   u64 b_end)
{
	return a_start < b_end && b_start < a_end;
}

/* One segment landing on another makes the result order dependent. */
static int segment_check_overlap(const struct kexec_mod_segment *segments,
				 unsigned long i,
				 struct kexec_mod_reject *reject)
{
	const struct kexec_mod_segment *seg = &segments[i];
	unsigned long j;

	for (j = 0; j < i; j++) {
		if (segment_ranges_overlap(seg->mem, seg->mem + seg->memsz,
					   segments[j].mem,
					   segments[j].mem + segments[j].memsz)) {
			reject->reason = "destination overlaps an earlier segment";
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Staging needs a second copy of everything in RAM; refusing more than
 * half of it up front avoids a long, doomed allocation run.  @total
 * accumulates the pages of the segments checked so far.
 */
static int segment_check_size(const struct kexec_mod_segment *seg,
			      unsigned long ram_pages, unsigned long *total,
			      struct kexec_mod_reject *reject)
{
	unsigned long pages = kexec_mod_pages_of(seg->memsz);

	if (pages > ram_pages / 2) {
		reject->reason = "segment larger than half of RAM";
		return -EINVAL;
	}
	*total += pages;
	if (*total > ram_pages / 2) {
		reject->reason = "segments together larger than half of RAM";
		return -EINVAL;
	}
	return 0;
}

/**
 * kexec_mod_check_segments() - apply kexec_load's rules to a segment list
 * @segments: the segments as the user gave them
 * @nr_segments: number of segments, checked by
 *	kexec_mod_check_nr_segments()
 * @ram_pages: pages of RAM the half-of-memory rule is measured against
 * @reject: filled in with the offending segment and the reason on failure
 *
 * In the kernel's order, each rule over all segments before the next:
 * page-aligned, non-wrapping destinations, then overlaps, then buffer
 * sizes, then the amount of memory.
 *
 * Return: 0, -EADDRNOTAVAIL for a bad destination or -EINVAL.
 */
int kexec_mod_check_segments(const struct kexec_mod_segment *segments,
			     unsigned long nr_segments, unsigned long ram_pages,
			     struct kexec_mod_reject *reject)
{
	unsigned long total = 0;
	unsigned long i;
	int err;

	for (i = 0; i < nr_segments; i++) {
		err = segment_check_bounds(&segments[i], reject);
		if (err)
			goto out;
	}
	for (i = 0; i < nr_segments; i++) {
		err = segment_check_overlap(segments, i, reject);
		if (err)
			goto out;
	}
	for (i = 0; i < nr_segments; i++) {
		if (segments[i].bufsz > segments[i].memsz) {
			reject->reason = "bufsz larger than memsz";
			err = -EINVAL;
			goto out;
		}
	}
	for (i = 0; i < nr_segments; i++) {
		err = segment_check_size(&segments[i], ram_pages, &total,
					 reject);
		if (err)
			goto out;
	}
	reject->segment = -1;
	reject->reason = NULL;
	return 0;

out:
	reject->segment = i;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_check_segments);
