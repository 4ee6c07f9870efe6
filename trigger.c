// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trigger: from "exec the loaded image" to the point of no return.
 *
 * The kernel's kernel_kexec() does restart-prepare, CPU shutdown and
 * machine_kexec() itself, none of which a module can call without
 * CONFIG_KEXEC.  The route taken here uses exported functions only:
 *
 *   pre-flight   ARM checks and allocations, then secondary CPUs offline
 *                with remove_cpu(); any failure undoes all of it.
 *   arm          remember the image for the restart handler.
 *   commit       kernel_restart(): reboot notifiers, usermode helpers off,
 *                device shutdown, migration to the reboot CPU, syscore
 *                shutdown, then machine_restart() and the restart handler
 *                chain, where this module's handler runs first and does
 *                not return.
 *
 * With kexec_on_reboot set, an ordinary reboot takes the same route: a
 * reboot notifier runs the pre-flight and arms the loaded image.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/fault-inject.h>
#include <linux/kexec_mod.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/panic_notifier.h>
#include <linux/pci.h>
#include <linux/reboot.h>
#include <linux/sched.h>
#include <linux/suspend.h>

#include "image.h"
#include "machine_kexec.h"
#include "machine_prepare.h"
#include "secondaries.h"
#include "trigger.h"

static bool kexec_on_reboot;
module_param(kexec_on_reboot, bool, 0644);
MODULE_PARM_DESC(kexec_on_reboot,
		 "an ordinary reboot boots the loaded image (like systemctl kexec)");

/*
 * Fault injection the kernel's way, for the tests: where the kernel has
 * CONFIG_FAULT_INJECTION_DEBUG_FS, debugfs kexec_mod/fail_cpu_offline is
 * a fault attribute (probability, times, interval, ...) that makes the
 * CPU offline step of an exec fail after it took the secondaries down,
 * as if the last one had refused, to exercise the path that brings them
 * back.  Without fault injection there is nothing to set.
 */
#ifdef CONFIG_FAULT_INJECTION
static DECLARE_FAULT_ATTR(kexec_fail_cpu_offline);
#endif

static bool kexec_should_fail_cpu_offline(void)
{
#ifdef CONFIG_FAULT_INJECTION
	/*
	 * /proc/self/fail-nth counts every should_fail() call of the task,
	 * this one included, and returns false for each before the Nth,
	 * whatever the attribute says.  A countdown still running here was
	 * aimed at an allocation of this exec and outlived them all: fail
	 * as well, so that a test can never let an exec through.
	 */
	return should_fail(&kexec_fail_cpu_offline, 1) ||
	       READ_ONCE(current->fail_nth);
#else
	return false;
#endif
}

/* Serialises the pre-flight and protects the two image pointers. */
static DEFINE_MUTEX(kexec_trigger_lock);

/* The image the device front has loaded, or NULL. */
static struct kexec_mod_image *kexec_loaded_image;

/*
 * The image the restart handler will start, set once the pre-flight
 * passed.  Read without the lock by the handler, which runs with IRQs off
 * on the last CPU.
 */
static struct kexec_mod_image *kexec_armed_image;

/* The task whose exec has armed the image and runs kernel_restart(). */
static struct task_struct *kexec_exec_task;

/* A reboot, halt or power-off has begun: no exec any more. */
static bool kexec_reboot_under_way;

/* Registered while an image is armed (kexec_restart_register()). */
static struct sys_off_handler *kexec_restart_handler;

/* Registered for the module's life: tells an orderly restart apart. */
static struct sys_off_handler *kexec_restart_prepare_handler;

/* Secondary CPUs this module took offline, to bring back on failure. */
static struct cpumask kexec_offlined_cpus;

static void kexec_cpus_restore(void)
{
	unsigned int cpu;
	int err;

	for_each_cpu(cpu, &kexec_offlined_cpus) {
		err = add_cpu(cpu);
		if (err)
			pr_warn("CPU %u did not come back online: %d\n",
				cpu, err);
	}
	cpumask_clear(&kexec_offlined_cpus);
}

