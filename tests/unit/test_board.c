/* test_board.c - the board from a real engine running the fake cargo:
 * cells follow the jobs, a result survives a restart with its artifact
 * verdict and the diagnosis of its log, and a fix is written the way the
 * screen shows it (a list entry is an entry, not a substring). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "board.h"
#include "diagnose.h"
#include "engine.h"

static char proj[256], scen[300];

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[1024], cwd[256], *text;
	const char *linux_exe = "hello-x86_64";

	(void)state;
	assert_non_null(getcwd(cwd, sizeof cwd));
	snprintf(proj, sizeof proj, "%s/cb-test-board.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(proj));
	snprintf(scen, sizeof scen, "%s/scen", proj);
	snprintf(path, sizeof path, "mkdir -p %s/p %s", proj, scen);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/p/Cargo.toml", proj);
	put(path, "[package]\nname = \"app\"\nversion = \"0.1.0\"\n");
	text = xasprintf("[target]\n\tcargo = %s/tests/lib/fake-cargo\n"
			 "[target \"x86_64-unknown-linux-gnu\"]\n"
			 "[target \"x86_64-pc-windows-gnu\"]\n"
			 "[target \"aarch64-unknown-linux-gnu\"]\n"
			 "\tlibpath = /opt/ssl3\n", cwd);
	snprintf(path, sizeof path, "%s/p/.crossbench", proj);
	put(path, text);
	free(text);
	/* windows makes a Linux binary; aarch64 fails to link. */
	snprintf(path, sizeof path, "%s/x86_64-pc-windows-gnu", scen);
	text = xasprintf("artifact \"$PWD/target/x86_64-pc-windows-gnu/debug/app.exe\" %s\n"
			 "finish true\n", linux_exe);
	put(path, text);
	free(text);
	snprintf(path, sizeof path, "%s/aarch64-unknown-linux-gnu", scen);
	put(path, "message \"$(printf 'error: linking with `cc` failed: exit status: 1\\n"
		  "  = note: /usr/bin/ld: x.o: Relocations in generic ELF (EM: 183)\\n"
		  "          /usr/bin/ld: x.o: error adding symbols: file in wrong format')\"\n"
		  "finish false\nexit 101\n");
	setenv("FAKE_CARGO_DIR", scen, 1);
	setenv("CROSSBENCH_DATADIR", cwd, 1);   /* the rules of this tree */
	setenv("XDG_CONFIG_HOME", scen, 1);
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
	struct board *b;
	int changes, finishes;
};

static void seen_change(void *ctx, struct job *j)
{
	(void)j;
	((struct session *)ctx)->changes++;
}

static void seen_finish(void *ctx, struct job *j)
{
	(void)j;
	((struct session *)ctx)->finishes++;
}

static void open_session(struct session *s)
{
	static const struct engine_observer obs = { seen_change, seen_finish, NULL, NULL };
	struct engine_options eo = { .strategy = ENGINE_SPLIT };
	char dir[300];
	struct cb_err err;

	memset(s, 0, sizeof *s);
	snprintf(dir, sizeof dir, "%s/p", proj);
	assert_int_equal(config_load(&s->cfg, dir, "/nonexistent", NULL, &err), 0);
	s->e = engine_new(dir, &s->cfg, &eo, &err);
	assert_non_null(s->e);
	s->b = board_new(s->e, &s->cfg);
	board_set_observer(s->b, &obs, s);
	board_reload(s->b, NULL);
	assert_int_equal(board_count(s->b), 3);
}

static void close_session(struct session *s)
{
	board_free(s->b);
	engine_free(s->e);
	config_fini(&s->cfg);
}

static const struct board_cell *cell(struct session *s, const char *triple)
{
	struct board_row *r = board_find(s->b, triple);

	assert_non_null(r);
	return &r->cell[0];
}

static void check_results(struct session *s, int live)
{
	const struct board_cell *c;
	const struct diagnose *d;

	c = cell(s, "x86_64-unknown-linux-gnu");
	assert_true(c->known);
	assert_int_equal(c->state, JOB_PASSED);
	assert_int_equal(c->verdict, BOARD_ART_OK);
	assert_true(live ? c->job != NULL : c->job == NULL && c->hist != NULL);
	assert_null(board_diagnosis(board_find(s->b, "x86_64-unknown-linux-gnu"), 0));

	c = cell(s, "x86_64-pc-windows-gnu");
	assert_int_equal(c->state, JOB_PASSED);
	assert_int_equal(c->verdict, BOARD_ART_MISMATCH);
	assert_non_null(board_art_problem(c));
	assert_non_null(strstr(board_art_problem(c), "x86_64"));

	c = cell(s, "aarch64-unknown-linux-gnu");
	assert_int_equal(c->state, JOB_FAILED);
	assert_int_equal(c->verdict, BOARD_ART_NONE);
	d = board_diagnosis(board_find(s->b, "aarch64-unknown-linux-gnu"), 0);
	assert_non_null(d);
	assert_true(diagnose_count(d) > 0);
	assert_string_equal(category_name(diagnose_get(d, 0)->category), "wrong-linker-format");
	assert_true(board_evidence_line(board_find(s->b, "aarch64-unknown-linux-gnu"), 0, 0) > 0);
}

/* Cells follow a real build, then survive a restart. */
static void test_build_and_restart(void **state)
{
	struct session s;
	struct cb_err err;
	const char *t[] = { "x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu",
			    "aarch64-unknown-linux-gnu" };

	(void)state;
	open_session(&s);
	for (int i = 0; i < 3; i++) {
		assert_false(cell(&s, t[i])->known);
		assert_non_null(engine_queue(s.e, t[i], NULL, &err));
	}
	board_refresh(s.b);
	while (engine_queued(s.e) + engine_running(s.e) > 0)
		engine_poll(s.e, NULL, 0, 1000);
	/* The board heard every end and passed it on. */
	assert_int_equal(s.finishes, 3);
	assert_true(s.changes >= 3);
	check_results(&s, 1);
	close_session(&s);

	/* A new session knows the same from the history and the logs, and
	 * keeps knowing it when the rows are made again (a settings reload
	 * moves each cell, with the check it owns). */
	open_session(&s);
	check_results(&s, 0);
	board_reload(s.b, NULL);
	check_results(&s, 0);
	close_session(&s);
}

/* A list setting gains an entry only when none of its entries is it:
 * /opt/ssl is not /opt/ssl3. */
static void test_fix_value(void **state)
{
	struct session s;
	struct diagnosis_fix f = { 0 };
	char *v;

	(void)state;
	open_session(&s);
	f.kind = DIAGNOSIS_FIX_SET;
	f.target = "aarch64-unknown-linux-gnu";
	f.key = "libpath";
	f.value = "/opt/ssl";
	v = board_fix_value(s.b, &f);
	assert_string_equal(v, "/opt/ssl3\n/opt/ssl");
	free(v);
	f.value = "/opt/ssl3";
	v = board_fix_value(s.b, &f);
	assert_string_equal(v, "/opt/ssl3");
	free(v);
	f.key = "linker";
	f.value = "aarch64-linux-gnu-gcc";
	v = board_fix_value(s.b, &f);
	assert_string_equal(v, "aarch64-linux-gnu-gcc");
	free(v);
	close_session(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_and_restart),
		cmocka_unit_test(test_fix_value),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
