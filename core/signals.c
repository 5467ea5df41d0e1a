/* signals.c - the self-pipe. */
#include "signals.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipe_fds[2] = { -1, -1 };
static unsigned watched;

static void on_signal(int signo)
{
	int saved = errno;
	unsigned char c = (unsigned char)signo;

	(void)!write(pipe_fds[1], &c, 1);
	errno = saved;
}

int signals_watch(int signo, struct cb_err *err)
{
	struct sigaction sa;

	if (signo <= 0 || signo >= 32)
		return cb_err_set(err, CB_ERR_USAGE, "signal %d out of range", signo);
	if (pipe_fds[0] < 0 && pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) < 0)
		return cb_err_sys(err, "signal pipe");
	if (watched & (1u << signo))
		return 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART | (signo == SIGCHLD ? SA_NOCLDSTOP : 0);
	if (sigaction(signo, &sa, NULL) < 0)
		return cb_err_sys(err, "sigaction(%d)", signo);
	watched |= 1u << signo;
	return 0;
}

int signals_fd(void)
{
	return pipe_fds[0];
}

unsigned signals_take(void)
{
	unsigned char buf[64];
	unsigned mask = 0;
	ssize_t n;

	if (pipe_fds[0] < 0)
		return 0;
	while ((n = read(pipe_fds[0], buf, sizeof buf)) > 0)
		for (ssize_t i = 0; i < n; i++)
			if (buf[i] < 32)
				mask |= 1u << buf[i];
	return mask;
}

void signals_reset_child(void)
{
	for (int s = 1; s < 32; s++)
		if (watched & (1u << s))
			signal(s, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
}
