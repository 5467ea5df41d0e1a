/* savehammer.c - save a project's settings over and over, the way the
 * workbench saves them (the settings editor: a scalar; f: a list; space:
 * enabled), until killed.  tests/cli/settings_kill.sh kills it with
 * SIGKILL at random moments and checks the file each time.
 *
 *   savehammer DIR [COUNT]     (COUNT 0 or absent: forever) */
#include <stdio.h>
#include <stdlib.h>

#include "config.h"

int main(int argc, char **argv)
{
	static const char *const linkers[] = { "aarch64-linux-gnu-gcc", "/opt/x/bin/cc", "clang" };
	static const char *const paths[] = { "/opt/a", "/opt/a\n/opt/b", "/usr/lib/x\n/opt/y\n/z" };
	const char *t = "aarch64-unknown-linux-gnu";
	long count = argc > 2 ? atol(argv[2]) : 0;
	struct config cfg;
	struct cb_err err;

	if (argc < 2) {
		fprintf(stderr, "usage: savehammer DIR [COUNT]\n");
		return 2;
	}
	if (config_load(&cfg, argv[1], "/nonexistent/config", NULL, &err) < 0) {
		fprintf(stderr, "savehammer: %s\n", err.msg);
		return 2;
	}
	for (long i = 0; count == 0 || i < count; i++) {
		int rc;

		switch (i % 3) {
		case 0:
			rc = config_set(&cfg, CONFIG_LEVEL_PROJECT, t, CONFIG_LINKER,
					linkers[(i / 3) % 3], &err);
			break;
		case 1:
			rc = config_set(&cfg, CONFIG_LEVEL_PROJECT, t, CONFIG_LIBPATH,
					paths[(i / 3) % 3], &err);
			break;
		default:
			rc = config_set(&cfg, CONFIG_LEVEL_PROJECT, "x86_64-pc-windows-gnu",
					CONFIG_ENABLED, (i / 3) % 2 ? "true" : "false", &err);
			break;
		}
		if (rc < 0) {
			fprintf(stderr, "savehammer: save %ld: %s\n", i, err.msg);
			config_fini(&cfg);
			return 1;
		}
	}
	config_fini(&cfg);
	return 0;
}
