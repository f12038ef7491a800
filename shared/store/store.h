/*
 * store.h -- the database: every SQL statement of ftsuccess lives behind this
 * interface.  No SQLite type crosses it, so another backend can be added
 * without touching callers.  Reads come back as structs, or, for the pages
 * and the JSON API, as JSON text built from the one shape table in json.c;
 * writes take plain structs.  Every fallible
 * call returns 0 or -1 and fills a struct result (not found, conflict,
 * invalid, busy, I/O) with a message naming what failed.
 *
 * The connection's open and close, and the outbox, are declared in
 * outbox.h (included below): the notifier includes only that.
 *
 * Times are Unix seconds (int64_t); calendar dates are "YYYY-MM-DD" text.
 */
#ifndef FTS_STORE_H
#define FTS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fields.h"
#include "outbox.h"
#include "result.h"

struct store;

/* store_open and store_close are in outbox.h: the notifier opens the store through it. */
/* Schema version after open (PRAGMA user_version). */
int store_schema_version(struct store *st);
/* The schema version this program migrates to (its number of migrations). */
int store_schema_latest(void);
/* 0 when the database answers a trivial query (for /healthz). */
int store_ping(struct store *st, struct result *r);

/*
 * A number that changes whenever a committed change could be seen by a read
 * (any connection's commit): for caches of computed views.
 */
int store_version(struct store *st, int64_t *version, struct result *r);

/* Write transactions: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any error. */
int store_begin(struct store *st, struct result *r);
int store_commit(struct store *st, struct result *r);
void store_rollback(struct store *st);

/* Number of rows in a table named in the schema (tests: "nothing changed"). -1 on error. */
long long store_count(struct store *st, const char *table);

/* ---- customers ---- */
struct store_customer {
	int64_t		 id;
	char		 name[FIELD_SIZE(FIELD_NAME_MAX)];	/* limits count characters: 4 bytes each */
	char		 tenant_domain[254];
	char		 timezone[64];
	char		 owner_fm[FIELD_SIZE(FIELD_FM_MAX)];
	char		 csm_name[FIELD_SIZE(FIELD_NAME_MAX)];	/* "" when no CSM */
	char		 csm_email[255];
	char		 phase[24];		/* execution | success_review | closed */
	char		 review_outcome[48];	/* "" until recorded */
	int		 cadence_weeks;		/* 1..4 */
	int64_t		 created_at;
	int64_t		 archived_at;		/* 0 = in the portfolio; else when it was archived */
	char		 language[8];		/* its contacts' mail: "en", "pt-BR", "" = its FM's */
};
int store_customer_get(struct store *st, int64_t id, struct store_customer *c, struct result *r);
int store_customer_insert(struct store *st, struct store_customer *c, int64_t now, struct result *r);
/* Updates name, tenant_domain, timezone, owner_fm, csm_*, phase, review_outcome, cadence_weeks, language. */
int store_customer_update(struct store *st, const struct store_customer *c, int64_t now, struct result *r);
/* Sets archived_at (0 = unarchive) of customer id; RESULT_NOTFOUND when there is none. */
int store_customer_archive(struct store *st, int64_t id, int64_t archived_at, int64_t now,
    struct result *r);

