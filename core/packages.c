/* packages.c - package names per manager, read from git-config files. */
#include "packages.h"

#include <git2.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "paths.h"
#include "triple.h"

struct pkg_entry {
	char *kind;   /* "tool" */
	char *name;   /* "aarch64-linux-gnu-gcc" (may contain dots) */
	char *key;    /* "apt", "apt-setup", "debian" */
	char *value;
};

struct packages {
	struct pkg_entry *e;
	size_t n, cap;
};

struct packages *packages_new(void)
{
	return xcalloc(1, sizeof(struct packages));
}

void packages_free(struct packages *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		free(p->e[i].kind);
		free(p->e[i].name);
		free(p->e[i].key);
		free(p->e[i].value);
	}
	free(p->e);
	free(p);
}

static struct pkg_entry *find(const struct packages *p, const char *kind,
			      const char *name, const char *key)
{
	/* Last wins, so a later file overrides an earlier one. */
	for (size_t i = p->n; i-- > 0;) {
		struct pkg_entry *e = &p->e[i];

		/* Names compare without case: FONTCONFIG_NO_PKG_CONFIG names
		 * [lib "fontconfig"]. */
		if (!strcmp(e->kind, kind) && !strcasecmp(e->name, name) &&
		    !strcmp(e->key, key))
			return e;
	}
	return NULL;
}

/* libgit2 gives "kind.sub.section.key" with the subsection verbatim (it
 * may hold dots: thumbv8m.main-none-eabi) and kind and key lower-cased. */
static int add_entry(const git_config_entry *ce, void *payload)
{
	struct packages *p = payload;
	const char *first = strchr(ce->name, '.');
	const char *last = strrchr(ce->name, '.');
	struct pkg_entry *e;

	if (!first || first == last)
		return 0; /* [kind] without a name: nothing to look up */
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->e = xrealloc(p->e, p->cap * sizeof *p->e);
	}
	e = &p->e[p->n++];
	e->kind = xstrndup(ce->name, (size_t)(first - ce->name));
	e->name = xstrndup(first + 1, (size_t)(last - first - 1));
	e->key = xstrdup(last + 1);
	e->value = xstrdup(ce->value ? ce->value : "");
	return 0;
}

int packages_add_file(struct packages *p, const char *path, struct cb_err *err)
{
	git_config *cfg = NULL;
	int rc;

	git_libgit2_init();
	rc = git_config_open_ondisk(&cfg, path);
	if (rc == 0)
		rc = git_config_foreach(cfg, add_entry, p);
	if (rc < 0) {
		const git_error *ge = git_error_last();

		cb_err_set(err, CB_ERR_PARSE, "%s: %s", path,
			   ge && ge->message ? ge->message : "cannot read");
	}
	git_config_free(cfg);
	git_libgit2_shutdown();
	return rc < 0 ? -1 : 0;
}

struct packages *packages_load(const char *path, struct cb_err *err)
{
	struct packages *p = packages_new();

	if (access(path, R_OK) < 0) {
		cb_err_sys(err, "%s", path);
		packages_free(p);
		return NULL;
	}
	if (packages_add_file(p, path, err) < 0) {
		packages_free(p);
		return NULL;
	}
	return p;
}

struct packages *packages_load_default(struct cb_err *err)
{
	struct packages *p = packages_new();
	char dir[4096], path[4200];

	cb_err_clear(err);
	if (paths_data_dir(PATHS_PRESETS, dir, sizeof dir) == 0) {
		snprintf(path, sizeof path, "%s/packages.conf", dir);
		if (access(path, R_OK) == 0)
			packages_add_file(p, path, err);
		else
			cb_err_sys(err, "%s", path);
	} else {
		cb_err_set(err, CB_ERR_NOTFOUND, "%s: no such directory", dir);
	}
	if (paths_user_config_dir(dir, sizeof dir) == 0) {
		snprintf(path, sizeof path, "%s/packages.conf", dir);
		if (access(path, R_OK) == 0)
			packages_add_file(p, path, err);
	}
	return p;
}

const char *packages_debian_arch(const struct packages *p, const char *target)
{
	struct triple t;
	char prefix[TRIPLE_MAX];
	const struct pkg_entry *e;

	if (!target || triple_parse(&t, target, NULL) < 0 ||
	    triple_gnu_prefix(&t, prefix, sizeof prefix) < 0)
		return NULL;
	e = find(p, "multiarch", prefix, "debian");
	return e && e->value[0] ? e->value : NULL;
}

size_t packages_lookup(const struct packages *p, const char *kind,
		       const char *name, const char *manager,
		       const char *target, struct strv *out)
{
	const struct pkg_entry *e;
	struct strv words;
	size_t added = 0;

	if (!p || !kind || !name || !manager)
		return 0;
	e = find(p, kind, name, manager);
	if (!e)
		return 0;
	strv_init(&words);
	strv_split_words(&words, e->value);
	for (size_t i = 0; i < words.n; i++) {
		const char *w = words.v[i];
		const char *ph = strstr(w, "{debian-arch}");

		if (ph) {
			const char *arch = packages_debian_arch(p, target);

			if (!arch) {
				/* The entry is only right for a known
				 * architecture: say nothing rather than guess. */
				while (out->n > 0 && added > 0) {
					free(out->v[--out->n]);
					out->v[out->n] = NULL;
					added--;
				}
				break;
			}
			strv_pushf(out, "%.*s%s%s", (int)(ph - w), w, arch,
				   ph + strlen("{debian-arch}"));
		} else {
			strv_push(out, w);
		}
		added++;
	}
	strv_fini(&words);
	return added;
}

size_t packages_for_tool(const struct packages *p, enum host_pm pm,
			 const char *tool, struct strv *out)
{
	return packages_lookup(p, "tool", tool, host_pm_name(pm), NULL, out);
}

size_t packages_for_std(const struct packages *p, enum host_pm pm,
			const char *target, struct strv *out)
{
	return packages_lookup(p, "std", target, host_pm_name(pm), target, out);
}

int packages_setup(const struct packages *p, const char *kind,
		   const char *name, const char *manager, const char *target,
		   struct buf *out)
{
	char key[64];
	const struct pkg_entry *e;
	const char *ph;

	if (!p || !manager)
		return 0;
	snprintf(key, sizeof key, "%s-setup", manager);
	e = find(p, kind, name, key);
	if (!e || !e->value[0])
		return 0;
	ph = strstr(e->value, "{debian-arch}");
	if (ph) {
		const char *arch = packages_debian_arch(p, target);

		if (!arch)
			return 0;
		buf_printf(out, "%.*s%s%s", (int)(ph - e->value), e->value, arch,
			   ph + strlen("{debian-arch}"));
	} else {
		buf_puts(out, e->value);
	}
	return 1;
}
