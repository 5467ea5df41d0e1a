/* git_fixture.h - repositories made with the git command line, for the
 * unit tests that read git state (test_repo, test_since).  Include it
 * once, after cmocka.h, with GIT_FIXTURE_TMP defined as the mkdtemp
 * template of the test's scratch directory.  setup and teardown are
 * cmocka group fixtures: they keep the user's and the system's git
 * settings out. */
#ifndef GIT_FIXTURE_TMP
#error "define GIT_FIXTURE_TMP before including git_fixture.h"
#endif

static char tmpdir[] = GIT_FIXTURE_TMP;
static int n_repo;

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	/* Neither the user's nor the system's git settings take part. */
	setenv("HOME", tmpdir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	return system(cmd);
}

/* Run a shell command in dir; the test fails if it does. */
static void sh(const char *dir, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void sh(const char *dir, const char *fmt, ...)
{
	char cmd[4096], body[3000];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(body, sizeof body, fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof cmd, "cd '%s' && { %s; } >/dev/null 2>&1", dir, body);
	rc = system(cmd);
	if (rc != 0)
		fail_msg("in %s: %s: exit %d", dir, body, rc);
}

#define GIT "git -c user.name=t -c user.email=t@example.com -c commit.gpgsign=false"

/* The output of a command in dir, without its newline. */
static void sh_out(const char *dir, const char *cmd, char *out, size_t n)
{
	char full[4096];
	FILE *f;
	size_t len;

	snprintf(full, sizeof full, "cd '%s' && %s", dir, cmd);
	f = popen(full, "r");
	assert_non_null(f);
	len = fread(out, 1, n - 1, f);
	out[len] = '\0';
	while (len && out[len - 1] == '\n')
		out[--len] = '\0';
	assert_int_equal(pclose(f), 0);
}

/* A new empty repository on branch main; returns its path. */
static const char *new_repo(char *path, size_t n)
{
	snprintf(path, n, "%s/r%d", tmpdir, n_repo++);
	assert_int_equal(mkdir(path, 0755), 0);
	sh(path, "git init -q -b main .");
	return path;
}

/* A repository with one commit of a.txt and a .gitignore of target/. */
static const char *committed_repo(char *path, size_t n)
{
	new_repo(path, n);
	sh(path, "echo one > a.txt && echo target/ > .gitignore && git add . && "
	   GIT " commit -q -m first");
	return path;
}
