/* since.h - what changed since a target last built: the last passed
 * build in the history, the files changed between its commit and the
 * work tree (through libgit2), the packages Cargo.lock bumped, and the
 * toolchain programs that are not the ones it used.
 *
 * A build records its commit, whether the tree was dirty and a
 * fingerprint of its programs (history.h); since_last_green() reads the
 * newest failed build of a target against the last passed one.
 */
#ifndef CB_SINCE_H
#define CB_SINCE_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "buf.h"
#include "err.h"
#include "history.h"

struct since_file {
	char status;       /* 'M' modified, 'A' added, 'D' deleted, 'R'
			    * renamed, '?' untracked, 'T' type changed */
	char *path;        /* relative to the repository's top */
	int suspect;       /* Cargo.toml, Cargo.lock, build.rs, .cargo/config,
			    * rust-toolchain, .crossbench */
};

struct since_pkg {
	char *name;
	char *from;        /* NULL: the package is new */
	char *to;          /* NULL: the package is gone */
};

struct since {
	int has_repo;              /* 0: the project is not in a git repository */
	int failing;               /* the newest build of the target failed */
	int found;                 /* a passed build is in the history */
	struct history_entry green;    /* that build, when found */
	struct history_entry current;  /* the newest build, when failing */
	char green_short[16];      /* its commit, 7 hex digits, or "" */
	int reachable;             /* green's commit is in this repository */
	unsigned commits;          /* commits from green's to HEAD */
	struct since_file *files;  /* suspects first, then by path */
	size_t nfiles;
	struct since_pkg *pkgs;    /* Cargo.lock's changes, by name */
	size_t npkgs;
	struct strv toolchain;     /* "linker: gcc -> aarch64-linux-gnu-gcc" */
	char note[512];            /* why there is no comparison, or "" */
};

/* Fill s for triple and profile of the project in project_dir.  Returns
 * 0 (s->failing says whether there is anything to say, s->note why not),
 * or -1 with err when the history or the repository cannot be read.
 * since_fini frees, also after a failure. */
int since_last_green(const char *project_dir, const char *triple,
		     const char *profile, struct since *s, struct cb_err *err);
void since_fini(struct since *s);

/* "last passed at abc1234 (3 days ago), 4 files changed since" (or why
 * it cannot be said) into out; now is the current time. */
void since_headline(const struct since *s, time_t now, struct buf *out);

/* s as JSON: {last_green: {commit, when, dirty} or null, commits,
 * changed: [{path, status, suspect}], packages: [{name, from, to}],
 * toolchain: [...], note}.  when is RFC 3339 UTC. */
json_t *since_to_json(const struct since *s);

/* The builds at or after a revision: those whose commit is rev's or
 * descends from it.  since_range_open returns NULL with err when there
 * is no repository or rev names no commit. */
struct since_range;
struct since_range *since_range_open(const char *project_dir, const char *rev,
				     struct cb_err *err);
int since_range_has(struct since_range *r, const char *commit);
void since_range_close(struct since_range *r);

/* The changed files, suspects first, at most max of them, Cargo.lock with
 * its packages, then the toolchain's changes: "Cargo.lock (cc 1.0.73 ->
 * 1.0.79, + aws-lc-sys 0.21.0), build.rs and 2 more; toolchain: linker:
 * gcc -> aarch64-linux-gnu-gcc". */
void since_files_text(const struct since *s, size_t max, struct buf *out);

/* "3 days ago", "5 minutes ago", "just now". */
void since_ago(time_t then, time_t now, struct buf *out);

/* Cargo.lock's packages, old against new: what changed version, what
 * appeared and what went.  Texts need not be NUL-terminated. */
void since_lock_diff(const char *old, size_t oldlen, const char *new_,
		     size_t newlen, struct since_pkg **out, size_t *n);

/* The programs a build used, as one line for the history: each
 * NAME=VALUE of env that names a program (RUSTC, CC_*, CXX_*, AR_*,
 * CARGO_TARGET_*_LINKER, ..._RUNNER) and cargo itself, each with the
 * size and modification time of the file PATH finds for it, so that an
 * upgrade in place shows. */
void since_toolchain_print(const char *cargo, const struct strv *env,
			   struct buf *out);

/* What differs between two fingerprints, one line per program. */
void since_toolchain_diff(const char *old, const char *new_, struct strv *out);

#endif
