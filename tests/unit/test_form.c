/* test_form.c -- declared form fields: each type, required/optional, JSON sources, error views. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"
#include "form.h"
#include "http.h"
#include "result.h"
#include "text.h"
#include "unit.h"

/* One field of type t checked from a urlencoded string; returns 0 valid, 1 invalid. */
static int
check_urlencoded(const struct form_field *fd, const char *in, struct form *f)
{
	struct http_fields	 hf = { 0 };
	struct result		 err;
	int			 rc;

	if (http_parse_urlencoded(in, strlen(in), &hf, &err) == -1)
		fail_msg("test input '%s' does not parse: %s", in, err.message);
	rc = form_validate_fields(f, fd, 1, &hf);
	http_fields_free(&hf);
	assert_true(rc == 0 || rc == 1);
	return rc;
}

/*
 * One field spec (named "v") and the urlencoded inputs it takes, with the
 * text each leaves (NULL: not checked), and those it refuses.
 */
struct type_case {
	struct form_field	 field;
	const char		*good[8][2];
	const char		*bad[10];
};

static const char *const phases[] = { "execution", "success_review", "closed", NULL };

static int
service_known(const char *text, long long num)
{
	(void)num;
	return strcmp(text, "teams") == 0 || strcmp(text, "sharepoint") == 0;
}

static int
ftop_known(const char *text, long long num)
{
	(void)text;
	return num == 3731 || num == 3650;
}

