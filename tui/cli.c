/* cli.c - what the headless commands share: messages, colour, opening the
 * project and choosing its targets. */
#include "cli.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ansi.h"
#include "triple.h"

void cli_error(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	/* Messages name files, settings and programs from the project:
	 * shown, never acted on by the terminal. */
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	fputs("crossbench: ", stderr);
	cli_put_text(stderr, b.data);
	fputc('\n', stderr);
	buf_fini(&b);
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
			cli_error("warning: %s:%d: %s", p->file, p->line, p->message);
		else
			cli_error("warning: %s: %s", p->file, p->message);
	}
}

int cli_load_project(const char *cmd, const char *dir, char *project,
		     struct config *cfg, int trust)
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
	if (trust)
		config_trust_session(cfg);
	cli_print_problems(cfg);
	return 0;
}

void cli_put_text(FILE *f, const char *s)
{
	struct buf b;

	buf_init(&b);
	ansi_visible(s ? s : "", s ? strlen(s) : 0, &b);
	fputs(b.data ? b.data : "", f);
	buf_fini(&b);
}

void cli_print_trust_scope(FILE *f, const struct config *cfg)
{
	struct strv lines;

	strv_init(&lines);
	config_project_settings(cfg, &lines);
	config_project_rules(cfg, &lines);
	for (size_t i = 0; i < lines.n; i++) {
		fputs("    ", f);
		cli_put_text(f, lines.v[i]);
		fputc('\n', f);
	}
	strv_fini(&lines);
}

int cli_require_trust(const char *cmd, const struct config *cfg)
{
	if (config_trusted(cfg))
		return 0;
	if (cfg->trust == TRUST_UNREADABLE) {
		cli_error("%s: cannot tell whether the project's settings may run "
			  "programs: %s", cmd, cfg->trust_error ? cfg->trust_error : "?");
		return -1;
	}
	cli_error("%s: %s is %s: crossbench runs nothing it names until you "
		  "allow it.  It sets:", cmd, cfg->path[CONFIG_LEVEL_PROJECT],
		  cfg->trust == TRUST_CHANGED ? "changed since you allowed it"
					      : "new to crossbench");
	cli_print_trust_scope(stderr, cfg);
	fprintf(stderr, "Review it, then run 'crossbench allow' (in %s), or pass "
		"--trust to trust it for this run only.\n", cfg->project_dir);
	return -1;
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
