/* test_jobserver.c - slots, non-blocking acquire, repair, the env. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "jobserver.h"

static void test_slots(void **state)
{
	struct jobserver js;
	struct cb_err err;

	(void)state;
	assert_int_equal(jobserver_init(&js, 3, &err), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(jobserver_try_acquire(&js), 1);
	/* The fourth does not block: no slot now. */
	assert_int_equal(jobserver_try_acquire(&js), 0);
	jobserver_release(&js);
	assert_int_equal(jobserver_try_acquire(&js), 1);
	assert_int_equal(jobserver_try_acquire(&js), 0);
	jobserver_release(&js);
	jobserver_release(&js);
	jobserver_release(&js);
	assert_int_equal(js.held, 0);
	jobserver_release(&js);   /* more releases than takes are ignored */
	assert_int_equal(js.held, 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(jobserver_try_acquire(&js), 1);
	assert_int_equal(jobserver_try_acquire(&js), 0);
	jobserver_fini(&js);
}

/* A child killed while holding extra tokens takes them with it; with no
 * child running, repair puts the pool back to its size. */
static void test_repair(void **state)
{
	struct jobserver js;
	struct cb_err err;
	char c;

	(void)state;
	assert_int_equal(jobserver_init(&js, 4, &err), 0);
	assert_int_equal(jobserver_try_acquire(&js), 1);   /* a cargo's slot */
	/* That cargo reads two more through the shared end, then dies. */
	assert_int_equal(read(js.rfd, &c, 1), 1);
	assert_int_equal(read(js.rfd, &c, 1), 1);
	jobserver_release(&js);
	assert_int_equal(jobserver_repair(&js), 2);
	for (int i = 0; i < 4; i++)
		assert_int_equal(jobserver_try_acquire(&js), 1);
	assert_int_equal(jobserver_try_acquire(&js), 0);
	for (int i = 0; i < 4; i++)
		jobserver_release(&js);
	assert_int_equal(jobserver_repair(&js), 0);
	jobserver_fini(&js);
}

/* The children's end blocks (cargo expects that); ours does not; both are
 * close-on-exec until a child is set up; the env names the pipe. */
static void test_fds_and_env(void **state)
{
	struct jobserver js;
	struct cb_err err;
	struct strv env;
	char want[96];

	(void)state;
	assert_int_equal(jobserver_init(&js, 2, &err), 0);
	assert_false(fcntl(js.rfd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(jobserver_fd(&js), F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(js.rfd, F_GETFD) & FD_CLOEXEC);
	assert_true(fcntl(js.wfd, F_GETFD) & FD_CLOEXEC);
	strv_init(&env);
	strv_push(&env, "MFLAGS=-j8");
	strv_push(&env, "MAKEFLAGS=-j8");
	jobserver_env(&js, &env);
	snprintf(want, sizeof want, "-j --jobserver-fds=%d,%d --jobserver-auth=%d,%d",
		 js.rfd, js.wfd, js.rfd, js.wfd);
	assert_string_equal(strv_getenv(&env, "CARGO_MAKEFLAGS"), want);
	assert_string_equal(strv_getenv(&env, "MAKEFLAGS"), want);
	assert_null(strv_getenv(&env, "MFLAGS"));
	strv_fini(&env);
	jobserver_child_setup(&js);
	assert_false(fcntl(js.rfd, F_GETFD) & FD_CLOEXEC);
	jobserver_fini(&js);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slots),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_fds_and_env),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
