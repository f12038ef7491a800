/* test_playbook.c -- every playbook rule with its edge cases, on real SQLite files in a temp dir. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog.h"
#include "playbook.h"
#include "store.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"
#include "verdict.h"

/* 2026-06-15T12:00:00Z: a Monday; dates in the tests are relative to it. */
#define NOW	((int64_t)1781524800)

static const char *const tables[] = {
	"customer", "contact", "customer_service", "usage_sample", "task",
	"checkin", "meeting", "blocker", "outbox", "audit", NULL,
};

/* The fixture: a migrated database (first member, see tmpdb_fixture_new) and the rules on it. */
struct fx {
	struct tmpdb	 db;
	struct playbook	 pb;
	long long	 counts[16];
};

static int
setup(void **state)
{
	struct fx *fx;

	if (tmpdb_fixture_new(state, sizeof(*fx), "pb", 1) == -1)
		return -1;
	fx = *state;
	fx->pb.st = fx->db.st;
	fx->pb.actor = "fm.ana";
	fx->pb.now = NOW;
	fx->pb.default_cadence_weeks = 2;
	return 0;
}

static void
snapshot(struct fx *fx)
{
	size_t i;

	for (i = 0; tables[i]; i++)
		fx->counts[i] = store_count(fx->db.st, tables[i]);
}

/* Every table has the row count of the last snapshot: the refused call changed nothing. */
static void
unchanged_at(struct fx *fx, const char *file, int line)
{
	size_t i;

	for (i = 0; tables[i]; i++) {
		long long n = store_count(fx->db.st, tables[i]);

		if (n != fx->counts[i]) {
			print_error("table %s: %lld rows, expected %lld\n", tables[i], n,
			    fx->counts[i]);
			_fail(file, line);
		}
	}
}
#define assert_unchanged(fx)	unchanged_at((fx), __FILE__, __LINE__)

/*
 * A refused call: rc is -1, r has code, names field and holds needle (each
 * unless NULL), and no table changed since the last snapshot.  Through
 * REFUSED, so a failure names the test's line, or REFUSED_ROW, which also
 * names the row of the test's table (row -1: none).
 */
static void
refused_at(struct fx *fx, long row, int rc, const struct result *r, enum result_code code,
    const char *field, const char *needle, const char *file, int line)
{
	if (rc != -1 || r->code != code || (field != NULL && strcmp(r->field, field) != 0) ||
	    (needle != NULL && strstr(r->message, needle) == NULL)) {
		if (row >= 0)
			print_error("row %ld: ", row);
		print_error("returned %d with code %d, field \"%s\", message \"%s\"; want -1 "
		    "with code %d, field \"%s\", \"%s\" in the message\n", rc, (int)r->code,
		    r->field, r->message, (int)code, field != NULL ? field : "(any)",
		    needle != NULL ? needle : "");
		_fail(file, line);
	}
	unchanged_at(fx, file, line);
}
#define REFUSED(fx, call, r, code, field, needle) \
	refused_at((fx), -1, (call), (r), (code), (field), (needle), __FILE__, __LINE__)
#define REFUSED_ROW(fx, row, call, r, code, field, needle) \
	refused_at((fx), (long)(row), (call), (r), (code), (field), (needle), __FILE__, __LINE__)

static int64_t
mk_customer(struct fx *fx, const char *name, const char *domain)
{
	struct playbook_customer_input	 in = { name, domain, "America/Sao_Paulo", NULL, 0, NULL };
	struct result			 r;
	int64_t				 id = 0;

	if (playbook_customer_create(&fx->pb, &in, &id, &r) == -1)
		fail_msg("create customer: %s", r.message);
	return id;
}

static void
activate(struct fx *fx, int64_t id, const char *svc, const char *on)
{
	struct playbook_service_input	 in = { svc, on, 0, NULL, -1 };
	struct result			 r;

	if (playbook_service_activate(&fx->pb, id, &in, &r) == -1)
		fail_msg("activate %s: %s", svc, r.message);
}

static void
contact(struct fx *fx, int64_t id, const char *name, const char *email)
{
	struct result r;

	if (playbook_contact_add(&fx->pb, id, name, email, 1, NULL, &r) == -1)
		fail_msg("contact %s: %s", email, r.message);
}

/* A customer with service activated on 2026-06-01 and one contact, Ana at the domain: its id. */
static int64_t
mk_live_customer(struct fx *fx, const char *name, const char *domain, const char *service)
{
	int64_t	 id = mk_customer(fx, name, domain);
	char	 email[128];

	activate(fx, id, service, "2026-06-01");
	snprintf(email, sizeof(email), "ana@%s", domain);
	contact(fx, id, "Ana", email);
	return id;
}

/* The usual series for a customer (2026-06-17T10:00, 30 minutes, every so many weeks): its id. */
static int64_t
schedule(struct fx *fx, int64_t id, int every_weeks)
{
	struct result	 r;
	int64_t		 mid = 0;

	if (playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 30, every_weeks, &mid, &r) == -1)
		fail_msg("schedule for customer %lld: %s", (long long)id, r.message);
	return mid;
}

static void
usage(struct fx *fx, int64_t id, const char *svc, const char *on, long long a, long long e)
{
	struct result r;

	if (playbook_usage_record(&fx->pb, id, svc, on, a, e, "manual", &r) == -1)
		fail_msg("usage %s: %s", svc, r.message);
}

/* Number of outbox rows of a kind for a customer, via the JSON read. */
static int
outbox_kind(struct fx *fx, int64_t id, const char *kind)
{
	json_object	*arr, *v;
	struct result	 r;
	struct buf	 text = { 0 };
	long long	 total;
	size_t		 i;
	int		 n = 0;

	assert_int_equal(store_outbox_json(fx->db.st, id, NULL, 500, 0, &text, &total, &r), 0);
	assert_non_null(arr = json_tokener_parse(buf_cstr(&text)));
	buf_free(&text);
	for (i = 0; i < json_object_array_length(arr); i++) {
		json_object_object_get_ex(json_object_array_get_idx(arr, i), "kind", &v);
		if (strcmp(json_object_get_string(v), kind) == 0)
			n++;
	}
	json_object_put(arr);
	return n;
}

static struct playbook_readiness *
readiness(struct fx *fx, int64_t id)
{
	static struct playbook_readiness	 rd;
	struct store_facts			 f;
	struct result				 r;
	int32_t					 today;

	assert_int_equal(store_facts_get(fx->db.st, id, &f, &r), 0);
	text_date_parse("2026-06-15", &today);
	playbook_readiness(&f, today, &rd);
	store_facts_clear(&f);
	return &rd;
}

/* 1 when code is among the reasons or the risks of rd. */
static int
has_reason(const struct playbook_readiness *rd, const char *code)
{
	return verdict_code_in(rd, code) != 0;
}

/* What a queued message must hold; each NULL (or a short list) is not checked. */
struct row_want {
	const char	*kind;
	const char	*payload[6];	/* each in the payload */
	const char	*not_payload;	/* not in the payload */
	const char	*to, *not_to;	/* in and not in the recipients */
};

/* Outbox row id holds what w says; a failure names the row and the text missing. */
static void
outbox_row_is(struct fx *fx, int64_t id, const struct row_want *w)
{
	struct store_outbox_row	 row;
	struct result		 r;
	size_t			 i;

	if (store_outbox_get(fx->db.st, id, &row, &r) == -1)
		fail_msg("outbox row %lld: %s", (long long)id, r.message);
	if (w->kind != NULL && strcmp(row.kind, w->kind) != 0)
		fail_msg("outbox row %lld is a %s, want a %s", (long long)id, row.kind, w->kind);
	for (i = 0; i < sizeof(w->payload) / sizeof(w->payload[0]) && w->payload[i]; i++)
		if (strstr(row.payload, w->payload[i]) == NULL)
			fail_msg("outbox row %lld: no %s in %s", (long long)id, w->payload[i], row.payload);
	if (w->not_payload != NULL && strstr(row.payload, w->not_payload) != NULL)
		fail_msg("outbox row %lld: %s in %s", (long long)id, w->not_payload, row.payload);
	if (w->to != NULL && strstr(row.recipients, w->to) == NULL)
		fail_msg("outbox row %lld: %s not among %s", (long long)id, w->to, row.recipients);
	if (w->not_to != NULL && strstr(row.recipients, w->not_to) != NULL)
		fail_msg("outbox row %lld: %s among %s", (long long)id, w->not_to, row.recipients);
	store_outbox_row_free(&row);
}

/* ---------------------------------------------------------------- tests */

static void
test_migrations_reopen(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;

	assert_int_equal(store_schema_version(fx->db.st), 15);
	mk_customer(fx, "Contoso", "contoso.onmicrosoft.com");
	store_close(fx->db.st);
	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	fx->pb.st = fx->db.st;
	assert_int_equal(store_schema_version(fx->db.st), 15);
	assert_int_equal(store_count(fx->db.st, "customer"), 1);
	assert_int_equal(store_ping(fx->db.st, &r), 0);
}

/* Several processes opening a new database at once: each migration runs once. */
static void
test_concurrent_open(void **state)
{
	struct fx	*fx = *state;
	char		 path[192];
	pid_t		 pid;
	int		 i, st, bad = 0;

	/* A file next to the fixture's, not yet created: the children race to make it. */
	assert_int_equal(tmpdir_path(&fx->db.tmp, "new.db", path, sizeof(path)), 0);
	for (i = 0; i < 6; i++) {
		if ((pid = fork()) == 0) {
			struct store	*s;
			struct result	 r;

			if (store_open(&s, path, &r) == -1) {
				fprintf(stderr, "child: %s\n", r.message);
				_exit(1);
			}
			store_close(s);
			_exit(0);
		}
		assert_true(pid > 0);
	}
	for (i = 0; i < 6; i++) {
		assert_true(wait(&st) > 0);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bad++;
	}
	assert_int_equal(bad, 0);
}

static void
test_open_bad_path(void **state)
{
	struct store	*st = NULL;
	struct result	 r;

	(void)state;
	assert_int_equal(store_open(&st, "/nonexistent-dir/x/y.db", &r), -1);
	assert_int_equal(r.code, RESULT_IO);
	assert_non_null(strstr(r.message, "/nonexistent-dir/x/y.db"));
	assert_null(st);
}

/* Issue 9: limits count characters (code points), the unit the forms and docs use. */
static void
test_limits_in_characters(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id;
	char		 name[1024];
	size_t		 i;
	struct playbook_customer_input in = { name, "c.example.com", "UTC", NULL, 0, NULL };

	/* 200 "é" (400 bytes) and 51 emoji (204 bytes) are within 200 characters. */
	name[0] = '\0';
	for (i = 0; i < 200; i++)
		strcat(name, "\xc3\xa9");
	assert_int_equal(playbook_customer_create(&fx->pb, &in, &id, &r), 0);
	in.tenant_domain = "d.example.com";
	name[0] = '\0';
	for (i = 0; i < 51; i++)
		strcat(name, "\xf0\x9f\x98\x80");
	assert_int_equal(playbook_customer_create(&fx->pb, &in, &id, &r), 0);
	/* An emoji sequence joined by ZWJ is visible text. */
	in.tenant_domain = "e.example.com";
	in.name = "\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb";
	assert_int_equal(playbook_customer_create(&fx->pb, &in, &id, &r), 0);
	/* 201 characters is one too many, and the message says characters. */
	in.name = name;
	in.tenant_domain = "f.example.com";
	name[0] = '\0';
	for (i = 0; i < 201; i++)
		strcat(name, "\xc3\xa9");
	snapshot(fx);
	REFUSED(fx, playbook_customer_create(&fx->pb, &in, &id, &r), &r,
	    RESULT_INVALID, "name", "longer than 200 characters");
	/* The name is stored whole: 200 "é" read back as 400 bytes. */
	{
		struct store_customer c;

		assert_int_equal(store_customer_get(fx->pb.st, 1, &c, &r), 0);
		assert_int_equal(strlen(c.name), 400);
	}
}

