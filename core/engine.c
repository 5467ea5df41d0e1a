/* engine.c - schedule builds and run the poll loop. */
#include "engine.h"
#include "remote.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "artifact.h"
#include "diagfeed.h"
#include "diagnose.h"
#include "proc.h"
#include "repo.h"
#include "since.h"
#include "signals.h"
#include "watch.h"

struct engine {
	char *project_dir;
	struct config *cfg;            /* borrowed: the caller owns it */
	struct jobserver js;
	enum engine_strategy strategy;
	char *log_dir;
	char *const *base_env;
	int kill_grace_ms;
	struct history hist;           /* past results, appended as builds end */
	struct host host;              /* for fixes that name packages */
	struct rules *rules;           /* diagnosis rules, or NULL */
	struct diagpool *pool;         /* scans the live logs (with rules) */
	/* Rules and pools replaced by engine_reload_rules, kept until the
	 * end for the jobs that still point at them. */
	struct rules **old_rules;
	struct diagpool **old_pools;
	size_t nold;
	struct rules_problem *rule_problems;  /* bad rules, to show the user */
	size_t nrule_problems;
	char rules_error[1024];        /* why there are no rules, or "" */
	struct job **jobs;             /* every job of this session, queue order */
	size_t njobs, cap;
	struct job **groups;           /* the running shared builds (multi) */
	size_t ngroups, gcap;
	unsigned next_id;
	struct timespec poll_called, poll_returned;  /* the last poll() */
	struct engine_observer obs;
	void *ctx;
	/* Watch mode: the project's files, what a change rebuilds (empty:
	 * the enabled targets), the targets waiting for their stale build to
	 * end, the change that started them, why watching stopped. */
	struct watch *watch;
	struct strv watch_targets;
	struct strv watch_pending;
	char *watch_profile;
	char *watch_cause;
	char *watch_error;
	unsigned watch_changes;
};


/* After a build exits, how long its pipes may stay open (a daemon a build
 * script left behind holds them) before the group is killed. */
#define ENGINE_PIPE_GRACE_MS 2000

int engine_strategy_parse(const char *name)
{
	if (!strcmp(name, "split"))
		return ENGINE_SPLIT;
	if (!strcmp(name, "shared"))
		return ENGINE_SHARED;
	if (!strcmp(name, "multi"))
		return ENGINE_MULTI;
	return -1;
}

const char *engine_strategy_name(enum engine_strategy s)
{
	return s == ENGINE_SHARED ? "shared" : s == ENGINE_SPLIT ? "split" : "multi";
}

static void announce(struct engine *e, struct job *j);

/* The processes the engine watches: every job, then every shared build.
 * proc_at(e, i) for i < nprocs(e). */
static size_t nprocs(const struct engine *e)
{
	return e->njobs + e->ngroups;
}

static struct job *proc_at(const struct engine *e, size_t i)
{
	return i < e->njobs ? e->jobs[i] : e->groups[i - e->njobs];
}

static void forward_text(void *ctx, struct job *j, const char *text, size_t n)
{
	struct engine *e = ctx;

	/* A member's text is the shared build's: its own diagnosis comes
	 * from its own build if the shared one fails. */
	if (j->feed && !j->leader)
		diagfeed_push(j->feed, text, n);
	if (e->obs.text)
		e->obs.text(e->ctx, j, text, n);
}

static void changed(struct engine *e, struct job *j)
{
	/* A leader is no target's row: its progress is its members'. */
	for (size_t i = 0; i < j->nmembers; i++) {
		j->members[i]->units = j->units;
		if (e->obs.change)
			e->obs.change(e->ctx, j->members[i]);
	}
	if (e->obs.change && !j->members)
		e->obs.change(e->ctx, j);
}

static void load_rules(struct engine *e);

struct engine *engine_new(const char *project_dir, struct config *cfg,
			  const struct engine_options *opt, struct cb_err *err)
{
	struct engine *e = xcalloc(1, sizeof *e);
	int slots = opt && opt->slots > 0 ? opt->slots : proc_ncpus();

	if (signals_watch(SIGCHLD, err) < 0) {
		free(e);
		return NULL;
	}
	if (jobserver_init(&e->js, slots, err) < 0) {
		free(e);
		return NULL;
	}
	e->project_dir = xstrdup(project_dir);
	e->cfg = cfg;
	e->strategy = opt ? opt->strategy : ENGINE_MULTI;
	e->log_dir = opt && opt->log_dir
		? xstrdup(opt->log_dir)
		: xasprintf("%s/target/crossbench/logs", project_dir);
	e->base_env = opt ? opt->base_env : NULL;
	e->kill_grace_ms = opt && opt->kill_grace_ms > 0 ? opt->kill_grace_ms : 3000;
	if (history_load(&e->hist, project_dir, NULL) < 0)
		memset(&e->hist, 0, sizeof e->hist);
	host_detect(&e->host, NULL);
	load_rules(e);
	return e;
}

/* The rules: the project's own only when its settings are allowed. */
static void load_rules(struct engine *e)
{
	struct cb_err rerr;

	cb_err_clear(&rerr);
	e->rules_error[0] = '\0';
	e->rules = rules_load(config_trusted(e->cfg) ? e->project_dir : NULL,
			      &e->rule_problems, &e->nrule_problems, &rerr);
	if (!e->rules)
		snprintf(e->rules_error, sizeof e->rules_error, "%s", rerr.msg);
	else
		e->pool = diagpool_new(e->rules, 0);
}

