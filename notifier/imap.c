/* imap.c -- polls the organizer's mailbox with libcurl: search, fetch, apply in the store, then flag; the store's unique message key makes a re-read message count once. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "imap.h"
#include "imip.h"
#include "log.h"
#include "smtp.h"

struct imap_session {
	CURL		*h;
	char		 base[600];	/* imap(s)://host[:port]/MAILBOX, no trailing '/' */
	char		 password[512];
	char		 errbuf[CURL_ERROR_SIZE];
	struct buf	 body;		/* what the last command returned */
	int		 overflow;	/* the message was larger than IMIP_MESSAGE_MAX */
};

/* Each setopt is checked: a silently ignored option could mean TLS not enforced. */
#define IMAP_SETOPT(h, opt, val) do {						\
	CURLcode rc_ = curl_easy_setopt((h), (opt), (val));			\
	if (rc_ != CURLE_OK) {							\
		result_set(r, RESULT_IO, NULL, "curl_easy_setopt(%s): %s", #opt,	\
		    curl_easy_strerror(rc_));					\
		goto fail;							\
	}									\
} while (0)

/* Keeps at most IMIP_MESSAGE_MAX + 1 bytes: the reader refuses what is larger anyway. */
static size_t
imap_write(char *data, size_t size, size_t n, void *arg)
{
	struct imap_session *s = arg;
	size_t len = size * n;
	size_t room = IMIP_MESSAGE_MAX + 1 > s->body.len ? IMIP_MESSAGE_MAX + 1 - s->body.len : 0;

	if (len > room)
		s->overflow = 1;
	if (buf_append(&s->body, data, len < room ? len : room) == -1)
		return 0;	/* out of memory: curl stops with CURLE_WRITE_ERROR */
	return len;
}

/* The base URL with a mailbox: "INBOX" when the URL names none. */
static int
imap_base(struct imap_session *s, const char *url, struct result *r)
{
	size_t n = strlen(url);
	const char *host = strstr(url, "://");

	while (n > 0 && url[n - 1] == '/')
		n--;
	host = host != NULL ? host + 3 : url;
	int has_path = memchr(host, '/', n - (size_t)(host - url)) != NULL;
	if (snprintf(s->base, sizeof(s->base), "%.*s%s", (int)n, url,
	    has_path ? "" : "/INBOX") >= (int)sizeof(s->base))
		return result_set(r, RESULT_INVALID, "imap_url", "imap_url %.200s: too long", url);
	return 0;
}

int
imap_open(struct imap_session **sp, const struct config *cfg, struct result *r)
{
	struct imap_session	*s;
	enum smtp_tls		 tls;

	*sp = NULL;
	if (smtp_url_policy(cfg->imap_url, "imap_url", "imap", "imaps", &tls, r) == -1)
		return -1;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory for the IMAP session");
	if (imap_base(s, cfg->imap_url, r) == -1)
		goto fail;
	/* The transport and login as for SMTP (smtp.c): one place decides TLS. */
	s->h = smtp_curl_open(&(struct smtp_login){ .tls = tls, .key = "imap",
	    .ca_file = cfg->imap_ca_file, .user = cfg->imap_user,
	    .password_file = cfg->imap_password_file }, cfg, s->password, sizeof(s->password),
	    s->errbuf, r);
	if (s->h == NULL)
		goto fail;
	IMAP_SETOPT(s->h, CURLOPT_WRITEFUNCTION, imap_write);
	IMAP_SETOPT(s->h, CURLOPT_WRITEDATA, s);
	*sp = s;
	return 0;
fail:
	imap_close(s);
	return -1;
}

void
imap_close(struct imap_session *s)
{
	if (s == NULL)
		return;
	if (s->h != NULL)
		curl_easy_cleanup(s->h);
	buf_free(&s->body);
	explicit_bzero(s->password, sizeof(s->password));
	free(s);
}

/*
 * One IMAP request: url (NULL: the mailbox) with command (NULL: a FETCH
 * the URL says), its output in s->body.
 */
static int
imap_request(struct imap_session *s, const char *url, const char *command, struct result *r)
{
	CURLcode rc;

	buf_reset(&s->body);
	s->overflow = 0;
	s->errbuf[0] = '\0';
	if ((rc = curl_easy_setopt(s->h, CURLOPT_URL, url != NULL ? url : s->base)) != CURLE_OK ||
	    (rc = curl_easy_setopt(s->h, CURLOPT_CUSTOMREQUEST, command)) != CURLE_OK)
		return result_set(r, RESULT_IO, NULL, "imap: curl_easy_setopt: %s",
		    curl_easy_strerror(rc));
	rc = curl_easy_perform(s->h);
	if (rc != CURLE_OK)
		return result_set(r, RESULT_IO, "imap_url", "imap: %s on %.200s: %s",
		    command != NULL ? command : "FETCH", url != NULL ? url : s->base,
		    s->errbuf[0] != '\0' ? s->errbuf : curl_easy_strerror(rc));
	if (s->body.failed)
		return result_set(r, RESULT_IO, NULL, "imap: out of memory reading %.200s",
		    url != NULL ? url : s->base);
	return 0;
}