static void
test_customer_refusals(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id;
	struct playbook_customer_input bad[] = {
		{ "", "a.example.com", "UTC", NULL, 0, NULL },
		{ "Name\r\nBcc: x", "a.example.com", "UTC", NULL, 0, NULL },
		{ "Name", "not a domain", "UTC", NULL, 0, NULL },
		{ "Name", "b.example.com", "Mars/Olympus", NULL, 0, NULL },
		{ "Name", "b.example.com", "../../etc/passwd", NULL, 0, NULL },
		{ "\xc3\x28", "b.example.com", "UTC", NULL, 0, NULL },
		{ "Name", "b.example.com", "UTC", NULL, 9, NULL },
		{ "Evil \xe2\x80\xae" "exe.pdf", "b.example.com", "UTC", NULL, 0, NULL },
		{ "Name", "b.example.com", "right/UTC", NULL, 0, NULL },
		{ "Name", "b.example.com", "UTC", NULL, 0, "fr" },
		/* Issue 9: nothing visible (ZWJ; ZWSP, NBSP and BOM). */
		{ "\xe2\x80\x8d", "b.example.com", "UTC", NULL, 0, NULL },
		{ "\xe2\x80\x8b\xc2\xa0\xef\xbb\xbf", "b.example.com", "UTC", NULL, 0, NULL },
	};
	const char *fields[] = { "name", "name", "tenant_domain", "timezone", "timezone", "name",
	    "cadence_weeks", "name", "timezone", "language", "name", "name" };
	size_t i;

	mk_customer(fx, "Contoso", "contoso.onmicrosoft.com");
	snapshot(fx);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		REFUSED_ROW(fx, i, playbook_customer_create(&fx->pb, &bad[i], &id, &r), &r,
		    RESULT_INVALID, fields[i], NULL);
	}
	/* Same tenant twice, in other case: a conflict naming the domain. */
	{
		struct playbook_customer_input dup = { "Other", "CONTOSO.onmicrosoft.com", "UTC", NULL, 0, NULL };

		REFUSED(fx, playbook_customer_create(&fx->pb, &dup, &id, &r), &r,
		    RESULT_CONFLICT, NULL, "CONTOSO.onmicrosoft.com");
	}
}

static void
test_csm_before_activation(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_service	 s;
	struct store_task	 t;
	int64_t			 id = mk_customer(fx, "Fabrikam", "fabrikam.com");

	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla Mendes", "carla@ms.example", NULL, &r), 0);
	assert_int_equal(outbox_kind(fx, id, "handshake"), 0);
	activate(fx, id, "teams", "2026-06-01");
	assert_int_equal(outbox_kind(fx, id, "handshake"), 1);
	assert_int_equal(store_service_get(fx->db.st, id, "teams", &s, &r), 0);
	assert_true(s.csm_led);
	assert_int_equal(store_task_get(fx->db.st, id, 3731, &t, &r), 0);
	assert_string_equal(t.status, "open");
	/* Exchange is not Modern Comms: no handshake, FM keeps it. */
	activate(fx, id, "exchange", "2026-06-01");
	assert_int_equal(outbox_kind(fx, id, "handshake"), 1);
	assert_int_equal(store_service_get(fx->db.st, id, "exchange", &s, &r), 0);
	assert_false(s.csm_led);
}

static void
test_csm_after_activation_and_replaced(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	int64_t			 id = mk_customer(fx, "Tailspin", "tailspin.com");
	struct playbook_csm_outcome o;
	long long		 tasks, audits;

	activate(fx, id, "teams", "2026-06-01");
	activate(fx, id, "yammer", "2026-06-02");
	assert_int_equal(outbox_kind(fx, id, "handshake"), 0);
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla", "carla@ms.example", NULL, &r), 0);
	/* One per service. */
	assert_int_equal(outbox_kind(fx, id, "handshake"), 2);
	tasks = store_count(fx->db.st, "task");
	assert_int_equal(tasks, 2);
	/* Same CSM again: never twice. */
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla M.", "CARLA@ms.example", &o, &r), 0);
	assert_int_equal(outbox_kind(fx, id, "handshake"), 2);
	/* Issue 13, item 6: it says what it did: the name changed, nobody replaced, nothing queued. */
	assert_true(o.changed);
	assert_false(o.replaced);
	assert_int_equal(o.queued, 0);
	/* The very same again changes nothing, not even the audit trail. */
	audits = store_count(fx->db.st, "audit");
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla M.", "CARLA@ms.example", &o, &r), 0);
	assert_false(o.changed);
	assert_int_equal(o.queued, 0);
	assert_int_equal(store_count(fx->db.st, "audit"), audits);
	/* A new CSM gets their own handshakes; tasks are not duplicated. */
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Bruno", "bruno@ms.example", &o, &r), 0);
	assert_int_equal(outbox_kind(fx, id, "handshake"), 4);
	assert_true(o.changed);
	assert_true(o.replaced);
	assert_int_equal(o.queued, 2);
	assert_int_equal(store_count(fx->db.st, "task"), tasks);
	/* The payload carries what the CSM needs. */
	outbox_row_is(fx, 4, &(const struct row_want){ .payload = { "\"tailspin.com\"",
	    "bruno@ms.example" }, .to = "bruno@ms.example" });
}

static void
test_service_activated_twice(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	int64_t				 id = mk_customer(fx, "Litware", "litware.com");
	struct playbook_service_input	 in = { "exchange", "2026-06-05", 0, NULL, -1 };
	struct playbook_service_input	 bad[] = {
		{ "nosuch", "2026-06-05", 0, NULL, -1 },
		{ "sharepoint", "2026-02-30", 0, NULL, -1 },
		{ "sharepoint", "2026-07-01", 0, NULL, -1 },	/* future */
		{ "sharepoint", "2026-06-01", 250, NULL, -1 },
	};
	size_t i;

	activate(fx, id, "exchange", "2026-06-01");
	snapshot(fx);
	REFUSED(fx, playbook_service_activate(&fx->pb, id, &in, &r), &r,
	    RESULT_CONFLICT, NULL, "2026-06-01");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		REFUSED_ROW(fx, i, playbook_service_activate(&fx->pb, id, &bad[i], &r), &r,
		    RESULT_INVALID, NULL, NULL);
	}
	/* Unknown customer. */
	REFUSED(fx, playbook_service_activate(&fx->pb, 9999, &in, &r), &r,
	    RESULT_NOTFOUND, NULL, NULL);
	/* Intended first, activated later is fine. */
	{
		struct playbook_service_input plan = { "sharepoint", NULL, 0, NULL, -1 };

		assert_int_equal(playbook_service_activate(&fx->pb, id, &plan, &r), 0);
		activate(fx, id, "sharepoint", "2026-06-10");
	}
}

static void
test_mixed_customer_schedule(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	int64_t			 id = mk_customer(fx, "Northwind", "northwind.com"), mid;

	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla", "carla@ms.example", NULL, &r), 0);
	activate(fx, id, "teams", "2026-06-01");
	activate(fx, id, "exchange", "2026-06-01");
	contact(fx, id, "Ana Souza", "ana@northwind.com");
	contact(fx, id, "João Lima", "joao@northwind.com");
	{
		struct playbook_blocker_input	 b = { "Proxy drops Teams media", "Northwind IT",
		    "customer_it_infrastructure", NULL, NULL };
		const char			*none[] = { NULL };
		struct playbook_checkin_input	 k = { "2026-06-10", "", "Send the adoption kit",
		    "2026-06-12", "Ana", none, 0 };

		assert_int_equal(playbook_blocker_open(&fx->pb, id, &b, NULL, &r), 0);
		assert_int_equal(playbook_checkin_log(&fx->pb, id, &k, NULL, &r), 0);
	}
	assert_int_equal(playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 30, 2, &mid, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	/* Rule 2: the series covers Exchange only. */
	assert_int_equal(m.n_services, 1);
	assert_string_equal(m.services[0], "exchange");
	assert_int_equal(m.sequence, 0);
	assert_true(store_meeting_attendee_find(&m, "joao@northwind.com") >= 0);
	assert_int_equal(outbox_kind(fx, id, "invite"), 1);
	store_meeting_free(&m);
	/*
	 * The queued invite names both attendees and only Exchange on the
	 * agenda, the open blocker with its L2 title and the last next action.
	 */
	outbox_row_is(fx, 2, &(const struct row_want){ .kind = "invite",
	    .payload = { "\"method\":\"REQUEST\"", "Exchange Online", "Proxy drops Teams media",
	    "Customer IT Infrastructure and Remediation", "\"text\":\"Send the adoption kit\"" },
	    .not_payload = "Microsoft Teams" });
}

/*
 * Roles in the rules (issue 11): another FM is refused every change (403,
 * nothing changed) and may not give customers away; a manager reassigns,
 * the series is re-sent (SEQUENCE + 1) and the audit row says from whom to
 * whom; an unknown or disabled new FM is refused.
 */
static void
test_roles_in_the_rules(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	struct store_meeting		 m;
	struct store_customer		 c;
	struct playbook			 other = fx->pb, manager = fx->pb;
	struct playbook_customer_input	 give = { "Elsewhere", "elsewhere.com", "UTC", "fm.bia", 0, NULL };
	char				 details[256];
	int64_t				 id = mk_customer(fx, "Northwind", "northwind.com"), mid, nid;

	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.bia", "fm"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "mgr.rui", "manager"), 0);
	other.actor = "fm.bia";
	manager.actor = "mgr.rui";
	manager.role = PLAYBOOK_ROLE_MANAGER;
	activate(fx, id, "exchange", "2026-06-01");
	contact(fx, id, "Ana Souza", "ana@northwind.com");
	assert_int_equal(playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 30, 2, &mid, &r), 0);
	snapshot(fx);
	REFUSED(fx, playbook_csm_assign(&other, id, "Carla", "carla@ms.example", NULL, &r), &r,
	    RESULT_FORBIDDEN, "role", "needs the manager role or to be its FM (fm.ana); fm.bia is fm");
	REFUSED(fx, playbook_meeting_cancel(&other, mid, &r), &r, RESULT_FORBIDDEN, "role",
	    "fm.bia is fm");
	REFUSED(fx, playbook_customer_reassign(&fx->pb, id, "fm.bia", &r), &r, RESULT_FORBIDDEN,
	    "role", "Reassigning a customer needs the manager role; fm.ana is fm.");
	REFUSED(fx, playbook_customer_create(&fx->pb, &give, &nid, &r), &r, RESULT_FORBIDDEN, "role",
	    "Creating a customer for another FM needs the manager role");
	REFUSED(fx, playbook_customer_reassign(&manager, id, "nobody", &r), &r, RESULT_INVALID,
	    "owner_fm", "owner_fm: \"nobody\" is not a user");

	/* The manager reassigns: owner, series re-sent, audit. */
	assert_int_equal(playbook_customer_reassign(&manager, id, "fm.bia", &r), 0);
	assert_int_equal(store_customer_get(fx->db.st, id, &c, &r), 0);
	assert_string_equal(c.owner_fm, "fm.bia");
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(m.sequence, 1);
	store_meeting_free(&m);
	assert_int_equal(outbox_kind(fx, id, "invite"), 2);
	assert_int_equal(store_audit_last(fx->db.st, "customer.reassign", details, sizeof(details), &r), 0);
	assert_string_equal(details, "{\"from\":\"fm.ana\",\"to\":\"fm.bia\"}");
	/* Now fm.bia may change it and fm.ana may not. */
	assert_int_equal(playbook_csm_assign(&other, id, "Carla", "carla@ms.example", NULL, &r), 0);
	snapshot(fx);
	REFUSED(fx, playbook_meeting_cancel(&fx->pb, mid, &r), &r, RESULT_FORBIDDEN, "role",
	    "fm.ana is fm");
	/* visibility = own: the customer does not exist for fm.ana. */
	fx->pb.own_only = 1;
	REFUSED(fx, playbook_meeting_cancel(&fx->pb, mid, &r), &r, RESULT_NOTFOUND, "id",
	    "no customer with id");
	fx->pb.own_only = 0;
}

