/* editor.c - the settings form of one target: every per-target key.
 *
 * Values are edited as config_format_value() shows them; list keys (env,
 * libpath) show their entries separated by " ; ".  A tool that is not on
 * PATH is flagged as you type; Tab completes program names from PATH.
 * Saving asks where: the project's .crossbench or the user config.
 */
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "pane.h"
#include "colors.h"
#include "proc.h"

struct editor {
	char triple[TRIPLE_MAX];
	struct lineedit field[CONFIG_NKEYS];
	char *orig[CONFIG_NKEYS];
	enum config_level origin[CONFIG_NKEYS];
	int cur, top;
	char note[1200];           /* completion candidates, or saving errors */
	int note_error;
};

static const char *const level_names[] = { "default", "user", "project" };

static int is_list(enum config_key k)
{
	enum config_type t = config_key_info(k)->type;

	return t == CONFIG_LIST || t == CONFIG_ENVLIST;
}

/* "a\nb" <-> "a ; b" */
static void to_display(enum config_key k, const char *v, struct buf *out)
{
	if (!is_list(k)) {
		buf_puts(out, v);
		return;
	}
	for (; *v; v++) {
		if (*v == '\n')
			buf_puts(out, " ; ");
		else
			buf_putc(out, *v);
	}
}

static char *from_display(enum config_key k, const char *v)
{
	struct buf b;
	struct strv parts;
	const char *p = v;

	if (!is_list(k))
		return xstrdup(v);
	buf_init(&b);
	strv_init(&parts);
	while (*p) {
		size_t l = strcspn(p, ";");
		const char *s = p, *e = p + l;

		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s)
			strv_pushn(&parts, s, (size_t)(e - s));
		p += l;
		if (*p)
			p++;
	}
	for (size_t i = 0; i < parts.n; i++)
		buf_printf(&b, "%s%s", i ? "\n" : "", parts.v[i]);
	strv_fini(&parts);
	return buf_detach(&b);
}

static void editor_free(struct editor *e)
{
	if (!e)
		return;
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		lineedit_fini(&e->field[k]);
		free(e->orig[k]);
	}
	free(e);
}

static void editor_open(struct app *a, const char *triple)
{
	struct editor *e = xcalloc(1, sizeof *e);
	struct target_settings ts;

	snprintf(e->triple, sizeof e->triple, "%s", triple);
	config_resolve(&a->cfg, triple, &ts);
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		struct buf v, d;

		buf_init(&v);
		buf_init(&d);
		config_format_value(&ts, (enum config_key)k, &v);
		to_display((enum config_key)k, v.data ? v.data : "", &d);
		lineedit_init(&e->field[k]);
		lineedit_set(&e->field[k], d.data ? d.data : "");
		e->orig[k] = xstrdup(d.data ? d.data : "");
		e->origin[k] = ts.origin[k];
		buf_fini(&v);
		buf_fini(&d);
	}
	target_settings_fini(&ts);
	editor_free(a->editor);
	a->editor = e;
	a->mode = MODE_EDITOR;
	a->dirty |= DIRTY_OVERLAY;
}

/* What is wrong with the field's text now, or NULL. */
static const char *check(struct editor *e, int k, char *msg, size_t n, int *warn)
{
	const struct config_key_info *info = config_key_info((enum config_key)k);
	const char *text = e->field[k].text.data;
	struct cb_err err;
	char *v;

	*warn = 0;
	if (!text[0])
		return NULL;
	v = from_display((enum config_key)k, text);
	if (config_validate((enum config_key)k, v, &err) < 0) {
		snprintf(msg, n, "%s", err.msg);
		free(v);
		return msg;
	}
	free(v);
	if (info->type == CONFIG_TOOL) {
		struct strv w;
		char *path;

		/* A tool may carry arguments ("ccache gcc"): look up the first word. */
		strv_init(&w);
		strv_split_words(&w, text);
		path = w.n ? proc_which(w.v[0], NULL) : NULL;
		if (w.n && !path) {
			snprintf(msg, n, "%s is not on PATH", w.v[0]);
			*warn = 1;
		}
		free(path);
		strv_fini(&w);
		return *warn ? msg : NULL;
	}
	return NULL;
}

