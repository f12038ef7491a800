/* fuzz_imip.c -- libFuzzer target: the reply reader (shared/render/imip.c) on raw mail bytes. */
/*
 * The input is one whole message as it comes out of the mailbox.  Whatever
 * it holds, imip_parse() must return 0 with a key, and a message it calls
 * unmatched must carry a reason; the strings it hands on stay NUL-terminated
 * and free of control characters (they reach pages and JSON).
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "imip.h"
#include "result.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_clean(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	if (n == size)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ')
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct imip_message	 m;
	struct result		 r;

	result_clear(&r);
	if (imip_parse((const char *)data, size, &m, &r) == -1)
		return 0;
	if (m.key[0] == '\0' || (m.kind == IMIP_UNMATCHED && m.reason == IMIP_REASON_NONE))
		abort();
	check_clean(m.key, sizeof(m.key));
	check_clean(m.uid, sizeof(m.uid));
	check_clean(m.attendee, sizeof(m.attendee));
	check_clean(m.from, sizeof(m.from));
	check_clean(m.subject, sizeof(m.subject));
	check_clean(m.detail, sizeof(m.detail));
	return 0;
}
