/* remote.c - a target that builds on another machine over SSH (remote.h).
 *
 * Everything here runs ssh and rsync; nothing opens a socket itself.  The
 * remote side is POSIX sh, started as /bin/sh whatever the login shell
 * there is (zsh on macOS), with setsid or, where there is none (macOS),
 * perl's setpgrp for the process group.
 */
#include "remote.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "job.h"
#include "paths.h"
#include "proc.h"
#include "sha256.h"
#include "toml_scan.h"

void remote_host_init(struct remote_host *h)
{
	memset(h, 0, sizeof *h);
	strv_init(&h->ssh_options);
	h->jobs = 1;
}

void remote_host_fini(struct remote_host *h)
{
	free(h->name);
	free(h->dest);
	free(h->ssh);
	free(h->dir);
	strv_fini(&h->ssh_options);
	memset(h, 0, sizeof *h);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void remote_host_copy(struct remote_host *dst, const struct remote_host *src)
{
	remote_host_init(dst);
	dst->name = dup_or_null(src->name);
	dst->dest = dup_or_null(src->dest);
	dst->port = src->port;
	dst->ssh = dup_or_null(src->ssh);
	dst->dir = dup_or_null(src->dir);
	dst->jobs = src->jobs > 0 ? src->jobs : 1;
	for (size_t i = 0; i < src->ssh_options.n; i++)
		strv_push(&dst->ssh_options, src->ssh_options.v[i]);
}

/* ------------------------------------------------------------ settings */

static int host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

int remote_parse_spec(const char *spec, char **dest, int *port,
		      struct cb_err *err)
{
	const char *at, *name, *end, *colon = NULL;
	long p = 0;

	*dest = NULL;
	*port = 0;
	if (!spec || !*spec)
		return cb_err_set(err, CB_ERR_PARSE, "host: needs a machine ([user@]name[:port])");
	if (spec[0] == '-')
		return cb_err_set(err, CB_ERR_PARSE, "host '%s' cannot start with '-'", spec);
	at = strrchr(spec, '@');
	name = at ? at + 1 : spec;
	for (const char *u = spec; at && u < at; u++)
		if (!host_char(*u))
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': the user name "
					  "has a '%c'", spec, *u);
	if (at == spec)
		return cb_err_set(err, CB_ERR_PARSE, "host '%s': no user before '@'", spec);
	if (*name == '[') {
		end = strchr(name, ']');
		if (!end || end == name + 1)
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': no ']' after the "
					  "IPv6 address", spec);
		for (const char *c = name + 1; c < end; c++)
			if (!(host_char(*c) || *c == ':' || *c == '%'))
				return cb_err_set(err, CB_ERR_PARSE, "host '%s': '%c' in "
						  "the address", spec, *c);
		if (end[1] == ':')
			colon = end + 1;
		else if (end[1])
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': '%s' after ']'", spec, end + 1);
	} else {
		colon = strchr(name, ':');
		end = colon ? colon : name + strlen(name);
		if (end == name)
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': no machine name", spec);
		for (const char *c = name; c < end; c++)
			if (!host_char(*c))
				return cb_err_set(err, CB_ERR_PARSE, "host '%s': '%c' is not "
						  "allowed in a machine name", spec, *c);
		if (*name == '-' || *name == '.')
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': a machine name "
					  "cannot start with '%c'", spec, *name);
	}
	if (colon) {
		char *stop;

		errno = 0;
		p = strtol(colon + 1, &stop, 10);
		if (!colon[1] || *stop || errno || p < 1 || p > 65535)
			return cb_err_set(err, CB_ERR_PARSE, "host '%s': port '%s' is not "
					  "a number from 1 to 65535", spec, colon + 1);
	}
	if (*name == '[') {
		/* ssh takes an IPv6 address without its brackets. */
		end = strchr(name, ']');
		*dest = at ? xasprintf("%.*s%.*s", (int)(name - spec), spec,
				       (int)(end - name - 1), name + 1)
			   : xstrndup(name + 1, (size_t)(end - name - 1));
	} else {
		*dest = xstrndup(spec, (size_t)((colon ? colon : spec + strlen(spec)) - spec));
	}
	*port = (int)p;
	return 0;
}

