/* arfile.c - read an ar archive's members, trusting none of the headers:
 * sizes are decimal fields checked against the file, long names are looked
 * up in the "//" table within its bounds. */
#include "arfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HDR 60
#define MAX_GROUPS 32

int arfile_detect(const struct view *v)
{
	return v->n >= 8 && (!memcmp(v->p, "!<arch>\n", 8) ||
			     !memcmp(v->p, "!<thin>\n", 8));
}

/* A decimal field padded with spaces; -1 if it holds anything else. */
static int decimal(const unsigned char *p, size_t n, uint64_t *out)
{
	uint64_t val = 0;
	size_t i = 0;

	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '9')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++) {
		if (val > (UINT64_MAX - 9) / 10)
			return -1;
		val = val * 10 + (uint64_t)(p[i] - '0');
	}
	for (; i < n; i++)
		if (p[i] != ' ')
			return -1;
	*out = val;
	return 0;
}

static int same_kind(const struct artifact *x, const struct artifact *y)
{
	return x->format == y->format && x->bits == y->bits &&
	       x->endian == y->endian &&
	       (x->machine == y->machine ||
		(x->machine && y->machine && !strcmp(x->machine, y->machine))) &&
	       (x->os == y->os || (x->os && y->os && !strcmp(x->os, y->os)));
}

/* Keep m as a group's example, or count it in the group it belongs to. */
static void group(struct artifact *a, struct artifact *m, size_t *cap,
		  const char *name)
{
	for (size_t i = 0; i < a->nslices; i++) {
		if (same_kind(&a->slices[i], m)) {
			a->slices[i].count++;
			artifact_fini(m);
			return;
		}
	}
	if (a->nslices == MAX_GROUPS) {
		artifact_fini(m);
		return;
	}
	if (a->nslices == *cap) {
		*cap = *cap ? *cap * 2 : 4;
		a->slices = xrealloc(a->slices, *cap * sizeof *a->slices);
	}
	m->count = 1;
	free(m->path);
	m->path = xasprintf("%s(%s)", a->path ? a->path : "", name);
	a->slices[a->nslices++] = *m;
}

static void member_name(const unsigned char *h, const struct view *names,
			char *out, size_t cap)
{
	size_t len = 16;

	if (h[0] == '/' && h[1] >= '0' && h[1] <= '9' && names->n) {
		uint64_t off = 0;
		size_t l = 1;

		while (l < 16 && h[l] >= '0' && h[l] <= '9')
			l++;
		if (decimal(h + 1, l - 1, &off) == 0 && off < names->n) {
			const unsigned char *s = names->p + off;
			size_t n = 0;

			while (off + n < names->n && s[n] != '\n' && n < 255)
				n++;
			if (n && s[n - 1] == '/')
				n--;
			snprintf(out, cap, "%.*s", (int)n, (const char *)s);
			return;
		}
	}
	while (len && h[len - 1] == ' ')
		len--;
	if (len && h[len - 1] == '/' && len > 1)
		len--;
	snprintf(out, cap, "%.*s", (int)len, (const char *)h);
}

void arfile_read(struct artifact *a, const struct view *v, int depth)
{
	struct view names = { NULL, 0 };
	uint64_t off = 8;
	size_t cap = 0;
	int thin = !memcmp(v->p, "!<thin>\n", 8);
	const struct artifact *first = NULL;
	int mixed = 0, os_conflict = 0;

	a->format = ARTIFACT_FMT_ARCHIVE;
	a->kind = ARTIFACT_KIND_ARCHIVE;
	a->format_detail = thin ? "thin ar archive" : "ar archive";
	while (off < v->n) {
		const unsigned char *h;
		uint64_t size = 0, data = 0;
		char name[256];
		struct view body;

		if (!view_has(v, off, HDR)) {
			artifact_malformed(a, "member header at offset %#llx is "
					   "truncated", (unsigned long long)off);
			break;
		}
		h = v->p + off;
		if (h[58] != '`' || h[59] != '\n' || decimal(h + 48, 10, &size) < 0) {
			artifact_malformed(a, "member header at offset %#llx is not "
					   "an ar header", (unsigned long long)off);
			break;
		}
		data = off + HDR;
		/* Thin archives keep only the symbol and name tables inside. */
		if (thin && !(h[0] == '/' && (h[1] == ' ' || h[1] == '/'))) {
			off = data;
			a->members++;
			continue;
		}
		if (view_sub(v, data, size, &body) < 0) {
			artifact_malformed(a, "member at offset %#llx claims %llu bytes, "
					   "past the end of the file (%zu bytes)",
					   (unsigned long long)off,
					   (unsigned long long)size, v->n);
			break;
		}
		off = data + size + (size & 1);
		if (!memcmp(h, "//              ", 16)) {
			names = body;
			continue;
		}
		if (h[0] == '/' && (h[1] == ' ' || !memcmp(h, "/SYM64/ ", 8)))
			continue;
		if (!memcmp(h, "__.SYMDEF", 9))
			continue;
		if (!memcmp(h, "#1/", 3)) {
			uint64_t nl = 0;
			size_t l = 3;

			while (l < 16 && h[l] != ' ')
				l++;
			if (decimal(h + 3, l - 3, &nl) < 0 || nl > body.n) {
				artifact_malformed(a, "BSD member name at offset %#llx "
						   "is longer than the member",
						   (unsigned long long)(off));
				continue;
			}
			snprintf(name, sizeof name, "%.*s", (int)(nl < 255 ? nl : 255),
				 (const char *)body.p);
			body.p += nl;
			body.n -= (size_t)nl;
			if (!strncmp(name, "__.SYMDEF", 9))
				continue;
		} else {
			member_name(h, &names, name, sizeof name);
		}
		a->members++;
		if (depth > 0)
			continue;
		{
			struct artifact m;

			/* Identity only: an archive can hold thousands of members,
			 * and what matters is which targets they are for. */
			artifact_init(&m, NULL);
			artifact_read_view(&m, &body, depth + 1, 1);
			for (size_t i = 0; i < m.nfindings; i++)
				artifact_malformed(a, "%s: %s", name,
						   m.findings[i].text + strlen("malformed: "));
			if (m.format == ARTIFACT_FMT_UNKNOWN) {
				artifact_fini(&m);
				continue;
			}
			group(a, &m, &cap, name);
		}
	}
	/* The archive is what its members agree on: a machine, width, byte
	 * order and OS shared by every group (an OS only some members state
	 * counts when no member states another). */
	for (size_t i = 0; i < a->nslices; i++) {
		const struct artifact *g = &a->slices[i];

		if (!first) {
			first = g;
			a->machine = g->machine;
			a->bits = g->bits;
			a->endian = g->endian;
			a->os = g->os;
			continue;
		}
		if (!a->machine || !g->machine || strcmp(a->machine, g->machine))
			mixed = 1;
		if (g->bits != a->bits)
			a->bits = 0;
		if (g->endian != a->endian)
			a->endian = ARTIFACT_ENDIAN_UNKNOWN;
		if (g->os && a->os && strcmp(g->os, a->os))
			os_conflict = 1;
		else if (g->os)
			a->os = g->os;
	}
	if (mixed)
		a->machine = NULL;
	if (os_conflict)
		a->os = NULL;
}
