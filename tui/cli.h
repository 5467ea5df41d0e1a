/* cli.h - the headless subcommands.  Each lives in tui/cmd_<name>.c, parses
 * its own options and returns the process exit status. */
#ifndef CB_CLI_H
#define CB_CLI_H

#include "buf.h"
#include "config.h"

int cmd_build(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Resolve dir (NULL: .) to an absolute path in project (PATH_MAX bytes),
 * load its settings into cfg and print their problems as warnings.
 * Returns 0, or -1 after printing an error that names cmd. */
int cli_load_project(const char *cmd, const char *dir, char *project,
		     struct config *cfg);

/* The targets to work on: those already in targets (from --target), else
 * the enabled ones of cfg (all of them with all).  Each must be a triple.
 * Returns how many, or -1 after printing an error that names cmd. */
int cli_pick_targets(const char *cmd, const struct config *cfg, int all,
		     struct strv *targets);

/* The settings' problems as "crossbench: warning: FILE:LINE: ..." lines. */
void cli_print_problems(const struct config *c);

/* Print "crossbench: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether stdout is a terminal that should get colour (honours NO_COLOR). */
int cli_color(void);

#endif