char *remote_sync_base(const char *project_dir, char **rel)
{
	char real[PATH_MAX];
	git_repository *repo = NULL;
	const char *dir = realpath(project_dir, real) ? real : project_dir;
	char *base = NULL;

	git_libgit2_init();
	if (git_repository_open_ext(&repo, dir, 0, NULL) == 0) {
		const char *wd = git_repository_workdir(repo);

		if (wd) {
			size_t l = strlen(wd);

			while (l > 1 && wd[l - 1] == '/')
				l--;
			if (!strncmp(dir, wd, l) && (dir[l] == '/' || !dir[l]))
				base = xstrndup(wd, l);
		}
		git_repository_free(repo);
	}
	git_libgit2_shutdown();
	if (!base)
		base = xstrdup(dir);
	*rel = xstrdup(dir[strlen(base)] == '/' ? dir + strlen(base) + 1 : "");
	return base;
}

/* SHA-256 of text in hex: names that stand for a path or a host. */
static void hash_hex(const char *text, char hex[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, text, strlen(text));
	sha256_hex(&s, hex);
}

char *remote_default_dir(const char *base)
{
	char hex[65];
	const char *name = strrchr(base, '/');
	struct buf b;

	hash_hex(base, hex);
	name = name && name[1] ? name + 1 : "project";
	buf_init(&b);
	buf_puts(&b, ".cache/crossbench/");
	for (const char *c = name; *c; c++)
		buf_putc(&b, host_char(*c) ? *c : '_');
	buf_printf(&b, "-%.8s", hex);
	return buf_detach(&b);
}

int remote_control_dir(char *out, size_t n, struct cb_err *err)
{
	const char *run = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	/* A socket path is at most 107 bytes: ControlPath adds 41. */
	if (run && *run == '/' && strlen(run) < 48 && access(run, W_OK) == 0)
		snprintf(out, n, "%s/crossbench", run);
	else
		snprintf(out, n, "/tmp/crossbench-%u", (unsigned)getuid());
	if (mkdir(out, 0700) < 0 && errno != EEXIST)
		return cb_err_sys(err, "%s", out);
	if (lstat(out, &st) < 0)
		return cb_err_sys(err, "%s", out);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() || (st.st_mode & 077))
		return cb_err_set(err, CB_ERR_IO, "%s is not a private directory of "
				  "this user: the ssh sockets cannot go there", out);
	return 0;
}

void remote_ssh_argv(const struct remote_host *h, const char *control_dir,
		     struct strv *out)
{
	strv_push(out, h->ssh && *h->ssh ? h->ssh : "ssh");
	for (size_t i = 0; i < h->ssh_options.n; i++)
		strv_push(out, h->ssh_options.v[i]);
	strv_push(out, "-o");
	strv_push(out, "BatchMode=yes");
	strv_push(out, "-o");
	strv_pushf(out, "ConnectTimeout=%d", REMOTE_CONNECT_TIMEOUT_S);
	strv_push(out, "-o");
	strv_pushf(out, "ServerAliveInterval=%d", REMOTE_ALIVE_INTERVAL_S);
	strv_push(out, "-o");
	strv_pushf(out, "ServerAliveCountMax=%d", REMOTE_ALIVE_COUNT);
	strv_push(out, "-o");
	strv_pushf(out, "ControlPath=%s/%%C", control_dir);
	if (h->port > 0) {
		strv_push(out, "-p");
		strv_pushf(out, "%d", h->port);
	}
}

static int shell_safe(char c)
{
	return host_char(c) || c == '/' || c == '=' || c == ',' || c == '+' ||
	       c == '%' || c == '@' || c == ':';
}

void remote_shell_quote(struct buf *out, const char *w)
{
	int plain = *w != '\0';

	for (const char *c = w; *c; c++)
		plain &= shell_safe(*c);
	if (plain) {
		buf_puts(out, w);
		return;
	}
	buf_putc(out, '\'');
	for (const char *c = w; *c; c++) {
		if (*c == '\'')
			buf_puts(out, "'\\''");
		else
			buf_putc(out, *c);
	}
	buf_putc(out, '\'');
}

/* The script the host's /bin/sh runs; "$@" is the command.  stdin is the
 * ssh channel: it reaches EOF when the connection closes for any reason,
 * and the watcher then ends the build's process group (TERM, then KILL
 * after 3 s).  An async list's stdin is /dev/null in a shell without job
 * control, so the watcher reads a copy (fd 3). */
