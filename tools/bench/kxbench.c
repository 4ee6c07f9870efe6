// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxbench: the guest half of `make bench`.  The same segments go either
 * through the kernel's own kexec (kexec_load(2), then
 * reboot(LINUX_REBOOT_CMD_KEXEC)) or through kexec_mod (KEXEC_MOD_LOAD,
 * then KEXEC_MOD_EXEC), so the two are compared on one kernel binary.
 * Every figure is printed as a "KXB ..." line, read by scripts/bench.sh.
 *
 *   kxbench load kernel|module MIB
 *	Load an image of exactly MIB MiB (zImage bytes, the DTB, a filler
 *	segment), timing the load call alone; report MemFree before and
 *	while loaded; unload.  Nothing is booted, so for 1 MiB the kernel
 *	segment is simply the zImage's first bytes.
 *   kxbench exec kernel|module FILLER_MIB INITRD CMDLINE
 *	Load /boot/zImage, INITRD, the running DTB patched with CMDLINE
 *	and the initrd, and FILLER_MIB MiB of filler the new kernel
 *	ignores; stamp the counter and exec.  The new kernel's init
 *	stamps it again.
 *
 * Placement and DTB patching are kexec-mod's own (tools/kexec-mod).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/reboot.h>

#include "../kexec-mod/kexec-mod.h"
#include "cntvct.h"

#define MIB		(1024UL * 1024)
#define ZIMAGE		"/boot/zImage"
#define FDT		"/sys/firmware/fdt"
#define IOMEM		"/proc/iomem"
#define FILLER_BYTE	0x5a

/* Fixed places for the timed loads: nothing is booted from them. */
#define LOAD_KERNEL_AT	0x8000UL
#define LOAD_DTB_AT	(16 * MIB)
#define LOAD_FILLER_AT	(32 * MIB)

struct kx_path {
	const char *name;
	int (*load)(unsigned long entry, struct kexec_segment *seg,
		    unsigned long nr);
	int (*unload)(void);
	int (*exec)(void);
};

static int kx_fd = -1;

static int kernel_load(unsigned long entry, struct kexec_segment *seg,
		       unsigned long nr)
{
	return syscall(SYS_kexec_load, entry, nr, seg, KEXEC_ARCH_DEFAULT);
}

static int kernel_unload(void)
{
	return syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT);
}

static int kernel_exec(void)
{
	return reboot(LINUX_REBOOT_CMD_KEXEC);
}

static int module_load(unsigned long entry, struct kexec_segment *seg,
		       unsigned long nr)
{
	return kdev_load(kx_fd, entry, seg, nr);
}

static int module_unload(void)
{
	return kdev_unload(kx_fd);
}

static int module_exec(void)
{
	return kdev_exec(kx_fd);
}

static const struct kx_path kx_paths[] = {
	{ "kernel", kernel_load, kernel_unload, kernel_exec },
	{ "module", module_load, module_unload, module_exec },
};

static const struct kx_path *kx_path_get(const char *name)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kx_paths); i++)
		if (!strcmp(kx_paths[i].name, name))
			break;
	if (i == ARRAY_SIZE(kx_paths)) {
		km_error("unknown path %s (kernel or module)", name);
		return NULL;
	}
	if (!strcmp(name, "module")) {
		kx_fd = kdev_open();
		if (kx_fd < 0)
			return NULL;
	}
	return &kx_paths[i];
}

/*
 * MemFree from /proc/meminfo, in kB; -1 when it cannot be read.  The
 * per-CPU vmstat deltas are folded in first, or MemFree may lag by up to
 * the stat threshold (16 pages on the bench guest).
 */
