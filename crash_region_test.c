// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the crash region's parameter (crash_region.c).
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include "crash_region.h"

static void parse_takes_size_at_address(struct kunit *test)
{
	u64 start = 0, size = 0;

	KUNIT_EXPECT_EQ(test, kexec_mod_crash_region_parse("128M@0x58000000",
							   &start, &size), 0);
	KUNIT_EXPECT_EQ(test, start, 0x58000000ULL);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_128M);

	/* Suffixes on both sides, and addresses past 4 GiB (LPAE). */
	KUNIT_EXPECT_EQ(test, kexec_mod_crash_region_parse("64m@5G",
							   &start, &size), 0);
	KUNIT_EXPECT_EQ(test, start, 5ULL * SZ_1G);
	KUNIT_EXPECT_EQ(test, size, (u64)SZ_64M);
}

static void parse_refuses_other_forms(struct kunit *test)
{
	static const char * const bad[] = {
		"",			/* nothing */
		"128M",			/* no address: the kernel would pick one */
		"@0x58000000",		/* no size */
		"0@0x58000000",		/* nothing to reserve */
		"128M@",		/* no address after @ */
		"128M@0x58000000,high",	/* boot-time placement */
		"512M-:128M",		/* ranges */
		"128M@0x58000000x",	/* trailing junk */
	};
	u64 start, size;
	int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kexec_mod_crash_region_parse(bad[i], &start,
								 &size),
				    -EINVAL, "crashkernel=%s", bad[i]);
}

static struct kunit_case kexec_mod_crash_region_cases[] = {
	KUNIT_CASE(parse_takes_size_at_address),
	KUNIT_CASE(parse_refuses_other_forms),
	{}
};

static struct kunit_suite kexec_mod_crash_region_suite = {
	.name = "kexec_mod_crash_region",
	.test_cases = kexec_mod_crash_region_cases,
};

kunit_test_suites(&kexec_mod_crash_region_suite);
