/*
 * http.h -- one HTTP exchange as plain data, independent of FastCGI: the
 * request (CGI parameters copied in, path, query and body parsed into fields
 * or a JSON object, everything checked as valid UTF-8) and the response
 * (status, headers, body) with helpers that render a view as HTML or JSON.
 * cgi/main.c fills a request from libfcgi or the CGI environment; tests fill
 * one by hand.  Every response carries the security headers (see
 * http_response_serialize), errors included.
 */
#ifndef FTS_HTTP_H
#define FTS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"

struct mustache_set;
struct result;

#define HTTP_MAX_IDS		4	/* {id} segments in one route pattern */
#define HTTP_MAX_FIELDS		1000	/* fields in a query string or urlencoded body */
#define HTTP_MAX_PARTS		64	/* parts in a multipart/form-data body */
#define HTTP_MAX_PART_HEADER	4096	/* bytes of one part's header block */
#define HTTP_JSON_DEPTH		16	/* nesting of a JSON body */
#define HTTP_ERR_SIZE		256	/* size of the err buffers below */
/* What a 503 says when the storage refuses writes (RESULT_STORAGE). */
#define HTTP_MSG_STORAGE	"The database cannot save changes right now: its disk is " \
	"full, read-only or failing. Nothing was changed; try again later."

enum http_method {
	HTTP_METHOD_GET,
	HTTP_METHOD_HEAD,
	HTTP_METHOD_POST,
	HTTP_METHOD_PUT,
	HTTP_METHOD_PATCH,
	HTTP_METHOD_DELETE,
	HTTP_METHOD_OTHER,	/* anything else: never matches a route (405) */
	HTTP_METHOD__MAX
};

/* One name=value from a query string, urlencoded body or multipart part. */
struct http_field {
	char	*name;
	char	*value;		/* NUL-terminated; a file part may hold NULs: use len */
	size_t	 len;
	char	*filename;	/* multipart file part: the base name sent, else NULL */
	char	*type;		/* multipart part Content-Type, NULL when none */
};

struct http_fields {
	struct http_field	*v;
	size_t			 n;
	size_t			 cap;
};

struct http_request {
	enum http_method method;
	char		*method_name;	/* as sent ("GET") */
	char		*base;		/* path prefix the application is mounted at, "" at the root */
	char		*path;		/* path below base, starts with '/', decoded, valid UTF-8 */
	char		*query;		/* raw QUERY_STRING, "" when none */
	char		*content_type;	/* NULL when absent */
	long long	 content_length; /* -1 when absent */
	char		*accept;	/* the request headers used here; NULL when absent */
	char		*origin;
	char		*sec_fetch_site;
	char		*host;		/* Host header, else SERVER_NAME[:SERVER_PORT] */
	char		*scheme;	/* "http" or "https" */
	char		*remote_user;	/* REMOTE_USER set by the web server, never a header */
	char		*remote_addr;

	/* Filled while the request is served (router_serve). */
	const char	*user;		/* identity: REMOTE_USER, or "demo" when auth = none */
	char		 csrf_token[96]; /* CSRF_TOKEN_SIZE: token for user's forms, "" before auth */
	int64_t		 ids[HTTP_MAX_IDS]; /* {id} segments of the route, in order */
	size_t		 nids;
	const char	*rest;		/* what a trailing "*" of the pattern matched */
	struct http_fields query_fields;
	struct http_fields body_fields;	/* urlencoded or multipart body */
	json_object	*json;		/* application/json body (an object), else NULL */
	char		*body;		/* raw body, NUL-terminated; NULL when none */
	size_t		 body_len;
};

struct http_response {
	int		 status;	/* 0 until something answered */
	char		 content_type[128];
	int		 cacheable;	/* 1: leave out "Cache-Control: no-store" (static files) */
	struct buf	 headers;	/* extra "Name: value\r\n" lines */
	struct buf	 body;
};

/* A CGI/FastCGI parameter by name, NULL when absent. */
typedef const char *(*http_param_fn)(void *arg, const char *name);
/* Read up to n body bytes into buf: the count, 0 at the end, -1 on error. */
typedef long (*http_read_fn)(void *arg, char *buf, size_t n);

/* Zero req; safe to free afterwards. */
void http_request_init(struct http_request *req);
/* Free everything req owns (strings, fields, body, JSON) and zero it. */
void http_request_free(struct http_request *req);
/*
 * Copy the request line and headers from CGI parameters (RFC 3875) into req:
 * path = SCRIPT_NAME + PATH_INFO (or REQUEST_URI's path when both are empty)
 * with the prefix base (the path of base_url, may be "" or NULL) removed;
 * the query string is parsed into query_fields.  -1 with err when the request
 * is malformed (answer 400).
 */