static const struct type_case type_cases[] = {
	/*
	 * single-line text: trimmed, no controls (U+0085 NEL too), bounds in
	 * characters; blank is absent; nothing visible (issue 9: ZWJ,
	 * ZWSP+NBSP, BOM, word joiner, tag space) is refused, but joined emoji
	 * and a name with a ZWNJ inside are visible; one field given twice is
	 * refused
	 */
	{ .field = { .name = "v", .type = FORM_TEXT },
	  .good = { { "v=+Contoso+Ltd+", "Contoso Ltd" }, { "v=+++", "" },
	      { "v=%F0%9F%91%A9%E2%80%8D%F0%9F%92%BB", NULL }, { "v=%D9%85%E2%80%8C%D9%86", NULL } },
	  .bad = { "v=a%0Ab", "v=a%09b", "v=a%7Fb", "v=a%C2%85b", "v=%E2%80%8D", "v=%E2%80%8B%C2%A0",
	      "v=%EF%BB%BF", "v=%E2%81%A0%F3%A0%80%A0", "v=a&v=b" } },
	{ .field = { .name = "v", .type = FORM_TEXT, .max = 3 },
	  .good = { { "v=%C3%A9%C3%A9%C3%A9", "\xc3\xa9\xc3\xa9\xc3\xa9" } }, .bad = { "v=abcd" } },
	{ .field = { .name = "v", .type = FORM_TEXT, .min = 2, .max = 5 }, .bad = { "v=a" } },
	{ .field = { .name = "v", .type = FORM_TEXT, .required = 1 }, .bad = { "v=+++", "other=1" } },
	/* multi-line: CRLF kept as LF (and counted as one), tabs fine */
	{ .field = { .name = "v", .type = FORM_MULTILINE },
	  .good = { { "v=line1%0D%0Aline2%09x%0D%0A", "line1\nline2\tx" }, { "v=a%0Db", "a\nb" } },
	  .bad = { "v=a%01b", "v=%E3%80%80%0A%E2%80%8C" } },
	{ .field = { .name = "v", .type = FORM_MULTILINE, .max = 4 }, .bad = { "v=ab%0D%0Acd" } },
	{ .field = { .name = "v", .type = FORM_MULTILINE, .max = 5 },
	  .good = { { "v=ab%0D%0Acd", "ab\ncd" } } },
	/* percent: 0.1..100 written as digits with one optional point */
	{ .field = { .name = "v", .type = FORM_PERCENT },
	  .good = { { "v=0.1", "0.1" }, { "v=33.3", "33.3" }, { "v=99.99", "99.99" }, { "v=100", "100" },
	      { "v=5.", "5." } },
	  .bad = { "v=100.01", "v=0.09", "v=1e1", "v=-5", "v=.", "v=1.2.3", "v=nan" } },
	/* integers */
	{ .field = { .name = "v", .type = FORM_INT },
	  .good = { { "v=-42", "-42" } }, .bad = { "v=1.5", "v=12abc", "v=99999999999999999999" } },
	{ .field = { .name = "v", .type = FORM_INT, .min = 1, .max = 4 },
	  .good = { { "v=4", "4" } }, .bad = { "v=5", "v=0" } },
	/* e-mail ('+' is a space in urlencoded input) */
	{ .field = { .name = "v", .type = FORM_EMAIL },
	  .good = { { "v=ana%40contoso.com", "ana@contoso.com" } },
	  .bad = { "v=ana", "v=ana%40", "v=a+b%40c.com" } },
	/* dates and datetime-local */
	{ .field = { .name = "v", .type = FORM_DATE },
	  .good = { { "v=2026-02-28", "2026-02-28" }, { "v=2028-02-29", "2028-02-29" } },
	  .bad = { "v=2026-02-29", "v=2026-13-01", "v=2026-1-01", "v=2026-01-01x", "v=01%2F02%2F2026" } },
	{ .field = { .name = "v", .type = FORM_DATETIME },
	  .good = { { "v=2026-11-25T09:30", "2026-11-25T09:30" } },
	  .bad = { "v=2026-11-25T24:00", "v=2026-11-25+09:30", "v=2026-11-25T09:30:00" } },
	/* zones */
	{ .field = { .name = "v", .type = FORM_TIMEZONE },
	  .good = { { "v=Europe%2FBerlin", "Europe/Berlin" }, { "v=America%2FSao_Paulo", "America/Sao_Paulo" } },
	  .bad = { "v=Mars%2FOlympus", "v=..%2F..%2Fetc%2Fpasswd" } },
	/* catalog keys and FTOP ids through a callback */
	{ .field = { .name = "v", .type = FORM_KEY, .check = service_known },
	  .good = { { "v=teams", "teams" } }, .bad = { "v=exchange", "v=Teams" } },
	{ .field = { .name = "v", .type = FORM_FTOP, .check = ftop_known },
	  .good = { { "v=3731", "3731" } }, .bad = { "v=3732" } },
	{ .field = { .name = "v", .type = FORM_FTOP },
	  .good = { { "v=3732", "3732" } }, .bad = { "v=-1", "v=abc" } },
	/* enums */
	{ .field = { .name = "v", .type = FORM_ENUM, .allowed = phases },
	  .good = { { "v=closed", "closed" } }, .bad = { "v=open", "v=Closed" } },
	/* booleans: an unchecked box is absent, a hidden 0 then a checked box is true */
	{ .field = { .name = "v", .type = FORM_BOOL },
	  .good = { { "v=on", "true" }, { "v=1", "true" }, { "v=true", "true" }, { "v=0", "false" },
	      { "x=1", "" }, { "v=0&v=on", "true" } },
	  .bad = { "v=maybe" } },
	{ .field = { .name = "v", .type = FORM_BOOL, .required = 1 },
	  .good = { { "v=on", "true" } }, .bad = { "x=1" } },
	/* a file field from a urlencoded form */
	{ .field = { .name = "v", .type = FORM_FILE }, .bad = { "v=a" } },
};

