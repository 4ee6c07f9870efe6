/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers the kexec_mod selftest programs share.
 */
#ifndef KEXEC_MOD_TEST_H
#define KEXEC_MOD_TEST_H

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Drop CAP_SYS_BOOT from the effective set, keeping uid 0. */
static inline int drop_cap_sys_boot(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_BOOT)].effective &= ~CAP_TO_MASK(CAP_SYS_BOOT);
	return syscall(SYS_capset, &hdr, data);
}

/* The /proc/meminfo field @name ("MemFree", ...) in KiB, or -1. */
static inline long meminfo_kib(const char *name)
{
	size_t len = strlen(name);
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, len) && line[len] == ':' &&
		    sscanf(line + len + 1, "%ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/*
 * MemFree of /proc/meminfo in KiB, or -1.  The per-CPU vmstat deltas are
 * folded in first (/proc/sys/vm/stat_refresh): otherwise MemFree lags by
 * up to the stat threshold on every CPU, over 100 KiB on a small guest.
 */
static inline long mem_free_kib(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			perror("stat_refresh");
		close(fd);
	}
	return meminfo_kib("MemFree");
}

/* Pages sitting on the per-CPU free lists, which MemFree leaves out. */
static inline long pcp_kib(void)
{
	char line[256];
	long total = 0, n;
	FILE *f = fopen("/proc/zoneinfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " count: %ld", &n) == 1)
			total += n;
	fclose(f);
	return total * (sysconf(_SC_PAGESIZE) / 1024);
}

/*
 * MemFree once the page cache is dropped, plus the per-CPU lists: freed
 * pages wait there before they count as free, enough to blur a 64 kB
 * comparison; since Linux 6.7 the lists grow with the traffic, to several
 * MiB on a small guest, enough to hide a whole image.
 */
static inline long settled_mem_free(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, "3", 1) != 1)
			perror("drop_caches");
		close(fd);
	}
	usleep(200 * 1000);
	return mem_free_kib() + pcp_kib();
}

/* Write @val to the file at @path (a parameter, a debugfs knob); 0 or -1. */
static inline int put_file(const char *path, const char *val)
{
	int f = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (f < 0)
		return -1;
	n = write(f, val, strlen(val));
	close(f);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

/* /sys/kernel/kexec_crash_loaded: 0 or 1, -1 when it cannot be read. */
static inline int crash_loaded(void)
{
	FILE *f = fopen("/sys/kernel/kexec_crash_loaded", "r");
	int val = -1;

	if (f) {
		if (fscanf(f, "%d", &val) != 1)
			val = -1;
		fclose(f);
	}
	return val;
}

/*
 * Pages kexec_mod holds, all purposes together, from its debugfs file
 * (one "purpose pages" line each): staged pages come straight from the
 * page allocator, which kmemleak does not track, so this is how a test
 * sees a failure path that keeps one.  -1 when debugfs is not there.
 */
static inline long module_pages(void)
{
	FILE *f = fopen("/sys/kernel/debug/kexec_mod/pages", "r");
	long total = 0, n;
	char name[32];
	int lines = 0;

	if (!f)
		return -1;
	while (fscanf(f, "%31s %ld", name, &n) == 2) {
		total += n;
		lines++;
	}
	fclose(f);
	return lines ? total : -1;
}

#endif /* KEXEC_MOD_TEST_H */
