// SPDX-License-Identifier: GPL-2.0-only
/*
 * A structured ioctl fuzzer for /dev/kexec.  Random LOAD, legacy LOAD,
 * UNLOAD, STATUS and unknown requests, built from one printed seed:
 * segment counts 0..20, random sizes, alignments and overlaps, random
 * flags, destinations in and out of System RAM, memsz at the half-of-RAM
 * limit, and buffers that are NULL, unmapped, partially mapped, read-only
 * or unmapped by another thread while the call runs.
 *
 * Every call must end in 0 or an errno the ABI documents for it; a failed
 * call must leave the loaded image as it was (STATUS unchanged), a
 * successful one must be what STATUS then reports.  The outcome counts
 * are printed as TAP diagnostics.  Afterwards a valid load must still
 * work and an unload must give its memory back.
 *
 * With --diff (or KXFUZZ_DIFF=1), on a kernel with CONFIG_KEXEC, every
 * call is a load given both to the kernel's kexec_load(2) and to
 * KEXEC_MOD_LOAD, and the two errnos must be equal, apart from the
 * documented differences in known_name[].  KXFUZZ_TAG prefixes the
 * result names, for several runs in one log.
 *
 *   fuzz_test [--diff] [SEED [COUNT]]
 * or KXFUZZ_SEED and KXFUZZ_COUNT in the environment.  The seed defaults
 * to the time, the count to 2000; the seed is always printed, and the same
 * seed and count replay the same calls (the racing unmap aside).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"
#include "kexec_mod_test.h"

#define KEXEC_DEV	"/dev/kexec"
#define PG		4096UL
#define MIB		(1024UL * 1024)
#define FDT_MAGIC_BE	"\xd0\x0d\xfe\xed"
#define DEFAULT_COUNT	2000UL
#define MAX_NR		20
#define MAX_RAM		8
#define POOL_PAGES	256	/* random bytes the good buffers point into */
#define MAX_ERRNO	134
#define MAX_REPORTS	10

enum fuzz_op { OP_LOAD, OP_LEGACY_LOAD, OP_UNLOAD, OP_STATUS, OP_BADCMD,
	       NR_OPS };

static const char * const op_name[NR_OPS] = {
	"LOAD", "LEGACY_LOAD", "UNLOAD", "STATUS", "unknown-request",
};

/* The errnos uapi.rst documents for each request, as root on this bench. */
static const int op_errnos[NR_OPS][8] = {
	[OP_LOAD] = { EINVAL, EOPNOTSUPP, EADDRNOTAVAIL, EFAULT, EBUSY, ENOMEM },
	[OP_LEGACY_LOAD] = { EINVAL, EOPNOTSUPP, EADDRNOTAVAIL, EFAULT, EBUSY,
			     ENOMEM },
	[OP_UNLOAD] = { EBUSY },
	[OP_STATUS] = { EFAULT, EINTR },
	[OP_BADCMD] = { ENOTTY },
};

/*
 * --diff: the differences from kexec_load(2) that are meant, each with
 * its reason in Documentation/kexec_mod/hardening.rst.
 */
enum diff_known { KNOWN_CRASH, NR_KNOWN };

static const char * const known_name[NR_KNOWN] = {
	[KNOWN_CRASH] = "crash-load",
};

struct ram_range {
	unsigned long start;
	unsigned long end;	/* last byte */
};

static struct fuzz {
	unsigned long long rng;
	int fd;
	struct ram_range ram[MAX_RAM];
	int nr_ram;
	unsigned long half_pages;	/* the module's half-of-RAM limit */
	unsigned char *pool;		/* POOL_PAGES random bytes, RW */
	unsigned char *ro;		/* POOL_PAGES pages, read-only */
	unsigned char *guard;		/* two pages, PROT_NONE */
	unsigned char *partial;		/* one RW page, then PROT_NONE */
	unsigned char *hole;		/* a page nothing is mapped at */
	unsigned char *ro_segs;		/* a segment array, made read-only */
	struct kexec_mod_status st;	/* what STATUS said last */
	long pages;			/* the module's page count then */
	unsigned long outcomes[NR_OPS][MAX_ERRNO + 1];
	unsigned long undocumented;
	unsigned long state_broken;
	unsigned long pages_kept;	/* failures that changed the count */
	unsigned long status_wrong;
	unsigned long reports;
	unsigned long raced[2];		/* racing unmaps: load failed, succeeded */
	unsigned long crash_start;	/* the crash region, 0 without one */
	unsigned long crash_last;
	unsigned long crash_ok[2];	/* crash unloads, crash loads that passed */
	int diff;			/* --diff: against kexec_load(2) */
	const char *tag;		/* prefix of the result names */
	unsigned long diff_equal;	/* same errno from both */
	unsigned long diff_known[NR_KNOWN];	/* documented differences */
	unsigned long diff_unexplained;
	unsigned long kernel_unload_failed;
	unsigned long diff_pairs[MAX_ERRNO + 1][MAX_ERRNO + 1];
} fz;

