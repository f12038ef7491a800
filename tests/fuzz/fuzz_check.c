/* fuzz_check.c -- the output invariants the mail and calendar fuzz targets assert (header and calendar injection). */
/*
 * The invariants are the promises the boundary functions make (mail.h,
 * ical.h): a fuzz input that breaks one is a header or property injection,
 * so it aborts like any other crash and libFuzzer keeps the input.
 */
#include "autoconfig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_check.h"

void
fuzz_fail(const char *what, const char *s, size_t len)
{
	fprintf(stderr, "fuzz invariant broken: %s in:\n%.*s\n", what,
	    len > 2000 ? 2000 : (int)len, s);
	abort();
}

void
fuzz_assert_header(const char *s, size_t len)
{
	size_t	 i, line = 0;
	int	 colon = 0;

	for (i = 0; i < len; i++) {
		if (s[i] == '\0')
			fuzz_fail("NUL in a header", s, len);
		if (s[i] == '\n')
			fuzz_fail("LF without CR in a header", s, len);
		if (s[i] == '\r') {
			if (i + 2 >= len || s[i + 1] != '\n' || (s[i + 2] != ' ' && s[i + 2] != '\t'))
				fuzz_fail("CR that is not a fold (CRLF SP) in a header", s, len);
			if (!colon)
				fuzz_fail("fold before the field name's colon", s, len);
			i++;
			line = 0;
			continue;
		}
		if (s[i] == ':')
			colon = 1;
		else if (!colon && !((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			fuzz_fail("header field name that is not a token", s, len);
		if (++line > 998)
			fuzz_fail("header line over 998 octets", s, len);
	}
	if (!colon)
		fuzz_fail("header without a colon", s, len);
}

void
fuzz_assert_calendar(const char *s, size_t len)
{
	size_t		 i, start, n, vevents = 0;
	const char	*p;

	for (start = 0; start < len; start = i + 2) {
		for (i = start; i < len && s[i] != '\r' && s[i] != '\n' && s[i] != '\0'; i++)
			;
		if (i == len)
			fuzz_fail("calendar not ending in CRLF", s, len);
		if (s[i] != '\r' || i + 1 >= len || s[i + 1] != '\n')
			fuzz_fail("bare CR, LF or NUL in a calendar", s, len);
		n = i - start;
		if (n > 75)
			fuzz_fail("calendar line over 75 octets", s, len);
		if (n == 0)
			fuzz_fail("empty calendar line", s, len);
		if (s[start] == ' ')
			continue;	/* a continuation */
		for (p = s + start; p < s + i && ((*p >= 'A' && *p <= 'Z') ||
		    (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'); p++)
			;
		if (p == s + start || p == s + i || (*p != ':' && *p != ';'))
			fuzz_fail("calendar line that is not NAME: or NAME;", s, len);
		if (n == 12 && memcmp(s + start, "BEGIN:VEVENT", 12) == 0)
			vevents++;
	}
	if (vevents != 1)
		fuzz_fail("not exactly one VEVENT", s, len);
}
