/* views.c -- the portfolio and the customer page as view objects for the templates and the JSON API. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "ical.h"
#include "playbook.h"
#include "present.h"
#include "rules_impl.h"
#include "store_json.h"
#include "text.h"


/* ---------------------------------------------------------------- views */

static json_object *
reasons_json(const struct playbook_reason *arr, size_t n)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "code", rules_jstr(arr[i].code));
		json_object_object_add(o, "text", rules_jstr(arr[i].text));
		if (arr[i].service[0])
			json_object_object_add(o, "service", rules_jstr(arr[i].service));
		if (arr[i].ftop_id)
			json_object_object_add(o, "ftop_id", json_object_new_int(arr[i].ftop_id));
		if (arr[i].blocker_id)
			json_object_object_add(o, "blocker_id", json_object_new_int64(arr[i].blocker_id));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
playbook_readiness_json(const struct playbook_readiness *rd)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "state", rules_jstr(playbook_state_key(rd->state)));
	json_object_object_add(o, "state_title", rules_jstr(present_state_title(rd->state)));
	json_object_object_add(o, "ready", json_object_new_boolean(rd->ready));
	json_object_object_add(o, "at_risk", json_object_new_boolean(rd->at_risk));
	json_object_object_add(o, "overdue", json_object_new_boolean(rd->overdue));
	json_object_object_add(o, "last_checkin", rd->last_checkin[0] ? rules_jstr(rd->last_checkin) : NULL);
	json_object_object_add(o, "next_checkin", rd->next_checkin[0] ? rules_jstr(rd->next_checkin) : NULL);
	json_object_object_add(o, "due_by", rd->due_by[0] ? rules_jstr(rd->due_by) : NULL);
	json_object_object_add(o, "reasons", reasons_json(rd->reasons, rd->n_reasons));
	json_object_object_add(o, "risks", reasons_json(rd->risks, rd->n_risks));
	return o;
}


/* phase_title and one phase_is_<phase> flag beside a "phase" member. */
static void
add_phase_words(json_object *o, enum playbook_phase phase)
{
	char key[48];

	json_object_object_add(o, "phase_title", rules_jstr(present_phase_title(phase)));
	snprintf(key, sizeof(key), "phase_is_%s", playbook_phase_key(phase));
	json_object_object_add(o, key, json_object_new_boolean(1));
}

/* Today per zone, remembered: a portfolio of thousands shares a handful of zones. */
struct today_cache {
	char	tz[16][64];
	int32_t	day[16];
	size_t	n;
};

static int32_t
today_in(struct today_cache *tc, const char *tz, int64_t now)
{
	size_t	i;
	int32_t	d;

	for (i = 0; i < tc->n; i++)
		if (strcmp(tc->tz[i], tz) == 0)
			return tc->day[i];
	d = text_date_today(tz[0] ? tz : NULL, (time_t)now);
	if (tc->n < 16) {
		text_copy(tc->tz[tc->n], sizeof(tc->tz[0]), tz);
		tc->day[tc->n++] = d;
	}
	return d;
}

/* The service as lists and bars show it. */
static json_object *
service_view(const struct store_service *s)
{
	const struct catalog_service *cs = catalog_service_find(s->service);
	json_object	*o = json_object_new_object();
	double		 au = s->latest_on[0] ? playbook_au_percent(s->latest_active, s->latest_eligible) : -1;
	char		 pct[32];

	json_object_object_add(o, "key", rules_jstr(s->service));
	json_object_object_add(o, "title", rules_jstr(rules_service_title(s->service)));
	json_object_object_add(o, "intended", json_object_new_boolean(s->intended));
	json_object_object_add(o, "activated", json_object_new_boolean(s->activated_on[0] != '\0'));
	json_object_object_add(o, "activated_on", s->activated_on[0] ? rules_jstr(s->activated_on) : NULL);
	json_object_object_add(o, "csm_led", json_object_new_boolean(s->csm_led));
	json_object_object_add(o, "modern_comms", json_object_new_boolean(cs && cs->modern_comms));
	json_object_object_add(o, "fm_covered", json_object_new_boolean(rules_fm_covers(s)));
	json_object_object_add(o, "adoption_program", json_object_new_boolean(s->adoption_program));
	json_object_object_add(o, "adoption_available", json_object_new_boolean(cs && cs->adoption_program));
	json_object_object_add(o, "accelerator", json_object_new_boolean(s->accelerator));
	json_object_object_add(o, "accelerator_available", json_object_new_boolean(cs && cs->accelerator_ftop));
	json_object_object_add(o, "target_percent", playbook_json_percent(s->target_percent));
	json_object_object_add(o, "custom_metric", s->custom_metric[0] ? rules_jstr(s->custom_metric) : NULL);
	json_object_object_add(o, "custom_metric_met", json_object_new_boolean(s->custom_metric_met));
	json_object_object_add(o, "licensed_users", s->licensed_users >= 0 ?
	    json_object_new_int64(s->licensed_users) : NULL);
	json_object_object_add(o, "measured_on", s->latest_on[0] ? rules_jstr(s->latest_on) : NULL);
	json_object_object_add(o, "active_users", s->latest_on[0] ? json_object_new_int64(s->latest_active) : NULL);
	json_object_object_add(o, "eligible_users", s->latest_on[0] ? json_object_new_int64(s->latest_eligible) : NULL);
	json_object_object_add(o, "au_percent", au >= 0 ? playbook_json_percent(au) : NULL);
	/* The same for people, the language's way ("16%", "7,5 %"). */
	i18n_percent(s->target_percent, pct, sizeof(pct));
	json_object_object_add(o, "target_percent_text", rules_jstr(pct));
	if (au >= 0) {
		i18n_percent(au, pct, sizeof(pct));
		json_object_object_add(o, "au_percent_text", rules_jstr(pct));
	}
	json_object_object_add(o, "met", json_object_new_boolean(rules_service_met(s)));
	json_object_object_add(o, "bar_percent",
	    json_object_new_int(present_bar_percent(au, s->target_percent)));
	return o;
}

struct port_row {
	size_t		 idx;		/* into the facts list, when loaded with it */
	int64_t		 customer_id;
	enum playbook_state state;
	int		 ready, at_risk, overdue;
	char		 next_checkin[11];
	double		 au_score;	/* lowest AU/target among intended services, for sorting */
};

