/* job.c - run one cargo build: command, environment, pipes, log, result. */
#include "job.h"

#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "artifact.h"
#include "cgoheader.h"
#include "diagfeed.h"
#include "diagnose.h"
#include "paths.h"
#include "proc.h"
#include "remote.h"
#include "sha256.h"
#include "signals.h"
#include "toml_scan.h"

extern char **environ;

static const char *const state_names[] = {
#define X(e, name) name,
	JOB_STATES(X)
#undef X
};

const char *job_state_name(enum job_state s)
{
	return (unsigned)s < sizeof state_names / sizeof *state_names
		       ? state_names[s] : "unknown";
}

int job_state_final(enum job_state s)
{
	return s != JOB_QUEUED && s != JOB_RUNNING;
}

struct job *job_new(unsigned id, const char *triple, const char *profile)
{
	struct job *j = xcalloc(1, sizeof *j);

	j->id = id;
	snprintf(j->triple, sizeof j->triple, "%s", triple);
	snprintf(j->profile, sizeof j->profile, "%s", profile ? profile : "dev");
	strv_init(&j->argv);
	strv_init(&j->env);
	strv_init(&j->setenv);
	strv_init(&j->artifacts);
	buf_init(&j->out_line);
	j->state = JOB_QUEUED;
	j->exit_code = -1;
	j->pid = -1;
	j->out_fd = j->err_fd = j->json_fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &j->t_queued);
	return j;
}

void job_free(struct job *j)
{
	if (!j)
		return;
	if (j->out_fd >= 0)
		close(j->out_fd);
	if (j->err_fd >= 0)
		close(j->err_fd);
	if (j->json_fd >= 0)
		close(j->json_fd);
	logstore_free(j->log);
	diagfeed_free(j->feed);
	diagnose_free(j->diag);
	for (size_t i = 0; i < j->nchecks; i++)
		artifact_fini(&j->checks[i]);
	free(j->checks);
	free(j->glibc_max);
	free(j->go_output);
	strv_fini(&j->argv);
	strv_fini(&j->env);
	strv_fini(&j->setenv);
	strv_fini(&j->artifacts);
	buf_fini(&j->out_line);
	free(j->cwd);
	free(j->subject);
	free(j->target_dir);
	free(j->error);
	free(j->log_path);
	free(j->json_path);
	free(j->members);
	free(j->prelude);
	free(j->cause);
	if (j->remote) {
		remote_request_fini(j->remote);
		free(j->remote);
	}
	free(j);
}

static void set_env(struct job *j, const char *key, const char *value)
{
	strv_setenv(&j->env, key, value);
	strv_setenv(&j->setenv, key, value);
}

static void join_words(const struct strv *w, struct buf *out)
{
	for (size_t i = 0; i < w->n; i++) {
		if (out->len)
			buf_putc(out, ' ');
		buf_puts(out, w->v[i]);
	}
}

static int has_space(const char *s)
{
	return strpbrk(s, " \t\n") != NULL;
}

/* Whether the project's Cargo.toml says anything of build-override. */
static int manifest_sets_build_override(const char *project_dir)
{
	char *path = xasprintf("%s/Cargo.toml", project_dir);
	int found = toml_scan_file_has(path, "build-override", 0);

	free(path);
	return found;
}

/* Build scripts and proc macros of the dev profile without debug info, as
 * cargo does by default since 1.71 (older cargo, Debian 12's 1.65, spends
 * a fifth of a cold build on it; see bench/concurrency.sh).  The target's
 * own code keeps its debug info; a build script's panic backtrace loses
 * its line numbers.  Whoever sets it (environment, Cargo.toml) wins. */
void job_lean_build_tools(struct job *j, const char *project_dir)
{
	static const char key[] = "CARGO_PROFILE_DEV_BUILD_OVERRIDE_DEBUG";

	if (j->go)
		return;
	if (strcmp(j->profile, "dev") && strcmp(j->profile, "debug"))
		return;
	if (strv_getenv(&j->env, key) || manifest_sets_build_override(project_dir))
		return;
	set_env(j, key, "false");
}

/* The one door to running what settings name (builds, smoke runs and
 * the doctor's probes all come through here): closed to a project whose
 * settings the user has not allowed. */
static int refuse_untrusted(const struct target_settings *ts,
			    const char *project_dir, struct cb_err *err)
{
	if (!ts->untrusted)
		return 0;
	return cb_err_set(err, CB_ERR_UNTRUSTED, "%s/.crossbench is not "
			  "allowed to run programs yet: review it, then "
			  "run 'crossbench allow'", project_dir);
}

/* A fresh argv and environment: base_env (NULL: ours) less an inherited
 * jobserver, which is not ours to share. */
static void inherit_env(struct job *j, char *const base_env[])
{
	strv_fini(&j->argv);
	strv_fini(&j->env);
	strv_fini(&j->setenv);
	for (char *const *e = base_env ? base_env : environ; e && *e; e++)
		strv_push(&j->env, *e);
	strv_unsetenv(&j->env, "CARGO_MAKEFLAGS");
	strv_unsetenv(&j->env, "MAKEFLAGS");
	strv_unsetenv(&j->env, "MFLAGS");
}

/* The target's env entries, each KEY=VALUE. */
static int set_env_entries(struct job *j, const struct target_settings *ts,
			   struct cb_err *err)
{
	for (size_t i = 0; i < ts->env.n; i++) {
		const char *eq = strchr(ts->env.v[i], '=');
		char *key;

		if (!eq || eq == ts->env.v[i])
			return cb_err_set(err, CB_ERR_USAGE,
				"%s: env '%s' is not KEY=VALUE", j->triple, ts->env.v[i]);
		key = xstrndup(ts->env.v[i], (size_t)(eq - ts->env.v[i]));
		set_env(j, key, eq + 1);
		free(key);
	}
	return 0;
}

/* What a build of either kind takes from the settings besides its
 * command: the timeout, the artifact's glibc limit, where it runs. */
static int take_common(struct job *j, const struct target_settings *ts,
		       const char *project_dir)
{
	j->timeout_s = ts->timeout_s;
	free(j->glibc_max);
	j->glibc_max = ts->floor ? xstrdup(ts->floor) : ts->glibc_max ? xstrdup(ts->glibc_max) : NULL;
	free(j->cwd);
	j->cwd = xstrdup(project_dir);
	return 0;
}