void engine_reload_rules(struct engine *e)
{
	e->old_rules = xrealloc(e->old_rules, (e->nold + 1) * sizeof *e->old_rules);
	e->old_pools = xrealloc(e->old_pools, (e->nold + 1) * sizeof *e->old_pools);
	e->old_rules[e->nold] = e->rules;
	e->old_pools[e->nold] = e->pool;
	e->nold++;
	e->rules = NULL;
	e->pool = NULL;
	rules_problems_free(e->rule_problems, e->nrule_problems);
	e->rule_problems = NULL;
	e->nrule_problems = 0;
	load_rules(e);
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	/* Nothing may outlive us: stop every group, then reap. */
	for (size_t i = 0; i < nprocs(e); i++) {
		struct job *j = proc_at(e, i);

		if (j->state == JOB_RUNNING && !j->reaped && j->pid > 0) {
			job_kill(j);
			while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		job_free(j);
	}
	watch_close(e->watch);
	strv_fini(&e->watch_targets);
	strv_fini(&e->watch_pending);
	free(e->watch_cause);
	free(e->watch_profile);
	free(e->watch_error);
	free(e->groups);
	free(e->jobs);
	diagpool_free(e->pool);
	rules_free(e->rules);
	for (size_t i = 0; i < e->nold; i++) {
		diagpool_free(e->old_pools[i]);
		rules_free(e->old_rules[i]);
	}
	free(e->old_pools);
	free(e->old_rules);
	rules_problems_free(e->rule_problems, e->nrule_problems);
	history_fini(&e->hist);
	jobserver_fini(&e->js);
	free(e->project_dir);
	free(e->log_dir);
	free(e);
}

const char *engine_job_dir(const struct engine *e, const struct job *j,
			   char *out, size_t n)
{
	const char *env_dir;

	if (j->target_dir) {
		snprintf(out, n, "%s", j->target_dir);
		return out;
	}
	env_dir = strv_getenv(&j->env, "CARGO_TARGET_DIR");
	if (env_dir)
		snprintf(out, n, "%s", env_dir);
	else
		snprintf(out, n, "%s/target", e->project_dir);
	return out;
}

static int same_slot(const struct job *j, enum job_kind kind,
		     const char *triple, const char *profile)
{
	return j->kind == kind && !strcmp(j->triple, triple) && !strcmp(j->profile, profile);
}

/* The job of kind for triple and profile still queued or running, or NULL. */
static struct job *live_job(const struct engine *e, enum job_kind kind,
			    const char *triple, const char *profile)
{
	for (size_t i = 0; i < e->njobs; i++)
		if (same_slot(e->jobs[i], kind, triple, profile) &&
		    !job_state_final(e->jobs[i]->state))
			return e->jobs[i];
	return NULL;
}

/* The finished jobs a new one replaces keep their logs on disk only. */
static void drop_logs(struct engine *e, enum job_kind kind, const char *triple,
		      const char *profile)
{
	for (size_t i = 0; i < e->njobs; i++)
		if (same_slot(e->jobs[i], kind, triple, profile))
			job_drop_log(e->jobs[i]);
}

/* Take a prepared job into the session: its text reaches the observer
 * and (with rules) its live diagnosis. */
static void add_job(struct engine *e, struct job *j)
{
	j->on_text = forward_text;
	j->on_text_ctx = e;
	if (e->rules) {
		j->diag = diagnose_new(e->rules, j->triple, &e->host);
		j->feed = diagfeed_new(e->pool, j->diag);
	}
	if (e->njobs == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->jobs = xrealloc(e->jobs, e->cap * sizeof *e->jobs);
	}
	e->jobs[e->njobs++] = j;
}

struct job *engine_queue(struct engine *e, const char *triple,
			 const char *profile, struct cb_err *err)
{
	struct target_settings ts;
	struct job *j;
	char *split_dir = NULL;
	const char *prof;

	config_resolve(e->cfg, triple, &ts);
	prof = profile ? profile : (ts.profile ? ts.profile : "dev");
	j = live_job(e, JOB_BUILD, triple, prof);
	if (j) {
		target_settings_fini(&ts);
		return j;
	}
	/* The build it replaces is only on disk from now on. */
	drop_logs(e, JOB_BUILD, triple, prof);
	j = job_new(++e->next_id, triple, prof);
	if (ts.kind == KIND_GO)
		;   /* go's cache is its own; the output goes to target/<triple> */
	else if (e->strategy == ENGINE_SPLIT && !ts.target_dir)
		split_dir = xasprintf("%s/target/crossbench/build/%s",
				      e->project_dir, triple);
	else if (e->strategy == ENGINE_MULTI && !ts.target_dir)
		split_dir = xasprintf("%s/target/crossbench/build/multi",
				      e->project_dir);
	if (ts.kind == KIND_GO && ts.host && *ts.host && !ts.untrusted) {
		cb_err_set(err, CB_ERR_USAGE, "%s: host is for cargo builds; a go "
			   "build (kind = go) runs here", triple);
		target_settings_fini(&ts);
		job_free(j);
		return NULL;
	}
	if (ts.remote_error && !ts.untrusted) {
		cb_err_set(err, CB_ERR_USAGE, "%s", ts.remote_error);
		free(split_dir);
		target_settings_fini(&ts);
		job_free(j);
		return NULL;
	}
	if (job_prepare(j, &ts, e->project_dir, split_dir, e->base_env, err) < 0) {
		free(split_dir);
		target_settings_fini(&ts);
		job_free(j);
		return NULL;
	}
	free(split_dir);
	job_lean_build_tools(j, e->project_dir);
	if (ts.remote)
		job_make_remote(j, ts.remote, e->project_dir);
	target_settings_fini(&ts);
	add_job(e, j);
	{
		/* prof may point into ts, which is gone: the job has a copy. */
		const struct history_entry *h = history_last(&e->hist, triple, j->profile);

		j->units_expected = h ? h->units : 0;
	}
	changed(e, j);
	return j;
}

static void detach_member(struct job *g, struct job *m)
{
	for (size_t i = 0; i < g->nmembers; i++)
		if (g->members[i] == m) {
			memmove(&g->members[i], &g->members[i + 1],
				(g->nmembers - i - 1) * sizeof *g->members);
			g->nmembers--;
			break;
		}
	m->leader = NULL;
}

void engine_cancel(struct engine *e, struct job *j)
{
	if (j->state == JOB_QUEUED) {
		job_cancel(j, JOB_CANCELLED);
		announce(e, j);
	} else if (j->state == JOB_RUNNING && j->leader) {
		/* One cargo builds them all: stop it, and let the others
		 * start again together without this one (what finished is
		 * kept in the target directory). */
		struct job *g = j->leader;

		detach_member(g, j);
		j->cancel_reason = JOB_CANCELLED;
		job_settle_member(j, g);
		j->exit_code = -1;
		announce(e, j);
		g->regroup = 1;
		job_cancel(g, JOB_CANCELLED);
	} else if (j->state == JOB_RUNNING) {
		job_cancel(j, JOB_CANCELLED);
	}
}

void engine_kill_all(struct engine *e)
{
	for (size_t i = 0; i < nprocs(e); i++)
		job_kill(proc_at(e, i));
}

void engine_cancel_all(struct engine *e)
{
	for (size_t i = 0; i < e->njobs; i++)
		engine_cancel(e, e->jobs[i]);
}

size_t engine_queued(const struct engine *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->njobs; i++)
		n += e->jobs[i]->state == JOB_QUEUED;
	return n;
}

