/* rules.c - parse rule files, compile their patterns, prefilter lines. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "category.h"
#include "config.h"
#include "packages.h"
#include "paths.h"

/* The shortest literal worth indexing: two bytes are the anchor, a third
 * keeps the verification from passing on nearly every line. */
#define MIN_LITERAL 3
#define MAX_LITERAL 64
#define MAX_RUNS 8
/* A second, finer filter after a pair hits: the anchor's three bytes. */
#define TRIPLE_BITS (1u << 20)
/* pcre2 may backtrack this often on one line before giving up; a rule that
 * needs more is a bad rule, and a log line must never stall the stream. */
#define MATCH_LIMIT 200000

/* absorbs is a bit per category. */
_Static_assert(CATEGORY_COUNT <= 64, "rules_entry.absorbs needs a wider mask");

struct pattern {
	size_t entry;
	pcre2_code *code;
	char lit[MAX_LITERAL + 1];
	size_t litlen;
	size_t anchor;           /* offset of the three-byte anchor in lit */
	char *extra[MAX_RUNS];   /* the other required runs, checked before pcre2 */
	size_t extralen[MAX_RUNS];
	size_t nextra;
	uint32_t *groups;        /* capture group numbers of the names */
	const char **names;      /* point into the pattern's name table */
	size_t nnames;
};

struct anchor_ref {
	uint16_t pair;       /* folded bytes, first << 8 | second */
	uint8_t offset;      /* where the pair sits in the literal */
	uint32_t pattern;
};

struct rules {
	struct rules_entry *e;
	size_t n, cap;
	struct pattern *p;
	size_t np, pcap;
	struct rules_problem *prob;
	size_t nprob, probcap;
	struct packages *packages;

	/* The prefilter, built on first use (index_dirty). */
	int index_dirty;
	uint64_t bits[65536 / 64];   /* raw byte pair (any case) -> maybe */
	uint64_t tbits[TRIPLE_BITS / 64]; /* hash of folded anchor triples */
	struct anchor_ref *refs;     /* sorted by pair: binary searched */
	size_t nrefs;
	uint32_t *unfiltered;        /* patterns with no literal */
	size_t nunfiltered;
	uint32_t *order;             /* pattern indexes in load order */
};

static unsigned char fold[256];

static void build_index(struct rules *r);

static void fold_init(void)
{
	if (fold['A'] == 'a')
		return;
	for (int i = 0; i < 256; i++)
		fold[i] = (unsigned char)((i >= 'A' && i <= 'Z') ? i + 32 : i);
}

/* ---------------------------------------------------------------- problems */

static void problem(struct rules *r, const char *file, int line, int offset,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void problem(struct rules *r, const char *file, int line, int offset,
		    const char *fmt, ...)
{
	struct rules_problem *p;
	struct buf b;
	va_list ap;

	if (r->nprob == r->probcap) {
		r->probcap = r->probcap ? r->probcap * 2 : 8;
		r->prob = xrealloc(r->prob, r->probcap * sizeof *r->prob);
	}
	p = &r->prob[r->nprob++];
	p->file = xstrdup(file);
	p->line = line;
	p->offset = offset;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->message = buf_detach(&b);
}

void rules_problems_free(struct rules_problem *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].file);
		free(p[i].message);
	}
	free(p);
}

size_t rules_problem_count(const struct rules *r)
{
	return r->nprob;
}

const struct rules_problem *rules_problem_get(const struct rules *r, size_t i)
{
	return i < r->nprob ? &r->prob[i] : NULL;
}

void rules_take_problems(struct rules *r, struct rules_problem **problems,
			 size_t *nproblems)
{
	if (problems) {
		*problems = r->prob;
		*nproblems = r->nprob;
	} else {
		rules_problems_free(r->prob, r->nprob);
	}
	r->prob = NULL;
	r->nprob = r->probcap = 0;
}

/* ---------------------------------------------------------------- entries */

struct rules *rules_new(void)
{
	struct rules *r = xcalloc(1, sizeof *r);

	fold_init();
	/* calloc made the empty index: no bits, no refs, nothing unfiltered. */
	return r;
}

static void entry_fini(struct rules_entry *e)
{
	free(e->id);
	free(e->file);
	free(e->summary);
	free(e->explain);
	for (size_t i = 0; i < e->nfixes; i++) {
		free(e->fixes[i].arg);
		free(e->fixes[i].tmpl);
	}
	free(e->fixes);
	for (size_t i = 0; i < e->nconds; i++) {
		free(e->conds[i].left);
		free(e->conds[i].right);
	}
	free(e->conds);
}

static void pattern_fini(struct pattern *p)
{
	for (size_t i = 0; i < p->nextra; i++)
		free(p->extra[i]);
	pcre2_code_free(p->code);
	free(p->groups);
	free(p->names);
}

void rules_free(struct rules *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		entry_fini(&r->e[i]);
	free(r->e);
	for (size_t i = 0; i < r->np; i++)
		pattern_fini(&r->p[i]);
	free(r->p);
	rules_problems_free(r->prob, r->nprob);
	packages_free(r->packages);
	free(r->refs);
	free(r->unfiltered);
	free(r->order);
	free(r);
}

size_t rules_count(const struct rules *r)
{
	return r->n;
}

const struct rules_entry *rules_get(const struct rules *r, size_t i)
{
	return i < r->n ? &r->e[i] : NULL;
}

const struct packages *rules_packages(const struct rules *r)
{
	return r->packages;
}

void rules_set_packages(struct rules *r, struct packages *p)
{
	packages_free(r->packages);
	r->packages = p;
}

/* ---------------------------------------------------------------- literals */

static int is_quantifier_start(const char *s)
{
	if (*s == '?' || *s == '*' || *s == '+')
		return 1;
	if (*s == '{' && isdigit((unsigned char)s[1]))
		return 1;
	return 0;
}

