/* test_diagnose.c - every fixture log (real failing builds, and the
 * realworld corpus) gets its expected first diagnosis, whether it arrives
 * whole, in 1-byte chunks, with CRLF, with ANSI colour or in chunks of any
 * size through the worker threads of a diagfeed pool; garbage and a 100 MB
 * line do no harm. */
#include <ctype.h>
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "diagfeed.h"
#include "diagnose.h"
#include "diagnose_impl.h"
#include "packages.h"
#include "rules.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

static struct rules *rules;
static struct diagpool *pool;
static struct host debian;

static int setup(void **state)
{
	struct cb_err err;
	struct packages *p;

	char cwd[4096];

	(void)state;
	/* {preset_runner} reads this tree's presets, and no user's own. */
	assert_non_null(getcwd(cwd, sizeof cwd));
	setenv("CROSSBENCH_DATADIR", cwd, 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	rules = rules_new();
	assert_true(rules_add_dir(rules, "core/rules") > 10);
	assert_int_equal(rules_problem_count(rules), 0);
	p = packages_load("core/presets/packages.conf", &err);
	assert_non_null(p);
	rules_set_packages(rules, p);
	memset(&debian, 0, sizeof debian);
	strcpy(debian.id, "debian");
	strcpy(debian.arch, "x86_64");
	debian.pm = HOST_PM_APT;
	debian.is_root = 1;
	pool = diagpool_new(rules, 2);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	diagpool_free(pool);
	rules_free(rules);
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b;
	char chunk[65536];
	size_t n;

	if (!f)
		fail_msg("%s: cannot open", path);
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	if (!b.data)
		buf_puts(&b, "");
	return buf_detach(&b);
}

enum feed_mode { FEED_WHOLE, FEED_BYTES, FEED_CRLF, FEED_ANSI, FEED_POOL, FEED_VARIANT,
		 FEED_MODES };
static const char *mode_name[] = { "whole", "1-byte chunks", "CRLF", "ANSI colour",
				   "worker threads, CRLF and colour",
				   "variant: CI timestamps, other paths, names and versions" };

/* Another machine's log of the same failure: a CI service's timestamp on
 * every line, the project somewhere else, another crate name, other
 * versions (x.y.z becomes x.y.z+7 after " v" or "name-").  A rule
 * written to one log's exact text fails here. */
static void put_variant(struct buf *b, const char *log, size_t len)
{
	static const struct { const char *from, *to; } swap[] = {
		{ "/tmp/cb-make-logs", "/home/runner/work/app/app" },
		{ "/root/", "/home/ci-user/" },
		{ "hello", "widget" },
	};

	for (size_t i = 0; i < len;) {
		size_t k;

		if (i == 0 || log[i - 1] == '\n')
			buf_printf(b, "2026-12-07T02:%02zu:33.%07zuZ ", i % 60, i % 9999991);
		for (k = 0; k < sizeof swap / sizeof *swap; k++) {
			size_t fl = strlen(swap[k].from);

			if (len - i >= fl && !memcmp(log + i, swap[k].from, fl)) {
				buf_puts(b, swap[k].to);
				i += fl;
				break;
			}
		}
		if (k < sizeof swap / sizeof *swap)
			continue;
		if ((log[i] == 'v' || log[i] == '-') && i > 0 &&
		    (log[i - 1] == ' ' || (log[i] == '-' && isalnum((unsigned char)log[i - 1]))) &&
		    i + 1 < len && isdigit((unsigned char)log[i + 1])) {
			size_t j = i + 1, dots = 0, last = 0;

			while (j < len && (isdigit((unsigned char)log[j]) || log[j] == '.')) {
				if (log[j] == '.') {
					dots++;
					last = j;
				}
				j++;
			}
			if (dots == 2 && log[j - 1] != '.') {
				buf_append(b, log + i, last + 1 - i);
				buf_printf(b, "%lu", strtoul(log + last + 1, NULL, 10) + 7);
				i = j;
				continue;
			}
		}
		buf_putc(b, log[i++]);
	}
}


/* The log as the mode delivers it. */
static char *transform(const char *log, size_t len, enum feed_mode mode, size_t *outlen)
{
	struct buf b;

	buf_init(&b);
	if (mode == FEED_VARIANT) {
		put_variant(&b, log, len);
		len = 0;
	}
	for (size_t i = 0; i < len; i++) {
		char c = log[i];

		if ((mode == FEED_CRLF || mode == FEED_POOL) && c == '\n') {
			buf_puts(&b, "\r\n");
			continue;
		}
		if ((mode == FEED_ANSI || mode == FEED_POOL) && (i == 0 || log[i - 1] == '\n'))
			buf_puts(&b, "\x1b[0m\x1b[1m\x1b[38;5;9m");
		if (mode == FEED_ANSI && c == '\n')
			buf_puts(&b, "\x1b[0m");
		if ((mode == FEED_ANSI || mode == FEED_POOL) && c == ':' )
			buf_puts(&b, "\x1b[0m");
		buf_putc(&b, c);
	}
	*outlen = b.len;
	if (!b.data)
		buf_puts(&b, "");
	return buf_detach(&b);
}

static struct diagnose *run(const char *log, size_t len, enum feed_mode mode,
			    const char *target)
{
	struct diagnose *d = diagnose_new(rules, target, &debian);
	size_t n;
	char *t = transform(log, len, mode, &n);

	if (mode == FEED_BYTES) {
		for (size_t i = 0; i < n; i++)
			diagnose_feed(d, t + i, 1);
	} else if (mode == FEED_POOL) {
		/* Chunks of every size the pipe might give, applied now and
		 * then while the workers scan, as the engine does. */
		struct diagfeed *f = diagfeed_new(pool, d);
		unsigned seed = 7;

		for (size_t i = 0, k = 0; i < n; k++) {
			size_t c;

			seed = seed * 1103515245u + 12345u;
			c = 1 + (seed >> 16) % 700;
			if (c > n - i)
				c = n - i;
			diagfeed_push(f, t + i, c);
			i += c;
			if (k % 5 == 0)
				diagfeed_apply(f);
		}
		diagfeed_finish(f);
		diagfeed_free(f);
		free(t);
		return d;
	} else {
		diagnose_feed(d, t, n);
	}
	diagnose_finish(d);
	free(t);
	return d;
}

static int fix_matches(const struct diagnosis *dg, const char *want)
{
	for (size_t i = 0; i < dg->nfixes; i++) {
		const struct diagnosis_fix *f = &dg->fixes[i];

		if (!strncmp(want, "install ", 8) && f->kind == DIAGNOSIS_FIX_INSTALL) {
			for (size_t k = 0; k < f->packages.n; k++)
				if (!strcmp(f->packages.v[k], want + 8))
					return 1;
		} else if (!strncmp(want, "set ", 4) && f->kind == DIAGNOSIS_FIX_SET) {
			char *s = xasprintf("set %s %s", f->key, f->value);
			int ok = !strcmp(s, want);

			free(s);
			if (ok)
				return 1;
		} else if (!strncmp(want, "run ", 4) && f->kind == DIAGNOSIS_FIX_RUN) {
			struct buf j;
			int ok;

			buf_init(&j);
			for (size_t k = 0; k < f->argv.n; k++)
				buf_printf(&j, "%s%s", k ? " " : "", f->argv.v[k]);
			ok = j.data && !strcmp(j.data, want + 4);
			buf_fini(&j);
			if (ok)
				return 1;
		} else if (!strncmp(want, "text ", 5) && strstr(f->text, want + 5)) {
			return 1;
		}
	}
	return 0;
}

static void print_fixes(const struct diagnosis *dg)
{
	for (size_t i = 0; i < dg->nfixes; i++)
		print_error("    fix: %s\n", dg->fixes[i].text);
}

/* Check one log against its .expect file; returns the number of failures. */
static int check_log(const char *dir, const char *name)
{
	char path[1024], line[1024];
	char category[64] = "", target[128] = "", given[128] = "";
	struct strv fixes;
	char *log;
	size_t len;
	FILE *f;
	int bad = 0;
	struct diagnose *ref = NULL;

	strv_init(&fixes);
	snprintf(path, sizeof path, "%s/%s.expect", dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "category ", 9))
			snprintf(category, sizeof category, "%.60s", line + 9);
		else if (!strncmp(line, "target ", 7))
			snprintf(target, sizeof target, "%.120s", line + 7);
		else if (!strncmp(line, "given-target ", 13))
			snprintf(given, sizeof given, "%.120s", line + 13);
		else if (!strncmp(line, "fix ", 4))
			strv_push(&fixes, line + 4);
	}
	fclose(f);
	snprintf(path, sizeof path, "%s/%s.log", dir, name);
	log = slurp(path, &len);

	for (int mode = 0; mode < FEED_MODES; mode++) {
		struct diagnose *d = run(log, len, (enum feed_mode)mode, given[0] ? given : NULL);
		const struct diagnosis *dg = diagnose_get(d, 0);
		const char *got = dg ? category_name(dg->category) : "none";
		const char *t = diagnose_target(d);

		if (strcmp(got, category)) {
			print_error("%s (%s): first category %s, expected %s\n", name,
				    mode_name[mode], got, category);
			bad++;
		}
		if (target[0] && strcmp(t ? t : "-", target)) {
			print_error("%s (%s): target %s, expected %s\n", name,
				    mode_name[mode], t ? t : "-", target);
			bad++;
		}
		for (size_t i = 0; dg && i < fixes.n; i++) {
			struct buf want;
			int ok;

			/* The variant's fixes name its crates and paths. */
			buf_init(&want);
			if (mode == FEED_VARIANT)
				put_variant(&want, fixes.v[i], strlen(fixes.v[i]));
			else
				buf_puts(&want, fixes.v[i]);
			/* the timestamp put_variant begins with is not in a fix */
			ok = fix_matches(dg, mode == FEED_VARIANT ? strchr(want.data, ' ') + 1 : want.data);
			buf_fini(&want);
			if (!ok) {
				print_error("%s (%s): no fix '%s' among:\n", name,
					    mode_name[mode], fixes.v[i]);
				print_fixes(dg);
				bad++;
			}
		}
		/* Every way of delivering the log gives the same answer. */
		if (mode == FEED_WHOLE) {
			ref = d;
			continue;
		}
		if (diagnose_count(d) != diagnose_count(ref)) {
			print_error("%s (%s): %zu diagnoses, whole log gave %zu\n", name,
				    mode_name[mode], diagnose_count(d), diagnose_count(ref));
			bad++;
		}
		for (size_t i = 0; i < diagnose_count(d) && i < diagnose_count(ref); i++) {
			const struct diagnosis *a = diagnose_get(ref, i), *b = diagnose_get(d, i);

			if (a->line != b->line || strcmp(a->rule, b->rule) ||
			    (mode != FEED_VARIANT && strcmp(a->summary, b->summary)) ||
			    a->nfixes != b->nfixes) {
				print_error("%s (%s): diagnosis %zu differs: %s line %zu vs %s line %zu\n",
					    name, mode_name[mode], i, b->rule, b->line, a->rule, a->line);
				bad++;
			}
		}
		diagnose_free(d);
	}
	diagnose_free(ref);
	free(log);
	strv_fini(&fixes);
	return bad;
}

