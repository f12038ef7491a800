/* text.c -- checks and conversions for untrusted text: UTF-8, dates, zones, e-mail, integers. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "text.h"

/* Where tzset(3) looks for zone files; glibc honours $TZDIR, so do we. */
#define TEXT_ZONEINFO_DIR	"/usr/share/zoneinfo"

/* Day numbers of 1970-01-01 and 9999-12-31: the range text_date_parse accepts. */
#define TEXT_DAY_MIN	0
#define TEXT_DAY_MAX	2932896

int
text_hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

void
text_hex_encode(const unsigned char *p, size_t len, char *out)
{
	static const char	 digits[] = "0123456789abcdef";
	size_t			 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0x0f];
	}
	out[2 * len] = '\0';
}

int
text_utf8_valid(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, n, k;
	unsigned long		 cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		/*
		 * RFC 3629 section 4: C0, C1 and F5..FF never appear; the
		 * minimum code point per length rules out overlong forms,
		 * and D800..DFFF (surrogates) are not scalar values.
		 */
		if (s[i] >= 0xc2 && s[i] <= 0xdf) {
			n = 1;
			cp = s[i] & 0x1f;
			min = 0x80;
		} else if (s[i] >= 0xe0 && s[i] <= 0xef) {
			n = 2;
			cp = s[i] & 0x0f;
			min = 0x800;
		} else if (s[i] >= 0xf0 && s[i] <= 0xf4) {
			n = 3;
			cp = s[i] & 0x07;
			min = 0x10000;
		} else
			return 0;
		if (len - i - 1 < n)
			return 0;	/* truncated sequence */
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

size_t
text_utf8_chars(const char *s, size_t len)
{
	size_t	 i, n = 0;

	/* Every code point has exactly one byte that is not a continuation (10xxxxxx). */
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* Next code point of valid UTF-8 at s[*i], advancing *i. */
static unsigned long
text_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	unsigned long	 cp = s[*i];
	size_t		 n = 0, k;

	if (cp >= 0xf0) {
		n = 3;
		cp &= 0x07;
	} else if (cp >= 0xe0) {
		n = 2;
		cp &= 0x0f;
	} else if (cp >= 0xc0) {
		n = 1;
		cp &= 0x1f;
	}
	(*i)++;
	for (k = 0; k < n && *i < len; k++, (*i)++)
		cp = (cp << 6) | (s[*i] & 0x3f);
	return cp;
}

/*
 * Code points that draw nothing on their own: Unicode White_Space, the
 * general categories Cc (controls) and Cf (format), plus the default
 * ignorables a name could be built from (variation selectors, Hangul
 * fillers, the combining grapheme joiner) and the Braille blank.
 * Ranges are inclusive and sorted.
 */
static const struct {
	unsigned long	 lo, hi;
} text_invisible[] = {
	{ 0x0000, 0x0020 }, { 0x007f, 0x00a0 }, { 0x00ad, 0x00ad },
	{ 0x034f, 0x034f }, { 0x061c, 0x061c }, { 0x115f, 0x1160 },
	{ 0x1680, 0x1680 }, { 0x17b4, 0x17b5 }, { 0x180b, 0x180f },
	{ 0x2000, 0x200f }, { 0x2028, 0x202f }, { 0x205f, 0x206f },
	{ 0x2800, 0x2800 }, { 0x3000, 0x3000 }, { 0x3164, 0x3164 },
	{ 0xfe00, 0xfe0f }, { 0xfeff, 0xfeff }, { 0xffa0, 0xffa0 },
	{ 0xfff0, 0xfffb }, { 0x1bca0, 0x1bca3 }, { 0x1d173, 0x1d17a },
	{ 0xe0000, 0xe0fff },
};

int
text_visible(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i = 0, k;
	unsigned long		 cp;

	while (i < len) {
		cp = text_utf8_next(s, len, &i);
		for (k = 0; k < sizeof(text_invisible) / sizeof(text_invisible[0]); k++)
			if (cp >= text_invisible[k].lo && cp <= text_invisible[k].hi)
				break;
		if (k == sizeof(text_invisible) / sizeof(text_invisible[0]))
			return 1;
	}
	return 0;
}

size_t
text_utf8_cut(const char *s, size_t max)
{
	const unsigned char	*u = (const unsigned char *)s;
	size_t			 n = max;

	/* Back over continuation bytes (10xxxxxx) to the lead byte of the character at max. */
	while (n > 0 && (u[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void
text_copy_fit(char *dst, size_t size, const char *src)
{
	if (text_copy(dst, size, src) == -1)
		log_errorx("text: a value of %zu bytes was cut to fit %zu bytes; "
		    "its checked limit and its buffer disagree", strlen(src), size);
}

int
text_header_safe(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return 0;
	return 1;
}

int
text_printable(const char *str, size_t len)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t' || s[i] == '\r' || s[i] == '\n')
			continue;
		if (s[i] < 0x20 || s[i] == 0x7f)
			return 0;
		/* C1 controls U+0080..U+009F, as UTF-8 they are C2 80..C2 9F. */
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

/* RFC 5322 section 3.2.3 atext, which is what a dot-atom local part may hold. */
static int
text_is_atext(int c)
{
	if (isascii(c) && isalnum(c))
		return 1;
	return c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

int
text_email_valid(const char *s)
{
	const char	*at, *p, *label;
	size_t		 len, locallen, labellen;
	int		 dots = 0;

	if (s == NULL)
		return 0;
	/* RFC 5321 section 4.5.3.1.3: a path is at most 256 octets with its <>. */
	len = strlen(s);
	if (len == 0 || len > 254)
		return 0;
	at = strchr(s, '@');
	if (at == NULL || strchr(at + 1, '@') != NULL)
		return 0;

	/* Local part: dot-atom only (no quoted strings), 1..64 octets. */
	locallen = (size_t)(at - s);
	if (locallen == 0 || locallen > 64 || s[0] == '.' || at[-1] == '.')
		return 0;
	for (p = s; p < at; p++) {
		if (*p == '.') {
			if (p[1] == '.')
				return 0;
			continue;
		}
		if (!text_is_atext((unsigned char)*p))
			return 0;
	}

	/* Domain: LDH labels of 1..63 octets, at least two of them. */
	label = at + 1;
	for (p = label;; p++) {
		if (*p == '.' || *p == '\0') {
			labellen = (size_t)(p - label);
			if (labellen == 0 || labellen > 63 ||
			    label[0] == '-' || p[-1] == '-')
				return 0;
			if (*p == '\0')
				break;
			dots++;
			label = p + 1;
			continue;
		}
		if (!(isascii((unsigned char)*p) && isalnum((unsigned char)*p)) &&
		    *p != '-')
			return 0;
	}
	return dots > 0;
}

int
text_timezone_valid(const char *name)
{
	const char	*dir, *p;
	char		 path[1024], magic[4];
	struct stat	 st;
	size_t		 len;
	ssize_t		 n;
	int		 fd, ok;

	if (name == NULL)
		return 0;
	if (strcmp(name, "UTC") == 0)
		return 1;
	len = strlen(name);
	/* A zone name is a relative path inside the zoneinfo directory. */
	if (len == 0 || len > 255 || name[0] == '/' || name[len - 1] == '/' ||
	    name[0] == '-' || strstr(name, "..") != NULL ||
	    strstr(name, "//") != NULL)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!(isascii((unsigned char)*p) && isalnum((unsigned char)*p)) &&
		    strchr("_+-/", *p) == NULL)
			return 0;
	/*
	 * The zoneinfo directory also holds files that are not zone names a
	 * calendar client knows: the "posix/" and "right/" trees (the latter
	 * counts leap seconds), "posixrules", "localtime", "Factory".
	 */
	if (strncmp(name, "posix/", 6) == 0 || strncmp(name, "right/", 6) == 0 ||
	    strcmp(name, "posixrules") == 0 || strcmp(name, "localtime") == 0 ||
	    strcmp(name, "Factory") == 0)
		return 0;

	dir = getenv("TZDIR");
	if (dir == NULL || *dir == '\0')
		dir = TEXT_ZONEINFO_DIR;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >=
	    sizeof(path))
		return 0;
	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return 0;
	/* RFC 8536 section 3.1: every TZif file starts with "TZif". */
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return 0;
	n = read(fd, magic, sizeof(magic));
	ok = n == (ssize_t)sizeof(magic) && memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

/*
 * Days since 1970-01-01 of a proleptic Gregorian date, and back; the
 * algorithms are Howard Hinnant's "chrono-compatible low-level date
 * algorithms", which need no tables and no time zone.
 */
int64_t
text_days_from_civil(int y, int m, int d)
{
	int64_t		 yy, era, yoe, doy, doe;

	yy = (int64_t)y - (m <= 2);
	era = (yy >= 0 ? yy : yy - 399) / 400;
	yoe = yy - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int
text_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t		 era, doe, yoe, doy, mp, yy;

	/* Beyond +-5 million years the year would not fit an int (and no caller means it). */
	if (z < -(INT64_C(2000000000)) || z > INT64_C(2000000000))
		return -1;
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	/* Day 1..31, month 1..12 by construction; the year is bounded by the check above. */
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	yy = yoe + era * 400 + (*m <= 2);
	*y = (int)yy;
	return 0;
}

static int
text_days_in_month(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/* Exactly n ASCII digits at s, as a number; -1 otherwise. */
static int
text_digits(const char *s, int n)
{
	int	 i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* "YYYY-MM-DD" at the start of s (no more is read); 0 and *day, or -1. */
static int
text_date_prefix(const char *s, int32_t *day)
{
	int	 y, m, d;

	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return -1;
	y = text_digits(s, 4);
	m = text_digits(s + 5, 2);
	d = text_digits(s + 8, 2);
	if (y < 1970 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > text_days_in_month(y, m))
		return -1;
	/* Years 1970..9999: the day number fits int32_t. */
	*day = (int32_t)text_days_from_civil(y, m, d);
	return 0;
}

int
text_date_parse(const char *s, int32_t *day)
{
	if (s == NULL || strlen(s) != 10)
		return -1;
	return text_date_prefix(s, day);
}

void
text_date_format(int32_t day, char *buf, size_t size)
{
	int	 y, m, d;

	if (size == 0)
		return;
	if (day < TEXT_DAY_MIN || day > TEXT_DAY_MAX) {
		/* Not a date we ever produce; say so instead of a wrong one. */
		snprintf(buf, size, "%s", "0000-00-00");
		return;
	}
	(void)text_civil_from_days(day, &y, &m, &d);	/* in range: checked above */
	snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

/* Day number of a broken-down time from gmtime_r/localtime_r. */
static int32_t
text_day_of_tm(const struct tm *tm)
{
	/* A year from gmtime_r/localtime_r of a time_t we were given: days fit int32_t. */
	return (int32_t)text_days_from_civil(tm->tm_year + 1900, tm->tm_mon + 1,
	    tm->tm_mday);
}

int32_t
text_date_today(const char *tz, time_t now)
{
	struct tm	 tm;
	char		*saved = NULL, zone[300];
	const char	*old;
	int32_t		 day;

	if (tz == NULL || !text_timezone_valid(tz) || strcmp(tz, "UTC") == 0) {
		if (gmtime_r(&now, &tm) == NULL)
			return TEXT_DAY_MIN;
		return text_day_of_tm(&tm);
	}

	/*
	 * The C library is the one tested reader of TZif files and their
	 * POSIX-rule footers, so switch TZ around localtime_r rather than
	 * parse zone files here.  This changes process state for the length
	 * of the call: it is safe because both programs are single-threaded
	 * (the FastCGI server pre-forks processes, never threads).  The
	 * leading ':' makes glibc read the name as a file, never as a rule.
	 */
	old = getenv("TZ");
	if (old != NULL && (saved = strdup(old)) == NULL)
		return text_date_today(NULL, now);
	snprintf(zone, sizeof(zone), ":%s", tz);
	if (setenv("TZ", zone, 1) == -1) {
		free(saved);
		return text_date_today(NULL, now);
	}
	tzset();
	if (localtime_r(&now, &tm) == NULL)
		day = text_date_today(NULL, now);
	else
		day = text_day_of_tm(&tm);
	if (saved != NULL)
		setenv("TZ", saved, 1);
	else
		unsetenv("TZ");
	tzset();
	free(saved);
	return day;
}

int
text_local_datetime_parse(const char *s, int32_t *day, int *minute_of_day)
{
	size_t	 len;
	int	 h, m, sec;

	if (s == NULL)
		return -1;
	/*
	 * HTML datetime-local sends "YYYY-MM-DDTHH:MM", and ":SS" when the
	 * field allows seconds; seconds are accepted but must be 00 so that
	 * nothing the user typed is silently dropped.
	 */
	len = strlen(s);
	if (len != 16 && len != 19)
		return -1;
	if (s[10] != 'T' || s[13] != ':')
		return -1;
	h = text_digits(s + 11, 2);
	m = text_digits(s + 14, 2);
	if (h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	if (len == 19) {
		sec = text_digits(s + 17, 2);
		if (s[16] != ':' || sec != 0)
			return -1;
	}
	if (text_date_prefix(s, day) == -1)
		return -1;
	*minute_of_day = h * 60 + m;
	return 0;
}

char *
text_trim(char *s)
{
	size_t	 len, start = 0;

	len = strlen(s);
	while (len > 0 && isascii((unsigned char)s[len - 1]) &&
	    isspace((unsigned char)s[len - 1]))
		len--;
	while (start < len && isascii((unsigned char)s[start]) &&
	    isspace((unsigned char)s[start]))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
	return s;
}

int
text_copy(char *dst, size_t size, const char *src)
{
	size_t	 len;

	if (size == 0)
		return -1;
	len = strlen(src);
	if (len >= size) {
		len = text_utf8_cut(src, size - 1);
		memcpy(dst, src, len);
		dst[len] = '\0';
		return -1;
	}
	memcpy(dst, src, len + 1);
	return 0;
}

int
text_int_parse(const char *s, long long min, long long max, long long *out)
{
	const char	*p;
	long long	 v;
	char		*end;

	if (s == NULL)
		return -1;
	/* strtoll alone would also take leading space and a '+'. */
	p = s[0] == '-' ? s + 1 : s;
	if (*p < '0' || *p > '9')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* ---------------------------------------------------------------- search folding */

/*
 * U+00C0..U+017F folded to one ASCII letter each (the NFD base letter, lower
 * case), one per code point in order: '.' keeps the character (× and ÷),
 * '+' folds to two letters, found in fold_pairs.
 */
static const char fold_latin[] =
    "aaaaaa+ceeeeiiiidnooooo.ouuuuy++aaaaaa+ceeeeiiiidnooooo.ouuuuy+y"	/* U+00C0 */
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii++jjkkkllllll"	/* U+0100 */
    "llllnnnnnnnnnoooooo++rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";	/* U+013F */
static const struct {
	unsigned short	 cp;
	char		 to[3];
} fold_pairs[] = {
	{ 0xc6, "ae" }, { 0xde, "th" }, { 0xdf, "ss" }, { 0xe6, "ae" }, { 0xfe, "th" },
	{ 0x132, "ij" }, { 0x133, "ij" }, { 0x152, "oe" }, { 0x153, "oe" },
};

/* The code point at s[*i] (valid UTF-8 or not): *i moves past it; -1 for a stray byte. */
static long
utf8_next(const unsigned char *s, size_t len, size_t *i)
{
	size_t	 n, k;
	long	 cp;

	if (s[*i] < 0x80)
		return s[(*i)++];
	if (s[*i] >= 0xc2 && s[*i] <= 0xdf)
		n = 1, cp = s[*i] & 0x1f;
	else if (s[*i] >= 0xe0 && s[*i] <= 0xef)
		n = 2, cp = s[*i] & 0x0f;
	else if (s[*i] >= 0xf0 && s[*i] <= 0xf4)
		n = 3, cp = s[*i] & 0x07;
	else {
		(*i)++;
		return -1;
	}
	if (len - *i - 1 < n) {
		(*i)++;
		return -1;
	}
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80) {
			(*i)++;
			return -1;
		}
		cp = (cp << 6) | (s[*i + k] & 0x3f);
	}
	*i += n + 1;
	return cp;
}

/* The folded form of code point cp into f (at most 4 bytes + NUL); its length, 0 to drop it. */
static size_t
fold_one(long cp, char f[8])
{
	size_t	 i;

	/* Combining marks (U+0300..U+036F) of decomposed (NFD) text: "a" + U+0303 is "a". */
	if (cp >= 0x300 && cp <= 0x36f)
		return 0;
	if (cp >= 'A' && cp <= 'Z')
		cp += 'a' - 'A';
	else if (cp >= 0xc0 && cp < 0x180 && fold_latin[cp - 0xc0] == '+') {
		for (i = 0; fold_pairs[i].cp != cp; i++)
			;
		return (size_t)snprintf(f, 8, "%s", fold_pairs[i].to);
	} else if (cp >= 0xc0 && cp < 0x180 && fold_latin[cp - 0xc0] != '.')
		cp = fold_latin[cp - 0xc0];
	else if ((cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) || (cp >= 0x410 && cp <= 0x42f))
		cp += 0x20;	/* Greek and Cyrillic capitals */
	else if (cp >= 0x400 && cp <= 0x40f)
		cp += 0x50;	/* Cyrillic Ѐ..Џ */
	if (cp < 0x80) {
		f[0] = (char)cp;
		f[1] = '\0';
		return 1;
	}
	if (cp < 0x800) {
		f[0] = (char)(0xc0 | (cp >> 6));
		f[1] = (char)(0x80 | (cp & 0x3f));
		f[2] = '\0';
		return 2;
	}
	if (cp < 0x10000) {
		f[0] = (char)(0xe0 | (cp >> 12));
		f[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		f[2] = (char)(0x80 | (cp & 0x3f));
		f[3] = '\0';
		return 3;
	}
	f[0] = (char)(0xf0 | (cp >> 18));
	f[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	f[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	f[3] = (char)(0x80 | (cp & 0x3f));
	f[4] = '\0';
	return 4;
}

int
text_fold(const char *str, char *out, size_t size)
{
	const unsigned char	*s = (const unsigned char *)str;
	size_t			 len = strlen(str), i = 0, o = 0, n;
	long			 cp;
	char			 f[8];

	if (size == 0)
		return -1;
	while (i < len) {
		if ((cp = utf8_next(s, len, &i)) < 0)
			continue;
		n = fold_one(cp, f);
		if (o + n >= size) {
			out[o] = '\0';
			return -1;
		}
		memcpy(out + o, f, n);
		o += n;
	}
	out[o] = '\0';
	return 0;
}
