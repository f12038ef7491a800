/* ical.c -- builds check-in invites and cancellations as iCalendar text with libical (RFC 5545/5546). */
#include "autoconfig.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "buf.h"
#include "i18n.h"
#include "ical.h"
#include "ical_impl.h"
#include "notice.h"
#include "result.h"
#include "text.h"

#define ICAL_PRODID		"-//ftsuccess//Success Check-in//EN"
#define ICAL_LINE_MAX		75	/* octets per line without CRLF (RFC 5545 3.1) */
#define ICAL_SUMMARY_MAX	1024
#define ICAL_DESCRIPTION_MAX	32768
#define ICAL_NAME_MAX		256
#define ICAL_UID_MAX		255
#define ICAL_URL_MAX		2048
#define ICAL_EMAIL_MAX		254	/* RFC 5321 4.5.3.1.3 path limit minus <> */
#define ICAL_ZONE_NAME_MAX	64


/* What ical_invite_from_notice() allocates. */
struct ical_owned {
	struct buf		 summary, description, url;
	struct ical_person	*attendees;
	struct ical_person	 chair;
	const char		**exdates;
	struct ical_moved	*moved;
};


/* ---- input checks ---- */

/*
 * Check a text value: present (unless optional), at most max octets, UTF-8,
 * no control characters other than TAB (and LF/CR when multiline).
 */
static int
check_text(const char *field, const char *s, size_t max, int optional, int multiline,
    struct result *r)
{
	const unsigned char	*p;
	size_t			 len;

	if (s == NULL || *s == '\0') {
		if (optional)
			return 0;
		return result_set(r, RESULT_INVALID, field, "%s is required", field);
	}
	if ((len = strlen(s)) > max)
		return result_set(r, RESULT_INVALID, field,
		    "%s is %zu octets long, more than %zu", field, len, max);
	/* The one UTF-8 check of the tree (RFC 3629: no overlongs, surrogates, > U+10FFFF). */
	if (!text_utf8_valid(s, len))
		return result_set(r, RESULT_INVALID, field, "%s is not valid UTF-8", field);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\t' || (multiline && (*p == '\n' || *p == '\r')))
			continue;
		if (*p == '\r' || *p == '\n')
			return result_set(r, RESULT_INVALID, field,
			    "%s \"%.64s\" contains a line break", field, s);
		if (*p < 0x20 || *p == 0x7f)
			return result_set(r, RESULT_INVALID, field,
			    "%s contains control character 0x%02x", field, *p);
	}
	return 0;
}

/*
 * An address we can put in a mailto: URI (RFC 6068) without encoding:
 * local@domain.tld with a dot-atom local part minus '%' and '?' and an
 * ASCII host name.
 */
static int
email_valid(const char *s)
{
	const char	*at;

	/* The one address check of the tree, then what a mailto: URI adds. */
	if (!text_email_valid(s) || strlen(s) > ICAL_EMAIL_MAX)
		return 0;
	at = strchr(s, '@');
	/* RFC 6068 section 2: '%' and '?' in the local part would need encoding. */
	return at != NULL && strcspn(s, "%?") >= (size_t)(at - s);
}

static int
check_person(const char *field, const struct ical_person *p, struct result *r)
{
	char	 f[48];

	snprintf(f, sizeof(f), "%s.name", field);
	if (check_text(f, p->name, ICAL_NAME_MAX, 1, 0, r) == -1)
		return -1;
	snprintf(f, sizeof(f), "%s.email", field);
	if (p->email == NULL || *p->email == '\0')
		return result_set(r, RESULT_INVALID, f, "%s is required", f);
	if (strchr(p->email, '\r') != NULL || strchr(p->email, '\n') != NULL)
		return result_set(r, RESULT_INVALID, f, "%s contains a line break", f);
	if (!email_valid(p->email))
		return result_set(r, RESULT_INVALID, f, "%s \"%.128s\" is not a valid address",
		    f, p->email);
	return 0;
}

/* Absolute http(s) URL without white space, controls, quotes or angle brackets. */
static int
check_url(const char *field, const char *s, struct result *r)
{
	const unsigned char	*p;

	if (s == NULL)
		return 0;
	if (strlen(s) > ICAL_URL_MAX)
		return result_set(r, RESULT_INVALID, field, "%s is longer than %d octets", field,
		    ICAL_URL_MAX);
	if (strncmp(s, "https://", 8) != 0 && strncmp(s, "http://", 7) != 0)
		return result_set(r, RESULT_INVALID, field,
		    "%s \"%.128s\" is not an absolute http(s) URL", field, s);
	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '"' || *p == '<' || *p == '>' ||
		    *p == '\\')
			return result_set(r, RESULT_INVALID, field,
			    "%s \"%.128s\" contains character 0x%02x", field, s, *p);
	return 0;
}

/* "YYYY-MM-DDTHH:MM" exactly, a real date and time. */
static int
parse_starts_at(const char *s, struct civil *c)
{
	static const char	 shape[] = "dddd-dd-ddTdd:dd";
	size_t			 i;
	int			 v[5], k = 0;

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return -1;
	for (i = 0; shape[i] != '\0'; i++) {
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != shape[i])
			return -1;
	}
	v[k++] = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	v[k++] = (s[5] - '0') * 10 + (s[6] - '0');
	v[k++] = (s[8] - '0') * 10 + (s[9] - '0');
	v[k++] = (s[11] - '0') * 10 + (s[12] - '0');
	v[k++] = (s[14] - '0') * 10 + (s[15] - '0');
	if (v[0] < 1970 || v[0] > 2100 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
	    v[2] > ical_month_days(v[0], v[1]) || v[3] > 23 || v[4] > 59)
		return -1;
	c->year = v[0];
	c->month = v[1];
	c->day = v[2];
	c->hour = v[3];
	c->minute = v[4];
	c->second = 0;
	return 0;
}

/* The occurrence on local date ("YYYY-MM-DD") at the time of day of starts_at. */
static int
parse_occurrence(const char *date, const char *starts_at, struct civil *c)
{
	char	 s[24];

	if (date == NULL || strlen(date) != 10 || starts_at == NULL || strlen(starts_at) != 16)
		return -1;
	snprintf(s, sizeof(s), "%.10s%s", date, starts_at + 10);
	return parse_starts_at(s, c);
}

