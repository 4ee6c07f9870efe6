// SPDX-License-Identifier: GPL-2.0-only
/*
 * kexec-mod: the command a user on a board types.  Options follow
 * kexec-tools (-l, -e, -f, -u, --initrd, --dtb, --append); the work is in
 * the other files, in the order of a load: image.c reads the zImage,
 * place.c finds addresses, dtb.c patches the device tree, device.c talks
 * to /dev/kexec.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>

#include "kexec-mod.h"

#define SYSFS_FDT	"/sys/firmware/fdt"
#define PROC_IOMEM	"/proc/iomem"
#define PROC_CMDLINE	"/proc/cmdline"
/* The kernel's on a kernel with kdump, else the module's. */
#define CRASH_LOADED	"/sys/kernel/kexec_crash_loaded"
#define CRASH_SIZE	"/sys/kernel/kexec_crash_size"

enum km_action {
	KM_NONE,
	KM_LOAD,
	KM_EXEC,
	KM_LOAD_EXEC,
	KM_UNLOAD,
	KM_STATUS,
	KM_REHEARSE,
	KM_HELP,
	KM_VERSION,
};

struct km_options {
	enum km_action action;
	const char *kernel;
	const char *initrd;
	const char *dtb;
	const char *append;
	bool reuse_cmdline;
	bool panic;
	bool status;
	bool dry_run;
	bool debug;
	uint64_t image_size;
};

/* Everything a load reads and computes, freed by km_load_free(). */
struct km_load {
	struct km_file kernel;
	struct km_file initrd;
	struct km_file dtb;
	struct zimage_info info;
	struct ram_map ram;
	struct layout lay;
	char *cmdline;
	/* -p: the crash region, the ELF core header and the region's map. */
	struct ram_range region;
	struct km_file hdr;
	uint64_t hdr_addr;
	struct ram_map crash_map;
};

enum {
	OPT_INITRD = 256,
	OPT_DTB,
	OPT_APPEND,
	OPT_REUSE_CMDLINE,
	OPT_IMAGE_SIZE,
	OPT_REHEARSE,
};

static const struct option km_long_options[] = {
	{ "load",		no_argument,		NULL, 'l' },
	{ "exec",		no_argument,		NULL, 'e' },
	{ "force",		no_argument,		NULL, 'f' },
	{ "unload",		no_argument,		NULL, 'u' },
	{ "load-panic",		no_argument,		NULL, 'p' },
	{ "status",		no_argument,		NULL, 'S' },
	{ "kexec-file-syscall",	no_argument,		NULL, 's' },
	{ "dry-run",		no_argument,		NULL, 'n' },
	{ "debug",		no_argument,		NULL, 'd' },
	{ "help",		no_argument,		NULL, 'h' },
	{ "version",		no_argument,		NULL, 'v' },
	{ "initrd",		required_argument,	NULL, OPT_INITRD },
	{ "ramdisk",		required_argument,	NULL, OPT_INITRD },
	{ "dtb",		required_argument,	NULL, OPT_DTB },
	{ "append",		required_argument,	NULL, OPT_APPEND },
	{ "command-line",	required_argument,	NULL, OPT_APPEND },
	{ "reuse-cmdline",	no_argument,		NULL, OPT_REUSE_CMDLINE },
	{ "image-size",		required_argument,	NULL, OPT_IMAGE_SIZE },
	{ "rehearse",		no_argument,		NULL, OPT_REHEARSE },
	{ NULL, 0, NULL, 0 },
};

