/* test_store.c -- the store's own checks on real SQLite files: failed binds are reported, migrations 5, 6 and 7 keep the data. */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "store_impl.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"

#define NOW	((int64_t)1781524800)

struct fx {
	struct tmpdb	 db;
};

static int
setup(void **state)
{
	return tmpdb_fixture_new(state, sizeof(struct fx), "store", 0);
}

/* A customer left with the database's defaults (phase, cadence) where a test wants them. */
static void
customer_fill(struct store_customer *c, const char *name, const char *domain)
{
	tmpdb_customer_fill(c, name, domain);
	c->phase[0] = '\0';
}

/* One text of SQL's first row, first column, into out. */
static void
sql_text(struct store *st, const char *sql, char *out, size_t size)
{
	sqlite3_stmt *s;

	out[0] = '\0';
	assert_int_equal(sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		store_col_text(s, 0, out, size);
	sqlite3_finalize(s);
}

/* Open the store with every migration and add one customer: its id. */
static int64_t
open_with_customer(struct fx *fx, const char *name, const char *domain)
{
	struct store_customer	 c;
	struct result		 r;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	customer_fill(&c, name, domain);
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), 0);
	return c.id;
}

/* A scheduled weekly-ish series of the customer (attendees and services are the caller's). */
static void
meeting_fill(struct store_meeting *m, int64_t customer_id, const char *uid)
{
	memset(m, 0, sizeof(*m));
	m->customer_id = customer_id;
	text_copy(m->uid, sizeof(m->uid), uid);
	text_copy(m->starts_at, sizeof(m->starts_at), "2026-06-15T10:00");
	text_copy(m->timezone, sizeof(m->timezone), "UTC");
	text_copy(m->status, sizeof(m->status), "scheduled");
	m->duration_minutes = 30;
	m->every_weeks = 2;
}

/* ---------------------------------------------------------------- binds */

/* A text longer than SQLITE_LIMIT_LENGTH cannot be bound: refused, named, nothing written. */
static void
test_bind_too_big_is_reported(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct result		 r;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	sqlite3_limit(fx->db.st->db, SQLITE_LIMIT_LENGTH, 40);
	customer_fill(&c, "A customer name well over forty bytes long, for the limit",
	    "big.onmicrosoft.com");
	result_clear(&r);
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "cannot bind parameter 2 of \"INSERT INTO customer"));
	sqlite3_limit(fx->db.st->db, SQLITE_LIMIT_LENGTH, 1000000);
	assert_int_equal(store_count(fx->db.st, "customer"), 0);

	/* The next statement starts clean: the failure belonged to that one. */
	customer_fill(&c, "Contoso", "contoso.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), 0);
	assert_int_equal(store_count(fx->db.st, "customer"), 1);
}

/* A parameter index out of range: the bind says so, the statement does not run. */
static void
test_bind_out_of_range_is_reported(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	sqlite3_stmt	*s;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	assert_non_null(s = store_prep(fx->db.st, "DELETE FROM customer WHERE id = ?1", &r));
	assert_int_equal(store_bind_int64(fx->db.st, s, 1, 7), 0);
	assert_int_equal(store_bind_int(fx->db.st, s, 2, 7), -1);
	assert_int_equal(store_bind_text(fx->db.st, s, 3, "x"), -1);
	assert_int_equal(store_exec_done(fx->db.st, s, &r, "test delete"), -1);
	assert_int_equal(r.code, RESULT_IO);
	/* The first failure is the one reported. */
	assert_non_null(strstr(r.message, "test delete: cannot bind parameter 2 of \"DELETE FROM"));
	assert_non_null(strstr(r.message, "column index out of range"));
}

/* ---------------------------------------------------------------- migrations 5 and 6 */

