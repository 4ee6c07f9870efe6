// SPDX-License-Identifier: GPL-2.0-only
/*
 * The crash path: the loaded crash image, the notes a dump reads the
 * panicking CPU's registers from, and the panic notifier that starts the
 * capture kernel.
 *
 * The kernel's panic() calls crash_kexec() before anything else where it
 * has CONFIG_KEXEC; here it has not, so the module comes in through the
 * panic notifier chain, first in it.  By then panic() has stopped the
 * other CPUs (smp_send_stop(), or crash_smp_send_stop() with
 * crash_kexec_post_notifiers), as it does before crash_kexec(); the
 * notifier saves the panicking CPU's registers as an ELF PRSTATUS note,
 * as crash_save_cpu() does, and jumps: no device shutdown, no copy.
 *
 * The notes are one buffer per possible CPU, in lowmem, published where
 * kexec-tools reads them (/sys/devices/system/cpu/cpuN/crash_notes and
 * crash_notes_size) on kernels that have no such files of their own.  The
 * ELF core header the capture kernel gets points at them; the buffers of
 * CPUs that did not panic stay empty, and the capture kernel's vmcore
 * skips them.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/device.h>
#include <linux/elf.h>
#include <linux/elfcore.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>

#include "boot_mode.h"
#include "compat.h"
#include "crash_kexec.h"
#include "crash_load.h"
#include "debug_uart.h"
#include "exec_pgtable.h"
#include "image.h"
#include "machine_kexec.h"
#include "trigger.h"

/*
 * One CPU's note buffer, laid out as the kernel's note_buf_t is filled:
 * an NT_PRSTATUS note named "CORE", then an empty note that ends the
 * list (a reader stops at a header of zeroes, which is also all a buffer
 * that was never written holds).
 */
struct crash_note {
	struct elf32_note head;
	char name[ALIGN(sizeof("CORE"), 4)];
	struct elf_prstatus prstatus;
	struct elf32_note end;
};

static_assert(offsetof(struct crash_note, prstatus) % 4 == 0);
static_assert(sizeof(struct elf_prstatus) % 4 == 0);

static struct crash_note *crash_notes;
static bool crash_notes_sysfs;

/*
 * The crash image and what its jump needs, decided at load time: the
 * notifier allocates nothing and decides nothing.
 */
static struct kexec_mod_image *crash_image;
static struct page *crash_idmap;
static bool crash_hyp;
static struct kexec_mod_uart crash_uart;

/*
 * Held by a load or unload while it changes the above, and taken for
 * good by the panic notifier, as the kernel's crash_kexec() takes
 * kexec_lock with a trylock: a panic during a load starts nothing, and a
 * load after a panic began is refused.
 */
static atomic_t crash_busy = ATOMIC_INIT(0);

static bool crash_trylock(void)
{
	return atomic_cmpxchg_acquire(&crash_busy, 0, 1) == 0;
}

static void crash_unlock(void)
{
	atomic_set_release(&crash_busy, 0);
}

/*
 * The registers of the calling context, as ARM's crash_setup_regs()
 * takes them when panic() gives none: r0-r12 as they are here, sp, the
 * caller's return address as lr, this function as pc, and the CPSR.
 */
static noinline void crash_current_regs(struct pt_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	asm volatile("stm %0, {r0-r12}" : : "r" (regs->uregs) : "memory");
	asm volatile("mov %0, sp" : "=r" (regs->ARM_sp));
	asm volatile("mrs %0, cpsr" : "=r" (regs->ARM_cpsr));
	regs->ARM_lr = (unsigned long)__builtin_return_address(0);
	regs->ARM_pc = _THIS_IP_;
}

/* crash_save_cpu(): the PRSTATUS note of this CPU, in its buffer. */
static void crash_save_this_cpu(void)
{
	struct crash_note *note = &crash_notes[raw_smp_processor_id()];
	struct pt_regs regs;

	crash_current_regs(&regs);
	memset(note, 0, sizeof(*note));
	note->head.n_namesz = sizeof("CORE");
	note->head.n_descsz = sizeof(note->prstatus);
	note->head.n_type = NT_PRSTATUS;
	memcpy(note->name, "CORE", sizeof("CORE"));
	note->prstatus.common.pr_pid = current->pid;
	BUILD_BUG_ON(sizeof(note->prstatus.pr_reg) != sizeof(regs.uregs));
	memcpy(&note->prstatus.pr_reg, regs.uregs, sizeof(regs.uregs));
}

static int crash_panic_notify(struct notifier_block *nb,
			      unsigned long action, void *data)
{
	struct kexec_mod_image *image;

	if (!crash_trylock())
		return NOTIFY_DONE;
	image = READ_ONCE(crash_image);
	/*
	 * An exec that has armed its image holds the kernel's kexec_lock
	 * in the same place, and crash_kexec() gives way to it.
	 */
	if (!image || kexec_mod_trigger_in_flight()) {
		crash_unlock();
		return NOTIFY_DONE;
	}
	crash_save_this_cpu();
	pr_emerg("Starting crash kernel\n");
	kexec_mod_machine_crash_kexec(image, page_address(crash_idmap),
				      crash_hyp, &crash_uart);
}

/* Ahead of every other panic notifier, the trigger's included. */
static struct notifier_block crash_panic_nb = {
	.notifier_call = crash_panic_notify,
	.priority = INT_MAX,
};

static void crash_unload_locked(void)
{
	struct kexec_mod_image *image = crash_image;

	WRITE_ONCE(crash_image, NULL);
	kexec_mod_image_free(image);
	kexec_mod_idmap_release(crash_idmap);
	crash_idmap = NULL;
}

