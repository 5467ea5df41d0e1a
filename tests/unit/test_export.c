/* test_export.c - settings as .cargo/config.toml and shell lines; the
 * merge into a config.toml that keeps everything else. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "export.h"
#include "toml_scan.h"

static char tmpdir[] = "/tmp/cb-test-export.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	setenv("CARGO_HOME", "/nonexistent/cargo-home", 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[4200];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static char *read_all(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	buf_init(&b);
	buf_puts(&b, "");
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

/* A project called name whose .crossbench is text; the settings of the
 * targets named (NULL-ended) in ts[]. */
static size_t project(const char *name, const char *text, const char *const triples[],
		      struct target_settings *ts, char *dir, size_t dn)
{
	struct config c;
	struct cb_err err;
	char path[4400];
	size_t n = 0;

	snprintf(dir, dn, "%s/%s", tmpdir, name);
	mkdir(dir, 0755);
	snprintf(path, sizeof path, "%s/.crossbench", dir);
	write_file(path, text);
	assert_int_equal(config_load(&c, dir, "/nonexistent/user", NULL, &err), 0);
	assert_int_equal(c.nproblems, 0);
	for (; triples[n]; n++)
		config_resolve(&c, triples[n], &ts[n]);
	config_fini(&c);
	return n;
}

static void fini_all(struct target_settings *ts, size_t n)
{
	for (size_t i = 0; i < n; i++)
		target_settings_fini(&ts[i]);
}

static const char *const two[] = {
	"aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu", NULL,
};

static const char settings_text[] =
	"[target]\n"
	"\tcargo = /usr/bin/cargo\n"
	"\trustc = /usr/bin/rustc\n"
	"[target \"aarch64-unknown-linux-gnu\"]\n"
	"\tlinker = aarch64-linux-gnu-gcc\n"
	"\tcc = aarch64-linux-gnu-gcc\n"
	"\tcflags = -O2 -g\n"
	"\trustflags = -C target-feature=+crt-static\n"
	"\tlibpath = /usr/lib/gcc-cross/aarch64-linux-gnu/12\n"
	"\trunner = qemu-aarch64 -L /usr/aarch64-linux-gnu\n"
	"[target \"x86_64-pc-windows-gnu\"]\n"
	"\tenv = WINAPI_NO_BUNDLED_LIBRARIES=1\n"
	"\tar = x86_64-w64-mingw32-ar\n";

static const char block_text[] =
	EXPORT_BEGIN " written by `crossbench export --cargo-config --write`\n"
	"# from crossbench's settings of aarch64-unknown-linux-gnu, x86_64-pc-windows-gnu.\n"
	"# Edit those (.crossbench), not this block: it is rewritten each time.\n"
	"# cargo = /usr/bin/cargo: build with that cargo (no config file can choose it)\n"
	"\n"
	"[build]\n"
	"rustc = \"/usr/bin/rustc\"\n"
	"\n"
	"[target.aarch64-unknown-linux-gnu]\n"
	"linker = \"aarch64-linux-gnu-gcc\"\n"
	"rustflags = [\"-C\", \"target-feature=+crt-static\", \"-L\", "
	"\"/usr/lib/gcc-cross/aarch64-linux-gnu/12\"]\n"
	"runner = [\"qemu-aarch64\", \"-L\", \"/usr/aarch64-linux-gnu\"]\n"
	"\n"
	"[env]\n"
	"CC_aarch64_unknown_linux_gnu = \"aarch64-linux-gnu-gcc\"\n"
	"CFLAGS_aarch64_unknown_linux_gnu = \"-O2 -g\"\n"
	"AR_x86_64_pc_windows_gnu = \"x86_64-w64-mingw32-ar\"\n"
	"WINAPI_NO_BUNDLED_LIBRARIES = \"1\"\n"
	EXPORT_END "\n";

static void test_cargo_config(void **state)
{
	struct target_settings ts[2];
	struct strv warn;
	struct cb_err err;
	char dir[4200];
	struct buf out;
	size_t n = project("cfg", settings_text, two, ts, dir, sizeof dir);

	(void)state;
	buf_init(&out);
	strv_init(&warn);
	assert_int_equal(export_cargo_config(ts, n, dir, &out, &warn, &err), 0);
	assert_string_equal(out.data, block_text);
	/* [env] is every target's: the one only Windows sets is said */
	assert_int_equal(warn.n, 1);
	assert_non_null(strstr(warn.v[0], "WINAPI_NO_BUNDLED_LIBRARIES: only "
			       "x86_64-pc-windows-gnu sets it"));
	strv_fini(&warn);
	buf_fini(&out);
	fini_all(ts, n);
}

