// SPDX-License-Identifier: GPL-2.0-only
/*
 * The load path of /dev/kexec: every errno kexec_load(2) would give,
 * status, unload, replacement, the legacy numbers and concurrent use.
 * Destinations are taken from "System RAM" in /proc/iomem; nothing is
 * written there before an exec, so any RAM will do.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kexec_mod_test.h"

#define KEXEC_DEV	"/dev/kexec"
#define MODULE_KO	"/lib/modules/kexec_mod.ko"
#define PG		4096UL
#define MIB		(1024UL * 1024)
#define FDT_MAGIC_BE	"\xd0\x0d\xfe\xed"

/*
 * The buffer of a segment that is all zeroes (bufsz 0).  kexec_load(2)
 * reads its first word even then, looking for a device tree, so it must
 * be readable: NULL is EFAULT there and here.
 */
static const char NO_BYTES[4];

struct ram {
	unsigned long start;	/* first byte of the largest System RAM block */
	unsigned long end;	/* last byte */
};

static struct ram find_ram(void)
{
	struct ram best = { 0, 0 };
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return best;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		/* Top-level entries only: no leading blanks. */
		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%lx-%lx", &s, &e) != 2)
			continue;
		if (e - s > best.end - best.start)
			best = (struct ram){ s, e };
	}
	fclose(f);
	return best;
}

static unsigned long ram_pages(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return 0;
	return (unsigned long)((unsigned long long)si.totalram * si.mem_unit /
			       PG);
}

static int open_dev(void)
{
	return open(KEXEC_DEV, O_RDWR | O_CLOEXEC);
}

/* 0 or the errno of a KEXEC_MOD_LOAD (or of @cmd) with these arguments. */
static int load_cmd(int fd, unsigned long cmd, unsigned long entry,
		    const struct kexec_segment *segs, unsigned long nr,
		    unsigned long flags)
{
	struct kexec_mod_load args = {
		.entry = entry,
		.nr_segments = nr,
		.segments = (unsigned long)segs,
		.flags = flags,
	};

	return ioctl(fd, cmd, &args) ? errno : 0;
}

static int load(int fd, unsigned long entry, const struct kexec_segment *segs,
		unsigned long nr, unsigned long flags)
{
	return load_cmd(fd, KEXEC_MOD_LOAD, entry, segs, nr, flags);
}

static int status(int fd, struct kexec_mod_status *st)
{
	memset(st, 0xa5, sizeof(*st));
	return ioctl(fd, KEXEC_MOD_STATUS, st) ? errno : 0;
}

static int unload(int fd)
{
	return ioctl(fd, KEXEC_MOD_UNLOAD) ? errno : 0;
}

/* A buffer of @size bytes filled with a pattern derived from @seed. */
static void *pattern_buf(size_t size, unsigned int seed)
{
	unsigned char *p = malloc(size ? size : 1);
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < size; i++)
		p[i] = (unsigned char)(i * 31 + seed);
	return p;
}

static struct kexec_segment segment(const void *buf, size_t bufsz,
				    unsigned long mem, size_t memsz)
{
	struct kexec_segment s = {
		.buf = buf, .bufsz = bufsz, .mem = (void *)mem, .memsz = memsz,
	};

	return s;
}

/*
 * Shared set-up: the device, the RAM block, a kernel-like image of two
 * segments (64 KiB "kernel" at base + 0x8000, a 4 KiB device tree 1 MiB
 * above) and a clean start with nothing loaded.
 */
/*
 * How far free memory may be off after an image is freed: 64 KiB, or
 * KXTEST_MEM_SLACK_KIB where the kernel itself holds on to freed memory
 * for a while (KASAN's quarantine on the debug kernel).
 */
static long mem_slack_kib(void)
{
	const char *env = getenv("KXTEST_MEM_SLACK_KIB");

	return env ? atol(env) : 64;
}

FIXTURE(dev) {
	int fd;
	struct ram ram;
	unsigned long base;	/* 1 MiB aligned, in RAM, well above the kernel */
	void *kernel;
	void *dtb;
	struct kexec_segment segs[2];
};

FIXTURE_SETUP(dev)
{
	self->fd = open_dev();
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s (is kexec_mod loaded?)", KEXEC_DEV,
		       strerror(errno));
	}
	self->ram = find_ram();
	ASSERT_LT(64 * MIB, self->ram.end - self->ram.start);
	self->base = (self->ram.start + (self->ram.end - self->ram.start) / 2) &
		     ~(MIB - 1);
	self->kernel = pattern_buf(64 * 1024, 1);
	self->dtb = pattern_buf(PG, 2);
	ASSERT_TRUE(self->kernel && self->dtb);
	memcpy(self->dtb, FDT_MAGIC_BE, 4);
	self->segs[0] = segment(self->kernel, 64 * 1024, self->base + 0x8000,
				64 * 1024);
	self->segs[1] = segment(self->dtb, PG, self->base + MIB, PG);
	ASSERT_EQ(0, unload(self->fd));
}

FIXTURE_TEARDOWN(dev)
{
	long pages;

	unload(self->fd);
	load(self->fd, 0, NULL, 0, KEXEC_ON_CRASH);
	/*
	 * With nothing loaded and no exec under way the module holds no
	 * page: every failed load, exec or unload of the test gave back
	 * all it took.
	 */
	pages = module_pages();
	if (pages >= 0)
		EXPECT_EQ(0, pages);
	close(self->fd);
	free(self->kernel);
	free(self->dtb);
}

#define ENTRY(self)	((self)->base + 0x8000)

TEST_F(dev, load_rejects_without_cap_sys_boot)
{
	ASSERT_EQ(0, drop_cap_sys_boot());
	EXPECT_EQ(EPERM, load(self->fd, ENTRY(self), self->segs, 2, 0));
	EXPECT_EQ(EPERM, unload(self->fd));
	EXPECT_EQ(EPERM, ioctl(self->fd, KEXEC_MOD_EXEC) ? errno : 0);
}

TEST_F(dev, load_rejects_unknown_flags)
{
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0x4));
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0x8000));
}

