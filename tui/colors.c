/* colors.c - colour pairs on demand for theme slots and log colours. */
#include "colors.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* Module state, on purpose (STYLE asks for none outside struct app): the
 * colour pairs are curses' own, one set per terminal for the whole
 * process (init_pair, COLOR_PAIR), and this is a mirror of them.  Passing
 * it around would suggest two could exist; stdscr is the same kind of
 * thing.  colors_init() resets it with the terminal. */
static int use_color;
static struct theme current;

/* Colour pairs are allocated on demand: the theme's slots first (at
 * apply), then every colour combination a log uses.  COLOR_PAIR() carries
 * 8 bits, so at most 255; past that a log's new combination is drawn in
 * the default colours rather than redefining a pair already on screen. */
#define PAIR_CACHE 255
static struct { short fg, bg; } pairs[PAIR_CACHE];
static int npairs;

int colors_init(void)
{
	const char *nc = getenv("NO_COLOR");

	use_color = 0;
	npairs = 0;
	if ((nc && *nc) || !has_colors())
		return 0;
	if (start_color() == ERR)
		return 0;
	use_default_colors();
	use_color = COLORS >= 8;
	return use_color;
}

void colors_apply(const struct theme *t)
{
	current = *t;
	npairs = 0;
	/* The slots take the first pairs, so they never run out. */
	for (int s = 0; s < THEME_NSLOTS; s++)
		colors_slot((enum theme_slot)s);
}

static int pair_for(short fg, short bg)
{
	int max = COLOR_PAIRS - 1 < PAIR_CACHE ? COLOR_PAIRS - 1 : PAIR_CACHE;

	if (fg >= 0)
		fg = (short)theme_map_color(fg, COLORS);
	if (bg >= 0)
		bg = (short)theme_map_color(bg, COLORS);
	if (fg < 0 && bg < 0)
		return 0;
	for (int i = 0; i < npairs; i++)
		if (pairs[i].fg == fg && pairs[i].bg == bg)
			return i + 1;
	if (npairs >= max)
		return 0;
	pairs[npairs].fg = fg;
	pairs[npairs].bg = bg;
	init_pair((short)(npairs + 1), fg, bg);
	npairs++;
	return npairs;
}

unsigned long colors_attr(short fg, short bg, unsigned attrs)
{
	unsigned long a = 0;

	if (attrs & THEME_A_BOLD)
		a |= A_BOLD;
	if (attrs & THEME_A_DIM)
		a |= A_DIM;
	if (attrs & THEME_A_ITALIC)
		a |= A_ITALIC;
	if (attrs & THEME_A_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & THEME_A_REVERSE)
		a |= A_REVERSE;
	if (attrs & THEME_A_STANDOUT)
		a |= A_STANDOUT;
	if (use_color)
		a |= (unsigned long)COLOR_PAIR(pair_for(fg, bg));
	return a;
}

unsigned long colors_slot(enum theme_slot s)
{
	const struct theme_spec *sp = &current.slot[s];

	return colors_attr(sp->fg, sp->bg, sp->attrs);
}

int colors_enabled(void)
{
	return use_color;
}
