/* config.h - the settings model: per-target toolchain settings, layered.
 *
 * Files are in git-config syntax, read and written through libgit2:
 *
 *   [crossbench]
 *       jobs = 2
 *       theme = dark
 *   [target]                      # defaults for every target
 *       cargo = /usr/bin/cargo
 *   [target "aarch64-unknown-linux-gnu"]
 *       enabled = true
 *       linker = aarch64-linux-gnu-gcc
 *       env = PKG_CONFIG_ALLOW_CROSS=1
 *       env = FOO=bar             # env and libpath repeat
 *
 * Layers, lowest first: built-in defaults < the user's file
 * ($XDG_CONFIG_HOME/crossbench/config or ~/.config/crossbench/config) < the
 * project's .crossbench.  A later layer's scalar replaces an earlier one; the
 * list keys (env, libpath) accumulate across layers in that order.  Within a
 * layer, [target "T"] overrides [target].  Every target named in any layer
 * is a row of the matrix, enabled or not.
 *
 * An empty value (key =) puts a scalar back to its built-in default; an
 * empty env or libpath entry drops the entries before it, as in git's lists.
 *
 * Loading never stops at a bad line: an unknown key, a bad value or a file
 * libgit2 cannot parse is recorded as a config_problem (file, line,
 * message) and the rest still loads.
 */
#ifndef CB_CONFIG_H
#define CB_CONFIG_H

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "triple.h"
#include "trust.h"

enum config_type {
	CONFIG_BOOL,     /* true/false/yes/no/on/off/1/0 */
	CONFIG_TOOL,     /* a program: name on PATH or a path */
	CONFIG_STRING,   /* a name (the rustup toolchain) */
	CONFIG_WORDS,    /* space-separated words (rustflags, cflags, runner) */
	CONFIG_LIST,     /* repeated key, one value per line (libpath) */
	CONFIG_ENVLIST,  /* repeated key, KEY=VALUE each (env) */
	CONFIG_PATH,     /* a directory; relative to the project */
	CONFIG_VERSION,  /* dotted numbers (2.17), or a floor's name (debian-10) */
	CONFIG_SECONDS,  /* a duration: 90, 90s, 10m, 1h; 0 means none */
	CONFIG_PROFILE_NAME, /* dev, release or a custom profile name */
	CONFIG_ADDRESS,  /* [user@]name[:port], or a [host "name"] section */
	CONFIG_REMOTE_PATH, /* a directory on the build host, as it is there */
	CONFIG_CHOICE,   /* one word of a fixed list (config_key_choices) */
};

/* Every per-target key, in the order the settings editor shows them.
 * X(ENUM, "name", type, "one line of help") */
#define CONFIG_TARGET_KEYS(X) \
	X(ENABLED,    "enabled",    CONFIG_BOOL,     "build this target with B and `crossbench build`") \
	X(CARGO,      "cargo",      CONFIG_TOOL,     "the cargo program to run") \
	X(RUSTC,      "rustc",      CONFIG_TOOL,     "the rustc cargo uses (sets RUSTC)") \
	X(TOOLCHAIN,  "toolchain",  CONFIG_STRING,   "rustup toolchain: runs cargo +NAME") \
	X(CC,         "cc",         CONFIG_TOOL,     "C compiler for build scripts (CC_<triple>)") \
	X(CXX,        "cxx",        CONFIG_TOOL,     "C++ compiler for build scripts (CXX_<triple>)") \
	X(AR,         "ar",         CONFIG_TOOL,     "archiver for build scripts (AR_<triple>)") \
	X(LINKER,     "linker",     CONFIG_TOOL,     "linker rustc calls (CARGO_TARGET_<T>_LINKER)") \
	X(RUSTFLAGS,  "rustflags",  CONFIG_WORDS,    "extra rustc flags (CARGO_TARGET_<T>_RUSTFLAGS)") \
	X(CFLAGS,     "cflags",     CONFIG_WORDS,    "extra C flags for build scripts (CFLAGS_<triple>)") \
	X(LIBPATH,    "libpath",    CONFIG_LIST,     "library directory passed as -L (repeatable)") \
	X(ENV,        "env",        CONFIG_ENVLIST,  "KEY=VALUE set for the build (repeatable)") \
	X(RUNNER,     "runner",     CONFIG_WORDS,    "runs target binaries: qemu-aarch64, wine (CARGO_TARGET_<T>_RUNNER)") \
	X(PROFILE,    "profile",    CONFIG_PROFILE_NAME, "cargo profile: dev, release or a custom one") \
	X(FEATURES,   "features",   CONFIG_WORDS,    "cargo features to enable") \
	X(TARGET_DIR, "target-dir", CONFIG_PATH,     "cargo target directory for this target") \
	X(FLOOR,      "floor",      CONFIG_VERSION,  "oldest system it must run on: debian-10, centos-7, alpine, or a glibc version") \
	X(GLIBC_MAX,  "glibc-max",  CONFIG_VERSION,  "highest GLIBC_x.y the artifact may require (or a distribution)") \
	X(TIMEOUT,    "timeout",    CONFIG_SECONDS,  "stop the build after this long (90, 10m, 1h)") \
	X(SMOKE,      "smoke",      CONFIG_WORDS,    "arguments the smoke run (x, build --smoke) starts the binary with; unset: --version") \
	X(SMOKE_TIMEOUT, "smoke-timeout", CONFIG_SECONDS, "stop a smoke run after this long; unset: 30s") \
	X(HOST,       "host",       CONFIG_ADDRESS,     "build on this machine over ssh: [user@]name[:port], or a [host \"name\"] section") \
	X(HOST_DIR,   "host-dir",   CONFIG_REMOTE_PATH, "the project's directory on the host; unset: ~/.cache/crossbench/NAME-HASH") \
	X(KIND,       "kind",       CONFIG_CHOICE,   "what builds it: cargo or go; unset: go where there is go.mod and no Cargo.toml") \
	X(GO,         "go",         CONFIG_TOOL,     "the go program to run (kind = go)") \
	X(BUILDMODE,  "buildmode",  CONFIG_CHOICE,   "go build -buildmode: default (a program), c-shared (a C library), c-archive, pie")

