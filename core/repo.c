/* repo.c - the project's git state through libgit2.
 *
 * Each call opens the repository, reads what it needs and closes it again:
 * the header line asks rarely, and a fresh open never shows a stale HEAD.
 * libgit2 is initialised and shut down around every call, like config.c
 * does around a config's life; the library keeps a reference count, so
 * this nests with any other user.
 */
#include "repo.h"

#include <stdio.h>
#include <string.h>

#include <git2.h>

/* libgit2's last error as ours, naming the repository. */
static int lib_err(struct cb_err *err, const char *where, const char *what)
{
	const git_error *e = git_error_last();

	return cb_err_set(err, CB_ERR_LIB, "git: %s: %s: %s", where, what,
			  e && e->message ? e->message : "unknown error");
}

/* Open the repository containing dir, searching upward.  1 when there
 * is one with a work tree, 0 when there is none (or it is bare), -1 on
 * a libgit2 failure. */
static int open_repo(const char *dir, git_repository **repo, struct cb_err *err)
{
	int rc = git_repository_open_ext(repo, dir, 0, NULL);

	if (rc == GIT_ENOTFOUND) {
		*repo = NULL;
		return 0;
	}
	if (rc < 0) {
		*repo = NULL;
		return lib_err(err, dir, "opening the repository");
	}
	if (git_repository_is_bare(*repo)) {
		git_repository_free(*repo);
		*repo = NULL;
		return 0;
	}
	return 1;
}

/* The branch HEAD points at when it has no commit yet ("main" of
 * refs/heads/main), read from the symbolic reference itself. */
static void unborn_branch(git_repository *repo, char *out, size_t n)
{
	git_reference *head = NULL;
	const char *target;

	out[0] = '\0';
	if (git_reference_lookup(&head, repo, "HEAD") < 0)
		return;
	target = git_reference_symbolic_target(head);
	if (target) {
		if (strncmp(target, "refs/heads/", 11) == 0)
			target += 11;
		snprintf(out, n, "%s", target);
	}
	git_reference_free(head);
}

static int is_dirty(git_repository *repo, int *dirty, struct cb_err *err)
{
	git_status_options opts;
	git_status_list *list = NULL;

	/* Untracked directories count once without being walked, and
	 * submodules are left alone: both can be slow, and any entry is
	 * enough to say "dirty". */
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		     GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, repo, &opts) < 0)
		return lib_err(err, git_repository_workdir(repo), "reading the status");
	*dirty = git_status_list_entrycount(list) > 0;
	git_status_list_free(list);
	return 0;
}

static int read_status(git_repository *repo, struct repo_status *st,
		       struct cb_err *err)
{
	const char *wd = git_repository_workdir(repo);
	git_reference *head = NULL;
	const git_oid *oid;
	size_t len;
	int rc;

	st->has_repo = 1;
	st->worktree = git_repository_is_worktree(repo) == 1;
	snprintf(st->workdir, sizeof st->workdir, "%s", wd ? wd : "");
	/* libgit2 ends it with a slash; the header line does not want it. */
	len = strlen(st->workdir);
	if (len > 1 && st->workdir[len - 1] == '/')
		st->workdir[len - 1] = '\0';

	rc = git_repository_head_unborn(repo);
	if (rc < 0)
		return lib_err(err, st->workdir, "reading HEAD");
	if (rc == 1) {
		st->unborn = 1;
		unborn_branch(repo, st->branch, sizeof st->branch);
		return is_dirty(repo, &st->dirty, err);
	}
	rc = git_repository_head_detached(repo);
	if (rc < 0)
		return lib_err(err, st->workdir, "reading HEAD");
	st->detached = rc;
	if (git_repository_head(&head, repo) < 0)
		return lib_err(err, st->workdir, "reading HEAD");
	if (!st->detached)
		snprintf(st->branch, sizeof st->branch, "%s",
			 git_reference_shorthand(head));
	oid = git_reference_target(head);
	if (oid)
		git_oid_tostr(st->head, 8, oid);   /* 7 hex digits and a NUL */
	git_reference_free(head);
	return is_dirty(repo, &st->dirty, err);
}

int repo_status(const char *dir, struct repo_status *st, struct cb_err *err)
{
	git_repository *repo;
	int rc;

	memset(st, 0, sizeof *st);
	cb_err_clear(err);
	if (git_libgit2_init() < 0)
		return lib_err(err, dir, "starting libgit2");
	rc = open_repo(dir, &repo, err);
	if (rc > 0) {
		rc = read_status(repo, st, err);
		git_repository_free(repo);
	}
	git_libgit2_shutdown();
	return rc < 0 ? -1 : 0;
}

int repo_head_id(const char *dir, char *out, size_t n, int *dirty)
{
	git_repository *repo;
	git_oid oid;
	int rc = -1;

	if (dirty)
		*dirty = 0;
	if (n > 0)
		out[0] = '\0';
	if (n < GIT_OID_HEXSZ + 1)
		return -1;
	if (git_libgit2_init() < 0)
		return -1;
	if (open_repo(dir, &repo, NULL) > 0) {
		if (git_reference_name_to_id(&oid, repo, "HEAD") == 0) {
			git_oid_tostr(out, n, &oid);
			rc = 0;
			if (dirty && is_dirty(repo, dirty, NULL) < 0)
				*dirty = 0;
		}
		git_repository_free(repo);
	}
	git_libgit2_shutdown();
	return rc;
}