static int check_dir(const char *dir, int *count)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int bad = 0;

	assert_non_null(d);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char name[512];

		if (l < 8 || strcmp(de->d_name + l - 7, ".expect"))
			continue;
		snprintf(name, sizeof name, "%.*s", (int)(l - 7), de->d_name);
		bad += check_log(dir, name);
		(*count)++;
	}
	closedir(d);
	return bad;
}

static void test_fixture_logs(void **state)
{
	int n = 0, bad;

	(void)state;
	bad = check_dir(FIXTURES "/logs", &n);
	assert_true(n >= 30);
	assert_int_equal(bad, 0);
}

static void test_realworld_logs(void **state)
{
	int n = 0, bad;

	(void)state;
	bad = check_dir(FIXTURES "/realworld", &n);
	assert_int_equal(n, 38);
	assert_int_equal(bad, 0);
}

/* Text and JSON lines mixed, as a CI log with --message-format=json has
 * them: the linker failure comes only inside a compiler-message. */
static void test_json_mixed(void **state)
{
	static const char log[] =
		"   Compiling hello v0.1.0 (/src/hello)\n"
		"{\"reason\":\"compiler-artifact\",\"filenames\":[\"/t/aarch64-unknown-linux-gnu/debug/deps/libx.rlib\"]}\n"
		"{\"reason\":\"compiler-message\",\"package_id\":\"hello 0.1.0 (path+file:///src/hello)\","
		"\"message\":{\"rendered\":\"error: linking with `cc` failed: exit status: 1\\n  |\\n"
		"  = note: /usr/bin/ld: /t/x.o: Relocations in generic ELF (EM: 183)\\n\"}}\n"
		"error: could not compile `hello` due to previous error\n";
	struct diagnose *d = run(log, sizeof log - 1, FEED_BYTES, NULL);
	const struct diagnosis *dg = diagnose_get(d, 0);
	json_t *j;

	(void)state;
	assert_non_null(dg);
	assert_string_equal(category_name(dg->category), "wrong-linker-format");
	assert_int_equal(dg->line, 3);
	assert_string_equal(diagnose_target(d), "aarch64-unknown-linux-gnu");
	j = diagnosis_to_json(dg);
	assert_string_equal(json_string_value(json_object_get(j, "category")), "wrong-linker-format");
	assert_int_equal(json_integer_value(json_object_get(j, "line")), 3);
	assert_true(json_array_size(json_object_get(j, "fixes")) >= 1);
	json_decref(j);
	diagnose_free(d);
}

