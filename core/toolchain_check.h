/* toolchain_check.h - what the doctor's three files share: the doctor
 * itself, the state of one check and the helpers that add findings and
 * fixes.  toolchain.c runs a check and reports; toolchain_rust.c checks
 * cargo, rustc and the std; toolchain_c.c the SDK, linker, C tools, libgcc,
 * C library and runner.  Internal: front ends use toolchain.h.
 */
#ifndef CB_TOOLCHAIN_CHECK_H
#define CB_TOOLCHAIN_CHECK_H

#include "toolchain.h"
#include "toolchain_probe.h"

struct toolchain {
	struct host host;
	struct packages *pk;
	struct presets *ps;
	struct strv env;           /* the environment builds start from */
	int have_env;              /* 0: this process's */
	struct toolchain_probes probes;
};

/* One check of one target. */
struct toolchain_ctx {
	struct toolchain *tc;
	const struct target_settings *ts;
	struct toolchain_report *rep;
	struct triple t;
	const char *project_dir;
	struct strv env;           /* what the build's cargo gets */
	const char *path_env;
	const char *family;        /* host_family() */
	char host_t[TRIPLE_MAX];   /* rustc's host, else this machine's */
	int native;                /* the target is the host */
	int needs_c, needs_cxx;    /* from Cargo.lock */
	int go;                    /* a go build: cgo's CC and CXX, no cargo */
	char prefix[TRIPLE_MAX];   /* GNU prefix, "" when none */
	char tenv[TRIPLE_MAX], cenv[TRIPLE_MAX];
	char *cargo_path;
	int cargo_rustup;
	char *linker_path;         /* a fitting gcc-like linker, for libgcc */
	char *cc_path;             /* a fitting gcc-like C compiler */
	int linker_m32, cc_m32;    /* ... that fits through -m32 (multilib) */
	int last_m32;              /* the driver judged last did */
};

/* Add a finding; returns its index (findings move as more are added). */
size_t toolchain_add(struct toolchain_ctx *ck, enum toolchain_what w,
		     enum toolchain_status st, int required, const char *name,
		     const char *path, const char *source, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
struct toolchain_finding *toolchain_at(struct toolchain_ctx *ck, size_t i);

/* Fixes of finding fi.  set: value NULL or "" unsets; run: as_root adds
 * sudo when crossbench is not root; install: packages that provide name
 * of kind ("tool", "std", "sysroot") with this host's manager, after any
 * set-up step, returns 0 when none are known. */
void toolchain_fix_set(struct toolchain_ctx *ck, size_t fi, enum config_key k,
		       const char *value);
void toolchain_fix_run(struct toolchain_ctx *ck, size_t fi, int as_root,
		       const char *cmd);
void toolchain_fix_text(struct toolchain_ctx *ck, size_t fi, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int toolchain_fix_install(struct toolchain_ctx *ck, size_t fi, const char *kind,
			  const char *name);

/* The fixes for program key k whose program current is missing or wrong:
 * an installed preset alternative, else packages for current or for the
 * preset's (or fallback's) program and the setting. */
void toolchain_fix_tool(struct toolchain_ctx *ck, size_t fi, enum config_key k,
			const char *current, const char *fallback);

/* Where the value of variable var in the build's environment came from,
 * as words ("the linker setting (CARGO_TARGET_..._LINKER)").  Caller
 * frees. */
char *toolchain_source_of(struct toolchain_ctx *ck, const char *var,
			  enum config_key k, const char *value);

/* A target that builds on another machine (ts->remote): that machine's
 * reachability, rsync, cargo, rustc and the target's std, asked over
 * ssh (toolchain_remote.c), instead of this machine's tools. */
void toolchain_check_host(struct toolchain_ctx *ck, const char *cargo);

/* path -dumpmachine, cached; NULL when it gives no one-line answer. */
const char *toolchain_dumpmachine(struct toolchain *tc, const char *path,
				  char *const env[]);

/* The checks, in the order of the report. */
void toolchain_check_rust(struct toolchain_ctx *ck, const char *cargo);
void toolchain_check_tools(struct toolchain_ctx *ck);
/* A go build (kind = go): the go program (version, GOROOT) and the C and
 * C++ compilers cgo runs (CC, CXX; go's default gcc). */
void toolchain_check_go(struct toolchain_ctx *ck, const char *go);
void toolchain_check_cgo_tools(struct toolchain_ctx *ck);

#endif
