/* proc.c - short-lived programs: capture their output, find them on PATH. */
#include "proc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define PROC_CAP (16u << 20)

void proc_result_init(struct proc_result *r)
{
	buf_init(&r->out);
	buf_init(&r->errb);
	r->exited = 0;
	r->status = 0;
	r->timed_out = 0;
}

void proc_result_fini(struct proc_result *r)
{
	buf_fini(&r->out);
	buf_fini(&r->errb);
}

static int is_exec_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	       access(path, X_OK) == 0;
}

/* The next directory of a PATH value into dir ("" means "."); advances
 * *p.  Returns 0 when there are no more. */
static int path_next(const char **p, char *dir, size_t n)
{
	const char *colon;
	size_t dl;

	if (!*p)
		return 0;
	colon = strchr(*p, ':');
	dl = colon ? (size_t)(colon - *p) : strlen(*p);
	if (dl == 0)
		snprintf(dir, n, ".");
	else
		snprintf(dir, n, "%.*s", (int)dl, *p);
	*p = colon ? colon + 1 : NULL;
	return 1;
}

static const char *default_path(const char *path_env)
{
	if (!path_env)
		path_env = getenv("PATH");
	return path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";
}

char *proc_which(const char *name, const char *path_env)
{
	const char *p = default_path(path_env);
	char dir[4096];

	if (!name || !*name)
		return NULL;
	if (strchr(name, '/'))
		return is_exec_file(name) ? xstrdup(name) : NULL;
	while (path_next(&p, dir, sizeof dir)) {
		char *cand = xasprintf("%s/%s", dir, name);

		if (is_exec_file(cand))
			return cand;
		free(cand);
	}
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void proc_path_complete(const char *prefix, const char *path_env,
			struct strv *out)
{
	struct strv found;
	const char *p = default_path(path_env);
	size_t pl = strlen(prefix);
	char dir[4096];

	strv_init(&found);
	while (path_next(&p, dir, sizeof dir)) {
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d && (de = readdir(d))) {
			char *full;

			if (strncmp(de->d_name, prefix, pl) != 0 ||
			    de->d_name[0] == '.')
				continue;
			full = xasprintf("%s/%s", dir, de->d_name);
			if (is_exec_file(full))
				strv_push(&found, de->d_name);
			free(full);
		}
		if (d)
			closedir(d);
	}
	if (found.n)
		qsort(found.v, found.n, sizeof *found.v, cmp_str);
	for (size_t i = 0; i < found.n; i++)
		if (i == 0 || strcmp(found.v[i], found.v[i - 1]) != 0)
			strv_push(out, found.v[i]);
	strv_fini(&found);
}

int proc_ncpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return CPU_COUNT(&set);
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)n : 1;
}

static const char *env_path(char *const envp[])
{
	if (!envp)
		return getenv("PATH");
	for (size_t i = 0; envp[i]; i++)
		if (strncmp(envp[i], "PATH=", 5) == 0)
			return envp[i] + 5;
	return NULL;
}

