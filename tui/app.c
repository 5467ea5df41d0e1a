/* app.c - the workbench: start-up, the loop, layout, header and status. */
#include "app.h"
#include "pane.h"

#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "colors.h"
#include "diagnose.h"
#include "ansi.h"
#include "board.h"
#include "paths.h"
#include "signals.h"

/* Output may arrive thousands of times a second; the log is repainted at
 * most this often for it (keys always repaint at once). */
#define LOG_FRAME_MS 40

void app_status(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->status, sizeof a->status, fmt, ap);
	va_end(ap);
	a->status_error = error;
	a->dirty |= DIRTY_STATUS;
}

struct board_row *app_selected(struct app *a)
{
	return a->nrows ? &a->rows[a->sel] : NULL;
}

/* The board's rows, as the panes index them. */
static void take_rows(struct app *a)
{
	a->nrows = board_count(a->board);
	a->rows = a->nrows ? board_row(a->board, 0) : NULL;
	if (a->sel >= a->nrows)
		a->sel = a->nrows ? a->nrows - 1 : 0;
}

/* Every cell up to date with the engine and the history. */
void app_refresh_rows(struct app *a)
{
	board_refresh(a->board);
	a->dirty |= DIRTY_MATRIX;
}

void app_doctor_take(struct app *a)
{
	if (board_doctor_take(a->board))
		a->dirty |= DIRTY_MATRIX | DIRTY_LOG;
}

void app_doctor_wait(struct app *a)
{
	board_doctor_wait(a->board);
	a->dirty |= DIRTY_MATRIX | DIRTY_LOG;
}

/* Rows from the settings: every target any layer names.  The doctor runs
 * its probes (rustc, compilers: programs, some slow) on a thread of its
 * own: the matrix is drawn at once and each row's tools fill in as they
 * are checked.  It caches its probes: after the first time a reload costs
 * little more. */
void app_reload(struct app *a)
{
	struct cb_err err;
	char keep[TRIPLE_MAX] = "";

	if (a->nrows)
		snprintf(keep, sizeof keep, "%s", a->rows[a->sel].triple);
	if (config_reload(&a->cfg, &err) < 0)
		app_status(a, 1, "settings: %s", err.msg);
	board_reload(a->board, a->tc);
	take_rows(a);
	a->sel = 0;
	for (size_t i = 0; i < a->nrows; i++)
		if (!strcmp(a->rows[i].triple, keep))
			a->sel = i;
	if (a->cfg.nproblems) {
		const struct config_problem *p = &a->cfg.problems[0];

		app_status(a, 1, "%s:%d: %s%s", p->file, p->line, p->message,
			   a->cfg.nproblems > 1 ? " (and more; see crossbench build)" : "");
	}
	a->dirty |= DIRTY_ALL;
}

/* A job the engine would not start: why, on the status line ("not
 * built", "not run").  Returns whether j is there. */
static int started(struct app *a, const struct job *j, const struct cb_err *err,
		   const char *not_done)
{
	if (j)
		return 1;
	if (err->code == CB_ERR_UNTRUSTED)
		app_status(a, 1, "%s: this project's settings are not allowed "
			   "to run programs yet; press A to review them", not_done);
	else
		app_status(a, 1, "%s", err->msg);
	return 0;
}

void app_build(struct app *a, const char *triple, int profile)
{
	struct cb_err err;
	struct job *j = engine_queue(a->eng, triple, board_profile_name(profile), &err);

	if (!started(a, j, &err, "not built"))
		return;
	app_refresh_rows(a);
	/* Each pane showing this target moves to the new build (logview_sync
	 * re-points every pane to its target's newest log when it draws). */
	a->dirty |= DIRTY_LOG;
	app_status(a, 0, "building %s (%s)", triple, board_profile_name(profile));
}

void app_smoke(struct app *a, const char *triple, int profile)
{
	struct cb_err err;
	struct job *j = engine_smoke(a->eng, triple, board_profile_name(profile), &err);
	struct action ac = { ACTION_OPEN_SMOKE, triple, profile, 0, 0, 0, NULL };

	if (!started(a, j, &err, "not run"))
		return;
	app_refresh_rows(a);
	app_send(a, &ac);
	a->dirty |= DIRTY_LOG | DIRTY_MATRIX;
	{
		struct buf cmd;

		buf_init(&cmd);
		for (size_t i = 0; i < j->argv.n; i++) {
			const char *w = j->argv.v[i];
			const char *base = strrchr(w, '/');

			/* The binary's directory is long and known. */
			buf_printf(&cmd, "%s%s", i ? " " : "",
				   !strcmp(w, j->subject) && base ? base + 1 : w);
		}
		app_status(a, 0, "smoke run of %s (%s): %s", triple,
			   board_profile_name(profile), cmd.data ? cmd.data : "");
		buf_fini(&cmd);
	}
}

