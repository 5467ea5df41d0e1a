/* diagnose.c - turn a streamed build log into ranked diagnoses. */
#include "diagnose_impl.h"
#include "jsontext.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packages.h"
#include "preset.h"
#include "proc.h"
#include "triple.h"

/* Evidence shown to a person is cut here: the line that matters is the
 * message, not the ten-thousand-byte linker command after it. */
#define EVIDENCE_MAX 1024

struct var {
	char *name;
	char *value;
	int priority;
};

/* One cause seen in the log, before it is put into words. */
struct record {
	size_t entry;           /* the rule */
	int category;
	int rank;
	size_t line;
	char *evidence;
	struct strv caps;       /* "name=value" of the rule's captures */
	size_t count;
	struct diagnosis dg;    /* rendered */
};

struct probe {
	char *prefix;
	char *libgcc_dir;       /* NULL: the cross gcc does not know */
};



static void fix_fini(struct diagnosis_fix *f)
{
	free(f->target);
	free(f->key);
	free(f->value);
	free(f->manager);
	strv_fini(&f->packages);
	strv_fini(&f->argv);
	free(f->text);
}

static void dg_fini(struct diagnosis *dg)
{
	free(dg->evidence);
	free(dg->summary);
	free(dg->explanation);
	for (size_t i = 0; i < dg->nfixes; i++)
		fix_fini(&dg->fixes[i]);
	free(dg->fixes);
	free(dg->file);
	free(dg->subject);
	memset(dg, 0, sizeof *dg);
}

static void update_skips(struct diagnose *d);

struct diagnose *diagnose_new(const struct rules *r, const char *target,
			      const struct host *h)
{
	struct diagnose *d = xcalloc(1, sizeof *d);

	d->r = r;
	d->m = rules_matcher_new(r);
	if (h) {
		d->host = *h;
		d->have_host = 1;
	}
	d->probe = 1;
	if (target && *target)
		d->given_target = xstrdup(target);
	update_skips(d);
	buf_init(&d->carry);
	buf_init(&d->clean);
	return d;
}

void diagnose_free(struct diagnose *d)
{
	if (!d)
		return;
	rules_matcher_free(d->m);
	free(d->given_target);
	for (size_t i = 0; i < d->nvars; i++) {
		free(d->vars[i].name);
		free(d->vars[i].value);
	}
	free(d->vars);
	buf_fini(&d->carry);
	buf_fini(&d->clean);
	for (size_t i = 0; i < d->nrec; i++) {
		free(d->rec[i].evidence);
		strv_fini(&d->rec[i].caps);
		dg_fini(&d->rec[i].dg);
	}
	free(d->rec);
	free(d->view);
	for (size_t i = 0; i < d->nprobes; i++) {
		free(d->probes[i].prefix);
		free(d->probes[i].libgcc_dir);
	}
	free(d->probes);
	free(d);
}

void diagnose_set_probe(struct diagnose *d, int on)
{
	d->probe = on;
}

/* ---------------------------------------------------------------- context */

static const char *var_get(const struct diagnose *d, const char *name)
{
	for (size_t i = 0; i < d->nvars; i++)
		if (!strcmp(d->vars[i].name, name))
			return d->vars[i].value;
	return NULL;
}

static int valid_target(const char *s)
{
	struct triple t;

	/* Two-part triples (wasm32-wasi) are real, but as free text in a
	 * log "foo-bar" is too often something else. */
	if (triple_parse(&t, s, NULL) < 0)
		return 0;
	return strchr(strchr(s, '-') + 1, '-') != NULL || !strcmp(t.os, "wasi");
}

static void var_set(struct diagnose *d, const char *name, const char *s,
		    size_t len, int priority)
{
	struct var *v = NULL;

	if (len == 0 || len > 256)
		return;
	if (!strcmp(name, "gnu_target")) {
		/* A GNU prefix names the target too: aarch64-linux-gnu is
		 * aarch64-unknown-linux-gnu, x86_64-w64-mingw32 is
		 * x86_64-pc-windows-gnu. */
		char t[300];
		const char *dash = memchr(s, '-', len);

		if (!dash)
			return;
		if (len > 12 && !memcmp(s + len - 12, "-w64-mingw32", 12))
			snprintf(t, sizeof t, "%.*s-pc-windows-gnu", (int)(len - 12), s);
		else
			snprintf(t, sizeof t, "%.*s-unknown%.*s", (int)(dash - s), s,
				 (int)(len - (size_t)(dash - s)), dash);
		var_set(d, "target", t, strlen(t), priority);
		return;
	}
	for (size_t i = 0; i < d->nvars; i++)
		if (!strcmp(d->vars[i].name, name))
			v = &d->vars[i];
	if (v && v->priority > priority)
		return;
	if (v && strlen(v->value) == len && !memcmp(v->value, s, len)) {
		if (v->priority != priority) {
			v->priority = priority;
			update_skips(d);
		}
		return;
	}
	if (!strcmp(name, "target")) {
		char *t = xstrndup(s, len);
		int ok = valid_target(t);

		free(t);
		if (!ok)
			return;
	}
	if (!v) {
		d->vars = xrealloc(d->vars, (d->nvars + 1) * sizeof *d->vars);
		v = &d->vars[d->nvars++];
		v->name = xstrdup(name);
		v->value = NULL;
		v->priority = -(1 << 20);
	}
	free(v->value);
	v->value = xstrndup(s, len);
	if (v->priority != priority) {
		v->priority = priority;
		update_skips(d);
	}
	d->dirty = 1;
}

