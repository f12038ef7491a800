/*
 * test_router.c -- route matching (404, 405 + Allow, ids, HEAD) and the whole
 * request path through router_serve: identity, CSRF, body limits, errors with
 * security headers, /healthz against a real SQLite store, static files.
 */
#include "autoconfig.h"

#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "config.h"
#include "csrf.h"
#include "http.h"
#include "mustache.h"
#include "result.h"
#include "router.h"
#include "store.h"
#include "unit.h"
#include "tmpdb.h"
#include "webreq.h"

/* What the test handlers saw. */
static int	 calls;
static int64_t	 seen_ids[HTTP_MAX_IDS];
static size_t	 seen_nids;
static char	 seen_user[64];
static char	 seen_field[64];

static void
h_show(struct app *app, struct http_request *req, struct http_response *resp)
{
	(void)app;
	calls++;
	memcpy(seen_ids, req->ids, sizeof(seen_ids));
	seen_nids = req->nids;
	snprintf(seen_user, sizeof(seen_user), "%s", req->user != NULL ? req->user : "");
	http_respond(resp, 200, "text/plain; charset=utf-8", "shown\n", 6);
}

static void
h_change(struct app *app, struct http_request *req, struct http_response *resp)
{
	const struct http_field	*f = http_fields_get(&req->body_fields, "summary");

	(void)app;
	calls++;
	snprintf(seen_field, sizeof(seen_field), "%s", f != NULL ? f->value : "");
	http_redirect(resp, req, "/customers/1");
}

static void
h_silent(struct app *app, struct http_request *req, struct http_response *resp)
{
	(void)app;
	(void)req;
	(void)resp;
	calls++;
}

static const struct route table[] = {
	{ HTTP_METHOD_GET, "/", h_show, 0 },
	{ HTTP_METHOD_GET, "/customers/new", h_show, 0 },
	{ HTTP_METHOD_GET, "/customers/{id}", h_show, 0 },
	{ HTTP_METHOD_POST, "/customers/{id}", h_change, 0 },
	{ HTTP_METHOD_GET, "/customers/{id}/tasks/{id}", h_show, 0 },
	{ HTTP_METHOD_DELETE, "/api/customers/{id}", h_change, 0 },
	{ HTTP_METHOD_GET, "/api/customers/{id}", h_show, 0 },
	{ HTTP_METHOD_GET, "/silent", h_silent, 0 },
	{ HTTP_METHOD_GET, "/healthz", router_healthz, ROUTE_PUBLIC },
	{ HTTP_METHOD_GET, "/static/*", router_static, ROUTE_PUBLIC },
	{ HTTP_METHOD_OTHER, NULL, NULL, 0 }
};

struct fixture {
	char			 dir[64];
	struct config		 cfg;
	struct app		 app;
	struct store		*store;
};

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct result	 r;
	char		 path[1200], tdir[1024];
	const char	*src = getenv("top_srcdir");
	FILE		*fp;

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_router.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	config_defaults(&fx->cfg);
	fx->cfg.max_body = 64;
	snprintf(fx->cfg.static_dir, sizeof(fx->cfg.static_dir), "%s/static", fx->dir);
	snprintf(fx->cfg.database, sizeof(fx->cfg.database), "%s/db.sqlite", fx->dir);
	snprintf(fx->cfg.base_url, sizeof(fx->cfg.base_url), "https://fm.example.com");
	mkdir(fx->cfg.static_dir, 0755);
	snprintf(path, sizeof(path), "%s/style.css", fx->cfg.static_dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs("body { margin: 0 }\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/.secret", fx->cfg.static_dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs("hidden\n", fp);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/img", fx->cfg.static_dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/secret.txt", fx->dir);
	if ((fp = fopen(path, "w")) == NULL)
		return -1;
	fputs("outside\n", fp);
	fclose(fp);

	result_clear(&r);
	if (store_open(&fx->store, fx->cfg.database, &r) == -1) {
		fprintf(stderr, "store_open: %s\n", r.message);
		return -1;
	}
	if (tmpdb_user_add(fx->store, "alice", "fm") == -1)
		return -1;
	fx->app.cfg = &fx->cfg;
	fx->app.store = fx->store;
	memcpy(fx->app.secret, "0123456789abcdef0123456789abcdef", CSRF_SECRET_LEN);
	/* The real error template when the source tree is known (make check sets top_srcdir). */
	if (src != NULL) {
		snprintf(tdir, sizeof(tdir), "%s/www/templates", src);
		if (mustache_set_open(&fx->app.templates, tdir, &r) == -1)
			fx->app.templates = NULL;
	}
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	store_close(fx->store);
	mustache_set_close(fx->app.templates);
	webreq_dir_remove(fx->dir);
	free(fx);
	return 0;
}