/* Whether the quantifier at s allows zero repetitions. */
static int quantifier_allows_zero(const char *s)
{
	if (*s == '?' || *s == '*')
		return 1;
	if (*s == '{')
		return s[1] == '0';
	return 0;
}

/* Skip a [...] class starting at s; returns the byte after ']'. */
static const char *skip_class(const char *s)
{
	s++;
	if (*s == '^')
		s++;
	if (*s == ']')
		s++;
	while (*s && *s != ']') {
		if (*s == '\\' && s[1])
			s++;
		else if (*s == '[' && s[1] == ':') {
			const char *e = strstr(s + 2, ":]");

			if (e)
				s = e + 1;
		}
		s++;
	}
	return *s ? s + 1 : s;
}

/* Skip a (...) group starting at s; returns the byte after ')'. */
static const char *skip_group(const char *s)
{
	int depth = 0;

	while (*s) {
		if (*s == '\\' && s[1]) {
			s += 2;
			continue;
		}
		if (*s == '[') {
			s = skip_class(s);
			continue;
		}
		if (*s == '(')
			depth++;
		else if (*s == ')' && --depth == 0)
			return s + 1;
		s++;
	}
	return s;
}

/* Every run of literal bytes a match of the pattern must contain, folded
 * to lower case: top-level runs and those of groups that must match. */
struct lit_runs {
	char run[MAX_RUNS][MAX_LITERAL + 1];
	size_t len[MAX_RUNS];
	size_t n;
};

static void save_run(struct lit_runs *L, const char *run, size_t rl)
{
	if (rl < MIN_LITERAL || L->n == MAX_RUNS)
		return;
	memcpy(L->run[L->n], run, rl);
	L->run[L->n][rl] = '\0';
	L->len[L->n++] = rl;
}

static void literal_runs(const char *pat, struct lit_runs *L)
{
	char run[MAX_LITERAL + 1];
	size_t rl = 0, first = L->n;
	const char *s = pat;

	/* Anything that changes what a plain byte means defeats the simple
	 * reading below: no literal, the pattern runs on every line. */
	if (strstr(pat, "\\Q") || strstr(pat, "(?x") || strstr(pat, "(?n") ||
	    strstr(pat, "(*"))
		goto none;
	/* A top-level alternation has no single required literal. */
	for (const char *q = pat; *q;) {
		if (*q == '\\' && q[1])
			q += 2;
		else if (*q == '[')
			q = skip_class(q);
		else if (*q == '(')
			q = skip_group(q);
		else if (*q == '|')
			goto none;
		else
			q++;
	}
	while (*s) {
		int lit = -1;
		const char *next = s + 1;

		if (*s == '\\' && s[1]) {
			unsigned char c = (unsigned char)s[1];

			next = s + 2;
			if (!isalnum(c))
				lit = c;
			else if (!strchr("dDwWsSbBhHvVRXntrfeazZAGK", c))
				goto none; /* \x41, \p{..}, \1: not worth reading */
		} else if (*s == '[') {
			next = skip_class(s);
		} else if (*s == '(') {
			/* A group that must match once holds literals of its
			 * own (alone: the run ends here).  Options like (?i),
			 * lookarounds and optional groups are skipped whole. */
			next = skip_group(s);
			if (!quantifier_allows_zero(next) && next > s + 2 &&
			    next[-1] == ')') {
				const char *in = s + 1;

				if (in[0] == '?' && in[1] == ':')
					in += 2;
				else if (in[0] == '?' && (in[1] == '<' || in[1] == 'P' || in[1] == '\'') &&
					 in[1 + (in[1] == 'P')] != '=' && in[1 + (in[1] == 'P')] != '!') {
					const char *e = strpbrk(in, ">'");

					in = e ? e + 1 : next - 1;
				} else if (in[0] == '?')
					in = NULL;
				if (in && in < next - 1) {
					char *sub = xstrndup(in, (size_t)(next - 1 - in));

					literal_runs(sub, L);
					free(sub);
				}
			}
		} else if (!strchr(".^$|)", *s)) {
			lit = (unsigned char)*s;
		}
		if (lit >= 0 && is_quantifier_start(next)) {
			int keep = !quantifier_allows_zero(next);

			if (keep && rl < MAX_LITERAL)
				run[rl++] = (char)fold[lit];
			/* skip the quantifier itself */
			if (*next == '{') {
				while (*next && *next != '}')
					next++;
				if (*next)
					next++;
			} else {
				next++;
			}
			if (*next == '?' || *next == '+')
				next++;
			/* The run ends at the repeated byte; the last repeat
			 * of a required byte starts the next run. */
			save_run(L, run, rl);
			rl = 0;
			if (keep)
				run[rl++] = (char)fold[lit];
		} else if (lit >= 0) {
			if (rl < MAX_LITERAL)
				run[rl++] = (char)fold[lit];
		} else {
			save_run(L, run, rl);
			rl = 0;
			if (is_quantifier_start(next)) {
				/* a quantified group or class: skip it */
				if (*next == '{') {
					while (*next && *next != '}')
						next++;
					if (*next)
						next++;
				} else {
					next++;
				}
				if (*next == '?' || *next == '+')
					next++;
			}
		}
		s = next;
	}
	save_run(L, run, rl);
	return;
none:
	L->n = first;
}

static size_t pick_anchor(const char *lit, size_t len);
static unsigned anchor_cost(const char *lit, size_t at);

/* The prefilter anchors on the run whose best anchor is rarest (a long
 * run of common words is worse than a short one with a backquote in it);
 * the other runs are checked before pcre2 runs. */
static size_t rarest_run(const struct lit_runs *L)
{
	size_t best = 0;
	unsigned bestc = ~0u;

	for (size_t i = 0; i < L->n; i++) {
		unsigned c = anchor_cost(L->run[i], pick_anchor(L->run[i], L->len[i]));

		if (c < bestc || (c == bestc && L->len[i] > L->len[best])) {
			bestc = c;
			best = i;
		}
	}
	return best;
}

