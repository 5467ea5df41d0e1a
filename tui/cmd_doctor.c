/* cmd_doctor.c - `crossbench doctor`: can this machine build each target
 * with its settings, and what to install or set where it cannot. */
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsontext.h"
#include "config.h"
#include "host.h"
#include "toolchain.h"
#include "triple.h"

struct doctor_opts {
	const char *dir;
	struct strv targets;
	int trust;          /* --trust */
	int all, json, verbose;
	const char *pm;
};

static void doctor_usage(FILE *f)
{
	fprintf(f,
		"usage: crossbench doctor [-C DIR] [--target T]... [--all] [--json]\n"
		"                         [--verbose] [--pm MANAGER] [--trust]\n\n"
		"Check that each enabled target (or each one named) can be built on this\n"
		"machine with its settings: cargo, the rustc that cargo runs and its std\n"
		"for the target, the linker, C compiler, archiver and C++ compiler, the\n"
		"cross libgcc and C library, an SDK for macOS, the runner.  Print a\n"
		"table, then what is missing and the exact fix on this host.\n\n"
		"  -C DIR            the project directory (default: .)\n"
		"  -t, --target T    check target T (repeatable); default: the enabled ones\n"
		"  -a, --all         check every target in the settings, enabled or not\n"
		"      --json        print one JSON object\n"
		"  -v, --verbose     list every finding of every target, ready or not\n"
		"      --pm MANAGER  name packages for apt, dnf, pacman, brew or none\n"
		"      --trust       let the project's .crossbench run what it names, for\n"
		"                    this run only (see crossbench allow)\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 when every target checked is ready, 1 when one is not,\n"
		"2 on bad usage, 3 when the project's settings are not allowed to run\n"
		"programs yet.\n");
}

static int parse_args(int argc, char **argv, struct doctor_opts *o)
{
	static const struct option longopts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "json", no_argument, NULL, 'J' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "pm", required_argument, NULL, 'p' },
		{ "trust", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:t:avh", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->dir = optarg; break;
		case 'U': o->trust = 1; break;
		case 't': strv_push(&o->targets, optarg); break;
		case 'a': o->all = 1; break;
		case 'J': o->json = 1; break;
		case 'v': o->verbose = 1; break;
		case 'p': o->pm = optarg; break;
		case 'h': doctor_usage(stdout); exit(0);
		default: doctor_usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("doctor: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return 0;
}

static const char *paint(int color, const char *code)
{
	return color ? code : "";
}

static void print_finding(const struct toolchain_finding *f, int color)
{
	const char *st = f->status == TOOLCHAIN_OK ? "ok" :
			 !f->required ? "note" :
			 f->status == TOOLCHAIN_MISSING ? "MISSING" : "WRONG";
	const char *c = f->status == TOOLCHAIN_OK ? "\033[32m" :
			!f->required ? "\033[33m" : "\033[31m";

	printf("  %s%-8s%s %-8s ", paint(color, c), st, paint(color, "\033[0m"),
	       toolchain_what_name(f->what));
	cli_put_text(stdout, f->detail);
	/* the std, libgcc and libc lines name their source themselves */
	if (f->source && f->what != TOOLCHAIN_STD && f->what != TOOLCHAIN_LIBGCC &&
	    f->what != TOOLCHAIN_SYSROOT && f->what != TOOLCHAIN_SDK) {
		fputs(" (", stdout);
		cli_put_text(stdout, f->source);
		putchar(')');
	}
	putchar('\n');
	for (size_t k = 0; k < f->nfixes; k++) {
		printf("  %-8s %-8s fix: ", "", "");
		cli_put_text(stdout, f->fixes[k].text);
		putchar('\n');
	}
}

static void print_text(const struct host *h, struct toolchain_report *reps,
		       size_t n, int verbose)
{
	int color = cli_color();
	size_t ready = 0;

	printf("host: %s, %s, packages: %s%s\n\n", h->pretty[0] ? h->pretty :
	       h->id[0] ? h->id : "unknown system", h->arch[0] ? h->arch : "?",
	       host_pm_name(h->pm), h->pm != HOST_PM_NONE && !h->pm_present
	       ? " (not found)" : "");
	printf("  %-34s %-10s %s\n", "target", "tools", "rustc");
	for (size_t i = 0; i < n; i++) {
		struct buf sum;

		buf_init(&sum);
		toolchain_summary(&reps[i], &sum);
		printf("  %-34s %s%-10s%s %s%s%s\n", reps[i].triple,
		       paint(color, reps[i].ready ? "\033[32m" : "\033[31m"), sum.data,
		       paint(color, "\033[0m"),
		       reps[i].rustc_version ? reps[i].rustc_version : "",
		       reps[i].rustc_version ? " " : "",
		       reps[i].rustc ? reps[i].rustc : "-");
		buf_fini(&sum);
		ready += reps[i].ready != 0;
	}
	for (size_t i = 0; i < n; i++) {
		const struct toolchain_report *r = &reps[i];

		if (r->ready && !verbose)
			continue;
		printf("\n%s: %s\n", r->triple, r->ready ? "ready" : "not ready");
		for (size_t k = 0; k < r->nfindings; k++)
			print_finding(&r->findings[k], color);
	}
	if (ready == n) {
		printf("\n%s ready.\n", n == 1 ? "The target is" : "Every target is");
	} else {
		printf("\n%zu of %zu target%s ready; not ready:", ready, n,
		       n == 1 ? "" : "s");
		for (size_t i = 0; i < n; i++)
			if (!reps[i].ready)
				printf(" %s", reps[i].triple);
		putchar('\n');
	}
}

static void print_json(const struct host *h, struct toolchain_report *reps,
		       size_t n, int all_ready)
{
	json_t *root = json_object(), *host = json_object(), *arr = json_array();

	json_object_set_new(host, "id", jsontext(h->id));
	json_object_set_new(host, "pretty", jsontext(h->pretty));
	json_object_set_new(host, "arch", jsontext(h->arch));
	json_object_set_new(host, "pm", json_string(host_pm_name(h->pm)));
	json_object_set_new(root, "host", host);
	json_object_set_new(root, "ready", json_boolean(all_ready));
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, toolchain_report_to_json(&reps[i]));
	json_object_set_new(root, "targets", arr);
	json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
}

