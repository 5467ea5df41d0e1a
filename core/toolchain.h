/* toolchain.h - the doctor: can this machine build a target with its
 * settings, and if not, what exactly to install or set.
 *
 * A check looks at what the build would really run, from the environment
 * job_prepare() makes out of the settings: the cargo, the rustc that cargo
 * runs (RUSTC, else .cargo/config.toml's build.rustc, else rustup's own
 * rustc for rustup's cargo, else the first rustc on PATH) with the rustup
 * toolchain that `cargo +NAME` or rust-toolchain.toml picks, that rustc's
 * std for the target (`rustc --print sysroot`, lib/rustlib/<triple>/lib),
 * the linker rustc calls, the C compiler, C++ compiler and archiver cc-rs
 * uses, for GNU targets the cross libgcc and C library the linker finds,
 * an SDK for Apple targets, and the runner when one is set.  Compilers are
 * asked what they build for (-dumpmachine) and libgcc's object files are
 * read (ELF e_machine, COFF machine).
 *
 * Each finding is ok, missing or wrong, and a problem comes with the fixes
 * that work on this host: packages for its manager (packages.h), a command
 * (rustup target add, dpkg --add-architecture), or a setting, taken from
 * the presets (preset.h) when a fitting program is already installed.
 *
 * Probes are cached in the struct toolchain: `rustc --print sysroot` once
 * per rustc, toolchain and directory, each compiler question once per
 * program, so checking ten targets costs little more than checking one.
 */
#ifndef CB_TOOLCHAIN_H
#define CB_TOOLCHAIN_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "diagnose.h"
#include "err.h"
#include "host.h"
#include "packages.h"
#include "triple.h"

struct presets;

/* What a finding is about, in the order the report lists them; the first
 * problem in this order is the report's summary.
 * X(ENUM, "name", "summary when it is the first problem") */
#define TOOLCHAIN_WHATS(X) \
	X(HOST,    "host",    "no host") \
	X(CARGO,   "cargo",   "no cargo") \
	X(GO,      "go",      "no go") \
	X(RUSTC,   "rustc",   "no rustc") \
	X(STD,     "std",     "no std") \
	X(SDK,     "sdk",     "no SDK") \
	X(LINKER,  "linker",  "no linker") \
	X(LIBGCC,  "libgcc",  "no libgcc") \
	X(SYSROOT, "sysroot", "no libc") \
	X(CC,      "cc",      "no cc") \
	X(AR,      "ar",      "no ar") \
	X(CXX,     "cxx",     "no c++") \
	X(RUNNER,  "runner",  "no runner")

enum toolchain_what {
#define X(e, name, summary) TOOLCHAIN_##e,
	TOOLCHAIN_WHATS(X)
#undef X
	TOOLCHAIN_NWHATS
};

enum toolchain_status {
	TOOLCHAIN_OK,
	TOOLCHAIN_MISSING,  /* not there at all */
	TOOLCHAIN_WRONG,    /* there, but for another machine or unfit */
};

struct toolchain_finding {
	enum toolchain_what what;
	enum toolchain_status status;
	int required;        /* 0: a problem here does not stop a build (a C++
				compiler for a project without C++) */
	char *name;          /* the program or file looked for */
	char *path;          /* where it was found, or NULL */
	char *source;        /* where the name came from: "the linker setting",
				"rustc's default", "cc-rs's default" */
	char *detail;        /* one line for a person */
	struct diagnosis_fix *fixes;  /* best first; kinds as diagnose.h's */
	size_t nfixes;
};

struct toolchain_report {
	char triple[TRIPLE_MAX];
	int ready;           /* every required finding is ok */
	char *cargo;         /* the cargo the build runs (path if found) */
	char *rustc;         /* the rustc cargo runs (path), or NULL */
	char *rustc_source;  /* why that one: "the rustc setting (RUSTC)" */
	char *rustc_version; /* "1.63.0", or NULL */
	char *toolchain;     /* the rustup toolchain it belongs to, or NULL */
	char *sysroot;       /* its sysroot, or NULL */
	struct toolchain_finding *findings;
	size_t nfindings;
};

struct toolchain;

/* A doctor for host h (copied), with the default package lists and
 * presets.  Never NULL: data files that cannot be read leave those fixes
 * out, and err (may be NULL) says why. */
struct toolchain *toolchain_new(const struct host *h, struct cb_err *err);

/* The same with the caller's data, which the doctor then owns (either may
 * be NULL: none).  For tests and for a front end that has them loaded. */
struct toolchain *toolchain_new_with(const struct host *h, struct packages *pk,
				     struct presets *ps);
void toolchain_free(struct toolchain *tc);

/* The environment builds start from (copied; NULL: this process's, the
 * default).  Clears the cache. */
void toolchain_set_env(struct toolchain *tc, char *const env[]);

/* Forget every probe, e.g. after packages were installed. */
void toolchain_forget(struct toolchain *tc);

const struct host *toolchain_host(const struct toolchain *tc);
const struct presets *toolchain_presets(const struct toolchain *tc);

/* Check triple ts->triple with settings ts for the Cargo project in
 * project_dir (NULL: no project: rust-toolchain.toml and Cargo.lock are
 * not looked at, C tools are taken as needed).  Fills rep (initialised
 * here; free with toolchain_report_fini).  Returns 0, whatever was found,
 * or -1 with err when the settings cannot make a build at all (a bad
 * triple, a rustflags word with a space). */
int toolchain_check(struct toolchain *tc, const struct target_settings *ts,
		    const char *project_dir, struct toolchain_report *rep,
		    struct cb_err *err);

void toolchain_report_init(struct toolchain_report *rep);
void toolchain_report_fini(struct toolchain_report *rep);

/* A few words for a matrix cell: "ok", or the summary of the first
 * required problem ("no std", "no linker", "no SDK"), or "bad settings"
 * for a report toolchain_check could not fill.  Appends to out. */
void toolchain_summary(const struct toolchain_report *rep, struct buf *out);

/* The report as JSON: {"target", "ready", "summary", "cargo", "rustc":
 * {"path", "source", "version", "toolchain", "sysroot"}, "findings":
 * [{"what", "status", "required", "name", "path", "source", "detail",
 * "fixes": [diagnosis_fix_to_json]}]}.  The caller owns the reference. */
json_t *toolchain_report_to_json(const struct toolchain_report *rep);

/* "cargo", "std", ... and "ok", "missing", "wrong". */
const char *toolchain_what_name(enum toolchain_what w);
const char *toolchain_status_name(enum toolchain_status s);

/* Whether the C compiler or linker driver at path builds for triple: its
 * -dumpmachine names the same machine, byte order, width, OS family and
 * ARM float ABI.  A plain clang is taken as fitting (cc-rs and rustc give
 * it --target); a program that cannot answer is taken as fitting too. */
int toolchain_fits(struct toolchain *tc, const char *path, const char *triple);

/* The machine an object file, or the first object of an ar archive, is
 * for, in triple.h's vocabulary ("aarch64", "x86_64", "arm"), with its
 * width in *bits (may be NULL).  ELF and PE/COFF objects.  NULL when the
 * file cannot be read or is neither. */
const char *toolchain_object_machine(const char *path, int *bits);

#endif