size_t rules_pattern_literal(const char *pat, char *out, size_t n)
{
	struct lit_runs L;
	size_t b;

	fold_init();
	L.n = 0;
	literal_runs(pat, &L);
	if (L.n == 0 || L.len[b = rarest_run(&L)] >= n) {
		out[0] = '\0';
		return 0;
	}
	memcpy(out, L.run[b], L.len[b] + 1);
	return L.len[b];
}

/* The 320 most common byte pairs of cargo build logs (folded to lower
 * case), most common first: counted over tests/fixtures/logs and
 * tests/fixtures/realworld.  An anchor made of these would send most
 * lines to the verifier, so anchors avoid them. */
static const char common_pairs[] =
	"liin  ar\" ibnu \"-lrc64noch\"-4-deunstaah6-g/lusnggnown-b/lonkre\012 e-er"
	"/tuxs/mpwn/d-wonkngex-targ c-ucou//ckebu\"/ru/aedmael: il.rlletsrom-porgs"
	"r/ri-cb--mroakebheogc-p/tmcct/enugcb/rld/uwiatg/picatig--andt-uran st ps"
	"\\\"epg pue letl/h.od teitnefi= ecio =rl egunscgu.al n f tb\"rro_-f220.82"
	"d.hanio-o\"-e86s\"gos icctpcmeig v--is)\012sstr-iot-d26x8oug_wsex_ccedoui"
	"c_toson ntnv.1o:th6__6sira/bs-nffalaadpadiula8se-s_pgcd/ac i8d/scl \\-rrs"
	" ` /mipkped-efoskg.2asopl\"r  dc\"e\"-0ncifcr1._ae\0121a0e rfoo ir (6ad3td"
	"-6esf-bic/v0n/lt28a1prd:(\"au/xr:xicf\012\012.0oc:rd=\")50hoc aie(02352.~~"
	"zlr-20na pt_v-,- al,ddbcwl o 1-bf8id32rywa` _ln\"bag\"c3_dut-ockbsab -tulu"
	"da wf76.ag b";

static uint16_t pair_cost[65536];

/* The cost of anchoring on a pair: high for the common ones, a little for
 * letters (text is mostly letters), least for punctuation. */
static void pair_cost_init(void)
{
	size_t n = (sizeof common_pairs - 1) / 2;

	if (pair_cost[0])
		return;
	for (unsigned a = 0; a < 256; a++)
		for (unsigned b = 0; b < 256; b++)
			pair_cost[(a << 8) | b] = (uint16_t)(1 + ((a >= 'a' && a <= 'z') ? 2 : 0) +
							     ((b >= 'a' && b <= 'z') ? 2 : 0));
	for (size_t i = 0; i < n; i++) {
		unsigned a = (unsigned char)common_pairs[2 * i];
		unsigned b = (unsigned char)common_pairs[2 * i + 1];

		pair_cost[(a << 8) | b] = (uint16_t)(1000 + 10 * (n - i));
	}
}

/* The anchor is three bytes k..k+2: the scan looks at every second byte
 * pair, and any occurrence of the literal puts one of the pairs (k, k+1)
 * or (k+1, k+2) at an even offset.  The rarest three bytes are chosen. */
static unsigned anchor_cost(const char *lit, size_t at)
{
	const unsigned char *u = (const unsigned char *)lit + at;

	pair_cost_init();
	return (unsigned)pair_cost[(u[0] << 8) | u[1]] + pair_cost[(u[1] << 8) | u[2]];
}

static size_t pick_anchor(const char *lit, size_t len)
{
	size_t best = 0;
	unsigned bestw = ~0u;

	for (size_t i = 0; i + 2 < len; i++) {
		unsigned w = anchor_cost(lit, i);

		if (w < bestw) {
			bestw = w;
			best = i;
		}
	}
	return best;
}

static uint16_t pair_of(const char *lit, size_t at)
{
	return (uint16_t)(((unsigned char)lit[at] << 8) | (unsigned char)lit[at + 1]);
}

static int cmp_ref(const void *a, const void *b)
{
	const struct anchor_ref *x = a, *y = b;

	if (x->pair != y->pair)
		return x->pair < y->pair ? -1 : 1;
	return x->pattern < y->pattern ? -1 : x->pattern > y->pattern;
}

/* The bit of a raw byte pair, as the scan reads it. */
static unsigned raw_pair(unsigned char a, unsigned char b)
{
	return (unsigned)a | ((unsigned)b << 8);
}

static void set_bits_any_case(struct rules *r, unsigned char a, unsigned char b)
{
	/* Literals are folded to lower case; the line is not, so every case
	 * of the pair is marked and the scan needs no folding. */
	unsigned char as[2] = { a, (unsigned char)(a >= 'a' && a <= 'z' ? a - 32 : a) };
	unsigned char bs[2] = { b, (unsigned char)(b >= 'a' && b <= 'z' ? b - 32 : b) };

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 2; j++) {
			unsigned pr = raw_pair(as[i], bs[j]);

			r->bits[pr >> 6] |= (uint64_t)1 << (pr & 63);
		}
}

static unsigned triple_hash(unsigned a, unsigned b, unsigned c)
{
	return ((a * 0x9e3779b1u) ^ (b * 0x85ebca77u) ^ (c * 0xc2b2ae3du)) >> 12 & (TRIPLE_BITS - 1);
}

