/* config_file.h - the text of a git-config file, for what libgit2 cannot do.
 *
 * libgit2 parses and writes the settings files (config.c), but it does not
 * say on which line an entry stands, it cannot delete a section header, and
 * it appends the second value of a repeated key in a new copy of the section
 * at the end of the file.  This module reads the file text line by line to
 * find those lines, and rewrites a file itself for the two edits libgit2
 * does badly.  Rewrites take libgit2's lock (FILE.lock, created
 * exclusively), are checked by parsing the result with libgit2 before they
 * replace the file, and are atomic (write, fsync, rename).
 *
 * Internal to config.c; the rest of crossbench uses config.h.
 */
#ifndef CB_CONFIG_FILE_H
#define CB_CONFIG_FILE_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

enum config_line_kind {
	CONFIG_LINE_BLANK,
	CONFIG_LINE_COMMENT,
	CONFIG_LINE_HEADER,   /* [section] or [section "sub"] */
	CONFIG_LINE_VAR,      /* name = value, with its continuation lines */
	CONFIG_LINE_BAD,      /* a line libgit2 would refuse */
};

/* A cursor over the items of a file's text.  A header followed by a
 * variable on the same line gives two items; the variable has inline_var
 * set and starts where the header ends. */
struct config_scan {
	const char *text;
	size_t len;
	size_t pos;
	int lineno;
	enum config_line_kind kind;
	int line;            /* 1-based line the item starts on */
	size_t start, end;   /* bytes of the item; end is past its newline */
	int inline_var;
	struct buf section;  /* the current section, lower case */
	struct buf sub;      /* its subsection, as written */
	int has_sub;
	struct buf name;     /* a variable's name, lower case */
};

/* Scan text (len bytes, need not be NUL-terminated).  config_scan_next()
 * returns 1 for each item, 0 at the end.  Free with config_scan_fini(). */
void config_scan_init(struct config_scan *s, const char *text, size_t len);
int config_scan_next(struct config_scan *s);
void config_scan_fini(struct config_scan *s);

/* The line of the nth (0-based) variable key in [section "sub"] (sub NULL:
 * no subsection), or of the first header of that section when key is NULL.
 * Names compare as git compares them: section and key ignoring case, the
 * subsection exactly.  Returns the 1-based line, or 0 when not found. */
int config_file_locate(const char *text, size_t len, const char *section,
		       const char *sub, const char *key, int nth);

/* Read a whole file into out (appending).  Returns 0, or -1 with errno set
 * and err filled (ENOENT when it does not exist). */
int config_file_read(const char *path, struct buf *out, struct cb_err *err);

/* Append value to out as git-config value text: quoted when it starts or
 * ends with a space or holds ';' or '#', with '\\', '"', tab and newline
 * escaped. */
void config_file_quote(struct buf *out, const char *value);

/* Set key of [section "sub"] to the single value v, or delete every value
 * it has when v is NULL, through libgit2 (in place, or at the end of the
 * section; the file is created if missing).  A key the file gives more
 * than once, or a file with a key on a header's line, goes through
 * config_file_set_list(), since libgit2 will not replace a repeated key
 * with one value and repeats a key on a header's line on every write.
 * Returns 0 or -1 with err. */
int config_file_set(const char *path, const char *section, const char *sub,
		    const char *key, const char *v, struct cb_err *err);

/* Replace every value of key in [section "sub"] of the file at path with
 * values[0..n-1], in that order, where the first old value stood (or at the
 * end of the first such section, or in a new section at the end); n 0
 * deletes the key.  Creates the file if missing; comments and every other
 * line are kept byte for byte.  Returns 0 or -1 with err. */
int config_file_set_list(const char *path, const char *section,
			 const char *sub, const char *key,
			 char *const values[], size_t n, struct cb_err *err);

/* Delete every [section "sub"] header of the file with its variables and
 * the comments between them.  Returns 1 when a section was removed, 0 when
 * the file has none (or does not exist), -1 with err. */
int config_file_remove_section(const char *path, const char *section,
			       const char *sub, struct cb_err *err);

#endif
