// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mode the CPUs were booted in, which decides whether the new kernel
 * is entered in HYP, as soft_restart() does when is_hyp_mode_available().
 * That reads __boot_cpu_mode, which is not exported, and an hvc on a CPU
 * that was not booted in HYP is an undefined instruction with the MMU
 * off: the board hangs.  What __boot_cpu_mode says is printed once, at
 * boot, by the kernel's hyp_mode_check().  The module reads that line
 * when it is loaded, from kernel records only (a line written to
 * /dev/kmsg carries the user facility, whatever its text), and only while
 * the log still begins with the boot; otherwise it does not know, enters
 * the new kernel in SVC and says so.  A CPU without the Virtualization
 * Extensions never gets an hvc, whatever the log or the parameter say.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/kmsg_dump.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <asm/cputype.h>

#include "boot_mode.h"

static int kexec_boot_hyp = -1;
module_param_named(boot_hyp, kexec_boot_hyp, int, 0644);
MODULE_PARM_DESC(boot_hyp,
		 "enter the new kernel in HYP mode: 1 yes, 0 no, -1 (default) as the CPUs were booted");

enum boot_mode {
	BOOT_MODE_UNKNOWN,
	BOOT_MODE_SVC,
	BOOT_MODE_HYP,
};

static enum boot_mode boot_mode;

/* The text of a kernel record ("<N>" with facility 0, so N < 8), or NULL. */
static const char *boot_mode_kernel_text(const char *line)
{
	unsigned int prio = 0;
	const char *p = line;

	if (*p++ != '<')
		return NULL;
	while (*p >= '0' && *p <= '9')
		prio = prio * 10 + (*p++ - '0');
	if (*p != '>' || p == line + 1 || prio >= 8)
		return NULL;
	return p + 1;
}

/* What hyp_mode_check() printed, if the log still holds the boot. */
static enum boot_mode boot_mode_from_log(void)
{
	enum boot_mode mode = BOOT_MODE_UNKNOWN;
	struct kmsg_dump_iter iter;
	bool from_boot = false;
	const char *text;
	char line[192];
	size_t len;

	kmsg_dump_rewind(&iter);
	while (kmsg_dump_get_line(&iter, true, line, sizeof(line) - 1, &len)) {
		line[len] = '\0';
		text = boot_mode_kernel_text(line);
		if (!text)
			continue;
		if (strstr(text, "Booting Linux on physical CPU"))
			from_boot = true;
		else if (from_boot && strstr(text, "CPU: All CPU(s) started in HYP mode."))
			mode = BOOT_MODE_HYP;
		else if (from_boot && strstr(text, "CPU: All CPU(s) started in SVC mode."))
			mode = BOOT_MODE_SVC;
		else if (from_boot && strstr(text, "started in inconsistent modes"))
			mode = BOOT_MODE_SVC;	/* the kernel then uses no HYP */
	}
	return mode;
}

/* ID_PFR1.Virtualization: the CPU has HYP mode at all. */
static bool boot_mode_cpu_has_hyp(void)
{
	return (read_cpuid_ext(CPUID_EXT_PFR1) >> 12) & 0xf;
}

/**
 * kexec_mod_boot_mode_init() - read the boot mode while the log holds it
 *
 * Context: module init.
 */
void kexec_mod_boot_mode_init(void)
{
	boot_mode = boot_mode_from_log();
	switch (boot_mode) {
	case BOOT_MODE_HYP:
		pr_info("CPUs booted in HYP mode (boot log)\n");
		break;
	case BOOT_MODE_SVC:
		pr_info("CPUs booted in SVC mode (boot log)\n");
		break;
	default:
		pr_info("boot mode unknown (the log no longer begins with the boot): new kernels are entered in SVC; boot_hyp=1 if this board boots in HYP\n");
		break;
	}
}

/**
 * kexec_mod_boot_hyp() - whether to enter the new kernel in HYP mode
 *
 * Stands in for is_hyp_mode_available() in the kernel's soft_restart():
 * boot_hyp when set, otherwise the boot mode read at insmod; never on a
 * CPU without HYP mode.
 *
 * Return: true to go back to HYP before jumping.
 */
bool kexec_mod_boot_hyp(void)
{
	int want = READ_ONCE(kexec_boot_hyp);
	bool hyp = want < 0 ? boot_mode == BOOT_MODE_HYP : want;

	if (hyp && !boot_mode_cpu_has_hyp()) {
		pr_warn("boot_hyp: this CPU has no HYP mode; entering the new kernel in SVC\n");
		return false;
	}
	return hyp;
}
