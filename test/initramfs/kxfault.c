// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxfault: fault injection into a 4-segment load.  Needs a kernel with
 * FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC and FAULT_INJECTION_DEBUG_FS,
 * debugfs mounted and kexec_mod loaded; prints TAP.
 *
 * The sweep fails the Nth allocation the load makes, for N = 1, 2, ...
 * until a load runs through without reaching an Nth one: every
 * allocation site is hit once.  It uses /proc/thread-self/fail-nth, which
 * drives the same failslab and fail_page_alloc attributes but counts from
 * zero at each write; the attributes' own interval counter cannot be
 * reset from debugfs, so "interval = N" would not mean "the Nth
 * allocation of this load".  The attributes are then also used as the
 * documentation describes them: task-filter=Y, make-it-fail for this
 * process, probability 100, times 1 (the first allocation fails) and
 * times -1 (every allocation fails).
 *
 * Every injected failure must end the load with ENOMEM or EFAULT and
 * leave the image loaded before it as it was, holding the pages it held
 * (the module's own count, debugfs kexec_mod/pages, which sees the page
 * allocations kmemleak does not track); a load that survived the failure
 * (a retried allocation) must install the new image.
 *
 * The same sweep then fails each allocation an exec makes before its
 * point of no return (the identity map, the copy table and its RAM map),
 * with the module's own fail_cpu_offline fault attribute failing every
 * exec that gets past them, so that none goes through: each must end in
 * ENOMEM or EBUSY with the image loaded, the CPUs as they were and every
 * page returned.  The fault scenario boots one CPU, so that no injected
 * failure lands in the kernel's own CPU hotplug, whose failure paths are
 * not the module's.
 *
 * Last, insmod: the sweep goes down from the last allocation an insmod
 * makes, so that it meets the module's init before the kernel's loader
 * (whose ARM module_finalize() in 6.1 puts the NULL of a failed
 * unwind_table_add() on a list: an Oops in the kernel, not in
 * kexec_mod).  A failure the init meets must fail the insmod with ENOMEM,
 * with the module's "not loaded" line, and leave no device or sysfs
 * directory behind; the first failure without that line is the loader's
 * (do_init_module()'s own allocation), where the sweep stops.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../../selftests/kexec_mod/kexec_mod_test.h"

#define PG		4096UL
#define MIB		(1024UL * 1024)
#define DBG		"/sys/kernel/debug/"
#define MAX_SITES	1000
#define NR_TESTS	17
#define FAIL_CPU_OFF	DBG "kexec_mod/fail_cpu_offline/"
#define MODULE_KO	"/lib/modules/kexec_mod.ko"
#define NOT_LOADED	"kexec_mod: not loaded: "
#define COUNT_ALL	1000000

static int fd;
static int make_it_fail;	/* /proc/self/make-it-fail, opened early */
static int test_nr;
static unsigned char data[8 * PG];
static struct kexec_segment seg_a[2], seg_b[4];
static unsigned long base;

static void result(int ok, const char *name, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d %s", ok ? "" : "not ", ++test_nr, name);
	if (fmt) {
		printf(" # ");
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
	}
	printf("\n");
	fflush(stdout);
}

static long get(const char *path)
{
	char buf[32] = "";
	int f = open(path, O_RDONLY);
	ssize_t n;

	if (f < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	return n > 0 ? strtol(buf, NULL, 0) : -1;
}

static unsigned long ram_base(void)
{
	unsigned long best_s = 0, best_e = 0;
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 &&
		    e - s > best_e - best_s) {
			best_s = s;
			best_e = e;
		}
	}
	fclose(f);
	/* Halfway up the largest block, clear of the running kernel. */
	return (best_s + (best_e - best_s) / 2) & ~(MIB - 1);
}

