/* fuzz_cgoheader.c - libFuzzer entry for the cgo header reader: any bytes
 * as the header Go wrote, their names checked against a library's
 * exports.  Every name found must be a non-empty identifier listed once;
 * ASan/UBSan judge the rest. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "artifact.h"
#include "buf.h"
#include "cgoheader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strv names;
	struct cb_err err;
	struct artifact a;

	strv_init(&names);
	if (cgo_header_exports_mem(data, size, "fuzz.h", &names, &err) < 0 &&
	    (names.n || !strstr(err.msg, "fuzz.h")))
		abort();    /* an error leaves names alone and names the file */
	for (size_t i = 0; i < names.n; i++) {
		if (!names.v[i][0] || (names.v[i][0] >= '0' && names.v[i][0] <= '9') ||
		    strpbrk(names.v[i], " ()*;{}\"'/#\n"))
			abort();
		for (size_t k = 0; k < i; k++)
			if (!strcmp(names.v[i], names.v[k]))
				abort();
	}
	artifact_init(&a, "libfuzz.so");
	a.exports_read = 1;
	artifact_add_export(&a, "HelloAdd", 8);
	artifact_check(&a, NULL, NULL);
	artifact_check_exports(&a, &names, "fuzz.h");
	artifact_fini(&a);
	strv_fini(&names);
	return 0;
}