/* The last element of go.mod's module path ("example.com/x/hello" ->
 * "hello"), which go build names a program after; the directory's name
 * when go.mod has none.  Only [A-Za-z0-9._-] is kept. */
static char *go_module_name(const char *project_dir)
{
	char *path = xasprintf("%s/go.mod", project_dir);
	FILE *f = fopen(path, "r");
	char line[1024], name[256] = "";
	const char *base;

	free(path);
	while (f && fgets(line, sizeof line, f)) {
		char *p = line + strspn(line, " \t"), *last, *v;
		size_t n;

		if (strncmp(p, "module", 6) || !strchr(" \t", p[6]))
			continue;
		p += 6 + strspn(p + 6, " \t\"");
		p[strcspn(p, " \t\r\n\"")] = '\0';
		/* example.com/x/hello/v2 is named hello, as go build does. */
		last = strrchr(p, '/');
		v = last ? last + 1 : p;
		if (last && v[0] == 'v' && v[1] && strspn(v + 1, "0123456789") == strlen(v + 1)) {
			*last = '\0';
			last = strrchr(p, '/');
			v = last ? last + 1 : p;
		}
		n = strlen(v);
		snprintf(name, sizeof name, "%.*s", (int)n, v);
		break;
	}
	if (f)
		fclose(f);
	if (!*name) {
		base = strrchr(project_dir, '/');
		snprintf(name, sizeof name, "%s", base && base[1] ? base + 1 : project_dir);
	}
	for (char *c = name; *c; c++)
		if (!isalnum((unsigned char)*c) && !strchr("._-", *c))
			*c = '_';
	return xstrdup(*name ? name : "main");
}

/* The file go build -o writes for buildmode on t: libNAME.so, NAME.dll,
 * libNAME.dylib for c-shared; libNAME.a for c-archive; NAME[.exe] for a
 * program. */
static char *go_output_name(const char *name, const char *mode, const struct triple *t)
{
	int win = !strcmp(t->os_name, "windows");
	int apple = !strcmp(t->os_name, "macos") || !strcmp(t->os_name, "ios");

	if (!strcmp(mode, "c-shared"))
		return win ? xasprintf("%s.dll", name)
			   : xasprintf("lib%s.%s", name, apple ? "dylib" : "so");
	if (!strcmp(mode, "c-archive"))
		return xasprintf("lib%s.a", name);
	return xasprintf("%s%s", name, t->exe_suffix);
}

/* A go build: GOOS/GOARCH/GOARM from the triple, cgo on (unless the
 * environment or env setting says CGO_ENABLED=0), CC and CXX from the
 * settings, -buildmode from buildmode, the output under
 * <target-dir>/<triple>/<profile>/ as cargo lays it out. */
static int prepare_go(struct job *j, const struct target_settings *ts,
		      const char *project_dir, const char *target_dir,
		      struct cb_err *err)
{
	struct triple t;
	struct triple_go g;
	const char *mode = ts->buildmode && *ts->buildmode ? ts->buildmode : "default";
	const char *inherited = strv_getenv(&j->env, "CGO_ENABLED");
	char *cgo;
	const char *cc = ts->cc && *ts->cc ? ts->cc : NULL;
	char *name, *file, *dir, *tdir;
	struct buf flags;

	if (triple_parse(&t, j->triple, err) < 0)
		return -1;
	if (triple_go(&t, &g) < 0)
		return cb_err_set(err, CB_ERR_USAGE, "%s: Go has no port for this "
				  "target (kind = go)", j->triple);
	/* A Rust target's linker is its cross gcc driver, which is what cgo
	 * needs as CC when no cc is set; the host's gcc is never right for
	 * another machine. */
	if (!cc && ts->linker && *ts->linker && !triple_is_host(&t, NULL))
		cc = ts->linker;
	set_env(j, "GOOS", g.goos);
	set_env(j, "GOARCH", g.goarch);
	if (*g.goarm)
		set_env(j, "GOARM", g.goarm);
	/* Said in the header either way, so the log shows what cgo was.  A
	 * copy: setting the variable frees the inherited entry. */
	cgo = inherited && *inherited ? xstrdup(inherited) : NULL;
	set_env(j, "CGO_ENABLED", cgo ? cgo : "1");
	free(cgo);
	if (cc)
		set_env(j, "CC", cc);
	if (ts->cxx && *ts->cxx)
		set_env(j, "CXX", ts->cxx);
	if (ts->cflags.n) {
		buf_init(&flags);
		join_words(&ts->cflags, &flags);
		set_env(j, "CGO_CFLAGS", flags.data);
		buf_fini(&flags);
	}
	if (ts->libpath.n) {
		buf_init(&flags);
		for (size_t i = 0; i < ts->libpath.n; i++)
			buf_printf(&flags, "%s-L%s", i ? " " : "", ts->libpath.v[i]);
		set_env(j, "CGO_LDFLAGS", flags.data);
		buf_fini(&flags);
	}
	if (set_env_entries(j, ts, err) < 0)
		return -1;

	tdir = target_dir ? xstrdup(target_dir) : ts->target_dir ? xstrdup(ts->target_dir)
		: xasprintf("%s/target", project_dir);
	dir = xasprintf("%s/%s/%s", tdir, j->triple, j->profile);
	name = go_module_name(project_dir);
	file = go_output_name(name, mode, &t);
	strv_push(&j->argv, ts->go && *ts->go ? ts->go : "go");
	strv_push(&j->argv, "build");
	strv_pushf(&j->argv, "-buildmode=%s", mode);
	if (ts->features.n) {
		struct buf f;

		buf_init(&f);
		for (size_t i = 0; i < ts->features.n; i++)
			buf_printf(&f, "%s%s", i ? "," : "", ts->features.v[i]);
		strv_pushf(&j->argv, "-tags=%s", f.data);
		buf_fini(&f);
	}
	strv_push(&j->argv, "-o");
	strv_pushf(&j->argv, "%s/%s", dir, file);
	strv_push(&j->argv, ".");
	free(j->go_output);
	j->go_output = xasprintf("%s/%s", dir, file);
	free(j->target_dir);
	j->target_dir = tdir;
	free(name);
	free(file);
	free(dir);
	j->go = 1;
	j->solo = 1;   /* one go build per target: go has no --target list */
	return take_common(j, ts, project_dir);
}

