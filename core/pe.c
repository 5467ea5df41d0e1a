/* pe.c - read a PE image or COFF object, trusting none of it.
 *
 * Imports and exports are found through the data directories, whose
 * addresses are RVAs: each is mapped to a file offset through the section
 * table and checked against the file before it is read.
 */
#include "pe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SECTIONS 65535
#define MAX_IMPORTS 4096
#define MAX_NAME 4096

#define FILE_EXECUTABLE 0x0002
#define FILE_DLL 0x2000

struct pe {
	struct artifact *a;
	const struct view *v;
	uint64_t sect_off;      /* section table */
	uint32_t nsect;
	uint32_t size_of_headers;
	struct view strtab;     /* COFF string table, for long section names */
};

static const struct { unsigned m; const char *name; int bits; } machines[] = {
	{ 0x014c, "i386", 32 },
	{ 0x8664, "x86_64", 64 },
	{ 0xaa64, "aarch64", 64 },
	{ 0xa641, "aarch64", 64 },   /* ARM64EC */
	{ 0xa64e, "aarch64", 64 },   /* ARM64X */
	{ 0x01c0, "arm", 32 },
	{ 0x01c2, "arm", 32 },
	{ 0x01c4, "arm", 32 },
	{ 0x5032, "riscv32", 32 },
	{ 0x5064, "riscv64", 64 },
	{ 0x6232, "loongarch32", 32 },
	{ 0x6264, "loongarch64", 64 },
	{ 0x0200, "ia64", 64 },
	{ 0x01f0, "powerpc", 32 },
	{ 0x01f1, "powerpc", 32 },
	{ 0x0ebc, "ebc", 64 },
};

const char *pe_machine_name(unsigned machine, int *bits)
{
	for (size_t i = 0; i < sizeof machines / sizeof *machines; i++)
		if (machines[i].m == machine) {
			if (bits)
				*bits = machines[i].bits;
			return machines[i].name;
		}
	return NULL;
}

static int u16le(const struct view *v, uint64_t off, uint16_t *out)
{
	return view_u16(v, off, 0, out);
}

static int u32le(const struct view *v, uint64_t off, uint32_t *out)
{
	return view_u32(v, off, 0, out);
}

int pe_detect(const struct view *v)
{
	uint32_t lfanew = 0;

	if (v->n < 64 || v->p[0] != 'M' || v->p[1] != 'Z')
		return 0;
	if (u32le(v, 0x3c, &lfanew) < 0 || !view_has(v, lfanew, 4))
		return 0;
	return memcmp(v->p + lfanew, "PE\0\0", 4) == 0;
}

int pe_detect_coff(const struct view *v)
{
	uint16_t machine = 0, nsect = 0, optsz = 0, sig2 = 0;
	uint32_t symptr = 0, nsyms = 0;

	if (u16le(v, 0, &machine) < 0 || u16le(v, 2, &sig2) < 0)
		return 0;
	/* Short import and bigobj headers: Sig1 0, Sig2 0xffff. */
	if (machine == 0 && sig2 == 0xffff)
		return u16le(v, 6, &machine) == 0 && pe_machine_name(machine, NULL);
	if (!pe_machine_name(machine, NULL) || v->n < 20)
		return 0;
	nsect = sig2;
	u32le(v, 8, &symptr);
	u32le(v, 12, &nsyms);
	u16le(v, 16, &optsz);
	if (optsz != 0 || nsect == 0 || nsect > 96 * 8)
		return 0;
	if (!view_has(v, 20, (uint64_t)nsect * 40))
		return 0;
	if (symptr && !view_has(v, symptr, (uint64_t)nsyms * 18))
		return 0;
	for (uint16_t i = 0; i < nsect; i++) {
		uint32_t rawsz = 0, rawptr = 0;

		u32le(v, 20 + i * 40u + 16, &rawsz);
		u32le(v, 20 + i * 40u + 20, &rawptr);
		if (rawsz && !view_has(v, rawptr, rawsz))
			return 0;
	}
	return 1;
}

/* The COFF string table follows the symbol table; its first word is its
 * own size.  Long section names ("/4") are offsets into it. */
static void find_strtab(struct pe *p, uint32_t symptr, uint32_t nsyms)
{
	uint64_t off = (uint64_t)symptr + (uint64_t)nsyms * 18;
	uint32_t size = 0;

	p->strtab.p = NULL;
	p->strtab.n = 0;
	if (!symptr || u32le(p->v, off, &size) < 0 || size < 4)
		return;
	if (view_sub(p->v, off, size, &p->strtab) < 0)
		artifact_malformed(p->a, "COFF string table (%u bytes at offset "
				   "%#llx) extends past the end of the file", size,
				   (unsigned long long)off);
}

