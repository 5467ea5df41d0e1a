/* editor.h - the settings form of one target. */
#ifndef CB_EDITOR_H
#define CB_EDITOR_H

#include "app.h"

/* Open the form on triple's settings as all layers resolve them. */
void editor_open(struct app *a, const char *triple);
void editor_draw(struct app *a);
void editor_key(struct app *a, int is_key, wint_t ch);
void editor_free(struct editor *e);

#endif
