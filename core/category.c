/* category.c - names and help of the failure categories. */
#include "category.h"

#include <string.h>

static const char *const names[] = {
#define X(e, name, help) name,
	CATEGORY_LIST(X)
#undef X
};

static const char *const helps[] = {
#define X(e, name, help) help,
	CATEGORY_LIST(X)
#undef X
};

const char *category_name(enum category c)
{
	if ((unsigned)c >= CATEGORY_COUNT)
		c = CATEGORY_OTHER;
	return names[c];
}

const char *category_help(enum category c)
{
	if ((unsigned)c >= CATEGORY_COUNT)
		c = CATEGORY_OTHER;
	return helps[c];
}

int category_lookup(const char *name)
{
	for (int i = 0; i < CATEGORY_COUNT; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}
