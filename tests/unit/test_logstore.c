/* test_logstore.c - the log store against an in-memory reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "logstore.h"

static char tmpdir[] = "/tmp/cb-test-logstore.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd);
}

/* Line starts of text, the slow obvious way. */
static size_t ref_lines(const char *text, size_t n, uint64_t **starts)
{
	size_t cnt = 0, cap = 1024;
	uint64_t *s = malloc(cap * sizeof *s);

	s[cnt++] = 0;
	for (size_t i = 0; i < n; i++) {
		if (text[i] != '\n')
			continue;
		if (cnt == cap)
			s = realloc(s, (cap *= 2) * sizeof *s);
		s[cnt++] = i + 1;
	}
	if (s[cnt - 1] == n)  /* no unfinished last line */
		cnt--;
	*starts = s;
	return cnt;
}

static void check_against(struct logstore *ls, const char *text, size_t n,
			  size_t step)
{
	uint64_t *starts;
	size_t cnt = ref_lines(text, n, &starts);

	assert_int_equal(logstore_lines(ls), cnt);
	for (size_t l = 0; l < cnt; l += step) {
		uint64_t off, len;
		uint64_t end = l + 1 < cnt ? starts[l + 1] - 1 : n;

		if (l + 1 == cnt && n && text[n - 1] == '\n')
			end = n - 1;
		assert_int_equal(logstore_line_span(ls, l, &off, &len), 0);
		assert_int_equal(off, starts[l]);
		assert_int_equal(len, end - starts[l]);
	}
	assert_int_equal(logstore_line_span(ls, cnt, &(uint64_t){0}, &(uint64_t){0}), -1);
	/* Backwards one line at a time (scrolling up) and at random: the
	 * remembered lines must give the same answers as the index. */
	for (size_t l = cnt; l-- > 0 && cnt - l < 3000;) {
		uint64_t off, len;

		assert_int_equal(logstore_line_span(ls, l, &off, &len), 0);
		assert_int_equal(off, starts[l]);
	}
	for (int k = 0; k < 3000 && cnt; k++) {
		size_t l = (size_t)rand() % cnt;
		uint64_t off, len;

		assert_int_equal(logstore_line_span(ls, l, &off, &len), 0);
		assert_int_equal(off, starts[l]);
		if (l > 2) {
			assert_int_equal(logstore_line_span(ls, l - 2, &off, &len), 0);
			assert_int_equal(off, starts[l - 2]);
		}
	}
	free(starts);
}

/* Random text with empty lines, CR, NUL, invalid UTF-8, ANSI escapes,
 * appended in random chunk sizes. */
static void test_random_chunks(void **state)
{
	char path[256];
	size_t n = 3u << 20, i = 0;
	char *text = malloc(n);
	struct logstore *ls, *ro;
	struct cb_err err;

	(void)state;
	srand(7);
	while (i < n) {
		int kind = rand() % 10;
		size_t len = kind == 0 ? 0 : kind == 1 ? (size_t)(rand() % 200000)
						       : (size_t)(rand() % 120);

		for (size_t k = 0; k < len && i < n; k++) {
			int c = rand() % 300;
			text[i++] = c < 250 ? (char)(' ' + c % 90) : c < 260 ? '\0'
				: c < 270 ? '\r' : c < 280 ? (char)0xff : '\033';
		}
		if (i < n)
			text[i++] = '\n';
	}
	text[n - 1] = 'x';   /* an unfinished last line */
	snprintf(path, sizeof path, "%s/random/deeper/a.log", tmpdir);
	ls = logstore_create(path, &err);
	assert_non_null(ls);
	for (i = 0; i < n;) {
		size_t c = 1 + (size_t)(rand() % 70000);

		if (c > n - i)
			c = n - i;
		assert_int_equal(logstore_append(ls, text + i, c, &err), 0);
		i += c;
	}
	check_against(ls, text, n, 1);
	ro = logstore_open(path, &err);
	assert_non_null(ro);
	check_against(ro, text, n, 1);
	logstore_free(ro);
	logstore_free(ls);
	free(text);
}

/* Millions of lines: the index stays within its bound and still finds
 * every line. */
static void test_bounded_index(void **state)
{
	char path[256];
	size_t lines = 3000000, n = 0;
	char *text = malloc(lines * 12);
	struct logstore *ls;
	struct cb_err err;

	(void)state;
	for (size_t l = 0; l < lines; l++)
		n += (size_t)sprintf(text + n, "l%zu\n", l);
	snprintf(path, sizeof path, "%s/big.log", tmpdir);
	ls = logstore_create(path, &err);
	for (size_t i = 0; i < n; i += 4096)
		logstore_append(ls, text + i, n - i < 4096 ? n - i : 4096, &err);
	assert_true(ls->ncp <= LOGSTORE_MAX_CHECKPOINTS);
	assert_true(ls->ncp > LOGSTORE_MAX_CHECKPOINTS / 4);
	check_against(ls, text, n, 997);
	{
		struct buf b;
		uint64_t len;

		buf_init(&b);
		assert_int_equal(logstore_read_line(ls, 2999999, 0, 100, &b, &len), 0);
		assert_string_equal(b.data, "l2999999");
		buf_fini(&b);
	}
	logstore_free(ls);
	free(text);
}

