/* test_ansi.c - build output to safe styled text: SGR, dropped escapes,
 * control and invalid bytes, widths, chunking and cut points. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ansi.h"

/* Real lines of `cargo build --color=always` (cargo 1.65, output piped to
 * a file), an error and a warning in samples/hello-pure. */
static const char *const cargo_lines[] = {
	"\033[0m\033[0m\033[1m\033[32m   Compiling\033[0m hello-pure v0.1.0 (/tmp/cb2-hp)",
	"\033[0m\033[1m\033[38;5;9merror[E0308]\033[0m\033[0m\033[1m: mismatched types\033[0m",
	"\033[0m \033[0m\033[0m\033[1m\033[38;5;12m--> \033[0m\033[0msrc/main.rs:2:18\033[0m",
	"\033[0m\033[1m\033[38;5;12m2\033[0m\033[0m \033[0m\033[0m\033[1m\033[38;5;12m|\033[0m\033[0m \033[0m\033[0m    let x: i32 = \"hello\";\033[0m",
	"\033[0m  \033[0m\033[0m\033[1m\033[38;5;12m| \033[0m\033[0m           \033[0m\033[0m\033[1m\033[38;5;12m---\033[0m\033[0m   \033[0m\033[0m\033[1m\033[38;5;9m^^^^^^^\033[0m\033[0m \033[0m\033[0m\033[1m\033[38;5;9mexpected `i32`, found `&str`\033[0m",
	"\033[0m\033[0m\033[1m\033[31merror\033[0m\033[1m:\033[0m could not compile `hello-pure` due to previous error",
	"\033[0m\033[1m\033[33mwarning\033[0m\033[0m\033[1m: unused variable: `unused`\033[0m",
	"\033[0m  \033[0m\033[0m\033[1m\033[38;5;12m= \033[0m\033[0m\033[1mnote\033[0m\033[0m: `#[warn(unused_variables)]` on by default\033[0m",
	"\033[0m\033[0m\033[1m\033[32m    Finished\033[0m dev [unoptimized + debuginfo] target(s) in 0.38s",
};

/* The runs of l as "[fg,bg,attrs]text" pieces, attrs in hex. */
static char *show(const struct ansi_line *l)
{
	static char out[8192];
	size_t o = 0;
	int width = 0;

	out[0] = '\0';
	for (size_t i = 0; i < l->nruns; i++) {
		const struct ansi_run *r = &l->runs[i];

		assert_true(r->off + r->len <= l->text.len);
		assert_int_equal(r->off, i ? l->runs[i - 1].off + l->runs[i - 1].len : 0);
		assert_int_equal(r->width, ansi_width(l->text.data + r->off, r->len));
		width += r->width;
		o += (size_t)snprintf(out + o, sizeof out - o, "[%d,%d,%x]%.*s",
				      r->style.fg, r->style.bg, r->style.attrs,
				      (int)r->len, l->text.data + r->off);
		assert_true(o < sizeof out);
	}
	if (l->nruns)
		assert_int_equal(l->runs[l->nruns - 1].off + l->runs[l->nruns - 1].len,
				 l->text.len);
	assert_int_equal(width, l->width);
	return out;
}

/* Decode s whole (at_end) and return show() of it. */
static char *dec(const char *s, size_t n)
{
	struct ansi_line l;
	struct ansi_state st;
	char *r;

	ansi_line_init(&l);
	ansi_state_init(&st);
	assert_int_equal(ansi_decode(&l, &st, s, n, -1, 1), n);
	r = show(&l);
	ansi_line_fini(&l);
	return r;
}

#define DEC(lit) dec(lit, sizeof lit - 1)

/* The style after decoding s. */
static struct ansi_style style_after(const char *s)
{
	struct ansi_line l;
	struct ansi_state st;

	ansi_line_init(&l);
	ansi_state_init(&st);
	assert_int_equal(ansi_decode(&l, &st, s, strlen(s), -1, 1), strlen(s));
	assert_int_equal(l.text.len, 0);
	ansi_line_fini(&l);
	return st.style;
}

static void expect_style(const char *s, int fg, int bg, unsigned attrs)
{
	struct ansi_style st = style_after(s);

	if (st.fg != fg || st.bg != bg || st.attrs != attrs)
		fail_msg("%s: got fg %d bg %d attrs %x, want %d %d %x", s + 1,
			 st.fg, st.bg, st.attrs, fg, bg, attrs);
}

