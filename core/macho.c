/* macho.c - read a Mach-O file or a fat (universal) file, trusting none of
 * it: every load command must lie inside sizeofcmds and the file, and say
 * a size large enough for what it claims to hold. */
#include "macho.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CMDS 65536
#define MAX_FAT 64
#define MAX_NAME 4096

#define LC_SEGMENT 0x1
#define LC_SYMTAB 0x2
#define LC_DYSYMTAB 0xb
#define LC_LOAD_DYLIB 0xc
#define LC_LOAD_DYLINKER 0xe
#define LC_SEGMENT_64 0x19
#define LC_LAZY_LOAD_DYLIB 0x20
#define LC_VERSION_MIN_MACOSX 0x24
#define LC_VERSION_MIN_IPHONEOS 0x25
#define LC_VERSION_MIN_TVOS 0x2f
#define LC_VERSION_MIN_WATCHOS 0x30
#define LC_BUILD_VERSION 0x32
#define LC_REQ_DYLD 0x80000000u
#define LC_LOAD_WEAK_DYLIB (0x18 | LC_REQ_DYLD)
#define LC_REEXPORT_DYLIB (0x1f | LC_REQ_DYLD)
#define LC_LOAD_UPWARD_DYLIB (0x23 | LC_REQ_DYLD)
#define MH_PIE 0x200000

static const struct { uint32_t cpu; const char *name; int bits; } cpus[] = {
	{ 7, "i386", 32 },
	{ 0x01000007, "x86_64", 64 },
	{ 12, "arm", 32 },
	{ 0x0100000c, "aarch64", 64 },
	{ 0x0200000c, "arm64_32", 32 },
	{ 18, "powerpc", 32 },
	{ 0x01000012, "powerpc64", 64 },
};

const char *macho_machine_name(uint32_t cputype, int *bits)
{
	for (size_t i = 0; i < sizeof cpus / sizeof *cpus; i++)
		if (cpus[i].cpu == cputype) {
			if (bits)
				*bits = cpus[i].bits;
			return cpus[i].name;
		}
	return NULL;
}

int macho_detect(const struct view *v)
{
	uint32_t m = 0;

	if (view_u32(v, 0, 1, &m) < 0)
		return 0;
	return m == 0xfeedface || m == 0xfeedfacf || m == 0xcefaedfe ||
	       m == 0xcffaedfe;
}

int macho_detect_fat(const struct view *v)
{
	uint32_t m = 0, n = 0;

	if (view_u32(v, 0, 1, &m) < 0 || view_u32(v, 4, 1, &n) < 0)
		return 0;
	/* Java class files: 0xcafebabe then minor and major version (>= 45),
	 * which read as a count well above any real fat file's. */
	return (m == 0xcafebabe || m == 0xcafebabf) && n >= 1 && n < 20;
}

static void platform_os(struct artifact *a, uint32_t platform)
{
	static const char *const names[] = {
		NULL, "macos", "ios", "tvos", "watchos", "bridgeos", "ios",
		"ios", "tvos", "watchos", "driverkit", "visionos", "visionos",
	};
	if (platform < sizeof names / sizeof *names)
		a->os = names[platform];
}

/* Versions are packed xxxx.yy.zz. */
static void version(char out[ARTIFACT_VERSION_MAX], uint32_t v)
{
	if (v == 0)          /* "n/a": objects carry no SDK version */
		out[0] = '\0';
	else if (v & 0xff)
		snprintf(out, ARTIFACT_VERSION_MAX, "%u.%u.%u", v >> 16,
			 (v >> 8) & 0xff, v & 0xff);
	else
		snprintf(out, ARTIFACT_VERSION_MAX, "%u.%u", v >> 16, (v >> 8) & 0xff);
}

/* An lc_str: an offset from the command's start to a string inside it. */
static const char *cmd_str(const struct view *cmd, uint32_t off, size_t *len)
{
	return view_str(cmd, off, MAX_NAME, len);
}

static void read_sections(struct artifact *a, const struct view *cmd, int is64,
			  int be)
{
	uint32_t nsects = 0;
	uint64_t first = is64 ? 72 : 56, each = is64 ? 80 : 68;

	if (view_u32(cmd, is64 ? 64 : 48, be, &nsects) < 0)
		return;
	if (!view_has(cmd, first, (uint64_t)nsects * each)) {
		artifact_malformed(a, "segment claims %u sections, more than its "
				   "command holds", nsects);
		return;
	}
	for (uint32_t i = 0; i < nsects; i++) {
		const unsigned char *s = cmd->p + first + i * each;

		if (!strncmp((const char *)s, "__debug_info", 16))
			a->debug_info = 1;
	}
}

