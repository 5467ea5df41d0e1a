/* since.c - what changed since a target last built (since.h).
 *
 * The history gives the last passed build and its commit; libgit2 gives
 * the files changed from that commit's tree to the work tree (committed
 * and uncommitted alike, untracked files too), limited to the project's
 * directory.  Cargo.lock is read at both ends and compared package by
 * package.  No git subprocess runs: the project is not trusted yet when
 * this is asked, and a repository's config could name programs.
 */
#include "since.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <jansson.h>

#include "file.h"
#include "jsontext.h"

/* ------------------------------------------------------------ history */

struct scan {
	const char *triple, *profile;
	struct since *s;
	struct history_entry last_green;
	int have_green;
};

static int scan_entry(void *arg, const struct history_entry *e)
{
	struct scan *sc = arg;

	if (strcmp(e->triple, sc->triple) || strcmp(e->profile, sc->profile))
		return 0;
	if (!strcmp(e->status, "passed")) {
		sc->last_green = *e;
		sc->have_green = 1;
		sc->s->failing = 0;
	} else if (!strcmp(e->status, "failed") || !strcmp(e->status, "timeout")) {
		sc->s->current = *e;
		sc->s->failing = 1;
	}
	/* A cancelled build says nothing about what works. */
	return 0;
}

/* ------------------------------------------------------------ files */

/* Where a path ranks among the usual suspects (lower first); 100: none. */
static int suspect_rank(const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!strcmp(base, "Cargo.toml"))
		return 1;
	if (!strcmp(base, "Cargo.lock"))
		return 0;
	if (!strcmp(base, "build.rs"))
		return 2;
	if ((!strcmp(base, "config.toml") || !strcmp(base, "config")) &&
	    (base - path >= 7 && !strncmp(base - 7, ".cargo/", 7)))
		return 3;
	if (!strncmp(base, "rust-toolchain", 14))
		return 4;
	if (!strcmp(base, ".crossbench") || !strncmp(path, ".crossbench-rules/", 18) ||
	    strstr(path, "/.crossbench-rules/"))
		return 5;
	return 100;
}

static int cmp_file(const void *a, const void *b)
{
	const struct since_file *x = a, *y = b;
	int rx = suspect_rank(x->path), ry = suspect_rank(y->path);

	if (rx != ry)
		return rx - ry;
	return strcmp(x->path, y->path);
}

static char status_char(git_delta_t st)
{
	switch (st) {
	case GIT_DELTA_ADDED: return 'A';
	case GIT_DELTA_DELETED: return 'D';
	case GIT_DELTA_RENAMED: return 'R';
	case GIT_DELTA_UNTRACKED: return '?';
	case GIT_DELTA_TYPECHANGE: return 'T';
	default: return 'M';
	}
}

/* ------------------------------------------------------------ Cargo.lock */

struct lockpkg {
	char *name, *version;
};

/* The value of `key = "value"` on one line, or NULL. */
static char *lock_value(const char *line, size_t len, const char *key)
{
	size_t kl = strlen(key), i;
	const char *q, *e;

	if (len < kl + 4 || memcmp(line, key, kl))
		return NULL;
	for (i = kl; i < len && line[i] == ' '; i++)
		;
	if (i >= len || line[i] != '=')
		return NULL;
	q = memchr(line + i, '"', len - i);
	if (!q)
		return NULL;
	e = memchr(q + 1, '"', (size_t)(line + len - q - 1));
	if (!e)
		return NULL;
	return xstrndup(q + 1, (size_t)(e - q - 1));
}

static struct lockpkg *lock_parse(const char *t, size_t len, size_t *n)
{
	struct lockpkg *v = NULL, cur = { NULL, NULL };
	size_t cap = 0;
	int in_pkg = 0;

	*n = 0;
	for (const char *p = t, *end = t + len;;) {
		int last = p >= end;
		const char *nl = last ? NULL : memchr(p, '\n', (size_t)(end - p));
		size_t l = last ? 0 : nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *line = p;

		if (l && line[l - 1] == '\r')
			l--;
		if (last || (l && line[0] == '[')) {
			if (in_pkg && cur.name && cur.version) {
				if (*n == cap) {
					cap = cap ? cap * 2 : 64;
					v = xrealloc(v, cap * sizeof *v);
				}
				v[(*n)++] = cur;
			} else {
				free(cur.name);
				free(cur.version);
			}
			cur.name = cur.version = NULL;
			in_pkg = l >= 11 && !memcmp(line, "[[package]]", 11);
		} else if (in_pkg) {
			char *x;

			if (!cur.name && (x = lock_value(line, l, "name")))
				cur.name = x;
			else if (!cur.version && (x = lock_value(line, l, "version")))
				cur.version = x;
		}
		if (last)
			break;
		p = nl ? nl + 1 : end;
	}
	return v;
}

