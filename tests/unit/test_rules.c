/* test_rules.c - rule files: parsing, bad rules reported with file, line
 * and pcre2's offset, the literal prefilter, and the shipped rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "category.h"
#include "rules.h"

static void lit(const char *pattern, const char *want)
{
	char out[80];

	rules_pattern_literal(pattern, out, sizeof out);
	if (strcmp(out, want))
		fail_msg("literal of /%s/: got '%s', want '%s'", pattern, out, want);
}

static void test_literals(void **state)
{
	(void)state;
	lit("linker `(?<linker>[^`]+)` not found", "linker `");
	lit("Relocations in generic ELF \\(EM: (?<em>\\d+)\\)", "relocations in generic elf (em: ");
	lit("cannot find -lgcc_s", "cannot find -lgcc_s");
	lit("abc|defgh", "");                  /* top-level alternation: none */
	lit("ab", "");                         /* too short to be worth it */
	lit("colou?r scheme", "r scheme");     /* the optional u ends a run */
	lit("x+yz1", "xyz1");                  /* + keeps one x */
	lit("(?:foo|bar)bazz", "bazz");        /* group with | is skipped */
	lit("(?<tool>x86_64-w64-mingw32)-gcc", "x86_64-w64-mingw32");
	lit("\\x41bcdef", "");                 /* escapes we do not read: none */
	lit("(?i)Failed To Find", "failed to find");
	lit("a[bc]defg", "defg");
	lit("(?:optional)?tail1", "tail1");
}

static const char good_and_bad[] =
	"# two good rules around three bad ones\n"
	"[rule \"good-one\"]\n"
	"\tcategory = linker-not-found\n"
	"\tmatch = linker `(?<linker>[^`]+)` not found\n"
	"\tsummary = {linker} is missing\n"
	"\tfix = set linker {gnu_prefix}-gcc\n"
	"[rule \"bad-pattern\"]\n"
	"\tcategory = other\n"
	"\tmatch = unclosed (group here\n"
	"\tsummary = x\n"
	"[rule \"bad-category\"]\n"
	"\tcategory = no-such-category\n"
	"\tmatch = something long\n"
	"\tsummary = x\n"
	"[rule \"bad-key\"]\n"
	"\tcategory = other\n"
	"\tmatch = something long\n"
	"\tsummary = x\n"
	"\tfix = set linkr gcc\n"
	"[context \"ctx\"]\n"
	"\tpriority = 2\n"
	"\tmatch = --target (?<target>\\S+)\n"
	"[rule \"good-two\"]\n"
	"\tcategory = wrong-ar\n"
	"\trank = 85\n"
	"\tmatch = archive has no index\n"
	"\tsummary = no index\n";

static void test_bad_rules_reported(void **state)
{
	struct rules *r = rules_new();
	int n = rules_add_text(r, "test.rules", good_and_bad, sizeof good_and_bad - 1);
	const struct rules_problem *p;

	(void)state;
	assert_int_equal(n, 3); /* good-one, ctx, good-two */
	assert_int_equal(rules_problem_count(r), 3);
	p = rules_problem_get(r, 0);
	assert_string_equal(p->file, "test.rules");
	assert_int_equal(p->line, 9);
	assert_true(p->offset >= 0);
	assert_non_null(strstr(p->message, "bad-pattern"));
	p = rules_problem_get(r, 1);
	assert_int_equal(p->line, 12);
	assert_non_null(strstr(p->message, "no-such-category"));
	p = rules_problem_get(r, 2);
	assert_int_equal(p->line, 19);
	assert_non_null(strstr(p->message, "linkr"));
	assert_string_equal(rules_get(r, 0)->id, "good-one");
	assert_int_equal(rules_get(r, 2)->rank, 85);
	rules_free(r);
}

