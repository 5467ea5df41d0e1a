/* test_toolchain.c - the doctor against fake PATHs and fake sysroots
 * (tests/fixtures/doctor), host detection on fake file-system roots. */
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
#include "toolchain_check.h"
#include "toolchain_probe.h"

#define FIX "tests/fixtures/doctor"

static char fixdir[4096];
static char tmpdir[] = "/tmp/cb-test-toolchain.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (!realpath(FIX, fixdir) || !mkdtemp(tmpdir))
		return -1;
	/* cargo's own config files must not come from this machine */
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

static struct host debian_host(const char *dpkg_archs)
{
	struct host h;

	memset(&h, 0, sizeof h);
	strcpy(h.id, "debian");
	strcpy(h.arch, "x86_64");
	strcpy(h.pretty, "Debian GNU/Linux 12 (bookworm)");
	h.pm = HOST_PM_APT;
	h.pm_present = 1;
	h.is_root = 1;
	snprintf(h.dpkg_archs, sizeof h.dpkg_archs, "%s", dpkg_archs);
	return h;
}

/* A doctor with the real package lists and presets and a PATH of fixture
 * directories (names relative to tests/fixtures/doctor, ':'-separated). */
static struct toolchain *doctor(const struct host *h, const char *dirs)
{
	struct cb_err err;
	struct packages *pk = packages_load("core/presets/packages.conf", &err);
	struct presets *ps = preset_new();
	struct toolchain *tc;
	char path[8192] = "PATH=";
	char *env[] = { path, "HOME=/nonexistent/home", NULL };
	const char *p = dirs;

	assert_non_null(pk);
	assert_int_equal(preset_add_file(ps, "core/presets/targets.preset", &err), 0);
	while (*p) {
		size_t n = strcspn(p, ":");

		snprintf(path + strlen(path), sizeof path - strlen(path), "%s%s/%.*s",
			 strlen(path) > 5 ? ":" : "", fixdir, (int)n, p);
		p += n + (p[n] == ':');
	}
	tc = toolchain_new_with(h, pk, ps);
	toolchain_set_env(tc, env);
	return tc;
}

/* The settings of triple from a .crossbench holding text, in a project
 * directory of its own (with a Cargo.lock naming lock_crate, if any). */
static void settings(const char *name, const char *text, const char *lock_crate,
		     const char *triple, struct target_settings *ts, char *dir, size_t n)
{
	struct config c;
	struct cb_err err;
	char path[4400];
	FILE *f;

	snprintf(dir, n, "%s/%s", tmpdir, name);
	snprintf(path, sizeof path, "mkdir -p '%s'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof path, "%s/.crossbench", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	if (lock_crate) {
		snprintf(path, sizeof path, "%s/Cargo.lock", dir);
		f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "version = 3\n\n[[package]]\nname = \"%s\"\nversion = \"1.0.0\"\n",
			lock_crate);
		fclose(f);
	}
	assert_int_equal(config_load(&c, dir, "/nonexistent/user/config", NULL, &err), 0);
	config_resolve(&c, triple, ts);
	config_fini(&c);
}

static const struct toolchain_finding *find(const struct toolchain_report *r,
					    enum toolchain_what w)
{
	for (size_t i = 0; i < r->nfindings; i++)
		if (r->findings[i].what == w)
			return &r->findings[i];
	fail_msg("no %s finding", toolchain_what_name(w));
	return NULL;
}

static const struct diagnosis_fix *fix_of(const struct toolchain_finding *f,
					  enum diagnosis_fix_kind kind, const char *text)
{
	for (size_t i = 0; i < f->nfixes; i++)
		if (f->fixes[i].kind == kind && (!text || strstr(f->fixes[i].text, text)))
			return &f->fixes[i];
	return NULL;
}

static void summary_is(const struct toolchain_report *r, const char *want)
{
	struct buf b;

	buf_init(&b);
	toolchain_summary(r, &b);
	assert_string_equal(b.data, want);
	buf_fini(&b);
}

static void check(struct toolchain *tc, const char *name, const char *text,
		  const char *lock, const char *triple, struct toolchain_report *rep)
{
	struct target_settings ts;
	struct cb_err err;
	char dir[4200];

	settings(name, text, lock, triple, &ts, dir, sizeof dir);
	if (toolchain_check(tc, &ts, dir, rep, &err) < 0)
		fail_msg("%s", err.msg);
	target_settings_fini(&ts);
}