static int cmp_lockpkg(const void *a, const void *b)
{
	const struct lockpkg *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->version, y->version);
}

static void push_pkg(struct since_pkg **out, size_t *n, const char *name,
		     const char *from, const char *to)
{
	*out = xrealloc(*out, (*n + 1) * sizeof **out);
	(*out)[*n].name = xstrdup(name);
	(*out)[*n].from = from ? xstrdup(from) : NULL;
	(*out)[*n].to = to ? xstrdup(to) : NULL;
	(*n)++;
}

void since_lock_diff(const char *old, size_t oldlen, const char *new_,
		     size_t newlen, struct since_pkg **out, size_t *n)
{
	size_t no, nn, i = 0, j = 0;
	struct lockpkg *o = lock_parse(old, oldlen, &no), *w = lock_parse(new_, newlen, &nn);

	*out = NULL;
	*n = 0;
	if (no)
		qsort(o, no, sizeof *o, cmp_lockpkg);
	if (nn)
		qsort(w, nn, sizeof *w, cmp_lockpkg);
	/* By name: the versions only one side has, as a bump (cc 1.0.73 ->
	 * 1.0.79) or each as new or gone. */
	while (i < no || j < nn) {
		const char *name = i < no && (j >= nn || strcmp(o[i].name, w[j].name) <= 0)
				   ? o[i].name : w[j].name;
		size_t i2 = i, j2 = j, a, b;
		const char *only_o[16], *only_w[16];
		size_t ko = 0, kw = 0;

		while (i2 < no && !strcmp(o[i2].name, name))
			i2++;
		while (j2 < nn && !strcmp(w[j2].name, name))
			j2++;
		for (a = i; a < i2; a++) {
			for (b = j; b < j2 && strcmp(o[a].version, w[b].version); b++)
				;
			if (b == j2 && ko < 16)
				only_o[ko++] = o[a].version;
		}
		for (b = j; b < j2; b++) {
			for (a = i; a < i2 && strcmp(o[a].version, w[b].version); a++)
				;
			if (a == i2 && kw < 16)
				only_w[kw++] = w[b].version;
		}
		/* A bump only when each side has one version of it: with
		 * several (syn 1 and syn 2), pairing them would be a guess. */
		if (ko == 1 && kw == 1 && i2 - i == 1 && j2 - j == 1) {
			push_pkg(out, n, name, only_o[0], only_w[0]);
		} else {
			for (a = 0; a < ko; a++)
				push_pkg(out, n, name, only_o[a], NULL);
			for (b = 0; b < kw; b++)
				push_pkg(out, n, name, NULL, only_w[b]);
		}
		i = i2;
		j = j2;
	}
	for (i = 0; i < no; i++) {
		free(o[i].name);
		free(o[i].version);
	}
	for (j = 0; j < nn; j++) {
		free(w[j].name);
		free(w[j].version);
	}
	free(o);
	free(w);
}

/* ------------------------------------------------------------ toolchain */

static int names_program(const char *key)
{
	size_t l = strlen(key);

	if (!strcmp(key, "RUSTC") || !strcmp(key, "RUSTC_WRAPPER") ||
	    !strcmp(key, "CC") || !strcmp(key, "CXX") || !strcmp(key, "AR"))
		return 1;
	if (!strncmp(key, "CC_", 3) || !strncmp(key, "CXX_", 4) || !strncmp(key, "AR_", 3))
		return 1;
	if (!strncmp(key, "CARGO_TARGET_", 13) &&
	    ((l > 7 && !strcmp(key + l - 7, "_LINKER")) ||
	     (l > 7 && !strcmp(key + l - 7, "_RUNNER"))))
		return 1;
	return 0;
}