static int
cmp_state_rank(enum playbook_state s)
{
	/* Who needs the FM first. */
	static const int rank[PLAYBOOK_STATE__MAX] = {
		[PLAYBOOK_STATE_AT_RISK] = 0,
		[PLAYBOOK_STATE_IN_PROGRESS] = 1,
		[PLAYBOOK_STATE_READY] = 2,
		[PLAYBOOK_STATE_SUCCESS_REVIEW] = 3,
		[PLAYBOOK_STATE_CLOSED] = 4,
	};

	return (unsigned)s < PLAYBOOK_STATE__MAX ? rank[s] : 4;
}

static int
cmp_by_state(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	int d = cmp_state_rank(x->state) - cmp_state_rank(y->state);

	return d ? d : (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_by_next(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	int d;

	/* Customers with no series sort last. */
	if (x->next_checkin[0] == '\0' || y->next_checkin[0] == '\0')
		d = (x->next_checkin[0] == '\0') - (y->next_checkin[0] == '\0');
	else
		d = strcmp(x->next_checkin, y->next_checkin);
	return d ? d : (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_by_au(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;

	if (x->au_score != y->au_score)
		return x->au_score < y->au_score ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

/* A portfolio row shows this many causes; the rest wait behind "n more". */
#define PORTFOLIO_CAUSES_SHOWN 3

/*
 * One line per cause of "not ready" (present_causes), most actionable first:
 * reason_texts has them all; causes_shown the first `shown`, causes_more the
 * rest with more_count, for a page that folds them (shown 0: no fold).
 */
static void
add_causes(json_object *o, const struct playbook_readiness *rd, size_t shown)
{
	struct present_cause	*c;
	json_object		*all, *first, *more, *x;
	size_t			 n, i;

	all = json_object_new_array();
	first = json_object_new_array();
	more = json_object_new_array();
	/*
	 * Not calloc: present_causes writes each cause it returns whole, and
	 * zeroing 26 KB for every portfolio row showed in the profile.
	 */
	if ((c = malloc(2 * PLAYBOOK_REASONS_MAX * sizeof(*c))) != NULL) {
		n = present_causes(rd, c, 2 * PLAYBOOK_REASONS_MAX);
		for (i = 0; i < n; i++) {
			json_object_array_add(all, rules_jstr(c[i].text));
			x = json_object_new_object();
			json_object_object_add(x, "text", rules_jstr(c[i].text));
			json_object_object_add(x, "risk", json_object_new_boolean(c[i].risk));
			json_object_object_add(x, "section", rules_jstr(c[i].section));
			json_object_array_add(shown == 0 || i < shown ? first : more, x);
		}
		free(c);
	}
	json_object_object_add(o, "reason_texts", all);
	json_object_object_add(o, "causes", first);
	if (json_object_array_length(more) > 0) {
		json_object_object_add(o, "causes_more", more);
		json_object_object_add(o, "more_count",
		    json_object_new_int((int)json_object_array_length(more)));
	} else
		json_object_put(more);
}

static json_object *
portfolio_row(const struct store_facts *f, const struct playbook_readiness *rd)
{
	json_object	*o = json_object_new_object(), *svcs;
	size_t		 i;
	char		 day[32];

	json_object_object_add(o, "id", json_object_new_int64(f->customer.id));
	json_object_object_add(o, "name", rules_jstr(f->customer.name));
	json_object_object_add(o, "tenant_domain", rules_jstr(f->customer.tenant_domain));
	json_object_object_add(o, "phase", rules_jstr(f->customer.phase));
	json_object_object_add(o, "owner_fm", rules_jstr(f->customer.owner_fm));
	json_object_object_add(o, "csm_name", f->customer.csm_name[0] ? rules_jstr(f->customer.csm_name) : NULL);
	json_object_object_add(o, "review_outcome", f->customer.review_outcome[0] ?
	    rules_jstr(f->customer.review_outcome) : NULL);
	json_object_object_add(o, "open_blockers", json_object_new_int((int)f->n_open_blockers));
	json_object_object_add(o, "archived", json_object_new_boolean(f->customer.archived_at != 0));
	svcs = json_object_new_array();
	for (i = 0; i < f->n_services; i++)
		if (f->services[i].intended)
			json_object_array_add(svcs, service_view(&f->services[i]));
	json_object_object_add(o, "services", svcs);
	json_object_object_add(o, "readiness", playbook_readiness_json(rd));
	/* Flattened for templates and for scripts that only want the verdict. */
	json_object_object_add(o, "state", rules_jstr(playbook_state_key(rd->state)));
	json_object_object_add(o, "state_title", rules_jstr(present_state_title(rd->state)));
	add_phase_words(o, rules_customer_phase(&f->customer));
	json_object_object_add(o, "ready", json_object_new_boolean(rd->ready));
	json_object_object_add(o, "at_risk", json_object_new_boolean(rd->at_risk));
	json_object_object_add(o, "overdue", json_object_new_boolean(rd->overdue));
	json_object_object_add(o, "last_checkin", rd->last_checkin[0] ? rules_jstr(rd->last_checkin) : NULL);
	json_object_object_add(o, "next_checkin", rd->next_checkin[0] ? rules_jstr(rd->next_checkin) : NULL);
	/*
	 * The two days the row shows, in words.  Not present_humanize over the
	 * whole row: walking every member of 200 rows cost a third of the
	 * portfolio's CPU (callgrind, bench/render).
	 */
	if (present_date(rd->last_checkin, day, sizeof(day)) == 0)
		json_object_object_add(o, "last_checkin_text", rules_jstr(day));
	if (present_date(rd->next_checkin, day, sizeof(day)) == 0)
		json_object_object_add(o, "next_checkin_text", rules_jstr(day));
	/* Why a customer is not ready matters while it is in Success Execution. */
	if (rules_customer_phase(&f->customer) == PLAYBOOK_PHASE_EXECUTION)
		add_causes(o, rd, PORTFOLIO_CAUSES_SHOWN);
	else
		json_object_object_add(o, "reason_texts", json_object_new_array());
	return o;
}

/*
 * The portfolio's counts: "all", then one per state (they partition it: every
 * customer is in exactly one), then "overdue", which overlaps them (a ready
 * customer can be overdue too) and is labelled so on the page.
 */
static const char *const count_keys[] = { "all", "in_progress", "at_risk", "ready",
	"success_review", "closed", "overdue" };
#define PORTFOLIO_COUNTS	(sizeof(count_keys) / sizeof(count_keys[0]))
#define COUNT_OVERDUE		(PORTFOLIO_COUNTS - 1)

/*
 * The portfolio chart: for each catalog service, how many of the selected
 * customers who intend it meet its target, are under it, or have no usage
 * (or custom metric) recorded yet.
 */
enum { AU_MET, AU_UNDER, AU_NONE, AU__MAX };
#define TALLY_SERVICES	16

struct port_tally {
	long	 counts[PORTFOLIO_COUNTS];
	long	 au[TALLY_SERVICES][AU__MAX];
};

/* Count service sv of one customer in t's chart. */
static void
tally_service(struct port_tally *t, const struct store_service *sv)
{
	const struct catalog_service	*all, *cs;
	size_t				 n, k;

	all = catalog_services(&n);
	if ((cs = catalog_service_find(sv->service)) == NULL ||
	    (k = (size_t)(cs - all)) >= TALLY_SERVICES)
		return;
	if (rules_service_met(sv))
		t->au[k][AU_MET]++;
	else if (sv->latest_on[0] != '\0' || sv->custom_metric[0] != '\0')
		t->au[k][AU_UNDER]++;
	else
		t->au[k][AU_NONE]++;
}

/* The chart as rows for the template: title, the three counts and their bar widths. */
static json_object *
tally_chart_json(const struct port_tally *t)
{
	static const char *const keys[AU__MAX] = { "met", "under", "none" };
	const struct catalog_service	*cs;
	json_object			*a = json_object_new_array(), *x;
	size_t				 n, k, j;
	long				 total;
	double				 w, done;
	char				 key[16];

	cs = catalog_services(&n);
	for (k = 0; k < n && k < TALLY_SERVICES; k++) {
		total = t->au[k][AU_MET] + t->au[k][AU_UNDER] + t->au[k][AU_NONE];
		if (total == 0)
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "service", rules_jstr(cs[k].key));
		json_object_object_add(x, "title", rules_jstr(cs[k].title[catalog_lang_now()]));
		json_object_object_add(x, "customers", json_object_new_int64(total));
		/* Widths in tenths of the 100-wide bar; the last segment starts where the two end. */
		for (j = 0, done = 0; j < AU__MAX; j++) {
			json_object_object_add(x, keys[j], json_object_new_int64(t->au[k][j]));
			snprintf(key, sizeof(key), "%s_width", keys[j]);
			w = (double)(t->au[k][j] * 1000 / total) / 10.0;
			json_object_object_add(x, key, json_object_new_double(w));
			if (j == AU_NONE)
				json_object_object_add(x, "none_x", json_object_new_double(done));
			done += w;
		}
		json_object_array_add(a, x);
	}
	return a;
}

/* The count a state adds to: its key's place in count_keys. */
static size_t
count_of_state(enum playbook_state state)
{
	size_t	 i;

	for (i = 1; i < COUNT_OVERDUE; i++)
		if (strcmp(count_keys[i], playbook_state_key(state)) == 0)
			return i;
	return 0;
}

/*
 * The verdicts of every customer a filter selects, in name order, with the
 * portfolio counts: what a page needs before it picks its rows.  Kept per
 * worker in struct playbook_cache while the database is unchanged and the
 * quarter of an hour the same (a customer's "today" moves with its zone).
 */
struct playbook_cache {
	int		 valid;
	int64_t		 version;
	int64_t		 stamp;
	char		 q[FIELD_SIZE(100)], phase[24], fm[FIELD_SIZE(FIELD_FM_MAX)];
	int		 with_archived;
	struct port_row	*rows;
	size_t		 n;
	struct port_tally tally;
};

#define CACHE_STAMP_SECONDS	900

struct playbook_cache *
playbook_cache_new(void)
{
	return calloc(1, sizeof(struct playbook_cache));
}

void
playbook_cache_free(struct playbook_cache *c)
{
	if (c == NULL)
		return;
	free(c->rows);
	free(c);
}

/* Verdict rows of every matching customer, name order; facts kept when loaded. */
static int
portfolio_rows(const struct playbook *pb, const struct store_facts_filter *filter,
    struct port_row **rowsp, size_t *np, struct port_tally *t, struct store_facts **factsp,
    size_t *nfacts, struct playbook_readiness *rd, struct today_cache *tc, struct result *r)
{
	struct store_facts	*facts = NULL;
	struct port_row		*rows = NULL;
	size_t			 n = 0, i, k;

	if (store_facts_list(pb->st, filter, &facts, &n, r) == -1)
		return -1;
	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL) {
		store_facts_free(facts, n);
		return result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
	}
	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		struct port_row	*pr = &rows[i];
		double		 score = 1e9;

		rules_readiness_quiet(&facts[i], today_in(tc, facts[i].customer.timezone, pb->now), rd);
		t->counts[0]++;
		t->counts[count_of_state(rd->state)]++;
		if (rd->overdue)
			t->counts[COUNT_OVERDUE]++;
		pr->idx = i;
		pr->customer_id = facts[i].customer.id;
		pr->state = rd->state;
		pr->ready = rd->ready;
		pr->at_risk = rd->at_risk;
		pr->overdue = rd->overdue;
		text_copy(pr->next_checkin, sizeof(pr->next_checkin), rd->next_checkin);
		for (k = 0; k < facts[i].n_services; k++) {
			const struct store_service *sv = &facts[i].services[k];
			double ratio;

			if (!sv->intended)
				continue;
			tally_service(t, sv);
			ratio = sv->latest_on[0] && sv->target_percent > 0 ?
			    playbook_au_percent(sv->latest_active, sv->latest_eligible) /
			    sv->target_percent : 0;
			if (ratio < score)
				score = ratio;
		}
		pr->au_score = score;
	}
	*rowsp = rows;
	*np = n;
	*factsp = facts;
	*nfacts = n;
	return 0;
}

static int
cache_matches(const struct playbook_cache *c, const struct store_facts_filter *f,
    int64_t version, int64_t stamp)
{
	return c->valid && c->version == version && c->stamp == stamp &&
	    strcmp(c->q, f->q ? f->q : "") == 0 && strcmp(c->phase, f->phase ? f->phase : "") == 0 &&
	    strcmp(c->fm, f->owner_fm ? f->owner_fm : "") == 0 &&
	    c->with_archived == f->with_archived;
}

/* The state filter and the sort of a portfolio query, checked; __MAX = any state. */
static int
portfolio_query_check(const struct playbook_portfolio_query *q, enum playbook_state *want_state,
    int *want_overdue, struct result *r)
{
	static const struct { const char *key; enum playbook_state state; } filters[] = {
		{ .key = "ready", .state = PLAYBOOK_STATE_READY },
		{ .key = "at_risk", .state = PLAYBOOK_STATE_AT_RISK },
		{ .key = "in_progress", .state = PLAYBOOK_STATE_IN_PROGRESS },
	};
	const char	*want = q && q->state ? q->state : "";
	size_t		 i;

	*want_state = PLAYBOOK_STATE__MAX;
	/* "overdue" is a filter, not a state: a ready customer can be overdue too. */
	*want_overdue = strcmp(want, "overdue") == 0;
	for (i = 0; i < sizeof(filters) / sizeof(filters[0]); i++)
		if (strcmp(want, filters[i].key) == 0)
			*want_state = filters[i].state;
	if (*want && !*want_overdue && *want_state == PLAYBOOK_STATE__MAX)
		return result_set(r, RESULT_INVALID, "state",
		    "state must be ready, at_risk, overdue or in_progress, not \"%.30s\"", want);
	if (q && q->sort && *q->sort && strcmp(q->sort, "name") != 0 &&
	    strcmp(q->sort, "state") != 0 && strcmp(q->sort, "next_checkin") != 0 &&
	    strcmp(q->sort, "au") != 0)
		return result_set(r, RESULT_INVALID, "sort",
		    "sort must be name, state, next_checkin or au, not \"%.30s\"", q->sort);
	return 0;
}

/* Keep the verdicts just computed for this filter; the cache owns all from now on. */
static void
cache_keep(struct playbook_cache *cache, const struct store_facts_filter *filter,
    struct port_row *all, size_t n, const struct port_tally *t, int64_t version, int64_t stamp)
{
	free(cache->rows);
	cache->rows = all;
	cache->n = n;
	cache->tally = *t;
	cache->version = version;
	cache->stamp = stamp;
	text_copy(cache->q, sizeof(cache->q), filter->q ? filter->q : "");
	text_copy(cache->phase, sizeof(cache->phase), filter->phase ? filter->phase : "");
	text_copy(cache->fm, sizeof(cache->fm), filter->owner_fm ? filter->owner_fm : "");
	cache->with_archived = filter->with_archived;
	/* A filter too long for the key is simply not cached. */
	cache->valid = strlen(filter->q ? filter->q : "") < sizeof(cache->q) &&
	    strlen(filter->owner_fm ? filter->owner_fm : "") < sizeof(cache->fm);
}

/* The page envelope: rows, total, paging, the count of each filter and the chart. */
static json_object *
portfolio_json(json_object *arr, size_t nrows, int page, int pages, int per_page,
    const struct port_tally *t)
{
	json_object	*o = json_object_new_object(), *cnt = json_object_new_object(), *chart;
	size_t		 i;

	json_object_object_add(o, "customers", arr);
	json_object_object_add(o, "total", json_object_new_int64((int64_t)nrows));
	json_object_object_add(o, "page", json_object_new_int(page));
	json_object_object_add(o, "pages", json_object_new_int(pages));
	json_object_object_add(o, "per_page", json_object_new_int(per_page));
	for (i = 0; i < PORTFOLIO_COUNTS; i++)
		json_object_object_add(cnt, count_keys[i], json_object_new_int64(t->counts[i]));
	json_object_object_add(o, "counts", cnt);
	chart = tally_chart_json(t);
	json_object_object_add(o, "has_au_chart", json_object_new_boolean(
	    json_object_array_length(chart) > 0));
	json_object_object_add(o, "au_chart", chart);
	return o;
}

/* The Monday (UTC) of the week of now, in days since 1970-01-01 (a Thursday). */
static int32_t
week_monday(int64_t now)
{
	int32_t	 today = text_date_today("UTC", (time_t)now);

	return today - (int32_t)(((today % 7) + 7 + 3) % 7);
}

/*
 * The weekly snapshot behind the 12-week chart, taken when the portfolio
 * computes its verdicts (not on each write): readiness changes with the
 * calendar too (an overdue check-in, a stalled service) with no write to
 * record it, and the portfolio computes every verdict anyway.  The store
 * replaces a row only when the state differs, so a view writes nothing
 * once the week is recorded.  A failed write (a read-only database) must
 * not cost the page its portfolio: the week stays unrecorded.
 */
static void
record_weekly_states(const struct playbook *pb, const struct port_row *all, size_t n)
{
	json_object	*rows = json_object_new_array(), *x;
	struct result	 r;
	char		 week[11];
	size_t		 i;

	for (i = 0; i < n; i++) {
		x = json_object_new_array();
		json_object_array_add(x, json_object_new_int64(all[i].customer_id));
		json_object_array_add(x, rules_jstr(playbook_state_key(all[i].state)));
		json_object_array_add(rows, x);
	}
	text_date_format(week_monday(pb->now), week, sizeof(week));
	result_clear(&r);
	if (n > 0)
		(void)store_state_week_put(pb->st, week, rules_json_text(rows), &r);
	json_object_put(rows);
}

/* The 12-week chart of the selected customers (present_state_history), or NULL on a failed read. */
static json_object *
state_history(const struct playbook *pb, const struct port_row *all, size_t n)
{
	struct present_week		 w[PRESENT_HISTORY_WEEKS];
	struct store_state_count	 c[PRESENT_HISTORY_WEEKS * PLAYBOOK_STATE__MAX];
	json_object			*ids = json_object_new_array();
	struct result			 r;
	int32_t				 monday = week_monday(pb->now), d;
	enum playbook_state		 s;
	size_t				 nc = 0, i, k;
	char				 since[11];
	int				 rc;

	for (i = 0; i < n; i++)
		json_object_array_add(ids, json_object_new_int64(all[i].customer_id));
	memset(w, 0, sizeof(w));
	for (k = 0; k < PRESENT_HISTORY_WEEKS; k++)
		w[k].monday = monday - 7 * (int32_t)(PRESENT_HISTORY_WEEKS - 1 - k);
	text_date_format(w[0].monday, since, sizeof(since));
	result_clear(&r);
	rc = store_state_week_counts(pb->st, since, rules_json_text(ids), c,
	    sizeof(c) / sizeof(c[0]), &nc, &r);
	json_object_put(ids);
	if (rc == -1)
		return NULL;
	for (i = 0; i < nc; i++) {
		if (text_date_parse(c[i].week, &d) == -1 || d < w[0].monday || d > monday ||
		    playbook_state_parse(c[i].state, &s) == -1)
			continue;
		k = (size_t)((d - w[0].monday) / 7);
		w[k].counts[s] += c[i].count;
		w[k].recorded = 1;
	}
	return present_state_history(w, PRESENT_HISTORY_WEEKS);
}

/*
 * Three steps over one set of buffers (the verdict rows, the facts loaded in
 * step 1 and reused in step 3 when they were read): kept in one function,
 * about 110 lines, so each buffer's owner and its one cleanup stay visible.
 */
int
playbook_portfolio(const struct playbook *pb, const struct playbook_portfolio_query *q,
    json_object **out, struct result *r)
{
	struct store_facts_filter	 filter;
	struct store_facts		*facts = NULL, *page_facts = NULL;
	struct playbook_readiness	*rd = NULL;
	struct port_row			*all = NULL, *rows = NULL;
	struct playbook_cache		*cache = pb->cache;
	struct today_cache		 tc;
	size_t				 n = 0, nfacts = 0, npage = 0, nrows = 0, i, k, first, last;
	int64_t				 version = 0, stamp = pb->now / CACHE_STAMP_SECONDS, *ids = NULL;
	int				 page, per_page, pages, cached = 0, rc = -1;
	struct port_tally		 tally;
	enum playbook_state		 want_state;
	int				 want_overdue;
	json_object			*arr, *history;

	*out = NULL;
	if (portfolio_query_check(q, &want_state, &want_overdue, r) == -1)
		return -1;
	per_page = q && q->per_page > 0 ? q->per_page : 50;
	if (per_page > 200)
		per_page = 200;
	page = q && q->page > 0 ? q->page : 1;

	memset(&filter, 0, sizeof(filter));
	filter.q = q ? q->q : NULL;
	filter.phase = q ? q->phase : NULL;
	filter.owner_fm = q ? q->fm : NULL;
	filter.with_archived = q ? q->with_archived : 0;
	/* visibility = own: an FM's portfolio and search hold their own customers only. */
	if (pb->role == PLAYBOOK_ROLE_FM && pb->own_only)
		filter.owner_fm = pb->actor;
	memset(&tc, 0, sizeof(tc));
	if ((rd = malloc(sizeof(*rd))) == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");

	/* 1. The verdicts of every matching customer: from the cache, or computed. */
	if (cache != NULL && store_version(pb->st, &version, r) == -1)
		goto fail;
	if (cache != NULL && cache_matches(cache, &filter, version, stamp)) {
		all = cache->rows;
		n = cache->n;
		tally = cache->tally;
		cached = 1;
	} else {
		if (portfolio_rows(pb, &filter, &all, &n, &tally, &facts, &nfacts, rd, &tc, r) == -1)
			goto fail;
		if (!filter.with_archived)	/* the history is the portfolio's */
			record_weekly_states(pb, all, n);
		if (cache != NULL) {
			cache_keep(cache, &filter, all, n, &tally, version, stamp);
			cached = 1;
		}
	}

	/* 2. The state filter and the sort, on a copy (the cached rows stay in name order). */
	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL) {
		result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (want_overdue ? !all[i].overdue :
		    want_state != PLAYBOOK_STATE__MAX && all[i].state != want_state)
			continue;
		rows[nrows++] = all[i];
	}
	if (q && q->sort && strcmp(q->sort, "state") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_state);
	else if (q && q->sort && strcmp(q->sort, "next_checkin") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_next);
	else if (q && q->sort && strcmp(q->sort, "au") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_au);

	pages = nrows == 0 ? 1 : (int)((nrows + (size_t)per_page - 1) / (size_t)per_page);
	if (page > pages)
		page = pages;
	first = (size_t)(page - 1) * (size_t)per_page;
	last = first + (size_t)per_page < nrows ? first + (size_t)per_page : nrows;

	/* 3. The page's rows in full: facts already loaded, or five queries for their ids. */
	if (facts == NULL && last > first) {
		if ((ids = calloc(last - first, sizeof(*ids))) == NULL) {
			result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
			goto fail;
		}
		for (i = first; i < last; i++)
			ids[i - first] = rows[i].customer_id;
		if (store_facts_list_ids(pb->st, ids, last - first, &page_facts, &npage, r) == -1)
			goto fail;
	}
	arr = json_object_new_array();
	for (i = first; i < last; i++) {
		const struct store_facts *f = NULL;

		if (facts != NULL)
			f = &facts[rows[i].idx];
		else
			for (k = 0; k < npage && f == NULL; k++)
				if (page_facts[k].customer.id == rows[i].customer_id)
					f = &page_facts[k];
		if (f == NULL)
			continue;	/* deleted since the verdicts were cached */
		playbook_readiness(f, today_in(&tc, f->customer.timezone, pb->now), rd);
		json_object_array_add(arr, portfolio_row(f, rd));
	}
	*out = portfolio_json(arr, nrows, page, pages, per_page, &tally);
	if ((history = state_history(pb, all, n)) != NULL)
		json_object_object_add(*out, "state_history", history);
	rc = 0;
fail:
	if (!cached)
		free(all);
	free(rows);
	free(ids);
	free(rd);
	store_facts_free(facts, nfacts);
	store_facts_free(page_facts, npage);
	return rc;
}

/* The AU samples of a service, oldest first, drawn as a trend line (present_trend). */
static json_object *
trend_json(json_object *usage, const char *service, double target)
{
	struct present_point	 pts[64];
	json_object		*s, *v;
	double			 au;
	size_t			 n = 0, i, total = json_object_array_length(usage);
	int32_t			 d;

	for (i = 0; i < total; i++) {
		s = json_object_array_get_idx(usage, i);
		if (!json_object_object_get_ex(s, "service", &v) ||
		    strcmp(json_object_get_string(v), service) != 0)
			continue;
		json_object_object_get_ex(s, "measured_on", &v);
		if (text_date_parse(json_object_get_string(v), &d) == -1)
			continue;
		json_object_object_get_ex(s, "active_users", &v);
		au = (double)json_object_get_int64(v);
		json_object_object_get_ex(s, "eligible_users", &v);
		au = playbook_au_percent((long long)au, json_object_get_int64(v));
		if (n == 64)	/* keep the latest 64: shift left */
			memmove(pts, pts + 1, sizeof(pts[0]) * 63), n = 63;
		pts[n].day = d;
		pts[n].au = au;
		n++;
	}
	return present_trend(pts, n, target);
}

static json_object *
catalog_view(void)
{
	const struct catalog_service	*cs;
	const struct catalog_entry	*e;
	json_object			*o = json_object_new_object(), *a, *x;
	size_t				 n, i;
	struct {
		const char *key;
		enum catalog_list list;
	} lists[] = { { "l1", CATALOG_L1 }, { "l2", CATALOG_L2 }, { "outcomes", CATALOG_OUTCOMES } };

	cs = catalog_services(&n);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "key", rules_jstr(cs[i].key));
		json_object_object_add(x, "title", rules_jstr(cs[i].title[catalog_lang_now()]));
		json_object_object_add(x, "modern_comms", json_object_new_boolean(cs[i].modern_comms));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "services", a);
	/* The usage report's column prefixes, for the import form's hint. */
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		if (cs[i].report_name == NULL)
			continue;
		x = json_object_new_object();
		json_object_object_add(x, "name", rules_jstr(cs[i].report_name));
		json_object_object_add(x, "last", json_object_new_boolean(0));
		json_object_array_add(a, x);
	}
	if (json_object_array_length(a) > 0)
		json_object_object_add(json_object_array_get_idx(a, json_object_array_length(a) - 1),
		    "last", json_object_new_boolean(1));
	json_object_object_add(o, "report_columns", a);
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		e = catalog_list(lists[l].list, &n);
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			x = json_object_new_object();
			json_object_object_add(x, "key", rules_jstr(e[i].key));
			json_object_object_add(x, "title", rules_jstr(e[i].title[catalog_lang_now()]));
			json_object_object_add(x, "title_pt", rules_jstr(e[i].title[CATALOG_PT]));
			json_object_array_add(a, x);
		}
		json_object_object_add(o, lists[l].key, a);
	}
	return o;
}

