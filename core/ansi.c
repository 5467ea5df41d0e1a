/* ansi.c - decode what a build printed into styled runs of safe text.
 *
 * The recogniser follows ECMA-48 as terminals do: CSI is ESC [ then
 * parameter and intermediate bytes (0x20-0x3F) then a final byte
 * (0x40-0x7E); OSC, DCS, SOS, PM and APC are strings ended by BEL or
 * ESC \; ESC followed by intermediates (0x20-0x2F) and a final byte is an
 * nF escape such as ESC ( B; ESC and one byte 0x30-0x7E is a two-byte
 * escape.  Anything else after an ESC means the ESC is shown as \x1b.
 *
 * Every decision depends only on the bytes in front of the decoder and at
 * most ANSI_SEQ_MAX of them, so decoding a line in chunks (with the state
 * carried and the unconsumed tail fed again) gives the same runs as
 * decoding it whole.
 */
#include "ansi.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define ESC 0x1b

/* CSI and nF escapes are short; a longer one is garbage, not a sequence. */
#define CSI_MAX 256
#define NF_MAX 16

/* seq_len() results besides a length. */
#define SEQ_TRUNC ((size_t)0)        /* the input ends inside it */
#define SEQ_BAD ((size_t)-1)         /* not a sequence: show the ESC */

enum utf8_result { U_OK, U_TRUNC, U_BAD };

void ansi_state_init(struct ansi_state *st)
{
	st->style.fg = ANSI_DEFAULT_COLOR;
	st->style.bg = ANSI_DEFAULT_COLOR;
	st->style.attrs = 0;
	st->col = 0;
}

void ansi_line_init(struct ansi_line *l)
{
	buf_init(&l->text);
	l->runs = NULL;
	l->nruns = 0;
	l->cap = 0;
	l->width = 0;
}

void ansi_line_reset(struct ansi_line *l)
{
	buf_reset(&l->text);
	l->nruns = 0;
	l->width = 0;
}

void ansi_line_fini(struct ansi_line *l)
{
	buf_fini(&l->text);
	free(l->runs);
	ansi_line_init(l);
}

/* ------------------------------------------------------------ recognising */

/* The length of the escape sequence at p (p[0] == ESC, n bytes
 * available), SEQ_TRUNC when the input ends before it can be told, or
 * SEQ_BAD.  *csi is set for a complete CSI. */
static size_t seq_len(const unsigned char *p, size_t n, int *csi)
{
	size_t k, lim;
	unsigned c;

	*csi = 0;
	if (n < 2)
		return SEQ_TRUNC;
	c = p[1];
	if (c == '[') {
		lim = n < CSI_MAX ? n : CSI_MAX;
		for (k = 2; k < lim; k++) {
			if (p[k] >= 0x20 && p[k] <= 0x3f)
				continue;
			if (p[k] >= 0x40 && p[k] <= 0x7e) {
				*csi = 1;
				return k + 1;
			}
			return SEQ_BAD;
		}
		return lim == CSI_MAX ? SEQ_BAD : SEQ_TRUNC;
	}
	if (c == ']' || c == 'P' || c == 'X' || c == '^' || c == '_') {
		/* Strings end at ST (ESC \); xterm also takes BEL, and so
		 * do we for all of them.  An ESC that does not start ST cuts
		 * the string short and begins a new sequence, as in xterm. */
		/* The first ESC or BEL, by memchr: an unterminated string is
		 * rescanned on every read until it ends or reaches the cap. */
		const unsigned char *e, *b;

		lim = n < ANSI_SEQ_MAX ? n : ANSI_SEQ_MAX;
		e = memchr(p + 2, ESC, lim - 2);
		k = e ? (size_t)(e - p) : lim;
		b = memchr(p + 2, 0x07, k - 2);
		if (b)
			return (size_t)(b - p) + 1;
		if (e) {
			if (k + 1 >= ANSI_SEQ_MAX)
				return SEQ_BAD;
			if (k + 1 >= n)
				return SEQ_TRUNC;
			return p[k + 1] == '\\' ? k + 2 : k;
		}
		return lim == ANSI_SEQ_MAX ? SEQ_BAD : SEQ_TRUNC;
	}
	if (c >= 0x20 && c <= 0x2f) {
		lim = n < NF_MAX ? n : NF_MAX;
		for (k = 2; k < lim; k++) {
			if (p[k] >= 0x20 && p[k] <= 0x2f)
				continue;
			if (p[k] >= 0x30 && p[k] <= 0x7e)
				return k + 1;
			return SEQ_BAD;
		}
		return lim == NF_MAX ? SEQ_BAD : SEQ_TRUNC;
	}
	if (c >= 0x30 && c <= 0x7e)
		return 2;
	return SEQ_BAD;
}

