/* router.c -- route table matching and the fixed path every request takes to its handler. */
#include "autoconfig.h"

#include <sys/stat.h>


#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "config.h"
#include "csrf.h"
#include "fileio.h"
#include "i18n.h"
#include "log.h"
#include "mustache.h"
#include "net.h"
#include "playbook.h"
#include "result.h"
#include "router.h"
#include "store.h"
#include "text.h"

#define ROUTER_STATIC_MAX	(16 * 1024 * 1024)	/* largest static file served */
#define ROUTER_USER_MAX		127			/* bytes of a REMOTE_USER (store columns hold 127) */
#define ROUTER_HEALTH_TTL_MS	1000	/* a probe is one fsync'd commit: at most one a second per worker */
#define ROUTER_HEALTH_REASONS	6

/*
 * Parse a path segment as an id: a positive int64 in canonical decimal (no
 * sign, no leading zero), so each id has exactly one URL.  0 or -1.
 */
static int
router_parse_id(const char *s, size_t len, int64_t *out)
{
	int64_t	 v = 0;
	size_t	 i;

	if (len == 0 || len > 19 || s[0] == '0')
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (INT64_MAX - (s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

/* 1 when path matches pattern; fills req->ids and req->rest. */
static int
router_pattern_match(const char *pattern, struct http_request *req)
{
	const char	*p = pattern, *s = req->path, *pe, *se;
	size_t		 plen, slen;

	req->nids = 0;
	req->rest = NULL;
	if (*p != '/' || *s != '/')
		return 0;
	for (;;) {
		p++;
		s++;
		pe = strchr(p, '/');
		if (pe == NULL)
			pe = p + strlen(p);
		se = strchr(s, '/');
		if (se == NULL)
			se = s + strlen(s);
		plen = (size_t)(pe - p);
		slen = (size_t)(se - s);
		if (plen == 1 && *p == '*' && *pe == '\0') {
			if (*s == '\0')
				return 0;
			req->rest = s;
			return 1;
		}
		if (plen == 4 && memcmp(p, "{id}", 4) == 0) {
			if (req->nids == HTTP_MAX_IDS ||
			    router_parse_id(s, slen, &req->ids[req->nids]) == -1)
				return 0;
			req->nids++;
		} else if (plen != slen || memcmp(p, s, plen) != 0)
			return 0;
		if (*pe == '\0' || *se == '\0')
			return *pe == '\0' && *se == '\0';
		p = pe;
		s = se;
	}
}

enum router_match
router_match(const struct route *table, struct http_request *req,
    const struct route **found, char *allow, size_t allowsz)
{
	const struct route	*rt;
	unsigned		 methods = 0;
	enum http_method	 m;
	size_t			 o = 0;
	int			 n;

	*found = NULL;
	if (allowsz > 0)
		allow[0] = '\0';
	for (rt = table; rt->pattern != NULL; rt++) {
		if (!router_pattern_match(rt->pattern, req))
			continue;
		/* RFC 9110 section 9.3.2: HEAD is GET without the body. */
		if (rt->method == req->method ||
		    (req->method == HTTP_METHOD_HEAD && rt->method == HTTP_METHOD_GET)) {
			*found = rt;
			return ROUTER_FOUND;
		}
		methods |= 1u << rt->method;
		if (rt->method == HTTP_METHOD_GET)
			methods |= 1u << HTTP_METHOD_HEAD;
	}
	req->nids = 0;
	req->rest = NULL;
	if (methods == 0)
		return ROUTER_NOT_FOUND;
	for (m = 0; m < HTTP_METHOD_OTHER; m++) {
		if (!(methods & (1u << m)))
			continue;
		n = snprintf(allow + o, allowsz - o, "%s%s", o > 0 ? ", " : "", http_method_name(m));
		if (n < 0 || (size_t)n >= allowsz - o)
			break;
		o += (size_t)n;
	}
	return ROUTER_WRONG_METHOD;
}

int
router_addr_loopback(const char *addr)
{
	return net_addr_loopback(addr);
}

#define ROUTER_AS_COOKIE	"ftsuccess_as"

/* 1 when s is a login the demo switch accepts: [A-Za-z0-9._@-], 1..127 bytes (cookie-safe). */
static int
router_as_valid(const char *s, size_t len)
{
	return len > 0 && len <= ROUTER_USER_MAX && strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._@-") >= len;
}

/*
 * The demo's acting-user switch (auth = none only, so loopback only): the
 * login of ?as=LOGIN, else of the ftsuccess_as cookie that ?as= sets
 * (router_serve), else NULL.  Only an active user passes router_user; the
 * cookie's value is cut out of req->cookie in place.
 */
static const char *
router_demo_as(struct http_request *req)
{
	const char	*q = http_query_get(req, "as");
	char		*c, *v;
	size_t		 len;

	if (q != NULL && router_as_valid(q, strlen(q)))
		return q;
	for (c = req->cookie; c != NULL && *c != '\0'; c += strcspn(c, ";")) {
		c += strspn(c, "; ");
		if (strncmp(c, ROUTER_AS_COOKIE "=", sizeof(ROUTER_AS_COOKIE)) != 0)
			continue;
		v = c + sizeof(ROUTER_AS_COOKIE);
		len = strcspn(v, ";");
		if (!router_as_valid(v, len))
			return NULL;
		v[len] = '\0';
		return v;
	}
	return NULL;
}

/*
 * Set req->user from REMOTE_USER (or config demo_user when auth = none);
 * -1 when there is no usable identity.  Only the web server's REMOTE_USER
 * counts: a client's Remote-User header is HTTP_REMOTE_USER, never read.
 */
static int
router_identity(struct app *app, struct http_request *req, struct result *r)
{
	const char	*u = req->remote_user;
	size_t		 len;

	if (app->cfg->auth == CONFIG_AUTH_NONE) {
		if (app->cfg->demo_user[0] == '\0')
			return result_set(r, RESULT_INVALID, "demo_user",
			    "auth = none needs a demo_user in the configuration.");
		req->user = router_demo_as(req);
		if (req->user == NULL)
			req->user = app->cfg->demo_user;
		return 0;
	}
	if (u == NULL || *u == '\0') {
		return result_set(r, RESULT_INVALID, "remote_user",
		    "Sign-in required: the web server passed no REMOTE_USER.");
	}
	len = strlen(u);
	if (len > ROUTER_USER_MAX || !text_utf8_valid(u, len) || !text_printable(u, len) ||
	    strpbrk(u, "\t\r\n") != NULL) {
		return result_set(r, RESULT_INVALID, "remote_user",
		    "The user name from the web server is not usable.");
	}
	req->user = u;
	return 0;
}

/*
 * Who req->user is to ftsuccess: an active user, whose role the rules take.
 * An unknown login is refused (403 saying who to ask) unless the
 * configuration provisions it: auth_autoprovision = fm, or the demo user
 * of auth = none on first use.  -1 with r (FORBIDDEN, or the store's).
 */
static int
router_user(struct app *app, struct http_request *req, struct result *r)
{
	struct playbook		 pb;
	struct store_user	 u;
	enum playbook_role	 role;
	int			 provision;

	memset(&pb, 0, sizeof(pb));
	pb.st = app->store;
	pb.now = (int64_t)time(NULL);
	/* The demo switch may pick only existing users; the demo user itself is made. */
	provision = app->cfg->auth == CONFIG_AUTH_NONE ? strcmp(req->user, app->cfg->demo_user) == 0 :
	    app->cfg->auth_autoprovision == CONFIG_AUTOPROVISION_FM;
	if (playbook_user_identify(&pb, req->user, provision, &u, r) == -1)
		return -1;
	req->role = playbook_role_parse(u.role, &role) == 0 ? (int)role : PLAYBOOK_ROLE_FM;
	/* The profile's language wins over the browser's: the user chose it. */
	req->lang = i18n_negotiate(u.language, req->accept_language,
	    i18n_languages[app->cfg->default_language]);
	i18n_use(req->lang);
	return 0;
}

/* Where "go back" leads from a form posted to path: its customer page, else the portfolio. */
static void
router_back_of(const char *path, char *out, size_t outsz)
{
	size_t	 n;

	if (strncmp(path, "/customers/", 11) == 0 &&
	    (n = strspn(path + 11, "0123456789")) > 0 && n < 20)
		snprintf(out, outsz, "/customers/%.*s", (int)n, path + 11);
	else if (strcmp(path, "/customers") == 0)
		snprintf(out, outsz, "/customers/new");
	else if (strncmp(path, "/outbox", 7) == 0)
		snprintf(out, outsz, "/outbox");
	else
		snprintf(out, outsz, "/");
}

/*
 * A genuine form posted after its token's windows: 403 with a page that says
 * the form expired and posts the same fields again with a fresh token (files
 * cannot be kept: the page says so).
 */
static void
router_form_expired(struct app *app, struct http_request *req, struct http_response *resp)
{
	json_object	*view, *fields, *o;
	char		 back[64], win[64];
	size_t		 i;
	int		 had_file = 0, mins = app->cfg->csrf_window / 60;

	if ((view = json_object_new_object()) == NULL || (fields = json_object_new_array()) == NULL) {
		json_object_put(view);
		http_error(resp, req, app->templates, 403, "the form has expired; submit it again");
		return;
	}
	for (i = 0; i < req->body_fields.n; i++) {
		const struct http_field *f = &req->body_fields.v[i];

		if (f->filename != NULL) {
			had_file = 1;
			continue;
		}
		if (strcmp(f->name, CSRF_FIELD) == 0)
			continue;
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(f->name));
		json_object_object_add(o, "value", json_object_new_string(f->value));
		json_object_array_add(fields, o);
	}
	if (mins >= 120 && mins % 60 == 0)
		snprintf(win, sizeof(win), ngettext("%d hour", "%d hours", (unsigned long)(mins / 60)),
		    mins / 60);
	else
		snprintf(win, sizeof(win), ngettext("%d minute", "%d minutes", (unsigned long)mins),
		    mins);
	router_back_of(req->path, back, sizeof(back));
	json_object_object_add(view, "has_fields", json_object_new_boolean(
	    json_object_array_length(fields) > 0));
	json_object_object_add(view, "fields", fields);
	json_object_object_add(view, "had_file", json_object_new_boolean(had_file));
	json_object_object_add(view, "action", json_object_new_string(req->path));
	json_object_object_add(view, "back", json_object_new_string(back));
	json_object_object_add(view, "window_text", json_object_new_string(win));
	http_render(resp, req, app->templates, 403, "form_expired", view);
	json_object_put(view);
}

void
router_serve(struct app *app, const struct route *table, struct http_request *req,
    http_read_fn rd, void *rdarg, struct http_response *resp)
{
	const struct route	*rt;
	char			 why[256], allow[96];
	struct result		 r;
	enum csrf_verdict	 verdict;

	result_clear(&r);
	/* Until the user is known (and for public pages), the browser's language. */
	req->lang = i18n_negotiate(NULL, req->accept_language,
	    i18n_languages[app->cfg->default_language]);
	i18n_use(req->lang);
	/* As plain CGI the process cannot check its socket; check the client instead. */
	if (app->cgi_mode && app->cfg->auth == CONFIG_AUTH_NONE && req->remote_addr != NULL &&
	    !router_addr_loopback(req->remote_addr)) {
		http_error(resp, req, app->templates, 403,
		    "Demo mode (auth = none) serves loopback clients only.");
		return;
	}
	switch (router_match(table, req, &rt, allow, sizeof(allow))) {
	case ROUTER_NOT_FOUND:
		http_error(resp, req, app->templates, 404, "There is no page at this address.");
		return;
	case ROUTER_WRONG_METHOD:
		snprintf(why, sizeof(why), _("This address does not accept %.16s; it accepts %s."),
		    req->method_name != NULL ? req->method_name : "?", allow);
		http_error(resp, req, app->templates, 405, why);
		http_header_add(resp, "Allow", allow);
		return;
	case ROUTER_FOUND:
		break;
	}

	if (!(rt->flags & ROUTE_PUBLIC)) {
		if (router_identity(app, req, &r) == -1) {
			http_error(resp, req, app->templates, 401, r.message);
			/* RFC 9110 section 15.5.2: a 401 names a scheme; the web server runs it. */
			http_header_add(resp, "WWW-Authenticate", "Basic realm=\"ftsuccess\"");
			return;
		}
		csrf_token(app->secret, req->user, (long long)time(NULL), app->cfg->csrf_window,
		    req->csrf_token);
		if (app->store == NULL) {
			http_error(resp, req, app->templates, 503,
			    "The database is not available; try again shortly.");
			return;
		}
		if (router_user(app, req, &r) == -1) {
			log_warnx("auth: refused user=%s path=%s why=\"%s\"", req->user, req->path,
			    r.message);
			http_error(resp, req, app->templates, r.code == RESULT_FORBIDDEN ? 403 :
			    r.code == RESULT_BUSY || r.code == RESULT_STORAGE ? 503 : 500,
			    r.code == RESULT_FORBIDDEN ? r.message :
			    "Your account could not be checked; try again shortly.");
			return;
		}
		/* The demo switch sticks for this browser (SameSite: never sent cross-site). */
		if (app->cfg->auth == CONFIG_AUTH_NONE && http_query_get(req, "as") != NULL) {
			snprintf(why, sizeof(why), ROUTER_AS_COOKIE "=%s; Path=/; HttpOnly; "
			    "SameSite=Strict", req->user);
			http_header_add(resp, "Set-Cookie", why);
		}
	}

	if (http_method_unsafe(req->method)) {
		if (csrf_check_origin(req, app->cfg->base_url, &r) == -1) {
			log_warnx("csrf: refused method=%s path=%s why=\"%s\"",
			    http_method_name(req->method), req->path, r.message);
			http_error(resp, req, app->templates, 403, r.message);
			return;
		}
		if (http_request_read_body(req, rd, rdarg, app->cfg->max_body, &r) == -1 ||
		    http_request_parse_body(req, &r) == -1) {
			http_error(resp, req, app->templates, http_request_status(&r), r.message);
			return;
		}
		verdict = csrf_check_token(req, app->secret, (long long)time(NULL),
		    app->cfg->csrf_window, &r);
		if (verdict != CSRF_VALID) {
			log_warnx("csrf: refused method=%s path=%s why=\"%s\"",
			    http_method_name(req->method), req->path, r.message);
			if (verdict == CSRF_EXPIRED && !http_wants_json(req))
				router_form_expired(app, req, resp);
			else
				http_error(resp, req, app->templates, 403, r.message);
			return;
		}
	}

	rt->handler(app, req, resp);
	if (resp->status == 0 || resp->body.failed || resp->headers.failed) {
		log_errorx("router: handler gave no answer method=%s path=%s",
		    http_method_name(req->method), req->path);
		http_response_reset(resp);
		http_error(resp, req, app->templates, 500, "The request failed; nothing was changed.");
	}
}

static long long
router_now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Probe the store again when the last probe is older than a second: a load
 * balancer polling every worker must not turn into a stream of commits.
 */
static void
router_health_probe(struct app *app, int64_t now)
{
	struct result	 r;
	long long	 ms = router_now_ms();

	if (app->store == NULL || (app->health_at != 0 && ms >= app->health_at &&
	    ms - app->health_at < ROUTER_HEALTH_TTL_MS))
		return;
	result_clear(&r);
	app->health_rc = store_health(app->store, now, &app->health, &r);
	text_copy(app->health_err, sizeof(app->health_err), r.message);
	app->health_at = ms;
	if (app->health_rc == -1)
		log_warnx("healthz: outbox not readable: %s", r.message);
	if (!app->health.can_commit)
		log_warnx("healthz: database cannot commit: %s", app->health.commit_error);
}

void
router_healthz(struct app *app, struct http_request *req, struct http_response *resp)
{
	const struct config		*cfg = app->cfg;
	const struct store_health	*h = &app->health;
	char				 why[ROUTER_HEALTH_REASONS][256];
	struct buf			 text;
	json_object			*o, *db, *ob, *reasons;
	int64_t				 now = (int64_t)time(NULL);
	long long			 age = 0;
	size_t				 n = 0, i;
	int				 db_open = app->store != NULL, status;

	router_health_probe(app, now);
	if (db_open && h->outbox_due > 0 && h->outbox_oldest_due > 0 && now > h->outbox_oldest_due)
		age = (long long)(now - h->outbox_oldest_due);

	/* Each reason says what fails and with which value, for the person paged. */
	if (!db_open)
		snprintf(why[n++], sizeof(why[0]),
		    "database: cannot be opened (the error log says why)");
	else {
		if (!h->can_commit)
			snprintf(why[n++], sizeof(why[0]), "database: cannot commit a write: %s",
			    h->commit_error);
		if (h->read_only)
			snprintf(why[n++], sizeof(why[0]),
			    "database: its file system is mounted read-only");
		if (cfg->health_min_free > 0 && h->free_bytes >= 0 &&
		    (unsigned long long)h->free_bytes < (unsigned long long)cfg->health_min_free)
			snprintf(why[n++], sizeof(why[0]),
			    "database: %lld bytes free on its file system, under health_min_free (%zu)",
			    h->free_bytes, cfg->health_min_free);
		if (app->health_rc == -1)
			snprintf(why[n++], sizeof(why[0]), "outbox: cannot be read (the error log says why)");
		else if (cfg->health_max_outbox_age > 0 && age > cfg->health_max_outbox_age)
			snprintf(why[n++], sizeof(why[0]),
			    "outbox: %lld messages due, the oldest for %llds, over "
			    "health_max_outbox_age (%ds): is ftsuccess-notifier running?",
			    h->outbox_due, age, cfg->health_max_outbox_age);
	}
	status = n == 0 ? 200 : 503;

	if (http_wants_json(req)) {
		o = json_object_new_object();
		db = json_object_new_object();
		ob = json_object_new_object();
		reasons = json_object_new_array();
		if (o == NULL || db == NULL || ob == NULL || reasons == NULL) {
			json_object_put(o);
			json_object_put(db);
			json_object_put(ob);
			json_object_put(reasons);
			return;		/* status 0: answered 500 by router_serve */
		}
		for (i = 0; i < n; i++)
			json_object_array_add(reasons, json_object_new_string(why[i]));
		json_object_object_add(o, "status", json_object_new_string(n == 0 ? "ok" : "unavailable"));
		json_object_object_add(o, "reasons", reasons);
		json_object_object_add(db, "open", json_object_new_boolean(db_open));
		json_object_object_add(db, "can_commit", json_object_new_boolean(db_open && h->can_commit));
		json_object_object_add(db, "commit_error", json_object_new_string(db_open ? h->commit_error : ""));
		json_object_object_add(db, "read_only", json_object_new_boolean(db_open && h->read_only));
		json_object_object_add(db, "free_bytes", json_object_new_int64(db_open ? h->free_bytes : -1));
		json_object_object_add(db, "min_free_bytes", json_object_new_int64((int64_t)cfg->health_min_free));
		json_object_object_add(o, "database", db);
		json_object_object_add(ob, "due", json_object_new_int64(db_open ? h->outbox_due : 0));
		json_object_object_add(ob, "oldest_due_seconds", json_object_new_int64(age));
		json_object_object_add(ob, "max_age_seconds", json_object_new_int64(cfg->health_max_outbox_age));
		json_object_object_add(o, "outbox", ob);
		http_json(resp, status, o);
		json_object_put(o);
		return;
	}

	/* Plain text for people: the verdict first (monitors match "ok"), then why. */
	buf_init(&text);
	buf_puts(&text, n == 0 ? "ok\n" : "unavailable\n");
	for (i = 0; i < n; i++)
		buf_printf(&text, "%s\n", why[i]);
	if (db_open)
		buf_printf(&text, "commit: %s\nfree: %lld bytes (health_min_free %zu)\n"
		    "outbox: %lld due, oldest %llds (health_max_outbox_age %ds)\n",
		    h->can_commit ? "ok" : "failed", h->free_bytes, cfg->health_min_free,
		    h->outbox_due, age, cfg->health_max_outbox_age);
	if (!text.failed)
		http_respond(resp, status, "text/plain; charset=utf-8", buf_cstr(&text), text.len);
	buf_free(&text);
}

/* Content-Type of a static file from its extension. */
static const char *
router_static_type(const char *name)
{
	static const struct { const char *ext, *type; } types[] = {
		{ "css", "text/css; charset=utf-8" },
		{ "js", "text/javascript; charset=utf-8" },
		{ "mjs", "text/javascript; charset=utf-8" },
		{ "json", "application/json" },
		{ "map", "application/json" },
		{ "svg", "image/svg+xml" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "webp", "image/webp" },
		{ "ico", "image/vnd.microsoft.icon" },
		{ "woff2", "font/woff2" },
		{ "woff", "font/woff" },
		{ "txt", "text/plain; charset=utf-8" },
		{ "csv", "text/csv; charset=utf-8" },
		{ "html", "text/html; charset=utf-8" },
	};
	const char	*dot = strrchr(name, '.');
	size_t		 i;

	if (dot != NULL && strchr(dot, '/') == NULL)
		for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot + 1, types[i].ext) == 0)
				return types[i].type;
	return "application/octet-stream";
}

