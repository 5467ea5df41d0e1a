/* diagview.c - the diagnosis pane: root cause first, its evidence, its
 * fixes; f applies a settings fix and rebuilds, o opens the file.
 *
 * What it shows is the board's (core/board.h): a build of this session is
 * diagnosed live by the engine, a failed build of an earlier session from
 * its log when the board first saw it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <signal.h>
#include <unistd.h>

#include "app.h"
#include "pane.h"
#include "colors.h"
#include "ansi.h"
#include "diagnose.h"
#include "since.h"
#include "proc.h"

static size_t diagview_count(struct app *a)
{
	const struct diagnose *d = board_diagnosis(app_selected(a), a->profile);

	return d ? diagnose_count(d) : 0;
}

static const struct diagnosis *current(struct app *a)
{
	const struct diagnose *d = board_diagnosis(app_selected(a), a->profile);

	if (!d || !diagnose_count(d))
		return NULL;
	if (a->diag_sel >= diagnose_count(d))
		a->diag_sel = 0;
	return diagnose_get(d, a->diag_sel);
}

/* The selected target's doctor report when something it needs is missing
 * (shown when its builds have nothing to say), else NULL. */
static const struct toolchain_report *unready(struct app *a)
{
	struct board_row *r = app_selected(a);

	return r && r->checked && !r->ready.ready && !current(a) ? &r->ready : NULL;
}

static int blocking(const struct toolchain_finding *f)
{
	return f->required && f->status != TOOLCHAIN_OK;
}

/* Rows text takes when wrap_line folds it to width: it breaks at spaces,
 * so a row holds a little less than width on average. */
static int wrapped(const char *text, int width)
{
	int len = (int)strlen(text), w = width > 12 ? width - 2 : 10;

	return len ? (len * 6 / 5 + w - 1) / w : 1;
}

/* "last passed at abc1234 (3 days ago), 4 files changed since: ..." for
 * a failed build, or NULL (into b). */
static const char *since_text(struct app *a, struct buf *b)
{
	const struct since *s;

	if (board_diagnosis_is_smoke(app_selected(a), a->profile))
		return NULL;
	s = board_since(a->board, app_selected(a), a->profile);
	if (!s || !s->failing)
		return NULL;
	if (!s->found)
		return s->has_repo ? NULL : "not a git repository";
	since_headline(s, time(NULL), b);
	if (s->nfiles || s->toolchain.n) {
		buf_puts(b, ": ");
		since_files_text(s, 6, b);
	}
	return b->data;
}

/* The group of targets the selected one shares its root cause with
 * (board_groups), into g; 0 when it is alone. */
static int same_cause(struct app *a, struct board_group *g)
{
	struct board_group *all;
	size_t n = board_groups(a->board, a->profile, &all);
	int found = 0;

	for (size_t k = 0; k < n && !found; k++)
		for (size_t m = 0; m < all[k].n; m++)
			if (all[k].rows[m] == a->sel) {
				*g = all[k];
				found = 1;
			}
	free(all);
	return found;
}

static int diagview_height(struct app *a)
{
	const struct diagnosis *dg = current(a);
	const struct toolchain_report *rep = unready(a);
	int h;

	if (!dg && rep) {
		h = 2;
		for (size_t i = 0; i < rep->nfindings; i++)
			if (blocking(&rep->findings[i]))
				h += 1 + (int)rep->findings[i].nfixes;
		if (h > 12)
			h = 12;
		if (h > LINES / 3)
			h = LINES / 3;
		return h >= 3 ? h : 0;
	}
	if (!dg)
		return 0;
	/* title, summary, since, explanation, fixes, hint */
	h = 2 + wrapped(dg->summary, COLS - 2) + wrapped(dg->explanation, COLS - 2) +
	    (int)dg->nfixes;
	{
		struct buf sb;
		const char *st;

		struct board_group g;

		buf_init(&sb);
		if ((st = since_text(a, &sb)))
			h += wrapped(st, COLS - 2);
		buf_fini(&sb);
		if (same_cause(a, &g))
			h += (int)g.n - 1 < 4 ? (int)g.n - 1 : 4;
	}
	if (h > 14)
		h = 14;
	if (h > LINES / 3)
		h = LINES / 3;
	return h >= 3 ? h : 0;
}

