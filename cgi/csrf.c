/* csrf.c -- CSRF secret file, HMAC form tokens and the Origin / Sec-Fetch-Site checks. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "atomicfile.h"
#include "csrf.h"
#include "fileio.h"
#include "hmac.h"
#include "http.h"
#include "result.h"
#include <json-c/json.h>
#include "text.h"

/* The request keeps the token of its user in a buffer sized without this header. */
_Static_assert(sizeof(((struct http_request *)0)->csrf_token) == CSRF_TOKEN_SIZE,
    "http_request.csrf_token must hold CSRF_TOKEN_SIZE bytes");


static int
csrf_secret_read(const char *path, unsigned char secret[CSRF_SECRET_LEN], struct result *r)
{
	struct stat	 sb;
	size_t		 got = 0;
	int		 fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		result_set(r, RESULT_IO, "secret_file", "csrf: open %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) || sb.st_size != CSRF_SECRET_LEN) {
		result_set(r, RESULT_INVALID, "secret_file", "csrf: %s must be a regular file of exactly %d bytes",
		    path, CSRF_SECRET_LEN);
		close(fd);
		return -1;
	}
	if ((sb.st_mode & 077) != 0) {
		result_set(r, RESULT_INVALID, "secret_file", "csrf: %s is readable by others (mode %03o); chmod 600 it",
		    path, (unsigned)(sb.st_mode & 0777));
		close(fd);
		return -1;
	}
	if ((rc = fileio_read(fd, secret, CSRF_SECRET_LEN, &got)) == -1 || got != CSRF_SECRET_LEN) {
		result_set(r, RESULT_IO, "secret_file", "csrf: read %s: %s", path,
		    rc == -1 ? strerror(errno) : "shorter than fstat said");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Create the secret with atomicfile_create: it never replaces (link(2), not
 * rename(2)), so when two processes race the loser keeps the winner's file
 * and reads it back, and every worker agrees.
 */
static int
csrf_secret_create(const char *path, struct result *r)
{
	unsigned char	 secret[CSRF_SECRET_LEN];
	struct result	 fr;
	int		 rc;

	if (fileio_random(secret, sizeof(secret)) == -1)
		return result_set(r, RESULT_IO, "secret_file", "csrf: random secret: %s", strerror(errno));
	rc = atomicfile_create(path, secret, sizeof(secret), 0600, &fr);
	memset(secret, 0, sizeof(secret));
	if (rc == -1) {
		result_set(r, RESULT_IO, "secret_file", "csrf: secret_file: %s", fr.message);
		return -1;
	}
	return 0;
}

int
csrf_secret_load(const char *path, unsigned char secret[CSRF_SECRET_LEN],
    struct result *r)
{
	if (path == NULL || *path == '\0') {
		result_set(r, RESULT_INVALID, "secret_file", "csrf: secret_file is not set");
		return -1;
	}
	if (access(path, F_OK) == -1) {
		if (errno != ENOENT) {
			result_set(r, RESULT_IO, "secret_file", "csrf: %s: %s", path, strerror(errno));
			return -1;
		}
		if (csrf_secret_create(path, r) == -1)
			return -1;
	}
	return csrf_secret_read(path, secret, r);
}

/* The window number of now; before 1970 (a broken clock) counts as window 0. */
static long long
csrf_window_of(long long now, int window)
{
	return now > 0 && window > 0 ? now / window : 0;
}

/* Hex HMAC of window number w for user into out (65 bytes). */
static void
csrf_mac(const unsigned char secret[CSRF_SECRET_LEN], const char *user, long long w,
    int window, char out[HMAC_SHA256_LEN * 2 + 1])
{
	unsigned char	 mac[HMAC_SHA256_LEN];
	char		 msg[512];
	int		 n;

	/* The window length is in the message: a token never survives a change of it. */
	n = snprintf(msg, sizeof(msg), "%d:%lld:%s", window, w, user);
	if (n < 0 || (size_t)n >= sizeof(msg))
		n = (int)sizeof(msg) - 1;	/* user names are at most 127 bytes */
	hmac_sha256(secret, CSRF_SECRET_LEN, msg, (size_t)n, mac);
	text_hex_encode(mac, sizeof(mac), out);
}

void
csrf_token(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    long long now, int window, char out[CSRF_TOKEN_SIZE])
{
	char		 mac[HMAC_SHA256_LEN * 2 + 1];
	long long	 w = csrf_window_of(now, window);

	csrf_mac(secret, user, w, window, mac);
	snprintf(out, CSRF_TOKEN_SIZE, "%lld-%s", w, mac);
}

enum csrf_verdict
csrf_token_check(const unsigned char secret[CSRF_SECRET_LEN], const char *user,
    const char *token, long long now, int window)
{
	char		 want[HMAC_SHA256_LEN * 2 + 1];
	const char	*dash;
	long long	 w, cur = csrf_window_of(now, window);
	char		 digits[24];
	size_t		 n;

	if (token == NULL)
		return CSRF_MISSING;
	if (user == NULL || window <= 0 || (dash = strchr(token, '-')) == NULL)
		return CSRF_INVALID;
	n = (size_t)(dash - token);
	if (n == 0 || n >= sizeof(digits) || strlen(dash + 1) != HMAC_SHA256_LEN * 2)
		return CSRF_INVALID;
	memcpy(digits, token, n);
	digits[n] = '\0';
	if (text_int_parse(digits, 0, LLONG_MAX, &w) == -1 || w > cur)
		return CSRF_INVALID;
	csrf_mac(secret, user, w, window, want);
	if (!hmac_equal(want, dash + 1, HMAC_SHA256_LEN * 2))
		return CSRF_INVALID;
	/* Genuine: only its age decides, so an old form gets a page that lets it post again. */
	return w >= cur - 1 ? CSRF_VALID : CSRF_EXPIRED;
}

/*
 * Write the serialized origin of scheme and host (RFC 6454 section 6.1)
 * into out, lower-cased, without the scheme's default port.  -1 when it
 * does not fit.
 */
static int
csrf_origin_norm(const char *scheme, size_t slen, const char *host, size_t hlen,
    char *out, size_t outsz)
{
	size_t	 i;

	if ((slen == 4 && strncasecmp(scheme, "http", 4) == 0 && hlen > 3 &&
	    strcmp(host + hlen - 3, ":80") == 0) ||
	    (slen == 5 && strncasecmp(scheme, "https", 5) == 0 && hlen > 4 &&
	    strncmp(host + hlen - 4, ":443", 4) == 0))
		hlen -= slen == 4 ? 3 : 4;
	if (slen + 3 + hlen + 1 > outsz || hlen == 0)
		return -1;
	snprintf(out, outsz, "%.*s://%.*s", (int)slen, scheme, (int)hlen, host);
	for (i = 0; out[i] != '\0'; i++)
		if (out[i] >= 'A' && out[i] <= 'Z')
			out[i] = (char)(out[i] - 'A' + 'a');
	return 0;
}

/* Normalise an origin-like URL "scheme://host[:port][/path]" (path dropped). */
static int
csrf_origin_of_url(const char *url, char *out, size_t outsz)
{
	const char	*sep, *host, *end;

	if (url == NULL || (sep = strstr(url, "://")) == NULL)
		return -1;
	host = sep + 3;
	end = host + strcspn(host, "/?#");
	return csrf_origin_norm(url, (size_t)(sep - url), host, (size_t)(end - host), out, outsz);
}

static int
csrf_is_api(const struct http_request *req)
{
	return req->path != NULL &&
	    (strcmp(req->path, "/api") == 0 || strncmp(req->path, "/api/", 5) == 0);
}

int
csrf_check_origin(const struct http_request *req, const char *base_url,
    struct result *r)
{
	char		 got[600], own[600], base[600];
	const char	*ct = req->content_type;
	size_t		 n;

	/* Fetch Metadata (W3C): a browser tells us where the request came from. */
	if (req->sec_fetch_site != NULL && strcmp(req->sec_fetch_site, "same-origin") != 0 &&
	    strcmp(req->sec_fetch_site, "none") != 0) {
		result_set(r, RESULT_INVALID, "sec_fetch_site", "cross-origin request refused (Sec-Fetch-Site: %.32s)",
		    req->sec_fetch_site);
		return -1;
	}
	if (req->origin != NULL) {
		/* "null" (opaque origins: sandboxed frames, file:, some redirects) never matches. */
		if (csrf_origin_of_url(req->origin, got, sizeof(got)) == -1) {
			result_set(r, RESULT_INVALID, "origin", "cross-origin request refused (Origin: %.64s)", req->origin);
			return -1;
		}
		n = 0;
		if (req->host != NULL && req->scheme != NULL &&
		    csrf_origin_norm(req->scheme, strlen(req->scheme), req->host, strlen(req->host),
		    own, sizeof(own)) == 0 && strcmp(got, own) == 0)
			n = 1;
		if (!n && base_url != NULL && csrf_origin_of_url(base_url, base, sizeof(base)) == 0 &&
		    strcmp(got, base) == 0)
			n = 1;
		if (!n) {
			result_set(r, RESULT_INVALID, "origin", "cross-origin request refused (Origin: %.64s)", req->origin);
			return -1;
		}
	}
	if (csrf_is_api(req)) {
		/* Only a same-origin script (or a non-browser client) can send this type. */
		n = 16;
		while (ct != NULL && (*ct == ' ' || *ct == '\t'))
			ct++;
		if (ct == NULL || strncasecmp(ct, "application/json", n) != 0 ||
		    (ct[n] != '\0' && ct[n] != ';' && ct[n] != ' ')) {
			result_set(r, RESULT_INVALID, HTTP_FIELD_TYPE, "the API needs Content-Type: application/json");
			return -1;
		}
	}
	return 0;
}

enum csrf_verdict
csrf_check_token(const struct http_request *req, const unsigned char secret[CSRF_SECRET_LEN],
    long long now, int window, struct result *r)
{
	const struct http_field	*f;
	json_object		*v;
	const char		*token = NULL;
	enum csrf_verdict	 verdict;

	if (csrf_is_api(req))
		return CSRF_VALID;
	if (req->json != NULL) {
		if (json_object_object_get_ex(req->json, CSRF_FIELD, &v) &&
		    json_object_is_type(v, json_type_string))
			token = json_object_get_string(v);
	} else if ((f = http_fields_get(&req->body_fields, CSRF_FIELD)) != NULL && f->filename == NULL)
		token = f->value;
	verdict = csrf_token_check(secret, req->user, token, now, window);
	switch (verdict) {
	case CSRF_VALID:
		break;
	case CSRF_MISSING:
		result_set(r, RESULT_INVALID, CSRF_FIELD, "the form has no CSRF token; reload the page and try again");
		break;
	case CSRF_EXPIRED:
		result_set(r, RESULT_INVALID, CSRF_FIELD, "the form has expired (it was shown more than %d minutes ago); "
		    "submit it again", window / 60);
		break;
	case CSRF_INVALID:
		result_set(r, RESULT_INVALID, CSRF_FIELD, "the form's CSRF token is not valid; reload the page and try again");
		break;
	}
	return verdict;
}