TEST_F(dev, load_rejects_foreign_arch)
{
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2,
			       KEXEC_ARCH_X86_64));
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2,
			       KEXEC_ARCH_AARCH64));
}

TEST_F(dev, load_accepts_arch_default_and_arm)
{
	EXPECT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2,
			  KEXEC_ARCH_DEFAULT));
	EXPECT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2,
			  KEXEC_ARCH_ARM));
}

TEST_F(dev, load_rejects_preserve_context)
{
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2,
			       KEXEC_PRESERVE_CONTEXT | KEXEC_ARCH_ARM));
}

/*
 * The fixture's segments are System RAM, never the crash region: with a
 * region or without one, kexec_load(2) answers EADDRNOTAVAIL.
 */
TEST_F(dev, load_on_crash_outside_region_is_eaddrnotavail)
{
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, ENTRY(self), self->segs, 2,
				      KEXEC_ON_CRASH | KEXEC_ARCH_ARM));
	EXPECT_EQ(0, crash_loaded());
}

/* The crash region's first byte, or 0 without one (SKIP then). */
static unsigned long crash_region(unsigned long *last)
{
	char line[256];
	unsigned long s, e, found = 0;
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (line[0] != ' ' && strstr(line, ": Crash kernel") &&
		    sscanf(line, "%lx-%lx", &s, &e) == 2) {
			found = s;
			*last = e;
		}
	fclose(f);
	return found;
}

#define CRASH_SKIP_REASON \
	"no crash region (kexec_mod loaded without crashkernel=)"

static int crash_unload(int fd)
{
	return load(fd, 0, NULL, 0, KEXEC_ON_CRASH);
}

/*
 * A crash image goes straight into the region and leaves the image
 * loaded for kexec alone, and the other way round.
 */
TEST_F(dev, crash_load_and_unload_beside_kexec_image)
{
	unsigned long last, start = crash_region(&last);
	struct kexec_mod_status st;
	struct kexec_segment crash[2];

	if (!start)
		SKIP(return, CRASH_SKIP_REASON);
	crash[0] = segment(self->kernel, 64 * 1024, start + 0x8000, 64 * 1024);
	crash[1] = segment(self->dtb, PG, last + 1 - PG, PG);

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	ASSERT_EQ(0, load(self->fd, start + 0x8000, crash, 2, KEXEC_ON_CRASH));
	EXPECT_EQ(1, crash_loaded());
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(1, st.loaded);
	EXPECT_EQ(2, st.nr_segments);
	EXPECT_EQ(ENTRY(self), st.entry);

	/* Replaced, then the kexec image unloaded: the crash image stays. */
	ASSERT_EQ(0, load(self->fd, start + 0x8000, crash, 1, KEXEC_ON_CRASH));
	EXPECT_EQ(1, crash_loaded());
	ASSERT_EQ(0, unload(self->fd));
	EXPECT_EQ(1, crash_loaded());

	EXPECT_EQ(0, crash_unload(self->fd));
	EXPECT_EQ(0, crash_loaded());
	/* Unloading nothing is no error, as in the kernel. */
	EXPECT_EQ(0, crash_unload(self->fd));
}

/*
 * As kexec_load(2): a crash load unloads the crash image first (the new
 * one is copied over it), so one that fails leaves none.
 */
TEST_F(dev, crash_load_outside_region_leaves_no_crash_image)
{
	unsigned long last, start = crash_region(&last);
	struct kexec_segment crash[2];

	if (!start)
		SKIP(return, CRASH_SKIP_REASON);
	crash[0] = segment(self->kernel, 64 * 1024, start + 0x8000, 64 * 1024);
	/* One page inside, one past the region's end. */
	crash[1] = segment(self->dtb, PG, last + 1 - PG, 2 * PG);

	ASSERT_EQ(0, load(self->fd, start + 0x8000, crash, 1, KEXEC_ON_CRASH));
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, start + 0x8000, crash, 2,
				      KEXEC_ON_CRASH));
	EXPECT_EQ(0, crash_loaded());
	/* An entry point outside the region, the segments inside. */
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, start - PG, crash, 1,
				      KEXEC_ON_CRASH));
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, last + 1, crash, 1,
				      KEXEC_ON_CRASH));
	EXPECT_EQ(0, crash_loaded());
}

/* A crash image holds pages (control page, identity map) until unloaded. */
TEST_F(dev, crash_image_pages_return_on_unload)
{
	unsigned long last, start = crash_region(&last);
	struct kexec_segment crash[1];
	long pages;

	if (!start)
		SKIP(return, CRASH_SKIP_REASON);
	crash[0] = segment(self->kernel, 64 * 1024, start + 0x8000, 64 * 1024);
	ASSERT_EQ(0, load(self->fd, start + 0x8000, crash, 1, KEXEC_ON_CRASH));
	pages = module_pages();
	if (pages >= 0)
		EXPECT_LT(0, pages);
	ASSERT_EQ(0, crash_unload(self->fd));
	pages = module_pages();
	if (pages >= 0)
		EXPECT_EQ(0, pages);
}

TEST_F(dev, load_rejects_too_many_segments)
{
	struct kexec_segment segs[KEXEC_SEGMENT_MAX + 1];
	int i;

	for (i = 0; i <= KEXEC_SEGMENT_MAX; i++)
		segs[i] = segment(NO_BYTES, 0, self->base + i * PG, PG);
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), segs,
			       KEXEC_SEGMENT_MAX + 1, 0));
	EXPECT_EQ(0, load(self->fd, ENTRY(self), segs, KEXEC_SEGMENT_MAX, 0));
}