/* The file PATH (from env) finds for a program's first word; "" if none. */
static void locate(const char *prog, const struct strv *env, char *out, size_t n)
{
	const char *path = "/usr/local/bin:/usr/bin:/bin";
	struct stat st;
	char word[1024];

	out[0] = '\0';
	snprintf(word, sizeof word, "%.*s", (int)strcspn(prog, " \t"), prog);
	if (!word[0])
		return;
	for (size_t i = 0; env && i < env->n; i++)
		if (!strncmp(env->v[i], "PATH=", 5))
			path = env->v[i] + 5;
	if (strchr(word, '/')) {
		if (stat(word, &st) == 0)
			snprintf(out, n, "%s@%lld.%lld", word, (long long)st.st_size,
				 (long long)st.st_mtime);
		return;
	}
	for (const char *p = path; *p;) {
		size_t l = strcspn(p, ":");
		char cand[4096];

		snprintf(cand, sizeof cand, "%.*s/%s", (int)l, l ? p : ".", word);
		if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111)) {
			snprintf(out, n, "%s@%lld.%lld", cand, (long long)st.st_size,
				 (long long)st.st_mtime);
			return;
		}
		p += l;
		if (*p)
			p++;
	}
}

static void print_one(struct buf *out, const char *key, const char *value,
		      const struct strv *env)
{
	char where[4200];

	locate(value, env, where, sizeof where);
	if (out->len)
		buf_putc(out, ';');
	/* ';' and '=' inside a value would split it: they become spaces. */
	buf_printf(out, "%s=", key);
	for (const char *c = value; *c; c++)
		buf_putc(out, *c == ';' || *c == '\t' || *c == '\n' ? ' ' : *c);
	buf_printf(out, "=%s", where);
}

void since_toolchain_print(const char *cargo, const struct strv *env, struct buf *out)
{
	int have_rustc = 0;

	buf_reset(out);
	buf_puts(out, "");
	if (cargo)
		print_one(out, "cargo", cargo, env);
	for (size_t i = 0; env && i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		char key[256];

		if (!eq || (size_t)(eq - env->v[i]) >= sizeof key)
			continue;
		snprintf(key, sizeof key, "%.*s", (int)(eq - env->v[i]), env->v[i]);
		if (!names_program(key) || !eq[1])
			continue;
		have_rustc |= !strcmp(key, "RUSTC");
		print_one(out, key, eq + 1, env);
	}
	/* cargo runs the rustc PATH finds when nothing names one. */
	if (!have_rustc)
		print_one(out, "RUSTC", "rustc", env);
}

struct tc_item {
	char key[256], value[1024], where[4200];
};

static size_t tc_parse(const char *fp, struct tc_item **out)
{
	size_t n = 0;

	*out = NULL;
	for (const char *p = fp; p && *p;) {
		size_t l = strcspn(p, ";");
		const char *e1 = memchr(p, '=', l), *e2 = e1 ? memchr(e1 + 1, '=', (size_t)(p + l - e1 - 1)) : NULL;

		if (e1 && e2) {
			struct tc_item *it;

			*out = xrealloc(*out, (n + 1) * sizeof **out);
			it = &(*out)[n++];
			snprintf(it->key, sizeof it->key, "%.*s", (int)(e1 - p), p);
			snprintf(it->value, sizeof it->value, "%.*s", (int)(e2 - e1 - 1), e1 + 1);
			snprintf(it->where, sizeof it->where, "%.*s", (int)(p + l - e2 - 1), e2 + 1);
		}
		p += l;
		if (*p)
			p++;
	}
	return n;
}

/* "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER" reads as "linker". */
static const char *tc_name(const char *key, char *tmp, size_t n)
{
	size_t l = strlen(key);

	if (!strncmp(key, "CARGO_TARGET_", 13) && l > 7 && !strcmp(key + l - 7, "_LINKER"))
		return "linker";
	if (!strncmp(key, "CARGO_TARGET_", 13) && l > 7 && !strcmp(key + l - 7, "_RUNNER"))
		return "runner";
	if (!strcmp(key, "RUSTC"))
		return "rustc";
	if (!strncmp(key, "CC_", 3) || !strcmp(key, "CC"))
		return "cc";
	if (!strncmp(key, "CXX_", 4) || !strcmp(key, "CXX"))
		return "cxx";
	if (!strncmp(key, "AR_", 3) || !strcmp(key, "AR"))
		return "ar";
	snprintf(tmp, n, "%s", key);
	return tmp;
}

