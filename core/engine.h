/* engine.h - the scheduler and the one poll() loop over every build.
 *
 * Both front ends drive it: queue builds, then call engine_poll() in their
 * loop (the TUI passes its stdin fd as an extra fd).  Builds run as jobs
 * (job.h), each holding one slot of a shared jobserver (jobserver.h).
 *
 * Two builds whose cargo target directories are the same never run at the
 * same time: cargo would make the second wait on its build-directory lock
 * anyway, holding a slot and printing "Blocking waiting for file lock".
 * The strategy decides the directories:
 *   split   each target builds in <project>/target/crossbench/build/<triple>
 *           (all targets run at once, each cargo building the host units
 *           again; see bench/concurrency.sh)
 *   shared  every target builds in cargo's own target directory, one at a
 *           time, each with all the slots (host build scripts compiled once)
 *   multi   (the default) the targets queued together whose commands differ only in
 *           --target and in per-target variables run as one cargo with
 *           several --target in <project>/target/crossbench/build/multi:
 *           host units are built once and cargo's one scheduler fills every
 *           slot.  Its output is copied to each member's log; when it
 *           fails, each member is built again alone in the same directory
 *           (what finished is reused), so every target still gets its own
 *           result, log and diagnosis, and one failure stops no other.  A
 *           target that cannot join builds at the same time in its own
 *           directory, as under split.
 * A target's own target-dir setting always wins.
 */
#ifndef CB_ENGINE_H
#define CB_ENGINE_H

#include <poll.h>
#include <stddef.h>
#include <time.h>

#include "config.h"
#include "history.h"
#include "host.h"
#include "rules.h"
#include "err.h"
#include "job.h"
#include "jobserver.h"

/* The first is the default (a zeroed engine_options). */
enum engine_strategy { ENGINE_MULTI = 0, ENGINE_SPLIT, ENGINE_SHARED };

/* "split"/"shared"/"multi" -> the enum; -1 if unknown. */
int engine_strategy_parse(const char *name);
const char *engine_strategy_name(enum engine_strategy s);

struct engine_options {
	int slots;                     /* jobserver slots; 0: number of CPUs */
	enum engine_strategy strategy;
	const char *log_dir;           /* NULL: <project>/target/crossbench/logs */
	char *const *base_env;         /* NULL: this process's environment */
	int kill_grace_ms;             /* SIGTERM to SIGKILL; 0: 3000 */
};

/* What a front end hears from the engine; any member may be NULL. */
struct engine_observer {
	/* A job changed state or made progress. */
	void (*change)(void *ctx, struct job *j);
	/* A job reached its final state (the history has recorded it). */
	void (*finish)(void *ctx, struct job *j);
	/* A job appended text to its log. */
	void (*text)(void *ctx, struct job *j, const char *text, size_t n);
	/* Watch mode: a change (first of nchanged paths, relative to the
	 * project) rebuilt the targets; or watching stopped (first NULL,
	 * error the message). */
	void (*watch)(void *ctx, const char *first, size_t nchanged, const char *error);
};

struct engine;


/* An engine for the Cargo project in project_dir with settings cfg.  It
 * loads the project's build history (a history that cannot be read is
 * started afresh: the builds matter more than their record) and the
 * diagnosis rules (without any, builds run undiagnosed and rules_error
 * says why).  Every job's log is diagnosed live as it streams.
 * Returns NULL with err (no jobserver pipe, no signal pipe).  Free with
 * engine_free(), which stops every build still running. */
/* Who hears about the jobs (one observer; o is copied, NULL: none). */
void engine_set_observer(struct engine *e, const struct engine_observer *o,
			 void *ctx);

/* Every job of this session, in the order queued: i < engine_njobs(). */
size_t engine_njobs(const struct engine *e);
struct job *engine_job(const struct engine *e, size_t i);
/* The newest build of triple and profile ("dev", "release", ...), or NULL. */
struct job *engine_latest(const struct engine *e, const char *triple,
			  const char *profile);

/* Past results (appended as builds end), the diagnosis rules (NULL when
 * none could load: engine_rules_error() says why), their problems, the
 * host fixes are for, the jobserver's slots and the strategy. */