static void build_index(struct rules *r)
{
	size_t nrefs = 0;

	/* 136 KiB of tables: cleared only when an earlier build set bits
	 * (a fresh set of rules is calloc'd, and the fuzzers make many). */
	if (r->nrefs) {
		memset(r->bits, 0, sizeof r->bits);
		memset(r->tbits, 0, sizeof r->tbits);
	}
	free(r->refs);
	free(r->unfiltered);
	r->refs = xcalloc(2 * r->np + 1, sizeof *r->refs);
	r->unfiltered = xcalloc(r->np + 1, sizeof *r->unfiltered);
	r->nunfiltered = 0;
	for (size_t i = 0; i < r->np; i++) {
		struct pattern *p = &r->p[i];

		if (r->e[p->entry].disabled)
			continue;
		if (p->litlen < MIN_LITERAL) {
			r->unfiltered[r->nunfiltered++] = (uint32_t)i;
			continue;
		}
		{
			const unsigned char *t = (const unsigned char *)p->lit + p->anchor;
			unsigned h = triple_hash(t[0], t[1], t[2]);

			r->tbits[h >> 6] |= (uint64_t)1 << (h & 63);
		}
		for (size_t k = 0; k < 2; k++) {
			r->refs[nrefs].pair = pair_of(p->lit, p->anchor + k);
			r->refs[nrefs].offset = (uint8_t)(p->anchor + k);
			r->refs[nrefs].pattern = (uint32_t)i;
			set_bits_any_case(r, (unsigned char)p->lit[p->anchor + k],
					  (unsigned char)p->lit[p->anchor + k + 1]);
			nrefs++;
		}
	}
	qsort(r->refs, nrefs, sizeof *r->refs, cmp_ref);
	r->nrefs = nrefs;
	r->index_dirty = 0;
}

size_t rules_unfiltered_count(const struct rules *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->np; i++)
		if (!r->e[r->p[i].entry].disabled && r->p[i].litlen < MIN_LITERAL)
			n++;
	return n;
}

/* ---------------------------------------------------------------- parsing */

struct section {
	struct rules_entry e;
	int active;
	int bad;
	/* patterns compiled for this section, not yet in r->p */
	struct pattern *pats;
	size_t npats;
};

static void section_drop(struct section *s)
{
	entry_fini(&s->e);
	for (size_t i = 0; i < s->npats; i++)
		pattern_fini(&s->pats[i]);
	free(s->pats);
	memset(s, 0, sizeof *s);
}

/* Check that every { has its } and names something. */
static int check_template(const char *t)
{
	for (const char *s = t; *s; s++) {
		if (*s != '{')
			continue;
		if (s[1] == '{') {   /* {{ is a literal brace */
			s++;
			continue;
		}
		const char *e = strchr(s, '}');

		if (!e || e == s + 1)
			return -1;
		s = e;
	}
	return 0;
}

static void section_finish(struct rules *r, struct section *s, const char *file)
{
	struct rules_entry *e = &s->e;

	if (!s->active)
		return;
	if (!s->bad && s->npats == 0) {
		problem(r, file, e->line, -1, "%s \"%s\": no match pattern",
			e->kind == RULES_RULE ? "rule" : "context", e->id);
		s->bad = 1;
	}
	if (!s->bad && e->kind == RULES_RULE && e->category < 0) {
		problem(r, file, e->line, -1, "rule \"%s\": no category", e->id);
		s->bad = 1;
	}
	if (!s->bad && e->kind == RULES_RULE && !e->summary) {
		problem(r, file, e->line, -1, "rule \"%s\": no summary", e->id);
		s->bad = 1;
	}
	if (s->bad) {
		section_drop(s);
		return;
	}
	/* A later section with the same id replaces the earlier one. */
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].kind == e->kind && !strcmp(r->e[i].id, e->id))
			r->e[i].disabled = 1;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->e = xrealloc(r->e, r->cap * sizeof *r->e);
	}
	r->e[r->n] = *e;
	for (size_t i = 0; i < s->npats; i++) {
		if (r->np == r->pcap) {
			r->pcap = r->pcap ? r->pcap * 2 : 64;
			r->p = xrealloc(r->p, r->pcap * sizeof *r->p);
		}
		s->pats[i].entry = r->n;
		r->p[r->np++] = s->pats[i];
	}
	r->n++;
	free(s->pats);
	memset(s, 0, sizeof *s);
	r->index_dirty = 1;
}

static void add_pattern(struct rules *r, struct section *s, const char *file,
			int line, const char *src)
{
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code;
	struct pattern *p;
	uint32_t count = 0, size = 0;
	PCRE2_SPTR table;

	code = pcre2_compile((PCRE2_SPTR)src, PCRE2_ZERO_TERMINATED, 0,
			     &errcode, &erroff, NULL);
	if (!code) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		problem(r, file, line, (int)erroff,
			"%s \"%s\": bad pattern at offset %d: %s",
			s->e.kind == RULES_RULE ? "rule" : "context", s->e.id,
			(int)erroff, (char *)msg);
		s->bad = 1;
		return;
	}
	/* JIT is an optimisation: where it is not available, the
	 * interpreter gives the same answers. */
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
	s->pats = xrealloc(s->pats, (s->npats + 1) * sizeof *s->pats);
	p = &s->pats[s->npats++];
	memset(p, 0, sizeof *p);
	p->code = code;
	{
		struct lit_runs L;

		L.n = 0;
		literal_runs(src, &L);
		if (L.n > 0) {
			size_t b = rarest_run(&L);

			memcpy(p->lit, L.run[b], L.len[b] + 1);
			p->litlen = L.len[b];
			for (size_t i = 0; i < L.n; i++)
				if (i != b && strcmp(L.run[i], p->lit)) {
					p->extra[p->nextra] = xstrdup(L.run[i]);
					p->extralen[p->nextra++] = L.len[i];
				}
		}
	}
	p->anchor = p->litlen ? pick_anchor(p->lit, p->litlen) : 0;
	pcre2_pattern_info(code, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(code, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(code, PCRE2_INFO_NAMETABLE, &table);
	p->nnames = count;
	p->groups = xcalloc(count + 1, sizeof *p->groups);
	p->names = xcalloc(count + 1, sizeof *p->names);
	for (uint32_t i = 0; i < count; i++) {
		PCRE2_SPTR ent = table + (size_t)i * size;

		p->groups[i] = ((uint32_t)ent[0] << 8) | ent[1];
		p->names[i] = (const char *)ent + 2;
	}
	if (p->litlen == 0)
		problem(r, file, line, -1,
			"%s \"%s\": pattern has no literal of %d bytes; it runs on every line",
			s->e.kind == RULES_RULE ? "rule" : "context", s->e.id,
			MIN_LITERAL);
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' ||
			 e[-1] == '\n'))
		*--e = '\0';
	return s;
}