void app_ask(struct app *a, const char *text, const char *keys,
	     void (*answer)(struct app *, int key))
{
	snprintf(a->choice.text, sizeof a->choice.text, "%s", text);
	snprintf(a->choice.keys, sizeof a->choice.keys, "%s", keys);
	a->choice.answer = answer;
	a->mode = MODE_CHOICE;
	a->dirty |= DIRTY_STATUS;
}

void app_prompt(struct app *a, const char *label, const char *initial,
		void (*done)(struct app *, const char *text))
{
	snprintf(a->prompt_label, sizeof a->prompt_label, "%s", label);
	lineedit_set(&a->prompt, initial);
	a->prompt_done = done;
	a->mode = MODE_PROMPT;
	a->dirty |= DIRTY_STATUS;
}

/* ---------------------------------------------------------------- engine */

/* A build started or made progress: shown at the next frame, at most
 * every LOG_FRAME_MS, like a growing log.  An end is on_finish's. */
static void on_change(void *ctx, struct job *j)
{
	struct app *a = ctx;

	(void)j;
	a->dirty |= DIRTY_TICK;
}

static void on_finish(void *ctx, struct job *j)
{
	struct app *a = ctx;

	a->dirty |= DIRTY_HEADER;
	app_refresh_rows(a);
	if (j->kind == JOB_SMOKE) {
		struct buf b;

		buf_init(&b);
		job_smoke_summary(j, &b);
		app_status(a, j->state != JOB_PASSED, "smoke run of %s (%s): %s%s",
			   j->triple, j->profile, b.data,
			   j->state == JOB_PASSED ? "" : "; the diagnosis says why");
		buf_fini(&b);
	} else if (j->state == JOB_PASSED)
		app_status(a, 0, "%s (%s) passed in %.1f s", j->triple, j->profile,
			   job_seconds(j));
	else
		app_status(a, j->state == JOB_FAILED, "%s (%s) %s%s%s", j->triple,
			   j->profile, job_state_name(j->state),
			   j->error ? ": " : "", j->error ? j->error : "");
	if (a->quit_when_idle && !engine_queued(a->eng) && !engine_running(a->eng))
		a->quit = 1;
}

static void on_watch(void *ctx, const char *first, size_t n, const char *error)
{
	struct app *a = ctx;

	if (error)
		app_status(a, 1, "%s", error);
	else if (n > 1)
		app_status(a, 0, "%s and %zu more changed: rebuilding", first, n - 1);
	else
		app_status(a, 0, "%s changed: rebuilding", first);
	a->dirty |= DIRTY_HEADER;
}

static void on_text(void *ctx, struct job *j, const char *text, size_t n)
{
	struct app *a = ctx;

	(void)text;
	(void)n;
	for (size_t i = 0; i < a->npanes; i++)
		if (a->panes[i].job == j)
			a->dirty |= DIRTY_LOG;
}

/* ---------------------------------------------------------------- layout */

static void make_windows(struct app *a)
{
	int rows = LINES, cols = COLS, log_h, y;
	int want = matrix_pane.height(a);

	if (a->w_header) delwin(a->w_header);
	if (a->w_matrix) delwin(a->w_matrix);
	if (a->w_status) delwin(a->w_status);
	if (a->w_diag) delwin(a->w_diag);
	a->w_diag = NULL;
	for (size_t i = 0; i < a->npanes; i++)
		if (a->panes[i].win) {
			delwin(a->panes[i].win);
			a->panes[i].win = NULL;
		}
	/* Whatever no window covers (a pane too short to make) is blank, not
	 * what an overlay left there. */
	werase(stdscr);
	wnoutrefresh(stdscr);
	if (rows < 3)
		rows = 3;
	/* The matrix takes what its rows need, up to half the screen; the
	 * logs take the rest; header and status one line each. */
	a->matrix_h = want;
	if (a->matrix_h > (rows - 2) / 2 + 1)
		a->matrix_h = (rows - 2) / 2 + 1;
	if (a->matrix_h < 2)
		a->matrix_h = 2;
	if (a->matrix_h > rows - 2)
		a->matrix_h = rows - 2;
	a->w_header = newwin(1, cols, 0, 0);
	a->w_matrix = newwin(a->matrix_h, cols, 1, 0);
	a->diag_h = diag_pane.height(a);
	if (rows - 2 - a->matrix_h - a->diag_h < 3)
		a->diag_h = 0;   /* too small: the log matters more */
	log_h = rows - 2 - a->matrix_h - a->diag_h;
	if (log_h < 0)
		log_h = 0;
	y = 1 + a->matrix_h;
	for (size_t i = 0; i < a->npanes; i++) {
		int h = log_h / (int)a->npanes + (i < (size_t)(log_h % (int)a->npanes));

		if (h >= 2)
			a->panes[i].win = newwin(h, cols, y, 0);
		y += h;
	}
	if (a->diag_h)
		a->w_diag = newwin(a->diag_h, cols, y, 0);
	if (!a->diag_h && a->focus == FOCUS_DIAG)
		a->focus = FOCUS_MATRIX;
	a->w_status = newwin(1, cols, rows - 1, 0);
	a->dirty = DIRTY_ALL & ~DIRTY_LAYOUT;
}

