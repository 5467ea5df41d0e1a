/* export.c - settings to .cargo/config.toml and shell lines; the --write
 * merge that keeps what crossbench does not manage. */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "job.h"
#include "paths.h"
#include "toml_scan.h"
#include "triple.h"

/* One key crossbench sets, in TOML terms. */
struct xentry {
	char *table;       /* parts joined by TOML_SEP: "target" SEP triple */
	char *key;
	char *value;       /* as TOML: "\"x\"" or "[\"a\", \"b\"]" */
	char *plain;       /* as set in the environment, for messages */
	char *var;         /* the variable it came from */
	char *who;         /* the first target that set it */
	size_t ntargets;   /* how many targets set it to this value */
	int per_target;    /* its name says its target (CC_<triple>) */
	int conflict;      /* another target wanted another value */
};

struct xmodel {
	struct xentry *e;
	size_t n, cap;
	struct strv notes;   /* comment lines: what no config can say */
	struct strv env;     /* shell form: KEY=VALUE, in order */
	struct strv env_who; /* the target that set each env entry */
	size_t ntargets;
	int shell;           /* warn about the shell form, not the file's */
};

static void model_fini(struct xmodel *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->e[i].table);
		free(m->e[i].key);
		free(m->e[i].value);
		free(m->e[i].plain);
		free(m->e[i].var);
		free(m->e[i].who);
	}
	free(m->e);
	strv_fini(&m->notes);
	strv_fini(&m->env);
	strv_fini(&m->env_who);
}

static void toml_array(struct buf *b, const char *words)
{
	struct strv w;

	strv_init(&w);
	strv_split_words(&w, words);
	buf_putc(b, '[');
	for (size_t i = 0; i < w.n; i++) {
		if (i)
			buf_puts(b, ", ");
		toml_put_string(b, w.v[i]);
	}
	buf_putc(b, ']');
	strv_fini(&w);
}

static void add_entry(struct xmodel *m, const char *var, const char *table,
		      const char *key, const char *plain, int array, const char *who,
		      int per_target, struct strv *warnings)
{
	struct xentry *e;
	struct buf v;

	for (size_t i = 0; i < m->n; i++) {
		e = &m->e[i];
		if (strcmp(e->table, table) || strcmp(e->key, key))
			continue;
		if (!strcmp(e->plain, plain)) {
			e->ntargets++;
		} else if (!e->conflict++ && warnings) {
			char *t = toml_table_display(table);

			strv_pushf(warnings, "[%s] %s: %s sets '%s' and %s sets '%s', "
				   "but a config file holds one value for every "
				   "target; kept '%s'", t, key, e->who, e->plain,
				   who, plain, e->plain);
			free(t);
		}
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 16;
		m->e = xrealloc(m->e, m->cap * sizeof *m->e);
	}
	buf_init(&v);
	if (array)
		toml_array(&v, plain);
	else
		toml_put_string(&v, plain);
	e = &m->e[m->n++];
	memset(e, 0, sizeof *e);
	e->table = xstrdup(table);
	e->key = xstrdup(key);
	e->value = buf_detach(&v);
	e->plain = xstrdup(plain);
	e->var = xstrdup(var);
	e->who = xstrdup(who);
	e->ntargets = 1;
	e->per_target = per_target;
	buf_fini(&v);
}

static void add_note(struct xmodel *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_note(struct xmodel *m, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < m->notes.n; i++) {
		if (!strcmp(m->notes.v[i], b.data)) {
			buf_fini(&b);
			return;
		}
	}
	strv_push(&m->notes, b.data);
	buf_fini(&b);
}

static void add_env(struct xmodel *m, const char *kv, const char *who,
		    struct strv *warnings)
{
	size_t kl = strcspn(kv, "=");

	for (size_t i = 0; i < m->env.n; i++) {
		const char *o = m->env.v[i];

		if (strncmp(o, kv, kl + 1))
			continue;
		if (strcmp(o, kv) && warnings)
			strv_pushf(warnings, "%.*s: %s sets '%s' and %s sets '%s', "
				   "but the shell holds one value; kept '%s'",
				   (int)kl, kv, m->env_who.v[i], o + kl + 1, who,
				   kv + kl + 1, o + kl + 1);
		return;
	}
	strv_push(&m->env, kv);
	strv_push(&m->env_who, who);
}

