/* test_config.c - layered settings: loading, problems, values, writes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"
#include "remote.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif
#define FX FIXTURES "/config/"

/* ------------------------------------------------------------ helpers */

struct tmp {
	char dir[256];
	char none[300];    /* a file that does not exist */
};

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(p);
}

static int tmp_setup(void **state)
{
	struct tmp *t = calloc(1, sizeof *t);
	const char *base = getenv("TMPDIR");

	snprintf(t->dir, sizeof t->dir, "%s/cb-config.XXXXXX", base && *base ? base : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->none, sizeof t->none, "%s/none.conf", t->dir);
	/* No test may read the real user's file. */
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	*state = t;
	return 0;
}

static int tmp_teardown(void **state)
{
	struct tmp *t = *state;

	nftw(t->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(t);
	return 0;
}

static char *path_in(const struct tmp *t, const char *name)
{
	return xasprintf("%s/%s", t->dir, name);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_detach(&b);
}

static void spew(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void copy_file(const char *from, const char *to)
{
	char *text = slurp(from);

	assert_non_null(text);
	spew(to, text);
	free(text);
}

/* The value of key k of triple as config_format_value gives it. */
static char *fmt(const struct config *c, const char *triple, enum config_key k)
{
	const struct target_settings *ts = config_target(c, triple);
	struct buf b;

	if (!ts)
		fail_msg("no target %s", triple);
	buf_init(&b);
	config_format_value(ts, k, &b);
	return buf_detach(&b);
}

#define assert_fmt(c, triple, k, want) do { \
	char *got_ = fmt((c), (triple), (k)); \
	assert_string_equal(got_, (want)); \
	free(got_); \
} while (0)

/* The problem whose key or message contains needle. */
static const struct config_problem *problem(const struct config *c, const char *needle)
{
	for (size_t i = 0; i < c->nproblems; i++)
		if ((c->problems[i].key && strstr(c->problems[i].key, needle)) ||
		    strstr(c->problems[i].message, needle))
			return &c->problems[i];
	return NULL;
}

static void print_problems(const struct config *c)
{
	for (size_t i = 0; i < c->nproblems; i++)
		print_message("  %s:%d: %s [%s]\n", c->problems[i].file,
			      c->problems[i].line, c->problems[i].message,
			      c->problems[i].key ? c->problems[i].key : "-");
}

static void assert_problem(const struct config *c, const char *needle,
			   const char *file, int line, const char *message_part)
{
	const struct config_problem *p = problem(c, needle);

	if (!p) {
		print_problems(c);
		fail_msg("no problem about '%s'", needle);
	}
	assert_string_equal(p->file, file);
	if (p->line != line) {
		print_problems(c);
		fail_msg("problem '%s' on line %d, expected %d", needle, p->line, line);
	}
	if (message_part && !strstr(p->message, message_part))
		fail_msg("problem '%s': '%s' lacks '%s'", needle, p->message, message_part);
}

static void load(struct config *c, const struct tmp *t, const char *user,
		 const char *project)
{
	struct cb_err err;

	cb_err_clear(&err);
	if (config_load(c, t->dir, user, project, &err) != 0)
		fail_msg("config_load: %s", err.msg);
}

/* ------------------------------------------------------------ loading */

static void test_layers(void **state)
{
	struct tmp *t = *state;
	struct config c;
	const struct target_settings *a, *w, *m;
	char *want;

	load(&c, t, FX "user.conf", FX "project.conf");
	if (c.nproblems)
		print_problems(&c);
	assert_int_equal(c.nproblems, 0);

	/* Rows: every named target, in order of appearance, user first; an
	 * empty [target "T"] names one too. */
	assert_int_equal(c.ntargets, 4);
	assert_string_equal(c.targets[0].triple, "aarch64-unknown-linux-gnu");
	assert_string_equal(c.targets[1].triple, "x86_64-pc-windows-gnu");
	assert_string_equal(c.targets[2].triple, "thumbv8m.main-none-eabi");
	assert_string_equal(c.targets[3].triple, "wasm32-unknown-unknown");

	/* [crossbench]: the project's jobs win, the user's theme stays. */
	assert_int_equal(c.global.jobs, 2);
	assert_string_equal(c.global.theme, "dark");
	assert_null(c.global.strategy);

	a = config_target(&c, "aarch64-unknown-linux-gnu");
	assert_non_null(a);
	assert_true(a->enabled);
	assert_int_equal(a->origin[CONFIG_ENABLED], CONFIG_LEVEL_BUILTIN);
	/* From the user's [target]. */
	assert_string_equal(a->cargo, "/usr/bin/cargo");
	assert_int_equal(a->origin[CONFIG_CARGO], CONFIG_LEVEL_USER);
	assert_int_equal(a->timeout_s, 600);
	/* The project's linker replaces the user's. */
	assert_string_equal(a->linker, "aarch64-linux-gnu-gcc");
	assert_int_equal(a->origin[CONFIG_LINKER], CONFIG_LEVEL_PROJECT);
	/* A later layer wins even over a more specific section below it. */
	assert_string_equal(a->profile, "release");
	assert_int_equal(a->origin[CONFIG_PROFILE], CONFIG_LEVEL_PROJECT);
	/* Words. */
	assert_int_equal(a->rustflags.n, 2);
	assert_string_equal(a->rustflags.v[0], "-C");
	assert_string_equal(a->rustflags.v[1], "target-cpu=cortex-a72");
	/* env accumulates: user [target], user [target "T"], project; a later
	 * FOO= replaces the earlier one in place. */
	assert_int_equal(a->env.n, 3);
	assert_string_equal(a->env.v[0], "PKG_CONFIG_ALLOW_CROSS=1");
	assert_string_equal(a->env.v[1], "FOO=project");
	assert_string_equal(a->env.v[2], "BAR=1");
	assert_int_equal(a->origin[CONFIG_ENV], CONFIG_LEVEL_PROJECT);
	/* libpath accumulates, relative to the project, without repeats. */
	assert_int_equal(a->libpath.n, 2);
	assert_string_equal(a->libpath.v[0], "/opt/cross/lib");
	want = xasprintf("%s/vendor/lib", c.project_dir);
	assert_string_equal(a->libpath.v[1], want);
	free(want);
	assert_null(a->cc);
	assert_null(a->target_dir);
	assert_int_equal(a->origin[CONFIG_CC], CONFIG_LEVEL_BUILTIN);

	/* [target "T"] overrides [target] in the same file. */
	w = config_target(&c, "x86_64-pc-windows-gnu");
	assert_non_null(w);
	assert_false(w->enabled);
	assert_int_equal(w->origin[CONFIG_ENABLED], CONFIG_LEVEL_USER);
	assert_int_equal(w->timeout_s, 90);
	assert_string_equal(w->profile, "release");
	assert_int_equal(w->env.n, 1);
	assert_null(w->linker);

	/* A subsection with a dot in it. */
	m = config_target(&c, "thumbv8m.main-none-eabi");
	assert_non_null(m);
	assert_int_equal(m->runner.n, 4);
	assert_string_equal(m->runner.v[3], "nRF9160_xxAA");
	want = xasprintf("%s/target/embedded", c.project_dir);
	assert_string_equal(m->target_dir, want);
	free(want);

	assert_null(config_target(&c, "riscv64gc-unknown-linux-gnu"));
	config_fini(&c);
}

static void test_builtin_defaults_and_resolve(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct target_settings ts;
	char *missing = path_in(t, "nope/config");

	/* No files at all: nothing named, built-in defaults. */
	load(&c, t, missing, NULL);
	assert_int_equal(c.ntargets, 0);
	assert_int_equal(c.nproblems, 0);
	assert_int_equal(c.global.jobs, 0);
	config_resolve(&c, "riscv64gc-unknown-linux-gnu", &ts);
	assert_string_equal(ts.triple, "riscv64gc-unknown-linux-gnu");
	assert_true(ts.enabled);
	assert_string_equal(ts.cargo, "cargo");
	assert_string_equal(ts.profile, "dev");
	assert_null(ts.linker);
	assert_int_equal(ts.timeout_s, 0);
	for (int k = 0; k < CONFIG_NKEYS; k++)
		assert_int_equal(ts.origin[k], CONFIG_LEVEL_BUILTIN);
	target_settings_fini(&ts);
	config_fini(&c);

	/* An unnamed target gets the [target] defaults of every layer. */
	load(&c, t, FX "user.conf", FX "project.conf");
	config_resolve(&c, "riscv64gc-unknown-linux-gnu", &ts);
	assert_string_equal(ts.cargo, "/usr/bin/cargo");
	assert_string_equal(ts.profile, "release");
	assert_int_equal(ts.timeout_s, 600);
	assert_int_equal(ts.env.n, 1);
	assert_null(ts.linker);
	target_settings_fini(&ts);
	config_fini(&c);
	free(missing);
}

static void test_xdg_config_home(void **state)
{
	struct tmp *t = *state;
	struct config c;
	char *dir = path_in(t, "xdg/crossbench");
	char *file = path_in(t, "xdg/crossbench/config");
	char *xdg = path_in(t, "xdg");
	char *none = path_in(t, "none.conf");
	struct cb_err err;

	assert_int_equal(mkdir(xdg, 0755), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	spew(file, "[target \"aarch64-unknown-linux-gnu\"]\n\tlinker = from-xdg\n");
	setenv("XDG_CONFIG_HOME", xdg, 1);
	assert_int_equal(config_load(&c, t->dir, NULL, none, &err), 0);
	assert_string_equal(c.path[CONFIG_LEVEL_USER], file);
	assert_int_equal(c.ntargets, 1);
	assert_string_equal(c.targets[0].linker, "from-xdg");
	assert_int_equal(c.targets[0].origin[CONFIG_LINKER], CONFIG_LEVEL_USER);
	config_fini(&c);

	/* Without XDG_CONFIG_HOME: $HOME/.config/crossbench/config. */
	unsetenv("XDG_CONFIG_HOME");
	setenv("HOME", t->dir, 1);
	assert_int_equal(config_load(&c, t->dir, NULL, none, &err), 0);
	free(file);
	file = path_in(t, ".config/crossbench/config");
	assert_string_equal(c.path[CONFIG_LEVEL_USER], file);
	config_fini(&c);
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	free(dir);
	free(file);
	free(xdg);
	free(none);
}

static void test_every_key(void **state)
{
	struct tmp *t = *state;
	struct config c;
	const char *T = "aarch64-unknown-linux-gnu";
	const struct target_settings *a;
	char *want;

	setenv("HOME", "/home/tester", 1);
	load(&c, t, t->none, FX "all-keys.conf");
	if (c.nproblems)
		print_problems(&c);
	assert_int_equal(c.nproblems, 0);
	a = config_target(&c, T);
	assert_non_null(a);
	assert_false(a->enabled);
	assert_string_equal(a->toolchain, "nightly-2024-01-01");
	assert_string_equal(a->glibc_max, "2.17");
	assert_int_equal(a->timeout_s, 3600);
	assert_int_equal(a->rustflags.n, 4);

	assert_fmt(&c, T, CONFIG_ENABLED, "false");
	assert_fmt(&c, T, CONFIG_CARGO, "/opt/rust/bin/cargo");
	assert_fmt(&c, T, CONFIG_RUSTC, "/opt/rust/bin/rustc");
	assert_fmt(&c, T, CONFIG_TOOLCHAIN, "nightly-2024-01-01");
	assert_fmt(&c, T, CONFIG_CC, "aarch64-linux-gnu-gcc");
	assert_fmt(&c, T, CONFIG_CXX, "aarch64-linux-gnu-g++");
	assert_fmt(&c, T, CONFIG_AR, "aarch64-linux-gnu-ar");
	assert_fmt(&c, T, CONFIG_LINKER, "aarch64-linux-gnu-gcc");
	assert_fmt(&c, T, CONFIG_RUSTFLAGS,
		   "-C link-arg=-Wl,--as-needed -C target-feature=+crt-static");
	assert_fmt(&c, T, CONFIG_CFLAGS, "-O2 -march=armv8-a");
	assert_fmt(&c, T, CONFIG_LIBPATH,
		   "/usr/lib/gcc-cross/aarch64-linux-gnu/12\n/home/tester/cross/lib");
	assert_fmt(&c, T, CONFIG_ENV,
		   "PKG_CONFIG_ALLOW_CROSS=1\nCFLAGS_EXTRA=-DNAME=\"x\" -DSEP=;");
	assert_fmt(&c, T, CONFIG_RUNNER, "qemu-aarch64 -L /usr/aarch64-linux-gnu");
	assert_fmt(&c, T, CONFIG_PROFILE, "bench-lto");
	assert_fmt(&c, T, CONFIG_FEATURES, "simd tls");
	want = xasprintf("%s/target/aarch64", c.project_dir);
	assert_fmt(&c, T, CONFIG_TARGET_DIR, want);
	free(want);
	assert_fmt(&c, T, CONFIG_GLIBC_MAX, "2.17");
	assert_fmt(&c, T, CONFIG_FLOOR, "debian-10");   /* the name as floors.conf spells it */
	assert_fmt(&c, T, CONFIG_TIMEOUT, "3600");
	assert_fmt(&c, T, CONFIG_SMOKE, "--help --color never");
	assert_fmt(&c, T, CONFIG_SMOKE_TIMEOUT, "120");
	assert_int_equal(a->smoke_timeout_s, 120);
	assert_int_equal(a->timeout_s, 3600);   /* each duration its own */
	assert_fmt(&c, T, CONFIG_HOST, "mac");
	assert_fmt(&c, T, CONFIG_HOST_DIR, "src/crossbench/project");
	assert_fmt(&c, T, CONFIG_KIND, "go");
	assert_int_equal(a->kind, KIND_GO);
	assert_fmt(&c, T, CONFIG_GO, "/usr/lib/go-1.19/bin/go");
	assert_fmt(&c, T, CONFIG_BUILDMODE, "c-shared");
	/* The [host] section it names: address, options, jobs; host-dir
	 * wins over the section's dir. */
	assert_non_null(a->remote);
	assert_null(a->remote_error);
	assert_string_equal(a->remote->dest, "builder@mac-mini.local");
	assert_int_equal(a->remote->port, 2222);
	assert_int_equal(a->remote->jobs, 2);
	assert_int_equal(a->remote->ssh_options.n, 4);
	assert_string_equal(a->remote->ssh_options.v[3], "ProxyJump=gate");
	assert_string_equal(a->remote->dir, "src/crossbench/project");
	for (int k = 0; k < CONFIG_NKEYS; k++)
		assert_int_equal(a->origin[k], CONFIG_LEVEL_PROJECT);
	config_fini(&c);
}

/* Format every key, set it into an empty file, reload: the same settings. */
static void test_format_set_round_trip(void **state)
{
	struct tmp *t = *state;
	struct config src, dst;
	const char *T = "aarch64-unknown-linux-gnu";
	char *proj = path_in(t, "roundtrip.conf");
	char *none = path_in(t, "none.conf");
	struct cb_err err;

	setenv("HOME", "/home/tester", 1);
	load(&src, t, none, FX "all-keys.conf");
	load(&dst, t, none, proj);
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		char *v = fmt(&src, T, (enum config_key)k), *back;

		assert_int_equal(config_validate((enum config_key)k, v, &err), 0);
		if (config_set(&dst, CONFIG_LEVEL_PROJECT, T, (enum config_key)k, v, &err))
			fail_msg("set %s: %s", config_key_info((enum config_key)k)->name, err.msg);
		back = fmt(&dst, T, (enum config_key)k);
		if (strcmp(v, back))
			fail_msg("%s: '%s' came back as '%s'",
				 config_key_info((enum config_key)k)->name, v, back);
		free(v);
		free(back);
	}
	assert_int_equal(dst.nproblems, 0);
	config_fini(&dst);

	/* And from the file alone, in a fresh load. */
	load(&dst, t, none, proj);
	assert_int_equal(dst.nproblems, 0);
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		char *a = fmt(&src, T, (enum config_key)k);
		char *b = fmt(&dst, T, (enum config_key)k);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	config_fini(&dst);
	config_fini(&src);
	free(proj);
	free(none);
}

/* ----------------------------------------------------------- problems */

/* Build hosts: each bad line is one problem naming file and line; the
 * good ones resolve, a host with no section is its own address. */
static void test_bad_hosts(void **state)
{
	struct tmp *t = *state;
	struct config c;
	const char *f = FX "bad-hosts.conf";
	const struct target_settings *a;

	load(&c, t, t->none, f);
	assert_problem(&c, "aarch64-unknown-linux-gnu.host", f, 2, "cannot start with '-'");
	assert_problem(&c, "x86_64-apple-darwin.host", f, 4, "not a number from 1 to 65535");
	assert_problem(&c, "x86_64-apple-darwin.host-dir", f, 5, "cannot start with '-'");
	assert_problem(&c, "host.mac.adress", f, 7, "did you mean 'address'?");
	assert_problem(&c, "host.mac.jobs", f, 8, "from 1 to 256");
	assert_problem(&c, "host.mac.address", f, 9, "' ' is not allowed");
	if (c.nproblems != 6)
		print_problems(&c);
	assert_int_equal(c.nproblems, 6);
	a = config_target(&c, "aarch64-unknown-linux-gnu");
	assert_null(a->host);
	assert_null(a->remote);
	a = config_target(&c, "aarch64-apple-darwin");
	assert_non_null(a->remote);
	assert_string_equal(a->remote->dest, "me@::1");
	assert_int_equal(a->remote->port, 2222);
	assert_int_equal(a->remote->jobs, 1);
	assert_null(a->remote->dir);
	a = config_target(&c, "x86_64-pc-windows-gnu");
	assert_non_null(a->remote);
	assert_string_equal(a->remote->dest, "winbox");
	assert_int_equal(a->remote->port, 0);
	config_fini(&c);
}

static void test_bad_values(void **state)
{
	struct tmp *t = *state;
	struct config c;
	const char *f = FX "bad-values.conf";
	const struct target_settings *a, *m;

	load(&c, t, t->none, f);
	assert_problem(&c, "aarch64-unknown-linux-gnu.enabled", f, 3, "not a boolean");
	assert_problem(&c, "aarch64-unknown-linux-gnu.timeout", f, 5, "'10x' is not a duration");
	assert_problem(&c, "aarch64-unknown-linux-gnu.glibc-max", f, 6, "not a version");
	assert_problem(&c, "thumbv8m.main-none-eabi.floor", f, 30,
		       "'debian-99' is neither a version like 2.17 nor a distribution (centos-7, ");
	assert_problem(&c, "'debug' is reserved", f, 7, "dev");
	assert_problem(&c, "'NOEQUALS' is not KEY=VALUE", f, 8, NULL);
	assert_problem(&c, "'1BAD' is not a valid variable name", f, 9, NULL);
	assert_problem(&c, "aarch64-unknown-linux-gnu.toolchain", f, 11, "toolchain name");
	assert_problem(&c, "aarch64-unknown-linux-gnu.linkr", f, 12,
		       "unknown key 'linkr' in [target \"aarch64-unknown-linux-gnu\"]; "
		       "did you mean 'linker'?");
	assert_problem(&c, "aarch64-unknown-linux-gnu.cc", f, 13, "needs a value");
	assert_problem(&c, "RUSTFLAGS would override", f, 14, "use rustflags");
	assert_problem(&c, "target.pdp11-unknown-linux", f, 15,
		       "ignoring [target \"pdp11-unknown-linux\"]");
	assert_problem(&c, "crossbench.jobs", f, 18, "not a positive number");
	assert_problem(&c, "unknown key 'job'", f, 19, "did you mean 'jobs'?");
	assert_problem(&c, "crossbench.theme", f, 20, "not a name");
	assert_problem(&c, "unknown section [targt]", f, 21, "did you mean [target]?");
	assert_problem(&c, "thumbv8m.main-none-eabi.timeout", f, 24, "'5 minutes'");
	assert_problem(&c, "thumbv8m.main-none-eabi.jobs", f, 26, "belongs in [crossbench]");
	assert_problem(&c, "thumbv8m.main-none-eabi.rustflags", f, 27, "control characters");
	assert_problem(&c, "thumbv8m.main-none-eabi.libpath", f, 28, "control characters");
	assert_problem(&c, "thumbv8m.main-none-eabi.target-dir", f, 29, "control characters");
	assert_problem(&c, "thumbv8m.main-none-eabi.kind", f, 31,
		       "'rust' is not one of cargo, go");
	assert_problem(&c, "thumbv8m.main-none-eabi.buildmode", f, 32,
		       "'shared' is not one of default, c-shared, c-archive, pie");
	/* One problem per bad line, one per bad section. */
	if (c.nproblems != 23)
		print_problems(&c);
	assert_int_equal(c.nproblems, 23);

	/* The good lines still load. */
	a = config_target(&c, "aarch64-unknown-linux-gnu");
	assert_non_null(a);
	assert_true(a->enabled);
	assert_string_equal(a->linker, "aarch64-linux-gnu-gcc");
	assert_int_equal(a->env.n, 1);
	assert_string_equal(a->env.v[0], "GOOD=1");
	assert_int_equal(a->timeout_s, 0);
	assert_string_equal(a->profile, "dev");
	assert_null(a->cc);
	m = config_target(&c, "thumbv8m.main-none-eabi");
	assert_non_null(m);
	assert_string_equal(m->runner.v[0], "qemu-system-arm");
	assert_int_equal(m->rustflags.n, 0);
	assert_int_equal(m->libpath.n, 0);
	assert_null(m->target_dir);
	assert_null(config_target(&c, "pdp11-unknown-linux"));
	assert_int_equal(c.ntargets, 2);
	assert_int_equal(c.global.jobs, 0);
	assert_null(c.global.theme);
	config_fini(&c);
}

static void test_unparsable_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	const char *f = FX "broken.conf";

	/* A broken user file: the project still loads. */
	load(&c, t, f, FX "project.conf");
	assert_int_equal(c.nproblems, 1);
	assert_string_equal(c.problems[0].file, f);
	assert_int_equal(c.problems[0].line, 3);
	assert_non_null(strstr(c.problems[0].message, "missing ']'"));
	assert_null(c.problems[0].key);
	assert_int_equal(c.ntargets, 3);
	assert_string_equal(config_target(&c, "aarch64-unknown-linux-gnu")->linker,
			    "aarch64-linux-gnu-gcc");
	config_fini(&c);

	/* A broken project file: the user's still loads. */
	load(&c, t, FX "user.conf", f);
	assert_int_equal(c.nproblems, 1);
	assert_string_equal(c.problems[0].file, f);
	assert_int_equal(c.problems[0].line, 3);
	assert_string_equal(config_target(&c, "aarch64-unknown-linux-gnu")->linker,
			    "aarch64-linux-gnu-ld");
	config_fini(&c);
}

