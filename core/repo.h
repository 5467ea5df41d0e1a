/* repo.h - the project's git state through libgit2, for the header line:
 * branch, HEAD's short id, whether the work tree has changes.
 */
#ifndef CB_REPO_H
#define CB_REPO_H

#include "err.h"

struct repo_status {
	int has_repo;        /* 0: dir is not inside a git work tree */
	int detached;        /* HEAD is not on a branch */
	int worktree;        /* a linked work tree (git worktree add) */
	int unborn;          /* the branch has no commit yet */
	int dirty;           /* modified, staged or untracked files (not ignored) */
	char branch[256];    /* "main"; "" when detached */
	char head[16];       /* short id of HEAD: "3f2a1c9"; "" when unborn */
	char workdir[4096];  /* the work tree's top directory */
};

/* Read the state of the repository that contains dir (searching upward).
 * A directory outside any repository is not an error: has_repo = 0.
 * Returns 0, or -1 with err when libgit2 fails on a repository it found. */
int repo_status(const char *dir, struct repo_status *st, struct cb_err *err);

/* The full id of HEAD into out (41 bytes), for history, and (when dirty
 * is not NULL) whether the work tree has changes.  0 or -1. */
int repo_head_id(const char *dir, char *out, size_t n, int *dirty);

#endif
