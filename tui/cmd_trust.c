/* cmd_trust.c - crossbench allow / deny: the user's word on whether a
 * project's own settings may run programs (trust.h). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "trust.h"

static void usage(FILE *f, const char *cmd)
{
	if (!strcmp(cmd, "allow"))
		fprintf(f, "usage: crossbench allow [-C DIR]\n\n"
			   "Let the project's .crossbench and .crossbench-rules/ run the\n"
			   "programs they name, as they are now.  A later change to either\n"
			   "asks again.  The record is in $XDG_DATA_HOME/crossbench/trust.\n");
	else
		fprintf(f, "usage: crossbench deny [-C DIR]\n\n"
			   "Forget that the project's settings were allowed: crossbench\n"
			   "runs nothing they name until 'crossbench allow'.\n");
}

static int parse(int argc, char **argv, const char *cmd, const char **dir)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': *dir = optarg; break;
		case 'h': usage(stdout, cmd); exit(0);
		default: usage(stderr, cmd); return -1;
		}
	}
	if (optind < argc) {
		cli_error("%s: unexpected argument '%s'", cmd, argv[optind]);
		return -1;
	}
	return 0;
}

int cmd_allow(int argc, char **argv)
{
	const char *dir = NULL;
	char project[PATH_MAX], store[PATH_MAX];
	struct config cfg;
	struct cb_err err;

	if (parse(argc, argv, "allow", &dir) < 0)
		return 2;
	if (cli_load_project("allow", dir, project, &cfg, 0) < 0)
		return 2;
	if (cfg.trust == TRUST_NOT_NEEDED) {
		printf("%s ships no .crossbench or .crossbench-rules/: nothing to allow\n",
		       project);
		config_fini(&cfg);
		return 0;
	}
	if (config_allow(&cfg, &err) < 0) {
		cli_error("allow: %s", err.msg);
		config_fini(&cfg);
		return 2;
	}
	trust_store_path(store, sizeof store);
	printf("allowed %s (recorded in %s); it sets:\n", project, store);
	cli_print_trust_scope(stdout, &cfg);
	config_fini(&cfg);
	return 0;
}

int cmd_deny(int argc, char **argv)
{
	const char *dir = NULL;
	char project[PATH_MAX];
	struct config cfg;
	struct cb_err err;
	int rc;

	if (parse(argc, argv, "deny", &dir) < 0)
		return 2;
	if (cli_load_project("deny", dir, project, &cfg, 0) < 0)
		return 2;
	rc = trust_deny(project, &err);
	config_fini(&cfg);
	if (rc < 0) {
		cli_error("deny: %s", err.msg);
		return 2;
	}
	printf(rc ? "%s: no longer allowed\n" : "%s was not allowed\n", project);
	return 0;
}
