/* test_history.c - the build history file and log pruning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "buf.h"
#include "history.h"

static char tmpdir[] = "/tmp/cb-test-history.XXXXXX";
static int n_proj;

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd);
}

/* A fresh project directory. */
static void new_project(char *dir, size_t n)
{
	snprintf(dir, n, "%s/p%d", tmpdir, n_proj++);
	assert_int_equal(mkdir(dir, 0755), 0);
}

static void tsv_path(const char *proj, char *out, size_t n)
{
	snprintf(out, n, "%s/target/crossbench/history.tsv", proj);
}

static void write_file(const char *path, const char *text, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *s = malloc(1 << 24);

	assert_non_null(f);
	*n = fread(s, 1, (1 << 24) - 1, f);
	s[*n] = '\0';
	fclose(f);
	return s;
}

static size_t count_char(const char *s, size_t n, char c)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += s[i] == c;
	return k;
}

static void mk_target_dir(const char *proj)
{
	char d[1024];

	snprintf(d, sizeof d, "%s/target", proj);
	mkdir(d, 0755);
	snprintf(d, sizeof d, "%s/target/crossbench", proj);
	mkdir(d, 0755);
}

static struct history_entry entry(time_t when, const char *triple,
				  const char *profile, const char *status)
{
	struct history_entry e;

	memset(&e, 0, sizeof e);
	e.when = when;
	snprintf(e.triple, sizeof e.triple, "%s", triple);
	snprintf(e.profile, sizeof e.profile, "%s", profile);
	snprintf(e.status, sizeof e.status, "%s", status);
	e.seconds = 1.5;
	e.units = 7;
	snprintf(e.log, sizeof e.log, "/p/target/crossbench/logs/%s-%s.log", triple, profile);
	return e;
}

static void append_ok(struct history *h, const struct history_entry *e)
{
	struct cb_err err;

	if (history_append(h, e, &err) != 0)
		fail_msg("history_append: %s", err.msg);
}

static void test_missing_file(void **state)
{
	char proj[512];
	struct history h;
	struct cb_err err;

	(void)state;
	new_project(proj, sizeof proj);
	assert_int_equal(history_load(&h, proj, &err), 0);
	assert_int_equal(h.nlast, 0);
	assert_null(history_last(&h, "x86_64-unknown-linux-gnu", "dev"));
	assert_non_null(strstr(h.path, "/target/crossbench/history.tsv"));
	history_fini(&h);
	history_fini(&h);   /* twice is harmless */
}