static void test_sgr(void **state)
{
	(void)state;
	expect_style("\033[1m", -1, -1, ANSI_BOLD);
	expect_style("\033[2m", -1, -1, ANSI_DIM);
	expect_style("\033[3m", -1, -1, ANSI_ITALIC);
	expect_style("\033[4m", -1, -1, ANSI_UNDERLINE);
	expect_style("\033[7m", -1, -1, ANSI_REVERSE);
	expect_style("\033[1;2;3;4;7m", -1, -1,
		     ANSI_BOLD | ANSI_DIM | ANSI_ITALIC | ANSI_UNDERLINE | ANSI_REVERSE);
	expect_style("\033[1;2;3;4;7;22m", -1, -1, ANSI_ITALIC | ANSI_UNDERLINE | ANSI_REVERSE);
	expect_style("\033[1;2;3;4;7;23m", -1, -1, ANSI_BOLD | ANSI_DIM | ANSI_UNDERLINE | ANSI_REVERSE);
	expect_style("\033[1;2;3;4;7;24m", -1, -1, ANSI_BOLD | ANSI_DIM | ANSI_ITALIC | ANSI_REVERSE);
	expect_style("\033[1;2;3;4;7;27m", -1, -1, ANSI_BOLD | ANSI_DIM | ANSI_ITALIC | ANSI_UNDERLINE);
	expect_style("\033[1;31;42;0m", -1, -1, 0);
	expect_style("\033[1;31;42m\033[m", -1, -1, 0);       /* empty = 0 */
	expect_style("\033[1;31;42m\033[;4m", -1, -1, ANSI_UNDERLINE);
	for (int i = 0; i < 8; i++) {
		char s[32];

		snprintf(s, sizeof s, "\033[%dm", 30 + i);
		expect_style(s, i, -1, 0);
		snprintf(s, sizeof s, "\033[%dm", 90 + i);
		expect_style(s, 8 + i, -1, 0);
		snprintf(s, sizeof s, "\033[%dm", 40 + i);
		expect_style(s, -1, i, 0);
		snprintf(s, sizeof s, "\033[%dm", 100 + i);
		expect_style(s, -1, 8 + i, 0);
	}
	expect_style("\033[31;42m\033[39m", -1, 2, 0);
	expect_style("\033[31;42m\033[49m", 1, -1, 0);
	expect_style("\033[38;5;208m", 208, -1, 0);
	expect_style("\033[48;5;17m", -1, 17, 0);
	expect_style("\033[38;5;9;48;5;12;1m", 9, 12, ANSI_BOLD);
	expect_style("\033[38;5;256m", -1, -1, 0);           /* no such colour */
	expect_style("\033[38;5m", -1, -1, 0);               /* cut short */
	expect_style("\033[38;2;255;0m", -1, -1, 0);
	/* Truecolour to the nearest of the cube and the grey ramp. */
	expect_style("\033[38;2;255;0;0m", 196, -1, 0);
	expect_style("\033[38;2;0;0;0m", 16, -1, 0);
	expect_style("\033[38;2;255;255;255m", 231, -1, 0);
	expect_style("\033[38;2;95;135;175m", 67, -1, 0);
	expect_style("\033[48;2;128;128;128m", -1, 244, 0);
	expect_style("\033[48;2;8;8;8m", -1, 232, 0);
	expect_style("\033[38;2;250;10;5m", 196, -1, 0);
	expect_style("\033[38;2;1;2;300m", -1, -1, 0);
	expect_style("\033[38;2;255;0;0;1m", 196, -1, ANSI_BOLD);
	/* The colon forms of ITU T.416, with and without a colour space. */
	expect_style("\033[38:5:99m", 99, -1, 0);
	expect_style("\033[48:2:255:0:0m", -1, 196, 0);
	expect_style("\033[38:2::0:0:0;1m", 16, -1, ANSI_BOLD);
	expect_style("\033[4:3m", -1, -1, ANSI_UNDERLINE);
	expect_style("\033[4m\033[4:0m", -1, -1, 0);
	/* Several sequences in a row, as cargo prints them. */
	expect_style("\033[0m\033[1m\033[38;5;9m", 9, -1, ANSI_BOLD);
	/* Codes with nothing to draw, and huge numbers, change nothing. */
	expect_style("\033[5;8;9;53;99999999999m", -1, -1, 0);
	/* Something else that ends in m is not SGR. */
	expect_style("\033[>4;2m", -1, -1, 0);
	expect_style("\033[?1m", -1, -1, 0);
	expect_style("\033[1 m", -1, -1, 0);
}

