/* test_ical.c -- unit tests of shared/render/ical.c: the built calendar is parsed back with libical and checked. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <libical/ical.h>

#include "buf.h"
#include "ical.h"
#include "notice.h"
#include "result.h"
#include "text.h"
#include "unit.h"

/* 2026-11-25T12:00:00Z */
#define STAMP	1795608000LL

static const struct ical_person organizer = { "Fiona Manager", "fiona@ftsuccess.example" };

static const struct ical_person two_attendees[] = {
	{ "Jürgen Weiß", "juergen.weiss@muellersoehne.de" },
	{ "Souza, João; TI: Infra", "joao@contoso.com" },
};

/* A valid REQUEST for Europe/Berlin starting before the 2026-03-29 switch to CEST. */
static struct ical_invite
berlin_invite(void)
{
	struct ical_invite	 inv;

	memset(&inv, 0, sizeof(inv));
	inv.method = "REQUEST";
	inv.uid = "checkin-21-0a1b2c3d@ftsuccess";
	inv.sequence = 2;
	inv.status = "CONFIRMED";
	inv.starts_at = "2026-03-20T10:00";
	inv.timezone = "Europe/Berlin";
	inv.duration_minutes = 45;
	inv.every_weeks = 2;
	inv.summary = "Success Check-in \xe2\x80\x94 M\xc3\xbcller";
	inv.description = "Agenda\nline two";
	inv.url = "https://fm.example/customers/12";
	inv.organizer = organizer;
	inv.attendees = two_attendees;
	inv.n_attendees = 2;
	return inv;
}

/*
 * Fails unless ev's DTSTART or DTEND (kind) reads want, "YYYY-MM-DD HH:MM"
 * local time, with a TZID of tzid (not checked when NULL).
 */
static void
expect_local(icalcomponent *ev, icalproperty_kind kind, const char *tzid, const char *want)
{
	icalproperty		*p = icalcomponent_get_first_property(ev, kind);
	const char		*name = kind == ICAL_DTSTART_PROPERTY ? "DTSTART" : "DTEND";
	struct icaltimetype	 t;
	char			 got[64];

	if (p == NULL)
		fail_msg("no %s", name);
	if (tzid != NULL)
		assert_string_equal(icalparameter_get_tzid(icalproperty_get_first_parameter(p,
		    ICAL_TZID_PARAMETER)), tzid);
	t = kind == ICAL_DTSTART_PROPERTY ? icalproperty_get_dtstart(p) : icalproperty_get_dtend(p);
	snprintf(got, sizeof(got), "%04d-%02d-%02d %02d:%02d", t.year, t.month, t.day, t.hour, t.minute);
	if (strcmp(got, want) != 0)
		fail_msg("%s %s, want %s", name, got, want);
}

/* Build inv; the test fails with libical's message when the build does. */
static char *
build_ok(const struct ical_invite *inv)
{
	struct buf	 out;
	struct result	 r;

	buf_init(&out);
	result_clear(&r);
	if (ical_invite_build(inv, STAMP, &out, &r) != 0)
		fail_msg("ical_invite_build: %s (%s)", r.message, r.field);
	assert_int_equal(r.code, RESULT_OK);
	return buf_detach(&out);
}

static icalcomponent *
parse_ok(const char *ics)
{
	icalcomponent	*cal;

	cal = icalparser_parse_string(ics);
	assert_non_null(cal);
	assert_int_equal(icalcomponent_isa(cal), ICAL_VCALENDAR_COMPONENT);
	/* libical records anything it could not parse as X-LIC-ERROR properties. */
	assert_int_equal(icalcomponent_count_errors(cal), 0);
	return cal;
}

static icalcomponent *
only_child(icalcomponent *cal, icalcomponent_kind kind)
{
	assert_int_equal(icalcomponent_count_components(cal, kind), 1);
	return icalcomponent_get_first_component(cal, kind);
}

/* A zone built from the VTIMEZONE in cal (not libical's builtin), or NULL for none. */
static icaltimezone *
zone_from(icalcomponent *cal)
{
	icalcomponent	*vtz;
	icaltimezone	*z;

	if ((vtz = icalcomponent_get_first_component(cal, ICAL_VTIMEZONE_COMPONENT)) == NULL)
		return NULL;
	z = icaltimezone_new();
	assert_non_null(z);
	assert_true(icaltimezone_set_component(z, icalcomponent_new_clone(vtz)));
	return z;
}

/* The C library's UTC offset for zone at t: an oracle independent of libical. */
static long
libc_offset(const char *zone, time_t t)
{
	struct tm	 tm;

	assert_int_equal(setenv("TZ", zone, 1), 0);
	tzset();
	assert_non_null(localtime_r(&t, &tm));
	return tm.tm_gmtoff;
}

static int64_t
utc_seconds(int y, int mo, int d, int h, int mi)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	return (int64_t)timegm(&tm);
}

/* Every line ends in CRLF, is at most 75 octets and is valid UTF-8 by itself. */
static void
assert_lines_folded(const char *ics)
{
	const char	*p = ics, *e;
	char		 line[128];
	size_t		 len;

	while (*p != '\0') {
		e = strstr(p, "\r\n");
		assert_non_null(e);
		len = (size_t)(e - p);
		if (len > 75)
			fail_msg("line of %zu octets: %.80s", len, p);
		assert_null(memchr(p, '\n', len));
		assert_null(memchr(p, '\r', len));
		memcpy(line, p, len);
		line[len] = '\0';
		/* A continuation byte right after the fold would mean a split sequence. */
		if (len > 1 && line[0] == ' ')
			assert_int_not_equal((unsigned char)line[1] & 0xc0, 0x80);
		if (((unsigned char)line[0] & 0xc0) == 0x80)
			fail_msg("line starts inside a UTF-8 sequence: %s", line);
		/* The last character of the line must be complete. */
		if (len > 0) {
			size_t	 i = len - 1, k = 0;
			unsigned char c;

			while (i > 0 && ((unsigned char)line[i] & 0xc0) == 0x80) {
				i--;
				k++;
			}
			c = (unsigned char)line[i];
			if (c >= 0xc0)
				assert_int_equal(k + 1, c >= 0xf0 ? 4u : c >= 0xe0 ? 3u : 2u);
			else
				assert_int_equal(k, 0);
		}
		p = e + 2;
	}
}