static uint64_t rng = 88172645463325252ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Binary garbage in chunks of every size: no crash, bounded answers. */
static void test_garbage(void **state)
{
	size_t len = 8 * 1024 * 1024;
	char *g = malloc(len);
	struct diagnose *d = diagnose_new(rules, NULL, &debian);

	(void)state;
	for (size_t i = 0; i < len; i++) {
		uint64_t r = next_rand();

		g[i] = (char)(r & 0xff);
		/* sprinkle what the parser treats specially */
		if ((r >> 8) % 97 == 0)
			g[i] = "\n\r{\x1b[\"`'"[(r >> 16) % 9];
	}
	for (size_t i = 0; i < len;) {
		size_t n = 1 + next_rand() % 70000;

		if (n > len - i)
			n = len - i;
		diagnose_feed(d, g + i, n);
		i += n;
	}
	diagnose_finish(d);
	for (size_t i = 0; i < diagnose_count(d); i++) {
		json_t *j = diagnosis_to_json(diagnose_get(d, i));

		assert_non_null(j);
		json_decref(j);
	}
	diagnose_free(d);
	free(g);
}

/* A 100 MB line (text, and one that starts like JSON) costs bounded memory
 * and time, and the line after it is still read with the right number. */
static void test_huge_line(void **state)
{
	size_t chunk = 1024 * 1024;
	char *a = malloc(chunk);
	static const char tail[] = "\nerror: linker `aarch64-linux-gnu-gcc` not found\n";

	(void)state;
	memset(a, 'a', chunk);
	for (int json = 0; json < 4; json++) {
		struct diagnose *d = diagnose_new(rules, NULL, &debian);
		/* 2, 3: the same through the worker threads */
		struct diagfeed *f = diagfeed_new(json >= 2 ? pool : NULL, d);
		const struct diagnosis *dg;

		if (json % 2)
			diagfeed_push(f, "{\"reason\":\"compiler-message\",\"x\":\"", 35);
		for (int i = 0; i < 100; i++)
			diagfeed_push(f, a, chunk);
		diagfeed_push(f, tail, sizeof tail - 1);
		diagfeed_finish(f);
		diagfeed_free(f);
		dg = diagnose_get(d, 0);
		assert_non_null(dg);
		assert_string_equal(category_name(dg->category), "linker-not-found");
		assert_int_equal(dg->line, 2);
		assert_true(strlen(dg->evidence) < 2000);
		diagnose_free(d);
	}
	free(a);
}

