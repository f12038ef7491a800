/* fields.c -- the field specs of fields.h and the one check of a typed value against its spec. */
#include "autoconfig.h"

#include <stddef.h>

#include "fields.h"
#include "text.h"

/* The specs of FIELD_SPECS (fields.h), each as its initializers say, then the list of all. */
#define FIELD_SPEC_DEFINE(var, ...)	const struct field_spec field_##var = { __VA_ARGS__ };
FIELD_SPECS(FIELD_SPEC_DEFINE)

#define FIELD_SPEC_ADDRESS(var, ...)	&field_##var,
const struct field_spec *const field_specs[] = { FIELD_SPECS(FIELD_SPEC_ADDRESS) NULL };

/*
 * Unicode bidirectional embedding, override and isolate controls (U+202A..E,
 * U+2066..9) make a name display differently from what it is (a "Trojan
 * source" in a mail subject or a calendar): refused in one-line values.
 */
static int
field_has_bidi_control(const char *v, size_t len)
{
	const unsigned char	*u = (const unsigned char *)v;
	size_t			 i;

	for (i = 0; i + 2 < len; i++)
		if (u[i] == 0xe2 &&
		    ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
		    (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)))
			return 1;
	return 0;
}

enum field_problem
field_check(const struct field_spec *fs, const char *s, size_t len, size_t *chars)
{
	size_t	 n;

	if (chars != NULL)
		*chars = 0;
	if (s == NULL || len == 0)
		return FIELD_EMPTY;
	if (!text_utf8_valid(s, len))
		return FIELD_NOT_UTF8;
	n = text_utf8_chars(s, len);
	if (chars != NULL)
		*chars = n;
	if (!text_printable(s, len) || (fs->kind == FIELD_LINE && !text_header_safe(s, len)))
		return FIELD_CONTROL;
	if (fs->kind == FIELD_LINE && field_has_bidi_control(s, len))
		return FIELD_BIDI;
	/* A name of one zero-width joiner would be an invisible customer in every list and mail. */
	if (!text_visible(s, len))
		return FIELD_INVISIBLE;
	if (fs->min > 0 && n < fs->min)
		return FIELD_SHORT;
	if (fs->max > 0 && n > fs->max)
		return FIELD_LONG;
	return FIELD_OK;
}

int
field_percent_valid(double v)
{
	return v >= FIELD_PERCENT_MIN && v <= FIELD_PERCENT_MAX;	/* false for NaN */
}