/* Section i's name, resolving "/N" through the string table. */
static void section_name(const struct pe *p, uint32_t i, char *out, size_t cap)
{
	const unsigned char *raw = p->v->p + p->sect_off + (uint64_t)i * 40;
	size_t len = 0;

	while (len < 8 && raw[len])
		len++;
	if (len > 1 && raw[0] == '/' && p->strtab.n) {
		char num[9];
		const char *s;
		size_t sl;

		memcpy(num, raw + 1, len - 1);
		num[len - 1] = '\0';
		s = view_str(&p->strtab, strtoul(num, NULL, 10), MAX_NAME, &sl);
		if (s) {
			snprintf(out, cap, "%.*s", (int)sl, s);
			return;
		}
	}
	snprintf(out, cap, "%.*s", (int)len, (const char *)raw);
}

/* 0 and *off, or -1 when no section holds rva, or -2 when one does but
 * has no file data there (uninitialised data, debug-only images). */
static int rva_to_off(const struct pe *p, uint32_t rva, uint64_t *off)
{
	for (uint32_t i = 0; i < p->nsect; i++) {
		uint64_t s = p->sect_off + (uint64_t)i * 40;
		uint32_t vsize = 0, va = 0, rawsz = 0, rawptr = 0, span = 0;

		u32le(p->v, s + 8, &vsize);
		u32le(p->v, s + 12, &va);
		u32le(p->v, s + 16, &rawsz);
		u32le(p->v, s + 20, &rawptr);
		span = vsize > rawsz ? vsize : rawsz;
		if (rva < va || rva - va >= span)
			continue;
		if (rva - va >= rawsz)
			return -2;   /* in the section, but not in the file */
		*off = (uint64_t)rawptr + (rva - va);
		return view_has(p->v, *off, 1) ? 0 : -1;
	}
	if (rva < p->size_of_headers && view_has(p->v, rva, 1)) {
		*off = rva;
		return 0;
	}
	return -1;
}

/* A DLL name at rva; NULL (and a finding) when it is not in the file. */
static const char *name_at(struct pe *p, uint32_t rva, size_t *len, const char *what)
{
	uint64_t off = 0;
	const char *s;

	if (rva_to_off(p, rva, &off) < 0 ||
	    !(s = view_str(p->v, off, MAX_NAME, len))) {
		artifact_malformed(p->a, "%s name at RVA %#x is outside the file "
				   "or not terminated", what, rva);
		return NULL;
	}
	return s;
}

/* Walk an array of fixed-size descriptors ending with an all-zero one.  The
 * array must lie in the file; its length is bounded by MAX_IMPORTS. */
static void read_imports(struct pe *p, uint32_t rva, uint32_t entsz,
			 uint32_t name_field, const char *what)
{
	uint64_t off = 0;
	int rc;

	if (!rva)
		return;
	rc = rva_to_off(p, rva, &off);
	/* A section without file data holds the directory: a debug-only
	 * image (objcopy --only-keep-debug); there is nothing to read. */
	if (rc == -2)
		return;
	if (rc < 0) {
		artifact_malformed(p->a, "%s directory at RVA %#x is not in any "
				   "section of the file", what, rva);
		return;
	}
	for (unsigned i = 0;; i++) {
		uint32_t name = 0, first = 0;
		const char *s;
		size_t len;

		if (i == MAX_IMPORTS) {
			artifact_malformed(p->a, "more than %d %s descriptors",
					   MAX_IMPORTS, what);
			return;
		}
		if (u32le(p->v, off + (uint64_t)i * entsz + name_field, &name) < 0 ||
		    u32le(p->v, off + (uint64_t)i * entsz + entsz - 4, &first) < 0) {
			artifact_malformed(p->a, "%s directory runs past the end of "
					   "the file", what);
			return;
		}
		if (name == 0)
			return;
		s = name_at(p, name, &len, what);
		if (!s)
			return;
		artifact_add_needed(p->a, s, len);
	}
}

/* The export directory's named exports (data directory 0): the Export
 * Directory Table's NumberOfNames RVAs at AddressOfNamePointers, each a
 * name.  The pointer table must lie in the file; names are resolved for
 * the first ARTIFACT_EXPORTS_MAX only, the rest are counted.  1 when the
 * directory was read, 0 when there was nothing to read. */
