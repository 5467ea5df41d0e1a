/* fuzz_ansi.c - libFuzzer entry for the ANSI decoder: any bytes decoded
 * whole, in random chunks and in folds of a random width.  The chunked and
 * whole results must be the same runs, and the text must be valid UTF-8
 * with no control byte, C1 control or escape left in it.  The first byte
 * chooses the chunk sizes and fold width; the rest is the line. */
#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ansi.h"
#include "buf.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!setlocale(LC_ALL, "C.UTF-8"))
		abort();
	return 0;
}

#define CHECK(x) do { if (!(x)) abort(); } while (0)

/* Strict UTF-8 with nothing a terminal would act on. */
static void check_text(const struct ansi_line *l)
{
	const unsigned char *p = (const unsigned char *)l->text.data;
	size_t n = l->text.len, i = 0, at = 0;
	int width = 0;

	while (i < n) {
		unsigned c = p[i];
		uint32_t cp;
		size_t len;

		if (c < 0x80) {
			CHECK(c >= 0x20 && c != 0x7f);
			i++;
			continue;
		}
		if (c >= 0xc2 && c < 0xe0)
			len = 2, cp = c & 0x1f;
		else if (c >= 0xe0 && c < 0xf0)
			len = 3, cp = c & 0x0f;
		else if (c >= 0xf0 && c < 0xf5)
			len = 4, cp = c & 0x07;
		else
			abort();
		CHECK(i + len <= n);
		for (size_t k = 1; k < len; k++) {
			CHECK((p[i + k] & 0xc0) == 0x80);
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		CHECK(cp >= (len == 2 ? 0x80u : len == 3 ? 0x800u : 0x10000u));
		CHECK(cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff));
		CHECK(cp >= 0xa0);                        /* no C1 */
		CHECK(cp != 0x202e && cp != 0x202d);      /* no bidi override */
		i += len;
	}
	for (size_t r = 0; r < l->nruns; r++) {
		CHECK(l->runs[r].off == at);
		CHECK(l->runs[r].len > 0);
		CHECK(l->runs[r].width == ansi_width(l->text.data + at, l->runs[r].len));
		if (r)
			CHECK(memcmp(&l->runs[r].style, &l->runs[r - 1].style,
				     sizeof l->runs[r].style) != 0);
		at += l->runs[r].len;
		width += l->runs[r].width;
	}
	CHECK(at == n);
	CHECK(width == l->width);
	CHECK(ansi_width(l->text.data ? l->text.data : "", n) == l->width);
}

static int same(const struct ansi_line *a, const struct ansi_line *b)
{
	if (a->text.len != b->text.len || a->nruns != b->nruns || a->width != b->width)
		return 0;
	if (a->text.len && memcmp(a->text.data, b->text.data, a->text.len))
		return 0;
	for (size_t i = 0; i < a->nruns; i++) {
		const struct ansi_run *x = &a->runs[i], *y = &b->runs[i];

		if (x->off != y->off || x->len != y->len || x->width != y->width ||
		    x->style.fg != y->style.fg || x->style.bg != y->style.bg ||
		    x->style.attrs != y->style.attrs)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ansi_line whole, part, piece;
	struct ansi_state st, st2;
	struct buf folded, stripped;
	const char *s;
	unsigned seed;
	size_t n, done = 0, avail = 0;
	int w;

	if (size < 1)
		return 0;
	seed = data[0];
	s = (const char *)data + 1;
	n = size - 1;
	ansi_line_init(&whole);
	ansi_line_init(&part);
	ansi_line_init(&piece);
	buf_init(&folded);
	buf_init(&stripped);

	ansi_state_init(&st);
	CHECK(ansi_decode(&whole, &st, s, n, -1, 1) == n);
	check_text(&whole);

	/* Bytes arriving in chunks; what is not consumed is fed again. */
	srand(seed);
	ansi_state_init(&st2);
	while (done < n) {
		size_t step = 1 + (size_t)rand() % (1 + seed % 64);
		size_t c;
		int at_end;

		avail = avail + step > n - done ? n - done : avail + step;
		at_end = done + avail == n;
		c = ansi_decode(&part, &st2, s + done, avail, -1, at_end);
		CHECK(c <= avail);
		done += c;
		avail -= c;
		CHECK(at_end ? avail == 0 : avail < ANSI_SEQ_MAX);
	}
	CHECK(same(&whole, &part));
	CHECK(memcmp(&st.style, &st2.style, sizeof st.style) == 0 && st.col == st2.col);

	/* Folds of w columns, as a log pane wraps: each piece fits (or is
	 * one thing too wide for any piece), and always moves on. */
	w = (int)(seed % 40);
	ansi_state_init(&st2);
	for (done = 0; done < n;) {
		size_t c;

		ansi_line_reset(&piece);
		c = ansi_decode(&piece, &st2, s + done, n - done, w, 1);
		check_text(&piece);
		if (w == 0) {
			CHECK(piece.width == 0);
			break;
		}
		CHECK(c > 0);
		CHECK(piece.width <= w || piece.width <= 6);
		buf_append(&folded, piece.text.data ? piece.text.data : "", piece.text.len);
		done += c;
	}
	if (w > 0 && !memchr(s, '\t', n)) {
		CHECK(folded.len == whole.text.len);
		CHECK(!n || !folded.len || memcmp(folded.data, whole.text.data, folded.len) == 0);
	}
	if (whole.text.len) {
		int used;
		size_t fit = ansi_fit(whole.text.data, whole.text.len, w, &used);

		CHECK(fit <= whole.text.len && used <= w);
	}

	ansi_strip(s, n, &stripped);
	CHECK(stripped.len <= n);

	buf_fini(&stripped);
	buf_fini(&folded);
	ansi_line_fini(&piece);
	ansi_line_fini(&part);
	ansi_line_fini(&whole);
	return 0;
}
