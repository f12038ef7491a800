/* replies.c -- calendar replies from the organizer's mailbox: each message kept once, matched to a series and a contact, and the contact's answer recorded (migration 10). */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "store_impl.h"
#include "text.h"

const char *
store_reply_outcome_key(enum store_reply_outcome outcome)
{
	static const char *const keys[STORE_REPLY__MAX] = {
		[STORE_REPLY_APPLIED] = "applied",
		[STORE_REPLY_STALE] = "stale",
		[STORE_REPLY_PROPOSAL] = "proposal",
		[STORE_REPLY_UNMATCHED] = "unmatched",
		[STORE_REPLY_DUPLICATE] = "duplicate",
	};

	if ((unsigned)outcome >= STORE_REPLY__MAX)
		return "";
	return keys[outcome];
}

/* The series a UID names, as a reply needs it. */
struct reply_series {
	int64_t		 id;
	int64_t		 customer_id;
	int		 sequence;
	char		 timezone[64];
};

static const struct store_field reply_series_fields[] = {
	STORE_FIELD(INT, struct reply_series, id),
	STORE_FIELD(INT, struct reply_series, customer_id),
	STORE_FIELD(INT, struct reply_series, sequence),
	STORE_FIELD(TEXT, struct reply_series, timezone),
};
static STORE_ROW_READER(reply_series_row, struct reply_series, reply_series_fields)

static void
reply_id_row(sqlite3_stmt *s, void *p)
{
	*(int64_t *)p = sqlite3_column_int64(s, 0);
}

/*
 * Reads the one integer sql (p bound) returns into *id: 1 found, 0 none,
 * -1 with r set on a storage error.
 */
static int
reply_find_id(struct store *st, const char *sql, const struct store_param *p, size_t n,
    int64_t *id, struct result *r, const char *what)
{
	if (store_read_one(st, sql, p, n, reply_id_row, id, r, what, NULL, "none") == 0)
		return 1;
	if (r->code == RESULT_NOTFOUND) {
		result_clear(r);
		return 0;
	}
	return -1;
}

/* What the rules decided for a message before it is written. */
struct reply_verdict {
	enum store_reply_outcome outcome;
	const char	*reason;
	int64_t		 customer_id;	/* 0: none (written NULL) */
	int64_t		 meeting_id;
	int64_t		 contact_id;
	char		 occurs_on[11];
};

/*
 * Match UID to a series and attendee to a contact of its customer, check
 * SEQUENCE (RFC 5546 2.1.5: a reply to an older revision of the event is
 * not applied) and find the occurrence's own local date.
 */
static int
reply_decide(struct store *st, const struct store_reply *in, struct reply_verdict *v,
    struct result *r)
{
	struct reply_series ser;
	int rc;

	if (strcmp(in->kind, "unmatched") == 0) {
		v->outcome = STORE_REPLY_UNMATCHED;
		v->reason = in->reason != NULL ? in->reason : "";
		return 0;
	}
	const struct store_param pu[] = { SP_TEXT(in->uid) };
	rc = store_read_one(st, "SELECT id, customer_id, sequence, timezone FROM meeting"
	    " WHERE uid = ?1", pu, SP_COUNT(pu), reply_series_row, &ser, r, "find series by UID",
	    "uid", "no series with UID %s", in->uid != NULL ? in->uid : "");
	if (rc == -1 && r->code != RESULT_NOTFOUND)
		return -1;
	if (rc == -1) {
		result_clear(r);
		v->outcome = STORE_REPLY_UNMATCHED;
		v->reason = STORE_REPLY_REASON_UNKNOWN_UID;
		return 0;
	}
	v->customer_id = ser.customer_id;
	v->meeting_id = ser.id;
	const struct store_param pc[] = { SP_INT(ser.customer_id), SP_TEXT(in->attendee) };
	rc = reply_find_id(st, "SELECT id FROM contact WHERE customer_id = ?1 AND email = ?2",
	    pc, SP_COUNT(pc), &v->contact_id, r, "find contact by e-mail");
	if (rc == -1)
		return -1;
	if (rc == 0) {
		v->outcome = STORE_REPLY_UNMATCHED;
		v->reason = STORE_REPLY_REASON_NOT_ATTENDEE;
		return 0;
	}
	if (in->has_recurrence) {
		if (in->recurrence_zoned && in->local_day != NULL) {
			if (in->local_day(in->recurrence_at, ser.timezone, v->occurs_on,
			    sizeof(v->occurs_on)) == -1)
				return result_set(r, RESULT_IO, "timezone",
				    "store: series %" PRId64 " has unknown time zone %s", ser.id,
				    ser.timezone);
		} else if (text_copy(v->occurs_on, sizeof(v->occurs_on),
		    in->recurrence_day != NULL ? in->recurrence_day : "") == -1) {
			return result_set(r, RESULT_INVALID, "recurrence_day",
			    "recurrence date %s is not YYYY-MM-DD", in->recurrence_day);
		}
	}
	if (in->sequence < ser.sequence) {
		v->outcome = STORE_REPLY_STALE;
		v->reason = STORE_REPLY_REASON_STALE;
		return 0;
	}
	v->outcome = strcmp(in->kind, "counter") == 0 ? STORE_REPLY_PROPOSAL : STORE_REPLY_APPLIED;
	v->reason = "";
	return 0;
}