/* ---- matching ---- */

static enum router_match
match(const char *method, const char *path, struct http_request *req, char *allow)
{
	static char		 copy[256];	/* req->path is char *; req->rest points into it after the call */
	const struct route	*rt;

	http_request_init(req);
	req->method = http_method_parse(method);
	assert_true(strlen(path) < sizeof(copy));
	memcpy(copy, path, strlen(path) + 1);
	req->path = copy;
	return router_match(table, req, &rt, allow, 96);
}

static void
test_match(void **state)
{
	static const struct {
		const char	*method, *path;
		enum router_match want;
		size_t		 nids;
		int64_t		 id0, id1;
		const char	*allow;
	} cases[] = {
		{ "GET", "/", ROUTER_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/5", ROUTER_FOUND, 1, 5, 0, NULL },
		{ "HEAD", "/customers/5", ROUTER_FOUND, 1, 5, 0, NULL },
		{ "GET", "/customers/9223372036854775807", ROUTER_FOUND, 1, INT64_MAX, 0, NULL },
		{ "GET", "/customers/12/tasks/3731", ROUTER_FOUND, 2, 12, 3731, NULL },
		{ "GET", "/customers/new", ROUTER_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/0", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/007", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/-1", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/+1", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/1x", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/9223372036854775808", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/99999999999999999999", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/5/", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/customers/5/tasks", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "//customers/5", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/static/", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
		{ "GET", "/static/a/b.css", ROUTER_FOUND, 0, 0, 0, NULL },
		{ "PUT", "/customers/5", ROUTER_WRONG_METHOD, 0, 0, 0, "GET, HEAD, POST" },
		{ "DELETE", "/customers/5", ROUTER_WRONG_METHOD, 0, 0, 0, "GET, HEAD, POST" },
		{ "BREW", "/customers/5", ROUTER_WRONG_METHOD, 0, 0, 0, "GET, HEAD, POST" },
		{ "POST", "/customers/new", ROUTER_WRONG_METHOD, 0, 0, 0, "GET, HEAD" },
		{ "POST", "/api/customers/3", ROUTER_WRONG_METHOD, 0, 0, 0, "GET, HEAD, DELETE" },
		{ "POST", "/customers/0", ROUTER_NOT_FOUND, 0, 0, 0, NULL },
	};
	struct http_request	 req;
	char			 allow[96];
	enum router_match	 m;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = match(cases[i].method, cases[i].path, &req, allow);
		if (m != cases[i].want)
			fail_msg("case %zu (%s %s): got %d want %d", i, cases[i].method, cases[i].path,
			    (int)m, (int)cases[i].want);
		if (m == ROUTER_FOUND) {
			assert_int_equal(req.nids, cases[i].nids);
			if (cases[i].nids > 0)
				assert_true(req.ids[0] == cases[i].id0);
			if (cases[i].nids > 1)
				assert_true(req.ids[1] == cases[i].id1);
		}
		if (cases[i].allow != NULL)
			assert_string_equal(allow, cases[i].allow);
	}
	assert_int_equal(match("GET", "/static/img/logo.svg", &req, allow), ROUTER_FOUND);
	assert_string_equal(req.rest, "img/logo.svg");
}

/* ---- serving ---- */

/* Serve kv (+ body) through table; returns the status, out holds the CGI response. */
static int
serve(struct fixture *fx, const struct route *tbl, const char *const *kv, const char *body,
    struct buf *out, int *reads)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct webreq_body	 rd = { .data = body, .len = body != NULL ? strlen(body) : 0 };
	struct result		 err;
	int			 status;

	http_response_init(&resp);
	buf_reset(out);
	if (webreq_from_params(&req, kv, "", &err) == -1)
		fail_msg("bad test request: %s", err.message);
	router_serve(&fx->app, tbl, &req, body != NULL ? webreq_read : NULL, &rd, &resp);
	assert_int_equal(http_response_serialize(&req, &resp, out), 0);
	status = resp.status;
	if (reads != NULL)
		*reads = rd.calls;
	http_response_free(&resp);
	http_request_free(&req);
	return status;
}