/* The index of the program named key in v, or n. */
static size_t tc_find(const struct tc_item *v, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n && strcmp(v[i].key, key); i++)
		;
	return i;
}

static const char *where_path(const char *where, char *tmp, size_t n)
{
	snprintf(tmp, n, "%.*s", (int)strcspn(where, "@"), where);
	return tmp;
}

void since_toolchain_diff(const char *old, const char *new_, struct strv *out)
{
	struct tc_item *o, *w;
	size_t no, nw;
	char t1[256], p1[4200], p2[4200];

	/* A build recorded before fingerprints: nothing to compare. */
	if (!old || !*old || !new_ || !*new_)
		return;
	no = tc_parse(old, &o);
	nw = tc_parse(new_, &w);
	for (size_t j = 0; j < nw; j++) {
		size_t i = tc_find(o, no, w[j].key);

		if (i == no)
			strv_pushf(out, "%s: %s (not set before)",
				   tc_name(w[j].key, t1, sizeof t1), w[j].value);
		else if (strcmp(o[i].value, w[j].value))
			strv_pushf(out, "%s: %s -> %s", tc_name(w[j].key, t1, sizeof t1),
				   o[i].value, w[j].value);
		else if (strcmp(o[i].where, w[j].where)) {
			if (!w[j].where[0])
				strv_pushf(out, "%s: %s is no longer found",
					   tc_name(w[j].key, t1, sizeof t1), w[j].value);
			else if (strcmp(where_path(o[i].where, p1, sizeof p1),
					where_path(w[j].where, p2, sizeof p2)))
				strv_pushf(out, "%s: %s is now %s (was %s)",
					   tc_name(w[j].key, t1, sizeof t1), w[j].value,
					   p2, o[i].where[0] ? p1 : "not found");
			else
				strv_pushf(out, "%s: %s was replaced (a new file since: upgraded?)",
					   tc_name(w[j].key, t1, sizeof t1), p2);
		}
	}
	for (size_t i = 0; i < no; i++)
		if (tc_find(w, nw, o[i].key) == nw)
			strv_pushf(out, "%s: %s (no longer set)",
				   tc_name(o[i].key, t1, sizeof t1), o[i].value);
	free(o);
	free(w);
}

/* ------------------------------------------------------------ git */

static int lib_err(struct cb_err *err, const char *where, const char *what)
{
	const git_error *e = git_error_last();

	return cb_err_set(err, CB_ERR_LIB, "git: %s: %s: %s", where, what,
			  e && e->message ? e->message : "unknown error");
}

/* The project directory relative to the work tree's top ("" at the top),
 * for a pathspec; -1 when it is not inside. */
static int rel_dir(const char *workdir, const char *project_dir, char *out, size_t n)
{
	char a[4096], b[4096];
	size_t l;

	if (!realpath(workdir, a) || !realpath(project_dir, b))
		return -1;
	l = strlen(a);
	if (strncmp(a, b, l) || (b[l] && b[l] != '/'))
		return -1;
	snprintf(out, n, "%s", b[l] ? b + l + 1 : "");
	return 0;
}

static void lock_changes(git_repository *repo, git_tree *tree, const char *path,
			 struct since *s)
{
	const char *wd = git_repository_workdir(repo);
	git_tree_entry *te = NULL;
	git_blob *blob = NULL;
	const char *old = "";
	size_t oldlen = 0;
	char *full = xasprintf("%s%s", wd, path);
	struct buf now;
	struct cb_err err;
	struct since_pkg *p;
	size_t np;

	if (git_tree_entry_bypath(&te, tree, path) == 0 &&
	    git_blob_lookup(&blob, repo, git_tree_entry_id(te)) == 0) {
		old = git_blob_rawcontent(blob);
		oldlen = (size_t)git_blob_rawsize(blob);
	}
	buf_init(&now);
	/* A deleted Cargo.lock reads as empty: every package gone. */
	if (file_read_all(full, &now, &err) < 0)
		buf_reset(&now);
	since_lock_diff(old, oldlen, now.data ? now.data : "", now.len, &p, &np);
	s->pkgs = xrealloc(s->pkgs, (s->npkgs + np + 1) * sizeof *s->pkgs);
	memcpy(s->pkgs + s->npkgs, p, np * sizeof *p);
	s->npkgs += np;
	free(p);
	buf_fini(&now);
	free(full);
	git_blob_free(blob);
	git_tree_entry_free(te);
}

