/* test_http.c -- request parsing (CGI parameters, query, urlencoded, multipart, JSON) and response building. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "http.h"
#include "pages.h"
#include "result.h"
#include "text.h"
#include "unit.h"
#include "webreq.h"

/* ---- urlencoded ---- */

static void
test_urlencoded_basic(void **state)
{
	struct http_fields	 f = { 0 };
	struct result		 err;
	const char		*in = "a=1&b=hello+world&&c=%C3%A9t%C3%A9&d&e=x%3Dy%26z";

	(void)state;
	assert_int_equal(http_parse_urlencoded(in, strlen(in), &f, &err), 0);
	assert_int_equal(f.n, 5);
	assert_string_equal(http_fields_get(&f, "a")->value, "1");
	assert_string_equal(http_fields_get(&f, "b")->value, "hello world");
	assert_string_equal(http_fields_get(&f, "c")->value, "\xc3\xa9t\xc3\xa9");
	assert_string_equal(http_fields_get(&f, "d")->value, "");
	assert_string_equal(http_fields_get(&f, "e")->value, "x=y&z");
	assert_null(http_fields_get(&f, "zz"));
	http_fields_free(&f);
}

/* A body the form parsers must refuse: multipart when type is set, else urlencoded. */
struct malformed {
	const char	*type;
	const char	*body;
	const char	*want;		/* in the error; NULL: any message */
};

/* Each body refused with a message (holding want); a failure names the row. */
static void
malformed_run(const struct malformed *cases, size_t n)
{
	struct http_fields	 f = { 0 };
	struct result		 err;
	size_t			 i;
	int			 rc;

	for (i = 0; i < n; i++) {
		result_clear(&err);
		rc = cases[i].type == NULL ?
		    http_parse_urlencoded(cases[i].body, strlen(cases[i].body), &f, &err) :
		    http_parse_multipart(cases[i].body, strlen(cases[i].body), cases[i].type, &f, &err);
		if (rc != -1)
			fail_msg("case %zu (%s) parsed", i, cases[i].body);
		if (err.message[0] == '\0' ||
		    (cases[i].want != NULL && strstr(err.message, cases[i].want) == NULL))
			fail_msg("case %zu: error '%s' lacks '%s'", i, err.message,
			    cases[i].want != NULL ? cases[i].want : "a message");
		http_fields_free(&f);
	}
}

