/* matrix.c - the target matrix: one row per target, its build states. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "pane.h"
#include "artifact.h"
#include "colors.h"
#include "diagnose.h"

/* Columns, in the order drawn.  When the screen is narrow the optional
 * ones go first, lowest priority first. */
enum col { COL_MARK, COL_TRIPLE, COL_TOOLS, COL_DEBUG, COL_RELEASE, COL_ART, COL_DIAG, NCOLS };

struct col_spec {
	const char *title;
	int want, min, priority;   /* priority 0: never dropped */
};

static const struct col_spec cols[NCOLS] = {
	[COL_MARK] = { "", 5, 5, 0 },
	/* At 120 columns everything fits: 5+26+10+14+14+29+22. */
	[COL_TRIPLE] = { "target", 30, 14, 0 },
	[COL_TOOLS] = { "tools", 10, 7, 2 },
	[COL_DEBUG] = { "dev", 14, 10, 0 },
	[COL_RELEASE] = { "release", 14, 10, 4 },
	[COL_ART] = { "artifact", 29, 14, 3 },
	[COL_DIAG] = { "diagnosis", 22, 12, 1 },
};

static void layout(int width, int w[NCOLS], size_t longest)
{
	int total = 0;

	for (int c = 0; c < NCOLS; c++)
		w[c] = cols[c].want;
	w[COL_TRIPLE] = (int)longest + 1 > cols[COL_TRIPLE].min
		? (int)longest + 1 : cols[COL_TRIPLE].min;
	for (int c = 0; c < NCOLS; c++)
		total += w[c];
	/* Drop optional columns, lowest priority (highest number) first. */
	for (int pr = 9; pr > 0 && total > width; pr--)
		for (int c = NCOLS - 1; c >= 0 && total > width; c--)
			if (cols[c].priority == pr) {
				total -= w[c];
				w[c] = 0;
			}
	/* Then shrink what is left down to its minimum, the states before
	 * the names: a cut triple is ambiguous, a cut state is not. */
	for (int c = NCOLS - 1; c >= COL_TRIPLE && total > width; c--) {
		int give = w[c] - cols[c].min;

		if (w[c] == 0 || give <= 0)
			continue;
		if (give > total - width)
			give = total - width;
		w[c] -= give;
		total -= give;
	}
	/* The last column takes what is left. */
	for (int c = NCOLS - 1; c >= 0; c--)
		if (w[c]) {
			if (total < width)
				w[c] += width - total;
			break;
		}
}

static enum theme_slot state_slot(enum job_state st)
{
	switch (st) {
	case JOB_PASSED: return THEME_PASSED;
	case JOB_FAILED: case JOB_UNREACHABLE: return THEME_FAILED;
	case JOB_RUNNING: return THEME_RUNNING;
	case JOB_QUEUED: return THEME_QUEUED;
	case JOB_TIMEOUT: case JOB_CANCELLED: return THEME_CANCELLED;
	case JOB_SKIPPED: case JOB_NSTATES: break;
	}
	return THEME_DIM;
}

/* A progress bar from cargo's finished units against the last build's. */
static void progress(WINDOW *w, const struct job *j, int width)
{
	int cells = width >= 16 ? 6 : 3, filled;
	char count[32];
	int utf8 = MB_CUR_MAX > 1;

	if (!j->units_expected) {
		snprintf(count, sizeof count, "run %.0fs %uu", job_seconds(j), j->units);
		wattrset(w, (int)colors_slot(THEME_RUNNING));
		waddnstr(w, count, width - 1);
		return;
	}
	filled = (int)((long)cells * j->units / j->units_expected);
	if (filled > cells)
		filled = cells;
	wattrset(w, (int)colors_slot(THEME_PROGRESS));
	for (int i = 0; i < filled; i++)
		waddstr(w, utf8 ? "\u25b0" : "#");
	wattrset(w, (int)colors_slot(THEME_DIM));
	for (int i = filled; i < cells; i++)
		waddstr(w, utf8 ? "\u25b1" : "-");
	snprintf(count, sizeof count, " %u/%u", j->units, j->units_expected);
	wattrset(w, (int)colors_slot(THEME_RUNNING));
	waddnstr(w, count, width - cells - 1);
}

