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
 * Each entity's columns, declared once: COL(where, kind, name) is a column
 * named as its struct member and its JSON key; where says who reads it (BOTH
 * the struct reader and the JSON API, READ the struct reader only, JSON the
 * API only); kind is its JSON kind (INT, REAL, TEXT, BOOL, TIME), from which
 * the struct reader takes its own (BOOL and TIME are integers).  SQL(kind,
 * key, expr) is a computed column only the API shows.  A reader makes its
 * field table of a list (STORE_COL_FIELD below), json.c the API's shape: one
 * declaration serves both, and the member behind every read column is checked by the
 * compiler (offsetof).  The reader's SQL (the _COLS strings) names the BOTH and
 * READ columns in the same order.
 */
#define CUSTOMER_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, TEXT, name) COL(BOTH, TEXT, tenant_domain) \
	COL(BOTH, TEXT, timezone) COL(BOTH, TEXT, owner_fm) COL(BOTH, TEXT, csm_name) \
	COL(BOTH, TEXT, csm_email) COL(BOTH, TEXT, phase) COL(BOTH, TEXT, review_outcome) \
	COL(BOTH, INT, cadence_weeks) COL(BOTH, TIME, created_at) COL(JSON, TIME, updated_at) \
	COL(BOTH, TIME, archived_at) COL(BOTH, TEXT, language)
/* The _AS forms qualify each column with p, the table's alias in a join ("c."). */
#define CUSTOMER_COLS_AS(p) p "id, " p "name, " p "tenant_domain, " p "timezone, " \
	p "owner_fm, " p "csm_name, " p "csm_email, " p "phase, " p "review_outcome, " \
	p "cadence_weeks, " p "created_at, " p "archived_at, " p "language"
#define CUSTOMER_COLS CUSTOMER_COLS_AS("")
/* customer.search_key: the folded name and domain (200 + 253 characters, up to 3 bytes each). */
#define STORE_SEARCH_KEY_MAX	1400

#define SERVICE_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, INT, customer_id) COL(BOTH, TEXT, service) \
	COL(BOTH, BOOL, intended) COL(BOTH, TEXT, activated_on) COL(BOTH, INT, licensed_users) \
	COL(BOTH, REAL, target_percent) COL(BOTH, TEXT, custom_metric) \
	COL(BOTH, BOOL, custom_metric_met) COL(BOTH, BOOL, csm_led) \
	COL(BOTH, BOOL, adoption_program) COL(BOTH, BOOL, accelerator) \
	COL(BOTH, TEXT, latest_on) COL(BOTH, INT, latest_active) COL(BOTH, INT, latest_eligible)
#define SERVICE_COLS_AS(p) p "id, " p "customer_id, " p "service, " p "intended, " \
	p "activated_on, " p "licensed_users, " p "target_percent, " p "custom_metric, " \
	p "custom_metric_met, " p "csm_led, " p "adoption_program, " p "accelerator, " \
	p "latest_on, " p "latest_active, " p "latest_eligible"
#define SERVICE_COLS SERVICE_COLS_AS("")

#define CONTACT_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(READ, INT, customer_id) COL(BOTH, TEXT, name) \
	COL(BOTH, TEXT, email) COL(BOTH, BOOL, receives_invites) COL(JSON, TIME, created_at)
#define CONTACT_COLS "id, customer_id, name, email, receives_invites"

#define TASK_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, INT, customer_id) COL(BOTH, INT, ftop_id) \
	COL(BOTH, TEXT, service) COL(BOTH, TEXT, status) COL(BOTH, BOOL, required) \
	COL(BOTH, TEXT, due_on) COL(BOTH, TEXT, done_by) COL(BOTH, TIME, done_at) \
	COL(BOTH, TEXT, note) COL(JSON, TIME, created_at)
#define TASK_COLS "id, customer_id, ftop_id, service, status, required, due_on, done_by, done_at, note"

#define BLOCKER_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(READ, INT, customer_id) COL(BOTH, TEXT, service) \
	COL(BOTH, TEXT, l1_status) COL(BOTH, TEXT, l2_reason) COL(BOTH, TEXT, description) \
	COL(BOTH, TEXT, owner) COL(BOTH, TEXT, opened_on) COL(BOTH, TEXT, resolved_on) \
	COL(BOTH, TEXT, resolution) COL(JSON, TIME, created_at)
#define BLOCKER_COLS "id, customer_id, service, l1_status, l2_reason, description, owner, " \
	"opened_on, resolved_on, resolution"

