/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ARM half of the exec path, as the trigger sees it.
 */
#ifndef KEXEC_MOD_MACHINE_KEXEC_H
#define KEXEC_MOD_MACHINE_KEXEC_H

#include <linux/compiler.h>
#include <linux/types.h>

struct kimage;

int kexec_machine_prepare_exec(struct kimage *image);
void kexec_machine_cancel_exec(void);
u32 kexec_machine_reloc_mode(const struct kimage *image);
void __noreturn kexec_machine_kexec(struct kimage *image);

void kexec_mod_call_with_stack(void (*fn)(void *), void *arg, void *sp);

#endif /* KEXEC_MOD_MACHINE_KEXEC_H */