static void state_cell(WINDOW *w, const struct board_row *r, int p, int width)
{
	const struct board_cell *c = &r->cell[p];
	char text[64];
	double secs;

	if (width <= 1)
		return;
	if (c->job && c->state == JOB_RUNNING) {
		progress(w, c->job, width);
		return;
	}
	if (!c->known) {
		wattrset(w, (int)colors_slot(THEME_DIM));
		waddstr(w, MB_CUR_MAX > 1 ? "\u00b7" : "-");
		return;
	}
	secs = c->job ? job_seconds(c->job) : c->hist->seconds;
	if (c->state == JOB_QUEUED || c->state == JOB_CANCELLED || secs <= 0)
		snprintf(text, sizeof text, "%s", job_state_name(c->state));
	else
		snprintf(text, sizeof text, "%s %.1fs", job_state_name(c->state), secs);
	wattrset(w, (int)colors_slot(state_slot(c->state)));
	waddnstr(w, text, width - 1);
}

/* The artifact of the selected profile's last build: what it is and
 * whether it fits the target ("ELF aarch64 pie ok"), or the problem; the
 * board's verdict, for this session's builds and earlier ones alike. */
static void artifact_cell(struct app *a, WINDOW *w, const struct board_row *r, int width)
{
	const struct board_cell *c = &r->cell[a->profile];
	const char *problem = board_art_problem(c);
	struct buf b;

	if (width <= 1 || c->verdict == BOARD_ART_NONE)
		return;
	buf_init(&b);
	switch (c->verdict) {
	case BOARD_ART_MISMATCH:
	case BOARD_ART_MALFORMED:
		buf_puts(&b, problem ? problem : "wrong target");
		wattrset(w, (int)colors_slot(THEME_FAILED));
		break;
	case BOARD_ART_GONE:
		buf_puts(&b, "artifact gone");
		wattrset(w, (int)colors_slot(THEME_DIM));
		break;
	default:
		artifact_summary(c->art, &b);
		buf_puts(&b, c->art->matches == ARTIFACT_YES ? " ok" : "");
		wattrset(w, (int)colors_slot(c->verdict == BOARD_ART_WARNING ? THEME_WARN : THEME_PASSED));
		break;
	}
	app_addtext(w, b.data, width - 1);
	buf_fini(&b);
}

/* A passed build's smoke run (x), where its diagnosis would be: "smoke:
 * ran", "smoke: running", or how it ended when no rule said why. */
static void smoke_cell(WINDOW *w, const struct board_cell *c, int width)
{
	struct buf b;

	if (!c->smoke)
		return;
	buf_init(&b);
	buf_puts(&b, "smoke: ");
	if (c->smoke->state == JOB_PASSED)
		buf_puts(&b, "ran");
	else
		job_smoke_summary(c->smoke, &b);
	wattrset(w, (int)colors_slot(state_slot(c->smoke->state)));
	app_addtext(w, b.data, width);
	buf_fini(&b);
}