static int var_priority(const struct diagnose *d, const char *name)
{
	if (!strcmp(name, "gnu_target"))
		name = "target";
	if (!strcmp(name, "target") && d->given_target)
		return 1 << 20; /* given: nothing in the log replaces it */
	for (size_t i = 0; i < d->nvars; i++)
		if (!strcmp(d->vars[i].name, name))
			return d->vars[i].priority;
	return -(1 << 20);
}

/* A context runs only while it could still set something: once every
 * value it sets came from a higher priority (a --target beats a path),
 * matching it is wasted work on every line that has its literal. */
static void update_skips(struct diagnose *d)
{
	for (size_t i = 0; i < rules_count(d->r); i++) {
		const struct rules_entry *e = rules_get(d->r, i);
		const char *names[8];
		size_t n;
		int useless = 1;

		if (e->kind != RULES_CONTEXT || e->disabled)
			continue;
		n = rules_entry_names(d->r, i, names, 8);
		if (n == 0 || n > 8)
			continue;
		for (size_t k = 0; k < n && useless; k++)
			if (var_priority(d, names[k]) <= e->priority)
				useless = 0;
		rules_matcher_skip(d->m, i, useless);
	}
}

const char *diagnose_target(const struct diagnose *d)
{
	return d->given_target ? d->given_target : var_get(d, "target");
}

size_t diagnose_lines(const struct diagnose *d)
{
	return d->lineno;
}

/* ---------------------------------------------------------------- templates */

struct vars_view {
	struct diagnose *d;
	const struct strv *caps;
};

static const char *cap_get(const struct strv *caps, const char *name)
{
	size_t l = strlen(name);

	for (size_t i = 0; caps && i < caps->n; i++)
		if (!strncmp(caps->v[i], name, l) && caps->v[i][l] == '=')
			return caps->v[i] + l + 1;
	return NULL;
}

/* ELF e_machine numbers as GNU ld prints them ("EM: 183"), in triple.h's
 * machine vocabulary. */
static const char *em_machine(const char *em)
{
	static const struct { int em; const char *m; } t[] = {
		{ 3, "i386" }, { 8, "mips" }, { 20, "powerpc" }, { 21, "powerpc64" },
		{ 22, "s390x" }, { 40, "arm" }, { 62, "x86_64" }, { 183, "aarch64" },
		{ 243, "riscv64" }, { 258, "loongarch64" },
	};
	int n = em ? atoi(em) : -1;

	for (size_t i = 0; i < sizeof t / sizeof *t; i++)
		if (t[i].em == n)
			return t[i].m;
	return NULL;
}

/* The presets, read once for every diagnosis of the process (a runner
 * fix names the preset's runner). */
static struct presets *shared_presets;

static void load_presets(void)
{
	shared_presets = preset_load_default(NULL);
}

/* The preset runner of target on this host: the first alternative that
 * is installed, else the first one written; NULL when there is none.
 * *installed says which. */
static const char *preset_key(struct diagnose *d, const char *target,
			      enum config_key k, char *tmp, size_t n, int *installed)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	const char *family = d->have_host ? host_family(&d->host) : NULL;
	struct strv alts;
	char *pick;

	pthread_once(&once, load_presets);
	if (!shared_presets)
		return NULL;
	pick = preset_pick(shared_presets, target, family, k, NULL, NULL, NULL);
	*installed = pick != NULL;
	if (pick) {
		snprintf(tmp, n, "%s", pick);
		free(pick);
		return tmp;
	}
	strv_init(&alts);
	preset_values(shared_presets, target, family, k, &alts);
	if (alts.n && *alts.v[0])
		snprintf(tmp, n, "%s", alts.v[0]);
	else
		tmp = NULL;
	strv_fini(&alts);
	return tmp;
}

static const char *probe_libgcc_dir(struct diagnose *d, const char *prefix)
{
	struct probe *p;
	struct proc_result res;
	struct cb_err err;
	char *argv[3];
	char *tool;

	for (size_t i = 0; i < d->nprobes; i++)
		if (!strcmp(d->probes[i].prefix, prefix))
			return d->probes[i].libgcc_dir;
	d->probes = xrealloc(d->probes, (d->nprobes + 1) * sizeof *d->probes);
	p = &d->probes[d->nprobes++];
	p->prefix = xstrdup(prefix);
	p->libgcc_dir = NULL;
	/* The cross gcc knows where its libgcc_s is (Debian:
	 * /usr/lib/gcc-cross/<prefix>/<version>); it prints the bare name
	 * back when it has none. */
	tool = xasprintf("%s-gcc", prefix);
	argv[0] = tool;
	argv[1] = "-print-file-name=libgcc_s.so";
	argv[2] = NULL;
	proc_result_init(&res);
	if (proc_capture(argv, NULL, NULL, 5000, &res, &err) == 0 && res.exited &&
	    res.status == 0 && res.out.data && res.out.data[0] == '/') {
		char *s = res.out.data, *slash;

		s[strcspn(s, "\r\n")] = '\0';
		slash = strrchr(s, '/');
		if (slash && slash != s) {
			*slash = '\0';
			p->libgcc_dir = xstrdup(s);
		}
	}
	proc_result_fini(&res);
	free(tool);
	return p->libgcc_dir;
}

