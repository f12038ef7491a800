/*
 * customers.c -- customers, their contacts and blockers, and the audit trail.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"
#include "text.h"

/* ---------------------------------------------------------------- customers */

/* A customer row in CUSTOMER_COLS order. */
#define CUSTOMER_FIELD(w, k, m) STORE_COL_FIELD(struct store_customer, w, k, m)
static const struct store_field customer_fields[] = {
	CUSTOMER_COLUMNS(CUSTOMER_FIELD, STORE_SQL_NO_FIELD)
};

STORE_ROW_READER(store_customer_row, struct store_customer, customer_fields)

int
store_customer_get(struct store *st, int64_t id, struct store_customer *c, struct result *r)
{
	return store_get_by_id(st, "SELECT " CUSTOMER_COLS " FROM customer WHERE id = ?1", id,
	    "customer", store_customer_row, c, r);
}

/*
 * Bind a customer (?1 id, ?2 name ... ?10 cadence_weeks, ?11 now, ?12 search_key,
 * ?13 language) and run
 * sql, an insert or an update of it: a tenant domain another customer has
 * is RESULT_CONFLICT.
 */
static int
customer_write(struct store *st, const char *sql, const struct store_customer *c, int64_t now,
    struct result *r, const char *what)
{
	char		 both[STORE_SEARCH_KEY_MAX], key[STORE_SEARCH_KEY_MAX];
	const struct store_param p[] = { SP_INT(c->id), SP_TEXT(c->name),
	    SP_TEXT(c->tenant_domain), SP_TEXT(c->timezone), SP_TEXT(c->owner_fm),
	    SP_TEXT(c->csm_name), SP_TEXT(c->csm_email), SP_TEXT(c->phase),
	    SP_TEXT(c->review_outcome), SP_INT(c->cadence_weeks), SP_INT(now), SP_TEXT(key),
	    SP_TEXT(c->language) };
	sqlite3_stmt	*s;

	/* The search compares folded text (migration 7): name and domain, as fts_fold() makes it. */
	snprintf(both, sizeof(both), "%s %s", c->name, c->tenant_domain);
	(void)text_fold(both, key, sizeof(key));
	if ((s = store_prep_bind(st, sql, p, SP_COUNT(p), r)) == NULL)
		return -1;
	return store_exec_unique(st, s, r, what, "tenant_domain",
	    "a customer with tenant domain \"%s\" already exists", c->tenant_domain);
}

int
store_customer_insert(struct store *st, struct store_customer *c, int64_t now, struct result *r)
{
	/* A new customer starts in execution, meeting every two weeks, unless told otherwise. */
	if (customer_write(st, "INSERT INTO customer (name, tenant_domain, timezone, owner_fm,"
	    " csm_name, csm_email, phase, review_outcome, cadence_weeks, created_at, updated_at,"
	    " search_key, language) VALUES (?2, ?3, ?4, ?5, ?6, ?7,"
	    " coalesce(nullif(?8, ''), 'execution'), ?9, CASE WHEN ?10 > 0 THEN ?10 ELSE 2 END,"
	    " ?11, ?11, ?12, ?13)", c, now, r,
	    "insert customer") == -1)
		return -1;
	c->id = sqlite3_last_insert_rowid(st->db);
	c->created_at = now;
	return 0;
}

int
store_customer_update(struct store *st, const struct store_customer *c, int64_t now, struct result *r)
{
	if (customer_write(st, "UPDATE customer SET name = ?2, tenant_domain = ?3, timezone = ?4,"
	    " owner_fm = ?5, csm_name = ?6, csm_email = ?7, phase = ?8, review_outcome = ?9,"
	    " cadence_weeks = ?10, updated_at = ?11, search_key = ?12, language = ?13 WHERE id = ?1",
	    c, now, r,
	    "update customer") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, c->id);
	return 0;
}

int
store_customer_archive(struct store *st, int64_t id, int64_t archived_at, int64_t now,
    struct result *r)
{
	const struct store_param p[] = { SP_INT(id), SP_INT(archived_at), SP_INT(now) };

	if (store_run(st, "UPDATE customer SET archived_at = ?2, updated_at = ?3 WHERE id = ?1",
	    p, SP_COUNT(p), r, "archive customer") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	return 0;
}

/* ---------------------------------------------------------------- contacts */

/* A contact row in CONTACT_COLS order. */
#define CONTACT_FIELD(w, k, m) STORE_COL_FIELD(struct store_contact, w, k, m)
static const struct store_field contact_fields[] = {
	CONTACT_COLUMNS(CONTACT_FIELD, STORE_SQL_NO_FIELD)
};

/* Bind a contact (?1 id, ?2 customer_id, ?3 name, ?4 email, ?5 receives_invites, ?6 now) and run sql. */
static int
contact_write(struct store *st, const char *sql, const struct store_contact *c, int64_t now,
    struct result *r, const char *what)
{
	const struct store_param p[] = { SP_INT(c->id), SP_INT(c->customer_id),
	    SP_TEXT(c->name), SP_TEXT(c->email), SP_INT(c->receives_invites ? 1 : 0), SP_INT(now) };
	sqlite3_stmt	*s;
	size_t		 n = SP_COUNT(p);

