/* ansi.h - turn the bytes a build printed into text that is safe to draw.
 *
 * SGR sequences (colours, bold, underline, reverse) become styles; every
 * other escape sequence (cursor moves, OSC titles, ...) is dropped; other
 * control bytes are shown as ^X, invalid UTF-8 as \xNN, an ESC that starts
 * no sequence as \x1b, and C1 and bidi controls (U+0085, U+202E, ...) as
 * \u0085, in the ANSI_SPECIAL style, so nothing a build prints ever
 * reaches the terminal raw.  Tabs expand to the next multiple of 8
 * columns.  A trailing '\r' (CRLF logs) is dropped.  Decoding can start in
 * the middle of a line from a saved state, so a 10 MB line is never
 * decoded whole to draw a window of it.  State is per line: start each
 * line with ansi_state_init (cargo resets its colours at every line end).
 */
#ifndef CB_ANSI_H
#define CB_ANSI_H

#include <stddef.h>

#include "buf.h"

enum {
	ANSI_BOLD = 1u << 0,
	ANSI_DIM = 1u << 1,
	ANSI_ITALIC = 1u << 2,
	ANSI_UNDERLINE = 1u << 3,
	ANSI_REVERSE = 1u << 4,
	ANSI_SPECIAL = 1u << 5,   /* a shown control byte or invalid byte */
};

#define ANSI_DEFAULT_COLOR (-1)

/* The longest escape sequence recognised (OSC and other strings; a CSI
 * is at most 256 bytes).  An ESC with no end within this many bytes is
 * shown as \x1b rather than waited for. */
#define ANSI_SEQ_MAX 4096

struct ansi_style {
	short fg, bg;       /* 0-255, or ANSI_DEFAULT_COLOR */
	unsigned attrs;     /* ANSI_* bits */
};

/* What carries over from one chunk of a line to the next. */
struct ansi_state {
	struct ansi_style style;
	int col;            /* display column reached (for tab stops) */
};

/* A piece of decoded text in one style. */
struct ansi_run {
	size_t off, len;    /* bytes of ansi_line.text */
	int width;          /* display columns */
	struct ansi_style style;
};

struct ansi_line {
	struct buf text;    /* valid UTF-8, no control bytes */
	struct ansi_run *runs;
	size_t nruns, cap;
	int width;          /* display columns of the whole decoded text */
};

void ansi_state_init(struct ansi_state *st);
void ansi_line_init(struct ansi_line *l);
void ansi_line_reset(struct ansi_line *l);
void ansi_line_fini(struct ansi_line *l);

/* Decode n bytes into out (appending), continuing from *st and updating
 * it.  Stops early, without splitting a character or an escape sequence,
 * before the first visible character that would take out->width past
 * max_cols (max_cols < 0: no limit); zero-width things there (escapes,
 * combining marks, the trailing '\r') are still consumed, so a line that
 * fits exactly is consumed whole.  A tab crossing max_cols is cut short at
 * it; something wider than max_cols on its own is taken into an empty out,
 * so cutting a line into pieces always moves on.  Returns the number of
 * input bytes consumed, so the caller can resume there with *st (and a
 * fresh or reset out for the next piece: tab stops follow st->col).
 * An escape sequence or UTF-8 character cut off by the end of the input is
 * consumed and shown as \xNN only when at_end is set; otherwise decoding
 * stops before it (the caller has more bytes: feed the unconsumed tail,
 * shorter than ANSI_SEQ_MAX, again with what follows). */
size_t ansi_decode(struct ansi_line *out, struct ansi_state *st,
		   const char *in, size_t n, int max_cols, int at_end);

/* Append to out the text of in with every escape sequence removed and
 * nothing else changed (for searching and matching). */
void ansi_strip(const char *in, size_t n, struct buf *out);

/* Append to out the bytes of in (anything: a log line, a setting from a
 * cloned project) as text that is safe to print on a terminal: valid
 * UTF-8 and tabs as they are; other control bytes (ESC included), bytes
 * that are not UTF-8 as \xNN; C1 controls, bidi controls and line
 * separators as \uNNNN.  Nothing a terminal would act on is left. */
void ansi_visible(const char *in, size_t n, struct buf *out);

/* How many bytes of the valid UTF-8 text s (len bytes) fit in cols display
 * columns; *used gets the columns they take.  Never splits a character. */
size_t ansi_fit(const char *s, size_t len, int cols, int *used);

/* Display columns of valid UTF-8 text (wcwidth; unprintable counts 1). */
int ansi_width(const char *s, size_t len);

#endif
