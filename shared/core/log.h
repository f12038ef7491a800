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
void log_at(enum log_level level, int with_errno, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The level by name (OpenSMTPD's API); log_warn appends ": strerror(errno)" and keeps errno. */
#define log_debug(...)	log_at(LOG_LEVEL_DEBUG, 0, __VA_ARGS__)
#define log_info(...)	log_at(LOG_LEVEL_INFO, 0, __VA_ARGS__)
#define log_warnx(...)	log_at(LOG_LEVEL_WARN, 0, __VA_ARGS__)
#define log_warn(...)	log_at(LOG_LEVEL_WARN, 1, __VA_ARGS__)
#define log_errorx(...)	log_at(LOG_LEVEL_ERROR, 0, __VA_ARGS__)

/*
 * Quote a value for a key=value detail into buf (always NUL-terminated);
 * returns buf.  A value with no space, control, quote, backslash or '=' is
 * copied as it is; any other (and "") is put in double quotes with \" \\ \n
 * \r \t and \xNN escapes.  A value too long for buf is cut inside the quotes.
 */
const char *log_quote(const char *value, char *buf, unsigned long size);

#endif
