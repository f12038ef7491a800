/* config.c -- read ftsuccess.conf ("key = value" lines) over built-in defaults, refusing anything unknown or out of range. */
#include "autoconfig.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "result.h"
#include "text.h"

/* Longest line accepted, including the newline. */
#define CONFIG_LINE_MAX	4096

enum config_type {
	CONFIG_STRING,		/* any printable UTF-8 text, may be empty */
	CONFIG_PATH,		/* a file or directory name, never empty */
	CONFIG_OPT_PATH,	/* a file or directory name, "" = not used */
	CONFIG_HTTP_URL,	/* http:// or https:// */
	CONFIG_SMTP_URL,	/* smtp:// or smtps:// */
	CONFIG_IMAP_URL,	/* "" (off), imap:// or imaps:// */
	CONFIG_LISTEN,		/* "", unix:/path or host:port */
	CONFIG_CHOICE,		/* one word of the key's choices, stored as its index (an enum) */
	CONFIG_INT,		/* decimal in [min,max] */
	CONFIG_BYTES,		/* decimal with k/M suffix, in [min,max] bytes */
	CONFIG_SECONDS,		/* decimal with s/m/h/d suffix, in [min,max] seconds */
	CONFIG_FROM,		/* mail header value: addr or "Name <addr>" */
	CONFIG_OPT_EMAIL	/* "" or local@domain.tld */
};

/* One row per key: how it is parsed and where it is stored. */
struct config_key {
	const char	*name;
	enum config_type type;
	size_t		 offset;	/* into struct config */
	size_t		 size;		/* of the char array, for strings */
	long long	 min, max;	/* for numbers */
	const char *const *choices;	/* CONFIG_CHOICE: the words, NULL-terminated, in enum order */
};

#define CONFIG_STR(name, type) \
	{ #name, type, offsetof(struct config, name), \
	    sizeof(((struct config *)0)->name), 0, 0, NULL }
