/* test_store.c -- the store's own checks on real SQLite files: failed binds are reported, migration 5 keeps the data. */
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

#define NOW	((int64_t)1781524800)

struct fx {
	char		 dir[64];
	char		 path[128];
	struct store	*st;
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (fx == NULL)
		return -1;
	if (tmpdb_make("store", fx->dir, sizeof(fx->dir), fx->path, sizeof(fx->path)) == -1)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx	*fx = *state;

	store_close(fx->st);
	tmpdb_remove(fx->dir, fx->path);
	free(fx);
	return 0;
}

static void
customer_fill(struct store_customer *c, const char *name, const char *domain)
{
	memset(c, 0, sizeof(*c));
	text_copy(c->name, sizeof(c->name), name);
	text_copy(c->tenant_domain, sizeof(c->tenant_domain), domain);
	text_copy(c->timezone, sizeof(c->timezone), "UTC");
	text_copy(c->owner_fm, sizeof(c->owner_fm), "fm.ana");
	c->cadence_weeks = 2;
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

/* ---------------------------------------------------------------- binds */

/* A text longer than SQLITE_LIMIT_LENGTH cannot be bound: refused, named, nothing written. */
static void
test_bind_too_big_is_reported(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct result		 r;

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	sqlite3_limit(fx->st->db, SQLITE_LIMIT_LENGTH, 40);
	customer_fill(&c, "A customer name well over forty bytes long, for the limit",
	    "big.onmicrosoft.com");
	result_clear(&r);
	assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), -1);
	assert_int_equal(r.code, RESULT_INVALID);
	assert_non_null(strstr(r.message, "cannot bind parameter 1 of \"INSERT INTO customer"));
	sqlite3_limit(fx->st->db, SQLITE_LIMIT_LENGTH, 1000000);
	assert_int_equal(store_count(fx->st, "customer"), 0);

	/* The next statement starts clean: the failure belonged to that one. */
	customer_fill(&c, "Contoso", "contoso.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), 0);
	assert_int_equal(store_count(fx->st, "customer"), 1);
}

/* A parameter index out of range: the bind says so, the statement does not run. */
static void
test_bind_out_of_range_is_reported(void **state)
{
	struct fx	*fx = *state;
	struct result	 r;
	sqlite3_stmt	*s;

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	assert_non_null(s = store_prep(fx->st, "DELETE FROM customer WHERE id = ?1", &r));
	assert_int_equal(store_bind_int64(fx->st, s, 1, 7), 0);
	assert_int_equal(store_bind_int(fx->st, s, 2, 7), -1);
	assert_int_equal(store_bind_text(fx->st, s, 3, "x"), -1);
	assert_int_equal(store_exec_done(fx->st, s, &r, "test delete"), -1);
	assert_int_equal(r.code, RESULT_IO);
	/* The first failure is the one reported. */
	assert_non_null(strstr(r.message, "test delete: cannot bind parameter 2 of \"DELETE FROM"));
	assert_non_null(strstr(r.message, "column index out of range"));
}

/* ---------------------------------------------------------------- migration 5 */

