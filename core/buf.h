/* buf.h - a growable byte buffer and a NULL-terminated string vector.
 *
 * Both are embedded values: buf_init()/buf_fini(), strv_init()/strv_fini().
 * Allocation failure aborts (xmalloc-style): a workbench that cannot get a
 * few kilobytes has nothing sensible left to do, and every caller would
 * otherwise need an error path for it.
 */
#ifndef CB_BUF_H
#define CB_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;  /* always NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
};

/* Run fn before an allocation failure aborts (the workbench restores
 * the terminal there, as htop does).  NULL: nothing. */
void cb_set_oom_hook(void (*fn)(void));

void buf_init(struct buf *b);
void buf_fini(struct buf *b);
/* Empty the buffer, keeping its allocation. */
void buf_reset(struct buf *b);
/* Make room for at least extra more bytes (plus the terminating NUL); the
 * text stays a NUL-terminated string, "" for an empty buffer. */
void buf_grow(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Hand the text to the caller (who frees it); the buffer is left empty. */
char *buf_detach(struct buf *b);

struct strv {
	char **v;  /* NULL-terminated; v itself is NULL until the first push */
	size_t n;
	size_t cap;
};

void strv_init(struct strv *s);
void strv_fini(struct strv *s);
/* Append a copy of str. */
void strv_push(struct strv *s, const char *str);
void strv_pushf(struct strv *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append a copy of the first n bytes of str. */
void strv_pushn(struct strv *s, const char *str, size_t n);
/* Whether an entry equals str. */
int strv_has(const struct strv *s, const char *str);
/* Split text on runs of spaces and tabs and append each word. */
void strv_split_words(struct strv *s, const char *text);
/* Return v, never NULL (an empty vector gives a one-slot {NULL} array). */
char **strv_argv(struct strv *s);
/* For KEY=VALUE vectors: set KEY to VALUE, replacing an earlier KEY=. */
void strv_setenv(struct strv *s, const char *key, const char *value);
/* For KEY=VALUE vectors: remove KEY. */
void strv_unsetenv(struct strv *s, const char *key);
/* For KEY=VALUE vectors: the value of KEY, or NULL. */
const char *strv_getenv(const struct strv *s, const char *key);

/* Allocation helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
