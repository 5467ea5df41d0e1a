/* engine.c - schedule builds and run the poll loop. */
#include "engine.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

#include "diagnose.h"
#include "proc.h"
#include "repo.h"
#include "signals.h"

/* After a build exits, how long its pipes may stay open (a daemon a build
 * script left behind holds them) before the group is killed. */
#define ENGINE_PIPE_GRACE_MS 2000

int engine_strategy_parse(const char *name)
{
	if (!strcmp(name, "split"))
		return ENGINE_SPLIT;
	if (!strcmp(name, "shared"))
		return ENGINE_SHARED;
	return -1;
}

const char *engine_strategy_name(enum engine_strategy s)
{
	return s == ENGINE_SHARED ? "shared" : "split";
}

static void announce(struct engine *e, struct job *j);

static void forward_text(void *ctx, struct job *j, const char *text, size_t n)
{
	struct engine *e = ctx;

	if (j->diag)
		diagnose_feed(j->diag, text, n);
	if (e->on_text)
		e->on_text(e->ctx, j, text, n);
}

static void changed(struct engine *e, struct job *j)
{
	if (e->on_change)
		e->on_change(e->ctx, j);
}

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
	e->strategy = opt ? opt->strategy : ENGINE_SPLIT;
	e->log_dir = opt && opt->log_dir
		? xstrdup(opt->log_dir)
		: xasprintf("%s/target/crossbench/logs", project_dir);
	e->base_env = opt ? opt->base_env : NULL;
	e->kill_grace_ms = opt && opt->kill_grace_ms > 0 ? opt->kill_grace_ms : 3000;
	if (history_load(&e->hist, project_dir, NULL) < 0)
		memset(&e->hist, 0, sizeof e->hist);
	host_detect(&e->host, NULL);
	{
		struct cb_err rerr;

		cb_err_clear(&rerr);
		e->rules = rules_load(project_dir, &e->rule_problems,
				      &e->nrule_problems, &rerr);
		if (!e->rules)
			snprintf(e->rules_error, sizeof e->rules_error, "%s", rerr.msg);
	}
	return e;
}

void engine_free(struct engine *e)
{
	if (!e)
		return;
	/* Nothing may outlive us: stop every group, then reap. */
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];

		if (j->state == JOB_RUNNING && !j->reaped) {
			job_kill(j);
			while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
		job_free(j);
	}
	free(e->jobs);
	rules_free(e->rules);
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

struct job *engine_queue(struct engine *e, const char *triple,
			 const char *profile, struct cb_err *err)
{
	struct target_settings ts;
	struct job *j;
	char *split_dir = NULL;
	const char *prof;

	config_resolve(e->cfg, triple, &ts);
	prof = profile ? profile : (ts.profile ? ts.profile : "dev");
	for (size_t i = 0; i < e->njobs; i++) {
		j = e->jobs[i];
		if (!job_state_final(j->state) && !strcmp(j->triple, triple) &&
		    !strcmp(j->profile, prof)) {
			target_settings_fini(&ts);
			return j;
		}
	}
	j = job_new(++e->next_id, triple, prof);
	if (e->strategy == ENGINE_SPLIT && !ts.target_dir)
		split_dir = xasprintf("%s/target/crossbench/build/%s",
				      e->project_dir, triple);
	if (job_prepare(j, &ts, e->project_dir, split_dir, e->base_env, err) < 0) {
		free(split_dir);
		target_settings_fini(&ts);
		job_free(j);
		return NULL;
	}
	free(split_dir);
	target_settings_fini(&ts);
	j->on_text = forward_text;
	j->on_text_ctx = e;
	if (e->rules)
		j->diag = diagnose_new(e->rules, triple, &e->host);
	{
		/* prof may point into ts, which is gone: the job has a copy. */
		const struct history_entry *h = history_last(&e->hist, triple, j->profile);

		j->units_expected = h ? h->units : 0;
	}
	if (e->njobs == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 16;
		e->jobs = xrealloc(e->jobs, e->cap * sizeof *e->jobs);
	}
	e->jobs[e->njobs++] = j;
	changed(e, j);
	return j;
}

