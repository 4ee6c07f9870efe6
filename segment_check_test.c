// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for kexec_load's rules on a segment list (segment_check.c).
 */

#include <kunit/test.h>
#include <linux/mm.h>

#include "image.h"
#include "kunit_test.h"

static int check(struct kexec_mod_segment *s, unsigned long nr,
		 struct kexec_mod_reject *r)
{
	return kexec_mod_check_segments(s, nr, TEST_RAM_PAGES, r);
}

static void check_accepts_empty_and_simple_lists(struct kunit *test)
{
	struct kexec_mod_segment s[2] = {
		seg(TEST_DEST, PAGE_SIZE, 0),
		seg(TEST_DEST + PAGE_SIZE, 2 * PAGE_SIZE, 2 * PAGE_SIZE),
	};
	struct kexec_mod_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 0, &r), 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), 0);
	KUNIT_EXPECT_EQ(test, r.segment, -1L);
}

static void check_segment_count_limit(struct kunit *test)
{
	struct kexec_mod_segment s[KEXEC_SEGMENT_MAX + 1];
	struct kexec_mod_reject r;
	int i;

	for (i = 0; i <= KEXEC_SEGMENT_MAX; i++)
		s[i] = seg(TEST_DEST + i * PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, kexec_mod_check_nr_segments(KEXEC_SEGMENT_MAX, &r),
			0);
	KUNIT_EXPECT_EQ(test, check(s, KEXEC_SEGMENT_MAX, &r), 0);
	KUNIT_EXPECT_EQ(test,
			kexec_mod_check_nr_segments(KEXEC_SEGMENT_MAX + 1, &r),
			-EINVAL);
}

static void check_rejects_unaligned(struct kunit *test)
{
	struct kexec_mod_segment s[2] = {
		seg(TEST_DEST, PAGE_SIZE, 0),
		seg(TEST_DEST + 2 * PAGE_SIZE + 1, PAGE_SIZE, 0),
	};
	struct kexec_mod_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* An aligned start with a size that is not whole pages. */
	s[1] = seg(TEST_DEST + 2 * PAGE_SIZE, PAGE_SIZE + 1, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	s[1] = seg(TEST_DEST + 2 * PAGE_SIZE, PAGE_SIZE - 1, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EADDRNOTAVAIL);
}

static void check_rejects_wrapping(struct kunit *test)
{
	unsigned long top = ULONG_MAX & PAGE_MASK;
	struct kexec_mod_segment s[1];
	struct kexec_mod_reject r;

	/* The last page but one ends just below the top: fine. */
	s[0] = seg(top - PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);

	/* The very last page ends at 2^32, which wraps to 0. */
	s[0] = seg(top, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EADDRNOTAVAIL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);

	s[0] = seg(top - PAGE_SIZE, 3 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EADDRNOTAVAIL);
}

static void check_detects_overlap(struct kunit *test)
{
	struct kexec_mod_segment s[3] = {
		seg(TEST_DEST + 4 * PAGE_SIZE, 2 * PAGE_SIZE, 0),
		seg(TEST_DEST, 4 * PAGE_SIZE, 0),	/* ends where 0 starts */
		seg(TEST_DEST + 6 * PAGE_SIZE, PAGE_SIZE, 0),
	};
	struct kexec_mod_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 3, &r), 0);

	/* One page into segment 0 from below. */
	s[1].memsz = 5 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* The last page of segment 0 from above. */
	s[1].memsz = 4 * PAGE_SIZE;
	s[2].mem = TEST_DEST + 5 * PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 2L);

	/* Entirely inside. */
	s[2] = seg(TEST_DEST + PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 2L);

	/* Same start. */
	s[2] = seg(TEST_DEST + 4 * PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 3, &r), -EINVAL);
}

static void check_bufsz_against_memsz(struct kunit *test)
{
	struct kexec_mod_segment s[1] = { seg(TEST_DEST, PAGE_SIZE, PAGE_SIZE) };
	struct kexec_mod_reject r;

	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);
	s[0].bufsz = PAGE_SIZE + 1;
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);
}

static void check_half_of_ram(struct kunit *test)
{
	unsigned long half = TEST_RAM_PAGES / 2;
	struct kexec_mod_segment s[2];
	struct kexec_mod_reject r;

	s[0] = seg(TEST_DEST, half * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), 0);
	s[0].memsz += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 1, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 0L);

	/* Together: exactly half passes, one page more fails. */
	s[0] = seg(TEST_DEST, (half - 10) * PAGE_SIZE, 0);
	s[1] = seg(TEST_DEST + half * PAGE_SIZE, 10 * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), 0);
	s[1].memsz += PAGE_SIZE;
	KUNIT_EXPECT_EQ(test, check(s, 2, &r), -EINVAL);
	KUNIT_EXPECT_EQ(test, r.segment, 1L);

	/* An odd page count rounds the half down. */
	s[0] = seg(TEST_DEST, half * PAGE_SIZE, 0);
	KUNIT_EXPECT_EQ(test,
			kexec_mod_check_segments(s, 1, 2 * half + 1, &r), 0);
	KUNIT_EXPECT_EQ(test,
			kexec_mod_check_segments(s, 1, 2 * half - 1, &r), -EINVAL);
}

static struct kunit_case kexec_mod_check_cases[] = {
	KUNIT_CASE(check_accepts_empty_and_simple_lists),
	KUNIT_CASE(check_segment_count_limit),
	KUNIT_CASE(check_rejects_unaligned),
	KUNIT_CASE(check_rejects_wrapping),
	KUNIT_CASE(check_detects_overlap),
	KUNIT_CASE(check_bufsz_against_memsz),
	KUNIT_CASE(check_half_of_ram),
	{}
};

static struct kunit_suite kexec_mod_check_suite = {
	.name = "kexec_mod_segment_checks",
	.test_cases = kexec_mod_check_cases,
};

kunit_test_suites(&kexec_mod_check_suite);