size_t engine_running(const struct engine *e)
{
	size_t n = 0;

	for (size_t i = 0; i < e->njobs; i++)
		n += e->jobs[i]->state == JOB_RUNNING;
	return n;
}

static long ms_since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t->tv_sec) * 1000L + (now.tv_nsec - t->tv_nsec) / 1000000L;
}

/* Whether a running job (or shared build) already uses j's target
 * directory. */
static int dir_busy(const struct engine *e, const struct job *j)
{
	char mine[4096], theirs[4096];

	/* A smoke run only reads its binary; a build elsewhere has its own
	 * directory there; a go build takes no cargo lock (go's cache is
	 * shared safely, and each target writes its own output). */
	if (j->kind == JOB_SMOKE || j->remote || j->go)
		return 0;
	engine_job_dir(e, j, mine, sizeof mine);
	for (size_t i = 0; i < nprocs(e); i++) {
		const struct job *o = proc_at(e, i);

		if (o != j && o->kind == JOB_BUILD && o->state == JOB_RUNNING && !o->remote && !o->go &&
		    !strcmp(mine, engine_job_dir(e, o, theirs, sizeof theirs)))
			return 1;
	}
	return 0;
}

/* Record a finished job and tell the front end, once. */
static void announce(struct engine *e, struct job *j)
{
	struct history_entry h;

	if (j->feed)
		diagfeed_finish(j->feed);
	/* A smoke run is the passed build's epilogue, not a result of its
	 * own in the history; its logs are kept like a build's. */
	if (j->kind == JOB_SMOKE) {
		if (j->log_path)
			history_prune_logs(e->log_dir, HISTORY_KEEP_LOGS);
		changed(e, j);
		if (e->obs.finish)
			e->obs.finish(e->ctx, j);
		return;
	}
	/* A build that never started (cancelled while queued) has nothing to
	 * record: its target's last real result stays the one shown. */
	if (!j->log_path) {
		changed(e, j);
		if (e->obs.finish)
			e->obs.finish(e->ctx, j);
		return;
	}
	if (j->state == JOB_PASSED)
		job_check_artifacts(j);
	memset(&h, 0, sizeof h);
	h.when = time(NULL);
	repo_head_id(e->project_dir, h.commit, sizeof h.commit, &h.dirty);
	{
		/* The programs it ran with, to tell a changed toolchain later;
		 * a member of a shared build ran its leader's cargo. */
		const struct job *run = j->leader ? j->leader : j;
		struct buf fp;

		buf_init(&fp);
		since_toolchain_print(run->argv.n ? run->argv.v[0] : NULL, &run->env, &fp);
		snprintf(h.toolchain, sizeof h.toolchain, "%s", fp.data ? fp.data : "");
		buf_fini(&fp);
	}
	snprintf(h.triple, sizeof h.triple, "%s", j->triple);
	snprintf(h.profile, sizeof h.profile, "%s", j->profile);
	snprintf(h.status, sizeof h.status, "%s", job_state_name(j->state));
	h.seconds = job_seconds(j);
	h.units = j->units;
	snprintf(h.log, sizeof h.log, "%s", j->log_path ? j->log_path : "");
	/* What a later session checks again to show this result's verdict. */
	if (j->state == JOB_PASSED && j->artifacts.n)
		snprintf(h.artifact, sizeof h.artifact, "%s", j->artifacts.v[0]);
	/* A history that cannot be written costs the progress bar's total
	 * next time, nothing more. */
	history_append(&e->hist, &h, NULL);
	/* Keep the newest logs of each target and profile; this one is the
	 * newest of its own, so it is never the one removed. */
	history_prune_logs(e->log_dir, HISTORY_KEEP_LOGS);
	changed(e, j);
	if (e->obs.finish)
		e->obs.finish(e->ctx, j);
}

