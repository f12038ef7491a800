/* text.h -- checks and conversions for untrusted text: UTF-8, dates, zones, e-mail. */
#ifndef FTS_TEXT_H
#define FTS_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* 1 when s[0..len) is well-formed UTF-8 (no overlongs, surrogates or > U+10FFFF), else 0. */
int text_utf8_valid(const char *s, size_t len);

/* The value of hex digit c (0-9, a-f, A-F), or -1: percent-encoding, quoted-printable, JSON \uXXXX escapes. */
int text_hex_value(int c);

/* Lower-case hex of p[0..len) into out (at least 2 * len + 1 bytes), NUL-terminated. */
void text_hex_encode(const unsigned char *p, size_t len, char *out);

/* Characters (Unicode code points) in s[0..len), which must be valid UTF-8: the unit of every length limit. */
size_t text_utf8_chars(const char *s, size_t len);

/*
 * Bytes of s (at least max long) to keep so that s[0..n) ends on a character
 * boundary, n <= max: where a copy into max bytes may cut without splitting
 * a UTF-8 sequence.
 */
size_t text_utf8_cut(const char *s, size_t max);

/*
 * text_copy for a value already checked to fit (a form or config limit is
 * smaller than the buffer; precondition of the caller).  Should it not fit
 * after all, the cut (on a character boundary) is logged as an error naming
 * both sizes: a limit and its buffer disagree, which is a bug to fix.
 */
void text_copy_fit(char *dst, size_t size, const char *src);

/*
 * 1 when valid UTF-8 s[0..len) holds at least one visible character, else 0:
 * text made only of white space (ASCII, NBSP, the U+2000 spaces, ideographic
 * space ...), format characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM, bidi
 * controls, tags), control characters, variation selectors and Hangul
 * fillers shows as nothing and is refused where a name is needed.
 */
int text_visible(const char *s, size_t len);

/* 1 when s contains no CR, LF or NUL within len bytes (safe for a mail header), else 0. */
int text_header_safe(const char *s, size_t len);

/* 1 when s has no control character other than TAB, CR, LF (for multi-line text), else 0.
 * DEL and the C1 controls U+0080..U+009F (as UTF-8) count as control characters. */
int text_printable(const char *s, size_t len);

/* 1 for a plausible address local@domain.tld (RFC 5321 shape, no spaces or controls, <= 254).
 * ASCII only: dot-atom local part of 1..64 octets, at least two LDH labels of 1..63. */
int text_email_valid(const char *s);

/* 1 for an IANA zone name known to this system (e.g. "Europe/Berlin", "UTC"): a name of
 * [A-Za-z0-9_+-/] with no "..", no leading '/', naming a TZif file under $TZDIR or
 * /usr/share/zoneinfo, and not one of its non-zone entries (posix/, right/, posixrules,
 * localtime, Factory).  "UTC" is always valid. */
int text_timezone_valid(const char *name);

/*
 * Dates are "YYYY-MM-DD" and are handled as a day number (days since
 * 1970-01-01) so arithmetic and comparison need no time zone.
 * Returns 0 and sets *day, or -1 when the text is not a real calendar date.
 */
int text_date_parse(const char *s, int32_t *day);
/*
 * The one civil-date arithmetic of the tree (Howard Hinnant's algorithms,
 * proleptic Gregorian, no tables, no zone): days since 1970-01-01 of y-m-d,
 * and back (-1 for a day number beyond +-2e9, whose year would not fit).
 */
int64_t text_days_from_civil(int y, int m, int d);
int text_civil_from_days(int64_t day, int *y, int *m, int *d);
/* Write day as "YYYY-MM-DD" into buf (at least 11 bytes); "0000-00-00" outside 1970..9999. */
void text_date_format(int32_t day, char *buf, size_t size);
/* Today in the given zone (NULL = UTC) at time now; an invalid zone counts as UTC.
 * Switches $TZ for the call and restores it: call from single-threaded code only. */
int32_t text_date_today(const char *tz, time_t now);

/* "YYYY-MM-DDTHH:MM" (local wall-clock time, no zone): 0 and fills the parts, or -1.
 * A trailing ":00" (as browsers may send) is accepted; other seconds are refused. */
int text_local_datetime_parse(const char *s, int32_t *day, int *minute_of_day);

/* Trim leading and trailing ASCII white space in place; returns s. */
char *text_trim(char *s);

/*
 * Bounded copy that always NUL-terminates; returns -1 when src was cut, else
 * 0.  A cut falls on a character boundary (never inside a UTF-8 sequence),
 * so the copy stays valid UTF-8 when src was.  Check the result: a silent
 * cut stores a different value from the one that was checked.
 */
int text_copy(char *dst, size_t size, const char *src);

/* Parse a decimal integer in [min,max] with nothing else around it (optional leading '-',
 * no '+', no spaces, overflow refused): 0 and *out, or -1 with *out untouched. */
int text_int_parse(const char *s, long long min, long long max, long long *out);

/*
 * Fold str for search, so "SÃO PAULO", "Sao Paulo" and "são paulo" match
 * and "muller" finds "Müller": lower case and no diacritics for Latin
 * (Latin-1, Extended-A and the combining marks of decomposed text), lower
 * case for Greek and Cyrillic capitals; other characters are copied and
 * stray bytes dropped.  The store keeps this form of each customer's name
 * and domain, so every backend searches the same way.  out is always
 * NUL-terminated; 0, or -1 when it was cut (at a character).
 */
int text_fold(const char *str, char *out, size_t size);

#endif