/* splitmix64: small, fast, and the same sequence on every libc. */
static unsigned long long rnd64(void)
{
	unsigned long long z = (fz.rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A number in 0..n-1 (n > 0). */
static unsigned long rnd(unsigned long n)
{
	return (unsigned long)(rnd64() % n);
}

/* True with probability pct percent. */
static int chance(unsigned int pct)
{
	return rnd(100) < pct;
}

/* @arg if given, else the environment variable @name, else @dflt. */
static unsigned long long arg_or_env(const char *arg, const char *name,
				     unsigned long long dflt)
{
	const char *s = arg ? arg : getenv(name);

	return s && *s ? strtoull(s, NULL, 0) : dflt;
}

static void report(const char *fmt, ...)
{
	va_list ap;

	if (fz.reports++ >= MAX_REPORTS)
		return;
	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt, ap);
	va_end(ap);
}

static int find_ram(void)
{
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f) && fz.nr_ram < MAX_RAM) {
		unsigned long s, e;

		/* Top-level entries only: no leading blanks. */
		if (line[0] == ' ' || sscanf(line, "%lx-%lx", &s, &e) != 2)
			continue;
		if (strstr(line, ": Crash kernel")) {
			fz.crash_start = s;
			fz.crash_last = e;
		}
		if (!strstr(line, ": System RAM"))
			continue;
		fz.ram[fz.nr_ram].start = s;
		fz.ram[fz.nr_ram].end = e;
		fz.nr_ram++;
	}
	fclose(f);
	return fz.nr_ram ? 0 : -1;
}