/* Replace a JSON-text member with its parsed value (recipients, details). */
static void
parse_member(json_object *obj, const char *key)
{
	json_object *v, *parsed;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string) &&
	    (parsed = json_tokener_parse(json_object_get_string(v))) != NULL)
		json_object_object_add(obj, key, parsed);
}

/* Services: decorated, with a trend line from the samples; which the FM covers. */
static void
view_services(json_object *c, const struct store_facts *f)
{
	json_object	*x, *v, *svcs, *covered, *usage = NULL;
	size_t		 i;

	json_object_object_get_ex(c, "usage", &usage);
	svcs = json_object_new_array();
	covered = json_object_new_array();
	for (i = 0; i < f->n_services; i++) {
		x = service_view(&f->services[i]);
		if (usage && (v = trend_json(usage, f->services[i].service, f->services[i].target_percent)))
			json_object_object_add(x, "trend", v);
		if (rules_fm_covers(&f->services[i])) {
			json_object *cv = json_object_new_object();

			json_object_object_add(cv, "key", rules_jstr(f->services[i].service));
			json_object_object_add(cv, "title", rules_jstr(rules_service_title(f->services[i].service)));
			json_object_array_add(covered, cv);
		}
		json_object_array_add(svcs, x);
	}
	json_object_object_add(c, "services", svcs);
	json_object_object_add(c, "covered_services", covered);
	json_object_object_add(c, "all_csm_led", json_object_new_boolean(
	    json_object_array_length(covered) == 0 && f->n_services > 0));
}

