/* main.c - crossbench's entry point: pick the subcommand or open the
 * workbench. */
#include <getopt.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "cli.h"
#include "keys.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	int takes_trust;      /* accepts --trust */
};

static int cmd_keys(int argc, char **argv)
{
	struct buf b;

	if (argc > 1 && !strcmp(argv[1], "--mdoc")) {
		keys_mdoc(stdout);
		return 0;
	}
	if (argc > 1) {
		cli_error("keys: usage: crossbench keys [--mdoc]");
		return 2;
	}
	buf_init(&b);
	keys_help_text(&b);
	fputs(b.data, stdout);
	buf_fini(&b);
	return 0;
}

static const struct command commands[] = {
	{ "build", cmd_build, "build the enabled (or named) targets concurrently", 1 },
	{ "diagnose", cmd_diagnose, "read a build log: root cause and the fix that works", 1 },
	{ "inspect", cmd_inspect, "say what a binary is and whether it fits a target", 0 },
	{ "keys", cmd_keys, "list the workbench's keys (--mdoc: as crossbench(1) has them)", 0 },
	{ "doctor", cmd_doctor, "can this machine build each target? what to install or set", 1 },
	{ "history", cmd_history, "past builds, and what changed since a failing target last passed", 0 },
	{ "export", cmd_export, "the settings as .cargo/config.toml or shell exports", 0 },
	{ "allow", cmd_allow, "let this project's .crossbench run the programs it names", 0 },
	{ "deny", cmd_deny, "take that back: run nothing the project's settings name", 0 },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: crossbench [-C DIR] [--trust] [COMMAND [ARGS]]\n\n"
		   "A terminal workbench for cross-compiling Rust projects.  Without a\n"
		   "command it opens the workbench on the Cargo project in DIR (default .).\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\nRun 'crossbench COMMAND --help' for a command's options; "
		   "man crossbench for the whole story.\n");
}

int main(int argc, char **argv)
{
	const char *dir = NULL;
	int i = 1, trust = 0;

	setlocale(LC_ALL, "");
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
			printf("crossbench %s\n", CB_VERSION);
			return 0;
		}
		if (!strcmp(argv[i], "--trust")) {
			trust = 1;
			i++;
			continue;
		}
		if (!strcmp(argv[i], "-C") && i + 1 < argc) {
			dir = argv[i + 1];
			i += 2;
			continue;
		}
		if (!strncmp(argv[i], "-C", 2) && argv[i][2]) {
			dir = argv[i] + 2;
			i++;
			continue;
		}
		cli_error("unknown option '%s'", argv[i]);
		usage(stderr);
		return 2;
	}
	if (dir && chdir(dir) < 0) {
		cli_error("-C %s: %m", dir);
		return 2;
	}
	if (i >= argc)
		return app_run(".", trust);
	if (!strcmp(argv[i], "remote-run"))
		return cmd_remote_run(argc - i, argv + i);
	for (size_t k = 0; k < sizeof commands / sizeof *commands; k++) {
		if (!strcmp(argv[i], commands[k].name)) {
			optind = 1;
			/* crossbench --trust CMD: CMD --trust, for those that run
			 * what settings name or read the project's rules. */
			if (trust && commands[k].takes_trust) {
				char **v = xcalloc((size_t)(argc - i) + 2, sizeof *v);
				int n = 0;

				v[n++] = argv[i];
				v[n++] = "--trust";
				for (int j = i + 1; j < argc; j++)
					v[n++] = argv[j];
				return commands[k].run(n, v);
			}
			return commands[k].run(argc - i, argv + i);
		}
	}
	cli_error("unknown command '%s'", argv[i]);
	usage(stderr);
	return 2;
}
