/* history.h - the results of past builds, per target and profile, kept in
 * <project>/target/crossbench/history.tsv, one line per build:
 *
 *   when<TAB>commit<TAB>triple<TAB>profile<TAB>status<TAB>seconds<TAB>units<TAB>log
 *   [<TAB>artifact<TAB>dirty<TAB>toolchain]
 *
 * The workbench shows the last result of each target when it opens, takes
 * a progress bar's total from the last build's unit count, and opens a
 * finished build's log from disk.  The file is rewritten (atomically) to
 * its last HISTORY_KEEP lines when it grows past twice that, keeping also
 * the newest line of any target and profile older than those; old logs
 * are pruned to the newest HISTORY_KEEP_LOGS per target and profile.
 *
 * when is seconds since the epoch, seconds has a '.' whatever the locale,
 * and the text fields escape backslash, tab, newline and CR as \\ \t \n
 * \r (a log path may hold any of them).  Lines that do not parse are
 * skipped; fields after the eleventh are ignored.
 */
#ifndef CB_HISTORY_H
#define CB_HISTORY_H

#include <stddef.h>
#include <time.h>

#include "err.h"
#include "triple.h"

#define HISTORY_KEEP 2000
#define HISTORY_KEEP_LOGS 20

struct history_entry {
	time_t when;
	char commit[41];         /* HEAD when the build ran, or "" */
	char triple[TRIPLE_MAX];
	char profile[64];
	char status[16];         /* job_state_name(): passed, failed, ... */
	double seconds;
	unsigned units;          /* compiler-artifact messages cargo printed */
	char log[4096];          /* absolute path of the log */
	char artifact[4096];     /* the first artifact a passed build made,
				  * absolute, or "" (ninth field, optional) */
	int dirty;               /* the work tree had changes (tenth, optional) */
	char toolchain[2048];    /* the programs the build used, as
				  * since_toolchain_print() writes them, or ""
				  * (eleventh, optional) */
};

struct history {
	char *path;
	struct history_entry *last;  /* the newest entry per triple+profile */
	size_t nlast;
};

/* Load <project>/target/crossbench/history.tsv (a missing file is an
 * empty history; lines that do not parse are skipped).  Returns 0 or -1
 * with err when the file exists but cannot be read.  history_fini frees,
 * also after a failed load (h is then an empty history of that file). */
int history_load(struct history *h, const char *project_dir, struct cb_err *err);
void history_fini(struct history *h);

/* The newest entry for triple and profile, or NULL. */
const struct history_entry *history_last(const struct history *h,
					 const char *triple, const char *profile);

/* Append e to the file (creating its directory) and to h's table; compact
 * the file when it has grown too long.  Returns 0 or -1 with err (which
 * names the file or directory).  A failed compaction also returns -1, but
 * e is then appended and in h's table all the same.  Concurrent appends
 * from several crossbench processes are serialised with flock(). */
int history_append(struct history *h, const struct history_entry *e,
		   struct cb_err *err);

/* Call fn on every entry of <project>/target/crossbench/history.tsv,
 * oldest first, until it returns non-zero.  A missing file has no
 * entries.  Returns 0, or -1 with err when the file cannot be read. */
int history_each(const char *project_dir,
		 int (*fn)(void *arg, const struct history_entry *e), void *arg,
		 struct cb_err *err);

/* Delete all but the newest keep logs (.log and its .json) of each triple
 * and profile in log_dir.  Only regular files named as job.c names logs
 * (<triple>-<profile>-<YYYYmmdd-HHMMSS>.<mmm>.log) are touched; anything
 * else stays.  Returns how many logs were removed (0 if log_dir cannot be
 * read). */
int history_prune_logs(const char *log_dir, int keep);

#endif