/*
 * Each check-in's correction form offers the services the FM covers, those
 * it named ticked ("service_choices": [{key, title, checked}]): a template
 * cannot test membership.
 */
static void
view_checkins(json_object *c)
{
	json_object	*arr = NULL, *covered = NULL, *k, *named, *choices, *o, *v, *t;
	size_t		 i, j, n;
	const char	*key;
	int		 checked;

	json_object_object_get_ex(c, "checkins", &arr);
	json_object_object_get_ex(c, "covered_services", &covered);
	for (i = 0; arr != NULL && i < json_object_array_length(arr); i++) {
		k = json_object_array_get_idx(arr, i);
		choices = json_object_new_array();
		named = NULL;
		json_object_object_get_ex(k, "services", &named);
		for (j = 0; covered != NULL && j < json_object_array_length(covered); j++) {
			o = json_object_array_get_idx(covered, j);
			key = json_object_object_get_ex(o, "key", &t) ? json_object_get_string(t) : "";
			checked = 0;
			for (n = 0; named != NULL && n < json_object_array_length(named); n++)
				if (strcmp(json_object_get_string(json_object_array_get_idx(named, n)),
				    key) == 0)
					checked = 1;
			v = json_object_new_object();
			json_object_object_add(v, "key", rules_jstr(key));
			json_object_object_add(v, "title", rules_jstr(json_object_object_get_ex(o,
			    "title", &t) ? json_object_get_string(t) : key));
			json_object_object_add(v, "checked", json_object_new_boolean(checked));
			json_object_array_add(choices, v);
		}
		json_object_object_add(k, "has_service_choices",
		    json_object_new_boolean(json_object_array_length(choices) > 0));
		json_object_object_add(k, "service_choices", choices);
	}
}

