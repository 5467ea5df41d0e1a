/* test_engine.c - the scheduler with the fake cargo: one job per target
 * and profile, the observer hears every change and every end once, a
 * cancelled queued build never starts, a missing cargo is a clear
 * failure, and the strategies' names round-trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "engine.h"

static char proj[256];

static void write_settings(const char *cargo)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/.crossbench", proj);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[target]\n\tcargo = %s\n[target \"x86_64-unknown-linux-gnu\"]\n"
		"[target \"x86_64-pc-windows-gnu\"]\n", cargo);
	fclose(f);
}

static char fake[512];

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	size_t n;

	if (!f)
		return NULL;
	text = calloc(1, 1 << 16);
	assert_non_null(text);
	n = fread(text, 1, (1 << 16) - 1, f);
	text[n] = 0;
	fclose(f);
	return text;
}

static int setup(void **state)
{
	char path[512], cwd[256];
	FILE *f;

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(proj, sizeof proj, "/tmp/cb-test-engine.XXXXXX");
	assert_non_null(mkdtemp(proj));
	snprintf(path, sizeof path, "%s/Cargo.toml", proj);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[package]\nname = \"app\"\nversion = \"0.1.0\"\n", f);
	fclose(f);
	snprintf(fake, sizeof fake, "%s/tests/lib/fake-cargo", cwd);
	snprintf(path, sizeof path, "mkdir -p %s/scen", proj);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/scen", proj);
	setenv("FAKE_CARGO_DIR", path, 1);
	setenv("XDG_CONFIG_HOME", path, 1);
	setenv("CROSSBENCH_DATADIR", cwd, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", proj);
	return system(cmd) == 0 ? 0 : -1;
}

struct session {
	struct config cfg;
	struct engine *e;
	int changes, finishes;
	unsigned finished_ids[8];
};

static void seen_change(void *ctx, struct job *j)
{
	(void)j;
	((struct session *)ctx)->changes++;
}

static void seen_finish(void *ctx, struct job *j)
{
	struct session *s = ctx;

	assert_true(job_state_final(j->state));
	if (s->finishes < 8)
		s->finished_ids[s->finishes] = j->id;
	s->finishes++;
}

static void open_session(struct session *s, const char *cargo)
{
	static const struct engine_observer obs = { seen_change, seen_finish, NULL, NULL };
	struct engine_options eo = { .strategy = ENGINE_SPLIT, .slots = 2 };
	struct cb_err err;

	memset(s, 0, sizeof *s);
	write_settings(cargo);
	assert_int_equal(config_load(&s->cfg, proj, "/nonexistent", NULL, &err), 0);
	s->e = engine_new(proj, &s->cfg, &eo, &err);
	assert_non_null(s->e);
	engine_set_observer(s->e, &obs, s);
}

static void run_all(struct session *s)
{
	int turns = 0;

	while (engine_queued(s->e) + engine_running(s->e) > 0) {
		engine_poll(s->e, NULL, 0, 1000);
		assert_true(++turns < 10000);
	}
}

static void close_session(struct session *s)
{
	engine_free(s->e);
	config_fini(&s->cfg);
}

/* Every strategy's name parses back to it; an unknown one is -1. */
static void test_strategy_names(void **state)
{
	enum engine_strategy all[] = { ENGINE_MULTI, ENGINE_SPLIT, ENGINE_SHARED };

	(void)state;
	for (size_t i = 0; i < sizeof all / sizeof *all; i++)
		assert_int_equal(engine_strategy_parse(engine_strategy_name(all[i])),
				 (int)all[i]);
	assert_int_equal(engine_strategy_parse("parallel"), -1);
	assert_int_equal(engine_strategy_parse(""), -1);
}

/* Queueing a target and profile twice gives the one job; another profile
 * is another job.  The observer hears each end once, and engine_latest
 * finds the newest of each. */
static void test_queue_once_and_observe(void **state)
{
	struct session s;
	struct cb_err err;
	struct job *a, *b, *c;
	const char *lin = "x86_64-unknown-linux-gnu";

	(void)state;
	open_session(&s, fake);
	assert_null(engine_latest(s.e, lin, "dev"));
	a = engine_queue(s.e, lin, "dev", &err);
	assert_non_null(a);
	b = engine_queue(s.e, lin, "dev", &err);
	assert_ptr_equal(a, b);
	c = engine_queue(s.e, lin, "release", &err);
	assert_non_null(c);
	assert_ptr_not_equal(a, c);
	assert_int_equal(engine_njobs(s.e), 2);
	assert_int_equal(engine_queued(s.e), 2);
	run_all(&s);
	assert_int_equal(s.finishes, 2);
	assert_true(s.changes >= 2);
	assert_int_equal(a->state, JOB_PASSED);
	assert_int_equal(c->state, JOB_PASSED);
	assert_ptr_equal(engine_latest(s.e, lin, "dev"), a);
	assert_ptr_equal(engine_latest(s.e, lin, "release"), c);
	/* Once it ended, the same target queues a new build. */
	b = engine_queue(s.e, lin, "dev", &err);
	assert_non_null(b);
	assert_ptr_not_equal(a, b);
	assert_ptr_equal(engine_latest(s.e, lin, "dev"), b);
	run_all(&s);
	assert_int_equal(s.finishes, 3);
	close_session(&s);
}

/* A queued job cancelled before any poll never starts: no cargo call. */
static void test_cancel_queued(void **state)
{
	struct session s;
	struct cb_err err;
	struct job *j;
	char path[512];

	(void)state;
	snprintf(path, sizeof path, "%s/calls.log", getenv("FAKE_CARGO_DIR"));
	unlink(path);
	open_session(&s, fake);
	j = engine_queue(s.e, "x86_64-pc-windows-gnu", "dev", &err);
	assert_non_null(j);
	engine_cancel(s.e, j);
	assert_int_equal(j->state, JOB_CANCELLED);
	assert_int_equal(engine_queued(s.e), 0);
	engine_poll(s.e, NULL, 0, 0);
	assert_int_equal(engine_running(s.e), 0);
	assert_true(j->pid <= 0);             /* never forked */
	assert_int_equal(access(path, F_OK), -1);   /* cargo never ran */
	close_session(&s);
}

/* A cargo that does not exist fails the build with a message naming it,
 * in the job and in its log. */
static void test_missing_cargo(void **state)
{
	struct session s;
	struct cb_err err;
	struct job *j;
	char *log;

	(void)state;
	open_session(&s, "/nonexistent/bin/cargo");
	j = engine_queue(s.e, "x86_64-unknown-linux-gnu", "dev", &err);
	assert_non_null(j);
	run_all(&s);
	assert_int_equal(j->state, JOB_FAILED);
	assert_non_null(j->error);
	assert_non_null(strstr(j->error, "/nonexistent/bin/cargo"));
	assert_non_null(strstr(j->error, "not found"));
	assert_int_equal(s.finishes, 1);
	log = slurp(j->log_path);
	assert_non_null(log);
	assert_non_null(strstr(log, "/nonexistent/bin/cargo: not found"));
	free(log);
	close_session(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strategy_names),
		cmocka_unit_test(test_queue_once_and_observe),
		cmocka_unit_test(test_cancel_queued),
		cmocka_unit_test(test_missing_cargo),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
