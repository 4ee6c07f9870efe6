/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exec path as seen by the device front.
 */
#ifndef KEXEC_MOD_TRIGGER_H
#define KEXEC_MOD_TRIGGER_H

#include <linux/types.h>

struct kimage;

int kexec_trigger_init(void);
void kexec_trigger_exit(void);
void kexec_trigger_set_image(struct kimage *image);
bool kexec_trigger_armed(void);
int kexec_trigger_exec(struct kimage *image);

#endif /* KEXEC_MOD_TRIGGER_H */