/*
 * remove_cpu() for every online CPU but the first, remembering each in
 * kexec_offlined_cpus; if one refuses, the others come back.
 */
static int kexec_cpus_remove(void)
{
	struct cpumask targets;
	unsigned int cpu;
	int err;

	cpumask_clear(&kexec_offlined_cpus);
	if (num_online_cpus() == 1)
		return 0;
	if (!IS_ENABLED(CONFIG_HOTPLUG_CPU)) {
		pr_err("cannot kexec: SMP kernel without CONFIG_HOTPLUG_CPU cannot stop its secondary CPUs\n");
		return -EOPNOTSUPP;
	}

	cpumask_copy(&targets, cpu_online_mask);
	cpumask_clear_cpu(cpumask_first(cpu_online_mask), &targets);
	for_each_cpu(cpu, &targets) {
		err = remove_cpu(cpu);
		if (err) {
			pr_err("cannot kexec: CPU %u did not go offline: %d\n",
			       cpu, err);
			kexec_cpus_restore();
			return err;
		}
		cpumask_set_cpu(cpu, &kexec_offlined_cpus);
	}
	return 0;
}

/*
 * Take every online CPU but the first offline, as machine_shutdown() does
 * for the kernel's kexec: a secondary merely stopped would keep running
 * (or spinning) in memory the new kernel is about to be copied over.
 * That holds only where going offline powers a CPU off; elsewhere the
 * exec is refused unless secondary_cpus=park accepted them parked (and
 * the load made sure the image boots on one CPU).  Hotplug stays disabled
 * afterwards so that none comes back before the restart, which nothing
 * undoes: once this succeeded, the caller arms the image.
 */
static int kexec_cpus_offline(void)
{
	unsigned int parked;
	const char *refusal;
	int err;

	refusal = kexec_mod_arm_secondaries_refusal();
	if (refusal) {
		pr_err_ratelimited("cannot kexec: %s\n", refusal);
		return -EOPNOTSUPP;
	}
	parked = kexec_mod_arm_secondaries_to_park();

	err = kexec_cpus_remove();
	if (err)
		return err;

	cpu_hotplug_disable();
	/*
	 * Someone may have brought a CPU up between our calls, one that
	 * would now be parked where the refusal above did not see it.
	 */
	if (num_online_cpus() > 1 ||
	    kexec_mod_arm_secondaries_to_park() > parked) {
		pr_err("cannot kexec: a CPU came back online\n");
		err = -EBUSY;
		goto out_enable;
	}
	if (kexec_should_fail_cpu_offline()) {
		pr_err("cannot kexec: CPU offline failure injected\n");
		err = -EBUSY;
		goto out_enable;
	}
	if (parked)
		pr_warn("secondary_cpus=park: %u secondary CPUs left parked in memory the new kernel overwrites\n",
			parked);
	return 0;

out_enable:
	cpu_hotplug_enable();
	kexec_cpus_restore();
	return err;
}

/* The restart handler's priority: the highest, so that it runs first. */
#define KEXEC_RESTART_PRIO	255

static int kexec_restart(struct sys_off_data *data);

/*
 * The restart handler is registered when an image is armed, with the
 * registration that refuses a priority someone else holds: a handler
 * queued ahead of this one would reset the board instead.
 */
static int kexec_restart_register(void)
{
	struct sys_off_handler *handler;

	handler = register_sys_off_handler(SYS_OFF_MODE_RESTART,
					   KEXEC_RESTART_PRIO, kexec_restart,
					   NULL);
	if (IS_ERR(handler)) {
		if (PTR_ERR(handler) == -EBUSY)
			pr_err("cannot kexec: another restart handler holds priority %d and would reset the board first\n",
			       KEXEC_RESTART_PRIO);
		return PTR_ERR(handler);
	}
	kexec_restart_handler = handler;
	return 0;
}