static int parse_int(const char *v, int *out)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < -100000 || n > 100000)
		return -1;
	*out = (int)n;
	return 0;
}

static void add_fix(struct rules *r, struct section *s, const char *file,
		    int line, char *v)
{
	struct rules_fix f = { 0 };
	char *sp = v + strcspn(v, " \t");
	char *rest = *sp ? trim(sp + 1) : sp;

	if (*sp)
		*sp = '\0';
	if (!strcmp(v, "set")) {
		char *sp2 = rest + strcspn(rest, " \t");

		f.kind = RULES_FIX_SET;
		if (!*sp2) {
			problem(r, file, line, -1, "rule \"%s\": fix set needs a key and a value", s->e.id);
			s->bad = 1;
			return;
		}
		*sp2 = '\0';
		if (config_key_lookup(rest) < 0) {
			problem(r, file, line, -1, "rule \"%s\": fix set: '%s' is not a setting (see crossbench.conf(5))",
				s->e.id, rest);
			s->bad = 1;
			return;
		}
		f.arg = xstrdup(rest);
		f.tmpl = xstrdup(trim(sp2 + 1));
	} else if (!strcmp(v, "install")) {
		char *sp2 = rest + strcspn(rest, " \t");

		f.kind = RULES_FIX_INSTALL;
		if (!*sp2) {
			problem(r, file, line, -1, "rule \"%s\": fix install needs a kind and a name", s->e.id);
			s->bad = 1;
			return;
		}
		*sp2 = '\0';
		f.arg = xstrdup(rest);
		f.tmpl = xstrdup(trim(sp2 + 1));
	} else if (!strcmp(v, "run")) {
		f.kind = RULES_FIX_RUN;
		f.tmpl = xstrdup(rest);
	} else if (!strcmp(v, "text")) {
		f.kind = RULES_FIX_TEXT;
		f.tmpl = xstrdup(rest);
	} else {
		problem(r, file, line, -1, "rule \"%s\": unknown fix kind '%s' (set, install, run, text)",
			s->e.id, v);
		s->bad = 1;
		return;
	}
	if (!*f.tmpl || check_template(f.tmpl) < 0) {
		problem(r, file, line, -1, "rule \"%s\": fix has an empty value or an unclosed {", s->e.id);
		free(f.arg);
		free(f.tmpl);
		s->bad = 1;
		return;
	}
	s->e.fixes = xrealloc(s->e.fixes, (s->e.nfixes + 1) * sizeof f);
	s->e.fixes[s->e.nfixes++] = f;
}

static void add_cond(struct rules *r, struct section *s, const char *file,
		     int line, const char *v)
{
	const char *op = strstr(v, "==");
	int eq = 1;
	struct rules_cond c;

	if (!op) {
		op = strstr(v, "!=");
		eq = 0;
	}
	if (!op) {
		problem(r, file, line, -1, "rule \"%s\": if needs == or !=", s->e.id);
		s->bad = 1;
		return;
	}
	c.left = xstrndup(v, (size_t)(op - v));
	c.right = xstrdup(op + 2);
	c.left[strlen(trim(c.left))] = '\0';
	{
		char *l = trim(c.left), *rr = trim(c.right);

		memmove(c.left, l, strlen(l) + 1);
		memmove(c.right, rr, strlen(rr) + 1);
	}
	c.equal = eq;
	s->e.conds = xrealloc(s->e.conds, (s->e.nconds + 1) * sizeof c);
	s->e.conds[s->e.nconds++] = c;
}

static void set_key(struct rules *r, struct section *s, const char *file,
		    int line, const char *key, char *v)
{
	struct rules_entry *e = &s->e;
	const char *kind = e->kind == RULES_RULE ? "rule" : "context";

	if (!strcmp(key, "match")) {
		add_pattern(r, s, file, line, v);
	} else if (!strcmp(key, "priority") && e->kind == RULES_CONTEXT) {
		if (parse_int(v, &e->priority) < 0) {
			problem(r, file, line, -1, "context \"%s\": priority '%s' is not a number", e->id, v);
			s->bad = 1;
		}
	} else if (e->kind == RULES_CONTEXT) {
		problem(r, file, line, -1, "context \"%s\": unknown key '%s' (match, priority)", e->id, key);
		s->bad = 1;
	} else if (!strcmp(key, "category")) {
		e->category = category_lookup(v);
		if (e->category < 0) {
			problem(r, file, line, -1, "rule \"%s\": unknown category '%s'", e->id, v);
			s->bad = 1;
		}
	} else if (!strcmp(key, "rank")) {
		if (parse_int(v, &e->rank) < 0) {
			problem(r, file, line, -1, "rule \"%s\": rank '%s' is not a number", e->id, v);
			s->bad = 1;
		}
	} else if (!strcmp(key, "summary") || !strcmp(key, "explain")) {
		char **dst = key[0] == 's' ? &e->summary : &e->explain;

		if (check_template(v) < 0) {
			problem(r, file, line, -1, "rule \"%s\": %s has an unclosed {", e->id, key);
			s->bad = 1;
			return;
		}
		if (*dst) {
			/* Repeated: one more sentence. */
			char *j = xasprintf("%s %s", *dst, v);

			free(*dst);
			*dst = j;
		} else {
			*dst = xstrdup(v);
		}
	} else if (!strcmp(key, "fix")) {
		add_fix(r, s, file, line, v);
	} else if (!strcmp(key, "if")) {
		add_cond(r, s, file, line, v);
	} else if (!strcmp(key, "fallback")) {
		e->fallback = !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
	} else if (!strcmp(key, "disabled")) {
		e->disabled = !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "1");
	} else if (!strcmp(key, "absorbs")) {
		struct strv w;

		strv_init(&w);
		strv_split_words(&w, v);
		for (size_t i = 0; i < w.n; i++) {
			int c = category_lookup(w.v[i]);

			if (c < 0) {
				problem(r, file, line, -1, "rule \"%s\": absorbs: unknown category '%s'", e->id, w.v[i]);
				s->bad = 1;
			} else {
				e->absorbs |= UINT64_C(1) << c;
			}
		}
		strv_fini(&w);
	} else {
		problem(r, file, line, -1, "%s \"%s\": unknown key '%s'", kind, e->id, key);
		s->bad = 1;
	}
}

