/*
 * stmt.c -- the statement helpers every store file uses (store_impl.h):
 * the prepared-statement cache, checked binds, column copies, error mapping.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_impl.h"

/* ---------------------------------------------------------------- errors */

/*
 * A parameter that could not be bound: a value too long for the database is
 * the caller's input (invalid); an index out of range or no memory is ours.
 */
static int
bind_fail(struct store *st, struct result *r, const char *what)
{
	int	 rc = st->bind_rc, i = st->bind_index;
	const char *sql = st->bind_sql ? st->bind_sql : "";

	st->bind_rc = SQLITE_OK;
	return result_set(r, rc == SQLITE_TOOBIG ? RESULT_INVALID : RESULT_IO, NULL,
	    "store: %s: cannot bind parameter %d of \"%.60s\": %s", what, i, sql,
	    sqlite3_errstr(rc));
}

int
store_fail(struct store *st, struct result *r, const char *what)
{
	int		 rc = sqlite3_extended_errcode(st->db);
	enum result_code code;

	if (st->bind_rc != SQLITE_OK)
		return bind_fail(st, r, what);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = RESULT_BUSY;
		break;
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			code = RESULT_CONFLICT;
		else if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			code = RESULT_NOTFOUND;
		else
			code = RESULT_INVALID;
		break;
	case SQLITE_FULL:
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		/* The storage refuses writes (full, read-only, failing): may pass, unlike a bug. */
		code = rc == SQLITE_IOERR_NOMEM ? RESULT_IO : RESULT_STORAGE;
		break;
	default:
		code = RESULT_IO;
		break;
	}
	return result_set(r, code, NULL, "store: %s: %s (%s)", what,
	    sqlite3_errmsg(st->db), st->path);
}

/* ---------------------------------------------------------------- statements */

/*
 * The prepared statement for sql, reset and unbound.  Call sites pass string
 * literals, so pointer identity finds the cached statement without hashing.
 */
sqlite3_stmt *
store_prep(struct store *st, const char *sql, struct result *r)
{
	sqlite3_stmt	*s;
	size_t		 i;

	st->bind_rc = SQLITE_OK;
	st->bind_index = 0;
	st->bind_sql = sql;
	for (i = 0; i < st->ncache; i++)
		if (st->cache[i].sql == sql) {
			s = st->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_fail(st, r, "prepare");
		return NULL;
	}
	if (st->ncache < STORE_CACHE_MAX) {
		st->cache[st->ncache].sql = sql;
		st->cache[st->ncache].stmt = s;
		st->ncache++;
	} else {
		/* Cannot happen with the statements below; keep working uncached. */
		sqlite3_finalize(s);
		result_set(r, RESULT_IO, NULL, "store: statement cache full");
		return NULL;
	}
	return s;
}

/*
 * Binds.  SQLite reports a failed bind (an index out of range, a text over
 * SQLITE_LIMIT_LENGTH, no memory) only in the bind's return code, and the
 * statement then runs with that parameter NULL: a value silently lost.  So
 * every bind goes through bind_check, which keeps the first failure of the
 * statement being built; store_step refuses to run it and store_fail reports
 * which parameter of which statement could not be bound.
 */
static int
bind_check(struct store *st, int rc, int i)
{
	if (rc != SQLITE_OK && st->bind_rc == SQLITE_OK) {
		st->bind_rc = rc;
		st->bind_index = i;
	}
	return rc == SQLITE_OK ? 0 : -1;
}

int
store_bind_text(struct store *st, sqlite3_stmt *s, int i, const char *v)
{
	return bind_check(st, sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT), i);
}

int
store_bind_int(struct store *st, sqlite3_stmt *s, int i, int v)
{
	return bind_check(st, sqlite3_bind_int(s, i, v), i);
}

int
store_bind_int64(struct store *st, sqlite3_stmt *s, int i, int64_t v)
{
	return bind_check(st, sqlite3_bind_int64(s, i, (sqlite3_int64)v), i);
}

int
store_bind_double(struct store *st, sqlite3_stmt *s, int i, double v)
{
	return bind_check(st, sqlite3_bind_double(s, i, v), i);
}

int
store_bind_null(struct store *st, sqlite3_stmt *s, int i)
{
	return bind_check(st, sqlite3_bind_null(s, i), i);
}

/*
 * A statement's parameters from one table: every bind of a write goes
 * through here or the single binds above, so none goes unchecked.
 */
int
store_bind_all(struct store *st, sqlite3_stmt *s, const struct store_param *p, size_t n)
{
	size_t	 k;
	int	 i, rc = 0;

	for (k = 0; k < n && k < INT_MAX; k++) {
		i = (int)k + 1;
		switch (p[k].kind) {
		case STORE_P_INT:
			rc |= store_bind_int64(st, s, i, p[k].i);
			break;
		case STORE_P_REAL:
			rc |= store_bind_double(st, s, i, p[k].d);
			break;
		case STORE_P_TEXT:
			rc |= store_bind_text(st, s, i, p[k].text);
			break;
		case STORE_P_NULL:
			rc |= store_bind_null(st, s, i);
			break;
		}
	}
	return rc != 0 ? -1 : 0;
}

