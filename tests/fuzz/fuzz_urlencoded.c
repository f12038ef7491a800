/* fuzz_urlencoded.c -- libFuzzer target: application/x-www-form-urlencoded bodies, then form validation. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/urlencoded/ in
 * make check.  The input is the body; whatever parses is validated against
 * a form table holding every field type, as a handler would.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>

#include "http.h"
#include "result.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_fields	 fields = { 0 };
	struct result		 err;

	if (http_parse_urlencoded((const char *)data, size, &fields, &err) == 0)
		fuzz_form(&fields, NULL);
	http_fields_free(&fields);
	return 0;
}