/* The variables job_prepare sets for one target, sorted into the model. */
static int model_add(struct xmodel *m, const struct target_settings *ts,
		     const char *project_dir, struct strv *all_warnings,
		     struct cb_err *err)
{
	/* Both forms are built; only the one asked for speaks. */
	struct strv *warnings = m->shell ? NULL : all_warnings;
	struct strv *shell_warnings = m->shell ? all_warnings : NULL;
	char *empty_env[] = { NULL };
	char tenv[TRIPLE_MAX], cenv[TRIPLE_MAX], pre[TRIPLE_MAX + 32];
	char *table;
	struct job *j;
	size_t pl;

	j = job_new(0, ts->triple, ts->profile ? ts->profile : "dev");
	if (job_prepare(j, ts, project_dir ? project_dir : ".", NULL, empty_env,
	    err) < 0) {
		job_free(j);
		return -1;
	}
	m->ntargets++;
	triple_cargo_env(ts->triple, tenv, sizeof tenv);
	triple_cc_env(ts->triple, cenv, sizeof cenv);
	pl = (size_t)snprintf(pre, sizeof pre, "CARGO_TARGET_%s_", tenv);
	table = xasprintf("target%c%s", TOML_SEP, ts->triple);
	if (ts->cargo && strcmp(ts->cargo, "cargo"))
		add_note(m, "cargo = %s: build with that cargo (no config file "
			 "can choose it)", ts->cargo);
	if (ts->host && *ts->host)
		add_note(m, "%s builds on host %s: these settings are for the "
			 "cargo there (crossbench build copies the project over "
			 "ssh)", ts->triple, ts->host);
	if (ts->toolchain && *ts->toolchain) {
		add_note(m, "toolchain = %s: run cargo +%s, or name %s in "
			 "rust-toolchain.toml", ts->toolchain, ts->toolchain,
			 ts->toolchain);
		strv_pushf(&m->env, "RUSTUP_TOOLCHAIN=%s", ts->toolchain);
		strv_push(&m->env_who, ts->triple);
	}
	for (size_t i = 0; i < j->setenv.n; i++) {
		const char *kv = j->setenv.v[i];
		size_t kl = strcspn(kv, "=");
		char *key = xstrndup(kv, kl);
		const char *val = kv + kl + (kv[kl] == '=');

		add_env(m, kv, ts->triple, shell_warnings);
		if (!strcmp(key, "RUSTC")) {
			add_entry(m, key, "build", "rustc", val, 0, ts->triple, 0,
				  warnings);
		} else if (!strcmp(key, "RUSTC_WRAPPER")) {
			add_entry(m, key, "build", "rustc-wrapper", val, 0, ts->triple,
				  0, warnings);
		} else if (!strcmp(key, "CARGO_TARGET_DIR")) {
			add_entry(m, key, "build", "target-dir", val, 0, ts->triple, 0,
				  warnings);
		} else if (!strncmp(key, pre, pl) && !strcmp(key + pl, "LINKER")) {
			add_entry(m, key, table, "linker", val, 0, ts->triple, 1,
				  warnings);
		} else if (!strncmp(key, pre, pl) && !strcmp(key + pl, "RUSTFLAGS")) {
			add_entry(m, key, table, "rustflags", val, 1, ts->triple, 1,
				  warnings);
		} else if (!strncmp(key, pre, pl) && !strcmp(key + pl, "RUNNER")) {
			add_entry(m, key, table, "runner", val, 1, ts->triple, 1,
				  warnings);
		} else if (!strncmp(key, "CARGO_", 6)) {
			/* cargo reads its own settings from its environment,
			 * never from [env]. */
			if (warnings && strcmp(key, "CARGO_TARGET_DIR"))
				strv_pushf(warnings, "%s: env %s: cargo reads it from "
					   "its own environment only, so a config file "
					   "cannot set it; left out", ts->triple, key);
		} else {
			/* CC_<triple>: the name itself says which target. */
			size_t kn = strlen(key), cn = strlen(cenv);
			int per = kn > cn + 1 && !strcmp(key + kn - cn, cenv) &&
				  key[kn - cn - 1] == '_';

			add_entry(m, key, "env", key, val, 0, ts->triple, per, warnings);
		}
		free(key);
	}
	free(table);
	job_free(j);
	return 0;
}

