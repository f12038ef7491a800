/* fuzz_form.c -- the form pass of the body-parser fuzz targets: what parsed is validated as a handler would. */
/*
 * One table holding every field type of cgi/form.h, so each parser's output
 * reaches every validator (text checks, dates, zones, numbers, files).
 */
#include "autoconfig.h"

#include <stddef.h>

#include "form.h"
#include "http.h"
#include "fuzz_check.h"

static const char *const fuzz_phases[] = { "a", "b", NULL };

static int
fuzz_known(const char *text, long long num)
{
	return text[0] == 't' || num == 3731;
}

static const struct form_field fuzz_fields[] = {
	{ .name = "t", .type = FORM_TEXT, .max = 20 },
	{ .name = "m", .type = FORM_MULTILINE, .required = 1 },
	{ .name = "i", .type = FORM_INT, .min = -5, .max = 5 },
	{ .name = "e", .type = FORM_EMAIL, .required = 0 },
	{ .name = "d", .type = FORM_DATE, .required = 0 },
	{ .name = "dt", .type = FORM_DATETIME, .required = 0 },
	{ .name = "tz", .type = FORM_TIMEZONE, .required = 0 },
	{ .name = "k", .type = FORM_KEY, .check = fuzz_known, .multiple = 1 },
	{ .name = "f", .type = FORM_FTOP, .check = fuzz_known },
	{ .name = "en", .type = FORM_ENUM, .allowed = fuzz_phases },
	{ .name = "b", .type = FORM_BOOL, .required = 0 },
	{ .name = "file", .type = FORM_FILE, .max = 100 },
};

void
fuzz_form(const struct http_fields *fields, json_object *obj)
{
	struct form	 f;
	json_object	*o;
	size_t		 n = sizeof(fuzz_fields) / sizeof(fuzz_fields[0]);
	int		 rc;

	rc = obj != NULL ? form_validate_json(&f, fuzz_fields, n, obj) :
	    form_validate_fields(&f, fuzz_fields, n, fields);
	if (rc == -1)
		return;
	o = form_errors_json(&f);
	json_object_put(o);
	o = form_view_json(&f);
	json_object_put(o);
	form_free(&f);
}