static void
exec_ok(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

/*
 * Close the database left at an older version and open it with every
 * migration: now at version want, a sound file (integrity, foreign keys)
 * whose dropped columns are gone (gone_sql counts them).
 */
static void
reopen_migrated(struct fx *fx, int want, const char *gone_sql)
{
	struct result	 r;
	char		 txt[256];

	store_close(fx->db.st);
	fx->db.st = NULL;
	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_true(store_schema_version(fx->db.st) >= want);
	sql_text(fx->db.st, "PRAGMA integrity_check", txt, sizeof(txt));
	assert_string_equal(txt, "ok");
	sql_text(fx->db.st, "SELECT count(*) FROM pragma_foreign_key_check", txt, sizeof(txt));
	assert_string_equal(txt, "0");
	sql_text(fx->db.st, gone_sql, txt, sizeof(txt));
	assert_string_equal(txt, "0");
}

/*
 * A customer as an older program wrote it (no search_key before migration 7):
 * raw SQL, since store_customer_insert writes today's columns.
 */
static int64_t
old_customer(struct fx *fx, const char *name, const char *domain)
{
	char	 sql[512];

	snprintf(sql, sizeof(sql), "INSERT INTO customer (name, tenant_domain, timezone, owner_fm,"
	    " created_at, updated_at) VALUES ('%s', '%s', 'UTC', 'fm.ana', 1, 1)", name, domain);
	exec_ok(fx->db.st, sql);
	return sqlite3_last_insert_rowid(fx->db.st->db);
}

/*
 * m holds exactly these attendees (name, e-mail pairs, NULL-ended) and these
 * service keys (NULL-ended), in this order.
 */
static void
assert_members(const struct store_meeting *m, const char *const *people,
    const char *const *services)
{
	size_t	i;

	for (i = 0; people[2 * i] != NULL; i++) {
		assert_true(i < m->n_attendees);
		assert_string_equal(m->attendees[i].name, people[2 * i]);
		assert_string_equal(m->attendees[i].email, people[2 * i + 1]);
	}
	assert_int_equal(m->n_attendees, i);
	for (i = 0; services[i] != NULL; i++) {
		assert_true(i < m->n_services);
		assert_string_equal(m->services[i], services[i]);
	}
	assert_int_equal(m->n_services, i);
}

/* A schema-4 database with series, reopened: rows moved to tables, same data, sound file. */
static void
test_migration_5_moves_attendees_and_services(void **state)
{
	static const char att[] = "[{\"name\":\"Ana Sousa\",\"email\":\"ana@northwind.com\"},"
	    "{\"name\":\"Jo\xc3\xa3o\",\"email\":\"joao@northwind.com\"}]";
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_meeting	 m;
	struct result		 r;
	char			 sql[512];

	assert_int_equal(store_open_upto(&fx->db.st, fx->db.path, 4, &r), 0);
	assert_int_equal(store_schema_version(fx->db.st), 4);
	c.id = old_customer(fx, "Northwind", "northwind.onmicrosoft.com");
	snprintf(sql, sizeof(sql), "INSERT INTO meeting (id, customer_id, uid, starts_at, timezone,"
	    " duration_minutes, every_weeks, attendees, services, created_at, updated_at)"
	    " VALUES (3, %" PRId64 ", 'u3', '2026-06-15T10:00', 'UTC', 30, 2, '%s',"
	    " '[\"exchange\",\"teams\"]', 1, 1)", c.id, att);
	exec_ok(fx->db.st, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO meeting (id, customer_id, uid, starts_at, timezone,"
	    " duration_minutes, every_weeks, created_at, updated_at, status)"
	    " VALUES (4, %" PRId64 ", 'u4', '2026-06-16T10:00', 'UTC', 30, 2, 1, 1, 'cancelled')", c.id);
	exec_ok(fx->db.st, sql);
	reopen_migrated(fx, 5, "SELECT count(*) FROM pragma_table_info('meeting')"
	    " WHERE name IN ('attendees','services')");
	assert_int_equal(store_count(fx->db.st, "meeting"), 2);
	assert_int_equal(store_count(fx->db.st, "meeting_attendee"), 2);
	assert_int_equal(store_count(fx->db.st, "meeting_service"), 2);

	assert_int_equal(store_meeting_get(fx->db.st, 3, &m, &r), 0);
	assert_members(&m, (const char *const []){ "Ana Sousa", "ana@northwind.com",
	    "Jo\xc3\xa3o", "joao@northwind.com", NULL },
	    (const char *const []){ "exchange", "teams", NULL });
	assert_string_equal(m.uid, "u3");
	store_meeting_free(&m);
	assert_int_equal(store_meeting_get(fx->db.st, 4, &m, &r), 0);
	assert_members(&m, (const char *const []){ NULL }, (const char *const []){ NULL });
	assert_string_equal(m.status, "cancelled");
	store_meeting_free(&m);
}

/*
 * Issue 13 item 12: "Sao Paulo" and "SÃO PAULO" found nothing, "muller" not
 * "Müller".  Migration 7 folds the rows already there (fts_fold), a write
 * folds its own (text_fold), and the search folds the query alike.
 */
static void
test_migration_7_search_folds(void **state)
{
	static const struct {
		const char	*q;
		const char	*want;	/* the names found, in name order, ", "-joined */
	} cases[] = {
		{ "muller", "Kaffeehaus M\xc3\xbcller & S\xc3\xb6hne" },
		{ "M\xc3\x9cLLER", "Kaffeehaus M\xc3\xbcller & S\xc3\xb6hne" },
		{ "Sao Paulo", "S\xc3\xa3o Paulo Tintas, Tinturaria S\xc3\xa3o Paulo" },
		{ "S\xc3\x83O PAULO", "S\xc3\xa3o Paulo Tintas, Tinturaria S\xc3\xa3o Paulo" },
		{ "sa\xcc\x83o", "S\xc3\xa3o Paulo Tintas, Tinturaria S\xc3\xa3o Paulo" },
		{ "TINTAS.ONMICROSOFT", "S\xc3\xa3o Paulo Tintas" },
		{ "paulo tintas", "S\xc3\xa3o Paulo Tintas" },
		{ "zzz", "" },
	};
	struct fx			*fx = *state;
	struct store_customer		 c;
	struct store_facts		*list;
	struct store_facts_filter	 f = { 0 };
	struct result			 r;
	struct buf			 got = { 0 };
	size_t				 n, i, k;

	assert_int_equal(store_open_upto(&fx->db.st, fx->db.path, 6, &r), 0);
	(void)old_customer(fx, "Kaffeehaus M\xc3\xbcller & S\xc3\xb6hne", "muellersoehne.de");
	(void)old_customer(fx, "S\xc3\xa3o Paulo Tintas", "tintas.onmicrosoft.com");
	reopen_migrated(fx, 7, "SELECT count(*) FROM customer WHERE search_key = ''");
	/* A customer written after the migration is folded by the store itself. */
	customer_fill(&c, "Tinturaria S\xc3\xa3o Paulo", "tinturaria.com.br");
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		f.q = cases[i].q;
		assert_int_equal(store_facts_list(fx->db.st, &f, &list, &n, &r), 0);
		buf_reset(&got);
		buf_puts(&got, "");
		for (k = 0; k < n; k++)
			buf_printf(&got, "%s%s", k ? ", " : "", list[k].customer.name);
		store_facts_free(list, n);
		if (strcmp(buf_cstr(&got), cases[i].want) != 0)
			fail_msg("search \"%s\" found \"%s\", want \"%s\"", cases[i].q,
			    buf_cstr(&got), cases[i].want);
	}
	buf_free(&got);
}

/* A check-in's services as the API shows them: its "services" array in the customer page. */
static void
checkin_json_services(struct store *st, int64_t customer_id, int64_t checkin_id, char *out, size_t size)
{
	struct result	 r;
	struct buf	 text = { 0 };
	json_object	*o, *list, *k, *x;
	size_t		 i;

	out[0] = '\0';
	assert_int_equal(store_customer_json(st, customer_id, &text, &r), 0);
	assert_non_null(o = json_tokener_parse(buf_cstr(&text)));
	buf_free(&text);
	assert_true(json_object_object_get_ex(o, "checkins", &list));
	for (i = 0; i < json_object_array_length(list); i++) {
		k = json_object_array_get_idx(list, i);
		assert_true(json_object_object_get_ex(k, "id", &x));
		if (json_object_get_int64(x) != checkin_id)
			continue;
		assert_true(json_object_object_get_ex(k, "services", &x));
		text_copy(out, size, json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN));
	}
	json_object_put(o);
}