static int compare(git_repository *repo, const char *project_dir, struct since *s,
		   struct cb_err *err)
{
	const char *wd = git_repository_workdir(repo);
	git_oid oid, head;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_revwalk *walk = NULL;
	char rel[4096];
	struct strv spec;
	int rc = 0;

	if (!wd)
		return 0;
	if (git_oid_fromstr(&oid, s->green.commit) < 0 ||
	    git_commit_lookup(&commit, repo, &oid) < 0) {
		snprintf(s->note, sizeof s->note,
			 "its commit %s is not in this repository (a shallow clone, or history rewritten)",
			 s->green_short);
		return 0;
	}
	s->reachable = 1;
	if (git_commit_tree(&tree, commit) < 0) {
		rc = lib_err(err, wd, "reading the last green commit's tree");
		goto out;
	}
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS |
		     GIT_DIFF_IGNORE_SUBMODULES;
	strv_init(&spec);
	if (rel_dir(wd, project_dir, rel, sizeof rel) == 0 && rel[0]) {
		/* The project's own tree, and what cargo reads from the
		 * directories above it: a workspace root's Cargo.toml and
		 * Cargo.lock, every ancestor's .cargo/config, the toolchain
		 * file. */
		static const char *const above[] = {
			"Cargo.toml", "Cargo.lock", ".cargo/config.toml", ".cargo/config",
			"rust-toolchain", "rust-toolchain.toml",
		};
		size_t l = strlen(rel);

		strv_pushf(&spec, "%s/", rel);
		for (;;) {
			while (l > 0 && rel[l - 1] != '/')
				l--;
			for (size_t k = 0; k < sizeof above / sizeof *above; k++)
				strv_pushf(&spec, "%.*s%s", (int)l, rel, above[k]);
			if (l == 0)
				break;
			l--;   /* past the slash: the next directory up */
		}
		opts.pathspec.strings = spec.v;
		opts.pathspec.count = spec.n;
		opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	}
	if (git_diff_tree_to_workdir_with_index(&diff, repo, tree, &opts) < 0) {
		rc = lib_err(err, wd, "comparing the last green commit with the work tree");
		goto out;
	}
	git_diff_find_similar(diff, NULL);
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
		struct since_file *f;

		if (!path)
			continue;
		/* crossbench's own output is not a change anyone made. */
		if (strstr(path, "target/crossbench/") == path || strstr(path, "/target/crossbench/"))
			continue;
		s->files = xrealloc(s->files, (s->nfiles + 1) * sizeof *s->files);
		f = &s->files[s->nfiles++];
		f->status = status_char(d->status);
		f->path = xstrdup(path);
		f->suspect = suspect_rank(path) < 100;
	}
	if (s->nfiles)
		qsort(s->files, s->nfiles, sizeof *s->files, cmp_file);
	for (size_t i = 0; i < s->nfiles; i++) {
		const char *base = strrchr(s->files[i].path, '/');

		base = base ? base + 1 : s->files[i].path;
		if (!strcmp(base, "Cargo.lock"))
			lock_changes(repo, tree, s->files[i].path, s);
	}
	/* How many commits since: HEAD's ancestors that are not green's. */
	if (git_reference_name_to_id(&head, repo, "HEAD") == 0 &&
	    git_revwalk_new(&walk, repo) == 0 && git_revwalk_push(walk, &head) == 0 &&
	    git_revwalk_hide(walk, &oid) == 0) {
		git_oid c;

		while (s->commits < 100000 && git_revwalk_next(&c, walk) == 0)
			s->commits++;
	}
out:
	git_revwalk_free(walk);
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(commit);
	strv_fini(&spec);
	return rc;
}

