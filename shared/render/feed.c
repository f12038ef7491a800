/* feed.c -- a calendar subscription feed: ical.c's series spliced into one VCALENDAR, plus all-day next actions. */
#include "autoconfig.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "feed.h"
#include "text.h"

#define FEED_PRODID	"-//ftsuccess//Calendar feed//EN"
#define FEED_FOLD	75	/* octets of a content line before CRLF (RFC 5545 3.1) */

void
feed_begin(struct feed *f)
{
	memset(f, 0, sizeof(*f));
	buf_init(&f->zones);
	buf_init(&f->events);
}

void
feed_free(struct feed *f)
{
	buf_free(&f->zones);
	buf_free(&f->events);
	memset(f, 0, sizeof(*f));
}

/* The line starting at p (without its CRLF) as [p, *end); the next line's start in *next. */
static void
feed_line_at(const char *p, const char **end, const char **next)
{
	const char *e = strstr(p, "\r\n");

	if (e == NULL)
		e = p + strlen(p);
	*end = e;
	*next = *e ? e + 2 : e;
}

static int
feed_is(const char *p, const char *end, const char *line)
{
	return (size_t)(end - p) == strlen(line) && memcmp(p, line, (size_t)(end - p)) == 0;
}

/* Keep the zone block [b, e) named tzid unless a longer one of that name is there. */
static int
feed_keep_zone(struct feed *f, const char *tzid, size_t tzidlen, const char *b, const char *e,
    struct result *r)
{
	struct buf	 rebuilt;
	size_t		 i, k, len = (size_t)(e - b);

	for (i = 0; i < f->ntz; i++)
		if (strlen(f->tzids[i]) == tzidlen && memcmp(f->tzids[i], tzid, tzidlen) == 0)
			break;
	if (i == f->ntz) {
		if (f->ntz == sizeof(f->tzids) / sizeof(f->tzids[0]) || tzidlen >= sizeof(f->tzids[0]))
			return result_set(r, RESULT_INVALID, "timezone",
			    "the feed holds %zu time zones at most", f->ntz);
		memcpy(f->tzids[i], tzid, tzidlen);
		f->tzids[i][tzidlen] = '\0';
		f->tzoff[i] = f->zones.len;
		f->tzlen[i] = len;
		f->ntz++;
		if (buf_append(&f->zones, b, len) == -1)
			return result_set(r, RESULT_IO, NULL, "feed: out of memory");
		return 0;
	}
	if (len <= f->tzlen[i])
		return 0;
	/* Replace block i: rebuild the zones in order with the longer one in its place. */
	buf_init(&rebuilt);
	for (k = 0; k < f->ntz; k++) {
		size_t off = rebuilt.len;

		if (k == i)
			buf_append(&rebuilt, b, len);
		else
			buf_append(&rebuilt, f->zones.data + f->tzoff[k], f->tzlen[k]);
		f->tzoff[k] = off;
		if (k == i)
			f->tzlen[k] = len;
	}
	buf_free(&f->zones);
	f->zones = rebuilt;
	return f->zones.failed ? result_set(r, RESULT_IO, NULL, "feed: out of memory") : 0;
}

int
feed_add_calendar(struct feed *f, const char *ics, struct result *r)
{
	const char	*p = ics, *end, *next, *block = NULL, *tzid = NULL;
	size_t		 tzidlen = 0, nevents = 0;
	int		 in_zone = 0, in_event = 0;

	if (ics == NULL || strncmp(ics, "BEGIN:VCALENDAR\r\n", 17) != 0)
		return result_set(r, RESULT_INVALID, "calendar", "not a VCALENDAR");
	for (; *p; p = next) {
		feed_line_at(p, &end, &next);
		if (!in_zone && !in_event && feed_is(p, end, "BEGIN:VTIMEZONE")) {
			in_zone = 1;
			block = p;
			tzid = NULL;
		} else if (!in_zone && !in_event && feed_is(p, end, "BEGIN:VEVENT")) {
			in_event = 1;
			block = p;
		} else if (in_zone && tzid == NULL && end - p > 5 && memcmp(p, "TZID:", 5) == 0) {
			tzid = p + 5;
			tzidlen = (size_t)(end - tzid);
		} else if (in_zone && feed_is(p, end, "END:VTIMEZONE")) {
			in_zone = 0;
			if (tzid == NULL)
				return result_set(r, RESULT_INVALID, "calendar", "a VTIMEZONE without TZID");
			if (feed_keep_zone(f, tzid, tzidlen, block, next, r) == -1)
				return -1;
		} else if (in_event && feed_is(p, end, "END:VEVENT")) {
			in_event = 0;
			nevents++;
			if (buf_append(&f->events, block, (size_t)(next - block)) == -1)
				return result_set(r, RESULT_IO, NULL, "feed: out of memory");
		}
	}
	if (in_zone || in_event || nevents == 0)
		return result_set(r, RESULT_INVALID, "calendar", "a VCALENDAR without a whole VEVENT");
	return 0;
}

int
feed_add_series(struct feed *f, const struct notice_meeting *m,
    const struct ical_person *organizer, const char *base_url, int64_t dtstamp,
    struct result *r)
{
	struct ical_invite	 inv;
	struct buf		 ics;
	int			 rc = -1;