/* The RGB of an xterm-256 colour above 15. */
static void rgb_of(int i, int c[3])
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };

	if (i >= 232) {
		c[0] = c[1] = c[2] = 8 + 10 * (i - 232);
		return;
	}
	i -= 16;
	c[0] = level[i / 36];
	c[1] = level[i / 6 % 6];
	c[2] = level[i % 6];
}

static int dist(const int a[3], int r, int g, int b)
{
	return (a[0] - r) * (a[0] - r) + (a[1] - g) * (a[1] - g) + (a[2] - b) * (a[2] - b);
}

/* Truecolour lands on the nearest of colours 16-255, checked by brute
 * force over a grid. */
static void test_truecolour(void **state)
{
	(void)state;
	expect_style("\033[38;2;0;120;0m", 28, -1, 0);
	expect_style("\033[38;2;0;110;0m", 22, -1, 0);
	for (int r = 0; r < 256; r += 15)
		for (int g = 0; g < 256; g += 15)
			for (int b = 1; b < 256; b += 15) {
				char seq[64];
				struct ansi_style st;
				int c[3], best = 1 << 30;

				snprintf(seq, sizeof seq, "\033[48;2;%d;%d;%dm", r, g, b);
				st = style_after(seq);
				for (int i = 16; i < 256; i++) {
					rgb_of(i, c);
					if (dist(c, r, g, b) < best)
						best = dist(c, r, g, b);
				}
				rgb_of(st.bg, c);
				assert_int_equal(dist(c, r, g, b), best);
			}
}

static void test_cargo(void **state)
{
	(void)state;
	assert_string_equal(dec(cargo_lines[0], strlen(cargo_lines[0])),
			    "[2,-1,1]   Compiling[-1,-1,0] hello-pure v0.1.0 (/tmp/cb2-hp)");
	assert_string_equal(dec(cargo_lines[1], strlen(cargo_lines[1])),
			    "[9,-1,1]error[E0308][-1,-1,1]: mismatched types");
	assert_string_equal(dec(cargo_lines[2], strlen(cargo_lines[2])),
			    "[-1,-1,0] [12,-1,1]--> [-1,-1,0]src/main.rs:2:18");
	assert_string_equal(dec(cargo_lines[4], strlen(cargo_lines[4])),
			    "[-1,-1,0]  [12,-1,1]| [-1,-1,0]           [12,-1,1]---"
			    "[-1,-1,0]   [9,-1,1]^^^^^^^[-1,-1,0] "
			    "[9,-1,1]expected `i32`, found `&str`");
	assert_string_equal(dec(cargo_lines[5], strlen(cargo_lines[5])),
			    "[1,-1,1]error[-1,-1,1]:[-1,-1,0] could not compile "
			    "`hello-pure` due to previous error");
	for (size_t i = 0; i < sizeof cargo_lines / sizeof *cargo_lines; i++) {
		struct buf b;

		/* No escape survives, in the runs or in the stripped text. */
		assert_null(strchr(dec(cargo_lines[i], strlen(cargo_lines[i])), '\033'));
		buf_init(&b);
		ansi_strip(cargo_lines[i], strlen(cargo_lines[i]), &b);
		assert_null(memchr(b.data, '\033', b.len));
		buf_fini(&b);
	}
	/* CRLF output: the CR goes. */
	assert_string_equal(DEC("\033[1m\033[32m    Finished\033[0m ok\r"),
			    "[2,-1,1]    Finished[-1,-1,0] ok");
}

