/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ARM half of the exec path, as the trigger sees it.
 */
#ifndef KEXEC_MOD_MACHINE_KEXEC_H
#define KEXEC_MOD_MACHINE_KEXEC_H

#include <linux/compiler.h>
#include <linux/types.h>

struct dentry;
struct kexec_mod_image;
struct kexec_mod_uart;

int kexec_mod_machine_prepare(struct kexec_mod_image *image);
void kexec_mod_machine_cancel(void);
u32 kexec_mod_machine_prepared_mode(void);
u32 kexec_mod_machine_reloc_mode(const struct kexec_mod_image *image);
void __noreturn kexec_mod_machine_kexec(struct kexec_mod_image *image);
int kexec_mod_machine_rehearse(const struct kexec_mod_image *image);
void __noreturn kexec_mod_machine_crash_kexec(const struct kexec_mod_image *image,
					      void *idmap, bool hyp,
					      const struct kexec_mod_uart *uart);
void kexec_mod_machine_debugfs(struct dentry *dir);

void kexec_mod_call_with_stack(void (*fn)(void *), void *arg, void *sp);

#endif /* KEXEC_MOD_MACHINE_KEXEC_H */
