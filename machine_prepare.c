// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM side of loading an image: destinations must be RAM the kernel
 * knows, the secondary CPUs must be stoppable, the boot parameters for r2
 * are found, r1 gets the machine type, and the control page gets an
 * address its 1:1 section can live at.
 */

#include <kunit/visibility.h>
#include <linux/cpumask.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/kernel_stat.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/mach-types.h>
#include <asm/memory.h>

#include "compat.h"
#include "image.h"
#include "bootargs.h"
#include "machine_prepare.h"

/**
 * kexec_mod_arm_control_limit() - upper bound for the control page
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
phys_addr_t kexec_mod_arm_control_limit(void)
{
	unsigned long top = min_t(unsigned long, TASK_SIZE, MODULES_VADDR);
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

/*
 * secondary_cpus: what an exec may do with the secondary CPUs.  The
 * kernel's own kexec refuses to load on SMP hardware unless the SMP
 * operations have a cpu_kill (platform_can_cpu_hotplug()): a CPU that
 * CPU hotplug only parks keeps waiting in a loop inside the old kernel,
 * in memory the copy and then the new kernel overwrite, and whatever
 * wakes it runs what is there by then.  Neither smp_ops nor that test is
 * exported, so the module goes by the device tree (see
 * arm_cpus_power_off()).  "auto" trusts CPU hotplug where the tree
 * says PSCI and refuses elsewhere while a secondary is online or parked;
 * "power-off" is the user's word that the board's own CPU hotplug powers
 * CPUs off; "park" accepts that they stay parked, provided every image
 * asks its kernel for one CPU so that it never wakes them.  Read-only
 * once loaded: the load checks an image against the mode its exec uses.
 */
enum arm_secondaries {
	ARM_SECONDARIES_AUTO,
	ARM_SECONDARIES_POWER_OFF,
	ARM_SECONDARIES_PARK,
};

static const char * const arm_secondaries_names[] = {
	[ARM_SECONDARIES_AUTO] = "auto",
	[ARM_SECONDARIES_POWER_OFF] = "power-off",
	[ARM_SECONDARIES_PARK] = "park",
};

static int arm_secondaries_mode = ARM_SECONDARIES_AUTO;

static int arm_secondaries_set(const char *val,
			       const struct kernel_param *kp)
{
	int mode = sysfs_match_string(arm_secondaries_names, val);

	if (mode < 0)
		return mode;
	arm_secondaries_mode = mode;
	return 0;
}

static int arm_secondaries_get(char *buffer,
			       const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n",
			  arm_secondaries_names[arm_secondaries_mode]);
}

static const struct kernel_param_ops arm_secondaries_ops = {
	.set = arm_secondaries_set,
	.get = arm_secondaries_get,
};

module_param_cb(secondary_cpus, &arm_secondaries_ops, NULL, 0444);
MODULE_PARM_DESC(secondary_cpus,
		 "auto (default): exec only where PSCI powers secondary CPUs off; power-off: trust the board's CPU hotplug to; park: leave them parked, every image must boot with nosmp or maxcpus=1");

/* Reasons for the log (see kexec_dev.c), whole for grep. */
static const char arm_cpus_not_off[] =
	"without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites";
static const char arm_park_no_fdt[] =
	"secondary_cpus=park needs a device tree with the new kernel's command line";
static const char arm_park_bootargs[] =
	"secondary_cpus=park: the new kernel's bootargs must hold nosmp or maxcpus=1";

/*
 * Whether the kernel takes CPUs down through PSCI, whose CPU_OFF really
 * powers them off (psci_smp_ops has a cpu_kill).  The kernel picks those
 * operations when the firmware node it probed offers CPU_ON
 * (psci_smp_available()); PSCI 0.1 lists the functions it has, 0.2 and
 * later have CPU_ON and CPU_OFF by definition.  A board with its own
 * cpu_kill but no PSCI is not recognised: secondary_cpus=power-off.
 */
static bool arm_cpus_off_by_psci(void)
{
	static const char * const compatibles[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
	};
	struct device_node *np = NULL;
	const char *method;
	bool psci = false;
	int i;

	if (!IS_ENABLED(CONFIG_ARM_PSCI))
		return false;
	for (i = 0; i < ARRAY_SIZE(compatibles) && !np; i++)
		np = of_find_compatible_node(NULL, NULL, compatibles[i]);
	if (!np)
		return false;
	if (!of_device_is_available(np) ||
	    of_property_read_string(np, "method", &method) ||
	    (strcmp(method, "smc") && strcmp(method, "hvc")))
		goto out_put;
	if (of_device_is_compatible(np, "arm,psci-0.2") ||
	    of_device_is_compatible(np, "arm,psci-1.0"))
		psci = true;
	else
		psci = of_find_property(np, "cpu_on", NULL) &&
		       of_find_property(np, "cpu_off", NULL);
out_put:
	of_node_put(np);
	return psci;
}

/*
 * Whether a CPU that CPU hotplug takes down is powered off, not parked:
 * the module's stand-in for platform_can_cpu_hotplug().
 */
