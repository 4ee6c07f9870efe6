// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxplant: a throwaway module that plants one bug at load time, to show
 * that the virt-debug kernel's detectors catch what they are meant to
 * catch and that the bench then fails the scenario.  Never part of a
 * normal build.
 *
 *   insmod kxplant.ko bug=leak    a kmalloc() nothing frees (kmemleak)
 *   insmod kxplant.ko bug=uaf     a read after kfree() (KASAN)
 *   insmod kxplant.ko bug=oob     a read past a kmalloc() (KASAN)
 *   insmod kxplant.ko bug=list    a list_add() of an entry twice (DEBUG_LIST)
 *   insmod kxplant.ko bug=sleep   a sleep under a spinlock (DEBUG_ATOMIC_SLEEP)
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>

static char *bug = "";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "leak, uaf, oob, list or sleep");

static void *kxplant_sink;
static DEFINE_SPINLOCK(kxplant_lock);

/*
 * Sixteen objects whose pointers are kept only where kmemleak does not
 * look (inverted); a stale copy of the last one may survive on a stack,
 * the others cannot.
 */
static void kxplant_leak(void)
{
	int i;

	for (i = 0; i < 16; i++) {
		char *p = kmalloc(200, GFP_KERNEL);

		if (p)
			memset(p, 0x4b, 200);
		WRITE_ONCE(kxplant_sink, (void *)~(unsigned long)p);
	}
}

static void kxplant_uaf(void)
{
	char *p = kmalloc(64, GFP_KERNEL);

	if (!p)
		return;
	kfree(p);
	pr_info("read after free: %d\n", READ_ONCE(p[8]));
}

static void kxplant_oob(void)
{
	char *p = kmalloc(64, GFP_KERNEL);
	size_t i = 64;

	if (!p)
		return;
	OPTIMIZER_HIDE_VAR(i);
	pr_info("read past the end: %d\n", READ_ONCE(p[i]));
	kfree(p);
}

static void kxplant_list(void)
{
	LIST_HEAD(head);
	struct list_head entry;

	list_add(&entry, &head);
	list_add(&entry, &head);
}

static void kxplant_sleep(void)
{
	spin_lock(&kxplant_lock);
	msleep(20);
	spin_unlock(&kxplant_lock);
}

static int __init kxplant_init(void)
{
	if (!strcmp(bug, "leak"))
		kxplant_leak();
	else if (!strcmp(bug, "uaf"))
		kxplant_uaf();
	else if (!strcmp(bug, "oob"))
		kxplant_oob();
	else if (!strcmp(bug, "list"))
		kxplant_list();
	else if (!strcmp(bug, "sleep"))
		kxplant_sleep();
	else
		return -EINVAL;
	return 0;
}

static void __exit kxplant_exit(void)
{
}

module_init(kxplant_init);
module_exit(kxplant_exit);

MODULE_DESCRIPTION("Plants one bug for the debug kernel's detectors to find");
MODULE_LICENSE("GPL");
