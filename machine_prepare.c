// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM side of loading an image: destinations must be RAM the kernel
 * knows, the secondary CPUs must be stoppable (secondaries.c says
 * whether), the boot parameters for r2 are found, r1 gets the machine
 * type, and the control page gets an address its 1:1 section can live at.
 */

#include <kunit/visibility.h>
#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/mach-types.h>
#include <asm/memory.h>

#include "compat.h"
#include "exec_pgtable.h"
#include "image.h"
#include "machine_prepare.h"
#include "secondaries.h"

/**
 * kexec_mod_arm_control_limit() - upper bound for the control page
 *
 * The exec path maps the control page 1:1 with a 1 MiB section (2 MiB
 * block with LPAE) in a copy of the live first-level table.  That block
 * must fall in the user part of the address space, where nothing the
 * switch still needs is mapped, and within TTBR0's region: below
 * MODULES_VADDR and kexec_mod_idmap_top(), with a spare megabyte so that
 * a section never touches the boundary.
 *
 * Return: exclusive bound for the control page's physical end, or 0 when
 * even the first lowmem page lies above it.
 */
phys_addr_t kexec_mod_arm_control_limit(void)
{
	u64 top = min_t(u64, kexec_mod_idmap_top(), MODULES_VADDR);
	phys_addr_t limit = round_down(top, SZ_1M) - SZ_1M;

	if (PHYS_OFFSET + PAGE_SIZE > limit)
		return 0;
	return limit;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_arm_control_limit);

/* A run of System RAM being joined from adjacent resources. */
struct arm_ram_walk {
	bool (*fn)(u64 start, u64 end, void *arg);
	void *arg;
	u64 start;	/* first byte of the run */
	u64 end;	/* first byte after it; 0 before the first piece */
};

/*
 * Called for each System RAM piece in the walked range, in ascending
 * order and clipped to the range; a piece that does not continue the
 * run ends it.
 */
static int arm_ram_piece(struct resource *res, void *arg)
{
	struct arm_ram_walk *walk = arg;
	bool stop = false;

	if (walk->end && res->start == walk->end) {
		walk->end = (u64)res->end + 1;
		return 0;
	}
	if (walk->end)
		stop = walk->fn(walk->start, walk->end, walk->arg);
	walk->start = res->start;
	walk->end = (u64)res->end + 1;
	return stop;	/* 1 ends walk_iomem_res_desc() with 1 */
}

/**
 * kexec_mod_ram_walk() - call @fn for each run of System RAM in a range
 * @start: first byte of the range
 * @last: last byte of the range
 * @fn: called with each run's first byte and the byte after it; true
 *	ends the walk
 * @arg: passed to @fn
 *
 * The module's one view of "System RAM" in the iomem resource tree, for
 * the load's checks and the exec's copy table.  Adjacent resources are
 * joined into one run (the kernel registers one per memblock region, and
 * region_intersects() in 6.1 reports a range that is part RAM and part
 * nothing as RAM); runs are clipped to the range.
 */
void kexec_mod_ram_walk(u64 start, u64 last,
			bool (*fn)(u64 start, u64 end, void *arg), void *arg)
{
	struct arm_ram_walk walk = { .fn = fn, .arg = arg };

	if (walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, start,
				last, &walk, arm_ram_piece) > 0)
		return;	/* stopped by @fn */
	if (walk.end)
		fn(walk.start, walk.end, arg);
}

struct arm_ram_cover {
	u64 start;
	u64 end;
	bool covered;
};

static bool arm_ram_run_covers(u64 start, u64 end, void *arg)
{
	struct arm_ram_cover *cover = arg;

	cover->covered = start <= cover->start && end >= cover->end;
	return true;	/* the first run decides */
}

/**
 * kexec_mod_arm_dest_is_ram() - whether a destination lies in System RAM
 * @seg: segment whose destination is checked
 *
 * In the kernel's machine_kexec_prepare() this is
 * memblock_is_region_memory(); a module has no memblock, but every
 * memblock memory region the kernel maps is a "System RAM" resource.  As
 * there, a segment of no bytes still needs its address inside RAM.
 *
 * Return: true when [@seg->mem, @seg->mem + @seg->memsz) is one run of
 * System RAM.
 */
bool kexec_mod_arm_dest_is_ram(const struct kexec_mod_segment *seg)
{
	u64 start = seg->mem;
	struct arm_ram_cover cover = {
		.start = start,
		.end = start + max_t(u64, seg->memsz, 1),
	};

	/* walk_iomem_res_desc() refuses a range of one byte: walk two. */
	kexec_mod_ram_walk(start, max(cover.end - 1, start + 1),
			   arm_ram_run_covers, &cover);
	return cover.covered;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_arm_dest_is_ram);

