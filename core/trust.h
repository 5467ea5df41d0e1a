/* trust.h - whether a project's own settings may run programs.
 *
 * A project's .crossbench names programs (cargo, linker, cc, runner) and
 * environment, and .crossbench-rules/ holds rules whose fixes a key
 * applies.  Both arrive with a clone, so, as direnv does with .envrc,
 * crossbench runs nothing they name until the user has allowed exactly
 * these files: the store ($XDG_DATA_HOME/crossbench/trust, one line
 * "<sha256> <project directory>") holds the hash of what was allowed, and
 * any change to either makes the project ask again.  The store is the
 * user's, never the project's.  The user's own config and the built-in
 * presets and rules are always trusted.
 *
 * The hash covers the project directory's path, the settings file and
 * every .crossbench-rules/NAME.rules file rules_load() would read, each with
 * its name and length, so that moving bytes between files changes it.
 *
 * For CI, `--trust` trusts the project for one run, and CROSSBENCH_TRUST
 * (directories separated by ':') trusts every project at or under one of
 * them, without a record.
 */
#ifndef CB_TRUST_H
#define CB_TRUST_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define TRUST_STATES(X) \
	X(NOT_NEEDED, "not needed") /* the project ships no settings or rules */ \
	X(ALLOWED,    "allowed")    /* allowed, and unchanged since */ \
	X(SESSION,    "trusted for this run") /* --trust or CROSSBENCH_TRUST */ \
	X(NEW,        "not allowed yet") /* never allowed */ \
	X(CHANGED,    "changed since allowed") \
	X(UNREADABLE, "unreadable")  /* a file could not be read to hash */

enum trust_state {
#define X(e, name) TRUST_##e,
	TRUST_STATES(X)
#undef X
};

const char *trust_state_name(enum trust_state s);
/* Whether s lets the project's settings run programs. */
int trust_state_ok(enum trust_state s);

/* The hash of what the project ships (settings_path, NULL: its
 * .crossbench; and .crossbench-rules/), and the files it covers, relative
 * to project_dir, in files (may be NULL).  Returns 1 when there is
 * something to trust, 0 when the project ships neither, -1 with err when
 * a file exists but cannot be read. */
int trust_hash(const char *project_dir, const char *settings_path,
	       char hash[65], struct strv *files, struct cb_err *err);

/* The state of project_dir now; its hash in hash (may be NULL).  On
 * TRUST_UNREADABLE err says why. */
enum trust_state trust_check(const char *project_dir, const char *settings_path,
			     char hash[65], struct cb_err *err);

/* Record what the project ships now as allowed (replacing any earlier
 * record of the directory).  Returns 0, or -1 with err (no HOME, the store
 * cannot be written, nothing to allow gives 0). */
int trust_allow(const char *project_dir, const char *settings_path,
		struct cb_err *err);
/* Record hash as allowed: after crossbench's own save of settings that
 * were allowed as old_hash, the new contents are the user's.  Only when
 * the store still holds old_hash for the directory.  Returns 0 or -1. */
int trust_renew(const char *project_dir, const char *old_hash,
		const char *new_hash, struct cb_err *err);
/* Forget the directory's record.  Returns 1 when there was one, 0, -1. */
int trust_deny(const char *project_dir, struct cb_err *err);

/* The store's path.  Returns 0, or -1 when neither XDG_DATA_HOME nor HOME
 * is set. */
int trust_store_path(char *out, size_t n);

#endif
