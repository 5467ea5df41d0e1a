/* toolchain_c.c - the doctor's C half: the macOS SDK, the linker rustc
 * calls, the C compiler, archiver and C++ compiler cc-rs uses, the libgcc
 * and C library a GNU target links with, and the runner. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export.h"
#include "preset.h"
#include "proc.h"
#include "toolchain_check.h"

/* cc-rs's lookup of CC, CXX or AR for the target. */
static const char *cc_var(struct toolchain_ctx *ck, const char *base, char **var)
{
	const char *names[4];
	char a[TRIPLE_MAX + 16], b[TRIPLE_MAX + 16], c[32];

	snprintf(a, sizeof a, "%s_%s", base, ck->t.text);
	snprintf(b, sizeof b, "%s_%s", base, ck->cenv);
	snprintf(c, sizeof c, "%s_%s", ck->native ? "HOST" : "TARGET", base);
	names[0] = a;
	names[1] = b;
	names[2] = c;
	names[3] = base;
	/* go reads CC and CXX alone. */
	for (size_t i = ck->go ? 3 : 0; i < 4; i++) {
		const char *v = strv_getenv(&ck->env, names[i]);

		if (v && *v) {
			*var = xstrdup(names[i]);
			return v;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ C tools */

static void check_sdk(struct toolchain_ctx *ck)
{
	char *pick, *path;
	size_t fi;

	if (strcmp(ck->t.os_name, "macos"))
		return;
	if (!strcmp(ck->tc->host.id, "macos")) {
		path = proc_which("xcrun", ck->path_env);
		if (path) {
			toolchain_add(ck, TOOLCHAIN_SDK, TOOLCHAIN_OK, 1, "xcrun", path,
				      NULL,
			    "Xcode's command line tools (%s)", path);
		} else {
			fi = toolchain_add(ck, TOOLCHAIN_SDK, TOOLCHAIN_MISSING, 1,
					   "xcrun", NULL,
				 NULL, "no Xcode command line tools (xcrun)");
			toolchain_fix_run(ck, fi, 0, "xcode-select --install");
		}
		free(path);
		return;
	}
	pick = preset_pick(ck->tc->ps, ck->t.text, ck->family, CONFIG_LINKER,
			   ck->path_env, NULL, NULL);
	path = pick ? proc_which(pick, ck->path_env) : NULL;
	if (path) {
		toolchain_add(ck, TOOLCHAIN_SDK, TOOLCHAIN_OK, 1, pick, path, "osxcross",
		    "osxcross: %s", path);
	} else {
		fi = toolchain_add(ck, TOOLCHAIN_SDK, TOOLCHAIN_MISSING, 1, "osxcross",
				   NULL, NULL,
			 "no macOS SDK: no osxcross compiler for %s on PATH "
			 "(%s-apple-darwinNN-clang)", ck->t.text, ck->t.arch);
		toolchain_fix_text(ck, fi,
				   "build osxcross (https://github.com/tpoechtrager/"
			 "osxcross) with a macOS SDK and put its target/bin on PATH");
	}
	free(pick);
	free(path);
}

/* A program's name in a value that may hold a wrapper and flags
 * ("ccache gcc -m32" -> "gcc"). */
static char *program_of(const char *value)
{
	struct strv w;
	char *out = NULL;
	size_t i = 0;

	strv_init(&w);
	strv_split_words(&w, value);
	if (w.n > 1 && (!strcmp(toolchain_base(w.v[0]), "ccache") ||
			!strcmp(toolchain_base(w.v[0]), "sccache")))
		i = 1;
	if (i < w.n)
		out = xstrdup(w.v[i]);
	strv_fini(&w);
	return out;
}

/* Is the driver at path right for the target?  Adds the finding. */
/* A gcc-named driver can answer -print-libgcc-file-name. */
static int gcc_like(const char *name)
{
	return toolchain_tool_kind(name) == TOOLCHAIN_TOOL_DRIVER &&
	       !strstr(toolchain_base(name), "clang");
}

/* A gcc-like driver that is given -m32 and then finds a 32-bit x86
 * libgcc has the i386 multilib installed. */
static int multilib_m32(struct toolchain_ctx *ck, const char *path,
			const char *name)
{
	char *argv[] = { (char *)path, "-m32", "-print-libgcc-file-name", NULL };
	const struct toolchain_probe *p;
	const char *m;
	int bits = 0;

	if (strcmp(ck->t.machine, "i386") || !gcc_like(name))
		return 0;
	p = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&ck->env), NULL, NULL);
	m = p->ok ? toolchain_object_machine(p->out, &bits) : NULL;
	return m && !strcmp(m, "i386") && bits == 32;
}

static int judge_driver(struct toolchain_ctx *ck, enum toolchain_what w,
			enum config_key k, int required, const char *name,
			const char *path, const char *source, const char *fallback)
{
	enum toolchain_tool_kind kind = toolchain_tool_kind(name);
	const char *m;
	struct buf why;
	size_t fi;

	if (kind == TOOLCHAIN_TOOL_CLANG || (!strcmp(ck->tc->host.id, "macos") &&
					     !strcmp(ck->t.vendor, "apple"))) {
		toolchain_add(ck, w, TOOLCHAIN_OK, required, name, path, source,
		    "%s (it is given the target's -arch or --target)", path);
		return 1;
	}
	m = toolchain_dumpmachine(ck->tc, path, strv_argv(&ck->env));
	if (!m) {
		toolchain_add(ck, w, TOOLCHAIN_OK, required, name, path, source,
		    "%s (it does not say what it builds for)", path);
		return 1;
	}
	buf_init(&why);
	ck->last_m32 = 0;
	if (toolchain_machine_matches(&ck->t, m, &why)) {
		toolchain_add(ck, w, TOOLCHAIN_OK, required, name, path, source,
		    "%s builds for %s", path, m);
		buf_fini(&why);
		return 1;
	}
	if (multilib_m32(ck, path, name)) {
		/* rustc and cc-rs pass -m32 for i686; a gcc with its 32-bit
		 * multilib (gcc-multilib) builds i686 that way */
		toolchain_add(ck, w, TOOLCHAIN_OK, required, name, path, source,
			      "%s builds for i386 with -m32 (its multilib)", path);
		buf_fini(&why);
		ck->last_m32 = 1;
		return 1;
	}
	fi = toolchain_add(ck, w, TOOLCHAIN_WRONG, required, name, path, source,
		 "%s builds for %s", path, why.data);
	buf_fini(&why);
	toolchain_fix_tool(ck, fi, k, name, fallback);
	return 0;
}

static const char *default_linker(struct toolchain_ctx *ck, char *buf, size_t n)
{
	if (!strcmp(ck->t.os_name, "windows") && !strncmp(ck->t.env, "gnu", 3) &&
	    ck->prefix[0]) {
		snprintf(buf, n, "%s-gcc", ck->prefix);
		return buf;
	}
	if (ck->t.format == TRIPLE_FMT_WASM)
		return "rust-lld";
	return "cc";
}


static void check_linker(struct toolchain_ctx *ck)
{
	char var[TRIPLE_MAX + 40], rfvar[TRIPLE_MAX + 40], dbuf[TRIPLE_MAX + 8];
	char fb[TRIPLE_MAX + 8];
	const char *v, *rf;
	char *name = NULL, *source = NULL, *path = NULL, *file = NULL;
	struct strv cfg;
	size_t fi;

	snprintf(var, sizeof var, "CARGO_TARGET_%s_LINKER", ck->tenv);
	if (ck->prefix[0])
		snprintf(fb, sizeof fb, "%s-gcc", ck->prefix);
	else
		snprintf(fb, sizeof fb, "cc");
	v = strv_getenv(&ck->env, var);
	strv_init(&cfg);
	snprintf(rfvar, sizeof rfvar, "CARGO_TARGET_%s_RUSTFLAGS", ck->tenv);
	rf = strv_getenv(&ck->env, rfvar);
	if (v && *v) {
		name = xstrdup(v);
		source = toolchain_source_of(ck, var, CONFIG_LINKER, v);
	} else if (rf && (strstr(rf, "-Clinker=") || strstr(rf, "linker="))) {
		const char *l = strstr(rf, "linker=") + 7;

		name = xstrndup(l, strcspn(l, " "));
		source = xstrdup("-C linker= in the rustflags setting");
	} else {
		char *table = xasprintf("target.%s", ck->t.text);

		if (export_cargo_config_get(ck->project_dir, table, "linker", &cfg,
					    &file) && cfg.n) {
			name = xstrdup(cfg.v[0]);
			source = xasprintf("[target.%s] linker in %s", ck->t.text, file);
		} else {
			name = xstrdup(default_linker(ck, dbuf, sizeof dbuf));
			source = xstrdup("rustc's default");
		}
		free(table);
	}
	strv_fini(&cfg);
	free(file);
	if (!strcmp(name, "rust-lld") && ck->rep->sysroot) {
		char *in = xasprintf("%s/lib/rustlib/%s/bin/rust-lld", ck->rep->sysroot,
				     ck->host_t);

		if (access(in, X_OK) == 0)
			path = in;
		else
			free(in);
	}
	if (!path)
		path = proc_which(name, ck->path_env);
	if (!path) {
		fi = toolchain_add(ck, TOOLCHAIN_LINKER, TOOLCHAIN_MISSING, 1, name,
				   NULL, source,
			 "%s: not found%s", name, strchr(name, '/') ? "" : " on PATH");
		toolchain_fix_tool(ck, fi, CONFIG_LINKER, name, fb);
	} else if (toolchain_tool_kind(name) == TOOLCHAIN_TOOL_LD) {
		if (ck->t.format != TRIPLE_FMT_WASM && (triple_is_linux_gnu(&ck->t) ||
		    !strcmp(ck->t.os_name, "windows"))) {
			fi = toolchain_add(ck, TOOLCHAIN_LINKER, TOOLCHAIN_WRONG, 1,
					   name, path, source,
				 "%s is a bare linker: without gcc around it the C "
				 "runtime's start files and libgcc are left out (cannot "
				 "find -lgcc_s, or a program without _start)", path);
			toolchain_fix_tool(ck, fi, CONFIG_LINKER, name, fb);
		} else {
			toolchain_add(ck, TOOLCHAIN_LINKER, TOOLCHAIN_OK, 1, name, path,
				      source,
			    "%s", path);
		}
	} else if (toolchain_tool_kind(name) == TOOLCHAIN_TOOL_CLANG && !ck->native &&
		   strcmp(ck->t.vendor, "apple") && !(rf && strstr(rf, "target"))) {
		fi = toolchain_add(ck, TOOLCHAIN_LINKER, TOOLCHAIN_WRONG, 1, name, path,
				   source,
			 "%s links for this machine unless the rustflags give it "
			 "-C link-arg=--target=%s", path, ck->t.text);
		toolchain_fix_tool(ck, fi, CONFIG_LINKER, name, fb);
	} else if (judge_driver(ck, TOOLCHAIN_LINKER, CONFIG_LINKER, 1, name, path,
				source, fb) && gcc_like(name)) {
		ck->linker_path = xstrdup(path);
		ck->linker_m32 = ck->last_m32;
	}
	free(path);
	free(name);
	free(source);
}

/* cc-rs's choice when no variable names one. */
static void default_c_tool(struct toolchain_ctx *ck, const char *base, char *out,
			   size_t n)
{
	const char *gnu = !strcmp(base, "CC") ? "gcc" :
			  !strcmp(base, "CXX") ? "g++" : "ar";
	int musl_host = ck->native || (!strcmp(ck->t.env, "musl") &&
		!strcmp(ck->t.machine, "x86_64") && strstr(ck->host_t, "x86_64-"));

	if (ck->go)   /* go env CC: gcc, clang where the system's cc is */
		snprintf(out, n, "%s", !strcmp(ck->tc->host.id, "macos")
			 ? (!strcmp(base, "CC") ? "clang" : "clang++") : gnu);
	else if (ck->t.format == TRIPLE_FMT_WASM)
		snprintf(out, n, "%s", !strcmp(base, "CC") ? "clang" :
			 !strcmp(base, "CXX") ? "clang++" : "llvm-ar");
	else if (ck->native)
		snprintf(out, n, "%s", !strcmp(base, "CC") ? "cc" :
			 !strcmp(base, "CXX") ? "c++" : "ar");
	else if (musl_host && !strcmp(ck->t.env, "musl") && strcmp(base, "AR"))
		snprintf(out, n, "musl-%s", gnu);
	else if (musl_host && !strcmp(ck->t.env, "musl"))
		snprintf(out, n, "ar");
	else if (ck->prefix[0] && strcmp(ck->t.vendor, "apple"))
		snprintf(out, n, "%s-%s", ck->prefix, gnu);
	else
		snprintf(out, n, "%s", !strcmp(base, "CC") ? "cc" :
			 !strcmp(base, "CXX") ? "c++" : "ar");
}

static void check_c_tool(struct toolchain_ctx *ck, enum toolchain_what w,
			 enum config_key k, const char *base, int needed)
{
	char def[TRIPLE_MAX + 16], fb[TRIPLE_MAX + 16], *var = NULL, *name, *source;
	const char *v = cc_var(ck, base, &var);
	char *path;
	int required;
	size_t fi;

	default_c_tool(ck, base, def, sizeof def);
	snprintf(fb, sizeof fb, "%s", def);
	if (v) {
		name = program_of(v);
		source = toolchain_source_of(ck, var, k, v);
		required = 1;   /* they asked for it */
	} else {
		name = xstrdup(def);
		source = xstrdup(ck->go ? "go's default" : "cc-rs's default");
		required = needed;
	}
	free(var);
	if (!name) {
		free(source);
		return;
	}
	path = proc_which(name, ck->path_env);
	if (!path) {
		fi = toolchain_add(ck, w, TOOLCHAIN_MISSING, required, name, NULL, source,
				   "%s: not found%s%s", name,
				   strchr(name, '/') ? "" : " on PATH",
				   required ? "" : w == TOOLCHAIN_CXX
				   ? (ck->go ? "; only cgo code with C++ needs it"
				      : "; only build scripts that compile C++ need it")
				   : "; no crate in Cargo.lock compiles C");
		toolchain_fix_tool(ck, fi, k, name, fb);
	} else if (w == TOOLCHAIN_AR) {
		toolchain_add(ck, w, TOOLCHAIN_OK, required, name, path, source, "%s",
			      path);
	} else if (judge_driver(ck, w, k, required, name, path, source, fb) &&
		   w == TOOLCHAIN_CC && gcc_like(name)) {
		ck->cc_path = xstrdup(path);
		ck->cc_m32 = ck->last_m32;
	}
	free(path);
	free(name);
	free(source);
}

/* The libgcc and the C library's start file the linker (or, when rustc
 * links some other way, the C compiler) finds: what `cannot find -lgcc_s`
 * and a program without _start come from. */
static void check_gnu_runtime(struct toolchain_ctx *ck)
{
	int windows = !strcmp(ck->t.os_name, "windows");
	const char *gcc = ck->linker_path ? ck->linker_path : ck->cc_path;
	const char *crt = windows ? "crt2.o" : "crt1.o";
	int m32 = ck->linker_path ? ck->linker_m32 : ck->cc_m32;
	char *argv[4] = { NULL, NULL, NULL, NULL }, *arg, *sys;
	int q;
	const struct toolchain_probe *p;
	const char *m, *gm;
	int bits = 0;
	size_t fi;

	if (!gcc || !(triple_is_linux_gnu(&ck->t) ||
		      (windows && !strncmp(ck->t.env, "gnu", 3))))
		return;
	argv[0] = (char *)gcc;
	q = 1;
	if (m32)
		argv[q++] = "-m32";   /* as rustc gives it for i686 */
	argv[q] = "-print-libgcc-file-name";
	p = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&ck->env), NULL, NULL);
	if (!p->ok || !strchr(p->out, '/') || access(p->out, R_OK) < 0) {
		fi = toolchain_add(ck, TOOLCHAIN_LIBGCC, TOOLCHAIN_MISSING, 1, "libgcc",
				   NULL, gcc, "%s finds no libgcc (it answers '%s')",
				   gcc, p->out[0] ? p->out : p->err_line);
		if (!toolchain_fix_install(ck, fi, "tool", toolchain_base(gcc)))
			toolchain_fix_text(ck, fi, "reinstall the cross compiler %s",
					   toolchain_base(gcc));
	} else if ((m = toolchain_object_machine(p->out, &bits)) &&
		   (strcmp(m, ck->t.machine) || bits != ck->t.bits)) {
		fi = toolchain_add(ck, TOOLCHAIN_LIBGCC, TOOLCHAIN_WRONG, 1, "libgcc",
				   p->out, gcc, "%s is for %s, not %s: %s is not a "
				   "compiler for %s", p->out, m, ck->t.machine, gcc,
				   ck->t.text);
		toolchain_fix_tool(ck, fi, CONFIG_LINKER, toolchain_base(gcc), NULL);
	} else {
		toolchain_add(ck, TOOLCHAIN_LIBGCC, TOOLCHAIN_OK, 1, "libgcc", p->out,
			      gcc, "%s%s%s%s", p->out, m ? " (" : "",
			      m ? m : "", m ? ")" : "");
	}
	arg = xasprintf("-print-file-name=%s", crt);
	argv[q] = arg;
	p = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&ck->env), NULL, NULL);
	free(arg);
	gm = toolchain_dumpmachine(ck->tc, gcc, strv_argv(&ck->env));
	sys = ck->native ? xstrdup("native") : xstrdup(gm ? gm : ck->prefix);
	if (!p->ok || !strchr(p->out, '/') || access(p->out, R_OK) < 0) {
		fi = toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_MISSING, 1, crt, NULL,
				   gcc, "%s finds no %s: the C library for %s is not "
				   "installed", gcc, crt, ck->t.text);
		if (!toolchain_fix_install(ck, fi, "sysroot", sys))
			toolchain_fix_text(ck, fi, "install the C library (headers, "
					   "%s, libc.so) for %s", crt, sys);
	} else if ((m = toolchain_object_machine(p->out, &bits)) &&
		   (strcmp(m, ck->t.machine) || bits != ck->t.bits)) {
		fi = toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_WRONG, 1, crt, p->out,
				   gcc, "%s is for %s, not %s", p->out, m, ck->t.machine);
		toolchain_fix_install(ck, fi, "sysroot", sys);
	} else {
		toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_OK, 1, crt, p->out, gcc,
			      "%s", p->out);
	}
	free(sys);
}

