/*
 * meetings.c -- check-ins and meeting series (a series' attendees and covered
 * services in their own tables since migration 5, a check-in's since 6).
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* ---------------------------------------------------------------- check-ins */

static int
checkin_services_write(struct store *st, const struct store_checkin *c, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < c->n_services; i++) {
		if ((s = store_prep(st, "INSERT INTO checkin_service (checkin_id, position, service)"
		    " VALUES (?1, ?2, ?3)", r)) == NULL)
			return -1;
		store_bind_int64(st, s, 1, c->id);
		store_bind_int64(st, s, 2, (int64_t)i);
		store_bind_text(st, s, 3, c->services[i]);
		if (store_exec_done(st, s, r, "write check-in service") == -1)
			return -1;
	}
	return 0;
}

int
store_checkin_insert(struct store *st, struct store_checkin *c, int64_t now, struct result *r)
{
	sqlite3_stmt	*s;
	int		 own;

	if (c->n_services > STORE_CHECKIN_SERVICES_MAX)
		return result_set(r, RESULT_INVALID, "services",
		    "store: a check-in names %zu services, at most %d fit", c->n_services,
		    STORE_CHECKIN_SERVICES_MAX);
	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	if ((s = store_prep(st, "INSERT INTO checkin (customer_id, held_on, held_by, summary,"
	    " next_action, next_action_on, next_action_owner, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", r)) == NULL)
		return store_tx_own_end(st, own, -1, r);
	store_bind_int64(st, s, 1, c->customer_id);
	store_bind_text(st, s, 2, c->held_on);
	store_bind_text(st, s, 3, c->held_by);
	store_bind_text(st, s, 4, c->summary);
	store_bind_text(st, s, 5, c->next_action);
	store_bind_text(st, s, 6, c->next_action_on);
	store_bind_text(st, s, 7, c->next_action_owner);
	store_bind_int64(st, s, 8, now);
	if (store_exec_done(st, s, r, "insert check-in") == -1)
		return store_tx_own_end(st, own, -1, r);
	c->id = sqlite3_last_insert_rowid(st->db);
	return store_tx_own_end(st, own, checkin_services_write(st, c, r), r);
}

static void
checkin_row(sqlite3_stmt *s, void *p)
{
	struct store_checkin *c = p;

	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(s, 0);
	c->customer_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, c->held_on, sizeof(c->held_on));
	store_col_text(s, 3, c->held_by, sizeof(c->held_by));
	store_col_text(s, 4, c->summary, sizeof(c->summary));
	store_col_text(s, 5, c->next_action, sizeof(c->next_action));
	store_col_text(s, 6, c->next_action_on, sizeof(c->next_action_on));
	store_col_text(s, 7, c->next_action_owner, sizeof(c->next_action_owner));
}

/* One service row of a check-in into its list; more than fit is an error (never written). */
static int
checkin_service_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct store_checkin *c = arg;

	if (c->n_services == STORE_CHECKIN_SERVICES_MAX)
		return result_set(r, RESULT_IO, NULL, "store: check-in %" PRId64
		    " has more than %d services", c->id, STORE_CHECKIN_SERVICES_MAX);
	store_col_text(s, 0, c->services[c->n_services], sizeof(c->services[0]));
	c->n_services++;
	return 0;
}

/* The services of check-in c->id into c, in their order. */
static int
checkin_services_read(struct store *st, struct store_checkin *c, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, "SELECT service FROM checkin_service WHERE checkin_id = ?1"
	    " ORDER BY position", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, c->id);
	c->n_services = 0;
	return store_each(st, s, checkin_service_row, c, r, "read check-in services");
}

int
store_checkin_latest(struct store *st, int64_t customer_id, struct store_checkin *c,
    struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, "SELECT " CHECKIN_COLS " FROM checkin WHERE customer_id = ?1"
	    " ORDER BY held_on DESC, id DESC LIMIT 1", r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, customer_id);
	if (store_one_row(st, s, checkin_row, c, r, "read latest check-in", NULL,
	    "customer %" PRId64 " has no check-in yet", customer_id) == -1)
		return -1;
	return checkin_services_read(st, c, r);
}

/* ---------------------------------------------------------------- meetings */

void
store_meeting_free(struct store_meeting *m)
{
	if (m == NULL)
		return;
	free(m->attendees);
	free(m->services);
	m->attendees = m->services = NULL;
}

static void
meeting_row(sqlite3_stmt *s, void *p)
{
	struct store_meeting *m = p;

	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	m->customer_id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, m->uid, sizeof(m->uid));
	m->sequence = sqlite3_column_int(s, 3);
	store_col_text(s, 4, m->starts_at, sizeof(m->starts_at));
	store_col_text(s, 5, m->timezone, sizeof(m->timezone));
	m->duration_minutes = sqlite3_column_int(s, 6);
	m->every_weeks = sqlite3_column_int(s, 7);
	m->attendees = store_col_dup(s, 8);
	m->services = store_col_dup(s, 9);
	store_col_text(s, 10, m->status, sizeof(m->status));
}

