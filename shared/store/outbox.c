/*
 * outbox.c -- the outbox behind outbox.h on SQLite: queuing (the playbook),
 * claims under a lease, each attempt's outcome and each recipient's state
 * (the notifier), and a person's retry.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* ---------------------------------------------------------------- outbox */

int
store_outbox_insert(struct store *st, const struct store_outbox_new *o, int64_t now,
    int *inserted, struct result *r)
{
	const struct store_param p[] = { SP_INT(o->customer_id), SP_TEXT(o->kind),
	    SP_TEXT(o->dedupe_key), SP_TEXT(o->payload), SP_TEXT(o->recipients), SP_INT(now) };

	*inserted = 0;
	/* DO NOTHING on the dedupe key: queuing the same message twice is a no-op, not an error. */
	if (store_run(st, "INSERT INTO outbox (customer_id, kind, dedupe_key, payload, recipients,"
	    " state, next_attempt_at, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?6, ?6)"
	    " ON CONFLICT (dedupe_key) DO NOTHING", p, SP_COUNT(p), r, "queue message") == -1)
		return -1;
	*inserted = sqlite3_changes(st->db) > 0;
	return 0;
}

void
store_outbox_row_free(struct store_outbox_row *row)
{
	if (row == NULL)
		return;
	free(row->payload);
	free(row->recipients);
	row->payload = row->recipients = NULL;
}


/*
 * The rows a claim may take at ?1 (now): due, and no earlier unsent row of
 * the same customer.  The claim and the backlog count share it.
 */
#define OUTBOX_CLAIMABLE \
	" ((o.state = 'queued' AND o.next_attempt_at <= ?1)" \
	"     OR (o.state = 'sending' AND o.lease_until <= ?1))" \
	" AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.customer_id = o.customer_id" \
	"     AND p.id < o.id AND p.state IN ('queued','sending'))"

#define OUTBOX_COLS "id, customer_id, kind, dedupe_key, payload, recipients, state, " \
	"attempts, created_at, next_attempt_at, message_id"

/* An outbox row in OUTBOX_COLS order; payload and recipients are malloc'd (outbox_whole). */
#define OUTBOX_FIELD(k, m) STORE_FIELD(k, struct store_outbox_row, m)
static const struct store_field outbox_fields[] = {
	OUTBOX_FIELD(INT, id), OUTBOX_FIELD(INT, customer_id), OUTBOX_FIELD(TEXT, kind),
	OUTBOX_FIELD(TEXT, dedupe_key), OUTBOX_FIELD(DUP, payload), OUTBOX_FIELD(DUP, recipients),
	OUTBOX_FIELD(TEXT, state), OUTBOX_FIELD(INT, attempts), OUTBOX_FIELD(INT, created_at),
	OUTBOX_FIELD(INT, next_attempt_at), OUTBOX_FIELD(TEXT, message_id),
};

static STORE_ROW_READER(outbox_row, struct store_outbox_row, outbox_fields)

/* Whether a row read has both its copies (store_col_dup found memory). */
static int
outbox_whole(const void *p)
{
	const struct store_outbox_row *o = p;

	return o->payload != NULL && o->recipients != NULL;
}

static void
outbox_release(void *p)
{
	store_outbox_row_free(p);
}

void
store_outbox_rows_free(struct store_outbox_row *rows, size_t n)
{
	store_list_free(rows, n, sizeof(*rows), outbox_release);
}

int
store_outbox_get(struct store *st, int64_t id, struct store_outbox_row *row, struct result *r)
{
	const struct store_param p[] = { SP_INT(id) };

	if (store_read_one(st, "SELECT " OUTBOX_COLS " FROM outbox WHERE id = ?1", p, SP_COUNT(p),
	    outbox_row, row, r, "read outbox row", "id", "no outbox message with id %" PRId64,
	    id) == -1)
		return -1;
	if (!outbox_whole(row)) {
		store_outbox_row_free(row);
		return result_set(r, RESULT_IO, NULL, "store: read outbox row: out of memory");
	}
	return 0;
}

int
store_outbox_claim(struct store *st, const char *owner, int64_t now, int lease_seconds,
    const char *msgid_domain, size_t max, struct store_outbox_row **rows, size_t *n,
    struct result *r)
{
	sqlite3_stmt	*s;
	int64_t		*ids = NULL;
	size_t		 nids = 0, i;
	int		 rc;

