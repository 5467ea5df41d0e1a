/* elf.c - read what matters about an ELF file, trusting none of it.
 *
 * Dynamic information (DT_NEEDED, version needs, DF_1_PIE) comes through the
 * program headers, as the dynamic loader sees it, so an `sstrip`ped file
 * without section headers still reports it.  Section headers give the
 * symbol table and debug info.
 */
#include "elf.h"

#include <stdio.h>
#include <string.h>

#define PT_LOAD 1
#define PT_DYNAMIC 2
#define PT_INTERP 3
#define PT_NOTE 4
#define SHT_SYMTAB 2
#define SHT_NOTE 7
#define DT_NULL 0
#define DT_NEEDED 1
#define DT_STRTAB 5
#define DT_STRSZ 10
#define DT_SONAME 14
#define DT_RELR 36
#define DT_FLAGS_1 0x6ffffffb
#define DT_VERNEED 0x6ffffffe
#define DT_VERNEEDNUM 0x6fffffff
#define DF_1_PIE 0x08000000
#define EF_ARM_ABI_FLOAT_SOFT 0x200
#define EF_ARM_ABI_FLOAT_HARD 0x400

/* Bounds on work, so a hostile file cannot make a reader spin: more
 * entries than this in a real binary would itself be a finding. */
#define MAX_PHDRS 65536
#define MAX_DYN 65536
#define MAX_VERNEED 4096
#define MAX_NAME 4096
#define MAX_VERSIONS 64        /* version indexes remembered for symbols */
#define MAX_VERSION_SYMS 4096  /* versioned undefined symbols listed */
#define SHT_DYNSYM 11
#define SHT_GNU_VERSYM 0x6fffffff
#define STB_GLOBAL 1
#define STB_WEAK 2
#define STB_GNU_UNIQUE 10
#define STT_SECTION 3
#define STT_FILE 4
#define STV_DEFAULT 0
#define STV_PROTECTED 3

struct elf {
	struct artifact *a;
	const struct view *v;
	int be, is64;
	uint64_t phoff, shoff;
	uint32_t phnum, shnum, shstrndx;
	uint16_t phentsize, shentsize;
	/* Version index -> name, from .gnu.version_r, for the symbols. */
	uint16_t veridx[MAX_VERSIONS];
	char vername[MAX_VERSIONS][ARTIFACT_VERSION_MAX + 8];
	int nver;
	struct shdr_ref { int have; uint64_t offset, size; uint32_t link; } dynsym, versym;
};

struct phdr {
	uint32_t type;
	uint64_t offset, vaddr, filesz;
};

struct shdr {
	uint32_t name, type, link;
	uint64_t offset, size;
};

static const struct { unsigned em; const char *m32, *m64; } machines[] = {
	{ 2, "sparc", "sparc" },
	{ 3, "i386", "i386" },
	{ 4, "m68k", "m68k" },
	{ 8, "mips", "mips64" },
	{ 10, "mips", "mips64" },
	{ 18, "sparc", "sparc" },
	{ 20, "powerpc", "powerpc" },
	{ 21, "powerpc64", "powerpc64" },
	{ 22, "s390", "s390x" },
	{ 40, "arm", "arm" },
	{ 42, "sh", "sh" },
	{ 43, "sparc64", "sparc64" },
	{ 50, "ia64", "ia64" },
	{ 62, "x86_64", "x86_64" },
	{ 83, "avr", "avr" },
	{ 94, "xtensa", "xtensa" },
	{ 105, "msp430", "msp430" },
	{ 164, "hexagon", "hexagon" },
	{ 183, "aarch64", "aarch64" },
	{ 190, "nvptx64", "nvptx64" },
	{ 224, "amdgpu", "amdgpu" },
	{ 243, "riscv32", "riscv64" },
	{ 247, "bpf", "bpf" },
	{ 252, "csky", "csky" },
	{ 258, "loongarch32", "loongarch64" },
};

const char *elf_machine_name(unsigned e_machine, int bits)
{
	for (size_t i = 0; i < sizeof machines / sizeof *machines; i++)
		if (machines[i].em == e_machine)
			return bits == 64 ? machines[i].m64 : machines[i].m32;
	return NULL;
}