	memset(&inv, 0, sizeof(inv));
	buf_init(&ics);
	if (ical_invite_from_notice(m, organizer, base_url, &inv, r) == 0) {
		/* A subscription shows the series as it stands, as a download does. */
		inv.method = "PUBLISH";
		if (ical_invite_build(&inv, dtstamp, &ics, r) == 0 &&
		    feed_add_calendar(f, buf_cstr(&ics), r) == 0)
			rc = 0;
	}
	ical_invite_free(&inv);
	buf_free(&ics);
	return rc;
}

/*
 * "NAME:value" with value escaped as TEXT when text is set, folded: a line
 * longer than 75 octets continues on the next after CRLF and a space, cut
 * before a UTF-8 lead byte only.
 */
static void
feed_prop(struct buf *out, const char *name, const char *value, int text)
{
	struct buf	 line;
	const char	*s;
	size_t		 i, col = 0;

	buf_init(&line);
	buf_printf(&line, "%s:", name);
	for (s = value; *s; s++) {
		if (text && (*s == '\\' || *s == ';' || *s == ','))
			buf_putc(&line, '\\');
		if (text && *s == '\n') {
			buf_puts(&line, "\\n");
			continue;
		}
		if (text && *s == '\r')
			continue;
		buf_putc(&line, (unsigned char)*s);
	}
	for (i = 0; !line.failed && i < line.len; i++) {
		unsigned char c = (unsigned char)line.data[i];

		if (col >= FEED_FOLD && (c & 0xC0) != 0x80) {
			buf_puts(out, "\r\n ");
			col = 1;
		}
		buf_putc(out, c);
		col++;
	}
	buf_puts(out, "\r\n");
	if (line.failed)
		out->failed = 1;
	buf_free(&line);
}

/* "YYYYMMDD" of day number d. */
static void
feed_date(int32_t d, char out[9])
{
	char	 iso[11];

	text_date_format(d, iso, sizeof(iso));
	snprintf(out, 9, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

int
feed_add_day(struct feed *f, const struct feed_day *d, int64_t dtstamp, struct result *r)
{
	struct tm	 tm;
	time_t		 t = (time_t)dtstamp;
	int32_t		 day;
	char		 start[9], end[9], stamp[17];

	if (d->on == NULL || text_date_parse(d->on, &day) == -1)
		return result_set(r, RESULT_INVALID, "on", "\"%.16s\" is not a date YYYY-MM-DD",
		    d->on ? d->on : "");
	if (d->uid == NULL || *d->uid == '\0' || !text_utf8_valid(d->uid, strlen(d->uid)))
		return result_set(r, RESULT_INVALID, "uid", "a day needs a UID");
	if (d->summary == NULL || !text_utf8_valid(d->summary, strlen(d->summary)) ||
	    (d->description != NULL && !text_utf8_valid(d->description, strlen(d->description))) ||
	    (d->url != NULL && !text_utf8_valid(d->url, strlen(d->url))))
		return result_set(r, RESULT_INVALID, "summary", "the text of %s is not UTF-8", d->uid);
	if (gmtime_r(&t, &tm) == NULL)
		return result_set(r, RESULT_INVALID, "dtstamp", "dtstamp %lld is out of range",
		    (long long)dtstamp);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	feed_date(day, start);
	feed_date(day + 1, end);
	buf_puts(&f->events, "BEGIN:VEVENT\r\n");
	feed_prop(&f->events, "UID", d->uid, 0);
	feed_prop(&f->events, "DTSTAMP", stamp, 0);
	feed_prop(&f->events, "DTSTART;VALUE=DATE", start, 0);
	/* RFC 5545 3.6.1: an all-day event ends the next day (DTEND is not inclusive). */
	feed_prop(&f->events, "DTEND;VALUE=DATE", end, 0);
	feed_prop(&f->events, "SUMMARY", d->summary, 1);
	if (d->description != NULL && *d->description != '\0')
		feed_prop(&f->events, "DESCRIPTION", d->description, 1);
	if (d->url != NULL && *d->url != '\0')
		feed_prop(&f->events, "URL", d->url, 0);
	feed_prop(&f->events, "TRANSP", "TRANSPARENT", 0);
	buf_puts(&f->events, "END:VEVENT\r\n");
	return f->events.failed ? result_set(r, RESULT_IO, NULL, "feed: out of memory") : 0;
}

int
feed_end(struct feed *f, const char *name, struct buf *out, struct result *r)
{
	buf_puts(out, "BEGIN:VCALENDAR\r\n");
	feed_prop(out, "PRODID", FEED_PRODID, 0);
	feed_prop(out, "VERSION", "2.0", 0);
	feed_prop(out, "CALSCALE", "GREGORIAN", 0);
	/* No METHOD: RFC 5546 iTIP methods are for messages; a subscribed calendar has none. */
	feed_prop(out, "X-WR-CALNAME", name, 1);
	/* Clients poll at their own pace; this asks for hourly (Outlook and Apple read it). */
	feed_prop(out, "REFRESH-INTERVAL;VALUE=DURATION", "PT1H", 0);
	feed_prop(out, "X-PUBLISHED-TTL", "PT1H", 0);
	buf_append(out, f->zones.data ? f->zones.data : "", f->zones.len);
	buf_append(out, f->events.data ? f->events.data : "", f->events.len);
	buf_puts(out, "END:VCALENDAR\r\n");
	feed_free(f);
	return out->failed ? result_set(r, RESULT_IO, NULL, "feed: out of memory") : 0;
}
