/*
 * meetings.c -- check-ins and meeting series (a series' attendees and covered
 * services in their own tables since migration 5, a check-in's since 6).
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_impl.h"
#include "text.h"

/* ---------------------------------------------------------------- covered services */

/*
 * A check-in and a series each cover a list of catalog keys, stored as rows
 * (owner, position, service); sql inserts one (?1 owner, ?2 position, ?3 key).
 */
static int
services_write(struct store *st, const char *sql, int64_t owner,
    const char (*keys)[STORE_SERVICE_SIZE], size_t n, struct result *r, const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct store_param p[] = { SP_INT(owner), SP_INT((int64_t)i), SP_TEXT(keys[i]) };

		if (store_run(st, sql, p, SP_COUNT(p), r, what) == -1)
			return -1;
	}
	return 0;
}

/* Where services_read puts the keys it reads. */
struct service_keys {
	char		(*keys)[STORE_SERVICE_SIZE];
	size_t		*n;
	size_t		 max;
	const char	*noun;		/* "check-in", "meeting": for the message */
	int64_t		 owner;
};

/* One service row into its list; more than fit is an error (never written). */
static int
service_key_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct service_keys *k = arg;

	if (*k->n == k->max)
		return result_set(r, RESULT_IO, NULL, "store: %s %" PRId64
		    " has more than %zu services", k->noun, k->owner, k->max);
	store_col_text(s, 0, k->keys[*k->n], sizeof(k->keys[0]));
	(*k->n)++;
	return 0;
}

/* The services of one owner (sql: ?1 the owner, selecting the key in order) into k. */
static int
services_read(struct store *st, const char *sql, struct service_keys *k, struct result *r,
    const char *what)
{
	const struct store_param p[] = { SP_INT(k->owner) };
	sqlite3_stmt *s;

	*k->n = 0;
	if ((s = store_prep_bind(st, sql, p, SP_COUNT(p), r)) == NULL)
		return -1;
	return store_each(st, s, service_key_row, k, r, what);
}

/* ---------------------------------------------------------------- check-ins */

static int
checkin_services_write(struct store *st, const struct store_checkin *c, struct result *r)
{
	return services_write(st, "INSERT INTO checkin_service (checkin_id, position, service)"
	    " VALUES (?1, ?2, ?3)", c->id, c->services, c->n_services, r,
	    "write check-in service");
}

/* More services than fit are refused; then the caller's transaction, or one of its own. */
static int
checkin_begin(struct store *st, const struct store_checkin *c, int *own, struct result *r)
{
	if (c->n_services > STORE_CHECKIN_SERVICES_MAX)
		return result_set(r, RESULT_INVALID, "services",
		    "store: a check-in names %zu services, at most %d fit", c->n_services,
		    STORE_CHECKIN_SERVICES_MAX);
	return store_tx_own_begin(st, own, r);
}

int
store_checkin_insert(struct store *st, struct store_checkin *c, int64_t now, struct result *r)
{
	const struct store_param p[] = { SP_INT(c->customer_id), SP_TEXT(c->held_on),
	    SP_TEXT(c->held_by), SP_TEXT(c->summary), SP_TEXT(c->next_action),
	    SP_TEXT(c->next_action_on), SP_TEXT(c->next_action_owner), SP_INT(now) };
	int own;

	if (checkin_begin(st, c, &own, r) == -1)
		return -1;
	if (store_run(st, "INSERT INTO checkin (customer_id, held_on, held_by, summary,"
	    " next_action, next_action_on, next_action_owner, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", p, SP_COUNT(p), r,
	    "insert check-in") == -1)
		return store_tx_own_end(st, own, -1, r);
	c->id = sqlite3_last_insert_rowid(st->db);
	return store_tx_own_end(st, own, checkin_services_write(st, c, r), r);
}

/* A check-in row in CHECKIN_COLS order (its services are read after it). */
#define CHECKIN_FIELD(w, k, m) STORE_COL_FIELD(struct store_checkin, w, k, m)
static const struct store_field checkin_fields[] = {
	CHECKIN_COLUMNS(CHECKIN_FIELD, STORE_SQL_NO_FIELD)
};

