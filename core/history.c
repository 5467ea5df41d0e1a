/* history.c - past build results in target/crossbench/history.tsv, and
 * pruning of old build logs.
 *
 * A line is eight tab-separated fields (history.h), and optional ones
 * that files written before them lack: the artifact, whether the work
 * tree had changes, and the toolchain's fingerprint.  Text fields escape
 * backslash, tab, newline and carriage return as \\ \t \n \r, so a log
 * path with a tab in it survives; nothing else is changed, so the file
 * stays readable with cut and awk.  Numbers are written and read without
 * the C library's locale-dependent float formatting: the program runs
 * under setlocale(LC_ALL, ""), where 1.5 may print as "1,5".
 *
 * Lines that do not parse are skipped, so a half-written line from a crash
 * or a line from a newer version with more fields never stops a load
 * (extra fields after the eleventh are ignored).
 */
#include "history.h"

#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "paths.h"

#define HISTORY_REL "target/crossbench/history.tsv"
#define NFIELDS 8     /* required */
#define NOPTIONAL 3   /* artifact, dirty, toolchain */
/* Longer than any line we write (the log path is at most 4 KiB, twice
 * that escaped); a longer one is garbage and skipped unread. */
#define LINE_MAX_LEN 16384

/* ------------------------------------------------------------ fields */

static void put_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\': buf_append(b, "\\\\", 2); break;
		case '\t': buf_append(b, "\\t", 2); break;
		case '\n': buf_append(b, "\\n", 2); break;
		case '\r': buf_append(b, "\\r", 2); break;
		default: buf_putc(b, *s); break;
		}
	}
}

/* Undo put_escaped on s (len bytes) into out (n bytes).  -1 when the
 * result does not fit, holds a NUL, or an escape is unknown. */
static int unescape(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\0')
			return -1;
		if (c == '\\') {
			if (++i == len)
				return -1;
			switch (s[i]) {
			case '\\': c = '\\'; break;
			case 't': c = '\t'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			default: return -1;
			}
		}
		if (o + 1 >= n)
			return -1;
		out[o++] = c;
	}
	out[o] = '\0';
	return 0;
}

/* Digits only, no sign, at most max. */
static int parse_uint(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (len == 0 || len > 20)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (x > (UINT64_MAX - 9) / 10)
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

/* "12" or "12.345", whatever the locale says a decimal point is. */
static int parse_seconds(const char *s, size_t len, double *v)
{
	const char *dot = memchr(s, '.', len);
	uint64_t whole, frac = 0;
	size_t fl = 0;
	double d = 1;

	if (parse_uint(s, dot ? (size_t)(dot - s) : len, UINT32_MAX, &whole) < 0)
		return -1;
	if (dot) {
		fl = len - (size_t)(dot - s) - 1;
		if (fl > 9 || parse_uint(dot + 1, fl, UINT64_MAX, &frac) < 0)
			return -1;
	}
	for (size_t i = 0; i < fl; i++)
		d *= 10;
	*v = (double)whole + (double)frac / d;
	return 0;
}

static int is_hex(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

/* One line (without its '\n') into e.  -1 when it is not an entry. */
static int parse_line(const char *line, size_t len, struct history_entry *e)
{
	const char *f[NFIELDS + NOPTIONAL];
	size_t fl[NFIELDS + NOPTIONAL], nf = 0;
	const char *p = line, *end = line + len;
	uint64_t v;

	while (nf < NFIELDS + NOPTIONAL) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));

		f[nf] = p;
		fl[nf] = tab ? (size_t)(tab - p) : (size_t)(end - p);
		nf++;
		if (!tab)
			break;
		p = tab + 1;
	}
	if (nf < NFIELDS)
		return -1;
	memset(e, 0, sizeof *e);
	if (parse_uint(f[0], fl[0], INT64_MAX, &v) < 0)
		return -1;
	e->when = (time_t)v;
	if ((fl[1] != 0 && fl[1] != 40) || !is_hex(f[1], fl[1]))
		return -1;
	memcpy(e->commit, f[1], fl[1]);
	if (fl[2] == 0 || fl[3] == 0 || fl[4] == 0 ||
	    unescape(f[2], fl[2], e->triple, sizeof e->triple) < 0 ||
	    unescape(f[3], fl[3], e->profile, sizeof e->profile) < 0 ||
	    unescape(f[4], fl[4], e->status, sizeof e->status) < 0)
		return -1;
	if (parse_seconds(f[5], fl[5], &e->seconds) < 0)
		return -1;
	if (parse_uint(f[6], fl[6], UINT_MAX, &v) < 0)
		return -1;
	e->units = (unsigned)v;
	if (unescape(f[7], fl[7], e->log, sizeof e->log) < 0)
		return -1;
	if (nf > 8 && unescape(f[8], fl[8], e->artifact, sizeof e->artifact) < 0)
		return -1;
	/* The optional fields are read leniently: what is not ours there
	 * reads as "clean" and "no fingerprint". */
	if (nf > 9)
		e->dirty = fl[9] == 1 && f[9][0] == '1';
	/* A fingerprint longer than the field is cut, not a bad line. */
	if (nf > 10 && unescape(f[10], fl[10] < sizeof e->toolchain / 2 ? fl[10] : sizeof e->toolchain / 2,
				e->toolchain, sizeof e->toolchain) < 0)
		e->toolchain[0] = '\0';
	return 0;
}

