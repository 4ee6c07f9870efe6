/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The crash path as seen by the device front (crash_kexec.c).
 */
#ifndef KEXEC_MOD_CRASH_KEXEC_H
#define KEXEC_MOD_CRASH_KEXEC_H

#include <linux/types.h>

struct kexec_mod_reject;
struct kexec_mod_segment;

int kexec_mod_crash_init(void);
void kexec_mod_crash_exit(void);
bool kexec_mod_crash_supported(void);
bool kexec_mod_crash_loaded(void);
int kexec_mod_crash_load(unsigned long entry,
			 const struct kexec_mod_segment *segments,
			 unsigned long nr_segments,
			 struct kexec_mod_reject *reject);

#endif /* KEXEC_MOD_CRASH_KEXEC_H */
