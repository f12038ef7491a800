/* test_csrf.c -- SHA-256/HMAC vectors, the secret file, form tokens, Origin and Sec-Fetch-Site checks. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "csrf.h"
#include "hmac.h"
#include "http.h"
#include "result.h"
#include "text.h"
#include "unit.h"

static void
hex_of(const unsigned char *p, size_t n, char *out)
{
	text_hex_encode(p, n, out);
}

static void
test_sha256_vectors(void **state)
{
	unsigned char		 d[HMAC_SHA256_LEN];
	char			 hex[65];
	struct hmac_sha256_ctx	 c;
	char			*million;
	size_t			 i;

	(void)state;
	/* FIPS 180-4 examples (NIST CSRC "SHA256.pdf") */
	hmac_sha256_hash("", 0, d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hmac_sha256_hash("abc", 3, d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hmac_sha256_hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* one million 'a', fed in uneven pieces */
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	hmac_sha256_init(&c);
	for (i = 0; i < 1000000; i += 997)
		hmac_sha256_update(&c, million + i, 1000000 - i < 997 ? 1000000 - i : 997);
	hmac_sha256_final(&c, d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

static void
test_hmac_rfc4231(void **state)
{
	unsigned char	 key[131], d[HMAC_SHA256_LEN];
	char		 hex[65];
	const char	*msg;

	(void)state;
	/* Test Case 1 */
	memset(key, 0x0b, 20);
	hmac_sha256(key, 20, "Hi There", 8, d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	/* Test Case 2 */
	msg = "what do ya want for nothing?";
	hmac_sha256("Jefe", 4, msg, strlen(msg), d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
	/* Test Case 6: a key longer than the block is hashed first */
	memset(key, 0xaa, sizeof(key));
	msg = "Test Using Larger Than Block-Size Key - Hash Key First";
	hmac_sha256(key, 131, msg, strlen(msg), d);
	hex_of(d, sizeof(d), hex);
	assert_string_equal(hex, "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
	assert_true(hmac_equal("abc", "abc", 3));
	assert_false(hmac_equal("abc", "abd", 3));
}

static void
test_secret_file(void **state)
{
	char		 dir[] = "/tmp/test_csrf.XXXXXX", path[256];
	struct result	 err;
	unsigned char	 a[CSRF_SECRET_LEN], b[CSRF_SECRET_LEN], zero[CSRF_SECRET_LEN];
	struct stat	 sb;
	int		 fd;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/secret", dir);

	/* created when missing: 32 bytes, mode 0600, not all zero */
	assert_int_equal(csrf_secret_load(path, a, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, CSRF_SECRET_LEN);
	assert_int_equal(sb.st_mode & 0777, 0600);
	memset(zero, 0, sizeof(zero));
	assert_memory_not_equal(a, zero, sizeof(a));
	/* read back the same on the next start; no temp file left behind */
	assert_int_equal(csrf_secret_load(path, b, &err), 0);
	assert_memory_equal(a, b, sizeof(a));

	/* a readable-by-others secret is refused */
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(csrf_secret_load(path, b, &err), -1);
	assert_non_null(strstr(err.message, "readable"));
	/* a wrong size is refused */
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "short", 5), 5);
	close(fd);
	assert_int_equal(csrf_secret_load(path, b, &err), -1);
	assert_non_null(strstr(err.message, "exactly 32"));
	unlink(path);
	/* a directory that does not exist */
	snprintf(path, sizeof(path), "%s/none/secret", dir);
	assert_int_equal(csrf_secret_load(path, b, &err), -1);
	assert_non_null(strstr(err.message, "/none/secret"));
	assert_int_equal(rmdir(dir), 0);	/* fails if a temp file was left */
}

static const unsigned char test_secret[CSRF_SECRET_LEN] = "0123456789abcdef0123456789abcdef";

/* A fixed clock: 2026-12-05 09:00:00 UTC, 4-hour windows. */
#define T_NOW		1796461200LL
#define T_WINDOW	(4 * 3600)

static void
test_token(void **state)
{
	char		 t[CSRF_TOKEN_SIZE], t2[CSRF_TOKEN_SIZE], old[CSRF_TOKEN_SIZE], want[120];
	unsigned char	 mac[HMAC_SHA256_LEN];
	char		 hex[65], msg[64];
	long long	 w = T_NOW / T_WINDOW;

	(void)state;
	csrf_token(test_secret, "alice", T_NOW, T_WINDOW, t);
	/* "W-HMAC": the window number, then HMAC-SHA256(secret, "window:W:user") in hex */
	snprintf(msg, sizeof(msg), "%d:%lld:alice", T_WINDOW, w);
	hmac_sha256(test_secret, CSRF_SECRET_LEN, msg, strlen(msg), mac);
	text_hex_encode(mac, sizeof(mac), hex);
	snprintf(want, sizeof(want), "%lld-%s", w, hex);
	assert_string_equal(t, want);
	assert_true(strlen(t) < CSRF_TOKEN_SIZE);
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW, T_WINDOW), CSRF_VALID);
	/* the same token in the next window still posts (a form open across the boundary)... */
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW + T_WINDOW, T_WINDOW),
	    CSRF_VALID);
	/* ...two windows on it has expired, as has a token forged for an old window number */
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW + 2 * T_WINDOW, T_WINDOW),
	    CSRF_EXPIRED);
	csrf_token(test_secret, "alice", T_NOW - 30 * 86400, T_WINDOW, old);
	assert_int_equal(csrf_token_check(test_secret, "alice", old, T_NOW, T_WINDOW), CSRF_EXPIRED);
	/* a token from the future, or under another window length, is not valid */
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW - T_WINDOW, T_WINDOW),
	    CSRF_INVALID);
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW, 3600), CSRF_INVALID);
	/* a valid HMAC glued to another window number is not valid */
	snprintf(want, sizeof(want), "%lld-%s", w - 1, hex);
	assert_int_equal(csrf_token_check(test_secret, "alice", want, T_NOW, T_WINDOW), CSRF_INVALID);
	/* the old format (bare HMAC of the user) is refused */
	hmac_sha256(test_secret, CSRF_SECRET_LEN, "alice", 5, mac);
	text_hex_encode(mac, sizeof(mac), hex);
	assert_int_equal(csrf_token_check(test_secret, "alice", hex, T_NOW, T_WINDOW), CSRF_INVALID);
	/* another user's token, a changed digit, a prefix, junk, nothing */
	csrf_token(test_secret, "bob", T_NOW, T_WINDOW, t2);
	assert_string_not_equal(t, t2);
	assert_int_equal(csrf_token_check(test_secret, "alice", t2, T_NOW, T_WINDOW), CSRF_INVALID);
	t[20] = t[20] == '0' ? '1' : '0';
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW, T_WINDOW), CSRF_INVALID);
	t[20] = '\0';
	assert_int_equal(csrf_token_check(test_secret, "alice", t, T_NOW, T_WINDOW), CSRF_INVALID);
	assert_int_equal(csrf_token_check(test_secret, "alice", "-", T_NOW, T_WINDOW), CSRF_INVALID);
	assert_int_equal(csrf_token_check(test_secret, "alice", "+1-00", T_NOW, T_WINDOW), CSRF_INVALID);
	assert_int_equal(csrf_token_check(test_secret, "alice", "", T_NOW, T_WINDOW), CSRF_INVALID);
	assert_int_equal(csrf_token_check(test_secret, "alice", NULL, T_NOW, T_WINDOW), CSRF_MISSING);
	assert_int_equal(csrf_token_check(test_secret, NULL, old, T_NOW, T_WINDOW), CSRF_INVALID);
}