	if ((s = store_prep(st, sql, r)) == NULL)
		return -1;
	if (sqlite3_bind_parameter_count(s) < 6)	/* an update has no time to write */
		n--;
	store_bind_all(st, s, p, n);
	return store_exec_unique(st, s, r, what, "email",
	    "this customer already has a contact with e-mail %s", c->email);
}

int
store_contact_insert(struct store *st, struct store_contact *c, int64_t now, struct result *r)
{
	if (contact_write(st, "INSERT INTO contact (customer_id, name, email, receives_invites,"
	    " created_at) VALUES (?2, ?3, ?4, ?5, ?6)", c, now, r, "insert contact") == -1) {
		if (sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_FOREIGNKEY)
			return result_set(r, RESULT_NOTFOUND, "id",
			    "no customer with id %" PRId64, c->customer_id);
		return -1;
	}
	c->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static STORE_ROW_READER(contact_row, struct store_contact, contact_fields)

int
store_contact_get(struct store *st, int64_t id, struct store_contact *c, struct result *r)
{
	return store_get_by_id(st, "SELECT " CONTACT_COLS " FROM contact WHERE id = ?1", id,
	    "contact", contact_row, c, r);
}

int
store_contact_update(struct store *st, const struct store_contact *c, struct result *r)
{
	if (contact_write(st, "UPDATE contact SET name = ?3, email = ?4, receives_invites = ?5"
	    " WHERE id = ?1", c, 0, r, "update contact") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no contact with id %" PRId64, c->id);
	return 0;
}

int
store_contact_delete(struct store *st, int64_t id, struct result *r)
{
	const struct store_param p[] = { SP_INT(id) };

	if (store_run(st, "DELETE FROM contact WHERE id = ?1", p, SP_COUNT(p), r,
	    "delete contact") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no contact with id %" PRId64, id);
	return 0;
}

int
store_contact_list(struct store *st, int64_t customer_id, struct store_contact **list,
    size_t *n, struct result *r)
{
	return store_list_by_id(st, "SELECT " CONTACT_COLS " FROM contact WHERE customer_id = ?1"
	    " ORDER BY id", customer_id, sizeof(**list), contact_row, (void **)list, n, r,
	    "list contacts");
}

/* ---------------------------------------------------------------- blockers */

int
store_blocker_insert(struct store *st, struct store_blocker *b, int64_t now, struct result *r)
{
	const struct store_param p[] = { SP_INT(b->customer_id), SP_TEXT(b->service),
	    SP_TEXT(b->l1_status[0] ? b->l1_status : "blocked"), SP_TEXT(b->l2_reason),
	    SP_TEXT(b->description), SP_TEXT(b->owner), SP_TEXT(b->opened_on), SP_INT(now) };

	if (store_run(st, "INSERT INTO blocker (customer_id, service, l1_status, l2_reason,"
	    " description, owner, opened_on, created_at, updated_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)", p, SP_COUNT(p), r,
	    "insert blocker") == -1)
		return -1;
	b->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* A blocker row in BLOCKER_COLS order. */
#define BLOCKER_FIELD(w, k, m) STORE_COL_FIELD(struct store_blocker, w, k, m)
static const struct store_field blocker_fields[] = {
	BLOCKER_COLUMNS(BLOCKER_FIELD, STORE_SQL_NO_FIELD)
};

static STORE_ROW_READER(blocker_row, struct store_blocker, blocker_fields)

int
store_blocker_get(struct store *st, int64_t id, struct store_blocker *b, struct result *r)
{
	return store_get_by_id(st, "SELECT " BLOCKER_COLS " FROM blocker WHERE id = ?1", id,
	    "blocker", blocker_row, b, r);
}

int
store_blocker_list_open(struct store *st, int64_t customer_id, struct store_blocker **list,
    size_t *n, struct result *r)
{
	return store_list_by_id(st, "SELECT " BLOCKER_COLS " FROM blocker WHERE customer_id = ?1"
	    " AND resolved_on = '' ORDER BY opened_on DESC, id DESC", customer_id, sizeof(**list),
	    blocker_row, (void **)list, n, r, "list open blockers");
}

int
store_blocker_resolve(struct store *st, int64_t id, const char *on, const char *resolution,
    int64_t now, struct result *r)
{
	const struct store_param p[] = { SP_INT(id), SP_TEXT(on), SP_TEXT(resolution), SP_INT(now) };

	if (store_run(st, "UPDATE blocker SET resolved_on = ?2, resolution = ?3, updated_at = ?4"
	    " WHERE id = ?1 AND resolved_on = ''", p, SP_COUNT(p), r, "resolve blocker") == -1)
		return -1;
	if (sqlite3_changes(st->db) == 0) {
		struct store_blocker b;

		if (store_blocker_get(st, id, &b, r) == -1)
			return -1;
		return result_set(r, RESULT_CONFLICT, "id",
		    "blocker %" PRId64 " was already resolved on %s", id, b.resolved_on);
	}
	return 0;
}

/* ---------------------------------------------------------------- audit */

int
store_audit_insert(struct store *st, int64_t now, const char *actor, const char *action,
    const char *entity, int64_t entity_id, int64_t customer_id, const char *details,
    struct result *r)
{
	struct store_param p[] = { SP_INT(now), SP_TEXT(actor), SP_TEXT(action),
	    SP_TEXT(entity), SP_INT(entity_id), SP_INT(customer_id), SP_TEXT(details ? details : "{}") };

	if (customer_id <= 0)	/* not about one customer */
		p[5].kind = STORE_P_NULL;
	return store_run(st, "INSERT INTO audit (at, actor, action, entity, entity_id, customer_id,"
	    " details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", p, SP_COUNT(p), r, "insert audit row");
}

