/* preset.c - target presets from git-config files; filling them in. */
#include "preset.h"

#include <dirent.h>
#include <fnmatch.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "paths.h"
#include "proc.h"
#include "toolchain.h"
#include "triple.h"

struct preset_entry {
	char *section;  /* "preset", "debian", "fedora", "arch", "macos" */
	char *triple;
	int key;        /* enum config_key */
	char *value;
	int file;       /* which file gave it: a later one replaces a key */
};

struct presets {
	struct preset_entry *e;
	size_t n, cap;
	int nfiles;
};

static const char *const sections[] = {
	"preset", "debian", "fedora", "arch", "macos", NULL,
};

struct presets *preset_new(void)
{
	return xcalloc(1, sizeof(struct presets));
}

void preset_free(struct presets *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->e[i].section);
		free(p->e[i].triple);
		free(p->e[i].value);
	}
	free(p->e);
	free(p);
}

struct loading {
	struct presets *p;
	const char *path;
	struct cb_err *err;
	int bad;
};

/* libgit2 gives "section.sub.section.key" with the subsection verbatim
 * (a triple may hold dots) and section and key lower-cased. */
static int add_entry(const git_config_entry *ce, void *payload)
{
	struct loading *ld = payload;
	struct presets *p = ld->p;
	const char *first = strchr(ce->name, '.');
	const char *last = strrchr(ce->name, '.');
	struct preset_entry *e;
	char *section;
	int known = 0, key;

	if (!first || first == last) {
		ld->bad = 1;
		cb_err_set(ld->err, CB_ERR_PARSE, "%s: '%s': keys belong in "
			   "[preset \"TRIPLE\"] or a host section", ld->path, ce->name);
		return 0;
	}
	section = xstrndup(ce->name, (size_t)(first - ce->name));
	for (const char *const *s = sections; *s; s++)
		known |= !strcmp(section, *s);
	key = config_key_lookup(last + 1);
	if (!known || key < 0) {
		ld->bad = 1;
		if (!known)
			cb_err_set(ld->err, CB_ERR_PARSE, "%s: unknown section [%s]; "
				   "presets are [preset \"T\"], [debian \"T\"], "
				   "[fedora \"T\"], [arch \"T\"], [macos \"T\"]",
				   ld->path, section);
		else
			cb_err_set(ld->err, CB_ERR_PARSE,
				   "%s: [%s \"%.*s\"]: unknown key '%s'",
				   ld->path, section, (int)(last - first - 1), first + 1,
				   last + 1);
		free(section);
		return 0;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 128;
		p->e = xrealloc(p->e, p->cap * sizeof *p->e);
	}
	e = &p->e[p->n++];
	e->section = section;
	e->triple = xstrndup(first + 1, (size_t)(last - first - 1));
	e->key = key;
	e->value = xstrdup(ce->value ? ce->value : "");
	e->file = p->nfiles;
	return 0;
}

int preset_add_file(struct presets *p, const char *path, struct cb_err *err)
{
	struct loading ld = { p, path, err, 0 };
	git_config *cfg = NULL;
	int rc;

	/* libgit2 opens a missing file as an empty one */
	if (access(path, R_OK) < 0)
		return cb_err_sys(err, "%s", path);
	git_libgit2_init();
	p->nfiles++;
	rc = git_config_open_ondisk(&cfg, path);
	if (rc == 0)
		rc = git_config_foreach(cfg, add_entry, &ld);
	if (rc < 0) {
		const git_error *ge = git_error_last();

		cb_err_set(err, CB_ERR_PARSE, "%s: %s", path,
			   ge && ge->message ? ge->message : "cannot read");
	}
	git_config_free(cfg);
	git_libgit2_shutdown();
	return rc < 0 || ld.bad ? -1 : 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every NAME.preset in dir, in name order. */
static void add_dir(struct presets *p, const char *dir, struct cb_err *err)
{
	struct strv names;
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d)
		return;
	strv_init(&names);
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);

		if (l > 7 && de->d_name[0] != '.' &&
		    !strcmp(de->d_name + l - 7, ".preset"))
			strv_push(&names, de->d_name);
	}
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_name);
	for (size_t i = 0; i < names.n; i++) {
		char *path = xasprintf("%s/%s", dir, names.v[i]);

		preset_add_file(p, path, err);
		free(path);
	}
	strv_fini(&names);
}

struct presets *preset_load_default(struct cb_err *err)
{
	struct presets *p = preset_new();
	char dir[4096];

	cb_err_clear(err);
	if (paths_data_dir(PATHS_PRESETS, dir, sizeof dir) == 0)
		add_dir(p, dir, err);
	else
		cb_err_set(err, CB_ERR_NOTFOUND, "%s: no such directory", dir);
	if (paths_user_config_dir(dir, sizeof dir) == 0)
		add_dir(p, dir, err);
	return p;
}

int preset_has(const struct presets *p, const char *triple)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (!strcmp(p->e[i].triple, triple))
			return 1;
	return 0;
}

/* The values of one section's key from the last file that gives it.
 * Returns how many were appended; -1 when no file gives it. */
static int section_values(const struct presets *p, const char *section,
			  const char *triple, enum config_key k, struct strv *out)
{
	int file = -1, n = 0;

	for (size_t i = 0; i < p->n; i++) {
		const struct preset_entry *e = &p->e[i];

		if ((int)e->key == (int)k && !strcmp(e->section, section) &&
		    !strcmp(e->triple, triple) && e->file > file)
			file = e->file;
	}
	if (file < 0)
		return -1;
	for (size_t i = 0; i < p->n; i++) {
		const struct preset_entry *e = &p->e[i];

		if ((int)e->key == (int)k && e->file == file &&
		    !strcmp(e->section, section) && !strcmp(e->triple, triple) &&
		    e->value[0]) {
			strv_push(out, e->value);
			n++;
		}
	}
	return n;
}