/* Give user login an e-mail and an online-meeting link in their profile. */
static void
profile(struct fx *fx, const char *login, const char *name, const char *email, const char *url)
{
	struct store_user	 u;
	struct result		 r;

	if (store_user_get_login(fx->db.st, login, &u, &r) == -1)
		fail_msg("user %s: %s", login, r.message);
	text_copy(u.display_name, sizeof(u.display_name), name);
	text_copy(u.email, sizeof(u.email), email);
	text_copy(u.meeting_url, sizeof(u.meeting_url), url);
	if (store_user_update(fx->db.st, &u, NOW, &r) == -1)
		fail_msg("user %s: %s", login, r.message);
}

/*
 * Issue 11: a customer's mail is in its own language, else its FM's; a
 * Portuguese one carries "language" (payload version 4) and the playbook's
 * Portuguese titles; an English one neither.
 */
static void
test_customer_language(void **state)
{
	struct fx				*fx = *state;
	struct result				 r;
	struct store_user			 u;
	struct playbook_customer_input		 pt = { .language = "pt-BR" }, en = { .language = "en" },
						 fm = { .language = "" };
	const struct playbook_blocker_input	 b = { .description = "Proxy", .owner = "IT",
						    .l2_reason = "customer_it_infrastructure" };
	const struct catalog_entry		*l2 = catalog_find(CATALOG_L2, "customer_it_infrastructure");
	char					 want[256];
	int64_t					 id = mk_live_customer(fx, "Fabrikam", "fabrikam.com",
						    "exchange"), mid, bid;

	assert_non_null(l2);
	assert_int_equal(playbook_blocker_open(&fx->pb, id, &b, &bid, &r), 0);
	/* The FM's language is unset: English, no member, the version English needs. */
	mid = schedule(fx, id, 2);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "\"l2_title\":\"Customer IT Infrastructure" },
	    .not_payload = "\"language\"" });
	/* The FM reads Portuguese: so does the customer, until it has a language of its own. */
	assert_int_equal(store_user_get_login(fx->db.st, "fm.ana", &u, &r), 0);
	text_copy(u.language, sizeof(u.language), "pt-BR");
	assert_int_equal(store_user_update(fx->db.st, &u, NOW, &r), 0);
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-17T11:00", 0, 0, NULL,
	    &r), 0);
	snprintf(want, sizeof(want), "\"l2_title\":\"%s\"", l2->title[CATALOG_PT]);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "{\"version\":4,", "\"language\":\"pt-BR\"", want } });
	/* Its own English wins over the FM's Portuguese; "" goes back to the FM's. */
	assert_int_equal(playbook_customer_edit(&fx->pb, id, &en, &r), 0);
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-17T12:00", 0, 0, NULL,
	    &r), 0);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .not_payload = "\"language\"" });
	assert_int_equal(playbook_customer_edit(&fx->pb, id, &fm, &r), 0);
	assert_int_equal(playbook_customer_edit(&fx->pb, id, &pt, &r), 0);
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-17T13:00", 0, 0, NULL,
	    &r), 0);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "\"language\":\"pt-BR\"" } });
}

/*
 * Issue 12, defect 3: the customer's FM is the chair of every message of
 * the series (a version 3 payload), the series takes the FM's meeting link,
 * an update carries the schedule it changed, and a reassignment sends the
 * update with the new chair to everyone and the previous FM a personal
 * cancel of their own.  An FM without an e-mail is left out of the
 * messages, which still go to the customer.
 */
static void
test_fm_is_chair(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	struct playbook		 manager = fx->pb;
	int64_t			 id = mk_live_customer(fx, "Fabrikam", "fabrikam.com", "exchange"), mid;

	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.bia", "fm"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.caio", "fm"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "mgr.rui", "manager"), 0);
	manager.actor = "mgr.rui";
	manager.role = PLAYBOOK_ROLE_MANAGER;
	profile(fx, "fm.ana", "Ana Lima", "ana.lima@fm.example", "https://teams.example/l/ana");
	profile(fx, "fm.bia", "Bia Reis", "bia.reis@fm.example", "https://teams.example/l/bia");

	mid = schedule(fx, id, 2);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://teams.example/l/ana");
	store_meeting_free(&m);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "{\"version\":3,",
	    "\"chair\":{\"name\":\"Ana Lima\",\"email\":\"ana.lima@fm.example\"}",
	    "\"meeting_url\":\"https://teams.example/l/ana\"" }, .not_payload = "\"previous\"" });

	/* Moved before it started: the update says from when. */
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-18T11:00", 0, 0, NULL,
	    &r), 0);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "\"previous\":{\"starts_at\":\"2026-06-17T10:00\","
	    "\"timezone\":\"America/Sao_Paulo\",\"duration_minutes\":30,\"every_weeks\":2}",
	    "\"starts_at\":\"2026-06-18T11:00\"", "\"chair\":{" } });

	/* Reassigned: everyone gets the update with Bia in the chair and her link ... */
	assert_int_equal(playbook_customer_reassign(&manager, id, "fm.bia", &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://teams.example/l/bia");
	assert_int_equal(m.sequence, 2);
	store_meeting_free(&m);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox") - 1, &(const struct row_want){
	    .kind = "invite", .to = "ana@fabrikam.com", .payload = { "\"sequence\":2,",
	    "\"chair\":{\"name\":\"Bia Reis\",\"email\":\"bia.reis@fm.example\"}",
	    "\"meeting_url\":\"https://teams.example/l/bia\"" }, .not_payload = "ana.lima@" });
	/* ... and Ana, the previous FM, a cancel of her own: the series goes on. */
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "cancel", .to = "ana.lima@fm.example", .not_to = "ana@fabrikam.com",
	    .payload = { "\"status\":\"CONFIRMED\"", "\"sequence\":2,",
	    "\"attendees\":[{\"name\":\"Ana Lima\",\"email\":\"ana.lima@fm.example\"}]" },
	    .not_payload = "\"chair\"" });

	/* Caio has no e-mail: the customer's update goes out without a chair. */
	assert_int_equal(playbook_customer_reassign(&manager, id, "fm.caio", &r), 0);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox") - 1, &(const struct row_want){
	    .kind = "invite", .to = "ana@fabrikam.com", .payload = { "\"sequence\":3," },
	    .not_payload = "\"chair\"" });
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "cancel", .to = "bia.reis@fm.example" });
}

/*
 * Issue 12, defect 5: a series has its own online-meeting link, an
 * https:// URL checked by the meeting_url field spec (a bad one is refused,
 * 422, nothing changed); changing only the link updates the series in
 * place, even after it started (no occurrence moves: no split).
 */
static void
test_series_link(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	int64_t			 id = mk_live_customer(fx, "Litware", "litware.com", "exchange"), mid;
	int64_t			 sid = mk_live_customer(fx, "Tailspin", "tailspin.com", "exchange"), got;

	snapshot(fx);
	REFUSED(fx, playbook_meeting_schedule_link(&fx->pb, id, "2026-06-17T10:00", 30, 2,
	    "http://teams.example/l/x", &mid, &r), &r, RESULT_INVALID, "meeting_url",
	    "is not an https:// link");
	REFUSED(fx, playbook_meeting_schedule_link(&fx->pb, id, "2026-06-17T10:00", 30, 2,
	    "https://teams.example/l/a b", &mid, &r), &r, RESULT_INVALID, "meeting_url", NULL);
	assert_int_equal(playbook_meeting_schedule_link(&fx->pb, id, "2026-06-17T10:00", 30, 2,
	    "https://teams.example/l/litware", &mid, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://teams.example/l/litware");
	store_meeting_free(&m);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "\"meeting_url\":\"https://teams.example/l/litware\"" } });

	/* A series that started two weeks ago gets a new link: same series, SEQUENCE + 1. */
	assert_int_equal(playbook_meeting_schedule(&fx->pb, sid, "2026-06-17T10:00", 30, 1, &mid,
	    &r), 0);
	fx->pb.now += 14 * 86400;
	snapshot(fx);
	REFUSED(fx, playbook_meeting_reschedule_link(&fx->pb, mid, NULL, 0, 0, "ftp://x", &got, &r),
	    &r, RESULT_INVALID, "meeting_url", "https://");
	assert_int_equal(playbook_meeting_reschedule_link(&fx->pb, mid, NULL, 0, 0,
	    "https://meet.example/tailspin", &got, &r), 0);
	assert_int_equal(got, mid);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://meet.example/tailspin");
	assert_int_equal(m.sequence, 1);
	assert_string_equal(m.until_on, "");
	store_meeting_free(&m);
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "invite", .payload = { "\"sequence\":1,",
	    "\"meeting_url\":\"https://meet.example/tailspin\"" } });
	fx->pb.now -= 14 * 86400;
}

static void
test_all_csm_led_refused(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id = mk_customer(fx, "Adatum", "adatum.com"), mid;

	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla", "carla@ms.example", NULL, &r), 0);
	activate(fx, id, "teams", "2026-06-01");
	activate(fx, id, "outlook_mobile", "2026-06-01");
	contact(fx, id, "Ana", "ana@adatum.com");
	snapshot(fx);
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 30, 2, &mid, &r), &r,
	    RESULT_INVALID, NULL, "CSM-led");
	/* And no check-in is ever "overdue" for the FM. */
	assert_false(readiness(fx, id)->overdue);
}

static void
test_schedule_needs_contact(void **state)
{
	static const struct {
		const char	*starts_at;
		int		 minutes, every_weeks;
		const char	*field;
	} bad[] = {
		{ .starts_at = "2026-06-17 10:00", .minutes = 30, .every_weeks = 2, .field = "starts_at" },
		{ .starts_at = "2026-06-01T10:00", .minutes = 30, .every_weeks = 2, .field = "starts_at" },
		{ .starts_at = "2026-06-17T10:00", .minutes = 5, .every_weeks = 2, .field = "duration_minutes" },
		{ .starts_at = "2026-06-17T10:00", .minutes = 30, .every_weeks = 9, .field = "every_weeks" },
	};
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id = mk_customer(fx, "Woodgrove", "woodgrove.com"), mid;
	size_t		 i;

	activate(fx, id, "exchange", "2026-06-01");
	snapshot(fx);
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 30, 2, &mid, &r), &r,
	    RESULT_INVALID, "contacts", NULL);
	contact(fx, id, "Ana", "ana@woodgrove.com");
	snapshot(fx);
	/* Bad values, each refused without a trace. */
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		REFUSED_ROW(fx, i, playbook_meeting_schedule(&fx->pb, id, bad[i].starts_at,
		    bad[i].minutes, bad[i].every_weeks, &mid, &r), &r, RESULT_INVALID, bad[i].field, NULL);
}