/* A schema-5 database with check-ins, reopened: services moved to rows, the API's arrays unchanged. */
static void
test_migration_6_moves_checkin_services(void **state)
{
	static const struct {
		int64_t		 id;
		const char	*held_on, *services;	/* as a version-5 program wrote them */
		const char	*api;			/* "services" in the API, as version 5 showed it */
		size_t		 n;
	} rows[] = {
		{ .id = 7, .held_on = "2026-06-01", .services = "[\"exchange\",\"teams\",\"onedrive\"]",
		  .api = "[\"exchange\",\"teams\",\"onedrive\"]", .n = 3 },
		{ .id = 8, .held_on = "2026-06-02", .services = "[]", .api = "[]", .n = 0 },
		{ .id = 9, .held_on = "2026-06-03", .services = "not json", .api = "[]", .n = 0 },
		{ .id = 10, .held_on = "2026-06-04", .services = "[\"teams\"]", .api = "[\"teams\"]", .n = 1 },
	};
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_checkin	 k;
	struct result		 r;
	char			 sql[512], got[256];
	size_t			 i;

	assert_int_equal(store_open_upto(&fx->db.st, fx->db.path, 5, &r), 0);
	assert_int_equal(store_schema_version(fx->db.st), 5);
	c.id = old_customer(fx, "Litware", "litware.onmicrosoft.com");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO checkin (id, customer_id, held_on, held_by,"
		    " next_action, next_action_on, next_action_owner, services, created_at)"
		    " VALUES (%" PRId64 ", %" PRId64 ", '%s', 'fm.ana', 'Call', '2026-07-01', 'Ana',"
		    " '%s', 1)", rows[i].id, c.id, rows[i].held_on, rows[i].services);
		exec_ok(fx->db.st, sql);
	}

	reopen_migrated(fx, 6, "SELECT count(*) FROM pragma_table_info('checkin') WHERE name = 'services'");
	assert_int_equal(store_count(fx->db.st, "checkin"), 4);
	assert_int_equal(store_count(fx->db.st, "checkin_service"), 4);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		checkin_json_services(fx->db.st, c.id, rows[i].id, got, sizeof(got));
		assert_string_equal(got, rows[i].api);
	}
	/* The latest (id 10) read back as a typed list. */
	assert_int_equal(store_checkin_latest(fx->db.st, c.id, &k, &r), 0);
	assert_int_equal(k.id, 10);
	assert_int_equal(k.n_services, 1);
	assert_string_equal(k.services[0], "teams");
}