/* Write the message row (its outcome decided) and, for an applied reply, the answer. */
static int
reply_write(struct store *st, const struct store_reply *in, const struct reply_verdict *v,
    int64_t now, struct result *r)
{
	struct store_param p[] = {
		SP_TEXT(in->key), SP_TEXT(in->kind), SP_TEXT(store_reply_outcome_key(v->outcome)),
		SP_TEXT(v->reason), SP_TEXT(in->detail), SP_TEXT(in->from), SP_TEXT(in->subject),
		SP_TEXT(in->uid), SP_TEXT(in->attendee), SP_TEXT(in->partstat),
		SP_INT(in->sequence), SP_TEXT(v->occurs_on), SP_INT(in->proposed_start),
		SP_INT(in->proposed_end), SP_INT(v->customer_id), SP_INT(v->meeting_id),
		SP_INT(v->contact_id), SP_INT(now),
	};

	if (store_run(st, "INSERT INTO reply_message (message_key, kind, outcome, reason, detail,"
	    " from_addr, subject, uid, attendee, partstat, sequence, occurs_on, proposed_start,"
	    " proposed_end, customer_id, meeting_id, contact_id, received_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14,"
	    " nullif(?15, 0), nullif(?16, 0), nullif(?17, 0), ?18)", p, SP_COUNT(p), r,
	    "insert reply message") == -1)
		return -1;
	if (v->outcome != STORE_REPLY_APPLIED)
		return 0;
	const struct store_param pa[] = {
		SP_INT(v->meeting_id), SP_INT(v->contact_id), SP_TEXT(v->occurs_on),
		SP_TEXT(in->partstat), SP_INT(in->sequence),
		SP_INT(sqlite3_last_insert_rowid(st->db)), SP_INT(now),
	};
	/* A later reply replaces the answer, unless it answers an older SEQUENCE. */
	return store_run(st, "INSERT INTO attendee_response (meeting_id, contact_id, occurs_on,"
	    " partstat, sequence, message_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (meeting_id, contact_id, occurs_on) DO UPDATE SET"
	    " partstat = excluded.partstat, sequence = excluded.sequence,"
	    " message_id = excluded.message_id, updated_at = excluded.updated_at"
	    " WHERE excluded.sequence >= attendee_response.sequence", pa, SP_COUNT(pa), r,
	    "record attendee response");
}

int
store_reply_apply(struct store *st, const struct store_reply *in, int64_t now,
    enum store_reply_outcome *outcome, struct result *r)
{
	struct reply_verdict v;
	int64_t seen;
	int own, rc;

	memset(&v, 0, sizeof(v));
	if (in->key == NULL || in->key[0] == '\0')
		return result_set(r, RESULT_INVALID, "key", "reply message without a key");
	if (in->kind == NULL || (strcmp(in->kind, "reply") != 0 && strcmp(in->kind, "counter") != 0 &&
	    strcmp(in->kind, "unmatched") != 0))
		return result_set(r, RESULT_INVALID, "kind", "reply kind %s is not reply, counter"
		    " or unmatched", in->kind != NULL ? in->kind : "(none)");
	if (strcmp(in->kind, "reply") == 0 && (in->partstat == NULL ||
	    (strcmp(in->partstat, "accepted") != 0 && strcmp(in->partstat, "declined") != 0 &&
	    strcmp(in->partstat, "tentative") != 0)))
		return result_set(r, RESULT_INVALID, "partstat", "partstat %s is not accepted,"
		    " declined or tentative", in->partstat != NULL ? in->partstat : "(none)");
	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	const struct store_param pk[] = { SP_TEXT(in->key) };
	rc = reply_find_id(st, "SELECT id FROM reply_message WHERE message_key = ?1", pk,
	    SP_COUNT(pk), &seen, r, "find reply message");
	if (rc == 1) {
		*outcome = STORE_REPLY_DUPLICATE;
		return store_tx_own_end(st, own, 0, r);
	}
	if (rc == -1 || reply_decide(st, in, &v, r) == -1 || reply_write(st, in, &v, now, r) == -1)
		return store_tx_own_end(st, own, -1, r);
	*outcome = v.outcome;
	return store_tx_own_end(st, own, 0, r);
}