static int read_exports(struct pe *p, uint32_t rva)
{
	uint64_t off = 0, names = 0;
	uint32_t nnames = 0, names_rva = 0, listed;
	int rc;

	if (!rva)
		return 1;
	rc = rva_to_off(p, rva, &off);
	if (rc == -2)
		return 0;   /* a debug-only image, as in read_imports */
	if (rc < 0) {
		artifact_malformed(p->a, "export directory at RVA %#x is not in "
				   "any section of the file", rva);
		return 0;
	}
	if (u32le(p->v, off + 24, &nnames) < 0 || u32le(p->v, off + 32, &names_rva) < 0) {
		artifact_malformed(p->a, "export directory at RVA %#x runs past "
				   "the end of the file", rva);
		return 0;
	}
	if (!nnames)
		return 1;
	rc = rva_to_off(p, names_rva, &names);
	if (rc == -2)
		return 0;
	if (rc < 0 || !view_has(p->v, names, (uint64_t)nnames * 4)) {
		artifact_malformed(p->a, "%u export names claimed, but their "
				   "pointer table at RVA %#x is not in the file",
				   nnames, names_rva);
		return 0;
	}
	listed = nnames < ARTIFACT_EXPORTS_MAX ? nnames : ARTIFACT_EXPORTS_MAX;
	for (uint32_t i = 0; i < listed; i++) {
		uint32_t name = 0;
		const char *s;
		size_t len;

		u32le(p->v, names + (uint64_t)i * 4, &name);
		s = name_at(p, name, &len, "export");
		if (!s)
			return 1;
		artifact_add_export(p->a, s, len);
	}
	p->a->exports_total += nnames - listed;
	return 1;
}

static const char *subsystem_name(unsigned s)
{
	switch (s) {
	case 1: return "native";
	case 2: return "gui";
	case 3: return "console";
	case 5: return "os2-console";
	case 7: return "posix-console";
	case 9: return "windows-ce-gui";
	case 10: return "efi-application";
	case 11: return "efi-boot-service-driver";
	case 12: return "efi-runtime-driver";
	case 13: return "efi-rom";
	case 14: return "xbox";
	case 16: return "windows-boot-application";
	}
	return "unknown";
}

static void read_sections(struct pe *p, uint16_t nsect, uint64_t sect_off,
			  uint32_t symptr, uint32_t nsyms)
{
	struct artifact *a = p->a;

	p->sect_off = sect_off;
	p->nsect = nsect;
	if (!view_has(p->v, sect_off, (uint64_t)nsect * 40)) {
		artifact_malformed(a, "%u section headers at offset %#llx extend "
				   "past the end of the file (%zu bytes)", nsect,
				   (unsigned long long)sect_off, p->v->n);
		p->nsect = 0;
	}
	find_strtab(p, symptr, nsyms);
	a->stripped = symptr == 0 || nsyms == 0;
	a->debug_info = 0;
	for (uint32_t i = 0; i < p->nsect; i++) {
		char name[64];

		section_name(p, i, name, sizeof name);
		if (!strcmp(name, ".debug_info"))
			a->debug_info = 1;
	}
}

void pe_read_coff(struct artifact *a, const struct view *v, int shallow)
{
	struct pe p = { .a = a, .v = v };
	uint16_t machine = 0, nsect = 0, sig2 = 0;
	uint32_t symptr = 0, nsyms = 0;

	a->format = ARTIFACT_FMT_PE;
	a->kind = ARTIFACT_KIND_OBJECT;
	a->endian = ARTIFACT_LITTLE;
	a->format_detail = "COFF";
	a->os = "windows";
	u16le(v, 0, &machine);
	u16le(v, 2, &sig2);
	if (machine == 0 && sig2 == 0xffff) {
		/* An import-library member or a bigobj object: no sections we
		 * can walk without the rest of its header variants. */
		u16le(v, 6, &machine);
		a->machine = pe_machine_name(machine, &a->bits);
		return;
	}
	nsect = sig2;
	a->machine = pe_machine_name(machine, &a->bits);
	u32le(v, 8, &symptr);
	u32le(v, 12, &nsyms);
	if (!shallow)
		read_sections(&p, nsect, 20, symptr, nsyms);
}

