/* diagfeed.c - live streams scanned on worker threads (see diagfeed.h).
 *
 * A feed's bytes wait in its `in` buffer.  A worker takes the whole buffer
 * (swapping it for its empty `work` one, so pushing never waits for a
 * scan), splits it into lines after the feed's unended one (`carry`),
 * and for each line runs the literal prefilter as diagnose_fd's scan does.
 * The lines some pattern could match are copied into a result with their
 * candidates and their place in the stream; the caller's thread applies
 * results in order.  One worker at a time has a feed (`busy`), so its
 * lines stay in order; all the shared fields are under the pool's mutex. */
#include "diagfeed.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "diagnose_impl.h"
#include "proc.h"

#define POOL_THREADS_MAX 8

struct cand_line {
	size_t off, len;         /* in the result's text */
	size_t idx;              /* 0-based, among the lines this scan ended */
	size_t cand, ncand;      /* its candidate patterns, in pats */
	int json;
};

struct result {
	struct buf text;
	struct cand_line *lines;
	size_t nlines, caplines;
	uint32_t *pats;
	size_t npats, cappats;
	size_t ended;            /* lines this scan ended */
	struct result *next;
};

struct diagfeed {
	struct diagpool *pool;
	struct diagnose *d;
	struct buf in;           /* pushed, not yet taken (mutex) */
	struct buf work;         /* what the busy worker scans */
	struct buf carry;        /* the unended line's head (the busy worker's) */
	int carry_cut;
	int queued, busy;        /* mutex */
	struct result *head, *tail;  /* scanned, not yet applied (mutex) */
	struct diagfeed *next;   /* in the ready queue (mutex) */
};

struct diagpool {
	const struct rules *r;
	pthread_mutex_t mu;
	pthread_cond_t work_cv;  /* a feed is ready, or stop */
	pthread_cond_t idle_cv;  /* a worker put a feed down */
	struct diagfeed *ready, *ready_tail;
	int stop;
	int nthreads;
	pthread_t tid[POOL_THREADS_MAX];
	int wake[2];
};

static void result_free(struct result *r)
{
	if (!r)
		return;
	buf_fini(&r->text);
	free(r->lines);
	free(r->pats);
	free(r);
}

/* One complete line of f's stream: a candidate goes into res.  plain:
 * the line is known to hold no escape and no carriage return, so it is
 * its own clean text. */
static void scan_line(struct rules_matcher *m, struct buf *clean,
		      struct result *res, const char *s, size_t n, int plain)
{
	size_t cn = n, np;
	const char *c = plain ? s : diagnose_clean_line(clean, s, &cn);
	int json = diagnose_is_json_message(c, cn);

	np = json ? 0 : rules_prefilter_line(m, c, cn > DIAGNOSE_LINE_MAX ? DIAGNOSE_LINE_MAX : cn);
	if (json || np) {
		size_t keep = diagnose_keep_limit(n ? s[0] : 0);

		if (res->nlines == res->caplines) {
			res->caplines = res->caplines ? res->caplines * 2 : 64;
			res->lines = xrealloc(res->lines, res->caplines * sizeof *res->lines);
		}
		if (res->npats + np > res->cappats) {
			res->cappats = (res->npats + np) * 2 + 64;
			res->pats = xrealloc(res->pats, res->cappats * sizeof *res->pats);
		}
		if (np)
			memcpy(res->pats + res->npats, rules_matcher_candidates(m),
			       np * sizeof *res->pats);
		/* Kept as diagnose_feed keeps a line: a text line's head. */
		if (n > keep)
			n = keep;
		res->lines[res->nlines++] = (struct cand_line){
			res->text.len, n, res->ended, res->npats, np, json };
		res->npats += np;
		buf_append(&res->text, s, n);
	}
	res->ended++;
}

static void carry_add(struct diagfeed *f, const char *s, size_t n)
{
	size_t lim;

	if (f->carry_cut || n == 0)
		return;
	lim = diagnose_keep_limit(f->carry.len ? f->carry.data[0] : s[0]);
	if (f->carry.len + n > lim) {
		n = lim > f->carry.len ? lim - f->carry.len : 0;
		f->carry_cut = 1;
	}
	buf_append(&f->carry, s, n);
}

/* Scan f->work (the busy worker's): the lines it ends, after the carry. */
static struct result *scan(struct diagfeed *f, struct rules_matcher *m,
			   struct buf *clean)
{
	struct result *res = xcalloc(1, sizeof *res);
	const char *p = f->work.data ? f->work.data : "";
	size_t n = f->work.len;
	const char *end = p + n;
	const char *esc = n ? memchr(p, 0x1b, n) : NULL, *cr = n ? memchr(p, '\r', n) : NULL;

