/*
 * json.c -- the reads behind the pages and the JSON API, as json-c objects.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_impl.h"

/* Columns holding 0/1 that the JSON reads turn into true/false. */
static const char *const bool_columns[] = {
	"intended", "csm_led", "adoption_program", "accelerator",
	"receives_invites", "required", "custom_metric_met", NULL,
};


/* ---------------------------------------------------------------- JSON reads */

static int
is_bool_column(const char *name)
{
	size_t i;

	for (i = 0; bool_columns[i] != NULL; i++)
		if (strcmp(bool_columns[i], name) == 0)
			return 1;
	return 0;
}

static void
iso_utc(int64_t t, char *buf, size_t size)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (t <= 0 || gmtime_r(&tt, &tm) == NULL) {
		snprintf(buf, size, "%s", "");
		return;
	}
	strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* One row as a JSON object, named by the columns; *_at (and at) integers become ISO-8601 text. */
static json_object *
row_json(sqlite3_stmt *s)
{
	json_object	*o, *v;
	const char	*name;
	size_t		 len;
	int		 i, n = sqlite3_column_count(s);
	char		 iso[32];

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		name = sqlite3_column_name(s, i);
		len = strlen(name);
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			if ((len > 3 && strcmp(name + len - 3, "_at") == 0) || strcmp(name, "at") == 0) {
				iso_utc(sqlite3_column_int64(s, i), iso, sizeof(iso));
				v = iso[0] ? json_object_new_string(iso) : NULL;
			} else if (is_bool_column(name))
				v = json_object_new_boolean(sqlite3_column_int(s, i) != 0);
			else
				v = json_object_new_int64(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_object_new_double(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = NULL;
			break;
		default:
			v = json_object_new_string_len((const char *)sqlite3_column_text(s, i),
			    sqlite3_column_bytes(s, i));
			break;
		}
		json_object_object_add(o, name, v);
	}
	return o;
}

