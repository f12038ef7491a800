/* bench.h -- what the benchmark programs share: a monotonic clock and their number arguments (header only: each program is one cc command of bench/run). */
#ifndef FTS_BENCH_H
#define FTS_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* Seconds on the monotonic clock: only differences mean something. */
static inline double
bench_now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* arg as a number of seconds above 0: 0, or -1 with "prog: bad seconds 'arg'" printed. */
static inline int
bench_seconds(const char *prog, const char *arg, double *seconds)
{
	char	*end;

	errno = 0;
	*seconds = strtod(arg, &end);
	if (errno != 0 || *end != '\0' || *seconds <= 0) {
		fprintf(stderr, "%s: bad seconds '%s'\n", prog, arg);
		return -1;
	}
	return 0;
}

/* arg as a count of at least 1: 0, or -1 with "prog: bad what 'arg'" printed. */
static inline int
bench_count(const char *prog, const char *what, const char *arg, long *n)
{
	char	*end;

	errno = 0;
	*n = strtol(arg, &end, 10);
	if (errno != 0 || *end != '\0' || *n < 1) {
		fprintf(stderr, "%s: bad %s '%s'\n", prog, what, arg);
		return -1;
	}
	return 0;
}

#endif
