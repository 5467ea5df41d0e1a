/* jsontext.h - any C string as a JSON value.
 *
 * jansson refuses a string that is not UTF-8 (json_string returns NULL,
 * and json_object_set_new then drops the key without a word).  Paths,
 * strings read from binaries, log lines and host names can be any bytes,
 * so every JSON writer in crossbench goes through these instead.
 */
#ifndef CB_JSONTEXT_H
#define CB_JSONTEXT_H

#include <jansson.h>

#include "buf.h"

/* s as a JSON string; NULL gives null; when s is not UTF-8 its bytes
 * above 0x7f are written as \xNN.  New reference. */
json_t *jsontext(const char *s);

/* The same, but "" also gives null. */
json_t *jsontext_or_null(const char *s);

/* Every string of v, as a JSON array of strings.  New reference. */
json_t *jsontext_array(const struct strv *v);

#endif