/* Writable copies of the strings req_fill puts in a request (its members are char *), valid until the next call. */
static struct {
	char	 path[128], host[32], scheme[8], origin[128], site[64], ctype[64];
} req_strings;

/* s copied into buf (NULL stays NULL: the header is absent). */
static char *
req_copy(char *buf, size_t n, const char *s)
{
	if (s == NULL)
		return NULL;
	assert_true(strlen(s) < n);
	memcpy(buf, s, strlen(s) + 1);
	return buf;
}

/* A POST to path with the given headers (NULL: absent). */
static void
req_fill(struct http_request *req, const char *path, const char *origin, const char *site,
    const char *ctype)
{
	http_request_init(req);
	req->method = HTTP_METHOD_POST;
	req->path = req_copy(req_strings.path, sizeof(req_strings.path), path);
	req->host = req_copy(req_strings.host, sizeof(req_strings.host), "fm.example.com");
	req->scheme = req_copy(req_strings.scheme, sizeof(req_strings.scheme), "https");
	req->origin = req_copy(req_strings.origin, sizeof(req_strings.origin), origin);
	req->sec_fetch_site = req_copy(req_strings.site, sizeof(req_strings.site), site);
	req->content_type = req_copy(req_strings.ctype, sizeof(req_strings.ctype), ctype);
	req->user = "alice";
}