static int load(struct kexec_segment *segs, unsigned long nr)
{
	struct kexec_mod_load args = {
		.entry = (unsigned long)segs[0].mem + 0x8000,
		.nr_segments = nr,
		.segments = (unsigned long)segs,
		.flags = KEXEC_ARCH_ARM,
	};

	return ioctl(fd, KEXEC_MOD_LOAD, &args) ? errno : 0;
}

static int status(struct kexec_mod_status *st)
{
	memset(st, 0, sizeof(*st));
	return ioctl(fd, KEXEC_MOD_STATUS, st) ? errno : 0;
}

/*
 * The same image as far as the caller can tell; the control page is
 * picked afresh by every load, so it is left out.
 */
static int same_image(const struct kexec_mod_status *a,
		      const struct kexec_mod_status *b)
{
	return a->loaded == b->loaded && a->entry == b->entry &&
	       a->nr_segments == b->nr_segments &&
	       a->pages_staged == b->pages_staged &&
	       a->boot_params == b->boot_params &&
	       a->machine_type == b->machine_type;
}

/* Print the 32-bit words in which two status answers differ. */
static void print_status_diff(int n, const struct kexec_mod_status *was,
			      const struct kexec_mod_status *now)
{
	const __u32 *a = (const __u32 *)was, *b = (const __u32 *)now;
	size_t i;

	for (i = 0; i < sizeof(*was) / sizeof(__u32); i++)
		if (a[i] != b[i])
			printf("# fail-nth %d: status word %zu (byte %zu): %#x -> %#x\n",
			       n, i, i * sizeof(__u32), a[i], b[i]);
}

/* Image A: two segments; image B: four, the one being failed. */
static void setup_images(void)
{
	static const unsigned long b_pages[4] = { 1, 2, 1, 3 };
	unsigned long i, at;

	memset(data, 0x6b, sizeof(data));
	memcpy(data + 4 * PG, "\xd0\x0d\xfe\xed", 4);	/* a device tree */
	seg_a[0] = (struct kexec_segment){ data, PG, (void *)base, 2 * PG };
	seg_a[1] = (struct kexec_segment){ data + 4 * PG, PG,
					   (void *)(base + MIB), PG };
	at = base + 2 * MIB;
	for (i = 0; i < 4; i++) {
		seg_b[i] = (struct kexec_segment){
			data + i * PG, b_pages[i] * PG, (void *)at,
			b_pages[i] * PG };
		at += (b_pages[i] + 1) * PG;
	}
}

static int configure(void)
{
	/* Our loads allocate with GFP_KERNEL and at order 0. */
	return put_file(DBG "failslab/ignore-gfp-wait", "N") ||
	       put_file(DBG "fail_page_alloc/ignore-gfp-wait", "N") ||
	       put_file(DBG "fail_page_alloc/min-order", "0") ||
	       put_file(DBG "failslab/verbose", "0") ||
	       put_file(DBG "fail_page_alloc/verbose", "0");
}

struct sweep {
	int sites;		/* allocations a load of B makes */
	int complete;		/* a load ran past every site */
	int bad_errno;
	int state_changed;
	int survived;
	int survived_wrong;
	int pages_kept;		/* failures that left the page count changed */
	int enomem, efault;
};