static void *map(size_t len, int prot)
{
	void *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static int setup_buffers(void)
{
	unsigned long i;

	fz.pool = map(POOL_PAGES * PG, PROT_READ | PROT_WRITE);
	fz.ro = map(POOL_PAGES * PG, PROT_READ | PROT_WRITE);
	fz.guard = map(2 * PG, PROT_NONE);
	fz.partial = map(2 * PG, PROT_READ | PROT_WRITE);
	/*
	 * Unmapped for good: below the program, where mmap() without a hint
	 * never puts anything (a hole left by munmap() would be reused by
	 * the racer's next buffer and stop being one).
	 */
	fz.hole = (unsigned char *)0x4000;
	fz.ro_segs = map(PG, PROT_READ);
	if (!fz.pool || !fz.ro || !fz.guard || !fz.partial || !fz.hole ||
	    !fz.ro_segs)
		return -1;
	for (i = 0; i < POOL_PAGES * PG; i++)
		fz.pool[i] = (unsigned char)rnd64();
	memcpy(fz.ro, fz.pool, POOL_PAGES * PG);
	memset(fz.partial, 0x5a, PG);
	if (mprotect(fz.ro, POOL_PAGES * PG, PROT_READ) ||
	    mprotect(fz.partial + PG, PG, PROT_NONE))
		return -1;
	return 0;
}

/* A page-aligned destination of @pages pages inside a System RAM range. */
static unsigned long ram_dest(unsigned long pages)
{
	const struct ram_range *r = &fz.ram[rnd(fz.nr_ram)];
	unsigned long first = (r->start + PG - 1) / PG;
	unsigned long last = (r->end + 1) / PG;	/* exclusive */

	if (last - first <= pages)
		return first * PG;
	return (first + rnd(last - first - pages + 1)) * PG;
}

/* A destination that is surely not (entirely) System RAM. */
static unsigned long non_ram_dest(unsigned long pages)
{
	const struct ram_range *r = &fz.ram[rnd(fz.nr_ram)];

	switch (rnd(4)) {
	case 0:
		return 0;			/* flash on QEMU virt */
	case 1:
		return 0x08000000;		/* GIC and friends */
	case 2:					/* straddles the end of RAM */
		return ((r->end + 1) / PG - (pages > 1 ? pages - 1 : 0)) * PG;
	default:				/* just below RAM */
		return r->start >= pages * PG ? r->start - pages * PG : 0;
	}
}

/* memsz for a segment; *near_limit is set when it is at the RAM limit. */
static unsigned long pick_memsz(int *near_limit)
{
	unsigned int r = rnd(1000);

	*near_limit = 0;
	if (r < 600)
		return (1 + rnd(8)) * PG;
	if (r < 850)
		return (9 + rnd(56)) * PG;
	if (r < 900)
		return rnd(64 * PG) + 1;		/* any alignment */
	if (r < 930)
		return 0;
	if (r < 960) {
		*near_limit = 1;
		return (fz.half_pages - 2 + rnd(5)) * PG;
	}
	if (r < 980)
		return ~0UL - rnd(8) * PG;		/* wraps */
	return rnd64();
}

/*
 * The racer shares our memory (CLONE_VM) and unmaps a buffer while the
 * load reads it.  A clone() child rather than a pthread: Debian's 32-bit
 * glibc joins threads with the time32 futex call, which a kernel without
 * COMPAT_32BIT_TIME (the bench's) does not have.  The child spins instead
 * of sleeping and makes no call that could set the shared errno.
 */
struct racer {
	pid_t pid;
	void *addr;
	size_t len;
	unsigned long spins;
};

/* unsigned long long: the stack pointer must be 8-byte aligned. */
static unsigned long long racer_stack[8 * 1024];

static int racer_run(void *arg)
{
	struct racer *rc = arg;
	unsigned long i;

	for (i = 0; i < rc->spins; i++)
		__asm__ __volatile__("" : : : "memory");	/* not optimised away */
	munmap(rc->addr, rc->len);
	return 0;
}

/*
 * A buffer for a segment of @bufsz bytes.  *bufsz may be cut to fit the
 * chosen kind.  @safe asks for a buffer the copy faults on at once, for
 * segments so large that staging them would take the guest's memory.
 */
static const void *pick_buf(unsigned long *bufsz, int safe,
			    struct racer *rc, int *raced)
{
	unsigned long off;

	if (safe)
		return chance(50) ? (void *)fz.guard : (void *)fz.partial;
	switch (rnd(20)) {
	case 0:
		return NULL;
	case 1:
		return fz.guard + rnd(PG);
	case 2:
		return fz.hole;
	case 3:				/* starts mapped, runs into PROT_NONE */
		return fz.partial + rnd(PG);
	case 4:
		return (void *)(0xc0000000UL + rnd(MIB));	/* kernel */
	case 5:
	case 6:
		if (*bufsz > POOL_PAGES * PG)
			*bufsz = rnd(POOL_PAGES * PG);
		return fz.ro + rnd(POOL_PAGES * PG - *bufsz + 1);
	case 7:
		if (fz.diff || *raced || *bufsz == 0 || *bufsz > 64 * PG)
			break;
		rc->len = (*bufsz + PG - 1) & ~(PG - 1);
		rc->addr = map(rc->len, PROT_READ | PROT_WRITE);
		if (!rc->addr)
			break;
		if (chance(50))
			memset(rc->addr, 0x3c, rc->len);
		rc->spins = rnd(3) ? rnd(200000) : 0;
		rc->pid = clone(racer_run, racer_stack + ARRAY_SIZE(racer_stack),
				CLONE_VM | SIGCHLD, rc);
		if (rc->pid < 0) {
			munmap(rc->addr, rc->len);
			break;
		}
		*raced = 1;
		return rc->addr;
	default:
		break;
	}
	if (*bufsz > POOL_PAGES * PG)
		*bufsz = rnd(POOL_PAGES * PG);
	off = rnd(POOL_PAGES * PG - *bufsz + 1);
	if (chance(70))
		off &= ~(PG - 1);
	if (off + *bufsz > POOL_PAGES * PG)
		off = 0;
	if (*bufsz >= 4 && off == 0 && chance(20))
		memcpy(fz.pool, FDT_MAGIC_BE, 4);	/* a device tree */
	return fz.pool + off;
}

/* Where a small user structure is put: mostly fine, sometimes not. */
static void *place(void *good, size_t len)
{
	switch (rnd(40)) {
	case 0:
		return NULL;
	case 1:
		return fz.guard;
	case 2:
		return fz.hole;
	case 3:				/* runs into the PROT_NONE page */
		return fz.partial + PG - (len > 1 ? 1 + rnd(len - 1) : 1);
	case 4:
		return (void *)0xc0001000UL;
	default:
		return good;
	}
}

static int do_status(struct kexec_mod_status *st)
{
	memset(st, 0xa5, sizeof(*st));
	return ioctl(fz.fd, KEXEC_MOD_STATUS, st) ? errno : 0;
}

static int documented(enum fuzz_op op, int err)
{
	int i;

	if (!err)
		return 1;
	for (i = 0; i < 8 && op_errnos[op][i]; i++)
		if (op_errnos[op][i] == err)
			return 1;
	return 0;
}

static void record(enum fuzz_op op, int err, unsigned long n)
{
	fz.outcomes[op][err > MAX_ERRNO ? MAX_ERRNO : err]++;
	if (!documented(op, err)) {
		fz.undocumented++;
		report("call %lu: %s returned undocumented errno %d (%s)\n",
		       n, op_name[op], err, strerror(err));
	}
}

/*
 * After a load or unload: a failure leaves the image as it was, holding
 * the pages it held (the module's own count, which sees the page
 * allocations kmemleak does not), a success installs what was asked for
 * (or nothing).
 */
/*
 * After a KEXEC_ON_CRASH call where a crash region exists: the image
 * loaded for kexec is never touched.  The crash image is replaced by a
 * success (or unloaded, for no segments), and gone after most failures
 * (kexec_load(2) unloads it before it checks the segments); its pages
 * come and go with it, so the count is taken as it now is.
 */
static void check_crash_state(int err, unsigned long n, unsigned long nr)
{
	struct kexec_mod_status now;
	int ret = do_status(&now);

	if (ret || memcmp(&now, &fz.st, sizeof(now))) {
		fz.state_broken++;
		report("call %lu: crash load=%d changed the kexec image\n", n,
		       err);
	}
	if (!err) {
		int loaded = nr != 0;

		fz.crash_ok[loaded]++;
		if (crash_loaded() != loaded) {
			fz.status_wrong++;
			report("call %lu: crash load of %lu segs ok, kexec_crash_loaded %d\n",
			       n, nr, crash_loaded());
		}
	}
	fz.pages = module_pages();
}

static void check_state(enum fuzz_op op, int err, unsigned long n,
			unsigned long entry, unsigned long nr)
{
	struct kexec_mod_status now;
	int ret = do_status(&now);
	long pages = module_pages();

	if (ret) {
		fz.status_wrong++;
		report("call %lu: STATUS failed with %d\n", n, ret);
		return;
	}
	if (err) {
		if (memcmp(&now, &fz.st, sizeof(now))) {
			fz.state_broken++;
			report("call %lu: %s=%d changed the image (loaded %u>%u nr %u>%u)\n",
			       n, op_name[op], err, fz.st.loaded, now.loaded,
			       fz.st.nr_segments, now.nr_segments);
		}
		if (pages != fz.pages) {
			fz.pages_kept++;
			report("call %lu: %s=%d left the module's pages at %ld, not %ld\n",
			       n, op_name[op], err, pages, fz.pages);
		}
	} else if (op == OP_UNLOAD || nr == 0) {
		if (now.loaded) {
			fz.status_wrong++;
			report("call %lu: %s succeeded but an image is loaded\n",
			       n, op_name[op]);
		}
	} else if (!now.loaded || now.nr_segments != nr ||
		   now.entry != entry) {
		fz.status_wrong++;
		report("call %lu: %s(%lu segs, %#lx) ok, status %u %u %#llx\n",
		       n, op_name[op], nr, entry, now.loaded, now.nr_segments,
		       (unsigned long long)now.entry);
	}
	fz.st = now;
	fz.pages = pages;
}

static unsigned long pick_flags(void)
{
	static const unsigned long odd[] = {
		KEXEC_ON_CRASH, KEXEC_PRESERVE_CONTEXT, 0x4,
		KEXEC_ARCH_X86_64, KEXEC_ARCH_AARCH64, KEXEC_ARCH_ARM | 0x4,
		KEXEC_ARCH_ARM | KEXEC_ON_CRASH, 0x8000,
	};

	if (chance(85))
		return chance(50) ? KEXEC_ARCH_DEFAULT : KEXEC_ARCH_ARM;
	if (chance(70))
		return odd[rnd(ARRAY_SIZE(odd))];
	return (unsigned long)rnd64();
}

/*
 * One generated load: the segment list, the ioctl's argument and where
 * it is put, and the racer when a buffer is unmapped during the call.
 */
struct load_req {
	struct kexec_segment segs[MAX_NR];
	struct kexec_mod_load args;
	void *argp;
	struct racer rc;
	int raced;
};

static void gen_segment(struct load_req *rq, unsigned long i, int in_ram,
			unsigned long *next)
{
	struct kexec_segment *s = &rq->segs[i];
	int near_limit;
	unsigned long memsz = pick_memsz(&near_limit);
	unsigned long pages = (memsz + PG - 1) / PG;
	unsigned long bufsz, mem;

	if (near_limit || !in_ram || chance(10))
		mem = chance(70) && in_ram ? ram_dest(pages) :
		      non_ram_dest(pages);
	else if (i && chance(85))	/* after the previous one */
		mem = *next + rnd(4) * PG;
	else
		mem = ram_dest(pages + 16);
	if (i && chance(5))		/* on top of an earlier one */
		mem = (unsigned long)rq->segs[rnd(i)].mem + rnd(2) * PG;
	if (chance(3))
		mem += 1 + rnd(PG - 1);
	if (chance(1)) {		/* ends past 4 GiB, on a page boundary */
		memsz = (0UL - mem) + rnd(3) * PG;
		pages = 0;
	}
	*next = mem + pages * PG;

	bufsz = chance(30) ? memsz : rnd(memsz < 64 * PG ? memsz + 1 : 64 * PG);
	if (chance(3))
		bufsz = memsz + 1 + rnd(PG);
	s->buf = pick_buf(&bufsz, near_limit, &rq->rc, &rq->raced);
	/* Fault by the second page, before staging gets far. */
	if (near_limit && bufsz < 2 * PG)
		bufsz = 2 * PG;
	s->bufsz = bufsz;
	s->mem = (void *)mem;
	s->memsz = memsz;
}

/*
 * Most crash loads get segments and an entry in the crash region, when
 * there is one, so that they pass as often as they fail: a crash image
 * is then loaded, replaced and unloaded through the run.
 */
static void gen_crash(struct load_req *rq, unsigned long nr)
{
	unsigned long i;

	if (!fz.crash_start || !(rq->args.flags & KEXEC_ON_CRASH) ||
	    !chance(70))
		return;
	for (i = 0; i < nr; i++) {
		struct kexec_segment *s = &rq->segs[i];
		size_t memsz = (1 + rnd(16)) * PG;

		s->mem = (void *)(fz.crash_start + 0x8000 + i * 0x100000);
		if (chance(3))		/* across the region's end */
			s->mem = (void *)(fz.crash_last + 1 - PG);
		s->memsz = memsz;
		if (s->bufsz > memsz)
			s->bufsz = chance(90) ? memsz : memsz + 1;
	}
	if (chance(90))
		rq->args.entry = fz.crash_start + 0x8000;
	if (chance(15))			/* unloads the crash image */
		rq->args.nr_segments = 0;
}

static void gen_load(struct load_req *rq)
{
	unsigned long nr, i, next = 0;
	int in_ram = chance(80);
	void *segp;

	memset(rq, 0, sizeof(*rq));
	nr = chance(80) ? 1 + rnd(6) : rnd(MAX_NR + 1);
	for (i = 0; i < nr; i++)
		gen_segment(rq, i, in_ram, &next);
	rq->args.entry = nr && chance(90) ?
			 (unsigned long)rq->segs[0].mem + 0x8000 :
			 (unsigned long)rnd64();
	rq->args.nr_segments = chance(2) ? (unsigned long)rnd64() : nr;
	rq->args.flags = pick_flags();
	gen_crash(rq, nr);
	segp = place(rq->segs, nr * sizeof(rq->segs[0]));
	if (segp == rq->segs && chance(5) &&
	    !mprotect(fz.ro_segs, PG, PROT_READ | PROT_WRITE)) {
		memcpy(fz.ro_segs, rq->segs, sizeof(rq->segs));
		mprotect(fz.ro_segs, PG, PROT_READ);
		segp = fz.ro_segs;
	}
	rq->args.segments = (unsigned long)segp;
	rq->argp = place(&rq->args, sizeof(rq->args));
}

static void fuzz_load(enum fuzz_op op, unsigned long n)
{
	struct load_req rq;
	unsigned long cmd;
	int err;

	gen_load(&rq);
	cmd = op == OP_LEGACY_LOAD ? KEXEC_MOD_LEGACY_LOAD : KEXEC_MOD_LOAD;
	err = ioctl(fz.fd, cmd, rq.argp) ? errno : 0;
	if (rq.raced) {
		waitpid(rq.rc.pid, NULL, 0);
		fz.raced[!err]++;
	}
	record(op, err, n);
	if ((rq.args.flags & KEXEC_ON_CRASH) && fz.crash_start)
		check_crash_state(err, n, rq.args.nr_segments);
	else
		check_state(op, err, n, rq.args.entry, rq.args.nr_segments);
}

/*
 * Differential mode: the same load goes to kexec_load(2) and to
 * KEXEC_MOD_LOAD, the kernel's image unloaded before the module's call
 * and the module's after it, so both see the same memory and an empty
 * slot.  No buffer is unmapped during a call here: both calls must read
 * the same bytes.
 */
static long sys_kexec_load(unsigned long entry, unsigned long nr,
			   unsigned long segments, unsigned long flags)
{
	return syscall(__NR_kexec_load, entry, nr, segments, flags);
}

/* The documented difference that explains @k against @m, or -1. */
static int known_difference(const struct load_req *rq, int k, int m)
{
	if ((rq->args.flags & KEXEC_ON_CRASH) && m == EOPNOTSUPP)
		return KNOWN_CRASH;
	return -1;
}

static const char *errname(int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";

	return name ? name : "?";
}

static void report_load(const struct load_req *rq)
{
	unsigned long i, nr = rq->args.nr_segments;

	if (fz.reports > MAX_REPORTS || nr > MAX_NR)
		return;
	for (i = 0; i < nr; i++)
		printf("#   seg %lu: buf %p bufsz %#zx mem %p memsz %#zx\n", i,
		       rq->segs[i].buf, rq->segs[i].bufsz, rq->segs[i].mem,
		       rq->segs[i].memsz);
}

static void diff_compare(const struct load_req *rq, int k, int m,
			 unsigned long n)
{
	int why;

	fz.diff_pairs[k > MAX_ERRNO ? MAX_ERRNO : k]
		     [m > MAX_ERRNO ? MAX_ERRNO : m]++;
	if (k == m) {
		fz.diff_equal++;
		return;
	}
	why = known_difference(rq, k, m);
	if (why >= 0) {
		fz.diff_known[why]++;
		return;
	}
	fz.diff_unexplained++;
	report("call %lu: kexec_load %s, kexec_mod %s (entry %#lx, %lu segs at %#lx, flags %#lx)\n",
	       n, errname(k), errname(m), rq->args.entry, rq->args.nr_segments,
	       rq->args.segments, rq->args.flags);
	report_load(rq);
}

static void diff_load(unsigned long n)
{
	struct load_req rq;
	long pages;
	int k, m;

	gen_load(&rq);
	rq.argp = &rq.args;	/* the ioctl's own argument is not compared */

	k = sys_kexec_load(rq.args.entry, rq.args.nr_segments,
			   rq.args.segments, rq.args.flags) ? errno : 0;
	if (!k && sys_kexec_load(0, 0, 0, rq.args.flags)) {
		fz.kernel_unload_failed++;
		report("call %lu: kexec_load could not unload: %s\n", n,
		       strerror(errno));
	}
	m = ioctl(fz.fd, KEXEC_MOD_LOAD, rq.argp) ? errno : 0;
	record(OP_LOAD, m, n);
	if (!m && ioctl(fz.fd, KEXEC_MOD_UNLOAD)) {
		fz.status_wrong++;
		report("call %lu: KEXEC_MOD_UNLOAD failed: %s\n", n,
		       strerror(errno));
	}
	pages = module_pages();
	if (pages != fz.pages) {
		fz.pages_kept++;
		report("call %lu: LOAD=%d left the module's pages at %ld, not %ld\n",
		       n, m, pages, fz.pages);
		fz.pages = pages;
	}
	diff_compare(&rq, k, m, n);
}

static void print_diff_pairs(void)
{
	int k, m;

	for (k = 0; k <= MAX_ERRNO; k++) {
		char line[512];
		int len = 0;

		for (m = 0; m <= MAX_ERRNO; m++) {
			if (!fz.diff_pairs[k][m] || len >= (int)sizeof(line))
				continue;
			len += snprintf(line + len, sizeof(line) - len,
					" %s=%lu", errname(m), fz.diff_pairs[k][m]);
		}
		if (len)
			ksft_print_msg("kexec_load %s -> kexec_mod%s\n",
				       errname(k), line);
	}
	for (k = 0; k < NR_KNOWN; k++)
		ksft_print_msg("documented difference %s: %lu\n", known_name[k],
			       fz.diff_known[k]);
}

static void fuzz_status(unsigned long n)
{
	struct kexec_mod_status st;
	void *p;
	int err;

	if (chance(10)) {		/* read-only: the answer cannot land */
		p = fz.ro;
	} else {
		p = place(&st, sizeof(st));
	}
	err = ioctl(fz.fd, KEXEC_MOD_STATUS, p) ? errno : 0;
	record(OP_STATUS, err, n);
	if (!err && p == &st && memcmp(&st, &fz.st, sizeof(st))) {
		fz.status_wrong++;
		report("call %lu: STATUS changed without a load\n", n);
	}
}

/* A request number of the module's type that it does not know. */
static unsigned long bad_cmd(void)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};

	for (;;) {
		unsigned long cmd = _IOC(dirs[rnd(4)], KEXEC_MOD_IOC_MAGIC,
					 rnd(256), rnd(512));

		/* Never the exec request: that would reboot the guest. */
		if (cmd != KEXEC_MOD_LOAD && cmd != KEXEC_MOD_UNLOAD &&
		    cmd != KEXEC_MOD_STATUS && cmd != KEXEC_MOD_EXEC)
			return cmd;
	}
}

