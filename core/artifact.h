/* artifact.h - what a binary is, and whether it is right for a target.
 *
 * artifact_inspect() reads ELF (32/64-bit, either byte order), PE/COFF
 * (PE32, PE32+, COFF objects), Mach-O (thin and fat), wasm modules and ar
 * archives (.a, .rlib) without any external tool, through bounded views
 * (view.h): a lying offset, count or size becomes a "malformed: ..."
 * finding, never a read out of bounds.  artifact_check() then compares the
 * result with what a target triple must produce and lists what will break
 * at run time.
 *
 * Ownership: struct artifact is an embedded value.  artifact_inspect() and
 * artifact_inspect_mem() initialise it (whatever they return) and the
 * caller ends it with artifact_fini(), which frees every string, list and
 * slice in it.  Fields typed const char * point to static strings.
 */
#ifndef CB_ARTIFACT_H
#define CB_ARTIFACT_H

#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "triple.h"
#include "view.h"

/* X-macros: enum value, JSON/CLI name. */
#define ARTIFACT_FORMATS(X) \
	X(ARTIFACT_FMT_UNKNOWN, "unknown") \
	X(ARTIFACT_FMT_ELF, "elf") \
	X(ARTIFACT_FMT_PE, "pe") \
	X(ARTIFACT_FMT_MACHO, "macho") \
	X(ARTIFACT_FMT_MACHO_FAT, "macho-fat") \
	X(ARTIFACT_FMT_WASM, "wasm") \
	X(ARTIFACT_FMT_ARCHIVE, "archive")

#define ARTIFACT_KINDS(X) \
	X(ARTIFACT_KIND_UNKNOWN, "unknown") \
	X(ARTIFACT_KIND_EXECUTABLE, "executable") \
	X(ARTIFACT_KIND_PIE, "pie") \
	X(ARTIFACT_KIND_SHARED, "shared-library") \
	X(ARTIFACT_KIND_OBJECT, "object") \
	X(ARTIFACT_KIND_ARCHIVE, "archive") \
	X(ARTIFACT_KIND_CORE, "core") \
	X(ARTIFACT_KIND_BUNDLE, "bundle")

#define ARTIFACT_ENUM(e, s) e,
enum artifact_format { ARTIFACT_FORMATS(ARTIFACT_ENUM) };
enum artifact_kind { ARTIFACT_KINDS(ARTIFACT_ENUM) };
#undef ARTIFACT_ENUM

enum artifact_endian { ARTIFACT_ENDIAN_UNKNOWN, ARTIFACT_LITTLE, ARTIFACT_BIG };

/* Tri-state flags: unknown (not meaningful for this file), no, yes. */
enum artifact_tri { ARTIFACT_UNSET = -1, ARTIFACT_NO = 0, ARTIFACT_YES = 1 };

/* Version strings: "2.34", "3.4.29", "11.0". */
#define ARTIFACT_VERSION_MAX 24

/* A finding's weight: a mismatch or a malformed file makes matches false;
 * a warning is something that breaks at run time on the target. */
enum artifact_severity { ARTIFACT_WARNING, ARTIFACT_MISMATCH, ARTIFACT_MALFORMED };

struct artifact_problem {
	enum artifact_severity severity;
	char *text;    /* "malformed: ...", "mismatch: ...", "warning: ..." */
};

