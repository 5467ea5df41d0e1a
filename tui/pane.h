/* pane.h - what every pane of the workbench is to the app (as tig's
 * view_ops and htop's PanelClass): it draws the board, answers keys, says
 * how tall it wants to be, and carries out actions.
 *
 * A pane never calls another pane or writes its fields: it sends an
 * action (open this log, apply this fix, edit this target) with
 * app_send(), and the app hands it to each pane's act() until one takes
 * it.  What panes share (the selection, the profile, the diagnosis shown)
 * lives in struct app; what a target is lives in the board.
 */
#ifndef CB_PANE_H
#define CB_PANE_H

#include <stdint.h>
#include <wchar.h>

#include "app.h"
#include "keys.h"

enum action_kind {
	ACTION_OPEN_LOG,    /* triple's newest log, profile; new_pane */
	ACTION_OPEN_SMOKE,  /* triple's smoke run's log, profile, in the active pane */
	ACTION_OPEN_PAST,   /* path, a past build's log of triple and profile */
	ACTION_CLOSE_LOG,   /* the pane showing triple and profile */
	ACTION_SHOW_LINE,   /* line (1-based) of triple's log, in a pane */
	ACTION_APPLY_FIX,   /* the shown diagnosis's settings fix (asks first) */
	ACTION_OPEN_FILE,   /* the file the shown diagnosis points at */
	ACTION_EDIT,        /* triple's settings */
	ACTION_PICK,        /* add a target */
	ACTION_CLICK,       /* a click on screen row y (0: the first below the header) */
};

struct action {
	enum action_kind kind;
	const char *triple;
	int profile;
	int new_pane;
	int y;
	uint64_t line;
	const char *path;
};

/* Hand ac to the panes; 1 when one took it. */
int app_send(struct app *a, const struct action *ac);

struct pane_ops {
	const char *name;
	/* Draw into its windows (the app refreshes the screen). */
	void (*draw)(struct app *a);
	/* A key while the pane has focus (an overlay: while it is open): act
	 * is what the key table says in its context (ACT_NONE: nothing),
	 * is_key and ch the key itself, for the panes that edit text.
	 * Returns 1 when the key was the pane's. */
	int (*key)(struct app *a, enum key_action act, int is_key, wint_t ch);
	/* Rows it wants now (0: hidden); NULL: what is left. */
	int (*height)(struct app *a);
	/* Carry out ac; 1 when it was this pane's to do. */
	int (*act)(struct app *a, const struct action *ac);
	/* Free what it holds. */
	void (*close)(struct app *a);
};

extern const struct pane_ops matrix_pane, log_pane, diag_pane, help_pane,
	editor_pane, picker_pane, trust_pane, history_pane;

#endif
