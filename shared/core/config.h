/* config.h -- the one configuration file both programs read, with built-in defaults. */
#ifndef FTS_CONFIG_H
#define FTS_CONFIG_H

#include <stddef.h>

struct result;

enum config_auth { CONFIG_AUTH_REMOTE_USER, CONFIG_AUTH_NONE };
/* What a sign-in unknown to ftsuccess gets: a 403 page, or an active FM made on first visit. */
enum config_autoprovision { CONFIG_AUTOPROVISION_NO, CONFIG_AUTOPROVISION_FM };
/* What an FM sees of the customers of others: all (read-only), or none at all (404). */
enum config_visibility { CONFIG_VISIBILITY_TEAM, CONFIG_VISIBILITY_OWN };
/* The languages of i18n.h, in its order (I18N_LANGUAGES). */
enum config_language { CONFIG_LANGUAGE_EN, CONFIG_LANGUAGE_PT_BR };

struct config {
	char		 path[1024];		/* file read, "" when only defaults */
	char		 database[1024];	/* SQLite file path */
	char		 base_url[512];		/* e.g. http://127.0.0.1:8080 (no trailing /) */
	enum config_auth auth;
	enum config_autoprovision auth_autoprovision;	/* remote_user: unknown logins */
	char		 demo_user[128];	/* auth = none acts as this user (made an FM if missing) */
	enum config_visibility visibility;
	char		 listen[512];		/* "" (stdin/CGI), unix:/path or host:port */
	int		 workers;		/* pre-forked FastCGI children, 1..64 */
	size_t		 max_body;		/* bytes, largest accepted request body */
	char		 templates_dir[1024];	/* Mustache templates (www/templates) */
	char		 locale_dir[1024];	/* message catalogs: DIR/pt_BR/LC_MESSAGES/ftsuccess.mo */
	enum config_language default_language;	/* pages and mails when nothing else decides */
	char		 static_dir[1024];	/* CSS and other static files */
	char		 secret_file[1024];	/* CSRF HMAC secret, created 0600 if missing */
	int		 csrf_window;		/* seconds a form token lives (one to two windows) */
	char		 smtp_url[512];		/* smtp://host:port or smtps://host:port */
	char		 smtp_user[256];
	char		 smtp_password_file[1024];
	char		 smtp_ca_file[1024];
	char		 smtp_from[320];	/* address (optionally "Name <addr>") */
	char		 imap_url[512];		/* imap(s)://host:port/MAILBOX of the organizer, "" = replies not read */
	char		 imap_user[256];
	char		 imap_password_file[1024];
	char		 imap_ca_file[1024];
	char		 organizer_name[256];	/* the FM named as ORGANIZER */
	char		 organizer_email[320];
	int		 smtp_timeout;		/* seconds, whole transfer */
	int		 smtp_connect_timeout;	/* seconds */
	int		 poll_interval;		/* seconds between outbox polls */
	int		 retry_lifetime;	/* seconds a message is retried before dead */
	int		 retry_backoff;		/* seconds before the first retry; doubles, capped at 1 h */
	int		 outbox_lease;		/* seconds a claimed message stays the notifier's, renewed while sending */
	char		 mail_copy_dir[1024];	/* demo: keep a copy of every sent message here, "" = off */
	int		 checkin_cadence_weeks;	/* default cadence when no series: overdue after this */
	size_t		 health_min_free;	/* bytes: /healthz fails below this free space, 0 = off */
	int		 health_max_outbox_age;	/* seconds a due message may wait before /healthz fails, 0 = off */
};

/* Fill cfg with the built-in defaults (a demo needs no file). */
void config_defaults(struct config *cfg);

/*
 * Resolve and load the configuration: explicit path if non-NULL, else
 * $FTSUCCESS_CONFIG, else SYSCONFDIR/ftsuccess.conf if it exists, else only
 * defaults.  0, or -1 with r: message "file:line: key: what", code
 * RESULT_INVALID (field: the key, when one is to blame) for a refused
 * file, RESULT_IO when it cannot be opened or read.
 */
int config_load(struct config *cfg, const char *path, struct result *r);

/*
 * Parse one file into cfg (defaults already set) and set cfg->path.  Same
 * error contract; an unknown key, a bad value, a key set twice, a line
 * without '=' and an unreadable file are all errors.  File format:
 * docs/configuration.md and ftsuccess.conf(5).
 */
int config_read_file(struct config *cfg, const char *path, struct result *r);

/* Name of the i-th key the file may set, or NULL past the last (docs and tests list them). */
const char *config_key_name(size_t i);

#endif
