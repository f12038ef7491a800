/* result.h -- the small set of outcomes every fallible shared/ call reports, with a message. */
#ifndef FTS_RESULT_H
#define FTS_RESULT_H

#include <stddef.h>

enum result_code {
	RESULT_OK = 0,
	RESULT_NOTFOUND,	/* the id named does not exist (HTTP 404) */
	RESULT_CONFLICT,	/* duplicate or state does not allow it (HTTP 409) */
	RESULT_INVALID,		/* input refused by a rule; field says which (HTTP 422) */
	RESULT_BUSY,		/* database locked past busy_timeout; retry (HTTP 503) */
	RESULT_IO,		/* memory, library or corrupt-data failure (HTTP 500) */
	RESULT_STORAGE,		/* the storage refuses writes: full, read-only, failing (HTTP 503) */
	RESULT_FORBIDDEN,	/* the actor's role does not allow it (HTTP 403) */
	RESULT__MAX
};

struct result {
	enum result_code code;
	char		 field[48];	/* API field name the error belongs to, "" if none */
	char		 message[512];	/* what failed and with which value (logs, the JSON API) */
	char		 text[512];	/* the same in the reader's language (pages, mail) */
};

/* Reset r to RESULT_OK with empty field and message. */
void result_clear(struct result *r);

/*
 * Set code, field (may be NULL) and a printf-style message; returns -1 for
 * "return result_set(...)".  fmt is a msgid (xgettext reads result_set's
 * fourth argument): text gets its translation in the language i18n_use set.
 */
int result_set(struct result *r, enum result_code code, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Lower-case name of a code ("not_found", "conflict", ...), for logs and JSON. */
const char *result_code_name(enum result_code code);

#endif
