// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a capture kernel (kexec-mod -p) needs besides its image, as
 * kexec-tools prepares it on ARM: the crash region from /proc/iomem, an
 * ELF core header that describes the dead kernel's memory (one PT_LOAD
 * per System RAM range) and the panicking CPU's registers (one PT_NOTE
 * per CPU's crash note buffer), placed at the top of the region, 1 MiB
 * aligned, and a command line that tells the capture kernel where that
 * header is (elfcorehdr=) and which memory is its own (mem=, from the
 * region's start, where its zImage finds its RAM base).
 */

#include <linux/elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kexec-mod.h"

#define CRASH_HDR_ALIGN		0x100000ULL	/* 1 MiB */
#define CRASH_CPU_MAX		32
/* Where kexec-tools assumes lowmem starts without kallsyms. */
#define CRASH_PAGE_OFFSET	0xc0000000ULL

/**
 * crash_region_read() - the "Crash kernel" range of /proc/iomem
 * @region: filled in on success
 * @path: normally /proc/iomem
 *
 * Return: 0, or -1 after a message.
 */
int crash_region_read(struct ram_range *region, const char *path)
{
	unsigned long long start, end;
	struct km_file file;
	char *line, *next;
	int name, found = 0;

	if (km_file_read(&file, path))
		return -1;
	for (line = file.data; line && *line && !found; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		name = 0;
		if (sscanf(line, " %llx-%llx : %n", &start, &end, &name) == 2 &&
		    name && !strcmp(line + name, "Crash kernel"))
			found = 1;
	}
	km_file_free(&file);
	if (!found) {
		km_error("%s has no \"Crash kernel\" range", path);
		km_error("(insmod kexec_mod with crashkernel=SIZE@ADDR)");
		return -1;
	}
	if (!start && !end) {
		km_error("%s shows no addresses: run as root", path);
		return -1;
	}
	region->start = start;
	region->end = end;
	return 0;
}

/* One sysfs number, in @base (0: as strtoull guesses); -1 if none. */
int crash_read_number(const char *path, int base, unsigned long long *value)
{
	char buf[64], *end;
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = !!fgets(buf, sizeof(buf), f);
	fclose(f);
	if (!ok)
		return -1;
	errno = 0;
	*value = strtoull(buf, &end, base);
	return errno || end == buf ? -1 : 0;
}

/*
 * The crash note buffer of each CPU, as the module (or a kernel with
 * kexec) publishes them.  Return: how many were found.
 */
static unsigned int crash_notes_read(struct ram_range *notes, unsigned int max)
{
	unsigned long long addr, size;
	unsigned int cpu, nr = 0;
	char path[96];

	for (cpu = 0; cpu < max; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes", cpu);
		if (crash_read_number(path, 16, &addr))
			continue;
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%u/crash_notes_size", cpu);
		if (crash_read_number(path, 10, &size) || !size)
			continue;
		notes[nr].start = addr;
		notes[nr].end = addr + size - 1;
		nr++;
	}
	return nr;
}

static void crash_phdr(struct elf32_phdr *ph, uint32_t type, uint64_t start,
		       uint64_t size, uint64_t phys_offset)
{
	uint64_t vaddr = CRASH_PAGE_OFFSET + start - phys_offset;

	memset(ph, 0, sizeof(*ph));
	ph->p_type = type;
	ph->p_offset = start;
	ph->p_paddr = start;
	/* Lowmem's address in the dead kernel, where it has one. */
	ph->p_vaddr = type == PT_LOAD && vaddr <= UINT32_MAX ? vaddr : 0;
	ph->p_filesz = size;
	ph->p_memsz = size;
}

/**
 * crash_elfcorehdr() - the ELF core header of the running system
 * @hdr: gets the header, allocated
 * @ram: the System RAM ranges, the dead kernel's memory
 *
 * ELF32 (what ARM's vmcore reads without LPAE); RAM above 4 GiB would
 * need ELF64 and is refused.
 *
 * Return: 0, or -1 after a message.
 */
int crash_elfcorehdr(struct km_file *hdr, const struct ram_map *ram)
{
	struct ram_range notes[CRASH_CPU_MAX];
	unsigned int nr_notes, i, n = 0;
	struct elf32_hdr *eh;
	struct elf32_phdr *ph;
	size_t size;

	nr_notes = crash_notes_read(notes, CRASH_CPU_MAX);
	if (!nr_notes) {
		km_error("no crash notes in /sys/devices/system/cpu/cpuN/");
		km_error("(kexec_mod must be loaded, on a kernel without kexec)");
		return -1;
	}
	if (ram->range[ram->nr - 1].end > UINT32_MAX) {
		km_error("System RAM above 4 GiB: kexec-mod makes no ELF64 core header");
		return -1;
	}

	size = sizeof(*eh) + (nr_notes + ram->nr) * sizeof(*ph);
	eh = calloc(1, size);
	if (!eh) {
		km_error("out of memory");
		return -1;
	}
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_ident[EI_OSABI] = ELFOSABI_NONE;
	eh->e_type = ET_CORE;
	eh->e_machine = EM_ARM;
	eh->e_version = EV_CURRENT;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(*ph);
	eh->e_phnum = nr_notes + ram->nr;

	ph = (struct elf32_phdr *)(eh + 1);
	for (i = 0; i < nr_notes; i++)
		crash_phdr(&ph[n++], PT_NOTE, notes[i].start,
			   notes[i].end - notes[i].start + 1, 0);
	for (i = 0; i < ram->nr; i++)
		crash_phdr(&ph[n++], PT_LOAD, ram->range[i].start,
			   ram->range[i].end - ram->range[i].start + 1,
			   ram->range[0].start);

	hdr->name = "ELF core header";
	hdr->data = eh;
	hdr->size = size;
	return 0;
}

/**
 * crash_hdr_address() - where the ELF core header goes in the region
 * @region: the crash region
 * @size: bytes of the header
 *
 * At the region's top, 1 MiB aligned as kexec-tools has it, so that the
 * memory left to the capture kernel below it is whole sections.
 *
 * Return: the address, or 0 when the region is too small.
 */
uint64_t crash_hdr_address(const struct ram_range *region, size_t size)
{
	uint64_t top = region->end + 1;
	uint64_t at;

	if (top - region->start < CRASH_HDR_ALIGN + size)
		return 0;
	at = km_align_down(top - km_align_up(size, KM_PAGE_SIZE),
			   CRASH_HDR_ALIGN);
	return at > region->start ? at : 0;
}

/* Words the capture kernel's command line must not inherit. */
static bool crash_word_replaced(const char *word, size_t len)
{
	static const char *const prefixes[] = {
		"mem=", "elfcorehdr=", "crashkernel=", NULL,
	};

	return cmdline_word_starts(word, len, prefixes);
}

/**
 * crash_cmdline() - the capture kernel's command line
 * @base: the command line asked for (may be NULL)
 * @hdr: the ELF core header's address
 * @mem: bytes of memory the capture kernel may use, from the region's start
 *
 * Earlier mem=, elfcorehdr= and crashkernel= words are dropped: a second
 * mem= would add the dead kernel's memory to the capture kernel's (ARM
 * takes the union), and it would boot over the memory it is to dump.
 *
 * Return: the new line (malloc'ed), or NULL.
 */
char *crash_cmdline(const char *base, uint64_t hdr, uint64_t mem)
{
	size_t len = base ? strlen(base) : 0;
	const char *p = base;
	char *out = malloc(len + 64), *o = out;

	if (!out)
		return NULL;
	while (p && *p) {
		const char *word;

		while (*p == ' ')
			p++;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (p == word)
			break;
		if (crash_word_replaced(word, p - word)) {
			fprintf(stderr, "kexec-mod: the capture kernel does not get '%.*s'\n",
				(int)(p - word), word);
			continue;
		}
		memcpy(o, word, p - word);
		o += p - word;
		*o++ = ' ';
	}
	sprintf(o, "elfcorehdr=0x%llx mem=%lluK", (unsigned long long)hdr,
		(unsigned long long)(mem >> 10));
	return out;
}
