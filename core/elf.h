/* elf.h - the ELF reader behind artifact_inspect(). */
#ifndef CB_ELF_H
#define CB_ELF_H

#include "artifact.h"
#include "view.h"

/* Whether v starts with the ELF magic. */
int elf_detect(const struct view *v);

/* Fill a from the ELF file in v: class, byte order, machine, OS/ABI, kind,
 * interpreter, DT_NEEDED, .gnu.version_r maxima, symbols, debug info.
 * Anything that does not fit the file becomes a malformed finding.
 * shallow: the headers only, no section walk (archive members). */
void elf_read(struct artifact *a, const struct view *v, int shallow);

/* The machine name (triple.h's vocabulary) for an e_machine value and ELF
 * class (32 or 64), or NULL. */
const char *elf_machine_name(unsigned e_machine, int bits);

#endif