/* Tasks grouped by activity, in catalog order. */
static void
view_task_groups(json_object *c)
{
	json_object			*arr = NULL, *x, *v, *groups, *g, *gt;
	const struct catalog_task	*ct;
	size_t				 i;

	groups = json_object_new_array();
	json_object_object_get_ex(c, "tasks", &arr);
	for (int act = 0; act < CATALOG_ACT__MAX; act++) {
		gt = json_object_new_array();
		for (i = 0; arr && i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "ftop_id", &v);
			ct = catalog_task_find(json_object_get_int(v));
			if (ct == NULL || (int)ct->activity != act)
				continue;
			json_object_object_add(x, "title", rules_jstr(ct->title[catalog_lang_now()]));
			json_object_object_add(x, "title_pt", rules_jstr(ct->title[CATALOG_PT]));
			json_object_object_get_ex(x, "status", &v);
			json_object_object_add(x, "done", json_object_new_boolean(
			    strcmp(json_object_get_string(v), "done") == 0));
			json_object_array_add(gt, json_object_get(x));
		}
		if (json_object_array_length(gt) == 0) {
			json_object_put(gt);
			continue;
		}
		g = json_object_new_object();
		json_object_object_add(g, "activity", rules_jstr(catalog_activity_key(act)));
		json_object_object_add(g, "title", rules_jstr(catalog_activity_title(act, catalog_lang_now())));
		json_object_object_add(g, "tasks", gt);
		json_object_array_add(groups, g);
	}
	json_object_object_add(c, "task_groups", groups);
}