/* A 10 MB line: its span comes from the checkpoint at its end, its bytes
 * can be read from any column, and the lines around it stay right. */
static void test_long_line(void **state)
{
	char path[256];
	size_t big = 10u << 20;
	char *line = malloc(big);
	struct logstore *ls;
	struct cb_err err;
	struct buf b;
	uint64_t off, len;

	(void)state;
	for (size_t i = 0; i < big; i++)
		line[i] = (char)('a' + i % 26);
	memcpy(line + big - 6, "NEEDLE", 6);
	snprintf(path, sizeof path, "%s/long.log", tmpdir);
	ls = logstore_create(path, &err);
	logstore_append(ls, "first\n", 6, &err);
	logstore_append(ls, line, big, &err);
	logstore_append(ls, "\nafter\nlast", 11, &err);
	assert_int_equal(logstore_lines(ls), 4);
	assert_int_equal(logstore_line_span(ls, 1, &off, &len), 0);
	assert_int_equal(off, 6);
	assert_int_equal(len, big);
	buf_init(&b);
	assert_int_equal(logstore_read_line(ls, 1, big - 10, 100, &b, &len), 0);
	assert_int_equal(b.len, 10);
	assert_memory_equal(b.data, line + big - 10, 10);
	buf_reset(&b);
	assert_int_equal(logstore_read_line(ls, 2, 0, 100, &b, NULL), 0);
	assert_string_equal(b.data, "after");
	buf_reset(&b);
	assert_int_equal(logstore_read_line(ls, 3, 0, 100, &b, NULL), 0);
	assert_string_equal(b.data, "last");
	buf_fini(&b);
	{
		uint64_t found;

		assert_int_equal(logstore_find(ls, 0, 0, "NEEDLE", 0, &found), 1);
		assert_int_equal(found, 1);
		assert_int_equal(logstore_find(ls, 3, 1, "needle", 1, &found), 1);
		assert_int_equal(found, 1);
		assert_int_equal(logstore_find(ls, 3, 1, "needle", 0, &found), 0);
		assert_int_equal(logstore_find(ls, 2, 0, "first", 0, &found), 0);
		assert_int_equal(logstore_find(ls, 3, 1, "first", 0, &found), 1);
		assert_int_equal(found, 0);
	}
	logstore_free(ls);
	free(line);
}

static void test_find_many(void **state)
{
	char path[256];
	struct logstore *ls;
	struct cb_err err;
	uint64_t found;
	char line[64];

	(void)state;
	snprintf(path, sizeof path, "%s/find.log", tmpdir);
	ls = logstore_create(path, &err);
	for (int i = 0; i < 200000; i++) {
		int n = snprintf(line, sizeof line, "%s %d\n",
				 i % 50000 == 123 ? "Error: boom" : "ok", i);
		logstore_append(ls, line, (size_t)n, &err);
	}
	assert_int_equal(logstore_find(ls, 0, 0, "error", 1, &found), 1);
	assert_int_equal(found, 123);
	assert_int_equal(logstore_find(ls, 124, 0, "Error", 0, &found), 1);
	assert_int_equal(found, 50123);
	assert_int_equal(logstore_find(ls, 199999, 1, "Error", 0, &found), 1);
	assert_int_equal(found, 150123);
	assert_int_equal(logstore_find(ls, 150122, 1, "Error", 0, &found), 1);
	assert_int_equal(found, 100123);
	assert_int_equal(logstore_find(ls, 122, 1, "Error", 0, &found), 0);
	assert_int_equal(logstore_find(ls, 0, 0, "absent", 0, &found), 0);
	logstore_free(ls);
}

/* Search reads the text as it is shown: escapes between words do not
 * hide a phrase, and an escape's own bytes are not text. */
static void test_find_plain(void **state)
{
	static const char log[] =
		"   Compiling app\n"
		"\033[0m\033[1m\033[38;5;9merror\033[0m\033[0m\033[1m: linking with `cc` failed\033[0m\n"
		"plain line 31\n";
	char path[256];
	struct logstore *ls;
	struct cb_err err;
	uint64_t found;

	(void)state;
	snprintf(path, sizeof path, "%s/plain.log", tmpdir);
	ls = logstore_create(path, &err);
	logstore_append(ls, log, sizeof log - 1, &err);
	assert_int_equal(logstore_find(ls, 0, 0, "error: linking", 0, &found), 1);
	assert_int_equal(found, 1);
	assert_int_equal(logstore_find(ls, 0, 0, "38;5;9m", 0, &found), 0);
	assert_int_equal(logstore_find(ls, 0, 0, "31", 0, &found), 1);
	assert_int_equal(found, 2);
	logstore_free(ls);
}

static void test_errors(void **state)
{
	struct cb_err err;

	(void)state;
	assert_null(logstore_open("/nonexistent/dir/x.log", &err));
	assert_non_null(strstr(err.msg, "/nonexistent/dir/x.log"));
	assert_null(logstore_create("/proc/no/such/x.log", &err));
	assert_true(strlen(err.msg) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_chunks),
		cmocka_unit_test(test_bounded_index),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_find_many),
		cmocka_unit_test(test_find_plain),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
