/*
 * json.c -- the reads behind the pages and the JSON API, as JSON text.
 * The shape of every object is declared once: an entity the store also reads
 * as a struct by its column list in store_impl.h (the same declaration makes
 * the struct's field table), the others below.  Each column says its JSON
 * kind: a column's name or storage type no longer decides what the API
 * shows, and a schema change cannot reach the API unless a list changes too.  json-c builds the text inside this
 * file only: no json-c type crosses store.h.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"
#include "store_impl.h"
#include "store_json.h"

/* What a column becomes in JSON.  A NULL column is null whatever its kind. */
enum json_kind {
	JK_INT,		/* integer */
	JK_REAL,	/* number with a fraction */
	JK_TEXT,	/* string, the column's bytes */
	JK_BOOL,	/* 0/1 -> false/true */
	JK_TIME,	/* Unix seconds -> "YYYY-MM-DDTHH:MM:SSZ"; null when 0 */
	JK_ARRAY,	/* JSON text parsed; [] when it is not JSON */
	JK_JSON,	/* JSON text parsed; the text as a string when it is not JSON */
};

struct json_col {
	const char	*column;	/* SQL expression, as selected */
	const char	*key;		/* JSON key */
	enum json_kind	 kind;
};

/*
 * One entity: its columns and the rest of its statement (FROM ... ORDER BY,
 * binding ?1.. as its caller says).  sql is built once from the two, so the
 * statement cache keys on a stable pointer.
 */
struct json_entity {
	const char		*key;		/* a list of the customer page: its key */
	const struct json_col	*cols;
	size_t			 ncols;
	const char		*from;
	char			 sql[2048];
};

#define COLS(t)	.cols = (t), .ncols = sizeof(t) / sizeof((t)[0])

/* ---------------------------------------------------------------- the API's shapes */

/*
 * A column of a list (store_impl.h) as the API shows it: p is the table's
 * alias ("o.") or "", the key is the column's name.  A READ column is not
 * shown; a SQL column is an expression under its own key.
 */
#define JSON_COL(where, jk, m)	JSON_COL_##where("", jk, m)
#define JSON_COL_BOTH(p, jk, m)	JSON_COL_AS(p, jk, m)
#define JSON_COL_JSON(p, jk, m)	JSON_COL_AS(p, jk, m)
#define JSON_COL_READ(p, jk, m)
#define JSON_COL_AS(p, jk, m)		{ .column = p #m, .key = #m, .kind = JK_##jk },
#define JSON_SQL(jk, k, expr)		{ .column = (expr), .key = (k), .kind = JK_##jk },
/* The shape of an entity with a column list: its BOTH, JSON and SQL columns, in order. */
#define JSON_COLS(list)			{ list(JSON_COL, JSON_SQL) }

/* An entity's shape from its column list (a compound literal, static at file scope). */
#define JSON_SHAPE(list)	.cols = (const struct json_col[])JSON_COLS(list), \
	.ncols = sizeof((const struct json_col[])JSON_COLS(list)) / sizeof(struct json_col)

static struct json_entity customer_entity = { JSON_SHAPE(CUSTOMER_COLUMNS),
	.from = " FROM customer WHERE id = ?1" };

/* The reads below fill no struct: their columns are listed here only. */
static const struct json_col usage_cols[] = {
	JSON_COL(JSON, TEXT, service) JSON_COL(JSON, TEXT, measured_on)
	JSON_COL(JSON, INT, active_users) JSON_COL(JSON, INT, eligible_users)
	JSON_COL(JSON, TEXT, source)
};

/*
 * A message's delivery as all three outbox shapes show it, in this order;
 * p is the table's alias ("o.") or "".
 */
#define OUTBOX_DELIVERY_COLS(p) \
	JSON_COL_AS(p, TEXT, state) JSON_COL_AS(p, INT, attempts) \
	JSON_COL_AS(p, TIME, next_attempt_at) JSON_COL_AS(p, TEXT, last_error) \
	JSON_COL_AS(p, TEXT, smtp_reply) JSON_COL_AS(p, TEXT, message_id) \
	JSON_COL_AS(p, TIME, created_at) JSON_COL_AS(p, TIME, sent_at)

/* The customer page's outbox: recipients stay JSON text here (the page shows them as sent). */
static const struct json_col customer_outbox_cols[] = {
	JSON_COL(JSON, INT, id) JSON_COL(JSON, TEXT, kind) JSON_COL(JSON, TEXT, recipients)
	OUTBOX_DELIVERY_COLS("")
};

