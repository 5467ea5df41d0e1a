/* config_value.c - checking and normalising settings values. */
#include "config_value.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "floor.h"
#include "remote.h"

int config_value_is_list(enum config_key k)
{
	enum config_type t = config_key_info(k)->type;

	return t == CONFIG_LIST || t == CONFIG_ENVLIST;
}

/* Edit distance counting a swap of neighbours as one edit ("lnker"). */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t d[33][33];

	if (la > 32 || lb > 32)
		return SIZE_MAX;
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

/* The candidate word is closest to, if it is close enough to be a typo:
 * at most two edits, and no more than half the word changed. */
const char *config_value_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t bestd = SIZE_MAX;

	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, cands[i]);

		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	if (!best || bestd > 2)
		return NULL;
	{
		size_t longer = strlen(word) > strlen(best) ? strlen(word) : strlen(best);

		return bestd * 2 <= longer ? best : NULL;
	}
}

const char *config_value_suggest_key(const char *word)
{
	const char *names[CONFIG_NKEYS];

	for (int k = 0; k < CONFIG_NKEYS; k++)
		names[k] = config_key_info(k)->name;
	return config_value_suggest(word, names, CONFIG_NKEYS);
}

/* ------------------------------------------------------ value checks */

int config_value_has_ctl(const char *v, int allow_ws)
{
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if ((*p < 0x20 || *p == 0x7f) &&
		    !(allow_ws && (*p == '\t' || *p == '\n')))
			return 1;
	return 0;
}

static int all_in(const char *v, const char *extra)
{
	if (!*v)
		return 0;
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr(extra, *p)))
			return 0;
	return 1;
}

/* git's booleans: true/yes/on, false/no/off or a number.  (An empty
 * value, false to git, resets the key here, like every empty value.) */
static int parse_bool(const char *v, int *out)
{
	static const char *const t[] = { "true", "yes", "on" };
	static const char *const f[] = { "false", "no", "off" };
	char *end;
	long n;

	for (size_t i = 0; i < 3; i++)
		if (strcasecmp(v, t[i]) == 0) {
			*out = 1;
			return 0;
		}
	for (size_t i = 0; i < 3; i++)
		if (strcasecmp(v, f[i]) == 0) {
			*out = 0;
			return 0;
		}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end)
		return -1;
	*out = n != 0;
	return 0;
}

/* 90, 90s, 10m, 1h; 0 means none. */
int config_parse_seconds(const char *v, int *out)
{
	unsigned long n = 0, mult = 1;
	const char *p = v;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		n = n * 10 + (unsigned long)(*p++ - '0');
		if (n > INT_MAX)
			return -1;
	}
	if (*p == 'm')
		mult = 60;
	else if (*p == 'h')
		mult = 3600;
	if (*p == 's' || *p == 'm' || *p == 'h')
		p++;
	if (*p || n > INT_MAX / mult)
		return -1;
	*out = (int)(n * mult);
	return 0;
}