static void
test_request_properties(void **state)
{
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	struct icaltimetype	 t;
	struct icalrecurrencetype rr;
	char			*ics;
	int			 n;

	(void)state;
	ics = build_ok(&inv);
	assert_lines_folded(ics);
	cal = parse_ok(ics);

	p = icalcomponent_get_first_property(cal, ICAL_PRODID_PROPERTY);
	assert_string_equal(icalproperty_get_prodid(p), "-//ftsuccess//Success Check-in//EN");
	p = icalcomponent_get_first_property(cal, ICAL_VERSION_PROPERTY);
	assert_string_equal(icalproperty_get_version(p), "2.0");
	p = icalcomponent_get_first_property(cal, ICAL_CALSCALE_PROPERTY);
	assert_string_equal(icalproperty_get_calscale(p), "GREGORIAN");
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_REQUEST);
	only_child(cal, ICAL_VTIMEZONE_COMPONENT);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);

	assert_string_equal(icalcomponent_get_uid(ev), inv.uid);
	assert_int_equal(icalcomponent_get_sequence(ev), 2);

	p = icalcomponent_get_first_property(ev, ICAL_DTSTAMP_PROPERTY);
	t = icalproperty_get_dtstamp(p);
	assert_true(icaltime_is_utc(t));
	assert_int_equal((int64_t)icaltime_as_timet(t), STAMP);
	assert_non_null(strstr(ics, "\r\nDTSTAMP:20261125T120000Z\r\n"));

	expect_local(ev, ICAL_DTSTART_PROPERTY, "Europe/Berlin", "2026-03-20 10:00");
	expect_local(ev, ICAL_DTEND_PROPERTY, "Europe/Berlin", "2026-03-20 10:45");

	assert_int_equal(icalcomponent_count_properties(ev, ICAL_RRULE_PROPERTY), 1);
	rr = icalproperty_get_rrule(icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY));
	assert_int_equal(rr.freq, ICAL_WEEKLY_RECURRENCE);
	assert_int_equal(rr.interval, 2);
	assert_true(icaltime_is_null_time(rr.until));
	assert_int_equal(rr.count, 0);
	assert_non_null(strstr(ics, "\r\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR\r\n"));

	assert_string_equal(icalcomponent_get_summary(ev), inv.summary);
	assert_string_equal(icalcomponent_get_description(ev), "Agenda\nline two");
	p = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
	assert_string_equal(icalproperty_get_url(p), inv.url);

	p = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
	assert_string_equal(icalproperty_get_organizer(p), "mailto:fiona@ftsuccess.example");
	assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(p,
	    ICAL_CN_PARAMETER)), "Fiona Manager");

	assert_int_equal(icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY), 2);
	n = 0;
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY), n++) {
		char	 want[128];

		snprintf(want, sizeof(want), "mailto:%s", two_attendees[n].email);
		assert_string_equal(icalproperty_get_attendee(p), want);
		assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)), two_attendees[n].name);
		assert_int_equal(icalparameter_get_role(icalproperty_get_first_parameter(p,
		    ICAL_ROLE_PARAMETER)), ICAL_ROLE_REQPARTICIPANT);
		assert_int_equal(icalparameter_get_partstat(icalproperty_get_first_parameter(p,
		    ICAL_PARTSTAT_PARAMETER)), ICAL_PARTSTAT_NEEDSACTION);
		assert_int_equal(icalparameter_get_rsvp(icalproperty_get_first_parameter(p,
		    ICAL_RSVP_PARAMETER)), ICAL_RSVP_TRUE);
	}
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
	p = icalcomponent_get_first_property(ev, ICAL_TRANSP_PROPERTY);
	assert_int_equal(icalproperty_get_transp(p), ICAL_TRANSP_OPAQUE);

	icalcomponent_free(cal);
	free(ics);
}

/* The VTIMEZONE of zone for a series starting at starts_at, as text and checked for shape. */
static void
check_vtimezone_shape(const char *zone, const char *starts_at, int want_standard,
    int want_daylight)
{
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *vtz, *o;
	icalproperty		*p;
	char			*ics, *flat, tzid_line[96];
	const char		*s;

	inv.timezone = zone;
	inv.starts_at = starts_at;
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	/* Plain IANA name everywhere, none of libical's own prefix. */
	snprintf(tzid_line, sizeof(tzid_line), "\r\nTZID:%s\r\n", zone);
	assert_non_null(strstr(flat, tzid_line));
	snprintf(tzid_line, sizeof(tzid_line), "DTSTART;TZID=%s:", zone);
	assert_non_null(strstr(flat, tzid_line));
	assert_null(strstr(flat, "freeassociation"));
	assert_null(strstr(flat, "TZUNTIL"));
	/* TZOFFSETFROM/TO: sign and HHMM, no seconds (RFC 5545 3.3.14 allows them; clients don't). */
	for (s = flat; (s = strstr(s, "\r\nTZOFFSET")) != NULL; s += 2) {
		const char *v = strchr(s, ':');
		size_t len;

		assert_non_null(v);
		len = strcspn(v + 1, "\r");
		if (len != 5 || (v[1] != '+' && v[1] != '-'))
			fail_msg("%s: offset line %.30s", zone, s + 2);
	}
	cal = parse_ok(ics);
	vtz = only_child(cal, ICAL_VTIMEZONE_COMPONENT);
	p = icalcomponent_get_first_property(vtz, ICAL_TZID_PROPERTY);
	assert_string_equal(icalproperty_get_tzid(p), zone);
	assert_int_equal(icalcomponent_count_components(vtz, ICAL_XSTANDARD_COMPONENT),
	    want_standard);
	assert_int_equal(icalcomponent_count_components(vtz, ICAL_XDAYLIGHT_COMPONENT),
	    want_daylight);
	/* Zones with DST: each observance recurs yearly by RRULE, not by a list of dates. */
	if (want_daylight > 0) {
		for (o = icalcomponent_get_first_component(vtz, ICAL_ANY_COMPONENT); o != NULL;
		    o = icalcomponent_get_next_component(vtz, ICAL_ANY_COMPONENT)) {
			assert_int_equal(icalcomponent_count_properties(o, ICAL_RRULE_PROPERTY), 1);
			assert_int_equal(icalcomponent_count_properties(o, ICAL_RDATE_PROPERTY), 0);
		}
	}
	icalcomponent_free(cal);
	free(flat);
	free(ics);
}

static void
test_vtimezone_shape(void **state)
{
	(void)state;
	check_vtimezone_shape("Europe/Berlin", "2026-03-20T10:00", 1, 1);
	check_vtimezone_shape("America/New_York", "2026-10-19T16:30", 1, 1);
	check_vtimezone_shape("Australia/Sydney", "2026-12-01T09:00", 1, 1);
	/* No DST since 2019 (Sao Paulo) or ever (Kolkata): one STANDARD. */
	check_vtimezone_shape("America/Sao_Paulo", "2026-12-01T10:00", 1, 0);
	check_vtimezone_shape("Asia/Kolkata", "2027-01-05T15:00", 1, 0);
}

/*
 * For each zone, the emitted VTIMEZONE (read by libical as a custom zone)
 * gives the C library's offsets every day for five years, and on both
 * sides of every change.
 */
