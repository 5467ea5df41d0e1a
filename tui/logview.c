/* logview.c - log panes: follow, scroll, fold, search, colours.
 *
 * Only the visible lines are read (through the log store's index) and
 * decoded, so a frame costs the same for a 100-line and a 10-million-line
 * log.  A line is decoded from its start up to the last column shown; a
 * line longer than LONG_LINE is never decoded whole to count its rows.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ansi.h"
#include "app.h"
#include "pane.h"
#include "colors.h"

#define CHUNK 16384
#define LONG_LINE (256u << 10)

static struct logstore *logview_store(struct pane *p)
{
	if (p->job && p->job->log)
		return p->job->log;
	return p->own;
}

/* The board's cell of triple and profile, or NULL (a target no longer
 * in the settings). */
static const struct board_cell *cell_of(struct app *a, const char *triple, int profile)
{
	const struct board_row *r = board_find(a->board, triple);

	return r && profile >= 0 && profile < BOARD_PROFILES ? &r->cell[profile] : NULL;
}

static void pane_clear(struct pane *p)
{
	logstore_free(p->own);
	free(p->path);
	p->own = NULL;
	p->path = NULL;
	p->job = NULL;
}

/* Point p at the newest log of triple/profile: this session's build, or
 * the last one on disk.  Nothing changes when that is what p shows. */
static void pane_point(struct app *a, struct pane *p, const char *triple_in, int profile)
{
	char triple[TRIPLE_MAX];
	const struct board_cell *c;
	struct job *j;
	const struct history_entry *h = NULL;
	int same_target;

	snprintf(triple, sizeof triple, "%s", triple_in);   /* may be p->triple */
	c = cell_of(a, triple, profile);
	same_target = !strcmp(p->triple, triple) && p->profile == profile;
	/* A past build's log stays until the pane goes to another target. */
	if (p->pinned && same_target)
		return;
	p->pinned = 0;
	/* A smoke run is shown while it is the cell's (a build since ends it). */
	if (!same_target || !c || !c->smoke)
		p->smoke = 0;
	j = c ? (p->smoke ? c->smoke : c->job) : NULL;
	if (!j && c && !p->smoke)
		h = c->hist;
	if (same_target) {
		if (j && p->job == j)
			return;
		if (!j && !p->job &&
		    ((!h && !p->own) || (h && p->path && !strcmp(p->path, h->log))))
			return;
	}
	pane_clear(p);
	snprintf(p->triple, sizeof p->triple, "%s", triple);
	p->profile = profile;
	p->top = p->top_row = p->hcol = 0;
	p->follow = 1;
	p->mark = -1;
	if (j) {
		p->job = j;
		return;
	}
	if (h && h->log[0]) {
		struct cb_err err;

		p->own = logstore_open(h->log, &err);
		if (p->own)
			p->path = xstrdup(h->log);
	}
}

static void logview_open(struct app *a, const char *triple, int profile, int new_pane)
{
	struct pane *p;

	if (new_pane || !a->npanes) {
		if (a->npanes == MAX_PANES) {
			app_status(a, 1, "at most %d log panes; s on a shown log closes it", MAX_PANES);
			return;
		}
		p = &a->panes[a->npanes++];
		memset(p, 0, sizeof *p);
		p->mark = -1;
		a->active = a->npanes - 1;
		a->dirty |= DIRTY_LAYOUT;
	} else {
		p = &a->panes[a->active < a->npanes ? a->active : 0];
	}
	pane_point(a, p, triple, profile);
	a->dirty |= DIRTY_LOG;
}

static void logview_close(struct app *a, size_t i)
{
	if (i >= a->npanes)
		return;
	pane_clear(&a->panes[i]);
	if (a->panes[i].win)
		delwin(a->panes[i].win);
	memmove(&a->panes[i], &a->panes[i + 1], (a->npanes - i - 1) * sizeof *a->panes);
	a->npanes--;
	if (a->active >= a->npanes)
		a->active = a->npanes ? a->npanes - 1 : 0;
	if (!a->npanes && a->focus == FOCUS_LOG)
		a->focus = FOCUS_MATRIX;
	a->dirty |= DIRTY_LAYOUT;
}

/* The first pane shows the selected target while the matrix has focus;
 * panes opened with s stay on theirs.  A pane on a history log switches
 * to a build of the same target as soon as one starts. */
/* Point p afresh at the build's log of triple/profile, or (smoke, when
 * the cell has one) at its smoke run's, from the start. */
