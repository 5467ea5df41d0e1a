/* test_triple.c - triple parsing against every triple rustc lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "triple.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

static void check(const char *text, const char *arch, const char *vendor,
		  const char *os, const char *env, const char *machine,
		  int bits, enum triple_endian endian, enum triple_format fmt,
		  const char *os_name)
{
	struct triple t;
	struct cb_err err;

	assert_int_equal(triple_parse(&t, text, &err), 0);
	assert_string_equal(t.arch, arch);
	assert_string_equal(t.vendor, vendor);
	assert_string_equal(t.os, os);
	assert_string_equal(t.env, env);
	assert_string_equal(t.machine, machine);
	assert_int_equal(t.bits, bits);
	assert_int_equal(t.endian, endian);
	assert_int_equal(t.format, fmt);
	assert_string_equal(t.os_name, os_name);
}

static void test_forms(void **state)
{
	(void)state;
	check("x86_64-unknown-linux-gnu", "x86_64", "unknown", "linux", "gnu",
	      "x86_64", 64, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "linux");
	check("x86_64-pc-windows-gnu", "x86_64", "pc", "windows", "gnu",
	      "x86_64", 64, TRIPLE_LITTLE, TRIPLE_FMT_PE, "windows");
	check("i686-pc-windows-gnu", "i686", "pc", "windows", "gnu",
	      "i386", 32, TRIPLE_LITTLE, TRIPLE_FMT_PE, "windows");
	check("aarch64-apple-darwin", "aarch64", "apple", "darwin", "",
	      "aarch64", 64, TRIPLE_LITTLE, TRIPLE_FMT_MACHO, "macos");
	check("wasm32-wasi", "wasm32", "", "wasi", "",
	      "wasm32", 32, TRIPLE_LITTLE, TRIPLE_FMT_WASM, "wasi");
	check("thumbv7em-none-eabihf", "thumbv7em", "", "none", "eabihf",
	      "arm", 32, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "none");
	check("aarch64-linux-android", "aarch64", "", "linux", "android",
	      "aarch64", 64, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "android");
	check("x86_64-fortanix-unknown-sgx", "x86_64", "fortanix", "unknown", "sgx",
	      "x86_64", 64, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "unknown");
	check("powerpc64le-unknown-linux-gnu", "powerpc64le", "unknown", "linux", "gnu",
	      "powerpc64", 64, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "linux");
	check("s390x-unknown-linux-gnu", "s390x", "unknown", "linux", "gnu",
	      "s390x", 64, TRIPLE_BIG, TRIPLE_FMT_ELF, "linux");
	check("x86_64-unknown-linux-gnux32", "x86_64", "unknown", "linux", "gnux32",
	      "x86_64", 32, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "linux");
	check("thumbv8m.main-none-eabi", "thumbv8m.main", "", "none", "eabi",
	      "arm", 32, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "none");
	check("aarch64-unknown-uefi", "aarch64", "unknown", "uefi", "",
	      "aarch64", 64, TRIPLE_LITTLE, TRIPLE_FMT_PE, "uefi");
	check("arm64_32-apple-watchos", "arm64_32", "apple", "watchos", "",
	      "arm64_32", 32, TRIPLE_LITTLE, TRIPLE_FMT_MACHO, "watchos");
	check("mips64el-unknown-linux-gnuabi64", "mips64el", "unknown", "linux", "gnuabi64",
	      "mips64", 64, TRIPLE_LITTLE, TRIPLE_FMT_ELF, "linux");
}

static void test_rejects(void **state)
{
	static const char *bad[] = {
		"", "x86_64", "x86_64-", "-linux", "a-b-c-d-e",
		"x86_64-unknown--gnu", "x86_64 unknown linux", "pdp11-unknown-linux",
		"x86_64-unknown-linux-gnu\n", NULL
	};
	struct triple t;
	struct cb_err err;

	(void)state;
	for (int i = 0; bad[i]; i++) {
		cb_err_clear(&err);
		assert_int_equal(triple_parse(&t, bad[i], &err), -1);
		assert_int_not_equal(err.code, CB_OK);
		assert_true(strlen(err.msg) > 0);
	}
}

/* Every triple of rustc 1.63 (Debian) and 1.95 (rustup) parses, and says a
 * format, unless it is one of the few that produce no object file. */
static void test_every_known_triple(void **state)
{
	static const char *lists[] = {
		FIXTURES "/target-list-rustc-1.63.txt",
		FIXTURES "/target-list-rustc-1.95.txt",
	};
	char line[128];
	int n = 0;

	(void)state;
	for (size_t l = 0; l < 2; l++) {
		FILE *f = fopen(lists[l], "r");

		assert_non_null(f);
		while (fgets(line, sizeof line, f)) {
			struct triple t;
			struct cb_err err;

			line[strcspn(line, "\n")] = '\0';
			if (!line[0])
				continue;
			if (triple_parse(&t, line, &err) != 0)
				fail_msg("%s: %s", line, err.msg);
			if (t.format == TRIPLE_FMT_UNKNOWN &&
			    strcmp(t.machine, "nvptx64") && strcmp(t.machine, "asmjs"))
				fail_msg("%s: no object format", line);
			if (!strcmp(t.os_name, "unknown") && strcmp(t.os, "unknown"))
				print_error("%s: os %s not recognised\n", line, t.os), n = -10000;
			n++;
		}
		fclose(f);
	}
	assert_true(n > 400);
}

static void test_env_names(void **state)
{
	char out[TRIPLE_MAX];

	(void)state;
	triple_cargo_env("aarch64-unknown-linux-gnu", out, sizeof out);
	assert_string_equal(out, "AARCH64_UNKNOWN_LINUX_GNU");
	triple_cargo_env("thumbv8m.main-none-eabi", out, sizeof out);
	assert_string_equal(out, "THUMBV8M_MAIN_NONE_EABI");
	triple_cc_env("x86_64-pc-windows-gnu", out, sizeof out);
	assert_string_equal(out, "x86_64_pc_windows_gnu");
}