/* ---------------------------------------------------------------- paint */

static void draw_header(struct app *a)
{
	WINDOW *w = a->w_header;
	char right[128], left[PATH_MAX + 512];

	wbkgdset(w, (chtype)colors_slot(THEME_HEADER));
	werase(w);
	if (a->repo.has_repo)
		snprintf(left, sizeof left, " crossbench  %s  %s @ %s%s%s",
			 a->project_disp,
			 a->repo.detached ? "(detached HEAD)" : a->repo.branch,
			 a->repo.unborn ? "(no commit)" : a->repo.head,
			 a->repo.dirty ? " *" : "",
			 a->repo.worktree ? "  (linked worktree)" : "");
	else
		snprintf(left, sizeof left, " crossbench  %s", a->project_disp);
	snprintf(right, sizeof right, "%sjobs %zu/%d  %s  theme %s ",
		 engine_watching(a->eng) ? "watching  " : "",
		 engine_running(a->eng), engine_slots(a->eng),
		 board_profile_name(a->profile), a->theme.name);
	/* The path and branch are the user's bytes: shown as text. */
	wmove(w, 0, 0);
	app_addtext(w, left, COLS);
	if ((int)(strlen(left) + strlen(right)) < COLS)
		mvwaddstr(w, 0, COLS - (int)strlen(right), right);
	wnoutrefresh(w);
}

static void hint(struct app *a, struct buf *b)
{
	static const enum key_action matrix[] = {
		ACT_TOGGLE, ACT_BUILD, ACT_BUILD_ALL, ACT_EDIT, ACT_ADD,
		ACT_OPEN_LOG, ACT_PROFILE, ACT_HELP, ACT_QUIT,
	};
	static const enum key_action log[] = {
		ACT_SEARCH, ACT_FOLD, ACT_LAST, ACT_SPLIT, ACT_BACK, ACT_HELP, ACT_QUIT,
	};
	const enum key_action *list = a->focus == FOCUS_MATRIX ? matrix : log;
	size_t n = a->focus == FOCUS_MATRIX ? sizeof matrix / sizeof *matrix
					     : sizeof log / sizeof *log;
	enum key_context ctx = a->focus == FOCUS_MATRIX ? KC_MATRIX : KC_LOG;

	for (size_t i = 0; i < n; i++) {
		size_t before = b->len;
		size_t k;
		const struct key_binding *t = keys_table(&k);

		for (size_t x = 0; x < k; x++)
			if ((t[x].ctx == ctx || t[x].ctx == KC_GLOBAL) &&
			    t[x].action == list[i]) {
				buf_printf(b, " %s %s ", t[x].name, keys_action_hint(list[i]));
				break;
			}
		(void)before;
	}
}

void app_addtext(WINDOW *w, const char *s, int n)
{
	struct buf b;

	if (n <= 0)
		return;
	buf_init(&b);
	ansi_visible(s ? s : "", s ? strlen(s) : 0, &b);
	waddnstr(w, b.data ? b.data : "", n);
	buf_fini(&b);
}

static void draw_status(struct app *a)
{
	WINDOW *w = a->w_status;

	wbkgdset(w, (chtype)colors_slot(THEME_STATUS));
	werase(w);
	if (a->mode == MODE_PROMPT) {
		mvwaddstr(w, 0, 0, a->prompt_label);
		lineedit_draw(&a->prompt, w, 0, (int)strlen(a->prompt_label),
			      COLS - (int)strlen(a->prompt_label) - 1,
			      colors_slot(THEME_INPUT), 1);
	} else if (a->mode == MODE_CHOICE) {
		wattrset(w, (int)colors_slot(THEME_KEY));
		mvwaddnstr(w, 0, 1, a->choice.text, COLS - 2);
	} else if (a->mode == MODE_TRUST) {
		wattrset(w, (int)colors_slot(THEME_KEY));
		mvwaddnstr(w, 0, 1, "a allow  v look only  j/k scroll", COLS - 2);
	} else if (a->status[0]) {
		if (a->status_error)
			wattrset(w, (int)colors_slot(THEME_ERROR));
		wmove(w, 0, 1);
		app_addtext(w, a->status, COLS - 2);
	} else {
		struct buf b;

		buf_init(&b);
		hint(a, &b);
		wattrset(w, (int)colors_slot(THEME_STATUS));
		mvwaddnstr(w, 0, 0, b.data ? b.data : "", COLS);
		buf_fini(&b);
	}
	wnoutrefresh(w);
}

