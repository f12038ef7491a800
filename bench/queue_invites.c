/* queue_invites.c -- puts N check-in invites in the outbox through the playbook rules, one customer and series each, for the notifier benchmark. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "playbook.h"
#include "result.h"
#include "store.h"
#include "text.h"

#define QUEUE_MAX	1000000

/*
 * Each customer gets one contact who receives invites, one FM-led service
 * activated three days ago and a fortnightly series starting next week: the
 * playbook queues exactly one REQUEST per customer, so the outbox holds N
 * invites of N different customers and none waits behind another.
 */
static int
queue_one(const struct playbook *pb, long i, const char *activated, const char *starts,
    struct result *r)
{
	struct playbook_customer_input	 ci;
	struct playbook_service_input	 si = { "exchange", activated, 0, NULL, -1 };
	char				 name[64], domain[80], email[96];
	int64_t				 cid;

	snprintf(name, sizeof(name), "Bench Customer %06ld", i);
	snprintf(domain, sizeof(domain), "bench%06ld.onmicrosoft.com", i);
	snprintf(email, sizeof(email), "contact%06ld@bench.example", i);
	memset(&ci, 0, sizeof(ci));
	ci.name = name;
	ci.tenant_domain = domain;
	ci.timezone = "Europe/Berlin";
	ci.owner_fm = NULL;
	ci.cadence_weeks = 2;
	if (playbook_customer_create(pb, &ci, &cid, r) == -1 ||
	    playbook_contact_add(pb, cid, "Bench Contact", email, 1, NULL, r) == -1 ||
	    playbook_service_activate(pb, cid, &si, r) == -1 ||
	    playbook_meeting_schedule(pb, cid, starts, 30, 2, NULL, r) == -1)
		return -1;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct store	*st = NULL;
	struct playbook	 pb;
	struct result	 r;
	long long	 n;
	long		 i;
	int32_t		 day;
	char		 activated[11], starts[17];

	if (argc != 3 || text_int_parse(argv[2], 1, QUEUE_MAX, &n) == -1) {
		fprintf(stderr, "usage: queue_invites DBFILE COUNT (1..%d)\n", QUEUE_MAX);
		return 2;
	}
	result_clear(&r);
	if (store_open(&st, argv[1], &r) == -1) {
		fprintf(stderr, "queue_invites: open %s: %s\n", argv[1], r.message);
		return 1;
	}
	memset(&pb, 0, sizeof(pb));
	pb.st = st;
	pb.actor = "bench.fm";
	pb.now = (int64_t)time(NULL);
	pb.default_cadence_weeks = 2;
	day = text_date_today("Europe/Berlin", (time_t)pb.now);
	text_date_format(day - 3, activated, sizeof(activated));
	text_date_format(day + 7, starts, sizeof(starts));
	text_copy(starts + 10, sizeof(starts) - 10, "T10:00");
	for (i = 0; i < n; i++) {
		if (queue_one(&pb, i, activated, starts, &r) == -1) {
			fprintf(stderr, "queue_invites: customer %ld: %s (%s)\n", i, r.message, r.field);
			store_close(st);
			return 1;
		}
	}
	printf("queued=%lld outbox=%lld\n", n, store_count(st, "outbox"));
	store_close(st);
	return 0;
}