	buf_init(&res->text);
	if (!esc)
		esc = end;
	if (!cr)
		cr = end;
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t seg = nl ? (size_t)(nl - p) : n;

		if (!nl) {
			carry_add(f, p, seg);
			break;
		}
		/* The next escape and carriage return, found once for all
		 * the lines before them (most lines have neither). */
		if (esc < p && !(esc = memchr(p, 0x1b, (size_t)(end - p))))
			esc = end;
		if (cr < p && !(cr = memchr(p, '\r', (size_t)(end - p))))
			cr = end;
		if (f->carry.len == 0 && !f->carry_cut) {
			scan_line(m, clean, res, p, seg, esc >= nl && cr >= nl);
		} else {
			carry_add(f, p, seg);
			scan_line(m, clean, res, f->carry.data ? f->carry.data : "",
				  f->carry.len, 0);
			buf_reset(&f->carry);
			f->carry_cut = 0;
		}
		p += seg + 1;
		n -= seg + 1;
	}
	buf_reset(&f->work);
	return res;
}

static void enqueue(struct diagpool *p, struct diagfeed *f)
{
	f->queued = 1;
	f->next = NULL;
	if (p->ready_tail)
		p->ready_tail->next = f;
	else
		p->ready = f;
	p->ready_tail = f;
	pthread_cond_signal(&p->work_cv);
}

static void *worker(void *arg)
{
	struct diagpool *p = arg;
	struct rules_matcher *m = rules_matcher_new(p->r);
	struct buf clean;

	buf_init(&clean);
	pthread_mutex_lock(&p->mu);
	for (;;) {
		struct diagfeed *f;
		struct result *res;
		struct buf t;

		while (!p->stop && !p->ready)
			pthread_cond_wait(&p->work_cv, &p->mu);
		if (p->stop)
			break;
		f = p->ready;
		p->ready = f->next;
		if (!p->ready)
			p->ready_tail = NULL;
		f->queued = 0;
		f->busy = 1;
		t = f->work;
		f->work = f->in;
		f->in = t;
		pthread_mutex_unlock(&p->mu);

		res = scan(f, m, &clean);

		pthread_mutex_lock(&p->mu);
		if (f->tail)
			f->tail->next = res;
		else
			f->head = res;
		f->tail = res;
		f->busy = 0;
		if (f->in.len)
			enqueue(p, f);
		pthread_cond_broadcast(&p->idle_cv);
		/* Full: the caller has a wake-up waiting already. */
		(void)!write(p->wake[1], "", 1);
	}
	pthread_mutex_unlock(&p->mu);
	rules_matcher_free(m);
	buf_fini(&clean);
	return NULL;
}

struct diagpool *diagpool_new(const struct rules *r, int nthreads)
{
	struct diagpool *p = xcalloc(1, sizeof *p);
	sigset_t all, old;

	p->r = r;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work_cv, NULL);
	pthread_cond_init(&p->idle_cv, NULL);
	if (nthreads <= 0)
		nthreads = proc_ncpus();
	if (nthreads < 1)
		nthreads = 1;
	if (nthreads > POOL_THREADS_MAX)
		nthreads = POOL_THREADS_MAX;
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		p->wake[0] = p->wake[1] = -1;
		return p;   /* no threads: feeds diagnose on the caller's */
	}
	/* Signals are the main loop's (its self-pipe), never a worker's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	for (int i = 0; i < nthreads; i++) {
		if (pthread_create(&p->tid[p->nthreads], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return p;
}

void diagpool_free(struct diagpool *p)
{
	if (!p)
		return;
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->work_cv);
	pthread_mutex_unlock(&p->mu);
	for (int i = 0; i < p->nthreads; i++)
		pthread_join(p->tid[i], NULL);
	if (p->wake[0] >= 0) {
		close(p->wake[0]);
		close(p->wake[1]);
	}
	pthread_cond_destroy(&p->work_cv);
	pthread_cond_destroy(&p->idle_cv);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

int diagpool_fd(const struct diagpool *p)
{
	return p && p->nthreads ? p->wake[0] : -1;
}

void diagpool_drain(struct diagpool *p)
{
	char b[256];

	if (p && p->wake[0] >= 0)
		while (read(p->wake[0], b, sizeof b) > 0)
			;
}

struct diagfeed *diagfeed_new(struct diagpool *p, struct diagnose *d)
{
	struct diagfeed *f = xcalloc(1, sizeof *f);

	f->pool = p && p->nthreads ? p : NULL;
	f->d = d;
	buf_init(&f->in);
	buf_init(&f->work);
	buf_init(&f->carry);
	return f;
}

/* Wait until no worker has f and nothing of it is queued (mutex held). */
static void wait_idle(struct diagfeed *f)
{
	struct diagpool *p = f->pool;

	while (f->busy || f->queued)
		pthread_cond_wait(&p->idle_cv, &p->mu);
}

