/* diagview.h - the diagnosis pane, apply-fix and open-file. */
#ifndef CB_DIAGVIEW_H
#define CB_DIAGVIEW_H

#include "app.h"

/* The diagnosis of r's newest build of profile (live or from its log on
 * disk), or NULL when it passed or never ran. */
const struct diagnose *diagview_of(const struct board_row *r, int profile);
/* Diagnoses of the selected target. */
size_t diagview_count(struct app *a);
/* The log line (0-based) to highlight in pane p, or -1. */
int64_t diagview_evidence(struct app *a, const struct pane *p);
/* Rows the pane needs now (0: hidden). */
int diagview_height(struct app *a);
void diagview_draw(struct app *a);
/* Handle act with the pane focused; 0 when it is not the pane's. */
int diagview_key(struct app *a, enum key_action act);
/* Show the settings fix, ask, save it and rebuild. */
void diagview_apply(struct app *a);
/* Open the file the diagnosis points at in $VISUAL/$EDITOR. */
void diagview_open_file(struct app *a);

#endif
