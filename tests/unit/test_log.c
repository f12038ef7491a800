/* test_log.c -- shared/core/log.c output captured from stderr through a pipe: format, levels, escaping, quoting. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <regex.h>
#include <sys/wait.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "unit.h"

static int	 saved_stderr = -1;
static int	 pipe_read = -1;

/* Point stderr at a fresh pipe (big enough for every test's output). */
static void
capture_start(void)
{
	int	 fds[2];

	assert_int_equal(pipe(fds), 0);
	saved_stderr = dup(STDERR_FILENO);
	assert_true(saved_stderr != -1);
	assert_int_equal(dup2(fds[1], STDERR_FILENO), STDERR_FILENO);
	close(fds[1]);
	pipe_read = fds[0];
}

/* Restore stderr and return what was written (malloc'd). */
static char *
capture_end(void)
{
	char	*out;
	size_t	 len = 0, cap = 65536;
	ssize_t	 n;

	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	out = malloc(cap);
	assert_non_null(out);
	while ((n = read(pipe_read, out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	close(pipe_read);
	out[len] = '\0';
	return out;
}

static void
assert_matches(const char *text, const char *pattern)
{
	regex_t	 re;
	int	 rc;

	assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&re, text, 0, NULL, 0);
	regfree(&re);
	if (rc != 0)
		fail_msg("\"%s\" does not match /%s/", text, pattern);
}

static void
test_format(void **state)
{
	char	*out, pid[32], want[128];

	(void)state;
	unsetenv("FTSUCCESS_LOG_LEVEL");
	log_init("/usr/sbin/ftsuccess.fcgi", LOG_LEVEL_INFO);
	capture_start();
	log_info("store: opened path=%s", "/var/lib/ftsuccess/ftsuccess.db");
	out = capture_end();
	assert_matches(out, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
	    "[0-9]{2}Z ftsuccess\\.fcgi\\[[0-9]+\\] info store: opened "
	    "path=/var/lib/ftsuccess/ftsuccess\\.db\n$");
	snprintf(pid, sizeof(pid), "[%ld]", (long)getpid());
	assert_non_null(strstr(out, pid));
	free(out);

	/* Each level is named; warn adds strerror and keeps errno. */
	capture_start();
	log_warnx("a=%d", 1);
	errno = ENOENT;
	log_warn("open %s", "/x");
	assert_int_equal(errno, ENOENT);
	log_errorx("done");
	out = capture_end();
	snprintf(want, sizeof(want), " warn open /x: %s\n", strerror(ENOENT));
	assert_non_null(strstr(out, " warn a=1\n"));
	assert_non_null(strstr(out, want));
	assert_non_null(strstr(out, " error done\n"));
	free(out);
}

static void
test_levels(void **state)
{
	char	*out;

	(void)state;
	unsetenv("FTSUCCESS_LOG_LEVEL");
	log_init("lvl", LOG_LEVEL_WARN);
	capture_start();
	log_debug("hidden-debug");
	log_info("hidden-info");
	log_warnx("shown-warn");
	out = capture_end();
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, "lvl["));
	assert_non_null(strstr(out, "shown-warn"));
	free(out);

	/* The environment overrides what the program asked for. */
	setenv("FTSUCCESS_LOG_LEVEL", "debug", 1);
	log_init("lvl", LOG_LEVEL_ERROR);
	capture_start();
	log_debug("shown-debug");
	out = capture_end();
	assert_non_null(strstr(out, " debug shown-debug\n"));
	free(out);

	/* A bad value is reported and ignored. */
	setenv("FTSUCCESS_LOG_LEVEL", "loud", 1);
	capture_start();
	log_init("lvl", LOG_LEVEL_ERROR);
	log_warnx("hidden-after");
	out = capture_end();
	assert_non_null(strstr(out, "FTSUCCESS_LOG_LEVEL=loud"));
	assert_null(strstr(out, "hidden-after"));
	free(out);
	unsetenv("FTSUCCESS_LOG_LEVEL");
}

static void
test_level_parse(void **state)
{
	static const struct {
		const char	*name;		/* NULL: no level given */
		int		 rc;
		enum log_level	 want;		/* when rc is 0 */
	} cases[] = {
		{ .name = "debug", .rc = 0, .want = LOG_LEVEL_DEBUG },
		{ .name = "info", .rc = 0, .want = LOG_LEVEL_INFO },
		{ .name = "warn", .rc = 0, .want = LOG_LEVEL_WARN },
		{ .name = "error", .rc = 0, .want = LOG_LEVEL_ERROR },
		{ .name = "warning", .rc = -1 },
		{ .name = "", .rc = -1 },
		{ .name = NULL, .rc = -1 },
	};
	enum log_level	 l;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		rc = log_level_parse(cases[i].name, &l);
		if (rc != cases[i].rc)
			fail_msg("case %zu (\"%s\"): rc %d, want %d", i,
			    cases[i].name != NULL ? cases[i].name : "(null)", rc, cases[i].rc);
		if (rc == 0 && l != cases[i].want)
			fail_msg("case %zu (\"%s\"): level %d, want %d", i, cases[i].name,
			    (int)l, (int)cases[i].want);
	}
}