static void test_load_errors(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *gone = path_in(t, "no-such-project");

	cb_err_clear(&err);
	assert_int_equal(config_load(&c, gone, NULL, NULL, &err), -1);
	assert_int_equal(err.code, CB_ERR_NOTFOUND);
	assert_non_null(strstr(err.msg, "no-such-project"));
	config_fini(&c);    /* harmless after a failed load */
	free(gone);

	/* A file that is a directory is a problem, not a failure. */
	load(&c, t, t->dir, FX "project.conf");
	assert_int_equal(c.nproblems, 1);
	assert_string_equal(c.problems[0].file, t->dir);
	assert_int_equal(c.ntargets, 3);
	config_fini(&c);
}

static void test_reset_with_empty_value(void **state)
{
	struct tmp *t = *state;
	struct config c;
	char *proj = path_in(t, "reset.conf");
	const struct target_settings *a;

	spew(proj, "[target \"aarch64-unknown-linux-gnu\"]\n"
		   "\tenv =\n\tenv = ONLY=1\n\tlinker =\n\ttimeout = 0\n"
		   "\tcargo =\n\tenabled\n"
		   "[target \"x86_64-pc-windows-gnu\"]\n\tenabled =\n");
	load(&c, t, FX "user.conf", proj);
	assert_int_equal(c.nproblems, 0);
	a = config_target(&c, "aarch64-unknown-linux-gnu");
	/* An empty env entry drops what came before, as in git's lists. */
	assert_int_equal(a->env.n, 1);
	assert_string_equal(a->env.v[0], "ONLY=1");
	/* An empty scalar puts the built-in default back. */
	assert_null(a->linker);
	assert_int_equal(a->origin[CONFIG_LINKER], CONFIG_LEVEL_PROJECT);
	assert_string_equal(a->cargo, "cargo");
	assert_int_equal(a->timeout_s, 0);
	assert_fmt(&c, "aarch64-unknown-linux-gnu", CONFIG_TIMEOUT, "0");
	assert_fmt(&c, "aarch64-unknown-linux-gnu", CONFIG_LINKER, "");
	assert_true(a->enabled);
	/* The user's file says enabled = false; an empty value is the
	 * default again, not git's false. */
	assert_true(config_target(&c, "x86_64-pc-windows-gnu")->enabled);
	assert_int_equal(config_target(&c, "x86_64-pc-windows-gnu")->origin[CONFIG_ENABLED],
			 CONFIG_LEVEL_PROJECT);
	config_fini(&c);
	free(proj);
}

