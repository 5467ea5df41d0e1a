/* test_cgoheader.c - the header cgo writes, read on cgo's real output and
 * on headers that are not quite it (no marker, declarations over several
 * lines, comments, garbage); and Go's real c-shared libraries checked
 * against their headers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "artifact.h"
#include "buf.h"
#include "cgoheader.h"
#include "triple.h"

#define CGO "tests/fixtures/cgo"

/* The names a header in memory declares, as one space-separated string
 * ("" for none), or "error: <message>". */
static char *names_of(const char *text, size_t n)
{
	struct strv v;
	struct cb_err err;
	struct buf b;

	strv_init(&v);
	buf_init(&b);
	cb_err_clear(&err);
	if (cgo_header_exports_mem(text, n, "t.h", &v, &err) < 0) {
		assert_int_equal(v.n, 0);
		buf_printf(&b, "error: %s", err.msg);
	}
	for (size_t i = 0; i < v.n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", v.v[i]);
	strv_fini(&v);
	buf_puts(&b, "");
	return buf_detach(&b);
}

static void expect(const char *text, const char *want)
{
	char *got = names_of(text, strlen(text));

	if (strcmp(got, want))
		fail_msg("for\n%s\ngot  \"%s\"\nwant \"%s\"", text, got, want);
	free(got);
}

static void read_header(const char *path, struct strv *v)
{
	struct cb_err err;

	strv_init(v);
	cb_err_clear(&err);
	if (cgo_header_exports(path, v, &err) < 0)
		fail_msg("%s", err.msg);
}

/* What go build -buildmode=c-shared wrote, for linux and for windows
 * (where each declaration carries __declspec(dllexport)). */
static void test_real_headers(void **state)
{
	static const char *const files[] = { CGO "/libhello.h", CGO "/hello.h" };
	struct strv v;

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		read_header(files[i], &v);
		assert_int_equal(v.n, 3);
		assert_string_equal(v.v[0], "HelloGreet");
		assert_string_equal(v.v[1], "HelloFree");
		assert_string_equal(v.v[2], "HelloAdd");
		strv_fini(&v);
	}
	/* Results in a struct, Go types, a C type; the preamble's own
	 * `extern void goCallback(int);` comes before the marker, and the
	 * //export of that name once, after it. */
	read_header(CGO "/librich.h", &v);
	assert_int_equal(v.n, 5);
	assert_string_equal(v.v[0], "Multi");
	assert_string_equal(v.v[1], "TakesSlice");
	assert_string_equal(v.v[2], "Pt");
	assert_string_equal(v.v[3], "NoArgs");
	assert_string_equal(v.v[4], "goCallback");
	strv_fini(&v);
}

#define MARK "/* End of boilerplate cgo prologue.  */\n"

static void test_variants(void **state)
{
	(void)state;
	/* Before the marker is the user's preamble: not Go's exports. */
	expect("extern int preambleOnly(void);\n" MARK "extern int A(void);\n", "A");
	/* The marker, and nothing declared after it: fine, nothing. */
	expect("typedef int GoInt32;\n" MARK "#ifdef __cplusplus\n}\n#endif\n", "");
	expect(MARK, "");
	/* No marker: the whole file counts. */
	expect("extern void Solo(int x);\n", "Solo");
	expect("int x;\n", "error: t.h: not a header cgo wrote: no 'End of "
	       "boilerplate cgo prologue.' comment and no extern function declaration");
	/* Over several lines, with comments anywhere. */
	expect(MARK "extern /* a */ struct Multi_return\n\tMulti(GoInt a,\n"
	       "  GoString b // the name\n);\n", "Multi");
	expect(MARK "/* extern int Commented(void); */\n// extern int Line(void);\n"
	       "extern int Real(void);\n", "Real");
	/* Directives, continued over lines, are no declarations. */
	expect(MARK "#define X(a) \\\n extern int InMacro(void);\nextern int After(void);\n",
	       "After");
	/* extern "C", block and single; attributes; pointers; variables. */
	expect(MARK "extern \"C\" {\nextern int InBlock(void);\n}\n"
	       "extern \"C\" int Single(void);\n", "InBlock Single");
	expect(MARK "extern __declspec(dllexport) char* Win(char* n);\n"
	       "extern int __attribute__((visibility(\"default\"))) Vis(void);\n",
	       "Win Vis");
	expect(MARK "extern void (*fp)(int);\nextern int counter;\n"
	       "extern char *(*table)[4];\nextern int Fn(void);\n", "Fn");
	/* Struct bodies, keywords, names only once. */
	expect(MARK "struct R {\n\tint r0;\n\textern int NotHere(void);\n};\n"
	       "extern int Twice(void);\nextern int Twice(void);\n", "Twice");
	expect(MARK "extern int (void);\nextern void(int);\nextern 9lives(void);\n", "");
	/* A statement the file ends inside, unterminated comments and
	 * strings: nothing, and no read past the end. */
	expect(MARK "extern int Cut(void)", "");
	expect(MARK "extern int A(void);\n/* extern int B(void);", "A");
	expect(MARK "extern \"C int A(void);\nextern int B(void);\n", "B");
	/* CRLF line ends */
	expect("/* End of boilerplate cgo prologue.  */\r\nextern int Crlf(void);\r\n",
	       "Crlf");
}

