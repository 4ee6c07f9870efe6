/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The crash region, where a capture kernel waits (crash_region.c).
 */
#ifndef KEXEC_MOD_CRASH_REGION_H
#define KEXEC_MOD_CRASH_REGION_H

#include <linux/types.h>

int kexec_mod_crash_region_parse(const char *arg, u64 *start, u64 *size);
int kexec_mod_crash_region_init(void);
void kexec_mod_crash_region_exit(void);
u64 kexec_mod_crash_region_start(void);
u64 kexec_mod_crash_region_size(void);

#endif /* KEXEC_MOD_CRASH_REGION_H */
