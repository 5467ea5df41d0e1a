/* jobserver.h - one GNU make jobserver shared by every concurrent cargo.
 *
 * A pipe holds one byte per free slot.  crossbench takes a slot before it
 * starts each cargo (that is the cargo's own implicit slot) and gives it
 * back when the cargo has exited; cargo, rustc and make read further slots
 * from the same pipe for extra parallel jobs.  So five targets on two cores
 * run at most two compilers at once, in total.
 *
 * cargo finds the pipe through CARGO_MAKEFLAGS/MAKEFLAGS
 * ("-j --jobserver-fds=R,W --jobserver-auth=R,W").  It is never also given
 * -j, which would make it print that it ignores -j.
 */
#ifndef CB_JOBSERVER_H
#define CB_JOBSERVER_H

#include "buf.h"
#include "err.h"

struct jobserver {
	int rfd, wfd;     /* the pipe the children inherit (blocking) */
	int own_rfd;      /* our own non-blocking description of the read end */
	int slots;        /* N */
	int held;         /* slots crossbench holds now, one per running cargo */
	char tokens[256]; /* the bytes we hold, given back as they came (one per
			     slot: jobserver_init allows at most 256) */
};

/* Create a jobserver with slots free slots (slots >= 1).  The fds are
 * close-on-exec here; jobserver_child_setup() opens them to one child.
 * Returns 0 or -1 with err. */
int jobserver_init(struct jobserver *js, int slots, struct cb_err *err);
void jobserver_fini(struct jobserver *js);

/* Take one slot without blocking: 1 when taken, 0 when none is free now
 * (poll jobserver_fd() for POLLIN and try again), -1 on error. */
int jobserver_try_acquire(struct jobserver *js);

/* Give back one slot taken with jobserver_try_acquire(). */
void jobserver_release(struct jobserver *js);

/* Call when no child of ours is running: a child killed while it held
 * extra slots took them with it, so refill the pipe to exactly the free
 * slots it should have.  Returns the number of slots that were lost. */
int jobserver_repair(struct jobserver *js);

/* The fd to poll (POLLIN) while waiting for a slot. */
int jobserver_fd(const struct jobserver *js);

/* Add CARGO_MAKEFLAGS and MAKEFLAGS naming the pipe to env. */
void jobserver_env(const struct jobserver *js, struct strv *env);

/* In a forked child before exec: let the child inherit the pipe. */
void jobserver_child_setup(const struct jobserver *js);

#endif
