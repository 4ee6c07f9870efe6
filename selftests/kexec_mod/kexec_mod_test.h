/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers the kexec_mod selftest programs share.
 */
#ifndef KEXEC_MOD_TEST_H
#define KEXEC_MOD_TEST_H

#include <stdio.h>
#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Drop CAP_SYS_BOOT from the effective set, keeping uid 0. */
static inline int drop_cap_sys_boot(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_BOOT)].effective &= ~CAP_TO_MASK(CAP_SYS_BOOT);
	return syscall(SYS_capset, &hdr, data);
}

/* MemFree of /proc/meminfo in KiB, or -1. */
static inline long mem_free_kib(void)
{
	char line[128];
	long kib = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemFree: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

#endif /* KEXEC_MOD_TEST_H */