static void
test_vtimezone_matches_libc(void **state)
{
	static const char *const zones[] = {
		"Europe/Berlin", "America/New_York", "America/Sao_Paulo", "Asia/Kolkata",
		"Australia/Sydney", "Australia/Lord_Howe", "America/Santiago",
		"Asia/Jerusalem", "Europe/Dublin", "Pacific/Chatham", "Africa/Casablanca",
		"Asia/Tokyo", "America/St_Johns",
	};
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal;
	icaltimezone		*z;
	struct icaltimetype	 tt;
	char			*ics;
	const char		*old_tz = getenv("TZ");
	char			*saved = old_tz ? strdup(old_tz) : NULL;
	size_t			 i;
	int64_t			 t, from = utc_seconds(2026, 3, 20, 0, 0);
	int			 dst, off, prev;

	(void)state;
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++) {
		inv.timezone = zones[i];
		ics = build_ok(&inv);
		cal = parse_ok(ics);
		z = zone_from(cal);
		assert_non_null(z);
		prev = INT32_MIN;
		for (t = from; t < from + 5 * 366 * 86400LL; t += 86400) {
			tt = icaltime_from_timet_with_zone((time_t)t, 0, icaltimezone_get_utc_timezone());
			off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
			if (off != libc_offset(zones[i], (time_t)t))
				fail_msg("%s at %lld: VTIMEZONE says %d, libc %ld", zones[i],
				    (long long)t, off, libc_offset(zones[i], (time_t)t));
			if (prev != INT32_MIN && off != prev) {
				/* It changed during the day before: check that day every 15 minutes. */
				int64_t	 h;

				for (h = t - 86400; h <= t; h += 900) {
					tt = icaltime_from_timet_with_zone((time_t)h, 0,
					    icaltimezone_get_utc_timezone());
					off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
					if (off != libc_offset(zones[i], (time_t)h))
						fail_msg("%s at %lld: VTIMEZONE says %d, libc %ld",
						    zones[i], (long long)h, off,
						    libc_offset(zones[i], (time_t)h));
				}
			}
			prev = off;
		}
		icaltimezone_free(z, 1);
		icalcomponent_free(cal);
		free(ics);
	}
	if (saved != NULL) {
		setenv("TZ", saved, 1);
		free(saved);
	} else
		unsetenv("TZ");
	tzset();
}

/* The UTC instants of the first n occurrences, expanded from the calendar alone. */
static void
occurrences_utc(const char *ics, int64_t *out, size_t n)
{
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	icaltimezone		*z;
	icalrecur_iterator	*it;
	struct icaltimetype	 start, occ;
	size_t			 i;

	cal = parse_ok(ics);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	z = zone_from(cal);
	p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	start = icalproperty_get_dtstart(p);
	it = icalrecur_iterator_new(icalproperty_get_rrule(icalcomponent_get_first_property(ev,
	    ICAL_RRULE_PROPERTY)), start);
	assert_non_null(it);
	for (i = 0; i < n; i++) {
		occ = icalrecur_iterator_next(it);
		assert_false(icaltime_is_null_time(occ));
		out[i] = z != NULL ? (int64_t)icaltime_as_timet_with_zone(occ, z) :
		    (int64_t)icaltime_as_timet(occ);
	}
	icalrecur_iterator_free(it);
	if (z != NULL)
		icaltimezone_free(z, 1);
	icalcomponent_free(cal);
}

/* A series that crosses a daylight-saving change, and its first occurrences in UTC. */
struct dst_series {
	const char	*timezone;
	const char	*starts_at;
	int		 every_weeks;
	size_t		 n;
	int		 utc[3][5];	/* year, month, day, hour, minute */
};

static const struct dst_series dst_series[] = {
	/* Berlin, every 2 weeks from Fri 2026-03-20 10:00 CET; CEST from 2026-03-29. */
	{ .timezone = "Europe/Berlin", .starts_at = "2026-03-20T10:00", .every_weeks = 2, .n = 3,
	  .utc = { { 2026, 3, 20, 9, 0 }, { 2026, 4, 3, 8, 0 }, { 2026, 4, 17, 8, 0 } } },
	/* New York, weekly from Mon 2026-10-19 16:30 EDT; EST from 2026-11-01. */
	{ .timezone = "America/New_York", .starts_at = "2026-10-19T16:30", .every_weeks = 1, .n = 3,
	  .utc = { { 2026, 10, 19, 20, 30 }, { 2026, 10, 26, 20, 30 }, { 2026, 11, 2, 21, 30 } } },
	/* Sydney, every 4 weeks from Thu 2027-03-11 09:00 AEDT; AEST from 2027-04-04. */
	{ .timezone = "Australia/Sydney", .starts_at = "2027-03-11T09:00", .every_weeks = 4, .n = 2,
	  .utc = { { 2027, 3, 10, 22, 0 }, { 2027, 4, 7, 23, 0 } } },
};

static void
test_dst_series(void **state)
{
	const struct dst_series	*row;
	struct ical_invite	 inv = berlin_invite();
	int64_t			 at[3], want;
	char			*ics;
	size_t			 i, k;

	(void)state;
	for (i = 0; i < sizeof(dst_series) / sizeof(dst_series[0]); i++) {
		row = &dst_series[i];
		inv.timezone = row->timezone;
		inv.starts_at = row->starts_at;
		inv.every_weeks = row->every_weeks;
		ics = build_ok(&inv);
		occurrences_utc(ics, at, row->n);
		for (k = 0; k < row->n; k++) {
			want = utc_seconds(row->utc[k][0], row->utc[k][1], row->utc[k][2],
			    row->utc[k][3], row->utc[k][4]);
			if (at[k] != want)
				fail_msg("%s from %s: occurrence %zu at %lld, want %lld", row->timezone,
				    row->starts_at, k, (long long)at[k], (long long)want);
		}
		free(ics);
	}
}

