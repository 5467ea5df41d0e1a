/* board.c - every target's state in one place (see board.h). */
#include "board.h"
#include "since.h"

#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "category.h"
#include "doctor.h"

struct board {
	struct engine *eng;
	struct config *cfg;
	struct board_row *rows;
	size_t nrows;
	struct doctor *doctor;
	struct engine_observer obs;
	void *ctx;
};

const char *board_profile_name(int p)
{
	return p == 1 ? "release" : "dev";
}

const char *board_art_name(enum board_art v)
{
	switch (v) {
	case BOARD_ART_NONE: return "none";
	case BOARD_ART_OK: return "ok";
	case BOARD_ART_WARNING: return "warning";
	case BOARD_ART_MISMATCH: return "mismatch";
	case BOARD_ART_MALFORMED: return "malformed";
	case BOARD_ART_GONE: return "gone";
	}
	return "none";
}

enum board_art board_art_verdict(const struct artifact *a)
{
	for (size_t i = 0; i < a->nproblems; i++)
		if (a->problems[i].severity == ARTIFACT_MALFORMED)
			return BOARD_ART_MALFORMED;
	if (a->matches == ARTIFACT_NO)
		return BOARD_ART_MISMATCH;
	return a->nproblems ? BOARD_ART_WARNING : BOARD_ART_OK;
}

const char *board_art_problem(const struct board_cell *c)
{
	const struct artifact *a = c->art;

	if (!a)
		return NULL;
	for (int want = ARTIFACT_MALFORMED; want >= ARTIFACT_WARNING; want--)
		for (size_t i = 0; i < a->nproblems; i++)
			if ((int)a->problems[i].severity == want) {
				const char *t = a->problems[i].text, *colon = strstr(t, ": ");

				/* "mismatch: machine is ..." reads as the rest. */
				return colon && (size_t)(colon - t) < 12 ? colon + 2 : t;
			}
	return NULL;
}

static void cell_forget_artifact(struct board_cell *c)
{
	artifact_fini(&c->art_own);
	memset(&c->art_own, 0, sizeof c->art_own);
	free(c->art_own_path);
	c->art_own_path = NULL;
	c->art = NULL;
	c->verdict = BOARD_ART_NONE;
}

static void cell_fini(struct board_cell *c)
{
	cell_forget_artifact(c);
	diagnose_free(c->kept);
	free(c->kept_log);
	if (c->since) {
		since_fini(c->since);
		free(c->since);
	}
	memset(c, 0, sizeof *c);
}

static void row_fini(struct board_row *r)
{
	for (int p = 0; p < BOARD_PROFILES; p++)
		cell_fini(&r->cell[p]);
	if (r->checked)
		toolchain_report_fini(&r->ready);
	r->checked = 0;
}

/* A history entry's artifact, checked again against its target (once per
 * entry: kept while the entry names the same file). */
static void check_history_artifact(struct board *b, struct board_row *r,
				   struct board_cell *c, const struct history_entry *h)
{
	struct target_settings ts;
	struct triple t;
	struct cb_err err;
	int have_t;

	if (c->art_own_path && !strcmp(c->art_own_path, h->artifact))
		return;
	cell_forget_artifact(c);
	c->art_own_path = xstrdup(h->artifact);
	if (access(h->artifact, F_OK) < 0) {
		c->verdict = BOARD_ART_GONE;
		return;
	}
	if (artifact_inspect(h->artifact, &c->art_own, &err) < 0) {
		c->verdict = BOARD_ART_GONE;
		return;
	}
	have_t = triple_parse(&t, r->triple, &err) == 0;
	config_resolve(b->cfg, r->triple, &ts);
	artifact_check(&c->art_own, have_t ? &t : NULL, ts.floor ? ts.floor : ts.glibc_max);
	target_settings_fini(&ts);
	c->art = &c->art_own;
	c->verdict = board_art_verdict(c->art);
}

/* A failed history entry's log, diagnosed once. */
static void keep_history_diagnosis(struct board *b, struct board_row *r,
				   struct board_cell *c, const struct history_entry *h)
{
	const struct rules *rules = engine_rules(b->eng);

