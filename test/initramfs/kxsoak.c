// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxsoak: long-running load/unload checks for the soak scenario; prints
 * TAP.  Memory is measured as MemFree plus the pages sitting on the
 * per-CPU free lists (/proc/zoneinfo "count:"): those are free too, but
 * MemFree leaves them out, and how many there are depends on which CPU
 * freed what, by up to a few MiB.  Both figures are printed.  Before
 * each reading the per-CPU vmstat deltas are folded in through
 * /proc/sys/vm/stat_refresh: without that MemFree lags the truth by up
 * to the stat threshold per CPU (16 pages here, so +-128 KiB on two
 * CPUs), more than the slack this test allows.
 *
 *   kxsoak cycles N MIB     N load/unload cycles of a MIB MiB image; free
 *                           memory back within 256 KiB of the start, and
 *                           the module's own page count exactly
 *   kxsoak load MIB         load a MIB MiB image and leave it loaded
 *   kxsoak mem              print free memory in KiB: MemFree plus the
 *                           per-CPU lists, MemFree, the per-CPU lists
 *   kxsoak hammer P SECS    P processes loading, unloading and asking
 *                           status for SECS seconds: only 0 and EBUSY
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../selftests/kexec_mod/kexec_mod_test.h"

#define PG		4096UL
#define MIB		(1024UL * 1024)
/*
 * Free memory may end short by what the kernel took for itself meanwhile:
 * one run in eight read 124 KiB (31 pages, as much as one per-CPU batch
 * here) short and stayed so, while the module's own page count was exact
 * and the runs before and after ended at +0.  A leak of one page in every
 * 16 cycles still fails; the module's page count is the exact check, and
 * kmemleak on the debug kernel the one for its slab objects.
 */
#define SLACK_KIB	256
#define MAX_PROCS	32

static int fd;
static unsigned long ram_start, ram_end;

struct mem {
	long free_kib;		/* MemFree */
	long pcp_kib;		/* on the per-CPU free lists */
};

/* MemFree (vmstat deltas folded in first) and the per-CPU lists. */
static struct mem mem_now(void)
{
	struct mem m = { mem_free_kib(), pcp_kib() };

	return m;
}

static long total_kib(struct mem m)
{
	return m.free_kib + m.pcp_kib;
}

static int find_ram(void)
{
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;

		if (line[0] == ' ' || !strstr(line, ": System RAM"))
			continue;
		if (sscanf(line, "%lx-%lx", &s, &e) == 2 &&
		    e - s > ram_end - ram_start) {
			ram_start = s;
			ram_end = e;
		}
	}
	fclose(f);
	return ram_end ? 0 : -1;
}

/*
 * A kernel-like image of @mib MiB: the kernel at RAM + 32 MiB + 0x8000
 * and a one-page device tree after it.
 */
static int load_image(unsigned long mib, const unsigned char *buf)
{
	unsigned long base = (ram_start + 32 * MIB) & ~(MIB - 1);
	struct kexec_segment segs[2] = {
		{ buf, mib * MIB - PG, (void *)(base + 0x8000), mib * MIB - PG },
		{ buf + mib * MIB - PG, PG, (void *)(base + 0x8000 + mib * MIB),
		  PG },
	};
	struct kexec_mod_load args = {
		.entry = base + 0x8000,
		.nr_segments = 2,
		.segments = (unsigned long)segs,
		.flags = KEXEC_ARCH_ARM,
	};

	return ioctl(fd, KEXEC_MOD_LOAD, &args) ? errno : 0;
}

