// SPDX-License-Identifier: GPL-2.0-only
/*
 * The new kernel's command line, as secondary_cpus=park needs it: the
 * bootargs of /chosen in the image's flattened device tree, read from the
 * staged copy r2 points at, and whether they keep that kernel on its boot
 * CPU.  Both read untrusted bytes, so every offset is checked against the
 * buffer.
 */

#include <kunit/visibility.h>
#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bootargs.h"
#include "compat.h"
#include "image.h"
#include "machine_prepare.h"

/* A bound for reading an image's device tree out. */
#define BOOTARGS_FDT_MAX	SZ_4M

/* Flattened device tree tokens. */
#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

/* The parts of a flattened tree the walk reads, checked against its size. */
struct fdt_blocks {
	u32 pos;		/* structure block: first token */
	u32 end;		/* ... and its end */
	const char *strings;	/* strings block */
	u32 size_strings;
};

static bool fdt_blocks_find(const u8 *fdt, u32 size, struct fdt_blocks *b)
{
	u32 off_struct, off_strings, size_struct;

	if (size < KEXEC_MOD_FDT_HEADER)
		return false;
	off_struct = get_unaligned_be32(fdt + 8);
	off_strings = get_unaligned_be32(fdt + 12);
	b->size_strings = get_unaligned_be32(fdt + 32);
	/* size_dt_struct came with version 17 of the format. */
	size_struct = get_unaligned_be32(fdt + 20) >= 17 ?
		      get_unaligned_be32(fdt + 36) : size - off_struct;
	if (off_struct % 4 || off_struct > size ||
	    size_struct > size - off_struct || off_strings > size ||
	    b->size_strings > size - off_strings)
		return false;
	b->strings = (const char *)fdt + off_strings;
	b->pos = off_struct;
	b->end = off_struct + size_struct;
	return true;
}

static bool fdt_is_bootargs(const struct fdt_blocks *b, u32 nameoff)
{
	return nameoff < b->size_strings &&
	       strnlen(b->strings + nameoff, b->size_strings - nameoff) == 8 &&
	       !memcmp(b->strings + nameoff, "bootargs", 8);
}

/**
 * kexec_mod_fdt_bootargs() - the bootargs of /chosen in a flattened tree
 * @fdt: the tree
 * @size: its size in bytes
 * @len: set to the property's length
 *
 * A walk over the structure block, every offset checked against it.
 *
 * Return: the property's value, or NULL when the tree has none or is
 * malformed.
 */
const char *kexec_mod_fdt_bootargs(const u8 *fdt, u32 size, u32 *len)
{
	struct fdt_blocks b;
	u32 pos, token, plen;
	bool in_chosen = false;
	const char *name;
	int depth = 0;
	size_t n;

	if (!fdt_blocks_find(fdt, size, &b))
		return NULL;
	for (pos = b.pos; pos <= b.end && b.end - pos >= 4; ) {
		token = get_unaligned_be32(fdt + pos);
		pos += 4;
		switch (token) {
		case FDT_BEGIN_NODE:
			name = (const char *)fdt + pos;
			n = strnlen(name, b.end - pos);
			if (n == b.end - pos)
				return NULL;
			depth++;
			in_chosen = depth == 2 &&
				    (!strcmp(name, "chosen") ||
				     !strncmp(name, "chosen@", 7));
			pos += ALIGN(n + 1, 4);
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return NULL;
			in_chosen = false;
			break;
		case FDT_PROP:
			if (b.end - pos < 8)
				return NULL;
			plen = get_unaligned_be32(fdt + pos);
			if (plen > b.end - pos - 8)
				return NULL;
			if (in_chosen &&
			    fdt_is_bootargs(&b, get_unaligned_be32(fdt + pos + 4))) {
				*len = plen;
				return (const char *)fdt + pos + 8;
			}
			pos += 8 + ALIGN(plen, 4);
			break;
		case FDT_NOP:
			break;
		default:	/* FDT_END or garbage */
			return NULL;
		}
	}
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_fdt_bootargs);

/**
 * kexec_mod_cmdline_one_cpu() - whether a command line keeps a kernel on
 * its boot CPU
 * @args: the command line
 * @len: its length in bytes, maybe counting a NUL that ends it earlier
 *
 * "nosmp", or a last "maxcpus=" of 0 or 1, as the kernel parses them;
 * words after "--" are init's.
 *
 * Return: true when the kernel would bring up no secondary CPU.
 */
