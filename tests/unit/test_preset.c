/* test_preset.c - the presets file, choosing what is installed, filling a
 * new target's settings in. */
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
#include "host.h"
#include "packages.h"
#include "preset.h"
#include "toolchain.h"

#define FIX "tests/fixtures/doctor"

static char fixdir[4096];
static char tmpdir[] = "/tmp/cb-test-preset.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!realpath(FIX, fixdir) || !mkdtemp(tmpdir))
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

static void write_file(const char *path, const char *text, int mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, (mode_t)mode);
}

static struct presets *load(void)
{
	struct cb_err err;
	struct presets *p = preset_new();

	if (preset_add_file(p, "core/presets/targets.preset", &err) < 0)
		fail_msg("%s", err.msg);
	return p;
}

static char *first(const struct presets *p, const char *triple,
		   const char *family, enum config_key k)
{
	struct strv v;
	char *s;

	strv_init(&v);
	if (!preset_values(p, triple, family, k, &v)) {
		strv_fini(&v);
		return NULL;
	}
	s = xstrdup(v.v[0]);
	strv_fini(&v);
	return s;
}

static void expect_first(const struct presets *p, const char *triple,
			 const char *family, enum config_key k, const char *want)
{
	char *s = first(p, triple, family, k);

	if (!want) {
		assert_null(s);
		return;
	}
	assert_non_null(s);
	assert_string_equal(s, want);
	free(s);
}

/* Every target the presets promise has a linker or C compiler, and the
 * file loads without a problem. */
static void test_file(void **state)
{
	static const char *targets[] = {
		"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu",
		"armv7-unknown-linux-gnueabihf", "i686-unknown-linux-gnu",
		"riscv64gc-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu",
		"s390x-unknown-linux-gnu", "x86_64-unknown-linux-musl",
		"aarch64-unknown-linux-musl", "armv7-unknown-linux-musleabihf",
		"i686-unknown-linux-musl", "riscv64gc-unknown-linux-musl",
		"powerpc64le-unknown-linux-musl", "s390x-unknown-linux-musl",
		"x86_64-pc-windows-gnu", "i686-pc-windows-gnu", "x86_64-apple-darwin",
		"aarch64-apple-darwin", "wasm32-unknown-unknown", "wasm32-wasi",
	};
	static const char *families[] = { NULL, "debian", "fedora", "arch", "macos" };
	struct presets *p = load();

	(void)state;
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		struct triple t;

		assert_int_equal(triple_parse(&t, targets[i], NULL), 0);
		assert_true(preset_has(p, targets[i]));
		for (size_t f = 0; f < sizeof families / sizeof *families; f++) {
			char *cc = first(p, targets[i], families[f], CONFIG_CC);
			char *ld = first(p, targets[i], families[f], CONFIG_LINKER);

			/* a Mac builds for itself with the defaults */
			if (!(families[f] && !strcmp(families[f], "macos") &&
			      !strcmp(t.vendor, "apple")))
				assert_true(cc || ld);
			free(cc);
			free(ld);
		}
	}
	assert_false(preset_has(p, "mips-unknown-linux-gnu"));
	preset_free(p);
}

static void test_values(void **state)
{
	struct presets *p = load();
	struct strv v;

	(void)state;
	expect_first(p, "aarch64-unknown-linux-gnu", "debian", CONFIG_LINKER,
		     "aarch64-linux-gnu-gcc");
	expect_first(p, "aarch64-unknown-linux-gnu", NULL, CONFIG_RUNNER,
		     "qemu-aarch64 -L /usr/aarch64-linux-gnu");
	/* a host section replaces the key ... */
	expect_first(p, "aarch64-unknown-linux-gnu", "macos", CONFIG_LINKER,
		     "aarch64-unknown-linux-gnu-gcc");
	/* ... and an empty value there means none */
	expect_first(p, "aarch64-unknown-linux-gnu", "macos", CONFIG_RUNNER, NULL);
	expect_first(p, "x86_64-apple-darwin", "macos", CONFIG_CC, NULL);
	expect_first(p, "x86_64-apple-darwin", "debian", CONFIG_CC,
		     "x86_64-apple-darwin*-clang");
	strv_init(&v);
	assert_int_equal(preset_values(p, "x86_64-pc-windows-gnu", "debian",
				       CONFIG_RUNNER, &v), 3);
	assert_string_equal(v.v[1], "/usr/lib/wine/wine64");
	strv_fini(&v);
	assert_true(preset_is_program_key(CONFIG_RUNNER));
	assert_false(preset_is_program_key(CONFIG_RUSTFLAGS));
	preset_free(p);
}

