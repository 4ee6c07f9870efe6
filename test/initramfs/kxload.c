// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxload: the exec tests' loader for /dev/kexec (a test helper, not the
 * user tool).
 *
 *   kxload [-c CMDLINE] [-i INITRD] [-d DTB] [-e] ZIMAGE   load (and exec)
 *   kxload -e        exec what is loaded
 *   kxload -u        unload
 *   A refused load, unload or exec exits 2 on ENOENT, 3 on EPERM, 4 on
 *   EBUSY, 5 on EOPNOTSUPP, 1 on other errors.
 *   kxload -s        print the status as key=value words
 *   kxload -Z MIB    load an image of one zero-filled segment of MIB MiB at
 *                    the top of System RAM (a big image, no buffer)
 *   -P               (before -e, -u or -s) drop CAP_SYS_BOOT after
 *                    opening /dev/kexec, to test the ioctls' own check
 *   -B MIB           with a kernel: add MIB MiB of ballast, a pattern,
 *                    at the top of System RAM, in several segments
 *   kxload -V MIB@ADDR  check the ballast a kernel before this one loaded
 *                    at ADDR, through /dev/mem (the kernel booted with a
 *                    mem= that leaves it out of System RAM)
 *
 * Placement follows kexec-tools on ARM: the zImage at the first System
 * RAM range + 0x8000, the initrd above everything the decompressor can
 * touch, the DTB one page above the initrd.  The DTB is DTB (default: the
 * running kernel's, /sys/firmware/fdt) with /chosen rewritten: bootargs
 * set to CMDLINE (default: the current one) and linux,initrd-start/end set
 * to the initrd, or dropped without one.  The rewrite re-emits the
 * flattened tree token by token, which needs no libfdt.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>

#define PAGE		4096UL
#define ZIMAGE_OFFSET	0x8000UL
#define ZIMAGE_MAGIC	0x016f2818

#define FDT_MAGIC	0xd00dfeed
#define FDT_BEGIN_NODE	1
#define FDT_END_NODE	2
#define FDT_PROP	3
#define FDT_NOP		4
#define FDT_END		9

struct blob {
	unsigned char *data;
	size_t len;
};

static const char usage[] =
	"usage: kxload [-P] [-c CMDLINE] [-i INITRD] [-d DTB] [-B MIB] [-e] [ZIMAGE]\n"
	"       kxload [-P] -u | -s\n"
	"       kxload -Z MIB\n"
	"       kxload -V MIB@ADDR\n";

static unsigned long align_up(unsigned long x, unsigned long a)
{
	return (x + a - 1) & ~(a - 1);
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void *xmalloc(size_t len)
{
	void *p = calloc(1, len ? len : 1);

	if (!p)
		die("malloc");
	return p;
}

/* Read a whole file; sysfs files do not report their size, so grow. */
static struct blob read_file(const char *path)
{
	struct blob b = { NULL, 0 };
	size_t cap = 1 << 20;
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		die(path);
	b.data = xmalloc(cap);
	while ((n = read(fd, b.data + b.len, cap - b.len)) > 0) {
		b.len += n;
		if (b.len == cap) {
			cap *= 2;
			b.data = realloc(b.data, cap);
			if (!b.data)
				die("realloc");
		}
	}
	if (n < 0)
		die(path);
	close(fd);
	return b;
}

static __u32 be32(const unsigned char *p)
{
	return (__u32)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void put_be32(unsigned char *p, __u32 v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static __u32 le32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (__u32)p[3] << 24;
}

/*
 * Decompressed size plus bss, from the size table the zImage header points
 * at (word 0x38: table offset; the table: word count, "KLSZ", offset of
 * the decompressed-size word, bss size, ...); kexec-tools' guess of four
 * times the zImage where a kernel has no table.
 */
static unsigned long zimage_kernel_size(const struct blob *z)
{
	__u32 table = le32(z->data + 0x38), size_at;

	if (le32(z->data + 0x34) != 0x45454545 || table + 16 > z->len ||
	    le32(z->data + table + 4) != 0x5a534c4b)
		return 4 * z->len;
	size_at = le32(z->data + table + 8);
	if (size_at + 4 > z->len)
		return 4 * z->len;
	return le32(z->data + size_at) + le32(z->data + table + 12);
}

/* The first top-level System RAM range: its start and its last byte. */
static void ram_range(unsigned long *start, unsigned long *end)
{
	char line[256];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		die("/proc/iomem");
	while (fgets(line, sizeof(line), f)) {
		if (line[0] != ' ' && strstr(line, "System RAM") &&
		    sscanf(line, "%lx-%lx", start, end) == 2) {
			fclose(f);
			return;
		}
	}
	fprintf(stderr, "kxload: no System RAM in /proc/iomem\n");
	exit(1);
}

static unsigned long ram_base(void)
{
	unsigned long start, end;

	ram_range(&start, &end);
	return start;
}

/* The end (exclusive, page aligned) of that range. */
static unsigned long ram_top(void)
{
	unsigned long start, end;

	ram_range(&start, &end);
	return (end + 1) & ~(PAGE - 1);
}

static char *current_cmdline(void)
{
	struct blob b = read_file("/proc/cmdline");

	while (b.len && (b.data[b.len - 1] == '\n' || !b.data[b.len - 1]))
		b.len--;
	b.data[b.len] = '\0';
	return (char *)b.data;
}

/* The FDT rewrite: an output buffer the struct block is emitted into. */
struct emit {
	unsigned char *p;
	size_t len;
};

static void emit_raw(struct emit *e, const void *src, size_t len)
{
	memcpy(e->p + e->len, src, len);
	e->len += len;
	while (e->len & 3)
		e->p[e->len++] = 0;
}

static void emit_token(struct emit *e, __u32 tok)
{
	unsigned char w[4];

	put_be32(w, tok);
	emit_raw(e, w, 4);
}

static void emit_prop(struct emit *e, __u32 nameoff, const void *val,
		      __u32 len)
{
	emit_token(e, FDT_PROP);
	emit_token(e, len);
	emit_token(e, nameoff);
	if (len)
		emit_raw(e, val, len);
}

struct chosen {
	const char *cmdline;
	unsigned long initrd_start, initrd_end;	/* end 0: no initrd */
	__u32 off_bootargs, off_initrd_start, off_initrd_end;
};

static void emit_chosen_props(struct emit *e, const struct chosen *c)
{
	unsigned char v[4];

	emit_prop(e, c->off_bootargs, c->cmdline, strlen(c->cmdline) + 1);
	if (!c->initrd_end)
		return;
	put_be32(v, c->initrd_start);
	emit_prop(e, c->off_initrd_start, v, 4);
	put_be32(v, c->initrd_end);
	emit_prop(e, c->off_initrd_end, v, 4);
}

static int is_replaced(const char *name)
{
	return !strcmp(name, "bootargs") ||
	       !strcmp(name, "linux,initrd-start") ||
	       !strcmp(name, "linux,initrd-end");
}

/*
 * Copy the tree, replacing the properties above in /chosen (created if
 * missing).  Returns the new blob; exits on a malformed tree.
 */
static struct blob fdt_patch(const struct blob *in, struct chosen *c)
{
	const unsigned char *h = in->data;
	__u32 off_struct, off_strings, off_rsv, size_strings, size_struct;
	const unsigned char *s, *end, *strings;
	static const char extra[] = "bootargs\0linux,initrd-start\0linux,initrd-end";
	size_t rsv_len, cap;
	struct emit e;
	struct blob out;
	int depth = 0, chosen_depth = 0, seen_chosen = 0;

	if (in->len < 40 || be32(h) != FDT_MAGIC || be32(h + 4) > in->len) {
		fprintf(stderr, "kxload: not a flattened device tree\n");
		exit(1);
	}
	off_struct = be32(h + 8);
	off_strings = be32(h + 12);
	off_rsv = be32(h + 16);
	size_strings = be32(h + 32);
	size_struct = be32(h + 36);
	strings = h + off_strings;

	for (rsv_len = 0; ; rsv_len += 16)
		if (!be32(h + off_rsv + rsv_len + 4) &&
		    !be32(h + off_rsv + rsv_len + 12))
			break;
	rsv_len += 16;

	cap = 40 + rsv_len + size_struct + 64 + strlen(c->cmdline) + 64 +
	      size_strings + sizeof(extra) + 64;
	out.data = xmalloc(cap);
	memcpy(out.data + 40, h + off_rsv, rsv_len);
	e.p = out.data + 40 + rsv_len;
	e.len = 0;

	c->off_bootargs = size_strings;
	c->off_initrd_start = size_strings + strlen("bootargs") + 1;
	c->off_initrd_end = c->off_initrd_start +
			    strlen("linux,initrd-start") + 1;

	s = h + off_struct;
	end = s + size_struct;
	while (s < end) {
		__u32 tok = be32(s);
		const char *name;
		__u32 len;

		s += 4;
		switch (tok) {
		case FDT_BEGIN_NODE:
			name = (const char *)s;
			depth++;
			if (depth == 2 && !strcmp(name, "chosen")) {
				chosen_depth = depth;
				seen_chosen = 1;
			}
			emit_token(&e, tok);
			emit_raw(&e, name, strlen(name) + 1);
			s += align_up(strlen(name) + 1, 4);
			break;
		case FDT_END_NODE:
			if (depth == chosen_depth) {
				emit_chosen_props(&e, c);
				chosen_depth = 0;
			} else if (depth == 1 && !seen_chosen) {
				emit_token(&e, FDT_BEGIN_NODE);
				emit_raw(&e, "chosen", 7);
				emit_chosen_props(&e, c);
				emit_token(&e, FDT_END_NODE);
			}
			depth--;
			emit_token(&e, tok);
			break;
		case FDT_PROP:
			len = be32(s);
			name = (const char *)strings + be32(s + 4);
			if (!(chosen_depth && depth == chosen_depth &&
			      is_replaced(name)))
				emit_prop(&e, be32(s + 4), s + 8, len);
			s += 8 + align_up(len, 4);
			break;
		case FDT_NOP:
			break;
		case FDT_END:
			emit_token(&e, tok);
			s = end;
			break;
		default:
			fprintf(stderr, "kxload: bad FDT token %u\n", tok);
			exit(1);
		}
	}

	memcpy(e.p + e.len, strings, size_strings);
	memcpy(e.p + e.len + size_strings, extra, sizeof(extra));

	out.len = 40 + rsv_len + e.len + size_strings + sizeof(extra);
	memcpy(out.data, h, 40);
	put_be32(out.data + 4, out.len);
	put_be32(out.data + 8, 40 + rsv_len);
	put_be32(out.data + 12, 40 + rsv_len + e.len);
	put_be32(out.data + 16, 40);
	put_be32(out.data + 32, size_strings + sizeof(extra));
	put_be32(out.data + 36, e.len);
	return out;
}

/* Keep the open file, lose the capability: the ioctls must check it. */
static void drop_cap_sys_boot(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		die("capget");
	data[CAP_SYS_BOOT / 32].effective &= ~(1U << (CAP_SYS_BOOT % 32));
	data[CAP_SYS_BOOT / 32].permitted &= ~(1U << (CAP_SYS_BOOT % 32));
	if (syscall(SYS_capset, &hdr, data))
		die("capset");
}

static int do_status(int fd)
{
	static const char * const reloc[] = {
		[KEXEC_MOD_RELOC_NONE] = "none",
		[KEXEC_MOD_RELOC_MMU_OFF] = "mmu-off",
		[KEXEC_MOD_RELOC_MMU_ON] = "mmu-on",
	};
	struct kexec_mod_status st;

	if (ioctl(fd, KEXEC_MOD_STATUS, &st))
		die("KEXEC_MOD_STATUS");
	printf("loaded=%u armed=%u entry=0x%llx segments=%u ",
	       st.loaded, st.armed, (unsigned long long)st.entry,
	       st.nr_segments);
	printf("boot_params=0x%llx control_page=0x%llx machine_type=0x%x ",
	       (unsigned long long)st.boot_params,
	       (unsigned long long)st.control_page, st.machine_type);
	printf("reloc_mode=%s\n", st.reloc_mode < 3 ? reloc[st.reloc_mode] : "?");
	return 0;
}

/* After a refused request @what: say why, exit with its errno's code. */
static void refused(const char *what)
{
	int err = errno;

	/* perror() may change errno (glibc's does on a write-only stderr). */
	perror(what);
	switch (err) {
	case ENOENT:
		exit(2);
	case EPERM:
		exit(3);
	case EBUSY:
		exit(4);
	case EOPNOTSUPP:
		exit(5);
	default:
		exit(1);
	}
}

/*
 * One segment of @mib MiB of zeroes, with nothing to copy but a word, at
 * the top of the largest System RAM range: clear of the lowmem the
 * control page and the list need.
 */
static int load_zeroes(unsigned long mib)
{
	static const unsigned int word;
	unsigned long base = ram_top() - (mib << 20);
	struct kexec_segment seg = {
		.buf = &word, .bufsz = 0,
		.mem = (void *)base, .memsz = mib << 20,
	};
	struct kexec_mod_load load = {
		.entry = base + ZIMAGE_OFFSET, .nr_segments = 1,
		.segments = (unsigned long)&seg, .flags = KEXEC_ARCH_ARM,
	};
	int fd = open("/dev/kexec", O_RDWR);

	if (fd < 0)
		die("/dev/kexec");
	if (ioctl(fd, KEXEC_MOD_LOAD, &load))
		refused("KEXEC_MOD_LOAD");
	printf("kxload: loaded %lu MiB of zeroes at 0x%lx\n", mib, base);
	return 0;
}

/*
 * The ballast: MIB MiB of a pattern in up to BALLAST_SEGMENTS segments
 * of equal size that all read one buffer, each from its own index in
 * pages on, so that the segments' bytes differ and one that lands in
 * another's place shows.  Word k of the buffer is ballast_word(k).
 */
#define BALLAST_SEGMENTS	12

struct ballast {
	unsigned long addr;
	unsigned long bytes;
	unsigned long nr;
	unsigned long seg_bytes;
};

static __u32 ballast_word(unsigned long k)
{
	return (__u32)(k * 2654435761UL) ^ 0x6b786c64;
}

static struct ballast ballast_shape(unsigned long mib, unsigned long addr)
{
	struct ballast b = { .addr = addr, .bytes = mib << 20 };

	b.nr = (mib + 63) / 64;
	if (b.nr > BALLAST_SEGMENTS)
		b.nr = BALLAST_SEGMENTS;
	if (!b.nr)
		b.nr = 1;
	b.seg_bytes = align_up(b.bytes / b.nr, PAGE);
	return b;
}

/* Bytes of segment @i (the last one takes what is left). */
static unsigned long ballast_seg_len(const struct ballast *b, unsigned long i)
{
	unsigned long at = i * b->seg_bytes;

	return b->bytes - at < b->seg_bytes ? b->bytes - at : b->seg_bytes;
}

/* Append the ballast's segments to @seg; returns how many. */
static unsigned long ballast_segments(const struct ballast *b,
				      struct kexec_segment *seg)
{
	unsigned long words = (b->seg_bytes + b->nr * PAGE) / 4;
	__u32 *buf = xmalloc(words * 4);
	unsigned long i;

	for (i = 0; i < words; i++)
		buf[i] = ballast_word(i);
	for (i = 0; i < b->nr; i++)
		seg[i] = (struct kexec_segment){
			.buf = buf + i * (PAGE / 4),
			.bufsz = ballast_seg_len(b, i),
			.mem = (void *)(b->addr + i * b->seg_bytes),
			.memsz = ballast_seg_len(b, i),
		};
	return b->nr;
}

/* kxload -V MIB@ADDR: the ballast is where it was put, every word. */
static int ballast_verify(const char *arg)
{
	unsigned long mib, addr, i, w;
	struct ballast b;
	char *at;
	int fd;

	mib = strtoul(arg, &at, 0);
	if (*at != '@') {
		fputs(usage, stderr);
		return 1;
	}
	addr = strtoul(at + 1, NULL, 0);
	b = ballast_shape(mib, addr);
	fd = open("/dev/mem", O_RDONLY | O_SYNC);
	if (fd < 0)
		die("/dev/mem");
	for (i = 0; i < b.nr; i++) {
		unsigned long len = ballast_seg_len(&b, i);
		const __u32 *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd,
				      b.addr + i * b.seg_bytes);

		if (p == MAP_FAILED)
			die("mmap /dev/mem");
		for (w = 0; w < len / 4; w++) {
			if (p[w] != ballast_word(i * (PAGE / 4) + w)) {
				fprintf(stderr,
					"kxload: ballast segment %lu differs at 0x%lx: 0x%08x, not 0x%08x\n",
					i, b.addr + i * b.seg_bytes + w * 4,
					p[w], ballast_word(i * (PAGE / 4) + w));
				return 1;
			}
		}
		munmap((void *)p, len);
	}
	printf("kxload: ballast of %lu MiB at 0x%lx intact (%lu segments)\n",
	       mib, addr, b.nr);
	return 0;
}

static void do_exec(int fd)
{
	printf("kxload: exec\n");
	fflush(stdout);
	ioctl(fd, KEXEC_MOD_EXEC);
	/* Only a refused exec comes back. */
	refused("KEXEC_MOD_EXEC");
}

int main(int argc, char **argv)
{
	const char *cmdline = NULL, *initrd_path = NULL, *dtb_path = NULL;
	struct kexec_segment seg[3 + BALLAST_SEGMENTS];
	struct kexec_mod_load load;
	unsigned long ballast_mib = 0;
	struct blob kernel, initrd = { NULL, 0 }, dtb, fdt;
	struct chosen chosen = { 0 };
	unsigned long base, kernel_at, dec_size, top;
	int opt, fd, exec = 0, nr = 0, drop_cap = 0;

	while ((opt = getopt(argc, argv, "c:i:d:eusPZ:B:V:")) != -1) {
		switch (opt) {
		case 'Z':
			return load_zeroes(strtoul(optarg, NULL, 0));
		case 'V':
			return ballast_verify(optarg);
		case 'B':
			ballast_mib = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			cmdline = optarg;
			break;
		case 'i':
			initrd_path = optarg;
			break;
		case 'd':
			dtb_path = optarg;
			break;
		case 'e':
			exec = 1;
			break;
		case 'P':
			drop_cap = 1;
			break;
		case 'u':
		case 's':
			fd = open("/dev/kexec", O_RDWR);
			if (fd < 0)
				die("/dev/kexec");
			if (drop_cap)
				drop_cap_sys_boot();
			if (opt == 's')
				return do_status(fd);
			if (ioctl(fd, KEXEC_MOD_UNLOAD))
				refused("KEXEC_MOD_UNLOAD");
			return 0;
		default:
			fputs(usage, stderr);
			return 1;
		}
	}

	fd = open("/dev/kexec", O_RDWR);
	if (fd < 0)
		die("/dev/kexec");
	if (drop_cap)
		drop_cap_sys_boot();
	if (optind >= argc) {
		if (exec)
			do_exec(fd);
		fprintf(stderr, "kxload: no kernel given\n");
		return 1;
	}

	kernel = read_file(argv[optind]);
	if (kernel.len < 0x30 || le32(kernel.data + 0x24) != ZIMAGE_MAGIC) {
		fprintf(stderr, "kxload: %s is not a zImage\n", argv[optind]);
		return 1;
	}
	dec_size = zimage_kernel_size(&kernel);

	base = ram_base();
	kernel_at = base + ZIMAGE_OFFSET;
	/*
	 * Clear of the decompressed kernel with its bss, and of the
	 * decompressor, which moves itself (and its heap) above the
	 * decompressed image when the two overlap.
	 */
	top = align_up(kernel_at + dec_size + 2 * kernel.len + (1UL << 20),
		       1UL << 20);

	seg[nr++] = (struct kexec_segment){
		.buf = kernel.data, .bufsz = kernel.len,
		.mem = (void *)kernel_at, .memsz = align_up(kernel.len, PAGE),
	};

	if (initrd_path) {
		initrd = read_file(initrd_path);
		chosen.initrd_start = top;
		chosen.initrd_end = top + initrd.len;
		seg[nr++] = (struct kexec_segment){
			.buf = initrd.data, .bufsz = initrd.len,
			.mem = (void *)top, .memsz = align_up(initrd.len, PAGE),
		};
		top = align_up(top + initrd.len, PAGE) + PAGE;
	}

	chosen.cmdline = cmdline ? cmdline : current_cmdline();
	dtb = read_file(dtb_path ? dtb_path : "/sys/firmware/fdt");
	fdt = fdt_patch(&dtb, &chosen);
	seg[nr++] = (struct kexec_segment){
		.buf = fdt.data, .bufsz = fdt.len,
		.mem = (void *)top, .memsz = align_up(fdt.len, PAGE),
	};

	printf("kxload: kernel 0x%lx+0x%zx initrd 0x%lx+0x%zx dtb 0x%lx+0x%zx\n",
	       kernel_at, kernel.len, chosen.initrd_start, initrd.len, top,
	       fdt.len);
	if (ballast_mib) {
		struct ballast b = ballast_shape(ballast_mib,
						 ram_top() - (ballast_mib << 20));

		if (b.addr < align_up(top + fdt.len, PAGE)) {
			fprintf(stderr, "kxload: no room for %lu MiB of ballast\n",
				ballast_mib);
			return 1;
		}
		nr += ballast_segments(&b, seg + nr);
		printf("kxload: ballast %lu MiB at 0x%lx in %lu segments\n",
		       ballast_mib, b.addr, b.nr);
	}
	printf("kxload: command line: %s\n", chosen.cmdline);

	load.entry = kernel_at;
	load.nr_segments = nr;
	load.segments = (unsigned long)seg;
	load.flags = KEXEC_ARCH_ARM;
	if (ioctl(fd, KEXEC_MOD_LOAD, &load))
		refused("KEXEC_MOD_LOAD");
	printf("kxload: loaded\n");

	if (exec)
		do_exec(fd);
	return 0;
}