static void pane_show(struct app *a, struct pane *p, const char *triple,
		      int profile, int smoke)
{
	char t[TRIPLE_MAX];
	const struct board_cell *c;

	snprintf(t, sizeof t, "%s", triple);   /* may be p->triple */
	c = cell_of(a, t, profile);
	p->triple[0] = 0;
	p->smoke = 0;
	pane_point(a, p, t, profile);
	if (smoke && c && c->smoke) {
		pane_clear(p);
		p->smoke = 1;
		p->job = c->smoke;
	}
	a->dirty |= DIRTY_LOG;
}

static void logview_sync(struct app *a)
{
	struct board_row *r = app_selected(a);

	if (a->npanes && r && a->focus == FOCUS_MATRIX && a->active == 0)
		pane_point(a, &a->panes[0], r->triple, a->profile);
	for (size_t i = 0; i < a->npanes; i++)
		pane_point(a, &a->panes[i], a->panes[i].triple, a->panes[i].profile);
}

/* The line (0-based) of the shown diagnosis's evidence when p shows the
 * selected target's log, else -1: the board's answer, with the
 * diagnosis the app has selected. */
static int64_t evidence_line(struct app *a, const struct pane *p)
{
	const struct board_row *r = app_selected(a);
	const struct diagnose *d;
	size_t k = a->diag_sel, line;

	if (!r || strcmp(r->triple, p->triple) || p->profile != a->profile ||
	    p->smoke != board_diagnosis_is_smoke(r, p->profile))
		return -1;
	d = board_diagnosis(r, p->profile);
	if (d && k >= diagnose_count(d))
		k = 0;
	line = board_evidence_line(r, p->profile, k);
	return line ? (int64_t)line - 1 : -1;
}

/* ------------------------------------------------------------ decoding */

/* Decode line (from its start) into al until it is at least cols wide or
 * the line ends (cols < 0: the whole line).  Returns the line's byte
 * length; *whole says whether al holds all of it. */
static uint64_t decode(struct logstore *ls, uint64_t line, int cols,
		       struct ansi_line *al, int *whole)
{
	struct ansi_state st;
	struct buf b;
	uint64_t off = 0, len = 0;

	ansi_line_reset(al);
	ansi_state_init(&st);
	buf_init(&b);
	*whole = 0;
	for (;;) {
		size_t used;
		int at_end;

		buf_reset(&b);
		if (logstore_read_line(ls, line, off, CHUNK, &b, &len) < 0) {
			*whole = 1;   /* gone: what we have is all there is */
			break;
		}
		if (!b.len) {
			*whole = off >= len;
			break;
		}
		at_end = off + b.len >= len;
		used = ansi_decode(al, &st, b.data, b.len, cols, at_end);
		off += used;
		if (off >= len) {
			*whole = 1;
			break;
		}
		if ((cols >= 0 && al->width >= cols) || used == 0)
			break;
	}
	buf_fini(&b);
	return len;
}

static uint64_t rows_for_width(int width, int tw)
{
	return width <= 0 ? 1 : ((uint64_t)width + (uint64_t)tw - 1) / (uint64_t)tw;
}

/* How many rows line takes when folded to width tw.  A line longer than
 * LONG_LINE is not decoded whole to count: its rows are estimated from
 * its bytes (drawing stops where its text really ends). */
static uint64_t rows_of(struct logstore *ls, uint64_t line, int tw, struct ansi_line *al)
{
	uint64_t off, len;
	int whole;

	if (tw < 1 || logstore_line_span(ls, line, &off, &len) < 0)
		return 1;
	if (len > LONG_LINE)
		return len / (uint64_t)tw + 1;
	decode(ls, line, -1, al, &whole);
	return rows_for_width(al->width, tw);
}

static unsigned long run_attr(struct app *a, const struct ansi_style *s)
{
	const struct theme_spec *n = &a->theme.slot[THEME_NORMAL];

	if (s->attrs & ANSI_SPECIAL)
		return colors_slot(THEME_SPECIAL);
	return colors_attr(s->fg >= 0 ? s->fg : n->fg, s->bg >= 0 ? s->bg : n->bg,
			   (s->attrs & 0x1f) | n->attrs);
}

/* A place in a decoded line: run index, byte offset into al->text, and
 * the display column there.  Rows of a folded line are drawn by moving one
 * cursor forward, so a line is walked once per frame, not once per row. */
struct cursor {
	size_t run;
	size_t off;
	int col;
};

