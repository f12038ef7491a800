/* test_text.c -- table-driven checks of shared/core/text.c: UTF-8, header safety, e-mail, zones, dates, integers. */
#include "autoconfig.h"

#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "text.h"
#include "unit.h"

struct bytes_case {
	const char	*name;
	const char	*s;
	size_t		 len;	/* 0: strlen(s) */
	int		 want;
};

#define B(name, s, want)	{ name, s, sizeof(s) - 1, want }
#define NCASES(a)		(sizeof(a) / sizeof((a)[0]))

/* Run a bytes_case table through fn; a wrong answer names the table and the case. */
static void
bytes_cases_run(const char *what, const struct bytes_case *c, size_t n,
    int (*fn)(const char *, size_t))
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (fn(c[i].s, c[i].len) != c[i].want)
			fail_msg("%s case \"%s\": want %d", what, c[i].name, c[i].want);
}

/* Cases in the spirit of Markus Kuhn's UTF-8 decoder stress test. */
static const struct bytes_case utf8_cases[] = {
	B("empty", "", 1),
	B("ascii", "hello, world", 1),
	B("nul is a valid scalar", "a\0b", 1),
	B("2-byte first U+0080", "\xc2\x80", 1),
	B("2-byte last U+07FF", "\xdf\xbf", 1),
	B("3-byte first U+0800", "\xe0\xa0\x80", 1),
	B("3-byte U+FFFD", "\xef\xbf\xbd", 1),
	B("3-byte last U+FFFF", "\xef\xbf\xbf", 1),
	B("4-byte first U+10000", "\xf0\x90\x80\x80", 1),
	B("4-byte last U+10FFFF", "\xf4\x8f\xbf\xbf", 1),
	B("greek kosme", "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5", 1),
	B("before surrogates U+D7FF", "\xed\x9f\xbf", 1),
	B("after surrogates U+E000", "\xee\x80\x80", 1),
	B("lone continuation 80", "\x80", 0),
	B("lone continuation bf", "\xbf", 0),
	B("continuations in a row", "\x80\xbf\x80", 0),
	B("lead then space", "\xc0 ", 0),
	B("e0 lead then space", "\xe0 ", 0),
	B("truncated 2-byte", "\xc3", 0),
	B("truncated 3-byte", "\xe2\x82", 0),
	B("truncated 4-byte", "\xf0\x9f\x98", 0),
	B("truncated at end after text", "abc\xe2", 0),
	B("overlong slash 2-byte", "\xc0\xaf", 0),
	B("overlong slash 3-byte", "\xe0\x80\xaf", 0),
	B("overlong slash 4-byte", "\xf0\x80\x80\xaf", 0),
	B("overlong max 2-byte", "\xc1\xbf", 0),
	B("overlong max 3-byte", "\xe0\x9f\xbf", 0),
	B("overlong max 4-byte", "\xf0\x8f\xbf\xbf", 0),
	B("overlong nul", "\xc0\x80", 0),
	B("surrogate U+D800", "\xed\xa0\x80", 0),
	B("surrogate U+DBFF", "\xed\xaf\xbf", 0),
	B("surrogate U+DC00", "\xed\xb0\x80", 0),
	B("surrogate U+DFFF", "\xed\xbf\xbf", 0),
	B("surrogate pair", "\xed\xa0\x80\xed\xb0\x80", 0),
	B("above U+10FFFF", "\xf4\x90\x80\x80", 0),
	B("f5 lead", "\xf5\x80\x80\x80", 0),
	B("5-byte form", "\xf8\x88\x80\x80\x80", 0),
	B("6-byte form", "\xfc\x84\x80\x80\x80\x80", 0),
	B("fe", "\xfe", 0),
	B("ff", "\xff", 0),
	B("bad continuation", "\xe2\x28\xa1", 0),
};

/* Every byte: the digits and both cases of a-f have their value, nothing else has one. */
static void
test_hex_value(void **state)
{
	static const char digits[] = "0123456789abcdef";
	int c, want;

	(void)state;
	for (c = -1; c < 256; c++) {
		want = c >= 0 && isxdigit(c) ? (int)(strchr(digits, tolower(c)) - digits) : -1;
		if (text_hex_value(c) != want)
			fail_msg("byte %d: %d, want %d", c, text_hex_value(c), want);
	}
	assert_int_equal(text_hex_value('F'), 15);
	assert_int_equal(text_hex_value('g'), -1);
}

