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

/* config_read_file with its message copied into err (most tests compare the text). */
static int
conf_read(struct config *cfg, const char *path, char *err, size_t errsz)
{
	int	 rc;

	result_clear(&conf_result);
	rc = config_read_file(cfg, path, &conf_result);
	snprintf(err, errsz, "%s", conf_result.message);
	return rc;
}

/* config_load, the same way. */
static int
conf_load(struct config *cfg, const char *path, char *err, size_t errsz)
{
	int	 rc;

	result_clear(&conf_result);
	rc = config_load(cfg, path, &conf_result);
	snprintf(err, errsz, "%s", conf_result.message);
	return rc;
}

/* Read text as a config file over the defaults; returns the result, err filled. */
static int
read_conf(const char *text, struct config *cfg, char *err, size_t errsz)
{
	write_conf(text);
	config_defaults(cfg);
	return conf_read(cfg, conf_path, err, errsz);
}

static void
test_defaults(void **state)
{
	struct config	 cfg;

	(void)state;
	config_defaults(&cfg);
	assert_string_equal(cfg.path, "");
	assert_string_equal(cfg.database,
	    LOCALSTATEDIR "/lib/ftsuccess/ftsuccess.db");
	assert_string_equal(cfg.base_url, "http://127.0.0.1:8080");
	assert_int_equal(cfg.auth, CONFIG_AUTH_REMOTE_USER);
	assert_int_equal(cfg.auth_autoprovision, CONFIG_AUTOPROVISION_NO);
	assert_string_equal(cfg.demo_user, "demo");
	assert_int_equal(cfg.visibility, CONFIG_VISIBILITY_TEAM);
	assert_string_equal(cfg.listen, "");
	assert_int_equal(cfg.workers, 2);
	assert_int_equal(cfg.max_body, 1024 * 1024);
	assert_string_equal(cfg.templates_dir, PKGDATADIR "/templates");
	assert_string_equal(cfg.static_dir, PKGDATADIR "/static");
	assert_string_equal(cfg.secret_file, LOCALSTATEDIR "/lib/ftsuccess/secret");
	assert_string_equal(cfg.smtp_url, "smtp://127.0.0.1:25");
	assert_string_equal(cfg.smtp_user, "");
	assert_string_equal(cfg.smtp_password_file, "");
	assert_string_equal(cfg.smtp_ca_file, "");
	assert_string_equal(cfg.smtp_from, "ftsuccess <ftsuccess@localhost>");
	assert_string_equal(cfg.organizer_name, "");
	assert_string_equal(cfg.organizer_email, "");
	assert_int_equal(cfg.smtp_timeout, 60);
	assert_int_equal(cfg.smtp_connect_timeout, 10);
	assert_int_equal(cfg.poll_interval, 5);
	assert_int_equal(cfg.retry_lifetime, 432000);
	assert_string_equal(cfg.mail_copy_dir, "");
	assert_int_equal(cfg.checkin_cadence_weeks, 2);
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
	assert_string_equal(cfg.database, "/srv/fts/db.sqlite");
	assert_string_equal(cfg.base_url, "https://fts.example.com");
	assert_int_equal(cfg.auth, CONFIG_AUTH_NONE);
	assert_string_equal(cfg.listen, "unix:/run/ftsuccess/fcgi.sock");
	assert_int_equal(cfg.workers, 64);
	assert_int_equal(cfg.max_body, 2 * 1024 * 1024);
	assert_string_equal(cfg.templates_dir, "/srv/fts/templates");
	assert_string_equal(cfg.static_dir, "/srv/fts/static");
	assert_string_equal(cfg.secret_file, "/srv/fts/secret");
	assert_string_equal(cfg.smtp_url, "smtps://mail.example.com:465");
	assert_string_equal(cfg.smtp_user, "fts@example.com");
	assert_string_equal(cfg.smtp_password_file, "/etc/fts/smtp-password");
	assert_string_equal(cfg.smtp_ca_file, "/etc/ssl/certs/ca.pem");
	assert_string_equal(cfg.smtp_from, "FastTrack <fts@example.com>");
	assert_string_equal(cfg.organizer_name, "Ana Souza # not a comment");
	assert_string_equal(cfg.organizer_email, "ana@example.com");
	assert_int_equal(cfg.smtp_timeout, 120);
	assert_int_equal(cfg.smtp_connect_timeout, 5);
	assert_int_equal(cfg.poll_interval, 3600);
	assert_int_equal(cfg.retry_lifetime, 2 * 86400);
	assert_string_equal(cfg.mail_copy_dir, "/tmp/mail");
	assert_int_equal(cfg.checkin_cadence_weeks, 4);
}

