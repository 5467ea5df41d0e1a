/* watch.h - the file watcher behind watch mode: rebuild on save.
 *
 * One inotify instance watches every directory under a root, except
 * `target/` at the root, any `.git`, and what git ignores.  It is driven
 * from the caller's poll() loop, no threads:
 *
 *	struct pollfd p = { watch_fd(w), POLLIN, 0 };
 *	poll(&p, 1, watch_timeout_ms(w));        (with the loop's other fds)
 *	if (p.revents & POLLIN)
 *		watch_read(w);
 *	switch (watch_take(w, &first, &n)) {
 *	case 1:  rebuild, say "first (and n - 1 more) changed"; free(first)
 *	case -1: show watch_error(w); watching has stopped
 *	}
 *
 * What counts as a change: a file closed after writing (IN_CLOSE_WRITE),
 * renamed into or out of a watched directory, deleted, or a symlink or
 * other non-regular file created; the files of a new directory (found
 * when it is scanned, so files made before its watch existed count too).
 * A new regular file counts when its writer closes it, not when it is
 * created, so a slow copy does not fire half-way.  IN_MODIFY is not
 * watched: it fires for every write(2) and would fire before the save is
 * complete; every writer that closes its file is seen by IN_CLOSE_WRITE
 * (truncate(1) and touch(1) open and close too).  Not seen: stores
 * through a shared mmap after the file was closed, and truncate(2) on a
 * path; neither is how editors or cargo fmt save.
 *
 * Editors' temporary, backup and swap files never count, so a save made
 * as "write a temporary, rename it onto the file" is one change of the
 * real file (its IN_MOVED_TO): vim's 4913 probe (and 5036, 5159, ...),
 * `file~`, `.file.swp` (.swa to .swp, .swpx), emacs's `#file#` and
 * `.#file`, `file.tmp`, GNU sed -i's `sedXXXXXX` (and BSD sed's `.!PID!file`), gedit's
 * `.goutputstream-XXXXXX`, JetBrains' `file___jb_tmp___` and
 * `file___jb_old___`.
 *
 * Debounce: a burst of changes is due 150 ms after its last event, but
 * never later than 2 s after its first, so constant saves (a generator
 * writing every 100 ms) still rebuild every 2 s instead of never, while
 * a burst of saves within a second or so (a formatter over the tree, a
 * git checkout) is one rebuild.
 *
 * Ignores: inside a git work tree, libgit2 decides
 * (git_ignore_path_is_ignored: every .gitignore on the way, .git/info/
 * exclude, core.excludesFile), for each directory when it is added and
 * for each changed path.  Outside a repository, the root's .gitignore is
 * read with a subset of its syntax: blank lines and `#` comments are
 * skipped; `!` (negation) lines are skipped, so what they would re-include
 * stays ignored; a trailing `/` matches directories only; a pattern with a
 * `/` before its end is matched against the whole path from the root
 * (a leading `/` or `**` + `/` are dropped first), any other against each
 * path component's name; globs are fnmatch(3)'s (`*`, `?`, `[...]`), and a
 * `**` elsewhere is an ordinary `*`.  Nested .gitignore files are not read
 * there.  A .gitignore edited while watching applies to later events; a
 * directory already watched stays watched until a rescan.
 *
 * Limits: symlinked directories are not followed (no loops), nor are
 * directories whose path would exceed PATH_MAX; a directory that cannot
 * be read (EACCES) or is gone before its watch is added is skipped.  Memory is one small
 * entry per watched directory plus at most WATCH_DISTINCT_MAX path hashes
 * for the pending burst.
 */
#ifndef CB_WATCH_H
#define CB_WATCH_H

#include <stddef.h>

#include "err.h"

#define WATCH_DEBOUNCE_MS   150   /* quiet time after a burst's last event */
#define WATCH_MAX_DELAY_MS  2000  /* a burst is due at most this long after its first event */
#define WATCH_DISTINCT_MAX  4096  /* distinct paths counted exactly per burst */

struct watch;

/* Watch every directory under root (recursively, as described above).
 * Returns the watch, freed with watch_close(), or NULL with err: root
 * missing or not a directory, the inotify instance or watch limit reached
 * (the message names the sysctl and a value to raise it to), libgit2
 * failing on the repository that contains root. */
struct watch *watch_open(const char *root, struct cb_err *err);

/* The inotify fd (non-blocking, close-on-exec) to poll for POLLIN. */
int watch_fd(const struct watch *w);

/* Drain the pending events without blocking; call when watch_fd() is
 * readable.  Records the burst's first relevant path and the time of its
 * last event, adds watches for new directories and drops deleted ones.
 * After a queue overflow it counts a change (first path ".") and rescans
 * the tree.  Reads at most about a megabyte of events per call, so a
 * flood cannot hold the loop; poll says when there is more. */
void watch_read(struct watch *w);

/* The timeout for poll(): -1 when nothing is pending, else the ms until
 * the pending burst is due (0: due now, call watch_take()).  Also 0 once
 * watching has stopped and watch_take() has not said so yet. */
int watch_timeout_ms(const struct watch *w);

/* 1 when a debounced burst is due: *first is its first changed path
 * relative to root (malloc'd, the caller frees it; "." after an
 * overflow) and *nchanged how many distinct paths changed (exact up to
 * WATCH_DISTINCT_MAX, then a count of events); the burst is then cleared.
 * 0 when nothing is due (*first untouched).  -1 when watching has stopped
 * (watch_error() says why; pending changes are dropped). */
int watch_take(struct watch *w, char **first, size_t *nchanged);

/* NULL while watching; once watching has stopped (root deleted, moved or
 * unmounted, the watch limit reached for a new directory, a read error),
 * a message for the person: "watch: /p/proj was deleted; watching
 * stopped".  Owned by w. */
const char *watch_error(const struct watch *w);

/* How many directories are watched now. */
size_t watch_count(const struct watch *w);

/* Stop watching and free w; NULL is fine. */
void watch_close(struct watch *w);

#endif
