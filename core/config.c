/* config.c - the settings model: load the layers, resolve, validate, write.
 *
 * Each file is parsed by libgit2 into entries ("target.T.key" = value);
 * config_file.c finds the line of an entry for a problem report.  What a
 * file says is kept per section (struct section_vals), already checked and
 * normalised, so that resolving a target is only applying sections in
 * order: user [target], user [target "T"], project [target], project
 * [target "T"].
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "config_file.h"
#include "config_value.h"
#include "paths.h"
#include "remote.h"
#include "trust.h"

static const struct config_key_info key_table[CONFIG_NKEYS] = {
#define X(e, name, type, help) { name, type, help },
	CONFIG_TARGET_KEYS(X)
#undef X
};

/* The keys of [crossbench]. */
static const char *const global_keys[] = { "jobs", "theme", "strategy" };
#define NGLOBAL (sizeof global_keys / sizeof *global_keys)

/* What one file says in [target] or in one [target "T"]. */
struct section_vals {
	char *triple;                       /* NULL: [target] */
	unsigned char set[CONFIG_NKEYS];    /* the file gives the key */
	char *val[CONFIG_NKEYS];            /* scalar, normalised; NULL: default */
	unsigned char reset[CONFIG_NKEYS];  /* list: an empty entry dropped the
					       entries of earlier sections */
	struct strv list[CONFIG_NKEYS];     /* list entries after that */
};

struct layer {
	struct section_vals *sec;           /* sec[0] is [target] */
	size_t nsec;
};

struct config_priv {
	struct layer layer[CONFIG_NLEVELS];
	struct strv rows;                   /* triples in order of appearance */
	int git_init;
	/* Set by writable_path: the allowed hash the project file still had
	 * before crossbench saved it, so the save keeps it allowed. */
	char renew_from[65];
};

const struct config_key_info *config_key_info(enum config_key k)
{
	if ((int)k < 0 || k >= CONFIG_NKEYS)
		return NULL;
	return &key_table[k];
}

const char *const *config_key_choices(enum config_key k)
{
	static const char *const kinds[] = { "cargo", "go", NULL };
	static const char *const modes[] = { "default", "c-shared", "c-archive", "pie", NULL };

	return k == CONFIG_KIND ? kinds : k == CONFIG_BUILDMODE ? modes : NULL;
}

static int file_exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	int ok = access(p, F_OK) == 0;

	free(p);
	return ok;
}

enum project_kind config_detect_kind(const char *project_dir)
{
	return file_exists(project_dir, "go.mod") && !file_exists(project_dir, "Cargo.toml")
		? KIND_GO : KIND_CARGO;
}

int config_key_lookup(const char *name)
{
	for (int k = 0; k < CONFIG_NKEYS; k++)
		if (strcasecmp(name, key_table[k].name) == 0)
			return k;
	return -1;
}

/* A path from a file: ~/ is the home directory, a relative path is
 * relative to the project. */
static char *resolve_path(const struct config *c, const char *v)
{
	const char *home = getenv("HOME");

	if (v[0] == '/')
		return xstrdup(v);
	if (v[0] == '~' && (v[1] == '/' || !v[1]) && home && *home)
		return xasprintf("%s%s", home, v + 1);
	if (!strcmp(v, "."))
		return xstrdup(c->project_dir);
	if (!strncmp(v, "./", 2))
		v += 2;
	return xasprintf("%s/%s", c->project_dir, v);
}

/* ------------------------------------------------------------ loading */

struct loader {
	struct config *c;
	struct layer *layer;
	enum config_level level;
	const char *path;
	struct buf text;
	struct strv seen;       /* entry names read so far, to count repeats */
	struct strv reported;   /* sections already reported or accepted */
};

static void add_problem(struct config *c, const char *file, int line,
			const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_problem(struct config *c, const char *file, int line,
			const char *key, const char *fmt, ...)
{
	struct config_problem *p;
	struct buf b;
	va_list ap;

	c->problems = xrealloc(c->problems, (c->nproblems + 1) * sizeof *c->problems);
	p = &c->problems[c->nproblems++];
	p->file = xstrdup(file ? file : "<built-in>");
	p->line = line;
	p->key = key ? xstrdup(key) : NULL;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	p->message = buf_detach(&b);
}

static struct section_vals *layer_section(struct layer *l, const char *triple)
{
	if (!triple)
		return &l->sec[0];
	for (size_t i = 1; i < l->nsec; i++)
		if (!strcmp(l->sec[i].triple, triple))
			return &l->sec[i];
	l->sec = xrealloc(l->sec, (l->nsec + 1) * sizeof *l->sec);
	memset(&l->sec[l->nsec], 0, sizeof *l->sec);
	l->sec[l->nsec].triple = xstrdup(triple);
	return &l->sec[l->nsec++];
}

static void section_vals_fini(struct section_vals *sv)
{
	free(sv->triple);
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		free(sv->val[k]);
		strv_fini(&sv->list[k]);
	}
}

enum sec_kind { SEC_SKIP, SEC_DEFAULTS, SEC_TARGET, SEC_GLOBAL, SEC_HOST };

/* What kind of section [section "sub"] is; reports an unknown section or a
 * subsection that is not a triple once per file.  line 0: find it. */
