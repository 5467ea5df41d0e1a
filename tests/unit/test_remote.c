/* test_remote.c - build hosts (remote.h) without a network: host
 * settings good and bad, shell quoting that /bin/sh reads back word for
 * word, the command a host runs (run here by /bin/sh: its exit status,
 * 255 kept for ssh, the directory it cannot enter, and the process group
 * ended when its stdin closes), the rsync filters with the real rsync on
 * a local tree, the request's words both ways and the artifact mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "proc.h"
#include "remote.h"

static char dir[256];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "%s/cb-remote-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[400];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void spec_ok(const char *spec, const char *dest, int port)
{
	struct cb_err err;
	char *d;
	int p;

	if (remote_parse_spec(spec, &d, &p, &err) < 0)
		fail_msg("%s: %s", spec, err.msg);
	assert_string_equal(d, dest);
	assert_int_equal(p, port);
	free(d);
}

static void spec_bad(const char *spec, const char *part)
{
	struct cb_err err;
	char *d;
	int p;

	if (remote_parse_spec(spec, &d, &p, &err) == 0)
		fail_msg("'%s' was taken as %s:%d", spec, d, p);
	if (!strstr(err.msg, part))
		fail_msg("'%s': '%s' lacks '%s'", spec, err.msg, part);
	assert_null(d);
}

static void test_spec(void **state)
{
	(void)state;
	spec_ok("mac", "mac", 0);
	spec_ok("me@mac-mini.local", "me@mac-mini.local", 0);
	spec_ok("build_1@10.0.0.7:2222", "build_1@10.0.0.7", 2222);
	spec_ok("[fe80::1%eth0]:22", "fe80::1%eth0", 22);
	spec_ok("me@[::1]", "me@::1", 0);
	spec_bad("", "needs a machine");
	spec_bad("-oProxyCommand=x", "cannot start with '-'");
	spec_bad("me@-o", "cannot start with '-'");
	spec_bad("@mac", "no user");
	spec_bad("mac:0", "1 to 65535");
	spec_bad("mac:65536", "1 to 65535");
	spec_bad("mac:22x", "1 to 65535");
	spec_bad("mac:", "1 to 65535");
	spec_bad("m ac", "' ' is not allowed");
	spec_bad("mac;rm", "';' is not allowed");
	spec_bad("a b@mac", "user name");
	spec_bad("[::1", "no ']'");
	spec_bad("[::1]x", "after ']'");
}

/* Run text with /bin/sh -c; its stdout into out; returns the status. */
static int sh(const char *text, struct buf *out)
{
	char *argv[] = { "/bin/sh", "-c", (char *)text, NULL };
	struct proc_result r;
	struct cb_err err;
	int st;

	proc_result_init(&r);
	assert_int_equal(proc_capture(argv, NULL, NULL, 20000, &r, &err), 0);
	if (out && r.out.data)
		buf_append(out, r.out.data, r.out.len);
	st = r.exited ? r.status : 128 + r.status;
	proc_result_fini(&r);
	return st;
}

static void test_quote(void **state)
{
	static const char *const words[] = {
		"plain", "a b", "it's", "'", "", "$HOME", "`id`", "a\\b", "x;y", "\"q\"",
		"tab\there", "new\nline", "*", "~", "-n", "ü",
	};
	struct buf cmd, out, want;

	(void)state;
	buf_init(&cmd);
	buf_init(&out);
	buf_init(&want);
	buf_puts(&cmd, "printf '[%s]\\n'");
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		buf_putc(&cmd, ' ');
		remote_shell_quote(&cmd, words[i]);
		buf_printf(&want, "[%s]\n", words[i]);
	}
	assert_int_equal(sh(cmd.data, &out), 0);
	assert_string_equal(out.data, want.data);
	buf_fini(&cmd);
	buf_fini(&out);
	buf_fini(&want);
}