static void
test_urlencoded_malformed(void **state)
{
	static const struct malformed cases[] = {
		{ .body = "a=%" },		/* truncated escape */
		{ .body = "a=%4" },
		{ .body = "a=%G1" },		/* not hex */
		{ .body = "a=%FF" },		/* not UTF-8 */
		{ .body = "a=%C3" },		/* truncated UTF-8 */
		{ .body = "a=%C0%AF" },		/* overlong */
		{ .body = "a=%ED%A0%80" },	/* surrogate */
		{ .body = "a=x%00y" },		/* NUL */
		{ .body = "=v" },		/* empty name */
		{ .body = "n%FF=1" },		/* name not UTF-8 */
	};

	(void)state;
	malformed_run(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_urlencoded_too_many(void **state)
{
	struct http_fields	 f = { 0 };
	struct result		 err;
	char			*s;
	size_t			 i, n = HTTP_MAX_FIELDS + 1;

	(void)state;
	s = malloc(n * 4 + 1);
	assert_non_null(s);
	for (i = 0; i < n; i++)
		memcpy(s + i * 4, "a=1&", 4);
	assert_int_equal(http_parse_urlencoded(s, n * 4 - 1, &f, &err), -1);
	assert_non_null(strstr(err.message, "more than"));
	http_fields_free(&f);
	/* exactly the limit is fine */
	assert_int_equal(http_parse_urlencoded(s, (n - 1) * 4 - 1, &f, &err), 0);
	assert_int_equal(f.n, HTTP_MAX_FIELDS);
	http_fields_free(&f);
	free(s);
}

/* ---- multipart ---- */

#define MP_TYPE "multipart/form-data; boundary=----XyZ"

static void
test_multipart_fields_and_file(void **state)
{
	static const char body[] =
	    "------XyZ\r\n"
	    "Content-Disposition: form-data; name=\"title\"\r\n"
	    "\r\n"
	    "Caf\xc3\xa9 plan\r\n"
	    "------XyZ\r\n"
	    "content-disposition: form-data; name=\"csv\"; filename=\"C:\\\\dir\\\\usage.csv\"\r\n"
	    "Content-Type: text/csv\r\n"
	    "\r\n"
	    "a,b\r\n\x00\xff\r\n"
	    "------XyZ\r\n"
	    "Content-Disposition: form-data; name=\"empty\"\r\n"
	    "\r\n"
	    "\r\n"
	    "------XyZ--\r\n"
	    "epilogue ignored";
	struct http_fields	 f = { 0 };
	const struct http_field	*v;
	struct result		 err;

	(void)state;
	assert_int_equal(http_parse_multipart(body, sizeof(body) - 1, MP_TYPE, &f, &err), 0);
	assert_int_equal(f.n, 3);
	v = http_fields_get(&f, "title");
	assert_non_null(v);
	assert_string_equal(v->value, "Caf\xc3\xa9 plan");
	assert_null(v->filename);
	v = http_fields_get(&f, "csv");
	assert_non_null(v);
	assert_string_equal(v->filename, "usage.csv");
	assert_string_equal(v->type, "text/csv");
	assert_int_equal(v->len, 7);	/* the CRLF before the delimiter belongs to it */
	assert_memory_equal(v->value, "a,b\r\n\x00\xff", 7);
	v = http_fields_get(&f, "empty");
	assert_non_null(v);
	assert_int_equal(v->len, 0);
	http_fields_free(&f);
}

static void
test_multipart_quoted_boundary_and_preamble(void **state)
{
	static const char body[] =
	    "preamble text\r\n"
	    "--a b\r\n"
	    "Content-Disposition: form-data; name=x\r\n"
	    "\r\n"
	    "1\r\n"
	    "--a b--";
	struct http_fields	 f = { 0 };
	struct result		 err;

	(void)state;
	assert_int_equal(http_parse_multipart(body, sizeof(body) - 1,
	    "multipart/form-data; charset=utf-8; boundary=\"a b\"", &f, &err), 0);
	assert_int_equal(f.n, 1);
	assert_string_equal(f.v[0].value, "1");
	http_fields_free(&f);
}

static void
test_multipart_malformed(void **state)
{
	static const struct malformed cases[] = {
		{ "multipart/form-data", "--x\r\n\r\n--x--", "boundary" },
		{ "multipart/form-data; boundary=", "--\r\n", "boundary" },
		{ "multipart/form-data; boundary=01234567890123456789012345678901234567890123456789012345678901234567890",
		  "x", "boundary" },
		{ MP_TYPE, "no delimiter here", "no boundary line" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue", "no closing boundary" },
		{ MP_TYPE, "------XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n------XyZ--", "no Content-Disposition" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n------XyZ--", "not form-data" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n------XyZ--", "no name" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n------XyZ--", "no name" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\xff\r\n------XyZ--", "UTF-8" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nbroken header\r\n\r\nv\r\n------XyZ--", "malformed header" },
		{ MP_TYPE, "------XyZgarbage\r\n", "CRLF" },
		{ MP_TYPE, "------XyZ\r\nContent-Disposition: form-data; name=\"a\"", "header block" },
	};

	(void)state;
	malformed_run(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_multipart_bounds(void **state)
{
	struct http_fields	 f = { 0 };
	struct buf		 b;
	struct result		 err;
	int			 i;

	(void)state;
	/* one part more than allowed */
	buf_init(&b);
	for (i = 0; i <= HTTP_MAX_PARTS; i++)
		buf_printf(&b, "------XyZ\r\nContent-Disposition: form-data; name=\"f%d\"\r\n\r\n%d\r\n", i, i);
	buf_puts(&b, "------XyZ--\r\n");
	assert_int_equal(http_parse_multipart(b.data, b.len, MP_TYPE, &f, &err), -1);
	assert_non_null(strstr(err.message, "parts"));
	http_fields_free(&f);

	/* a header block over the limit */
	buf_reset(&b);
	buf_puts(&b, "------XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\nX-Pad: ");
	for (i = 0; i < HTTP_MAX_PART_HEADER; i++)
		buf_putc(&b, 'p');
	buf_puts(&b, "\r\n\r\nv\r\n------XyZ--\r\n");
	assert_int_equal(http_parse_multipart(b.data, b.len, MP_TYPE, &f, &err), -1);
	assert_non_null(strstr(err.message, "header block"));
	http_fields_free(&f);
	buf_free(&b);
}

/* ---- JSON ---- */

static void
test_json_valid(void **state)
{
	json_object	*o = NULL, *v;
	struct result	 err;
	const char	*in = " {\"name\": \"Caf\\u00e9\", \"n\": 3, \"list\": [1, {\"a\": null}]} \r\n";

	(void)state;
	assert_int_equal(http_parse_json(in, strlen(in), &o, &err), 0);
	assert_true(json_object_object_get_ex(o, "name", &v));
	assert_string_equal(json_object_get_string(v), "Caf\xc3\xa9");
	json_object_put(o);
}

static void
test_json_malformed(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "", "empty" },
		{ "   ", "empty" },
		{ "[1,2]", "must be an object" },
		{ "\"s\"", "must be an object" },
		{ "{\"a\":1} x", "JSON body" },
		{ "{\"a\":1}{}", "JSON body" },
		{ "{'a':1}", "JSON body" },
		{ "{\"a\":1,}", "JSON body" },
		{ "{\"a\":01}", "JSON body" },
		{ "{\"a\":\"\xff\"}", "UTF-8" },
		{ "{\"a\":\"\\u0000\"}", "unexpected character" },
		{ "{\"a\\u0000\":1}", "unexpected character" },
		{ "{\"a\":", "ends early" },
		{ "{\"a\":NaN}", "JSON body" },
		/* Lone UTF-16 surrogates are not characters (RFC 8259 section 8.2). */
		{ "{\"a\":\"\\ud800x\"}", "unexpected character" },
		{ "{\"a\":\"\\udc00\"}", "unexpected character" },
		{ "{\"a\":\"\\ud800\\u0041\"}", "unexpected character" },
		/* A name twice in one object, at any depth. */
		{ "{\"name\":\"A\",\"name\":\"B\"}", "appears twice" },
		{ "{\"x\":[{\"k\":1,\"k\":2}]}", "appears twice" },
		{ "{\"x\":{\"a\":1},\"y\":{\"b\":\":\",\"b\":2}}", "appears twice" },
	};
	json_object	*o;
	struct result	 err;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		o = NULL;
		result_clear(&err);
		if (http_parse_json(cases[i].in, strlen(cases[i].in), &o, &err) != -1)
			fail_msg("case %zu (%s) parsed", i, cases[i].in);
		assert_null(o);
		if (strstr(err.message, cases[i].want) == NULL)
			fail_msg("case %zu: error '%s' lacks '%s'", i, err, cases[i].want);
	}
	/* A surrogate pair is one character, and equal names in different objects are fine. */
	o = NULL;
	{
		const char *pair = "{\"a\":\"\\ud83d\\ude00\",\"b\":{\"a\":1},\"c\":[{\"a\":2},{\"a\":3}]}";

		if (http_parse_json(pair, strlen(pair), &o, &err) != 0)
			fail_msg("pair refused: %s", err.message);
	}
	{
		json_object *v;

		assert_true(json_object_object_get_ex(o, "a", &v));
		assert_string_equal(json_object_get_string(v), "\xf0\x9f\x98\x80");
	}
	json_object_put(o);
	/* An embedded NUL byte (not an escape) is refused too. */
	assert_int_equal(http_parse_json("{\"a\":\"x\0\"}", 10, &o, &err), -1);
	assert_non_null(strstr(err.message, "NUL"));
}

static void
test_json_depth(void **state)
{
	struct buf	 b;
	json_object	*o = NULL;
	struct result	 err;
	int		 i;

	(void)state;
	buf_init(&b);
	buf_putc(&b, '{');
	buf_puts(&b, "\"a\":");
	for (i = 0; i < 10; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 10; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	assert_int_equal(http_parse_json(b.data, b.len, &o, &err), 0);
	json_object_put(o);

	buf_reset(&b);
	buf_puts(&b, "{\"a\":");
	for (i = 0; i < 100; i++)
		buf_putc(&b, '[');
	for (i = 0; i < 100; i++)
		buf_putc(&b, ']');
	buf_putc(&b, '}');
	o = NULL;
	assert_int_equal(http_parse_json(b.data, b.len, &o, &err), -1);
	assert_null(o);
	assert_non_null(strstr(err.message, "nesting too deep"));
	buf_free(&b);
}

/* ---- request from CGI parameters ---- */

static void
test_params_path_and_headers(void **state)
{
	static const char *const kv[] = {
		"REQUEST_METHOD", "POST",
		"SCRIPT_NAME", "/app",
		"PATH_INFO", "/customers/12",
		"QUERY_STRING", "tab=tasks&x=%C3%A9",
		"CONTENT_TYPE", "application/x-www-form-urlencoded",
		"CONTENT_LENGTH", "17",
		"HTTP_HOST", "fm.example.com:8443",
		"HTTPS", "on",
		"HTTP_ORIGIN", "https://fm.example.com:8443",
		"HTTP_REMOTE_USER", "mallory",
		"REMOTE_ADDR", "10.0.0.1",
		NULL
	};
	struct http_request	 req;
	struct result		 err;

	(void)state;
	assert_int_equal(webreq_from_params(&req, kv, "/app", &err), 0);
	assert_int_equal(req.method, HTTP_METHOD_POST);
	assert_string_equal(req.base, "/app");
	assert_string_equal(req.path, "/customers/12");
	assert_string_equal(http_query_get(&req, "tab"), "tasks");
	assert_string_equal(http_query_get(&req, "x"), "\xc3\xa9");
	assert_int_equal(req.content_length, 17);
	assert_string_equal(req.scheme, "https");
	assert_string_equal(req.host, "fm.example.com:8443");
	/* the identity header a client can send is never the identity */
	assert_null(req.remote_user);
	http_request_free(&req);
}

static void
test_params_paths(void **state)
{
	static const struct {
		const char	*script, *info, *uri, *base, *want;
	} cases[] = {
		{ "/healthz", NULL, NULL, "", "/healthz" },		/* nginx, whole site */
		{ "", "/healthz", NULL, "", "/healthz" },		/* Apache ScriptAlias / */
		{ "/cgi-bin/fts.cgi", "/x/1", NULL, "/cgi-bin/fts.cgi", "/x/1" },
		{ "/cgi-bin/fts.cgi", NULL, NULL, "/cgi-bin/fts.cgi", "/" },
		{ "/cgi-bin/fts.cgi", NULL, NULL, "/cgi-bin/fts.cgi/", "/" },
		{ NULL, NULL, "/a%20b/c?q=1", NULL, "/a b/c" },
		{ NULL, NULL, NULL, NULL, "/" },
		{ "/appx/y", NULL, NULL, "/app", "/appx/y" },		/* not under the base */
	};
	struct http_request	 req;
	struct result		 err;
	const char		*kv[9];
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		k = 0;
		if (cases[i].script) { kv[k++] = "SCRIPT_NAME"; kv[k++] = cases[i].script; }
		if (cases[i].info) { kv[k++] = "PATH_INFO"; kv[k++] = cases[i].info; }
		if (cases[i].uri) { kv[k++] = "REQUEST_URI"; kv[k++] = cases[i].uri; }
		kv[k] = NULL;
		assert_int_equal(webreq_from_params(&req, kv, cases[i].base, &err), 0);
		if (strcmp(req.path, cases[i].want) != 0)
			fail_msg("case %zu: path '%s', want '%s'", i, req.path, cases[i].want);
		assert_int_equal(req.method, HTTP_METHOD_GET);
		http_request_free(&req);
	}
}

static void
test_params_bad(void **state)
{
	static const char *const bad_len[] = { "SCRIPT_NAME", "/x", "CONTENT_LENGTH", "12abc", NULL };
	static const char *const neg_len[] = { "SCRIPT_NAME", "/x", "CONTENT_LENGTH", "-1", NULL };
	static const char *const bad_path[] = { "PATH_INFO", "/x\xff", NULL };
	static const char *const rel_path[] = { "PATH_INFO", "x", NULL };
	static const char *const bad_query[] = { "PATH_INFO", "/x", "QUERY_STRING", "a=%ZZ", NULL };
	static const char *const bad_uri[] = { "REQUEST_URI", "/a%2", NULL };
	static const char *const *cases[] = { bad_len, neg_len, bad_path, rel_path, bad_query, bad_uri };
	struct http_request	 req;
	struct result		 err;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		result_clear(&err);
		if (webreq_from_params(&req, cases[i], "", &err) != -1)
			fail_msg("case %zu accepted", i);
		assert_true(err.message[0] != '\0');
		http_request_free(&req);
	}
}

/* ---- body reading ---- */

/* How many reads a body_limits row expects. */
enum body_reads {
	BODY_READS_ANY,
	BODY_READS_NONE,	/* refused before reading anything */
	BODY_READS_SOME,
};

static void
test_body_limits(void **state)
{
	static const char	 data[] = "0123456789abcdef";
	static const struct {
		const char	*what;
		long long	 content_length;	/* -1: none sent */
		size_t		 chunk;
		int		 fail_at;
		size_t		 limit;
		int		 status;		/* 0: read, else the refusal's */
		enum body_reads	 reads;
		const char	*body;			/* what was read */
		const char	*says;			/* in the refusal */
	} rows[] = {
		{ .what = "over the limit by Content-Length", .content_length = 17, .limit = 16,
		  .status = 413, .reads = BODY_READS_NONE },
		{ .what = "no length: the limit is enforced while reading", .content_length = -1,
		  .chunk = 3, .limit = 10, .status = 413, .reads = BODY_READS_SOME },
		{ .what = "no length, under the limit: read to the end", .content_length = -1,
		  .chunk = 5, .limit = 16, .body = data },
		{ .what = "length says more than arrives", .content_length = 20, .limit = 100,
		  .status = 400, .says = "16 of 20" },
		{ .what = "only Content-Length bytes are taken", .content_length = 4, .limit = 100,
		  .body = "0123" },
		{ .what = "a read error", .content_length = 16, .fail_at = 1, .limit = 100, .status = 400 },
	};
	struct http_request	 req;
	struct webreq_body	 rd;
	struct result		 err;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		http_request_init(&req);
		req.content_length = rows[i].content_length;
		memset(&rd, 0, sizeof(rd));
		rd.data = data;
		rd.len = 16;
		rd.chunk = rows[i].chunk;
		rd.fail_at = rows[i].fail_at;
		result_clear(&err);
		rc = http_request_read_body(&req, webreq_read, &rd, rows[i].limit, &err);
		if (rows[i].status == 0 && (rc != 0 || req.body_len != strlen(rows[i].body) ||
		    memcmp(req.body, rows[i].body, req.body_len) != 0))
			fail_msg("%s: rc %d, %zu bytes read (%s)", rows[i].what, rc, req.body_len, err.message);
		if (rows[i].status != 0 && (rc != -1 || http_request_status(&err) != rows[i].status ||
		    req.body != NULL))
			fail_msg("%s: rc %d, status %d, want %d", rows[i].what, rc,
			    http_request_status(&err), rows[i].status);
		if (rows[i].says != NULL && strstr(err.message, rows[i].says) == NULL)
			fail_msg("%s: \"%s\" lacks \"%s\"", rows[i].what, err.message, rows[i].says);
		if ((rows[i].reads == BODY_READS_NONE && rd.calls != 0) ||
		    (rows[i].reads == BODY_READS_SOME && rd.calls == 0))
			fail_msg("%s: %d reads", rows[i].what, rd.calls);
		http_request_free(&req);
	}
}

/* A POST of body (NULL: none) with content type ctype (NULL: none) through http_request_parse_body. */
static int
parse_post(struct http_request *req, const char *body, const char *ctype, struct result *err)
{
	http_request_init(req);
	req->method = HTTP_METHOD_POST;
	if (body != NULL) {
		req->body = strdup(body);
		assert_non_null(req->body);
		req->body_len = strlen(body);
	}
	if (ctype != NULL) {
		req->content_type = strdup(ctype);
		assert_non_null(req->content_type);
	}
	return http_request_parse_body(req, err);
}

static void
test_body_parse_by_type(void **state)
{
	static const struct {
		const char	*body, *ctype;
		int		 status;	/* 0: parsed, else http_request_status */
	} refused[] = {
		{ .body = "hello", .ctype = "text/plain", .status = 415 },
		{ .body = "hello", .ctype = NULL, .status = 415 },
		{ .body = NULL, .ctype = "application/json", .status = 400 },
		{ .body = "a=%zz", .ctype = "application/x-www-form-urlencoded", .status = 400 },
	};
	struct http_request	 req;
	struct result		 err;
	size_t			 i;

	(void)state;
	assert_int_equal(parse_post(&req, "a=1&csrf=x",
	    "application/x-www-form-urlencoded; charset=UTF-8", &err), 0);
	assert_string_equal(http_fields_get(&req.body_fields, "a")->value, "1");
	http_request_free(&req);

	assert_int_equal(parse_post(&req, "{\"a\":1}", "Application/JSON", &err), 0);
	assert_non_null(req.json);
	http_request_free(&req);

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		if (parse_post(&req, refused[i].body, refused[i].ctype, &err) != -1)
			fail_msg("case %zu parsed", i);
		assert_int_equal(http_request_status(&err), refused[i].status);
		http_request_free(&req);
	}
}