/* -------------------------------------------------------- validation */

static void test_validate(void **state)
{
	static const struct { enum config_key k; const char *v; int ok; } cases[] = {
		{ CONFIG_ENABLED, "yes", 1 }, { CONFIG_ENABLED, "off", 1 },
		{ CONFIG_ENABLED, "1", 1 }, { CONFIG_ENABLED, "maybe", 0 },
		{ CONFIG_TIMEOUT, "90", 1 }, { CONFIG_TIMEOUT, "90s", 1 },
		{ CONFIG_TIMEOUT, "10m", 1 }, { CONFIG_TIMEOUT, "1h", 1 },
		{ CONFIG_TIMEOUT, "0", 1 }, { CONFIG_TIMEOUT, "10x", 0 },
		{ CONFIG_TIMEOUT, "-5", 0 }, { CONFIG_TIMEOUT, "m", 0 },
		{ CONFIG_TIMEOUT, "99999999999", 0 }, { CONFIG_TIMEOUT, "1h30m", 0 },
		{ CONFIG_GLIBC_MAX, "2.17", 1 }, { CONFIG_GLIBC_MAX, "GLIBC_2.34", 1 },
		{ CONFIG_GLIBC_MAX, "2.", 0 }, { CONFIG_GLIBC_MAX, "2..3", 0 },
		{ CONFIG_GLIBC_MAX, "v2", 0 },
		{ CONFIG_PROFILE, "dev", 1 }, { CONFIG_PROFILE, "release", 1 },
		{ CONFIG_PROFILE, "release-lto_2", 1 }, { CONFIG_PROFILE, "debug", 0 },
		{ CONFIG_PROFILE, "a/b", 0 },
		{ CONFIG_TOOLCHAIN, "stable", 1 }, { CONFIG_TOOLCHAIN, "+1.70.0", 1 },
		{ CONFIG_TOOLCHAIN, "night ly", 0 },
		{ CONFIG_ENV, "A=1\nB_2=x y\n\nC=", 1 }, { CONFIG_ENV, "A=1\nB", 0 },
		{ CONFIG_ENV, "=x", 0 }, { CONFIG_ENV, "A-B=1", 0 },
		{ CONFIG_ENV, "RUSTFLAGS=-Cx", 0 },
		{ CONFIG_LIBPATH, "/a\nrel/b", 1 }, { CONFIG_LIBPATH, "/a\x01", 0 },
		{ CONFIG_LINKER, "aarch64-linux-gnu-gcc", 1 },
		{ CONFIG_LINKER, "a\nb", 0 },
		{ CONFIG_RUSTFLAGS, "-C\tlink-arg=-s\n-C opt-level=3", 1 },
		{ CONFIG_RUSTFLAGS, "-C \x1b[0m", 0 },
		{ CONFIG_CC, "", 1 }, { CONFIG_TIMEOUT, NULL, 1 },
	};
	struct cb_err err;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		int rc;

		cb_err_clear(&err);
		rc = config_validate(cases[i].k, cases[i].v, &err);
		if ((rc == 0) != cases[i].ok)
			fail_msg("%s = '%s': expected %s, got %d (%s)",
				 config_key_info(cases[i].k)->name,
				 cases[i].v ? cases[i].v : "(null)",
				 cases[i].ok ? "ok" : "an error", rc, err.msg);
		if (!cases[i].ok) {
			assert_int_equal(err.code, CB_ERR_PARSE);
			/* The message starts with the key's name. */
			assert_memory_equal(err.msg, config_key_info(cases[i].k)->name,
					    strlen(config_key_info(cases[i].k)->name));
		}
	}
	cb_err_clear(&err);
	assert_int_equal(config_validate(CONFIG_TIMEOUT, "10x", &err), -1);
	assert_string_equal(err.msg, "timeout: '10x' is not a duration "
			    "(90, 90s, 10m, 1h; 0 for none)");
	assert_int_equal(config_validate(CONFIG_NKEYS, "x", &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
}

static void test_key_table(void **state)
{
	(void)state;
	assert_int_equal(config_key_lookup("linker"), CONFIG_LINKER);
	assert_int_equal(config_key_lookup("target-dir"), CONFIG_TARGET_DIR);
	assert_int_equal(config_key_lookup("glibc-max"), CONFIG_GLIBC_MAX);
	assert_int_equal(config_key_lookup("Linker"), CONFIG_LINKER);
	assert_int_equal(config_key_lookup("linkr"), -1);
	assert_string_equal(config_key_info(CONFIG_ENV)->name, "env");
	assert_int_equal(config_key_info(CONFIG_ENV)->type, CONFIG_ENVLIST);
	assert_int_equal(config_key_info(CONFIG_PROFILE)->type, CONFIG_PROFILE_NAME);
	assert_null(config_key_info(CONFIG_NKEYS));
}

/* ------------------------------------------------------------ writing */

static void expect_file(const char *path, const char *want)
{
	char *got = slurp(path);

	assert_non_null(got);
	if (strcmp(got, want))
		fail_msg("%s is\n---\n%s---\nexpected\n---\n%s---", path, got, want);
	free(got);
}

static const char edit_head[] =
	"# Project settings for the sample.  Keep this comment.\n"
	"[target \"aarch64-unknown-linux-gnu\"]\n"
	"\t# the cross gcc finds libgcc_s\n";
static const char edit_tail[] =
	"\n"
	"; the Windows target, built with mingw-w64\n"
	"[target \"x86_64-pc-windows-gnu\"]\n"
	"\tenabled = true\n";

static void test_set_keeps_comments(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "edit.conf");
	char *want;
	const char *T = "aarch64-unknown-linux-gnu";

	copy_file(FX "edit.conf", proj);
	load(&c, t, t->none, proj);

	/* A scalar is replaced where it stands. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_LINKER,
				    "aarch64-linux-gnu-gcc", &err), 0);
	want = xasprintf("%s\tlinker = aarch64-linux-gnu-gcc\n"
			 "\tenv = A=1   # first\n\tenv = B=2\n%s", edit_head, edit_tail);
	expect_file(proj, want);
	free(want);
	assert_string_equal(config_target(&c, T)->linker, "aarch64-linux-gnu-gcc");

	/* A list is replaced where its first entry stood, quoted as needed. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_ENV,
				    "A=1\nC=3\nD=x;y \"q\" \\", &err), 0);
	want = xasprintf("%s\tlinker = aarch64-linux-gnu-gcc\n"
			 "\tenv = A=1\n\tenv = C=3\n\tenv = \"D=x;y \\\"q\\\" \\\\\"\n%s",
			 edit_head, edit_tail);
	expect_file(proj, want);
	free(want);
	assert_int_equal(config_target(&c, T)->env.n, 3);
	assert_string_equal(config_target(&c, T)->env.v[2], "D=x;y \"q\" \\");

	/* A new scalar goes at the end of its section, not of the file. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC,
				    "aarch64-linux-gnu-gcc", &err), 0);
	/* A new list in the last section goes there too. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, "x86_64-pc-windows-gnu",
				    CONFIG_ENV, "WINAPI_NO_BUNDLED_LIBRARIES=1\nX=1",
				    &err), 0);
	/* A new list in a section that is not last: in that section. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_LIBPATH,
				    "/usr/lib/gcc-cross/aarch64-linux-gnu/12\n/opt/l",
				    &err), 0);
	want = xasprintf("%s\tlinker = aarch64-linux-gnu-gcc\n"
			 "\tenv = A=1\n\tenv = C=3\n\tenv = \"D=x;y \\\"q\\\" \\\\\"\n"
			 "\tcc = aarch64-linux-gnu-gcc\n"
			 "\tlibpath = /usr/lib/gcc-cross/aarch64-linux-gnu/12\n"
			 "\tlibpath = /opt/l\n"
			 "%s"
			 "\tenv = WINAPI_NO_BUNDLED_LIBRARIES=1\n\tenv = X=1\n",
			 edit_head, edit_tail);
	expect_file(proj, want);
	free(want);

	/* Removing keys takes their lines and nothing else. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_ENV, "", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_LIBPATH, NULL, &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC, NULL, &err), 0);
	want = xasprintf("%s\tlinker = aarch64-linux-gnu-gcc\n%s"
			 "\tenv = WINAPI_NO_BUNDLED_LIBRARIES=1\n\tenv = X=1\n",
			 edit_head, edit_tail);
	expect_file(proj, want);
	free(want);
	assert_int_equal(config_target(&c, T)->env.n, 0);
	/* Removing a key that is not there is not an error. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_AR, NULL, &err), 0);
	assert_int_equal(c.nproblems, 0);
	config_fini(&c);
	free(proj);
}

static void test_set_values_round_trip_through_file(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "quote.conf");
	const char *T = "x86_64-pc-windows-gnu";
	static const char *const tools[] = {
		"x86_64-w64-mingw32-gcc", " leading space", "trailing space ",
		"semi;colon", "hash#mark", "quote\"d", "back\\slash", "end\\",
		"ccache x86_64-w64-mingw32-gcc",
	};

	load(&c, t, t->none, proj);
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++) {
		if (config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC, tools[i], &err))
			fail_msg("set cc '%s': %s", tools[i], err.msg);
		assert_int_equal(c.nproblems, 0);
		assert_string_equal(config_target(&c, T)->cc, tools[i]);
		assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_ENV,
					    tools[i][0] == ' ' ? "K= v" : "K=v\\\"", &err), 0);
	}
	/* Only one cc line however often it was set. */
	{
		char *text = slurp(proj);
		const char *p = text;
		int n = 0;

		while ((p = strstr(p, "\tcc = ")))
			n++, p++;
		assert_int_equal(n, 1);
		free(text);
	}
	/* A repeated scalar (hand-written) becomes one line. */
	spew(proj, "[target \"x86_64-pc-windows-gnu\"]\n\tcc = a\n\tcc = b\n# end\n");
	assert_int_equal(config_reload(&c, &err), 0);
	assert_string_equal(config_target(&c, T)->cc, "b");
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC, "c", &err), 0);
	expect_file(proj, "[target \"x86_64-pc-windows-gnu\"]\n\tcc = c\n# end\n");
	config_fini(&c);
	free(proj);
}

