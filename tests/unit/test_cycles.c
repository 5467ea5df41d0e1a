/* test_cycles.c - 200 builds started and cancelled, some of them with a
 * child that ignores SIGTERM, a few stopped by their timeout, then an
 * engine freed with builds running: afterwards no process is left (this
 * test is a subreaper, so an orphan would become its child), no zombie of
 * the engine's own, and no descriptor more than at the start. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"

#define CYCLES 200

static char proj[256], scen[300];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	int n = 0;

	assert_non_null(d);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1;   /* the DIR's own */
}

/* This process's children now: alive ones in *alive, zombies in *zombies. */
static void children(int *alive, int *zombies)
{
	char path[300], buf[4096], st[512];
	DIR *d;
	struct dirent *de;

	*alive = *zombies = 0;
	d = opendir("/proc/self/task");
	assert_non_null(d);
	while ((de = readdir(d))) {
		FILE *f;
		size_t n;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/self/task/%s/children", de->d_name);
		if (!(f = fopen(path, "r")))
			continue;
		n = fread(buf, 1, sizeof buf - 1, f);
		buf[n] = '\0';
		fclose(f);
		for (char *p = strtok(buf, " \n"); p; p = strtok(NULL, " \n")) {
			FILE *s;
			char *paren;

			snprintf(path, sizeof path, "/proc/%s/stat", p);
			if (!(s = fopen(path, "r")))
				continue;
			n = fread(st, 1, sizeof st - 1, s);
			st[n] = '\0';
			fclose(s);
			paren = strrchr(st, ')');
			if (paren && paren[1] == ' ' && paren[2] == 'Z')
				++*zombies;
			else
				++*alive;
		}
	}
	closedir(d);
}