/* Whether a string field of a struct is terminated inside its array. */
#define FIELD_OK(a) (strnlen((a), sizeof(a)) < sizeof(a))

static int check_entry(const struct history_entry *e, struct cb_err *err)
{
	size_t cl;

	if (!FIELD_OK(e->commit) || !FIELD_OK(e->triple) || !FIELD_OK(e->profile) ||
	    !FIELD_OK(e->status) || !FIELD_OK(e->log) || !FIELD_OK(e->artifact) ||
	    !FIELD_OK(e->toolchain))
		return cb_err_set(err, CB_ERR_USAGE, "history entry: a field is not terminated");
	cl = strlen(e->commit);
	if ((cl != 0 && cl != 40) || !is_hex(e->commit, cl))
		return cb_err_set(err, CB_ERR_USAGE, "history entry: commit '%s' is not an id",
				  e->commit);
	if (!e->triple[0] || !e->profile[0] || !e->status[0])
		return cb_err_set(err, CB_ERR_USAGE,
				  "history entry: triple, profile and status must be set");
	return 0;
}

static void format_line(struct buf *b, const struct history_entry *e)
{
	double s = e->seconds;
	unsigned long long ms;

	/* Negative, NaN or absurd durations are a clock's mistake. */
	if (!(s >= 0))
		s = 0;
	if (s > 4e9)
		s = 4e9;
	ms = (unsigned long long)(s * 1000 + 0.5);
	buf_printf(b, "%lld\t%s\t", (long long)(e->when < 0 ? 0 : e->when), e->commit);
	put_escaped(b, e->triple);
	buf_putc(b, '\t');
	put_escaped(b, e->profile);
	buf_putc(b, '\t');
	put_escaped(b, e->status);
	buf_printf(b, "\t%llu.%03llu\t%u\t", ms / 1000, ms % 1000, e->units);
	put_escaped(b, e->log);
	buf_putc(b, '\t');
	put_escaped(b, e->artifact);
	buf_printf(b, "\t%d\t", e->dirty ? 1 : 0);
	put_escaped(b, e->toolchain);
	buf_putc(b, '\n');
}

/* ------------------------------------------------------------ reading */

/* Lines of a file read in blocks; lines longer than LINE_MAX_LEN are
 * skipped without being held in memory. */
struct line_reader {
	int fd;
	char block[65536];
	size_t pos, len;
	struct buf line;
	int skipping;
	int eof;
};

static void reader_init(struct line_reader *r, int fd)
{
	r->fd = fd;
	r->pos = r->len = 0;
	buf_init(&r->line);
	r->skipping = 0;
	r->eof = 0;
}

/* The next line (without '\n') in r->line: 1, 0 at the end, -1 on a read
 * error (errno set). */
