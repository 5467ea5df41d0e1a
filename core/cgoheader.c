/* cgoheader.c - the functions a cgo-written C header declares.
 *
 * Not a C parser: a scan that drops comments, preprocessor lines and
 * literals, cuts the rest into statements at ';' (braces end a statement
 * too, so `extern "C" {` and struct bodies are no declarations), and takes
 * from each `extern ... name(...)` its name.  What cgo writes is regular;
 * anything else is skipped, never trusted: every statement is bounded by
 * CGO_DECL_MAX and every read by the input's length.  Braces are counted:
 * inside a struct or function body nothing is a declaration, inside
 * `extern "C" { }` everything is.
 */
#include "cgoheader.h"

#include <string.h>

#include "view.h"

#define MARKER "End of boilerplate cgo prologue."

struct scan {
	struct strv *out;
	int too_many;
	char decl[CGO_DECL_MAX];
	size_t len;
	int overflow;           /* the statement outgrew decl: skip it */
	size_t opaque;          /* open braces of bodies */
	size_t linkage;         /* open extern "C" blocks */
};

static int ident_char(unsigned char c)
{
	/* Bytes above 0x7f: UTF-8 identifiers, which cgo passes through. */
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static void put(struct scan *s, char c)
{
	if (c == ' ' && (!s->len || s->decl[s->len - 1] == ' '))
		return;
	if (s->len == sizeof s->decl)
		s->overflow = 1;
	else
		s->decl[s->len++] = c;
}

/* The token at or after i in d: its start in *ts and length in *tl (0 at
 * the end).  Identifiers are runs of ident_char; anything else is one
 * character.  Returns the index after it. */
static size_t token(const char *d, size_t len, size_t i, size_t *ts, size_t *tl)
{
	while (i < len && d[i] == ' ')
		i++;
	*ts = i;
	if (i == len) {
		*tl = 0;
		return i;
	}
	if (!ident_char((unsigned char)d[i])) {
		*tl = 1;
		return i + 1;
	}
	while (i < len && ident_char((unsigned char)d[i]))
		i++;
	*tl = i - *ts;
	return i;
}

static int word_is(const char *w, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(w, s, n);
}

/* Words that take a parenthesised argument that is no parameter list:
 * `extern __declspec(dllexport) char* HelloGreet(char* name);`. */
static int is_attribute(const char *w, size_t n)
{
	return word_is(w, n, "__declspec") || word_is(w, n, "__attribute__") ||
	       word_is(w, n, "__attribute") || word_is(w, n, "__asm__") ||
	       word_is(w, n, "asm");
}

static int is_keyword(const char *w, size_t n)
{
	static const char *const kw[] = {
		"void", "char", "short", "int", "long", "float", "double",
		"signed", "unsigned", "const", "volatile", "restrict", "struct",
		"union", "enum", "_Bool", "_Complex", "inline", "extern", "static",
		"typedef", NULL
	};

	for (const char *const *k = kw; *k; k++)
		if (word_is(w, n, *k))
			return 1;
	return 0;
}

/* After an attribute word: past its balanced (...) group, if one follows. */
static size_t skip_group(const char *d, size_t len, size_t i)
{
	size_t ts, tl, j = token(d, len, i, &ts, &tl);
	int depth = 1;

	if (tl != 1 || d[ts] != '(')
		return i;
	while (j < len && depth) {
		if (d[j] == '(')
			depth++;
		else if (d[j] == ')')
			depth--;
		j++;
	}
	return j;
}

/* One statement, without its ';': a function's name when it is
 * `extern <type> name(<args>)`. */
static void statement(struct scan *s)
{
	const char *d = s->decl, *name = NULL;
	size_t len = s->len, i, ts, tl, name_len = 0;
	unsigned before = 0, tokens = 0;

	if (s->overflow)
		return;
	i = token(d, len, 0, &ts, &tl);
	if (!word_is(d + ts, tl, "extern"))
		return;
	for (;;) {
		i = token(d, len, i, &ts, &tl);
		if (!tl)
			return;                 /* no '(': a variable */
		if (d[ts] == '(')
			break;
		if (d[ts] == '"')
			continue;               /* extern "C" */
		if (ident_char((unsigned char)d[ts]) && is_attribute(d + ts, tl)) {
			i = skip_group(d, len, i);
			continue;
		}
		if (ident_char((unsigned char)d[ts])) {
			name = d + ts;
			name_len = tl;
			before = tokens;
		} else {
			name = NULL;            /* `char *(` is no name */
		}
		tokens++;
	}
	token(d, len, i, &ts, &tl);
	/* `extern void (*fp)(int)`: a pointer, not a function. */
	if (tl == 1 && (d[ts] == '*' || d[ts] == '^'))
		return;
	if (!name || !before || is_keyword(name, name_len) ||
	    (name[0] >= '0' && name[0] <= '9'))
		return;
	for (size_t k = 0; k < s->out->n; k++)
		if (strlen(s->out->v[k]) == name_len &&
		    !memcmp(s->out->v[k], name, name_len))
			return;
	if (s->out->n >= CGO_NAMES_MAX) {
		s->too_many = 1;
		return;
	}
	strv_pushn(s->out, name, name_len);
}

/* Whether the statement so far is `extern "C"`, opening a block. */
static int is_linkage(const struct scan *s)
{
	size_t ts, tl, i = token(s->decl, s->len, 0, &ts, &tl);

	if (!word_is(s->decl + ts, tl, "extern"))
		return 0;
	i = token(s->decl, s->len, i, &ts, &tl);
	if (tl != 1 || s->decl[ts] != '"')
		return 0;
	token(s->decl, s->len, i, &ts, &tl);
	return tl == 0;
}

static void reset(struct scan *s)
{
	s->len = 0;
	s->overflow = 0;
}

/* The scan proper, from p[i] to the end. */
static void scan(struct scan *s, const unsigned char *p, size_t n, size_t i)
{
	int bol = 1;    /* only blanks since the line began */

	while (i < n) {
		unsigned char c = p[i];

		if (c == '/' && i + 1 < n && p[i + 1] == '*') {
			const unsigned char *e = memmem(p + i + 2, n - i - 2, "*/", 2);

			i = e ? (size_t)(e - p) + 2 : n;
			put(s, ' ');
		} else if (c == '/' && i + 1 < n && p[i + 1] == '/') {
			while (i < n && p[i] != '\n')
				i++;
		} else if (c == '#' && bol) {
			/* A directive, with its backslash-continued lines. */
			while (i < n && p[i] != '\n')
				i += p[i] == '\\' && i + 1 < n ? 2 : 1;
		} else if (c == '"' || c == '\'') {
			for (i++; i < n && p[i] != c && p[i] != '\n'; i++)
				if (p[i] == '\\' && i + 1 < n)
					i++;
			i += i < n && p[i] == c;
			put(s, '"');
			bol = 0;
		} else if (c == '{') {
			if (!s->opaque && is_linkage(s))
				s->linkage++;
			else
				s->opaque++;
			reset(s);
			i++;
			bol = 0;
		} else if (c == '}') {
			if (s->opaque)
				s->opaque--;
			else if (s->linkage)
				s->linkage--;
			reset(s);
			i++;
			bol = 0;
		} else if (c == ';') {
			if (!s->opaque)
				statement(s);
			reset(s);
			i++;
			bol = 0;
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
			   c == '\f' || c == '\v') {
			put(s, ' ');
			if (c == '\n')
				bol = 1;
			i++;
		} else {
			put(s, (char)c);
			bol = 0;
			i++;
		}
	}
}

int cgo_header_exports_mem(const void *data, size_t n, const char *name,
			   struct strv *names, struct cb_err *err)
{
	const unsigned char *p = data, *nul, *mark;
	struct scan s = { 0 };
	struct strv found;
	size_t start = 0;
	int rc = 0;

	if (!n)
		return cb_err_set(err, CB_ERR_PARSE, "%s: an empty file, not a C "
				  "header", name);
	if (n > CGO_HEADER_MAX)
		return cb_err_set(err, CB_ERR_PARSE, "%s: %zu bytes, more than a "
				  "C header of cgo's (%zu MiB at most)", name, n,
				  CGO_HEADER_MAX >> 20);
	if ((nul = memchr(p, 0, n))) {
		size_t line = 1;

		for (const unsigned char *q = p; q < nul; q++)
			line += *q == '\n';
		return cb_err_set(err, CB_ERR_PARSE, "%s:%zu: a binary file, not a "
				  "C header (a NUL byte at offset %zu)", name, line,
				  (size_t)(nul - p));
	}
	mark = memmem(p, n, MARKER, sizeof MARKER - 1);
	if (mark) {
		const unsigned char *e = memmem(mark, n - (size_t)(mark - p), "*/", 2);

		start = e ? (size_t)(e - p) + 2 : n;
	}
	strv_init(&found);
	s.out = &found;
	/* A statement the file ends inside (no ';') is no declaration. */
	scan(&s, p, n, start);
	if (s.too_many)
		rc = cb_err_set(err, CB_ERR_PARSE, "%s: more than %d functions "
				"declared, more than crossbench checks", name,
				CGO_NAMES_MAX);
	else if (!mark && !found.n)
		rc = cb_err_set(err, CB_ERR_PARSE, "%s: not a header cgo wrote: no "
				"'" MARKER "' comment and no extern function "
				"declaration", name);
	if (rc == 0)
		for (size_t i = 0; i < found.n; i++)
			strv_push(names, found.v[i]);
	strv_fini(&found);
	return rc;
}

int cgo_header_exports(const char *path, struct strv *names, struct cb_err *err)
{
	struct view_map m;
	int rc;

	if (view_map_init(&m, path, err) < 0)
		return -1;
	if (m.truncated)
		rc = cb_err_set(err, CB_ERR_PARSE, "%s: more than a C header of "
				"cgo's (%zu MiB at most)", path, CGO_HEADER_MAX >> 20);
	else
		rc = cgo_header_exports_mem(m.v.p, m.v.n, path, names, err);
	view_map_fini(&m);
	return rc;
}
