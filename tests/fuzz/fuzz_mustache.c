/* fuzz_mustache.c -- libFuzzer target: compile any input as a template and render it against a fixed view. */
/*
 * Built by ./configure --enable-fuzz (tests/fuzz/fuzz.am); in the normal
 * build the same file, linked with replay.c, replays corpus/mustache/ in
 * make check.  The input is a template source.
 *
 * Every partial name resolves to the input itself, so recursion and the
 * partial depth limit are exercised too; "none" is an unknown partial.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mustache.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct input {
	const uint8_t	*data;
	size_t		 size;
};

static int
fuzz_partial(void *arg, const char *name, struct buf *src)
{
	const struct input *in = arg;

	if (strcmp(name, "none") == 0)
		return -1;
	return buf_append(src, in->data, in->size);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static json_object	*view;
	struct mustache_tpl	*tpl;
	struct input		 in = { data, size };
	struct result		 r;
	struct buf		 out;

	if (view == NULL)
		view = json_tokener_parse("{\"a\": \"<x & 'y'>\", \"b\": {\"c\": [1, 2.5, null]},"
		    " \"list\": [{\"a\": 1}, {\"n\": true}, [\"z\"]], \"t\": true, \"f\": false,"
		    " \"e\": [], \"s\": \"\", \"zero\": 0, \"d\": 1e-310}");
	result_clear(&r);
	if (mustache_compile((const char *)data, size, &tpl, &r) == -1)
		return 0;
	buf_init(&out);
	mustache_render(tpl, view, fuzz_partial, &in, &out, &r);
	buf_free(&out);
	mustache_free(tpl);
	return 0;
}
