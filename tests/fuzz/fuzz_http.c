/* fuzz_http.c -- libFuzzer target: the request body parsers (urlencoded, multipart, JSON) and form validation. */
/*
 * Not part of the default build.  With Debian's clang-14 and libfuzzer-14-dev,
 * from the top of the source tree after ./configure has made autoconfig.h in
 * BUILD:
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I BUILD -I shared -I cgi \
 *       $(pkg-config --cflags json-c) tests/fuzz/fuzz_http.c \
 *       cgi/http.c cgi/form.c shared/mustache.c shared/text.c shared/log.c \
 *       shared/buf.c shared/result.c $(pkg-config --libs json-c) -o fuzz_http
 *   mkdir -p corpus && ./fuzz_http -max_total_time=60 corpus
 *
 * The first byte picks the parser (and, for multipart, the boundary comes
 * from the first line); the rest is the body.  Whatever parses is then run
 * through a form table with every field type, as a handler would.
 */
#include "autoconfig.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "form.h"
#include "http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_phases[] = { "a", "b", NULL };

static int
fuzz_check(const char *text, long long num)
{
	return text[0] == 't' || num == 3731;
}

static const struct form_field fuzz_fields[] = {
	{ "t", FORM_TEXT, .max = 20 },
	{ "m", FORM_MULTILINE, .required = 1 },
	{ "i", FORM_INT, .min = -5, .max = 5 },
	{ "e", FORM_EMAIL, .required = 0 },
	{ "d", FORM_DATE, .required = 0 },
	{ "dt", FORM_DATETIME, .required = 0 },
	{ "tz", FORM_TIMEZONE, .required = 0 },
	{ "k", FORM_KEY, .check = fuzz_check, .multiple = 1 },
	{ "f", FORM_FTOP, .check = fuzz_check },
	{ "en", FORM_ENUM, .allowed = fuzz_phases },
	{ "b", FORM_BOOL, .required = 0 },
	{ "file", FORM_FILE, .max = 100 },
};

static void
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_fields	 fields = { 0 };
	json_object		*obj = NULL;
	char			 err[HTTP_ERR_SIZE], type[160];
	const char		*body = (const char *)data + 1;
	const uint8_t		*nl;
	size_t			 len, tl;

	if (size < 1)
		return 0;
	len = size - 1;
	switch (data[0] % 3) {
	case 0:
		if (http_parse_urlencoded(body, len, &fields, err, sizeof(err)) == 0)
			fuzz_form(&fields, NULL);
		break;
	case 1:
		/* "boundary-parameter-text\n" then the body */
		nl = memchr(body, '\n', len);
		tl = nl != NULL ? (size_t)(nl - (const uint8_t *)body) : 0;
		if (nl == NULL || tl > 100)
			break;
		memcpy(type, "multipart/form-data; boundary=", 30);
		memcpy(type + 30, body, tl);
		type[30 + tl] = '\0';
		if (http_parse_multipart(body + tl + 1, len - tl - 1, type, &fields, err, sizeof(err)) == 0)
			fuzz_form(&fields, NULL);
		break;
	default:
		if (http_parse_json(body, len, &obj, err, sizeof(err)) == 0)
			fuzz_form(NULL, obj);
		json_object_put(obj);
		break;
	}
	http_fields_free(&fields);
	return 0;
}