/* The refusal of inv, on field. */
static void
refused_on(const struct ical_invite *inv, const char *field)
{
	struct buf	 out;
	struct result	 r;

	buf_init(&out);
	result_clear(&r);
	assert_int_equal(ical_invite_build(inv, STAMP, &out, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_string_equal(r.field, field);
	buf_free(&out);
}

/*
 * A split series ends with UNTIL in UTC (RFC 5545 3.3.10: DTSTART has a
 * TZID), the last occurrence's start across the DST change; a skipped
 * occurrence is an EXDATE in the series' zone; one occurrence's message has
 * RECURRENCE-ID with its original start and no RRULE.
 */
static void
test_until_exdate_recurrence_id(void **state)
{
	static const char *const skipped[] = { "2026-04-03" };
	static const struct {
		const char	*method, *status, *moved_to, *lines[3];
	} one[] = {
		{ "CANCEL", "CANCELLED", NULL, {
		    "\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260403T100000\r\n",
		    "\r\nDTSTART;TZID=Europe/Berlin:20260403T100000\r\n", "\r\nSTATUS:CANCELLED\r\n" } },
		{ "REQUEST", "CONFIRMED", "2026-04-06T15:30", {
		    "\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260403T100000\r\n",
		    "\r\nDTSTART;TZID=Europe/Berlin:20260406T153000\r\n",
		    "\r\nDTEND;TZID=Europe/Berlin:20260406T161500\r\n" } },
	};
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	icaltimezone		*z;
	icalrecur_iterator	*it;
	struct icalrecurrencetype rule;
	struct icaltimetype	 occ, start;
	int64_t			 at[3];
	char			*ics, *flat;
	size_t			 i, j;
	int			 n;

	(void)state;
	/* Every 2 weeks from Fri 20 Mar 10:00 CET; the last is Fri 17 Apr 10:00 CEST = 08:00Z. */
	inv.until = "2026-04-17";
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	assert_non_null(strstr(flat, "UNTIL=20260417T080000Z"));
	cal = parse_ok(ics);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	z = zone_from(cal);
	rule = icalproperty_get_rrule(icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY));
	assert_true(icaltime_is_utc(rule.until));
	/* The parsed DTSTART is floating: give it its zone, as a client does, to meet UNTIL. */
	start = icalproperty_get_dtstart(icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY));
	start.zone = z;
	it = icalrecur_iterator_new(rule, start);
	for (n = 0; !icaltime_is_null_time(occ = icalrecur_iterator_next(it)); n++)
		if (n < 3)
			at[n] = (int64_t)icaltime_as_timet_with_zone(occ, z);
	assert_int_equal(n, 3);
	assert_int_equal(at[2], utc_seconds(2026, 4, 17, 8, 0));
	icalrecur_iterator_free(it);
	icaltimezone_free(z, 1);
	icalcomponent_free(cal);
	free(flat);
	free(ics);

	/* The skipped occurrence stays out of the series: EXDATE at the series' time. */
	inv.until = NULL;
	inv.exdates = skipped;
	inv.n_exdates = 1;
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	assert_non_null(strstr(flat, "\r\nEXDATE;TZID=Europe/Berlin:20260403T100000\r\n"));
	assert_non_null(strstr(flat, "\r\nRRULE:"));
	free(flat);
	free(ics);

	/*
	 * Skip: a CANCEL of that occurrence alone, STATUS:CANCELLED.  Move: a
	 * REQUEST for it with its new start and end.  Neither has an RRULE.
	 */
	inv.exdates = NULL;
	inv.n_exdates = 0;
	inv.recurrence_id = "2026-04-03";
	for (i = 0; i < sizeof(one) / sizeof(one[0]); i++) {
		inv.method = one[i].method;
		inv.status = one[i].status;
		inv.occurrence_start = one[i].moved_to;
		ics = build_ok(&inv);
		assert_non_null(flat = unit_unfolded(ics));
		for (j = 0; j < 3; j++)
			assert_non_null(strstr(flat, one[i].lines[j]));
		assert_null(strstr(flat, "RRULE:FREQ=WEEKLY"));
		free(flat);
		free(ics);
	}

	/* The series after a move carries the moved check-in as an override of its UID. */
	inv = berlin_invite();
	inv.moved = (const struct ical_moved[]){ { "2026-04-17", "2026-04-20T15:30" } };
	inv.n_moved = 1;
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	assert_non_null(strstr(flat, "\r\nRRULE:FREQ=WEEKLY"));
	assert_non_null(strstr(strstr(flat, "END:VEVENT"), "\r\nBEGIN:VEVENT\r\nUID:checkin-21-"));
	assert_non_null(strstr(flat, "\r\nRECURRENCE-ID;TZID=Europe/Berlin:20260417T100000\r\n"
	    "DTSTART;TZID=Europe/Berlin:20260420T153000\r\n"));
	free(flat);
	free(ics);
	/* A cancel of the whole series needs no override. */
	inv.method = "CANCEL";
	inv.status = "CANCELLED";
	ics = build_ok(&inv);
	assert_null(strstr(ics, "RECURRENCE-ID"));
	free(ics);
	inv.moved = (const struct ical_moved[]){ { "2026-04-17", "later" } };
	refused_on(&inv, "moved[0]");

	/* Bad dates are refused, naming the member. */
	inv = berlin_invite();
	inv.until = "2026-03-13";	/* before the first occurrence */
	refused_on(&inv, "until");
	inv.until = NULL;
	inv.recurrence_id = "2026-4-3";
	refused_on(&inv, "recurrence_id");
	inv.recurrence_id = NULL;
	inv.occurrence_start = "2026-04-06T15:30";	/* a move of no occurrence */
	refused_on(&inv, "occurrence_start");
	inv.occurrence_start = NULL;
	inv.exdates = (const char *const[]){ "soon" };
	inv.n_exdates = 1;
	refused_on(&inv, "exdates[0]");
}

static void
test_dtend_across_change(void **state)
{
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	char			*ics;

	(void)state;
	/* 01:30 CET + 90 minutes of real time ends at 04:00 CEST (02:00 is skipped). */
	inv.starts_at = "2026-03-29T01:30";
	inv.duration_minutes = 90;
	ics = build_ok(&inv);
	cal = parse_ok(ics);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	expect_local(ev, ICAL_DTEND_PROPERTY, "Europe/Berlin", "2026-03-29 04:00");
	icalcomponent_free(cal);
	free(ics);
}

static void
test_utc_zone(void **state)
{
	struct ical_invite	 inv = berlin_invite();
	int64_t			 at[2];
	char			*ics;
	icalcomponent		*cal;

	(void)state;
	inv.timezone = "UTC";
	ics = build_ok(&inv);
	assert_non_null(strstr(ics, "\r\nDTSTART:20260320T100000Z\r\n"));
	assert_non_null(strstr(ics, "\r\nDTEND:20260320T104500Z\r\n"));
	assert_null(strstr(ics, "TZID"));
	cal = parse_ok(ics);
	assert_int_equal(icalcomponent_count_components(cal, ICAL_VTIMEZONE_COMPONENT), 0);
	icalcomponent_free(cal);
	occurrences_utc(ics, at, 2);
	assert_int_equal(at[0], utc_seconds(2026, 3, 20, 10, 0));
	assert_int_equal(at[1], utc_seconds(2026, 4, 3, 10, 0));
	free(ics);
}

static void
test_escaping(void **state)
{
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	char			*ics, *flat;

	(void)state;
	inv.summary = "Check-in, A;B\\C: done";
	/* CRLF and a lone CR are line breaks too (libical alone would drop a CR). */
	inv.description = "Line 1, with comma\r\nLine 2; semi\nback\\slash\tTab\rlone CR";
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	/* RFC 5545 3.3.11: backslash, semicolon, comma and newline are escaped; colon is not. */
	assert_non_null(strstr(flat, "\r\nSUMMARY:Check-in\\, A\\;B\\\\C: done\r\n"));
	assert_non_null(strstr(flat,
	    "\r\nDESCRIPTION:Line 1\\, with comma\\nLine 2\\; semi\\nback\\\\slash\tTab\\nlone CR\r\n"));
	cal = parse_ok(ics);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_summary(ev), inv.summary);
	assert_string_equal(icalcomponent_get_description(ev),
	    "Line 1, with comma\nLine 2; semi\nback\\slash\tTab\nlone CR");
	icalcomponent_free(cal);
	free(flat);
	free(ics);
}

