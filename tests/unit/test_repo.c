/* test_repo.c - git state of repositories made with the git command line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "repo.h"

#define GIT_FIXTURE_TMP "/tmp/cb-test-repo.XXXXXX"
#include "git_fixture.h"

static void status_ok(const char *dir, struct repo_status *st)
{
	struct cb_err err;

	if (repo_status(dir, st, &err) != 0)
		fail_msg("repo_status(%s): %s", dir, err.msg);
}

static void test_not_a_repo(void **state)
{
	char dir[PATH_MAX];
	struct repo_status st;

	(void)state;
	snprintf(dir, sizeof dir, "%s/plain", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	if (system("git -C /tmp rev-parse >/dev/null 2>&1") == 0)
		skip();   /* /tmp itself is inside a work tree here */
	status_ok(dir, &st);
	assert_int_equal(st.has_repo, 0);
	assert_string_equal(st.branch, "");
	assert_string_equal(st.head, "");
	status_ok("/nonexistent/dir", &st);
	assert_int_equal(st.has_repo, 0);
	{
		char id[64] = "x";

		assert_int_equal(repo_head_id(dir, id, sizeof id, NULL), -1);
		assert_string_equal(id, "");
	}
}

static void test_unborn(void **state)
{
	char dir[PATH_MAX], id[64] = "x";
	struct repo_status st;

	(void)state;
	new_repo(dir, sizeof dir);
	status_ok(dir, &st);
	assert_int_equal(st.has_repo, 1);
	assert_int_equal(st.unborn, 1);
	assert_int_equal(st.detached, 0);
	assert_int_equal(st.dirty, 0);
	assert_string_equal(st.branch, "main");
	assert_string_equal(st.head, "");
	assert_string_equal(st.workdir, dir);
	assert_int_equal(repo_head_id(dir, id, sizeof id, NULL), -1);
	assert_string_equal(id, "");
	/* Another branch name, and a first file not yet committed. */
	sh(dir, "git symbolic-ref HEAD refs/heads/feature/x && touch new");
	status_ok(dir, &st);
	assert_string_equal(st.branch, "feature/x");
	assert_int_equal(st.dirty, 1);
}

static void test_clean(void **state)
{
	char dir[PATH_MAX], want[64], id[64];
	struct repo_status st;

	(void)state;
	committed_repo(dir, sizeof dir);
	status_ok(dir, &st);
	assert_int_equal(st.has_repo, 1);
	assert_int_equal(st.unborn, 0);
	assert_int_equal(st.detached, 0);
	assert_int_equal(st.dirty, 0);
	assert_string_equal(st.branch, "main");
	sh_out(dir, "git rev-parse --short=7 HEAD", want, sizeof want);
	assert_string_equal(st.head, want);
	assert_int_equal(strlen(st.head), 7);
	sh_out(dir, "git rev-parse HEAD", want, sizeof want);
	assert_int_equal(repo_head_id(dir, id, sizeof id, NULL), 0);
	assert_string_equal(id, want);
	/* The buffer must hold all 40 digits. */
	assert_int_equal(repo_head_id(dir, id, 40, NULL), -1);
	assert_int_equal(repo_head_id(dir, id, 41, NULL), 0);
	assert_string_equal(id, want);
	/* Ignored files are not changes. */
	sh(dir, "mkdir -p target/debug && echo x > target/debug/bin");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 0);
	/* The id with the tree's state, as history records it. */
	{
		int dirty = -1;

		assert_int_equal(repo_head_id(dir, id, sizeof id, &dirty), 0);
		assert_int_equal(dirty, 0);
		sh(dir, "echo changed >> a.txt");
		assert_int_equal(repo_head_id(dir, id, sizeof id, &dirty), 0);
		assert_int_equal(dirty, 1);
	}
}

static void test_dirty(void **state)
{
	char dir[PATH_MAX];
	struct repo_status st;

	(void)state;
	committed_repo(dir, sizeof dir);
	/* Modified in the work tree. */
	sh(dir, "echo two >> a.txt");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 1);
	sh(dir, "git checkout -q a.txt");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 0);
	/* Untracked, also deep in a new directory. */
	sh(dir, "mkdir -p new/deeper && touch new/deeper/f");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 1);
	sh(dir, "rm -rf new");
	/* Staged, the work tree matching the index. */
	sh(dir, "echo b > b.txt && git add b.txt");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 1);
	sh(dir, GIT " commit -q -m second");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 0);
	/* A staged deletion. */
	sh(dir, "git rm -q b.txt");
	status_ok(dir, &st);
	assert_int_equal(st.dirty, 1);
}

static void test_detached(void **state)
{
	char dir[PATH_MAX], want[64];
	struct repo_status st;

	(void)state;
	committed_repo(dir, sizeof dir);
	sh(dir, "echo 2 > a.txt && " GIT " commit -q -am second && "
	   "git checkout -q --detach HEAD~1");
	status_ok(dir, &st);
	assert_int_equal(st.detached, 1);
	assert_int_equal(st.unborn, 0);
	assert_string_equal(st.branch, "");
	sh_out(dir, "git rev-parse --short=7 HEAD", want, sizeof want);
	assert_string_equal(st.head, want);
	assert_int_equal(st.dirty, 0);
}

static void test_subdirectory(void **state)
{
	char dir[PATH_MAX], sub[PATH_MAX + 32];
	struct repo_status st;

	(void)state;
	committed_repo(dir, sizeof dir);
	snprintf(sub, sizeof sub, "%s/src/deeper", dir);
	sh(dir, "mkdir -p src/deeper && touch src/deeper/.keep && git add src && "
	   GIT " commit -q -m sub");
	status_ok(sub, &st);
	assert_int_equal(st.has_repo, 1);
	assert_string_equal(st.workdir, dir);
	assert_string_equal(st.branch, "main");
	assert_int_equal(st.dirty, 0);
	/* From inside .git, the work tree around it. */
	snprintf(sub, sizeof sub, "%s/.git/refs", dir);
	status_ok(sub, &st);
	assert_int_equal(st.has_repo, 1);
	assert_string_equal(st.workdir, dir);
}

static void test_bare_and_broken(void **state)
{
	char dir[PATH_MAX];
	struct repo_status st;
	struct cb_err err;

	(void)state;
	/* A bare repository has no work tree to be in. */
	snprintf(dir, sizeof dir, "%s/bare.git", tmpdir);
	assert_int_equal(mkdir(dir, 0755), 0);
	sh(dir, "git init -q --bare .");
	status_ok(dir, &st);
	assert_int_equal(st.has_repo, 0);
	/* A HEAD that libgit2 cannot read is an error naming the place. */
	committed_repo(dir, sizeof dir);
	sh(dir, "echo 'ref: refs/heads/../../x' > .git/HEAD");
	assert_int_equal(repo_status(dir, &st, &err), -1);
	assert_int_equal(err.code, CB_ERR_LIB);
	assert_non_null(strstr(err.msg, "git: "));
	assert_non_null(strstr(err.msg, dir));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_not_a_repo),
		cmocka_unit_test(test_unborn),
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_dirty),
		cmocka_unit_test(test_detached),
		cmocka_unit_test(test_subdirectory),
		cmocka_unit_test(test_bare_and_broken),
	};

	if (system("git --version >/dev/null 2>&1") != 0) {
		puts("git is not installed");
		return 77;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
