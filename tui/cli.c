/* cli.c - what the headless commands share: messages, colour, opening the
 * project and choosing its targets. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "triple.h"

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fputs("crossbench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_color(void)
{
	const char *nc = getenv("NO_COLOR");
	const char *term = getenv("TERM");

	if (nc && *nc)
		return 0;
	if (!term || !strcmp(term, "dumb"))
		return 0;
	return isatty(1);
}

void cli_print_problems(const struct config *c)
{
	for (size_t i = 0; i < c->nproblems; i++) {
		const struct config_problem *p = &c->problems[i];

		if (p->line > 0)
			fprintf(stderr, "crossbench: warning: %s:%d: %s\n", p->file,
				p->line, p->message);
		else
			fprintf(stderr, "crossbench: warning: %s: %s\n", p->file,
				p->message);
	}
}

int cli_load_project(const char *cmd, const char *dir, char *project,
		     struct config *cfg)
{
	struct cb_err err;

	if (!realpath(dir ? dir : ".", project)) {
		cli_error("%s: %s: %m", cmd, dir ? dir : ".");
		return -1;
	}
	if (config_load(cfg, project, NULL, NULL, &err) < 0) {
		cli_error("%s: %s", cmd, err.msg);
		return -1;
	}
	cli_print_problems(cfg);
	return 0;
}

int cli_pick_targets(const char *cmd, const struct config *cfg, int all,
		     struct strv *targets)
{
	if (!targets->n)
		for (size_t i = 0; i < cfg->ntargets; i++)
			if (all || cfg->targets[i].enabled)
				strv_push(targets, cfg->targets[i].triple);
	for (size_t i = 0; i < targets->n; i++) {
		struct triple t;
		struct cb_err err;

		if (triple_parse(&t, targets->v[i], &err) < 0) {
			cli_error("%s: %s", cmd, err.msg);
			return -1;
		}
	}
	return (int)targets->n;
}