static void km_usage(FILE *out)
{
	fputs("Usage: kexec-mod -l ZIMAGE [--initrd=FILE] [--dtb=FILE]\n"
	      "                 [--append=STRING | --command-line=STRING] [--reuse-cmdline]\n"
	      "       kexec-mod -e | -f ZIMAGE [load options] | -u | -S\n"
	      "       kexec-mod -p ZIMAGE [load options] | -u -p | -p -S | --rehearse\n"
	      "\n"
	      "Load a Linux zImage (or a uImage holding one) through the kexec_mod module\n"
	      "(/dev/kexec) and boot it without going through the firmware.\n"
	      "\n"
	      "  -l, --load            load ZIMAGE for a later -e\n"
	      "  -e, --exec            boot the loaded kernel now\n"
	      "  -f, --force           load ZIMAGE and boot it at once\n"
	      "  -u, --unload          drop the loaded kernel\n"
	      "  -p, --load-panic      with a ZIMAGE: load it as the capture kernel a\n"
	      "                        panic starts (needs kexec_mod's crashkernel=);\n"
	      "                        with -u: drop it; with -S: its status\n"
	      "  -S, --status          show what the module holds; exit 1 when a kernel\n"
	      "                        is loaded, 0 when not (as kexec -l -S; with -p,\n"
	      "                        of the capture kernel, as kexec -p -S)\n"
	      "      --rehearse        try every step of -e that can be undone, on this\n"
	      "                        board, and come back with a report\n"
	      "  -n, --dry-run         with -l or -f: print the plan, load nothing\n"
	      "  -d, --debug           with -l or -f: print the plan on stderr, then load\n"
	      "  -h, --help            this text\n"
	      "  -v, --version         the tool's version and ABI\n"
	      "\n"
	      "Load options:\n"
	      "  --initrd=FILE         initial ramdisk (also --ramdisk)\n"
	      "  --dtb=FILE            device tree (default: " SYSFS_FDT ")\n"
	      "  --append=STRING       kernel command line (also --command-line)\n"
	      "  --reuse-cmdline       start from " PROC_CMDLINE ", without initrd=,\n"
	      "                        kexec_mod. and kexec_mod= words; --append adds to it\n"
	      "  --image-size=BYTES    memory the decompressed kernel needs (default:\n"
	      "                        the zImage's size tag, else 5 times its size)\n"
	      "\n"
	      "Without --append or --reuse-cmdline the device tree's bootargs are kept.\n",
	      out);
}

static int km_set_action(struct km_options *opt, enum km_action action)
{
	if (opt->action != KM_NONE && opt->action != action) {
		km_error("-l, -e, -f and -u exclude each other");
		return -1;
	}
	opt->action = action;
	return 0;
}

/* The checks between options, once all are read. */
static int km_parse_check(struct km_options *opt)
{
	bool loads = opt->action == KM_LOAD || opt->action == KM_LOAD_EXEC;

	/*
	 * kexec -l -S, kexec -p -S: the status of the image -l or -p would
	 * load, loading nothing.
	 */
	if (opt->status) {
		if (opt->action != KM_NONE && opt->action != KM_LOAD) {
			km_error("-S goes alone, with -l or with -p");
			return -1;
		}
		opt->action = KM_STATUS;
		loads = false;
	}
	/* -p alone loads a capture kernel; -u -p unloads it. */
	if (opt->panic && opt->action == KM_NONE)
		opt->action = KM_LOAD;
	if (opt->panic && opt->action != KM_LOAD && opt->action != KM_UNLOAD &&
	    opt->action != KM_STATUS) {
		km_error("-p goes with a ZIMAGE, -u or -S only: no -e, -f, --rehearse");
		return -1;
	}
	if (opt->action == KM_NONE) {
		km_error("nothing to do: give -l, -e, -f, -u or -S (--help for more)");
		return -1;
	}
	/* A dry run changes nothing: never an exec or an unload. */
	if ((opt->dry_run || opt->debug) && !loads) {
		km_error("-n and -d go with -l or -f only");
		return -1;
	}
	return 0;
}