static void test_other_escapes(void **state)
{
	(void)state;
	/* CSI that is not SGR: cursor moves, erase, modes. */
	assert_string_equal(DEC("a\033[2Kb\033[1Ac\033[?25ld\033[10;20He\033[J"),
			    "[-1,-1,0]abcde");
	/* cargo's progress bar on a terminal. */
	assert_string_equal(DEC("\033[K    Building [=====>   ] 3/9: ring\r"),
			    "[-1,-1,0]    Building [=====>   ] 3/9: ring");
	/* OSC ended by BEL and by ST; OSC 8 hyperlinks keep their text. */
	assert_string_equal(DEC("\033]0;title\007x\033]2;t\033\\y"), "[-1,-1,0]xy");
	assert_string_equal(DEC("\033]8;;file:///src/main.rs\033\\main.rs\033]8;;\033\\:2"),
			    "[-1,-1,0]main.rs:2");
	/* DCS, APC, PM strings. */
	assert_string_equal(DEC("a\033Pq#0;2;0;0;0\033\\b\033_apc\033\\c\033^pm\007d"),
			    "[-1,-1,0]abcd");
	/* Two-byte escapes and nF escapes such as tput sgr0's ESC ( B. */
	assert_string_equal(DEC("\0337a\0338b\033=c\033>d\033Me\033(Bf\033#8g\033 Fh"),
			    "[-1,-1,0]abcdefgh");
	assert_string_equal(DEC("\033[1m\033(B\033[mx"), "[-1,-1,0]x");
	/* A string cut short by a new escape: the new one counts. */
	assert_string_equal(DEC("\033]0;title\033[1mx"), "[-1,-1,1]x");
	/* ESC then something that starts no sequence. */
	assert_string_equal(DEC("a\033\001b"), "[-1,-1,0]a[-1,-1,20]\\x1b^A[-1,-1,0]b");
	assert_string_equal(DEC("a\033\xc3\xa9"), "[-1,-1,0]a[-1,-1,20]\\x1b[-1,-1,0]\xc3\xa9");
	assert_string_equal(DEC("\033[1\001m"), "[-1,-1,20]\\x1b[-1,-1,0][1[-1,-1,20]^A[-1,-1,0]m");
	assert_string_equal(DEC("\033\033[1mx"), "[-1,-1,20]\\x1b[-1,-1,1]x");
}

static void test_truncated_escape(void **state)
{
	struct ansi_line l;
	struct ansi_state st;
	static const char *const cut[] = {
		"ab\033", "ab\033[", "ab\033[38;5;1", "ab\033]0;title", "ab\033]0;t\033",
		"ab\033(", "ab\033P1;2",
	};

	(void)state;
	ansi_line_init(&l);
	for (size_t i = 0; i < sizeof cut / sizeof *cut; i++) {
		ansi_line_reset(&l);
		ansi_state_init(&st);
		/* More bytes may follow: stop before the ESC. */
		assert_int_equal(ansi_decode(&l, &st, cut[i], strlen(cut[i]), -1, 0), 2);
		assert_string_equal(show(&l), "[-1,-1,0]ab");
		/* The end of the line: the ESC is shown, the rest is text. */
		ansi_line_reset(&l);
		ansi_state_init(&st);
		assert_int_equal(ansi_decode(&l, &st, cut[i], strlen(cut[i]), -1, 1),
				 strlen(cut[i]));
		assert_int_equal(strncmp(show(&l), "[-1,-1,0]ab[-1,-1,20]\\x1b", 25), 0);
	}
	ansi_line_fini(&l);
	assert_string_equal(DEC("\033[1"), "[-1,-1,20]\\x1b[-1,-1,0][1");
	/* A CSI with no end in CSI_MAX bytes, or an OSC with none in
	 * ANSI_SEQ_MAX, is not waited for. */
	{
		char big[ANSI_SEQ_MAX + 16];
		struct buf b;

		memset(big, '1', sizeof big);
		memcpy(big, "\033[", 2);
		ansi_line_init(&l);
		ansi_state_init(&st);
		assert_int_equal(ansi_decode(&l, &st, big, 300, -1, 0), 300);
		assert_int_equal(l.text.len, 4 + 299);
		ansi_line_reset(&l);
		ansi_state_init(&st);
		assert_int_equal(ansi_decode(&l, &st, big, 200, -1, 0), 0);
		memcpy(big, "\033]", 2);
		ansi_line_reset(&l);
		assert_int_equal(ansi_decode(&l, &st, big, ANSI_SEQ_MAX - 1, -1, 0), 0);
		assert_int_equal(ansi_decode(&l, &st, big, sizeof big, -1, 0), sizeof big);
		assert_int_equal(l.width, 4 + (int)sizeof big - 1);
		ansi_line_fini(&l);
		/* The same one ended just in time is dropped. */
		big[ANSI_SEQ_MAX - 1] = '\007';
		assert_string_equal(dec(big, sizeof big), "[-1,-1,0]1111111111111111");
		buf_init(&b);
		ansi_strip(big, sizeof big, &b);
		assert_int_equal(b.len, 16);
		buf_fini(&b);
	}
}