/* Parse one header line "[rule "id"]"; returns 0 and fills s. */
static int parse_header(struct rules *r, struct section *s, const char *file,
			int line, char *l)
{
	char *q1, *q2, *end = strrchr(l, ']');
	enum rules_entry_kind kind;

	if (!end || end[1]) {
		problem(r, file, line, -1, "section header without ']'");
		return -1;
	}
	if (!strncmp(l, "[rule ", 6))
		kind = RULES_RULE;
	else if (!strncmp(l, "[context ", 9))
		kind = RULES_CONTEXT;
	else {
		problem(r, file, line, -1, "unknown section %s (rule, context)", l);
		return -1;
	}
	q1 = strchr(l, '"');
	q2 = q1 ? strchr(q1 + 1, '"') : NULL;
	if (!q1 || !q2 || q2 == q1 + 1 || q2 > end) {
		problem(r, file, line, -1, "section needs a quoted id: [rule \"my-id\"]");
		return -1;
	}
	memset(s, 0, sizeof *s);
	s->active = 1;
	s->e.kind = kind;
	s->e.id = xstrndup(q1 + 1, (size_t)(q2 - q1 - 1));
	s->e.file = xstrdup(file);
	s->e.line = line;
	s->e.category = kind == RULES_RULE ? -1 : 0;
	s->e.rank = 50;
	s->e.priority = 1;
	return 0;
}

int rules_add_text(struct rules *r, const char *name, const char *text,
		   size_t len)
{
	struct section s;
	struct buf logical;
	size_t before = r->n;
	size_t pos = 0;
	int lineno = 0, startline = 0, skipping = 0;

	memset(&s, 0, sizeof s);
	buf_init(&logical);
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *l, *eq;

		lineno++;
		buf_append(&logical, text + pos, n);
		pos += n + (nl ? 1 : 0);
		if (logical.len && memchr(logical.data, '\0', logical.len)) {
			problem(r, name, lineno, -1, "NUL byte in a rule file");
			buf_reset(&logical);
			continue;
		}
		/* A trailing backslash continues the value on the next line. */
		if (logical.len && logical.data[logical.len - 1] == '\r')
			logical.data[--logical.len] = '\0';
		if (logical.len && logical.data[logical.len - 1] == '\\' && pos < len) {
			logical.data[--logical.len] = '\0';
			if (!startline)
				startline = lineno;
			continue;
		}
		if (!startline)
			startline = lineno;
		l = trim(logical.data ? logical.data : (char *)"");
		if (!*l || *l == '#' || *l == ';')
			goto next;
		if (*l == '[') {
			section_finish(r, &s, name);
			skipping = parse_header(r, &s, name, startline, l) < 0;
			goto next;
		}
		if (!s.active) {
			if (!skipping)
				problem(r, name, startline, -1, "key outside a [rule] or [context] section");
			goto next;
		}
		eq = strchr(l, '=');
		if (!eq) {
			problem(r, name, startline, -1, "expected KEY = VALUE");
			s.bad = 1;
			goto next;
		}
		*eq = '\0';
		set_key(r, &s, name, startline, trim(l), trim(eq + 1));
next:
		buf_reset(&logical);
		startline = 0;
	}
	section_finish(r, &s, name);
	buf_fini(&logical);
	/* Index now, so that matchers can share a const set. */
	if (r->index_dirty)
		build_index(r);
	return (int)(r->n - before);
}

int rules_add_file(struct rules *r, const char *path, struct cb_err *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[8192];
	size_t n;
	int rc;

	if (!f)
		return cb_err_sys(err, "%s", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		fclose(f);
		buf_fini(&b);
		return cb_err_sys(err, "%s", path);
	}
	fclose(f);
	rc = rules_add_text(r, path, b.data ? b.data : "", b.len);
	buf_fini(&b);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rules_file_name(const char *name)
{
	size_t l = strlen(name);

	return l > 6 && !strcmp(name + l - 6, ".rules") && name[0] != '.';
}

int rules_add_dir(struct rules *r, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strv names;
	int total = 0;

	if (!d)
		return 0;
	strv_init(&names);
	while ((de = readdir(d)))
		if (rules_file_name(de->d_name))
			strv_pushf(&names, "%s/%s", dir, de->d_name);
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		struct cb_err e;
		int n = rules_add_file(r, names.v[i], &e);

		if (n < 0)
			problem(r, names.v[i], 0, -1, "%s", e.msg);
		else
			total += n;
	}
	strv_fini(&names);
	return total;
}

struct rules *rules_load(const char *project_dir,
			 struct rules_problem **problems, size_t *nproblems,
			 struct cb_err *err)
{
	struct rules *r = rules_new();
	char dir[4300], sub[4096];
	struct cb_err perr;
	size_t enabled = 0;

