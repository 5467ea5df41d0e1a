/* toolchain.c - the doctor: what a build of a target would run, whether
 * it is there and right, and the fix for this host when it is not. */
#include "toolchain.h"
#include "jsontext.h"

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "export.h"
#include "job.h"
#include "preset.h"
#include "proc.h"
#include "toolchain_check.h"
#include "toolchain_probe.h"

extern char **environ;

#define X(e, name, summary) name,
static const char *const what_names[] = { TOOLCHAIN_WHATS(X) };
#undef X
#define X(e, name, summary) summary,
static const char *const what_summaries[] = { TOOLCHAIN_WHATS(X) };
#undef X

const char *toolchain_what_name(enum toolchain_what w)
{
	return w < TOOLCHAIN_NWHATS ? what_names[w] : "?";
}

const char *toolchain_status_name(enum toolchain_status s)
{
	return s == TOOLCHAIN_OK ? "ok" : s == TOOLCHAIN_MISSING ? "missing" : "wrong";
}

/* ------------------------------------------------------------ the doctor */

struct toolchain *toolchain_new_with(const struct host *h, struct packages *pk,
				     struct presets *ps)
{
	struct toolchain *tc = xcalloc(1, sizeof *tc);

	tc->host = *h;
	tc->pk = pk;
	tc->ps = ps;
	strv_init(&tc->env);
	return tc;
}

struct toolchain *toolchain_new(const struct host *h, struct cb_err *err)
{
	struct cb_err e2;
	struct packages *pk = packages_load_default(err);
	struct presets *ps = preset_load_default(&e2);

	if (e2.code != CB_OK && err && err->code == CB_OK)
		*err = e2;
	return toolchain_new_with(h, pk, ps);
}

void toolchain_free(struct toolchain *tc)
{
	if (!tc)
		return;
	toolchain_probes_clear(&tc->probes);
	strv_fini(&tc->env);
	packages_free(tc->pk);
	preset_free(tc->ps);
	free(tc);
}

void toolchain_set_env(struct toolchain *tc, char *const env[])
{
	strv_fini(&tc->env);
	tc->have_env = env != NULL;
	for (char *const *e = env; e && *e; e++)
		strv_push(&tc->env, *e);
	toolchain_forget(tc);
}

void toolchain_forget(struct toolchain *tc)
{
	toolchain_probes_clear(&tc->probes);
}

const struct host *toolchain_host(const struct toolchain *tc)
{
	return &tc->host;
}

const struct presets *toolchain_presets(const struct toolchain *tc)
{
	return tc->ps;
}

static char **base_env(struct toolchain *tc)
{
	return tc->have_env ? strv_argv(&tc->env) : environ;
}

const char *toolchain_dumpmachine(struct toolchain *tc, const char *path,
			       char *const env[])
{
	char *argv[] = { (char *)path, "-dumpmachine", NULL };
	const struct toolchain_probe *p =
		toolchain_probe_run(&tc->probes, argv, env, NULL, NULL);

	return p->ok && p->out[0] && !strchr(p->out, '\n') ? p->out : NULL;
}

int toolchain_fits(struct toolchain *tc, const char *path, const char *triple)
{
	enum toolchain_tool_kind k = toolchain_tool_kind(path);
	struct triple t;
	const char *m;

	if (triple_parse(&t, triple, NULL) < 0)
		return 0;
	if (k == TOOLCHAIN_TOOL_CLANG || k == TOOLCHAIN_TOOL_LD)
		return 1;
	m = toolchain_dumpmachine(tc, path, base_env(tc));
	return !m || toolchain_machine_matches(&t, m, NULL);
}

/* ------------------------------------------------------------ the report */

void toolchain_report_init(struct toolchain_report *rep)
{
	memset(rep, 0, sizeof *rep);
}

static void fix_fini(struct diagnosis_fix *f)
{
	free(f->target);
	free(f->key);
	free(f->value);
	free(f->manager);
	free(f->text);
	strv_fini(&f->packages);
	strv_fini(&f->argv);
}