TEST_F(dev, load_rejects_unaligned_destination)
{
	self->segs[1].mem = (void *)(self->base + MIB + 8);
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_unaligned_memsz)
{
	self->segs[1].memsz = PG + 1;
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_wrapping_destination)
{
	self->segs[1] = segment(NO_BYTES, 0, 0xfffff000UL, 2 * PG);
	EXPECT_EQ(EADDRNOTAVAIL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_overlap)
{
	/* The device tree's last page on the kernel's first. */
	self->segs[1].mem = (void *)(self->base + 0x8000 - PG);
	self->segs[1].memsz = 2 * PG;
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_accepts_adjacent_segments)
{
	self->segs[1].mem = (void *)(self->base + 0x8000 + 64 * 1024);
	EXPECT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_bufsz_over_memsz)
{
	self->segs[1].memsz = PG;
	self->segs[1].bufsz = PG + 1;
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_segment_over_half_of_ram)
{
	unsigned long half = ram_pages() / 2;

	ASSERT_LT(0UL, half);
	self->segs[1] = segment(NO_BYTES, 0, self->ram.start, (half + 1) * PG);
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), &self->segs[1], 1, 0));
}

TEST_F(dev, load_rejects_total_over_half_of_ram)
{
	unsigned long half = ram_pages() / 2;
	struct kexec_segment segs[2];

	ASSERT_LT(0UL, half);
	segs[0] = segment(NO_BYTES, 0, self->ram.start, (half / 2 + 1) * PG);
	segs[1] = segment(NO_BYTES, 0, self->ram.start + (half / 2 + 1) * PG,
			  (half - half / 2) * PG);
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), segs, 2, 0));
}

TEST_F(dev, load_rejects_destination_outside_ram)
{
	/* Physical 0 is flash on QEMU virt, and in no "System RAM". */
	self->segs[1] = segment(NO_BYTES, 0, 0, PG);
	if (self->ram.start == 0)
		SKIP(return, "RAM starts at physical 0 here");
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_destination_straddling_ram_end)
{
	unsigned long last = (self->ram.end + 1) - PG;

	if (self->ram.end >= 0xffffe000UL)
		SKIP(return, "RAM reaches the top of the address space");
	self->segs[1] = segment(NO_BYTES, 0, last, PG);
	EXPECT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	self->segs[1].memsz = 2 * PG;
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_bad_argument_pointer)
{
	EXPECT_EQ(EFAULT, ioctl(self->fd, KEXEC_MOD_LOAD, (void *)16) ?
			  errno : 0);
}

TEST_F(dev, load_rejects_bad_segment_list_pointer)
{
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self),
			       (struct kexec_segment *)16, 2, 0));
}

TEST_F(dev, load_rejects_bad_buffer_pointer)
{
	/* The first word is read for the device tree check... */
	self->segs[1].buf = (void *)16;
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

/* kexec_load(2) reads the first word even of a segment with no bytes. */
TEST_F(dev, load_reads_first_word_of_empty_buffer)
{
	self->segs[1] = segment(NULL, 0, self->base + MIB, PG);
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

/*
 * machine_kexec_prepare() takes one segment at a time, destination then
 * buffer: the first bad segment decides the errno, whichever its fault.
 */
TEST_F(dev, load_checks_segments_one_at_a_time)
{
	if (self->ram.start == 0)
		SKIP(return, "RAM starts at physical 0 here");
	self->segs[0].buf = NULL;
	self->segs[1] = segment(NO_BYTES, 0, 0, PG);
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self), self->segs, 2, 0));
	self->segs[0].buf = self->kernel;
	self->segs[0].mem = 0;
	self->segs[1] = segment(NULL, PG, self->base + MIB, PG);
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

/* memblock_is_region_memory() wants even an empty range's address in RAM. */
TEST_F(dev, load_rejects_empty_segment_outside_ram)
{
	if (self->ram.start == 0)
		SKIP(return, "RAM starts at physical 0 here");
	self->segs[1] = segment(NO_BYTES, 0, 0, 0);
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self), self->segs, 2, 0));
	self->segs[1].mem = (void *)(self->base + MIB);
	EXPECT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
}

TEST_F(dev, load_rejects_buffer_unmapped_past_first_page)
{
	/* ...and the rest while staging: map two pages, unmap the second. */
	char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_TRUE(p != MAP_FAILED);
	memset(p, 1, PG);
	ASSERT_EQ(0, munmap(p + PG, PG));
	self->segs[1] = segment(p, 2 * PG, self->base + MIB, 2 * PG);
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self), self->segs, 2, 0));
	munmap(p, PG);
}

TEST_F(dev, load_busy_while_another_load_runs)
{
	/* A 32 MiB segment keeps the loader busy for a while. */
	struct kexec_segment big = segment(NO_BYTES, 0, self->base, 32 * MIB);
	int busy = 0, tries = 0, wstatus;
	struct timespec t0, t;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open_dev();

		for (;;)
			load(fd, self->base, &big, 1, 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		int ret = load(self->fd, ENTRY(self), self->segs, 2, 0);

		EXPECT_TRUE(ret == 0 || ret == EBUSY) {
			TH_LOG("load returned %s", strerror(ret));
		}
		busy += ret == EBUSY;
		tries++;
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while (!busy && t.tv_sec - t0.tv_sec < 5);
	kill(pid, SIGKILL);
	waitpid(pid, &wstatus, 0);
	TH_LOG("EBUSY after %d attempts", tries);
	EXPECT_LT(0, busy);
}

TEST_F(dev, zero_segments_unloads)
{
	struct kexec_mod_status st;

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	EXPECT_EQ(0, load(self->fd, 0, NULL, 0, 0));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(0, st.loaded);
	/* Unloading nothing is fine too. */
	EXPECT_EQ(0, load(self->fd, 0, NULL, 0, 0));
	EXPECT_EQ(0, unload(self->fd));
}

TEST_F(dev, status_reports_loaded_image)
{
	unsigned long limit = 0xbf000000UL - MIB;	/* TASK_SIZE - 1 MiB */
	struct kexec_mod_status st;
	unsigned long cp;

	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(KEXEC_MOD_ABI_VERSION, st.abi_version);
	EXPECT_EQ(0, st.loaded);
	EXPECT_EQ(0, st.nr_segments);
	EXPECT_EQ(KEXEC_MOD_RELOC_NONE, st.reloc_mode);

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2,
			  KEXEC_ARCH_ARM));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(KEXEC_MOD_ABI_VERSION, st.abi_version);
	EXPECT_EQ(1, st.loaded);
	EXPECT_EQ(ENTRY(self), st.entry);
	EXPECT_EQ(2, st.nr_segments);
	EXPECT_EQ(16 + 1, st.pages_staged);
	EXPECT_EQ(self->base + MIB, st.boot_params);
	EXPECT_EQ(KEXEC_MOD_DISARMED, st.armed);
	/* QEMU virt boots from a device tree: r1 is ~0. */
	EXPECT_EQ(0xffffffffU, st.machine_type);
	/* Either copy will do, depending on the kernel; none means refused. */
	EXPECT_TRUE(st.reloc_mode == KEXEC_MOD_RELOC_MMU_ON ||
		    st.reloc_mode == KEXEC_MOD_RELOC_MMU_OFF);

	cp = st.control_page;
	EXPECT_EQ(0, cp % PG);
	EXPECT_TRUE(cp >= self->ram.start && cp < self->ram.end);
	EXPECT_LE(cp + PG, limit);
	EXPECT_FALSE(cp + PG > self->base + 0x8000 &&
		     cp < self->base + 0x8000 + 64 * 1024);
	EXPECT_FALSE(cp == self->base + MIB);
	EXPECT_EQ(0, st.reserved[0]);
	EXPECT_EQ(0, st.reserved[4]);
}