struct artifact {
	char *path;                 /* as given; "lib.a(member.o)", "fat[1]";
				     * NULL when artifact_init() got NULL */
	enum artifact_format format;
	const char *machine;        /* triple.h's vocabulary; NULL unknown */
	int bits;                   /* 32, 64; 0 unknown */
	enum artifact_endian endian;
	const char *os;             /* triple.h's os_name: "linux", "windows",
				     * "macos", "wasi"...; NULL unknown */
	const char *os_abi;         /* ELF EI_OSABI as "sysv", "gnu", ...; NULL */
	enum artifact_kind kind;
	const char *format_detail;  /* "ELF 64-bit LSB", "PE32+", "COFF" ... */
	char *interpreter;          /* PT_INTERP, LC_LOAD_DYLINKER; NULL none */
	struct strv needed;         /* DT_NEEDED, imported DLLs, LC_LOAD_DYLIB,
				     * wasm import modules; file order */
	/* What the file offers other modules: ELF, the defined GLOBAL, WEAK
	 * or GNU_UNIQUE symbols of .dynsym with default or protected
	 * visibility (functions, objects, NOTYPE ones such as assembly
	 * entry points, TLS; not sections or files), as `nm -D
	 * --defined-only` lists them; PE, the export directory's named
	 * exports.  File order, the first ARTIFACT_EXPORTS_MAX of them: more
	 * are counted in exports_total, not listed (a big library, not a
	 * malformed one).  Not read when shallow, nor for Mach-O, wasm and
	 * archives: exports_read says whether the list means anything. */
	struct strv exports;
	size_t exports_total;
	int exports_read;
	char glibc_max[ARTIFACT_VERSION_MAX];   /* highest GLIBC_x.y; "" none */
	char glibcxx_max[ARTIFACT_VERSION_MAX]; /* highest GLIBCXX_x.y.z */
	char gcc_max[ARTIFACT_VERSION_MAX];     /* highest GCC_x.y */
	char cxxabi_max[ARTIFACT_VERSION_MAX];  /* highest CXXABI_x.y */
	struct strv version_syms;   /* ELF: "GLIBC_2.34 pthread_create", one per
				     * undefined symbol bound to a version of
				     * glibc, libstdc++ or libgcc; file order */
	int relr;                   /* ELF: DT_RELR relocations (glibc 2.36) */
	int is_static;              /* enum artifact_tri */
	int stripped;               /* enum artifact_tri: no symbol table */
	int debug_info;             /* enum artifact_tri: DWARF present */
	const char *subsystem;      /* PE: "console", "gui", "efi-application"... */
	char subsystem_version[ARTIFACT_VERSION_MAX]; /* PE: "5.2" */
	char min_os[ARTIFACT_VERSION_MAX];  /* PE OS version, Mach-O minos */
	char sdk[ARTIFACT_VERSION_MAX];     /* Mach-O SDK */
	unsigned arm_float;         /* ELF arm: 1 soft-float ABI, 2 hard-float */

	/* Fat Mach-O: one entry per slice.  Archive: one entry per distinct
	 * kind of member (format, machine, bits, byte order, OS), count set. */
	struct artifact *slices;
	size_t nslices;
	size_t count;               /* archive groups: members of this kind */
	size_t members;             /* archive: members read */

	/* Set by artifact_check(). */
	char *target;               /* the triple checked against, or NULL */
	int matches;                /* enum artifact_tri; UNSET without target */
	struct artifact_problem *problems; /* malformed findings first */
	size_t nproblems;

	/* Findings of the reader, kept apart so artifact_check() can be run
	 * again with another target. */
	struct artifact_problem *findings;
	size_t nfindings;
};

/* Read path (mapped, never read whole) and describe it in a.  Returns 0,
 * also for files that are not binaries (format unknown) or are malformed
 * (findings say how); -1 only when the file cannot be opened or read, with
 * err naming it.  a is initialised either way: artifact_fini() it. */
int artifact_inspect(const char *path, struct artifact *a, struct cb_err *err);

/* The same on bytes in memory (tests, fuzzers).  name becomes a->path. */
void artifact_inspect_mem(const void *data, size_t size, const char *name,
			  struct artifact *a);

/* Compare a with what target t produces: format, machine, bits, byte
 * order and OS must agree; warns about MinGW runtime DLL imports, a
 * foreign interpreter, GLIBC symbol versions above glibc_max ("2.17";
 * NULL or "" for no limit) and Mach-O dylibs outside /usr/lib and /System.
 * t NULL: no target, matches stays UNSET, problems are the findings only.
 * Replaces any earlier check's result. */