int job_prepare(struct job *j, const struct target_settings *ts,
		const char *project_dir, const char *target_dir,
		char *const base_env[], struct cb_err *err)
{
	char tenv[TRIPLE_MAX], cenv[TRIPLE_MAX], key[TRIPLE_MAX + 64];
	struct buf flags;
	const char *profile = j->profile;

	if (refuse_untrusted(ts, project_dir, err) < 0)
		return -1;
	if (ts->kind == KIND_GO) {
		inherit_env(j, base_env);
		return prepare_go(j, ts, project_dir, target_dir, err);
	}
	triple_cargo_env(j->triple, tenv, sizeof tenv);
	triple_cc_env(j->triple, cenv, sizeof cenv);
	inherit_env(j, base_env);
	/* The global flags would override every target's own flags (cargo
	 * takes RUSTFLAGS before target.<triple>.rustflags). */
	strv_unsetenv(&j->env, "RUSTFLAGS");
	strv_unsetenv(&j->env, "CARGO_ENCODED_RUSTFLAGS");

	strv_push(&j->argv, ts->cargo ? ts->cargo : "cargo");
	if (ts->toolchain && *ts->toolchain)
		strv_pushf(&j->argv, "+%s", ts->toolchain);
	strv_push(&j->argv, "build");
	strv_push(&j->argv, "--target");
	strv_push(&j->argv, j->triple);
	strv_push(&j->argv, "--message-format=json-diagnostic-rendered-ansi");
	strv_push(&j->argv, "--color=always");
	if (!strcmp(profile, "release")) {
		strv_push(&j->argv, "--release");
	} else if (strcmp(profile, "dev") && strcmp(profile, "debug")) {
		strv_push(&j->argv, "--profile");
		strv_push(&j->argv, profile);
	}
	if (ts->features.n) {
		struct buf f;

		buf_init(&f);
		join_words(&ts->features, &f);
		strv_push(&j->argv, "--features");
		strv_push(&j->argv, f.data);
		buf_fini(&f);
	}

	if (ts->rustc && *ts->rustc)
		set_env(j, "RUSTC", ts->rustc);
	if (ts->cc && *ts->cc) {
		snprintf(key, sizeof key, "CC_%s", cenv);
		set_env(j, key, ts->cc);
	}
	if (ts->cxx && *ts->cxx) {
		snprintf(key, sizeof key, "CXX_%s", cenv);
		set_env(j, key, ts->cxx);
	}
	if (ts->ar && *ts->ar) {
		snprintf(key, sizeof key, "AR_%s", cenv);
		set_env(j, key, ts->ar);
	}
	if (ts->cflags.n) {
		buf_init(&flags);
		join_words(&ts->cflags, &flags);
		snprintf(key, sizeof key, "CFLAGS_%s", cenv);
		set_env(j, key, flags.data);
		buf_fini(&flags);
	}
	if (ts->linker && *ts->linker) {
		snprintf(key, sizeof key, "CARGO_TARGET_%s_LINKER", tenv);
		set_env(j, key, ts->linker);
	}
	buf_init(&flags);
	for (size_t i = 0; i < ts->rustflags.n; i++) {
		if (has_space(ts->rustflags.v[i])) {
			buf_fini(&flags);
			return cb_err_set(err, CB_ERR_USAGE,
				"%s: rustflags word '%s' has a space, which "
				"CARGO_TARGET_%s_RUSTFLAGS cannot carry",
				j->triple, ts->rustflags.v[i], tenv);
		}
		if (flags.len)
			buf_putc(&flags, ' ');
		buf_puts(&flags, ts->rustflags.v[i]);
	}
	for (size_t i = 0; i < ts->libpath.n; i++) {
		if (has_space(ts->libpath.v[i])) {
			buf_fini(&flags);
			return cb_err_set(err, CB_ERR_USAGE,
				"%s: libpath '%s' has a space, which "
				"CARGO_TARGET_%s_RUSTFLAGS cannot carry",
				j->triple, ts->libpath.v[i], tenv);
		}
		buf_printf(&flags, "%s-L %s", flags.len ? " " : "", ts->libpath.v[i]);
	}
	if (flags.len) {
		snprintf(key, sizeof key, "CARGO_TARGET_%s_RUSTFLAGS", tenv);
		set_env(j, key, flags.data);
	}
	buf_fini(&flags);
	if (ts->runner.n) {
		buf_init(&flags);
		join_words(&ts->runner, &flags);
		snprintf(key, sizeof key, "CARGO_TARGET_%s_RUNNER", tenv);
		set_env(j, key, flags.data);
		buf_fini(&flags);
	}
	if (set_env_entries(j, ts, err) < 0)
		return -1;
	free(j->target_dir);
	j->target_dir = NULL;
	if (target_dir || ts->target_dir) {
		j->target_dir = xstrdup(target_dir ? target_dir : ts->target_dir);
		set_env(j, "CARGO_TARGET_DIR", j->target_dir);
	}
	return take_common(j, ts, project_dir);
}

void job_make_remote(struct job *j, const struct remote_host *h,
		     const char *project_dir)
{
	struct remote_request *r = xcalloc(1, sizeof *r);
	char *tdir = xasprintf("target/crossbench/build/%s", j->triple);

	remote_request_init(r);
	remote_host_fini(&r->host);
	remote_host_copy(&r->host, h);
	r->base = remote_sync_base(project_dir, &r->rel);
	if (!r->host.dir || !*r->host.dir) {
		free(r->host.dir);
		r->host.dir = remote_default_dir(r->base);
	}
	/* Per profile: a dev and a release build each keep their own. */
	r->fetch_dir = xasprintf("%s/target/crossbench/%s/%s", project_dir, j->triple,
				 j->profile);
	/* Its own directory there, as under the split strategy: builds of
	 * two targets on one host never wait on each other's lock.  A local
	 * target-dir means nothing there. */
	strv_unsetenv(&j->setenv, "CARGO_TARGET_DIR");
	strv_setenv(&j->setenv, "CARGO_TARGET_DIR", tdir);
	free(tdir);
	free(j->target_dir);
	j->target_dir = NULL;
	strv_unsetenv(&j->env, "CARGO_TARGET_DIR");
	for (size_t i = 0; i < j->setenv.n; i++)
		strv_push(&r->env, j->setenv.v[i]);
	for (size_t i = 0; i < j->argv.n; i++)
		strv_push(&r->argv, j->argv.v[i]);
	if (j->remote) {
		remote_request_fini(j->remote);
		free(j->remote);
	}
	j->remote = r;
	j->solo = 1;   /* its own cargo, on its own machine */
}

