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
 *
 * Built by the bench only (scripts/module.sh), never for a user.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/platform_device.h>
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

static struct platform_device *kxtestdev_pdev;

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
	err = platform_driver_register(&kxtestdev_driver);
	if (err)
		return err;
	/* Added last, so device_shutdown() reaches it first. */
	kxtestdev_pdev = platform_device_register_simple("kxtestdev", -1,
							 NULL, 0);
	if (IS_ERR(kxtestdev_pdev)) {
		platform_driver_unregister(&kxtestdev_driver);
		return PTR_ERR(kxtestdev_pdev);
	}
	pr_info("shutdown=%s\n", shutdown);
	return 0;
}

static void __exit kxtestdev_exit(void)
{
	platform_device_unregister(kxtestdev_pdev);
	platform_driver_unregister(&kxtestdev_driver);
}

module_init(kxtestdev_init);
module_exit(kxtestdev_exit);
MODULE_DESCRIPTION("kexec_mod bench: a device with a misbehaving shutdown");
MODULE_LICENSE("GPL");