/* Blockers with their L1/L2 titles. */
static void
view_blockers(json_object *c)
{
	const struct catalog_entry	*e;
	json_object			*arr, *x, *v;
	size_t				 i;

	if (json_object_object_get_ex(c, "blockers", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "l1_status", &v);
			e = catalog_find(CATALOG_L1, json_object_get_string(v));
			json_object_object_add(x, "l1_title", rules_jstr(e ? e->title[catalog_lang_now()] : ""));
			json_object_object_get_ex(x, "l2_reason", &v);
			e = catalog_find(CATALOG_L2, json_object_get_string(v));
			json_object_object_add(x, "l2_title", e ? rules_jstr(e->title[catalog_lang_now()]) : NULL);
			json_object_object_get_ex(x, "service", &v);
			json_object_object_add(x, "service_title", json_object_get_string_len(v) ?
			    rules_jstr(rules_service_title(json_object_get_string(v))) : NULL);
			json_object_object_get_ex(x, "resolved_on", &v);
			json_object_object_add(x, "open", json_object_new_boolean(
			    json_object_get_string_len(v) == 0));
		}
}

/* "UTC-04:00" for -14400 seconds: how the page names the two instants of a repeated time. */
static json_object *
utc_offset_json(int seconds)
{
	char	 s[16];
	int	 a = seconds < 0 ? -seconds : seconds;

	snprintf(s, sizeof(s), "UTC%c%02d:%02d", seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return rules_jstr(s);
}

/*
 * A start the clocks go back over happens twice that day; the invite means
 * the first (RFC 5545 3.3.5), and the page says so rather than leave the FM
 * to guess which hour the customer will see.
 */
static void
view_meeting_twice(json_object *x, const char *starts_at, const char *zone)
{
	struct ical_local	 lt;
	struct result		 r;
	json_object		*t;

	result_clear(&r);
	if (ical_local_time(starts_at, zone, &lt, &r) == -1 || !lt.twice)
		return;
	t = json_object_new_object();
	json_object_object_add(t, "first", utc_offset_json(lt.offset));
	json_object_object_add(t, "second", utc_offset_json(lt.later_offset));
	json_object_object_add(x, "starts_twice", t);
}

/* The page lists this many coming occurrences of a series, each with skip and move. */
#define VIEW_OCCURRENCES	6

/* The exception of series x (its "exceptions" array) for day on, or NULL. */
static json_object *
view_exception(json_object *x, const char *on)
{
	json_object	*arr, *e, *v;
	size_t		 i;

	if (!json_object_object_get_ex(x, "exceptions", &arr))
		return NULL;
	for (i = 0; i < json_object_array_length(arr); i++) {
		e = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(e, "occurs_on", &v) &&
		    strcmp(json_object_get_string(v), on) == 0)
			return e;
	}
	return NULL;
}

