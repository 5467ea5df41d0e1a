/* board.h - one model of every target's state, for the screen and the
 * command line alike.
 *
 * A row per target the settings name, and in it a cell per profile (dev
 * and release): the live job of this session or else the last result the
 * history kept, its state, its artifact's verdict and the diagnosis of its
 * log.  The board is the engine's observer: it brings a cell up to date
 * when its job changes, and hands the news on to its own observer (the
 * screen).  Everything a front end shows is computed here, once, when it
 * changes: the diagnosis of a finished log from an earlier session is
 * read from disk when the board first sees that result, never while a
 * screen is drawn, and an earlier session's artifact is checked again
 * against its target, so a restart shows the verdict it had.
 *
 *   struct board *b = board_new(engine, cfg);
 *   board_set_observer(b, &obs, ctx);   // the screen
 *   board_reload(b);                    // rows from the settings
 *   ... engine_poll(); board_row(b, i)->cell[p].state ...
 */
#ifndef CB_BOARD_H
#define CB_BOARD_H

#include <stddef.h>

#include "artifact.h"
#include "config.h"
#include "diagnose.h"
#include "engine.h"
#include "history.h"
#include "job.h"
#include "toolchain.h"
#include "triple.h"

/* Profiles: 0 "dev" (cargo's name; the default), 1 "release". */
#define BOARD_PROFILES 2
const char *board_profile_name(int p);

/* What the artifact check of a passed build said. */
enum board_art {
	BOARD_ART_NONE,       /* no passed build, or it made no artifact */
	BOARD_ART_OK,         /* a binary for the target, nothing to warn of */
	BOARD_ART_WARNING,    /* for the target, with warnings (runtime DLLs...) */
	BOARD_ART_MISMATCH,   /* not a binary for the target */
	BOARD_ART_MALFORMED,  /* not readable as what it claims to be */
	BOARD_ART_GONE,       /* an earlier session's artifact is not there */
};
/* "none", "ok", "warning", "mismatch", "malformed", "gone". */
const char *board_art_name(enum board_art v);
/* The verdict of an artifact checked against its target. */
enum board_art board_art_verdict(const struct artifact *a);

struct since;

struct board_cell {
	int known;                          /* there is a state to show */
	enum job_state state;
	struct job *job;                    /* this session's newest, or NULL */
	/* The newest smoke run of the build shown (this session's; a build
	 * started since makes it NULL). */
	struct job *smoke;
	const struct history_entry *hist;   /* else the last saved, or NULL */
	/* The artifact check: the job's own, or (a history entry) art_own
	 * read again now.  art NULL with verdict NONE or GONE. */
	enum board_art verdict;
	const struct artifact *art;
	struct artifact art_own;
	char *art_own_path;
	/* The diagnosis of a failed history entry's log, kept. */
	struct diagnose *kept;
	char *kept_log;
	/* What changed since the target last passed (board_since), read
	 * once per result shown: since_key names that result. */
	struct since *since;
	char since_key[64];
};

struct board_row {
	char triple[TRIPLE_MAX];
	int enabled;
	struct board_cell cell[BOARD_PROFILES];
	struct toolchain_report ready;      /* the doctor's findings */
	int checked;                        /* ready is filled in */
	int checking;                       /* the doctor is on it */
	int not_allowed;                    /* the project's settings are not
					       allowed: no doctor, no build */
	char host[128];                     /* where it builds (its host
					       setting), "" for here */
};

struct board;

/* A board over engine e and settings cfg (both borrowed; cfg is what the
 * caller reloads and fixes change).  Its rows come with board_reload. */
struct board *board_new(struct engine *e, struct config *cfg);
void board_free(struct board *b);

/* Who hears the engine's news after the board has taken it in (o is
 * copied; NULL: nobody). */
void board_set_observer(struct board *b, const struct engine_observer *o,
			void *ctx);