static const struct json_col audit_cols[] = {
	JSON_COL(JSON, INT, id) JSON_COL(JSON, TIME, at) JSON_COL(JSON, TEXT, actor)
	JSON_COL(JSON, TEXT, action) JSON_COL(JSON, TEXT, entity) JSON_COL(JSON, INT, entity_id)
	JSON_COL(JSON, TEXT, details)
};

/* Each contact's latest answer to a series (occurs_on "") or to one occurrence (migration 10). */
static const struct json_col response_cols[] = {
	JSON_COL_AS("a.", INT, meeting_id) JSON_COL_AS("a.", INT, contact_id)
	JSON_SQL(TEXT, "name", "k.name") JSON_SQL(TEXT, "email", "k.email")
	JSON_COL_AS("a.", TEXT, partstat) JSON_COL_AS("a.", TEXT, occurs_on)
	JSON_COL_AS("a.", INT, sequence) JSON_COL_AS("a.", TIME, updated_at)
};

/* A new time a contact proposed (iTIP COUNTER), for the FM to accept or decline. */
static const struct json_col proposal_cols[] = {
	JSON_COL_AS("x.", INT, id) JSON_COL_AS("x.", INT, meeting_id)
	JSON_COL_AS("x.", INT, contact_id) JSON_SQL(TEXT, "name", "coalesce(k.name, '')")
	JSON_SQL(TEXT, "email", "x.attendee") JSON_COL_AS("x.", TEXT, occurs_on)
	JSON_SQL(TIME, "proposed_start_at", "x.proposed_start")
	JSON_SQL(TIME, "proposed_end_at", "x.proposed_end")
	JSON_SQL(INT, "proposed_start", "x.proposed_start")
	JSON_SQL(TEXT, "timezone", "(SELECT timezone FROM meeting WHERE id = x.meeting_id)")
	JSON_COL_AS("x.", TIME, received_at)
};

/*
 * The lists of the customer page, in the order it shows them: its rows of
 * each (?1 the customer) under key.
 */
static struct json_entity customer_lists[] = {
	{ .key = "services", JSON_SHAPE(SERVICE_COLUMNS),
	  .from = " FROM customer_service WHERE customer_id = ?1 ORDER BY id" },
	{ .key = "contacts", JSON_SHAPE(CONTACT_COLUMNS),
	  .from = " FROM contact WHERE customer_id = ?1 ORDER BY id" },
	{ .key = "tasks", JSON_SHAPE(TASK_COLUMNS),
	  .from = " FROM task WHERE customer_id = ?1 ORDER BY ftop_id" },
	{ .key = "checkins", JSON_SHAPE(CHECKIN_COLUMNS),
	  .from = " FROM checkin WHERE customer_id = ?1 ORDER BY held_on DESC, id DESC" },
	{ .key = "meetings", JSON_SHAPE(MEETING_COLUMNS),
	  .from = " FROM meeting WHERE customer_id = ?1 ORDER BY status = 'cancelled', id DESC" },
	{ .key = "blockers", JSON_SHAPE(BLOCKER_COLUMNS),
	  .from = " FROM blocker WHERE customer_id = ?1"
	      " ORDER BY resolved_on != '', opened_on DESC, id DESC" },
	{ .key = "usage", COLS(usage_cols),
	  .from = " FROM usage_sample WHERE customer_id = ?1 ORDER BY service, measured_on" },
	{ .key = "outbox", COLS(customer_outbox_cols),
	  .from = " FROM outbox WHERE customer_id = ?1 ORDER BY id DESC LIMIT 100" },
	{ .key = "audit", COLS(audit_cols),
	  .from = " FROM audit WHERE customer_id = ?1 ORDER BY id DESC LIMIT 200" },
	{ .key = "responses", COLS(response_cols),
	  .from = " FROM attendee_response a JOIN meeting m ON m.id = a.meeting_id"
	      " JOIN contact k ON k.id = a.contact_id WHERE m.customer_id = ?1"
	      " ORDER BY a.meeting_id DESC, a.occurs_on, k.name, k.id" },
	{ .key = "proposals", COLS(proposal_cols),
	  .from = " FROM reply_message x LEFT JOIN contact k ON k.id = x.contact_id"
	      " WHERE x.customer_id = ?1 AND x.outcome = 'proposal' ORDER BY x.id DESC LIMIT 50" },
};

