/* ical_zone.c -- civil time and zones for ical.c: calendar arithmetic, UTC offsets, a zone as a VTIMEZONE. */
#include "autoconfig.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

#include "ical_impl.h"
#include "result.h"
#include "text.h"

/*
 * The VTIMEZONE describes the zone from a year before the first occurrence
 * to ZONE_YEARS_AHEAD years after it; the rules found there continue
 * beyond it.  Changes are found by probing libical's copy of the system
 * tzdata once a day and bisecting to the second.
 */
#define ZONE_LOOKBACK_SECONDS	(366 * 86400LL)
#define ZONE_YEARS_AHEAD	10
#define ZONE_MAX_CHANGES	128
#define ZONE_MAX_GROUPS		8


/* One change of a zone's UTC offset. */
struct zone_change {
	int64_t	 at;		/* first UTC second of the new offset */
	int	 from, to;	/* UTC offsets in seconds before and after */
	int	 is_dst;	/* the new offset is daylight time */
	int	 group;		/* index of the (from, to) group */
};

/* A yearly rule "weekday N of month at time" fitted to a group of changes. */
enum rule_kind { RULE_LAST, RULE_NTH, RULE_ON_OR_AFTER };
struct zone_rule {
	enum rule_kind	 kind;
	int		 month, weekday, n;	/* n: week (RULE_NTH) or first day (RULE_ON_OR_AFTER) */
	int		 hour, minute, second;
	int		 until;			/* the rule stops after its last change */
	int64_t		 until_at;
};

const char *const ical_weekday_names[7] = { "SU", "MO", "TU", "WE", "TH", "FR", "SA" };

