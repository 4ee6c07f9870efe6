// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a zImage needs in memory.  The decompressor runs where the zImage
 * was loaded and writes the kernel from there upwards; an initrd or DTB
 * placed in that area is overwritten before the kernel reads it.  The
 * zImage says how big the kernel gets in its size tag (since 4.x); older
 * images get the same generous estimate kexec-tools makes.
 */

#include <stdio.h>
#include <string.h>

#include "kexec-mod.h"

/* The zImage header, in little-endian words (arch/arm/boot/compressed/head.S). */
#define ZIMAGE_MAGIC_OFFSET	0x24
#define ZIMAGE_START_OFFSET	0x28
#define ZIMAGE_END_OFFSET	0x2c
#define ZIMAGE_MAGIC2_OFFSET	0x34
#define ZIMAGE_TABLE_OFFSET	0x38
#define ZIMAGE_HEADER_SIZE	0x3c

#define ZIMAGE_MAGIC		0x016f2818
#define ZIMAGE_MAGIC2		0x45454545
#define ZIMAGE_TAG_KRNL_SIZE	0x5a534c4b
#define UIMAGE_MAGIC_BE		0x27051956
#define ELF_MAGIC_LE		0x464c457f

/* The decompressor's stack (4 KiB) and malloc area (64 KiB) past its end. */
#define ZIMAGE_RUNTIME_EXTRA	0x11000
/* Without a size tag: compression of at most 4:1, plus the zImage itself. */
#define ZIMAGE_ESTIMATE_FACTOR	5

static uint32_t le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static int zimage_refuse(const struct km_file *file, const unsigned char *buf)
{
	uint32_t first = file->size >= 4 ? le32_at(buf) : 0;

	if (first == __builtin_bswap32(UIMAGE_MAGIC_BE))
		km_error("%s is a U-Boot uImage: pass the zImage itself",
			 file->name);
	else if (first == ELF_MAGIC_LE)
		km_error("%s is an ELF file (vmlinux?): pass the zImage",
			 file->name);
	else
		km_error("%s is not an ARM zImage (no magic 0x%08x at offset 0x%x)",
			 file->name, ZIMAGE_MAGIC, ZIMAGE_MAGIC_OFFSET);
	return -1;
}

/*
 * The size tag holds the offset of a word with the size of the
 * decompressed kernel's text and data, and the size of its bss.
 * Return: true with @edata and @bss set, false without a usable tag.
 */
static bool zimage_size_tag(const unsigned char *buf, size_t len,
			    uint32_t *edata, uint32_t *bss)
{
	uint32_t off, words, tag, size_ptr;

	if (le32_at(buf + ZIMAGE_MAGIC2_OFFSET) != ZIMAGE_MAGIC2)
		return false;
	off = le32_at(buf + ZIMAGE_TABLE_OFFSET);
	while (off >= ZIMAGE_HEADER_SIZE && off <= len - 8 && !(off & 3)) {
		words = le32_at(buf + off);
		tag = le32_at(buf + off + 4);
		if (!words || words > (len - off) / 4)
			break;
		if (tag == ZIMAGE_TAG_KRNL_SIZE && words >= 4) {
			size_ptr = le32_at(buf + off + 8);
			if (size_ptr > len - 4)
				return false;
			*edata = le32_at(buf + size_ptr);
			*bss = le32_at(buf + off + 12);
			return true;
		}
		off += words * 4;
	}
	return false;
}

/**
 * zimage_inspect() - check a zImage and work out its memory needs
 * @info: filled in on success
 * @file: the zImage
 * @image_size: footprint asked for with --image-size, or 0
 *
 * Return: 0, or -1 after a message.
 */
int zimage_inspect(struct zimage_info *info, const struct km_file *file,
		   uint64_t image_size)
{
	const unsigned char *buf = file->data;
	uint32_t start, end, edata, bss;
	uint64_t running;
	bool tagged;
	size_t len = file->size;

	memset(info, 0, sizeof(*info));
	if (len < ZIMAGE_HEADER_SIZE ||
	    le32_at(buf + ZIMAGE_MAGIC_OFFSET) != ZIMAGE_MAGIC)
		return zimage_refuse(file, buf);

	start = le32_at(buf + ZIMAGE_START_OFFSET);
	end = le32_at(buf + ZIMAGE_END_OFFSET);
	if (end > start) {
		if (end - start > len) {
			km_error("%s is truncated: the header says 0x%x bytes, the file has 0x%zx",
				 file->name, end - start, len);
			return -1;
		}
		/* An appended DTB would override the one we pass: drop it. */
		if (end - start < len) {
			len = end - start;
			info->appended_dtb = true;
		}
	}
	info->load_size = len;
	/* One word more, so an appended-DTB check after _edata reads zero. */
	info->mem_size = len + 4;

	running = len + ZIMAGE_RUNTIME_EXTRA;
	tagged = zimage_size_tag(buf, len, &edata, &bss);
	if (tagged) {
		info->footprint = (uint64_t)edata + bss;
		/* While it decompresses, the zImage sits past the kernel's data. */
		if (info->footprint < (uint64_t)edata + running)
			info->footprint = (uint64_t)edata + running;
		info->footprint_from = "the zImage's size tag";
	} else {
		info->footprint = running * ZIMAGE_ESTIMATE_FACTOR;
		info->footprint_from = "5 times the zImage (no size tag)";
	}

	if (image_size) {
		if (image_size < info->mem_size && !tagged) {
			km_error("--image-size 0x%llx is below the zImage's own 0x%zx bytes",
				 (unsigned long long)image_size, info->mem_size);
			return -1;
		}
		if (image_size < info->footprint && tagged) {
			fprintf(stderr,
				"kexec-mod: --image-size 0x%llx is below the zImage's own size 0x%llx; using the latter\n",
				(unsigned long long)image_size,
				(unsigned long long)info->footprint);
		} else {
			info->footprint = image_size;
			info->footprint_from = "--image-size";
		}
	}
	return 0;
}
