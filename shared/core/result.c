/* result.c -- filling and naming struct result. */
#include "autoconfig.h"

#include <libintl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "result.h"

void
result_clear(struct result *r)
{
	r->code = RESULT_OK;
	r->field[0] = '\0';
	r->message[0] = '\0';
	r->text[0] = '\0';
}

int
result_set(struct result *r, enum result_code code, const char *field,
    const char *fmt, ...)
{
	va_list		 ap, aq;
	const char	*tr;

	if (r == NULL)
		return -1;
	r->code = code;
	snprintf(r->field, sizeof(r->field), "%s", field ? field : "");
	va_start(ap, fmt);
	va_copy(aq, ap);
	vsnprintf(r->message, sizeof(r->message), fmt, ap);
	/* The source text costs no second formatting. */
	if ((tr = gettext(fmt)) == fmt)
		memcpy(r->text, r->message, sizeof(r->text));
	else
		vsnprintf(r->text, sizeof(r->text), tr, aq);
	va_end(aq);
	va_end(ap);
	return -1;
}

const char *
result_code_name(enum result_code code)
{
	static const char *const names[RESULT__MAX] = {
		"ok", "not_found", "conflict", "invalid", "busy", "io", "storage", "forbidden",
	};

	if ((unsigned)code >= RESULT__MAX)
		return "unknown";
	return names[code];
}