static unsigned char *image_buf(unsigned long mib)
{
	unsigned char *buf = mmap(NULL, mib * MIB, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	if (buf == MAP_FAILED)
		return NULL;
	for (i = 0; i < mib * MIB; i++)
		buf[i] = (unsigned char)(i * 7 + (i >> 12));
	memcpy(buf + mib * MIB - PG, "\xd0\x0d\xfe\xed", 4);
	return buf;
}

#define MEMINFO_MAX	64

/* Every /proc/meminfo field, to say where memory went when it did not come back. */
struct meminfo {
	int n;
	char name[MEMINFO_MAX][32];
	long kib[MEMINFO_MAX];
};

static void meminfo_read(struct meminfo *mi)
{
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	mi->n = 0;
	while (f && mi->n < MEMINFO_MAX && fgets(line, sizeof(line), f))
		if (sscanf(line, "%31[^:]: %ld", mi->name[mi->n],
			   &mi->kib[mi->n]) == 2)
			mi->n++;
	if (f)
		fclose(f);
}

/* The /proc/meminfo fields that moved by 16 KiB or more from @a to @b. */
static void meminfo_print_moved(const struct meminfo *a,
				const struct meminfo *b)
{
	int i;

	for (i = 0; i < a->n && i < b->n; i++)
		if (labs(b->kib[i] - a->kib[i]) >= 16)
			printf("# meminfo %s: %ld -> %ld KiB (%+ld)\n",
			       a->name[i], a->kib[i], b->kib[i],
			       b->kib[i] - a->kib[i]);
}

static void print_mem(const char *what, struct mem m)
{
	printf("# %s: MemFree %ld KiB, per-CPU lists %ld KiB, together %ld KiB\n",
	       what, m.free_kib, m.pcp_kib, total_kib(m));
}

static int soak_cycles(unsigned long n, unsigned long mib)
{
	unsigned char *buf = image_buf(mib);
	struct meminfo mi_start, mi_end;
	struct mem start, end;
	unsigned long i, failed = 0;
	struct timespec t0, t1;
	long delta, delta_free, pages;
	int err, tries;

	printf("TAP version 13\n1..3\n");
	if (!buf) {
		printf("Bail out! no memory for the image\n");
		return 1;
	}
	/* One cycle first: slab caches and page tables settle. */
	load_image(mib, buf);
	ioctl(fd, KEXEC_MOD_UNLOAD);
	start = mem_now();
	meminfo_read(&mi_start);
	pages = module_pages();
	print_mem("start", start);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		err = load_image(mib, buf);
		if (err && failed++ < 5)
			printf("# cycle %lu: load errno %d (%s)\n", i, err,
			       strerror(err));
		if (ioctl(fd, KEXEC_MOD_UNLOAD) && failed++ < 5)
			printf("# cycle %lu: unload: %s\n", i, strerror(errno));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	end = mem_now();
	delta = total_kib(end) - total_kib(start);
	/*
	 * The per-CPU lists move by pages from one reading to the next;
	 * a leak of one page a cycle would be megabytes here, and stays.
	 * Outside the slack, read again (twice at most) before judging.
	 */
	for (tries = 0; delta < -SLACK_KIB && tries < 2; tries++) {
		printf("# delta %+ld KiB: reading again\n", delta);
		sleep(1);
		end = mem_now();
		delta = total_kib(end) - total_kib(start);
	}
	print_mem("end", end);
	meminfo_read(&mi_end);
	meminfo_print_moved(&mi_start, &mi_end);
	delta_free = end.free_kib - start.free_kib;
	printf("# %lu cycles of %lu MiB in %ld s; delta %+ld KiB (MemFree alone %+ld KiB)\n",
	       n, mib, (long)(t1.tv_sec - t0.tv_sec), delta, delta_free);
	printf("%sok 1 soak_cycles_all_succeed # %lu failed calls\n",
	       failed ? "not " : "", failed);
	printf("%sok 2 soak_cycles_return_memory # delta %+ld KiB, slack %d\n",
	       delta < -SLACK_KIB ? "not " : "", delta, SLACK_KIB);
	printf("%sok 3 soak_cycles_return_their_pages # module pages %ld -> %ld\n",
	       pages < 0 || module_pages() != pages ? "not " : "", pages,
	       module_pages());
	return 0;
}

/* One hammering process: random load, unload and status until @end. */
static void hammer_one(unsigned int seed, time_t end, int out)
{
	unsigned char *buf = image_buf(1);
	unsigned long counts[3] = { 0 }, busy = 0, bad = 0;
	struct kexec_mod_status st;
	char line[128];
	int err;

	srand(seed);
	while (buf && time(NULL) < end) {
		switch (rand() % 3) {
		case 0:
			err = load_image(1, buf);
			counts[0]++;
			break;
		case 1:
			err = ioctl(fd, KEXEC_MOD_UNLOAD) ? errno : 0;
			counts[1]++;
			break;
		default:
			err = ioctl(fd, KEXEC_MOD_STATUS, &st) ? errno : 0;
			counts[2]++;
			break;
		}
		if (err == EBUSY)
			busy++;
		else if (err && bad++ < 3)
			fprintf(stderr, "# hammer %u: errno %d (%s)\n", seed,
				err, strerror(err));
	}
	snprintf(line, sizeof(line), "%lu %lu %lu %lu %lu\n", counts[0],
		 counts[1], counts[2], busy, buf ? bad : 1);
	if (write(out, line, strlen(line)) < 0)
		exit(1);
	exit(0);
}

/*
 * One round of @procs hammering processes for @secs seconds; their
 * counts are added to @sum.  Returns how many died or could not start.
 */
static int hammer_round(int procs, int secs, unsigned long sum[5])
{
	time_t end = time(NULL) + secs;
	int p[2], i, died = 0;
	char buf[4096];
	ssize_t len = 0, n;
	char *line;

	if (pipe(p))
		return procs;
	for (i = 0; i < procs; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			close(p[0]);
			hammer_one(i + 1, end, p[1]);
		}
		if (pid < 0)
			died++;
	}
	close(p[1]);
	while ((n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	buf[len] = 0;
	close(p[0]);
	for (i = 0; i < procs; i++) {
		int ws;

		if (wait(&ws) < 0 || !WIFEXITED(ws) || WEXITSTATUS(ws))
			died++;
	}
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		unsigned long c[5];

		if (sscanf(line, "%lu %lu %lu %lu %lu", &c[0], &c[1], &c[2],
			   &c[3], &c[4]) != 5)
			continue;
		for (i = 0; i < 5; i++)
			sum[i] += c[i];
	}
	return died;
}

static int hammer(int procs, int secs)
{
	unsigned long sum[5] = { 0 }, warm[5] = { 0 };
	struct meminfo mi_start, mi_end;
	struct mem start, stop;
	long pages, delta;
	int died, tries;

	printf("TAP version 13\n1..4\n");
	if (procs > MAX_PROCS || procs < 1) {
		printf("Bail out! bad arguments\n");
		return 1;
	}
	/*
	 * A short round first: the slab caches grow to what @procs callers
	 * at once need, and keep it; that is no leak.
	 */
	hammer_round(procs, 2, warm);
	ioctl(fd, KEXEC_MOD_UNLOAD);
	start = mem_now();
	meminfo_read(&mi_start);
	pages = module_pages();
	print_mem("start", start);
	died = hammer_round(procs, secs, sum);
	ioctl(fd, KEXEC_MOD_UNLOAD);
	stop = mem_now();
	delta = total_kib(stop) - total_kib(start);
	for (tries = 0; delta < -SLACK_KIB && tries < 2; tries++) {
		printf("# delta %+ld KiB: reading again\n", delta);
		sleep(1);
		stop = mem_now();
		delta = total_kib(stop) - total_kib(start);
	}
	print_mem("end", stop);
	meminfo_read(&mi_end);
	meminfo_print_moved(&mi_start, &mi_end);
	printf("# %d processes, %d s: %lu loads %lu unloads %lu status, %lu EBUSY, %lu others\n",
	       procs, secs, sum[0], sum[1], sum[2], sum[3], sum[4]);
	printf("# delta %+ld KiB (MemFree alone %+ld KiB)\n", delta,
	       stop.free_kib - start.free_kib);
	printf("%sok 1 hammer_processes_finish # %d died\n",
	       died ? "not " : "", died);
	printf("%sok 2 hammer_only_ok_or_ebusy # %lu other errors\n",
	       sum[4] || !sum[0] ? "not " : "", sum[4]);
	printf("%sok 3 hammer_returns_memory # delta %+ld KiB, slack %d\n",
	       delta < -SLACK_KIB ? "not " : "", delta, SLACK_KIB);
	printf("%sok 4 hammer_returns_its_pages # module pages %ld -> %ld\n",
	       pages < 0 || module_pages() != pages ? "not " : "", pages,
	       module_pages());
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "mem")) {
		struct mem m = mem_now();

		printf("%ld %ld %ld\n", total_kib(m), m.free_kib, m.pcp_kib);
		return 0;
	}
	fd = open("/dev/kexec", O_RDWR | O_CLOEXEC);
	if (fd < 0 || find_ram()) {
		printf("Bail out! no /dev/kexec or no System RAM\n");
		return 1;
	}
	if (argc == 4 && !strcmp(argv[1], "cycles"))
		return soak_cycles(strtoul(argv[2], NULL, 0),
			      strtoul(argv[3], NULL, 0));
	if (argc == 3 && !strcmp(argv[1], "load")) {
		unsigned char *buf = image_buf(strtoul(argv[2], NULL, 0));

		return !buf || load_image(strtoul(argv[2], NULL, 0), buf);
	}
	if (argc == 4 && !strcmp(argv[1], "hammer"))
		return hammer(atoi(argv[2]), atoi(argv[3]));
	fprintf(stderr, "usage: kxsoak cycles N MIB | load MIB | mem | hammer P SECS\n");
	return 2;
}
