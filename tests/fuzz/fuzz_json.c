/* fuzz_json.c -- libFuzzer target: JSON request bodies (json-c behind http_parse_json), then form validation. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/json/ in make
 * check.  The input is the body: depth, UTF-8 and number handling are
 * http_parse_json's; what parses goes through form_validate_json().
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
	json_object	*obj = NULL;
	struct result	 err;

	if (http_parse_json((const char *)data, size, &obj, &err) == 0)
		fuzz_form(NULL, obj);
	json_object_put(obj);
	return 0;
}