static void wrap_line(WINDOW *w, int *y, int maxy, int x, int width, const char *text,
		      unsigned long attr)
{
	struct buf safe;
	const char *s;
	size_t len;

	/* Made safe whole, then wrapped. */
	buf_init(&safe);
	ansi_visible(text, strlen(text), &safe);
	s = safe.data ? safe.data : "";
	len = safe.len;

	wattrset(w, (int)attr);
	while (len && *y < maxy) {
		size_t take = len;

		if ((int)take > width) {
			take = (size_t)width;
			/* never inside a UTF-8 character */
			while (take > 1 && ((unsigned char)s[take] & 0xc0) == 0x80)
				take--;
			/* break at a space when there is one */
			for (size_t k = take; k > (size_t)width / 2; k--)
				if (s[k] == ' ') {
					take = k;
					break;
				}
		}
		mvwaddnstr(w, *y, x, s, (int)take);
		s += take;
		len -= take;
		while (len && *s == ' ') {
			s++;
			len--;
		}
		(*y)++;
	}
	buf_fini(&safe);
}

/* A target that is not ready to build: what is missing and the fixes. */
static void draw_readiness(struct app *a, WINDOW *w, const struct toolchain_report *rep)
{
	int h, wd, y = 1;
	struct buf sum;

	getmaxyx(w, h, wd);
	buf_init(&sum);
	toolchain_summary(rep, &sum);
	{
		char title[512];

		snprintf(title, sizeof title, " not ready: %s  (the doctor: crossbench "
			 "doctor --target %s) ", sum.data ? sum.data : "?", rep->triple);
		wattrset(w, (int)(colors_slot(THEME_TITLE) | (a->focus == FOCUS_DIAG ? A_REVERSE : 0)));
		mvwaddnstr(w, 0, 0, title, wd);
	}
	buf_fini(&sum);
	for (size_t i = 0; i < rep->nfindings && y < h - 1; i++) {
		const struct toolchain_finding *f = &rep->findings[i];

		if (!blocking(f))
			continue;
		wattrset(w, (int)colors_slot(THEME_WARN));
		wmove(w, y++, 1);
		app_addtext(w, f->detail ? f->detail : f->name, wd - 2);
		for (size_t k = 0; k < f->nfixes && y < h - 1; k++, y++) {
			wattrset(w, (int)colors_slot(THEME_KEY));
			mvwaddstr(w, y, 3, f->fixes[k].kind == DIAGNOSIS_FIX_SET ? "fix (f): " : "run:     ");
			wattrset(w, (int)colors_slot(THEME_NORMAL));
			app_addtext(w, f->fixes[k].text, wd - 13);
		}
	}
	wattrset(w, (int)colors_slot(THEME_DIM));
	mvwaddnstr(w, h - 1, 1, "f apply the settings fix   packages: run the command shown yourself", wd - 2);
}

static void diagview_draw(struct app *a)
{
	WINDOW *w = a->w_diag;
	const struct diagnose *d = board_diagnosis(app_selected(a), a->profile);
	const struct diagnosis *dg = current(a);
	int h, wd, y = 1;
	char title[256];

	if (!w)
		return;
	getmaxyx(w, h, wd);
	wbkgdset(w, (chtype)colors_slot(THEME_NORMAL));
	werase(w);
	if (!dg) {
		if (unready(a))
			draw_readiness(a, w, unready(a));
		wnoutrefresh(w);
		return;
	}
	{
		struct board_group g;
		char same[64] = "";

		if (a->diag_sel == 0 && same_cause(a, &g))
			snprintf(same, sizeof same, "  the same cause in %zu targets", g.n);
		snprintf(title, sizeof title, " diagnosis %zu/%zu: %s  (%s, log line %zu)%s ",
			 a->diag_sel + 1, diagnose_count(d), category_name(dg->category),
			 dg->rule, dg->line, same);
	}
	wattrset(w, (int)(colors_slot(THEME_TITLE) | (a->focus == FOCUS_DIAG ? A_REVERSE : 0)));
	mvwaddnstr(w, 0, 0, title, wd);
	wrap_line(w, &y, h - 1, 1, wd - 2, dg->summary, colors_slot(THEME_FAILED));
	{
		struct buf sb;
		const char *st;

		buf_init(&sb);
		st = since_text(a, &sb);
		if (st && y < h - 1 - (int)dg->nfixes)
			wrap_line(w, &y, h - 1 - (int)dg->nfixes, 1, wd - 2, st,
				  colors_slot(st == sb.data ? THEME_WARN : THEME_DIM));
		buf_fini(&sb);
	}
	{
		/* One cause, several targets: each other one's own fix. */
		struct board_group g;

		if (a->diag_sel == 0 && same_cause(a, &g))
			for (size_t m = 0, shown = 0; m < g.n && shown < 4 &&
			     y < h - 1 - (int)dg->nfixes; m++) {
				struct board_row *o = board_row(a->board, g.rows[m]);
				const struct diagnose *od;
				const struct diagnosis *odg;
				char line[1024];

				if (g.rows[m] == a->sel || !o)
					continue;
				od = board_diagnosis(o, a->profile);
				odg = od && diagnose_count(od) ? diagnose_get(od, 0) : NULL;
				{
					/* Its most concrete fix: a setting or a package
					 * before a command, a command before advice. */
					const char *ft = odg ? odg->summary : "";

					for (int want = 0; odg && want < 4; want++)
						for (size_t q = 0; q < odg->nfixes; q++) {
							enum diagnosis_fix_kind kd = odg->fixes[q].kind;
							int rank = kd == DIAGNOSIS_FIX_SET ? 0 :
								   kd == DIAGNOSIS_FIX_INSTALL ? 1 :
								   kd == DIAGNOSIS_FIX_RUN ? 2 : 3;

							if (rank == want) {
								ft = odg->fixes[q].text;
								want = 4;
								break;
							}
						}
					snprintf(line, sizeof line, "also %s: %s", o->triple, ft);
				}
				wattrset(w, (int)colors_slot(THEME_WARN));
				wmove(w, y++, 1);
				app_addtext(w, line, wd - 2);
				shown++;
			}
	}
	if (y < h - 1 - (int)dg->nfixes)
		wrap_line(w, &y, h - 1 - (int)dg->nfixes, 1, wd - 2, dg->explanation,
			  colors_slot(THEME_NORMAL));
	for (size_t i = 0; i < dg->nfixes && y < h - 1; i++, y++) {
		const struct diagnosis_fix *f = &dg->fixes[i];

		wattrset(w, (int)colors_slot(THEME_KEY));
		mvwaddstr(w, y, 1, f->kind == DIAGNOSIS_FIX_SET ? "fix (f): " :
			  f->kind == DIAGNOSIS_FIX_TEXT ? "note:    " : "run:     ");
		wattrset(w, (int)colors_slot(THEME_NORMAL));
		app_addtext(w, f->text, wd - 11);
	}
	wattrset(w, (int)colors_slot(THEME_DIM));
	mvwaddnstr(w, h - 1, 1, dg->file
		   ? "f apply the fix   Enter show in the log   o open the file   Tab here, j/k next"
		   : "f apply the fix   Enter show in the log   Tab here, j/k next diagnosis", wd - 2);
	wnoutrefresh(w);
}