/* Each byte as two lower-case digits, high nibble first, and read back by text_hex_value. */
static void
test_hex_encode(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x09, 0x0a, 0x7f, 0x80, 0xab, 0xff };
	char out[2 * sizeof(bytes) + 1];
	size_t i;

	(void)state;
	memset(out, 'x', sizeof(out));
	text_hex_encode(bytes, sizeof(bytes), out);
	assert_string_equal(out, "00090a7f80abff");
	for (i = 0; i < sizeof(bytes); i++)
		assert_int_equal(text_hex_value(out[2 * i]) * 16 + text_hex_value(out[2 * i + 1]), bytes[i]);
	text_hex_encode(bytes, 0, out);
	assert_string_equal(out, "");
}

static void
test_utf8(void **state)
{
	(void)state;
	bytes_cases_run("utf8", utf8_cases, NCASES(utf8_cases), text_utf8_valid);
	/* The length bounds the check: a bad byte past len is not read. */
	assert_int_equal(text_utf8_valid("ab\xff", 2), 1);
}

/* Encode cp as (generalised) UTF-8, surrogates included; returns the length. */
static size_t
ref_encode(uint32_t cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/*
 * Reference answer for one sequence of n bytes: valid exactly when it is
 * the shortest encoding of a scalar value (what RFC 3629 allows).
 */
static int
ref_valid(const unsigned char *s, size_t n)
{
	unsigned char	 again[4];
	uint32_t	 cp;
	size_t		 want, i;

	if (s[0] < 0x80)
		want = 1, cp = s[0];
	else if ((s[0] & 0xe0) == 0xc0)
		want = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		want = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		want = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (want != n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return ref_encode(cp, again) == n && memcmp(again, s, n) == 0;
}

/* Reference answer for a string: a concatenation of valid sequences. */
static int
ref_valid_string(const unsigned char *s, size_t len)
{
	size_t	 n;

	while (len > 0) {
		n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 :
		    (s[0] & 0xf0) == 0xe0 ? 3 : 4;
		if (n > len || !ref_valid(s, n))
			return 0;
		s += n;
		len -= n;
	}
	return 1;
}

/* Every 1-, 2- and 3-byte string, and every code point, against the reference. */
static void
test_utf8_exhaustive(void **state)
{
	unsigned char	 b[4];
	uint32_t	 cp, i;
	size_t		 n;

	(void)state;
	for (i = 0; i < 0x1000000; i++) {
		b[0] = (unsigned char)(i >> 16);
		b[1] = (unsigned char)(i >> 8);
		b[2] = (unsigned char)i;
		if (i < 0x100 &&
		    text_utf8_valid((const char *)b + 2, 1) != ref_valid_string(b + 2, 1))
			fail_msg("1-byte %02x", b[2]);
		if (i < 0x10000 &&
		    text_utf8_valid((const char *)b + 1, 2) != ref_valid_string(b + 1, 2))
			fail_msg("2-byte %02x %02x", b[1], b[2]);
		if (text_utf8_valid((const char *)b, 3) != ref_valid_string(b, 3))
			fail_msg("3-byte %02x %02x %02x", b[0], b[1], b[2]);
	}
	/* Up to a little past U+10FFFF, which must be refused. */
	for (cp = 0; cp <= 0x10ffff + 0x100; cp++) {
		n = ref_encode(cp, b);
		if (text_utf8_valid((const char *)b, n) !=
		    (cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff)))
			fail_msg("code point U+%04X", (unsigned)cp);
		/* A cut sequence is never valid. */
		if (n > 1 && text_utf8_valid((const char *)b, n - 1))
			fail_msg("code point U+%04X cut to %zu bytes", (unsigned)cp,
			    n - 1);
	}
}

static const struct bytes_case header_cases[] = {
	B("plain", "Contoso check-in", 1),
	B("utf-8", "S\xc3\xa3o Paulo", 1),
	B("tab", "a\tb", 1),
	B("cr", "a\rb", 0),
	B("lf", "a\nBcc: x@y.z", 0),
	B("nul", "a\0b", 0),
};

static const struct bytes_case printable_cases[] = {
	B("plain", "notes", 1),
	B("multi-line", "line 1\r\nline 2\n\tindented", 1),
	B("utf-8", "\xe2\x82\xac 5", 1),
	B("nul", "a\0b", 0),
	B("bell", "a\ab", 0),
	B("escape", "\x1b[31m", 0),
	B("del", "a\x7f", 0),
	B("c1 U+0085", "a\xc2\x85", 0),
	B("c1 U+009F", "\xc2\x9f", 0),
	B("U+00A0 is printable", "\xc2\xa0", 1),
};

static void
test_header_printable(void **state)
{
	(void)state;
	bytes_cases_run("header", header_cases, NCASES(header_cases), text_header_safe);
	bytes_cases_run("printable", printable_cases, NCASES(printable_cases), text_printable);
}

struct str_case {
	const char	*s;
	int		 want;
};

/* Run a str_case table through fn; a wrong answer names the table and the input. */
static void
str_cases_run(const char *what, const struct str_case *c, size_t n, int (*fn)(const char *))
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (fn(c[i].s) != c[i].want)
			fail_msg("%s \"%s\": want %d", what, c[i].s, c[i].want);
}

