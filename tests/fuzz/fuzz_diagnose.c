/* fuzz_diagnose.c - libFuzzer target: any bytes as a build log (fed in
 * chunks whose sizes come from the input), or as a rule file when the
 * input starts with 'R'.  Nothing may crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "packages.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules *shipped;
static struct host host;

static void init(void)
{
	struct cb_err err;
	const char *top = getenv("TOP");
	char dir[4096];

	snprintf(dir, sizeof dir, "%s/core/rules", top ? top : ".");
	shipped = rules_new();
	rules_add_dir(shipped, dir);
	snprintf(dir, sizeof dir, "%s/core/presets/packages.conf", top ? top : ".");
	rules_set_packages(shipped, packages_load(dir, &err));
	memset(&host, 0, sizeof host);
	host.pm = HOST_PM_APT;
	host.is_root = 1;
}

static void run_log(const struct rules *r, const uint8_t *data, size_t size)
{
	struct diagnose *d = diagnose_new(r, NULL, &host);
	size_t step = size ? 1 + data[0] % 64 : 1;

	diagnose_set_probe(d, 0);
	for (size_t i = 0; i < size;) {
		size_t n = step < size - i ? step : size - i;

		diagnose_feed(d, (const char *)data + i, n);
		i += n;
		step = 1 + (step * 7 + data[i - 1]) % 257;
	}
	diagnose_finish(d);
	for (size_t i = 0; i < diagnose_count(d); i++) {
		json_t *j = diagnosis_to_json(diagnose_get(d, i));
		char *s = json_dumps(j, 0);

		free(s);
		json_decref(j);
	}
	diagnose_free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char log[] =
		"error: linker `aarch64-linux-gnu-gcc` not found\n"
		"  TARGET = Some(\"aarch64-unknown-linux-gnu\")\n"
		"  = note: /usr/bin/ld: x.o: Relocations in generic ELF (EM: 183)\n";

	if (!shipped)
		init();
	if (size > 0 && data[0] == 'R') {
		struct rules *r = rules_new();

		rules_add_text(r, "fuzz.rules", (const char *)data + 1, size - 1);
		run_log(r, (const uint8_t *)log, sizeof log - 1);
		rules_free(r);
		return 0;
	}
	run_log(shipped, data, size);
	return 0;
}
