/* notice.h -- the typed outbox payload: one struct per notice kind, its versioned JSON encoding and checked decoding. */
#ifndef FTS_NOTICE_H
#define FTS_NOTICE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "result.h"

/*
 * The payload's shape is documented in docs/notifications.md.  The writer
 * (shared/rules/playbook.c) fills a struct notice and encodes it; the
 * notifier decodes each row once and gives the struct to the mail and the
 * calendar builders.  Every string is owned (malloc'd) by the struct and
 * released by notice_free(); NULL stands for a JSON null.
 */

/*
 * The newest payload version.  Version 2 added the series' "until" and
 * "exceptions" and the meeting's "occurrence"; version 3 the meeting's
 * "chair" (the FM, ATTENDEE;ROLE=CHAIR), the series' "meeting_url" and the
 * update's "previous" schedule; version 4 the customer's "language" (its
 * mail's, when not English).  notice_encode() writes the lowest version
 * that carries the payload (an older notifier must refuse it, not send a
 * skipped occurrence as a cancel of the series, or leave the FM out) and
 * notice_decode() takes all three.
 */
#define NOTICE_VERSION		4

/* Values of the outbox row's kind column. */
enum notice_kind {
	NOTICE_INVITE,		/* "invite": METHOD:REQUEST, a new series or an update */
	NOTICE_CANCEL,		/* "cancel": METHOD:CANCEL */
	NOTICE_HANDSHAKE,	/* "handshake": mail to the CSM */
	NOTICE__MAX
};

struct notice_person {
	char		*name;		/* may be NULL */
	char		*email;		/* required */
};

struct notice_customer {
	int64_t			 id;
	char			*name;		/* required */
	char			*tenant_domain;
	char			*timezone;
	char			*language;	/* NULL: English; else the tag of its mail's language (v4) */
	struct notice_person	*contacts;	/* handshake only */
	size_t			 n_contacts;
};

/* One service with its latest adoption sample. */
struct notice_service {
	char		*key;
	char		*title;			/* required */
	char		*activated_on;		/* handshake only; NULL when not activated */
	int		 has_au;		/* 0: au_percent is null (no sample) */
	double		 au_percent;
	int		 has_target;		/* 0: target_percent is null */
	double		 target_percent;
	char		*custom_metric;		/* NULL unless a described metric was agreed */
	char		*measured_on;		/* NULL without a sample */
	int		 ftop_id;		/* 0: no "ftop_id" member (handshake only) */
};

struct notice_blocker {
	int64_t		 id;
	char		*description;		/* required */
	char		*owner;
	char		*l2_reason;
	char		*l2_title;		/* required */
	char		*service;		/* NULL when it is the customer's, not a service's */
	char		*opened_on;
};

struct notice_next_action {
	char		*text;			/* required */
	char		*on;
	char		*owner;
	char		*held_on;
};

/* What the check-in is about: the series' services, open blockers, the last next action. */
struct notice_agenda {
	struct notice_service		*services;
	size_t				 n_services;
	struct notice_blocker		*blockers;
	size_t				 n_blockers;
	struct notice_next_action	*next_action;	/* NULL: no check-in logged yet */
};

/* One occurrence of a series, skipped or moved. */
struct notice_occurrence {
	char		*on;			/* required: its own local date "YYYY-MM-DD" */
	char		*moved_to;		/* NULL: skipped; else the new local start */
};

/* The series as the invite shows it (RFC 5545 fields). */
struct notice_series {
	int64_t		 id;
	char		*uid;			/* required */
	int		 sequence;		/* >= 0 */
	char		*status;		/* "CONFIRMED" or "CANCELLED" */
	char		*starts_at;		/* local wall clock "YYYY-MM-DDTHH:MM" */
	char		*timezone;		/* IANA name */
	int		 duration_minutes;
	int		 every_weeks;
	char		*until;			/* NULL, or the local date of the last occurrence */
	struct notice_occurrence *exceptions;	/* skipped (EXDATE) and moved occurrences */
	size_t		 n_exceptions;
	char		*meeting_url;		/* NULL, or the online meeting's https link (v3) */
};

/* The schedule a series had before an update, to say what changed (v3). */
struct notice_schedule {
	char		*starts_at;		/* required: local wall clock "YYYY-MM-DDTHH:MM" */
	char		*timezone;		/* required: IANA name */
	int		 duration_minutes;
	int		 every_weeks;
};