sqlite3_stmt *
store_prep_bind(struct store *st, const char *sql, const struct store_param *p, size_t n,
    struct result *r)
{
	sqlite3_stmt *s;

	if ((s = store_prep(st, sql, r)) == NULL)
		return NULL;
	/* A failed bind is kept on st: the caller's step refuses and names it. */
	store_bind_all(st, s, p, n);
	return s;
}

int
store_run(struct store *st, const char *sql, const struct store_param *p, size_t n,
    struct result *r, const char *what)
{
	sqlite3_stmt *s;

	if ((s = store_prep_bind(st, sql, p, n, r)) == NULL)
		return -1;
	return store_exec_done(st, s, r, what);
}

int
store_step(struct store *st, sqlite3_stmt *s)
{
	/* A statement with a parameter that failed to bind must not run. */
	if (st->bind_rc != SQLITE_OK)
		return st->bind_rc;
	return sqlite3_step(s);
}

/*
 * The one row of a bound statement, handed to row(s, out): 0; -1 with
 * RESULT_NOTFOUND on field and the message fmt makes when there is none;
 * -1 with the store's error (what) otherwise.  Every single-row read ends so.
 */
static int
one_row_v(struct store *st, sqlite3_stmt *s, void (*row)(sqlite3_stmt *, void *), void *out,
    struct result *r, const char *what, const char *field, const char *fmt, va_list ap)
{
	char	 msg[sizeof(r->message)];
	int	 rc;

	rc = store_step(st, s);
	if (rc == SQLITE_ROW)
		row(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return store_fail(st, r, what);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	return result_set(r, RESULT_NOTFOUND, field, "%s", msg);
}

int
store_one_row(struct store *st, sqlite3_stmt *s, void (*row)(sqlite3_stmt *, void *), void *out,
    struct result *r, const char *what, const char *field, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = one_row_v(st, s, row, out, r, what, field, fmt, ap);
	va_end(ap);
	return rc;
}

/* store_one_row of sql with p[0..n) bound: every single-row read by a key. */
int
store_read_one(struct store *st, const char *sql, const struct store_param *p, size_t n,
    void (*row)(sqlite3_stmt *, void *), void *out, struct result *r, const char *what,
    const char *field, const char *fmt, ...)
{
	sqlite3_stmt	*s;
	va_list		 ap;
	int		 rc;

	if ((s = store_prep_bind(st, sql, p, n, r)) == NULL)
		return -1;
	va_start(ap, fmt);
	rc = one_row_v(st, s, row, out, r, what, field, fmt, ap);
	va_end(ap);
	return rc;
}

/*
 * The one row whose primary key is id: "no NOUN with id N" when there is
 * none, "read NOUN" on an error.  Every "get by id" reads this way.
 */
int
store_get_by_id(struct store *st, const char *sql, int64_t id, const char *noun,
    void (*row)(sqlite3_stmt *, void *), void *out, struct result *r)
{
	const struct store_param p[] = { SP_INT(id) };
	char what[64];

	snprintf(what, sizeof(what), "read %s", noun);
	return store_read_one(st, sql, p, SP_COUNT(p), row, out, r, what, "id",
	    "no %s with id %" PRId64, noun, id);
}

/* Copy a text column into a fixed field, cut to fit (the schema's CHECKs keep values short). */
void
store_col_text(sqlite3_stmt *s, int i, char *dst, size_t size)
{
	const unsigned char	*v = sqlite3_column_text(s, i);
	size_t			 n = v ? (size_t)sqlite3_column_bytes(s, i) : 0;

	if (n >= size) {
		/* Cut before a UTF-8 continuation byte so the result stays valid text. */
		n = size - 1;
		while (n > 0 && (v[n] & 0xc0) == 0x80)
			n--;
	}
	if (n > 0)
		memcpy(dst, v, n);
	dst[n] = '\0';
}

char *
store_col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);

	return strdup(v ? (const char *)v : "");
}

/* The integer widths a field may have: int, or int64_t and long long alike. */
_Static_assert(sizeof(long long) == sizeof(int64_t), "long long members read as int64_t");
_Static_assert(sizeof(int) != sizeof(int64_t), "an int field is told from a 64-bit one by size");

/*
 * Every struct read of the store: the table says where each column goes,
 * so a row reader is its table and no reader repeats this loop.
 */