static void fuzz_one(unsigned long n)
{
	unsigned int r = rnd(100);
	int err;

	if (r < 65) {
		fuzz_load(OP_LOAD, n);
	} else if (r < 72) {
		fuzz_load(OP_LEGACY_LOAD, n);
	} else if (r < 80) {
		err = ioctl(fz.fd, KEXEC_MOD_UNLOAD) ? errno : 0;
		record(OP_UNLOAD, err, n);
		check_state(OP_UNLOAD, err, n, 0, 0);
	} else if (r < 95) {
		fuzz_status(n);
	} else {
		err = ioctl(fz.fd, bad_cmd(), fz.pool) ? errno : 0;
		record(OP_BADCMD, err, n);
	}
}

static void print_outcomes(void)
{
	int op, e;

	for (op = 0; op < NR_OPS; op++) {
		char line[512];
		int len = 0;

		for (e = 0; e <= MAX_ERRNO; e++) {
			const char *name;

			if (!fz.outcomes[op][e])
				continue;
			name = e ? strerrorname_np(e) : "ok";
			len += snprintf(line + len, sizeof(line) - len, " %s=%lu",
					name ? name : "?", fz.outcomes[op][e]);
			if (len >= (int)sizeof(line))
				break;
		}
		ksft_print_msg("outcomes %s:%s\n", op_name[op],
			       len ? line : " none");
	}
}