/* The artifacts cargo reported for a shared build that belong to m: they
 * sit below <target-dir>/<triple>/. */
static void give_artifacts(const struct job *g, struct job *m)
{
	char part[TRIPLE_MAX + 2];

	snprintf(part, sizeof part, "/%s/", m->triple);
	for (size_t i = 0; i < g->artifacts.n; i++)
		if (strstr(g->artifacts.v[i], part))
			strv_push(&m->artifacts, g->artifacts.v[i]);
}

static void group_done(struct engine *e, struct job *g)
{
	char *note = NULL;

	/* A shared build that failed or ran out of time says nothing of
	 * which target did: each is built again alone. */
	int again = (g->state == JOB_FAILED || g->state == JOB_TIMEOUT) && !g->regroup;

	if (again)
		note = xasprintf("crossbench: built alone: the shared build of "
				 "%zu targets %s (its log: %s)\n", g->nmembers,
				 g->state == JOB_TIMEOUT ? "timed out" : "failed",
				 g->log_path ? g->log_path : "none");
	for (size_t i = 0; i < g->nmembers; i++) {
		struct job *m = g->members[i];

		m->leader = NULL;
		if (g->regroup) {
			job_requeue_solo(m, NULL);
			m->solo = 0;
		} else if (again) {
			job_requeue_solo(m, note);
			if (m->diag) {
				diagfeed_free(m->feed);
				diagnose_free(m->diag);
				m->diag = diagnose_new(e->rules, m->triple, &e->host);
				m->feed = diagfeed_new(e->pool, m->diag);
			}
		} else {
			if (g->state == JOB_PASSED)
				give_artifacts(g, m);
			m->units = g->units;
			job_settle_member(m, g);
			announce(e, m);
			continue;
		}
		changed(e, m);
	}
	free(note);
	for (size_t i = 0; i < e->ngroups; i++)
		if (e->groups[i] == g) {
			memmove(&e->groups[i], &e->groups[i + 1],
				(e->ngroups - i - 1) * sizeof *e->groups);
			e->ngroups--;
			break;
		}
	job_free(g);
}

static void finish(struct engine *e, struct job *j)
{
	if (j->has_slot) {
		jobserver_release(&e->js);
		j->has_slot = 0;
	}
	if (j->members)
		group_done(e, j);
	else
		announce(e, j);
	/* With nothing running, slots a killed cargo took with it can be
	 * put back. */
	if (engine_running(e) == 0 && e->ngroups == 0)
		jobserver_repair(&e->js);
}

/* Whether the name of an environment variable is one target's own
 * (CARGO_TARGET_<T>_LINKER, CC_<t>, CFLAGS_<triple>): such a variable
 * can be given to a cargo building several targets. */
static int env_is_targets(const char *entry, const char *triple)
{
	char tenv[TRIPLE_MAX], cenv[TRIPLE_MAX];
	const char *eq = strchr(entry, '=');
	size_t kl = eq ? (size_t)(eq - entry) : strlen(entry);
	char key[512];

	if (kl >= sizeof key)
		return 0;
	memcpy(key, entry, kl);
	key[kl] = 0;
	triple_cargo_env(triple, tenv, sizeof tenv);
	triple_cc_env(triple, cenv, sizeof cenv);
	return strstr(key, tenv) || strstr(key, cenv) || strstr(key, triple);
}

/* Whether every variable of a's environment is in b's with the same
 * value, or is a's target's own. */
static int env_fits(const struct job *a, const struct job *b)
{
	for (size_t i = 0; i < a->env.n; i++) {
		const char *x = a->env.v[i];
		const char *eq = strchr(x, '=');
		size_t kl = eq ? (size_t)(eq - x) : strlen(x);
		int found = 0;

		/* a's own variable is a's to set, whatever b inherited, and
		 * b's own is b's. */
		if (env_is_targets(x, a->triple) || env_is_targets(x, b->triple))
			continue;
		for (size_t k = 0; k < b->env.n && !found; k++) {
			const char *y = b->env.v[k];

			if (!strncmp(x, y, kl) && (y[kl] == '=' || !y[kl])) {
				if (strcmp(x, y))
					return 0;
				found = 1;
			}
		}
		if (!found)
			return 0;
	}
	return 1;
}

/* Whether b can be built by the same cargo as a: the same command but
 * for --target's value, the same directories, compatible environments. */
static int mergeable(const struct engine *e, const struct job *a,
		     const struct job *b)
{
	char da[4096], db[4096];

	if (b->solo || a->argv.n != b->argv.n || strcmp(a->cwd, b->cwd) ||
	    strcmp(a->profile, b->profile) ||
	    strcmp(engine_job_dir(e, a, da, sizeof da),
		   engine_job_dir(e, b, db, sizeof db)))
		return 0;
	for (size_t i = 0; i < a->argv.n; i++) {
		if (i > 0 && !strcmp(a->argv.v[i - 1], "--target"))
			continue;
		if (strcmp(a->argv.v[i], b->argv.v[i]))
			return 0;
	}
	return env_fits(a, b) && env_fits(b, a);
}

/* Put m's variables (own: only those of m's target; else the others)
 * into the shared build's environment. */
static void merge_env(struct job *g, const struct job *m, int own)
{
	for (size_t i = 0; i < m->env.n; i++) {
		const char *x = m->env.v[i];
		const char *eq = strchr(x, '=');
		char *key;

		if (!eq || env_is_targets(x, m->triple) != own)
			continue;
		key = xasprintf("%.*s", (int)(eq - x), x);
		strv_setenv(&g->env, key, eq + 1);
		if (strv_getenv(&m->setenv, key))
			strv_setenv(&g->setenv, key, eq + 1);
		free(key);
	}
}

