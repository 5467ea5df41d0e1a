/* config_value.h - what a setting's value may be: checks, normalised
 * forms and "did you mean" suggestions.
 *
 * Internal to the config module (config.c); the rest of crossbench uses
 * config_validate() from config.h, which is defined here.
 */
#ifndef CB_CONFIG_VALUE_H
#define CB_CONFIG_VALUE_H

#include <stddef.h>

#include "config.h"
#include "err.h"

/* Whether key k repeats (libpath, env). */
int config_value_is_list(enum config_key k);

/* Check one non-empty value of key k (for a list key: one entry).  Returns
 * 0 and, when norm is not NULL, the normalised text in *norm (caller
 * frees): booleans as true/false, a duration in seconds, words joined by
 * single spaces, a toolchain without '+', a version without "GLIBC_".
 * Returns -1 with err ("timeout: '10x' is not a duration ..."). */
int config_value_check(enum config_key k, const char *v, char **norm,
		       struct cb_err *err);

/* Check a non-empty value of a [crossbench] key (jobs, theme, strategy). */
int config_value_check_global(const char *key, const char *v,
			      struct cb_err *err);

/* Whether v holds a control character (tab and newline allowed when
 * allow_ws is set). */
int config_value_has_ctl(const char *v, int allow_ws);

/* The candidate closest to word when word looks like a typo of it (at most
 * two edits, half the word at most), or NULL.  Static storage. */
const char *config_value_suggest(const char *word, const char *const *cands,
				 size_t n);

/* config_value_suggest() over the per-target keys. */
const char *config_value_suggest_key(const char *word);

#endif