/*
 * The covered services of a check-in or a series (owner "checkin",
 * "meeting"), rows of <owner>_service since migrations 6 and 5, gathered as
 * the JSON array the API always showed; the statement reads FROM the owner's
 * table (not aliased).  Struct reads take the rows themselves (meetings.c).
 */
#define STORE_SERVICES_JSON(owner) "(SELECT json_group_array(x.service) FROM (SELECT service" \
	" FROM " owner "_service WHERE " owner "_id = " owner ".id ORDER BY position) x)"
#define CHECKIN_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, INT, customer_id) COL(BOTH, TEXT, held_on) \
	COL(BOTH, TEXT, held_by) COL(BOTH, TEXT, summary) COL(BOTH, TEXT, next_action) \
	COL(BOTH, TEXT, next_action_on) COL(BOTH, TEXT, next_action_owner) \
	SQL(ARRAY, "services", STORE_SERVICES_JSON("checkin")) COL(JSON, TIME, created_at)
#define CHECKIN_COLS "id, customer_id, held_on, held_by, summary, next_action, " \
	"next_action_on, next_action_owner"

/*
 * A series' attendees are rows too (meeting_attendee, migration 5), gathered
 * as the array the JSON API shows, in the order they were added, as its
 * services are.  starts_at is the local wall clock.
 */
#define MEETING_ATTENDEES_JSON "(SELECT json_group_array(json_object('name', a.name," \
	" 'email', a.email)) FROM (SELECT name, email FROM meeting_attendee" \
	" WHERE meeting_id = meeting.id ORDER BY position) a)"
/* Its skipped ("moved_to": "") and moved occurrences, by their own date (migration 7). */
#define MEETING_EXCEPTIONS_JSON "(SELECT json_group_array(json_object('occurs_on', e.occurs_on," \
	" 'moved_to', e.moved_to)) FROM (SELECT occurs_on, moved_to FROM meeting_exception" \
	" WHERE meeting_id = meeting.id ORDER BY occurs_on) e)"
#define MEETING_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, INT, customer_id) COL(BOTH, TEXT, uid) \
	COL(BOTH, INT, sequence) COL(BOTH, TEXT, starts_at) COL(BOTH, TEXT, timezone) \
	COL(BOTH, INT, duration_minutes) COL(BOTH, INT, every_weeks) \
	SQL(ARRAY, "attendees", MEETING_ATTENDEES_JSON) \
	SQL(ARRAY, "services", STORE_SERVICES_JSON("meeting")) COL(BOTH, TEXT, status) \
	COL(BOTH, TEXT, until_on) COL(BOTH, INT, replaces_id) COL(BOTH, TEXT, meeting_url) \
	SQL(ARRAY, "exceptions", MEETING_EXCEPTIONS_JSON) COL(JSON, TIME, created_at) \
	COL(JSON, TIME, updated_at)
#define MEETING_COLS "id, customer_id, uid, sequence, starts_at, timezone, duration_minutes, " \
	"every_weeks, status, until_on, replaces_id, meeting_url"

/* A user (migration 7): login is the REMOTE_USER, owner_fm of the customers they own. */
#define USER_COLUMNS(COL, SQL) \
	COL(BOTH, INT, id) COL(BOTH, TEXT, login) COL(BOTH, TEXT, display_name) \
	COL(BOTH, TEXT, email) COL(BOTH, TEXT, role) COL(BOTH, TEXT, language) \
	COL(BOTH, TEXT, timezone) COL(BOTH, TEXT, meeting_url) COL(BOTH, BOOL, active) \
	COL(BOTH, TIME, created_at) COL(BOTH, TIME, updated_at)
#define USER_COLS "id, login, display_name, email, role, language, timezone, meeting_url, " \
	"active, created_at, updated_at"

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
/*
 * A statement's parameters as a table: p[i] is bound to ?i+1 by
 * store_bind_all, each bind checked as the single binds above are.  An
 * integer member of any width goes in .i (SQLite stores them alike).
 */
enum store_param_kind { STORE_P_INT, STORE_P_REAL, STORE_P_TEXT, STORE_P_NULL };
struct store_param {
	enum store_param_kind	 kind;
	int64_t			 i;
	double			 d;
	const char		*text;	/* NULL binds "" */
};
#define SP_INT(v)	{ .kind = STORE_P_INT, .i = (v) }
#define SP_REAL(v)	{ .kind = STORE_P_REAL, .d = (v) }
#define SP_TEXT(v)	{ .kind = STORE_P_TEXT, .text = (v) }
#define SP_NULL		{ .kind = STORE_P_NULL }
#define SP_COUNT(a)	(sizeof(a) / sizeof((a)[0]))
/* Bind p[0..n) to ?1..?n: 0, or -1 with the first failure kept on st (store_step refuses). */
int store_bind_all(struct store *st, sqlite3_stmt *s, const struct store_param *p, size_t n);
/* store_prep of sql with p[0..n) bound; NULL with r filled. */
sqlite3_stmt *store_prep_bind(struct store *st, const char *sql, const struct store_param *p,
    size_t n, struct result *r);