	*rows = NULL;
	*n = 0;
	if (max == 0)
		return 0;
	if ((ids = calloc(max, sizeof(*ids))) == NULL)
		return result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
	if (store_begin(st, r) == -1) {
		free(ids);
		return -1;
	}
	/*
	 * Due rows whose customer has no earlier unsent row: messages of one
	 * customer go out in the order they were queued, so a reschedule never
	 * reaches a calendar before the request it updates.
	 */
	if ((s = store_prep(st, "SELECT o.id FROM outbox o WHERE" OUTBOX_CLAIMABLE
	    " ORDER BY o.id LIMIT ?2", r)) == NULL)
		goto fail;
	store_bind_int64(st, s, 1, now);
	store_bind_int64(st, s, 2, (int64_t)max);
	while ((rc = store_step(st, s)) == SQLITE_ROW && nids < max)
		ids[nids++] = sqlite3_column_int64(s, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, r, "find due messages");
		sqlite3_reset(s);
		goto fail;
	}
	sqlite3_reset(s);
	if (nids == 0) {
		free(ids);
		return store_commit(st, r);
	}
	if ((*rows = calloc(nids, sizeof(**rows))) == NULL) {
		result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
		goto fail;
	}
	for (i = 0; i < nids; i++) {
		/* RFC 5322 3.6.4: unique left part (id + 64 random bits), the sender's domain. */
		if ((s = store_prep(st, "UPDATE outbox SET state = 'sending', lease_owner = ?2,"
		    " lease_until = ?3, attempts = attempts + 1, updated_at = ?4,"
		    " message_id = CASE WHEN message_id = '' AND ?5 IS NOT NULL"
		    "   THEN '<ftsuccess.' || id || '.' || lower(hex(randomblob(8))) || '@' || ?5 || '>'"
		    "   ELSE message_id END"
		    " WHERE id = ?1 RETURNING " OUTBOX_COLS, r)) == NULL)
			goto fail;
		store_bind_int64(st, s, 1, ids[i]);
		store_bind_text(st, s, 2, owner);
		store_bind_int64(st, s, 3, now + lease_seconds);
		store_bind_int64(st, s, 4, now);
		if (msgid_domain != NULL && *msgid_domain != '\0')
			store_bind_text(st, s, 5, msgid_domain);
		else
			store_bind_null(st, s, 5);
		if (store_step(st, s) != SQLITE_ROW) {
			store_fail(st, r, "lease message");
			sqlite3_reset(s);
			goto fail;
		}
		outbox_row(s, &(*rows)[i]);
		sqlite3_reset(s);
		*n = i + 1;
		if (!outbox_whole(&(*rows)[i])) {
			result_set(r, RESULT_IO, NULL, "store: claim: out of memory");
			goto fail;
		}
	}
	/*
	 * A failed COMMIT (disk full, I/O error, read-only file) has already
	 * rolled back: the rows stay due, and everything is released once.
	 */
	if (store_commit(st, r) == -1)
		goto fail_committed;
	free(ids);
	return 0;
fail:
	store_rollback(st);
fail_committed:
	free(ids);
	store_outbox_rows_free(*rows, *n);
	*rows = NULL;
	*n = 0;
	return -1;
}

int
store_outbox_list_due(struct store *st, int64_t now, size_t max,
    struct store_outbox_row **rows, size_t *n, struct result *r)
{
	const struct store_param p[] = { SP_INT(now), SP_INT((int64_t)max) };
	sqlite3_stmt *s;

	*rows = NULL;
	*n = 0;
	if ((s = store_prep_bind(st, "SELECT " OUTBOX_COLS " FROM outbox o"
	    " WHERE (o.state = 'queued' AND o.next_attempt_at <= ?1)"
	    "    OR (o.state = 'sending' AND o.lease_until <= ?1)"
	    " ORDER BY o.id LIMIT ?2", p, SP_COUNT(p), r)) == NULL)
		return -1;
	if (store_collect(st, s, sizeof(**rows), outbox_row, (void **)rows, n, r, "list due messages") == -1)
		return -1;
	return store_list_whole((void **)rows, n, sizeof(**rows), outbox_whole, outbox_release, r,
	    "list due messages");
}

/*
 * What an update by the lease holder may bind: ?1 id, ?2 owner, ?3 now (or
 * the lease's new end), ?4 next attempt, ?5 error (or note), ?6 SMTP reply,
 * ?7 Message-ID, ?8 state.  Each statement names the ones it needs; the
 * WHERE clause is always on ?1 and ?2.
 */