size_t
imap_search_parse(const char *text, uint32_t *uids, size_t max)
{
	const char *line = text;
	size_t n = 0;

	/* RFC 3501 7.2.5: "* SEARCH" then the numbers, space-separated, on one line. */
	while (line != NULL && *line != '\0') {
		if (strncasecmp(line, "* SEARCH", 8) == 0) {
			const char *p = line + 8;
			while (*p == ' ' && n < max) {
				char *end;
				p++;
				errno = 0;
				unsigned long v = strtoul(p, &end, 10);
				if (end == p || errno != 0 || v == 0 || v > UINT32_MAX)
					break;
				uids[n++] = (uint32_t)v;
				p = end;
			}
		}
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	return n;
}

int
imap_apply_message(struct store *st, const char *msg, size_t len, int64_t now,
    enum store_reply_outcome *outcome, struct result *r)
{
	struct imip_message *m;
	int rc = -1;

	/* 2 KB of strings: on the heap, not the daemon's stack. */
	if ((m = malloc(sizeof(*m))) == NULL)
		return result_set(r, RESULT_IO, NULL, "imap: out of memory for a message");
	if (imip_parse(msg, len, m, r) == 0) {
		const struct store_reply in = {
			.key = m->key, .kind = imip_kind_key(m->kind),
			.reason = imip_reason_key(m->reason), .detail = m->detail,
			.from = m->from, .subject = m->subject, .uid = m->uid,
			.attendee = m->attendee, .partstat = m->partstat, .sequence = m->sequence,
			.has_recurrence = m->has_recurrence,
			.recurrence_zoned = m->recurrence_zoned, .recurrence_at = m->recurrence_at,
			.recurrence_day = m->recurrence_day, .proposed_start = m->proposed_start,
			.proposed_end = m->proposed_end, .local_day = imip_local_day,
		};
		rc = store_reply_apply(st, &in, now, outcome, r);
	}
	free(m);
	return rc;
}

/* The test hooks of imap.h: say where we are with a file, then wait to be killed. */
static void
imap_test_pause(const char *env, volatile sig_atomic_t *stop)
{
	const char *path = getenv(env);
	int fd;

	if (path == NULL || path[0] == '\0')
		return;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) != -1)
		close(fd);
	for (int i = 0; i < IMAP_PAUSE_SECONDS * 10 && !*stop; i++)
		(void)nanosleep(&(struct timespec){ .tv_nsec = 100000000 }, NULL);
}

/* Fetch, apply and flag the message with this UID. */
static int
imap_one(struct imap_session *s, struct store *st, uint32_t uid, int64_t now,
    volatile sig_atomic_t *stop, struct imap_stats *stats, struct result *r)
{
	enum store_reply_outcome outcome;
	char url[700], cmd[96], q[400];

	snprintf(url, sizeof(url), "%s/;UID=%u", s->base, (unsigned)uid);
	if (imap_request(s, url, NULL, r) == -1)
		return -1;
	stats->fetched++;
	imap_test_pause(IMAP_PAUSE_ENV, stop);
	if (imap_apply_message(st, s->body.data != NULL ? s->body.data : "", s->body.len, now,
	    &outcome, r) == -1)
		return -1;
	stats->outcomes[outcome]++;
	log_info("imap: message uid=%u outcome=%s%s", (unsigned)uid,
	    store_reply_outcome_key(outcome), s->overflow ? " (too large, kept unmatched)" : "");
	imap_test_pause(IMAP_PAUSE_FLAG_ENV, stop);
	/* Only now, the result committed: flagged so the next poll skips it (RFC 3501 6.4.6). */
	snprintf(cmd, sizeof(cmd), "UID STORE %u +FLAGS (\\Seen %s)", (unsigned)uid,
	    IMAP_DONE_KEYWORD);
	if (imap_request(s, NULL, cmd, r) == -1) {
		log_errorx("imap: flag failed uid=%u (read again next poll) err=%s", (unsigned)uid,
		    log_quote(r->message, q, sizeof(q)));
		return -1;
	}
	return 0;
}

int
imap_poll(struct imap_session *s, struct store *st, int64_t now, volatile sig_atomic_t *stop,
    struct imap_stats *stats, struct result *r)
{
	uint32_t *uids;
	size_t n;
	int rc = 0;

	if (imap_request(s, NULL, "UID SEARCH UNKEYWORD " IMAP_DONE_KEYWORD, r) == -1)
		return -1;
	if ((uids = calloc(IMAP_POLL_MAX, sizeof(*uids))) == NULL)
		return result_set(r, RESULT_IO, NULL, "imap: out of memory for the UID list");
	n = imap_search_parse(buf_cstr(&s->body), uids, IMAP_POLL_MAX);
	for (size_t i = 0; i < n && !*stop && rc == 0; i++)
		rc = imap_one(s, st, uids[i], now, stop, stats, r);
	free(uids);
	return rc;
}