/* An invite (REQUEST, an update when sequence > 0) or a cancel (CANCEL). */
struct notice_meeting {
	char			*method;	/* "REQUEST" or "CANCEL" */
	struct notice_customer	 customer;
	struct notice_series	 meeting;
	struct notice_person	*attendees;	/* >= 1 */
	size_t			 n_attendees;
	struct notice_agenda	 agenda;
	char			*url;		/* path; the notifier prefixes base_url */
	/*
	 * NULL: the message is about the whole series.  Else about this one
	 * occurrence (RECURRENCE-ID): a CANCEL skips it, a REQUEST moves it.
	 */
	struct notice_occurrence *occurrence;
	/*
	 * NULL, or the customer's FM (v3): an ATTENDEE with ROLE=CHAIR who gets
	 * every message of the series with the contacts, and the Reply-To.
	 * NULL in a personal cancel (it names its one recipient only) and when
	 * the FM has no e-mail in their profile.
	 */
	struct notice_person	*chair;
	/* NULL, or the schedule before this update (v3): the mail says old -> new. */
	struct notice_schedule	*previous;
};

/* The CSM handshake: services has one element. */
struct notice_handshake {
	struct notice_customer	 customer;	/* with contacts */
	struct notice_person	 csm;
	struct notice_agenda	 agenda;	/* written at the top level, not under "agenda" */
	char			*url;
};

struct notice {
	enum notice_kind	 kind;
	int			 version;	/* NOTICE_VERSION after decoding */
	struct notice_meeting	 meeting;	/* NOTICE_INVITE, NOTICE_CANCEL */
	struct notice_handshake	 handshake;	/* NOTICE_HANDSHAKE */
};

/* The kind named by an outbox row's kind column; -1 with RESULT_INVALID for an unknown one. */
int notice_kind_parse(const char *s, enum notice_kind *kind, struct result *r);

/*
 * The payload of n as a JSON object with "version": 1 and the members of
 * docs/notifications.md, in that order; percentages rounded to one decimal.
 * *out is the caller's (json_object_put).  Returns 0, or -1 with RESULT_IO.
 */
int notice_json(const struct notice *n, json_object **out, struct result *r);

/* notice_json() as text appended to out.  Returns 0, or -1 with RESULT_IO. */
int notice_encode(const struct notice *n, struct buf *out, struct result *r);

/*
 * Decode the payload text of an outbox row of this kind into n (zeroed
 * first; call notice_free() afterwards, also on failure).  Every member is
 * checked: -1 with RESULT_INVALID whose field is the member's path
 * ("agenda.services[2].title") and whose message says what is wrong with
 * it, or RESULT_IO when memory ran out.  A payload without "version" is
 * version 1 (rows queued before the member existed); any other version is
 * refused.
 */
int notice_decode(const char *text, enum notice_kind kind, struct notice *n, struct result *r);

/* notice_kind_parse() of kind, then notice_decode(): how the notifier reads an outbox row. */
int notice_decode_row(const char *kind, const char *text, struct notice *n, struct result *r);

/* notice_decode() of an already parsed payload (the web's .ics download). */
int notice_decode_json(json_object *payload, enum notice_kind kind, struct notice *n,
    struct result *r);

/*
 * notice_decode_json() of an invite or a cancel, whichever its "method"
 * says: for a payload that comes without its row (the web's .ics download).
 */
int notice_decode_meeting_json(json_object *payload, struct notice *n, struct result *r);

/*
 * The outbox row's recipients column, a JSON array of {"name", "email"}
 * (docs/notifications.md), as *n people in *people (free them with
 * notice_people_free(), also on failure).  Returns 0, or -1 with
 * RESULT_INVALID naming the path ("recipients[1].email") for anything but
 * a non-empty array of people with an email, RESULT_IO without memory.
 */
int notice_recipients_decode(const char *text, struct notice_person **people, size_t *n,
    struct result *r);

void notice_people_free(struct notice_person *people, size_t n);

/* Release everything n owns and zero it; safe on a zeroed struct. */
void notice_free(struct notice *n);

/*
 * The one way a percentage is shown to people: at most one decimal, no
 * trailing ".0" ("7.5", "10", "33.3"), without the % sign; size >= 32.
 */
void notice_percent(double v, char *buf, size_t size);

#endif