static void test_add_remove_target(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "edit.conf");
	char *orig = slurp(FX "edit.conf"), *want;
	const char *A = "aarch64-unknown-linux-gnu", *R = "riscv64gc-unknown-linux-gnu";

	copy_file(FX "edit.conf", proj);
	load(&c, t, FX "user.conf", proj);
	assert_int_equal(c.ntargets, 2);

	/* Adding a target some layer names already changes nothing. */
	assert_int_equal(config_add_target(&c, CONFIG_LEVEL_PROJECT, A, &err), 0);
	expect_file(proj, orig);
	assert_int_equal(config_add_target(&c, CONFIG_LEVEL_PROJECT, R, &err), 0);
	want = xasprintf("%s[target \"%s\"]\n\tenabled = true\n", orig, R);
	expect_file(proj, want);
	free(want);
	assert_int_equal(c.ntargets, 3);
	assert_true(config_target(&c, R)->enabled);
	cb_err_clear(&err);
	assert_int_equal(config_add_target(&c, CONFIG_LEVEL_PROJECT, "pdp11-x-y", &err), -1);
	assert_int_equal(err.code, CB_ERR_PARSE);

	/* Remove: the header, its keys and the comments among them go; the
	 * comment above the file and the one introducing the next section
	 * stay. */
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, A, &err), 0);
	want = xasprintf("# Project settings for the sample.  Keep this comment.\n"
			 "%s[target \"%s\"]\n\tenabled = true\n", edit_tail, R);
	expect_file(proj, want);
	free(want);
	/* The user's file still names it: the row stays, with the user's
	 * linker now. */
	assert_int_equal(c.ntargets, 3);
	assert_string_equal(config_target(&c, A)->linker, "aarch64-linux-gnu-ld");
	assert_int_equal(config_target(&c, A)->origin[CONFIG_LINKER], CONFIG_LEVEL_USER);
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, R, &err), 0);
	want = xasprintf("# Project settings for the sample.  Keep this comment.\n%s",
			 edit_tail);
	expect_file(proj, want);
	free(want);
	assert_null(config_target(&c, R));
	assert_int_equal(c.ntargets, 2);

	/* Not there (any more). */
	cb_err_clear(&err);
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, R, &err), -1);
	assert_int_equal(err.code, CB_ERR_NOTFOUND);
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, "", &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);

	/* Every copy of the section goes, a key on the header's line too. */
	spew(proj, "[target \"riscv64gc-unknown-linux-gnu\"] linker = x\n# keep\n"
		   "[target \"aarch64-unknown-linux-gnu\"]\n\tcc = y\n"
		   "[target \"riscv64gc-unknown-linux-gnu\"]\n\tcc = z # gone\n"
		   "\t# gone too\n\tar = z\n\n# tail\n");
	assert_int_equal(config_reload(&c, &err), 0);
	assert_string_equal(config_target(&c, R)->cc, "z");
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, R, &err), 0);
	expect_file(proj, "# keep\n[target \"aarch64-unknown-linux-gnu\"]\n\tcc = y\n"
			  "\n# tail\n");
	assert_null(config_target(&c, R));
	/* A section that names no target can be removed as well. */
	spew(proj, "[target \"nonsense\"]\n\tcc = y\n");
	assert_int_equal(config_reload(&c, &err), 0);
	assert_int_equal(c.nproblems, 1);
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, "nonsense", &err), 0);
	expect_file(proj, "");
	assert_int_equal(c.nproblems, 0);
	config_fini(&c);
	free(orig);
	free(proj);
}