/* The first alternative that is installed; '*' takes the newest match;
 * an absolute path in the arguments must exist. */
static void test_pick(void **state)
{
	char bin[4200], path[4400], *v;
	struct cb_err err;
	struct presets *p = preset_new();

	(void)state;
	snprintf(bin, sizeof bin, "%s/pick-bin", tmpdir);
	mkdir(bin, 0755);
	snprintf(path, sizeof path, "%s/x86_64-apple-darwin20.2-clang", bin);
	write_file(path, "#!/bin/sh\nexit 0\n", 0755);
	snprintf(path, sizeof path, "%s/x86_64-apple-darwin21.4-clang", bin);
	write_file(path, "#!/bin/sh\nexit 0\n", 0755);
	snprintf(path, sizeof path, "%s/o64-clang", bin);
	write_file(path, "#!/bin/sh\nexit 0\n", 0755);
	snprintf(path, sizeof path, "%s/qemu-aarch64", bin);
	write_file(path, "#!/bin/sh\nexit 0\n", 0755);
	snprintf(path, sizeof path, "%s/test.preset", tmpdir);
	write_file(path,
		   "[preset \"x86_64-apple-darwin\"]\n"
		   "\tlinker = x86_64-apple-darwin*-clang\n\tlinker = o64-clang\n"
		   "\tcc = not-here-gcc\n\tcc = o64-clang\n"
		   "[preset \"aarch64-unknown-linux-gnu\"]\n"
		   "\trunner = qemu-aarch64 -L /nonexistent/sysroot\n"
		   "\trunner = qemu-aarch64\n", 0644);
	assert_int_equal(preset_add_file(p, path, &err), 0);
	v = preset_pick(p, "x86_64-apple-darwin", "debian", CONFIG_LINKER, bin, NULL, NULL);
	assert_string_equal(v, "x86_64-apple-darwin21.4-clang");
	free(v);
	v = preset_pick(p, "x86_64-apple-darwin", "debian", CONFIG_CC, bin, NULL, NULL);
	assert_string_equal(v, "o64-clang");
	free(v);
	v = preset_pick(p, "aarch64-unknown-linux-gnu", NULL, CONFIG_RUNNER, bin, NULL, NULL);
	assert_string_equal(v, "qemu-aarch64");
	free(v);
	assert_null(preset_pick(p, "aarch64-unknown-linux-gnu", NULL, CONFIG_LINKER,
				bin, NULL, NULL));
	preset_free(p);
}

/* A later file replaces a key; unknown keys and sections are errors that
 * name the file, and the rest still loads. */
static void test_files(void **state)
{
	char a[4200], b[4200];
	struct cb_err err;
	struct presets *p = preset_new();

	(void)state;
	snprintf(a, sizeof a, "%s/a.preset", tmpdir);
	snprintf(b, sizeof b, "%s/b.preset", tmpdir);
	write_file(a, "[preset \"aarch64-unknown-linux-gnu\"]\n\tlinker = one\n"
		   "\tlinker = two\n\tcc = kept\n", 0644);
	write_file(b, "[preset \"aarch64-unknown-linux-gnu\"]\n\tlinker = three\n"
		   "\tlinkr = typo\n[presett \"x\"]\n\tcc = y\n", 0644);
	assert_int_equal(preset_add_file(p, a, &err), 0);
	assert_int_equal(preset_add_file(p, b, &err), -1);
	assert_non_null(strstr(err.msg, "b.preset"));
	expect_first(p, "aarch64-unknown-linux-gnu", NULL, CONFIG_LINKER, "three");
	expect_first(p, "aarch64-unknown-linux-gnu", NULL, CONFIG_CC, "kept");
	assert_int_equal(preset_add_file(p, "/nonexistent/x.preset", &err), -1);
	preset_free(p);
}