/* Every row of a bound statement as a JSON array. */
static int
rows_json(struct store *st, sqlite3_stmt *s, json_object **out, struct result *r, const char *what)
{
	json_object	*arr, *o;
	int		 rc;

	if ((arr = json_object_new_array()) == NULL) {
		sqlite3_reset(s);
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
	}
	while ((rc = store_step(st, s)) == SQLITE_ROW) {
		if ((o = row_json(s)) == NULL || json_object_array_add(arr, o) != 0) {
			json_object_put(o);
			json_object_put(arr);
			sqlite3_reset(s);
			return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_object_put(arr);
		return store_fail(st, r, what);
	}
	*out = arr;
	return 0;
}

/* Run a per-customer list query and attach the array to obj under key. */
static int
attach_list(struct store *st, json_object *obj, const char *key, const char *sql,
    int64_t customer_id, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*arr;

	if ((s = store_prep(st, sql, r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, customer_id);
	if (rows_json(st, s, &arr, r, key) == -1)
		return -1;
	json_object_object_add(obj, key, arr);
	return 0;
}

/* Parse the JSON text columns of meetings and check-ins (attendees, services) in place. */
static void
meetings_parse_json(json_object *meetings)
{
	static const char *const keys[] = { "attendees", "services" };
	json_object	*m, *v, *parsed;
	size_t		 i, k;

	for (i = 0; i < json_object_array_length(meetings); i++) {
		m = json_object_array_get_idx(meetings, i);
		for (k = 0; k < 2; k++) {
			if (!json_object_object_get_ex(m, keys[k], &v))
				continue;
			parsed = json_tokener_parse(json_object_get_string(v));
			json_object_object_add(m, keys[k],
			    parsed ? parsed : json_object_new_array());
		}
	}
}

int
store_customer_json(struct store *st, int64_t id, json_object **out, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*c = NULL, *arr;
	int		 rc;

	*out = NULL;
	if ((s = store_prep(st, "SELECT id, name, tenant_domain, timezone, owner_fm, csm_name, csm_email,"
	    " phase, review_outcome, cadence_weeks, created_at, updated_at"
	    " FROM customer WHERE id = ?1", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	rc = store_step(st, s);
	if (rc == SQLITE_ROW)
		c = row_json(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	if (rc != SQLITE_ROW)
		return store_fail(st, r, "read customer");
	if (c == NULL)
		return result_set(r, RESULT_IO, NULL, "store: read customer: out of memory");

	if (attach_list(st, c, "services", "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 ORDER BY id", id, r) == -1 ||
	    attach_list(st, c, "contacts", "SELECT id, name, email, receives_invites, created_at"
	    " FROM contact WHERE customer_id = ?1 ORDER BY id", id, r) == -1 ||
	    attach_list(st, c, "tasks", "SELECT " TASK_COLS ", created_at FROM task"
	    " WHERE customer_id = ?1 ORDER BY ftop_id", id, r) == -1 ||
	    attach_list(st, c, "checkins", "SELECT " CHECKIN_COLS ", created_at FROM checkin"
	    " WHERE customer_id = ?1 ORDER BY held_on DESC, id DESC", id, r) == -1 ||
	    attach_list(st, c, "meetings", "SELECT " MEETING_COLS ", created_at, updated_at"
	    " FROM meeting WHERE customer_id = ?1 ORDER BY status = 'cancelled', id DESC", id, r) == -1 ||
	    attach_list(st, c, "blockers", "SELECT id, service, l1_status, l2_reason, description,"
	    " owner, opened_on, resolved_on, resolution, created_at FROM blocker"
	    " WHERE customer_id = ?1 ORDER BY resolved_on != '', opened_on DESC, id DESC", id, r) == -1 ||
	    attach_list(st, c, "usage", "SELECT service, measured_on, active_users, eligible_users,"
	    " source FROM usage_sample WHERE customer_id = ?1 ORDER BY service, measured_on",
	    id, r) == -1 ||
	    attach_list(st, c, "outbox", "SELECT id, kind, recipients, state, attempts,"
	    " next_attempt_at, last_error, smtp_reply, message_id, created_at, sent_at"
	    " FROM outbox WHERE customer_id = ?1 ORDER BY id DESC LIMIT 100", id, r) == -1 ||
	    attach_list(st, c, "audit", "SELECT id, at, actor, action, entity, entity_id, details"
	    " FROM audit WHERE customer_id = ?1 ORDER BY id DESC LIMIT 200", id, r) == -1) {
		json_object_put(c);
		return -1;
	}
	if (json_object_object_get_ex(c, "meetings", &arr))
		meetings_parse_json(arr);
	if (json_object_object_get_ex(c, "checkins", &arr))
		meetings_parse_json(arr);
	*out = c;
	return 0;
}

/* Each recipient's outcome as a JSON array text, in the order they were first tried. */
#define OUTBOX_RCPT_JSON "(SELECT json_group_array(json_object('email', x.email," \
	" 'state', x.state, 'attempts', x.attempts, 'reply', x.reply))" \
	" FROM (SELECT * FROM outbox_rcpt WHERE outbox_id = o.id ORDER BY rowid) x)" \
	" AS recipient_states"

int
store_outbox_json(struct store *st, int64_t customer_id, const char *state, int limit,
    int offset, json_object **out, long long *total, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, "SELECT count(*) FROM outbox WHERE (?1 = 0 OR customer_id = ?1)"
	    " AND (?2 = '' OR state = ?2)", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, customer_id);
	store_bind_text(st, s, 2, state);
	if (store_step(st, s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_fail(st, r, "count outbox");
	}
	*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);

	if ((s = store_prep(st, "SELECT o.id, o.customer_id, c.name AS customer_name, o.kind,"
	    " o.recipients, o.state, o.attempts, o.next_attempt_at, o.last_error, o.smtp_reply,"
	    " o.message_id, o.created_at, o.sent_at, o.updated_at, " OUTBOX_RCPT_JSON
	    " FROM outbox o JOIN customer c ON c.id = o.customer_id"
	    " WHERE (?1 = 0 OR o.customer_id = ?1) AND (?2 = '' OR o.state = ?2)"
	    " ORDER BY o.id DESC LIMIT ?3 OFFSET ?4", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, customer_id);
	store_bind_text(st, s, 2, state);
	store_bind_int(st, s, 3, limit > 0 ? limit : 50);
	store_bind_int(st, s, 4, offset > 0 ? offset : 0);
	return rows_json(st, s, out, r, "list outbox");
}

int
store_outbox_row_json(struct store *st, int64_t id, json_object **out, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*o = NULL, *v, *parsed;
	int		 rc;
	size_t		 k;
	static const char *const keys[] = { "payload", "recipients", "recipient_states" };

	*out = NULL;
	if ((s = store_prep(st, "SELECT o.id, o.customer_id, c.name AS customer_name, o.kind,"
	    " o.dedupe_key, o.payload, o.recipients, o.state, o.attempts, o.next_attempt_at,"
	    " o.last_error, o.smtp_reply, o.message_id, o.created_at, o.sent_at, o.updated_at, "
	    OUTBOX_RCPT_JSON " FROM outbox o JOIN customer c ON c.id = o.customer_id WHERE o.id = ?1",
	    r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	rc = store_step(st, s);
	if (rc == SQLITE_ROW)
		o = row_json(s);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no outbox message with id %" PRId64, id);
	if (rc != SQLITE_ROW)
		return store_fail(st, r, "read outbox row");
	if (o == NULL)
		return result_set(r, RESULT_IO, NULL, "store: read outbox row: out of memory");
	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (json_object_object_get_ex(o, keys[k], &v) &&
		    (parsed = json_tokener_parse(json_object_get_string(v))) != NULL)
			json_object_object_add(o, keys[k], parsed);
	*out = o;
	return 0;
}

int
store_fm_list_json(struct store *st, json_object **out, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, "SELECT DISTINCT owner_fm FROM customer ORDER BY owner_fm", r)) == NULL)
		return -1;
	return rows_json(st, s, out, r, "list FMs");
}

