/* test_config.c -- shared/core/config.c against real files in a temporary directory: defaults, every key, every error. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "result.h"
#include "unit.h"

static char	 tmpdir[256];
static char	 conf_path[320];

static int
setup(void **state)
{
	const char	*base = getenv("TMPDIR");

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_config.XXXXXX",
	    base != NULL && *base != '\0' ? base : "/tmp");
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(conf_path, sizeof(conf_path), "%s/ftsuccess.conf", tmpdir);
	unsetenv("FTSUCCESS_CONFIG");
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	unlink(conf_path);
	rmdir(tmpdir);
	return 0;
}

/* Write text to the test's config file. */
static void
write_conf(const char *text)
{
	FILE	*fp;

	fp = fopen(conf_path, "w");
	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static struct result conf_result;	/* the last read's, for its code and field */

/* read (config_read_file or config_load) with its message copied into err (most tests compare the text). */
static int
conf_call(int (*read)(struct config *, const char *, struct result *), struct config *cfg,
    const char *path, char *err, size_t errsz)
{
	int	 rc;

	result_clear(&conf_result);
	rc = read(cfg, path, &conf_result);
	snprintf(err, errsz, "%s", conf_result.message);
	return rc;
}

#define conf_read(cfg, path, err, errsz) conf_call(config_read_file, (cfg), (path), (err), (errsz))
#define conf_load(cfg, path, err, errsz) conf_call(config_load, (cfg), (path), (err), (errsz))

/* Read text as a config file over the defaults; returns the result, err filled. */
static int
read_conf(const char *text, struct config *cfg, char *err, size_t errsz)
{
	write_conf(text);
	config_defaults(cfg);
	return conf_read(cfg, conf_path, err, errsz);
}

/* How a field of struct config is read back. */
enum field_kind {
	FIELD_TEXT,		/* a char array */
	FIELD_INT,
	FIELD_SIZE,		/* a size_t */
	FIELD_AUTH,		/* an enum of the configuration (auth, auth_autoprovision, visibility) */
};

#define FIELD_AT(f) .off = offsetof(struct config, f)

/*
 * Every key's field, its default, and what test_every_key's file sets it to:
 * text fields in def_text and set_text, the others in def_n and set_n.
 */
static const struct config_field {
	const char	*key;
	enum field_kind	 kind;
	size_t		 off;
	const char	*def_text, *set_text;
	long long	 def_n, set_n;
} config_fields[] = {
	{ .key = "database", FIELD_AT(database),
	  .def_text = LOCALSTATEDIR "/lib/ftsuccess/ftsuccess.db", .set_text = "/srv/fts/db.sqlite" },
	{ .key = "base_url", FIELD_AT(base_url),
	  .def_text = "http://127.0.0.1:8080", .set_text = "https://fts.example.com" },
	{ .key = "auth", .kind = FIELD_AUTH, FIELD_AT(auth),
	  .def_n = CONFIG_AUTH_REMOTE_USER, .set_n = CONFIG_AUTH_NONE },
	{ .key = "auth_autoprovision", .kind = FIELD_AUTH, FIELD_AT(auth_autoprovision),
	  .def_n = CONFIG_AUTOPROVISION_NO, .set_n = CONFIG_AUTOPROVISION_FM },
	{ .key = "demo_user", FIELD_AT(demo_user), .def_text = "demo", .set_text = "fm.bruno" },
	{ .key = "visibility", .kind = FIELD_AUTH, FIELD_AT(visibility),
	  .def_n = CONFIG_VISIBILITY_TEAM, .set_n = CONFIG_VISIBILITY_OWN },
	{ .key = "listen", FIELD_AT(listen), .def_text = "", .set_text = "unix:/run/ftsuccess/fcgi.sock" },
	{ .key = "workers", .kind = FIELD_INT, FIELD_AT(workers), .def_n = 2, .set_n = 64 },
	{ .key = "max_body", .kind = FIELD_SIZE, FIELD_AT(max_body),
	  .def_n = 1024 * 1024, .set_n = 2 * 1024 * 1024 },
	{ .key = "templates_dir", FIELD_AT(templates_dir),
	  .def_text = PKGDATADIR "/templates", .set_text = "/srv/fts/templates" },
	{ .key = "static_dir", FIELD_AT(static_dir),
	  .def_text = PKGDATADIR "/static", .set_text = "/srv/fts/static" },
	{ .key = "secret_file", FIELD_AT(secret_file),
	  .def_text = LOCALSTATEDIR "/lib/ftsuccess/secret", .set_text = "/srv/fts/secret" },
	{ .key = "smtp_url", FIELD_AT(smtp_url),
	  .def_text = "smtp://127.0.0.1:25", .set_text = "smtps://mail.example.com:465" },
	{ .key = "smtp_user", FIELD_AT(smtp_user), .def_text = "", .set_text = "fts@example.com" },
	{ .key = "smtp_password_file", FIELD_AT(smtp_password_file),
	  .def_text = "", .set_text = "/etc/fts/smtp-password" },
	{ .key = "smtp_ca_file", FIELD_AT(smtp_ca_file), .def_text = "", .set_text = "/etc/ssl/certs/ca.pem" },
	{ .key = "smtp_from", FIELD_AT(smtp_from),
	  .def_text = "ftsuccess <ftsuccess@localhost>", .set_text = "FastTrack <fts@example.com>" },
	{ .key = "imap_url", FIELD_AT(imap_url),
	  .def_text = "", .set_text = "imaps://mail.example.com:993/INBOX" },
	{ .key = "imap_user", FIELD_AT(imap_user), .def_text = "", .set_text = "fm@example.com" },
	{ .key = "imap_password_file", FIELD_AT(imap_password_file),
	  .def_text = "", .set_text = "/etc/fts/imap-password" },
	{ .key = "imap_ca_file", FIELD_AT(imap_ca_file), .def_text = "", .set_text = "/etc/ssl/ca.pem" },
	{ .key = "organizer_name", FIELD_AT(organizer_name),
	  .def_text = "", .set_text = "Ana Souza # not a comment" },
	{ .key = "organizer_email", FIELD_AT(organizer_email), .def_text = "", .set_text = "ana@example.com" },
	{ .key = "smtp_timeout", .kind = FIELD_INT, FIELD_AT(smtp_timeout), .def_n = 60, .set_n = 120 },
	{ .key = "smtp_connect_timeout", .kind = FIELD_INT, FIELD_AT(smtp_connect_timeout),
	  .def_n = 10, .set_n = 5 },
	{ .key = "poll_interval", .kind = FIELD_INT, FIELD_AT(poll_interval), .def_n = 5, .set_n = 3600 },
	{ .key = "retry_lifetime", .kind = FIELD_INT, FIELD_AT(retry_lifetime),
	  .def_n = 432000, .set_n = 2 * 86400 },
	{ .key = "mail_copy_dir", FIELD_AT(mail_copy_dir), .def_text = "", .set_text = "/tmp/mail" },
	{ .key = "checkin_cadence_weeks", .kind = FIELD_INT, FIELD_AT(checkin_cadence_weeks),
	  .def_n = 2, .set_n = 4 },
};

/* The number a non-text field holds. */
static long long
field_number(const struct config *cfg, const struct config_field *f)
{
	const char		*p = (const char *)cfg + f->off;
	int			 i;
	size_t			 z;
	enum config_auth	 a;

	switch (f->kind) {
	case FIELD_INT:
		memcpy(&i, p, sizeof(i));
		return i;
	case FIELD_SIZE:
		memcpy(&z, p, sizeof(z));
		return (long long)z;
	case FIELD_AUTH:
		memcpy(&a, p, sizeof(a));
		return (long long)a;
	case FIELD_TEXT:
		break;
	}
	fail_msg("%s: not a number field", f->key);
	return -1;
}

/* Fails naming the first key whose field is not its default (set 0) or test_every_key's value (set 1). */
static void
fields_check(const struct config *cfg, int set)
{
	const struct config_field	*f;
	const char			*text, *want;
	size_t				 i;
	long long			 n, want_n;

	for (i = 0; i < sizeof(config_fields) / sizeof(config_fields[0]); i++) {
		f = &config_fields[i];
		if (f->kind == FIELD_TEXT) {
			text = (const char *)cfg + f->off;
			want = set ? f->set_text : f->def_text;
			if (strcmp(text, want) != 0)
				fail_msg("%s: \"%s\", want \"%s\"", f->key, text, want);
			continue;
		}
		n = field_number(cfg, f);
		want_n = set ? f->set_n : f->def_n;
		if (n != want_n)
			fail_msg("%s: %lld, want %lld", f->key, n, want_n);
	}
}

static void
test_defaults(void **state)
{
	struct config	 cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.path, "");
	fields_check(&cfg, 0);
}

