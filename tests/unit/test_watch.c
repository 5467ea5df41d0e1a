/* test_watch.c - the file watcher on real temporary trees.
 *
 * Every wait is poll() on watch_fd() with watch_timeout_ms(), bounded by
 * a generous deadline; no test sleeps and then asserts.  "Did not count"
 * is shown without waiting: after the writes that must not count, a
 * sentinel file is written, and the burst that fires must be the
 * sentinel alone (inotify keeps the order, so anything counted before it
 * would be the first path, or raise the count). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "watch.h"

#define GIT_FIXTURE_TMP "/tmp/cb-test-watch.XXXXXX"
#include "git_fixture.h"

#define DEADLINE_MS 10000

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drive w as the engine's loop does until a burst is due: 1 (first and
 * n filled), -1 (watching stopped), 0 (nothing within the deadline). */
static int wait_take(struct watch *w, char **first, size_t *n)
{
	long long end = now_ms() + DEADLINE_MS;

	for (;;) {
		struct pollfd p = { watch_fd(w), POLLIN, 0 };
		int t = watch_timeout_ms(w), rc;
		long long left = end - now_ms();

		if (left <= 0)
			return 0;
		if (t < 0 || t > left)
			t = (int)left;
		if (poll(&p, 1, t) > 0 && (p.revents & POLLIN))
			watch_read(w);
		rc = watch_take(w, first, n);
		if (rc != 0)
			return rc;
	}
}

/* The next burst is exactly `want`, one path. */
static void expect_one(struct watch *w, const char *want)
{
	char *first = NULL;
	size_t n = 0;
	int rc = wait_take(w, &first, &n);

	if (rc != 1)
		fail_msg("waiting for %s: %s", want, rc == 0 ? "nothing fired" : watch_error(w));
	assert_string_equal(first, want);
	assert_int_equal(n, 1);
	free(first);
}

static void put(const char *dir, const char *rel, const char *text)
{
	char path[2 * PATH_MAX];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void mv(const char *dir, const char *from, const char *to)
{
	char a[2 * PATH_MAX], b[2 * PATH_MAX];

	snprintf(a, sizeof a, "%s/%s", dir, from);
	snprintf(b, sizeof b, "%s/%s", dir, to);
	assert_int_equal(rename(a, b), 0);
}

static void rm(const char *dir, const char *rel)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	assert_int_equal(unlink(path), 0);
}

/* A Cargo-like project in a git repository: src/, target/debug/, and
 * build/ ignored by its .gitignore. */
static struct watch *project(char *dir, size_t n)
{
	struct cb_err err;
	struct watch *w;

	new_repo(dir, n);
	sh(dir, "mkdir -p src target/debug/deps build/gen && printf 'build/\\n*.log\\n' > .gitignore"
	   " && echo 'fn main() {}' > src/main.rs && echo x > target/debug/app");
	w = watch_open(dir, &err);
	if (!w)
		fail_msg("watch_open: %s", err.msg);
	return w;
}

static void test_write_fires(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	assert_int_equal(watch_count(w), 2);   /* the root and src/ */
	assert_int_equal(watch_timeout_ms(w), -1);
	put(dir, "src/main.rs", "fn main() { }\n");
	expect_one(w, "src/main.rs");
	assert_int_equal(watch_timeout_ms(w), -1);
	assert_null(watch_error(w));
	watch_close(w);
}

static void test_ignored_writes(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	put(dir, "target/debug/app", "rebuilt");
	put(dir, "target/debug/deps/x.d", "deps");
	put(dir, ".git/description", "touched by git");
	put(dir, "build/gen/out.rs", "generated");
	put(dir, "run.log", "a log");
	sh(dir, "mkdir target/release && echo y > target/release/app && mkdir build/more");
	put(dir, "Cargo.toml", "[package]\n");
	expect_one(w, "Cargo.toml");
	assert_int_equal(watch_count(w), 2);
	watch_close(w);
}

