// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_mod: kexec_load and "reboot into the loaded kernel" for ARM kernels
 * built without CONFIG_KEXEC.  This file is the device front: /dev/kexec,
 * the checks kexec_load(2) makes before it touches anything, the one
 * loaded image and the sysfs files that report it.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/highmem.h>
#include <linux/kobject.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/kexec_mod.h>

#include "boot_mode.h"
#include "bootargs.h"
#include "compat.h"
#include "crash_kexec.h"
#include "crash_region.h"
#include "exec_pgtable.h"
#include "image.h"
#include "machine_kexec.h"
#include "machine_prepare.h"
#include "pages.h"
#include "secondaries.h"
#include "trigger.h"

/*
 * The flags kexec_load(2) knows on ARM (the kernel's KEXEC_FLAGS: ARM has
 * no KEXEC_JUMP, so no KEXEC_PRESERVE_CONTEXT).  Any other bit is EINVAL,
 * as there; KEXEC_ON_CRASH loads go to the crash path (crash_kexec.c).
 */
#define KEXEC_MOD_KNOWN_FLAGS	KEXEC_ON_CRASH

/*
 * One image at a time.  Load, unload and exec only try the lock, as
 * kexec_load does, so a second caller learns at once that it raced;
 * status waits for it.
 */
static DEFINE_MUTEX(kexec_mod_lock);
static struct kexec_mod_image *kexec_mod_image;

/*
 * Like kernel.kexec_load_disabled: refuses loads and unloads, not the
 * exec of an image loaded before, and stays set until the next boot (the
 * module pins itself: see kexec_mod_disable_loads()).
 */
static bool load_disabled;
module_param(load_disabled, bool, 0444);
MODULE_PARM_DESC(load_disabled,
		 "Start with load and unload disabled, until reboot (default: 0)");

/*
 * Set load_disabled for good: the module takes a reference on itself the
 * first time, so that rmmod and a fresh insmod cannot clear it.
 */
static void kexec_mod_disable_loads(void)
{
	if (!xchg(&load_disabled, true))
		__module_get(THIS_MODULE);
}

static void kexec_mod_log_reject(const struct kexec_mod_reject *reject, int err)
{
	if (!reject->reason)
		return;
	if (reject->segment >= 0)
		pr_info_ratelimited("load refused (%d): segment %ld: %s\n",
				    err, reject->segment, reject->reason);
	else
		pr_info_ratelimited("load refused (%d): %s\n", err,
				    reject->reason);
}

static void kexec_mod_set_reason(struct kexec_mod_reject *reject,
				 const char *reason)
{
	reject->segment = -1;
	reject->reason = reason;
}

/*
 * Everything kexec_load checks before it takes its lock, in its order;
 * CAP_SYS_BOOT was checked by the ioctl (kexec_mod_may_boot()).
 */
static int kexec_mod_check_request(unsigned long nr_segments,
				   unsigned long flags,
				   struct kexec_mod_reject *reject)
{
	unsigned long arch = flags & KEXEC_ARCH_MASK;
	int ret;

	if (READ_ONCE(load_disabled)) {
		kexec_mod_set_reason(reject, "loading is disabled");
		return -EPERM;
	}
	ret = security_kernel_load_data(LOADING_KEXEC_IMAGE, false);
	if (ret < 0) {
		kexec_mod_set_reason(reject, "refused by a security module");
		return ret;
	}
	ret = security_locked_down(LOCKDOWN_KEXEC);
	if (ret) {
		kexec_mod_set_reason(reject, "kernel is locked down");
		return ret;
	}
	if ((flags & ~KEXEC_ARCH_MASK) & ~KEXEC_MOD_KNOWN_FLAGS) {
		kexec_mod_set_reason(reject, "unknown or unsupported flags");
		return -EINVAL;
	}
	ret = kexec_mod_check_nr_segments(nr_segments, reject);
	if (ret)
		return ret;
	if (arch != KEXEC_ARCH_DEFAULT && arch != KEXEC_ARCH_ARM) {
		kexec_mod_set_reason(reject, "image is for another architecture");
		return -EINVAL;
	}
	if ((flags & KEXEC_ON_CRASH) && !kexec_mod_crash_supported()) {
		kexec_mod_set_reason(reject,
				     "this kernel has crash dumps of its own: use its crashkernel= and kexec -p");
		return -EOPNOTSUPP;
	}
	return 0;
}