static void
test_origin(void **state)
{
	static const struct {
		const char	*path, *origin, *site, *ctype;
		int		 ok;
	} cases[] = {
		{ "/customers/1/checkins", NULL, NULL, NULL, 1 },	/* old browser or script */
		{ "/customers/1/checkins", "https://fm.example.com", "same-origin", NULL, 1 },
		{ "/customers/1/checkins", "https://FM.example.com:443", NULL, NULL, 1 },
		{ "/customers/1/checkins", NULL, "none", NULL, 1 },	/* typed by the user */
		{ "/customers/1/checkins", "https://fm.example.com", "cross-site", NULL, 0 },
		{ "/customers/1/checkins", NULL, "same-site", NULL, 0 },
		{ "/customers/1/checkins", "https://evil.example", NULL, NULL, 0 },
		{ "/customers/1/checkins", "http://fm.example.com", NULL, NULL, 0 },	/* scheme differs */
		{ "/customers/1/checkins", "https://fm.example.com:8443", NULL, NULL, 0 },
		{ "/customers/1/checkins", "https://fm.example.com.evil.example", NULL, NULL, 0 },
		{ "/customers/1/checkins", "null", NULL, NULL, 0 },
		{ "/customers/1/checkins", "http://127.0.0.1:8080", NULL, NULL, 1 },	/* base_url's origin */
		{ "/api/customers", NULL, NULL, "application/json", 1 },
		{ "/api/customers", "https://fm.example.com", NULL, "application/json; charset=utf-8", 1 },
		{ "/api/customers", NULL, NULL, "text/plain", 0 },
		{ "/api/customers", NULL, NULL, "application/x-www-form-urlencoded", 0 },
		{ "/api/customers", NULL, NULL, NULL, 0 },
		{ "/api/customers", NULL, NULL, "application/jsonp", 0 },
		{ "/api/customers", "https://evil.example", NULL, "application/json", 0 },
		{ "/api/customers", NULL, "cross-site", "application/json", 0 },
	};
	struct http_request	 req;
	struct result		 why;
	size_t			 i;
	int			 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		req_fill(&req, cases[i].path, cases[i].origin, cases[i].site, cases[i].ctype);
		result_clear(&why);
		rc = csrf_check_origin(&req, "http://127.0.0.1:8080/app", &why);
		if ((rc == 0) != cases[i].ok)
			fail_msg("case %zu (%s origin=%s site=%s type=%s): rc %d why '%s'", i,
			    cases[i].path, cases[i].origin ? cases[i].origin : "-",
			    cases[i].site ? cases[i].site : "-", cases[i].ctype ? cases[i].ctype : "-",
			    rc, why.message);
		if (!cases[i].ok)
			assert_true(why.code == RESULT_INVALID && why.message[0] != '\0');
	}
}

static void
test_check_token(void **state)
{
	struct http_request	 req;
	struct result		 why;
	char			 tok[CSRF_TOKEN_SIZE], body[200];

	(void)state;
	csrf_token(test_secret, "alice", T_NOW, T_WINDOW, tok);

	/* form with the right token */
	req_fill(&req, "/customers/1/checkins", NULL, NULL, NULL);
	snprintf(body, sizeof(body), "summary=x&csrf=%s", tok);
	assert_int_equal(http_parse_urlencoded(body, strlen(body), &req.body_fields, &why), 0);
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why), CSRF_VALID);
	/* two windows later: expired, and the message says to submit again */
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW + 2 * T_WINDOW, T_WINDOW, &why), CSRF_EXPIRED);
	assert_non_null(strstr(why.message, "expired"));
	/* the same token for another user */
	req.user = "bob";
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why),
	    CSRF_INVALID);
	http_fields_free(&req.body_fields);

	/* no token */
	req_fill(&req, "/customers/1/checkins", NULL, NULL, NULL);
	assert_int_equal(http_parse_urlencoded("summary=x", 9, &req.body_fields, &why), 0);
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why),
	    CSRF_MISSING);
	assert_non_null(strstr(why.message, "no CSRF token"));
	http_fields_free(&req.body_fields);

	/* a JSON body to an HTML route carries it as a member */
	req_fill(&req, "/customers/1/checkins", NULL, NULL, "application/json");
	req.json = json_object_new_object();
	json_object_object_add(req.json, "csrf", json_object_new_string(tok));
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why), CSRF_VALID);
	json_object_object_add(req.json, "csrf", json_object_new_int(1));
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why),
	    CSRF_MISSING);
	json_object_put(req.json);

	/* the API needs no token (its Content-Type is the proof) */
	req_fill(&req, "/api/customers", NULL, NULL, "application/json");
	assert_int_equal(csrf_check_token(&req, test_secret, T_NOW, T_WINDOW, &why), CSRF_VALID);
}

UNIT_MAIN("csrf",
	cmocka_unit_test(test_sha256_vectors),
	cmocka_unit_test(test_hmac_rfc4231),
	cmocka_unit_test(test_secret_file),
	cmocka_unit_test(test_token),
	cmocka_unit_test(test_origin),
	cmocka_unit_test(test_check_token),
)
