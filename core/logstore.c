/* logstore.c - build logs on disk with a bounded sparse line index. */
#include "logstore.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ansi.h"
#include "paths.h"

#define INIT_STRIDE_LINES 64
#define INIT_STRIDE_BYTES 65536

static void cp_add(struct logstore *ls, uint64_t line, uint64_t off);

static struct logstore *ls_new(const char *path, int fd, int writable)
{
	struct logstore *ls = xcalloc(1, sizeof *ls);

	ls->path = xstrdup(path);
	ls->fd = fd;
	ls->writable = writable;
	ls->cp = xmalloc(LOGSTORE_MAX_CHECKPOINTS * sizeof *ls->cp);
	ls->stride_lines = INIT_STRIDE_LINES;
	ls->stride_bytes = INIT_STRIDE_BYTES;
	ls->block = xmalloc(LOGSTORE_BLOCK);
	cp_add(ls, 0, 0);
	return ls;
}

void logstore_free(struct logstore *ls)
{
	if (!ls)
		return;
	if (ls->fd >= 0)
		close(ls->fd);
	free(ls->cp);
	free(ls->block);
	free(ls->path);
	free(ls);
}

/* Halve the index: double both strides, then keep a checkpoint only where
 * dropping it would let a span between kept checkpoints exceed them.  A
 * span that was already longer (one long line) keeps both its ends, so a
 * long line still always ends at a checkpoint. */
static void cp_compact(struct logstore *ls)
{
	while (ls->ncp > LOGSTORE_MAX_CHECKPOINTS / 2) {
		size_t kept = 1;

		ls->stride_lines *= 2;
		ls->stride_bytes *= 2;
		for (size_t j = 1; j < ls->ncp; j++) {
			const struct logstore_checkpoint *k = &ls->cp[kept - 1];
			uint64_t nline, noff;

			if (j + 1 < ls->ncp) {
				nline = ls->cp[j + 1].line;
				noff = ls->cp[j + 1].off;
			} else {
				nline = ls->lines_done;
				noff = ls->cur_start;
			}
			if (noff - k->off > ls->stride_bytes ||
			    nline - k->line > ls->stride_lines)
				ls->cp[kept++] = ls->cp[j];
		}
		if (kept == ls->ncp)
			break;   /* nothing could go: strides keep growing next time */
		ls->ncp = kept;
	}
}

static void cp_add(struct logstore *ls, uint64_t line, uint64_t off)
{
	if (ls->ncp == LOGSTORE_MAX_CHECKPOINTS)
		cp_compact(ls);
	if (ls->ncp == LOGSTORE_MAX_CHECKPOINTS)
		return;  /* cannot happen: compaction frees at least one slot */
	ls->cp[ls->ncp].line = line;
	ls->cp[ls->ncp].off = off;
	ls->ncp++;
}

/* Account for n bytes at the end of the log (already on disk). */
static void index_bytes(struct logstore *ls, const char *p, size_t n)
{
	const char *end = p + n, *nl;
	uint64_t base = ls->bytes;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		const struct logstore_checkpoint *last = &ls->cp[ls->ncp - 1];
		uint64_t next_start = base + (uint64_t)(nl - (end - n)) + 1;

		ls->lines_done++;
		ls->cur_start = next_start;
		if (ls->lines_done - last->line >= ls->stride_lines ||
		    next_start - last->off >= ls->stride_bytes)
			cp_add(ls, ls->lines_done, next_start);
		p = nl + 1;
	}
	ls->bytes += n;
}

struct logstore *logstore_create(const char *path, struct cb_err *err)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	int fd;

	if (slash && slash != path) {
		size_t dl = (size_t)(slash - path);

		if (dl >= sizeof dir) {
			cb_err_set(err, CB_ERR_IO, "%s: path too long", path);
			return NULL;
		}
		memcpy(dir, path, dl);
		dir[dl] = '\0';
		if (paths_mkdir_p(dir) < 0) {
			cb_err_sys(err, "%s", dir);
			return NULL;
		}
	}
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		cb_err_sys(err, "%s", path);
		return NULL;
	}
	return ls_new(path, fd, 1);
}

struct logstore *logstore_open(const char *path, struct cb_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct logstore *ls;
	ssize_t n;

	if (fd < 0) {
		cb_err_sys(err, "%s", path);
		return NULL;
	}
	ls = ls_new(path, fd, 0);
	for (;;) {
		n = read(fd, ls->block, LOGSTORE_BLOCK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			cb_err_sys(err, "%s", path);
			logstore_free(ls);
			return NULL;
		}
		if (n == 0)
			break;
		index_bytes(ls, ls->block, (size_t)n);
	}
	ls->block_len = 0;
	return ls;
}

int logstore_append(struct logstore *ls, const void *data, size_t n,
		    struct cb_err *err)
{
	const char *p = data;
	size_t left = n;