static void
assert_security_headers(const struct buf *out)
{
	assert_non_null(strstr(out->data, "\r\nContent-Security-Policy: default-src 'self'; "));
	assert_non_null(strstr(out->data, "frame-ancestors 'none'; base-uri 'none'\r\n"));
	assert_non_null(strstr(out->data, "\r\nX-Content-Type-Options: nosniff\r\n"));
	assert_non_null(strstr(out->data, "\r\nReferrer-Policy: same-origin\r\n"));
	assert_non_null(strstr(out->data, "\r\nX-Frame-Options: DENY\r\n"));
}

static void
test_identity(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	static const char *const ok[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "alice", NULL };
	static const char *const none[] = { "PATH_INFO", "/customers/5", NULL };
	static const char *const spoof[] = { "PATH_INFO", "/customers/5", "HTTP_REMOTE_USER", "alice", NULL };
	static const char *const ctl[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "al\nice", NULL };

	buf_init(&out);
	calls = 0;
	assert_int_equal(serve(fx, table, ok, NULL, &out, NULL), 200);
	assert_int_equal(calls, 1);
	assert_string_equal(seen_user, "alice");
	assert_int_equal(seen_nids, 1);
	assert_true(seen_ids[0] == 5);
	assert_security_headers(&out);
	assert_non_null(strstr(out.data, "\r\nCache-Control: no-store\r\n"));

	WEBREQ_EXPECT(serve(fx, table, none, NULL, &out, NULL), 401,
	    &out, "\r\nWWW-Authenticate: Basic realm=\"ftsuccess\"\r\n");
	assert_security_headers(&out);
	assert_int_equal(serve(fx, table, spoof, NULL, &out, NULL), 401);
	assert_int_equal(serve(fx, table, ctl, NULL, &out, NULL), 401);
	assert_int_equal(calls, 1);

	/* demo mode: everyone is "demo" */
	fx->cfg.auth = CONFIG_AUTH_NONE;
	assert_int_equal(serve(fx, table, none, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "demo");
	/* as plain CGI, demo mode serves loopback clients only */
	fx->app.cgi_mode = 1;
	static const char *const remote[] = { "PATH_INFO", "/customers/5", "REMOTE_ADDR", "192.0.2.7", NULL };
	static const char *const local[] = { "PATH_INFO", "/customers/5", "REMOTE_ADDR", "::1", NULL };
	assert_int_equal(serve(fx, table, remote, NULL, &out, NULL), 403);
	assert_int_equal(serve(fx, table, local, NULL, &out, NULL), 200);
	fx->app.cgi_mode = 0;
	fx->cfg.auth = CONFIG_AUTH_REMOTE_USER;
	buf_free(&out);
}

/*
 * Identity is a user (issue 11): an unknown or disabled login gets 403
 * saying who to ask and changes nothing; auth_autoprovision = fm makes the
 * newcomer an FM (audited); auth = none acts as demo_user (made on first
 * use) or, through the demo switch (?as=, then its cookie), as another
 * existing user, never a new one.
 */
static void
test_identity_users(void **state)
{
	struct fixture		*fx = *state;
	struct store_user	 u;
	struct result		 r;
	struct buf		 out;
	char			 details[256];
	static const char *const zed[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "zed",
	    "HTTP_ACCEPT", "text/html", NULL };
	static const char *const zed_api[] = { "PATH_INFO", "/api/customers/5", "REMOTE_USER", "zed",
	    NULL };
	static const char *const alice[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "alice", NULL };
	static const char *const demo[] = { "PATH_INFO", "/customers/5", NULL };
	static const char *const as_alice[] = { "PATH_INFO", "/customers/5", "QUERY_STRING", "as=alice",
	    NULL };
	static const char *const as_ghost[] = { "PATH_INFO", "/customers/5", "QUERY_STRING", "as=ghost",
	    NULL };
	static const char *const cookie[] = { "PATH_INFO", "/customers/5", "HTTP_COOKIE",
	    "theme=dark; ftsuccess_as=alice; x=1", NULL };
	static const char *const bad_cookie[] = { "PATH_INFO", "/customers/5", "HTTP_COOKIE",
	    "ftsuccess_as=al ice", NULL };

	buf_init(&out);
	calls = 0;
	WEBREQ_EXPECT(serve(fx, table, zed, NULL, &out, NULL), 403, &out,
	    "Ask an ftsuccess administrator to add you (ftsuccess-admin user add zed).");
	WEBREQ_EXPECT(serve(fx, table, zed_api, NULL, &out, NULL), 403, &out,
	    "{\"error\":\"\\\"zed\\\" is not an ftsuccess user.");
	assert_int_equal(calls, 0);
	assert_int_equal(store_user_get_login(fx->store, "zed", &u, &r), -1);

	/* Disabled: refused, whatever the role. */
	assert_int_equal(store_user_get_login(fx->store, "alice", &u, &r), 0);
	u.active = 0;
	assert_int_equal(store_user_update(fx->store, &u, 2, &r), 0);
	WEBREQ_EXPECT(serve(fx, table, alice, NULL, &out, NULL), 403, &out, "is disabled");
	u.active = 1;
	assert_int_equal(store_user_update(fx->store, &u, 3, &r), 0);
	assert_int_equal(serve(fx, table, alice, NULL, &out, NULL), 200);

	/* auth_autoprovision = fm: the first visit makes an active FM, audited as its own act. */
	fx->cfg.auth_autoprovision = CONFIG_AUTOPROVISION_FM;
	assert_int_equal(serve(fx, table, zed, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "zed");
	assert_int_equal(store_user_get_login(fx->store, "zed", &u, &r), 0);
	assert_string_equal(u.role, "fm");
	assert_int_equal(u.active, 1);
	assert_int_equal(store_audit_last(fx->store, "user.autoprovision", details, sizeof(details),
	    &r), 0);
	assert_string_equal(details, "{\"login\":\"zed\",\"role\":\"fm\"}");
	fx->cfg.auth_autoprovision = CONFIG_AUTOPROVISION_NO;

	/* auth = none: the demo user, made on first use; the switch picks existing users only. */
	fx->cfg.auth = CONFIG_AUTH_NONE;
	snprintf(fx->cfg.demo_user, sizeof(fx->cfg.demo_user), "beatriz");
	assert_int_equal(serve(fx, table, demo, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "beatriz");
	assert_int_equal(store_user_get_login(fx->store, "beatriz", &u, &r), 0);
	WEBREQ_EXPECT(serve(fx, table, as_alice, NULL, &out, NULL), 200, &out, NULL);
	assert_string_equal(seen_user, "alice");
	assert_non_null(strstr(out.data, "\r\nSet-Cookie: ftsuccess_as=alice; Path=/; HttpOnly; "
	    "SameSite=Strict\r\n"));
	assert_int_equal(serve(fx, table, cookie, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "alice");
	assert_null(strstr(out.data, "Set-Cookie"));
	assert_int_equal(serve(fx, table, bad_cookie, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "beatriz");
	WEBREQ_EXPECT(serve(fx, table, as_ghost, NULL, &out, NULL), 403, &out, "ghost");
	assert_int_equal(store_user_get_login(fx->store, "ghost", &u, &r), -1);
	/* With remote_user the switch does nothing: identity is the web server's alone. */
	fx->cfg.auth = CONFIG_AUTH_REMOTE_USER;
	static const char *const spoof_as[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "zed",
	    "QUERY_STRING", "as=alice", "HTTP_COOKIE", "ftsuccess_as=alice", NULL };
	assert_int_equal(serve(fx, table, spoof_as, NULL, &out, NULL), 200);
	assert_string_equal(seen_user, "zed");
	assert_null(strstr(out.data, "Set-Cookie"));
	buf_free(&out);
}

static void
test_errors(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	static const char *const missing[] = { "PATH_INFO", "/nowhere", "REMOTE_USER", "alice",
	    "HTTP_ACCEPT", "text/html", NULL };
	static const char *const missing_api[] = { "PATH_INFO", "/api/nowhere", NULL };
	static const char *const badid[] = { "PATH_INFO", "/customers/abc", "REMOTE_USER", "alice", NULL };
	static const char *const wrong[] = { "REQUEST_METHOD", "PUT", "PATH_INFO", "/customers/5",
	    "REMOTE_USER", "alice", NULL };
	static const char *const head[] = { "REQUEST_METHOD", "HEAD", "PATH_INFO", "/customers/5",
	    "REMOTE_USER", "alice", NULL };
	static const char *const silent[] = { "PATH_INFO", "/silent", "REMOTE_USER", "alice", NULL };

	buf_init(&out);
	assert_int_equal(serve(fx, table, missing, NULL, &out, NULL), 404);
	assert_security_headers(&out);
	assert_non_null(strstr(out.data, "Content-Type: text/html; charset=utf-8\r\n"));
	if (fx->app.templates != NULL)	/* www/templates/error.mustache */
		assert_non_null(strstr(out.data, "<link rel=\"stylesheet\" href=\"/static/style.css\">"));
	assert_non_null(strstr(out.data, "Not Found"));

	WEBREQ_EXPECT(serve(fx, table, missing_api, NULL, &out, NULL), 404,
	    &out, "Content-Type: application/json\r\n");
	assert_non_null(strstr(out.data, "\r\n\r\n{\"error\":"));
	assert_security_headers(&out);

	assert_int_equal(serve(fx, table, badid, NULL, &out, NULL), 404);

	WEBREQ_EXPECT(serve(fx, table, wrong, NULL, &out, NULL), 405,
	    &out, "\r\nAllow: GET, HEAD, POST\r\n");
	assert_security_headers(&out);

	calls = 0;
	assert_int_equal(serve(fx, table, head, NULL, &out, NULL), 200);
	assert_int_equal(calls, 1);
	assert_non_null(strstr(out.data, "Content-Length: 6\r\n"));
	assert_null(strstr(out.data, "shown"));

	assert_int_equal(serve(fx, table, silent, NULL, &out, NULL), 500);
	assert_security_headers(&out);
	buf_free(&out);
}

static void
test_post_csrf_and_body(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out, kvb;
	char		 tok[CSRF_TOKEN_SIZE], body[160], len[16], big[16];
	int		 reads;
	long long	 before;

	buf_init(&out);
	buf_init(&kvb);
	csrf_token(fx->app.secret, "alice", (long long)time(NULL), fx->cfg.csrf_window, tok);
	snprintf(body, sizeof(body), "summary=met+Ana&csrf=%s", tok);
	snprintf(len, sizeof(len), "%zu", strlen(body));
	const char *post[] = { "REQUEST_METHOD", "POST", "PATH_INFO", "/customers/1",
	    "REMOTE_USER", "alice", "CONTENT_TYPE", "application/x-www-form-urlencoded",
	    "CONTENT_LENGTH", len, "HTTP_HOST", "fm.example.com", "HTTPS", "on",
	    "HTTP_ORIGIN", "https://fm.example.com", "HTTP_SEC_FETCH_SITE", "same-origin", NULL };

	/* nothing in the store changes on a refused request */
	before = store_count(fx->store, "audit");
	fx->cfg.max_body = 200;
	calls = 0;
	assert_int_equal(serve(fx, table, post, body, &out, NULL), 303);
	assert_int_equal(calls, 1);
	assert_string_equal(seen_field, "met Ana");
	assert_non_null(strstr(out.data, "\r\nLocation: /customers/1\r\n"));

	/* the token of another user */
	post[5] = "bob";
	assert_int_equal(serve(fx, table, post, body, &out, NULL), 403);
	assert_security_headers(&out);
	post[5] = "alice";
	/* cross-site */
	post[17] = "cross-site";
	assert_int_equal(serve(fx, table, post, body, &out, NULL), 403);
	post[17] = "same-origin";
	/* another origin */
	post[15] = "https://evil.example";
	assert_int_equal(serve(fx, table, post, body, &out, NULL), 403);
	post[15] = "https://fm.example.com";
	/* no token */
	snprintf(len, sizeof(len), "%zu", strlen("summary=x"));
	assert_int_equal(serve(fx, table, post, "summary=x", &out, NULL), 403);
	/* malformed body */
	snprintf(len, sizeof(len), "%zu", strlen("summary=%zz"));
	WEBREQ_EXPECT(serve(fx, table, post, "summary=%zz", &out, NULL), 400,
	    &out, "bad percent-escape");
	/* unsupported type */
	snprintf(len, sizeof(len), "%zu", strlen(body));
	post[7] = "text/plain";
	assert_int_equal(serve(fx, table, post, body, &out, NULL), 415);
	post[7] = "application/x-www-form-urlencoded";
	/* too large by Content-Length: refused before reading a byte */
	fx->cfg.max_body = 64;
	snprintf(big, sizeof(big), "%d", 65);
	post[9] = big;
	assert_int_equal(serve(fx, table, post, body, &out, &reads), 413);
	assert_int_equal(reads, 0);
	assert_security_headers(&out);
	/* no length at all and more than max_body arrives: 413 while reading */
	post[8] = "X_NO_LENGTH";
	assert_int_equal(serve(fx, table, post, body, &out, &reads), 413);
	assert_true(reads > 0);
	assert_int_equal(calls, 1);
	assert_int_equal(store_count(fx->store, "audit"), before);
	buf_free(&out);
	buf_free(&kvb);
}

static void
test_api_rules(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	const char	*json = "{\"reason\":\"duplicate\"}";
	char		 len[16];

	buf_init(&out);
	snprintf(len, sizeof(len), "%zu", strlen(json));
	const char *del[] = { "REQUEST_METHOD", "DELETE", "PATH_INFO", "/api/customers/9",
	    "REMOTE_USER", "alice", "CONTENT_TYPE", "application/json", "CONTENT_LENGTH", len, NULL };

	fx->cfg.max_body = 1024;
	calls = 0;
	assert_int_equal(serve(fx, table, del, json, &out, NULL), 303);	/* no token needed */
	assert_int_equal(calls, 1);
	del[7] = "text/plain";		/* what a cross-site form can send */
	WEBREQ_EXPECT(serve(fx, table, del, json, &out, NULL), 403, &out, "application/json");
	del[7] = "application/json";
	snprintf(len, sizeof(len), "%zu", strlen("[1,2]"));
	WEBREQ_EXPECT(serve(fx, table, del, "[1,2]", &out, NULL), 400,
	    &out, "{\"error\":\"JSON body must be an object\"}");
	assert_int_equal(calls, 1);
	buf_free(&out);
}

static void
test_healthz_and_store(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	static const char *const hz[] = { "SCRIPT_NAME", "/healthz", NULL };
	static const char *const page[] = { "PATH_INFO", "/customers/5", "REMOTE_USER", "alice", NULL };

	buf_init(&out);
	/* the real route table: public, no identity needed */
	WEBREQ_EXPECT(serve(fx, routes_table, hz, NULL, &out, NULL), 200, &out, "\r\n\r\nok\n");
	assert_security_headers(&out);
	fx->app.store = NULL;
	assert_int_equal(serve(fx, routes_table, hz, NULL, &out, NULL), 503);
	assert_int_equal(serve(fx, table, page, NULL, &out, NULL), 503);
	fx->app.store = fx->store;
	buf_free(&out);
}

/* A message due for longer than health_max_outbox_age makes /healthz 503 (and JSON says why). */
static void
test_healthz_outbox_backlog(void **state)
{
	struct fixture		*fx = *state;
	struct buf		 out;
	struct result	 r;
	struct store_customer	 c;
	struct store_outbox_new	 o = { 0, "handshake", "health:1", "{}", "[]" };
	static const char *const hz[] = { "SCRIPT_NAME", "/healthz", NULL };
	static const char *const api[] = { "SCRIPT_NAME", "/api/healthz", NULL };
	static const char *const accept[] = { "SCRIPT_NAME", "/healthz", "HTTP_ACCEPT", "application/json", NULL };
	int64_t			 now = (int64_t)time(NULL);
	int			 inserted = 0;

	buf_init(&out);
	result_clear(&r);
	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "Backlog");
	snprintf(c.tenant_domain, sizeof(c.tenant_domain), "backlog.onmicrosoft.com");
	snprintf(c.timezone, sizeof(c.timezone), "Europe/Berlin");
	snprintf(c.owner_fm, sizeof(c.owner_fm), "alice");
	snprintf(c.phase, sizeof(c.phase), "execution");
	c.cadence_weeks = 2;
	assert_int_equal(store_customer_insert(fx->store, &c, now, &r), 0);
	o.customer_id = c.id;
	/* Queued an hour ago, never sent: the notifier is not running. */
	assert_int_equal(store_outbox_insert(fx->store, &o, now - 3600, &inserted, &r), 0);
	assert_int_equal(inserted, 1);

	fx->cfg.health_max_outbox_age = 7200;
	fx->app.health_at = 0;
	WEBREQ_EXPECT(serve(fx, routes_table, hz, NULL, &out, NULL), 200, &out, "\r\n\r\nok\n");
	assert_non_null(strstr(out.data, "outbox: 1 due"));

	fx->cfg.health_max_outbox_age = 600;
	fx->app.health_at = 0;		/* no waiting out the one-second cache */
	WEBREQ_EXPECT(serve(fx, routes_table, hz, NULL, &out, NULL), 503,
	    &out, "\r\n\r\nunavailable\n");
	assert_non_null(strstr(out.data, "over health_max_outbox_age (600s)"));
	assert_security_headers(&out);
	WEBREQ_EXPECT(serve(fx, routes_table, api, NULL, &out, NULL), 503,
	    &out, "Content-Type: application/json");
	assert_non_null(strstr(out.data, "\"status\":\"unavailable\""));
	assert_non_null(strstr(out.data, "\"can_commit\":true"));
	assert_non_null(strstr(out.data, "\"due\":1"));

	WEBREQ_EXPECT(serve(fx, routes_table, accept, NULL, &out, NULL), 503,
	    &out, "\"max_age_seconds\":600");

	fx->cfg.health_max_outbox_age = 0;	/* off */
	fx->app.health_at = 0;
	WEBREQ_EXPECT(serve(fx, routes_table, api, NULL, &out, NULL), 200,
	    &out, "\"status\":\"ok\"");
	buf_free(&out);
}

static void
test_static(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	static const struct {
		const char	*path;
		int		 status;
	} cases[] = {
		{ "/static/style.css", 200 },
		{ "/static/missing.css", 404 },
		{ "/static/.secret", 404 },
		{ "/static/../secret.txt", 404 },
		{ "/static/img/../../secret.txt", 404 },
		{ "/static/img", 404 },			/* a directory */
		{ "/static/img/", 404 },
		{ "/static//style.css", 404 },
		{ "/static/style.css%00", 404 },
	};
	const char	*kv[5] = { "PATH_INFO", NULL, NULL };
	size_t		 i;

	buf_init(&out);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		kv[1] = cases[i].path;
		if (serve(fx, routes_table, kv, NULL, &out, NULL) != cases[i].status)
			fail_msg("case %zu (%s): %s", i, cases[i].path, out.data);
		assert_security_headers(&out);
	}
	kv[1] = "/static/style.css";
	WEBREQ_EXPECT(serve(fx, routes_table, kv, NULL, &out, NULL), 200,
	    &out, "Content-Type: text/css; charset=utf-8\r\n");
	assert_non_null(strstr(out.data, "Cache-Control: public, max-age=3600\r\n"));
	assert_null(strstr(out.data, "no-store"));
	assert_non_null(strstr(out.data, "\r\n\r\nbody { margin: 0 }\n"));
	buf_free(&out);
}

static void
test_loopback(void **state)
{
	static const struct {
		const char	*addr;
		int		 loopback;
	} cases[] = {
		{ .addr = "127.0.0.1", .loopback = 1 }, { .addr = "127.255.0.9", .loopback = 1 },
		{ .addr = "::1", .loopback = 1 }, { .addr = "::ffff:127.0.0.1", .loopback = 1 },
		{ .addr = "128.0.0.1" }, { .addr = "10.0.0.1" }, { .addr = "::2" },
		{ .addr = "localhost" }, { .addr = "" }, { .addr = NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (!router_addr_loopback(cases[i].addr) != !cases[i].loopback)
			fail_msg("case %zu (%s): loopback should be %d", i,
			    cases[i].addr != NULL ? cases[i].addr : "NULL", cases[i].loopback);
}

UNIT_MAIN("router",
	cmocka_unit_test(test_match),
	cmocka_unit_test(test_loopback),
	UNIT_TEST_FIXTURE(test_identity),
	UNIT_TEST_FIXTURE(test_identity_users),
	UNIT_TEST_FIXTURE(test_errors),
	UNIT_TEST_FIXTURE(test_post_csrf_and_body),
	UNIT_TEST_FIXTURE(test_api_rules),
	UNIT_TEST_FIXTURE(test_healthz_and_store),
	UNIT_TEST_FIXTURE(test_healthz_outbox_backlog),
	UNIT_TEST_FIXTURE(test_static),
)