static int reader_next(struct line_reader *r)
{
	buf_reset(&r->line);
	for (;;) {
		if (r->pos == r->len) {
			ssize_t n;

			if (r->eof)
				return 0;
			do
				n = read(r->fd, r->block, sizeof r->block);
			while (n < 0 && errno == EINTR);
			if (n < 0)
				return -1;
			r->pos = 0;
			r->len = (size_t)n;
			if (n == 0) {
				r->eof = 1;
				/* A last line without its newline. */
				if (r->line.len && !r->skipping)
					return 1;
				return 0;
			}
		}
		char *start = r->block + r->pos;
		char *nl = memchr(start, '\n', r->len - r->pos);
		size_t take = nl ? (size_t)(nl - start) : r->len - r->pos;

		if (!r->skipping && r->line.len + take > LINE_MAX_LEN) {
			r->skipping = 1;
			buf_reset(&r->line);
		}
		if (!r->skipping)
			buf_append(&r->line, start, take);
		r->pos += take + (nl != NULL);
		if (nl) {
			if (!r->skipping)
				return 1;
			r->skipping = 0;
		}
	}
}

static struct history_entry *find_last(const struct history *h,
				       const char *triple, const char *profile)
{
	for (size_t i = 0; i < h->nlast; i++)
		if (!strcmp(h->last[i].triple, triple) &&
		    !strcmp(h->last[i].profile, profile))
			return &h->last[i];
	return NULL;
}

static void set_last(struct history *h, const struct history_entry *e)
{
	struct history_entry *old = find_last(h, e->triple, e->profile);

	if (!old) {
		h->last = xrealloc(h->last, (h->nlast + 1) * sizeof *h->last);
		old = &h->last[h->nlast++];
	}
	*old = *e;
}

int history_load(struct history *h, const char *project_dir, struct cb_err *err)
{
	struct line_reader *r;
	struct history_entry e;
	int fd, rc;

	memset(h, 0, sizeof *h);
	h->path = xasprintf("%s/" HISTORY_REL, project_dir);
	fd = open(h->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;    /* never built here: an empty history */
		return cb_err_sys(err, "%s", h->path);
	}
	r = xmalloc(sizeof *r);
	reader_init(r, fd);
	while ((rc = reader_next(r)) > 0)
		if (parse_line(r->line.data, r->line.len, &e) == 0)
			set_last(h, &e);
	if (rc < 0) {
		cb_err_sys(err, "%s", h->path);
		/* Half a history would show some targets' results and not
		 * others; none is the honest answer. */
		free(h->last);
		h->last = NULL;
		h->nlast = 0;
	}
	buf_fini(&r->line);
	free(r);
	close(fd);
	return rc < 0 ? -1 : 0;
}

int history_each(const char *project_dir,
		 int (*fn)(void *arg, const struct history_entry *e), void *arg,
		 struct cb_err *err)
{
	struct line_reader *r;
	struct history_entry *e;
	char *path = xasprintf("%s/" HISTORY_REL, project_dir);
	int fd, rc, stop = 0;

	cb_err_clear(err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = errno == ENOENT || errno == ENOTDIR ? 0 : cb_err_sys(err, "%s", path);
		free(path);
		return rc;
	}
	r = xmalloc(sizeof *r);
	e = xmalloc(sizeof *e);
	reader_init(r, fd);
	while (!stop && (rc = reader_next(r)) > 0)
		if (parse_line(r->line.data, r->line.len, e) == 0)
			stop = fn(arg, e);
	if (!stop && rc < 0)
		cb_err_sys(err, "%s", path);
	buf_fini(&r->line);
	free(r);
	free(e);
	close(fd);
	free(path);
	return !stop && rc < 0 ? -1 : 0;
}

void history_fini(struct history *h)
{
	free(h->path);
	free(h->last);
	memset(h, 0, sizeof *h);
}

const struct history_entry *history_last(const struct history *h,
					 const char *triple, const char *profile)
{
	return find_last(h, triple, profile);
}

/* ------------------------------------------------------------ writing */

/* Lines in the file open at fd (read from its start). */
static long count_lines(int fd)
{
	char block[65536];
	long lines = 0;
	off_t off = 0;
	ssize_t n;

	while ((n = pread(fd, block, sizeof block, off)) > 0) {
		for (char *p = block; (p = memchr(p, '\n', (size_t)(block + n - p))); p++)
			lines++;
		off += n;
	}
	return n < 0 ? -1 : lines;
}