static void editor_draw(struct app *a)
{
	struct editor *e = a->editor;
	int h = LINES - 2, w = COLS, label = 16, rows, y;
	WINDOW *win;
	char msg[1100];

	if (!e || h < 6 || w < 30)
		return;
	win = newwin(h, w, 1, 0);
	wbkgd(win, (chtype)colors_slot(THEME_NORMAL));
	wattrset(win, (int)colors_slot(THEME_BORDER));
	box(win, 0, 0);
	wattrset(win, (int)colors_slot(THEME_TITLE));
	mvwprintw(win, 0, 2, " settings: %s ", e->triple);
	rows = h - 5;
	if (e->cur < e->top)
		e->top = e->cur;
	if (e->cur >= e->top + rows)
		e->top = e->cur - rows + 1;
	for (int i = 0; i < rows && e->top + i < CONFIG_NKEYS; i++) {
		int k = e->top + i, warn;
		const struct config_key_info *info = config_key_info((enum config_key)k);
		const char *bad = check(e, k, msg, sizeof msg, &warn);
		int changed = strcmp(e->field[k].text.data, e->orig[k]) != 0;
		int vw = w - label - 16;

		y = 1 + i;
		wattrset(win, (int)colors_slot(k == e->cur ? THEME_KEY : THEME_NORMAL));
		mvwprintw(win, y, 2, "%-*s", label - 2, info->name);
		if (k != e->cur)
			lineedit_draw(&e->field[k], win, y, label, vw,
				      colors_slot(changed ? THEME_INPUT : THEME_NORMAL), 0);
		wattrset(win, (int)colors_slot(bad ? (warn ? THEME_WARN : THEME_ERROR) : THEME_DIM));
		mvwprintw(win, y, label + vw + 1, "%-12.12s",
			  bad ? (warn ? "not on PATH" : "invalid")
			      : changed ? "changed" : level_names[e->origin[k]]);
	}
	/* The current field's help, its problem, and the keys. */
	{
		int warn;
		const char *bad = check(e, e->cur, msg, sizeof msg, &warn);
		const struct config_key_info *info = config_key_info((enum config_key)e->cur);

		wattrset(win, (int)colors_slot(THEME_DIM));
		mvwaddnstr(win, h - 4, 2, info->help, w - 4);
		if (e->note[0]) {
			wattrset(win, (int)colors_slot(e->note_error ? THEME_ERROR : THEME_NORMAL));
			mvwaddnstr(win, h - 3, 2, e->note, w - 4);
		} else if (bad) {
			wattrset(win, (int)colors_slot(warn ? THEME_WARN : THEME_ERROR));
			mvwaddnstr(win, h - 3, 2, bad, w - 4);
		}
		wattrset(win, (int)colors_slot(THEME_KEY));
		mvwaddnstr(win, h - 2, 2, "Up/Down move  Tab complete  ^S save  Esc discard"
			   "  lists: entries separated by ;", w - 4);
	}
	/* The field being edited last, so the cursor stays there. */
	if (e->cur >= e->top && e->cur < e->top + rows) {
		int vw = w - label - 16;

		lineedit_draw(&e->field[e->cur], win, 1 + e->cur - e->top, label, vw,
			      colors_slot(THEME_INPUT), 1);
	}
	wnoutrefresh(win);
	delwin(win);
}

static void complete(struct editor *e)
{
	struct lineedit *le = &e->field[e->cur];
	struct strv found;
	size_t common;

	e->note[0] = '\0';
	if (config_key_info((enum config_key)e->cur)->type != CONFIG_TOOL) {
		snprintf(e->note, sizeof e->note, "Tab completes program names in the tool fields");
		return;
	}
	strv_init(&found);
	proc_path_complete(le->text.data, NULL, &found);
	if (!found.n) {
		snprintf(e->note, sizeof e->note, "no program on PATH starts with '%s'",
			 le->text.data);
		strv_fini(&found);
		return;
	}
	common = strlen(found.v[0]);
	for (size_t i = 1; i < found.n; i++) {
		size_t c = 0;

		while (c < common && found.v[i][c] == found.v[0][c])
			c++;
		common = c;
	}
	if (common > le->text.len) {
		char *pre = xstrndup(found.v[0], common);

		lineedit_set(le, pre);
		free(pre);
	}
	if (found.n > 1) {
		size_t len = 0;

		for (size_t i = 0; i < found.n && len + 2 < sizeof e->note; i++)
			len += (size_t)snprintf(e->note + len, sizeof e->note - len, "%s%s",
						i ? "  " : "", found.v[i]);
	}
	strv_fini(&found);
}

static int changed_fields(const struct editor *e)
{
	int n = 0;

	for (int k = 0; k < CONFIG_NKEYS; k++)
		n += strcmp(e->field[k].text.data, e->orig[k]) != 0;
	return n;
}

