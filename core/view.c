/* view.c - bounded reads of mapped files. */
#include "view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

/* Read fd into the heap.  size > 0 (a small regular file): exactly that
 * many bytes, as few reads as it takes (a file that shrank meanwhile is
 * what was read).  size 0 (pipes and character devices, which cannot be
 * mapped): until EOF, up to a cap, so `crossbench inspect /dev/stdin`
 * does not read forever. */
static int read_all(struct view_map *m, int fd, size_t size, const char *path,
		    struct cb_err *err)
{
	size_t cap = size ? size : VIEW_SMALL + 1, len = 0;
	unsigned char *p = xmalloc(cap);

	for (;;) {
		ssize_t r;

		if (len == cap) {
			if (size)
				break;
			if (cap >= VIEW_READ_MAX) {
				m->truncated = 1;
				break;
			}
			cap *= 2;
			p = xrealloc(p, cap);
		}
		r = read(fd, p + len, cap - len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(p);
			return cb_err_sys(err, "%s", path);
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	m->heap = p;
	m->v.p = p;
	m->v.n = len;
	return 0;
}

int view_map_init(struct view_map *m, const char *path, struct cb_err *err)
{
	struct stat st;
	int fd, rc = 0;

	memset(m, 0, sizeof *m);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return cb_err_sys(err, "%s", path);
	if (fstat(fd, &st) < 0) {
		rc = cb_err_sys(err, "%s", path);
	} else if (S_ISDIR(st.st_mode)) {
		rc = cb_err_set(err, CB_ERR_IO, "%s: is a directory", path);
	} else if (!S_ISREG(st.st_mode)) {
		rc = read_all(m, fd, 0, path, err);
	} else if (st.st_size > 0 && (uint64_t)st.st_size <= VIEW_SMALL) {
		/* One read of the size fstat gave is cheaper than mmap, page
		 * faults and munmap, and than reading on to EOF. */
		rc = read_all(m, fd, (size_t)st.st_size, path, err);
	} else if (st.st_size > 0) {
		void *p;

		if ((uint64_t)st.st_size > SIZE_MAX) {
			rc = cb_err_set(err, CB_ERR_IO, "%s: too large to map", path);
			goto out;
		}
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			rc = cb_err_sys(err, "%s: mmap", path);
			goto out;
		}
		m->mapped = p;
		m->mapped_len = (size_t)st.st_size;
		m->v.p = p;
		m->v.n = (size_t)st.st_size;
	}
out:
	close(fd);
	return rc;
}

void view_map_fini(struct view_map *m)
{
	if (m->mapped)
		munmap(m->mapped, m->mapped_len);
	free(m->heap);
	memset(m, 0, sizeof *m);
}

int view_sub(const struct view *v, uint64_t off, uint64_t len, struct view *out)
{
	if (!view_has(v, off, len))
		return -1;
	out->p = v->p + off;
	out->n = (size_t)len;
	return 0;
}

const char *view_str(const struct view *v, uint64_t off, size_t max, size_t *len)
{
	const unsigned char *s, *nul;
	size_t room;

	if (off >= v->n)
		return NULL;
	s = v->p + off;
	room = v->n - (size_t)off;
	if (room > max)
		room = max;
	nul = memchr(s, '\0', room);
	if (!nul)
		return NULL;
	if (len)
		*len = (size_t)(nul - s);
	return (const char *)s;
}
