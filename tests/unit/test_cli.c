/* test_cli.c -- table-driven checks of shared/core/cli.c: what each command line sets and which exit status it asks for. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"
#include "unit.h"

static int usage_calls;

static void
usage(FILE *f)
{
	(void)f;
	usage_calls++;
}

struct parsed {
	const char	*config;
	int		 once;
	long long	 workers, mode;
};

/* Parse words (NULL-terminated, after the program name) with a table like the programs'. */
static int
parse(const char *const *words, struct parsed *p)
{
	static const struct cli_program prog = {
		.name = "test_cli", .version = "test_cli 1", .usage = usage,
	};
	const struct cli_option opts[] = {
		{ .name = "config", .letter = 'c', .kind = CLI_STRING, .target = &p->config },
		{ .name = "once", .letter = '1', .kind = CLI_FLAG, .target = &p->once },
		{ .name = "workers", .letter = 'w', .kind = CLI_INT, .target = &p->workers,
		    .min = 1, .max = 64 },
		{ .name = "socket-mode", .letter = 'm', .kind = CLI_OCTAL, .target = &p->mode,
		    .min = 0, .max = 0777 },
		{ .name = "help", .letter = 'h', .kind = CLI_HELP },
		{ .name = "version", .letter = 'V', .kind = CLI_VERSION },
	};
	char	*argv[16];
	int	 argc = 0;

	argv[argc++] = (char *)(uintptr_t)"test_cli";
	while (*words != NULL && argc < 15)
		argv[argc++] = (char *)(uintptr_t)*words++;
	argv[argc] = NULL;
	memset(p, 0, sizeof(*p));
	p->mode = -1;
	return cli_parse(&prog, opts, sizeof(opts) / sizeof(opts[0]), argc, argv);
}

static void
test_parse(void **state)
{
	static const struct {
		const char	*words[6];
		int		 want;		/* -1 go on, else exit status */
		const char	*config;
		int		 once;
		long long	 workers, mode;
		int		 usage;		/* usage() called */
	} cases[] = {
		{ .words = { NULL }, .want = -1, .mode = -1 },
		{ .words = { "--config", "/x.conf", "--once", NULL }, .want = -1, .config = "/x.conf",
		    .once = 1, .mode = -1 },
		{ .words = { "-c", "/y", "-1", NULL }, .want = -1, .config = "/y", .once = 1, .mode = -1 },
		{ .words = { "--workers", "64", NULL }, .want = -1, .workers = 64, .mode = -1 },
		{ .words = { "-w", "1", "-m", "0660", NULL }, .want = -1, .workers = 1, .mode = 0660 },
		{ .words = { "--socket-mode", "0", NULL }, .want = -1, .mode = 0 },
		{ .words = { "--workers", "65", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--workers", "0", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--workers", "2x", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--socket-mode", "0999", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--socket-mode", "01000", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--workers", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--no-such-option", NULL }, .want = 2, .mode = -1 },
		{ .words = { "-z", NULL }, .want = 2, .mode = -1 },
		{ .words = { "extra-argument", NULL }, .want = 2, .mode = -1 },
		{ .words = { "--help", NULL }, .want = 0, .mode = -1, .usage = 1 },
		{ .words = { "--version", NULL }, .want = 0, .mode = -1 },
	};
	struct parsed	 p;
	size_t		 i;
	int		 rc;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		usage_calls = 0;
		rc = parse(cases[i].words, &p);
		if (rc != cases[i].want)
			fail_msg("case %zu (%s): rc %d, want %d", i,
			    cases[i].words[0] ? cases[i].words[0] : "none", rc, cases[i].want);
		if (rc != -1) {
			assert_int_equal(usage_calls, cases[i].usage);
			continue;
		}
		if ((p.config == NULL) != (cases[i].config == NULL) ||
		    (p.config != NULL && strcmp(p.config, cases[i].config) != 0))
			fail_msg("case %zu: config %s", i, p.config ? p.config : "(unset)");
		assert_int_equal(p.once, cases[i].once);
		assert_int_equal(p.workers, cases[i].workers);
		assert_int_equal(p.mode, cases[i].mode);
	}
}

UNIT_MAIN("cli",
	cmocka_unit_test(test_parse),
)
