/* smtp.c -- the only libcurl user of the notifier: sends the bytes mail_message wrote to the SMTP server. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "fileio.h"
#include "log.h"
#include "net.h"
#include "smtp.h"
#include "text.h"

/* The 7.88 spelling (three Ls); 8.2 renamed it and kept the old name as an alias. */
#if LIBCURL_VERSION_NUM >= 0x080200
#define SMTP_OPT_RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLOWFAILS
#else
#define SMTP_OPT_RCPT_ALLOWFAILS	CURLOPT_MAIL_RCPT_ALLLOWFAILS
#endif

#define SMTP_PASSWORD_MAX	1024

struct smtp_session {
	CURL		*h;
	char		 errbuf[CURL_ERROR_SIZE];
	char		 reply[512];		/* last reply line seen (debug callback) */
	char		 pending_rcpt[MAIL_ADDR_MAX]; /* address of the RCPT awaiting its reply */
	char		 refused[1024];
	int		 quitting;		/* QUIT sent: its 221 is not the message's reply */
	int		 challenged;		/* last reply was 334: the next line is a credential */
	int		 fresh;			/* the last transaction failed: do not reuse its connection */
	char		 password[SMTP_PASSWORD_MAX];
	struct smtp_rcpt *rcpt;			/* this send's recipients, in RCPT order */
	size_t		 nrcpt;
	size_t		 rcpt_next;		/* index of the next RCPT line curl sends */
	size_t		 rcpt_cur;		/* index of the RCPT awaiting its reply */
	smtp_progress_fn progress;
	void		*progress_arg;
	int		 aborted;
};

int
smtp_host_is_loopback(const char *host)
{
	char		 tmp[64];
	size_t		 len;

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	len = strlen(host);
	/* A URL spells an IPv6 host in brackets; a bare "::1" is no URL host. */
	if (len > 2 && len < sizeof(tmp) && host[0] == '[' && host[len - 1] == ']') {
		memcpy(tmp, host + 1, len - 2);
		tmp[len - 2] = '\0';
		return strchr(tmp, ':') != NULL && net_addr_loopback(tmp);
	}
	return strchr(host, ':') == NULL && net_addr_loopback(host);
}

int
smtp_url_policy(const char *url, const char *field, const char *plain, const char *secure,
    enum smtp_tls *tls, struct result *r)
{
	CURLU		*u;
	CURLUcode	 uc;
	char		*scheme = NULL, *host = NULL;
	int		 rc = -1;

	u = curl_url();
	if (u == NULL)
		return result_set(r, RESULT_IO, NULL, "curl_url: out of memory");
	uc = curl_url_set(u, CURLUPART_URL, url, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
	if (uc == CURLUE_OK)
		uc = curl_url_get(u, CURLUPART_HOST, &host, 0);
	if (uc != CURLUE_OK) {
		result_set(r, RESULT_INVALID, field, "%s %.200s: %s", field, url,
		    curl_url_strerror(uc));
		goto out;
	}
	if (strcasecmp(scheme, secure) == 0)
		*tls = SMTP_TLS_IMPLICIT;
	else if (strcasecmp(scheme, plain) == 0)
		*tls = smtp_host_is_loopback(host) ? SMTP_TLS_NONE : SMTP_TLS_STARTTLS;
	else {
		result_set(r, RESULT_INVALID, field,
		    "%s %.200s: scheme must be %s or %s", field, url, plain, secure);
		goto out;
	}
	rc = 0;
out:
	curl_free(scheme);
	curl_free(host);
	curl_url_cleanup(u);
	return rc;
}

int
smtp_tls_policy(const char *url, enum smtp_tls *tls, struct result *r)
{
	return smtp_url_policy(url, "smtp_url", "smtp", "smtps", tls, r);
}

int
smtp_global_init(struct result *r)
{
	CURLcode	rc;

	rc = curl_global_init(CURL_GLOBAL_DEFAULT);
	if (rc != CURLE_OK)
		return result_set(r, RESULT_IO, NULL, "curl_global_init: %s", curl_easy_strerror(rc));
	return 0;
}

void
smtp_global_cleanup(void)
{
	curl_global_cleanup();
}

enum smtp_status
smtp_classify(int rc, long code)
{
	if (rc == CURLE_OK)
		return SMTP_SENT;
	/* A refused AUTH (535) condemns the configuration, not this message. */
	if (rc == CURLE_LOGIN_DENIED)
		return SMTP_RETRY;
	if (code >= 500 && code <= 599)
		return SMTP_DEAD;
	return SMTP_RETRY;
}

/* Copy one reply line without its CRLF and without control characters. */
static void
smtp_copy_line(char *dst, size_t size, const char *src, size_t len)
{
	size_t	i, j = 0;

	for (i = 0; i < len && j + 1 < size; i++) {
		if (src[i] == '\r' || src[i] == '\n')
			break;
		dst[j++] = (unsigned char)src[i] < 0x20 ? ' ' : src[i];
	}
	dst[j] = '\0';
}

/*
 * curl's trace: keeps the last reply line (curl gives only its code), notes
 * which RCPT got a refusal, and feeds the debug log.  Lines we send are
 * logged except AUTH and whatever answers a 334 challenge (RFC 4954 section
 * 4: credentials, base64 is not a secret); only RCPT lines are looked into.
 */
static int
smtp_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	struct smtp_session	*s = arg;
	char			 line[512], q[600];
	const char		*lt, *gt;
	size_t			 len;