/*
 * Install @image (or nothing) and free whatever was loaded before, unless
 * a reboot has armed that: then -EBUSY, and the caller still owns @image.
 */
static int kexec_mod_replace_image(struct kexec_mod_image *image,
				   struct kexec_mod_reject *reject)
{
	struct kexec_mod_image *old;

	lockdep_assert_held(&kexec_mod_lock);
	if (kexec_mod_trigger_set_image(image)) {
		kexec_mod_set_reason(reject,
				     "a reboot has armed the loaded image");
		return -EBUSY;
	}
	old = kexec_mod_image;
	WRITE_ONCE(kexec_mod_image, image);
	kexec_mod_image_free(old);
	return 0;
}

static int kexec_mod_stage(struct kexec_mod_image *image,
			   struct kexec_mod_reject *reject)
{
	unsigned long i;
	int ret;

	for (i = 0; i < image->nr_segments; i++) {
		const struct kexec_mod_segment *seg = &image->segment[i];
		struct iov_iter iter;

		reject->segment = i;
		ret = import_ubuf(ITER_SOURCE, (void __user *)seg->buf,
				  seg->bufsz, &iter);
		if (ret) {
			reject->reason = "buffer not readable";
			return ret;
		}
		ret = kexec_mod_image_load_segment(image, i, &iter);
		if (ret == -ENOMEM) {
			/* How much was needed and how much could be had. */
			pr_info_ratelimited("load refused (%d): segment %lu: out of memory while staging: %lu of %lu pages had\n",
					    ret, i, image->nr_source_pages,
					    image->nr_pages);
			reject->reason = NULL;
			return ret;
		}
		if (ret) {
			reject->reason = ret == -EFAULT ? "buffer not readable" :
					 "interrupted by a fatal signal";
			return ret;
		}
	}
	kexec_mod_image_terminate(image);
	return 0;
}

/* Build a complete image; only then does it replace the loaded one. */
static int kexec_mod_load_locked(unsigned long entry,
				 const struct kexec_mod_segment *segments,
				 unsigned long nr_segments,
				 struct kexec_mod_reject *reject)
{
	struct kexec_mod_image *image;
	phys_addr_t limit;
	int ret;

	ret = kexec_mod_check_segments(segments, nr_segments, totalram_pages(),
				       reject);
	if (ret)
		return ret;

	limit = kexec_mod_arm_control_limit();
	if (!limit) {
		kexec_mod_set_reason(reject,
				     "no lowmem low enough for the control page");
		return -ENOMEM;
	}

	image = kexec_mod_image_alloc(entry, segments, nr_segments, limit);
	if (!image) {
		kexec_mod_set_reason(reject, "out of memory");
		return -ENOMEM;
	}

	/* As do_kexec_load(): the control page, then the ARM checks. */
	ret = kexec_mod_image_alloc_control_page(image);
	if (ret) {
		kexec_mod_set_reason(reject, "no usable control page");
		goto out_free_image;
	}

	ret = kexec_mod_arm_prepare(image, reject);
	if (ret)
		goto out_free_image;

	ret = kexec_mod_stage(image, reject);
	if (ret)
		goto out_free_image;

	/* On the staged copy, which no other thread can rewrite. */
	ret = kexec_mod_arm_secondaries_check_staged(image, reject);
	if (ret)
		goto out_free_image;

