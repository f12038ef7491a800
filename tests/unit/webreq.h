/* webreq.h -- test helper for the web tests: a request filled from a list of CGI parameters, a body read from memory. */
#ifndef FTS_TEST_WEBREQ_H
#define FTS_TEST_WEBREQ_H

#include <stddef.h>

#include "app.h"
#include "config.h"
#include "csrf.h"

struct buf;
struct http_request;
struct result;

/* A request body in memory, handed out by webreq_read; calls counts the reads. */
struct webreq_body {
	const char	*data;
	size_t		 len, off;
	size_t		 chunk;		/* most bytes per read, 0 = no bound */
	int		 fail_at;	/* the read (1, 2, ...) that fails, 0 = none */
	int		 calls;
};

/* An http_read_fn over a struct webreq_body: up to n bytes (and chunk), 0 at the end, -1 at fail_at. */
long webreq_read(void *arg, char *buf, size_t n);
/*
 * http_request_init, then http_request_from_params with kv (a NULL-terminated
 * list of name, value pairs) as the CGI parameters.  Its 0 or -1 with r.
 */
int webreq_from_params(struct http_request *req, const char *const *kv, const char *base,
    struct result *r);

/* One request as a browser at https://fm.example.com sends it (see webreq_request). */
struct webreq_call {
	const char	*login;		/* REMOTE_USER; NULL: nobody signed in */
	const char	*accept;	/* Accept; NULL: none */
	const char	*method;
	const char	*target;	/* the path, then '?' and the query */
	const char	*type;		/* Content-Type; NULL: no body */
	size_t		 len;		/* Content-Length, with type */
};

/*
 * webreq_from_params for c as a browser sends it to https://fm.example.com
 * (Host, HTTPS, a same-origin Origin and Sec-Fetch-Site), with the
 * REMOTE_USER, Accept and body headers c asks for.  0, or -1 with r (a
 * path over 511 bytes among them).
 */
int webreq_request(struct http_request *req, const struct webreq_call *c, struct result *r);

/* webreq_request signed in as fm.ana, with no Accept: method, target, type and len as there. */
int webreq_user_request(struct http_request *req, const char *method, const char *target,
    const char *type, size_t len, struct result *r);

/*
 * The application a page test serves: a configuration for
 * https://fm.example.com (organizer Ana FM, REMOTE_USER auth), the store
 * on a database file, the real templates of $top_srcdir/www/templates, a
 * fixed CSRF secret and fm.ana's current token.  app.cfg points at cfg:
 * the struct must not move once opened.
 */
struct webreq_app {
	struct config	 cfg;
	struct app	 app;
	char		 token[CSRF_TOKEN_SIZE];
};

/*
 * Fill w for the database file db without opening it: the configuration,
 * the templates (opened), the secret and the token; app.store stays NULL
 * for a caller that owns its store (it then closes only app.templates).
 * 0, or -1 with r (nothing left open).
 */
int webreq_app_init(struct webreq_app *w, const char *db, struct result *r);
/* webreq_app_init, then the store opened on db: 0, or -1 with r (nothing left open). */
int webreq_app_open(struct webreq_app *w, const char *db, struct result *r);
/* Close the store and the templates of an opened w. */
void webreq_app_close(struct webreq_app *w);

/*
 * Serve req (then freed) through the real route table of app with body
 * (NULL: none) and its length: the status; out holds the whole CGI answer.
 */
int webreq_serve(struct app *app, struct http_request *req, const char *body, size_t blen,
    struct buf *out);

/* Remove a fixture's temporary directory and all under it; a failure is said on stderr. */
void webreq_dir_remove(const char *dir);

/*
 * A cmocka check of one answer: its status got is want and, unless needle is
 * NULL, its body out holds needle (the body is printed when it does not).
 * Through WEBREQ_EXPECT, so a failure names the test's line.
 */
void webreq_expect_at(int got, int want, const struct buf *out, const char *needle,
    const char *file, int line);
#define WEBREQ_EXPECT(got, want, out, needle) \
	webreq_expect_at((got), (want), (out), (needle), __FILE__, __LINE__)

#endif
