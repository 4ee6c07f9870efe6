/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef KEXEC_MOD_BOOT_MODE_H
#define KEXEC_MOD_BOOT_MODE_H

#include <linux/types.h>

void kexec_mod_boot_mode_init(void);
bool kexec_mod_boot_hyp(void);

#endif /* KEXEC_MOD_BOOT_MODE_H */