void pe_read(struct artifact *a, const struct view *v, int shallow)
{
	struct pe p = { .a = a, .v = v };
	uint32_t lfanew = 0, symptr = 0, nsyms = 0, ndirs = 0;
	uint16_t machine = 0, nsect = 0, optsz = 0, chars = 0, magic = 0, osmaj = 0,
		 osmin = 0, ssmaj = 0, ssmin = 0,
		 subsys = 0;
	uint64_t coff = 0, opt = 0, dirs = 0;
	int bits = 0;

	a->format = ARTIFACT_FMT_PE;
	a->endian = ARTIFACT_LITTLE;
	a->os = "windows";
	a->format_detail = "PE";
	u32le(v, 0x3c, &lfanew);
	coff = (uint64_t)lfanew + 4;
	if (!view_has(v, coff, 20)) {
		artifact_malformed(a, "COFF header at offset %#llx is truncated",
				   (unsigned long long)coff);
		return;
	}
	u16le(v, coff, &machine);
	u16le(v, coff + 2, &nsect);
	u32le(v, coff + 8, &symptr);
	u32le(v, coff + 12, &nsyms);
	u16le(v, coff + 16, &optsz);
	u16le(v, coff + 18, &chars);
	a->machine = pe_machine_name(machine, &bits);
	if (!a->machine)
		artifact_malformed(a, "unknown PE machine %#x", machine);
	a->kind = (chars & FILE_DLL) ? ARTIFACT_KIND_SHARED :
		  (chars & FILE_EXECUTABLE) ? ARTIFACT_KIND_EXECUTABLE :
					      ARTIFACT_KIND_OBJECT;
	opt = coff + 20;
	read_sections(&p, nsect, opt + optsz, symptr, nsyms);
	if (u16le(v, opt, &magic) < 0 || optsz < 2) {
		artifact_malformed(a, "optional header is missing or truncated");
		a->bits = bits;
		return;
	}
	if (magic == 0x10b) {
		a->bits = 32;
		a->format_detail = "PE32";
		dirs = opt + 96;
		u32le(v, opt + 92, &ndirs);
	} else if (magic == 0x20b) {
		a->bits = 64;
		a->format_detail = "PE32+";
		dirs = opt + 112;
		u32le(v, opt + 108, &ndirs);
	} else {
		artifact_malformed(a, "optional header magic %#x is neither PE32 "
				   "nor PE32+", magic);
		a->bits = bits;
		return;
	}
	if (optsz < 72 || u16le(v, opt + 70, &subsys) < 0) {
		artifact_malformed(a, "optional header (%u bytes) is truncated", optsz);
		return;
	}
	u16le(v, opt + 40, &osmaj);
	u16le(v, opt + 42, &osmin);
	u16le(v, opt + 48, &ssmaj);
	u16le(v, opt + 50, &ssmin);
	u16le(v, opt + 68, &subsys);
	u32le(v, opt + 60, &p.size_of_headers);
	a->subsystem = subsystem_name(subsys);
	if (subsys >= 10 && subsys <= 13)
		a->os = "uefi";
	snprintf(a->min_os, sizeof a->min_os, "%u.%u", osmaj, osmin);
	snprintf(a->subsystem_version, sizeof a->subsystem_version, "%u.%u",
		 ssmaj, ssmin);
	/* Data directories: only those inside the optional header count. */
	if (dirs + (uint64_t)ndirs * 8 > opt + optsz) {
		uint64_t fit = opt + optsz > dirs ? (opt + optsz - dirs) / 8 : 0;

		if (ndirs > 16)
			artifact_malformed(a, "%u data directories claimed, %llu fit "
					   "the optional header", ndirs,
					   (unsigned long long)fit);
		ndirs = (uint32_t)fit;
	}
	if (ndirs > 0 && !shallow) {
		uint32_t rva = 0;

		u32le(v, dirs, &rva);
		a->exports_read = read_exports(&p, rva);
	} else if (!shallow) {
		a->exports_read = 1;   /* no directory: nothing exported */
	}
	if (ndirs > 1) {
		uint32_t rva = 0;

		u32le(v, dirs + 8, &rva);
		read_imports(&p, rva, 20, 12, "import");
	}
	if (ndirs > 13) {
		uint32_t rva = 0;

		u32le(v, dirs + 13 * 8, &rva);
		read_imports(&p, rva, 32, 4, "delay-load import");
	}
	if (a->kind == ARTIFACT_KIND_EXECUTABLE)
		a->is_static = a->needed.n == 0;
}