static void matrix_draw(struct app *a)
{
	WINDOW *w = a->w_matrix;
	int width[NCOLS], x, rows = a->matrix_h - 1;
	size_t longest = 0;

	struct board_group *grp;
	size_t ngrp = board_groups(a->board, a->profile, &grp);

	wbkgdset(w, (chtype)colors_slot(THEME_NORMAL));
	werase(w);
	for (size_t i = 0; i < a->nrows; i++) {
		size_t l = strlen(a->rows[i].triple) +
			   (a->rows[i].host[0] ? strlen(a->rows[i].host) + 2 : 0);

		if (l > longest)
			longest = l;
	}
	layout(COLS, width, longest);
	/* No column past the right edge: text there would wrap onto the
	 * next row (a 20-column terminal). */
	x = 0;
	for (int c = 0; c < NCOLS; c++) {
		if (x + width[c] > COLS)
			width[c] = COLS - x > 1 ? COLS - x : 0;
		x += width[c];
	}

	x = 0;
	wattrset(w, (int)colors_slot(THEME_TITLE));
	for (int c = 0; c < NCOLS; c++) {
		if (!width[c])
			continue;
		mvwaddnstr(w, 0, x, cols[c].title, width[c] - 1);
		x += width[c];
	}
	if (!a->nrows) {
		wattrset(w, (int)colors_slot(THEME_DIM));
		mvwaddnstr(w, 1, 1, "no targets: press a to add one from rustc's list", COLS - 2);
		wnoutrefresh(w);
		return;
	}
	if (a->sel < a->mtop)
		a->mtop = a->sel;
	if (rows > 0 && a->sel >= a->mtop + (size_t)rows)
		a->mtop = a->sel - (size_t)rows + 1;
	/* Grown back (a resize): no rows hidden above while there is room. */
	if (rows > 0 && a->mtop + (size_t)rows > a->nrows)
		a->mtop = a->nrows > (size_t)rows ? a->nrows - (size_t)rows : 0;
	for (int y = 0; y < rows && a->mtop + (size_t)y < a->nrows; y++) {
		size_t i = a->mtop + (size_t)y;
		const struct board_row *r = &a->rows[i];
		int selected = i == a->sel;
		unsigned long base = selected && a->focus == FOCUS_MATRIX
			? colors_slot(THEME_SELECTED) : colors_slot(THEME_NORMAL);

		wattrset(w, (int)base);
		wmove(w, y + 1, 0);
		for (int k = 0; k < COLS; k++)
			waddch(w, ' ');
		x = 0;
		for (int c = 0; c < NCOLS; c++) {
			if (!width[c])
				continue;
			/* Past the right edge on a very narrow screen: nothing. */
			if (x >= COLS || wmove(w, y + 1, x) == ERR)
				break;
			wattrset(w, (int)base);
			switch (c) {
			case COL_MARK:
				waddstr(w, selected ? (MB_CUR_MAX > 1 ? "\u25b8" : ">") : " ");
				waddstr(w, r->enabled ? "[x]" : "[ ]");
				break;
			case COL_TRIPLE:
				if (!r->enabled)
					wattrset(w, (int)colors_slot(THEME_DIM));
				waddnstr(w, r->triple, width[c] - 1);
				/* Built elsewhere: where. */
				if (r->host[0] && (int)strlen(r->triple) + 2 < width[c] - 1) {
					wattrset(w, (int)colors_slot(THEME_DIM));
					waddstr(w, " @");
					waddnstr(w, r->host, width[c] - 3 - (int)strlen(r->triple));
				}
				break;
			case COL_TOOLS:
				if (r->not_allowed) {
					wattrset(w, (int)colors_slot(THEME_WARN));
					waddnstr(w, "allow? A", width[c] - 1);
				} else if (r->checking) {
					wattrset(w, (int)colors_slot(THEME_DIM));
					waddnstr(w, "checking", width[c] - 1);
				} else if (r->checked) {
					struct buf b;

					buf_init(&b);
					toolchain_summary(&r->ready, &b);
					wattrset(w, (int)colors_slot(r->ready.ready ? THEME_PASSED : THEME_WARN));
					waddnstr(w, b.data ? b.data : "", width[c] - 1);
					buf_fini(&b);
				}
				break;
			case COL_DEBUG:
				state_cell(w, r, 0, width[c]);
				break;
			case COL_RELEASE:
				state_cell(w, r, 1, width[c]);
				break;
			case COL_ART:
				artifact_cell(a, w, r, width[c]);
				break;
			case COL_DIAG: {
				/* The selected profile's root cause, else the other's. */
				const struct diagnose *d = board_diagnosis(r, a->profile);
				int other = 0;

				if (!d || !diagnose_count(d)) {
					d = board_diagnosis(r, !a->profile);
					other = 1;
				}
				if (d && diagnose_count(d)) {
					size_t g = 0;

					/* One cause in several targets: its group's number. */
					for (size_t k = 0; k < ngrp && !g && !other; k++)
						for (size_t m = 0; m < grp[k].n; m++)
							if (grp[k].rows[m] == i)
								g = k + 1;
					if (g) {
						char tag[32];

						snprintf(tag, sizeof tag, "[%zu] ", g);
						wattrset(w, (int)colors_slot(THEME_WARN));
						waddstr(w, tag);
					}
					/* The last column: no gap to keep after it. */
					wattrset(w, (int)colors_slot(other ? THEME_DIM : THEME_FAILED));
					if (!other && board_diagnosis_is_smoke(r, a->profile))
						waddstr(w, "smoke: ");
					waddnstr(w, category_name(diagnose_get(d, 0)->category),
						 width[c]);
				} else {
					smoke_cell(w, &r->cell[a->profile], width[c]);
				}
				break;
			}
			}
			x += width[c];
		}
	}
	free(grp);
	wnoutrefresh(w);
}

static void toggle(struct app *a)
{
	struct board_row *r = app_selected(a);
	struct cb_err err;
	char triple[TRIPLE_MAX];

	if (!r)
		return;
	/* app_reload makes the rows anew: keep the name, not the row. */
	snprintf(triple, sizeof triple, "%s", r->triple);
	if (config_set(&a->cfg, CONFIG_LEVEL_PROJECT, triple, CONFIG_ENABLED,
		       r->enabled ? "false" : "true", &err) < 0) {
		app_status(a, 1, "%s", err.msg);
		return;
	}
	app_reload(a);
	app_status(a, 0, "%s %s (saved in .crossbench)", triple,
		   a->rows[a->sel].enabled ? "enabled" : "disabled");
}

