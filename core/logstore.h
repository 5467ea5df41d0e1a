/* logstore.h - every byte of a build's output, on disk, with a line index
 * whose memory does not grow with the log.
 *
 * The text lives only in the file.  Memory holds a sparse index of
 * checkpoints (line number -> byte offset): one every stride_lines lines or
 * stride_bytes bytes, whichever comes first, so a line longer than
 * stride_bytes always ends at a checkpoint.  When the index is full both
 * strides double and it is compacted, so one log costs at most
 * LOGSTORE_MAX_CHECKPOINTS * 16 bytes of index plus a LOGSTORE_BLOCK read
 * buffer (320 KiB) however large it grows, and finding any line reads at
 * most about stride_bytes of the file (64 KiB until the log passes 1 GiB).
 * The last few lines found are remembered, so the lines next to them (the
 * rest of a screen, the line scrolled into view) are found from there, not
 * from their checkpoint.
 *
 * Bytes are stored as they came: ANSI escapes, invalid UTF-8, NUL bytes and
 * lines of any length.  Lines end at '\n'; a final line without one counts.
 */
#ifndef CB_LOGSTORE_H
#define CB_LOGSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define LOGSTORE_MAX_CHECKPOINTS 16384
#define LOGSTORE_BLOCK 65536
#define LOGSTORE_HINTS 4

struct logstore_checkpoint {
	uint64_t line;   /* 0-based line number */
	uint64_t off;    /* byte offset where that line starts */
};

struct logstore {
	char *path;
	int fd;
	int writable;
	uint64_t bytes;            /* size of the log */
	uint64_t lines_done;       /* lines ended by '\n' */
	uint64_t cur_start;        /* offset where the unfinished line starts */
	struct logstore_checkpoint *cp;
	size_t ncp;
	uint64_t stride_lines, stride_bytes;
	/* The lines found last and where they start: a frame reads the lines
	 * after one of them, or (scrolling up) a line or two before. */
	struct logstore_checkpoint hint[LOGSTORE_HINTS];
	unsigned nhint, next_hint;
	char *block;               /* read buffer, LOGSTORE_BLOCK bytes */
	uint64_t block_off;        /* file offset of block[0] */
	size_t block_len;          /* valid bytes in block */
};

/* Create path (and its directory) as a new, empty log to append to.
 * Returns NULL with err on failure.  Free with logstore_free(). */
struct logstore *logstore_create(const char *path, struct cb_err *err);

/* Open an existing log read-only and index it (one sequential pass). */
struct logstore *logstore_open(const char *path, struct cb_err *err);

/* Close and free; NULL is fine.  The file stays. */
void logstore_free(struct logstore *ls);

/* Append n bytes (one write).  Returns 0 or -1 with err (disk full: the
 * bytes are lost but the index stays consistent with the file). */
int logstore_append(struct logstore *ls, const void *data, size_t n,
		    struct cb_err *err);

/* Number of lines: those ended by '\n' plus an unfinished last one. */
uint64_t logstore_lines(const struct logstore *ls);

/* Where line (0-based) starts and how long it is without its '\n' (a
 * trailing '\r' is kept).  Returns 0, or -1 if there is no such line. */
int logstore_line_span(struct logstore *ls, uint64_t line, uint64_t *off,
		       uint64_t *len);

/* Append to out the bytes [col, col + max) of line; *line_len gets the
 * line's full length when not NULL.  Returns 0 or -1 (no such line, or a
 * read error). */
int logstore_read_line(struct logstore *ls, uint64_t line, uint64_t col,
		       size_t max, struct buf *out, uint64_t *line_len);

/* The next line at or after from (forward) or at or before from
 * (backward) whose text, escape sequences left out (as it is shown),
 * contains needle; case-insensitive for ASCII when icase.
 * Returns 1 and sets *found, 0 when there is none. */
int logstore_find(struct logstore *ls, uint64_t from, int backward,
		  const char *needle, int icase, uint64_t *found);

#endif