/* Each recipient's outcome as JSON text, in the order they were first tried. */
#define OUTBOX_RCPT_JSON "(SELECT json_group_array(json_object('email', x.email," \
	" 'state', x.state, 'attempts', x.attempts, 'reply', x.reply))" \
	" FROM (SELECT * FROM outbox_rcpt WHERE outbox_id = o.id ORDER BY rowid) x)"

/* The outbox pages (list and detail) begin with the message, its customer and its kind. */
#define OUTBOX_PAGE_HEAD_COLS \
	JSON_COL_AS("o.", INT, id) JSON_COL_AS("o.", INT, customer_id) \
	JSON_SQL(TEXT, "customer_name", "c.name") JSON_COL_AS("o.", TEXT, kind)
#define OUTBOX_PAGE_FROM " FROM outbox o JOIN customer c ON c.id = o.customer_id"

/* The outbox page's list: recipients and their states stay JSON text. */
static const struct json_col outbox_list_cols[] = {
	OUTBOX_PAGE_HEAD_COLS
	JSON_COL_AS("o.", TEXT, recipients)
	OUTBOX_DELIVERY_COLS("o.")
	JSON_COL_AS("o.", TIME, updated_at)
	JSON_SQL(TEXT, "recipient_states", OUTBOX_RCPT_JSON)
};
static struct json_entity outbox_list_entity = { COLS(outbox_list_cols),
	.from = OUTBOX_PAGE_FROM " WHERE (?1 = 0 OR o.customer_id = ?1) AND (?2 = '' OR o.state = ?2)"
	    " ORDER BY o.id DESC LIMIT ?3 OFFSET ?4" };

/* One outbox row for its detail page: payload and recipients parsed. */
static const struct json_col outbox_row_cols[] = {
	OUTBOX_PAGE_HEAD_COLS
	JSON_COL_AS("o.", TEXT, dedupe_key)
	JSON_COL_AS("o.", JSON, payload)
	JSON_COL_AS("o.", JSON, recipients)
	OUTBOX_DELIVERY_COLS("o.")
	JSON_COL_AS("o.", TIME, updated_at)
	JSON_SQL(JSON, "recipient_states", OUTBOX_RCPT_JSON)
};
static struct json_entity outbox_row_entity = { COLS(outbox_row_cols),
	.from = OUTBOX_PAGE_FROM " WHERE o.id = ?1" };

/* The replies kept but not applied, for the Unmatched replies page (migration 10). */
static const struct json_col unmatched_cols[] = {
	JSON_COL_AS("x.", INT, id) JSON_COL_AS("x.", TIME, received_at)
	JSON_SQL(TEXT, "from", "x.from_addr") JSON_COL_AS("x.", TEXT, subject)
	JSON_COL_AS("x.", TEXT, kind) JSON_COL_AS("x.", TEXT, outcome)
	JSON_COL_AS("x.", TEXT, reason) JSON_COL_AS("x.", TEXT, detail)
	JSON_COL_AS("x.", TEXT, uid) JSON_COL_AS("x.", TEXT, attendee)
	JSON_COL_AS("x.", INT, customer_id) JSON_SQL(TEXT, "customer_name", "c.name")
};
#define UNMATCHED_WHERE " WHERE x.outcome IN ('unmatched', 'stale')"
static struct json_entity unmatched_entity = { COLS(unmatched_cols),
	.from = " FROM reply_message x LEFT JOIN customer c ON c.id = x.customer_id"
	    UNMATCHED_WHERE " ORDER BY x.id DESC LIMIT ?1 OFFSET ?2" };

/* ---------------------------------------------------------------- rows to JSON */

