// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxclock: print the ARM generic timer's virtual count and frequency,
 * "<count> <hz>".  The count runs on across a kexec (QEMU starts it with
 * the machine), so stamps taken before an exec and in the next kernel's
 * init measure the reboot; under -icount it counts instructions.
 */
#include <stdio.h>

static unsigned long long read_cntvct(void)
{
	unsigned int lo, hi;

	asm volatile("isb\n\tmrrc p15, 1, %0, %1, c14" : "=r"(lo), "=r"(hi));
	return (unsigned long long)hi << 32 | lo;
}

static unsigned int read_cntfrq(void)
{
	unsigned int frq;

	asm volatile("mrc p15, 0, %0, c14, c0, 0" : "=r"(frq));
	return frq;
}

int main(void)
{
	printf("%llu %u\n", read_cntvct(), read_cntfrq());
	return 0;
}
