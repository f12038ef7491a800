/* http_response.c -- building a response (HTML, JSON, errors, redirects) and writing it as CGI output. */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http.h"
#include "i18n.h"
#include "log.h"
#include "mustache.h"
#include "playbook.h"
#include "text.h"

/* The same headers on every response, errors included. */
#define HTTP_CSP	"default-src 'self'; script-src 'self'; style-src 'self'; " \
			"img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; " \
			"base-uri 'none'"

const char *
http_status_reason(int status)
{
	switch (status) {
	case 200: return N_("OK");
	case 201: return N_("Created");
	case 204: return N_("No Content");
	case 303: return N_("See Other");
	case 304: return N_("Not Modified");
	case 400: return N_("Bad Request");
	case 401: return N_("Unauthorized");
	case 403: return N_("Forbidden");
	case 404: return N_("Not Found");
	case 405: return N_("Method Not Allowed");
	case 409: return N_("Conflict");
	case 413: return N_("Content Too Large");
	case 415: return N_("Unsupported Media Type");
	case 422: return N_("Unprocessable Content");
	case 500: return N_("Internal Server Error");
	case 503: return N_("Service Unavailable");
	default: return N_("Unknown");
	}
}

/* ---- response ---- */

void
http_response_init(struct http_response *resp)
{
	memset(resp, 0, sizeof(*resp));
	buf_init(&resp->headers);
	buf_init(&resp->body);
}

void
http_response_free(struct http_response *resp)
{
	buf_free(&resp->headers);
	buf_free(&resp->body);
	http_response_init(resp);
}

void
http_response_reset(struct http_response *resp)
{
	buf_reset(&resp->headers);
	buf_reset(&resp->body);
	resp->headers.failed = resp->body.failed = 0;
	resp->status = 0;
	resp->content_type[0] = '\0';
	resp->cacheable = 0;
}

int
http_header_add(struct http_response *resp, const char *name, const char *value)
{
	const char	*p;

	if (*name == '\0')
		return -1;
	for (p = name; *p != '\0'; p++)
		if (!http_is_tchar((unsigned char)*p))
			return -1;
	if (!text_header_safe(value, strlen(value)))
		return -1;
	return buf_printf(&resp->headers, "%s: %s\r\n", name, value);
}

void
http_respond(struct http_response *resp, int status, const char *type,
    const void *body, size_t len)
{
	resp->status = status;
	text_copy(resp->content_type, sizeof(resp->content_type), type);
	buf_reset(&resp->body);
	if (len > 0)
		buf_append(&resp->body, body, len);
}

void
http_json(struct http_response *resp, int status, json_object *obj)
{
	const char	*s;
	size_t		 len;

	s = json_object_to_json_string_length(obj,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	if (s == NULL) {
		http_respond(resp, 500, "application/json",
		    "{\"error\":\"out of memory\"}\n", 26);
		return;
	}
	http_respond(resp, status, "application/json", s, len);
	buf_putc(&resp->body, '\n');
}

void
http_json_error(struct http_response *resp, int status, const char *message,
    json_object *fields)
{
	json_object	*o;

	o = json_object_new_object();
	if (o == NULL) {
		http_respond(resp, 500, "application/json", "{\"error\":\"out of memory\"}\n", 26);
		return;
	}
	json_object_object_add(o, "error", json_object_new_string(message));
	if (fields != NULL)
		json_object_object_add(o, "fields", json_object_get(fields));
	http_json(resp, status, o);
	json_object_put(o);
}

/* Add key to view with a string value unless view already has it. */
static void
http_view_default(json_object *view, const char *key, const char *value)
{
	if (!json_object_object_get_ex(view, key, NULL))
		json_object_object_add(view, key, json_object_new_string(value));
}

static void
http_html_escape(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++) {
		switch (*s) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		default: buf_putc(b, *s); break;
		}
	}
}

int
http_render(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *name, json_object *view)
{
	struct result	 r;
	struct buf	 out;

	if (http_wants_json(req)) {
		http_json(resp, status, view);
		return 0;
	}
	if (json_object_is_type(view, json_type_object)) {
		http_view_default(view, "user", req->user != NULL ? req->user : "");
		http_view_default(view, "csrf_token", req->csrf_token);
		http_view_default(view, "base", req->base != NULL ? req->base : "");
		http_view_default(view, "lang", req->lang != NULL ? req->lang : i18n_languages[0]);
		/* The nav offers the team view to who may open it (roles.c decides again). */
		if (!json_object_object_get_ex(view, "nav_manager", NULL))
			json_object_object_add(view, "nav_manager", json_object_new_boolean(
			    req->role >= PLAYBOOK_ROLE_MANAGER));
	}
	buf_init(&out);
	result_clear(&r);
	if (set == NULL || mustache_set_render(set, name, view, &out, &r) == -1 || out.failed) {
		buf_free(&out);
		http_response_reset(resp);
		/* The template set failed us: the error page must not depend on it. */
		http_error(resp, req, NULL, 500, "The page could not be rendered.");
		return -1;
	}
	resp->status = status;
	text_copy(resp->content_type, sizeof(resp->content_type), "text/html; charset=utf-8");
	buf_free(&resp->body);
	resp->body = out;
	return 0;
}

