/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A module parameter that takes one name out of a list (param_enum.c),
 * for module_param_cb() with a struct kexec_mod_param_enum as its arg.
 */
#ifndef KEXEC_MOD_PARAM_ENUM_H
#define KEXEC_MOD_PARAM_ENUM_H

#include <linux/moduleparam.h>
#include <linux/types.h>

/**
 * struct kexec_mod_param_enum - a parameter's names and where its value goes
 * @names: the names, indexed by value
 * @nr: how many there are
 * @value: the index of the name last set
 */
struct kexec_mod_param_enum {
	const char * const *names;
	size_t nr;
	int *value;
};

extern const struct kernel_param_ops kexec_mod_param_enum_ops;

#endif /* KEXEC_MOD_PARAM_ENUM_H */