static enum sec_kind classify(struct loader *ld, const char *section,
			      const char *sub, int line)
{
	static const char *const known[] = { "target", "crossbench", "host" };
	char *id = xasprintf("%s\n%s", section, sub ? sub : "");
	enum sec_kind kind = SEC_SKIP;
	struct cb_err err;
	struct triple t;
	int first = !strv_has(&ld->reported, id);

	if (!strcmp(section, "include") || !strcmp(section, "includeif")) {
		kind = SEC_SKIP;    /* libgit2 has followed them */
	} else if (!strcmp(section, "target") && !sub) {
		kind = SEC_DEFAULTS;
	} else if (!strcmp(section, "target")) {
		if (triple_parse(&t, sub, &err) == 0) {
			struct config_priv *pv = ld->c->priv;

			kind = SEC_TARGET;
			layer_section(ld->layer, sub);
			if (!strv_has(&pv->rows, sub))
				strv_push(&pv->rows, sub);
		} else if (first) {
			char *key = xasprintf("target.%s", sub);

			if (!line)
				line = config_file_locate(ld->text.data, ld->text.len,
							  section, sub, NULL, 0);
			add_problem(ld->c, ld->path, line, key,
				    "ignoring [target \"%s\"]: %s", sub, err.msg);
			free(key);
		}
	} else if (!strcmp(section, "crossbench") && !sub) {
		kind = SEC_GLOBAL;
	} else if (!strcmp(section, "host") && sub && *sub) {
		kind = SEC_HOST;
	} else if (first) {
		const char *near = config_value_suggest(section, known, 3);
		struct buf msg;

		buf_init(&msg);
		if (sub)
			buf_printf(&msg, "unknown section [%s \"%s\"]", section, sub);
		else
			buf_printf(&msg, "unknown section [%s]", section);
		if (near)
			buf_printf(&msg, "; did you mean [%s]?", near);
		if (!line)
			line = config_file_locate(ld->text.data, ld->text.len,
						  section, sub, NULL, 0);
		add_problem(ld->c, ld->path, line, NULL, "%s", msg.data);
		buf_fini(&msg);
	}
	if (first)
		strv_push(&ld->reported, id);
	free(id);
	return kind;
}

static void unknown_key(struct loader *ld, int line, const char *name,
			const char *section, const char *sub, const char *key)
{
	const char *near;
	struct buf msg;
	int global = 0;

	for (size_t i = 0; i < NGLOBAL; i++)
		global |= !strcmp(key, global_keys[i]);
	buf_init(&msg);
	if (sub)
		buf_printf(&msg, "unknown key '%s' in [%s \"%s\"]", key, section, sub);
	else
		buf_printf(&msg, "unknown key '%s' in [%s]", key, section);
	if (!strcmp(section, "target")) {
		if (global)
			buf_puts(&msg, "; it belongs in [crossbench]");
		else if ((near = config_value_suggest_key(key)))
			buf_printf(&msg, "; did you mean '%s'?", near);
	} else if (config_key_lookup(key) >= 0) {
		buf_puts(&msg, "; per-target keys go in [target] or [target \"T\"]");
	} else if ((near = config_value_suggest(key, global_keys, NGLOBAL))) {
		buf_printf(&msg, "; did you mean '%s'?", near);
	}
	add_problem(ld->c, ld->path, line, name, "%s", msg.data);
	buf_fini(&msg);
}

/* Record value v (NULL: the key was given without '=') of key k in sv. */
static int load_value(struct loader *ld, struct section_vals *sv,
		      enum config_key k, const char *v, struct cb_err *err)
{
	enum config_type type = key_table[k].type;
	const char *name = key_table[k].name;
	char *norm;

	if (!v && type != CONFIG_BOOL)
		return cb_err_set(err, CB_ERR_PARSE,
				  "%s: needs a value (%s = ...)", name, name);
	if (!v)
		v = "true";
	if (config_value_is_list(k)) {
		if (!*v) {
			/* As in git's lists: an empty entry starts over. */
			sv->set[k] = sv->reset[k] = 1;
			strv_fini(&sv->list[k]);
			return 0;
		}
		if (config_value_check(k, v, &norm, err) < 0)
			return -1;
		if (type == CONFIG_LIST) {
			char *abs = resolve_path(ld->c, norm);

			free(norm);
			norm = abs;
		}
		sv->set[k] = 1;
		strv_push(&sv->list[k], norm);
		free(norm);
		return 0;
	}
	if (!*v) {
		/* An empty value puts the built-in default back (for a
		 * boolean too, where git would read false). */
		sv->set[k] = 1;
		free(sv->val[k]);
		sv->val[k] = NULL;
		return 0;
	}
	if (config_value_check(k, v, &norm, err) < 0)
		return -1;
	if (type == CONFIG_PATH) {
		char *abs = resolve_path(ld->c, norm);

		free(norm);
		norm = abs;
	}
	sv->set[k] = 1;
	free(sv->val[k]);
	sv->val[k] = norm;
	return 0;
}