	(void)h;
	if (type == CURLINFO_TEXT) {
		smtp_copy_line(line, sizeof(line), data, size);
		log_debug("smtp: * %s", log_quote(line, q, sizeof(q)));
	} else if (type == CURLINFO_HEADER_IN) {
		smtp_copy_line(line, sizeof(line), data, size);
		log_debug("smtp: < %s", log_quote(line, q, sizeof(q)));
		s->challenged = strncmp(line, "334", 3) == 0;
		if (s->quitting)
			return 0;
		snprintf(s->reply, sizeof(s->reply), "%s", line);
		/* Continuation lines ("250-...") are not the final answer to the RCPT. */
		if (s->pending_rcpt[0] != '\0' && strlen(s->reply) >= 4 && s->reply[3] != '-') {
			if (s->reply[0] == '4' || s->reply[0] == '5') {
				len = strlen(s->refused);
				snprintf(s->refused + len, sizeof(s->refused) - len, "%s%s: %s",
				    len > 0 ? "; " : "", s->pending_rcpt, s->reply);
			}
			if (s->rcpt_cur < s->nrcpt) {
				s->rcpt[s->rcpt_cur].code = strtol(s->reply, NULL, 10);
				snprintf(s->rcpt[s->rcpt_cur].reply, sizeof(s->rcpt[0].reply), "%s",
				    s->reply);
			}
			s->pending_rcpt[0] = '\0';
		}
	} else if (type == CURLINFO_HEADER_OUT) {
		s->pending_rcpt[0] = '\0';
		if (s->challenged || (size >= 4 && strncasecmp(data, "AUTH", 4) == 0)) {
			log_debug("smtp: > (authentication, not logged)");
			s->challenged = 0;
			return 0;
		}
		smtp_copy_line(line, sizeof(line), data, size);
		log_debug("smtp: > %s", log_quote(line, q, sizeof(q)));
		if (strncasecmp(line, "QUIT", 4) == 0)
			s->quitting = 1;
		else if (strncasecmp(line, "RCPT TO:", 8) == 0) {
			/* curl sends the RCPTs in list order, one reply each (no pipelining). */
			s->rcpt_cur = s->rcpt_next++;
			lt = strchr(line, '<');
			gt = lt != NULL ? strchr(lt, '>') : NULL;
			if (lt != NULL && gt != NULL && (size_t)(gt - lt - 1) < sizeof(s->pending_rcpt)) {
				memcpy(s->pending_rcpt, lt + 1, (size_t)(gt - lt - 1));
				s->pending_rcpt[gt - lt - 1] = '\0';
			}
		}
	}
	return 0;
}