/* The value of {name}: the rule's captures first, then what is derived
 * from the target and the host, then the log's context.  Returns a
 * pointer valid until the next call (tmp holds computed values). */
static const char *lookup(struct diagnose *d, const struct strv *caps,
			  const char *name, char *tmp, size_t n)
{
	const char *v = cap_get(caps, name);
	const char *target = diagnose_target(d);
	struct triple t;
	int have_t, installed;

	if (v)
		return v;
	/* Templates ask for many names; parse the target once per value. */
	if (target && strcmp(target, d->tcache_text)) {
		snprintf(d->tcache_text, sizeof d->tcache_text, "%s", target);
		d->tcache_ok = triple_parse(&d->tcache, target, NULL) == 0;
	}
	have_t = target && d->tcache_ok;
	if (have_t)
		t = d->tcache;
	if (!strcmp(name, "target"))
		return target;
	if (!strcmp(name, "target_cc") && have_t) {
		triple_cc_env(target, tmp, n);
		return tmp;
	}
	if (!strcmp(name, "target_cargo") && have_t) {
		triple_cargo_env(target, tmp, n);
		return tmp;
	}
	if (!strcmp(name, "gnu_prefix") && have_t)
		return triple_gnu_prefix(&t, tmp, n) == 0 ? tmp : NULL;
	if (!strcmp(name, "machine") && have_t)
		return t.machine;
	if (!strcmp(name, "os") && have_t)
		return t.os_name;
	if (!strcmp(name, "arch") && have_t) {
		snprintf(tmp, n, "%s", t.arch);
		return tmp;
	}
	if (!strcmp(name, "host_pm"))
		return d->have_host && d->host.pm != HOST_PM_NONE ?
			host_pm_name(d->host.pm) : NULL;
	/* "yes" when the target is this machine (no cross C compiler needed). */
	if (!strcmp(name, "native") && have_t)
		return triple_is_host(&t, NULL) ? "yes" : "no";
	if (!strcmp(name, "host_machine")) {
		struct triple h;

		if (d->have_host && d->host.arch[0]) {
			/* uname says "x86_64", "aarch64", "armv7l"... */
			char probe[128];

			snprintf(probe, sizeof probe, "%s-unknown-linux-gnu", d->host.arch);
			if (triple_parse(&h, probe, NULL) == 0)
				return h.machine;
		}
		if (triple_parse(&h, triple_host_default(), NULL) == 0)
			return h.machine;
		return NULL;
	}
	if (!strcmp(name, "em_machine"))
		return em_machine(cap_get(caps, "em"));
	if (!strcmp(name, "debian_arch") && have_t)
		return packages_debian_arch(rules_packages(d->r), target);
	if (!strcmp(name, "preset_runner") && have_t)
		return preset_key(d, target, CONFIG_RUNNER, tmp, n, &installed);
	/* A compiler of the presets that is installed here; unknown when
	 * none is (a fix naming it then is left out). */
	if ((!strcmp(name, "installed_cc") || !strcmp(name, "installed_cxx")) && have_t) {
		if (!preset_key(d, target, strcmp(name, "installed_cxx") ? CONFIG_CC
				: CONFIG_CXX, tmp, n, &installed) || !installed)
			return NULL;
		return tmp;
	}
	if (!strcmp(name, "runner_program") && have_t) {
		/* Only a runner to install: none of the alternatives is. */
		if (!preset_key(d, target, CONFIG_RUNNER, tmp, n, &installed) || installed)
			return NULL;
		tmp[strcspn(tmp, " ")] = 0;
		return tmp;
	}
	if (!strcmp(name, "libgcc_dir") && have_t && d->probe) {
		char prefix[TRIPLE_MAX];

		if (triple_gnu_prefix(&t, prefix, sizeof prefix) < 0)
			return NULL;
		return probe_libgcc_dir(d, prefix);
	}
	return var_get(d, name);
}

/* Text without templates, with {{ and }} written as { and }. */
static void put_literal(struct buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		buf_putc(out, s[i]);
		if (s[i] == '}' && i + 1 < n && s[i + 1] == '}')
			i++;
	}
}

/* Append the expansion of t[0..len) to out: {name} and {name|default},
 * where the default may itself hold {names} ("{tool|for {target}}"), and
 * {{ and }} for literal braces.  Returns 0, or -1 when a name without a
 * default has no value (the text would be wrong). */
