/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the KUnit suites of kexec_mod_kunit.ko share.
 */
#ifndef KEXEC_MOD_KUNIT_TEST_H
#define KEXEC_MOD_KUNIT_TEST_H

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/types.h>

#include "image.h"

/* Far below RAM on QEMU virt (flash), so no allocated page is ever hit. */
#define TEST_DEST	0x100000UL
#define TEST_RAM_PAGES	1000UL

static inline struct kexec_mod_segment seg(unsigned long mem, size_t memsz,
					   size_t bufsz)
{
	struct kexec_mod_segment s = {
		.buf = NULL, .bufsz = bufsz, .mem = mem, .memsz = memsz,
	};

	return s;
}

/*
 * The physical address of a page just allocated and freed again: the
 * page allocator's next answer on this CPU, so a test can make it a
 * destination and see what staging does when it comes back.
 */
static inline phys_addr_t test_freed_page(struct kunit *test)
{
	struct page *page = alloc_page(GFP_KERNEL);
	phys_addr_t pa;

	KUNIT_ASSERT_NOT_NULL(test, page);
	pa = page_to_phys(page);
	__free_page(page);
	return pa;
}

#endif /* KEXEC_MOD_KUNIT_TEST_H */