static void take_results(struct diagfeed *f, struct result **head)
{
	*head = f->head;
	f->head = f->tail = NULL;
}

void diagfeed_free(struct diagfeed *f)
{
	struct result *r = NULL;

	if (!f)
		return;
	if (f->pool) {
		struct diagpool *p = f->pool;

		pthread_mutex_lock(&p->mu);
		if (f->queued) {
			/* Out of the queue, so no worker picks it up. */
			struct diagfeed **pp = &p->ready;

			p->ready_tail = NULL;
			while (*pp) {
				if (*pp == f)
					*pp = f->next;
				else {
					p->ready_tail = *pp;
					pp = &(*pp)->next;
				}
			}
			f->queued = 0;
		}
		wait_idle(f);
		take_results(f, &r);
		pthread_mutex_unlock(&p->mu);
	}
	while (r) {
		struct result *next = r->next;

		result_free(r);
		r = next;
	}
	buf_fini(&f->in);
	buf_fini(&f->work);
	buf_fini(&f->carry);
	free(f);
}

void diagfeed_push(struct diagfeed *f, const char *bytes, size_t n)
{
	struct diagpool *p = f->pool;

	if (!n)
		return;
	if (!p) {
		diagnose_feed(f->d, bytes, n);
		return;
	}
	pthread_mutex_lock(&p->mu);
	buf_append(&f->in, bytes, n);
	if (!f->queued && !f->busy)
		enqueue(p, f);
	pthread_mutex_unlock(&p->mu);
}

size_t diagfeed_pending(struct diagfeed *f)
{
	size_t n;

	if (!f || !f->pool)
		return 0;
	pthread_mutex_lock(&f->pool->mu);
	n = f->in.len + f->work.len;
	pthread_mutex_unlock(&f->pool->mu);
	return n;
}

/* Give the results to the diagnoser, in the stream's order, with their
 * true line numbers (as diagnose_fd's batches do). */
static int apply(struct diagfeed *f, struct result *r)
{
	struct diagnose *d = f->d;
	int any = 0;

	while (r) {
		struct result *next = r->next;
		size_t base = d->lineno;

		for (size_t i = 0; i < r->nlines; i++) {
			const struct cand_line *l = &r->lines[i];

			d->lineno = base + l->idx;
			d->pre_cand = l->json ? NULL : r->pats + l->cand;
			d->pre_ncand = l->ncand;
			diagnose_process_line(d, r->text.data ? r->text.data + l->off : "",
					      l->len);
			any = 1;
		}
		d->pre_cand = NULL;
		d->lineno = base + r->ended;
		result_free(r);
		r = next;
	}
	if (any)
		diagnose_refresh(d);
	return any;
}

int diagfeed_apply(struct diagfeed *f)
{
	struct result *r;

	if (!f || !f->pool || f->d->finished)
		return 0;
	pthread_mutex_lock(&f->pool->mu);
	take_results(f, &r);
	pthread_mutex_unlock(&f->pool->mu);
	return apply(f, r);
}

void diagfeed_finish(struct diagfeed *f)
{
	struct diagpool *p = f->pool;
	struct result *r;

	if (!p) {
		diagnose_finish(f->d);
		return;
	}
	pthread_mutex_lock(&p->mu);
	wait_idle(f);
	take_results(f, &r);
	pthread_mutex_unlock(&p->mu);
	if (!f->d->finished) {
		apply(f, r);
		/* The last line, unended: diagnose_finish's own carry. */
		if (f->carry.len || f->carry_cut)
			diagnose_process_line(f->d, f->carry.data ? f->carry.data : "",
					      f->carry.len);
	} else {
		while (r) {
			struct result *next = r->next;

			result_free(r);
			r = next;
		}
	}
	buf_reset(&f->carry);
	f->carry_cut = 0;
	diagnose_finish(f->d);
}