void
http_error(struct http_response *resp, const struct http_request *req,
    struct mustache_set *set, int status, const char *message)
{
	json_object	*view;
	struct result	 r;
	struct buf	 out;
	char		 code[8];

	if (http_wants_json(req)) {
		http_json_error(resp, status, message, NULL);
		return;
	}
	view = json_object_new_object();
	buf_init(&out);
	result_clear(&r);
	if (view != NULL && set != NULL) {
		json_object_object_add(view, "status", json_object_new_int(status));
		json_object_object_add(view, "title", json_object_new_string(_(http_status_reason(status))));
		json_object_object_add(view, "message", json_object_new_string(_(message)));
		json_object_object_add(view, "base", json_object_new_string(req->base != NULL ? req->base : ""));
		json_object_object_add(view, "user", json_object_new_string(req->user != NULL ? req->user : ""));
		json_object_object_add(view, "lang", json_object_new_string(req->lang != NULL ? req->lang :
		    i18n_languages[0]));
		if (mustache_set_render(set, "error", view, &out, &r) == 0 && !out.failed) {
			resp->status = status;
			text_copy(resp->content_type, sizeof(resp->content_type), "text/html; charset=utf-8");
			buf_free(&resp->body);
			resp->body = out;
			json_object_put(view);
			return;
		}
	}
	json_object_put(view);
	buf_reset(&out);
	snprintf(code, sizeof(code), "%d", status);
	buf_puts(&out, "<!DOCTYPE html>\n<html lang=\"");
	buf_puts(&out, req->lang != NULL ? req->lang : i18n_languages[0]);
	buf_puts(&out, "\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	buf_puts(&out, code);
	buf_putc(&out, ' ');
	buf_puts(&out, _(http_status_reason(status)));
	buf_puts(&out, "</title>\n</head>\n<body>\n<main>\n<h1>");
	buf_puts(&out, _(http_status_reason(status)));
	buf_puts(&out, "</h1>\n<p>");
	http_html_escape(&out, _(message));
	buf_puts(&out, "</p>\n</main>\n</body>\n</html>\n");
	http_respond(resp, status, "text/html; charset=utf-8", buf_cstr(&out), out.len);
	buf_free(&out);
}

static void
http_location(struct http_response *resp, const struct http_request *req, const char *path)
{
	struct buf	 loc;

	buf_init(&loc);
	buf_puts(&loc, req->base != NULL ? req->base : "");
	buf_puts(&loc, path);
	if (loc.failed || http_header_add(resp, "Location", buf_cstr(&loc)) == -1)
		resp->status = 500;
	buf_free(&loc);
}

void
http_redirect(struct http_response *resp, const struct http_request *req, const char *path)
{
	http_respond(resp, 303, "text/plain; charset=utf-8", "", 0);
	http_location(resp, req, path);
}

void
http_created(struct http_response *resp, const struct http_request *req,
    const char *path, json_object *view)
{
	if (view != NULL)
		http_json(resp, 201, view);
	else
		http_respond(resp, 201, "application/json", "{}\n", 3);
	http_location(resp, req, path);
}

int
http_response_serialize(const struct http_request *req, const struct http_response *resp,
    struct buf *out)
{
	int	 status = resp->status;

	if (status < 100 || status > 599 || resp->headers.failed || resp->body.failed) {
		/* A handler forgot to answer, or memory ran out building the answer. */
		buf_printf(out, "Status: 500 %s\r\n", http_status_reason(500));
		buf_puts(out, "Content-Type: text/plain; charset=utf-8\r\n");
		buf_puts(out, "Content-Length: 22\r\n");
		status = 0;
	} else {
		buf_printf(out, "Status: %d %s\r\n", status, http_status_reason(status));
		if (resp->content_type[0] != '\0')
			buf_printf(out, "Content-Type: %s\r\n", resp->content_type);
		buf_printf(out, "Content-Length: %zu\r\n", resp->body.len);
	}
	buf_puts(out, "Content-Security-Policy: " HTTP_CSP "\r\n");
	buf_puts(out, "X-Content-Type-Options: nosniff\r\n");
	buf_puts(out, "Referrer-Policy: same-origin\r\n");
	buf_puts(out, "X-Frame-Options: DENY\r\n");
	if (!resp->cacheable || status == 0)
		buf_puts(out, "Cache-Control: no-store\r\n");
	if (status != 0)
		buf_append(out, buf_cstr(&resp->headers), resp->headers.len);
	buf_puts(out, "\r\n");
	if (req == NULL || req->method != HTTP_METHOD_HEAD) {
		if (status == 0)
			buf_puts(out, "Internal Server Error\n");
		else
			buf_append(out, buf_cstr(&resp->body), resp->body.len);
	}
	return out->failed ? -1 : 0;
}