static STORE_ROW_READER(checkin_row, struct store_checkin, checkin_fields)

/* The services of check-in c->id into c, in their order. */
static int
checkin_services_read(struct store *st, struct store_checkin *c, struct result *r)
{
	struct service_keys k = { .keys = c->services, .n = &c->n_services,
	    .max = STORE_CHECKIN_SERVICES_MAX, .noun = "check-in", .owner = c->id };

	return services_read(st, "SELECT service FROM checkin_service WHERE checkin_id = ?1"
	    " ORDER BY position", &k, r, "read check-in services");
}

int
store_checkin_latest(struct store *st, int64_t customer_id, struct store_checkin *c,
    struct result *r)
{
	const struct store_param p[] = { SP_INT(customer_id) };

	if (store_read_one(st, "SELECT " CHECKIN_COLS " FROM checkin WHERE customer_id = ?1"
	    " ORDER BY held_on DESC, id DESC LIMIT 1", p, SP_COUNT(p), checkin_row, c, r,
	    "read latest check-in", NULL, "customer %" PRId64 " has no check-in yet",
	    customer_id) == -1)
		return -1;
	return checkin_services_read(st, c, r);
}

int
store_checkin_get(struct store *st, int64_t id, struct store_checkin *c, struct result *r)
{
	if (store_get_by_id(st, "SELECT " CHECKIN_COLS " FROM checkin WHERE id = ?1", id,
	    "check-in", checkin_row, c, r) == -1)
		return -1;
	return checkin_services_read(st, c, r);
}

int
store_checkin_update(struct store *st, const struct store_checkin *c, struct result *r)
{
	const struct store_param p[] = { SP_INT(c->id), SP_TEXT(c->held_on), SP_TEXT(c->summary),
	    SP_TEXT(c->next_action), SP_TEXT(c->next_action_on), SP_TEXT(c->next_action_owner) };
	const struct store_param q[] = { SP_INT(c->id) };
	int own;

	if (checkin_begin(st, c, &own, r) == -1)
		return -1;
	if (store_run(st, "UPDATE checkin SET held_on = ?2, summary = ?3, next_action = ?4,"
	    " next_action_on = ?5, next_action_owner = ?6 WHERE id = ?1", p, SP_COUNT(p), r,
	    "update check-in") == -1)
		return store_tx_own_end(st, own, -1, r);
	if (sqlite3_changes(st->db) == 0)
		return store_tx_own_end(st, own, result_set(r, RESULT_NOTFOUND, "id",
		    "no check-in with id %" PRId64, c->id), r);
	if (store_run(st, "DELETE FROM checkin_service WHERE checkin_id = ?1", q, SP_COUNT(q), r,
	    "clear check-in services") == -1)
		return store_tx_own_end(st, own, -1, r);
	return store_tx_own_end(st, own, checkin_services_write(st, c, r), r);
}

/* ---------------------------------------------------------------- meetings */

void
store_meeting_free(struct store_meeting *m)
{
	if (m == NULL)
		return;
	free(m->attendees);
	m->attendees = NULL;
	m->n_attendees = 0;
}

void
store_meeting_list_free(struct store_meeting *list, size_t n)
{
	size_t i;

	for (i = 0; list != NULL && i < n; i++)
		store_meeting_free(&list[i]);
	free(list);
}

int
store_meeting_attendee_add(struct store_meeting *m, const char *name, const char *email,
    struct result *r)
{
	struct store_person *p;

	/* One at a time: a series has a handful of attendees, added one by one. */
	if ((p = realloc(m->attendees, (m->n_attendees + 1) * sizeof(*p))) == NULL)
		return result_set(r, RESULT_IO, NULL, "store: out of memory adding attendee"
		    " %.80s to meeting %" PRId64, email, m->id);
	m->attendees = p;
	p += m->n_attendees++;
	text_copy_fit(p->name, sizeof(p->name), name != NULL ? name : "");
	text_copy_fit(p->email, sizeof(p->email), email);
	return 0;
}