static void test_env(void **state)
{
	struct target_settings ts[2];
	struct strv warn;
	struct cb_err err;
	char dir[4200];
	struct buf out;
	size_t n = project("env", settings_text, two, ts, dir, sizeof dir);

	(void)state;
	buf_init(&out);
	strv_init(&warn);
	assert_int_equal(export_env(ts, n, dir, &out, &warn, &err), 0);
	assert_string_equal(out.data,
		"# crossbench export --env: what crossbench sets for the builds of "
		"aarch64-unknown-linux-gnu, x86_64-pc-windows-gnu\n"
		"# cargo = /usr/bin/cargo: build with that cargo (no config file can choose it)\n"
		"export RUSTC=/usr/bin/rustc\n"
		"export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc\n"
		"export CFLAGS_aarch64_unknown_linux_gnu='-O2 -g'\n"
		"export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc\n"
		"export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS='-C "
		"target-feature=+crt-static -L /usr/lib/gcc-cross/aarch64-linux-gnu/12'\n"
		"export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER='qemu-aarch64 -L "
		"/usr/aarch64-linux-gnu'\n"
		"export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar\n"
		"export WINAPI_NO_BUNDLED_LIBRARIES=1\n");
	strv_fini(&warn);
	buf_fini(&out);
	fini_all(ts, n);
}

/* Two targets that need different values in a shared table; the
 * toolchain setting; cargo's own variables. */
static void test_conflicts(void **state)
{
	static const char *const t2[] = {
		"aarch64-unknown-linux-gnu", "thumbv8m.main-none-eabi", NULL,
	};
	struct target_settings ts[2];
	struct strv warn;
	struct cb_err err;
	char dir[4200];
	struct buf out;
	size_t n = project("conflict",
			   "[target \"aarch64-unknown-linux-gnu\"]\n\trustc = /a/rustc\n"
			   "\ttoolchain = nightly\n\tenv = CARGO_PROFILE_DEV_DEBUG=0\n"
			   "\tenv = \"QUOTE=a\\\"b\\\\c\"\n"
			   "[target \"thumbv8m.main-none-eabi\"]\n\trustc = /b/rustc\n"
			   "\tlinker = rust-lld\n", t2, ts, dir, sizeof dir);

	(void)state;
	buf_init(&out);
	strv_init(&warn);
	assert_int_equal(export_cargo_config(ts, n, dir, &out, &warn, &err), 0);
	assert_non_null(strstr(out.data, "rustc = \"/a/rustc\"\n"));
	assert_null(strstr(out.data, "/b/rustc"));
	assert_non_null(strstr(out.data, "\n[target.\"thumbv8m.main-none-eabi\"]\nlinker = \"rust-lld\"\n"));
	assert_non_null(strstr(out.data, "# toolchain = nightly: run cargo +nightly"));
	assert_non_null(strstr(out.data, "QUOTE = \"a\\\"b\\\\c\"\n"));
	assert_null(strstr(out.data, "CARGO_PROFILE"));
	assert_int_equal(warn.n, 3);
	assert_non_null(strstr(warn.v[0], "CARGO_PROFILE_DEV_DEBUG: cargo reads it from its own"));
	assert_non_null(strstr(warn.v[1], "[build] rustc: aarch64-unknown-linux-gnu sets "
			       "'/a/rustc' and thumbv8m.main-none-eabi sets '/b/rustc'"));
	assert_non_null(strstr(warn.v[2], "QUOTE: only aarch64-unknown-linux-gnu"));
	buf_reset(&out);
	strv_fini(&warn);
	strv_init(&warn);
	assert_int_equal(export_env(ts, n, dir, &out, &warn, &err), 0);
	assert_non_null(strstr(out.data, "export RUSTUP_TOOLCHAIN=nightly\n"));
	assert_non_null(strstr(out.data, "export QUOTE='a\"b\\c'\n"));
	strv_fini(&warn);
	buf_fini(&out);
	fini_all(ts, n);
}

static char *merge(const char *old, struct strv *warn, int want_rc)
{
	struct target_settings ts[2];
	struct cb_err err;
	char dir[4200];
	struct buf out;
	size_t n = project("merge", settings_text, two, ts, dir, sizeof dir);
	int rc;

	buf_init(&out);
	rc = export_cargo_config_merge(old, "config.toml", ts, n, dir, &out, warn, &err);
	assert_int_equal(rc, want_rc);
	fini_all(ts, n);
	if (rc < 0) {
		buf_fini(&out);
		return xstrdup(err.msg);
	}
	return buf_detach(&out);
}

static const char samples_config[] =
	"# Offline builds against Debian's packaged crate sources (librust-*-dev).\n"
	"[source.crates-io]\n"
	"replace-with = \"debian\"\n"
	"\n"
	"[source.debian]\n"
	"directory = \"/usr/share/cargo/registry\"\n"
	"\n"
	"[net]\n"
	"offline = true";     /* no newline at the end, as in samples/ */