	if (c->kept_log && !strcmp(c->kept_log, h->log))
		return;
	diagnose_free(c->kept);
	free(c->kept_log);
	c->kept = NULL;
	c->kept_log = xstrdup(h->log);
	if (rules && h->log[0])
		c->kept = diagnose_file(rules, r->triple, engine_host(b->eng), h->log, NULL);
}

static int state_parse(const char *name, enum job_state *out)
{
	for (int s = 0; s < JOB_NSTATES; s++)
		if (!strcmp(job_state_name((enum job_state)s), name)) {
			*out = (enum job_state)s;
			return 0;
		}
	return -1;
}

static void refresh_cell(struct board *b, struct board_row *r, int p)
{
	struct board_cell *c = &r->cell[p];
	const char *prof = board_profile_name(p);

	c->job = engine_latest(b->eng, r->triple, prof);
	c->hist = history_last(engine_history(b->eng), r->triple, prof);
	c->smoke = engine_latest_smoke(b->eng, r->triple, prof);
	if (c->smoke && c->job && c->job->id > c->smoke->id)
		c->smoke = NULL;   /* it ran the build before this one */
	c->known = 0;
	if (c->job) {
		c->known = 1;
		c->state = c->job->state;
		/* The job's own check, made when it passed. */
		if (c->art_own_path)
			cell_forget_artifact(c);
		c->art = c->job->state == JOB_PASSED && c->job->nchecks ? &c->job->checks[0] : NULL;
		c->verdict = c->art ? board_art_verdict(c->art) : BOARD_ART_NONE;
		return;
	}
	if (!c->hist) {
		cell_forget_artifact(c);
		return;
	}
	c->known = state_parse(c->hist->status, &c->state) == 0;
	if (c->known && c->state == JOB_PASSED && c->hist->artifact[0])
		check_history_artifact(b, r, c, c->hist);
	else
		cell_forget_artifact(c);
	if (c->known && c->state != JOB_PASSED)
		keep_history_diagnosis(b, r, c, c->hist);
}

void board_refresh(struct board *b)
{
	for (size_t i = 0; i < b->nrows; i++)
		for (int p = 0; p < BOARD_PROFILES; p++)
			refresh_cell(b, &b->rows[i], p);
}

/* ------------------------------------------------------------ observer */

static struct board_row *row_of(struct board *b, const struct job *j, int *p);

const struct board_row *board_row_of(struct board *b, const struct job *j, int *p)
{
	int q;
	const struct board_row *r = row_of(b, j, &q);

	if (p)
		*p = q;
	return r;
}

const struct board_cell *board_cell_of(struct board *b, const struct job *j)
{
	int p;
	const struct board_row *r = row_of(b, j, &p);

	return r ? &r->cell[p] : NULL;
}

static struct board_row *row_of(struct board *b, const struct job *j, int *p)
{
	struct board_row *r = board_find(b, j->triple);

	*p = !strcmp(j->profile, "release");
	if (r && strcmp(j->profile, board_profile_name(*p)))
		r = NULL;   /* a custom profile: no cell */
	return r;
}

static void on_change(void *ctx, struct job *j)
{
	struct board *b = ctx;
	int p;
	struct board_row *r = row_of(b, j, &p);

	if (r)
		refresh_cell(b, r, p);
	if (b->obs.change)
		b->obs.change(b->ctx, j);
}

static void on_finish(void *ctx, struct job *j)
{
	struct board *b = ctx;
	int p;
	struct board_row *r = row_of(b, j, &p);

	if (r)
		refresh_cell(b, r, p);
	if (b->obs.finish)
		b->obs.finish(b->ctx, j);
}

static void on_text(void *ctx, struct job *j, const char *text, size_t n)
{
	struct board *b = ctx;

	if (b->obs.text)
		b->obs.text(b->ctx, j, text, n);
}

static void on_watch(void *ctx, const char *first, size_t n, const char *error)
{
	struct board *b = ctx;

	if (b->obs.watch)
		b->obs.watch(b->ctx, first, n, error);
}

struct board *board_new(struct engine *e, struct config *cfg)
{
	static const struct engine_observer obs = { on_change, on_finish, on_text, on_watch };
	struct board *b = xcalloc(1, sizeof *b);

	b->eng = e;
	b->cfg = cfg;
	engine_set_observer(e, &obs, b);
	return b;
}

