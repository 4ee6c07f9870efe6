// SPDX-License-Identifier: GPL-2.0-only
/*
 * ARM side of loading an image: destinations must be RAM the kernel
 * knows, the secondary CPUs must be stoppable, the boot parameters for r2
 * are found, r1 gets the machine type, and the control page gets an
 * address its 1:1 section can live at.
 */

#include <linux/cpumask.h>
#include <linux/ctype.h>
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

/*
 * secondary_cpus: what an exec may do with the secondary CPUs.  The
 * kernel's own kexec refuses to load on SMP hardware unless the SMP
 * operations have a cpu_kill (platform_can_cpu_hotplug()): a CPU that
 * CPU hotplug only parks keeps waiting in a loop inside the old kernel,
 * in memory the copy and then the new kernel overwrite, and whatever
 * wakes it runs what is there by then.  Neither smp_ops nor that test is
 * exported, so the module goes by the device tree (see
 * machine_cpus_power_off()).  "auto" trusts CPU hotplug where the tree
 * says PSCI and refuses elsewhere while a secondary is online or parked;
 * "power-off" is the user's word that the board's own CPU hotplug powers
 * CPUs off; "park" accepts that they stay parked, provided every image
 * asks its kernel for one CPU so that it never wakes them.  Read-only
 * once loaded: the load checks an image against the mode its exec uses.
 */
enum machine_secondaries {
	MACHINE_SECONDARIES_AUTO,
	MACHINE_SECONDARIES_POWER_OFF,
	MACHINE_SECONDARIES_PARK,
};

static const char * const machine_secondaries_names[] = {
	[MACHINE_SECONDARIES_AUTO] = "auto",
	[MACHINE_SECONDARIES_POWER_OFF] = "power-off",
	[MACHINE_SECONDARIES_PARK] = "park",
};

static int machine_secondaries_mode = MACHINE_SECONDARIES_AUTO;

static int machine_secondaries_set(const char *val,
				   const struct kernel_param *kp)
{
	int mode = sysfs_match_string(machine_secondaries_names, val);

	if (mode < 0)
		return mode;
	machine_secondaries_mode = mode;
	return 0;
}

static int machine_secondaries_get(char *buffer,
				   const struct kernel_param *kp)
{
	return sysfs_emit(buffer, "%s\n",
			  machine_secondaries_names[machine_secondaries_mode]);
}

static const struct kernel_param_ops machine_secondaries_ops = {
	.set = machine_secondaries_set,
	.get = machine_secondaries_get,
};

module_param_cb(secondary_cpus, &machine_secondaries_ops, NULL, 0444);
MODULE_PARM_DESC(secondary_cpus,
		 "auto (default): exec only where PSCI powers secondary CPUs off; power-off: trust the board's CPU hotplug to; park: leave them parked, every image must boot with nosmp or maxcpus=1");

/* Reasons for the log (see kexec_dev.c), whole for grep. */
static const char machine_cpus_not_off[] =
	"without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites";
static const char machine_park_no_fdt[] =
	"secondary_cpus=park needs a device tree with the new kernel's command line";
static const char machine_park_bootargs[] =
	"secondary_cpus=park: the new kernel's bootargs must hold nosmp or maxcpus=1";

/*
 * Whether the kernel takes CPUs down through PSCI, whose CPU_OFF really
 * powers them off (psci_smp_ops has a cpu_kill).  The kernel picks those
 * operations when the firmware node it probed offers CPU_ON
 * (psci_smp_available()); PSCI 0.1 lists the functions it has, 0.2 and
 * later have CPU_ON and CPU_OFF by definition.  A board with its own
 * cpu_kill but no PSCI is not recognised: secondary_cpus=power-off.
 */
static bool machine_cpus_off_by_psci(void)
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
static bool machine_cpus_power_off(void)
{
	return machine_secondaries_mode == MACHINE_SECONDARIES_POWER_OFF ||
	       machine_cpus_off_by_psci();
}

