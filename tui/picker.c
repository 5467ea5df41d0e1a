/* picker.c - add a target: rustc's target list, filtered as you type. */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "pane.h"
#include "colors.h"
#include "preset.h"

struct picker {
	struct strv all;       /* rustc's targets not in the settings yet */
	size_t *shown;         /* indexes into all that match the filter */
	size_t nshown, sel, top;
	struct lineedit filter;
};

static void picker_free(struct picker *p)
{
	if (!p)
		return;
	strv_fini(&p->all);
	free(p->shown);
	lineedit_fini(&p->filter);
	free(p);
}

/* Every word of the filter must appear in the triple. */
static void refilter(struct picker *p)
{
	struct strv words;

	strv_init(&words);
	strv_split_words(&words, p->filter.text.data);
	p->nshown = 0;
	for (size_t i = 0; i < p->all.n; i++) {
		size_t w;

		for (w = 0; w < words.n; w++)
			if (!strstr(p->all.v[i], words.v[w]))
				break;
		if (w == words.n)
			p->shown[p->nshown++] = i;
	}
	strv_fini(&words);
	if (p->sel >= p->nshown)
		p->sel = p->nshown ? p->nshown - 1 : 0;
}

static void picker_open(struct app *a)
{
	struct picker *p = xcalloc(1, sizeof *p);
	struct target_settings defaults;
	struct strv known;
	struct cb_err err;

	/* The list comes from the rustc the builds use. */
	config_resolve(&a->cfg, "x86_64-unknown-linux-gnu", &defaults);
	strv_init(&known);
	if (triple_list_known(defaults.rustc, &known, &err) < 0) {
		app_status(a, 1, "cannot list targets: %s", err.msg);
		target_settings_fini(&defaults);
		strv_fini(&known);
		free(p);
		return;
	}
	target_settings_fini(&defaults);
	strv_init(&p->all);
	for (size_t i = 0; i < known.n; i++)
		if (!config_target(&a->cfg, known.v[i]))
			strv_push(&p->all, known.v[i]);
	strv_fini(&known);
	p->shown = xcalloc(p->all.n + 1, sizeof *p->shown);
	lineedit_init(&p->filter);
	refilter(p);
	picker_free(a->picker);
	a->picker = p;
	a->mode = MODE_PICKER;
	a->dirty |= DIRTY_OVERLAY;
}

static void picker_draw(struct app *a)
{
	struct picker *p = a->picker;
	int h = LINES - 4, w = COLS > 60 ? 60 : COLS - 2, y0 = 2, x0 = (COLS - w) / 2;
	int list_h;
	WINDOW *win;

	if (!p || h < 5 || w < 20)
		return;
	win = newwin(h, w, y0, x0);
	wbkgd(win, (chtype)colors_slot(THEME_NORMAL));
	wattrset(win, (int)colors_slot(THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, (int)colors_slot(THEME_TITLE));
	mvwprintw(win, 0, 2, " add a target: %zu of %zu ", p->nshown, p->all.n);
	wattrset(win, (int)colors_slot(THEME_NORMAL));
	mvwaddstr(win, 1, 2, "filter:");
	list_h = h - 4;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)list_h)
		p->top = p->sel - (size_t)list_h + 1;
	for (int i = 0; i < list_h && p->top + (size_t)i < p->nshown; i++) {
		size_t k = p->top + (size_t)i;

		wattrset(win, (int)colors_slot(k == p->sel ? THEME_SELECTED : THEME_NORMAL));
		mvwprintw(win, 3 + i, 2, "%-*.*s", w - 4, w - 4, p->all.v[p->shown[k]]);
	}
	if (!p->nshown) {
		wattrset(win, (int)colors_slot(THEME_DIM));
		mvwaddnstr(win, 3, 2, "no target matches", w - 4);
	}
	lineedit_draw(&p->filter, win, 1, 10, w - 12, colors_slot(THEME_INPUT), 1);
	wnoutrefresh(win);
	delwin(win);
}

static void picker_key(struct app *a, int is_key, wint_t ch)
{
	struct picker *p = a->picker;
	enum key_action act = keys_lookup(KC_PICKER, is_key, (int)ch);

	if (!is_key && ch == '\r')
		act = ACT_ACCEPT;
	if (is_key && ch == KEY_ENTER)
		act = ACT_ACCEPT;
	if (act == ACT_BACK && !is_key) {
		a->mode = MODE_NORMAL;
		a->dirty |= DIRTY_ALL;
		return;
	}
	if (act == ACT_UP && is_key) {
		if (p->sel > 0)
			p->sel--;
	} else if (act == ACT_DOWN && is_key) {
		if (p->sel + 1 < p->nshown)
			p->sel++;
	} else if (act == ACT_ACCEPT) {
		struct cb_err err;
		char triple[TRIPLE_MAX];

		if (!p->nshown)
			return;
		snprintf(triple, sizeof triple, "%s", p->all.v[p->shown[p->sel]]);
		a->mode = MODE_NORMAL;
		if (config_add_target(&a->cfg, CONFIG_LEVEL_PROJECT, triple, &err) < 0) {
			app_status(a, 1, "%s", err.msg);
		} else {
			struct strv written;
			struct buf keys;
			int n;

			/* The preset for this host, as far as its tools are
			 * here (asked of the doctor's toolchain: its own
			 * again once its checks are done). */
			app_doctor_wait(a);
			strv_init(&written);
			buf_init(&keys);
			n = a->tc ? preset_fill_with(a->tc, &a->cfg, CONFIG_LEVEL_PROJECT,
						     triple, &written, &err) : 0;
			for (size_t i = 0; i < written.n; i++)
				buf_printf(&keys, "%s%s", i ? ", " : "", written.v[i]);
			app_reload(a);
			for (size_t i = 0; i < a->nrows; i++)
				if (!strcmp(a->rows[i].triple, triple))
					a->sel = i;
			if (n < 0)
				app_status(a, 1, "%s added, but its preset: %s", triple, err.msg);
			else if (n > 0)
				app_status(a, 0, "%s added to .crossbench with %s from the preset "
					   "(e edits, b builds)", triple, keys.data);
			else
				app_status(a, 0, "%s added to .crossbench (e edits its settings, "
					   "b builds it)", triple);
			buf_fini(&keys);
			strv_fini(&written);
		}
		a->dirty |= DIRTY_ALL;
		return;
	} else if (lineedit_key(&p->filter, is_key, ch)) {
		refilter(p);
	}
	a->dirty |= DIRTY_OVERLAY;
}

static int picker_pane_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)act;
	picker_key(a, is_key, ch);
	return 1;
}

static int picker_act(struct app *a, const struct action *ac)
{
	if (ac->kind != ACTION_PICK)
		return 0;
	picker_open(a);
	return 1;
}

static void picker_close(struct app *a)
{
	picker_free(a->picker);
	a->picker = NULL;
}

const struct pane_ops picker_pane = {
	"add target", picker_draw, picker_pane_key, NULL, picker_act, picker_close,
};
