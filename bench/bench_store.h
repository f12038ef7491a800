/* bench_store.h -- the store and playbook the benchmarks that go through the rules open (header only, as bench.h). */
#ifndef FTS_BENCH_STORE_H
#define FTS_BENCH_STORE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "playbook.h"
#include "result.h"
#include "store.h"

/*
 * Open the store at path and a playbook on it acting as actor, now, with
 * the default cadence of two weeks: 0, or -1 with "prog: open path: why"
 * printed (*st NULL).
 */
static inline int
bench_open(const char *prog, const char *path, const char *actor, struct store **st,
    struct playbook *pb)
{
	struct result		 r;
	struct store_user	 u;

	result_clear(&r);
	*st = NULL;
	if (store_open(st, path, &r) == -1) {
		fprintf(stderr, "%s: open %s: %s\n", prog, path, r.message);
		return -1;
	}
	memset(pb, 0, sizeof(*pb));
	pb->st = *st;
	pb->actor = actor;
	pb->now = (int64_t)time(NULL);
	pb->default_cadence_weeks = 2;
	/* The actor owns what it creates, so it must be a user (issue 11): an FM when missing. */
	if (store_user_get_login(*st, actor, &u, &r) == -1) {
		struct playbook			 admin = *pb;
		struct playbook_user_input	 in = { .login = actor, .active = -1 };

		admin.role = PLAYBOOK_ROLE_ADMIN;
		if (playbook_user_add(&admin, &in, NULL, &r) == -1) {
			fprintf(stderr, "%s: add user %s: %s\n", prog, actor, r.message);
			store_close(*st);
			*st = NULL;
			return -1;
		}
	}
	return 0;
}

#endif
