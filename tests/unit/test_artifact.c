/* test_artifact.c - the binary reader on real fixtures, on every fixture's
 * target, and on files that lie: truncated, with offsets, counts and sizes
 * that point outside the file, and with cycles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifact.h"
#include "floor.h"
#include "buf.h"
#include "triple.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures/bin"
#endif

static unsigned char *load(const char *name, size_t *n)
{
	char path[512];
	FILE *f;
	unsigned char *p;
	long len;

	snprintf(path, sizeof path, FIXTURES "/%s", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	p = malloc((size_t)len + 1);
	assert_int_equal(fread(p, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return p;
}

static int has_problem(const struct artifact *a, const char *needle)
{
	for (size_t i = 0; i < a->nproblems; i++)
		if (strstr(a->problems[i].text, needle))
			return 1;
	return 0;
}

static void dump(const struct artifact *a)
{
	for (size_t i = 0; i < a->nproblems; i++)
		print_message("  %s: %s\n", a->path, a->problems[i].text);
}

/* Every fixture is a binary for the triple it was built for (TARGETS):
 * no mismatch, nothing malformed. */
static void test_every_fixture_matches_its_target(void **state)
{
	FILE *f = fopen(FIXTURES "/TARGETS", "r");
	char name[256], triple[96];
	int n = 0;

	(void)state;
	assert_non_null(f);
	while (fscanf(f, "%255s %95s", name, triple) == 2) {
		struct artifact a;
		struct triple t;
		struct cb_err err;
		char path[512];

		snprintf(path, sizeof path, FIXTURES "/%s", name);
		assert_int_equal(triple_parse(&t, triple, &err), 0);
		assert_int_equal(artifact_inspect(path, &a, &err), 0);
		artifact_check(&a, &t, NULL);
		/* badinterp is made not to fit (test_interpreter_and_glibc). */
		if (a.matches != ARTIFACT_YES && !strstr(name, "badinterp")) {
			dump(&a);
			fail_msg("%s is not a binary for %s", name, triple);
		}
		assert_int_equal(a.nfindings, 0);
		assert_int_not_equal(a.format, ARTIFACT_FMT_UNKNOWN);
		artifact_fini(&a);
		n++;
	}
	fclose(f);
	assert_true(n >= 30);
}

static void inspect(const char *name, struct artifact *a)
{
	char path[512];
	struct cb_err err;

	snprintf(path, sizeof path, FIXTURES "/%s", name);
	assert_int_equal(artifact_inspect(path, a, &err), 0);
}

static void check_as(struct artifact *a, const char *triple, const char *glibc_max)
{
	struct triple t;

	assert_int_equal(triple_parse(&t, triple, NULL), 0);
	artifact_check(a, &t, glibc_max);
}

