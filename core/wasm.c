/* wasm.c - read a WebAssembly module's sections, trusting none of them:
 * every LEB128 is bounded to its section, every section to the file. */
#include "wasm.h"

#include <string.h>

#define MAX_IMPORTS 100000

struct rd {
	const struct view *v;
	uint64_t off, end;
	int bad;
};

static uint64_t leb(struct rd *r)
{
	uint64_t val = 0;
	unsigned shift = 0;

	for (;;) {
		uint8_t b = 0;

		if (r->off >= r->end || view_u8(r->v, r->off, &b) < 0 || shift > 63) {
			r->bad = 1;
			return 0;
		}
		r->off++;
		val |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return val;
		shift += 7;
	}
}

static uint8_t byte(struct rd *r)
{
	uint8_t b = 0;

	if (r->off >= r->end || view_u8(r->v, r->off, &b) < 0) {
		r->bad = 1;
		return 0;
	}
	r->off++;
	return b;
}

/* A length-prefixed name; NULL when it does not fit. */
static const char *name(struct rd *r, size_t *len)
{
	uint64_t n = leb(r);
	const char *s;

	if (r->bad || n > r->end - r->off) {
		r->bad = 1;
		return NULL;
	}
	s = (const char *)r->v->p + r->off;
	r->off += n;
	*len = (size_t)n;
	return s;
}

/* limits: flags, min, max if flags & 1.  Flag 4 is memory64. */
static int limits(struct rd *r)
{
	uint8_t flags = byte(r);

	leb(r);
	if (flags & 1)
		leb(r);
	return flags;
}

static int eq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static void read_imports(struct artifact *a, struct rd *r, int *mem64)
{
	uint64_t n = leb(r);

	if (n > MAX_IMPORTS)
		r->bad = 1;
	for (uint64_t i = 0; i < n && !r->bad; i++) {
		size_t ml = 0, fl = 0;
		const char *mod = name(r, &ml);
		uint8_t kind = 0;

		name(r, &fl);
		kind = byte(r);
		if (r->bad)
			break;
		switch (kind) {
		case 0: leb(r); break;                  /* function: type index */
		case 1: byte(r); limits(r); break;      /* table */
		case 2: if (limits(r) & 4) *mem64 = 1; break;
		case 3: byte(r); byte(r); break;        /* global */
		case 4: byte(r); leb(r); break;         /* tag */
		default: r->bad = 1;
		}
		if (!r->bad) {
			if (ml >= 5 && (!memcmp(mod, "wasi_", 5) || !memcmp(mod, "wasi:", 5)))
				a->os = "wasi";
			artifact_add_needed(a, mod, ml);
		}
	}
}

int wasm_detect(const struct view *v)
{
	return v->n >= 4 && memcmp(v->p, "\0asm", 4) == 0;
}

void wasm_read(struct artifact *a, const struct view *v)
{
	uint32_t version = 0;
	uint64_t off = 8;
	int mem64 = 0, named = 0, linking = 0, dylink = 0;

	a->format = ARTIFACT_FMT_WASM;
	a->format_detail = "WebAssembly";
	a->endian = ARTIFACT_LITTLE;
	a->machine = "wasm32";
	a->bits = 32;
	a->kind = ARTIFACT_KIND_EXECUTABLE;
	a->debug_info = 0;
	if (view_u32(v, 4, 0, &version) < 0) {
		artifact_malformed(a, "wasm header is truncated");
		return;
	}
	if (version != 1) {
		artifact_malformed(a, "wasm version %u is not 1", version);
		return;
	}
	while (off < v->n) {
		struct rd r = { v, off, v->n, 0 };
		uint8_t id = byte(&r);
		uint64_t size = leb(&r);
		struct rd s;

		if (r.bad || size > v->n - r.off) {
			artifact_malformed(a, "section at offset %#llx runs past the "
					   "end of the file", (unsigned long long)off);
			break;
		}
		s = (struct rd){ v, r.off, r.off + size, 0 };
		if (id == 0) {
			size_t nl;
			const char *nm = name(&s, &nl);

			if (!nm)
				artifact_malformed(a, "custom section at offset %#llx has "
						   "a bad name", (unsigned long long)off);
			else if (eq(nm, nl, "name"))
				named = 1;
			else if (eq(nm, nl, ".debug_info"))
				a->debug_info = 1;
			else if (eq(nm, nl, "linking"))
				linking = 1;
			else if (eq(nm, nl, "dylink") || eq(nm, nl, "dylink.0"))
				dylink = 1;
		} else if (id == 2) {
			read_imports(a, &s, &mem64);
			if (s.bad)
				artifact_malformed(a, "import section at offset %#llx is "
						   "malformed", (unsigned long long)off);
		} else if (id == 5) {
			uint64_t n = leb(&s);

			for (uint64_t i = 0; i < n && !s.bad; i++)
				if (limits(&s) & 4)
					mem64 = 1;
		}
		off = r.off + size;
	}
	if (mem64) {
		a->machine = "wasm64";
		a->bits = 64;
	}
	a->stripped = !named;
	if (linking)
		a->kind = ARTIFACT_KIND_OBJECT;
	else if (dylink)
		a->kind = ARTIFACT_KIND_SHARED;
}