static int expand_into(struct diagnose *d, const struct strv *caps,
		       const char *t, size_t len, struct buf *out)
{
	const char *s = t, *end = t + len;

	while (s < end) {
		const char *open = memchr(s, '{', (size_t)(end - s));
		const char *close = NULL, *bar = NULL, *q;
		char name[64], tmp[256];
		const char *v;
		size_t nl;
		int depth = 1;

		if (!open) {
			put_literal(out, s, (size_t)(end - s));
			break;
		}
		put_literal(out, s, (size_t)(open - s));
		if (open + 1 < end && open[1] == '{') {
			buf_putc(out, '{');
			s = open + 2;
			continue;
		}
		for (q = open + 1; q < end; q++) {
			if (*q == '{') {
				depth++;
			} else if (*q == '}' && --depth == 0) {
				close = q;
				break;
			} else if (*q == '|' && depth == 1 && !bar) {
				bar = q;
			}
		}
		if (!close) {
			buf_append(out, open, (size_t)(end - open));
			break;
		}
		nl = (size_t)((bar ? bar : close) - open - 1);
		if (nl >= sizeof name)
			return -1;
		memcpy(name, open + 1, nl);
		name[nl] = '\0';
		v = lookup(d, caps, name, tmp, sizeof tmp);
		if (v && *v)
			buf_puts(out, v);
		else if (!bar || expand_into(d, caps, bar + 1, (size_t)(close - bar - 1), out) < 0)
			return -1;
		s = close + 1;
	}
	return 0;
}

static int expand(struct diagnose *d, const struct strv *caps, const char *t,
		  struct buf *out)
{
	buf_reset(out);
	buf_puts(out, "");
	return expand_into(d, caps, t, strlen(t), out);
}

/* ---------------------------------------------------------------- render */

static void add_fix(struct diagnosis *dg, struct diagnosis_fix *f)
{
	for (size_t i = 0; i < dg->nfixes; i++)
		if (!strcmp(dg->fixes[i].text, f->text)) {
			fix_fini(f);
			return;
		}
	dg->fixes = xrealloc(dg->fixes, (dg->nfixes + 1) * sizeof *dg->fixes);
	dg->fixes[dg->nfixes++] = *f;
}

static void render_fix(struct diagnose *d, struct record *rc,
		       const struct rules_fix *rf, struct buf *tmp)
{
	struct diagnosis_fix f;
	const char *target = diagnose_target(d);

	memset(&f, 0, sizeof f);
	if (expand(d, &rc->caps, rf->tmpl, tmp) < 0)
		return;
	switch (rf->kind) {
	case RULES_FIX_SET:
		/* A setting is per target: without one it cannot be said. */
		if (!target)
			return;
		f.kind = DIAGNOSIS_FIX_SET;
		f.target = xstrdup(target);
		f.key = xstrdup(rf->arg);
		f.value = xstrdup(tmp->data);
		f.text = xasprintf("set %s = %s for %s", f.key, f.value, f.target);
		break;
	case RULES_FIX_INSTALL: {
		const struct packages *pk = rules_packages(d->r);
		const char *mgr;
		struct buf cmd;

		if (!d->have_host || d->host.pm == HOST_PM_NONE || !pk)
			return;
		mgr = host_pm_name(d->host.pm);
		f.kind = DIAGNOSIS_FIX_INSTALL;
		if (packages_lookup(pk, rf->arg, tmp->data, mgr, target,
				    &f.packages) == 0) {
			fix_fini(&f);
			return;
		}
		buf_init(&cmd);
		/* A foreign architecture this host's dpkg already installs
		 * for needs no setup step. */
		if (packages_setup(pk, rf->arg, tmp->data, mgr, target, &cmd) &&
		    !(strstr(cmd.data, "--add-architecture") &&
		      host_has_dpkg_arch(&d->host, packages_debian_arch(pk, target)))) {
			/* A foreign architecture first: its own step. */
			struct diagnosis_fix s;

			memset(&s, 0, sizeof s);
			s.kind = DIAGNOSIS_FIX_RUN;
			if (!d->host.is_root)
				strv_push(&s.argv, "sudo");
			strv_split_words(&s.argv, cmd.data);
			s.text = xasprintf("%s%s", d->host.is_root ? "" : "sudo ", cmd.data);
			add_fix(&rc->dg, &s);
		}
		buf_reset(&cmd);
		f.manager = xstrdup(mgr);
		host_install_command(d->host.pm, d->host.is_root, f.packages.v,
				     f.packages.n, &cmd);
		strv_split_words(&f.argv, cmd.data);
		f.text = buf_detach(&cmd);
		break;
	}
	case RULES_FIX_RUN:
		f.kind = DIAGNOSIS_FIX_RUN;
		strv_split_words(&f.argv, tmp->data);
		if (f.argv.n == 0)
			return;
		f.text = xstrdup(tmp->data);
		break;
	case RULES_FIX_TEXT:
		f.kind = DIAGNOSIS_FIX_TEXT;
		f.text = xstrdup(tmp->data);
		break;
	}
	add_fix(&rc->dg, &f);
}