/* Rows again from the settings (after a reload or an edit): a row per
 * target they name, in their order; what is known of each is kept.  With
 * tc, and when the project's settings are allowed (config_trusted; else
 * each row is not_allowed), the doctor checks every row on a thread of its own (board_doctor_fd
 * wakes the caller, board_doctor_take takes the reports). */
void board_reload(struct board *b, struct toolchain *tc);

/* Bring every cell up to date with the engine and the history. */
void board_refresh(struct board *b);

size_t board_count(const struct board *b);
struct board_row *board_row(struct board *b, size_t i);
/* The row of triple, or NULL. */
struct board_row *board_find(struct board *b, const char *triple);

/* The cell of job j's target and profile, or NULL (a target the settings
 * do not name, a custom profile). */
const struct board_cell *board_cell_of(struct board *b, const struct job *j);
/* Its row, or NULL. */
const struct board_row *board_row_of(struct board *b, const struct job *j, int *profile);

/* The diagnosis to show for a cell: its live or finished job's when the
 * job did not pass, else the kept one of a failed earlier result, else
 * its smoke run's when that did not pass; NULL when there is nothing to
 * diagnose. */
const struct diagnose *board_diagnosis(const struct board_row *r, int p);
/* Whether that diagnosis is of the smoke run's log (not the build's). */
int board_diagnosis_is_smoke(const struct board_row *r, int p);
/* The 1-based log line of the cell's diagnosis k, or 0. */
size_t board_evidence_line(const struct board_row *r, int p, size_t k);
/* What changed since the cell's target last passed, when its result is
 * a failure (since.h): read from the history and the repository the first
 * time that result is asked for, then kept until another result replaces
 * it.  NULL when the result passed, or nothing is known. */
const struct since *board_since(struct board *b, struct board_row *r, int p);

/* Targets failing for one cause: the same rule and the same missing
 * thing (the diagnosis's subject), in the selected profile. */
struct board_group {
	const char *rule;
	char subject[128];
	enum category category;
	size_t rows[64];            /* board_row indexes, in board order */
	size_t n;
};

/* The groups of two targets or more among the failed cells of profile
 * p, into *out (the caller frees it); returns how many.  Each group's
 * number is its index + 1, in the order of its first row. */
size_t board_groups(struct board *b, int p, struct board_group **out);
/* The group (1-based) row i of profile p is in, or 0 (a fresh reading:
 * for drawing one cell; board_groups for all). */
size_t board_group_of(struct board *b, int p, size_t row);

/* One past build of a target, for the history view: the entry, whether
 * its log is still kept, and (a failed build) its top diagnosis. */
struct board_past {
	struct history_entry e;
	int log_kept;
	char category[40];         /* "" when none, or the build passed */
	char summary[256];
};

/* The recorded builds of triple and profile, newest first (at most max;
 * 0: all) into *out (the caller frees it).  A failed build's kept log is
 * diagnosed with the engine's rules.  Returns how many. */
size_t board_history(struct board *b, const char *triple, int p, size_t max,
		     struct board_past **out);

/* The first mismatch the check found ("machine is x86_64, ..."), the
 * first warning when there is none, or NULL. */
const char *board_art_problem(const struct board_cell *c);

/* The value fix (a settings fix) would give its key: a list key gains the
 * entry unless one of its entries already is it; other keys are
 * replaced.  The caller frees it. */
char *board_fix_value(const struct board *b, const struct diagnosis_fix *fix);
/* Write fix into the project's .crossbench (the value above).  Returns 0
 * or -1 with err.  The caller reloads. */
int board_apply_fix(struct board *b, const struct diagnosis_fix *fix,
		    struct cb_err *err);

/* The doctor: readable when reports are ready (-1: none running). */
int board_doctor_fd(const struct board *b);
/* Take the reports that are ready into their rows; returns how many. */
size_t board_doctor_take(struct board *b);
/* Wait for every report (before using the toolchain, which is the
 * doctor's while it runs). */
void board_doctor_wait(struct board *b);

#endif