/* ---- negotiation ---- */

static void
test_wants_json(void **state)
{
	static const struct {
		const char	*path, *accept;
		int		 want;
	} cases[] = {
		{ "/api/customers", NULL, 1 },
		{ "/api", "text/html", 1 },
		{ "/apix", NULL, 0 },
		{ "/customers", NULL, 0 },
		{ "/customers", "*/*", 0 },
		{ "/customers", "application/json", 1 },
		{ "/customers", "application/json, text/html", 1 },
		{ "/customers", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 0 },
		{ "/customers", "text/html;q=0.5, application/json", 1 },
		{ "/customers", "application/json;q=0.5, text/html", 0 },
		{ "/customers", "application/json;q=0, */*", 0 },
		{ "/customers", "application/json, */*;q=0.1", 1 },
		{ "/customers", "text/*;q=0.3, application/json;q=0.4", 1 },
	};
	struct http_request	 req;
	char			 path[64], accept[160];	/* the request's members are char * */
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		http_request_init(&req);
		assert_true(strlen(cases[i].path) < sizeof(path));
		memcpy(path, cases[i].path, strlen(cases[i].path) + 1);
		req.path = path;
		if (cases[i].accept != NULL) {
			assert_true(strlen(cases[i].accept) < sizeof(accept));
			memcpy(accept, cases[i].accept, strlen(cases[i].accept) + 1);
			req.accept = accept;
		}
		if (http_wants_json(&req) != cases[i].want)
			fail_msg("case %zu (%s, %s) want %d", i, cases[i].path,
			    cases[i].accept ? cases[i].accept : "-", cases[i].want);
	}
}

