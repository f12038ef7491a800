/*
 * feed.h -- a personal calendar subscription feed (RFC 5545, no METHOD: a
 * published calendar that Outlook and Google poll, not an iTIP message):
 * the check-in series as ical_invite_build() writes them, spliced into one
 * VCALENDAR, and next actions as all-day events.
 */
#ifndef FTS_FEED_H
#define FTS_FEED_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ical.h"
#include "notice.h"
#include "result.h"

/* The feed being built; zeroed by feed_begin, released by feed_end or feed_free. */
struct feed {
	struct buf	 zones;		/* VTIMEZONE blocks, one per TZID */
	struct buf	 events;	/* VEVENT blocks */
	char		 tzids[32][64];	/* the TZIDs in zones, in order */
	size_t		 tzlen[32];	/* the length of each one's block (the longest is kept) */
	size_t		 tzoff[32];	/* where it starts in zones */
	size_t		 ntz;
};

/* One next action as an all-day event: every string is borrowed. */
struct feed_day {
	const char	*uid;		/* stable: the same action keeps its event across polls */
	const char	*on;		/* "YYYY-MM-DD" */
	const char	*summary;	/* one line */
	const char	*description;	/* may be NULL; multi-line */
	const char	*url;		/* may be NULL; absolute */
};

void feed_begin(struct feed *f);
/*
 * Take the VTIMEZONE and VEVENT blocks of a complete VCALENDAR written by
 * ical_invite_build() (method PUBLISH); its METHOD and header are dropped.
 * A zone already in the feed keeps the longer of the two descriptions (each
 * describes its zone from its series' start on: the longer reaches further
 * back).  RESULT_INVALID when ics is not such a calendar.
 */
int feed_add_calendar(struct feed *f, const char *ics, struct result *r);
/*
 * The series m (a decoded invite payload) as the .ics download writes it
 * (ical_invite_from_notice, method PUBLISH, ical_invite_build at dtstamp),
 * added with feed_add_calendar: one builder for invites, downloads and feeds.
 */
int feed_add_series(struct feed *f, const struct notice_meeting *m,
    const struct ical_person *organizer, const char *base_url, int64_t dtstamp,
    struct result *r);
/*
 * An all-day VEVENT (DTSTART;VALUE=DATE, DTEND the next day, TRANSP
 * TRANSPARENT: a due date does not make its owner busy).  Not a VTODO:
 * Outlook and Google Calendar show the events of a subscribed calendar
 * but drop its to-dos, so a due date as VTODO would never be seen there.  Text is escaped
 * (RFC 5545 3.3.11) and lines folded at 75 octets without splitting a
 * UTF-8 sequence (3.1).  RESULT_INVALID naming the field for a bad date or
 * text that is not UTF-8.
 */
int feed_add_day(struct feed *f, const struct feed_day *d, int64_t dtstamp, struct result *r);
/*
 * Append the whole VCALENDAR to out (PRODID, VERSION, CALSCALE, X-WR-CALNAME
 * name, no METHOD), then release f.
 */
int feed_end(struct feed *f, const char *name, struct buf *out, struct result *r);
/* Release f without writing (after a failure). */
void feed_free(struct feed *f);

#endif
