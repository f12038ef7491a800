/* fuzz_multipart.c -- libFuzzer target: multipart/form-data bodies (file uploads), then form validation. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/multipart/ in
 * make check.  The first line of the input is what follows
 * "multipart/form-data; " in the Content-Type (so the boundary parameter,
 * quoting included, is fuzzed too); the rest is the body.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "http.h"
#include "result.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_TYPE_PREFIX	"multipart/form-data; "

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_fields	 fields = { 0 };
	struct result	 err;
	char			 type[256];
	const uint8_t		*nl;
	size_t			 tl, pl = sizeof(FUZZ_TYPE_PREFIX) - 1;

	nl = memchr(data, '\n', size);
	if (nl == NULL || (tl = (size_t)(nl - data)) >= sizeof(type) - pl ||
	    memchr(data, '\0', tl) != NULL)
		return 0;
	memcpy(type, FUZZ_TYPE_PREFIX, pl);
	memcpy(type + pl, data, tl);
	type[pl + tl] = '\0';
	if (http_parse_multipart((const char *)nl + 1, size - tl - 1, type, &fields,
	    &err) == 0)
		fuzz_form(&fields, NULL);
	http_fields_free(&fields);
	return 0;
}
