/* help.h - the ? screen, made from the key table. */
#ifndef CB_HELP_H
#define CB_HELP_H

#include "app.h"

void help_draw(struct app *a);
void help_key(struct app *a, int ch);

#endif