int elf_detect(const struct view *v)
{
	return v->n >= 4 && memcmp(v->p, "\177ELF", 4) == 0;
}

static int rd16(const struct elf *e, uint64_t off, uint16_t *out)
{
	return view_u16(e->v, off, e->be, out);
}

static int rd32(const struct elf *e, uint64_t off, uint32_t *out)
{
	return view_u32(e->v, off, e->be, out);
}

/* A word of the file's class: 4 bytes in ELF32, 8 in ELF64. */
static int rdw(const struct elf *e, uint64_t off, uint64_t *out)
{
	uint32_t w = 0;

	if (e->is64)
		return view_u64(e->v, off, e->be, out);
	if (rd32(e, off, &w) < 0)
		return -1;
	*out = w;
	return 0;
}

static int get_phdr(const struct elf *e, uint32_t i, struct phdr *ph)
{
	uint64_t o = e->phoff + (uint64_t)i * e->phentsize;

	if (rd32(e, o, &ph->type) < 0)
		return -1;
	if (e->is64)
		return rdw(e, o + 8, &ph->offset) | rdw(e, o + 16, &ph->vaddr) |
		       rdw(e, o + 32, &ph->filesz);
	return rdw(e, o + 4, &ph->offset) | rdw(e, o + 8, &ph->vaddr) |
	       rdw(e, o + 16, &ph->filesz);
}

static int get_shdr(const struct elf *e, uint32_t i, struct shdr *sh)
{
	uint64_t o = e->shoff + (uint64_t)i * e->shentsize;

	if (rd32(e, o, &sh->name) < 0 || rd32(e, o + 4, &sh->type) < 0)
		return -1;
	if (e->is64)
		return rdw(e, o + 24, &sh->offset) | rdw(e, o + 32, &sh->size) |
		       rd32(e, o + 40, &sh->link);
	return rdw(e, o + 16, &sh->offset) | rdw(e, o + 20, &sh->size) |
	       rd32(e, o + 24, &sh->link);
}

/* The file offset of virtual address addr, through the PT_LOAD segments;
 * -1 if no segment holds it in the file. */
static int vaddr_to_off(const struct elf *e, uint64_t addr, uint64_t *off)
{
	for (uint32_t i = 0; i < e->phnum; i++) {
		struct phdr ph;

		if (get_phdr(e, i, &ph) < 0)
			return -1;
		if (ph.type != PT_LOAD || addr < ph.vaddr ||
		    addr - ph.vaddr >= ph.filesz)
			continue;
		*off = ph.offset + (addr - ph.vaddr);
		return view_has(e->v, *off, 1) ? 0 : -1;
	}
	return -1;
}

static int starts(const char *s, size_t n, const char *prefix)
{
	size_t l = strlen(prefix);

	return n >= l && memcmp(s, prefix, l) == 0;
}

/* Names of the versions glibc, libstdc++ and libgcc_s define. */
static void note_version(struct artifact *a, const char *name, size_t n)
{
	char ver[ARTIFACT_VERSION_MAX];
	const char *p;
	size_t skip, vl;

	if (starts(name, n, "GLIBC_") && !starts(name, n, "GLIBC_PRIVATE"))
		skip = 6;
	else if (starts(name, n, "GLIBCXX_"))
		skip = 8;
	else if (starts(name, n, "GCC_"))
		skip = 4;
	else if (starts(name, n, "CXXABI_"))
		skip = 7;
	else
		return;
	p = name + skip;
	vl = n - skip;
	if (vl == 0 || vl >= sizeof ver || p[0] < '0' || p[0] > '9')
		return;
	memcpy(ver, p, vl);
	ver[vl] = '\0';
	if (skip == 6)
		artifact_raise_version(a->glibc_max, ver);
	else if (skip == 8)
		artifact_raise_version(a->glibcxx_max, ver);
	else if (skip == 7)
		artifact_raise_version(a->cxxabi_max, ver);
	else
		artifact_raise_version(a->gcc_max, ver);
}