static int is_wine(const char *prog)
{
	const char *base = strrchr(prog, '/');

	return !strncmp(base ? base + 1 : prog, "wine", 4);
}

int job_prepare_smoke(struct job *j, const struct target_settings *ts,
		      const char *project_dir, const char *binary,
		      char *const base_env[], struct cb_err *err)
{
	if (refuse_untrusted(ts, project_dir, err) < 0)
		return -1;
	j->kind = JOB_SMOKE;
	inherit_env(j, base_env);
	for (size_t i = 0; i < ts->runner.n; i++)
		strv_push(&j->argv, ts->runner.v[i]);
	strv_push(&j->argv, binary);
	if (ts->origin[CONFIG_SMOKE] == CONFIG_LEVEL_BUILTIN)
		strv_push(&j->argv, "--version");
	else
		for (size_t i = 0; i < ts->smoke.n; i++)
			strv_push(&j->argv, ts->smoke.v[i]);
	if (ts->runner.n && is_wine(ts->runner.v[0])) {
		/* fixme lines are wine's own to-do list, not the program's
		 * trouble; err lines (a DLL not found) stay. */
		if (!strv_getenv(&j->env, "WINEDEBUG"))
			set_env(j, "WINEDEBUG", "fixme-all");
		if (!strv_getenv(&j->env, "WINEDLLOVERRIDES"))
			set_env(j, "WINEDLLOVERRIDES", "mscoree,mshtml=");
	}
	if (set_env_entries(j, ts, err) < 0)
		return -1;
	free(j->subject);
	j->subject = xstrdup(binary);
	j->timeout_s = ts->origin[CONFIG_SMOKE_TIMEOUT] == CONFIG_LEVEL_BUILTIN
			       ? JOB_SMOKE_TIMEOUT_S : ts->smoke_timeout_s;
	free(j->cwd);
	j->cwd = xstrdup(project_dir);
	return 0;
}

void job_smoke_summary(const struct job *j, struct buf *out)
{
	int st = j->wait_status;

	if (!job_state_final(j->state))
		buf_puts(out, job_state_name(j->state));
	else if (j->error)
		buf_printf(out, "did not start: %s", j->error);
	else if (j->state == JOB_TIMEOUT)
		buf_printf(out, "timed out after %d s", j->timeout_s);
	else if (j->state == JOB_CANCELLED)
		buf_puts(out, "cancelled");
	else if (j->reaped && WIFSIGNALED(st))
		buf_printf(out, "killed by signal %d (%s)", WTERMSIG(st),
			   strsignal(WTERMSIG(st)));
	else
		buf_printf(out, "exited %d", j->exit_code);
}

/* A line the runner printed, not the program: wine's "wine: ..." and its
 * debug channels ("002c:err:winediag:..."). */
static int is_runner_chatter(const char *l)
{
	size_t hex = strspn(l, "0123456789abcdef");

	if (!strncmp(l, "wine: ", 6))
		return 1;
	return hex >= 4 && l[hex] == ':' &&
	       (!strncmp(l + hex + 1, "err:", 4) || !strncmp(l + hex + 1, "fixme:", 6) ||
		!strncmp(l + hex + 1, "warn:", 5) || !strncmp(l + hex + 1, "trace:", 6));
}

int job_smoke_first_line(const struct job *j, struct buf *out)
{
	uint64_t n = j->log ? logstore_lines(j->log) : 0;
	struct buf b;
	int rc = -1;

	buf_init(&b);
	for (uint64_t i = 0; i < n && rc < 0; i++) {
		uint64_t len;

		buf_reset(&b);
		if (logstore_read_line(j->log, i, 0, 4096, &b, &len) < 0)
			break;
		if (!b.len || !strncmp(b.data, "crossbench: ", 12) || is_runner_chatter(b.data))
			continue;
		buf_append(out, b.data, b.len);
		rc = 0;
	}
	buf_fini(&b);
	return rc;
}

/* Quote a word for the log header the way a shell would need it. */
static void put_shell_word(struct buf *b, const char *w)
{
	if (*w && !strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~")) {
		buf_puts(b, w);
		return;
	}
	buf_putc(b, '\'');
	for (; *w; w++) {
		if (*w == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *w);
	}
	buf_putc(b, '\'');
}

static void log_text(struct job *j, const char *text, size_t n)
{
	if (!n || !j->log)
		return;
	/* A full disk must not stop the build; the bytes are lost. */
	logstore_append(j->log, text, n, NULL);
	if (j->on_text)
		j->on_text(j->on_text_ctx, j, text, n);
}

