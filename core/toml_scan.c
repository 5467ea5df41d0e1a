/* toml_scan.c - find tables, keys and where values end in TOML text. */
#include "toml_scan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_bare(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static const char *skip_ws(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* A basic string's body after the opening quote, escapes decoded into out
 * (may be NULL).  Returns the position after the closing quote, or NULL
 * at a newline or the end. */
static const char *basic_string(const char *s, struct buf *out)
{
	for (; *s && *s != '\n'; s++) {
		if (*s == '"')
			return s + 1;
		if (*s != '\\') {
			if (out)
				buf_putc(out, *s);
			continue;
		}
		s++;
		switch (*s) {
		case 'n': if (out) buf_putc(out, '\n'); break;
		case 't': if (out) buf_putc(out, '\t'); break;
		case 'r': if (out) buf_putc(out, '\r'); break;
		case 'b': if (out) buf_putc(out, '\b'); break;
		case 'f': if (out) buf_putc(out, '\f'); break;
		case 'u': case 'U': {
			/* Code points are written back as UTF-8. */
			int n = *s == 'u' ? 4 : 8;
			unsigned long cp = 0;

			for (int i = 0; i < n; i++) {
				char c = s[1];

				if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
				      (c >= 'A' && c <= 'F')))
					return NULL;
				cp = cp * 16 + (unsigned long)(c <= '9' ? c - '0' :
					(c | 0x20) - 'a' + 10);
				s++;
			}
			if (!out)
				break;
			if (cp < 0x80) {
				buf_putc(out, (char)cp);
			} else if (cp < 0x800) {
				buf_putc(out, (char)(0xC0 | (cp >> 6)));
				buf_putc(out, (char)(0x80 | (cp & 0x3F)));
			} else if (cp < 0x10000) {
				buf_putc(out, (char)(0xE0 | (cp >> 12)));
				buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
				buf_putc(out, (char)(0x80 | (cp & 0x3F)));
			} else {
				buf_putc(out, (char)(0xF0 | (cp >> 18)));
				buf_putc(out, (char)(0x80 | ((cp >> 12) & 0x3F)));
				buf_putc(out, (char)(0x80 | ((cp >> 6) & 0x3F)));
				buf_putc(out, (char)(0x80 | (cp & 0x3F)));
			}
			break;
		}
		case '\0': case '\n':
			return NULL;
		default:
			if (out)
				buf_putc(out, *s);
		}
	}
	return NULL;
}

/* One key part: bare, "basic" or 'literal'. */
static const char *key_part(const char *s, struct buf *out)
{
	if (*s == '"')
		return basic_string(s + 1, out);
	if (*s == '\'') {
		const char *e = strchr(s + 1, '\'');
		const char *nl = strchr(s + 1, '\n');

		if (!e || (nl && nl < e))
			return NULL;
		buf_append(out, s + 1, (size_t)(e - s - 1));
		return e + 1;
	}
	if (!is_bare(*s))
		return NULL;
	while (is_bare(*s))
		buf_putc(out, *s++);
	return s;
}

/* A dotted key at s; its parts appended.  Returns the position after it
 * (spaces skipped), or NULL. */
static const char *parse_key(const char *s, struct strv *parts)
{
	struct buf b;

	buf_init(&b);
	for (;;) {
		buf_reset(&b);
		buf_puts(&b, "");
		s = key_part(skip_ws(s), &b);
		if (!s) {
			buf_fini(&b);
			return NULL;
		}
		strv_push(parts, b.data);
		s = skip_ws(s);
		if (*s != '.')
			break;
		s++;
	}
	buf_fini(&b);
	return s;
}

