/*
 * csrf.h -- cross-site request forgery defence for requests that change
 * state (POST, PUT, PATCH, DELETE).  Every such request must come from our
 * own origin: Sec-Fetch-Site, when sent, is same-origin or none, and Origin,
 * when sent, is the request's own scheme://host[:port] (or base_url's).  HTML
 * forms also carry a field "csrf", a token bound to the user and to a time
 * window: "W-HMAC" with W = floor(now / window) in decimal and HMAC the hex
 * HMAC-SHA256(secret, "window:W:user").  A token is accepted in its own
 * window and the next, so a leaked one is useless after two windows and a
 * form open across a boundary still posts.  The JSON API (/api/...) instead
 * needs Content-Type: application/json, which a cross-site form cannot send
 * without a CORS preflight we never grant.
 */
#ifndef FTS_CSRF_H
#define FTS_CSRF_H

#include <stddef.h>

#define CSRF_SECRET_LEN		32	/* bytes of the HMAC key */
#define CSRF_TOKEN_SIZE		96	/* "W-" (W up to 20 digits), 64 hex, NUL */
#define CSRF_FIELD		"csrf"	/* form field carrying the token */

/* What a posted token is worth. */
enum csrf_verdict {
	CSRF_VALID,		/* the user's token of this window or the previous one */
	CSRF_MISSING,		/* no "csrf" field */
	CSRF_INVALID,		/* forged, another user's, malformed, from the future */
	CSRF_EXPIRED		/* the user's genuine token of an older window */
};

struct http_request;
struct result;

/*
 * Read the 32-byte secret from path, creating it (random bytes from
 * getrandom(2), mode 0600, temp file -> fsync -> link, so a concurrent
 * creator never overwrites) when missing.  0, or -1 with r naming the file:
 * RESULT_INVALID (field "secret_file") when it is unset, not a 32-byte
 * regular file or readable by others, RESULT_IO when a system call failed.
 */
int csrf_secret_load(const char *path, unsigned char secret[CSRF_SECRET_LEN],
    struct result *r);
/* The form token of user at time now (Unix seconds) for windows of window seconds (> 0). */
void csrf_token(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    long long now, int window, char out[CSRF_TOKEN_SIZE]);
/* The verdict on token (HMAC compared in constant time); never CSRF_MISSING unless token is NULL. */
enum csrf_verdict csrf_token_check(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    const char *token, long long now, int window);
/*
 * The checks decidable before reading the body: Sec-Fetch-Site, Origin
 * against the request's own origin or base_url's (may be NULL), and for
 * /api/ paths the JSON Content-Type.  0, or -1 with r: RESULT_INVALID, the
 * field naming the header refused (answer 403).
 */
int csrf_check_origin(const struct http_request *req, const char *base_url,
    struct result *r);
/*
 * Outside /api/: the "csrf" field of the parsed body must be req->user's
 * token at now.  CSRF_VALID (r untouched), or another verdict with r set to
 * RESULT_INVALID on field CSRF_FIELD saying why (answer 403; an expired form
 * deserves the page that lets the user post it again, hence a verdict and
 * not only -1).
 */
enum csrf_verdict csrf_check_token(const struct http_request *req,
    const unsigned char secret[CSRF_SECRET_LEN], long long now, int window,
    struct result *r);

#endif
