/* doctor.c - toolchain checks on a thread (see doctor.h). */
#include "doctor.h"

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

struct slot {
	struct toolchain_report rep;
	int ok;
	int state;             /* 0 waiting, 1 finished, 2 taken */
};

struct doctor {
	struct toolchain *tc;
	char *project_dir;
	struct target_settings *ts;
	struct slot *slot;
	size_t n;
	pthread_mutex_t mu;
	pthread_t tid;
	int threaded;
	int stop;              /* mutex */
	size_t finished;       /* mutex */
	int wake[2];
};

/* Check ts[i] into slot i (the check itself without the lock). */
static void check_one(struct doctor *d, size_t i)
{
	struct toolchain_report rep;
	struct cb_err err;
	int ok;

	ok = toolchain_check(d->tc, &d->ts[i], d->project_dir, &rep, &err) == 0;
	pthread_mutex_lock(&d->mu);
	d->slot[i].rep = rep;
	d->slot[i].ok = ok;
	d->slot[i].state = 1;
	d->finished++;
	pthread_mutex_unlock(&d->mu);
	if (d->wake[1] >= 0)
		(void)!write(d->wake[1], "", 1);
}

static void *run(void *arg)
{
	struct doctor *d = arg;

	for (size_t i = 0; i < d->n; i++) {
		int stop;

		pthread_mutex_lock(&d->mu);
		stop = d->stop;
		pthread_mutex_unlock(&d->mu);
		if (stop)
			break;
		check_one(d, i);
	}
	return NULL;
}

struct doctor *doctor_start(struct toolchain *tc, const char *project_dir,
			    struct target_settings *ts, size_t n)
{
	struct doctor *d = xcalloc(1, sizeof *d);
	sigset_t all, old;

	d->tc = tc;
	d->project_dir = project_dir ? xstrdup(project_dir) : NULL;
	d->ts = ts;
	d->n = n;
	d->slot = xcalloc(n ? n : 1, sizeof *d->slot);
	pthread_mutex_init(&d->mu, NULL);
	if (pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		d->wake[0] = d->wake[1] = -1;
	/* Signals stay the main loop's. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	d->threaded = d->wake[0] >= 0 && n > 0 &&
		      pthread_create(&d->tid, NULL, run, d) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!d->threaded)
		for (size_t i = 0; i < n; i++)
			check_one(d, i);
	return d;
}

int doctor_fd(const struct doctor *d)
{
	return d ? d->wake[0] : -1;
}

size_t doctor_take(struct doctor *d,
		   void (*got)(void *ctx, size_t i, int ok, struct toolchain_report *rep),
		   void *ctx)
{
	char b[64];
	size_t taken = 0;

	if (!d)
		return 0;
	if (d->wake[0] >= 0)
		while (read(d->wake[0], b, sizeof b) > 0)
			;
	for (size_t i = 0; i < d->n; i++) {
		struct toolchain_report rep;
		int ok, ready;

		pthread_mutex_lock(&d->mu);
		ready = d->slot[i].state == 1;
		if (ready) {
			rep = d->slot[i].rep;
			ok = d->slot[i].ok;
			d->slot[i].state = 2;
		}
		pthread_mutex_unlock(&d->mu);
		if (ready) {
			got(ctx, i, ok, &rep);
			taken++;
		}
	}
	return taken;
}

int doctor_done(const struct doctor *d)
{
	size_t f;

	if (!d)
		return 1;
	pthread_mutex_lock((pthread_mutex_t *)&d->mu);
	f = d->finished;
	pthread_mutex_unlock((pthread_mutex_t *)&d->mu);
	return f == d->n;
}

void doctor_free(struct doctor *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = 1;
	pthread_mutex_unlock(&d->mu);
	if (d->threaded)
		pthread_join(d->tid, NULL);
	for (size_t i = 0; i < d->n; i++) {
		if (d->slot[i].state == 1)
			toolchain_report_fini(&d->slot[i].rep);
		target_settings_fini(&d->ts[i]);
	}
	if (d->wake[0] >= 0) {
		close(d->wake[0]);
		close(d->wake[1]);
	}
	pthread_mutex_destroy(&d->mu);
	free(d->slot);
	free(d->ts);
	free(d->project_dir);
	free(d);
}