static void
exec_ok(struct store *st, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
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
	char			 sql[512], txt[256];

	assert_int_equal(store_open_upto(&fx->st, fx->path, 4, &r), 0);
	assert_int_equal(store_schema_version(fx->st), 4);
	customer_fill(&c, "Northwind", "northwind.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), 0);
	snprintf(sql, sizeof(sql), "INSERT INTO meeting (id, customer_id, uid, starts_at, timezone,"
	    " duration_minutes, every_weeks, attendees, services, created_at, updated_at)"
	    " VALUES (3, %" PRId64 ", 'u3', '2026-06-15T10:00', 'UTC', 30, 2, '%s',"
	    " '[\"exchange\",\"teams\"]', 1, 1)", c.id, att);
	exec_ok(fx->st, sql);
	snprintf(sql, sizeof(sql), "INSERT INTO meeting (id, customer_id, uid, starts_at, timezone,"
	    " duration_minutes, every_weeks, created_at, updated_at, status)"
	    " VALUES (4, %" PRId64 ", 'u4', '2026-06-16T10:00', 'UTC', 30, 2, 1, 1, 'cancelled')", c.id);
	exec_ok(fx->st, sql);
	store_close(fx->st);
	fx->st = NULL;

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	assert_int_equal(store_schema_version(fx->st), 5);
	assert_int_equal(store_count(fx->st, "meeting"), 2);
	assert_int_equal(store_count(fx->st, "meeting_attendee"), 2);
	assert_int_equal(store_count(fx->st, "meeting_service"), 2);
	sql_text(fx->st, "PRAGMA integrity_check", txt, sizeof(txt));
	assert_string_equal(txt, "ok");
	sql_text(fx->st, "SELECT count(*) FROM pragma_foreign_key_check", txt, sizeof(txt));
	assert_string_equal(txt, "0");
	sql_text(fx->st, "SELECT count(*) FROM pragma_table_info('meeting')"
	    " WHERE name IN ('attendees','services')", txt, sizeof(txt));
	assert_string_equal(txt, "0");

	assert_int_equal(store_meeting_get(fx->st, 3, &m, &r), 0);
	assert_string_equal(m.attendees, att);
	assert_string_equal(m.services, "[\"exchange\",\"teams\"]");
	assert_string_equal(m.uid, "u3");
	store_meeting_free(&m);
	assert_int_equal(store_meeting_get(fx->st, 4, &m, &r), 0);
	assert_string_equal(m.attendees, "[]");
	assert_string_equal(m.services, "[]");
	assert_string_equal(m.status, "cancelled");
	store_meeting_free(&m);
}

/* An update replaces the rows in order; outside a transaction it is still all or nothing. */
static void
test_meeting_update_replaces_rows(void **state)
{
	struct fx		*fx = *state;
	struct store_customer	 c;
	struct store_meeting	 m, got;
	struct result		 r;

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	customer_fill(&c, "Coho", "coho.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), 0);
	memset(&m, 0, sizeof(m));
	m.customer_id = c.id;
	text_copy(m.uid, sizeof(m.uid), "u1");
	text_copy(m.starts_at, sizeof(m.starts_at), "2026-06-15T10:00");
	text_copy(m.timezone, sizeof(m.timezone), "UTC");
	text_copy(m.status, sizeof(m.status), "scheduled");
	m.duration_minutes = 30;
	m.every_weeks = 2;
	m.attendees = strdup("[{\"name\":\"Rui\",\"email\":\"rui@coho.com\"}]");
	m.services = strdup("[\"teams\"]");
	assert_int_equal(store_meeting_insert(fx->st, &m, NOW, &r), 0);
	free(m.attendees);
	m.attendees = strdup("[{\"name\":\"Lia\",\"email\":\"lia@coho.com\"},"
	    "{\"name\":\"Rui\",\"email\":\"rui@coho.com\"}]");
	if (store_meeting_update(fx->st, &m, NOW + 1, &r) != 0)
		fail_msg("%s", r.message);
	assert_int_equal(store_meeting_get(fx->st, m.id, &got, &r), 0);
	assert_string_equal(got.attendees, m.attendees);
	assert_string_equal(got.services, "[\"teams\"]");
	store_meeting_free(&got);

	/* Not JSON: refused, and the series keeps its rows. */
	free(m.services);
	m.services = strdup("not json");
	m.sequence = 9;
	assert_int_equal(store_meeting_update(fx->st, &m, NOW + 2, &r), -1);
	assert_int_equal(store_meeting_get(fx->st, m.id, &got, &r), 0);
	assert_int_equal(got.sequence, 0);
	assert_string_equal(got.services, "[\"teams\"]");
	assert_int_equal(store_count(fx->st, "meeting_attendee"), 2);
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

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	customer_fill(&c, "Fabrikam", "fabrikam.onmicrosoft.com");
	assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), 0);
	memset(&v, 0, sizeof(v));
	v.customer_id = c.id;
	text_copy(v.service, sizeof(v.service), "teams");
	v.intended = 1;
	v.licensed_users = 50;
	assert_int_equal(store_service_upsert(fx->st, &v, &r), 0);
	memset(&m, 0, sizeof(m));
	m.customer_id = c.id;
	text_copy(m.uid, sizeof(m.uid), "u9");
	text_copy(m.starts_at, sizeof(m.starts_at), "2026-06-15T10:00");
	text_copy(m.timezone, sizeof(m.timezone), "UTC");
	text_copy(m.status, sizeof(m.status), "scheduled");
	m.duration_minutes = 30;
	m.every_weeks = 2;
	m.attendees = (char[]){ "[{\"name\":\"Eva\",\"email\":\"eva@fabrikam.com\"}]" };
	m.services = (char[]){ "[\"teams\"]" };
	assert_int_equal(store_meeting_insert(fx->st, &m, NOW, &r), 0);

	assert_int_equal(store_customer_json(fx->st, c.id, &text, &r), 0);
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

	assert_int_equal(store_open(&fx->st, fx->path, &r), 0);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		customer_fill(&c, rows[i].domain, rows[i].domain);
		text_copy(c.owner_fm, sizeof(c.owner_fm), rows[i].fm);
		assert_int_equal(store_customer_insert(fx->st, &c, NOW, &r), 0);
	}
	assert_int_equal(store_fm_list(fx->st, &fms, &n, &r), 0);
	assert_int_equal(n, 2);
	assert_string_equal(fms[0].owner_fm, "ana");
	assert_string_equal(fms[1].owner_fm, "zoe");
	free(fms);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bind_too_big_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_out_of_range_is_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migration_5_moves_attendees_and_services, setup, teardown),
		cmocka_unit_test_setup_teardown(test_meeting_update_replaces_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(test_customer_json_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fm_list_distinct_sorted, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
