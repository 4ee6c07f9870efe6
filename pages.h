/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The module's page allocations, counted per purpose (pages.c).
 */
#ifndef KEXEC_MOD_PAGES_H
#define KEXEC_MOD_PAGES_H

#include <linux/atomic.h>
#include <linux/gfp.h>
#include <linux/types.h>

struct dentry;
struct page;

/**
 * enum kexec_mod_pages_purpose - what the module holds pages for
 * @KEXEC_MOD_PAGES_IMAGE: an image's pages: sources, indirection pages,
 *	the control page, and while staging the pages held back or unusable
 * @KEXEC_MOD_PAGES_SEARCH: misfits a search for a fitting block holds
 *	until it ends
 * @KEXEC_MOD_PAGES_EXEC: the identity map and the copy table of an exec
 *	being prepared
 * @KEXEC_MOD_PAGES_NR: number of purposes
 */
enum kexec_mod_pages_purpose {
	KEXEC_MOD_PAGES_IMAGE,
	KEXEC_MOD_PAGES_SEARCH,
	KEXEC_MOD_PAGES_EXEC,
	KEXEC_MOD_PAGES_NR,
};

extern atomic_long_t kexec_mod_pages[KEXEC_MOD_PAGES_NR];

/*
 * alloc_pages() and __free_pages(), counted.  Inline: staging calls them
 * for every page of an image.
 */
static inline struct page *
kexec_mod_pages_alloc(gfp_t gfp, unsigned int order,
		      enum kexec_mod_pages_purpose purpose)
{
	struct page *page = alloc_pages(gfp, order);

	if (page)
		atomic_long_add(1L << order, &kexec_mod_pages[purpose]);
	return page;
}

static inline void kexec_mod_pages_free(struct page *page, unsigned int order,
					enum kexec_mod_pages_purpose purpose)
{
	atomic_long_sub(1L << order, &kexec_mod_pages[purpose]);
	__free_pages(page, order);
}

void kexec_mod_pages_move(unsigned int order,
			  enum kexec_mod_pages_purpose from,
			  enum kexec_mod_pages_purpose to);
long kexec_mod_pages_count(enum kexec_mod_pages_purpose purpose);
struct page *kexec_mod_alloc_fitting(unsigned int order, unsigned long tries,
				     bool (*fits)(struct page *page, void *arg),
				     void *arg, unsigned long *nr_misfits,
				     enum kexec_mod_pages_purpose purpose);
void kexec_mod_pages_debugfs(struct dentry *dir);

#endif /* KEXEC_MOD_PAGES_H */