static void load_global(struct loader *ld, const char *key, const char *v,
			int line, const char *name)
{
	struct config_global *g = &ld->c->global;
	struct cb_err err;

	if (!v) {
		add_problem(ld->c, ld->path, line, name,
			    "%s: needs a value (%s = ...)", key, key);
		return;
	}
	if (*v && config_value_check_global(key, v, &err) < 0) {
		add_problem(ld->c, ld->path, line, name, "%s", err.msg);
		return;
	}
	if (!strcmp(key, "jobs")) {
		g->jobs = *v ? atoi(v) : 0;
	} else {
		char **f = !strcmp(key, "theme") ? &g->theme : &g->strategy;

		free(*f);
		*f = *v ? xstrdup(v) : NULL;
	}
}

/* The keys of [host "name"]. */
static const char *const host_keys[] = { "address", "dir", "jobs", "ssh", "ssh-options" };
#define NHOSTKEYS (sizeof host_keys / sizeof *host_keys)

static struct config_host *host_section(struct config *c, const char *name)
{
	for (size_t i = 0; i < c->nhosts; i++)
		if (!strcmp(c->hosts[i].name, name))
			return &c->hosts[i];
	c->hosts = xrealloc(c->hosts, (c->nhosts + 1) * sizeof *c->hosts);
	memset(&c->hosts[c->nhosts], 0, sizeof *c->hosts);
	c->hosts[c->nhosts].name = xstrdup(name);
	return &c->hosts[c->nhosts++];
}

static void load_host(struct loader *ld, const char *sub, const char *key,
		      const char *v, int line, const char *name)
{
	struct config_host *h;
	struct cb_err err;
	char **f = NULL;
	size_t k;

	for (k = 0; k < NHOSTKEYS; k++)
		if (!strcmp(key, host_keys[k]))
			break;
	if (k == NHOSTKEYS) {
		const char *near = config_value_suggest(key, host_keys, NHOSTKEYS);

		add_problem(ld->c, ld->path, line, name, "unknown key '%s' in [host "
			    "\"%s\"]%s%s%s", key, sub, near ? "; did you mean '" : "",
			    near ? near : "", near ? "'?" : " (address, dir, jobs, ssh, ssh-options)");
		return;
	}
	if (!v || config_value_has_ctl(v, 0)) {
		add_problem(ld->c, ld->path, line, name, v ? "%s: control characters "
			    "are not allowed" : "%s: needs a value", key);
		return;
	}
	if (!strcmp(key, "address") && *v) {
		char *dest;
		int port;

		if (remote_parse_spec(v, &dest, &port, &err) < 0) {
			add_problem(ld->c, ld->path, line, name, "%s", err.msg);
			return;
		}
		free(dest);
	}
	if (!strcmp(key, "jobs") && *v) {
		char *end;
		long n = strtol(v, &end, 10);

		if (end == v || *end || n < 1 || n > 256) {
			add_problem(ld->c, ld->path, line, name, "jobs: '%s' is not a "
				    "number of builds from 1 to 256", v);
			return;
		}
	}
	if ((!strcmp(key, "dir") || !strcmp(key, "ssh")) && *v == '-') {
		add_problem(ld->c, ld->path, line, name, "%s: '%s' cannot start with '-'", key, v);
		return;
	}
	h = host_section(ld->c, sub);
	if (ld->level > h->level)
		h->level = ld->level;
	if (!strcmp(key, "jobs")) {
		h->jobs = *v ? atoi(v) : 0;
		return;
	}
	f = !strcmp(key, "address") ? &h->address : !strcmp(key, "dir") ? &h->dir
	  : !strcmp(key, "ssh") ? &h->ssh : &h->ssh_options;
	free(*f);
	*f = *v ? xstrdup(v) : NULL;
}

static void load_entry(struct loader *ld, const git_config_entry *ent)
{
	const char *name = ent->name;
	const char *first = strchr(name, '.'), *last = strrchr(name, '.');
	char *section, *sub = NULL;
	const char *key;
	int line = 0, nth = 0, k;
	struct cb_err err;

	if (!first)
		return;
	section = xstrndup(name, (size_t)(first - name));
	key = last + 1;
	if (last > first)
		sub = xstrndup(first + 1, (size_t)(last - first - 1));
	if (ent->include_depth == 0) {
		for (size_t i = 0; i < ld->seen.n; i++)
			nth += !strcmp(ld->seen.v[i], name);
		strv_push(&ld->seen, name);
		line = config_file_locate(ld->text.data, ld->text.len, section,
					  sub, key, nth);
	}
	switch (classify(ld, section, sub, 0)) {
	case SEC_DEFAULTS:
	case SEC_TARGET:
		k = config_key_lookup(key);
		if (k < 0)
			unknown_key(ld, line, name, section, sub, key);
		else if (load_value(ld, layer_section(ld->layer, sub),
				    (enum config_key)k, ent->value, &err) < 0)
			add_problem(ld->c, ld->path, line, name, "%s", err.msg);
		break;
	case SEC_GLOBAL:
		for (size_t i = 0; i < NGLOBAL; i++)
			if (!strcmp(key, global_keys[i])) {
				load_global(ld, key, ent->value, line, name);
				goto out;
			}
		unknown_key(ld, line, name, section, sub, key);
		break;
	case SEC_HOST:
		load_host(ld, sub, key, ent->value, line, name);
		break;
	case SEC_SKIP:
		break;
	}
out:
	free(section);
	free(sub);
}

