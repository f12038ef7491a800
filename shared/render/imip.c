/* imip.c -- finds the calendar part of a raw reply mail (MIME walk, base64 and quoted-printable), reads it with libical and classifies it; bad input gives a reason, never a crash. */
#include "autoconfig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libical/ical.h>

#include "buf.h"
#include "i18n.h"
#include "imip.h"
#include "text.h"

/* Nested multiparts deeper than this are refused: real clients nest three. */
#define IMIP_DEPTH_MAX		8
/* Calendar parts looked at per message (Gmail sends the same one twice). */
#define IMIP_PARTS_MAX		4
/* A calendar part larger than this is not a reply (a reply is a few KB). */
#define IMIP_CALENDAR_MAX	((size_t)256 * 1024)

static const struct {
	const char	*key;
	const char	*words;
} reasons[IMIP_REASON__MAX] = {
	[IMIP_REASON_NONE] = { "", "" },
	[IMIP_REASON_MIME] = { "bad_mime", N_("The message's MIME structure could not be read.") },
	[IMIP_REASON_NO_CALENDAR] = { "no_calendar",
	    N_("No calendar answer in the message (a reply written by a person?).") },
	[IMIP_REASON_CALENDAR] = { "bad_calendar", N_("The calendar data could not be read.") },
	[IMIP_REASON_METHOD] = { "not_a_reply",
	    N_("The calendar data is not a reply nor a proposed new time.") },
	[IMIP_REASON_UID] = { "no_uid", N_("The reply names no event (no UID).") },
	[IMIP_REASON_ATTENDEE] = { "no_attendee", N_("The reply does not say which attendee answers.") },
	[IMIP_REASON_DELEGATED] = { "delegated",
	    N_("The attendee delegated the check-in to someone else.") },
	[IMIP_REASON_PARTSTAT] = { "no_answer",
	    N_("The reply neither accepts, declines nor tentatively accepts.") },
	[IMIP_REASON_UNKNOWN_UID] = { "unknown_uid", N_("No check-in series has this event's UID.") },
	[IMIP_REASON_NOT_ATTENDEE] = { "not_attendee",
	    N_("The sender is not a contact of the series' customer.") },
	[IMIP_REASON_STALE] = { "stale",
	    N_("The reply answers an older version of the invitation; it was not applied.") },
};

const char *
imip_reason_key(enum imip_reason reason)
{
	if ((unsigned)reason >= IMIP_REASON__MAX)
		return "";
	return reasons[reason].key;
}

const char *
imip_reason_words(enum imip_reason reason)
{
	if ((unsigned)reason >= IMIP_REASON__MAX)
		return "";
	return *reasons[reason].words ? _(reasons[reason].words) : "";
}

enum imip_reason
imip_reason_from_key(const char *key)
{
	for (int i = 1; i < IMIP_REASON__MAX; i++)
		if (strcmp(reasons[i].key, key) == 0)
			return (enum imip_reason)i;
	return IMIP_REASON__MAX;
}

const char *
imip_kind_key(enum imip_kind kind)
{
	static const char *const keys[IMIP_KIND__MAX] = {
		[IMIP_UNMATCHED] = "unmatched",
		[IMIP_REPLY] = "reply",
		[IMIP_COUNTER] = "counter",
	};

	if ((unsigned)kind >= IMIP_KIND__MAX)
		return "";
	return keys[kind];
}

/* One byte range of the message. */
struct span {
	const char	*p;
	size_t		 len;
};

/* Where the header block ends and the body starts (RFC 5322 2.1: the first empty line). */
static void
split_headers(struct span in, struct span *hdr, struct span *body)
{
	for (size_t i = 0; i < in.len; i++) {
		if (in.p[i] != '\n')
			continue;
		size_t j = i + 1;
		if (j < in.len && in.p[j] == '\r')
			j++;
		if (j < in.len && in.p[j] == '\n') {
			*hdr = (struct span){ in.p, i + 1 };
			*body = (struct span){ in.p + j + 1, in.len - j - 1 };
			return;
		}
		/* A part may start with its empty line (no headers at all). */
	}
	if (in.len > 0 && (in.p[0] == '\n' || (in.len > 1 && in.p[0] == '\r' && in.p[1] == '\n'))) {
		size_t skip = in.p[0] == '\n' ? 1 : 2;
		*hdr = (struct span){ in.p, 0 };
		*body = (struct span){ in.p + skip, in.len - skip };
		return;
	}
	*hdr = in;
	*body = (struct span){ in.p + in.len, 0 };
}

