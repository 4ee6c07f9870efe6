// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec_mod: kexec_load and "reboot into the loaded kernel" for ARM kernels
 * built without CONFIG_KEXEC.  This file is the device front: /dev/kexec.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

static int kexec_mod_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	return 0;
}

static long kexec_mod_ioctl(struct file *file, unsigned int cmd,
			    unsigned long arg)
{
	if (!capable(CAP_SYS_BOOT))
		return -EPERM;
	return -ENOTTY;
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

static int __init kexec_mod_init(void)
{
	return misc_register(&kexec_mod_dev);
}

static void __exit kexec_mod_exit(void)
{
	misc_deregister(&kexec_mod_dev);
}

module_init(kexec_mod_init);
module_exit(kexec_mod_exit);

MODULE_DESCRIPTION("kexec_load and reboot into a loaded kernel, as a module");
MODULE_LICENSE("GPL");