/**
 * kexec_mod_arm_boot_params() - the physical address for r2
 * @start: entry point of the image
 * @segments: the segments
 * @first_words: first 32-bit word of each segment's buffer, 0 if shorter
 * @nr_segments: number of segments
 *
 * A segment that starts with a device tree is what the new kernel gets in
 * r2 (the last one, if several do).  Without one, r2 points where ATAGs
 * sit relative to a zImage loaded at its usual offset.
 *
 * Return: physical address for r2.
 */
unsigned long kexec_mod_arm_boot_params(unsigned long start,
					const struct kexec_mod_segment *segments,
					const __be32 *first_words,
					unsigned long nr_segments)
{
	unsigned long params = start - KEXEC_MOD_ARM_ZIMAGE_OFFSET +
			       KEXEC_MOD_ARM_ATAGS_OFFSET;
	unsigned long i;

	for (i = 0; i < nr_segments; i++)
		if (be32_to_cpu(first_words[i]) == KEXEC_MOD_ARM_FDT_MAGIC)
			params = segments[i].mem;
	return params;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_arm_boot_params);

/*
 * One turn of machine_kexec_prepare()'s loop, in its order: the
 * destination must be RAM, then the buffer's first word is read for the
 * FDT magic.  The word is read whatever bufsz says, as get_user() does
 * there, so that a request fails here as it fails there (a zero-length
 * NULL buffer is EFAULT); it counts as the segment's first word only
 * when bufsz covers it.
 */
static int arm_prepare_segment(const struct kexec_mod_segment *seg,
			       __be32 *first_word,
			       struct kexec_mod_reject *reject)
{
	__be32 word;

	if (!kexec_mod_arm_dest_is_ram(seg)) {
		reject->reason = "destination not entirely in System RAM";
		return -EINVAL;
	}
	if (copy_from_user(&word, seg->buf, sizeof(word))) {
		reject->reason = "buffer not readable";
		return -EFAULT;
	}
	*first_word = seg->bufsz >= sizeof(word) ? word : 0;
	return 0;
}

/**
 * kexec_mod_arm_prepare() - ARM checks; fill in what the new kernel receives in
 * r1 and r2
 * @image: image with its segments set, before staging
 * @reject: filled in on failure
 *
 * The order is machine_kexec_prepare()'s: the secondary CPUs first, then
 * one segment at a time.
 *
 * Return: 0, -EINVAL on an SMP kernel that cannot take CPUs offline or
 * cannot power them off (see kexec_mod_arm_secondaries_check_load()) or
 * for a destination outside System RAM, or -EFAULT when a segment
 * buffer cannot be read.
 */
int kexec_mod_arm_prepare(struct kexec_mod_image *image,
			  struct kexec_mod_reject *reject)
{
	__be32 first_words[KEXEC_SEGMENT_MAX];
	unsigned long i;
	int err;

	/*
	 * As the kernel's machine_kexec_prepare(): the exec must take the
	 * secondary CPUs offline (one merely stopped runs on in memory the
	 * copy overwrites), so an SMP kernel without CPU hotplug is refused
	 * at load already.  The exec checks again, for CPUs that came later.
	 */
	if (num_possible_cpus() > 1 && !IS_ENABLED(CONFIG_HOTPLUG_CPU)) {
		reject->segment = -1;
		reject->reason =
			"SMP kernel without CONFIG_HOTPLUG_CPU cannot stop its secondary CPUs";
		return -EINVAL;
	}
	err = kexec_mod_arm_secondaries_check_load(reject);
	if (err)
		return err;

	for (i = 0; i < image->nr_segments; i++) {
		err = arm_prepare_segment(&image->segment[i], &first_words[i],
					  reject);
		if (err) {
			reject->segment = i;
			return err;
		}
	}

	image->boot_params = kexec_mod_arm_boot_params(image->start,
						       image->segment,
						       first_words,
						       image->nr_segments);
	/*
	 * machine_arch_type is the exported __machine_arch_type on any
	 * multi-machine kernel (the constant on a single-board one), the
	 * value the kernel itself would pass on: what the boot loader
	 * passed for ATAG boots, or ~0 when the kernel matched a device
	 * tree machine, which is what a DT kernel expects in r1.
	 */
	image->machine_type = machine_arch_type;
	return 0;
}
