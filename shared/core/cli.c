/* cli.c -- one command-line parser for the web program, the notifier and the sample tools, driven by their option tables. */
#include "autoconfig.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "text.h"

/* Enough for every program here: getopt_long needs its own table and short-option string. */
#define CLI_MAX	32

/* A value in [min, max] written in base (8 or 10): 0, or -1. */
static int
cli_number(const char *s, int base, long long min, long long max, long long *out)
{
	long long	 v;
	char		*end;

	if (base == 10)
		return text_int_parse(s, min, max, out);
	errno = 0;
	v = strtoll(s, &end, base);
	if (errno != 0 || *s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The value of o from optarg; -1 after saying what is wrong with it. */
static int
cli_value(const struct cli_program *prog, const struct cli_option *o, const char *arg)
{
	switch (o->kind) {
	case CLI_FLAG:
		*(int *)o->target = 1;
		return 0;
	case CLI_STRING:
		*(const char **)o->target = arg;
		return 0;
	case CLI_INT:
		if (cli_number(arg, 10, o->min, o->max, (long long *)o->target) == 0)
			return 0;
		fprintf(stderr, "%s: --%s must be %lld..%lld, not '%s'\n", prog->name, o->name,
		    o->min, o->max, arg);
		return -1;
	case CLI_OCTAL:
		if (cli_number(arg, 8, o->min, o->max, (long long *)o->target) == 0)
			return 0;
		fprintf(stderr, "%s: --%s must be octal %#llo..%#llo, not '%s'\n", prog->name, o->name,
		    (unsigned long long)o->min, (unsigned long long)o->max, arg);
		return -1;
	default:
		return -1;
	}
}

int
cli_parse(const struct cli_program *prog, const struct cli_option *opts, size_t n,
    int argc, char *argv[])
{
	struct option	 longopts[CLI_MAX + 1];
	char		 shortopts[3 * CLI_MAX + 2], *sp = shortopts;
	size_t		 i;
	int		 c, has_arg;

	if (n > CLI_MAX) {
		fprintf(stderr, "%s: %zu options, at most %d\n", prog->name, n, CLI_MAX);
		return 2;
	}
	/* ':' first: a missing value is told apart from an unknown option, and getopt stays quiet. */
	*sp++ = ':';
	for (i = 0; i < n; i++) {
		has_arg = opts[i].kind == CLI_STRING || opts[i].kind == CLI_INT ||
		    opts[i].kind == CLI_OCTAL;
		longopts[i] = (struct option){ .name = opts[i].name,
		    .has_arg = has_arg ? required_argument : no_argument, .val = opts[i].letter };
		*sp++ = (char)opts[i].letter;
		if (has_arg)
			*sp++ = ':';
	}
	*sp = '\0';
	longopts[n] = (struct option){ .name = NULL };
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		if (c == ':') {
			fprintf(stderr, "%s: option '%s' needs a value (try --help)\n", prog->name,
			    argv[optind - 1]);
			return 2;
		}
		for (i = 0; i < n && opts[i].letter != c; i++)
			continue;
		if (c == '?' || i == n) {
			fprintf(stderr, "%s: unknown option '%s' (try --help)\n", prog->name,
			    argv[optind - 1]);
			return 2;
		}
		if (opts[i].kind == CLI_HELP) {
			prog->usage(stdout);
			return 0;
		}
		if (opts[i].kind == CLI_VERSION) {
			printf("%s\n", prog->version);
			return 0;
		}
		if (cli_value(prog, &opts[i], optarg) == -1)
			return 2;
	}
	if (argc - optind > prog->operands) {
		fprintf(stderr, "%s: unexpected argument '%s' (try --help)\n", prog->name,
		    argv[optind + prog->operands]);
		return 2;
	}
	return -1;
}
