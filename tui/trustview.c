/* trustview.c - the question before a project's settings may run
 * anything: what its .crossbench would run, and [a]llow or look only. */
#include <string.h>

#include "app.h"
#include "colors.h"
#include "pane.h"
#include "trust.h"

/* The lines of the question: what the file sets, programs first. */
static void scope_lines(struct app *a, struct strv *out)
{
	config_project_settings(&a->cfg, out);
	if (!out->n)
		strv_push(out, "(nothing could be read from it: see the status line)");
	config_project_rules(&a->cfg, out);
}

/* Text from someone else's file: shown, never acted on. */
static void put_visible(WINDOW *w, int y, int x, const char *s, int width)
{
	wmove(w, y, x);
	app_addtext(w, s, width);
}

static void trust_draw(struct app *a)
{
	int h = LINES - 2, w = COLS - 2 > 100 ? 100 : COLS - 2, y;
	struct strv lines;
	char title[PATH_MAX + 64];
	WINDOW *win;

	if (h < 6 || w < 24)
		return;
	win = newwin(h, w, 1, (COLS - w) / 2);
	wbkgd(win, (chtype)colors_slot(THEME_NORMAL));
	wattrset(win, (int)colors_slot(THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, (int)colors_slot(THEME_TITLE));
	snprintf(title, sizeof title, " %s: %s ", a->cfg.path[CONFIG_LEVEL_PROJECT],
		 trust_state_name(a->cfg.trust));
	put_visible(win, 0, 2, title, w - 4);
	wattrset(win, (int)colors_slot(THEME_NORMAL));
	mvwaddnstr(win, 1, 2, "This project ships settings that name programs.  crossbench runs",
		   w - 4);
	mvwaddnstr(win, 2, 2, "none of them (no build, no doctor check) until you allow them.", w - 4);
	mvwaddnstr(win, 4, 2, "It sets:", w - 4);
	strv_init(&lines);
	scope_lines(a, &lines);
	if (a->trust_top > lines.n)
		a->trust_top = lines.n ? lines.n - 1 : 0;
	y = 5;
	for (size_t i = a->trust_top; i < lines.n && y < h - 3; i++, y++) {
		wattrset(win, (int)colors_slot(!strncmp(lines.v[i], "program", 7)
					       ? THEME_WARN : THEME_NORMAL));
		put_visible(win, y, 4, lines.v[i], w - 6);
	}
	if (a->trust_top + (size_t)(y - 5) < lines.n) {
		wattrset(win, (int)colors_slot(THEME_DIM));
		mvwaddnstr(win, y, 4, "... (j/k to scroll)", w - 6);
	}
	strv_fini(&lines);
	wattrset(win, (int)colors_slot(THEME_KEY));
	mvwaddnstr(win, h - 2, 2, "a  allow these files      v or Esc  look only (A asks again)",
		   w - 4);
	wnoutrefresh(win);
	delwin(win);
}

static void allow(struct app *a)
{
	struct cb_err err;

	if (config_allow(&a->cfg, &err) < 0) {
		a->mode = MODE_NORMAL;
		app_status(a, 1, "cannot allow: %s", err.msg);
		return;
	}
	a->mode = MODE_NORMAL;
	/* Its rules join the built-in ones; the doctor can now check. */
	engine_reload_rules(a->eng);
	app_reload(a);
	app_status(a, 0, "allowed %s; 'crossbench deny' takes it back",
		   a->cfg.path[CONFIG_LEVEL_PROJECT]);
}

static int trust_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)act;
	if (!is_key && ch == 'a') {
		allow(a);
	} else if ((is_key && ch == KEY_DOWN) || (!is_key && ch == 'j')) {
		a->trust_top++;
	} else if (((is_key && ch == KEY_UP) || (!is_key && ch == 'k')) && a->trust_top > 0) {
		a->trust_top--;
	} else if (!is_key && (ch == 'v' || ch == 27 || ch == 'q')) {
		a->mode = MODE_NORMAL;
		app_status(a, 0, "looking only: nothing the project's settings name "
			   "runs; press A to allow them");
	} else {
		return 1;
	}
	a->dirty |= DIRTY_ALL;
	return 1;
}

const struct pane_ops trust_pane = { "trust", trust_draw, trust_key, NULL, NULL, NULL };