static const struct str_case email_cases[] = {
	{ "ana@contoso.com", 1 },
	{ "first.last+tag@sub.example.co.uk", 1 },
	{ "o'brien@example.ie", 1 },
	{ "x@a-b.io", 1 },
	{ "", 0 },
	{ "plainaddress", 0 },
	{ "@example.com", 0 },
	{ "ana@", 0 },
	{ "ana@localhost", 0 },
	{ "ana@@contoso.com", 0 },
	{ "ana@contoso@com.com", 0 },
	{ "ana smith@contoso.com", 0 },
	{ "ana@contoso .com", 0 },
	{ "\"ana\"@contoso.com", 0 },
	{ ".ana@contoso.com", 0 },
	{ "ana.@contoso.com", 0 },
	{ "a..na@contoso.com", 0 },
	{ "ana@contoso..com", 0 },
	{ "ana@.contoso.com", 0 },
	{ "ana@contoso.com.", 0 },
	{ "ana@-contoso.com", 0 },
	{ "ana@contoso-.com", 0 },
	{ "ana@con_toso.com", 0 },
	{ "ana@contoso.com\r\nBcc: x@y.z", 0 },
	{ "ana\n@contoso.com", 0 },
	{ "<ana@contoso.com>", 0 },
	{ "ana@contoso.com>", 0 },
	{ "ana\xc3\xa1@contoso.com", 0 },
};

static void
test_email(void **state)
{
	char	 big[300], l64[65], l63[64], l60[61];

	(void)state;
	memset(l64, 'a', 64);
	l64[64] = '\0';
	memset(l63, 'b', 63);
	l63[63] = '\0';
	memset(l60, 'c', 60);
	l60[60] = '\0';
	str_cases_run("email", email_cases, NCASES(email_cases), text_email_valid);
	assert_int_equal(text_email_valid(NULL), 0);

	/* Local part: 64 octets fit, 65 do not (RFC 5321 4.5.3.1.1). */
	snprintf(big, sizeof(big), "%s@example.com", l64);
	assert_int_equal(text_email_valid(big), 1);
	snprintf(big, sizeof(big), "a%s@example.com", l64);
	assert_int_equal(text_email_valid(big), 0);

	/* 254 octets in all is the most. */
	snprintf(big, sizeof(big), "%s@%s.%s.%.57s.io", l64, l63, l63, l60);
	assert_int_equal(strlen(big), 253);
	assert_int_equal(text_email_valid(big), 1);
	snprintf(big, sizeof(big), "%s@%s.%s.%.58s.io", l64, l63, l63, l60);
	assert_int_equal(strlen(big), 254);
	assert_int_equal(text_email_valid(big), 1);
	snprintf(big, sizeof(big), "%s@%s.%s.%.59s.io", l64, l63, l63, l60);
	assert_int_equal(strlen(big), 255);
	assert_int_equal(text_email_valid(big), 0);
	/* A label of 64 is too long. */
	snprintf(big, sizeof(big), "a@%s.com", l64);
	assert_int_equal(text_email_valid(big), 0);
}

