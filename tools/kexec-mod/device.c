// SPDX-License-Identifier: GPL-2.0-only
/*
 * The requests to /dev/kexec, each failure told in words.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <linux/kexec.h>
#include <linux/kexec_mod.h>

#include "kexec-mod.h"
#include "../lib/explain.h"

/**
 * kdev_open() - open /dev/kexec
 *
 * Return: the descriptor, or -1 after a message saying what is missing.
 */
int kdev_open(void)
{
	int fd = open(KEXEC_MOD_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		km_error("cannot open %s: %s", KEXEC_MOD_DEVICE,
			 kexec_mod_explain(KEXEC_MOD_REQ_OPEN, errno));
	return fd;
}

/**
 * kdev_load_flags() - KEXEC_MOD_LOAD with the kexec_load(2) arguments
 * @fd: /dev/kexec
 * @entry: physical entry point
 * @segments: the segments
 * @nr_segments: how many
 * @flags: KEXEC_ON_CRASH for a capture kernel, else 0
 *
 * Return: 0, or -1 after a message.
 */
int kdev_load_flags(int fd, unsigned long entry,
		    struct kexec_segment *segments, unsigned long nr_segments,
		    unsigned long flags)
{
	struct kexec_mod_load args = {
		.entry = entry,
		.nr_segments = nr_segments,
		.segments = (unsigned long)segments,
		.flags = KEXEC_ARCH_ARM | flags,
	};

	if (ioctl(fd, KEXEC_MOD_LOAD, &args) == 0)
		return 0;
	km_error("loading failed: %s",
		 kexec_mod_explain(KEXEC_MOD_REQ_LOAD, errno));
	return -1;
}

/* kdev_load_flags() for an image to kexec into. */
int kdev_load(int fd, unsigned long entry, struct kexec_segment *segments,
	      unsigned long nr_segments)
{
	return kdev_load_flags(fd, entry, segments, nr_segments, 0);
}

/* Drop the capture kernel: a KEXEC_ON_CRASH load of no segments. */
int kdev_unload_crash(int fd)
{
	return kdev_load_flags(fd, 0, NULL, 0, KEXEC_ON_CRASH);
}

int kdev_unload(int fd)
{
	if (ioctl(fd, KEXEC_MOD_UNLOAD) == 0)
		return 0;
	km_error("unloading failed: %s",
		 kexec_mod_explain(KEXEC_MOD_REQ_UNLOAD, errno));
	return -1;
}

/**
 * kdev_rehearse() - KEXEC_MOD_REHEARSE
 * @fd: /dev/kexec
 * @r: gets the report
 *
 * Return: 0 when every step passed; -1 after a message when one failed
 * (@r says which); 1 after a message when nothing could run (nothing
 * loaded, busy).
 */
int kdev_rehearse(int fd, struct kexec_mod_rehearsal *r)
{
	memset(r, 0, sizeof(*r));
	if (ioctl(fd, KEXEC_MOD_REHEARSE, r) == 0)
		return 0;
	km_error("rehearsal failed: %s",
		 kexec_mod_explain(KEXEC_MOD_REQ_REHEARSE, errno));
	return r->step[0].state ? -1 : 1;
}

int kdev_status(int fd, struct kexec_mod_status *st)
{
	if (ioctl(fd, KEXEC_MOD_STATUS, st) == 0) {
		if (st->abi_version != KEXEC_MOD_ABI_VERSION)
			fprintf(stderr,
				"kexec-mod: warning: the module speaks ABI %u, this tool ABI %d\n",
				st->abi_version, KEXEC_MOD_ABI_VERSION);
		return 0;
	}
	km_error("status failed: %s",
		 kexec_mod_explain(KEXEC_MOD_REQ_STATUS, errno));
	return -1;
}

/**
 * kdev_exec() - boot the loaded kernel
 * @fd: /dev/kexec
 *
 * Filesystems are synced first, as kexec -e does; nothing is unmounted.
 * Whatever stdio still holds goes out first: a successful exec never
 * returns to flush it.
 *
 * Return: only on failure: -1 after a message, the system still running.
 */
int kdev_exec(int fd)
{
	fflush(NULL);
	sync();
	ioctl(fd, KEXEC_MOD_EXEC);
	km_error("exec failed: %s",
		 kexec_mod_explain_exec(fd, errno, "kexec-mod"));
	return -1;
}
