/* keys.h - every key of the workbench, as one table.
 *
 * Key -> action -> handler.  The `?` help screen, the hint line and the
 * KEYS section of crossbench(1) (`crossbench keys --mdoc`) are all made from
 * this table, so they cannot disagree with what the keys do.
 */
#ifndef CB_KEYS_H
#define CB_KEYS_H

#include <stdio.h>

#include "buf.h"

#define KEY_CONTEXTS(X) \
	X(GLOBAL, "Anywhere") \
	X(MATRIX, "Target matrix") \
	X(LOG,    "Log pane") \
	X(DIAG,   "Diagnosis pane") \
	X(EDITOR, "Settings editor") \
	X(PICKER, "Adding a target") \
	X(PROMPT, "Search and other prompts")

enum key_context {
#define X(e, title) KC_##e,
	KEY_CONTEXTS(X)
#undef X
	KC_NCONTEXTS
};

/* X(ACTION, "hint", "what it does"): the hint is the word or two the
 * bottom line shows next to the key ("" for none). */
#define KEY_ACTIONS(X) \
	X(QUIT,        "quit", "quit; asks first while builds run") \
	X(HELP,        "help", "show this help") \
	X(THEME,       "", "next colour theme (saved in the user config)") \
	X(ALLOW,       "", "review the project's .crossbench and allow it to run what it names") \
	X(FOCUS_NEXT,  "", "move between the matrix, the log and the diagnosis") \
	X(FOCUS_PREV,  "", "the same, backwards") \
	X(REDRAW,      "", "redraw the screen") \
	X(BUILD_ALL,   "build all", "build every enabled target") \
	X(CANCEL_ALL,  "", "cancel every build") \
	X(WATCH,       "watch", "watch mode: rebuild the enabled targets when a file of the project is saved (not target/, .git/ or what git ignores); w again stops") \
	X(PROFILE,     "dev/release", "switch between the dev (debug) and release profiles") \
	X(SPLIT,       "split", "show the selected target's log in another pane, or close it") \
	X(UP,          "", "up") \
	X(DOWN,        "", "down") \
	X(PAGE_UP,     "", "page up") \
	X(PAGE_DOWN,   "", "page down") \
	X(FIRST,       "", "to the top") \
	X(LAST,        "follow", "to the bottom (in a log: follow new output)") \
	X(TOGGLE,      "toggle", "enable or disable the target") \
	X(ADD,         "add", "add a target from rustc's target list") \
	X(DELETE,      "", "remove the target from the settings") \
	X(BUILD,       "build", "build the selected target") \
	X(CANCEL,      "", "cancel the selected target's builds") \
	X(HISTORY,     "history", "the target's past builds: result, commit, when, top diagnosis, and what changed since it last passed; Enter opens a build's log") \
	X(SMOKE,       "", "smoke run: start the built program through the target's runner (qemu, wine) and show its output") \
	X(EDIT,        "settings", "edit the target's settings") \
	X(OPEN_LOG,    "log", "open the target's log") \
	X(FIX,         "fix", "apply the diagnosis's settings fix, then rebuild") \
	X(OPEN_FILE,   "", "open the file the diagnosis points at in $VISUAL or $EDITOR") \
	X(LEFT,        "", "scroll left") \
	X(RIGHT,       "", "scroll right") \
	X(FOLD,        "fold", "fold long lines, or scroll them sideways") \
	X(FOLLOW,      "", "follow new output, or stop following") \
	X(SEARCH,      "search", "search the log") \
	X(NEXT_MATCH,  "", "next match") \
	X(PREV_MATCH,  "", "previous match") \
	X(JUMP,        "", "jump to the evidence line in the log") \
	X(BACK,        "matrix", "back to the matrix; in a form or prompt, discard") \
	X(SAVE,        "", "save the settings (asks: project or user config)") \
	X(COMPLETE,    "", "complete a program name from PATH") \
	X(NEXT_FIELD,  "", "next field") \
	X(PREV_FIELD,  "", "previous field") \
	X(EDIT_KEYS,   "", "edit: Left Right Home End ^A ^E ^U ^W Backspace Delete") \
	X(FILTER,      "", "type to filter; Enter adds the highlighted target") \
	X(ACCEPT,      "", "accept")

enum key_action {
	ACT_NONE = 0,
#define X(e, hint, help) ACT_##e,
	KEY_ACTIONS(X)
#undef X
	ACT_COUNT
};

struct key_binding {
	enum key_context ctx;
	int code;              /* a character, a curses KEY_* code, or a ctrl */
	const char *name;      /* as the help shows it: "j", "Down", "^L" */
	enum key_action action;
};

/* The action bound to a key in ctx (falling back to GLOBAL for the panes,
 * not for forms and prompts); ACT_NONE if none.  is_key says whether code
 * is a curses KEY_* code or a typed character: U+0102 is not KEY_DOWN. */
enum key_action keys_lookup(enum key_context ctx, int is_key, int code);

/* The table, for iteration. */
const struct key_binding *keys_table(size_t *n);

const char *keys_context_title(enum key_context ctx);
const char *keys_action_help(enum key_action a);
/* The hint line's word for a, or "". */
const char *keys_action_hint(enum key_action a);

/* "j, Down" - every key bound to a in ctx, joined. */
void keys_names(enum key_context ctx, enum key_action a, struct buf *out);

/* The help text: one section per context, one line per action. */
void keys_help_text(struct buf *out);

/* The KEYS section of crossbench(1) in mdoc. */
void keys_mdoc(FILE *f);

#endif