static long memfree_kb(void)
{
	char line[128];
	long kb = -1;
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY | O_CLOEXEC);
	FILE *f;

	if (fd >= 0) {
		if (write(fd, "1", 1) != 1)
			km_error("stat_refresh: %s", strerror(errno));
		close(fd);
	}
	f = fopen("/proc/meminfo", "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void *filler_alloc(size_t size)
{
	void *buf = malloc(size ? size : 1);

	if (!buf) {
		km_error("no memory for %zu bytes of filler", size);
		return NULL;
	}
	/* Touched, so the load copies real pages, not the zero page. */
	memset(buf, FILLER_BYTE, size);
	return buf;
}

static void segment_set(struct kexec_segment *seg, const void *buf,
			size_t size, unsigned long dest)
{
	seg->buf = buf;
	seg->bufsz = size;
	seg->mem = (void *)dest;
	seg->memsz = km_align_up(size, KM_PAGE_SIZE);
}

static int bench_load(const struct kx_path *path, unsigned long mib)
{
	unsigned long long t0, t1;
	struct kexec_segment seg[3];
	struct km_file kernel = { 0 }, dtb = { 0 };
	struct ram_map ram;
	size_t total = mib * MIB, kbytes, fbytes;
	unsigned long base, nr = 0;
	void *filler = NULL;
	long before, loaded;
	int ret = -1;

	/* Patched with nothing, the DTB is packed: QEMU pads it to 1 MiB. */
	if (ram_map_read(&ram, IOMEM) || km_file_read(&kernel, ZIMAGE) ||
	    km_file_read(&dtb, FDT) || dtb_patch(&dtb, NULL, 0, 0))
		goto out;
	if (total <= dtb.size) {
		km_error("%lu MiB is smaller than the DTB", mib);
		goto out;
	}
	base = ram.range[0].start;
	kbytes = kernel.size < total - dtb.size ? kernel.size :
		 total - dtb.size;
	fbytes = total - kbytes - dtb.size;
	filler = filler_alloc(fbytes);
	if (!filler ||
	    !ram_map_covers(&ram, base + LOAD_FILLER_AT, km_align_up(fbytes, MIB)))
		goto out;

	segment_set(&seg[nr++], kernel.data, kbytes, base + LOAD_KERNEL_AT);
	segment_set(&seg[nr++], dtb.data, dtb.size, base + LOAD_DTB_AT);
	if (fbytes)
		segment_set(&seg[nr++], filler, fbytes, base + LOAD_FILLER_AT);

	before = memfree_kb();
	t0 = cntvct_read();
	if (path->load(base + LOAD_KERNEL_AT, seg, nr)) {
		km_error("%s load of %lu MiB: %s", path->name, mib,
			 strerror(errno));
		goto out;
	}
	t1 = cntvct_read();
	loaded = memfree_kb();
	printf("KXB load %s %lu %llu %u %zu\n", path->name, mib, t1 - t0,
	       cntfrq_read(), total);
	printf("KXB mem %s %lu %ld %ld %zu\n", path->name, mib, before, loaded,
	       total);
	ret = path->unload();
	if (ret)
		km_error("%s unload: %s", path->name, strerror(errno));
out:
	free(filler);
	km_file_free(&kernel);
	km_file_free(&dtb);
	return ret ? 1 : 0;
}

static int bench_exec(const struct kx_path *path, unsigned long mib,
		      const char *initrd_name, const char *cmdline)
{
	struct km_file kernel = { 0 }, initrd = { 0 }, dtb = { 0 };
	struct kexec_segment seg[4];
	struct zimage_info info;
	struct layout lay = { 0 };
	struct ram_map ram;
	unsigned long nr = 0, filler_at;
	size_t fbytes = mib * MIB;
	void *filler = NULL;

	if (ram_map_read(&ram, IOMEM) || km_file_read(&kernel, ZIMAGE) ||
	    zimage_inspect(&info, &kernel, 0) ||
	    layout_place_kernel(&lay, &ram, &info) ||
	    km_file_read(&initrd, initrd_name) ||
	    layout_place_initrd(&lay, &ram, initrd.size) ||
	    km_file_read(&dtb, FDT) ||
	    dtb_patch(&dtb, cmdline, lay.initrd, lay.initrd_size) ||
	    layout_place_dtb(&lay, &ram, dtb.size) ||
	    layout_verify(&lay, &ram))
		goto fail;

	filler_at = km_align_up(lay.dtb + lay.dtb_size, MIB);
	filler = filler_alloc(fbytes);
	if (!filler || !ram_map_covers(&ram, filler_at, fbytes))
		goto fail;

	seg[nr].buf = (char *)kernel.data + info.payload_offset;
	seg[nr].bufsz = info.load_size;
	seg[nr].mem = (void *)(unsigned long)lay.kernel;
	seg[nr++].memsz = lay.kernel_size;
	segment_set(&seg[nr++], initrd.data, initrd.size, lay.initrd);
	segment_set(&seg[nr++], dtb.data, dtb.size, lay.dtb);
	if (fbytes)
		segment_set(&seg[nr++], filler, fbytes, filler_at);

	if (path->load(lay.kernel, seg, nr)) {
		km_error("%s load: %s", path->name, strerror(errno));
		goto fail;
	}
	printf("KXB exec %s %lu %llu %u\n", path->name, mib, cntvct_read(),
	       cntfrq_read());
	fflush(stdout);
	path->exec();
	km_error("%s exec returned: %s", path->name, strerror(errno));
fail:
	return 1;
}

static int print_usage(void)
{
	fprintf(stderr,
		"usage: kxbench load kernel|module MIB\n"
		"       kxbench exec kernel|module FILLER_MIB INITRD CMDLINE\n");
	return 2;
}

int main(int argc, char **argv)
{
	const struct kx_path *path;
	unsigned long mib;
	char *end;

	if (argc < 4)
		return print_usage();
	mib = strtoul(argv[3], &end, 0);
	if (*end || !*argv[3])
		return print_usage();
	path = kx_path_get(argv[2]);
	if (!path)
		return 1;
	if (!strcmp(argv[1], "load") && argc == 4)
		return bench_load(path, mib);
	if (!strcmp(argv[1], "exec") && argc == 6)
		return bench_exec(path, mib, argv[4], argv[5]);
	return print_usage();
}