/* ---- calendar arithmetic (proleptic Gregorian, days since 1970-01-01) ---- */

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int
ical_month_days(int y, int m)
{
	static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

struct civil
ical_civil_from_seconds(int64_t t)
{
	struct civil	 c;
	int64_t		 days, secs;

	days = t / 86400;
	secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* t comes from zone data and payload times: years far inside +-5 million. */
	if (text_civil_from_days(days, &c.year, &c.month, &c.day) == -1)
		c.year = c.month = c.day = 1;
	c.hour = (int)(secs / 3600);
	c.minute = (int)(secs / 60 % 60);
	c.second = (int)(secs % 60);
	return c;
}

int64_t
ical_civil_seconds(const struct civil *c)
{
	return text_days_from_civil(c->year, c->month, c->day) * 86400 +
	    c->hour * 3600 + c->minute * 60 + c->second;
}

/* 0 = Sunday. */
int
ical_weekday_of(int y, int m, int d)
{
	int64_t	 w = (text_days_from_civil(y, m, d) + 4) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

struct icaltimetype
ical_civil_to_icaltime(const struct civil *c, int utc)
{
	struct icaltimetype	 t = icaltime_null_time();

	t.year = c->year;
	t.month = c->month;
	t.day = c->day;
	t.hour = c->hour;
	t.minute = c->minute;
	t.second = c->second;
	t.is_date = 0;
	t.zone = utc ? icaltimezone_get_utc_timezone() : NULL;
	return t;
}

/* ---- describing a zone as a VTIMEZONE ---- */

int
ical_zone_offset(icaltimezone *z, int64_t t, int *is_dst)
{
	struct icaltimetype	 tt;
	struct civil		 c = ical_civil_from_seconds(t);
	int			 dst = 0, off;

	tt = ical_civil_to_icaltime(&c, 1);
	off = icaltimezone_get_utc_offset_of_utc_time(z, &tt, &dst);
	if (is_dst != NULL)
		*is_dst = dst;
	return off;
}

/* The offset changes of z in [w0, w1), to the second; -1 when there are too many. */
static int
zone_changes(icaltimezone *z, int64_t w0, int64_t w1, struct zone_change *ch, size_t *n)
{
	int64_t	 t, lo, hi, mid;
	int	 a, b, dst;

	*n = 0;
	a = ical_zone_offset(z, w0, NULL);
	for (t = w0; t < w1; t += 86400) {
		if ((b = ical_zone_offset(z, t + 86400, NULL)) == a)
			continue;
		lo = t;
		hi = t + 86400;
		while (hi - lo > 1) {
			mid = lo + (hi - lo) / 2;
			if (ical_zone_offset(z, mid, NULL) == a)
				lo = mid;
			else
				hi = mid;
		}
		if (*n == ZONE_MAX_CHANGES)
			return -1;
		ch[*n].at = hi;
		ch[*n].from = a;
		ch[*n].to = ical_zone_offset(z, hi, &dst);
		ch[*n].is_dst = dst;
		ch[*n].group = -1;
		(*n)++;
		a = b;
	}
	return 0;
}

/* The day of month the rule gives in year y. */
static int
rule_day(const struct zone_rule *rule, int y)
{
	int	 first, d;

	switch (rule->kind) {
	case RULE_LAST:
		d = ical_month_days(y, rule->month);
		return d - (ical_weekday_of(y, rule->month, d) - rule->weekday + 7) % 7;
	case RULE_NTH:
		first = 1 + (rule->weekday - ical_weekday_of(y, rule->month, 1) + 7) % 7;
		return first + 7 * (rule->n - 1);
	case RULE_ON_OR_AFTER:
	default:
		return rule->n + (rule->weekday - ical_weekday_of(y, rule->month, rule->n) + 7) % 7;
	}
}

/*
 * Fit one yearly rule to the changes of group g (at least two, in
 * consecutive years, same month, weekday and local time).  Returns 0 and
 * fills rule, or -1 when the group is not that regular.
 */
static int
rule_fit(const struct zone_change *ch, size_t n, int g, int64_t w1, struct zone_rule *rule)
{
	struct civil	 c, first = { 0, 0, 0, 0, 0, 0 };
	size_t		 i, count = 0;
	int		 all_last = 1, lo = 1, hi = 31, prev_year = 0, d;
	int64_t		 next;
	const struct zone_change *last = NULL;

	for (i = 0; i < n; i++) {
		if (ch[i].group != g)
			continue;
		/* RFC 5545 3.6.5: an observance's DTSTART is local time before the change. */
		c = ical_civil_from_seconds(ch[i].at + ch[i].from);
		if (count == 0)
			first = c;
		else if (c.year != prev_year + 1 || c.month != first.month ||
		    c.hour != first.hour || c.minute != first.minute ||
		    c.second != first.second ||
		    ical_weekday_of(c.year, c.month, c.day) !=
		    ical_weekday_of(first.year, first.month, first.day))
			return -1;
		if (c.day + 7 <= ical_month_days(c.year, c.month))
			all_last = 0;
		if (c.day - 6 > lo)
			lo = c.day - 6;
		if (c.day < hi)
			hi = c.day;
		prev_year = c.year;
		last = &ch[i];
		count++;
	}
	if (count < 2)
		return -1;
	memset(rule, 0, sizeof(*rule));
	rule->month = first.month;
	rule->weekday = ical_weekday_of(first.year, first.month, first.day);
	rule->hour = first.hour;
	rule->minute = first.minute;
	rule->second = first.second;
	if (all_last)
		rule->kind = RULE_LAST;
	else if (lo > hi)
		return -1;
	else {
		rule->kind = RULE_ON_OR_AFTER;
		rule->n = lo;
		for (d = 1; d <= 22; d += 7)
			if (d >= lo && d <= hi) {
				rule->kind = RULE_NTH;
				rule->n = (d - 1) / 7 + 1;
				break;
			}
	}
	/* Where the rule would change again inside the window but tzdata does not, it ends. */
	c.year = prev_year + 1;
	c.month = rule->month;
	c.day = rule_day(rule, c.year);
	c.hour = rule->hour;
	c.minute = rule->minute;
	c.second = rule->second;
	next = ical_civil_seconds(&c) - last->from;
	if (next < w1) {
		rule->until = 1;
		rule->until_at = last->at;
	}
	return 0;
}

static int
rule_format(const struct zone_rule *rule, char *s, size_t size)
{
	struct civil	 u;
	char		 until[40] = "";
	char		 byday[64];
	int		 len, d;
	size_t		 off;

	if (rule->until) {
		u = ical_civil_from_seconds(rule->until_at);
		snprintf(until, sizeof(until), ";UNTIL=%04d%02d%02dT%02d%02d%02dZ",
		    u.year, u.month, u.day, u.hour, u.minute, u.second);
	}
	switch (rule->kind) {
	case RULE_LAST:
		snprintf(byday, sizeof(byday), "BYDAY=-1%s", ical_weekday_names[rule->weekday]);
		break;
	case RULE_NTH:
		snprintf(byday, sizeof(byday), "BYDAY=%d%s", rule->n, ical_weekday_names[rule->weekday]);
		break;
	case RULE_ON_OR_AFTER:
	default:
		/* "Sunday on or after the 2nd": BYDAY=SU;BYMONTHDAY=2,...,8 (RFC 5545 3.3.10). */
		len = snprintf(byday, sizeof(byday), "BYDAY=%s;BYMONTHDAY=",
		    ical_weekday_names[rule->weekday]);
		off = (size_t)len;
		for (d = rule->n; d < rule->n + 7 && d <= 31 && off < sizeof(byday); d++) {
			len = snprintf(byday + off, sizeof(byday) - off, "%s%d",
			    d == rule->n ? "" : ",", d);
			off += (size_t)len;
		}
		break;
	}
	len = snprintf(s, size, "FREQ=YEARLY;BYMONTH=%d;%s%s", rule->month, byday, until);
	return len < 0 || (size_t)len >= size ? -1 : 0;
}

static icalcomponent *
observance_new(int is_dst, int from, int to, int64_t local_start)
{
	icalcomponent		*o;
	struct civil		 c = ical_civil_from_seconds(local_start);

	o = is_dst ? icalcomponent_new_xdaylight() : icalcomponent_new_xstandard();
	if (o == NULL)
		return NULL;
	icalcomponent_add_property(o, icalproperty_new_tzoffsetfrom(from));
	icalcomponent_add_property(o, icalproperty_new_tzoffsetto(to));
	icalcomponent_add_property(o, icalproperty_new_dtstart(ical_civil_to_icaltime(&c, 0)));
	return o;
}

/*
 * Build the VTIMEZONE for name from its changes.  With rules, a regular
 * group becomes one observance with a yearly RRULE; otherwise (or when a
 * group is irregular) each group lists its changes as RDATEs.  A zone
 * without changes gets one STANDARD.  Returns NULL when out of memory or
 * when a rule cannot be written.
 */
static icalcomponent *
vtimezone_make(const char *name, struct zone_change *ch, size_t n, int base_offset,
    int64_t t0, int64_t w1, int with_rules)
{
	icalcomponent		*vtz, *o;
	icalproperty		*p;
	struct icaldatetimeperiodtype rd;
	struct zone_rule	 rule;
	struct civil		 c;
	char			 rrule[160];
	size_t			 i, j;
	int			 g, ngroups = 0, gfrom[ZONE_MAX_GROUPS], gto[ZONE_MAX_GROUPS];

	if ((vtz = icalcomponent_new_vtimezone()) == NULL)
		return NULL;
	icalcomponent_add_property(vtz, icalproperty_new_tzid(name));

	/*
	 * Without a change at or before the first occurrence, a client would
	 * find no observance in effect then: state the offset from 1970 on.
	 */
	if (n == 0 || ch[0].at > t0) {
		if ((o = observance_new(0, base_offset, base_offset, 0)) == NULL)
			goto fail;
		icalcomponent_add_component(vtz, o);
	}

	for (i = 0; i < n; i++) {
		for (g = 0; g < ngroups; g++)
			if (gfrom[g] == ch[i].from && gto[g] == ch[i].to)
				break;
		if (g == ngroups) {
			if (ngroups == ZONE_MAX_GROUPS)
				goto fail;
			gfrom[g] = ch[i].from;
			gto[g] = ch[i].to;
			ngroups++;
		}
		ch[i].group = g;
	}
	if (with_rules) {
		for (g = 0; g < ngroups; g++) {
			for (i = 0; i < n && ch[i].group != g; i++)
				continue;
			for (j = i + 1; j < n && ch[j].group != g; j++)
				continue;
			if (j < n && rule_fit(ch, n, g, w1, &rule) == -1)
				with_rules = 0;
		}
	}

	for (g = 0; g < ngroups; g++) {
		o = NULL;
		for (i = 0; i < n; i++) {
			if (ch[i].group != g)
				continue;
			if (o == NULL) {
				if ((o = observance_new(ch[i].is_dst, ch[i].from, ch[i].to,
				    ch[i].at + ch[i].from)) == NULL)
					goto fail;
				icalcomponent_add_component(vtz, o);
				if (with_rules && rule_fit(ch, n, g, w1, &rule) == 0) {
					if (rule_format(&rule, rrule, sizeof(rrule)) == -1)
						goto fail;
					icalcomponent_add_property(o, icalproperty_new_rrule(
					    icalrecurrencetype_from_string(rrule)));
					break;
				}
				continue;
			}
			memset(&rd, 0, sizeof(rd));
			c = ical_civil_from_seconds(ch[i].at + ch[i].from);
			rd.time = ical_civil_to_icaltime(&c, 0);
			rd.period = icalperiodtype_null_period();
			if ((p = icalproperty_new_rdate(rd)) == NULL)
				goto fail;
			icalcomponent_add_property(o, p);
		}
	}
	return vtz;
fail:
	icalcomponent_free(vtz);
	return NULL;
}

/* 1 when the zone described by vtz gives ref's offsets at every probe in [t0, w1). */
static int
vtimezone_agrees(icalcomponent *vtz, icaltimezone *ref, const struct zone_change *ch,
    size_t n, int64_t t0, int64_t w1)
{
	icaltimezone	*mine;
	icalcomponent	*clone;
	int64_t		 t;
	size_t		 i;
	int		 ok = 1;

	if ((mine = icaltimezone_new()) == NULL)
		return 0;
	if ((clone = icalcomponent_new_clone(vtz)) == NULL ||
	    !icaltimezone_set_component(mine, clone)) {
		if (clone != NULL)
			icalcomponent_free(clone);
		icaltimezone_free(mine, 1);
		return 0;
	}
	/*
	 * The offset is constant between two changes (zone_changes found
	 * them), so one probe inside each interval and one on each side of
	 * every change prove the two agree, at a few dozen lookups instead
	 * of one per day for ten years (that was most of a message's cost).
	 */
	for (i = 0, t = t0; ok && t < w1; i++) {
		int64_t next = w1;

		while (i < n && ch[i].at <= t)
			i++;
		if (i < n && ch[i].at < w1)
			next = ch[i].at;
		ok = ical_zone_offset(mine, t + (next - t) / 2, NULL) ==
		    ical_zone_offset(ref, t + (next - t) / 2, NULL) &&
		    ical_zone_offset(mine, t, NULL) == ical_zone_offset(ref, t, NULL);
		t = next;
	}
	for (i = 0; ok && i < n; i++)
		ok = ch[i].at < t0 || (ical_zone_offset(mine, ch[i].at - 1, NULL) == ch[i].from &&
		    ical_zone_offset(mine, ch[i].at, NULL) == ch[i].to);
	icaltimezone_free(mine, 1);
	return ok;
}

/*
 * The VTIMEZONE for zone z named name, valid from t0 (UTC) on: a plain
 * IANA TZID (not libical's "/freeassociation.sourceforge.net/" one),
 * only the observances that matter from a year before t0 on, no TZUNTIL
 * (RFC 7808, unknown to RFC 5545 clients) and no offsets with seconds.
 * Checked against libical's reading of tzdata before it is used.
 */
icalcomponent *
ical_vtimezone_for(const char *name, icaltimezone *z, int64_t t0, struct result *r)
{
	struct zone_change	 ch[ZONE_MAX_CHANGES];
	icalcomponent		*vtz;
	struct civil		 c = ical_civil_from_seconds(t0);
	int64_t			 w0 = t0 - ZONE_LOOKBACK_SECONDS, w1;
	size_t			 n, i;
	int			 base, with_rules;

	c.year += ZONE_YEARS_AHEAD;
	if (c.month == 2 && c.day == 29)
		c.day = 28;
	w1 = ical_civil_seconds(&c);
	if (zone_changes(z, w0, w1, ch, &n) == -1) {
		result_set(r, RESULT_INVALID, "timezone",
		    "timezone \"%s\" changes its offset more than %d times in %d years",
		    name, ZONE_MAX_CHANGES, ZONE_YEARS_AHEAD);
		return NULL;
	}
	base = ical_zone_offset(z, w0, NULL);
	for (i = 0; i <= n; i++) {
		int off = i == n ? base : ch[i].to;

		if (off % 60 != 0) {
			result_set(r, RESULT_INVALID, "timezone",
			    "timezone \"%s\" has a UTC offset of %d seconds, not whole minutes",
			    name, off);
			return NULL;
		}
	}
	for (with_rules = 1; with_rules >= 0; with_rules--) {
		if ((vtz = vtimezone_make(name, ch, n, base, t0, w1, with_rules)) == NULL) {
			result_set(r, RESULT_IO, "timezone",
			    "cannot build a VTIMEZONE for \"%s\"", name);
			return NULL;
		}
		if (vtimezone_agrees(vtz, z, ch, n, t0, w1))
			return vtz;
		icalcomponent_free(vtz);
	}
	result_set(r, RESULT_IO, "timezone",
	    "the VTIMEZONE built for \"%s\" disagrees with tzdata", name);
	return NULL;
}