/* ---- responses ---- */

static void
assert_security_headers(const char *out)
{
	assert_non_null(strstr(out, "\r\nContent-Security-Policy: default-src 'self'; script-src 'self'; "
	    "style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
	    "base-uri 'none'\r\n"));
	assert_non_null(strstr(out, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(out, "\r\nReferrer-Policy: same-origin\r\n"));
	assert_non_null(strstr(out, "\r\nX-Frame-Options: DENY\r\n"));
}

static void
test_error_response_headers(void **state)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct buf		 out;

	(void)state;
	http_request_init(&req);
	req.path = strdup("/missing");
	req.method = HTTP_METHOD_GET;
	http_response_init(&resp);
	buf_init(&out);
	/* no template set: the built-in page, message escaped */
	http_error(&resp, &req, NULL, 404, "No <b>such</b> page");
	assert_int_equal(http_response_serialize(&req, &resp, &out), 0);
	assert_true(strncmp(out.data, "Status: 404 Not Found\r\n", 23) == 0);
	assert_security_headers(out.data);
	assert_non_null(strstr(out.data, "\r\nCache-Control: no-store\r\n"));
	assert_non_null(strstr(out.data, "Content-Type: text/html; charset=utf-8\r\n"));
	assert_non_null(strstr(out.data, "No &lt;b&gt;such&lt;/b&gt; page"));
	assert_null(strstr(out.data, "<b>"));

	/* the same error as JSON under /api/ */
	free(req.path);
	req.path = strdup("/api/missing");
	http_response_reset(&resp);
	buf_reset(&out);
	http_error(&resp, &req, NULL, 404, "No such customer");
	http_response_serialize(&req, &resp, &out);
	assert_security_headers(out.data);
	assert_non_null(strstr(out.data, "\r\n\r\n{\"error\":\"No such customer\"}\n"));

	/* HEAD: headers with the length, no body */
	req.method = HTTP_METHOD_HEAD;
	buf_reset(&out);
	http_response_serialize(&req, &resp, &out);
	assert_non_null(strstr(out.data, "Content-Length: 29\r\n"));	/* {"error":"No such customer"}\n */
	assert_true(out.len >= 4 && memcmp(out.data + out.len - 4, "\r\n\r\n", 4) == 0);

	/* a response nobody answered is a 500, still with the headers */
	http_response_reset(&resp);
	buf_reset(&out);
	req.method = HTTP_METHOD_GET;
	http_response_serialize(&req, &resp, &out);
	assert_true(strncmp(out.data, "Status: 500 ", 12) == 0);
	assert_security_headers(out.data);

	buf_free(&out);
	http_response_free(&resp);
	http_request_free(&req);
}