static const char remote_script[] =
	"d=$1; k=$2; shift 2\n"
	"cd \"$d\" 2>/dev/null || { echo \"crossbench: cannot enter $d on "
	"$(uname -n)\" >&2; exit 125; }\n"
	/* A build whose connection was lost without the host noticing
	 * (sshd there waits for TCP to give up) still runs: end it first. */
	"f=target/crossbench/build/.remote-$k.pid; mkdir -p target/crossbench/build\n"
	"if [ -s \"$f\" ] && o=$(cat \"$f\") && kill -0 -$o 2>/dev/null; then\n"
	"echo \"crossbench: ending the build left running by a lost connection "
	"(process group $o)\" >&2; kill -TERM -$o 2>/dev/null; sleep 1; "
	"kill -KILL -$o 2>/dev/null; fi\n"
	"PATH=\"$HOME/.cargo/bin:$PATH:/opt/homebrew/bin:/usr/local/bin\"; export PATH\n"
	"exec 3<&0\n"
	"if command -v setsid >/dev/null 2>&1; then setsid \"$@\" </dev/null &\n"
	"else perl -e 'setpgrp(0,0); exec @ARGV or die \"$ARGV[0]: $!\\n\"' "
	"\"$@\" </dev/null & fi\n"
	"p=$!\n"
	"echo $p > \"$f\"\n"
	"{ cat <&3 >/dev/null; kill -TERM -$p || exit 0; for i in 1 2 3; do "
	"sleep 1; kill -0 -$p || exit 0; done; kill -KILL -$p; } >/dev/null 2>&1 &\n"
	"w=$!\n"
	"exec 3<&-\n"
	"wait $p; s=$?\n"
	"kill $w 2>/dev/null\n"
	/* What the build left in its group would hold the connection open. */
	"if kill -0 -$p 2>/dev/null; then kill -TERM -$p 2>/dev/null; sleep 1; "
	"kill -KILL -$p 2>/dev/null; fi\n"
	"rm -f \"$f\"\n"
	"[ $s -eq 255 ] && s=254\n"
	"exit $s\n";

void remote_command(const char *dir, const char *key, const struct strv *env,
		    const struct strv *argv, struct buf *out)
{
	buf_puts(out, "exec /bin/sh -c ");
	remote_shell_quote(out, remote_script);
	buf_puts(out, " crossbench ");
	remote_shell_quote(out, dir);
	buf_putc(out, ' ');
	remote_shell_quote(out, key && *key ? key : "build");
	if (env->n)
		buf_puts(out, " env");
	for (size_t i = 0; i < env->n; i++) {
		buf_putc(out, ' ');
		remote_shell_quote(out, env->v[i]);
	}
	for (size_t i = 0; i < argv->n; i++) {
		buf_putc(out, ' ');
		remote_shell_quote(out, argv->v[i]);
	}
}

/* rsync's filter words, matched in order (the first match wins), with
 * paths anchored at base.  A name with a wildcard in it is escaped. */
static void push_rule(struct strv *out, const char *kind, const char *path,
		      const char *suffix)
{
	struct buf b;

	buf_init(&b);
	buf_puts(&b, kind);
	for (const char *c = path; *c; c++) {
		if (*c == '*' || *c == '?' || *c == '[' || *c == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *c);
	}
	buf_puts(&b, suffix);
	strv_push(out, b.data);
	buf_fini(&b);
}

/* Whether dir/Cargo.toml is a workspace's root ([workspace] on a line
 * of its own). */
static int is_workspace_root(const char *dir)
{
	char *path = xasprintf("%s/Cargo.toml", dir);
	int yes = toml_scan_file_has(path, "[workspace]", 1);

	free(path);
	return yes;
}

char *remote_sync_tree(const char *base, const char *rel)
{
	size_t l = rel ? strlen(rel) : 0;
	char *tree = xstrdup(rel ? rel : "");

	/* The highest workspace root between base and the project: its
	 * members and path crates inside it are the build's too. */
	for (;;) {
		char *dir = xasprintf("%s%s%.*s", base, l ? "/" : "", (int)l, rel);

		if (is_workspace_root(dir)) {
			free(tree);
			tree = xstrndup(rel, l);
		}
		free(dir);
		if (l == 0)
			break;
		while (l > 0 && rel[l - 1] != '/')
			l--;
		if (l > 0)
			l--;   /* the slash */
	}
	return tree;
}

