/* cmd_export.c - `crossbench export`: the targets' settings as plain cargo
 * reads them, so `cargo build --target T` works without crossbench. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "export.h"
#include "triple.h"

struct export_opts {
	const char *dir;
	struct strv targets;
	int all, cargo_config, env, write;
};

static void export_usage(FILE *f)
{
	fprintf(f,
		"usage: crossbench export [-C DIR] --cargo-config [--write] [--target T]... [--all]\n"
		"       crossbench export [-C DIR] --env [--target T]... [--all]\n\n"
		"Print the settings of the enabled targets (or those named) the way plain\n"
		"cargo reads them: the variables a crossbench build gets.\n\n"
		"  -C DIR            the project directory (default: .)\n"
		"      --cargo-config  as .cargo/config.toml: [build] rustc, [target.T]\n"
		"                    linker, runner, rustflags, [env] for build scripts\n"
		"  -w, --write       with --cargo-config: update DIR/.cargo/config.toml in\n"
		"                    place, keeping everything crossbench does not manage\n"
		"      --env         as shell lines: export CARGO_TARGET_..._LINKER=...\n"
		"  -t, --target T    export target T (repeatable); default: the enabled ones\n"
		"  -a, --all         every target in the settings, enabled or not\n"
		"  -h, --help        this text\n\n"
		"Exit status: 0 on success, 1 when the file cannot be written, 2 on bad usage.\n");
}

static int parse_args(int argc, char **argv, struct export_opts *o)
{
	static const struct option longopts[] = {
		{ "cargo-config", no_argument, NULL, 'c' },
		{ "env", no_argument, NULL, 'e' },
		{ "write", no_argument, NULL, 'w' },
		{ "target", required_argument, NULL, 't' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "C:t:awh", longopts, NULL)) != -1) {
		switch (c) {
		case 'C': o->dir = optarg; break;
		case 'c': o->cargo_config = 1; break;
		case 'e': o->env = 1; break;
		case 'w': o->write = 1; break;
		case 't': strv_push(&o->targets, optarg); break;
		case 'a': o->all = 1; break;
		case 'h': export_usage(stdout); exit(0);
		default: export_usage(stderr); return -1;
		}
	}
	if (optind < argc) {
		cli_error("export: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	if (o->cargo_config == o->env) {
		cli_error("export: say --cargo-config or --env");
		export_usage(stderr);
		return -1;
	}
	if (o->write && !o->cargo_config) {
		cli_error("export: --write goes with --cargo-config");
		return -1;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	struct export_opts o = { 0 };
	struct target_settings *ts = NULL;
	struct strv warnings;
	struct config cfg;
	struct cb_err err;
	char project[PATH_MAX];
	struct buf out;
	int rc = 0;

	strv_init(&o.targets);
	strv_init(&warnings);
	buf_init(&out);
	if (parse_args(argc, argv, &o) < 0) {
		rc = 2;
		goto done;
	}
	if (cli_load_project("export", o.dir, project, &cfg, 0) < 0) {
		rc = 2;
		goto done;
	}
	if (cli_pick_targets("export", &cfg, o.all, &o.targets) <= 0) {
		if (!o.targets.n)
			cli_error("export: no targets in %s: name one with --target, "
				  "or add [target \"TRIPLE\"] to %s/.crossbench",
				  project, project);
		config_fini(&cfg);
		rc = 2;
		goto done;
	}
	ts = xcalloc(o.targets.n, sizeof *ts);
	for (size_t i = 0; i < o.targets.n; i++) {
		struct triple t;

		if (triple_parse(&t, o.targets.v[i], &err) < 0) {
			cli_error("export: %s", err.msg);
			rc = 2;
		}
		config_resolve(&cfg, o.targets.v[i], &ts[i]);
	}
	if (rc)
		goto fini;
	if (o.write) {
		int w = export_cargo_config_write(project, ts, o.targets.n, &warnings,
						  &err);

		if (w < 0) {
			cli_error("export: %s", err.msg);
			rc = 1;
		} else {
			printf("%s/.cargo/config.toml: %s\n", project,
			       w ? "updated" : "already up to date");
		}
	} else if ((o.env ? export_env(ts, o.targets.n, project, &out, &warnings, &err)
			  : export_cargo_config(ts, o.targets.n, project, &out,
						&warnings, &err)) < 0) {
		cli_error("export: %s", err.msg);
		rc = 1;
	} else {
		fputs(out.data ? out.data : "", stdout);
	}
	for (size_t i = 0; i < warnings.n; i++)
		cli_error("export: warning: %s", warnings.v[i]);
fini:
	for (size_t i = 0; i < o.targets.n; i++)
		target_settings_fini(&ts[i]);
	free(ts);
	config_fini(&cfg);
done:
	buf_fini(&out);
	strv_fini(&warnings);
	strv_fini(&o.targets);
	return rc;
}
