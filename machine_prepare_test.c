// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit tests for the pure parts of the ARM prepare step
 * (machine_prepare.c) and the new kernel's bootargs (bootargs.c).
 */

#include <kunit/test.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/string.h>

#include "bootargs.h"
#include "exec_pgtable.h"
#include "image.h"
#include "kunit_test.h"
#include "machine_prepare.h"

static void boot_params_prefer_fdt(struct kunit *test)
{
	struct kexec_mod_segment s[3] = {
		seg(0x40008000, 16 * PAGE_SIZE, 0),
		seg(0x41000000, PAGE_SIZE, 0),
		seg(0x42000000, PAGE_SIZE, 0),
	};
	__be32 words[3] = { 0, cpu_to_be32(0xd00dfeed), 0 };

	KUNIT_EXPECT_EQ(test,
			kexec_mod_arm_boot_params(0x40008000, s, words, 3),
			0x41000000UL);

	/* Several device trees: the last one wins, as in the kernel. */
	words[2] = cpu_to_be32(0xd00dfeed);
	KUNIT_EXPECT_EQ(test,
			kexec_mod_arm_boot_params(0x40008000, s, words, 3),
			0x42000000UL);
}

static void boot_params_default_to_atags(struct kunit *test)
{
	struct kexec_mod_segment s[2] = {
		seg(0x40008000, 16 * PAGE_SIZE, 0),
		seg(0x41000000, PAGE_SIZE, 0),
	};
	/* The magic in the wrong byte order is not a device tree. */
	__be32 words[2] = { 0, (__force __be32)0xd00dfeed };

	if (cpu_to_be32(0xd00dfeed) == (__force __be32)0xd00dfeed)
		kunit_skip(test, "big-endian CPU");
	KUNIT_EXPECT_EQ(test,
			kexec_mod_arm_boot_params(0x40008000, s, words, 2),
			0x40001000UL);
}

static int ram_end_of(struct resource *res, void *arg)
{
	*(u64 *)arg = res->end;
	return 1;
}

static void memory_check_uses_system_ram(struct kunit *test)
{
	struct kexec_mod_segment s;
	u64 pa, end = 0;

	pa = test_freed_page(test);

	s = seg(pa, PAGE_SIZE, 0);
	KUNIT_EXPECT_TRUE(test, kexec_mod_arm_dest_is_ram(&s));

	/* Find where the System RAM block holding that page ends. */
	walk_iomem_res_desc(IORES_DESC_NONE, IORESOURCE_SYSTEM_RAM, pa,
			    U32_MAX, &end, ram_end_of);
	KUNIT_ASSERT_GT(test, end, pa);
	if (end >= U32_MAX - PAGE_SIZE)
		kunit_skip(test, "RAM reaches the top of the address space");

	s = seg(end + 1 - PAGE_SIZE, PAGE_SIZE, 0);
	KUNIT_EXPECT_TRUE(test, kexec_mod_arm_dest_is_ram(&s));
	s.memsz = 2 * PAGE_SIZE;
	KUNIT_EXPECT_FALSE(test, kexec_mod_arm_dest_is_ram(&s));

	/* No bytes: the address itself must be RAM, as in memblock. */
	s = seg(end + 1 - PAGE_SIZE, 0, 0);
	KUNIT_EXPECT_TRUE(test, kexec_mod_arm_dest_is_ram(&s));
	s = seg(end + 1, 0, 0);
	KUNIT_EXPECT_FALSE(test, kexec_mod_arm_dest_is_ram(&s));
}

static void control_limit_leaves_room_for_a_section(struct kunit *test)
{
	phys_addr_t limit = kexec_mod_arm_control_limit();

	KUNIT_ASSERT_NE(test, limit, (phys_addr_t)0);
	KUNIT_EXPECT_EQ(test, limit & (SZ_1M - 1), (phys_addr_t)0);
	KUNIT_EXPECT_LE(test, limit + SZ_1M, (phys_addr_t)TASK_SIZE);
	KUNIT_EXPECT_LE(test, limit + SZ_1M, (phys_addr_t)MODULES_VADDR);
	/* The last page below the limit still gets its 1:1 block. */
	KUNIT_EXPECT_TRUE(test, kexec_mod_idmap_fits(limit - PAGE_SIZE,
						     PAGE_SIZE));
	KUNIT_EXPECT_FALSE(test, kexec_mod_idmap_fits(kexec_mod_idmap_top(),
						      PAGE_SIZE));
}

#define TEST_TTBCR_T0SZ		GENMASK(2, 0)
#define TEST_TTBCR_EPD0		BIT(7)

/*
 * The exec's TTBCR: the kernel's own, except under TTBR0 PAN, where
 * TTBR0 walks are on for the largest region that leaves the module area
 * (this test's code) to TTBR1.
 */
