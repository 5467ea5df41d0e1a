/* config_file.c - scan git-config text; rewrite a file atomically. */
#include "config_file.h"
#include "file.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

static const char *bstr(const struct buf *b)
{
	return b->data ? b->data : "";
}

static void put_lower(struct buf *b, const char *p, size_t n)
{
	buf_reset(b);
	for (size_t i = 0; i < n; i++)
		buf_putc(b, (char)tolower((unsigned char)p[i]));
	buf_grow(b, 0);
}

void config_scan_init(struct config_scan *s, const char *text, size_t len)
{
	memset(s, 0, sizeof *s);
	s->text = text;
	s->len = len;
	s->lineno = 1;
	buf_init(&s->section);
	buf_init(&s->sub);
	buf_init(&s->name);
	/* libgit2 skips a UTF-8 byte order mark. */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		s->pos = 3;
}

void config_scan_fini(struct config_scan *s)
{
	buf_fini(&s->section);
	buf_fini(&s->sub);
	buf_fini(&s->name);
}

/* Past the end of the line p is on, counting the newline. */
static size_t past_eol(struct config_scan *s, size_t p)
{
	while (p < s->len && s->text[p] != '\n')
		p++;
	if (p < s->len) {
		p++;
		s->lineno++;
	}
	return p;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static int scan_bad(struct config_scan *s, size_t p)
{
	s->kind = CONFIG_LINE_BAD;
	s->end = past_eol(s, p);
	s->pos = s->end;
	return 1;
}

/* name = value, possibly continued by a backslash at the end of lines. */
static int scan_var(struct config_scan *s, size_t p)
{
	const char *t = s->text;
	size_t name_start = p;
	int quote = 0;

	while (p < s->len && (isalnum((unsigned char)t[p]) || t[p] == '-'))
		p++;
	put_lower(&s->name, t + name_start, p - name_start);
	if (p < s->len && !is_blank(t[p]) && t[p] != '=' && t[p] != '\n' &&
	    t[p] != '#' && t[p] != ';')
		return scan_bad(s, p);
	while (p < s->len) {
		char c = t[p];

		if (c == '\n') {
			p++;
			s->lineno++;
			break;
		}
		if (c == '\\') {
			if (p + 1 < s->len && t[p + 1] == '\n') {
				p += 2;
				s->lineno++;
				continue;
			}
			if (p + 2 < s->len && t[p + 1] == '\r' && t[p + 2] == '\n') {
				p += 3;
				s->lineno++;
				continue;
			}
			p = p + 2 < s->len ? p + 2 : s->len;
			continue;
		}
		if (c == '"')
			quote = !quote;
		else if ((c == '#' || c == ';') && !quote) {
			p = past_eol(s, p);
			break;
		}
		p++;
	}
	s->kind = CONFIG_LINE_VAR;
	s->end = p;
	s->pos = p;
	return 1;
}

/* [section], [section "sub"] or the old [section.sub]. */
static int scan_header(struct config_scan *s, size_t p)
{
	const char *t = s->text;
	size_t name_start, name_len;
	const char *dot;

	buf_reset(&s->section);
	buf_reset(&s->sub);
	s->has_sub = 0;
	p++;
	name_start = p;
	while (p < s->len && (isalnum((unsigned char)t[p]) || t[p] == '-' ||
			      t[p] == '.'))
		p++;
	name_len = p - name_start;
	if (name_len == 0 || p >= s->len)
		return scan_bad(s, p);
	if (t[p] == ']') {
		dot = memchr(t + name_start, '.', name_len);
		if (dot) {
			put_lower(&s->section, t + name_start,
				  (size_t)(dot - (t + name_start)));
			put_lower(&s->sub, dot + 1,
				  name_len - (size_t)(dot - (t + name_start)) - 1);
			s->has_sub = 1;
		} else {
			put_lower(&s->section, t + name_start, name_len);
		}
		p++;
	} else if (t[p] == ' ' || t[p] == '\t') {
		put_lower(&s->section, t + name_start, name_len);
		while (p < s->len && (t[p] == ' ' || t[p] == '\t'))
			p++;
		if (p >= s->len || t[p] != '"')
			return scan_bad(s, p);
		p++;
		while (p < s->len && t[p] != '"' && t[p] != '\n') {
			if (t[p] == '\\' && p + 1 < s->len && t[p + 1] != '\n')
				p++;
			buf_putc(&s->sub, t[p]);
			p++;
		}
		buf_grow(&s->sub, 0);
		if (p + 1 >= s->len || t[p] != '"' || t[p + 1] != ']')
			return scan_bad(s, p);
		p += 2;
		s->has_sub = 1;
	} else {
		return scan_bad(s, p);
	}
	s->kind = CONFIG_LINE_HEADER;
	{
		size_t q = p;

		while (q < s->len && is_blank(s->text[q]))
			q++;
		if (q >= s->len || t[q] == '\n' || t[q] == '#' || t[q] == ';') {
			s->end = past_eol(s, q);
			s->pos = s->end;
		} else {
			/* A variable on the header's line: the next item. */
			s->end = q;
			s->pos = q;
			s->inline_var = 2;
		}
	}
	return 1;
}

int config_scan_next(struct config_scan *s)
{
	size_t p = s->pos;
	const char *t = s->text;

	if (s->inline_var == 2) {
		s->start = p;
		s->inline_var = 1;
		buf_reset(&s->name);
		return scan_var(s, p);
	}
	if (p >= s->len)
		return 0;
	s->start = p;
	s->line = s->lineno;
	s->inline_var = 0;
	buf_reset(&s->name);
	while (p < s->len && is_blank(t[p]))
		p++;
	if (p >= s->len || t[p] == '\n') {
		s->kind = CONFIG_LINE_BLANK;
		s->end = past_eol(s, p);
		s->pos = s->end;
		return 1;
	}
	if (t[p] == '#' || t[p] == ';') {
		s->kind = CONFIG_LINE_COMMENT;
		s->end = past_eol(s, p);
		s->pos = s->end;
		return 1;
	}
	if (t[p] == '[')
		return scan_header(s, p);
	if (isalpha((unsigned char)t[p]))
		return scan_var(s, p);
	return scan_bad(s, p);
}

static int in_section(const struct config_scan *s, const char *section,
		      const char *sub)
{
	if (strcasecmp(bstr(&s->section), section) != 0)
		return 0;
	if (!sub)
		return !s->has_sub;
	return s->has_sub && strcmp(bstr(&s->sub), sub) == 0;
}

int config_file_locate(const char *text, size_t len, const char *section,
		       const char *sub, const char *key, int nth)
{
	struct config_scan s;
	int line = 0;

	config_scan_init(&s, text, len);
	while (config_scan_next(&s)) {
		if (!in_section(&s, section, sub))
			continue;
		if (!key && s.kind == CONFIG_LINE_HEADER) {
			line = s.line;
			break;
		}
		if (key && s.kind == CONFIG_LINE_VAR &&
		    strcasecmp(bstr(&s.name), key) == 0 && nth-- == 0) {
			line = s.line;
			break;
		}
	}
	config_scan_fini(&s);
	return line;
}

int config_file_read(const char *path, struct buf *out, struct cb_err *err)
{
	return file_read_all(path, out, err);
}

void config_file_quote(struct buf *out, const char *value)
{
	size_t n = strlen(value);
	int quote = n == 0 || value[0] == ' ' || value[0] == '\t' ||
		    value[n - 1] == ' ' || value[n - 1] == '\t' ||
		    strpbrk(value, ";#") != NULL;

	if (quote)
		buf_putc(out, '"');
	for (const char *p = value; *p; p++) {
		switch (*p) {
		case '\\': buf_puts(out, "\\\\"); break;
		case '"': buf_puts(out, "\\\""); break;
		case '\t': buf_puts(out, "\\t"); break;
		case '\n': buf_puts(out, "\\n"); break;
		default: buf_putc(out, *p); break;
		}
	}
	if (quote)
		buf_putc(out, '"');
}

/* ---------------------------------------------------------------- edits */

struct edit {
	const char *section;   /* lower case */
	const char *sub;       /* NULL: no subsection */
	const char *key;       /* NULL: remove the whole section */
	char *const *values;
	size_t n;
	int found;             /* the section (remove) or key (set) was there */
};

static void put_values(struct buf *out, const struct edit *e)
{
	for (size_t i = 0; i < e->n; i++) {
		buf_printf(out, "\t%s = ", e->key);
		config_file_quote(out, e->values[i]);
		buf_putc(out, '\n');
	}
}

static void end_line(struct buf *out)
{
	if (out->len && out->data[out->len - 1] != '\n')
		buf_putc(out, '\n');
}

static void edit_set(const char *text, size_t len, struct edit *e,
		     struct buf *out)
{
	struct config_scan s;
	size_t insert_at = (size_t)-1;
	int occurrence = 0;  /* 0 before the first matching section, 1 in it, 2 after */
	int done = 0;

	/* Where the values go when the key is not there yet: after the last
	 * line of the first [section "sub"]. */
	config_scan_init(&s, text, len);
	while (config_scan_next(&s)) {
		if (s.kind == CONFIG_LINE_HEADER && occurrence < 2) {
			if (in_section(&s, e->section, e->sub)) {
				if (occurrence == 0) {
					occurrence = 1;
					insert_at = s.end;
				}
			} else if (occurrence == 1) {
				occurrence = 2;
			}
		}
		if (s.kind == CONFIG_LINE_VAR && in_section(&s, e->section, e->sub)) {
			if (!strcasecmp(bstr(&s.name), e->key))
				e->found = 1;
			if (occurrence == 1)
				insert_at = s.end;
		}
	}
	config_scan_fini(&s);

	config_scan_init(&s, text, len);
	while (config_scan_next(&s)) {
		if (s.kind == CONFIG_LINE_VAR && in_section(&s, e->section, e->sub) &&
		    !strcasecmp(bstr(&s.name), e->key)) {
			if (s.inline_var) {
				/* Keep the header, without the space before the key. */
				while (out->len && (out->data[out->len - 1] == ' ' ||
						    out->data[out->len - 1] == '\t'))
					out->data[--out->len] = '\0';
				end_line(out);
			}
			if (!done)
				put_values(out, e);
			done = 1;
			continue;
		}
		buf_append(out, text + s.start, s.end - s.start);
		if (!e->found && !done && s.end == insert_at) {
			end_line(out);
			put_values(out, e);
			done = 1;
		}
	}
	config_scan_fini(&s);
	if (!done && e->n) {
		end_line(out);
		buf_printf(out, "[%s", e->section);
		if (e->sub) {
			buf_puts(out, " \"");
			for (const char *p = e->sub; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_putc(out, '\\');
				buf_putc(out, *p);
			}
			buf_putc(out, '"');
		}
		buf_puts(out, "]\n");
		put_values(out, e);
	}
}

static void edit_remove(const char *text, size_t len, struct edit *e,
			struct buf *out)
{
	struct config_scan s;
	size_t copied = 0, cut_start = 0, cut_end = 0;
	int cutting = 0;

	config_scan_init(&s, text, len);
	while (config_scan_next(&s)) {
		if (s.kind == CONFIG_LINE_HEADER) {
			if (cutting) {
				/* Comments after the section's last variable
				 * introduce what follows: keep them. */
				buf_append(out, text + copied, cut_start - copied);
				copied = cut_end;
				cutting = 0;
			}
			if (in_section(&s, e->section, e->sub)) {
				cutting = 1;
				e->found = 1;
				cut_start = s.start;
				cut_end = s.end;
			}
		} else if (cutting && s.kind != CONFIG_LINE_BLANK &&
			   s.kind != CONFIG_LINE_COMMENT) {
			cut_end = s.end;
		}
	}
	config_scan_fini(&s);
	if (cutting) {
		buf_append(out, text + copied, cut_start - copied);
		copied = cut_end;
	}
	buf_append(out, text + copied, len - copied);
	buf_grow(out, 0);
}

/* ------------------------------------------------------- verification */

/* Every entry libgit2 reads from path as "name\nvalue" ("name" alone for a
 * key without '='), in file order. */
static int read_entries(const char *path, struct strv *out, struct cb_err *err)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	int rc;

	if (git_config_open_ondisk(&cfg, path) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		const git_error *ge = git_error_last();

		cb_err_set(err, CB_ERR_LIB, "%s", ge ? ge->message : path);
		git_config_free(cfg);
		return -1;
	}
	while ((rc = git_config_next(&ent, it)) == 0) {
		if (ent->value)
			strv_pushf(out, "%s\n%s", ent->name, ent->value);
		else
			strv_push(out, ent->name);
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	if (rc != GIT_ITEROVER)
		return cb_err_set(err, CB_ERR_LIB, "%s: cannot read back", path);
	return 0;
}

static int affected(const char *entry, const struct edit *e)
{
	size_t sl = strlen(e->section), bl;
	const char *rest;

	if (strncmp(entry, e->section, sl) != 0 || entry[sl] != '.')
		return 0;
	rest = entry + sl + 1;
	if (e->sub) {
		bl = strlen(e->sub);
		if (strncmp(rest, e->sub, bl) != 0 || rest[bl] != '.')
			return 0;
		rest += bl + 1;
	}
	bl = strcspn(rest, "\n");
	if (memchr(rest, '.', bl))
		return 0;
	return !e->key || (strlen(e->key) == bl && !strncasecmp(rest, e->key, bl));
}

/* The new file must hold exactly the old entries, minus those the edit
 * touches, plus the new values: a scanner mistake must not cost a setting. */
static int verify(const struct strv *old, const struct strv *new,
		  const struct edit *e)
{
	size_t i = 0, j = 0, k = 0;

	for (;;) {
		while (i < old->n && affected(old->v[i], e))
			i++;
		while (j < new->n && affected(new->v[j], e)) {
			const char *nl = strchr(new->v[j], '\n');

			if (!e->key || k >= e->n || !nl ||
			    strcmp(nl + 1, e->values[k]) != 0)
				return -1;
			k++;
			j++;
		}
		if (i == old->n || j == new->n)
			break;
		if (strcmp(old->v[i], new->v[j]) != 0)
			return -1;
		i++;
		j++;
	}
	return i == old->n && j == new->n && (!e->key || k == e->n) ? 0 : -1;
}

/* ------------------------------------------------------------ rewrite */

static int rewrite(const char *path, struct edit *e, struct cb_err *err)
{
	char real[PATH_MAX], lock[PATH_MAX + 8];
	struct buf old, new;
	struct strv old_ent, new_ent;
	struct stat st;
	int exists, fd, rc = -1;

	/* Edit the file a symlink points to, as libgit2 does. */
	if (!realpath(path, real))
		snprintf(real, sizeof real, "%s", path);
	exists = stat(real, &st) == 0;
	if ((size_t)snprintf(lock, sizeof lock, "%s.lock", real) >= sizeof lock)
		return cb_err_set(err, CB_ERR_IO, "%s: path too long", path);
	fd = open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST)
		return cb_err_set(err, CB_ERR_IO,
			"%s is being written by another program (%s exists; "
			"remove it if nothing is)", path, lock);
	if (fd < 0)
		return cb_err_sys(err, "%s", lock);
	if (exists)
		fchmod(fd, st.st_mode & 07777);

	git_libgit2_init();
	buf_init(&old);
	buf_init(&new);
	strv_init(&old_ent);
	strv_init(&new_ent);
	if (exists && (config_file_read(real, &old, err) < 0 ||
		       read_entries(real, &old_ent, err) < 0))
		goto out;
	if (e->key)
		edit_set(bstr(&old), old.len, e, &new);
	else
		edit_remove(bstr(&old), old.len, e, &new);
	if (!e->found && (!e->key || !e->n)) {
		rc = 0;         /* nothing to remove */
		goto out;
	}
	if (file_write_all(fd, bstr(&new), new.len) < 0 || fsync(fd) < 0) {
		cb_err_sys(err, "%s", lock);
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		cb_err_sys(err, "%s", lock);
		goto out;
	}
	fd = -1;
	if (read_entries(lock, &new_ent, err) < 0) {
		cb_err_prefix(err, "%s: the edited text does not parse: ", path);
		goto out;
	}
	if (verify(&old_ent, &new_ent, e) < 0) {
		cb_err_set(err, CB_ERR_LIB, "%s: the edit did not give the "
			   "expected settings; the file is unchanged", path);
		goto out;
	}
	if (rename(lock, real) < 0) {
		cb_err_sys(err, "rename %s", lock);
		goto out;
	}
	file_sync_dir(real);
	rc = 1;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 1)
		unlink(lock);
	buf_fini(&old);
	buf_fini(&new);
	strv_fini(&old_ent);
	strv_fini(&new_ent);
	git_libgit2_shutdown();
	return rc;
}