static void test_control_bytes(void **state)
{
	(void)state;
	assert_string_equal(dec("a\0b\001c\033", 6), "[-1,-1,0]a[-1,-1,20]^@[-1,-1,0]b"
			    "[-1,-1,20]^A[-1,-1,0]c[-1,-1,20]\\x1b");
	assert_string_equal(DEC("\x1f\x7f\x08\x07\n\x0c"), "[-1,-1,20]^_^?^H^G^J^L");
	/* Only the last CR goes; others are shown, in the current style. */
	assert_string_equal(DEC("\033[31mred\rx\r"), "[1,-1,0]red[1,-1,20]^M[1,-1,0]x");
	assert_string_equal(DEC("a\r\r"), "[-1,-1,0]a[-1,-1,20]^M");
	assert_string_equal(DEC("\r"), "");
	assert_string_equal(DEC("a\r\033[0m"), "[-1,-1,0]a[-1,-1,20]^M");
	/* The last CR of a chunk: wait for the next one. */
	{
		struct ansi_line l;
		struct ansi_state st;

		ansi_line_init(&l);
		ansi_state_init(&st);
		assert_int_equal(ansi_decode(&l, &st, "ab\r", 3, -1, 0), 2);
		assert_int_equal(ansi_decode(&l, &st, "\rc", 2, -1, 1), 2);
		assert_string_equal(show(&l), "[-1,-1,0]ab[-1,-1,20]^M[-1,-1,0]c");
		ansi_line_fini(&l);
	}
}

static void test_invalid_utf8(void **state)
{
	struct ansi_line l;
	struct ansi_state st;

	(void)state;
	/* Overlong forms of '/' and NUL. */
	assert_string_equal(DEC("\xc0\xaf|\xe0\x80\xaf|\xf0\x80\x80\xaf|\xc1\xbf"),
			    "[-1,-1,20]\\xc0\\xaf[-1,-1,0]|[-1,-1,20]\\xe0\\x80\\xaf[-1,-1,0]|"
			    "[-1,-1,20]\\xf0\\x80\\x80\\xaf[-1,-1,0]|[-1,-1,20]\\xc1\\xbf");
	/* Surrogates. */
	assert_string_equal(DEC("\xed\xa0\x80\xed\xbf\xbf"),
			    "[-1,-1,20]\\xed\\xa0\\x80\\xed\\xbf\\xbf");
	/* Above U+10FFFF, and lead bytes that never start anything. */
	assert_string_equal(DEC("\xf4\x90\x80\x80\xf5\xfe\xff"),
			    "[-1,-1,20]\\xf4\\x90\\x80\\x80\\xf5\\xfe\\xff");
	/* The edges that are valid. */
	assert_string_equal(DEC("\xc2\xa0\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\xf0\x90\x80\x80"),
			    "[-1,-1,0]\xc2\xa0\xed\x9f\xbf\xee\x80\x80\xf4\x8f\xbf\xbf\xf0\x90\x80\x80");
	/* Stray continuation bytes, and a character cut short by ASCII. */
	assert_string_equal(DEC("a\x80\xbf" "b\xe2\x82" "c"),
			    "[-1,-1,0]a[-1,-1,20]\\x80\\xbf[-1,-1,0]b[-1,-1,20]\\xe2\\x82[-1,-1,0]c");
	/* Cut short by the end of the line, and by the end of a chunk. */
	assert_string_equal(DEC("\033[1mx\xe2\x82"), "[-1,-1,1]x[-1,-1,21]\\xe2\\x82");
	ansi_line_init(&l);
	ansi_state_init(&st);
	assert_int_equal(ansi_decode(&l, &st, "x\xf0\x9f\x98", 4, -1, 0), 1);
	assert_int_equal(ansi_decode(&l, &st, "\xf0\x9f\x98\x80", 4, -1, 0), 4);
	assert_string_equal(show(&l), "[-1,-1,0]x\xf0\x9f\x98\x80");
	ansi_line_fini(&l);
	/* C1 controls and bidi overrides are valid but never drawn raw. */
	assert_string_equal(DEC("a\xc2\x9b" "1m\xc2\x85" "b"),
			    "[-1,-1,0]a[-1,-1,20]\\u009b[-1,-1,0]1m[-1,-1,20]\\u0085[-1,-1,0]b");
	assert_string_equal(DEC("x\xe2\x80\xae" "y\xe2\x81\xa6"),
			    "[-1,-1,0]x[-1,-1,20]\\u202e[-1,-1,0]y[-1,-1,20]\\u2066");
}