/* One UTF-8 character at p: U_OK with *cp and *len, U_TRUNC when the n
 * bytes end inside a character that is valid so far, or U_BAD (overlong,
 * surrogate, above U+10FFFF, stray continuation byte, bad lead byte). */
static enum utf8_result utf8_next(const unsigned char *p, size_t n,
				  uint32_t *cp, size_t *len)
{
	unsigned c = p[0], lo = 0x80, hi = 0xbf;
	size_t need;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		*len = 1;
		return U_OK;
	}
	if (c < 0xc2)
		return U_BAD;
	if (c < 0xe0) {
		need = 1;
		v = c & 0x1f;
	} else if (c < 0xf0) {
		need = 2;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;      /* overlong */
		else if (c == 0xed)
			hi = 0x9f;      /* surrogates */
	} else if (c < 0xf5) {
		need = 3;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;      /* overlong */
		else if (c == 0xf4)
			hi = 0x8f;      /* above U+10FFFF */
	} else {
		return U_BAD;
	}
	for (size_t k = 1; k <= need; k++) {
		if (k >= n)
			return U_TRUNC;
		if (p[k] < lo || p[k] > hi)
			return U_BAD;
		lo = 0x80;
		hi = 0xbf;
		v = v << 6 | (p[k] & 0x3f);
	}
	*cp = v;
	*len = need + 1;
	return U_OK;
}

/* Columns of a character; what wcwidth cannot print still takes a cell. */
static int char_width(uint32_t cp)
{
	int w;

	if (cp >= 0x20 && cp < 0x7f)
		return 1;
	w = wcwidth((wchar_t)cp);
	return w < 0 ? 1 : w;
}

/* Valid characters that are still not drawn as themselves: C1 controls
 * (a terminal acts on U+009B as on ESC [), the bidi controls that can make
 * text read differently from what it is, and the line and paragraph
 * separators. */