/* A shared build's text goes to each member's log. */
static void group_text(void *ctx, struct job *g, const char *text, size_t n)
{
	(void)ctx;
	/* Its last line ("failed, exit status 101") is each member's own
	 * to write. */
	if (g->reaped && g->out_fd < 0 && g->err_fd < 0)
		return;
	for (size_t i = 0; i < g->nmembers; i++)
		job_append(g->members[i], text, n);
}

/* One cargo for j and the queued jobs that can join it: the leader gets
 * j's command with every member's --target and the union of their
 * environments.  group_members() fills mem (room for every job) with j
 * and those that can join, and returns how many. */
static size_t group_members(const struct engine *e, struct job *j, struct job **mem)
{
	size_t nm = 0;

	mem[nm++] = j;
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *k = e->jobs[i];

		if (k != j && k->state == JOB_QUEUED && mergeable(e, j, k))
			mem[nm++] = k;
	}
	return nm;
}

/* Start the shared build of mem[0..nm) (from group_members, nm >= 2),
 * holding the slot the caller took; it owns mem from here. */
static void start_group(struct engine *e, struct job **mem, size_t nm)
{
	struct job *j = mem[0], *g;
	struct cb_err err;

	g = job_new(++e->next_id, "multi", j->profile);
	g->members = mem;
	g->nmembers = nm;
	/* j's command with every other member's --target after j's own. */
	for (size_t i = 0; i < j->argv.n; i++) {
		strv_push(&g->argv, j->argv.v[i]);
		if (i > 0 && !strcmp(j->argv.v[i - 1], "--target"))
			for (size_t k = 1; k < nm; k++) {
				strv_push(&g->argv, "--target");
				strv_push(&g->argv, mem[k]->triple);
			}
	}
	/* Every member's environment, then each one's own variables over
	 * what the others inherited. */
	for (int own = 0; own < 2; own++)
		for (size_t k = 0; k < nm; k++)
			merge_env(g, mem[k], own);
	for (size_t k = 0; k < nm; k++)
		/* The longest allowance: 0 (none) wins. */
		if (k == 0 || !mem[k]->timeout_s ||
		    (g->timeout_s && mem[k]->timeout_s > g->timeout_s))
			g->timeout_s = mem[k]->timeout_s;
	g->cwd = xstrdup(j->cwd);
	g->target_dir = j->target_dir ? xstrdup(j->target_dir) : NULL;
	g->on_text = group_text;
	g->on_text_ctx = e;
	if (e->ngroups == e->gcap) {
		e->gcap = e->gcap ? e->gcap * 2 : 4;
		e->groups = xrealloc(e->groups, e->gcap * sizeof *e->groups);
	}
	e->groups[e->ngroups++] = g;
	for (size_t k = 0; k < nm; k++) {
		mem[k]->leader = g;
		if (job_start_member(mem[k], e->log_dir, &err) < 0) {
			mem[k]->state = JOB_FAILED;
			mem[k]->error = xstrdup(err.msg);
		}
	}
	g->has_slot = 1;
	if (job_start(g, &e->js, e->log_dir, &err) < 0) {
		g->state = JOB_FAILED;
		g->error = xstrdup(err.msg);
		g->reaped = 1;
		finish(e, g);
		return;
	}
	changed(e, g);
}

/* A job that cannot join the shared build running in the multi
 * directory builds at the same time in a directory of its own, as under
 * the split strategy, rather than waiting for it. */
static void alone_elsewhere(struct engine *e, struct job *j)
{
	char *multi = xasprintf("%s/target/crossbench/build/multi", e->project_dir);

	if (j->target_dir && !strcmp(j->target_dir, multi)) {
		char *own = xasprintf("%s/target/crossbench/build/%s",
				      e->project_dir, j->triple);

		job_set_target_dir(j, own);
		free(own);
	}
	free(multi);
}

/* Whether j's build host already runs as many builds as its jobs
 * setting allows. */
static int host_full(const struct engine *e, const struct job *j)
{
	int running = 0;

	for (size_t i = 0; i < nprocs(e); i++) {
		const struct job *o = proc_at(e, i);

		if (o != j && o->remote && o->state == JOB_RUNNING &&
		    !strcmp(o->remote->host.dest, j->remote->host.dest) &&
		    o->remote->host.port == j->remote->host.port)
			running++;
	}
	return running >= j->remote->host.jobs;
}

/* Start queued jobs, in order, while slots are free.  Sets *want_slot when
 * a job could start if a slot came free.  Returns how many started. */
static int schedule(struct engine *e, int *want_slot)
{
	int started = 0;

	*want_slot = 0;
	/* Multi: the shared build first, so that a job which cannot join it
	 * does not take its directory. */
	for (size_t i = 0; e->strategy == ENGINE_MULTI && i < e->njobs; i++) {
		struct job *j = e->jobs[i];

		struct job **mem;
		size_t nm;

		if (j->state != JOB_QUEUED || j->solo || dir_busy(e, j))
			continue;
		mem = xcalloc(e->njobs, sizeof *mem);
		nm = group_members(e, j, mem);
		if (nm < 2) {
			free(mem);
			continue;
		}
		if (jobserver_try_acquire(&e->js) <= 0) {
			free(mem);
			*want_slot = 1;
			return started;
		}
		start_group(e, mem, nm);
		started++;
		break;
	}
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];
		struct cb_err err;
		int got;

		if (j->state != JOB_QUEUED)
			continue;
		if (j->remote) {
			/* A build elsewhere takes its host's turn, not our slots. */
			if (host_full(e, j))
				continue;
		} else {
			if (e->strategy == ENGINE_MULTI && !j->solo && dir_busy(e, j))
				alone_elsewhere(e, j);
			if (dir_busy(e, j))
				continue;
			got = jobserver_try_acquire(&e->js);
			if (got <= 0) {
				*want_slot = 1;
				return started;
			}
			j->has_slot = 1;
		}
		if (job_start(j, &e->js, e->log_dir, &err) < 0) {
			j->state = JOB_FAILED;
			j->error = xstrdup(err.msg);
			finish(e, j);
			started++;
			continue;
		}
		changed(e, j);
		started++;
	}
	return started;
}

