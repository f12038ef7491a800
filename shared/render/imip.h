/* imip.h -- reads calendar replies (iMIP, RFC 6047; iTIP REPLY and COUNTER, RFC 5546) out of raw mail, or says why a message is not one. */
#ifndef FTS_IMIP_H
#define FTS_IMIP_H

#include <stddef.h>
#include <stdint.h>

#include "result.h"

enum imip_kind {
	IMIP_UNMATCHED = 0,	/* not a reply we apply: reason says why */
	IMIP_REPLY,		/* an attendee's answer (PARTSTAT) */
	IMIP_COUNTER,		/* an attendee proposes another time */
	IMIP_KIND__MAX
};

/*
 * Why a message is kept unmatched.  The parser sets the first group; the
 * rules (store_reply_apply) set UNKNOWN_UID and NOT_ATTENDEE, and STALE for
 * a reply recorded but not applied.
 */
enum imip_reason {
	IMIP_REASON_NONE = 0,
	IMIP_REASON_MIME,		/* malformed MIME, or too large to read */
	IMIP_REASON_NO_CALENDAR,	/* no text/calendar part nor .ics attachment: a human reply? */
	IMIP_REASON_CALENDAR,		/* calendar data libical cannot read, or no VEVENT */
	IMIP_REASON_METHOD,		/* METHOD is neither REPLY nor COUNTER */
	IMIP_REASON_UID,		/* the event has no UID */
	IMIP_REASON_ATTENDEE,		/* no ATTENDEE, or several and none is the sender */
	IMIP_REASON_DELEGATED,		/* the attendee delegated (RFC 5546 3.2.3.1) */
	IMIP_REASON_PARTSTAT,		/* a REPLY without ACCEPTED, DECLINED or TENTATIVE */
	IMIP_REASON_UNKNOWN_UID,	/* no series of ours has this UID */
	IMIP_REASON_NOT_ATTENDEE,	/* the address is no contact of the series' customer */
	IMIP_REASON_STALE,		/* answers an older SEQUENCE than the series has now */
	IMIP_REASON__MAX
};

/* What one message says, every string NUL-terminated ("" when absent). */
struct imip_message {
	enum imip_kind	 kind;
	enum imip_reason reason;
	char		 detail[160];	/* the specific fault, e.g. "METHOD:REQUEST" */
	char		 key[320];	/* Message-ID, else "fnv64:<hash of the bytes>": one key per message */
	char		 from[256];	/* the From address, lower case */
	char		 subject[256];
	char		 uid[256];
	char		 attendee[256];	/* the answering attendee's address, lower case, no mailto: */
	char		 partstat[16];	/* "accepted", "declined", "tentative" (REPLY) */
	int		 sequence;
	int		 has_recurrence; /* 1: answers one occurrence (RECURRENCE-ID) */
	int		 recurrence_zoned; /* 1: recurrence_at is an instant; 0: floating, use recurrence_day */
	int64_t		 recurrence_at;	/* Unix seconds of the occurrence's original start */
	char		 recurrence_day[11]; /* its date as written, "YYYY-MM-DD" */
	int64_t		 proposed_start; /* COUNTER: Unix seconds (0: none) */
	int64_t		 proposed_end;
};

/* The largest message read; a bigger one is kept unmatched (IMIP_REASON_MIME). */
#define IMIP_MESSAGE_MAX	((size_t)4 * 1024 * 1024)

/*
 * Reads the raw RFC 5322 message msg[0..len) (need not be NUL-terminated)
 * into *out.  Never fails on content: garbage gives kind IMIP_UNMATCHED and
 * a reason.  Returns 0, or -1 with r set (RESULT_IO) when memory ran out.
 */
int imip_parse(const char *msg, size_t len, struct imip_message *out, struct result *r);

/*
 * The local date "YYYY-MM-DD" (out at least 11 bytes) of instant at in the
 * IANA zone tz: where an occurrence's RECURRENCE-ID falls for its series.
 * 0, or -1 for a zone the system does not know.
 */
int imip_local_day(int64_t at, const char *tz, char *out, size_t size);

/*
 * The local wall-clock start "YYYY-MM-DDTHH:MM" (out at least 17 bytes) of
 * instant at in zone tz: a proposed time as the series' forms take it.  0,
 * or -1 for an unknown zone.
 */
int imip_local_start(int64_t at, const char *tz, char *out, size_t size);

/* The JSON key of a reason ("no_calendar"); "" for IMIP_REASON_NONE and out of range. */
const char *imip_reason_key(enum imip_reason reason);

/* The reason in words for the Unmatched replies page. */
const char *imip_reason_words(enum imip_reason reason);

/* The reason whose key is key, or IMIP_REASON__MAX. */
enum imip_reason imip_reason_from_key(const char *key);

/* "reply", "counter", "unmatched". */
const char *imip_kind_key(enum imip_kind kind);

#endif