static void render(struct diagnose *d, struct record *rc)
{
	const struct rules_entry *e = rules_get(d->r, rc->entry);
	struct diagnosis *dg = &rc->dg;
	struct buf tmp;
	const char *file, *fline;

	dg_fini(dg);
	buf_init(&tmp);
	dg->category = (enum category)rc->category;
	dg->rule = e->id;
	dg->line = rc->line;
	dg->evidence = xstrdup(rc->evidence);
	dg->count = rc->count;
	if (expand(d, &rc->caps, e->summary, &tmp) == 0)
		dg->summary = xstrdup(tmp.data);
	else
		dg->summary = xstrdup(category_help(dg->category));
	if (e->explain && expand(d, &rc->caps, e->explain, &tmp) == 0)
		dg->explanation = xstrdup(tmp.data);
	else
		dg->explanation = xstrdup("");
	for (size_t i = 0; i < e->nfixes; i++)
		render_fix(d, rc, &e->fixes[i], &tmp);
	{
		/* The missing thing, in the order that names it best; the
		 * target's own paths and names are never one. */
		static const char *const names[] = {
			"header", "library", "tool", "dll", "runner", "loader",
			"symbol", "module", "framework", "glibc", "option", "crate",
		};
		const char *v = NULL;

		for (size_t i = 0; i < sizeof names / sizeof *names && !v; i++)
			v = cap_get(&rc->caps, names[i]);
		dg->subject = xstrdup(v ? v : "");
	}
	file = cap_get(&rc->caps, "file");
	fline = cap_get(&rc->caps, "line");
	if (file && *file) {
		dg->file = xstrdup(file);
		dg->file_line = fline ? atoi(fline) : 0;
	}
	buf_fini(&tmp);
}

static int cmp_view(const void *a, const void *b, void *arg)
{
	const struct diagnose *d = arg;
	const struct record *x = &d->rec[*(const size_t *)a];
	const struct record *y = &d->rec[*(const size_t *)b];

	if (x->rank != y->rank)
		return x->rank > y->rank ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return 0;
}

/* Put every record into words again and choose what is shown. */
void diagnose_refresh(struct diagnose *d)
{
	uint64_t absorbed = 0;
	int have_specific = 0;

	if (!d->dirty)
		return;
	d->dirty = 0;
	for (size_t i = 0; i < d->nrec; i++) {
		const struct rules_entry *e = rules_get(d->r, d->rec[i].entry);

		absorbed |= e->absorbs & ~(UINT64_C(1) << d->rec[i].category);
		if (!e->fallback)
			have_specific = 1;
	}
	free(d->view);
	d->view = xcalloc(d->nrec + 1, sizeof *d->view);
	d->nview = 0;
	for (size_t i = 0; i < d->nrec; i++) {
		const struct rules_entry *e = rules_get(d->r, d->rec[i].entry);

		if (e->fallback && have_specific)
			continue;
		if (absorbed & (UINT64_C(1) << d->rec[i].category))
			continue;
		render(d, &d->rec[i]);
		d->view[d->nview++] = i;
	}
	qsort_r(d->view, d->nview, sizeof *d->view, cmp_view, d);
}

size_t diagnose_count(const struct diagnose *d)
{
	return d->nview;
}

const struct diagnosis *diagnose_get(const struct diagnose *d, size_t i)
{
	return i < d->nview ? &d->rec[d->view[i]].dg : NULL;
}

/* ---------------------------------------------------------------- lines */

static int conds_hold(struct diagnose *d, const struct rules_entry *e,
		      const struct strv *caps)
{
	struct buf l, r;
	int ok = 1;

	if (e->nconds == 0)
		return 1;
	buf_init(&l);
	buf_init(&r);
	for (size_t i = 0; ok && i < e->nconds; i++) {
		const struct rules_cond *c = &e->conds[i];

		/* An unknown value makes the condition false either way:
		 * the rule cannot tell, so another rule should. */
		if (expand(d, caps, c->left, &l) < 0 ||
		    expand(d, caps, c->right, &r) < 0)
			ok = 0;
		else
			ok = (strcmp(l.data, r.data) == 0) == c->equal;
	}
	buf_fini(&l);
	buf_fini(&r);
	return ok;
}

static void record_hit(struct diagnose *d, const struct rules_hit *h,
		       const struct rules_entry *e, struct strv *caps,
		       const char *line, size_t n, size_t lineno)
{
	struct record *rc = NULL;

	for (size_t i = 0; i < d->nrec; i++)
		if (d->rec[i].category == e->category)
			rc = &d->rec[i];
	if (rc) {
		rc->count++;
		/* A more specific rule for the same cause tells more: it
		 * takes over, keeping the count. */
		if (e->rank <= rc->rank) {
			strv_fini(caps);
			return;
		}
		free(rc->evidence);
		strv_fini(&rc->caps);
	} else {
		d->rec = xrealloc(d->rec, (d->nrec + 1) * sizeof *d->rec);
		rc = &d->rec[d->nrec++];
		memset(rc, 0, sizeof *rc);
		rc->count = 1;
	}
	(void)h;
	rc->entry = (size_t)(e - rules_get(d->r, 0));
	rc->category = e->category;
	rc->rank = e->rank;
	rc->line = lineno;
	rc->evidence = xstrndup(line, n > EVIDENCE_MAX ? EVIDENCE_MAX : n);
	rc->caps = *caps;
	strv_init(caps);
	d->dirty = 1;
}