/* Walk .gnu.version_r: a chain of Verneed records, each with a chain of
 * Vernaux records naming a version.  Both chains are bounded by count and
 * by MAX_VERNEED steps, so a cycle ends. */
static void read_verneed(struct elf *e, uint64_t off, uint64_t num,
			 const struct view *strtab)
{
	struct artifact *a = e->a;
	unsigned steps = 0;

	for (uint64_t i = 0; i < num; i++) {
		uint16_t cnt = 0;
		uint32_t aux = 0, next = 0;
		uint64_t ao = 0;

		if (rd16(e, off + 2, &cnt) < 0 || rd32(e, off + 8, &aux) < 0 ||
		    rd32(e, off + 12, &next) < 0) {
			artifact_malformed(a, "version needs at offset %#llx are "
					   "outside the file", (unsigned long long)off);
			return;
		}
		ao = off + aux;
		for (uint16_t j = 0; j < cnt; j++) {
			uint32_t name = 0, anext = 0;
			uint16_t idx = 0;
			const char *s;
			size_t len;

			if (++steps > MAX_VERNEED) {
				artifact_malformed(a, "more than %d version needs "
						   "(a cycle?)", MAX_VERNEED);
				return;
			}
			if (rd32(e, ao + 8, &name) < 0 || rd32(e, ao + 12, &anext) < 0 ||
			    rd16(e, ao + 6, &idx) < 0) {
				artifact_malformed(a, "version need entry at offset "
						   "%#llx is outside the file",
						   (unsigned long long)ao);
				return;
			}
			s = view_str(strtab, name, MAX_NAME, &len);
			if (!s) {
				artifact_malformed(a, "version name at string offset "
						   "%u is outside .dynstr", name);
				return;
			}
			note_version(a, s, len);
			/* Only the runtimes a floor limits: their symbols are listed. */
			if (e->nver < MAX_VERSIONS && len < sizeof e->vername[0] &&
			    (idx & 0x7fff) >= 2 &&
			    (starts(s, len, "GLIBC_2") || starts(s, len, "GLIBCXX_") ||
			     starts(s, len, "CXXABI_"))) {
				e->veridx[e->nver] = idx & 0x7fff;
				memcpy(e->vername[e->nver], s, len);
				e->vername[e->nver][len] = '\0';
				e->nver++;
			}
			if (anext == 0)
				break;
			ao += anext;
		}
		if (next == 0)
			break;
		if (++steps > MAX_VERNEED) {
			artifact_malformed(a, "more than %d version needs (a cycle?)",
					   MAX_VERNEED);
			return;
		}
		off += next;
	}
}

struct dyninfo {
	int have_strtab, have_strsz, have_verneed, pie_flag, soname;
	uint64_t strtab, strsz, verneed, verneednum, flags1;
};

