/* file.c - durable, all-or-nothing file writes. */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

int file_write_all(int fd, const void *data, size_t n)
{
	const char *p = data;

	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = EIO;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

void file_sync_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int file_replace(const char *path, const void *data, size_t n, mode_t mode,
		 struct cb_err *err)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);

	if (fd < 0) {
		cb_err_sys(err, "%s", tmp);
		free(tmp);
		return -1;
	}
	if (fchmod(fd, mode) < 0 || file_write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		cb_err_sys(err, "%s", tmp);
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (close(fd) < 0) {
		cb_err_sys(err, "%s", tmp);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	if (rename(tmp, path) < 0) {
		cb_err_sys(err, "renaming %s to %s", tmp, path);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	file_sync_dir(path);
	return 0;
}

int file_read_all(const char *path, struct buf *out, struct cb_err *err)
{
	char chunk[8192];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return cb_err_sys(err, "%s", path);
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof chunk);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			cb_err_sys(err, "%s", path);
			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		buf_append(out, chunk, (size_t)n);
	}
	close(fd);
	buf_grow(out, 0);
	return 0;
}