static size_t run_end(const struct ansi_line *al, size_t run)
{
	return al->runs[run].off + al->runs[run].len;
}

/* Move cur forward by cols columns (not past a character that would
 * cross the mark). */
static void cursor_skip(const struct ansi_line *al, struct cursor *cur, int cols)
{
	while (cur->run < al->nruns && cols > 0) {
		size_t end = run_end(al, cur->run);
		int used;
		size_t fit = ansi_fit(al->text.data + cur->off, end - cur->off, cols, &used);

		cur->off += fit;
		cur->col += used;
		cols -= used;
		if (cur->off < end)
			return;
		cur->run++;
	}
}

/* Draw width columns from cur at (y, x), moving cur past them. */
static void draw_from(struct app *a, WINDOW *w, int y, int x,
		      const struct ansi_line *al, struct cursor *cur, int width)
{
	int drawn = 0;

	wmove(w, y, x);
	while (cur->run < al->nruns && drawn < width) {
		const struct ansi_run *r = &al->runs[cur->run];
		size_t end = run_end(al, cur->run);
		int used;
		size_t fit = ansi_fit(al->text.data + cur->off, end - cur->off,
				      width - drawn, &used);

		if (fit) {
			wattrset(w, (int)run_attr(a, &r->style));
			waddnstr(w, al->text.data + cur->off, (int)fit);
		}
		drawn += used;
		cur->off += fit;
		cur->col += used;
		if (cur->off < end)
			return;   /* the next character goes on the next row */
		cur->run++;
	}
}

static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/* Paint the search's matches among the text bytes [b0, b1) drawn at
 * (y, x) from column col0: one pass over those bytes, the column kept as
 * it goes. */
static void highlight(struct app *a, WINDOW *w, int y, int x, const struct ansi_line *al,
		      size_t b0, size_t b1, int col0, int width)
{
	size_t nl = strlen(a->search), i = b0;
	const char *t = al->text.data;
	unsigned long attr = colors_slot(THEME_MATCH);
	int col = col0;

	if (!nl || !t)
		return;
	while (i < b1 && col < col0 + width) {
		if (i + nl <= al->text.len && !strncasecmp(t + i, a->search, nl)) {
			int mw = ansi_width(t + i, nl), end = col + mw;

			if (end > col0 + width)
				end = col0 + width;
			if (end > col)
				mvwchgat(w, y, x + col - col0, end - col, (attr_t)(attr & ~A_COLOR),
					 (short)PAIR_NUMBER(attr), NULL);
			col += mw;
			i += nl;
			continue;
		}
		{
			size_t cl = utf8_len((unsigned char)t[i]);

			if (i + cl > al->text.len)
				cl = al->text.len - i;
			col += ansi_width(t + i, cl);
			i += cl;
		}
	}
}

/* Put the view at the end: the last line's last row at the bottom. */
static void scroll_to_end(struct pane *p, struct logstore *ls, int body, int tw,
			  int fold, struct ansi_line *al)
{
	uint64_t n = logstore_lines(ls);
	int need = body;

	p->top = n ? n - 1 : 0;
	p->top_row = 0;
	if (!n)
		return;
	if (!fold) {
		p->top = n > (uint64_t)body ? n - (uint64_t)body : 0;
		return;
	}
	for (uint64_t l = n; l-- > 0;) {
		uint64_t r = rows_of(ls, l, tw, al);

		if (r >= (uint64_t)need) {
			p->top = l;
			p->top_row = r - (uint64_t)need;
			return;
		}
		need -= (int)r;
		p->top = l;
		if (need == 0)
			return;
	}
	p->top = 0;
}