int
store_meeting_attendee_find(const struct store_meeting *m, const char *email)
{
	size_t i;

	for (i = 0; i < m->n_attendees; i++)
		if (strcasecmp(m->attendees[i].email, email) == 0)
			return (int)i;
	return -1;
}

void
store_meeting_attendee_remove(struct store_meeting *m, size_t i)
{
	if (i >= m->n_attendees)
		return;
	memmove(&m->attendees[i], &m->attendees[i + 1],
	    (m->n_attendees - i - 1) * sizeof(m->attendees[0]));
	m->n_attendees--;
}

int
store_meeting_service_find(const struct store_meeting *m, const char *key)
{
	size_t i;

	for (i = 0; i < m->n_services; i++)
		if (strcmp(m->services[i], key) == 0)
			return (int)i;
	return -1;
}

int
store_meeting_service_add(struct store_meeting *m, const char *key, struct result *r)
{
	if (m->n_services == STORE_MEETING_SERVICES_MAX)
		return result_set(r, RESULT_INVALID, "services", "store: meeting %" PRId64
		    " covers %d services already, %s does not fit", m->id,
		    STORE_MEETING_SERVICES_MAX, key);
	text_copy_fit(m->services[m->n_services], sizeof(m->services[0]), key);
	m->n_services++;
	return 0;
}

int
store_meeting_exception_set(struct store_meeting *m, const char *occurs_on,
    const char *moved_to, struct result *r)
{
	struct store_meeting_exception	*e;
	size_t				 i;

	for (i = 0; i < m->n_exceptions; i++)
		if (strcmp(m->exceptions[i].occurs_on, occurs_on) == 0)
			break;
	if (i == STORE_MEETING_EXCEPTIONS_MAX)
		return result_set(r, RESULT_INVALID, "occurs_on", "store: meeting %" PRId64
		    " has %d skipped or moved occurrences already, %s does not fit", m->id,
		    STORE_MEETING_EXCEPTIONS_MAX, occurs_on);
	e = &m->exceptions[i];
	if (i == m->n_exceptions)
		m->n_exceptions++;
	text_copy_fit(e->occurs_on, sizeof(e->occurs_on), occurs_on);
	text_copy_fit(e->moved_to, sizeof(e->moved_to), moved_to != NULL ? moved_to : "");
	return 0;
}

const struct store_meeting_exception *
store_meeting_exception_find(const struct store_meeting *m, const char *occurs_on)
{
	size_t i;

	for (i = 0; i < m->n_exceptions; i++)
		if (strcmp(m->exceptions[i].occurs_on, occurs_on) == 0)
			return &m->exceptions[i];
	return NULL;
}

/* A series row in MEETING_COLS order (its attendees and services are read after it). */
#define MEETING_FIELD(w, k, m) STORE_COL_FIELD(struct store_meeting, w, k, m)
static const struct store_field meeting_fields[] = {
	MEETING_COLUMNS(MEETING_FIELD, STORE_SQL_NO_FIELD)
};

static STORE_ROW_READER(meeting_row, struct store_meeting, meeting_fields)

/* An attendee row: name, email. */
static const struct store_field person_fields[] = {
	STORE_FIELD(TEXT, struct store_person, name), STORE_FIELD(TEXT, struct store_person, email),
};

static STORE_ROW_READER(person_row, struct store_person, person_fields)

/* One meeting_exception row (occurs_on, moved_to) into its series. */
static int
exception_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct store_meeting		*m = arg;
	struct store_meeting_exception	*e;

	if (m->n_exceptions == STORE_MEETING_EXCEPTIONS_MAX)
		return result_set(r, RESULT_IO, NULL, "store: meeting %" PRId64
		    " has more than %d exceptions", m->id, STORE_MEETING_EXCEPTIONS_MAX);
	e = &m->exceptions[m->n_exceptions++];
	store_col_text(s, 0, e->occurs_on, sizeof(e->occurs_on));
	store_col_text(s, 1, e->moved_to, sizeof(e->moved_to));
	return 0;
}