static int valid_env_name(const char *p, size_t n)
{
	if (n == 0 || (*p >= '0' && *p <= '9'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(p[i] == '_' || (p[i] >= 'a' && p[i] <= 'z') ||
		      (p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= '0' && p[i] <= '9')))
			return 0;
	return 1;
}

static char *join_words(const char *v)
{
	struct strv w;
	struct buf b;
	char *tmp = xstrdup(v);

	for (char *p = tmp; *p; p++)
		if (*p == '\n')
			*p = ' ';
	strv_init(&w);
	buf_init(&b);
	strv_split_words(&w, tmp);
	for (size_t i = 0; i < w.n; i++)
		buf_printf(&b, "%s%s", i ? " " : "", w.v[i]);
	strv_fini(&w);
	free(tmp);
	return buf_detach(&b);
}

/* Check one non-empty value (one entry of a list key) of key k.  On success
 * *norm, when norm is not NULL, gets its normalised text (caller frees). */
int config_value_check(enum config_key k, const char *v, char **norm,
		       struct cb_err *err)
{
	const char *name = config_key_info(k)->name;
	enum config_type type = config_key_info(k)->type;
	const char *out = v;
	char *owned = NULL;
	char num[32];
	struct floor f;   /* out may point at its name */
	int n;

	if (config_value_has_ctl(v, type == CONFIG_WORDS))
		return cb_err_set(err, CB_ERR_PARSE,
				  "%s: control characters are not allowed", name);
	switch (type) {
	case CONFIG_BOOL:
		if (parse_bool(v, &n) < 0)
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is not a boolean (true or false)", name, v);
		out = n ? "true" : "false";
		break;
	case CONFIG_STRING:     /* the rustup toolchain */
		if (*v == '+')
			out = ++v;
		if (!all_in(v, "._-"))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is not a rustup toolchain name "
				"(stable, nightly, 1.70.0)", name, v);
		break;
	case CONFIG_WORDS:
		out = owned = join_words(v);
		break;
	case CONFIG_ENVLIST: {
		const char *eq = strchr(v, '=');

		if (!eq)
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is not KEY=VALUE", name, v);
		if (!valid_env_name(v, (size_t)(eq - v)))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%.*s' is not a valid variable name",
				name, (int)(eq - v), v);
		if ((eq - v == 9 && !strncmp(v, "RUSTFLAGS", 9)) ||
		    (eq - v == 23 && !strncmp(v, "CARGO_ENCODED_RUSTFLAGS", 23)))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: %.*s would override every target's flags "
				"and is never passed to builds; use rustflags",
				name, (int)(eq - v), v);
		break;
	}
	case CONFIG_VERSION: {
		const char *p = v;

		if (floor_resolve(v, &f) == 0 && strncmp(f.name, "glibc ", 6)) {
			out = f.name;
			break;
		}
		if (!(*v >= '0' && *v <= '9') && strncasecmp(v, "GLIBC_", 6))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is neither a version like 2.17 nor a "
				"distribution (%s)", name, v, floor_names());
		if (!strncasecmp(p, "GLIBC_", 6))
			out = p = v + 6;
		for (;;) {
			size_t digits = strspn(p, "0123456789");

			if (digits == 0 || digits > 9)
				return cb_err_set(err, CB_ERR_PARSE,
					"%s: '%s' is not a version like 2.17", name, v);
			p += digits;
			if (!*p)
				break;
			if (*p++ != '.')
				return cb_err_set(err, CB_ERR_PARSE,
					"%s: '%s' is not a version like 2.17", name, v);
		}
		break;
	}
	case CONFIG_SECONDS:
		if (config_parse_seconds(v, &n) < 0)
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is not a duration (90, 90s, 10m, 1h; "
				"0 for none)", name, v);
		snprintf(num, sizeof num, "%d", n);
		out = num;
		break;
	case CONFIG_PROFILE_NAME:
		if (!strcmp(v, "debug"))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: 'debug' is reserved by cargo; the debug "
				"profile is called 'dev'", name);
		if (!all_in(v, "_-"))
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' is not a profile name (dev, release or "
				"letters, digits, '-' and '_')", name, v);
		break;
	case CONFIG_ADDRESS: {
		char *dest;
		int port;

		if (remote_parse_spec(v, &dest, &port, err) < 0)
			return -1;
		free(dest);
		break;
	}
	case CONFIG_REMOTE_PATH:
		if (*v == '-')
			return cb_err_set(err, CB_ERR_PARSE,
				"%s: '%s' cannot start with '-'", name, v);
		break;
	case CONFIG_CHOICE: {
		const char *const *c = config_key_choices(k);
		struct buf all;

		for (size_t i = 0; c && c[i]; i++)
			if (!strcmp(v, c[i]))
				goto done;
		buf_init(&all);
		for (size_t i = 0; c && c[i]; i++)
			buf_printf(&all, "%s%s", i ? ", " : "", c[i]);
		cb_err_set(err, CB_ERR_PARSE, "%s: '%s' is not one of %s", name, v, all.data);
		buf_fini(&all);
		return -1;
	}
	case CONFIG_TOOL:
	case CONFIG_LIST:
	case CONFIG_PATH:
		break;
	}
done:
	if (norm)
		*norm = owned ? owned : xstrdup(out);
	else
		free(owned);
	return 0;
}

int config_validate(enum config_key k, const char *value, struct cb_err *err)
{
	if ((int)k < 0 || k >= CONFIG_NKEYS)
		return cb_err_set(err, CB_ERR_USAGE, "no such setting (%d)", (int)k);
	if (!value || !*value)
		return 0;
	if (config_value_is_list(k)) {
		const char *p = value;

		while (*p) {
			size_t n = strcspn(p, "\n");

			if (n) {
				char *line = xstrndup(p, n);
				int rc = config_value_check(k, line, NULL, err);

				free(line);
				if (rc < 0)
					return -1;
			}
			p += n + (p[n] == '\n');
		}
		return 0;
	}
	if (config_key_info(k)->type != CONFIG_WORDS && strchr(value, '\n'))
		return cb_err_set(err, CB_ERR_PARSE, "%s: must be one line",
				  config_key_info(k)->name);
	return config_value_check(k, value, NULL, err);
}

int config_value_check_global(const char *key, const char *v, struct cb_err *err)
{
	if (!strcasecmp(key, "jobs")) {
		char *end;
		long n;

		errno = 0;
		n = strtol(v, &end, 10);
		if (errno || end == v || *end || n < 1 || n > 4096)
			return cb_err_set(err, CB_ERR_PARSE,
				"jobs: '%s' is not a positive number", v);
		return 0;
	}
	if (!all_in(v, "_-"))
		return cb_err_set(err, CB_ERR_PARSE,
			"%s: '%s' is not a name (letters, digits, '-' and '_')",
			key, v);
	return 0;
}