static void read_dynamic(struct elf *e, const struct phdr *dyn, struct dyninfo *d)
{
	struct artifact *a = e->a;
	uint64_t entsz = e->is64 ? 16 : 8, n, stroff;
	struct view strtab;

	memset(d, 0, sizeof *d);
	if (!view_has(e->v, dyn->offset, dyn->filesz)) {
		artifact_malformed(a, "dynamic section (%llu bytes at offset %#llx) "
				   "extends past the end of the file (%zu bytes)",
				   (unsigned long long)dyn->filesz,
				   (unsigned long long)dyn->offset, e->v->n);
		return;
	}
	n = dyn->filesz / entsz;
	if (n > MAX_DYN)
		n = MAX_DYN;
	/* First pass: where the strings are. */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t tag = 0, val = 0;

		rdw(e, dyn->offset + i * entsz, &tag);
		rdw(e, dyn->offset + i * entsz + entsz / 2, &val);
		if (tag == DT_NULL)
			break;
		switch (tag) {
		case DT_STRTAB: d->have_strtab = 1; d->strtab = val; break;
		case DT_STRSZ: d->have_strsz = 1; d->strsz = val; break;
		case DT_VERNEED: d->have_verneed = 1; d->verneed = val; break;
		case DT_VERNEEDNUM: d->verneednum = val; break;
		case DT_FLAGS_1: d->flags1 = val; break;
		case DT_RELR: e->a->relr = 1; break;
		case DT_SONAME: d->soname = 1; break;
		}
	}
	d->pie_flag = (d->flags1 & DF_1_PIE) != 0;
	if (!d->have_strtab)
		return;
	if (vaddr_to_off(e, d->strtab, &stroff) < 0) {
		artifact_malformed(a, "DT_STRTAB address %#llx is not in any "
				   "loaded segment of the file",
				   (unsigned long long)d->strtab);
		return;
	}
	/* DT_STRSZ may lie: clamp the string table to the file. */
	strtab.p = e->v->p + stroff;
	strtab.n = e->v->n - (size_t)stroff;
	if (d->have_strsz && d->strsz < strtab.n)
		strtab.n = (size_t)d->strsz;
	for (uint64_t i = 0; i < n; i++) {
		uint64_t tag = 0, val = 0;
		const char *s;
		size_t len;

		rdw(e, dyn->offset + i * entsz, &tag);
		rdw(e, dyn->offset + i * entsz + entsz / 2, &val);
		if (tag == DT_NULL)
			break;
		if (tag != DT_NEEDED)
			continue;
		s = view_str(&strtab, val, MAX_NAME, &len);
		if (!s) {
			artifact_malformed(a, "DT_NEEDED name at string offset %llu "
					   "is outside .dynstr",
					   (unsigned long long)val);
			continue;
		}
		artifact_add_needed(a, s, len);
	}
	if (d->have_verneed) {
		uint64_t vo = 0;

		if (vaddr_to_off(e, d->verneed, &vo) < 0)
			artifact_malformed(a, "DT_VERNEED address %#llx is not in "
					   "any loaded segment of the file",
					   (unsigned long long)d->verneed);
		else
			read_verneed(e, vo, d->verneednum, &strtab);
	}
}

/* Notes say which OS an ELF file is for when EI_OSABI is plain SYSV. */
static const char *note_os(const struct elf *e, uint64_t off, uint64_t size)
{
	const char *os = NULL;
	uint64_t end = 0;
	unsigned count = 0;

	if (!view_has(e->v, off, size))
		return NULL;
	end = off + size;
	while (end - off >= 12 && count++ < 256) {
		uint32_t namesz = 0, descsz = 0, type = 0, desc0 = 0;
		uint64_t name = off + 12, desc, next;
		const unsigned char *nm;

		rd32(e, off, &namesz);
		rd32(e, off + 4, &descsz);
		rd32(e, off + 8, &type);
		desc = name + (((uint64_t)namesz + 3) & ~(uint64_t)3);
		next = desc + (((uint64_t)descsz + 3) & ~(uint64_t)3);
		if (next > end || desc > end)
			break;
		nm = e->v->p + name;
		if (descsz >= 4)
			rd32(e, desc, &desc0);
		if (namesz == 4 && !memcmp(nm, "GNU", 4) && type == 1 && descsz >= 4) {
			static const char *const gnu_os[] = {
				"linux", "hurd", "solaris", "freebsd"
			};
			if (desc0 < 4)
				os = gnu_os[desc0];
		} else if (namesz == 8 && !memcmp(nm, "Android", 8) && type == 1) {
			return "android";
		} else if (namesz == 8 && !memcmp(nm, "FreeBSD", 8)) {
			os = "freebsd";
		} else if (namesz == 7 && !memcmp(nm, "NetBSD", 7)) {
			os = "netbsd";
		} else if (namesz == 8 && !memcmp(nm, "OpenBSD", 8)) {
			os = "openbsd";
		}
		off = next;
	}
	return os;
}

