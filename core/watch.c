/* watch.c - the file watcher behind watch mode (see watch.h).
 *
 * One inotify instance, one watch per directory.  The directories are an
 * array sorted by watch descriptor: the kernel hands descriptors out in
 * increasing order, so adding is an append and finding one a binary
 * search; a dropped directory leaves a hole (rel == NULL) that the next
 * compaction removes, so rm -rf of a big tree costs no quadratic moves.
 *
 * A directory moved inside the tree keeps its inotify watch but not its
 * path, so a directory renamed away (IN_MOVED_FROM) has its whole subtree
 * unwatched and one renamed in (IN_MOVED_TO) is walked afresh.  After a
 * queue overflow a rescan walks the whole tree again: adding a watch on a
 * directory already watched returns its descriptor, which refreshes its
 * path; what the walk no longer reaches is unwatched.
 */
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "buf.h"

#define WATCH_MASK (IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | \
		    IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)
#define MS 1000000LL
#define READ_ROUNDS 16          /* 16 x 64 KiB of events per watch_read() */
#define PATTERNS_MAX 4096       /* lines kept from a fallback .gitignore */

struct wdir {
	int wd;
	unsigned gen;   /* the rescan that last reached it */
	char *rel;      /* path from the root, "" for the root; NULL: dropped */
};

struct pattern {
	char *glob;
	int dir_only;   /* ended with '/' */
	int anchored;   /* matched against the whole path, not a name */
};

struct watch {
	int fd;
	char root[PATH_MAX];
	git_repository *repo;      /* NULL outside a git work tree */
	char prefix[PATH_MAX];     /* root relative to the work tree: "" or "sub/" */
	struct pattern *pats;      /* outside a repository: root's .gitignore */
	size_t npats;

	struct wdir *dirs;         /* sorted by wd, with holes */
	size_t ndirs, cap, live;
	unsigned gen;

	/* The pending burst. */
	char *first;
	size_t nchanged;
	uint64_t *seen;            /* hashes of its paths; 0 is empty */
	size_t nseen, seen_cap;
	long long first_ns, last_ns;
	int rescan;                /* the queue overflowed */

	/* Stopped: why, and whether watch_take() has said so. */
	int failed, failed_told;
	char errmsg[1024];

