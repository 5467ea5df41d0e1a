/* artifact.c - identify a binary, compare it with a target, describe it.
 *
 * The format readers (elf.c, pe.c, macho.c, wasm.c, arfile.c) fill a
 * struct artifact from a bounded view; this file picks the reader, owns the
 * struct's memory, and holds everything that is the same for all formats:
 * the check against a triple, the summary, the file(1)-like line, JSON.
 */
#include "artifact.h"
#include "floor.h"
#include "jsontext.h"

#include <ctype.h>
#include <stdarg.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arfile.h"
#include "elf.h"
#include "macho.h"
#include "pe.h"
#include "wasm.h"

#define ARTIFACT_NAME(e, s) s,
static const char *const format_names[] = { ARTIFACT_FORMATS(ARTIFACT_NAME) };
static const char *const kind_names[] = { ARTIFACT_KINDS(ARTIFACT_NAME) };
#undef ARTIFACT_NAME

const char *artifact_format_name(enum artifact_format f)
{
	if ((size_t)f < sizeof format_names / sizeof *format_names)
		return format_names[f];
	return "unknown";
}

const char *artifact_kind_name(enum artifact_kind k)
{
	if ((size_t)k < sizeof kind_names / sizeof *kind_names)
		return kind_names[k];
	return "unknown";
}

void artifact_init(struct artifact *a, const char *path)
{
	memset(a, 0, sizeof *a);
	a->path = path ? xstrdup(path) : NULL;
	strv_init(&a->needed);
	strv_init(&a->exports);
	strv_init(&a->version_syms);
	a->is_static = ARTIFACT_UNSET;
	a->stripped = ARTIFACT_UNSET;
	a->debug_info = ARTIFACT_UNSET;
	a->matches = ARTIFACT_UNSET;
}

static void problems_free(struct artifact_problem *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(p[i].text);
	free(p);
}

void artifact_fini(struct artifact *a)
{
	free(a->path);
	free(a->interpreter);
	free(a->target);
	strv_fini(&a->needed);
	strv_fini(&a->exports);
	strv_fini(&a->version_syms);
	for (size_t i = 0; i < a->nslices; i++)
		artifact_fini(&a->slices[i]);
	free(a->slices);
	problems_free(a->problems, a->nproblems);
	problems_free(a->findings, a->nfindings);
	memset(a, 0, sizeof *a);
	strv_init(&a->needed);
	strv_init(&a->exports);
	strv_init(&a->version_syms);
}

static void push_problem(struct artifact_problem **list, size_t *n,
			 enum artifact_severity sev, char *text)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[*n].severity = sev;
	(*list)[*n].text = text;
	(*n)++;
}

