/* colors.h - theme slots and log colours as curses attributes. */
#ifndef CB_COLORS_H
#define CB_COLORS_H

#include "theme.h"

/* Set up colour for the terminal: start_color when the terminal has
 * colours and NO_COLOR is not set.  Returns 1 when colours are used. */
int colors_init(void);

/* Make t the current theme (colour pairs are allocated on first use). */
void colors_apply(const struct theme *t);

/* The curses attributes (including the colour pair) of a slot. */
unsigned long colors_slot(enum theme_slot s);

/* Attributes for any colour combination (log text with SGR colours): fg
 * and bg 0-255 or -1, attrs as THEME_* (or ansi.h) bits. */
unsigned long colors_attr(short fg, short bg, unsigned attrs);

/* Whether colours are in use. */
int colors_enabled(void);

#endif
