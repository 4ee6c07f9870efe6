/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel interfaces that changed between the kernels kexec_mod builds
 * against (Linux 6.1 to 6.12), in one place.  The code is written against
 * the newest interface; for an older kernel this header supplies it, keyed
 * on LINUX_VERSION_CODE.  A shim is named kexec_mod_* and the kernel's name
 * is defined to it, so that a vendor kernel which backported the interface
 * still builds.
 */
#ifndef KEXEC_MOD_COMPAT_H
#define KEXEC_MOD_COMPAT_H

#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>

/* ITER_SOURCE, which the staging code uses, came with 6.1. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 1, 0)
#error "kexec_mod needs Linux 6.1 or later"
#endif

/* 6.12 moved <asm/unaligned.h> to <linux/unaligned.h>. */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 12, 0)
#include <asm/unaligned.h>
#else
#include <linux/unaligned.h>
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 4, 0)
/*
 * import_ubuf() came with 6.4 and import_single_range() went in 6.8: one
 * user buffer as an ITER_UBUF iterator, with import_ubuf()'s checks.
 */
static inline int kexec_mod_import_ubuf(int rw, void __user *buf, size_t len,
					struct iov_iter *i)
{
	if (len > MAX_RW_COUNT)
		len = MAX_RW_COUNT;
	if (unlikely(!access_ok(buf, len)))
		return -EFAULT;
	iov_iter_ubuf(i, rw, buf, len);
	return 0;
}

#define import_ubuf kexec_mod_import_ubuf
#endif

/*
 * Whether the kernel has /sys/kernel/kexec_crash_{loaded,size} of its own:
 * with KEXEC_CORE, and since 6.9, when crash dumping was split out of it,
 * with CRASH_DUMP as well.
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 9, 0)
#define KEXEC_MOD_KERNEL_CRASH_SYSFS	IS_ENABLED(CONFIG_KEXEC_CORE)
#else
#define KEXEC_MOD_KERNEL_CRASH_SYSFS	(IS_ENABLED(CONFIG_KEXEC_CORE) && \
					 IS_ENABLED(CONFIG_CRASH_DUMP))
#endif

#endif /* KEXEC_MOD_COMPAT_H */