static void log_printf(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void log_printf(struct job *j, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	log_text(j, b.data, b.len);
	buf_fini(&b);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static int open_logs(struct job *j, const char *log_dir, struct cb_err *err)
{
	char stamp[32];
	struct timespec now;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &now);
	localtime_r(&now.tv_sec, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	free(j->log_path);
	free(j->json_path);
	/* Milliseconds keep two builds in the same second apart. */
	j->log_path = xasprintf("%s/%s-%s%s-%s.%03ld.log", log_dir, j->triple,
				j->profile, j->kind == JOB_SMOKE ? "-smoke" : "",
				stamp, now.tv_nsec / 1000000L);
	j->log = logstore_create(j->log_path, err);
	if (!j->log)
		return -1;
	/* A smoke run prints text, not cargo's JSON. */
	if (j->kind == JOB_SMOKE)
		return 0;
	j->json_path = xasprintf("%.*s.json", (int)strlen(j->log_path) - 4,
				 j->log_path);
	j->json_fd = open(j->json_path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND |
			  O_CLOEXEC, 0644);
	if (j->json_fd < 0)
		return cb_err_sys(err, "%s", j->json_path);
	return 0;
}

/* The directory cargo's output for j goes to, run as cmd (a member's is
 * its leader's): the target-dir, CARGO_TARGET_DIR, or <cwd>/target. */
static char *out_dir(const struct job *j, const struct job *cmd)
{
	const char *d = cmd->target_dir ? cmd->target_dir : strv_getenv(&cmd->env, "CARGO_TARGET_DIR");

	return d ? xstrdup(d) : xasprintf("%s/target", j->cwd);
}

/* Whether a variable crossbench sets can change what a build script
 * does: all but the runner, the directory and the profile overrides. */
static int reaches_scripts(const char *kv)
{
	size_t kl = strcspn(kv, "=");

	if (!strncmp(kv, "CARGO_TARGET_DIR=", 17) || !strncmp(kv, "CARGO_PROFILE_", 14))
		return 0;
	return !(kl > 7 && !strncmp(kv + kl - 7, "_RUNNER", 7) && !strncmp(kv, "CARGO_TARGET_", 13));
}

/* The package of a record directory of cargo's .fingerprint/ ("ring"
 * of "ring-3f2a..."), malloc'd, or NULL for "." and names without one. */
static char *record_package(const char *name)
{
	const char *dash = strrchr(name, '-');

	return name[0] != '.' && dash ? xstrndup(name, (size_t)(dash - name)) : NULL;
}

/* The packages in fp (a .fingerprint/ directory) that have a build
 * script: a record directory holding a run-build-script-* file. */
static void packages_with_scripts(const char *fp, struct strv *out)
{
	DIR *d = opendir(fp);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char *name = record_package(e->d_name);
		char *sub = xasprintf("%s/%s", fp, e->d_name);
		DIR *sd = name ? opendir(sub) : NULL;
		struct dirent *x;

		while (sd && (x = readdir(sd)))
			if (!strncmp(x->d_name, "run-build-script-", 17)) {
				if (!strv_has(out, name))
					strv_push(out, name);
				break;
			}
		if (sd)
			closedir(sd);
		free(sub);
		free(name);
	}
	if (d)
		closedir(d);
}

/* Remove every record of the packages in pkgs from fp; returns how many
 * files went. */
static size_t remove_records(const char *fp, const struct strv *pkgs)
{
	DIR *d = pkgs->n ? opendir(fp) : NULL;
	struct dirent *e;
	size_t removed = 0;

	while (d && (e = readdir(d))) {
		char *name = record_package(e->d_name);

		if (name && strv_has(pkgs, name)) {
			char *sub = xasprintf("%s/%s", fp, e->d_name);
			DIR *sd = opendir(sub);
			struct dirent *x;

			while (sd && (x = readdir(sd)))
				if (x->d_name[0] != '.') {
					char *rm = xasprintf("%s/%s", sub, x->d_name);

					removed += unlink(rm) == 0;
					free(rm);
				}
			if (sd)
				closedir(sd);
			rmdir(sub);
			free(sub);
		}
		free(name);
	}
	if (d)
		closedir(d);
	return removed;
}

/* Build scripts are run again only when what they declare changes, and
 * old cc-rs (Debian 12's 1.0.73) declares none of CC_<t>, CXX_<t>,
 * CFLAGS_<t>, CXXSTDLIB_<t>: a fixed setting would meet the output of the
 * build script that ran with the old one.  So when the variables
 * crossbench sets for a target and profile differ from those of the last
 * build in this directory (a stamp beside cargo's output), cargo's records
 * of the packages that have build scripts are removed, and cargo builds
 * them (and what depends on them) again. */
static void refresh_build_scripts(struct job *j, const struct job *cmd)
{
	char *dir, *pdir, *stamp, *fp;
	const char *prof = !strcmp(j->profile, "dev") ? "debug" : j->profile;
	struct sha256 h;
	char hex[65], old[65] = "";
	FILE *f;
	size_t removed = 0;

	if (j->kind != JOB_BUILD || j->remote || j->members || cmd->go)
		return;
	dir = out_dir(j, cmd);
	pdir = xasprintf("%s/%s/%s", dir, j->triple, prof);
	stamp = xasprintf("%s/.crossbench-script-env", pdir);
	fp = xasprintf("%s/.fingerprint", pdir);
	sha256_init(&h);
	for (size_t i = 0; i < j->setenv.n; i++)
		if (reaches_scripts(j->setenv.v[i]))
			sha256_update(&h, j->setenv.v[i], strlen(j->setenv.v[i]) + 1);
	sha256_hex(&h, hex);
	if ((f = fopen(stamp, "r"))) {
		if (!fgets(old, sizeof old, f))
			old[0] = '\0';
		fclose(f);
	}
	/* A directory built before (or without a stamp): every package with
	 * a build script is built again, its script run first.  Removing the
	 * run record alone is not enough: its new record would hash the same
	 * inputs, and the package's own units would stay fresh. */
	if (strcmp(old, hex)) {
		struct strv pkgs;

		strv_init(&pkgs);
		packages_with_scripts(fp, &pkgs);
		removed = remove_records(fp, &pkgs);
		strv_fini(&pkgs);
	}
	if (strcmp(old, hex) && paths_mkdir_p(pdir) == 0 && (f = fopen(stamp, "w"))) {
		fputs(hex, f);
		fclose(f);
	}
	if (removed)
		log_printf(j, "crossbench: the variables build scripts read changed "
			   "since the last build here: the packages with build "
			   "scripts are built again\n");
	free(dir);
	free(pdir);
	free(stamp);
	free(fp);
}

/* The log's first lines: what builds, where, and the command that runs
 * (cmd's: a member's is its leader's). */
static void write_header(struct job *j, const struct job *cmd)
{
	struct buf b;

	buf_init(&b);
	if (j->cause)
		buf_puts(&b, j->cause);
	if (j->kind == JOB_SMOKE)
		buf_printf(&b, "crossbench: smoke run of %s (%s): %s\n", j->triple,
			   j->profile, j->subject);
	else if (cmd->remote)
		buf_printf(&b, "crossbench: %s (%s) on %s in %s%s%s, copied from %s\n",
			   j->triple, j->profile, cmd->remote->host.name ? cmd->remote->host.name
			   : cmd->remote->host.dest, cmd->remote->host.dir,
			   *cmd->remote->rel ? "/" : "", cmd->remote->rel, cmd->remote->base);
	else
		buf_printf(&b, "crossbench: %s (%s) in %s\n", j->triple, j->profile, j->cwd);
	if (cmd != j)
		buf_printf(&b, "crossbench: built in one cargo with %zu targets\n",
			   cmd->nmembers);
	buf_puts(&b, "crossbench: $");
	for (size_t i = 0; i < cmd->setenv.n; i++) {
		buf_putc(&b, ' ');
		put_shell_word(&b, cmd->setenv.v[i]);
	}
	for (size_t i = 0; i < cmd->argv.n; i++) {
		buf_putc(&b, ' ');
		put_shell_word(&b, cmd->argv.v[i]);
	}
	buf_putc(&b, '\n');
	/* A shared build's header stays in its own log: each member has
	 * written its own. */
	if (j->members && j->log)
		logstore_append(j->log, b.data, b.len, NULL);
	else
		log_text(j, b.data, b.len);
	buf_fini(&b);
	if (j->prelude)
		log_text(j, j->prelude, strlen(j->prelude));
}

void job_append(struct job *j, const char *text, size_t n)
{
	log_text(j, text, n);
}

void job_set_target_dir(struct job *j, const char *dir)
{
	free(j->target_dir);
	j->target_dir = xstrdup(dir);
	set_env(j, "CARGO_TARGET_DIR", dir);
}

int job_start_member(struct job *j, const char *log_dir, struct cb_err *err)
{
	if (open_logs(j, log_dir, err) < 0)
		return -1;
	write_header(j, j->leader ? j->leader : j);
	refresh_build_scripts(j, j->leader ? j->leader : j);
	clock_gettime(CLOCK_MONOTONIC, &j->t_start);
	clock_gettime(CLOCK_REALTIME, &j->wall_start);
	j->pid = 0;
	j->state = JOB_RUNNING;
	return 0;
}

void job_settle_member(struct job *j, const struct job *leader)
{
	if (job_state_final(j->state))
		return;
	j->reaped = 1;
	j->wait_status = leader->wait_status;
	if (leader->error && !j->error)
		j->error = xstrdup(leader->error);
	if (!j->cancel_reason)
		j->cancel_reason = leader->cancel_reason;
	j->timeout_s = leader->timeout_s;
	job_settle(j);
	j->exit_code = leader->exit_code;
}

void job_drop_log(struct job *j)
{
	if (!job_state_final(j->state))
		return;
	logstore_free(j->log);
	j->log = NULL;
	if (j->json_fd >= 0)
		close(j->json_fd);
	j->json_fd = -1;
}

void job_requeue_solo(struct job *j, const char *note)
{
	if (j->json_fd >= 0)
		close(j->json_fd);
	j->json_fd = -1;
	logstore_free(j->log);
	j->log = NULL;
	free(j->log_path);
	free(j->json_path);
	j->log_path = j->json_path = NULL;
	free(j->prelude);
	j->prelude = note ? xstrdup(note) : NULL;
	strv_fini(&j->artifacts);
	strv_init(&j->artifacts);
	j->units = 0;
	j->leader = NULL;
	j->solo = 1;
	j->pid = -1;
	j->reaped = 0;
	j->wait_status = 0;
	j->cancel_reason = 0;
	j->state = JOB_QUEUED;
}

/* exec said ENOENT for a program that is there: its interpreter (the
 * dynamic loader PT_INTERP names) is what is missing. */
static char *loader_error(const char *path)
{
	struct artifact a;
	char *msg;

	if (artifact_inspect(path, &a, NULL) == 0 && a.interpreter)
		msg = xasprintf("%s: its dynamic loader %s is not on this machine",
				path, a.interpreter);
	else
		msg = xasprintf("%s: its dynamic loader is not on this machine", path);
	artifact_fini(&a);
	return msg;
}

int job_start(struct job *j, struct jobserver *js, const char *log_dir,
	      struct cb_err *err)
{
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, execp[2] = { -1, -1 };
	int msg[2] = { 0, 0 };
	ssize_t n;
	struct strv run;   /* what runs here */

	if (open_logs(j, log_dir, err) < 0)
		return -1;
	/* A build elsewhere has the host's CPUs, not our slots. */
	if (j->remote)
		js = NULL;
	if (js && j->kind == JOB_BUILD)
		jobserver_env(js, &j->env);
	write_header(j, j);
	refresh_build_scripts(j, j);
	strv_init(&run);
	if (j->remote) {
		char self[4096];
		ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);

		self[l > 0 ? l : 0] = '\0';
		/* A binary replaced since it started is still its own inode. */
		if (l <= 0 || strstr(self, " (deleted)"))
			snprintf(self, sizeof self, "/proc/self/exe");
		strv_push(&run, self);
		strv_push(&run, "remote-run");
		remote_request_words(j->remote, &run);
	} else {
		for (size_t i = 0; i < j->argv.n; i++)
			strv_push(&run, j->argv.v[i]);
	}
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(execp, O_CLOEXEC) < 0) {
		cb_err_sys(err, "pipe");
		goto fail;
	}
	clock_gettime(CLOCK_MONOTONIC, &j->t_start);
	clock_gettime(CLOCK_REALTIME, &j->wall_start);
	j->pid = fork();
	if (j->pid < 0) {
		cb_err_sys(err, "fork");
		goto fail;
	}
	if (j->pid == 0) {
		int devnull = open("/dev/null", O_RDONLY);

		setpgid(0, 0);
		signals_reset_child();
		if (devnull >= 0)
			dup2(devnull, 0);
		dup2(outp[1], 1);
		dup2(errp[1], 2);
		if (js && j->kind == JOB_BUILD)
			jobserver_child_setup(js);
		if (chdir(j->cwd) < 0) {
			msg[0] = 1;
			msg[1] = errno;
			(void)!write(execp[1], msg, sizeof msg);
			_exit(127);
		}
		proc_exec(strv_argv(&run), strv_argv(&j->env));
		msg[1] = errno;
		(void)!write(execp[1], msg, sizeof msg);
		_exit(127);
	}
	/* Both sides set the group, so a cancel right after fork finds it. */
	setpgid(j->pid, j->pid);
	close(outp[1]);
	close(errp[1]);
	close(execp[1]);
	do
		n = read(execp[0], msg, sizeof msg);
	while (n < 0 && errno == EINTR);
	close(execp[0]);
	strv_fini(&run);
	j->out_fd = outp[0];
	j->err_fd = errp[0];
	set_nonblock(j->out_fd);
	set_nonblock(j->err_fd);
	j->state = JOB_RUNNING;
	if (n == (ssize_t)sizeof msg) {
		if (msg[0] == 1)
			j->error = xasprintf("cannot enter %s: %s", j->cwd,
					     strerror(msg[1]));
		else if (msg[1] == ENOENT && j->kind == JOB_SMOKE &&
			 !strcmp(j->argv.v[0], j->subject) && access(j->subject, F_OK) == 0)
			j->error = loader_error(j->subject);
		else if (msg[1] == ENOENT)
			j->error = xasprintf("%s: not found", j->argv.v[0]);
		else
			j->error = xasprintf("%s: %s", j->argv.v[0], strerror(msg[1]));
		log_printf(j, "crossbench: %s\n", j->error);
	}
	return 0;