TEST_F(dev, status_points_r2_at_atags_without_device_tree)
{
	struct kexec_mod_status st;

	memset(self->dtb, 0, 4);
	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(self->base + 0x1000, st.boot_params);
}

static int read_flag(const char *path)
{
	char c = '?';
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (read(fd, &c, 1) != 1)
		c = '?';
	close(fd);
	return c == '1' ? 1 : c == '0' ? 0 : -1;
}

TEST_F(dev, sysfs_loaded_follows_the_image)
{
	EXPECT_EQ(0, read_flag("/sys/kernel/kexec_mod/loaded"));
	EXPECT_EQ(0, read_flag("/sys/kernel/kexec_loaded"));
	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	EXPECT_EQ(1, read_flag("/sys/kernel/kexec_mod/loaded"));
	EXPECT_EQ(1, read_flag("/sys/kernel/kexec_loaded"));
	ASSERT_EQ(0, unload(self->fd));
	EXPECT_EQ(0, read_flag("/sys/kernel/kexec_mod/loaded"));
	EXPECT_EQ(0, read_flag("/sys/kernel/kexec_loaded"));
}

TEST_F(dev, unload_returns_memory)
{
	struct kexec_segment big = segment(NO_BYTES, 0, self->base, 16 * MIB);
	long before, loaded, after;
	int i;

	/* One round first, so allocator caches are in their steady state. */
	ASSERT_EQ(0, load(self->fd, self->base, &big, 1, 0));
	ASSERT_EQ(0, unload(self->fd));

	/*
	 * The image holds its 16 MiB, give or take what others freed
	 * meanwhile: under KASAN its quarantine gives back megabytes at
	 * any moment.  A round whose readings are off is taken again, three
	 * rounds at most; a leak stays off in every one.  The exact check
	 * is the fixture's page count at teardown.
	 */
	for (i = 0; i < 3; i++) {
		before = settled_mem_free();
		ASSERT_EQ(0, load(self->fd, self->base, &big, 1, 0));
		loaded = settled_mem_free();
		ASSERT_EQ(0, unload(self->fd));
		after = settled_mem_free();
		TH_LOG("MemFree before %ld kB, loaded %ld kB, after %ld kB",
		       before, loaded, after);
		if (before - loaded >= 16 * 1024 - mem_slack_kib() &&
		    labs(before - after) <= mem_slack_kib())
			break;
	}
	EXPECT_LE(16 * 1024 - mem_slack_kib(), before - loaded);
	EXPECT_GE(mem_slack_kib(), labs(before - after));
}

TEST_F(dev, reload_replaces_image)
{
	struct kexec_segment other = segment(NO_BYTES, 0, self->base + 8 * MIB,
					     3 * PG);
	struct kexec_mod_status st;

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	ASSERT_EQ(0, load(self->fd, self->base + 8 * MIB, &other, 1, 0));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(1, st.loaded);
	EXPECT_EQ(self->base + 8 * MIB, st.entry);
	EXPECT_EQ(1, st.nr_segments);
	EXPECT_EQ(3, st.pages_staged);
}

TEST_F(dev, failed_load_keeps_previous_image)
{
	struct kexec_mod_status before, after;
	long pages;
	char *p;

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	ASSERT_EQ(0, status(self->fd, &before));
	pages = module_pages();

	/* Refused by the checks... */
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self) + PG, self->segs, 2,
			       0x4));
	self->segs[1].bufsz = 2 * PG;
	EXPECT_EQ(EINVAL, load(self->fd, ENTRY(self) + PG, self->segs, 2, 0));

	/* ...and half way through staging. */
	p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_EQ(0, munmap(p + PG, PG));
	self->segs[1] = segment(p, 2 * PG, self->base + MIB, 2 * PG);
	EXPECT_EQ(EFAULT, load(self->fd, ENTRY(self) + PG, self->segs, 2, 0));
	munmap(p, PG);

	ASSERT_EQ(0, status(self->fd, &after));
	EXPECT_EQ(0, memcmp(&before, &after, sizeof(before)));
	/* The image's pages, no more: the failed loads gave theirs back. */
	EXPECT_EQ(pages, module_pages());
}

/*
 * The module's page count (debugfs) holds a loaded image's pages: one a
 * staged page, its indirection page and the control page; none once it
 * is unloaded.
 */
TEST_F(dev, page_count_follows_the_image)
{
	struct kexec_mod_status st;
	long pages = module_pages();

	if (pages < 0)
		SKIP(return, "no debugfs kexec_mod/pages");
	EXPECT_EQ(0, pages);
	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ((long)st.pages_staged + 2, module_pages());
	ASSERT_EQ(0, unload(self->fd));
	EXPECT_EQ(0, module_pages());
}