/* A log that names no target: fixes that need one are left out, not
 * guessed; --target brings them back. */
static void test_target_given(void **state)
{
	static const char log[] = "  = note: /usr/bin/ld: x.o: Relocations in generic ELF (EM: 183)\n";
	struct diagnose *d = run(log, sizeof log - 1, FEED_WHOLE, NULL);
	const struct diagnosis *dg = diagnose_get(d, 0);

	(void)state;
	assert_null(diagnose_target(d));
	for (size_t i = 0; i < dg->nfixes; i++)
		assert_int_not_equal(dg->fixes[i].kind, DIAGNOSIS_FIX_SET);
	diagnose_free(d);
	d = run(log, sizeof log - 1, FEED_WHOLE, "aarch64-unknown-linux-gnu");
	dg = diagnose_get(d, 0);
	assert_true(fix_matches(dg, "set linker aarch64-linux-gnu-gcc"));
	diagnose_free(d);
}

/* Go cgo failures in wordings the lab logs do not have: Go 1.21's
 * toolchain messages, a locale's quotes, other machines, clang, cc-rs,
 * a CI trace instead of crossbench's header, and the logs that must not
 * be blamed on cgo.  Each: the log, the target the engine knows, the
 * first category ("none": no diagnosis) and a fix or rule it must have. */