/**
 * machine_secondaries_to_park() - how many secondary CPUs an exec would
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
unsigned int machine_secondaries_to_park(void)
{
	unsigned int cpu, ran = 0;

	if (machine_cpus_power_off())
		return 0;
	for_each_present_cpu(cpu)
		if (cpu_online(cpu) || kstat_cpu(cpu).irqs_sum)
			ran++;
	return ran > 1 ? ran - 1 : 0;
}

/**
 * machine_secondaries_refusal() - why an exec must not go on with the
 * secondary CPUs as CPU hotplug leaves them
 *
 * Context: the exec's pre-flight, before any CPU is taken offline.
 *
 * Return: NULL when it may (no CPU would be left parked, or
 * secondary_cpus=park accepts that), else the reason, for the log.
 */
const char *machine_secondaries_refusal(void)
{
	if (machine_secondaries_mode == MACHINE_SECONDARIES_PARK ||
	    !machine_secondaries_to_park())
		return NULL;
	return machine_cpus_not_off;
}

/* Flattened device tree tokens, and a bound for reading one in. */
#define MACHINE_FDT_BEGIN_NODE	1
#define MACHINE_FDT_END_NODE	2
#define MACHINE_FDT_PROP	3
#define MACHINE_FDT_NOP		4
#define MACHINE_FDT_END		9
#define MACHINE_FDT_HEADER	40
#define MACHINE_FDT_MAX		SZ_4M

/*
 * The bootargs of /chosen in the flattened tree @fdt of @size bytes, with
 * their length in @len; NULL when the tree has none or is malformed.  A
 * walk over the structure block, every offset checked against the block.
 */
static const char *machine_fdt_bootargs(const u8 *fdt, u32 size, u32 *len)
{
	u32 off_struct, off_strings, size_strings, size_struct;
	u32 pos, end, token, plen, nameoff;
	const char *strings, *name;
	bool in_chosen = false;
	int depth = 0;
	size_t n;

	if (size < MACHINE_FDT_HEADER)
		return NULL;
	off_struct = get_unaligned_be32(fdt + 8);
	off_strings = get_unaligned_be32(fdt + 12);
	size_strings = get_unaligned_be32(fdt + 32);
	size_struct = get_unaligned_be32(fdt + 20) >= 17 ?
		      get_unaligned_be32(fdt + 36) : size - off_struct;
	if (off_struct % 4 || off_struct > size ||
	    size_struct > size - off_struct || off_strings > size ||
	    size_strings > size - off_strings)
		return NULL;
	strings = (const char *)fdt + off_strings;

	pos = off_struct;
	end = off_struct + size_struct;
	while (end - pos >= 4) {
		token = get_unaligned_be32(fdt + pos);
		pos += 4;
		switch (token) {
		case MACHINE_FDT_BEGIN_NODE:
			name = (const char *)fdt + pos;
			n = strnlen(name, end - pos);
			if (n == end - pos)
				return NULL;
			depth++;
			in_chosen = depth == 2 &&
				    (!strcmp(name, "chosen") ||
				     !strncmp(name, "chosen@", 7));
			pos += ALIGN(n + 1, 4);
			break;
		case MACHINE_FDT_END_NODE:
			if (--depth < 0)
				return NULL;
			in_chosen = false;
			break;
		case MACHINE_FDT_PROP:
			if (end - pos < 8)
				return NULL;
			plen = get_unaligned_be32(fdt + pos);
			nameoff = get_unaligned_be32(fdt + pos + 4);
			pos += 8;
			if (plen > end - pos)
				return NULL;
			if (in_chosen && nameoff < size_strings &&
			    strnlen(strings + nameoff,
				    size_strings - nameoff) == 8 &&
			    !memcmp(strings + nameoff, "bootargs", 8)) {
				*len = plen;
				return (const char *)fdt + pos;
			}
			pos += ALIGN(plen, 4);
			break;
		case MACHINE_FDT_NOP:
			break;
		default:	/* MACHINE_FDT_END or garbage */
			return NULL;
		}
		if (pos > end)
			return NULL;
	}
	return NULL;
}