/* [env], [build] and the shell are shared: what only some targets set
 * reaches the builds of all. */
static void warn_shared(const struct xmodel *m, struct strv *warnings)
{
	if (!warnings || m->ntargets < 2)
		return;
	for (size_t i = 0; i < m->n; i++) {
		const struct xentry *e = &m->e[i];
		int env = !strcmp(e->table, "env");

		if (e->per_target || e->conflict || e->ntargets >= m->ntargets ||
		    (!env && strcmp(e->table, "build")))
			continue;
		if (m->shell)
			strv_pushf(warnings, "%s: only %s sets it, but an exported "
				   "variable reaches the builds of every target",
				   e->var, e->who);
		else
			strv_pushf(warnings, "[%s] %s: only %s sets it, but [%s] "
				   "applies to the builds of every target",
				   e->table, e->key, e->who, e->table);
	}
}

static int build_model(struct xmodel *m, const struct target_settings *ts,
		       size_t n, const char *project_dir, int shell,
		       struct strv *warnings, struct cb_err *err)
{
	memset(m, 0, sizeof *m);
	m->shell = shell;
	strv_init(&m->notes);
	strv_init(&m->env);
	strv_init(&m->env_who);
	for (size_t i = 0; i < n; i++) {
		if (model_add(m, &ts[i], project_dir, warnings, err) < 0) {
			model_fini(m);
			return -1;
		}
	}
	warn_shared(m, warnings);
	return 0;
}

/* ------------------------------------------------------------ shell */

static void put_sh_word(struct buf *b, const char *w)
{
	if (*w && !strpbrk(w, " \t\n'\"\\$`*?[]{}()<>|&;#~!=%^"))
		buf_puts(b, w);
	else {
		buf_putc(b, '\'');
		for (; *w; w++) {
			if (*w == '\'')
				buf_puts(b, "'\\''");
			else
				buf_putc(b, *w);
		}
		buf_putc(b, '\'');
	}
}

int export_env(const struct target_settings *ts, size_t n,
	       const char *project_dir, struct buf *out, struct strv *warnings,
	       struct cb_err *err)
{
	struct xmodel m;

	if (build_model(&m, ts, n, project_dir, 1, warnings, err) < 0)
		return -1;
	buf_puts(out, "# crossbench export --env: what crossbench sets for the "
		 "builds of");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s %s", i ? "," : "", ts[i].triple);
	buf_putc(out, '\n');
	for (size_t i = 0; i < m.notes.n; i++)
		if (strncmp(m.notes.v[i], "toolchain", 9))
			buf_printf(out, "# %s\n", m.notes.v[i]);
	for (size_t i = 0; i < m.env.n; i++) {
		size_t kl = strcspn(m.env.v[i], "=");

		buf_printf(out, "export %.*s=", (int)kl, m.env.v[i]);
		put_sh_word(out, m.env.v[i] + kl + 1);
		buf_putc(out, '\n');
	}
	model_fini(&m);
	return 0;
}

/* ------------------------------------------------------------ TOML */

/* The block: the tables the file does not define, in the model's order
 * (build, then each target, then env). */
static void render_block(const struct xmodel *m, const int *placed,
			 const struct target_settings *ts, size_t n,
			 struct buf *out)
{
	struct strv tables;