/*
 * UTC is written as DTSTART:...Z (RFC 5545 3.3.5 form #2), not as
 * TZID=UTC with a VTIMEZONE: every client understands the Z form
 * without looking anything up, and 3.2.19 forbids TZID on UTC times.
 */
static int
zone_is_utc(const char *name)
{
	return strcmp(name, "UTC") == 0 || strcmp(name, "Etc/UTC") == 0;
}

/*
 * libical opens /usr/share/zoneinfo/<name>, so only IANA-shaped names reach
 * it: letters, digits, '/', '_', '+', '-', no leading '/', no "..".
 */
static icaltimezone *
zone_lookup(const char *name, struct result *r)
{
	const char	*p;
	icaltimezone	*z;

	if (name == NULL || *name == '\0') {
		result_set(r, RESULT_INVALID, "timezone", "timezone is required");
		return NULL;
	}
	if (strlen(name) > ICAL_ZONE_NAME_MAX || name[0] == '/' || strstr(name, "..") != NULL)
		goto bad;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '/' || *p == '_' || *p == '+' ||
		    *p == '-'))
			goto bad;
	if (zone_is_utc(name))
		return icaltimezone_get_utc_timezone();
	if ((z = icaltimezone_get_builtin_timezone(name)) != NULL)
		return z;
bad:
	result_set(r, RESULT_INVALID, "timezone", "timezone \"%.64s\" is not a known IANA zone",
	    name);
	return NULL;
}

/* ---- output ---- */

/*
 * Append libical's text to out unfolded and folded again: RFC 5545 3.1
 * limits lines to 75 octets, and libical 3.0 neither keeps to that with
 * multi-byte text nor avoids splitting a UTF-8 sequence.  Continuation
 * lines start with one space; every line ends in CRLF.
 */
static int
fold_into(struct buf *out, const char *s)
{
	struct buf	 line;
	const char	*p, *q, *end;
	size_t		 room, len, cut;
	int		 rc = -1;

	buf_init(&line);
	for (p = s; *p != '\0'; p = end) {
		buf_reset(&line);
		/* Gather one logical line, dropping libical's CRLF + space/TAB folds. */
		for (q = p;; ) {
			end = q + strcspn(q, "\r\n");
			if (buf_append(&line, q, (size_t)(end - q)) == -1)
				goto out;
			if (*end == '\r')
				end++;
			if (*end == '\n')
				end++;
			if (*end == ' ' || *end == '\t') {
				q = end + 1;
				continue;
			}
			break;
		}
		if (line.len == 0)
			continue;
		q = buf_cstr(&line);
		len = line.len;
		room = ICAL_LINE_MAX;
		while (len > 0) {
			cut = len <= room ? len : room;
			/* Never cut before a UTF-8 continuation byte. */
			while (cut < len && cut > 0 && ((unsigned char)q[cut] & 0xc0) == 0x80)
				cut--;
			if (room != ICAL_LINE_MAX && buf_putc(out, ' ') == -1)
				goto out;
			if (buf_append(out, q, cut) == -1 || buf_puts(out, "\r\n") == -1)
				goto out;
			q += cut;
			len -= cut;
			room = ICAL_LINE_MAX - 1;
		}
	}
	rc = 0;
out:
	buf_free(&line);
	return rc;
}

/*
 * The name for a CN parameter, RFC 6868: DQUOTE cannot stand in a parameter
 * value, so it is written ^' (libical does that) and a caret is doubled (^^)
 * here, so that a name holding "^'" or "^n" reads back as it was written.
 */
static char *
cn_value(const char *name)
{
	struct buf	 b;
	const char	*p;

	buf_init(&b);
	for (p = name; *p != '\0'; p++)
		buf_append(&b, *p == '^' ? "^^" : p, *p == '^' ? 2 : 1);
	return buf_detach(&b);	/* NULL when memory ran out */
}

/* Who a person is in the VEVENT: the ORGANIZER, an invited contact, or the FM in the chair. */
enum person_role { PERSON_ORGANIZER, PERSON_ATTENDEE, PERSON_CHAIR };

/* ORGANIZER or ATTENDEE: mailto: value, CN quoted by libical when it holds : ; , */
static icalproperty *
person_property(const struct ical_person *who, enum person_role role)
{
	icalproperty	*p;
	char		*mailto, *cn;
	size_t		 len;

	len = strlen(who->email) + sizeof("mailto:");
	if ((mailto = malloc(len)) == NULL)
		return NULL;
	snprintf(mailto, len, "mailto:%s", who->email);
	p = role != PERSON_ORGANIZER ? icalproperty_new_attendee(mailto) :
	    icalproperty_new_organizer(mailto);
	free(mailto);
	if (p == NULL)
		return NULL;
	if (who->name != NULL && *who->name != '\0') {
		if ((cn = cn_value(who->name)) == NULL) {
			icalproperty_free(p);
			return NULL;
		}
		icalproperty_add_parameter(p, icalparameter_new_cn(cn));
		free(cn);
	}
	if (role != PERSON_ORGANIZER) {
		/*
		 * RFC 5545 3.2.16: CHAIR is the one who runs the meeting.  The FM
		 * answers like everybody else, so the reply reaches the service
		 * mailbox that owns the series.
		 */
		icalproperty_add_parameter(p, icalparameter_new_role(role == PERSON_CHAIR ?
		    ICAL_ROLE_CHAIR : ICAL_ROLE_REQPARTICIPANT));
		icalproperty_add_parameter(p, icalparameter_new_partstat(ICAL_PARTSTAT_NEEDSACTION));
		icalproperty_add_parameter(p, icalparameter_new_rsvp(ICAL_RSVP_TRUE));
	}
	return p;
}