/*
 * The value of header name in hdr, unfolded (RFC 5322 2.2.3) and trimmed,
 * into out (cut to size).  0 when found, -1 when absent.
 */
static int
header_get(struct span hdr, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	size_t i = 0;

	out[0] = '\0';
	while (i < hdr.len) {
		size_t eol = i;
		while (eol < hdr.len && hdr.p[eol] != '\n')
			eol++;
		if (eol - i > nlen && strncasecmp(hdr.p + i, name, nlen) == 0 &&
		    hdr.p[i + nlen] == ':') {
			size_t o = 0;
			size_t k = i + nlen + 1;
			for (;;) {
				for (; k < eol; k++) {
					char c = hdr.p[k];
					if (c == '\r')
						continue;
					if (c == '\t')
						c = ' ';
					if (o + 1 < size && (unsigned char)c >= ' ')
						out[o++] = c;
				}
				/* Continuation lines start with white space. */
				if (eol + 1 < hdr.len && (hdr.p[eol + 1] == ' ' || hdr.p[eol + 1] == '\t')) {
					k = eol + 1;
					eol = k;
					while (eol < hdr.len && hdr.p[eol] != '\n')
						eol++;
					continue;
				}
				break;
			}
			out[o] = '\0';
			char *t = text_trim(out);
			memmove(out, t, strlen(t) + 1);
			return 0;
		}
		i = eol + 1;
	}
	return -1;
}

/* The lower-case media type of a Content-Type value ("text/calendar"). */
static void
media_type(const char *value, char *out, size_t size)
{
	size_t o = 0;

	for (const char *s = value; *s != '\0' && *s != ';' && o + 1 < size; s++)
		if (!isspace((unsigned char)*s))
			out[o++] = (char)tolower((unsigned char)*s);
	out[o] = '\0';
}

/*
 * The parameter name of a header value (boundary, filename, name), quoted or
 * not; RFC 2231 "name*=charset''value" is taken as its value.  0 or -1.
 */
static int
param_get(const char *value, const char *name, char *out, size_t size)
{
	size_t nlen = strlen(name);
	const char *s = strchr(value, ';');

	out[0] = '\0';
	while (s != NULL) {
		s++;
		while (*s == ' ')
			s++;
		if (strncasecmp(s, name, nlen) == 0 && (s[nlen] == '=' || s[nlen] == '*')) {
			int extended = s[nlen] == '*';
			s += nlen;
			while (*s != '=' && *s != '\0' && *s != ';')
				s++;
			if (*s != '=')
				return -1;
			s++;
			if (extended && strstr(s, "''") != NULL)
				s = strstr(s, "''") + 2;
			size_t o = 0;
			if (*s == '"') {
				for (s++; *s != '\0' && *s != '"'; s++) {
					if (*s == '\\' && s[1] != '\0')
						s++;
					if (o + 1 < size)
						out[o++] = *s;
				}
			} else {
				for (; *s != '\0' && *s != ';' && *s != ' '; s++)
					if (o + 1 < size)
						out[o++] = *s;
			}
			out[o] = '\0';
			return o > 0 ? 0 : -1;
		}
		s = strchr(s, ';');
	}
	return -1;
}

static int
b64_value(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Base64 (RFC 2045 6.8): line breaks and white space skipped, stops at '='.  -1 on a foreign character. */
static int
mime_base64(struct span in, struct buf *out)
{
	unsigned int acc = 0;
	int bits = 0;

	for (size_t i = 0; i < in.len; i++) {
		int c = (unsigned char)in.p[i];
		if (c == '=')
			break;
		if (isspace(c))
			continue;
		int v = b64_value(c);
		if (v < 0)
			return -1;
		acc = (acc << 6) | (unsigned int)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (buf_putc(out, (int)((acc >> bits) & 0xffu)) == -1)
				return -2;
		}
	}
	return 0;
}

/* Quoted-printable (RFC 2045 6.7): "=XX" and soft line breaks; a stray '=' is kept as is. */
static int
mime_qp(struct span in, struct buf *out)
{
	for (size_t i = 0; i < in.len; i++) {
		int c = (unsigned char)in.p[i];
		if (c == '=' && i + 1 < in.len) {
			if (in.p[i + 1] == '\n') {
				i += 1;
				continue;
			}
			if (in.p[i + 1] == '\r' && i + 2 < in.len && in.p[i + 2] == '\n') {
				i += 2;
				continue;
			}
			if (i + 2 < in.len) {
				int hi = text_hex_value((unsigned char)in.p[i + 1]);
				int lo = text_hex_value((unsigned char)in.p[i + 2]);
				if (hi >= 0 && lo >= 0) {
					if (buf_putc(out, hi * 16 + lo) == -1)
						return -2;
					i += 2;
					continue;
				}
			}
		}
		if (buf_putc(out, c) == -1)
			return -2;
	}
	return 0;
}

