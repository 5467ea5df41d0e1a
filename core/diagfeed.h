/* diagfeed.h - diagnose live streams with the line scanning on worker
 * threads.
 *
 * diagnose_feed() does all its work on the caller's thread: splitting
 * lines, removing colour, and the literal prefilter that decides which
 * lines some rule could match.  On a build that prints hundreds of
 * megabytes that is most of the workbench's time, and it would all be on
 * the one thread that also reads every build's pipes and draws the screen.
 * A pool moves that scanning to threads of its own (one per core): the
 * caller pushes the bytes a build printed, a worker scans them, and the
 * caller later applies the few candidate lines to the diagnose object,
 * which only the caller's thread ever touches.  What it finds is what
 * diagnose_feed would have found.
 *
 *   struct diagpool *p = diagpool_new(rules, 0);
 *   struct diagfeed *f = diagfeed_new(p, d);
 *   diagfeed_push(f, bytes, n);            ... as the build prints
 *   poll diagpool_fd(p); diagpool_drain(p); diagfeed_apply(f);
 *   diagfeed_finish(f);                    ... the build ended
 *   diagfeed_free(f); diagpool_free(p);
 *
 * Memory: what is pushed and not yet scanned (diagfeed_pending(), which a
 * caller keeps small by not reading more while it is large), the
 * candidate lines not yet applied, and one unended line's head. */
#ifndef CB_DIAGFEED_H
#define CB_DIAGFEED_H

#include <stddef.h>

#include "diagnose.h"
#include "rules.h"

/* Stop reading a stream whose feed has this much not yet scanned. */
#define DIAGFEED_PENDING_MAX ((size_t)256 << 10)

struct diagpool;
struct diagfeed;

/* A pool of nthreads workers (0: one per core, at most 8) scanning for
 * rules r, which must outlive it.  With no threads (none could start)
 * every push is diagnosed on the caller's thread. */
struct diagpool *diagpool_new(const struct rules *r, int nthreads);
/* Waits for the workers; every feed must be freed first. */
void diagpool_free(struct diagpool *p);
/* Readable when a worker has finished a scan (results may be ready). */
int diagpool_fd(const struct diagpool *p);
/* Empty diagpool_fd's pipe. */
void diagpool_drain(struct diagpool *p);

/* A feed for d (which must outlive it).  p may be NULL: then the feed
 * calls diagnose_feed itself. */
struct diagfeed *diagfeed_new(struct diagpool *p, struct diagnose *d);
/* Waits while a worker scans it. */
void diagfeed_free(struct diagfeed *f);
/* The next bytes of the stream, split anywhere. */
void diagfeed_push(struct diagfeed *f, const char *bytes, size_t n);
/* Bytes pushed and not yet scanned. */
size_t diagfeed_pending(struct diagfeed *f);
/* Give what the workers have scanned to the diagnose object.  Returns 1
 * when its diagnoses may have changed, else 0. */
int diagfeed_apply(struct diagfeed *f);
/* The stream ended: wait for every byte to be scanned, apply it and
 * diagnose_finish() the diagnose object. */
void diagfeed_finish(struct diagfeed *f);

#endif
