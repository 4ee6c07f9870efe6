// SPDX-License-Identifier: GPL-2.0-only
/*
 * The module answers with the errno values kexec_load(2) and reboot(2)
 * use; a user on a board should not have to read the module's source to
 * learn what they mean for them.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <linux/kexec_mod.h>

#include "explain.h"

/* klogctl(2) actions: the size of the kernel log, and all of it. */
#define KLOG_READ_ALL		3
#define KLOG_SIZE_BUFFER	10

/* What the module prints before each reason it refuses an exec for. */
#define EXEC_REFUSAL		"kexec_mod: cannot kexec: "

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

/*
 * The reason of the module's last "cannot kexec:" line in the kernel
 * log, copied to @buf.  False when there is none or the log cannot be
 * read (no CAP_SYSLOG with dmesg_restrict set).
 */
static bool kexec_mod_log_refusal(char *buf, size_t size)
{
	int len = klogctl(KLOG_SIZE_BUFFER, NULL, 0);
	char *log, *p, *last = NULL;
	bool found = false;

	if (len <= 0)
		return false;
	log = malloc(len + 1);
	if (!log)
		return false;
	len = klogctl(KLOG_READ_ALL, log, len);
	if (len > 0) {
		log[len] = '\0';
		for (p = log; (p = strstr(p, EXEC_REFUSAL)); p++)
			last = p + strlen(EXEC_REFUSAL);
	}
	if (last) {
		snprintf(buf, size, "%.*s", (int)strcspn(last, "\n"), last);
		found = true;
	}
	free(log);
	return found;
}

/*
 * EOPNOTSUPP from an exec has three causes, which the module tells
 * apart only in its log: reloc_mode=mmu-on forced where the MMU-on copy
 * cannot be had (also in the status, checked first as the exec checks
 * it first), a secondary CPU an exec would leave parked, and an SMP
 * kernel without CPU hotplug.
 */
static const char explain_reloc_mode[] =
	"reloc_mode=mmu-on is forced but cannot be had for this image: set it to auto";
static const char explain_parked[] =
	"a CPU brought up after the load would stay parked (no PSCI): reboot with maxcpus=1";
static const char explain_no_hotplug[] =
	"SMP kernel without CPU hotplug: boot the running kernel with nosmp or maxcpus=1";
static const char explain_refused[] =
	"refused: reloc_mode, a parked CPU or no CPU hotplug (dmesg | grep kexec_mod)";

static const char *kexec_mod_explain_refused(int fd)
{
	static char text[320];
	struct kexec_mod_status st;
	char reason[200];

	if (ioctl(fd, KEXEC_MOD_STATUS, &st) == 0 && st.loaded &&
	    st.reloc_mode == KEXEC_MOD_RELOC_NONE)
		return explain_reloc_mode;
	if (!kexec_mod_log_refusal(reason, sizeof(reason)))
		return explain_refused;
	if (strstr(reason, "stay parked"))
		return explain_parked;
	if (strstr(reason, "CONFIG_HOTPLUG_CPU"))
		return explain_no_hotplug;
	snprintf(text, sizeof(text), "refused: %s", reason);
	return text;
}

/**
 * kexec_mod_explain_exec() - why an exec failed, in words
 * @fd: /dev/kexec, still open: the status tells some causes apart
 * @err: the errno of KEXEC_MOD_EXEC (or of reboot(2) through the library)
 * @tool: the command that loads, for the advice: "kexec-mod" or "kexec"
 *
 * Return: a sentence for the user, valid until the next call.
 */
const char *kexec_mod_explain_exec(int fd, int err, const char *tool)
{
	static char text[128];

	switch (err) {
	case ENOENT:
		snprintf(text, sizeof(text),
			 "nothing is loaded: load a kernel first (%s -l)", tool);
		return text;
	case EPERM:
	case EACCES:
		return "not permitted: no CAP_SYS_BOOT, or loading disabled";
	case EBUSY:
		return "busy, or a CPU did not go offline (see dmesg); still running";
	case EOPNOTSUPP:
		return kexec_mod_explain_refused(fd);
	case EINVAL:
		return "the module could not prepare the jump (see dmesg)";
	case ENOMEM:
		return "out of memory while preparing the jump";
	case ENOTTY:
		return kexec_mod_explain_load(err);
	default:
		return strerror(err);
	}
}

static const char *kexec_mod_explain_rehearse(int err)
{
	switch (err) {
	case ENOENT:
		return "nothing is loaded: load a kernel first (kexec-mod -l)";
	case EBUSY:
		return "an exec or a reboot is armed or under way, or a load runs";
	case EOPNOTSUPP:
		return "a step was refused as the exec would refuse it (see the report and dmesg)";
	case ENOTTY:
		return "the module predates --rehearse: update it";
	default:
		return NULL;
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