static void kexec_restart_unregister(void)
{
	unregister_sys_off_handler(kexec_restart_handler);
	kexec_restart_handler = NULL;
}

/*
 * Everything that can fail, in an order that can be undone; on success
 * the image is armed and only kernel_restart() is left.
 */
static int kexec_trigger_arm(struct kexec_mod_image *image)
{
	int err;

	lockdep_assert_held(&kexec_trigger_lock);

	if (kexec_armed_image)
		return -EBUSY;

	err = kexec_restart_register();
	if (err)
		return err;

	err = kexec_mod_machine_prepare(image);
	if (err)
		goto out_unregister;

	err = kexec_cpus_offline();
	if (err)
		goto out_cancel;

	/*
	 * From here only kernel_restart() is left, which never returns:
	 * the armed image and the module's code stay until the jump.  The
	 * image is pinned by kexec_mod_trigger_set_image(), the module here.
	 */
	__module_get(THIS_MODULE);
	WRITE_ONCE(kexec_armed_image, image);
	return 0;

out_cancel:
	kexec_mod_machine_cancel();
out_unregister:
	kexec_restart_unregister();
	return err;
}

/*
 * Set by the restart-prepare handler, which kernel_restart() alone calls,
 * after device_shutdown(): the orderly restart the image was armed for
 * has reached its end.  emergency_restart() (panic, sysrq-b, a watchdog)
 * walks the restart handlers without it.
 */
static bool kexec_restart_prepared;

/* Set by the panic notifier: from here on, only the board's reset. */
static bool kexec_panicked;

/*
 * First in the restart handler chain: everything the kernel's kexec does
 * between device shutdown and machine_kexec() has been done by
 * kernel_restart() when this is called.  The kernel never starts its
 * image from a panic's emergency restart (only a crash kernel, through
 * crash_kexec()): a half shut-down system with DMA possibly running
 * resets instead, and so does a restart that did not come through
 * kernel_restart() to its end.
 */
static int kexec_restart(struct sys_off_data *data)
{
	struct kexec_mod_image *image = READ_ONCE(kexec_armed_image);

	if (!image || !READ_ONCE(kexec_restart_prepared) ||
	    READ_ONCE(kexec_panicked))
		return NOTIFY_DONE;

	pr_notice("Starting new kernel\n");
	kexec_mod_machine_kexec(image);
}

/*
 * What pci_device_shutdown() does for a kexec: the kernel clears bus
 * mastering on every PCI device it can still reach (D0 to D3hot) so that
 * none goes on with DMA into memory the new kernel is about to use.  It
 * does so only when kexec_in_progress, which a module cannot set (and
 * which does not exist without CONFIG_KEXEC_CORE); an ordinary restart
 * leaves DMA to the firmware's reset.  So the module does it here, after
 * device_shutdown() and before the jump.
 */
static void kexec_pci_stop_bus_masters(void)
{
#ifdef CONFIG_PCI
	struct pci_dev *pdev = NULL;

	for_each_pci_dev(pdev) {
		pci_power_t state = pdev->current_state;

		/* D0 to D3hot, without ordering sparse's restricted type. */
		if (state == PCI_D0 || state == PCI_D1 || state == PCI_D2 ||
		    state == PCI_D3hot)
			pci_clear_master(pdev);
	}
#endif
}

static int kexec_restart_prepare(struct sys_off_data *data)
{
	if (READ_ONCE(kexec_armed_image)) {
		kexec_pci_stop_bus_masters();
		WRITE_ONCE(kexec_restart_prepared, true);
	}
	return NOTIFY_DONE;
}

static int kexec_panic_notify(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	WRITE_ONCE(kexec_panicked, true);
	return NOTIFY_DONE;
}

static struct notifier_block kexec_panic_nb = {
	.notifier_call = kexec_panic_notify,
	.priority = INT_MAX,
};

