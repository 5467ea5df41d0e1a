/* buf.c - growable buffers, string vectors, allocation that aborts. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The one piece of process state here: what must be undone before the
 * abort (the workbench's terminal), set once at start-up. */
static void (*oom_hook)(void);

void cb_set_oom_hook(void (*fn)(void))
{
	oom_hook = fn;
}

static void oom(size_t n)
{
	void (*fn)(void) = oom_hook;

	oom_hook = NULL;   /* the hook itself may run out */
	if (fn)
		fn();
	fprintf(stderr, "crossbench: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

void buf_init(struct buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

void buf_fini(struct buf *b)
{
	free(b->data);
	buf_init(b);
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void buf_grow(struct buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;

	if (need < b->len)
		oom(SIZE_MAX);
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
	/* Always a string: a first allocation is not left unterminated. */
	b->data[b->len] = '\0';
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	buf_grow(b, 64);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return;
	}
	if ((size_t)n >= b->cap - b->len) {
		buf_grow(b, (size_t)n);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap2);
	}
	va_end(ap2);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

char *buf_detach(struct buf *b)
{
	char *p = b->data ? b->data : xstrdup("");

	buf_init(b);
	return p;
}

void strv_init(struct strv *s)
{
	s->v = NULL;
	s->n = 0;
	s->cap = 0;
}

void strv_fini(struct strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	strv_init(s);
}

static void strv_add_owned(struct strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 8;
		s->v = xrealloc(s->v, s->cap * sizeof *s->v);
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

void strv_push(struct strv *s, const char *str)
{
	strv_add_owned(s, xstrdup(str));
}

int strv_has(const struct strv *s, const char *str)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i], str))
			return 1;
	return 0;
}

void strv_pushn(struct strv *s, const char *str, size_t n)
{
	strv_add_owned(s, xstrndup(str, n));
}

void strv_pushf(struct strv *s, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	strv_add_owned(s, buf_detach(&b));
}

void strv_split_words(struct strv *s, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *start;

		while (*p == ' ' || *p == '\t')
			p++;
		start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (p > start)
			strv_pushn(s, start, (size_t)(p - start));
	}
}

char **strv_argv(struct strv *s)
{
	if (!s->v) {
		s->cap = 8;
		s->v = xcalloc(s->cap, sizeof *s->v);
	}
	return s->v;
}

static long strv_find_key(const struct strv *s, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < s->n; i++)
		if (strncmp(s->v[i], key, kl) == 0 && s->v[i][kl] == '=')
			return (long)i;
	return -1;
}

void strv_setenv(struct strv *s, const char *key, const char *value)
{
	long i = strv_find_key(s, key);
	char *kv = xasprintf("%s=%s", key, value);

	if (i < 0) {
		strv_add_owned(s, kv);
		return;
	}
	free(s->v[i]);
	s->v[i] = kv;
}

void strv_unsetenv(struct strv *s, const char *key)
{
	long i;

	while ((i = strv_find_key(s, key)) >= 0) {
		free(s->v[i]);
		memmove(&s->v[i], &s->v[i + 1], (s->n - (size_t)i) * sizeof *s->v);
		s->n--;
	}
}

const char *strv_getenv(const struct strv *s, const char *key)
{
	long i = strv_find_key(s, key);

	return i < 0 ? NULL : s->v[i] + strlen(key) + 1;
}
