// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree the new kernel boots with: the one given, or the one
 * the running kernel was booted with (/sys/firmware/fdt), with /chosen
 * telling the new kernel its command line and where its initrd is.  The
 * firmware's own linux,initrd-start/end describe the old initrd, which
 * the new kernel must never see: without an initrd they are removed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "kexec-mod.h"

/* Room for /chosen, two initrd properties and their names. */
#define DTB_SLACK	1024

static int dtb_chosen(void *fdt)
{
	int node = fdt_path_offset(fdt, "/chosen");

	if (node == -FDT_ERR_NOTFOUND)
		node = fdt_add_subnode(fdt, 0, "chosen");
	return node;
}

static int dtb_set_addr(void *fdt, int node, const char *name, uint64_t val)
{
	if (val > UINT32_MAX)
		return fdt_setprop_u64(fdt, node, name, val);
	return fdt_setprop_u32(fdt, node, name, (uint32_t)val);
}

static int dtb_del(void *fdt, int node, const char *name)
{
	int err = fdt_delprop(fdt, node, name);

	return err == -FDT_ERR_NOTFOUND ? 0 : err;
}

static int dtb_set_initrd(void *fdt, int node, uint64_t start, uint64_t size)
{
	int err;

	if (!size) {
		err = dtb_del(fdt, node, "linux,initrd-start");
		return err ? err : dtb_del(fdt, node, "linux,initrd-end");
	}
	err = dtb_set_addr(fdt, node, "linux,initrd-start", start);
	return err ? err : dtb_set_addr(fdt, node, "linux,initrd-end",
					start + size);
}

/**
 * dtb_patch() - set /chosen for the new kernel
 * @dtb: the device tree; replaced by the patched, packed copy
 * @cmdline: new bootargs, or NULL to keep the tree's own
 * @initrd: physical address of the initrd
 * @initrd_size: its size; 0 removes the initrd properties
 *
 * Return: 0, or -1 after a message.
 */
int dtb_patch(struct km_file *dtb, const char *cmdline, uint64_t initrd,
	      uint64_t initrd_size)
{
	size_t room;
	void *fdt;
	int node, err;

	if (dtb->size < sizeof(struct fdt_header) ||
	    fdt_check_header(dtb->data) ||
	    fdt_totalsize(dtb->data) > dtb->size) {
		km_error("%s is not a flattened device tree (DTB)", dtb->name);
		return -1;
	}
	room = fdt_totalsize(dtb->data) + DTB_SLACK +
	       (cmdline ? strlen(cmdline) + 1 : 0);
	fdt = malloc(room);
	if (!fdt) {
		km_error("%s: out of memory", dtb->name);
		return -1;
	}

	err = fdt_open_into(dtb->data, fdt, room);
	if (err)
		goto out_err;
	node = dtb_chosen(fdt);
	if (node < 0) {
		err = node;
		goto out_err;
	}
	if (cmdline) {
		err = fdt_setprop_string(fdt, node, "bootargs", cmdline);
		if (err)
			goto out_err;
	}
	err = dtb_set_initrd(fdt, node, initrd, initrd_size);
	if (err)
		goto out_err;
	err = fdt_pack(fdt);
	if (err)
		goto out_err;

	free(dtb->data);
	dtb->data = fdt;
	dtb->size = fdt_totalsize(fdt);
	return 0;

out_err:
	km_error("cannot patch the device tree %s: %s", dtb->name,
		 fdt_strerror(err));
	free(fdt);
	return -1;
}

/**
 * dtb_bootargs() - the command line a device tree carries
 * @dtb: a valid device tree
 *
 * Return: /chosen/bootargs, or NULL when it has none.
 */
const char *dtb_bootargs(const struct km_file *dtb)
{
	int node = fdt_path_offset(dtb->data, "/chosen");
	const char *args;
	int len;

	if (node < 0)
		return NULL;
	args = fdt_getprop(dtb->data, node, "bootargs", &len);
	if (!args || len < 1 || args[len - 1])
		return NULL;
	return args;
}

static bool dtb_read_addr(const void *fdt, int node, const char *name,
			  uint64_t *val)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p || (len != 4 && len != 8))
		return false;
	*val = fdt32_to_cpu(p[0]);
	if (len == 8)
		*val = *val << 32 | fdt32_to_cpu(p[1]);
	return true;
}

/**
 * dtb_print_initrd() - the initrd a device tree announces, read back
 * @out: where to print
 * @dtb: a valid device tree
 *
 * Prints "initrd in dtb: START-END" or "initrd in dtb: none", from the
 * tree itself, so a test sees what the new kernel will see.
 */
void dtb_print_initrd(FILE *out, const struct km_file *dtb)
{
	int node = fdt_path_offset(dtb->data, "/chosen");
	uint64_t start, end;

	if (node >= 0 &&
	    dtb_read_addr(dtb->data, node, "linux,initrd-start", &start) &&
	    dtb_read_addr(dtb->data, node, "linux,initrd-end", &end))
		fprintf(out, "initrd in dtb: 0x%08llx-0x%08llx\n",
			(unsigned long long)start, (unsigned long long)end);
	else if (node >= 0 &&
		 (fdt_getprop(dtb->data, node, "linux,initrd-start", NULL) ||
		  fdt_getprop(dtb->data, node, "linux,initrd-end", NULL)))
		fprintf(out, "initrd in dtb: malformed\n");
	else
		fprintf(out, "initrd in dtb: none\n");
}
