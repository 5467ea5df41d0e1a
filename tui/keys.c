/* keys.c - the key table and what is made from it. */
#include "keys.h"

#include <curses.h>
#include <string.h>

#define CTRL(c) ((c) & 0x1f)

static const struct key_binding table[] = {
	{ KC_GLOBAL, 'q', "q", ACT_QUIT },
	{ KC_GLOBAL, '?', "?", ACT_HELP },
	{ KC_GLOBAL, 't', "t", ACT_THEME },
	{ KC_GLOBAL, 'A', "A", ACT_ALLOW },
	{ KC_GLOBAL, '\t', "Tab", ACT_FOCUS_NEXT },
	{ KC_GLOBAL, KEY_BTAB, "Shift-Tab", ACT_FOCUS_PREV },
	{ KC_GLOBAL, CTRL('l'), "^L", ACT_REDRAW },
	{ KC_GLOBAL, 'B', "B", ACT_BUILD_ALL },
	{ KC_GLOBAL, 'C', "C", ACT_CANCEL_ALL },
	{ KC_GLOBAL, 'r', "r", ACT_PROFILE },
	{ KC_GLOBAL, 's', "s", ACT_SPLIT },

	{ KC_MATRIX, 'k', "k", ACT_UP },
	{ KC_MATRIX, KEY_UP, "Up", ACT_UP },
	{ KC_MATRIX, 'j', "j", ACT_DOWN },
	{ KC_MATRIX, KEY_DOWN, "Down", ACT_DOWN },
	{ KC_MATRIX, 'g', "g", ACT_FIRST },
	{ KC_MATRIX, KEY_HOME, "Home", ACT_FIRST },
	{ KC_MATRIX, 'G', "G", ACT_LAST },
	{ KC_MATRIX, KEY_END, "End", ACT_LAST },
	{ KC_MATRIX, ' ', "space", ACT_TOGGLE },
	{ KC_MATRIX, 'a', "a", ACT_ADD },
	{ KC_MATRIX, 'd', "d", ACT_DELETE },
	{ KC_MATRIX, 'b', "b", ACT_BUILD },
	{ KC_MATRIX, 'c', "c", ACT_CANCEL },
	{ KC_MATRIX, 'x', "x", ACT_SMOKE },
	{ KC_MATRIX, 'h', "h", ACT_HISTORY },
	{ KC_MATRIX, 'e', "e", ACT_EDIT },
	{ KC_MATRIX, '\n', "Enter", ACT_OPEN_LOG },
	{ KC_MATRIX, KEY_ENTER, "Enter", ACT_OPEN_LOG },
	{ KC_MATRIX, 'f', "f", ACT_FIX },
	{ KC_MATRIX, 'o', "o", ACT_OPEN_FILE },
	{ KC_MATRIX, 'w', "w", ACT_WATCH },

	{ KC_LOG, 'k', "k", ACT_UP },
	{ KC_LOG, KEY_UP, "Up", ACT_UP },
	{ KC_LOG, 'j', "j", ACT_DOWN },
	{ KC_LOG, KEY_DOWN, "Down", ACT_DOWN },
	{ KC_LOG, KEY_PPAGE, "PgUp", ACT_PAGE_UP },
	{ KC_LOG, CTRL('b'), "^B", ACT_PAGE_UP },
	{ KC_LOG, KEY_NPAGE, "PgDn", ACT_PAGE_DOWN },
	{ KC_LOG, CTRL('f'), "^F", ACT_PAGE_DOWN },
	{ KC_LOG, ' ', "space", ACT_PAGE_DOWN },
	{ KC_LOG, 'g', "g", ACT_FIRST },
	{ KC_LOG, KEY_HOME, "Home", ACT_FIRST },
	{ KC_LOG, 'G', "G", ACT_LAST },
	{ KC_LOG, KEY_END, "End", ACT_LAST },
	{ KC_LOG, 'F', "F", ACT_FOLLOW },
	{ KC_LOG, 'h', "h", ACT_LEFT },
	{ KC_LOG, KEY_LEFT, "Left", ACT_LEFT },
	{ KC_LOG, 'l', "l", ACT_RIGHT },
	{ KC_LOG, KEY_RIGHT, "Right", ACT_RIGHT },
	{ KC_LOG, 'w', "w", ACT_FOLD },
	{ KC_LOG, '/', "/", ACT_SEARCH },
	{ KC_LOG, 'n', "n", ACT_NEXT_MATCH },
	{ KC_LOG, 'N', "N", ACT_PREV_MATCH },
	{ KC_LOG, 'b', "b", ACT_BUILD },
	{ KC_LOG, 'x', "x", ACT_SMOKE },
	{ KC_LOG, 'f', "f", ACT_FIX },
	{ KC_LOG, 27, "Esc", ACT_BACK },

	{ KC_DIAG, 'k', "k", ACT_UP },
	{ KC_DIAG, KEY_UP, "Up", ACT_UP },
	{ KC_DIAG, 'j', "j", ACT_DOWN },
	{ KC_DIAG, KEY_DOWN, "Down", ACT_DOWN },
	{ KC_DIAG, '\n', "Enter", ACT_JUMP },
	{ KC_DIAG, KEY_ENTER, "Enter", ACT_JUMP },
	{ KC_DIAG, 'f', "f", ACT_FIX },
	{ KC_DIAG, 'o', "o", ACT_OPEN_FILE },
	{ KC_DIAG, 'b', "b", ACT_BUILD },
	{ KC_DIAG, 'x', "x", ACT_SMOKE },
	{ KC_DIAG, 'h', "h", ACT_HISTORY },
	{ KC_DIAG, 'w', "w", ACT_WATCH },
	{ KC_DIAG, 27, "Esc", ACT_BACK },

	{ KC_EDITOR, KEY_DOWN, "Down", ACT_NEXT_FIELD },
	{ KC_EDITOR, '\n', "Enter", ACT_NEXT_FIELD },
	{ KC_EDITOR, KEY_UP, "Up", ACT_PREV_FIELD },
	{ KC_EDITOR, KEY_BTAB, "Shift-Tab", ACT_PREV_FIELD },
	{ KC_EDITOR, '\t', "Tab", ACT_COMPLETE },
	{ KC_EDITOR, CTRL('s'), "^S", ACT_SAVE },
	{ KC_EDITOR, KEY_F(2), "F2", ACT_SAVE },
	{ KC_EDITOR, 27, "Esc", ACT_BACK },
	{ KC_EDITOR, 0, "keys", ACT_EDIT_KEYS },

	{ KC_PICKER, 0, "letters", ACT_FILTER },
	{ KC_PICKER, KEY_UP, "Up", ACT_UP },
	{ KC_PICKER, KEY_DOWN, "Down", ACT_DOWN },
	{ KC_PICKER, '\n', "Enter", ACT_ACCEPT },
	{ KC_PICKER, KEY_ENTER, "Enter", ACT_ACCEPT },
	{ KC_PICKER, 27, "Esc", ACT_BACK },

	{ KC_PROMPT, '\n', "Enter", ACT_ACCEPT },
	{ KC_PROMPT, KEY_ENTER, "Enter", ACT_ACCEPT },
	{ KC_PROMPT, 27, "Esc", ACT_BACK },
	{ KC_PROMPT, 0, "keys", ACT_EDIT_KEYS },
};