static void
test_reschedule_cancel(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	char			 uid[128];
	int64_t			 id = mk_live_customer(fx, "Proseware", "proseware.com", "exchange");
	int64_t			 mid = schedule(fx, id, 2);

	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	snprintf(uid, sizeof(uid), "%s", m.uid);
	store_meeting_free(&m);

	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-18T15:30", 0, 0, NULL, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.uid, uid);
	assert_int_equal(m.sequence, 1);
	assert_string_equal(m.starts_at, "2026-06-18T15:30");
	store_meeting_free(&m);
	assert_int_equal(outbox_kind(fx, id, "invite"), 2);

	assert_int_equal(playbook_meeting_cancel(&fx->pb, mid, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(m.sequence, 2);
	assert_string_equal(m.status, "cancelled");
	store_meeting_free(&m);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);

	/* A cancelled series cannot change any more. */
	snapshot(fx);
	REFUSED(fx, playbook_meeting_cancel(&fx->pb, mid, &r), &r, RESULT_CONFLICT, NULL, NULL);
	REFUSED(fx, playbook_meeting_reschedule(&fx->pb, mid, "2026-06-19T10:00", 0, 0, NULL, &r), &r,
	    RESULT_CONFLICT, NULL, NULL);
	REFUSED(fx, playbook_meeting_reschedule(&fx->pb, 777, "2026-06-19T10:00", 0, 0, NULL, &r), &r,
	    RESULT_NOTFOUND, NULL, NULL);
}

/*
 * A series that has started is split by a reschedule: the old one ends
 * after its last held occurrence (UNTIL, an update under its UID) and the
 * new schedule is a series of its own UID; one not started moves in place.
 */
static void
test_reschedule_splits_started_series(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m, nw, *act = NULL;
	json_object		*p, *v;
	size_t			 na;
	char			 uid[128];
	int64_t			 id = mk_live_customer(fx, "Proseware", "proseware.com", "exchange");
	int64_t			 mid = schedule(fx, id, 2), nid = 0, nid2 = 0;

	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	snprintf(uid, sizeof(uid), "%s", m.uid);
	store_meeting_free(&m);
	/* 2026-07-05 in Sao Paulo: 17 Jun and 1 Jul were held, 15 Jul is next. */
	fx->pb.now = NOW + 20 * 86400;
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-07-09T11:00", 0, 0, &nid,
	    &r), 0);
	assert_true(nid != mid);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.uid, uid);
	assert_int_equal(m.sequence, 1);
	assert_string_equal(m.starts_at, "2026-06-17T10:00");
	assert_string_equal(m.until_on, "2026-07-01");
	store_meeting_free(&m);
	assert_int_equal(store_meeting_get(fx->db.st, nid, &nw, &r), 0);
	assert_string_not_equal(nw.uid, uid);
	assert_int_equal(nw.sequence, 0);
	assert_int_equal(nw.replaces_id, mid);
	assert_string_equal(nw.starts_at, "2026-07-09T11:00");
	assert_string_equal(nw.until_on, "");
	assert_true(nw.n_attendees > 0);
	store_meeting_free(&nw);
	/* The schedule, the old series' update and the new series' request. */
	assert_int_equal(outbox_kind(fx, id, "invite"), 3);
	assert_int_equal(playbook_meeting_payload(&fx->pb, mid, &p, &r), 0);
	assert_true(json_object_object_get_ex(p, "version", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(json_object_object_get(p, "meeting"), "until", &v));
	assert_string_equal(json_object_get_string(v), "2026-07-01");
	json_object_put(p);
	/* One active series still: the new one. */
	assert_int_equal(store_meeting_list_active(fx->db.st, id, &act, &na, &r), 0);
	assert_int_equal(na, 1);
	assert_int_equal(act[0].id, nid);
	store_meeting_list_free(act, na);
	snapshot(fx);
	REFUSED(fx, playbook_meeting_reschedule(&fx->pb, mid, "2026-07-10T10:00", 0, 0, NULL, &r),
	    &r, RESULT_CONFLICT, "id", "ended on 2026-07-01");
	REFUSED(fx, playbook_meeting_cancel(&fx->pb, mid, &r), &r, RESULT_CONFLICT, "id", NULL);
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2026-07-20T10:00", 30, 2, &nid2, &r),
	    &r, RESULT_CONFLICT, NULL, NULL);

	/* Not started yet (9 Jul is after 5 Jul): in place, same UID. */
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, nid, NULL, 45, 0, &nid2, &r), 0);
	assert_int_equal(nid2, nid);
	assert_int_equal(store_meeting_get(fx->db.st, nid, &nw, &r), 0);
	assert_int_equal(nw.sequence, 1);
	assert_int_equal(nw.duration_minutes, 45);
	store_meeting_free(&nw);

	/* A duration change after it started: the new series starts at the next occurrence. */
	fx->pb.now = NOW + 30 * 86400;	/* 15 Jul: 9 Jul was held, 23 Jul is next */
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, nid, NULL, 60, 0, &nid2, &r), 0);
	assert_true(nid2 != nid);
	assert_int_equal(store_meeting_get(fx->db.st, nid2, &nw, &r), 0);
	assert_string_equal(nw.starts_at, "2026-07-23T11:00");
	assert_int_equal(nw.duration_minutes, 60);
	store_meeting_free(&nw);
	assert_int_equal(store_meeting_get(fx->db.st, nid, &m, &r), 0);
	assert_string_equal(m.until_on, "2026-07-09");
	store_meeting_free(&m);
}

/* The outbox row of customer id whose dedupe key is key: its payload. */
static json_object *
outbox_payload(struct fx *fx, int64_t id, const char *key)
{
	json_object	*arr, *row, *v, *p = NULL;
	struct result	 r;
	struct buf	 text = { 0 };
	long long	 total;
	size_t		 i;

	assert_int_equal(store_outbox_json(fx->db.st, id, NULL, 500, 0, &text, &total, &r), 0);
	assert_non_null(arr = json_tokener_parse(buf_cstr(&text)));
	for (i = 0; i < json_object_array_length(arr) && p == NULL; i++) {
		json_object_object_get_ex(json_object_array_get_idx(arr, i), "id", &v);
		buf_reset(&text);
		assert_int_equal(store_outbox_row_json(fx->db.st, json_object_get_int64(v), &text,
		    &r), 0);
		assert_non_null(row = json_tokener_parse(buf_cstr(&text)));
		if (json_object_object_get_ex(row, "dedupe_key", &v) &&
		    strcmp(json_object_get_string(v), key) == 0 &&
		    json_object_object_get_ex(row, "payload", &v))
			p = json_object_get(v);
		json_object_put(row);
	}
	buf_free(&text);
	json_object_put(arr);
	if (p == NULL)
		fail_msg("no outbox row %s", key);
	return p;
}

/*
 * Skip one occurrence (a CANCEL about it alone), move another (a REQUEST
 * about it alone), each SEQUENCE + 1 and stored; bad ones refused unchanged;
 * the next check-in passes over a skipped one.
 */
static void
test_skip_move_occurrence(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	json_object		*p, *v, *o;
	char			 key[96];
	int64_t			 id = mk_live_customer(fx, "Proseware", "proseware.com", "exchange");
	int64_t			 mid = schedule(fx, id, 2);	/* Wed 17 Jun 10:00, every 2 weeks */

	assert_int_equal(playbook_meeting_skip(&fx->pb, mid, "2026-06-17", &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(m.sequence, 1);
	assert_int_equal(m.n_exceptions, 1);
	assert_string_equal(m.exceptions[0].occurs_on, "2026-06-17");
	assert_string_equal(m.exceptions[0].moved_to, "");
	store_meeting_free(&m);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);
	snprintf(key, sizeof(key), "meeting:%" PRId64 ":1:skip:2026-06-17", mid);
	p = outbox_payload(fx, id, key);
	assert_int_equal(json_object_get_int(json_object_object_get(p, "version")), 2);
	assert_string_equal(json_object_get_string(json_object_object_get(p, "method")), "CANCEL");
	o = json_object_object_get(p, "occurrence");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "on")), "2026-06-17");
	assert_true(json_object_object_get_ex(o, "moved_to", &v) && v == NULL);
	json_object_put(p);
	assert_string_equal(readiness(fx, id)->next_checkin, "2026-07-01");

	assert_int_equal(playbook_meeting_move(&fx->pb, mid, "2026-07-01", "2026-07-02T15:30", &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(m.sequence, 2);
	assert_int_equal(m.n_exceptions, 2);
	assert_string_equal(m.exceptions[1].moved_to, "2026-07-02T15:30");
	store_meeting_free(&m);
	snprintf(key, sizeof(key), "meeting:%" PRId64 ":2:move:2026-07-01", mid);
	p = outbox_payload(fx, id, key);
	assert_string_equal(json_object_get_string(json_object_object_get(p, "method")), "REQUEST");
	o = json_object_object_get(p, "occurrence");
	assert_string_equal(json_object_get_string(json_object_object_get(o, "moved_to")),
	    "2026-07-02T15:30");
	/* The series' own exceptions travel too: later requests carry the skip as EXDATE. */
	assert_int_equal(json_object_array_length(json_object_object_get(json_object_object_get(p,
	    "meeting"), "exceptions")), 2);
	json_object_put(p);

	snapshot(fx);
	REFUSED(fx, playbook_meeting_skip(&fx->pb, mid, "2026-06-17", &r), &r, RESULT_CONFLICT,
	    "occurs_on", "skipped already");
	REFUSED(fx, playbook_meeting_skip(&fx->pb, mid, "2026-06-18", &r), &r, RESULT_INVALID,
	    "occurs_on", "not a day of meeting");
	REFUSED(fx, playbook_meeting_skip(&fx->pb, mid, "2026-06-03", &r), &r, RESULT_INVALID,
	    "occurs_on", NULL);
	REFUSED(fx, playbook_meeting_skip(&fx->pb, mid, "soon", &r), &r, RESULT_INVALID,
	    "occurs_on", NULL);
	REFUSED(fx, playbook_meeting_skip(&fx->pb, 777, "2026-07-15", &r), &r, RESULT_NOTFOUND,
	    NULL, NULL);
	REFUSED(fx, playbook_meeting_move(&fx->pb, mid, "2026-07-15", NULL, &r), &r, RESULT_INVALID,
	    "starts_at", NULL);
	REFUSED(fx, playbook_meeting_move(&fx->pb, mid, "2026-07-15", "2026-06-01T10:00", &r), &r,
	    RESULT_INVALID, "starts_at", "in the past");
	REFUSED(fx, playbook_meeting_move(&fx->pb, mid, "2026-07-15", "2026-07-15T25:00", &r), &r,
	    RESULT_INVALID, "starts_at", NULL);
	/* Past occurrences stay as they were. */
	fx->pb.now = NOW + 20 * 86400;
	REFUSED(fx, playbook_meeting_skip(&fx->pb, mid, "2026-07-01", &r), &r, RESULT_INVALID,
	    "occurs_on", "in the past");
}

static void
test_csm_led_cancels_series(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	/* Teams is FM-covered while there is no CSM. */
	int64_t			 id = mk_live_customer(fx, "Humongous", "humongous.com", "teams");
	int64_t			 mid = schedule(fx, id, 1);

	/* The CSM arrives: Teams becomes CSM-led, the series covers nothing, it is cancelled. */
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla", "carla@ms.example", NULL, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_string_equal(m.status, "cancelled");
	assert_int_equal(m.sequence, 1);
	store_meeting_free(&m);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);
	assert_int_equal(outbox_kind(fx, id, "handshake"), 1);
}