void toolchain_report_fini(struct toolchain_report *rep)
{
	for (size_t i = 0; i < rep->nfindings; i++) {
		struct toolchain_finding *f = &rep->findings[i];

		free(f->name);
		free(f->path);
		free(f->source);
		free(f->detail);
		for (size_t k = 0; k < f->nfixes; k++)
			fix_fini(&f->fixes[k]);
		free(f->fixes);
	}
	free(rep->findings);
	free(rep->cargo);
	free(rep->rustc);
	free(rep->rustc_source);
	free(rep->rustc_version);
	free(rep->toolchain);
	free(rep->sysroot);
	memset(rep, 0, sizeof *rep);
}

size_t toolchain_add(struct toolchain_ctx *ck, enum toolchain_what w,
		  enum toolchain_status st, int required, const char *name,
		  const char *path, const char *source, const char *fmt, ...)
{
	struct toolchain_report *rep = ck->rep;
	struct toolchain_finding *f;
	struct buf b;
	va_list ap;

	rep->findings = xrealloc(rep->findings, (rep->nfindings + 1) * sizeof *f);
	f = &rep->findings[rep->nfindings];
	memset(f, 0, sizeof *f);
	f->what = w;
	f->status = st;
	f->required = required;
	f->name = name ? xstrdup(name) : NULL;
	f->path = path ? xstrdup(path) : NULL;
	f->source = source ? xstrdup(source) : NULL;
	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	f->detail = buf_detach(&b);
	return rep->nfindings++;
}

struct toolchain_finding *toolchain_at(struct toolchain_ctx *ck, size_t i)
{
	return &ck->rep->findings[i];
}

static struct diagnosis_fix *new_fix(struct toolchain_finding *f,
				     enum diagnosis_fix_kind kind)
{
	struct diagnosis_fix *x;

	f->fixes = xrealloc(f->fixes, (f->nfixes + 1) * sizeof *f->fixes);
	x = &f->fixes[f->nfixes++];
	memset(x, 0, sizeof *x);
	x->kind = kind;
	strv_init(&x->packages);
	strv_init(&x->argv);
	return x;
}

void toolchain_fix_set(struct toolchain_ctx *ck, size_t fi, enum config_key k,
		       const char *value)
{
	struct toolchain_finding *f = toolchain_at(ck, fi);
	const char *key = config_key_info(k)->name;
	struct diagnosis_fix *x;

	for (size_t i = 0; i < f->nfixes; i++)
		if (f->fixes[i].kind == DIAGNOSIS_FIX_SET &&
		    !strcmp(f->fixes[i].key, key))
			return;
	x = new_fix(f, DIAGNOSIS_FIX_SET);
	x->target = xstrdup(ck->t.text);
	x->key = xstrdup(key);
	x->value = xstrdup(value ? value : "");
	x->text = value && *value ? xasprintf("set %s = %s", key, value)
		  : xasprintf("unset %s", key);
}

/* A command; as_root says whether it needs sudo when we are not root. */
void toolchain_fix_run(struct toolchain_ctx *ck, size_t fi, int as_root, const char *cmd)
{
	struct diagnosis_fix *x = new_fix(toolchain_at(ck, fi), DIAGNOSIS_FIX_RUN);
	int sudo = as_root && !ck->tc->host.is_root && ck->tc->host.pm != HOST_PM_BREW;

	if (sudo)
		strv_push(&x->argv, "sudo");
	strv_split_words(&x->argv, cmd);
	x->text = xasprintf("%s%s", sudo ? "sudo " : "", cmd);
}

void toolchain_fix_text(struct toolchain_ctx *ck, size_t fi, const char *fmt, ...)
{
	struct diagnosis_fix *x = new_fix(toolchain_at(ck, fi), DIAGNOSIS_FIX_TEXT);
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	x->text = buf_detach(&b);
}

/* Install what provides name of kind ("tool", "std", "sysroot") with this
 * host's manager: the set-up step first when dpkg still lacks the
 * architecture.  Returns 1 when a package is known. */