static void
test_folding_utf8(void **state)
{
	static const struct ical_person jp[] = {
		{ "株式会社テスト・ソリューションズ 東京本社 情報システム部門 田中 太郎様",
		  "tanaka@test-solutions.co.jp" },
	};
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	struct buf		 want;
	char			*ics, *flat;
	int			 shift;

	(void)state;
	buf_init(&want);
	/* Shift the text one octet at a time so folds land on every byte of the sequences. */
	for (shift = 0; shift < 4; shift++) {
		buf_reset(&want);
		buf_printf(&want, "%.*sSuccess Check-in \xe2\x80\x94 Companhia Brasileira de "
		    "Distribuição e Comércio — Ação São João — 株式会社テスト・ソリューションズ"
		    "東京本社情報システム部門の長い顧客名 \xf0\x9f\x9a\x80\xf0\x9f\x9a\x80"
		    "\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80\xf0\x9f\x9a\x80 (4-octet sequences)",
		    shift, "xyz");
		inv.summary = buf_cstr(&want);
		inv.description = "日本語の説明。\n"
		    "Descrição com acentuação: ação, informação, gestão, não, coração, "
		    "pão, são, irmã, órgão — fim.";
		inv.attendees = jp;
		inv.n_attendees = 1;
		ics = build_ok(&inv);
		assert_lines_folded(ics);
		assert_non_null(flat = unit_unfolded(ics));
		/* Unfolding gives back the exact text (no commas/semicolons to escape here). */
		{
			struct buf	 line;

			buf_init(&line);
			buf_printf(&line, "\r\nSUMMARY:%s\r\n", inv.summary);
			assert_non_null(strstr(flat, buf_cstr(&line)));
			buf_free(&line);
		}
		cal = parse_ok(ics);
		ev = only_child(cal, ICAL_VEVENT_COMPONENT);
		assert_string_equal(icalcomponent_get_summary(ev), inv.summary);
		assert_string_equal(icalcomponent_get_description(ev), inv.description);
		p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
		assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(p,
		    ICAL_CN_PARAMETER)), jp[0].name);
		icalcomponent_free(cal);
		free(flat);
		free(ics);
	}
	buf_free(&want);
}

static void
test_cn_quoting(void **state)
{
	static const struct ical_person people[] = {
		{ "Souza, João; TI: Infra", "joao@contoso.com" },
		{ "Anna \"Anni\" Schmidt", "anna@muellersoehne.de" },
		{ NULL, "noname@contoso.com" },
		{ "Zoë ^n^' Lee", "zoe@contoso.com" },
	};
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	icalproperty		*p;
	char			*ics, *flat;
	size_t			 i;

	(void)state;
	inv.attendees = people;
	inv.n_attendees = 4;
	ics = build_ok(&inv);
	assert_non_null(flat = unit_unfolded(ics));
	/* RFC 5545 3.2: a parameter value with : ; , is a quoted-string. */
	assert_non_null(strstr(flat, "\r\nATTENDEE;CN=\"Souza, João; TI: Infra\";"));
	/* DQUOTE cannot appear inside one: RFC 6868 writes it ^', and a caret ^^. */
	assert_non_null(strstr(flat, "\r\nATTENDEE;CN=Anna ^'Anni^' Schmidt;"));
	assert_null(strstr(flat, "\"Anni\""));
	assert_non_null(strstr(flat, "\r\nATTENDEE;CN=Zoë ^^n^^' Lee;"));
	assert_non_null(strstr(flat, "\r\nATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;"
	    "RSVP=TRUE:mailto:noname@contoso.com\r\n"));
	/* libical reads every name back as it was given (RFC 6868 decoded). */
	cal = parse_ok(ics);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY);
	for (i = 0; i < 4; i++, p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
		assert_non_null(p);
		if (people[i].name != NULL)
			assert_string_equal(icalparameter_get_cn(icalproperty_get_first_parameter(p,
			    ICAL_CN_PARAMETER)), people[i].name);
	}
	icalcomponent_free(cal);
	free(flat);
	free(ics);
}

static void
test_cancel(void **state)
{
	struct ical_invite	 inv = berlin_invite();
	icalcomponent		*cal, *ev;
	struct icalrecurrencetype rr;
	char			*ics;

	(void)state;
	inv.method = "CANCEL";
	inv.status = "CANCELLED";
	inv.sequence = 3;
	ics = build_ok(&inv);
	cal = parse_ok(ics);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
	only_child(cal, ICAL_VTIMEZONE_COMPONENT);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	/* RFC 5546 3.2.5: same UID, bumped SEQUENCE, STATUS:CANCELLED, the series kept. */
	assert_string_equal(icalcomponent_get_uid(ev), "checkin-21-0a1b2c3d@ftsuccess");
	assert_int_equal(icalcomponent_get_sequence(ev), 3);
	assert_int_equal(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
	assert_int_equal(icalcomponent_count_properties(ev, ICAL_RECURRENCEID_PROPERTY), 0);
	expect_local(ev, ICAL_DTSTART_PROPERTY, "Europe/Berlin", "2026-03-20 10:00");
	rr = icalproperty_get_rrule(icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY));
	assert_int_equal(rr.freq, ICAL_WEEKLY_RECURRENCE);
	assert_int_equal(rr.interval, 2);
	assert_non_null(icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY));
	assert_int_equal(icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY), 2);
	icalcomponent_free(cal);
	free(ics);
}

/*
 * Issue 12, defect 4: the CANCEL that uninvites one attendee from a series
 * that goes on has no STATUS:CANCELLED (RFC 5546 3.2.5: that cancels the
 * whole series for whoever reads it) and names only that attendee.
 */
static void
test_cancel_one_attendee(void **state)
{
	static const struct ical_person	 rui[] = { { "Rui", "rui@coho.com" } };
	struct ical_invite		 inv = berlin_invite();
	icalcomponent			*cal, *ev;
	char				*ics;

	(void)state;
	inv.method = "CANCEL";
	inv.status = "CONFIRMED";
	inv.attendees = rui;
	inv.n_attendees = 1;
	ics = build_ok(&inv);
	assert_null(strstr(ics, "STATUS:"));
	cal = parse_ok(ics);
	assert_int_equal(icalcomponent_get_method(cal), ICAL_METHOD_CANCEL);
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	assert_int_equal(icalcomponent_count_properties(ev, ICAL_STATUS_PROPERTY), 0);
	assert_int_equal(icalcomponent_count_properties(ev, ICAL_ATTENDEE_PROPERTY), 1);
	assert_non_null(icalcomponent_get_first_property(ev, ICAL_RRULE_PROPERTY));
	icalcomponent_free(cal);
	free(ics);
}