/* The line libgit2 names in a parse error: "... (in FILE:12, column 3)". */
static int line_of_message(const char *msg)
{
	const char *in = NULL, *p = msg, *close;
	int line = 0;

	while ((p = strstr(p, "(in ")))
		in = p++;
	if (!in || !(close = strchr(in, ')')))
		return 0;
	for (p = in; p < close; p++)
		if (*p == ':' && p[1] >= '0' && p[1] <= '9')
			line = atoi(p + 1);
	return line;
}

static void load_layer(struct config *c, enum config_level lv)
{
	struct config_priv *pv = c->priv;
	struct loader ld;
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *ent;
	struct config_scan s;
	struct cb_err err;
	int rc;

	if (!c->path[lv])
		return;
	memset(&ld, 0, sizeof ld);
	ld.c = c;
	ld.layer = &pv->layer[lv];
	ld.level = lv;
	ld.path = c->path[lv];
	ld.layer->sec = xcalloc(1, sizeof *ld.layer->sec);
	ld.layer->nsec = 1;
	buf_init(&ld.text);
	strv_init(&ld.seen);
	strv_init(&ld.reported);

	if (config_file_read(ld.path, &ld.text, &err) < 0) {
		if (err.sys_errno != ENOENT)
			add_problem(c, ld.path, 0, NULL, "%s", err.msg);
		goto out;
	}
	if (git_config_open_ondisk(&cfg, ld.path) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		const git_error *ge = git_error_last();
		const char *msg = ge && ge->message ? ge->message : "cannot parse";

		add_problem(c, ld.path, line_of_message(msg), NULL, "%s", msg);
		goto out;
	}
	/* Headers first: a [target "T"] with nothing in it still names a
	 * target, and libgit2 gives no entry for it. */
	config_scan_init(&s, ld.text.data, ld.text.len);
	while (config_scan_next(&s))
		if (s.kind == CONFIG_LINE_HEADER)
			classify(&ld, s.section.data, s.has_sub ? s.sub.data : NULL,
				 s.line);
	config_scan_fini(&s);
	while ((rc = git_config_next(&ent, it)) == 0)
		load_entry(&ld, ent);
	if (rc != GIT_ITEROVER) {
		const git_error *ge = git_error_last();

		add_problem(c, ld.path, 0, NULL, "%s",
			    ge && ge->message ? ge->message : "cannot read entries");
	}
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	buf_fini(&ld.text);
	strv_fini(&ld.seen);
	strv_fini(&ld.reported);
}

/* ---------------------------------------------------------- resolving */

static char **str_field(struct target_settings *ts, enum config_key k)
{
	switch (k) {
	case CONFIG_CARGO: return &ts->cargo;
	case CONFIG_RUSTC: return &ts->rustc;
	case CONFIG_TOOLCHAIN: return &ts->toolchain;
	case CONFIG_CC: return &ts->cc;
	case CONFIG_CXX: return &ts->cxx;
	case CONFIG_AR: return &ts->ar;
	case CONFIG_LINKER: return &ts->linker;
	case CONFIG_PROFILE: return &ts->profile;
	case CONFIG_TARGET_DIR: return &ts->target_dir;
	case CONFIG_GLIBC_MAX: return &ts->glibc_max;
	case CONFIG_FLOOR: return &ts->floor;
	case CONFIG_HOST: return &ts->host;
	case CONFIG_HOST_DIR: return &ts->host_dir;
	case CONFIG_GO: return &ts->go;
	case CONFIG_BUILDMODE: return &ts->buildmode;
	case CONFIG_KIND: return &ts->kind_name;
	default: return NULL;
	}
}

static struct strv *strv_field(struct target_settings *ts, enum config_key k)
{
	switch (k) {
	case CONFIG_RUSTFLAGS: return &ts->rustflags;
	case CONFIG_CFLAGS: return &ts->cflags;
	case CONFIG_RUNNER: return &ts->runner;
	case CONFIG_FEATURES: return &ts->features;
	case CONFIG_SMOKE: return &ts->smoke;
	case CONFIG_LIBPATH: return &ts->libpath;
	case CONFIG_ENV: return &ts->env;
	default: return NULL;
	}
}

/* The number a duration key holds. */
static int *seconds_field(struct target_settings *ts, enum config_key k)
{
	return k == CONFIG_SMOKE_TIMEOUT ? &ts->smoke_timeout_s : &ts->timeout_s;
}

static const char *default_of(enum config_key k)
{
	switch (k) {
	case CONFIG_CARGO: return "cargo";
	case CONFIG_PROFILE: return "dev";
	case CONFIG_GO: return "go";
	case CONFIG_BUILDMODE: return "default";
	default: return NULL;
	}
}

