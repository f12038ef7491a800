/* http.c -- one request from CGI parameters: path, query, headers, the body read and dispatched by type, negotiation. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http.h"
#include "result.h"
#include "text.h"

/* Copy an optional parameter; *dst stays NULL when absent.  -1 when out of memory. */
static int
http_copy_param(char **dst, const char *value)
{
	*dst = NULL;
	if (value == NULL)
		return 0;
	*dst = strdup(value);
	return *dst == NULL ? -1 : 0;
}

const char *
http_query_get(const struct http_request *req, const char *name)
{
	const struct http_field	*f;

	f = http_fields_get(&req->query_fields, name);
	return f == NULL ? NULL : f->value;
}

/* ---- request ---- */

void
http_request_init(struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	req->content_length = -1;
}

void
http_request_free(struct http_request *req)
{
	free(req->method_name);
	free(req->base);
	free(req->path);
	free(req->query);
	free(req->content_type);
	free(req->accept);
	free(req->accept_language);
	free(req->origin);
	free(req->sec_fetch_site);
	free(req->host);
	free(req->scheme);
	free(req->remote_user);
	free(req->cookie);
	free(req->remote_addr);
	http_fields_free(&req->query_fields);
	http_fields_free(&req->body_fields);
	json_object_put(req->json);
	free(req->body);
	http_request_init(req);
}

enum http_method
http_method_parse(const char *name)
{
	enum http_method	 m;

	if (name == NULL)
		return HTTP_METHOD_OTHER;
	for (m = 0; m < HTTP_METHOD_OTHER; m++)
		if (strcmp(name, http_method_name(m)) == 0)
			return m;
	return HTTP_METHOD_OTHER;
}

const char *
http_method_name(enum http_method m)
{
	static const char *const names[HTTP_METHOD__MAX] = {
		"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"
	};

	return (unsigned)m < HTTP_METHOD__MAX ? names[m] : "OTHER";
}

int
http_method_unsafe(enum http_method m)
{
	return m == HTTP_METHOD_POST || m == HTTP_METHOD_PUT ||
	    m == HTTP_METHOD_PATCH || m == HTTP_METHOD_DELETE;
}

/* The value of an optional parameter, "" when absent. */
static const char *
http_get0(http_param_fn get, void *arg, const char *name)
{
	const char	*v = get(arg, name);

	return v == NULL ? "" : v;
}

/*
 * req->base and req->path from SCRIPT_NAME + PATH_INFO (or REQUEST_URI's
 * path) with the mount point base removed.  0, or -1 with r.
 */