static void reap(struct engine *e)
{
	for (size_t i = 0; i < nprocs(e); i++) {
		struct job *j = proc_at(e, i);
		int status;
		pid_t r;

		if (j->state != JOB_RUNNING || j->reaped || j->pid <= 0)
			continue;
		do
			r = waitpid(j->pid, &status, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == j->pid) {
			clock_gettime(CLOCK_MONOTONIC, &j->t_end);
			if (job_reaped(j, status)) {
				finish(e, j);
				if (i >= e->njobs)
					i--;  /* the group left the list */
			}
		}
	}
}

/* Deadlines: timeouts, SIGKILL after the grace period, pipes held open
 * after exit.  Returns the ms until the next one (-1: none). */
static int deadlines(struct engine *e)
{
	long next = -1;

	for (size_t i = 0; i < nprocs(e); i++) {
		struct job *j = proc_at(e, i);
		long left;

		/* A member's clock is its leader's. */
		if (j->state != JOB_RUNNING || j->leader)
			continue;
		if (j->reaped) {
			/* Exited, but something still holds its pipes. */
			left = ENGINE_PIPE_GRACE_MS - ms_since(&j->t_end);
			if (left <= 0) {
				kill(-j->pid, SIGKILL);
				job_close_pipes(j);
				if (job_settle(j)) {
					finish(e, j);
					if (i >= e->njobs)
						i--;
				}
				continue;
			}
		} else if (j->cancel_reason) {
			left = e->kill_grace_ms - ms_since(&j->t_kill);
			if (left <= 0) {
				job_kill(j);
				left = 1000;  /* look again for the exit */
			}
		} else if (j->timeout_s > 0) {
			left = j->timeout_s * 1000L - ms_since(&j->t_start);
			if (left <= 0) {
				job_cancel(j, JOB_TIMEOUT);
				changed(e, j);
				left = e->kill_grace_ms;
			}
		} else {
			continue;
		}
		if (next < 0 || left < next)
			next = left;
	}
	return next < 0 ? -1 : (int)(next > 0 ? next : 1);
}

void engine_set_observer(struct engine *e, const struct engine_observer *o,
			 void *ctx)
{
	memset(&e->obs, 0, sizeof e->obs);
	if (o)
		e->obs = *o;
	e->ctx = ctx;
}

size_t engine_njobs(const struct engine *e)
{
	return e->njobs;
}

struct job *engine_job(const struct engine *e, size_t i)
{
	return i < e->njobs ? e->jobs[i] : NULL;
}

static struct job *latest_of(const struct engine *e, enum job_kind kind,
			     const char *triple, const char *profile)
{
	for (size_t k = e->njobs; k-- > 0;)
		if (same_slot(e->jobs[k], kind, triple, profile))
			return e->jobs[k];
	return NULL;
}

struct job *engine_latest(const struct engine *e, const char *triple,
			  const char *profile)
{
	return latest_of(e, JOB_BUILD, triple, profile);
}

struct job *engine_latest_smoke(const struct engine *e, const char *triple,
				const char *profile)
{
	return latest_of(e, JOB_SMOKE, triple, profile);
}

static int is_program(const struct artifact *a)
{
	return a->kind == ARTIFACT_KIND_EXECUTABLE || a->kind == ARTIFACT_KIND_PIE;
}

/* The binary a smoke run of triple and profile starts: the first program
 * among the artifacts of this session's passed build, or the one the
 * history kept.  NULL with err when there is none. */
static char *smoke_binary(const struct engine *e, const char *triple,
			  const char *profile, struct cb_err *err)
{
	const struct job *b = engine_latest(e, triple, profile);
	const struct history_entry *h;
	struct artifact a;
	char *path = NULL;

	if (b && !job_state_final(b->state)) {
		cb_err_set(err, CB_ERR_USAGE, "%s (%s) is building: run it when "
			   "the build has passed", triple, profile);
		return NULL;
	}
	if (b && b->state == JOB_PASSED) {
		for (size_t i = 0; i < b->nchecks; i++)
			if (is_program(&b->checks[i]))
				return xstrdup(b->artifacts.v[i]);
		cb_err_set(err, CB_ERR_USAGE, "%s (%s): the build made no program "
			   "to run (only libraries)", triple, profile);
		return NULL;
	}
	h = b ? NULL : history_last(&e->hist, triple, profile);
	if (!h || strcmp(h->status, "passed")) {
		cb_err_set(err, CB_ERR_USAGE, "%s (%s) has no passed build to run: "
			   "build it first", triple, profile);
		return NULL;
	}
	if (h->artifact[0] && artifact_inspect(h->artifact, &a, NULL) == 0) {
		if (is_program(&a))
			path = xstrdup(h->artifact);
		artifact_fini(&a);
	}
	if (!path)
		cb_err_set(err, CB_ERR_USAGE, "%s (%s): the last passed build left "
			   "no program to run%s", triple, profile,
			   h->artifact[0] && access(h->artifact, F_OK) < 0
				   ? " (its artifact is gone: build it again)" : "");
	return path;
}