static const char *const context_titles[] = {
#define X(e, title) title,
	KEY_CONTEXTS(X)
#undef X
};

static const char *const action_help[] = {
	"",
#define X(e, hint, help) help,
	KEY_ACTIONS(X)
#undef X
};

static const char *const action_hint[] = {
	"",
#define X(e, hint, help) hint,
	KEY_ACTIONS(X)
#undef X
};

const char *keys_action_hint(enum key_action a)
{
	return a < ACT_COUNT ? action_hint[a] : "";
}

const struct key_binding *keys_table(size_t *n)
{
	*n = sizeof table / sizeof *table;
	return table;
}

const char *keys_context_title(enum key_context ctx)
{
	return ctx < KC_NCONTEXTS ? context_titles[ctx] : "";
}

const char *keys_action_help(enum key_action a)
{
	return a < ACT_COUNT ? action_help[a] : "";
}

/* Curses key codes start at KEY_MIN; the table's characters are below. */
static int is_keycode(int code)
{
	return code >= KEY_MIN;
}

enum key_action keys_lookup(enum key_context ctx, int is_key, int code)
{
	if (!code || is_keycode(code) != !!is_key)
		return ACT_NONE;
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (table[i].ctx == ctx && table[i].code == code)
			return table[i].action;
	if (ctx == KC_MATRIX || ctx == KC_LOG || ctx == KC_DIAG)
		for (size_t i = 0; i < sizeof table / sizeof *table; i++)
			if (table[i].ctx == KC_GLOBAL && table[i].code == code)
				return table[i].action;
	return ACT_NONE;
}