/* The skipped and moved occurrences of series m->id into m, by date. */
static int
meeting_exceptions_read(struct store *st, struct store_meeting *m, struct result *r)
{
	const struct store_param	 p[] = { SP_INT(m->id) };
	sqlite3_stmt			*s;

	m->n_exceptions = 0;
	if ((s = store_prep_bind(st, "SELECT occurs_on, moved_to FROM meeting_exception"
	    " WHERE meeting_id = ?1 ORDER BY occurs_on", p, SP_COUNT(p), r)) == NULL)
		return -1;
	return store_each(st, s, exception_row, m, r, "read meeting exceptions");
}

/* The attendee and service rows of series m->id into m, in their order. */
static int
meeting_children_read(struct store *st, struct store_meeting *m, struct result *r)
{
	struct service_keys k = { .keys = m->services, .n = &m->n_services,
	    .max = STORE_MEETING_SERVICES_MAX, .noun = "meeting", .owner = m->id };

	if (store_list_by_id(st, "SELECT name, email FROM meeting_attendee WHERE meeting_id = ?1"
	    " ORDER BY position", m->id, sizeof(*m->attendees), person_row,
	    (void **)&m->attendees, &m->n_attendees, r, "read meeting attendees") == -1)
		return -1;
	if (services_read(st, "SELECT service FROM meeting_service WHERE meeting_id = ?1"
	    " ORDER BY position", &k, r, "read meeting services") == -1 ||
	    meeting_exceptions_read(st, m, r) == -1) {
		store_meeting_free(m);
		return -1;
	}
	return 0;
}

/* Replace the attendee, service and exception rows of m with its arrays, in their order. */
static int
meeting_children_write(struct store *st, const struct store_meeting *m, int64_t now,
    struct result *r)
{
	static const struct {
		const char	*sql;		/* ?1 the series */
		const char	*what;
	} clear[] = {
		{ .sql = "DELETE FROM meeting_attendee WHERE meeting_id = ?1",
		  .what = "clear meeting attendees" },
		{ .sql = "DELETE FROM meeting_service WHERE meeting_id = ?1",
		  .what = "clear meeting services" },
		{ .sql = "DELETE FROM meeting_exception WHERE meeting_id = ?1",
		  .what = "clear meeting exceptions" },
	};
	const struct store_param id[] = { SP_INT(m->id) };
	size_t i;

	for (i = 0; i < sizeof(clear) / sizeof(clear[0]); i++)
		if (store_run(st, clear[i].sql, id, SP_COUNT(id), r, clear[i].what) == -1)
			return -1;
	for (i = 0; i < m->n_attendees; i++) {
		const struct store_param p[] = { SP_INT(m->id), SP_INT((int64_t)i),
		    SP_TEXT(m->attendees[i].name), SP_TEXT(m->attendees[i].email) };

		if (store_run(st, "INSERT INTO meeting_attendee (meeting_id, position, name, email)"
		    " VALUES (?1, ?2, ?3, ?4)", p, SP_COUNT(p), r, "write meeting attendee") == -1)
			return -1;
	}
	for (i = 0; i < m->n_exceptions; i++) {
		const struct store_param p[] = { SP_INT(m->id), SP_TEXT(m->exceptions[i].occurs_on),
		    SP_TEXT(m->exceptions[i].moved_to), SP_INT(now) };

		if (store_run(st, "INSERT INTO meeting_exception (meeting_id, occurs_on, moved_to,"
		    " created_at) VALUES (?1, ?2, ?3, ?4)", p, SP_COUNT(p), r,
		    "write meeting exception") == -1)
			return -1;
	}
	return services_write(st, "INSERT INTO meeting_service (meeting_id, position, service)"
	    " VALUES (?1, ?2, ?3)", m->id, m->services, m->n_services, r,
	    "write meeting service");
}

/*
 * Bind a series (?1 id, ?2 customer_id, ?3 uid, ?4 sequence, ?5 starts_at,
 * ?6 timezone, ?7 duration_minutes, ?8 every_weeks, ?9 status, ?10 now,
 * ?11 until_on, ?12 replaces_id, ?13 meeting_url) and
 * run sql, an insert or an update of it.
 */
