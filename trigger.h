/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The exec path as seen by the device front.
 */
#ifndef KEXEC_MOD_TRIGGER_H
#define KEXEC_MOD_TRIGGER_H

#include <linux/types.h>

struct dentry;
struct kexec_mod_image;
struct kexec_mod_rehearsal;

int kexec_mod_trigger_init(void);
void kexec_mod_trigger_exit(void);
void kexec_mod_trigger_debugfs(struct dentry *dir);
int kexec_mod_trigger_set_image(struct kexec_mod_image *image);
bool kexec_mod_trigger_armed(void);
bool kexec_mod_trigger_in_flight(void);
int kexec_mod_trigger_exec(struct kexec_mod_image *image);
int kexec_mod_trigger_rehearse(struct kexec_mod_image *image,
			       struct kexec_mod_rehearsal *report);

#endif /* KEXEC_MOD_TRIGGER_H */
