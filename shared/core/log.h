/* log.h -- one line per event on stderr: time, level, message, key=value details. */
#ifndef FTS_LOG_H
#define FTS_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/*
 * Set the program name printed on every line (basename taken) and the lowest
 * level written; $FTSUCCESS_LOG_LEVEL (debug|info|warn|error), when set,
 * overrides min.  Before log_init the name is "ftsuccess" and the level info.
 */
void log_init(const char *progname, enum log_level min);

/* "debug", "info", "warn" or "error" to a level: 0, or -1 for anything else. */
int log_level_parse(const char *name, enum log_level *level);

/*
 * Write one line: "2026-11-25T23:30:01Z ftsuccess.fcgi[123] warn store: open failed path=/x err=..."
 * The format is printf-style; details are appended by the caller as "key=value"
 * pairs inside the message.  Values that contain spaces, quotes or control
 * characters should be passed through log_quote() first.  Control characters
 * left in a message are escaped (\n, \xNN) so one event is always one line;
 * a line is at most 4096 bytes (cut with "...") and goes out in one write(2).
 * errno is preserved by every log function.
 */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As log_warnx, with ": strerror(errno)" appended; errno is preserved. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Quote a value for a key=value detail into buf (always NUL-terminated);
 * returns buf.  A value with no space, control, quote, backslash or '=' is
 * copied as it is; any other (and "") is put in double quotes with \" \\ \n
 * \r \t and \xNN escapes.  A value too long for buf is cut inside the quotes.
 */
const char *log_quote(const char *value, char *buf, unsigned long size);

#endif