#define CONFIG_NUM(name, type, min, max) \
	{ #name, type, offsetof(struct config, name), 0, min, max, NULL }
#define CONFIG_ENUM(name, ...) \
	{ #name, CONFIG_CHOICE, offsetof(struct config, name), 0, 0, 0, \
	    (const char *const[]){ __VA_ARGS__, NULL } }

static const struct config_key config_keys[] = {
	CONFIG_STR(database, CONFIG_PATH),
	CONFIG_STR(base_url, CONFIG_HTTP_URL),
	CONFIG_ENUM(auth, "remote_user", "none"),
	CONFIG_ENUM(auth_autoprovision, "no", "fm"),
	CONFIG_STR(demo_user, CONFIG_STRING),
	CONFIG_ENUM(visibility, "team", "own"),
	CONFIG_STR(listen, CONFIG_LISTEN),
	CONFIG_NUM(workers, CONFIG_INT, 1, 64),
	CONFIG_NUM(max_body, CONFIG_BYTES, 1024, 64 * 1024 * 1024),
	CONFIG_STR(templates_dir, CONFIG_PATH),
	CONFIG_STR(locale_dir, CONFIG_PATH),
	CONFIG_ENUM(default_language, "en", "pt-BR"),
	CONFIG_STR(static_dir, CONFIG_PATH),
	CONFIG_STR(secret_file, CONFIG_PATH),
	CONFIG_NUM(csrf_window, CONFIG_SECONDS, 60, 7 * 86400),
	CONFIG_STR(smtp_url, CONFIG_SMTP_URL),
	CONFIG_STR(smtp_user, CONFIG_STRING),
	CONFIG_STR(smtp_password_file, CONFIG_OPT_PATH),
	CONFIG_STR(smtp_ca_file, CONFIG_OPT_PATH),
	CONFIG_STR(smtp_from, CONFIG_FROM),
	CONFIG_STR(organizer_name, CONFIG_STRING),
	CONFIG_STR(organizer_email, CONFIG_OPT_EMAIL),
	CONFIG_STR(imap_url, CONFIG_IMAP_URL),
	CONFIG_STR(imap_user, CONFIG_STRING),
	CONFIG_STR(imap_password_file, CONFIG_OPT_PATH),
	CONFIG_STR(imap_ca_file, CONFIG_OPT_PATH),
	CONFIG_NUM(smtp_timeout, CONFIG_SECONDS, 1, 3600),
	CONFIG_NUM(smtp_connect_timeout, CONFIG_SECONDS, 1, 300),
	CONFIG_NUM(poll_interval, CONFIG_SECONDS, 1, 3600),
	CONFIG_NUM(retry_lifetime, CONFIG_SECONDS, 60, 365 * 86400),
	CONFIG_NUM(retry_backoff, CONFIG_SECONDS, 1, 3600),
	CONFIG_NUM(outbox_lease, CONFIG_SECONDS, 2, 3600),
	CONFIG_STR(mail_copy_dir, CONFIG_OPT_PATH),
	CONFIG_NUM(checkin_cadence_weeks, CONFIG_INT, 1, 4),
	CONFIG_NUM(health_min_free, CONFIG_BYTES, 0, 64 * 1024 * 1024),
	CONFIG_NUM(health_max_outbox_age, CONFIG_SECONDS, 0, 7 * 86400),
};

#define CONFIG_NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

/* The compiled-in defaults fit their buffers: checked here, at build time, so config_defaults cannot cut one. */
#define CONFIG_FITS(member, value) _Static_assert(sizeof(value) <= sizeof(((struct config *)0)->member), \
    "config default for " #member " is longer than its buffer")
#define CONFIG_DEFAULT_DATABASE		LOCALSTATEDIR "/lib/ftsuccess/ftsuccess.db"
#define CONFIG_DEFAULT_BASE_URL		"http://127.0.0.1:8080"
#define CONFIG_DEFAULT_TEMPLATES	PKGDATADIR "/templates"
#define CONFIG_DEFAULT_STATIC		PKGDATADIR "/static"
#define CONFIG_DEFAULT_LOCALE		LOCALEDIR
#define CONFIG_DEFAULT_SECRET		LOCALSTATEDIR "/lib/ftsuccess/secret"
#define CONFIG_DEFAULT_SMTP_URL		"smtp://127.0.0.1:25"
#define CONFIG_DEFAULT_SMTP_FROM	"ftsuccess <ftsuccess@localhost>"
CONFIG_FITS(database, CONFIG_DEFAULT_DATABASE);
CONFIG_FITS(base_url, CONFIG_DEFAULT_BASE_URL);
CONFIG_FITS(templates_dir, CONFIG_DEFAULT_TEMPLATES);
CONFIG_FITS(static_dir, CONFIG_DEFAULT_STATIC);
CONFIG_FITS(locale_dir, CONFIG_DEFAULT_LOCALE);
CONFIG_FITS(secret_file, CONFIG_DEFAULT_SECRET);
CONFIG_FITS(smtp_url, CONFIG_DEFAULT_SMTP_URL);
CONFIG_FITS(smtp_from, CONFIG_DEFAULT_SMTP_FROM);

void
config_defaults(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	text_copy_fit(cfg->database, sizeof(cfg->database), CONFIG_DEFAULT_DATABASE);
	text_copy_fit(cfg->base_url, sizeof(cfg->base_url), CONFIG_DEFAULT_BASE_URL);
	cfg->auth = CONFIG_AUTH_REMOTE_USER;
	cfg->auth_autoprovision = CONFIG_AUTOPROVISION_NO;
	text_copy_fit(cfg->demo_user, sizeof(cfg->demo_user), "demo");
	cfg->visibility = CONFIG_VISIBILITY_TEAM;
	cfg->workers = 2;
	cfg->max_body = 1024 * 1024;
	text_copy_fit(cfg->templates_dir, sizeof(cfg->templates_dir), CONFIG_DEFAULT_TEMPLATES);
	text_copy_fit(cfg->static_dir, sizeof(cfg->static_dir), CONFIG_DEFAULT_STATIC);
	text_copy_fit(cfg->locale_dir, sizeof(cfg->locale_dir), CONFIG_DEFAULT_LOCALE);
	cfg->default_language = CONFIG_LANGUAGE_EN;
	text_copy_fit(cfg->secret_file, sizeof(cfg->secret_file), CONFIG_DEFAULT_SECRET);
	cfg->csrf_window = 4 * 3600;
	text_copy_fit(cfg->smtp_url, sizeof(cfg->smtp_url), CONFIG_DEFAULT_SMTP_URL);
	text_copy_fit(cfg->smtp_from, sizeof(cfg->smtp_from), CONFIG_DEFAULT_SMTP_FROM);
	cfg->smtp_timeout = 60;
	cfg->smtp_connect_timeout = 10;
	cfg->poll_interval = 5;
	cfg->retry_lifetime = 5 * 86400;
	cfg->retry_backoff = 60;
	cfg->outbox_lease = 120;
	cfg->checkin_cadence_weeks = 2;
	cfg->health_min_free = 8 * 1024 * 1024;	/* two WAL checkpoints' worth of 4 KiB pages */
	cfg->health_max_outbox_age = 15 * 60;
}

/* A number with an optional one-letter unit from units (multipliers in mult). */
static int
config_number_unit(const char *value, const char *units,
    const long long *mult, long long min, long long max, long long *out)
{
	char		 digits[32];
	const char	*u;
	size_t		 len;
	long long	 n, m = 1;

	len = strlen(value);
	if (len == 0 || len >= sizeof(digits))
		return -1;
	memcpy(digits, value, len + 1);
	if ((u = strchr(units, digits[len - 1])) != NULL) {
		m = mult[u - units];
		digits[len - 1] = '\0';
	}
	if (text_int_parse(digits, 0, max, &n) == -1 || n > max / m ||
	    n * m < min)
		return -1;
	*out = n * m;
	return 0;
}

/* scheme://host[:port][/path] with a non-empty host and no spaces. */
static int
config_url_valid(const char *value, const char *const *schemes)
{
	size_t	 n;

	for (; *schemes != NULL; schemes++) {
		n = strlen(*schemes);
		if (strncmp(value, *schemes, n) != 0)
			continue;
		value += n;
		if (*value == '\0' || *value == '/' || *value == ':')
			return 0;
		for (; *value != '\0'; value++)
			if (*value == ' ' || *value == '"' || *value == '<' ||
			    *value == '>' || *value == '\\')
				return 0;
		return 1;
	}
	return 0;
}

/* "unix:/absolute/path" or "host:port" with port 1..65535. */
static int
config_listen_valid(const char *value)
{
	const char	*colon;
	long long	 port;

	if (*value == '\0')
		return 1;
	if (strncmp(value, "unix:", 5) == 0)
		return value[5] == '/' && value[6] != '\0';
	colon = strrchr(value, ':');
	if (colon == NULL || colon == value || strchr(value, ' ') != NULL)
		return 0;
	return text_int_parse(colon + 1, 1, 65535, &port) == 0;
}

/* "addr@dom.tld" or "Display Name <addr@dom.tld>" with no CR/LF (RFC 5322 3.4). */
static int
config_from_valid(const char *value)
{
	char		 addr[320];
	const char	*lt, *gt;
	size_t		 len = strlen(value), alen;

	if (len == 0 || !text_header_safe(value, len))
		return 0;
	if ((lt = strrchr(value, '<')) == NULL) {
		lt = value - 1;		/* a bare address: all of value */
		gt = value + len;
	} else {
		gt = value + len - 1;
		if (*gt != '>')
			return 0;
	}
	alen = (size_t)(gt - (lt + 1));
	if (alen == 0 || alen >= sizeof(addr))
		return 0;
	memcpy(addr, lt + 1, alen);
	addr[alen] = '\0';
	/*
	 * Only the shape local@domain is checked, not text_email_valid():
	 * "ftsuccess@localhost" is a fine sender on a test machine.
	 */
	return addr[0] != '@' && addr[alen - 1] != '@' &&
	    strchr(addr, '@') != NULL && strpbrk(addr, " <>\"") == NULL;
}

static int
config_http_url_valid(const char *value)
{
	static const char *const schemes[] = { "http://", "https://", NULL };

	return config_url_valid(value, schemes);
}

static int
config_smtp_url_valid(const char *value)
{
	static const char *const schemes[] = { "smtp://", "smtps://", NULL };

	return config_url_valid(value, schemes);
}

/* The organizer's mailbox, read for calendar replies; "" leaves replies unread. */
static int
config_imap_url_valid(const char *value)
{
	static const char *const schemes[] = { "imap://", "imaps://", NULL };

	return *value == '\0' || config_url_valid(value, schemes);
}

static int
config_opt_email_valid(const char *value)
{
	return *value == '\0' || text_email_valid(value);
}

/* The text types checked by a predicate, with what the refusal says a value is not. */
static const struct config_text_check {
	int		(*valid)(const char *value);
	const char	*what;
} config_text_checks[] = {
	[CONFIG_HTTP_URL] = { .valid = config_http_url_valid, .what = "an http:// or https:// URL" },
	[CONFIG_SMTP_URL] = { .valid = config_smtp_url_valid, .what = "an smtp:// or smtps:// URL" },
	[CONFIG_IMAP_URL] = { .valid = config_imap_url_valid, .what = "an imap:// or imaps:// URL" },
	[CONFIG_LISTEN] = { .valid = config_listen_valid, .what = "unix:/path or host:port" },
	[CONFIG_FROM] = { .valid = config_from_valid, .what = "an address or \"Name <address>\"" },
	[CONFIG_OPT_EMAIL] = { .valid = config_opt_email_valid, .what = "an e-mail address" },
};

/*
 * Store a number of type INT, BYTES or SECONDS (range checked by the key's
 * min and max, which fit the member's type).
 */
static int
config_set_number(struct config *cfg, const struct config_key *k, const char *value,
    struct result *r)
{
	static const long long	 bytes_mult[] = { 1024, 1024, 1024 * 1024, 1024 * 1024 };
	static const long long	 secs_mult[] = { 1, 60, 3600, 86400 };
	void		*dst = (char *)cfg + k->offset;
	long long	 n;

	switch (k->type) {
	case CONFIG_BYTES:
		if (config_number_unit(value, "kKmM", bytes_mult, k->min, k->max, &n) == -1)
			return result_set(r, RESULT_INVALID, k->name, "%s: \"%s\" is not a size between "
			    "%lld and %lld bytes (or with suffix k or M)", k->name, value, k->min, k->max);
		/* n is in [min, max], both at least 0: a size_t holds it. */
		*(size_t *)dst = (size_t)n;
		return 0;
	case CONFIG_SECONDS:
		if (config_number_unit(value, "smhd", secs_mult, k->min, k->max, &n) == -1)
			return result_set(r, RESULT_INVALID, k->name, "%s: \"%s\" is not a duration "
			    "between %llds and %llds (seconds, or with suffix s, m, h or d)",
			    k->name, value, k->min, k->max);
		break;
	default:
		if (text_int_parse(value, k->min, k->max, &n) == -1)
			return result_set(r, RESULT_INVALID, k->name,
			    "%s: \"%s\" is not a number between %lld and %lld",
			    k->name, value, k->min, k->max);
		break;
	}
	/* n is in [min, max], which the key table keeps within int. */
	*(int *)dst = (int)n;
	return 0;
}

/* Store the index of value among the key's choices (an enum member), or name them all. */
static int
config_set_choice(struct config *cfg, const struct config_key *k, const char *value,
    struct result *r)
{
	char	 words[128];
	size_t	 i, o = 0;

	for (i = 0; k->choices[i] != NULL; i++)
		if (strcmp(value, k->choices[i]) == 0) {
			*(int *)(void *)((char *)cfg + k->offset) = (int)i;
			return 0;
		}
	words[0] = '\0';
	for (i = 0; k->choices[i] != NULL && o < sizeof(words); i++)
		o += (size_t)snprintf(words + o, sizeof(words) - o, "%s%s",
		    i == 0 ? "" : k->choices[i + 1] == NULL ? " or " : ", ", k->choices[i]);
	return result_set(r, RESULT_INVALID, k->name, "%s: \"%s\" is not %s", k->name, value, words);
}

/*
 * Store one value.  On error r holds RESULT_INVALID, the key as field and
 * "key: what" (without file and line, which the caller prefixes).
 */
static int
config_set(struct config *cfg, const struct config_key *k, const char *value,
    struct result *r)
{
	char		*s = (char *)cfg + k->offset;
	size_t		 len = strlen(value);

	if (!text_utf8_valid(value, len) || !text_printable(value, len) ||
	    strpbrk(value, "\t\r\n") != NULL)
		return result_set(r, RESULT_INVALID, k->name, "%s: value is not printable UTF-8 text",
		    k->name);

	switch (k->type) {
	case CONFIG_INT:
	case CONFIG_BYTES:
	case CONFIG_SECONDS:
		return config_set_number(cfg, k, value, r);
	case CONFIG_CHOICE:
		return config_set_choice(cfg, k, value, r);
	case CONFIG_PATH:
		if (*value == '\0')
			return result_set(r, RESULT_INVALID, k->name, "%s: must not be empty", k->name);
		break;
	case CONFIG_HTTP_URL:
	case CONFIG_SMTP_URL:
	case CONFIG_IMAP_URL:
	case CONFIG_LISTEN:
	case CONFIG_FROM:
	case CONFIG_OPT_EMAIL:
		if (!config_text_checks[k->type].valid(value))
			return result_set(r, RESULT_INVALID, k->name, "%s: \"%s\" is not %s",
			    k->name, value, config_text_checks[k->type].what);
		break;
	case CONFIG_STRING:
	case CONFIG_OPT_PATH:
		break;
	}

	if (len >= k->size)
		return result_set(r, RESULT_INVALID, k->name, "%s: value is longer than %zu bytes",
		    k->name, k->size - 1);
	memcpy(s, value, len + 1);
	/* base_url is joined with paths that start with '/'. */
	if (k->type == CONFIG_HTTP_URL)
		while (len > 0 && s[len - 1] == '/')
			s[--len] = '\0';
	return 0;
}

/* UTF-8 encoding of U+FEFF, the byte order mark. */
#define CONFIG_BOM	"\xef\xbb\xbf"

#define CONFIG_EOF	(-1L)
#define CONFIG_TOO_LONG	(-2L)

/*
 * Read one line, newline included, into buf (NUL-terminated) and return its
 * length in bytes, which NULs inside the line do not shorten;
 * CONFIG_TOO_LONG when it does not fit (the rest of it is not read),
 * CONFIG_EOF at the end of the file or on a read error (see ferror).
 */
static long
config_getline(FILE *fp, char *buf, size_t size)
{
	size_t	 len = 0;
	int	 c;

	while ((c = getc(fp)) != EOF) {
		if (len + 1 >= size)
			return CONFIG_TOO_LONG;
		buf[len++] = (char)c;
		if (c == '\n')
			break;
	}
	buf[len] = '\0';
	if (len == 0)
		return CONFIG_EOF;
	return (long)len;
}

/* Set r to code on field with "path:line: msg" (line 0: "path: msg"); returns -1. */
static int
config_error(struct result *r, enum result_code code, const char *field, const char *path,
    unsigned long line, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int
config_error(struct result *r, enum result_code code, const char *field, const char *path,
    unsigned long line, const char *fmt, ...)
{
	char	 msg[sizeof(r->message)];
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		return result_set(r, code, field, "%s:%lu: %s", path, line, msg);
	return result_set(r, code, field, "%s: %s", path, msg);
}

int
config_read_file(struct config *cfg, const char *path, struct result *r)
{
	char		 line[CONFIG_LINE_MAX];
	struct result	 kr;
	unsigned long	 seen[CONFIG_NKEYS];	/* line a key was set on */
	unsigned long	 lineno = 0;
	char		*key, *value, *eq;
	size_t		 i, len;
	long		 n;
	FILE		*fp;
	int		 rc = -1;

	if ((fp = fopen(path, "r")) == NULL)
		return config_error(r, RESULT_IO, NULL, path, 0, "cannot open: %s",
		    strerror(errno));
	memset(seen, 0, sizeof(seen));

	while ((n = config_getline(fp, line, sizeof(line))) != CONFIG_EOF) {
		lineno++;
		if (n == CONFIG_TOO_LONG) {
			config_error(r, RESULT_INVALID, NULL, path, lineno,
			    "line longer than %d bytes", CONFIG_LINE_MAX - 2);
			goto out;
		}
		len = (size_t)n;
		/* fgets would stop every string function at a NUL: "workers = 2\0junk" read as 2. */
		if (memchr(line, '\0', len) != NULL) {
			config_error(r, RESULT_INVALID, NULL, path, lineno, "NUL byte in line");
			goto out;
		}
		/* Editors such as Notepad start a UTF-8 file with a byte order mark. */
		if (lineno == 1 && len >= 3 && memcmp(line, CONFIG_BOM, 3) == 0)
			memmove(line, line + 3, len - 2);
		if (strstr(line, CONFIG_BOM) != NULL) {
			config_error(r, RESULT_INVALID, NULL, path, lineno,
			    "invisible byte order mark (U+FEFF) in line; remove it");
			goto out;
		}
		text_trim(line);
		/* Only whole-line comments: '#' may be part of a value. */
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if ((eq = strchr(line, '=')) == NULL || eq == line) {
			config_error(r, RESULT_INVALID, NULL, path, lineno,
			    "expected \"key = value\", got \"%.60s\"", line);
			goto out;
		}
		*eq = '\0';
		key = text_trim(line);
		value = text_trim(eq + 1);
		/* Optional double quotes keep a value's outer spaces; no escapes. */
		len = strlen(value);
		if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
			value[len - 1] = '\0';
			value++;
		}

		for (i = 0; i < CONFIG_NKEYS; i++)
			if (strcmp(key, config_keys[i].name) == 0)
				break;
		if (i == CONFIG_NKEYS) {
			config_error(r, RESULT_INVALID, NULL, path, lineno,
			    "%.64s: unknown key", key);
			goto out;
		}
		if (seen[i]) {
			config_error(r, RESULT_INVALID, config_keys[i].name, path, lineno,
			    "%s: set twice (first on line %lu)", key, seen[i]);
			goto out;
		}
		if (config_set(cfg, &config_keys[i], value, &kr) == -1) {
			config_error(r, kr.code, kr.field, path, lineno, "%s", kr.message);
			goto out;
		}
		seen[i] = lineno;
	}
	if (ferror(fp)) {
		config_error(r, RESULT_IO, NULL, path, lineno, "read failed: %s",
		    strerror(errno));
		goto out;
	}
	if (text_copy(cfg->path, sizeof(cfg->path), path) == -1) {
		config_error(r, RESULT_INVALID, NULL, path, 0, "path is longer than %zu bytes",
		    sizeof(cfg->path) - 1);
		goto out;
	}
	rc = 0;
out:
	fclose(fp);
	return rc;
}

const char *
config_key_name(size_t i)
{
	return i < CONFIG_NKEYS ? config_keys[i].name : NULL;
}

int
config_load(struct config *cfg, const char *path, struct result *r)
{
	const char	*env;

	config_defaults(cfg);
	if (path == NULL) {
		env = getenv("FTSUCCESS_CONFIG");
		if (env != NULL && *env != '\0')
			path = env;
	}
	if (path == NULL) {
		/* The installed file is optional: a demo runs on defaults. */
		path = SYSCONFDIR "/ftsuccess.conf";
		if (access(path, F_OK) == -1 && errno == ENOENT)
			return 0;
	}
	return config_read_file(cfg, path, r);
}