TEST_F(dev, legacy_load_number_works)
{
	struct kexec_mod_status st;

	EXPECT_EQ(0, load_cmd(self->fd, KEXEC_MOD_LEGACY_LOAD, ENTRY(self),
			      self->segs, 2, KEXEC_ARCH_ARM));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(1, st.loaded);
	EXPECT_EQ(ENTRY(self), st.entry);
	/* The legacy load goes through the same checks. */
	EXPECT_EQ(EINVAL, load_cmd(self->fd, KEXEC_MOD_LEGACY_LOAD,
				   ENTRY(self), self->segs, 2,
				   KEXEC_ARCH_X86_64));
	EXPECT_EQ(0, load_cmd(self->fd, KEXEC_MOD_LEGACY_LOAD, 0, NULL, 0, 0));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(0, st.loaded);
}

TEST_F(dev, exec_without_image_is_enoent)
{
	EXPECT_EQ(ENOENT, ioctl(self->fd, KEXEC_MOD_EXEC) ? errno : 0);
	EXPECT_EQ(ENOENT, ioctl(self->fd, KEXEC_MOD_LEGACY_EXEC) ? errno : 0);
}

/* A rehearsal needs an image; its report comes back whatever happened. */
TEST_F(dev, rehearse_without_image_is_enoent)
{
	struct kexec_mod_rehearsal r;

	memset(&r, 0xa5, sizeof(r));
	EXPECT_EQ(ENOENT, ioctl(self->fd, KEXEC_MOD_REHEARSE, &r) ? errno : 0);
	EXPECT_EQ(KEXEC_MOD_REHEARSE_STEPS, r.nr_steps);
	EXPECT_EQ(KEXEC_MOD_STEP_NOT_RUN, r.step[KEXEC_MOD_REHEARSE_CPUS].state);
}

/*
 * With an image: every step passes and leaves the image loaded; a report
 * that cannot be written back is EFAULT, after the rehearsal ran.
 */
TEST_F(dev, rehearse_passes_and_keeps_image)
{
	struct kexec_mod_rehearsal r;
	struct kexec_mod_status st;
	int i;

	ASSERT_EQ(0, load(self->fd, ENTRY(self), self->segs, 2, 0));
	memset(&r, 0xa5, sizeof(r));
	ASSERT_EQ(0, ioctl(self->fd, KEXEC_MOD_REHEARSE, &r) ? errno : 0);
	for (i = 0; i < KEXEC_MOD_REHEARSE_STEPS; i++) {
		EXPECT_EQ(KEXEC_MOD_STEP_PASSED, r.step[i].state);
		EXPECT_EQ(0, r.step[i].error);
	}
	for (; i < KEXEC_MOD_REHEARSE_MAX_STEPS; i++)
		EXPECT_EQ(KEXEC_MOD_STEP_NOT_RUN, r.step[i].state);
	EXPECT_NE(KEXEC_MOD_RELOC_NONE, r.reloc_mode);
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(1, st.loaded);
	EXPECT_EQ(KEXEC_MOD_DISARMED, st.armed);
	EXPECT_EQ(EFAULT, ioctl(self->fd, KEXEC_MOD_REHEARSE, NULL) ? errno : 0);
}

/*
 * Two loaders with different images, an unloader and a status reader for
 * ten seconds.  Every status seen must describe one whole image (or
 * none), every call succeed or report EBUSY, and the end state be sane.
 */
static int hammer(int role, unsigned long base, int seconds)
{
	unsigned long entry[2] = { base + 0x8000, base + 16 * MIB };
	unsigned long pages[2] = { 64, 5 };
	struct kexec_segment segs[2] = {
		segment(NO_BYTES, 0, entry[0], 64 * PG),
		segment(NO_BYTES, 0, entry[1], 5 * PG),
	};
	time_t end = time(NULL) + seconds;
	int fd = open_dev(), bad = 0;

	if (fd < 0)
		return 1;
	while (time(NULL) < end && !bad) {
		struct kexec_mod_status st;
		int ret, i;

		switch (role) {
		case 0:
		case 1:
			ret = load(fd, entry[role], &segs[role], 1, 0);
			bad = ret && ret != EBUSY;
			break;
		case 2:
			ret = unload(fd);
			bad = ret && ret != EBUSY;
			usleep(1000);
			break;
		default:
			ret = status(fd, &st);
			if (ret) {
				bad = 1;
				break;
			}
			if (!st.loaded) {
				bad = st.entry || st.nr_segments ||
				      st.pages_staged;
				break;
			}
			i = st.entry == entry[1];
			bad = st.entry != entry[i] || st.nr_segments != 1 ||
			      st.pages_staged != pages[i] ||
			      st.control_page == 0;
			break;
		}
		if (bad)
			fprintf(stderr, "role %d: ret %d\n", role, ret);
	}
	close(fd);
	return bad;
}

TEST_F_TIMEOUT(dev, concurrent_load_unload_status_stay_consistent, 60)
{
	struct kexec_mod_status st;
	pid_t pids[4];
	int i, wstatus;

	for (i = 0; i < 4; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			_exit(hammer(i, self->base, 10));
	}
	for (i = 0; i < 4; i++) {
		ASSERT_EQ(pids[i], waitpid(pids[i], &wstatus, 0));
		EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) {
			TH_LOG("process %d ended with status %#x", i, wstatus);
		}
	}
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_TRUE(!st.loaded || st.nr_segments == 1);
	EXPECT_EQ(0, unload(self->fd));
	ASSERT_EQ(0, status(self->fd, &st));
	EXPECT_EQ(0, st.loaded);
}

static int run(const char *cmd)
{
	int ret = system(cmd);

	return WIFEXITED(ret) ? WEXITSTATUS(ret) : -1;
}

#define INSMOD_LEN	192

/*
 * The insmod that puts the module back as it is now, plus @extra (or
 * NULL): with the crash region it has, so that the tests after a reload
 * still find it.
 */