static const struct str_case tz_cases[] = {
	{ "UTC", 1 },
	{ "Europe/Berlin", 1 },
	{ "America/Sao_Paulo", 1 },
	{ "America/Argentina/Buenos_Aires", 1 },
	{ "Etc/GMT+3", 1 },
	{ "Etc/UTC", 1 },
	{ "", 0 },
	{ "Mars/Olympus_Mons", 0 },
	{ "posix/Europe/Berlin", 0 },
	{ "right/UTC", 0 },
	{ "posixrules", 0 },
	{ "Factory", 0 },
	{ "localtime", 0 },
	{ "Europe/Berlin/", 0 },
	{ "Europe//Berlin", 0 },
	{ "/etc/passwd", 0 },
	{ "../../../etc/passwd", 0 },
	{ "Europe/../../../../etc/passwd", 0 },
	{ "Europe/..", 0 },
	{ "Europe", 0 },			/* a directory, not a file */
	{ "zone.tab", 0 },			/* a file, not TZif */
	{ "Europe/Berlin\n", 0 },
	{ "Europe/Berlin ", 0 },
	{ "Europe\\Berlin", 0 },
	{ "-Europe/Berlin", 0 },
	{ "Europe/Berlin;rm", 0 },
	{ "%s%s%s", 0 },
};

static void
test_timezone(void **state)
{
	char	 big[400];

	(void)state;
	str_cases_run("zone", tz_cases, NCASES(tz_cases), text_timezone_valid);
	assert_int_equal(text_timezone_valid(NULL), 0);
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(text_timezone_valid(big), 0);
}

struct date_case {
	const char	*s;
	int		 ok;
	int32_t		 day;
};

static const struct date_case date_cases[] = {
	{ "1970-01-01", 1, 0 },
	{ "1970-01-02", 1, 1 },
	{ "2000-02-29", 1, 11016 },		/* divisible by 400: leap */
	{ "2000-03-01", 1, 11017 },
	{ "2026-11-25", 1, 20782 },
	{ "2028-02-29", 1, 21243 },		/* divisible by 4: leap */
	{ "9999-12-31", 1, 2932896 },
	{ "2026-02-29", 0, 0 },
	{ "2026-02-30", 0, 0 },
	{ "2100-02-29", 0, 0 },			/* divisible by 100: not leap */
	{ "2026-04-31", 0, 0 },
	{ "2026-13-01", 0, 0 },
	{ "2026-00-10", 0, 0 },
	{ "2026-01-00", 0, 0 },
	{ "2026-01-32", 0, 0 },
	{ "1969-12-31", 0, 0 },
	{ "0000-01-01", 0, 0 },
	{ "10000-01-01", 0, 0 },
	{ "2026-1-01", 0, 0 },
	{ "2026/01/01", 0, 0 },
	{ "2026-01-01 ", 0, 0 },
	{ " 2026-01-01", 0, 0 },
	{ "2026-01-01T00:00", 0, 0 },
	{ "2026-0a-01", 0, 0 },
	{ "+026-01-01", 0, 0 },
	{ "", 0, 0 },
};

static void
test_dates(void **state)
{
	char	 buf[16];
	int32_t	 day;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(date_cases) / sizeof(date_cases[0]); i++) {
		const struct date_case *c = &date_cases[i];

		day = -7;
		if ((text_date_parse(c->s, &day) == 0) != c->ok)
			fail_msg("date \"%s\": want ok=%d", c->s, c->ok);
		if (!c->ok)
			continue;
		if (day != c->day)
			fail_msg("date \"%s\": day %d, want %d", c->s, (int)day,
			    (int)c->day);
		text_date_format(day, buf, sizeof(buf));
		assert_string_equal(buf, c->s);
	}
	assert_int_equal(text_date_parse(NULL, &day), -1);

	/* Every day round-trips, and consecutive days are consecutive numbers. */
	for (day = 0; day <= 2932896; day += 37) {
		int32_t	 back;

		text_date_format(day, buf, sizeof(buf));
		assert_int_equal(text_date_parse(buf, &back), 0);
		assert_int_equal(back, day);
	}
	text_date_format(-1, buf, sizeof(buf));
	assert_string_equal(buf, "0000-00-00");
}