/* Insert writes the services in order with the check-in; too many is refused, nothing written. */
static void
test_checkin_services_round_trip(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_checkin	 k, got;
	struct result		 r;
	char			 json[256];
	size_t			 i;

	c.id = open_with_customer(fx, "Adatum", "adatum.onmicrosoft.com");
	memset(&k, 0, sizeof(k));
	k.customer_id = c.id;
	text_copy(k.held_on, sizeof(k.held_on), "2026-06-10");
	text_copy(k.held_by, sizeof(k.held_by), "fm.ana");
	text_copy(k.next_action, sizeof(k.next_action), "Train champions");
	text_copy(k.next_action_on, sizeof(k.next_action_on), "2026-06-20");
	text_copy(k.next_action_owner, sizeof(k.next_action_owner), "Ana");
	text_copy(k.services[0], sizeof(k.services[0]), "teams");
	text_copy(k.services[1], sizeof(k.services[1]), "exchange");
	k.n_services = 2;
	assert_int_equal(store_checkin_insert(fx->db.st, &k, NOW, &r), 0);
	assert_int_equal(store_checkin_latest(fx->db.st, c.id, &got, &r), 0);
	assert_int_equal(got.id, k.id);
	assert_int_equal(got.n_services, 2);
	assert_string_equal(got.services[0], "teams");
	assert_string_equal(got.services[1], "exchange");
	assert_string_equal(got.next_action, "Train champions");
	checkin_json_services(fx->db.st, c.id, k.id, json, sizeof(json));
	assert_string_equal(json, "[\"teams\",\"exchange\"]");

	/* One more than fits: refused before anything is written. */
	for (i = 0; i < STORE_CHECKIN_SERVICES_MAX; i++)
		text_copy(k.services[i], sizeof(k.services[i]), "teams");
	k.n_services = STORE_CHECKIN_SERVICES_MAX + 1;
	assert_int_equal(store_checkin_insert(fx->db.st, &k, NOW, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_int_equal(store_count(fx->db.st, "checkin"), 1);

	/*
	 * A service row that cannot be written (a trigger refuses it) after the
	 * check-in row was: the whole check-in is rolled back.
	 */
	exec_ok(fx->db.st, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON checkin_service"
	    " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	k.n_services = 1;
	assert_int_equal(store_checkin_insert(fx->db.st, &k, NOW, &r), -1);
	if (strstr(r.message, "write check-in service") == NULL)
		fail_msg("%s", r.message);
	assert_int_equal(store_count(fx->db.st, "checkin"), 1);
	assert_int_equal(store_count(fx->db.st, "checkin_service"), 2);
}

/* An update replaces the rows in order; outside a transaction it is still all or nothing. */
static void
test_meeting_update_replaces_rows(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_meeting	 m, got;
	struct result		 r;

	c.id = open_with_customer(fx, "Coho", "coho.onmicrosoft.com");
	meeting_fill(&m, c.id, "u1");
	assert_int_equal(store_meeting_attendee_add(&m, "Rui", "rui@coho.com", &r), 0);
	assert_int_equal(store_meeting_service_add(&m, "teams", &r), 0);
	assert_int_equal(store_meeting_insert(fx->db.st, &m, NOW, &r), 0);
	store_meeting_free(&m);
	assert_int_equal(store_meeting_attendee_add(&m, "Lia", "lia@coho.com", &r), 0);
	assert_int_equal(store_meeting_attendee_add(&m, "Rui", "rui@coho.com", &r), 0);
	if (store_meeting_update(fx->db.st, &m, NOW + 1, &r) != 0)
		fail_msg("%s", r.message);
	assert_int_equal(store_meeting_get(fx->db.st, m.id, &got, &r), 0);
	assert_members(&got, (const char *const []){ "Lia", "lia@coho.com", "Rui", "rui@coho.com", NULL },
	    (const char *const []){ "teams", NULL });
	store_meeting_free(&got);

	/* A service row the database refuses (a trigger): the series keeps its rows. */
	exec_ok(fx->db.st, "CREATE TEMP TRIGGER refuse BEFORE INSERT ON meeting_service"
	    " BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
	m.sequence = 9;
	assert_int_equal(store_meeting_update(fx->db.st, &m, NOW + 2, &r), -1);
	exec_ok(fx->db.st, "DROP TRIGGER refuse");
	assert_int_equal(store_meeting_get(fx->db.st, m.id, &got, &r), 0);
	assert_int_equal(got.sequence, 0);
	assert_string_equal(got.services[0], "teams");
	assert_int_equal(store_count(fx->db.st, "meeting_attendee"), 2);
	store_meeting_free(&got);
	store_meeting_free(&m);
}

/* ---------------------------------------------------------------- JSON reads */

/* The API's types come from json.c's tables: times as ISO text, flags as booleans, arrays parsed. */
static void
test_customer_json_types(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_service	 v;
	struct store_meeting	 m;
	struct result		 r;
	json_object		*o, *x;
	struct buf		 text = { 0 };

	c.id = open_with_customer(fx, "Fabrikam", "fabrikam.onmicrosoft.com");
	memset(&v, 0, sizeof(v));
	v.customer_id = c.id;
	text_copy(v.service, sizeof(v.service), "teams");
	v.intended = 1;
	v.licensed_users = 50;
	assert_int_equal(store_service_upsert(fx->db.st, &v, &r), 0);
	meeting_fill(&m, c.id, "u9");
	assert_int_equal(store_meeting_attendee_add(&m, "Eva", "eva@fabrikam.com", &r), 0);
	assert_int_equal(store_meeting_service_add(&m, "teams", &r), 0);
	assert_int_equal(store_meeting_insert(fx->db.st, &m, NOW, &r), 0);
	store_meeting_free(&m);

	assert_int_equal(store_customer_json(fx->db.st, c.id, &text, &r), 0);
	assert_non_null(o = json_tokener_parse(buf_cstr(&text)));
	buf_free(&text);
	assert_true(json_object_object_get_ex(o, "created_at", &x));
	assert_string_equal(json_object_get_string(x), "2026-06-15T12:00:00Z");
	assert_true(json_object_object_get_ex(o, "services", &x));
	x = json_object_array_get_idx(x, 0);
	assert_string_equal(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN),
	    "{\"id\":1,\"customer_id\":1,\"service\":\"teams\",\"intended\":true,"
	    "\"activated_on\":\"\",\"licensed_users\":50,\"target_percent\":10.0,"
	    "\"custom_metric\":\"\",\"custom_metric_met\":false,\"csm_led\":false,"
	    "\"adoption_program\":false,\"accelerator\":false,\"latest_on\":\"\","
	    "\"latest_active\":0,\"latest_eligible\":0}");
	assert_true(json_object_object_get_ex(o, "meetings", &x));
	x = json_object_array_get_idx(x, 0);
	assert_true(json_object_object_get_ex(x, "starts_at", &x));
	assert_string_equal(json_object_get_string(x), "2026-06-15T10:00");
	json_object_object_get_ex(o, "meetings", &x);
	x = json_object_array_get_idx(x, 0);
	assert_true(json_object_object_get_ex(x, "attendees", &x));
	assert_string_equal(json_object_to_json_string_ext(x, JSON_C_TO_STRING_PLAIN),
	    "[{\"name\":\"Eva\",\"email\":\"eva@fabrikam.com\"}]");
	json_object_put(o);
}

/* ---------------------------------------------------------------- refusals */

/* Each refused write names the field and the value, with the result code the API maps. */
static void
test_write_refusals(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 a, b;
	struct store_contact	 k, dup;
	struct result		 r;
	struct {
		const char		*what;
		int			 rc;
		enum result_code	 code;
		char			*field, *message;	/* strdup'd */
	} got[6];
	size_t			 i = 0;

#define GOT(call) do { \
	result_clear(&r); \
	got[i].what = #call; \
	got[i].rc = (call); \
	got[i].code = r.code; \
	got[i].field = strdup(r.field); \
	got[i].message = strdup(r.message); \
	i++; \
} while (0)

	static const struct {
		enum result_code	 code;
		const char		*field, *message;
	} want[] = {
		{ .code = RESULT_CONFLICT, .field = "tenant_domain",
		  .message = "a customer with tenant domain \"a.onmicrosoft.com\" already exists" },
		{ .code = RESULT_CONFLICT, .field = "tenant_domain",
		  .message = "a customer with tenant domain \"a.onmicrosoft.com\" already exists" },
		{ .code = RESULT_NOTFOUND, .field = "id", .message = "no customer with id 99" },
		{ .code = RESULT_CONFLICT, .field = "email",
		  .message = "this customer already has a contact with e-mail EVA@a.com" },
		{ .code = RESULT_NOTFOUND, .field = "id", .message = "no customer with id 98" },
		{ .code = RESULT_NOTFOUND, .field = "id", .message = "no contact with id 97" },
	};

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	customer_fill(&a, "A", "a.onmicrosoft.com");
	a.cadence_weeks = 0;
	assert_int_equal(store_customer_insert(fx->db.st, &a, NOW, &r), 0);
	assert_string_equal(a.phase, "");	/* the defaults are the database's */
	customer_fill(&b, "B", "b.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->db.st, &b, NOW, &r), 0);
	memset(&k, 0, sizeof(k));
	k.customer_id = a.id;
	text_copy(k.name, sizeof(k.name), "Eva");
	text_copy(k.email, sizeof(k.email), "eva@a.com");
	assert_int_equal(store_contact_insert(fx->db.st, &k, NOW, &r), 0);

	customer_fill(&b, "C", "a.onmicrosoft.com");
	GOT(store_customer_insert(fx->db.st, &b, NOW, &r));
	b.id = 2;
	text_copy(b.phase, sizeof(b.phase), "execution");	/* an update writes what it is given */
	GOT(store_customer_update(fx->db.st, &b, NOW, &r));
	b.id = 99;
	text_copy(b.tenant_domain, sizeof(b.tenant_domain), "z.onmicrosoft.com");
	GOT(store_customer_update(fx->db.st, &b, NOW, &r));
	dup = k;
	text_copy(dup.email, sizeof(dup.email), "EVA@a.com");
	GOT(store_contact_insert(fx->db.st, &dup, NOW, &r));
	dup.customer_id = 98;
	text_copy(dup.email, sizeof(dup.email), "new@a.com");
	GOT(store_contact_insert(fx->db.st, &dup, NOW, &r));
	dup.id = 97;
	GOT(store_contact_update(fx->db.st, &dup, &r));
#undef GOT

	assert_int_equal(i, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		if (got[i].rc != -1 || got[i].code != want[i].code ||
		    strcmp(got[i].field, want[i].field) != 0 ||
		    strcmp(got[i].message, want[i].message) != 0)
			fail_msg("%s: %d %s %s \"%s\"", got[i].what, got[i].rc,
			    result_code_name(got[i].code), got[i].field, got[i].message);
		free(got[i].field);
		free(got[i].message);
	}
	/* Nothing was written by the refusals; the defaults were applied on insert. */
	assert_int_equal(store_count(fx->db.st, "customer"), 2);
	assert_int_equal(store_count(fx->db.st, "contact"), 1);
	assert_int_equal(store_customer_get(fx->db.st, a.id, &a, &r), 0);
	assert_string_equal(a.phase, "execution");
	assert_int_equal(a.cadence_weeks, 2);
}

/* The FM list: distinct owners in order, as structs (no JSON crosses store.h). */
static void
test_fm_list_distinct_sorted(void **state)
{
	static const struct { const char *fm, *domain; } rows[] = {
		{ .fm = "zoe", .domain = "a.onmicrosoft.com" },
		{ .fm = "ana", .domain = "b.onmicrosoft.com" },
		{ .fm = "zoe", .domain = "c.onmicrosoft.com" },
	};
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_fm		*fms;
	struct result		 r;
	size_t			 i, n;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "zoe", "fm"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "ana", "fm"), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		customer_fill(&c, rows[i].domain, rows[i].domain);
		text_copy(c.owner_fm, sizeof(c.owner_fm), rows[i].fm);
		assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), 0);
	}
	assert_int_equal(store_fm_list(fx->db.st, &fms, &n, &r), 0);
	assert_int_equal(n, 2);
	assert_string_equal(fms[0].owner_fm, "ana");
	assert_string_equal(fms[1].owner_fm, "zoe");
	free(fms);
}