static void insmod_cmd(char *cmd, const char *extra)
{
	char region[64] = "";
	FILE *f = fopen("/sys/module/kexec_mod/parameters/crashkernel", "r");

	if (f) {
		if (!fgets(region, sizeof(region), f))
			region[0] = '\0';
		fclose(f);
	}
	region[strcspn(region, "\n")] = '\0';
	if (!region[0] || !strcmp(region, "(null)"))
		region[0] = '\0';
	snprintf(cmd, INSMOD_LEN, "insmod %s%s%s %s", MODULE_KO,
		 region[0] ? " crashkernel=" : "", region, extra ? extra : "");
}

/*
 * rmmod with an image loaded must free it.  The module is put back
 * afterwards so later tests (and the scenario's rmmod) find it.
 */
TEST(rmmod_with_image_loaded_returns_memory)
{
	struct ram ram = find_ram();
	unsigned long base = (ram.start + (ram.end - ram.start) / 2) &
			     ~(MIB - 1);
	struct kexec_segment big = segment(NO_BYTES, 0, base, 16 * MIB);
	char insmod[INSMOD_LEN];
	long before, after;
	int fd;

	if (access(MODULE_KO, R_OK))
		SKIP(return, "%s not found", MODULE_KO);
	/*
	 * Both readings are taken right after an rmmod and insmod, so the
	 * module's own memory and what reloading it moves around cancel out.
	 */
	insmod_cmd(insmod, NULL);
	ASSERT_EQ(0, run("rmmod kexec_mod"));
	ASSERT_EQ(0, run(insmod));
	before = settled_mem_free();
	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, load(fd, base, &big, 1, 0));
	close(fd);

	ASSERT_EQ(0, run("rmmod kexec_mod"));
	ASSERT_EQ(0, run(insmod));
	after = settled_mem_free();
	TH_LOG("MemFree before load %ld kB, after rmmod and insmod %ld kB",
	       before, after);
	/*
	 * A leak leaves less free; more free than before is the kernel's
	 * caches draining in between (per-CPU page lists, KASAN's
	 * quarantine on the debug kernel), which the test does not judge.
	 */
	EXPECT_GE(after, before - mem_slack_kib());
}

/*
 * The one-way switch ends loading until the module is reloaded, so the
 * test reloads the module when it is done.
 */
#define PARAMS		"/sys/module/kexec_mod/parameters/"
#define FAIL_CPU_OFF	"/sys/kernel/debug/kexec_mod/fail_cpu_offline/"

/*
 * A child that loads and unloads the fixture's image @rounds times,
 * tolerating EBUSY from a racing caller; its exit status counts the
 * calls that returned anything else.
 */
static int loader(unsigned long entry, const struct kexec_segment *segs,
		  int rounds)
{
	int fd = open_dev(), bad = 0, i, ret;

	if (fd < 0)
		return 1;
	for (i = 0; i < rounds; i++) {
		ret = load(fd, entry, segs, 2, 0);
		bad += ret && ret != EBUSY;
		ret = unload(fd);
		bad += ret && ret != EBUSY;
	}
	close(fd);
	return bad > 255 ? 255 : bad;
}

/* Wait for @pid; 0 when it exited with status 0. */
static int reap(pid_t pid)
{
	int wstatus;

	if (waitpid(pid, &wstatus, 0) != pid)
		return -1;
	return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
}

/*
 * Loads and unloads race writes to every parameter the exec path reads
 * (reloc_mode, debug_uart, kexec_on_reboot): no call may fail for
 * another reason than the race, and afterwards the module holds no page.
 */
TEST_F_TIMEOUT(dev, params_written_during_loads, 60)
{
	static const char * const writes[][2] = {
		{ "reloc_mode", "mmu-off" }, { "debug_uart", "0x9000000,pl011" },
		{ "kexec_on_reboot", "1" }, { "reloc_mode", "mmu-on" },
		{ "debug_uart", "off" }, { "kexec_on_reboot", "0" },
		{ "reloc_mode", "auto" },
	};
	char path[128];
	pid_t pid;
	int i, n;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(loader(ENTRY(self), self->segs, 200));
	for (n = 0; n < 200; n++) {
		i = n % (int)ARRAY_SIZE(writes);
		snprintf(path, sizeof(path), PARAMS "%s", writes[i][0]);
		ASSERT_EQ(0, put_file(path, writes[i][1])) {
			TH_LOG("writing %s to %s", writes[i][1], path);
		}
	}
	EXPECT_EQ(0, reap(pid));
	/* The last writes put the defaults back. */
	ASSERT_EQ(0, put_file(PARAMS "kexec_on_reboot", "0"));
	ASSERT_EQ(0, put_file(PARAMS "debug_uart", "off"));
	ASSERT_EQ(0, put_file(PARAMS "reloc_mode", "auto"));
}

/*
 * An exec races loads and unloads.  The module's fail_cpu_offline fault
 * attribute fails every exec that gets past its checks, so none goes
 * through: each returns EBUSY (the race, or the injected failure) or
 * ENOENT (nothing loaded at that moment), never anything else, and the
 * module ends with the image state a load or unload left and no page of
 * an exec.  Without the attribute (a kernel without fault injection) the
 * test cannot run safely.
 */
TEST_F_TIMEOUT(dev, exec_races_load_and_unload, 60)
{
	int bad = 0, i, ret;
	pid_t pid;

	if (access(FAIL_CPU_OFF "probability", W_OK))
		SKIP(return, "no %s (kernel without fault injection)",
		     FAIL_CPU_OFF);
	ASSERT_EQ(0, put_file(FAIL_CPU_OFF "verbose", "0"));
	ASSERT_EQ(0, put_file(FAIL_CPU_OFF "times", "-1"));
	ASSERT_EQ(0, put_file(FAIL_CPU_OFF "probability", "100"));

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(loader(ENTRY(self), self->segs, 100));
	for (i = 0; i < 100; i++) {
		ret = ioctl(self->fd, KEXEC_MOD_EXEC) ? errno : 0;
		if (ret != EBUSY && ret != ENOENT) {
			TH_LOG("exec %d: %d", i, ret);
			bad++;
		}
	}
	EXPECT_EQ(0, reap(pid));
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, put_file(FAIL_CPU_OFF "probability", "0"));
	ASSERT_EQ(0, put_file(FAIL_CPU_OFF "times", "1"));
}

