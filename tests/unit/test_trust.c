/* test_trust.c - SHA-256 against sha256sum, the hash of what a project
 * ships (any change to the settings or a rules file changes it), the
 * store (allow, a change asks again, renew only from the allowed hash,
 * deny), and CROSSBENCH_TRUST's directory prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sha256.h"
#include "trust.h"

static char root[256], proj[300];

static void put(const char *rel, const char *text)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", proj, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void rm_rel(const char *rel)
{
	char path[600];

	snprintf(path, sizeof path, "%s/%s", proj, rel);
	assert_int_equal(unlink(path), 0);
}

static int setup(void **state)
{
	char cmd[700];

	(void)state;
	snprintf(root, sizeof root, "%s/cb-test-trust.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(root));
	snprintf(proj, sizeof proj, "%s/p", root);
	snprintf(cmd, sizeof cmd, "mkdir -p %s/.crossbench-rules %s/data", proj, root);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof cmd, "%s/data", root);
	setenv("XDG_DATA_HOME", cmd, 1);
	unsetenv("CROSSBENCH_TRUST");
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

static void hex_of(const void *data, size_t n, char out[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_hex(&s, out);
}

/* FIPS 180-4's examples, then buffers of every length around the block
 * and padding edges, each against sha256sum. */
static void test_sha256(void **state)
{
	char h[65], cmd[700], want[80], path[400];
	unsigned char buf[300];
	FILE *f;

	(void)state;
	hex_of("", 0, h);
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, h);
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, h);
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	for (size_t i = 0; i < sizeof buf; i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	snprintf(path, sizeof path, "%s/bytes", root);
	for (size_t n = 0; n <= sizeof buf; n += (n > 50 && n < 250 && n % 64 > 2 && n % 64 < 53) ? 7 : 1) {
		f = fopen(path, "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(buf, 1, n, f), n);
		fclose(f);
		snprintf(cmd, sizeof cmd, "sha256sum < %s", path);
		f = popen(cmd, "r");
		assert_non_null(f);
		assert_non_null(fgets(want, sizeof want, f));
		pclose(f);
		want[64] = '\0';
		hex_of(buf, n, h);
		assert_string_equal(h, want);
	}
}

/* The hash moves with every byte of either file, a rules file's name and
 * which file holds the bytes; nothing shipped is "nothing to trust". */
static void test_hash_covers_both(void **state)
{
	char a[65], b[65], c[65];
	struct strv files;
	struct cb_err err;

	(void)state;
	assert_int_equal(trust_hash(proj, NULL, a, NULL, &err), 0);
	put(".crossbench", "[target \"x86_64-pc-windows-gnu\"]\n\tlinker = /tmp/x\n");
	assert_int_equal(trust_hash(proj, NULL, a, NULL, &err), 1);
	put(".crossbench", "[target \"x86_64-pc-windows-gnu\"]\n\tlinker = /tmp/y\n");
	assert_int_equal(trust_hash(proj, NULL, b, NULL, &err), 1);
	assert_string_not_equal(a, b);
	put(".crossbench-rules/a.rules", "# nothing\n");
	strv_init(&files);
	assert_int_equal(trust_hash(proj, NULL, c, &files, &err), 1);
	assert_string_not_equal(b, c);
	assert_int_equal(files.n, 2);
	assert_string_equal(files.v[0], ".crossbench");
	assert_string_equal(files.v[1], ".crossbench-rules/a.rules");
	strv_fini(&files);
	/* Not a .rules name: rules_load ignores it, and so does the hash. */
	put(".crossbench-rules/notes.txt", "x");
	assert_int_equal(trust_hash(proj, NULL, a, NULL, &err), 1);
	assert_string_equal(a, c);
	/* The same bytes under another rules name. */
	put(".crossbench-rules/b.rules", "# nothing\n");
	rm_rel(".crossbench-rules/a.rules");
	assert_int_equal(trust_hash(proj, NULL, a, NULL, &err), 1);
	assert_string_not_equal(a, c);
	rm_rel(".crossbench-rules/b.rules");
	rm_rel(".crossbench-rules/notes.txt");
}

/* New, allowed, changed, renewed only from the allowed hash, denied. */
static void test_store(void **state)
{
	char h[65], h2[65], other[400], cmd[500];
	struct cb_err err;

	(void)state;
	put(".crossbench", "[target]\n\tcargo = /tmp/evil\n");
	assert_int_equal(trust_check(proj, NULL, h, &err), TRUST_NEW);
	assert_false(trust_state_ok(TRUST_NEW));
	assert_int_equal(trust_allow(proj, NULL, &err), 0);
	assert_int_equal(trust_check(proj, NULL, h, &err), TRUST_ALLOWED);
	assert_true(trust_state_ok(TRUST_ALLOWED));

	/* Another project's record leaves this one alone. */
	snprintf(other, sizeof other, "%s/q", root);
	snprintf(cmd, sizeof cmd, "mkdir -p %s", other);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(trust_allow(other, NULL, &err), 0);   /* nothing there */
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_ALLOWED);

	put(".crossbench", "[target]\n\tcargo = /tmp/evil2\n");
	assert_int_equal(trust_check(proj, NULL, h2, &err), TRUST_CHANGED);
	/* A renew from a hash that is not the allowed one changes nothing. */
	assert_int_equal(trust_renew(proj, h2, h2, &err), 0);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_CHANGED);
	/* From the allowed one (crossbench's own save): allowed again. */
	assert_int_equal(trust_renew(proj, h, h2, &err), 0);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_ALLOWED);

	assert_int_equal(trust_deny(proj, &err), 1);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_NEW);
	assert_int_equal(trust_deny(proj, &err), 0);
}

/* CROSSBENCH_TRUST trusts a directory and what is under it, not a
 * sibling that merely starts with the same letters. */
static void test_env_prefix(void **state)
{
	char list[800], sib[400];
	struct cb_err err;

	(void)state;
	put(".crossbench", "[target]\n\tcargo = /tmp/evil3\n");
	setenv("CROSSBENCH_TRUST", root, 1);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_SESSION);
	snprintf(sib, sizeof sib, "%s/p", root);
	setenv("CROSSBENCH_TRUST", sib, 1);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_SESSION);
	snprintf(sib, sizeof sib, "mkdir -p %s/pp", root);
	assert_int_equal(system(sib), 0);
	snprintf(list, sizeof list, "/nonexistent:%s/pp:relative/dir", root);
	setenv("CROSSBENCH_TRUST", list, 1);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_NEW);
	snprintf(list, sizeof list, "/nonexistent:%s/pp:%s/", root, root);
	setenv("CROSSBENCH_TRUST", list, 1);
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_SESSION);
	unsetenv("CROSSBENCH_TRUST");
}

/* Without HOME or XDG_DATA_HOME there is no store: not allowed, and
 * allowing says why. */
static void test_no_home(void **state)
{
	char *home = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	char *data = strdup(getenv("XDG_DATA_HOME"));
	struct cb_err err;

	(void)state;
	put(".crossbench", "[target]\n\tcargo = /tmp/evil4\n");
	unsetenv("HOME");
	unsetenv("XDG_DATA_HOME");
	assert_int_equal(trust_check(proj, NULL, NULL, &err), TRUST_NEW);
	assert_int_equal(trust_allow(proj, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "HOME"));
	if (home)
		setenv("HOME", home, 1);
	setenv("XDG_DATA_HOME", data, 1);
	free(home);
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256),
		cmocka_unit_test(test_hash_covers_both),
		cmocka_unit_test(test_store),
		cmocka_unit_test(test_env_prefix),
		cmocka_unit_test(test_no_home),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