/* What the MIME walk found. */
struct walk {
	struct buf	 parts[IMIP_PARTS_MAX];	/* decoded calendar parts */
	int		 nparts;
	int		 mime_fault;		/* 1 once the structure was bad */
	int		 nomem;
	char		 detail[160];
};

static void
walk_fault(struct walk *w, const char *what)
{
	if (!w->mime_fault)
		snprintf(w->detail, sizeof(w->detail), "%s", what);
	w->mime_fault = 1;
}

static int
ends_with_ics(const char *name)
{
	size_t n = strlen(name);

	return n >= 4 && strcasecmp(name + n - 4, ".ics") == 0;
}

static void walk_entity(struct span in, int depth, struct walk *w);

/* The parts of a multipart body between its "--boundary" lines (RFC 2046 5.1.1). */
static void
walk_multipart(struct span body, const char *boundary, int depth, struct walk *w)
{
	size_t blen = strlen(boundary);
	const char *part = NULL;
	int closed = 0;
	size_t i = 0;

	while (i < body.len && !closed) {
		size_t eol = i;
		while (eol < body.len && body.p[eol] != '\n')
			eol++;
		if (eol - i >= blen + 2 && body.p[i] == '-' && body.p[i + 1] == '-' &&
		    memcmp(body.p + i + 2, boundary, blen) == 0) {
			if (part != NULL) {
				/* The CRLF before the delimiter belongs to it. */
				const char *end = body.p + i;
				if (end > part && end[-1] == '\n')
					end--;
				if (end > part && end[-1] == '\r')
					end--;
				walk_entity((struct span){ part, (size_t)(end - part) }, depth + 1, w);
			}
			closed = eol - i >= blen + 4 && body.p[i + 2 + blen] == '-' &&
			    body.p[i + 3 + blen] == '-';
			part = body.p + (eol < body.len ? eol + 1 : eol);
		}
		i = eol + 1;
	}
	if (part == NULL)
		walk_fault(w, "multipart without its boundary line");
}

static void
walk_entity(struct span in, int depth, struct walk *w)
{
	struct span hdr, body;
	char ctype[512], mtype[128], cte[64], disp[512], fname[256], boundary[128];

	if (depth > IMIP_DEPTH_MAX) {
		walk_fault(w, "multipart nested too deep");
		return;
	}
	split_headers(in, &hdr, &body);
	if (header_get(hdr, "Content-Type", ctype, sizeof(ctype)) == -1)
		snprintf(ctype, sizeof(ctype), "text/plain");
	media_type(ctype, mtype, sizeof(mtype));
	if (strncmp(mtype, "multipart/", 10) == 0) {
		if (param_get(ctype, "boundary", boundary, sizeof(boundary)) == -1) {
			walk_fault(w, "multipart without a boundary");
			return;
		}
		walk_multipart(body, boundary, depth, w);
		return;
	}
	fname[0] = '\0';
	if (header_get(hdr, "Content-Disposition", disp, sizeof(disp)) == 0)
		(void)param_get(disp, "filename", fname, sizeof(fname));
	if (fname[0] == '\0')
		(void)param_get(ctype, "name", fname, sizeof(fname));
	if (strcmp(mtype, "text/calendar") != 0 && strcmp(mtype, "application/ics") != 0 &&
	    !ends_with_ics(fname))
		return;
	if (w->nparts == IMIP_PARTS_MAX)
		return;
	if (body.len > IMIP_CALENDAR_MAX * 2) {
		walk_fault(w, "calendar part too large");
		return;
	}
	struct buf *out = &w->parts[w->nparts];
	if (header_get(hdr, "Content-Transfer-Encoding", cte, sizeof(cte)) == -1)
		cte[0] = '\0';
	int rc;
	if (strcasecmp(cte, "base64") == 0)
		rc = mime_base64(body, out);
	else if (strcasecmp(cte, "quoted-printable") == 0)
		rc = mime_qp(body, out);
	else
		rc = buf_append(out, body.p, body.len) == -1 ? -2 : 0;
	if (rc == -2 || out->failed) {
		w->nomem = 1;
		return;
	}
	if (rc == -1) {
		buf_reset(out);
		walk_fault(w, "calendar part is not valid base64");
		return;
	}
	w->nparts++;
}

