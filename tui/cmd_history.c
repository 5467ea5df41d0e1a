/* cmd_history.c - `crossbench history`: the builds recorded in
 * target/crossbench/history.tsv, newest first, and for each target whose
 * newest build failed, what changed since it last passed (since.h).
 * It runs nothing the project's settings name, so it needs no trust. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "history.h"
#include "jsontext.h"
#include "paths.h"
#include "repo.h"
#include "since.h"

struct history_opts {
	const char *dir, *since;
	struct strv targets;
	int json, limit;
};

static void history_usage(FILE *f)
{
	fprintf(f,
		"usage: crossbench history [-C DIR] [--target T]... [--since REV] [-n N] [--json]\n\n"
		"The builds crossbench recorded for the project, newest first, and for\n"
		"each target whose last build failed: the last commit it passed at, the\n"
		"files changed since (Cargo.toml, Cargo.lock, build.rs, .cargo/config.toml,\n"
		"rust-toolchain and .crossbench first), the Cargo.lock packages bumped and\n"
		"the toolchain programs that changed.\n\n"
		"  -C DIR            the project directory (default: .)\n"
		"  -t, --target T    only target T (repeatable)\n"
		"  -s, --since REV   only builds at REV or a commit after it (git)\n"
		"  -n N              at most N builds (default 20; 0: all)\n"
		"      --json        as JSON\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 on success, 1 when the history cannot be read, 2 on bad usage.\n");
}

static int parse_args(int argc, char **argv, struct history_opts *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "since", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	char *end;

	while ((c = getopt_long(argc, argv, "C:t:s:n:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->dir = optarg; break;
		case 't': strv_push(&o->targets, optarg); break;
		case 's': o->since = optarg; break;
		case 'j': o->json = 1; break;
		case 'n':
			o->limit = (int)strtol(optarg, &end, 10);
			if (*end || end == optarg || o->limit < 0) {
				cli_error("history: -n %s: not a number of builds", optarg);
				return -1;
			}
			break;
		case 'h': history_usage(stdout); exit(0);
		default: history_usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("history: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

struct collect {
	const struct history_opts *o;
	struct since_range *range;
	struct history_entry *v;
	size_t n;
};

static int collect(void *arg, const struct history_entry *e)
{
	struct collect *c = arg;

	if (c->o->targets.n && !strv_has(&c->o->targets, e->triple))
		return 0;
	if (c->range && !since_range_has(c->range, e->commit))
		return 0;
	c->v = xrealloc(c->v, (c->n + 1) * sizeof *c->v);
	c->v[c->n++] = *e;
	return 0;
}

static void when_text(time_t t, char *out, size_t n)
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%M", &tm);
}

/* The distinct target+profile pairs of the builds, newest first. */
static size_t pairs(const struct collect *c, size_t **out)
{
	size_t n = 0;

	*out = NULL;
	for (size_t i = c->n; i-- > 0;) {
		size_t k;

		for (k = 0; k < n; k++)
			if (!strcmp(c->v[(*out)[k]].triple, c->v[i].triple) &&
			    !strcmp(c->v[(*out)[k]].profile, c->v[i].profile))
				break;
		if (k == n) {
			*out = xrealloc(*out, (n + 1) * sizeof **out);
			(*out)[n++] = i;
		}
	}
	return n;
}

static void print_since(const struct since *s, time_t now)
{
	struct buf b;

	buf_init(&b);
	since_headline(s, now, &b);
	printf("  %s\n", b.data ? b.data : "");
	for (size_t i = 0; i < s->nfiles; i++) {
		printf("    %c %s", s->files[i].status, s->files[i].path);
		if (strstr(s->files[i].path, "Cargo.lock")) {
			const char *sep = ": ";

			for (size_t k = 0; k < s->npkgs; k++) {
				const struct since_pkg *p = &s->pkgs[k];

				if (p->from && p->to)
					printf("%s%s %s -> %s", sep, p->name, p->from, p->to);
				else if (p->to)
					printf("%s+ %s %s", sep, p->name, p->to);
				else
					printf("%s- %s %s", sep, p->name, p->from);
				sep = ", ";
			}
		}
		putchar('\n');
	}
	for (size_t i = 0; i < s->toolchain.n; i++)
		printf("    toolchain: %s\n", s->toolchain.v[i]);
	buf_fini(&b);
}

