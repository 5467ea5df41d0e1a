/* arfile.h - the ar archive reader (.a, .rlib) behind artifact_inspect(). */
#ifndef CB_ARFILE_H
#define CB_ARFILE_H

#include "artifact.h"
#include "view.h"

/* Whether v starts with "!<arch>\n" or "!<thin>\n". */
int arfile_detect(const struct view *v);

/* Fill a from the archive in v: read every member (GNU and BSD names),
 * group the members by format, machine, bits, byte order and OS into
 * a->slices (count set), and take the archive's machine from them when
 * they agree.  Members are not read when depth > 0 (no nesting). */
void arfile_read(struct artifact *a, const struct view *v, int depth);

#endif