/* Lower case, without "mailto:" (RFC 6047 2.2.1 compares addresses case-insensitively). */
static void
address_copy(char *dst, size_t size, const char *src)
{
	if (strncasecmp(src, "mailto:", 7) == 0)
		src += 7;
	size_t o = 0;
	for (; *src != '\0' && o + 1 < size; src++)
		if (!isspace((unsigned char)*src))
			dst[o++] = (char)tolower((unsigned char)*src);
	dst[o] = '\0';
}

/* The addr-spec of a From value: inside <...> when there, else the whole value. */
static void
from_address(const char *value, char *out, size_t size)
{
	const char *lt = strrchr(value, '<');
	const char *gt = lt != NULL ? strchr(lt, '>') : NULL;
	char tmp[256];

	if (lt != NULL && gt != NULL && (size_t)(gt - lt - 1) < sizeof(tmp)) {
		memcpy(tmp, lt + 1, (size_t)(gt - lt - 1));
		tmp[gt - lt - 1] = '\0';
		address_copy(out, size, tmp);
		return;
	}
	address_copy(out, size, value);
}

/*
 * The instant of a DATE-TIME property: UTC ("Z"), or its TZID resolved by
 * the VTIMEZONE of the same VCALENDAR (Outlook's "E. South America Standard
 * Time"), else by the system zones (an IANA name).  libical 3.0's
 * icalcomponent_get_recurrenceid() does not resolve TZID, hence by hand.
 * 1 with *at set; 0 when floating, a date or an unknown zone; -1 when the
 * value is no date at all.  *t gets the value as written.
 */
static int
prop_instant(icalcomponent *cal, icalproperty *prop, struct icaltimetype *t, int64_t *at)
{
	icalvalue *v = icalproperty_get_value(prop);
	icalparameter *tzp;
	icaltimezone *zone = NULL;

	if (v == NULL || (icalvalue_isa(v) != ICAL_DATETIME_VALUE && icalvalue_isa(v) != ICAL_DATE_VALUE))
		return -1;
	*t = icalvalue_get_datetime(v);
	if (icaltime_is_null_time(*t) || !icaltime_is_valid_time(*t))
		return -1;
	if (icaltime_is_date(*t))
		return 0;
	if (icaltime_is_utc(*t)) {
		*at = (int64_t)icaltime_as_timet_with_zone(*t, icaltimezone_get_utc_timezone());
		return 1;
	}
	if ((tzp = icalproperty_get_first_parameter(prop, ICAL_TZID_PARAMETER)) == NULL)
		return 0;
	const char *tzid = icalparameter_get_tzid(tzp);
	if (tzid == NULL)
		return 0;
	zone = icalcomponent_get_timezone(cal, tzid);
	if (zone == NULL)
		zone = icaltimezone_get_builtin_timezone(tzid);
	if (zone == NULL)
		return 0;
	*at = (int64_t)icaltime_as_timet_with_zone(*t, zone);
	return 1;
}

static void
set_unmatched(struct imip_message *m, enum imip_reason reason, const char *detail)
{
	m->kind = IMIP_UNMATCHED;
	m->reason = reason;
	snprintf(m->detail, sizeof(m->detail), "%s", detail);
}

/* The answering ATTENDEE: the only one, else the one whose address is the sender's. */
static icalproperty *
answering_attendee(icalcomponent *ev, const char *from)
{
	icalproperty *only = NULL;
	int n = 0;
	char addr[256];

	for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	    p != NULL; p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		const char *a = icalproperty_get_attendee(p);
		if (a == NULL)
			continue;
		n++;
		only = p;
		address_copy(addr, sizeof(addr), a);
		if (from[0] != '\0' && strcmp(addr, from) == 0)
			return p;
	}
	return n == 1 ? only : NULL;
}