/*
 * The first reboot notifier: a reboot, halt or power-off has begun.  An
 * exec started later is refused; a reboot that comes while an exec runs
 * kernel_restart() waits here for the jump instead of running a second
 * device_shutdown() beside it.  Where the kernel has PM_SLEEP, reboot(2)
 * and the exec already exclude each other through the system transition
 * lock; this covers kernels without it and kernel_restart() callers that
 * do not take it.
 */
static int kexec_reboot_begin(struct notifier_block *nb, unsigned long action,
			      void *data)
{
	struct task_struct *exec_task;

	mutex_lock(&kexec_trigger_lock);
	exec_task = kexec_exec_task;
	if (!exec_task)
		kexec_reboot_under_way = true;
	mutex_unlock(&kexec_trigger_lock);
	if (!exec_task || exec_task == current)
		return NOTIFY_DONE;

	pr_info("a reboot came during the exec: it waits for the jump\n");
	for (;;)
		schedule_timeout_uninterruptible(MAX_SCHEDULE_TIMEOUT);
}

static struct notifier_block kexec_reboot_begin_nb = {
	.notifier_call = kexec_reboot_begin,
	.priority = INT_MAX,
};

/*
 * kexec_on_reboot: arm the loaded image while an ordinary reboot runs its
 * notifiers.  Registered at the lowest priority so that the other
 * notifiers still see every CPU online.
 */
static int kexec_reboot_notify(struct notifier_block *nb,
			       unsigned long action, void *data)
{
	int err;

	if (action != SYS_RESTART || !READ_ONCE(kexec_on_reboot))
		return NOTIFY_DONE;

	mutex_lock(&kexec_trigger_lock);
	if (kexec_loaded_image && !kexec_armed_image) {
		err = kexec_trigger_arm(kexec_loaded_image);
		if (err)
			pr_warn("kexec_on_reboot: %d, rebooting normally\n",
				err);
		else
			pr_info("kexec_on_reboot: rebooting into the loaded kernel\n");
	}
	mutex_unlock(&kexec_trigger_lock);
	return NOTIFY_DONE;
}

static struct notifier_block kexec_reboot_nb = {
	.notifier_call = kexec_reboot_notify,
	.priority = INT_MIN,
};

/**
 * kexec_mod_trigger_init() - register the notifiers and restart-prepare handler
 *
 * Context: module init.  The restart handler itself is registered only
 * while an image is armed, so ordinary reboots, panics and emergency
 * restarts behave as before while the module is loaded.
 *
 * Return: 0 or the error of a registration.
 */
int kexec_mod_trigger_init(void)
{
	struct sys_off_handler *handler;
	int err;

	handler = register_sys_off_handler(SYS_OFF_MODE_RESTART_PREPARE,
					   SYS_OFF_PRIO_DEFAULT,
					   kexec_restart_prepare, NULL);
	if (IS_ERR(handler))
		return PTR_ERR(handler);
	kexec_restart_prepare_handler = handler;

	err = register_reboot_notifier(&kexec_reboot_begin_nb);
	if (err)
		goto out_prepare;
	err = register_reboot_notifier(&kexec_reboot_nb);
	if (err)
		goto out_begin;
	atomic_notifier_chain_register(&panic_notifier_list, &kexec_panic_nb);
	return 0;

out_begin:
	unregister_reboot_notifier(&kexec_reboot_begin_nb);
out_prepare:
	unregister_sys_off_handler(kexec_restart_prepare_handler);
	return err;
}

/**
 * kexec_mod_trigger_debugfs() - the trigger's fault attribute in debugfs
 * @dir: the module's debugfs directory
 *
 * Context: module init, after kexec_mod_trigger_init(); removed with @dir.
 */
void kexec_mod_trigger_debugfs(struct dentry *dir)
{
#ifdef CONFIG_FAULT_INJECTION_DEBUG_FS
	fault_create_debugfs_attr("fail_cpu_offline", dir,
				  &kexec_fail_cpu_offline);
#endif
}

/**
 * kexec_mod_trigger_exit() - undo kexec_mod_trigger_init()
 */