static void
test_today(void **state)
{
	char	*before;
	/* 2026-11-25T23:30:00Z is day 20782 */
	time_t	 t = (time_t)20782 * 86400 + 23 * 3600 + 30 * 60;

	(void)state;
	assert_int_equal(text_date_today(NULL, t), 20782);
	assert_int_equal(text_date_today("UTC", t), 20782);
	/* Berlin is UTC+1 in November: already the 26th. */
	assert_int_equal(text_date_today("Europe/Berlin", t), 20783);
	/* Sao Paulo is UTC-3: still the 25th; at 01:00Z it is the 24th. */
	assert_int_equal(text_date_today("America/Sao_Paulo", t), 20782);
	assert_int_equal(text_date_today("America/Sao_Paulo",
	    (time_t)20782 * 86400 + 3600), 20781);
	/* Kiritimati is UTC+14. */
	assert_int_equal(text_date_today("Pacific/Kiritimati",
	    (time_t)20782 * 86400 + 10 * 3600 + 30 * 60), 20783);
	/* Unknown or hostile zones fall back to UTC. */
	assert_int_equal(text_date_today("../../etc/passwd", t), 20782);
	assert_int_equal(text_date_today("Mars/Base", t), 20782);

	/* The process' TZ is left as it was, set or unset. */
	setenv("TZ", "America/New_York", 1);
	(void)text_date_today("Asia/Tokyo", t);
	before = getenv("TZ");
	assert_non_null(before);
	assert_string_equal(before, "America/New_York");
	unsetenv("TZ");
	(void)text_date_today("Asia/Tokyo", t);
	assert_null(getenv("TZ"));
}

struct dt_case {
	const char	*s;
	int		 ok;
	int32_t		 day;
	int		 minute;
};

static const struct dt_case dt_cases[] = {
	{ "2026-12-01T10:00", 1, 20788, 600 },
	{ "2026-12-01T00:00", 1, 20788, 0 },
	{ "2026-12-01T23:59", 1, 20788, 1439 },
	{ "2028-02-29T09:30", 1, 21243, 570 },
	{ "2026-12-01T10:00:00", 1, 20788, 600 },
	{ "2026-12-01T10:00:30", 0, 0, 0 },
	{ "2026-12-01T24:00", 0, 0, 0 },
	{ "2026-12-01T10:60", 0, 0, 0 },
	{ "2026-12-01 10:00", 0, 0, 0 },
	{ "2026-12-01T10:00Z", 0, 0, 0 },
	{ "2026-12-01T1:00", 0, 0, 0 },
	{ "2026-02-30T10:00", 0, 0, 0 },
	{ "2026-12-01", 0, 0, 0 },
	{ "", 0, 0, 0 },
};

static void
test_local_datetime(void **state)
{
	int32_t	 day;
	int	 minute;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(dt_cases) / sizeof(dt_cases[0]); i++) {
		const struct dt_case *c = &dt_cases[i];

		if ((text_local_datetime_parse(c->s, &day, &minute) == 0) !=
		    c->ok)
			fail_msg("datetime \"%s\": want ok=%d", c->s, c->ok);
		if (c->ok && (day != c->day || minute != c->minute))
			fail_msg("datetime \"%s\": got %d/%d", c->s, (int)day,
			    minute);
	}
}

struct int_case {
	const char	*s;
	long long	 min, max;
	int		 ok;
	long long	 want;
};

static const struct int_case int_cases[] = {
	{ "0", 0, 10, 1, 0 },
	{ "10", 0, 10, 1, 10 },
	{ "007", 0, 10, 1, 7 },
	{ "-5", -10, 10, 1, -5 },
	{ "11", 0, 10, 0, 0 },
	{ "-1", 0, 10, 0, 0 },
	{ "", 0, 10, 0, 0 },
	{ "-", -10, 10, 0, 0 },
	{ "+5", 0, 10, 0, 0 },
	{ " 5", 0, 10, 0, 0 },
	{ "5 ", 0, 10, 0, 0 },
	{ "5x", 0, 10, 0, 0 },
	{ "0x10", 0, 100, 0, 0 },
	{ "1e3", 0, 10000, 0, 0 },
	{ "3.0", 0, 10, 0, 0 },
	{ "9223372036854775807", 0, 9223372036854775807LL, 1,
	    9223372036854775807LL },
	{ "9223372036854775808", 0, 9223372036854775807LL, 0, 0 },
	{ "-9223372036854775809", -9223372036854775807LL - 1, 0, 0, 0 },
	{ "99999999999999999999999", 0, 9223372036854775807LL, 0, 0 },
};

static void
test_int_parse(void **state)
{
	long long	 v;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(int_cases) / sizeof(int_cases[0]); i++) {
		const struct int_case *c = &int_cases[i];

		v = -42;
		if ((text_int_parse(c->s, c->min, c->max, &v) == 0) != c->ok)
			fail_msg("int \"%s\": want ok=%d", c->s, c->ok);
		if (c->ok && v != c->want)
			fail_msg("int \"%s\": got %lld", c->s, v);
		if (!c->ok && v != -42)
			fail_msg("int \"%s\": output written on failure", c->s);
	}
	assert_int_equal(text_int_parse(NULL, 0, 1, &v), -1);
}

