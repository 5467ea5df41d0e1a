/* toolchain_probe.h - the doctor's questions to programs and files, for
 * toolchain.c: run a probe once and remember the answer, read which
 * machine an object file is for, compare a compiler's -dumpmachine with a
 * target triple.  Internal to the doctor; front ends use toolchain.h.
 */
#ifndef CB_TOOLCHAIN_PROBE_H
#define CB_TOOLCHAIN_PROBE_H

#include <stddef.h>

#include "buf.h"
#include "triple.h"

struct toolchain_probe {
	char *key;
	int ran;         /* the program started */
	int ok;          /* and exited 0 */
	char *out;       /* its standard output, trailing space trimmed */
	char *err_line;  /* the first line of its standard error */
};

struct toolchain_probes {
	struct toolchain_probe *p;
	size_t n;
};

void toolchain_probes_clear(struct toolchain_probes *ps);

/* Run argv (argv[0] a path) in cwd (may be NULL) with env, unless the same
 * argv, cwd and the values of the variables named in keyvars (NULL-ended,
 * may be NULL) ran before; then the first answer is given again.  The
 * result belongs to ps. */
const struct toolchain_probe *toolchain_probe_run(struct toolchain_probes *ps,
						  char *const argv[],
						  char *const env[],
						  const char *cwd,
						  const char *const keyvars[]);

/* How a program's name says it behaves. */
enum toolchain_tool_kind {
	TOOLCHAIN_TOOL_DRIVER,      /* gcc, cc, aarch64-linux-gnu-gcc, o64-clang */
	TOOLCHAIN_TOOL_CLANG,       /* a plain clang: its target comes from --target */
	TOOLCHAIN_TOOL_LD,          /* ld, aarch64-linux-gnu-ld, rust-lld, wasm-ld */
	TOOLCHAIN_TOOL_OTHER,
};

enum toolchain_tool_kind toolchain_tool_kind(const char *name);

/* Whether a compiler whose -dumpmachine is gnu builds for t.  On no,
 * why (may be NULL) gets a short reason ("x86_64-linux-gnu, not arm").
 * A gnu that is not a triple counts as yes. */
int toolchain_machine_matches(const struct triple *t, const char *gnu,
			      struct buf *why);

/* Whether the program at path is rustup's proxy (a link to rustup). */
int toolchain_is_rustup_proxy(const char *path);

/* The last component of a path. */
const char *toolchain_base(const char *path);

#endif