/* Text with CRLF and lone CR turned into LF, which libical escapes as \n (RFC 5545 3.3.11). */
static char *
text_lf(const char *s)
{
	char	*d, *o;

	if ((d = malloc(strlen(s) + 1)) == NULL)
		return NULL;
	for (o = d; *s != '\0'; s++) {
		if (*s == '\r') {
			*o++ = '\n';
			if (s[1] == '\n')
				s++;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return d;
}

/* until, exdates, recurrence_id: dates of occurrences; occurrence_start a real start. */
static int
check_occurrences(const struct ical_invite *inv, struct result *r)
{
	struct civil	 c;
	size_t		 i;
	char		 f[32];

	if (inv->until != NULL && (parse_occurrence(inv->until, inv->starts_at, &c) == -1 ||
	    strncmp(inv->until, inv->starts_at, 10) < 0))
		return result_set(r, RESULT_INVALID, "until", "until \"%.32s\" is not a date"
		    " YYYY-MM-DD on or after the first occurrence", inv->until);
	for (i = 0; i < inv->n_exdates; i++)
		if (parse_occurrence(inv->exdates[i], inv->starts_at, &c) == -1) {
			snprintf(f, sizeof(f), "exdates[%zu]", i);
			return result_set(r, RESULT_INVALID, f, "%s \"%.32s\" is not a date YYYY-MM-DD",
			    f, inv->exdates[i] ? inv->exdates[i] : "");
		}
	if (inv->recurrence_id != NULL &&
	    parse_occurrence(inv->recurrence_id, inv->starts_at, &c) == -1)
		return result_set(r, RESULT_INVALID, "recurrence_id",
		    "recurrence_id \"%.32s\" is not a date YYYY-MM-DD", inv->recurrence_id);
	for (i = 0; i < inv->n_moved; i++)
		if (parse_occurrence(inv->moved[i].on, inv->starts_at, &c) == -1 ||
		    parse_starts_at(inv->moved[i].starts_at, &c) == -1) {
			snprintf(f, sizeof(f), "moved[%zu]", i);
			return result_set(r, RESULT_INVALID, f, "%s is not a date YYYY-MM-DD moved to"
			    " a date and time YYYY-MM-DDTHH:MM", f);
		}
	if (inv->occurrence_start != NULL && (inv->recurrence_id == NULL ||
	    parse_starts_at(inv->occurrence_start, &c) == -1))
		return result_set(r, RESULT_INVALID, "occurrence_start", "occurrence_start"
		    " \"%.32s\" is not a date and time YYYY-MM-DDTHH:MM of a recurrence_id",
		    inv->occurrence_start);
	return 0;
}

static int
check_invite(const struct ical_invite *inv, struct result *r)
{
	size_t	 i;
	char	 f[48];

	if (inv->method == NULL || (strcmp(inv->method, "REQUEST") != 0 &&
	    strcmp(inv->method, "CANCEL") != 0 && strcmp(inv->method, "PUBLISH") != 0))
		return result_set(r, RESULT_INVALID, "method",
		    "method \"%.32s\" is not REQUEST, CANCEL or PUBLISH",
		    inv->method ? inv->method : "");
	if (inv->status == NULL ||
	    (strcmp(inv->status, "CONFIRMED") != 0 && strcmp(inv->status, "CANCELLED") != 0))
		return result_set(r, RESULT_INVALID, "status",
		    "status \"%.32s\" is not CONFIRMED or CANCELLED", inv->status ? inv->status : "");
	/*
	 * RFC 5546 3.2.5: a CANCEL of the whole series carries STATUS:CANCELLED;
	 * one that uninvites some attendees (status CONFIRMED: the series goes
	 * on) must not; a REQUEST never does.  A PUBLISH (a download) shows the
	 * series as it stands, either.
	 */
	if (strcmp(inv->method, "REQUEST") == 0 && strcmp(inv->status, "CANCELLED") == 0)
		return result_set(r, RESULT_INVALID, "status",
		    "status %s does not go with method %s", inv->status, inv->method);
	if (check_text("uid", inv->uid, ICAL_UID_MAX, 0, 0, r) == -1)
		return -1;
	if (inv->sequence < 0)
		return result_set(r, RESULT_INVALID, "sequence", "sequence %d is negative",
		    inv->sequence);
	if (inv->duration_minutes < 1 || inv->duration_minutes > 1440)
		return result_set(r, RESULT_INVALID, "duration_minutes",
		    "duration_minutes %d is not in 1..1440", inv->duration_minutes);
	if (inv->every_weeks < 1 || inv->every_weeks > 8)
		return result_set(r, RESULT_INVALID, "every_weeks",
		    "every_weeks %d is not in 1..8", inv->every_weeks);
	if (check_text("summary", inv->summary, ICAL_SUMMARY_MAX, 0, 0, r) == -1 ||
	    check_text("description", inv->description, ICAL_DESCRIPTION_MAX, 1, 1, r) == -1 ||
	    check_url("url", inv->url, r) == -1 ||
	    check_url("location", inv->location, r) == -1 ||
	    check_person("organizer", &inv->organizer, r) == -1 ||
	    (inv->chair != NULL && check_person("chair", inv->chair, r) == -1))
		return -1;
	if (check_occurrences(inv, r) == -1)
		return -1;
	if (inv->n_attendees == 0 || inv->attendees == NULL)
		return result_set(r, RESULT_INVALID, "attendees", "attendees is empty");
	for (i = 0; i < inv->n_attendees; i++) {
		snprintf(f, sizeof(f), "attendees[%zu]", i);
		if (check_person(f, &inv->attendees[i], r) == -1)
			return -1;
	}
	return 0;
}

/*
 * The instants local wall-clock seconds name in z, from the offsets in force
 * two days either side (no zone changes twice in four days): 0 when it names
 * none (a DST gap), 1, or 2 when the clocks go back over it; *first and
 * *second in UTC seconds, *first the earlier.  RFC 5545 3.3.5: a time that
 * occurs twice means the first.
 */
static int
local_instants(icaltimezone *z, int64_t local, int64_t *first, int64_t *second)
{
	int64_t	 t, found[3];
	int	 off[3], i, j, n = 0;

	off[0] = ical_zone_offset(z, local - 172800, NULL);
	off[1] = ical_zone_offset(z, local, NULL);
	off[2] = ical_zone_offset(z, local + 172800, NULL);
	for (i = 0; i < 3; i++) {
		t = local - off[i];
		if (ical_zone_offset(z, t, NULL) != off[i])
			continue;
		for (j = 0; j < n && found[j] != t; j++)
			continue;
		if (j == n)
			found[n++] = t;
	}
	if (n == 0)
		return 0;
	*first = *second = found[0];
	for (i = 1; i < n; i++) {
		if (found[i] < *first)
			*first = found[i];
		if (found[i] > *second)
			*second = found[i];
	}
	return *first == *second ? 1 : 2;
}

/* The refusal of a start the clocks skip, with the time it becomes after the jump. */
static int
gap_refusal(icaltimezone *z, int64_t local, const char *starts_at, const char *zone,
    struct result *r)
{
	int64_t		 t = local - ical_zone_offset(z, local - 172800, NULL);
	struct civil	 c = ical_civil_from_seconds(t + ical_zone_offset(z, t, NULL));

	return result_set(r, RESULT_INVALID, "starts_at",
	    "starts_at %s does not exist in %s: the clocks skip it when daylight saving time "
	    "begins (choose a time outside the jump, e.g. %02d:%02d)", starts_at, zone,
	    c.hour, c.minute);
}

int
ical_local_time(const char *starts_at, const char *zone, struct ical_local *out,
    struct result *r)
{
	icaltimezone	*z;
	struct civil	 c;
	int64_t		 local, second;
	int		 n;

	memset(out, 0, sizeof(*out));
	if ((z = zone_lookup(zone, r)) == NULL)
		return -1;
	if (parse_starts_at(starts_at, &c) == -1)
		return result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at \"%.32s\" is not a date and time YYYY-MM-DDTHH:MM in 1970..2100",
		    starts_at ? starts_at : "");
	local = ical_civil_seconds(&c);
	if (zone_is_utc(zone)) {
		out->at = local;
		return 0;
	}
	if ((n = local_instants(z, local, &out->at, &second)) == 0)
		return gap_refusal(z, local, starts_at, zone, r);
	out->offset = (int)(local - out->at);
	if (n == 2) {
		out->twice = 1;
		out->later_offset = (int)(local - second);
	}
	return 0;
}

/* Add DTSTART/DTEND: TZID=<plain IANA name> with local times, or UTC with Z. */
static int
add_times(icalcomponent *ev, const struct ical_invite *inv, int utc, icaltimezone *z,
    const struct civil *start, struct result *r)
{
	icalproperty	*ps, *pe;
	struct civil	 end;
	int64_t		 local, at, first, second, end_local;
	int		 by_duration = 0;

	local = ical_civil_seconds(start);
	if (utc) {
		at = local;
		end = ical_civil_from_seconds(at + inv->duration_minutes * 60LL);
	} else {
		/*
		 * A time inside a DST gap does not exist; one that occurs twice
		 * means the first.  DTEND is the exact end (start + duration in
		 * UTC) in local time.  An end that falls in the hour the clocks
		 * repeat is ambiguous, and readers differ (RFC 5545 3.3.5 says the
		 * first; libical and python-icalendar take the second), so one of
		 * them would see the meeting end early or late: write DURATION
		 * then, which 3.6.1 allows in place of DTEND and every reader
		 * adds to the start it chose.
		 */
		if (local_instants(z, local, &at, &second) == 0)
			return gap_refusal(z, local, inv->starts_at, inv->timezone, r);
		at += inv->duration_minutes * 60LL;
		end_local = at + ical_zone_offset(z, at, NULL);
		end = ical_civil_from_seconds(end_local);
		by_duration = local_instants(z, end_local, &first, &second) == 2;
	}
	ps = icalproperty_new_dtstart(ical_civil_to_icaltime(start, utc));
	if (by_duration)
		pe = icalproperty_new_duration(icaldurationtype_from_int(inv->duration_minutes * 60));
	else
		pe = icalproperty_new_dtend(ical_civil_to_icaltime(&end, utc));
	if (ps == NULL || pe == NULL) {
		if (ps != NULL)
			icalproperty_free(ps);
		if (pe != NULL)
			icalproperty_free(pe);
		return result_set(r, RESULT_IO, NULL, "libical: cannot make DTSTART/DTEND");
	}
	if (!utc) {
		icalproperty_add_parameter(ps, icalparameter_new_tzid(inv->timezone));
		if (!by_duration)
			icalproperty_add_parameter(pe, icalparameter_new_tzid(inv->timezone));
	}
	icalcomponent_add_property(ev, ps);
	icalcomponent_add_property(ev, pe);
	return 0;
}

/* The UTC second at which local wall-clock start in z begins (start must exist). */
static int64_t
start_utc(icaltimezone *z, int utc, const struct civil *start)
{
	int64_t	 local = ical_civil_seconds(start), at = local, second;

	if (!utc)
		(void)local_instants(z, local, &at, &second);
	return at;
}

static int
add_people(icalcomponent *ev, const struct ical_invite *inv, struct result *r)
{
	icalproperty	*p;
	size_t		 i;

	if ((p = person_property(&inv->organizer, PERSON_ORGANIZER)) == NULL)
		return result_set(r, RESULT_IO, "organizer", "libical: cannot make ORGANIZER");
	icalcomponent_add_property(ev, p);
	/* RFC 5546 3.2.1: a PUBLISH has no ATTENDEE; nobody is asked to answer it. */
	if (strcmp(inv->method, "PUBLISH") == 0)
		return 0;
	if (inv->chair != NULL) {
		if ((p = person_property(inv->chair, PERSON_CHAIR)) == NULL)
			return result_set(r, RESULT_IO, "chair", "libical: cannot make ATTENDEE");
		icalcomponent_add_property(ev, p);
	}
	for (i = 0; i < inv->n_attendees; i++) {
		if ((p = person_property(&inv->attendees[i], PERSON_ATTENDEE)) == NULL)
			return result_set(r, RESULT_IO, "attendees", "libical: cannot make ATTENDEE");
		icalcomponent_add_property(ev, p);
	}
	return 0;
}

/* Add p (a date-time property of local time) with TZID=zone, or as it is in UTC. */
static int
add_zoned(icalcomponent *ev, icalproperty *p, int utc, const char *zone, struct result *r)
{
	if (p == NULL)
		return result_set(r, RESULT_IO, NULL, "libical: cannot make a date-time property");
	if (!utc)
		icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
	icalcomponent_add_property(ev, p);
	return 0;
}

/*
 * The RRULE of the series and the EXDATE of each skipped occurrence.  BYDAY
 * repeats what DTSTART implies (RFC 5545 3.3.10) so that clients which map
 * rules onto their own weekly pattern need not derive it.  UNTIL is the
 * start of the last occurrence in UTC, as 3.3.10 requires with a DTSTART
 * that has a TZID.  RFC 5546 3.2.5: a CANCEL of the whole series keeps
 * DTSTART and RRULE so the receiver matches it to the series it has.
 */
static int
add_rule(icalcomponent *ev, const struct ical_invite *inv, int utc, icaltimezone *z,
    const struct civil *start, struct result *r)
{
	struct civil	 c, u;
	size_t		 i, len;
	char		 rrule[128];

	len = (size_t)snprintf(rrule, sizeof(rrule), "FREQ=WEEKLY;INTERVAL=%d;BYDAY=%s",
	    inv->every_weeks, ical_weekday_names[ical_weekday_of(start->year, start->month, start->day)]);
	if (inv->until != NULL) {
		(void)parse_occurrence(inv->until, inv->starts_at, &c);
		u = ical_civil_from_seconds(start_utc(z, utc, &c));
		snprintf(rrule + len, sizeof(rrule) - len,
		    ";UNTIL=%04d%02d%02dT%02d%02d%02dZ", u.year, u.month, u.day, u.hour, u.minute,
		    u.second);
	}
	icalcomponent_add_property(ev, icalproperty_new_rrule(icalrecurrencetype_from_string(rrule)));
	for (i = 0; i < inv->n_exdates; i++) {
		(void)parse_occurrence(inv->exdates[i], inv->starts_at, &c);
		if (add_zoned(ev, icalproperty_new_exdate(ical_civil_to_icaltime(&c, utc)), utc,
		    inv->timezone, r) == -1)
			return -1;
	}
	return 0;
}

/*
 * One VEVENT of inv into cal: the series (rid NULL: DTSTART, RRULE, EXDATE),
 * or one occurrence of it (RFC 5545 3.8.4.4): RECURRENCE-ID names it by its
 * original start in the series' zone, DTSTART is where it is now (moved_to,
 * or the same), and there is no RRULE.  text is the DESCRIPTION (LF ends).
 */
static int
add_event(icalcomponent *cal, const struct ical_invite *inv, int utc, icaltimezone *z,
    const struct civil *start, const struct civil *stamp, const char *rid, const char *moved_to,
    const char *text, struct result *r)
{
	icalcomponent	*ev;
	struct civil	 evstart = *start;

	if ((ev = icalcomponent_new_vevent()) == NULL)
		return result_set(r, RESULT_IO, NULL, "libical: cannot create a VEVENT");
	icalcomponent_add_property(ev, icalproperty_new_uid(inv->uid));
	icalcomponent_add_property(ev, icalproperty_new_sequence(inv->sequence));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(ical_civil_to_icaltime(stamp, 1)));
	if (rid != NULL) {
		(void)parse_occurrence(rid, inv->starts_at, &evstart);
		if (add_zoned(ev, icalproperty_new_recurrenceid(ical_civil_to_icaltime(&evstart, utc)),
		    utc, inv->timezone, r) == -1)
			goto fail;
		if (moved_to != NULL)
			(void)parse_starts_at(moved_to, &evstart);
	}
	if (add_times(ev, inv, utc, z, &evstart, r) == -1 ||
	    (rid == NULL && add_rule(ev, inv, utc, z, start, r) == -1))
		goto fail;
	icalcomponent_add_property(ev, icalproperty_new_summary(inv->summary));
	if (text != NULL)
		icalcomponent_add_property(ev, icalproperty_new_description(text));
	if (inv->url != NULL)
		icalcomponent_add_property(ev, icalproperty_new_url(inv->url));
	if (inv->location != NULL)
		icalcomponent_add_property(ev, icalproperty_new_location(inv->location));
	if (add_people(ev, inv, r) == -1)
		goto fail;
	if (strcmp(inv->status, "CANCELLED") == 0)
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
	else if (strcmp(inv->method, "CANCEL") != 0)
		icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CONFIRMED));
	icalcomponent_add_property(ev, icalproperty_new_transp(ICAL_TRANSP_OPAQUE));
	icalcomponent_add_component(cal, ev);
	return 0;