/* ---- contacts ---- */
struct store_contact {
	int64_t		 id;
	int64_t		 customer_id;
	char		 name[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 email[255];
	int		 receives_invites;
};
int store_contact_insert(struct store *st, struct store_contact *c, int64_t now, struct result *r);
int store_contact_get(struct store *st, int64_t id, struct store_contact *c, struct result *r);
int store_contact_update(struct store *st, const struct store_contact *c, struct result *r);
/* Deletes contact id; RESULT_NOTFOUND when there is none. */
int store_contact_delete(struct store *st, int64_t id, struct result *r);
/* All contacts of a customer, ordered by id; *list is malloc'd (free()). */
int store_contact_list(struct store *st, int64_t customer_id, struct store_contact **list, size_t *n, struct result *r);

/* ---- customer services ---- */
/* A catalog service key and its NUL (the keys are short ASCII words). */
#define STORE_SERVICE_SIZE		32
/* Skipped or moved occurrences a series keeps: a year of weekly check-ins. */
#define STORE_MEETING_EXCEPTIONS_MAX	52
struct store_service {
	int64_t		 id;
	int64_t		 customer_id;
	char		 service[STORE_SERVICE_SIZE];	/* catalog key */
	int		 intended;
	char		 activated_on[11];	/* "" when not activated */
	long long	 licensed_users;	/* -1 unknown */
	double		 target_percent;	/* default 10 */
	char		 custom_metric[FIELD_SIZE(FIELD_METRIC_MAX)];	/* "" unless a described metric was agreed */
	int		 custom_metric_met;
	int		 csm_led;
	int		 adoption_program;
	int		 accelerator;
	/* Latest usage sample, kept with the service so lists need no extra query. */
	char		 latest_on[11];		/* "" when no sample */
	long long	 latest_active;
	long long	 latest_eligible;
};
/* Not found is RESULT_NOTFOUND. */
int store_service_get(struct store *st, int64_t customer_id, const char *service, struct store_service *s, struct result *r);
int store_service_upsert(struct store *st, struct store_service *s, struct result *r);
int store_service_list(struct store *st, int64_t customer_id, struct store_service **list, size_t *n, struct result *r);

/* ---- usage samples ---- */
struct store_usage {
	int64_t		 customer_id;
	char		 service[32];
	char		 measured_on[11];
	long long	 active_users;
	long long	 eligible_users;
	char		 source[16];		/* manual | csv */
};
/* Insert or replace the sample of that day; refreshes the service's latest_* columns. */
int store_usage_put(struct store *st, const struct store_usage *u, int64_t now, struct result *r);

/* ---- tasks ---- */
struct store_task {
	int64_t		 id;
	int64_t		 customer_id;
	int		 ftop_id;
	char		 service[32];		/* "" when not tied to a service */
	char		 status[8];		/* open | done */
	int		 required;
	char		 due_on[11];		/* "" when none */
	char		 done_by[128];
	int64_t		 done_at;		/* 0 while open */
	char		 note[FIELD_SIZE(FIELD_NOTE_MAX)];
};
/* Creates the task unless the customer already has that FTOP id; *created says which. */
int store_task_ensure(struct store *st, struct store_task *t, int64_t now, int *created, struct result *r);
int store_task_get(struct store *st, int64_t customer_id, int ftop_id, struct store_task *t, struct result *r);
int store_task_complete(struct store *st, int64_t customer_id, int ftop_id, const char *by, const char *note, int64_t now, struct result *r);

/* ---- check-ins ---- */
/* Services one check-in may name: the rules refuse more (a customer has fewer in the catalog). */
#define STORE_CHECKIN_SERVICES_MAX	16
struct store_checkin {
	int64_t		 id;
	int64_t		 customer_id;
	char		 held_on[11];
	char		 held_by[128];
	char		 summary[FIELD_SIZE(FIELD_SUMMARY_MAX)];
	char		 next_action[FIELD_SIZE(FIELD_ACTION_MAX)];
	char		 next_action_on[11];
	char		 next_action_owner[FIELD_SIZE(FIELD_NAME_MAX)];
	/* The service keys discussed, in the order given (rows of checkin_service). */
	char		 services[STORE_CHECKIN_SERVICES_MAX][STORE_SERVICE_SIZE];
	size_t		 n_services;
};
/*
 * Writes the check-in and its service rows atomically (inside the caller's
 * transaction, or in one of its own); more than STORE_CHECKIN_SERVICES_MAX
 * services is RESULT_INVALID.
 */
int store_checkin_insert(struct store *st, struct store_checkin *c, int64_t now, struct result *r);
/* One check-in with its services; RESULT_NOTFOUND when there is none. */
int store_checkin_get(struct store *st, int64_t id, struct store_checkin *c, struct result *r);
/*
 * Rewrites held_on, summary, the next action (what, by when, whose) and the
 * services of check-in c->id; held_by and created_at stay.
 */
int store_checkin_update(struct store *st, const struct store_checkin *c, struct result *r);
/* Most recent check-in by held_on (then id), with its services; RESULT_NOTFOUND when none. */
int store_checkin_latest(struct store *st, int64_t customer_id, struct store_checkin *c, struct result *r);

/* ---- meeting series ---- */
/* One invitee of a series: a contact's name and e-mail as they were when invited. */
struct store_person {
	char		 name[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 email[255];		/* as store_contact's */
};
#define STORE_MEETING_SERVICES_MAX	16	/* the catalog has 8 services */
struct store_meeting {
	int64_t		 id;
	int64_t		 customer_id;
	char		 uid[128];
	int		 sequence;
	char		 starts_at[17];		/* local wall-clock "YYYY-MM-DDTHH:MM" */
	char		 timezone[64];
	int		 duration_minutes;
	int		 every_weeks;
	/*
	 * Rows of their own (meeting_attendee, meeting_service), in the order
	 * they were added (the invitation's ATTENDEE order): typed here so the
	 * rules edit them without parsing text and another backend fills them
	 * from its own rows.  attendees is malloc'd (a customer has any number
	 * of contacts); services are catalog keys, so a few fit in place.
	 */
	struct store_person	*attendees;
	size_t			 n_attendees;
	char		 services[STORE_MEETING_SERVICES_MAX][STORE_SERVICE_SIZE];
	size_t		 n_services;
	char		 status[12];		/* scheduled | cancelled */
	/*
	 * A series split by a reschedule after it started (migration 7): the
	 * local date of its last held occurrence ("" while it runs on), and
	 * for the series that took over, the id of the one it replaced (0: none).
	 */
	char		 until_on[11];
	int64_t		 replaces_id;
	/*
	 * The online meeting's https link (migration 10): LOCATION and the
	 * mail's "Join" line; the FM's profile link when the series was
	 * scheduled, "" when neither has one.
	 */
	char		 meeting_url[FIELD_SIZE(FIELD_URL_MAX)];
	/* Single occurrences skipped or moved, by their original local date. */
	struct store_meeting_exception {
		char	 occurs_on[11];		/* "YYYY-MM-DD", the occurrence's own date */
		char	 moved_to[17];		/* "" skipped, else the new local "YYYY-MM-DDTHH:MM" */
	}		 exceptions[STORE_MEETING_EXCEPTIONS_MAX];
	size_t		 n_exceptions;
};
/* Free m's attendees (m itself is the caller's); safe on a zeroed or freed series. */
void store_meeting_free(struct store_meeting *m);
/* store_meeting_free() each of the n series of list, then free(list); NULL is fine. */
void store_meeting_list_free(struct store_meeting *list, size_t n);
/* Append an attendee to m (cut to fit): 0, or -1 with RESULT_IO when memory ran out. */
int store_meeting_attendee_add(struct store_meeting *m, const char *name, const char *email,
    struct result *r);
/* The index of the attendee with this e-mail (compared without case), or -1. */
int store_meeting_attendee_find(const struct store_meeting *m, const char *email);
/* Remove attendee i, keeping the others' order. */
void store_meeting_attendee_remove(struct store_meeting *m, size_t i);
/* The index of the covered service key, or -1. */
int store_meeting_service_find(const struct store_meeting *m, const char *key);
/* Append a covered service: 0, or -1 with RESULT_INVALID when STORE_MEETING_SERVICES_MAX are there. */
int store_meeting_service_add(struct store_meeting *m, const char *key, struct result *r);
/*
 * Insert and update write the series with its attendee and service rows,
 * atomically (inside the caller's transaction, or in one of their own).
 */
int store_meeting_insert(struct store *st, struct store_meeting *m, int64_t now, struct result *r);
/* The series with its attendees and services; store_meeting_free() it. */
int store_meeting_get(struct store *st, int64_t id, struct store_meeting *m, struct result *r);
int store_meeting_update(struct store *st, const struct store_meeting *m, int64_t now, struct result *r);
/*
 * Set (moved_to "": skip) or replace the exception of m for the occurrence
 * of local date occurs_on, in m only (store_meeting_update writes it);
 * -1 with RESULT_INVALID when m holds STORE_MEETING_EXCEPTIONS_MAX already.
 */
int store_meeting_exception_set(struct store_meeting *m, const char *occurs_on,
    const char *moved_to, struct result *r);
/* The exception of m for local date occurs_on, or NULL. */
const struct store_meeting_exception *store_meeting_exception_find(const struct store_meeting *m,
    const char *occurs_on);
/* Scheduled series that run on (not cancelled, not ended by a split) of a customer; *list malloc'd, free each with store_meeting_free. */
int store_meeting_list_active(struct store *st, int64_t customer_id, struct store_meeting **list, size_t *n, struct result *r);

/* ---- calendar replies (iMIP; migration 10, replies.c) ---- */
/* What store_reply_apply made of a message. */
enum store_reply_outcome {
	STORE_REPLY_APPLIED = 0,	/* the contact's answer is recorded */
	STORE_REPLY_STALE,		/* answers an older SEQUENCE: kept, not applied */
	STORE_REPLY_PROPOSAL,		/* a COUNTER, kept for the FM to accept or decline */
	STORE_REPLY_UNMATCHED,		/* kept with its reason, changes nothing */
	STORE_REPLY_DUPLICATE,		/* this message was processed before: nothing done */
	STORE_REPLY__MAX
};
/* The reasons the store itself finds (the keys imip_reason_key gives them). */
#define STORE_REPLY_REASON_UNKNOWN_UID	"unknown_uid"
#define STORE_REPLY_REASON_NOT_ATTENDEE	"not_attendee"
#define STORE_REPLY_REASON_STALE	"stale"
/* One message as the reply reader (imip.h) read it; strings borrowed, NULL as "". */
struct store_reply {
	const char	*key;		/* Message-ID or hash: one per message, required */
	const char	*kind;		/* "reply", "counter" or "unmatched" */
	const char	*reason;	/* unmatched: the reader's reason key */
	const char	*detail;
	const char	*from;
	const char	*subject;
	const char	*uid;
	const char	*attendee;	/* lower-case address */
	const char	*partstat;	/* "accepted", "declined", "tentative" */
	int		 sequence;
	int		 has_recurrence;
	int		 recurrence_zoned; /* 1: recurrence_at is an instant, else recurrence_day */
	int64_t		 recurrence_at;
	const char	*recurrence_day;
	int64_t		 proposed_start;
	int64_t		 proposed_end;
	/* The local date ("YYYY-MM-DD") of instant at in zone tz: 0, or -1 for an unknown zone. */
	int		(*local_day)(int64_t at, const char *tz, char *out, size_t size);
};
/*
 * Apply one message in one transaction (or the caller's): a message whose
 * key was seen is STORE_REPLY_DUPLICATE and changes nothing; else it is
 * kept, and a reply from a contact of the series' customer (UID matched to a
 * series, attendee to a contact by e-mail) at the series' SEQUENCE or later
 * sets that contact's answer for the series or its occurrence.  RESULT_INVALID
 * for a message without key or kind; storage errors as usual.
 */
int store_reply_apply(struct store *st, const struct store_reply *in, int64_t now,
    enum store_reply_outcome *outcome, struct result *r);
/* "applied", "stale", "proposal", "unmatched", "duplicate". */
const char *store_reply_outcome_key(enum store_reply_outcome outcome);
/*
 * The messages kept but not applied (unmatched and stale), newest first, as
 * a JSON array of {id, received_at, from, subject, kind, outcome, reason,
 * detail, uid, attendee, customer_id, customer_name}; *total counts them all.
 */
int store_replies_unmatched_json(struct store *st, int limit, int offset, struct buf *out,
    long long *total, struct result *r);

/* ---- blockers ---- */
struct store_blocker {
	int64_t		 id;
	int64_t		 customer_id;
	char		 service[32];		/* "" = whole customer */
	char		 l1_status[24];
	char		 l2_reason[40];
	char		 description[FIELD_SIZE(FIELD_NOTE_MAX)];
	char		 owner[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 opened_on[11];
	char		 resolved_on[11];	/* "" while open */
	char		 resolution[FIELD_SIZE(FIELD_NOTE_MAX)];
};
int store_blocker_insert(struct store *st, struct store_blocker *b, int64_t now, struct result *r);
int store_blocker_get(struct store *st, int64_t id, struct store_blocker *b, struct result *r);
/* Open blockers of a customer, newest first; *list malloc'd (free()). */
int store_blocker_list_open(struct store *st, int64_t customer_id, struct store_blocker **list,
    size_t *n, struct result *r);
int store_blocker_resolve(struct store *st, int64_t id, const char *on, const char *resolution, int64_t now, struct result *r);

/* ---- users (users.c) ---- */
struct store_user {
	int64_t		 id;
	char		 login[FIELD_SIZE(FIELD_FM_MAX)];	/* the REMOTE_USER; never changes */
	char		 display_name[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 email[FIELD_EMAIL_MAX + 1];		/* "" when not given */
	char		 role[16];		/* fm | manager | admin */
	char		 language[8];		/* en | pt-BR */
	char		 timezone[64];		/* IANA */
	char		 meeting_url[FIELD_SIZE(FIELD_URL_MAX)];	/* https://..., "" when none */
	int		 active;		/* 0: disabled, cannot sign in */
	int64_t		 created_at;
	int64_t		 updated_at;
};
/* Insert u (id and created_at set); a login already taken is RESULT_CONFLICT on "login". */
int store_user_insert(struct store *st, struct store_user *u, int64_t now, struct result *r);
/* Rewrite every column but login and created_at of the user with u->id (NOTFOUND names it). */
int store_user_update(struct store *st, const struct store_user *u, int64_t now, struct result *r);
/* The user with this login; RESULT_NOTFOUND on "login" naming it. */
int store_user_get_login(struct store *st, const char *login, struct store_user *u, struct result *r);
/* Every user ordered by login; *list malloc'd (free()). */
int store_user_list(struct store *st, struct store_user **list, size_t *n, struct result *r);
/*
 * Calendar feed tokens (migration 10): only the token's SHA-256 (64 hex
 * digits) is stored.  set replaces the user's token (created_at = now);
 * clear revokes it (no row is fine); find reads the active user whose
 * token has this digest (RESULT_NOTFOUND on "token", never naming it);
 * since gives when the token was made, 0 when the user has none.
 */
int store_user_feed_set(struct store *st, int64_t user_id, const char *sha256_hex, int64_t now,
    struct result *r);
int store_user_feed_clear(struct store *st, int64_t user_id, struct result *r);
int store_user_feed_find(struct store *st, const char *sha256_hex, struct store_user *u,
    struct result *r);
int store_user_feed_since(struct store *st, int64_t user_id, int64_t *created_at, struct result *r);
/* Open blockers counted per customer owner and L2 reason (the team view), ordered by both. */
struct store_blocker_count {
	char		 owner_fm[FIELD_SIZE(FIELD_FM_MAX)];
	char		 l2_reason[40];
	int64_t		 n;
};
int store_blocker_count_by_fm(struct store *st, struct store_blocker_count **list, size_t *n,
    struct result *r);
/*
 * What the database says of itself: PRAGMA integrity_check's first line
 * ("ok" when sound) into why[whysz]; 0 when ok, -1 with r otherwise.
 */
int store_integrity_check(struct store *st, char *why, size_t whysz, struct result *r);
/*
 * A consistent copy of the open database into path (SQLite's online backup:
 * readers and writers go on; a page written meanwhile restarts the copy).
 * The file must not exist; RESULT_INVALID on "file" naming it when it does.
 */
int store_backup(struct store *st, const char *path, struct result *r);
/* The newest audit row of action (e.g. "users_from_owner_fm") as JSON details text into out. */
int store_audit_last(struct store *st, const char *action, char *out, size_t outsz, struct result *r);

/* ---- audit ---- */
/* details is a JSON object text or NULL. */
int store_audit_insert(struct store *st, int64_t now, const char *actor, const char *action,
    const char *entity, int64_t entity_id, int64_t customer_id, const char *details, struct result *r);

/*
 * ---- reads for pages and the API (JSON text appended to out) ----
 * Each object's keys and their JSON types are declared in one table per
 * entity in json.c (times as ISO-8601 UTC strings, flags as booleans): the
 * JSON API's shape is defined there, not by the schema's column names.
 */

/*
 * The whole customer page: the customer plus arrays "services", "contacts",
 * "tasks", "checkins" (newest first), "meetings", "blockers", "usage"
 * (samples by service and date), "outbox" and "audit" (newest first, at
 * most 200).
 */
int store_customer_json(struct store *st, int64_t id, struct buf *out, struct result *r);
/*
 * Outbox rows (no payload) newest first, for the outbox page (the queue
 * itself is outbox.h); customer_id 0 = all; state NULL/"" = any.
 */
int store_outbox_json(struct store *st, int64_t customer_id, const char *state,
    int limit, int offset, struct buf *out, long long *total, struct result *r);
/* One outbox row with its payload as JSON (not a string), for the outbox page's detail view. */
int store_outbox_row_json(struct store *st, int64_t id, struct buf *out, struct result *r);

/* ---- weekly state history (issue 13): the portfolio's 12-week chart ---- */
/*
 * Record the states of a week (its Monday, "YYYY-MM-DD"): rows_json is
 * [[customer_id, "state"], ...]; a customer's row of that week is replaced
 * only when its state differs, so an unchanged portfolio writes nothing.
 */
int store_state_week_put(struct store *st, const char *week, const char *rows_json,
    struct result *r);
struct store_state_count {
	char		 week[11];
	char		 state[24];
	long long	 count;
};
/*
 * How many of the customers ids_json ([id, ...]) were in each state each week
 * since week `since` (inclusive), by week then state; at most max rows in out.
 */
int store_state_week_counts(struct store *st, const char *since, const char *ids_json,
    struct store_state_count *out, size_t max, size_t *n, struct result *r);

/* ---- facts: what the readiness rules need about a customer ---- */
struct store_blocker_fact {
	int64_t		 id;
	char		 opened_on[11];
	char		 service[32];
	char		 description[201];	/* cut to fit: for reasons only */
};
#define STORE_SERIES_ANSWERS_MAX	32
struct store_facts {
	struct store_customer		 customer;
	struct store_service		*services;	/* all rows, intended or not */
	size_t				 n_services;
	int				*open_required;	/* FTOP ids of required tasks still open */
	size_t				 n_open_required;
	struct store_blocker_fact	*open_blockers;
	size_t				 n_open_blockers;
	char				 last_checkin[11];	/* "" when none */
	int				 n_active_series;
	int				 series_every_weeks;	/* smallest interval among active series, 0 = none */
	char				 series_starts_at[17];	/* start of that series (local) */
	/* Its skipped occurrences, local dates in order: not due (readiness.c). */
	char				 series_skipped[STORE_MEETING_EXCEPTIONS_MAX][11];
	size_t				 n_series_skipped;
	/*
	 * Its contacts' answers from calendar replies (migration 10), by
	 * contact then date: occurs_on "" for the whole series, else the one
	 * occurrence; answer 'a'ccepted, 'd'eclined or 't'entative.  At most
	 * STORE_SERIES_ANSWERS_MAX are read (the first, by contact).
	 */
	struct store_answer_fact {
		int64_t		 contact_id;
		char		 occurs_on[11];
		char		 answer;
	}				 series_answers[STORE_SERIES_ANSWERS_MAX];
	size_t				 n_series_answers;
};
struct store_facts_filter {
	const char	*q;		/* substring of name or tenant domain, NULL = any */
	const char	*phase;		/* NULL = any */
	const char	*owner_fm;	/* NULL = any */
	int		 with_archived;	/* 0: archived customers are left out */
};
/* Facts for every customer matching the filter, ordered by name, in a fixed number of queries. */
int store_facts_list(struct store *st, const struct store_facts_filter *f,
    struct store_facts **list, size_t *n, struct result *r);
/* Facts of the customers whose ids are given (any order), in name order. */
int store_facts_list_ids(struct store *st, const int64_t *ids, size_t n,
    struct store_facts **list, size_t *nout, struct result *r);
/* One customer's facts; release with store_facts_clear. */
int store_facts_get(struct store *st, int64_t id, struct store_facts *f, struct result *r);
void store_facts_clear(struct store_facts *f);
/* Release a list from store_facts_list. */
void store_facts_free(struct store_facts *list, size_t n);
/* Distinct owner_fm values, sorted (for the portfolio filter); *list malloc'd (free()). */
struct store_fm {
	char		 owner_fm[FIELD_SIZE(FIELD_FM_MAX)];
};
int store_fm_list(struct store *st, struct store_fm **list, size_t *n, struct result *r);

/* ---- health (for /healthz) ---- */
struct store_health {
	int		 can_commit;		/* 1: the probe's write transaction committed */
	char		 commit_error[160];	/* why not (SQLite's words, no path), "" when it did */
	long long	 free_bytes;		/* free for unprivileged writers where the database is, -1 unknown */
	int		 read_only;		/* 1: that file system is mounted read-only */
	long long	 outbox_due;		/* rows the notifier could claim now (queued and due, or lease expired) */
	int64_t		 outbox_oldest_due;	/* when the oldest of them fell due (Unix seconds), 0 when none */
};

/*
 * Whether the database can take a change now, at time now: commits a
 * one-row rewrite (the lock, a WAL frame and its fsync that every change
 * needs; the database does not grow), reads the free space and mount flags
 * of its file system, and counts the outbox rows due.  A failed commit is
 * reported in h, not as an error: returns -1 only when the outbox could not
 * be read (r says why).  Costs one fsync'd commit: callers cache the answer.
 */
int store_health(struct store *st, int64_t now, struct store_health *h, struct result *r);

#endif