static void
test_contact_removed_gets_cancel(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	int64_t			 id = mk_live_customer(fx, "Coho", "coho.com", "exchange"), mid, kid;

	assert_int_equal(playbook_contact_add(&fx->pb, id, "Rui", "rui@coho.com", 1, &kid, &r), 0);
	mid = schedule(fx, id, 2);
	assert_int_equal(playbook_contact_set_invites(&fx->pb, kid, 0, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(store_meeting_attendee_find(&m, "rui@coho.com"), -1);
	assert_int_equal(m.sequence, 1);
	store_meeting_free(&m);
	/* An update to Ana, a CANCEL of his own to Rui. */
	assert_int_equal(outbox_kind(fx, id, "invite"), 2);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);
	/* The series goes on: his CANCEL must not say it is cancelled (RFC 5546 3.2.5). */
	outbox_row_is(fx, (int64_t)store_count(fx->db.st, "outbox"), &(const struct row_want){
	    .kind = "cancel", .to = "rui@coho.com", .not_to = "ana@coho.com",
	    .payload = { "\"method\":\"CANCEL\"", "\"status\":\"CONFIRMED\"" },
	    .not_payload = "CANCELLED" });
	/* A new contact joins: everyone gets the update. */
	contact(fx, id, "Lia", "lia@coho.com");
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(m.sequence, 2);
	assert_true(store_meeting_attendee_find(&m, "lia@coho.com") >= 0);
	store_meeting_free(&m);
}

static void
test_au_rules(void **state)
{
	static const struct {
		const char	*service, *on;
		long long	 active, eligible;
		const char	*field;
	} bad[] = {
		{ .service = "exchange", .on = "2026-06-10", .active = 11, .eligible = 10, .field = "active_users" },
		{ .service = "exchange", .on = "2026-06-10", .active = 0, .eligible = 0, .field = "eligible_users" },
		{ .service = "exchange", .on = "2026-06-10", .active = -1, .eligible = 10, .field = "active_users" },
		{ .service = "exchange", .on = "2026-06-20", .active = 1, .eligible = 10, .field = "measured_on" },
		{ .service = "teams", .on = "2026-06-10", .active = 1, .eligible = 10, .field = "service" },
	};
	struct fx			*fx = *state;
	struct result			 r;
	struct playbook_readiness	*rd;
	int64_t				 id = mk_customer(fx, "Alpine", "alpine.com");
	size_t				 i;

	activate(fx, id, "exchange", "2026-06-01");
	snapshot(fx);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		REFUSED_ROW(fx, i, playbook_usage_record(&fx->pb, id, bad[i].service, bad[i].on,
		    bad[i].active, bad[i].eligible, NULL, &r), &r, RESULT_INVALID, bad[i].field, NULL);

	/* 9.9 % is under target; exactly 10 % meets it. */
	usage(fx, id, "exchange", "2026-06-08", 99, 1000);
	rd = readiness(fx, id);
	assert_false(rd->ready);
	assert_true(has_reason(rd, "under_target"));
	usage(fx, id, "exchange", "2026-06-12", 100, 1000);
	rd = readiness(fx, id);
	assert_true(rd->ready);
	assert_string_equal(playbook_state_key(rd->state), "ready");
	/* An older sample recorded later does not replace the latest. */
	usage(fx, id, "exchange", "2026-06-01", 1, 1000);
	assert_true(readiness(fx, id)->ready);
}

static void
test_custom_target_and_metric(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id = mk_customer(fx, "Bellows", "bellows.com");
	struct playbook_service_input in = { "sharepoint", "2026-06-01", 25, NULL, -1 };

	assert_int_equal(playbook_service_activate(&fx->pb, id, &in, &r), 0);
	usage(fx, id, "sharepoint", "2026-06-10", 20, 100);
	assert_false(readiness(fx, id)->ready);
	usage(fx, id, "sharepoint", "2026-06-11", 25, 100);
	assert_true(readiness(fx, id)->ready);
	/* A described metric replaces the percentage; it counts once marked met. */
	assert_int_equal(playbook_service_target(&fx->pb, id, "sharepoint", 0,
	    "Every branch publishes its news site", 0, &r), 0);
	assert_true(has_reason(readiness(fx, id), "metric_unmet"));
	assert_int_equal(playbook_service_target(&fx->pb, id, "sharepoint", 0, NULL, 1, &r), 0);
	assert_true(readiness(fx, id)->ready);
}

static void
test_required_task_and_blocker(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	struct playbook_readiness	*rd;
	struct playbook_blocker_input	 b = { "Proxy blocks sync", "Contoso IT",
	    "customer_it_infrastructure", NULL, "onedrive" };
	struct playbook_blocker_input	 bad = { "x", "y", "not_a_reason", NULL, NULL };
	int64_t				 id = mk_customer(fx, "Margie", "margie.com"), bid;

	activate(fx, id, "onedrive", "2026-06-01");
	usage(fx, id, "onedrive", "2026-06-10", 50, 100);
	assert_true(readiness(fx, id)->ready);
	assert_int_equal(playbook_adoption_join(&fx->pb, id, "onedrive", &r), 0);
	assert_int_equal(store_count(fx->db.st, "task"), 3);
	rd = readiness(fx, id);
	assert_false(rd->ready);
	assert_int_equal(rd->n_reasons, 2);	/* 3740 and 3741; 3743 is optional */
	/* Joining twice is refused. */
	snapshot(fx);
	REFUSED(fx, playbook_adoption_join(&fx->pb, id, "onedrive", &r), &r,
	    RESULT_CONFLICT, NULL, NULL);
	assert_int_equal(playbook_task_complete(&fx->pb, id, 3740, "intro done", &r), 0);
	assert_int_equal(playbook_task_complete(&fx->pb, id, 3741, NULL, &r), 0);
	assert_true(readiness(fx, id)->ready);
	snapshot(fx);
	REFUSED(fx, playbook_task_complete(&fx->pb, id, 3741, NULL, &r), &r, RESULT_CONFLICT, NULL, NULL);
	REFUSED(fx, playbook_task_complete(&fx->pb, id, 1234, NULL, &r), &r, RESULT_INVALID, NULL, NULL);
	REFUSED(fx, playbook_task_complete(&fx->pb, id, 3650, NULL, &r), &r, RESULT_NOTFOUND, NULL, NULL);
	REFUSED(fx, playbook_blocker_open(&fx->pb, id, &bad, &bid, &r), &r,
	    RESULT_INVALID, "l2_reason", NULL);

	assert_int_equal(playbook_blocker_open(&fx->pb, id, &b, &bid, &r), 0);
	rd = readiness(fx, id);
	assert_false(rd->ready);
	assert_true(has_reason(rd, "blocker_open"));
	assert_int_equal(playbook_blocker_resolve(&fx->pb, bid, "Proxy bypass for *.sharepoint.com", &r), 0);
	assert_true(readiness(fx, id)->ready);
	snapshot(fx);
	REFUSED(fx, playbook_blocker_resolve(&fx->pb, bid, "again", &r), &r, RESULT_CONFLICT, NULL, NULL);
	REFUSED(fx, playbook_blocker_resolve(&fx->pb, 4242, "x", &r), &r,
	    RESULT_NOTFOUND, NULL, NULL);
}

static void
test_accelerator(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	struct store_task t;
	int64_t		 id = mk_customer(fx, "Trey", "trey.com");

	activate(fx, id, "office_proplus", "2026-06-01");
	activate(fx, id, "exchange", "2026-06-01");
	snapshot(fx);
	REFUSED(fx, playbook_accelerator_request(&fx->pb, id, "exchange", &r), &r,
	    RESULT_INVALID, NULL, NULL);
	assert_int_equal(playbook_accelerator_request(&fx->pb, id, "office_proplus", &r), 0);
	assert_int_equal(store_task_get(fx->db.st, id, 3650, &t, &r), 0);
	assert_false(t.required);
}

static void
test_checkin_rules(void **state)
{
	static const char *const svcs[] = { "exchange" }, *const csm_svcs[] = { "teams" };
	/* Each a good check-in with one member wrong, and the field named for it. */
	static const struct {
		struct playbook_checkin_input	 in;
		const char			*field;
	} bad[] = {
		{ .field = "next_action", .in = { .held_on = "2026-06-12", .next_action = "",
		  .next_action_on = "2026-06-19", .next_action_owner = "FM", .services = svcs, .n_services = 1 } },
		{ .field = "next_action_owner", .in = { .held_on = "2026-06-12", .next_action = "Send adoption kit",
		  .next_action_on = "2026-06-19", .next_action_owner = NULL, .services = svcs, .n_services = 1 } },
		{ .field = "next_action_on", .in = { .held_on = "2026-06-12", .next_action = "Send adoption kit",
		  .next_action_on = "2026-06-11", .next_action_owner = "FM", .services = svcs, .n_services = 1 } },
		{ .field = "held_on", .in = { .held_on = "2026-06-16", .next_action = "Send adoption kit",
		  .next_action_on = "2026-06-20", .next_action_owner = "FM", .services = svcs, .n_services = 1 } },
		{ .field = "services", .in = { .held_on = "2026-06-12", .next_action = "Send adoption kit",
		  .next_action_on = "2026-06-19", .next_action_owner = "FM", .services = csm_svcs, .n_services = 1 } },
	};
	struct fx	*fx = *state;
	struct result	 r;
	int64_t		 id = mk_customer(fx, "Fourth", "fourth.com"), cid;
	struct playbook_checkin_input ok = { "2026-06-12", "Went well", "Send adoption kit",
	    "2026-06-19", "FM", svcs, 1 };
	size_t		 i;

	activate(fx, id, "exchange", "2026-06-01");
	assert_int_equal(playbook_csm_assign(&fx->pb, id, "Carla", "carla@ms.example", NULL, &r), 0);
	activate(fx, id, "teams", "2026-06-01");
	snapshot(fx);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		REFUSED_ROW(fx, i, playbook_checkin_log(&fx->pb, id, &bad[i].in, &cid, &r), &r,
		    RESULT_INVALID, bad[i].field, NULL);
	assert_int_equal(playbook_checkin_log(&fx->pb, id, &ok, &cid, &r), 0);
	assert_string_equal(readiness(fx, id)->last_checkin, "2026-06-12");
}

static void
test_overdue(void **state)
{
	struct store_facts		 f;
	struct store_service		 s;
	struct playbook_readiness	 rd;
	int32_t				 today;

	(void)state;
	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	snprintf(f.customer.phase, sizeof(f.customer.phase), "execution");
	f.customer.cadence_weeks = 2;
	snprintf(s.service, sizeof(s.service), "exchange");
	s.intended = 1;
	s.target_percent = 10;
	snprintf(s.activated_on, sizeof(s.activated_on), "2026-06-01");
	f.services = &s;
	f.n_services = 1;
	/* 14 days after activation: due today, not overdue; 15 days: overdue. */
	text_date_parse("2026-06-15", &today);
	playbook_readiness(&f, today, &rd);
	assert_false(rd.overdue);
	assert_string_equal(rd.due_by, "2026-06-15");
	playbook_readiness(&f, today + 1, &rd);
	assert_true(rd.overdue);
	assert_true(rd.at_risk);
	assert_string_equal(playbook_state_key(rd.state), "at_risk");
	/* A check-in resets the clock; a weekly series tightens it. */
	snprintf(f.last_checkin, sizeof(f.last_checkin), "2026-06-10");
	playbook_readiness(&f, today + 1, &rd);
	assert_false(rd.overdue);
	f.n_active_series = 1;
	f.series_every_weeks = 1;
	snprintf(f.series_starts_at, sizeof(f.series_starts_at), "2026-06-03T10:00");
	playbook_readiness(&f, today + 3, &rd);
	assert_true(rd.overdue);
	assert_string_equal(rd.next_checkin, "2026-06-24");
	/* A skipped occurrence is not due: the due day moves to the next one. */
	snprintf(f.series_skipped[0], sizeof(f.series_skipped[0]), "2026-06-17");
	f.n_series_skipped = 1;
	playbook_readiness(&f, today + 3, &rd);
	assert_false(rd.overdue);
	assert_string_equal(rd.due_by, "2026-06-24");
	assert_string_equal(rd.next_checkin, "2026-06-24");
	snprintf(f.series_skipped[1], sizeof(f.series_skipped[1]), "2026-06-24");
	f.n_series_skipped = 2;
	playbook_readiness(&f, today + 3, &rd);
	assert_string_equal(rd.due_by, "2026-07-01");
	assert_string_equal(rd.next_checkin, "2026-07-01");
	playbook_readiness(&f, today + 17, &rd);
	assert_true(rd.overdue);
	f.n_series_skipped = 0;
	/* A CSM-led service: no check-in expected from the FM. */
	s.csm_led = 1;
	f.last_checkin[0] = '\0';
	playbook_readiness(&f, today + 60, &rd);
	assert_false(rd.overdue);
}

static void
test_next_occurrence(void **state)
{
	char	 out[11];
	int32_t	 d;

	(void)state;
	text_date_parse("2026-06-15", &d);
	assert_int_equal(playbook_next_occurrence("2026-06-01T09:00", 2, d, out, sizeof(out)), 0);
	assert_string_equal(out, "2026-06-15");
	assert_int_equal(playbook_next_occurrence("2026-06-01T09:00", 2, d + 1, out, sizeof(out)), 0);
	assert_string_equal(out, "2026-06-29");
	assert_int_equal(playbook_next_occurrence("2026-07-01T09:00", 1, d, out, sizeof(out)), 0);
	assert_string_equal(out, "2026-07-01");
	assert_int_equal(playbook_next_occurrence("junk", 1, d, out, sizeof(out)), -1);
}

static void
test_review(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_customer	 c;
	struct store_task	 t;
	int64_t			 id = mk_live_customer(fx, "Wide World", "wideworld.com", "exchange"), cid;
	static const char *const svcs[] = { "exchange" };
	struct playbook_checkin_input ok = { "2026-06-12", "Went well", "Send adoption kit",
	    "2026-06-19", "FM", svcs, 1 };
	struct playbook_blocker_input blocker = { .description = "Proxy", .owner = "IT",
	    .l2_reason = "customer_it_infrastructure" };

	schedule(fx, id, 2);
	snapshot(fx);
	REFUSED(fx, playbook_review_start(&fx->pb, id, &r), &r,
	    RESULT_INVALID, NULL, "Exchange Online");
	REFUSED(fx, playbook_review_outcome(&fx->pb, id, "disengage", &r), &r,
	    RESULT_CONFLICT, NULL, NULL);

	usage(fx, id, "exchange", "2026-06-12", 300, 1000);
	assert_int_equal(playbook_review_start(&fx->pb, id, &r), 0);
	assert_int_equal(store_customer_get(fx->db.st, id, &c, &r), 0);
	assert_string_equal(c.phase, "success_review");
	assert_int_equal(store_task_get(fx->db.st, id, 3735, &t, &r), 0);
	assert_string_equal(t.status, "open");
	snapshot(fx);
	REFUSED(fx, playbook_review_outcome(&fx->pb, id, "win", &r), &r, RESULT_INVALID, "outcome", NULL);
	/* In Success Review the execution forms are refused in words (playbook_phase_allows). */
	REFUSED(fx, playbook_checkin_log(&fx->pb, id, &ok, &cid, &r), &r, RESULT_CONFLICT, "id",
	    "Wide World is in Success Review: check-ins are no longer logged");
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2026-06-24T10:00", 30, 2, &cid, &r),
	    &r, RESULT_CONFLICT, "id", "check-in meetings are over");
	REFUSED(fx, playbook_review_start(&fx->pb, id, &r), &r, RESULT_CONFLICT, "id",
	    "already started");
	assert_int_equal(playbook_review_outcome(&fx->pb, id, "transition_to_csm", &r), 0);
	assert_int_equal(store_customer_get(fx->db.st, id, &c, &r), 0);
	assert_string_equal(c.phase, "closed");
	assert_string_equal(c.review_outcome, "transition_to_csm");
	assert_int_equal(store_task_get(fx->db.st, id, 3735, &t, &r), 0);
	assert_string_equal(t.status, "done");
	/* Closing cancels the check-ins in the customer's calendars. */
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);
	snapshot(fx);
	REFUSED(fx, playbook_blocker_open(&fx->pb, id, &blocker, &cid, &r), &r, RESULT_CONFLICT,
	    "id", "Wide World is in Closed: its blockers are settled");
	REFUSED(fx, playbook_task_complete(&fx->pb, id, 3741, NULL, &r), &r, RESULT_CONFLICT, "id",
	    "FTOP tasks are settled");
}

