/* fuzz_usagecsv.c -- libFuzzer target: the Microsoft 365 "Active users - services" CSV export. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/usagecsv/ in
 * make check.  The input is the file as uploaded.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "result.h"
#include "usagecsv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct usagecsv_sample	*samples = NULL;
	struct result		 r;
	size_t			 n = 0;

	result_clear(&r);
	if (usagecsv_parse((const char *)data, size, &samples, &n, &r) == 0)
		free(samples);
	return 0;
}
