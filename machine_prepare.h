/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ARM checks and boot parameters of a new image, the part of the load
 * that arch/arm's machine_kexec_prepare does in the kernel.
 */
#ifndef KEXEC_MOD_MACHINE_PREPARE_H
#define KEXEC_MOD_MACHINE_PREPARE_H

#include <linux/types.h>
#include <asm/byteorder.h>

struct kimage;
struct kimage_reject;
struct kimage_segment;

/* zImage is loaded 32 KiB into RAM; ATAGs sit 4 KiB into RAM. */
#define MACHINE_ZIMAGE_OFFSET	0x8000
#define MACHINE_ATAGS_OFFSET	0x1000

/* First word of a flattened device tree, big-endian. */
#define MACHINE_FDT_MAGIC	0xd00dfeed

phys_addr_t machine_control_limit(void);
int machine_check_memory(const struct kimage_segment *segments,
			 unsigned long nr_segments,
			 struct kimage_reject *reject);
unsigned long machine_pick_boot_params(unsigned long start,
				       const struct kimage_segment *segments,
				       const __be32 *first_words,
				       unsigned long nr_segments);
int machine_prepare(struct kimage *image, struct kimage_reject *reject);
const char *machine_secondaries_refusal(void);
unsigned int machine_secondaries_to_park(void);

#endif /* KEXEC_MOD_MACHINE_PREPARE_H */