/* A root outside any repository reads its own .gitignore. */
static void test_fallback_gitignore(void **state)
{
	char dir[PATH_MAX];
	struct cb_err err;
	struct watch *w;

	(void)state;
	if (system("git -C /tmp rev-parse >/dev/null 2>&1") == 0)
		skip();   /* /tmp itself is inside a work tree here */
	snprintf(dir, sizeof dir, "%s/plain", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	sh(dir, "mkdir -p src/gen out docs/api && printf '# built\\n/out/\\ngen/\\n*.o\\n!keep.o\\ndocs/api\\n' > .gitignore");
	w = watch_open(dir, &err);
	if (!w)
		fail_msg("watch_open: %s", err.msg);
	assert_int_equal(watch_count(w), 3);   /* the root, src/, docs/ */
	put(dir, "src/a.o", "obj");
	put(dir, "keep.o", "negation is not read: still ignored");
	sh(dir, "mkdir docs/api/x && mkdir src/gen2");
	put(dir, "src/gen2/b.rs", "not gen/");
	expect_one(w, "src/gen2/b.rs");
	watch_close(w);
}

/* vim with backupcopy=no: swap file, the 4913 probe, file -> file~,
 * a new file, the backup removed. */
static void test_vim_save(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	put(dir, "src/.main.rs.swp", "swap");
	put(dir, "src/4913", "");
	rm(dir, "src/4913");
	mv(dir, "src/main.rs", "src/main.rs~");
	put(dir, "src/main.rs", "fn main() { println!(); }\n");
	rm(dir, "src/main.rs~");
	put(dir, "src/.main.rs.swp", "swap again");
	put(dir, "src/#main.rs#", "emacs auto-save");
	put(dir, "src/main.rs.tmp", "someone's temporary");
	expect_one(w, "src/main.rs");
	watch_close(w);
}

/* sed -i: a sedXXXXXX temporary renamed onto the file. */
static void test_sed_save(void **state)
{
	char dir[PATH_MAX], text[64], cmd[64];
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	put(dir, "src/sedAbc12", "fn main() { 1; }\n");
	mv(dir, "src/sedAbc12", "src/main.rs");
	expect_one(w, "src/main.rs");
	put(dir, "src/sedX9k2Qa", "fn main() { 2; }\n");   /* GNU sed's own: six */
	mv(dir, "src/sedX9k2Qa", "src/main.rs");
	expect_one(w, "src/main.rs");
	/* And the real thing. */
	sh(dir, "sed -i s/main/main2/ src/main.rs");
	expect_one(w, "src/main.rs");
	snprintf(cmd, sizeof cmd, "cat %s/src/main.rs", dir + strlen(tmpdir) + 1);
	sh_out(tmpdir, cmd, text, sizeof text);
	assert_string_equal(text, "fn main2() { 2; }");
	watch_close(w);
}

static void test_new_subdirectory(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	/* Made faster than the watcher can add its watches: the scan of the
	 * new directories finds what their events missed. */
	sh(dir, "mkdir -p src/net/proto && echo 'mod x;' > src/net/proto/mod.rs");
	expect_one(w, "src/net/proto/mod.rs");
	assert_int_equal(watch_count(w), 4);
	put(dir, "src/net/lib.rs", "// later");
	expect_one(w, "src/net/lib.rs");
	/* Renamed within the tree: watched under its new name. */
	mv(dir, "src/net", "src/wire");
	{
		char *first = NULL;
		size_t n = 0;

		assert_int_equal(wait_take(w, &first, &n), 1);
		free(first);
	}
	assert_int_equal(watch_count(w), 4);
	put(dir, "src/wire/proto/mod.rs", "// moved");
	expect_one(w, "src/wire/proto/mod.rs");
	/* Deleted: its watches go. */
	sh(dir, "rm -rf src/wire");
	{
		char *first = NULL;
		size_t n = 0;

		assert_int_equal(wait_take(w, &first, &n), 1);
		free(first);
	}
	put(dir, "src/main.rs", "// after");
	expect_one(w, "src/main.rs");
	assert_int_equal(watch_count(w), 2);
	watch_close(w);
}

static void test_root_deleted(void **state)
{
	char dir[PATH_MAX], want[PATH_MAX + 64], *first = NULL;
	size_t n = 0;
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	sh(tmpdir, "rm -rf '%s'", dir);
	assert_int_equal(wait_take(w, &first, &n), -1);
	assert_null(first);
	snprintf(want, sizeof want, "watch: %s was deleted; watching stopped", dir);
	assert_non_null(watch_error(w));
	assert_string_equal(watch_error(w), want);
	/* It says so once; then the loop has nothing to wait for. */
	assert_int_equal(watch_timeout_ms(w), -1);
	assert_int_equal(watch_take(w, &first, &n), -1);
	assert_int_equal(watch_count(w), 0);
	watch_close(w);
}

static void test_root_moved(void **state)
{
	char dir[PATH_MAX], *first = NULL;
	size_t n = 0;
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	sh(tmpdir, "mv '%s' '%s.moved'", dir, dir);
	assert_int_equal(wait_take(w, &first, &n), -1);
	assert_non_null(strstr(watch_error(w), "was moved or renamed; watching stopped"));
	watch_close(w);
}

/* 100 saves, 2 ms apart, from another process: one burst, one path. */
static void test_burst_fires_once(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;
	pid_t pid;
	int st;

	(void)state;
	w = project(dir, sizeof dir);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char path[2 * PATH_MAX];

		snprintf(path, sizeof path, "%s/src/main.rs", dir);
		for (int i = 0; i < 100; i++) {
			FILE *f = fopen(path, "w");
			struct timespec ts = { 0, 2000000 };

			if (!f)
				_exit(1);
			fprintf(f, "// save %d\n", i);
			fclose(f);
			nanosleep(&ts, NULL);
		}
		_exit(0);
	}
	expect_one(w, "src/main.rs");
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	/* No second burst of main.rs behind it. */
	put(dir, "Cargo.toml", "[package]\n");
	expect_one(w, "Cargo.toml");
	watch_close(w);
}