int
smtp_password_read(const char *path, const char *field, char *pw, size_t size,
    struct result *r)
{
	size_t	 n, len;
	int	 fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return result_set(r, RESULT_IO, field, "%s %.200s: %s",
		    field, path, strerror(errno));
	if (fileio_read(fd, pw, size - 1, &n) == -1) {
		result_set(r, RESULT_IO, field, "%s %.200s: %s",
		    field, path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	if (n == size - 1)
		return result_set(r, RESULT_INVALID, field,
		    "%s %.200s: longer than %zu bytes", field, path, size - 2);
	pw[n] = '\0';
	len = strlen(pw);
	if (len != n)
		return result_set(r, RESULT_INVALID, field,
		    "%s %.200s: holds a NUL byte", field, path);
	while (len > 0 && (pw[len - 1] == '\n' || pw[len - 1] == '\r'))
		pw[--len] = '\0';
	if (strchr(pw, '\n') != NULL || strchr(pw, '\r') != NULL)
		return result_set(r, RESULT_INVALID, field,
		    "%s %.200s: more than one line", field, path);
	return 0;
}

/* curl's progress callback: the owner's hook decides whether the transfer goes on. */
static int
smtp_xferinfo(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
    curl_off_t ulnow)
{
	struct smtp_session *s = arg;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (s->progress != NULL && s->progress(s->progress_arg) != 0) {
		s->aborted = 1;
		return 1;
	}
	return 0;
}

/* Each setopt is checked: a silently ignored option could mean TLS not enforced. */
#define SMTP_SETOPT(h, opt, val) do {						\
	CURLcode rc_ = curl_easy_setopt((h), (opt), (val));			\
	if (rc_ != CURLE_OK) {							\
		result_set(r, RESULT_IO, NULL, "curl_easy_setopt(%s): %s", #opt,	\
		    curl_easy_strerror(rc_));					\
		goto fail;							\
	}									\
} while (0)

void *
smtp_curl_open(const struct smtp_login *l, const struct config *cfg, char *pw, size_t size,
    char *errbuf, struct result *r)
{
	CURL	*h;
	char	 key[48], protos[16];

	if ((h = curl_easy_init()) == NULL) {
		result_set(r, RESULT_IO, NULL, "curl_easy_init failed");
		return NULL;
	}
	/* Only this protocol's two schemes, whatever a URL (or a redirect) says. */
	snprintf(protos, sizeof(protos), "%s,%ss", l->key, l->key);
#if LIBCURL_VERSION_NUM >= 0x075500
	SMTP_SETOPT(h, CURLOPT_PROTOCOLS_STR, protos);
#else
	SMTP_SETOPT(h, CURLOPT_PROTOCOLS, strcmp(l->key, "imap") == 0 ?
	    (long)(CURLPROTO_IMAP | CURLPROTO_IMAPS) : (long)(CURLPROTO_SMTP | CURLPROTO_SMTPS));
#endif
	/*
	 * CURLUSESSL_ALL, not CURLUSESSL_TRY: with TRY a server (or a man in
	 * the middle stripping the STARTTLS capability, RFC 3207 section 6;
	 * RFC 3501 6.2.1 for IMAP) gets the credentials and the messages in
	 * clear.  With ALL, curl stops when STARTTLS is not offered or fails.
	 */
	SMTP_SETOPT(h, CURLOPT_USE_SSL, (long)(l->tls == SMTP_TLS_NONE ? CURLUSESSL_NONE :
	    CURLUSESSL_ALL));
	SMTP_SETOPT(h, CURLOPT_SSL_VERIFYPEER, 1L);
	SMTP_SETOPT(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (l->ca_file[0] != '\0')
		SMTP_SETOPT(h, CURLOPT_CAINFO, l->ca_file);
	if (l->user[0] != '\0') {
		snprintf(key, sizeof(key), "%s_password_file", l->key);
		if (l->password_file[0] == '\0') {
			result_set(r, RESULT_INVALID, key, "%s_user is set but %s is not", l->key, key);
			goto fail;
		}
		if (smtp_password_read(l->password_file, key, pw, size, r) == -1)
			goto fail;
		SMTP_SETOPT(h, CURLOPT_USERNAME, l->user);
		SMTP_SETOPT(h, CURLOPT_PASSWORD, pw);
	}
	SMTP_SETOPT(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->smtp_connect_timeout);
	SMTP_SETOPT(h, CURLOPT_TIMEOUT, (long)cfg->smtp_timeout);
	/* A daemon with signal handlers: no SIGALRM from the resolver. */
	SMTP_SETOPT(h, CURLOPT_NOSIGNAL, 1L);
	SMTP_SETOPT(h, CURLOPT_ERRORBUFFER, errbuf);
	return h;
fail:
	curl_easy_cleanup(h);
	return NULL;
}

int
smtp_open(struct smtp_session **sp, const struct config *cfg, struct result *r)
{
	struct smtp_session	*s;
	enum smtp_tls		 tls;

	*sp = NULL;
	if (smtp_tls_policy(cfg->smtp_url, &tls, r) == -1)
		return -1;
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory for the SMTP session");
	s->h = smtp_curl_open(&(struct smtp_login){ .tls = tls, .key = "smtp",
	    .ca_file = cfg->smtp_ca_file, .user = cfg->smtp_user,
	    .password_file = cfg->smtp_password_file }, cfg, s->password, sizeof(s->password),
	    s->errbuf, r);
	if (s->h == NULL)
		goto fail;
	SMTP_SETOPT(s->h, CURLOPT_URL, cfg->smtp_url);
	SMTP_SETOPT(s->h, CURLOPT_DEBUGFUNCTION, smtp_debug);
	SMTP_SETOPT(s->h, CURLOPT_DEBUGDATA, s);
	SMTP_SETOPT(s->h, CURLOPT_VERBOSE, 1L);	/* feeds smtp_debug; prints nothing itself */
	/* Deliver to the accepted recipients and record the refused ones. */
	SMTP_SETOPT(s->h, SMTP_OPT_RCPT_ALLOWFAILS, 1L);
	/*
	 * The progress callback runs after the body is written and before
	 * the end-of-data line (sent when the transfer is done), about once a
	 * second otherwise: the drain renews its lease there and stops a
	 * message it no longer owns before the server can accept it.
	 */
	SMTP_SETOPT(s->h, CURLOPT_XFERINFOFUNCTION, smtp_xferinfo);
	SMTP_SETOPT(s->h, CURLOPT_XFERINFODATA, s);
	SMTP_SETOPT(s->h, CURLOPT_NOPROGRESS, 0L);
	*sp = s;
	return 0;
fail:
	smtp_close(s);
	return -1;
}

void
smtp_close(struct smtp_session *s)
{
	if (s == NULL)
		return;
	if (s->h != NULL)
		curl_easy_cleanup(s->h);
	explicit_bzero(s->password, sizeof(s->password));
	free(s->rcpt);
	free(s);
}

void
smtp_set_progress(struct smtp_session *s, smtp_progress_fn fn, void *arg)
{
	s->progress = fn;
	s->progress_arg = arg;
}

void
smtp_outcome_free(struct smtp_outcome *out)
{
	free(out->rcpt);
	out->rcpt = NULL;
	out->nrcpt = 0;
}

/* The message bytes, read by curl as the upload after DATA. */
struct smtp_body {
	const struct buf *b;
	size_t		 pos;
};

/* curl's read callback: the next piece of the message, 0 at its end. */
static size_t
smtp_read(char *dst, size_t size, size_t nitems, void *arg)
{
	struct smtp_body	*body = arg;
	size_t			 n = size * nitems, left = body->b->len - body->pos;

	if (n > left)
		n = left;
	memcpy(dst, body->b->data + body->pos, n);
	body->pos += n;
	return n;
}

/*
 * Envelope and body of m on h: curl only dot-stuffs the upload and ends it
 * (RFC 5321 section 4.5.2); the headers and MIME are already in eml.
 */
static int
smtp_prepare(CURL *h, const struct mail *m, struct smtp_body *body, struct buf *eml,
    struct curl_slist **rcpt, struct result *r)
{
	struct curl_slist	*n;
	char			 from[MAIL_ADDR_MAX + 2];
	size_t			 i;

	*rcpt = NULL;
	for (i = 0; i < m->nrcpt; i++) {
		n = curl_slist_append(*rcpt, m->rcpt[i]);
		if (n == NULL) {
			result_set(r, RESULT_IO, NULL, "out of memory listing recipients");
			goto fail;
		}
		*rcpt = n;
	}
	if (mail_message(m, eml, r) == -1)
		goto fail;
	body->b = eml;
	body->pos = 0;
	snprintf(from, sizeof(from), "<%s>", m->envelope_from);
	SMTP_SETOPT(h, CURLOPT_MAIL_FROM, from);
	SMTP_SETOPT(h, CURLOPT_MAIL_RCPT, *rcpt);
	SMTP_SETOPT(h, CURLOPT_UPLOAD, 1L);
	SMTP_SETOPT(h, CURLOPT_READFUNCTION, smtp_read);
	SMTP_SETOPT(h, CURLOPT_READDATA, body);
	SMTP_SETOPT(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)eml->len);
	return 0;
fail:
	return -1;
}

/* Detach the per-message list from h before it is freed. */
static void
smtp_unprepare(CURL *h, struct curl_slist *rcpt, struct buf *eml)
{
	/* Setting NULL cannot fail for these options; results deliberately unused. */
	(void)curl_easy_setopt(h, CURLOPT_MAIL_RCPT, (struct curl_slist *)NULL);
	(void)curl_easy_setopt(h, CURLOPT_READDATA, (void *)NULL);
	curl_slist_free_all(rcpt);
	buf_free(eml);
}

void
smtp_send(struct smtp_session *s, const struct mail *m, struct smtp_outcome *out)
{
	struct curl_slist	*rcpt;
	struct smtp_body	 body;
	struct buf		 eml = { 0 };
	struct result		 res;
	CURLcode		 rc;
	long			 code = 0;

	memset(out, 0, sizeof(*out));
	result_clear(&res);
	free(s->rcpt);
	s->rcpt = calloc(m->nrcpt > 0 ? m->nrcpt : 1, sizeof(*s->rcpt));
	s->nrcpt = s->rcpt != NULL ? m->nrcpt : 0;
	s->rcpt_next = 0;
	s->rcpt_cur = SIZE_MAX;
	s->aborted = 0;
	if (s->rcpt == NULL) {
		out->status = SMTP_RETRY;
		snprintf(out->error, sizeof(out->error), "out of memory for %zu recipients", m->nrcpt);
		return;
	}
	if (smtp_prepare(s->h, m, &body, &eml, &rcpt, &res) == -1) {
		smtp_unprepare(s->h, rcpt, &eml);
		out->status = SMTP_RETRY;
		snprintf(out->error, sizeof(out->error), "%s", res.message);
		return;
	}
	s->errbuf[0] = '\0';
	s->reply[0] = '\0';
	s->refused[0] = '\0';
	s->pending_rcpt[0] = '\0';
	s->quitting = 0;
	/*
	 * After a failed transaction the server may still be inside it (aiosmtpd
	 * answers the next MAIL with "503 nested MAIL command"): a new
	 * connection starts clean.  Successful sessions keep reusing theirs.
	 */
	if ((rc = curl_easy_setopt(s->h, CURLOPT_FRESH_CONNECT, (long)s->fresh)) == CURLE_OK)
		rc = curl_easy_perform(s->h);
	s->fresh = rc != CURLE_OK;
	if (curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
		code = 0;
	smtp_unprepare(s->h, rcpt, &eml);
	out->code = code;
	out->status = smtp_classify(rc, code);
	/* Without a reply (connection refused, TLS failure) the last line is not this message's. */
	snprintf(out->reply, sizeof(out->reply), "%s", code != 0 ? s->reply : "");
	snprintf(out->refused, sizeof(out->refused), "%s", s->refused);
	/* curl's words ("Weird server reply") say little; the server's reply says why. */
	if (rc != CURLE_OK && code >= 400 && out->reply[0] != '\0')
		snprintf(out->error, sizeof(out->error), "%.220s; server said: %.270s", s->errbuf[0] != '\0' ?
		    s->errbuf : curl_easy_strerror(rc), out->reply);
	else if (rc != CURLE_OK)
		snprintf(out->error, sizeof(out->error), "%s", s->errbuf[0] != '\0' ?
		    s->errbuf : curl_easy_strerror(rc));
	/*
	 * No reply, or the last one was not a refusal (STARTTLS missing after a
	 * 250 to EHLO), or AUTH refused: nothing about this message failed.
	 */
	out->session_failed = out->status == SMTP_RETRY &&
	    (code < 400 || rc == CURLE_LOGIN_DENIED);
	if (rc == CURLE_ABORTED_BY_CALLBACK && s->aborted) {
		out->aborted = 1;
		out->session_failed = 0;
		snprintf(out->error, sizeof(out->error), "stopped before the end of data: lease lost");
	}
	/* The session keeps no pointer to them: the outcome owns this send's replies. */
	out->rcpt = s->rcpt;
	out->nrcpt = s->nrcpt;
	s->rcpt = NULL;
	s->nrcpt = 0;
	s->rcpt_cur = SIZE_MAX;
}