/* qemu-<arch>'s arch as a Rust arch, for triple_parse. */
static const char *qemu_arch(const char *prog, char *buf, size_t n)
{
	static const char *const map[][2] = {
		{ "ppc64le", "powerpc64le" }, { "ppc64", "powerpc64" },
		{ "ppc", "powerpc" },
		{ "i386", "i686" }, { "arm", "armv7" }, { "armeb", "armeb" },
	};
	const char *b = toolchain_base(prog);
	size_t l;

	if (strncmp(b, "qemu-", 5))
		return NULL;
	snprintf(buf, n, "%s", b + 5);
	l = strlen(buf);
	if (l > 7 && !strcmp(buf + l - 7, "-static"))
		buf[l - 7] = '\0';
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (!strcmp(buf, map[i][0]))
			snprintf(buf, n, "%s", map[i][1]);
	return buf;
}

static void check_runner(struct toolchain_ctx *ck)
{
	char var[TRIPLE_MAX + 40], qa[64], *table, *file = NULL, *source, *prog;
	const char *v;
	struct strv words, cfg;
	char *path;
	size_t fi;

	snprintf(var, sizeof var, "CARGO_TARGET_%s_RUNNER", ck->tenv);
	v = strv_getenv(&ck->env, var);
	strv_init(&words);
	strv_init(&cfg);
	table = xasprintf("target.%s", ck->t.text);
	if (v && *v) {
		strv_split_words(&words, v);
		source = toolchain_source_of(ck, var, CONFIG_RUNNER, v);
	} else if (export_cargo_config_get(ck->project_dir, table, "runner", &cfg,
		   &file)) {
		for (size_t i = 0; i < cfg.n; i++)
			strv_split_words(&words, cfg.v[i]);
		source = xasprintf("[target.%s] runner in %s", ck->t.text, file);
	} else {
		source = NULL;
	}
	free(table);
	free(file);
	strv_fini(&cfg);
	if (!words.n) {
		free(source);
		strv_fini(&words);
		return;
	}
	prog = xstrdup(words.v[0]);
	path = proc_which(prog, ck->path_env);
	if (!path) {
		fi = toolchain_add(ck, TOOLCHAIN_RUNNER, TOOLCHAIN_MISSING, 1, prog, NULL,
				   source, "%s: not found%s", prog,
				   strchr(prog, '/') ? "" : " on PATH");
		toolchain_fix_tool(ck, fi, CONFIG_RUNNER, prog, NULL);
	} else if (qemu_arch(prog, qa, sizeof qa)) {
		char *rt = xasprintf("%s-unknown-linux-gnu", qa);
		struct triple q;

		if (triple_parse(&q, rt, NULL) == 0 &&
		    (strcmp(q.machine, ck->t.machine) || q.bits != ck->t.bits ||
		     q.endian != ck->t.endian)) {
			fi = toolchain_add(ck, TOOLCHAIN_RUNNER, TOOLCHAIN_WRONG, 1, prog,
					   path, source, "%s runs %s programs, not %s",
					   path, q.machine, ck->t.machine);
			toolchain_fix_tool(ck, fi, CONFIG_RUNNER, prog, NULL);
		} else {
			toolchain_add(ck, TOOLCHAIN_RUNNER, TOOLCHAIN_OK, 1, prog, path,
				      source, "%s", path);
		}
		free(rt);
	} else if (!strncmp(toolchain_base(prog), "wine", 4) &&
		   strcmp(ck->t.os_name, "windows")) {
		fi = toolchain_add(ck, TOOLCHAIN_RUNNER, TOOLCHAIN_WRONG, 1, prog, path,
				   source, "%s runs Windows programs, and %s is not "
				   "Windows", path, ck->t.text);
		toolchain_fix_tool(ck, fi, CONFIG_RUNNER, prog, NULL);
	} else {
		toolchain_add(ck, TOOLCHAIN_RUNNER, TOOLCHAIN_OK, 1, prog, path, source,
			      "%s", path);
	}
	free(path);
	free(prog);
	free(source);
	strv_fini(&words);
}

