/* ical_impl.h -- private to ical.c and ical_zone.c: civil time, UTC offsets and the VTIMEZONE builder. */
#ifndef FTS_ICAL_IMPL_H
#define FTS_ICAL_IMPL_H

#include <stdint.h>

#include <libical/ical.h>

#include "result.h"

/* A wall-clock time without zone. */
struct civil {
	int	 year, month, day, hour, minute, second;
};

/* RRULE BYDAY names, 0 = Sunday. */
extern const char *const ical_weekday_names[7];

/* Days in month m (1..12) of year y. */
int ical_month_days(int y, int m);
/* The civil time of Unix second t (as UTC). */
struct civil ical_civil_from_seconds(int64_t t);
/* c as seconds since 1970-01-01 00:00 (as UTC). */
int64_t ical_civil_seconds(const struct civil *c);
/* 0 = Sunday. */
int ical_weekday_of(int y, int m, int d);
/* c as libical's time, in UTC (Z) or floating for a TZID. */
struct icaltimetype ical_civil_to_icaltime(const struct civil *c, int utc);
/* z's UTC offset in seconds at UTC second t; *is_dst (may be NULL) says whether it is daylight time. */
int ical_zone_offset(icaltimezone *z, int64_t t, int *is_dst);
/* The VTIMEZONE of zone z named name, valid from t0 on (see ical_zone.c): NULL with r filled. */
icalcomponent *ical_vtimezone_for(const char *name, icaltimezone *z, int64_t t0, struct result *r);

#endif
