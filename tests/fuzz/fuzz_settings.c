/* fuzz_settings.c - libFuzzer target: any bytes as a project's
 * .crossbench (loaded through libgit2 and the line scanner, every target
 * resolved and shown as the trust question shows it), then a save of one
 * list setting into it; or, when the input starts with 'R', as a rules
 * file.  Nothing may crash, leak or read out of bounds, and a save must
 * leave a file it could not parse byte for byte as it was. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <sys/stat.h>

#include "config.h"
#include "config_file.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[256], path[300];

static void init(void)
{
	/* tmpfs when there is one: a save fsyncs. */
	const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

	snprintf(dir, sizeof dir, "%s/cb-fuzz-settings.%d", base, (int)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/.crossbench", dir);
	setenv("XDG_DATA_HOME", dir, 1);
	unsetenv("CROSSBENCH_TRUST");
	/* Held for the whole run: each load's init/shutdown pair is then
	 * a count, not libgit2's whole set-up and tear-down. */
	git_libgit2_init();
}

static void put(const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static int parses(void)
{
	git_config *g = NULL;
	int ok;

	git_libgit2_init();
	ok = git_config_open_ondisk(&g, path) == 0;
	git_config_free(g);
	git_libgit2_shutdown();
	return ok;
}

static void load(const uint8_t *data, size_t size)
{
	struct config cfg;
	struct strv lines;
	struct buf before, after, v;
	struct config_scan s;
	struct cb_err err;
	char *const vals[] = { "/opt/a", "/opt/b" };
	int parsed;

	put(data, size);
	if (config_load(&cfg, dir, "/nonexistent/config", path, &err) < 0)
		abort();   /* the directory exists: loading must not fail */
	buf_init(&v);
	for (size_t i = 0; i < cfg.ntargets; i++)
		for (int k = 0; k < CONFIG_NKEYS; k++) {
			buf_reset(&v);
			config_format_value(&cfg.targets[i], (enum config_key)k, &v);
		}
	buf_fini(&v);
	strv_init(&lines);
	config_project_settings(&cfg, &lines);
	strv_fini(&lines);
	config_scan_init(&s, (const char *)data, size);
	while (config_scan_next(&s))
		;
	config_scan_fini(&s);
	config_file_locate((const char *)data, size, "target", "x86_64-unknown-linux-gnu",
			   "linker", 0);
	config_fini(&cfg);
	/* Does libgit2 take the file?  Then a save may change it, and what
	 * it writes must parse; if not, the save must leave it alone. */
	parsed = parses();

	buf_init(&before);
	buf_init(&after);
	config_file_read(path, &before, NULL);
	if (config_file_set_list(path, "target", "x86_64-unknown-linux-gnu", "libpath",
				 vals, 2, &err) < 0 || !parsed) {
		config_file_read(path, &after, NULL);
		if (before.len != after.len ||
		    (before.len && memcmp(before.data, after.data, before.len)))
			abort();   /* a refused save changed the file */
	} else if (!parses()) {
		abort();           /* a save wrote what does not parse */
	}
	buf_fini(&before);
	buf_fini(&after);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0])
		init();
	if (size > 0 && data[0] == 'R') {
		struct rules *r = rules_new();

		rules_add_text(r, "fuzz.rules", (const char *)data + 1, size - 1);
		for (size_t i = 0; i < rules_problem_count(r); i++)
			(void)rules_problem_get(r, i)->message;
		rules_free(r);
		return 0;
	}
	load(data, size);
	return 0;
}