void remote_sync_filters(const char *base, const char *rel, struct strv *out)
{
	static const char *const above[] = {
		"Cargo.toml", "Cargo.lock", ".cargo/", ".cargo/config.toml",
		".cargo/config", "rust-toolchain", "rust-toolchain.toml",
	};
	char *tree = base ? remote_sync_tree(base, rel) : xstrdup(rel ? rel : "");
	char *own = *tree ? xasprintf("/%s/", tree) : xstrdup("/");
	size_t l = strlen(tree);

	/* The build's own output and the repository stay here; what git
	 * ignores is nobody's source. */
	{
		char *t = xasprintf("%starget/", own);

		push_rule(out, "--exclude=", t, "");
		free(t);
	}
	if (rel && *rel && strcmp(rel, tree)) {
		/* The project's own target/ inside a workspace. */
		char *t = xasprintf("/%s/target/", rel);

		push_rule(out, "--exclude=", t, "");
		free(t);
	}
	strv_push(out, "--exclude=.git/");
	strv_push(out, "--filter=:- .gitignore");
	if (*tree) {
		push_rule(out, "--include=", own, "***");
		/* Each directory above: itself, and what cargo reads there. */
		for (;;) {
			while (l > 0 && tree[l - 1] != '/')
				l--;
			for (size_t k = 0; k < sizeof above / sizeof *above; k++) {
				char *p = xasprintf("/%.*s%s", (int)l, tree, above[k]);

				push_rule(out, "--include=", p, "");
				free(p);
			}
			if (l == 0)
				break;
			{
				char *d = xasprintf("/%.*s", (int)l, tree);

				push_rule(out, "--include=", d, "");
				free(d);
			}
			l--;
		}
		strv_push(out, "--exclude=*");
	}
	free(own);
	free(tree);
}

char *remote_local_artifact(const char *fetch_dir, const char *path)
{
	const char *name = strrchr(path, '/');

	return xasprintf("%s/%s", fetch_dir, name ? name + 1 : path);
}

/* ------------------------------------------------------------ requests */

void remote_request_init(struct remote_request *r)
{
	memset(r, 0, sizeof *r);
	remote_host_init(&r->host);
	strv_init(&r->env);
	strv_init(&r->argv);
}

void remote_request_fini(struct remote_request *r)
{
	remote_host_fini(&r->host);
	free(r->base);
	free(r->rel);
	free(r->fetch_dir);
	strv_fini(&r->env);
	strv_fini(&r->argv);
	memset(r, 0, sizeof *r);
}

void remote_request_words(const struct remote_request *r, struct strv *out)
{
	strv_push(out, "--host");
	strv_push(out, r->host.dest);
	if (r->host.port > 0) {
		strv_push(out, "--port");
		strv_pushf(out, "%d", r->host.port);
	}
	if (r->host.ssh) {
		strv_push(out, "--ssh");
		strv_push(out, r->host.ssh);
	}
	for (size_t i = 0; i < r->host.ssh_options.n; i++) {
		strv_push(out, "--ssh-option");
		strv_push(out, r->host.ssh_options.v[i]);
	}
	strv_push(out, "--dir");
	strv_push(out, r->host.dir);
	strv_push(out, "--base");
	strv_push(out, r->base);
	strv_push(out, "--rel");
	strv_push(out, r->rel ? r->rel : "");
	strv_push(out, "--fetch");
	strv_push(out, r->fetch_dir);
	for (size_t i = 0; i < r->env.n; i++) {
		strv_push(out, "--set");
		strv_push(out, r->env.v[i]);
	}
	strv_push(out, "--");
	for (size_t i = 0; i < r->argv.n; i++)
		strv_push(out, r->argv.v[i]);
}

int remote_request_parse(struct remote_request *r, int argc, char **argv,
			 struct cb_err *err)
{
	int i = 0;