	if (!ls->writable)
		return cb_err_set(err, CB_ERR_USAGE, "%s: opened read-only", ls->path);
	while (left) {
		ssize_t w = write(ls->fd, p, left);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			/* Index what did reach the file, so lines stay right. */
			index_bytes(ls, data, n - left);
			return cb_err_sys(err, "%s", ls->path);
		}
		p += w;
		left -= (size_t)w;
	}
	/* The block cache may hold a short read of the old end. */
	if (ls->block_len && ls->block_off + ls->block_len >= ls->bytes)
		ls->block_len = 0;
	index_bytes(ls, data, n);
	return 0;
}

uint64_t logstore_lines(const struct logstore *ls)
{
	return ls->lines_done + (ls->bytes > ls->cur_start ? 1 : 0);
}

/* Make block hold the bytes at off (reading LOGSTORE_BLOCK from there).
 * Returns a pointer to off's byte and how many follow, or NULL at EOF. */
static const char *block_at(struct logstore *ls, uint64_t off, size_t *avail)
{
	if (off >= ls->bytes)
		return NULL;
	if (!(ls->block_len && off >= ls->block_off &&
	      off < ls->block_off + ls->block_len)) {
		ssize_t n;

		do
			n = pread(ls->fd, ls->block, LOGSTORE_BLOCK, (off_t)off);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			ls->block_len = 0;
			return NULL;
		}
		ls->block_off = off;
		ls->block_len = (size_t)n;
	}
	*avail = ls->block_len - (size_t)(off - ls->block_off);
	return ls->block + (off - ls->block_off);
}

/* The offset just after the next '\n' at or after off, or the end. */
static uint64_t next_line_start(struct logstore *ls, uint64_t off)
{
	while (off < ls->bytes) {
		size_t avail;
		const char *p = block_at(ls, off, &avail), *nl;

		if (!p)
			break;
		nl = memchr(p, '\n', avail);
		if (nl)
			return off + (uint64_t)(nl - p) + 1;
		off += avail;
	}
	return ls->bytes;
}

/* Scrolling up one row at a time finds a line this close before a
 * remembered one by stepping back, not from its checkpoint. */
#define BACK_LINES 4

/* The start of the line before the one starting at off (off > 0), or
 * UINT64_MAX when the file cannot be read. */
static uint64_t prev_line_start(struct logstore *ls, uint64_t off)
{
	uint64_t pos = off - 1;   /* the '\n' that ends the previous line */

	while (pos > 0) {
		uint64_t from = pos > LOGSTORE_BLOCK ? pos - LOGSTORE_BLOCK : 0;
		size_t avail;
		const char *p = block_at(ls, from, &avail), *nl;
		size_t span = (size_t)(pos - from);

		/* The cached block may hold from but end before pos: the
		 * window must be read whole, or an earlier '\n' is found. */
		if (p && avail < span) {
			ls->block_len = 0;
			p = block_at(ls, from, &avail);
		}
		if (!p || avail < span)
			return UINT64_MAX;
		nl = memrchr(p, '\n', span);
		if (nl)
			return from + (uint64_t)(nl - p) + 1;
		pos = from;
	}
	return 0;
}

static void remember(struct logstore *ls, uint64_t line, uint64_t off)
{
	for (unsigned k = 0; k < ls->nhint; k++)
		if (ls->hint[k].line == line)
			return;
	ls->hint[ls->next_hint].line = line;
	ls->hint[ls->next_hint].off = off;
	ls->next_hint = (ls->next_hint + 1) % LOGSTORE_HINTS;
	if (ls->nhint < LOGSTORE_HINTS)
		ls->nhint++;
}