/* The key of an entry for "newest per target and profile". */
static char *entry_key(const struct history_entry *e)
{
	return xasprintf("%s\t%s", e->triple, e->profile);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Rewrite the file to its last HISTORY_KEEP entries, and the newest
 * entry of every target and profile older than those (so a target built
 * long ago still shows its result), through a temporary file in the same
 * directory renamed over it.  Lines that do not parse are dropped; the
 * rest are kept byte for byte. */
static int compact(const char *path, int fd, struct cb_err *err)
{
	struct line_reader *r = xmalloc(sizeof *r);
	struct strv lines, keys;
	struct history_entry e;
	char **sorted = NULL;
	unsigned char *keep = NULL;
	struct buf out;
	int rc, ret = -1;
	size_t i;

	strv_init(&lines);
	strv_init(&keys);
	buf_init(&out);
	if (lseek(fd, 0, SEEK_SET) < 0) {
		cb_err_sys(err, "%s", path);
		goto done;
	}
	reader_init(r, fd);
	while ((rc = reader_next(r)) > 0) {
		if (parse_line(r->line.data, r->line.len, &e) < 0)
			continue;
		strv_pushn(&lines, r->line.data, r->line.len);
		char *k = entry_key(&e);

		strv_push(&keys, k);
		free(k);
	}
	if (rc < 0) {
		cb_err_sys(err, "%s", path);
		goto done;
	}
	/* Mark the newest line of each key: walking from the end, the
	 * first time a key is seen. */
	keep = xcalloc(lines.n ? lines.n : 1, 1);
	sorted = xcalloc(lines.n ? lines.n : 1, sizeof *sorted);
	{
		size_t nseen = 0;

		for (i = lines.n; i-- > 0;) {
			char **hit = nseen ? bsearch(&keys.v[i], sorted, nseen,
						     sizeof *sorted, cmp_str) : NULL;

			if (i + HISTORY_KEEP >= lines.n)
				keep[i] = 1;
			if (hit)
				continue;
			keep[i] = 1;
			/* Insert in order; few distinct keys, so this is
			 * cheap. */
			size_t at = nseen;

			while (at > 0 && strcmp(sorted[at - 1], keys.v[i]) > 0) {
				sorted[at] = sorted[at - 1];
				at--;
			}
			sorted[at] = keys.v[i];
			nseen++;
		}
	}
	for (i = 0; i < lines.n; i++) {
		if (!keep[i])
			continue;
		buf_puts(&out, lines.v[i]);
		buf_putc(&out, '\n');
	}

	if (file_replace(path, out.data ? out.data : "", out.len, 0644, err) < 0)
		goto done;
	ret = 0;
done:
	free(keep);
	free(sorted);
	buf_fini(&out);
	buf_fini(&r->line);
	free(r);
	strv_fini(&lines);
	strv_fini(&keys);
	return ret;
}

/* Open path for appending with an exclusive lock, making sure the lock is
 * on the file that is there now: another crossbench may have renamed a
 * compacted file over it between our open and our lock. */
static int open_locked(const char *path, struct cb_err *err)
{
	for (int tries = 0; tries < 10; tries++) {
		struct stat a, b;
		int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0)
			return cb_err_sys(err, "%s", path);
		while (flock(fd, LOCK_EX) < 0) {
			if (errno != EINTR) {
				cb_err_sys(err, "locking %s", path);
				close(fd);
				return -1;
			}
		}
		if (fstat(fd, &a) == 0 && stat(path, &b) == 0 &&
		    a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return fd;
		close(fd);
	}
	return cb_err_set(err, CB_ERR_IO, "%s: keeps being replaced", path);
}

int history_append(struct history *h, const struct history_entry *e,
		   struct cb_err *err)
{
	struct buf line;
	struct stat st;
	char *dir, last;
	long lines;
	int fd, ret = 0;

	if (!h->path)
		return cb_err_set(err, CB_ERR_USAGE, "history: not loaded");
	if (check_entry(e, err) < 0)
		return -1;
	dir = xstrdup(h->path);
	*strrchr(dir, '/') = '\0';
	if (paths_mkdir_p(dir) < 0) {
		cb_err_sys(err, "%s", dir);
		free(dir);
		return -1;
	}
	free(dir);
	fd = open_locked(h->path, err);
	if (fd < 0)
		return -1;
	buf_init(&line);
	/* A line cut short by a crash must not swallow ours. */
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
	    pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n')
		buf_putc(&line, '\n');
	format_line(&line, e);
	/* One write of an O_APPEND file: lines never interleave. */
	if (file_write_all(fd, line.data, line.len) < 0) {
		cb_err_sys(err, "%s", h->path);
		buf_fini(&line);
		close(fd);
		return -1;
	}
	buf_fini(&line);
	set_last(h, e);
	lines = count_lines(fd);
	if (lines > 2L * HISTORY_KEEP)
		ret = compact(h->path, fd, err);
	else if (lines < 0)
		ret = cb_err_sys(err, "%s", h->path);
	close(fd);
	return ret;
}

/* ------------------------------------------------------------ logs */

/* A log's name: <triple>-<profile>-<YYYYmmdd-HHMMSS>.<mmm>.log */
struct log_name {
	char *name;
	size_t prefix;   /* length of <triple>-<profile> */
};

#define STAMP_LEN 24     /* "-YYYYmmdd-HHMMSS.mmm.log" */

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* The length of the <triple>-<profile> part of a log name, or 0 when the
 * name is not one of ours. */
static size_t log_prefix(const char *name)
{
	size_t len = strlen(name), pl, dashes = 0;
	const char *s;

	if (len <= STAMP_LEN)
		return 0;
	pl = len - STAMP_LEN;
	s = name + pl;
	if (s[0] != '-' || !all_digits(s + 1, 8) || s[9] != '-' ||
	    !all_digits(s + 10, 6) || s[16] != '.' || !all_digits(s + 17, 3) ||
	    strcmp(s + 20, ".log") != 0)
		return 0;
	if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z') ||
	      (name[0] >= '0' && name[0] <= '9')))
		return 0;
	for (size_t i = 0; i < pl; i++) {
		char c = name[i];

		if (c == '-')
			dashes++;
		else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			   (c >= '0' && c <= '9') || c == '_' || c == '.'))
			return 0;
	}
	/* A triple has a dash, and one more joins it to the profile. */
	return dashes >= 2 ? pl : 0;
}

