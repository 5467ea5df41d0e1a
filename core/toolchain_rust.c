/* toolchain_rust.c - the doctor's Rust half: which cargo runs, which
 * rustc that cargo runs (and in which rustup toolchain), and whether that
 * rustc has the std for the target. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "preset.h"
#include "proc.h"
#include "toolchain_check.h"

static int has_lib(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t pl = strlen(prefix);
	int found = 0;

	while (d && !found && (de = readdir(d))) {
		size_t l = strlen(de->d_name);

		found = !strncmp(de->d_name, prefix, pl) && l > 5 &&
			!strcmp(de->d_name + l - 5, ".rlib");
	}
	if (d)
		closedir(d);
	return found;
}

/* Every executable called name on PATH, in PATH order. */
static void all_on_path(const char *name, const char *path_env, struct strv *out)
{
	const char *p = path_env ? path_env : "/usr/local/bin:/usr/bin:/bin";

	for (;;) {
		size_t dl = strcspn(p, ":");
		char *cand = xasprintf("%.*s/%s", (int)dl, dl ? p : ".", name);

		if (access(cand, X_OK) == 0)
			strv_push(out, cand);
		free(cand);
		if (!p[dl])
			break;
		p += dl + 1;
	}
}

static int same_file(const char *a, const char *b)
{
	char ra[PATH_MAX], rb[PATH_MAX];

	return a && b && realpath(a, ra) && realpath(b, rb) && !strcmp(ra, rb);
}

/* The sibling of program path called name ("/usr/bin/cargo" for
 * "/usr/bin/rustc"), if it exists. */
static char *sibling(const char *path, const char *name)
{
	char *s = xasprintf("%.*s%s", (int)(toolchain_base(path) - path), path, name);

	if (access(s, X_OK) == 0)
		return s;
	free(s);
	return NULL;
}

/* ------------------------------------------------------------ cargo, rustc */

static char *find_rustup_cargo(struct toolchain_ctx *ck)
{
	struct strv all;
	char *found = NULL;
	const char *home = strv_getenv(&ck->env, "CARGO_HOME");
	const char *h = strv_getenv(&ck->env, "HOME");

	strv_init(&all);
	all_on_path("cargo", ck->path_env, &all);
	if (home && *home)
		strv_pushf(&all, "%s/bin/cargo", home);
	if (h && *h)
		strv_pushf(&all, "%s/.cargo/bin/cargo", h);
	for (size_t i = 0; i < all.n && !found; i++)
		if (access(all.v[i], X_OK) == 0 && toolchain_is_rustup_proxy(all.v[i]))
			found = xstrdup(all.v[i]);
	strv_fini(&all);
	return found;
}

static void check_cargo(struct toolchain_ctx *ck, const char *cargo)
{
	const char *src = ck->ts->origin[CONFIG_CARGO] != CONFIG_LEVEL_BUILTIN
			  ? "the cargo setting" : "the default";
	const char *tcname = ck->ts->toolchain && *ck->ts->toolchain
			     ? ck->ts->toolchain : NULL;
	char *path = proc_which(cargo, ck->path_env);
	size_t fi;

	ck->rep->cargo = xstrdup(path ? path : cargo);
	if (!path) {
		fi = toolchain_add(ck, TOOLCHAIN_CARGO, TOOLCHAIN_MISSING, 1, cargo,
				   NULL, src,
			 "%s: not found%s", cargo, strchr(cargo, '/') ? "" : " on PATH");
		if (!toolchain_fix_install(ck, fi, "tool", toolchain_base(cargo)))
			toolchain_fix_text(ck, fi,
					   "install Rust: rustup (https://rustup.rs) or "
				 "the distribution's cargo and rustc");
		return;
	}
	ck->cargo_path = path;
	ck->cargo_rustup = toolchain_is_rustup_proxy(path);
	if (tcname && !ck->cargo_rustup) {
		char *rc = find_rustup_cargo(ck);

		fi = toolchain_add(ck, TOOLCHAIN_CARGO, TOOLCHAIN_WRONG, 1, cargo, path,
				   src, "toolchain = %s runs '%s +%s', which only "
				   "rustup's cargo understands, and %s is not rustup's",
				   tcname, cargo, tcname, path);
		if (rc)
			toolchain_fix_set(ck, fi, CONFIG_CARGO, rc);
		toolchain_fix_set(ck, fi, CONFIG_TOOLCHAIN, NULL);
		free(rc);
		return;
	}
	toolchain_add(ck, TOOLCHAIN_CARGO, TOOLCHAIN_OK, 1, cargo, path, src, "%s%s",
		      path,
	    ck->cargo_rustup ? " (rustup's proxy)" : "");
}

/* The environment rustc runs in: the build's, plus what `cargo +NAME`
 * adds, and never a rustup that goes off to download a toolchain. */
