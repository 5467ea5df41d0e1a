/* macho.h - the Mach-O reader (thin and fat) behind artifact_inspect(). */
#ifndef CB_MACHO_H
#define CB_MACHO_H

#include "artifact.h"
#include "view.h"

/* Whether v starts with a thin Mach-O magic (either byte order). */
int macho_detect(const struct view *v);

/* Whether v is a fat (universal) file: 0xcafebabe or 0xcafebabf with a
 * plausible slice count (Java class files share the first magic). */
int macho_detect_fat(const struct view *v);

/* Fill a from the thin Mach-O in v: CPU, file type, dylinker, dylibs,
 * platform, minimum OS and SDK, symbols, DWARF sections. */
void macho_read(struct artifact *a, const struct view *v);

/* Fill a from a fat file: one slice per architecture, each read in full
 * (a slice may be a thin Mach-O or an ar archive, never fat again). */
void macho_read_fat(struct artifact *a, const struct view *v, int depth);

/* The machine name for a Mach-O cputype, or NULL. */
const char *macho_machine_name(uint32_t cputype, int *bits);

#endif