/* Fail the Nth allocation of a load of B over a loaded A, every N. */
static void sweep(struct sweep *sw)
{
	struct kexec_mod_status sa, sb, now;
	int n, nth;

	memset(sw, 0, sizeof(*sw));
	if (load(seg_b, 4) || status(&sb) || load(seg_a, 2) || status(&sa))
		return;
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0)
		return;
	for (n = 1; n <= MAX_SITES; n++) {
		long left, pages = module_pages();
		char val[16];
		int err;

		/* Read outside the window: reading allocates too. */
		snprintf(val, sizeof(val), "%d", n);
		if (pwrite(nth, val, strlen(val), 0) < 0)
			break;
		err = load(seg_b, 4);
		memset(val, 0, sizeof(val));
		left = pread(nth, val, sizeof(val) - 1, 0) > 0 ?
		       strtol(val, NULL, 10) : -1;
		pwrite(nth, "0", 1, 0);
		status(&now);
		if (err && (pages < 0 || module_pages() != pages)) {
			sw->pages_kept++;
			printf("# fail-nth %d: module pages %ld -> %ld\n", n,
			       pages, module_pages());
		}
		if (left > 0) {		/* fewer than n sites: all covered */
			sw->sites = n - 1;
			sw->complete = !err && same_image(&now, &sb);
			break;
		}
		if (!err) {
			/* A failed allocation that is retried or not needed. */
			printf("# fail-nth %d: the load survived it\n", n);
			sw->survived++;
			if (!same_image(&now, &sb))
				sw->survived_wrong++;
			/*
			 * Image A again, as the baseline: a reload may get
			 * another control page, so its status is read anew.
			 */
			if (load(seg_a, 2) || status(&sa))
				break;
			continue;
		}
		if (err == ENOMEM) {
			sw->enomem++;
		} else if (err == EFAULT) {
			sw->efault++;
		} else {
			sw->bad_errno++;
			printf("# fail-nth %d: errno %d (%s)\n", n, err,
			       strerror(err));
		}
		if (memcmp(&now, &sa, sizeof(now))) {
			sw->state_changed++;
			printf("# fail-nth %d: image changed: loaded %u nr %u\n",
			       n, now.loaded, now.nr_segments);
			print_status_diff(n, &sa, &now);
			if (load(seg_a, 2) || status(&sa))
				break;
		}
	}
	close(nth);
}

/* Write @val to debugfs file @file of fault attribute @attr. */
static int attr_put(const char *attr, const char *file, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), DBG "%s/%s", attr, file);
	return put_file(path, val);
}

static long attr_get(const char *attr, const char *file)
{
	char path[128];

	snprintf(path, sizeof(path), DBG "%s/%s", attr, file);
	return get(path);
}

/*
 * One load of B over A with @attr (failslab or fail_page_alloc) set to
 * fail @times allocations of this task.  *@left is what is left of
 * @times afterwards.  Returns 0 when the outcome is right: a failure
 * with ENOMEM or EFAULT and A still loaded, or (for a failure the load
 * could absorb) B loaded; 1 when it is wrong (a failure that left the
 * module's page count changed included), -1 when the set-up failed.
 */
static int filtered_load(const char *attr, const char *times, int *err,
			 long *left)
{
	struct kexec_mod_status sa, sb, now;
	long pages;

	if (load(seg_b, 4) || status(&sb) || load(seg_a, 2) || status(&sa))
		return -1;
	pages = module_pages();
	if (pages < 0)
		return -1;
	if (attr_put(attr, "task-filter", "Y") ||
	    attr_put(attr, "probability", "100") ||
	    attr_put(attr, "interval", "1") ||
	    attr_put(attr, "space", "0") ||
	    attr_put(attr, "times", times))
		return -1;
	/*
	 * Last, so nothing of ours but the load can use the failure up; and
	 * through a descriptor opened before, since with every allocation
	 * failing an open() would fail too and leave the switch on.
	 */
	if (pwrite(make_it_fail, "1", 1, 0) != 1)
		return -1;
	*err = load(seg_b, 4);
	if (pwrite(make_it_fail, "0", 1, 0) != 1)
		return -1;
	*left = attr_get(attr, "times");
	attr_put(attr, "probability", "0");
	attr_put(attr, "times", "1");
	if (status(&now))
		return -1;
	if (!*err)
		return !same_image(&now, &sb);
	return !(*err == ENOMEM || *err == EFAULT) ||
	       memcmp(&now, &sa, sizeof(now)) || module_pages() != pages;
}