/*
 * rmmod with kexec_on_reboot set and an image loaded, which a reboot
 * would start: the module goes cleanly (the image with it), and comes
 * back with nothing armed.
 */
TEST(rmmod_while_armed_for_reboot)
{
	struct ram ram = find_ram();
	unsigned long base = (ram.start + (ram.end - ram.start) / 2) &
			     ~(MIB - 1);
	struct kexec_segment seg = segment(NO_BYTES, 0, base, PG);
	struct kexec_mod_status st;
	char insmod[INSMOD_LEN];
	int fd;

	if (access(MODULE_KO, R_OK))
		SKIP(return, "%s not found to restore the module", MODULE_KO);
	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, put_file(PARAMS "kexec_on_reboot", "1"));
	ASSERT_EQ(0, load(fd, base + 0x8000, &seg, 1, 0));
	ASSERT_EQ(0, status(fd, &st));
	EXPECT_EQ(KEXEC_MOD_ARMED, st.armed);
	close(fd);

	insmod_cmd(insmod, NULL);
	EXPECT_EQ(0, run("rmmod kexec_mod"));
	ASSERT_EQ(0, run(insmod));
	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, status(fd, &st));
	EXPECT_EQ(0, st.loaded);
	EXPECT_EQ(KEXEC_MOD_DISARMED, st.armed);
	close(fd);
}

static void put_be32(unsigned char *p, unsigned int v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

/*
 * A flattened device tree with /chosen/bootargs = @args (NUL included),
 * written to @fdt; returns its size.  @args' first byte sits at
 * *@args_at in the tree, for the racer to flip.
 */
static size_t fdt_with_bootargs(unsigned char *fdt, const char *args,
				size_t *args_at)
{
	size_t alen = strlen(args) + 1, pos = 56, strings;
	unsigned int i;
	unsigned int words[10];

	memset(fdt, 0, PG);
	/* Structure block, after the 40-byte header and an empty rsvmap. */
	put_be32(fdt + pos, 1);			/* BEGIN_NODE "" */
	pos += 8;
	put_be32(fdt + pos, 1);			/* BEGIN_NODE "chosen" */
	memcpy(fdt + pos + 4, "chosen", 7);
	pos += 12;
	put_be32(fdt + pos, 3);			/* PROP bootargs */
	put_be32(fdt + pos + 4, alen);
	put_be32(fdt + pos + 8, 0);
	memcpy(fdt + pos + 12, args, alen);
	*args_at = pos + 12;
	pos += 12 + ((alen + 3) & ~3UL);
	put_be32(fdt + pos, 2);			/* END_NODE */
	put_be32(fdt + pos + 4, 2);		/* END_NODE */
	put_be32(fdt + pos + 8, 9);		/* END */
	pos += 12;
	strings = pos;
	memcpy(fdt + strings, "bootargs", 9);
	words[0] = 0xd00dfeed;
	words[1] = strings + 9;			/* totalsize */
	words[2] = 56;				/* off_dt_struct */
	words[3] = strings;			/* off_dt_strings */
	words[4] = 40;				/* off_mem_rsvmap */
	words[5] = 17;
	words[6] = 16;
	words[7] = 0;
	words[8] = 9;				/* size_dt_strings */
	words[9] = strings - 56;		/* size_dt_struct */
	for (i = 0; i < 10; i++)
		put_be32(fdt + 4 * i, words[i]);
	return strings + 9;
}

static int read_text(const char *path, char *buf, size_t size)
{
	int f = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -1;
	n = read(f, buf, size - 1);
	close(f);
	if (n < 0)
		return -1;
	buf[n] = 0;
	return 0;
}

struct flipper {
	unsigned char *byte;
	int stop;
	unsigned long flips;
};

/* Shares the test's memory (CLONE_VM): flips 'n' and 'x' until told. */
static int flip_run(void *arg)
{
	struct flipper *f = arg;
	unsigned char c = 'n';

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		c = c == 'n' ? 'x' : 'n';
		__atomic_store_n(f->byte, c, __ATOMIC_RELAXED);
		__atomic_add_fetch(&f->flips, 1, __ATOMIC_RELAXED);
	}
	return 0;
}

static unsigned long long flip_stack[4096];

/*
 * secondary_cpus=park: the load must judge the device tree that was
 * staged, not the user's buffer, which another thread may rewrite
 * between a check and the staging.  A racer flips "nosmp" into "xosmp"
 * (a command line that does not keep the new kernel on one CPU) and
 * back while the test loads; every load that is accepted must have
 * staged "nosmp" (debugfs kexec_mod/cmdline reads the staged tree).
 * The loads go on past 500 until both outcomes were seen, 20 s at most:
 * on a busy host the racer's vCPU can stall for a whole run of loads,
 * leaving the byte as it was (once, all 500 read 'x').
 */
