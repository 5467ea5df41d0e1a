/* rules.h - diagnosis rules: load them from data files, compile them with
 * pcre2 (JIT), and find which of them match a line of a build log.
 *
 * The file format is described in crossbench-rules(5).  In short:
 *
 *   [rule "cc-rs-tool-not-found"]
 *       category = missing-c-compiler
 *       rank = 80
 *       match = Failed to find tool\. Is `(?<tool>[^`]+)` installed\?
 *       summary = {crate|a build script} needs {tool}, which is not installed
 *       explain = ...
 *       fix = install tool {tool}
 *       fix = set cc {gnu_prefix}-gcc
 *   [context "cargo-target"]
 *       priority = 3
 *       match = --target[= ](?<target>[A-Za-z0-9_.-]+)
 *
 * A [rule] names a failure; a [context] only records facts about the log
 * (its target, the crate being built, the linker) for the templates of the
 * rules.  Files load in order from the data dir (core/rules in the source
 * tree), ~/.config/crossbench/rules/ and <project>/.crossbench-rules/; a
 * later section with the same id replaces an earlier one.
 *
 * Matching cost per line does not grow with the number of rules: every
 * pattern has a literal it cannot match without (taken from the pattern
 * itself), and one pass over the line with a table of two-byte anchors of
 * all literals picks the few patterns worth running.
 */
#ifndef CB_RULES_H
#define CB_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct packages;

enum rules_fix_kind {
	RULES_FIX_SET,      /* set KEY VALUE: a per-target setting (config.h key) */
	RULES_FIX_INSTALL,  /* install KIND NAME: packages from packages.conf */
	RULES_FIX_RUN,      /* run ARGV...: a command */
	RULES_FIX_TEXT,     /* text ...: advice in words */
};

/* A fix as written in the rule: templates with {var} still in them. */
struct rules_fix {
	enum rules_fix_kind kind;
	char *arg;    /* set: the key; install: the kind ("tool", "std", "lib") */
	char *tmpl;   /* set: value; install: name; run: argv; text: text */
};

/* "if = {a} == {b}" or "{a} != {b}": compared after expansion. */
struct rules_cond {
	char *left, *right;
	int equal;
};

enum rules_entry_kind { RULES_RULE, RULES_CONTEXT };

/* One [rule] or [context] section, compiled. */
struct rules_entry {
	enum rules_entry_kind kind;
	char *id;
	char *file;          /* where it was defined */
	int line;
	int category;        /* enum category (rules only) */
	int rank;            /* higher: more likely the root cause (default 50) */
	int priority;        /* contexts: a higher one replaces a value (default 1) */
	int fallback;        /* only shown when nothing else was found */
	int disabled;        /* replaced by a later section with the same id */
	uint64_t absorbs;    /* bit per category this cause explains away */
	char *summary;       /* templates */
	char *explain;
	struct rules_fix *fixes;
	size_t nfixes;
	struct rules_cond *conds;
	size_t nconds;
};

/* A rule file problem: the file, the line, pcre2's error offset in the
 * pattern (-1 when not a pattern error) and what is wrong. */
struct rules_problem {
	char *file;
	int line;
	int offset;
	char *message;
};

struct rules;

/* Load every *.rules file of the data dir, of ~/.config/crossbench/rules/
 * and of <project_dir>/.crossbench-rules/ (project_dir NULL: skip it), and
 * the package names of packages.conf.  A bad section is left out and
 * described in *problems (an array of *nproblems the caller frees with
 * rules_problems_free; problems may be NULL to ignore them).  Returns the
 * rules (free with rules_free), or NULL with err when not one rule loaded. */
struct rules *rules_load(const char *project_dir,
			 struct rules_problem **problems, size_t *nproblems,
			 struct cb_err *err);

/* An empty set, to add files or text to (tests, fuzzers). */
struct rules *rules_new(void);
void rules_free(struct rules *r);

/* Add the sections of one file, or of text named name (as if it were a
 * file).  Problems are appended to r's list.  Returns the number of
 * sections that loaded, or -1 with err when the file cannot be read. */
