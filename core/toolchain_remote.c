/* toolchain_remote.c - the doctor for a target that builds on another
 * machine: one ssh round trip (remote_probe) answers what the build
 * there needs, and each answer becomes a finding like a local one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "remote.h"
#include "toolchain_check.h"

#define PROBE_TIMEOUT_MS 20000

/* The value of "key value..." in the probe's lines, or NULL; n gets its
 * length. */
static const char *line_value(const char *text, const char *key, size_t *n)
{
	size_t kl = strlen(key);

	for (const char *p = text; p && *p;) {
		size_t l = strcspn(p, "\n");

		if (l >= kl && !strncmp(p, key, kl) && (l == kl || p[kl] == ' ')) {
			const char *v = p + kl + (l > kl);

			*n = l - (size_t)(v - p);
			while (*n && v[*n - 1] == ' ')
				(*n)--;
			return v;
		}
		p += l + (p[l] == '\n');
	}
	*n = 0;
	return NULL;
}

/* "cargo /path version words": the path and the rest. */
static void program_line(struct toolchain_ctx *ck, enum toolchain_what w,
			 const char *text, const char *key, const char *name,
			 const char *dest)
{
	size_t n, pl;
	const char *v = line_value(text, key, &n);
	char *path, *version;
	size_t fi;

	pl = v ? strcspn(v, " \n") : 0;
	if (pl > n)
		pl = n;
	if (!v || !pl) {
		fi = toolchain_add(ck, w, TOOLCHAIN_MISSING, 1, name, NULL,
				   "the host", "%s is not on %s's PATH (with ~/.cargo/bin)",
				   name, dest);
		toolchain_fix_text(ck, fi, "install Rust on %s (rustup.rs, or its "
				   "packages), or set %s to its path there", dest, key);
		return;
	}
	path = xstrndup(v, pl);
	version = xstrndup(v + pl + (pl < n), n > pl ? n - pl - 1 : 0);
	toolchain_add(ck, w, TOOLCHAIN_OK, 1, name, path, "the host", "%s on %s: %s",
		      path, dest, *version ? version : "(no version)");
	if (w == TOOLCHAIN_RUSTC && !ck->rep->rustc) {
		ck->rep->rustc = xstrdup(path);
		ck->rep->rustc_source = xasprintf("on %s", dest);
	}
	free(path);
	free(version);
}

void toolchain_check_host(struct toolchain_ctx *ck, const char *cargo)
{
	const struct remote_host *h = ck->ts->remote;
	const char *dest = h->name ? h->name : h->dest;
	struct buf out;
	struct cb_err err;
	size_t fi, n;
	const char *v;
	int have_std = 0;

	buf_init(&out);
	ck->rep->cargo = xstrdup(cargo);
	/* This machine's side: ssh and rsync. */
	for (int i = 0; i < 2; i++) {
		const char *prog = i ? "rsync" : h->ssh && *h->ssh ? h->ssh : "ssh";
		char *here = proc_which(prog, ck->path_env);

		if (!here) {
			fi = toolchain_add(ck, TOOLCHAIN_HOST, TOOLCHAIN_MISSING, 1, prog,
					   NULL, "remote builds", "no %s on this machine: "
					   "nothing can reach %s", prog, dest);
			toolchain_fix_install(ck, fi, "tool", i ? "rsync" : "ssh");
		}
		free(here);
	}
	if (remote_probe(h, cargo, ck->ts->rustc, PROBE_TIMEOUT_MS, &out, &err) < 0) {
		fi = toolchain_add(ck, TOOLCHAIN_HOST, TOOLCHAIN_MISSING, 1, dest, NULL,
				   "the host setting", "%s", err.msg);
		if (h->port)
			toolchain_fix_text(ck, fi, "check that 'ssh -p %d %s true' logs in "
					   "without a password (a key in ssh-agent or "
					   "~/.ssh/config), then check again", h->port, h->dest);
		else
			toolchain_fix_text(ck, fi, "check that 'ssh %s true' logs in "
					   "without a password (a key in ssh-agent or "
					   "~/.ssh/config), then check again", h->dest);
		buf_fini(&out);
		return;
	}
	v = line_value(out.data, "os", &n);
	fi = toolchain_add(ck, TOOLCHAIN_HOST, TOOLCHAIN_OK, 1, dest, NULL,
			   "the host setting", "%s answers (%.*s)", h->dest, (int)n,
			   v ? v : "?");
	v = line_value(out.data, "rsync", &n);
	if (!v || !n) {
		fi = toolchain_add(ck, TOOLCHAIN_HOST, TOOLCHAIN_WRONG, 1, "rsync", NULL,
				   "the host", "%s has no rsync: the project cannot be "
				   "copied there", dest);
		toolchain_fix_text(ck, fi, "install rsync on %s (brew install rsync, "
				   "apt-get install rsync)", dest);
	}
	program_line(ck, TOOLCHAIN_CARGO, out.data, "cargo", "cargo", dest);
	program_line(ck, TOOLCHAIN_RUSTC, out.data, "rustc", "rustc", dest);
	v = line_value(out.data, "sysroot", &n);
	if (v && n)
		ck->rep->sysroot = xstrndup(v, n);
	for (const char *p = out.data; p && *p;) {
		size_t l = strcspn(p, "\n");

		if (l > 7 && !strncmp(p, "target ", 7) && l - 7 == strlen(ck->t.text) &&
		    !strncmp(p + 7, ck->t.text, l - 7))
			have_std = 1;
		p += l + (p[l] == '\n');
	}
	if (have_std) {
		toolchain_add(ck, TOOLCHAIN_STD, TOOLCHAIN_OK, 1, ck->t.text, ck->rep->sysroot,
			      "the host", "the %s standard library is installed on %s",
			      ck->t.text, dest);
	} else {
		fi = toolchain_add(ck, TOOLCHAIN_STD, TOOLCHAIN_MISSING, 1, ck->t.text,
				   NULL, "the host", "no standard library for %s on %s",
				   ck->t.text, dest);
		if (line_value(out.data, "rustup", &n))
			toolchain_fix_text(ck, fi, "on %s: rustup target add %s", dest,
					   ck->t.text);
		else
			toolchain_fix_text(ck, fi, "install the %s standard library on %s "
					   "(its rustc has no rustup)", ck->t.text, dest);
	}
	buf_fini(&out);
}