void kexec_mod_trigger_exit(void)
{
	atomic_notifier_chain_unregister(&panic_notifier_list, &kexec_panic_nb);
	unregister_reboot_notifier(&kexec_reboot_nb);
	unregister_reboot_notifier(&kexec_reboot_begin_nb);
	unregister_sys_off_handler(kexec_restart_prepare_handler);
	kexec_mod_machine_cancel();
}

/**
 * kexec_mod_trigger_set_image() - tell the trigger which image is loaded
 * @image: the loaded image, or NULL when none is
 *
 * Called by the device front, under its lock, before the loaded image
 * changes.  Once a reboot has armed the loaded image, that image is the
 * one the reboot starts, so it may be neither replaced nor unloaded: the
 * kernel's kexec_load(2) finds kexec_mutex held by kernel_kexec() in the
 * same place and answers EBUSY too.
 *
 * Return: 0, or -EBUSY when a reboot has armed the loaded image (the
 * caller keeps it and frees @image).
 */
int kexec_mod_trigger_set_image(struct kexec_mod_image *image)
{
	int err = 0;

	mutex_lock(&kexec_trigger_lock);
	if (kexec_armed_image)
		err = -EBUSY;
	else
		kexec_loaded_image = image;
	mutex_unlock(&kexec_trigger_lock);
	return err;
}

/* kexec_mod_trigger_armed() with kexec_trigger_lock held. */
static bool kexec_trigger_armed_locked(void)
{
	lockdep_assert_held(&kexec_trigger_lock);
	return kexec_armed_image ||
	       (READ_ONCE(kexec_on_reboot) && kexec_loaded_image);
}

/**
 * kexec_mod_trigger_armed() - whether a reboot now would start the image
 *
 * Return: true while an exec is in progress, or while kexec_on_reboot is
 * set and an image is loaded.
 */
bool kexec_mod_trigger_armed(void)
{
	bool armed;

	mutex_lock(&kexec_trigger_lock);
	armed = kexec_trigger_armed_locked();
	mutex_unlock(&kexec_trigger_lock);
	return armed;
}

/**
 * kexec_mod_trigger_in_flight() - whether an exec has armed its image
 *
 * Context: any, without a lock: for the panic path.
 * Return: true from the end of a passed pre-flight to the jump.
 */
bool kexec_mod_trigger_in_flight(void)
{
	return READ_ONCE(kexec_armed_image);
}

/* One step's outcome and time in the rehearsal's report. */
static void kexec_rehearse_record(struct kexec_mod_rehearsal *report,
				  unsigned int step, int err, u64 start_ns)
{
	struct kexec_mod_rehearse_step *s = &report->step[step];

	s->state = err ? KEXEC_MOD_STEP_FAILED : KEXEC_MOD_STEP_PASSED;
	s->error = err;
	s->usecs = div_u64(ktime_get_ns() - start_ns, NSEC_PER_USEC);
}

static const char *kexec_rehearse_state(const struct kexec_mod_rehearsal *r,
					unsigned int step)
{
	switch (r->step[step].state) {
	case KEXEC_MOD_STEP_PASSED:
		return "ok";
	case KEXEC_MOD_STEP_FAILED:
		return "FAILED";
	default:
		return "not run";
	}
}

/* The steps, stopping at the first failure; each undone before the next. */
static int kexec_rehearse_steps(struct kexec_mod_image *image,
				struct kexec_mod_rehearsal *report)
{
	u64 start = ktime_get_ns();
	int err;

	err = kexec_cpus_offline();
	if (!err) {
		cpu_hotplug_enable();
		kexec_cpus_restore();
	}
	kexec_rehearse_record(report, KEXEC_MOD_REHEARSE_CPUS, err, start);
	if (err)
		return err;

	start = ktime_get_ns();
	err = kexec_mod_machine_prepare(image);
	report->reloc_mode = kexec_mod_machine_prepared_mode();
	kexec_rehearse_record(report, KEXEC_MOD_REHEARSE_TABLES, err, start);
	if (err)
		return err;

