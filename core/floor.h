/* floor.h - deployment floors: what the oldest machine a binary must run
 * on provides (glibc, libstdc++ symbol versions), by distribution name,
 * from core/presets/floors.conf compiled in. */
#ifndef CB_FLOOR_H
#define CB_FLOOR_H

#include <stddef.h>

#define FLOOR_NAME_MAX 32
#define FLOOR_VERSION_MAX 16

struct floor {
	char name[FLOOR_NAME_MAX];        /* "debian-10"; "glibc 2.17" for a bare version */
	char glibc[FLOOR_VERSION_MAX];    /* "" no limit given */
	char glibcxx[FLOOR_VERSION_MAX];
	char cxxabi[FLOOR_VERSION_MAX];
	char kernel[FLOOR_VERSION_MAX];
	int musl;                         /* the distribution has no glibc */
};

/* The known floors, in the data file's order. */
size_t floor_count(void);
const struct floor *floor_get(size_t i);

/* A limit as settings and --glibc-max give it: a glibc version ("2.17",
 * "GLIBC_2.17") or a distribution name (case-insensitive).  Fills out and
 * returns 0; -1 for neither. */
int floor_resolve(const char *limit, struct floor *out);

/* "centos-7, debian-10, ..." for messages. */
const char *floor_names(void);

#endif