static void
test_json_helpers(void **state)
{
	struct http_request	 req;
	struct http_response	 resp;
	json_object		*fields;
	struct buf		 out;

	(void)state;
	http_request_init(&req);
	req.path = strdup("/api/x");
	req.base = strdup("/app");
	http_response_init(&resp);
	fields = json_object_new_object();
	json_object_object_add(fields, "held_on", json_object_new_string("Must be a date"));
	http_json_error(&resp, 422, "invalid input", fields);
	json_object_put(fields);
	assert_int_equal(resp.status, 422);
	assert_string_equal(resp.content_type, "application/json");
	assert_string_equal(resp.body.data,
	    "{\"error\":\"invalid input\",\"fields\":{\"held_on\":\"Must be a date\"}}\n");

	http_response_reset(&resp);
	http_redirect(&resp, &req, "/customers/3");
	assert_int_equal(resp.status, 303);
	assert_string_equal(resp.headers.data, "Location: /app/customers/3\r\n");

	http_response_reset(&resp);
	fields = json_object_new_object();
	json_object_object_add(fields, "url", json_object_new_string("/a/b"));
	http_created(&resp, &req, "/api/customers/4", fields);
	json_object_put(fields);
	assert_int_equal(resp.status, 201);
	assert_string_equal(resp.body.data, "{\"url\":\"/a/b\"}\n");	/* no \/ escaping */
	buf_init(&out);
	http_response_serialize(&req, &resp, &out);
	assert_non_null(strstr(out.data, "\r\nLocation: /app/api/customers/4\r\n"));
	buf_free(&out);

	/* header injection is refused */
	assert_int_equal(http_header_add(&resp, "X-A", "v\r\nSet-Cookie: x=1"), -1);
	assert_int_equal(http_header_add(&resp, "X A", "v"), -1);
	assert_int_equal(http_header_add(&resp, "X-A", "v"), 0);
	http_response_free(&resp);
	http_request_free(&req);
}