int since_last_green(const char *project_dir, const char *triple,
		     const char *profile, struct since *s, struct cb_err *err)
{
	struct scan sc = { triple, profile, s, { 0 }, 0 };
	git_repository *repo = NULL;
	int rc;

	memset(s, 0, sizeof *s);
	strv_init(&s->toolchain);
	cb_err_clear(err);
	if (history_each(project_dir, scan_entry, &sc, err) < 0)
		return -1;
	if (git_libgit2_init() < 0)
		return lib_err(err, project_dir, "starting libgit2");
	rc = git_repository_open_ext(&repo, project_dir, 0, NULL);
	if (rc == 0 && git_repository_is_bare(repo)) {
		git_repository_free(repo);
		repo = NULL;
		rc = GIT_ENOTFOUND;
	}
	if (rc < 0 && rc != GIT_ENOTFOUND) {
		rc = lib_err(err, project_dir, "opening the repository");
		goto out;
	}
	s->has_repo = rc == 0;
	rc = 0;
	if (!s->failing)
		goto out;
	if (!sc.have_green) {
		snprintf(s->note, sizeof s->note, "no passed build of %s (%s) is recorded",
			 triple, profile);
		goto out;
	}
	s->found = 1;
	s->green = sc.last_green;
	snprintf(s->green_short, sizeof s->green_short, "%.7s", s->green.commit);
	since_toolchain_diff(s->green.toolchain, s->current.toolchain, &s->toolchain);
	if (!s->has_repo) {
		snprintf(s->note, sizeof s->note, "not a git repository");
		goto out;
	}
	if (!s->green.commit[0]) {
		snprintf(s->note, sizeof s->note, "it was built with no commit recorded");
		goto out;
	}
	rc = compare(repo, project_dir, s, err);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	return rc < 0 ? -1 : 0;
}

void since_fini(struct since *s)
{
	for (size_t i = 0; i < s->nfiles; i++)
		free(s->files[i].path);
	free(s->files);
	for (size_t i = 0; i < s->npkgs; i++) {
		free(s->pkgs[i].name);
		free(s->pkgs[i].from);
		free(s->pkgs[i].to);
	}
	free(s->pkgs);
	strv_fini(&s->toolchain);
	memset(s, 0, sizeof *s);
}

void since_ago(time_t then, time_t now, struct buf *out)
{
	long long d = (long long)(now - then);
	static const struct { long long s; const char *one, *many; } units[] = {
		{ 86400 * 365, "a year", "years" }, { 86400 * 30, "a month", "months" },
		{ 86400 * 7, "a week", "weeks" }, { 86400, "a day", "days" },
		{ 3600, "an hour", "hours" }, { 60, "a minute", "minutes" },
	};

	if (d < 60) {
		buf_puts(out, "just now");
		return;
	}
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (d >= units[i].s) {
			long long k = d / units[i].s;

			if (k == 1)
				buf_printf(out, "%s ago", units[i].one);
			else
				buf_printf(out, "%lld %s ago", k, units[i].many);
			return;
		}
}

void since_headline(const struct since *s, time_t now, struct buf *out)
{
	if (!s->failing)
		return;
	if (!s->found) {
		buf_puts(out, s->note);
		return;
	}
	buf_printf(out, "last passed at %s (", s->green_short[0] ? s->green_short : "no commit");
	since_ago(s->green.when, now, out);
	buf_puts(out, ")");
	if (s->green.dirty)
		buf_puts(out, " with uncommitted changes");
	if (!s->reachable) {
		if (s->note[0])
			buf_printf(out, "; %s", s->note);
	} else if (s->nfiles == 0) {
		buf_puts(out, ", no file changed since");
	} else {
		buf_printf(out, ", %zu file%s changed since", s->nfiles, s->nfiles == 1 ? "" : "s");
		if (s->commits)
			buf_printf(out, " (%u commit%s)", s->commits, s->commits == 1 ? "" : "s");
	}
}

/* ------------------------------------------------------------ JSON */

static json_t *when_json(time_t when)
{
	char day[48];
	struct tm tm;

	gmtime_r(&when, &tm);
	strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return json_string(day);
}

