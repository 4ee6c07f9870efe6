// SPDX-License-Identifier: GPL-2.0-only
/*
 * Where each segment goes, as kexec-tools places them on ARM: the zImage
 * 32 KiB into the lowest System RAM (the decompressor finds the RAM base
 * by rounding its own address down to 128 MiB), the initrd above all the
 * kernel may use while it decompresses and runs, the DTB a page-aligned
 * step above the initrd.  Fixed rules give the same addresses on every
 * run; every destination is checked against System RAM before the module
 * sees it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec-mod.h"

#define ZIMAGE_TEXT_OFFSET	0x8000
#define ZIMAGE_RAM_WINDOW	(128ULL << 20)

static int ram_range_cmp(const void *a, const void *b)
{
	const struct ram_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sort and join ranges that touch: "System RAM" may come in pieces. */
static void ram_map_tidy(struct ram_map *map)
{
	unsigned int i, out = 0;

	qsort(map->range, map->nr, sizeof(map->range[0]), ram_range_cmp);
	for (i = 0; i < map->nr; i++) {
		if (out && map->range[i].start <= map->range[out - 1].end + 1) {
			if (map->range[i].end > map->range[out - 1].end)
				map->range[out - 1].end = map->range[i].end;
			continue;
		}
		map->range[out++] = map->range[i];
	}
	map->nr = out;
}

/**
 * ram_map_read() - the System RAM ranges of /proc/iomem
 * @map: filled in on success, sorted and joined
 * @path: normally /proc/iomem
 *
 * Return: 0, or -1 after a message.
 */
int ram_map_read(struct ram_map *map, const char *path)
{
	unsigned long long start, end;
	struct km_file file;
	char *line, *next;
	int name;

	map->nr = 0;
	if (km_file_read(&file, path))
		return -1;
	for (line = file.data; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		name = 0;
		if (sscanf(line, " %llx-%llx : %n", &start, &end, &name) != 2 ||
		    !name || strcmp(line + name, "System RAM"))
			continue;
		if (map->nr == RAM_RANGES_MAX) {
			km_error("%s: more than %d System RAM ranges; using the first",
				 path, RAM_RANGES_MAX);
			break;
		}
		map->range[map->nr].start = start;
		map->range[map->nr].end = end;
		map->nr++;
	}
	km_file_free(&file);

	ram_map_tidy(map);
	if (!map->nr) {
		km_error("%s lists no System RAM", path);
		return -1;
	}
	if (map->nr == 1 && !map->range[0].start && !map->range[0].end) {
		km_error("%s shows no addresses: run as root", path);
		return -1;
	}
	return 0;
}

/**
 * ram_map_covers() - whether a range lies entirely in System RAM
 * @map: the RAM ranges
 * @start: first byte
 * @size: length in bytes; 0 is always covered
 */
bool ram_map_covers(const struct ram_map *map, uint64_t start, uint64_t size)
{
	unsigned int i;

	if (!size)
		return true;
	if (start + size < start)
		return false;
	for (i = 0; i < map->nr; i++)
		if (start >= map->range[i].start &&
		    start + size - 1 <= map->range[i].end)
			return true;
	return false;
}

/* The lowest page-aligned address >= @min where @size bytes fit in RAM. */
static int ram_map_find(const struct ram_map *map, uint64_t min, uint64_t size,
			uint64_t *found)
{
	unsigned int i;
	uint64_t at;

	for (i = 0; i < map->nr; i++) {
		at = km_align_up(min > map->range[i].start ?
				 min : map->range[i].start, KM_PAGE_SIZE);
		if (at + size - 1 <= map->range[i].end && at + size > at) {
			*found = at;
			return 0;
		}
	}
	return -1;
}

/**
 * layout_place_kernel() - the zImage at the RAM base + 0x8000
 * @lay: gets the kernel's address, size and footprint
 * @map: the RAM ranges
 * @info: what the zImage needs
 *
 * Return: 0, or -1 after a message when the kernel does not fit.
 */
