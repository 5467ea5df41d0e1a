/* logview.h - log panes: follow, scroll, fold, search, colours. */
#ifndef CB_LOGVIEW_H
#define CB_LOGVIEW_H

#include "app.h"

/* Show triple's newest log (this session's build, else the last on
 * disk): in a new pane, or in the active one. */
void logview_open(struct app *a, const char *triple, int profile, int new_pane);
/* Close pane i (a log opened from disk is closed with it). */
void logview_close(struct app *a, size_t i);
/* Draw pane p; reads only the lines in view. */
void logview_draw(struct app *a, struct pane *p, int focused);
/* Handle act in pane p; 0 when it is not a log key. */
int logview_key(struct app *a, struct pane *p, enum key_action act);
/* Point each pane at its target's newest log (the first pane follows the
 * matrix's selection). */
void logview_sync(struct app *a);
/* The log p shows, or NULL. */
struct logstore *logview_store(struct pane *p);
/* Find the search text from p's mark or top, wrapping at the ends. */
void logview_search(struct app *a, struct pane *p, int backward, int from_next);

#endif
