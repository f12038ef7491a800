/*
 * facts.c -- what the readiness rules need about customers, loaded for a
 * filtered list, a set of ids or one customer in a fixed number of queries.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "store_impl.h"
#include "text.h"

/* ---------------------------------------------------------------- facts */

static void
facts_release(void *p)
{
	store_facts_clear(p);
}

void
store_facts_free(struct store_facts *list, size_t n)
{
	store_list_free(list, n, sizeof(*list), facts_release);
}

/* Customer id -> position in the name-ordered list: (id, position) pairs sorted by id. */
struct facts_index {
	int64_t	*ids;
	size_t	 n;
};

static int
cmp_id_pos(const void *a, const void *b)
{
	const int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static struct store_facts *
facts_find(struct store_facts *list, const struct facts_index *ix, int64_t id)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ix->ids[mid * 2] == id)
			return &list[(size_t)ix->ids[mid * 2 + 1]];
		if (ix->ids[mid * 2] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int
grow(void **arr, size_t *n, size_t esz)
{
	void *p;

	/* Growth by doubling at powers of two keeps appends amortised O(1). */
	if (*n != 0 && (*n & (*n - 1)) != 0) {
		(*n)++;
		return 0;
	}
	if ((p = realloc(*arr, (*n ? *n * 2 : 1) * esz)) == NULL)
		return -1;
	*arr = p;
	(*n)++;
	return 0;
}

/*
 * Every facts query exists twice, for a filtered list and for one customer:
 * a "(?1 = 0 OR c.id = ?1)" in one statement cannot use the primary key, so
 * one customer's page would scan the whole database.  The list variant binds
 * ?2 = q ('' = any), ?3 = phase, ?4 = owner_fm, ?6 = 1 to keep archived customers
 * (issue 13: archived ones leave the portfolio); the one-customer variant ?1 =
 * id.  Both variants of a query select the same columns.
 */
#define FACTS_WHERE_LIST \
	" (?2 = '' OR instr(c.search_key, ?2) > 0)" \
	" AND (?3 = '' OR c.phase = ?3) AND (?4 = '' OR c.owner_fm = ?4)" \
	" AND (?6 = 1 OR c.archived_at = 0)"
#define FACTS_WHERE_ONE " c.id = ?1"
#define FACTS_WHERE_IDS " c.id IN (SELECT value FROM json_each(?5))"
#define FACTS_SQL(head, tail) \
	{ head FACTS_WHERE_LIST tail, head FACTS_WHERE_ONE tail, head FACTS_WHERE_IDS tail }

/* The prepared variant of sql[] for this load, bound: one id, a JSON id list, or the filter. */
static sqlite3_stmt *
facts_prep(struct store *st, const char *const sql[3], int64_t id, const char *ids,
    const struct store_facts_filter *f, struct result *r)
{
	sqlite3_stmt	*s;
	char		 q[STORE_SEARCH_KEY_MAX];

	if ((s = store_prep(st, sql[ids != NULL ? 2 : id > 0], r)) == NULL)
		return NULL;
	if (ids != NULL)
		store_bind_text(st, s, 5, ids);
	else if (id > 0)
		store_bind_int64(st, s, 1, id);
	else {
		/* search_key is folded (migration 7): fold the query the same way. */
		(void)text_fold(f && f->q ? f->q : "", q, sizeof(q));
		store_bind_text(st, s, 2, q);
		store_bind_text(st, s, 3, f && f->phase ? f->phase : "");
		store_bind_text(st, s, 4, f && f->owner_fm ? f->owner_fm : "");
		store_bind_int64(st, s, 6, f && f->with_archived ? 1 : 0);
	}
	return s;
}

/* Customers and services in the columns their row readers take (store_impl.h). */
static const char *const facts_customers_sql[3] = FACTS_SQL(
    "SELECT " CUSTOMER_COLS_AS("c.") " FROM customer c WHERE",
    " ORDER BY c.name COLLATE NOCASE, c.id");
static const char *const facts_services_sql[3] = FACTS_SQL(
    "SELECT " SERVICE_COLS_AS("s.") " FROM customer_service s JOIN customer c"
    " ON c.id = s.customer_id WHERE", " ORDER BY s.id");
static const char *const facts_tasks_sql[3] = FACTS_SQL(
    "SELECT t.customer_id, t.ftop_id FROM task t JOIN customer c"
    " ON c.id = t.customer_id WHERE t.status = 'open' AND t.required = 1 AND", " ORDER BY t.ftop_id");
static const char *const facts_blockers_sql[3] = FACTS_SQL(
    "SELECT b.customer_id, b.id, b.opened_on, b.service, b.description"
    " FROM blocker b JOIN customer c ON c.id = b.customer_id"
    " WHERE b.resolved_on = '' AND", " ORDER BY b.opened_on, b.id");
/* A series of c that runs on: scheduled, not ended by a split (migration 7). */
#define FACTS_ACTIVE_SERIES "m.customer_id = c.id AND m.status = 'scheduled' AND m.until_on = ''"
static const char *const facts_checkins_sql[3] = FACTS_SQL(
    "SELECT c.id,"
    " (SELECT max(held_on) FROM checkin k WHERE k.customer_id = c.id),"
    " (SELECT count(*) FROM meeting m WHERE " FACTS_ACTIVE_SERIES "),"
    " (SELECT every_weeks FROM meeting m WHERE " FACTS_ACTIVE_SERIES
    "   ORDER BY every_weeks, id LIMIT 1),"
    " (SELECT starts_at FROM meeting m WHERE " FACTS_ACTIVE_SERIES
    "   ORDER BY every_weeks, id LIMIT 1),"
    " (SELECT group_concat(occurs_on) FROM (SELECT e.occurs_on FROM meeting_exception e"
    "   WHERE e.moved_to = '' AND e.meeting_id = (SELECT id FROM meeting m WHERE "
    FACTS_ACTIVE_SERIES " ORDER BY every_weeks, id LIMIT 1) ORDER BY e.occurs_on)),"
    /* "contact,occurs_on,a;...": the answers to that series (migration 10). */
    " (SELECT group_concat(x.contact_id || ',' || x.occurs_on || ',' || substr(x.partstat, 1, 1),"
    "   ';') FROM (SELECT a.contact_id, a.occurs_on, a.partstat FROM attendee_response a"
    "   WHERE a.meeting_id = (SELECT id FROM meeting m WHERE " FACTS_ACTIVE_SERIES
    "   ORDER BY every_weeks, id LIMIT 1) ORDER BY a.contact_id, a.occurs_on LIMIT 32) x)"
    " FROM customer c WHERE", "");

/* What one query of a load is bound to: one id, a JSON id list, or the filter. */
struct facts_query {
	int64_t				 id;
	const char			*ids;
	const struct store_facts_filter	*filter;
};

/* Row handlers of the per-customer queries: -1 when out of memory. */
static int
facts_add_service(sqlite3_stmt *s, struct store_facts *x)
{
	if (grow((void **)&x->services, &x->n_services, sizeof(*x->services)) == -1)
		return -1;
	store_service_row(s, &x->services[x->n_services - 1]);
	return 0;
}

static int
facts_add_task(sqlite3_stmt *s, struct store_facts *x)
{
	if (grow((void **)&x->open_required, &x->n_open_required, sizeof(*x->open_required)) == -1)
		return -1;
	x->open_required[x->n_open_required - 1] = sqlite3_column_int(s, 1);
	return 0;
}

static int
facts_add_blocker(sqlite3_stmt *s, struct store_facts *x)
{
	struct store_blocker_fact *b;

	if (grow((void **)&x->open_blockers, &x->n_open_blockers, sizeof(*x->open_blockers)) == -1)
		return -1;
	b = &x->open_blockers[x->n_open_blockers - 1];
	memset(b, 0, sizeof(*b));
	b->id = sqlite3_column_int64(s, 1);
	store_col_text(s, 2, b->opened_on, sizeof(b->opened_on));
	store_col_text(s, 3, b->service, sizeof(b->service));
	store_col_text(s, 4, b->description, sizeof(b->description));
	return 0;
}

/* Column col, "YYYY-MM-DD,YYYY-MM-DD,...", as the series' skipped days. */
static void
facts_skipped(sqlite3_stmt *s, int col, struct store_facts *x)
{
	const char	*t = (const char *)sqlite3_column_text(s, col);

	x->n_series_skipped = 0;
	while (t != NULL && strlen(t) >= 10 && x->n_series_skipped < STORE_MEETING_EXCEPTIONS_MAX) {
		memcpy(x->series_skipped[x->n_series_skipped], t, 10);
		x->series_skipped[x->n_series_skipped++][10] = '\0';
		t = t[10] == ',' ? t + 11 : NULL;
	}
}

/* Column col, "contact,occurs_on,a;...", as the series' answers (a malformed item ends the list). */
static void
facts_answers(sqlite3_stmt *s, int col, struct store_facts *x)
{
	const char	*t = (const char *)sqlite3_column_text(s, col);
	char		*end;

	x->n_series_answers = 0;
	while (t != NULL && *t != '\0' && x->n_series_answers < STORE_SERIES_ANSWERS_MAX) {
		struct store_answer_fact *a = &x->series_answers[x->n_series_answers];
		long long id = strtoll(t, &end, 10);
		size_t n;

		if (end == t || *end != ',')
			return;
		t = end + 1;
		n = strcspn(t, ",");
		if ((n != 0 && n != 10) || t[n] != ',' || t[n + 1] == '\0')
			return;
		a->contact_id = (int64_t)id;
		memcpy(a->occurs_on, t, n);
		a->occurs_on[n] = '\0';
		a->answer = t[n + 1];
		x->n_series_answers++;
		t = strchr(t + n + 1, ';');
		t = t != NULL ? t + 1 : NULL;
	}
}

static int
facts_set_checkins(sqlite3_stmt *s, struct store_facts *x)
{
	store_col_text(s, 1, x->last_checkin, sizeof(x->last_checkin));
	x->n_active_series = sqlite3_column_int(s, 2);
	x->series_every_weeks = sqlite3_column_int(s, 3);
	store_col_text(s, 4, x->series_starts_at, sizeof(x->series_starts_at));
	facts_skipped(s, 5, x);
	facts_answers(s, 6, x);
	return 0;
}

/* A row of a per-customer query on its way to its customer's facts. */
struct facts_row {
	struct store_facts		*list;
	const struct facts_index	*ix;
	int				 idcol;
	int				(*fn)(sqlite3_stmt *, struct store_facts *);
};

static int
facts_row(sqlite3_stmt *s, void *arg, struct result *r)
{
	struct facts_row	*a = arg;
	struct store_facts	*x;

	if ((x = facts_find(a->list, a->ix, sqlite3_column_int64(s, a->idcol))) == NULL)
		return 0;
	if (a->fn(s, x) == -1)
		return result_set(r, RESULT_IO, NULL, "store: facts: out of memory");
	return 0;
}

/*
 * Run one per-customer query of a load and hand each row to fn with its
 * customer's facts (the customer id is column idcol; rows of customers not in
 * the list are skipped).
 */
static int
facts_each(struct store *st, const char *const sql[3], const struct facts_query *q,
    struct store_facts *list, const struct facts_index *ix, int idcol,
    int (*fn)(sqlite3_stmt *, struct store_facts *), const char *what, struct result *r)
{
	struct facts_row	 a = { .list = list, .ix = ix, .idcol = idcol, .fn = fn };
	sqlite3_stmt		*s;

	if ((s = facts_prep(st, sql, q->id, q->ids, q->filter, r)) == NULL)
		return -1;
	return store_each(st, s, facts_row, &a, r, what);
}

static void
facts_customer_row(sqlite3_stmt *s, void *p)
{
	struct store_facts *x = p;

	memset(x, 0, sizeof(*x));
	store_customer_row(s, &x->customer);
}

/* The customers of a load, in name order: *list malloc'd. */
static int
facts_customers(struct store *st, const struct facts_query *q, struct store_facts **out,
    size_t *nout, struct result *r)
{
	sqlite3_stmt *s;

	if ((s = facts_prep(st, facts_customers_sql, q->id, q->ids, q->filter, r)) == NULL)
		return -1;
	return store_collect(st, s, sizeof(**out), facts_customer_row, (void **)out, nout, r,
	    "list customers");
}

static int
facts_load(struct store *st, int64_t id, const char *ids, const struct store_facts_filter *f,
    struct store_facts **out, size_t *nout, struct result *r)
{
	const struct facts_query q = { .id = id, .ids = ids, .filter = f };
	struct store_facts	*list = NULL;
	struct facts_index	 ix = { NULL, 0 };
	size_t			 n = 0, i;

	*out = NULL;
	*nout = 0;
	if (facts_customers(st, &q, &list, &n, r) == -1)
		return -1;
	if (n == 0)
		goto done;

	/* id -> position, sorted, for the joins below (pairs of int64). */
	if ((ix.ids = malloc(n * 2 * sizeof(int64_t))) == NULL) {
		result_set(r, RESULT_IO, NULL, "store: facts: out of memory");
		goto err;
	}
	for (i = 0; i < n; i++) {
		ix.ids[i * 2] = list[i].customer.id;
		ix.ids[i * 2 + 1] = (int64_t)i;
	}
	qsort(ix.ids, n, 2 * sizeof(int64_t), cmp_id_pos);
	ix.n = n;

	if (facts_each(st, facts_services_sql, &q, list, &ix, 1, facts_add_service,
	    "list services", r) == -1 ||
	    facts_each(st, facts_tasks_sql, &q, list, &ix, 0, facts_add_task,
	    "list open tasks", r) == -1 ||
	    facts_each(st, facts_blockers_sql, &q, list, &ix, 0, facts_add_blocker,
	    "list open blockers", r) == -1 ||
	    facts_each(st, facts_checkins_sql, &q, list, &ix, 0, facts_set_checkins,
	    "read check-in facts", r) == -1)
		goto err;
done:
	free(ix.ids);
	*out = list;
	*nout = n;
	return 0;
err:
	free(ix.ids);
	store_facts_free(list, n);
	return -1;
}

int
store_facts_list(struct store *st, const struct store_facts_filter *f,
    struct store_facts **list, size_t *n, struct result *r)
{
	return facts_load(st, 0, NULL, f, list, n, r);
}

int
store_facts_get(struct store *st, int64_t id, struct store_facts *out, struct result *r)
{
	struct store_facts	*list;
	size_t			 n;

	if (id <= 0)
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	if (facts_load(st, id, NULL, NULL, &list, &n, r) == -1)
		return -1;
	if (n == 0) {
		store_facts_free(list, n);
		return result_set(r, RESULT_NOTFOUND, "id", "no customer with id %" PRId64, id);
	}
	*out = list[0];
	free(list);	/* the members now belong to *out (store_facts_clear) */
	return 0;
}

int
store_facts_list_ids(struct store *st, const int64_t *ids, size_t n, struct store_facts **list,
    size_t *nout, struct result *r)
{
	struct buf	 b;
	size_t		 i;
	int		 rc;

	*list = NULL;
	*nout = 0;
	if (n == 0)
		return 0;
	buf_init(&b);
	buf_putc(&b, '[');
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%" PRId64, i ? "," : "", ids[i]);
	buf_putc(&b, ']');
	if (b.failed) {
		buf_free(&b);
		return result_set(r, RESULT_IO, NULL, "store: facts by id: out of memory");
	}
	rc = facts_load(st, 0, buf_cstr(&b), NULL, list, nout, r);
	buf_free(&b);
	return rc;
}

void
store_facts_clear(struct store_facts *f)
{
	if (f == NULL)
		return;
	free(f->services);
	free(f->open_required);
	free(f->open_blockers);
	f->services = NULL;
	f->open_required = NULL;
	f->open_blockers = NULL;
	f->n_services = f->n_open_required = f->n_open_blockers = 0;
}


/* ---------------------------------------------------------------- owners */

static void
fm_row(sqlite3_stmt *s, void *p)
{
	struct store_fm *fm = p;

	store_col_text(s, 0, fm->owner_fm, sizeof(fm->owner_fm));
}

int
store_fm_list(struct store *st, struct store_fm **list, size_t *n, struct result *r)
{
	sqlite3_stmt	*s;
	void		*v = NULL;

	*list = NULL;
	*n = 0;
	if ((s = store_prep(st, "SELECT DISTINCT owner_fm FROM customer ORDER BY owner_fm", r)) == NULL)
		return -1;
	if (store_collect(st, s, sizeof(**list), fm_row, &v, n, r, "list FMs") == -1)
		return -1;
	*list = v;
	return 0;
}
