/* toml_scan.h - just enough TOML to edit a .cargo/config.toml by lines.
 *
 * Not a TOML parser: it finds the table headers, the keys of each table
 * (plain and dotted), where each key's value ends (strings of the four
 * kinds, arrays over several lines, inline tables), and reads string and
 * string-array values.  That is what adding keys to a file cargo reads
 * needs without rewriting the lines around them.  Table names are their
 * key parts joined by TOML_SEP, so a part may hold dots
 * ("target" TOML_SEP "thumbv8m.main-none-eabi").
 */
#ifndef CB_TOML_SCAN_H
#define CB_TOML_SCAN_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

#define TOML_SEP '\x1f'
#define TOML_NOWHERE ((size_t)-1)

enum toml_line_kind {
	TOML_BLANK,
	TOML_COMMENT,
	TOML_HEADER,        /* [table] */
	TOML_ARRAY_HEADER,  /* [[array-of-tables]] */
	TOML_KEY,           /* key = value (the value's first line) */
	TOML_CONT,          /* more of the value above */
	TOML_OTHER,         /* not understood */
};

struct toml_line {
	size_t start, len;  /* in toml_doc.text, newline included */
	enum toml_line_kind kind;
};

struct toml_table {
	char *name;         /* parts joined by TOML_SEP; "" is the root */
	size_t line;        /* its header, or the first line that defines it */
	size_t last;        /* the last line of its last key: add after it */
	char *prefix;       /* what a key needs in front where the table is
			       defined: "" under a header, "build." for a
			       table made by dotted keys */
	int closed;         /* an inline table: no key can be added */
	struct strv keys;
	size_t *key_line;   /* line of each key */
	size_t *key_value;  /* offset of each key's value in text */
};

struct toml_doc {
	char *text;         /* the text without crossbench's part */
	struct toml_line *lines;
	size_t nlines;
	struct toml_table *tables;
	size_t ntables;
	size_t block_at;    /* the line where the removed block stood, or
			       TOML_NOWHERE */
};

/* Scan text.  When begin and end are given, lines from one starting with
 * begin through one starting with end are taken out (block_at says
 * where); when mark is given, so is every line ending with it.  name is
 * the file's name for messages.  Returns 0, or -1 with err when a block
 * has no end. */
int toml_doc_parse(struct toml_doc *d, const char *text, const char *name,
		   const char *begin, const char *end, const char *mark,
		   struct cb_err *err);
void toml_doc_fini(struct toml_doc *d);

/* The table called name (TOML_SEP-joined), or NULL. */
const struct toml_table *toml_doc_table(const struct toml_doc *d,
					const char *name);
int toml_table_has_key(const struct toml_table *t, const char *key);
/* The line of key in t (TOML_NOWHERE if absent). */
size_t toml_table_key_line(const struct toml_table *t, const char *key);

/* Whether lines from line on hold keys before the next table header:
 * keys of the table above them, which a block put there would take. */
int toml_doc_root_keys_after(const struct toml_doc *d, size_t line);
int toml_doc_line_blank(const struct toml_doc *d, size_t line);

/* Append the value of key in table: one string, or each string of an
 * array.  Returns 1, or 0 when absent or not strings. */
int toml_doc_get(const struct toml_doc *d, const char *table, const char *key,
		 struct strv *out);

/* Write s as a TOML basic string, with quotes. */
void toml_put_string(struct buf *b, const char *s);
/* Write a key: bare when it can be, else quoted. */
void toml_put_key(struct buf *b, const char *key);
/* Write a TOML_SEP-joined table name as a header's dotted keys. */
void toml_put_table(struct buf *b, const char *name);
/* The same as a malloc'd string, for messages. */
char *toml_table_display(const char *name);

/* Whether a line of the file at path holds needle (line_start: starts
 * with it, after blanks), for a quick look at a Cargo.toml without
 * reading it as TOML.  0 when the file cannot be read. */
int toml_scan_file_has(const char *path, const char *needle, int line_start);

#endif
