/* pe.h - the PE/COFF reader behind artifact_inspect(). */
#ifndef CB_PE_H
#define CB_PE_H

#include "artifact.h"
#include "view.h"

/* Whether v starts with an MZ header that points at a PE signature. */
int pe_detect(const struct view *v);

/* Whether v looks like a bare COFF object (what MinGW's gcc -c and a
 * windows-gnu .rlib hold): a known machine, no optional header, and a
 * section and symbol table that fit.  Also import-library members. */
int pe_detect_coff(const struct view *v);

/* Fill a from the PE image in v: PE32/PE32+, machine, subsystem and its
 * version, OS version, DLL or executable, imported and delay-loaded DLLs,
 * named exports, COFF symbols, DWARF sections.  shallow: no exports
 * (archive members). */
void pe_read(struct artifact *a, const struct view *v, int shallow);

/* Fill a from the COFF object in v (pe_detect_coff said yes).  shallow:
 * the header only, no section names (archive members). */
void pe_read_coff(struct artifact *a, const struct view *v, int shallow);

/* The machine name for an IMAGE_FILE_MACHINE_* value, or NULL. */
const char *pe_machine_name(unsigned machine, int *bits);

#endif