fail:
	strv_fini(&run);
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0) close(outp[i]);
		if (errp[i] >= 0) close(errp[i]);
		if (execp[i] >= 0) close(execp[i]);
	}
	j->pid = -1;
	return -1;
}

static int is_workspace_package(json_t *msg)
{
	const char *id = json_string_value(json_object_get(msg, "package_id"));

	/* cargo 1.65: "name 0.1.0 (path+file:///...)"; newer cargo:
	 * "path+file:///...#name@0.1.0".  Registry and git packages are
	 * dependencies, whose libraries are not the project's artifacts. */
	return id && strstr(id, "path+file://") != NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t sl = strlen(s), xl = strlen(suffix);

	return sl >= xl && !strcmp(s + sl - xl, suffix);
}

static size_t artifacts_of(json_t *msg, struct strv *out)
{
	json_t *target = json_object_get(msg, "target");
	json_t *kinds = json_object_get(target, "kind");
	json_t *exe = json_object_get(msg, "executable");
	json_t *files = json_object_get(msg, "filenames");
	size_t i;
	json_t *v;
	int linkable = 0;
	size_t n = 0;

	if (!is_workspace_package(msg))
		return 0;
	json_array_foreach(kinds, i, v) {
		const char *k = json_string_value(v);

		if (k && (!strcmp(k, "cdylib") || !strcmp(k, "dylib") ||
			  !strcmp(k, "staticlib")))
			linkable = 1;
		if (k && !strcmp(k, "custom-build"))
			return 0;
	}
	if (json_is_string(exe)) {
		strv_push(out, json_string_value(exe));
		return 1;
	}
	if (!linkable)
		return 0;
	json_array_foreach(files, i, v) {
		const char *f = json_string_value(v);

		if (f && !ends_with(f, ".rlib") && !ends_with(f, ".rmeta") &&
		    !ends_with(f, ".d") && !ends_with(f, ".pdb")) {
			strv_push(out, f);
			n++;
		}
	}
	return n;
}

