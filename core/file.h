/* file.h - careful file writing shared by the modules that save files
 * (config, history): write everything, make a rename durable, replace a
 * file whole so a reader sees the old or the new text, never half.
 */
#ifndef CB_FILE_H
#define CB_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "err.h"

/* Write all n bytes to fd, retrying short writes and EINTR.  Returns 0, or
 * -1 with errno set. */
int file_write_all(int fd, const void *data, size_t n);

/* fsync the directory that holds path, so a rename into it survives a
 * crash.  Errors are ignored: the rename itself already happened. */
void file_sync_dir(const char *path);

/* Replace path with data: a temporary file in the same directory, written,
 * fsynced, given mode, renamed over path, the directory synced.  Returns 0,
 * or -1 with err naming the file (path is then unchanged). */
int file_replace(const char *path, const void *data, size_t n, mode_t mode,
		 struct cb_err *err);

/* Append the whole of path to out (a string: "" when empty).  Returns 0,
 * or -1 with err and errno (ENOENT when it does not exist). */
struct buf;
int file_read_all(const char *path, struct buf *out, struct cb_err *err);

#endif
