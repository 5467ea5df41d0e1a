/* cmd_build.c - `crossbench build`: the engine without a screen. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "category.h"
#include "jsontext.h"
#include "artifact.h"
#include "board.h"
#include "config.h"
#include "diagnose.h"
#include "engine.h"
#include "remote.h"
#include "repo.h"
#include "since.h"
#include "signals.h"
#include "triple.h"

struct build_opts {
	const char *dir;
	struct strv targets;
	int trust;          /* --trust */
	int all, release, jobs, timeout_s, json, smoke, watch;
	const char *strategy;
	const char *profile;
};

static void build_usage(FILE *f)
{
	fprintf(f,
		"usage: crossbench build [-C DIR] [--target T]... [--all] [--release]\n"
		"                        [--profile NAME] [--jobs N] [--timeout S]\n"
		"                        [--strategy split|shared|multi] [--smoke] [--json]\n"
		"                        [--watch] [--trust]\n\n"
		"Build the enabled targets of the Cargo or Go project (or those named\n"
		"with --target) concurrently, sharing one jobserver of N slots.\n\n"
		"  -C DIR            the project directory (default: .)\n"
		"  -t, --target T    build target T (repeatable); default: the enabled ones\n"
		"  -a, --all         build every target in the settings, enabled or not\n"
		"  -r, --release     build the release profile\n"
		"      --profile P   build cargo profile P\n"
		"  -j, --jobs N      jobserver slots shared by all builds (default: CPUs)\n"
		"      --timeout S   stop a build after S seconds (90, 10m, 1h)\n"
		"      --strategy S  multi: one cargo for every target that can share it\n"
		"                    (default); split: a target directory and a cargo per\n"
		"                    target; shared: cargo's one directory, one at a time\n"
		"      --smoke       then start each passed target's program through its\n"
		"                    runner (qemu-user, wine) with its smoke arguments\n"
		"                    (default --version): it must exit 0\n"
		"      --json        print the results as one JSON object on stdout\n"
		"  -w, --watch       then build them again whenever a file of the project\n"
		"                    is saved (not target/, .git/ or what git ignores),\n"
		"                    cancelling builds the change made stale; until ^C\n"
		"      --trust       let the project's .crossbench run what it names, for\n"
		"                    this run only (see crossbench allow)\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 when every build (and smoke run) passed, 1 when one did not,\n"
		"2 on bad usage, 130 when interrupted (the end of --watch), "
		"3 when the project's settings are not allowed to run programs yet.\n");
}

/* A path relative to the current directory when it is below it. */
static const char *rel(const char *path, const char *cwd)
{
	size_t cl = strlen(cwd);

	if (!strncmp(path, cwd, cl) && path[cl] == '/')
		return path + cl + 1;
	return path;
}

struct status_view {
	FILE *f;          /* where live status goes, or NULL */
	int lines;        /* lines drawn last time */
	struct timespec last;
	int color;
};

static const char *state_color(enum job_state s)
{
	switch (s) {
	case JOB_PASSED: return "\033[32m";
	case JOB_FAILED: case JOB_TIMEOUT: case JOB_UNREACHABLE: return "\033[31m";
	case JOB_RUNNING: return "\033[36m";
	case JOB_CANCELLED: return "\033[33m";
	default: return "";
	}
}

static void draw_status(struct status_view *v, struct engine *e, int force)
{
	struct timespec now;
	long ms;

	if (!v->f)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - v->last.tv_sec) * 1000L +
	     (now.tv_nsec - v->last.tv_nsec) / 1000000L;
	if (!force && ms < 100)
		return;   /* a flood of output must not become a flood of redraws */
	v->last = now;
	if (v->lines)
		fprintf(v->f, "\033[%dA", v->lines);
	for (size_t i = 0; i < engine_njobs(e); i++) {
		struct job *j = engine_job(e, i);
		char units[32] = "";

		if (j->units)
			snprintf(units, sizeof units, "%u units", j->units);
		if (j->kind == JOB_SMOKE)
			snprintf(units, sizeof units, "smoke run");
		fprintf(v->f, "\r\033[K  %-34s %-8s %s%-11s%s %6.1fs  %s\n",
			j->triple, j->profile, v->color ? state_color(j->state) : "",
			job_state_name(j->state), v->color ? "\033[0m" : "",
			job_seconds(j), units);
	}
	v->lines = (int)engine_njobs(e);
	fflush(v->f);
}