bool kexec_mod_cmdline_one_cpu(const char *args, u32 len)
{
	bool nosmp = false;
	int maxcpus = -1;
	char word[16];
	u32 i = 0, n;

	while (i < len && args[i]) {
		if (isspace(args[i])) {
			i++;
			continue;
		}
		for (n = 0; i + n < len && args[i + n] && !isspace(args[i + n]);
		     n++)
			;
		if (n < sizeof(word)) {
			memcpy(word, args + i, n);
			word[n] = '\0';
			if (!strcmp(word, "--"))
				break;
			if (!strcmp(word, "nosmp"))
				nosmp = true;
			else if (!strncmp(word, "maxcpus=", 8) &&
				 kstrtoint(word + 8, 0, &maxcpus))
				maxcpus = INT_MAX;
		} else if (!strncmp(args + i, "maxcpus=", 8)) {
			maxcpus = INT_MAX;	/* no number this long is 0 or 1 */
		}
		i += n;
	}
	return nosmp || maxcpus == 0 || maxcpus == 1;
}
EXPORT_SYMBOL_IF_KUNIT(kexec_mod_cmdline_one_cpu);

/* The segment r2 points at: a device tree, if the image has one. */
static long bootargs_fdt_segment(const struct kexec_mod_image *image)
{
	unsigned long i;

	for (i = 0; i < image->nr_segments; i++)
		if (image->segment[i].mem == image->boot_params &&
		    image->segment[i].memsz)
			return i;
	return -1;
}

/*
 * The staged device tree of segment @index, copied out (kvfree() it), or
 * an ERR_PTR: -ENOENT when the segment holds none, -EINVAL when its size
 * is out of bounds.
 */
static u8 *bootargs_staged_fdt(const struct kexec_mod_image *image,
			       unsigned long index, u32 *size)
{
	u8 header[KEXEC_MOD_FDT_HEADER];
	u8 *fdt;

	if (image->segment[index].bufsz < sizeof(header) ||
	    kexec_mod_image_read(image, index, 0, header, sizeof(header)) ||
	    get_unaligned_be32(header) != KEXEC_MOD_ARM_FDT_MAGIC)
		return ERR_PTR(-ENOENT);
	*size = get_unaligned_be32(header + 4);
	if (*size < sizeof(header) || *size > image->segment[index].bufsz ||
	    *size > BOOTARGS_FDT_MAX)
		return ERR_PTR(-EINVAL);
	fdt = kvmalloc(*size, GFP_KERNEL);
	if (!fdt)
		return ERR_PTR(-ENOMEM);
	if (kexec_mod_image_read(image, index, 0, fdt, *size)) {
		kvfree(fdt);
		return ERR_PTR(-EINVAL);
	}
	return fdt;
}

/**
 * kexec_mod_image_bootargs() - the command line the new kernel will find
 * @image: a staged image
 * @segment: if not NULL, set to the device tree's segment, or -1
 *
 * Read from the staged copy of the device tree r2 points at, which is
 * what the new kernel gets, whatever the user's buffer holds by now.
 *
 * Return: the bootargs as a string (kfree() it), NULL when the tree has
 * none, or an ERR_PTR: -ENOENT when r2 points at no device tree, -EINVAL
 * for one whose size is out of bounds, -ENOMEM.
 */
char *kexec_mod_image_bootargs(const struct kexec_mod_image *image,
			       long *segment)
{
	long index = bootargs_fdt_segment(image);
	const char *args;
	char *copy = NULL;
	u32 size, len;
	u8 *fdt;

	if (segment)
		*segment = index;
	if (index < 0)
		return ERR_PTR(-ENOENT);
	fdt = bootargs_staged_fdt(image, index, &size);
	if (IS_ERR(fdt))
		return ERR_CAST(fdt);
	args = kexec_mod_fdt_bootargs(fdt, size, &len);
	if (args) {
		copy = kmemdup_nul(args, strnlen(args, len), GFP_KERNEL);
		if (!copy)
			copy = ERR_PTR(-ENOMEM);
	}
	kvfree(fdt);
	return copy;
}