int toolchain_fix_install(struct toolchain_ctx *ck, size_t fi, const char *kind,
		       const char *name)
{
	const struct host *h = &ck->tc->host;
	const char *mgr = host_pm_name(h->pm);
	struct diagnosis_fix *x;
	struct strv pk;
	struct buf cmd;

	if (h->pm == HOST_PM_NONE || !ck->tc->pk)
		return 0;
	strv_init(&pk);
	if (!packages_lookup(ck->tc->pk, kind, name, mgr, ck->t.text, &pk)) {
		strv_fini(&pk);
		return 0;
	}
	buf_init(&cmd);
	if (packages_setup(ck->tc->pk, kind, name, mgr, ck->t.text, &cmd)) {
		const char *arch = !strncmp(cmd.data, "dpkg --add-architecture ", 24)
				   ? cmd.data + 24 : NULL;

		if (!arch || !host_has_dpkg_arch(h, arch)) {
			toolchain_fix_run(ck, fi, 1, cmd.data);
			if (h->pm == HOST_PM_APT)
				toolchain_fix_run(ck, fi, 1, "apt-get update");
		}
	}
	buf_reset(&cmd);
	x = new_fix(toolchain_at(ck, fi), DIAGNOSIS_FIX_INSTALL);
	x->manager = xstrdup(mgr);
	for (size_t i = 0; i < pk.n; i++)
		strv_push(&x->packages, pk.v[i]);
	host_install_command(h->pm, h->is_root, pk.v, pk.n, &cmd);
	strv_split_words(&x->argv, cmd.data);
	x->text = buf_detach(&cmd);
	strv_fini(&pk);
	return 1;
}

static int fits_cb(void *ctx, const char *path)
{
	struct toolchain_ctx *ck = ctx;

	return toolchain_fits(ck->tc, path, ck->t.text);
}

/* Fixes for a program key whose program (current) is missing or wrong: a
 * preset alternative already installed, else install current or the
 * preset's first choice, and set it. */
void toolchain_fix_tool(struct toolchain_ctx *ck, size_t fi, enum config_key k,
		     const char *current, const char *fallback)
{
	int driver = k == CONFIG_CC || k == CONFIG_CXX || k == CONFIG_LINKER;
	char *pick = preset_pick(ck->tc->ps, ck->t.text, ck->family, k, ck->path_env,
				 driver ? fits_cb : NULL, ck);
	struct strv alts;
	int missing = toolchain_at(ck, fi)->status == TOOLCHAIN_MISSING;
	size_t before = toolchain_at(ck, fi)->nfixes;

	if (pick && (!current || strcmp(pick, current)))
		toolchain_fix_set(ck, fi, k, pick);
	free(pick);
	if (missing && current && toolchain_fix_install(ck, fi, "tool",
	    toolchain_base(current)))
		return;
	strv_init(&alts);
	preset_values(ck->tc->ps, ck->t.text, ck->family, k, &alts);
	if (!alts.n && fallback)
		strv_push(&alts, fallback);
	for (size_t i = 0; i < alts.n && toolchain_at(ck, fi)->nfixes == before; i++) {
		struct strv w;

		strv_init(&w);
		strv_split_words(&w, alts.v[i]);
		if (w.n && !strpbrk(w.v[0], "*?[") &&
		    toolchain_fix_install(ck, fi, "tool", toolchain_base(w.v[0])) &&
		    (!current || strcmp(alts.v[i], current)))
			toolchain_fix_set(ck, fi, k, alts.v[i]);
		strv_fini(&w);
	}
	if (toolchain_at(ck, fi)->nfixes == before && alts.n) {
		/* osxcross's x86_64-apple-darwin*-clang: NN is the SDK's */
		struct buf name;

		buf_init(&name);
		for (const char *c = alts.v[0]; *c; c++)
			if (*c == '*')
				buf_puts(&name, "NN");
			else
				buf_putc(&name, *c);
		toolchain_fix_text(ck, fi, "install %s, then set %s to it",
				   name.data, config_key_info(k)->name);
		buf_fini(&name);
	}
	strv_fini(&alts);
}