static int
meeting_write(struct store *st, const char *sql, const struct store_meeting *m, int64_t now,
    struct result *r, const char *what)
{
	const struct store_param p[] = { SP_INT(m->id), SP_INT(m->customer_id), SP_TEXT(m->uid),
	    SP_INT(m->sequence), SP_TEXT(m->starts_at), SP_TEXT(m->timezone),
	    SP_INT(m->duration_minutes), SP_INT(m->every_weeks), SP_TEXT(m->status), SP_INT(now),
	    SP_TEXT(m->until_on), SP_INT(m->replaces_id), SP_TEXT(m->meeting_url) };

	if (m->n_services > STORE_MEETING_SERVICES_MAX)
		return result_set(r, RESULT_INVALID, "services",
		    "store: meeting %" PRId64 " names %zu services, at most %d fit", m->id,
		    m->n_services, STORE_MEETING_SERVICES_MAX);
	return store_run(st, sql, p, SP_COUNT(p), r, what);
}

int
store_meeting_insert(struct store *st, struct store_meeting *m, int64_t now, struct result *r)
{
	int own;

	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	/* A new series is scheduled unless told otherwise. */
	if (meeting_write(st, "INSERT INTO meeting (customer_id, uid, sequence, starts_at, timezone,"
	    " duration_minutes, every_weeks, status, created_at, updated_at, until_on, replaces_id,"
	    " meeting_url)"
	    " VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, coalesce(nullif(?9, ''), 'scheduled'), ?10, ?10,"
	    " ?11, ?12, ?13)",
	    m, now, r, "insert meeting") == -1)
		return store_tx_own_end(st, own, -1, r);
	m->id = sqlite3_last_insert_rowid(st->db);
	return store_tx_own_end(st, own, meeting_children_write(st, m, now, r), r);
}

int
store_meeting_get(struct store *st, int64_t id, struct store_meeting *m, struct result *r)
{
	memset(m, 0, sizeof(*m));
	if (store_get_by_id(st, "SELECT " MEETING_COLS " FROM meeting WHERE id = ?1", id,
	    "meeting", meeting_row, m, r) == -1)
		return -1;
	return meeting_children_read(st, m, r);
}

int
store_meeting_update(struct store *st, const struct store_meeting *m, int64_t now, struct result *r)
{
	int own;

	if (store_tx_own_begin(st, &own, r) == -1)
		return -1;
	/* The customer and the UID of a series never change (?2, ?3 unused). */
	if (meeting_write(st, "UPDATE meeting SET sequence = ?4, starts_at = ?5, timezone = ?6,"
	    " duration_minutes = ?7, every_weeks = ?8, status = ?9, updated_at = ?10,"
	    " until_on = ?11, replaces_id = ?12, meeting_url = ?13 WHERE id = ?1", m, now, r,
	    "update meeting") == -1)
		return store_tx_own_end(st, own, -1, r);
	if (sqlite3_changes(st->db) == 0) {
		result_set(r, RESULT_NOTFOUND, "id", "no meeting with id %" PRId64, m->id);
		return store_tx_own_end(st, own, -1, r);
	}
	return store_tx_own_end(st, own, meeting_children_write(st, m, now, r), r);
}

int
store_meeting_list_active(struct store *st, int64_t customer_id, struct store_meeting **list,
    size_t *n, struct result *r)
{
	size_t i;

	if (store_list_by_id(st, "SELECT " MEETING_COLS " FROM meeting WHERE customer_id = ?1"
	    " AND status = 'scheduled' AND until_on = '' ORDER BY id", customer_id, sizeof(**list), meeting_row,
	    (void **)list, n, r, "list meetings") == -1)
		return -1;
	/* A customer has a series or two: one read of rows each is cheap. */
	for (i = 0; i < *n; i++)
		if (meeting_children_read(st, &(*list)[i], r) == -1)
			break;
	if (i == *n)
		return 0;
	/* Entry i holds no memory after its failed read. */
	store_meeting_list_free(*list, i);
	*list = NULL;
	*n = 0;
	return -1;
}
