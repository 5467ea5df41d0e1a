/* signals.h - signals as readable bytes on a pipe (the self-pipe trick), so
 * the one poll() loop sees SIGCHLD, SIGWINCH and SIGTERM like any other fd.
 *
 * The handler needs the pipe's fd in a static: the only process-wide state
 * in core, and set once.
 */
#ifndef CB_SIGNALS_H
#define CB_SIGNALS_H

#include "err.h"

/* Start turning signo into a byte on the pipe (idempotent per signal).
 * Returns 0 or -1 with err. */
int signals_watch(int signo, struct cb_err *err);

/* The fd to poll for POLLIN; -1 before the first signals_watch(). */
int signals_fd(void);

/* Drain the pipe; returns a bit mask of the signals seen (1u << signo). */
unsigned signals_take(void);

/* Restore default dispositions (in a forked child before exec). */
void signals_reset_child(void);

#endif