static void test_widths(void **state)
{
	struct ansi_line l;
	struct ansi_state st;

	(void)state;
	ansi_line_init(&l);
	ansi_state_init(&st);
	/* CJK is two columns, a combining acute none, é one. */
	ansi_decode(&l, &st, "\xe6\x97\xa5\xe6\x9c\xac" "e\xcc\x81" "\xc3\xa9", 11, -1, 1);
	assert_int_equal(l.width, 6);
	assert_int_equal(st.col, 6);
	assert_int_equal(l.nruns, 1);
	assert_int_equal(ansi_width("\xe6\x97\xa5" "a", 4), 3);
	assert_int_equal(ansi_width("e\xcc\x81", 3), 1);
	assert_int_equal(ansi_width("", 0), 0);
	/* Not valid text: one column a byte. */
	assert_int_equal(ansi_width("\xff\xfe\x01", 3), 3);
	ansi_line_fini(&l);
}

static void test_fit(void **state)
{
	int used = -1;
	const char *s = "ab\xe6\x97\xa5" "c\xcc\x81" "d";   /* a b 日 ć d: 1 1 2 1 1 */

	(void)state;
	assert_int_equal(ansi_fit(s, strlen(s), 0, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(ansi_fit(s, strlen(s), 2, &used), 2);
	assert_int_equal(used, 2);
	/* The wide character does not fit in one column. */
	assert_int_equal(ansi_fit(s, strlen(s), 3, &used), 2);
	assert_int_equal(used, 2);
	assert_int_equal(ansi_fit(s, strlen(s), 4, &used), 5);
	assert_int_equal(used, 4);
	/* The combining mark stays with its c. */
	assert_int_equal(ansi_fit(s, strlen(s), 5, &used), 8);
	assert_int_equal(used, 5);
	assert_int_equal(ansi_fit(s, strlen(s), 100, &used), strlen(s));
	assert_int_equal(used, 6);
	assert_int_equal(ansi_fit(s, strlen(s), 100, NULL), strlen(s));
	assert_int_equal(ansi_fit(s, 3, 100, &used), 3);   /* never reads past len */
	assert_int_equal(used, 3);
}

static void test_tabs(void **state)
{
	struct ansi_line l;
	struct ansi_state st;

	(void)state;
	assert_string_equal(DEC("a\tb"), "[-1,-1,0]a       b");
	assert_string_equal(DEC("\tb"), "[-1,-1,0]        b");
	assert_string_equal(DEC("1234567\tb"), "[-1,-1,0]1234567 b");
	assert_string_equal(DEC("12345678\tb"), "[-1,-1,0]12345678        b");
	/* Wide characters and specials count their columns. */
	assert_string_equal(DEC("\xe6\x97\xa5\t|"), "[-1,-1,0]\xe6\x97\xa5      |");
	assert_string_equal(DEC("\001\tx"), "[-1,-1,20]^A[-1,-1,0]      x");
	/* Escapes take no columns; tabs take the current style. */
	assert_string_equal(DEC("ab\033[4m\tc"), "[-1,-1,0]ab[-1,-1,8]      c");
	/* Tab stops follow st->col across chunks and fresh lines. */
	ansi_line_init(&l);
	ansi_state_init(&st);
	ansi_decode(&l, &st, "abc", 3, -1, 0);
	ansi_line_reset(&l);
	ansi_decode(&l, &st, "\tx", 2, -1, 1);
	assert_string_equal(show(&l), "[-1,-1,0]     x");
	assert_int_equal(st.col, 9);
	ansi_line_fini(&l);
}

/* Decode s split at every position (and in pieces of every size) with
 * the state carried: the runs are those of one call. */
static void check_chunked(const char *s, size_t n)
{
	char whole[8192];
	struct ansi_line l;
	struct ansi_state st;

	snprintf(whole, sizeof whole, "%s", dec(s, n));
	ansi_line_init(&l);
	for (size_t cut = 0; cut <= n; cut++) {
		size_t c;

		ansi_line_reset(&l);
		ansi_state_init(&st);
		c = ansi_decode(&l, &st, s, cut, -1, 0);
		assert_true(c <= cut);
		assert_int_equal(ansi_decode(&l, &st, s + c, n - c, -1, 1), n - c);
		assert_string_equal(show(&l), whole);
	}
	for (size_t step = 1; step < 12; step++) {
		size_t done = 0, avail = 0;

		ansi_line_reset(&l);
		ansi_state_init(&st);
		/* The caller's side: bytes arrive step at a time, and what
		 * was not consumed is fed again with the next ones. */
		while (done < n) {
			avail = avail + step > n - done ? n - done : avail + step;
			size_t c = ansi_decode(&l, &st, s + done, avail, -1,
					       done + avail == n);
			done += c;
			avail -= c;
		}
		assert_string_equal(show(&l), whole);
	}
	ansi_line_fini(&l);
}

static void test_chunked(void **state)
{
	static const char mixed[] =
		"\033[1;31merr\tor\033[0m: \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \xff\xc0\xaf"
		"\001\r\033]8;;http://x\033\\link\033]8;;\007 \033(B\xc2\x9b\xf0\x9f\x98\x80"
		"\033[38;2;10;200;30m\033[48:5:3mtc\033[?25l\033[K end\033\r";

	(void)state;
	for (size_t i = 0; i < sizeof cargo_lines / sizeof *cargo_lines; i++)
		check_chunked(cargo_lines[i], strlen(cargo_lines[i]));
	check_chunked(mixed, sizeof mixed - 1);
	check_chunked("\033", 1);
	check_chunked("\xe2\x82", 2);
	check_chunked("a\r", 2);
}

static void test_runs_merge(void **state)
{
	(void)state;
	assert_string_equal(DEC("\033[1mab\033[1mcd\033[0m\033[1mef"), "[-1,-1,1]abcdef");
	assert_string_equal(DEC("\033[31ma\033[39mb\033[31mc"),
			    "[1,-1,0]a[-1,-1,0]b[1,-1,0]c");
	assert_string_equal(DEC("\001\002ab\003"), "[-1,-1,20]^A^B[-1,-1,0]ab[-1,-1,20]^C");
	assert_string_equal(DEC(""), "");
	assert_string_equal(DEC("\033[1m\033[0m"), "");
}

/* Decode with max_cols: returns consumed, fills shown. */
static size_t cut_at(const char *s, int max, char *shown, size_t n)
{
	struct ansi_line l;
	struct ansi_state st;
	size_t c;

	ansi_line_init(&l);
	ansi_state_init(&st);
	c = ansi_decode(&l, &st, s, strlen(s), max, 1);
	assert_true(l.width <= max || l.nruns == 1);
	snprintf(shown, n, "%s", show(&l));
	ansi_line_fini(&l);
	return c;
}

static void test_max_cols(void **state)
{
	char shown[256];

	(void)state;
	assert_int_equal(cut_at("hello world", 5, shown, sizeof shown), 5);
	assert_string_equal(shown, "[-1,-1,0]hello");
	assert_int_equal(cut_at("hello", 5, shown, sizeof shown), 5);
	assert_int_equal(cut_at("hello", 0, shown, sizeof shown), 0);
	assert_string_equal(shown, "");
	/* Escapes, a CR and combining marks at the limit take no room. */
	assert_int_equal(cut_at("\033[1mhello\033[0m\r", 5, shown, sizeof shown), 14);
	assert_int_equal(cut_at("abce\xcc\x81" "f", 4, shown, sizeof shown), 6);
	assert_string_equal(shown, "[-1,-1,0]abce\xcc\x81");
	/* A wide character at the last column does not fit. */
	assert_int_equal(cut_at("abcd\xe6\x97\xa5", 5, shown, sizeof shown), 4);
	assert_int_equal(cut_at("abcd\xe6\x97\xa5", 6, shown, sizeof shown), 7);
	/* Nor does a \xNN, a ^X or a \x1b. */
	assert_int_equal(cut_at("ab\xff", 5, shown, sizeof shown), 2);
	assert_int_equal(cut_at("ab\xff", 6, shown, sizeof shown), 3);
	assert_int_equal(cut_at("abcd\001", 5, shown, sizeof shown), 4);
	assert_int_equal(cut_at("ab\033\001", 5, shown, sizeof shown), 2);
	/* A tab crossing the limit stops at it. */
	assert_int_equal(cut_at("abc\tx", 5, shown, sizeof shown), 4);
	assert_string_equal(shown, "[-1,-1,0]abc  ");
	assert_int_equal(cut_at("abcde\tx", 5, shown, sizeof shown), 5);
	/* Too wide for the whole width: taken anyway, so a caller moves on. */
	assert_int_equal(cut_at("\xe6\x97\xa5x", 1, shown, sizeof shown), 3);
	assert_int_equal(cut_at("\xff", 2, shown, sizeof shown), 1);
}

/* Cut a line into pieces of w columns, the way a log pane folds it. */
static void check_folds(const char *s, size_t n, int w)
{
	struct ansi_line piece, whole;
	struct ansi_state st;
	struct buf all;
	size_t off = 0;
	int pieces = 0;

	ansi_line_init(&piece);
	ansi_line_init(&whole);
	buf_init(&all);
	ansi_state_init(&st);
	ansi_decode(&whole, &st, s, n, -1, 1);
	ansi_state_init(&st);
	while (off < n) {
		size_t c;

		ansi_line_reset(&piece);
		c = ansi_decode(&piece, &st, s + off, n - off, w, 1);
		assert_true(c > 0);
		assert_true(piece.width <= w);
		/* Full unless it is the last piece. */
		if (off + c < n)
			assert_true(piece.width > w - 4);
		buf_append(&all, piece.text.data, piece.text.len);
		off += c;
		pieces++;
	}
	assert_int_equal(all.len, whole.text.len);
	assert_memory_equal(all.data, whole.text.data, all.len);
	assert_true(pieces >= (whole.width + w - 1) / w);
	buf_fini(&all);
	ansi_line_fini(&piece);
	ansi_line_fini(&whole);
}

static void test_folds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cargo_lines / sizeof *cargo_lines; i++)
		for (int w = 4; w < 30; w++)
			check_folds(cargo_lines[i], strlen(cargo_lines[i]), w);
	check_folds("\xe6\x97\xa5\xe6\x97\xa5\xe6\x97\xa5x\xff\001y", 14, 5);
}

