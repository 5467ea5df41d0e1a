/* cgoheader.h - the C header cgo writes beside a -buildmode=c-shared or
 * c-archive library (libhello.h beside libhello.so, hello.h beside
 * hello.dll): which functions it says the library exports.
 *
 * The names are the extern function declarations after cgo's
 * "End of boilerplate cgo prologue." comment; before it come the user's
 * preamble (whose own extern declarations are not Go exports) and Go's
 * typedefs.  artifact_check_exports() (artifact.h) then compares them
 * with what the library's export table holds.
 */
#ifndef CB_CGOHEADER_H
#define CB_CGOHEADER_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Larger files are refused: cgo's headers are kilobytes. */
#define CGO_HEADER_MAX ((size_t)16 << 20)
/* Declarations longer than this (comments and spaces excluded) are not
 * cgo's and are skipped. */
#define CGO_DECL_MAX 4096
/* More declared functions than this are refused. */
#define CGO_NAMES_MAX 4096

/* Append to names the functions the header at path declares, in file
 * order, each once.  A header without the marker (hand-written, or from
 * another tool) is read whole.  Returns 0, or -1 with err naming the file:
 * it cannot be read, is empty, is larger than CGO_HEADER_MAX, holds a NUL
 * byte (not text), declares more than CGO_NAMES_MAX functions, or has
 * neither the marker nor any extern function declaration.  On error names
 * is left as it was. */
int cgo_header_exports(const char *path, struct strv *names, struct cb_err *err);

/* The same on n bytes in memory (tests, fuzzers); name is what err says. */
int cgo_header_exports_mem(const void *data, size_t n, const char *name,
			   struct strv *names, struct cb_err *err);

#endif
