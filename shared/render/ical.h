/* ical.h -- iCalendar (RFC 5545) check-in invites and cancellations (RFC 5546 iTIP), built with libical. */
#ifndef FTS_ICAL_H
#define FTS_ICAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "notice.h"
#include "result.h"

/* A check-in of the series moved elsewhere: its own local date, its new local start. */
struct ical_moved {
	const char	*on;		/* "YYYY-MM-DD" */
	const char	*starts_at;	/* "YYYY-MM-DDTHH:MM" */
};

struct ical_person {
	const char	*name;		/* display name (CN); may be NULL or "" */
	const char	*email;		/* required; becomes mailto:<email> */
};

/*
 * One recurring check-in series as one VEVENT.  All strings are borrowed:
 * a caller filling the struct by hand keeps them alive while building and
 * leaves owned NULL (a zeroed struct).  ical_invite_from_notice() points
 * them into the notice and into storage it owns (freed by ical_invite_free()).
 */
struct ical_invite {
	const char	*method;	/* "REQUEST", "CANCEL" (RFC 5546 3.2.2, 3.2.5) or
					 * "PUBLISH" (3.2.1: a download, no ATTENDEE) */
	const char	*uid;		/* stable per series */
	int		 sequence;	/* >= 0; the caller bumps it for a reschedule or cancel */
	const char	*status;	/* "CONFIRMED", or "CANCELLED" (never with REQUEST); a
					 * CANCEL with CONFIRMED uninvites its attendees from a
					 * series that goes on, and has no STATUS */
	const char	*starts_at;	/* first occurrence, local wall clock "YYYY-MM-DDTHH:MM" */
	const char	*timezone;	/* IANA name of starts_at's zone, e.g. "Europe/Berlin" */
	int		 duration_minutes; /* 1..1440 */
	int		 every_weeks;	/* 1..8: RRULE:FREQ=WEEKLY;INTERVAL=every_weeks */
	const char	*until;		/* NULL, or the local date "YYYY-MM-DD" of the last
					 * occurrence: RRULE ...;UNTIL=<its start in UTC> */
	const char *const *exdates;	/* local dates of skipped occurrences: EXDATE;TZID */
	size_t		 n_exdates;
	const char	*recurrence_id;	/* NULL: the series; else the local date of the one
					 * occurrence the message is about (RECURRENCE-ID;TZID,
					 * no RRULE) */
	const char	*occurrence_start; /* with recurrence_id: NULL, or its new local
					 * "YYYY-MM-DDTHH:MM" (a moved occurrence) */
	const struct ical_moved *moved;	/* the series' moved check-ins: a REQUEST or
					 * PUBLISH of the series carries each as an
					 * override VEVENT (RECURRENCE-ID) after it */
	size_t		 n_moved;
	const char	*summary;	/* required */
	const char	*description;	/* may be NULL; multi-line text */
	const char	*url;		/* may be NULL; absolute URL of the customer page
					 * (the FM's download only: it needs a login) */
	const char	*location;	/* may be NULL; LOCATION, the online meeting's link */
	struct ical_person organizer;	/* the service mailbox: it owns the series */
	const struct ical_person *chair; /* NULL, or the FM: ATTENDEE;ROLE=CHAIR */
	const struct ical_person *attendees;
	size_t		 n_attendees;	/* >= 1 */
	void		*owned;		/* private: storage of ical_invite_from_notice() */
};

/*
 * Fill inv from a decoded invite or cancel notice (notice.h): method,
 * meeting.*, attendees and the chair, a SUMMARY "Success Check-in —
 * <customer.name>", a DESCRIPTION with the plain agenda (what changed, for
 * an update), LOCATION the series' meeting_url, and, only when base_url is
 * not NULL (the FM's download, never a mail that reaches the customer),
 * URL = base_url + url and the customer page in the DESCRIPTION.
 * organizer (the service mailbox) is copied by pointer (borrowed).  Strings borrow from m, so keep
 * it alive while inv is used; call ical_invite_free(inv) afterwards, also on
 * failure.  Returns 0, or -1 with RESULT_INVALID naming what is missing from
 * a notice filled by hand, or RESULT_IO when memory ran out.
 */
int ical_invite_from_notice(const struct notice_meeting *m, const struct ical_person *organizer,
    const char *base_url, struct ical_invite *inv, struct result *r);