/* @every: every allocation fails, so the load must fail. */
static void filtered(const char *attr, int every, const char *name)
{
	const char *times = every ? "-1" : "1";
	long left = -2;
	int err = -1;
	int wrong = filtered_load(attr, times, &err, &left);

	printf("# %s times=%s: load errno %d, times left %ld\n", attr, times,
	       err, left);
	if (wrong < 0)
		result(0, name, "set-up failed");
	else if (wrong)
		result(0, name, "errno %d, or the image is not the one expected",
		       err);
	else if (every && !err)
		result(0, name, "load succeeded with every allocation failing");
	else if (!every && left != 0)
		result(0, name, "no allocation failed");
	else
		result(1, name, NULL);
}

/* The CPUs online, as the kernel lists them ("0-1"), or "". */
static void cpus_online(char *buf, size_t len)
{
	int f = open("/sys/devices/system/cpu/online", O_RDONLY);
	ssize_t n = f < 0 ? -1 : read(f, buf, len - 1);

	if (f >= 0)
		close(f);
	buf[n > 0 ? n : 0] = '\0';
}

struct exec_sweep {
	int sites;		/* allocations an exec makes before the offline step */
	int complete;		/* an exec outlived the countdown, refused */
	int bad_errno;
	int state_changed;	/* image, CPUs or page count not as before */
};

/*
 * Fail the Nth allocation of an exec of A, for N = 1, 2, ..., until an
 * exec makes fewer than N calls: every allocation before the point of
 * no return failed once.  The module's fail_cpu_offline attribute fails
 * every exec that gets past them, and the module also fails one that
 * meets a fail-nth countdown still running there (fail-nth counts the
 * attribute's own call without failing it), so that none goes through.
 */
static void exec_sweep(struct exec_sweep *sw)
{
	struct kexec_mod_status sa, now;
	char cpus[64], cpus_now[64];
	long pages;
	int n, nth = -1;

	memset(sw, 0, sizeof(*sw));
	if (put_file(FAIL_CPU_OFF "verbose", "0") ||
	    put_file(FAIL_CPU_OFF "interval", "1") ||
	    put_file(FAIL_CPU_OFF "times", "-1") ||
	    put_file(FAIL_CPU_OFF "probability", "100") ||
	    get(FAIL_CPU_OFF "probability") != 100)
		goto out;
	if (load(seg_a, 2) || status(&sa))
		goto out;
	pages = module_pages();
	cpus_online(cpus, sizeof(cpus));
	nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (nth < 0 || pages < 0)
		goto out;
	for (n = 1; n <= MAX_SITES; n++) {
		char val[16];
		long left;
		int err;

		snprintf(val, sizeof(val), "%d", n);
		if (pwrite(nth, val, strlen(val), 0) < 0)
			break;
		err = ioctl(fd, KEXEC_MOD_EXEC) ? errno : 0;
		memset(val, 0, sizeof(val));
		left = pread(nth, val, sizeof(val) - 1, 0) > 0 ?
		       strtol(val, NULL, 10) : -1;
		pwrite(nth, "0", 1, 0);
		cpus_online(cpus_now, sizeof(cpus_now));
		if (status(&now) || memcmp(&now, &sa, sizeof(now)) ||
		    module_pages() != pages || strcmp(cpus, cpus_now)) {
			sw->state_changed++;
			printf("# exec fail-nth %d: errno %d, loaded %u, ",
			       n, err, now.loaded);
			printf("pages %ld -> %ld, cpus %s -> %s\n", pages,
			       module_pages(), cpus, cpus_now);
		}
		if (err != ENOMEM && err != EBUSY) {
			sw->bad_errno++;
			printf("# exec fail-nth %d: errno %d (%s)\n", n, err,
			       strerror(err));
		}
		if (left > 0) {		/* fewer than n calls: all covered */
			sw->sites = n - 1;
			sw->complete = err == EBUSY;
			break;
		}
	}
out:
	if (nth >= 0)
		close(nth);
	put_file(FAIL_CPU_OFF "probability", "0");
	put_file(FAIL_CPU_OFF "times", "1");
}