void proc_exec(char *const argv[], char *const envp[])
{
	char *path;

	if (!envp)
		envp = environ;
	path = proc_which(argv[0], env_path(envp));
	if (!path) {
		errno = ENOENT;
		return;
	}
	execve(path, argv, envp);
	free(path);
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void read_into(int *fd, struct buf *b)
{
	char tmp[65536];
	ssize_t n = read(*fd, tmp, sizeof tmp);

	if (n > 0) {
		if (b->len < PROC_CAP)
			buf_append(b, tmp, (size_t)n);
		return;
	}
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	close(*fd);
	*fd = -1;
}

int proc_capture(char *const argv[], char *const envp[], const char *cwd,
		 int timeout_ms, struct proc_result *res, struct cb_err *err)
{
	int outp[2], errp[2], execp[2];
	int child_msg[2] = { 0, 0 };  /* stage (0 exec, 1 chdir), errno */
	long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : 0;
	pid_t pid;
	int status;
	ssize_t n;

	if (pipe2(outp, O_CLOEXEC) < 0)
		return cb_err_sys(err, "pipe");
	if (pipe2(errp, O_CLOEXEC) < 0) {
		close(outp[0]);
		close(outp[1]);
		return cb_err_sys(err, "pipe");
	}
	if (pipe2(execp, O_CLOEXEC) < 0) {
		close(outp[0]); close(outp[1]);
		close(errp[0]); close(errp[1]);
		return cb_err_sys(err, "pipe");
	}
	pid = fork();
	if (pid < 0) {
		close(outp[0]); close(outp[1]);
		close(errp[0]); close(errp[1]);
		close(execp[0]); close(execp[1]);
		return cb_err_sys(err, "fork");
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		if (cwd && chdir(cwd) < 0) {
			int msg[2] = { 1, errno };
			(void)!write(execp[1], msg, sizeof msg);
			_exit(127);
		}
		proc_exec(argv, envp);
		{
			int msg[2] = { 0, errno };
			(void)!write(execp[1], msg, sizeof msg);
		}
		_exit(127);
	}
	close(outp[1]);
	close(errp[1]);
	close(execp[1]);
	do
		n = read(execp[0], child_msg, sizeof child_msg);
	while (n < 0 && errno == EINTR);
	close(execp[0]);
	if (n == (ssize_t)sizeof child_msg) {
		close(outp[0]);
		close(errp[0]);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (child_msg[0] == 1)
			return cb_err_set(err, CB_ERR_IO, "%s: %s", cwd,
					  strerror(child_msg[1]));
		if (child_msg[1] == ENOENT)
			return cb_err_set(err, CB_ERR_NOTFOUND,
					  "%s: not found", argv[0]);
		return cb_err_set(err, CB_ERR_EXEC, "%s: %s", argv[0],
				  strerror(child_msg[1]));
	}

	{
		int fds[2] = { outp[0], errp[0] };

		while (fds[0] >= 0 || fds[1] >= 0) {
			struct pollfd pf[2];
			int np = 0, wait_ms = -1;

			if (fds[0] >= 0)
				pf[np++] = (struct pollfd){ fds[0], POLLIN, 0 };
			if (fds[1] >= 0)
				pf[np++] = (struct pollfd){ fds[1], POLLIN, 0 };
			if (deadline) {
				long left = deadline - now_ms();

				if (left <= 0) {
					kill(-pid, SIGKILL);
					kill(pid, SIGKILL);
					res->timed_out = 1;
					break;
				}
				wait_ms = (int)left;
			}
			if (poll(pf, (nfds_t)np, wait_ms) < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = 0; i < np; i++) {
				if (!pf[i].revents)
					continue;
				if (pf[i].fd == fds[0])
					read_into(&fds[0], &res->out);
				else
					read_into(&fds[1], &res->errb);
			}
		}
		if (fds[0] >= 0)
			close(fds[0]);
		if (fds[1] >= 0)
			close(fds[1]);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status)) {
		res->exited = 1;
		res->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		res->status = WTERMSIG(status);
	}
	return 0;
}

int proc_run_interactive(char *const argv[], struct cb_err *err)
{
	int execp[2], msg = 0, status = 0;
	ssize_t n;
	pid_t pid;

	if (pipe2(execp, O_CLOEXEC) < 0)
		return cb_err_sys(err, "pipe");
	pid = fork();
	if (pid < 0) {
		close(execp[0]);
		close(execp[1]);
		return cb_err_sys(err, "fork");
	}
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		signal(SIGWINCH, SIG_DFL);
		proc_exec(argv, NULL);
		msg = errno;
		(void)!write(execp[1], &msg, sizeof msg);
		_exit(127);
	}
	close(execp[1]);
	do
		n = read(execp[0], &msg, sizeof msg);
	while (n < 0 && errno == EINTR);
	close(execp[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (n == (ssize_t)sizeof msg)
		return cb_err_set(err, msg == ENOENT ? CB_ERR_NOTFOUND : CB_ERR_EXEC,
				  "%s: %s", argv[0], msg == ENOENT ? "not found" : strerror(msg));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