static int digits(uint64_t n)
{
	int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

static void logview_draw(struct app *a, struct pane *p, int focused)
{
	WINDOW *w = p->win;
	struct logstore *ls = logview_store(p);
	struct ansi_line al;
	int h, wd, body, gutter, tw, y;
	uint64_t n, line, row;
	int64_t evidence;
	char title[512];

	if (!w)
		return;
	getmaxyx(w, h, wd);
	wbkgdset(w, (chtype)colors_slot(THEME_NORMAL));
	werase(w);
	body = h - 1;
	n = ls ? logstore_lines(ls) : 0;
	snprintf(title, sizeof title, " %s: %s (%s)%s%s%s  %llu lines ",
		 p->smoke ? "smoke run" : p->pinned ? "past build" : "log", p->triple,
		 board_profile_name(p->profile),
		 p->job && p->job->state == JOB_RUNNING ? "  running" : "",
		 p->follow ? "  follow" : "", a->fold ? "  fold" : "",
		 (unsigned long long)n);
	wattrset(w, (int)(colors_slot(THEME_TITLE) | (focused ? A_REVERSE : 0)));
	mvwaddnstr(w, 0, 0, title, wd);
	if (p->path && wd > (int)strlen(title) + 10) {
		const char *base = strrchr(p->path, '/');

		wattrset(w, (int)colors_slot(THEME_DIM));
		waddnstr(w, base ? base + 1 : p->path, wd - (int)strlen(title) - 1);
	}
	if (!ls) {
		wattrset(w, (int)colors_slot(THEME_DIM));
		mvwaddnstr(w, 1, 1, "no build of this target yet: b builds it", wd - 2);
		wnoutrefresh(w);
		return;
	}
	gutter = digits(n) + 1;
	if (gutter < 5)
		gutter = 5;
	tw = wd - gutter;
	if (tw < 4) {
		gutter = 0;
		tw = wd;
	}
	ansi_line_init(&al);
	evidence = evidence_line(a, p);
	if (p->follow)
		scroll_to_end(p, ls, body, tw, a->fold, &al);
	if (n && p->top >= n)
		p->top = n - 1;
	line = p->top;
	row = p->top_row;
	for (y = 1; y <= body && line < n; line++, row = 0) {
		uint64_t rows = 1;
		struct cursor cur = { 0, 0, 0 };
		int whole;

		if (a->fold) {
			uint64_t off, len;

			/* One decoding per line and frame: all of a normal line
			 * (its row count comes with it); of a huge one, only as
			 * far as the rows that fit on screen. */
			if (logstore_line_span(ls, line, &off, &len) < 0)
				break;
			if (len <= LONG_LINE) {
				decode(ls, line, -1, &al, &whole);
				rows = rows_for_width(al.width, tw);
			} else {
				uint64_t need = (row + (uint64_t)(body - y + 1)) * (uint64_t)tw;

				decode(ls, line, need > INT_MAX ? INT_MAX : (int)need, &al, &whole);
				rows = whole ? rows_for_width(al.width, tw) : len / (uint64_t)tw + 1;
			}
			if (row >= rows)
				row = rows - 1;
			cursor_skip(&al, &cur, row * (uint64_t)tw > INT_MAX ? INT_MAX : (int)(row * (uint64_t)tw));
		} else {
			uint64_t need = p->hcol + (uint64_t)tw;

			decode(ls, line, need > INT_MAX ? INT_MAX : (int)need, &al, &whole);
			cursor_skip(&al, &cur, p->hcol > INT_MAX ? INT_MAX : (int)p->hcol);
		}
		for (; y <= body && row < rows; row++, y++) {
			int is_mark = (p->mark >= 0 && (uint64_t)p->mark == line) ||
				      (evidence >= 0 && (uint64_t)evidence == line);
			size_t b0 = cur.off;
			int col0 = cur.col;

			/* An estimated row count may run past the text. */
			if (row > 0 && cur.run >= al.nruns)
				break;
			if (gutter) {
				wattrset(w, (int)colors_slot(THEME_LINENO));
				if (row == 0 || !a->fold)
					mvwprintw(w, y, 0, "%*llu ", gutter - 1,
						  (unsigned long long)line + 1);
			}
			draw_from(a, w, y, gutter, &al, &cur, tw);
			highlight(a, w, y, gutter, &al, b0, cur.off, col0, tw);
			if (is_mark) {
				unsigned long ev = colors_slot(THEME_EVIDENCE);

				mvwchgat(w, y, gutter, tw, (attr_t)(ev & ~A_COLOR),
					 (short)PAIR_NUMBER(ev), NULL);
			}
			if (!a->fold) {
				y++;
				break;
			}
		}
	}
	ansi_line_fini(&al);
	wnoutrefresh(w);
}

/* ------------------------------------------------------------ keys */

static int body_rows(struct pane *p)
{
	int h = 2, wd = 2;

	if (p->win)
		getmaxyx(p->win, h, wd);
	(void)wd;
	return h - 1 > 1 ? h - 1 : 1;
}

static int text_width(struct pane *p, struct logstore *ls)
{
	int h, wd, g;

	if (!p->win)
		return 80;
	getmaxyx(p->win, h, wd);
	(void)h;
	g = digits(logstore_lines(ls)) + 1;
	if (g < 5)
		g = 5;
	return wd - g > 4 ? wd - g : wd;
}

static void scroll_rows(struct app *a, struct pane *p, long delta)
{
	struct logstore *ls = logview_store(p);
	struct ansi_line al;
	uint64_t n;
	int tw;

	if (!ls)
		return;
	n = logstore_lines(ls);
	tw = text_width(p, ls);
	ansi_line_init(&al);
	while (delta < 0) {
		if (a->fold && p->top_row > 0) {
			p->top_row--;
		} else if (p->top > 0) {
			p->top--;
			p->top_row = a->fold ? rows_of(ls, p->top, tw, &al) - 1 : 0;
		} else {
			break;
		}
		delta++;
	}
	while (delta > 0 && p->top < n) {
		if (a->fold && p->top_row + 1 < rows_of(ls, p->top, tw, &al)) {
			p->top_row++;
		} else if (p->top + 1 < n) {
			p->top++;
			p->top_row = 0;
		} else {
			break;
		}
		delta--;
	}
	ansi_line_fini(&al);
}

static void logview_search(struct app *a, struct pane *p, int backward, int from_next);

static void search_done(struct app *a, const char *text)
{
	snprintf(a->search, sizeof a->search, "%s", text);
	if (a->npanes && text[0])
		logview_search(a, &a->panes[a->active], 0, 0);
	a->dirty |= DIRTY_LOG;
}

static void logview_search(struct app *a, struct pane *p, int backward, int from_next)
{
	struct logstore *ls = logview_store(p);
	uint64_t from, found;
	int wrapped;

	if (!ls || !a->search[0]) {
		app_status(a, 1, "no search: / starts one");
		return;
	}
	from = p->mark >= 0 ? (uint64_t)p->mark : p->top;
	if (from_next) {
		if (backward && from > 0)
			from--;
		else if (!backward)
			from++;
		else
			from = UINT64_MAX;   /* before the first line: wrap */
	}
	/* Like vim: past the end, the search goes on from the other end. */
	if (from < logstore_lines(ls) &&
	    logstore_find(ls, from, backward, a->search, 1, &found)) {
		wrapped = 0;
	} else if (logstore_lines(ls) &&
		   logstore_find(ls, backward ? logstore_lines(ls) - 1 : 0, backward,
				 a->search, 1, &found)) {
		wrapped = 1;
	} else {
		app_status(a, 1, "'%s' is not in this log", a->search);
		return;
	}
	p->follow = 0;
	p->mark = (int64_t)found;
	p->top = found > 3 ? found - 3 : 0;
	p->top_row = 0;
	app_status(a, 0, "'%s' at line %llu%s", a->search, (unsigned long long)found + 1,
		   wrapped ? (backward ? " (from the end)" : " (from the top)") : "");
	a->dirty |= DIRTY_LOG;
}

static int logview_key(struct app *a, struct pane *p, enum key_action act)
{
	int page = body_rows(p) - 1 > 1 ? body_rows(p) - 1 : 1;

	switch (act) {
	case ACT_UP: p->follow = 0; scroll_rows(a, p, -1); break;
	case ACT_DOWN: p->follow = 0; scroll_rows(a, p, 1); break;
	case ACT_PAGE_UP: p->follow = 0; scroll_rows(a, p, -page); break;
	case ACT_PAGE_DOWN: p->follow = 0; scroll_rows(a, p, page); break;
	case ACT_FIRST: p->follow = 0; p->top = 0; p->top_row = 0; break;
	case ACT_LAST: p->follow = 1; break;
	case ACT_FOLLOW: p->follow = !p->follow; break;
	case ACT_LEFT:
		if (a->fold) {
			app_status(a, 0, "lines are folded: w scrolls them sideways instead");
			return 1;
		}
		p->hcol = p->hcol > 8 ? p->hcol - 8 : 0;
		break;
	case ACT_RIGHT:
		if (a->fold) {
			app_status(a, 0, "lines are folded: w scrolls them sideways instead");
			return 1;
		}
		p->hcol += 8;
		break;
	case ACT_FOLD:
		a->fold = !a->fold;
		for (size_t i = 0; i < a->npanes; i++) {
			a->panes[i].top_row = 0;
			a->panes[i].hcol = 0;
		}
		app_status(a, 0, a->fold ? "long lines folded" : "long lines scroll sideways (h, l)");
		break;
	case ACT_SEARCH:
		app_prompt(a, "/", "", search_done);
		return 1;
	case ACT_NEXT_MATCH: logview_search(a, p, 0, 1); break;
	case ACT_PREV_MATCH: logview_search(a, p, 1, 1); break;
	case ACT_BACK:
		a->focus = FOCUS_MATRIX;
		a->dirty |= DIRTY_MATRIX;
		break;
	case ACT_BUILD:
		app_build(a, p->triple, p->profile);
		return 1;
	case ACT_SMOKE:
		app_smoke(a, p->triple, p->profile);
		return 1;
	case ACT_FIX: {
		struct action ac = { ACTION_APPLY_FIX, NULL, 0, 0, 0, 0, NULL };

		app_send(a, &ac);
		return 1;
	}
	default:
		return 0;
	}
	a->dirty |= DIRTY_LOG | DIRTY_STATUS;
	return 1;
}

/* ---------------------------------------------------------------- pane */

/* Every log pane, each pointed first at its target's newest log. */
static void log_draw(struct app *a)
{
	logview_sync(a);
	for (size_t i = 0; i < a->npanes; i++)
		logview_draw(a, &a->panes[i], a->focus == FOCUS_LOG && a->active == i);
}

static int log_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)is_key;
	(void)ch;
	return a->npanes && logview_key(a, &a->panes[a->active], act);
}

