/* app.h - the workbench's state: one struct, owned by app_run().
 *
 * Everything that changes while the screen is up lives here (STYLE: no
 * mutable globals outside the app struct).  Handlers change state and set
 * dirty bits; app_paint() draws the dirty parts once per turn.
 */
#ifndef CB_APP_H
#define CB_APP_H

#include <curses.h>
#include <limits.h>
#include <stdint.h>
#include <time.h>

#include "board.h"
#include "config.h"
#include "engine.h"
#include "history.h"
#include "keys.h"
#include "lineedit.h"
#include "logstore.h"
#include "repo.h"
#include "theme.h"
#include "toolchain.h"

enum {
	DIRTY_HEADER = 1u << 0,
	DIRTY_MATRIX = 1u << 1,
	DIRTY_LOG = 1u << 2,
	DIRTY_STATUS = 1u << 3,
	DIRTY_OVERLAY = 1u << 4,   /* help, editor, picker, prompt */
	DIRTY_LAYOUT = 1u << 5,    /* sizes changed: make the windows again */
	DIRTY_TICK = 1u << 6,      /* numbers moved (elapsed, units): paced */
	DIRTY_ALL = 0x7f,
};

enum focus { FOCUS_MATRIX, FOCUS_LOG, FOCUS_DIAG };
enum mode { MODE_NORMAL, MODE_HELP, MODE_HISTORY, MODE_EDITOR, MODE_PICKER, MODE_PROMPT, MODE_CHOICE,
	    MODE_TRUST /* may the project's settings run programs? */ };

/* profile index: 0 debug ("dev"), 1 release (board.h) */
#define NPROFILES BOARD_PROFILES

struct diagnose;

#define MAX_PANES 4

struct pane {
	char triple[TRIPLE_MAX];
	int profile;                 /* 0 or 1 */
	struct job *job;             /* live log (the engine owns it) */
	struct logstore *own;        /* or a finished log opened from disk */
	char *path;
	uint64_t top;                /* first line shown */
	uint64_t top_row;            /* folded: rows of that line scrolled off */
	uint64_t hcol;               /* unfolded: columns scrolled sideways */
	int follow;                  /* keep the end in view */
	int64_t mark;                /* a line to highlight (evidence), or -1 */
	int smoke;                   /* shows the target's smoke run, not its build */
	int pinned;                  /* a past build's log (h), kept while the
				      * pane stays on its target */
	WINDOW *win;
};

struct app;

/* A question with lettered answers ("[c]ancel builds and quit ..."). */
struct choice {
	char text[256];
	char keys[8];                /* the letters that answer */
	void (*answer)(struct app *, int key);
};

struct editor;   /* editor.h */
struct picker;   /* picker.h */

struct app {
	char project[PATH_MAX];
	char project_disp[PATH_MAX];  /* with ~ for $HOME */
	struct config cfg;
	struct engine *eng;
	struct toolchain *tc;        /* the doctor, with its probe cache */
	struct repo_status repo;
	struct theme theme;
	char themes_dir[PATH_MAX];

	struct board *board;         /* every target's state (core/board.h) */
	/* The history view (h): the selected target's past builds. */
	struct board_past *past;
	size_t npast, past_sel, past_top;
	char past_triple[TRIPLE_MAX];
	int past_profile;
	struct board_row *rows;      /* the board's rows, as app_reload took them */
	size_t nrows, sel, mtop;
	int profile;                 /* which profile b/B/Enter act on */

	struct pane panes[MAX_PANES];
	size_t npanes, active;       /* active: the pane that has focus */
	int fold;                    /* fold long lines (all panes) */

	enum focus focus;
	enum mode mode;
	unsigned dirty;
	int quit, quit_when_idle;

	char status[512];
	int status_error;

	struct lineedit prompt;      /* "/" search and other one-line prompts */
	char prompt_label[64];
	void (*prompt_done)(struct app *, const char *text);
	char search[256];

	struct choice choice;
	struct {                     /* a fix waiting for its y/n */
		char target[TRIPLE_MAX];
		int key;
		char *value;
	} pending_fix;
	size_t diag_sel;             /* the diagnosis shown */
	int diag_h;                  /* its pane's height, 0 when none */
	struct editor *editor;
	struct picker *picker;
	int help_top;
	size_t trust_top;            /* the trust question's first line */

	WINDOW *w_header, *w_matrix, *w_status, *w_diag;
	int matrix_h;
	struct timespec last_paint;
	/* $CROSSBENCH_TRACE: one line per frame ("frame US", its paint
	 * time) and per key ("key US": from the last moment the terminal
	 * was seen with nothing to read, so at most that long after the key
	 * came, to the end of the frame that shows it). */
	FILE *trace;
	struct timespec input_seen_empty;  /* the last check that found no key */
	struct timespec key_since;         /* the oldest key not yet shown */
	int key_pending;
	struct timespec started;           /* app_run began: "start US" */
	int painted;
};

/* Add s to w at the cursor, at most n bytes of it once made safe: text
 * from a log, a binary or a project's file is shown, never acted on by
 * the terminal (ansi_visible). */
void app_addtext(WINDOW *w, const char *s, int n);

void app_status(struct app *a, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_reload(struct app *a);
/* Take the doctor's reports that are ready; wait for all of them (before
 * using a->tc, which is the doctor's while it runs). */
void app_doctor_take(struct app *a);
void app_doctor_wait(struct app *a);
void app_refresh_rows(struct app *a);
struct board_row *app_selected(struct app *a);
/* Open the history view (h) on the selected target (histview.c). */
void histview_open(struct app *a);
void app_build(struct app *a, const char *triple, int profile);
/* Start a smoke run of the target's last passed build and show its log. */
void app_smoke(struct app *a, const char *triple, int profile);
void app_ask(struct app *a, const char *text, const char *keys,
	     void (*answer)(struct app *, int key));
void app_prompt(struct app *a, const char *label, const char *initial,
		void (*done)(struct app *, const char *text));
/* Back from a program that had the terminal (an editor): redraw all. */
void app_after_shell(struct app *a);

/* Open the workbench on the Cargo project in dir; returns the exit status. */
/* The workbench on dir; trust: the project's settings are trusted for
 * this run (--trust). */
int app_run(const char *dir, int trust);

#endif
