/*
 * outbox.h -- the outbox: messages queued by the playbook in the same
 * transaction as the change they announce, and drained by the notifier under
 * a lease.  This is the whole queue interface and the only store header the
 * notifier includes; a second backend implements exactly these functions.
 * Nothing here names SQLite or json-c: payloads and recipient lists are JSON
 * text (docs/notifications.md), times are Unix seconds, and every fallible
 * call returns 0 or -1 and fills a struct result.
 */
#ifndef FTS_OUTBOX_H
#define FTS_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

/* One connection to the database; the queue shares it with the rest of store.h. */
struct store;

/* Open (creating if needed) the database at path and apply pending migrations. */
int store_open(struct store **st, const char *path, struct result *r);
/* Finalize statements and close; NULL is allowed. */
void store_close(struct store *st);

struct store_outbox_new {
	int64_t		 customer_id;
	const char	*kind;		/* invite | cancel | handshake */
	const char	*dedupe_key;	/* unique; a second insert with it is a no-op */
	const char	*payload;	/* JSON object text, see docs/notifications.md */
	const char	*recipients;	/* JSON array [{"name","email"}] */
};
/* Queue a message due now.  *inserted is 0 when the dedupe key already existed. */
int store_outbox_insert(struct store *st, const struct store_outbox_new *o, int64_t now, int *inserted, struct result *r);

struct store_outbox_row {
	int64_t		 id;
	int64_t		 customer_id;
	char		 kind[16];
	char		 dedupe_key[256];
	char		*payload;	/* malloc'd */
	char		*recipients;	/* malloc'd */
	char		 state[12];	/* queued | sending | sent | dead */
	int		 attempts;	/* includes the one being claimed */
	int64_t		 created_at;
	int64_t		 next_attempt_at;
	char		 message_id[256]; /* "" until the notifier assigns one */
};
void store_outbox_row_free(struct store_outbox_row *row);
/* store_outbox_row_free on each of n rows, then free(rows); NULL does nothing. */
void store_outbox_rows_free(struct store_outbox_row *rows, size_t n);

/*
 * Claim up to max due rows for owner with a lease ending at now+lease_seconds,
 * in one short transaction.  A row is due when queued with next_attempt_at <=
 * now, or sending with an expired lease (a crashed notifier).  A row is not
 * claimed while an earlier row of the same customer is still unsent (queued
 * or sending), so an update never overtakes its request.  Rows come back in id
 * order; attempts is incremented.  *rows is malloc'd (free with
 * store_outbox_rows_free).  With msgid_domain, a row
 * without a Message-ID gets "<ftsuccess.ID.RANDOM@msgid_domain>" in the same
 * transaction (kept for every retry), saving the notifier a commit.
 */
int store_outbox_claim(struct store *st, const char *owner, int64_t now, int lease_seconds,
    const char *msgid_domain, size_t max, struct store_outbox_row **rows, size_t *n,
    struct result *r);
/*
 * Every row a drain starting at `now` would send, in the order it would send
 * them (id order; a customer's later rows follow its earlier ones in the same
 * pass), read without claiming anything: for --dry-run.
 */
int store_outbox_list_due(struct store *st, int64_t now, size_t max,
    struct store_outbox_row **rows, size_t *n, struct result *r);
/* Record the Message-ID chosen for a row (kept for retries). Lease must be held. */
int store_outbox_set_message_id(struct store *st, int64_t id, const char *owner, const char *message_id, struct result *r);
/* Sent: keep the SMTP reply; note (may be NULL) records e.g. refused recipients. */
int store_outbox_mark_sent(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *smtp_reply, const char *note, struct result *r);
/* Temporary failure: back to queued, due at next_attempt_at, with the error. */
int store_outbox_mark_retry(struct store *st, int64_t id, const char *owner, int64_t now,
    int64_t next_attempt_at, const char *error, const char *smtp_reply, struct result *r);
/* Permanent failure: dead with the reason (and the server's reply if any). */
int store_outbox_mark_dead(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *error, const char *smtp_reply, struct result *r);
/*
 * A person asked to retry a dead row, or a sent row with dead recipients:
 * queued again, due now, attempts reset; its dead recipients become pending
 * (those already sent are not sent again).  RESULT_CONFLICT otherwise.
 */
int store_outbox_requeue(struct store *st, int64_t id, int64_t now, struct result *r);

/*
 * Extend the lease owner holds on a sending row to until.  RESULT_CONFLICT
 * when the row is no longer sending under owner (another notifier took it
 * over, or it was finished): the caller must not send it.
 */
int store_outbox_renew(struct store *st, int64_t id, const char *owner, int64_t until,
    struct result *r);

/* One envelope recipient's outcome. */
enum store_rcpt_state { STORE_RCPT_PENDING, STORE_RCPT_SENT, STORE_RCPT_DEAD };
struct store_outbox_rcpt {
	char			 email[320];
	enum store_rcpt_state	 state;
	int			 attempts;	/* attempts that reached this recipient */
	char			 reply[256];	/* the server's reply to it, "" when none */
};
/* The recipients recorded for row id (none before its first attempt); *list malloc'd (free()). */
int store_outbox_rcpt_list(struct store *st, int64_t id, struct store_outbox_rcpt **list,
    size_t *n, struct result *r);

/* What an attempt ended with: the row's new state and each recipient tried. */
struct store_outbox_finish {
	const char			*state;		/* sent | queued | dead */
	int64_t				 next_attempt_at; /* queued: when it is due again */
	const char			*error;		/* last_error, NULL = "" */
	const char			*smtp_reply;	/* NULL = "" */
	const struct store_outbox_rcpt	*rcpt;		/* recipients tried this time */
	size_t				 nrcpt;
};
/*
 * Record an attempt in one transaction: the row's state (only while owner
 * holds its lease, else RESULT_CONFLICT and nothing changes) and each
 * recipient's state, counted as one attempt each.
 */
int store_outbox_finish(struct store *st, int64_t id, const char *owner, int64_t now,
    const struct store_outbox_finish *f, struct result *r);
/* One row for display/tests (payload included). */
int store_outbox_get(struct store *st, int64_t id, struct store_outbox_row *row, struct result *r);

/*
 * The backlog at time now: rows the notifier could claim (queued and due, or
 * sending with an expired lease, and not behind an earlier unsent row of the
 * same customer, as store_outbox_claim sees them), and when the oldest of
 * them fell due (0 when none).
 */
int store_outbox_backlog(struct store *st, int64_t now, long long *due, int64_t *oldest,
    struct result *r);

#endif