	while (i < argc) {
		const char *w = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char **field = NULL;

		if (!strcmp(w, "--")) {
			i++;
			break;
		}
		if (!v)
			return cb_err_set(err, CB_ERR_USAGE, "remote-run: %s needs a value", w);
		if (!strcmp(w, "--host"))
			field = &r->host.dest;
		else if (!strcmp(w, "--ssh"))
			field = &r->host.ssh;
		else if (!strcmp(w, "--dir"))
			field = &r->host.dir;
		else if (!strcmp(w, "--base"))
			field = &r->base;
		else if (!strcmp(w, "--rel"))
			field = &r->rel;
		else if (!strcmp(w, "--fetch"))
			field = &r->fetch_dir;
		else if (!strcmp(w, "--port"))
			r->host.port = atoi(v);
		else if (!strcmp(w, "--ssh-option"))
			strv_push(&r->host.ssh_options, v);
		else if (!strcmp(w, "--set"))
			strv_push(&r->env, v);
		else
			return cb_err_set(err, CB_ERR_USAGE, "remote-run: unknown option '%s'", w);
		if (field) {
			free(*field);
			*field = xstrdup(v);
		}
		i += 2;   /* the option and its value */
	}
	for (; i < argc; i++)
		strv_push(&r->argv, argv[i]);
	if (!r->host.dest || !r->host.dir || !r->base || !r->fetch_dir || !r->argv.n)
		return cb_err_set(err, CB_ERR_USAGE, "remote-run: needs --host, --dir, "
				  "--base, --fetch and a command after --");
	if (!r->rel)
		r->rel = xstrdup("");
	return 0;
}

/* ------------------------------------------------------------- running */

static void note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void note(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	buf_puts(&b, "crossbench: ");
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_putc(&b, '\n');
	(void)!write(2, b.data, b.len);
	buf_fini(&b);
}

/* Run argv with stdin in_fd, stdout out_fd, stderr err_fd (-1: /dev/null
 * for each); wait for it.  Returns its exit status (128+N for a signal, 127 when it
 * cannot start). */