	ret = kexec_mod_replace_image(image, reject);
	if (ret)
		goto out_free_image;
	return 0;

out_free_image:
	kexec_mod_image_free(image);
	return ret;
}

static int kexec_mod_load(unsigned long entry, unsigned long nr_segments,
			  const void __user *user_segments, unsigned long flags)
{
	struct kexec_mod_reject reject = { .segment = -1 };
	struct kexec_mod_segment *segments = NULL;
	int ret;

	BUILD_BUG_ON(sizeof(struct kexec_mod_segment) != 4 * sizeof(long));

	ret = kexec_mod_check_request(nr_segments, flags, &reject);
	if (ret)
		goto out_log;

	if (nr_segments) {
		segments = memdup_user(user_segments,
				       nr_segments * sizeof(*segments));
		if (IS_ERR(segments)) {
			ret = PTR_ERR(segments);
			segments = NULL;
			kexec_mod_set_reason(&reject,
					     "segment list not readable");
			goto out_log;
		}
	}

	if (!mutex_trylock(&kexec_mod_lock)) {
		kexec_mod_set_reason(&reject,
				     "another load, unload or exec is running");
		ret = -EBUSY;
		goto out_free_segments;
	}

	if (flags & KEXEC_ON_CRASH)
		ret = kexec_mod_crash_load(entry, segments, nr_segments,
					   &reject);
	else if (!nr_segments)
		ret = kexec_mod_replace_image(NULL, &reject);
	else
		ret = kexec_mod_load_locked(entry, segments, nr_segments,
					    &reject);

	mutex_unlock(&kexec_mod_lock);
out_free_segments:
	kfree(segments);
out_log:
	if (ret)
		kexec_mod_log_reject(&reject, ret);
	return ret;
}

static int kexec_mod_ioctl_load(unsigned long arg)
{
	struct kexec_mod_load args;

	if (copy_from_user(&args, (void __user *)arg, sizeof(args)))
		return -EFAULT;
	return kexec_mod_load(args.entry, args.nr_segments,
			      (const void __user *)args.segments, args.flags);
}

