/* test_packages.c - package names per manager from packages.conf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "packages.h"

static struct packages *load(void)
{
	struct cb_err err;
	struct packages *p = packages_load("core/presets/packages.conf", &err);

	if (!p)
		fail_msg("%s", err.msg);
	return p;
}

static void expect(size_t n, struct strv *s, const char *first)
{
	assert_true(n >= 1);
	assert_string_equal(s->v[0], first);
	strv_fini(s);
	strv_init(s);
}

static void test_lookups(void **state)
{
	struct packages *p = load();
	struct strv s;
	struct buf b;

	(void)state;
	strv_init(&s);
	expect(packages_for_tool(p, HOST_PM_APT, "aarch64-linux-gnu-gcc", &s), &s, "gcc-aarch64-linux-gnu");
	expect(packages_for_tool(p, HOST_PM_DNF, "aarch64-linux-gnu-gcc", &s), &s, "gcc-aarch64-linux-gnu");
	expect(packages_for_tool(p, HOST_PM_PACMAN, "aarch64-linux-gnu-gcc", &s), &s, "aarch64-linux-gnu-gcc");
	expect(packages_for_tool(p, HOST_PM_APT, "x86_64-w64-mingw32-gcc", &s), &s, "gcc-mingw-w64-x86-64");
	expect(packages_for_tool(p, HOST_PM_BREW, "x86_64-w64-mingw32-gcc", &s), &s, "mingw-w64");
	/* The cross C++ compilers the doctor names, per manager. */
	expect(packages_for_tool(p, HOST_PM_APT, "x86_64-w64-mingw32-g++", &s), &s, "g++-mingw-w64-x86-64");
	expect(packages_for_tool(p, HOST_PM_DNF, "x86_64-w64-mingw32-g++", &s), &s, "mingw64-gcc-c++");
	expect(packages_for_tool(p, HOST_PM_PACMAN, "x86_64-w64-mingw32-g++", &s), &s, "mingw-w64-gcc");
	expect(packages_for_tool(p, HOST_PM_BREW, "x86_64-w64-mingw32-g++", &s), &s, "mingw-w64");
	expect(packages_for_tool(p, HOST_PM_APT, "x86_64-w64-mingw32-g++-posix", &s), &s,
	       "g++-mingw-w64-x86-64-posix");
	expect(packages_for_tool(p, HOST_PM_APT, "aarch64-linux-gnu-g++", &s), &s, "g++-aarch64-linux-gnu");
	expect(packages_for_tool(p, HOST_PM_DNF, "aarch64-linux-gnu-g++", &s), &s, "gcc-c++-aarch64-linux-gnu");
	expect(packages_for_tool(p, HOST_PM_PACMAN, "aarch64-linux-gnu-g++", &s), &s, "aarch64-linux-gnu-gcc");
	expect(packages_for_tool(p, HOST_PM_APT, "arm-linux-gnueabihf-g++", &s), &s, "g++-arm-linux-gnueabihf");
	expect(packages_for_tool(p, HOST_PM_DNF, "arm-linux-gnueabihf-g++", &s), &s, "gcc-c++-arm-linux-gnu");
	expect(packages_for_std(p, HOST_PM_APT, "aarch64-unknown-linux-gnu", &s), &s, "libstd-rust-dev:arm64");
	expect(packages_lookup(p, "std", "aarch64-unknown-linux-gnu", "rustup", NULL, &s), &s,
	       "aarch64-unknown-linux-gnu");
	/* {debian-arch} comes from the target */
	expect(packages_lookup(p, "lib", "ssl", "apt", "armv7-unknown-linux-gnueabihf", &s), &s,
	       "libssl-dev:armhf");
	/* names compare without case (FONTCONFIG_NO_PKG_CONFIG) */
	expect(packages_lookup(p, "lib", "FONTCONFIG", "apt", "aarch64-unknown-linux-gnu", &s), &s,
	       "libfontconfig-dev:arm64");
	/* unknown: nothing, not a guess */
	assert_int_equal(packages_for_tool(p, HOST_PM_BREW, "aarch64-linux-gnu-gcc", &s), 0);
	/* no core formula for a Linux cross g++; -posix is Debian's name only */
	assert_int_equal(packages_for_tool(p, HOST_PM_BREW, "aarch64-linux-gnu-g++", &s), 0);
	assert_int_equal(packages_for_tool(p, HOST_PM_BREW, "arm-linux-gnueabihf-g++", &s), 0);
	assert_int_equal(packages_for_tool(p, HOST_PM_PACMAN, "arm-linux-gnueabihf-g++", &s), 0);
	assert_int_equal(packages_for_tool(p, HOST_PM_DNF, "x86_64-w64-mingw32-g++-posix", &s), 0);
	assert_int_equal(packages_for_tool(p, HOST_PM_BREW, "x86_64-w64-mingw32-g++-posix", &s), 0);
	assert_int_equal(packages_for_std(p, HOST_PM_APT, "riscv64gc-unknown-linux-gnu", &s), 0);
	assert_int_equal(packages_lookup(p, "lib", "ssl", "apt", "wasm32-unknown-unknown", &s), 0);
	assert_int_equal(s.n, 0);
	buf_init(&b);
	assert_int_equal(packages_setup(p, "std", "aarch64-unknown-linux-gnu", "apt", NULL, &b), 1);
	assert_string_equal(b.data, "dpkg --add-architecture arm64");
	buf_reset(&b);
	assert_int_equal(packages_setup(p, "lib", "z", "apt", "powerpc64le-unknown-linux-gnu", &b), 1);
	assert_string_equal(b.data, "dpkg --add-architecture ppc64el");
	buf_fini(&b);
	packages_free(p);
}