/* RFC 3339 UTC with milliseconds, or null for a build that never ran. */
static json_t *time_json(const struct timespec *ts)
{
	char s[48], day[32];
	struct tm tm;

	if (!ts->tv_sec)
		return json_null();
	gmtime_r(&ts->tv_sec, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(s, sizeof s, "%s.%03dZ", day, (int)(ts->tv_nsec / 1000000L));
	return json_string(s);
}

/* What the board says of j: its cell's state, verdict and diagnosis (the
 * screen's), or j's own for a target the settings do not name. */
struct result {
	enum job_state state;
	enum board_art verdict;
	const char *art_problem;
	const struct diagnose *diag;
	const struct job *smoke;   /* the smoke run of this build, or NULL */
};

/* Why a passed build had no smoke run ("made no program"), by job id. */
struct smoke_skips {
	unsigned *id;
	char **why;
	size_t n;
};

static const char *skip_of(const struct smoke_skips *sk, const struct job *j)
{
	for (size_t i = 0; sk && i < sk->n; i++)
		if (sk->id[i] == j->id)
			return sk->why[i];
	return NULL;
}

/* The smoke run of build j: its target's newest, if it came after j. */
static const struct job *smoke_of(struct engine *e, const struct job *j)
{
	const struct job *s = engine_latest_smoke(e, j->triple, j->profile);

	return s && s->id > j->id ? s : NULL;
}

/* A smoke run's result for the JSON: what ran, how it ended, the first
 * line it printed, its log and (when it failed) its diagnoses. */
static json_t *smoke_json(const struct job *s, const char *skipped)
{
	json_t *o = json_object(), *argv;
	struct buf b;

	if (!s) {
		json_object_set_new(o, "status", json_string("skipped"));
		json_object_set_new(o, "reason", jsontext(skipped));
		return o;
	}
	buf_init(&b);
	argv = json_array();
	json_object_set_new(o, "status", json_string(job_state_name(s->state)));
	job_smoke_summary(s, &b);
	json_object_set_new(o, "summary", jsontext(b.data));
	for (size_t i = 0; i < s->argv.n; i++)
		json_array_append_new(argv, jsontext(s->argv.v[i]));
	json_object_set_new(o, "command", argv);
	json_object_set_new(o, "exit_code", s->exit_code >= 0
			    ? json_integer(s->exit_code) : json_null());
	buf_reset(&b);
	json_object_set_new(o, "output", job_smoke_first_line(s, &b) == 0
			    ? jsontext(b.data) : json_null());
	json_object_set_new(o, "log", jsontext(s->log_path));
	if (s->state != JOB_PASSED) {
		json_t *dg = json_array();

		for (size_t i = 0; s->diag && i < diagnose_count(s->diag); i++)
			json_array_append_new(dg, diagnosis_to_json(diagnose_get(s->diag, i)));
		json_object_set_new(o, "diagnoses", dg);
	}
	buf_fini(&b);
	return o;
}

static struct result result_of(struct engine *e, struct board *b,
			       const struct job *j)
{
	int p;
	const struct board_row *row = board_row_of(b, j, &p);
	struct result res = { j->state, BOARD_ART_NONE, NULL, NULL, smoke_of(e, j) };

	if (row) {
		const struct board_cell *c = &row->cell[p];

		res.state = c->state;
		res.verdict = c->verdict;
		res.art_problem = board_art_problem(c);
		res.diag = board_diagnosis(row, p);
		return res;
	}
	if (j->state == JOB_PASSED && j->nchecks)
		res.verdict = board_art_verdict(&j->checks[0]);
	if (j->state != JOB_PASSED)
		res.diag = j->diag;
	else if (res.smoke && res.smoke->state != JOB_PASSED)
		res.diag = res.smoke->diag;
	return res;
}

/* Targets failing for one cause, in both profiles, as JSON. */
static json_t *groups_json(struct board *b)
{
	json_t *arr = json_array();

	for (int p = 0; p < BOARD_PROFILES; p++) {
		struct board_group *g;
		size_t n = board_groups(b, p, &g);

		for (size_t k = 0; k < n; k++) {
			json_t *o = json_object(), *t = json_array(), *fx = json_array();

			json_object_set_new(o, "rule", json_string(g[k].rule));
			json_object_set_new(o, "category", json_string(category_name(g[k].category)));
			json_object_set_new(o, "subject", jsontext(g[k].subject));
			json_object_set_new(o, "profile", json_string(board_profile_name(p)));
			for (size_t m = 0; m < g[k].n; m++) {
				const struct board_row *r = board_row(b, g[k].rows[m]);
				const struct diagnose *d = board_diagnosis(r, p);
				const struct diagnosis *dg = d && diagnose_count(d) ? diagnose_get(d, 0) : NULL;
				json_t *f = json_object(), *list = json_array();

				json_array_append_new(t, jsontext(r->triple));
				json_object_set_new(f, "target", jsontext(r->triple));
				for (size_t q = 0; dg && q < dg->nfixes; q++)
					json_array_append_new(list, diagnosis_fix_to_json(&dg->fixes[q]));
				json_object_set_new(f, "fixes", list);
				json_array_append_new(fx, f);
			}
			json_object_set_new(o, "targets", t);
			json_object_set_new(o, "fixes", fx);
			json_array_append_new(arr, o);
		}
		free(g);
	}
	return arr;
}

static void print_groups(FILE *f, struct board *b)
{
	for (int p = 0; p < BOARD_PROFILES; p++) {
		struct board_group *g;
		size_t n = board_groups(b, p, &g);

		for (size_t k = 0; k < n; k++) {
			fprintf(f, "\none cause, %zu targets (%s): %s", g[k].n, board_profile_name(p),
				category_name(g[k].category));
			if (g[k].subject[0]) {
				fputs(" (", f);
				cli_put_text(f, g[k].subject);
				fputc(')', f);
			}
			fputs(":", f);
			for (size_t m = 0; m < g[k].n; m++)
				fprintf(f, "%s %s", m ? "," : "", board_row(b, g[k].rows[m])->triple);
			fputc('\n', f);
		}
		free(g);
	}
}

/* What the repository was at when the builds ran. */
struct build_repo {
	const char *project;
	char head[41];
	int dirty, has;
};

/* What changed since a failing target last passed; 0 when there is
 * nothing to say.  s is to be since_fini'ed either way. */
static int since_of(const struct build_repo *br, const struct job *j, struct since *s)
{
	struct cb_err err;

	if (since_last_green(br->project, j->triple, j->profile, s, &err) < 0)
		return 0;
	return s->failing;
}

static json_t *result_json(struct engine *e, struct board *b, const struct job *j,
			   const struct smoke_skips *sk, const struct build_repo *br)
{
	json_t *r = json_object(), *arts = json_array();
	struct result res = result_of(e, b, j);

	json_object_set_new(r, "target", json_string(j->triple));
	json_object_set_new(r, "profile", json_string(j->profile));
	json_object_set_new(r, "status", json_string(job_state_name(res.state)));
	json_object_set_new(r, "artifact", json_string(board_art_name(res.verdict)));
	if (res.art_problem)
		json_object_set_new(r, "artifact_problem", jsontext(res.art_problem));
	json_object_set_new(r, "exit_code", j->exit_code >= 0
			    ? json_integer(j->exit_code) : json_null());
	json_object_set_new(r, "seconds", json_real((double)(long)(job_seconds(j) * 100) / 100.0));
	json_object_set_new(r, "started", time_json(&j->wall_start));
	json_object_set_new(r, "finished", time_json(&j->wall_end));
	json_object_set_new(r, "log", jsontext(j->log_path));
	/* Where it built: its host setting, null for here. */
	json_object_set_new(r, "host", j->remote && j->remote->host.name
			    ? jsontext(j->remote->host.name) : json_null());
	for (size_t i = 0; i < j->artifacts.n; i++)
		json_array_append_new(arts, jsontext(j->artifacts.v[i]));
	json_object_set_new(r, "artifacts", arts);
	if (j->nchecks) {
		json_t *checks = json_array();

		for (size_t i = 0; i < j->nchecks; i++)
			json_array_append_new(checks, artifact_to_json(&j->checks[i]));
		json_object_set_new(r, "artifact_checks", checks);
		json_object_set_new(r, "artifacts_ok", json_boolean(job_artifacts_ok(j)));
	}
	if (j->error)
		json_object_set_new(r, "error", jsontext(j->error));
	if (res.state != JOB_PASSED && res.state != JOB_SKIPPED) {
		json_t *dg = json_array();

		for (size_t i = 0; res.diag && i < diagnose_count(res.diag); i++)
			json_array_append_new(dg, diagnosis_to_json(diagnose_get(res.diag, i)));
		json_object_set_new(r, "diagnoses", dg);
	}
	if (res.smoke || skip_of(sk, j))
		json_object_set_new(r, "smoke", smoke_json(res.smoke, skip_of(sk, j)));
	json_object_set_new(r, "commit", br->head[0] ? json_string(br->head) : json_null());
	json_object_set_new(r, "dirty", br->has ? json_boolean(br->dirty) : json_null());
	if (res.state == JOB_FAILED || res.state == JOB_TIMEOUT) {
		struct since s;

		/* last_green, commits, changed, packages, toolchain, note */
		if (since_of(br, j, &s)) {
			json_t *o = since_to_json(&s);

			json_object_update(r, o);
			json_decref(o);
		}
		since_fini(&s);
	}
	return r;
}

/* Under an artifact: what it is, whether it fits, and what will break. */
static void print_check(FILE *f, const struct artifact *a, int color)
{
	struct buf sum;

	buf_init(&sum);
	artifact_summary(a, &sum);
	fprintf(f, "%68s%s", "", a->matches == ARTIFACT_NO && color ? "\033[31m" : "");
	cli_put_text(f, sum.data ? sum.data : "?");
	fputs(a->matches == ARTIFACT_NO ? " (does not fit the target)" :
	      a->matches == ARTIFACT_YES ? " ok" : "", f);
	if (color && a->matches == ARTIFACT_NO)
		fputs("\033[0m", f);
	fputc('\n', f);
	for (size_t i = 0; i < a->nproblems; i++) {
		fprintf(f, "%68s", "");
		cli_put_text(f, a->problems[i].text);
		fputc('\n', f);
	}
	buf_fini(&sum);
}

/* Under a passed build: how its smoke run went, and what it printed. */
static void print_smoke(FILE *f, const struct job *s, const char *skipped,
			int color)
{
	struct buf b;

	fprintf(f, "%68ssmoke: ", "");
	if (!s) {
		cli_put_text(f, skipped);
		fputc('\n', f);
		return;
	}
	buf_init(&b);
	job_smoke_summary(s, &b);
	fputs(color ? state_color(s->state) : "", f);
	cli_put_text(f, b.data);
	fputs(color ? "\033[0m" : "", f);
	buf_reset(&b);
	if (job_smoke_first_line(s, &b) == 0) {
		char line[121];

		snprintf(line, sizeof line, "%s", b.data);
		fputs(": ", f);
		cli_put_text(f, line);
	}
	fputc('\n', f);
	buf_fini(&b);
}

static void print_summary(FILE *f, const struct build_repo *br, struct engine *e, struct board *b,
			  const struct smoke_skips *sk, const char *cwd, int color, size_t from)
{
	fprintf(f, "\n  %-34s %-8s %-11s %7s  %s\n", "target", "profile", "status",
		"time", "output");
	for (size_t i = from; i < engine_njobs(e); i++) {
		struct job *j = engine_job(e, i);
		const struct job *sm = smoke_of(e, j);

		if (j->kind != JOB_BUILD)
			continue;
		fprintf(f, "  %-34s %-8s %s%-11s%s %6.1fs  ", j->triple, j->profile,
			color ? state_color(j->state) : "", job_state_name(j->state),
			color ? "\033[0m" : "", job_seconds(j));
		if (j->state == JOB_PASSED && j->artifacts.n) {
			for (size_t k = 0; k < j->artifacts.n; k++) {
				/* cargo's words: a path holds what the project named */
				fprintf(f, "%*s", k ? 68 : 0, "");
				cli_put_text(f, rel(j->artifacts.v[k], cwd));
				fputc('\n', f);
				if (k < j->nchecks)
					print_check(f, &j->checks[k], color);
			}
			if (sm || skip_of(sk, j))
				print_smoke(f, sm, skip_of(sk, j), color);
		} else if (j->error) {
			cli_put_text(f, j->error);
			fputc('\n', f);
		} else if (j->log_path) {
			fputs("log: ", f);
			cli_put_text(f, rel(j->log_path, cwd));
			fputc('\n', f);
		} else {
			fputc('\n', f);
		}
	}
	/* For each failure, its root cause and what to do about it. */
	for (size_t i = from; i < engine_njobs(e); i++) {
		struct job *j = engine_job(e, i);
		struct result res = result_of(e, b, j);
		const struct diagnosis *dg;
		int of_smoke;

		if (j->kind != JOB_BUILD || !res.diag || !diagnose_count(res.diag))
			continue;
		of_smoke = res.smoke && res.diag == res.smoke->diag;
		if (res.state == JOB_PASSED && !of_smoke)
			continue;
		if (of_smoke)
			j = (struct job *)res.smoke;   /* its log, its lines */
		dg = diagnose_get(res.diag, 0);
		fprintf(f, "\n%s%s%s (%s%s): %s%s%s\n  ", color ? "\033[1m" : "",
			j->triple, color ? "\033[0m" : "", j->profile,
			of_smoke ? ", smoke run" : "",
			color ? "\033[31m" : "", category_name(dg->category),
			color ? "\033[0m" : "");
		cli_put_text(f, dg->summary);
		fputc('\n', f);
		if (j->log_path) {
			char ev[201];

			snprintf(ev, sizeof ev, "%s", dg->evidence);
			fprintf(f, "  log line %zu: ", dg->line);
			cli_put_text(f, ev);
			fputc('\n', f);
		}
		for (size_t k = 0; k < dg->nfixes; k++) {
			fputs("  fix: ", f);
			cli_put_text(f, dg->fixes[k].text);
			fputc('\n', f);
		}
		if (diagnose_count(res.diag) > 1)
			fprintf(f, "  (%zu more: crossbench diagnose %s)\n",
				diagnose_count(res.diag) - 1, rel(j->log_path, cwd));
		if (!of_smoke) {
			struct since s;

			if (since_of(br, j, &s) && s.found) {
				struct buf t;

				buf_init(&t);
				since_headline(&s, time(NULL), &t);
				if (s.nfiles || s.toolchain.n) {
					buf_puts(&t, ": ");
					since_files_text(&s, 8, &t);
				}
				fputs("  since: ", f);
				cli_put_text(f, t.data);
				fputc('\n', f);
				buf_fini(&t);
			}
			since_fini(&s);
		}
	}
}

static int parse_args(int argc, char **argv, struct build_opts *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "release", no_argument, NULL, 'r' },
		{ "profile", required_argument, NULL, 'P' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "strategy", required_argument, NULL, 'S' },
		{ "json", no_argument, NULL, 'J' },
		{ "smoke", no_argument, NULL, 'K' },
		{ "trust", no_argument, NULL, 'U' },
		{ "watch", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:t:arj:wh", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->dir = optarg; break;
		case 'U': o->trust = 1; break;
		case 't': strv_push(&o->targets, optarg); break;
		case 'a': o->all = 1; break;
		case 'r': o->release = 1; break;
		case 'P': o->profile = optarg; break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*end || v < 1 || v > 256) {
				cli_error("build: --jobs '%s': expected a number from 1 to 256", optarg);
				return -1;
			}
			o->jobs = (int)v;
			break;
		}
		case 'T':
			if (config_parse_seconds(optarg, &o->timeout_s) < 0) {
				cli_error("build: --timeout '%s': expected seconds like 90, 10m or 1h", optarg);
				return -1;
			}
			break;
		case 'S':
			if (engine_strategy_parse(optarg) < 0) {
				cli_error("build: --strategy '%s': expected split, shared or multi", optarg);
				return -1;
			}
			o->strategy = optarg;
			break;
		case 'J': o->json = 1; break;
		case 'K': o->smoke = 1; break;
		case 'w': o->watch = 1; break;
		case 'h': build_usage(stdout); exit(0);
		default: build_usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("build: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->watch && (o->json || o->smoke)) {
		cli_error("build: --watch prints each round's results as it ends; "
			  "it cannot be used with --%s", o->json ? "json" : "smoke");
		return -1;
	}
	if (o->release && o->profile) {
		cli_error("build: --release and --profile cannot be used together");
		return -1;
	}
	return 0;
}