/* By target and profile, then newest first (the stamp sorts as text). */
static int cmp_log(const void *a, const void *b)
{
	const struct log_name *x = a, *y = b;
	size_t n = x->prefix < y->prefix ? x->prefix : y->prefix;
	int c = memcmp(x->name, y->name, n);

	if (c)
		return c;
	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	return strcmp(y->name + y->prefix, x->name + x->prefix);
}

static int is_regular(int dfd, const char *name)
{
	struct stat st;

	return fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
}

int history_prune_logs(const char *log_dir, int keep)
{
	struct log_name *logs = NULL;
	size_t n = 0, cap = 0, i, run = 0;
	struct dirent *de;
	int removed = 0, dfd;
	DIR *d;

	if (keep < 0)
		return 0;
	d = opendir(log_dir);
	if (!d)
		return 0;
	dfd = dirfd(d);
	while ((de = readdir(d))) {
		size_t pl = log_prefix(de->d_name);

		if (!pl || !is_regular(dfd, de->d_name))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			logs = xrealloc(logs, cap * sizeof *logs);
		}
		logs[n].name = xstrdup(de->d_name);
		logs[n++].prefix = pl;
	}
	if (n)
		qsort(logs, n, sizeof *logs, cmp_log);
	for (i = 0; i < n; i++) {
		if (i == 0 || logs[i].prefix != logs[i - 1].prefix ||
		    memcmp(logs[i].name, logs[i - 1].name, logs[i].prefix) != 0)
			run = 0;
		if (run++ < (size_t)keep)
			continue;
		if (unlinkat(dfd, logs[i].name, 0) == 0) {
			size_t len = strlen(logs[i].name);
			char *json = xasprintf("%.*s.json", (int)(len - 4), logs[i].name);

			if (is_regular(dfd, json))
				unlinkat(dfd, json, 0);
			free(json);
			removed++;
		}
	}
	for (i = 0; i < n; i++)
		free(logs[i].name);
	free(logs);
	closedir(d);
	return removed;
}