TEST(park_judges_the_staged_tree)
{
	static const char cmdline[] = "/sys/kernel/debug/kexec_mod/cmdline";
	struct ram ram = find_ram();
	unsigned long base = (ram.start + (ram.end - ram.start) / 2) &
			     ~(MIB - 1);
	unsigned long accepted = 0, refused = 0, wrong = 0, i;
	int other = 0;
	struct kexec_segment segs[2];
	char insmod[INSMOD_LEN], park[INSMOD_LEN];
	struct flipper flip = { 0 };
	unsigned char *fdt;
	char text[256];
	size_t size, at;
	time_t end;
	int fd, err;
	pid_t pid;

	if (access(MODULE_KO, R_OK))
		SKIP(return, "%s not found to reload the module", MODULE_KO);
	if (sysconf(_SC_NPROCESSORS_CONF) < 2)
		SKIP(return, "one possible CPU: secondary_cpus=park checks nothing");
	insmod_cmd(insmod, NULL);
	insmod_cmd(park, "secondary_cpus=park");
	ASSERT_EQ(0, run("rmmod kexec_mod"));
	ASSERT_EQ(0, run(park));
	fd = open_dev();
	fdt = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_LE(0, fd);
	ASSERT_TRUE(fdt != MAP_FAILED);
	size = fdt_with_bootargs(fdt, "nosmp", &at);
	segs[0] = segment(NO_BYTES, 0, base, 2 * PG);
	segs[1] = segment(fdt, size, base + MIB, PG);

	EXPECT_EQ(0, load(fd, base + 0x8000, segs, 2, 0));
	EXPECT_EQ(0, read_text(cmdline, text, sizeof(text)));
	EXPECT_STREQ("nosmp\n", text);
	fdt[at] = 'x';
	EXPECT_EQ(EINVAL, load(fd, base + 0x8000, segs, 2, 0));

	flip.byte = fdt + at;
	pid = clone(flip_run, flip_stack + ARRAY_SIZE(flip_stack),
		    CLONE_VM | SIGCHLD, &flip);
	ASSERT_LT(0, pid);
	while (!__atomic_load_n(&flip.flips, __ATOMIC_RELAXED))
		sched_yield();
	end = time(NULL) + 20;
	for (i = 0; (i < 500 || !accepted || !refused) && time(NULL) < end;
	     i++) {
		err = load(fd, base + 0x8000, segs, 2, 0);
		if (err == EINVAL) {
			refused++;
			continue;
		}
		if (err) {
			other = err;
			break;
		}
		accepted++;
		if (read_text(cmdline, text, sizeof(text)) ||
		    strcmp(text, "nosmp\n"))
			wrong++;
	}
	__atomic_store_n(&flip.stop, 1, __ATOMIC_RELAXED);
	waitpid(pid, NULL, 0);
	TH_LOG("%lu loads accepted, %lu refused, %lu staged a tree that was not checked; %lu flips",
	       accepted, refused, wrong, flip.flips);
	EXPECT_EQ(0, other);
	EXPECT_EQ(0, wrong);
	/* Both outcomes, or the racer never met a load. */
	EXPECT_LT(0, accepted);
	EXPECT_LT(0, refused);

	unload(fd);
	close(fd);
	munmap(fdt, PG);
	ASSERT_EQ(0, run("rmmod kexec_mod"));
	ASSERT_EQ(0, run(insmod));
}

/* A child that holds @kib of locked memory until killed; its pid or -1. */
static pid_t hog(long kib)
{
	int p[2];
	pid_t pid;
	char ok = 0;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		size_t len = (size_t)kib * 1024;
		char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		ok = m != MAP_FAILED && !mlock(m, len);
		if (write(p[1], &ok, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid < 0 || read(p[0], &ok, 1) != 1 || !ok) {
		if (pid > 0) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
		}
		pid = -1;
	}
	close(p[0]);
	return pid;
}

/*
 * An image that fits the half-of-RAM rule but not the memory there is:
 * the load fails with ENOMEM once reclaim gives up, and the OOM killer
 * takes nobody (here: the process holding the memory stays alive).
 */
TEST(load_out_of_memory_is_enomem_not_oom_kill)
{
	struct ram ram = find_ram();
	unsigned long pages = ram_pages() / 2 - 64;
	long avail = meminfo_kib("MemAvailable"), hog_kib;
	struct kexec_segment seg;
	int fd, err, ws;
	pid_t pid;

	fd = open_dev();
	ASSERT_LE(0, fd);
	ASSERT_LT(0, avail);
	if (pages * PG > ram.end - ram.start)
		SKIP(return, "no RAM block holds half of RAM");
	/* Leave half of what the image needs. */
	hog_kib = avail - (long)(pages * (PG / 1024)) / 2;
	if (hog_kib < 16 * 1024)
		SKIP(return, "too little memory available to hold some back");
	pid = hog(hog_kib);
	ASSERT_LT(0, pid) {
		TH_LOG("could not lock %ld KiB", hog_kib);
	}
	seg = segment(NO_BYTES, 0, ram.start, pages * PG);
	err = load(fd, ram.start + 0x8000, &seg, 1, 0);
	TH_LOG("%lu-page image, %ld KiB held back of %ld available: errno %d",
	       pages, hog_kib, avail, err);
	EXPECT_EQ(ENOMEM, err);
	EXPECT_EQ(0, waitpid(pid, &ws, WNOHANG)) {
		TH_LOG("the process holding the memory died");
	}
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	EXPECT_EQ(0, module_pages() > 0 ? module_pages() : 0);
	close(fd);
}

/*
 * A load of hundreds of MiB stops for SIGKILL: the killed loader frees
 * everything it staged and installs nothing.
 */
TEST(killed_load_stops_and_frees)
{
	struct ram ram = find_ram();
	unsigned long pages = ram_pages() / 2 - 64;
	struct kexec_mod_status st;
	struct kexec_segment seg;
	long seen = 0;
	int fd, ws, i;
	pid_t pid;

	fd = open_dev();
	ASSERT_LE(0, fd);
	if (module_pages() < 0)
		SKIP(return, "no debugfs kexec_mod/pages to watch the load with");
	if (pages * PG > ram.end - ram.start)
		SKIP(return, "no RAM block holds half of RAM");
	ASSERT_EQ(0, unload(fd));
	seg = segment(NO_BYTES, 0, ram.start, pages * PG);
	pid = fork();
	if (pid == 0)
		_exit(load(fd, ram.start + 0x8000, &seg, 1, 0));
	ASSERT_LT(0, pid);
	/* Kill it once staging has begun, long before it can end. */
	for (i = 0; i < 100000 && seen < 1024; i++)
		seen = module_pages();
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, waitpid(pid, &ws, 0));
	TH_LOG("killed with %ld of %lu pages staged", seen, pages);
	EXPECT_LE(1024, seen);
	/*
	 * Before the end, not before half: staging from blocks outruns the
	 * poller on a busy guest (33820 of 64371 pages seen once), and a
	 * load that had ended would show as a normal exit below.
	 */
	EXPECT_LT(seen, (long)pages);
	EXPECT_TRUE(WIFSIGNALED(ws));
	EXPECT_EQ(0, status(fd, &st));
	EXPECT_EQ(0, st.loaded);
	EXPECT_EQ(0, module_pages());
	close(fd);
}

TEST_HARNESS_MAIN