/* Adding aarch64 on a machine with its gcc but no qemu and no g++: the
 * linker, cc and ar are written, nothing else, nothing the user set. */
static void test_fill(void **state)
{
	char proj[4200], path[4400], envpath[8400];
	struct target_settings ts;
	struct toolchain *tc;
	struct config c;
	struct cb_err err;
	struct strv written;
	struct host h;
	struct packages *pk;
	int n;

	(void)state;
	memset(&h, 0, sizeof h);
	strcpy(h.id, "debian");
	strcpy(h.arch, "x86_64");
	h.pm = HOST_PM_APT;
	snprintf(proj, sizeof proj, "%s/proj", tmpdir);
	mkdir(proj, 0755);
	/* a riscv64 "cross compiler" that builds for x86_64 */
	snprintf(path, sizeof path, "%s/liar", tmpdir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/liar/riscv64-linux-gnu-gcc", tmpdir);
	write_file(path, "#!/bin/sh\necho x86_64-linux-gnu\n", 0755);
	snprintf(path, sizeof path, "%s/.crossbench", proj);
	snprintf(envpath, sizeof envpath, "[target]\n\tenv = PATH=%s/liar:%s/bin\n"
		 "[target \"aarch64-unknown-linux-gnu\"]\n\tar = my-ar\n", tmpdir, fixdir);
	write_file(path, envpath, 0644);
	assert_int_equal(config_load(&c, proj, "/nonexistent/user", NULL, &err), 0);

	pk = packages_load("core/presets/packages.conf", &err);
	assert_non_null(pk);
	{
		struct presets *ps = preset_new();
		char *env[] = { envpath, NULL };

		assert_int_equal(preset_add_file(ps, "core/presets/targets.preset", &err), 0);
		tc = toolchain_new_with(&h, pk, ps);
		snprintf(envpath, sizeof envpath, "PATH=%s/liar:%s/bin", tmpdir, fixdir);
		toolchain_set_env(tc, env);
	}
	strv_init(&written);
	n = preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT, "aarch64-unknown-linux-gnu",
			     &written, &err);
	if (n < 0)
		fail_msg("%s", err.msg);
	/* linker and cc; ar is the user's; no g++; qemu-aarch64 is there but
	 * -L /usr/aarch64-linux-gnu only where the cross libc is */
	assert_true(n == 2 || n == 3);
	assert_string_equal(written.v[0], "cc = aarch64-linux-gnu-gcc");
	assert_string_equal(written.v[1], "linker = aarch64-linux-gnu-gcc");
	config_resolve(&c, "aarch64-unknown-linux-gnu", &ts);
	assert_string_equal(ts.linker, "aarch64-linux-gnu-gcc");
	assert_string_equal(ts.ar, "my-ar");
	assert_null(ts.cxx);
	target_settings_fini(&ts);

	/* again: everything is set now, nothing is written */
	strv_fini(&written);
	strv_init(&written);
	assert_int_equal(preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT,
					  "aarch64-unknown-linux-gnu", &written, &err), 0);
	/* the host's own target needs no programs */
	assert_int_equal(preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT,
					  "x86_64-unknown-linux-gnu", &written, &err), 0);
	/* a compiler that builds for another machine is not written */
	assert_int_equal(preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT,
					  "riscv64gc-unknown-linux-gnu", &written, &err), 0);
	/* no preset at all */
	assert_int_equal(preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT,
					  "mips-unknown-linux-gnu", &written, &err), 0);
	assert_int_equal(preset_fill_with(tc, &c, CONFIG_LEVEL_PROJECT, "bad triple",
					  &written, &err), -1);
	strv_fini(&written);
	toolchain_free(tc);
	config_fini(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_fill),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