static void apply(struct target_settings *ts, const struct section_vals *sv,
		  enum config_level lv)
{
	for (int i = 0; i < CONFIG_NKEYS; i++) {
		enum config_key k = (enum config_key)i;
		const char *v = sv->val[k];
		struct strv *l = strv_field(ts, k);
		char **f = str_field(ts, k);

		if (!sv->set[k])
			continue;
		ts->origin[k] = lv;
		switch (key_table[k].type) {
		case CONFIG_BOOL:
			ts->enabled = v ? !strcmp(v, "true") : 1;
			break;
		case CONFIG_SECONDS:
			*seconds_field(ts, k) = v ? atoi(v) : 0;
			break;
		case CONFIG_WORDS:
			strv_fini(l);
			if (v)
				strv_split_words(l, v);
			break;
		case CONFIG_LIST:
			if (sv->reset[k])
				strv_fini(l);
			/* -L order is search order: the first one counts. */
			for (size_t j = 0; j < sv->list[k].n; j++)
				if (!strv_has(l, sv->list[k].v[j]))
					strv_push(l, sv->list[k].v[j]);
			break;
		case CONFIG_ENVLIST:
			if (sv->reset[k])
				strv_fini(l);
			/* A later KEY= replaces an earlier one in place. */
			for (size_t j = 0; j < sv->list[k].n; j++) {
				const char *e = sv->list[k].v[j];
				char *name = xstrndup(e, strcspn(e, "="));

				strv_setenv(l, name, e + strlen(name) + 1);
				free(name);
			}
			break;
		default:
			free(*f);
			*f = v ? xstrdup(v) : default_of(k) ? xstrdup(default_of(k)) : NULL;
			break;
		}
	}
}

void config_resolve(const struct config *c, const char *triple,
		    struct target_settings *out)
{
	const struct config_priv *pv = c->priv;

	memset(out, 0, sizeof *out);
	snprintf(out->triple, sizeof out->triple, "%s", triple);
	out->enabled = 1;
	out->untrusted = !config_trusted(c);
	out->cargo = xstrdup("cargo");
	out->profile = xstrdup("dev");
	out->go = xstrdup("go");
	out->buildmode = xstrdup("default");
	out->kind = c->project_dir ? config_detect_kind(c->project_dir) : KIND_CARGO;
	if (!pv)
		return;
	for (int lv = CONFIG_LEVEL_USER; lv < CONFIG_NLEVELS; lv++) {
		const struct layer *l = &pv->layer[lv];

		if (!l->sec)
			continue;
		apply(out, &l->sec[0], (enum config_level)lv);
		for (size_t i = 1; i < l->nsec; i++)
			if (!strcmp(l->sec[i].triple, triple))
				apply(out, &l->sec[i], (enum config_level)lv);
	}
	if (out->kind_name)
		out->kind = !strcmp(out->kind_name, "go") ? KIND_GO : KIND_CARGO;
	if (out->host && *out->host) {
		struct cb_err err;

		out->remote = xcalloc(1, sizeof *out->remote);
		if (config_remote(c, out, out->remote, &err) < 0) {
			remote_host_fini(out->remote);
			free(out->remote);
			out->remote = NULL;
			out->remote_error = xstrdup(err.msg);
		}
	}
}

void target_settings_fini(struct target_settings *ts)
{
	for (int k = 0; k < CONFIG_NKEYS; k++) {
		char **f = str_field(ts, (enum config_key)k);
		struct strv *l = strv_field(ts, (enum config_key)k);

		if (f)
			free(*f);
		if (l)
			strv_fini(l);
	}
	if (ts->remote)
		remote_host_fini(ts->remote);
	free(ts->remote);
	free(ts->remote_error);
	memset(ts, 0, sizeof *ts);
}

const struct target_settings *config_target(const struct config *c,
					    const char *triple)
{
	for (size_t i = 0; i < c->ntargets; i++)
		if (!strcmp(c->targets[i].triple, triple))
			return &c->targets[i];
	return NULL;
}

void config_format_value(const struct target_settings *ts, enum config_key k,
			 struct buf *out)
{
	struct target_settings *t = (struct target_settings *)ts;
	struct strv *l;
	char **f;

	if ((int)k < 0 || k >= CONFIG_NKEYS)
		return;
	switch (key_table[k].type) {
	case CONFIG_BOOL:
		buf_puts(out, ts->enabled ? "true" : "false");
		return;
	case CONFIG_SECONDS:
		/* 0 set on purpose (to cancel a lower layer's) shows as 0. */
		if (*seconds_field(t, k) || ts->origin[k] != CONFIG_LEVEL_BUILTIN)
			buf_printf(out, "%d", *seconds_field(t, k));
		return;
	case CONFIG_WORDS:
	case CONFIG_LIST:
	case CONFIG_ENVLIST:
		l = strv_field(t, k);
		for (size_t i = 0; i < l->n; i++)
			buf_printf(out, "%s%s", i ? (key_table[k].type == CONFIG_WORDS
						    ? " " : "\n") : "", l->v[i]);
		return;
	default:
		f = str_field(t, k);
		if (*f)
			buf_puts(out, *f);
		return;
	}
}

/* ------------------------------------------------------ load / reload */