static const char *interp_os(const char *interp)
{
	if (!interp)
		return NULL;
	if (strstr(interp, "ld-linux") || strstr(interp, "ld-musl") ||
	    !strcmp(interp, "/lib/ld64.so.1") || !strcmp(interp, "/lib64/ld64.so.1") ||
	    !strcmp(interp, "/lib64/ld64.so.2") || !strcmp(interp, "/lib/ld.so.1") ||
	    !strcmp(interp, "/lib64/ld.so.1") || !strcmp(interp, "/lib32/ld.so.1"))
		return "linux";
	if (!strncmp(interp, "/system/bin/linker", 18))
		return "android";
	if (!strcmp(interp, "/libexec/ld-elf.so.1"))
		return "freebsd";
	if (!strcmp(interp, "/usr/libexec/ld.elf_so"))
		return "netbsd";
	if (!strcmp(interp, "/usr/libexec/ld.so"))
		return "openbsd";
	return NULL;
}

static const char *osabi_name(unsigned osabi, const char **os)
{
	switch (osabi) {
	case 0: return "sysv";
	case 1: *os = "hpux"; return "hpux";
	case 2: *os = "netbsd"; return "netbsd";
	case 3: *os = "linux"; return "gnu";
	case 6: *os = "solaris"; return "solaris";
	case 9: *os = "freebsd"; return "freebsd";
	case 12: *os = "openbsd"; return "openbsd";
	case 64: return "arm-eabi";
	case 97: return "arm";
	case 255: *os = "none"; return "standalone";
	}
	return "other";
}

static void read_sections(struct elf *e, int *have_symtab, int *have_debug,
			  const char **note)
{
	struct artifact *a = e->a;
	struct shdr strsh;
	struct view names = { NULL, 0 };

	if (e->shstrndx < e->shnum && get_shdr(e, e->shstrndx, &strsh) == 0) {
		if (view_sub(e->v, strsh.offset, strsh.size, &names) < 0) {
			artifact_malformed(a, "section name table (%llu bytes at "
					   "offset %#llx) extends past the end of "
					   "the file", (unsigned long long)strsh.size,
					   (unsigned long long)strsh.offset);
			names.n = 0;
		}
	} else if (e->shnum && e->shstrndx != 0) {
		artifact_malformed(a, "section name table index %u is not below "
				   "the section count %u", e->shstrndx, e->shnum);
	}
	for (uint32_t i = 0; i < e->shnum; i++) {
		struct shdr sh;
		const char *name;
		size_t len;

		if (get_shdr(e, i, &sh) < 0)
			break;
		if (sh.type == SHT_SYMTAB)
			*have_symtab = 1;
		if (sh.type == SHT_DYNSYM && !e->dynsym.have)
			e->dynsym = (struct shdr_ref){ 1, sh.offset, sh.size, sh.link };
		if (sh.type == SHT_GNU_VERSYM && !e->versym.have)
			e->versym = (struct shdr_ref){ 1, sh.offset, sh.size, sh.link };
		if (sh.type == SHT_NOTE && !*note)
			*note = note_os(e, sh.offset, sh.size);
		name = names.n ? view_str(&names, sh.name, MAX_NAME, &len) : NULL;
		if (name && (!strcmp(name, ".debug_info") ||
			     !strcmp(name, ".zdebug_info")))
			*have_debug = 1;
	}
}

/* Which undefined dynamic symbols need which glibc, libstdc++ or libgcc
 * version: .gnu.version gives each .dynsym entry a version index, which
 * .gnu.version_r named.  Only the versions of interest were remembered,
 * and at most MAX_VERSION_SYMS symbols are listed. */
static void read_version_syms(struct elf *e)
{
	struct artifact *a = e->a;
	uint64_t entsz = e->is64 ? 24 : 16, n;
	struct shdr strsh;
	struct view str;

	if (!e->nver || !e->dynsym.have || !e->versym.have ||
	    e->dynsym.link >= e->shnum || get_shdr(e, e->dynsym.link, &strsh) < 0 ||
	    view_sub(e->v, strsh.offset, strsh.size, &str) < 0)
		return;
	n = e->dynsym.size / entsz;
	if (n > e->versym.size / 2)
		n = e->versym.size / 2;
	for (uint64_t i = 1; i < n && a->version_syms.n < MAX_VERSION_SYMS; i++) {
		uint64_t so = e->dynsym.offset + i * entsz;
		uint32_t name = 0;
		uint16_t shndx = 1, ver = 0;
		const char *sym;
		size_t len;
		int k;

		if (rd16(e, e->versym.offset + i * 2, &ver) < 0 || rd32(e, so, &name) < 0 ||
		    rd16(e, so + (e->is64 ? 6 : 14), &shndx) < 0)
			return;
		if (shndx != 0 || (ver & 0x7fff) < 2)
			continue;
		for (k = 0; k < e->nver && e->veridx[k] != (ver & 0x7fff); k++)
			;
		if (k == e->nver || !(sym = view_str(&str, name, MAX_NAME, &len)))
			continue;
		strv_pushf(&a->version_syms, "%s %.*s", e->vername[k], (int)len, sym);
	}
}

