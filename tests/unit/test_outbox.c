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
#include "tmpdb.h"
#include "unit.h"

#define NOW	((int64_t)1781524800)

struct fx {
	struct tmpdb	 db;
	int64_t		 customer;
};

static int
setup(void **state)
{
	struct fx	*fx;

	if (tmpdb_fixture_new(state, sizeof(*fx), "outbox", 1) == -1)
		return -1;
	fx = *state;
	fx->customer = tmpdb_customer_add(fx->db.st, "Contoso", "contoso.example", "UTC", NOW);
	if (fx->customer == -1) {
		tmpdb_fixture_free(state);
		return -1;
	}
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
	assert_int_equal(store_outbox_insert(fx->db.st, &o, NOW, &inserted, &r), 0);
	assert_int_equal(inserted, 1);
	n = store_count(fx->db.st, "outbox");
	assert_int_equal(store_outbox_get(fx->db.st, n, &row, &r), 0);
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
	rc = store_outbox_claim(fx->db.st, "n1", NOW, 300, "fm.example", 4, &rows, &n, &r);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(rc, -1);
	assert_null(rows);
	assert_int_equal(n, 0);
	assert_non_null(strstr(r.message, "commit"));
	/* Writes work again: the row was never claimed, so it is due with attempts 1. */
	assert_int_equal(store_outbox_claim(fx->db.st, "n1", NOW, 300, "fm.example", 4, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].attempts, 1);
	assert_string_equal(rows[0].state, "sending");
	free_rows(rows, n);
}