json_t *since_to_json(const struct since *s)
{
	json_t *o = json_object(), *files = json_array(), *pkgs = json_array();

	if (s->found) {
		json_t *g = json_object();

		json_object_set_new(g, "commit", s->green.commit[0] ? json_string(s->green.commit)
								     : json_null());
		json_object_set_new(g, "when", when_json(s->green.when));
		json_object_set_new(g, "dirty", json_boolean(s->green.dirty));
		json_object_set_new(g, "log", jsontext(s->green.log));
		json_object_set_new(o, "last_green", g);
	} else {
		json_object_set_new(o, "last_green", json_null());
	}
	json_object_set_new(o, "commits", json_integer(s->commits));
	for (size_t i = 0; i < s->nfiles; i++) {
		json_t *f = json_object();
		char st[2] = { s->files[i].status, 0 };

		json_object_set_new(f, "path", jsontext(s->files[i].path));
		json_object_set_new(f, "status", json_string(st));
		json_object_set_new(f, "suspect", json_boolean(s->files[i].suspect));
		json_array_append_new(files, f);
	}
	json_object_set_new(o, "changed", files);
	for (size_t i = 0; i < s->npkgs; i++) {
		json_t *p = json_object();

		json_object_set_new(p, "name", jsontext(s->pkgs[i].name));
		json_object_set_new(p, "from", jsontext_or_null(s->pkgs[i].from));
		json_object_set_new(p, "to", jsontext_or_null(s->pkgs[i].to));
		json_array_append_new(pkgs, p);
	}
	json_object_set_new(o, "packages", pkgs);
	json_object_set_new(o, "toolchain", jsontext_array(&s->toolchain));
	json_object_set_new(o, "note", s->note[0] ? jsontext(s->note) : json_null());
	return o;
}

/* ------------------------------------------------------------ ranges */

struct since_range {
	git_repository *repo;
	git_oid base;
};

struct since_range *since_range_open(const char *project_dir, const char *rev,
				     struct cb_err *err)
{
	struct since_range *r = xcalloc(1, sizeof *r);
	git_object *obj = NULL;
	git_commit *c = NULL;

	cb_err_clear(err);
	if (git_libgit2_init() < 0) {
		lib_err(err, project_dir, "starting libgit2");
		free(r);
		return NULL;
	}
	if (git_repository_open_ext(&r->repo, project_dir, 0, NULL) < 0) {
		cb_err_set(err, CB_ERR_USAGE, "%s is not in a git repository: --since needs one",
			   project_dir);
		goto fail;
	}
	if (git_revparse_single(&obj, r->repo, rev) < 0 ||
	    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0) {
		cb_err_set(err, CB_ERR_USAGE, "--since %s: no such commit in %s", rev,
			   git_repository_workdir(r->repo) ? git_repository_workdir(r->repo)
							   : project_dir);
		goto fail;
	}
	git_oid_cpy(&r->base, git_commit_id(c));
	git_commit_free(c);
	git_object_free(obj);
	return r;
fail:
	git_object_free(obj);
	git_repository_free(r->repo);
	git_libgit2_shutdown();
	free(r);
	return NULL;
}

int since_range_has(struct since_range *r, const char *commit)
{
	git_oid oid;

	if (!commit || !*commit || git_oid_fromstr(&oid, commit) < 0)
		return 0;
	if (git_oid_equal(&oid, &r->base))
		return 1;
	return git_graph_descendant_of(r->repo, &oid, &r->base) == 1;
}

void since_range_close(struct since_range *r)
{
	if (!r)
		return;
	git_repository_free(r->repo);
	git_libgit2_shutdown();
	free(r);
}

void since_files_text(const struct since *s, size_t max, struct buf *out)
{
	size_t n = s->nfiles < max ? s->nfiles : max;

	for (size_t i = 0; i < n; i++) {
		const char *path = s->files[i].path, *base = strrchr(path, '/');

		buf_printf(out, "%s%s", i ? ", " : "", path);
		if (strcmp(base ? base + 1 : path, "Cargo.lock") || !s->npkgs)
			continue;
		buf_puts(out, " (");
		for (size_t k = 0; k < s->npkgs && k < 6; k++) {
			const struct since_pkg *p = &s->pkgs[k];

			if (k)
				buf_puts(out, ", ");
			if (p->from && p->to)
				buf_printf(out, "%s %s -> %s", p->name, p->from, p->to);
			else if (p->to)
				buf_printf(out, "+ %s %s", p->name, p->to);
			else
				buf_printf(out, "- %s %s", p->name, p->from);
		}
		if (s->npkgs > 6)
			buf_printf(out, ", %zu more", s->npkgs - 6);
		buf_putc(out, ')');
	}
	if (s->nfiles > n)
		buf_printf(out, " and %zu more", s->nfiles - n);
	for (size_t i = 0; i < s->toolchain.n; i++)
		buf_printf(out, "%s%s", i ? ", " : s->nfiles ? "; toolchain: " : "toolchain: ",
			   s->toolchain.v[i]);
}