/* Input in against the field of case c: valid or not as want says, and the text it leaves. */
static void
check_type_case(size_t c, const char *in, int want_valid, const char *want_text)
{
	const struct form_field	*fd = &type_cases[c].field;
	struct form		 f;
	int			 rc;

	rc = check_urlencoded(fd, in, &f);
	if ((rc == 0) != want_valid)
		fail_msg("case %zu (type %d, '%s'): rc %d error '%s'", c, (int)fd->type, in, rc,
		    f.values[0].error);
	if (want_valid) {
		if (f.values[0].error[0] != '\0')
			fail_msg("case %zu, '%s': error '%s'", c, in, f.values[0].error);
		if (want_text != NULL && strcmp(f.values[0].text, want_text) != 0)
			fail_msg("case %zu, '%s': text '%s', want '%s'", c, in, f.values[0].text, want_text);
	} else if (f.values[0].error[0] == '\0' || f.nerrors != 1)
		fail_msg("case %zu, '%s': %zu errors, error '%s'", c, in, f.nerrors, f.values[0].error);
	assert_non_null(f.values[0].raw);
	form_free(&f);
}

static void
test_types(void **state)
{
	size_t c, i;

	(void)state;
	for (c = 0; c < sizeof(type_cases) / sizeof(type_cases[0]); c++) {
		for (i = 0; i < 8 && type_cases[c].good[i][0] != NULL; i++)
			check_type_case(c, type_cases[c].good[i][0], 1, type_cases[c].good[i][1]);
		for (i = 0; i < 10 && type_cases[c].bad[i] != NULL; i++)
			check_type_case(c, type_cases[c].bad[i], 0, NULL);
	}
}

static void
test_typed_values(void **state)
{
	enum { F_N, F_DAY, F_AT, F_OK, F__MAX };
	static const struct form_field fields[F__MAX] = {
		[F_N] = { .name = "n", .type = FORM_INT, .required = 1, .min = 1, .max = 100 },
		[F_DAY] = { .name = "day", .type = FORM_DATE, .required = 1 },
		[F_AT] = { .name = "at", .type = FORM_DATETIME },
		[F_OK] = { .name = "ok", .type = FORM_BOOL },
	};
	struct http_fields	 hf = { 0 };
	struct form		 f;
	struct result		 err;
	const char		*in = "n=42&day=1970-01-02&at=1970-01-01T01:30&ok=on&csrf=ignored";
	int32_t			 day;

	(void)state;
	assert_int_equal(http_parse_urlencoded(in, strlen(in), &hf, &err), 0);
	assert_int_equal(form_validate_fields(&f, fields, F__MAX, &hf), 0);
	assert_int_equal(f.nerrors, 0);
	assert_int_equal(f.values[F_N].num, 42);
	assert_int_equal(f.values[F_DAY].day, 1);
	assert_int_equal(f.values[F_AT].day, 0);
	assert_int_equal(f.values[F_AT].minute, 90);
	assert_int_equal(f.values[F_OK].num, 1);
	assert_true(f.values[F_OK].present);
	assert_int_equal(text_date_parse("2026-11-25", &day), 0);
	form_free(&f);
	http_fields_free(&hf);
}

