/* paths.c - locate data files and the user's configuration directory. */
#include "paths.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CB_DATADIR
#define CB_DATADIR "/usr/local/share/crossbench"
#endif

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int paths_exe_dir(char *out, size_t n)
{
	char buf[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
	char *slash;

	if (len <= 0)
		return -1;
	buf[len] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	if ((size_t)snprintf(out, n, "%s", buf[0] ? buf : "/") >= n)
		return -1;
	return 0;
}

static const char *src_sub[] = { "core/rules", "themes", "core/presets" };
static const char *inst_sub[] = { "rules", "themes", "presets" };

int paths_data_dir(enum paths_data kind, char *out, size_t n)
{
	const char *env = getenv("CROSSBENCH_DATADIR");
	char exe[PATH_MAX], cand[PATH_MAX + 64];

	if (env && *env) {
		snprintf(out, n, "%s/%s", env, inst_sub[kind]);
		if (is_dir(out))
			return 0;
		/* A source tree given as the data dir works too. */
		snprintf(cand, sizeof cand, "%s/%s", env, src_sub[kind]);
		if (is_dir(cand)) {
			snprintf(out, n, "%s", cand);
			return 0;
		}
	}
	if (paths_exe_dir(exe, sizeof exe) == 0) {
		/* The binary sits at the top of the source tree, or two levels
		 * down in build/<variant>/ for sanitizer and test builds.  The
		 * Makefile is the mark of a source tree. */
		static const char *ups[] = { "", "/..", "/../.." };

		for (size_t i = 0; i < sizeof ups / sizeof *ups; i++) {
			char mk[PATH_MAX + 64];

			snprintf(mk, sizeof mk, "%s%s/core/triple.c", exe, ups[i]);
			snprintf(cand, sizeof cand, "%s%s/%s", exe, ups[i], src_sub[kind]);
			if (access(mk, F_OK) == 0 && is_dir(cand)) {
				snprintf(out, n, "%s", cand);
				return 0;
			}
		}
		snprintf(cand, sizeof cand, "%s/../share/crossbench/%s", exe,
			 inst_sub[kind]);
		if (is_dir(cand)) {
			snprintf(out, n, "%s", cand);
			return 0;
		}
	}
	snprintf(out, n, "%s/%s", CB_DATADIR, inst_sub[kind]);
	return is_dir(out) ? 0 : -1;
}

int paths_user_config_dir(char *out, size_t n)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/') {
		snprintf(out, n, "%s/crossbench", xdg);
		return 0;
	}
	if (home && *home) {
		snprintf(out, n, "%s/.config/crossbench", home);
		return 0;
	}
	return -1;
}

int paths_user_data_dir(char *out, size_t n)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (xdg && xdg[0] == '/') {
		snprintf(out, n, "%s/crossbench", xdg);
		return 0;
	}
	if (home && *home) {
		snprintf(out, n, "%s/.local/share/crossbench", home);
		return 0;
	}
	return -1;
}

int paths_mkdir_p(const char *dir)
{
	char tmp[PATH_MAX];
	size_t len = strlen(dir);

	if (len == 0 || len >= sizeof tmp) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(tmp, dir, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}
