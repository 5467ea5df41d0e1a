/* floor.c - the deployment floors of floors.conf, parsed once from the
 * copy compiled in (build/gen/floors.inc, one C string per line). */
#include "floor.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const lines[] = {
#include "floors.inc"
};

static struct floor table[32];
static size_t ntable;
static char names[32 * (FLOOR_NAME_MAX + 2)];

static void set(char *dst, const char *v)
{
	snprintf(dst, FLOOR_VERSION_MAX, "%s", v);
}

static void parse(void)
{
	struct floor *f = NULL;

	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		const char *l = lines[i], *eq;
		char key[16];
		size_t kl;

		if (!strncmp(l, "[floor \"", 8)) {
			const char *q = strchr(l + 8, '"');

			if (!q || ntable == sizeof table / sizeof *table) {
				f = NULL;
				continue;
			}
			f = &table[ntable++];
			memset(f, 0, sizeof *f);
			snprintf(f->name, sizeof f->name, "%.*s", (int)(q - l - 8), l + 8);
			continue;
		}
		if (!f || !(eq = strchr(l, '=')))
			continue;
		kl = (size_t)(eq - l);
		while (kl && l[kl - 1] == ' ')
			kl--;
		snprintf(key, sizeof key, "%.*s", (int)kl, l);
		eq++;
		while (*eq == ' ')
			eq++;
		if (!strcmp(key, "glibc"))
			set(f->glibc, eq);
		else if (!strcmp(key, "glibcxx"))
			set(f->glibcxx, eq);
		else if (!strcmp(key, "cxxabi"))
			set(f->cxxabi, eq);
		else if (!strcmp(key, "kernel"))
			set(f->kernel, eq);
		else if (!strcmp(key, "libc"))
			f->musl = !strcmp(eq, "musl");
	}
	for (size_t i = 0; i < ntable; i++) {
		if (i)
			strcat(names, ", ");
		strcat(names, table[i].name);
	}
}

/* Once, whichever thread asks first. */
static void load(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, parse);
}

size_t floor_count(void)
{
	load();
	return ntable;
}

const struct floor *floor_get(size_t i)
{
	load();
	return i < ntable ? &table[i] : NULL;
}

const char *floor_names(void)
{
	load();
	return names;
}

static int is_version(const char *s)
{
	if (!*s)
		return 0;
	for (;;) {
		size_t d = strspn(s, "0123456789");

		if (d == 0 || d > 9)
			return 0;
		s += d;
		if (!*s)
			return 1;
		if (*s++ != '.')
			return 0;
	}
}

int floor_resolve(const char *limit, struct floor *out)
{
	const char *v = limit;

	if (!limit)
		return -1;
	if (!strncasecmp(v, "GLIBC_", 6))
		v += 6;
	if (is_version(v) && strlen(v) < FLOOR_VERSION_MAX) {
		memset(out, 0, sizeof *out);
		snprintf(out->name, sizeof out->name, "glibc %s", v);
		set(out->glibc, v);
		return 0;
	}
	load();
	for (size_t i = 0; i < ntable; i++)
		if (!strcasecmp(table[i].name, limit)) {
			*out = table[i];
			return 0;
		}
	return -1;
}
