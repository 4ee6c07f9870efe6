/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an exec may do with the secondary CPUs (secondaries.c).
 */
#ifndef KEXEC_MOD_SECONDARIES_H
#define KEXEC_MOD_SECONDARIES_H

struct kexec_mod_image;
struct kexec_mod_reject;

void kexec_mod_arm_secondaries_init(void);
unsigned int kexec_mod_arm_secondaries_to_park(void);
const char *kexec_mod_arm_secondaries_refusal(void);
int kexec_mod_arm_secondaries_check_load(struct kexec_mod_reject *reject);
int kexec_mod_arm_secondaries_check_staged(const struct kexec_mod_image *image,
					   struct kexec_mod_reject *reject);

#endif /* KEXEC_MOD_SECONDARIES_H */