void artifact_malformed(struct artifact *a, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	if (a->nfindings >= ARTIFACT_FINDINGS_MAX)
		return;
	buf_init(&b);
	buf_puts(&b, "malformed: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	push_problem(&a->findings, &a->nfindings, ARTIFACT_MALFORMED, buf_detach(&b));
}

/* Names go to terminals and JSON: keep them printable. */
static void push_printable(struct strv *to, const char *name, size_t n)
{
	char *s = xstrndup(name, n);

	for (char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	strv_push(to, s);
	free(s);
}

void artifact_add_needed(struct artifact *a, const char *name, size_t n)
{
	if (a->needed.n >= ARTIFACT_NEEDED_MAX)
		return;
	for (size_t i = 0; i < a->needed.n; i++)
		if (strlen(a->needed.v[i]) == n && !memcmp(a->needed.v[i], name, n))
			return;
	push_printable(&a->needed, name, n);
}

void artifact_add_export(struct artifact *a, const char *name, size_t n)
{
	a->exports_total++;
	if (a->exports.n < ARTIFACT_EXPORTS_MAX)
		push_printable(&a->exports, name, n);
}

int artifact_version_cmp(const char *x, const char *y)
{
	while (*x || *y) {
		unsigned long a = strtoul(x, (char **)&x, 10);
		unsigned long b = strtoul(y, (char **)&y, 10);

		if (a != b)
			return a < b ? -1 : 1;
		while (*x && *x != '.')
			x++;
		while (*y && *y != '.')
			y++;
		if (*x == '.')
			x++;
		if (*y == '.')
			y++;
	}
	return 0;
}

void artifact_raise_version(char dst[ARTIFACT_VERSION_MAX], const char *ver)
{
	for (const char *p = ver; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return;
	if (strlen(ver) >= ARTIFACT_VERSION_MAX)
		return;
	if (!dst[0] || artifact_version_cmp(ver, dst) > 0)
		strcpy(dst, ver);
}

void artifact_read_view(struct artifact *a, const struct view *v, int depth,
			int shallow)
{
	if (elf_detect(v))
		elf_read(a, v, shallow);
	else if (pe_detect(v))
		pe_read(a, v, shallow);
	else if (macho_detect(v))
		macho_read(a, v);
	else if (macho_detect_fat(v))
		macho_read_fat(a, v, depth);
	else if (wasm_detect(v))
		wasm_read(a, v);
	else if (arfile_detect(v))
		arfile_read(a, v, depth);
	else if (pe_detect_coff(v))
		pe_read_coff(a, v, shallow);
	else
		a->format = ARTIFACT_FMT_UNKNOWN;
}

void artifact_inspect_mem(const void *data, size_t size, const char *name,
			  struct artifact *a)
{
	struct view v = { data, size };

	artifact_init(a, name);
	artifact_read_view(a, &v, 0, 0);
	artifact_check(a, NULL, NULL);
}

int artifact_inspect(const char *path, struct artifact *a, struct cb_err *err)
{
	struct view_map m;

	artifact_init(a, path);
	if (view_map_init(&m, path, err) < 0)
		return -1;
	artifact_read_view(a, &m.v, 0, 0);
	if (m.truncated)
		artifact_malformed(a, "only the first %zu bytes were read",
				   (size_t)VIEW_READ_MAX);
	view_map_fini(&m);
	artifact_check(a, NULL, NULL);
	return 0;
}

/* ---------------------------------------------------------------- check */

static void problem(struct artifact *a, enum artifact_severity sev,
		    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void problem(struct artifact *a, enum artifact_severity sev,
		    const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	buf_puts(&b, sev == ARTIFACT_WARNING ? "warning: " : "mismatch: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	push_problem(&a->problems, &a->nproblems, sev, buf_detach(&b));
	if (sev != ARTIFACT_WARNING)
		a->matches = ARTIFACT_NO;
}

static enum artifact_format want_format(const struct triple *t)
{
	switch (t->format) {
	case TRIPLE_FMT_ELF: return ARTIFACT_FMT_ELF;
	case TRIPLE_FMT_PE: return ARTIFACT_FMT_PE;
	case TRIPLE_FMT_MACHO: return ARTIFACT_FMT_MACHO;
	case TRIPLE_FMT_WASM: return ARTIFACT_FMT_WASM;
	case TRIPLE_FMT_UNKNOWN: break;
	}
	return ARTIFACT_FMT_UNKNOWN;
}

static const char *endian_name(enum artifact_endian e)
{
	return e == ARTIFACT_BIG ? "big" : e == ARTIFACT_LITTLE ? "little" : NULL;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* What one file (or fat slice, or archive member group) must be for t.
 * Appends mismatches to into (prefixed with what, e.g. "members: ") and
 * returns how many it found. */
static int check_identity(struct artifact *into, const struct artifact *a,
			  const struct triple *t, const char *what)
{
	int n = 0;
	enum artifact_format want = want_format(t);

	if (a->format != want) {
		problem(into, ARTIFACT_MISMATCH, "%sformat is %s, %s needs %s", what,
			a->format == ARTIFACT_FMT_UNKNOWN ? "not a binary (unknown)"
							  : a->format_detail,
			t->text, triple_format_name(t->format));
		return 1;
	}
	if (!a->machine) {
		problem(into, ARTIFACT_MISMATCH, "%smachine is unknown, %s needs %s",
			what, t->text, t->machine);
		n++;
	} else if (strcmp(a->machine, t->machine)) {
		problem(into, ARTIFACT_MISMATCH, "%smachine is %s, %s needs %s",
			what, a->machine, t->text, t->machine);
		n++;
	}
	/* ELF has no 16-bit class: avr and msp430 objects are ELF32. */
	if (a->bits && t->bits >= 32 && a->bits != t->bits) {
		problem(into, ARTIFACT_MISMATCH, "%s%d-bit, %s needs %d-bit", what,
			a->bits, t->text, t->bits);
		n++;
	}
	if (a->endian != ARTIFACT_ENDIAN_UNKNOWN &&
	    (a->endian == ARTIFACT_BIG) != (t->endian == TRIPLE_BIG)) {
		problem(into, ARTIFACT_MISMATCH, "%s%s-endian, %s needs %s-endian",
			what, endian_name(a->endian), t->text,
			t->endian == TRIPLE_BIG ? "big" : "little");
		n++;
	}
	if (a->os && t->os_name && strcmp(t->os_name, "unknown") &&
	    strcmp(a->os, t->os_name)) {
		problem(into, ARTIFACT_MISMATCH, "%sOS is %s, %s needs %s", what,
			a->os, t->text, t->os_name);
		n++;
	}
	if (a->arm_float && !strcmp(t->machine, "arm") && t->env[0]) {
		int hf = strstr(t->env, "hf") != NULL;

		if (hf != (a->arm_float == 2)) {
			problem(into, ARTIFACT_MISMATCH, "%s%s-float ABI, %s needs "
				"%s-float", what, a->arm_float == 2 ? "hard" : "soft",
				t->text, hf ? "hard" : "soft");
			n++;
		}
	}
	return n;
}

/* An interpreter that is not the target's.  Another system's loader
 * (ld-linux-x86-64 on aarch64, musl's on a glibc target) cannot start the
 * program anywhere the target runs: a mismatch.  The target's own loader
 * at another path (a Nix or Guix store, /opt) may be what is intended
 * there: a warning. */
void artifact_add_warning(struct artifact *a, const char *text)
{
	problem(a, ARTIFACT_WARNING, "%s", text);
}

static void interp_problem(struct artifact *into, const char *have,
			   const char *target, const char *want)
{
	const char *hb = strrchr(have, '/'), *wb = strrchr(want, '/');

	hb = hb ? hb + 1 : have;
	wb = wb ? wb + 1 : want;
	if (strcmp(hb, wb) && (starts(hb, "ld-") || starts(hb, "ld64.") || starts(hb, "ld.so")))
		problem(into, ARTIFACT_MISMATCH, "interpreter %s is another system's "
			"loader, not %s's (%s): the program will not start there",
			have, target, want);
	else
		problem(into, ARTIFACT_WARNING, "interpreter %s is not %s's (%s): "
			"it starts only where that path holds the loader", have,
			target, want);
}

/* The dynamic loader a Linux target's binaries name, or NULL when
 * crossbench does not know it.  buf receives musl's computed name. */
static const char *expected_interp(const struct triple *t, char *buf, size_t n)
{
	const char *m = t->machine;
	int be = t->endian == TRIPLE_BIG, hf = strstr(t->env, "hf") != NULL;

	if (!strcmp(t->os_name, "android"))
		return t->bits == 64 ? "/system/bin/linker64" : "/system/bin/linker";
	if (strcmp(t->os_name, "linux"))
		return NULL;
	if (starts(t->env, "musl")) {
		const char *arch = !strcmp(m, "arm") ? (hf ? "armhf" : "arm") :
				   !strcmp(m, "powerpc64") ? (be ? "powerpc64" : "powerpc64le") :
				   !strcmp(m, "aarch64") && be ? "aarch64_be" :
				   !strcmp(m, "mips") ? (be ? "mips" : "mipsel") :
				   !strcmp(m, "mips64") ? (be ? "mips64" : "mips64el") : m;

		snprintf(buf, n, "/lib/ld-musl-%s%s.so.1", arch,
			 strstr(t->env, "sf") && starts(m, "mips") ? "-sf" : "");
		return buf;
	}
	if (!starts(t->env, "gnu"))
		return NULL;
	if (!strcmp(m, "x86_64"))
		return t->bits == 32 ? "/libx32/ld-linux-x32.so.2"
				     : "/lib64/ld-linux-x86-64.so.2";
	if (!strcmp(m, "i386"))
		return "/lib/ld-linux.so.2";
	if (!strcmp(m, "aarch64"))
		return be ? "/lib/ld-linux-aarch64_be.so.1" : "/lib/ld-linux-aarch64.so.1";
	if (!strcmp(m, "arm"))
		return hf ? "/lib/ld-linux-armhf.so.3" : "/lib/ld-linux.so.3";
	if (!strcmp(m, "riscv64"))
		return "/lib/ld-linux-riscv64-lp64d.so.1";
	if (!strcmp(m, "riscv32"))
		return "/lib/ld-linux-riscv32-ilp32d.so.1";
	if (!strcmp(m, "powerpc64"))
		return be ? "/lib64/ld64.so.1" : "/lib64/ld64.so.2";
	if (!strcmp(m, "powerpc") || !strcmp(m, "mips") || !strcmp(m, "m68k"))
		return "/lib/ld.so.1";
	if (!strcmp(m, "s390x"))
		return "/lib/ld64.so.1";
	if (!strcmp(m, "mips64"))
		return "/lib64/ld.so.1";
	if (!strcmp(m, "sparc64"))
		return "/lib64/ld-linux.so.2";
	if (!strcmp(m, "loongarch64"))
		return "/lib64/ld-linux-loongarch-lp64d.so.1";
	return NULL;
}

static const char *const mingw_runtime[] = {
	"libgcc_s_seh-1.dll", "libgcc_s_dw2-1.dll", "libgcc_s_sjlj-1.dll",
	"libstdc++-6.dll", "libwinpthread-1.dll", NULL
};

/* Each version of prefix (GLIBC_, GLIBCXX_, CXXABI_) that a needs above
 * limit, highest first, one warning per version with the symbols that
 * need it. */
static void versions_above(struct artifact *into, const struct artifact *a,
			   const char *prefix, const char *highest,
			   const char *limit, const char *what, const struct floor *f)
{
	size_t pl = strlen(prefix);
	struct strv vers;
	char above[128];

	if (!highest[0] || !limit[0] || artifact_version_cmp(highest, limit) <= 0)
		return;
	if (!strncmp(f->name, "glibc ", 6))
		snprintf(above, sizeof above, "the glibc-max %s", limit);
	else
		snprintf(above, sizeof above, "%s's %s %s", f->name, what, limit);
	strv_init(&vers);
	for (size_t i = 0; i < a->version_syms.n; i++) {
		const char *e = a->version_syms.v[i], *sp = strchr(e, ' ');
		char ver[ARTIFACT_VERSION_MAX];

		if (!sp || strncmp(e, prefix, pl) || (size_t)(sp - e) - pl >= sizeof ver)
			continue;
		snprintf(ver, sizeof ver, "%.*s", (int)((size_t)(sp - e) - pl), e + pl);
		if (artifact_version_cmp(ver, limit) > 0 && !strv_has(&vers, ver)) {
			size_t k = vers.n;

			strv_push(&vers, ver);
			/* insertion: highest first */
			for (; k > 0 && artifact_version_cmp(vers.v[k - 1], vers.v[k]) < 0; k--) {
				char *tmp = vers.v[k - 1];

				vers.v[k - 1] = vers.v[k];
				vers.v[k] = tmp;
			}
		}
	}
	for (size_t i = 0; i < vers.n; i++) {
		size_t vl = strlen(vers.v[i]), nsyms = 0;
		struct buf syms;

		buf_init(&syms);
		for (size_t k = 0; k < a->version_syms.n; k++) {
			const char *x = a->version_syms.v[k];

			if (strncmp(x, prefix, pl) || strncmp(x + pl, vers.v[i], vl) ||
			    x[pl + vl] != ' ')
				continue;
			if (nsyms < 6)
				buf_printf(&syms, "%s%s", nsyms ? ", " : "", x + pl + vl + 1);
			nsyms++;
		}
		if (nsyms > 6)
			buf_printf(&syms, " and %zu more", nsyms - 6);
		problem(into, ARTIFACT_MISMATCH, "needs %s%s (%s), above %s",
			prefix, vers.v[i], syms.data ? syms.data : "", above);
		buf_fini(&syms);
	}
	/* Needed, but no symbol to name (no section headers to find them). */
	if (!vers.n)
		problem(into, ARTIFACT_MISMATCH, "needs %s%s, above %s", prefix, highest, above);
	strv_fini(&vers);
}

/* The artifact against the oldest machine it must run on: limit is a
 * glibc version ("2.17") or a distribution of floors.conf. */
static void check_floor(struct artifact *into, const struct artifact *a,
			const struct triple *t, const char *limit)
{
	struct floor f;

	if (a->format != ARTIFACT_FMT_ELF)
		return;
	if (floor_resolve(limit, &f) < 0) {
		problem(into, ARTIFACT_WARNING, "floor '%s' is neither a glibc "
			"version nor a known distribution (%s)", limit, floor_names());
		return;
	}
	if (f.musl) {
		if (a->glibc_max[0] || (a->interpreter && strstr(a->interpreter, "ld-linux")))
			problem(into, ARTIFACT_MISMATCH, "links glibc (%s), which %s "
				"does not have: build for a musl target",
				a->glibc_max[0] ? "GLIBC_ symbol versions" : a->interpreter,
				f.name);
		for (size_t i = 0; i < a->needed.n; i++)
			if (strncmp(a->needed.v[i], "libc.", 5) &&
			    strncmp(a->needed.v[i], "ld-musl", 7))
				problem(into, ARTIFACT_WARNING, "links %s: %s must "
					"have it installed", a->needed.v[i], f.name);
		return;
	}
	versions_above(into, a, "GLIBC_", a->glibc_max, f.glibc, "glibc", &f);
	versions_above(into, a, "GLIBCXX_", a->glibcxx_max, f.glibcxx, "libstdc++", &f);
	versions_above(into, a, "CXXABI_", a->cxxabi_max, f.cxxabi, "libstdc++ ABI", &f);
	if (a->relr && f.glibc[0] && artifact_version_cmp("2.36", f.glibc) > 0)
		problem(into, ARTIFACT_MISMATCH, "uses DT_RELR relocations, which "
			"need glibc 2.36, above %s's glibc %s (link without "
			"-z pack-relative-relocs)", f.name, f.glibc);
	(void)t;
}

/* Whether dll sits in the directory of the program at path (Windows
 * looks there first; names compare without case, as Windows does). */
static int dll_beside(const char *path, const char *dll)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	/* A member of an archive ("lib.a(x.o)") is no program on disk. */
	while (d && !found && (e = readdir(d)))
		found = !strcasecmp(e->d_name, dll);
	if (d)
		closedir(d);
	free(dir);
	return found;
}

/* What breaks at run time even when the identity is right. */
static void check_runtime(struct artifact *into, const struct artifact *a,
			  const struct triple *t, const char *glibc_max)
{
	char musl[64];
	const char *want;

	if (a->format == ARTIFACT_FMT_PE) {
		for (size_t i = 0; i < a->needed.n; i++)
			for (const char *const *m = mingw_runtime; *m; m++)
				if (!strcasecmp(a->needed.v[i], *m) &&
				    !dll_beside(a->path, a->needed.v[i]))
					problem(into, ARTIFACT_WARNING,
						"imports %s, a MinGW runtime DLL that "
						"Windows does not have, and it is not "
						"beside the program: copy it there or "
						"link with -static-libstdc++ -static-libgcc",
						a->needed.v[i]);
	}
	if (a->format == ARTIFACT_FMT_ELF && a->interpreter &&
	    (want = expected_interp(t, musl, sizeof musl)) &&
	    strcmp(a->interpreter, want) &&
	    /* riscv64 lp64 (soft-float) is the other glibc ABI */
	    !(strcmp(t->machine, "riscv64") == 0 &&
	      !strcmp(a->interpreter, "/lib/ld-linux-riscv64-lp64.so.1")))
		interp_problem(into, a->interpreter, t->text, want);
	if (glibc_max && *glibc_max)
		check_floor(into, a, t, glibc_max);
	if (a->format == ARTIFACT_FMT_MACHO) {
		for (size_t i = 0; i < a->needed.n; i++) {
			const char *d = a->needed.v[i];

			if (!starts(d, "/usr/lib/") && !starts(d, "/System/"))
				problem(into, ARTIFACT_WARNING, "links %s, outside "
					"/usr/lib and /System: it must ship with "
					"the program", d);
		}
	}
}

void artifact_check(struct artifact *a, const struct triple *t,
		    const char *glibc_max)
{
	problems_free(a->problems, a->nproblems);
	a->problems = NULL;
	a->nproblems = 0;
	free(a->target);
	a->target = NULL;
	for (size_t i = 0; i < a->nfindings; i++)
		push_problem(&a->problems, &a->nproblems, ARTIFACT_MALFORMED,
			     xstrdup(a->findings[i].text));
	if (!t) {
		a->matches = ARTIFACT_UNSET;
		return;
	}
	a->target = xstrdup(t->text);
	a->matches = a->nfindings ? ARTIFACT_NO : ARTIFACT_YES;
	if (t->format == TRIPLE_FMT_UNKNOWN) {
		/* nvptx, asmjs: text outputs this module does not read. */
		a->matches = ARTIFACT_UNSET;
		return;
	}
	if (a->format == ARTIFACT_FMT_MACHO_FAT) {
		const struct artifact *hit = NULL;
		struct buf have;

		for (size_t i = 0; i < a->nslices && !hit; i++) {
			struct artifact probe;

			artifact_init(&probe, NULL);
			if (check_identity(&probe, &a->slices[i], t, "") == 0)
				hit = &a->slices[i];
			artifact_fini(&probe);
		}
		if (hit) {
			check_runtime(a, hit, t, glibc_max);
			return;
		}
		buf_init(&have);
		for (size_t i = 0; i < a->nslices; i++)
			buf_printf(&have, "%s%s", i ? ", " : "",
				   a->slices[i].machine ? a->slices[i].machine : "unknown");
		problem(a, ARTIFACT_MISMATCH, "no slice is for %s (slices: %s)",
			t->text, have.len ? have.data : "none");
		buf_fini(&have);
		return;
	}
	if (a->format == ARTIFACT_FMT_ARCHIVE) {
		if (!a->nslices) {
			problem(a, ARTIFACT_MISMATCH, "the archive holds no object "
				"file that %s could link", t->text);
			return;
		}
		for (size_t i = 0; i < a->nslices; i++) {
			char *what = xasprintf("%zu member%s (e.g. %s): ",
					       a->slices[i].count,
					       a->slices[i].count == 1 ? "" : "s",
					       a->slices[i].path);

			check_identity(a, &a->slices[i], t, what);
			free(what);
		}
		return;
	}
	if (check_identity(a, a, t, "") == 0)
		check_runtime(a, a, t, glibc_max);
}

/* Missing names one problem each, up to ARTIFACT_FINDINGS_MAX; the rest
 * in one more, so a header of the wrong library does not bury the rest. */
void artifact_check_exports(struct artifact *a, const struct strv *declared,
			    const char *header_name)
{
	size_t missing = 0, unsure = 0;
	struct buf more;

	if (!declared->n)
		return;
	if (!a->exports_read) {
		problem(a, ARTIFACT_WARNING, "exports not read (%s): the %zu "
			"function%s %s declares were not checked",
			a->format == ARTIFACT_FMT_ELF ? "no .dynsym section" :
			a->format == ARTIFACT_FMT_PE ? "no export directory bytes" :
			a->format_detail ? a->format_detail : "not a binary",
			declared->n, declared->n == 1 ? "" : "s", header_name);
		return;
	}
	buf_init(&more);
	for (size_t i = 0; i < declared->n; i++) {
		const char *name = declared->v[i];

		if (strv_has(&a->exports, name))
			continue;
		/* Past the listed ones it may still be there. */
		if (a->exports_total > a->exports.n) {
			unsure++;
			continue;
		}
		if (++missing <= ARTIFACT_FINDINGS_MAX)
			problem(a, ARTIFACT_MISMATCH, "%s is declared in %s but "
				"not exported", name, header_name);
		else if (missing <= ARTIFACT_FINDINGS_MAX + 6)
			buf_printf(&more, "%s%s", more.len ? ", " : "", name);
	}
	if (missing > ARTIFACT_FINDINGS_MAX)
		problem(a, ARTIFACT_MISMATCH, "%zu more functions declared in %s "
			"are not exported (%s%s)", missing - ARTIFACT_FINDINGS_MAX,
			header_name, more.data ? more.data : "",
			missing > ARTIFACT_FINDINGS_MAX + 6 ? ", ..." : "");
	if (unsure)
		problem(a, ARTIFACT_WARNING, "%zu function%s declared in %s %s not "
			"among the first %zu exports read of %zu, and %s not checked",
			unsure, unsure == 1 ? "" : "s", header_name,
			unsure == 1 ? "is" : "are", a->exports.n, a->exports_total,
			unsure == 1 ? "was" : "were");
	buf_fini(&more);
}

/* ---------------------------------------------------------------- text */

static void summary_one(const struct artifact *a, struct buf *out)
{
	const char *m = a->machine ? a->machine : "unknown";

	switch (a->format) {
	case ARTIFACT_FMT_ELF:
		buf_printf(out, "ELF %s ", m);
		switch (a->kind) {
		case ARTIFACT_KIND_PIE:
			buf_puts(out, a->is_static == 1 ? "static-pie" : "pie");
			break;
		case ARTIFACT_KIND_EXECUTABLE:
			buf_puts(out, a->is_static == 1 ? "static" : "exe");
			break;
		case ARTIFACT_KIND_SHARED: buf_puts(out, "so"); break;
		default: buf_puts(out, artifact_kind_name(a->kind));
		}
		if (a->glibc_max[0])
			buf_printf(out, " glibc%s", a->glibc_max);
		break;
	case ARTIFACT_FMT_PE:
		buf_printf(out, "%s %s ", a->format_detail, m);
		if (a->kind == ARTIFACT_KIND_SHARED)
			buf_puts(out, "DLL");
		else if (a->kind == ARTIFACT_KIND_OBJECT)
			buf_puts(out, "object");
		else if (a->subsystem && !strcmp(a->subsystem, "gui"))
			buf_puts(out, "GUI");
		else if (a->subsystem && starts(a->subsystem, "efi"))
			buf_puts(out, "EFI");
		else
			buf_puts(out, a->subsystem ? a->subsystem : "exe");
		break;
	case ARTIFACT_FMT_MACHO:
		buf_printf(out, "Mach-O %s %s", m,
			   a->kind == ARTIFACT_KIND_SHARED ? "dylib" :
			   a->kind == ARTIFACT_KIND_EXECUTABLE ? "exe" :
			   artifact_kind_name(a->kind));
		break;
	case ARTIFACT_FMT_MACHO_FAT:
		buf_puts(out, "Mach-O fat ");
		for (size_t i = 0; i < a->nslices; i++)
			buf_printf(out, "%s%s", i ? "+" : "",
				   a->slices[i].machine ? a->slices[i].machine : "?");
		break;
	case ARTIFACT_FMT_WASM:
		buf_printf(out, "%s %s", m,
			   a->kind == ARTIFACT_KIND_OBJECT ? "object" :
			   a->kind == ARTIFACT_KIND_SHARED ? "shared" : "module");
		if (a->os)
			buf_printf(out, " %s", a->os);
		break;
	case ARTIFACT_FMT_ARCHIVE: {
		size_t objs = 0;

		for (size_t i = 0; i < a->nslices; i++)
			objs += a->slices[i].count;
		if (a->nslices == 0)
			buf_printf(out, "archive (%zu members)", a->members);
		else if (a->machine)
			buf_printf(out, "archive %s %s (%zu)",
				   a->slices[0].format == ARTIFACT_FMT_PE ? "COFF" :
				   a->slices[0].format == ARTIFACT_FMT_MACHO ? "Mach-O" :
				   a->slices[0].format == ARTIFACT_FMT_WASM ? "wasm" : "ELF",
				   a->machine, objs);
		else
			buf_printf(out, "archive mixed (%zu)", objs);
		break;
	}
	case ARTIFACT_FMT_UNKNOWN:
		buf_puts(out, "not a binary");
		break;
	}
}

void artifact_summary(const struct artifact *a, struct buf *out)
{
	summary_one(a, out);
	if (a->nfindings)
		buf_puts(out, " malformed");
}

static const char *kind_long(const struct artifact *a)
{
	switch (a->kind) {
	case ARTIFACT_KIND_EXECUTABLE: return "executable";
	case ARTIFACT_KIND_PIE: return "pie executable";
	case ARTIFACT_KIND_SHARED:
		return a->format == ARTIFACT_FMT_PE ? "DLL" :
		       a->format == ARTIFACT_FMT_MACHO ? "dynamic library" : "shared object";
	case ARTIFACT_KIND_OBJECT: return "relocatable object";
	case ARTIFACT_KIND_CORE: return "core file";
	case ARTIFACT_KIND_BUNDLE: return "bundle";
	case ARTIFACT_KIND_ARCHIVE: return "archive";
	case ARTIFACT_KIND_UNKNOWN: break;
	}
	return "file of unknown kind";
}

static void describe_one(const struct artifact *a, struct buf *out)
{
	const char *sep = ", ";

	if (a->format == ARTIFACT_FMT_UNKNOWN) {
		buf_puts(out, "not a binary crossbench reads (data)");
		return;
	}
	if (a->format == ARTIFACT_FMT_MACHO_FAT) {
		buf_printf(out, "Mach-O universal binary with %zu slice%s",
			   a->nslices, a->nslices == 1 ? "" : "s");
		for (size_t i = 0; i < a->nslices; i++) {
			buf_printf(out, " [%s: ", a->slices[i].machine ?
				   a->slices[i].machine : "unknown");
			describe_one(&a->slices[i], out);
			buf_putc(out, ']');
		}
		return;
	}
	if (a->format == ARTIFACT_FMT_ARCHIVE) {
		buf_printf(out, "%s, %zu member%s", a->format_detail, a->members,
			   a->members == 1 ? "" : "s");
		for (size_t i = 0; i < a->nslices; i++) {
			buf_printf(out, "%s%zu × ", i ? "; " : ": ", a->slices[i].count);
			describe_one(&a->slices[i], out);
		}
		return;
	}
	buf_printf(out, "%s %s", a->format_detail ? a->format_detail : "",
		   kind_long(a));
	if (a->subsystem)
		buf_printf(out, " (%s)", a->subsystem);
	buf_printf(out, "%s%s", sep, a->machine ? a->machine : "unknown machine");
	if (a->arm_float)
		buf_printf(out, " %s-float", a->arm_float == 2 ? "hard" : "soft");
	if (a->os) {
		buf_printf(out, "%s%s", sep, a->os);
		if (a->min_os[0])
			buf_printf(out, " %s", a->min_os);
	}
	if (a->os_abi)
		buf_printf(out, " (%s)", a->os_abi);
	if (a->subsystem_version[0])
		buf_printf(out, ", subsystem %s", a->subsystem_version);
	if (a->sdk[0])
		buf_printf(out, ", SDK %s", a->sdk);
	if (a->interpreter)
		buf_printf(out, ", interpreter %s", a->interpreter);
	if (a->needed.n) {
		buf_puts(out, a->format == ARTIFACT_FMT_PE ? ", imports" : ", needs");
		for (size_t i = 0; i < a->needed.n; i++)
			buf_printf(out, " %s", a->needed.v[i]);
	}
	if (a->glibc_max[0])
		buf_printf(out, ", GLIBC_%s", a->glibc_max);
	if (a->glibcxx_max[0])
		buf_printf(out, ", GLIBCXX_%s", a->glibcxx_max);
	if (a->gcc_max[0])
		buf_printf(out, ", GCC_%s", a->gcc_max);
	if (a->is_static != ARTIFACT_UNSET)
		buf_puts(out, a->is_static ? ", static" : ", dynamic");
	if (a->debug_info == 1)
		buf_puts(out, ", with debug info");
	if (a->stripped != ARTIFACT_UNSET)
		buf_puts(out, a->stripped ? ", stripped" : ", not stripped");
}

void artifact_describe(const struct artifact *a, struct buf *out)
{
	describe_one(a, out);
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

void artifact_describe_exports(const struct artifact *a, size_t max,
			       struct buf *out)
{
	char **sorted;
	size_t shown;

	if (!a->exports_read) {
		buf_printf(out, "exports: not read (%s)",
			   artifact_format_name(a->format));
		return;
	}
	buf_printf(out, "exports: %zu", a->exports_total);
	if (!a->exports.n)
		return;
	/* Sorted, so a reader finds a name; for Go's libraries the //export
	 * names (capitals) come before the runtime's _cgo_ and x_cgo_. */
	sorted = xmalloc(a->exports.n * sizeof *sorted);
	memcpy(sorted, a->exports.v, a->exports.n * sizeof *sorted);
	qsort(sorted, a->exports.n, sizeof *sorted, cmp_str);
	shown = a->exports.n < max ? a->exports.n : max;
	buf_puts(out, " (");
	for (size_t i = 0; i < shown; i++)
		buf_printf(out, "%s%s", i ? " " : "", sorted[i]);
	if (a->exports_total > shown)
		buf_printf(out, "%s... and %zu more", shown ? " " : "",
			   a->exports_total - shown);
	buf_putc(out, ')');
	free(sorted);
}

/* ---------------------------------------------------------------- JSON */

static json_t *tri(int v)
{
	return v == ARTIFACT_UNSET ? json_null() : json_boolean(v);
}

json_t *artifact_to_json(const struct artifact *a)
{
	json_t *o = json_object(), *needed = json_array(), *slices = json_array(),
	       *problems = json_array(), *exports = json_array();
	struct buf sum;

	buf_init(&sum);
	artifact_summary(a, &sum);
	for (size_t i = 0; i < a->needed.n; i++)
		json_array_append_new(needed, jsontext(a->needed.v[i]));
	for (size_t i = 0; i < a->exports.n; i++)
		json_array_append_new(exports, jsontext(a->exports.v[i]));
	for (size_t i = 0; i < a->nslices; i++)
		json_array_append_new(slices, artifact_to_json(&a->slices[i]));
	for (size_t i = 0; i < a->nproblems; i++)
		json_array_append_new(problems, jsontext(a->problems[i].text));
	json_object_set_new(o, "path", jsontext(a->path ? a->path : ""));
	json_object_set_new(o, "format", json_string(artifact_format_name(a->format)));
	json_object_set_new(o, "machine", jsontext_or_null(a->machine));
	json_object_set_new(o, "bits", a->bits ? json_integer(a->bits) : json_null());
	json_object_set_new(o, "endian", jsontext_or_null(endian_name(a->endian)));
	json_object_set_new(o, "os", jsontext_or_null(a->os));
	json_object_set_new(o, "os_abi", jsontext_or_null(a->os_abi));
	json_object_set_new(o, "kind", json_string(artifact_kind_name(a->kind)));
	json_object_set_new(o, "interpreter", jsontext_or_null(a->interpreter));
	json_object_set_new(o, "needed", needed);
	json_object_set_new(o, "exports", exports);
	json_object_set_new(o, "exports_total", a->exports_read ?
			    json_integer((json_int_t)a->exports_total) : json_null());
	json_object_set_new(o, "glibc_max", jsontext_or_null(a->glibc_max));
	json_object_set_new(o, "glibcxx_max", jsontext_or_null(a->glibcxx_max));
	json_object_set_new(o, "gcc_max", jsontext_or_null(a->gcc_max));
	json_object_set_new(o, "cxxabi_max", jsontext_or_null(a->cxxabi_max));
	if (a->format == ARTIFACT_FMT_ELF) {
		/* {"GLIBC_2.34": ["__libc_start_main", ...], ...} */
		json_t *vs = json_object();

		for (size_t i = 0; i < a->version_syms.n; i++) {
			const char *e = a->version_syms.v[i], *sp = strchr(e, ' ');
			char ver[ARTIFACT_VERSION_MAX + 8];
			json_t *list;

			if (!sp || (size_t)(sp - e) >= sizeof ver)
				continue;
			snprintf(ver, sizeof ver, "%.*s", (int)(sp - e), e);
			if (!(list = json_object_get(vs, ver))) {
				list = json_array();
				json_object_set_new(vs, ver, list);
			}
			json_array_append_new(list, jsontext(sp + 1));
		}
		json_object_set_new(o, "version_symbols", vs);
		json_object_set_new(o, "relr", json_boolean(a->relr));
	}
	json_object_set_new(o, "static", tri(a->is_static));
	json_object_set_new(o, "stripped", tri(a->stripped));
	json_object_set_new(o, "debug_info", tri(a->debug_info));
	json_object_set_new(o, "subsystem", jsontext_or_null(a->subsystem));
	json_object_set_new(o, "subsystem_version", jsontext_or_null(a->subsystem_version));
	json_object_set_new(o, "min_os", jsontext_or_null(a->min_os));
	json_object_set_new(o, "sdk", jsontext_or_null(a->sdk));
	json_object_set_new(o, "slices", slices);
	if (a->count)
		json_object_set_new(o, "count", json_integer((json_int_t)a->count));
	json_object_set_new(o, "summary", jsontext(sum.data ? sum.data : ""));
	json_object_set_new(o, "target", jsontext_or_null(a->target));
	json_object_set_new(o, "matches", tri(a->matches));
	json_object_set_new(o, "problems", problems);
	buf_fini(&sum);
	return o;
}
