/* theme.c - theme files and colour arithmetic (no curses here). */
#include "theme.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const slot_names[] = {
#define X(e, name, help) name,
	THEME_SLOTS(X)
#undef X
};

const char *theme_slot_name(enum theme_slot s)
{
	return s < THEME_NSLOTS ? slot_names[s] : "?";
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* The xterm-256 palette's RGB. */
static void xterm_rgb(int c, int *r, int *g, int *b)
{
	static const int base[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 }, { 229, 229, 229 },
		{ 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 }, { 255, 255, 0 },
		{ 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		*r = base[c][0]; *g = base[c][1]; *b = base[c][2];
	} else if (c < 232) {
		c -= 16;
		*r = steps[c / 36]; *g = steps[(c / 6) % 6]; *b = steps[c % 6];
	} else {
		*r = *g = *b = 8 + (c - 232) * 10;
	}
}

static int nearest_in(int r, int g, int b, int lo, int hi)
{
	long best = -1;
	int bi = lo;

	for (int c = lo; c < hi; c++) {
		int cr, cg, cb;
		long d;

		xterm_rgb(c, &cr, &cg, &cb);
		d = (long)(cr - r) * (cr - r) + (long)(cg - g) * (cg - g) +
		    (long)(cb - b) * (cb - b);
		if (best < 0 || d < best) {
			best = d;
			bi = c;
		}
	}
	return bi;
}

int theme_nearest_256(int r, int g, int b)
{
	/* The 16 system colours differ between terminals; a #rrggbb means a
	 * definite colour, so pick from the fixed cube and grey ramp. */
	return nearest_in(r, g, b, 16, 256);
}

int theme_map_color(int c, int ncolors)
{
	int r, g, b;

	if (c < 0 || c >= ncolors)
		;
	else
		return c;
	if (c < 0)
		return -1;
	xterm_rgb(c, &r, &g, &b);
	return nearest_in(r, g, b, 0, ncolors >= 16 ? 16 : 8);
}

static int parse_color(const char *s, short *out)
{
	char *end;
	long v;

	if (!strcmp(s, "default") || !strcmp(s, "-")) {
		*out = THEME_DEFAULT_COLOR;
		return 0;
	}
	for (int bright = 0; bright < 2; bright++) {
		const char *n = s;

		if (bright) {
			if (strncmp(s, "bright-", 7) && strncmp(s, "bright", 6))
				continue;
			n = s + (s[6] == '-' ? 7 : 6);
		}
		for (int i = 0; i < 8; i++)
			if (!strcmp(n, color_names[i])) {
				*out = (short)(i + 8 * bright);
				return 0;
			}
	}
	if (s[0] == '#' && strlen(s) == 7) {
		unsigned r, g, b;

		if (sscanf(s + 1, "%2x%2x%2x", &r, &g, &b) == 3 &&
		    strspn(s + 1, "0123456789abcdefABCDEF") == 6) {
			*out = (short)theme_nearest_256((int)r, (int)g, (int)b);
			return 0;
		}
		return -1;
	}
	v = strtol(s, &end, 10);
	if (end != s && !*end && v >= 0 && v <= 255) {
		*out = (short)v;
		return 0;
	}
	return -1;
}

static int parse_attrs(const char *s, unsigned *out)
{
	static const struct { const char *name; unsigned a; } attrs[] = {
		{ "bold", THEME_A_BOLD }, { "dim", THEME_A_DIM }, { "italic", THEME_A_ITALIC },
		{ "underline", THEME_A_UNDERLINE }, { "reverse", THEME_A_REVERSE },
		{ "standout", THEME_A_STANDOUT },
	};
	char tmp[128];
	char *save, *w;

	*out = 0;
	if (!strcmp(s, "-") || !strcmp(s, "none"))
		return 0;
	snprintf(tmp, sizeof tmp, "%s", s);
	for (w = strtok_r(tmp, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof attrs / sizeof *attrs; i++)
			if (!strcmp(w, attrs[i].name))
				break;
		if (i == sizeof attrs / sizeof *attrs)
			return -1;
		*out |= attrs[i].a;
	}
	return 0;
}

void theme_builtin(struct theme *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "dark");
	for (int i = 0; i < THEME_NSLOTS; i++)
		t->slot[i] = (struct theme_spec){ THEME_DEFAULT_COLOR, THEME_DEFAULT_COLOR, 0 };
	/* themes/dark.theme's lines, made into strings by the build, so an
	 * install without data files still looks right. */
	static const char *const lines[] = {
#include "dark_theme.inc"
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		theme_parse_line(t, lines[i], NULL);
}

int theme_parse_line(struct theme *t, const char *line, struct cb_err *err)
{
	char slot[64], fg[64], bg[64], at[128];
	int n, s;
	struct theme_spec spec;

	n = sscanf(line, " %63s %63s %63s %127s", slot, fg, bg, at);
	if (n < 3)
		return cb_err_set(err, CB_ERR_PARSE,
				  "expected 'slot fg bg [attrs]', got '%s'", line);
	for (s = 0; s < THEME_NSLOTS; s++)
		if (!strcmp(slot, slot_names[s]))
			break;
	if (s == THEME_NSLOTS)
		return cb_err_set(err, CB_ERR_PARSE, "unknown slot '%s'", slot);
	if (parse_color(fg, &spec.fg) < 0)
		return cb_err_set(err, CB_ERR_PARSE, "unknown colour '%s'", fg);
	if (parse_color(bg, &spec.bg) < 0)
		return cb_err_set(err, CB_ERR_PARSE, "unknown colour '%s'", bg);
	spec.attrs = 0;
	if (n == 4 && parse_attrs(at, &spec.attrs) < 0)
		return cb_err_set(err, CB_ERR_PARSE, "unknown attribute in '%s'", at);
	t->slot[s] = spec;
	return 0;
}

int theme_load(struct theme *t, const char *dir, const char *name,
	       struct buf *problems, struct cb_err *err)
{
	char path[4096], line[512];
	FILE *f;
	int lineno = 0;

	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return cb_err_set(err, CB_ERR_USAGE, "theme '%s': not a theme name", name);
	snprintf(path, sizeof path, "%s/%s.theme", dir, name);
	f = fopen(path, "r");
	if (!f)
		return cb_err_sys(err, "%s", path);
	theme_builtin(t);
	snprintf(t->name, sizeof t->name, "%s", name);
	while (fgets(line, sizeof line, f)) {
		char *hash = strchr(line, '#');
		struct cb_err lerr;

		lineno++;
		/* '#' starts a comment unless it starts a colour. */
		while (hash && hash > line && !isspace((unsigned char)hash[-1]))
			hash = strchr(hash + 1, '#');
		if (hash && (hash == line || isspace((unsigned char)hash[-1])) &&
		    !(isxdigit((unsigned char)hash[1]) && strlen(hash) >= 7 &&
		      strspn(hash + 1, "0123456789abcdefABCDEF") == 6))
			*hash = '\0';
		line[strcspn(line, "\r\n")] = '\0';
		if (strspn(line, " \t") == strlen(line))
			continue;
		if (theme_parse_line(t, line, &lerr) < 0 && problems)
			buf_printf(problems, "%s:%d: %s\n", path, lineno, lerr.msg);
	}
	fclose(f);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void theme_list(const char *dir, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t first = out->n;

	while (d && (de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 6 && !strcmp(de->d_name + l - 6, ".theme"))
			strv_pushn(out, de->d_name, l - 6);
	}
	if (d)
		closedir(d);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof *out->v, cmp_str);
}