size_t job_line_artifacts(const char *line, size_t len, struct strv *out)
{
	json_t *msg;
	const char *reason;
	size_t n = 0;

	if (!len || line[0] != '{')
		return 0;
	msg = json_loadb(line, len, 0, NULL);
	reason = json_string_value(json_object_get(msg, "reason"));
	if (reason && !strcmp(reason, "compiler-artifact"))
		n = artifacts_of(msg, out);
	json_decref(msg);
	return n;
}

static void take_artifacts(struct job *j, json_t *msg)
{
	struct strv found;

	strv_init(&found);
	artifacts_of(msg, &found);
	for (size_t i = 0; i < found.n; i++) {
		/* A build elsewhere: the copy remote-run brings back. */
		if (j->remote) {
			char *here = remote_local_artifact(j->remote->fetch_dir, found.v[i]);

			strv_push(&j->artifacts, here);
			free(here);
		} else {
			strv_push(&j->artifacts, found.v[i]);
		}
	}
	strv_fini(&found);
}

/* One complete line of cargo's stdout. */
static void stdout_line(struct job *j, const char *line, size_t len)
{
	json_t *msg;
	const char *reason;

	if (len == 0 || line[0] != '{') {
		log_text(j, line, len);
		log_text(j, "\n", 1);
		return;
	}
	msg = json_loadb(line, len, 0, NULL);
	reason = json_string_value(json_object_get(msg, "reason"));
	if (!msg || !reason) {
		/* Not cargo's JSON: show it as text. */
		log_text(j, line, len);
		log_text(j, "\n", 1);
	} else if (!strcmp(reason, "compiler-message")) {
		json_t *m = json_object_get(msg, "message");
		const char *r = json_string_value(json_object_get(m, "rendered"));

		if (r)
			log_text(j, r, strlen(r));
	} else if (!strcmp(reason, "compiler-artifact")) {
		j->units++;
		take_artifacts(j, msg);
	} else if (!strcmp(reason, "build-finished")) {
		j->build_finished = 1;
		j->build_success = json_is_true(json_object_get(msg, "success"));
	}
	json_decref(msg);
}

void job_split_lines(struct buf *line, int *skip, const char *p, size_t n,
		     void (*each)(void *ctx, const char *l, size_t len, int too_long),
		     void *ctx)
{
	const char *end = p + n;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t chunk = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!*skip) {
			if (line->len + chunk > JOB_MAX_JSON_LINE) {
				*skip = 1;
				buf_fini(line);
			} else {
				buf_append(line, p, chunk);
			}
		}
		if (!nl)
			break;
		each(ctx, line->data ? line->data : "", line->len, *skip);
		buf_reset(line);
		*skip = 0;
		p = nl + 1;
	}
}

static void stdout_each(void *ctx, const char *l, size_t len, int too_long)
{
	struct job *j = ctx;

	if (!too_long)
		stdout_line(j, l, len);
	else
		log_printf(j, "crossbench: (a cargo message over %u MiB "
			   "is only in %s)\n", JOB_MAX_JSON_LINE >> 20,
			   j->json_path);
}

static void stdout_bytes(struct job *j, const char *p, size_t n)
{
	job_split_lines(&j->out_line, &j->out_line_skip, p, n, stdout_each, j);
}