size_t preset_values(const struct presets *p, const char *triple,
		     const char *family, enum config_key k, struct strv *out)
{
	int n = -1;

	if (!p || !triple)
		return 0;
	if (family)
		n = section_values(p, family, triple, k, out);
	if (n < 0)
		n = section_values(p, "preset", triple, k, out);
	return n < 0 ? 0 : (size_t)n;
}

int preset_is_program_key(enum config_key k)
{
	return k == CONFIG_CARGO || k == CONFIG_RUSTC || k == CONFIG_CC ||
	       k == CONFIG_CXX || k == CONFIG_AR || k == CONFIG_LINKER ||
	       k == CONFIG_RUNNER;
}

/* The newest program on PATH matching a '*' pattern, by version order
 * (darwin21.4 after darwin20.2). */
static char *match_pattern(const char *pattern, const char *path_env)
{
	size_t pl = strcspn(pattern, "*?[");
	char *prefix = xstrndup(pattern, pl), *best = NULL;
	struct strv names;

	strv_init(&names);
	proc_path_complete(prefix, path_env, &names);
	for (size_t i = 0; i < names.n; i++) {
		if (fnmatch(pattern, names.v[i], 0) != 0)
			continue;
		if (!best || strverscmp(names.v[i], best) > 0) {
			free(best);
			best = xstrdup(names.v[i]);
		}
	}
	strv_fini(&names);
	free(prefix);
	return best;
}

/* One alternative: "prog args..." usable here?  Returns the value with the
 * program's pattern resolved, or NULL. */
static char *usable(const char *alt, const char *path_env,
		    int (*fits)(void *ctx, const char *path), void *ctx)
{
	struct strv words;
	char *prog = NULL, *path = NULL, *out = NULL;
	struct stat st;
	struct buf b;

	strv_init(&words);
	strv_split_words(&words, alt);
	if (!words.n)
		goto done;
	for (size_t i = 1; i < words.n; i++)
		if (words.v[i][0] == '/' && stat(words.v[i], &st) < 0)
			goto done;
	prog = strpbrk(words.v[0], "*?[") && !strchr(words.v[0], '/')
		? match_pattern(words.v[0], path_env) : xstrdup(words.v[0]);
	if (!prog || !(path = proc_which(prog, path_env)))
		goto done;
	if (fits && !fits(ctx, path))
		goto done;
	buf_init(&b);
	buf_puts(&b, prog);
	for (size_t i = 1; i < words.n; i++)
		buf_printf(&b, " %s", words.v[i]);
	out = buf_detach(&b);
done:
	free(prog);
	free(path);
	strv_fini(&words);
	return out;
}

char *preset_pick(const struct presets *p, const char *triple,
		  const char *family, enum config_key k, const char *path_env,
		  int (*fits)(void *ctx, const char *path), void *ctx)
{
	struct strv alts;
	char *out = NULL;

	if (!preset_is_program_key(k))
		return NULL;
	strv_init(&alts);
	preset_values(p, triple, family, k, &alts);
	for (size_t i = 0; i < alts.n && !out; i++)
		out = usable(alts.v[i], path_env, fits, ctx);
	strv_fini(&alts);
	return out;
}

struct fit_ctx {
	struct toolchain *tc;
	const char *triple;
};

static int fits_triple(void *ctx, const char *path)
{
	struct fit_ctx *f = ctx;

	return toolchain_fits(f->tc, path, f->triple);
}

int preset_fill_with(struct toolchain *tc, struct config *c,
		     enum config_level level, const char *triple,
		     struct strv *written, struct cb_err *err)
{
	const struct presets *p = toolchain_presets(tc);
	const struct host *h = toolchain_host(tc);
	const char *family = host_family(h), *path_env;
	char host_t[TRIPLE_MAX];
	struct fit_ctx fc = { tc, triple };
	struct target_settings ts;
	struct triple t;
	int native, count = 0;

	if (triple_parse(&t, triple, err) < 0)
		return -1;
	if (!preset_has(p, triple))
		return 0;
	host_triple(h, host_t, sizeof host_t);
	native = triple_is_host(&t, host_t);
	config_resolve(c, triple, &ts);
	path_env = strv_getenv(&ts.env, "PATH");
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		const struct config_key_info *ki = config_key_info((enum config_key)k);
		char *value = NULL;

		if (ts.origin[k] != CONFIG_LEVEL_BUILTIN)
			continue;   /* the user said; the preset does not */
		if (preset_is_program_key((enum config_key)k)) {
			/* The host's own target builds with the defaults. */
			if (native)
				continue;
			value = preset_pick(p, triple, family, (enum config_key)k,
					    path_env, k == CONFIG_CC || k == CONFIG_CXX ||
					    k == CONFIG_LINKER ? fits_triple : NULL, &fc);
		} else {
			struct strv vals;
			struct buf b;

			strv_init(&vals);
			buf_init(&b);
			preset_values(p, triple, family, (enum config_key)k, &vals);
			/* A list key (env, libpath) takes its entries a line each. */
			for (size_t i = 0; i < vals.n; i++)
				buf_printf(&b, "%s%s", i ? "\n" : "", vals.v[i]);
			strv_fini(&vals);
			value = b.len ? buf_detach(&b) : NULL;
			buf_fini(&b);
		}
		if (!value)
			continue;
		if (config_set(c, level, triple, (enum config_key)k, value, err) < 0) {
			free(value);
			target_settings_fini(&ts);
			return -1;
		}
		if (written)
			strv_pushf(written, "%s = %s", ki->name, value);
		free(value);
		count++;
	}
	target_settings_fini(&ts);
	return count;
}