static int
http_request_path(struct http_request *req, http_param_fn get, void *arg,
    const char *base, struct result *r)
{
	const char	*uri, *q, *v;
	struct buf	 path;
	char		*decoded;
	size_t		 blen, dlen;

	buf_init(&path);
	buf_puts(&path, http_get0(get, arg, "SCRIPT_NAME"));
	buf_puts(&path, http_get0(get, arg, "PATH_INFO"));
	if (path.len == 0 && (uri = get(arg, "REQUEST_URI")) != NULL) {
		/* REQUEST_URI is still percent-encoded; the CGI variables are not. */
		q = strchr(uri, '?');
		decoded = http_urldecode(uri, q != NULL ? (size_t)(q - uri) : strlen(uri), 0,
		    &dlen, r);
		if (decoded == NULL) {
			buf_free(&path);
			return result_set(r, RESULT_INVALID, HTTP_FIELD_PATH,
			    "request path has a bad percent-escape");
		}
		buf_append(&path, decoded, dlen);
		free(decoded);
	}
	if (path.failed) {
		buf_free(&path);
		return result_set(r, RESULT_IO, NULL, "out of memory");
	}
	if (!http_text_ok(buf_cstr(&path), path.len)) {
		buf_free(&path);
		return result_set(r, RESULT_INVALID, HTTP_FIELD_PATH,
		    "request path is not valid UTF-8 text");
	}

	/* Strip the mount point (the path of base_url) so routes see "/customers/1". */
	if (base == NULL)
		base = "";
	blen = strlen(base);
	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	v = buf_cstr(&path);
	if (blen > 0 && path.len >= blen && memcmp(v, base, blen) == 0 &&
	    (v[blen] == '/' || v[blen] == '\0'))
		v += blen;
	else
		blen = 0;
	req->base = http_strdup_n(base, blen);
	if (*v == '\0')
		v = "/";
	if (*v != '/') {
		buf_free(&path);
		return result_set(r, RESULT_INVALID, HTTP_FIELD_PATH,
		    "request path does not start with '/'");
	}
	req->path = strdup(v);
	buf_free(&path);
	if (req->base == NULL || req->path == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	return 0;
}

/* req->host: the Host header, else SERVER_NAME[:SERVER_PORT]; NULL when neither.  -1 when out of memory. */
static int
http_request_host(struct http_request *req, http_param_fn get, void *arg)
{
	const char	*v, *port;
	struct buf	 h;

	v = get(arg, "HTTP_HOST");
	if (v != NULL && *v != '\0')
		return http_copy_param(&req->host, v);
	v = get(arg, "SERVER_NAME");
	if (v == NULL || *v == '\0')
		return 0;
	port = http_get0(get, arg, "SERVER_PORT");
	buf_init(&h);
	buf_puts(&h, v);
	if (*port != '\0' && strcmp(port, "80") != 0 && strcmp(port, "443") != 0)
		buf_printf(&h, ":%s", port);
	if (h.failed) {
		buf_free(&h);
		return -1;
	}
	req->host = buf_detach(&h);
	return 0;
}

/* The headers used here, the identity and the scheme.  0, or -1 with r. */
static int
http_request_headers(struct http_request *req, http_param_fn get, void *arg,
    struct result *r)
{
	const char	*v, *q;
	long long	 cl;

	v = get(arg, "CONTENT_TYPE");
	if (v != NULL && *v != '\0' && http_copy_param(&req->content_type, v) == -1)
		goto nomem;
	v = get(arg, "CONTENT_LENGTH");
	if (v != NULL && *v != '\0') {
		if (text_int_parse(v, 0, (long long)INT64_MAX, &cl) == -1 || !isdigit((unsigned char)*v))
			return result_set(r, RESULT_INVALID, HTTP_FIELD_LENGTH,
			    "Content-Length is not a number: %.32s", v);
		req->content_length = cl;
	}
	if (http_copy_param(&req->accept, get(arg, "HTTP_ACCEPT")) == -1 ||
	    http_copy_param(&req->accept_language, get(arg, "HTTP_ACCEPT_LANGUAGE")) == -1 ||
	    http_copy_param(&req->origin, get(arg, "HTTP_ORIGIN")) == -1 ||
	    http_copy_param(&req->sec_fetch_site, get(arg, "HTTP_SEC_FETCH_SITE")) == -1 ||
	    http_copy_param(&req->remote_addr, get(arg, "REMOTE_ADDR")) == -1 ||
	    http_copy_param(&req->cookie, get(arg, "HTTP_COOKIE")) == -1)
		goto nomem;
	/* Identity only from the server's REMOTE_USER, never the HTTP_REMOTE_USER header. */
	v = get(arg, "REMOTE_USER");
	if (v != NULL && *v != '\0' && http_copy_param(&req->remote_user, v) == -1)
		goto nomem;
	if (http_request_host(req, get, arg) == -1)
		goto nomem;
	v = get(arg, "HTTPS");
	q = get(arg, "REQUEST_SCHEME");
	if ((v != NULL && (strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)) ||
	    (q != NULL && strcasecmp(q, "https") == 0))
		req->scheme = strdup("https");
	else
		req->scheme = strdup("http");
	if (req->scheme == NULL)
		goto nomem;
	return 0;
nomem:
	return result_set(r, RESULT_IO, NULL, "out of memory");
}

int
http_request_from_params(struct http_request *req, http_param_fn get, void *arg,
    const char *base, struct result *r)
{
	const char	*method;
	struct result	 why;

	method = get(arg, "REQUEST_METHOD");
	if (method == NULL || *method == '\0')
		method = "GET";		/* a script running us as CGI without a method */
	if (http_copy_param(&req->method_name, method) == -1)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	req->method = http_method_parse(method);
	if (http_request_path(req, get, arg, base, r) == -1)
		return -1;
	if (http_copy_param(&req->query, http_get0(get, arg, "QUERY_STRING")) == -1)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	if (http_parse_urlencoded(req->query, strlen(req->query), &req->query_fields,
	    &why) == -1)
		return result_set(r, why.code, HTTP_FIELD_QUERY, "query string: %s", why.message);
	return http_request_headers(req, get, arg, r);
}

int
http_request_read_body(struct http_request *req, http_read_fn rd, void *arg,
    size_t max, struct result *r)
{
	struct buf	 b;
	char		 chunk[8192];
	size_t		 want;
	long		 n;

	if (req->content_length > 0 && (unsigned long long)req->content_length > max) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_SIZE, "request body of %lld bytes is over the limit of %zu",
		    req->content_length, max);
		return -1;
	}
	if (rd == NULL || req->content_length == 0)
		return 0;

	buf_init(&b);
	for (;;) {
		want = sizeof(chunk);
		if (req->content_length >= 0 &&
		    (unsigned long long)req->content_length - b.len < want)
			want = (size_t)req->content_length - b.len;
		if (want == 0)
			break;
		n = rd(arg, chunk, want);
		if (n < 0) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "reading the request body failed after %zu bytes", b.len);
			buf_free(&b);
			return -1;
		}
		if (n == 0)
			break;
		/* Enforced while reading too: a body without a length may be endless. */
		if (b.len + (size_t)n > max) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_SIZE, "request body is over the limit of %zu bytes", max);
			buf_free(&b);
			return -1;
		}
		if (buf_append(&b, chunk, (size_t)n) == -1) {
			result_set(r, RESULT_IO, NULL, "out of memory reading the request body");
			buf_free(&b);
			return -1;
		}
	}
	if (req->content_length >= 0 && b.len != (size_t)req->content_length) {
		result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "request body ended after %zu of %lld bytes",
		    b.len, req->content_length);
		buf_free(&b);
		return -1;
	}
	req->body_len = b.len;
	req->body = b.len > 0 ? buf_detach(&b) : NULL;
	buf_free(&b);
	return 0;
}

