/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The new kernel's command line (bootargs.c).
 */
#ifndef KEXEC_MOD_BOOTARGS_H
#define KEXEC_MOD_BOOTARGS_H

#include <linux/types.h>

/* The header of a flattened device tree, up to size_dt_struct. */
#define KEXEC_MOD_FDT_HEADER	40

const char *kexec_mod_fdt_bootargs(const u8 *fdt, u32 size, u32 *len);
bool kexec_mod_cmdline_one_cpu(const char *args, u32 len);

struct kexec_mod_image;
char *kexec_mod_image_bootargs(const struct kexec_mod_image *image,
			       long *segment);

#endif /* KEXEC_MOD_BOOTARGS_H */