/*
 * A failed store/playbook call answered by pages_fail, the program's one
 * result-to-HTTP mapping: each result code's status, the JSON error with
 * the field named, and a storage failure's fixed message with Retry-After.
 * No form and no customer, so the app's templates are never needed.
 */
static void
fail_as(struct http_response *resp, const char *path, enum result_code code,
    const char *field, const char *message)
{
	struct app		 app;
	struct http_request	 req;
	struct result	 r;

	memset(&app, 0, sizeof(app));
	http_request_init(&req);
	req.path = strdup(path);
	assert_non_null(req.path);
	http_response_reset(resp);
	result_set(&r, code, field, "%s", message);
	pages_fail(&app, &req, resp, &r, NULL, NULL, 0);
	http_request_free(&req);
}

static void
test_result_errors(void **state)
{
	static const struct {
		enum result_code	 code;
		int			 status;
	} want[] = {
		{ .code = RESULT_NOTFOUND, .status = 404 },
		{ .code = RESULT_CONFLICT, .status = 409 },
		{ .code = RESULT_INVALID, .status = 422 },
		{ .code = RESULT_BUSY, .status = 503 },
		{ .code = RESULT_IO, .status = 500 },
		{ .code = RESULT_STORAGE, .status = 503 },	/* full, read-only: retry later */
	};
	struct http_response	 resp;
	size_t			 i;

	(void)state;
	http_response_init(&resp);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		fail_as(&resp, "/api/customers/1", want[i].code, NULL, "refused");
		assert_int_equal(resp.status, want[i].status);
		fail_as(&resp, "/customers/1", want[i].code, NULL, "refused");
		assert_int_equal(resp.status, want[i].status);
	}

	fail_as(&resp, "/api/customers/1/tasks", RESULT_INVALID, "ftop_id",
	    "task 9999 is not in the catalog");
	assert_int_equal(resp.status, 422);
	assert_string_equal(resp.body.data, "{\"error\":\"task 9999 is not in the catalog\","
	    "\"fields\":{\"ftop_id\":\"task 9999 is not in the catalog\"}}\n");

	/* the store's words name the file: a storage failure says what to do instead */
	fail_as(&resp, "/api/customers/1", RESULT_STORAGE, NULL,
	    "sqlite: database or disk is full on /var/lib/ftsuccess/db");
	assert_int_equal(resp.status, 503);
	assert_null(strstr(resp.body.data, "/var/lib"));
	assert_non_null(strstr(resp.body.data, HTTP_MSG_STORAGE));
	assert_non_null(strstr(buf_cstr(&resp.headers), "Retry-After: 30\r\n"));
	http_response_free(&resp);
}

