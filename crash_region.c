// SPDX-License-Identifier: GPL-2.0-only
/*
 * The crash region: where a capture kernel waits for the running kernel
 * to panic.  A kernel without CONFIG_KEXEC ignores crashkernel= on its
 * command line, so the user hides the memory from it at boot (mem=, or a
 * /reserved-memory node with no-map) and names it to the module in the
 * kernel's own syntax, crashkernel=SIZE@ADDR.  The module checks it and
 * publishes it as the kernel would have: "Crash kernel" in /proc/iomem,
 * where kexec-tools looks for it, and /sys/kernel/kexec_crash_size.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <kunit/visibility.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "crash_kexec.h"
#include "crash_region.h"

/*
 * An ARM zImage built with AUTO_ZRELADDR decompresses its kernel to the
 * 128 MiB-aligned address below the one it runs at, plus TEXT_OFFSET: a
 * capture kernel decompresses inside the region only if the region starts
 * on such a boundary (the kernel reserves crashkernel= at that alignment
 * when it picks the place itself).
 */
#define CRASH_REGION_ALIGN	SZ_128M

static char *crashkernel;
module_param(crashkernel, charp, 0444);
MODULE_PARM_DESC(crashkernel,
		 "SIZE@ADDR: the crash region, memory hidden from the kernel at boot (mem=, or /reserved-memory with no-map); published as \"Crash kernel\" in /proc/iomem");

static struct resource crash_region_res = {
	.name = "Crash kernel",
	/* Not System RAM, as the kernel's is: the kernel does not use it. */
	.flags = IORESOURCE_MEM | IORESOURCE_BUSY,
	.desc = IORES_DESC_CRASH_KERNEL,
};

static bool crash_region_published;
static bool crash_region_sysfs;

/**
 * kexec_mod_crash_region_parse() - read crashkernel=SIZE@ADDR
 * @arg: the parameter's text
 * @start: set to the region's first byte
 * @size: set to its size in bytes
 *
 * Only the fixed form: the kernel's ranges (ranges:size) and the ",high"
 * and ",low" suffixes choose memory at boot, which a module cannot do.
 *
 * Return: 0, or -EINVAL when @arg is not SIZE@ADDR with a non-zero SIZE.
 */
int kexec_mod_crash_region_parse(const char *arg, u64 *start, u64 *size)
{
	char *cur;

	*size = memparse(arg, &cur);
	if (cur == arg || *cur != '@' || !*size)
		return -EINVAL;
	arg = cur + 1;
	*start = memparse(arg, &cur);
	if (cur == arg || *cur)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_crash_region_parse);

/* Whether [start, end] lies in one range of a device-tree memory node. */
static bool crash_region_in_dt_memory(u64 start, u64 end)
{
	struct device_node *np;
	struct resource res;
	bool found = false;
	int i;

	for_each_node_by_type(np, "memory") {
		for (i = 0; !found && !of_address_to_resource(np, i, &res); i++)
			found = start >= res.start && end <= res.end;
		if (found) {
			of_node_put(np);
			break;
		}
	}
	return found;
}

/*
 * Why the region cannot be used, or NULL: it must be page and 128 MiB
 * aligned, physical memory the device tree describes, and neither System
 * RAM nor claimed by anything else (checked when it is requested).
 */
static const char *crash_region_refusal(u64 start, u64 size)
{
	u64 end = start + size - 1;

	if (end < start || end > PHYS_ADDR_MAX)
		return "beyond the physical address space";
	if (!IS_ALIGNED(start, CRASH_REGION_ALIGN))
		return "not 128 MiB aligned, as a zImage needs it";
	if (!IS_ALIGNED(size, PAGE_SIZE))
		return "size not a multiple of the page size";
	if (region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return "overlaps System RAM (hide it with mem= or a no-map /reserved-memory node)";
	if (!crash_region_in_dt_memory(start, end))
		return "not memory the device tree describes";
	return NULL;
}

static ssize_t kexec_crash_size_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", kexec_mod_crash_region_size());
}