static void rustc_env(struct toolchain_ctx *ck, struct strv *env, int with_toolchain)
{
	strv_init(env);
	for (size_t i = 0; i < ck->env.n; i++)
		strv_push(env, ck->env.v[i]);
	if (with_toolchain && ck->ts->toolchain && *ck->ts->toolchain)
		strv_setenv(env, "RUSTUP_TOOLCHAIN", ck->ts->toolchain);
	strv_setenv(env, "RUSTUP_AUTO_INSTALL", "0");
}

static const char *const rustc_keyvars[] = {
	"RUSTUP_TOOLCHAIN", "RUSTUP_HOME", NULL,
};

/* rustc --print sysroot, or NULL. */
static const struct toolchain_probe *sysroot_probe(struct toolchain_ctx *ck,
						   const char *rustc, int with_tc)
{
	char *argv[] = { (char *)rustc, "--print", "sysroot", NULL };
	const struct toolchain_probe *p;
	struct strv env;

	rustc_env(ck, &env, with_tc);
	p = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&env),
				ck->project_dir, rustc_keyvars);
	strv_fini(&env);
	return p;
}

static void check_rustc(struct toolchain_ctx *ck)
{
	struct toolchain_report *rep = ck->rep;
	const char *v = strv_getenv(&ck->env, "RUSTC");
	const struct toolchain_probe *p;
	char *name = NULL, *file = NULL, *path;
	struct strv cfg, env;
	size_t fi;

	strv_init(&cfg);
	if (v && *v) {
		name = xstrdup(v);
		rep->rustc_source = toolchain_source_of(ck, "RUSTC", CONFIG_RUSTC, v);
	} else if (export_cargo_config_get(ck->project_dir, "build", "rustc", &cfg,
					   &file) && cfg.n) {
		name = xstrdup(cfg.v[0]);
		rep->rustc_source = xasprintf("build.rustc in %s", file);
	} else if (ck->cargo_rustup) {
		name = xasprintf("%.*srustc", (int)(toolchain_base(ck->cargo_path) -
				 ck->cargo_path), ck->cargo_path);
		rep->rustc_source = xstrdup("rustup's cargo runs its toolchain's rustc");
	} else {
		name = xstrdup("rustc");
		rep->rustc_source = xasprintf("the first rustc on PATH, which %s runs",
					      rep->cargo);
	}
	strv_fini(&cfg);
	free(file);
	path = proc_which(name, ck->path_env);
	if (!path) {
		fi = toolchain_add(ck, TOOLCHAIN_RUSTC, TOOLCHAIN_MISSING, 1, name, NULL,
			 rep->rustc_source, "%s: not found%s", name,
			 strchr(name, '/') ? "" : " on PATH");
		if (!toolchain_fix_install(ck, fi, "tool", "rustc"))
			toolchain_fix_text(ck, fi,
					   "install Rust: rustup (https://rustup.rs) or "
				 "the distribution's rustc");
		free(name);
		return;
	}
	p = sysroot_probe(ck, path, 1);
	if (!p->ok || !p->out[0] || p->out[0] != '/') {
		fi = toolchain_add(ck, TOOLCHAIN_RUSTC, TOOLCHAIN_WRONG, 1, name, path,
			 rep->rustc_source, "'%s --print sysroot' failed: %s", path,
			 p->err_line && *p->err_line ? p->err_line : "no answer");
		if (ck->ts->toolchain && *ck->ts->toolchain) {
			char *cmd = xasprintf("rustup toolchain install %s",
					      ck->ts->toolchain);

			toolchain_fix_run(ck, fi, 0, cmd);
			free(cmd);
		}
		free(name);
		free(path);
		return;
	}
	rep->rustc = path;
	rep->sysroot = xstrdup(p->out);
	if (strstr(rep->sysroot, "/toolchains/"))
		rep->toolchain = xstrdup(toolchain_base(rep->sysroot));
	{
		char *argv[] = { path, "-vV", NULL };

		rustc_env(ck, &env, 1);
		p = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&env),
					ck->project_dir, rustc_keyvars);
		strv_fini(&env);
	}
	for (const char *l = p->ok ? p->out : ""; *l;) {
		size_t n = strcspn(l, "\n");

		if (!strncmp(l, "release: ", 9))
			rep->rustc_version = xstrndup(l + 9, n - 9);
		else if (!strncmp(l, "host: ", 6) && n - 6 < sizeof ck->host_t)
			snprintf(ck->host_t, sizeof ck->host_t, "%.*s", (int)(n - 6),
				 l + 6);
		l += n + (l[n] == '\n');
	}
	toolchain_add(ck, TOOLCHAIN_RUSTC, TOOLCHAIN_OK, 1, name, path, rep->rustc_source,
	    "rustc %s at %s%s%s%s, sysroot %s",
	    rep->rustc_version ? rep->rustc_version : "(version unknown)", path,
	    rep->toolchain ? " (rustup toolchain " : "",
	    rep->toolchain ? rep->toolchain : "", rep->toolchain ? ")" : "",
	    rep->sysroot);
	free(name);
}

