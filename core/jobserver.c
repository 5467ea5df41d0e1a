/* jobserver.c - the GNU make jobserver protocol, server side. */
#include "jobserver.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* Write n token bytes, retrying on EINTR.  The pipe is far larger than any
 * sane slot count, so a full pipe means a bug; stop rather than block. */
static void put_tokens(int fd, const char *tok, int n)
{
	while (n > 0) {
		ssize_t w = write(fd, tok, (size_t)n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		tok += w;
		n -= (int)w;
	}
}

int jobserver_init(struct jobserver *js, int slots, struct cb_err *err)
{
	int p[2];
	char path[64];
	char fill[256];

	memset(js, 0, sizeof *js);
	js->rfd = js->wfd = js->own_rfd = -1;
	if (slots < 1)
		slots = 1;
	if (slots > (int)sizeof fill)
		slots = (int)sizeof fill;
	if (pipe2(p, O_CLOEXEC) < 0)
		return cb_err_sys(err, "jobserver pipe");
	js->rfd = p[0];
	js->wfd = p[1];
	/* Our reads must never block the loop, but O_NONBLOCK on the shared
	 * description would be seen by cargo too.  Opening the pipe again
	 * through /proc gives a description of our own. */
	snprintf(path, sizeof path, "/proc/self/fd/%d", js->rfd);
	js->own_rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (js->own_rfd < 0) {
		cb_err_sys(err, "jobserver: reopen %s", path);
		jobserver_fini(js);
		return -1;
	}
	js->slots = slots;
	memset(fill, '+', sizeof fill);
	put_tokens(js->wfd, fill, slots);
	return 0;
}

void jobserver_fini(struct jobserver *js)
{
	if (js->rfd >= 0)
		close(js->rfd);
	if (js->wfd >= 0)
		close(js->wfd);
	if (js->own_rfd >= 0)
		close(js->own_rfd);
	js->rfd = js->wfd = js->own_rfd = -1;
}

int jobserver_try_acquire(struct jobserver *js)
{
	char c;
	ssize_t n;

	if (js->held >= (int)sizeof js->tokens)
		return 0;
	do
		n = read(js->own_rfd, &c, 1);
	while (n < 0 && errno == EINTR);
	if (n == 1) {
		js->tokens[js->held++] = c;
		return 1;
	}
	if (n < 0 && errno == EAGAIN)
		return 0;
	return -1;
}

void jobserver_release(struct jobserver *js)
{
	if (js->held <= 0)
		return;
	js->held--;
	put_tokens(js->wfd, &js->tokens[js->held], 1);
}

int jobserver_repair(struct jobserver *js)
{
	char buf[256];
	int have = 0, want = js->slots - js->held;
	ssize_t n;

	while ((n = read(js->own_rfd, buf, sizeof buf)) > 0)
		have += (int)n;
	memset(buf, '+', sizeof buf);
	put_tokens(js->wfd, buf, want < (int)sizeof buf ? want : (int)sizeof buf);
	return have < want ? want - have : 0;
}

int jobserver_fd(const struct jobserver *js)
{
	return js->own_rfd;
}

void jobserver_env(const struct jobserver *js, struct strv *env)
{
	char v[96];

	/* GNU make 4.2+ writes --jobserver-auth, older --jobserver-fds; the
	 * jobserver crate (cargo, cc-rs) reads both. */
	snprintf(v, sizeof v, "-j --jobserver-fds=%d,%d --jobserver-auth=%d,%d",
		 js->rfd, js->wfd, js->rfd, js->wfd);
	strv_setenv(env, "CARGO_MAKEFLAGS", v);
	strv_setenv(env, "MAKEFLAGS", v);
	strv_unsetenv(env, "MFLAGS");
}

void jobserver_child_setup(const struct jobserver *js)
{
	fcntl(js->rfd, F_SETFD, 0);
	fcntl(js->wfd, F_SETFD, 0);
}