static void test_wrong_target(void **state)
{
	struct artifact a;

	(void)state;
	inspect("hello-aarch64", &a);
	check_as(&a, "x86_64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_NO);
	assert_true(has_problem(&a, "mismatch: machine is aarch64"));
	check_as(&a, "x86_64-pc-windows-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_NO);
	assert_true(has_problem(&a, "format is ELF 64-bit LSB"));
	check_as(&a, "aarch64_be-unknown-linux-gnu", NULL);
	assert_true(has_problem(&a, "little-endian"));
	check_as(&a, "aarch64-linux-android", NULL);
	assert_true(has_problem(&a, "OS is linux"));
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	assert_int_equal(a.nproblems, 0);
	artifact_fini(&a);

	inspect("hello-armhf", &a);
	check_as(&a, "armv7-unknown-linux-gnueabi", NULL);
	assert_true(has_problem(&a, "hard-float ABI"));
	artifact_fini(&a);

	inspect("win-i686.exe", &a);
	check_as(&a, "x86_64-pc-windows-gnu", NULL);
	assert_true(has_problem(&a, "machine is i386"));
	assert_true(has_problem(&a, "32-bit"));
	artifact_fini(&a);

	inspect("libhello-x86_64.a", &a);
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_NO);
	assert_true(has_problem(&a, "2 members"));
	artifact_fini(&a);
}

static void test_mingw_runtime_dll(void **state)
{
	struct artifact a;

	(void)state;
	inspect("cxx-x86_64.exe", &a);
	check_as(&a, "x86_64-pc-windows-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	assert_true(has_problem(&a, "warning: imports libgcc_s_seh-1.dll"));
	assert_true(has_problem(&a, "warning: imports libstdc++-6.dll"));
	artifact_fini(&a);
	inspect("win-x86_64.exe", &a);
	check_as(&a, "x86_64-pc-windows-gnu", NULL);
	assert_int_equal(a.nproblems, 0);
	artifact_fini(&a);
}

static void test_interpreter_and_glibc(void **state)
{
	struct artifact a;

	(void)state;
	/* Another system's loader: it cannot start there. */
	inspect("hello-aarch64-badinterp", &a);
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_NO);
	assert_true(has_problem(&a, "interpreter /lib64/ld-linux-x86-64.so.2 is another system's loader"));
	assert_true(has_problem(&a, "/lib/ld-linux-aarch64.so.1"));
	/* The target's own loader at another path (a Nix store): a warning. */
	free(a.interpreter);
	a.interpreter = xstrdup("/nix/store/0a1b-glibc-2.38/lib/ld-linux-aarch64.so.1");
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	assert_true(has_problem(&a, "warning: interpreter /nix/store/0a1b-glibc-2.38/lib/ld-linux-aarch64.so.1 is not"));
	/* Not a loader's name at all: a warning too. */
	free(a.interpreter);
	a.interpreter = xstrdup("/opt/app/bin/loader");
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	artifact_fini(&a);

	inspect("hello-riscv64", &a);
	assert_true(a.glibc_max[0]);
	check_as(&a, "riscv64gc-unknown-linux-gnu", "2.17");
	assert_true(has_problem(&a, "above the glibc-max 2.17"));
	check_as(&a, "riscv64gc-unknown-linux-gnu", a.glibc_max);
	assert_int_equal(a.nproblems, 0);
	artifact_fini(&a);

	inspect("hello-cxx-x86_64", &a);
	assert_true(a.glibcxx_max[0]);
	assert_true(a.gcc_max[0]);
	artifact_fini(&a);
}

static void test_macho(void **state)
{
	struct artifact a;

	(void)state;
	inspect("hello-arm64-macos", &a);
	assert_string_equal(a.machine, "aarch64");
	assert_string_equal(a.min_os, "11.0");
	assert_string_equal(a.sdk, "12.0");
	assert_string_equal(a.interpreter, "/usr/lib/dyld");
	check_as(&a, "aarch64-apple-darwin", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	assert_true(has_problem(&a, "links @rpath/libhello.dylib"));
	assert_false(has_problem(&a, "libSystem"));
	artifact_fini(&a);

	inspect("free-universal-macos.o", &a);
	assert_int_equal(a.format, ARTIFACT_FMT_MACHO_FAT);
	assert_int_equal(a.nslices, 2);
	check_as(&a, "x86_64-apple-darwin", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	check_as(&a, "aarch64-apple-darwin", NULL);
	assert_int_equal(a.matches, ARTIFACT_YES);
	check_as(&a, "arm64_32-apple-watchos", NULL);
	assert_true(has_problem(&a, "no slice is for"));
	artifact_fini(&a);
}

static void test_summary_and_json(void **state)
{
	static const char *keys[] = {
		"path", "format", "machine", "bits", "endian", "os", "kind",
		"interpreter", "needed", "exports", "exports_total", "glibc_max",
		"static", "stripped",
		"debug_info", "subsystem", "min_os", "slices", "summary", "target",
		"matches", "problems", NULL
	};
	struct artifact a;
	struct buf b;
	json_t *j;

	(void)state;
	buf_init(&b);
	inspect("win-x86_64.exe", &a);
	artifact_summary(&a, &b);
	assert_string_equal(b.data, "PE32+ x86_64 console");
	artifact_fini(&a);
	buf_reset(&b);
	inspect("hello-aarch64", &a);
	artifact_summary(&a, &b);
	assert_true(!strncmp(b.data, "ELF aarch64 pie glibc2.", 23));
	check_as(&a, "aarch64-unknown-linux-gnu", NULL);
	j = artifact_to_json(&a);
	for (int i = 0; keys[i]; i++)
		if (!json_object_get(j, keys[i]))
			fail_msg("JSON has no '%s'", keys[i]);
	assert_string_equal(json_string_value(json_object_get(j, "format")), "elf");
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "pie");
	assert_true(json_is_true(json_object_get(j, "matches")));
	json_decref(j);
	artifact_fini(&a);
	buf_fini(&b);
}

static void test_versions(void **state)
{
	char v[ARTIFACT_VERSION_MAX] = "";

	(void)state;
	assert_true(artifact_version_cmp("2.34", "2.4") > 0);
	assert_true(artifact_version_cmp("2.2.5", "2.3") < 0);
	assert_int_equal(artifact_version_cmp("3.4", "3.4.0"), 0);
	artifact_raise_version(v, "2.3.4");
	artifact_raise_version(v, "2.17");
	artifact_raise_version(v, "2.2.5");
	artifact_raise_version(v, "2.x");
	assert_string_equal(v, "2.17");
}

/* ------------------------------------------------------------ lies */

static void put32(unsigned char *p, int be, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[be ? 3 - i : i] = (unsigned char)(v >> (8 * i));
}

static void put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void mem(const unsigned char *p, size_t n, struct artifact *a)
{
	/* A private copy of exactly n bytes, so ASan sees any overread. */
	unsigned char *c = malloc(n ? n : 1);

	memcpy(c, p, n);
	artifact_inspect_mem(c, n, "lie", a);
	free(c);
}

static int malformed_with(const unsigned char *p, size_t n, const char *needle)
{
	struct artifact a;
	int hit = 0;

	mem(p, n, &a);
	for (size_t i = 0; i < a.nfindings; i++)
		if (strstr(a.findings[i].text, needle))
			hit = 1;
	if (!hit) {
		for (size_t i = 0; i < a.nfindings; i++)
			print_message("  finding: %s\n", a.findings[i].text);
		print_message("  wanted: %s\n", needle);
	}
	artifact_fini(&a);
	return hit;
}

/* Every prefix of every small fixture: no crash, no read outside it. */
static void test_truncated(void **state)
{
	static const char *names[] = {
		"hello-x86_64", "hello-s390x", "hello-i686", "win-x86_64.exe",
		"free-universal-macos.o", "hello-arm64-macos", "wasi-wasm32.wasm",
		"libhello-x86_64.a", "lib-x86_64-w64.o", "free-mips.o", NULL
	};

	(void)state;
	for (int i = 0; names[i]; i++) {
		size_t n, step;
		unsigned char *p = load(names[i], &n);

		step = n > 4096 ? n / 2048 : 1;
		for (size_t len = 0; len < n; len += step) {
			struct artifact a;

			mem(p, len, &a);
			artifact_fini(&a);
		}
		free(p);
	}
}

static void test_elf_lies(void **state)
{
	size_t n;
	unsigned char *p = load("hello-x86_64", &n), *c = malloc(n);

	(void)state;
	/* e_shoff far past the end */
	memcpy(c, p, n);
	put32(c + 40, 0, 0x7fffff00);
	assert_true(malformed_with(c, n, "section headers"));
	/* e_phnum absurd */
	memcpy(c, p, n);
	put16(c + 56, 0xfff0);
	assert_true(malformed_with(c, n, "program headers"));
	/* the file cut inside the section headers */
	assert_true(malformed_with(p, n - 10, "section headers"));
	/* e_shstrndx out of range */
	memcpy(c, p, n);
	put16(c + 62, 0xfff0);
	assert_true(malformed_with(c, n, "section name table index"));
	/* class and encoding */
	memcpy(c, p, n);
	c[4] = 7;
	assert_true(malformed_with(c, n, "ELF class 7"));
	memcpy(c, p, n);
	c[5] = 0;
	assert_true(malformed_with(c, n, "data encoding"));
	/* PT_DYNAMIC's offset and DT_STRTAB's address lie */
	{
		uint64_t phoff = p[32] | (uint64_t)p[33] << 8;
		uint16_t phnum = (uint16_t)(p[56] | p[57] << 8);

		for (uint16_t i = 0; i < phnum; i++) {
			unsigned char *ph = c + phoff + i * 56u;

			memcpy(c, p, n);
			if (ph[0] != 2)
				continue;
			put32(ph + 8, 0, 0x7ffffff0);
			assert_true(malformed_with(c, n, "dynamic section"));
			memcpy(c, p, n);
			{
				uint64_t doff = ph[8] | (uint64_t)ph[9] << 8 |
						(uint64_t)ph[10] << 16;
				for (uint64_t d = doff; d + 16 <= n; d += 16) {
					if (c[d] == 5 && !c[d + 1]) {   /* DT_STRTAB */
						put32(c + d + 8, 0, 0x7ffffff0);
						break;
					}
				}
			}
			assert_true(malformed_with(c, n, "DT_STRTAB"));
		}
	}
	free(c);
	free(p);
}

/* .gnu.version_r whose counts and links lie: entries are read only while
 * they are inside the file and the string table. */
static void test_verneed_lies(void **state)
{
	size_t n;
	unsigned char *p = load("hello-x86_64", &n), *c = malloc(n);
	uint64_t shoff = 0, off = 0;
	uint16_t shnum, shentsize;
	uint32_t aux;

	(void)state;
	for (int i = 0; i < 8; i++)
		shoff |= (uint64_t)p[40 + i] << (8 * i);
	shentsize = (uint16_t)(p[58] | p[59] << 8);
	shnum = (uint16_t)(p[60] | p[61] << 8);
	for (uint16_t i = 0; i < shnum && !off; i++) {
		unsigned char *sh = p + shoff + (uint64_t)i * shentsize;

		if (sh[4] == 0xfe && sh[5] == 0xff && sh[6] == 0xff && sh[7] == 0x6f)
			for (int b = 0; b < 8; b++)   /* SHT_GNU_verneed */
				off |= (uint64_t)sh[24 + b] << (8 * b);
	}
	assert_true(off > 0 && off < n);
	aux = (uint32_t)(p[off + 8] | p[off + 9] << 8);
	/* vn_cnt claims 65535 entries and each links 16 bytes on. */
	memcpy(c, p, n);
	put16(c + off + 2, 0xffff);
	put32(c + off + aux + 12, 0, 16);
	{
		struct artifact a;

		mem(c, n, &a);
		artifact_fini(&a);
	}
	/* vn_aux points far outside the file */
	memcpy(c, p, n);
	put32(c + off + 8, 0, 0x7ffffff0);
	assert_true(malformed_with(c, n, "version need entry"));
	/* vna_name points outside .dynstr */
	memcpy(c, p, n);
	put32(c + off + aux + 8, 0, 0x7ffffff0);
	assert_true(malformed_with(c, n, "version name"));
	free(c);
	free(p);
}

static void test_pe_lies(void **state)
{
	size_t n;
	unsigned char *p = load("win-x86_64.exe", &n), *c = malloc(n);
	uint32_t lfanew = (uint32_t)(p[0x3c] | p[0x3d] << 8 | p[0x3e] << 16);
	uint64_t opt = lfanew + 24;

	(void)state;
	memcpy(c, p, n);
	put16(c + lfanew + 4 + 2, 0xffff);   /* NumberOfSections */
	assert_true(malformed_with(c, n, "section headers"));
	memcpy(c, p, n);
	put32(c + opt + 112 + 8, 0, 0x7ffffff0);  /* import directory RVA */
	assert_true(malformed_with(c, n, "import directory"));
	memcpy(c, p, n);
	put32(c + opt + 108, 0, 0xffffffff);  /* NumberOfRvaAndSizes */
	assert_true(malformed_with(c, n, "data directories"));
	memcpy(c, p, n);
	put16(c + opt, 0x1234);
	assert_true(malformed_with(c, n, "optional header magic"));
	free(c);
	free(p);
}

static void test_macho_lies(void **state)
{
	size_t n;
	unsigned char *p = load("hello-arm64-macos", &n), *c = malloc(n);

	(void)state;
	memcpy(c, p, n);
	put32(c + 20, 0, 0x7ffffff0);   /* sizeofcmds */
	assert_true(malformed_with(c, n, "load commands"));
	memcpy(c, p, n);
	put32(c + 32 + 4, 0, 0);        /* first cmdsize 0: would loop */
	assert_true(malformed_with(c, n, "has size 0"));
	memcpy(c, p, n);
	put32(c + 16, 0, 0xffffffff);   /* ncmds */
	assert_true(malformed_with(c, n, "load command"));
	free(c);
	free(p);

	p = load("free-universal-macos.o", &n);
	c = malloc(n);
	memcpy(c, p, n);
	put32(c + 4, 1, 19);            /* nfat_arch: 17 empty entries */
	assert_true(malformed_with(c, n, "slice 3 (0 bytes"));
	assert_true(malformed_with(c, 100, "architectures"));
	memcpy(c, p, n);
	put32(c + 8 + 8, 1, 0x7ffffff0);  /* slice offset */
	assert_true(malformed_with(c, n, "slice 1"));
	memcpy(c, p, n);
	put32(c + 8 + 8, 1, 0);         /* slice = the fat file itself */
	assert_true(malformed_with(c, n, "slice 1"));
	free(c);
	free(p);
}

static void test_archive_and_wasm_lies(void **state)
{
	size_t n;
	unsigned char *p = load("libhello-x86_64.a", &n), *c = malloc(n);

	(void)state;
	memcpy(c, p, n);
	memcpy(c + 8 + 48, "9999999999", 10);
	assert_true(malformed_with(c, n, "past the end"));
	memcpy(c, p, n);
	c[8 + 58] = 'x';
	assert_true(malformed_with(c, n, "not an ar header"));
	free(c);
	free(p);

	p = load("wasi-wasm32.wasm", &n);
	c = malloc(n);
	memcpy(c, p, n);
	c[9] = 0xff;                    /* first section's size LEB: huge */
	c[10] = 0xff;
	c[11] = 0xff;
	assert_true(malformed_with(c, n, "section at offset"));
	memcpy(c, p, n);
	c[4] = 2;
	assert_true(malformed_with(c, n, "wasm version"));
	free(c);
	free(p);
}

/* objcopy --only-keep-debug output keeps headers whose bytes are gone. */
static void test_debug_only_file(void **state)
{
	struct artifact a;

	(void)state;
	inspect("hello-x86_64.debug", &a);
	assert_int_equal(a.format, ARTIFACT_FMT_ELF);
	assert_string_equal(a.machine, "x86_64");
	assert_int_equal(a.debug_info, 0);
	if (a.nfindings)
		dump(&a);
	assert_int_equal(a.nfindings, 0);
	assert_null(a.interpreter);
	artifact_fini(&a);
}

static void test_unreadable(void **state)
{
	struct artifact a;
	struct cb_err err;

	(void)state;
	cb_err_clear(&err);
	assert_int_equal(artifact_inspect(FIXTURES "/no-such-file", &a, &err), -1);
	assert_non_null(strstr(err.msg, "no-such-file"));
	artifact_fini(&a);
	assert_int_equal(artifact_inspect(FIXTURES, &a, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
	artifact_fini(&a);
	/* Not a binary: read fine, format unknown, nothing wrong without a
	 * target, a mismatch with one. */
	assert_int_equal(artifact_inspect(FIXTURES "/TARGETS", &a, &err), 0);
	assert_int_equal(a.format, ARTIFACT_FMT_UNKNOWN);
	assert_int_equal(a.nproblems, 0);
	check_as(&a, "x86_64-unknown-linux-gnu", NULL);
	assert_int_equal(a.matches, ARTIFACT_NO);
	artifact_fini(&a);
}

/* Floors: every version above the distribution's, each with the symbols
 * that need it; the same binary passes a newer floor; DT_RELR; musl. */
static void test_floors(void **state)
{
	struct artifact a;
	struct floor f;

	(void)state;
	assert_int_equal(floor_resolve("CentOS-7", &f), 0);
	assert_string_equal(f.glibc, "2.17");
	assert_string_equal(f.glibcxx, "3.4.19");
	assert_int_equal(floor_resolve("GLIBC_2.28", &f), 0);
	assert_string_equal(f.glibc, "2.28");
	assert_int_equal(floor_resolve("debian-99", &f), -1);
	assert_int_equal(floor_resolve("2.x", &f), -1);
	assert_true(floor_count() >= 10);
	for (size_t i = 0; i < floor_count(); i++)
		assert_true(floor_get(i)->musl || floor_get(i)->glibc[0]);

	inspect("rust-hello-aarch64", &a);
	assert_true(a.version_syms.n > 0);
	check_as(&a, "aarch64-unknown-linux-gnu", "centos-7");
	assert_int_equal(a.matches, ARTIFACT_NO);   /* it will not run there */
	/* every version above 2.17, not only the highest */
	assert_true(has_problem(&a, "needs GLIBC_2.34 ("));
	assert_true(has_problem(&a, "__libc_start_main"));
	assert_true(has_problem(&a, "needs GLIBC_2.18 (__cxa_thread_atexit_impl), above centos-7's glibc 2.17"));
	check_as(&a, "aarch64-unknown-linux-gnu", "debian-12");
	assert_int_equal(a.matches, ARTIFACT_YES);
	assert_false(has_problem(&a, "needs GLIBC_"));
	check_as(&a, "aarch64-unknown-linux-gnu", "alpine");
	assert_true(has_problem(&a, "links glibc"));
	artifact_fini(&a);

	inspect("hello-cxx-x86_64", &a);
	check_as(&a, "x86_64-unknown-linux-gnu", "centos-7");
	assert_true(has_problem(&a, "needs GLIBCXX_3.4.21 ("));
	assert_true(has_problem(&a, "above centos-7's libstdc++ 3.4.19"));
	check_as(&a, "x86_64-unknown-linux-gnu", "ubuntu-20.04");
	assert_false(has_problem(&a, "GLIBCXX_"));
	artifact_fini(&a);

	inspect("hello-x86_64-relr", &a);
	assert_true(a.relr);
	check_as(&a, "x86_64-unknown-linux-gnu", "debian-11");
	assert_true(has_problem(&a, "DT_RELR"));
	check_as(&a, "x86_64-unknown-linux-gnu", "debian-12");
	assert_int_equal(a.nproblems, 0);
	artifact_fini(&a);

	inspect("hello-x86_64", &a);
	assert_false(a.relr);
	check_as(&a, "x86_64-unknown-linux-gnu", "nowhere-1");
	assert_true(has_problem(&a, "floor 'nowhere-1' is neither"));
	artifact_fini(&a);
}

/* ------------------------------------------------------------ exports */

static int exported(const struct artifact *a, const char *name)
{
	return strv_has(&a->exports, name);
}

static void putn(unsigned char *p, int be, int bytes, uint64_t v)
{
	for (int i = 0; i < bytes; i++)
		p[be ? bytes - 1 - i : i] = (unsigned char)(v >> (8 * i));
}

/* A shared object with no program headers and three sections (null,
 * .dynsym, .dynstr): what the export reader needs and nothing else. */
#define XE_STR 0x100
#define XE_SYM 0x200
#define XE_SH 0x400
#define XE_SIZE (XE_SH + 3 * 64)

static const char xe_strs[] =
	"\0HelloAdd\0HelloFree\0local\0undef\0hidden\0sect\0weakobj\0prot";

struct xe_sym { uint32_t name; unsigned bind, type, vis; uint16_t shndx; };

static const struct xe_sym xe_syms[] = {
	{ 0, 0, 0, 0, 0 },         /* the null symbol */
	{ 1, 1, 2, 0, 1 },         /* HelloAdd: GLOBAL FUNC */
	{ 10, 1, 0, 0, 1 },        /* HelloFree: GLOBAL NOTYPE (assembly) */
	{ 20, 0, 2, 0, 1 },        /* local: LOCAL */
	{ 26, 1, 2, 0, 0 },        /* undef: UNDEF, an import */
	{ 32, 1, 2, 2, 1 },        /* hidden: STV_HIDDEN */
	{ 39, 0, 3, 0, 1 },        /* sect: SECTION */
	{ 44, 2, 1, 0, 2 },        /* weakobj: WEAK OBJECT */
	{ 52, 1, 2, 3, 1 },        /* prot: STV_PROTECTED */
};
#define XE_NSYM (sizeof xe_syms / sizeof *xe_syms)

static void xe_build(unsigned char *f, int is64, int be)
{
	size_t sh = is64 ? 64 : 40, se = is64 ? 24 : 16;

	memset(f, 0, XE_SIZE);
	memcpy(f, "\177ELF", 4);
	f[4] = is64 ? 2 : 1;
	f[5] = be ? 2 : 1;
	f[6] = 1;
	putn(f + 16, be, 2, 3);                    /* ET_DYN */
	putn(f + 18, be, 2, is64 ? 183 : 20);      /* aarch64, powerpc */
	putn(f + 20, be, 4, 1);
	if (is64) {
		putn(f + 40, be, 8, XE_SH);
		putn(f + 52, be, 2, 64);
		putn(f + 58, be, 2, 64);
		putn(f + 60, be, 2, 3);
	} else {
		putn(f + 32, be, 4, XE_SH);
		putn(f + 40, be, 2, 52);
		putn(f + 46, be, 2, 40);
		putn(f + 48, be, 2, 3);
	}
	memcpy(f + XE_STR, xe_strs, sizeof xe_strs);
	for (size_t i = 0; i < XE_NSYM; i++) {
		unsigned char *y = f + XE_SYM + i * se;
		unsigned info = xe_syms[i].bind << 4 | xe_syms[i].type;

		putn(y, be, 4, xe_syms[i].name);
		y[is64 ? 4 : 12] = (unsigned char)info;
		y[is64 ? 5 : 13] = (unsigned char)xe_syms[i].vis;
		putn(y + (is64 ? 6 : 14), be, 2, xe_syms[i].shndx);
	}
	/* [1] .dynsym, linked to [2] .dynstr */
	for (int i = 1; i <= 2; i++) {
		unsigned char *h = f + XE_SH + i * sh;
		uint64_t off = i == 1 ? XE_SYM : XE_STR;
		uint64_t size = i == 1 ? XE_NSYM * se : sizeof xe_strs;

		putn(h + 4, be, 4, i == 1 ? 11 : 3);
		putn(h + (is64 ? 24 : 16), be, is64 ? 8 : 4, off);
		putn(h + (is64 ? 32 : 20), be, is64 ? 8 : 4, size);
		putn(h + (is64 ? 40 : 24), be, 4, i == 1 ? 2 : 0);
	}
}

/* The dynsym section header's fields, to make them lie. */
static unsigned char *xe_shdr(unsigned char *f, int i)
{
	return f + XE_SH + (size_t)i * 64;
}

static void test_elf_exports(void **state)
{
	unsigned char f[XE_SIZE];
	struct artifact a;
	struct buf b;

	(void)state;
	for (int is64 = 0; is64 <= 1; is64++)
		for (int be = 0; be <= 1; be++) {
			xe_build(f, is64, be);
			mem(f, sizeof f, &a);
			assert_int_equal(a.nfindings, 0);
			assert_int_equal(a.kind, ARTIFACT_KIND_SHARED);
			assert_true(a.exports_read);
			assert_int_equal(a.exports.n, 4);
			assert_int_equal(a.exports_total, 4);
			/* file order */
			assert_string_equal(a.exports.v[0], "HelloAdd");
			assert_string_equal(a.exports.v[1], "HelloFree");
			assert_string_equal(a.exports.v[2], "weakobj");
			assert_string_equal(a.exports.v[3], "prot");
			artifact_fini(&a);
		}

	/* A name's offset outside .dynstr: one finding, the rest listed. */
	xe_build(f, 1, 0);
	putn(f + XE_SYM + 24, 0, 4, 0x7ffffff0);
	mem(f, sizeof f, &a);
	assert_int_equal(a.exports.n, 3);
	assert_false(exported(&a, "HelloAdd"));
	assert_true(has_problem(&a, "1 dynamic symbol name is outside .dynstr "
				"(symbol 1's at string offset 2147483632)"));
	artifact_fini(&a);
	/* The last name runs to the end of .dynstr without its NUL. */
	xe_build(f, 1, 0);
	putn(xe_shdr(f, 2) + 32, 0, 8, sizeof xe_strs - 1);
	assert_true(malformed_with(f, sizeof f, "name is outside .dynstr (symbol 8's"));
	/* .dynsym linked to a section that is not there */
	xe_build(f, 1, 0);
	putn(xe_shdr(f, 1) + 40, 0, 4, 9);
	assert_true(malformed_with(f, sizeof f, "string table index 9 is not below "
				   "the section count 3"));
	/* .dynsym and .dynstr far outside the file, or too long for it */
	xe_build(f, 1, 0);
	putn(xe_shdr(f, 1) + 24, 0, 8, 0x7ffffffffff0ULL);
	assert_true(malformed_with(f, sizeof f, "dynamic symbol table (216 bytes"));
	xe_build(f, 1, 0);
	putn(xe_shdr(f, 1) + 32, 0, 8, UINT64_MAX);
	assert_true(malformed_with(f, sizeof f, "dynamic symbol table"));
	xe_build(f, 1, 0);
	putn(xe_shdr(f, 2) + 32, 0, 8, 0x100000);
	assert_true(malformed_with(f, sizeof f, "dynamic string table"));
	/* every prefix */
	xe_build(f, 0, 1);
	for (size_t len = 0; len < sizeof f; len++) {
		mem(f, len, &a);
		artifact_fini(&a);
	}

	/* Real libraries: the exports as nm -D --defined-only lists them. */
	inspect("libhello-x86_64.so", &a);
	assert_true(a.exports_read);
	assert_int_equal(a.exports.n, 1);
	assert_string_equal(a.exports.v[0], "hello_len");
	buf_init(&b);
	artifact_describe_exports(&a, 6, &b);
	assert_string_equal(b.data, "exports: 1 (hello_len)");
	artifact_fini(&a);
	/* An executable exports nothing here; not read without .dynsym
	 * (a separate debug file keeps no .dynsym bytes). */
	inspect("hello-x86_64", &a);
	assert_true(a.exports_read);
	assert_int_equal(a.exports_total, 0);
	artifact_fini(&a);
	inspect("hello-x86_64.debug", &a);
	assert_false(a.exports_read);
	buf_reset(&b);
	artifact_describe_exports(&a, 6, &b);
	assert_string_equal(b.data, "exports: not read (elf)");
	artifact_fini(&a);
	buf_fini(&b);
}

/* A PE32+ DLL: headers, then one section (.edata, RVA 0x1000 at file
 * offset 0x200) with the export directory, the name pointers at RVA
 * 0x1040 and the names at 0x1080. */
#define XP_SIZE 0x400
#define XP_OPT 0x58
#define XP_SECT (XP_OPT + 240)
#define XP_EDATA 0x200

static void xp_build(unsigned char *f)
{
	static const char names[] = "HelloAdd\0HelloFree\0HelloGreet";
	const uint32_t name_rva[] = { 0x1080, 0x1089, 0x1093 };

	memset(f, 0, XP_SIZE);
	f[0] = 'M';
	f[1] = 'Z';
	put32(f + 0x3c, 0, 0x40);
	memcpy(f + 0x40, "PE\0\0", 4);
	put16(f + 0x44, 0x8664);
	put16(f + 0x46, 1);                 /* sections */
	put16(f + 0x54, 240);               /* optional header size */
	put16(f + 0x56, 0x2022);            /* DLL | executable | large address */
	put16(f + XP_OPT, 0x20b);
	put32(f + XP_OPT + 60, 0, 0x200);   /* SizeOfHeaders */
	put16(f + XP_OPT + 68, 3);          /* console */
	put32(f + XP_OPT + 108, 0, 16);     /* data directories */
	put32(f + XP_OPT + 112, 0, 0x1000); /* [0] export: RVA, size */
	put32(f + XP_OPT + 116, 0, 0xa0);
	memcpy(f + XP_SECT, ".edata", 6);
	put32(f + XP_SECT + 8, 0, 0x200);   /* VirtualSize */
	put32(f + XP_SECT + 12, 0, 0x1000); /* VirtualAddress */
	put32(f + XP_SECT + 16, 0, 0x200);  /* SizeOfRawData */
	put32(f + XP_SECT + 20, 0, XP_EDATA);
	put32(f + XP_EDATA + 20, 0, 3);     /* NumberOfFunctions */
	put32(f + XP_EDATA + 24, 0, 3);     /* NumberOfNames */
	put32(f + XP_EDATA + 32, 0, 0x1040);/* AddressOfNames */
	for (int i = 0; i < 3; i++)
		put32(f + XP_EDATA + 0x40 + 4 * i, 0, name_rva[i]);
	memcpy(f + XP_EDATA + 0x80, names, sizeof names);
}

static void test_pe_exports(void **state)
{
	unsigned char f[XP_SIZE];
	struct artifact a;

	(void)state;
	xp_build(f);
	mem(f, sizeof f, &a);
	if (a.nfindings)
		dump(&a);
	assert_int_equal(a.nfindings, 0);
	assert_int_equal(a.kind, ARTIFACT_KIND_SHARED);
	assert_true(a.exports_read);
	assert_int_equal(a.exports.n, 3);
	assert_string_equal(a.exports.v[0], "HelloAdd");
	assert_string_equal(a.exports.v[2], "HelloGreet");
	artifact_fini(&a);

	/* NumberOfNames far more than the file holds */
	xp_build(f);
	put32(f + XP_EDATA + 24, 0, 0x7fffffff);
	assert_true(malformed_with(f, sizeof f, "2147483647 export names claimed"));
	xp_build(f);
	put32(f + XP_EDATA + 24, 0, 0xffffffff);
	assert_true(malformed_with(f, sizeof f, "export names claimed"));
	/* AddressOfNames outside every section */
	xp_build(f);
	put32(f + XP_EDATA + 32, 0, 0x7ffff000);
	assert_true(malformed_with(f, sizeof f, "pointer table at RVA 0x7ffff000"));
	/* a name's RVA outside the file: the names before it are kept */
	xp_build(f);
	put32(f + XP_EDATA + 0x44, 0, 0x7ffff000);
	mem(f, sizeof f, &a);
	assert_true(has_problem(&a, "export name at RVA 0x7ffff000 is outside the file"));
	assert_true(exported(&a, "HelloAdd"));
	assert_false(exported(&a, "HelloGreet"));
	artifact_fini(&a);
	/* a name that runs off the end of the file unterminated */
	xp_build(f);
	memset(f + XP_EDATA + 0x80, 'x', XP_SIZE - XP_EDATA - 0x80);
	assert_true(malformed_with(f, sizeof f, "not terminated"));
	/* the directory outside every section, or cut by the file's end */
	xp_build(f);
	put32(f + XP_OPT + 112, 0, 0x7ffff000);
	assert_true(malformed_with(f, sizeof f, "export directory at RVA 0x7ffff000 "
				   "is not in any section"));
	xp_build(f);
	put32(f + XP_OPT + 112, 0, 0x11f0);
	assert_true(malformed_with(f, sizeof f, "export directory at RVA 0x11f0 runs past"));
	/* no export directory: nothing exported, and that is known */
	xp_build(f);
	put32(f + XP_OPT + 112, 0, 0);
	mem(f, sizeof f, &a);
	assert_true(a.exports_read);
	assert_int_equal(a.exports_total, 0);
	artifact_fini(&a);
	/* every prefix */
	xp_build(f);
	for (size_t len = 0; len < sizeof f; len++) {
		mem(f, len, &a);
		artifact_fini(&a);
	}

	inspect("hello-x86_64.dll", &a);
	assert_int_equal(a.exports.n, 1);
	assert_string_equal(a.exports.v[0], "hello_len");
	artifact_fini(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture_matches_its_target),
		cmocka_unit_test(test_wrong_target),
		cmocka_unit_test(test_floors),
		cmocka_unit_test(test_mingw_runtime_dll),
		cmocka_unit_test(test_interpreter_and_glibc),
		cmocka_unit_test(test_macho),
		cmocka_unit_test(test_summary_and_json),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_elf_lies),
		cmocka_unit_test(test_verneed_lies),
		cmocka_unit_test(test_pe_lies),
		cmocka_unit_test(test_macho_lies),
		cmocka_unit_test(test_archive_and_wasm_lies),
		cmocka_unit_test(test_debug_only_file),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_elf_exports),
		cmocka_unit_test(test_pe_exports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