/* Poll until nothing is queued or running; an interrupt cancels every
 * job, a second one kills them.  Returns whether one came (or had). */
static int run_all(struct engine *e, struct status_view *view, int interrupted)
{
	while (engine_queued(e) + engine_running(e) > 0) {
		unsigned sigs = engine_poll(e, NULL, 0, view->f ? 500 : -1);

		if (sigs & ((1u << SIGINT) | (1u << SIGTERM) | (1u << SIGHUP))) {
			if (interrupted)
				engine_kill_all(e);
			interrupted = 1;
			engine_cancel_all(e);
		}
		draw_status(view, e, 0);
	}
	return interrupted;
}

/* What the engine says of the watch, for --watch. */
static void on_watch(void *ctx, const char *first, size_t n, const char *error)
{
	(void)ctx;
	if (error) {
		fflush(stdout);
		fprintf(stderr, "crossbench: ");
		cli_put_text(stderr, error);
		fputc('\n', stderr);
		return;
	}
	printf("\ncrossbench: ");
	cli_put_text(stdout, first);
	if (n > 1)
		printf(" and %zu more changed: building again\n", n - 1);
	else
		printf(" changed: building again\n");
	fflush(stdout);
}

/* --watch: after the first round, each change builds the targets again
 * and prints that round's results, until an interrupt or the watch
 * stops (the directory deleted: exit 1). */