void artifact_check(struct artifact *a, const struct triple *t,
		    const char *glibc_max);

/* For a shared library: "exports: 40 (HelloAdd HelloFree ... and 32
 * more)", at most max names, sorted; "exports: not read (macho)" when the
 * reader does not list them.  Appends. */
void artifact_describe_exports(const struct artifact *a, size_t max,
			       struct buf *out);

/* Whether a exports every name in declared (what a C header says it
 * has; cgoheader.h reads cgo's): "mismatch: HelloAdd is declared in
 * libhello.h but not exported" per missing name (the first
 * ARTIFACT_FINDINGS_MAX, then one line for the rest), which makes matches
 * false even without a target.  Names compare exactly (x86_64 and aarch64
 * PE decorate nothing).  A warning instead when a's exports were not read
 * (Mach-O, archives) or a name may lie past ARTIFACT_EXPORTS_MAX.
 * Appends to a->problems: call it after artifact_check(), which replaces
 * them (run it again after every artifact_check()). */
void artifact_check_exports(struct artifact *a, const struct strv *declared,
			    const char *header_name);

/* Add "warning: <text>" to a's problems (after artifact_check()). */
void artifact_add_warning(struct artifact *a, const char *text);

/* A short description for a narrow column: "PE32+ x86_64 console",
 * "ELF aarch64 pie glibc2.34", "Mach-O fat x86_64+aarch64".  Appends. */
void artifact_summary(const struct artifact *a, struct buf *out);

/* One line in the spirit of file(1), without the path: "ELF 64-bit LSB pie
 * executable, x86_64, linux, interpreter /lib64/ld-linux-x86-64.so.2, ...".
 * Appends. */
void artifact_describe(const struct artifact *a, struct buf *out);

/* The JSON object crossbench inspect --json prints for a: path, format,
 * machine, bits, endian, os, kind, interpreter, needed, exports,
 * exports_total (null when exports were not read), glibc_max,
 * static, stripped, debug_info, subsystem, min_os, slices, summary,
 * target, matches, problems (plus os_abi, glibcxx_max, gcc_max,
 * subsystem_version, sdk, count).  Returns a new reference. */
json_t *artifact_to_json(const struct artifact *a);

/* Free everything a holds and leave it empty (safe to call twice). */
void artifact_fini(struct artifact *a);

/* Names of the enums ("elf", "pie", ...). */
const char *artifact_format_name(enum artifact_format f);
const char *artifact_kind_name(enum artifact_kind k);

/* For the format readers (elf.c, pe.c, macho.c, wasm.c, arfile.c). */

/* Initialise a empty, with path. */
void artifact_init(struct artifact *a, const char *path);
/* Identify the bytes of v and fill a.  depth counts nesting (fat slices,
 * archive members): readers refuse to nest beyond 1, so no cycles.
 * shallow: identity only (format, machine, bits, byte order, OS/ABI, kind),
 * no symbol or section walk; for the thousands of members of an archive. */
void artifact_read_view(struct artifact *a, const struct view *v, int depth,
			int shallow);
/* Record "malformed: <message>" (at most ARTIFACT_FINDINGS_MAX of them). */
void artifact_malformed(struct artifact *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a needed library unless already listed; n bytes of name. */
void artifact_add_needed(struct artifact *a, const char *name, size_t n);
/* Count an exported name and list it (n bytes) while fewer than
 * ARTIFACT_EXPORTS_MAX are listed. */
void artifact_add_export(struct artifact *a, const char *name, size_t n);
/* Raise dst (a version buffer) to ver ("2.34") if ver is higher. */
void artifact_raise_version(char dst[ARTIFACT_VERSION_MAX], const char *ver);
/* Compare dotted versions numerically: <0, 0, >0. */
int artifact_version_cmp(const char *a, const char *b);

#define ARTIFACT_FINDINGS_MAX 16
#define ARTIFACT_NEEDED_MAX 1024
#define ARTIFACT_EXPORTS_MAX 4096

#endif