static void clear_loaded(struct config *c)
{
	struct config_priv *pv = c->priv;

	for (size_t i = 0; i < c->ntargets; i++)
		target_settings_fini(&c->targets[i]);
	free(c->targets);
	c->targets = NULL;
	c->ntargets = 0;
	for (size_t i = 0; i < c->nproblems; i++) {
		free(c->problems[i].file);
		free(c->problems[i].key);
		free(c->problems[i].message);
	}
	free(c->problems);
	c->problems = NULL;
	c->nproblems = 0;
	free(c->global.theme);
	free(c->global.strategy);
	memset(&c->global, 0, sizeof c->global);
	for (size_t i = 0; i < c->nhosts; i++) {
		free(c->hosts[i].name);
		free(c->hosts[i].address);
		free(c->hosts[i].dir);
		free(c->hosts[i].ssh);
		free(c->hosts[i].ssh_options);
	}
	free(c->hosts);
	c->hosts = NULL;
	c->nhosts = 0;
	if (!pv)
		return;
	for (int lv = 0; lv < CONFIG_NLEVELS; lv++) {
		struct layer *l = &pv->layer[lv];

		for (size_t i = 0; i < l->nsec; i++)
			section_vals_fini(&l->sec[i]);
		free(l->sec);
		l->sec = NULL;
		l->nsec = 0;
	}
	strv_fini(&pv->rows);
}

static void load_all(struct config *c)
{
	struct config_priv *pv = c->priv;
	struct cb_err terr;

	/* Before the layers: config_resolve marks what may run. */
	cb_err_clear(&terr);
	c->trust = trust_check(c->project_dir, c->path[CONFIG_LEVEL_PROJECT],
			       c->trust_hash, &terr);
	free(c->trust_error);
	c->trust_error = c->trust == TRUST_UNREADABLE ? xstrdup(terr.msg) : NULL;
	for (int lv = CONFIG_LEVEL_USER; lv < CONFIG_NLEVELS; lv++)
		load_layer(c, (enum config_level)lv);
	c->targets = xcalloc(pv->rows.n ? pv->rows.n : 1, sizeof *c->targets);
	for (size_t i = 0; i < pv->rows.n; i++)
		config_resolve(c, pv->rows.v[i], &c->targets[c->ntargets++]);
}

int config_load(struct config *c, const char *project_dir,
		const char *user_path, const char *project_path,
		struct cb_err *err)
{
	char real[PATH_MAX], dir[PATH_MAX];
	struct config_priv *pv;
	struct stat st;

	memset(c, 0, sizeof *c);
	if (!project_dir || !*project_dir)
		return cb_err_set(err, CB_ERR_USAGE, "no project directory given");
	if (!realpath(project_dir, real) || stat(real, &st) < 0) {
		cb_err_sys(err, "project directory %s", project_dir);
		if (err && err->sys_errno == ENOENT)
			err->code = CB_ERR_NOTFOUND;
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return cb_err_set(err, CB_ERR_NOTFOUND,
				  "project directory %s: not a directory", project_dir);
	c->project_dir = xstrdup(real);
	if (user_path)
		c->path[CONFIG_LEVEL_USER] = xstrdup(user_path);
	else if (paths_user_config_dir(dir, sizeof dir) == 0)
		c->path[CONFIG_LEVEL_USER] = xasprintf("%s/config", dir);
	c->path[CONFIG_LEVEL_PROJECT] = project_path ? xstrdup(project_path)
				       : xasprintf("%s/.crossbench", real);
	c->priv = pv = xcalloc(1, sizeof *pv);
	pv->git_init = git_libgit2_init() > 0;
	load_all(c);
	return 0;
}

int config_reload(struct config *c, struct cb_err *err)
{
	struct stat st;

	if (!c->priv)
		return cb_err_set(err, CB_ERR_USAGE, "settings were never loaded");
	if (stat(c->project_dir, &st) < 0)
		return cb_err_sys(err, "project directory %s", c->project_dir);
	clear_loaded(c);
	load_all(c);
	return 0;
}

void config_fini(struct config *c)
{
	struct config_priv *pv = c->priv;

	clear_loaded(c);
	for (int lv = 0; lv < CONFIG_NLEVELS; lv++)
		free(c->path[lv]);
	free(c->project_dir);
	free(c->trust_error);
	if (pv && pv->git_init)
		git_libgit2_shutdown();
	free(pv);
	memset(c, 0, sizeof *c);
}

/* ------------------------------------------------------------ writing */

/* A save of allowed settings is the user's own change: note the hash the
 * file has now, if it is still the allowed one, for saved(). */
static void pv_renew_from(struct config *c, enum config_level level)
{
	struct config_priv *pv = c->priv;
	char now[65];

	pv->renew_from[0] = '\0';
	if (level != CONFIG_LEVEL_PROJECT || c->trust != TRUST_ALLOWED)
		return;
	if (trust_hash(c->project_dir, c->path[level], now, NULL, NULL) > 0 &&
	    !strcmp(now, c->trust_hash))
		memcpy(pv->renew_from, now, sizeof now);
}

/* After a save: keep allowed settings allowed, then load them again. */
static int saved(struct config *c, struct cb_err *err)
{
	struct config_priv *pv = c->priv;
	char now[65];

	if (pv->renew_from[0] &&
	    trust_hash(c->project_dir, c->path[CONFIG_LEVEL_PROJECT], now, NULL, NULL) > 0)
		trust_renew(c->project_dir, pv->renew_from, now, NULL);
	pv->renew_from[0] = '\0';
	return config_reload(c, err);
}

int config_trusted(const struct config *c)
{
	return c->trust_session || trust_state_ok(c->trust);
}

void config_trust_session(struct config *c)
{
	size_t i;

	c->trust_session = 1;
	for (i = 0; i < c->ntargets; i++)
		c->targets[i].untrusted = 0;
}

/* What a key of the project's file makes crossbench do. */
static int runs_program(enum config_key k)
{
	switch (k) {
	case CONFIG_CARGO: case CONFIG_RUSTC: case CONFIG_TOOLCHAIN:
	case CONFIG_CC: case CONFIG_CXX: case CONFIG_AR: case CONFIG_LINKER:
	case CONFIG_RUNNER: case CONFIG_HOST: case CONFIG_GO:
		return 1;
	default:
		return 0;
	}
}

int config_remote(const struct config *c, const struct target_settings *ts,
		  struct remote_host *out, struct cb_err *err)
{
	const struct config_host *sec = NULL;
	const char *addr;