static void test_set_creates_directory(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *user = path_in(t, "deep/er/crossbench/config");
	char *xdg = path_in(t, "newxdg");
	char *xdgfile = path_in(t, "newxdg/crossbench/config");

	load(&c, t, user, t->none);
	if (config_set(&c, CONFIG_LEVEL_USER, "aarch64-unknown-linux-gnu",
		       CONFIG_LINKER, "aarch64-linux-gnu-gcc", &err))
		fail_msg("%s", err.msg);
	expect_file(user, "[target \"aarch64-unknown-linux-gnu\"]\n"
			  "\tlinker = aarch64-linux-gnu-gcc\n");
	assert_int_equal(c.targets[0].origin[CONFIG_LINKER], CONFIG_LEVEL_USER);
	config_fini(&c);

	/* The default location, under a missing $XDG_CONFIG_HOME. */
	setenv("XDG_CONFIG_HOME", xdg, 1);
	load(&c, t, NULL, t->none);
	assert_string_equal(c.path[CONFIG_LEVEL_USER], xdgfile);
	if (config_set_global(&c, CONFIG_LEVEL_USER, "theme", "light", &err))
		fail_msg("%s", err.msg);
	expect_file(xdgfile, "[crossbench]\n\ttheme = light\n");
	assert_string_equal(c.global.theme, "light");
	config_fini(&c);
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	/* Neither variable: no user file, and saying so. */
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	load(&c, t, NULL, t->none);
	assert_null(c.path[CONFIG_LEVEL_USER]);
	cb_err_clear(&err);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_USER, "jobs", "2", &err), -1);
	assert_int_equal(err.code, CB_ERR_NOTFOUND);
	config_fini(&c);
	setenv("XDG_CONFIG_HOME", t->dir, 1);
	setenv("HOME", t->dir, 1);
	free(user);
	free(xdg);
	free(xdgfile);
}