/* The entity's statement, prepared and unbound; its text is built on first use. */
static sqlite3_stmt *
entity_prep(struct store *st, struct json_entity *e, struct result *r)
{
	size_t	 i, len = 0;
	int	 n;

	if (e->sql[0] == '\0') {
		n = snprintf(e->sql, sizeof(e->sql), "SELECT ");
		for (i = 0; n >= 0 && (size_t)n < sizeof(e->sql) && i < e->ncols; i++) {
			len = (size_t)n;
			n = snprintf(e->sql + len, sizeof(e->sql) - len, "%s%s", i ? ", " : "",
			    e->cols[i].column);
			n = n < 0 ? n : n + (int)len;
		}
		len = n < 0 ? sizeof(e->sql) : (size_t)n;
		if (len < sizeof(e->sql))
			n = snprintf(e->sql + len, sizeof(e->sql) - len, "%s", e->from);
		if (n < 0 || (size_t)n >= sizeof(e->sql)) {
			e->sql[0] = '\0';
			result_set(r, RESULT_IO, NULL, "store: a JSON read's statement is longer than %zu bytes",
			    sizeof(e->sql));
			return NULL;
		}
	}
	return store_prep(st, e->sql, r);
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

/* Column i as its kind says; NULL for JSON null (json_object_object_add takes it). */
static json_object *
col_json(sqlite3_stmt *s, int i, enum json_kind kind)
{
	const char	*text;
	json_object	*v;
	char		 iso[32];

	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		return NULL;
	switch (kind) {
	case JK_INT:
		return json_object_new_int64(sqlite3_column_int64(s, i));
	case JK_REAL:
		return json_object_new_double(sqlite3_column_double(s, i));
	case JK_BOOL:
		return json_object_new_boolean(sqlite3_column_int(s, i) != 0);
	case JK_TIME:
		iso_utc(sqlite3_column_int64(s, i), iso, sizeof(iso));
		return iso[0] ? json_object_new_string(iso) : NULL;
	case JK_ARRAY:
	case JK_JSON:
		text = (const char *)sqlite3_column_text(s, i);
		if (text != NULL && (v = json_tokener_parse(text)) != NULL)
			return v;
		if (kind == JK_ARRAY)
			return json_object_new_array();
		break;
	case JK_TEXT:
		break;
	}
	return json_object_new_string_len((const char *)sqlite3_column_text(s, i),
	    sqlite3_column_bytes(s, i));
}

/* The current row as the entity's object. */
static json_object *
row_json(const struct json_entity *e, sqlite3_stmt *s)
{
	json_object	*o;
	size_t		 i;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (i = 0; i < e->ncols; i++)
		if (json_object_object_add(o, e->cols[i].key, col_json(s, (int)i, e->cols[i].kind)) != 0) {
			json_object_put(o);
			return NULL;
		}
	return o;
}

/* The array rows_json fills. */
struct json_rows {
	const struct json_entity	*e;
	json_object			*arr;
	const char			*what;
};

static int
json_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct json_rows	*a = arg;
	json_object		*o;

	if ((o = row_json(a->e, s)) == NULL || json_object_array_add(a->arr, o) != 0) {
		json_object_put(o);
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", a->what);
	}
	return 0;
}

/* Every row of a bound statement of e as a JSON array. */
static int
rows_json(struct store *st, const struct json_entity *e, sqlite3_stmt *s, json_object **out,
    struct result *r, const char *what)
{
	struct json_rows a = { .e = e, .what = what };

	*out = NULL;
	if ((a.arr = json_object_new_array()) == NULL) {
		sqlite3_reset(s);
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
	}
	if (store_each(st, s, json_row, &a, r, what) == -1) {
		json_object_put(a.arr);
		return -1;
	}
	*out = a.arr;
	return 0;
}