static void test_gnu_prefix(void **state)
{
	static const struct { const char *t, *prefix; } cases[] = {
		{ "aarch64-unknown-linux-gnu", "aarch64-linux-gnu" },
		{ "armv7-unknown-linux-gnueabihf", "arm-linux-gnueabihf" },
		{ "thumbv7neon-unknown-linux-gnueabihf", "arm-linux-gnueabihf" },
		{ "riscv64gc-unknown-linux-gnu", "riscv64-linux-gnu" },
		{ "i686-unknown-linux-gnu", "i686-linux-gnu" },
		{ "x86_64-pc-windows-gnu", "x86_64-w64-mingw32" },
		{ "i686-pc-windows-gnu", "i686-w64-mingw32" },
		{ "powerpc64le-unknown-linux-gnu", "powerpc64le-linux-gnu" },
		{ "s390x-unknown-linux-gnu", "s390x-linux-gnu" },
		{ "x86_64-apple-darwin", "x86_64-apple-darwin" },
		{ "aarch64-unknown-linux-musl", "aarch64-linux-musl" },
	};
	static const char *none[] = {
		"wasm32-unknown-unknown", "thumbv7em-none-eabihf",
		"x86_64-pc-windows-msvc", "aarch64-linux-android",
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct triple t;

		assert_int_equal(triple_parse(&t, cases[i].t, NULL), 0);
		assert_int_equal(triple_gnu_prefix(&t, out, sizeof out), 0);
		assert_string_equal(out, cases[i].prefix);
	}
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		struct triple t;

		assert_int_equal(triple_parse(&t, none[i], NULL), 0);
		assert_int_equal(triple_gnu_prefix(&t, out, sizeof out), -1);
	}
}

/* The Rust triple to Go's GOOS/GOARCH/GOARM, and the triples Go has no
 * port for. */
static void test_go(void **state)
{
	static const struct { const char *t, *goos, *goarch, *goarm; } cases[] = {
		{ "aarch64-unknown-linux-gnu", "linux", "arm64", "" },
		{ "aarch64-unknown-linux-musl", "linux", "arm64", "" },
		{ "x86_64-unknown-linux-gnu", "linux", "amd64", "" },
		{ "x86_64-unknown-linux-musl", "linux", "amd64", "" },
		{ "i686-unknown-linux-gnu", "linux", "386", "" },
		{ "armv7-unknown-linux-gnueabihf", "linux", "arm", "7" },
		{ "armv7-unknown-linux-musleabihf", "linux", "arm", "7" },
		{ "thumbv7neon-unknown-linux-gnueabihf", "linux", "arm", "7" },
		{ "arm-unknown-linux-gnueabihf", "linux", "arm", "6" },
		{ "arm-unknown-linux-gnueabi", "linux", "arm", "5" },
		{ "armv5te-unknown-linux-gnueabi", "linux", "arm", "5" },
		{ "x86_64-pc-windows-gnu", "windows", "amd64", "" },
		{ "x86_64-pc-windows-msvc", "windows", "amd64", "" },
		{ "i686-pc-windows-gnu", "windows", "386", "" },
		{ "aarch64-pc-windows-msvc", "windows", "arm64", "" },
		{ "x86_64-apple-darwin", "darwin", "amd64", "" },
		{ "aarch64-apple-darwin", "darwin", "arm64", "" },
		{ "aarch64-apple-ios", "ios", "arm64", "" },
		{ "aarch64-linux-android", "android", "arm64", "" },
		{ "riscv64gc-unknown-linux-gnu", "linux", "riscv64", "" },
		{ "powerpc64le-unknown-linux-gnu", "linux", "ppc64le", "" },
		{ "powerpc64-unknown-linux-gnu", "linux", "ppc64", "" },
		{ "s390x-unknown-linux-gnu", "linux", "s390x", "" },
		{ "mipsel-unknown-linux-gnu", "linux", "mipsle", "" },
		{ "mips64-unknown-linux-gnuabi64", "linux", "mips64", "" },
		{ "loongarch64-unknown-linux-gnu", "linux", "loong64", "" },
		{ "x86_64-unknown-freebsd", "freebsd", "amd64", "" },
		{ "wasm32-wasi", "wasip1", "wasm", "" },
		{ "wasm32-unknown-emscripten", "js", "wasm", "" },
	};
	static const char *none[] = {
		"thumbv7em-none-eabihf", "wasm32-unknown-unknown", "aarch64_be-unknown-linux-gnu",
		"riscv32imac-unknown-none-elf", "x86_64-unknown-uefi", "avr-unknown-gnu-atmega328",
		"sparc64-unknown-linux-gnu",
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct triple t;
		struct triple_go g;

		assert_int_equal(triple_parse(&t, cases[i].t, NULL), 0);
		assert_int_equal(triple_go(&t, &g), 0);
		assert_string_equal(g.goos, cases[i].goos);
		assert_string_equal(g.goarch, cases[i].goarch);
		assert_string_equal(g.goarm, cases[i].goarm);
	}
	for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
		struct triple t;
		struct triple_go g;

		assert_int_equal(triple_parse(&t, none[i], NULL), 0);
		if (triple_go(&t, &g) == 0)
			fail_msg("%s: Go has no port, got %s/%s", none[i], g.goos, g.goarch);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_every_known_triple),
		cmocka_unit_test(test_env_names),
		cmocka_unit_test(test_gnu_prefix),
		cmocka_unit_test(test_go),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
