/* toolchain_go.c - the doctor's Go half: the go program a go build
 * (kind = go) runs, its version and GOROOT, and the go.mod's go line it
 * must satisfy. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proc.h"
#include "toolchain_check.h"

/* "go1.19.8" in `go version`'s "go version go1.19.8 linux/amd64". */
static int go_version_of(const char *out, char *ver, size_t n)
{
	const char *p = out ? strstr(out, " go1") : NULL;

	if (!p)
		return -1;
	p += 3;
	snprintf(ver, n, "%.*s", (int)strspn(p, "0123456789."), p);
	return *ver ? 0 : -1;
}

/* go.mod's "go 1.21" line, or "" when it has none. */
static void go_mod_wants(const char *project_dir, char *ver, size_t n)
{
	char *path, line[512];
	FILE *f;

	*ver = '\0';
	if (!project_dir)
		return;
	path = xasprintf("%s/go.mod", project_dir);
	f = fopen(path, "r");
	free(path);
	while (f && fgets(line, sizeof line, f)) {
		const char *p = line + strspn(line, " \t");

		if (!strncmp(p, "go", 2) && (p[2] == ' ' || p[2] == '\t')) {
			p += 2 + strspn(p + 2, " \t");
			snprintf(ver, n, "%.*s", (int)strspn(p, "0123456789."), p);
			break;
		}
	}
	if (f)
		fclose(f);
}

/* Compare dotted versions by their numbers: <0, 0, >0. */
static int version_cmp(const char *a, const char *b)
{
	while (*a || *b) {
		long x = strtol(a, (char **)&a, 10), y = strtol(b, (char **)&b, 10);

		if (x != y)
			return x < y ? -1 : 1;
		a += *a == '.';
		b += *b == '.';
		if (!*a && !*b)
			break;
	}
	return 0;
}

void toolchain_check_go(struct toolchain_ctx *ck, const char *go)
{
	const char *src = ck->ts->origin[CONFIG_GO] != CONFIG_LEVEL_BUILTIN
			  ? "the go setting" : "the default";
	char *path = proc_which(go, ck->path_env), ver[32] = "", want[32];
	char *argv[4];
	const struct toolchain_probe *v, *root;
	char *goroot;
	size_t fi;

	ck->rep->cargo = xstrdup(path ? path : go);
	if (!path) {
		fi = toolchain_add(ck, TOOLCHAIN_GO, TOOLCHAIN_MISSING, 1, go, NULL, src,
			 "%s: not found%s", go, strchr(go, '/') ? "" : " on PATH");
		if (!toolchain_fix_install(ck, fi, "tool", toolchain_base(go)))
			toolchain_fix_text(ck, fi, "install Go: the distribution's "
					   "golang-go, or https://go.dev/dl");
		return;
	}
	argv[0] = path;
	argv[1] = "version";
	argv[2] = NULL;
	/* Each answer is read before the next probe: the cache may move. */
	v = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&ck->env), NULL, NULL);
	if (!v->ok || go_version_of(v->out, ver, sizeof ver) < 0) {
		toolchain_add(ck, TOOLCHAIN_GO, TOOLCHAIN_WRONG, 1, go, path, src,
			      "%s version did not answer: %s", path,
			      v->err_line ? v->err_line : "no version");
		free(path);
		return;
	}
	argv[1] = "env";
	argv[2] = "GOROOT";
	argv[3] = NULL;
	root = toolchain_probe_run(&ck->tc->probes, argv, strv_argv(&ck->env), NULL, NULL);
	goroot = xstrdup(root->ok && root->out && *root->out ? root->out : "unknown");
	go_mod_wants(ck->project_dir, want, sizeof want);
	if (*want && version_cmp(ver, want) < 0) {
		fi = toolchain_add(ck, TOOLCHAIN_GO, TOOLCHAIN_WRONG, 1, go, path, src,
			 "%s is go %s; go.mod asks for go %s", path, ver, want);
		toolchain_fix_text(ck, fi, "install go %s or newer (https://go.dev/dl), "
				   "or lower go.mod's 'go' line to %s if the code allows",
				   want, ver);
		free(goroot);
		free(path);
		return;
	}
	toolchain_add(ck, TOOLCHAIN_GO, TOOLCHAIN_OK, 1, go, path, src,
		      "%s: go %s, GOROOT %s", path, ver, goroot);
	free(goroot);
	free(path);
}