/* ------------------------------------------------------------ tests */

static void test_object_machine(void **state)
{
	int bits = 0;

	(void)state;
	assert_string_equal(toolchain_object_machine(FIX "/objs/aarch64.o", &bits), "aarch64");
	assert_int_equal(bits, 64);
	assert_string_equal(toolchain_object_machine(FIX "/objs/arm.o", &bits), "arm");
	assert_int_equal(bits, 32);
	assert_string_equal(toolchain_object_machine(FIX "/objs/x86_64.o", NULL), "x86_64");
	assert_string_equal(toolchain_object_machine(FIX "/objs/x86_64-coff.o", &bits), "x86_64");
	assert_string_equal(toolchain_object_machine(FIX "/objs/libgcc-aarch64.a", &bits), "aarch64");
	assert_string_equal(toolchain_object_machine(FIX "/objs/libgcc-x86_64.a", &bits), "x86_64");
	assert_null(toolchain_object_machine(FIX "/README", &bits));
	assert_null(toolchain_object_machine(FIX "/no-such-file", &bits));
}

static void matches(const char *triple, const char *gnu, int want, const char *why)
{
	struct triple t;
	struct buf b;

	assert_int_equal(triple_parse(&t, triple, NULL), 0);
	buf_init(&b);
	buf_puts(&b, "");
	assert_int_equal(toolchain_machine_matches(&t, gnu, &b), want);
	if (why)
		assert_string_equal(b.data, why);
	buf_fini(&b);
}

static void test_machine_matches(void **state)
{
	(void)state;
	matches("aarch64-unknown-linux-gnu", "aarch64-linux-gnu", 1, NULL);
	matches("aarch64-unknown-linux-gnu", "x86_64-linux-gnu", 0, "x86_64-linux-gnu, not aarch64");
	matches("aarch64-unknown-linux-musl", "aarch64-linux-gnu", 1, NULL);
	matches("armv7-unknown-linux-gnueabihf", "arm-linux-gnueabihf", 1, NULL);
	matches("armv7-unknown-linux-gnueabihf", "arm-linux-gnueabi", 0,
		"arm-linux-gnueabi (soft-float), not hard-float");
	matches("x86_64-pc-windows-gnu", "x86_64-w64-mingw32", 1, NULL);
	matches("i686-pc-windows-gnu", "x86_64-w64-mingw32", 0, NULL);
	matches("x86_64-unknown-linux-gnu", "x86_64-w64-mingw32", 0,
		"x86_64-w64-mingw32 (windows), not linux");
	matches("x86_64-apple-darwin", "x86_64-apple-darwin21.4", 1, NULL);
	matches("x86_64-apple-darwin", "x86_64-linux-gnu", 0, "x86_64-linux-gnu (linux), not macos");
	matches("powerpc64le-unknown-linux-gnu", "powerpc64le-linux-gnu", 1, NULL);
	matches("riscv64gc-unknown-linux-gnu", "riscv64-linux-gnu", 1, NULL);
	matches("s390x-unknown-linux-gnu", "s390x-linux-gnu", 1, NULL);
	matches("i686-unknown-linux-gnu", "i686-linux-gnu", 1, NULL);
	matches("thumbv7em-none-eabihf", "arm-none-eabi", 1, NULL);
	matches("aarch64-unknown-linux-gnu", "", 1, NULL);  /* cannot tell */
}

