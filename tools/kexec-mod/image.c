// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a zImage needs in memory.  The decompressor runs where the zImage
 * was loaded and writes the kernel from there upwards; an initrd or DTB
 * placed in that area is overwritten before the kernel reads it.  The
 * zImage says how big the kernel gets in its size tag (since 4.x); older
 * images get the same generous estimate kexec-tools makes.  A U-Boot
 * uImage whose payload is an uncompressed zImage is taken as that zImage,
 * as kexec-tools takes it.
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

/* The legacy U-Boot image header: 64 bytes, big-endian words. */
#define UIMAGE_HCRC_OFFSET	4
#define UIMAGE_SIZE_OFFSET	12
#define UIMAGE_DCRC_OFFSET	24
#define UIMAGE_OS_OFFSET	28
#define UIMAGE_ARCH_OFFSET	29
#define UIMAGE_TYPE_OFFSET	30
#define UIMAGE_COMP_OFFSET	31
#define UIMAGE_NAME_OFFSET	32
#define UIMAGE_NAME_LEN		32
#define UIMAGE_HEADER_SIZE	64

#define UIMAGE_OS_LINUX		5
#define UIMAGE_ARCH_ARM		2
#define UIMAGE_TYPE_KERNEL	2
#define UIMAGE_TYPE_KERNEL_NOLOAD 14
#define UIMAGE_COMP_NONE	0

static uint32_t le32_at(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t be32_at(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* zlib's CRC-32 (reflected 0x04c11db7), which the uImage header uses. */
static uint32_t uimage_crc32(const unsigned char *p, size_t len)
{
	uint32_t crc = ~0U;
	int bit;

	while (len--) {
		crc ^= *p++;
		for (bit = 0; bit < 8; bit++)
			crc = crc >> 1 ^ (0xedb88320U & -(crc & 1));
	}
	return ~crc;
}

static const char *uimage_type_name(unsigned int type)
{
	static const char *const names[] = {
		[3] = "a ramdisk", [4] = "a multi-file image", [5] = "firmware",
		[6] = "a script", [8] = "a device tree",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] :
	       "not a kernel";
}

static const char *uimage_comp_name(unsigned int comp)
{
	static const char *const names[] = {
		"none", "gzip", "bzip2", "lzma", "lzo", "lz4", "zstd",
	};

	return comp < ARRAY_SIZE(names) ? names[comp] : "unknown";
}

/*
 * Check a uImage header and find the zImage in it.
 * Return: 0 with @payload and @len set, or -1 after a message saying
 * what the header holds instead.
 */
static int uimage_payload(const struct km_file *file,
			  const unsigned char **payload, size_t *len)
{
	unsigned char header[UIMAGE_HEADER_SIZE];
	const unsigned char *buf = file->data;
	unsigned int os, arch, type, comp;
	uint32_t size;

	if (file->size < UIMAGE_HEADER_SIZE) {
		km_error("%s is a truncated uImage: no whole header", file->name);
		return -1;
	}
	memcpy(header, buf, sizeof(header));
	memset(header + UIMAGE_HCRC_OFFSET, 0, 4);
	if (uimage_crc32(header, sizeof(header)) !=
	    be32_at(buf + UIMAGE_HCRC_OFFSET)) {
		km_error("%s: the uImage header's checksum is wrong: a damaged file",
			 file->name);
		return -1;
	}
	size = be32_at(buf + UIMAGE_SIZE_OFFSET);
	if (size > file->size - UIMAGE_HEADER_SIZE) {
		km_error("%s is a truncated uImage: its header says 0x%x bytes, 0x%zx follow it",
			 file->name, size, file->size - UIMAGE_HEADER_SIZE);
		return -1;
	}
	if (uimage_crc32(buf + UIMAGE_HEADER_SIZE, size) !=
	    be32_at(buf + UIMAGE_DCRC_OFFSET)) {
		km_error("%s: the uImage data's checksum is wrong: a damaged file",
			 file->name);
		return -1;
	}

	os = buf[UIMAGE_OS_OFFSET];
	arch = buf[UIMAGE_ARCH_OFFSET];
	type = buf[UIMAGE_TYPE_OFFSET];
	comp = buf[UIMAGE_COMP_OFFSET];
	if (os != UIMAGE_OS_LINUX) {
		km_error("%s is a uImage for OS %u, not Linux (%d)", file->name,
			 os, UIMAGE_OS_LINUX);
		return -1;
	}
	if (arch != UIMAGE_ARCH_ARM) {
		km_error("%s is a uImage for architecture %u, not ARM (%d)",
			 file->name, arch, UIMAGE_ARCH_ARM);
		return -1;
	}
	if (type != UIMAGE_TYPE_KERNEL && type != UIMAGE_TYPE_KERNEL_NOLOAD) {
		km_error("%s is a uImage of type %u, %s: only a kernel (%d or %d) can be loaded",
			 file->name, type, uimage_type_name(type),
			 UIMAGE_TYPE_KERNEL, UIMAGE_TYPE_KERNEL_NOLOAD);
		return -1;
	}
	if (comp != UIMAGE_COMP_NONE) {
		km_error("%s: a uImage with a %s-compressed payload: pass its zImage",
			 file->name, uimage_comp_name(comp));
		return -1;
	}
	*payload = buf + UIMAGE_HEADER_SIZE;
	*len = size;
	return 0;
}

static int zimage_refuse(const struct km_file *file, const unsigned char *buf)
{
	uint32_t first = file->size >= 4 ? le32_at(buf) : 0;

	if (first == ELF_MAGIC_LE)
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
	if (len >= 4 && be32_at(buf) == UIMAGE_MAGIC_BE) {
		if (uimage_payload(file, &buf, &len))
			return -1;
		info->payload_offset = buf - (const unsigned char *)file->data;
		memcpy(info->uimage_name,
		       (const char *)file->data + UIMAGE_NAME_OFFSET,
		       UIMAGE_NAME_LEN);
		if (len < ZIMAGE_HEADER_SIZE ||
		    le32_at(buf + ZIMAGE_MAGIC_OFFSET) != ZIMAGE_MAGIC) {
			km_error("%s: the uImage's payload is not an ARM zImage",
				 file->name);
			return -1;
		}
	}
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
