/* doctor.h - the doctor's checks of many targets, on a thread of their
 * own, so that a screen can be drawn before the probes (rustc, compilers,
 * linkers, each a program run) have answered.
 *
 *   struct doctor *d = doctor_start(tc, project, ts, n);  // owns ts[]
 *   poll doctor_fd(d); doctor_take(d, got, ctx);  // each report once
 *   doctor_free(d);                                // stops and waits
 *
 * The toolchain tc is the thread's while the doctor runs (doctor_done()
 * is 0): the caller must not use it, or must doctor_free() first. */
#ifndef CB_DOCTOR_H
#define CB_DOCTOR_H

#include <stddef.h>

#include "config.h"
#include "toolchain.h"

struct doctor;

/* Check ts[0..n) for project_dir (see toolchain_check) in that order.
 * The doctor owns ts (an array from malloc, each element filled) from
 * here.  With no thread (none could start) the checks run here, before
 * this returns. */
struct doctor *doctor_start(struct toolchain *tc, const char *project_dir,
			    struct target_settings *ts, size_t n);
/* Readable when a report is ready to take; -1 when none will come. */
int doctor_fd(const struct doctor *d);
/* Hand every report finished and not yet taken to got: index i into ts,
 * ok (toolchain_check returned 0) and the report, which got now owns.
 * Returns how many. */
size_t doctor_take(struct doctor *d,
		   void (*got)(void *ctx, size_t i, int ok, struct toolchain_report *rep),
		   void *ctx);
/* Whether every check has finished (taken or not). */
int doctor_done(const struct doctor *d);
/* Stop after the check under way and free what was not taken. */
void doctor_free(struct doctor *d);

#endif