const char *engine_project_dir(const struct engine *e);
const struct history *engine_history(const struct engine *e);
const struct rules *engine_rules(const struct engine *e);
const char *engine_rules_error(const struct engine *e);
const struct rules_problem *engine_rule_problems(const struct engine *e, size_t *n);
const struct host *engine_host(const struct engine *e);
int engine_slots(const struct engine *e);
enum engine_strategy engine_strategy(const struct engine *e);

/* When engine_poll's last poll() began and returned (CLOCK_MONOTONIC):
 * a front end that times its keys knows when one could have come. */
void engine_poll_times(const struct engine *e, struct timespec *called,
		       struct timespec *returned);

struct engine *engine_new(const char *project_dir, struct config *cfg,
			  const struct engine_options *opt, struct cb_err *err);
void engine_free(struct engine *e);

/* Load the diagnosis rules again (after the project's settings were
 * allowed: its .crossbench-rules/ join in).  Jobs keep the rules they
 * were diagnosed with. */
void engine_reload_rules(struct engine *e);

/* Queue a build of triple with profile (NULL: the target's profile
 * setting).  A build of the same target and profile already queued or
 * running is returned instead of a second one.  Returns the job (owned by
 * the engine), or NULL with err when its settings cannot make a command. */
struct job *engine_queue(struct engine *e, const char *triple,
			 const char *profile, struct cb_err *err);

/* Queue a smoke run of triple's last passed build of profile (NULL: the
 * target's profile setting): its first program started through the
 * target's runner with the smoke arguments, under the smoke-timeout (see
 * job_prepare_smoke).  Its log is diagnosed like a build's; it is not a
 * history entry.  A smoke run already queued or running is returned.
 * NULL with err: no passed build, the build made only libraries, the
 * build is running, the settings are not allowed. */
struct job *engine_smoke(struct engine *e, const char *triple,
			 const char *profile, struct cb_err *err);
/* The newest smoke run of triple and profile, or NULL. */
struct job *engine_latest_smoke(const struct engine *e, const char *triple,
				const char *profile);

/* Cancel one job (queued: dropped; running: its process group is told to
 * stop, then killed after the grace period). */
void engine_cancel(struct engine *e, struct job *j);
void engine_cancel_all(struct engine *e);

/* SIGKILL every running build's process group (a second interrupt). */
void engine_kill_all(struct engine *e);

/* Counts of jobs queued and running now. */
size_t engine_queued(const struct engine *e);
size_t engine_running(const struct engine *e);

/* The cargo target directory job j uses (for scheduling and artifacts). */
const char *engine_job_dir(const struct engine *e, const struct job *j,
			   char *out, size_t n);

/* Watch mode (watch.h): the project's files are watched in engine_poll's
 * poll(), never ignoring target/, .git/ and what git ignores.  When a
 * change has settled (150 ms after the last event, at most 2 s after the
 * first), every target in targets (NULL or empty: the enabled targets of
 * the settings at that moment) is built again with profile (NULL: each
 * target's profile setting): a build still running is
 * cancelled as stale, and the new one starts when it has ended.  Each new
 * build's log starts with the file that started it.  Returns -1 with err
 * when the watch cannot be set up (not a directory, the inotify limits);
 * a watch that stops later (the directory deleted, a limit reached by a
 * new directory) tells the observer and engine_watch_error() says why. */
int engine_watch_start(struct engine *e, const struct strv *targets,
		       const char *profile, struct cb_err *err);
void engine_watch_stop(struct engine *e);
int engine_watching(const struct engine *e);
/* Directories watched; 0 when not watching. */
size_t engine_watch_dirs(const struct engine *e);
/* Why watching stopped by itself, or NULL. */
const char *engine_watch_error(const struct engine *e);

/* One turn: start what can start, wait up to timeout_ms (-1: until
 * something happens) for output, exits, signals or the extra fds, handle
 * them.  extra[i].revents is filled in for the caller.  Returns the mask of
 * signals other than SIGCHLD that arrived (1u << signo), or 0. */
unsigned engine_poll(struct engine *e, struct pollfd *extra, size_t nextra,
		     int timeout_ms);

#endif