struct job *engine_smoke(struct engine *e, const char *triple,
			 const char *profile, struct cb_err *err)
{
	struct target_settings ts;
	struct job *j;
	char *bin;
	const char *prof;

	config_resolve(e->cfg, triple, &ts);
	prof = profile ? profile : (ts.profile ? ts.profile : "dev");
	j = live_job(e, JOB_SMOKE, triple, prof);
	if (j) {
		target_settings_fini(&ts);
		return j;
	}
	bin = smoke_binary(e, triple, prof, err);
	if (!bin) {
		target_settings_fini(&ts);
		return NULL;
	}
	j = job_new(++e->next_id, triple, prof);
	if (job_prepare_smoke(j, &ts, e->project_dir, bin, e->base_env, err) < 0) {
		free(bin);
		target_settings_fini(&ts);
		job_free(j);
		return NULL;
	}
	free(bin);
	target_settings_fini(&ts);
	j->solo = 1;   /* never part of a shared build */
	drop_logs(e, JOB_SMOKE, triple, j->profile);
	add_job(e, j);
	changed(e, j);
	return j;
}

const char *engine_project_dir(const struct engine *e)
{
	return e->project_dir;
}

const struct history *engine_history(const struct engine *e)
{
	return &e->hist;
}

const struct rules *engine_rules(const struct engine *e)
{
	return e->rules;
}

const char *engine_rules_error(const struct engine *e)
{
	return e->rules_error;
}

const struct rules_problem *engine_rule_problems(const struct engine *e, size_t *n)
{
	*n = e->nrule_problems;
	return e->rule_problems;
}

const struct host *engine_host(const struct engine *e)
{
	return &e->host;
}

int engine_slots(const struct engine *e)
{
	return e->js.slots;
}

enum engine_strategy engine_strategy(const struct engine *e)
{
	return e->strategy;
}

void engine_poll_times(const struct engine *e, struct timespec *called,
		       struct timespec *returned)
{
	*called = e->poll_called;
	*returned = e->poll_returned;
}

/* ---------------------------------------------------------- watch mode */

/* Queue a rebuild of triple for the change that started it; the log says
 * which file that was. */
static void watch_queue(struct engine *e, const char *triple)
{
	struct cb_err err;
	struct job *j = engine_queue(e, triple, e->watch_profile, &err);

	if (!j || j->state != JOB_QUEUED || j->cause)
		return;
	if (e->watch_changes > 1)
		j->cause = xasprintf("crossbench: started by a change to %s "
				       "(and %u more files)\n", e->watch_cause,
				       e->watch_changes - 1);
	else
		j->cause = xasprintf("crossbench: started by a change to %s\n",
				       e->watch_cause);
}

/* The build watch mode makes of triple: its profile. */
static const char *watch_prof(struct engine *e, const struct target_settings *ts)
{
	return e->watch_profile ? e->watch_profile : ts->profile ? ts->profile : "dev";
}

/* The targets whose stale build has ended now build again. */
static void watch_queue_pending(struct engine *e)
{
	size_t i = 0;

	while (i < e->watch_pending.n) {
		const char *t = e->watch_pending.v[i];
		struct target_settings ts;
		int busy;

		config_resolve(e->cfg, t, &ts);
		busy = live_job(e, JOB_BUILD, t, watch_prof(e, &ts)) != NULL;
		target_settings_fini(&ts);
		if (busy) {
			i++;
			continue;
		}
		watch_queue(e, t);
		free(e->watch_pending.v[i]);
		memmove(&e->watch_pending.v[i], &e->watch_pending.v[i + 1],
			(e->watch_pending.n - i - 1) * sizeof *e->watch_pending.v);
		e->watch_pending.n--;
	}
}

/* A change is due: every target it rebuilds has its running (stale)
 * build cancelled and a new one queued, which starts once the old one
 * has ended. */
static void watch_rebuild(struct engine *e, const char *first, size_t nchanged)
{
	struct strv targets;

	free(e->watch_cause);
	e->watch_cause = xstrdup(first);
	e->watch_changes = nchanged > 1 ? (unsigned)nchanged : 1;
	strv_init(&targets);
	if (e->watch_targets.n) {
		for (size_t i = 0; i < e->watch_targets.n; i++)
			strv_push(&targets, e->watch_targets.v[i]);
	} else {
		for (size_t i = 0; i < e->cfg->ntargets; i++)
			if (e->cfg->targets[i].enabled)
				strv_push(&targets, e->cfg->targets[i].triple);
	}
	for (size_t i = 0; i < targets.n; i++) {
		struct target_settings ts;
		struct job *live;

		config_resolve(e->cfg, targets.v[i], &ts);
		live = live_job(e, JOB_BUILD, targets.v[i], watch_prof(e, &ts));
		target_settings_fini(&ts);
		if (live)
			engine_cancel(e, live);
		if (!strv_has(&e->watch_pending, targets.v[i]))
			strv_push(&e->watch_pending, targets.v[i]);
	}
	strv_fini(&targets);
	if (e->obs.watch)
		e->obs.watch(e->ctx, first, nchanged, NULL);
}

static void watch_turn(struct engine *e)
{
	char *first = NULL;
	size_t n = 0;
	int rc;

	if (!e->watch)
		return;
	rc = watch_take(e->watch, &first, &n);
	if (rc > 0) {
		watch_rebuild(e, first, n);
	} else if (rc < 0) {
		free(e->watch_error);
		e->watch_error = xstrdup(watch_error(e->watch) ? watch_error(e->watch)
					 : "watch: watching stopped");
		watch_close(e->watch);
		e->watch = NULL;
		if (e->obs.watch)
			e->obs.watch(e->ctx, NULL, 0, e->watch_error);
	}
	free(first);
}