static void
test_methods(void **state)
{
	(void)state;
	assert_int_equal(http_method_parse("GET"), HTTP_METHOD_GET);
	assert_int_equal(http_method_parse("DELETE"), HTTP_METHOD_DELETE);
	assert_int_equal(http_method_parse("get"), HTTP_METHOD_OTHER);
	assert_int_equal(http_method_parse("TRACE"), HTTP_METHOD_OTHER);
	assert_int_equal(http_method_parse(NULL), HTTP_METHOD_OTHER);
	assert_true(http_method_unsafe(HTTP_METHOD_PATCH));
	assert_false(http_method_unsafe(HTTP_METHOD_HEAD));
	assert_string_equal(http_status_reason(413), "Content Too Large");
}

/* webreq_user_request (webreq.c), the request every page test sends: what the router will see. */
static void
test_webreq_user_request(void **state)
{
	struct http_request	 req;
	struct result		 err;
	char			 long_path[600];

	(void)state;
	assert_int_equal(webreq_user_request(&req, "POST", "/customers/1?done=x&y=2", "text/csv", 12, &err), 0);
	assert_string_equal(req.path, "/customers/1");
	assert_string_equal(req.query, "done=x&y=2");
	assert_string_equal(req.remote_user, "fm.ana");
	assert_string_equal(req.origin, "https://fm.example.com");
	assert_string_equal(req.content_type, "text/csv");
	assert_int_equal(req.content_length, 12);
	http_request_free(&req);
	assert_int_equal(webreq_user_request(&req, "GET", "/", NULL, 0, &err), 0);
	assert_string_equal(req.query, "");
	assert_null(req.content_type);
	assert_int_equal(req.content_length, -1);
	http_request_free(&req);
	/* A path the helper cannot hold is refused, not cut. */
	memset(long_path, 'a', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	result_clear(&err);
	assert_int_equal(webreq_user_request(&req, "GET", long_path, NULL, 0, &err), -1);
	assert_non_null(strstr(err.message, "over 511 bytes"));
}

UNIT_MAIN("http",
	cmocka_unit_test(test_webreq_user_request),
	cmocka_unit_test(test_urlencoded_basic),
	cmocka_unit_test(test_urlencoded_malformed),
	cmocka_unit_test(test_urlencoded_too_many),
	cmocka_unit_test(test_multipart_fields_and_file),
	cmocka_unit_test(test_multipart_quoted_boundary_and_preamble),
	cmocka_unit_test(test_multipart_malformed),
	cmocka_unit_test(test_multipart_bounds),
	cmocka_unit_test(test_json_valid),
	cmocka_unit_test(test_json_malformed),
	cmocka_unit_test(test_json_depth),
	cmocka_unit_test(test_params_path_and_headers),
	cmocka_unit_test(test_params_paths),
	cmocka_unit_test(test_params_bad),
	cmocka_unit_test(test_body_limits),
	cmocka_unit_test(test_body_parse_by_type),
	cmocka_unit_test(test_wants_json),
	cmocka_unit_test(test_error_response_headers),
	cmocka_unit_test(test_json_helpers),
	cmocka_unit_test(test_result_errors),
	cmocka_unit_test(test_methods),
)