/* The names .dynsym offers other modules: defined (st_shndx not
 * SHN_UNDEF), bound GLOBAL, WEAK or GNU_UNIQUE, visible (default or
 * protected), and naming code or data, not a section or a file.  NOTYPE
 * stays: assembly entry points (Go's crosscall1) have no type.  1 when the
 * table was read, 0 when it does not fit the file. */
static int read_exports(struct elf *e)
{
	struct artifact *a = e->a;
	uint64_t entsz = e->is64 ? 24 : 16, n, bad = 0, first_bad = 0;
	uint32_t first_name = 0;
	struct shdr strsh;
	struct view syms, str;

	if (view_sub(e->v, e->dynsym.offset, e->dynsym.size, &syms) < 0) {
		artifact_malformed(a, "dynamic symbol table (%llu bytes at offset "
				   "%#llx) extends past the end of the file",
				   (unsigned long long)e->dynsym.size,
				   (unsigned long long)e->dynsym.offset);
		return 0;
	}
	if (e->dynsym.link >= e->shnum || get_shdr(e, e->dynsym.link, &strsh) < 0) {
		artifact_malformed(a, "dynamic symbol table's string table index "
				   "%u is not below the section count %u",
				   e->dynsym.link, e->shnum);
		return 0;
	}
	if (view_sub(e->v, strsh.offset, strsh.size, &str) < 0) {
		artifact_malformed(a, "dynamic string table (%llu bytes at offset "
				   "%#llx) extends past the end of the file",
				   (unsigned long long)strsh.size,
				   (unsigned long long)strsh.offset);
		return 0;
	}
	n = syms.n / entsz;
	/* Entry 0 is the reserved null symbol. */
	for (uint64_t i = 1; i < n; i++) {
		uint64_t so = i * entsz;
		uint32_t name = 0;
		uint16_t shndx = 0;
		uint8_t info = 0, other = 0;
		unsigned bind, type, vis;
		const char *sym;
		size_t len;

		view_u32(&syms, so, e->be, &name);
		view_u8(&syms, so + (e->is64 ? 4 : 12), &info);
		view_u8(&syms, so + (e->is64 ? 5 : 13), &other);
		view_u16(&syms, so + (e->is64 ? 6 : 14), e->be, &shndx);
		bind = info >> 4;
		type = info & 0xf;
		vis = other & 3;
		if (shndx == 0 || type == STT_SECTION || type == STT_FILE ||
		    (bind != STB_GLOBAL && bind != STB_WEAK && bind != STB_GNU_UNIQUE) ||
		    (vis != STV_DEFAULT && vis != STV_PROTECTED))
			continue;
		sym = view_str(&str, name, MAX_NAME, &len);
		if (!sym) {
			if (!bad++) {
				first_bad = i;
				first_name = name;
			}
			continue;
		}
		if (len)
			artifact_add_export(a, sym, len);
	}
	/* One finding for them all: a lying table must not use up the
	 * findings the rest of the file may need. */
	if (bad)
		artifact_malformed(a, "%llu dynamic symbol name%s outside .dynstr "
				   "(symbol %llu's at string offset %u)",
				   (unsigned long long)bad, bad == 1 ? " is" : "s are",
				   (unsigned long long)first_bad, first_name);
	return 1;
}

