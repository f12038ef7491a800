/*
 * app.h -- what one ftsuccess.fcgi worker holds for its whole life and hands
 * to every handler: the configuration, the open store, the template set and
 * the CSRF secret.  Built once per process in cgi/main.c (tests build their
 * own), never a global.
 */
#ifndef FTS_APP_H
#define FTS_APP_H

#include "config.h"
#include "csrf.h"
#include "store.h"

struct store;
struct mustache_set;
struct playbook_cache;

struct app {
	const struct config	*cfg;
	struct store		*store;		/* NULL while the database cannot be opened (503) */
	struct mustache_set	*templates;	/* www/templates, compiled on first use */
	struct playbook_cache	*cache;		/* portfolio verdicts, per worker (NULL: none) */
	unsigned char		 secret[CSRF_SECRET_LEN]; /* HMAC key of the CSRF tokens */
	int			 cgi_mode;	/* 1: plain CGI, one request per process */
	long long		 reopen_at;	/* monotonic ms: no new open attempt before this */
	struct store_health	 health;	/* the last /healthz probe, reused for a second */
	int			 health_rc;	/* its store_health() return */
	char			 health_err[160]; /* why the outbox could not be read */
	long long		 health_at;	/* monotonic ms of that probe, 0: none yet */
};

#endif
