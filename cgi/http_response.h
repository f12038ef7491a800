/*
 * http_response.h -- the answer to one request: status, headers, body, with
 * helpers that render a view as HTML or JSON, answer errors and redirects,
 * and the CGI serialisation that adds the security headers to every
 * response, errors included.
 */
#ifndef FTS_HTTP_RESPONSE_H
#define FTS_HTTP_RESPONSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

struct http_request;
struct mustache_set;

/* What a 503 says when the storage refuses writes (RESULT_STORAGE). */
#define HTTP_MSG_STORAGE	"The database cannot save changes right now: its disk is " \
	"full, read-only or failing. Nothing was changed; try again later."

struct http_response {
	int		 status;	/* 0 until something answered */
	char		 content_type[128];
	int		 cacheable;	/* 1: leave out "Cache-Control: no-store" (static files) */
	struct buf	 headers;	/* extra "Name: value\r\n" lines */
	struct buf	 body;
};

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
/*
 * Answer an error page (template "error", built-in HTML if that fails) or JSON
 * error.  message is English (a msgid: xgettext reads http_error's fifth
 * argument); the page shows its translation, the JSON the English.
 */
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