static void paint(struct app *a)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* The diagnosis pane comes and goes with the selected target's state. */
	if (a->dirty & (DIRTY_MATRIX | DIRTY_LOG | DIRTY_TICK)) {
		int want = diag_pane.height(a);

		if (want != a->diag_h && !(LINES - 2 - a->matrix_h - want < 3 && !a->diag_h))
			a->dirty |= DIRTY_LAYOUT;
	}
	if (a->dirty & DIRTY_LAYOUT)
		make_windows(a);
	if (a->dirty & (DIRTY_HEADER | DIRTY_TICK))
		draw_header(a);
	if (a->dirty & (DIRTY_MATRIX | DIRTY_TICK))
		matrix_pane.draw(a);
	if (a->dirty & (DIRTY_LOG | DIRTY_MATRIX | DIRTY_TICK)) {
		log_pane.draw(a);
		diag_pane.draw(a);
	}
	/* The status line, then the overlay: the window refreshed last
	 * holds the terminal's cursor, which must be in the text being
	 * edited (the prompt's, a form field's, the picker's filter). */
	if ((a->dirty & (DIRTY_STATUS | DIRTY_OVERLAY)) || a->mode == MODE_PROMPT)
		draw_status(a);
	if (a->mode == MODE_HELP)
		help_pane.draw(a);
	else if (a->mode == MODE_HISTORY)
		history_pane.draw(a);
	else if (a->mode == MODE_EDITOR)
		editor_pane.draw(a);
	else if (a->mode == MODE_PICKER)
		picker_pane.draw(a);
	else if (a->mode == MODE_TRUST)
		trust_pane.draw(a);
	curs_set(a->mode == MODE_PROMPT || a->mode == MODE_EDITOR ||
		 a->mode == MODE_PICKER ? 1 : 0);
	doupdate();
	a->dirty = 0;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	a->last_paint = t1;
	if (a->trace && !a->painted)
		fprintf(a->trace, "start %ld\n",
			(t1.tv_sec - a->started.tv_sec) * 1000000L +
			(t1.tv_nsec - a->started.tv_nsec) / 1000L);
	a->painted = 1;
	if (a->trace) {
		fprintf(a->trace, "frame %ld\n", (t1.tv_sec - t0.tv_sec) * 1000000L +
			(t1.tv_nsec - t0.tv_nsec) / 1000L);
		if (a->key_pending)
			fprintf(a->trace, "key %ld\n",
				(t1.tv_sec - a->key_since.tv_sec) * 1000000L +
				(t1.tv_nsec - a->key_since.tv_nsec) / 1000L);
		a->key_pending = 0;
	}
}

/* ---------------------------------------------------------------- keys */

static void quit_answer(struct app *a, int key)
{
	a->mode = MODE_NORMAL;
	if (key == 'c') {
		engine_cancel_all(a->eng);
		a->quit_when_idle = 1;
		app_status(a, 0, "cancelling the builds, then quitting");
	} else if (key == 'w') {
		a->quit_when_idle = 1;
		app_status(a, 0, "quitting when the builds finish (q again to ask again)");
	} else {
		app_status(a, 0, "%s", "");
	}
}

static void request_quit(struct app *a)
{
	size_t busy = engine_running(a->eng) + engine_queued(a->eng);

	if (!busy) {
		a->quit = 1;
		return;
	}
	app_ask(a, "builds are running: [c] cancel them and quit (or ^C again), "
		   "[w] quit when they finish, [n] stay", "cwn", quit_answer);
}

