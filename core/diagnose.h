/* diagnose.h - run the rules over a build log, live while it streams, and
 * say what went wrong and how to fix it.
 *
 * Feed it what cargo prints, in chunks split anywhere: cargo's stderr
 * verbatim plus the `rendered` text of each compiler message, or a CI log
 * that mixes text with cargo's --message-format=json lines (a JSON line's
 * rendered text is read as if it had been printed).  CRLF, ANSI colour,
 * invalid UTF-8 and NUL bytes are fine.  The work per line is bounded: only
 * the first DIAGNOSE_LINE_MAX bytes of a text line are read, and a JSON
 * line longer than DIAGNOSE_JSON_MAX is read as text.
 *
 *   struct diagnose *d = diagnose_new(rules, NULL, &host);
 *   while ((n = read(fd, buf, sizeof buf)) > 0) {
 *       diagnose_feed(d, buf, n);
 *       ... diagnose_count(d) / diagnose_get(d, 0) for a live view ...
 *   }
 *   diagnose_finish(d);
 *
 * Diagnoses come root cause first: by the rank of their rule, then by the
 * line they were first seen on.  One cause reported over many lines is one
 * diagnosis (same category); a cause can explain others away (a rule's
 * "absorbs"), and a fallback rule ("other") shows only when nothing more
 * specific was found.
 */
#ifndef CB_DIAGNOSE_H
#define CB_DIAGNOSE_H

#include <jansson.h>
#include <stddef.h>

#include "buf.h"
#include "category.h"
#include "host.h"
#include "rules.h"
#include "err.h"

#define DIAGNOSE_LINE_MAX (64 * 1024)
#define DIAGNOSE_JSON_MAX (16 * 1024 * 1024)

enum diagnosis_fix_kind {
	DIAGNOSIS_FIX_SET,      /* change a per-target setting */
	DIAGNOSIS_FIX_INSTALL,  /* install packages */
	DIAGNOSIS_FIX_RUN,      /* run a command */
	DIAGNOSIS_FIX_TEXT,     /* advice in words */
};

struct diagnosis_fix {
	enum diagnosis_fix_kind kind;
	char *target;          /* set: the triple */
	char *key;             /* set: a config.h key ("linker") */
	char *value;           /* set: its new value */
	char *manager;         /* install: "apt", "dnf", "pacman", "brew" */
	struct strv packages;  /* install */
	struct strv argv;      /* run: the command; install: the install command */
	char *text;            /* every kind: the fix as a person reads it */
};

struct diagnosis {
	enum category category;
	const char *rule;        /* the rule's id */
	size_t line;             /* 1-based line of the evidence in the stream */
	char *evidence;          /* that line, cleaned of colour, maybe cut */
	size_t count;            /* how many lines reported this cause */
	char *summary;
	char *explanation;
	struct diagnosis_fix *fixes;
	size_t nfixes;
	char *subject;           /* what is missing or wrong ("zlib.h", "z",
				  * "protoc"), from the rule's captures, or "":
				  * two targets with the same rule and subject
				  * fail for one cause (board_groups) */
	char *file;              /* a file the failure points at, or NULL */
	int file_line;           /* its line, 0 when unknown */
};

struct diagnose;

/* Start diagnosing one stream.  r must outlive d.  target is the triple
 * being built, or NULL to infer it from the log (--target on a command
 * line, TARGET = Some("...") in a build-script dump, target/<triple>/
 * paths).  h says which package manager fixes should name; NULL names
 * none.  Free with diagnose_free. */
struct diagnose *diagnose_new(const struct rules *r, const char *target,
			      const struct host *h);
void diagnose_free(struct diagnose *d);

/* Whether fixes may ask the cross compiler where its files are (runs
 * "<prefix>-gcc -print-file-name=libgcc_s.so" once per prefix).  On by
 * default; fuzzers and tests of other hosts turn it off. */
void diagnose_set_probe(struct diagnose *d, int on);

/* Feed the next n bytes of the log.  The diagnoses are brought up to date
 * before it returns. */
void diagnose_feed(struct diagnose *d, const char *bytes, size_t n);

/* Feed everything fd gives until EOF (a file, a pipe), as diagnose_feed
 * would, but with the prefilter of each block of lines on its own core
 * and in memory bounded by a few blocks, whatever the size of the log.
 * Returns 0, or -1 with err when a read fails (what was read counts). */
int diagnose_fd(struct diagnose *d, int fd, struct cb_err *err);

/* A whole log file (path; "-" is standard input), diagnosed with
 * diagnose_fd and finished: what `crossbench diagnose` and a finished
 * build's row both read.  Returns the diagnosis (free with
 * diagnose_free), or NULL with err naming the file when it cannot be
 * opened or read. */
struct diagnose *diagnose_file(const struct rules *r, const char *target,
			       const struct host *h, const char *path,
			       struct cb_err *err);

/* The log ended: read a last line that had no newline. */
void diagnose_finish(struct diagnose *d);

/* The diagnoses so far, root cause first.  The pointer stays valid until
 * the next diagnose_feed/diagnose_finish/diagnose_free. */
size_t diagnose_count(const struct diagnose *d);
const struct diagnosis *diagnose_get(const struct diagnose *d, size_t i);

/* The target given or inferred so far, or NULL. */
const char *diagnose_target(const struct diagnose *d);

/* Lines read so far (a last line without newline counts after finish). */
size_t diagnose_lines(const struct diagnose *d);

/* The diagnosis as JSON: {"category", "rule", "line", "evidence",
 * "summary", "explanation", "fixes": [...]} and, when known, "location":
 * {"file", "line"}.  The caller owns the reference. */
json_t *diagnosis_to_json(const struct diagnosis *dg);

/* The fix as JSON: {"kind": "set", "target", "key", "value"} |
 * {"kind": "install", "manager", "packages"} | {"kind": "run", "argv"} |
 * {"kind": "text", "text"}. */
json_t *diagnosis_fix_to_json(const struct diagnosis_fix *f);

/* "set", "install", "run" or "text". */
const char *diagnosis_fix_kind_name(enum diagnosis_fix_kind k);

#endif
