/* queue_invites.c -- puts N check-in invites in the outbox through the playbook rules, one customer and series each, for the notifier benchmark. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_store.h"
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
	char				 name[64], domain[80], email[96];
	struct playbook_customer_input	 ci = { .name = name, .tenant_domain = domain,
	    .timezone = "Europe/Berlin", .owner_fm = NULL, .cadence_weeks = 2 };
	struct playbook_service_input	 si = { .service = "exchange", .activated_on = activated,
	    .target_percent = 0, .custom_metric = NULL, .licensed_users = -1 };
	int64_t				 cid;

	snprintf(name, sizeof(name), "Bench Customer %06ld", i);
	snprintf(domain, sizeof(domain), "bench%06ld.onmicrosoft.com", i);
	snprintf(email, sizeof(email), "contact%06ld@bench.example", i);
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
	if (bench_open("queue_invites", argv[1], "bench.fm", &st, &pb) == -1)
		return 1;
	result_clear(&r);
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
