// SPDX-License-Identifier: GPL-2.0-only
/*
 * What an exec may do with the secondary CPUs: the secondary_cpus
 * policy, the checks at load time that stand in for the kernel's
 * platform_can_cpu_hotplug() test, and the count of CPUs an exec would
 * leave parked.  A parked CPU waits in a loop inside the old kernel's
 * memory, which the copy and then the new kernel overwrite; it wakes at
 * the next event, and events come unasked: every spin_unlock() on ARMv7
 * ends in an SEV, and WFE or WFI may return for no reason at all (the
 * architecture allows spurious wake-ups).  A parked CPU that wakes runs
 * whatever is there by then.  So parking is only accepted when the new
 * kernel never starts a second CPU and its boot CPU never sends an SEV
 * while the others sleep in memory it is about to use: nosmp, maxcpus=0
 * or maxcpus=1 on its command line, checked on the staged device tree.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kernel_stat.h>
#include <linux/moduleparam.h>
#include <linux/of.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "bootargs.h"
#include "image.h"
#include "param_enum.h"
#include "secondaries.h"

/*
 * secondary_cpus: what an exec may do with the secondary CPUs.  The
 * kernel's own kexec refuses to load on SMP hardware unless the SMP
 * operations have a cpu_kill (platform_can_cpu_hotplug()): a CPU that
 * CPU hotplug only parks keeps waiting in a loop inside the old kernel,
 * in memory the copy and then the new kernel overwrite, and whatever
 * wakes it runs what is there by then.  Neither smp_ops nor that test is
 * exported, so the module goes by the device tree (see
 * arm_cpus_power_off()).  "auto" trusts CPU hotplug where the tree
 * says PSCI or names a SoC known to stop its CPUs (arm_cpu_kill_socs),
 * and refuses elsewhere while a secondary is online or parked;
 * "power-off" is the user's word that the board's own CPU hotplug powers
 * CPUs off; "park" accepts that they stay parked, provided every image
 * asks its kernel for one CPU so that it never wakes them.  Read-only
 * once loaded: the load checks an image against the mode its exec uses.
 */
enum arm_secondaries {
	ARM_SECONDARIES_AUTO,
	ARM_SECONDARIES_POWER_OFF,
	ARM_SECONDARIES_PARK,
};

static const char * const arm_secondaries_names[] = {
	[ARM_SECONDARIES_AUTO] = "auto",
	[ARM_SECONDARIES_POWER_OFF] = "power-off",
	[ARM_SECONDARIES_PARK] = "park",
};

static int arm_secondaries_mode = ARM_SECONDARIES_AUTO;

static struct kexec_mod_param_enum arm_secondaries_param = {
	.names = arm_secondaries_names,
	.nr = ARRAY_SIZE(arm_secondaries_names),
	.value = &arm_secondaries_mode,
};

module_param_cb(secondary_cpus, &kexec_mod_param_enum_ops,
		&arm_secondaries_param, 0444);
MODULE_PARM_DESC(secondary_cpus,
		 "auto (default): exec only where PSCI or a SoC known to (see dmesg at insmod) powers secondary CPUs off; power-off: trust the board's CPU hotplug to; park: leave them parked, every image must boot with nosmp or maxcpus=1");

/* Reasons for the log (see kexec_dev.c), whole for grep. */
static const char arm_cpus_not_off[] =
	"without PSCI, offline secondary CPUs stay parked in memory the new kernel overwrites";
static const char arm_park_no_fdt[] =
	"secondary_cpus=park needs a device tree with the new kernel's command line";
static const char arm_park_bootargs[] =
	"secondary_cpus=park: the new kernel's bootargs must hold nosmp or maxcpus=1";

/*
 * Whether the kernel takes CPUs down through PSCI, whose CPU_OFF really
 * powers them off (psci_smp_ops has a cpu_kill).  The kernel picks those
 * operations when the firmware node it probed offers CPU_ON
 * (psci_smp_available()); PSCI 0.1 lists the functions it has, 0.2 and
 * later have CPU_ON and CPU_OFF by definition.  A board with its own
 * cpu_kill but no PSCI is not recognised: secondary_cpus=power-off.
 */