struct value_case {
	const char	*line;		/* one config line */
	int		 ok;
	const char	*want;		/* ok: not checked; error: substring of err */
};

static const struct value_case value_cases[] = {
	{ "workers = 1", 1, NULL },
	{ "workers = 0", 0, ":1: workers: \"0\" is not a number between 1 and 64" },
	{ "workers = 65", 0, "workers: \"65\" is not a number between 1 and 64" },
	{ "workers = abc", 0, "workers: \"abc\" is not a number between 1 and 64" },
	{ "workers = 2x", 0, "workers" },
	{ "workers = -2", 0, "workers" },
	{ "workers =", 0, "workers: \"\" is not a number" },
	{ "max_body = 1k", 1, NULL },
	{ "max_body = 1024", 1, NULL },
	{ "max_body = 64M", 1, NULL },
	{ "max_body = 1023", 0, "max_body: \"1023\" is not a size" },
	{ "max_body = 65M", 0, "max_body" },
	{ "max_body = 1G", 0, "max_body" },
	{ "max_body = M", 0, "max_body" },
	{ "max_body = 99999999999999999999k", 0, "max_body" },
	{ "smtp_timeout = 3600", 1, NULL },
	{ "smtp_timeout = 0", 0, "smtp_timeout: \"0\" is not a duration" },
	{ "smtp_timeout = 2h", 0, "smtp_timeout" },
	{ "smtp_connect_timeout = 301", 0, "smtp_connect_timeout" },
	{ "poll_interval = 1s", 1, NULL },
	{ "poll_interval = 0", 0, "poll_interval" },
	{ "poll_interval = 5w", 0, "poll_interval" },
	{ "retry_lifetime = 365d", 1, NULL },
	{ "retry_lifetime = 59", 0, "retry_lifetime" },
	{ "retry_lifetime = 366d", 0, "retry_lifetime" },
	{ "checkin_cadence_weeks = 1", 1, NULL },
	{ "checkin_cadence_weeks = 5", 0, "checkin_cadence_weeks" },
	{ "auth = remote_user", 1, NULL },
	{ "auth = basic", 0, "auth: \"basic\" is not remote_user or none" },
	{ "auth = NONE", 0, "auth" },
	{ "auth_autoprovision = fm", 1, NULL },
	{ "auth_autoprovision = manager", 0, "auth_autoprovision: \"manager\" is not no or fm" },
	{ "visibility = own", 1, NULL },
	{ "visibility = mine", 0, "visibility: \"mine\" is not team or own" },
	{ "demo_user = fm.bruno", 1, NULL },
	{ "base_url = http://localhost:8080", 1, NULL },
	{ "base_url = ftp://example.com", 0, "base_url: \"ftp://example.com\" is not an http" },
	{ "base_url = http://", 0, "base_url" },
	{ "base_url = example.com", 0, "base_url" },
	{ "base_url = http://exa mple.com", 0, "base_url" },
	{ "smtp_url = smtp://[::1]:2525", 1, NULL },
	{ "smtp_url = http://mail.example.com", 0, "smtp_url" },
	{ "smtp_url = smtp:///x", 0, "smtp_url" },
	{ "listen = 127.0.0.1:9000", 1, NULL },
	{ "listen = [::1]:9000", 1, NULL },
	{ "listen = \"\"", 1, NULL },
	{ "listen =", 1, NULL },
	{ "listen = 127.0.0.1", 0, "listen: \"127.0.0.1\" is not unix:/path or host:port" },
	{ "listen = 127.0.0.1:0", 0, "listen" },
	{ "listen = 127.0.0.1:65536", 0, "listen" },
	{ "listen = :9000", 0, "listen" },
	{ "listen = unix:relative.sock", 0, "listen" },
	{ "listen = unix:", 0, "listen" },
	{ "database =", 0, "database: must not be empty" },
	{ "templates_dir = \"\"", 0, "templates_dir: must not be empty" },
	{ "static_dir =", 0, "static_dir: must not be empty" },
	{ "secret_file =", 0, "secret_file: must not be empty" },
	{ "secret_file = /var/lib/x/secret", 1, NULL },
	{ "smtp_user = relay-user", 1, NULL },
	{ "smtp_user =", 1, NULL },
	{ "smtp_user = a\x01b", 0, "smtp_user: value is not printable" },
	{ "smtp_password_file =", 1, NULL },
	{ "smtp_password_file = /etc/pw\xff", 0, "smtp_password_file: value is not printable UTF-8" },
	{ "smtp_ca_file = /etc/ca.pem", 1, NULL },
	{ "smtp_ca_file = \x1b[1m", 0, "smtp_ca_file: value is not printable" },
	{ "mail_copy_dir =", 1, NULL },
	{ "mail_copy_dir = /tmp/\xc0\xaf", 0, "mail_copy_dir: value is not printable UTF-8" },
	{ "organizer_name =", 1, NULL },
	{ "organizer_email =", 1, NULL },
	{ "organizer_email = ana", 0, "organizer_email: \"ana\" is not an e-mail address" },
	{ "organizer_email = ana@localhost", 0, "organizer_email" },
	{ "smtp_from = fts@example.com", 1, NULL },
	{ "smtp_from = Some Name <fts@example.com>", 1, NULL },
	{ "smtp_from = Some Name", 0, "smtp_from" },
	{ "smtp_from = Name <>", 0, "smtp_from" },
	{ "smtp_from = Name <fts@example.com", 0, "smtp_from" },
	{ "smtp_from = \"\"", 0, "smtp_from" },
	{ "smtp_from = <fts@example.com>", 1, NULL },
	{ "smtp_from = fts@localhost", 1, NULL },
	{ "smtp_from = fts@example.com>", 0, "smtp_from" },
	{ "smtp_from = Name <@example.com>", 0, "smtp_from" },
	{ "smtp_from = Name <fts@>", 0, "smtp_from" },
	{ "smtp_from = Name <f ts@example.com>", 0, "smtp_from" },
	{ "organizer_name = S\xc3\xa3o Paulo FM", 1, NULL },
	{ "organizer_name = bad \xc3\x28 utf8", 0, "organizer_name: value is not printable UTF-8" },
	{ "organizer_name = bell\a", 0, "organizer_name: value is not printable" },
	{ "organizer_name = tab\tinside", 0, "organizer_name: value is not printable" },
	{ "colour = blue", 0, ":1: colour: unknown key" },
	{ "Workers = 2", 0, "Workers: unknown key" },
	{ "workers 2", 0, ":1: expected \"key = value\"" },
	{ "= 2", 0, ":1: expected \"key = value\"" },
};