static void test_round_trip(void **state)
{
	char proj[512], path[1024];
	struct history h, h2;
	struct history_entry e1, e2, e3;
	const struct history_entry *got;
	struct cb_err err;
	size_t n;
	char *text;

	(void)state;
	new_project(proj, sizeof proj);
	assert_int_equal(history_load(&h, proj, &err), 0);
	e1 = entry(1700000000, "x86_64-unknown-linux-gnu", "dev", "passed");
	memcpy(e1.commit, "3f2a1c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f7", 41);
	e1.seconds = 12.3456;
	e1.units = 63;
	/* Every byte a path can hold, tabs and newlines too. */
	snprintf(e1.log, sizeof e1.log, "/odd\tdir/new\nline\\back\rslash/ü.log");
	snprintf(e1.artifact, sizeof e1.artifact, "/p/target/x86_64-unknown-linux-gnu/debug/app\tx");
	e2 = entry(1700000100, "x86_64-unknown-linux-gnu", "release", "failed");
	e2.seconds = 0;
	e3 = entry(1700000200, "x86_64-unknown-linux-gnu", "dev", "cancelled");
	e3.seconds = 3600.0004;
	append_ok(&h, &e1);
	append_ok(&h, &e2);
	assert_int_equal(h.nlast, 2);
	append_ok(&h, &e3);
	assert_int_equal(h.nlast, 2);
	got = history_last(&h, "x86_64-unknown-linux-gnu", "dev");
	assert_non_null(got);
	assert_string_equal(got->status, "cancelled");

	assert_int_equal(history_load(&h2, proj, &err), 0);
	assert_int_equal(h2.nlast, 2);
	got = history_last(&h2, "x86_64-unknown-linux-gnu", "release");
	assert_non_null(got);
	assert_int_equal(got->when, 1700000100);
	assert_string_equal(got->status, "failed");
	assert_string_equal(got->commit, "");
	assert_true(got->seconds == 0);
	got = history_last(&h2, "x86_64-unknown-linux-gnu", "dev");
	assert_string_equal(got->status, "cancelled");
	assert_true(got->seconds > 3600.0 - 1e-9 && got->seconds < 3600.0 + 1e-9);
	assert_null(history_last(&h2, "x86_64-unknown-linux-gnu", "bench"));
	history_fini(&h2);

	/* The first entry, read back alone, is the same in every field. */
	tsv_path(proj, path, sizeof path);
	text = read_file(path, &n);
	assert_int_equal(count_char(text, n, '\n'), 3);
	assert_int_equal(count_char(text, strchr(text, '\n') - text, '\t'), 10);
	assert_non_null(strstr(text, "\t12.346\t63\t/odd\\tdir/new\\nline\\\\back\\rslash/"));
	*strchr(text, '\n') = '\0';
	write_file(path, text, strlen(text));
	free(text);
	assert_int_equal(history_load(&h2, proj, &err), 0);
	got = history_last(&h2, "x86_64-unknown-linux-gnu", "dev");
	assert_non_null(got);
	assert_int_equal(got->when, e1.when);
	assert_string_equal(got->commit, e1.commit);
	assert_string_equal(got->triple, e1.triple);
	assert_string_equal(got->profile, e1.profile);
	assert_string_equal(got->status, e1.status);
	assert_true(got->seconds > 12.346 - 1e-9 && got->seconds < 12.346 + 1e-9);
	assert_int_equal(got->units, 63);
	assert_string_equal(got->log, e1.log);
	assert_string_equal(got->artifact, e1.artifact);
	history_fini(&h2);

	/* A line written before the ninth field existed still loads. */
	write_file(path, "1700000000\t\tx86_64-unknown-linux-gnu\tdev\tpassed\t1.000\t3\t/l.log\n",
		   strlen("1700000000\t\tx86_64-unknown-linux-gnu\tdev\tpassed\t1.000\t3\t/l.log\n"));
	assert_int_equal(history_load(&h2, proj, &err), 0);
	got = history_last(&h2, "x86_64-unknown-linux-gnu", "dev");
	assert_non_null(got);
	assert_string_equal(got->log, "/l.log");
	assert_string_equal(got->artifact, "");
	history_fini(&h2);
	history_fini(&h);
}

