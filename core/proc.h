/* proc.h - run a short-lived program and capture what it prints; find
 * programs on PATH.
 *
 * For probes (rustc --print sysroot, gcc -print-libgcc-file-name) and small
 * queries.  Builds do not come through here: they are jobs (job.h), driven
 * by the engine's poll loop.
 */
#ifndef CB_PROC_H
#define CB_PROC_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

struct proc_result {
	struct buf out;   /* stdout, whole (up to the cap) */
	struct buf errb;  /* stderr, whole (up to the cap) */
	int exited;       /* 1 if the program exited normally */
	int status;       /* its exit status, or the signal that ended it */
	int timed_out;    /* 1 if it was killed because the timeout passed */
};

void proc_result_init(struct proc_result *r);
void proc_result_fini(struct proc_result *r);

/* Run argv[0] (looked up on PATH from envp, or from this process's
 * environment when envp is NULL) with argv, in directory cwd (NULL: here),
 * stdin from /dev/null, and capture up to 16 MiB of each output stream.
 * timeout_ms <= 0 means no timeout.  Returns 0 when the program ran (whatever
 * its exit status), -1 when it could not be started: err then says
 * "NAME: not found" or why exec failed. */
int proc_capture(char *const argv[], char *const envp[], const char *cwd,
		 int timeout_ms, struct proc_result *res, struct cb_err *err);

/* Search PATH (path_env; NULL means getenv("PATH")) for an executable
 * called name.  A name with a '/' is checked as it is.  Returns a malloc'd
 * absolute or given path, or NULL. */
char *proc_which(const char *name, const char *path_env);

/* Names of the executables on PATH that start with prefix, sorted and
 * without duplicates (for completion).  Appends to out. */
void proc_path_complete(const char *prefix, const char *path_env,
			struct strv *out);

/* Run argv on this terminal (an editor) and wait for it.  Returns its
 * exit status, or -1 with err when it could not be started ("vi: not
 * found"). */
int proc_run_interactive(char *const argv[], struct cb_err *err);

/* The number of CPUs this process may run on (at least 1). */
int proc_ncpus(void);

/* Exec argv with envp in the current (child) process, searching PATH from
 * envp.  Only returns on failure, with errno set.  Used after fork(). */
void proc_exec(char *const argv[], char *const envp[]);

#endif
