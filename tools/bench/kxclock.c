// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxclock: print "<count> <hz>" of the generic timer's virtual counter,
 * the stamp `make bench` takes in the new kernel's init.
 */
#include <stdio.h>

#include "cntvct.h"

int main(void)
{
	printf("%llu %u\n", cntvct_read(), cntfrq_read());
	return 0;
}