/* ---- refused input ---- */

enum mutation {
	M_METHOD, M_STATUS, M_STATUS_MISMATCH, M_ZONE, M_ZONE_PATH,
	M_ZONE_EMPTY, M_START_DATE, M_START_SHAPE, M_START_YEAR, M_START_GAP, M_DUR_LOW, M_DUR_HIGH,
	M_WEEKS_LOW, M_WEEKS_HIGH, M_EMAIL, M_EMAIL_NODOT, M_EMAIL_PCT, M_EMAIL_LF, M_NAME_CRLF,
	M_ORG_EMAIL, M_ORG_NAME_LF, M_NO_ATTENDEES, M_SUMMARY_EMPTY, M_SUMMARY_UTF8,
	M_SUMMARY_LF, M_UID_EMPTY, M_UID_LF, M_URL, M_SEQUENCE, M_DESC_CTRL
};

static const struct {
	enum mutation	 m;
	const char	*field;
	const char	*needle;	/* the value the message must name */
} refusals[] = {
	{ M_METHOD, "method", "ADD" },
	{ M_STATUS, "status", "TENTATIVE" },
	{ M_STATUS_MISMATCH, "status", "CANCELLED" },
	{ M_ZONE, "timezone", "Mars/Olympus_Mons" },
	{ M_ZONE_PATH, "timezone", "../../etc/passwd" },
	{ M_ZONE_EMPTY, "timezone", "timezone" },
	{ M_START_DATE, "starts_at", "2026-02-30T10:00" },
	{ M_START_SHAPE, "starts_at", "2026-03-20 10:00" },
	{ M_START_YEAR, "starts_at", "2101-01-04T10:00" },
	{ M_START_GAP, "starts_at", "2026-03-29T02:30" },
	{ M_DUR_LOW, "duration_minutes", "0" },
	{ M_DUR_HIGH, "duration_minutes", "1441" },
	{ M_WEEKS_LOW, "every_weeks", "0" },
	{ M_WEEKS_HIGH, "every_weeks", "9" },
	{ M_EMAIL, "attendees[1].email", "not-an-address" },
	{ M_EMAIL_NODOT, "attendees[1].email", "joao@localhost" },
	/* RFC 6068: a '%' in the local part would need encoding in mailto: */
	{ M_EMAIL_PCT, "attendees[1].email", "jo%ao@contoso.com" },
	{ M_EMAIL_LF, "attendees[1].email", "line break" },
	{ M_NAME_CRLF, "attendees[0].name", "line break" },
	{ M_ORG_EMAIL, "organizer.email", "required" },
	{ M_ORG_NAME_LF, "organizer.name", "line break" },
	{ M_NO_ATTENDEES, "attendees", "empty" },
	{ M_SUMMARY_EMPTY, "summary", "required" },
	{ M_SUMMARY_UTF8, "summary", "UTF-8" },
	{ M_SUMMARY_LF, "summary", "line break" },
	{ M_UID_EMPTY, "uid", "required" },
	{ M_UID_LF, "uid", "line break" },
	{ M_URL, "url", "javascript:alert(1)" },
	{ M_SEQUENCE, "sequence", "-1" },
	{ M_DESC_CTRL, "description", "0x07" },
};

static void
test_refused(void **state)
{
	static const struct ical_person bad_email[] = {
		{ "Ana", "ana@contoso.com" }, { "João", "not-an-address" } };
	static const struct ical_person no_dot[] = {
		{ "Ana", "ana@contoso.com" }, { "João", "joao@localhost" } };
	static const struct ical_person pct[] = {
		{ "Ana", "ana@contoso.com" }, { "João", "jo%ao@contoso.com" } };
	static const struct ical_person email_lf[] = {
		{ "Ana", "ana@contoso.com" }, { "João", "joao@contoso.com\r\nBcc: x@y.com" } };
	static const struct ical_person name_crlf[] = {
		{ "Ana\r\nBcc: x@y.com", "ana@contoso.com" } };
	struct ical_invite	 inv;
	struct result		 r;
	struct buf		 out;
	size_t			 i;

	(void)state;
	buf_init(&out);
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		inv = berlin_invite();
		switch (refusals[i].m) {
		case M_METHOD: inv.method = "ADD"; break;
		case M_STATUS: inv.status = "TENTATIVE"; break;
		case M_STATUS_MISMATCH: inv.status = "CANCELLED"; break;
		case M_ZONE: inv.timezone = "Mars/Olympus_Mons"; break;
		case M_ZONE_PATH: inv.timezone = "../../etc/passwd"; break;
		case M_ZONE_EMPTY: inv.timezone = ""; break;
		case M_START_DATE: inv.starts_at = "2026-02-30T10:00"; break;
		case M_START_SHAPE: inv.starts_at = "2026-03-20 10:00"; break;
		case M_START_YEAR: inv.starts_at = "2101-01-04T10:00"; break;
		case M_START_GAP: inv.starts_at = "2026-03-29T02:30"; break;
		case M_DUR_LOW: inv.duration_minutes = 0; break;
		case M_DUR_HIGH: inv.duration_minutes = 1441; break;
		case M_WEEKS_LOW: inv.every_weeks = 0; break;
		case M_WEEKS_HIGH: inv.every_weeks = 9; break;
		case M_EMAIL: inv.attendees = bad_email; break;
		case M_EMAIL_NODOT: inv.attendees = no_dot; break;
		case M_EMAIL_PCT: inv.attendees = pct; break;
		case M_EMAIL_LF: inv.attendees = email_lf; break;
		case M_NAME_CRLF: inv.attendees = name_crlf; inv.n_attendees = 1; break;
		case M_ORG_EMAIL: inv.organizer.email = NULL; break;
		case M_ORG_NAME_LF: inv.organizer.name = "Fiona\nManager"; break;
		case M_NO_ATTENDEES: inv.n_attendees = 0; break;
		case M_SUMMARY_EMPTY: inv.summary = ""; break;
		case M_SUMMARY_UTF8: inv.summary = "Caf\xe9"; break;
		case M_SUMMARY_LF: inv.summary = "Check-in\nBEGIN:VEVENT"; break;
		case M_UID_EMPTY: inv.uid = NULL; break;
		case M_UID_LF: inv.uid = "x\r\nMETHOD:PUBLISH"; break;
		case M_URL: inv.url = "javascript:alert(1)"; break;
		case M_SEQUENCE: inv.sequence = -1; break;
		case M_DESC_CTRL: inv.description = "bell\a"; break;
		}
		result_clear(&r);
		buf_reset(&out);
		if (ical_invite_build(&inv, STAMP, &out, &r) != -1)
			fail_msg("case %zu (%s) was accepted", i, refusals[i].field);
		assert_int_equal(r.code, RESULT_INVALID);
		assert_string_equal(r.field, refusals[i].field);
		if (strstr(r.message, refusals[i].needle) == NULL)
			fail_msg("case %zu: message \"%s\" does not name \"%s\"", i, r.message,
			    refusals[i].needle);
	}
	buf_free(&out);
}