static void save_answer(struct app *a, int key)
{
	struct editor *e = a->editor;
	enum config_level level = key == 'u' ? CONFIG_LEVEL_USER : CONFIG_LEVEL_PROJECT;
	int saved = 0;

	if (key != 'p' && key != 'u') {
		a->mode = MODE_EDITOR;
		a->dirty |= DIRTY_OVERLAY;
		return;
	}
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		struct cb_err err;
		char *v;

		if (!strcmp(e->field[k].text.data, e->orig[k]))
			continue;
		v = from_display((enum config_key)k, e->field[k].text.data);
		if (config_set(&a->cfg, level, e->triple, (enum config_key)k, v, &err) < 0) {
			snprintf(e->note, sizeof e->note, "%s", err.msg);
			e->note_error = 1;
			e->cur = k;
			free(v);
			a->mode = MODE_EDITOR;
			a->dirty |= DIRTY_OVERLAY;
			return;
		}
		free(v);
		saved++;
	}
	a->mode = MODE_NORMAL;
	app_status(a, 0, "%d setting%s of %s saved to %s", saved, saved == 1 ? "" : "s",
		   e->triple, a->cfg.path[level] ? a->cfg.path[level] : "?");
	editor_free(e);
	a->editor = NULL;
	app_reload(a);
}

static void editor_key(struct app *a, int is_key, wint_t ch)
{
	struct editor *e = a->editor;
	enum key_action act = keys_lookup(KC_EDITOR, is_key, (int)ch);

	if (!is_key && ch == '\r')
		act = ACT_NEXT_FIELD;
	/* Characters that are also editing keys stay characters. */
	if (!is_key && act != ACT_NONE && ch != '\t' && ch != '\n' && ch != '\r' &&
	    ch != 27 && ch != ('s' & 0x1f))
		act = ACT_NONE;
	if (is_key && act != ACT_NEXT_FIELD && act != ACT_PREV_FIELD && act != ACT_SAVE)
		act = ACT_NONE;
	switch (act) {
	case ACT_NEXT_FIELD:
		e->cur = (e->cur + 1) % CONFIG_NKEYS;
		e->note[0] = '\0';
		break;
	case ACT_PREV_FIELD:
		e->cur = (e->cur + CONFIG_NKEYS - 1) % CONFIG_NKEYS;
		e->note[0] = '\0';
		break;
	case ACT_COMPLETE:
		complete(e);
		break;
	case ACT_SAVE: {
		int n = changed_fields(e);
		char q[256];

		if (!n) {
			a->mode = MODE_NORMAL;
			app_status(a, 0, "nothing changed");
			editor_free(e);
			a->editor = NULL;
			a->dirty |= DIRTY_ALL;
			return;
		}
		for (int k = 0; k < CONFIG_NKEYS; k++) {
			char msg[1100];
			int warn;

			if (check(e, k, msg, sizeof msg, &warn) && !warn) {
				e->cur = k;
				snprintf(e->note, sizeof e->note, "fix this first: %s", msg);
				e->note_error = 1;
				a->dirty |= DIRTY_OVERLAY;
				return;
			}
		}
		snprintf(q, sizeof q, "save %d change%s to [p] the project's .crossbench or "
			 "[u] your user config? (Esc: keep editing)", n, n == 1 ? "" : "s");
		app_ask(a, q, "pu", save_answer);
		return;
	}
	case ACT_BACK:
		a->mode = MODE_NORMAL;
		app_status(a, 0, changed_fields(e) ? "changes discarded" : "%s", "");
		editor_free(e);
		a->editor = NULL;
		a->dirty |= DIRTY_ALL;
		return;
	default:
		if (lineedit_key(&e->field[e->cur], is_key, ch))
			e->note[0] = '\0';
		break;
	}
	e->note_error = 0;
	a->dirty |= DIRTY_OVERLAY;
}

static int editor_pane_key(struct app *a, enum key_action act, int is_key, wint_t ch)
{
	(void)act;
	editor_key(a, is_key, ch);
	return 1;
}

static int editor_act(struct app *a, const struct action *ac)
{
	if (ac->kind != ACTION_EDIT || !ac->triple)
		return 0;
	editor_open(a, ac->triple);
	return 1;
}

static void editor_close(struct app *a)
{
	editor_free(a->editor);
	a->editor = NULL;
}

const struct pane_ops editor_pane = {
	"settings", editor_draw, editor_pane_key, NULL, editor_act, editor_close,
};
