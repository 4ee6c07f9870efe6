// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxnocap: run a command without CAP_SYS_BOOT (a test helper).
 *
 *   kxnocap COMMAND [ARG]...
 *
 * Dropped from the bounding set, the capability is gone from what root
 * gets at the exec, while root stays root (uid 0): what the tools must
 * tell apart from a user who is not root.
 */

#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <linux/capability.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: kxnocap COMMAND [ARG]...\n");
		return 2;
	}
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT, 0, 0, 0)) {
		fprintf(stderr, "kxnocap: cannot drop CAP_SYS_BOOT: %s\n",
			strerror(errno));
		return 2;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "kxnocap: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
