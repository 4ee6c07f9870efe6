// SPDX-License-Identifier: GPL-2.0-only
/*
 * The new kernel's command line.  --reuse-cmdline starts from the
 * running kernel's /proc/cmdline without the words that describe this
 * boot rather than the next one:
 *   initrd=...          the bootloader's initrd; the new one is in the DTB
 *   kexec_mod.*         parameters for this module (kexec_mod.debug_uart=,
 *   kexec_mod=...       kexec_mod.load_disabled=...): they belong to the
 *                       kernel that loads the module, not the one it boots
 * Whatever the line, initrd= in it and a length the kernel cuts are
 * warned about.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec-mod.h"

/**
 * cmdline_word_starts() - whether a word starts with one of some prefixes
 * @word: the word, not terminated
 * @len: its length
 * @prefixes: the prefixes, a NULL-terminated list
 */
bool cmdline_word_starts(const char *word, size_t len,
			 const char *const *prefixes)
{
	size_t n;

	for (; *prefixes; prefixes++) {
		n = strlen(*prefixes);
		if (len >= n && !strncmp(word, *prefixes, n))
			return true;
	}
	return false;
}

static bool cmdline_word_dropped(const char *word, size_t len)
{
	static const char *const prefixes[] = {
		"initrd=", "kexec_mod.", "kexec_mod=", NULL,
	};

	return cmdline_word_starts(word, len, prefixes);
}

/* ARM's COMMAND_LINE_SIZE: the kernel keeps one byte less of bootargs. */
#define CMDLINE_ARM_SIZE	1024

/* The first word of @line starting with @prefix, or NULL. */
static const char *cmdline_find_word(const char *line, const char *prefix)
{
	size_t n = strlen(prefix);
	const char *p = line;

	while ((p = strstr(p, prefix))) {
		if (p == line || isspace((unsigned char)p[-1]))
			return p;
		p += n;
	}
	return NULL;
}

/**
 * cmdline_warn() - warn about a command line the new kernel would misread
 * @line: the bootargs the new kernel gets, or NULL
 * @kept: they are the device tree's own, kept as they were
 *
 * initrd=ADDR,SIZE on ARM overrides the initrd the device tree gives,
 * so the new kernel would take the old boot's region (or garbage) for
 * its initrd; a line of COMMAND_LINE_SIZE bytes or more is cut short.
 */
void cmdline_warn(const char *line, bool kept)
{
	const char *from = kept ? "the device tree's bootargs (kept)" :
			   "the command line";
	const char *word;
	size_t len;

	if (!line)
		return;
	word = cmdline_find_word(line, "initrd=");
	if (word) {
		len = strcspn(word, " \t\n");
		fprintf(stderr,
			"kexec-mod: warning: %s %s %.*s, which the new kernel takes for its initrd instead of the one in the device tree%s\n",
			from, kept ? "hold" : "holds", (int)len, word,
			kept ? ": --reuse-cmdline drops it, --append replaces them" : "");
	}
	len = strlen(line);
	if (len >= CMDLINE_ARM_SIZE)
		fprintf(stderr,
			"kexec-mod: warning: %s %s %zu bytes long; an ARM kernel keeps the first %d (COMMAND_LINE_SIZE %d)\n",
			from, kept ? "are" : "is", len, CMDLINE_ARM_SIZE - 1,
			CMDLINE_ARM_SIZE);
}

/**
 * cmdline_reuse() - a command line for the next boot from the current one
 * @current: the contents of /proc/cmdline
 *
 * Words in double quotes (param="a b") are kept whole.
 *
 * Return: a new string (caller frees), or NULL when out of memory.
 */
char *cmdline_reuse(const char *current)
{
	char *out = malloc(strlen(current) + 1);
	const char *p = current, *word;
	bool quoted;
	size_t used = 0;

	if (!out)
		return NULL;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		word = p;
		quoted = false;
		while (*p && (quoted || !isspace((unsigned char)*p))) {
			if (*p == '"')
				quoted = !quoted;
			p++;
		}
		if (cmdline_word_dropped(word, p - word))
			continue;
		if (used)
			out[used++] = ' ';
		memcpy(out + used, word, p - word);
		used += p - word;
	}
	out[used] = '\0';
	return out;
}

/**
 * cmdline_join() - two command line parts, either of which may be NULL
 * @first: comes first
 * @second: comes after a space
 *
 * Return: a new string (caller frees), NULL when both are NULL or out of
 * memory.
 */
char *cmdline_join(const char *first, const char *second)
{
	size_t a, b;
	char *out;

	if (!first && !second)
		return NULL;
	if (!first || !*first)
		return strdup(second ? second : "");
	if (!second || !*second)
		return strdup(first);
	a = strlen(first);
	b = strlen(second);
	out = malloc(a + b + 2);
	if (!out)
		return NULL;
	memcpy(out, first, a);
	out[a] = ' ';
	memcpy(out + a + 1, second, b + 1);
	return out;
}