static const struct diagnosis_fix *set_fix(const struct diagnosis *dg)
{
	for (size_t i = 0; dg && i < dg->nfixes; i++)
		if (dg->fixes[i].kind == DIAGNOSIS_FIX_SET)
			return &dg->fixes[i];
	return NULL;
}

static void fix_answer(struct app *a, int key)
{
	struct cb_err err;

	a->mode = MODE_NORMAL;
	if (key != 'y') {
		app_status(a, 0, "fix not applied");
		free(a->pending_fix.value);
		a->pending_fix.value = NULL;
		return;
	}
	if (config_set(&a->cfg, CONFIG_LEVEL_PROJECT, a->pending_fix.target,
		       (enum config_key)a->pending_fix.key, a->pending_fix.value, &err) < 0) {
		app_status(a, 1, "%s", err.msg);
	} else {
		char triple[TRIPLE_MAX];

		snprintf(triple, sizeof triple, "%s", a->pending_fix.target);
		app_reload(a);
		app_build(a, triple, a->profile);
		app_status(a, 0, "saved %s in .crossbench; rebuilding %s",
			   config_key_info((enum config_key)a->pending_fix.key)->name, triple);
	}
	free(a->pending_fix.value);
	a->pending_fix.value = NULL;
}

/* The doctor's first settings fix for what blocks the build, else the
 * first command to run (*run). */
static const struct diagnosis_fix *readiness_fix(const struct toolchain_report *rep,
						 const struct diagnosis_fix **run)
{
	*run = NULL;
	for (size_t i = 0; i < rep->nfindings; i++) {
		const struct toolchain_finding *f = &rep->findings[i];

		if (!blocking(f))
			continue;
		for (size_t k = 0; k < f->nfixes; k++) {
			if (f->fixes[k].kind == DIAGNOSIS_FIX_SET)
				return &f->fixes[k];
			if (!*run && f->fixes[k].kind != DIAGNOSIS_FIX_TEXT)
				*run = &f->fixes[k];
		}
	}
	return NULL;
}

