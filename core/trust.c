/* trust.c - the allow list of projects whose settings may run programs. */
#include "trust.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "paths.h"
#include "rules.h"
#include "sha256.h"

static const char *const state_names[] = {
#define X(e, name) name,
	TRUST_STATES(X)
#undef X
};

const char *trust_state_name(enum trust_state s)
{
	return (size_t)s < sizeof state_names / sizeof *state_names ? state_names[s] : "?";
}

int trust_state_ok(enum trust_state s)
{
	return s == TRUST_NOT_NEEDED || s == TRUST_ALLOWED || s == TRUST_SESSION;
}

int trust_store_path(char *out, size_t n)
{
	char dir[PATH_MAX];

	if (paths_user_data_dir(dir, sizeof dir) < 0)
		return -1;
	if ((size_t)snprintf(out, n, "%s/trust", dir) >= n)
		return -1;
	return 0;
}

/* Hash one file as "name\0<length>\0<bytes>".  Returns 1 when it was
 * there, 0 when it does not exist, -1 with err. */
static int hash_file(struct sha256 *h, const char *path, const char *name,
		     struct strv *files, struct cb_err *err)
{
	char buf[65536], len[32];
	struct stat st;
	ssize_t got;
	off_t total = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return cb_err_sys(err, "%s", path);
	}
	if (fstat(fd, &st) < 0) {
		cb_err_sys(err, "%s", path);
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return cb_err_set(err, CB_ERR_IO, "%s: not a regular file", path);
	}
	snprintf(len, sizeof len, "%lld", (long long)st.st_size);
	sha256_update(h, name, strlen(name) + 1);
	sha256_update(h, len, strlen(len) + 1);
	while ((got = read(fd, buf, sizeof buf)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			cb_err_sys(err, "%s", path);
			close(fd);
			return -1;
		}
		sha256_update(h, buf, (size_t)got);
		total += got;
	}
	close(fd);
	if (total != st.st_size)
		return cb_err_set(err, CB_ERR_IO, "%s changed while it was read", path);
	if (files)
		strv_push(files, name);
	return 1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int trust_hash(const char *project_dir, const char *settings_path,
	       char hash[65], struct strv *files, struct cb_err *err)
{
	struct sha256 h;
	struct strv names;
	char path[PATH_MAX * 2], dir[PATH_MAX + 32];
	const char *settings = settings_path;
	DIR *d;
	int any = 0, rc;

	sha256_init(&h);
	sha256_update(&h, "crossbench-trust-1", 19);
	sha256_update(&h, project_dir, strlen(project_dir) + 1);
	if (!settings) {
		snprintf(path, sizeof path, "%s/.crossbench", project_dir);
		settings = path;
	}
	rc = hash_file(&h, settings, ".crossbench", files, err);
	if (rc < 0)
		return -1;
	any |= rc;

	/* The rules files, as rules_add_dir() picks them. */
	snprintf(dir, sizeof dir, "%s/.crossbench-rules", project_dir);
	strv_init(&names);
	if ((d = opendir(dir))) {
		struct dirent *de;

		while ((de = readdir(d)))
			if (rules_file_name(de->d_name))
				strv_push(&names, de->d_name);
		closedir(d);
	} else if (errno != ENOENT && errno != ENOTDIR) {
		strv_fini(&names);
		return cb_err_sys(err, "%s", dir);
	}
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		char name[PATH_MAX];

		snprintf(path, sizeof path, "%s/%s", dir, names.v[i]);
		snprintf(name, sizeof name, ".crossbench-rules/%s", names.v[i]);
		rc = hash_file(&h, path, name, files, err);
		if (rc < 0) {
			strv_fini(&names);
			return -1;
		}
		any |= rc;
	}
	strv_fini(&names);
	sha256_hex(&h, hash);
	return any;
}

/* CROSSBENCH_TRUST: directories, ':'-separated; dir at or under one. */
static int env_trusts(const char *dir)
{
	const char *list = getenv("CROSSBENCH_TRUST");
	const char *p = list;

	if (!list)
		return 0;
	while (*p) {
		size_t n = strcspn(p, ":");
		char want[PATH_MAX], real[PATH_MAX];

		if (n > 0 && n < sizeof want && p[0] == '/') {
			memcpy(want, p, n);
			want[n] = '\0';
			if (realpath(want, real)) {
				size_t m = strlen(real);

				while (m > 1 && real[m - 1] == '/')
					real[--m] = '\0';
				if (!strncmp(dir, real, m) &&
				    (dir[m] == '\0' || dir[m] == '/' || m == 1))
					return 1;
			}
		}
		p += n + (p[n] == ':');
	}
	return 0;
}

/* Whether the store's line p (n bytes, no newline) is dir's record. */
static int is_record_of(const char *p, size_t n, const char *dir, size_t dl)
{
	return n == 65 + dl && p[64] == ' ' && !memcmp(p + 65, dir, dl);
}