void board_free(struct board *b)
{
	if (!b)
		return;
	doctor_free(b->doctor);
	engine_set_observer(b->eng, NULL, NULL);
	for (size_t i = 0; i < b->nrows; i++)
		row_fini(&b->rows[i]);
	free(b->rows);
	free(b);
}

void board_set_observer(struct board *b, const struct engine_observer *o, void *ctx)
{
	memset(&b->obs, 0, sizeof b->obs);
	if (o)
		b->obs = *o;
	b->ctx = ctx;
}

/* ---------------------------------------------------------------- rows */

void board_reload(struct board *b, struct toolchain *tc)
{
	struct board_row *old = b->rows;
	size_t nold = b->nrows;

	/* The doctor's reports are for the old rows. */
	doctor_free(b->doctor);
	b->doctor = NULL;
	b->nrows = b->cfg->ntargets;
	b->rows = xcalloc(b->nrows ? b->nrows : 1, sizeof *b->rows);
	for (size_t i = 0; i < b->nrows; i++) {
		struct board_row *r = &b->rows[i];

		snprintf(r->triple, sizeof r->triple, "%s", b->cfg->targets[i].triple);
		r->enabled = b->cfg->targets[i].enabled;
		snprintf(r->host, sizeof r->host, "%s", b->cfg->targets[i].host
			 ? b->cfg->targets[i].host : "");
		r->not_allowed = !config_trusted(b->cfg);
		/* What is known of a result stays with its target: a setting
		 * changed does not change what an old log says. */
		for (size_t k = 0; k < nold; k++)
			if (!strcmp(old[k].triple, r->triple)) {
				memcpy(r->cell, old[k].cell, sizeof r->cell);
				/* A cell's own check moved with it. */
				for (int p = 0; p < BOARD_PROFILES; p++)
					if (old[k].cell[p].art == &old[k].cell[p].art_own)
						r->cell[p].art = &r->cell[p].art_own;
				memset(old[k].cell, 0, sizeof old[k].cell);
			}
	}
	for (size_t k = 0; k < nold; k++)
		row_fini(&old[k]);
	free(old);
	board_refresh(b);
	/* The doctor runs what the settings name: not before they are allowed. */
	if (tc && b->nrows && config_trusted(b->cfg)) {
		struct target_settings *ts = xcalloc(b->nrows, sizeof *ts);

		for (size_t i = 0; i < b->nrows; i++) {
			config_resolve(b->cfg, b->rows[i].triple, &ts[i]);
			b->rows[i].checking = 1;
		}
		b->doctor = doctor_start(tc, engine_project_dir(b->eng), ts, b->nrows);
		board_doctor_take(b);
	}
}

size_t board_count(const struct board *b)
{
	return b->nrows;
}

struct board_row *board_row(struct board *b, size_t i)
{
	return i < b->nrows ? &b->rows[i] : NULL;
}

struct board_row *board_find(struct board *b, const char *triple)
{
	for (size_t i = 0; i < b->nrows; i++)
		if (!strcmp(b->rows[i].triple, triple))
			return &b->rows[i];
	return NULL;
}

/* ----------------------------------------------------------- diagnosis */

const struct diagnose *board_diagnosis(const struct board_row *r, int p)
{
	const struct board_cell *c;

	if (!r || p < 0 || p >= BOARD_PROFILES)
		return NULL;
	c = &r->cell[p];
	if (board_diagnosis_is_smoke(r, p))
		return c->smoke->diag;
	if (c->job)
		return c->job->state == JOB_PASSED ? NULL : c->job->diag;
	return c->known && c->state != JOB_PASSED ? c->kept : NULL;
}

int board_diagnosis_is_smoke(const struct board_row *r, int p)
{
	const struct board_cell *c;

	if (!r || p < 0 || p >= BOARD_PROFILES)
		return 0;
	c = &r->cell[p];
	return c->smoke && c->known && c->state == JOB_PASSED &&
	       c->smoke->state != JOB_PASSED;
}

size_t board_evidence_line(const struct board_row *r, int p, size_t k)
{
	const struct diagnose *d = board_diagnosis(r, p);
	const struct diagnosis *dg = d && k < diagnose_count(d) ? diagnose_get(d, k) : NULL;

	return dg ? dg->line : 0;
}