int rules_add_file(struct rules *r, const char *path, struct cb_err *err);
int rules_add_text(struct rules *r, const char *name, const char *text,
		   size_t len);

/* Whether a directory entry named name is a rules file rules_add_dir
 * reads (NAME.rules, not hidden); the trust hash covers the same files. */
int rules_file_name(const char *name);

/* Add every *.rules file of dir in name order; a missing dir is not an
 * error.  Returns the number of sections loaded. */
int rules_add_dir(struct rules *r, const char *dir);

/* Problems found so far (owned by r). */
size_t rules_problem_count(const struct rules *r);
const struct rules_problem *rules_problem_get(const struct rules *r, size_t i);
/* Move r's problems to the caller (array + count); r keeps none. */
void rules_take_problems(struct rules *r, struct rules_problem **problems,
			 size_t *nproblems);
void rules_problems_free(struct rules_problem *p, size_t n);

/* Rules and contexts, in load order (disabled ones included). */
size_t rules_count(const struct rules *r);
const struct rules_entry *rules_get(const struct rules *r, size_t i);
/* How many patterns have no literal (they run on every line). */
size_t rules_unfiltered_count(const struct rules *r);

/* The packages.conf knowledge the fixes use; r owns it.  rules_load sets
 * it; rules_set_packages replaces it (r takes ownership). */
const struct packages *rules_packages(const struct rules *r);
void rules_set_packages(struct rules *r, struct packages *p);

/* The literal rules_load anchors a pattern's prefilter on (of the runs of
 * plain bytes a match must contain, the one with the rarest three bytes),
 * written to out in lower case; returns its length, 0 when the pattern has
 * none of 3 bytes or more.  Exposed for tests. */
size_t rules_pattern_literal(const char *pattern, char *out, size_t n);

/* ---- matching ---- */

/* A named capture of a hit: s points into the line given to
 * rules_match_line and is valid until the next call. */
struct rules_capture {
	const char *name;
	const char *s;
	size_t len;
};

struct rules_hit {
	size_t entry;            /* index for rules_get */
	size_t first_capture;    /* into rules_matcher_captures() */
	size_t ncaptures;
};

struct rules_matcher;

/* A matcher holds the per-line scratch space (pcre2 match data, candidate
 * marks) for one stream; r must outlive it and not change meanwhile
 * (several matchers may share one r).
 * Free with rules_matcher_free. */
struct rules_matcher *rules_matcher_new(const struct rules *r);
void rules_matcher_free(struct rules_matcher *m);

/* Run every pattern whose literal occurs in line[0..n) and return how many
 * patterns matched; at most one hit per entry (its first pattern that
 * matches).  The work is bounded: pcre2 gets a match limit, and callers cut
 * lines to a sane length first (diagnose.h does). */
size_t rules_match_line(struct rules_matcher *m, const char *line, size_t n);

/* Only the literal prefilter of rules_match_line: how many patterns could
 * match the line (0: none can, and rules_match_line would find nothing).
 * Touches nothing but m, so each thread can run it with a matcher of its
 * own. */
size_t rules_prefilter_line(struct rules_matcher *m, const char *line, size_t n);

/* The patterns the last rules_prefilter_line found (as many as it said),
 * valid until the matcher's next use. */
const uint32_t *rules_matcher_candidates(const struct rules_matcher *m);

/* rules_match_line with the prefilter's answer given: run the candidate
 * patterns (cand, from rules_matcher_candidates of any matcher of the
 * same rules) on the line. */
size_t rules_match_candidates(struct rules_matcher *m, const char *line, size_t n,
			      const uint32_t *cand, size_t ncand);
const struct rules_hit *rules_matcher_hit(const struct rules_matcher *m,
					  size_t i);
const struct rules_capture *rules_matcher_captures(const struct rules_matcher *m);

/* Leave entry out of the matching (skip 1) or take it back (0): a context
 * whose values can no longer change need not run. */
void rules_matcher_skip(struct rules_matcher *m, size_t entry, int skip);

/* The capture names of an entry's patterns, up to max, into names (they
 * belong to r); returns how many there are. */
size_t rules_entry_names(const struct rules *r, size_t entry,
			 const char **names, size_t max);

#endif
