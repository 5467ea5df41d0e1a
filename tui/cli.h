/* cli.h - the headless subcommands.  Each lives in tui/cmd_<name>.c, parses
 * its own options and returns the process exit status. */
#ifndef CB_CLI_H
#define CB_CLI_H

int cmd_build(int argc, char **argv);
int cmd_diagnose(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_export(int argc, char **argv);

/* Print "crossbench: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether stdout is a terminal that should get colour (honours NO_COLOR). */
int cli_color(void);

#endif
