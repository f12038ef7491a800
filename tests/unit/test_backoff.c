/* test_backoff.c -- the notifier's pure policies: retry schedule, reply classification, TLS rule. */
#include "autoconfig.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "drain.h"
#include "smtp.h"
#include "unit.h"

static void
test_backoff_schedule(void **state)
{
	static const struct { int attempts; int64_t want; } cases[] = {
		{ 0, 60 }, { 1, 60 }, { 2, 120 }, { 3, 240 }, { 4, 480 }, { 5, 960 },
		{ 6, 1920 }, { 7, 3600 }, { 8, 3600 }, { 40, 3600 }, { INT_MAX, 3600 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (drain_backoff(DRAIN_BACKOFF_FIRST, cases[i].attempts) != cases[i].want)
			fail_msg("attempts %d: got %lld want %lld", cases[i].attempts,
			    (long long)drain_backoff(DRAIN_BACKOFF_FIRST, cases[i].attempts), (long long)cases[i].want);
	}
}

static void
test_backoff_doubles_until_cap(void **state)
{
	int64_t	prev = 0, d;
	int	a;

	(void)state;
	for (a = 1; a < 30; a++) {
		d = drain_backoff(DRAIN_BACKOFF_FIRST, a);
		assert_true(d >= prev);
		assert_true(d <= DRAIN_BACKOFF_MAX);
		if (prev != 0 && prev * 2 <= DRAIN_BACKOFF_MAX)
			assert_int_equal(d, prev * 2);
		prev = d;
	}
}

static void
test_retry_lifetime(void **state)
{
	const int64_t	created = 1700000000, life = 5 * 86400, end = created + life;
	int64_t		next;

	(void)state;
	next = 0;
	assert_int_equal(drain_retry_at(created, created + 5, 1, life, DRAIN_BACKOFF_FIRST, &next), 0);
	assert_int_equal(next, created + 5 + 60);
	assert_int_equal(drain_retry_at(created, created + 1000, 3, life, DRAIN_BACKOFF_FIRST, &next), 0);
	assert_int_equal(next, created + 1000 + 240);
	/* The last retry is clamped to the end of the lifetime, not skipped. */
	assert_int_equal(drain_retry_at(created, end - 30, 9, life, DRAIN_BACKOFF_FIRST, &next), 0);
	assert_int_equal(next, end);
	assert_true(next > end - 30);
	/* At or past the end: dead. */
	assert_int_equal(drain_retry_at(created, end, 10, life, DRAIN_BACKOFF_FIRST, &next), -1);
	assert_int_equal(drain_retry_at(created, end + 3600, 10, life, DRAIN_BACKOFF_FIRST, &next), -1);
	/* A one-minute lifetime (the smallest the config takes). */
	assert_int_equal(drain_retry_at(created, created, 1, 60, DRAIN_BACKOFF_FIRST, &next), 0);
	assert_int_equal(next, created + 60);
	assert_int_equal(drain_retry_at(created, created + 60, 2, 60, DRAIN_BACKOFF_FIRST, &next), -1);
}

static void
test_classify(void **state)
{
	static const struct { CURLcode rc; long code; enum smtp_status want; } cases[] = {
		{ CURLE_OK, 250, SMTP_SENT },
		{ CURLE_SEND_ERROR, 451, SMTP_RETRY },		/* RCPT/MAIL 4xx */
		{ CURLE_WEIRD_SERVER_REPLY, 452, SMTP_RETRY },	/* end of DATA 4xx */
		{ CURLE_SEND_ERROR, 550, SMTP_DEAD },
		{ CURLE_WEIRD_SERVER_REPLY, 554, SMTP_DEAD },
		{ CURLE_RECV_ERROR, 421, SMTP_RETRY },
		{ CURLE_COULDNT_CONNECT, 0, SMTP_RETRY },
		{ CURLE_COULDNT_RESOLVE_HOST, 0, SMTP_RETRY },
		{ CURLE_OPERATION_TIMEDOUT, 0, SMTP_RETRY },
		{ CURLE_USE_SSL_FAILED, 0, SMTP_RETRY },
		{ CURLE_PEER_FAILED_VERIFICATION, 0, SMTP_RETRY },
		{ CURLE_LOGIN_DENIED, 535, SMTP_RETRY },
		{ CURLE_GOT_NOTHING, 0, SMTP_RETRY },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (smtp_classify(cases[i].rc, cases[i].code) != cases[i].want)
			fail_msg("case %zu (%d, %ld): got %d want %d", i, (int)cases[i].rc,
			    cases[i].code, (int)smtp_classify(cases[i].rc, cases[i].code),
			    (int)cases[i].want);
}

static void
test_loopback(void **state)
{
	static const struct { const char *host; int want; } cases[] = {
		{ "127.0.0.1", 1 }, { "127.255.3.9", 1 }, { "localhost", 1 }, { "LocalHost", 1 },
		{ "[::1]", 1 }, { "[0:0:0:0:0:0:0:1]", 1 },
		{ "localhost.", 0 }, { "localhost.example.com", 0 }, { "128.0.0.1", 0 },
		{ "10.0.0.1", 0 }, { "0.0.0.0", 0 }, { "[::2]", 0 }, { "::1", 0 },
		{ "127.0.0.1.example.com", 0 }, { "mail.example.com", 0 }, { "", 0 },
		{ "[::ffff:127.0.0.1]", 1 }, { "[::ffff:10.0.0.1]", 0 }, { "[127.0.0.1]", 0 },
	};
	size_t	i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (smtp_host_is_loopback(cases[i].host) != cases[i].want)
			fail_msg("%s: want %d", cases[i].host, cases[i].want);
}

static void
test_tls_policy(void **state)
{
	static const struct { const char *url; int rc; enum smtp_tls want; } cases[] = {
		{ "smtps://mail.example.com:465", 0, SMTP_TLS_IMPLICIT },
		{ "smtps://127.0.0.1:465", 0, SMTP_TLS_IMPLICIT },
		{ "smtp://mail.example.com:587", 0, SMTP_TLS_STARTTLS },
		{ "smtp://127.0.0.1:25", 0, SMTP_TLS_NONE },
		{ "smtp://127.0.0.1:2525/ehlo.example", 0, SMTP_TLS_NONE },
		{ "smtp://[::1]:25", 0, SMTP_TLS_NONE },
		{ "smtp://localhost:25", 0, SMTP_TLS_NONE },
		{ "smtp://localhost.:25", 0, SMTP_TLS_STARTTLS },
		{ "SMTP://mail.example.com", 0, SMTP_TLS_STARTTLS },
		{ "http://mail.example.com", -1, SMTP_TLS_NONE },
		{ "imap://127.0.0.1", -1, SMTP_TLS_NONE },
		{ "smtp://", -1, SMTP_TLS_NONE },
	};
	struct result	r;
	enum smtp_tls	tls;
	size_t		i;
	int		rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tls = (enum smtp_tls)99;
		result_clear(&r);
		rc = smtp_tls_policy(cases[i].url, &tls, &r);
		if (rc != cases[i].rc)
			fail_msg("%s: rc %d want %d (%s)", cases[i].url, rc, cases[i].rc, r.message);
		if (rc == 0 && tls != cases[i].want)
			fail_msg("%s: tls %d want %d", cases[i].url, (int)tls, (int)cases[i].want);
		if (rc == -1)
			assert_int_equal(r.code, RESULT_INVALID);
	}
}

UNIT_MAIN("backoff",
	cmocka_unit_test(test_backoff_schedule),
	cmocka_unit_test(test_backoff_doubles_until_cap),
	cmocka_unit_test(test_retry_lifetime),
	cmocka_unit_test(test_classify),
	cmocka_unit_test(test_loopback),
	cmocka_unit_test(test_tls_policy),
)
