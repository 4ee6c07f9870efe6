// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the crash region rules of a KEXEC_ON_CRASH load
 * (crash_load.c), against a region given by the test: the checks read
 * no /proc/iomem and touch no memory.
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include "crash_load.h"
#include "kunit_test.h"

#define REGION		0x58000000ULL
#define REGION_SIZE	((u64)SZ_128M)
#define ENTRY		(REGION + 0x8000)

static int check(unsigned long entry, const struct kexec_mod_segment *segs,
		 unsigned long nr, u64 region_size,
		 struct kexec_mod_reject *reject)
{
	return kexec_mod_crash_check_segments(entry, segs, nr, REGION,
					      region_size, reject);
}

static void crash_load_takes_segments_inside(struct kunit *test)
{
	struct kexec_mod_segment segs[] = {
		seg(ENTRY, SZ_8M, SZ_4M),
		/* The last page of the region. */
		seg(REGION + REGION_SIZE - PAGE_SIZE, PAGE_SIZE, 100),
	};
	struct kexec_mod_reject reject = { 0 };

	KUNIT_EXPECT_EQ(test, check(ENTRY, segs, ARRAY_SIZE(segs), REGION_SIZE,
				    &reject), 0);
	/* The entry may be any byte of the region, its last included. */
	KUNIT_EXPECT_EQ(test, check(REGION + REGION_SIZE - 1, segs, 1,
				    REGION_SIZE, &reject), 0);
}

static void crash_load_without_region_is_eaddrnotavail(struct kunit *test)
{
	struct kexec_mod_segment segs[] = { seg(ENTRY, SZ_1M, SZ_1M) };
	struct kexec_mod_reject reject = { 0 };

	KUNIT_EXPECT_EQ(test, check(ENTRY, segs, 1, 0, &reject),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, reject.segment, -1L);
	KUNIT_EXPECT_NOT_NULL(test, strstr(reject.reason, "crashkernel="));
}

static void crash_load_entry_outside_is_eaddrnotavail(struct kunit *test)
{
	struct kexec_mod_segment segs[] = { seg(ENTRY, SZ_1M, SZ_1M) };
	struct kexec_mod_reject reject = { 0 };

	KUNIT_EXPECT_EQ(test, check(REGION - 1, segs, 1, REGION_SIZE, &reject),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, check(REGION + REGION_SIZE, segs, 1, REGION_SIZE,
				    &reject), -EADDRNOTAVAIL);
	KUNIT_EXPECT_STREQ(test, reject.reason,
			   "entry point outside the crash region");
}

static void crash_load_segment_outside_is_eaddrnotavail(struct kunit *test)
{
	struct kexec_mod_segment below[] = {
		seg(ENTRY, SZ_1M, SZ_1M),
		seg(REGION - PAGE_SIZE, PAGE_SIZE, 1),
	};
	struct kexec_mod_segment across_end[] = {
		seg(ENTRY, SZ_1M, SZ_1M),
		seg(REGION + REGION_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, 1),
	};
	struct kexec_mod_reject reject = { 0 };

	KUNIT_EXPECT_EQ(test, check(ENTRY, below, 2, REGION_SIZE, &reject),
			-EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, reject.segment, 1L);
	KUNIT_EXPECT_EQ(test, check(ENTRY, across_end, 2, REGION_SIZE,
				    &reject), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, reject.segment, 1L);
	KUNIT_EXPECT_STREQ(test, reject.reason,
			   "destination outside the crash region");
}

/*
 * sanity_check_segment_list() judges overlap and sizes before the
 * region: a request wrong both ways gets their errno, not EADDRNOTAVAIL.
 */
static void crash_load_common_rules_come_first(struct kunit *test)
{
	struct kexec_mod_segment overlapping_outside[] = {
		seg(REGION - SZ_1M, SZ_1M, 1),
		seg(REGION - SZ_1M, SZ_1M, 1),
	};
	struct kexec_mod_segment bufsz_over_memsz[] = {
		seg(REGION - SZ_1M, PAGE_SIZE, 2 * PAGE_SIZE),
	};
	struct kexec_mod_reject reject = { 0 };

	KUNIT_EXPECT_EQ(test, check(ENTRY, overlapping_outside, 2, REGION_SIZE,
				    &reject), -EINVAL);
	KUNIT_EXPECT_EQ(test, check(ENTRY, bufsz_over_memsz, 1, REGION_SIZE,
				    &reject), -EINVAL);
}

static struct kunit_case kexec_mod_crash_load_cases[] = {
	KUNIT_CASE(crash_load_takes_segments_inside),
	KUNIT_CASE(crash_load_without_region_is_eaddrnotavail),
	KUNIT_CASE(crash_load_entry_outside_is_eaddrnotavail),
	KUNIT_CASE(crash_load_segment_outside_is_eaddrnotavail),
	KUNIT_CASE(crash_load_common_rules_come_first),
	{}
};

static struct kunit_suite kexec_mod_crash_load_suite = {
	.name = "kexec_mod_crash_load",
	.test_cases = kexec_mod_crash_load_cases,
};

kunit_test_suites(&kexec_mod_crash_load_suite);
