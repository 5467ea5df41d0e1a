/* lineedit.h - a one-line text editor for prompts and form fields:
 * cursor keys, Home/End, ^A/^E, ^U (kill to start), ^W (kill word),
 * Backspace, Delete; text is UTF-8 and the cursor moves by character.
 */
#ifndef CB_LINEEDIT_H
#define CB_LINEEDIT_H

#include <curses.h>
#include <stddef.h>

#include "buf.h"

struct lineedit {
	struct buf text;
	size_t cur;        /* byte offset of the cursor, on a character start */
	size_t scroll;     /* first byte shown when the text is wider than the field */
};

void lineedit_init(struct lineedit *le);
void lineedit_fini(struct lineedit *le);
void lineedit_set(struct lineedit *le, const char *text);

/* Handle one key from wget_wch (is_key: a KEY_* code, else a character).
 * Returns 1 when the key was an editing key and was used. */
int lineedit_key(struct lineedit *le, int is_key, wint_t ch);

/* Draw into win at (y, x) within width columns, with attr; places the
 * terminal cursor when show_cursor. */
void lineedit_draw(struct lineedit *le, WINDOW *win, int y, int x, int width,
		   unsigned long attr, int show_cursor);

#endif