static void test_merge_keeps(void **state)
{
	struct strv warn;
	char *a, *b, *c;
	struct buf want;

	(void)state;
	strv_init(&warn);
	a = merge(samples_config, &warn, 0);
	buf_init(&want);
	buf_printf(&want, "%s\n\n%s", samples_config, block_text);
	assert_string_equal(a, want.data);
	/* idempotent */
	b = merge(a, &warn, 0);
	assert_string_equal(b, a);
	/* the user adds after the block: the block stays where it is */
	c = xasprintf("%s[alias]\nb = \"build\"\n", a);
	free(b);
	b = merge(c, &warn, 0);
	assert_string_equal(b, c);
	free(a);
	free(b);
	free(c);
	buf_fini(&want);
	strv_fini(&warn);
}

/* Tables the file has take crossbench's keys as marked lines; a key the
 * file sets is kept. */
static void test_merge_tables(void **state)
{
	static const char old[] =
		"[build]\n"
		"jobs = 2\n"
		"\n"
		"[target.aarch64-unknown-linux-gnu]\n"
		"linker = \"my-gcc\"\n"
		"rustflags = [\n"
		"  \"-C\", \"debuginfo=1\",  # a comment ]\n"
		"]\n"
		"\n"
		"[env]\n"
		"WINAPI_NO_BUNDLED_LIBRARIES = { value = \"0\", force = true }\n";
	struct strv warn;
	char *a, *b;

	(void)state;
	strv_init(&warn);
	a = merge(old, &warn, 0);
	assert_non_null(strstr(a, "[build]\njobs = 2\nrustc = \"/usr/bin/rustc\"  "
			       EXPORT_LINE_MARK "\n\n[target.aarch64-unknown-linux-gnu]\n"
			       "linker = \"my-gcc\"\nrustflags = [\n"));
	assert_non_null(strstr(a, "]\nrunner = [\"qemu-aarch64\", \"-L\", "
			       "\"/usr/aarch64-linux-gnu\"]  " EXPORT_LINE_MARK "\n\n[env]\n"
			       "WINAPI_NO_BUNDLED_LIBRARIES = { value = \"0\", force = true }\n"
			       "CC_aarch64_unknown_linux_gnu = \"aarch64-linux-gnu-gcc\"  "
			       EXPORT_LINE_MARK "\n"));
	/* nothing of crossbench's is left for a block but the comment */
	assert_non_null(strstr(a, "\n\n" EXPORT_BEGIN));
	assert_null(strstr(a, "\n[build]\nrustc"));
	{
		int lk = 0, rf = 0, wi = 0;

		for (size_t i = 0; i < warn.n; i++) {
			lk |= strstr(warn.v[i], "config.toml:5: [target.aarch64-unknown-linux-gnu] "
				     "linker is set there already; kept it") != NULL;
			rf |= strstr(warn.v[i], "rustflags is set there already") != NULL;
			wi |= strstr(warn.v[i], "[env] WINAPI_NO_BUNDLED_LIBRARIES is set") != NULL;
		}
		assert_true(lk && rf && wi);
	}
	b = merge(a, &warn, 0);
	assert_string_equal(b, a);
	free(a);
	free(b);

	/* an inline [env]: no key can go in */
	a = merge("env = { A = \"1\" }\n", &warn, 0);
	assert_null(strstr(a, "CC_aarch64"));
	free(a);

	/* a table made by dotted keys takes dotted keys */
	a = merge("build.jobs = 1\n[net]\noffline = true\n", &warn, 0);
	assert_non_null(strstr(a, "build.jobs = 1\nbuild.rustc = \"/usr/bin/rustc\"  "
			       EXPORT_LINE_MARK "\n[net]\n"));
	free(a);
	strv_fini(&warn);
}

static void test_merge_block(void **state)
{
	struct strv warn;
	char *a, *old;

	(void)state;
	strv_init(&warn);
	/* a block that never ends is not guessed at */
	a = merge("[net]\n" EXPORT_BEGIN "\n[build]\nrustc = \"x\"\n", &warn, -1);
	assert_non_null(strstr(a, "config.toml:2: crossbench's block starts here"));
	free(a);
	/* keys with no table below the block would fall into its last
	 * table: the block moves to the end */
	old = xasprintf("%sjobs = 1\n[net]\noffline = true\n", block_text);
	a = merge(old, &warn, 0);
	assert_int_equal(strncmp(a, "jobs = 1\n[net]\noffline = true\n\n" EXPORT_BEGIN,
				 strlen("jobs = 1\n[net]\noffline = true\n\n" EXPORT_BEGIN)), 0);
	free(a);
	free(old);
	/* an array left open to the end of a file without a last newline:
	 * merging the merged text again changes nothing (found by
	 * fuzz_toml) */
	a = merge("[target.aarch64-unknown-linux-gnu]\nrunner = [\n  \"q\",", &warn, 0);
	old = merge(a, &warn, 0);
	assert_string_equal(old, a);
	free(a);
	free(old);
	/* the old block's lines are replaced, even edited ones */
	old = xasprintf("[net]\noffline = true\n" EXPORT_BEGIN "\n[build]\n"
			"rustc = \"/old\"\n" EXPORT_END "\n[alias]\nb = \"build\"\n");
	a = merge(old, &warn, 0);
	assert_null(strstr(a, "/old"));
	assert_non_null(strstr(a, "offline = true\n" EXPORT_BEGIN));
	assert_non_null(strstr(a, EXPORT_END "\n[alias]\nb = \"build\"\n"));
	free(a);
	free(old);
	strv_fini(&warn);
}