static void test_go_variants(void **state)
{
#define GOHDR(env) "crossbench: aarch64-unknown-linux-gnu (dev) in /home/me/lib\n" \
	"crossbench: $ " env " go build -buildmode=c-shared -o /home/me/lib/target/crossbench/aarch64-unknown-linux-gnu/dev/libx.so .\n"
	static const struct { const char *log, *target, *category, *want; } cases[] = {
		{ GOHDR("GOOS=linux GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc")
		  "go: go.mod requires go >= 1.22 (running go 1.21.1; GOTOOLCHAIN=local)\n",
		  "aarch64-unknown-linux-gnu", "go-version", "set env GOTOOLCHAIN=auto" },
		{ "go: module github.com/acme/dep@v1.4.0 requires go >= 1.23.0 (running go 1.22.2; GOTOOLCHAIN=local)\n",
		  "aarch64-unknown-linux-gnu", "go-version", "text Build with Go 1.23.0 or newer" },
		{ "go: ../go.work requires go >= 1.22.3 (running go 1.22.1)\n",
		  NULL, "go-version", "rule go-toolchain-too-old" },
		{ "go: downloading go1.23.4 (linux/amd64)\ngo: download go1.23.4 for linux/amd64: toolchain not available\n",
		  NULL, "go-version", "rule go-toolchain-download-failed" },
		{ "# example.com/app\n./main.go:9:14: undefined: slices.Concat\nnote: module requires Go 1.22\n",
		  NULL, "go-version", "rule go-module-requires-newer" },
		/* A UTF-8 locale's quotes, Windows from an arm64 machine. */
		{ "crossbench: x86_64-pc-windows-gnu (dev) in /src\n"
		  "crossbench: $ GOOS=windows GOARCH=amd64 CGO_ENABLED=1 go build -o /src/x.dll .\n"
		  "# runtime/cgo\ngcc: error: unrecognized command-line option \xe2\x80\x98-mthreads\xe2\x80\x99; did you mean \xe2\x80\x98-pthread\xe2\x80\x99?\n",
		  "x86_64-pc-windows-gnu", "wrong-c-compiler", "set cc x86_64-w64-mingw32-gcc" },
		/* -m64 on a cross gcc in a Go build is not a build script's leak. */
		{ "crossbench: x86_64-unknown-linux-gnu (dev) in /src\n"
		  "crossbench: $ GOOS=linux GOARCH=amd64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc go build -o /src/libx.so .\n"
		  "# runtime/cgo\naarch64-linux-gnu-gcc: error: unrecognized command-line option '-m64'\n",
		  "x86_64-unknown-linux-gnu", "wrong-c-compiler", "set cc x86_64-linux-gnu-gcc" },
		/* GOARM=6 for a Raspberry Pi 1, the host's gcc; clang for Windows. */
		{ "# runtime/cgo\ngcc: error: unrecognized command-line option '-marm'; did you mean '-mabm'?\n",
		  "arm-unknown-linux-gnueabihf", "wrong-c-compiler", "set cc arm-linux-gnueabihf-gcc" },
		{ "# runtime/cgo\nclang: error: unsupported option '-mthreads' for target 'x86_64-pc-linux-gnu'\n",
		  "x86_64-pc-windows-gnu", "wrong-c-compiler", "install gcc-mingw-w64-x86-64" },
		/* cc-rs in a Rust build: the same cause, the same fix. */
		{ "  running: \"gcc\" \"-O0\" \"-march=armv7-a\" \"-mfpu=vfpv3-d16\" \"-c\" \"x.c\"\n"
		  "  cargo:warning=gcc: error: unrecognized command-line option '-mfpu=vfpv3-d16'\n",
		  "armv7-unknown-linux-gnueabihf", "wrong-c-compiler", "set cc arm-linux-gnueabihf-gcc" },
		{ "  cargo:warning=cc1: error: bad value 'rv64gc' for '-march=' switch\n",
		  "riscv64gc-unknown-linux-gnu", "wrong-c-compiler", "set cc riscv64-linux-gnu-gcc" },
		/* rustc named the linker: the linker is wrong, not CC. */
		{ "error: linking with `cc` failed: exit status: 1\n  = note: cc: error: unrecognized command-line option '-m64'\n",
		  "x86_64-unknown-linux-gnu", "host-linker-used", "rule host-ld-target-options" },
		/* cgo off in a CI script's trace rather than crossbench's header. */
		{ "+ CGO_ENABLED=0 GOOS=linux GOARCH=arm64 go build -buildmode=c-archive -o out/libx.a ./cmd/x\n"
		  "package github.com/acme/x/cmd/x: build constraints exclude all Go files in /builds/acme/x/cmd/x\n",
		  "aarch64-unknown-linux-gnu", "cgo-disabled", "set env CGO_ENABLED=1" },
		{ GOHDR("GOOS=linux GOARCH=arm64 CGO_ENABLED=0")
		  "# github.com/acme/x/internal/zstd\ninternal/zstd/zstd.go:41:9: undefined: compressBound\n",
		  "aarch64-unknown-linux-gnu", "cgo-disabled", "set cc aarch64-linux-gnu-gcc" },
		/* Go before 1.18 gave no column. */
		{ GOHDR("GOOS=linux GOARCH=arm64 CGO_ENABLED=0 CC=aarch64-linux-gnu-gcc")
		  "# example.com/x\n./x.go:12: undefined: cFree\n",
		  "aarch64-unknown-linux-gnu", "cgo-disabled", "rule cgo-off" },
		/* An undefined name with cgo on, or nothing known about cgo: a
		 * mistake in the code, not cgo's. */
		{ GOHDR("GOOS=linux GOARCH=arm64 CGO_ENABLED=1 CC=aarch64-linux-gnu-gcc")
		  "# example.com/x\n./main.go:5:2: undefined: fmt.Printn\n",
		  "aarch64-unknown-linux-gnu", "none", NULL },
		{ "# example.com/x\n./main.go:5:2: undefined: twice\n",
		  "aarch64-unknown-linux-gnu", "none", NULL },
		/* A CC named by its path. */
		{ GOHDR("GOOS=linux GOARCH=arm64 CGO_ENABLED=1 CC=/opt/x-tools/bin/aarch64-linux-gnu-gcc")
		  "# runtime/cgo\ncgo: C compiler \"/opt/x-tools/bin/aarch64-linux-gnu-gcc\" not found: exec: \"/opt/x-tools/bin/aarch64-linux-gnu-gcc\": stat /opt/x-tools/bin/aarch64-linux-gnu-gcc: no such file or directory\n",
		  "aarch64-unknown-linux-gnu", "missing-c-compiler", "rule cgo-cc-not-found" },
		/* A Linux cross gcc for Windows: no windows.h, a header problem. */
		{ "# runtime/cgo\ngcc_libinit_windows.c:7:10: fatal error: windows.h: No such file or directory\n",
		  "x86_64-pc-windows-gnu", "missing-target-headers", "set cc x86_64-w64-mingw32-gcc" },
	};
#undef GOHDR

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct diagnose *d = run(cases[i].log, strlen(cases[i].log), FEED_BYTES, cases[i].target);
		const struct diagnosis *dg = diagnose_get(d, 0);
		const char *got = dg ? category_name(dg->category) : "none";
		const char *w = cases[i].want;

		if (strcmp(got, cases[i].category))
			fail_msg("case %zu: category %s (rule %s), expected %s", i, got,
				 dg ? dg->rule : "-", cases[i].category);
		if (w && !strncmp(w, "rule ", 5) ? strcmp(dg->rule, w + 5) != 0
		    : w && !fix_matches(dg, w)) {
			print_fixes(dg);
			fail_msg("case %zu (rule %s): no %s", i, dg->rule, w);
		}
		diagnose_free(d);
	}
}