/* Every target of the presets has a C compiler and a std source somewhere. */
static void test_preset_targets(void **state)
{
	static const char *tools[] = {
		"x86_64-linux-gnu-gcc", "aarch64-linux-gnu-gcc", "arm-linux-gnueabihf-gcc",
		"i686-linux-gnu-gcc", "riscv64-linux-gnu-gcc", "powerpc64le-linux-gnu-gcc",
		"s390x-linux-gnu-gcc", "x86_64-w64-mingw32-gcc", "i686-w64-mingw32-gcc",
		"musl-gcc",
	};
	static const char *stds[] = {
		"x86_64-unknown-linux-gnu", "aarch64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf",
		"i686-unknown-linux-gnu", "riscv64gc-unknown-linux-gnu", "powerpc64le-unknown-linux-gnu",
		"s390x-unknown-linux-gnu", "x86_64-unknown-linux-musl", "aarch64-unknown-linux-musl",
		"armv7-unknown-linux-musleabihf", "i686-unknown-linux-musl", "riscv64gc-unknown-linux-musl",
		"powerpc64le-unknown-linux-musl", "s390x-unknown-linux-musl", "x86_64-pc-windows-gnu",
		"i686-pc-windows-gnu", "x86_64-apple-darwin", "aarch64-apple-darwin",
		"wasm32-unknown-unknown", "wasm32-wasi",
	};
	struct packages *p = load();
	struct strv s;

	(void)state;
	strv_init(&s);
	for (size_t i = 0; i < sizeof tools / sizeof *tools; i++)
		if (packages_for_tool(p, HOST_PM_APT, tools[i], &s) == 0)
			fail_msg("no apt package for %s", tools[i]);
	for (size_t i = 0; i < sizeof stds / sizeof *stds; i++)
		if (packages_lookup(p, "std", stds[i], "rustup", stds[i], &s) == 0)
			fail_msg("no rustup target for %s", stds[i]);
	strv_fini(&s);
	packages_free(p);
}

static void test_missing_file(void **state)
{
	struct cb_err err;

	(void)state;
	assert_null(packages_load("/nonexistent/packages.conf", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/packages.conf"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookups),
		cmocka_unit_test(test_preset_targets),
		cmocka_unit_test(test_missing_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
