/* cmd_diagnose.c - `crossbench diagnose [--json] [--target T] FILE|-`:
 * read a build log and say what went wrong and how to fix it. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "jsontext.h"
#include "diagnose.h"
#include "host.h"
#include "rules.h"
#include "triple.h"
#include "trust.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: crossbench diagnose [--json] [--target TRIPLE] FILE|-\n\n"
		   "Read a cargo build log (text, or --message-format=json lines, or both)\n"
		   "and print each cause found, root cause first, with its fixes.\n\n"
		   "  --json           one JSON object: {\"target\", \"diagnoses\": [...]}\n"
		   "  --target TRIPLE  the target that was built (default: from the log)\n"
		   "  --pm MANAGER     name packages for apt, dnf, pacman or brew\n"
		   "                   (default: this machine's)\n");
}

static void print_text(const struct diagnose *d, const char *given)
{
	const char *target = diagnose_target(d);
	size_t n = diagnose_count(d);

	if (target)
		printf("target: %s%s\n", target, given ? "" : " (from the log)");
	else
		printf("target: unknown (give --target for fixes that need it)\n");
	if (n == 0) {
		printf("no known problem in %zu lines\n", diagnose_lines(d));
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct diagnosis *dg = diagnose_get(d, i);

		printf("\n%zu. %s  (rule %s)\n", i + 1, category_name(dg->category), dg->rule);
		printf("   line %zu: ", dg->line);
		cli_put_text(stdout, dg->evidence);
		putchar('\n');
		if (dg->count > 1)
			printf("   (%zu lines report this)\n", dg->count);
		printf("   ");
		cli_put_text(stdout, dg->summary);
		putchar('\n');
		if (dg->explanation[0]) {
			printf("   ");
			cli_put_text(stdout, dg->explanation);
			putchar('\n');
		}
		if (dg->file) {
			printf("   at %s", dg->file);
			if (dg->file_line > 0)
				printf(":%d", dg->file_line);
			putchar('\n');
		}
		for (size_t k = 0; k < dg->nfixes; k++) {
			printf("   fix (%s): ", diagnosis_fix_kind_name(dg->fixes[k].kind));
			cli_put_text(stdout, dg->fixes[k].text);
			putchar('\n');
		}
	}
}

static int print_json(const struct diagnose *d)
{
	json_t *root = json_object(), *arr = json_array();
	const char *target = diagnose_target(d);
	int rc;

	json_object_set_new(root, "target", jsontext(target));
	for (size_t i = 0; i < diagnose_count(d); i++)
		json_array_append_new(arr, diagnosis_to_json(diagnose_get(d, i)));
	json_object_set_new(root, "diagnoses", arr);
	rc = json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(root);
	return rc;
}

int cmd_diagnose(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "target", required_argument, NULL, 't' },
		{ "pm", required_argument, NULL, 'p' },
		{ "trust", no_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *target = NULL, *pm = NULL, *path;
	struct rules_problem *probs = NULL;
	size_t nprobs = 0;
	struct cb_err err;
	struct rules *rules;
	struct diagnose *d;
	struct host host;
	int json = 0, trust = 0, c;

	while ((c = getopt_long(argc, argv, "jt:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 't': target = optarg; break;
		case 'p': pm = optarg; break;
		case 'U': trust = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		cli_error("diagnose: give one log file, or - for standard input");
		usage(stderr);
		return 2;
	}
	path = argv[optind];
	if (target && triple_parse(&(struct triple){ 0 }, target, &err) < 0) {
		cli_error("diagnose: --target %s: %s", target, err.msg);
		return 2;
	}
	host_detect(&host, NULL);
	if (pm) {
		host.pm = host_pm_parse(pm);
		if (host.pm == HOST_PM_NONE && strcmp(pm, "none")) {
			cli_error("diagnose: --pm %s: not apt, dnf, pacman, brew or none", pm);
			return 2;
		}
	}
	/* Said before the rules are loaded: a missing log is the news. */
	if (strcmp(path, "-") && access(path, R_OK) < 0) {
		cli_error("diagnose: %s: %s", path, strerror(errno));
		return 2;
	}
	/* As grep does: a NUL in the first 64 KiB makes it a binary file,
	 * whose bytes would match rules by chance (an ELF names libgcc_s). */
	if (strcmp(path, "-")) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		char head[65536];
		ssize_t n = fd >= 0 ? pread(fd, head, sizeof head, 0) : -1;
		const char *nul = n > 0 ? memchr(head, '\0', (size_t)n) : NULL;

		if (fd >= 0)
			close(fd);
		if (nul) {
			cli_error("diagnose: %s: a binary file, not a build log (a NUL byte at "
				  "offset %td)", path, nul - head);
			return 2;
		}
	}
	/* The project's own rules only once its files are allowed: their
	 * fixes are what `f` would apply. */
	{
		char here[PATH_MAX];
		enum trust_state ts = TRUST_NEW;
		struct stat st;

		if (realpath(".", here))
			ts = trust_check(here, NULL, NULL, NULL);
		if (trust || trust_state_ok(ts)) {
			rules = rules_load(".", &probs, &nprobs, &err);
		} else {
			if (stat(".crossbench-rules", &st) == 0)
				cli_error("diagnose: not using ./.crossbench-rules/: this "
					  "project's files are %s (crossbench allow)",
					  trust_state_name(ts));
			rules = rules_load(NULL, &probs, &nprobs, &err);
		}
	}
	for (size_t i = 0; i < nprobs; i++) {
		if (probs[i].line > 0)
			cli_error("%s:%d: %s", probs[i].file, probs[i].line, probs[i].message);
		else
			cli_error("%s: %s", probs[i].file, probs[i].message);
	}
	rules_problems_free(probs, nprobs);
	if (!rules) {
		cli_error("diagnose: %s", err.msg);
		return 2;
	}
	d = diagnose_file(rules, target, &host, path, &err);
	if (!d) {
		cli_error("diagnose: %s", err.msg);
		rules_free(rules);
		return 2;
	}
	if (json)
		print_json(d);
	else
		print_text(d, target);
	fflush(stdout);
	diagnose_free(d);
	rules_free(rules);
	return 0;
}