static void
test_multipart_file(void **state)
{
	enum { U_CSV, U_NOTE, U__MAX };
	static const struct form_field fields[U__MAX] = {
		[U_CSV] = { .name = "csv", .type = FORM_FILE, .required = 1, .max = 16 },
		[U_NOTE] = { .name = "note", .type = FORM_TEXT },
	};
	static const char body[] =
	    "--b\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"u.csv\"\r\n\r\n"
	    "a,b\n1,\x00\r\n--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n--b--";
	static const struct {
		const char	*body, *error;
		int		 whole;		/* the error is exactly that, not just holds it */
	} bad[] = {
		{ .body = "--b\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"u.csv\"\r\n\r\n"
		  "0123456789abcdefX\r\n--b--", .error = "16 bytes" },
		{ .body = "--b\r\nContent-Disposition: form-data; name=\"csv\"; filename=\"\"\r\n\r\n\r\n--b--",
		  .error = "This field is required.", .whole = 1 },
		{ .body = "--b\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\nabc\r\n--b--",
		  .error = "file" },
	};
	struct http_fields	 hf = { 0 };
	struct form		 f;
	struct result		 err;
	size_t			 i;

	(void)state;
	assert_int_equal(http_parse_multipart(body, sizeof(body) - 1, "multipart/form-data; boundary=b",
	    &hf, &err), 0);
	assert_int_equal(form_validate_fields(&f, fields, U__MAX, &hf), 0);
	assert_string_equal(f.values[U_CSV].filename, "u.csv");
	assert_int_equal(f.values[U_CSV].len, 7);
	assert_memory_equal(f.values[U_CSV].text, "a,b\n1,\0", 7);
	assert_string_equal(f.values[U_NOTE].text, "hi");
	form_free(&f);
	http_fields_free(&hf);

	/* Too big, an empty file (required) and text where a file belongs: the file's error. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(http_parse_multipart(bad[i].body, strlen(bad[i].body),
		    "multipart/form-data; boundary=b", &hf, &err), 0);
		if (form_validate_fields(&f, fields, U__MAX, &hf) != 1 ||
		    strstr(f.values[U_CSV].error, bad[i].error) == NULL ||
		    (bad[i].whole && strcmp(f.values[U_CSV].error, bad[i].error) != 0))
			fail_msg("body %zu: error '%s', want '%s' in it", i, f.values[U_CSV].error,
			    bad[i].error);
		form_free(&f);
		http_fields_free(&hf);
	}
}

static void
test_json_source(void **state)
{
	enum { J_NAME, J_WEEKS, J_CSM, J_ON, J_SERVICES, J_TZ, J__MAX };
	static const struct form_field fields[J__MAX] = {
		[J_NAME] = { .name = "name", .type = FORM_TEXT, .required = 1, .max = 200 },
		[J_WEEKS] = { .name = "cadence_weeks", .type = FORM_INT, .min = 1, .max = 4 },
		[J_CSM] = { .name = "csm_led", .type = FORM_BOOL },
		[J_ON] = { .name = "activated_on", .type = FORM_DATE },
		[J_SERVICES] = { .name = "services", .type = FORM_KEY, .check = service_known, .multiple = 1 },
		[J_TZ] = { .name = "timezone", .type = FORM_TIMEZONE },
	};
	struct form	 f;
	json_object	*o;
	struct result	 err;
	const char	*good = "{\"name\":\"Contoso\",\"cadence_weeks\":2,\"csm_led\":true,"
	    "\"activated_on\":null,\"services\":[\"teams\",\"sharepoint\"],\"extra\":{}}";
	const char	*bad = "{\"name\":5,\"cadence_weeks\":\"2\",\"csm_led\":\"on\","
	    "\"activated_on\":\"2026-02-30\",\"services\":\"teams\",\"timezone\":[]}";
	const char	*big = "{\"name\":\"x\",\"cadence_weeks\":99999999999999999999999}";
	json_object	*errs, *v;

	(void)state;
	assert_int_equal(http_parse_json(good, strlen(good), &o, &err), 0);
	assert_int_equal(form_validate_json(&f, fields, J__MAX, o), 0);
	assert_string_equal(f.values[J_NAME].text, "Contoso");
	assert_int_equal(f.values[J_WEEKS].num, 2);
	assert_int_equal(f.values[J_CSM].num, 1);
	assert_false(f.values[J_ON].present);
	assert_int_equal(f.values[J_SERVICES].nitems, 2);
	assert_string_equal(f.values[J_SERVICES].items[1], "sharepoint");
	form_free(&f);
	json_object_put(o);

	/* wrong JSON types are field errors, each named */
	assert_int_equal(http_parse_json(bad, strlen(bad), &o, &err), 0);
	assert_int_equal(form_validate_json(&f, fields, J__MAX, o), 1);
	assert_int_equal(f.nerrors, 6);
	assert_string_equal(f.values[J_NAME].error, "Must be a string.");
	assert_string_equal(f.values[J_WEEKS].error, "Must be a whole number (a JSON number, not a string).");
	assert_string_equal(f.values[J_CSM].error, "Must be true or false.");
	assert_string_equal(f.values[J_SERVICES].error, "Must be a list.");
	/* the raw input is kept to show again */
	assert_string_equal(f.values[J_NAME].raw, "5");
	assert_string_equal(f.values[J_ON].raw, "2026-02-30");
	errs = form_errors_json(&f);
	assert_true(json_object_object_get_ex(errs, "activated_on", &v));
	assert_string_equal(json_object_get_string(v), "Must be a date written YYYY-MM-DD.");
	assert_false(json_object_object_get_ex(errs, "extra", NULL));
	json_object_put(errs);
	form_free(&f);
	json_object_put(o);

	/* issue 9: a percentage is any JSON number, never a string */
	{
		static const struct form_field pf[1] = {
			[0] = { .name = "p", .type = FORM_PERCENT, .required = 1 },
		};
		static const struct { const char *json; int valid; double want; } pc[] = {
			{ "{\"p\":0.1}", 1, 0.1 }, { "{\"p\":33.3}", 1, 33.3 },
			{ "{\"p\":99.99}", 1, 99.99 }, { "{\"p\":50}", 1, 50 },
			{ "{\"p\":\"50\"}", 0, 0 }, { "{\"p\":true}", 0, 0 },
			{ "{\"p\":0.05}", 0, 0 }, { "{\"p\":1e3}", 0, 0 }, { "{\"p\":null}", 0, 0 },
		};
		size_t i;

		for (i = 0; i < sizeof(pc) / sizeof(pc[0]); i++) {
			assert_int_equal(http_parse_json(pc[i].json, strlen(pc[i].json), &o, &err), 0);
			if (form_validate_json(&f, pf, 1, o) != !pc[i].valid)
				fail_msg("%s: error '%s'", pc[i].json, f.values[0].error);
			if (pc[i].valid)
				assert_true(f.values[0].dec == pc[i].want);
			form_free(&f);
			json_object_put(o);
		}
		o = json_tokener_parse("{\"p\":\"50\"}");
		assert_int_equal(form_validate_json(&f, pf, 1, o), 1);
		assert_string_equal(f.values[0].error, "Must be a number (a JSON number, not a string).");
		form_free(&f);
		json_object_put(o);
	}

	/* a number beyond int64 */
	assert_int_equal(http_parse_json(big, strlen(big), &o, &err), 0);
	assert_int_equal(form_validate_json(&f, fields, J__MAX, o), 1);
	assert_true(f.values[J_WEEKS].error[0] != '\0');
	form_free(&f);
	json_object_put(o);

	/* a list with one bad item: the good ones are kept, the field is in error */
	o = json_tokener_parse("{\"name\":\"n\",\"services\":[\"teams\",\"nope\",7]}");
	assert_int_equal(form_validate_json(&f, fields, J__MAX, o), 1);
	assert_int_equal(f.values[J_SERVICES].nitems, 1);
	assert_true(f.values[J_SERVICES].error[0] != '\0');
	form_free(&f);
	json_object_put(o);
}