/* wasm has no C library of its own: C that includes <stdio.h> needs
 * wasi-libc for wasi, and cannot build at all for wasm32-unknown-unknown.
 * Build scripts whose C needs no libc (ring's) are fine, so a note. */
static void check_wasm_libc(struct toolchain_ctx *ck)
{
	static const char *const sysroots[] = {
		"/usr/share/wasi-sysroot", "/usr/lib/wasi-libc",
		"/opt/wasi-sdk/share/wasi-sysroot",
	};
	size_t fi;

	if (ck->t.format != TRIPLE_FMT_WASM || !ck->needs_c)
		return;
	if (strcmp(ck->t.os_name, "wasi")) {
		toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_MISSING, 0, "libc", NULL,
			      NULL, "%s has no C library: build scripts can compile "
			      "C that uses no libc headers (stdio.h, stdlib.h), "
			      "nothing more", ck->t.text);
		return;
	}
	for (size_t i = 0; i < sizeof sysroots / sizeof *sysroots; i++) {
		if (access(sysroots[i], R_OK) == 0) {
			toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_OK, 0, "wasi-libc",
				      sysroots[i], NULL, "wasi-libc in %s", sysroots[i]);
			return;
		}
	}
	fi = toolchain_add(ck, TOOLCHAIN_SYSROOT, TOOLCHAIN_MISSING, 0, "wasi-libc",
			   NULL, NULL, "no wasi-libc: C in build scripts that uses "
			   "libc headers cannot build for %s", ck->t.text);
	toolchain_fix_install(ck, fi, "sysroot", "wasm32-wasi");
}

void toolchain_check_tools(struct toolchain_ctx *ck)
{
	check_sdk(ck);
	check_linker(ck);
	check_c_tool(ck, TOOLCHAIN_CC, CONFIG_CC, "CC", ck->needs_c);
	check_c_tool(ck, TOOLCHAIN_AR, CONFIG_AR, "AR", ck->needs_c);
	check_c_tool(ck, TOOLCHAIN_CXX, CONFIG_CXX, "CXX", ck->needs_cxx);
	check_gnu_runtime(ck);
	check_wasm_libc(ck);
	check_runner(ck);
}

void toolchain_check_cgo_tools(struct toolchain_ctx *ck)
{
	check_c_tool(ck, TOOLCHAIN_CC, CONFIG_CC, "CC", ck->needs_c);
	check_c_tool(ck, TOOLCHAIN_CXX, CONFIG_CXX, "CXX", 0);
	check_runner(ck);
}