static void
test_trim_copy(void **state)
{
	char	 s[32], small[4];

	(void)state;
	snprintf(s, sizeof(s), " \t key = value \r\n");
	assert_string_equal(text_trim(s), "key = value");
	snprintf(s, sizeof(s), "   ");
	assert_string_equal(text_trim(s), "");
	snprintf(s, sizeof(s), "x");
	assert_string_equal(text_trim(s), "x");
	/* Non-ASCII bytes are not white space. */
	snprintf(s, sizeof(s), "\xc2\xa0" "a");
	assert_string_equal(text_trim(s), "\xc2\xa0" "a");

	assert_int_equal(text_copy(small, sizeof(small), "abc"), 0);
	assert_string_equal(small, "abc");
	assert_int_equal(text_copy(small, sizeof(small), "abcd"), -1);
	assert_string_equal(small, "abc");
	assert_int_equal(text_copy(small, 0, "a"), -1);
}

/* Issue 9: lengths in code points; text with nothing visible. */
/*
 * A cut never splits a character: for a 2-, 3- and 4-byte character placed
 * so that the buffer ends on each of its bytes, the copy holds only whole
 * characters, stays valid UTF-8 and the cut is reported.
 */
static void
test_copy_utf8_cut(void **state)
{
	static const struct {
		const char	*ch;	/* one character */
		size_t		 len;
	} chars[] = {
		{ "\xc3\xa9", 2 },		/* é */
		{ "\xe2\x82\xac", 3 },		/* € */
		{ "\xf0\x9f\x98\x80", 4 },	/* 😀 */
	};
	char	 src[32], dst[16];
	size_t	 i, size;

	(void)state;
	for (i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		/* "ab" then the character then "z": sizes that end inside it. */
		snprintf(src, sizeof(src), "ab%sz", chars[i].ch);
		for (size = 3; size <= 2 + chars[i].len; size++) {
			memset(dst, 'X', sizeof(dst));
			assert_int_equal(text_copy(dst, size, src), -1);
			assert_string_equal(dst, "ab");
			assert_true(text_utf8_valid(dst, strlen(dst)));
		}
		/* Room for the whole character: it is kept, only "z" is cut. */
		assert_int_equal(text_copy(dst, 3 + chars[i].len, src), -1);
		assert_int_equal(strlen(dst), 2 + chars[i].len);
		assert_memory_equal(dst + 2, chars[i].ch, chars[i].len);
		assert_int_equal(text_copy(dst, 4 + chars[i].len, src), 0);
		assert_string_equal(dst, src);
		/* text_utf8_cut: the bytes to keep of at most max. */
		assert_int_equal(text_utf8_cut(src, 2 + chars[i].len - 1), 2);
		assert_int_equal(text_utf8_cut(src, 2 + chars[i].len), 2 + chars[i].len);
	}
	/* text_copy_fit copies what fits, and on a cut still leaves a valid, terminated prefix. */
	text_copy_fit(dst, sizeof(dst), "fits");
	assert_string_equal(dst, "fits");
	text_copy_fit(dst, 4, "ab\xc3\xa9");
	assert_string_equal(dst, "ab");
}

