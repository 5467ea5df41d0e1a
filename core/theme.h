/* theme.h - colours and attributes for each part of the screen, loaded
 * from themes/<name>.theme.
 *
 * A theme file has one line per slot: `slot fg bg attrs`, where fg and bg
 * are a colour name (black red green yellow blue magenta cyan white, each
 * also as bright-NAME), a number 0-255, #rrggbb, or `default`, and attrs is
 * `-` or a comma-separated list of bold, dim, italic, underline, reverse,
 * standout.  `#` starts a comment.  Slots a theme leaves out keep the
 * built-in default.  Colours the terminal does not have are mapped to the
 * nearest it has; without colours (NO_COLOR, a monochrome terminal) only
 * the attributes are used.  This module only reads the files; tui/colors
 * turns slots into curses attributes.
 */
#ifndef CB_THEME_H
#define CB_THEME_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define THEME_SLOTS(X) \
	X(NORMAL,    "normal",    "text everywhere") \
	X(HEADER,    "header",    "the top line") \
	X(TITLE,     "title",     "pane titles") \
	X(BORDER,    "border",    "pane frames") \
	X(SELECTED,  "selected",  "the selected row") \
	X(DIM,       "dim",       "less important text: disabled targets, idle states") \
	X(KEY,       "key",       "key names in the hint line and help") \
	X(STATUS,    "status",    "the status line") \
	X(ERROR,     "error",     "error messages") \
	X(PASSED,    "passed",    "a passed build, a matching artifact") \
	X(FAILED,    "failed",    "a failed build, a wrong artifact") \
	X(RUNNING,   "running",   "a running build") \
	X(QUEUED,    "queued",    "a queued build") \
	X(CANCELLED, "cancelled", "a cancelled or timed-out build") \
	X(PROGRESS,  "progress",  "the filled part of a progress bar") \
	X(MATCH,     "match",     "search matches in a log") \
	X(EVIDENCE,  "evidence",  "the log line a diagnosis points at") \
	X(LINENO,    "lineno",    "line numbers in a log") \
	X(SPECIAL,   "special",   "control bytes and invalid bytes shown in a log") \
	X(WARN,      "warn",      "warnings and missing tools") \
	X(INPUT,     "input",     "text being edited")

enum theme_slot {
#define X(e, name, help) THEME_##e,
	THEME_SLOTS(X)
#undef X
	THEME_NSLOTS
};

#define THEME_DEFAULT_COLOR (-1)

/* Attribute bits (the same values as ansi.h's for the first five). */
enum {
	THEME_A_BOLD = 1u << 0,
	THEME_A_DIM = 1u << 1,
	THEME_A_ITALIC = 1u << 2,
	THEME_A_UNDERLINE = 1u << 3,
	THEME_A_REVERSE = 1u << 4,
	THEME_A_STANDOUT = 1u << 6,
};

struct theme_spec {
	short fg, bg;        /* 0-255 (xterm numbering) or THEME_DEFAULT_COLOR */
	unsigned attrs;      /* THEME_* bits */
};

struct theme {
	char name[64];
	struct theme_spec slot[THEME_NSLOTS];
};

/* Slot names, for the man page and errors. */
const char *theme_slot_name(enum theme_slot s);

/* The compiled-in default (dark) theme. */
void theme_builtin(struct theme *t);

/* Load theme name from dir/<name>.theme over the built-in one.  Problems
 * in the file ("dark.theme:4: unknown colour 'redd'") are appended to
 * problems (one per line) and the rest still loads.  Returns 0, or -1 with
 * err when the file cannot be read. */
int theme_load(struct theme *t, const char *dir, const char *name,
	       struct buf *problems, struct cb_err *err);

/* Parse one line into t (for tests and the loader).  Returns 0, or -1 with
 * a message in err. */
int theme_parse_line(struct theme *t, const char *line, struct cb_err *err);

/* The names of the themes in dir, sorted ("dark", "light", ...). */
void theme_list(const char *dir, struct strv *out);

/* The nearest xterm-256 colour to r,g,b (from the cube and grey ramp). */
int theme_nearest_256(int r, int g, int b);

/* Map a 0-255 colour to the nearest one a terminal with ncolors colours
 * has (8, 16 or 256); -1 stays -1. */
int theme_map_color(int c, int ncolors);

#endif

