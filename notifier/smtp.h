/*
 * smtp.h -- the SMTP client: every libcurl session of the notifier.  One
 * session (one CURL handle, so one connection reused) per drain; each send
 * reports sent, retry or dead with the server's reply.  It sends the bytes
 * mail_message wrote; dry runs and mail copies write those same bytes
 * without any of this.
 *
 * Transport rule (smtp_tls_policy):
 *   smtps://host          TLS from the first byte, certificate verified.
 *   smtp://host           STARTTLS required (CURLUSESSL_ALL): a server that
 *                         does not offer it gets nothing, not even MAIL FROM.
 *   smtp://<loopback>     plain SMTP, only when the URL spells the host as an
 *                         address in 127.0.0.0/8, [::1], [::ffff:127.x.y.z]
 *                         (net_addr_loopback), or exactly "localhost": traffic that never leaves the machine
 *                         (a local MTA relaying onwards).  Any other name,
 *                         even one that resolves to loopback ("localhost."),
 *                         gets STARTTLS required: a name is not trusted to
 *                         stay local.
 */
#ifndef FTS_SMTP_H
#define FTS_SMTP_H

#include "buf.h"
#include "config.h"
#include "mail.h"
#include "result.h"

enum smtp_tls { SMTP_TLS_IMPLICIT, SMTP_TLS_STARTTLS, SMTP_TLS_NONE };

enum smtp_status { SMTP_SENT, SMTP_RETRY, SMTP_DEAD };

/* One envelope recipient's answer to RCPT TO, in the order of mail.rcpt. */
struct smtp_rcpt {
	long		 code;		/* 0 when no RCPT reply came (the session ended first) */
	char		 reply[256];
};

struct smtp_outcome {
	enum smtp_status status;
	long		 code;		/* last SMTP reply code, 0 when none came */
	char		 reply[512];	/* the server's last reply line, "" when none */
	char		 error[512];	/* what failed, "" when sent */
	char		 refused[1024];	/* "addr: reply; ..." recipients refused, "" when none */
	int		 session_failed; /* connection, TLS or AUTH failed: the next message would too */
	int		 aborted;	/* the progress hook stopped it (lease lost): nothing was accepted */
	struct smtp_rcpt *rcpt;		/* m->nrcpt entries, malloc'd (smtp_outcome_free); NULL if none */
	size_t		 nrcpt;
};

/*
 * Called about once a second while a message is in flight (and before its
 * end of data is sent); a nonzero return aborts the transaction and closes
 * the connection, so the server never accepts the message.
 */
typedef int (*smtp_progress_fn)(void *arg);

struct smtp_session;

/* 1 when host (as in a URL, IPv6 in brackets) is a literal loopback address or "localhost". */
int smtp_host_is_loopback(const char *host);

/* The transport for url by the rule above; -1 with RESULT_INVALID for another scheme or a bad URL. */
int smtp_tls_policy(const char *url, enum smtp_tls *tls, struct result *r);

/*
 * The same rule for another protocol of the notifier (IMAP): plain and
 * secure are its two schemes ("imap", "imaps"), field the configuration key
 * errors name.
 */
int smtp_url_policy(const char *url, const char *field, const char *plain, const char *secure,
    enum smtp_tls *tls, struct result *r);

/* The transport and login of a notifier session, as the configuration gives them. */
struct smtp_login {
	enum smtp_tls	 tls;		/* from smtp_url_policy */
	const char	*key;		/* "smtp" or "imap": the configuration keys' prefix */
	const char	*ca_file;	/* "" the system's */
	const char	*user;		/* "" no login */
	const char	*password_file;
};

/*
 * A new libcurl handle (a CURL *; void * keeps curl.h out of this header)
 * with what every session of the notifier shares: only l->key's two
 * schemes, TLS required unless l->tls is SMTP_TLS_NONE, peer and host
 * verified, the CA file, the login with the password read into pw[size]
 * (which must outlive the handle), the SMTP timeouts of cfg, and errbuf
 * (CURL_ERROR_SIZE bytes) for curl's messages.  NULL with r naming the
 * configuration key at fault, or the option that failed.
 */
void *smtp_curl_open(const struct smtp_login *l, const struct config *cfg, char *pw, size_t size,
    char *errbuf, struct result *r);

/*
 * The password in the file at path: its first line, trailing CR/LF
 * stripped, into pw[size]; -1 with r naming field (the configuration key)
 * when it cannot be read, is too long, holds a NUL or more than one line.
 */
int smtp_password_read(const char *path, const char *field, char *pw, size_t size,
    struct result *r);

/*
 * Sent, retry or dead for a finished transfer: CURLE_OK is sent; a 5xx reply
 * is dead (RFC 5321 section 4.2.1: permanent) except an AUTH refusal, which
 * is the operator's to fix; 4xx, timeouts and connection failures retry.
 */
enum smtp_status smtp_classify(int rc, long code);

/*
 * rc above is a CURLcode, passed as int so that this header (and so the
 * drain, main and tests) does not include curl.h: libcurl stays in smtp.c.
 */

/* Process-wide libcurl setup, before any thread or session; -1 with RESULT_IO. */
int smtp_global_init(struct result *r);

/* Its counterpart, at exit. */
void smtp_global_cleanup(void);

/*
 * Prepare a session from the configuration: URL and transport, AUTH with
 * smtp_user and the password in smtp_password_file (trailing newline
 * stripped), smtp_ca_file, timeouts.  No connection is made yet.
 */
int smtp_open(struct smtp_session **s, const struct config *cfg, struct result *r);

/* Install (fn non-NULL) or remove the progress hook of later sends. */
void smtp_set_progress(struct smtp_session *s, smtp_progress_fn fn, void *arg);

/*
 * Send m; the connection stays open for the next message.  out says what
 * happened, with each recipient's RCPT reply; release it with
 * smtp_outcome_free.
 */
void smtp_send(struct smtp_session *s, const struct mail *m, struct smtp_outcome *out);
void smtp_outcome_free(struct smtp_outcome *out);

/* Close the connection (QUIT) and free the session; NULL is allowed. */
void smtp_close(struct smtp_session *s);

#endif
