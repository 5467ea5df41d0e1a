/* diagnose_fd.c - diagnose a whole log read from a file descriptor, the
 * literal prefilter running on every core.
 *
 * The log is read in blocks of whole lines.  Up to one block per core is
 * scanned at once, each by a thread with a matcher of its own, and a scan
 * only notes the lines that some pattern could match (their literal is
 * there, or the line is one of cargo's JSON messages): on a real log that
 * is a few lines in a hundred.  Then, in the log's order, only those lines
 * go through the diagnoser with their true line numbers: what it finds is
 * what diagnose_feed would have found, since a line no pattern can match
 * changes nothing but the count.  Memory stays at two blocks per thread,
 * whatever the size of the log or of its longest line (a line longer than
 * a block goes through diagnose_feed, which keeps only its head). */
#include "diagnose_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

#define SCAN_BLOCK ((size_t)4 << 20)
#define SCAN_THREADS_MAX 8

struct scan_line {
	size_t off, len, idx;
	size_t cand, ncand;      /* its candidate patterns, in the scan's pats */
	int json;
};

struct scan {
	struct rules_matcher *m;
	struct buf clean;
	char *data;              /* the block: mapped, or heap */
	void *map;               /* the mapped window, or NULL */
	size_t maplen;
	char *heap;              /* a block read, SCAN_BLOCK after a tail */
	size_t cap;
	size_t start, n;         /* the whole lines: data[start, start+n) */
	size_t nlines;
	struct scan_line *cand;
	size_t ncand, capcand;
	uint32_t *pats;
	size_t npats, cappats;
};

static void *scan_block(void *arg)
{
	struct scan *sc = arg;
	const char *p = sc->data + sc->start, *base = p, *end = p + sc->n;

	sc->nlines = 0;
	sc->ncand = 0;
	sc->npats = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t cn = len;
		const char *c = diagnose_clean_line(&sc->clean, p, &cn);

		int json = diagnose_is_json_message(c, cn);
		size_t np = json ? 0 : rules_prefilter_line(sc->m, c,
				cn > DIAGNOSE_LINE_MAX ? DIAGNOSE_LINE_MAX : cn);

		if (json || np) {
			if (sc->ncand == sc->capcand) {
				sc->capcand = sc->capcand ? sc->capcand * 2 : 256;
				sc->cand = xrealloc(sc->cand, sc->capcand * sizeof *sc->cand);
			}
			if (sc->npats + np > sc->cappats) {
				sc->cappats = (sc->npats + np) * 2 + 256;
				sc->pats = xrealloc(sc->pats, sc->cappats * sizeof *sc->pats);
			}
			memcpy(sc->pats + sc->npats, rules_matcher_candidates(sc->m),
			       np * sizeof *sc->pats);
			sc->cand[sc->ncand++] = (struct scan_line){
				(size_t)(p - base), len, sc->nlines, sc->npats, np, json };
			sc->npats += np;
		}
		sc->nlines++;
		p = nl ? nl + 1 : end;
	}
	return NULL;
}

/* Scan blocks [0, k) at once (block 0 on this thread), then give their
 * candidate lines to the diagnoser in order. */
static void run_batch(struct diagnose *d, struct scan *sc, size_t k)
{
	pthread_t tid[SCAN_THREADS_MAX];
	int started[SCAN_THREADS_MAX] = { 0 };

	for (size_t t = 1; t < k; t++)
		started[t] = pthread_create(&tid[t], NULL, scan_block, &sc[t]) == 0;
	scan_block(&sc[0]);
	for (size_t t = 1; t < k; t++) {
		if (started[t])
			pthread_join(tid[t], NULL);
		else
			scan_block(&sc[t]);  /* no thread: do it here */
	}
	for (size_t t = 0; t < k; t++) {
		size_t base = d->lineno;
		const char *p = sc[t].data + sc[t].start;

		for (size_t i = 0; i < sc[t].ncand; i++) {
			const struct scan_line *l = &sc[t].cand[i];

			d->lineno = base + l->idx;
			d->pre_cand = l->json ? NULL : sc[t].pats + l->cand;
			d->pre_ncand = l->ncand;
			diagnose_process_line(d, p + l->off, l->len);
		}
		d->pre_cand = NULL;
		d->lineno = base + sc[t].nlines;
	}
	diagnose_refresh(d);
}

/* Where the blocks come from: a regular file is mapped a window at a
 * time (the pages are read by the thread that scans them, and no copy is
 * made); anything else is read into the block, after the unended line the
 * block before left (tail). */
struct source {
	int fd;
	int map;
	off_t pos, size;
	struct buf tail;
};

static void unmap(struct scan *s)
{
	if (s->map)
		munmap(s->map, s->maplen);
	s->map = NULL;
}