static char *std_dir(const char *sysroot, const char *triple)
{
	return xasprintf("%s/lib/rustlib/%s/lib", strcmp(sysroot, "/") ? sysroot : "",
			 triple);
}

/* Another rustc here that has the std: the trap of a rustup rustc first
 * on PATH while the distribution's has the cross std, or the reverse. */
static char *rustc_with_std(struct toolchain_ctx *ck, const char *lib)
{
	struct strv cands;
	const char *home = strv_getenv(&ck->env, "CARGO_HOME");
	const char *h = strv_getenv(&ck->env, "HOME");
	char *found = NULL;

	strv_init(&cands);
	all_on_path("rustc", ck->path_env, &cands);
	strv_push(&cands, "/usr/bin/rustc");
	strv_push(&cands, "/usr/local/bin/rustc");
	if (home && *home)
		strv_pushf(&cands, "%s/bin/rustc", home);
	if (h && *h)
		strv_pushf(&cands, "%s/.cargo/bin/rustc", h);
	for (size_t i = 0; i < cands.n && !found; i++) {
		const struct toolchain_probe *p;
		char *dir;

		if (access(cands.v[i], X_OK) < 0 || same_file(cands.v[i], ck->rep->rustc))
			continue;
		p = sysroot_probe(ck, cands.v[i], 0);
		if (!p->ok || p->out[0] != '/' || !strcmp(p->out, ck->rep->sysroot))
			continue;
		dir = std_dir(p->out, ck->t.text);
		if (has_lib(dir, lib))
			found = xstrdup(cands.v[i]);
		free(dir);
	}
	strv_fini(&cands);
	return found;
}

static void check_std(struct toolchain_ctx *ck)
{
	struct toolchain_report *rep = ck->rep;
	int core_only = !strcmp(ck->t.os_name, "none");
	const char *lib = core_only ? "libcore-" : "libstd-";
	char *dir, *alt, *rustup;
	size_t fi;

	if (!rep->sysroot)
		return;
	dir = std_dir(rep->sysroot, ck->t.text);
	if (has_lib(dir, lib)) {
		toolchain_add(ck, TOOLCHAIN_STD, TOOLCHAIN_OK, 1,
			      core_only ? "core" : "std", dir,
		    NULL, "%s for %s in %s", core_only ? "core" : "std", ck->t.text, dir);
		free(dir);
		return;
	}
	fi = toolchain_add(ck, TOOLCHAIN_STD, TOOLCHAIN_MISSING, 1,
			   core_only ? "core" : "std",
		 NULL, rep->rustc_source, "rustc %s at %s (%s) has no %s for %s: "
		 "nothing in %s", rep->rustc_version ? rep->rustc_version : "",
		 rep->rustc, rep->rustc_source, core_only ? "core" : "std",
		 ck->t.text, dir);
	free(dir);
	rustup = proc_which("rustup", ck->path_env);
	if (rep->toolchain) {
		char *cmd = xasprintf("rustup target add --toolchain %s %s",
				      rep->toolchain, ck->t.text);

		toolchain_fix_run(ck, fi, 0, cmd);
		free(cmd);
	} else if (!toolchain_fix_install(ck, fi, "std", ck->t.text) &&
		   ck->tc->host.pm != HOST_PM_NONE) {
		toolchain_fix_text(ck, fi, "no %s package we know of has the std for %s "
			 "that this rustc can use", host_pm_name(ck->tc->host.pm),
			 ck->t.text);
	}
	alt = rustc_with_std(ck, lib);
	if (alt) {
		char *cargo = sibling(alt, "cargo");

		toolchain_fix_set(ck, fi, CONFIG_RUSTC, alt);
		/* rustup's cargo with Debian's rustc, or the reverse, is a
		 * pair that was never tested together */
		if (cargo && ck->cargo_path && !same_file(cargo, ck->cargo_path) &&
		    toolchain_is_rustup_proxy(ck->cargo_path) !=
		    toolchain_is_rustup_proxy(cargo))
			toolchain_fix_set(ck, fi, CONFIG_CARGO, cargo);
		free(cargo);
		free(alt);
	}
	if (!rep->toolchain && rustup)
		toolchain_fix_text(ck, fi,
				   "or build with rustup's toolchain: rustup target "
			 "add %s, and rustup's cargo and rustc", ck->t.text);
	free(rustup);
}

void toolchain_check_rust(struct toolchain_ctx *ck, const char *cargo)
{
	check_cargo(ck, cargo);
	check_rustc(ck);
	if (!ck->host_t[0])
		host_triple(&ck->tc->host, ck->host_t, sizeof ck->host_t);
	ck->native = triple_is_host(&ck->t, ck->host_t);
	check_std(ck);
}