int cmd_doctor(int argc, char **argv)
{
	struct doctor_opts o = { 0 };
	struct toolchain_report *reps;
	struct toolchain *tc;
	struct config cfg;
	struct cb_err err;
	struct host host;
	char project[PATH_MAX];
	int all_ready = 1, rc = 0;

	strv_init(&o.targets);
	if (parse_args(argc, argv, &o) < 0) {
		strv_fini(&o.targets);
		return 2;
	}
	host_detect(&host, NULL);
	if (o.pm) {
		host.pm = host_pm_parse(o.pm);
		if (host.pm == HOST_PM_NONE && strcmp(o.pm, "none")) {
			cli_error("doctor: --pm %s: not apt, dnf, pacman, brew or none",
				  o.pm);
			strv_fini(&o.targets);
			return 2;
		}
		host.pm_present = 1;
	}
	if (cli_load_project("doctor", o.dir, project, &cfg, o.trust) < 0) {
		strv_fini(&o.targets);
		return 2;
	}
	if (cli_require_trust("doctor", &cfg) < 0) {
		config_fini(&cfg);
		strv_fini(&o.targets);
		return CLI_EXIT_UNTRUSTED;
	}
	if (cli_pick_targets("doctor", &cfg, o.all, &o.targets) < 0) {
		config_fini(&cfg);
		strv_fini(&o.targets);
		return 2;
	}
	if (!o.targets.n) {
		/* Nothing configured: the target plain `cargo build` makes. */
		char t[TRIPLE_MAX];

		host_triple(&host, t, sizeof t);
		strv_push(&o.targets, t);
	}
	for (size_t i = 0; i < o.targets.n; i++) {
		struct triple t;

		if (triple_parse(&t, o.targets.v[i], &err) < 0) {
			cli_error("doctor: %s", err.msg);
			config_fini(&cfg);
			strv_fini(&o.targets);
			return 2;
		}
	}
	tc = toolchain_new(&host, &err);
	if (err.code != CB_OK)
		cli_error("doctor: warning: %s", err.msg);
	reps = xcalloc(o.targets.n, sizeof *reps);
	for (size_t i = 0; i < o.targets.n; i++) {
		struct target_settings ts;

		config_resolve(&cfg, o.targets.v[i], &ts);
		if (toolchain_check(tc, &ts, project, &reps[i], &err) < 0) {
			cli_error("doctor: %s: %s", o.targets.v[i], err.msg);
			snprintf(reps[i].triple, sizeof reps[i].triple, "%s",
				 o.targets.v[i]);
			rc = 2;
		}
		all_ready &= reps[i].ready;
		target_settings_fini(&ts);
	}
	if (o.json)
		print_json(&host, reps, o.targets.n, all_ready);
	else
		print_text(&host, reps, o.targets.n, o.verbose);
	fflush(stdout);
	for (size_t i = 0; i < o.targets.n; i++)
		toolchain_report_fini(&reps[i]);
	free(reps);
	toolchain_free(tc);
	config_fini(&cfg);
	strv_fini(&o.targets);
	return rc ? rc : all_ready ? 0 : 1;
}