void keys_names(enum key_context ctx, enum key_action a, struct buf *out)
{
	size_t start = out->len;

	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		int dup = 0;

		if (table[i].ctx != ctx || table[i].action != a)
			continue;
		/* Enter is bound twice (\n and KEY_ENTER): name it once. */
		for (size_t k = 0; k < i; k++)
			if (table[k].ctx == ctx && table[k].action == a &&
			    !strcmp(table[k].name, table[i].name))
				dup = 1;
		if (dup)
			continue;
		if (out->len > start)
			buf_puts(out, ", ");
		buf_puts(out, table[i].name);
	}
}

/* Each action once per context, in table order. */
static void each_action(enum key_context ctx,
			void (*fn)(void *arg, enum key_context, enum key_action),
			void *arg)
{
	int seen[ACT_COUNT] = { 0 };

	for (size_t i = 0; i < sizeof table / sizeof *table; i++) {
		if (table[i].ctx != ctx || seen[table[i].action])
			continue;
		seen[table[i].action] = 1;
		fn(arg, ctx, table[i].action);
	}
}

static void help_line(void *arg, enum key_context ctx, enum key_action a)
{
	struct buf *out = arg;
	struct buf names;

	buf_init(&names);
	keys_names(ctx, a, &names);
	buf_printf(out, "  %-16s %s\n", names.data, keys_action_help(a));
	buf_fini(&names);
}

void keys_help_text(struct buf *out)
{
	for (int c = 0; c < KC_NCONTEXTS; c++) {
		buf_printf(out, "%s\n", keys_context_title((enum key_context)c));
		each_action((enum key_context)c, help_line, out);
		buf_putc(out, '\n');
	}
}

static void mdoc_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
	}
}

static void mdoc_line(void *arg, enum key_context ctx, enum key_action a)
{
	FILE *f = arg;
	struct buf names;

	buf_init(&names);
	keys_names(ctx, a, &names);
	fputs(".It ", f);
	/* A leading dot or quote would be read as a request. */
	if (names.data[0] == '.' || names.data[0] == '\'')
		fputs("\\&", f);
	mdoc_escape(f, names.data);
	fputc('\n', f);
	mdoc_escape(f, keys_action_help(a));
	fputs(".\n", f);
	buf_fini(&names);
}

void keys_mdoc(FILE *f)
{
	fputs(".Sh KEYS\n"
	      "The workbench's keys, by where the focus is.\n"
	      "The same table makes the help screen\n"
	      ".Pq Ic \\&? .\n", f);
	for (int c = 0; c < KC_NCONTEXTS; c++) {
		fprintf(f, ".Ss %s\n.Bl -tag -width \"Shift-Tab\" -compact\n",
			keys_context_title((enum key_context)c));
		each_action((enum key_context)c, mdoc_line, f);
		fputs(".El\n", f);
	}
}