static bool arm_cpus_off_by_psci_node(void)
{
	static const char * const compatibles[] = {
		"arm,psci-1.0", "arm,psci-0.2", "arm,psci",
	};
	struct device_node *np = NULL;
	const char *method;
	bool psci = false;
	int i;

	if (!IS_ENABLED(CONFIG_ARM_PSCI))
		return false;
	for (i = 0; i < ARRAY_SIZE(compatibles) && !np; i++)
		np = of_find_compatible_node(NULL, NULL, compatibles[i]);
	if (!np)
		return false;
	if (!of_device_is_available(np) ||
	    of_property_read_string(np, "method", &method) ||
	    (strcmp(method, "smc") && strcmp(method, "hvc")))
		goto out_put;
	if (of_device_is_compatible(np, "arm,psci-0.2") ||
	    of_device_is_compatible(np, "arm,psci-1.0"))
		psci = true;
	else
		psci = of_find_property(np, "cpu_on", NULL) &&
		       of_find_property(np, "cpu_off", NULL);
out_put:
	of_node_put(np);
	return psci;
}

/*
 * The same, looked up once: the device tree does not change under a
 * running kernel, and the search walks every node of it (three times),
 * a fixed cost every load paid.
 */
static bool arm_cpus_off_by_psci(void)
{
	static int psci = -1;

	if (READ_ONCE(psci) < 0)
		WRITE_ONCE(psci, arm_cpus_off_by_psci_node());
	return READ_ONCE(psci);
}

/*
 * SoCs whose own CPU hotplug stops a CPU it takes down (powers it off or
 * holds it in reset): their SMP operations have a cpu_kill that does,
 * which is what the kernel's kexec asks of a board before it loads
 * (platform_can_cpu_hotplug()).  The kernel picks those operations by
 * the device tree: by the root node's compatible (a machine
 * descriptor's dt_compat) or by the CPUs' enable-method
 * (CPU_METHOD_OF_DECLARE); an entry matches the same way.  Each names the
 * kernel code that proves it; a board whose SoC is missing here needs
 * secondary_cpus=power-off once its owner has checked the same.
 */
struct arm_cpu_kill_soc {
	const char *compatible;
	const char *enable_method;
	const char *proof;
};

/* The kernel code behind an entry: file under arch/arm/, function, effect. */
#define KILL_PROOF(file, fn, how)	"arch/arm/" file " " fn "(): " how

#define IMX_SRC		KILL_PROOF("mach-imx/hotplug.c", "imx_cpu_kill", \
				   "the SRC holds the core in reset")
#define TEGRA_CAR	KILL_PROOF("mach-tegra/hotplug.c", "tegra_cpu_kill", \
				   "the core is reset, then clock-gated")
#define MESON_AO	KILL_PROOF("mach-meson/platsmp.c", "meson8_smp_cpu_kill", \
				   "the AO domain powers the core off")

/*
 * Only SoCs whose cpu_kill really stops the core: OMAP4/5, SoCFPGA and
 * the Armada boards have one that returns at once and leaves the core in
 * a loop of the old kernel (the kernel's own kexec trusts them all the
 * same), and those matched by more than the device tree's compatible or
 * enable-method (sunxi and Exynos MCPM, hip04, the Versatile Express
 * TC2) are left to secondary_cpus=power-off.
 */