static void delete_answer(struct app *a, int key)
{
	struct board_row *r = app_selected(a);
	struct cb_err err;
	char triple[TRIPLE_MAX];

	a->mode = MODE_NORMAL;
	if (key != 'y' || !r) {
		app_status(a, 0, "kept");
		return;
	}
	snprintf(triple, sizeof triple, "%s", r->triple);
	if (config_remove_target(&a->cfg, CONFIG_LEVEL_PROJECT, triple, &err) == 0) {
		app_reload(a);
		if (config_target(&a->cfg, triple))
			app_status(a, 0, "%s removed from .crossbench; your user config "
				   "still names it", triple);
		else
			app_status(a, 0, "%s removed from .crossbench", triple);
		return;
	}
	if (err.code == CB_ERR_NOTFOUND &&
	    config_remove_target(&a->cfg, CONFIG_LEVEL_USER, triple, &err) == 0) {
		app_reload(a);
		app_status(a, 0, "%s removed from %s", triple,
			   a->cfg.path[CONFIG_LEVEL_USER]);
		return;
	}
	app_status(a, 1, "%s", err.msg);
}

static void send(struct app *a, enum action_kind kind, const char *triple)
{
	struct action ac = { kind, triple, a->profile, 0, 0, 0, NULL };

	app_send(a, &ac);
}

static int matrix_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	struct board_row *r = app_selected(a);
	char q[TRIPLE_MAX + 64];

	(void)is_key;
	(void)ch;
	switch (act) {
	case ACT_UP:
		if (a->sel > 0)
			a->sel--;
		a->diag_sel = 0;
		break;
	case ACT_DOWN:
		if (a->sel + 1 < a->nrows)
			a->sel++;
		a->diag_sel = 0;
		break;
	case ACT_FIRST:
		a->sel = 0;
		a->diag_sel = 0;
		break;
	case ACT_LAST:
		a->sel = a->nrows ? a->nrows - 1 : 0;
		a->diag_sel = 0;
		break;
	case ACT_TOGGLE:
		toggle(a);
		return 1;
	case ACT_ADD:
		send(a, ACTION_PICK, NULL);
		return 1;
	case ACT_DELETE:
		if (!r)
			return 1;
		snprintf(q, sizeof q, "remove %s from the settings? [y/n]", r->triple);
		app_ask(a, q, "yn", delete_answer);
		return 1;
	case ACT_BUILD:
		if (r)
			app_build(a, r->triple, a->profile);
		return 1;
	case ACT_CANCEL:
		if (!r)
			return 1;
		for (int p = 0; p < NPROFILES; p++)
			if (r->cell[p].job && !job_state_final(r->cell[p].job->state))
				engine_cancel(a->eng, r->cell[p].job);
		app_status(a, 0, "cancelling %s", r->triple);
		return 1;
	case ACT_EDIT:
		if (r)
			send(a, ACTION_EDIT, r->triple);
		return 1;
	case ACT_SMOKE:
		if (r)
			app_smoke(a, r->triple, a->profile);
		return 1;
	case ACT_HISTORY:
		histview_open(a);
		return 1;
	case ACT_FIX:
		send(a, ACTION_APPLY_FIX, NULL);
		return 1;
	case ACT_OPEN_FILE:
		send(a, ACTION_OPEN_FILE, NULL);
		return 1;
	case ACT_OPEN_LOG:
		if (!r)
			return 1;
		send(a, ACTION_OPEN_LOG, r->triple);
		a->focus = FOCUS_LOG;
		a->dirty |= DIRTY_MATRIX | DIRTY_LOG;
		return 1;
	default:
		return 0;
	}
	a->dirty |= DIRTY_MATRIX | DIRTY_LOG;
	return 1;
}

static void matrix_click(struct app *a, int y)
{
	/* y counts from the matrix window's top; row 0 is the titles. */
	if (y < 1 || y >= a->matrix_h)
		return;
	if (a->mtop + (size_t)(y - 1) < a->nrows) {
		a->sel = a->mtop + (size_t)(y - 1);
		a->focus = FOCUS_MATRIX;
		a->dirty |= DIRTY_MATRIX | DIRTY_LOG;
	}
}

static int matrix_act(struct app *a, const struct action *ac)
{
	/* y counts from the matrix window's top. */
	if (ac->kind != ACTION_CLICK || ac->y < 0 || ac->y >= a->matrix_h)
		return 0;
	matrix_click(a, ac->y);
	return 1;
}

/* Rows it wants: the titles, every target and a blank line. */
static int matrix_height(struct app *a)
{
	return (int)a->nrows + 2;
}

const struct pane_ops matrix_pane = {
	"matrix", matrix_draw, matrix_key, matrix_height, matrix_act, NULL,
};
