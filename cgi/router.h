/*
 * router.h -- from a parsed request to a handler: one route table (method +
 * path pattern -> handler, kept in cgi/routes.c), and router_serve, which
 * applies the rules every request goes through in this order: route (404,
 * 405 with Allow; HEAD runs the GET route), identity (401), database (503),
 * for state-changing methods the CSRF checks (403) around reading (413) and
 * parsing (400, 415) the body, then the handler.  Handlers get plain structs
 * and are unit-testable without a server.
 */
#ifndef FTS_ROUTER_H
#define FTS_ROUTER_H

#include <stddef.h>

#include "app.h"
#include "http.h"

/*
 * A handler answers through resp (http_render, http_json, http_redirect,
 * http_error ...).  Path ids are in req->ids, the body in req->body_fields or
 * req->json, the identity in req->user.  Leaving resp->status 0 answers 500.
 */
typedef void (*route_fn)(struct app *app, struct http_request *req, struct http_response *resp);

/* Route flags. */
#define ROUTE_PUBLIC	0x01	/* no identity and no database needed (health, static files) */

struct route {
	enum http_method method;
	/*
	 * Literal segments and "{id}" segments (a positive int64 in canonical
	 * decimal, else 404); a final "*" segment matches one or more
	 * remaining segments, given in req->rest.  "/customers/{id}/tasks/{id}"
	 */
	const char	*pattern;
	route_fn	 handler;
	unsigned	 flags;
};

/* The application's routes, cgi/routes.c; the last row has pattern NULL. */
extern const struct route routes_table[];

enum router_match {
	ROUTER_FOUND,		/* *found set, req->ids / req->rest filled */
	ROUTER_NOT_FOUND,	/* no pattern matches the path: 404 */
	ROUTER_WRONG_METHOD	/* a pattern matches, not with this method: 405, allow filled */
};

/* Match req's method and path against table; allow gets e.g. "GET, HEAD, POST". */
enum router_match router_match(const struct route *table, struct http_request *req,
    const struct route **found, char *allow, size_t allowsz);

/* Serve one request with table (see the top of this file); resp always ends with a status. */
void router_serve(struct app *app, const struct route *table, struct http_request *req,
    http_read_fn rd, void *rdarg, struct http_response *resp);

/* 1 when addr is a loopback address text (127.0.0.0/8, ::1, ::ffff:127.x.y.z). */
int router_addr_loopback(const char *addr);

/*
 * GET /healthz (text) and /api/healthz (JSON): 200 "ok" when the database
 * can commit, has health_min_free bytes free, and no due outbox message has
 * waited over health_max_outbox_age; else 503 with the reasons.
 */
void router_healthz(struct app *app, struct http_request *req, struct http_response *resp);
/* GET /static/ *: a file below config static_dir (safe names only), with its Content-Type. */
void router_static(struct app *app, struct http_request *req, struct http_response *resp);

#endif
