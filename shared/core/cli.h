/* cli.h -- the command line of the programs, declared as one table of options (kcgi style). */
#ifndef FTS_CLI_H
#define FTS_CLI_H

#include <stddef.h>
#include <stdio.h>

enum cli_kind {
	CLI_FLAG,	/* no value: *(int *)target = 1 */
	CLI_STRING,	/* *(const char **)target = the value (argv keeps it) */
	CLI_INT,	/* decimal in [min, max]: *(long long *)target */
	CLI_OCTAL,	/* octal in [min, max] (file modes): *(long long *)target */
	CLI_HELP,	/* usage(stdout), exit status 0 */
	CLI_VERSION,	/* print version, exit status 0 */
};

struct cli_option {
	const char	*name;		/* long name without "--": "config" */
	int		 letter;	/* short name: 'c' */
	enum cli_kind	 kind;
	void		*target;	/* see the kinds; untouched when the option is absent */
	long long	 min, max;	/* CLI_INT, CLI_OCTAL */
};

/* What a program says about itself. */
struct cli_program {
	const char	*name;		/* prefix of every message: "ftsuccess-notifier" */
	const char	*version;	/* the line --version prints */
	void		(*usage)(FILE *);
	int		 operands;	/* most operands after the options (then argv[optind..]); 0: none */
};

/*
 * Parse argv against opts[0..n).  A wrong command line (an unknown option,
 * an option without its value, a value out of range, an operand past
 * prog->operands) is
 * reported on stderr naming the option and its value.  -1 to go on, else
 * the exit status: 0 after --help or --version, 2 after a wrong command line.
 */
int cli_parse(const struct cli_program *prog, const struct cli_option *opts, size_t n,
    int argc, char *argv[]);

#endif