/*
 * The words people read in a check-in's mail and calendar text, English
 * here and each other language through its gettext catalog: the one place
 * the mail and the DESCRIPTION take them from.
 */
struct ical_words {
	const char	*lang;		/* "en" */
	const char	*summary;	/* "Success Check-in — {1}": the event's title */
	const char	*checkin_with;	/* "Success Check-in with {1}." */
	const char	*adoption;	/* heading of the services */
	const char	*no_services;
	const char	*active_users;	/* "{1} active users" */
	const char	*not_measured;
	const char	*target;	/* "target {1}" */
	const char	*custom_metric;	/* "agreed success metric: {1}" */
	const char	*measured;	/* "measured {1}" */
	const char	*blockers;	/* heading of the open blockers */
	const char	*owner;		/* "owner {1}" */
	const char	*next_action;	/* heading of the last check-in's next action */
	const char	*due;		/* "due {1}" */
	const char	*online;	/* "Online meeting: {1}" */
	const char	*moved;		/* "moved from {1} to {2}" */
	const char	*zone_time;	/* "{1} time" */
	const char	*now_minutes;	/* "now {1} minutes instead of {2}" */
	const char	*now_every;	/* "now every {1} instead of every {2}" */
	const char	*week;		/* "week" */
	const char	*weeks;		/* "{1} weeks" */
	const char	*changed;	/* "What changed: " */
	const char	*ends;		/* "the series ends after {1}; ..." */
	const char	*const *weekdays;	/* 7 short names, Sunday first */
	const char	*const *months;		/* 12 short names */
};

/*
 * Append word template tmpl to out with {1} replaced by a and {2} by b
 * (NULL: nothing): placeholders rather than printf formats, so that a
 * translation may order them as its grammar wants.
 */
void ical_words_put(struct buf *out, const char *tmpl, const char *a, const char *b);

/* The words of language lang ("en", "pt-BR"); English for one ftsuccess does not speak. */
const struct ical_words *ical_words_for(const char *lang);

/*
 * What an update changed, in the customer's words and zone, appended to
 * out: "moved from Wed 9 Dec 10:00 to Thu 10 Dec 11:00, São Paulo time;
 * now 45 minutes instead of 30", or for the old series of a split "the
 * series ends after Thu 1 Jan; ...".  Nothing when m has neither a previous
 * schedule nor an end, or nothing of it changed.  Returns the bytes appended, or -1 when memory
 * ran out.
 */
int ical_change_text(const struct notice_meeting *m, const struct ical_words *w, struct buf *out);

/* The zone as people name it: "São Paulo" for America/Sao_Paulo; size >= 64. */
void ical_zone_city(const char *zone, char *buf, size_t size);

/* Release what ical_invite_from_notice() allocated and zero inv; safe on a zeroed struct. */
void ical_invite_free(struct ical_invite *inv);

/*
 * Validate inv and append a complete VCALENDAR (METHOD, one VTIMEZONE with the
 * plain IANA TZID, one VEVENT) to out: CRLF line ends, lines folded at 75
 * octets without splitting a UTF-8 sequence.  DTSTAMP is dtstamp (Unix
 * seconds, written in UTC).  Returns 0, or -1 with RESULT_INVALID naming the
 * field and value that was refused, or RESULT_IO on a libical/memory failure;
 * on failure out may hold a partial append.
 */
int ical_invite_build(const struct ical_invite *inv, int64_t dtstamp, struct buf *out,
    struct result *r);

/* What a local wall-clock start means in its zone (ical_local_time()). */
struct ical_local {
	int64_t		 at;		/* the UTC second meant: the first when it occurs twice */
	int		 offset;	/* at's UTC offset in seconds (east positive) */
	int		 twice;		/* 1: the clocks go back over it and it occurs again */
	int		 later_offset;	/* with twice: the offset of the second occurrence */
};

/*
 * The check the notifier makes before it builds an invite, for the rules to
 * make before they accept a start: starts_at ("YYYY-MM-DDTHH:MM") in the IANA
 * zone.  Returns 0 with *out filled, or -1 with RESULT_INVALID: a malformed
 * time or unknown zone, or a time inside a DST gap (the message says which
 * time the clocks jump to).
 */
int ical_local_time(const char *starts_at, const char *zone, struct ical_local *out,
    struct result *r);

#endif