static void
test_multiple_fields_and_views(void **state)
{
	enum { M_SERVICES, M_NAME, M_OK, M__MAX };
	static const struct form_field fields[M__MAX] = {
		[M_SERVICES] = { .name = "services", .type = FORM_KEY, .check = service_known, .multiple = 1, .required = 1 },
		[M_NAME] = { .name = "name", .type = FORM_TEXT, .required = 1 },
		[M_OK] = { .name = "ok", .type = FORM_BOOL },
	};
	struct form	 f;
	json_object	*view, *fo, *v;

	(void)state;
	assert_int_equal(check_urlencoded(fields, "services=teams&services=sharepoint", &f), 0);
	assert_int_equal(f.values[0].nitems, 2);
	form_free(&f);

	struct http_fields	 hf = { 0 };
	struct result		 err;

	assert_int_equal(http_parse_urlencoded("name=%3Cb%3E&ok=on", 18, &hf, &err), 0);
	assert_int_equal(form_validate_fields(&f, fields, M__MAX, &hf), 1);
	http_fields_free(&hf);
	assert_string_equal(f.values[M_SERVICES].error, "This field is required.");
	view = form_view_json(&f);
	assert_true(json_object_object_get_ex(view, "name", &fo));
	assert_true(json_object_object_get_ex(fo, "value", &v));
	assert_string_equal(json_object_get_string(v), "<b>");	/* escaped by the template, not here */
	assert_false(json_object_object_get_ex(fo, "error", NULL));
	assert_true(json_object_object_get_ex(view, "services", &fo));
	assert_true(json_object_object_get_ex(fo, "invalid", NULL));
	assert_true(json_object_object_get_ex(view, "ok", &fo));
	assert_true(json_object_object_get_ex(fo, "checked", &v));
	assert_true(json_object_get_boolean(v));
	json_object_put(view);

	/* a later rule adds its own error */
	assert_int_equal(form_error_set(&f, "name", "Already taken."), 0);
	assert_int_equal(form_error_set(&f, "nope", "x"), -1);
	assert_int_equal(f.nerrors, 2);
	assert_string_equal(f.values[M_NAME].error, "Already taken.");

	form_free(&f);
}