fail:
	icalcomponent_free(ev);
	return -1;
}

int
ical_invite_build(const struct ical_invite *inv, int64_t dtstamp, struct buf *out,
    struct result *r)
{
	icalcomponent		*cal = NULL, *vtz = NULL;
	icaltimezone		*z;
	struct civil		 start, stamp;
	char			*text = NULL, *ics = NULL;
	size_t			 i;
	int			 utc, cancel, rc = -1;

	if (check_invite(inv, r) == -1)
		return -1;
	if ((z = zone_lookup(inv->timezone, r)) == NULL)
		return -1;
	if (parse_starts_at(inv->starts_at, &start) == -1)
		return result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at \"%.32s\" is not a date and time YYYY-MM-DDTHH:MM in 1970..2100",
		    inv->starts_at ? inv->starts_at : "");
	/* 253402300799 is 9999-12-31T23:59:59Z, the last DATE-TIME iCalendar can write. */
	if (dtstamp < 0 || dtstamp > 253402300799LL)
		return result_set(r, RESULT_INVALID, "dtstamp", "dtstamp %lld is out of range",
		    (long long)dtstamp);
	utc = zone_is_utc(inv->timezone);
	cancel = strcmp(inv->method, "CANCEL") == 0;
	stamp = ical_civil_from_seconds(dtstamp);
	if (inv->description != NULL && *inv->description != '\0' &&
	    (text = text_lf(inv->description)) == NULL)
		return result_set(r, RESULT_IO, "description", "out of memory");

	if ((cal = icalcomponent_new_vcalendar()) == NULL) {
		result_set(r, RESULT_IO, NULL, "libical: cannot create components");
		goto out;
	}
	icalcomponent_add_property(cal, icalproperty_new_prodid(ICAL_PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	icalcomponent_add_property(cal, icalproperty_new_method(cancel ? ICAL_METHOD_CANCEL :
	    strcmp(inv->method, "PUBLISH") == 0 ? ICAL_METHOD_PUBLISH : ICAL_METHOD_REQUEST));
	if (!utc) {
		if ((vtz = ical_vtimezone_for(inv->timezone, z, start_utc(z, 0, &start), r)) == NULL)
			goto out;
		icalcomponent_add_component(cal, vtz);
	}
	if (add_event(cal, inv, utc, z, &start, &stamp, inv->recurrence_id, inv->occurrence_start,
	    text, r) == -1)
		goto out;
	/*
	 * The series as a whole (a REQUEST or a download) carries each moved
	 * check-in as an override of the same UID (RFC 5546 2.1.5): a client
	 * replaces the series with what it receives, and would otherwise put
	 * the moved check-in back at its old time.  A cancel of the series
	 * needs none.
	 */
	for (i = 0; inv->recurrence_id == NULL && !cancel && i < inv->n_moved; i++)
		if (add_event(cal, inv, utc, z, &start, &stamp, inv->moved[i].on,
		    inv->moved[i].starts_at, text, r) == -1)
			goto out;

	if ((ics = icalcomponent_as_ical_string_r(cal)) == NULL) {
		result_set(r, RESULT_IO, NULL, "libical: cannot serialize the calendar");
		goto out;
	}
	if (fold_into(out, ics) == -1) {
		result_set(r, RESULT_IO, NULL, "out of memory writing the calendar");
		goto out;
	}
	rc = 0;
out:
	free(ics);
	free(text);
	if (cal != NULL)
		icalcomponent_free(cal);
	return rc;
}

/* ---- from a meeting notice ---- */

static const char *const words_en_weekdays[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
    "Sat" };
static const char *const words_en_months[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

static const struct ical_words words_en = {
	.lang = "en",
	.summary = N_("Success Check-in \xe2\x80\x94 {1}"),
	.checkin_with = N_("Success Check-in with {1}."),
	.adoption = N_("Adoption (active users against target):"),
	.no_services = N_("no services in this series"),
	.active_users = N_("{1} active users"),
	.not_measured = N_("not measured yet"),
	.target = N_("target {1}"),
	.custom_metric = N_("agreed success metric: {1}"),
	.measured = N_("measured {1}"),
	.blockers = N_("Open blockers:"),
	.owner = N_("owner {1}"),
	.next_action = N_("Next action from the last check-in:"),
	.due = N_("due {1}"),
	.online = N_("Online meeting: {1}"),
	.moved = N_("moved from {1} to {2}"),
	.zone_time = N_("{1} time"),
	.now_minutes = N_("now {1} minutes instead of {2}"),
	.now_every = N_("now every {1} instead of every {2}"),
	.week = N_("week"),
	.weeks = N_("{1} weeks"),
	.changed = N_("What changed: "),
	.ends = N_("the series ends after {1}; the new schedule comes as a new invitation"),
	.weekdays = words_en_weekdays,
	.months = words_en_months,
};

void
ical_words_put(struct buf *out, const char *tmpl, const char *a, const char *b)
{
	const char	*p;

	/* Placeholders, not printf formats: a translation may put them in any order. */
	for (p = tmpl; *p != '\0'; p++)
		if (p[0] == '{' && (p[1] == '1' || p[1] == '2') && p[2] == '}') {
			buf_puts(out, p[1] == '1' ? (a != NULL ? a : "") : (b != NULL ? b : ""));
			p += 2;
		} else
			buf_putc(out, *p);
}

/* ical_words_put() with numbers. */
static void
words_put_int(struct buf *out, const char *tmpl, int a, int b)
{
	char	 sa[16], sb[16];

	snprintf(sa, sizeof(sa), "%d", a);
	snprintf(sb, sizeof(sb), "%d", b);
	ical_words_put(out, tmpl, sa, sb);
}

const struct ical_words *
ical_words_for(const char *lang)
{
	/* Each language's table, translated through gettext on first use (one process, one cache). */
	static struct ical_words	 tr[I18N_NLANG];
	static const char		*wd[I18N_NLANG][7], *mo[I18N_NLANG][12];
	struct ical_words		*w;
	int				 i = i18n_index(lang), k;

	if (i <= 0)
		return &words_en;
	w = &tr[i];
	if (w->lang == NULL) {
		const char *was = i18n_current();

		i18n_use(lang);
		*w = words_en;
		w->lang = i18n_languages[i];
#define TR(f) w->f = _(words_en.f)
		TR(summary); TR(checkin_with); TR(adoption); TR(no_services); TR(active_users);
		TR(not_measured); TR(target); TR(custom_metric); TR(measured); TR(blockers);
		TR(owner); TR(next_action); TR(due); TR(online); TR(moved); TR(zone_time);
		TR(now_minutes); TR(now_every); TR(week); TR(weeks); TR(changed); TR(ends);
#undef TR
		/* i18n_weekday counts from Monday, this table from Sunday. */
		for (k = 0; k < 7; k++)
			wd[i][k] = i18n_weekday((k + 6) % 7);
		for (k = 0; k < 12; k++)
			mo[i][k] = i18n_month(k + 1);
		w->weekdays = wd[i];
		w->months = mo[i];
		i18n_use(was);
	}
	return w;
}

/* Cities whose IANA name lost its accents (the zones of the customers we serve). */
static const struct {
	const char	*zone, *city;
} zone_cities[] = {
	{ .zone = "America/Sao_Paulo", .city = "S\xc3\xa3o Paulo" },
	{ .zone = "America/Bogota", .city = "Bogot\xc3\xa1" },
	{ .zone = "America/Asuncion", .city = "Asunci\xc3\xb3n" },
	{ .zone = "America/Cancun", .city = "Canc\xc3\xban" },
	{ .zone = "America/Mexico_City", .city = "Mexico City" },
	{ .zone = "Europe/Zurich", .city = "Z\xc3\xbcrich" },
};

void
ical_zone_city(const char *zone, char *buf, size_t size)
{
	const char	*slash;
	size_t		 i;

	for (i = 0; i < sizeof(zone_cities) / sizeof(zone_cities[0]); i++)
		if (strcmp(zone, zone_cities[i].zone) == 0) {
			snprintf(buf, size, "%s", zone_cities[i].city);
			return;
		}
	/* "America/Argentina/Buenos_Aires" -> "Buenos Aires"; "UTC" stays. */
	slash = strrchr(zone, '/');
	snprintf(buf, size, "%s", slash != NULL ? slash + 1 : zone);
	for (i = 0; buf[i] != '\0'; i++)
		if (buf[i] == '_')
			buf[i] = ' ';
}

/* "Thu 1 Jan" from a day (days since 1970-01-01). */
static void
short_day(int32_t day, const struct ical_words *w, char *buf, size_t size)
{
	int	 y, mo, d;

	if (text_civil_from_days(day, &y, &mo, &d) == -1) {
		snprintf(buf, size, "?");
		return;
	}
	/* Day 0 (1970-01-01) was a Thursday, index 4 from Sunday. */
	snprintf(buf, size, "%s %d %s", w->weekdays[((day % 7) + 11) % 7], d, w->months[mo - 1]);
}

/* "Wed 9 Dec 10:00" from a local wall clock (as given when not one). */
static void
short_when(const char *starts_at, const struct ical_words *w, char *buf, size_t size)
{
	int32_t	 day;
	int	 minute;
	char	 dbuf[32];

	if (text_local_datetime_parse(starts_at, &day, &minute) == -1) {
		snprintf(buf, size, "%s", starts_at);
		return;
	}
	short_day(day, w, dbuf, sizeof(dbuf));
	snprintf(buf, size, "%s %02d:%02d", dbuf, minute / 60, minute % 60);
}

/* "week" or "2 weeks" into out. */
static void
every_text(int weeks, const struct ical_words *w, struct buf *out)
{
	if (weeks <= 1)
		buf_puts(out, w->week);
	else
		words_put_int(out, w->weeks, weeks, 0);
}

int
ical_change_text(const struct notice_meeting *m, const struct ical_words *w, struct buf *out)
{
	const struct notice_schedule	*p = m->previous;
	const struct notice_series	*s = &m->meeting;
	struct buf			 x = { 0 }, y = { 0 };
	size_t				 start = out->len;
	char				 a[64], b[64], ca[64], cb[64];
	int32_t				 day;
	int				 zone_same;

	/* A split's old series: its end is the change (its schedule stays). */
	if (s->until != NULL && m->occurrence == NULL && text_date_parse(s->until, &day) == 0) {
		short_day(day, w, b, sizeof(b));
		ical_words_put(out, w->ends, b, NULL);
	}
	if (p == NULL)
		return out->failed ? -1 : (int)(out->len - start);
	zone_same = strcmp(p->timezone, s->timezone) == 0;
	if (strcmp(p->starts_at, s->starts_at) != 0 || !zone_same) {
		short_when(p->starts_at, w, a, sizeof(a));
		short_when(s->starts_at, w, b, sizeof(b));
		ical_zone_city(p->timezone, ca, sizeof(ca));
		ical_zone_city(s->timezone, cb, sizeof(cb));
		buf_puts(&x, a);
		buf_puts(&y, b);
		/* One zone is named once at the end; a customer who moved gets each. */
		if (!zone_same) {
			buf_printf(&x, " (%s)", ca);
			buf_printf(&y, " (%s)", cb);
		}
		ical_words_put(out, w->moved, buf_cstr(&x), buf_cstr(&y));
		if (zone_same) {
			buf_puts(out, ", ");
			ical_words_put(out, w->zone_time, cb, NULL);
		}
	}
	if (p->duration_minutes != s->duration_minutes) {
		if (out->len > start)
			buf_puts(out, "; ");
		words_put_int(out, w->now_minutes, s->duration_minutes, p->duration_minutes);
	}
	if (p->every_weeks != s->every_weeks) {
		if (out->len > start)
			buf_puts(out, "; ");
		buf_reset(&x);
		buf_reset(&y);
		every_text(s->every_weeks, w, &x);
		every_text(p->every_weeks, w, &y);
		ical_words_put(out, w->now_every, buf_cstr(&x), buf_cstr(&y));
	}
	if (x.failed || y.failed)
		out->failed = 1;
	buf_free(&x);
	buf_free(&y);
	return out->failed ? -1 : (int)(out->len - start);
}

/* The title of service key among the agenda's services, or NULL (a key is never shown). */
static const char *
service_title(const struct notice_agenda *a, const char *key)
{
	size_t	 i;

	for (i = 0; key != NULL && i < a->n_services; i++)
		if (a->services[i].key != NULL && strcmp(a->services[i].key, key) == 0)
			return a->services[i].title;
	return NULL;
}

static void
agenda_services(const struct notice_agenda *a, const struct ical_words *w, struct buf *d)
{
	const struct notice_service	*s;
	char				 pc[40];
	size_t				 i;

	buf_printf(d, "%s\n", w->adoption);
	if (a->n_services == 0)
		buf_printf(d, "- %s\n", w->no_services);
	for (i = 0; i < a->n_services; i++) {
		s = &a->services[i];
		buf_printf(d, "- %s: ", s->title);
		if (s->custom_metric != NULL && *s->custom_metric != '\0')
			ical_words_put(d, w->custom_metric, s->custom_metric, NULL);
		else {
			if (s->has_au) {
				notice_percent(s->au_percent, pc, sizeof(pc) - 1);
				strcat(pc, "%");
				ical_words_put(d, w->active_users, pc, NULL);
			} else
				buf_puts(d, w->not_measured);
			if (s->has_target) {
				notice_percent(s->target_percent, pc, sizeof(pc) - 1);
				strcat(pc, "%");
				buf_puts(d, " (");
				ical_words_put(d, w->target, pc, NULL);
				buf_puts(d, ")");
			}
		}
		if (s->measured_on != NULL && s->has_au) {
			buf_puts(d, ", ");
			ical_words_put(d, w->measured, s->measured_on, NULL);
		}
		buf_puts(d, "\n");
	}
}

/* The open blockers in plain words: no taxonomy labels or keys, a service by its title. */
static void
agenda_blockers(const struct notice_agenda *a, const struct ical_words *w, struct buf *d)
{
	const struct notice_blocker	*b;
	const char			*title;
	size_t				 i;

	if (a->n_blockers == 0)
		return;
	buf_printf(d, "\n%s\n", w->blockers);
	for (i = 0; i < a->n_blockers; i++) {
		b = &a->blockers[i];
		title = service_title(a, b->service);
		buf_printf(d, "- %s%s%s", title != NULL ? title : "", title != NULL ? ": " : "",
		    b->description);
		if (b->owner != NULL && *b->owner != '\0') {
			buf_puts(d, " (");
			ical_words_put(d, w->owner, b->owner, NULL);
			buf_puts(d, ")");
		}
		buf_puts(d, "\n");
	}
}

static void
agenda_next_action(const struct notice_agenda *a, const struct ical_words *w, struct buf *d)
{
	const struct notice_next_action	*na = a->next_action;

	if (na == NULL)
		return;
	buf_printf(d, "\n%s\n- %s", w->next_action, na->text);
	if (na->on != NULL && *na->on != '\0') {
		buf_puts(d, ", ");
		ical_words_put(d, w->due, na->on, NULL);
	}
	if (na->owner != NULL && *na->owner != '\0') {
		buf_puts(d, ", ");
		ical_words_put(d, w->owner, na->owner, NULL);
	}
	buf_puts(d, "\n");
}

int
ical_invite_from_notice(const struct notice_meeting *m, const struct ical_person *organizer,
    const char *base_url, struct ical_invite *inv, struct result *r)
{
	struct ical_owned	*own;
	const struct ical_words	*w = ical_words_for(m->customer.language != NULL ?
	    m->customer.language : "en");
	struct buf		 change = { 0 };
	size_t			 i, blen;

	memset(inv, 0, sizeof(*inv));
	if ((own = calloc(1, sizeof(*own))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	inv->owned = own;
	/* notice_decode() checked presence; a struct filled by hand may still lack these. */
	if (m->method == NULL || m->customer.name == NULL || m->url == NULL)
		return result_set(r, RESULT_INVALID, m->method == NULL ? "method" :
		    m->customer.name == NULL ? "customer.name" : "url", "meeting notice is incomplete");
	if (m->n_attendees == 0)
		return result_set(r, RESULT_INVALID, "attendees", "payload: attendees: empty");
	if ((own->attendees = calloc(m->n_attendees, sizeof(*own->attendees))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	for (i = 0; i < m->n_attendees; i++) {
		own->attendees[i].name = m->attendees[i].name;
		own->attendees[i].email = m->attendees[i].email;
	}
	inv->method = m->method;
	inv->uid = m->meeting.uid;
	inv->sequence = m->meeting.sequence;
	inv->status = m->meeting.status;
	inv->starts_at = m->meeting.starts_at;
	inv->timezone = m->meeting.timezone;
	inv->duration_minutes = m->meeting.duration_minutes;
	inv->every_weeks = m->meeting.every_weeks;
	inv->attendees = own->attendees;
	inv->n_attendees = m->n_attendees;
	inv->until = m->meeting.until;
	if (m->occurrence != NULL) {
		inv->recurrence_id = m->occurrence->on;
		inv->occurrence_start = m->occurrence->moved_to;
	}
	/*
	 * Skipped occurrences stay out of every later message of the series
	 * (EXDATE); moved ones come with it as overrides.
	 */
	if (m->meeting.n_exceptions > 0 && (own->exdates = calloc(m->meeting.n_exceptions,
	    sizeof(*own->exdates))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	if (m->meeting.n_exceptions > 0 && (own->moved = calloc(m->meeting.n_exceptions,
	    sizeof(*own->moved))) == NULL)
		return result_set(r, RESULT_IO, NULL, "out of memory");
	for (i = 0; i < m->meeting.n_exceptions; i++) {
		const struct notice_occurrence *e = &m->meeting.exceptions[i];

		if (e->moved_to == NULL)
			own->exdates[inv->n_exdates++] = e->on;
		else {
			own->moved[inv->n_moved].on = e->on;
			own->moved[inv->n_moved++].starts_at = e->moved_to;
		}
	}
	inv->exdates = own->exdates;
	inv->moved = own->moved;
	if (organizer != NULL)
		inv->organizer = *organizer;
	if (m->chair != NULL) {
		own->chair.name = m->chair->name;
		own->chair.email = m->chair->email;
		inv->chair = &own->chair;
	}
	inv->location = m->meeting.meeting_url;

	/* SUMMARY: "Success Check-in — <customer>" (U+2014 EM DASH), in the customer's words. */
	ical_words_put(&own->summary, w->summary, m->customer.name, NULL);

	if (base_url != NULL && *base_url != '\0') {
		blen = strlen(base_url);
		if (blen > 0 && base_url[blen - 1] == '/' && m->url[0] == '/')
			blen--;
		buf_append(&own->url, base_url, blen);
		buf_puts(&own->url, m->url);
	}

	ical_words_put(&own->description, w->checkin_with, m->customer.name, NULL);
	buf_puts(&own->description, "\n\n");
	if (m->meeting.meeting_url != NULL) {
		ical_words_put(&own->description, w->online, m->meeting.meeting_url, NULL);
		buf_puts(&own->description, "\n\n");
	}
	if (ical_change_text(m, w, &change) > 0)
		buf_printf(&own->description, "%s%s.\n\n", w->changed, buf_cstr(&change));
	if (change.failed)
		own->description.failed = 1;
	buf_free(&change);
	agenda_services(&m->agenda, w, &own->description);
	agenda_blockers(&m->agenda, w, &own->description);
	agenda_next_action(&m->agenda, w, &own->description);
	/* The customer page needs the FM's login: only in the FM's own download. */
	if (own->url.len > 0)
		buf_printf(&own->description, "\nCustomer page: %s\n", buf_cstr(&own->url));

	if (own->summary.failed || own->description.failed || own->url.failed)
		return result_set(r, RESULT_IO, NULL, "out of memory building the invite text");
	inv->summary = buf_cstr(&own->summary);
	inv->description = buf_cstr(&own->description);
	inv->url = own->url.len > 0 ? buf_cstr(&own->url) : NULL;
	return 0;
}

void
ical_invite_free(struct ical_invite *inv)
{
	struct ical_owned	*own;

	if (inv == NULL)
		return;
	if ((own = inv->owned) != NULL) {
		buf_free(&own->summary);
		buf_free(&own->description);
		buf_free(&own->url);
		free(own->attendees);
		free(own->exdates);
		free(own->moved);
		free(own);
	}
	memset(inv, 0, sizeof(*inv));
}