int http_request_from_params(struct http_request *req, http_param_fn get, void *arg,
    const char *base, char *err, size_t errsz);
/*
 * Read the body through rd (NULL: no body).  With a Content-Length exactly
 * that many bytes are read; without one, up to the end of the stream.
 * Returns 0, 413 when the body is (or would be) larger than max (decided
 * from Content-Length before reading), or 400 with err on a short/failed read.
 */
int http_request_read_body(struct http_request *req, http_read_fn rd, void *arg,
    size_t max, char *err, size_t errsz);
/*
 * Parse req->body by Content-Type into body_fields or json: 0, 400 (malformed,
 * err says what) or 415 (a body of an unsupported type).  No body: 0.
 */
int http_request_parse_body(struct http_request *req, char *err, size_t errsz);

/* application/x-www-form-urlencoded (also query strings) appended to out; 0 or -1 with err. */
int http_parse_urlencoded(const char *s, size_t len, struct http_fields *out,
    char *err, size_t errsz);
/* multipart/form-data (RFC 7578) with the boundary from content_type; 0 or -1 with err. */
int http_parse_multipart(const char *body, size_t len, const char *content_type,
    struct http_fields *out, char *err, size_t errsz);
/* A JSON object (strict RFC 8259, UTF-8, depth <= HTTP_JSON_DEPTH, no \u0000); 0 or -1 with err. */
int http_parse_json(const char *body, size_t len, json_object **out, char *err, size_t errsz);
/* Free the fields and zero f. */
void http_fields_free(struct http_fields *f);
/* First field called name, or NULL. */
const struct http_field *http_fields_get(const struct http_fields *f, const char *name);
/* Value of query parameter name, or NULL. */
const char *http_query_get(const struct http_request *req, const char *name);

/* Method name to enum (case-sensitive, RFC 9110 section 9.1). */
enum http_method http_method_parse(const char *name);
/* "GET", "POST", ... for a method enum. */
const char *http_method_name(enum http_method m);
/* 1 for POST, PUT, PATCH, DELETE (methods that may change state). */
int http_method_unsafe(enum http_method m);
/* 1 when the client gets JSON: path under /api/, or Accept prefers application/json. */
int http_wants_json(const struct http_request *req);
/* Reason phrase of a status code ("Not Found"); "Unknown" for others. */
const char *http_status_reason(int status);

/* Empty response (status 0). */
void http_response_init(struct http_response *resp);
void http_response_free(struct http_response *resp);
/* Forget status, headers and body (to answer an error instead). */
void http_response_reset(struct http_response *resp);
/* Add a header line; -1 (nothing added) when name or value holds CR, LF or NUL or name is not a token. */
int http_header_add(struct http_response *resp, const char *name, const char *value);
/* Answer status with body bytes of content type (copied). */
void http_respond(struct http_response *resp, int status, const char *type,
    const void *body, size_t len);
/* Answer status with obj as compact JSON (obj borrowed). */
void http_json(struct http_response *resp, int status, json_object *obj);
/* Answer {"error": message, "fields": fields} (fields borrowed, may be NULL: left out). */
void http_json_error(struct http_response *resp, int status, const char *message,
    json_object *fields);
/*
 * Answer status with view as JSON when http_wants_json, else template name
 * rendered with view through set (HTML-escaped).  For HTML, the keys "user",
 * "csrf_token" and "base" are added to view when absent (the layout needs
 * them).  A rendering failure answers 500 and returns -1.
 */
int http_render(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *name, json_object *view);
/* Answer an error page (template "error", built-in HTML if that fails) or JSON error. */
void http_error(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *message);
/* 303 See Other to base + path (path starts with '/'). */
void http_redirect(struct http_response *resp, const struct http_request *req, const char *path);
/* 201 Created, Location base + path, body view as JSON (borrowed, may be NULL). */
void http_created(struct http_response *resp, const struct http_request *req,
    const char *path, json_object *view);
/*
 * The CGI response (RFC 3875 section 6): Status, Content-Type, Content-Length,
 * the security headers (CSP, nosniff, Referrer-Policy, X-Frame-Options),
 * Cache-Control: no-store unless cacheable, the extra headers, a blank line
 * and the body (left out for HEAD).  A response with status 0 goes out as 500.
 * Returns 0 or -1 when memory ran out.
 */
int http_response_serialize(const struct http_request *req, const struct http_response *resp,
    struct buf *out);

#endif