static void exec_ttbcr_leaves_the_module_to_ttbr1(struct kunit *test)
{
	u32 live, exec = kexec_mod_exec_ttbcr();
	u64 region;

	asm volatile("mrc p15, 0, %0, c2, c0, 2" : "=r" (live));
	if (!IS_ENABLED(CONFIG_CPU_TTBR0_PAN)) {
		KUNIT_EXPECT_EQ(test, exec, live);
		return;
	}
	/* The kernel runs with TTBR0 walks off, as the PAN code says. */
	KUNIT_EXPECT_TRUE(test, live & TEST_TTBCR_EPD0);
	KUNIT_EXPECT_FALSE(test, exec & TEST_TTBCR_EPD0);
	KUNIT_EXPECT_EQ(test, exec & ~(TEST_TTBCR_EPD0 | TEST_TTBCR_T0SZ),
			live & ~(TEST_TTBCR_EPD0 | TEST_TTBCR_T0SZ));
	KUNIT_ASSERT_NE(test, exec & TEST_TTBCR_T0SZ, 0U);
	region = SZ_4G >> (exec & TEST_TTBCR_T0SZ);
	KUNIT_EXPECT_LE(test, region, (u64)MODULES_VADDR);
	KUNIT_EXPECT_GT(test, 2 * region, (u64)MODULES_VADDR);
	/* This test's code, in a module, is TTBR1's. */
	KUNIT_EXPECT_GE(test,
			(u64)(unsigned long)exec_ttbcr_leaves_the_module_to_ttbr1,
			region);
	KUNIT_EXPECT_EQ(test, kexec_mod_idmap_top(), region);
}

static void cmdline_one_cpu_words(struct kunit *test)
{
	static const struct {
		const char *args;
		bool one_cpu;
	} cases[] = {
		{ "console=ttyAMA0 nosmp", true },
		{ "maxcpus=1", true },
		{ "maxcpus=0 quiet", true },
		{ "maxcpus=4 maxcpus=1", true },
		{ "maxcpus=2", false },
		{ "maxcpus=1 maxcpus=4", false },
		{ "maxcpus=01234567890123456789", false },
		{ "console=ttyAMA0 -- nosmp", false },
		{ "nosmpx maxcpus= xnosmp", false },
		{ "", false },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		KUNIT_EXPECT_EQ_MSG(test,
				    kexec_mod_cmdline_one_cpu(cases[i].args,
							      strlen(cases[i].args) + 1),
				    cases[i].one_cpu, "\"%s\"", cases[i].args);
	/* The property's length bounds the words, not a NUL. */
	KUNIT_EXPECT_FALSE(test, kexec_mod_cmdline_one_cpu("nosmp", 4));
}

/*
 * A flattened tree: / { bootargs; other { bootargs }; chosen { bootargs } },
 * only the last of which counts.
 */
#define FDT_WORD(x)	cpu_to_be32(x)
static const __be32 test_fdt[] = {
	/*
	 * header: magic, totalsize, off_struct, off_strings, off_rsvmap,
	 * version, last_comp, boot_cpuid, size_strings, size_struct
	 */
	FDT_WORD(0xd00dfeed), FDT_WORD(192), FDT_WORD(56), FDT_WORD(176),
	FDT_WORD(40), FDT_WORD(17), FDT_WORD(16), FDT_WORD(0),
	FDT_WORD(16), FDT_WORD(120),
	/* memory reservation map: one empty entry */
	0, 0, 0, 0,
	/* structure block at 56, 120 bytes */
	FDT_WORD(1), 0,					/* / */
	FDT_WORD(3), FDT_WORD(4), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6e6f736d),				/* "nosm", no NUL */
	FDT_WORD(1), FDT_WORD(0x6f746865), FDT_WORD(0x72000000), /* other */
	FDT_WORD(3), FDT_WORD(6), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6e6f736d), FDT_WORD(0x70000000),	/* "nosmp" */
	FDT_WORD(2),
	FDT_WORD(1), FDT_WORD(0x63686f73), FDT_WORD(0x656e0000), /* chosen */
	FDT_WORD(3), FDT_WORD(4), FDT_WORD(9),		/* other */
	FDT_WORD(0),
	FDT_WORD(3), FDT_WORD(8), FDT_WORD(0),		/* bootargs */
	FDT_WORD(0x6d617863), FDT_WORD(0x70757300),	/* "maxcpus" */
	FDT_WORD(2),
	FDT_WORD(2),
	FDT_WORD(9),
	/* strings block at 176: "bootargs\0other\0\0" (16 bytes) */
	FDT_WORD(0x626f6f74), FDT_WORD(0x61726773), FDT_WORD(0x006f7468),
	FDT_WORD(0x65720000),
};

static void fdt_bootargs_from_chosen_only(struct kunit *test)
{
	const u8 *fdt = (const u8 *)test_fdt;
	const char *args;
	u32 len = 0;

	KUNIT_ASSERT_EQ(test, sizeof(test_fdt), (size_t)192);
	args = kexec_mod_fdt_bootargs(fdt, sizeof(test_fdt), &len);
	KUNIT_ASSERT_NOT_NULL(test, args);
	KUNIT_EXPECT_EQ(test, len, 8U);
	KUNIT_EXPECT_STREQ(test, args, "maxcpus");

	/* Cut short or with a structure block past its end: no answer. */
	KUNIT_EXPECT_NULL(test, kexec_mod_fdt_bootargs(fdt, 150, &len));
	KUNIT_EXPECT_NULL(test, kexec_mod_fdt_bootargs(fdt, 39, &len));
}

static struct kunit_case kexec_mod_machine_cases[] = {
	KUNIT_CASE(boot_params_prefer_fdt),
	KUNIT_CASE(boot_params_default_to_atags),
	KUNIT_CASE(memory_check_uses_system_ram),
	KUNIT_CASE(control_limit_leaves_room_for_a_section),
	KUNIT_CASE(exec_ttbcr_leaves_the_module_to_ttbr1),
	KUNIT_CASE(cmdline_one_cpu_words),
	KUNIT_CASE(fdt_bootargs_from_chosen_only),
	{}
};

static struct kunit_suite kexec_mod_machine_suite = {
	.name = "kexec_mod_machine_prepare",
	.test_cases = kexec_mod_machine_cases,
};

kunit_test_suites(&kexec_mod_machine_suite);