static bool arm_cpus_power_off(void)
{
	return arm_secondaries_mode == ARM_SECONDARIES_POWER_OFF ||
	       arm_cpus_off_by_psci();
}

/**
 * kexec_mod_arm_secondaries_to_park() - how many secondary CPUs an exec would
 * leave parked in the old kernel's memory
 *
 * Those are the online secondaries, which the exec takes offline, and the
 * present CPUs that went offline after running this kernel: an online CPU
 * takes its tick and IPIs, one that never came up (a CPU the device tree
 * declares but the machine lacks, or one maxcpus= held back) took no
 * interrupt at all.  CPUs that are powered off count for nothing.
 *
 * Return: the number of CPUs, 0 where none would be parked.
 */
unsigned int kexec_mod_arm_secondaries_to_park(void)
{
	unsigned int cpu, ran = 0;

	if (arm_cpus_power_off())
		return 0;
	for_each_present_cpu(cpu)
		if (cpu_online(cpu) || kstat_cpu(cpu).irqs_sum)
			ran++;
	return ran > 1 ? ran - 1 : 0;
}

/**
 * kexec_mod_arm_secondaries_refusal() - why an exec must not go on with the
 * secondary CPUs as CPU hotplug leaves them
 *
 * Context: the exec's pre-flight, before any CPU is taken offline.
 *
 * Return: NULL when it may (no CPU would be left parked, or
 * secondary_cpus=park accepts that), else the reason, for the log.
 */
const char *kexec_mod_arm_secondaries_refusal(void)
{
	if (arm_secondaries_mode == ARM_SECONDARIES_PARK ||
	    !kexec_mod_arm_secondaries_to_park())
		return NULL;
	return arm_cpus_not_off;
}

/* A bound for reading an image's device tree in. */
#define ARM_FDT_MAX		SZ_4M

/*
 * secondary_cpus=park: the image's device tree (the segment r2 points
 * at) must give its kernel a command line that keeps it on one CPU, so
 * that it never sends the parked secondaries the wake-up that would run
 * whatever it has put where they wait.
 */
static int arm_check_one_cpu(const struct kexec_mod_image *image,
			     const __be32 *first_words,
			     struct kexec_mod_reject *reject)
{
	const struct kexec_mod_segment *seg = NULL;
	const char *args;
	u8 header[KEXEC_MOD_FDT_HEADER];
	unsigned long i;
	u32 size, len;
	u8 *fdt;
	int err = -EINVAL;

	reject->segment = -1;
	for (i = 0; i < image->nr_segments; i++)
		if (be32_to_cpu(first_words[i]) == KEXEC_MOD_ARM_FDT_MAGIC &&
		    image->segment[i].mem == image->boot_params) {
			seg = &image->segment[i];
			reject->segment = i;
		}
	if (!seg) {
		reject->reason = arm_park_no_fdt;
		return -EINVAL;
	}

	if (seg->bufsz < sizeof(header) ||
	    copy_from_user(header, seg->buf, sizeof(header))) {
		reject->reason = "buffer not readable";
		return -EFAULT;
	}
	size = get_unaligned_be32(header + 4);
	if (size < sizeof(header) || size > seg->bufsz ||
	    size > ARM_FDT_MAX) {
		reject->reason = "device tree size out of bounds";
		return -EINVAL;
	}
	fdt = vmemdup_user(seg->buf, size);
	if (IS_ERR(fdt)) {
		reject->reason = "buffer not readable";
		return PTR_ERR(fdt);
	}

	args = kexec_mod_fdt_bootargs(fdt, size, &len);
	if (args && kexec_mod_cmdline_one_cpu(args, len))
		err = 0;
	else
		reject->reason = arm_park_bootargs;
	kvfree(fdt);
	return err;
}

/*
 * As the kernel's machine_kexec_prepare(), at load already: an SMP
 * kernel must be able to stop its secondaries for good.  Where CPU
 * hotplug only parks them, the load is refused while a secondary is
 * online or parked (the exec checks again, for CPUs brought up later),
 * unless the user accepts parking them and the image boots on one CPU.
 * The kernel refuses whenever more than one CPU is possible; a device
 * tree that declares more CPUs than the board has would then make kexec
 * impossible even on one CPU.
 */
static int arm_check_secondaries(const struct kexec_mod_image *image,
				 const __be32 *first_words,
				 struct kexec_mod_reject *reject)
{
	if (num_possible_cpus() == 1 || arm_cpus_power_off())
		return 0;
	if (arm_secondaries_mode == ARM_SECONDARIES_PARK)
		return arm_check_one_cpu(image, first_words, reject);
	if (!kexec_mod_arm_secondaries_to_park())
		return 0;
	reject->segment = -1;
	reject->reason = arm_cpus_not_off;
	return -EINVAL;
}

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
 * Return: 0, -EINVAL on an SMP kernel that cannot take CPUs offline or
 * cannot power them off (see arm_check_secondaries()) or for a
 * destination outside System RAM, or -EFAULT when a segment buffer
 * cannot be read.
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
	err = arm_check_secondaries(image, first_words, reject);
	if (err)
		return err;
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