	remote_host_init(out);
	if (!ts->host || !*ts->host)
		return 0;
	for (size_t i = 0; i < c->nhosts; i++)
		if (!strcmp(c->hosts[i].name, ts->host))
			sec = &c->hosts[i];
	addr = sec && sec->address ? sec->address : ts->host;
	if (remote_parse_spec(addr, &out->dest, &out->port, err) < 0) {
		char *msg = xstrdup(err->msg);

		cb_err_set(err, CB_ERR_PARSE, "%s: %s", ts->triple, msg);
		free(msg);
		return -1;
	}
	out->name = xstrdup(ts->host);
	if (sec && sec->ssh)
		out->ssh = xstrdup(sec->ssh);
	if (sec && sec->ssh_options)
		strv_split_words(&out->ssh_options, sec->ssh_options);
	{
		/* A directory there: "~/x" is x in the home directory ssh
		 * starts in (nothing there expands the tilde for rsync, mkdir
		 * and cd alike). */
		const char *d = ts->host_dir && *ts->host_dir ? ts->host_dir
			      : sec && sec->dir ? sec->dir : NULL;

		if (d && !strcmp(d, "~"))
			d = ".";
		else if (d && !strncmp(d, "~/", 2))
			d += 2;
		if (d && *d)
			out->dir = xstrdup(d);
	}
	out->jobs = sec && sec->jobs > 0 ? sec->jobs : 1;
	return 1;
}

void config_project_settings(const struct config *c, struct strv *out)
{
	struct buf v;

	buf_init(&v);
	/* Programs, then the environment, then the rest: what runs first. */
	for (int pass = 0; pass < 3; pass++)
		for (size_t i = 0; i < c->ntargets; i++) {
			const struct target_settings *ts = &c->targets[i];

			for (int k = 0; k < CONFIG_NKEYS; k++) {
				int kind = runs_program((enum config_key)k) ? 0
					 : k == CONFIG_ENV ? 1 : 2;

				if (kind != pass || k == CONFIG_ENABLED ||
				    ts->origin[k] != CONFIG_LEVEL_PROJECT)
					continue;
				buf_reset(&v);
				config_format_value(ts, (enum config_key)k, &v);
				for (char *p = v.data; p && *p; p++)
					if (*p == '\n')
						*p = ' ';
				strv_pushf(out, "%s  %s  %s = %s",
					   kind == 0 ? "program" : kind == 1 ? "env    " : "setting",
					   ts->triple, key_table[k].name, v.data ? v.data : "");
			}
			/* A build host the project names, and how ssh reaches
			 * it (ssh-options can hold a ProxyCommand): run first. */
			if (pass == 0 && i + 1 == c->ntargets)
				for (size_t h = 0; h < c->nhosts; h++) {
					const struct config_host *ch = &c->hosts[h];

					if (ch->level != CONFIG_LEVEL_PROJECT)
						continue;
					strv_pushf(out, "program  [host \"%s\"]  address = %s%s%s%s%s",
						   ch->name, ch->address ? ch->address : ch->name,
						   ch->ssh ? "  ssh = " : "", ch->ssh ? ch->ssh : "",
						   ch->ssh_options ? "  ssh-options = " : "",
						   ch->ssh_options ? ch->ssh_options : "");
				}
		}
	buf_fini(&v);
}

void config_project_rules(const struct config *c, struct strv *out)
{
	struct strv files;
	char hash[65];

	strv_init(&files);
	if (trust_hash(c->project_dir, c->path[CONFIG_LEVEL_PROJECT], hash, &files, NULL) >= 0)
		for (size_t i = 0; i < files.n; i++)
			if (strcmp(files.v[i], ".crossbench"))
				strv_pushf(out, "rules    %s", files.v[i]);
	strv_fini(&files);
}

int config_allow(struct config *c, struct cb_err *err)
{
	if (trust_allow(c->project_dir, c->path[CONFIG_LEVEL_PROJECT], err) < 0)
		return -1;
	return config_reload(c, err);
}

/* The file of level, its directory created. */
static const char *writable_path(struct config *c, enum config_level level,
				 int create, struct cb_err *err)
{
	const char *path, *slash;

	if (!c->priv)
		return cb_err_set(err, CB_ERR_USAGE, "settings were never loaded"), NULL;
	if (level != CONFIG_LEVEL_USER && level != CONFIG_LEVEL_PROJECT)
		return cb_err_set(err, CB_ERR_USAGE, "settings are written to the "
				  "user or the project file only"), NULL;
	path = c->path[level];
	if (!path)
		return cb_err_set(err, CB_ERR_NOTFOUND, "no user configuration "
				  "directory: neither XDG_CONFIG_HOME nor HOME is set"),
		       NULL;
	slash = strrchr(path, '/');
	if (create && slash && slash > path) {
		char *dir = xstrndup(path, (size_t)(slash - path));
		int rc = paths_mkdir_p(dir);

		if (rc < 0)
			cb_err_sys(err, "cannot create %s", dir);
		free(dir);
		if (rc < 0)
			return NULL;
	}
	pv_renew_from(c, level);
	return path;
}

/* A path under the project, written into the project's file, stays
 * relative so that the file can be committed. */
static char *project_relative(const struct config *c, enum config_level level,
			      const char *v)
{
	size_t n = strlen(c->project_dir);

	if (level == CONFIG_LEVEL_PROJECT && !strncmp(v, c->project_dir, n)) {
		if (!v[n])
			return xstrdup(".");
		if (v[n] == '/' && v[n + 1])
			return xstrdup(v + n + 1);
	}
	return xstrdup(v);
}

/* The text written for one checked value (one entry of a list) of k: the
 * normalised form, except that a duration stays as typed (10m) and a path
 * under the project is made relative in the project's file.  Caller
 * frees. */
static char *written_form(const struct config *c, enum config_level level,
			  enum config_key k, const char *v)
{
	enum config_type type = key_table[k].type;
	char *norm = NULL, *out;