	strv_init(&tables);
	buf_puts(out, EXPORT_BEGIN " written by `crossbench export --cargo-config "
		 "--write`\n# from crossbench's settings of");
	for (size_t i = 0; i < n; i++)
		buf_printf(out, "%s %s", i ? "," : "", ts[i].triple);
	buf_puts(out, ".\n# Edit those (.crossbench), not this block: it is "
		 "rewritten each time.\n");
	for (size_t i = 0; i < m->notes.n; i++)
		buf_printf(out, "# %s\n", m->notes.v[i]);
	/* Tables in first-seen order, but [env] last: it reads best there. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < m->n; i++) {
			int is_env = !strcmp(m->e[i].table, "env");
			int seen = 0;

			if (placed[i] || is_env != pass)
				continue;
			for (size_t k = 0; k < tables.n; k++)
				seen |= !strcmp(tables.v[k], m->e[i].table);
			if (!seen)
				strv_push(&tables, m->e[i].table);
		}
	}
	for (size_t k = 0; k < tables.n; k++) {
		buf_puts(out, "\n[");
		toml_put_table(out, tables.v[k]);
		buf_puts(out, "]\n");
		for (size_t i = 0; i < m->n; i++) {
			if (placed[i] || strcmp(m->e[i].table, tables.v[k]))
				continue;
			toml_put_key(out, m->e[i].key);
			buf_printf(out, " = %s\n", m->e[i].value);
		}
	}
	buf_puts(out, EXPORT_END "\n");
	strv_fini(&tables);
}

int export_cargo_config(const struct target_settings *ts, size_t n,
			const char *project_dir, struct buf *out,
			struct strv *warnings, struct cb_err *err)
{
	return export_cargo_config_merge(NULL, "config.toml", ts, n, project_dir,
					 out, warnings, err);
}

struct insertion {
	size_t after;      /* line index */
	char *text;        /* the whole line, newline included */
};

int export_cargo_config_merge(const char *old, const char *name,
			      const struct target_settings *ts, size_t n,
			      const char *project_dir, struct buf *out,
			      struct strv *warnings, struct cb_err *err)
{
	struct toml_doc doc;
	struct xmodel m;
	struct insertion *ins = NULL;
	size_t nins = 0, block_at;
	int *placed;

	if (build_model(&m, ts, n, project_dir, 0, warnings, err) < 0)
		return -1;
	if (toml_doc_parse(&doc, old ? old : "", name, EXPORT_BEGIN, EXPORT_END,
			   EXPORT_LINE_MARK, err) < 0) {
		model_fini(&m);
		return -1;
	}
	placed = xcalloc(m.n ? m.n : 1, sizeof *placed);
	for (size_t i = 0; i < m.n; i++) {
		const struct xentry *e = &m.e[i];
		const struct toml_table *ut = toml_doc_table(&doc, e->table);
		char *disp;

		if (!ut)
			continue;
		placed[i] = 1;
		disp = toml_table_display(e->table);
		if (ut->closed) {
			if (warnings)
				strv_pushf(warnings,
					   "%s:%zu: [%s] is written inline there, "
					   "so crossbench cannot add %s = %s; left out",
					   name, ut->line + 1, disp, e->key, e->plain);
		} else if (toml_table_has_key(ut, e->key)) {
			if (warnings)
				strv_pushf(warnings, "%s:%zu: [%s] %s is set there "
					   "already; kept it (crossbench's is %s)",
					   name, toml_table_key_line(ut, e->key) + 1,
					   disp, e->key, e->value);
		} else {
			struct buf line;

			buf_init(&line);
			buf_puts(&line, ut->prefix);
			toml_put_key(&line, e->key);
			buf_printf(&line, " = %s  " EXPORT_LINE_MARK "\n", e->value);
			ins = xrealloc(ins, (nins + 1) * sizeof *ins);
			ins[nins].after = ut->last;
			ins[nins++].text = buf_detach(&line);
		}
		free(disp);
	}
	block_at = doc.block_at;
	if (block_at == TOML_NOWHERE || toml_doc_root_keys_after(&doc, block_at))
		block_at = doc.nlines;
	for (size_t li = 0; li <= doc.nlines; li++) {
		if (li == block_at) {
			/* A new place: a line of its own after a blank one.
			 * The old place: exactly as it was. */
			int fresh = block_at != doc.block_at;

			if (fresh && out->len && out->data[out->len - 1] != '\n')
				buf_putc(out, '\n');
			if (fresh && li > 0 && !toml_doc_line_blank(&doc, li - 1))
				buf_putc(out, '\n');
			render_block(&m, placed, ts, n, out);
		}
		if (li == doc.nlines)
			break;
		buf_append(out, doc.text + doc.lines[li].start, doc.lines[li].len);
		for (size_t k = 0; k < nins; k++) {
			if (ins[k].after != li)
				continue;
			if (out->len && out->data[out->len - 1] != '\n')
				buf_putc(out, '\n');
			buf_puts(out, ins[k].text);
		}
	}
	for (size_t k = 0; k < nins; k++)
		free(ins[k].text);
	free(ins);
	free(placed);
	toml_doc_fini(&doc);
	model_fini(&m);
	return 0;
}

