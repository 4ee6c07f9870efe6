/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kexec-mod: load a zImage through /dev/kexec and boot it, the way
 * kexec-tools does on ARM.  Declarations shared by its files, in the
 * order of the flow: image, placement, device tree, command line, device.
 */
#ifndef KEXEC_MOD_TOOL_H
#define KEXEC_MOD_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEXEC_MOD_TOOL_VERSION	"1.0"
#define KM_PAGE_SIZE		4096UL
/* The most --image-size may ask for: all a 32-bit kernel can address. */
#define KM_IMAGE_SIZE_MAX	(4ULL << 30)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/* @a is a power of two. */
static inline uint64_t km_align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

static inline uint64_t km_align_down(uint64_t x, uint64_t a)
{
	return x & ~(a - 1);
}

/* Print "kexec-mod: <message>" on stderr. */
void km_error(const char *fmt, ...);

/* A whole file in memory. */
struct km_file {
	const char *name;
	void *data;
	size_t size;
};

int km_file_read(struct km_file *file, const char *name);
void km_file_free(struct km_file *file);

/* image.c: what the zImage needs. */
struct zimage_info {
	size_t payload_offset;	/* where the zImage starts in the file */
	char uimage_name[33];	/* the uImage's name, "" for a plain zImage */
	size_t load_size;	/* bytes copied: the zImage without an appended DTB */
	size_t mem_size;	/* bytes reserved at the load address */
	uint64_t footprint;	/* bytes the kernel may use from its load address */
	const char *footprint_from;	/* how the footprint was found */
	bool appended_dtb;	/* bytes past the zImage's end were dropped */
};

int zimage_inspect(struct zimage_info *info, const struct km_file *file,
		   uint64_t image_size);

/* place.c: System RAM and where each segment goes. */
#define RAM_RANGES_MAX	64

struct ram_range {
	uint64_t start;
	uint64_t end;		/* inclusive */
};

struct ram_map {
	struct ram_range range[RAM_RANGES_MAX];
	unsigned int nr;
};

int ram_map_read(struct ram_map *map, const char *path);
bool ram_map_covers(const struct ram_map *map, uint64_t start, uint64_t size);

struct layout {
	uint64_t kernel;	/* load address and entry point */
	uint64_t kernel_size;	/* mem size, page aligned */
	uint64_t footprint_end;	/* end of what the booting kernel may use */
	uint64_t initrd;
	uint64_t initrd_size;
	uint64_t dtb;
	uint64_t dtb_size;
};

int layout_place_kernel(struct layout *lay, const struct ram_map *map,
			const struct zimage_info *info);
int layout_place_initrd(struct layout *lay, const struct ram_map *map,
			uint64_t size);
int layout_place_dtb(struct layout *lay, const struct ram_map *map,
		     uint64_t size);
int layout_verify(const struct layout *lay, const struct ram_map *map);

/* dtb.c: the device tree the new kernel gets. */
int dtb_patch(struct km_file *dtb, const char *cmdline, uint64_t initrd,
	      uint64_t initrd_size);
const char *dtb_bootargs(const struct km_file *dtb);
void dtb_print_initrd(FILE *out, const struct km_file *dtb);

/* crash.c: what a capture kernel needs (-p). */
int crash_region_read(struct ram_range *region, const char *path);
int crash_read_number(const char *path, int base, unsigned long long *value);
int crash_elfcorehdr(struct km_file *hdr, const struct ram_map *ram);
uint64_t crash_hdr_address(const struct ram_range *region, size_t size);
char *crash_cmdline(const char *base, uint64_t hdr, uint64_t mem);

/* cmdline.c: the command line of the new kernel. */
bool cmdline_word_starts(const char *word, size_t len,
			 const char *const *prefixes);
char *cmdline_reuse(const char *current);
char *cmdline_join(const char *first, const char *second);
void cmdline_warn(const char *line, bool kept);

/* device.c: /dev/kexec. */
struct kexec_mod_rehearsal;
struct kexec_mod_status;
struct kexec_segment;

int kdev_open(void);
int kdev_load(int fd, unsigned long entry, struct kexec_segment *segments,
	      unsigned long nr_segments);
int kdev_load_flags(int fd, unsigned long entry,
		    struct kexec_segment *segments, unsigned long nr_segments,
		    unsigned long flags);
int kdev_unload_crash(int fd);
int kdev_unload(int fd);
int kdev_status(int fd, struct kexec_mod_status *st);
int kdev_exec(int fd);
int kdev_rehearse(int fd, struct kexec_mod_rehearsal *r);

#endif /* KEXEC_MOD_TOOL_H */