static ssize_t kexec_crash_loaded_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", kexec_mod_crash_loaded());
}

static struct kobj_attribute kexec_crash_size_attr =
	__ATTR(kexec_crash_size, 0444, kexec_crash_size_show, NULL);
static struct kobj_attribute kexec_crash_loaded_attr =
	__ATTR(kexec_crash_loaded, 0444, kexec_crash_loaded_show, NULL);

static struct attribute *crash_region_attrs[] = {
	&kexec_crash_size_attr.attr,
	&kexec_crash_loaded_attr.attr,
	NULL,
};

static const struct attribute_group crash_region_group = {
	.attrs = crash_region_attrs,
};

/*
 * The kernel's /sys/kernel/kexec_crash_size and kexec_crash_loaded, where
 * it has none: 0 and 0 without a region, as the kernel's read then.
 */
static int crash_region_sysfs_init(void)
{
	int ret;

	if (KEXEC_MOD_KERNEL_CRASH_SYSFS)
		return 0;
	ret = sysfs_create_group(kernel_kobj, &crash_region_group);
	if (!ret)
		crash_region_sysfs = true;
	return ret;
}

/**
 * kexec_mod_crash_region_start() - the crash region's first byte
 *
 * Return: its physical address, or 0 when there is no region.
 */
u64 kexec_mod_crash_region_start(void)
{
	return crash_region_published ? crash_region_res.start : 0;
}

/**
 * kexec_mod_crash_region_size() - size of the crash region
 *
 * Return: its size in bytes, 0 when there is none.
 */
u64 kexec_mod_crash_region_size(void)
{
	return crash_region_published ? resource_size(&crash_region_res) : 0;
}

/**
 * kexec_mod_crash_region_init() - check and publish crashkernel=
 *
 * Without the parameter there is no region; the sysfs files say so
 * (size 0), as the kernel's do without crashkernel=.  The kernel's own
 * /sys/kernel/kexec_crash_{loaded,size} stay where the kernel has them
 * (KEXEC_MOD_KERNEL_CRASH_SYSFS); the module's are read-only (the
 * kernel's kexec_crash_size can shrink its region).
 *
 * Context: module init.
 * Return: 0, -EINVAL for a parameter that is not SIZE@ADDR or a region
 * that cannot be used, -EBUSY when something else claims it, or the
 * error of the sysfs files; each with one line saying why.
 */
int kexec_mod_crash_region_init(void)
{
	const char *why;
	u64 start, size;
	int ret;

	if (!crashkernel || !*crashkernel)
		return crash_region_sysfs_init();
	if (kexec_mod_crash_region_parse(crashkernel, &start, &size)) {
		pr_err("crashkernel=%s: not SIZE@ADDR\n", crashkernel);
		return -EINVAL;
	}
	why = crash_region_refusal(start, size);
	if (why) {
		pr_err("crashkernel=%s: %s\n", crashkernel, why);
		return -EINVAL;
	}
	crash_region_res.start = start;
	crash_region_res.end = start + size - 1;
	ret = request_resource(&iomem_resource, &crash_region_res);
	if (ret) {
		pr_err("crashkernel=%s: claimed by another resource in /proc/iomem\n",
		       crashkernel);
		return -EBUSY;
	}
	crash_region_published = true;
	ret = crash_region_sysfs_init();
	if (ret) {
		kexec_mod_crash_region_exit();
		return ret;
	}
	pr_info("crash region %pR\n", &crash_region_res);
	return 0;
}

/**
 * kexec_mod_crash_region_exit() - withdraw the crash region
 *
 * Harmless when there is none.
 */
void kexec_mod_crash_region_exit(void)
{
	if (crash_region_sysfs)
		sysfs_remove_group(kernel_kobj, &crash_region_group);
	crash_region_sysfs = false;
	if (crash_region_published)
		release_resource(&crash_region_res);
	crash_region_published = false;
}