static void next_theme(struct app *a, int step)
{
	struct strv names;
	struct cb_err err;
	struct buf problems;
	size_t i;

	strv_init(&names);
	theme_list(a->themes_dir, &names);
	if (!names.n) {
		app_status(a, 1, "no themes in %s", a->themes_dir);
		strv_fini(&names);
		return;
	}
	for (i = 0; i < names.n; i++)
		if (!strcmp(names.v[i], a->theme.name))
			break;
	i = i == names.n ? 0 : (i + names.n + (size_t)step) % names.n;
	buf_init(&problems);
	if (theme_load(&a->theme, a->themes_dir, names.v[i], &problems, &err) < 0) {
		app_status(a, 1, "%s", err.msg);
	} else {
		colors_apply(&a->theme);
		if (config_set_global(&a->cfg, CONFIG_LEVEL_USER, "theme",
				      a->theme.name, &err) < 0)
			app_status(a, 1, "theme %s (not saved: %s)", a->theme.name, err.msg);
		else if (problems.len)
			app_status(a, 1, "%.*s", (int)strcspn(problems.data, "\n"), problems.data);
		else
			app_status(a, 0, "theme %s", a->theme.name);
	}
	buf_fini(&problems);
	strv_fini(&names);
	a->dirty |= DIRTY_ALL & ~DIRTY_LAYOUT;
	clearok(curscr, TRUE);
}

static enum key_context focus_context(const struct app *a)
{
	switch (a->focus) {
	case FOCUS_LOG: return KC_LOG;
	case FOCUS_DIAG: return KC_DIAG;
	default: return KC_MATRIX;
	}
}

static void cycle_focus(struct app *a, int step)
{
	/* matrix, each log pane in turn, the diagnosis */
	size_t stops = 1 + a->npanes + (a->diag_h ? 1 : 0), cur;

	cur = a->focus == FOCUS_MATRIX ? 0 : a->focus == FOCUS_DIAG
		? 1 + a->npanes : 1 + a->active;
	cur = (cur + stops + (size_t)step) % stops;
	if (cur == 0) {
		a->focus = FOCUS_MATRIX;
	} else if (cur == 1 + a->npanes) {
		a->focus = FOCUS_DIAG;
	} else {
		a->focus = FOCUS_LOG;
		a->active = cur - 1;
	}
	a->dirty |= DIRTY_MATRIX | DIRTY_LOG | DIRTY_STATUS;
}

static int global_key(struct app *a, enum key_action act)
{
	switch (act) {
	case ACT_QUIT: request_quit(a); return 1;
	case ACT_HELP: a->mode = MODE_HELP; a->help_top = 0; a->dirty |= DIRTY_OVERLAY; return 1;
	case ACT_THEME: next_theme(a, 1); return 1;
	case ACT_ALLOW:
		if (config_trusted(&a->cfg)) {
			app_status(a, 0, a->cfg.trust == TRUST_NOT_NEEDED
				   ? "this project ships no settings of its own: nothing to allow"
				   : "this project's settings are allowed ('crossbench deny' takes it back)");
		} else {
			a->trust_top = 0;
			a->mode = MODE_TRUST;
			a->dirty |= DIRTY_OVERLAY;
		}
		return 1;
	case ACT_FOCUS_NEXT: cycle_focus(a, 1); return 1;
	case ACT_FOCUS_PREV: cycle_focus(a, -1); return 1;
	case ACT_REDRAW: clearok(curscr, TRUE); a->dirty |= DIRTY_ALL; return 1;
	case ACT_BUILD_ALL: {
		size_t n = 0;

		for (size_t i = 0; i < a->nrows; i++)
			if (a->rows[i].enabled) {
				app_build(a, a->rows[i].triple, a->profile);
				n++;
			}
		if (!n)
			app_status(a, 1, "no target is enabled: space enables the selected one");
		else
			app_status(a, 0, "building %zu target%s (%s)", n, n == 1 ? "" : "s",
				   board_profile_name(a->profile));
		return 1;
	}
	case ACT_WATCH: {
		struct cb_err err;

		if (engine_watching(a->eng)) {
			engine_watch_stop(a->eng);
			app_status(a, 0, "watch mode off");
		} else if (!config_trusted(&a->cfg)) {
			app_status(a, 1, "this project's settings are not allowed yet: A reviews them");
		} else if (engine_watch_start(a->eng, NULL, board_profile_name(a->profile), &err) < 0) {
			app_status(a, 1, "%s", err.msg);
		} else {
			size_t nd = engine_watch_dirs(a->eng);

			app_status(a, 0, "watching %zu director%s: a save rebuilds the "
				   "enabled targets (w stops)", nd, nd == 1 ? "y" : "ies");
		}
		a->dirty |= DIRTY_HEADER;
		return 1;
	}
	case ACT_CANCEL_ALL:
		engine_cancel_all(a->eng);
		app_status(a, 0, "cancelling every build");
		return 1;
	case ACT_PROFILE:
		a->profile = !a->profile;
		app_status(a, 0, "b and B now build %s", board_profile_name(a->profile));
		a->dirty |= DIRTY_HEADER | DIRTY_MATRIX;
		return 1;
	case ACT_SPLIT: {
		struct board_row *r = app_selected(a);

		if (!r)
			return 1;
		/* s on a target shown twice closes its pane, else opens one. */
		{
			struct action ac = { ACTION_CLOSE_LOG, r->triple, a->profile, 1, 0, 0, NULL };

			if (!app_send(a, &ac)) {
				ac.kind = ACTION_OPEN_LOG;
				app_send(a, &ac);
			}
		}
		return 1;
	}
	default:
		return 0;
	}
}

