// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module's own page allocations, counted per purpose.  Staged pages
 * come straight from the page allocator, which kmemleak does not track,
 * so a failure path that drops one would leak silently; the counters
 * (allocated minus freed, in pages) let the tests see that every failed
 * load, and every unload, gives back exactly what it took.  They are
 * published in debugfs as kexec_mod/pages.
 */

#include <kunit/visibility.h>
#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/seq_file.h>

#include "pages.h"

/* Read through kexec_mod_pages_count(); written by the inlines in pages.h. */
atomic_long_t kexec_mod_pages[KEXEC_MOD_PAGES_NR];
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_pages);

static const char * const kexec_mod_pages_names[KEXEC_MOD_PAGES_NR] = {
	[KEXEC_MOD_PAGES_IMAGE] = "image",
	[KEXEC_MOD_PAGES_SEARCH] = "search",
	[KEXEC_MOD_PAGES_EXEC] = "exec",
};

/**
 * kexec_mod_pages_move() - count pages under another purpose
 * @order: order of the block that changes hands
 * @from: what it was counted as
 * @to: what it is counted as from now on
 */
void kexec_mod_pages_move(unsigned int order,
			  enum kexec_mod_pages_purpose from,
			  enum kexec_mod_pages_purpose to)
{
	atomic_long_sub(1L << order, &kexec_mod_pages[from]);
	atomic_long_add(1L << order, &kexec_mod_pages[to]);
}

/**
 * kexec_mod_pages_count() - pages held now for one purpose
 * @purpose: the purpose
 *
 * Return: pages allocated minus pages freed.
 */
long kexec_mod_pages_count(enum kexec_mod_pages_purpose purpose)
{
	return atomic_long_read(&kexec_mod_pages[purpose]);
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_pages_count);

/**
 * kexec_mod_alloc_fitting() - allocate until a block fits
 * @order: allocation order of the block
 * @tries: how many misfits to set aside before giving up
 * @fits: whether a block will do
 * @arg: passed to @fits
 * @nr_misfits: counts the misfits set aside; may be NULL
 * @purpose: what the block is counted as once it fits (the misfits count
 *	as KEXEC_MOD_PAGES_SEARCH while they are held)
 *
 * The page allocator cannot be asked for "a page that is not one of
 * these".  The way round it, as the kernel's kimage_alloc_control_pages()
 * takes it: ask until a block comes back that fits, holding the misfits
 * so that they are not handed out again, and give them all back at the
 * end.  A failed search never invokes the OOM killer.
 *
 * Return: the block, or NULL when none fitted within @tries misfits or
 * memory ran out.
 */
struct page *kexec_mod_alloc_fitting(unsigned int order, unsigned long tries,
				     bool (*fits)(struct page *page, void *arg),
				     void *arg, unsigned long *nr_misfits,
				     enum kexec_mod_pages_purpose purpose)
{
	struct page *page, *misfit, *next;
	unsigned long held = 0;
	LIST_HEAD(misfits);

	for (;;) {
		page = kexec_mod_pages_alloc(GFP_KERNEL | __GFP_NORETRY |
					     __GFP_NOWARN, order,
					     KEXEC_MOD_PAGES_SEARCH);
		if (!page)
			break;
		if (fits(page, arg)) {
			kexec_mod_pages_move(order, KEXEC_MOD_PAGES_SEARCH,
					     purpose);
			break;
		}
		list_add(&page->lru, &misfits);
		if (nr_misfits)
			(*nr_misfits)++;
		if (++held >= tries) {
			page = NULL;
			break;
		}
	}

	list_for_each_entry_safe(misfit, next, &misfits, lru) {
		list_del(&misfit->lru);
		kexec_mod_pages_free(misfit, order, KEXEC_MOD_PAGES_SEARCH);
	}
	return page;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_alloc_fitting);

static int kexec_mod_pages_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < KEXEC_MOD_PAGES_NR; i++)
		seq_printf(m, "%s %ld\n", kexec_mod_pages_names[i],
			   kexec_mod_pages_count(i));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(kexec_mod_pages);

/**
 * kexec_mod_pages_debugfs() - publish the counters
 * @dir: the module's debugfs directory
 *
 * One line a purpose, "name pages"; read by the tests before and after
 * a load, unload or exec attempt.
 */
void kexec_mod_pages_debugfs(struct dentry *dir)
{
	debugfs_create_file("pages", 0400, dir, NULL, &kexec_mod_pages_fops);
}