static void test_tool_kind(void **state)
{
	(void)state;
	assert_int_equal(toolchain_tool_kind("/usr/bin/aarch64-linux-gnu-gcc"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("aarch64-linux-gnu-gcc-12"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("x86_64-w64-mingw32-gcc-posix"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("cc"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("o64-clang"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("x86_64-apple-darwin21.4-clang"), TOOLCHAIN_TOOL_DRIVER);
	assert_int_equal(toolchain_tool_kind("clang"), TOOLCHAIN_TOOL_CLANG);
	assert_int_equal(toolchain_tool_kind("clang-14"), TOOLCHAIN_TOOL_CLANG);
	assert_int_equal(toolchain_tool_kind("aarch64-linux-gnu-ld"), TOOLCHAIN_TOOL_LD);
	assert_int_equal(toolchain_tool_kind("ld.lld"), TOOLCHAIN_TOOL_LD);
	assert_int_equal(toolchain_tool_kind("rust-lld"), TOOLCHAIN_TOOL_LD);
	assert_int_equal(toolchain_tool_kind("aarch64-linux-gnu-ld.bfd"), TOOLCHAIN_TOOL_LD);
	assert_int_equal(toolchain_tool_kind("zig"), TOOLCHAIN_TOOL_OTHER);
}

/* Everything in place: ready, and each question asked once. */
static void test_ready(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;
	size_t probes;

	(void)state;
	check(tc, "ready", "[target \"aarch64-unknown-linux-gnu\"]\n"
	      "\tlinker = aarch64-linux-gnu-gcc\n", "cc",
	      "aarch64-unknown-linux-gnu", &rep);
	assert_true(rep.ready);
	summary_is(&rep, "ok");
	assert_string_equal(rep.rustc_version, "1.70.0");
	assert_non_null(strstr(rep.rustc, FIX "/bin/rustc"));
	assert_non_null(strstr(rep.rustc_source, "first rustc on PATH"));
	f = find(&rep, TOOLCHAIN_STD);
	assert_int_equal(f->status, TOOLCHAIN_OK);
	assert_non_null(strstr(f->path, "sysroot/lib/rustlib/aarch64-unknown-linux-gnu/lib"));
	f = find(&rep, TOOLCHAIN_LINKER);
	assert_int_equal(f->status, TOOLCHAIN_OK);
	assert_string_equal(f->source, "the linker setting");
	assert_int_equal(find(&rep, TOOLCHAIN_LIBGCC)->status, TOOLCHAIN_OK);
	assert_int_equal(find(&rep, TOOLCHAIN_SYSROOT)->status, TOOLCHAIN_OK);
	assert_int_equal(find(&rep, TOOLCHAIN_CC)->status, TOOLCHAIN_OK);
	assert_int_equal(find(&rep, TOOLCHAIN_AR)->status, TOOLCHAIN_OK);
	/* no C++ compiler, and nothing in Cargo.lock needs one */
	f = find(&rep, TOOLCHAIN_CXX);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_false(f->required);
	probes = tc->probes.n;
	toolchain_report_fini(&rep);
	check(tc, "ready", "[target \"aarch64-unknown-linux-gnu\"]\n"
	      "\tlinker = aarch64-linux-gnu-gcc\n", "cc",
	      "aarch64-unknown-linux-gnu", &rep);
	assert_true(rep.ready);
	assert_int_equal(tc->probes.n, probes);   /* all from the cache */
	toolchain_forget(tc);
	assert_int_equal(tc->probes.n, 0);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* rustc links with cc by default: for aarch64 that is the host's. */
static void test_default_linker_wrong(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;
	const struct diagnosis_fix *x;

	(void)state;
	check(tc, "nolinker", "[target \"aarch64-unknown-linux-gnu\"]\n", "cc",
	      "aarch64-unknown-linux-gnu", &rep);
	assert_false(rep.ready);
	summary_is(&rep, "no linker");
	f = find(&rep, TOOLCHAIN_LINKER);
	assert_int_equal(f->status, TOOLCHAIN_WRONG);
	assert_string_equal(f->source, "rustc's default");
	assert_non_null(strstr(f->detail, "x86_64-linux-gnu, not aarch64"));
	x = fix_of(f, DIAGNOSIS_FIX_SET, NULL);
	assert_non_null(x);
	assert_string_equal(x->key, "linker");
	assert_string_equal(x->value, "aarch64-linux-gnu-gcc");
	assert_string_equal(x->target, "aarch64-unknown-linux-gnu");
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* A linker that is not there: its package for this host's manager. */
static void test_tool_missing(void **state)
{
	static const char *cfg = "[target \"armv7-unknown-linux-gnueabihf\"]\n"
				 "\tlinker = arm-linux-gnueabihf-gcc\n";
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;
	const struct diagnosis_fix *x;

	(void)state;
	check(tc, "missing", cfg, "cc", "armv7-unknown-linux-gnueabihf", &rep);
	f = find(&rep, TOOLCHAIN_LINKER);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	x = fix_of(f, DIAGNOSIS_FIX_INSTALL, NULL);
	assert_non_null(x);
	assert_string_equal(x->manager, "apt");
	assert_string_equal(x->packages.v[0], "gcc-arm-linux-gnueabihf");
	assert_string_equal(x->packages.v[1], "libc6-dev-armhf-cross");
	assert_string_equal(x->text, "apt-get install gcc-arm-linux-gnueabihf libc6-dev-armhf-cross");
	assert_null(fix_of(f, DIAGNOSIS_FIX_SET, NULL));   /* it is set already */
	toolchain_report_fini(&rep);
	toolchain_free(tc);

	h.pm = HOST_PM_DNF;
	h.is_root = 0;
	tc = doctor(&h, "bin");
	check(tc, "missing", cfg, "cc", "armv7-unknown-linux-gnueabihf", &rep);
	x = fix_of(find(&rep, TOOLCHAIN_LINKER), DIAGNOSIS_FIX_INSTALL, NULL);
	assert_non_null(x);
	assert_string_equal(x->text, "sudo dnf install gcc-arm-linux-gnu");
	toolchain_report_fini(&rep);
	toolchain_free(tc);

	/* no package manager: words, not a made-up package */
	h.pm = HOST_PM_NONE;
	tc = doctor(&h, "bin");
	check(tc, "missing", cfg, "cc", "armv7-unknown-linux-gnueabihf", &rep);
	f = find(&rep, TOOLCHAIN_LINKER);
	assert_null(fix_of(f, DIAGNOSIS_FIX_INSTALL, NULL));
	assert_non_null(fix_of(f, DIAGNOSIS_FIX_TEXT, "install arm-linux-gnueabihf-gcc"));
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* No std for armv7 in the rustc's sysroot: Debian's package through
 * multiarch, with dpkg's set-up step only while armhf is not there. */
static void test_std_missing(void **state)
{
	struct host h = debian_host("amd64 arm64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;

	(void)state;
	check(tc, "nostd", "[target \"armv7-unknown-linux-gnueabihf\"]\n", "cc",
	      "armv7-unknown-linux-gnueabihf", &rep);
	summary_is(&rep, "no std");
	f = find(&rep, TOOLCHAIN_STD);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_non_null(strstr(f->detail, "has no std for armv7-unknown-linux-gnueabihf"));
	assert_non_null(strstr(f->detail, "rustlib/armv7-unknown-linux-gnueabihf/lib"));
	assert_int_equal(f->fixes[0].kind, DIAGNOSIS_FIX_RUN);
	assert_string_equal(f->fixes[0].text, "dpkg --add-architecture armhf");
	assert_string_equal(f->fixes[1].text, "apt-get update");
	assert_int_equal(f->fixes[2].kind, DIAGNOSIS_FIX_INSTALL);
	assert_string_equal(f->fixes[2].packages.v[0], "libstd-rust-dev:armhf");
	toolchain_report_fini(&rep);
	toolchain_free(tc);

	h = debian_host("amd64 armhf");
	tc = doctor(&h, "bin");
	check(tc, "nostd", "[target \"armv7-unknown-linux-gnueabihf\"]\n", "cc",
	      "armv7-unknown-linux-gnueabihf", &rep);
	f = find(&rep, TOOLCHAIN_STD);
	assert_int_equal(f->fixes[0].kind, DIAGNOSIS_FIX_INSTALL);
	assert_null(fix_of(f, DIAGNOSIS_FIX_RUN, "dpkg"));
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* The compiler says aarch64, but links an x86_64 libgcc and has no C
 * library. */
static void test_bad_libgcc(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin-badlibgcc:bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;

	(void)state;
	check(tc, "badlibgcc", "[target \"aarch64-unknown-linux-gnu\"]\n"
	      "\tlinker = aarch64-linux-gnu-gcc\n", "cc",
	      "aarch64-unknown-linux-gnu", &rep);
	assert_false(rep.ready);
	summary_is(&rep, "no libgcc");
	assert_int_equal(find(&rep, TOOLCHAIN_LINKER)->status, TOOLCHAIN_OK);
	f = find(&rep, TOOLCHAIN_LIBGCC);
	assert_int_equal(f->status, TOOLCHAIN_WRONG);
	assert_non_null(strstr(f->detail, "libgcc-x86_64.a is for x86_64, not aarch64"));
	assert_non_null(fix_of(f, DIAGNOSIS_FIX_INSTALL, "gcc-aarch64-linux-gnu"));
	f = find(&rep, TOOLCHAIN_SYSROOT);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_non_null(fix_of(f, DIAGNOSIS_FIX_INSTALL, "libc6-dev-arm64-cross"));
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* i686 through the host gcc's -m32, which rustc passes: fine with the
 * multilib, wrong without it. */
static void test_multilib(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin-multilib:bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;

	(void)state;
	check(tc, "m32", "[target \"i686-unknown-linux-gnu\"]\n", "libc",
	      "i686-unknown-linux-gnu", &rep);
	f = find(&rep, TOOLCHAIN_LINKER);
	assert_int_equal(f->status, TOOLCHAIN_OK);
	assert_non_null(strstr(f->detail, "with -m32"));
	f = find(&rep, TOOLCHAIN_LIBGCC);
	assert_int_equal(f->status, TOOLCHAIN_OK);
	assert_non_null(strstr(f->path, "libgcc-i386.a"));
	assert_int_equal(find(&rep, TOOLCHAIN_SYSROOT)->status, TOOLCHAIN_OK);
	toolchain_report_fini(&rep);
	toolchain_free(tc);

	tc = doctor(&h, "bin");
	check(tc, "m32", "[target \"i686-unknown-linux-gnu\"]\n", "libc",
	      "i686-unknown-linux-gnu", &rep);
	assert_int_equal(find(&rep, TOOLCHAIN_LINKER)->status, TOOLCHAIN_WRONG);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* A rustup toolchain's rustc: rustup target add, and the other rustc on
 * PATH that has the std. */
static void test_rustup_toolchain(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin-rustup:bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;
	const struct diagnosis_fix *x;
	char want[4200];

	(void)state;
	check(tc, "rustup", "[target \"x86_64-pc-windows-gnu\"]\n", NULL,
	      "x86_64-pc-windows-gnu", &rep);
	assert_string_equal(rep.toolchain, "1.70-x86_64-unknown-linux-gnu");
	f = find(&rep, TOOLCHAIN_STD);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	x = fix_of(f, DIAGNOSIS_FIX_RUN, NULL);
	assert_non_null(x);
	assert_string_equal(x->text, "rustup target add --toolchain "
			    "1.70-x86_64-unknown-linux-gnu x86_64-pc-windows-gnu");
	assert_string_equal(x->argv.v[0], "rustup");
	x = fix_of(f, DIAGNOSIS_FIX_SET, NULL);
	assert_non_null(x);
	assert_string_equal(x->key, "rustc");
	snprintf(want, sizeof want, "%s/bin/rustc", fixdir);
	assert_string_equal(x->value, want);
	toolchain_report_fini(&rep);

	/* The rustc setting wins over PATH. */
	snprintf(want, sizeof want, "[target]\n\trustc = %s/bin/rustc\n", fixdir);
	check(tc, "rustcset", want, NULL, "x86_64-pc-windows-gnu", &rep);
	assert_true(rep.ready);
	assert_string_equal(rep.rustc_source, "the rustc setting");
	assert_null(rep.toolchain);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* rustup picks the toolchain from RUSTUP_TOOLCHAIN (what `cargo +NAME`
 * sets) or from rust-toolchain.toml where rustc runs: the project.  A
 * stand-in rustc answers the way rustup's proxy would. */
static void test_toolchain_choice(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc;
	struct toolchain_report rep;
	char bin[4200], script[16384], path[4400], envpath[8800];
	char *env[] = { envpath, NULL };
	FILE *f;

	(void)state;
	snprintf(bin, sizeof bin, "%s/proxy-bin", tmpdir);
	snprintf(path, sizeof path, "mkdir -p '%s'", bin);
	assert_int_equal(system(path), 0);
	snprintf(script, sizeof script,
		 "#!/bin/sh\ncase \"$*\" in\n\"--print sysroot\")\n"
		 "\tif [ -n \"$RUSTUP_TOOLCHAIN\" ]; then echo %s/rustup/toolchains/$RUSTUP_TOOLCHAIN\n"
		 "\telif [ -f rust-toolchain.toml ]; then echo %s/rustup/toolchains/1.70-x86_64-unknown-linux-gnu\n"
		 "\telse echo %s/sysroot; fi ;;\n"
		 "-vV) printf 'host: x86_64-unknown-linux-gnu\\nrelease: 1.70.0\\n' ;;\n"
		 "*) exit 1 ;;\nesac\n", fixdir, fixdir, fixdir);
	snprintf(path, sizeof path, "%s/rustc", bin);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(script, f);
	fclose(f);
	chmod(path, 0755);
	snprintf(envpath, sizeof envpath, "PATH=%s:%s/bin", bin, fixdir);
	tc = doctor(&h, "bin");
	toolchain_set_env(tc, env);

	check(tc, "plain", "[target \"x86_64-unknown-linux-gnu\"]\n", NULL,
	      "x86_64-unknown-linux-gnu", &rep);
	assert_null(rep.toolchain);
	toolchain_report_fini(&rep);

	check(tc, "tcset", "[target \"x86_64-unknown-linux-gnu\"]\n"
	      "\ttoolchain = 1.70-x86_64-unknown-linux-gnu\n", NULL,
	      "x86_64-unknown-linux-gnu", &rep);
	assert_non_null(rep.toolchain);
	assert_string_equal(rep.toolchain, "1.70-x86_64-unknown-linux-gnu");
	toolchain_report_fini(&rep);

	snprintf(path, sizeof path, "mkdir -p '%s/tcfile' && echo '[toolchain]' > "
		 "'%s/tcfile/rust-toolchain.toml'", tmpdir, tmpdir);
	assert_int_equal(system(path), 0);
	check(tc, "tcfile", "[target \"x86_64-pc-windows-gnu\"]\n", NULL,
	      "x86_64-pc-windows-gnu", &rep);
	assert_non_null(rep.toolchain);
	assert_string_equal(rep.toolchain, "1.70-x86_64-unknown-linux-gnu");
	/* that toolchain has no Windows std; the other rustc has */
	assert_int_equal(find(&rep, TOOLCHAIN_STD)->status, TOOLCHAIN_MISSING);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* toolchain = NAME means `cargo +NAME`: only rustup's cargo does that. */
static void test_toolchain_needs_rustup(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;
	const struct diagnosis_fix *x;

	(void)state;
	check(tc, "plus", "[target \"x86_64-unknown-linux-gnu\"]\n\ttoolchain = stable\n",
	      NULL, "x86_64-unknown-linux-gnu", &rep);
	summary_is(&rep, "no cargo");
	f = find(&rep, TOOLCHAIN_CARGO);
	assert_int_equal(f->status, TOOLCHAIN_WRONG);
	x = fix_of(f, DIAGNOSIS_FIX_SET, "unset toolchain");
	assert_non_null(x);
	assert_string_equal(x->value, "");
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

/* Without a C crate in Cargo.lock a missing C compiler is a note; a set
 * runner must be there. */
static void test_needs_and_runner(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	const struct toolchain_finding *f;

	(void)state;
	check(tc, "pure", "[target \"x86_64-pc-windows-gnu\"]\n\tcc = no-such-gcc\n"
	      "[target \"aarch64-unknown-linux-gnu\"]\n\tlinker = aarch64-linux-gnu-gcc\n"
	      "\trunner = qemu-aarch64 -L /usr/aarch64-linux-gnu\n"
	      "\tcc = gone-gcc\n", "libc", "aarch64-unknown-linux-gnu", &rep);
	f = find(&rep, TOOLCHAIN_CC);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_true(f->required);   /* set, so it must be there */
	assert_non_null(fix_of(f, DIAGNOSIS_FIX_SET, "set cc = aarch64-linux-gnu-gcc"));
	assert_int_equal(find(&rep, TOOLCHAIN_RUNNER)->status, TOOLCHAIN_OK);
	toolchain_report_fini(&rep);

	check(tc, "pure2", "[target \"aarch64-unknown-linux-gnu\"]\n"
	      "\tlinker = aarch64-linux-gnu-gcc\n\trunner = qemu-arm\n", "libc",
	      "aarch64-unknown-linux-gnu", &rep);
	f = find(&rep, TOOLCHAIN_RUNNER);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_non_null(fix_of(f, DIAGNOSIS_FIX_INSTALL, "qemu-user"));
	summary_is(&rep, "no runner");
	toolchain_report_fini(&rep);

	/* no C compiler needed: armv7 lacks one and is only not ready for
	 * its std and linker */
	check(tc, "pure3", "[target \"armv7-unknown-linux-gnueabihf\"]\n", "libc",
	      "armv7-unknown-linux-gnueabihf", &rep);
	f = find(&rep, TOOLCHAIN_CC);
	assert_int_equal(f->status, TOOLCHAIN_MISSING);
	assert_false(f->required);
	assert_non_null(strstr(f->detail, "no crate in Cargo.lock compiles C"));
	toolchain_report_fini(&rep);

	/* wasm32-unknown-unknown has no libc: a note for C crates */
	check(tc, "wasm", "[target \"wasm32-unknown-unknown\"]\n", "cc",
	      "wasm32-unknown-unknown", &rep);
	f = find(&rep, TOOLCHAIN_SYSROOT);
	assert_false(f->required);
	assert_non_null(strstr(f->detail, "has no C library"));
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

static void test_json(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	json_t *j, *f0;

	(void)state;
	check(tc, "json", "[target \"aarch64-unknown-linux-gnu\"]\n", "cc",
	      "aarch64-unknown-linux-gnu", &rep);
	j = toolchain_report_to_json(&rep);
	assert_string_equal(json_string_value(json_object_get(j, "target")),
			    "aarch64-unknown-linux-gnu");
	assert_true(json_is_false(json_object_get(j, "ready")));
	assert_string_equal(json_string_value(json_object_get(j, "summary")), "no linker");
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "rustc"),
								 "version")), "1.70.0");
	f0 = json_array_get(json_object_get(j, "findings"), 0);
	assert_string_equal(json_string_value(json_object_get(f0, "what")), "cargo");
	assert_string_equal(json_string_value(json_object_get(f0, "status")), "ok");
	json_decref(j);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

static void test_bad_settings(void **state)
{
	struct host h = debian_host("amd64");
	struct toolchain *tc = doctor(&h, "bin");
	struct toolchain_report rep;
	struct target_settings ts;
	struct cb_err err;

	(void)state;
	memset(&ts, 0, sizeof ts);
	strcpy(ts.triple, "not a triple");
	assert_int_equal(toolchain_check(tc, &ts, NULL, &rep, &err), -1);
	toolchain_report_fini(&rep);
	toolchain_free(tc);
}

static void test_host(void **state)
{
	struct host h;
	char t[TRIPLE_MAX];

	(void)state;
	host_detect(&h, FIX "/hosts/debian");
	assert_string_equal(h.id, "debian");
	assert_int_equal(h.pm, HOST_PM_APT);
	assert_string_equal(host_family(&h), "debian");
	assert_true(host_has_dpkg_arch(&h, "arm64"));
	assert_false(host_has_dpkg_arch(&h, "armhf"));
	host_detect(&h, FIX "/hosts/fedora");
	assert_int_equal(h.pm, HOST_PM_DNF);
	assert_string_equal(host_family(&h), "fedora");
	assert_false(host_has_dpkg_arch(&h, "arm64"));
	host_detect(&h, FIX "/hosts/arch");
	assert_string_equal(host_family(&h), "arch");
	/* a derivative nobody knows: by the manager that is installed */
	host_detect(&h, FIX "/hosts/mint");
	assert_int_equal(h.pm, HOST_PM_APT);
	assert_true(h.pm_present);
	assert_true(host_has_dpkg_arch(&h, "i386"));

	memset(&h, 0, sizeof h);
	strcpy(h.arch, "aarch64");
	strcpy(h.id, "fedora");
	host_triple(&h, t, sizeof t);
	assert_string_equal(t, "aarch64-unknown-linux-gnu");
	strcpy(h.id, "macos");
	strcpy(h.arch, "arm64");
	host_triple(&h, t, sizeof t);
	assert_string_equal(t, "aarch64-apple-darwin");
	strcpy(h.id, "alpine");
	strcpy(h.arch, "x86_64");
	host_triple(&h, t, sizeof t);
	assert_string_equal(t, "x86_64-unknown-linux-musl");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_object_machine),
		cmocka_unit_test(test_machine_matches),
		cmocka_unit_test(test_tool_kind),
		cmocka_unit_test(test_ready),
		cmocka_unit_test(test_default_linker_wrong),
		cmocka_unit_test(test_tool_missing),
		cmocka_unit_test(test_std_missing),
		cmocka_unit_test(test_bad_libgcc),
		cmocka_unit_test(test_multilib),
		cmocka_unit_test(test_rustup_toolchain),
		cmocka_unit_test(test_toolchain_choice),
		cmocka_unit_test(test_toolchain_needs_rustup),
		cmocka_unit_test(test_needs_and_runner),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_bad_settings),
		cmocka_unit_test(test_host),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
