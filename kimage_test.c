// SPDX-License-Identifier: GPL-2.0-only
/* placeholder: KUnit suite for kimage.c */
#include <linux/module.h>
MODULE_LICENSE("GPL");
