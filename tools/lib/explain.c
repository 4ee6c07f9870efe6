// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module answers with the errno values kexec_load(2) and reboot(2)
 * use; a user on a board should not have to read the module's source to
 * learn what they mean for them.
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "explain.h"

static const char *kexec_mod_explain_open(int err)
{
	struct stat st;

	switch (err) {
	case ENOENT:
		if (stat("/sys/module/kexec_mod", &st) == 0)
			return "kexec_mod is loaded but " KEXEC_MOD_DEVICE
			       " is missing: is devtmpfs mounted on /dev?";
		return "the kexec_mod module is not loaded: insmod kexec_mod.ko first";
	case EACCES:
	case EPERM:
		return "permission denied: " KEXEC_MOD_DEVICE
		       " is for root only (CAP_SYS_BOOT)";
	case ENODEV:
	case ENXIO:
		return KEXEC_MOD_DEVICE
		       " has no driver: insmod kexec_mod.ko again";
	default:
		return NULL;
	}
}

static const char *kexec_mod_explain_load(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
		return "not permitted: no CAP_SYS_BOOT, loading disabled, or locked down";
	case EBUSY:
		return "another load, unload or exec is running: try again";
	case EINVAL:
		return "the module refused the segments (dmesg | grep kexec_mod says why)";
	case EADDRNOTAVAIL:
		return "a destination is unaligned, or outside the crash region (dmesg says)";
	case ENOMEM:
		return "not enough free kernel memory to stage the image";
	case EFAULT:
		return "the module could not read a buffer of the request";
	case EOPNOTSUPP:
		return "the kernel has kdump of its own: use its kexec -p";
	case ENOTTY:
		return "unknown request: module and tool are different versions";
	default:
		return NULL;
	}
}

static const char *kexec_mod_explain_exec(int err)
{
	switch (err) {
	case ENOENT:
		return "nothing is loaded: load a kernel first (kexec-mod -l)";
	case EPERM:
	case EACCES:
		return "not permitted: no CAP_SYS_BOOT, or loading disabled";
	case EBUSY:
		return "busy, or a CPU did not go offline (see dmesg); still running";
	case EOPNOTSUPP:
		return "SMP kernel without CPU hotplug: boot it with nosmp";
	case EINVAL:
		return "the module could not prepare the jump (see dmesg)";
	case ENOMEM:
		return "out of memory while preparing the jump";
	case ENOTTY:
		return "unknown request: module and tool are different versions";
	default:
		return NULL;
	}
}

static const char *kexec_mod_explain_rehearse(int err)
{
	switch (err) {
	case ENOENT:
		return "nothing is loaded: load a kernel first (kexec-mod -l)";
	case EBUSY:
		return "an exec or a reboot is armed or under way, or a load runs";
	case ENOTTY:
		return "the module predates --rehearse: update it";
	default:
		return kexec_mod_explain_exec(err);
	}
}

/**
 * kexec_mod_explain() - an errno from /dev/kexec in words
 * @req: the request that failed
 * @err: its errno
 *
 * Return: a sentence for the user, or strerror(@err) when the value has
 * no special meaning for @req.
 */
const char *kexec_mod_explain(enum kexec_mod_request req, int err)
{
	const char *text = NULL;

	switch (req) {
	case KEXEC_MOD_REQ_OPEN:
		text = kexec_mod_explain_open(err);
		break;
	case KEXEC_MOD_REQ_LOAD:
	case KEXEC_MOD_REQ_UNLOAD:
		text = kexec_mod_explain_load(err);
		break;
	case KEXEC_MOD_REQ_EXEC:
		text = kexec_mod_explain_exec(err);
		break;
	case KEXEC_MOD_REQ_STATUS:
		if (err == ENOTTY)
			text = kexec_mod_explain_load(err);
		break;
	case KEXEC_MOD_REQ_REHEARSE:
		text = kexec_mod_explain_rehearse(err);
		break;
	}
	return text ? text : strerror(err);
}