static int run_wait(struct strv *argv, int in_fd, int out_fd, int err_fd)
{
	pid_t pid = fork();
	int st;

	if (pid < 0)
		return 127;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		dup2(in_fd >= 0 ? in_fd : nul, 0);
		dup2(out_fd >= 0 ? out_fd : nul, 1);
		dup2(err_fd >= 0 ? err_fd : nul, 2);
		execvp(argv->v[0], strv_argv(argv));
		dprintf(2, "crossbench: %s: %s\n", argv->v[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 127;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void ssh_cmd(const struct remote_host *h, const char *cdir, struct strv *out)
{
	strv_init(out);
	remote_ssh_argv(h, cdir, out);
}

/* Whether the shared connection is up. */
static int master_alive(const struct remote_host *h, const char *cdir)
{
	struct strv a;
	int rc;

	ssh_cmd(h, cdir, &a);
	strv_push(&a, "-O");
	strv_push(&a, "check");
	strv_push(&a, h->dest);
	rc = run_wait(&a, -1, -1, -1);
	strv_fini(&a);
	return rc == 0;
}

/* Bring the shared connection up unless it is.  It goes to the
 * background after logging in (ssh -f) and leaves this process group, so
 * a cancelled build does not take it with it.  One at a time per user,
 * so two builds starting together do not both make one. */
static int master_up(const struct remote_host *h, const char *cdir)
{
	char lock[4200];
	struct strv a;
	int fd, rc = 0;

	snprintf(lock, sizeof lock, "%s/connect.lock", cdir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
	if (!master_alive(h, cdir)) {
		ssh_cmd(h, cdir, &a);
		strv_push(&a, "-o");
		strv_push(&a, "ControlMaster=yes");
		strv_push(&a, "-o");
		strv_pushf(&a, "ControlPersist=%d", REMOTE_PERSIST_S);
		strv_push(&a, "-f");
		strv_push(&a, "-N");
		strv_push(&a, h->dest);
		/* Its stderr goes to a file, then into the log: some OpenSSH
		 * keep stderr in the background master, which would hold the
		 * build's pipe open for as long as the connection lives. */
		{
			char errpath[4200];
			int efd;

			snprintf(errpath, sizeof errpath, "%s/connect-%d.err", cdir, (int)getpid());
			efd = open(errpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
			rc = run_wait(&a, -1, -1, efd);
			if (efd >= 0) {
				char tmp[4096];
				ssize_t n;

				lseek(efd, 0, SEEK_SET);
				while ((n = read(efd, tmp, sizeof tmp)) > 0)
					(void)!write(2, tmp, (size_t)n);
				close(efd);
				unlink(errpath);
			}
		}
		strv_fini(&a);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* The "-e" of rsync: the ssh command as one string, each word quoted
 * the way rsync splits it (spaces separate, quotes protect). */
static char *rsync_shell(const struct remote_host *h, const char *cdir)
{
	struct strv a;
	struct buf b;

	ssh_cmd(h, cdir, &a);
	buf_init(&b);
	for (size_t i = 0; i < a.n; i++) {
		const char *w = a.v[i];

		if (i)
			buf_putc(&b, ' ');
		if (strpbrk(w, " '\"") || !*w) {
			char q = strchr(w, '\'') ? '"' : '\'';

			buf_printf(&b, "%c%s%c", q, w, q);
		} else {
			buf_puts(&b, w);
		}
	}
	strv_fini(&a);
	return buf_detach(&b);
}

/* "dest:" as rsync reads a remote path: an IPv6 address in brackets. */
static char *rsync_dest(const struct remote_host *h, const char *path)
{
	const char *at = strrchr(h->dest, '@');
	const char *host = at ? at + 1 : h->dest;

	if (strchr(host, ':'))
		return xasprintf("%.*s[%s]:%s", (int)(host - h->dest), h->dest, host, path);
	return xasprintf("%s:%s", h->dest, path);
}

static char *remote_path(const struct remote_request *r)
{
	return r->rel && *r->rel ? xasprintf("%s/%s", r->host.dir, r->rel)
				 : xstrdup(r->host.dir);
}

static int sync_up(const struct remote_request *r, const char *cdir)
{
	struct strv a;
	struct buf mk;
	char *shell = rsync_shell(&r->host, cdir);
	int rc;

	strv_init(&a);
	strv_push(&a, "rsync");
	strv_push(&a, "-a");
	strv_push(&a, "--delete");
	remote_sync_filters(r->base, r->rel, &a);
	strv_push(&a, "-e");
	strv_push(&a, shell);
	/* rsync makes only the last directory of its destination.  A Mac's
	 * own /usr/bin/rsync is openrsync; Homebrew's, when there is one,
	 * is the rsync this one speaks with. */
	buf_init(&mk);
	buf_puts(&mk, "mkdir -p ");
	remote_shell_quote(&mk, r->host.dir);
	buf_puts(&mk, " && PATH=" REMOTE_RSYNC_PATH " rsync");
	strv_push(&a, "--rsync-path");
	strv_push(&a, mk.data);
	strv_pushf(&a, "%s/", r->base);
	{
		char *d0 = xasprintf("%s/", r->host.dir);
		char *d = rsync_dest(&r->host, d0);

		strv_push(&a, d);
		free(d);
		free(d0);
	}
	rc = run_wait(&a, -1, 2, 2);
	buf_fini(&mk);
	strv_fini(&a);
	free(shell);
	return rc;
}

/* Two builds on one host copy into one directory: one at a time, or one
 * rsync's --delete takes the other's temporary files. */
static int sync_locked(const struct remote_request *r, const char *cdir)
{
	char hex[65], lock[4200];
	char *key = xasprintf("%s\n%d\n%s", r->host.dest, r->host.port, r->host.dir);
	int fd, rc;

	hash_hex(key, hex);
	free(key);
	snprintf(lock, sizeof lock, "%s/sync-%.16s.lock", cdir, hex);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
	rc = sync_up(r, cdir);
	if (fd >= 0)
		close(fd);
	return rc;
}

static int fetch_back(const struct remote_request *r, const char *cdir,
		      const struct strv *files)
{
	struct strv a;
	char *shell;
	int rc;

	if (!files->n)
		return 0;
	if (paths_mkdir_p(r->fetch_dir) < 0) {
		note("%s: %s", r->fetch_dir, strerror(errno));
		return REMOTE_SETUP_FAILED;
	}
	shell = rsync_shell(&r->host, cdir);
	strv_init(&a);
	strv_push(&a, "rsync");
	strv_push(&a, "-a");
	strv_push(&a, "-e");
	strv_push(&a, shell);
	for (size_t i = 0; i < files->n; i++) {
		char *d = rsync_dest(&r->host, files->v[i]);

		strv_push(&a, d);
		free(d);
	}
	strv_pushf(&a, "%s/", r->fetch_dir);
	rc = run_wait(&a, -1, 2, 2);
	strv_fini(&a);
	free(shell);
	return rc;
}

static void artifact_line(void *ctx, const char *l, size_t len, int too_long)
{
	if (!too_long)
		job_line_artifacts(l, len, ctx);
}

/* Pass cargo's stdout (from fd) to fd 1 as it comes, and collect the
 * artifacts its JSON names, as the job does. */
static void pass_stdout(int fd, struct strv *files)
{
	char tmp[65536];
	struct buf line;
	int skip = 0;
	ssize_t n;

	buf_init(&line);
	for (;;) {
		n = read(fd, tmp, sizeof tmp);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, tmp + off, (size_t)(n - off));

			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				break;
			off += w;
		}
		job_split_lines(&line, &skip, tmp, (size_t)n, artifact_line, files);
	}
	if (!skip && line.len)
		job_line_artifacts(line.data, line.len, files);
	buf_fini(&line);
}

/* What names this build's pid file there: its --target. */
static const char *build_key(const struct remote_request *r)
{
	for (size_t i = 0; i + 1 < r->argv.n; i++)
		if (!strcmp(r->argv.v[i], "--target"))
			return r->argv.v[i + 1];
	return "build";
}

static int build_there(const struct remote_request *r, const char *cdir,
		       struct strv *files)
{
	struct strv a;
	struct buf cmd;
	char *dir = remote_path(r);
	int keep[2], outp[2], st = 0;
	pid_t pid;

	ssh_cmd(&r->host, cdir, &a);
	strv_push(&a, r->host.dest);
	buf_init(&cmd);
	remote_command(dir, build_key(r), &r->env, &r->argv, &cmd);
	strv_push(&a, cmd.data);
	buf_fini(&cmd);
	free(dir);
	/* ssh's stdin stays open as long as this process lives: when it
	 * closes, the host ends the build. */
	if (pipe2(keep, O_CLOEXEC) < 0 || pipe2(outp, O_CLOEXEC) < 0) {
		note("pipe: %s", strerror(errno));
		strv_fini(&a);
		return REMOTE_SETUP_FAILED;
	}
	pid = fork();
	if (pid == 0) {
		dup2(keep[0], 0);
		dup2(outp[1], 1);
		execvp(a.v[0], strv_argv(&a));
		dprintf(2, "crossbench: %s: %s\n", a.v[0], strerror(errno));
		_exit(127);
	}
	close(keep[0]);
	close(outp[1]);
	strv_fini(&a);
	if (pid < 0) {
		note("fork: %s", strerror(errno));
		return REMOTE_SETUP_FAILED;
	}
	pass_stdout(outp[0], files);
	close(outp[0]);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			close(keep[1]);
			return REMOTE_SETUP_FAILED;
		}
	close(keep[1]);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int unreachable(const struct remote_request *r, const char *what)
{
	note("host %s unreachable (%s)", r->host.dest, what);
	return REMOTE_UNREACHABLE;
}

int remote_run(const struct remote_request *r)
{
	char cdir[4096];
	struct cb_err err;
	struct strv files;
	int rc;

	signal(SIGPIPE, SIG_DFL);
	/* Not this machine's fault to blame on the host. */
	{
		const char *need[] = { r->host.ssh && *r->host.ssh ? r->host.ssh : "ssh", "rsync" };

		for (size_t i = 0; i < 2; i++) {
			char *p = proc_which(need[i], NULL);

			if (!p) {
				note("%s: not found on this machine (install %s)", need[i],
				     i ? "rsync" : "openssh-client");
				return REMOTE_SETUP_FAILED;
			}
			free(p);
		}
	}
	if (remote_control_dir(cdir, sizeof cdir, &err) < 0) {
		note("%s", err.msg);
		return REMOTE_SETUP_FAILED;
	}
	note("connecting to %s", r->host.dest);
	if (master_up(&r->host, cdir) != 0)
		return unreachable(r, "cannot connect");
	note("copying %s%s%s to %s:%s", r->base, *r->rel ? "/" : "", r->rel,
	     r->host.dest, r->host.dir);
	rc = sync_locked(r, cdir);
	if (rc != 0) {
		if (!master_alive(&r->host, cdir))
			return unreachable(r, "lost while copying the project");
		note("copying the project to %s failed (rsync exit status %d)",
		     r->host.dest, rc);
		return REMOTE_SETUP_FAILED;
	}
	strv_init(&files);
	rc = build_there(r, cdir, &files);
	if (rc == 255) {
		strv_fini(&files);
		return unreachable(r, "lost during the build");
	}
	if (rc == 0 && files.n) {
		int frc = fetch_back(r, cdir, &files);

		if (frc != 0) {
			strv_fini(&files);
			if (!master_alive(&r->host, cdir))
				return unreachable(r, "lost while copying the artifacts back");
			note("copying the artifacts back from %s failed (rsync exit "
			     "status %d)", r->host.dest, frc);
			return REMOTE_SETUP_FAILED;
		}
		note("copied %zu artifact%s to %s", files.n, files.n == 1 ? "" : "s",
		     r->fetch_dir);
	}
	strv_fini(&files);
	return rc;
}

/* ------------------------------------------------------------- doctor */

int remote_probe(const struct remote_host *h, const char *cargo,
		 const char *rustc, int timeout_ms, struct buf *out,
		 struct cb_err *err)
{
	char cdir[4096];
	struct strv a;
	struct buf cmd;
	struct proc_result res;
	int rc;
	/* One round trip: what the doctor asks about, a line each. */
	static const char script[] =
		"PATH=\"$HOME/.cargo/bin:$PATH:/opt/homebrew/bin:/usr/local/bin\"\n"
		"c=$1; r=$2\n"
		"echo \"cargo $(command -v \"$c\" 2>/dev/null) $(\"$c\" -V 2>/dev/null)\"\n"
		"echo \"rustc $(command -v \"$r\" 2>/dev/null) $(\"$r\" -V 2>/dev/null)\"\n"
		"s=$(\"$r\" --print sysroot 2>/dev/null); echo \"sysroot $s\"\n"
		"echo \"rsync $(PATH=" REMOTE_RSYNC_PATH " command -v rsync 2>/dev/null)\"\n"
		"echo \"os $(uname -sm)\"\n"
		"if command -v rustup >/dev/null 2>&1; then rustup target list --installed "
		"2>/dev/null | sed 's/^/target /'; echo rustup yes; fi\n"
		"[ -n \"$s\" ] && for d in \"$s\"/lib/rustlib/*/lib; do [ -d \"$d\" ] && "
		"ls \"$d\" | grep -q '^libstd-' && d=${d%/lib} && echo \"target ${d##*/}\"; done\n"
		"exit 0\n";

	if (remote_control_dir(cdir, sizeof cdir, err) < 0)
		return -1;
	strv_init(&a);
	remote_ssh_argv(h, cdir, &a);
	/* The doctor's connection is the one the builds then reuse. */
	strv_push(&a, "-o");
	strv_push(&a, "ControlMaster=auto");
	strv_push(&a, "-o");
	strv_pushf(&a, "ControlPersist=%d", REMOTE_PERSIST_S);
	strv_push(&a, h->dest);
	buf_init(&cmd);
	buf_puts(&cmd, "exec /bin/sh -c ");
	remote_shell_quote(&cmd, script);
	buf_puts(&cmd, " crossbench ");
	remote_shell_quote(&cmd, cargo && *cargo ? cargo : "cargo");
	buf_putc(&cmd, ' ');
	remote_shell_quote(&cmd, rustc && *rustc ? rustc : "rustc");
	strv_push(&a, cmd.data);
	buf_fini(&cmd);
	proc_result_init(&res);
	rc = proc_capture(strv_argv(&a), NULL, NULL, timeout_ms, &res, err);
	strv_fini(&a);
	if (rc < 0) {
		proc_result_fini(&res);
		return -1;
	}
	if (res.timed_out || !res.exited || res.status == 255) {
		const char *e = res.errb.data ? res.errb.data : "";
		size_t l = strcspn(e, "\r\n");

		if (res.timed_out)
			cb_err_set(err, CB_ERR_IO, "%s unreachable: no answer in %d s",
				   h->dest, timeout_ms / 1000);
		else if (l)
			cb_err_set(err, CB_ERR_IO, "%s unreachable: %.*s", h->dest, (int)l, e);
		else
			cb_err_set(err, CB_ERR_IO, "%s unreachable: ssh failed", h->dest);
		proc_result_fini(&res);
		return -1;
	}
	if (res.out.data)
		buf_append(out, res.out.data, res.out.len);
	proc_result_fini(&res);
	return 0;
}