/* A plain image of four segments, 4 MiB in all, in the first RAM range. */
static int valid_load(void)
{
	unsigned long base = ram_dest(1024 + 256) & ~(MIB - 1);
	struct kexec_segment segs[4];
	unsigned long sizes[4] = { 2 * MIB, MIB, MIB - PG, PG };
	unsigned long i, at = base;
	struct kexec_mod_load args;

	if (base < fz.ram[0].start)
		base += MIB;
	at = base;
	for (i = 0; i < 4; i++) {
		segs[i].buf = fz.pool;
		segs[i].bufsz = sizes[i] < POOL_PAGES * PG ? sizes[i] :
				POOL_PAGES * PG;
		segs[i].mem = (void *)at;
		segs[i].memsz = sizes[i];
		at += sizes[i] + PG;
	}
	args.entry = base + 0x8000;
	args.nr_segments = 4;
	args.segments = (unsigned long)segs;
	args.flags = KEXEC_ARCH_ARM;
	return ioctl(fz.fd, KEXEC_MOD_LOAD, &args) ? errno : 0;
}

/* Coverage: a run that never saw both paths agree on these proves little. */
static int diff_covered(void)
{
	static const int want[] = { 0, EINVAL, EADDRNOTAVAIL, EFAULT };
	unsigned long i;

	for (i = 0; i < ARRAY_SIZE(want); i++)
		if (!fz.diff_pairs[want[i]][want[i]])
			return 0;
	return 1;
}

