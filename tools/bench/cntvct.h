/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ARM generic timer's virtual count, read from userspace (the kernel
 * lets EL0 read CNTVCT and CNTFRQ when it uses the architected timer).
 * The count runs on across a kexec (QEMU starts it with the machine), so
 * a stamp taken before an exec and one in the next kernel's init measure
 * the reboot; under QEMU's -icount it counts instructions and repeats.
 */
#ifndef KXBENCH_CNTVCT_H
#define KXBENCH_CNTVCT_H

static inline unsigned long long cntvct_read(void)
{
	unsigned int lo, hi;

	asm volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return (unsigned long long)hi << 32 | lo;
}

static inline unsigned int cntfrq_read(void)
{
	unsigned int frq;

	asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
	return frq;
}

#endif /* KXBENCH_CNTVCT_H */