enum config_key {
#define X(e, name, type, help) CONFIG_##e,
	CONFIG_TARGET_KEYS(X)
#undef X
	CONFIG_NKEYS
};

/* Which file a value came from. */
enum config_level {
	CONFIG_LEVEL_BUILTIN = 0,
	CONFIG_LEVEL_USER,
	CONFIG_LEVEL_PROJECT,
	CONFIG_NLEVELS
};

struct config_key_info {
	const char *name;
	enum config_type type;
	const char *help;
};

/* The table above as data: name, type and help of key k. */
const struct config_key_info *config_key_info(enum config_key k);
/* The words a CONFIG_CHOICE key takes, NULL-terminated (NULL for others). */
const char *const *config_key_choices(enum config_key k);
/* Look a key up by name; returns -1 when there is no such key. */
int config_key_lookup(const char *name);

struct remote_host;

/* What builds a target (the kind key). */
enum project_kind { KIND_CARGO = 0, KIND_GO };

/* What a directory holds without a kind setting: go for go.mod without
 * Cargo.toml, else cargo. */
enum project_kind config_detect_kind(const char *project_dir);

/* The resolved settings of one target.  Strings are NULL when unset. */
struct target_settings {
	char triple[TRIPLE_MAX];
	int enabled;
	char *cargo;        /* default "cargo" */
	char *rustc;
	char *toolchain;
	char *cc, *cxx, *ar, *linker;
	struct strv rustflags, cflags, runner, features;   /* words */
	struct strv smoke;  /* the smoke run's arguments (set: origin[CONFIG_SMOKE]) */
	struct strv libpath;                               /* directories */
	struct strv env;                                   /* KEY=VALUE */
	char *profile;      /* default "dev" */
	char *target_dir;   /* absolute (resolved against the project) or NULL */
	char *glibc_max;    /* "2.17" or NULL */
	char *floor;        /* "debian-10" or "2.17"; wins over glibc_max */
	int timeout_s;      /* 0: none */
	int smoke_timeout_s; /* 0: none (unset: the default, see job.h) */
	char *host;         /* build there (remote.h), or NULL: here */
	char *host_dir;     /* the project's directory there, or NULL */
	enum project_kind kind; /* kind, or what the directory holds */
	char *kind_name;    /* the kind setting: "cargo", "go" or NULL */
	char *go;           /* default "go" */
	char *buildmode;    /* default "default" */
	struct remote_host *remote;  /* host resolved (config_remote), or NULL */
	char *remote_error; /* why host could not be resolved, or NULL */
	/* From a project whose settings are not allowed (trust.h): nothing
	 * these settings name may run, no build and no probe. */
	int untrusted;
	/* The layer that set each key last (CONFIG_LEVEL_BUILTIN if unset). */
	enum config_level origin[CONFIG_NKEYS];
};

/* The [crossbench] section. */
struct config_global {
	int jobs;           /* 0: number of CPUs */
	char *theme;        /* theme name or NULL */
	char *strategy;     /* build strategy name (see engine.h) or NULL */
};

/* A [host "name"] section: what every target built on that machine
 * shares.  Strings are NULL when unset. */
struct config_host {
	char *name;
	char *address;      /* [user@]name[:port]; NULL: the section's name */
	char *dir;          /* default host-dir of its targets */
	char *ssh;          /* the ssh program */
	char *ssh_options;  /* words given to ssh */
	int jobs;           /* builds at once there; 0: 1 */
	enum config_level level;  /* the highest layer that set any of it */
};

struct config_problem {
	char *file;         /* path of the file, or "<built-in>" */
	int line;           /* 1-based; 0 when unknown */
	char *key;          /* "target.aarch64-unknown-linux-gnu.linker",
			       "target.T" for a whole section, or NULL */
	char *message;      /* "unknown key 'linkr' in [target \"T\"]; did
			       you mean 'linker'?" */
};