static void
test_chars_visible(void **state)
{
	static const struct { const char *s; size_t chars; int visible; } cases[] = {
		{ "", 0, 0 },
		{ "a", 1, 1 },
		{ " \t\n", 3, 0 },
		{ "\xc3\xa9", 1, 1 },				/* é */
		{ "\xf0\x9f\x98\x80", 1, 1 },			/* 😀 */
		{ "\xe2\x80\x8d", 1, 0 },			/* ZWJ */
		{ "\xe2\x80\x8c\xe2\x80\x8b", 2, 0 },		/* ZWNJ ZWSP */
		{ "\xef\xbb\xbf", 1, 0 },			/* BOM */
		{ "\xc2\xa0\xe3\x80\x80", 2, 0 },		/* NBSP, ideographic space */
		{ "\xc2\xad", 1, 0 },				/* soft hyphen */
		{ "\xe2\x81\xa0\xe2\x81\xa4", 2, 0 },		/* word joiner, invisible plus */
		{ "\xef\xb8\x8f", 1, 0 },			/* variation selector 16 */
		{ "\xe3\x85\xa4", 1, 0 },			/* Hangul filler */
		{ "\xf3\xa0\x80\x81\xf3\xa0\x81\xa1", 2, 0 },	/* tags */
		{ "\xe2\x80\xae", 1, 0 },			/* RLO */
		{ "\xe2\xa0\x80", 1, 0 },			/* Braille blank */
		{ "\xe2\x80\x8d" "a", 2, 1 },
		{ "\xe2\x80\x94", 1, 1 },			/* em dash */
		{ "\xe2\x80\x90", 1, 1 },			/* hyphen U+2010 */
		{ "\xe2\x80\xb0", 1, 1 },			/* per mille U+2030 */
		{ "\xe3\x81\x82", 1, 1 },			/* あ */
	};
	char	 big[1000];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_true(text_utf8_valid(cases[i].s, strlen(cases[i].s)));
		if (text_utf8_chars(cases[i].s, strlen(cases[i].s)) != cases[i].chars)
			fail_msg("case %zu: %zu characters, want %zu", i,
			    text_utf8_chars(cases[i].s, strlen(cases[i].s)), cases[i].chars);
		if (text_visible(cases[i].s, strlen(cases[i].s)) != cases[i].visible)
			fail_msg("case %zu: visible %d, want %d", i,
			    text_visible(cases[i].s, strlen(cases[i].s)), cases[i].visible);
	}
	/* 150 "é" are 300 bytes and 150 characters. */
	big[0] = '\0';
	for (i = 0; i < 150; i++)
		strcat(big, "\xc3\xa9");
	assert_int_equal(strlen(big), 300);
	assert_int_equal(text_utf8_chars(big, strlen(big)), 150);
}

/* Issue 13 item 12: search folds case and diacritics, Unicode-aware. */
static void
test_fold(void **state)
{
	static const struct {
		const char	*in, *want;
	} cases[] = {
		{ "S\xc3\x83O PAULO", "sao paulo" },
		{ "S\xc3\xa3o Paulo", "sao paulo" },
		{ "Sa\xcc\x83o", "sao" },				/* decomposed: a + U+0303 */
		{ "Kaffeehaus M\xc3\xbcller & S\xc3\xb6hne", "kaffeehaus muller & sohne" },
		{ "Stra\xc3\x9f" "e \xc3\x86gir \xc5\x92uvre", "strasse aegir oeuvre" },
		{ "\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz" },
		{ "\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91", "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1" },
		{ "\xd0\x9c\xd0\x9e\xd0\xa1\xd0\x9a\xd0\x92\xd0\x90", "\xd0\xbc\xd0\xbe\xd1\x81\xd0\xba\xd0\xb2\xd0\xb0" },
		{ "\xe6\x9d\xb1\xe4\xba\xac 2 \xc3\x97 3", "\xe6\x9d\xb1\xe4\xba\xac 2 \xc3\x97 3" },
		{ "a\xff" "b\xc3", "ab" },					/* stray bytes dropped */
		{ "", "" },
	};
	char	 out[64];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(text_fold(cases[i].in, out, sizeof(out)), 0);
		if (strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu: fold(\"%s\") is \"%s\", want \"%s\"", i, cases[i].in, out,
			    cases[i].want);
	}
	/* Cut at a character: "ã" folds to one byte but "æ" to two, never half. */
	assert_int_equal(text_fold("\xc3\xa6\xc3\xa6", out, 4), -1);
	assert_string_equal(out, "ae");
	assert_int_equal(text_fold("x", out, 1), -1);
	assert_string_equal(out, "");
}

UNIT_MAIN("text",
	cmocka_unit_test(test_fold),
	cmocka_unit_test(test_hex_value),
	cmocka_unit_test(test_hex_encode),
	cmocka_unit_test(test_utf8),
	cmocka_unit_test(test_utf8_exhaustive),
	cmocka_unit_test(test_header_printable),
	cmocka_unit_test(test_email),
	cmocka_unit_test(test_timezone),
	cmocka_unit_test(test_dates),
	cmocka_unit_test(test_today),
	cmocka_unit_test(test_local_datetime),
	cmocka_unit_test(test_int_parse),
	cmocka_unit_test(test_trim_copy),
	cmocka_unit_test(test_copy_utf8_cut),
	cmocka_unit_test(test_chars_visible),
)