/*
 * 1 when rest is a safe relative name: segments of [A-Za-z0-9._-] that do
 * not start with '.' (so no "..", no hidden files), none empty.
 */
static int
router_static_name_ok(const char *rest)
{
	const char	*p;
	int		 seg_start = 1;

	if (*rest == '\0' || strlen(rest) > 512)
		return 0;
	for (p = rest; *p != '\0'; p++) {
		if (*p == '/') {
			if (seg_start)
				return 0;
			seg_start = 1;
			continue;
		}
		if (seg_start && *p == '.')
			return 0;
		seg_start = 0;
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
			return 0;
	}
	return !seg_start;
}

void
router_static(struct app *app, struct http_request *req, struct http_response *resp)
{
	char		 path[PATH_MAX];
	struct stat	 sb;
	char		*data = NULL;
	size_t		 got = 0;
	int		 fd;

	if (req->rest == NULL || !router_static_name_ok(req->rest) ||
	    app->cfg->static_dir[0] == '\0' ||
	    snprintf(path, sizeof(path), "%s/%s", app->cfg->static_dir, req->rest) >= (int)sizeof(path)) {
		http_error(resp, req, app->templates, 404, "There is no file at this address.");
		return;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd == -1) {
		if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP)
			log_warn("static: open %s", path);
		http_error(resp, req, app->templates, 404, "There is no file at this address.");
		return;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size > ROUTER_STATIC_MAX) {
		close(fd);
		http_error(resp, req, app->templates, 404, "There is no file at this address.");
		return;
	}
	data = malloc((size_t)sb.st_size + 1);
	if (data == NULL) {
		close(fd);
		return;		/* status 0: answered 500 by router_serve */
	}
	if (fileio_read(fd, data, (size_t)sb.st_size, &got) == -1 || got < (size_t)sb.st_size) {
		log_warn("static: read %s (%zu of %lld bytes)", path, got, (long long)sb.st_size);
		free(data);
		close(fd);
		return;
	}
	close(fd);
	http_respond(resp, 200, router_static_type(req->rest), data, got);
	free(data);
	resp->cacheable = 1;
	http_header_add(resp, "Cache-Control", "public, max-age=3600");
}