static int lib_error(struct cb_err *err, const char *path)
{
	const git_error *ge = git_error_last();
	const char *msg = ge && ge->message ? ge->message : "libgit2 failed";

	if (strstr(msg, path))
		return cb_err_set(err, CB_ERR_LIB, "%s", msg);
	return cb_err_set(err, CB_ERR_LIB, "%s: %s", path, msg);
}

static int count_cb(const git_config_entry *e, void *payload)
{
	(void)e;
	++*(int *)payload;
	return 0;
}

/* Whether a header of the file has a variable on its line: libgit2 1.5
 * writes such a variable out once more on every change to the file. */
static int has_inline_var(const char *path)
{
	struct config_scan s;
	struct buf text;
	int found = 0;

	buf_init(&text);
	if (config_file_read(path, &text, NULL) == 0) {
		config_scan_init(&s, bstr(&text), text.len);
		while (!found && config_scan_next(&s))
			found = s.inline_var;
		config_scan_fini(&s);
	}
	buf_fini(&text);
	return found;
}

int config_file_set(const char *path, const char *section, const char *sub,
		     const char *key, const char *v, struct cb_err *err)
{
	char *name = sub ? xasprintf("%s.%s.%s", section, sub, key)
			 : xasprintf("%s.%s", section, key);
	git_config *cfg = NULL;
	int rc, n = 0;

	git_libgit2_init();
	if (has_inline_var(path)) {
		char *const vals[] = { (char *)v };

		rc = config_file_set_list(path, section, sub, key, vals, v ? 1 : 0, err);
		goto out;
	}
	if (git_config_open_ondisk(&cfg, path) < 0) {
		rc = lib_error(err, path);
		goto out;
	}
	if (!v) {
		rc = git_config_delete_multivar(cfg, name, ".*");
		if (rc == GIT_ENOTFOUND)
			rc = 0;
	} else {
		rc = git_config_get_multivar_foreach(cfg, name, NULL, count_cb, &n);
		if (rc == 0 || rc == GIT_ENOTFOUND)
			rc = 0;
		if (rc == 0 && n > 1) {
			char *const vals[] = { (char *)v };

			rc = config_file_set_list(path, section, sub, key, vals, 1, err);
			goto out;
		}
		if (rc == 0)
			rc = git_config_set_string(cfg, name, v);
	}
	if (rc < 0)
		rc = lib_error(err, path);
out:
	git_config_free(cfg);
	git_libgit2_shutdown();
	free(name);
	return rc < 0 ? -1 : 0;
}

int config_file_set_list(const char *path, const char *section,
			 const char *sub, const char *key,
			 char *const values[], size_t n, struct cb_err *err)
{
	struct edit e = { section, sub, key, values, n, 0 };

	return rewrite(path, &e, err) < 0 ? -1 : 0;
}

int config_file_remove_section(const char *path, const char *section,
			       const char *sub, struct cb_err *err)
{
	struct edit e = { section, sub, NULL, NULL, 0, 0 };

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0;
	return rewrite(path, &e, err);
}