/* The panes, in the order they are asked to carry out an action. */
static const struct pane_ops *const panes[] = {
	&matrix_pane, &log_pane, &diag_pane, &editor_pane, &picker_pane, &help_pane,
};

int app_send(struct app *a, const struct action *ac)
{
	for (size_t i = 0; i < sizeof panes / sizeof *panes; i++)
		if (panes[i]->act && panes[i]->act(a, ac))
			return 1;
	return 0;
}

/* The pane whose keys come first. */
static const struct pane_ops *focused(struct app *a)
{
	if (a->focus == FOCUS_LOG && a->npanes)
		return &log_pane;
	return a->focus == FOCUS_DIAG ? &diag_pane : &matrix_pane;
}

static void handle_key(struct app *a, int is_key, wint_t wch)
{
	int code = (int)wch;
	enum key_action act;

	if (is_key && code == KEY_RESIZE) {
		/* curses saw the new size too (resizeterm queues this): its
		 * stdscr is blank and would be refreshed over everything by the
		 * next read.  Not a key the user pressed: the message stays. */
		a->dirty |= DIRTY_ALL;
		return;
	}
	if (a->status[0] && a->mode == MODE_NORMAL) {
		a->status[0] = '\0';
		a->dirty |= DIRTY_STATUS;
	}
	if (is_key && code == KEY_MOUSE) {
		MEVENT me;

		if (getmouse(&me) == OK && a->mode == MODE_NORMAL &&
		    (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED))) {
			struct action ac = { ACTION_CLICK, NULL, 0, 0, me.y - 1, 0, NULL };

			app_send(a, &ac);
		}
		return;
	}
	switch (a->mode) {
	case MODE_HELP:
		help_pane.key(a, ACT_NONE, is_key, wch);
		return;
	case MODE_HISTORY:
		history_pane.key(a, ACT_NONE, is_key, wch);
		return;
	case MODE_EDITOR:
		editor_pane.key(a, ACT_NONE, is_key, wch);
		return;
	case MODE_PICKER:
		picker_pane.key(a, ACT_NONE, is_key, wch);
		return;
	case MODE_TRUST:
		trust_pane.key(a, ACT_NONE, is_key, wch);
		return;
	case MODE_CHOICE:
		if (!is_key && code > 0 && code < 128 && strchr(a->choice.keys, code))
			a->choice.answer(a, code);
		else if (!is_key && code == 27)
			a->choice.answer(a, 27);
		a->dirty |= DIRTY_STATUS;
		return;
	case MODE_PROMPT:
		act = keys_lookup(KC_PROMPT, is_key, code);
		if (act == ACT_ACCEPT || (!is_key && code == '\r')) {
			char *text = xstrdup(a->prompt.text.data);

			a->mode = MODE_NORMAL;
			a->prompt_done(a, text);
			free(text);
		} else if (act == ACT_BACK && !is_key) {
			a->mode = MODE_NORMAL;
		} else {
			lineedit_key(&a->prompt, is_key, wch);
		}
		a->dirty |= DIRTY_STATUS;
		return;
	case MODE_NORMAL:
		break;
	}
	if (!is_key && code == '\r')
		code = '\n';
	act = keys_lookup(focus_context(a), is_key, code);
	if (act == ACT_NONE)
		return;
	if (focused(a)->key(a, act, is_key, wch))
		return;
	global_key(a, act);
}

/* ---------------------------------------------------------------- loop */

static void resize(struct app *a);

void app_after_shell(struct app *a)
{
	/* Signals that came while the program ran were for it; the size may
	 * have changed, and the whole screen is to be drawn again. */
	signals_take();
	resize(a);
}