static void
test_one_line(void **state)
{
	char	*out, *big, *nl;
	size_t	 lines = 0;

	(void)state;
	unsetenv("FTSUCCESS_LOG_LEVEL");
	log_init("t", LOG_LEVEL_DEBUG);
	capture_start();
	log_info("injected\nfake 2026-01-01T00:00:00Z t[1] error x\r\x1b[31m");
	out = capture_end();
	assert_non_null(strstr(out,
	    "info injected\\nfake 2026-01-01T00:00:00Z t[1] error x\\r\\x1b[31m\n"));
	for (nl = out; (nl = strchr(nl, '\n')) != NULL; nl++)
		lines++;
	assert_int_equal(lines, 1);
	free(out);

	/* An over-long message is cut to one 4096-byte line ending in "...". */
	big = malloc(10000);
	assert_non_null(big);
	memset(big, 'y', 9999);
	big[9999] = '\0';
	capture_start();
	errno = EACCES;
	log_warn("%s", big);
	out = capture_end();
	assert_int_equal(strlen(out), 4096);
	assert_string_equal(out + 4096 - 4, "...\n");
	assert_int_equal(strchr(out, '\n') - out, 4095);
	free(out);
	free(big);
}

/*
 * Several processes logging long lines to one pipe at once, as pre-forked
 * workers do: every line arrives whole (one write(2) of at most PIPE_BUF).
 */
static void
test_no_interleaving(void **state)
{
	enum { NPROC = 4, NLINES = 200, PAD = 3000 };
	char	 pad[PAD + 1], *out, *line, *nl;
	size_t	 len = 0, cap = (size_t)NPROC * NLINES * (PAD + 128);
	ssize_t	 n;
	pid_t	 pids[NPROC];
	int	 i, j, status, count[NPROC] = { 0 }, w, l, end;

	(void)state;
	unsetenv("FTSUCCESS_LOG_LEVEL");
	memset(pad, 'x', PAD);
	pad[PAD] = '\0';
	capture_start();
	for (i = 0; i < NPROC; i++) {
		pids[i] = fork();
		assert_true(pids[i] != -1);
		if (pids[i] == 0) {
			close(pipe_read);
			log_init("worker", LOG_LEVEL_INFO);
			for (j = 0; j < NLINES; j++)
				log_info("w=%d l=%d %s", i, j, pad);
			_exit(0);
		}
	}
	/* Only the children hold the pipe now: EOF when the last one exits. */
	assert_int_equal(dup2(saved_stderr, STDERR_FILENO), STDERR_FILENO);
	close(saved_stderr);
	out = malloc(cap + 1);
	assert_non_null(out);
	while (len < cap && (n = read(pipe_read, out + len, cap - len)) > 0)
		len += (size_t)n;
	close(pipe_read);
	out[len] = '\0';
	for (i = 0; i < NPROC; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}

	for (line = out; *line != '\0'; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		*nl = '\0';
		/* "2026-11-26T00:00:00Z worker[123] info w=1 l=2 xxx...x" */
		assert_matches(line, "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z ");
		assert_int_equal(sscanf(line + 20, " worker[%*d] info w=%d l=%d%n",
		    &w, &l, &end), 2);
		assert_int_equal(line[20 + end], ' ');
		assert_int_equal(strspn(line + 20 + end + 1, "x"), PAD);
		assert_int_equal(strlen(line + 20 + end + 1), PAD);
		assert_true(w >= 0 && w < NPROC);
		/* Each process' lines arrive in its own order. */
		assert_int_equal(l, count[w]);
		count[w]++;
	}
	for (i = 0; i < NPROC; i++)
		assert_int_equal(count[i], NLINES);
	free(out);
}

struct quote_case {
	const char	*in;
	const char	*want;
};

static const struct quote_case quote_cases[] = {
	{ "plain", "plain" },
	{ "/var/lib/x.db", "/var/lib/x.db" },
	{ "", "\"\"" },
	{ "two words", "\"two words\"" },
	{ "say \"hi\"", "\"say \\\"hi\\\"\"" },
	{ "back\\slash", "\"back\\\\slash\"" },
	{ "a=b", "\"a=b\"" },
	{ "line\nbreak", "\"line\\nbreak\"" },
	{ "cr\rtab\t", "\"cr\\rtab\\t\"" },
	{ "bell\a", "\"bell\\x07\"" },
	{ "del\x7f", "\"del\\x7f\"" },
	{ "S\xc3\xa3o", "S\xc3\xa3o" },
};

static void
test_quote(void **state)
{
	char	 buf[64], small[8];
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(quote_cases) / sizeof(quote_cases[0]); i++)
		assert_string_equal(log_quote(quote_cases[i].in, buf,
		    sizeof(buf)), quote_cases[i].want);
	assert_string_equal(log_quote(NULL, buf, sizeof(buf)), "\"\"");
	/* Cut inside the quotes, never mid-escape, always terminated. */
	assert_string_equal(log_quote("a b c d e f", small, sizeof(small)),
	    "\"a b c\"");
	assert_string_equal(log_quote("\n\n\n\n", small, sizeof(small)),
	    "\"\\n\\n\"");
	assert_string_equal(log_quote("abcdefghijkl", small, sizeof(small)),
	    "abcdefg");
	assert_ptr_equal(log_quote("x", small, sizeof(small)), small);
}

UNIT_MAIN("log",
	cmocka_unit_test(test_format),
	cmocka_unit_test(test_levels),
	cmocka_unit_test(test_level_parse),
	cmocka_unit_test(test_one_line),
	cmocka_unit_test(test_no_interleaving),
	cmocka_unit_test(test_quote),
)