static void test_set_global(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "global.conf");

	spew(proj, "# settings\n");
	load(&c, t, t->none, proj);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "jobs", "3", &err), 0);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "strategy", "grouped", &err), 0);
	expect_file(proj, "# settings\n[crossbench]\n\tjobs = 3\n\tstrategy = grouped\n");
	assert_int_equal(c.global.jobs, 3);
	assert_string_equal(c.global.strategy, "grouped");
	cb_err_clear(&err);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "job", "3", &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
	assert_string_equal(err.msg, "unknown key 'job' in [crossbench]; did you mean 'jobs'?");
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "jobs", "0", &err), -1);
	assert_int_equal(err.code, CB_ERR_PARSE);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "theme", "../x", &err), -1);
	assert_int_equal(config_set_global(&c, CONFIG_LEVEL_PROJECT, "jobs", NULL, &err), 0);
	expect_file(proj, "# settings\n[crossbench]\n\tstrategy = grouped\n");
	assert_int_equal(c.global.jobs, 0);
	config_fini(&c);
	free(proj);
}

static void test_set_details_and_errors(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "details.conf");
	char *broken = path_in(t, "broken.conf");
	char *lock = path_in(t, "details.conf.lock");
	char *abs;
	const char *T = "aarch64-unknown-linux-gnu";

	load(&c, t, t->none, proj);
	/* Nothing is written for a bad value, level, triple or key. */
	cb_err_clear(&err);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_TIMEOUT, "soon", &err), -1);
	assert_int_equal(err.code, CB_ERR_PARSE);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_BUILTIN, T, CONFIG_CC, "gcc", &err), -1);
	assert_int_equal(err.code, CB_ERR_USAGE);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, "not a triple", CONFIG_CC, "gcc", &err), -1);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_NKEYS, "gcc", &err), -1);
	assert_int_equal(access(proj, F_OK), -1);

	/* Paths in the project stay relative in the project's file; a
	 * duration is written as typed; words are normalised. */
	abs = xasprintf("%s/target/cross", c.project_dir);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_TARGET_DIR, abs, &err), 0);
	assert_string_equal(config_target(&c, T)->target_dir, abs);
	free(abs);
	abs = xasprintf("%s/vendor\n/usr/lib/x", c.project_dir);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_LIBPATH, abs, &err), 0);
	free(abs);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_TIMEOUT, "10m", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_RUSTFLAGS,
				    "  -C\tlink-arg=-s  ", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_TOOLCHAIN, "+stable", &err), 0);
	/* No triple: the [target] section of defaults. */
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, NULL, CONFIG_CARGO, "/opt/cargo", &err), 0);
	expect_file(proj, "[target \"aarch64-unknown-linux-gnu\"]\n"
			  "\ttarget-dir = target/cross\n"
			  "\tlibpath = vendor\n\tlibpath = /usr/lib/x\n"
			  "\ttimeout = 10m\n"
			  "\trustflags = -C link-arg=-s\n"
			  "\ttoolchain = stable\n"
			  "[target]\n\tcargo = /opt/cargo\n");
	assert_int_equal(config_target(&c, T)->timeout_s, 600);
	assert_string_equal(config_target(&c, T)->cargo, "/opt/cargo");
	assert_int_equal(config_target(&c, T)->origin[CONFIG_CARGO], CONFIG_LEVEL_PROJECT);

	/* A file another writer holds is left alone. */
	spew(lock, "");
	cb_err_clear(&err);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_ENV, "A=1\nB=2", &err), -1);
	assert_non_null(strstr(err.msg, "details.conf.lock"));
	cb_err_clear(&err);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC, "gcc", &err), -1);
	assert_int_not_equal(err.code, CB_OK);
	assert_int_equal(unlink(lock), 0);
	assert_null(config_target(&c, T)->cc);

	/* A file libgit2 cannot parse is not written over. */
	copy_file(FX "broken.conf", broken);
	config_fini(&c);
	load(&c, t, t->none, broken);
	cb_err_clear(&err);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_CC, "gcc", &err), -1);
	assert_int_equal(err.code, CB_ERR_LIB);
	assert_non_null(strstr(err.msg, "missing ']'"));
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, T, CONFIG_ENV, "A=1", &err), -1);
	assert_int_equal(config_remove_target(&c, CONFIG_LEVEL_PROJECT, T, &err), -1);
	{
		char *a = slurp(FX "broken.conf"), *b = slurp(broken);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	config_fini(&c);
	free(proj);
	free(broken);
	free(lock);
}