/*
 * Whether the command line @args (@len bytes, maybe NUL-terminated)
 * keeps a kernel on its boot CPU: "nosmp", or a last "maxcpus=" of 0 or
 * 1, as the kernel parses them; words after "--" are init's.
 */
static bool machine_cmdline_one_cpu(const char *args, u32 len)
{
	bool nosmp = false;
	int maxcpus = -1;
	char word[16];
	u32 i = 0, n;

	while (i < len && args[i]) {
		if (isspace(args[i])) {
			i++;
			continue;
		}
		for (n = 0; i + n < len && args[i + n] && !isspace(args[i + n]);
		     n++)
			;
		if (n < sizeof(word)) {
			memcpy(word, args + i, n);
			word[n] = '\0';
			if (!strcmp(word, "--"))
				break;
			if (!strcmp(word, "nosmp"))
				nosmp = true;
			else if (!strncmp(word, "maxcpus=", 8) &&
				 kstrtoint(word + 8, 0, &maxcpus))
				maxcpus = INT_MAX;
		} else if (!strncmp(args + i, "maxcpus=", 8)) {
			maxcpus = INT_MAX;	/* no number this long is 0 or 1 */
		}
		i += n;
	}
	return nosmp || maxcpus == 0 || maxcpus == 1;
}

/*
 * secondary_cpus=park: the image's device tree (the segment r2 points
 * at) must give its kernel a command line that keeps it on one CPU, so
 * that it never sends the parked secondaries the wake-up that would run
 * whatever it has put where they wait.
 */
static int machine_check_one_cpu(const struct kimage *image,
				 const __be32 *first_words,
				 struct kimage_reject *reject)
{
	const struct kimage_segment *seg = NULL;
	const char *args;
	u8 header[MACHINE_FDT_HEADER];
	unsigned long i;
	u32 size, len;
	u8 *fdt;
	int err = -EINVAL;

	reject->segment = -1;
	for (i = 0; i < image->nr_segments; i++)
		if (be32_to_cpu(first_words[i]) == MACHINE_FDT_MAGIC &&
		    image->segment[i].mem == image->boot_params) {
			seg = &image->segment[i];
			reject->segment = i;
		}
	if (!seg) {
		reject->reason = machine_park_no_fdt;
		return -EINVAL;
	}

	if (seg->bufsz < sizeof(header) ||
	    copy_from_user(header, seg->buf, sizeof(header))) {
		reject->reason = "buffer not readable";
		return -EFAULT;
	}
	size = get_unaligned_be32(header + 4);
	if (size < sizeof(header) || size > seg->bufsz ||
	    size > MACHINE_FDT_MAX) {
		reject->reason = "device tree size out of bounds";
		return -EINVAL;
	}
	fdt = vmemdup_user(seg->buf, size);
	if (IS_ERR(fdt)) {
		reject->reason = "buffer not readable";
		return PTR_ERR(fdt);
	}

	args = machine_fdt_bootargs(fdt, size, &len);
	if (args && machine_cmdline_one_cpu(args, len))
		err = 0;
	else
		reject->reason = machine_park_bootargs;
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
static int machine_check_secondaries(const struct kimage *image,
				     const __be32 *first_words,
				     struct kimage_reject *reject)
{
	if (num_possible_cpus() == 1 || machine_cpus_power_off())
		return 0;
	if (machine_secondaries_mode == MACHINE_SECONDARIES_PARK)
		return machine_check_one_cpu(image, first_words, reject);
	if (!machine_secondaries_to_park())
		return 0;
	reject->segment = -1;
	reject->reason = machine_cpus_not_off;
	return -EINVAL;
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
 * Return: 0, -EINVAL on an SMP kernel that cannot take CPUs offline or
 * cannot power them off (see machine_check_secondaries()), or -EFAULT
 * when a segment buffer cannot be read.
 */
int machine_prepare(struct kimage *image, struct kimage_reject *reject)
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
	err = machine_check_secondaries(image, first_words, reject);
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