/* A rule's check of a value: refuses "taken", in the rule's own words (with the key). */
static int
rule_not_taken(const char *text, struct result *r)
{
	if (strcmp(text, "taken") == 0)
		return result_set(r, RESULT_INVALID, "handle", "handle \"%s\" is used by another", text);
	return 0;
}

/*
 * Issue 13, items 1 and 2: every field checked in one pass, a rule's check
 * of a valid value included; the sentence people read names the label.
 */
static void
test_sentences_and_rules(void **state)
{
	enum { S_NAME, S_WEEKS, S_HANDLE, S_ZONE, S__MAX };
	static const struct form_field fields[S__MAX] = {
		[S_NAME] = { .spec = &field_customer_name, .required = 1 },
		[S_WEEKS] = { .name = "weeks", .label = "Check-in cadence", .type = FORM_INT, .min = 1, .max = 4 },
		[S_HANDLE] = { .name = "handle", .label = "Handle", .type = FORM_TEXT, .rule = rule_not_taken },
		[S_ZONE] = { .name = "zone", .type = FORM_TIMEZONE },
	};
	struct http_fields	 hf = { 0 };
	struct result		 err;
	struct form		 f;
	char			 s[200];
	const char		*in = "name=&weeks=9&handle=taken&zone=Sao+Paulo";

	(void)state;
	assert_int_equal(http_parse_urlencoded(in, strlen(in), &hf, &err), 0);
	assert_int_equal(form_validate_fields(&f, fields, S__MAX, &hf), 1);
	http_fields_free(&hf);
	assert_int_equal(f.nerrors, 4);
	/* The API's words stay as they were. */
	assert_string_equal(f.values[S_NAME].error, "This field is required.");
	assert_string_equal(f.values[S_WEEKS].error, "Must be between 1 and 4.");
	assert_string_equal(f.values[S_HANDLE].error, "handle \"taken\" is used by another");
	form_sentence(&f, S_NAME, s, sizeof(s));
	assert_string_equal(s, "Customer name is required.");
	form_sentence(&f, S_WEEKS, s, sizeof(s));
	assert_string_equal(s, "Check-in cadence must be between 1 and 4.");
	form_sentence(&f, S_HANDLE, s, sizeof(s));
	assert_string_equal(s, "Handle \"taken\" is used by another.");
	/* No label: the name is all there is. */
	assert_string_equal(form_label(&f.fields[S_ZONE]), "zone");
	assert_int_equal(form_error_set(&f, "name", "a rule said no"), 0);
	form_sentence(&f, S_NAME, s, sizeof(s));
	assert_string_equal(s, "A rule said no.");
	form_free(&f);
}