/* Issue 13, item 11: a logged check-in corrected, audited field by field old -> new. */
static void
test_checkin_edit(void **state)
{
	static const char *const svcs[] = { "exchange" }, *const none[] = { "teams" };
	struct fx		*fx = *state;
	struct result		 r;
	struct store_checkin	 k;
	char			 d[1024];
	int64_t			 id = mk_customer(fx, "Fifth", "fifth.com"), cid;
	struct playbook_checkin_input ok = { "2026-06-12", "Went well", "Send adoption kit",
	    "2026-06-19", "FM", svcs, 1 };
	struct playbook_checkin_input fix = { "2026-06-11", "Went well", "Send the adoption kit",
	    "2026-06-19", "Carla", NULL, 0 };
	struct playbook_checkin_input bad = fix;

	activate(fx, id, "exchange", "2026-06-01");
	assert_int_equal(playbook_checkin_log(&fx->pb, id, &ok, &cid, &r), 0);
	snapshot(fx);
	/* The same checks as logging: a clear error naming the field, nothing changed. */
	bad.next_action = "";
	REFUSED(fx, playbook_checkin_edit(&fx->pb, cid, &bad, &r), &r, RESULT_INVALID, "next_action", NULL);
	bad = fix;
	bad.held_on = "2026-06-16";
	bad.next_action_on = "2026-06-20";
	REFUSED(fx, playbook_checkin_edit(&fx->pb, cid, &bad, &r), &r, RESULT_INVALID, "held_on", "future");
	bad = fix;
	bad.services = none;
	bad.n_services = 1;
	REFUSED(fx, playbook_checkin_edit(&fx->pb, cid, &bad, &r), &r, RESULT_INVALID, "services", NULL);
	REFUSED(fx, playbook_checkin_edit(&fx->pb, 999, &fix, &r), &r, RESULT_NOTFOUND, NULL, NULL);
	/* The same values: nothing written. */
	assert_int_equal(playbook_checkin_edit(&fx->pb, cid, &ok, &r), 0);
	assert_unchanged(fx);
	assert_int_equal(playbook_checkin_edit(&fx->pb, cid, &fix, &r), 0);
	assert_int_equal(store_checkin_get(fx->db.st, cid, &k, &r), 0);
	assert_string_equal(k.held_on, "2026-06-11");
	assert_string_equal(k.next_action_owner, "Carla");
	assert_int_equal(k.n_services, 0);
	assert_int_equal(store_count(fx->db.st, "checkin"), 1);
	assert_int_equal(store_audit_last(fx->db.st, "checkin.edit", d, sizeof(d), &r), 0);
	assert_non_null(strstr(d, "2026-06-12 -> 2026-06-11"));
	assert_non_null(strstr(d, "Send adoption kit -> Send the adoption kit"));
	assert_non_null(strstr(d, "FM -> Carla"));
	assert_non_null(strstr(d, "\"services\":\"exchange -> \""));
	assert_null(strstr(d, "summary"));
	assert_string_equal(readiness(fx, id)->last_checkin, "2026-06-11");
}

/* Issue 13, item 17: the portfolio records each week's states; the chart counts them. */
static void
test_state_history(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	struct playbook_portfolio_query	 q;
	struct store_state_count	 c[8];
	json_object			*o, *h, *weeks, *w, *v;
	size_t				 n;
	int64_t				 a = mk_customer(fx, "Alpha", "alpha.com"),
					 b = mk_customer(fx, "Beta", "beta.com");
	char				 ids[64];

	memset(&q, 0, sizeof(q));
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	assert_true(json_object_object_get_ex(o, "state_history", &h));
	assert_true(json_object_object_get_ex(h, "weeks", &weeks));
	assert_int_equal(json_object_array_length(weeks), 12);
	w = json_object_array_get_idx(weeks, 11);
	assert_true(json_object_object_get_ex(w, "recorded", &v) && json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(w, "in_progress", &v));
	assert_int_equal(json_object_get_int(v), 2);
	w = json_object_array_get_idx(weeks, 0);
	assert_true(json_object_object_get_ex(w, "recorded", &v) && !json_object_get_boolean(v));
	json_object_put(o);
	/* A later view the same week keeps one row per customer; a new state replaces it. */
	activate(fx, a, "exchange", "2026-06-01");
	usage(fx, a, "exchange", "2026-06-10", 50, 100);
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_put(o);
	snprintf(ids, sizeof(ids), "[%lld,%lld]", (long long)a, (long long)b);
	assert_int_equal(store_state_week_counts(fx->db.st, "2000-01-03", ids, c, 8, &n, &r), 0);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].state, "in_progress");
	assert_int_equal(c[0].count, 1);
	assert_string_equal(c[1].state, "ready");
	assert_int_equal(c[1].count, 1);
	/* The week starts on a Monday: 2026-06-15 (NOW) is one. */
	assert_string_equal(c[0].week, "2026-06-15");
}

/* Issue 13, item 11: a contact corrected (audited old -> new) and removed (its own CANCEL). */
static void
test_contact_edit_remove(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	struct store_contact	 k;
	char			 d[512];
	int64_t			 id = mk_live_customer(fx, "Coho", "coho.com", "exchange"), mid, kid;

	assert_int_equal(playbook_contact_add(&fx->pb, id, "Rui", "rui@coho.com", 1, &kid, &r), 0);
	mid = schedule(fx, id, 2);
	snapshot(fx);
	/* Bad input: a clear error, nothing changed. */
	REFUSED(fx, playbook_contact_edit(&fx->pb, kid, "", "rui@coho.com", &r), &r, RESULT_INVALID,
	    "name", NULL);
	REFUSED(fx, playbook_contact_edit(&fx->pb, kid, "Rui", "not an address", &r), &r,
	    RESULT_INVALID, "email", NULL);
	REFUSED(fx, playbook_contact_edit(&fx->pb, kid, "Rui", "ana@coho.com", &r), &r,
	    RESULT_CONFLICT, "email", "ana@coho.com");
	REFUSED(fx, playbook_contact_edit(&fx->pb, 9999, "Rui", "rui@coho.com", &r), &r,
	    RESULT_NOTFOUND, NULL, NULL);
	/* The same values: nothing written, not even an audit row. */
	assert_int_equal(playbook_contact_edit(&fx->pb, kid, "Rui", "rui@coho.com", &r), 0);
	assert_unchanged(fx);
	/* A new name alone mails no one; the audit says old -> new. */
	assert_int_equal(playbook_contact_edit(&fx->pb, kid, "Rui Costa", "rui@coho.com", &r), 0);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 0);
	assert_int_equal(store_audit_last(fx->db.st, "contact.edit", d, sizeof(d), &r), 0);
	assert_non_null(strstr(d, "Rui -> Rui Costa"));
	assert_null(strstr(d, "email"));
	/* A new address: the old one gets a CANCEL of its own, the new one joins the series. */
	assert_int_equal(playbook_contact_edit(&fx->pb, kid, "Rui Costa", "rui.costa@coho.com", &r), 0);
	assert_int_equal(store_audit_last(fx->db.st, "contact.edit", d, sizeof(d), &r), 0);
	assert_non_null(strstr(d, "rui@coho.com -> rui.costa@coho.com"));
	assert_int_equal(outbox_kind(fx, id, "cancel"), 1);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(store_meeting_attendee_find(&m, "rui@coho.com"), -1);
	assert_true(store_meeting_attendee_find(&m, "rui.costa@coho.com") >= 0);
	store_meeting_free(&m);
	/* Removed: the removal flow of the invitations, then the row goes; the audit keeps it. */
	assert_int_equal(playbook_contact_remove(&fx->pb, kid, &r), 0);
	assert_int_equal(store_contact_get(fx->db.st, kid, &k, &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	assert_int_equal(outbox_kind(fx, id, "cancel"), 2);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(store_meeting_attendee_find(&m, "rui.costa@coho.com"), -1);
	assert_true(store_meeting_attendee_find(&m, "ana@coho.com") >= 0);
	store_meeting_free(&m);
	assert_int_equal(store_audit_last(fx->db.st, "contact.remove", d, sizeof(d), &r), 0);
	assert_non_null(strstr(d, "rui.costa@coho.com"));
	snapshot(fx);
	REFUSED(fx, playbook_contact_remove(&fx->pb, kid, &r), &r, RESULT_NOTFOUND, NULL, NULL);
}

/* Issue 13, item 11: an archived customer leaves the portfolio, stays readable, comes back. */
static void
test_archive(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	struct playbook_portfolio_query	 q;
	json_object			*o, *v;
	int64_t				 id = mk_live_customer(fx, "Tailspin", "tailspin.com", "exchange"),
					 other = mk_customer(fx, "Other", "other.com"), mid;
	struct store_customer		 c;

	(void)other;
	mid = schedule(fx, id, 2);
	snapshot(fx);
	/* A running series would go on mailing: cancel it first. */
	REFUSED(fx, playbook_customer_archive(&fx->pb, id, 1, &r), &r, RESULT_CONFLICT, "id",
	    "cancel it before archiving");
	REFUSED(fx, playbook_customer_archive(&fx->pb, id, 0, &r), &r, RESULT_CONFLICT, "id",
	    "not archived");
	assert_int_equal(playbook_meeting_cancel(&fx->pb, mid, &r), 0);
	assert_int_equal(playbook_customer_archive(&fx->pb, id, 1, &r), 0);
	assert_int_equal(store_customer_get(fx->db.st, id, &c, &r), 0);
	assert_true(c.archived_at > 0);
	memset(&q, 0, sizeof(q));
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "total", &v);
	assert_int_equal(json_object_get_int(v), 1);
	json_object_put(o);
	q.q = "tailspin";
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "total", &v);
	assert_int_equal(json_object_get_int(v), 0);
	json_object_put(o);
	/* An export asks for them too: listed, flagged. */
	q.with_archived = 1;
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "customers", &v);
	assert_int_equal(json_object_array_length(v), 1);
	assert_true(json_object_object_get_ex(json_object_array_get_idx(v, 0), "archived", &v) &&
	    json_object_get_boolean(v));
	json_object_put(o);
	q.with_archived = 0;
	/* Still readable by its id, flagged, with no form offered; changes are refused in words. */
	assert_int_equal(playbook_customer_view(&fx->pb, id, &o, &r), 0);
	assert_true(json_object_object_get_ex(o, "archived", &v) && json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "archived_at", &v) && v != NULL);
	json_object_object_get_ex(o, "may", &v);
	json_object_object_get_ex(v, "checkins", &v);
	assert_false(json_object_get_boolean(v));
	json_object_put(o);
	snapshot(fx);
	REFUSED(fx, playbook_blocker_open(&fx->pb, id, &(const struct playbook_blocker_input){
	    .description = "x", .owner = "y", .l2_reason = "customer_it_infrastructure" }, &mid, &r),
	    &r, RESULT_CONFLICT, "id", "Tailspin is archived: unarchive it first");
	REFUSED(fx, playbook_customer_archive(&fx->pb, id, 1, &r), &r, RESULT_CONFLICT, "id",
	    "already archived");
	assert_int_equal(playbook_customer_archive(&fx->pb, id, 0, &r), 0);
	assert_int_equal(store_customer_get(fx->db.st, id, &c, &r), 0);
	assert_int_equal(c.archived_at, 0);
	q.q = NULL;
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "total", &v);
	assert_int_equal(json_object_get_int(v), 2);
	json_object_put(o);
	assert_int_equal(store_audit_last(fx->db.st, "customer.archive", (char[256]){ 0 }, 256, &r), 0);
}

