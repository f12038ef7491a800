/* test_outbox.c -- the outbox in the store on real SQLite files: claim faults, per-recipient states, leases. */
#include "autoconfig.h"

#include <sys/resource.h>

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "store.h"
#include "text.h"

#define NOW	((int64_t)1781524800)

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*st;
	int64_t		 customer;
};

static int
setup(void **state)
{
	struct fx		*fx = calloc(1, sizeof(*fx));
	struct store_customer	 c;
	struct result		 r;

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/fts-outbox-XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/t.db", fx->dir);
	if (store_open(&fx->st, fx->path, &r) == -1) {
		fprintf(stderr, "%s\n", r.message);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	text_copy(c.name, sizeof(c.name), "Contoso");
	text_copy(c.tenant_domain, sizeof(c.tenant_domain), "contoso.example");
	text_copy(c.timezone, sizeof(c.timezone), "UTC");
	text_copy(c.owner_fm, sizeof(c.owner_fm), "fm.ana");
	text_copy(c.phase, sizeof(c.phase), "execution");
	c.cadence_weeks = 2;
	if (store_customer_insert(fx->st, &c, NOW, &r) == -1) {
		fprintf(stderr, "%s\n", r.message);
		return -1;
	}
	fx->customer = c.id;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;
	char		 p[160];

	store_close(fx->st);
	unlink(fx->path);
	snprintf(p, sizeof(p), "%s-wal", fx->path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", fx->path);
	unlink(p);
	rmdir(fx->dir);
	free(fx);
	return 0;
}

static int64_t
queue(struct fx *fx, const char *key, const char *recipients)
{
	struct store_outbox_new	 o;
	struct store_outbox_row	 row;
	struct result		 r;
	int			 inserted;
	long long		 n;

	memset(&o, 0, sizeof(o));
	o.customer_id = fx->customer;
	o.kind = "handshake";
	o.dedupe_key = key;
	o.payload = "{}";
	o.recipients = recipients;
	assert_int_equal(store_outbox_insert(fx->st, &o, NOW, &inserted, &r), 0);
	assert_int_equal(inserted, 1);
	n = store_count(fx->st, "outbox");
	assert_int_equal(store_outbox_get(fx->st, n, &row, &r), 0);
	store_outbox_row_free(&row);
	return n;
}

static void
free_rows(struct store_outbox_row *rows, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		store_outbox_row_free(&rows[i]);
	free(rows);
}

/*
 * The claim's COMMIT fails (here: no write may extend any file, as on a
 * full disk).  Issue 9 defect 1: the claim freed its id list twice and the
 * notifier aborted; now it reports the failure, hands back nothing, and the
 * row is claimable once writes work again, its attempt not counted.
 */
static void
test_claim_commit_fails(void **state)
{
	struct fx		*fx = *state;
	struct store_outbox_row	*rows = NULL;
	struct result		 r;
	struct rlimit		 old, none;
	size_t			 n = 99;
	int			 rc;

	queue(fx, "k1", "[{\"name\":\"A\",\"email\":\"a@x.example\"}]");
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	/* A write past the limit raises SIGXFSZ; ignored, write(2) fails with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	none = old;
	none.rlim_cur = 0;
	result_clear(&r);
	/* Nothing may print between here and the restore: stdout may be a file. */
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &none), 0);
	rc = store_outbox_claim(fx->st, "n1", NOW, 300, "fm.example", 4, &rows, &n, &r);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_null(rows);
	assert_int_equal(n, 0);
	assert_non_null(strstr(r.message, "commit"));
	/* Writes work again: the row was never claimed, so it is due with attempts 1. */
	assert_int_equal(store_outbox_claim(fx->st, "n1", NOW, 300, "fm.example", 4, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].attempts, 1);
	assert_string_equal(rows[0].state, "sending");
	free_rows(rows, n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_claim_commit_fails, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