/* The same log on Fedora names Fedora's packages; with no package
 * manager, no install fix at all. */
static void test_other_hosts(void **state)
{
	static const char log[] = "error occurred: Failed to find tool. Is `x86_64-w64-mingw32-gcc` installed?\n";
	struct host fedora = debian;
	struct diagnose *d;

	(void)state;
	fedora.pm = HOST_PM_DNF;
	d = diagnose_new(rules, "x86_64-pc-windows-gnu", &fedora);
	diagnose_feed(d, log, sizeof log - 1);
	diagnose_finish(d);
	assert_true(fix_matches(diagnose_get(d, 0), "install mingw64-gcc"));
	diagnose_free(d);
	d = diagnose_new(rules, "x86_64-pc-windows-gnu", NULL);
	diagnose_feed(d, log, sizeof log - 1);
	diagnose_finish(d);
	for (size_t i = 0; i < diagnose_get(d, 0)->nfixes; i++)
		assert_int_not_equal(diagnose_get(d, 0)->fixes[i].kind, DIAGNOSIS_FIX_INSTALL);
	diagnose_free(d);
}

/* dpkg --add-architecture is a step only where dpkg lacks the arch. */
static void test_foreign_arch_step(void **state)
{
	static const char log[] =
		"  = note: /usr/bin/aarch64-linux-gnu-ld: cannot find -lz: No such file or directory\n";
	struct host h = debian;
	struct diagnose *d;

	(void)state;
	for (int has = 0; has < 2; has++) {
		strcpy(h.dpkg_archs, has ? "amd64 arm64" : "amd64");
		d = diagnose_new(rules, "aarch64-unknown-linux-gnu", &h);
		diagnose_feed(d, log, sizeof log - 1);
		diagnose_finish(d);
		assert_true(fix_matches(diagnose_get(d, 0), "install zlib1g-dev:arm64"));
		assert_int_equal(fix_matches(diagnose_get(d, 0), "run dpkg --add-architecture arm64"), !has);
		diagnose_free(d);
	}
}