static struct store_outbox_row *
claim_one(struct fx *fx, const char *owner, int64_t now)
{
	struct store_outbox_row	*rows = NULL;
	struct result		 r;
	size_t			 n = 0;

	assert_int_equal(store_outbox_claim(fx->db.st, owner, now, 300, "fm.example", 1, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	return rows;
}

static const char *
rcpt_state(struct fx *fx, int64_t id, const char *email)
{
	static const char *const names[] = { "pending", "sent", "dead" };
	struct store_outbox_rcpt	*l;
	struct result			 r;
	size_t				 n, i;
	const char			*s = "none";

	assert_int_equal(store_outbox_rcpt_list(fx->db.st, id, &l, &n, &r), 0);
	for (i = 0; i < n; i++)
		if (strcmp(l[i].email, email) == 0)
			s = names[l[i].state];
	free(l);
	return s;
}

static void
rcpt_set(struct store_outbox_rcpt *p, const char *email, enum store_rcpt_state st, const char *reply)
{
	memset(p, 0, sizeof(*p));
	text_copy(p->email, sizeof(p->email), email);
	p->state = st;
	text_copy(p->reply, sizeof(p->reply), reply);
}

/*
 * Issue 9 defect 2: a 451 to one recipient while another is accepted.  The
 * row waits for the refused one (queued, not sent); the retry records it
 * alone; a 550 recipient is dead, and a person's retry makes it pending
 * again without touching those already sent.
 */
static void
test_rcpt_transitions(void **state)
{
	struct fx			*fx = *state;
	struct store_outbox_row		*row, got;
	struct store_outbox_rcpt	 rc[3];
	struct store_outbox_finish	 f;
	struct result			 r;
	int64_t				 id;

	id = queue(fx, "k1", "[{\"name\":\"A\",\"email\":\"a@x.example\"},"
	    "{\"name\":\"B\",\"email\":\"b@x.example\"},{\"name\":\"C\",\"email\":\"c@x.example\"}]");
	row = claim_one(fx, "n1", NOW);
	rcpt_set(&rc[0], "a@x.example", STORE_RCPT_SENT, "250 ok");
	rcpt_set(&rc[1], "b@x.example", STORE_RCPT_PENDING, "451 4.7.1 greylisted");
	rcpt_set(&rc[2], "c@x.example", STORE_RCPT_DEAD, "550 5.1.1 no such user");
	memset(&f, 0, sizeof(f));
	f.state = "queued";
	f.next_attempt_at = NOW + 60;
	f.error = "b@x.example: 451 4.7.1 greylisted";
	f.rcpt = rc;
	f.nrcpt = 3;
	/* Only the lease holder records. */
	assert_int_equal(store_outbox_finish(fx->db.st, id, "n2", NOW, &f, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
	assert_string_equal(rcpt_state(fx, id, "a@x.example"), "none");
	assert_int_equal(store_outbox_finish(fx->db.st, id, "n1", NOW, &f, &r), 0);
	assert_int_equal(store_outbox_get(fx->db.st, id, &got, &r), 0);
	assert_string_equal(got.state, "queued");
	assert_int_equal(got.next_attempt_at, NOW + 60);
	store_outbox_row_free(&got);
	assert_string_equal(rcpt_state(fx, id, "a@x.example"), "sent");
	assert_string_equal(rcpt_state(fx, id, "b@x.example"), "pending");
	assert_string_equal(rcpt_state(fx, id, "c@x.example"), "dead");
	/* A row still waiting for a recipient is retried on its own schedule: a person gets 409. */
	assert_int_equal(store_outbox_requeue(fx->db.st, id, NOW + 1, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
	free_rows(row, 1);
	/* The retry goes to b alone and succeeds: the row is sent, c stays dead. */
	row = claim_one(fx, "n1", NOW + 60);
	assert_int_equal(row[0].attempts, 2);
	rcpt_set(&rc[0], "b@x.example", STORE_RCPT_SENT, "250 ok");
	f.state = "sent";
	f.error = NULL;
	f.nrcpt = 1;
	assert_int_equal(store_outbox_finish(fx->db.st, id, "n1", NOW + 60, &f, &r), 0);
	free_rows(row, 1);
	assert_string_equal(rcpt_state(fx, id, "a@x.example"), "sent");
	assert_string_equal(rcpt_state(fx, id, "b@x.example"), "sent");
	assert_string_equal(rcpt_state(fx, id, "c@x.example"), "dead");
	/* A person retries the sent row with a dead recipient: c is pending, a and b stay sent. */
	assert_int_equal(store_begin(fx->db.st, &r), 0);
	assert_int_equal(store_outbox_requeue(fx->db.st, id, NOW + 100, &r), 0);
	assert_int_equal(store_commit(fx->db.st, &r), 0);
	assert_string_equal(rcpt_state(fx, id, "c@x.example"), "pending");
	assert_string_equal(rcpt_state(fx, id, "a@x.example"), "sent");
	assert_int_equal(store_outbox_get(fx->db.st, id, &got, &r), 0);
	assert_string_equal(got.state, "queued");
	assert_int_equal(got.attempts, 0);
	store_outbox_row_free(&got);
	/* Once everyone has it, a retry is refused. */
	row = claim_one(fx, "n1", NOW + 100);
	rcpt_set(&rc[0], "c@x.example", STORE_RCPT_SENT, "250 ok");
	assert_int_equal(store_outbox_finish(fx->db.st, id, "n1", NOW + 100, &f, &r), 0);
	free_rows(row, 1);
	assert_int_equal(store_outbox_requeue(fx->db.st, id, NOW + 200, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
}

/*
 * Issue 9 defect 3: a notifier that lost its lease (frozen, then another
 * took the row over) learns it from the renewal and must not send; the
 * holder's renewal extends the lease, so the row is not due to others.
 */
static void
test_lease_renew(void **state)
{
	struct fx		*fx = *state;
	struct store_outbox_row	*row, *none;
	struct result		 r;
	size_t			 n;
	int64_t			 id;

	id = queue(fx, "k1", "[{\"name\":\"A\",\"email\":\"a@x.example\"}]");
	row = claim_one(fx, "n1", NOW);	/* lease until NOW + 300 */
	free_rows(row, 1);
	/* Renewed at NOW + 250 to NOW + 550: still n1's at NOW + 400. */
	assert_int_equal(store_outbox_renew(fx->db.st, id, "n1", NOW + 550, &r), 0);
	assert_int_equal(store_outbox_claim(fx->db.st, "n2", NOW + 400, 300, NULL, 1, &none, &n, &r), 0);
	assert_int_equal(n, 0);
	free(none);
	/* n1 freezes; after its lease n2 takes the row over. */
	row = claim_one(fx, "n2", NOW + 551);
	assert_int_equal(row[0].attempts, 2);
	free_rows(row, 1);
	/* n1 thaws: its renewal says the lease is lost, and nothing changed. */
	assert_int_equal(store_outbox_renew(fx->db.st, id, "n1", NOW + 900, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
	assert_int_equal(store_outbox_mark_sent(fx->db.st, id, "n1", NOW + 600, "250 ok", NULL, &r), -1);
	assert_int_equal(store_outbox_mark_sent(fx->db.st, id, "n2", NOW + 600, "250 ok", NULL, &r), 0);
	/* A finished row cannot be renewed either. */
	assert_int_equal(store_outbox_renew(fx->db.st, id, "n2", NOW + 900, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
}

UNIT_MAIN("outbox",
	TMPDB_TEST(test_claim_commit_fails),
	TMPDB_TEST(test_rcpt_transitions),
	TMPDB_TEST(test_lease_renew),
)