static void test_bad_input(void **state)
{
	static const char nul[] = MARK "extern int A(void);\n\0extern int B(void);\n";
	char *got, *big;
	struct strv v;
	struct cb_err err;
	struct buf b;

	(void)state;
	expect("", "error: t.h: an empty file, not a C header");
	got = names_of(nul, sizeof nul - 1);
	assert_string_equal(got, "error: t.h:3: a binary file, not a C header "
			    "(a NUL byte at offset 60)");
	free(got);
	/* Bytes above 0x7f are identifier bytes (UTF-8 names), never a crash. */
	expect(MARK "extern int Gr\xc3\xbc\xc3\x9f" "e(void);\n\xff\xfe extern \x80(void);\n",
	       "Gr\xc3\xbc\xc3\x9f" "e");
	/* A statement longer than CGO_DECL_MAX is skipped; the next one is not. */
	buf_init(&b);
	buf_puts(&b, MARK "extern int Long(");
	for (int i = 0; i < CGO_DECL_MAX; i++)
		buf_puts(&b, "a,");
	buf_puts(&b, "b);\nextern int Short(void);\n");
	expect(b.data, "Short");
	/* More than CGO_NAMES_MAX names: refused, names untouched. */
	buf_reset(&b);
	buf_puts(&b, MARK);
	for (int i = 0; i <= CGO_NAMES_MAX; i++)
		buf_printf(&b, "extern void F%d(void);\n", i);
	got = names_of(b.data, b.len);
	assert_string_equal(got, "error: t.h: more than 4096 functions declared, "
			    "more than crossbench checks");
	free(got);
	buf_fini(&b);
	/* Larger than CGO_HEADER_MAX: refused before it is scanned. */
	big = calloc(1, CGO_HEADER_MAX + 1);
	assert_non_null(big);
	strv_init(&v);
	assert_int_equal(cgo_header_exports_mem(big, CGO_HEADER_MAX + 1, "big.h", &v,
						&err), -1);
	assert_non_null(strstr(err.msg, "big.h: 16777217 bytes"));
	free(big);
	/* Files: missing, a directory, a binary; errors name them. */
	assert_int_equal(cgo_header_exports(CGO "/no-such.h", &v, &err), -1);
	assert_non_null(strstr(err.msg, CGO "/no-such.h"));
	assert_int_equal(cgo_header_exports(CGO, &v, &err), -1);
	assert_non_null(strstr(err.msg, "directory"));
	assert_int_equal(cgo_header_exports(CGO "/hello.dll", &v, &err), -1);
	assert_non_null(strstr(err.msg, CGO "/hello.dll:1: a binary file"));
	assert_int_equal(v.n, 0);
	strv_fini(&v);
}

/* Random bytes, and random mixes of the scanner's special characters:
 * any answer, no crash, no read outside the input (ASan runs this). */
static void test_garbage(void **state)
{
	static const char alphabet[] = "extern int A(void);{}\"'/*#\\\n ()_x\x80\xff";
	uint32_t seed = 12345;
	unsigned char buf[512];

	(void)state;
	for (int round = 0; round < 4000; round++) {
		size_t n = 1 + round % sizeof buf;
		unsigned char *copy;
		char *got;

		memcpy(buf, MARK, sizeof MARK - 1);
		for (size_t i = round % 2 ? sizeof MARK - 1 : 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			buf[i] = round % 3 ? (unsigned char)alphabet[(seed >> 16) %
								     (sizeof alphabet - 1)]
					   : (unsigned char)(seed >> 16 | 1);
		}
		copy = malloc(n);
		memcpy(copy, buf, n);
		got = names_of((const char *)copy, n);
		free(got);
		free(copy);
	}
}

static void check_lib(const char *lib, const char *header, const char *triple,
		      struct artifact *a, struct strv *declared)
{
	struct cb_err err;
	struct triple t;

	assert_int_equal(artifact_inspect(lib, a, &err), 0);
	read_header(header, declared);
	assert_int_equal(triple_parse(&t, triple, NULL), 0);
	artifact_check(a, &t, NULL);
	artifact_check_exports(a, declared, strrchr(header, '/') + 1);
}

static int has_problem(const struct artifact *a, const char *text)
{
	for (size_t i = 0; i < a->nproblems; i++)
		if (!strcmp(a->problems[i].text, text))
			return 1;
	return 0;
}

