/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * kexec_mod: the /dev/kexec ioctl interface.
 *
 * The LOAD argument carries exactly the four kexec_load(2) arguments, as
 * native unsigned longs and in the system call's order, so that a shim
 * which forwards kexec_load() can pass them through unchanged.  The
 * segment array it points to is the native struct kexec_segment[] of
 * <linux/kexec.h>.
 */
#ifndef _UAPI_LINUX_KEXEC_MOD_H
#define _UAPI_LINUX_KEXEC_MOD_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * Bumped whenever a structure below changes incompatibly.  Fields added
 * into the reserved words of struct kexec_mod_status do not bump it.
 */
#define KEXEC_MOD_ABI_VERSION	1

/**
 * struct kexec_mod_load - argument of KEXEC_MOD_LOAD and the legacy load
 * @entry: physical address the new kernel is entered at
 * @nr_segments: number of entries at @segments; 0 unloads
 * @segments: user address of a struct kexec_segment array
 * @flags: kexec_load(2) flags: KEXEC_ARCH_* in the upper half
 */
struct kexec_mod_load {
	unsigned long entry;
	unsigned long nr_segments;
	unsigned long segments;
	unsigned long flags;
};

/* Values of struct kexec_mod_status.armed. */
#define KEXEC_MOD_DISARMED	0
#define KEXEC_MOD_ARMED		1

/* Values of struct kexec_mod_status.reloc_mode. */
#define KEXEC_MOD_RELOC_NONE	0	/* no image, or an exec is refused */
#define KEXEC_MOD_RELOC_MMU_OFF	1	/* copy with the MMU and caches off */
#define KEXEC_MOD_RELOC_MMU_ON	2	/* copy with the MMU and caches on */

/**
 * struct kexec_mod_status - answer of KEXEC_MOD_STATUS
 * @abi_version: KEXEC_MOD_ABI_VERSION of the running module
 * @loaded: 1 while an image is loaded, else 0 and the fields below are 0
 * @entry: entry point of the loaded image (physical)
 * @nr_segments: number of segments of the loaded image
 * @pages_staged: source pages holding the staged segments
 * @control_page: physical address of the image's control page
 * @boot_params: physical address passed to the new kernel in r2
 * @armed: KEXEC_MOD_ARMED when a restart now starts the image: an exec
 *	is under way, or kexec_on_reboot is set with an image loaded
 * @machine_type: value passed to the new kernel in r1
 * @reloc_mode: KEXEC_MOD_RELOC_*: how an exec now would copy the image
 * @reserved: zero; room for more
 */
struct kexec_mod_status {
	__u32 abi_version;
	__u32 loaded;
	__u64 entry;
	__u32 nr_segments;
	__u32 pages_staged;
	__u64 control_page;
	__u64 boot_params;
	__u32 armed;
	__u32 machine_type;
	__u32 reloc_mode;
	__u32 reserved[5];
};

/* Steps of KEXEC_MOD_REHEARSE, in the order they run. */
#define KEXEC_MOD_REHEARSE_CPUS		0	/* secondary CPUs offline and back */
#define KEXEC_MOD_REHEARSE_TABLES	1	/* identity map, copy table, checks */
#define KEXEC_MOD_REHEARSE_STUB		2	/* stub: MMU and caches off and on */
#define KEXEC_MOD_REHEARSE_STEPS	3	/* steps this ABI defines */
#define KEXEC_MOD_REHEARSE_MAX_STEPS	8	/* room in the report */

/* Values of struct kexec_mod_rehearse_step.state. */
#define KEXEC_MOD_STEP_NOT_RUN		0
#define KEXEC_MOD_STEP_PASSED		1
#define KEXEC_MOD_STEP_FAILED		2

/**
 * struct kexec_mod_rehearse_step - one step of a rehearsal
 * @state: KEXEC_MOD_STEP_*
 * @error: the step's negative errno when it failed, else 0
 * @usecs: how long it took, undoing included
 * @reserved: zero
 */
struct kexec_mod_rehearse_step {
	__u32 state;
	__s32 error;
	__u32 usecs;
	__u32 reserved;
};

/**
 * struct kexec_mod_rehearsal - report of KEXEC_MOD_REHEARSE
 * @nr_steps: steps the module rehearses (KEXEC_MOD_REHEARSE_STEPS)
 * @reloc_mode: KEXEC_MOD_RELOC_*: the mode the tables were built for
 * @reserved: zero; room for more
 * @step: each step's outcome, indexed by KEXEC_MOD_REHEARSE_*
 */
struct kexec_mod_rehearsal {
	__u32 nr_steps;
	__u32 reloc_mode;
	__u32 reserved[6];
	struct kexec_mod_rehearse_step step[KEXEC_MOD_REHEARSE_MAX_STEPS];
};

#define KEXEC_MOD_IOC_MAGIC	0xB7

#define KEXEC_MOD_LOAD		_IOW(KEXEC_MOD_IOC_MAGIC, 1, struct kexec_mod_load)
#define KEXEC_MOD_UNLOAD	_IO(KEXEC_MOD_IOC_MAGIC, 2)
#define KEXEC_MOD_STATUS	_IOR(KEXEC_MOD_IOC_MAGIC, 3, struct kexec_mod_status)
#define KEXEC_MOD_EXEC		_IO(KEXEC_MOD_IOC_MAGIC, 4)
#define KEXEC_MOD_REHEARSE	_IOR(KEXEC_MOD_IOC_MAGIC, 5, struct kexec_mod_rehearsal)

/*
 * Raw request numbers sent by the LD_PRELOAD shims of earlier kexec
 * modules: load takes a struct kexec_mod_load, exec takes no argument.
 * The exec number is LINUX_REBOOT_CMD_KEXEC.
 */
#define KEXEC_MOD_LEGACY_LOAD	0x45584542
#define KEXEC_MOD_LEGACY_EXEC	0x45584543

/*
 * The load argument is four native words on every ABI; the status layout
 * is fixed and identical for 32-bit and 64-bit callers.  Checked wherever
 * static_assert is at hand: always in the kernel, and in userspace when
 * <assert.h> (C11) was included first.
 */
#ifdef static_assert
static_assert(sizeof(struct kexec_mod_load) == 4 * sizeof(unsigned long),
	      "struct kexec_mod_load must be four native words");
static_assert(sizeof(struct kexec_mod_status) == 72,
	      "struct kexec_mod_status must be 72 bytes");
static_assert(sizeof(struct kexec_mod_rehearsal) == 160,
	      "struct kexec_mod_rehearsal must be 160 bytes");
#endif

#endif /* _UAPI_LINUX_KEXEC_MOD_H */