static void diff_results(void)
{
	const char *t = fz.tag;

	print_diff_pairs();
	ksft_test_result(!fz.diff_unexplained && !fz.kernel_unload_failed,
			 "%sdiff_errnos_equal_to_kexec_load (%lu equal, %lu unexplained, %lu kernel unloads failed)\n",
			 t, fz.diff_equal, fz.diff_unexplained,
			 fz.kernel_unload_failed);
	ksft_test_result(diff_covered(),
			 "%sdiff_covers_ok_einval_eaddrnotavail_efault\n", t);
	ksft_test_result(!fz.undocumented && !fz.status_wrong,
			 "%sdiff_module_errnos_documented (%lu undocumented, %lu unload failures)\n",
			 t, fz.undocumented, fz.status_wrong);
	if (fz.pages < 0)
		ksft_test_result_skip("%sdiff_loads_return_their_pages (no debugfs)\n",
				      t);
	else
		ksft_test_result(!fz.pages_kept,
				 "%sdiff_loads_return_their_pages (%lu kept or leaked pages)\n",
				 t, fz.pages_kept);
}

static void fuzz_results(void)
{
	struct kexec_mod_status st;
	long before, loaded, after;
	int err, tries;

	print_outcomes();
	ksft_print_msg("loads racing an unmap: %lu failed, %lu succeeded\n",
		       fz.raced[0], fz.raced[1]);
	if (!fz.crash_start)
		ksft_test_result_skip("%s (no crash region: no crashkernel=)\n",
				      "fuzz_crash_loads_and_unloads_pass");
	else
		ksft_test_result(fz.crash_ok[0] && fz.crash_ok[1],
				 "fuzz_crash_loads_and_unloads_pass (%lu loads, %lu unloads)\n",
				 fz.crash_ok[1], fz.crash_ok[0]);
	/* What follows counts the pages of the kexec image alone. */
	ioctl(fz.fd, KEXEC_MOD_LOAD, &(struct kexec_mod_load){
		.flags = KEXEC_ON_CRASH });
	fz.pages = module_pages();
	ksft_test_result(!fz.undocumented,
			 "fuzz_calls_return_documented_errnos (%lu undocumented)\n",
			 fz.undocumented);
	ksft_test_result(!fz.state_broken,
			 "fuzz_failed_calls_keep_image (%lu changed it)\n",
			 fz.state_broken);
	ksft_test_result(!fz.status_wrong,
			 "fuzz_status_matches_calls (%lu mismatches)\n",
			 fz.status_wrong);
	if (fz.pages < 0)
		ksft_test_result_skip("%s (no debugfs kexec_mod/pages)\n",
				      "fuzz_failed_calls_return_their_pages");
	else
		ksft_test_result(!fz.pages_kept,
				 "fuzz_failed_calls_return_their_pages (%lu kept or leaked pages)\n",
				 fz.pages_kept);

	/* The device still does its job. */
	memcpy(fz.pool, FDT_MAGIC_BE, 4);
	ioctl(fz.fd, KEXEC_MOD_UNLOAD);
	before = settled_mem_free();
	err = valid_load();
	loaded = settled_mem_free();
	ksft_test_result(!err && !do_status(&st) && st.loaded &&
			 st.nr_segments == 4 && st.pages_staged == 1024,
			 "load_works_after_fuzz (errno %d, %u pages staged)\n",
			 err, st.pages_staged);
	err = ioctl(fz.fd, KEXEC_MOD_UNLOAD) ? errno : 0;
	after = settled_mem_free();
	/*
	 * Freed memory can take a while to show (lazily freed slabs and
	 * vmalloc areas; 6.12 read 2.7 MiB short once): read again, twice
	 * at most.  The exact check is the module's page count.
	 */
	for (tries = 0; after < before - 512 && tries < 2; tries++) {
		sleep(1);
		after = settled_mem_free();
	}
	ksft_print_msg("free KiB: %ld before a 4 MiB load, %ld loaded, %ld unloaded (%+ld)\n",
		       before, loaded, after, after - before);
	ksft_test_result(!err && before - loaded >= 2 * 1024 &&
			 after >= before - 512 && module_pages() <= 0,
			 "unload_returns_memory_after_fuzz\n");
}