static int watch_rounds(struct engine *e, struct board *b, const struct build_repo *br,
			struct status_view *view, const struct build_opts *o,
			const char *project, const char *cwd, int *interrupted)
{
	static const struct engine_observer obs = { NULL, NULL, NULL, on_watch };
	const char *profile = o->release ? "release" : o->profile;
	struct cb_err err;

	if (engine_watch_start(e, &o->targets, profile, &err) < 0) {
		cli_error("build: %s", err.msg);
		return 1;
	}
	board_set_observer(b, &obs, NULL);
	printf("\ncrossbench: watching %zu director%s under ", engine_watch_dirs(e),
	       engine_watch_dirs(e) == 1 ? "y" : "ies");
	cli_put_text(stdout, project);
	printf("; a save builds again (^C stops)\n");
	fflush(stdout);
	for (;;) {
		size_t from = engine_njobs(e);
		unsigned sigs = engine_poll(e, NULL, 0, -1);

		if (sigs & ((1u << SIGINT) | (1u << SIGTERM) | (1u << SIGHUP))) {
			*interrupted = 1;
			engine_cancel_all(e);
			run_all(e, view, 1);
			return 130;
		}
		if (!engine_watching(e))
			return 1;
		if (engine_queued(e) + engine_running(e) == 0)
			continue;
		*interrupted = run_all(e, view, 0);
		draw_status(view, e, 1);
		/* The round's builds: nothing ran while it waited, so those
		 * queued since (with any a later save made stale). */
		print_summary(stdout, br, e, b, NULL, cwd, view->color, from);
		fflush(stdout);
		if (*interrupted)
			return 130;
	}
}