static const struct arm_cpu_kill_soc arm_cpu_kill_socs[] = {
	{ .compatible = "fsl,imx6q", .proof = IMX_SRC },
	{ .compatible = "fsl,imx6dl", .proof = IMX_SRC },
	{ .compatible = "fsl,imx6qp", .proof = IMX_SRC },
	{ .compatible = "fsl,imx7d",
	  .proof = KILL_PROOF("mach-imx/hotplug.c", "imx_cpu_kill",
			      "the GPC powers the core down") },
	{ .compatible = "xlnx,zynq-7000",
	  .proof = KILL_PROOF("mach-zynq/platsmp.c", "zynq_cpu_kill",
			      "the SLCR holds the core in reset, its clock stopped") },
	{ .compatible = "nvidia,tegra20", .proof = TEGRA_CAR },
	{ .compatible = "nvidia,tegra30", .proof = TEGRA_CAR },
	{ .compatible = "nvidia,tegra114", .proof = TEGRA_CAR },
	{ .compatible = "nvidia,tegra124", .proof = TEGRA_CAR },
	{ .compatible = "renesas,r8a7779",
	  .proof = KILL_PROOF("mach-shmobile/smp-r8a7779.c", "r8a7779_cpu_kill",
			      "the SYSC powers the core off") },
	{ .enable_method = "rockchip,rk3066-smp",
	  .proof = KILL_PROOF("mach-rockchip/platsmp.c", "rockchip_cpu_kill",
			      "the core is reset and powered off through the PMU") },
	{ .enable_method = "renesas,apmu",
	  .proof = KILL_PROOF("mach-shmobile/platsmp-apmu.c",
			      "shmobile_smp_apmu_cpu_kill",
			      "the APMU powers the core off") },
	{ .enable_method = "amlogic,meson8-smp", .proof = MESON_AO },
	{ .enable_method = "amlogic,meson8b-smp", .proof = MESON_AO },
	{ .enable_method = "marvell,berlin-smp",
	  .proof = KILL_PROOF("mach-berlin/platsmp.c", "berlin_cpu_kill",
			      "the core is put in reset") },
	{ .enable_method = "hisilicon,hi3620-smp",
	  .proof = KILL_PROOF("mach-hisi/hotplug.c", "hi3xxx_cpu_kill",
			      "the core is disabled and held in reset") },
};

/*
 * The enable-method the kernel goes by: the first string of the first
 * CPU node that has one, else of /cpus (set_smp_ops_by_method()).
 */
static bool arm_cpus_enable_method_is(const char *method)
{
	struct device_node *cpus, *cpu;
	const char *first;

	for_each_of_cpu_node(cpu) {
		if (!of_property_read_string(cpu, "enable-method", &first)) {
			of_node_put(cpu);
			return !strcmp(first, method);
		}
	}
	cpus = of_find_node_by_path("/cpus");
	if (!cpus)
		return false;
	if (of_property_read_string(cpus, "enable-method", &first))
		first = NULL;
	of_node_put(cpus);
	return first && !strcmp(first, method);
}

/* The entry of arm_cpu_kill_socs this board matches, or NULL. */
static const struct arm_cpu_kill_soc *arm_cpu_kill_soc_lookup(void)
{
	const struct arm_cpu_kill_soc *soc;

	for (soc = arm_cpu_kill_socs;
	     soc < arm_cpu_kill_socs + ARRAY_SIZE(arm_cpu_kill_socs); soc++) {
		if (soc->compatible && of_machine_is_compatible(soc->compatible))
			return soc;
		if (soc->enable_method &&
		    arm_cpus_enable_method_is(soc->enable_method))
			return soc;
	}
	return NULL;
}

/* The board's entry, looked up at insmod: the device tree stays put. */
static const struct arm_cpu_kill_soc *arm_cpu_kill_soc;

/*
 * Whether a CPU that CPU hotplug takes down is powered off, not parked:
 * the module's stand-in for platform_can_cpu_hotplug().
 */
static bool arm_cpus_power_off(void)
{
	return arm_secondaries_mode == ARM_SECONDARIES_POWER_OFF ||
	       arm_cpus_off_by_psci() || arm_cpu_kill_soc;
}

/**
 * kexec_mod_arm_secondaries_init() - say how secondary CPUs will be stopped
 *
 * Context: module init.  One line, so that a board owner sees at insmod
 * whether the board is recognised, and by what.
 */
void kexec_mod_arm_secondaries_init(void)
{
	const struct arm_cpu_kill_soc *soc = arm_cpu_kill_soc_lookup();

	arm_cpu_kill_soc = soc;
	if (num_possible_cpus() == 1)
		return;
	if (arm_secondaries_mode != ARM_SECONDARIES_AUTO)
		pr_info("secondary CPUs: secondary_cpus=%s\n",
			arm_secondaries_names[arm_secondaries_mode]);
	else if (arm_cpus_off_by_psci())
		pr_info("secondary CPUs: powered off by PSCI\n");
	else if (soc)
		pr_info("secondary CPUs: powered off by the SoC's CPU hotplug (%s: %s)\n",
			soc->compatible ? soc->compatible : soc->enable_method,
			soc->proof);
	else
		pr_info("secondary CPUs: no PSCI and no SoC known to power them off; loads are refused while one runs (secondary_cpus=)\n");
}

