/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a crash image into the crash region (crash_load.c).
 */
#ifndef KEXEC_MOD_CRASH_LOAD_H
#define KEXEC_MOD_CRASH_LOAD_H

#include <linux/types.h>

struct kexec_mod_image;
struct kexec_mod_reject;
struct kexec_mod_segment;

int kexec_mod_crash_check_segments(unsigned long entry,
				   const struct kexec_mod_segment *segments,
				   unsigned long nr_segments, u64 region_start,
				   u64 region_size,
				   struct kexec_mod_reject *reject);
struct kexec_mod_image *
kexec_mod_crash_image_load(unsigned long entry,
			   const struct kexec_mod_segment *segments,
			   unsigned long nr_segments,
			   struct kexec_mod_reject *reject);

#endif /* KEXEC_MOD_CRASH_LOAD_H */