static int shown_escaped(uint32_t cp)
{
	return cp < 0xa0 || cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	       (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* ------------------------------------------------------------ SGR */

/* The xterm-256 colour nearest to r, g, b: the 6x6x6 cube or the grey
 * ramp, whichever is closer (as tmux does).  The first 16 colours are
 * left out: themes redefine them, so they are not a fixed RGB. */
static int rgb_to_256(int r, int g, int b)
{
	static const int level[6] = { 0x00, 0x5f, 0x87, 0xaf, 0xd7, 0xff };
	int q[3], c[3], in[3] = { r, g, b };
	int avg, gi, grey, dc = 0, dg = 0;

	for (int i = 0; i < 3; i++) {
		int v = in[i];

		q[i] = v < 48 ? 0 : v < 115 ? 1 : (v - 35) / 40;
		c[i] = level[q[i]];
	}
	avg = (r + g + b) / 3;
	gi = avg > 238 ? 23 : avg < 3 ? 0 : (avg - 3) / 10;
	grey = 8 + 10 * gi;
	for (int i = 0; i < 3; i++) {
		dc += (in[i] - c[i]) * (in[i] - c[i]);
		dg += (in[i] - grey) * (in[i] - grey);
	}
	if (dg < dc)
		return 232 + gi;
	return 16 + 36 * q[0] + 6 * q[1] + q[2];
}

/* The colour of 38/48 arguments: kind 5 with an index, kind 2 with
 * r, g, b.  -1 when they make no colour. */
static int color_of(int kind, const int *a, size_t na)
{
	if (kind == 5 && na >= 1)
		return a[0] <= 255 ? a[0] : -1;
	if (kind == 2 && na >= 3) {
		if (a[0] > 255 || a[1] > 255 || a[2] > 255)
			return -1;
		return rgb_to_256(a[0], a[1], a[2]);
	}
	return -1;
}

static void sgr_code(struct ansi_style *s, int code)
{
	switch (code) {
	case 0:
		s->fg = s->bg = ANSI_DEFAULT_COLOR;
		s->attrs = 0;
		break;
	case 1: s->attrs |= ANSI_BOLD; break;
	case 2: s->attrs |= ANSI_DIM; break;
	case 3: s->attrs |= ANSI_ITALIC; break;
	case 4: s->attrs |= ANSI_UNDERLINE; break;
	case 7: s->attrs |= ANSI_REVERSE; break;
	case 22: s->attrs &= ~(unsigned)(ANSI_BOLD | ANSI_DIM); break;
	case 23: s->attrs &= ~(unsigned)ANSI_ITALIC; break;
	case 24: s->attrs &= ~(unsigned)ANSI_UNDERLINE; break;
	case 27: s->attrs &= ~(unsigned)ANSI_REVERSE; break;
	case 39: s->fg = ANSI_DEFAULT_COLOR; break;
	case 49: s->bg = ANSI_DEFAULT_COLOR; break;
	default:
		if (code >= 30 && code <= 37)
			s->fg = (short)(code - 30);
		else if (code >= 90 && code <= 97)
			s->fg = (short)(code - 90 + 8);
		else if (code >= 40 && code <= 47)
			s->bg = (short)(code - 40);
		else if (code >= 100 && code <= 107)
			s->bg = (short)(code - 100 + 8);
		/* blink, hidden, strike, fonts...: nothing to draw */
		break;
	}
}

/* A colon group (ITU T.416 form): 38:5:N, 38:2:R:G:B, 38:2:CS:R:G:B,
 * 4:N (underline styles). */
static void sgr_group(struct ansi_style *s, const int *v, size_t m)
{
	int c;

	if (v[0] == 38 || v[0] == 48) {
		if (v[1] == 2 && m >= 5)
			c = color_of(2, v + m - 3, 3);
		else
			c = color_of(v[1], v + 2, m - 2);
		if (c >= 0 && v[0] == 38)
			s->fg = (short)c;
		else if (c >= 0)
			s->bg = (short)c;
	} else if (v[0] == 4) {
		if (v[1] == 0)
			s->attrs &= ~(unsigned)ANSI_UNDERLINE;
		else
			s->attrs |= ANSI_UNDERLINE;
	}
}

#define SGR_MAX (CSI_MAX / 2)

/* Apply the parameters p (n bytes, between "ESC [" and "m") to s. */
static void sgr_apply(struct ansi_style *s, const unsigned char *p, size_t n)
{
	int val[SGR_MAX];
	unsigned char sub[SGR_MAX];   /* joined to the previous one by ':' */
	size_t np = 0, i;
	int cur = 0, colon = 0;

	/* Private markers (<=>?) and intermediates make it something else
	 * that ends in m, such as xterm's ESC [ > 4 ; 2 m. */
	for (i = 0; i < n; i++)
		if (p[i] < 0x30 || p[i] > 0x3b)
			return;
	for (i = 0; i <= n; i++) {
		if (i < n && p[i] <= '9') {
			if (cur < 100000)
				cur = cur * 10 + (p[i] - '0');
			continue;
		}
		if (n == 0)
			break;          /* ESC [ m is a reset, below */
		if (np < SGR_MAX) {
			val[np] = cur;
			sub[np++] = (unsigned char)colon;
		}
		cur = 0;
		colon = i < n && p[i] == ':';
	}
	if (np == 0)
		sgr_code(s, 0);
	for (i = 0; i < np;) {
		size_t j = i + 1;
		int code = val[i];

		while (j < np && sub[j])
			j++;
		if (j - i > 1) {
			sgr_group(s, val + i, j - i);
			i = j;
			continue;
		}
		if ((code == 38 || code == 48) && i + 1 < np &&
		    (val[i + 1] == 5 || val[i + 1] == 2)) {
			int kind = val[i + 1];
			size_t want = kind == 5 ? 1 : 3;
			size_t have = np - (i + 2) < want ? np - (i + 2) : want;
			int c = color_of(kind, val + i + 2, have);

			if (c >= 0 && code == 38)
				s->fg = (short)c;
			else if (c >= 0)
				s->bg = (short)c;
			i += 2 + have;
			continue;
		}
		if (code != 38 && code != 48)
			sgr_code(s, code);
		i++;
	}
}

/* ------------------------------------------------------------ output */

static int style_eq(const struct ansi_style *a, const struct ansi_style *b)
{
	return a->fg == b->fg && a->bg == b->bg && a->attrs == b->attrs;
}

/* Widths are ints; a line of two billion columns must not overflow. */
static int add_sat(int a, int b)
{
	return a > INT_MAX - b ? INT_MAX : a + b;
}

/* Append len bytes of w columns in the current style (plus extra attrs),
 * extending the last run when the style is the same. */
static void emit(struct ansi_line *out, struct ansi_state *st,
		 const void *s, size_t len, int w, unsigned extra)
{
	struct ansi_style style = st->style;
	struct ansi_run *last = out->nruns ? &out->runs[out->nruns - 1] : NULL;

	style.attrs |= extra;
	if (last && style_eq(&last->style, &style) &&
	    last->off + last->len == out->text.len) {
		last->len += len;
		last->width = add_sat(last->width, w);
	} else {
		if (out->nruns == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 8;
			out->runs = xrealloc(out->runs, out->cap * sizeof *out->runs);
		}
		last = &out->runs[out->nruns++];
		last->off = out->text.len;
		last->len = len;
		last->width = w;
		last->style = style;
	}
	buf_append(&out->text, s, len);
	out->width = add_sat(out->width, w);
	/* Only col % 8 matters once it is large: keep it a multiple of 8
	 * away from overflowing. */
	if (st->col > INT_MAX - 64)
		st->col -= (INT_MAX / 2) & ~7;
	st->col += w;
}

/* Whether w more columns may go into out.  Something that is wider than
 * max_cols on its own goes into an empty line anyway, so a caller cutting
 * a line into max_cols pieces always moves on. */
static int fits(const struct ansi_line *out, int max_cols, int w)
{
	if (max_cols < 0 || w == 0 || out->width <= max_cols - w)
		return 1;
	return out->width == 0 && max_cols > 0;
}

/* Show something that is not text (control byte, invalid byte, lone ESC)
 * as visible ASCII in the ANSI_SPECIAL style.  0 when it does not fit. */
static int special(struct ansi_line *out, struct ansi_state *st,
		   const char *s, int max_cols)
{
	int w = (int)strlen(s);

	if (!fits(out, max_cols, w))
		return 0;
	emit(out, st, s, (size_t)w, w, ANSI_SPECIAL);
	return 1;
}

static const char hexdig[] = "0123456789abcdef";

static int show_byte(struct ansi_line *out, struct ansi_state *st,
		     unsigned char c, int max_cols)
{
	char s[5] = { '\\', 'x', hexdig[c >> 4], hexdig[c & 15], '\0' };

	return special(out, st, s, max_cols);
}

size_t ansi_decode(struct ansi_line *out, struct ansi_state *st,
		   const char *in, size_t n, int max_cols, int at_end)
{
	static const char spaces[8] = "        ";
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];

		/* The common case: a stretch of printable ASCII. */
		if (c >= 0x20 && c < 0x7f) {
			size_t j = i + 1, end = n;

			if (max_cols >= 0) {
				long room = (long)max_cols - out->width;

				if (room <= 0)
					break;
				if ((size_t)room < n - i)
					end = i + (size_t)room;
			}
			while (j < end && p[j] >= 0x20 && p[j] < 0x7f)
				j++;
			emit(out, st, p + i, j - i, (int)(j - i), 0);
			i = j;
			continue;
		}
		if (c == '\t') {
			int w = 8 - (st->col & 7);

			/* A tab crossing the limit stops at it, as a
			 * terminal's tab stops at the right margin. */
			if (max_cols >= 0) {
				if (out->width >= max_cols)
					break;
				if (w > max_cols - out->width)
					w = max_cols - out->width;
			}
			emit(out, st, spaces, (size_t)w, w, 0);
			i++;
			continue;
		}
		if (c == ESC) {
			int csi;
			size_t len = seq_len(p + i, n - i, &csi);

			if (len == SEQ_TRUNC && !at_end)
				break;
			if (len == SEQ_TRUNC || len == SEQ_BAD) {
				if (!special(out, st, "\\x1b", max_cols))
					break;
				i++;
				continue;
			}
			if (csi && p[i + len - 1] == 'm')
				sgr_apply(&st->style, p + i + 2, len - 3);
			i += len;
			continue;
		}
		if (c == '\r' && i + 1 == n) {
			/* The CR of a CRLF line, or one in the middle that
			 * the next chunk will show: only the caller knows. */
			if (!at_end)
				break;
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			char s[3] = { '^', (char)(c == 0x7f ? '?' : c + 0x40), '\0' };

			if (!special(out, st, s, max_cols))
				break;
			i++;
			continue;
		}

		uint32_t cp;
		size_t len;
		enum utf8_result r = utf8_next(p + i, n - i, &cp, &len);

		if (r == U_TRUNC && !at_end)
			break;
		if (r != U_OK) {
			if (!show_byte(out, st, (unsigned char)c, max_cols))
				break;
			i++;
			continue;
		}
		if (shown_escaped(cp)) {
			char s[8];

			snprintf(s, sizeof s, "\\u%04x", (unsigned)cp);
			if (!special(out, st, s, max_cols))
				break;
			i += len;
			continue;
		}
		int w = char_width(cp);

		if (!fits(out, max_cols, w))
			break;
		emit(out, st, p + i, len, w, 0);
		i += len;
	}
	return i;
}

