/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ARM checks and boot parameters of a new image, the part of the load
 * that arch/arm's machine_kexec_prepare does in the kernel.
 */
#ifndef KEXEC_MOD_MACHINE_PREPARE_H
#define KEXEC_MOD_MACHINE_PREPARE_H

#include <linux/types.h>
#include <asm/byteorder.h>

struct kexec_mod_image;
struct kexec_mod_reject;
struct kexec_mod_segment;

/* zImage is loaded 32 KiB into RAM; ATAGs sit 4 KiB into RAM. */
#define KEXEC_MOD_ARM_ZIMAGE_OFFSET	0x8000
#define KEXEC_MOD_ARM_ATAGS_OFFSET	0x1000

/* First word of a flattened device tree, big-endian. */
#define KEXEC_MOD_ARM_FDT_MAGIC	0xd00dfeed

void kexec_mod_ram_walk(u64 start, u64 last,
			bool (*fn)(u64 start, u64 end, void *arg), void *arg);
phys_addr_t kexec_mod_arm_control_limit(void);
bool kexec_mod_arm_dest_is_ram(const struct kexec_mod_segment *seg);
unsigned long kexec_mod_arm_boot_params(unsigned long start,
					const struct kexec_mod_segment *segments,
					const __be32 *first_words,
					unsigned long nr_segments);
int kexec_mod_arm_prepare(struct kexec_mod_image *image,
			  struct kexec_mod_reject *reject);

#endif /* KEXEC_MOD_MACHINE_PREPARE_H */
