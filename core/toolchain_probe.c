/* toolchain_probe.c - cached probes, object file machines, -dumpmachine. */
#include "toolchain_probe.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "artifact.h"
#include "proc.h"
#include "toolchain.h"

/* rustup may take a while the first time a toolchain runs; a compiler
 * that takes longer than this to say what it builds for is broken. */
#define PROBE_TIMEOUT_MS 20000

void toolchain_probes_clear(struct toolchain_probes *ps)
{
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->p[i].key);
		free(ps->p[i].out);
		free(ps->p[i].err_line);
	}
	free(ps->p);
	ps->p = NULL;
	ps->n = 0;
}

static const char *env_get(char *const env[], const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (!strncmp(*env, name, n) && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' ' ||
		     s[n - 1] == '\t'))
		s[--n] = '\0';
}

const struct toolchain_probe *toolchain_probe_run(struct toolchain_probes *ps,
						  char *const argv[],
						  char *const env[],
						  const char *cwd,
						  const char *const keyvars[])
{
	struct toolchain_probe *p;
	struct proc_result res;
	struct cb_err err;
	struct buf key;

	buf_init(&key);
	for (char *const *a = argv; *a; a++)
		buf_printf(&key, "%s\x1f", *a);
	buf_printf(&key, "\x1e%s", cwd ? cwd : "");
	for (const char *const *k = keyvars; k && *k; k++) {
		const char *v = env_get(env, *k);

		buf_printf(&key, "\x1e%s=%s", *k, v ? v : "");
	}
	for (size_t i = 0; i < ps->n; i++) {
		if (!strcmp(ps->p[i].key, key.data)) {
			buf_fini(&key);
			return &ps->p[i];
		}
	}
	ps->p = xrealloc(ps->p, (ps->n + 1) * sizeof *ps->p);
	p = &ps->p[ps->n++];
	memset(p, 0, sizeof *p);
	p->key = buf_detach(&key);
	proc_result_init(&res);
	if (proc_capture(argv, env, cwd, PROBE_TIMEOUT_MS, &res, &err) == 0) {
		p->ran = 1;
		p->ok = res.exited && res.status == 0 && !res.timed_out;
		p->out = xstrdup(res.out.data ? res.out.data : "");
		rtrim(p->out);
		p->err_line = xstrndup(res.errb.data ? res.errb.data : "",
				       res.errb.data ? strcspn(res.errb.data, "\n") : 0);
		if (res.timed_out) {
			free(p->err_line);
			p->err_line = xasprintf("no answer in %d s",
						PROBE_TIMEOUT_MS / 1000);
		}
	} else {
		p->out = xstrdup("");
		p->err_line = xstrdup(err.msg);
	}
	proc_result_fini(&res);
	return p;
}

const char *toolchain_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

enum toolchain_tool_kind toolchain_tool_kind(const char *name)
{
	const char *b = toolchain_base(name);
	char tmp[256];
	size_t n;

	/* gcc-12, clang-14, g++-posix: the version or variant says nothing */
	snprintf(tmp, sizeof tmp, "%s", b);
	n = strlen(tmp);
	while (n && ((tmp[n - 1] >= '0' && tmp[n - 1] <= '9') || tmp[n - 1] == '.'))
		n--;
	if (n && tmp[n - 1] == '-' && n < strlen(tmp))
		tmp[--n] = '\0';
	if (ends_with(tmp, "-posix") || ends_with(tmp, "-win32"))
		tmp[strlen(tmp) - 6] = '\0';
	if (!strcmp(tmp, "clang") || !strcmp(tmp, "clang++"))
		return TOOLCHAIN_TOOL_CLANG;
	if (ends_with(tmp, "gcc") || ends_with(tmp, "g++") || ends_with(tmp, "clang") ||
	    ends_with(tmp, "clang++") || !strcmp(tmp, "cc") || !strcmp(tmp, "c++") ||
	    ends_with(tmp, "-cc") || ends_with(tmp, "-c++"))
		return TOOLCHAIN_TOOL_DRIVER;
	if (!strcmp(tmp, "ld") || ends_with(tmp, "-ld") || !strncmp(tmp, "ld.", 3) ||
	    strstr(tmp, "-ld.") || ends_with(tmp, "lld") || !strcmp(tmp, "wasm-ld"))
		return TOOLCHAIN_TOOL_LD;
	return TOOLCHAIN_TOOL_OTHER;
}

