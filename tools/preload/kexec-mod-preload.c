// SPDX-License-Identifier: GPL-2.0-only
/*
 * LD_PRELOAD library that lets an unmodified kexec-tools `kexec` drive
 * kexec_mod:
 *   syscall(__NR_kexec_load, entry, nr, segments, flags)  -> KEXEC_MOD_LOAD
 *   reboot(LINUX_REBOOT_CMD_KEXEC), also through syscall() -> KEXEC_MOD_EXEC
 *   open/fopen of /sys/kernel/kexec_loaded -> /sys/kernel/kexec_mod/loaded
 *   fopen of /proc/iomem -> the same, the module's crash region shown
 *                           inside a "System RAM" range (kexec -p)
 * Everything else goes to the C library untouched: earlier shims aborted
 * on any other syscall() and broke every program they were preloaded into.
 *
 *   LD_PRELOAD=/usr/local/lib/libkexec-mod-preload.so kexec -l zImage ...
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kexec_mod.h>
#include <linux/reboot.h>

#include "../lib/explain.h"

#define KEXEC_LOADED		"/sys/kernel/kexec_loaded"
#define KEXEC_MOD_LOADED	"/sys/kernel/kexec_mod/loaded"
#define PROC_IOMEM		"/proc/iomem"
#define CRASH_KERNEL		"Crash kernel\n"

#define PRELOAD_EXPORT		__attribute__((visibility("default")))

/* Up to six argument words, as syscall(2) passes them to the kernel. */
#define SYSCALL_ARGS		6

static void *preload_next(const char *name)
{
	void *fn = dlsym(RTLD_NEXT, name);

	if (!fn) {
		fprintf(stderr, "kexec-mod-preload: %s not found in the C library\n",
			name);
		errno = ELIBACC;
	}
	return fn;
}

/* Open /dev/kexec, or say on stderr why it cannot be used. */
static int preload_device(void)
{
	int fd = open(KEXEC_MOD_DEVICE, O_RDWR | O_CLOEXEC);
	int err;

	if (fd < 0) {
		err = errno;
		fprintf(stderr, "kexec-mod-preload: cannot open %s: %s\n",
			KEXEC_MOD_DEVICE,
			kexec_mod_explain(KEXEC_MOD_REQ_OPEN, err));
		errno = err;
	}
	return fd;
}

static long preload_kexec_load(unsigned long entry, unsigned long nr_segments,
			       unsigned long segments, unsigned long flags)
{
	struct kexec_mod_load args = {
		.entry = entry,
		.nr_segments = nr_segments,
		.segments = segments,
		.flags = flags,
	};
	int fd = preload_device();
	int ret, err;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, KEXEC_MOD_LOAD, &args);
	err = errno;
	close(fd);
	if (ret) {
		fprintf(stderr, "kexec-mod-preload: %s: %s\n",
			nr_segments ? "load" : "unload",
			kexec_mod_explain(nr_segments ? KEXEC_MOD_REQ_LOAD :
					  KEXEC_MOD_REQ_UNLOAD, err));
		errno = err;
		return -1;
	}
	return 0;
}

/* Returns only when the module refused: the system is still running. */
static int preload_kexec_exec(void)
{
	int fd = preload_device();
	int err;

	if (fd < 0)
		return -1;
	ioctl(fd, KEXEC_MOD_EXEC);
	err = errno;
	fprintf(stderr, "kexec-mod-preload: exec: %s\n",
		kexec_mod_explain_exec(fd, err, "kexec"));
	close(fd);
	errno = err;
	return -1;
}

PRELOAD_EXPORT long syscall(long number, ...)
{
	long (*next)(long number, ...);
	unsigned long a[SYSCALL_ARGS];
	va_list ap;
	int i;

	va_start(ap, number);
	for (i = 0; i < SYSCALL_ARGS; i++)
		a[i] = va_arg(ap, unsigned long);
	va_end(ap);

	if (number == SYS_kexec_load)
		return preload_kexec_load(a[0], a[1], a[2], a[3]);
	if (number == SYS_reboot && a[2] == LINUX_REBOOT_CMD_KEXEC)
		return preload_kexec_exec();

	next = preload_next("syscall");
	if (!next)
		return -1;
	return next(number, a[0], a[1], a[2], a[3], a[4], a[5]);
}

PRELOAD_EXPORT int reboot(int cmd)
{
	int (*next)(int cmd);

	if ((unsigned int)cmd == LINUX_REBOOT_CMD_KEXEC)
		return preload_kexec_exec();
	next = preload_next("reboot");
	return next ? next(cmd) : -1;
}

/*
 * kexec -e refuses to run unless /sys/kernel/kexec_loaded reads 1.  On a
 * kernel without kexec the module creates that file itself; on one with
 * its own kexec the file speaks for the kernel's image, and the module's
 * answer is in /sys/kernel/kexec_mod/loaded.
 */
static const char *preload_path(const char *path)
{
	if (path && !strcmp(path, KEXEC_LOADED) &&
	    access(KEXEC_MOD_LOADED, F_OK) == 0)
		return KEXEC_MOD_LOADED;
	return path;
}

/*
 * kexec -p places the capture kernel and its ELF core header only in
 * "System RAM" ranges of /proc/iomem, where the kernel's own crash region
 * sits: the kernel carves it out of RAM at boot.  The module's region is
 * memory the kernel was told not to use, a top-level "Crash kernel"
 * range outside System RAM.  For kexec-tools it is RAM set aside, so
 * this copy of /proc/iomem shows it as such: a "System RAM" line with
 * the "Crash kernel" line under it.  kexec-tools leaves the region out
 * of the RAM the dump describes, as it does for the kernel's.
 */
static FILE *preload_iomem(FILE *(*next)(const char *path, const char *mode))
{
	FILE *in = next(PROC_IOMEM, "r"), *out;
	char line[256];
	int name;

	if (!in)
		return NULL;
	out = tmpfile();
	if (!out) {
		fclose(in);
		return NULL;
	}
	while (fgets(line, sizeof(line), in)) {
		unsigned long long start, end;

		name = 0;
		if (line[0] != ' ' &&
		    sscanf(line, "%llx-%llx : %n", &start, &end, &name) == 2 &&
		    name && !strcmp(line + name, CRASH_KERNEL))
			fprintf(out, "%.*sSystem RAM\n  ", name, line);
		fputs(line, out);
	}
	fclose(in);
	rewind(out);
	return out;
}

static FILE *preload_fopen(const char *name, const char *path,
			   const char *mode)
{
	FILE *(*next)(const char *path, const char *mode);

	next = preload_next(name);
	if (!next)
		return NULL;
	if (path && mode && !strcmp(path, PROC_IOMEM) && !strcmp(mode, "r"))
		return preload_iomem(next);
	return next(preload_path(path), mode);
}

PRELOAD_EXPORT FILE *fopen(const char *path, const char *mode)
{
	return preload_fopen("fopen", path, mode);
}

PRELOAD_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	return preload_fopen("fopen64", path, mode);
}

/* open(2) takes a mode only when it creates; pass it on always. */
static int preload_open(const char *name, const char *path, int flags,
			mode_t mode)
{
	int (*next)(const char *path, int flags, ...);

	next = preload_next(name);
	return next ? next(preload_path(path), flags, mode) : -1;
}

PRELOAD_EXPORT int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return preload_open("open", path, flags, mode);
}

PRELOAD_EXPORT int open64(const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return preload_open("open64", path, flags, mode);
}