static void test_write(void **state)
{
	struct target_settings ts[2];
	struct strv warn;
	struct cb_err err;
	char dir[4200], path[4400];
	char *text;
	size_t n = project("write", settings_text, two, ts, dir, sizeof dir);

	(void)state;
	strv_init(&warn);
	assert_int_equal(export_cargo_config_write(dir, ts, n, &warn, &err), 1);
	snprintf(path, sizeof path, "%s/.cargo/config.toml", dir);
	text = read_all(path);
	assert_string_equal(text, block_text);
	free(text);
	assert_int_equal(export_cargo_config_write(dir, ts, n, &warn, &err), 0);
	strv_fini(&warn);
	fini_all(ts, n);
}

static void test_get(void **state)
{
	char dir[4200], sub[4400], path[4500];
	struct strv v;
	char *file = NULL;

	(void)state;
	snprintf(dir, sizeof dir, "%s/get", tmpdir);
	snprintf(sub, sizeof sub, "%s/get/member", tmpdir);
	mkdir(dir, 0755);
	mkdir(sub, 0755);
	snprintf(path, sizeof path, "%s/.cargo", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/.cargo/config.toml", dir);
	write_file(path, "[build]\nrustc = '/usr/bin/rustc'  # Debian's\n"
		   "[target.\"aarch64-unknown-linux-gnu\"]\nrunner = [\n"
		   "  \"qemu-aarch64\",  # emulator\n  \"-L\", \"/usr/aarch64-linux-gnu\",\n]\n"
		   "[target.'thumbv8m.main-none-eabi']\nlinker = \"rust-lld\"\n");
	snprintf(path, sizeof path, "%s/.cargo", sub);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/.cargo/config", sub);
	write_file(path, "target.aarch64-unknown-linux-gnu.linker = \"near-gcc\"\n");
	strv_init(&v);
	assert_int_equal(export_cargo_config_get(sub, "build", "rustc", &v, &file), 1);
	assert_string_equal(v.v[0], "/usr/bin/rustc");
	assert_non_null(strstr(file, "/get/.cargo/config.toml"));
	free(file);
	file = NULL;
	assert_int_equal(export_cargo_config_get(sub, "target.aarch64-unknown-linux-gnu",
						 "linker", &v, &file), 1);
	assert_string_equal(v.v[1], "near-gcc");
	assert_non_null(strstr(file, "/member/.cargo/config"));
	free(file);
	assert_int_equal(export_cargo_config_get(sub, "target.aarch64-unknown-linux-gnu",
						 "runner", &v, NULL), 1);
	assert_int_equal(v.n, 5);
	assert_string_equal(v.v[2], "qemu-aarch64");
	assert_string_equal(v.v[4], "/usr/aarch64-linux-gnu");
	assert_int_equal(export_cargo_config_get(sub, "target.thumbv8m.main-none-eabi",
						 "linker", &v, NULL), 1);
	assert_string_equal(v.v[5], "rust-lld");
	assert_int_equal(export_cargo_config_get(sub, "build", "target-dir", &v, NULL), 0);
	assert_int_equal(export_cargo_config_get(NULL, "build", "rustc", &v, NULL), 0);
	strv_fini(&v);
}

static void test_toml_strings(void **state)
{
	struct buf b;

	(void)state;
	buf_init(&b);
	toml_put_string(&b, "a\"b\\c\nd\te\x01");
	assert_string_equal(b.data, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	buf_reset(&b);
	toml_put_key(&b, "CC_x86_64-pc");
	toml_put_key(&b, "a.b");
	assert_string_equal(b.data, "CC_x86_64-pc\"a.b\"");
	buf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cargo_config),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_conflicts),
		cmocka_unit_test(test_merge_keeps),
		cmocka_unit_test(test_merge_tables),
		cmocka_unit_test(test_merge_block),
		cmocka_unit_test(test_write),
		cmocka_unit_test(test_get),
		cmocka_unit_test(test_toml_strings),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