static const char *os_family(const struct triple *x)
{
	if (!strncmp(x->os, "mingw", 5) || !strcmp(x->os_name, "windows") ||
	    !strcmp(x->os, "cygwin"))
		return "windows";
	if (!strncmp(x->os, "darwin", 6) || !strcmp(x->os_name, "macos"))
		return "macos";
	if (!strncmp(x->os, "elf", 3) || !strcmp(x->os, "eabi") ||
	    !strcmp(x->os, "eabihf"))
		return "none";
	return x->os_name;
}

static int ends_hf(const char *env)
{
	return ends_with(env, "hf");
}

int toolchain_machine_matches(const struct triple *t, const char *gnu,
			      struct buf *why)
{
	struct triple g;
	const char *tf, *gf;

	if (!gnu || !*gnu || triple_parse(&g, gnu, NULL) < 0)
		return 1;
	if (strcmp(g.machine, t->machine) || g.bits != t->bits || g.endian != t->endian) {
		if (why)
			buf_printf(why, "%s, not %s%s", gnu, t->machine,
				   t->endian == TRIPLE_BIG ? " (big-endian)" : "");
		return 0;
	}
	tf = os_family(t);
	gf = os_family(&g);
	/* A wasm or bare-metal compiler has no OS worth comparing. */
	if (t->format != TRIPLE_FMT_WASM && strcmp(tf, "none") && strcmp(tf, gf)) {
		if (why)
			buf_printf(why, "%s (%s), not %s", gnu, gf, tf);
		return 0;
	}
	if (!strcmp(t->machine, "arm") && !strcmp(tf, "linux") &&
	    ends_hf(t->env) != ends_hf(g.env)) {
		if (why)
			buf_printf(why, "%s (%s-float), not %s-float", gnu,
				   ends_hf(g.env) ? "hard" : "soft",
				   ends_hf(t->env) ? "hard" : "soft");
		return 0;
	}
	return 1;
}

int toolchain_is_rustup_proxy(const char *path)
{
	char real[PATH_MAX], *dir, *sib;
	const char *b;
	struct stat a, r;
	int yes = 0;

	if (!path || !realpath(path, real))
		return 0;
	b = toolchain_base(real);
	if (!strcmp(b, "rustup") || !strcmp(b, "rustup-init"))
		return 1;
	/* Installs with hard links: the same file as rustup beside it. */
	dir = xstrndup(path, (size_t)(toolchain_base(path) - path));
	sib = xasprintf("%srustup", dir);
	if (stat(path, &a) == 0 && stat(sib, &r) == 0)
		yes = a.st_dev == r.st_dev && a.st_ino == r.st_ino;
	free(sib);
	free(dir);
	return yes;
}

/* ------------------------------------------------------------ objects */

const char *toolchain_object_machine(const char *path, int *bits)
{
	struct artifact a;
	const struct artifact *o = &a;
	const char *m = NULL;

	if (artifact_inspect(path, &a, NULL) == 0) {
		/* an archive (libgcc.a): its members grouped by kind */
		if (a.format == ARTIFACT_FMT_ARCHIVE)
			o = a.nslices ? &a.slices[0] : NULL;
		if (o && o->machine) {
			m = o->machine;   /* a static string */
			if (bits)
				*bits = o->bits;
		}
	}
	artifact_fini(&a);
	return m;
}