	/* The watch limit was hit during a walk: the directories it found. */
	int limit_hit;
	size_t limit_total;
};

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Stop for good: every watch is removed, so the fd goes quiet. */
static void fail(struct watch *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fail(struct watch *w, const char *fmt, ...)
{
	va_list ap;

	if (w->failed)
		return;
	va_start(ap, fmt);
	vsnprintf(w->errmsg, sizeof w->errmsg, fmt, ap);
	va_end(ap);
	w->failed = 1;
	for (size_t i = 0; i < w->ndirs; i++) {
		if (!w->dirs[i].rel)
			continue;
		inotify_rm_watch(w->fd, w->dirs[i].wd);
		free(w->dirs[i].rel);
		w->dirs[i].rel = NULL;
	}
	w->ndirs = w->live = 0;
}

/* ---------------------------------------------------------------- limits */

static long read_long(const char *path)
{
	FILE *f = fopen(path, "re");
	long v = -1;

	if (f) {
		if (fscanf(f, "%ld", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The inotify limit that applies: fs.inotify.<fs_key>, or the user
 * namespace's user.<user_key> when that one is lower (in a container). */
static long inotify_limit(const char *fs_key, const char *user_key, char *name, size_t n)
{
	char path[128];
	long fs, user;

	snprintf(path, sizeof path, "/proc/sys/fs/inotify/%s", fs_key);
	fs = read_long(path);
	snprintf(path, sizeof path, "/proc/sys/user/%s", user_key);
	user = read_long(path);
	if (user >= 0 && (fs < 0 || user < fs)) {
		snprintf(name, n, "user.%s", user_key);
		return user;
	}
	snprintf(name, n, "fs.inotify.%s", fs_key);
	return fs;
}

static void limit_message(struct watch *w)
{
	char key[64];
	long lim = inotify_limit("max_user_watches", "max_inotify_watches", key, sizeof key);
	long others = lim > (long)w->live ? lim - (long)w->live : 0;
	long want = (others + (long)w->limit_total) * 2;

	/* A round number, and never less than double what was there. */
	if (want < lim * 2)
		want = lim * 2;
	want = (want + 1023) / 1024 * 1024;
	fail(w, "watch: the inotify watch limit (%s = %ld) is reached after %zu "
	     "directories under %s (it has %zu); raise it with: sudo sysctl %s=%ld",
	     key, lim, w->live, w->root, w->limit_total, key, want);
}

/* ---------------------------------------------------------------- directories */

/* The index of wd's entry (a hole too), or where it would go. */
static size_t dir_pos(const struct watch *w, int wd)
{
	size_t lo = 0, hi = w->ndirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (w->dirs[mid].wd < wd)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct wdir *dir_find(struct watch *w, int wd)
{
	size_t i = dir_pos(w, wd);

	return i < w->ndirs && w->dirs[i].wd == wd && w->dirs[i].rel ? &w->dirs[i] : NULL;
}

static void dir_put(struct watch *w, int wd, const char *rel)
{
	size_t i = dir_pos(w, wd);
	struct wdir *d;

	if (i < w->ndirs && w->dirs[i].wd == wd) {
		d = &w->dirs[i];
		if (!d->rel)
			w->live++;
		free(d->rel);
	} else {
		if (w->ndirs == w->cap) {
			w->cap = w->cap ? w->cap * 2 : 64;
			w->dirs = xrealloc(w->dirs, w->cap * sizeof *w->dirs);
		}
		/* Only after descriptors wrap around is this not an append. */
		memmove(&w->dirs[i + 1], &w->dirs[i], (w->ndirs - i) * sizeof *w->dirs);
		w->ndirs++;
		w->live++;
		d = &w->dirs[i];
		d->wd = wd;
	}
	d->rel = xstrdup(rel);
	d->gen = w->gen;
}

static void dir_drop(struct watch *w, struct wdir *d)
{
	free(d->rel);
	d->rel = NULL;
	w->live--;
}

static void dir_compact(struct watch *w)
{
	size_t j = 0;

	if (w->ndirs - w->live < 64 || w->ndirs - w->live < w->live)
		return;
	for (size_t i = 0; i < w->ndirs; i++)
		if (w->dirs[i].rel)
			w->dirs[j++] = w->dirs[i];
	w->ndirs = j;
}

/* Unwatch rel and everything under it (it was renamed away). */
static void dir_drop_tree(struct watch *w, const char *rel)
{
	size_t n = strlen(rel);

	for (size_t i = 0; i < w->ndirs; i++) {
		const char *r = w->dirs[i].rel;

		if (r && strncmp(r, rel, n) == 0 && (r[n] == '\0' || r[n] == '/')) {
			inotify_rm_watch(w->fd, w->dirs[i].wd);
			dir_drop(w, &w->dirs[i]);
		}
	}
}

/* root + "/" + rel into out (PATH_MAX); -1 when it does not fit. */
static int abs_path(const struct watch *w, const char *rel, char *out)
{
	int n = rel[0] ? snprintf(out, PATH_MAX, "%s/%s", w->root, rel)
		       : snprintf(out, PATH_MAX, "%s", w->root);

	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* dir + "/" + name into out (PATH_MAX); -1 when it does not fit. */
static int join(char *out, const char *dir, const char *name)
{
	int n = dir[0] ? snprintf(out, PATH_MAX, "%s/%s", dir, name)
		       : snprintf(out, PATH_MAX, "%s", name);

	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

/* ---------------------------------------------------------------- what counts */

static int ends_with(const char *s, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && memcmp(s + len - n, suffix, n) == 0;
}

/* Editors' temporary, backup, swap and lock files (listed in watch.h). */
static int is_temp_name(const char *n)
{
	size_t len = strlen(n), i;

	if (len == 0 || n[len - 1] == '~')
		return 1;
	if (len > 1 && n[0] == '#' && n[len - 1] == '#')
		return 1;
	if (n[0] == '.' && n[1] == '#')
		return 1;
	if (ends_with(n, len, ".tmp") || ends_with(n, len, "___jb_tmp___") ||
	    ends_with(n, len, "___jb_old___") || strncmp(n, ".goutputstream-", 15) == 0)
		return 1;
	/* vim: .name.swp, then .swo ... .swa; .name.swpx probes the directory. */
	if (n[0] == '.' && len >= 4) {
		const char *e = ends_with(n, len, "x") ? n + len - 5 : n + len - 4;

		if (e > n && e[0] == '.' && e[1] == 's' && e[2] == 'w' && e[3] >= 'a' && e[3] <= 'p' &&
		    (e[4] == '\0' || (e[4] == 'x' && e[5] == '\0')))
			return 1;
	}
	/* vim's write probe: 4913, or 4913 + k * 123 when that exists. */
	for (i = 0; i < len && n[i] >= '0' && n[i] <= '9'; i++)
		;
	if (i == len && len >= 4 && len <= 9) {
		long v = atol(n);

		if (v >= 4913 && (v - 4913) % 123 == 0)
			return 1;
	}
	/* GNU sed -i: sed + mkostemp's six letters and digits (five taken
	 * too); BSD sed -i: .!PID!name. */
	if ((len == 8 || len == 9) && strncmp(n, "sed", 3) == 0) {
		for (i = 3; i < len && ((n[i] >= '0' && n[i] <= '9') ||
					(n[i] >= 'a' && n[i] <= 'z') || (n[i] >= 'A' && n[i] <= 'Z')); i++)
			;
		if (i == len)
			return 1;
	}
	if (n[0] == '.' && n[1] == '!')
		return 1;
	return 0;
}

/* The root's .gitignore, for a root outside any repository (the subset
 * is described in watch.h). */
static void load_patterns(struct watch *w)
{
	char path[PATH_MAX], line[PATH_MAX];
	size_t cap = 0;
	FILE *f;

	if (snprintf(path, sizeof path, "%s/.gitignore", w->root) >= (int)sizeof path)
		return;
	f = fopen(path, "re");
	if (!f)
		return;
	while (w->npats < PATTERNS_MAX && fgets(line, sizeof line, f)) {
		size_t len = strcspn(line, "\r\n");
		char *p = line;
		struct pattern pat = { 0 };

		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		p[len] = '\0';
		if (len == 0 || p[0] == '#' || p[0] == '!')
			continue;
		if (p[len - 1] == '/') {
			pat.dir_only = 1;
			p[--len] = '\0';
		}
		if (strncmp(p, "**/", 3) == 0)
			p += 3;
		else if (p[0] == '/')
			pat.anchored = 1, p++;
		else if (strchr(p, '/'))
			pat.anchored = 1;
		if (!*p)
			continue;
		pat.glob = xstrdup(p);
		if (w->npats == cap) {
			cap = cap ? cap * 2 : 16;
			w->pats = xrealloc(w->pats, cap * sizeof *w->pats);
		}
		w->pats[w->npats++] = pat;
	}
	fclose(f);
}

static int pattern_ignored(const struct watch *w, const char *rel, int is_dir)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	for (size_t i = 0; i < w->npats; i++) {
		const struct pattern *p = &w->pats[i];

		if (p->dir_only && !is_dir)
			continue;
		if (fnmatch(p->glob, p->anchored ? rel : base, p->anchored ? FNM_PATHNAME : 0) == 0)
			return 1;
	}
	return 0;
}

/* Whether rel (from the root) is left out: target/ at the root, any
 * .git, what git (or the fallback .gitignore) ignores. */
static int ignored(struct watch *w, const char *rel, int is_dir)
{
	const char *base = strrchr(rel, '/');

	base = base ? base + 1 : rel;
	if (strcmp(base, ".git") == 0 || strcmp(rel, "target") == 0)
		return 1;
	if (w->repo) {
		char path[PATH_MAX * 2];
		int ig = 0;

		/* libgit2 reads a trailing slash as "a directory", which
		 * dir-only patterns need even when it no longer exists. */
		snprintf(path, sizeof path, "%s%s%s", w->prefix, rel, is_dir ? "/" : "");
		if (git_ignore_path_is_ignored(&ig, w->repo, path) < 0)
			return 0;   /* when unsure, watch it */
		return ig == 1;
	}
	return pattern_ignored(w, rel, is_dir);
}

/* FNV-1a: the burst's path set keeps hashes, not paths. */
static uint64_t path_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h ? h : 1;
}

/* Add h to the burst's set; 1 when it was new (or the set is full). */
static int seen_add(struct watch *w, uint64_t h)
{
	size_t i;

	/* Half full at most, so a probe always ends; a full set stops
	 * growing and counts every further path as new. */
	if (w->nseen * 2 >= w->seen_cap && w->nseen < WATCH_DISTINCT_MAX) {
		size_t ncap = w->seen_cap ? w->seen_cap * 2 : 64;
		uint64_t *n = xcalloc(ncap, sizeof *n);

		for (size_t j = 0; j < w->seen_cap; j++) {
			if (!w->seen[j])
				continue;
			for (i = w->seen[j] & (ncap - 1); n[i]; i = (i + 1) & (ncap - 1))
				;
			n[i] = w->seen[j];
		}
		free(w->seen);
		w->seen = n;
		w->seen_cap = ncap;
	}
	for (i = h & (w->seen_cap - 1); w->seen[i]; i = (i + 1) & (w->seen_cap - 1))
		if (w->seen[i] == h)
			return 0;
	if (w->nseen >= WATCH_DISTINCT_MAX)
		return 1;
	w->seen[i] = h;
	w->nseen++;
	return 1;
}

static void note_change(struct watch *w, const char *rel)
{
	long long now = mono_ns();

	if (!w->first) {
		w->first = xstrdup(rel);
		w->first_ns = now;
	}
	w->last_ns = now;
	if (seen_add(w, path_hash(rel)))
		w->nchanged++;
}

static void burst_clear(struct watch *w)
{
	free(w->first);
	w->first = NULL;
	w->nchanged = 0;
	if (w->seen)
		memset(w->seen, 0, w->seen_cap * sizeof *w->seen);
	w->nseen = 0;
}

/* ---------------------------------------------------------------- walking */

/* Watch the directory rel: 1 watched, 0 skipped (gone, not a directory,
 * a symlink, no permission, too long), -1 at the watch limit or when
 * watching has stopped. */
static int add_one(struct watch *w, const char *rel)
{
	char abs[PATH_MAX];
	int wd;

	if (abs_path(w, rel, abs) < 0)
		return 0;
	wd = inotify_add_watch(w->fd, abs, WATCH_MASK);
	if (wd < 0) {
		if (errno == ENOSPC) {
			w->limit_hit = 1;
			return -1;
		}
		if (errno == ENOENT || errno == ENOTDIR || errno == EACCES || errno == ELOOP)
			return 0;
		fail(w, "watch: %s: %s; watching stopped", abs, strerror(errno));
		return -1;
	}
	dir_put(w, wd, rel);
	return 1;
}

static int is_dir_entry(DIR *d, const struct dirent *e)
{
	struct stat st;

	if (e->d_type != DT_UNKNOWN)
		return e->d_type == DT_DIR;
	/* Not following it: a symlinked directory is not a directory here. */
	return fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

/* Watch rel and every directory under it, breadth first (one directory
 * open at a time, whatever the depth).  count_files: each file found is a
 * change (a directory that appeared while watching).  At the watch limit
 * the walk goes on counting directories, for the message. */
static void walk(struct watch *w, const char *rel0, int count_files)
{
	struct strv q;

	strv_init(&q);
	strv_push(&q, rel0);
	for (size_t i = 0; i < q.n && !w->failed; i++) {
		const char *rel = q.v[i];
		char abs[PATH_MAX], child[PATH_MAX];
		struct dirent *e;
		DIR *d;

		if (w->limit_hit)
			w->limit_total++;
		else if (add_one(w, rel) <= 0 && !w->limit_hit)
			continue;
		else if (w->limit_hit)
			w->limit_total = w->live + 1;
		if (abs_path(w, rel, abs) < 0 || !(d = opendir(abs)))
			continue;
		while ((e = readdir(d))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
			    join(child, rel, e->d_name) < 0)
				continue;
			if (is_dir_entry(d, e)) {
				if (!ignored(w, child, 1))
					strv_push(&q, child);
			} else if (count_files && !w->limit_hit && !is_temp_name(e->d_name) &&
				   !ignored(w, child, 0)) {
				note_change(w, child);
			}
		}
		closedir(d);
	}
	strv_fini(&q);
	if (w->limit_hit && !w->failed)
		limit_message(w);
}

/* After an overflow: walk everything again, unwatch what it missed. */
static void rescan(struct watch *w)
{
	w->rescan = 0;
	w->gen++;
	walk(w, "", 0);
	for (size_t i = 0; i < w->ndirs && !w->failed; i++) {
		if (w->dirs[i].rel && w->dirs[i].gen != w->gen) {
			inotify_rm_watch(w->fd, w->dirs[i].wd);
			dir_drop(w, &w->dirs[i]);
		}
	}
}

/* ---------------------------------------------------------------- events */

static void root_gone(struct watch *w, uint32_t mask)
{
	const char *what = mask & IN_DELETE_SELF ? "was deleted"
			 : mask & IN_MOVE_SELF ? "was moved or renamed"
			 : mask & IN_UNMOUNT ? "was unmounted"
			 : "can no longer be watched";

	fail(w, "watch: %s %s; watching stopped", w->root, what);
}

/* A new regular file counts when its writer closes it (IN_CLOSE_WRITE),
 * not when it appears; a symlink, a hard link or a fifo has no close. */
static int wait_for_close(const struct watch *w, const char *rel)
{
	char abs[PATH_MAX];
	struct stat st;

	if (abs_path(w, rel, abs) < 0 || lstat(abs, &st) < 0)
		return 1;   /* gone again: its IN_DELETE follows */
	return S_ISREG(st.st_mode) && st.st_nlink == 1;
}

static void on_event(struct watch *w, const struct inotify_event *ev)
{
	int is_dir = (ev->mask & IN_ISDIR) != 0;
	char rel[PATH_MAX];
	struct wdir *d;

	if (ev->mask & IN_Q_OVERFLOW) {
		note_change(w, ".");
		w->rescan = 1;
		return;
	}
	d = dir_find(w, ev->wd);
	if (!d)
		return;   /* a watch already dropped */
	if (!d->rel[0] && (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT | IN_IGNORED))) {
		root_gone(w, ev->mask);
		return;
	}
	if (ev->mask & IN_IGNORED) {
		dir_drop(w, d);
		return;
	}
	/* A subdirectory's own deletion or move: its parent reports it. */
	if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_UNMOUNT) || ev->len == 0 || !ev->name[0])
		return;
	if (join(rel, d->rel, ev->name) < 0 || (!is_dir && is_temp_name(ev->name)) ||
	    ignored(w, rel, is_dir))
		return;
	if (is_dir) {
		if (ev->mask & IN_MOVED_FROM) {
			dir_drop_tree(w, rel);
			note_change(w, rel);
		} else if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
			walk(w, rel, 1);
		} else if (ev->mask & IN_DELETE) {
			note_change(w, rel);
		}
		return;
	}
	if ((ev->mask & IN_CREATE) && wait_for_close(w, rel))
		return;
	note_change(w, rel);
}

void watch_read(struct watch *w)
{
	char buf[64 * 1024] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (int round = 0; round < READ_ROUNDS; round++) {
		ssize_t n = read(w->fd, buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			fail(w, "watch: reading events for %s: %s; watching stopped", w->root,
			     n < 0 ? strerror(errno) : "end of file");
			break;
		}
		for (char *p = buf; p < buf + n && !w->failed;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;

			on_event(w, ev);
			p += sizeof *ev + ev->len;
		}
	}
	if (w->rescan && !w->failed)
		rescan(w);
	dir_compact(w);
}

/* ---------------------------------------------------------------- the API */

/* EMFILE from inotify_init1 is either this process's fd limit or the
 * user's inotify instance limit: say which. */
static void init_error(const char *root, struct cb_err *err)
{
	char key[64];
	long lim;
	int fd, e = errno;

	if (e != EMFILE) {
		errno = e;
		cb_err_sys(err, "watch: %s: inotify_init1", root);
		return;
	}
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errno = e;
		cb_err_sys(err, "watch: %s: inotify_init1 (the open file limit, ulimit -n)", root);
		return;
	}
	close(fd);
	lim = inotify_limit("max_user_instances", "max_inotify_instances", key, sizeof key);
	cb_err_set(err, CB_ERR_IO, "watch: the inotify instance limit (%s = %ld) is reached; "
		   "raise it with: sudo sysctl %s=%ld", key, lim, key, lim > 0 ? lim * 2 : 256);
	err->sys_errno = e;
}

/* Find the repository containing the root; a root outside any work tree
 * reads its own .gitignore instead. */
static int open_repo(struct watch *w, struct cb_err *err)
{
	char wd[PATH_MAX];
	const char *top;
	size_t n;
	int rc = git_repository_open_ext(&w->repo, w->root, 0, NULL);

	if (rc == GIT_ENOTFOUND) {
		w->repo = NULL;
		load_patterns(w);
		return 0;
	}
	if (rc < 0) {
		const git_error *e = git_error_last();

		w->repo = NULL;
		return cb_err_set(err, CB_ERR_LIB, "watch: git: %s: opening the repository: %s",
				  w->root, e && e->message ? e->message : "unknown error");
	}
	top = git_repository_workdir(w->repo);
	if (!top || !realpath(top, wd)) {
		/* bare, or a work tree we cannot name: no git ignores */
		git_repository_free(w->repo);
		w->repo = NULL;
		load_patterns(w);
		return 0;
	}
	n = strlen(wd);
	if (strcmp(wd, "/") == 0)
		n = 0;
	if (strncmp(w->root, wd, n) != 0 || (w->root[n] != '\0' && w->root[n] != '/')) {
		git_repository_free(w->repo);
		w->repo = NULL;
		load_patterns(w);
		return 0;
	}
	if (w->root[n] == '/')
		snprintf(w->prefix, sizeof w->prefix, "%s/", w->root + n + 1);
	return 0;
}

struct watch *watch_open(const char *root, struct cb_err *err)
{
	struct watch *w;
	struct stat st;

	cb_err_clear(err);
	w = xcalloc(1, sizeof *w);
	w->fd = -1;
	git_libgit2_init();
	if (!realpath(root, w->root)) {
		cb_err_sys(err, "watch: %s", root);
		goto fail;
	}
	if (stat(w->root, &st) < 0 || !S_ISDIR(st.st_mode)) {
		cb_err_set(err, CB_ERR_USAGE, "watch: %s is not a directory", w->root);
		goto fail;
	}
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		init_error(w->root, err);
		goto fail;
	}
	if (open_repo(w, err) < 0)
		goto fail;
	walk(w, "", 0);
	if (w->failed) {
		cb_err_set(err, CB_ERR_IO, "%s", w->errmsg);
		err->sys_errno = w->limit_hit ? ENOSPC : 0;
		goto fail;
	}
	if (w->live == 0) {
		cb_err_set(err, CB_ERR_IO, "watch: %s could not be watched", w->root);
		goto fail;
	}
	return w;
fail:
	watch_close(w);
	return NULL;
}

