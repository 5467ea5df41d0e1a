/* diagnose_impl.h - the diagnoser's insides, shared by diagnose.c (one
 * line at a time), diagnose_fd.c (a whole file, scanned in parallel) and
 * diagfeed.c (live streams, scanned on worker threads).  Nothing else
 * includes it. */
#ifndef CB_DIAGNOSE_IMPL_H
#define CB_DIAGNOSE_IMPL_H

#include "diagnose.h"
#include "triple.h"

struct var;
struct record;
struct probe;

struct diagnose {
	const struct rules *r;
	struct rules_matcher *m;
	struct host host;
	int have_host;
	int probe;
	char *given_target;

	struct var *vars;
	size_t nvars;

	struct buf carry;       /* a line not yet ended */
	int carry_cut;          /* the line went past what we keep */
	size_t lineno;          /* lines completed */
	int finished;
	struct buf clean;       /* scratch: a line without colour */

	struct record *rec;
	size_t nrec;
	int dirty;              /* records or context changed: render again */

	size_t *view;           /* indexes of the records shown, in order */
	size_t nview;

	struct probe *probes;
	size_t nprobes;

	/* Set by diagnose_fd for the line it passes: the prefilter's
	 * candidates, found on another thread (NULL: run the prefilter). */
	const uint32_t *pre_cand;
	size_t pre_ncand;

	char tcache_text[TRIPLE_MAX];   /* the target last parsed */
	struct triple tcache;
	int tcache_ok;
};

/* The line as a terminal shows it: no escape sequences, nothing before a
 * carriage return, no CI service's timestamp or ##[error] in front.
 * Returns a pointer into s or into clean's data; *n is updated. */
const char *diagnose_clean_line(struct buf *clean, const char *s, size_t *n);

/* The length of a CI service's prefix at the start of a clean line (GitHub
 * Actions or GitLab timestamps, Jenkins' [time], BuildKit's "#5 1.234",
 * ##[error]); 0 when there is none. */
size_t diagnose_ci_prefix_len(const char *s, size_t n);

/* How many bytes of an unended line to keep, by its first byte. */
size_t diagnose_keep_limit(char first);

/* Whether a (clean) line is one of cargo's JSON messages. */
int diagnose_is_json_message(const char *s, size_t n);

/* Diagnose one complete line, the (lineno + 1)th. */
void diagnose_process_line(struct diagnose *d, const char *s, size_t n);

/* Bring the ranked view up to date after new records. */
void diagnose_refresh(struct diagnose *d);

#endif