/* contexts_only: a JSON line's raw text, read for facts but not causes. */
static void match_text(struct diagnose *d, const char *line, size_t n,
		       size_t lineno, int contexts_only)
{
	const struct rules_capture *caps;
	const struct rules_hit *best = NULL;
	const struct rules_entry *beste = NULL;
	struct strv bestcaps;
	size_t nh;

	if (n > DIAGNOSE_LINE_MAX)
		n = DIAGNOSE_LINE_MAX;
	nh = d->pre_cand && !contexts_only
		? rules_match_candidates(d->m, line, n, d->pre_cand, d->pre_ncand)
		: rules_match_line(d->m, line, n);
	if (nh == 0)
		return;
	caps = rules_matcher_captures(d->m);
	/* Facts first, so a rule on the same line sees them. */
	for (size_t i = 0; i < nh; i++) {
		const struct rules_hit *h = rules_matcher_hit(d->m, i);
		const struct rules_entry *e = rules_get(d->r, h->entry);

		if (e->kind != RULES_CONTEXT)
			continue;
		for (size_t k = 0; k < h->ncaptures; k++) {
			const struct rules_capture *c = &caps[h->first_capture + k];

			var_set(d, c->name, c->s, c->len, e->priority);
		}
	}
	if (contexts_only)
		return;
	strv_init(&bestcaps);
	for (size_t i = 0; i < nh; i++) {
		const struct rules_hit *h = rules_matcher_hit(d->m, i);
		const struct rules_entry *e = rules_get(d->r, h->entry);
		struct strv cv;

		if (e->kind != RULES_RULE || (beste && e->rank <= beste->rank))
			continue;
		strv_init(&cv);
		for (size_t k = 0; k < h->ncaptures; k++) {
			const struct rules_capture *c = &caps[h->first_capture + k];

			strv_pushf(&cv, "%s=%.*s", c->name,
				   (int)(c->len > 512 ? 512 : c->len), c->s);
		}
		if (!conds_hold(d, e, &cv)) {
			strv_fini(&cv);
			continue;
		}
		strv_fini(&bestcaps);
		bestcaps = cv;
		best = h;
		beste = e;
	}
	/* One line, one cause: the highest-ranked rule that fits it. */
	if (beste)
		record_hit(d, best, beste, &bestcaps, line, n, lineno);
	strv_fini(&bestcaps);
}

static void match_json(struct diagnose *d, const char *line, size_t n,
		       size_t lineno)
{
	json_error_t jerr;
	json_t *root = json_loadb(line, n, JSON_DISABLE_EOF_CHECK, &jerr);
	const char *reason, *rendered;

	if (!root || !json_is_object(root)) {
		json_decref(root);
		match_text(d, line, n, lineno, 0);
		return;
	}
	reason = json_string_value(json_object_get(root, "reason"));
	if (!reason) {
		json_decref(root);
		match_text(d, line, n, lineno, 0);
		return;
	}
	match_text(d, line, n, lineno, 1);
	if (!strcmp(reason, "compiler-message")) {
		const char *pkg = json_string_value(json_object_get(root, "package_id"));

		if (pkg)
			var_set(d, "crate", pkg, strcspn(pkg, " "), 0);
		rendered = json_string_value(json_object_get(
			json_object_get(root, "message"), "rendered"));
		/* The rendered text is what cargo would have printed: read
		 * it line by line, as evidence of this JSON line. */
		for (const char *s = rendered; s && *s;) {
			size_t l = strcspn(s, "\n");

			match_text(d, s, l, lineno, 0);
			s += l + (s[l] == '\n');
		}
	}
	json_decref(root);
}

static const char *clean_escapes(struct buf *clean, const char *s, size_t *n);

static size_t digits(const char *s, size_t n, size_t at)
{
	size_t k = at;

	while (k < n && s[k] >= '0' && s[k] <= '9')
		k++;
	return k - at;
}

/* An ISO 8601 time at s (2026-12-07T02:14:33, then .fraction, then Z or
 * an offset), or a bare 02:14:33(.fraction); returns its length or 0. */
