/* curl_mail.c -- the mail reference: one pre-rendered 3 KB message sent N times over one reused libcurl SMTP connection. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "bench.h"

#define MAIL_BODY_TARGET	3072

struct src {
	const char	*data;
	size_t		 len;
	size_t		 off;
};

static size_t
read_cb(char *out, size_t size, size_t nmemb, void *arg)
{
	struct src	*s = arg;
	size_t		 room = size * nmemb, n = s->len - s->off;

	if (n > room)
		n = room;
	memcpy(out, s->data + s->off, n);
	s->off += n;
	return n;
}

/* A plain text message of about 3 KB: headers, then lines of 72 characters (RFC 5322 section 2.1.1). */
static char *
make_message(size_t *len)
{
	static const char head[] =
	    "From: ftsuccess <ftsuccess@localhost>\r\n"
	    "To: Bench Contact <contact@example.com>\r\n"
	    "Subject: Check-in: bench\r\n"
	    "Date: Thu, 01 Jan 2026 12:00:00 +0000\r\n"
	    "Message-ID: <bench@localhost>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n\r\n";
	size_t	 cap = MAIL_BODY_TARGET + 256, n;
	char	*m = malloc(cap);

	if (m == NULL)
		return NULL;
	n = sizeof(head) - 1;
	memcpy(m, head, n);
	while (n + 74 < MAIL_BODY_TARGET) {
		memset(m + n, 'x', 72);
		memcpy(m + n + 72, "\r\n", 2);
		n += 74;
	}
	*len = n;
	return m;
}

int
main(int argc, char *argv[])
{
	struct curl_slist	*rcpt = NULL;
	struct src		 s;
	CURL			*c;
	CURLcode		 rc;
	char			*msg;
	double			 t0, t;
	size_t			 len;
	long			 n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: curl_mail smtp://127.0.0.1:PORT COUNT\n");
		return 2;
	}
	if (bench_count("curl_mail", "count", argv[2], &n) == -1)
		return 2;
	if ((msg = make_message(&len)) == NULL)
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if ((c = curl_easy_init()) == NULL)
		return 1;
	if ((rcpt = curl_slist_append(rcpt, "<contact@example.com>")) == NULL)
		return 1;
	/* Every option checked, as the notifier does: a refused one would measure something else. */
	if ((rc = curl_easy_setopt(c, CURLOPT_URL, argv[1])) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_MAIL_FROM, "<ftsuccess@localhost>")) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt)) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_UPLOAD, 1L)) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb)) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_READDATA, &s)) != CURLE_OK ||
	    (rc = curl_easy_setopt(c, CURLOPT_INFILESIZE, (long)len)) != CURLE_OK) {
		fprintf(stderr, "curl_mail: setopt: %s\n", curl_easy_strerror(rc));
		return 1;
	}
	t0 = bench_now_s();
	for (i = 0; i < n; i++) {
		s.data = msg;
		s.len = len;
		s.off = 0;
		/* The same easy handle keeps the connection: the next mail starts with RSET/MAIL FROM. */
		if ((rc = curl_easy_perform(c)) != CURLE_OK) {
			fprintf(stderr, "curl_mail: message %ld: %s\n", i, curl_easy_strerror(rc));
			return 1;
		}
	}
	t = bench_now_s() - t0;
	printf("messages=%ld bytes=%zu seconds=%.3f rate=%.1f\n", n, len, t, (double)n / t);
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	curl_global_cleanup();
	free(msg);
	return 0;
}