static int setup(void **state)
{
	char path[1024], cwd[256], *text;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0), 0);
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(proj, sizeof proj, "%s/cb-test-cycles.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(proj));
	snprintf(scen, sizeof scen, "%s/scen", proj);
	snprintf(path, sizeof path, "mkdir -p %s", scen);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/Cargo.toml", proj);
	put(path, "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
	text = xasprintf("[target]\n\tcargo = %s/tests/lib/fake-cargo\n"
			 "[target \"x86_64-unknown-linux-gnu\"]\n"
			 "[target \"x86_64-pc-windows-gnu\"]\n"
			 "[target \"aarch64-unknown-linux-gnu\"]\n"
			 "\ttimeout = 1\n", cwd);
	snprintf(path, sizeof path, "%s/.crossbench", proj);
	put(path, text);
	free(text);
	/* A build with a grandchild that ignores SIGTERM, as a linker or a
	 * build script stuck in a system call can. */
	snprintf(path, sizeof path, "%s/x86_64-unknown-linux-gnu", scen);
	put(path, "say 'building'\nsh -c 'trap \"\" TERM; sleep 60' &\nsleep 60\n");
	/* One that does not ignore it, and leaves a background child. */
	snprintf(path, sizeof path, "%s/x86_64-pc-windows-gnu", scen);
	put(path, "say 'building'\nsleep 60 &\nsleep 60\n");
	/* One whose whole group ignores it, stopped by its timeout. */
	snprintf(path, sizeof path, "%s/aarch64-unknown-linux-gnu", scen);
	put(path, "trap '' TERM\nsay 'building'\nsh -c 'trap \"\" TERM; sleep 60' &\nsleep 60\n");
	setenv("FAKE_CARGO_DIR", scen, 1);
	setenv("CROSSBENCH_DATADIR", cwd, 1);
	setenv("XDG_CONFIG_HOME", scen, 1);
	setenv("CROSSBENCH_TRUST", proj, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", proj);
	return system(cmd) == 0 ? 0 : -1;
}

static struct engine *open_engine(struct config *cfg)
{
	struct engine_options eo = { .strategy = ENGINE_SPLIT, .slots = 2,
				     .kill_grace_ms = 100 };
	struct cb_err err;
	struct engine *e;

	assert_int_equal(config_load(cfg, proj, "/nonexistent", NULL, &err), 0);
	e = engine_new(proj, cfg, &eo, &err);
	assert_non_null(e);
	return e;
}

static void until_running(struct engine *e, struct job *j)
{
	for (int turns = 0; j->state == JOB_QUEUED || j->pid <= 0; turns++) {
		engine_poll(e, NULL, 0, 50);
		assert_true(turns < 400);
	}
	/* Until it has printed: its children are started. */
	for (int turns = 0; j->state == JOB_RUNNING && logstore_lines(j->log) < 3; turns++) {
		engine_poll(e, NULL, 0, 50);
		assert_true(turns < 400);
	}
}

static void until_idle(struct engine *e)
{
	for (int turns = 0; engine_queued(e) + engine_running(e) > 0; turns++) {
		engine_poll(e, NULL, 0, 50);
		assert_true(turns < 2000);
	}
}

/* Any orphan killed with its group is a zombie of ours now: reap it. */
static int reap_orphans(void)
{
	int n = 0;

	while (waitpid(-1, NULL, WNOHANG) > 0)
		n++;
	return n;
}

static void assert_nothing_left(const char *when, pid_t *pids, size_t npids)
{
	int alive, zombies;

	/* The engine's own children were reaped by the engine: a zombie
	 * among them would be a leak.  Checked before we reap anything. */
	for (size_t i = 0; i < npids; i++) {
		char path[64];
		FILE *f;

		snprintf(path, sizeof path, "/proc/%d/stat", (int)pids[i]);
		if ((f = fopen(path, "r"))) {
			fclose(f);
			fail_msg("%s: build process %d is still there", when, (int)pids[i]);
		}
	}
	usleep(200 * 1000);
	reap_orphans();
	children(&alive, &zombies);
	if (alive || zombies)
		fail_msg("%s: %d processes and %d zombies left", when, alive, zombies);
}

static void test_start_cancel_cycles(void **state)
{
	struct config cfg;
	struct engine *e;
	struct cb_err err;
	int fds0, fds1;
	pid_t *pids = calloc(CYCLES + 8, sizeof *pids);
	size_t npids = 0;

	(void)state;
	/* What a process keeps once it has had an engine (the signal pipe,
	 * the diagnosis threads' pool) is not a leak: count after one. */
	e = open_engine(&cfg);
	engine_free(e);
	config_fini(&cfg);
	fds0 = count_fds();
	e = open_engine(&cfg);
	fds1 = count_fds();
	for (int i = 0; i < CYCLES; i++) {
		/* One in four has the child that ignores SIGTERM. */
		const char *t = i % 4 == 0 ? "x86_64-unknown-linux-gnu" : "x86_64-pc-windows-gnu";
		struct job *j = engine_queue(e, t, "dev", &err);

		assert_non_null(j);
		until_running(e, j);
		assert_int_equal(j->state, JOB_RUNNING);
		pids[npids++] = j->pid;
		engine_cancel(e, j);
		until_idle(e);
		assert_int_equal(j->state, JOB_CANCELLED);
		/* Reap what the group's kill left to us as we go; checked below. */
		reap_orphans();
	}
	/* Three timeouts of a build that ignores SIGTERM everywhere. */
	for (int i = 0; i < 3; i++) {
		struct job *j = engine_queue(e, "aarch64-unknown-linux-gnu", "dev", &err);

		assert_non_null(j);
		until_running(e, j);
		pids[npids++] = j->pid;
		until_idle(e);
		assert_int_equal(j->state, JOB_TIMEOUT);
	}
	assert_nothing_left("after the cycles", pids, npids);
	/* The newest build of each of the three targets keeps its log open
	 * for the log pane; every build it replaced has closed its own. */
	if (count_fds() != fds1 + 3)
		system("ls -l /proc/$PPID/fd >&2");
	assert_int_equal(count_fds(), fds1 + 3);

	/* Freeing the engine (quit) with builds running stops them all. */
	npids = 0;
	{
		const char *t[] = { "x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu" };

		for (int i = 0; i < 2; i++) {
			struct job *j = engine_queue(e, t[i], "dev", &err);

			assert_non_null(j);
			until_running(e, j);
			pids[npids++] = j->pid;
		}
	}
	engine_free(e);
	config_fini(&cfg);
	assert_nothing_left("after engine_free", pids, npids);
	assert_int_equal(count_fds(), fds0);
	free(pids);
	printf("cycles: %d start/cancel, 3 timeouts, 1 quit with 2 running: "
	       "no process, zombie or descriptor left\n", CYCLES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_cancel_cycles),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
