/* lineedit.c - the one-line editor. */
#include "lineedit.h"

#include <string.h>
#include <wchar.h>

#include "ansi.h"

#define CTRL(c) ((c) & 0x1f)

void lineedit_init(struct lineedit *le)
{
	buf_init(&le->text);
	buf_puts(&le->text, "");
	le->cur = 0;
	le->scroll = 0;
}

void lineedit_fini(struct lineedit *le)
{
	buf_fini(&le->text);
}

void lineedit_set(struct lineedit *le, const char *text)
{
	buf_reset(&le->text);
	buf_puts(&le->text, text ? text : "");
	le->cur = le->text.len;
	le->scroll = 0;
}

static int is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

static size_t prev_char(const struct lineedit *le, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && is_cont((unsigned char)le->text.data[at]))
		at--;
	return at;
}

static size_t next_char(const struct lineedit *le, size_t at)
{
	if (at >= le->text.len)
		return le->text.len;
	at++;
	while (at < le->text.len && is_cont((unsigned char)le->text.data[at]))
		at++;
	return at;
}

static void delete_range(struct lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->text.data + from, le->text.data + to, le->text.len - to + 1);
	le->text.len -= to - from;
	le->cur = from;
}

int lineedit_key(struct lineedit *le, int is_key, wint_t ch)
{
	if (is_key) {
		switch (ch) {
		case KEY_LEFT: le->cur = prev_char(le, le->cur); return 1;
		case KEY_RIGHT: le->cur = next_char(le, le->cur); return 1;
		case KEY_HOME: le->cur = 0; return 1;
		case KEY_END: le->cur = le->text.len; return 1;
		case KEY_BACKSPACE:
			delete_range(le, prev_char(le, le->cur), le->cur);
			return 1;
		case KEY_DC:
			delete_range(le, le->cur, next_char(le, le->cur));
			return 1;
		default: return 0;
		}
	}
	switch (ch) {
	case CTRL('a'): le->cur = 0; return 1;
	case CTRL('e'): le->cur = le->text.len; return 1;
	case CTRL('u'): delete_range(le, 0, le->cur); return 1;
	case CTRL('k'): delete_range(le, le->cur, le->text.len); return 1;
	case CTRL('w'): {
		size_t at = le->cur;

		while (at > 0 && le->text.data[at - 1] == ' ')
			at--;
		while (at > 0 && le->text.data[at - 1] != ' ')
			at--;
		delete_range(le, at, le->cur);
		return 1;
	}
	case CTRL('h'): case 127:
		delete_range(le, prev_char(le, le->cur), le->cur);
		return 1;
	default:
		break;
	}
	if (ch >= 32 && ch != 127) {
		char mb[8];
		mbstate_t ps;
		size_t n;

		memset(&ps, 0, sizeof ps);
		n = wcrtomb(mb, (wchar_t)ch, &ps);
		if (n == (size_t)-1)
			return 1;
		buf_grow(&le->text, n);
		memmove(le->text.data + le->cur + n, le->text.data + le->cur,
			le->text.len - le->cur + 1);
		memcpy(le->text.data + le->cur, mb, n);
		le->text.len += n;
		le->cur += n;
		return 1;
	}
	return 0;
}

void lineedit_draw(struct lineedit *le, WINDOW *win, int y, int x, int width,
		   unsigned long attr, int show_cursor)
{
	int before, used;
	size_t fit;

	if (width < 2)
		return;
	if (le->scroll > le->cur)
		le->scroll = le->cur;
	/* Keep the cursor inside the field. */
	while ((before = ansi_width(le->text.data + le->scroll,
				    le->cur - le->scroll)) > width - 1)
		le->scroll = next_char(le, le->scroll);
	fit = ansi_fit(le->text.data + le->scroll, le->text.len - le->scroll,
		       width, &used);
	wattrset(win, (int)attr);
	mvwaddnstr(win, y, x, le->text.data + le->scroll, (int)fit);
	for (int i = used; i < width; i++)
		waddch(win, ' ');
	wattrset(win, 0);
	if (show_cursor) {
		wmove(win, y, x + before);
		curs_set(1);
	}
}