/* The one row of e whose ?1 is id; RESULT_NOTFOUND names the noun and the missing id. */
static int
one_json(struct store *st, struct json_entity *e, int64_t id, const char *noun,
    const char *what, json_object **out, struct result *r)
{
	sqlite3_stmt	*s;
	json_object	*o = NULL;
	int		 rc;

	*out = NULL;
	if ((s = entity_prep(st, e, r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, id);
	rc = store_step(st, s);
	if (rc == SQLITE_ROW)
		o = row_json(e, s);
	else if (rc != SQLITE_DONE)
		store_fail(st, r, what);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return result_set(r, RESULT_NOTFOUND, "id", "no %s with id %" PRId64, noun, id);
	if (rc != SQLITE_ROW)
		return -1;
	if (o == NULL)
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
	*out = o;
	return 0;
}

/* A customer's rows of e, attached to obj under e->key. */
static int
attach_list(struct store *st, json_object *obj, struct json_entity *e, int64_t customer_id,
    struct result *r)
{
	const char	*key = e->key;
	sqlite3_stmt	*s;
	json_object	*arr;

	if ((s = entity_prep(st, e, r)) == NULL)
		return -1;
	store_bind_int64(st, s, 1, customer_id);
	if (rows_json(st, e, s, &arr, r, key) == -1)
		return -1;
	if (json_object_object_add(obj, key, arr) != 0) {
		json_object_put(arr);
		return result_set(r, RESULT_IO, NULL, "store: %s: out of memory", key);
	}
	return 0;
}

/* Append o's text to out and release o (NULL o: out of memory). */
static int
emit_json(json_object *o, struct buf *out, struct result *r, const char *what)
{
	const char	*text = NULL;
	int		 rc = 0;

	if (o != NULL)
		text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (text == NULL || buf_puts(out, text) == -1)
		rc = result_set(r, RESULT_IO, NULL, "store: %s: out of memory", what);
	json_object_put(o);
	return rc;
}

/* ---------------------------------------------------------------- the reads */

int
store_customer_object(struct store *st, int64_t id, json_object **out, struct result *r)
{
	json_object	*c;
	size_t		 i;

	*out = NULL;
	if (one_json(st, &customer_entity, id, "customer", "read customer", &c, r) == -1)
		return -1;
	for (i = 0; i < sizeof(customer_lists) / sizeof(customer_lists[0]); i++)
		if (attach_list(st, c, &customer_lists[i], id, r) == -1) {
			json_object_put(c);
			return -1;
		}
	*out = c;
	return 0;
}

int
store_customer_json(struct store *st, int64_t id, struct buf *out, struct result *r)
{
	json_object *c;

	if (store_customer_object(st, id, &c, r) == -1)
		return -1;
	return emit_json(c, out, r, "read customer");
}

/* A count's one row. */
static void
count_row(sqlite3_stmt *s, void *p)
{
	long long *n = p;

	*n = sqlite3_column_int64(s, 0);
}

int
store_outbox_object(struct store *st, int64_t customer_id, const char *state, int limit,
    int offset, json_object **out, long long *total, struct result *r)
{
	/* ?1 and ?2 filter both statements; ?3 and ?4 page the list. */
	const struct store_param p[] = { SP_INT(customer_id), SP_TEXT(state),
	    SP_INT(limit > 0 ? limit : 50), SP_INT(offset > 0 ? offset : 0) };
	sqlite3_stmt	*s;

	*out = NULL;
	/* An aggregate always has its row: no row is a failure, not "none". */
	if (store_read_one(st, "SELECT count(*) FROM outbox WHERE (?1 = 0 OR customer_id = ?1)"
	    " AND (?2 = '' OR state = ?2)", p, 2, count_row, total, r, "count outbox", NULL,
	    "store: count outbox: no row") == -1)
		return -1;

	if ((s = entity_prep(st, &outbox_list_entity, r)) == NULL)
		return -1;
	store_bind_all(st, s, p, SP_COUNT(p));
	return rows_json(st, &outbox_list_entity, s, out, r, "list outbox");
}

int
store_outbox_json(struct store *st, int64_t customer_id, const char *state, int limit,
    int offset, struct buf *out, long long *total, struct result *r)
{
	json_object *arr;

	if (store_outbox_object(st, customer_id, state, limit, offset, &arr, total, r) == -1)
		return -1;
	return emit_json(arr, out, r, "list outbox");
}

int
store_outbox_row_object(struct store *st, int64_t id, json_object **out, struct result *r)
{
	return one_json(st, &outbox_row_entity, id, "outbox message", "read outbox row", out, r);
}

int
store_outbox_row_json(struct store *st, int64_t id, struct buf *out, struct result *r)
{
	json_object *o;

	if (store_outbox_row_object(st, id, &o, r) == -1)
		return -1;
	return emit_json(o, out, r, "read outbox row");
}

int
store_replies_unmatched_object(struct store *st, int limit, int offset, json_object **out,
    long long *total, struct result *r)
{
	const struct store_param p[] = { SP_INT(limit > 0 ? limit : 50),
	    SP_INT(offset > 0 ? offset : 0) };
	sqlite3_stmt	*s;

	*out = NULL;
	if (store_read_one(st, "SELECT count(*) FROM reply_message x" UNMATCHED_WHERE, NULL, 0,
	    count_row, total, r, "count unmatched replies", NULL,
	    "store: count unmatched replies: no row") == -1)
		return -1;
	if ((s = entity_prep(st, &unmatched_entity, r)) == NULL)
		return -1;
	store_bind_all(st, s, p, SP_COUNT(p));
	return rows_json(st, &unmatched_entity, s, out, r, "list unmatched replies");
}

int
store_replies_unmatched_json(struct store *st, int limit, int offset, struct buf *out,
    long long *total, struct result *r)
{
	json_object *arr;

	if (store_replies_unmatched_object(st, limit, offset, &arr, total, r) == -1)
		return -1;
	return emit_json(arr, out, r, "list unmatched replies");
}