static void fuzz_setup(void)
{
	struct sysinfo si;

	fz.fd = open(KEXEC_DEV, O_RDWR | O_CLOEXEC);
	if (fz.fd < 0)
		ksft_exit_skip("open %s: %s (is kexec_mod loaded?)\n", KEXEC_DEV,
			       strerror(errno));
	/* Unloading an empty slot: how to ask whether kexec_load(2) exists. */
	if (fz.diff && sys_kexec_load(0, 0, 0, KEXEC_ARCH_DEFAULT))
		ksft_exit_skip("kexec_load(2): %s (no CONFIG_KEXEC: nothing to compare with)\n",
			       strerror(errno));
	ksft_set_plan(fz.diff ? 4 : 7);
	if (find_ram() || sysinfo(&si) || setup_buffers())
		ksft_exit_fail_msg("no System RAM in /proc/iomem, or no memory\n");
	fz.half_pages = (unsigned long)((unsigned long long)si.totalram *
					si.mem_unit / PG / 2);
	ksft_print_msg("%d System RAM range(s), half of RAM is %lu pages\n",
		       fz.nr_ram, fz.half_pages);
	if (ioctl(fz.fd, KEXEC_MOD_UNLOAD) || do_status(&fz.st))
		ksft_exit_fail_msg("unload or status failed before fuzzing: %s\n",
				   strerror(errno));
	fz.pages = module_pages();
	if (fz.pages)
		ksft_print_msg("the module holds %ld pages with nothing loaded (-1: no debugfs)\n",
			       fz.pages);
}