int engine_watch_start(struct engine *e, const struct strv *targets,
		       const char *profile, struct cb_err *err)
{
	struct watch *w;

	if (e->watch)
		return 0;
	w = watch_open(e->project_dir, err);
	if (!w)
		return -1;
	e->watch = w;
	free(e->watch_error);
	e->watch_error = NULL;
	free(e->watch_profile);
	e->watch_profile = profile ? xstrdup(profile) : NULL;
	strv_fini(&e->watch_targets);
	for (size_t i = 0; targets && i < targets->n; i++)
		strv_push(&e->watch_targets, targets->v[i]);
	return 0;
}

void engine_watch_stop(struct engine *e)
{
	watch_close(e->watch);
	e->watch = NULL;
	strv_fini(&e->watch_pending);
}

int engine_watching(const struct engine *e)
{
	return e->watch != NULL;
}

size_t engine_watch_dirs(const struct engine *e)
{
	return e->watch ? watch_count(e->watch) : 0;
}

const char *engine_watch_error(const struct engine *e)
{
	return e->watch_error;
}

unsigned engine_poll(struct engine *e, struct pollfd *extra, size_t nextra,
		     int timeout_ms)
{
	struct pollfd *pf;
	struct job **owner;
	size_t n = 0, cap = 4 + nextra + 2 * nprocs(e), watch_slot = (size_t)-1;
	int want_slot, dl, rc;
	unsigned sigs = 0;

	/* What started here changed state the caller has not seen: look at
	 * the fds without waiting, so it can show that before anything else
	 * happens (a build may print nothing for minutes). */
	watch_queue_pending(e);
	if (schedule(e, &want_slot))
		timeout_ms = 0;
	dl = deadlines(e);
	if (dl >= 0 && (timeout_ms < 0 || dl < timeout_ms))
		timeout_ms = dl;
	dl = e->watch ? watch_timeout_ms(e->watch) : -1;
	if (dl >= 0 && (timeout_ms < 0 || dl < timeout_ms))
		timeout_ms = dl;

	pf = xcalloc(cap, sizeof *pf);
	owner = xcalloc(cap, sizeof *owner);
	pf[n++] = (struct pollfd){ signals_fd(), POLLIN, 0 };
	pf[n++] = (struct pollfd){ diagpool_fd(e->pool), POLLIN, 0 };
	if (want_slot)
		pf[n++] = (struct pollfd){ jobserver_fd(&e->js), POLLIN, 0 };
	for (size_t i = 0; i < nprocs(e); i++) {
		struct job *j = proc_at(e, i);

		if (j->state != JOB_RUNNING)
			continue;
		/* Its diagnoser is behind: let the pipe hold the rest (the
		 * build waits as it would for a slow terminal). */
		if (diagfeed_pending(j->feed) > DIAGFEED_PENDING_MAX)
			continue;
		if (j->out_fd >= 0) {
			owner[n] = j;
			pf[n++] = (struct pollfd){ j->out_fd, POLLIN, 0 };
		}
		if (j->err_fd >= 0) {
			owner[n] = j;
			pf[n++] = (struct pollfd){ j->err_fd, POLLIN, 0 };
		}
	}
	if (e->watch) {
		watch_slot = n;
		pf[n++] = (struct pollfd){ watch_fd(e->watch), POLLIN, 0 };
	}
	for (size_t i = 0; i < nextra; i++)
		pf[n + i] = extra[i];

	clock_gettime(CLOCK_MONOTONIC, &e->poll_called);
	rc = poll(pf, (nfds_t)(n + nextra), timeout_ms);
	clock_gettime(CLOCK_MONOTONIC, &e->poll_returned);
	if (rc > 0) {
		for (size_t i = 0; i < n; i++) {
			struct job *j = owner[i];

			unsigned units;

			if (!j || !pf[i].revents)
				continue;
			units = j->units;
			job_read(j, pf[i].fd);
			/* Output alone is on_text's news; a unit done is progress. */
			if (j->units != units)
				changed(e, j);
			if (job_settle(j) && job_state_final(j->state)) {
				/* A group is freed when it ends: forget its
				 * other fd in this turn. */
				for (size_t k = i + 1; k < n; k++)
					if (owner[k] == j)
						owner[k] = NULL;
				finish(e, j);
			}
		}
		if (pf[0].revents) {
			sigs = signals_take();
		}
		if (pf[1].revents)
			diagpool_drain(e->pool);
		if (watch_slot != (size_t)-1 && pf[watch_slot].revents && e->watch)
			watch_read(e->watch);
		for (size_t i = 0; i < nextra; i++)
			extra[i].revents = pf[n + i].revents;
	} else {
		for (size_t i = 0; i < nextra; i++)
			extra[i].revents = 0;
	}
	/* Reap every turn, not only on SIGCHLD: a signal that arrived while
	 * poll was not running is still in the pipe, but a cheap WNOHANG per
	 * running job makes the loop independent of that. */
	/* What the pool has scanned reaches each diagnosis, in order. */
	for (size_t i = 0; i < e->njobs; i++)
		if (e->jobs[i]->state == JOB_RUNNING && diagfeed_apply(e->jobs[i]->feed))
			changed(e, e->jobs[i]);
	reap(e);
	deadlines(e);
	watch_turn(e);
	watch_queue_pending(e);
	schedule(e, &want_slot);
	free(pf);
	free(owner);
	return sigs & ~(1u << SIGCHLD);
}