/* The index of the last checkpoint whose line is <= line. */
static size_t cp_find(const struct logstore *ls, uint64_t line)
{
	size_t lo = 0, hi = ls->ncp;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (ls->cp[mid].line <= line)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

int logstore_line_span(struct logstore *ls, uint64_t line, uint64_t *off,
		       uint64_t *len)
{
	size_t i;
	uint64_t l, o, end;

	if (line >= logstore_lines(ls))
		return -1;
	i = cp_find(ls, line);
	l = ls->cp[i].line;
	o = ls->cp[i].off;
	/* A line found lately may be nearer than the checkpoint: the next row
	 * of a frame, or the row scrolled in above the top. */
	for (unsigned k = 0; k < ls->nhint; k++) {
		const struct logstore_checkpoint *h = &ls->hint[k];

		if (h->line <= line && h->line > l) {
			l = h->line;
			o = h->off;
		}
	}
	for (unsigned k = 0; k < ls->nhint && l + BACK_LINES < line; k++) {
		const struct logstore_checkpoint *h = &ls->hint[k];

		if (h->line > line && h->line - line <= BACK_LINES) {
			uint64_t back = h->off;

			for (uint64_t b = h->line; b > line && back != UINT64_MAX; b--)
				back = prev_line_start(ls, back);
			if (back != UINT64_MAX) {
				l = line;
				o = back;
			}
			break;
		}
	}
	while (l < line) {
		o = next_line_start(ls, o);
		l++;
	}
	if (line >= ls->lines_done) {
		end = ls->bytes;              /* the unfinished last line */
	} else if (i + 1 < ls->ncp && ls->cp[i + 1].line == line + 1) {
		end = ls->cp[i + 1].off - 1;  /* a long line ends at a checkpoint */
	} else {
		end = next_line_start(ls, o) - 1;
	}
	/* A log cut short under us (truncated by someone else) reads as
	 * ending early: no such line, rather than a length that wrapped. */
	if (o > ls->bytes || end < o)
		return -1;
	*off = o;
	*len = end - o;
	remember(ls, line, o);
	return 0;
}

int logstore_read_line(struct logstore *ls, uint64_t line, uint64_t col,
		       size_t max, struct buf *out, uint64_t *line_len)
{
	uint64_t off, len, want;

	if (logstore_line_span(ls, line, &off, &len) < 0)
		return -1;
	if (line_len)
		*line_len = len;
	if (col >= len)
		return 0;
	want = len - col;
	if (want > max)
		want = max;
	off += col;
	while (want) {
		size_t avail;
		const char *p = block_at(ls, off, &avail);

		if (!p)
			return -1;
		if (avail > want)
			avail = (size_t)want;
		buf_append(out, p, avail);
		off += avail;
		want -= avail;
	}
	return 0;
}

static const char *find_in(const char *hay, size_t hl, const char *needle,
			   size_t nl, int icase)
{
	if (!icase)
		return memmem(hay, hl, needle, nl);
	for (size_t i = 0; i + nl <= hl; i++) {
		size_t k = 0;

		while (k < nl && tolower((unsigned char)hay[i + k]) ==
				 tolower((unsigned char)needle[k]))
			k++;
		if (k == nl)
			return hay + i;
	}
	return NULL;
}

/* Whether line (whose span is known) contains needle.  Long lines are
 * searched block by block with an overlap, never read whole. */
static int line_has(struct logstore *ls, uint64_t off, uint64_t len,
		    const char *needle, size_t nl, int icase)
{
	struct buf b, plain;
	uint64_t pos = 0;
	int hit = 0;
	size_t step = LOGSTORE_BLOCK;

	buf_init(&b);
	buf_init(&plain);
	while (!hit && pos < len) {
		uint64_t want = len - pos;
		uint64_t o = off + pos;

		if (want > step + nl)
			want = step + nl;
		buf_reset(&b);
		while (want) {
			size_t avail;
			const char *p = block_at(ls, o, &avail);

			if (!p)
				break;
			if (avail > want)
				avail = (size_t)want;
			buf_append(&b, p, avail);
			o += avail;
			want -= avail;
		}
		/* Search the text as it is shown: colour codes between the
		 * words of "error: linking" must not hide it, and "31m" must
		 * not match an escape sequence. */
		buf_reset(&plain);
		ansi_strip(b.data ? b.data : "", b.len, &plain);
		hit = plain.len && find_in(plain.data, plain.len, needle, nl, icase) != NULL;
		pos += step;
	}
	buf_fini(&b);
	buf_fini(&plain);
	return hit;
}

int logstore_find(struct logstore *ls, uint64_t from, int backward,
		  const char *needle, int icase, uint64_t *found)
{
	uint64_t n = logstore_lines(ls);
	size_t nl = strlen(needle);

	if (!nl || !n)
		return 0;
	if (from >= n)
		from = n - 1;
	if (!backward) {
		uint64_t off, len;

		if (logstore_line_span(ls, from, &off, &len) < 0)
			return 0;
		for (uint64_t l = from; l < n; l++) {
			uint64_t next = l + 1 < n ? next_line_start(ls, off) : ls->bytes;

			len = (l >= ls->lines_done) ? ls->bytes - off : next - off - 1;
			if (line_has(ls, off, len, needle, nl, icase)) {
				*found = l;
				return 1;
			}
			off = next;
		}
		return 0;
	}
	/* Backward: walk the checkpoint segments from the one holding from
	 * towards the start; within a segment, scan forward, keep the last
	 * hit not after from. */
	for (size_t i = cp_find(ls, from) + 1; i-- > 0;) {
		uint64_t l = ls->cp[i].line, off = ls->cp[i].off;
		uint64_t stop = i + 1 < ls->ncp ? ls->cp[i + 1].line : n;
		int have = 0;
		uint64_t best = 0;

		if (stop > from + 1)
			stop = from + 1;
		for (; l < stop; l++) {
			uint64_t next = next_line_start(ls, off);
			uint64_t len = (l >= ls->lines_done) ? ls->bytes - off
							     : next - off - 1;

			if (line_has(ls, off, len, needle, nl, icase)) {
				have = 1;
				best = l;
			}
			off = next;
		}
		if (have) {
			*found = best;
			return 1;
		}
	}
	return 0;
}