static void resize(struct app *a)
{
	struct winsize ws;

	if (ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
		resizeterm(ws.ws_row, ws.ws_col);
	/* resizeterm marks stdscr changed; refresh it now (it is blank) so
	 * the next key read does not paint it over the windows. */
	wnoutrefresh(stdscr);
	clearok(curscr, TRUE);
	a->dirty |= DIRTY_ALL;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000L + (now.tv_nsec - t->tv_nsec) / 1000000L;
}

static void loop(struct app *a)
{
	while (!a->quit) {
		struct pollfd in[2] = { { 0, POLLIN, 0 },
					{ board_doctor_fd(a->board), POLLIN, 0 } };
		unsigned sigs;
		int timeout = -1;

		/* Keys and state changes paint at once; a log that only grew
		 * waits for the next frame. */
		if (a->dirty & ~(DIRTY_LOG | DIRTY_TICK))
			paint(a);
		else if (a->dirty & (DIRTY_LOG | DIRTY_TICK)) {
			long since = ms_since(&a->last_paint);

			if (since >= LOG_FRAME_MS)
				paint(a);
			else
				timeout = (int)(LOG_FRAME_MS - since);
		}
		/* Running builds show their elapsed time: one tick a second. */
		if (engine_running(a->eng) && (timeout < 0 || timeout > 1000))
			timeout = 1000;
		sigs = engine_poll(a->eng, in, 2, timeout);
		if (in[1].revents & POLLIN)
			app_doctor_take(a);
		if (a->trace) {
			struct timespec called, returned;
			long waited;

			engine_poll_times(a->eng, &called, &returned);
			waited = (returned.tv_sec - called.tv_sec) * 1000000L +
				 (returned.tv_nsec - called.tv_nsec) / 1000L;
			if (!(in[0].revents & (POLLIN | POLLHUP | POLLERR)))
				a->input_seen_empty = returned;
			else if (waited > 1000) {
				/* poll slept until something was ready: the key
				 * came as it woke (a millisecond's margin). */
				a->input_seen_empty = returned;
				a->input_seen_empty.tv_nsec -= 1000000L;
				if (a->input_seen_empty.tv_nsec < 0) {
					a->input_seen_empty.tv_nsec += 1000000000L;
					a->input_seen_empty.tv_sec--;
				}
			}
		}
		/* Elapsed times and progress bars move: at frame pace. */
		if (engine_running(a->eng))
			a->dirty |= DIRTY_TICK;
		if (sigs & (1u << SIGWINCH))
			resize(a);
		if (sigs & ((1u << SIGTERM) | (1u << SIGHUP))) {
			engine_cancel_all(a->eng);
			a->quit_when_idle = 1;
		}
		/* ^C asks, as q does, while builds run; a second ^C while
		 * it asks is the answer: cancel them and quit. */
		if ((sigs & (1u << SIGINT)) && a->mode == MODE_CHOICE &&
		    a->choice.answer == quit_answer)
			quit_answer(a, 'c');
		else if (sigs & (1u << SIGINT))
			request_quit(a);
		if (in[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			wint_t wch;
			int r, n = 0;

			if (a->trace && !a->key_pending) {
				/* The key came after the last empty check. */
				a->key_since = a->input_seen_empty;
				a->key_pending = 1;
			}
			while (n < 256 && (r = get_wch(&wch)) != ERR) {
				n++;
				handle_key(a, r == KEY_CODE_YES, wch);
			}
			/* get_wch found nothing more: a check too. */
			if (a->trace)
				clock_gettime(CLOCK_MONOTONIC, &a->input_seen_empty);
			/* A key that changed nothing still gets its frame. */
			if (a->key_pending && !a->dirty)
				a->dirty |= DIRTY_STATUS;
			if (in[0].revents & (POLLHUP | POLLERR) && r == ERR && !n) {
				/* The terminal went away: stop everything. */
				engine_cancel_all(a->eng);
				a->quit_when_idle = 1;
			}
		}
		if (a->quit_when_idle && !engine_running(a->eng) && !engine_queued(a->eng))
			a->quit = 1;
	}
}

/* Out of memory: the terminal back as it was, before the abort. */
static void restore_terminal(void)
{
	if (!isendwin())
		endwin();
}

static void tilde(const char *path, char *out, size_t n)
{
	const char *home = getenv("HOME");
	size_t hl = home ? strlen(home) : 0;

	if (hl > 1 && !strncmp(path, home, hl) && (path[hl] == '/' || !path[hl]))
		snprintf(out, n, "~%s", path + hl);
	else
		snprintf(out, n, "%s", path);
}

int app_run(const char *dir, int trust)
{
	struct app *a = xcalloc(1, sizeof *a);
	struct engine_options eo = { 0 };
	struct cb_err err;
	char manifest[PATH_MAX + 16];
	struct buf problems;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &a->started);
	if (!realpath(dir ? dir : ".", a->project)) {
		fprintf(stderr, "crossbench: %s: %s\n", dir ? dir : ".", strerror(errno));
		free(a);
		return 2;
	}
	snprintf(manifest, sizeof manifest, "%s/Cargo.toml", a->project);
	if (access(manifest, R_OK) < 0 && config_detect_kind(a->project) != KIND_GO) {
		fprintf(stderr, "crossbench: %s has no Cargo.toml or go.mod: not a Cargo "
			"or Go project (crossbench -C DIR opens another)\n", a->project);
		free(a);
		return 2;
	}
	if (!isatty(0) || !isatty(1)) {
		fprintf(stderr, "crossbench: the workbench needs a terminal; "
			"crossbench build works without one\n");
		free(a);
		return 2;
	}
	tilde(a->project, a->project_disp, sizeof a->project_disp);
	if (config_load(&a->cfg, a->project, NULL, NULL, &err) < 0) {
		fprintf(stderr, "crossbench: %s\n", err.msg);
		free(a);
		return 2;
	}
	if (trust)
		config_trust_session(&a->cfg);
	eo.slots = a->cfg.global.jobs;
	if (a->cfg.global.strategy && engine_strategy_parse(a->cfg.global.strategy) >= 0)
		eo.strategy = (enum engine_strategy)engine_strategy_parse(a->cfg.global.strategy);
	a->eng = engine_new(a->project, &a->cfg, &eo, &err);
	if (!a->eng) {
		fprintf(stderr, "crossbench: %s\n", err.msg);
		config_fini(&a->cfg);
		free(a);
		return 2;
	}
	a->tc = toolchain_new(engine_host(a->eng), &err);
	{
		static const struct engine_observer obs = { on_change, on_finish, on_text, on_watch };

		a->board = board_new(a->eng, &a->cfg);
		board_set_observer(a->board, &obs, a);
	}
	signals_watch(SIGWINCH, NULL);
	signals_watch(SIGTERM, NULL);
	signals_watch(SIGHUP, NULL);
	signals_watch(SIGINT, NULL);
	if (repo_status(a->project, &a->repo, &err) < 0)
		a->repo.has_repo = 0;
	lineedit_init(&a->prompt);

	paths_data_dir(PATHS_THEMES, a->themes_dir, sizeof a->themes_dir);
	theme_builtin(&a->theme);
	buf_init(&problems);
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		theme_load(&a->theme, a->themes_dir, "mono", &problems, &err);
	else if (a->cfg.global.theme &&
		 theme_load(&a->theme, a->themes_dir, a->cfg.global.theme, &problems, &err) < 0)
		buf_printf(&problems, "theme %s: %s\n", a->cfg.global.theme, err.msg);

	initscr();
	cb_set_oom_hook(restore_terminal);
	cbreak();
	noecho();
	nonl();
	/* ^S saves in the editor: the terminal must not take it as XOFF.
	 * (cbreak, not raw: ^C and ^Z keep working as signals.) */
	{
		struct termios t;

		if (tcgetattr(0, &t) == 0) {
			t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
			tcsetattr(0, TCSANOW, &t);
			def_prog_mode();
		}
	}
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	mouseinterval(0);
	colors_init();
	colors_apply(&a->theme);
	if (!colors_enabled() && strcmp(a->theme.name, "mono"))
		theme_load(&a->theme, a->themes_dir, "mono", NULL, &err),
		colors_apply(&a->theme);
	refresh();

	a->fold = 1;
	if (getenv("CROSSBENCH_TRACE") && *getenv("CROSSBENCH_TRACE")) {
		a->trace = fopen(getenv("CROSSBENCH_TRACE"), "a");
		if (a->trace)
			setvbuf(a->trace, NULL, _IOLBF, 0);
		clock_gettime(CLOCK_MONOTONIC, &a->input_seen_empty);
	}
	app_reload(a);
	if (problems.len)
		app_status(a, 1, "%.*s", (int)strcspn(problems.data, "\n"), problems.data);
	buf_fini(&problems);
	if (a->nrows) {
		struct action ac = { ACTION_OPEN_LOG, a->rows[a->sel].triple, a->profile, 1, 0, 0, NULL };

		app_send(a, &ac);
	}
	else
		app_status(a, 0, "no targets yet: press a to add one");
	/* First the question: nothing the project names has run yet. */
	if (!config_trusted(&a->cfg))
		a->mode = MODE_TRUST;
	a->dirty = DIRTY_ALL;
	loop(a);

	endwin();
	cb_set_oom_hook(NULL);
	free(a->past);
	board_free(a->board);
	engine_free(a->eng);
	toolchain_free(a->tc);
	for (size_t i = 0; i < sizeof panes / sizeof *panes; i++)
		if (panes[i]->close)
			panes[i]->close(a);
	lineedit_fini(&a->prompt);
	if (a->trace)
		fclose(a->trace);
	config_fini(&a->cfg);
	free(a->pending_fix.value);
	free(a);
	return rc;
}