int
http_request_parse_body(struct http_request *req, struct result *r)
{
	const char	*ct = req->content_type;

	if (req->body == NULL || req->body_len == 0) {
		/* An empty JSON body is still malformed: the API always sends an object. */
		if (http_media_is(ct, "application/json") && http_method_unsafe(req->method))
			return result_set(r, RESULT_INVALID, HTTP_FIELD_BODY, "JSON body is empty");
		return 0;
	}
	/* Each parser refuses with its own message; the result is theirs. */
	if (http_media_is(ct, "application/x-www-form-urlencoded"))
		return http_parse_urlencoded(req->body, req->body_len, &req->body_fields, r);
	if (http_media_is(ct, "multipart/form-data"))
		return http_parse_multipart(req->body, req->body_len, ct, &req->body_fields, r);
	if (http_media_is(ct, "application/json"))
		return http_parse_json(req->body, req->body_len, &req->json, r);
	return result_set(r, RESULT_INVALID, HTTP_FIELD_TYPE, "unsupported Content-Type: %.64s",
	    ct == NULL ? "(none)" : ct);
}

int
http_request_status(const struct result *r)
{
	if (r->code == RESULT_IO)
		return 500;
	if (strcmp(r->field, HTTP_FIELD_SIZE) == 0)
		return 413;
	if (strcmp(r->field, HTTP_FIELD_TYPE) == 0)
		return 415;
	return 400;
}

/* ---- negotiation ---- */

/* q of media range (RFC 9110 section 12.5.1) in one Accept element, 1.0 when not given. */
static double
http_accept_q(const char *elem, size_t len)
{
	const char	*p = elem, *end = elem + len;
	double		 q = 1.0;
	char		 num[8];
	size_t		 n;

	while ((p = memchr(p, ';', (size_t)(end - p))) != NULL) {
		p++;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p >= 2 && (p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
			p += 2;
			for (n = 0; n + 1 < sizeof(num) && p < end && (isdigit((unsigned char)*p) || *p == '.'); p++)
				num[n++] = *p;
			num[n] = '\0';
			q = n > 0 ? strtod(num, NULL) : 0.0;
			if (q < 0 || q > 1)
				q = 0;
		}
	}
	return q;
}

int
http_wants_json(const struct http_request *req)
{
	const char	*p, *e, *end;
	double		 q, q_json = 0, q_html = -1, q_text = -1, q_any = -1;
	size_t		 tl;

	if (req->path != NULL && (strcmp(req->path, "/api") == 0 || strncmp(req->path, "/api/", 5) == 0))
		return 1;
	if (req->accept == NULL)
		return 0;
	p = req->accept;
	end = p + strlen(p);
	while (p < end) {
		e = memchr(p, ',', (size_t)(end - p));
		if (e == NULL)
			e = end;
		while (p < e && (*p == ' ' || *p == '\t'))
			p++;
		for (tl = 0; p + tl < e && p[tl] != ';' && p[tl] != ' ' && p[tl] != '\t'; tl++)
			;
		q = http_accept_q(p, (size_t)(e - p));
		if (tl == 16 && strncasecmp(p, "application/json", 16) == 0)
			q_json = q;
		else if (tl == 9 && strncasecmp(p, "text/html", 9) == 0)
			q_html = q;
		else if (tl == 6 && strncasecmp(p, "text/*", 6) == 0)
			q_text = q;
		else if (tl == 3 && strncmp(p, "*/*", 3) == 0)
			q_any = q;
		p = e + 1;
	}
	/* HTML's weight comes from its most specific range (RFC 9110 section 12.5.1). */
	if (q_html < 0)
		q_html = q_text >= 0 ? q_text : (q_any >= 0 ? q_any : 0);
	return q_json > 0 && q_json >= q_html;
}
