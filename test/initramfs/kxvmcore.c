// SPDX-License-Identifier: GPL-2.0-only
/*
 * kxvmcore: both halves of the crash dump scenarios.
 *
 *   kxvmcore hold TOKEN PAGES    in the kernel about to panic: fill PAGES
 *                                pages, each starting "KXMARK TOKEN n",
 *                                print "held", then wait to die with it
 *   kxvmcore marks TOKEN PAGES   in the capture kernel: how many of those
 *                                pages /proc/vmcore holds (exit 0: all)
 *   kxvmcore prstatus            the pid of each NT_PRSTATUS note of the
 *                                dump's PT_NOTE data, one line each
 *   kxvmcore note-at ADDR        the note buffer at physical ADDR of the
 *                                dead kernel: "prstatus pid N", or "empty"
 *   kxvmcore loads               "PADDR SIZE" of each PT_LOAD
 *
 * Only ELF32 dumps, what ARM kernels without RAM above 4 GiB make.
 */

#include <linux/elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/mman.h>

#define VMCORE		"/proc/vmcore"
#define PAGE		4096UL
#define CHUNK		0x100000UL	/* 1 MiB */
#define MAX_PHDRS	256
/* elf_prstatus on ARM: pr_pid sits 24 bytes in (after info, cursig, sigs). */
#define PRSTATUS_PID	24

static int fd = -1;
static struct elf32_phdr phdrs[MAX_PHDRS];
static unsigned int nr_phdrs;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void read_at(void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n != (ssize_t)len)
		die("pread " VMCORE);
}

static void open_dump(void)
{
	struct elf32_hdr eh;

	fd = open(VMCORE, O_RDONLY);
	if (fd < 0)
		die(VMCORE);
	read_at(&eh, sizeof(eh), 0);
	if (memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_type != ET_CORE ||
	    eh.e_phentsize != sizeof(struct elf32_phdr) || eh.e_phnum > MAX_PHDRS) {
		fprintf(stderr, "kxvmcore: %s is not an ELF32 core\n", VMCORE);
		exit(2);
	}
	nr_phdrs = eh.e_phnum;
	read_at(phdrs, nr_phdrs * sizeof(struct elf32_phdr), eh.e_phoff);
}

/* The file offset of physical @pa in the dump, or -1. */
static off_t offset_of(unsigned long long pa, size_t len)
{
	unsigned int i;

	for (i = 0; i < nr_phdrs; i++) {
		const struct elf32_phdr *ph = &phdrs[i];

		if (ph->p_type == PT_LOAD && pa >= ph->p_paddr &&
		    pa + len <= (unsigned long long)ph->p_paddr + ph->p_filesz)
			return ph->p_offset + (pa - ph->p_paddr);
	}
	return -1;
}

static void cmd_hold(const char *token, unsigned long pages)
{
	char *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;

	if (mem == MAP_FAILED)
		die("mmap");
	for (i = 0; i < pages; i++)
		snprintf(mem + i * PAGE, PAGE, "KXMARK %s %lu\n", token, i);
	if (mlock(mem, pages * PAGE))
		die("mlock");
	printf("held\n");
	fflush(stdout);
	for (;;)
		pause();
}

static int cmd_marks(const char *token, unsigned long pages)
{
	char *buf = malloc(CHUNK), prefix[80], *end;
	unsigned char *seen = calloc(pages, 1);
	unsigned long found = 0, n;
	size_t plen, off;
	unsigned int i;

	if (!buf || !seen)
		die("malloc");
	plen = snprintf(prefix, sizeof(prefix), "KXMARK %s ", token);
	open_dump();
	for (i = 0; i < nr_phdrs; i++) {
		const struct elf32_phdr *ph = &phdrs[i];
		unsigned long done;

		if (ph->p_type != PT_LOAD)
			continue;
		for (done = 0; done < ph->p_filesz; done += CHUNK) {
			size_t len = ph->p_filesz - done < CHUNK ?
				     ph->p_filesz - done : CHUNK;

			read_at(buf, len, ph->p_offset + done);
			for (off = 0; off + PAGE <= len; off += PAGE) {
				if (memcmp(buf + off, prefix, plen))
					continue;
				n = strtoul(buf + off + plen, &end, 10);
				if (*end == '\n' && n < pages && !seen[n]) {
					seen[n] = 1;
					found++;
				}
			}
		}
	}
	printf("%lu of %lu marked pages in the dump\n", found, pages);
	return found == pages ? 0 : 1;
}

/* Walk the notes in @len bytes at @buf; print each PRSTATUS's pid. */
static unsigned int print_notes(const unsigned char *buf, size_t len)
{
	unsigned int nr = 0;
	size_t off = 0;

	while (off + sizeof(struct elf32_note) <= len) {
		const struct elf32_note *nh = (const void *)(buf + off);
		size_t name = (nh->n_namesz + 3) & ~3U;
		size_t desc = (nh->n_descsz + 3) & ~3U;
		const unsigned char *d = buf + off + sizeof(*nh) + name;
		int pid;

		if (!nh->n_namesz && !nh->n_descsz && !nh->n_type)
			break;
		if (off + sizeof(*nh) + name + desc > len)
			break;
		if (nh->n_type == NT_PRSTATUS && nh->n_descsz >= PRSTATUS_PID + 4) {
			memcpy(&pid, d + PRSTATUS_PID, sizeof(pid));
			printf("prstatus pid %d\n", pid);
			nr++;
		}
		off += sizeof(*nh) + name + desc;
	}
	return nr;
}

static int cmd_prstatus(void)
{
	unsigned int i, nr = 0;

	open_dump();
	for (i = 0; i < nr_phdrs; i++) {
		unsigned char *buf;

		if (phdrs[i].p_type != PT_NOTE)
			continue;
		buf = malloc(phdrs[i].p_filesz);
		if (!buf)
			die("malloc");
		read_at(buf, phdrs[i].p_filesz, phdrs[i].p_offset);
		nr += print_notes(buf, phdrs[i].p_filesz);
		free(buf);
	}
	return nr ? 0 : 1;
}

static int cmd_note_at(unsigned long long pa)
{
	unsigned char buf[512];
	off_t off;

	open_dump();
	off = offset_of(pa, sizeof(buf));
	if (off < 0) {
		fprintf(stderr, "kxvmcore: 0x%llx is in no PT_LOAD\n", pa);
		return 2;
	}
	read_at(buf, sizeof(buf), off);
	if (!print_notes(buf, sizeof(buf)))
		printf("empty\n");
	return 0;
}

static int cmd_loads(void)
{
	unsigned int i;

	open_dump();
	for (i = 0; i < nr_phdrs; i++)
		if (phdrs[i].p_type == PT_LOAD)
			printf("%08x %08x\n", phdrs[i].p_paddr, phdrs[i].p_filesz);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "hold"))
		cmd_hold(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "marks"))
		return cmd_marks(argv[2], strtoul(argv[3], NULL, 0));
	if (argc == 2 && !strcmp(argv[1], "prstatus"))
		return cmd_prstatus();
	if (argc == 3 && !strcmp(argv[1], "note-at"))
		return cmd_note_at(strtoull(argv[2], NULL, 16));
	if (argc == 2 && !strcmp(argv[1], "loads"))
		return cmd_loads();
	fprintf(stderr,
		"usage: kxvmcore hold|marks TOKEN PAGES | prstatus | note-at ADDR | loads\n");
	return 2;
}