/* The one list of what each phase takes, behind both the page's forms and the 409. */
static void
test_phase_allows(void **state)
{
	static const struct {
		enum playbook_phase	 phase;
		enum playbook_action	 action;
		int			 allowed;
	} want[] = {
		{ PLAYBOOK_PHASE_EXECUTION, PLAYBOOK_ACTION_CHECKINS, 1 },
		{ PLAYBOOK_PHASE_EXECUTION, PLAYBOOK_ACTION_REVIEW_START, 1 },
		{ PLAYBOOK_PHASE_EXECUTION, PLAYBOOK_ACTION_REVIEW_OUTCOME, 0 },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, PLAYBOOK_ACTION_CHECKINS, 0 },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, PLAYBOOK_ACTION_USAGE, 1 },
		{ PLAYBOOK_PHASE_CLOSED, PLAYBOOK_ACTION_USAGE, 1 },
		{ PLAYBOOK_PHASE_CLOSED, PLAYBOOK_ACTION_SERVICES, 0 },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, PLAYBOOK_ACTION_SERIES, 0 },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, PLAYBOOK_ACTION_REVIEW_OUTCOME, 1 },
		{ PLAYBOOK_PHASE_SUCCESS_REVIEW, PLAYBOOK_ACTION_BLOCKERS, 1 },
		{ PLAYBOOK_PHASE_CLOSED, PLAYBOOK_ACTION_BLOCKERS, 0 },
		{ PLAYBOOK_PHASE_CLOSED, PLAYBOOK_ACTION_CONTACTS, 1 },
		{ PLAYBOOK_PHASE__MAX, PLAYBOOK_ACTION_CONTACTS, 0 },
		{ PLAYBOOK_PHASE_EXECUTION, PLAYBOOK_ACTION__MAX, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (playbook_phase_allows(want[i].phase, want[i].action) != want[i].allowed)
			fail_msg("row %zu: phase %d, action %d: want %d", i, (int)want[i].phase,
			    (int)want[i].action, want[i].allowed);
	assert_string_equal(playbook_action_key(PLAYBOOK_ACTION_CHECKINS), "checkins");
}

static void
test_outbox_claim(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_outbox_row	*rows;
	size_t			 n, i;
	int64_t			 a = mk_live_customer(fx, "A", "a.example.com", "exchange");
	int64_t			 b = mk_live_customer(fx, "B", "b.example.com", "exchange");

	assert_int_equal(playbook_meeting_reschedule(&fx->pb, schedule(fx, a, 2), "2026-06-18T10:00",
	    0, 0, NULL, &r), 0);
	schedule(fx, b, 2);
	/* A's update waits behind A's request; B's request goes alongside. */
	assert_int_equal(store_outbox_claim(fx->db.st, "n1", NOW, 300, NULL, 10, &rows, &n, &r), 0);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].customer_id, a);
	assert_int_equal(rows[1].customer_id, b);
	assert_int_equal(rows[0].attempts, 1);
	/* A second notifier finds nothing while the leases hold. */
	{
		struct store_outbox_row *r2;
		size_t n2;

		assert_int_equal(store_outbox_claim(fx->db.st, "n2", NOW + 10, 300, NULL, 10, &r2, &n2, &r), 0);
		assert_int_equal(n2, 0);
		free(r2);
	}
	/* Only the holder marks. */
	snapshot(fx);
	REFUSED(fx, store_outbox_mark_sent(fx->db.st, rows[0].id, "n2", NOW, "250 ok", NULL, &r), &r,
	    RESULT_CONFLICT, NULL, NULL);
	assert_int_equal(store_outbox_set_message_id(fx->db.st, rows[0].id, "n1", "<x@y>", &r), 0);
	assert_int_equal(store_outbox_mark_sent(fx->db.st, rows[0].id, "n1", NOW, "250 ok", NULL, &r), 0);
	/* n1 crashes holding B's row: after the lease it is claimed again, same Message-ID kept. */
	for (i = 0; i < n; i++)
		store_outbox_row_free(&rows[i]);
	free(rows);
	assert_int_equal(store_outbox_claim(fx->db.st, "n2", NOW + 301, 300, NULL, 10, &rows, &n, &r), 0);
	assert_int_equal(n, 2);	/* A's update (now unblocked) and B's expired lease */
	assert_int_equal(rows[1].customer_id, b);
	assert_int_equal(rows[1].attempts, 2);
	assert_int_equal(store_outbox_mark_retry(fx->db.st, rows[0].id, "n2", NOW + 301, NOW + 361,
	    "451 try later", "451 4.3.0 busy", &r), 0);
	assert_int_equal(store_outbox_mark_dead(fx->db.st, rows[1].id, "n2", NOW + 301,
	    "550 no such user", "550 5.1.1", &r), 0);
	for (i = 0; i < n; i++)
		store_outbox_row_free(&rows[i]);
	free(rows);
	/* Not due before its time, due after. */
	assert_int_equal(store_outbox_claim(fx->db.st, "n3", NOW + 360, 300, NULL, 10, &rows, &n, &r), 0);
	assert_int_equal(n, 0);
	free(rows);
	assert_int_equal(store_outbox_claim(fx->db.st, "n3", NOW + 361, 300, "fm.example", 10, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	/* The claim gave the row a Message-ID of the sender's domain, kept from now on. */
	assert_int_equal(strncmp(rows[0].message_id, "<ftsuccess.", 11), 0);
	assert_non_null(strstr(rows[0].message_id, "@fm.example>"));
	store_outbox_row_free(&rows[0]);
	free(rows);
	/* A dead row can be retried by a person; a sent one cannot. */
	assert_int_equal(playbook_outbox_retry(&fx->pb, 3, &r), 0);
	snapshot(fx);
	REFUSED(fx, playbook_outbox_retry(&fx->pb, 1, &r), &r, RESULT_CONFLICT, NULL, NULL);
	REFUSED(fx, playbook_outbox_retry(&fx->pb, 99, &r), &r, RESULT_NOTFOUND, NULL, NULL);
}

static void
test_portfolio(void **state)
{
	struct fx			*fx = *state;
	struct result			 r;
	struct playbook_portfolio_query	 q;
	json_object			*o, *v, *cnt;
	int64_t				 a = mk_customer(fx, "Ready Co", "ready.example.com");
	int64_t				 b = mk_customer(fx, "Late Co", "late.example.com");

	activate(fx, a, "exchange", "2026-06-10");
	usage(fx, a, "exchange", "2026-06-12", 50, 100);
	activate(fx, b, "exchange", "2026-04-01");
	usage(fx, b, "exchange", "2026-06-12", 1, 100);
	/* A third customer in Success Review: in no execution tile, in its own. */
	{
		int64_t c = mk_customer(fx, "Review Co", "review.example.com");

		activate(fx, c, "exchange", "2026-06-10");
		usage(fx, c, "exchange", "2026-06-12", 50, 100);
		assert_int_equal(playbook_review_start(&fx->pb, c, &r), 0);
	}
	memset(&q, 0, sizeof(q));
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "total", &v);
	assert_int_equal(json_object_get_int(v), 3);
	json_object_object_get_ex(o, "counts", &cnt);
	json_object_object_get_ex(cnt, "ready", &v);
	assert_int_equal(json_object_get_int(v), 1);
	json_object_object_get_ex(cnt, "overdue", &v);
	assert_int_equal(json_object_get_int(v), 1);
	/* Issue 13 item 13: the state tiles partition the portfolio; overdue overlaps them. */
	{
		static const char *const states[] = { "in_progress", "at_risk", "ready",
		    "success_review", "closed" };
		long	 sum = 0;
		size_t	 k;

		for (k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
			assert_true(json_object_object_get_ex(cnt, states[k], &v));
			sum += json_object_get_int(v);
		}
		json_object_object_get_ex(cnt, "all", &v);
		assert_int_equal(sum, json_object_get_int(v));
		json_object_object_get_ex(cnt, "at_risk", &v);
		assert_int_equal(json_object_get_int(v), 1);
		json_object_object_get_ex(cnt, "success_review", &v);
		assert_int_equal(json_object_get_int(v), 1);
	}
	/* Issue 13 item 17: the chart counts Exchange for the three customers who intend it. */
	{
		json_object	*chart, *x;

		assert_true(json_object_object_get_ex(o, "au_chart", &chart));
		assert_int_equal(json_object_array_length(chart), 1);
		x = json_object_array_get_idx(chart, 0);
		assert_string_equal(json_object_get_string(json_object_object_get(x, "service")),
		    "exchange");
		assert_int_equal(json_object_get_int(json_object_object_get(x, "met")), 2);
		assert_int_equal(json_object_get_int(json_object_object_get(x, "under")), 1);
		assert_int_equal(json_object_get_int(json_object_object_get(x, "none")), 0);
		assert_true(json_object_get_double(json_object_object_get(x, "met_width")) > 66.5 &&
		    json_object_get_double(json_object_object_get(x, "met_width")) < 66.7);
	}
	json_object_put(o);
	q.state = "at_risk";
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "customers", &v);
	assert_int_equal(json_object_array_length(v), 1);
	assert_string_equal(json_object_get_string(json_object_object_get(
	    json_object_array_get_idx(v, 0), "name")), "Late Co");
	json_object_put(o);
	q.state = NULL;
	q.q = "READY";
	assert_int_equal(playbook_portfolio(&fx->pb, &q, &o, &r), 0);
	json_object_object_get_ex(o, "total", &v);
	assert_int_equal(json_object_get_int(v), 1);
	json_object_put(o);
	q.q = NULL;
	q.state = "bogus";
	snapshot(fx);
	REFUSED(fx, playbook_portfolio(&fx->pb, &q, &o, &r), &r, RESULT_INVALID, "state", NULL);
	/* Customer view: readiness and the catalog for forms. */
	assert_int_equal(playbook_customer_view(&fx->pb, a, &o, &r), 0);
	json_object_object_get_ex(o, "readiness", &v);
	assert_string_equal(json_object_get_string(json_object_object_get(v, "state")), "ready");
	assert_true(json_object_object_get_ex(o, "catalog", &v));
	json_object_put(o);
	REFUSED(fx, playbook_customer_view(&fx->pb, 999, &o, &r), &r, RESULT_NOTFOUND, NULL, NULL);
}