	if (paths_data_dir(PATHS_RULES, dir, sizeof dir) == 0)
		rules_add_dir(r, dir);
	else
		problem(r, dir, 0, -1, "the rules data directory does not exist");
	if (paths_user_config_dir(sub, sizeof sub) == 0) {
		snprintf(dir, sizeof dir, "%s/rules", sub);
		rules_add_dir(r, dir);
	}
	if (project_dir) {
		snprintf(dir, sizeof dir, "%s/.crossbench-rules", project_dir);
		rules_add_dir(r, dir);
	}
	r->packages = packages_load_default(&perr);
	if (perr.code != CB_OK)
		problem(r, "packages.conf", 0, -1, "%s", perr.msg);
	for (size_t i = 0; i < r->n; i++)
		if (r->e[i].kind == RULES_RULE && !r->e[i].disabled)
			enabled++;
	if (problems)
		rules_take_problems(r, problems, nproblems);
	if (enabled == 0) {
		paths_data_dir(PATHS_RULES, dir, sizeof dir);
		cb_err_set(err, CB_ERR_NOTFOUND, "no diagnosis rules loaded (looked in %s)", dir);
		rules_free(r);
		return NULL;
	}
	return r;
}

/* ---------------------------------------------------------------- matching */

struct rules_matcher {
	const struct rules *r;
	pcre2_match_data *md;
	pcre2_match_context *mc;
	uint32_t *mark;          /* per pattern: the line stamp it was marked */
	uint32_t stamp;
	uint32_t *cand;
	size_t ncand;
	uint32_t *entry_mark;    /* per entry: stamp of its hit on this line */
	unsigned char *skip;     /* per entry: left out (rules_matcher_skip) */
	struct rules_hit *hits;
	size_t nhits;
	struct rules_capture *caps;
	size_t ncaps, capcap;
};

struct rules_matcher *rules_matcher_new(const struct rules *r)
{
	struct rules_matcher *m = xcalloc(1, sizeof *m);
	uint32_t maxpairs = 1;

	m->r = r;
	for (size_t i = 0; i < r->np; i++) {
		uint32_t c = 0;

		pcre2_pattern_info(r->p[i].code, PCRE2_INFO_CAPTURECOUNT, &c);
		if (c + 1 > maxpairs)
			maxpairs = c + 1;
	}
	m->md = pcre2_match_data_create(maxpairs, NULL);
	m->mc = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(m->mc, MATCH_LIMIT);
	pcre2_set_depth_limit(m->mc, 10000);
	m->mark = xcalloc(r->np + 1, sizeof *m->mark);
	m->cand = xcalloc(r->np + 1, sizeof *m->cand);
	m->entry_mark = xcalloc(r->n + 1, sizeof *m->entry_mark);
	m->skip = xcalloc(r->n + 1, 1);
	m->hits = xcalloc(r->n + 1, sizeof *m->hits);
	return m;
}

void rules_matcher_free(struct rules_matcher *m)
{
	if (!m)
		return;
	pcre2_match_data_free(m->md);
	pcre2_match_context_free(m->mc);
	free(m->mark);
	free(m->cand);
	free(m->entry_mark);
	free(m->skip);
	free(m->hits);
	free(m->caps);
	free(m);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Whether lit (folded) occurs in line, in any case. */
static int fold_find(const char *line, size_t n, const char *lit, size_t len)
{
	const unsigned char *b = (const unsigned char *)line;
	unsigned char c0 = (unsigned char)lit[0];
	unsigned char c1 = (unsigned char)(c0 >= 'a' && c0 <= 'z' ? c0 - 32 : c0);

	for (size_t i = 0; i + len <= n; i++) {
		size_t j = 1;

		if (b[i] != c0 && b[i] != c1)
			continue;
		while (j < len && fold[b[i + j]] == (unsigned char)lit[j])
			j++;
		if (j == len)
			return 1;
	}
	return 0;
}

static void run_pattern(struct rules_matcher *m, uint32_t pi,
			const char *line, size_t n)
{
	const struct rules *r = m->r;
	struct pattern *p = &r->p[pi];
	PCRE2_SIZE *ov;
	struct rules_hit *h;
	int rc;

	if (m->entry_mark[p->entry] == m->stamp || m->skip[p->entry])
		return; /* this entry already matched the line, or is off */
	for (size_t k = 0; k < p->nextra; k++)
		if (!fold_find(line, n, p->extra[k], p->extralen[k]))
			return;
	rc = pcre2_match(p->code, (PCRE2_SPTR)line, n, 0, 0, m->md, m->mc);
	if (rc < 0)
		return; /* no match, or a limit hit: both mean "not this rule" */
	m->entry_mark[p->entry] = m->stamp;
	ov = pcre2_get_ovector_pointer(m->md);
	h = &m->hits[m->nhits++];
	h->entry = p->entry;
	h->first_capture = m->ncaps;
	h->ncaptures = 0;
	for (size_t k = 0; k < p->nnames; k++) {
		uint32_t g = p->groups[k];
		struct rules_capture *c;

		if ((int)g >= rc || ov[2 * g] == PCRE2_UNSET)
			continue;
		if (m->ncaps == m->capcap) {
			m->capcap = m->capcap ? m->capcap * 2 : 32;
			m->caps = xrealloc(m->caps, m->capcap * sizeof *m->caps);
		}
		c = &m->caps[m->ncaps++];
		c->name = p->names[k];
		c->s = line + ov[2 * g];
		c->len = ov[2 * g + 1] - ov[2 * g];
		h->ncaptures++;
	}
}

/* The pair at b[i] is in the table: look closer (the anchor triple, then
 * each literal anchored on that pair) and mark the patterns found. */
static void pair_hit(struct rules_matcher *m, const unsigned char *b, size_t n,
		     size_t i)
{
	const struct rules *r = m->r;
	unsigned f0 = fold[b[i]], f1 = fold[b[i + 1]];
	unsigned pr;
	size_t k0;

	/* The pair is the first or the second of an anchor triple: one of
	 * the two triples around it must be in the triple table. */
	{
		unsigned h1 = i + 2 < n ? triple_hash(f0, f1, fold[b[i + 2]]) : 0;
		unsigned h2 = i > 0 ? triple_hash(fold[b[i - 1]], f0, f1) : 0;

		if (!((i + 2 < n && ((r->tbits[h1 >> 6] >> (h1 & 63)) & 1)) ||
		      (i > 0 && ((r->tbits[h2 >> 6] >> (h2 & 63)) & 1))))
			return;
	}
	pr = (f0 << 8) | f1;
	/* The first ref of this pair: a few hundred refs, sorted, and only
	 * pairs that passed both bit tables get here.  (A 64 Ki offset
	 * table cost every rules_new 256 KiB and a 64 Ki-step loop.) */
	{
		size_t lo = 0, hi = r->nrefs;

		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;

			if (r->refs[mid].pair < pr)
				lo = mid + 1;
			else
				hi = mid;
		}
		k0 = lo;
	}
	for (size_t k = k0; k < r->nrefs && r->refs[k].pair == pr; k++) {
		const struct anchor_ref *ref = &r->refs[k];
		uint32_t pi = ref->pattern;
		const struct pattern *p = &r->p[pi];
		size_t at, j = 0;

		if (m->mark[pi] == m->stamp || i < ref->offset)
			continue;
		at = i - ref->offset;
		if (at + p->litlen > n)
			continue;
		while (j < p->litlen && fold[b[at + j]] == (unsigned char)p->lit[j])
			j++;
		if (j < p->litlen)
			continue;
		m->mark[pi] = m->stamp;
		m->cand[m->ncand++] = pi;
	}
}