static void test_garbage_lines(void **state)
{
	char proj[512], path[1024], *text;
	struct history h;
	struct cb_err err;
	struct buf b;
	const struct history_entry *got;
	size_t n;

	(void)state;
	new_project(proj, sizeof proj);
	mk_target_dir(proj);
	tsv_path(proj, path, sizeof path);
	buf_init(&b);
	buf_puts(&b, "\n"
		 "garbage\n"
		 "1\t\tt-a\tdev\tpassed\t1.0\t3\n"                 /* 7 fields */
		 "12x\t\tt-b\tdev\tpassed\t1.0\t3\t/l\n"           /* when */
		 "-5\t\tt-b\tdev\tpassed\t1.0\t3\t/l\n"
		 "1\tnothex\tt-b\tdev\tpassed\t1.0\t3\t/l\n"       /* commit */
		 "1\t\t\tdev\tpassed\t1.0\t3\t/l\n"                /* no triple */
		 "1\t\tt-b\t\tpassed\t1.0\t3\t/l\n"                /* no profile */
		 "1\t\tt-b\tdev\t\t1.0\t3\t/l\n"                   /* no status */
		 "1\t\tt-b\tdev\tpassed\t1,5\t3\t/l\n"             /* seconds */
		 "1\t\tt-b\tdev\tpassed\t1.\t3\t/l\n"
		 "1\t\tt-b\tdev\tpassed\t-1\t3\t/l\n"
		 "1\t\tt-b\tdev\tpassed\t1.0\t4294967296\t/l\n"    /* units */
		 "1\t\tt-b\tdev\tpassed\t1.0\t3\t/l\\q\n"          /* escape */
		 "1\t\tt-b\tdev\tpassed\t1.0\t3\t/l\\\n"
		 "1\t\tthis-status-is-too-long\tdev\tpassed-and-more-than-16\t1\t3\t/l\n"
		 "2\t\tt-c\tdev\tpassed\t2.5\t4\t/c.log\tfuture\tfields\n"
		 "3\t\tt-d\tdev\tfailed\t0\t0\t\n");                /* no log */
	{
		static const char nul[] = "1\t\tt-b\tdev\tpassed\t1.0\t3\t/l\0nul\n";

		buf_append(&b, nul, sizeof nul - 1);
	}
	/* A line far too long to be ours, then a good one. */
	buf_puts(&b, "5\t\tt-e\tdev\tpassed\t1\t1\t/");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'x');
	buf_puts(&b, "\n4\t\tt-b\tdev\tpassed\t9\t9\t/b.log\n");
	/* A last line cut short by a crash, but complete as a record. */
	buf_puts(&b, "6\t\tt-f\tdev\tpassed\t1\t1\t/f.log");
	write_file(path, b.data, b.len);
	buf_fini(&b);

	assert_int_equal(history_load(&h, proj, &err), 0);
	assert_int_equal(h.nlast, 4);
	got = history_last(&h, "t-c", "dev");
	assert_non_null(got);
	assert_true(got->seconds == 2.5);
	assert_string_equal(got->log, "/c.log");
	got = history_last(&h, "t-d", "dev");
	assert_non_null(got);
	assert_string_equal(got->log, "");
	got = history_last(&h, "t-b", "dev");
	assert_non_null(got);
	assert_int_equal(got->when, 4);
	assert_non_null(history_last(&h, "t-f", "dev"));
	assert_null(history_last(&h, "t-e", "dev"));
	assert_null(history_last(&h, "t-a", "dev"));

	/* Appending after the unfinished line starts a new one. */
	{
		struct history_entry e = entry(7, "t-g", "dev", "passed");
		struct history h2;

		append_ok(&h, &e);
		text = read_file(path, &n);
		/* memmem: the file holds a NUL byte. */
		assert_non_null(memmem(text, n, "/f.log\n7\t\tt-g\t", 13));
		free(text);
		assert_int_equal(history_load(&h2, proj, &err), 0);
		assert_non_null(history_last(&h2, "t-f", "dev"));
		assert_non_null(history_last(&h2, "t-g", "dev"));
		history_fini(&h2);
	}
	history_fini(&h);
}