struct insmod_sweep {
	int points;		/* insmods with a failure planted */
	int init_failures;	/* the module's init failed, as it must */
	int survived;		/* loaded all the same */
	int bad_errno;
	int left_behind;	/* a failed init left a file behind */
	int reached_loader;	/* the sweep got below the init */
};

/*
 * finit_module() of kexec_mod with the @n-th allocation failing (0: none);
 * *@left is what the countdown had left afterwards.  0 or the errno.
 */
static int insmod_nth(int nth, int n, long *left)
{
	int ko = open(MODULE_KO, O_RDONLY | O_CLOEXEC);
	char val[16];
	int err;

	if (ko < 0)
		return errno;
	snprintf(val, sizeof(val), "%d", n);
	if (pwrite(nth, val, strlen(val), 0) < 0)
		err = errno;
	else
		err = syscall(SYS_finit_module, ko, "", 0) ? errno : 0;
	memset(val, 0, sizeof(val));
	*left = pread(nth, val, sizeof(val) - 1, 0) > 0 ?
		strtol(val, NULL, 10) : -1;
	pwrite(nth, "0", 1, 0);
	close(ko);
	return err;
}

static int insmod(void)
{
	long left;
	int nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	int err = nth < 0 ? errno : insmod_nth(nth, 0, &left);

	if (nth >= 0)
		close(nth);
	return err;
}

static int rmmod(void)
{
	return syscall(SYS_delete_module, "kexec_mod", O_NONBLOCK) ? errno : 0;
}

/* Whether the kernel log got a record holding @text since the last call. */
static int kmsg_says(int kmsg, const char *text)
{
	char rec[1024];
	int found = 0;
	ssize_t len;

	for (;;) {
		len = read(kmsg, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)	/* overwritten: read on */
			continue;
		if (len <= 0)
			break;
		rec[len] = 0;
		if (strstr(rec, text))
			found = 1;
	}
	return found;
}

static int module_left_behind(void)
{
	return !access("/dev/kexec", F_OK) ||
	       !access("/sys/kernel/kexec_mod", F_OK) ||
	       !access("/sys/module/kexec_mod", F_OK);
}

/* One insmod with its @n-th allocation failing, judged. */
static int insmod_point(struct insmod_sweep *sw, int nth, int kmsg, int n)
{
	long left;
	int err;

	lseek(kmsg, 0, SEEK_END);
	err = insmod_nth(nth, n, &left);
	sw->points++;
	if (!err) {
		sw->survived++;
		return rmmod();
	}
	if (!kmsg_says(kmsg, NOT_LOADED)) {
		printf("# insmod fail-nth %d: errno %d in the kernel's loader\n",
		       n, err);
		sw->reached_loader = 1;
		return 1;
	}
	sw->init_failures++;
	if (err != ENOMEM) {
		sw->bad_errno++;
		printf("# insmod fail-nth %d: errno %d (%s)\n", n, err,
		       strerror(err));
	}
	if (module_left_behind()) {
		sw->left_behind++;
		printf("# insmod fail-nth %d: the module left a file behind\n",
		       n);
	}
	return 0;
}

/* Fail each allocation of insmod from the last one down to the loader's. */
static void insmod_sweep(struct insmod_sweep *sw)
{
	int nth, kmsg, n, total;
	long left;

	memset(sw, 0, sizeof(*sw));
	nth = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (nth < 0 || kmsg < 0 || rmmod())
		goto out;
	/* How many allocations a whole insmod makes. */
	if (insmod_nth(nth, COUNT_ALL, &left) || left <= 0 || rmmod())
		goto out;
	total = COUNT_ALL - left;
	printf("# insmod: %d allocations\n", total);
	for (n = total; n >= 1; n--)
		if (insmod_point(sw, nth, kmsg, n))
			break;
out:
	if (nth >= 0)
		close(nth);
	if (kmsg >= 0)
		close(kmsg);
}