/* Classify one decoded calendar part; returns 1 when it is a reply or counter. */
static int
classify(const char *ics, struct imip_message *m)
{
	icalcomponent *cal = icalparser_parse_string(ics);
	icalcomponent *ev;
	icalproperty *att, *prop;
	int ok = 0;
	char detail[160];

	if (cal == NULL || icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		set_unmatched(m, IMIP_REASON_CALENDAR, "no VCALENDAR");
		goto out;
	}
	icalproperty_method method = icalcomponent_get_method(cal);
	if (method != ICAL_METHOD_REPLY && method != ICAL_METHOD_COUNTER) {
		snprintf(detail, sizeof(detail), "METHOD:%s", method == ICAL_METHOD_NONE ?
		    "(none)" : icalproperty_method_to_string(method));
		set_unmatched(m, IMIP_REASON_METHOD, detail);
		goto out;
	}
	if ((ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT)) == NULL) {
		set_unmatched(m, IMIP_REASON_CALENDAR, "no VEVENT");
		goto out;
	}
	const char *uid = icalcomponent_get_uid(ev);
	if (uid == NULL || uid[0] == '\0') {
		set_unmatched(m, IMIP_REASON_UID, "");
		goto out;
	}
	snprintf(m->uid, sizeof(m->uid), "%s", uid);
	if ((att = answering_attendee(ev, m->from)) == NULL) {
		set_unmatched(m, IMIP_REASON_ATTENDEE, "no ATTENDEE names the sender");
		goto out;
	}
	address_copy(m->attendee, sizeof(m->attendee), icalproperty_get_attendee(att));
	if (icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY) != NULL)
		m->sequence = icalcomponent_get_sequence(ev);
	if ((prop = icalcomponent_get_first_property(ev, ICAL_RECURRENCEID_PROPERTY)) != NULL) {
		struct icaltimetype rid;
		int rc = prop_instant(cal, prop, &rid, &m->recurrence_at);
		if (rc == -1) {
			set_unmatched(m, IMIP_REASON_CALENDAR, "RECURRENCE-ID unreadable");
			goto out;
		}
		m->has_recurrence = 1;
		m->recurrence_zoned = rc == 1;
		if (rid.year < 1 || rid.year > 9999 || rid.month < 1 || rid.month > 12 ||
		    rid.day < 1 || rid.day > 31) {
			set_unmatched(m, IMIP_REASON_CALENDAR, "RECURRENCE-ID out of range");
			goto out;
		}
		snprintf(m->recurrence_day, sizeof(m->recurrence_day), "%04u-%02u-%02u",
		    (unsigned)rid.year % 10000u, (unsigned)rid.month % 100u, (unsigned)rid.day % 100u);
	}
	if (method == ICAL_METHOD_COUNTER) {
		int64_t s = 0, e = 0;
		struct icaltimetype t;
		prop = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
		if (prop == NULL || prop_instant(cal, prop, &t, &s) != 1) {
			set_unmatched(m, IMIP_REASON_CALENDAR, "COUNTER without a zoned DTSTART");
			goto out;
		}
		prop = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
		if (prop == NULL || prop_instant(cal, prop, &t, &e) != 1 || e <= s) {
			e = s;
			if (icalcomponent_get_first_property(ev, ICAL_DURATION_PROPERTY) != NULL)
				e = s + icaldurationtype_as_int(icalcomponent_get_duration(ev));
		}
		if (e < s)
			e = s;
		m->proposed_start = s;
		m->proposed_end = e;
		m->kind = IMIP_COUNTER;
		m->reason = IMIP_REASON_NONE;
		m->detail[0] = '\0';
		ok = 1;
		goto out;
	}
	icalparameter *ps = icalproperty_get_first_parameter(att, ICAL_PARTSTAT_PARAMETER);
	icalparameter_partstat v = ps != NULL ? icalparameter_get_partstat(ps) : ICAL_PARTSTAT_NONE;
	if (v == ICAL_PARTSTAT_DELEGATED ||
	    icalproperty_get_first_parameter(att, ICAL_DELEGATEDTO_PARAMETER) != NULL) {
		set_unmatched(m, IMIP_REASON_DELEGATED, "PARTSTAT=DELEGATED");
		goto out;
	}
	const char *word = v == ICAL_PARTSTAT_ACCEPTED ? "accepted" :
	    v == ICAL_PARTSTAT_DECLINED ? "declined" :
	    v == ICAL_PARTSTAT_TENTATIVE ? "tentative" : NULL;
	if (word == NULL) {
		set_unmatched(m, IMIP_REASON_PARTSTAT, ps != NULL ?
		    icalparameter_as_ical_string(ps) : "no PARTSTAT");
		goto out;
	}
	snprintf(m->partstat, sizeof(m->partstat), "%s", word);
	m->kind = IMIP_REPLY;
	m->reason = IMIP_REASON_NONE;
	m->detail[0] = '\0';
	ok = 1;
