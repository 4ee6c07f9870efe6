// SPDX-License-Identifier: GPL-2.0-only
/* Placeholder until the exec path lands: nothing can be triggered yet. */
#include <linux/errno.h>
#include "trigger.h"

int kexec_trigger_init(void)
{
	return 0;
}

void kexec_trigger_exit(void)
{
}

void kexec_trigger_set_image(struct kimage *image)
{
}

bool kexec_trigger_armed(void)
{
	return false;
}

int kexec_trigger_exec(struct kimage *image)
{
	return -EOPNOTSUPP;
}