/* ------------------------------------------------------------ helpers */

/* Where the value of variable var in the build's environment came from. */
char *toolchain_source_of(struct toolchain_ctx *ck, const char *var, enum config_key k,
		       const char *value)
{
	const char *set = NULL;

	switch (k) {
	case CONFIG_RUSTC: set = ck->ts->rustc; break;
	case CONFIG_CC: set = ck->ts->cc; break;
	case CONFIG_CXX: set = ck->ts->cxx; break;
	case CONFIG_AR: set = ck->ts->ar; break;
	case CONFIG_LINKER: set = ck->ts->linker; break;
	default: break;
	}
	for (size_t i = 0; i < ck->ts->env.n; i++) {
		const char *e = ck->ts->env.v[i];
		size_t n = strlen(var);

		if (!strncmp(e, var, n) && e[n] == '=' && !strcmp(e + n + 1, value))
			return xasprintf("the env setting %s", var);
	}
	if (set && !strcmp(set, value))
		return xasprintf("the %s setting", config_key_info(k)->name);
	if (k == CONFIG_RUNNER && ck->ts->runner.n)
		return xstrdup("the runner setting");
	return xasprintf("%s in crossbench's environment", var);
}

/* Whether Cargo.lock names a crate whose build script compiles C (or
 * C++).  Without a Cargo.lock nobody can tell: yes. */
static void scan_lock(struct toolchain_ctx *ck)
{
	static const char *const c_crates[] = {
		"cc", "cmake", "ring", "openssl-src", "libz-sys", "bindgen", NULL,
	};
	static const char *const cxx_crates[] = { "cxx-build", "link-cplusplus", NULL };
	char *path, line[512];
	FILE *f;

	ck->needs_c = 1;
	ck->needs_cxx = 0;
	if (!ck->project_dir)
		return;
	path = xasprintf("%s/Cargo.lock", ck->project_dir);
	f = fopen(path, "r");
	free(path);
	if (!f)
		return;
	ck->needs_c = 0;
	while (fgets(line, sizeof line, f)) {
		char name[128];

		if (sscanf(line, "name = \"%127[^\"]\"", name) != 1)
			continue;
		for (const char *const *c = c_crates; *c; c++)
			ck->needs_c |= !strcmp(name, *c);
		for (const char *const *c = cxx_crates; *c; c++)
			ck->needs_cxx |= !strcmp(name, *c);
	}
	fclose(f);
}


static int cmp_finding(const void *a, const void *b)
{
	const struct toolchain_finding *x = a, *y = b;

	if (x->what != y->what)
		return x->what < y->what ? -1 : 1;
	/* stable: the order they were added in */
	return x < y ? -1 : x > y;
}

int toolchain_check(struct toolchain *tc, const struct target_settings *ts,
		    const char *project_dir, struct toolchain_report *rep,
		    struct cb_err *err)
{
	struct toolchain_ctx ck;
	struct job *j;
	char *cargo;

	toolchain_report_init(rep);
	memset(&ck, 0, sizeof ck);
	if (triple_parse(&ck.t, ts->triple, err) < 0)
		return -1;
	snprintf(rep->triple, sizeof rep->triple, "%s", ts->triple);
	j = job_new(0, ts->triple, ts->profile ? ts->profile : "dev");
	if (job_prepare(j, ts, project_dir ? project_dir : ".", NULL, base_env(tc),
			err) < 0) {
		job_free(j);
		return -1;
	}
	strv_init(&ck.env);
	for (size_t i = 0; i < j->env.n; i++)
		strv_push(&ck.env, j->env.v[i]);
	cargo = xstrdup(j->argv.v[0]);
	job_free(j);
	ck.tc = tc;
	ck.ts = ts;
	ck.rep = rep;
	ck.project_dir = project_dir;
	ck.path_env = strv_getenv(&ck.env, "PATH");
	ck.family = host_family(&tc->host);
	triple_cargo_env(ts->triple, ck.tenv, sizeof ck.tenv);
	triple_cc_env(ts->triple, ck.cenv, sizeof ck.cenv);
	if (triple_gnu_prefix(&ck.t, ck.prefix, sizeof ck.prefix) < 0)
		ck.prefix[0] = '\0';
	scan_lock(&ck);