/* The next block into s: 1, 0 at the end, -1 on a read error. */
static int source_fill(struct source *src, struct scan *s)
{
	size_t got = 0;

	unmap(s);
	s->start = 0;
	if (src->map) {
		long pg = sysconf(_SC_PAGESIZE);
		off_t at = src->pos - src->pos % (pg > 0 ? pg : 4096);
		size_t len;

		if (src->pos >= src->size)
			return 0;
		len = (size_t)(src->size - at) < SCAN_BLOCK + (size_t)(src->pos - at)
			? (size_t)(src->size - at) : SCAN_BLOCK + (size_t)(src->pos - at);
		s->map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, src->fd, at);
		if (s->map == MAP_FAILED) {
			s->map = NULL;
			return -1;
		}
		s->maplen = len;
		s->data = (char *)s->map + (src->pos - at);
		s->n = len - (size_t)(src->pos - at);
		return 1;
	}
	if (s->cap < src->tail.len + SCAN_BLOCK) {
		s->cap = src->tail.len + SCAN_BLOCK;
		s->heap = xrealloc(s->heap, s->cap);
	}
	s->data = s->heap;
	memcpy(s->data, src->tail.data ? src->tail.data : "", src->tail.len);
	while (got < SCAN_BLOCK) {
		ssize_t r = read(src->fd, s->data + src->tail.len + got, SCAN_BLOCK - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	s->n = src->tail.len + got;
	buf_reset(&src->tail);
	return s->n > 0;
}

/* The block's first used bytes are dealt with; the rest begins the next
 * block. */
static void source_used(struct source *src, struct scan *s, size_t used)
{
	if (src->map)
		src->pos += (off_t)used;
	else
		buf_append(&src->tail, s->data + used, s->n - used);
}

int diagnose_fd(struct diagnose *d, int fd, struct cb_err *err)
{
	int nt = proc_ncpus();
	struct scan sc[SCAN_THREADS_MAX];
	struct source src = { fd, 0, 0, 0, { NULL, 0, 0 } };
	struct stat st;
	size_t k = 0;
	int rc = 0;

	if (nt < 1)
		nt = 1;
	if (nt > SCAN_THREADS_MAX)
		nt = SCAN_THREADS_MAX;
	memset(sc, 0, sizeof sc);
	for (int t = 0; t < nt; t++) {
		sc[t].m = rules_matcher_new(d->r);
		buf_init(&sc[t].clean);
	}
	buf_init(&src.tail);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t here = lseek(fd, 0, SEEK_CUR);

		src.map = here >= 0;
		src.pos = here;
		src.size = st.st_size;
	}
	while (!d->finished) {
		struct scan *s = &sc[k];
		int got = source_fill(&src, s);
		size_t used;
		char *last;

		if (got < 0) {
			rc = cb_err_sys(err, "read");
			break;
		}
		if (got == 0)
			break;
		if (d->carry.len || d->carry_cut) {
			/* The end of a line too long for a block (this is the
			 * first block of a batch: see below). */
			char *nl = memchr(s->data, '\n', s->n);

			s->start = nl ? (size_t)(nl + 1 - s->data) : s->n;
			diagnose_feed(d, s->data, s->start);
		}
		last = s->n > s->start ? memrchr(s->data + s->start, '\n', s->n - s->start) : NULL;
		if (!last) {
			/* No line ends in this block: the line is longer than
			 * a block, and diagnose_feed keeps its head (or it is
			 * the log's last, without a newline).  What came
			 * before it is diagnosed first. */
			if (k)
				run_batch(d, sc, k);
			diagnose_feed(d, s->data + s->start, s->n - s->start);
			source_used(&src, s, s->n);
			k = 0;
			continue;
		}
		used = (size_t)(last + 1 - s->data);
		source_used(&src, s, used);
		s->n = used - s->start;
		if (++k == (size_t)nt) {
			run_batch(d, sc, k);
			k = 0;
		}
	}
	if (k)
		run_batch(d, sc, k);
	buf_fini(&src.tail);
	for (int t = 0; t < SCAN_THREADS_MAX; t++) {
		unmap(&sc[t]);
		rules_matcher_free(sc[t].m);
		buf_fini(&sc[t].clean);
		free(sc[t].heap);
		free(sc[t].cand);
		free(sc[t].pats);
	}
	return rc;
}

struct diagnose *diagnose_file(const struct rules *r, const char *target,
			       const struct host *h, const char *path,
			       struct cb_err *err)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	struct diagnose *d;

	if (fd < 0) {
		cb_err_sys(err, "%s", path);
		return NULL;
	}
	d = diagnose_new(r, target, h);
	if (diagnose_fd(d, fd, err) < 0) {
		if (err) {
			char why[sizeof err->msg];

			snprintf(why, sizeof why, "%s", err->msg);
			cb_err_set(err, CB_ERR_IO, "%s: %s", path, why);
		}
		diagnose_free(d);
		d = NULL;
	} else {
		diagnose_finish(d);
	}
	if (fd > 0)
		close(fd);
	return d;
}