void macho_read(struct artifact *a, const struct view *v)
{
	uint32_t magic = 0, cputype = 0, filetype = 0, ncmds = 0, sizeofcmds = 0, flags = 0;
	uint64_t off = 0, end = 0;
	int be, is64, have_symtab = 0, have_dysymtab = 0;
	uint32_t nsyms = 0, nlocal = 0;

	a->format = ARTIFACT_FMT_MACHO;
	view_u32(v, 0, 1, &magic);
	be = magic == 0xfeedface || magic == 0xfeedfacf;
	is64 = magic == 0xfeedfacf || magic == 0xcffaedfe;
	a->endian = be ? ARTIFACT_BIG : ARTIFACT_LITTLE;
	a->bits = is64 ? 64 : 32;
	a->format_detail = is64 ? "Mach-O 64-bit" : "Mach-O";
	if (!view_has(v, 0, is64 ? 32 : 28)) {
		artifact_malformed(a, "Mach-O header is truncated (%zu bytes)", v->n);
		return;
	}
	view_u32(v, 4, be, &cputype);
	view_u32(v, 12, be, &filetype);
	view_u32(v, 16, be, &ncmds);
	view_u32(v, 20, be, &sizeofcmds);
	view_u32(v, 24, be, &flags);
	a->machine = macho_machine_name(cputype, &a->bits);
	if (!a->machine)
		artifact_malformed(a, "unknown Mach-O CPU type %#x", cputype);
	switch (filetype) {
	case 1: a->kind = ARTIFACT_KIND_OBJECT; break;
	case 2: a->kind = (flags & MH_PIE) ? ARTIFACT_KIND_PIE
					   : ARTIFACT_KIND_EXECUTABLE; break;
	case 4: a->kind = ARTIFACT_KIND_CORE; break;
	case 6: case 9: a->kind = ARTIFACT_KIND_SHARED; break;
	case 7: a->kind = ARTIFACT_KIND_EXECUTABLE; break;   /* dyld itself */
	case 8: a->kind = ARTIFACT_KIND_BUNDLE; break;
	default: a->kind = ARTIFACT_KIND_UNKNOWN;
	}
	off = is64 ? 32 : 28;
	if (!view_has(v, off, sizeofcmds)) {
		artifact_malformed(a, "load commands (%u bytes) extend past the end "
				   "of the file (%zu bytes)", sizeofcmds, v->n);
		sizeofcmds = (uint32_t)(v->n - off);
	}
	end = off + sizeofcmds;
	if (ncmds > MAX_CMDS) {
		artifact_malformed(a, "%u load commands claimed", ncmds);
		ncmds = MAX_CMDS;
	}
	a->debug_info = 0;
	for (uint32_t i = 0; i < ncmds; i++) {
		uint32_t cmd = 0, size = 0, u1 = 0, u2 = 0, u3 = 0;
		struct view c;
		const char *s;
		size_t len;

		if (end - off < 8) {
			artifact_malformed(a, "load command %u of %u is outside "
					   "sizeofcmds", i + 1, ncmds);
			break;
		}
		view_u32(v, off, be, &cmd);
		view_u32(v, off + 4, be, &size);
		if (size < 8 || size > end - off) {
			artifact_malformed(a, "load command %u has size %u (%llu bytes "
					   "left)", i + 1, size,
					   (unsigned long long)(end - off));
			break;
		}
		view_sub(v, off, size, &c);
		view_u32(&c, 8, be, &u1);
		view_u32(&c, 12, be, &u2);
		view_u32(&c, 16, be, &u3);
		switch (cmd) {
		case LC_LOAD_DYLIB: case LC_LOAD_WEAK_DYLIB: case LC_REEXPORT_DYLIB:
		case LC_LAZY_LOAD_DYLIB: case LC_LOAD_UPWARD_DYLIB:
			if ((s = cmd_str(&c, u1, &len)))
				artifact_add_needed(a, s, len);
			else
				artifact_malformed(a, "dylib name of load command %u "
						   "is outside it", i + 1);
			break;
		case LC_LOAD_DYLINKER:
			if ((s = cmd_str(&c, u1, &len))) {
				if (!a->interpreter)
					a->interpreter = xstrndup(s, len);
			} else {
				artifact_malformed(a, "dylinker name is outside its "
						   "load command");
			}
			break;
		case LC_BUILD_VERSION:
			if (size >= 24) {
				platform_os(a, u1);
				version(a->min_os, u2);
				version(a->sdk, u3);
			}
			break;
		case LC_VERSION_MIN_MACOSX: case LC_VERSION_MIN_IPHONEOS:
		case LC_VERSION_MIN_TVOS: case LC_VERSION_MIN_WATCHOS:
			if (size >= 16 && !a->min_os[0]) {
				a->os = cmd == LC_VERSION_MIN_MACOSX ? "macos" :
					cmd == LC_VERSION_MIN_IPHONEOS ? "ios" :
					cmd == LC_VERSION_MIN_TVOS ? "tvos" : "watchos";
				version(a->min_os, u1);
				version(a->sdk, u2);
			}
			break;
		case LC_SYMTAB:
			if (size >= 24) {
				have_symtab = 1;
				nsyms = u2;
			}
			break;
		case LC_DYSYMTAB:
			if (size >= 80) {
				have_dysymtab = 1;
				nlocal = u2;
			}
			break;
		case LC_SEGMENT:
		case LC_SEGMENT_64:
			read_sections(a, &c, cmd == LC_SEGMENT_64, be);
			break;
		}
		off += size;
	}
	if (a->kind == ARTIFACT_KIND_OBJECT)
		a->stripped = !have_symtab || nsyms == 0;
	else if (a->kind != ARTIFACT_KIND_CORE)
		a->stripped = !have_symtab || (have_dysymtab && nlocal == 0);
	if (a->kind == ARTIFACT_KIND_EXECUTABLE || a->kind == ARTIFACT_KIND_PIE)
		a->is_static = !a->interpreter;
	else if (a->kind == ARTIFACT_KIND_SHARED || a->kind == ARTIFACT_KIND_BUNDLE)
		a->is_static = 0;
	if (!a->os && a->kind != ARTIFACT_KIND_OBJECT)
		a->os = "macos";
}