/**
 * kexec_mod_crash_load() - load, replace or unload the crash image
 * @entry: entry point
 * @segments: the segments, copied in from the user
 * @nr_segments: their number; 0 unloads
 * @reject: filled in with the reason on failure
 *
 * As kexec_load(2) with KEXEC_ON_CRASH: the crash image loaded so far is
 * unloaded first, since the new one is copied over it; a load that fails
 * leaves none.  The image loaded for kexec is not touched.
 *
 * Context: under the device front's lock.
 * Return: 0, -EBUSY when a panic is starting the crash image, or the
 * error of kexec_mod_crash_image_load().
 */
int kexec_mod_crash_load(unsigned long entry,
			 const struct kexec_mod_segment *segments,
			 unsigned long nr_segments,
			 struct kexec_mod_reject *reject)
{
	struct kexec_mod_image *image;
	int ret = 0;

	if (!crash_trylock()) {
		reject->segment = -1;
		reject->reason = "a panic is starting the crash kernel";
		return -EBUSY;
	}
	crash_unload_locked();
	if (!nr_segments)
		goto out;

	crash_idmap = kexec_mod_idmap_alloc();
	if (!crash_idmap) {
		reject->segment = -1;
		reject->reason = "out of memory";
		ret = -ENOMEM;
		goto out;
	}
	image = kexec_mod_crash_image_load(entry, segments, nr_segments,
					   reject);
	if (IS_ERR(image)) {
		ret = PTR_ERR(image);
		crash_unload_locked();
		goto out;
	}
	crash_hyp = kexec_mod_boot_hyp();
	kexec_mod_debug_uart_get(&crash_uart);
	WRITE_ONCE(crash_image, image);
	pr_info("crash kernel loaded: entry %#lx, %lu segments\n",
		image->start, image->nr_segments);
out:
	crash_unlock();
	return ret;
}

/**
 * kexec_mod_crash_loaded() - whether a crash image is loaded
 *
 * Return: true while one is, for /sys/kernel/kexec_crash_loaded.
 */
bool kexec_mod_crash_loaded(void)
{
	return READ_ONCE(crash_image);
}

static ssize_t crash_notes_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	phys_addr_t pa = virt_to_phys(&crash_notes[dev->id]);

	return sysfs_emit(buf, "%llx\n", (unsigned long long)pa);
}

static ssize_t crash_notes_size_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%zu\n", sizeof(struct crash_note));
}

/* Readable by root only, as the kernel's are. */
static DEVICE_ATTR_ADMIN_RO(crash_notes);
static DEVICE_ATTR_ADMIN_RO(crash_notes_size);

static struct attribute *crash_notes_attrs[] = {
	&dev_attr_crash_notes.attr,
	&dev_attr_crash_notes_size.attr,
	NULL,
};

static const struct attribute_group crash_notes_group = {
	.attrs = crash_notes_attrs,
};

static void crash_notes_sysfs_remove(void)
{
	unsigned int cpu;
	struct device *dev;

	for_each_possible_cpu(cpu) {
		dev = get_cpu_device(cpu);
		if (dev)
			sysfs_remove_group(&dev->kobj, &crash_notes_group);
	}
}

static int crash_notes_sysfs_add(void)
{
	unsigned int cpu;
	struct device *dev;
	int ret;

	for_each_possible_cpu(cpu) {
		dev = get_cpu_device(cpu);
		if (!dev)
			continue;
		ret = sysfs_create_group(&dev->kobj, &crash_notes_group);
		if (ret) {
			crash_notes_sysfs_remove();
			return ret;
		}
	}
	return 0;
}

/**
 * kexec_mod_crash_init() - note buffers, their sysfs files, the notifier
 *
 * On a kernel with crash dumps of its own (compat.h), the module leaves
 * crash images to it: the notes files are the kernel's, and crash loads
 * are refused (kexec_mod_crash_supported()).
 *
 * Return: 0, -ENOMEM, or the error of a sysfs file.
 */
int kexec_mod_crash_init(void)
{
	int ret;

	if (!kexec_mod_crash_supported())
		return 0;
	crash_notes = kcalloc(nr_cpu_ids, sizeof(*crash_notes), GFP_KERNEL);
	if (!crash_notes)
		return -ENOMEM;
	ret = crash_notes_sysfs_add();
	if (ret) {
		kfree(crash_notes);
		crash_notes = NULL;
		return ret;
	}
	crash_notes_sysfs = true;
	atomic_notifier_chain_register(&panic_notifier_list, &crash_panic_nb);
	return 0;
}

/**
 * kexec_mod_crash_exit() - undo kexec_mod_crash_init(), unload the image
 *
 * Context: module exit; no load can run any more.
 */
void kexec_mod_crash_exit(void)
{
	if (!kexec_mod_crash_supported())
		return;
	atomic_notifier_chain_unregister(&panic_notifier_list, &crash_panic_nb);
	if (crash_trylock()) {
		crash_unload_locked();
		crash_unlock();
	}
	if (crash_notes_sysfs)
		crash_notes_sysfs_remove();
	crash_notes_sysfs = false;
	kfree(crash_notes);
	crash_notes = NULL;
}

/**
 * kexec_mod_crash_supported() - whether the module takes crash images
 *
 * Return: false on a kernel with crash dumps of its own: its crashkernel=,
 * crash notes and kexec -p are the ones to use there.
 */
bool kexec_mod_crash_supported(void)
{
	return !KEXEC_MOD_KERNEL_CRASH_SYSFS;
}
