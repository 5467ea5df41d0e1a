/* wasm.h - the WebAssembly module reader behind artifact_inspect(). */
#ifndef CB_WASM_H
#define CB_WASM_H

#include "artifact.h"
#include "view.h"

/* Whether v starts with "\0asm". */
int wasm_detect(const struct view *v);

/* Fill a from the module in v: wasm32 or wasm64 (memory64 limits), kind
 * (a "linking" section makes an object, "dylink.0" a shared library),
 * import modules as needed, WASI, name section, DWARF. */
void wasm_read(struct artifact *a, const struct view *v);

#endif
