/* test_theme.c - the built-in theme is themes/dark.theme, theme files
 * load with their problems named by line, and colours map down to what a
 * terminal has. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "theme.h"

/* The compiled-in theme is the file, slot by slot (the build makes one
 * from the other, so an edit to the file cannot leave it behind). */
static void test_builtin_is_dark_file(void **state)
{
	struct theme a, b;
	struct buf problems;
	struct cb_err err;

	(void)state;
	theme_builtin(&a);
	buf_init(&problems);
	assert_int_equal(theme_load(&b, "themes", "dark", &problems, &err), 0);
	assert_int_equal(problems.len, 0);
	for (int s = 0; s < THEME_NSLOTS; s++) {
		if (a.slot[s].fg != b.slot[s].fg || a.slot[s].bg != b.slot[s].bg ||
		    a.slot[s].attrs != b.slot[s].attrs)
			fail_msg("slot %s differs from themes/dark.theme", theme_slot_name(s));
	}
	buf_fini(&problems);
}

static void test_parse_line(void **state)
{
	struct theme t;
	struct cb_err err;

	(void)state;
	theme_builtin(&t);
	assert_int_equal(theme_parse_line(&t, "passed #00ff00 default bold,underline", &err), 0);
	assert_int_equal(t.slot[THEME_PASSED].fg, theme_nearest_256(0, 255, 0));
	assert_int_equal(t.slot[THEME_PASSED].bg, THEME_DEFAULT_COLOR);
	assert_int_equal(t.slot[THEME_PASSED].attrs, THEME_A_BOLD | THEME_A_UNDERLINE);
	assert_int_equal(theme_parse_line(&t, "failed 196 17 -", &err), 0);
	assert_int_equal(t.slot[THEME_FAILED].fg, 196);
	assert_int_equal(t.slot[THEME_FAILED].bg, 17);
	assert_int_equal(theme_parse_line(&t, "nosuchslot red default", &err), -1);
	assert_non_null(strstr(err.msg, "nosuchslot"));
	assert_int_equal(theme_parse_line(&t, "passed redd default", &err), -1);
	assert_non_null(strstr(err.msg, "redd"));
	assert_int_equal(theme_parse_line(&t, "passed red", &err), -1);
	assert_int_equal(theme_parse_line(&t, "passed red default blink-ish", &err), -1);
}

/* A file with a bad line: the problem names file and line, the rest
 * loads; '#' before a hex colour is a colour, after a space a comment. */
static void test_load_problems(void **state)
{
	char dir[] = "/tmp/cb-test-theme.XXXXXX", path[64];
	struct theme t;
	struct buf problems;
	struct cb_err err;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/mine.theme", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("# mine\npassed #112233 default -   # a comment\nfailed purplish default\n"
	      "queued 21 default bold\n", f);
	fclose(f);
	buf_init(&problems);
	assert_int_equal(theme_load(&t, dir, "mine", &problems, &err), 0);
	assert_string_equal(t.name, "mine");
	assert_int_equal(t.slot[THEME_PASSED].fg, theme_nearest_256(0x11, 0x22, 0x33));
	assert_int_equal(t.slot[THEME_QUEUED].fg, 21);
	assert_non_null(problems.data);
	assert_non_null(strstr(problems.data, "mine.theme:3"));
	assert_non_null(strstr(problems.data, "purplish"));
	buf_fini(&problems);
	/* A name that is a path is refused, not opened. */
	assert_int_equal(theme_load(&t, dir, "../mine", NULL, &err), -1);
	remove(path);
	remove(dir);
}

static void test_map_color(void **state)
{
	(void)state;
	assert_int_equal(theme_map_color(-1, 8), -1);
	assert_int_equal(theme_map_color(200, 256), 200);
	for (int c = 0; c < 256; c++) {
		assert_in_range(theme_map_color(c, 8), 0, 7);
		assert_in_range(theme_map_color(c, 16), 0, 15);
	}
	assert_int_equal(theme_map_color(1, 8), 1);
	assert_int_equal(theme_map_color(9, 8), 1);        /* bright red -> red */
	assert_int_equal(theme_nearest_256(0, 0, 0), 16);
	assert_int_equal(theme_nearest_256(255, 255, 255), 231);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_is_dark_file),
		cmocka_unit_test(test_parse_line),
		cmocka_unit_test(test_load_problems),
		cmocka_unit_test(test_map_color),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
