/*
 * http.h -- one HTTP exchange as plain data, independent of FastCGI: the
 * request (CGI parameters copied in, path, query and body parsed into fields
 * or a JSON object, everything checked as valid UTF-8) here, the body
 * decoders in http_form.h and http_jsonbody.h, the response in
 * http_response.h (all included here).  cgi/main.c fills a request from
 * libfcgi or the CGI environment; tests fill one by hand.
 *
 * Errors are struct result.  A request refused before any handler runs has
 * code RESULT_INVALID and a field naming what was refused (HTTP_FIELD_*),
 * or RESULT_IO when memory ran out; http_request_status() turns that into
 * the HTTP status (400, 413, 415 or 500).
 */
#ifndef FTS_HTTP_H
#define FTS_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "http_form.h"
#include "http_jsonbody.h"
#include "http_response.h"

struct result;

#define HTTP_MAX_IDS		4	/* {id} segments in one route pattern */

/* The part of a request an error names in struct result's field. */
#define HTTP_FIELD_PATH		"path"		/* the request path (400) */
#define HTTP_FIELD_QUERY	"query"		/* the query string (400) */
#define HTTP_FIELD_LENGTH	"content_length" /* a malformed Content-Length (400) */
#define HTTP_FIELD_SIZE		"body_size"	/* a body over the limit (413) */
#define HTTP_FIELD_TYPE		"content_type"	/* a body of an unsupported type (415) */
#define HTTP_FIELD_BODY		"body"		/* a malformed or short body (400) */

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

struct http_request {
	enum http_method method;
	char		*method_name;	/* as sent ("GET") */
	char		*base;		/* path prefix the application is mounted at, "" at the root */
	char		*path;		/* path below base, starts with '/', decoded, valid UTF-8 */
	char		*query;		/* raw QUERY_STRING, "" when none */
	char		*content_type;	/* NULL when absent */
	long long	 content_length; /* -1 when absent */
	char		*accept;	/* the request headers used here; NULL when absent */
	char		*accept_language;
	char		*origin;
	char		*sec_fetch_site;
	char		*host;		/* Host header, else SERVER_NAME[:SERVER_PORT] */
	char		*scheme;	/* "http" or "https" */
	char		*remote_user;	/* REMOTE_USER set by the web server, never a header */
	char		*remote_addr;
	char		*cookie;	/* Cookie header: only the demo's acting-user switch reads it */

	/* Filled while the request is served (router_serve). */
	const char	*user;		/* identity: REMOTE_USER, or config demo_user when auth = none */
	int		 role;		/* that user's role (enum playbook_role), set with user */
	const char	*lang;		/* language of the answer (i18n_languages): the user's, else negotiated */
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
 * the query string is parsed into query_fields.  0, or -1 with r when the
 * request is malformed (field HTTP_FIELD_PATH, _QUERY or _LENGTH: answer 400).
 */
int http_request_from_params(struct http_request *req, http_param_fn get, void *arg,
    const char *base, struct result *r);
/*
 * Read the body through rd (NULL: no body).  With a Content-Length exactly
 * that many bytes are read; without one, up to the end of the stream.
 * Returns 0, or -1 with r: field HTTP_FIELD_SIZE when the body is (or would
 * be) larger than max (decided from Content-Length before reading),
 * HTTP_FIELD_BODY on a short or failed read, RESULT_IO when out of memory.
 */
int http_request_read_body(struct http_request *req, http_read_fn rd, void *arg,
    size_t max, struct result *r);
/*
 * Parse req->body by Content-Type into body_fields or json: 0, or -1 with r
 * (field HTTP_FIELD_BODY: malformed; HTTP_FIELD_TYPE: a body of an
 * unsupported type).  No body: 0.
 */
int http_request_parse_body(struct http_request *req, struct result *r);
/*
 * The HTTP status for a request refused by the functions above: RESULT_IO
 * 500, field HTTP_FIELD_SIZE 413, HTTP_FIELD_TYPE 415, anything else 400.
 * (Playbook results map to HTTP in pages_fail; these are HTTP's own.)
 */
int http_request_status(const struct result *r);

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


#endif