/* The store's hash for dir into out; returns 1 found, 0 not. */
static int store_lookup(const char *text, const char *dir, char out[65])
{
	const char *p = text;
	size_t dl = strlen(dir);
	int found = 0;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (is_record_of(p, n, dir, dl)) {
			memcpy(out, p, 64);
			out[64] = '\0';
			found = 1;   /* the last line for dir wins */
		}
		p = nl ? nl + 1 : NULL;
	}
	return found;
}

static char *read_store(const char *path, struct cb_err *err)
{
	struct buf b;

	buf_init(&b);
	if (file_read_all(path, &b, err) < 0) {
		int missing = errno == ENOENT;

		buf_fini(&b);
		return missing ? xstrdup("") : NULL;
	}
	return buf_detach(&b);
}

enum trust_state trust_check(const char *project_dir, const char *settings_path,
			     char hash[65], struct cb_err *err)
{
	char h[65], stored[65], store[PATH_MAX];
	char *text;
	int rc, found;

	rc = trust_hash(project_dir, settings_path, h, NULL, err);
	if (hash)
		memcpy(hash, rc < 0 ? "" : h, rc < 0 ? 1 : 65);
	if (rc < 0)
		return TRUST_UNREADABLE;
	if (rc == 0)
		return TRUST_NOT_NEEDED;
	if (env_trusts(project_dir))
		return TRUST_SESSION;
	if (trust_store_path(store, sizeof store) < 0)
		return TRUST_NEW;
	text = read_store(store, NULL);
	found = text && store_lookup(text, project_dir, stored);
	free(text);
	if (!found)
		return TRUST_NEW;
	return strcmp(stored, h) == 0 ? TRUST_ALLOWED : TRUST_CHANGED;
}

/* Rewrite the store under its lock: drop dir's lines, then, with hash,
 * add one.  When only_if is set, only when dir's record holds it.
 * Returns 1 when dir had a record, 0 when not, -1 with err. */
static int store_update(const char *dir, const char *hash, const char *only_if,
			struct cb_err *err)
{
	char store[PATH_MAX], lock[PATH_MAX + 8], old[65];
	struct buf out;
	char *text, *p;
	size_t dl = strlen(dir);
	int fd, had, rc = -1;

	if (strchr(dir, '\n'))
		return cb_err_set(err, CB_ERR_USAGE, "the project path has a newline "
				  "in it; the trust store cannot record it");
	if (trust_store_path(store, sizeof store) < 0)
		return cb_err_set(err, CB_ERR_NOTFOUND, "nowhere to keep the trust "
				  "store: neither XDG_DATA_HOME nor HOME is set");
	{
		char d[PATH_MAX];

		snprintf(d, sizeof d, "%s", store);
		*strrchr(d, '/') = '\0';
		if (paths_mkdir_p(d) < 0)
			return cb_err_sys(err, "cannot create %s", d);
	}
	/* Two workbenches allowing at once must not lose a record. */
	snprintf(lock, sizeof lock, "%s.lock", store);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return cb_err_sys(err, "%s", lock);
	while (flock(fd, LOCK_EX) < 0)
		if (errno != EINTR) {
			cb_err_sys(err, "lock %s", lock);
			close(fd);
			return -1;
		}
	text = read_store(store, err);
	if (!text)
		goto out;
	had = store_lookup(text, dir, old);
	if (only_if && (!had || strcmp(old, only_if) != 0)) {
		rc = had;
		goto out;
	}
	buf_init(&out);
	for (p = text; *p;) {
		char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > 0 && !is_record_of(p, n, dir, dl)) {
			buf_append(&out, p, n);
			buf_putc(&out, '\n');
		}
		p += n + (nl != NULL);
	}
	if (hash)
		buf_printf(&out, "%s %s\n", hash, dir);
	if (file_replace(store, out.data ? out.data : "", out.len, 0600, err) == 0)
		rc = had;
	buf_fini(&out);
out:
	free(text);
	close(fd);   /* drops the lock */
	return rc;
}

int trust_allow(const char *project_dir, const char *settings_path,
		struct cb_err *err)
{
	char h[65];
	int rc = trust_hash(project_dir, settings_path, h, NULL, err);

	if (rc <= 0)
		return rc;
	return store_update(project_dir, h, NULL, err) < 0 ? -1 : 0;
}

int trust_renew(const char *project_dir, const char *old_hash,
		const char *new_hash, struct cb_err *err)
{
	if (!old_hash || !*old_hash || !new_hash || !*new_hash)
		return 0;
	return store_update(project_dir, new_hash, old_hash, err) < 0 ? -1 : 0;
}

int trust_deny(const char *project_dir, struct cb_err *err)
{
	return store_update(project_dir, NULL, NULL, err);
}