/* The per-worker cache gives the same pages, and any commit (this connection's or another's) shows at once. */
static void
test_portfolio_cache(void **state)
{
	struct fx			*fx = *state;
	struct playbook_portfolio_query	 q;
	struct playbook			 cached = fx->pb, other;
	struct store			*st2;
	struct result			 r;
	json_object			*a, *b;
	char				 name[32], domain[64];
	int				 i;
	int64_t				 first = 0, id;

	for (i = 0; i < 60; i++) {
		snprintf(name, sizeof(name), "Customer %02d", i);
		snprintf(domain, sizeof(domain), "c%02d.example.com", i);
		id = mk_customer(fx, name, domain);
		if (i == 0)
			first = id;
		activate(fx, id, "exchange", "2026-06-01");
	}
	assert_non_null(cached.cache = playbook_cache_new());
	memset(&q, 0, sizeof(q));
	q.sort = "au";
	q.page = 2;
	q.per_page = 25;
	/* Twice through the cache (a miss, then a hit), once without: the same page. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(playbook_portfolio(&cached, &q, &a, &r), 0);
		assert_int_equal(playbook_portfolio(&fx->pb, &q, &b, &r), 0);
		assert_string_equal(json_object_to_json_string(a), json_object_to_json_string(b));
		json_object_put(a);
		json_object_put(b);
	}
	q.page = 1;
	q.sort = NULL;
	q.state = "ready";
	assert_int_equal(playbook_portfolio(&cached, &q, &a, &r), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(a, "total")), 0);
	json_object_put(a);
	/* This connection's own commit. */
	usage(fx, first, "exchange", "2026-06-12", 50, 100);
	assert_int_equal(playbook_portfolio(&cached, &q, &a, &r), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(a, "total")), 1);
	json_object_put(a);
	/* Another process's commit (PRAGMA data_version). */
	assert_int_equal(store_open(&st2, fx->db.path, &r), 0);
	other = fx->pb;
	other.st = st2;
	assert_int_equal(playbook_usage_record(&other, first + 1, "exchange", "2026-06-12", 60, 100,
	    NULL, &r), 0);
	store_close(st2);
	assert_int_equal(playbook_portfolio(&cached, &q, &a, &r), 0);
	assert_int_equal(json_object_get_int(json_object_object_get(a, "total")), 2);
	json_object_put(a);
	playbook_cache_free(cached.cache);
}

/*
 * A series as the API shows it (playbook_meeting_json): the members in the
 * order they always had, the attendees and services from their rows; the
 * audit rows of schedule, reschedule and cancel name the same members.
 */
/* Whether the customer page's audit rows hold details (their JSON text, shown as a string). */
static int
page_has_details(const char *page, const char *details)
{
	json_object	*v = json_object_new_string(details);
	int		 found;

	found = strstr(page, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE)) != NULL;
	json_object_put(v);
	return found;
}

static void
test_meeting_json_shape(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	struct store_meeting	 m;
	struct buf		 page = { 0 };
	json_object		*o;
	int64_t			 id = mk_live_customer(fx, "Coho", "coho.com", "exchange"), mid;
	char			 want[1024];

	contact(fx, id, "Rui \"R\" Lopes", "rui@coho.com");
	assert_int_equal(playbook_meeting_schedule(&fx->pb, id, "2026-06-17T10:00", 45, 3, &mid, &r), 0);
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2026-06-18T09:30", 0, 0, NULL, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, mid, &m, &r), 0);
	assert_int_equal(playbook_meeting_json(&fx->pb, mid, &o, &r), 0);
	snprintf(want, sizeof(want), "{\"id\":%" PRId64 ",\"customer_id\":%" PRId64 ",\"uid\":\"%s\","
	    "\"sequence\":1,\"starts_at\":\"2026-06-18T09:30\",\"timezone\":\"%s\","
	    "\"duration_minutes\":45,\"every_weeks\":3,\"status\":\"scheduled\","
	    "\"attendees\":[{\"name\":\"Ana\",\"email\":\"ana@coho.com\"},"
	    "{\"name\":\"Rui \\\"R\\\" Lopes\",\"email\":\"rui@coho.com\"}],"
	    "\"services\":[\"exchange\"],\"until\":null,\"replaces\":null,\"exceptions\":[],"
	    "\"meeting_url\":null}",
	    mid, id, m.uid, m.timezone);
	assert_string_equal(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE), want);
	json_object_put(o);

	assert_int_equal(playbook_meeting_cancel(&fx->pb, mid, &r), 0);
	assert_int_equal(store_customer_json(fx->db.st, id, &page, &r), 0);
	snprintf(want, sizeof(want), "{\"uid\":\"%s\",\"starts_at\":\"2026-06-17T10:00\","
	    "\"every_weeks\":3,\"duration_minutes\":45}", m.uid);
	if (!page_has_details(buf_cstr(&page), want))
		fail_msg("no schedule audit %s in %s", want, buf_cstr(&page));
	snprintf(want, sizeof(want), "{\"uid\":\"%s\",\"sequence\":1,"
	    "\"starts_at\":\"2026-06-18T09:30\",\"every_weeks\":3,\"duration_minutes\":45}",
	    m.uid);
	if (!page_has_details(buf_cstr(&page), want))
		fail_msg("no reschedule audit %s", want);
	snprintf(want, sizeof(want), "{\"uid\":\"%s\",\"sequence\":2,"
	    "\"reason\":\"cancelled by the FM\"}", m.uid);
	if (!page_has_details(buf_cstr(&page), want))
		fail_msg("no cancel audit %s", want);
	buf_free(&page);
	store_meeting_free(&m);

	snapshot(fx);
	REFUSED(fx, playbook_meeting_json(&fx->pb, mid + 99, &o, &r), &r, RESULT_NOTFOUND, NULL, NULL);
	assert_null(o);
}

/*
 * Issue 12, defect 1: a start the clocks skip in the customer's zone was
 * accepted (201) and every invite then went dead in the notifier; it is
 * refused by the same check, on schedule and reschedule.  A start the clocks
 * go back over is accepted, and the page says which of the two it means.
 * Defect 2: a second active series for one customer is refused (409).
 */
static void
test_schedule_dst_and_one_series(void **state)
{
	struct fx			*fx = *state;
	struct playbook_customer_input	 in = { "Fabrikam New York", "fabrikam-ny.com",
					    "America/New_York", NULL, 0, NULL };
	struct store_meeting		 m;
	struct result			 r;
	json_object			*o, *ms, *x, *t;
	int64_t				 id = 0, mid, other;

	assert_int_equal(playbook_customer_create(&fx->pb, &in, &id, &r), 0);
	activate(fx, id, "exchange", "2026-06-01");
	contact(fx, id, "Ana", "ana@fabrikam-ny.com");
	snapshot(fx);
	/* 2027-03-14: New York's clocks go from 02:00 to 03:00. */
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2027-03-14T02:30", 30, 2, &mid, &r), &r,
	    RESULT_INVALID, "starts_at", "does not exist in America/New_York");
	assert_non_null(strstr(r.message, "03:30"));
	/* 2027-11-07: from 02:00 back to 01:00, so 01:30 happens twice. */
	assert_int_equal(playbook_meeting_schedule(&fx->pb, id, "2027-11-07T01:30", 30, 2, &mid, &r), 0);
	assert_int_equal(playbook_customer_view(&fx->pb, id, &o, &r), 0);
	assert_true(json_object_object_get_ex(o, "meetings", &ms));
	x = json_object_array_get_idx(ms, 0);
	assert_true(json_object_object_get_ex(x, "starts_twice", &t));
	assert_string_equal(json_object_get_string(json_object_object_get(t, "first")), "UTC-04:00");
	assert_string_equal(json_object_get_string(json_object_object_get(t, "second")), "UTC-05:00");
	json_object_put(o);

	snapshot(fx);
	REFUSED(fx, playbook_meeting_reschedule(&fx->pb, mid, "2028-03-12T02:15", 0, 0, NULL, &r), &r,
	    RESULT_INVALID, "starts_at", "clocks skip it");
	REFUSED(fx, playbook_meeting_schedule(&fx->pb, id, "2027-12-01T10:00", 30, 2, &other, &r),
	    &r, RESULT_CONFLICT, NULL, "already has an active check-in series");
	assert_non_null(strstr(r.message, "2027-11-07T01:30"));
	/* An ordinary time has no note; a cancelled series no longer blocks a new one. */
	assert_int_equal(playbook_meeting_reschedule(&fx->pb, mid, "2027-11-08T10:00", 0, 0, NULL, &r), 0);
	assert_int_equal(playbook_customer_view(&fx->pb, id, &o, &r), 0);
	json_object_object_get_ex(o, "meetings", &ms);
	assert_false(json_object_object_get_ex(json_object_array_get_idx(ms, 0), "starts_twice", &t));
	json_object_put(o);
	assert_int_equal(playbook_meeting_cancel(&fx->pb, mid, &r), 0);
	assert_int_equal(playbook_meeting_schedule(&fx->pb, id, "2027-12-01T10:00", 30, 2, &other, &r), 0);
	assert_int_equal(store_meeting_get(fx->db.st, other, &m, &r), 0);
	assert_string_equal(m.starts_at, "2027-12-01T10:00");
	store_meeting_free(&m);
}

UNIT_MAIN("playbook",
	TMPDB_TEST(test_schedule_dst_and_one_series),
	TMPDB_TEST(test_migrations_reopen),
	cmocka_unit_test(test_open_bad_path),
	TMPDB_TEST(test_concurrent_open),
	TMPDB_TEST(test_customer_refusals),
	TMPDB_TEST(test_limits_in_characters),
	TMPDB_TEST(test_csm_before_activation),
	TMPDB_TEST(test_csm_after_activation_and_replaced),
	TMPDB_TEST(test_service_activated_twice),
	TMPDB_TEST(test_mixed_customer_schedule),
	TMPDB_TEST(test_roles_in_the_rules),
	TMPDB_TEST(test_fm_is_chair),
	TMPDB_TEST(test_customer_language),
	TMPDB_TEST(test_series_link),
	TMPDB_TEST(test_all_csm_led_refused),
	TMPDB_TEST(test_schedule_needs_contact),
	TMPDB_TEST(test_reschedule_cancel),
	TMPDB_TEST(test_reschedule_splits_started_series),
	TMPDB_TEST(test_skip_move_occurrence),
	TMPDB_TEST(test_csm_led_cancels_series),
	TMPDB_TEST(test_contact_removed_gets_cancel),
	TMPDB_TEST(test_au_rules),
	TMPDB_TEST(test_custom_target_and_metric),
	TMPDB_TEST(test_required_task_and_blocker),
	TMPDB_TEST(test_accelerator),
	TMPDB_TEST(test_checkin_rules),
	cmocka_unit_test(test_overdue),
	cmocka_unit_test(test_next_occurrence),
	cmocka_unit_test(test_phase_allows),
	TMPDB_TEST(test_contact_edit_remove),
	TMPDB_TEST(test_state_history),
	TMPDB_TEST(test_checkin_edit),
	TMPDB_TEST(test_archive),
	TMPDB_TEST(test_review),
	TMPDB_TEST(test_outbox_claim),
	TMPDB_TEST(test_portfolio),
	TMPDB_TEST(test_portfolio_cache),
	TMPDB_TEST(test_meeting_json_shape),
)
