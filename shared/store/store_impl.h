/*
 * store_impl.h -- private to the .c files of shared/store: the SQLite connection and the
 * statement helpers (stmt.c) every store file uses.  Nothing outside the store
 * includes it (the unit test of the store's own checks does, test_store.c).
 */
#ifndef FTS_STORE_IMPL_H
#define FTS_STORE_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <sqlite3.h>

#include "store.h"

#define STORE_CACHE_MAX		128
#define STORE_BUSY_TIMEOUT_MS	5000

struct store_stmt {
	const char	*sql;		/* the literal at the call site: identity is the key */
	sqlite3_stmt	*stmt;
};

struct store {
	sqlite3			*db;
	char			 path[1024];
	struct store_stmt	 cache[STORE_CACHE_MAX];
	size_t			 ncache;
	int			 in_tx;
	int64_t			 commits;	/* this connection's commits (data_version ignores them) */
	/* The statement being built (store_prep) and its first failed bind, see stmt.c. */
	const char		*bind_sql;
	int			 bind_rc;	/* SQLITE_OK, or what the failed bind returned */
	int			 bind_index;
};


/*
 * Column lists shared by a table's struct reads and the JSON reads; the row
 * readers (store_customer_row, store_service_row) take them in this order.
 */
#define CUSTOMER_COLS "id, name, tenant_domain, timezone, owner_fm, csm_name, csm_email, " \
	"phase, review_outcome, cadence_weeks, created_at"

#define CHECKIN_COLS "id, customer_id, held_on, held_by, summary, next_action, " \
	"next_action_on, next_action_owner"
/*
 * A check-in's services are rows (checkin_service, migration 6) gathered as
 * the JSON array the API always showed; the statement reads FROM checkin.
 */
#define CHECKIN_SERVICES_JSON "(SELECT json_group_array(x.service) FROM (SELECT service" \
	" FROM checkin_service WHERE checkin_id = checkin.id ORDER BY position) x)"

/*
 * A series' attendees and services are rows (meeting_attendee,
 * meeting_service, migration 5) gathered as the arrays the JSON API shows
 * (json.c), in the order they were added; the statement must read FROM
 * meeting (not aliased).  Struct reads take the rows themselves (meetings.c).
 */
#define MEETING_ATTENDEES_JSON "(SELECT json_group_array(json_object('name', a.name," \
	" 'email', a.email)) FROM (SELECT name, email FROM meeting_attendee" \
	" WHERE meeting_id = meeting.id ORDER BY position) a)"
#define MEETING_SERVICES_JSON "(SELECT json_group_array(x.service) FROM (SELECT service" \
	" FROM meeting_service WHERE meeting_id = meeting.id ORDER BY position) x)"
#define MEETING_COLS "id, customer_id, uid, sequence, starts_at, timezone, duration_minutes, " \
	"every_weeks, status"

#define SERVICE_COLS "id, customer_id, service, intended, activated_on, licensed_users, " \
	"target_percent, custom_metric, custom_metric_met, csm_led, adoption_program, " \
	"accelerator, latest_on, latest_active, latest_eligible"

#define TASK_COLS "id, customer_id, ftop_id, service, status, required, due_on, done_by, done_at, note"

/*
 * store_open applying migrations only up to schema version upto: for the
 * tests of a migration (a database as an older program left it).
 */
int store_open_upto(struct store **st, const char *path, int upto, struct result *r);

/*
 * A change of several rows that must land together: inside the caller's
 * transaction when one is open (*own = 0), else in one of its own.  end
 * passes rc (0 or -1) through, committing or rolling back what begin opened.
 */
int store_tx_own_begin(struct store *st, int *own, struct result *r);
int store_tx_own_end(struct store *st, int own, int rc, struct result *r);

/* Map the connection's last error to a result (RESULT_BUSY, CONFLICT, ...); returns -1. */
int store_fail(struct store *st, struct result *r, const char *what);
/*
 * The prepared statement for sql, reset and unbound.  Call sites pass string
 * literals: pointer identity finds the cached statement.  NULL with r filled.
 */
sqlite3_stmt *store_prep(struct store *st, const char *sql, struct result *r);
/*
 * Checked binds: 0, or -1 with the failure kept on st so that store_step
 * refuses the statement and store_fail names the parameter.  NULL text binds "".
 */
int store_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v);
int store_bind_int(struct store *st, sqlite3_stmt *s, int i, int v);
int store_bind_int64(struct store *st, sqlite3_stmt *s, int i, int64_t v);
int store_bind_double(struct store *st, sqlite3_stmt *s, int i, double v);
int store_bind_null(struct store *st, sqlite3_stmt *s, int i);
/* sqlite3_step, or the failed bind's code (never ROW or DONE) when a bind failed. */
int store_step(struct store *st, sqlite3_stmt *s);
/*
 * Step a bound statement for its one row, handed to row(s, out): 0; -1 with
 * RESULT_NOTFOUND (field, message from fmt) when there is none; -1 with the
 * store's error (what) otherwise.
 */
int store_one_row(struct store *st, sqlite3_stmt *s, void (*row)(sqlite3_stmt *, void *), void *out,
    struct result *r, const char *what, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/* Read the row with primary key id (parameter ?1 of sql) into out; NOTFOUND names the noun. */
int store_get_by_id(struct store *st, const char *sql, int64_t id, const char *noun,
    void (*row)(sqlite3_stmt *, void *), void *out, struct result *r);
/* Copy text column i into dst[size], cut to fit on a UTF-8 boundary. */
void store_col_text(sqlite3_stmt *s, int i, char *dst, size_t size);
/* Text column i malloc'd ("" for NULL); NULL when out of memory. */
char *store_col_dup(sqlite3_stmt *s, int i);
/* Run a statement that returns no rows (or ignores them); resets it. */
int store_exec_done(struct store *st, sqlite3_stmt *s, struct result *r, const char *what);
/* store_exec_done; a UNIQUE refusal is RESULT_CONFLICT on field with the message fmt makes. */
int store_exec_unique(struct store *st, sqlite3_stmt *s, struct result *r, const char *what,
    const char *field, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/*
 * Step a bound statement to its end, each row to fn(s, arg, r): 0; -1 when
 * fn returned -1 (r is fn's) or a step failed.  Resets the statement.
 */
int store_each(struct store *st, sqlite3_stmt *s, int (*fn)(sqlite3_stmt *, void *, struct result *),
    void *arg, struct result *r, const char *what);
/* Every row of a bound statement into a malloc'd array of esz-byte elements filled by fn. */
int store_collect(struct store *st, sqlite3_stmt *s, size_t esz, void (*fn)(sqlite3_stmt *, void *),
    void **list, size_t *n, struct result *r, const char *what);

/* store_collect of the rows of sql, its parameter ?1 bound to id; *list NULL and *n 0 on failure. */
int store_list_by_id(struct store *st, const char *sql, int64_t id, size_t esz,
    void (*fn)(sqlite3_stmt *, void *), void **list, size_t *n, struct result *r, const char *what);

/*
 * 0 when whole(row) holds for every row of a collected list; else each row
 * is release()d, the list freed (*list NULL, *n 0), RESULT_IO "out of memory".
 */
int store_list_whole(void **list, size_t *n, size_t esz, int (*whole)(const void *),
    void (*release)(void *), struct result *r, const char *what);

/* Row readers shared with facts.c: columns in CUSTOMER_COLS / SERVICE_COLS order. */
void store_customer_row(sqlite3_stmt *s, struct store_customer *c);
void store_service_row(sqlite3_stmt *s, void *p);

#endif