/* store_exec_done of sql with p[0..n) bound: every write that returns no rows. */
int store_run(struct store *st, const char *sql, const struct store_param *p, size_t n,
    struct result *r, const char *what);
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
/* store_one_row of sql with p[0..n) bound (store_prep_bind). */
int store_read_one(struct store *st, const char *sql, const struct store_param *p, size_t n,
    void (*row)(sqlite3_stmt *, void *), void *out, struct result *r, const char *what,
    const char *field, const char *fmt, ...) __attribute__((format(printf, 10, 11)));
/* Read the row with primary key id (parameter ?1 of sql) into out; NOTFOUND names the noun. */
int store_get_by_id(struct store *st, const char *sql, int64_t id, const char *noun,
    void (*row)(sqlite3_stmt *, void *), void *out, struct result *r);
/*
 * A row reader as a table: field i is filled from column i, as its kind
 * says, at its offset in the row's struct.  An integer member is an int or
 * 64 bits wide (its size tells); a text member is a fixed array (cut to fit,
 * as store_col_text) or, STORE_F_DUP, a char * malloc'd by store_col_dup.
 */
enum store_field_kind { STORE_F_INT, STORE_F_REAL, STORE_F_TEXT, STORE_F_DUP };
struct store_field {
	enum store_field_kind	 kind;
	size_t			 off;
	size_t			 size;
};
#define STORE_FIELD(k, type, member) { .kind = STORE_F_##k, .off = offsetof(type, member), \
	.size = sizeof(((type *)0)->member) }
#define STORE_NFIELDS(a)	(sizeof(a) / sizeof((a)[0]))
/* Zero out[size], then fill it from the current row of s as f[0..n) say. */
void store_read_fields(sqlite3_stmt *s, const struct store_field *f, size_t n, void *out,
    size_t size);
/*
 * Define name(s, p), the row reader of the callbacks above (store_one_row,
 * store_collect, ...), filling a type at p from its field table fields.
 */
#define STORE_ROW_READER(name, type, fields) \
	void name(sqlite3_stmt *s, void *p) \
	{ \
		store_read_fields(s, fields, STORE_NFIELDS(fields), p, sizeof(type)); \
	}
/*
 * A field table of a column list above: each reader wraps STORE_COL_FIELD
 * with its struct type, e.g. FOO_FIELD(w, k, m) STORE_COL_FIELD(struct foo,
 * w, k, m), and declares { FOO_COLUMNS(FOO_FIELD, STORE_SQL_NO_FIELD) }: its
 * BOTH and READ columns, in order, each member read as its JSON kind is stored.
 */
#define STORE_COL_FIELD(type, where, kind, m)	STORE_FIELD_##where(type, kind, m)
#define STORE_SQL_NO_FIELD(kind, key, expr)
#define STORE_FIELD_BOTH(type, kind, m)	STORE_FIELD_K_(STORE_KIND_##kind, type, m),
#define STORE_FIELD_READ(type, kind, m)	STORE_FIELD_K_(STORE_KIND_##kind, type, m),
#define STORE_FIELD_JSON(type, kind, m)
#define STORE_FIELD_K_(k, type, m)	STORE_FIELD(k, type, m)
#define STORE_KIND_INT	INT
#define STORE_KIND_BOOL	INT
#define STORE_KIND_TIME	INT
#define STORE_KIND_REAL	REAL
#define STORE_KIND_TEXT	TEXT

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

/* release() each of the n esz-byte rows of list, then free(list); NULL does nothing. */
void store_list_free(void *list, size_t n, size_t esz, void (*release)(void *));
/*
 * 0 when whole(row) holds for every row of a collected list; else each row
 * is release()d, the list freed (*list NULL, *n 0), RESULT_IO "out of memory".
 */
int store_list_whole(void **list, size_t *n, size_t esz, int (*whole)(const void *),
    void (*release)(void *), struct result *r, const char *what);

/* Row readers shared with facts.c: columns in CUSTOMER_COLS / SERVICE_COLS order. */
void store_customer_row(sqlite3_stmt *s, void *p);
void store_service_row(sqlite3_stmt *s, void *p);

#endif