/* Root cause first, and many lines of one cause are one diagnosis. */
static void test_ranking(void **state)
{
	static const char log[] =
		"error: linking with `cc` failed: exit status: 1\n"
		"  = note: /usr/bin/ld: a.o: Relocations in generic ELF (EM: 183)\n"
		"          /usr/bin/ld: a.o: Relocations in generic ELF (EM: 183)\n"
		"          /usr/bin/ld: a.o: error adding symbols: file in wrong format\n"
		"          undefined reference to `foo'\n"
		"error: could not compile `x` due to previous error\n";
	struct diagnose *d = run(log, sizeof log - 1, FEED_WHOLE, "aarch64-unknown-linux-gnu");

	(void)state;
	assert_int_equal(diagnose_count(d), 2);
	assert_int_equal(diagnose_get(d, 0)->category, CATEGORY_WRONG_LINKER_FORMAT);
	assert_int_equal(diagnose_get(d, 0)->line, 2);
	assert_int_equal(diagnose_get(d, 0)->count, 3);
	assert_int_equal(diagnose_get(d, 1)->category, CATEGORY_UNDEFINED_REFERENCE);
	diagnose_free(d);
}

/* A default may hold names of its own: "{tool|for {target}}". */
static void test_nested_default(void **state)
{
	static const char rule[] =
		"[rule \"nested\"]\n"
		"\tcategory = other\n"
		"\tmatch = ^boom(?<tool> [a-z]+)?$\n"
		"\tsummary = needs {tool|a compiler for {target}}, {nothing|none {at|all}}.\n";
	struct rules *r = rules_new();
	struct diagnose *d;

	(void)state;
	assert_int_equal(rules_add_text(r, "nested.rules", rule, sizeof rule - 1), 1);
	d = diagnose_new(r, "aarch64-unknown-linux-gnu", NULL);
	diagnose_feed(d, "boom\n", 5);
	diagnose_finish(d);
	assert_int_equal(diagnose_count(d), 1);
	assert_string_equal(diagnose_get(d, 0)->summary,
			    "needs a compiler for aarch64-unknown-linux-gnu, none all.");
	diagnose_free(d);
	rules_free(r);
}