static void
test_every_key(void **state)
{
	struct config	 cfg;
	char		 err[1024];

	(void)state;
	if (read_conf(
	    "# ftsuccess test configuration\n"
	    "\n"
	    "database = /srv/fts/db.sqlite\n"
	    "  base_url=https://fts.example.com/  \n"
	    "auth = none\n"
	    "auth_autoprovision = fm\n"
	    "demo_user = fm.bruno\n"
	    "visibility = own\n"
	    "listen = unix:/run/ftsuccess/fcgi.sock\n"
	    "workers = 64\n"
	    "max_body = 2M\n"
	    "templates_dir = /srv/fts/templates\n"
	    "static_dir = /srv/fts/static\n"
	    "secret_file = /srv/fts/secret\n"
	    "smtp_url = smtps://mail.example.com:465\n"
	    "smtp_user = fts@example.com\n"
	    "smtp_password_file = /etc/fts/smtp-password\n"
	    "smtp_ca_file = /etc/ssl/certs/ca.pem\n"
	    "smtp_from = \"FastTrack <fts@example.com>\"\n"
	    "imap_url = imaps://mail.example.com:993/INBOX\n"
	    "imap_user = fm@example.com\n"
	    "imap_password_file = /etc/fts/imap-password\n"
	    "imap_ca_file = /etc/ssl/ca.pem\n"
	    "organizer_name = Ana Souza # not a comment\n"
	    "organizer_email = ana@example.com\n"
	    "smtp_timeout = 2m\n"
	    "smtp_connect_timeout = 5\n"
	    "poll_interval = 1h\n"
	    "retry_lifetime = 2d\n"
	    "mail_copy_dir = /tmp/mail\n"
	    "\t# indented comment\n"
	    "checkin_cadence_weeks = 4\n", &cfg, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_string_equal(cfg.path, conf_path);
	fields_check(&cfg, 1);
}

#define KEY_VALUES_MAX 8

/*
 * The values of one key that a file may and may not set.  Each is read as
 * the file's only line "key = value"; a refusal must name the file, line 1
 * and the key, and says[i] (when set) is what it must also say about
 * refused[i].  A NULL key means the refused lines are whole lines, not
 * "key = value".
 */
struct key_values {
	const char	*key;
	const char	*accepted[KEY_VALUES_MAX];
	const char	*refused[KEY_VALUES_MAX];
	const char	*says[KEY_VALUES_MAX];
};

static const struct key_values key_values[] = {
	{ .key = "workers", .accepted = { "1" }, .refused = { "0", "65", "abc", "2x", "-2", "" },
	  .says = { "\"0\" is not a number between 1 and 64", "\"65\" is not a number between 1 and 64",
	      "\"abc\" is not a number between 1 and 64", NULL, NULL, "\"\" is not a number" } },
	{ .key = "max_body", .accepted = { "1k", "1024", "64M" },
	  .refused = { "1023", "65M", "1G", "M", "99999999999999999999k" },
	  .says = { "\"1023\" is not a size" } },
	{ .key = "smtp_timeout", .accepted = { "3600" }, .refused = { "0", "2h" },
	  .says = { "\"0\" is not a duration" } },
	{ .key = "smtp_connect_timeout", .refused = { "301" } },
	{ .key = "poll_interval", .accepted = { "1s" }, .refused = { "0", "5w" } },
	{ .key = "retry_lifetime", .accepted = { "365d" }, .refused = { "59", "366d" } },
	{ .key = "checkin_cadence_weeks", .accepted = { "1" }, .refused = { "5" } },
	{ .key = "auth", .accepted = { "remote_user" }, .refused = { "basic", "NONE" },
	  .says = { "\"basic\" is not remote_user or none" } },
	{ .key = "auth_autoprovision", .accepted = { "fm", "no" }, .refused = { "manager" },
	  .says = { "\"manager\" is not no or fm" } },
	{ .key = "visibility", .accepted = { "own", "team" }, .refused = { "mine" },
	  .says = { "\"mine\" is not team or own" } },
	{ .key = "demo_user", .accepted = { "fm.bruno" } },
	{ .key = "base_url", .accepted = { "http://localhost:8080" },
	  .refused = { "ftp://example.com", "http://", "example.com", "http://exa mple.com" },
	  .says = { "\"ftp://example.com\" is not an http" } },
	{ .key = "smtp_url", .accepted = { "smtp://[::1]:2525" },
	  .refused = { "http://mail.example.com", "smtp:///x" } },
	{ .key = "imap_url", .accepted = { "", "imap://127.0.0.1:1143/INBOX", "imaps://mail.example.com" },
	  .refused = { "smtp://mail.example.com", "imap:///INBOX" },
	  .says = { "\"smtp://mail.example.com\" is not an imap:// or imaps:// URL" } },
	{ .key = "listen", .accepted = { "127.0.0.1:9000", "[::1]:9000", "\"\"", "" },
	  .refused = { "127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", ":9000", "unix:relative.sock", "unix:" },
	  .says = { "\"127.0.0.1\" is not unix:/path or host:port" } },
	{ .key = "database", .refused = { "" }, .says = { "must not be empty" } },
	{ .key = "templates_dir", .refused = { "\"\"" }, .says = { "must not be empty" } },
	{ .key = "static_dir", .refused = { "" }, .says = { "must not be empty" } },
	{ .key = "secret_file", .accepted = { "/var/lib/x/secret" }, .refused = { "" },
	  .says = { "must not be empty" } },
	{ .key = "smtp_user", .accepted = { "relay-user", "" }, .refused = { "a\x01" "b" },
	  .says = { "value is not printable" } },
	{ .key = "smtp_password_file", .accepted = { "" }, .refused = { "/etc/pw\xff" },
	  .says = { "value is not printable UTF-8" } },
	{ .key = "smtp_ca_file", .accepted = { "/etc/ca.pem" }, .refused = { "\x1b[1m" },
	  .says = { "value is not printable" } },
	{ .key = "mail_copy_dir", .accepted = { "" }, .refused = { "/tmp/\xc0\xaf" },
	  .says = { "value is not printable UTF-8" } },
	{ .key = "organizer_name", .accepted = { "", "S\xc3\xa3o Paulo FM" },
	  .refused = { "bad \xc3\x28 utf8", "bell\a", "tab\tinside" },
	  .says = { "value is not printable UTF-8", "value is not printable", "value is not printable" } },
	{ .key = "organizer_email", .accepted = { "" }, .refused = { "ana", "ana@localhost" },
	  .says = { "\"ana\" is not an e-mail address" } },
	{ .key = "smtp_from",
	  .accepted = { "fts@example.com", "Some Name <fts@example.com>", "<fts@example.com>", "fts@localhost" },
	  .refused = { "Some Name", "Name <>", "Name <fts@example.com", "\"\"", "fts@example.com>",
	      "Name <@example.com>", "Name <fts@>", "Name <f ts@example.com>" } },
	{ .key = "colour", .refused = { "blue" }, .says = { "unknown key" } },
	{ .key = "Workers", .refused = { "2" }, .says = { "unknown key" } },
	{ .key = NULL, .refused = { "workers 2", "= 2" },
	  .says = { "expected \"key = value\"", "expected \"key = value\"" } },
};

/*
 * Reads "key = value" (value alone when key is NULL) as the whole file.
 * Fails naming the line when it is not taken (taken) or when it is and
 * its error does not start "file:1: key:" and hold says (when not NULL).
 */
static void
value_check(const char *key, const char *value, int taken, const char *says)
{
	struct config	 cfg;
	char		 err[1024], text[256], start[512];
	int		 rc;

	if (key != NULL) {
		snprintf(text, sizeof(text), "%s = %s\n", key, value);
		snprintf(start, sizeof(start), "%s:1: %s:", conf_path, key);
	} else {
		snprintf(text, sizeof(text), "%s\n", value);
		snprintf(start, sizeof(start), "%s:1: ", conf_path);
	}
	rc = read_conf(text, &cfg, err, sizeof(err));
	if (taken && rc != 0)
		fail_msg("\"%s\": refused: %s", value, err);
	if (!taken && rc == 0)
		fail_msg("\"%s\" (%s): accepted", value, key != NULL ? key : "a whole line");
	if (!taken && strncmp(err, start, strlen(start)) != 0)
		fail_msg("\"%s\": error \"%s\" does not start with \"%s\"", value, err, start);
	if (!taken && says != NULL && strstr(err, says) == NULL)
		fail_msg("\"%s\": error \"%s\" lacks \"%s\"", value, err, says);
}

static void
test_values(void **state)
{
	const struct key_values	*k;
	size_t			 i, j;

	(void)state;
	for (i = 0; i < sizeof(key_values) / sizeof(key_values[0]); i++) {
		k = &key_values[i];
		for (j = 0; j < KEY_VALUES_MAX && k->accepted[j] != NULL; j++)
			value_check(k->key, k->accepted[j], 1, NULL);
		for (j = 0; j < KEY_VALUES_MAX && k->refused[j] != NULL; j++)
			value_check(k->key, k->refused[j], 0, k->says[j]);
	}
}

static void
test_value_too_long(void **state)
{
	struct config	 cfg;
	char		 err[1024], text[1200];

	(void)state;
	/* organizer_name holds 255 bytes. */
	snprintf(text, sizeof(text), "organizer_name = %0255d\n", 0);
	assert_int_equal(read_conf(text, &cfg, err, sizeof(err)), 0);
	assert_int_equal(strlen(cfg.organizer_name), 255);
	snprintf(text, sizeof(text), "organizer_name = %0256d\n", 0);
	assert_int_equal(read_conf(text, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "organizer_name: value is longer than 255 bytes"));
}

static void
test_line_numbers(void **state)
{
	struct config	 cfg;
	char		 err[1024], want[512];

	(void)state;
	assert_int_equal(read_conf(
	    "# comment\n"
	    "\n"
	    "max_body = 4k\n"
	    "   \n"
	    "poll_interval = 10\n"
	    "workers = abc\n", &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:6: workers: \"abc\" is not a number "
	    "between 1 and 64", conf_path);
	assert_string_equal(err, want);

	/* A duplicate names both lines; the first value stays in effect. */
	assert_int_equal(read_conf(
	    "workers = 4\n"
	    "# again\n"
	    "workers = 8\n", &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:3: workers: set twice (first on line 1)",
	    conf_path);
	assert_string_equal(err, want);

	/* No newline at the end of the last line is fine. */
	assert_int_equal(read_conf("workers = 3", &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.workers, 3);

	/* An over-long line is refused, not split. */
	{
		char	*big = malloc(5000);

		assert_non_null(big);
		memset(big, 'x', 4999);
		big[4999] = '\0';
		memcpy(big, "# ", 2);
		assert_int_equal(read_conf(big, &cfg, err, sizeof(err)), -1);
		assert_non_null(strstr(err, ":1: line longer than"));
		free(big);
	}
}

/* Write len bytes (which may hold NULs) as the config file and read it. */
static int
read_conf_bytes(const char *bytes, size_t len, struct config *cfg, char *err, size_t errsz)
{
	FILE	*fp;

	fp = fopen(conf_path, "w");
	assert_non_null(fp);
	assert_int_equal(fwrite(bytes, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	config_defaults(cfg);
	return conf_read(cfg, conf_path, err, errsz);
}

/* Issue 9: a NUL cut the line silently; a leading BOM read as part of the first key. */
static void
test_nul_and_bom(void **state)
{
	static const char	 nul[] = "max_body = 4k\nworkers = 2\0junk\n";
	static const char	 bom[] = "\xef\xbb\xbfworkers = 3\npoll_interval = 7\n";
	static const char	 bom2[] = "workers = 3\n\xef\xbb\xbfpoll_interval = 7\n";
	struct config		 cfg;
	char			 err[1024], want[512];

	(void)state;
	assert_int_equal(read_conf_bytes(nul, sizeof(nul) - 1, &cfg, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:2: NUL byte in line", conf_path);
	assert_string_equal(err, want);
	/* A NUL alone on a line, and at the very end without a newline. */
	assert_int_equal(read_conf_bytes("\0\n", 2, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":1: NUL byte in line"));
	assert_int_equal(read_conf_bytes("workers = 2\n#\0", 15, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: NUL byte in line"));

	/* A byte order mark at the top of the file (Notepad writes one) is skipped... */
	assert_int_equal(read_conf_bytes(bom, sizeof(bom) - 1, &cfg, err, sizeof(err)), 0);
	assert_int_equal(cfg.workers, 3);
	assert_int_equal(cfg.poll_interval, 7);
	/* ...but nowhere else, where it is a stray invisible character. */
	assert_int_equal(read_conf_bytes(bom2, sizeof(bom2) - 1, &cfg, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":2: "));
	assert_non_null(strstr(err, "U+FEFF"));
}

static void
test_missing_file(void **state)
{
	struct config	 cfg;
	char		 err[1024], want[512], path[400];

	(void)state;
	snprintf(path, sizeof(path), "%s/absent.conf", tmpdir);
	config_defaults(&cfg);
	assert_int_equal(conf_read(&cfg, path, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s: cannot open: No such file or directory",
	    path);
	assert_string_equal(err, want);
	assert_int_equal(conf_result.code, RESULT_IO);	/* a system failure, not the file's content */

	/* Asked for by --config or the environment: still an error. */
	assert_int_equal(conf_load(&cfg, path, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	setenv("FTSUCCESS_CONFIG", path, 1);
	assert_int_equal(conf_load(&cfg, NULL, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	unsetenv("FTSUCCESS_CONFIG");
}

static void
test_precedence(void **state)
{
	struct config	 cfg;
	char		 err[1024], other[400];
	FILE		*fp;

	(void)state;
	write_conf("workers = 7\n");
	snprintf(other, sizeof(other), "%s/other.conf", tmpdir);
	fp = fopen(other, "w");
	assert_non_null(fp);
	fputs("workers = 9\n", fp);
	assert_int_equal(fclose(fp), 0);

	/* The environment is used when no path is given... */
	setenv("FTSUCCESS_CONFIG", conf_path, 1);
	if (conf_load(&cfg, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.workers, 7);
	assert_string_equal(cfg.path, conf_path);

	/* ...and an explicit path wins over it. */
	if (conf_load(&cfg, other, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.workers, 9);
	assert_string_equal(cfg.path, other);

	/* An empty variable counts as unset. */
	setenv("FTSUCCESS_CONFIG", "", 1);
	if (access(SYSCONFDIR "/ftsuccess.conf", F_OK) == 0) {
		unlink(other);
		unsetenv("FTSUCCESS_CONFIG");
		skip();	/* an installed file would be read: can't test defaults */
	}
	if (conf_load(&cfg, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.workers, 2);
	assert_string_equal(cfg.path, "");

	/* A file read resets what an earlier load set. */
	unsetenv("FTSUCCESS_CONFIG");
	if (conf_load(&cfg, NULL, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	assert_int_equal(cfg.workers, 2);
	unlink(other);
}

/* The whole of a file under $top_srcdir (malloc'd), or NULL to skip. */
static char *
slurp_srcdir(const char *rel)
{
	const char	*top = getenv("top_srcdir");
	char		 path[1024], *data;
	struct result	 r;

	if (top == NULL || *top == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	result_clear(&r);
	if ((data = unit_file_read(path, NULL, &r)) == NULL)
		fail_msg("%s", r.message);
	return data;
}

/* Replace every "@NAME@" by value in a malloc'd string (returns a new one). */
static char *
subst(char *text, const char *token, const char *value)
{
	char	*out, *p, *q;
	size_t	 n = 0, tlen = strlen(token), vlen = strlen(value);

	for (p = text; (p = strstr(p, token)) != NULL; p += tlen)
		n++;
	out = malloc(strlen(text) + n * vlen + 1);
	assert_non_null(out);
	for (p = text, q = out; *p != '\0';) {
		if (strncmp(p, token, tlen) == 0) {
			memcpy(q, value, vlen);
			q += vlen;
			p += tlen;
		} else
			*q++ = *p++;
	}
	*q = '\0';
	free(text);
	return out;
}

/*
 * The sample file, with every "#key = value" line uncommented, is a valid
 * configuration that sets every key to its default.
 */
static void
test_sample_is_defaults(void **state)
{
	struct config	 def, cfg;
	char		*text, *line, *p, err[1024], pattern[64];
	size_t		 i;

	(void)state;
	if ((text = slurp_srcdir("etc/ftsuccess.conf")) == NULL)
		skip();
	text = subst(text, "@SYSCONFDIR@", SYSCONFDIR);
	text = subst(text, "@LOCALSTATEDIR@", LOCALSTATEDIR);
	text = subst(text, "@PKGDATADIR@", PKGDATADIR);
	text = subst(text, "@LOCALEDIR@", LOCALEDIR);
	for (i = 0; config_key_name(i) != NULL; i++) {
		snprintf(pattern, sizeof(pattern), "\n#%s =", config_key_name(i));
		if ((p = strstr(text, pattern)) == NULL)
			fail_msg("etc/ftsuccess.conf lacks \"#%s = ...\"",
			    config_key_name(i));
	}
	/* Uncomment "#key =" lines: turn the '#' into a space. */
	for (line = text; line != NULL && *line != '\0';) {
		if (line[0] == '#' && line[1] >= 'a' && line[1] <= 'z' &&
		    strchr(line, '=') != NULL &&
		    strchr(line, '=') < strchr(line, '\n'))
			line[0] = ' ';
		line = strchr(line, '\n');
		if (line != NULL)
			line++;
	}
	write_conf(text);
	free(text);
	config_defaults(&def);
	config_defaults(&cfg);
	memset(cfg.database, 'x', 10);	/* prove the file is what sets it */
	if (conf_read(&cfg, conf_path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	memcpy(def.path, cfg.path, sizeof(def.path));
	assert_string_equal(cfg.database, def.database);
	assert_memory_equal(&cfg, &def, sizeof(cfg));
}

/* Every key is documented in the man page and in docs/configuration.md. */
static void
test_keys_documented(void **state)
{
	char		*man, *md, want[96];
	size_t		 i;

	(void)state;
	if ((man = slurp_srcdir("man/ftsuccess.conf.5")) == NULL)
		skip();
	md = slurp_srcdir("docs/configuration.md");
	for (i = 0; config_key_name(i) != NULL; i++) {
		snprintf(want, sizeof(want), ".It Cm %s ", config_key_name(i));
		if (strstr(man, want) == NULL)
			fail_msg("man/ftsuccess.conf.5 lacks \"%s\"", want);
		snprintf(want, sizeof(want), "\n### `%s`", config_key_name(i));
		if (strstr(md, want) == NULL)
			fail_msg("docs/configuration.md lacks \"%s\"", want + 1);
	}
	free(man);
	free(md);
}

UNIT_MAIN("config",
	cmocka_unit_test(test_defaults),
	UNIT_TEST_FIXTURE(test_every_key),
	UNIT_TEST_FIXTURE(test_values),
	UNIT_TEST_FIXTURE(test_value_too_long),
	UNIT_TEST_FIXTURE(test_line_numbers),
	UNIT_TEST_FIXTURE(test_nul_and_bom),
	UNIT_TEST_FIXTURE(test_missing_file),
	UNIT_TEST_FIXTURE(test_precedence),
	UNIT_TEST_FIXTURE(test_sample_is_defaults),
	cmocka_unit_test(test_keys_documented),
)