static void
test_validate_picks_source(void **state)
{
	static const struct form_field fields[1] = { { .name = "q", .type = FORM_TEXT, .required = 1 } };
	struct http_request	 req;
	struct form		 f;
	struct result		 err;

	(void)state;
	http_request_init(&req);
	req.method = HTTP_METHOD_GET;
	assert_int_equal(http_parse_urlencoded("q=from-query", 12, &req.query_fields, &err), 0);
	assert_int_equal(http_parse_urlencoded("q=from-body", 11, &req.body_fields, &err), 0);
	assert_int_equal(form_validate(&f, fields, 1, &req), 0);
	assert_string_equal(f.values[0].text, "from-query");
	form_free(&f);
	req.method = HTTP_METHOD_POST;
	assert_int_equal(form_validate(&f, fields, 1, &req), 0);
	assert_string_equal(f.values[0].text, "from-body");
	form_free(&f);
	req.json = json_tokener_parse("{\"q\":\"from-json\"}");
	assert_int_equal(form_validate(&f, fields, 1, &req), 0);
	assert_string_equal(f.values[0].text, "from-json");
	form_free(&f);
	http_request_free(&req);
}

/*
 * Every spec of fields.h at its boundary, in characters: N and N+1 "é"
 * (2 bytes each, where a byte count would disagree) through the form and
 * the JSON API, and N 4-byte characters in the store's FIELD_SIZE buffer.
 */
static void
test_field_specs_boundaries(void **state)
{
	const struct field_spec *const	*fs;
	struct form_field		 row[1];
	struct form			 f;
	struct http_fields		 hf;
	json_object			*obj;
	char				 want[64], name[64], *v;
	size_t				 n, i, extra;

	(void)state;
	for (fs = field_specs; *fs != NULL; fs++) {
		assert_true((*fs)->max > 0);
		memset(row, 0, sizeof(row));
		row[0].spec = *fs;
		/* The store's buffer holds the limit in the widest characters. */
		assert_true((size_t)FIELD_SIZE((*fs)->max) >= (*fs)->max * 4 + 1);
		for (extra = 0; extra <= 1; extra++) {
			n = (*fs)->max + extra;
			assert_non_null(v = malloc(n * 2 + 1));
			for (i = 0; i < n; i++)
				memcpy(v + i * 2, "\xc3\xa9", 2);
			v[n * 2] = '\0';
			snprintf(want, sizeof(want), "Must be at most %zu characters.", (*fs)->max);
			/* The form (urlencoded fields as parsed). */
			memset(&hf, 0, sizeof(hf));
			snprintf(name, sizeof(name), "%s", (*fs)->name);
			struct http_field fld = { .name = name, .value = v, .len = n * 2 };
			hf.v = &fld;
			hf.n = 1;
			assert_int_equal(form_validate_fields(&f, row, 1, &hf), (int)extra);
			assert_string_equal(f.fields[0].name, (*fs)->name);
			assert_string_equal(f.values[0].error, extra ? want : "");
			form_free(&f);
			/* The JSON API: the same name, the same answer. */
			obj = json_object_new_object();
			json_object_object_add(obj, (*fs)->name, json_object_new_string(v));
			assert_int_equal(form_validate_json(&f, row, 1, obj), (int)extra);
			assert_string_equal(f.values[0].error, extra ? want : "");
			form_free(&f);
			json_object_put(obj);
			/* The one check the rules guard with. */
			assert_int_equal(field_check(*fs, v, n * 2, &i), extra ? FIELD_LONG : FIELD_OK);
			assert_int_equal(i, n);
			free(v);
		}
	}
}

UNIT_MAIN("form",
	cmocka_unit_test(test_types),
	cmocka_unit_test(test_typed_values),
	cmocka_unit_test(test_multipart_file),
	cmocka_unit_test(test_json_source),
	cmocka_unit_test(test_multiple_fields_and_views),
	cmocka_unit_test(test_field_specs_boundaries),
	cmocka_unit_test(test_validate_picks_source),
	cmocka_unit_test(test_sentences_and_rules),
)