/* Replace the attendee and service rows of m with its JSON arrays (NULL = none), in their order. */
static int
meeting_children(struct store *st, const struct store_meeting *m, struct result *r)
{
	const struct {
		const char	*sql;		/* ?1 the series, ?2 the JSON array if any */
		const char	*json;
		const char	*what;
	} steps[] = {
		{ .sql = "DELETE FROM meeting_attendee WHERE meeting_id = ?1",
		  .what = "clear meeting attendees" },
		{ .sql = "DELETE FROM meeting_service WHERE meeting_id = ?1",
		  .what = "clear meeting services" },
		{ .sql = "INSERT INTO meeting_attendee (meeting_id, position, name, email)"
		    " SELECT ?1, key, coalesce(json_extract(value, '$.name'), ''),"
		    " json_extract(value, '$.email') FROM json_each(?2)",
		  .json = m->attendees ? m->attendees : "[]", .what = "write meeting attendees" },
		{ .sql = "INSERT INTO meeting_service (meeting_id, position, service)"
		    " SELECT ?1, key, value FROM json_each(?2)",
		  .json = m->services ? m->services : "[]", .what = "write meeting services" },
	};
	sqlite3_stmt	*s;
	size_t		 i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((s = store_prep(st, steps[i].sql, r)) == NULL)
			return -1;
		store_bind_int64(st, s, 1, m->id);
		if (steps[i].json != NULL)
			store_bind_text(st, s, 2, steps[i].json);
		if (store_exec_done(st, s, r, steps[i].what) == -1)
			return -1;
	}
	return 0;
}

/*
 * Bind a series (?1 id, ?2 customer_id, ?3 uid, ?4 sequence, ?5 starts_at,
 * ?6 timezone, ?7 duration_minutes, ?8 every_weeks, ?9 status, ?10 now) and
 * run sql, an insert or an update of it.
 */
static int
meeting_write(struct store *st, const char *sql, const struct store_meeting *m, int64_t now,
    struct result *r, const char *what)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, sql, r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, m->id);
	store_bind_int64(st, s, 2, m->customer_id);
	store_bind_text(st, s, 3, m->uid);
	store_bind_int(st, s, 4, m->sequence);
	store_bind_text(st, s, 5, m->starts_at);
	store_bind_text(st, s, 6, m->timezone);
	store_bind_int(st, s, 7, m->duration_minutes);
	store_bind_int(st, s, 8, m->every_weeks);
	store_bind_text(st, s, 9, m->status);
	store_bind_int64(st, s, 10, now);
	return store_exec_done(st, s, r, what);
}

int
store_meeting_insert(struct store *st, struct store_meeting *m, int64_t now, struct result *r)
{
	int own;

	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	/* A new series is scheduled unless told otherwise. */
	if (meeting_write(st, "INSERT INTO meeting (customer_id, uid, sequence, starts_at, timezone,"
	    " duration_minutes, every_weeks, status, created_at, updated_at)"
	    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(nullif(?9, ''), 'scheduled'), ?10, ?10)",
	    m, now, r, "insert meeting") == -1)
		return store_tx_own_end(st, own, -1, r);
	m->id = sqlite3_last_insert_rowid(st->db);
	return store_tx_own_end(st, own, meeting_children(st, m, r), r);
}

/* Whether a series read has both its copies (store_col_dup found memory). */
static int
meeting_whole(const void *p)
{
	const struct store_meeting *m = p;

	return m->attendees != NULL && m->services != NULL;
}

static void
meeting_release(void *p)
{
	store_meeting_free(p);
}

int
store_meeting_get(struct store *st, int64_t id, struct store_meeting *m, struct result *r)
{
	memset(m, 0, sizeof(*m));
	if (store_get_by_id(st, "SELECT " MEETING_COLS " FROM meeting WHERE id = ?1", id,
	    "meeting", meeting_row, m, r) == -1)
		return -1;
	if (!meeting_whole(m)) {
		store_meeting_free(m);
		return result_set(r, RESULT_IO, NULL, "store: read meeting: out of memory");
	}
	return 0;
}

int
store_meeting_update(struct store *st, const struct store_meeting *m, int64_t now, struct result *r)
{
	int own;

	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	/* The customer and the UID of a series never change (?2, ?3 unused). */
	if (meeting_write(st, "UPDATE meeting SET sequence = ?4, starts_at = ?5, timezone = ?6,"
	    " duration_minutes = ?7, every_weeks = ?8, status = ?9, updated_at = ?10"
	    " WHERE id = ?1", m, now, r, "update meeting") == -1)
		return store_tx_own_end(st, own, -1, r);
	if (sqlite3_changes(st->db) == 0) {
		result_set(r, RESULT_NOTFOUND, "id", "no meeting with id %" PRId64, m->id);
		return store_tx_own_end(st, own, -1, r);
	}
	return store_tx_own_end(st, own, meeting_children(st, m, r), r);
}

int
store_meeting_list_active(struct store *st, int64_t customer_id, struct store_meeting **list,
    size_t *n, struct result *r)
{
	if (store_list_by_id(st, "SELECT " MEETING_COLS " FROM meeting WHERE customer_id = ?1"
	    " AND status = 'scheduled' ORDER BY id", customer_id, sizeof(**list), meeting_row,
	    (void **)list, n, r, "list meetings") == -1)
		return -1;
	return store_list_whole((void **)list, n, sizeof(**list), meeting_whole, meeting_release,
	    r, "list meetings");
}

