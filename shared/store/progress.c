/*
 * progress.c -- what a customer has adopted: services, usage samples (with each
 * service's latest sample kept beside it) and the FTOP tasks.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* ---------------------------------------------------------------- services */

/* A service row in SERVICE_COLS order. */
#define SERVICE_FIELD(w, k, m) STORE_COL_FIELD(struct store_service, w, k, m)
static const struct store_field service_fields[] = {
	SERVICE_COLUMNS(SERVICE_FIELD, STORE_SQL_NO_FIELD)
};

STORE_ROW_READER(store_service_row, struct store_service, service_fields)

int
store_service_get(struct store *st, int64_t customer_id, const char *service,
    struct store_service *v, struct result *r)
{
	const struct store_param p[] = { SP_INT(customer_id), SP_TEXT(service) };

	return store_read_one(st, "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 AND service = ?2", p, SP_COUNT(p), store_service_row, v, r,
	    "read service", "service", "customer %" PRId64 " has no service \"%s\"", customer_id,
	    service);
}

int
store_service_upsert(struct store *st, struct store_service *v, struct result *r)
{
	const struct store_param p[] = { SP_INT(v->customer_id), SP_TEXT(v->service),
	    SP_INT(v->intended ? 1 : 0), SP_TEXT(v->activated_on), SP_INT(v->licensed_users),
	    SP_REAL(v->target_percent > 0 ? v->target_percent : 10.0), SP_TEXT(v->custom_metric),
	    SP_INT(v->custom_metric_met ? 1 : 0), SP_INT(v->csm_led ? 1 : 0),
	    SP_INT(v->adoption_program ? 1 : 0), SP_INT(v->accelerator ? 1 : 0) };
	sqlite3_stmt *s;

	if ((s = store_prep_bind(st, "INSERT INTO customer_service (customer_id, service, intended,"
	    " activated_on, licensed_users, target_percent, custom_metric, custom_metric_met,"
	    " csm_led, adoption_program, accelerator)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (customer_id, service) DO UPDATE SET intended = ?3,"
	    " activated_on = ?4, licensed_users = ?5, target_percent = ?6, custom_metric = ?7,"
	    " custom_metric_met = ?8, csm_led = ?9, adoption_program = ?10, accelerator = ?11"
	    " RETURNING id", p, SP_COUNT(p), r)) == NULL)
		return -1;
	if (store_step(st, s) != SQLITE_ROW) {
		int ext = sqlite3_extended_errcode(st->db);

		sqlite3_reset(s);
		if (ext == SQLITE_CONSTRAINT_FOREIGNKEY)
			return result_set(r, RESULT_NOTFOUND, "id",
			    "no customer with id %" PRId64, v->customer_id);
		return store_fail(st, r, "write service");
	}
	v->id = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
store_service_list(struct store *st, int64_t customer_id, struct store_service **list,
    size_t *n, struct result *r)
{
	return store_list_by_id(st, "SELECT " SERVICE_COLS " FROM customer_service"
	    " WHERE customer_id = ?1 ORDER BY id", customer_id, sizeof(**list), store_service_row,
	    (void **)list, n, r, "list services");
}

/* ---------------------------------------------------------------- usage */

int
store_usage_put(struct store *st, const struct store_usage *u, int64_t now, struct result *r)
{
	/* ?1 and ?2 name the service in both statements. */
	const struct store_param p[] = { SP_INT(u->customer_id), SP_TEXT(u->service),
	    SP_TEXT(u->measured_on), SP_INT(u->active_users), SP_INT(u->eligible_users),
	    SP_TEXT(u->source[0] ? u->source : "manual"), SP_INT(now) };

	if (store_run(st, "INSERT INTO usage_sample (customer_id, service, measured_on,"
	    " active_users, eligible_users, source, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
	    " ON CONFLICT (customer_id, service, measured_on) DO UPDATE SET"
	    " active_users = ?4, eligible_users = ?5, source = ?6, created_at = ?7",
	    p, SP_COUNT(p), r, "write usage sample") == -1)
		return -1;

	/* Keep the service's latest sample beside it: lists then need no extra query. */
	return store_run(st, "UPDATE customer_service SET (latest_on, latest_active, latest_eligible) ="
	    " (SELECT measured_on, active_users, eligible_users FROM usage_sample"
	    "  WHERE customer_id = ?1 AND service = ?2 ORDER BY measured_on DESC LIMIT 1)"
	    " WHERE customer_id = ?1 AND service = ?2", p, 2, r, "refresh latest usage");
}

/* ---------------------------------------------------------------- tasks */

/* A task row in TASK_COLS order. */
#define TASK_FIELD(w, k, m) STORE_COL_FIELD(struct store_task, w, k, m)
static const struct store_field task_fields[] = {
	TASK_COLUMNS(TASK_FIELD, STORE_SQL_NO_FIELD)
};

static STORE_ROW_READER(task_row, struct store_task, task_fields)

int
store_task_ensure(struct store *st, struct store_task *t, int64_t now, int *created, struct result *r)
{
	const struct store_param p[] = { SP_INT(t->customer_id), SP_INT(t->ftop_id),
	    SP_TEXT(t->service), SP_INT(t->required ? 1 : 0), SP_TEXT(t->due_on), SP_INT(now) };

	*created = 0;
	if (store_run(st, "INSERT INTO task (customer_id, ftop_id, service, status, required,"
	    " due_on, created_at) VALUES (?1, ?2, ?3, 'open', ?4, ?5, ?6)"
	    " ON CONFLICT (customer_id, ftop_id) DO NOTHING", p, SP_COUNT(p), r, "create task") == -1)
		return -1;
	*created = sqlite3_changes(st->db) > 0;
	return store_task_get(st, t->customer_id, t->ftop_id, t, r);
}

int
store_task_get(struct store *st, int64_t customer_id, int ftop_id, struct store_task *t,
    struct result *r)
{
	const struct store_param p[] = { SP_INT(customer_id), SP_INT(ftop_id) };

	return store_read_one(st, "SELECT " TASK_COLS " FROM task WHERE customer_id = ?1"
	    " AND ftop_id = ?2", p, SP_COUNT(p), task_row, t, r, "read task", "ftop_id",
	    "customer %" PRId64 " has no task %d", customer_id, ftop_id);
}

int
store_task_complete(struct store *st, int64_t customer_id, int ftop_id, const char *by,
    const char *note, int64_t now, struct result *r)
{
	const struct store_param p[] = { SP_INT(customer_id), SP_INT(ftop_id), SP_TEXT(by),
	    SP_INT(now), SP_TEXT(note) };

	if (store_run(st, "UPDATE task SET status = 'done', done_by = ?3, done_at = ?4, note = ?5"
	    " WHERE customer_id = ?1 AND ftop_id = ?2 AND status = 'open'", p, SP_COUNT(p), r,
	    "complete task") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_task t;

		if (store_task_get(st, customer_id, ftop_id, &t, r) == -1)
			return -1;
		return result_set(r, RESULT_CONFLICT, "ftop_id",
		    "task %d of customer %" PRId64 " is already done", ftop_id, customer_id);
	}
	return 0;
}

/* ---------------------------------------------------------------- weekly states */

int
store_state_week_put(struct store *st, const char *week, const char *rows_json,
    struct result *r)
{
	const struct store_param p[] = { SP_TEXT(week), SP_TEXT(rows_json) };

	/* "WHERE 1": SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT. */
	return store_run(st, "INSERT INTO state_week (week, customer_id, state)"
	    " SELECT ?1, json_extract(value, '$[0]'), json_extract(value, '$[1]')"
	    " FROM json_each(?2) WHERE 1"
	    " ON CONFLICT (week, customer_id) DO UPDATE SET state = excluded.state"
	    " WHERE state_week.state <> excluded.state", p, SP_COUNT(p), r,
	    "record the week's states");
}

struct state_counts {
	struct store_state_count	*out;
	size_t				 max, *n;
};

static int
state_count_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct state_counts	*c = arg;

	(void)r;
	if (*c->n == c->max)	/* more than asked for: the oldest are enough */
		return 0;
	store_col_text(s, 0, c->out[*c->n].week, sizeof(c->out[0].week));
	store_col_text(s, 1, c->out[*c->n].state, sizeof(c->out[0].state));
	c->out[*c->n].count = sqlite3_column_int64(s, 2);
	(*c->n)++;
	return 0;
}

int
store_state_week_counts(struct store *st, const char *since, const char *ids_json,
    struct store_state_count *out, size_t max, size_t *n, struct result *r)
{
	const struct store_param p[] = { SP_TEXT(since), SP_TEXT(ids_json) };
	struct state_counts	 c = { .out = out, .max = max, .n = n };
	sqlite3_stmt		*s;

	*n = 0;
	if ((s = store_prep_bind(st, "SELECT week, state, count(*) FROM state_week"
	    " WHERE week >= ?1 AND customer_id IN (SELECT value FROM json_each(?2))"
	    " GROUP BY week, state ORDER BY week, state", p, SP_COUNT(p), r)) == NULL)
		return -1;
	return store_each(st, s, state_count_row, &c, r, "count the weekly states");
}