static size_t iso_time_len(const char *s, size_t n)
{
	size_t k = 0;

	if (digits(s, n, 0) == 4 && n > 10 && s[4] == '-' && digits(s, n, 5) == 2 &&
	    s[7] == '-' && digits(s, n, 8) == 2 && (s[10] == 'T' || s[10] == ' '))
		k = 11;
	if (!(digits(s, n, k) == 2 && k + 8 <= n && s[k + 2] == ':' &&
	      digits(s, n, k + 3) == 2 && s[k + 5] == ':' && digits(s, n, k + 6) == 2))
		return 0;
	k += 8;
	if (k < n && (s[k] == '.' || s[k] == ','))
		k += 1 + digits(s, n, k + 1);
	if (k < n && s[k] == 'Z')
		k++;
	else if (k + 5 <= n && (s[k] == '+' || s[k] == '-') && digits(s, n, k + 1) == 2)
		k += 3 + (s[k + 3] == ':') + (digits(s, n, k + 3 + (s[k + 3] == ':')) == 2 ? 2 : 0);
	return k;
}

/* What CI services put before each line of a build's output: GitHub
 * Actions' and GitLab's timestamps (GitLab's with its 00O stream mark),
 * Jenkins' [timestamp], BuildKit's "#12 3.456", GitHub's ##[error].
 * Returns how many bytes to skip: the rules then see the line as cargo
 * printed it, so a rule anchored at ^ works in a downloaded CI log. */
size_t diagnose_ci_prefix_len(const char *s, size_t n)
{
	size_t at = 0;

	for (int round = 0; round < 3 && at < n; round++) {
		const char *p = s + at;
		size_t m = n - at, k;

		if ((k = iso_time_len(p, m)) >= 8 && k < m && p[k] == ' ') {
			k++;
			if (digits(p, m, k) == 2 && k + 3 < m && (p[k + 2] == 'O' || p[k + 2] == 'E')) {
				size_t e = k + 3 + (p[k + 3] == '+');

				if (e < m && p[e] == ' ')
					k = e + 1;
			}
		} else if (m > 2 && p[0] == '[' && (k = iso_time_len(p + 1, m - 1)) >= 8 &&
			   k + 2 < m && p[k + 1] == ']' && p[k + 2] == ' ') {
			k += 3;
		} else if (m > 3 && p[0] == '#' && (k = digits(p, m, 1)) > 0 && k + 1 < m &&
			   p[k + 1] == ' ' && digits(p, m, k + 2) > 0) {
			size_t d = k + 2 + digits(p, m, k + 2);

			if (!(d < m && p[d] == '.' && digits(p, m, d + 1) > 0))
				break;
			d += 1 + digits(p, m, d + 1);
			if (!(d < m && p[d] == ' '))
				break;
			k = d + 1;
		} else if (m > 4 && p[0] == '#' && p[1] == '#' && p[2] == '[') {
			const char *e = memchr(p + 3, ']', m - 3 < 16 ? m - 3 : 16);

			if (!e)
				break;
			k = (size_t)(e - p) + 1;
		} else {
			break;
		}
		at += k;
	}
	return at;
}

/* Remove what a terminal would not show as text: colour and other escape
 * sequences, everything before a carriage return (a progress bar
 * overwritten in place), and a CI service's line prefix. */
const char *diagnose_clean_line(struct buf *clean, const char *s, size_t *n)
{
	const char *out = clean_escapes(clean, s, n);
	size_t skip = diagnose_ci_prefix_len(out, *n);

	*n -= skip;
	return out + skip;
}

static const char *clean_escapes(struct buf *clean, const char *s, size_t *n)
{
	const char *cr;
	size_t len = *n;

	while (len && s[len - 1] == '\r')
		len--;
	if ((cr = memrchr(s, '\r', len))) {
		len -= (size_t)(cr + 1 - s);
		s = cr + 1;
	}
	if (!memchr(s, 0x1b, len)) {
		*n = len;
		return s;
	}
	buf_reset(clean);
	buf_grow(clean, len);
	for (size_t i = 0; i < len; i++) {
		const char *esc = memchr(s + i, 0x1b, len - i);
		size_t run = esc ? (size_t)(esc - (s + i)) : len - i;

		/* The text up to the next escape, in one copy. */
		memcpy(clean->data + clean->len, s + i, run);
		clean->len += run;
		i += run;
		if (i >= len)
			break;
		if (i + 1 < len && s[i + 1] == '[') {
			i += 2;
			while (i < len && (unsigned char)s[i] >= 0x20 &&
			       (unsigned char)s[i] <= 0x3f)
				i++;
			while (i < len && (unsigned char)s[i] >= 0x20 &&
			       (unsigned char)s[i] <= 0x2f)
				i++;
			/* i is on the final byte (or the end) */
		} else if (i + 1 < len && s[i + 1] == ']') {
			i += 2;
			while (i < len && s[i] != 0x07 &&
			       !(s[i] == 0x1b && i + 1 < len && s[i + 1] == '\\'))
				i++;
			if (i < len && s[i] == 0x1b)
				i++;
		} else {
			i++;
		}
	}
	clean->data[clean->len] = '\0';
	*n = clean->len;
	return clean->data ? clean->data : "";
}

/* cargo's JSON messages start with {"reason": (a CI log may prefix
 * nothing else on those lines). */
int diagnose_is_json_message(const char *s, size_t n)
{
	return n > 11 && s[0] == '{' && memmem(s, n > 64 ? 64 : n, "\"reason\"", 8);
}