static int km_parse(struct km_options *opt, int argc, char **argv)
{
	static const enum km_action short_actions[128] = {
		['l'] = KM_LOAD, ['e'] = KM_EXEC, ['f'] = KM_LOAD_EXEC,
		['u'] = KM_UNLOAD, ['h'] = KM_HELP, ['v'] = KM_VERSION,
	};
	char *end;
	int c;

	memset(opt, 0, sizeof(*opt));
	while ((c = getopt_long(argc, argv, "lefupsSndhv", km_long_options,
				NULL)) != -1) {
		switch (c) {
		case 'l': case 'e': case 'f': case 'u':
		case 'h': case 'v':
			if (km_set_action(opt, short_actions[c]))
				return -1;
			break;
		case 'p':
			opt->panic = true;
			break;
		case 's':
			km_error("-s is kexec_file_load, which kexec_mod does not offer:");
			km_error("it loads through kexec_load only; leave -s out");
			return -1;
		case 'S':
			opt->status = true;
			break;
		case 'n':
			opt->dry_run = true;
			break;
		case 'd':
			opt->debug = true;
			break;
		case OPT_INITRD:
			opt->initrd = optarg;
			break;
		case OPT_DTB:
			opt->dtb = optarg;
			break;
		case OPT_APPEND:
			opt->append = optarg;
			break;
		case OPT_REUSE_CMDLINE:
			opt->reuse_cmdline = true;
			break;
		case OPT_REHEARSE:
			if (km_set_action(opt, KM_REHEARSE))
				return -1;
			break;
		case OPT_IMAGE_SIZE:
			/* strtoull() takes "-1" for the largest value. */
			opt->image_size = strtoull(optarg, &end, 0);
			if (*end || !opt->image_size || strchr(optarg, '-') ||
			    opt->image_size > KM_IMAGE_SIZE_MAX) {
				km_error("--image-size wants bytes, at most 4 GiB, not '%s'",
					 optarg);
				return -1;
			}
			break;
		default:
			km_usage(stderr);
			return -1;
		}
	}
	if (km_parse_check(opt))
		return -1;

	if (opt->action == KM_LOAD || opt->action == KM_LOAD_EXEC) {
		if (optind != argc - 1) {
			km_error("-l and -f need exactly one zImage");
			return -1;
		}
		opt->kernel = argv[optind];
	} else if (optind != argc) {
		km_error("unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

/*
 * Whether this process holds CAP_SYS_BOOT, the one capability the module
 * checks: root without it is refused, and so is a user who is not root
 * however its capabilities came.  True when the kernel cannot tell: the
 * module's own check then decides.
 */
static bool km_has_cap_sys_boot(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return true;
	return data[CAP_TO_INDEX(CAP_SYS_BOOT)].effective &
	       CAP_TO_MASK(CAP_SYS_BOOT);
}

/* Capability check and device, for everything that talks to the module. */
static int km_device(void)
{
	if (!km_has_cap_sys_boot()) {
		km_error("this process lacks CAP_SYS_BOOT: run it as root");
		return -1;
	}
	return kdev_open();
}

static char *km_cmdline(const struct km_options *opt)
{
	struct km_file proc;
	char *reused = NULL, *line;

	if (opt->reuse_cmdline) {
		if (km_file_read(&proc, PROC_CMDLINE))
			return NULL;
		reused = cmdline_reuse(proc.data);
		km_file_free(&proc);
		if (!reused)
			return NULL;
	}
	line = cmdline_join(reused, opt->append);
	free(reused);
	return line;
}

static void km_load_free(struct km_load *ld)
{
	km_file_free(&ld->kernel);
	km_file_free(&ld->initrd);
	km_file_free(&ld->dtb);
	km_file_free(&ld->hdr);
	free(ld->cmdline);
}

/*
 * -p: the crash region, and the ELF core header at its top; what lies
 * below the header is where the capture kernel is placed, and its RAM.
 */
static int km_crash_prepare(struct km_load *ld)
{
	if (crash_region_read(&ld->region, PROC_IOMEM) ||
	    crash_elfcorehdr(&ld->hdr, &ld->ram))
		return -1;
	ld->hdr_addr = crash_hdr_address(&ld->region, ld->hdr.size);
	if (!ld->hdr_addr) {
		km_error("the crash region 0x%llx-0x%llx is too small",
			 (unsigned long long)ld->region.start,
			 (unsigned long long)ld->region.end);
		return -1;
	}
	ld->crash_map.nr = 1;
	ld->crash_map.range[0].start = ld->region.start;
	ld->crash_map.range[0].end = ld->hdr_addr - 1;
	return 0;
}

/* -p: the command line asked for, or the DTB's, with elfcorehdr= and mem=. */
static int km_crash_cmdline(struct km_load *ld)
{
	const char *base = ld->cmdline ? ld->cmdline : dtb_bootargs(&ld->dtb);
	char *line = crash_cmdline(base, ld->hdr_addr,
				   ld->hdr_addr - ld->region.start);

	if (!line) {
		km_error("out of memory");
		return -1;
	}
	free(ld->cmdline);
	ld->cmdline = line;
	return 0;
}

/* Read everything, place it, patch the DTB: the load minus the ioctl. */
static int km_prepare(struct km_load *ld, const struct km_options *opt)
{
	const char *dtb = opt->dtb ? opt->dtb : SYSFS_FDT;
	const struct ram_map *place = &ld->ram;

	if (km_file_read(&ld->kernel, opt->kernel) ||
	    zimage_inspect(&ld->info, &ld->kernel, opt->image_size))
		return -1;
	if (ram_map_read(&ld->ram, PROC_IOMEM))
		return -1;
	if (opt->panic) {
		if (km_crash_prepare(ld))
			return -1;
		place = &ld->crash_map;
	}
	if (layout_place_kernel(&ld->lay, place, &ld->info))
		return -1;
	if (opt->initrd && km_file_read(&ld->initrd, opt->initrd))
		return -1;
	if (layout_place_initrd(&ld->lay, place, ld->initrd.size))
		return -1;

	if (opt->reuse_cmdline || opt->append) {
		ld->cmdline = km_cmdline(opt);
		if (!ld->cmdline)
			return -1;
	}

	if (!opt->dtb && access(SYSFS_FDT, F_OK)) {
		km_error("no %s (booted with ATAGs?): pass a DTB with --dtb=FILE",
			 SYSFS_FDT);
		return -1;
	}
	if (km_file_read(&ld->dtb, dtb))
		return -1;
	if (opt->panic && km_crash_cmdline(ld))
		return -1;
	if (dtb_patch(&ld->dtb, ld->cmdline, ld->lay.initrd,
		      ld->lay.initrd_size))
		return -1;
	cmdline_warn(dtb_bootargs(&ld->dtb), !ld->cmdline);
	if (layout_place_dtb(&ld->lay, place, ld->dtb.size) ||
	    layout_verify(&ld->lay, place))
		return -1;
	return 0;
}

static void km_print_segment(FILE *out, const char *what, uint64_t start,
			     uint64_t size, const char *from)
{
	fprintf(out, "%-7s 0x%08llx-0x%08llx  %s (0x%llx bytes)\n", what,
		(unsigned long long)start,
		(unsigned long long)(start + km_align_up(size, KM_PAGE_SIZE) - 1),
		from, (unsigned long long)size);
}

/* The plan: on stdout for -n, where it is the output; on stderr for -d. */
static void km_print_plan(FILE *out, const struct km_load *ld)
{
	const struct layout *lay = &ld->lay;
	const char *args = dtb_bootargs(&ld->dtb);

	km_print_segment(out, "kernel", lay->kernel, ld->info.load_size,
			 ld->kernel.name);
	fprintf(out, "        decompressed kernel may use up to 0x%08llx (from %s)\n",
		(unsigned long long)lay->footprint_end - 1,
		ld->info.footprint_from);
	if (ld->info.payload_offset)
		fprintf(out, "        the zImage inside the uImage '%s', at offset 0x%zx\n",
			ld->info.uimage_name, ld->info.payload_offset);
	if (ld->info.appended_dtb)
		fprintf(out, "        the DTB appended to the zImage is left out\n");
	if (lay->initrd_size)
		km_print_segment(out, "initrd", lay->initrd, lay->initrd_size,
				 ld->initrd.name);
	km_print_segment(out, "dtb", lay->dtb, lay->dtb_size, ld->dtb.name);
	if (ld->hdr.size)
		km_print_segment(out, "elfhdr", ld->hdr_addr, ld->hdr.size,
				 ld->hdr.name);
	dtb_print_initrd(out, &ld->dtb);
	fprintf(out, "entry   0x%08llx\n", (unsigned long long)lay->kernel);
	fprintf(out, "command line: %s\n", args ? args : "(none)");
}

static int km_do_load(const struct km_options *opt, bool exec)
{
	struct kexec_segment seg[4];
	struct km_load ld;
	unsigned int n = 0;
	int fd = -1, ret = -1;

	memset(&ld, 0, sizeof(ld));
	if (!opt->dry_run) {
		fd = km_device();
		if (fd < 0)
			return -1;
	}
	if (km_prepare(&ld, opt))
		goto out;
	if (opt->dry_run || opt->debug)
		km_print_plan(opt->dry_run ? stdout : stderr, &ld);
	if (opt->dry_run) {
		ret = 0;
		goto out;
	}

	seg[n++] = (struct kexec_segment) {
		.buf = (char *)ld.kernel.data + ld.info.payload_offset,
		.bufsz = ld.info.load_size,
		.mem = (void *)(unsigned long)ld.lay.kernel,
		.memsz = ld.lay.kernel_size,
	};
	if (ld.lay.initrd_size)
		seg[n++] = (struct kexec_segment) {
			.buf = ld.initrd.data, .bufsz = ld.initrd.size,
			.mem = (void *)(unsigned long)ld.lay.initrd,
			.memsz = km_align_up(ld.initrd.size, KM_PAGE_SIZE),
		};
	seg[n++] = (struct kexec_segment) {
		.buf = ld.dtb.data, .bufsz = ld.dtb.size,
		.mem = (void *)(unsigned long)ld.lay.dtb,
		.memsz = km_align_up(ld.dtb.size, KM_PAGE_SIZE),
	};
	if (opt->panic)
		seg[n++] = (struct kexec_segment) {
			.buf = ld.hdr.data, .bufsz = ld.hdr.size,
			.mem = (void *)(unsigned long)ld.hdr_addr,
			.memsz = km_align_up(ld.hdr.size, KM_PAGE_SIZE),
		};
	if (kdev_load_flags(fd, ld.lay.kernel, seg, n,
			    opt->panic ? KEXEC_ON_CRASH : 0))
		goto out;
	ret = 0;
	if (exec)
		ret = kdev_exec(fd);
out:
	km_load_free(&ld);
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * Return: as kexec-tools' -S, 1 when a kernel is loaded and 0 when not;
 * -1 after a message when the module cannot be asked.
 */
static int km_do_status(void)
{
	struct kexec_mod_status st;
	int fd = km_device();

	if (fd < 0 || kdev_status(fd, &st)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	if (!st.loaded) {
		printf("kexec_mod (ABI %u): nothing loaded\n", st.abi_version);
		return 0;
	}
	printf("kexec_mod (ABI %u): a kernel is loaded\n", st.abi_version);
	printf("  entry point   0x%08llx\n", (unsigned long long)st.entry);
	printf("  segments      %u, %u pages staged\n", st.nr_segments,
	       st.pages_staged);
	printf("  boot params   0x%08llx (r2)\n",
	       (unsigned long long)st.boot_params);
	printf("  machine type  0x%08x (r1)\n", st.machine_type);
	printf("  control page  0x%08llx\n",
	       (unsigned long long)st.control_page);
	printf("  relocation    %s\n",
	       st.reloc_mode == KEXEC_MOD_RELOC_MMU_ON ? "MMU and caches on" :
	       st.reloc_mode == KEXEC_MOD_RELOC_MMU_OFF ? "MMU and caches off" :
	       "refused (see dmesg)");
	printf("  exec          %s\n",
	       st.armed == KEXEC_MOD_ARMED ? "armed" : "not armed");
	return 1;
}

/*
 * -p -S: whether a capture kernel is loaded, from the file kexec -p -S
 * reads.  Return: 1 when one is loaded, 0 when not, -1 after a message.
 */
static int km_do_crash_status(void)
{
	unsigned long long loaded, size;

	if (crash_read_number(CRASH_LOADED, 10, &loaded) ||
	    crash_read_number(CRASH_SIZE, 10, &size)) {
		km_error("cannot read %s or %s (is kexec_mod loaded?)",
			 CRASH_LOADED, CRASH_SIZE);
		return -1;
	}
	if (!size)
		printf("no crash region (kexec_mod's crashkernel=SIZE@ADDR)\n");
	else
		printf("crash region of %llu MiB, %s\n", size >> 20,
		       loaded ? "a capture kernel is loaded" :
		       "no capture kernel loaded");
	return loaded ? 1 : 0;
}

static const char *const km_step_names[KEXEC_MOD_REHEARSE_STEPS] = {
	[KEXEC_MOD_REHEARSE_CPUS] = "secondary CPUs offline and back",
	[KEXEC_MOD_REHEARSE_TABLES] = "identity map and copy tables",
	[KEXEC_MOD_REHEARSE_STUB] = "stub: MMU and caches off and on",
};

/* --rehearse: one line per step, 0 when every step passed. */
static int km_do_rehearse(void)
{
	struct kexec_mod_rehearsal r;
	unsigned int i;
	int fd = km_device(), ret;

	if (fd < 0)
		return -1;
	ret = kdev_rehearse(fd, &r);
	close(fd);
	if (ret > 0)
		return -1;	/* nothing ran: the message is out */
	for (i = 0; i < KEXEC_MOD_REHEARSE_STEPS && i < r.nr_steps; i++) {
		const struct kexec_mod_rehearse_step *s = &r.step[i];

		printf("rehearsal: %-32s %-7s %8u us%s%s\n", km_step_names[i],
		       s->state == KEXEC_MOD_STEP_PASSED ? "ok" :
		       s->state == KEXEC_MOD_STEP_FAILED ? "FAILED" : "not run",
		       s->usecs, s->error ? "  " : "",
		       s->error ? strerror(-s->error) : "");
		if (i == KEXEC_MOD_REHEARSE_TABLES &&
		    s->state == KEXEC_MOD_STEP_PASSED)
			printf("rehearsal:   relocation with the MMU and caches %s\n",
			       r.reloc_mode == KEXEC_MOD_RELOC_MMU_ON ? "on" : "off");
	}
	return ret ? -1 : 0;
}

static int km_simple(int (*request)(int fd))
{
	int fd = km_device(), ret;

	if (fd < 0)
		return -1;
	ret = request(fd);
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	struct km_options opt;
	int ret;

	if (km_parse(&opt, argc, argv))
		return 2;
	switch (opt.action) {
	case KM_HELP:
		km_usage(stdout);
		return 0;
	case KM_VERSION:
		printf("kexec-mod %s (kexec_mod ABI %d)\n",
		       KEXEC_MOD_TOOL_VERSION, KEXEC_MOD_ABI_VERSION);
		return 0;
	case KM_LOAD:
		return km_do_load(&opt, false) ? 1 : 0;
	case KM_LOAD_EXEC:
		return km_do_load(&opt, true) ? 1 : 0;
	case KM_EXEC:
		return km_simple(kdev_exec) ? 1 : 0;
	case KM_UNLOAD:
		return km_simple(opt.panic ? kdev_unload_crash : kdev_unload) ?
		       1 : 0;
	case KM_STATUS:
		ret = opt.panic ? km_do_crash_status() : km_do_status();
		return ret < 0 ? 2 : ret;
	case KM_REHEARSE:
		return km_do_rehearse() ? 1 : 0;
	default:
		return 2;
	}
}
