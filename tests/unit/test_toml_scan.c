/* test_toml_scan.c - the line scanner of .cargo/config.toml: tables and
 * dotted keys, values that span lines or hide brackets and '#' in
 * strings, crossbench's own block taken out, and what a key needs to be
 * written back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "toml_scan.h"

static const char config[] =
	"# a user's file\n"                                   /* 0 */
	"[build]\n"                                           /* 1 */
	"jobs = 4\n"                                          /* 2 */
	"rustflags = [\"-C\", \"opt-level=1\", # why\n"       /* 3 */
	"   \"--cfg\", 'x]y'\n"                               /* 4 */
	"]\n"                                                 /* 5 */
	"\n"                                                  /* 6 */
	"[target.x86_64-pc-windows-gnu]\n"                    /* 7 */
	"linker = \"x86_64-w64-mingw32-gcc\" # [not a table]\n"  /* 8 */
	"runner = '''\n"                                      /* 9 */
	"wine\n"                                              /* 10 */
	"'''\n"                                               /* 11 */
	"[target.\"thumbv8m.main-none-eabi\"]\n"              /* 12 */
	"linker = \"rust-lld\"\n"                             /* 13 */
	"env.CC_x = { value = \"cc\", force = true }\n";      /* 14 */

static char *table(const char *a, const char *b)
{
	return b ? xasprintf("%s%c%s", a, TOML_SEP, b) : xstrdup(a);
}

static void test_tables_and_keys(void **state)
{
	struct toml_doc d;
	struct cb_err err;
	const struct toml_table *t;
	struct strv v;
	char *name;

	(void)state;
	assert_int_equal(toml_doc_parse(&d, config, "config.toml", NULL, NULL, NULL, &err), 0);
	t = toml_doc_table(&d, "build");
	assert_non_null(t);
	assert_true(toml_table_has_key(t, "jobs"));
	assert_true(toml_table_has_key(t, "rustflags"));
	assert_int_equal(toml_table_key_line(t, "rustflags"), 3);
	/* The array's last line is the table's last: a key goes after it. */
	assert_int_equal(t->last, 5);
	assert_int_equal(d.lines[4].kind, TOML_CONT);
	strv_init(&v);
	assert_int_equal(toml_doc_get(&d, "build", "rustflags", &v), 1);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.v[3], "x]y");
	strv_fini(&v);

	name = table("target", "x86_64-pc-windows-gnu");
	t = toml_doc_table(&d, name);
	assert_non_null(t);
	assert_true(toml_table_has_key(t, "linker"));
	assert_true(toml_table_has_key(t, "runner"));
	assert_int_equal(d.lines[10].kind, TOML_CONT);   /* inside ''' ''' */
	strv_init(&v);
	assert_int_equal(toml_doc_get(&d, name, "linker", &v), 1);
	assert_string_equal(v.v[0], "x86_64-w64-mingw32-gcc");
	strv_fini(&v);
	free(name);

	/* A quoted part keeps its dots. */
	name = table("target", "thumbv8m.main-none-eabi");
	t = toml_doc_table(&d, name);
	assert_non_null(t);
	assert_int_equal(toml_table_key_line(t, "linker"), 13);
	free(name);
	assert_null(toml_doc_table(&d, "target"));   /* no header of its own */
	assert_int_equal(toml_table_key_line(toml_doc_table(&d, "build"), "nope"), TOML_NOWHERE);
	toml_doc_fini(&d);
}

/* crossbench's block is taken out and its place kept; a block that never
 * ends is an error naming the file. */
static void test_block(void **state)
{
	static const char text[] =
		"[build]\njobs = 2\n"
		"# BEGIN crossbench\n[target.aarch64-unknown-linux-gnu]\nlinker = \"x\"\n# END crossbench\n"
		"[net]\noffline = true\n";
	struct toml_doc d;
	struct cb_err err;

	(void)state;
	assert_int_equal(toml_doc_parse(&d, text, "c.toml", "# BEGIN crossbench",
					"# END crossbench", NULL, &err), 0);
	assert_null(strstr(d.text, "aarch64"));
	assert_int_equal(d.block_at, 2);
	assert_non_null(toml_doc_table(&d, "net"));
	toml_doc_fini(&d);
	assert_int_equal(toml_doc_parse(&d, "# BEGIN crossbench\n[x]\n", "c.toml",
					"# BEGIN crossbench", "# END crossbench", NULL, &err), -1);
	assert_non_null(strstr(err.msg, "c.toml"));
}

static void test_writing(void **state)
{
	struct buf b;
	char *disp, *name = table("target", "thumbv8m.main-none-eabi");

	(void)state;
	buf_init(&b);
	toml_put_key(&b, "linker");
	buf_putc(&b, ' ');
	toml_put_key(&b, "a.b");
	buf_putc(&b, ' ');
	toml_put_string(&b, "C:\\x \"q\"\n");
	assert_string_equal(b.data, "linker \"a.b\" \"C:\\\\x \\\"q\\\"\\n\"");
	buf_reset(&b);
	toml_put_table(&b, name);
	assert_string_equal(b.data, "target.\"thumbv8m.main-none-eabi\"");
	disp = toml_table_display(name);
	assert_string_equal(disp, "target.\"thumbv8m.main-none-eabi\"");
	free(disp);
	free(name);
	buf_fini(&b);
}

/* Garbage never crashes and every line gets a kind. */
static void test_garbage(void **state)
{
	static const char text[] = "[unclosed\n= no key\nkey = \"unterminated\n\x01\xff = 1\n[[arr]]\nx = 1";
	struct toml_doc d;
	struct cb_err err;

	(void)state;
	if (toml_doc_parse(&d, text, "g.toml", NULL, NULL, NULL, &err) == 0) {
		assert_true(d.nlines >= 5);
		toml_doc_fini(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_and_keys),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_writing),
		cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