static void test_errors(void **state)
{
	char proj[512], path[1024];
	struct history h;
	struct history_entry e = entry(1, "t-a", "dev", "passed");
	struct cb_err err;

	(void)state;
	/* target is a file: nothing was ever written, and nothing can be. */
	new_project(proj, sizeof proj);
	snprintf(path, sizeof path, "%s/target", proj);
	write_file(path, "x", 1);
	assert_int_equal(history_load(&h, proj, &err), 0);
	assert_int_equal(history_append(&h, &e, &err), -1);
	assert_int_equal(err.code, CB_ERR_IO);
	snprintf(path, sizeof path, "%s/target/crossbench", proj);
	assert_non_null(strstr(err.msg, path));
	history_fini(&h);

	/* The file exists but cannot be read (it is a directory). */
	new_project(proj, sizeof proj);
	tsv_path(proj, path, sizeof path);
	mk_target_dir(proj);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(history_load(&h, proj, &err), -1);
	assert_non_null(strstr(err.msg, path));
	assert_int_equal(h.nlast, 0);
	history_fini(&h);

	/* Entries that cannot be written back. */
	new_project(proj, sizeof proj);
	assert_int_equal(history_load(&h, proj, &err), 0);
	e.triple[0] = '\0';
	assert_int_equal(history_append(&h, &e, &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
	e = entry(1, "t-a", "dev", "passed");
	snprintf(e.commit, sizeof e.commit, "3f2a1c9");
	assert_int_equal(history_append(&h, &e, &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
	e = entry(1, "t-a", "dev", "passed");
	memset(e.status, 'x', sizeof e.status);
	assert_int_equal(history_append(&h, &e, &err), -1);
	assert_int_equal(h.nlast, 0);
	history_fini(&h);
	memset(&h, 0, sizeof h);
	assert_int_equal(history_append(&h, &e, &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
}

static void fill(const char *path, const char *first, int from, int count,
		 const char *triple)
{
	struct buf b;

	buf_init(&b);
	if (first)
		buf_puts(&b, first);
	for (int i = from; i < from + count; i++)
		buf_printf(&b, "%d\t\t%s\tdev\tpassed\t1.000\t%d\t/l/%d.log\n", i,
			   triple, i, i);
	write_file(path, b.data, b.len);
	buf_fini(&b);
}

static void test_compaction(void **state)
{
	char proj[512], path[1024], *text, *line;
	struct history h;
	struct history_entry e;
	struct cb_err err;
	struct stat st;
	size_t n;
	DIR *d;
	struct dirent *de;
	int files = 0;

	(void)state;
	new_project(proj, sizeof proj);
	mk_target_dir(proj);
	tsv_path(proj, path, sizeof path);
	/* Exactly twice the limit: no rewrite yet. */
	fill(path, "1\t\told-target\trelease\tpassed\t1\t1\t/old.log\ngarbage\n", 2,
	     2 * HISTORY_KEEP - 3, "t-a");
	assert_int_equal(history_load(&h, proj, &err), 0);
	e = entry(100000, "t-a", "dev", "passed");
	append_ok(&h, &e);
	text = read_file(path, &n);
	assert_int_equal(count_char(text, n, '\n'), 2 * HISTORY_KEEP);
	free(text);
	/* One more: the last HISTORY_KEEP lines stay, and the old target's
	 * only line, which is older than all of them; the garbage goes. */
	e = entry(100001, "t-a", "dev", "failed");
	append_ok(&h, &e);
	text = read_file(path, &n);
	assert_int_equal(count_char(text, n, '\n'), HISTORY_KEEP + 1);
	assert_null(strstr(text, "garbage"));
	assert_int_equal(strncmp(text, "1\t\told-target\trelease\t", 22), 0);
	line = strchr(text, '\n') + 1;
	assert_int_equal(strtol(line, NULL, 10), 2 * HISTORY_KEEP + 2 - HISTORY_KEEP - 1);
	assert_non_null(strstr(text, "100001\t\tt-a\tdev\tfailed\t1.500\t7\t"));
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	/* No temporary file is left next to it. */
	{
		char dir[1024];

		snprintf(dir, sizeof dir, "%s", path);
		*strrchr(dir, '/') = '\0';
		d = opendir(dir);
		assert_non_null(d);
		while ((de = readdir(d)))
			files += de->d_name[0] != '.';
		closedir(d);
		assert_int_equal(files, 1);
	}
	history_fini(&h);
	assert_int_equal(history_load(&h, proj, &err), 0);
	assert_int_equal(h.nlast, 2);
	assert_string_equal(history_last(&h, "t-a", "dev")->status, "failed");
	assert_non_null(history_last(&h, "old-target", "release"));
	history_fini(&h);
}

/* Several processes appending at once, one of them compacting: no line
 * is lost or torn. */
static void test_concurrent(void **state)
{
	char proj[512], path[1024], *text;
	enum { KIDS = 4, EACH = 60 };
	int pre = 2 * HISTORY_KEEP - 100;
	struct history h;
	struct cb_err err;
	size_t n;

	(void)state;
	new_project(proj, sizeof proj);
	mk_target_dir(proj);
	tsv_path(proj, path, sizeof path);
	fill(path, NULL, 0, pre, "t-a");
	for (int k = 0; k < KIDS; k++) {
		pid_t pid = fork();

		assert_true(pid >= 0);
		if (pid == 0) {
			struct history hk;
			char triple[32];
			int bad = 0;

			snprintf(triple, sizeof triple, "kid-%d-x", k);
			if (history_load(&hk, proj, &err) < 0)
				_exit(2);
			for (int i = 0; i < EACH; i++) {
				struct history_entry e = entry(10000 + i, triple, "dev", "passed");

				bad |= history_append(&hk, &e, &err) < 0;
			}
			history_fini(&hk);
			_exit(bad);
		}
	}
	for (int k = 0; k < KIDS; k++) {
		int status;

		assert_true(wait(&status) > 0);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	/* One rewrite at 2 * KEEP + 1 lines down to KEEP, then the rest. */
	text = read_file(path, &n);
	assert_int_equal(count_char(text, n, '\n'),
			 HISTORY_KEEP + (pre + KIDS * EACH) - (2 * HISTORY_KEEP + 1));
	free(text);
	assert_int_equal(history_load(&h, proj, &err), 0);
	for (int k = 0; k < KIDS; k++) {
		char triple[32];
		const struct history_entry *got;

		snprintf(triple, sizeof triple, "kid-%d-x", k);
		got = history_last(&h, triple, "dev");
		assert_non_null(got);
		assert_int_equal(got->when, 10000 + EACH - 1);
	}
	history_fini(&h);
}

/* ------------------------------------------------------------ logs */

static void touch(const char *dir, const char *name)
{
	char p[2048];

	snprintf(p, sizeof p, "%s/%s", dir, name);
	write_file(p, "x", 1);
}

static int exists(const char *dir, const char *name)
{
	char p[2048];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", dir, name);
	return lstat(p, &st) == 0;
}

/* A log name exactly as job.c's open_logs makes it. */
static void log_name(char *out, size_t n, const char *triple, const char *profile,
		     time_t t, long ms)
{
	char stamp[32];
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	snprintf(out, n, "%s-%s-%s.%03ld.log", triple, profile, stamp, ms);
}

static void test_prune_logs(void **state)
{
	char dir[512], name[256], p[1024];
	char dev[6][256], rel[2][256], lto[3][256];
	time_t t0 = 1700000000;

	(void)state;
	snprintf(dir, sizeof dir, "%s/logs", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (int i = 0; i < 6; i++) {
		/* Two in the same second, told apart by milliseconds. */
		log_name(dev[i], sizeof dev[i], "x86_64-unknown-linux-gnu", "dev",
			 t0 + (i < 5 ? i * 3600 : 4 * 3600), i < 5 ? 0 : 7);
		touch(dir, dev[i]);
		if (i != 2) {
			snprintf(name, sizeof name, "%.*s.json", (int)strlen(dev[i]) - 4, dev[i]);
			touch(dir, name);
		}
	}
	for (int i = 0; i < 2; i++) {
		log_name(rel[i], sizeof rel[i], "x86_64-unknown-linux-gnu", "release",
			 t0 + i, 0);
		touch(dir, rel[i]);
	}
	for (int i = 0; i < 3; i++) {
		log_name(lto[i], sizeof lto[i], "aarch64-unknown-linux-gnu", "release-lto",
			 t0 + 86400 * (3 - i), 500);
		touch(dir, lto[i]);
	}
	/* Things that are not ours, or not files, stay. */
	touch(dir, "notes.log");
	touch(dir, "x86_64-unknown-linux-gnu-dev-2023-11-14.log");
	touch(dir, "x86_64-unknown-linux-gnu-dev-20231114-221320.000.log.bak");
	touch(dir, "foo-20231114-221320.000.log");
	touch(dir, "x86_64-unknown-linux-gnu-dev-20231114-2213200.00.log");
	touch(dir, "x86_64-unknown-linux-gnu-dev-20000101-000000.000.json");
	snprintf(p, sizeof p, "%s/x86_64-unknown-linux-gnu-dev-19990101-000000.000.log", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof p, "%s/x86_64-unknown-linux-gnu-dev-19990101-000001.000.log", dir);
	assert_int_equal(symlink("/etc/hostname", p), 0);

	assert_int_equal(history_prune_logs(dir, -1), 0);
	assert_int_equal(history_prune_logs("/nonexistent/logs", 2), 0);
	assert_int_equal(history_prune_logs(dir, 2), 4 + 0 + 1);
	/* dev: the two newest (the last two share a second). */
	for (int i = 0; i < 6; i++) {
		snprintf(name, sizeof name, "%.*s.json", (int)strlen(dev[i]) - 4, dev[i]);
		assert_int_equal(exists(dir, dev[i]), i >= 4);
		assert_int_equal(exists(dir, name), i >= 4);
	}
	assert_true(exists(dir, rel[0]) && exists(dir, rel[1]));
	assert_true(!exists(dir, lto[2]) && exists(dir, lto[0]) && exists(dir, lto[1]));
	assert_true(exists(dir, "notes.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-2023-11-14.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-20231114-221320.000.log.bak"));
	assert_true(exists(dir, "foo-20231114-221320.000.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-20231114-2213200.00.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-20000101-000000.000.json"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-19990101-000000.000.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-19990101-000001.000.log"));
	assert_true(exists("/etc", "hostname"));
	/* Nothing more to do at the same limit; all of them at zero. */
	assert_int_equal(history_prune_logs(dir, 2), 0);
	assert_int_equal(history_prune_logs(dir, 0), 6);
	assert_true(exists(dir, "notes.log"));
	assert_true(exists(dir, "x86_64-unknown-linux-gnu-dev-19990101-000001.000.log"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_garbage_lines),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_compaction),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_prune_logs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