void elf_read(struct artifact *a, const struct view *v, int shallow)
{
	struct elf e = { .a = a, .v = v };
	uint8_t cls = 0, data = 0, osabi = 0;
	uint16_t type = 0, machine = 0, phnum16 = 0, shnum16 = 0, shstrndx16 = 0;
	uint32_t flags = 0;
	const char *os = NULL, *nos = NULL;
	int have_symtab = 0, have_debug = 0, have_interp = 0;
	struct dyninfo dyn = { 0 };
	struct phdr dynph = { 0 };
	int have_dyn = 0;

	a->format = ARTIFACT_FMT_ELF;
	if (view_u8(v, 4, &cls) < 0 || view_u8(v, 5, &data) < 0 ||
	    view_u8(v, 7, &osabi) < 0) {
		artifact_malformed(a, "ELF identification is truncated");
		return;
	}
	if (cls != 1 && cls != 2) {
		artifact_malformed(a, "ELF class %u is neither 32- nor 64-bit", cls);
		return;
	}
	if (data != 1 && data != 2) {
		artifact_malformed(a, "ELF data encoding %u is neither LSB nor MSB", data);
		return;
	}
	e.is64 = cls == 2;
	e.be = data == 2;
	a->bits = e.is64 ? 64 : 32;
	a->endian = e.be ? ARTIFACT_BIG : ARTIFACT_LITTLE;
	a->format_detail = e.is64 ? (e.be ? "ELF 64-bit MSB" : "ELF 64-bit LSB")
				  : (e.be ? "ELF 32-bit MSB" : "ELF 32-bit LSB");
	a->os_abi = osabi_name(osabi, &os);
	if (rd16(&e, 16, &type) < 0 || rd16(&e, 18, &machine) < 0 ||
	    !view_has(v, 0, e.is64 ? 64 : 52)) {
		artifact_malformed(a, "ELF header is truncated (%zu bytes)", v->n);
		return;
	}
	a->machine = elf_machine_name(machine, a->bits);
	if (!a->machine)
		artifact_malformed(a, "unknown ELF machine %u", machine);
	if (e.is64) {
		rdw(&e, 32, &e.phoff);
		rdw(&e, 40, &e.shoff);
		rd32(&e, 48, &flags);
		rd16(&e, 54, &e.phentsize);
		rd16(&e, 56, &phnum16);
		rd16(&e, 58, &e.shentsize);
		rd16(&e, 60, &shnum16);
		rd16(&e, 62, &shstrndx16);
	} else {
		rdw(&e, 28, &e.phoff);
		rdw(&e, 32, &e.shoff);
		rd32(&e, 36, &flags);
		rd16(&e, 42, &e.phentsize);
		rd16(&e, 44, &phnum16);
		rd16(&e, 46, &e.shentsize);
		rd16(&e, 48, &shnum16);
		rd16(&e, 50, &shstrndx16);
	}
	if (machine == 40) {
		if (flags & EF_ARM_ABI_FLOAT_HARD)
			a->arm_float = 2;
		else if (flags & EF_ARM_ABI_FLOAT_SOFT)
			a->arm_float = 1;
	}
	switch (type) {
	case 1: a->kind = ARTIFACT_KIND_OBJECT; break;
	case 2: a->kind = ARTIFACT_KIND_EXECUTABLE; break;
	case 3: a->kind = ARTIFACT_KIND_SHARED; break;
	case 4: a->kind = ARTIFACT_KIND_CORE; break;
	default: artifact_malformed(a, "unknown ELF file type %u", type);
	}

	/* Section headers first: section 0 holds the real counts when they do
	 * not fit the header's 16-bit fields. */
	e.shnum = shnum16;
	e.shstrndx = shstrndx16;
	e.phnum = phnum16;
	/* Shallow (archive members): not even section 0, which lies at the
	 * far end of each member and would cost a page per member. */
	if (e.shoff && !shallow) {
		if (e.shentsize < (e.is64 ? 64 : 40)) {
			artifact_malformed(a, "section header size %u is too small",
					   e.shentsize);
			e.shnum = 0;
		} else {
			struct shdr s0;
			uint32_t info = 0;

			e.shnum = 1;
			if (get_shdr(&e, 0, &s0) < 0) {
				artifact_malformed(a, "section headers at offset %#llx "
						   "are outside the file (%zu bytes)",
						   (unsigned long long)e.shoff, v->n);
				e.shnum = 0;
			} else {
				e.shnum = shnum16 ? shnum16
						  : (s0.size > UINT32_MAX ? UINT32_MAX
									  : (uint32_t)s0.size);
				if (shstrndx16 == 0xffff)
					e.shstrndx = s0.link;
				if (phnum16 == 0xffff && rd32(&e, e.shoff + (e.is64 ? 44 : 28),
							      &info) == 0)
					e.phnum = info;
				if (!view_has(v, e.shoff, (uint64_t)e.shnum * e.shentsize)) {
					artifact_malformed(a, "%u section headers of %u bytes "
						"at offset %#llx extend past the end of the "
						"file (%zu bytes)", e.shnum, e.shentsize,
						(unsigned long long)e.shoff, v->n);
					e.shnum = 0;
				}
			}
		}
	} else {
		e.shnum = 0;
	}
	if (e.phnum && e.phentsize < (e.is64 ? 56 : 32)) {
		artifact_malformed(a, "program header size %u is too small", e.phentsize);
		e.phnum = 0;
	}
	if (e.phnum > MAX_PHDRS ||
	    (e.phnum && !view_has(v, e.phoff, (uint64_t)e.phnum * e.phentsize))) {
		artifact_malformed(a, "%u program headers of %u bytes at offset "
				   "%#llx extend past the end of the file (%zu bytes)",
				   e.phnum, e.phentsize, (unsigned long long)e.phoff, v->n);
		e.phnum = 0;
	}

	for (uint32_t i = 0; i < e.phnum; i++) {
		struct phdr ph;

		get_phdr(&e, i, &ph);
		/* Separate debug files (objcopy --only-keep-debug) keep the
		 * program headers but not the bytes: filesz 0, nothing to read. */
		if (ph.type == PT_INTERP && !have_interp && ph.filesz) {
			struct view iv;
			const char *s;
			size_t len;

			have_interp = 1;
			if (view_sub(v, ph.offset, ph.filesz, &iv) < 0 ||
			    !(s = view_str(&iv, 0, MAX_NAME, &len))) {
				artifact_malformed(a, "interpreter path (%llu bytes at "
						   "offset %#llx) is outside the file or "
						   "not terminated",
						   (unsigned long long)ph.filesz,
						   (unsigned long long)ph.offset);
			} else {
				a->interpreter = xstrndup(s, len);
			}
		} else if (ph.type == PT_DYNAMIC && !have_dyn) {
			have_dyn = 1;
			dynph = ph;
		} else if (ph.type == PT_NOTE && !nos) {
			nos = note_os(&e, ph.offset, ph.filesz);
		}
	}
	if (have_dyn)
		read_dynamic(&e, &dynph, &dyn);
	if (!shallow) {
		read_sections(&e, &have_symtab, &have_debug, &nos);
		read_version_syms(&e);
		/* No .dynsym but dynamic: sstrip took the section headers,
		 * and what it exports is not known.  No PT_DYNAMIC: nothing. */
		if (e.dynsym.have)
			a->exports_read = read_exports(&e);
		else
			a->exports_read = !have_dyn && e.shnum;
	}

	if (a->kind == ARTIFACT_KIND_SHARED &&
	    (dyn.pie_flag || (a->interpreter && !dyn.soname && !dyn.flags1)))
		a->kind = ARTIFACT_KIND_PIE;
	if (a->kind == ARTIFACT_KIND_EXECUTABLE || a->kind == ARTIFACT_KIND_PIE)
		a->is_static = !a->interpreter && a->needed.n == 0;
	else if (a->kind == ARTIFACT_KIND_SHARED)
		a->is_static = ARTIFACT_NO;
	if (!shallow) {
		if (a->kind != ARTIFACT_KIND_CORE)
			a->stripped = !have_symtab;
		a->debug_info = have_debug;
	}

	if (!os)
		os = nos;
	if (!os)
		os = interp_os(a->interpreter);
	if (!os && a->glibc_max[0])
		os = "linux";
	a->os = os;
}