static void test_problem_lines(void **state)
{
	struct tmp *t = *state;
	struct config c;
	char *proj = path_in(t, "lines.conf");

	/* Continued values, a key on a header's line, CRLF line ends, a
	 * repeated bad key: each problem names its own line. */
	spew(proj, "[target \"aarch64-unknown-linux-gnu\"]\r\n"     /* 1 */
		   "\trustflags = -C a \\\r\n"                      /* 2 */
		   "\t   -C b \\\n"                                   /* 3 */
		   "\t   -C c\n"                                        /* 4 */
		   "\ttimeout = x1\r\n"                               /* 5 */
		   "[target \"x86_64-pc-windows-gnu\"] timeout = x2\n" /* 6 */
		   "\t; [target \"fake\"] lnker = no\n"                /* 7 */
		   "\tlnker = x86_64-w64-mingw32-gcc\n"                 /* 8 */
		   "\ttimeout = \"x3 # not a comment\"\n"               /* 9 */
		   "[target \"aarch64-unknown-linux-gnu\"]\n"          /* 10 */
		   "\ttimeout = x4\n");                                /* 11 */
	load(&c, t, t->none, proj);
	assert_int_equal(c.nproblems, 5);
	assert_problem(&c, "'x1'", proj, 5, NULL);
	assert_problem(&c, "'x2'", proj, 6, NULL);
	assert_problem(&c, "lnker", proj, 8, "did you mean 'linker'?");
	assert_problem(&c, "'x3 # not a comment'", proj, 9, NULL);
	assert_problem(&c, "'x4'", proj, 11, NULL);
	assert_int_equal(config_target(&c, "aarch64-unknown-linux-gnu")->rustflags.n, 6);
	config_fini(&c);
	free(proj);
}

