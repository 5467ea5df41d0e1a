/* histview.c - h: the selected target's past builds, newest first (the
 * board's history, core/board.h): when, commit, result, time and a failed
 * build's top diagnosis.  Enter opens that build's log (kept logs only),
 * Esc or q closes.  Above the list, for a failing target: what changed
 * since it last passed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "pane.h"
#include "colors.h"
#include "since.h"

#define PAST_MAX 200

void histview_open(struct app *a)
{
	struct board_row *r = app_selected(a);

	if (!r) {
		app_status(a, 1, "no target selected");
		return;
	}
	free(a->past);
	a->past = NULL;
	a->npast = board_history(a->board, r->triple, a->profile, PAST_MAX, &a->past);
	a->past_sel = a->past_top = 0;
	snprintf(a->past_triple, sizeof a->past_triple, "%s", r->triple);
	a->past_profile = a->profile;
	a->mode = MODE_HISTORY;
	a->dirty |= DIRTY_OVERLAY;
}

static void close_view(struct app *a)
{
	free(a->past);
	a->past = NULL;
	a->npast = 0;
	a->mode = MODE_NORMAL;
	a->dirty |= DIRTY_ALL;
}

static void history_draw(struct app *a)
{
	int h = LINES - 2, w = COLS, y = 1, rows;
	const struct since *s;
	struct buf b;
	char title[256];
	WINDOW *win;

	if (h < 5 || w < 30)
		return;
	win = newwin(h, w, 1, 0);
	wbkgd(win, (chtype)colors_slot(THEME_NORMAL));
	wattrset(win, (int)colors_slot(THEME_BORDER));
	box(win, 0, 0);
	snprintf(title, sizeof title, " history: %s (%s), %zu build%s  (Enter log, Esc back) ",
		 a->past_triple, board_profile_name(a->past_profile), a->npast,
		 a->npast == 1 ? "" : "s");
	wattrset(win, (int)colors_slot(THEME_TITLE));
	mvwaddnstr(win, 0, 2, title, w - 4);
	buf_init(&b);
	s = board_since(a->board, board_find(a->board, a->past_triple), a->past_profile);
	if (s && s->failing) {
		if (s->found) {
			since_headline(s, time(NULL), &b);
			if (s->nfiles || s->toolchain.n) {
				buf_puts(&b, ": ");
				since_files_text(s, 8, &b);
			}
		} else {
			buf_puts(&b, s->has_repo ? s->note : "not a git repository");
		}
		wattrset(win, (int)colors_slot(s->found ? THEME_WARN : THEME_DIM));
		wmove(win, y++, 2);
		app_addtext(win, b.data, w - 4);
	}
	buf_fini(&b);
	if (!a->npast) {
		wattrset(win, (int)colors_slot(THEME_DIM));
		mvwaddnstr(win, y, 2, "no build of this target is recorded yet: b builds it", w - 4);
		wnoutrefresh(win);
		delwin(win);
		return;
	}
	wattrset(win, (int)colors_slot(THEME_DIM));
	mvwaddnstr(win, y++, 2, "when              commit    result      time  diagnosis", w - 4);
	rows = h - 1 - y;
	if (a->past_sel < a->past_top)
		a->past_top = a->past_sel;
	if (rows > 0 && a->past_sel >= a->past_top + (size_t)rows)
		a->past_top = a->past_sel - (size_t)rows + 1;
	for (size_t i = a->past_top; i < a->npast && y < h - 1; i++, y++) {
		const struct board_past *p = &a->past[i];
		char when[32], line[512];
		struct tm tm;
		enum theme_slot slot;

		localtime_r(&p->e.when, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
		snprintf(line, sizeof line, "%-16s  %-7.7s%s  %-9s %6.1fs  %s%s%s", when,
			 p->e.commit[0] ? p->e.commit : "-", p->e.dirty ? "+" : " ",
			 p->e.status, p->e.seconds,
			 p->category[0] ? p->category : "",
			 p->category[0] && p->summary[0] ? ": " : "",
			 p->log_kept ? p->summary : "(log pruned)");
		slot = !strcmp(p->e.status, "passed") ? THEME_PASSED :
		       !strcmp(p->e.status, "cancelled") ? THEME_DIM : THEME_FAILED;
		wattrset(win, (int)(colors_slot(i == a->past_sel ? THEME_SELECTED : slot)));
		wmove(win, y, 1);
		whline(win, ' ', w - 2);
		/* The selection reads without colour too. */
		mvwaddstr(win, y, 1, i == a->past_sel ? "\u25b8" : " ");
		wmove(win, y, 2);
		app_addtext(win, line, w - 4);
	}
	wnoutrefresh(win);
	delwin(win);
}

static int history_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)act;
	if ((!is_key && (ch == 'j')) || (is_key && ch == KEY_DOWN)) {
		if (a->past_sel + 1 < a->npast)
			a->past_sel++;
	} else if ((!is_key && ch == 'k') || (is_key && ch == KEY_UP)) {
		if (a->past_sel > 0)
			a->past_sel--;
	} else if (!is_key && ch == 'g') {
		a->past_sel = 0;
	} else if (!is_key && ch == 'G') {
		a->past_sel = a->npast ? a->npast - 1 : 0;
	} else if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) {
		const struct board_past *p = a->npast ? &a->past[a->past_sel] : NULL;

		if (!p)
			return 1;
		if (!p->log_kept) {
			app_status(a, 1, "that build's log was pruned (crossbench keeps the newest %d per target)",
				   HISTORY_KEEP_LOGS);
			a->dirty |= DIRTY_OVERLAY;
			return 1;
		}
		{
			char triple[TRIPLE_MAX], path[sizeof p->e.log];
			int profile = a->past_profile;
			struct action ac = { ACTION_OPEN_PAST, triple, profile, 0, 0, 0, path };

			snprintf(triple, sizeof triple, "%s", a->past_triple);
			snprintf(path, sizeof path, "%s", p->e.log);
			close_view(a);
			app_send(a, &ac);
		}
		return 1;
	} else if ((!is_key && (ch == 27 || ch == 'q' || ch == 'h')) || (is_key && ch == KEY_LEFT)) {
		close_view(a);
		return 1;
	}
	a->dirty |= DIRTY_OVERLAY;
	return 1;
}

const struct pane_ops history_pane = { "history", history_draw, history_key, NULL, NULL, NULL };
