/* history.h - the results of past builds, per target and profile, kept in
 * <project>/target/crossbench/history.tsv, one line per build:
 *
 *   when<TAB>commit<TAB>triple<TAB>profile<TAB>status<TAB>seconds<TAB>units<TAB>log
 *
 * The workbench shows the last result of each target when it opens, takes
 * a progress bar's total from the last build's unit count, and opens a
 * finished build's log from disk.  The file is rewritten (atomically) to
 * its last HISTORY_KEEP lines when it grows past twice that; old logs are
 * pruned to the newest HISTORY_KEEP_LOGS per target and profile.
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
};

struct history {
	char *path;
	struct history_entry *last;  /* the newest entry per triple+profile */
	size_t nlast;
};

/* Load <project>/target/crossbench/history.tsv (a missing file is an
 * empty history; lines that do not parse are skipped).  Returns 0 or -1
 * with err when the file exists but cannot be read.  history_fini frees. */
int history_load(struct history *h, const char *project_dir, struct cb_err *err);
void history_fini(struct history *h);

/* The newest entry for triple and profile, or NULL. */
const struct history_entry *history_last(const struct history *h,
					 const char *triple, const char *profile);

/* Append e to the file (creating its directory) and to h's table; compact
 * the file when it has grown too long.  Returns 0 or -1 with err. */
int history_append(struct history *h, const struct history_entry *e,
		   struct cb_err *err);

/* Delete all but the newest keep logs (.log and its .json) of each triple
 * and profile in log_dir.  Returns how many logs were removed. */
int history_prune_logs(const char *log_dir, int keep);

#endif