/* ---- from a payload ---- */

/* What the notifier does with a row: decode the payload once, then fill the invite from the notice. */
static int
from_payload(json_object *payload, const char *base_url, struct notice *n, struct ical_invite *inv,
    struct result *r)
{
	memset(inv, 0, sizeof(*inv));
	if (notice_decode_meeting_json(payload, n, r) == -1)
		return -1;
	return ical_invite_from_notice(&n->meeting, &organizer, base_url, inv, r);
}

static const char payload_text[] =
    "{\"version\": 1, \"method\": \"REQUEST\","
    " \"customer\": {\"id\": 7, \"name\": \"Contoso\", \"tenant_domain\": \"contoso.onmicrosoft.com\","
    "   \"timezone\": \"America/Sao_Paulo\"},"
    " \"meeting\": {\"id\": 3, \"uid\": \"checkin-3-9f1c2a7e@ftsuccess\", \"sequence\": 0,"
    "   \"status\": \"CONFIRMED\", \"starts_at\": \"2026-12-01T10:00\","
    "   \"timezone\": \"America/Sao_Paulo\", \"duration_minutes\": 30, \"every_weeks\": 2},"
    " \"attendees\": [{\"name\": \"Ana Souza\", \"email\": \"ana@contoso.com\"}],"
    " \"agenda\": {"
    "   \"services\": [{\"key\": \"exchange\", \"title\": \"Exchange Online\", \"au_percent\": 7.5,"
    "       \"target_percent\": 10, \"custom_metric\": null, \"measured_on\": \"2026-11-20\"},"
    "     {\"key\": \"sharepoint\", \"title\": \"SharePoint Online\", \"au_percent\": null,"
    "       \"target_percent\": null, \"custom_metric\": \"Sites migrated\", \"measured_on\": null}],"
    "   \"blockers\": [{\"id\": 4, \"description\": \"Proxy blocks Teams media\", \"owner\": \"Contoso IT\","
    "       \"l2_reason\": \"customer_it_infrastructure\","
    "       \"l2_title\": \"Customer IT Infrastructure and Remediation\", \"service\": \"teams\"}],"
    "   \"next_action\": {\"text\": \"Send adoption kit\", \"on\": \"2026-12-03\", \"owner\": \"FM\"}"
    " },"
    " \"url\": \"/customers/7\"}";

static void
test_payload(void **state)
{
	struct ical_invite	 inv;
	struct notice		 n;
	struct result		 r;
	struct buf		 out;
	json_object		*payload;
	icalcomponent		*cal, *ev;

	(void)state;
	payload = json_tokener_parse(payload_text);
	assert_non_null(payload);
	result_clear(&r);
	buf_init(&out);
	if (from_payload(payload, "https://fm.example/", &n, &inv, &r) != 0)
		fail_msg("from_payload: %s", r.message);
	assert_string_equal(inv.method, "REQUEST");
	assert_string_equal(inv.uid, "checkin-3-9f1c2a7e@ftsuccess");
	assert_string_equal(inv.timezone, "America/Sao_Paulo");
	assert_int_equal(inv.every_weeks, 2);
	assert_int_equal(inv.duration_minutes, 30);
	assert_string_equal(inv.summary, "Success Check-in \xe2\x80\x94 Contoso");
	assert_string_equal(inv.url, "https://fm.example/customers/7");
	assert_string_equal(inv.organizer.email, organizer.email);
	assert_int_equal(inv.n_attendees, 1);
	assert_string_equal(inv.attendees[0].email, "ana@contoso.com");
	assert_non_null(strstr(inv.description,
	    "- Exchange Online: 7.5% active users (target 10%), measured 2026-11-20\n"));
	assert_non_null(strstr(inv.description,
	    "- SharePoint Online: agreed success metric: Sites migrated\n"));
	/* Issue 12: no taxonomy label in brackets, no service key. */
	assert_non_null(strstr(inv.description, "- Proxy blocks Teams media (owner Contoso IT)\n"));
	assert_null(strchr(inv.description, '['));
	assert_non_null(strstr(inv.description, "- Send adoption kit, due 2026-12-03, owner FM\n"));
	assert_non_null(strstr(inv.description, "Customer page: https://fm.example/customers/7\n"));

	if (ical_invite_build(&inv, STAMP, &out, &r) != 0)
		fail_msg("build: %s", r.message);
	cal = parse_ok(buf_cstr(&out));
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_description(ev), inv.description);
	assert_string_equal(icalcomponent_get_summary(ev), inv.summary);
	icalcomponent_free(cal);

	ical_invite_free(&inv);
	assert_null(inv.owned);
	notice_free(&n);
	buf_free(&out);
	json_object_put(payload);
}

/*
 * Issue 12, defect 5: an update says what changed, old -> new, in the
 * customer's zone named as people name it; a move across zones names both;
 * the length and the interval say now and before; nothing when nothing
 * changed or there is no previous schedule.
 */
static void
test_change_text(void **state)
{
	static const struct {
		const char	*was, *was_zone, *zone;
		int		 was_minutes, was_every;
		const char	*want;
	} cases[] = {
		{ "2026-12-09T10:00", "America/Sao_Paulo", "America/Sao_Paulo", 30, 2,
		  "moved from Wed 9 Dec 10:00 to Thu 10 Dec 11:00, S\xc3\xa3o Paulo time" },
		{ "2026-12-10T11:00", "America/Sao_Paulo", "America/Sao_Paulo", 45, 1,
		  "now 30 minutes instead of 45; now every 2 weeks instead of every week" },
		{ "2026-12-09T10:00", "Europe/Berlin", "America/Sao_Paulo", 30, 2,
		  "moved from Wed 9 Dec 10:00 (Berlin) to Thu 10 Dec 11:00 (S\xc3\xa3o Paulo)" },
		{ "2026-12-10T11:00", "America/Sao_Paulo", "America/Sao_Paulo", 30, 2, "" },
	};
	struct notice_schedule	 was;
	struct notice_meeting	 m;
	struct buf		 out = { 0 };
	char			 city[64];
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&m, 0, sizeof(m));
		m.meeting.starts_at = (char *)(uintptr_t)"2026-12-10T11:00";
		m.meeting.timezone = (char *)(uintptr_t)cases[i].zone;
		m.meeting.duration_minutes = 30;
		m.meeting.every_weeks = 2;
		was.starts_at = (char *)(uintptr_t)cases[i].was;
		was.timezone = (char *)(uintptr_t)cases[i].was_zone;
		was.duration_minutes = cases[i].was_minutes;
		was.every_weeks = cases[i].was_every;
		m.previous = &was;
		buf_reset(&out);
		assert_int_equal(ical_change_text(&m, ical_words_for("en"), &out),
		    (int)strlen(cases[i].want));
		assert_string_equal(out.len > 0 ? buf_cstr(&out) : "", cases[i].want);
	}
	m.previous = NULL;
	buf_reset(&out);
	assert_int_equal(ical_change_text(&m, ical_words_for("pt-BR"), &out), 0);
	/* The old series of a split: its end is what changed. */
	m.meeting.until = (char *)(uintptr_t)"2026-01-01";
	assert_true(ical_change_text(&m, ical_words_for("en"), &out) > 0);
	assert_string_equal(buf_cstr(&out),
	    "the series ends after Thu 1 Jan; the new schedule comes as a new invitation");
	buf_free(&out);
	ical_zone_city("America/Argentina/Buenos_Aires", city, sizeof(city));
	assert_string_equal(city, "Buenos Aires");
	ical_zone_city("UTC", city, sizeof(city));
	assert_string_equal(city, "UTC");
}