static int kexec_mod_ioctl_status(unsigned long arg)
{
	struct kexec_mod_status st;
	struct kexec_mod_image *image;

	memset(&st, 0, sizeof(st));
	st.abi_version = KEXEC_MOD_ABI_VERSION;

	if (mutex_lock_interruptible(&kexec_mod_lock))
		return -EINTR;
	image = kexec_mod_image;
	if (image) {
		st.loaded = 1;
		st.entry = image->start;
		st.nr_segments = image->nr_segments;
		st.pages_staged = image->nr_source_pages;
		st.control_page = page_to_phys(image->control_page);
		st.boot_params = image->boot_params;
		st.machine_type = image->machine_type;
		st.reloc_mode = kexec_mod_machine_reloc_mode(image);
	}
	st.armed = kexec_mod_trigger_armed() ? KEXEC_MOD_ARMED : KEXEC_MOD_DISARMED;
	mutex_unlock(&kexec_mod_lock);

	if (copy_to_user((void __user *)arg, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static int kexec_mod_ioctl_exec(void)
{
	int ret;

	/* load_disabled leaves the exec alone, as kexec_load_disabled does. */
	if (!mutex_trylock(&kexec_mod_lock))
		return -EBUSY;
	if (kexec_mod_image)
		ret = kexec_mod_trigger_exec(kexec_mod_image);
	else
		ret = -ENOENT;
	mutex_unlock(&kexec_mod_lock);
	return ret;
}

static int kexec_mod_ioctl_rehearse(unsigned long arg)
{
	struct kexec_mod_rehearsal report;
	int ret;

	memset(&report, 0, sizeof(report));
	report.nr_steps = KEXEC_MOD_REHEARSE_STEPS;
	if (!mutex_trylock(&kexec_mod_lock))
		return -EBUSY;
	if (kexec_mod_image)
		ret = kexec_mod_trigger_rehearse(kexec_mod_image, &report);
	else
		ret = -ENOENT;
	mutex_unlock(&kexec_mod_lock);

	/* The report says which step failed: it goes out either way. */
	if (copy_to_user((void __user *)arg, &report, sizeof(report)))
		return -EFAULT;
	return ret;
}

/*
 * The one capability check, as kexec_load's: at open, and again at every
 * ioctl, so that a descriptor passed on to a process without the
 * capability is inert.
 */
static bool kexec_mod_may_boot(void)
{
	return capable(CAP_SYS_BOOT);
}

static int kexec_mod_open(struct inode *inode, struct file *file)
{
	return kexec_mod_may_boot() ? 0 : -EPERM;
}

static long kexec_mod_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	if (!kexec_mod_may_boot()) {
		pr_info_ratelimited("ioctl %#x refused (%d): CAP_SYS_BOOT missing\n",
				    cmd, -EPERM);
		return -EPERM;
	}

	switch (cmd) {
	case KEXEC_MOD_LOAD:
	case KEXEC_MOD_LEGACY_LOAD:
		return kexec_mod_ioctl_load(arg);
	case KEXEC_MOD_UNLOAD:
		return kexec_mod_load(0, 0, NULL, 0);
	case KEXEC_MOD_STATUS:
		return kexec_mod_ioctl_status(arg);
	case KEXEC_MOD_EXEC:
	case KEXEC_MOD_LEGACY_EXEC:
		return kexec_mod_ioctl_exec();
	case KEXEC_MOD_REHEARSE:
		return kexec_mod_ioctl_rehearse(arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kexec_mod_fops = {
	.owner		= THIS_MODULE,
	.open		= kexec_mod_open,
	.unlocked_ioctl	= kexec_mod_ioctl,
	.llseek		= noop_llseek,
};

static struct miscdevice kexec_mod_dev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= "kexec",
	.fops	= &kexec_mod_fops,
	.mode	= 0600,
};

static ssize_t loaded_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", !!READ_ONCE(kexec_mod_image));
}

static ssize_t load_disabled_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(load_disabled));
}

static ssize_t load_disabled_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	bool val;
	int ret;

	ret = kstrtobool(buf, &val);
	if (ret)
		return ret;
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* One way only, so a locked-down boot cannot be reopened. */
	if (!val && READ_ONCE(load_disabled))
		return -EPERM;
	if (val)
		kexec_mod_disable_loads();
	return count;
}

static ssize_t abi_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", KEXEC_MOD_ABI_VERSION);
}

static struct kobj_attribute loaded_attr = __ATTR_RO(loaded);
static struct kobj_attribute load_disabled_attr = __ATTR_RW(load_disabled);
static struct kobj_attribute abi_version_attr = __ATTR_RO(abi_version);

static struct attribute *kexec_mod_attrs[] = {
	&loaded_attr.attr,
	&load_disabled_attr.attr,
	&abi_version_attr.attr,
	NULL,
};

static const struct attribute_group kexec_mod_attr_group = {
	.attrs = kexec_mod_attrs,
};

/*
 * kexec-tools reads /sys/kernel/kexec_loaded before "kexec -e".  A kernel
 * with CONFIG_KEXEC_CORE has its own file there (about its own image);
 * the module's answer is then only in /sys/kernel/kexec_mod/loaded.
 */
static struct kobj_attribute kexec_loaded_attr =
	__ATTR(kexec_loaded, 0444, loaded_show, NULL);

static struct kobject *kexec_mod_kobj;

static int kexec_mod_sysfs_init(void)
{
	int ret;

	kexec_mod_kobj = kobject_create_and_add("kexec_mod", kernel_kobj);
	if (!kexec_mod_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kexec_mod_kobj, &kexec_mod_attr_group);
	if (ret)
		goto out_put;
	if (!IS_ENABLED(CONFIG_KEXEC_CORE)) {
		ret = sysfs_create_file(kernel_kobj, &kexec_loaded_attr.attr);
		if (ret)
			goto out_put;
	}
	return 0;

out_put:
	kobject_put(kexec_mod_kobj);
	return ret;
}