/* Mark every pattern whose literal the line holds (m->cand). */
static void prefilter(struct rules_matcher *m, const char *line, size_t n);

size_t rules_match_line(struct rules_matcher *m, const char *line, size_t n)
{
	prefilter(m, line, n);
	if (m->ncand == 0)
		return 0;
	/* Rules run in load order, so which pattern of an entry wins does
	 * not depend on where its literal sits in the line. */
	if (m->ncand > 1)
		qsort(m->cand, m->ncand, sizeof *m->cand, cmp_u32);
	for (size_t k = 0; k < m->ncand; k++)
		run_pattern(m, m->cand[k], line, n);
	return m->nhits;
}

size_t rules_prefilter_line(struct rules_matcher *m, const char *line, size_t n)
{
	prefilter(m, line, n);
	return m->ncand;
}

const uint32_t *rules_matcher_candidates(const struct rules_matcher *m)
{
	return m->cand;
}

size_t rules_match_candidates(struct rules_matcher *m, const char *line, size_t n,
			      const uint32_t *cand, size_t ncand)
{
	m->nhits = 0;
	m->ncaps = 0;
	if (++m->stamp == 0) {
		memset(m->mark, 0, (m->r->np + 1) * sizeof *m->mark);
		memset(m->entry_mark, 0, (m->r->n + 1) * sizeof *m->entry_mark);
		m->stamp = 1;
	}
	m->ncand = 0;
	for (size_t k = 0; k < ncand; k++)
		if (cand[k] < m->r->np)
			m->cand[m->ncand++] = cand[k];
	if (m->ncand > 1)
		qsort(m->cand, m->ncand, sizeof *m->cand, cmp_u32);
	for (size_t k = 0; k < m->ncand; k++)
		run_pattern(m, m->cand[k], line, n);
	return m->nhits;
}

static void prefilter(struct rules_matcher *m, const char *line, size_t n)
{
	const struct rules *r = m->r;
	const unsigned char *b = (const unsigned char *)line;
	const uint64_t *bits = r->bits;

	m->nhits = 0;
	m->ncaps = 0;
	m->ncand = 0;
	if (++m->stamp == 0) {
		/* wrapped: forget old marks so none looks current */
		memset(m->mark, 0, (r->np + 1) * sizeof *m->mark);
		memset(m->entry_mark, 0, (r->n + 1) * sizeof *m->entry_mark);
		m->stamp = 1;
	}
	/* Every second byte pair: one table test per two bytes of log, four
	 * tests to a branch while nothing hits. */
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		unsigned p0 = raw_pair(b[i], b[i + 1]), p1 = raw_pair(b[i + 2], b[i + 3]);
		unsigned p2 = raw_pair(b[i + 4], b[i + 5]), p3 = raw_pair(b[i + 6], b[i + 7]);
		unsigned hit = (unsigned)((bits[p0 >> 6] >> (p0 & 63)) & 1) |
			       (unsigned)((bits[p1 >> 6] >> (p1 & 63)) & 1) << 1 |
			       (unsigned)((bits[p2 >> 6] >> (p2 & 63)) & 1) << 2 |
			       (unsigned)((bits[p3 >> 6] >> (p3 & 63)) & 1) << 3;

		while (hit) {
			int k = __builtin_ctz(hit);

			hit &= hit - 1;
			pair_hit(m, b, n, i + 2 * (size_t)k);
		}
	}
	for (; i + 1 < n; i += 2) {
		unsigned raw = raw_pair(b[i], b[i + 1]);

		if ((bits[raw >> 6] >> (raw & 63)) & 1)
			pair_hit(m, b, n, i);
	}
	for (size_t k = 0; k < r->nunfiltered; k++)
		m->cand[m->ncand++] = r->unfiltered[k];
}

const struct rules_hit *rules_matcher_hit(const struct rules_matcher *m, size_t i)
{
	return i < m->nhits ? &m->hits[i] : NULL;
}

const struct rules_capture *rules_matcher_captures(const struct rules_matcher *m)
{
	return m->caps;
}

void rules_matcher_skip(struct rules_matcher *m, size_t entry, int skip)
{
	if (entry < m->r->n)
		m->skip[entry] = (unsigned char)(skip != 0);
}

size_t rules_entry_names(const struct rules *r, size_t entry,
			 const char **names, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < r->np; i++) {
		if (r->p[i].entry != entry)
			continue;
		for (size_t k = 0; k < r->p[i].nnames; k++) {
			size_t j = 0;

			while (j < n && j < max && strcmp(names[j], r->p[i].names[k]))
				j++;
			if (j < n)
				continue;
			if (n < max)
				names[n] = r->p[i].names[k];
			n++;
		}
	}
	return n;
}

