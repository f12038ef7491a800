/* log.h -- one line per event on stderr: time, level, message, key=value details. */
#ifndef FTS_LOG_H
#define FTS_LOG_H

enum log_level { LOG_LEVEL_DEBUG, LOG_LEVEL_INFO, LOG_LEVEL_WARN, LOG_LEVEL_ERROR };

/* Set the program name printed on every line and the lowest level written. */
void log_init(const char *progname, enum log_level min);

/*
 * Write one line: "2026-11-25T23:30:01Z ftsuccess.fcgi[123] warn store: open failed path=/x err=..."
 * The format is printf-style; details are appended by the caller as "key=value"
 * pairs inside the message.  Values that contain spaces, quotes or control
 * characters should be passed through log_quote() first.
 */
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* As log_warnx, with ": strerror(errno)" appended; errno is preserved. */
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_errorx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Quote a value for a key=value detail into buf (always NUL-terminated); returns buf. */
const char *log_quote(const char *value, char *buf, unsigned long size);

#endif