void ansi_strip(const char *in, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, start = 0;

	while (i < n) {
		const unsigned char *e = memchr(p + i, ESC, n - i);
		size_t k, len;
		int csi;

		if (!e)
			break;
		k = (size_t)(e - p);
		len = seq_len(p + k, n - k, &csi);
		if (len == SEQ_TRUNC || len == SEQ_BAD) {
			i = k + 1;      /* decode shows it; keep it */
			continue;
		}
		buf_append(out, p + start, k - start);
		start = i = k + len;
	}
	buf_append(out, p + start, n - start);
}

void ansi_visible(const char *in, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t i = 0, start = 0;

	while (i < n) {
		uint32_t cp;
		size_t len;

		if (p[i] >= 0x20 && p[i] < 0x7f) {
			i++;
			continue;
		}
		if (p[i] == '\t') {
			i++;
			continue;
		}
		if (p[i] >= 0x80 && utf8_next(p + i, n - i, &cp, &len) == U_OK &&
		    !shown_escaped(cp)) {
			i += len;
			continue;
		}
		buf_append(out, p + start, i - start);
		if (p[i] >= 0x80 && utf8_next(p + i, n - i, &cp, &len) == U_OK) {
			buf_printf(out, "\\u%04X", (unsigned)cp);
			i += len;
		} else {
			buf_printf(out, "\\x%02X", p[i]);
			i++;
		}
		start = i;
	}
	buf_append(out, p + start, n - start);
}

/* One unit of text at s: its length and columns.  Bytes that are not
 * valid UTF-8 count one column each, so any input is measured. */
static size_t unit(const unsigned char *s, size_t len, int *w)
{
	uint32_t cp;
	size_t l;

	if (s[0] >= 0x20 && s[0] < 0x7f) {
		*w = 1;
		return 1;
	}
	if (utf8_next(s, len, &cp, &l) != U_OK) {
		*w = 1;
		return 1;
	}
	*w = char_width(cp);
	return l;
}

size_t ansi_fit(const char *s, size_t len, int cols, int *used)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0, cw;

	while (i < len) {
		size_t l = unit(p + i, len - i, &cw);

		/* Zero-width marks stay with the character before them. */
		if (cw > 0 && w > cols - cw)
			break;
		w += cw;
		i += l;
	}
	if (used)
		*used = w;
	return i;
}

int ansi_width(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int w = 0, cw;

	while (i < len) {
		i += unit(p + i, len - i, &cw);
		w = add_sat(w, cw);
	}
	return w;
}