/**
 * kexec_mod_arm_secondaries_to_park() - how many secondary CPUs an exec would
 * leave parked in the old kernel's memory
 *
 * Those are the online secondaries, which the exec takes offline, and the
 * present CPUs that went offline after running this kernel: an online CPU
 * takes its tick and IPIs, one that never came up (a CPU the device tree
 * declares but the machine lacks, or one maxcpus= held back) took no
 * interrupt at all.  CPUs that are powered off count for nothing.
 *
 * Return: the number of CPUs, 0 where none would be parked.
 */
unsigned int kexec_mod_arm_secondaries_to_park(void)
{
	unsigned int cpu, ran = 0;

	if (arm_cpus_power_off())
		return 0;
	for_each_present_cpu(cpu)
		if (cpu_online(cpu) || kstat_cpu(cpu).irqs_sum)
			ran++;
	return ran > 1 ? ran - 1 : 0;
}

/**
 * kexec_mod_arm_secondaries_refusal() - why an exec must not go on with the
 * secondary CPUs as CPU hotplug leaves them
 *
 * Context: the exec's pre-flight, before any CPU is taken offline.
 *
 * Return: NULL when it may (no CPU would be left parked, or
 * secondary_cpus=park accepts that), else the reason, for the log.
 */
const char *kexec_mod_arm_secondaries_refusal(void)
{
	if (arm_secondaries_mode == ARM_SECONDARIES_PARK ||
	    !kexec_mod_arm_secondaries_to_park())
		return NULL;
	return arm_cpus_not_off;
}

/**
 * kexec_mod_arm_secondaries_check_load() - the policy's verdict at load time
 * @reject: filled in on failure
 *
 * As the kernel's machine_kexec_prepare() refuses SMP hardware whose CPU
 * hotplug cannot power CPUs off (platform_can_cpu_hotplug()), first of
 * its checks: refused here while a secondary is online or parked, unless
 * secondary_cpus=park accepts that (then the image is checked once
 * staged, kexec_mod_arm_secondaries_check_staged()).  The kernel refuses
 * whenever more than one CPU is possible; a device tree that declares
 * more CPUs than the board has would then make kexec impossible even on
 * one CPU.  The exec checks again, for CPUs brought up later.
 *
 * Return: 0 or -EINVAL.
 */
int kexec_mod_arm_secondaries_check_load(struct kexec_mod_reject *reject)
{
	if (num_possible_cpus() == 1 ||
	    arm_secondaries_mode == ARM_SECONDARIES_PARK ||
	    !kexec_mod_arm_secondaries_to_park())
		return 0;
	reject->segment = -1;
	reject->reason = arm_cpus_not_off;
	return -EINVAL;
}

/**
 * kexec_mod_arm_secondaries_check_staged() - secondary_cpus=park's rule
 * @image: the image, staged
 * @reject: filled in on failure
 *
 * With secondary_cpus=park on an SMP kernel, the device tree r2 points at
 * must give the new kernel a command line that keeps it on one CPU.  The
 * staged copy is checked, not the user's buffer, which another thread may
 * have rewritten between a check and the staging.
 *
 * Return: 0, -EINVAL, or -ENOMEM.
 */
int kexec_mod_arm_secondaries_check_staged(const struct kexec_mod_image *image,
					   struct kexec_mod_reject *reject)
{
	char *args;
	bool one_cpu;

	if (arm_secondaries_mode != ARM_SECONDARIES_PARK ||
	    num_possible_cpus() == 1)
		return 0;
	args = kexec_mod_image_bootargs(image, &reject->segment);
	if (IS_ERR(args)) {
		switch (PTR_ERR(args)) {
		case -ENOENT:
			reject->reason = arm_park_no_fdt;
			return -EINVAL;
		case -ENOMEM:
			reject->reason = "out of memory";
			return -ENOMEM;
		default:
			reject->reason = "device tree size out of bounds";
			return -EINVAL;
		}
	}
	one_cpu = args && kexec_mod_cmdline_one_cpu(args, strlen(args));
	kfree(args);
	if (one_cpu)
		return 0;
	reject->reason = arm_park_bootargs;
	return -EINVAL;
}