/*
 * The next VIEW_OCCURRENCES occurrences of an active series from today:
 * occurs_on (its own date), starts_at (where it is: moved or not), and
 * skipped / moved_to as the FM set them, for the skip and move forms.
 */
static void
view_occurrences(json_object *x, const char *starts_at, int every_weeks, int32_t today)
{
	json_object	*arr = json_object_new_array(), *o, *e, *v;
	int32_t		 d;
	int		 i;
	char		 on[11], at[17], words[64];

	for (i = 0, d = today; i < VIEW_OCCURRENCES; i++, d++) {
		if (playbook_next_occurrence(starts_at, every_weeks, d, on, sizeof(on)) == -1 ||
		    text_date_parse(on, &d) == -1)
			break;
		o = json_object_new_object();
		json_object_object_add(o, "occurs_on", rules_jstr(on));
		snprintf(at, sizeof(at), "%.10s%.6s", on, starts_at + 10);
		e = view_exception(x, on);
		if (e != NULL && json_object_object_get_ex(e, "moved_to", &v) &&
		    json_object_get_string_len(v) > 0) {
			json_object_object_add(o, "moved_to", rules_jstr(json_object_get_string(v)));
			text_copy(at, sizeof(at), json_object_get_string(v));
			if (present_start(at, words, sizeof(words)) == 0)
				json_object_object_add(o, "moved_to_text", rules_jstr(words));
		} else if (e != NULL)
			json_object_object_add(o, "skipped", json_object_new_boolean(1));
		json_object_object_add(o, "starts_at", rules_jstr(at));
		/* The next check-in is the first one not skipped, where it now is. */
		if (e == NULL || json_object_object_get_ex(o, "moved_to", NULL)) {
			if (!json_object_object_get_ex(x, "next_on", NULL))
				json_object_object_add(x, "next_on", json_object_new_string_len(at, 10));
		}
		json_object_array_add(arr, o);
	}
	json_object_object_add(x, "occurrences", arr);
}