void diagnose_process_line(struct diagnose *d, const char *s, size_t n)
{
	size_t lineno = ++d->lineno;

	s = diagnose_clean_line(&d->clean, s, &n);
	if (diagnose_is_json_message(s, n)) {
		if (n <= DIAGNOSE_JSON_MAX) {
			match_json(d, s, n, lineno);
			return;
		}
	}
	match_text(d, s, n, lineno, 0);
}

/* How much of a line is worth keeping while it is not ended: a JSON line
 * whole (up to its limit), a coloured one too (its colour may hide a JSON
 * line's start; decided when it ends), text only as far as it is read. */
size_t diagnose_keep_limit(char first)
{
	if (first == '{' || first == 0x1b)
		return DIAGNOSE_JSON_MAX + 1;
	return DIAGNOSE_LINE_MAX + 64;
}

static void carry_add(struct diagnose *d, const char *s, size_t n)
{
	size_t lim;

	if (d->carry_cut || n == 0)
		return;
	lim = diagnose_keep_limit(d->carry.len ? d->carry.data[0] : s[0]);
	if (d->carry.len + n > lim) {
		n = lim > d->carry.len ? lim - d->carry.len : 0;
		d->carry_cut = 1;
	}
	buf_append(&d->carry, s, n);
}

void diagnose_feed(struct diagnose *d, const char *bytes, size_t n)
{
	if (d->finished)
		return;
	while (n > 0) {
		const char *nl = memchr(bytes, '\n', n);
		size_t seg = nl ? (size_t)(nl - bytes) : n;

		if (!nl) {
			carry_add(d, bytes, seg);
			break;
		}
		if (d->carry.len == 0 && !d->carry_cut) {
			diagnose_process_line(d, bytes, seg);
		} else {
			carry_add(d, bytes, seg);
			diagnose_process_line(d, d->carry.data ? d->carry.data : "", d->carry.len);
			buf_reset(&d->carry);
			d->carry_cut = 0;
		}
		bytes += seg + 1;
		n -= seg + 1;
	}
	diagnose_refresh(d);
}

void diagnose_finish(struct diagnose *d)
{
	if (d->finished)
		return;
	if (d->carry.len > 0 || d->carry_cut)
		diagnose_process_line(d, d->carry.data ? d->carry.data : "", d->carry.len);
	buf_reset(&d->carry);
	d->carry_cut = 0;
	d->finished = 1;
	diagnose_refresh(d);
}

/* ---------------------------------------------------------------- JSON */

const char *diagnosis_fix_kind_name(enum diagnosis_fix_kind k)
{
	switch (k) {
	case DIAGNOSIS_FIX_SET: return "set";
	case DIAGNOSIS_FIX_INSTALL: return "install";
	case DIAGNOSIS_FIX_RUN: return "run";
	case DIAGNOSIS_FIX_TEXT: return "text";
	}
	return "text";
}

json_t *diagnosis_fix_to_json(const struct diagnosis_fix *f)
{
	json_t *o = json_object();

	json_object_set_new(o, "kind", json_string(diagnosis_fix_kind_name(f->kind)));
	switch (f->kind) {
	case DIAGNOSIS_FIX_SET:
		json_object_set_new(o, "target", jsontext(f->target));
		json_object_set_new(o, "key", jsontext(f->key));
		json_object_set_new(o, "value", jsontext(f->value));
		break;
	case DIAGNOSIS_FIX_INSTALL:
		json_object_set_new(o, "manager", jsontext(f->manager));
		json_object_set_new(o, "packages", jsontext_array(&f->packages));
		break;
	case DIAGNOSIS_FIX_RUN:
		json_object_set_new(o, "argv", jsontext_array(&f->argv));
		break;
	case DIAGNOSIS_FIX_TEXT:
		json_object_set_new(o, "text", jsontext(f->text));
		break;
	}
	return o;
}

json_t *diagnosis_to_json(const struct diagnosis *dg)
{
	json_t *o = json_object();
	json_t *fixes = json_array();

	json_object_set_new(o, "category", json_string(category_name(dg->category)));
	json_object_set_new(o, "rule", jsontext(dg->rule));
	json_object_set_new(o, "line", json_integer((json_int_t)dg->line));
	json_object_set_new(o, "evidence", jsontext(dg->evidence));
	json_object_set_new(o, "summary", jsontext(dg->summary));
	json_object_set_new(o, "subject", jsontext(dg->subject ? dg->subject : ""));
	json_object_set_new(o, "explanation", jsontext(dg->explanation));
	for (size_t i = 0; i < dg->nfixes; i++)
		json_array_append_new(fixes, diagnosis_fix_to_json(&dg->fixes[i]));
	json_object_set_new(o, "fixes", fixes);
	if (dg->file) {
		json_t *loc = json_object();

		json_object_set_new(loc, "file", jsontext(dg->file));
		if (dg->file_line > 0)
			json_object_set_new(loc, "line", json_integer(dg->file_line));
		json_object_set_new(o, "location", loc);
	}
	return o;
}