/* A 10 MB line drawn in an 80-column window reads only its start. */
static void test_huge_line(void **state)
{
	size_t n = 10u << 20;
	char *s = malloc(n);
	struct ansi_line l;
	struct ansi_state st;
	size_t c, off = 0;

	(void)state;
	for (size_t i = 0; i < n; i++)
		s[i] = (char)('a' + i % 26);
	memcpy(s, "\033[1;31m", 7);
	ansi_line_init(&l);
	ansi_state_init(&st);
	c = ansi_decode(&l, &st, s, n, 80, 0);
	assert_int_equal(c, 87);
	assert_int_equal(l.width, 80);
	assert_int_equal(l.nruns, 1);
	assert_int_equal(l.runs[0].style.fg, 1);
	/* The next window resumes there with the state. */
	ansi_line_reset(&l);
	c = ansi_decode(&l, &st, s + 87, n - 87, 80, 0);
	assert_int_equal(c, 80);
	assert_int_equal(l.runs[0].style.fg, 1);
	assert_int_equal(l.text.data[0], s[87]);
	/* And the whole of it decodes in one pass, fast. */
	ansi_line_reset(&l);
	ansi_state_init(&st);
	for (int k = 0; k < 5; k++) {
		ansi_line_reset(&l);
		off = ansi_decode(&l, &st, s, n, -1, 1);
	}
	assert_int_equal(off, n);
	assert_int_equal(l.width, (int)n - 7);
	assert_int_equal(l.nruns, 1);
	ansi_line_fini(&l);
	free(s);
}