void
store_read_fields(sqlite3_stmt *s, const struct store_field *f, size_t n, void *out, size_t size)
{
	char	*base = out, *dup;
	size_t	 k;
	int64_t	 v64;
	int	 v, i;
	double	 d;

	memset(out, 0, size);
	for (k = 0; k < n && k < INT_MAX; k++) {
		i = (int)k;
		switch (f[k].kind) {
		case STORE_F_INT:
			if (f[k].size == sizeof(int)) {
				v = sqlite3_column_int(s, i);
				memcpy(base + f[k].off, &v, sizeof(v));
			} else {
				v64 = sqlite3_column_int64(s, i);
				memcpy(base + f[k].off, &v64, sizeof(v64));
			}
			break;
		case STORE_F_REAL:
			d = sqlite3_column_double(s, i);
			memcpy(base + f[k].off, &d, sizeof(d));
			break;
		case STORE_F_TEXT:
			store_col_text(s, i, base + f[k].off, f[k].size);
			break;
		case STORE_F_DUP:
			dup = store_col_dup(s, i);	/* NULL when out of memory: the caller checks */
			memcpy(base + f[k].off, &dup, sizeof(dup));
			break;
		}
	}
}

/* Run a statement that returns no rows. */
int
store_exec_done(struct store *st, sqlite3_stmt *s, struct result *r, const char *what)
{
	int rc = store_step(st, s);

	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		store_fail(st, r, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

/*
 * store_exec_done, but a row refused by a UNIQUE constraint is the caller's
 * RESULT_CONFLICT on field, in the words fmt makes (a taken e-mail, domain).
 */
int
store_exec_unique(struct store *st, sqlite3_stmt *s, struct result *r, const char *what,
    const char *field, const char *fmt, ...)
{
	va_list	 ap;
	char	 msg[sizeof(r->message)];
	int	 rc = store_step(st, s);

	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	/* Read before the reset: the constraint's extended code is the statement's. */
	if (st->bind_rc != SQLITE_OK || sqlite3_extended_errcode(st->db) != SQLITE_CONSTRAINT_UNIQUE) {
		store_fail(st, r, what);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return result_set(r, RESULT_CONFLICT, field, "%s", msg);
}

/*
 * Step a bound statement to its end, handing each row to fn(s, arg, r):
 * 0; -1 as soon as fn returns -1 (r is fn's) or a step fails (the store's
 * error, what).  The statement is reset either way.  Every loop over rows
 * is this one.
 */
int
store_each(struct store *st, sqlite3_stmt *s, int (*fn)(sqlite3_stmt *, void *, struct result *),
    void *arg, struct result *r, const char *what)
{
	int rc;

	while ((rc = store_step(st, s)) == SQLITE_ROW)
		if (fn(s, arg, r) == -1) {
			sqlite3_reset(s);
			return -1;
		}
	if (rc != SQLITE_DONE)
		store_fail(st, r, what);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The growing array of store_collect. */
struct collect {
	char		*arr;
	size_t		 esz, cap, cnt;
	void		(*fn)(sqlite3_stmt *, void *);
	const char	*what;
};

static int
collect_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct collect	*c = arg;
	char		*p;

	if (c->cnt == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 8;
		if ((p = realloc(c->arr, c->cap * c->esz)) == NULL)
			return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", c->what);
		c->arr = p;
	}
	c->fn(s, c->arr + c->cnt * c->esz);
	c->cnt++;
	return 0;
}

/*
 * Collect rows of a stepped statement into a malloc'd array of elements of
 * size esz, filled by fn.  Used by every *_list call.
 */
int
store_collect(struct store *st, sqlite3_stmt *s, size_t esz, void (*fn)(sqlite3_stmt *, void *),
    void **list, size_t *n, struct result *r, const char *what)
{
	struct collect c = { .esz = esz, .fn = fn, .what = what };

	if (store_each(st, s, collect_row, &c, r, what) == -1) {
		free(c.arr);
		return -1;
	}
	*list = c.arr;
	*n = c.cnt;
	return 0;
}

/* The rows of sql (parameter ?1 is id, a customer's or a message's), collected as store_collect does. */
int
store_list_by_id(struct store *st, const char *sql, int64_t id, size_t esz,
    void (*fn)(sqlite3_stmt *, void *), void **list, size_t *n, struct result *r, const char *what)
{
	sqlite3_stmt *s;

	*list = NULL;
	*n = 0;
	if ((s = store_prep(st, sql, r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	return store_collect(st, s, esz, fn, list, n, r, what);
}

/* Every list of rows holding malloc'd members is released so: each row, then the array. */
void
store_list_free(void *list, size_t n, size_t esz, void (*release)(void *))
{
	char	*arr = list;
	size_t	 i;

	if (arr == NULL)
		return;
	for (i = 0; i < n; i++)
		release(arr + i * esz);
	free(arr);
}

/*
 * A list whose rows hold malloc'd copies (store_col_dup) is whole only when
 * every copy was made: otherwise every row is released, the list freed, and
 * "out of memory" reported.
 */
int
store_list_whole(void **list, size_t *n, size_t esz, int (*whole)(const void *),
    void (*release)(void *), struct result *r, const char *what)
{
	char	*arr = *list;
	size_t	 i;

	for (i = 0; i < *n; i++)
		if (!whole(arr + i * esz))
			break;
	if (i == *n)
		return 0;
	store_list_free(arr, *n, esz, release);
	*list = NULL;
	*n = 0;
	return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
}
