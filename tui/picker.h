/* picker.h - adding a target from rustc's target list. */
#ifndef CB_PICKER_H
#define CB_PICKER_H

#include "app.h"

/* List rustc's targets not yet in the settings, filtered as you type. */
void picker_open(struct app *a);
void picker_draw(struct app *a);
void picker_key(struct app *a, int is_key, wint_t ch);
void picker_free(struct picker *p);

#endif