int cmd_history(int argc, char **argv)
{
	struct history_opts o = { 0 };
	struct collect c = { 0 };
	struct repo_status st;
	struct cb_err err;
	char project[PATH_MAX];
	size_t *pv = NULL, np, shown;
	time_t now = time(NULL);
	json_t *doc = NULL, *builds = NULL, *failing = NULL;
	int rc = 0;

	o.limit = 20;
	strv_init(&o.targets);
	if (parse_args(argc, argv, &o) < 0) {
		rc = 2;
		goto done;
	}
	if (!realpath(o.dir ? o.dir : ".", project)) {
		cli_error("history: %s: %m", o.dir ? o.dir : ".");
		rc = 2;
		goto done;
	}
	c.o = &o;
	if (o.since && !(c.range = since_range_open(project, o.since, &err))) {
		cli_error("history: %s", err.msg);
		rc = 2;
		goto done;
	}
	if (history_each(project, collect, &c, &err) < 0) {
		cli_error("history: %s", err.msg);
		rc = 1;
		goto done;
	}
	if (repo_status(project, &st, &err) < 0)
		memset(&st, 0, sizeof st);
	np = pairs(&c, &pv);
	shown = o.limit && c.n > (size_t)o.limit ? (size_t)o.limit : c.n;
	if (o.json) {
		json_t *repo = json_null();

		doc = json_object();
		builds = json_array();
		failing = json_array();
		json_object_set_new(doc, "project", jsontext(project));
		if (st.has_repo) {
			repo = json_object();
			json_object_set_new(repo, "branch", st.branch[0] ? jsontext(st.branch) : json_null());
			json_object_set_new(repo, "head", st.head[0] ? json_string(st.head) : json_null());
			json_object_set_new(repo, "dirty", json_boolean(st.dirty));
			json_object_set_new(repo, "detached", json_boolean(st.detached));
			json_object_set_new(repo, "worktree", json_boolean(st.worktree));
		}
		json_object_set_new(doc, "repository", repo);
	} else if (!c.n) {
		printf("no builds recorded in %s/target/crossbench/history.tsv%s\n", project,
		       o.since || o.targets.n ? " that match" : "");
	} else {
		if (!st.has_repo)
			printf("not a git repository: builds have no commits\n");
		printf("%-16s  %-8s  %-32s %-8s %-10s %8s\n", "when", "commit", "target",
		       "profile", "status", "time");
	}
	for (size_t k = 0; k < shown; k++) {
		const struct history_entry *e = &c.v[c.n - 1 - k];
		char when[32], sh[16];

		snprintf(sh, sizeof sh, "%.7s%s", e->commit[0] ? e->commit : "-",
			 e->dirty ? "+" : "");
		if (o.json) {
			json_t *b = json_object();
			char iso[48];
			struct tm tm;

			gmtime_r(&e->when, &tm);
			strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
			json_object_set_new(b, "when", json_string(iso));
			json_object_set_new(b, "commit", e->commit[0] ? json_string(e->commit) : json_null());
			json_object_set_new(b, "dirty", json_boolean(e->dirty));
			json_object_set_new(b, "target", jsontext(e->triple));
			json_object_set_new(b, "profile", jsontext(e->profile));
			json_object_set_new(b, "status", jsontext(e->status));
			json_object_set_new(b, "seconds", json_real((double)(long)(e->seconds * 100) / 100.0));
			json_object_set_new(b, "log", jsontext(e->log));
			json_object_set_new(b, "artifact", e->artifact[0] ? jsontext(e->artifact) : json_null());
			json_array_append_new(builds, b);
			continue;
		}
		when_text(e->when, when, sizeof when);
		printf("%-16s  %-8s  ", when, sh);
		cli_put_text(stdout, e->triple);
		printf("%*s ", (int)(strlen(e->triple) < 32 ? 32 - strlen(e->triple) : 0), "");
		cli_put_text(stdout, e->profile);
		printf("%*s %-10s %7.1fs\n", (int)(strlen(e->profile) < 8 ? 8 - strlen(e->profile) : 0),
		       "", e->status, e->seconds);
	}
	if (!o.json && shown < c.n)
		printf("(%zu older builds: -n 0 shows all)\n", c.n - shown);
	/* Each failing target: what changed since it last passed. */
	for (size_t k = 0; k < np; k++) {
		const struct history_entry *e = &c.v[pv[k]];
		struct since s;

		if (since_last_green(project, e->triple, e->profile, &s, &err) < 0) {
			cli_error("history: %s", err.msg);
			rc = 1;
			since_fini(&s);
			continue;
		}
		if (s.failing) {
			if (o.json) {
				json_t *f = since_to_json(&s);

				json_object_set_new(f, "target", jsontext(e->triple));
				json_object_set_new(f, "profile", jsontext(e->profile));
				json_array_append_new(failing, f);
			} else {
				printf("\n%s (%s) is failing:\n", e->triple, e->profile);
				print_since(&s, now);
			}
		}
		since_fini(&s);
	}
	if (o.json) {
		json_object_set_new(doc, "builds", builds);
		json_object_set_new(doc, "failing", failing);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
		putchar('\n');
		json_decref(doc);
	}
done:
	since_range_close(c.range);
	free(pv);
	free(c.v);
	strv_fini(&o.targets);
	return rc;
}
