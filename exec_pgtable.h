/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The translation tables the exec switches to (exec_pgtable.c): the
 * identity map the jump into the stub goes through, and the copy table
 * the stub copies with when the MMU stays on.  One of each at a time,
 * owned by the exec path, which serialises its callers.
 */
#ifndef KEXEC_MOD_EXEC_PGTABLE_H
#define KEXEC_MOD_EXEC_PGTABLE_H

#include <linux/types.h>

struct dentry;
struct kexec_mod_image;
struct kexec_mod_uart;
struct page;

void kexec_mod_pgtable_init(void);
void kexec_mod_pgtable_debugfs(struct dentry *dir);
u32 kexec_mod_exec_ttbcr(void);
u64 kexec_mod_ttbr_save(u32 *ttbcr);
u64 kexec_mod_idmap_top(void);
bool kexec_mod_idmap_fits(phys_addr_t phys, size_t len);
int kexec_mod_pgtable_alloc(void);
void kexec_mod_pgtable_free(void);
int kexec_mod_copy_table_prepare(const struct kexec_mod_image *image,
				 const struct kexec_mod_uart *uart,
				 bool create, const char **why);
u64 kexec_mod_copy_table_ttbr(void);
u64 kexec_mod_idmap_build(phys_addr_t control,
			  const struct kexec_mod_uart *uart);
u64 kexec_mod_idmap_build_at(void *table, phys_addr_t control,
			     const struct kexec_mod_uart *uart);
struct page *kexec_mod_idmap_alloc(void);
void kexec_mod_idmap_release(struct page *page);

#endif /* KEXEC_MOD_EXEC_PGTABLE_H */