void engine_cancel(struct engine *e, struct job *j)
{
	if (j->state == JOB_QUEUED) {
		job_cancel(j, JOB_CANCELLED);
		announce(e, j);
	} else if (j->state == JOB_RUNNING) {
		job_cancel(j, JOB_CANCELLED);
	}
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

/* Whether a running job already uses j's target directory. */
static int dir_busy(const struct engine *e, const struct job *j)
{
	char mine[4096], theirs[4096];

	engine_job_dir(e, j, mine, sizeof mine);
	for (size_t i = 0; i < e->njobs; i++) {
		const struct job *o = e->jobs[i];

		if (o != j && o->state == JOB_RUNNING &&
		    !strcmp(mine, engine_job_dir(e, o, theirs, sizeof theirs)))
			return 1;
	}
	return 0;
}

/* Record a finished job and tell the front end, once. */
static void announce(struct engine *e, struct job *j)
{
	struct history_entry h;

	if (j->diag)
		diagnose_finish(j->diag);
	/* A build that never started (cancelled while queued) has nothing to
	 * record: its target's last real result stays the one shown. */
	if (!j->log_path) {
		changed(e, j);
		if (e->on_finish)
			e->on_finish(e->ctx, j);
		return;
	}
	if (j->state == JOB_PASSED)
		job_check_artifacts(j);
	memset(&h, 0, sizeof h);
	h.when = time(NULL);
	repo_head_id(e->project_dir, h.commit, sizeof h.commit);
	snprintf(h.triple, sizeof h.triple, "%s", j->triple);
	snprintf(h.profile, sizeof h.profile, "%s", j->profile);
	snprintf(h.status, sizeof h.status, "%s", job_state_name(j->state));
	h.seconds = job_seconds(j);
	h.units = j->units;
	snprintf(h.log, sizeof h.log, "%s", j->log_path ? j->log_path : "");
	/* A history that cannot be written costs the progress bar's total
	 * next time, nothing more. */
	history_append(&e->hist, &h, NULL);
	/* Keep the newest logs of each target and profile; this one is the
	 * newest of its own, so it is never the one removed. */
	history_prune_logs(e->log_dir, HISTORY_KEEP_LOGS);
	changed(e, j);
	if (e->on_finish)
		e->on_finish(e->ctx, j);
}

static void finish(struct engine *e, struct job *j)
{
	if (j->has_slot) {
		jobserver_release(&e->js);
		j->has_slot = 0;
	}
	/* With nothing running, slots a killed cargo took with it can be
	 * put back. */
	if (engine_running(e) == 0)
		jobserver_repair(&e->js);
	announce(e, j);
}

/* Start queued jobs, in order, while slots are free.  Sets *want_slot when
 * a job could start if a slot came free.  Returns how many started. */
static int schedule(struct engine *e, int *want_slot)
{
	int started = 0;

	*want_slot = 0;
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];
		struct cb_err err;
		int got;

		if (j->state != JOB_QUEUED || dir_busy(e, j))
			continue;
		got = jobserver_try_acquire(&e->js);
		if (got <= 0) {
			*want_slot = 1;
			return started;
		}
		j->has_slot = 1;
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
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];
		int status;
		pid_t r;

		if (j->state != JOB_RUNNING || j->reaped || j->pid <= 0)
			continue;
		do
			r = waitpid(j->pid, &status, WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == j->pid) {
			clock_gettime(CLOCK_MONOTONIC, &j->t_end);
			if (job_reaped(j, status))
				finish(e, j);
		}
	}
}

/* Deadlines: timeouts, SIGKILL after the grace period, pipes held open
 * after exit.  Returns the ms until the next one (-1: none). */
static int deadlines(struct engine *e)
{
	long next = -1;

	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];
		long left;

		if (j->state != JOB_RUNNING)
			continue;
		if (j->reaped) {
			/* Exited, but something still holds its pipes. */
			left = ENGINE_PIPE_GRACE_MS - ms_since(&j->t_end);
			if (left <= 0) {
				kill(-j->pid, SIGKILL);
				job_close_pipes(j);
				if (job_settle(j))
					finish(e, j);
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

unsigned engine_poll(struct engine *e, struct pollfd *extra, size_t nextra,
		     int timeout_ms)
{
	struct pollfd *pf;
	struct job **owner;
	size_t n = 0, cap = 2 + nextra + 2 * e->njobs;
	int want_slot, dl, rc;
	unsigned sigs = 0;

	/* What started here changed state the caller has not seen: look at
	 * the fds without waiting, so it can show that before anything else
	 * happens (a build may print nothing for minutes). */
	if (schedule(e, &want_slot))
		timeout_ms = 0;
	dl = deadlines(e);
	if (dl >= 0 && (timeout_ms < 0 || dl < timeout_ms))
		timeout_ms = dl;

	pf = xcalloc(cap, sizeof *pf);
	owner = xcalloc(cap, sizeof *owner);
	pf[n++] = (struct pollfd){ signals_fd(), POLLIN, 0 };
	if (want_slot)
		pf[n++] = (struct pollfd){ jobserver_fd(&e->js), POLLIN, 0 };
	for (size_t i = 0; i < e->njobs; i++) {
		struct job *j = e->jobs[i];

		if (j->state != JOB_RUNNING)
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
	for (size_t i = 0; i < nextra; i++)
		pf[n + i] = extra[i];

	rc = poll(pf, (nfds_t)(n + nextra), timeout_ms);
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
			if (job_settle(j) && job_state_final(j->state))
				finish(e, j);
		}
		if (pf[0].revents) {
			sigs = signals_take();
		}
		for (size_t i = 0; i < nextra; i++)
			extra[i].revents = pf[n + i].revents;
	} else {
		for (size_t i = 0; i < nextra; i++)
			extra[i].revents = 0;
	}
	/* Reap every turn, not only on SIGCHLD: a signal that arrived while
	 * poll was not running is still in the pipe, but a cheap WNOHANG per
	 * running job makes the loop independent of that. */
	reap(e);
	deadlines(e);
	schedule(e, &want_slot);
	free(pf);
	free(owner);
	return sigs & ~(1u << SIGCHLD);
}
