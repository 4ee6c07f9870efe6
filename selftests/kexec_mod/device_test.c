// SPDX-License-Identifier: GPL-2.0-only
/*
 * The /dev/kexec node itself: what it is, and who may use it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "kexec_mod_test.h"

#define KEXEC_DEV	"/dev/kexec"
#define MISC_MAJOR	10
/* A command in no range the module uses. */
#define UNKNOWN_CMD	_IO(0xee, 0x7f)
/* The raw load and exec numbers of earlier modules' LD_PRELOAD shims. */
#define LEGACY_LOAD	0x45584542
#define LEGACY_EXEC	0x45584543

TEST(dev_is_misc_char_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(KEXEC_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(MISC_MAJOR, major(st.st_rdev));
	EXPECT_EQ(0, st.st_uid);
}

TEST(unknown_ioctl_is_enotty)
{
	int fd = open(KEXEC_DEV, O_RDWR | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, ioctl(fd, UNKNOWN_CMD, 0));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

TEST(open_without_cap_sys_boot_is_eperm)
{
	ASSERT_EQ(0, drop_cap_sys_boot());
	EXPECT_EQ(-1, open(KEXEC_DEV, O_RDWR | O_CLOEXEC));
	EXPECT_EQ(EPERM, errno);
}

/* A descriptor handed to a process without CAP_SYS_BOOT is of no use. */
TEST(ioctl_without_cap_sys_boot_is_eperm)
{
	unsigned long cmds[] = { UNKNOWN_CMD, LEGACY_LOAD, LEGACY_EXEC };
	int fd = open(KEXEC_DEV, O_RDWR | O_CLOEXEC);
	unsigned int i;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, drop_cap_sys_boot());
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, cmds[i], 0));
		EXPECT_EQ(EPERM, errno) {
			TH_LOG("command %#lx", cmds[i]);
		}
	}
	close(fd);
}

TEST(open_as_unprivileged_user_is_refused)
{
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, open(KEXEC_DEV, O_RDWR | O_CLOEXEC));
	/* Mode 0600 stops the open before the module sees it. */
	EXPECT_EQ(EACCES, errno);
}

TEST_HARNESS_MAIN
