/* webreq.c -- test helper for the web tests: CGI parameters from a list, request bodies from memory, answers checked. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "http.h"
#include "mustache.h"
#include "router.h"
#include "result.h"
#include "store.h"
#include "text.h"
#include "webreq.h"

struct webreq_params {
	const char *const	*kv;
};

static const char *
webreq_param_get(void *arg, const char *name)
{
	const struct webreq_params	*p = arg;
	const char *const		*kv;

	for (kv = p->kv; kv[0] != NULL; kv += 2)
		if (strcmp(kv[0], name) == 0)
			return kv[1];
	return NULL;
}

long
webreq_read(void *arg, char *buf, size_t n)
{
	struct webreq_body	*b = arg;
	size_t			 left = b->len - b->off;

	b->calls++;
	if (b->fail_at != 0 && b->calls == b->fail_at)
		return -1;
	if (left > n)
		left = n;
	if (b->chunk > 0 && left > b->chunk)
		left = b->chunk;
	memcpy(buf, b->data + b->off, left);
	b->off += left;
	return (long)left;
}

int
webreq_from_params(struct http_request *req, const char *const *kv, const char *base,
    struct result *r)
{
	struct webreq_params	 p = { .kv = kv };

	http_request_init(req);
	return http_request_from_params(req, webreq_param_get, &p, base, r);
}

int
webreq_request(struct http_request *req, const struct webreq_call *c, struct result *r)
{
	const char	*q = strchr(c->target, '?');
	const char	*kv[32];
	char		 path[512], clen[32];
	size_t		 k = 0, plen = q != NULL ? (size_t)(q - c->target) : strlen(c->target);

	if (plen >= sizeof(path))
		return result_set(r, RESULT_INVALID, NULL, "the path of %.40s... is over %zu bytes",
		    c->target, sizeof(path) - 1);
	memcpy(path, c->target, plen);
	path[plen] = '\0';
	snprintf(clen, sizeof(clen), "%zu", c->len);
	kv[k++] = "REQUEST_METHOD"; kv[k++] = c->method;
	kv[k++] = "PATH_INFO"; kv[k++] = path;
	kv[k++] = "QUERY_STRING"; kv[k++] = q != NULL ? q + 1 : "";
	if (c->login != NULL) {
		kv[k++] = "REMOTE_USER"; kv[k++] = c->login;
	}
	kv[k++] = "HTTP_HOST"; kv[k++] = "fm.example.com";
	kv[k++] = "HTTPS"; kv[k++] = "on";
	kv[k++] = "HTTP_ORIGIN"; kv[k++] = "https://fm.example.com";
	kv[k++] = "HTTP_SEC_FETCH_SITE"; kv[k++] = "same-origin";
	if (c->accept != NULL) {
		kv[k++] = "HTTP_ACCEPT"; kv[k++] = c->accept;
	}
	if (c->type != NULL) {
		kv[k++] = "CONTENT_TYPE"; kv[k++] = c->type;
		kv[k++] = "CONTENT_LENGTH"; kv[k++] = clen;
	}
	kv[k] = NULL;
	return webreq_from_params(req, kv, "", r);
}

int
webreq_user_request(struct http_request *req, const char *method, const char *target,
    const char *type, size_t len, struct result *r)
{
	const struct webreq_call c = { .login = "fm.ana", .method = method, .target = target,
	    .type = type, .len = len };

	return webreq_request(req, &c, r);
}

int
webreq_app_init(struct webreq_app *w, const char *db, struct result *r)
{
	const char	*src = getenv("top_srcdir");
	char		 tdir[1024];

	memset(w, 0, sizeof(*w));
	config_defaults(&w->cfg);
	if (text_copy(w->cfg.database, sizeof(w->cfg.database), db) == -1)
		return result_set(r, RESULT_INVALID, NULL, "database path %s is too long", db);
	text_copy(w->cfg.base_url, sizeof(w->cfg.base_url), "https://fm.example.com");
	text_copy(w->cfg.organizer_name, sizeof(w->cfg.organizer_name), "Ana FM");
	text_copy(w->cfg.organizer_email, sizeof(w->cfg.organizer_email), "ana.fm@example.com");
	w->cfg.auth = CONFIG_AUTH_REMOTE_USER;
	snprintf(tdir, sizeof(tdir), "%s/www/templates", src != NULL ? src : ".");
	if (mustache_set_open(&w->app.templates, tdir, r) == -1)
		return -1;
	w->app.cfg = &w->cfg;
	memcpy(w->app.secret, "0123456789abcdef0123456789abcdef", CSRF_SECRET_LEN);
	csrf_token(w->app.secret, "fm.ana", (long long)time(NULL), w->cfg.csrf_window, w->token);
	return 0;
}

int
webreq_app_open(struct webreq_app *w, const char *db, struct result *r)
{
	if (webreq_app_init(w, db, r) == -1)
		return -1;
	if (store_open(&w->app.store, db, r) == -1) {
		mustache_set_close(w->app.templates);
		w->app.templates = NULL;
		return -1;
	}
	return 0;
}

void
webreq_app_close(struct webreq_app *w)
{
	store_close(w->app.store);
	mustache_set_close(w->app.templates);
}

void
webreq_expect_at(int got, int want, const struct buf *out, const char *needle,
    const char *file, int line)
{
	_assert_int_equal((LargestIntegralType)got, (LargestIntegralType)want, file, line);
	if (needle == NULL)
		return;
	if (out->data == NULL || strstr(out->data, needle) == NULL) {
		print_error("the answer has no \"%s\": %.600s\n", needle,
		    out->data != NULL ? out->data : "(no body)");
		_fail(file, line);
	}
}

void
webreq_dir_remove(const char *dir)
{
	char cmd[1100];

	/* The fixtures' directories are mkdtemp names under /tmp: no quote inside. */
	if ((size_t)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) >= sizeof(cmd) ||
	    system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

int
webreq_serve(struct app *app, struct http_request *req, const char *body, size_t blen,
    struct buf *out)
{
	struct http_response	 resp;
	struct webreq_body	 rd = { .data = body, .len = body ? blen : 0 };
	int			 status;

	http_response_init(&resp);
	buf_reset(out);
	router_serve(app, routes_table, req, body ? webreq_read : NULL, &rd, &resp);
	assert_int_equal(http_response_serialize(req, &resp, out), 0);
	status = resp.status;
	http_response_free(&resp);
	http_request_free(req);
	return status;
}
