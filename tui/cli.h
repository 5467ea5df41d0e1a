/* cli.h - the headless subcommands.  Each lives in tui/cmd_<name>.c, parses
 * its own options and returns the process exit status. */
#ifndef CB_CLI_H
#define CB_CLI_H

#include <stdio.h>

#include "buf.h"
#include "config.h"

int cmd_build(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_allow(int argc, char **argv);
int cmd_deny(int argc, char **argv);
int cmd_history(int argc, char **argv);
/* The process of a build on another machine (remote.h); not listed. */
int cmd_remote_run(int argc, char **argv);

/* The exit status of a command refused because the project's settings
 * are not allowed to run programs (trust.h). */
#define CLI_EXIT_UNTRUSTED 3

/* 0 when cfg's project may run what its settings name; otherwise print
 * which file, what it would run and how to allow it, and return -1. */
int cli_require_trust(const char *cmd, const struct config *cfg);
/* Print s (from a log, a binary, a project's settings) as text a terminal
 * shows and never acts on (ansi_visible). */
void cli_put_text(FILE *f, const char *s);

/* Print what the project ships that allowing it would trust, indented. */
void cli_print_trust_scope(FILE *f, const struct config *cfg);

/* Resolve dir (NULL: .) to an absolute path in project (PATH_MAX bytes),
 * load its settings into cfg (with trust, --trust: trusted for this run)
 * and print their problems as warnings.
 * Returns 0, or -1 after printing an error that names cmd. */
int cli_load_project(const char *cmd, const char *dir, char *project,
		     struct config *cfg, int trust);

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
