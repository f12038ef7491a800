/* sample_data.h -- what the two halves of ftsuccess-sample-data share: the generator's state, its seeded random numbers, clock and dates. */
#ifndef FTS_SAMPLE_DATA_H
#define FTS_SAMPLE_DATA_H

#include <stddef.h>
#include <stdint.h>

#include "playbook.h"
#include "result.h"

#define PROG		"ftsuccess-sample-data"
#define DAY		86400
/*
 * History is written at noon UTC of each day: the calendar date is then the
 * same in every zone from UTC-11 to UTC+11, and one day later in the few
 * zones beyond, which the "no future dates" rules accept.
 */
#define NOON		(12 * 3600)
#define MAX_CUSTOMERS	1000000

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define PICK(g, pool)	sample_rnd_pick((g), (pool), NELEM(pool))
#define SAMPLE_POOL	5	/* lines in each pool of check-in texts */

/* Everything the generator carries from one customer to the next. */
struct gen {
	struct store	*st;
	struct playbook	 pb;
	int64_t		 end_now;	/* the present: history stops here */
	int32_t		 today;		/* last day history may be written at noon UTC */
	uint64_t	 rng;
	int		 quiet;
	long long	 calls;		/* playbook calls made (one transaction each) */
};

/* A pseudo-random integer in lo..hi, both included. */
long long	 sample_rnd_range(struct gen *g, long long lo, long long hi);
/* A pseudo-random number in [0, 1). */
double		 sample_rnd_unit(struct gen *g);
/* One of the n strings of pool, at random. */
const char	*sample_rnd_pick(struct gen *g, const char *const *pool, size_t n);
/* Set the playbook's clock to noon UTC of day plus seq seconds (steps keep their order), never past end_now. */
void		 sample_clock_at(struct gen *g, int32_t day, int seq);
/* day as YYYY-MM-DD into buf (at least 11 bytes). */
void		 sample_date_of(int32_t day, char *buf, size_t size);
/* Report a refused playbook call with what was being done; always -1. */
int		 sample_failed(const char *customer, const char *what, const struct result *r);
/* AU percent x (0..1) of the way from activation to the last sample: an S-curve. */
double		 sample_au_curve(double start, double end, double x);
/* Active users out of eligible at pct percent, rounded, never more than eligible. */
long long	 sample_active_of(double pct, long long eligible);

/* Check-in summaries and next actions in English, shared by demo and synthetic customers. */
extern const char *const sample_summary_en[SAMPLE_POOL];
extern const char *const sample_action_en[SAMPLE_POOL];

/* The dozen hand-written demo customers (sample_demo.c): 0, or -1 (said on stderr). */
int	sample_demo_customers(struct gen *g);

#endif
