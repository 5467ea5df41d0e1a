/* fuzz_toml.c - libFuzzer target: any bytes as an existing
 * .cargo/config.toml that `crossbench export --cargo-config --write` merges
 * its block into, and that the doctor reads build.rustc and a target's
 * linker and runner from.  Nothing may crash, leak or read out of bounds,
 * and merging the merged text again must change nothing. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "export.h"
#include "toml_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void settings(struct target_settings *ts, const char *triple)
{
	memset(ts, 0, sizeof *ts);
	snprintf(ts->triple, sizeof ts->triple, "%s", triple);
	ts->enabled = 1;
	ts->cargo = xstrdup("/usr/bin/cargo");
	ts->rustc = xstrdup("/usr/bin/rustc");
	ts->linker = xstrdup("aarch64-linux-gnu-gcc");
	ts->cc = xstrdup("aarch64-linux-gnu-gcc");
	ts->profile = xstrdup("dev");
	strv_push(&ts->runner, "qemu-aarch64");
	strv_push(&ts->env, "A=1");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target_settings ts[2];
	struct toml_doc doc;
	struct strv out, warn;
	struct buf merged, again;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';   /* the files are read as text: stop at a NUL */
	strv_init(&out);
	if (toml_doc_parse(&doc, text, "fuzz", NULL, NULL, NULL, NULL) == 0) {
		toml_doc_get(&doc, "build", "rustc", &out);
		toml_doc_get(&doc, "target\x1f" "aarch64-unknown-linux-gnu", "runner", &out);
		toml_doc_get(&doc, "env", "A", &out);
		toml_doc_fini(&doc);
	}
	strv_fini(&out);

	settings(&ts[0], "aarch64-unknown-linux-gnu");
	settings(&ts[1], "thumbv8m.main-none-eabi");
	buf_init(&merged);
	buf_init(&again);
	strv_init(&warn);
	if (export_cargo_config_merge(text, "fuzz", ts, 2, "/nonexistent", &merged,
				      &warn, NULL) == 0 &&
	    export_cargo_config_merge(merged.data, "fuzz", ts, 2, "/nonexistent",
				      &again, &warn, NULL) == 0 &&
	    strcmp(merged.data, again.data) != 0)
		abort();   /* --write twice must be --write once */
	strv_fini(&warn);
	buf_fini(&again);
	buf_fini(&merged);
	target_settings_fini(&ts[0]);
	target_settings_fini(&ts[1]);
	free(text);
	return 0;
}
