/* test_job.c - settings become cargo's and cc-rs's environment. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "job.h"

static void settings(struct target_settings *ts, const char *triple)
{
	memset(ts, 0, sizeof *ts);
	strcpy(ts->triple, triple);
	ts->enabled = 1;
	ts->cargo = "/usr/bin/cargo";
	ts->rustc = "/usr/bin/rustc";
	ts->cc = "aarch64-linux-gnu-gcc";
	ts->cxx = "aarch64-linux-gnu-g++";
	ts->ar = "aarch64-linux-gnu-ar";
	ts->linker = "aarch64-linux-gnu-gcc";
	strv_split_words(&ts->rustflags, "-C target-feature=+crt-static");
	strv_split_words(&ts->cflags, "-O2 -march=armv8-a");
	strv_push(&ts->libpath, "/usr/lib/gcc-cross/aarch64-linux-gnu/12");
	strv_push(&ts->env, "PKG_CONFIG_ALLOW_CROSS=1");
	strv_push(&ts->env, "EMPTY=");
	strv_split_words(&ts->runner, "qemu-aarch64 -L /usr/aarch64-linux-gnu");
	strv_split_words(&ts->features, "fast simd");
	ts->profile = "dev";
	ts->timeout_s = 600;
}

static void free_lists(struct target_settings *ts)
{
	strv_fini(&ts->rustflags);
	strv_fini(&ts->cflags);
	strv_fini(&ts->libpath);
	strv_fini(&ts->env);
	strv_fini(&ts->runner);
	strv_fini(&ts->features);
}

static const char *argv_join(struct job *j, char *out, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < j->argv.n; i++) {
		strncat(out, i ? " " : "", n - strlen(out) - 1);
		strncat(out, j->argv.v[i], n - strlen(out) - 1);
	}
	return out;
}

static void test_env_mapping(void **state)
{
	static char *base[] = { "PATH=/usr/bin:/bin", "HOME=/root",
		"RUSTFLAGS=-C opt-level=3", "CARGO_ENCODED_RUSTFLAGS=x",
		"MAKEFLAGS=-j8", "KEEP=me", NULL };
	struct target_settings ts;
	struct job *j = job_new(1, "aarch64-unknown-linux-gnu", "dev");
	struct cb_err err;
	char cmd[1024];

	(void)state;
	settings(&ts, "aarch64-unknown-linux-gnu");
	assert_int_equal(job_prepare(j, &ts, "/proj", NULL, base, &err), 0);
	assert_string_equal(argv_join(j, cmd, sizeof cmd),
		"/usr/bin/cargo build --target aarch64-unknown-linux-gnu "
		"--message-format=json-diagnostic-rendered-ansi --color=always "
		"--features fast simd");
	assert_string_equal(strv_getenv(&j->env, "RUSTC"), "/usr/bin/rustc");
	assert_string_equal(strv_getenv(&j->env, "CC_aarch64_unknown_linux_gnu"), "aarch64-linux-gnu-gcc");
	assert_string_equal(strv_getenv(&j->env, "CXX_aarch64_unknown_linux_gnu"), "aarch64-linux-gnu-g++");
	assert_string_equal(strv_getenv(&j->env, "AR_aarch64_unknown_linux_gnu"), "aarch64-linux-gnu-ar");
	assert_string_equal(strv_getenv(&j->env, "CFLAGS_aarch64_unknown_linux_gnu"), "-O2 -march=armv8-a");
	assert_string_equal(strv_getenv(&j->env, "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER"),
			    "aarch64-linux-gnu-gcc");
	assert_string_equal(strv_getenv(&j->env, "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS"),
			    "-C target-feature=+crt-static -L /usr/lib/gcc-cross/aarch64-linux-gnu/12");
	assert_string_equal(strv_getenv(&j->env, "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER"),
			    "qemu-aarch64 -L /usr/aarch64-linux-gnu");
	assert_string_equal(strv_getenv(&j->env, "PKG_CONFIG_ALLOW_CROSS"), "1");
	assert_string_equal(strv_getenv(&j->env, "EMPTY"), "");
	assert_string_equal(strv_getenv(&j->env, "KEEP"), "me");
	/* Never the global flags, never an inherited jobserver. */
	assert_null(strv_getenv(&j->env, "RUSTFLAGS"));
	assert_null(strv_getenv(&j->env, "CARGO_ENCODED_RUSTFLAGS"));
	assert_null(strv_getenv(&j->env, "MAKEFLAGS"));
	assert_null(strv_getenv(&j->env, "CARGO_TARGET_DIR"));
	assert_int_equal(j->timeout_s, 600);
	assert_string_equal(j->cwd, "/proj");
	job_free(j);
	free_lists(&ts);
}

static void test_profiles_toolchain_dir(void **state)
{
	static char *base[] = { "PATH=/usr/bin", NULL };
	struct target_settings ts;
	struct cb_err err;
	char cmd[1024];
	struct job *j;

	(void)state;
	settings(&ts, "x86_64-pc-windows-gnu");
	ts.toolchain = "1.70.0";
	strv_fini(&ts.features);
	j = job_new(1, "x86_64-pc-windows-gnu", "release");
	assert_int_equal(job_prepare(j, &ts, "/p", "/p/target/x", base, &err), 0);
	assert_string_equal(argv_join(j, cmd, sizeof cmd),
		"/usr/bin/cargo +1.70.0 build --target x86_64-pc-windows-gnu "
		"--message-format=json-diagnostic-rendered-ansi --color=always --release");
	assert_string_equal(strv_getenv(&j->env, "CARGO_TARGET_DIR"), "/p/target/x");
	assert_string_equal(strv_getenv(&j->env, "CC_x86_64_pc_windows_gnu"), "aarch64-linux-gnu-gcc");
	job_free(j);

	j = job_new(2, "x86_64-pc-windows-gnu", "bench-lto");
	ts.toolchain = NULL;
	ts.target_dir = "/elsewhere";
	assert_int_equal(job_prepare(j, &ts, "/p", NULL, base, &err), 0);
	assert_string_equal(argv_join(j, cmd, sizeof cmd),
		"/usr/bin/cargo build --target x86_64-pc-windows-gnu "
		"--message-format=json-diagnostic-rendered-ansi --color=always "
		"--profile bench-lto");
	assert_string_equal(strv_getenv(&j->env, "CARGO_TARGET_DIR"), "/elsewhere");
	job_free(j);
	free_lists(&ts);
}

/* What cargo cannot carry is refused with a message naming it. */
static void test_refuses(void **state)
{
	struct target_settings ts;
	struct cb_err err;
	struct job *j = job_new(1, "aarch64-unknown-linux-gnu", "dev");

	(void)state;
	settings(&ts, "aarch64-unknown-linux-gnu");
	strv_fini(&ts.libpath);
	strv_push(&ts.libpath, "/opt/my sdk/lib");
	assert_int_equal(job_prepare(j, &ts, "/p", NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "/opt/my sdk/lib"));
	strv_fini(&ts.libpath);
	strv_fini(&ts.env);
	strv_push(&ts.env, "=novalue");
	assert_int_equal(job_prepare(j, &ts, "/p", NULL, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "=novalue"));
	job_free(j);
	free_lists(&ts);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_mapping),
		cmocka_unit_test(test_profiles_toolchain_dir),
		cmocka_unit_test(test_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