struct config {
	char *project_dir;               /* absolute */
	char *path[CONFIG_NLEVELS];      /* the file of each level; [0] NULL */
	struct config_global global;
	struct target_settings *targets; /* in the order they first appear */
	size_t ntargets;
	struct config_problem *problems;
	size_t nproblems;
	struct config_host *hosts;       /* [host "name"] sections, merged */
	size_t nhosts;
	void *priv;                      /* what each file says (config.c) */
	/* Whether the project's own files may run programs (trust.h),
	 * found again on every load. */
	enum trust_state trust;
	char trust_hash[65];
	char *trust_error;               /* why TRUST_UNREADABLE */
	int trust_session;               /* --trust: this run only */
};

/* Whether the project's settings may run programs: allowed, trusted for
 * this session, or there are none. */
int config_trusted(const struct config *c);
/* Trust them for this process only (--trust), without a record. */
void config_trust_session(struct config *c);
/* What the project's own file sets, one line per target and key, the
 * programs first, then env, then the other settings: "program  T  linker
 * = /x/gcc".  For the question before allowing it. */
void config_project_settings(const struct config *c, struct strv *out);
/* The project's rules files the trust covers: "rules    .crossbench-rules/x.rules". */
void config_project_rules(const struct config *c, struct strv *out);
/* Record the project's files as allowed (trust_allow) and load again. */
int config_allow(struct config *c, struct cb_err *err);

/* Load the layers for the Cargo project in project_dir.  user_path and
 * project_path override the default file locations (NULL: default; tests
 * use this).  Returns 0 (problems may still have been recorded in
 * c->problems), or -1 with err when nothing could be loaded at all (the
 * project directory does not exist).  Free with config_fini(). */
int config_load(struct config *c, const char *project_dir,
		const char *user_path, const char *project_path,
		struct cb_err *err);
void config_fini(struct config *c);

/* Load again from disk, e.g. after an edit elsewhere. */
int config_reload(struct config *c, struct cb_err *err);

/* The settings of triple, or NULL when no layer names it. */
const struct target_settings *config_target(const struct config *c,
					    const char *triple);

/* Where ts builds: 0 when here (its host is unset), 1 with out filled in
 * (remote.h: the [host "name"] section its host names, or the host
 * setting as an address; host-dir over the section's dir), -1 with err
 * when the address is not one. */
int config_remote(const struct config *c, const struct target_settings *ts,
		  struct remote_host *out, struct cb_err *err);

/* Settings for triple whether or not a layer names it: the defaults of
 * [target] applied to it.  Caller frees with target_settings_fini(). */
void config_resolve(const struct config *c, const char *triple,
		    struct target_settings *out);
void target_settings_fini(struct target_settings *ts);

/* The value of key k in ts as text, for display and editing: words joined
 * by spaces, list entries joined by "\n", booleans "true"/"false",
 * seconds as a number.  Appends to out; appends nothing when unset. */
void config_format_value(const struct target_settings *ts, enum config_key k,
			 struct buf *out);

/* Check value (text as config_format_value gives it) for key k.  Returns
 * 0, or -1 with err saying what is wrong ("timeout: '10x' is not a
 * duration"). */
int config_validate(enum config_key k, const char *value, struct cb_err *err);

/* A duration as the timeout setting takes it (90, 90s, 10m, 1h; 0 means
 * none) into seconds.  Returns 0, or -1 when v is not one or would not fit
 * an int.  The --timeout option reads the same form. */
int config_parse_seconds(const char *v, int *out);

/* Set key k of triple in the file of level (USER or PROJECT), replacing
 * every value the key had there; triple NULL or "" sets it in [target],
 * the defaults of every target.  value NULL or "" removes the key from
 * that file.  List keys take the entries separated by '\n'.  The file is
 * written atomically (libgit2 locks and renames) and created if missing,
 * with its directory; comments and other lines are kept.  c is reloaded.
 * Returns 0 or -1 with err (a bad value, a file that does not parse, a
 * file another program holds locked). */
int config_set(struct config *c, enum config_level level, const char *triple,
	       enum config_key k, const char *value, struct cb_err *err);

/* Set a [crossbench] key (jobs, theme, strategy) in the file of level. */
int config_set_global(struct config *c, enum config_level level,
		      const char *key, const char *value, struct cb_err *err);

/* Add triple to the file of level (as [target "T"] enabled = true) if no
 * layer has it yet.  Returns 0 or -1 with err. */
int config_add_target(struct config *c, enum config_level level,
		      const char *triple, struct cb_err *err);

/* Remove the [target "T"] section of triple from the file of level: the
 * header, its keys and the comments among them.  Returns 0, or -1 with err
 * (CB_ERR_NOTFOUND when that file has no such section). */
int config_remove_target(struct config *c, enum config_level level,
			 const char *triple, struct cb_err *err);

#endif