/*
 * The FM as ATTENDEE;ROLE=CHAIR next to the contacts, under the service
 * mailbox's ORGANIZER; LOCATION the online meeting; a PUBLISH (the FM's
 * download) lists no attendee at all, the chair included.
 */
static void
test_chair_and_location(void **state)
{
	static const struct ical_person	 fm = { "Fernanda Lima", "fernanda@fm.example" };
	static const struct ical_person	 ana = { "Ana", "ana@contoso.com" };
	struct ical_invite		 inv;
	struct result			 r;
	struct buf			 out = { 0 };
	icalcomponent			*cal, *ev;
	icalproperty			*p;
	int				 chairs = 0, n = 0;

	(void)state;
	inv = berlin_invite();
	inv.location = "https://teams.example/l/meetup-join/x";
	inv.organizer.name = "Success Check-ins";
	inv.organizer.email = "checkins@fm.example";
	inv.chair = &fm;
	inv.attendees = &ana;
	inv.n_attendees = 1;
	if (ical_invite_build(&inv, STAMP, &out, &r) != 0)
		fail_msg("build: %s", r.message);
	cal = parse_ok(buf_cstr(&out));
	ev = only_child(cal, ICAL_VEVENT_COMPONENT);
	assert_string_equal(icalcomponent_get_location(ev), inv.location);
	assert_string_equal(icalproperty_get_organizer(icalcomponent_get_first_property(ev,
	    ICAL_ORGANIZER_PROPERTY)), "mailto:checkins@fm.example");
	for (p = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); p != NULL;
	    p = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY), n++)
		if (icalparameter_get_role(icalproperty_get_first_parameter(p,
		    ICAL_ROLE_PARAMETER)) == ICAL_ROLE_CHAIR) {
			assert_string_equal(icalproperty_get_attendee(p), "mailto:fernanda@fm.example");
			chairs++;
		}
	assert_int_equal(n, 2);
	assert_int_equal(chairs, 1);
	icalcomponent_free(cal);

	inv.method = "PUBLISH";
	buf_reset(&out);
	if (ical_invite_build(&inv, STAMP, &out, &r) != 0)
		fail_msg("build: %s", r.message);
	assert_null(strstr(buf_cstr(&out), "ATTENDEE"));

	/* The location is an absolute http(s) link or nothing. */
	inv.location = "javascript:alert(1)";
	buf_reset(&out);
	assert_int_equal(ical_invite_build(&inv, STAMP, &out, &r), -1);
	assert_string_equal(r.field, "location");
	buf_free(&out);
}

/* from_payload, as a unit_decode_fn. */
static int
payload_decode(json_object *doc, void *arg, struct result *r)
{
	struct ical_invite	 inv;
	struct notice		 n;
	int			 rc;

	(void)arg;
	rc = from_payload(doc, "https://fm.example", &n, &inv, r);
	ical_invite_free(&inv);
	notice_free(&n);
	return rc;
}

/* Each edit of the shared invite table (unit.c) is refused on the notifier's path too, naming its member. */
static void
test_payload_refused(void **state)
{
	struct result	 r;

	(void)state;
	if (unit_json_edits_refused(payload_text, unit_invite_refusals, unit_invite_refusals_n, payload_decode,
	    NULL, &r) == -1)
		fail_msg("%s", r.message);
}

/* The one civil-date arithmetic (text.c) that ical.c now uses: known days, round trips, the bound. */
static void
test_civil_days(void **state)
{
	static const struct { int y, m, d; int64_t day; } known[] = {
		{ .y = 1970, .m = 1, .d = 1, .day = 0 },
		{ .y = 1969, .m = 12, .d = 31, .day = -1 },
		{ .y = 2000, .m = 3, .d = 1, .day = 11017 },
		{ .y = 2026, .m = 12, .d = 1, .day = 20788 },
		{ .y = 9999, .m = 12, .d = 31, .day = 2932896 },
		{ .y = 1600, .m = 2, .d = 29, .day = -135081 },
	};
	int64_t		 day;
	size_t		 i;
	int		 y, m, d;

	(void)state;
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		assert_int_equal(text_days_from_civil(known[i].y, known[i].m, known[i].d), known[i].day);
		assert_int_equal(text_civil_from_days(known[i].day, &y, &m, &d), 0);
		assert_true(y == known[i].y && m == known[i].m && d == known[i].d);
	}
	for (day = -800000; day < 800000; day += 997) {
		assert_int_equal(text_civil_from_days(day, &y, &m, &d), 0);
		assert_int_equal(text_days_from_civil(y, m, d), day);
	}
	assert_int_equal(text_civil_from_days(INT64_MAX / 86400, &y, &m, &d), -1);
}

UNIT_MAIN("ical",
	cmocka_unit_test(test_civil_days),
	cmocka_unit_test(test_request_properties),
	cmocka_unit_test(test_vtimezone_shape),
	cmocka_unit_test(test_vtimezone_matches_libc),
	cmocka_unit_test(test_dst_series),
	cmocka_unit_test(test_dtend_across_change),
	cmocka_unit_test(test_until_exdate_recurrence_id),
	cmocka_unit_test(test_utc_zone),
	cmocka_unit_test(test_escaping),
	cmocka_unit_test(test_folding_utf8),
	cmocka_unit_test(test_cn_quoting),
	cmocka_unit_test(test_cancel),
	cmocka_unit_test(test_cancel_one_attendee),
	cmocka_unit_test(test_refused),
	cmocka_unit_test(test_payload),
	cmocka_unit_test(test_payload_refused),
	cmocka_unit_test(test_change_text),
	cmocka_unit_test(test_chair_and_location),
)
