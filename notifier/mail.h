/*
 * mail.h -- one outgoing message built from an outbox row: RFC 5322 headers
 * (non-ASCII through RFC 2047 encoded-words, CR/LF/NUL refused), text and
 * HTML bodies rendered from Mustache templates, the iCalendar part, and the
 * MIME bytes of the whole message.  Nothing here talks to a server, and
 * nothing here uses libcurl (smtp.c alone does).
 */
#ifndef FTS_MAIL_H
#define FTS_MAIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "buf.h"
#include "config.h"
#include "mustache.h"
#include "notice.h"
#include "result.h"
#include "outbox.h"

/* RFC 2047 section 2: an encoded-word is at most 75 characters long. */
#define MAIL_WORD_MAX		75
/* RFC 2047 section 2: a header line holding encoded-words is at most 76 characters. */
#define MAIL_LINE_MAX		76
#define MAIL_ADDR_MAX		320

/* A message ready to go: envelope, header lines, bodies (all CRLF). */
struct mail {
	char		 envelope_from[MAIL_ADDR_MAX];
	char		**rcpt;		/* envelope recipients: To, then Cc */
	size_t		 nrcpt;
	char		**headers;	/* complete lines without the final CRLF, folded with CRLF SP */
	size_t		 nheaders;
	char		*text;		/* text/plain body */
	char		*html;		/* text/html body */
	char		*calendar;	/* VCALENDAR text, NULL for a handshake */
	char		 method[16];	/* the calendar's METHOD ("REQUEST", "CANCEL"), "" without one */
	char		 subject[512];	/* unencoded, for the log */
};

/*
 * Append text (len bytes of UTF-8) as the value of an unstructured header
 * (RFC 5322 section 3.2.5) whose line already holds `used` characters.
 * Printable ASCII without "=?" is copied unchanged; anything else becomes
 * RFC 2047 B encoded-words of at most 75 characters, split only between
 * UTF-8 characters and folded with CRLF SP so no line passes 76.  Returns 0,
 * or -1 with RESULT_INVALID for CR, LF, NUL or malformed UTF-8.
 */
int mail_header_text(struct buf *out, const char *text, size_t len, size_t used, struct result *r);

/*
 * Append one mailbox "Name <local@domain>" (RFC 5322 section 3.4) to a line
 * already `used` characters long.  The display name is copied as atoms, as a
 * quoted-string when it holds specials, or as encoded-words when it holds
 * non-ASCII; an empty name gives the bare address, and " <address>" goes on
 * a folded line of its own when it would pass column 76.  Returns 0, or -1 with
 * RESULT_INVALID (field "name" or "email") for CR/LF/NUL, bad UTF-8 or an
 * address that is neither text_email_valid() nor local@host (one label).
 */
int mail_mailbox(struct buf *out, const char *name, size_t namelen, const char *email,
    size_t emaillen, size_t used, struct result *r);

/* Write t as an RFC 5322 section 3.3 date-time in UTC ("Wed, 25 Nov 2026 23:30:01 +0000"); size >= 32. */
void mail_date(time_t t, char *buf, size_t size);

/* Split "Name <addr>" or "addr" into its parts; -1 with RESULT_INVALID when malformed. */
int mail_from_parse(const char *from, char *name, size_t namesz, char *addr, size_t addrsz,
    struct result *r);

/*
 * A new Message-ID "<ftsuccess.ID.HEX@domain>" (RFC 5322 section 3.6.4) with
 * 16 random hex digits and the domain of from_addr; size >= 256.
 */
int mail_message_id_new(int64_t id, const char *from_addr, char *buf, size_t size,
    struct result *r);

/*
 * Build the message for an outbox row whose message_id is set, from its
 * decoded payload n (notice_decode() of row->payload): headers, bodies from
 * templates (invite_text, invite_html, handshake_text, handshake_html in
 * tpl; the view is the payload's JSON plus a few computed members), and for
 * invite/cancel the calendar.  An invite or cancel goes to the row's
 * recipients and the payload's chair (the FM: To, envelope, Reply-To),
 * From the service address; its bodies and calendar carry no link to the
 * customer page (they reach the customer, the page needs a login).  now is the Date and DTSTAMP.  Returns 0, or
 * -1 with RESULT_INVALID when the row can never be sent (bad recipients, a
 * header value with CR/LF/NUL: the row goes dead), RESULT_IO for a failure
 * that may pass (template, memory).
 */
int mail_build(const struct config *cfg, struct mustache_set *tpl,
    const struct store_outbox_row *row, const struct notice *n, time_t now, struct mail *m,
    struct result *r);

/*
 * Take addr (compared without regard to case) out of the envelope
 * recipients; the To and Cc headers stay as built, so a retry to the
 * recipients still pending carries the same headers.  Returns 1 when it
 * was there, else 0.
 */
int mail_rcpt_drop(struct mail *m, const char *addr);

/* Release everything m holds and zero it; safe on a zeroed struct. */
void mail_free(struct mail *m);

/*
 * Append to out the whole message m as it goes after DATA (RFC 5322
 * headers, MIME-Version, then the RFC 2046 tree as Google Calendar sends an invite:
 * multipart/mixed { multipart/alternative { text/plain, text/html,
 * text/calendar; method=M }, invite.ics attachment }, no calendar parts for
 * a handshake), CRLF throughout, without dot-stuffing.  Used for sending,
 * dry runs and mail copies alike.  Returns 0, or -1 with RESULT_IO.
 */
int mail_message(const struct mail *m, struct buf *out, struct result *r);

#endif
