/*
 * csrf.h -- cross-site request forgery defence for requests that change
 * state (POST, PUT, PATCH, DELETE).  Every such request must come from our
 * own origin: Sec-Fetch-Site, when sent, is same-origin or none, and Origin,
 * when sent, is the request's own scheme://host[:port] (or base_url's).  HTML
 * forms also carry a field "csrf" = hex HMAC-SHA256(secret, user); the JSON
 * API (/api/...) instead needs Content-Type: application/json, which a
 * cross-site form cannot send without a CORS preflight we never grant.
 */
#ifndef FTS_CSRF_H
#define FTS_CSRF_H

#include <stddef.h>

#define CSRF_SECRET_LEN		32	/* bytes of the HMAC key */
#define CSRF_TOKEN_SIZE		65	/* hex token plus NUL */
#define CSRF_FIELD		"csrf"	/* form field carrying the token */

struct http_request;

/*
 * Read the 32-byte secret from path, creating it (random bytes from
 * /dev/urandom, mode 0600, temp file -> fsync -> link, so a concurrent
 * creator never overwrites) when missing.  -1 with err naming the file.
 */
int csrf_secret_load(const char *path, unsigned char secret[CSRF_SECRET_LEN],
    char *err, size_t errsz);
/* The form token of user: lower-case hex HMAC-SHA256(secret, user). */
void csrf_token(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    char out[CSRF_TOKEN_SIZE]);
/* 1 when token is user's token (compared in constant time), else 0. */
int csrf_token_valid(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    const char *token);
/*
 * The checks decidable before reading the body: Sec-Fetch-Site, Origin
 * against the request's own origin or base_url's (may be NULL), and for
 * /api/ paths the JSON Content-Type.  0, or -1 with why (answer 403).
 */
int csrf_check_origin(const struct http_request *req, const char *base_url,
    char *why, size_t whysz);
/* Outside /api/: the "csrf" field of the parsed body must be req->user's token.  0 or -1 with why. */
int csrf_check_token(const struct http_request *req, const unsigned char secret[CSRF_SECRET_LEN],
    char *why, size_t whysz);

#endif
