// SPDX-License-Identifier: GPL-2.0-only
/*
 * Module parameters that take one name out of a list (reloc_mode,
 * secondary_cpus): one set and one get for all of them.
 */

#include <linux/compiler.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "param_enum.h"

static int param_enum_set(const char *val, const struct kernel_param *kp)
{
	const struct kexec_mod_param_enum *e = kp->arg;
	int i = __sysfs_match_string(e->names, e->nr, val);

	if (i < 0)
		return i;
	WRITE_ONCE(*e->value, i);
	return 0;
}

static int param_enum_get(char *buffer, const struct kernel_param *kp)
{
	const struct kexec_mod_param_enum *e = kp->arg;

	return sysfs_emit(buffer, "%s\n", e->names[READ_ONCE(*e->value)]);
}

const struct kernel_param_ops kexec_mod_param_enum_ops = {
	.set = param_enum_set,
	.get = param_enum_get,
};