int main(void)
{
	struct kexec_mod_status st;
	struct insmod_sweep in;
	struct exec_sweep ex;
	struct sweep sw;

	printf("TAP version 13\n1..%d\n", NR_TESTS);
	fd = open("/dev/kexec", O_RDWR | O_CLOEXEC);
	make_it_fail = open("/proc/self/make-it-fail", O_RDWR | O_CLOEXEC);
	base = ram_base();
	if (fd < 0 || make_it_fail < 0 || !base || configure()) {
		printf("Bail out! no /dev/kexec, System RAM or fault injection\n");
		return 1;
	}
	/* No page fault of ours may meet an injected failure. */
	if (mlockall(MCL_CURRENT | MCL_FUTURE))
		printf("# mlockall: %s\n", strerror(errno));
	setup_images();

	sweep(&sw);
	printf("# sweep: %d sites in a 4-segment load: ENOMEM %d EFAULT %d survived %d\n",
	       sw.sites, sw.enomem, sw.efault, sw.survived);
	result(sw.complete && sw.sites >= 4, "sweep_covers_every_allocation",
	       "%d sites", sw.sites);
	result(!sw.bad_errno, "sweep_failures_are_enomem_or_efault",
	       sw.bad_errno ? "%d other errnos" : NULL, sw.bad_errno);
	result(!sw.state_changed, "sweep_failures_keep_previous_image",
	       sw.state_changed ? "%d changed it" : NULL, sw.state_changed);
	result(!sw.survived_wrong, "sweep_survivors_install_new_image",
	       sw.survived_wrong ? "%d wrong" : NULL, sw.survived_wrong);
	result(sw.sites && !sw.pages_kept, "sweep_failures_return_their_pages",
	       sw.pages_kept ? "%d kept or leaked pages" : NULL, sw.pages_kept);

	filtered("failslab", 0, "failslab_first_allocation");
	filtered("fail_page_alloc", 0, "fail_page_alloc_first_allocation");
	filtered("failslab", 1, "failslab_every_allocation");
	filtered("fail_page_alloc", 1, "fail_page_alloc_every_allocation");

	result(!load(seg_b, 4) && !status(&st) && st.loaded &&
	       st.nr_segments == 4 && !ioctl(fd, KEXEC_MOD_UNLOAD),
	       "load_works_after_faults", NULL);

	exec_sweep(&ex);
	printf("# exec sweep: %d sites before the offline step\n", ex.sites);
	result(ex.complete && ex.sites >= 1, "exec_sweep_covers_every_allocation",
	       "%d sites", ex.sites);
	result(ex.sites && !ex.bad_errno, "exec_sweep_failures_are_enomem_or_ebusy",
	       ex.bad_errno ? "%d other errnos" : NULL, ex.bad_errno);
	result(ex.sites && !ex.state_changed,
	       "exec_sweep_keeps_image_cpus_and_pages",
	       ex.state_changed ? "%d changed them" : NULL, ex.state_changed);
	ioctl(fd, KEXEC_MOD_UNLOAD);

	close(fd);
	insmod_sweep(&in);
	printf("# insmod sweep: %d points: %d init failures, %d survived\n",
	       in.points, in.init_failures, in.survived);
	result(in.reached_loader && in.init_failures >= 3,
	       "insmod_sweep_covers_the_init", "%d init failures",
	       in.init_failures);
	result(in.init_failures && !in.bad_errno,
	       "insmod_sweep_failures_are_enomem",
	       in.bad_errno ? "%d other errnos" : NULL, in.bad_errno);
	result(in.init_failures && !in.left_behind,
	       "insmod_sweep_failures_leave_nothing",
	       in.left_behind ? "%d left files" : NULL, in.left_behind);
	result(!module_left_behind() && !insmod() &&
	       (fd = open("/dev/kexec", O_RDWR | O_CLOEXEC)) >= 0 &&
	       !status(&st) && !st.loaded,
	       "insmod_works_after_faults", NULL);
	return 0;
}
