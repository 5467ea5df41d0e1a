/* fuzz_artifact.c - libFuzzer entry for the binary readers: any bytes,
 * read as a file, checked against targets of every format and a header's
 * declared exports, described, summarised and turned into JSON.
 * ASan/UBSan do the judging. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>

#include "artifact.h"
#include "buf.h"
#include "triple.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const targets[] = {
		"x86_64-unknown-linux-gnu", "x86_64-pc-windows-gnu",
		"aarch64-apple-darwin", "wasm32-wasi", "armv7-unknown-linux-gnueabihf",
		"aarch64-unknown-linux-musl",
	};
	struct artifact a;
	struct strv declared;
	struct buf b;
	json_t *j;
	char *s;

	artifact_inspect_mem(data, size, "fuzz", &a);
	buf_init(&b);
	for (size_t i = 0; i < sizeof targets / sizeof *targets; i++) {
		struct triple t;

		if (triple_parse(&t, targets[i], NULL) == 0)
			artifact_check(&a, &t, "2.17");
	}
	strv_init(&declared);
	strv_push(&declared, "HelloAdd");
	strv_push(&declared, "hello_len");
	artifact_check_exports(&a, &declared, "fuzz.h");
	strv_fini(&declared);
	artifact_summary(&a, &b);
	artifact_describe(&a, &b);
	artifact_describe_exports(&a, 6, &b);
	j = artifact_to_json(&a);
	s = json_dumps(j, 0);
	free(s);
	json_decref(j);
	buf_fini(&b);
	artifact_fini(&a);
	return 0;
}