/* Whether the "\n"-joined list holds entry whole. */
static int list_has(const char *list, const char *entry)
{
	size_t el = strlen(entry);

	for (const char *p = list; *p;) {
		size_t l = strcspn(p, "\n");

		if (l == el && !memcmp(p, entry, el))
			return 1;
		p += l + (p[l] == '\n');
	}
	return 0;
}

char *board_fix_value(const struct board *b, const struct diagnosis_fix *fix)
{
	int k = config_key_lookup(fix->key);
	const struct config_key_info *info;
	struct target_settings ts;
	struct buf cur;

	if (k < 0)
		return xstrdup(fix->value);
	info = config_key_info((enum config_key)k);
	if (info->type != CONFIG_LIST && info->type != CONFIG_ENVLIST)
		return xstrdup(fix->value);
	config_resolve(b->cfg, fix->target, &ts);
	buf_init(&cur);
	config_format_value(&ts, (enum config_key)k, &cur);
	target_settings_fini(&ts);
	if (cur.len && list_has(cur.data, fix->value))
		return buf_detach(&cur);
	if (cur.len)
		buf_putc(&cur, '\n');
	buf_puts(&cur, fix->value);
	return buf_detach(&cur);
}

int board_apply_fix(struct board *b, const struct diagnosis_fix *fix,
		    struct cb_err *err)
{
	int k;
	char *v;
	int rc;

	if (fix->kind != DIAGNOSIS_FIX_SET || !fix->key || !fix->target)
		return cb_err_set(err, CB_ERR_USAGE, "this fix changes no setting");
	k = config_key_lookup(fix->key);
	if (k < 0)
		return cb_err_set(err, CB_ERR_USAGE, "the fix names an unknown setting '%s'",
				  fix->key);
	v = board_fix_value(b, fix);
	rc = config_set(b->cfg, CONFIG_LEVEL_PROJECT, fix->target, (enum config_key)k, v, err);
	free(v);
	return rc;
}

/* -------------------------------------------------------------- doctor */

static void doctor_got(void *ctx, size_t i, int ok, struct toolchain_report *rep)
{
	struct board *b = ctx;

	if (i >= b->nrows) {
		toolchain_report_fini(rep);
		return;
	}
	b->rows[i].checking = 0;
	if (b->rows[i].checked)
		toolchain_report_fini(&b->rows[i].ready);
	b->rows[i].checked = ok;
	if (ok)
		b->rows[i].ready = *rep;
	else
		toolchain_report_fini(rep);
}

int board_doctor_fd(const struct board *b)
{
	return doctor_fd(b->doctor);
}

size_t board_doctor_take(struct board *b)
{
	return b->doctor ? doctor_take(b->doctor, doctor_got, b) : 0;
}

void board_doctor_wait(struct board *b)
{
	while (b->doctor && !doctor_done(b->doctor)) {
		struct pollfd p = { doctor_fd(b->doctor), POLLIN, 0 };

		if (p.fd < 0 || poll(&p, 1, 1000) < 0)
			break;
		board_doctor_take(b);
	}
	board_doctor_take(b);
}

const struct since *board_since(struct board *b, struct board_row *r, int p)
{
	struct board_cell *c;
	char key[64];
	struct cb_err err;

	if (!r || p < 0 || p >= BOARD_PROFILES)
		return NULL;
	c = &r->cell[p];
	if (!c->known || (c->state != JOB_FAILED && c->state != JOB_TIMEOUT))
		return NULL;
	/* This session's job once it ended (its history line is written),
	 * else the history entry shown. */
	if (c->job)
		snprintf(key, sizeof key, "job %u", c->job->id);
	else if (c->hist)
		snprintf(key, sizeof key, "hist %lld", (long long)c->hist->when);
	else
		return NULL;
	if (c->since && !strcmp(c->since_key, key))
		return c->since;
	if (c->since)
		since_fini(c->since);
	else
		c->since = xmalloc(sizeof *c->since);
	snprintf(c->since_key, sizeof c->since_key, "%s", key);
	if (since_last_green(engine_project_dir(b->eng), r->triple,
			     board_profile_name(p), c->since, &err) < 0) {
		/* A history or repository that cannot be read: nothing to say,
		 * and not asked again for this result. */
		since_fini(c->since);
		memset(c->since, 0, sizeof *c->since);
		strv_init(&c->since->toolchain);
	}
	return c->since;
}