/*
 * Migration 7: every owner_fm becomes a disabled FM, one audit row lists
 * them, and owner_fm is a reference from then on (no unknown owner, no
 * login change, no deleting an owner).
 */
static void
test_migration_9_owners_become_users(void **state)
{
	static const struct { const char *fm, *domain; } rows[] = {
		{ .fm = "fm.bruno", .domain = "a.onmicrosoft.com" },
		{ .fm = "fm.ana", .domain = "b.onmicrosoft.com" },
		{ .fm = "fm.bruno", .domain = "c.onmicrosoft.com" },
	};
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_user	 u;
	struct result		 r;
	char			 got[256], sql[512];
	size_t			 i;

	/* Raw SQL: the customers as version 8 wrote them (today's insert names later columns). */
	assert_int_equal(store_open_upto(&fx->db.st, fx->db.path, 8, &r), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO customer (name, tenant_domain, timezone,"
		    " owner_fm, created_at, updated_at) VALUES ('%s', '%s', 'UTC', '%s', 1, 1)",
		    rows[i].domain, rows[i].domain, rows[i].fm);
		exec_ok(fx->db.st, sql);
	}
	reopen_migrated(fx, 9, "SELECT count(*) FROM users WHERE active = 1");
	assert_int_equal(store_count(fx->db.st, "users"), 2);
	assert_int_equal(store_user_get_login(fx->db.st, "fm.bruno", &u, &r), 0);
	assert_string_equal(u.role, "fm");
	assert_string_equal(u.display_name, "fm.bruno");
	assert_int_equal(u.active, 0);
	assert_int_equal(store_audit_last(fx->db.st, "users_from_owner_fm", got, sizeof(got), &r), 0);
	assert_string_equal(got, "{\"created_disabled\":[\"fm.ana\",\"fm.bruno\"]}");

	/* A reference now: refused writes change nothing. */
	customer_fill(&c, "Nobody's", "d.onmicrosoft.com");
	text_copy(c.owner_fm, sizeof(c.owner_fm), "nobody");
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), -1);
	assert_int_equal(store_count(fx->db.st, "customer"), 3);
	sql_text(fx->db.st, "SELECT count(*) FROM customer WHERE owner_fm = 'fm.ana'", got, sizeof(got));
	assert_string_equal(got, "1");
	assert_int_not_equal(sqlite3_exec(fx->db.st->db, "UPDATE users SET login = 'x' WHERE login = "
	    "'fm.ana'", NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(fx->db.st->db, "DELETE FROM users WHERE login = 'fm.ana'",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(fx->db.st->db, "UPDATE customer SET owner_fm = 'x'",
	    NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(store_user_get_login(fx->db.st, "fm.ana", &u, &r), 0);
}

/*
 * Migration 11 (issue 12): each series gets its own online-meeting link,
 * filled for the series that exist from their customer's FM's profile ("" for
 * an FM without one).
 */
static void
test_migration_11_series_link(void **state)
{
	struct fx		*fx = *state;
	struct store_meeting	 m;
	struct result		 r;

	assert_int_equal(store_open_upto(&fx->db.st, fx->db.path, 9, &r), 0);
	exec_ok(fx->db.st, "INSERT INTO users (login, display_name, meeting_url, created_at,"
	    " updated_at) VALUES ('fm.ana', 'Ana', 'https://teams.example/l/ana', 1, 1),"
	    " ('fm.bia', 'Bia', '', 1, 1)");
	exec_ok(fx->db.st, "INSERT INTO customer (name, tenant_domain, timezone, owner_fm,"
	    " created_at, updated_at) VALUES ('A', 'a.example', 'UTC', 'fm.ana', 1, 1),"
	    " ('B', 'b.example', 'UTC', 'fm.bia', 1, 1)");
	exec_ok(fx->db.st, "INSERT INTO meeting (customer_id, uid, starts_at, timezone,"
	    " duration_minutes, every_weeks, created_at, updated_at) VALUES"
	    " (1, 'u1@x', '2026-06-17T10:00', 'UTC', 30, 2, 1, 1),"
	    " (2, 'u2@x', '2026-06-17T10:00', 'UTC', 30, 2, 1, 1)");
	reopen_migrated(fx, 11, "SELECT count(*) FROM meeting WHERE meeting_url IS NULL");
	assert_int_equal(store_meeting_get(fx->db.st, 1, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://teams.example/l/ana");
	store_meeting_free(&m);
	assert_int_equal(store_meeting_get(fx->db.st, 2, &m, &r), 0);
	assert_string_equal(m.meeting_url, "");
	/* It is written back as it is read. */
	text_copy(m.meeting_url, sizeof(m.meeting_url), "https://meet.example/b");
	assert_int_equal(store_meeting_update(fx->db.st, &m, NOW, &r), 0);
	store_meeting_free(&m);
	assert_int_equal(store_meeting_get(fx->db.st, 2, &m, &r), 0);
	assert_string_equal(m.meeting_url, "https://meet.example/b");
	store_meeting_free(&m);
}

/* Users round-trip; a taken login is a conflict naming it; an unknown one is not found. */
static void
test_users_round_trip(void **state)
{
	struct fx		*fx = *state;
	struct store_user	 u, *list;
	struct result		 r;
	size_t			 n;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "zoe", "manager"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "ana", "fm"), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "ana", "fm"), -1);
	assert_int_equal(store_user_get_login(fx->db.st, "ana", &u, &r), 0);
	text_copy(u.meeting_url, sizeof(u.meeting_url), "https://teams.example/l/ana");
	text_copy(u.language, sizeof(u.language), "pt-BR");
	u.active = 0;
	assert_int_equal(store_user_update(fx->db.st, &u, NOW, &r), 0);
	memset(&u, 0, sizeof(u));
	assert_int_equal(store_user_get_login(fx->db.st, "ana", &u, &r), 0);
	assert_string_equal(u.meeting_url, "https://teams.example/l/ana");
	assert_string_equal(u.language, "pt-BR");
	assert_int_equal(u.active, 0);
	assert_int_equal(u.updated_at, NOW);
	result_clear(&r);
	assert_int_equal(store_user_get_login(fx->db.st, "nobody", &u, &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	assert_non_null(strstr(r.message, "\"nobody\""));
	assert_int_equal(store_user_list(fx->db.st, &list, &n, &r), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].login, "ana");
	assert_string_equal(list[1].role, "manager");
	free(list);
}

/* The operator's chores: the integrity check says ok; a backup is a whole database, never over a file. */
static void
test_integrity_and_backup(void **state)
{
	struct fx		*fx = *state;
	struct store		*copy;
	struct store_customer	 c;
	struct result		 r;
	char			 why[128], path[256];

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	customer_fill(&c, "Contoso", "contoso.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->db.st, &c, NOW, &r), 0);
	assert_int_equal(store_integrity_check(fx->db.st, why, sizeof(why), &r), 0);
	assert_string_equal(why, "ok");
	assert_int_equal(tmpdir_path(&fx->db.tmp, "copy.db", path, sizeof(path)), 0);
	assert_int_equal(store_backup(fx->db.st, path, &r), 0);
	result_clear(&r);
	assert_int_equal(store_backup(fx->db.st, path, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, path));
	assert_int_equal(store_open(&copy, path, &r), 0);
	assert_int_equal(store_count(copy, "customer"), 1);
	assert_int_equal(store_count(copy, "users"), 1);
	assert_int_equal(store_schema_version(copy), store_schema_version(fx->db.st));
	store_close(copy);
	unlink(path);
}

/* ---------------------------------------------------------------- parameter tables */

/* Each kind of a parameter table binds as its single bind would: type and value read back. */
static void
test_bind_all_kinds(void **state)
{
	struct fx		*fx = *state;
	const struct store_param p[] = { SP_INT(INT64_C(5000000000)), SP_REAL(2.5),
	    SP_TEXT(NULL), SP_NULL };
	struct result		 r;
	sqlite3_stmt		*s;
	char			 t[32];

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	assert_non_null(s = store_prep_bind(fx->db.st, "SELECT typeof(?1), ?1, typeof(?2), ?2,"
	    " typeof(?3), ?3, typeof(?4)", p, SP_COUNT(p), &r));
	assert_int_equal(store_step(fx->db.st, s), SQLITE_ROW);
	store_col_text(s, 0, t, sizeof(t));
	assert_string_equal(t, "integer");
	assert_int_equal(sqlite3_column_int64(s, 1), INT64_C(5000000000));
	store_col_text(s, 2, t, sizeof(t));
	assert_string_equal(t, "real");
	assert_true(sqlite3_column_double(s, 3) == 2.5);
	store_col_text(s, 4, t, sizeof(t));
	assert_string_equal(t, "text");	/* NULL text binds "" */
	store_col_text(s, 5, t, sizeof(t));
	assert_string_equal(t, "");
	store_col_text(s, 6, t, sizeof(t));
	assert_string_equal(t, "null");
	sqlite3_reset(s);
}

/* A table longer than the statement's parameters: refused, named, nothing run. */
static void
test_bind_all_refuses_extra(void **state)
{
	struct fx		*fx = *state;
	struct result		 r;
	int64_t			 id = open_with_customer(fx, "Contoso", "contoso.onmicrosoft.com");
	const struct store_param p[] = { SP_INT(id), SP_TEXT("x") };

	result_clear(&r);
	assert_int_equal(store_run(fx->db.st, "DELETE FROM customer WHERE id = ?1", p, SP_COUNT(p), &r,
	    "test delete"), -1);
	assert_int_equal(r.code, RESULT_IO);
	assert_non_null(strstr(r.message, "test delete: cannot bind parameter 2 of \"DELETE FROM"));
	assert_int_equal(store_count(fx->db.st, "customer"), 1);
	/* The same table cut to the statement's one parameter runs. */
	assert_int_equal(store_run(fx->db.st, "DELETE FROM customer WHERE id = ?1", p, 1, &r,
	    "test delete"), 0);
	assert_int_equal(store_count(fx->db.st, "customer"), 0);
}

/* The outbox row's columns an attempt's outcome wrote, "state|sent_at|next|error|reply|owner". */
static void
outbox_outcome(struct fx *fx, int64_t id, char *out, size_t size)
{
	char sql[256];

	snprintf(sql, sizeof(sql), "SELECT state || '|' || sent_at || '|' || next_attempt_at || '|'"
	    " || last_error || '|' || smtp_reply || '|' || lease_owner FROM outbox WHERE id = %" PRId64, id);
	sql_text(fx->db.st, sql, out, size);
}

/* A claimed message of the customer, by owner at now. */
static int64_t
outbox_claimed(struct fx *fx, int64_t customer, const char *key, const char *owner, int64_t now)
{
	const struct store_outbox_new o = { .customer_id = customer, .kind = "handshake",
	    .dedupe_key = key, .payload = "{}", .recipients = "[]" };
	struct store_outbox_row	*rows;
	struct result		 r;
	size_t			 n;
	int64_t			 id;
	int			 inserted;

	assert_int_equal(store_outbox_insert(fx->db.st, &o, now, &inserted, &r), 0);
	assert_int_equal(store_outbox_claim(fx->db.st, owner, now, 300, NULL, 1, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	id = rows[0].id;
	store_outbox_rows_free(rows, n);
	return id;
}

/* mark_retry, mark_sent and mark_dead each write their own outcome and release the lease. */
static void
test_outbox_marks_record_outcome(void **state)
{
	struct fx		*fx = *state;
	struct store_outbox_row	*rows;
	struct result		 r;
	size_t			 n;
	char			 got[256], want[256];
	int64_t			 customer = open_with_customer(fx, "Contoso", "contoso.onmicrosoft.com");
	int64_t			 id;

	id = outbox_claimed(fx, customer, "k1", "n1", NOW);
	assert_int_equal(store_outbox_mark_retry(fx->db.st, id, "n1", NOW + 10, NOW + 70, "e1",
	    "451 later", &r), 0);
	outbox_outcome(fx, id, got, sizeof(got));
	snprintf(want, sizeof(want), "queued|0|%" PRId64 "|e1|451 later|", NOW + 70);
	assert_string_equal(got, want);

	/* Sent: sent_at set, the retry's time kept, the note replacing the error. */
	assert_int_equal(store_outbox_claim(fx->db.st, "n2", NOW + 70, 300, NULL, 1, &rows, &n, &r), 0);
	assert_int_equal(n, 1);
	assert_int_equal(rows[0].id, id);
	store_outbox_rows_free(rows, n);
	assert_int_equal(store_outbox_mark_sent(fx->db.st, id, "n1", NOW + 80, "250 ok", NULL, &r), -1);
	assert_int_equal(r.code, RESULT_CONFLICT);
	assert_int_equal(store_outbox_mark_sent(fx->db.st, id, "n2", NOW + 80, "250 ok", NULL, &r), 0);
	outbox_outcome(fx, id, got, sizeof(got));
	snprintf(want, sizeof(want), "sent|%" PRId64 "|%" PRId64 "||250 ok|", NOW + 80, NOW + 70);
	assert_string_equal(got, want);

	id = outbox_claimed(fx, customer, "k2", "n1", NOW + 90);
	assert_int_equal(store_outbox_mark_dead(fx->db.st, id, "n1", NOW + 95, "550 no", "550 no such user",
	    &r), 0);
	outbox_outcome(fx, id, got, sizeof(got));
	snprintf(want, sizeof(want), "dead|0|%" PRId64 "|550 no|550 no such user|", NOW + 90);
	assert_string_equal(got, want);
	store_outbox_rows_free(NULL, 0);
}

/* A row read through a field table: each width and kind lands in its member. */
struct read_probe {
	int		 small;
	int64_t		 big;
	long long	 ll;
	double		 real;
	char		 text[4];
	char		*dup;
};

static void
test_read_fields_kinds(void **state)
{
	static const struct store_field f[] = {
		STORE_FIELD(INT, struct read_probe, small), STORE_FIELD(INT, struct read_probe, big),
		STORE_FIELD(INT, struct read_probe, ll), STORE_FIELD(REAL, struct read_probe, real),
		STORE_FIELD(TEXT, struct read_probe, text), STORE_FIELD(DUP, struct read_probe, dup),
	};
	struct fx		*fx = *state;
	struct read_probe	 p;
	struct result		 r;
	sqlite3_stmt		*s;

	assert_int_equal(store_open(&fx->db.st, fx->db.path, &r), 0);
	assert_int_equal(tmpdb_user_add(fx->db.st, "fm.ana", "fm"), 0);
	assert_non_null(s = store_prep(fx->db.st, "SELECT -42, 5000000000, 5000000001, 2.5,"
	    " 'abcdef', 'copied'", &r));
	assert_int_equal(store_step(fx->db.st, s), SQLITE_ROW);
	memset(&p, 0x5a, sizeof(p));
	store_read_fields(s, f, STORE_NFIELDS(f), &p, sizeof(p));
	sqlite3_reset(s);
	assert_int_equal(p.small, -42);
	assert_int_equal(p.big, INT64_C(5000000000));
	assert_int_equal(p.ll, 5000000001LL);
	assert_true(p.real == 2.5);
	assert_string_equal(p.text, "abc");	/* cut to fit */
	assert_non_null(p.dup);
	assert_string_equal(p.dup, "copied");
	free(p.dup);
}

/* ---------------------------------------------------------------- series attendees and services */

/* The in-memory helpers: add in order, find an e-mail without case, remove keeping order, a full list. */
static void
test_meeting_person_helpers(void **state)
{
	struct store_meeting	 m;
	struct result		 r;
	char			 key[STORE_SERVICE_SIZE];
	int			 i;

	(void)state;
	meeting_fill(&m, 1, "u-helpers");
	assert_int_equal(store_meeting_attendee_find(&m, "ana@coho.com"), -1);
	assert_int_equal(store_meeting_attendee_add(&m, "Ana", "ana@coho.com", &r), 0);
	assert_int_equal(store_meeting_attendee_add(&m, "Rui", "rui@coho.com", &r), 0);
	assert_int_equal(store_meeting_attendee_add(&m, NULL, "lia@coho.com", &r), 0);
	assert_int_equal(m.n_attendees, 3);
	assert_string_equal(m.attendees[2].name, "");
	assert_int_equal(store_meeting_attendee_find(&m, "RUI@Coho.com"), 1);
	store_meeting_attendee_remove(&m, 1);
	assert_int_equal(m.n_attendees, 2);
	assert_string_equal(m.attendees[0].email, "ana@coho.com");
	assert_string_equal(m.attendees[1].email, "lia@coho.com");
	assert_int_equal(store_meeting_attendee_find(&m, "rui@coho.com"), -1);
	store_meeting_attendee_remove(&m, 7);		/* out of range: nothing */
	assert_int_equal(m.n_attendees, 2);

	assert_int_equal(store_meeting_service_add(&m, "teams", &r), 0);
	assert_int_equal(store_meeting_service_add(&m, "exchange", &r), 0);
	assert_int_equal(store_meeting_service_find(&m, "exchange"), 1);
	assert_int_equal(store_meeting_service_find(&m, "onedrive"), -1);
	for (i = 2; i < STORE_MEETING_SERVICES_MAX; i++) {
		snprintf(key, sizeof(key), "svc%d", i);
		assert_int_equal(store_meeting_service_add(&m, key, &r), 0);
	}
	assert_int_equal(store_meeting_service_add(&m, "one-too-many", &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_int_equal(m.n_services, STORE_MEETING_SERVICES_MAX);

	store_meeting_free(&m);
	assert_null(m.attendees);
	assert_int_equal(m.n_attendees, 0);
	store_meeting_free(&m);				/* twice is fine */
}

/*
 * A series with two attendees and two services goes in, comes back the same
 * and in order (get and list_active); an update removing one of each leaves
 * exactly the others, and the JSON API shows them as it always did.
 */
static void
test_meeting_typed_round_trip(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_meeting	 m, got, *list = NULL;
	struct result		 r;
	struct buf		 text = { 0 };
	size_t			 n;

	c.id = open_with_customer(fx, "Contoso", "contoso.onmicrosoft.com");
	meeting_fill(&m, c.id, "u-round");
	assert_int_equal(store_meeting_attendee_add(&m, "Ana Sousa", "ana@contoso.com", &r), 0);
	assert_int_equal(store_meeting_attendee_add(&m, "Jo\xc3\xa3o", "joao@contoso.com", &r), 0);
	assert_int_equal(store_meeting_service_add(&m, "teams", &r), 0);
	assert_int_equal(store_meeting_service_add(&m, "exchange", &r), 0);
	assert_int_equal(store_meeting_insert(fx->db.st, &m, NOW, &r), 0);
	assert_int_equal(store_count(fx->db.st, "meeting_attendee"), 2);
	assert_int_equal(store_count(fx->db.st, "meeting_service"), 2);

	assert_int_equal(store_meeting_get(fx->db.st, m.id, &got, &r), 0);
	assert_members(&got, (const char *const []){ "Ana Sousa", "ana@contoso.com",
	    "Jo\xc3\xa3o", "joao@contoso.com", NULL },
	    (const char *const []){ "teams", "exchange", NULL });
	store_meeting_free(&got);

	/* Ana leaves, Exchange goes: the update writes what is left. */
	store_meeting_attendee_remove(&m, (size_t)store_meeting_attendee_find(&m, "ana@contoso.com"));
	m.n_services = 1;
	m.sequence = 1;
	assert_int_equal(store_meeting_update(fx->db.st, &m, NOW + 1, &r), 0);
	assert_int_equal(store_count(fx->db.st, "meeting_attendee"), 1);
	assert_int_equal(store_count(fx->db.st, "meeting_service"), 1);

	assert_int_equal(store_meeting_list_active(fx->db.st, c.id, &list, &n, &r), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, m.id);
	assert_int_equal(list[0].sequence, 1);
	assert_int_equal(list[0].n_attendees, 1);
	assert_string_equal(list[0].attendees[0].email, "joao@contoso.com");
	assert_int_equal(list[0].n_services, 1);
	assert_string_equal(list[0].services[0], "teams");
	store_meeting_list_free(list, n);

	/* The API's arrays come from the same rows (json.c), unchanged in shape. */
	assert_int_equal(store_customer_json(fx->db.st, c.id, &text, &r), 0);
	assert_non_null(strstr(buf_cstr(&text), "\"attendees\":[{\"name\":\"Jo\xc3\xa3o\","
	    "\"email\":\"joao@contoso.com\"}],\"services\":[\"teams\"]"));
	buf_free(&text);

	/* Cancelled: no longer listed, its rows kept. */
	text_copy(m.status, sizeof(m.status), "cancelled");
	assert_int_equal(store_meeting_update(fx->db.st, &m, NOW + 2, &r), 0);
	assert_int_equal(store_meeting_list_active(fx->db.st, c.id, &list, &n, &r), 0);
	assert_int_equal(n, 0);
	store_meeting_list_free(list, n);
	assert_int_equal(store_count(fx->db.st, "meeting_attendee"), 1);
	store_meeting_free(&m);
}

UNIT_MAIN("store",
	TMPDB_TEST(test_bind_too_big_is_reported),
	TMPDB_TEST(test_bind_out_of_range_is_reported),
	TMPDB_TEST(test_migration_5_moves_attendees_and_services),
	TMPDB_TEST(test_migration_6_moves_checkin_services),
	TMPDB_TEST(test_migration_7_search_folds),
	TMPDB_TEST(test_checkin_services_round_trip),
	TMPDB_TEST(test_meeting_update_replaces_rows),
	TMPDB_TEST(test_customer_json_types),
	TMPDB_TEST(test_fm_list_distinct_sorted),
	TMPDB_TEST(test_migration_9_owners_become_users),
	TMPDB_TEST(test_migration_11_series_link),
	TMPDB_TEST(test_users_round_trip),
	TMPDB_TEST(test_integrity_and_backup),
	TMPDB_TEST(test_write_refusals),
	TMPDB_TEST(test_bind_all_kinds),
	TMPDB_TEST(test_bind_all_refuses_extra),
	TMPDB_TEST(test_outbox_marks_record_outcome),
	TMPDB_TEST(test_read_fields_kinds),
	TMPDB_TEST(test_meeting_person_helpers),
	TMPDB_TEST(test_meeting_typed_round_trip),
)