static void test_strip(void **state)
{
	struct buf b;
	static const char in[] = "\033[1mbold\033[0m \033]0;t\007\xff\001\r\t\033(Bx\033";

	(void)state;
	buf_init(&b);
	ansi_strip(in, sizeof in - 1, &b);
	/* Bytes that are not escapes stay as they are, lone ESC too. */
	assert_int_equal(b.len, 11);
	assert_memory_equal(b.data, "bold \xff\001\r\tx\033", 11);
	buf_reset(&b);
	ansi_strip(cargo_lines[1], strlen(cargo_lines[1]), &b);
	assert_string_equal(b.data, "error[E0308]: mismatched types");
	buf_reset(&b);
	ansi_strip("\033[1", 3, &b);
	assert_int_equal(b.len, 3);
	buf_reset(&b);
	ansi_strip("", 0, &b);
	assert_int_equal(b.len, 0);
	buf_fini(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sgr),
		cmocka_unit_test(test_truecolour),
		cmocka_unit_test(test_cargo),
		cmocka_unit_test(test_other_escapes),
		cmocka_unit_test(test_truncated_escape),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_fit),
		cmocka_unit_test(test_tabs),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_runs_merge),
		cmocka_unit_test(test_max_cols),
		cmocka_unit_test(test_folds),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_strip),
	};

	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 77;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