static int log_act(struct app *a, const struct action *ac)
{
	switch (ac->kind) {
	case ACTION_OPEN_LOG:
		logview_open(a, ac->triple, ac->profile, ac->new_pane);
		if (a->npanes && a->panes[a->active].smoke)
			pane_show(a, &a->panes[a->active], ac->triple, ac->profile, 0);
		return 1;
	case ACTION_OPEN_SMOKE: {
		struct pane *p;

		logview_open(a, ac->triple, ac->profile, 0);
		if (!a->npanes)
			return 1;
		const struct board_cell *c = cell_of(a, ac->triple, ac->profile);

		p = &a->panes[a->active];
		if (c && (!p->smoke || p->job != c->smoke))
			pane_show(a, p, ac->triple, ac->profile, 1);
		return 1;
	}
	case ACTION_OPEN_PAST: {
		struct pane *p;
		struct cb_err err;
		struct logstore *ls;

		if (!ac->path || !(ls = logstore_open(ac->path, &err))) {
			app_status(a, 1, "%s", ac->path ? err.msg : "no log");
			return 1;
		}
		logview_open(a, ac->triple, ac->profile, 0);
		if (!a->npanes) {
			logstore_free(ls);
			return 1;
		}
		p = &a->panes[a->active];
		pane_clear(p);
		p->own = ls;
		p->path = xstrdup(ac->path);
		p->pinned = 1;
		p->smoke = 0;
		p->follow = 0;
		p->top = p->top_row = p->hcol = 0;
		p->mark = -1;
		a->focus = FOCUS_LOG;
		a->dirty |= DIRTY_LOG | DIRTY_MATRIX;
		return 1;
	}
	case ACTION_SHOW_LINE:
		/* In a pane of that target, opened when there is none. */
		if (!a->npanes)
			logview_open(a, ac->triple, ac->profile, 1);
		for (size_t i = 0; i < a->npanes; i++) {
			struct pane *p = &a->panes[i];

			if (strcmp(p->triple, ac->triple) || p->profile != ac->profile)
				continue;
			{
				const struct board_row *r = board_find(a->board, ac->triple);
				int smoke = board_diagnosis_is_smoke(r, ac->profile);

				if (smoke != p->smoke)
					pane_show(a, p, ac->triple, ac->profile, smoke);
			}
			p->follow = 0;
			p->top = ac->line > 4 ? ac->line - 4 : 0;
			p->top_row = 0;
			a->active = i;
			a->focus = FOCUS_LOG;
			a->dirty |= DIRTY_LOG | DIRTY_MATRIX;
			break;
		}
		return 1;
	case ACTION_CLOSE_LOG:
		/* The last pane stays: it follows the selection. */
		for (size_t i = 0; i < a->npanes && a->npanes > 1; i++)
			if (!strcmp(a->panes[i].triple, ac->triple) &&
			    a->panes[i].profile == ac->profile) {
				logview_close(a, i);
				return 1;
			}
		return 0;
	default:
		return 0;
	}
}

static void log_close(struct app *a)
{
	for (size_t i = a->npanes; i-- > 0;)
		logview_close(a, i);
}

const struct pane_ops log_pane = { "log", log_draw, log_key, NULL, log_act, log_close };