int job_read(struct job *j, int fd)
{
	char tmp[65536];
	ssize_t n;

	do
		n = read(fd, tmp, sizeof tmp);
	while (n < 0 && errno == EINTR);
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n > 0) {
		if (fd == j->out_fd && j->kind == JOB_BUILD && !j->go) {
			if (j->json_fd >= 0)
				(void)!write(j->json_fd, tmp, (size_t)n);
			for (size_t i = 0; i < j->nmembers; i++)
				if (j->members[i]->json_fd >= 0)
					(void)!write(j->members[i]->json_fd, tmp, (size_t)n);
			stdout_bytes(j, tmp, (size_t)n);
		} else {
			log_text(j, tmp, (size_t)n);
		}
		return 0;
	}
	/* EOF or error: this stream is done. */
	if (fd == j->out_fd) {
		if (j->out_line.len && !j->out_line_skip)
			stdout_line(j, j->out_line.data, j->out_line.len);
		buf_reset(&j->out_line);
		j->out_fd = -1;
	} else {
		j->err_fd = -1;
	}
	close(fd);
	return 1;
}

void job_close_pipes(struct job *j)
{
	if (j->out_fd >= 0) {
		if (j->out_line.len && !j->out_line_skip)
			stdout_line(j, j->out_line.data, j->out_line.len);
		buf_reset(&j->out_line);
		close(j->out_fd);
		j->out_fd = -1;
	}
	if (j->err_fd >= 0) {
		close(j->err_fd);
		j->err_fd = -1;
	}
}

int job_reaped(struct job *j, int status)
{
	j->reaped = 1;
	j->wait_status = status;
	return job_settle(j);
}

int job_settle(struct job *j)
{
	int st = j->wait_status;

	if (!j->reaped || j->out_fd >= 0 || j->err_fd >= 0 ||
	    job_state_final(j->state))
		return job_state_final(j->state);
	clock_gettime(CLOCK_MONOTONIC, &j->t_end);
	clock_gettime(CLOCK_REALTIME, &j->wall_end);
	if (WIFEXITED(st))
		j->exit_code = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		j->exit_code = 128 + WTERMSIG(st);
	if (j->error)
		j->state = JOB_FAILED;
	else if (j->cancel_reason)
		j->state = (enum job_state)j->cancel_reason;
	else if (j->remote && j->exit_code == REMOTE_UNREACHABLE)
		j->state = JOB_UNREACHABLE;
	else
		j->state = j->exit_code == 0 ? JOB_PASSED : JOB_FAILED;
	/* go build says nothing of what it wrote: the file it was told to. */
	if (j->go && j->state == JOB_PASSED && j->go_output &&
	    access(j->go_output, F_OK) == 0 && !strv_has(&j->artifacts, j->go_output))
		strv_push(&j->artifacts, j->go_output);
	if (j->json_fd >= 0) {
		close(j->json_fd);
		j->json_fd = -1;
	}
	if (j->state == JOB_TIMEOUT)
		log_printf(j, "crossbench: stopped after the %d s timeout\n",
			   j->timeout_s);
	else if (j->state == JOB_CANCELLED)
		log_printf(j, "crossbench: cancelled\n");
	if (j->kind == JOB_SMOKE) {
		struct buf b;

		buf_init(&b);
		job_smoke_summary(j, &b);
		log_printf(j, "crossbench: smoke run %s: %s, %.1f s\n",
			   job_state_name(j->state), b.data, job_seconds(j));
		buf_fini(&b);
		return 1;
	}
	log_printf(j, "crossbench: %s, exit status %d, %.1f s\n",
		   job_state_name(j->state), j->exit_code, job_seconds(j));
	return 1;
}

void job_cancel(struct job *j, enum job_state reason)
{
	if (j->state == JOB_QUEUED) {
		j->state = reason;
		return;
	}
	if (j->state != JOB_RUNNING || j->reaped)
		return;
	/* The grace before SIGKILL runs from the first request: asking again
	 * must not put the kill off. */
	if (!j->cancel_reason) {
		j->cancel_reason = (int)reason;
		clock_gettime(CLOCK_MONOTONIC, &j->t_kill);
	}
	/* A member of a shared build has no group of its own (pid 0 would
	 * be ours): its leader is the one to stop. */
	if (j->pid > 0)
		kill(-j->pid, SIGTERM);
}

void job_kill(struct job *j)
{
	if (j->pid > 0 && !j->reaped)
		kill(-j->pid, SIGKILL);
}

static double ts_diff(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	       (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

double job_seconds(const struct job *j)
{
	struct timespec now;

	if (j->state == JOB_QUEUED || j->pid < 0)
		return 0;
	if (job_state_final(j->state))
		return ts_diff(&j->t_start, &j->t_end);
	clock_gettime(CLOCK_MONOTONIC, &now);
	return ts_diff(&j->t_start, &now);
}

/* A library go build -buildmode=c-shared (or c-archive) wrote comes with
 * the header declaring its //export functions, beside it with .h for its
 * extension: each must be exported.  A header that cannot be read is a
 * warning; a program has none. */
static void check_go_header(struct artifact *a, const char *path)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char *h;
	struct strv names;
	struct cb_err err;

	if (a->kind != ARTIFACT_KIND_SHARED && a->kind != ARTIFACT_KIND_ARCHIVE)
		return;
	if (!dot || (slash && dot < slash))
		return;
	h = xasprintf("%.*s.h", (int)(dot - path), path);
	strv_init(&names);
	if (cgo_header_exports(h, &names, &err) == 0)
		artifact_check_exports(a, &names, slash ? strrchr(h, '/') + 1 : h);
	else if (access(h, F_OK) == 0)
		artifact_add_warning(a, err.msg);
	strv_fini(&names);
	free(h);
}

void job_check_artifacts(struct job *j)
{
	struct triple t;
	int have_triple = triple_parse(&t, j->triple, NULL) == 0;

	for (size_t i = 0; i < j->nchecks; i++)
		artifact_fini(&j->checks[i]);
	free(j->checks);
	j->checks = xcalloc(j->artifacts.n ? j->artifacts.n : 1, sizeof *j->checks);
	j->nchecks = j->artifacts.n;
	for (size_t i = 0; i < j->artifacts.n; i++) {
		/* An unreadable file still gets its record: the reader says
		 * why in a finding. */
		artifact_inspect(j->artifacts.v[i], &j->checks[i], NULL);
		artifact_check(&j->checks[i], have_triple ? &t : NULL, j->glibc_max);
		if (j->go)
			check_go_header(&j->checks[i], j->artifacts.v[i]);
	}
}

int job_artifacts_ok(const struct job *j)
{
	for (size_t i = 0; i < j->nchecks; i++)
		if (j->checks[i].matches == ARTIFACT_NO)
			return 0;
	return 1;
}
