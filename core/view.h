/* view.h - bounded, read-only views of a binary's bytes.
 *
 * Every parser in core reads a file through a struct view: a base pointer
 * and a length, and accessors that fail instead of reading past the end.
 * Offsets, counts and sizes found inside a file are never trusted; each
 * read checks them (overflow included) against the view.  A file is mapped,
 * not read: only the pages a parser touches are ever loaded.
 */
#ifndef CB_VIEW_H
#define CB_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct view {
	const unsigned char *p;
	size_t n;
};

/* A file's bytes, mapped (regular files above VIEW_SMALL) or read (small
 * files; pipes and devices, at most VIEW_READ_MAX bytes).  view_map_init/_fini; v is valid in between. */
struct view_map {
	struct view v;
	void *mapped;     /* munmap on fini, or NULL */
	size_t mapped_len;
	unsigned char *heap; /* free on fini, or NULL */
	int truncated;    /* a non-regular file was longer than VIEW_READ_MAX */
};

#define VIEW_READ_MAX ((size_t)64 << 20)
/* Regular files up to this size are read, larger ones mapped. */
#define VIEW_SMALL ((size_t)64 << 10)

/* Open path and make its bytes readable through m->v.  Returns 0, or -1
 * with err naming the file (missing, unreadable, a directory). */
int view_map_init(struct view_map *m, const char *path, struct cb_err *err);
void view_map_fini(struct view_map *m);

/* Whether [off, off+len) lies inside v (no overflow possible). */
static inline int view_has(const struct view *v, uint64_t off, uint64_t len)
{
	return off <= v->n && len <= v->n - off;
}

/* The sub-view [off, off+len), or -1 if it does not fit. */
int view_sub(const struct view *v, uint64_t off, uint64_t len, struct view *out);

/* Fixed-width integers at off, in big (be != 0) or little byte order.
 * Return 0, or -1 (out untouched) when the bytes are not all there.
 * Inline: the readers call these for every header field they look at. */
static inline int view_u8(const struct view *v, uint64_t off, uint8_t *out)
{
	if (!view_has(v, off, 1))
		return -1;
	*out = v->p[off];
	return 0;
}

static inline int view_u16(const struct view *v, uint64_t off, int be, uint16_t *out)
{
	const unsigned char *b;

	if (!view_has(v, off, 2))
		return -1;
	b = v->p + off;
	*out = be ? (uint16_t)(b[0] << 8 | b[1]) : (uint16_t)(b[1] << 8 | b[0]);
	return 0;
}

static inline int view_u32(const struct view *v, uint64_t off, int be, uint32_t *out)
{
	const unsigned char *b;

	if (!view_has(v, off, 4))
		return -1;
	b = v->p + off;
	if (be)
		*out = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
		       (uint32_t)b[2] << 8 | b[3];
	else
		*out = (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 |
		       (uint32_t)b[1] << 8 | b[0];
	return 0;
}

static inline int view_u64(const struct view *v, uint64_t off, int be, uint64_t *out)
{
	uint32_t a = 0, b = 0;

	if (!view_has(v, off, 8))
		return -1;
	view_u32(v, off, be, &a);
	view_u32(v, off + 4, be, &b);
	*out = be ? (uint64_t)a << 32 | b : (uint64_t)b << 32 | a;
	return 0;
}

/* A NUL-terminated string starting at off whose length (without the NUL)
 * is below max.  Returns a pointer into the view and sets *len, or NULL if
 * off is outside or no NUL comes within max bytes or before the end. */
const char *view_str(const struct view *v, uint64_t off, size_t max, size_t *len);

#endif