int layout_place_kernel(struct layout *lay, const struct ram_map *map,
			const struct zimage_info *info)
{
	const struct ram_range *first = &map->range[0];
	uint64_t end;

	memset(lay, 0, sizeof(*lay));
	lay->kernel = first->start + ZIMAGE_TEXT_OFFSET;
	lay->kernel_size = km_align_up(info->mem_size, KM_PAGE_SIZE);
	lay->footprint_end = lay->kernel +
			     km_align_up(info->footprint, KM_PAGE_SIZE);

	end = lay->kernel + lay->kernel_size;
	/* The decompressor runs where it was loaded: never less than that. */
	if (lay->footprint_end < end)
		lay->footprint_end = end;
	if (end > first->start + ZIMAGE_RAM_WINDOW) {
		km_error("image too large for RAM: a zImage must lie in the first 128 MiB");
		return -1;
	}
	if (lay->footprint_end - 1 > first->end) {
		km_error("image too large for RAM: kernel needs 0x%llx bytes at 0x%llx",
			 (unsigned long long)info->footprint,
			 (unsigned long long)lay->kernel);
		km_error("(size from %s; the first System RAM range ends at 0x%llx)",
			 info->footprint_from, (unsigned long long)first->end);
		return -1;
	}
	return 0;
}

/**
 * layout_place_initrd() - the initrd above the kernel's footprint
 * @lay: placed kernel; gets the initrd's address and size
 * @map: the RAM ranges
 * @size: bytes of the initrd, 0 for none
 *
 * Without an initrd, its address still marks where the DTB search starts.
 *
 * Return: 0, or -1 after a message when it does not fit.
 */
int layout_place_initrd(struct layout *lay, const struct ram_map *map,
			uint64_t size)
{
	lay->initrd = lay->footprint_end;
	lay->initrd_size = size;
	if (!size)
		return 0;
	if (ram_map_find(map, lay->footprint_end, size, &lay->initrd)) {
		km_error("image too large for RAM: no room for the initrd above 0x%llx",
			 (unsigned long long)lay->footprint_end);
		return -1;
	}
	return 0;
}

/**
 * layout_place_dtb() - the DTB page-aligned above the initrd
 * @lay: placed kernel and initrd; gets the DTB's address and size
 * @map: the RAM ranges
 * @size: bytes of the patched DTB
 *
 * Return: 0, or -1 after a message when it does not fit.
 */
int layout_place_dtb(struct layout *lay, const struct ram_map *map,
		     uint64_t size)
{
	uint64_t min = km_align_down(lay->initrd + lay->initrd_size +
				     KM_PAGE_SIZE, KM_PAGE_SIZE);

	lay->dtb_size = size;
	if (ram_map_find(map, min, size, &lay->dtb)) {
		km_error("image too large for RAM: no room for the DTB above 0x%llx",
			 (unsigned long long)min);
		return -1;
	}
	return 0;
}

static int layout_check(const struct ram_map *map, const char *what,
			uint64_t start, uint64_t size)
{
	if (ram_map_covers(map, start, km_align_up(size, KM_PAGE_SIZE)))
		return 0;
	km_error("the %s at 0x%llx (0x%llx bytes) is not inside System RAM",
		 what, (unsigned long long)start, (unsigned long long)size);
	return -1;
}

/* Whether [@a, @a + @a_size) and [@b, @b + @b_size) share a byte. */
static bool layout_overlaps(uint64_t a, uint64_t a_size, uint64_t b,
			    uint64_t b_size)
{
	return a_size && b_size && a < b + b_size && b < a + a_size;
}

/**
 * layout_verify() - every destination in System RAM, none overlapping
 * @lay: the complete layout
 * @map: the RAM ranges
 *
 * The module checks this too; checking here turns its EINVAL into a
 * message that names the segment.
 *
 * Return: 0, or -1 after a message.
 */
int layout_verify(const struct layout *lay, const struct ram_map *map)
{
	if (layout_check(map, "kernel", lay->kernel, lay->kernel_size) ||
	    layout_check(map, "initrd", lay->initrd, lay->initrd_size) ||
	    layout_check(map, "DTB", lay->dtb, lay->dtb_size))
		return -1;
	if (layout_overlaps(lay->initrd, lay->initrd_size, lay->kernel,
			    lay->kernel_size) ||
	    layout_overlaps(lay->dtb, lay->dtb_size, lay->kernel,
			    lay->kernel_size)) {
		km_error("the initrd or the DTB overlaps the kernel at 0x%llx-0x%llx",
			 (unsigned long long)lay->kernel,
			 (unsigned long long)(lay->kernel + lay->kernel_size - 1));
		return -1;
	}
	if (lay->initrd_size && lay->initrd < lay->footprint_end) {
		km_error("the initrd at 0x%llx overlaps the kernel's footprint (to 0x%llx)",
			 (unsigned long long)lay->initrd,
			 (unsigned long long)lay->footprint_end);
		return -1;
	}
	if (lay->dtb < lay->initrd + lay->initrd_size ||
	    lay->dtb < lay->footprint_end) {
		km_error("the DTB at 0x%llx overlaps the initrd or the kernel",
			 (unsigned long long)lay->dtb);
		return -1;
	}
	return 0;
}
