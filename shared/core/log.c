/* log.c -- one line per event on stderr, written with a single write(2) so workers never interleave. */
#include "autoconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* Longest line written; longer messages end in "..." (PIPE_BUF is 4096 on Linux). */
#define LOG_LINE_MAX	4096

/* Process-wide logging state, set once at start by log_init(). */
static char		 log_progname[64] = "ftsuccess";
static enum log_level	 log_min = LOG_LEVEL_INFO;

static const char *const log_level_names[] = {
	"debug", "info", "warn", "error"
};

int
log_level_parse(const char *name, enum log_level *level)
{
	size_t	 i;

	if (name == NULL)
		return -1;
	for (i = 0; i < sizeof(log_level_names) / sizeof(log_level_names[0]);
	    i++) {
		if (strcmp(name, log_level_names[i]) == 0) {
			*level = (enum log_level)i;
			return 0;
		}
	}
	return -1;
}

void
log_init(const char *progname, enum log_level min)
{
	const char	*env, *slash;
	enum log_level	 level;

	if (progname != NULL) {
		slash = strrchr(progname, '/');
		snprintf(log_progname, sizeof(log_progname), "%s",
		    slash != NULL ? slash + 1 : progname);
	}
	log_min = min;
	env = getenv("FTSUCCESS_LOG_LEVEL");
	if (env == NULL || *env == '\0')
		return;
	if (log_level_parse(env, &level) == 0) {
		log_min = level;
		return;
	}
	/* Say so whatever the level: a typo must not silently hide logs. */
	log_min = LOG_LEVEL_DEBUG;
	log_warnx("log: ignoring FTSUCCESS_LOG_LEVEL=%s, "
	    "want debug, info, warn or error", env);
	log_min = min;
}

/*
 * Append msg to line at *at, escaping control characters so that one event
 * stays one line whatever the message holds.  Stops before passing end;
 * returns -1 when msg was cut, else 0.
 */
static int
log_escape_into(char *line, size_t *at, size_t end, const char *msg)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	char			 esc[4];
	size_t			 n;

	for (p = (const unsigned char *)msg; *p != '\0'; p++) {
		if (*p >= 0x20 && *p != 0x7f) {
			esc[0] = (char)*p;
			n = 1;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			esc[0] = '\\';
			esc[1] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
			n = 2;
		} else {
			esc[0] = '\\';
			esc[1] = 'x';
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 0xf];
			n = 4;
		}
		if (*at + n > end)
			return -1;
		memcpy(line + *at, esc, n);
		*at += n;
	}
	return 0;
}

static void
log_vwrite(enum log_level level, const char *fmt, va_list ap,
    const char *suffix)
{
	char		 line[LOG_LINE_MAX], msg[LOG_LINE_MAX];
	struct tm	 tm;
	struct timespec	 ts;
	size_t		 at, mlen, slen;
	ssize_t		 w;
	int		 n, saved = errno;

	if (level < log_min)
		return;
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    gmtime_r(&ts.tv_sec, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));

	n = snprintf(line, sizeof(line),
	    "%04d-%02d-%02dT%02d:%02d:%02dZ %s[%ld] %s ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, log_progname, (long)getpid(),
	    log_level_names[level]);
	if (n < 0 || (size_t)n >= sizeof(line))
		return;
	at = (size_t)n;

	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		snprintf(msg, sizeof(msg), "(unprintable log message: %s)", fmt);
	if (suffix != NULL) {
		/* Keep the strerror text even when the message was long. */
		mlen = strlen(msg);
		slen = strlen(suffix);
		if (slen > sizeof(msg) / 2)
			slen = sizeof(msg) / 2;
		if (mlen + 2 + slen >= sizeof(msg))
			mlen = sizeof(msg) - 3 - slen;
		snprintf(msg + mlen, sizeof(msg) - mlen, ": %.*s", (int)slen,
		    suffix);
	}

	/* Leave room for "..." and the newline. */
	if (log_escape_into(line, &at, sizeof(line) - 4, msg) == -1) {
		/* Do not end on half a UTF-8 character. */
		while (at > 0 && ((unsigned char)line[at - 1] & 0xc0) == 0x80)
			at--;
		if (at > 0 && ((unsigned char)line[at - 1] & 0xc0) == 0xc0)
			at--;
		memcpy(line + at, "...", 3);
		at += 3;
	}
	line[at++] = '\n';

	/* One write per line: lines on a shared pipe or O_APPEND file stay whole. */
	do
		w = write(STDERR_FILENO, line, at);
	while (w == -1 && errno == EINTR);
	errno = saved;
}

const char *
log_quote(const char *value, char *buf, unsigned long size)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	char			 esc[4];
	size_t			 at = 0, n, end;
	int			 plain = 1;

	if (size == 0)
		return buf;
	if (value == NULL)
		value = "";
	for (p = (const unsigned char *)value; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '"' || *p == '\\' ||
		    *p == '=')
			plain = 0;
	if (plain && *value != '\0') {
		snprintf(buf, size, "%s", value);
		return buf;
	}
	if (size < 3) {
		buf[0] = '\0';
		return buf;
	}

	/* Reserve the closing quote and the NUL. */
	end = size - 2;
	buf[at++] = '"';
	for (p = (const unsigned char *)value; *p != '\0'; p++) {
		n = 2;
		esc[0] = '\\';
		if (*p == '"' || *p == '\\')
			esc[1] = (char)*p;
		else if (*p == '\n')
			esc[1] = 'n';
		else if (*p == '\r')
			esc[1] = 'r';
		else if (*p == '\t')
			esc[1] = 't';
		else if (*p < 0x20 || *p == 0x7f) {
			esc[1] = 'x';
			esc[2] = hex[*p >> 4];
			esc[3] = hex[*p & 0xf];
			n = 4;
		} else {
			esc[0] = (char)*p;
			n = 1;
		}
		if (at + n > end)
			break;
		memcpy(buf + at, esc, n);
		at += n;
	}
	buf[at++] = '"';
	buf[at] = '\0';
	return buf;
}

void
log_at(enum log_level level, int with_errno, const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	log_vwrite(level, fmt, ap, with_errno ? strerror(saved) : NULL);
	va_end(ap);
	errno = saved;
}