	if (ts->kind == KIND_GO) {
		const char *cgo = strv_getenv(&ck.env, "CGO_ENABLED");

		ck.go = 1;
		ck.needs_c = !cgo || strcmp(cgo, "0");
		toolchain_check_go(&ck, cargo);
		toolchain_check_cgo_tools(&ck);
	} else if (ts->remote) {
		toolchain_check_host(&ck, cargo);
	} else {
		toolchain_check_rust(&ck, cargo);
		toolchain_check_tools(&ck);
	}

	if (rep->nfindings > 1)
		qsort(rep->findings, rep->nfindings, sizeof *rep->findings, cmp_finding);
	rep->ready = 1;
	for (size_t i = 0; i < rep->nfindings; i++)
		if (rep->findings[i].required && rep->findings[i].status != TOOLCHAIN_OK)
			rep->ready = 0;
	free(cargo);
	free(ck.cargo_path);
	free(ck.linker_path);
	free(ck.cc_path);
	strv_fini(&ck.env);
	return 0;
}

void toolchain_summary(const struct toolchain_report *rep, struct buf *out)
{
	if (!rep->nfindings) {
		/* toolchain_check gave up on the settings */
		buf_puts(out, rep->ready ? "ok" : "bad settings");
		return;
	}
	for (size_t i = 0; i < rep->nfindings; i++) {
		const struct toolchain_finding *f = &rep->findings[i];

		if (f->required && f->status != TOOLCHAIN_OK) {
			buf_puts(out, what_summaries[f->what]);
			return;
		}
	}
	buf_puts(out, "ok");
}

json_t *toolchain_report_to_json(const struct toolchain_report *rep)
{
	json_t *o = json_object(), *rc = json_object(), *arr = json_array();
	struct buf sum;

	buf_init(&sum);
	toolchain_summary(rep, &sum);
	json_object_set_new(o, "target", json_string(rep->triple));
	json_object_set_new(o, "ready", json_boolean(rep->ready));
	json_object_set_new(o, "summary", jsontext(sum.data));
	json_object_set_new(o, "cargo", jsontext(rep->cargo));
	json_object_set_new(rc, "path", jsontext(rep->rustc));
	json_object_set_new(rc, "source", jsontext(rep->rustc_source));
	json_object_set_new(rc, "version", jsontext(rep->rustc_version));
	json_object_set_new(rc, "toolchain", jsontext(rep->toolchain));
	json_object_set_new(rc, "sysroot", jsontext(rep->sysroot));
	json_object_set_new(o, "rustc", rc);
	for (size_t i = 0; i < rep->nfindings; i++) {
		const struct toolchain_finding *f = &rep->findings[i];
		json_t *fo = json_object(), *fixes = json_array();

		json_object_set_new(fo, "what", json_string(what_names[f->what]));
		json_object_set_new(fo, "status",
				    json_string(toolchain_status_name(f->status)));
		json_object_set_new(fo, "required", json_boolean(f->required));
		json_object_set_new(fo, "name", jsontext(f->name));
		json_object_set_new(fo, "path", jsontext(f->path));
		json_object_set_new(fo, "source", jsontext(f->source));
		json_object_set_new(fo, "detail", jsontext(f->detail));
		for (size_t k = 0; k < f->nfixes; k++)
			json_array_append_new(fixes, diagnosis_fix_to_json(&f->fixes[k]));
		json_object_set_new(fo, "fixes", fixes);
		json_array_append_new(arr, fo);
	}
	json_object_set_new(o, "findings", arr);
	buf_fini(&sum);
	return o;
}