int watch_fd(const struct watch *w)
{
	return w->fd;
}

static long long due_ns(const struct watch *w)
{
	long long a = w->last_ns + WATCH_DEBOUNCE_MS * MS;
	long long b = w->first_ns + WATCH_MAX_DELAY_MS * MS;

	return a < b ? a : b;
}

int watch_timeout_ms(const struct watch *w)
{
	long long left;

	if (w->failed)
		return w->failed_told ? -1 : 0;
	if (!w->first)
		return -1;
	left = due_ns(w) - mono_ns();
	if (left <= 0)
		return 0;
	return (int)((left + MS - 1) / MS);
}

int watch_take(struct watch *w, char **first, size_t *nchanged)
{
	if (w->failed) {
		w->failed_told = 1;
		burst_clear(w);
		return -1;
	}
	if (!w->first || mono_ns() < due_ns(w))
		return 0;
	*first = w->first;
	*nchanged = w->nchanged;
	w->first = NULL;
	burst_clear(w);
	return 1;
}

const char *watch_error(const struct watch *w)
{
	return w->failed ? w->errmsg : NULL;
}

size_t watch_count(const struct watch *w)
{
	return w->live;
}

void watch_close(struct watch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->ndirs; i++)
		free(w->dirs[i].rel);
	free(w->dirs);
	for (size_t i = 0; i < w->npats; i++)
		free(w->pats[i].glob);
	free(w->pats);
	free(w->first);
	free(w->seen);
	if (w->fd >= 0)
		close(w->fd);   /* closing removes every watch */
	if (w->repo)
		git_repository_free(w->repo);
	git_libgit2_shutdown();
	free(w);
}