	start = ktime_get_ns();
	err = kexec_mod_machine_rehearse(image);
	kexec_mod_machine_cancel();
	kexec_rehearse_record(report, KEXEC_MOD_REHEARSE_STUB, err, start);
	return err;
}

/**
 * kexec_mod_trigger_rehearse() - every step of an exec that can be undone
 * @image: the loaded image; the caller holds the front's lock
 * @report: filled in with each step's outcome and time
 *
 * Takes the secondary CPUs offline and back with the exec's own calls,
 * builds the exec's tables for @image (the relocation mode chosen and
 * checked against every page the copy touches), then goes into the stub
 * and back with the MMU off in between (kexec_mod_machine_rehearse()).
 * Stops at the first step that fails; the system is left as it was:
 * CPUs online, image loaded, tables freed.  One log line tells how it
 * went.
 *
 * Return: 0, -EBUSY while an exec, a reboot or an arming is under way,
 * or the error of the step that failed.
 */
int kexec_mod_trigger_rehearse(struct kexec_mod_image *image,
			       struct kexec_mod_rehearsal *report)
{
	unsigned int sleep_flags;
	int err;

	sleep_flags = lock_system_sleep();
	mutex_lock(&kexec_trigger_lock);
	if (kexec_reboot_under_way || kexec_trigger_armed_locked())
		err = -EBUSY;
	else
		err = kexec_rehearse_steps(image, report);
	mutex_unlock(&kexec_trigger_lock);
	unlock_system_sleep(sleep_flags);

	if (err == -EBUSY && !report->step[KEXEC_MOD_REHEARSE_CPUS].state)
		pr_info("rehearsal refused: an exec or reboot is armed or under way\n");
	else
		pr_info("rehearsal: CPUs offline and back %s (%u us), tables %s (%u us), stub %s (%u us)\n",
			kexec_rehearse_state(report, KEXEC_MOD_REHEARSE_CPUS),
			report->step[KEXEC_MOD_REHEARSE_CPUS].usecs,
			kexec_rehearse_state(report, KEXEC_MOD_REHEARSE_TABLES),
			report->step[KEXEC_MOD_REHEARSE_TABLES].usecs,
			kexec_rehearse_state(report, KEXEC_MOD_REHEARSE_STUB),
			report->step[KEXEC_MOD_REHEARSE_STUB].usecs);
	return err;
}

/**
 * kexec_mod_trigger_exec() - reboot into @image
 * @image: the loaded image; the caller holds the front's lock, so it
 *	stays loaded
 *
 * Runs the pre-flight (ARM checks, secondary CPUs offline) and, if it
 * passed, kernel_restart(), which ends in the restart handler starting
 * @image.  The caller has checked permissions.
 *
 * Return: does not return on success; -ENOENT without an image, or the
 * pre-flight's error, with the system running as before.
 */
int kexec_mod_trigger_exec(struct kexec_mod_image *image)
{
	int err;

	unsigned int sleep_flags;

	if (!image)
		return -ENOENT;

	/*
	 * As reboot(2) does around kernel_kexec(): hold the system
	 * transition lock, so that no suspend, hibernation or other
	 * reboot runs beside the exec (a no-op without PM_SLEEP, where the
	 * reboot notifiers do the excluding).
	 */
	sleep_flags = lock_system_sleep();
	mutex_lock(&kexec_trigger_lock);
	if (kexec_reboot_under_way) {
		pr_err("cannot kexec: a reboot or power-off is under way\n");
		err = -EBUSY;
	} else {
		err = kexec_trigger_arm(image);
	}
	if (!err)
		kexec_exec_task = current;
	mutex_unlock(&kexec_trigger_lock);
	if (err) {
		unlock_system_sleep(sleep_flags);
		return err;
	}

	kernel_restart(NULL);

	/* Not reached: machine_restart() does not return either. */
	return -EIO;
}