static void test_matching(void **state)
{
	struct rules *r = rules_new();
	struct rules_matcher *m;
	static const char line[] = "$ cargo build --target aarch64-unknown-linux-gnu: ARCHIVE HAS NO INDEX";
	const struct rules_capture *caps;
	const struct rules_hit *h;

	(void)state;
	rules_add_text(r, "t", good_and_bad, sizeof good_and_bad - 1);
	m = rules_matcher_new(r);
	assert_int_equal(rules_match_line(m, "nothing to see here", 19), 0);
	/* the prefilter is case-blind, the pattern is not */
	assert_int_equal(rules_match_line(m, line, sizeof line - 1), 1);
	h = rules_matcher_hit(m, 0);
	assert_string_equal(rules_get(r, h->entry)->id, "ctx");
	caps = rules_matcher_captures(m);
	assert_int_equal(h->ncaptures, 1);
	assert_string_equal(caps[h->first_capture].name, "target");
	assert_int_equal(caps[h->first_capture].len, strlen("aarch64-unknown-linux-gnu:"));
	assert_int_equal(rules_match_line(m, "x: archive has no index; run", 28), 1);
	rules_matcher_free(m);
	rules_free(r);
}

/* A later file's rule with the same id replaces the earlier one. */
static void test_override(void **state)
{
	static const char a[] = "[rule \"x\"]\ncategory = other\nmatch = first pattern\nsummary = a\n";
	static const char b[] = "[rule \"x\"]\ncategory = jobserver\nmatch = second pattern\nsummary = b\n";
	struct rules *r = rules_new();
	struct rules_matcher *m;

	(void)state;
	rules_add_text(r, "a", a, sizeof a - 1);
	rules_add_text(r, "b", b, sizeof b - 1);
	m = rules_matcher_new(r);
	assert_int_equal(rules_match_line(m, "first pattern", 13), 0);
	assert_int_equal(rules_match_line(m, "second pattern", 14), 1);
	rules_matcher_free(m);
	rules_free(r);
}

/* The shipped rules load cleanly, every pattern has a literal, and every
 * category has at least one rule. */
static void test_shipped_rules(void **state)
{
	struct rules *r = rules_new();
	int seen[CATEGORY_COUNT] = { 0 };

	(void)state;
	assert_true(rules_add_dir(r, "core/rules") > 20);
	for (size_t i = 0; i < rules_problem_count(r); i++)
		print_error("%s:%d: %s\n", rules_problem_get(r, i)->file,
			    rules_problem_get(r, i)->line, rules_problem_get(r, i)->message);
	assert_int_equal(rules_problem_count(r), 0);
	assert_int_equal(rules_unfiltered_count(r), 0);
	for (size_t i = 0; i < rules_count(r); i++)
		if (rules_get(r, i)->kind == RULES_RULE)
			seen[rules_get(r, i)->category] = 1;
	for (int c = 0; c < CATEGORY_COUNT; c++)
		if (!seen[c])
			fail_msg("no rule for category %s", category_name(c));
	rules_free(r);
}

static void test_categories(void **state)
{
	(void)state;
	assert_int_equal(CATEGORY_COUNT, 33);
	assert_int_equal(category_lookup("cgo-disabled"), CATEGORY_CGO_DISABLED);
	assert_int_equal(category_lookup("wrong-c-compiler"), CATEGORY_WRONG_C_COMPILER);
	assert_int_equal(category_lookup("go-version"), CATEGORY_GO_VERSION);
	assert_int_equal(category_lookup("target-library-missing"), CATEGORY_TARGET_LIBRARY_MISSING);
	assert_int_equal(category_lookup("runner-missing"), CATEGORY_RUNNER_MISSING);
	assert_int_equal(category_lookup("loader-missing"), CATEGORY_LOADER_MISSING);
	assert_int_equal(category_lookup("cpu-features"), CATEGORY_CPU_FEATURES);
	assert_int_equal(category_lookup("missing-build-tool"), CATEGORY_MISSING_BUILD_TOOL);
	assert_int_equal(category_lookup("crate-rejects-target"), CATEGORY_CRATE_REJECTS_TARGET);
	assert_string_equal(category_name(CATEGORY_MISSING_LIBGCC_S), "missing-libgcc_s");
	assert_int_equal(category_lookup("build-lock-contention"), CATEGORY_BUILD_LOCK_CONTENTION);
	assert_int_equal(category_lookup("nope"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_literals),
		cmocka_unit_test(test_bad_rules_reported),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_categories),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