/* Where the value starting at s ends. */
static const char *skip_value(const char *s)
{
	if (!strncmp(s, "\"\"\"", 3) || !strncmp(s, "'''", 3)) {
		char q = *s;

		for (s += 3; *s; s++) {
			if (q == '"' && *s == '\\' && s[1]) {
				s++;
				continue;
			}
			if (s[0] == q && s[1] == q && s[2] == q) {
				s += 3;
				while (*s == q)   /* up to two quotes end the string */
					s++;
				return s;
			}
		}
		return s;
	}
	if (*s == '"') {
		const char *e = basic_string(s + 1, NULL);

		return e ? e : s + strcspn(s, "\n");
	}
	if (*s == '\'') {
		s++;
		return s + strcspn(s, "'\n") + (s[strcspn(s, "'\n")] == '\'');
	}
	if (*s == '[' || *s == '{') {
		char close = *s == '[' ? ']' : '}';

		s++;
		for (;;) {
			while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
			       *s == ',')
				s++;
			if (*s == '#') {
				s += strcspn(s, "\n");
				continue;
			}
			if (!*s)
				return s;
			if (*s == close)
				return s + 1;
			if (close == '}') {
				/* key = value inside an inline table */
				struct strv parts;
				const char *k;

				strv_init(&parts);
				k = parse_key(s, &parts);
				strv_fini(&parts);
				if (!k || *k != '=')
					return s + strcspn(s, "\n");
				s = skip_ws(k + 1);
			}
			{
				const char *e = skip_value(s);

				if (e == s)   /* nothing we know: stop at the line */
					return s + strcspn(s, "\n");
				s = e;
			}
		}
	}
	while (*s && *s != '\n' && *s != '#' && *s != ',' && *s != ']' && *s != '}')
		s++;
	return s;
}

static char *join_parts(const struct strv *parts, size_t from, size_t to,
			const char *base)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, base);
	for (size_t i = from; i < to; i++) {
		if (b.len)
			buf_putc(&b, TOML_SEP);
		buf_puts(&b, parts->v[i]);
	}
	return buf_detach(&b);
}

static struct toml_table *table_get(struct toml_doc *d, const char *name,
				    size_t line)
{
	struct toml_table *t;

	for (size_t i = 0; i < d->ntables; i++)
		if (!strcmp(d->tables[i].name, name))
			return &d->tables[i];
	d->tables = xrealloc(d->tables, (d->ntables + 1) * sizeof *d->tables);
	t = &d->tables[d->ntables++];
	memset(t, 0, sizeof *t);
	t->name = xstrdup(name);
	t->line = t->last = line;
	t->prefix = xstrdup("");
	strv_init(&t->keys);
	return t;
}

static void table_add_key(struct toml_table *t, const char *key, size_t line,
			  size_t value)
{
	t->key_line = xrealloc(t->key_line, (t->keys.n + 1) * sizeof *t->key_line);
	t->key_value = xrealloc(t->key_value, (t->keys.n + 1) * sizeof *t->key_value);
	t->key_line[t->keys.n] = line;
	t->key_value[t->keys.n] = value;
	strv_push(&t->keys, key);
}