/* The host's command, run here by the same /bin/sh a host would use. */
static int run_command(const char *cd, const char *const *env, size_t nenv,
		       const char *script, struct buf *out)
{
	struct strv e, a;
	struct buf cmd;
	int st;

	strv_init(&e);
	strv_init(&a);
	for (size_t i = 0; i < nenv; i++)
		strv_push(&e, env[i]);
	strv_push(&a, "/bin/sh");
	strv_push(&a, "-c");
	strv_push(&a, script);
	buf_init(&cmd);
	remote_command(cd, "t", &e, &a, &cmd);
	/* ssh gives the command an open stdin: here, a pipe held open
	 * until the command has ended. */
	{
		int in[2], o[2];
		pid_t pid;
		char tmp[4096];
		ssize_t n;

		assert_int_equal(pipe2(in, O_CLOEXEC), 0);
		assert_int_equal(pipe2(o, O_CLOEXEC), 0);
		pid = fork();
		if (pid == 0) {
			dup2(in[0], 0);
			dup2(o[1], 1);
			close(in[1]);
			close(o[0]);
			execl("/bin/sh", "sh", "-c", cmd.data, (char *)NULL);
			_exit(127);
		}
		close(in[0]);
		close(o[1]);
		while ((n = read(o[0], tmp, sizeof tmp)) > 0)
			if (out)
				buf_append(out, tmp, (size_t)n);
		close(o[0]);
		waitpid(pid, &st, 0);
		close(in[1]);
		st = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	buf_fini(&cmd);
	strv_fini(&e);
	strv_fini(&a);
	return st;
}

static void test_command(void **state)
{
	static const char *const env[] = { "GREETING=hello world", "QUOTE=it's" };
	struct buf out;

	(void)state;
	buf_init(&out);
	/* The directory, the variables, the words, the exit status. */
	assert_int_equal(run_command(dir, env, 2, "pwd; echo \"$GREETING|$QUOTE\"; exit 3",
				     &out), 3);
	{
		char *want = xasprintf("%s\nhello world|it's\n", dir);

		assert_string_equal(out.data, want);
		free(want);
	}
	/* 255 is ssh's own: a build's 255 comes back as 254. */
	assert_int_equal(run_command(dir, NULL, 0, "exit 255", NULL), 254);
	/* What the build left running in its group goes with it, at once:
	 * it would hold the connection open. */
	{
		time_t t0 = time(NULL);

		buf_reset(&out);
		assert_int_equal(run_command(dir, NULL, 0, "sleep 25 & echo built", &out), 0);
		assert_string_equal(out.data, "built\n");
		assert_true(time(NULL) - t0 < 10);
	}
	/* A directory that is not there. */
	buf_reset(&out);
	assert_int_equal(run_command("/nonexistent/cb", NULL, 0, "true", &out), 125);
	buf_fini(&out);
}

/* The connection closing ends the whole process group there: a command
 * with a child of its own, its stdin a pipe we then close. */
static void test_command_ends_with_stdin(void **state)
{
	struct strv e, a;
	struct buf cmd;
	char pidfile[400], text[64];
	int in[2], st;
	pid_t pid, child = 0;
	FILE *f;

	(void)state;
	snprintf(pidfile, sizeof pidfile, "%s/pids", dir);
	strv_init(&e);
	strv_init(&a);
	strv_push(&a, "/bin/sh");
	strv_push(&a, "-c");
	strv_pushf(&a, "sleep 100 & echo $! > '%s'; wait", pidfile);
	buf_init(&cmd);
	remote_command(dir, "t", &e, &a, &cmd);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0);
	pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		close(in[1]);
		execl("/bin/sh", "sh", "-c", cmd.data, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	for (int i = 0; i < 100 && !child; i++) {
		struct timespec ts = { 0, 50 * 1000000L };

		nanosleep(&ts, NULL);
		f = fopen(pidfile, "r");
		if (f && fgets(text, sizeof text, f))
			child = atoi(text);
		if (f)
			fclose(f);
	}
	assert_true(child > 0);
	assert_int_equal(kill(child, 0), 0);
	close(in[1]);   /* the connection is gone */
	waitpid(pid, &st, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 128 + SIGTERM);
	/* The grandchild went with its group (it may linger as a zombie of
	 * an init that does not reap). */
	for (int i = 0; i < 60; i++) {
		char path[64], stat[512] = "";
		FILE *sf;

		snprintf(path, sizeof path, "/proc/%d/stat", child);
		sf = fopen(path, "r");
		if (!sf)
			break;
		(void)!fgets(stat, sizeof stat, sf);
		fclose(sf);
		if (strstr(stat, ") Z "))
			break;
		if (i == 59)
			fail_msg("sleep %d outlived its connection: %s", child, stat);
		{
			struct timespec ts = { 0, 50 * 1000000L };

			nanosleep(&ts, NULL);
		}
	}
	buf_fini(&cmd);
	strv_fini(&e);
	strv_fini(&a);
}

static void put(const char *rel, const char *text)
{
	char path[600], *slash;
	FILE *f;

	snprintf(path, sizeof path, "%s/src/%s", dir, rel);
	for (slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int copied(const char *rel)
{
	char path[600];

	snprintf(path, sizeof path, "%s/dst/%s", dir, rel);
	return access(path, F_OK) == 0;
}

/* rsync base (dir/src) to dir/dst with the filters for the project at
 * rel, as a build host gets it. */
static void sync_local(const char *rel)
{
	char *base = xasprintf("%s/src", dir);
	struct strv a;
	struct buf cmd;

	strv_init(&a);
	remote_sync_filters(base, rel, &a);
	buf_init(&cmd);
	buf_puts(&cmd, "rsync -a --delete");
	for (size_t i = 0; i < a.n; i++) {
		buf_putc(&cmd, ' ');
		remote_shell_quote(&cmd, a.v[i]);
	}
	buf_printf(&cmd, " '%s/src/' '%s/dst/'", dir, dir);
	assert_int_equal(sh(cmd.data, NULL), 0);
	buf_fini(&cmd);
	strv_fini(&a);
	free(base);
}

/* The filters through the real rsync, local to local: the project with
 * its own files, less target/ and what .gitignore says; from above only
 * what cargo reads. */
static void test_sync_filters(void **state)
{
	char *rsync = proc_which("rsync", NULL);

	(void)state;
	if (!rsync) {
		/* .ci/deps test installs it; a run without it is not a pass. */
		fail_msg("rsync is not installed (.ci/deps test installs it)");
	}
	free(rsync);
	put("Cargo.toml", "# not a workspace: [workspace] is not on a line of its own\n");
	put(".cargo/config.toml", "[net]\noffline = true\n");
	put(".cargo/credentials.toml", "secret\n");
	put(".gitignore", "*.log\n");
	put("README", "not cargo's\n");
	put("other/lib.rs", "elsewhere\n");
	put("crates/app/Cargo.toml", "[package]\n");
	put("crates/app/src/main.rs", "fn main() {}\n");
	put("crates/app/build.log", "ignored\n");
	put("crates/app/target/debug/app", "built\n");
	put("crates/app/src/target/mod.rs", "a module called target\n");
	put("crates/Cargo.lock", "# lock\n");
	put("crates/notes.txt", "no\n");
	/* First without a workspace: the project and what is above. */
	sync_local("crates/app");
	assert_true(copied("crates/app/Cargo.toml"));
	assert_true(copied("crates/app/src/main.rs"));
	assert_true(copied("crates/app/src/target/mod.rs"));
	assert_true(copied("crates/Cargo.lock"));
	assert_true(copied("Cargo.toml"));
	assert_true(copied(".cargo/config.toml"));
	assert_false(copied("crates/app/target"));
	assert_false(copied("crates/app/build.log"));
	assert_false(copied(".cargo/credentials.toml"));
	assert_false(copied("README"));
	assert_false(copied("other"));
	assert_false(copied("crates/notes.txt"));

	/* crates/ is a workspace: its members come along, the project's own
	 * target/ and the workspace's still stay. */
	put("crates/Cargo.toml", "[package]\nname = \"x\"\n\n  [workspace]\nmembers = [\"app\", \"lib\"]\n");
	put("crates/lib/src/lib.rs", "pub fn f() {}\n");
	put("crates/target/debug/x", "built\n");
	{
		char *base = xasprintf("%s/src", dir), *tree = remote_sync_tree(base, "crates/app");

		assert_string_equal(tree, "crates");
		free(tree);
		free(base);
	}
	sync_local("crates/app");
	assert_true(copied("crates/lib/src/lib.rs"));
	assert_true(copied("crates/app/src/main.rs"));
	assert_true(copied("crates/notes.txt"));
	assert_false(copied("crates/target"));
	assert_false(copied("crates/app/target"));
	assert_false(copied("README"));
}

static void test_request_words(void **state)
{
	struct remote_request r, back;
	struct strv w;
	struct cb_err err;

	(void)state;
	remote_request_init(&r);
	r.host.dest = xstrdup("me@mac");
	r.host.port = 2222;
	r.host.ssh = xstrdup("/opt/ssh");
	strv_push(&r.host.ssh_options, "-F");
	strv_push(&r.host.ssh_options, "/home/me/ssh config");
	r.host.dir = xstrdup(".cache/crossbench/app-12345678");
	r.base = xstrdup("/src/app");
	r.rel = xstrdup("");
	r.fetch_dir = xstrdup("/src/app/target/crossbench/aarch64-apple-darwin");
	strv_push(&r.env, "CARGO_TARGET_DIR=target/crossbench/build/aarch64-apple-darwin");
	strv_push(&r.argv, "cargo");
	strv_push(&r.argv, "build");
	strv_push(&r.argv, "--");
	strv_init(&w);
	remote_request_words(&r, &w);
	remote_request_init(&back);
	assert_int_equal(remote_request_parse(&back, (int)w.n, w.v, &err), 0);
	assert_string_equal(back.host.dest, "me@mac");
	assert_int_equal(back.host.port, 2222);
	assert_string_equal(back.host.ssh, "/opt/ssh");
	assert_int_equal(back.host.ssh_options.n, 2);
	assert_string_equal(back.host.ssh_options.v[1], "/home/me/ssh config");
	assert_string_equal(back.host.dir, r.host.dir);
	assert_string_equal(back.fetch_dir, r.fetch_dir);
	assert_int_equal(back.env.n, 1);
	assert_int_equal(back.argv.n, 3);
	assert_string_equal(back.argv.v[2], "--");   /* after the first --, as is */
	remote_request_fini(&back);
	remote_request_init(&back);
	{
		char *bad[] = { "--colour", "x", "--", "cargo" };

		assert_int_equal(remote_request_parse(&back, 4, bad, &err), -1);
		assert_non_null(strstr(err.msg, "--colour"));
	}
	remote_request_fini(&back);
	strv_fini(&w);
	remote_request_fini(&r);
}

static void test_paths(void **state)
{
	char *p, *rel, *base, *d1, *d2;

	(void)state;
	p = remote_local_artifact("/p/target/crossbench/T",
				  "/home/me/.cache/crossbench/p/target/crossbench/build/T/T/debug/app.exe");
	assert_string_equal(p, "/p/target/crossbench/T/app.exe");
	free(p);
	d1 = remote_default_dir("/home/me/src/my app");
	d2 = remote_default_dir("/home/you/src/my app");
	assert_non_null(strstr(d1, ".cache/crossbench/my_app-"));
	assert_string_not_equal(d1, d2);   /* two checkouts, two directories */
	free(d1);
	free(d2);
	/* Outside git the project is its own base. */
	base = remote_sync_base(dir, &rel);
	assert_string_equal(rel, "");
	free(base);
	free(rel);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_command),
		cmocka_unit_test(test_command_ends_with_stdin),
		cmocka_unit_test(test_sync_filters),
		cmocka_unit_test(test_request_words),
		cmocka_unit_test(test_paths),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