int main(int argc, char **argv)
{
	unsigned long long seed, count, n;
	struct timespec t0, t1;
	double secs;

	fz.diff = getenv("KXFUZZ_DIFF") && *getenv("KXFUZZ_DIFF") == '1';
	if (argc > 1 && !strcmp(argv[1], "--diff")) {
		fz.diff = 1;
		argc--;
		argv++;
	}
	fz.tag = getenv("KXFUZZ_TAG") ? getenv("KXFUZZ_TAG") : "";
	seed = arg_or_env(argc > 1 ? argv[1] : NULL, "KXFUZZ_SEED",
			  (unsigned long long)time(NULL) ^
			  ((unsigned long long)getpid() << 32));
	count = arg_or_env(argc > 2 ? argv[2] : NULL, "KXFUZZ_COUNT",
			   DEFAULT_COUNT);

	ksft_print_header();
	ksft_print_msg("kxfuzz%s seed=%llu count=%llu (replay: KXFUZZ_SEED=%llu)\n",
		       fz.diff ? " --diff" : "", seed, count, seed);
	fz.rng = seed;
	fuzz_setup();

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < count; n++) {
		if (fz.diff)
			diff_load(n);
		else
			fuzz_one(n);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	ksft_print_msg("%llu calls in %.1f s (%.0f calls/s)\n", count, secs,
		       secs > 0 ? count / secs : 0.0);
	if (fz.diff)
		diff_results();
	else
		fuzz_results();
	ksft_print_msg("kxfuzz seed=%llu count=%llu\n", seed, count);
	ksft_finished();
}