void macho_read_fat(struct artifact *a, const struct view *v, int depth)
{
	uint32_t magic = 0, n = 0;
	int is64;
	uint64_t each = 0;

	a->format = ARTIFACT_FMT_MACHO_FAT;
	a->format_detail = "Mach-O universal";
	view_u32(v, 0, 1, &magic);
	view_u32(v, 4, 1, &n);
	is64 = magic == 0xcafebabf;
	each = is64 ? 32 : 20;
	if (depth > 0) {
		artifact_malformed(a, "a fat file nested inside another file");
		return;
	}
	if (n > MAX_FAT || !view_has(v, 8, n * each)) {
		artifact_malformed(a, "fat header claims %u architectures, more than "
				   "the file holds", n);
		return;
	}
	a->slices = xcalloc(n, sizeof *a->slices);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t e = 8 + i * each, off = 0, size = 0;
		uint32_t cpu = 0, o32 = 0, s32 = 0;
		struct artifact *s = &a->slices[a->nslices];
		struct view sv;
		char *name;

		view_u32(v, e, 1, &cpu);
		if (is64) {
			view_u64(v, e + 8, 1, &off);
			view_u64(v, e + 16, 1, &size);
		} else {
			view_u32(v, e + 8, 1, &o32);
			view_u32(v, e + 12, 1, &s32);
			off = o32;
			size = s32;
		}
		if (off < 8 + n * each || view_sub(v, off, size, &sv) < 0) {
			artifact_malformed(a, "slice %u (%llu bytes at offset %#llx) "
					   "is outside the file or overlaps the header",
					   i + 1, (unsigned long long)size,
					   (unsigned long long)off);
			continue;
		}
		name = xasprintf("%s[%u]", a->path ? a->path : "", i);
		artifact_init(s, name);
		free(name);
		artifact_read_view(s, &sv, depth + 1, 0);
		a->nslices++;
		if (s->format == ARTIFACT_FMT_UNKNOWN)
			artifact_malformed(a, "slice %u is not a Mach-O file", i + 1);
		else if (s->machine && macho_machine_name(cpu, NULL) &&
			 strcmp(s->machine, macho_machine_name(cpu, NULL)))
			artifact_malformed(a, "slice %u says %s in the fat header but "
					   "is %s", i + 1, macho_machine_name(cpu, NULL),
					   s->machine);
	}
}