out:
	if (cal != NULL)
		icalcomponent_free(cal);
	return ok;
}

/* The wall clock of instant at in zone tz; -1 for an unknown zone or a year past 9999. */
static int
local_time(int64_t at, const char *tz, struct icaltimetype *t)
{
	icaltimezone *zone = strcmp(tz, "UTC") == 0 ? icaltimezone_get_utc_timezone() :
	    icaltimezone_get_builtin_timezone(tz);

	if (zone == NULL)
		return -1;
	*t = icaltime_from_timet_with_zone((time_t)at, 0, zone);
	return t->year >= 1 && t->year <= 9999 ? 0 : -1;
}

int
imip_local_day(int64_t at, const char *tz, char *out, size_t size)
{
	struct icaltimetype t;

	if (size < 11 || local_time(at, tz, &t) == -1)
		return -1;
	snprintf(out, size, "%04u-%02u-%02u", (unsigned)t.year % 10000u, (unsigned)t.month % 100u,
	    (unsigned)t.day % 100u);
	return 0;
}

int
imip_local_start(int64_t at, const char *tz, char *out, size_t size)
{
	struct icaltimetype t;

	if (size < 17 || local_time(at, tz, &t) == -1)
		return -1;
	snprintf(out, size, "%04u-%02u-%02uT%02u:%02u", (unsigned)t.year % 10000u,
	    (unsigned)t.month % 100u, (unsigned)t.day % 100u, (unsigned)t.hour % 100u,
	    (unsigned)t.minute % 100u);
	return 0;
}

/* FNV-1a, 64 bits: the key of a message with no Message-ID (same bytes, same key). */
static uint64_t
fnv64(const char *p, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* Keep only printable ASCII and valid UTF-8: the strings reach pages and JSON. */
static void
clean_text(char *s)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < ' ' || s[i] == 0x7f)
			s[i] = ' ';
	if (!text_utf8_valid(s, n))
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] >= 0x80)
				s[i] = '?';
}

int
imip_parse(const char *msg, size_t len, struct imip_message *out, struct result *r)
{
	struct walk w;
	struct span hdr, body;
	char value[512];

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	out->kind = IMIP_UNMATCHED;
	if (header_get((struct span){ msg, len > 65536 ? 65536 : len }, "Message-ID", value,
	    sizeof(value)) == 0 && value[0] != '\0' && strlen(value) < sizeof(out->key))
		snprintf(out->key, sizeof(out->key), "%s", value);
	else
		snprintf(out->key, sizeof(out->key), "fnv64:%016llx",
		    (unsigned long long)fnv64(msg, len));
	clean_text(out->key);
	if (len > IMIP_MESSAGE_MAX) {
		set_unmatched(out, IMIP_REASON_MIME, "message too large");
		return 0;
	}
	split_headers((struct span){ msg, len }, &hdr, &body);
	if (header_get(hdr, "From", value, sizeof(value)) == 0)
		from_address(value, out->from, sizeof(out->from));
	if (header_get(hdr, "Subject", value, sizeof(value)) == 0)
		text_copy(out->subject, sizeof(out->subject), value);
	clean_text(out->from);
	clean_text(out->subject);
	walk_entity((struct span){ msg, len }, 0, &w);
	if (w.nomem) {
		for (int i = 0; i < IMIP_PARTS_MAX; i++)
			buf_free(&w.parts[i]);
		return result_set(r, RESULT_IO, NULL, "imip: out of memory reading message %s",
		    out->key);
	}
	if (w.nparts == 0) {
		if (w.mime_fault)
			set_unmatched(out, IMIP_REASON_MIME, w.detail);
		else
			set_unmatched(out, IMIP_REASON_NO_CALENDAR, "");
	}
	for (int i = 0; i < w.nparts; i++) {
		struct imip_message first = *out;
		const char *ics = buf_cstr(&w.parts[i]);
		if (strlen(ics) != w.parts[i].len || w.parts[i].len > IMIP_CALENDAR_MAX) {
			set_unmatched(out, IMIP_REASON_CALENDAR, "calendar part has NUL bytes or is too large");
		} else if (classify(ics, out)) {
			break;
		}
		/* Keep the first part's reason: the later ones are usually copies. */
		if (i > 0)
			*out = first;
	}
	for (int i = 0; i < IMIP_PARTS_MAX; i++)
		buf_free(&w.parts[i]);
	clean_text(out->uid);
	clean_text(out->attendee);
	clean_text(out->detail);
	return 0;
}