struct past_scan {
	const char *triple, *profile;
	struct board_past *v;
	size_t n;
};

static int past_entry(void *arg, const struct history_entry *e)
{
	struct past_scan *ps = arg;

	if (strcmp(e->triple, ps->triple) || strcmp(e->profile, ps->profile))
		return 0;
	ps->v = xrealloc(ps->v, (ps->n + 1) * sizeof *ps->v);
	memset(&ps->v[ps->n], 0, sizeof ps->v[ps->n]);
	ps->v[ps->n++].e = *e;
	return 0;
}

size_t board_history(struct board *b, const char *triple, int p, size_t max,
		     struct board_past **out)
{
	struct past_scan ps = { triple, board_profile_name(p), NULL, 0 };
	const struct rules *rules = engine_rules(b->eng);
	size_t n;

	*out = NULL;
	if (history_each(engine_project_dir(b->eng), past_entry, &ps, NULL) < 0 || !ps.n) {
		free(ps.v);
		return 0;
	}
	/* Newest first, cut to max. */
	for (size_t i = 0; i < ps.n / 2; i++) {
		struct board_past t = ps.v[i];

		ps.v[i] = ps.v[ps.n - 1 - i];
		ps.v[ps.n - 1 - i] = t;
	}
	n = max && ps.n > max ? max : ps.n;
	for (size_t i = 0; i < n; i++) {
		struct board_past *bp = &ps.v[i];
		struct stat st;

		bp->log_kept = bp->e.log[0] && stat(bp->e.log, &st) == 0 && S_ISREG(st.st_mode);
		if (bp->log_kept && rules && strcmp(bp->e.status, "passed") &&
		    strcmp(bp->e.status, "cancelled")) {
			struct diagnose *d = diagnose_file(rules, triple, engine_host(b->eng),
							   bp->e.log, NULL);
			const struct diagnosis *dg = d && diagnose_count(d) ? diagnose_get(d, 0) : NULL;

			if (dg) {
				snprintf(bp->category, sizeof bp->category, "%s",
					 category_name(dg->category));
				snprintf(bp->summary, sizeof bp->summary, "%s", dg->summary);
			}
			diagnose_free(d);
		}
	}
	*out = ps.v;
	return n;
}

size_t board_groups(struct board *b, int p, struct board_group **out)
{
	struct board_group *g = NULL;
	size_t ng = 0, k = 0;

	*out = NULL;
	for (size_t i = 0; i < b->nrows; i++) {
		const struct board_row *r = &b->rows[i];
		const struct board_cell *c = &r->cell[p];
		const struct diagnose *d;
		const struct diagnosis *dg;
		size_t j;

		if (!c->known || (c->state != JOB_FAILED && c->state != JOB_TIMEOUT) ||
		    board_diagnosis_is_smoke(r, p))
			continue;
		d = board_diagnosis(r, p);
		if (!d || !diagnose_count(d))
			continue;
		dg = diagnose_get(d, 0);
		/* "other" is no cause: two unknown errors are not one. */
		if (dg->category == CATEGORY_OTHER)
			continue;
		for (j = 0; j < ng; j++)
			if (!strcmp(g[j].rule, dg->rule) &&
			    !strcmp(g[j].subject, dg->subject ? dg->subject : ""))
				break;
		if (j == ng) {
			g = xrealloc(g, (ng + 1) * sizeof *g);
			memset(&g[ng], 0, sizeof g[ng]);
			g[ng].rule = dg->rule;
			g[ng].category = dg->category;
			snprintf(g[ng].subject, sizeof g[ng].subject, "%s", dg->subject ? dg->subject : "");
			ng++;
		}
		if (g[j].n < sizeof g[j].rows / sizeof *g[j].rows)
			g[j].rows[g[j].n++] = i;
	}
	for (size_t j = 0; j < ng; j++)
		if (g[j].n >= 2)
			g[k++] = g[j];
	if (!k) {
		free(g);
		return 0;
	}
	*out = g;
	return k;
}

size_t board_group_of(struct board *b, int p, size_t row)
{
	struct board_group *g;
	size_t n = board_groups(b, p, &g), found = 0;

	for (size_t j = 0; j < n && !found; j++)
		for (size_t i = 0; i < g[j].n; i++)
			if (g[j].rows[i] == row)
				found = j + 1;
	free(g);
	return found;
}