struct outbox_leased {
	int64_t		 id;
	const char	*owner;
	int64_t		 now;
	int64_t		 next_attempt_at;
	const char	*error;
	const char	*smtp_reply;
	const char	*message_id;
	const char	*state;
};

/*
 * Apply an update that only the lease holder may make.  Parameters past the
 * statement's highest are not bound (SQLite refuses them); ones below it
 * that the statement skips are bound harmlessly.
 */
static int
outbox_leased_update(struct store *st, const char *sql, const struct outbox_leased *a,
    struct result *r, const char *what)
{
	const struct store_param p[] = { SP_INT(a->id), SP_TEXT(a->owner), SP_INT(a->now),
	    SP_INT(a->next_attempt_at), SP_TEXT(a->error), SP_TEXT(a->smtp_reply),
	    SP_TEXT(a->message_id), SP_TEXT(a->state) };
	sqlite3_stmt	*s;
	int		 n;

	if ((s = store_prep(st, sql, r)) == NULL)
		return -1;
	n = sqlite3_bind_parameter_count(s);
	store_bind_all(st, s, p, n > 0 && (size_t)n < SP_COUNT(p) ? (size_t)n : SP_COUNT(p));
	if (store_exec_done(st, s, r, what) == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_CONFLICT, "id",
		    "outbox message %" PRId64 " is not leased to %s (lease expired?)", a->id, a->owner);
	return 0;
}

int
store_outbox_set_message_id(struct store *st, int64_t id, const char *owner,
    const char *message_id, struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .message_id = message_id };

	return outbox_leased_update(st, "UPDATE outbox SET message_id = ?7 WHERE id = ?1"
	    " AND state = 'sending' AND lease_owner = ?2", &a, r, "set Message-ID");
}

/*
 * An attempt's outcome on the message: a.state ('sent', 'queued' for a
 * retry at a.next_attempt_at, 'dead'), the error and reply, the lease
 * released.  The three marks and store_outbox_finish all record it so.
 */
static int
outbox_record(struct store *st, const struct outbox_leased *a, struct result *r, const char *what)
{
	return outbox_leased_update(st, "UPDATE outbox SET state = ?8, updated_at = ?3,"
	    " sent_at = CASE WHEN ?8 = 'sent' THEN ?3 ELSE sent_at END,"
	    " next_attempt_at = CASE WHEN ?8 = 'queued' THEN ?4 ELSE next_attempt_at END,"
	    " last_error = ?5, smtp_reply = ?6, lease_owner = '', lease_until = 0"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", a, r, what);
}

int
store_outbox_mark_sent(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *smtp_reply, const char *note, struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .now = now,
	    .error = note, .smtp_reply = smtp_reply, .state = "sent" };

	return outbox_record(st, &a, r, "mark sent");
}

int
store_outbox_mark_retry(struct store *st, int64_t id, const char *owner, int64_t now,
    int64_t next_attempt_at, const char *error, const char *smtp_reply, struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .now = now,
	    .next_attempt_at = next_attempt_at, .error = error, .smtp_reply = smtp_reply,
	    .state = "queued" };

	return outbox_record(st, &a, r, "schedule retry");
}

int
store_outbox_mark_dead(struct store *st, int64_t id, const char *owner, int64_t now,
    const char *error, const char *smtp_reply, struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .now = now,
	    .error = error, .smtp_reply = smtp_reply, .state = "dead" };

	return outbox_record(st, &a, r, "mark dead");
}