/* Many paths in one burst: counted, first is the first. */
static void test_count(void **state)
{
	char dir[PATH_MAX], *first = NULL;
	size_t n = 0;
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	put(dir, "src/a.rs", "a");
	put(dir, "src/b.rs", "b");
	put(dir, "src/a.rs", "a again");
	rm(dir, "src/b.rs");
	put(dir, "src/c.rs", "c");
	assert_int_equal(wait_take(w, &first, &n), 1);
	assert_string_equal(first, "src/a.rs");
	assert_int_equal(n, 3);
	free(first);
	watch_close(w);
}

/* More events than the kernel queues: a change, a rescan, still watching. */
static void test_overflow(void **state)
{
	char dir[PATH_MAX], a[2 * PATH_MAX], b[2 * PATH_MAX], *first = NULL;
	size_t n = 0;
	struct watch *w;

	(void)state;
	w = project(dir, sizeof dir);
	snprintf(a, sizeof a, "%s/src/a.rs", dir);
	snprintf(b, sizeof b, "%s/src/b.rs", dir);
	/* Alternating, or inotify merges them into one event. */
	for (int i = 0; i < 20000; i++) {
		int fd = open(i % 2 ? b : a, O_WRONLY | O_CREAT, 0644);

		assert_true(fd >= 0);
		close(fd);
	}
	sh(dir, "mkdir src/late");   /* its event is lost: the rescan finds it */
	assert_int_equal(wait_take(w, &first, &n), 1);
	free(first);
	assert_true(n >= 1);
	assert_int_equal(watch_count(w), 3);
	put(dir, "src/late/x.rs", "seen");
	expect_one(w, "src/late/x.rs");
	watch_close(w);
}

/* Symlinked directories are not followed, so a loop is harmless. */
static void test_symlink_loop(void **state)
{
	char dir[PATH_MAX];
	struct watch *w;
	struct cb_err err;

	(void)state;
	committed_repo(dir, sizeof dir);
	sh(dir, "mkdir -p a/b && ln -s .. a/b/up && ln -s a loop && ln -s /usr usr");
	w = watch_open(dir, &err);
	assert_non_null(w);
	assert_int_equal(watch_count(w), 3);
	sh(dir, "ln -s ../.. a/b/up2");   /* a new symlink is a change */
	expect_one(w, "a/b/up2");
	watch_close(w);
}

static void test_open_errors(void **state)
{
	char path[PATH_MAX];
	struct cb_err err;

	(void)state;
	assert_null(watch_open("/nonexistent/proj", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/proj"));
	snprintf(path, sizeof path, "%s/file", tmpdir);
	put(tmpdir, "file", "x");
	assert_null(watch_open(path, &err));
	assert_non_null(strstr(err.msg, "is not a directory"));
}

/* In a user namespace of our own, lower the inotify limits (they are per
 * namespace) and open a watch there; the message comes back on a pipe. */
static int limited(const char *knob, const char *value, const char *root, char *msg, size_t n)
{
	int p[2], st;
	pid_t pid;
	ssize_t got;

	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char path[128];
		struct cb_err err;
		struct watch *w;
		FILE *f;

		close(p[0]);
		if (unshare(CLONE_NEWUSER) < 0)
			_exit(77);
		snprintf(path, sizeof path, "/proc/sys/user/%s", knob);
		f = fopen(path, "w");
		if (!f || fputs(value, f) < 0 || fclose(f) != 0)
			_exit(77);
		w = watch_open(root, &err);
		if (w)
			_exit(1);
		if (write(p[1], err.msg, strlen(err.msg)) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	got = read(p[0], msg, n - 1);
	close(p[0]);
	msg[got > 0 ? got : 0] = '\0';
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_watch_limit(void **state)
{
	char dir[PATH_MAX], msg[1024], want[PATH_MAX + 256];
	int rc;

	(void)state;
	snprintf(dir, sizeof dir, "%s/big", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	sh(dir, "mkdir -p a/1 a/2 a/3 b/1 b/2 b/3 c");   /* 10 with the root */
	rc = limited("max_inotify_watches", "5", dir, msg, sizeof msg);
	if (rc == 77)
		skip();   /* no user namespaces here */
	assert_int_equal(rc, 0);
	snprintf(want, sizeof want, "watch: the inotify watch limit (user.max_inotify_watches = 5) "
		 "is reached after 5 directories under %s (it has 10); raise it with: "
		 "sudo sysctl user.max_inotify_watches=1024", dir);
	assert_string_equal(msg, want);

	rc = limited("max_inotify_instances", "0", dir, msg, sizeof msg);
	assert_int_equal(rc, 0);
	assert_string_equal(msg, "watch: the inotify instance limit (user.max_inotify_instances = 0) "
			    "is reached; raise it with: sudo sysctl user.max_inotify_instances=256");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_fires),
		cmocka_unit_test(test_ignored_writes),
		cmocka_unit_test(test_fallback_gitignore),
		cmocka_unit_test(test_vim_save),
		cmocka_unit_test(test_sed_save),
		cmocka_unit_test(test_new_subdirectory),
		cmocka_unit_test(test_root_deleted),
		cmocka_unit_test(test_root_moved),
		cmocka_unit_test(test_burst_fires_once),
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_symlink_loop),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_watch_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