/* Meetings: next occurrence and whether they can still change. */
static void
view_meetings(json_object *c, int32_t today)
{
	json_object	*arr, *x, *v, *ew, *tz, *u;
	size_t		 i;
	int		 k, ended;
	char		 words[128];

	if (json_object_object_get_ex(c, "meetings", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "status", &v);
			/* A series split by a reschedule has ended: it shows its last date. */
			ended = json_object_object_get_ex(x, "until_on", &u) &&
			    json_object_get_string_len(u) > 0;
			k = strcmp(json_object_get_string(v), "scheduled") == 0 && !ended;
			json_object_object_add(x, "active", json_object_new_boolean((int)k));
			if (ended) {
				json_object_object_add(x, "ended", json_object_new_boolean(1));
				json_object_object_add(x, "status", rules_jstr("ended"));
			}
			/* Present only once the series changed: templates test presence, not 0. */
			json_object_object_get_ex(x, "sequence", &v);
			if (json_object_get_int(v) > 0)
				json_object_object_add(x, "update", json_object_new_int(json_object_get_int(v)));
			if (json_object_get_int(v) > 0) {
				snprintf(words, sizeof(words), json_object_get_int(v) == 1 ?
				    "invitation updated once" : "invitation updated %d times",
				    json_object_get_int(v));
				json_object_object_add(x, "updates_text", rules_jstr(words));
			}
			json_object_object_get_ex(x, "starts_at", &v);
			json_object_object_get_ex(x, "every_weeks", &ew);
			if (present_series(json_object_get_string(v), json_object_get_int(ew), words,
			    sizeof(words)) == 0)
				json_object_object_add(x, "schedule_text", rules_jstr(words));
			json_object_object_get_ex(x, "timezone", &tz);
			if (json_object_object_get_ex(x, "replaces_id", &u) && json_object_get_int64(u) > 0)
				json_object_object_add(x, "replaces", json_object_new_int64(
				    json_object_get_int64(u)));
			if (k) {
				view_meeting_twice(x, json_object_get_string(v),
				    json_object_get_string(tz));
				view_occurrences(x, json_object_get_string(v), json_object_get_int(ew),
				    today);
			}
		}
}

/*
 * "may": for each action, whether the page shows its forms: the actor may
 * change the customer and its phase takes the action (the same function the
 * rules refuse with).  "phase_note" says why the others are not there.
 */
static void
view_may(json_object *c, int can_edit, const struct store_customer *cu)
{
	enum playbook_phase phase = rules_customer_phase(cu);
	json_object	*may = json_object_new_object();
	char		 note[512];
	int		 a;

	for (a = 0; a < PLAYBOOK_ACTION__MAX; a++)
		json_object_object_add(may, playbook_action_key((enum playbook_action)a),
		    json_object_new_boolean(can_edit &&
		    playbook_customer_allows(cu, (enum playbook_action)a)));
	json_object_object_add(c, "may", may);
	json_object_object_add(c, "archived", json_object_new_boolean(cu->archived_at != 0));
	if (cu->archived_at != 0)
		return;		/* the page says it is archived instead */
	if (present_phase_note(phase, note, sizeof(note)) > 0)
		json_object_object_add(c, "phase_note", rules_jstr(note));
}

int
playbook_customer_view(const struct playbook *pb, int64_t id, json_object **out, struct result *r)
{
	struct store_facts		 f;
	struct playbook_readiness	*rd;
	json_object			*c, *arr;
	size_t				 i;
	int32_t				 today;

	*out = NULL;
	if (store_customer_object(pb->st, id, &c, r) == -1)
		return -1;
	if (store_facts_get(pb->st, id, &f, r) == -1) {
		json_object_put(c);
		return -1;
	}
	/* With visibility = own another FM's customer does not exist for an FM. */
	if (rules_customer_access(pb, &f.customer, 0, r) == -1) {
		store_facts_clear(&f);
		json_object_put(c);
		return -1;
	}
	/* What the page may offer: the forms only to who may use them (the rules check again). */
	json_object_object_add(c, "can_edit", json_object_new_boolean(playbook_may_change(pb,
	    &f.customer)));
	json_object_object_add(c, "can_reassign", json_object_new_boolean(pb->role >=
	    PLAYBOOK_ROLE_MANAGER));
	view_may(c, playbook_may_change(pb, &f.customer), &f.customer);
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		json_object_put(c);
		return result_set(r, RESULT_IO, NULL, "playbook: out of memory");
	}
	today = text_date_today(f.customer.timezone, (time_t)pb->now);
	playbook_readiness(&f, today, rd);
	json_object_object_add(c, "readiness", playbook_readiness_json(rd));
	/* The page lists every cause once; the API's reasons and risks stay apart. */
	json_object_object_get_ex(c, "readiness", &arr);
	add_causes(arr, rd, 0);
	free(rd);

	view_services(c, &f);
	view_checkins(c);
	view_task_groups(c);
	view_blockers(c);
	view_meetings(c, today);
	rules_series_chair_view(pb, &f.customer, c);
	present_responses(c);
	if (json_object_object_get_ex(c, "outbox", &arr)) {
		for (i = 0; i < json_object_array_length(arr); i++)
			parse_member(json_object_array_get_idx(arr, i), "recipients");
		present_outbox_words(arr);
	}
	if (json_object_object_get_ex(c, "audit", &arr))
		for (i = 0; i < json_object_array_length(arr); i++)
			parse_member(json_object_array_get_idx(arr, i), "details");
	json_object_object_add(c, "catalog", catalog_view());
	add_phase_words(c, rules_customer_phase(&f.customer));
	if (f.customer.review_outcome[0] != '\0') {
		const struct catalog_entry *oc = catalog_find(CATALOG_OUTCOMES, f.customer.review_outcome);

		json_object_object_add(c, "review_outcome_title",
		    rules_jstr(oc ? oc->title[catalog_lang_now()] : f.customer.review_outcome));
	}
	{
		char today_s[11], words[32];

		text_date_format(today, today_s, sizeof(today_s));
		json_object_object_add(c, "today", rules_jstr(today_s));
		present_every_weeks(f.customer.cadence_weeks > 0 ? f.customer.cadence_weeks :
		    pb->default_cadence_weeks > 0 ? pb->default_cadence_weeks : 2, words, sizeof(words));
		json_object_object_add(c, "cadence_text", rules_jstr(words));
	}
	present_humanize(c);
	store_facts_clear(&f);
	*out = c;
	return 0;
}