static int line_is_blank(const struct toml_doc *d, size_t li)
{
	const char *p = d->text + d->lines[li].start;

	for (size_t i = 0; i < d->lines[li].len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

static size_t line_of(const struct toml_doc *d, size_t off, size_t from)
{
	size_t li = from;

	while (li + 1 < d->nlines && d->lines[li + 1].start <= off)
		li++;
	return li;
}

/* Take out crossbench's block and marked lines; the rest is d->text. */
static int strip(struct toml_doc *d, const char *text, const char *name,
		 const char *begin, const char *end, const char *mark,
		 struct cb_err *err)
{
	struct buf kept;
	size_t lineno = 0, nkept = 0, mlen = mark ? strlen(mark) : 0;
	size_t begin_line = 0;
	int in_block = 0;
	const char *p = text;

	buf_init(&kept);
	buf_puts(&kept, "");
	d->block_at = TOML_NOWHERE;
	while (*p) {
		size_t len = strcspn(p, "\n");
		size_t full = len + (p[len] == '\n');
		size_t tl = len;

		lineno++;
		while (tl && (p[tl - 1] == ' ' || p[tl - 1] == '\t' || p[tl - 1] == '\r'))
			tl--;
		if (begin && !in_block && !strncmp(p, begin, strlen(begin))) {
			in_block = 1;
			begin_line = lineno;
			if (d->block_at == TOML_NOWHERE)
				d->block_at = nkept;
		} else if (in_block) {
			if (!strncmp(p, end, strlen(end)))
				in_block = 0;
		} else if (mark && tl >= mlen && !memcmp(p + tl - mlen, mark, mlen)) {
			/* one of crossbench's lines in the file's own table */
		} else {
			buf_append(&kept, p, full);
			nkept++;
		}
		p += full;
	}
	if (in_block) {
		buf_fini(&kept);
		return cb_err_set(err, CB_ERR_PARSE, "%s:%zu: crossbench's block starts "
				  "here but has no '%s' line after it; end it or "
				  "remove it", name, begin_line, end);
	}
	d->text = buf_detach(&kept);
	return 0;
}

int toml_doc_parse(struct toml_doc *d, const char *text, const char *name,
		   const char *begin, const char *end, const char *mark,
		   struct cb_err *err)
{
	char *cur = xstrdup("");
	const char *p;
	size_t cap = 0;

	memset(d, 0, sizeof *d);
	if (strip(d, text, name, begin, end, mark, err) < 0) {
		free(cur);
		return -1;
	}
	for (p = d->text; *p;) {
		size_t len = strcspn(p, "\n");

		if (d->nlines == cap) {
			cap = cap ? cap * 2 : 64;
			d->lines = xrealloc(d->lines, cap * sizeof *d->lines);
		}
		d->lines[d->nlines].start = (size_t)(p - d->text);
		d->lines[d->nlines].len = len + (p[len] == '\n');
		d->lines[d->nlines++].kind = TOML_OTHER;
		p += len + (p[len] == '\n');
	}
	table_get(d, "", 0);
	for (size_t li = 0; li < d->nlines; li++) {
		struct toml_line *l = &d->lines[li];
		const char *s = skip_ws(d->text + l->start);
		struct strv parts;
		const char *k, *e;
		struct toml_table *t;

		if (l->kind == TOML_CONT)
			continue;
		if (*s == '\n' || *s == '\r' || !*s) {
			l->kind = TOML_BLANK;
			continue;
		}
		if (*s == '#') {
			l->kind = TOML_COMMENT;
			continue;
		}
		strv_init(&parts);
		if (*s == '[') {
			int array = s[1] == '[';

			k = parse_key(s + 1 + array, &parts);
			if (k && *k == ']' && (!array || k[1] == ']')) {
				l->kind = array ? TOML_ARRAY_HEADER : TOML_HEADER;
				free(cur);
				cur = join_parts(&parts, 0, parts.n, "");
				if (array) {
					/* [[x]] is never one of ours: keep it apart */
					char *n = xasprintf("[[%s]]", cur);

					free(cur);
					cur = n;
				}
				t = table_get(d, cur, li);
				t->line = t->last = li;
			}
			strv_fini(&parts);
			continue;
		}
		k = parse_key(s, &parts);
		if (!k || *k != '=' || !parts.n) {
			strv_fini(&parts);
			continue;
		}
		l->kind = TOML_KEY;
		k = skip_ws(k + 1);
		e = skip_value(k);
		{
			size_t endl = line_of(d, (size_t)(e - d->text) - (e > k), li);
			char *tname = join_parts(&parts, 0, parts.n - 1, cur);

			/* A value left open runs to the end of the text; its
			 * blank tail is not its own (and moves as keys are
			 * added after it). */
			while (endl > li && line_is_blank(d, endl))
				endl--;

			for (size_t m = li + 1; m <= endl && m < d->nlines; m++)
				d->lines[m].kind = TOML_CONT;
			t = table_get(d, tname, li);
			if (parts.n > 1 && !t->prefix[0]) {
				/* a table made by dotted keys: new keys need the
				 * same dots, where the table is */
				struct buf pre;

				buf_init(&pre);
				for (size_t i = 0; i + 1 < parts.n; i++) {
					toml_put_key(&pre, parts.v[i]);
					buf_putc(&pre, '.');
				}
				free(t->prefix);
				t->prefix = buf_detach(&pre);
			}
			table_add_key(t, parts.v[parts.n - 1], li, (size_t)(k - d->text));
			t->last = endl;
			if (*k == '{') {
				char *inl = join_parts(&parts, 0, parts.n, cur);
				struct toml_table *it = table_get(d, inl, li);

				it->closed = 1;
				free(inl);
			}
			/* the enclosing header table ends later too */
			if (parts.n > 1) {
				struct toml_table *ct = table_get(d, cur, li);

				ct->last = endl;
			}
			free(tname);
			li = endl;
		}
		strv_fini(&parts);
	}
	free(cur);
	return 0;
}

void toml_doc_fini(struct toml_doc *d)
{
	for (size_t i = 0; i < d->ntables; i++) {
		free(d->tables[i].name);
		free(d->tables[i].prefix);
		free(d->tables[i].key_line);
		free(d->tables[i].key_value);
		strv_fini(&d->tables[i].keys);
	}
	free(d->tables);
	free(d->lines);
	free(d->text);
	memset(d, 0, sizeof *d);
}

const struct toml_table *toml_doc_table(const struct toml_doc *d,
					const char *name)
{
	for (size_t i = 0; i < d->ntables; i++)
		if (!strcmp(d->tables[i].name, name))
			return &d->tables[i];
	return NULL;
}

size_t toml_table_key_line(const struct toml_table *t, const char *key)
{
	for (size_t i = 0; i < t->keys.n; i++)
		if (!strcmp(t->keys.v[i], key))
			return t->key_line[i];
	return TOML_NOWHERE;
}

int toml_table_has_key(const struct toml_table *t, const char *key)
{
	return toml_table_key_line(t, key) != TOML_NOWHERE;
}

int toml_doc_root_keys_after(const struct toml_doc *d, size_t line)
{
	for (size_t li = line; li < d->nlines; li++) {
		if (d->lines[li].kind == TOML_HEADER ||
		    d->lines[li].kind == TOML_ARRAY_HEADER)
			return 0;
		if (d->lines[li].kind == TOML_KEY)
			return 1;
	}
	return 0;
}

int toml_doc_line_blank(const struct toml_doc *d, size_t line)
{
	return line < d->nlines && d->lines[line].kind == TOML_BLANK;
}

/* A string value into out; returns the position after it or NULL. */
static const char *string_value(const char *s, struct buf *out)
{
	if (*s == '"' && strncmp(s, "\"\"\"", 3))
		return basic_string(s + 1, out);
	if (*s == '\'' && strncmp(s, "'''", 3)) {
		size_t n = strcspn(s + 1, "'\n");

		if (s[1 + n] != '\'')
			return NULL;
		buf_append(out, s + 1, n);
		return s + n + 2;
	}
	return NULL;
}

int toml_doc_get(const struct toml_doc *d, const char *table, const char *key,
		 struct strv *out)
{
	const struct toml_table *t = toml_doc_table(d, table);
	const char *s;
	struct buf b;
	size_t i;

	if (!t)
		return 0;
	for (i = 0; i < t->keys.n; i++)
		if (!strcmp(t->keys.v[i], key))
			break;
	if (i == t->keys.n)
		return 0;
	s = d->text + t->key_value[i];
	buf_init(&b);
	buf_puts(&b, "");
	if (*s != '[') {
		int ok = string_value(s, &b) != NULL;

		if (ok)
			strv_push(out, b.data);
		buf_fini(&b);
		return ok;
	}
	for (s++;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == ',')
			s++;
		if (*s == '#') {
			s += strcspn(s, "\n");
			continue;
		}
		if (*s == ']')
			break;
		buf_reset(&b);
		buf_puts(&b, "");
		if (!(s = string_value(s, &b))) {
			buf_fini(&b);
			return 0;
		}
		strv_push(out, b.data);
	}
	buf_fini(&b);
	return 1;
}

void toml_put_string(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\t': buf_puts(b, "\\t"); break;
		case '\r': buf_puts(b, "\\r"); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04X", *p);
			else
				buf_putc(b, (char)*p);
		}
	}
	buf_putc(b, '"');
}

void toml_put_key(struct buf *b, const char *key)
{
	const char *p;

	for (p = key; *p && is_bare(*p); p++)
		;
	if (*key && !*p)
		buf_puts(b, key);
	else
		toml_put_string(b, key);
}

void toml_put_table(struct buf *b, const char *name)
{
	const char *p = name;

	for (;;) {
		size_t n = strcspn(p, "\x1f");
		char *part = xstrndup(p, n);

		toml_put_key(b, part);
		free(part);
		if (!p[n])
			break;
		buf_putc(b, '.');
		p += n + 1;
	}
}

char *toml_table_display(const char *name)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, "");
	toml_put_table(&b, name);
	return buf_detach(&b);
}

int toml_scan_file_has(const char *path, const char *needle, int line_start)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	int found = 0;

	while (f && !found && fgets(line, sizeof line, f)) {
		const char *p = line + strspn(line, " \t");

		found = line_start ? !strncmp(p, needle, strlen(needle))
				   : strstr(line, needle) != NULL;
	}
	if (f)
		fclose(f);
	return found;
}