	if (type == CONFIG_SECONDS || config_value_check(k, v, &norm, NULL) < 0)
		return xstrdup(v);
	if (type != CONFIG_PATH && type != CONFIG_LIST)
		return norm;
	out = project_relative(c, level, norm);
	free(norm);
	return out;
}

int config_set(struct config *c, enum config_level level, const char *triple,
	       enum config_key k, const char *value, struct cb_err *err)
{
	const char *sub = triple && *triple ? triple : NULL;
	const char *path, *name;
	struct triple t;
	int rc;

	if (config_validate(k, value, err) < 0)
		return -1;
	if (sub && triple_parse(&t, sub, err) < 0)
		return -1;
	if (!(path = writable_path(c, level, 1, err)))
		return -1;
	name = key_table[k].name;
	if (!value || !*value) {
		rc = config_file_set(path, "target", sub, name, NULL, err);
	} else if (config_value_is_list(k)) {
		struct strv vals;
		const char *p = value;

		strv_init(&vals);
		while (*p) {
			size_t n = strcspn(p, "\n");

			if (n) {
				char *e = xstrndup(p, n);
				char *w = written_form(c, level, k, e);

				strv_push(&vals, w);
				free(w);
				free(e);
			}
			p += n + (p[n] == '\n');
		}
		if (vals.n)
			rc = config_file_set_list(path, "target", sub, name,
						  strv_argv(&vals), vals.n, err);
		else
			rc = config_file_set(path, "target", sub, name, NULL, err);
		strv_fini(&vals);
	} else {
		char *w = written_form(c, level, k, value);

		rc = config_file_set(path, "target", sub, name, w, err);
		free(w);
	}
	if (rc < 0)
		return -1;
	return saved(c, err);
}

int config_set_global(struct config *c, enum config_level level,
		      const char *key, const char *value, struct cb_err *err)
{
	const char *path, *hint;
	size_t i;

	for (i = 0; i < NGLOBAL; i++)
		if (key && !strcasecmp(key, global_keys[i]))
			break;
	if (i == NGLOBAL) {
		hint = key ? config_value_suggest(key, global_keys, NGLOBAL) : NULL;
		return cb_err_set(err, CB_ERR_USAGE,
			"unknown key '%s' in [crossbench]%s%s%s", key ? key : "",
			hint ? "; did you mean '" : "", hint ? hint : "",
			hint ? "'?" : "");
	}
	if (value && *value && config_value_check_global(global_keys[i], value, err) < 0)
		return -1;
	if (!(path = writable_path(c, level, 1, err)))
		return -1;
	if (config_file_set(path, "crossbench", NULL, global_keys[i],
		      value && *value ? value : NULL, err) < 0)
		return -1;
	return saved(c, err);
}

int config_add_target(struct config *c, enum config_level level,
		      const char *triple, struct cb_err *err)
{
	const char *path;
	struct triple t;

	if (triple_parse(&t, triple, err) < 0)
		return -1;
	if (config_target(c, triple))
		return 0;
	if (!(path = writable_path(c, level, 1, err)))
		return -1;
	if (config_file_set(path, "target", triple, "enabled", "true", err) < 0)
		return -1;
	return saved(c, err);
}

int config_remove_target(struct config *c, enum config_level level,
			 const char *triple, struct cb_err *err)
{
	const char *path;
	int rc;

	/* Not triple_parse: a section that names no target must be
	 * removable too. */
	if (!triple || !*triple || config_value_has_ctl(triple, 0) || strpbrk(triple, "\"\\"))
		return cb_err_set(err, CB_ERR_USAGE, "'%s' is not a target name",
				  triple ? triple : "");
	if (!(path = writable_path(c, level, 0, err)))
		return -1;
	rc = config_file_remove_section(path, "target", triple, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return cb_err_set(err, CB_ERR_NOTFOUND, "%s has no [target \"%s\"]",
				  path, triple);
	return saved(c, err);
}