static void kexec_mod_sysfs_exit(void)
{
	if (!IS_ENABLED(CONFIG_KEXEC_CORE))
		sysfs_remove_file(kernel_kobj, &kexec_loaded_attr.attr);
	kobject_put(kexec_mod_kobj);
}

/* For tests and debugging; nothing depends on it (see pages.c). */
static struct dentry *kexec_mod_debugfs;

/*
 * debugfs kexec_mod/cmdline: the command line the loaded image's kernel
 * will find, read from the staged device tree; nothing without one.
 */
static int kexec_mod_cmdline_show(struct seq_file *m, void *unused)
{
	char *args = NULL;

	if (mutex_lock_interruptible(&kexec_mod_lock))
		return -EINTR;
	if (kexec_mod_image)
		args = kexec_mod_image_bootargs(kexec_mod_image, NULL);
	mutex_unlock(&kexec_mod_lock);
	if (IS_ERR(args))
		return PTR_ERR(args) == -ENOMEM ? -ENOMEM : 0;
	if (args)
		seq_printf(m, "%s\n", args);
	kfree(args);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kexec_mod_cmdline);

static int __init kexec_mod_init(void)
{
	const char *what;
	int ret;

	kexec_mod_boot_mode_init();
	kexec_mod_arm_secondaries_init();
	kexec_mod_pgtable_init();
	ret = kexec_mod_crash_region_init();
	if (ret)
		return ret;
	what = "crash notes";
	ret = kexec_mod_crash_init();
	if (ret)
		goto out_region;
	what = "restart handler";
	ret = kexec_mod_trigger_init();
	if (ret)
		goto out_crash;
	what = "sysfs files";
	ret = kexec_mod_sysfs_init();
	if (ret)
		goto out_trigger;
	what = "device";
	ret = misc_register(&kexec_mod_dev);
	if (ret)
		goto out_sysfs;
	/* Disabled from insmod on: pinned now, past the last failure. */
	if (load_disabled)
		__module_get(THIS_MODULE);
	kexec_mod_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	kexec_mod_pages_debugfs(kexec_mod_debugfs);
	debugfs_create_file("cmdline", 0400, kexec_mod_debugfs, NULL,
			    &kexec_mod_cmdline_fops);
	kexec_mod_trigger_debugfs(kexec_mod_debugfs);
	kexec_mod_machine_debugfs(kexec_mod_debugfs);
	kexec_mod_pgtable_debugfs(kexec_mod_debugfs);
	return 0;

out_sysfs:
	kexec_mod_sysfs_exit();
out_trigger:
	kexec_mod_trigger_exit();
out_crash:
	kexec_mod_crash_exit();
out_region:
	kexec_mod_crash_region_exit();
	pr_err("not loaded: cannot register the %s (%d)\n", what, ret);
	return ret;
}

static void __exit kexec_mod_exit(void)
{
	struct kexec_mod_reject reject = { .segment = -1 };

	debugfs_remove_recursive(kexec_mod_debugfs);
	misc_deregister(&kexec_mod_dev);
	kexec_mod_sysfs_exit();

	mutex_lock(&kexec_mod_lock);
	/* Nothing is armed: arming pins the module. */
	WARN_ON(kexec_mod_replace_image(NULL, &reject));
	mutex_unlock(&kexec_mod_lock);

	kexec_mod_trigger_exit();
	kexec_mod_crash_exit();
	kexec_mod_crash_region_exit();
}

module_init(kexec_mod_init);
module_exit(kexec_mod_exit);

MODULE_DESCRIPTION("kexec_load and reboot into a loaded kernel, as a module");
MODULE_LICENSE("GPL");