int
store_outbox_requeue(struct store *st, int64_t id, int64_t now, struct result *r)
{
	sqlite3_stmt *s;

	/* The caller's transaction (the playbook's) holds both updates together. */
	if ((s = store_prep(st, "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?2,"
	    " created_at = ?2, updated_at = ?2 WHERE id = ?1 AND (state = 'dead'"
	    " OR (state = 'sent' AND EXISTS (SELECT 1 FROM outbox_rcpt"
	    "     WHERE outbox_id = ?1 AND state = 'dead')))", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	store_bind_int64(st, s, 2, now);
	if (store_exec_done(st, s, r, "requeue message") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_outbox_row row;

		if (store_outbox_get(st, id, &row, r) == -1)
			return -1;
		result_set(r, RESULT_CONFLICT, "id",
		    "outbox message %" PRId64 " is %s, only a dead message or one with dead"
		    " recipients can be retried", id, row.state);
		store_outbox_row_free(&row);
		return -1;
	}
	if ((s = store_prep(st, "UPDATE outbox_rcpt SET state = 'pending', updated_at = ?2"
	    " WHERE outbox_id = ?1 AND state = 'dead'", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	store_bind_int64(st, s, 2, now);
	return store_exec_done(st, s, r, "requeue recipients");
}

int
store_outbox_renew(struct store *st, int64_t id, const char *owner, int64_t until,
    struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .now = until };

	/* Never shortens a lease: a renewal is a promise that the owner is alive. */
	return outbox_leased_update(st, "UPDATE outbox SET lease_until = max(lease_until, ?3)"
	    " WHERE id = ?1 AND state = 'sending' AND lease_owner = ?2", &a, r, "renew lease");
}

static const char *const rcpt_states[] = { "pending", "sent", "dead" };

static void
rcpt_row(sqlite3_stmt *s, void *arg)
{
	struct store_outbox_rcpt	*p = arg;
	const char			*state;
	size_t				 k;

	memset(p, 0, sizeof(*p));
	store_col_text(s, 0, p->email, sizeof(p->email));
	state = (const char *)sqlite3_column_text(s, 1);
	for (k = 0; k < 3; k++)
		if (state != NULL && strcmp(state, rcpt_states[k]) == 0)
			p->state = (enum store_rcpt_state)k;
	p->attempts = sqlite3_column_int(s, 2);
	store_col_text(s, 3, p->reply, sizeof(p->reply));
}

int
store_outbox_rcpt_list(struct store *st, int64_t id, struct store_outbox_rcpt **list,
    size_t *n, struct result *r)
{
	return store_list_by_id(st, "SELECT email, state, attempts, reply FROM outbox_rcpt"
	    " WHERE outbox_id = ?1 ORDER BY rowid", id, sizeof(**list), rcpt_row, (void **)list,
	    n, r, "list recipients");
}

int
store_outbox_finish(struct store *st, int64_t id, const char *owner, int64_t now,
    const struct store_outbox_finish *f, struct result *r)
{
	const struct outbox_leased a = { .id = id, .owner = owner, .now = now,
	    .next_attempt_at = f->next_attempt_at, .error = f->error,
	    .smtp_reply = f->smtp_reply, .state = f->state };
	size_t i;

	if (store_begin(st, r) == -1)
		return -1;
	if (outbox_record(st, &a, r, "record attempt") == -1)
		goto fail;
	for (i = 0; i < f->nrcpt; i++) {
		const struct store_param p[] = { SP_INT(id), SP_TEXT(f->rcpt[i].email),
		    SP_TEXT(rcpt_states[f->rcpt[i].state]), SP_TEXT(f->rcpt[i].reply), SP_INT(now) };

		if (store_run(st, "INSERT INTO outbox_rcpt (outbox_id, email, state, attempts, reply,"
		    " updated_at) VALUES (?1, ?2, ?3, 1, ?4, ?5)"
		    " ON CONFLICT (outbox_id, email) DO UPDATE SET state = excluded.state,"
		    " attempts = attempts + 1, reply = excluded.reply, updated_at = excluded.updated_at",
		    p, SP_COUNT(p), r, "record recipient") == -1)
			goto fail;
	}
	return store_commit(st, r);
fail:
	store_rollback(st);
	return -1;
}

/* The backlog's one row: how many rows are claimable and since when. */
struct backlog {
	long long	 due;
	int64_t		 oldest;
};

static void
backlog_row(sqlite3_stmt *s, void *p)
{
	struct backlog *b = p;

	b->due = sqlite3_column_int64(s, 0);
	b->oldest = sqlite3_column_int64(s, 1);
}

int
store_outbox_backlog(struct store *st, int64_t now, long long *due, int64_t *oldest,
    struct result *r)
{
	const struct store_param p[] = { SP_INT(now) };
	struct backlog		 b = { 0, 0 };

	*due = 0;
	*oldest = 0;
	/*
	 * Claimable rows only, with the same condition as store_outbox_claim.
	 * An aggregate always has its row: no row is a failure, not "none".
	 */
	if (store_read_one(st, "SELECT count(*), coalesce(min(due), 0) FROM ("
	    " SELECT CASE o.state WHEN 'queued' THEN o.next_attempt_at ELSE o.lease_until END AS due"
	    " FROM outbox o WHERE" OUTBOX_CLAIMABLE ")", p, SP_COUNT(p), backlog_row, &b, r,
	    "count due outbox rows", NULL, "store: count due outbox rows: no row") == -1)
		return -1;
	*due = b.due;
	*oldest = b.oldest;
	return 0;
}
