/* jsclient.c - a jobserver client that behaves like cargo, for tests.
 *
 * usage: jsclient DIR SECONDS UNITS
 * Runs UNITS jobs of SECONDS each: one on the implicit slot its parent
 * (crossbench) took for it, and more in parallel on tokens read from the
 * jobserver in CARGO_MAKEFLAGS, asked for only while units are left, the
 * way cargo asks for tokens.  Each running job is counted in DIR/conc.now
 * and the highest count is kept in DIR/conc.max (under flock, across
 * processes).  Exit 3 when there is no jobserver.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static const char *dir;
static double secs;
static int units_left;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static int rfd, wfd;

static int read_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = 0;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

static void write_int(const char *path, int v)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fprintf(f, "%d\n", v);
		fclose(f);
	}
}

static void count(int delta)
{
	char lock[4096], now[4096], max[4096];
	int fd, n;

	snprintf(lock, sizeof lock, "%s/conc.lock", dir);
	snprintf(now, sizeof now, "%s/conc.now", dir);
	snprintf(max, sizeof max, "%s/conc.max", dir);
	fd = open(lock, O_CREAT | O_RDWR, 0644);
	flock(fd, LOCK_EX);
	n = read_int(now) + delta;
	write_int(now, n);
	if (n > read_int(max))
		write_int(max, n);
	flock(fd, LOCK_UN);
	close(fd);
}

static int take_unit(void)
{
	int ok;

	pthread_mutex_lock(&mu);
	ok = units_left > 0;
	if (ok)
		units_left--;
	pthread_mutex_unlock(&mu);
	return ok;
}

static void job(void)
{
	count(+1);
	usleep((useconds_t)(secs * 1e6));
	count(-1);
}

/* An extra worker: wait for a token while work is left, run units on it,
 * give it back. */
static void *extra(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd p = { rfd, POLLIN, 0 };
		char tok;
		int left;

		pthread_mutex_lock(&mu);
		left = units_left;
		pthread_mutex_unlock(&mu);
		if (left <= 0)
			return NULL;
		if (poll(&p, 1, 20) <= 0)
			continue;
		if (read(rfd, &tok, 1) != 1)
			continue;   /* someone else got it first (EAGAIN) */
		while (take_unit())
			job();
		(void)!write(wfd, &tok, 1);
		return NULL;
	}
}

int main(int argc, char **argv)
{
	const char *mf = getenv("CARGO_MAKEFLAGS");
	const char *auth;
	char path[64];
	pthread_t th[64];
	int n, r, w;

	if (argc != 4)
		return 2;
	dir = argv[1];
	secs = atof(argv[2]);
	units_left = atoi(argv[3]);
	if (!mf || !(auth = strstr(mf, "--jobserver-auth=")) ||
	    sscanf(auth, "--jobserver-auth=%d,%d", &r, &w) != 2 ||
	    fcntl(r, F_GETFD) < 0 || fcntl(w, F_GETFD) < 0) {
		fprintf(stderr, "jsclient: no usable jobserver in CARGO_MAKEFLAGS\n");
		return 3;
	}
	/* Our own non-blocking description, as the jobserver crate does. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", r);
	rfd = open(path, O_RDONLY | O_NONBLOCK);
	wfd = w;
	if (rfd < 0)
		return 3;
	n = units_left - 1;
	if (n > 64)
		n = 64;
	for (int i = 0; i < n; i++)
		pthread_create(&th[i], NULL, extra, NULL);
	while (take_unit())
		job();   /* the implicit slot */
	for (int i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	return 0;
}
