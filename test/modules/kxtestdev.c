// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxtestdev: a test-only module for the bench's scenarios, standing for
 * the parts of a live system the exec path meets.  It registers one
 * platform device whose shutdown callback does what it is told:
 *
 *   insmod kxtestdev.ko shutdown=sleep sleep_ms=N
 *	sleeps N ms in device_shutdown(), with the parameter in_shutdown
 *	reading 1 meanwhile: a window in the middle of a reboot in which a
 *	test can try loads, unloads and rmmod;
 *   insmod kxtestdev.ko shutdown=panic
 *	panics in device_shutdown(), as a driver whose shutdown oopses.
 *   insmod kxtestdev.ko restart_prio=N
 *	registers a restart handler of priority N the old way, as a board
 *	driver would; it does nothing but hold its place in the chain.
 *   insmod kxtestdev.ko claim_mem=ADDR
 *	claims the page at physical ADDR in the iomem tree, as a driver
 *	would its registers: a crash region over it is refused.
 *   echo panic > /sys/module/kxtestdev/parameters/act
 *	panics at once; "emergency-restart" calls emergency_restart(), as
 *	sysrq-b does.
 *
 * It also counts the reboots, halts and power-offs that begin (its reboot
 * notifier) and warns when a second one begins beside the first: a
 * second device_shutdown() is on its way.
 *
 * Built by the bench only (scripts/module.sh), never for a user.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ioport.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/platform_device.h>
#include <linux/reboot.h>
#include <linux/string.h>

static char *shutdown = "none";
module_param(shutdown, charp, 0444);
MODULE_PARM_DESC(shutdown, "what the shutdown callback does: none, sleep or panic");

static unsigned int sleep_ms = 2000;
module_param(sleep_ms, uint, 0444);
MODULE_PARM_DESC(sleep_ms, "how long shutdown=sleep sleeps");

static int in_shutdown;
module_param(in_shutdown, int, 0444);
MODULE_PARM_DESC(in_shutdown, "1 while shutdown=sleep sleeps (read-only)");

static int restart_prio = -1;
module_param(restart_prio, int, 0444);
MODULE_PARM_DESC(restart_prio, "register a restart handler of this priority (-1: none)");

static unsigned long claim_mem;
module_param(claim_mem, ulong, 0444);
MODULE_PARM_DESC(claim_mem, "claim the page at this physical address in /proc/iomem (0: none)");

static struct resource *kxtestdev_claim;
static struct platform_device *kxtestdev_pdev;
static atomic_t kxtestdev_reboots = ATOMIC_INIT(0);

static int kxtestdev_act(const char *val, const struct kernel_param *kp)
{
	if (sysfs_streq(val, "panic"))
		panic("kxtestdev: panic, as asked");
	if (sysfs_streq(val, "emergency-restart")) {
		pr_info("emergency restart, as asked\n");
		emergency_restart();
		return 0;
	}
	return -EINVAL;
}

static const struct kernel_param_ops kxtestdev_act_ops = {
	.set = kxtestdev_act,
};
module_param_cb(act, &kxtestdev_act_ops, NULL, 0200);
MODULE_PARM_DESC(act, "panic or emergency-restart, now");

static int kxtestdev_reboot(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	WARN(atomic_inc_return(&kxtestdev_reboots) > 1,
	     "kxtestdev: a second reboot began beside the first\n");
	return NOTIFY_DONE;
}

static struct notifier_block kxtestdev_reboot_nb = {
	.notifier_call = kxtestdev_reboot,
};

static int kxtestdev_restart(struct notifier_block *nb, unsigned long mode,
			     void *cmd)
{
	pr_info("restart handler of priority %d: not resetting\n",
		restart_prio);
	return NOTIFY_DONE;
}

static struct notifier_block kxtestdev_restart_nb = {
	.notifier_call = kxtestdev_restart,
};

static void kxtestdev_shutdown(struct platform_device *pdev)
{
	if (!strcmp(shutdown, "sleep")) {
		pr_info("shutdown: sleeping %u ms\n", sleep_ms);
		WRITE_ONCE(in_shutdown, 1);
		msleep(sleep_ms);
		WRITE_ONCE(in_shutdown, 0);
		pr_info("shutdown: done\n");
	} else if (!strcmp(shutdown, "panic")) {
		panic("kxtestdev: shutdown callback panics, as asked");
	}
}

static int kxtestdev_probe(struct platform_device *pdev)
{
	return 0;
}

static struct platform_driver kxtestdev_driver = {
	.probe = kxtestdev_probe,
	.shutdown = kxtestdev_shutdown,
	.driver = {
		.name = "kxtestdev",
	},
};

static int __init kxtestdev_init(void)
{
	int err;

	if (strcmp(shutdown, "none") && strcmp(shutdown, "sleep") &&
	    strcmp(shutdown, "panic")) {
		pr_err("unknown shutdown=%s\n", shutdown);
		return -EINVAL;
	}
	if (claim_mem) {
		kxtestdev_claim = request_mem_region(claim_mem, PAGE_SIZE,
						     "kxtestdev");
		if (!kxtestdev_claim)
			return -EBUSY;
	}
	err = platform_driver_register(&kxtestdev_driver);
	if (err)
		goto out_claim;
	/* Added last, so device_shutdown() reaches it first. */
	kxtestdev_pdev = platform_device_register_simple("kxtestdev", -1,
							 NULL, 0);
	if (IS_ERR(kxtestdev_pdev)) {
		err = PTR_ERR(kxtestdev_pdev);
		goto out_driver;
	}
	err = register_reboot_notifier(&kxtestdev_reboot_nb);
	if (err)
		goto out_device;
	if (restart_prio >= 0) {
		kxtestdev_restart_nb.priority = restart_prio;
		err = register_restart_handler(&kxtestdev_restart_nb);
		if (err)
			goto out_reboot;
	}
	pr_info("shutdown=%s restart_prio=%d\n", shutdown, restart_prio);
	return 0;

out_reboot:
	unregister_reboot_notifier(&kxtestdev_reboot_nb);
out_device:
	platform_device_unregister(kxtestdev_pdev);
out_driver:
	platform_driver_unregister(&kxtestdev_driver);
out_claim:
	if (kxtestdev_claim)
		release_mem_region(claim_mem, PAGE_SIZE);
	return err;
}

static void __exit kxtestdev_exit(void)
{
	if (kxtestdev_claim)
		release_mem_region(claim_mem, PAGE_SIZE);
	if (restart_prio >= 0)
		unregister_restart_handler(&kxtestdev_restart_nb);
	unregister_reboot_notifier(&kxtestdev_reboot_nb);
	platform_device_unregister(kxtestdev_pdev);
	platform_driver_unregister(&kxtestdev_driver);
}

module_init(kxtestdev_init);
module_exit(kxtestdev_exit);
MODULE_DESCRIPTION("kexec_mod bench: the rest of a live system around the exec");
MODULE_LICENSE("GPL");