int cmd_build(int argc, char **argv)
{
	struct build_opts o = { 0 };
	struct config cfg;
	struct engine_options eo = { 0 };
	struct engine *e;
	struct board *b;
	struct cb_err err;
	struct status_view view = { 0 };
	struct smoke_skips skips = { 0 };
	struct build_repo br = { 0 };
	char project[PATH_MAX], cwd[PATH_MAX], manifest[PATH_MAX + 16];
	int rc = 0, interrupted = 0;
	const char *profile;

	strv_init(&o.targets);
	if (parse_args(argc, argv, &o) < 0) {
		strv_fini(&o.targets);
		return 2;
	}
	if (!getcwd(cwd, sizeof cwd))
		snprintf(cwd, sizeof cwd, ".");
	if (!realpath(o.dir ? o.dir : ".", project)) {
		cli_error("build: %s: %m", o.dir ? o.dir : ".");
		strv_fini(&o.targets);
		return 2;
	}
	snprintf(manifest, sizeof manifest, "%s/Cargo.toml", project);
	if (access(manifest, R_OK) < 0 && config_detect_kind(project) != KIND_GO) {
		cli_error("build: %s has no Cargo.toml or go.mod: not a Cargo or Go project "
			  "(use -C DIR)", project);
		strv_fini(&o.targets);
		return 2;
	}
	if (cli_load_project("build", project, project, &cfg, o.trust) < 0) {
		strv_fini(&o.targets);
		return 2;
	}
	if (cli_require_trust("build", &cfg) < 0) {
		config_fini(&cfg);
		strv_fini(&o.targets);
		return CLI_EXIT_UNTRUSTED;
	}
	rc = cli_pick_targets("build", &cfg, o.all, &o.targets);
	if (rc == 0)
		cli_error("build: no targets to build in %s: name one with --target, "
			  "or add [target \"TRIPLE\"] to %s/.crossbench", project, project);
	if (rc <= 0) {
		config_fini(&cfg);
		strv_fini(&o.targets);
		return 2;
	}
	rc = 0;

	eo.slots = o.jobs ? o.jobs : cfg.global.jobs;
	eo.strategy = ENGINE_MULTI;
	if (o.strategy)
		eo.strategy = (enum engine_strategy)engine_strategy_parse(o.strategy);
	else if (cfg.global.strategy && engine_strategy_parse(cfg.global.strategy) >= 0)
		eo.strategy = (enum engine_strategy)engine_strategy_parse(cfg.global.strategy);
	e = engine_new(project, &cfg, &eo, &err);
	if (!e) {
		cli_error("build: %s", err.msg);
		config_fini(&cfg);
		strv_fini(&o.targets);
		return 2;
	}
	{
		size_t np;
		const struct rules_problem *rp = engine_rule_problems(e, &np);

		for (size_t i = 0; i < np; i++)
			fprintf(stderr, "crossbench: warning: %s:%d: %s\n",
				rp[i].file, rp[i].line, rp[i].message);
	}
	if (!engine_rules(e))
		fprintf(stderr, "crossbench: warning: no diagnosis: %s\n", engine_rules_error(e));
	/* The results are the board's, as the workbench shows them. */
	b = board_new(e, &cfg);
	board_reload(b, NULL);
	signals_watch(SIGINT, NULL);
	signals_watch(SIGTERM, NULL);
	signals_watch(SIGHUP, NULL);

	profile = o.release ? "release" : o.profile;
	for (size_t i = 0; i < o.targets.n; i++) {
		struct job *j = engine_queue(e, o.targets.v[i], profile, &err);

		if (!j) {
			cli_error("build: %s", err.msg);
			rc = 1;
			continue;
		}
		if (o.timeout_s)
			j->timeout_s = o.timeout_s;
	}

	view.f = o.json ? (isatty(2) ? stderr : NULL) : (isatty(1) ? stdout : NULL);
	view.color = view.f && cli_color();
	if (!view.f && !o.json) {
		printf("crossbench: building %zu target%s in ", engine_njobs(e),
		       engine_njobs(e) == 1 ? "" : "s");
		cli_put_text(stdout, project);
		printf(" (%d slots, %s)\n", engine_slots(e),
		       engine_strategy_name(engine_strategy(e)));
	}
	interrupted = run_all(e, &view, interrupted);
	/* Each passed build's program, started once: the smoke runs. */
	if (o.smoke && !interrupted) {
		size_t nbuilds = engine_njobs(e);

		for (size_t i = 0; i < nbuilds; i++) {
			struct job *j = engine_job(e, i);

			if (j->kind != JOB_BUILD || j->state != JOB_PASSED)
				continue;
			if (!engine_smoke(e, j->triple, j->profile, &err)) {
				skips.id = xrealloc(skips.id, (skips.n + 1) * sizeof *skips.id);
				skips.why = xrealloc(skips.why, (skips.n + 1) * sizeof *skips.why);
				skips.id[skips.n] = j->id;
				skips.why[skips.n++] = xasprintf("not run: %s", err.msg);
			}
		}
		interrupted = run_all(e, &view, interrupted);
	}
	draw_status(&view, e, 1);

	/* A build that made the wrong kind of binary did not do its job, nor
	 * one whose program did not run. */
	for (size_t i = 0; i < engine_njobs(e); i++)
		if (engine_job(e, i)->state != JOB_PASSED ||
		    (engine_job(e, i)->kind == JOB_BUILD && !job_artifacts_ok(engine_job(e, i))))
			rc = 1;
	br.project = project;
	br.has = repo_head_id(project, br.head, sizeof br.head, &br.dirty) == 0;
	if (o.json) {
		json_t *doc = json_object(), *results = json_array();

		json_object_set_new(doc, "project", jsontext(project));
		for (size_t i = 0; i < engine_njobs(e); i++)
			if (engine_job(e, i)->kind == JOB_BUILD)
				json_array_append_new(results, result_json(e, b, engine_job(e, i), &skips, &br));
		json_object_set_new(doc, "results", results);
		json_object_set_new(doc, "groups", groups_json(b));
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		fputc('\n', stdout);
		json_decref(doc);
	} else {
		print_summary(stdout, &br, e, b, &skips, cwd, view.color, 0);
		print_groups(stdout, b);
	}
	if (o.watch && !interrupted)
		rc = watch_rounds(e, b, &br, &view, &o, project, cwd, &interrupted);
	for (size_t i = 0; i < skips.n; i++)
		free(skips.why[i]);
	free(skips.id);
	free(skips.why);
	board_free(b);
	engine_free(e);
	config_fini(&cfg);
	strv_fini(&o.targets);
	if (interrupted)
		return 130;
	return rc;
}