/* [target ""] names no target: a problem on its line, whose message is
 * whole (the empty subsection was once an unterminated string: found by
 * fuzz_settings, read past its buffer). */
static void test_empty_subsection(void **state)
{
	struct tmp *t = *state;
	struct config c;
	char *proj = path_in(t, "empty.conf");

	spew(proj, "# one\n[target \"\"]\n\tlinker = x\n");
	load(&c, t, t->none, proj);
	assert_int_equal(c.nproblems, 1);
	assert_problem(&c, "ignoring [target \"\"]: empty target triple", proj, 2, NULL);
	assert_int_equal(c.ntargets, 0);
	config_fini(&c);
	free(proj);
}

static void test_key_on_header_line(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *proj = path_in(t, "inline.conf");
	const char *R = "riscv64gc-unknown-linux-gnu", *A = "aarch64-unknown-linux-gnu";

	/* libgit2 1.5 writes such a key out again on every change to the
	 * file; crossbench must not. */
	spew(proj, "[target \"riscv64gc-unknown-linux-gnu\"] env = A=1\n"
		   "[target \"aarch64-unknown-linux-gnu\"]\n\tcc = q\n");
	load(&c, t, t->none, proj);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, A, CONFIG_CC, "r", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, R, CONFIG_LINKER, "x", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, A, CONFIG_AR, NULL, &err), 0);
	expect_file(proj, "[target \"riscv64gc-unknown-linux-gnu\"] env = A=1\n"
			  "\tlinker = x\n"
			  "[target \"aarch64-unknown-linux-gnu\"]\n\tcc = r\n");
	assert_int_equal(config_target(&c, R)->env.n, 1);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_PROJECT, R, CONFIG_ENV, "B=2", &err), 0);
	expect_file(proj, "[target \"riscv64gc-unknown-linux-gnu\"]\n\tenv = B=2\n"
			  "\tlinker = x\n"
			  "[target \"aarch64-unknown-linux-gnu\"]\n\tcc = r\n");
	assert_string_equal(config_target(&c, R)->env.v[0], "B=2");
	config_fini(&c);
	free(proj);
}

static void test_write_through_symlink(void **state)
{
	struct tmp *t = *state;
	struct config c;
	struct cb_err err;
	char *real = path_in(t, "dotfiles-crossbench");
	char *link = path_in(t, "linked.conf");
	char target[512];
	ssize_t n;

	spew(real, "# managed in dotfiles\n");
	assert_int_equal(symlink(real, link), 0);
	load(&c, t, link, t->none);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_USER, "aarch64-unknown-linux-gnu",
				    CONFIG_ENV, "A=1\nB=2", &err), 0);
	assert_int_equal(config_set(&c, CONFIG_LEVEL_USER, "aarch64-unknown-linux-gnu",
				    CONFIG_CC, "gcc", &err), 0);
	n = readlink(link, target, sizeof target - 1);
	assert_true(n > 0);
	target[n] = '\0';
	assert_string_equal(target, real);
	expect_file(real, "# managed in dotfiles\n[target \"aarch64-unknown-linux-gnu\"]\n"
			  "\tenv = A=1\n\tenv = B=2\n\tcc = gcc\n");
	config_fini(&c);
	free(real);
	free(link);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tmp_setup, tmp_teardown)
		T(test_layers),
		T(test_builtin_defaults_and_resolve),
		T(test_xdg_config_home),
		T(test_every_key),
		T(test_format_set_round_trip),
		T(test_bad_hosts),
		T(test_bad_values),
		T(test_unparsable_file),
		T(test_load_errors),
		T(test_reset_with_empty_value),
		T(test_validate),
		T(test_key_table),
		T(test_set_keeps_comments),
		T(test_set_values_round_trip_through_file),
		T(test_add_remove_target),
		T(test_set_creates_directory),
		T(test_set_global),
		T(test_set_details_and_errors),
		T(test_problem_lines),
		T(test_key_on_header_line),
		T(test_empty_subsection),
		T(test_write_through_symlink),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
