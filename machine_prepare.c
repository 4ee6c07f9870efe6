// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM side of loading an image: destinations must be RAM the kernel
 * knows, the boot parameters for r2 are found, r1 gets the machine type,
 * and the control page gets an address its 1:1 section can live at.
 */

#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>
#include <asm/mach-types.h>
#include <asm/memory.h>

#include "kimage.h"
#include "machine_prepare.h"

/**
 * machine_control_limit() - upper bound for the control page
 *
 * The exec path maps the control page 1:1 with a 1 MiB section in a copy
 * of the live first-level table.  That section must fall in the user
 * part of the address space, where nothing the switch still needs is
 * mapped: below both TASK_SIZE and MODULES_VADDR, with a spare megabyte
 * so the section never touches the boundary.
 *
 * Return: exclusive bound for the control page's physical end, or 0 when
 * even the first lowmem page lies above it.
 */
phys_addr_t machine_control_limit(void)
{
	unsigned long top = min_t(unsigned long, TASK_SIZE, MODULES_VADDR);
	phys_addr_t limit = round_down(top, SZ_1M) - SZ_1M;

	if (PHYS_OFFSET + PAGE_SIZE > limit)
		return 0;
	return limit;
}

struct machine_ram_walk {
	u64 next;	/* first byte not yet known to be System RAM */
};

/*
 * Called for each System RAM piece overlapping the range, in ascending
 * order and clipped to it; the range is covered when the pieces join up.
 */
static int machine_ram_piece(struct resource *res, void *arg)
{
	struct machine_ram_walk *walk = arg;

	if (res->start > walk->next)
		return 1;	/* a hole: stop the walk */
	walk->next = max_t(u64, walk->next, (u64)res->end + 1);
	return 0;
}

static bool machine_range_is_ram(u64 start, u64 size)
{
	struct machine_ram_walk walk = { .next = start };

	if (!size)
		return true;
	/*
	 * region_intersects() in this kernel reports a range that is part
	 * RAM and part nothing as RAM, so the pieces are joined here.
	 */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM,
			    start, start + size - 1, &walk, machine_ram_piece);
	return walk.next >= start + size;
}

/**
 * machine_check_memory() - each destination must be System RAM
 * @segments: checked segment list
 * @nr_segments: number of segments
 * @reject: filled in on failure
 *
 * In the kernel this is memblock_is_region_memory(); a module has no
 * memblock, but every memblock memory region is a "System RAM" resource.
 *
 * Return: 0 or -EINVAL.
 */
int machine_check_memory(const struct kimage_segment *segments,
			 unsigned long nr_segments,
			 struct kimage_reject *reject)
{
	unsigned long i;

	for (i = 0; i < nr_segments; i++) {
		if (!machine_range_is_ram(segments[i].mem, segments[i].memsz)) {
			reject->segment = i;
			reject->reason = "destination not entirely in System RAM";
			return -EINVAL;
		}
	}
	return 0;
}

/**
 * machine_pick_boot_params() - the physical address for r2
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
unsigned long machine_pick_boot_params(unsigned long start,
				       const struct kimage_segment *segments,
				       const __be32 *first_words,
				       unsigned long nr_segments)
{
	unsigned long params = start - MACHINE_ZIMAGE_OFFSET +
			       MACHINE_ATAGS_OFFSET;
	unsigned long i;

	for (i = 0; i < nr_segments; i++)
		if (be32_to_cpu(first_words[i]) == MACHINE_FDT_MAGIC)
			params = segments[i].mem;
	return params;
}

/**
 * machine_prepare() - ARM checks; fill in what the new kernel receives in
 * r1 and r2
 * @image: image with its segments set, before staging
 * @reject: filled in on failure
 *
 * Return: 0, -EINVAL on an SMP kernel that cannot take CPUs offline, or
 * -EFAULT when a segment buffer cannot be read.
 */
int machine_prepare(struct kimage *image, struct kimage_reject *reject)
{
	__be32 first_words[KEXEC_SEGMENT_MAX];
	unsigned long i;

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

	for (i = 0; i < image->nr_segments; i++) {
		const struct kimage_segment *seg = &image->segment[i];

		first_words[i] = 0;
		if (seg->bufsz < sizeof(first_words[i]))
			continue;
		if (copy_from_user(&first_words[i], seg->buf,
				   sizeof(first_words[i]))) {
			reject->segment = i;
			reject->reason = "buffer not readable";
			return -EFAULT;
		}
	}

	image->boot_params = machine_pick_boot_params(image->start,
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