static void diagview_apply(struct app *a)
{
	const struct diagnosis *dg = current(a);
	const struct diagnosis_fix *f = set_fix(dg);
	char q[1024];
	int k;

	if (!dg && unready(a)) {
		const struct diagnosis_fix *run;

		f = readiness_fix(unready(a), &run);
		if (!f) {
			app_status(a, 1, run ? "no setting to change; run this yourself: %s"
				   : "no setting to change%s", run ? run->text : "");
			return;
		}
	} else if (!dg) {
		app_status(a, 1, "no diagnosis for this target");
		return;
	}
	if (!f && dg) {
		for (size_t i = 0; i < dg->nfixes; i++)
			if (dg->fixes[i].kind == DIAGNOSIS_FIX_INSTALL ||
			    dg->fixes[i].kind == DIAGNOSIS_FIX_RUN) {
				app_status(a, 1, "no setting to change; run this yourself: %s",
					   dg->fixes[i].text);
				return;
			}
		app_status(a, 1, "no setting to change for %s", category_name(dg->category));
		return;
	}
	k = config_key_lookup(f->key);
	if (k < 0) {
		app_status(a, 1, "the fix names an unknown setting '%s'", f->key);
		return;
	}
	free(a->pending_fix.value);
	snprintf(a->pending_fix.target, sizeof a->pending_fix.target, "%s", f->target);
	a->pending_fix.key = k;
	a->pending_fix.value = board_fix_value(a->board, f);
	snprintf(q, sizeof q, "set %s = %.300s for %s in .crossbench, then rebuild? [y/n]",
		 f->key, f->value, f->target);
	app_ask(a, q, "yn", fix_answer);
}

static void diagview_open_file(struct app *a)
{
	const struct diagnosis *dg = current(a);
	const char *ed = getenv("VISUAL");
	struct strv argv;
	struct cb_err err;
	char path[PATH_MAX * 2];
	int rc;

	if (!dg || !dg->file) {
		app_status(a, 1, "this diagnosis points at no file");
		return;
	}
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed)
		ed = "vi";
	if (dg->file[0] == '/')
		snprintf(path, sizeof path, "%s", dg->file);
	else
		snprintf(path, sizeof path, "%s/%s", a->project, dg->file);
	strv_init(&argv);
	strv_split_words(&argv, ed);
	if (dg->file_line > 0)
		strv_pushf(&argv, "+%d", dg->file_line);
	strv_push(&argv, path);
	def_prog_mode();
	endwin();
	/* ^C in the editor is the editor's: the terminal sends it to our
	 * process group too, and it must not ask the workbench to quit. */
	{
		struct sigaction ign, old_int, old_quit;

		memset(&ign, 0, sizeof ign);
		ign.sa_handler = SIG_IGN;
		sigaction(SIGINT, &ign, &old_int);
		sigaction(SIGQUIT, &ign, &old_quit);
		rc = proc_run_interactive(strv_argv(&argv), &err);
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
	}
	reset_prog_mode();
	app_after_shell(a);
	if (rc < 0)
		app_status(a, 1, "%s (set VISUAL or EDITOR)", err.msg);
	else
		app_status(a, 0, "back from %s", argv.v[0]);
	strv_fini(&argv);
}

/* Show the evidence line in the log pane of this target. */
static void jump(struct app *a)
{
	const struct diagnosis *dg = current(a);
	struct board_row *r = app_selected(a);
	struct action ac = { ACTION_SHOW_LINE, NULL, 0, 0, 0, 0, NULL };

	if (!dg || !r)
		return;
	ac.triple = r->triple;
	ac.profile = a->profile;
	ac.line = dg->line;
	app_send(a, &ac);
}

static int diagview_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	size_t n = diagview_count(a);

	(void)is_key;
	(void)ch;
	switch (act) {
	case ACT_UP:
		if (a->diag_sel > 0)
			a->diag_sel--;
		break;
	case ACT_DOWN:
		if (a->diag_sel + 1 < n)
			a->diag_sel++;
		break;
	case ACT_JUMP:
		jump(a);
		return 1;
	case ACT_FIX:
		diagview_apply(a);
		return 1;
	case ACT_OPEN_FILE:
		diagview_open_file(a);
		return 1;
	case ACT_BACK:
		a->focus = FOCUS_MATRIX;
		break;
	case ACT_BUILD: {
		struct board_row *r = app_selected(a);

		if (r)
			app_build(a, r->triple, a->profile);
		return 1;
	}
	case ACT_SMOKE: {
		struct board_row *r = app_selected(a);

		if (r)
			app_smoke(a, r->triple, a->profile);
		return 1;
	}
	case ACT_HISTORY:
		histview_open(a);
		return 1;
	default:
		return 0;
	}
	/* paint() remakes the windows if the pane's height changes */
	a->dirty |= DIRTY_LOG | DIRTY_MATRIX;
	return 1;
}

static int diag_act(struct app *a, const struct action *ac)
{
	switch (ac->kind) {
	case ACTION_APPLY_FIX:
		diagview_apply(a);
		return 1;
	case ACTION_OPEN_FILE:
		diagview_open_file(a);
		return 1;
	default:
		return 0;
	}
}

const struct pane_ops diag_pane = {
	"diagnosis", diagview_draw, diagview_key, diagview_height, diag_act, NULL,
};