static char *read_file(const char *path, struct cb_err *err)
{
	struct buf b;

	buf_init(&b);
	if (file_read_all(path, &b, err) < 0) {
		buf_fini(&b);
		return errno == ENOENT ? xstrdup("") : NULL;
	}
	if (memchr(b.data, '\0', b.len)) {
		cb_err_set(err, CB_ERR_PARSE, "%s: holds a NUL byte; not a TOML file",
			   path);
		buf_fini(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int export_cargo_config_write(const char *project_dir,
			      const struct target_settings *ts, size_t n,
			      struct strv *warnings, struct cb_err *err)
{
	char *dir = xasprintf("%s/.cargo", project_dir);
	char *path = xasprintf("%s/config.toml", dir);
	char *old = NULL;
	struct buf out;
	int rc = -1;

	buf_init(&out);
	if (!(old = read_file(path, err)))
		goto done;
	if (export_cargo_config_merge(old, ".cargo/config.toml", ts, n, project_dir,
				      &out, warnings, err) < 0)
		goto done;
	if (out.len == strlen(old) && !memcmp(out.data, old, out.len)) {
		rc = 0;
		goto done;
	}
	if (paths_mkdir_p(dir) < 0) {
		cb_err_sys(err, "cannot create %s", dir);
		goto done;
	}
	{
		struct stat st;

		rc = file_replace(path, out.data, out.len,
				  stat(path, &st) == 0 ? st.st_mode & 07777 : 0644,
				  err) < 0 ? -1 : 1;
	}
done:
	buf_fini(&out);
	free(old);
	free(path);
	free(dir);
	return rc;
}

/* ------------------------------------------------------------ reading */

static int get_from(const char *path, const char *table, const char *key,
		    struct strv *out)
{
	struct toml_doc doc;
	char *text = read_file(path, NULL);
	int found;

	if (!text || !*text) {
		free(text);
		return 0;
	}
	if (toml_doc_parse(&doc, text, path, NULL, NULL, NULL, NULL) < 0) {
		free(text);
		return 0;
	}
	found = toml_doc_get(&doc, table, key, out);
	toml_doc_fini(&doc);
	free(text);
	return found;
}

int export_cargo_config_get(const char *project_dir, const char *table,
			    const char *key, struct strv *out, char **file)
{
	char dir[PATH_MAX], path[PATH_MAX + 32], *t;
	const char *home = getenv("CARGO_HOME");
	char *table_sep = xstrdup(table);

	/* "target.<triple>" as parts: the triple may hold dots itself. */
	if (!strncmp(table_sep, "target.", 7))
		table_sep[6] = TOML_SEP;
	else
		for (t = table_sep; *t; t++)
			if (*t == '.')
				*t = TOML_SEP;
	if (project_dir && realpath(project_dir, dir)) {
		for (;;) {
			static const char *const names[] = { "config.toml", "config" };

			for (size_t i = 0; i < 2; i++) {
				snprintf(path, sizeof path, "%s/.cargo/%s",
					 strcmp(dir, "/") ? dir : "", names[i]);
				if (get_from(path, table_sep, key, out)) {
					if (file)
						*file = xstrdup(path);
					free(table_sep);
					return 1;
				}
				if (access(path, F_OK) == 0)
					break;   /* config.toml wins over config */
			}
			if (!strcmp(dir, "/"))
				break;
			t = strrchr(dir, '/');
			if (t == dir)
				dir[1] = '\0';
			else
				*t = '\0';
		}
	}
	if (home && *home)
		snprintf(path, sizeof path, "%s/config.toml", home);
	else if (getenv("HOME"))
		snprintf(path, sizeof path, "%s/.cargo/config.toml", getenv("HOME"));
	else
		path[0] = '\0';
	if (path[0] && get_from(path, table_sep, key, out)) {
		if (file)
			*file = xstrdup(path);
		free(table_sep);
		return 1;
	}
	free(table_sep);
	return 0;
}
