// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a crash image: the rules kexec_load(2) has for KEXEC_ON_CRASH
 * (entry point and every destination inside the crash region, or
 * EADDRNOTAVAIL), and the copy of each segment straight to its
 * destination, as the kernel's kimage_load_crash_segment() does: at
 * panic time nothing is relocated, the stub only jumps.
 *
 * The crash region is not System RAM (crash_region.c): it has no struct
 * pages and no linear mapping, so the copy goes through short-lived
 * memremap() windows, cleaned to the point of coherency, outer cache
 * included, before they go.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cacheflush.h>
#include <asm/mach-types.h>
#include <asm/outercache.h>

#include "crash_load.h"
#include "crash_region.h"
#include "image.h"
#include "machine_prepare.h"

/*
 * One window at a time: a capture kernel's initrd may be most of the
 * region, far more than the vmalloc area holds at once.
 */
#define CRASH_LOAD_WINDOW	SZ_1M

/**
 * kexec_mod_crash_check_segments() - the crash region rules of a load
 * @entry: entry point asked for
 * @segments: the segments
 * @nr_segments: number of segments, at least one
 * @region_start: first byte of the crash region
 * @region_size: its size; 0 when there is none
 * @reject: filled in with the reason on failure
 *
 * In the kernel's order: the entry point first (kimage_alloc_init()), then
 * the rules every load has (kexec_mod_check_segments()), then each
 * destination against the region (sanity_check_segment_list()).  With no
 * region the kernel's crashk_res is empty and every entry point but 0
 * fails its check: EADDRNOTAVAIL here too, whatever the entry.
 *
 * Return: 0, -EADDRNOTAVAIL, or the error of the common rules.
 */
int kexec_mod_crash_check_segments(unsigned long entry,
				   const struct kexec_mod_segment *segments,
				   unsigned long nr_segments, u64 region_start,
				   u64 region_size,
				   struct kexec_mod_reject *reject)
{
	u64 last = region_start + region_size - 1;
	unsigned long i;
	int ret;

	reject->segment = -1;
	if (!region_size) {
		reject->reason = "no crash region: insmod with crashkernel=SIZE@ADDR";
		return -EADDRNOTAVAIL;
	}
	if (entry < region_start || entry > last) {
		reject->reason = "entry point outside the crash region";
		return -EADDRNOTAVAIL;
	}
	ret = kexec_mod_check_segments(segments, nr_segments, totalram_pages(),
				       reject);
	if (ret)
		return ret;
	for (i = 0; i < nr_segments; i++) {
		u64 start = segments[i].mem;
		u64 end = start + segments[i].memsz;

		if (start < region_start || end - 1 > last || end < start) {
			reject->segment = i;
			reject->reason = "destination outside the crash region";
			return -EADDRNOTAVAIL;
		}
	}
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_crash_check_segments);

/*
 * The first word of each buffer, for the FDT test that finds r2, read as
 * kexec_mod_arm_prepare() reads it: whatever bufsz says, so that a NULL
 * buffer is EFAULT here too.
 */
static int crash_load_first_words(const struct kexec_mod_segment *segments,
				  unsigned long nr_segments, __be32 *words,
				  struct kexec_mod_reject *reject)
{
	unsigned long i;
	__be32 word;

	for (i = 0; i < nr_segments; i++) {
		if (copy_from_user(&word, segments[i].buf, sizeof(word))) {
			reject->segment = i;
			reject->reason = "buffer not readable";
			return -EFAULT;
		}
		words[i] = segments[i].bufsz >= sizeof(word) ? word : 0;
	}
	return 0;
}

/* Copy one window: bytes from @from (as many as @from_len), then zeroes. */
static int crash_load_window(phys_addr_t pa, size_t len,
			     const u8 __user *from, size_t from_len)
{
	void *va = memremap(pa, len, MEMREMAP_WB);
	int ret = 0;

	if (!va)
		return -ENOMEM;
	if (from_len && copy_from_user(va, from, from_len))
		ret = -EFAULT;
	else
		memset(va + from_len, 0, len - from_len);
	/* The stub and the capture kernel read it with the caches off. */
	__cpuc_flush_dcache_area(va, len);
	outer_flush_range(pa, pa + len);
	memunmap(va);
	return ret;
}

