// SPDX-License-Identifier: GPL-2.0-only
/*
 * Reading whole files and reporting errors.  Files under /proc and /sys
 * report no useful size, so everything is read to its end.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kexec-mod.h"

void km_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kexec-mod: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * km_file_read() - read a file into memory
 * @file: filled in on success; data is NUL-terminated past its size
 * @name: path of the file
 *
 * Return: 0, or -1 after a message naming the file and the reason.
 */
int km_file_read(struct km_file *file, const char *name)
{
	size_t cap = 64 * 1024, used = 0;
	char *buf, *bigger;
	ssize_t n;
	int fd;

	file->name = name;
	file->data = NULL;
	file->size = 0;

	fd = open(name, O_RDONLY);
	if (fd < 0) {
		km_error("cannot read %s: %s", name, strerror(errno));
		return -1;
	}
	buf = malloc(cap + 1);
	if (!buf)
		goto out_nomem;
	for (;;) {
		if (used == cap) {
			cap *= 2;
			bigger = realloc(buf, cap + 1);
			if (!bigger)
				goto out_nomem;
			buf = bigger;
		}
		n = read(fd, buf + used, cap - used);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			km_error("cannot read %s: %s", name, strerror(errno));
			goto out_free;
		}
		if (n == 0)
			break;
		used += n;
	}
	close(fd);
	buf[used] = '\0';
	file->data = buf;
	file->size = used;
	return 0;

out_nomem:
	km_error("cannot read %s: out of memory", name);
out_free:
	free(buf);
	close(fd);
	return -1;
}

void km_file_free(struct km_file *file)
{
	free(file->data);
	file->data = NULL;
	file->size = 0;
}