static void
test_values(void **state)
{
	struct config	 cfg;
	char		 err[1024], text[256];
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++) {
		const struct value_case *c = &value_cases[i];

		snprintf(text, sizeof(text), "%s\n", c->line);
		rc = read_conf(text, &cfg, err, sizeof(err));
		if (c->ok && rc != 0)
			fail_msg("\"%s\": refused: %s", c->line, err);
		if (!c->ok && rc == 0)
			fail_msg("\"%s\": accepted", c->line);
		if (!c->ok && strstr(err, c->want) == NULL)
			fail_msg("\"%s\": error \"%s\" lacks \"%s\"", c->line,
			    err, c->want);
		/* Every error names the file first. */
		if (!c->ok && strncmp(err, conf_path, strlen(conf_path)) != 0)
			fail_msg("\"%s\": error \"%s\" does not start with the "
			    "file name", c->line, err);
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
	FILE		*fp;
	long		 size;

	if (top == NULL || *top == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", top, rel);
	fp = fopen(path, "r");
	if (fp == NULL)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	size = ftell(fp);
	assert_true(size >= 0);
	rewind(fp);
	data = malloc((size_t)size + 1);
	assert_non_null(data);
	assert_int_equal(fread(data, 1, (size_t)size, fp), (size_t)size);
	data[size] = '\0';
	fclose(fp);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test_setup_teardown(test_every_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_too_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_numbers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_and_bom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample_is_defaults, setup, teardown),
		cmocka_unit_test(test_keys_documented),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