/* The prefixes CI services put on each line are skipped, and only those:
 * a line that merely starts with a number or a # keeps its text. */
static void test_ci_prefixes(void **state)
{
	static const struct { const char *line; size_t skip; } cases[] = {
		{ "2026-12-07T02:14:33.5012345Z error: x", 29 },
		{ "2026-12-07T02:14:33Z error: x", 21 },
		{ "2024-05-02T10:01:02.123456Z 01E+ error: x", 33 },
		{ "2024-05-02T10:01:02.123456Z 00O error: x", 32 },
		{ "2026-12-07T02:14:33+01:00 error: x", 26 },
		{ "[2026-12-07T02:14:33.501Z] error: x", 27 },
		{ "[02:14:33] error: x", 11 },
		{ "#12 3.456 error: x", 10 },
		{ "##[error]error: x", 9 },
		{ "2026-12-07T02:14:33.1Z ##[error]error: x", 32 },
		{ "error: x", 0 },
		{ "12:34 error", 0 },
		{ "#12 error", 0 },
		{ "2026-12-07 is the day", 0 },
		{ "#include <zlib.h>", 0 },
		{ "2026-12-07T02:14:3", 0 },
		{ "", 0 },
	};
	static const char log[] =
		"2026-12-07T02:14:30.0000001Z    Compiling app v0.1.0 (/home/runner/work/app)\n"
		"2026-12-07T02:14:31.0000001Z ##[error]error: linker `aarch64-linux-gnu-gcc` not found\n"
		"2026-12-07T02:14:31.0000002Z   |\n"
		"2026-12-07T02:14:31.0000003Z   = note: No such file or directory (os error 2)\n";
	struct diagnose *d;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		size_t got = diagnose_ci_prefix_len(cases[i].line, strlen(cases[i].line));

		if (got != cases[i].skip)
			fail_msg("'%s': skipped %zu, expected %zu", cases[i].line, got, cases[i].skip);
	}
	d = run(log, sizeof log - 1, FEED_BYTES, "aarch64-unknown-linux-gnu");
	assert_non_null(diagnose_get(d, 0));
	assert_string_equal(category_name(diagnose_get(d, 0)->category), "linker-not-found");
	diagnose_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_logs),
		cmocka_unit_test(test_realworld_logs),
		cmocka_unit_test(test_json_mixed),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_target_given),
		cmocka_unit_test(test_other_hosts),
		cmocka_unit_test(test_foreign_arch_step),
		cmocka_unit_test(test_ranking),
		cmocka_unit_test(test_nested_default),
		cmocka_unit_test(test_ci_prefixes),
		cmocka_unit_test(test_go_variants),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