/*
 * Segment @seg into its destination: its bytes, then zeroes up to
 * memsz, as kimage_load_crash_segment() leaves it.
 */
static int crash_load_segment(const struct kexec_mod_segment *seg)
{
	const u8 __user *from = seg->buf;
	size_t from_left = seg->bufsz;
	phys_addr_t pa = seg->mem;
	size_t left = seg->memsz;
	int ret;

	while (left) {
		size_t len = min_t(size_t, left,
				   CRASH_LOAD_WINDOW - (pa & (CRASH_LOAD_WINDOW - 1)));
		size_t from_len = min(len, from_left);

		ret = crash_load_window(pa, len, from, from_len);
		if (ret)
			return ret;
		pa += len;
		left -= len;
		from += from_len;
		from_left -= from_len;
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return 0;
}

/**
 * kexec_mod_crash_image_load() - check and copy a crash image into place
 * @entry: entry point
 * @segments: the segments, copied in from the user
 * @nr_segments: their number, at least one
 * @reject: filled in with the reason on failure
 *
 * The image that comes back has nothing to copy at panic time (its list
 * is ..._DONE) and a control page for the stub in lowmem; r1 and r2 are
 * found as for any image.  Unlike kexec_mod_arm_prepare(), neither
 * System RAM destinations nor stoppable secondary CPUs are asked for:
 * the destinations are the region's, and panic() has stopped the other
 * CPUs before the jump.
 *
 * Context: the crash region holds no crash image any more (the caller
 * unloaded it first): the copy overwrites it.
 * Return: the image, or an ERR_PTR(): -EADDRNOTAVAIL and the rules of
 * kexec_mod_crash_check_segments(), -EFAULT, -ENOMEM, -EINTR.
 */
struct kexec_mod_image *
kexec_mod_crash_image_load(unsigned long entry,
			   const struct kexec_mod_segment *segments,
			   unsigned long nr_segments,
			   struct kexec_mod_reject *reject)
{
	__be32 first_words[KEXEC_SEGMENT_MAX];
	struct kexec_mod_image *image;
	phys_addr_t limit;
	unsigned long i;
	int ret;

	ret = kexec_mod_crash_check_segments(entry, segments, nr_segments,
					     kexec_mod_crash_region_start(),
					     kexec_mod_crash_region_size(),
					     reject);
	if (ret)
		return ERR_PTR(ret);
	ret = crash_load_first_words(segments, nr_segments, first_words,
				     reject);
	if (ret)
		return ERR_PTR(ret);

	limit = kexec_mod_arm_control_limit();
	image = limit ? kexec_mod_image_alloc(entry, segments, nr_segments,
					      limit) : NULL;
	if (!image) {
		reject->segment = -1;
		reject->reason = "out of memory";
		return ERR_PTR(-ENOMEM);
	}
	ret = kexec_mod_image_alloc_control_page(image);
	if (ret) {
		reject->segment = -1;
		reject->reason = "no usable control page";
		goto out_free;
	}

	for (i = 0; i < nr_segments; i++) {
		ret = crash_load_segment(&segments[i]);
		if (ret) {
			reject->segment = i;
			reject->reason = ret == -EFAULT ? "buffer not readable" :
					 ret == -EINTR ? "interrupted by a fatal signal" :
					 "cannot map the crash region";
			goto out_free;
		}
	}
	kexec_mod_image_terminate(image);
	image->boot_params = kexec_mod_arm_boot_params(entry, segments,
						       first_words,
						       nr_segments);
	image->machine_type = machine_arch_type;
	return image;

out_free:
	kexec_mod_image_free(image);
	return ERR_PTR(ret);
}