/* Go's real libraries export what their headers declare. */
static void test_real_libraries(void **state)
{
	struct artifact a;
	struct strv declared;
	struct triple t;
	struct buf b;

	(void)state;
	check_lib(CGO "/libhello.so", CGO "/libhello.h", "aarch64-unknown-linux-gnu",
		  &a, &declared);
	for (size_t i = 0; i < a.nproblems; i++)
		print_message("  %s\n", a.problems[i].text);
	assert_int_equal(a.nproblems, 0);
	assert_int_equal(a.matches, ARTIFACT_YES);
	/* The //export names and Go's runtime (nm -D --defined-only). */
	assert_int_equal(a.exports_total, 40);
	assert_true(strv_has(&a.exports, "crosscall1"));   /* NOTYPE */
	assert_true(strv_has(&a.exports, "x_cgo_inittls"));
	assert_false(strv_has(&a.exports, "malloc"));      /* imported */
	buf_init(&b);
	artifact_describe_exports(&a, 3, &b);
	assert_string_equal(b.data, "exports: 40 (HelloAdd HelloFree HelloGreet "
			    "... and 37 more)");
	buf_fini(&b);
	/* A name the library lacks: a mismatch, matches false... */
	strv_push(&declared, "HelloMissing");
	artifact_check_exports(&a, &declared, "libhello.h");
	assert_true(has_problem(&a, "mismatch: HelloMissing is declared in "
				"libhello.h but not exported"));
	assert_int_equal(a.nproblems, 1);
	assert_int_equal(a.matches, ARTIFACT_NO);
	/* ...until artifact_check() replaces the problems: run it after. */
	assert_int_equal(triple_parse(&t, "aarch64-unknown-linux-gnu", NULL), 0);
	artifact_check(&a, &t, NULL);
	assert_int_equal(a.nproblems, 0);
	assert_int_equal(a.matches, ARTIFACT_YES);
	/* Without a target: a mismatch still makes matches false. */
	artifact_check(&a, NULL, NULL);
	artifact_check_exports(&a, &declared, "libhello.h");
	assert_int_equal(a.matches, ARTIFACT_NO);
	strv_fini(&declared);
	artifact_fini(&a);

	check_lib(CGO "/hello.dll", CGO "/hello.h", "x86_64-pc-windows-gnu", &a,
		  &declared);
	assert_int_equal(a.nproblems, 0);
	assert_int_equal(a.exports_total, 4);
	assert_string_equal(a.exports.v[3], "_cgo_dummy_export");
	strv_fini(&declared);
	artifact_fini(&a);

	/* The wrong header: each missing name. */
	check_lib(CGO "/hello.dll", CGO "/librich.h", "x86_64-pc-windows-gnu", &a,
		  &declared);
	assert_int_equal(a.nproblems, 5);
	assert_true(has_problem(&a, "mismatch: Multi is declared in librich.h but "
				"not exported"));
	assert_true(has_problem(&a, "mismatch: goCallback is declared in librich.h "
				"but not exported"));
	strv_fini(&declared);
	artifact_fini(&a);
}

/* Many missing names: the first ARTIFACT_FINDINGS_MAX, then one line;
 * exports not read or past the cap: warnings, not mismatches. */
static void test_check_limits(void **state)
{
	struct artifact a;
	struct strv declared;
	struct cb_err err;

	(void)state;
	strv_init(&declared);
	for (int i = 0; i < 30; i++)
		strv_pushf(&declared, "F%d", i);
	assert_int_equal(artifact_inspect(CGO "/hello.dll", &a, &err), 0);
	artifact_check_exports(&a, &declared, "x.h");
	assert_int_equal(a.nproblems, ARTIFACT_FINDINGS_MAX + 1);
	assert_true(has_problem(&a, "mismatch: 14 more functions declared in x.h "
				"are not exported (F16, F17, F18, F19, F20, F21, ...)"));
	/* Listed up to the cap, more counted: a name may be past it. */
	artifact_check(&a, NULL, NULL);
	a.exports_total = ARTIFACT_EXPORTS_MAX + 10;
	artifact_check_exports(&a, &declared, "x.h");
	assert_int_equal(a.nproblems, 1);
	assert_int_equal(a.problems[0].severity, ARTIFACT_WARNING);
	assert_true(has_problem(&a, "warning: 30 functions declared in x.h are not "
				"among the first 4 exports read of 4106, and were "
				"not checked"));
	artifact_fini(&a);
	/* A c-archive: its exports are not read. */
	assert_int_equal(artifact_inspect("tests/fixtures/bin/libhello-x86_64.a",
					  &a, &err), 0);
	artifact_check_exports(&a, &declared, "x.h");
	assert_int_equal(a.nproblems, 1);
	assert_true(has_problem(&a, "warning: exports not read (ar archive): the 30 "
				"functions x.h declares were not checked"));
	assert_int_not_equal(a.matches, ARTIFACT_NO);
	artifact_fini(&a);
	strv_fini(&declared);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_headers),
		cmocka_unit_test(test_variants),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_real_libraries),
		cmocka_unit_test(test_check_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
