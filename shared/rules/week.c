/*
 * week.c -- the views an FM and a manager open (issue 11): "My week" (next
 * actions due, check-ins this week and next, open blockers), the team view
 * (per FM, customers by state and open blockers by L2 reason) and what the
 * personal calendar feed holds.  Rules and words only; the cgi layer renders.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "present.h"
#include "rules_impl.h"
#include "text.h"

/* The week view covers this week and the next: 14 days from Monday. */
#define WEEK_DAYS	14
/* A moved check-in is looked for this far either side of the window. */
#define WEEK_MOVE_SLACK	28

/* Day number of the Monday of day d's week (1970-01-01 was a Thursday). */
static int32_t
week_monday(int32_t d)
{
	return d - (int32_t)(((d + 3) % 7 + 7) % 7);
}

/* Today in the actor's own zone (their profile), UTC when they have none. */
static int32_t
week_today(const struct playbook *pb)
{
	struct store_user	 u;
	struct result		 r;

	result_clear(&r);
	if (pb->actor != NULL && store_user_get_login(pb->st, pb->actor, &u, &r) == 0 &&
	    u.timezone[0] != '\0')
		return text_date_today(u.timezone, (time_t)pb->now);
	return text_date_today("UTC", (time_t)pb->now);
}

/* o.key = iso and o.key_text = the day in words (present_date), when iso is a date. */
static void
week_day(json_object *o, const char *key, const char *iso)
{
	char	 words[48], k[48];

	json_object_object_add(o, key, rules_jstr(iso));
	if (present_date(iso, words, sizeof(words)) == 0) {
		snprintf(k, sizeof(k), "%s_text", key);
		json_object_object_add(o, k, rules_jstr(words));
	}
}

static json_object *
week_customer_ref(json_object *o, const struct store_customer *c)
{
	json_object_object_add(o, "customer_id", json_object_new_int64(c->id));
	json_object_object_add(o, "customer_name", rules_jstr(c->name));
	return o;
}

/* Overdue first, then by due date, then by customer: what the FM does first. */
static int
cmp_action(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b, *vx, *vy;
	int c;

	json_object_object_get_ex(x, "overdue", &vx);
	json_object_object_get_ex(y, "overdue", &vy);
	if ((c = json_object_get_boolean(vy) - json_object_get_boolean(vx)) != 0)
		return c;
	json_object_object_get_ex(x, "due_on", &vx);
	json_object_object_get_ex(y, "due_on", &vy);
	if ((c = strcmp(json_object_get_string(vx), json_object_get_string(vy))) != 0)
		return c;
	json_object_object_get_ex(x, "customer_name", &vx);
	json_object_object_get_ex(y, "customer_name", &vy);
	return strcmp(json_object_get_string(vx), json_object_get_string(vy));
}

/* Check-ins in start order. */
static int
cmp_checkin(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b, *vx, *vy;

	json_object_object_get_ex(x, "starts_at", &vx);
	json_object_object_get_ex(y, "starts_at", &vy);
	return strcmp(json_object_get_string(vx), json_object_get_string(vy));
}

/* The customer's latest next action, when it has one, into actions. */
static int
week_action(const struct playbook *pb, const struct store_customer *c, int32_t today,
    json_object *actions, struct result *r)
{
	struct store_checkin	 ck;
	struct result		 nr;
	int32_t			 due;
	json_object		*o;

	result_clear(&nr);
	if (store_checkin_latest(pb->st, c->id, &ck, &nr) == -1) {
		if (nr.code == RESULT_NOTFOUND)
			return 0;
		*r = nr;
		return -1;
	}
	if (ck.next_action[0] == '\0' || text_date_parse(ck.next_action_on, &due) == -1)
		return 0;
	o = week_customer_ref(json_object_new_object(), c);
	json_object_object_add(o, "action", rules_jstr(ck.next_action));
	json_object_object_add(o, "owner", rules_jstr(ck.next_action_owner));
	week_day(o, "due_on", ck.next_action_on);
	json_object_object_add(o, "overdue", json_object_new_boolean(due < today));
	json_object_object_add(o, "due_today", json_object_new_boolean(due == today));
	json_object_array_add(actions, o);
	return 0;
}

/*
 * The occurrences of series m whose start (moved or not) falls in
 * [from, to): skipped ones left out, a moved one where it now is, none
 * after the last date of a split series.
 */
static void
week_occurrences(const struct store_customer *c, const struct store_meeting *m, int32_t from,
    int32_t to, json_object *this_week, json_object *next_week)
{
	const struct store_meeting_exception	*e;
	int32_t		 d, on_day, at_day, until = INT32_MAX;
	int		 minute;
	char		 on[11], at[17], words[64];
	json_object	*o;

	if (m->until_on[0] != '\0' && text_date_parse(m->until_on, &until) == -1)
		return;
	for (d = from - WEEK_MOVE_SLACK; d < to + WEEK_MOVE_SLACK; d = on_day + 1) {
		if (playbook_next_occurrence(m->starts_at, m->every_weeks, d, on, sizeof(on)) == -1 ||
		    text_date_parse(on, &on_day) == -1 || on_day >= to + WEEK_MOVE_SLACK ||
		    on_day > until)
			return;
		snprintf(at, sizeof(at), "%.10s%.6s", on, m->starts_at + 10);
		e = store_meeting_exception_find(m, on);
		if (e != NULL && e->moved_to[0] == '\0')
			continue;	/* skipped: not a check-in any more */
		if (e != NULL)
			text_copy(at, sizeof(at), e->moved_to);
		if (text_local_datetime_parse(at, &at_day, &minute) == -1 || at_day < from ||
		    at_day >= to)
			continue;
		o = week_customer_ref(json_object_new_object(), c);
		json_object_object_add(o, "meeting_id", json_object_new_int64(m->id));
		json_object_object_add(o, "occurs_on", rules_jstr(on));
		json_object_object_add(o, "starts_at", rules_jstr(at));
		json_object_object_add(o, "timezone", rules_jstr(m->timezone));
		if (present_start(at, words, sizeof(words)) == 0)
			json_object_object_add(o, "starts_text", rules_jstr(words));
		json_object_object_add(o, "moved", json_object_new_boolean(e != NULL));
		json_object_array_add(at_day < from + 7 ? this_week : next_week, o);
	}
}

static int
week_checkins(const struct playbook *pb, const struct store_customer *c, int32_t from,
    json_object *this_week, json_object *next_week, struct result *r)
{
	struct store_meeting	*list = NULL;
	size_t			 n = 0, i;

	if (store_meeting_list_active(pb->st, c->id, &list, &n, r) == -1)
		return -1;
	for (i = 0; i < n; i++)
		week_occurrences(c, &list[i], from, from + WEEK_DAYS, this_week, next_week);
	store_meeting_list_free(list, n);
	return 0;
}

/* The L2 reason's title for people (the key when the catalog lacks it). */
static const char *
week_l2_title(const char *key)
{
	const struct catalog_entry *e = catalog_find(CATALOG_L2, key);

	return e != NULL ? e->title[catalog_lang_now()] : key;
}

static int
week_blockers(const struct playbook *pb, const struct store_customer *c, json_object *out,
    struct result *r)
{
	struct store_blocker	*list = NULL;
	size_t			 n = 0, i;
	json_object		*o;

	if (store_blocker_list_open(pb->st, c->id, &list, &n, r) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		o = week_customer_ref(json_object_new_object(), c);
		json_object_object_add(o, "id", json_object_new_int64(list[i].id));
		json_object_object_add(o, "service", list[i].service[0] ?
		    rules_jstr(list[i].service) : NULL);
		if (list[i].service[0])
			json_object_object_add(o, "service_title",
			    rules_jstr(rules_service_title(list[i].service)));
		json_object_object_add(o, "l2_reason", rules_jstr(list[i].l2_reason));
		json_object_object_add(o, "l2_title", rules_jstr(week_l2_title(list[i].l2_reason)));
		json_object_object_add(o, "description", rules_jstr(list[i].description));
		json_object_object_add(o, "owner", rules_jstr(list[i].owner));
		week_day(o, "opened_on", list[i].opened_on);
		json_object_array_add(out, o);
	}
	free(list);
	return 0;
}

int
playbook_week(const struct playbook *pb, json_object **out, struct result *r)
{
	struct store_facts_filter	 filter;
	struct store_facts		*facts = NULL;
	size_t				 n = 0, i;
	int32_t				 today, from;
	json_object			*o, *actions, *this_week, *next_week, *blockers;
	char				 day[11];

	*out = NULL;
	if (pb->actor == NULL || *pb->actor == '\0')
		return result_set(r, RESULT_FORBIDDEN, "role", "My week needs a signed-in user");
	memset(&filter, 0, sizeof(filter));
	filter.owner_fm = pb->actor;
	if (store_facts_list(pb->st, &filter, &facts, &n, r) == -1)
		return -1;
	today = week_today(pb);
	from = week_monday(today);
	actions = json_object_new_array();
	this_week = json_object_new_array();
	next_week = json_object_new_array();
	blockers = json_object_new_array();
	o = json_object_new_object();
	json_object_object_add(o, "actions", actions);
	json_object_object_add(o, "this_week", this_week);
	json_object_object_add(o, "next_week", next_week);
	json_object_object_add(o, "blockers", blockers);
	for (i = 0; i < n; i++) {
		const struct store_customer *c = &facts[i].customer;

		/* A closed customer has nothing left to do. */
		if (rules_customer_phase(c) == PLAYBOOK_PHASE_CLOSED)
			continue;
		if (week_action(pb, c, today, actions, r) == -1 ||
		    week_checkins(pb, c, from, this_week, next_week, r) == -1 ||
		    week_blockers(pb, c, blockers, r) == -1) {
			store_facts_free(facts, n);
			json_object_put(o);
			return -1;
		}
	}
	store_facts_free(facts, n);
	json_object_array_sort(actions, cmp_action);
	json_object_array_sort(this_week, cmp_checkin);
	json_object_array_sort(next_week, cmp_checkin);
	json_object_object_add(o, "login", rules_jstr(pb->actor));
	json_object_object_add(o, "customers", json_object_new_int64((int64_t)n));
	json_object_object_add(o, "has_actions", json_object_new_boolean(
	    json_object_array_length(actions) > 0));
	text_date_format(today, day, sizeof(day));
	week_day(o, "today", day);
	text_date_format(from, day, sizeof(day));
	week_day(o, "week_from", day);
	text_date_format(from + WEEK_DAYS - 1, day, sizeof(day));
	week_day(o, "week_to", day);
	*out = o;
	return 0;
}

/* ---------------------------------------------------------------- the team view */

/* The counts the team view shows per FM, each a portfolio filter (state=...). */
enum team_count { TEAM_READY, TEAM_IN_PROGRESS, TEAM_AT_RISK, TEAM_OVERDUE, TEAM__MAX };
static const char *const team_keys[TEAM__MAX] = {
	[TEAM_READY] = "ready",
	[TEAM_IN_PROGRESS] = "in_progress",
	[TEAM_AT_RISK] = "at_risk",
	[TEAM_OVERDUE] = "overdue",
};

struct team_row {
	char		 login[FIELD_SIZE(FIELD_FM_MAX)];
	char		 name[FIELD_SIZE(FIELD_NAME_MAX)];
	int		 active;
	int64_t		 customers;
	int64_t		 count[TEAM__MAX];
	int64_t		 blockers;
};

/* Append "/?fm=<login>[&state=<state>]" to b, the login percent-encoded. */
static void
team_link(struct buf *b, const char *login, const char *state)
{
	buf_puts(b, "/?fm=");
	buf_put_urlencoded(b, login);
	if (state != NULL)
		buf_printf(b, "&state=%s", state);
}

static json_object *
team_link_json(const char *login, const char *state)
{
	struct buf	 b;
	json_object	*o;

	buf_init(&b);
	team_link(&b, login, state);
	o = b.failed ? NULL : json_object_new_string(buf_cstr(&b));
	buf_free(&b);
	return o;
}

static const char *const team_titles[TEAM__MAX] = {
	[TEAM_READY] = "ready",
	[TEAM_IN_PROGRESS] = "in progress",
	[TEAM_AT_RISK] = "at risk",
	[TEAM_OVERDUE] = "overdue",
};

/* One cell of the team table: {key, title, count, link}. */
static json_object *
team_count_json(const char *key, const char *title, const char *login, const char *state,
    int64_t n)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "key", rules_jstr(key));
	json_object_object_add(o, "title", rules_jstr(title));
	json_object_object_add(o, "count", json_object_new_int64(n));
	json_object_object_add(o, "link", team_link_json(login, state));
	return o;
}

/* The row of login in rows[0..*n), added (not active, name = login) when missing. */
static struct team_row *
team_find(struct team_row **rows, size_t *n, size_t *cap, const char *login)
{
	struct team_row	*nv;
	size_t		 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*rows)[i].login, login) == 0)
			return &(*rows)[i];

	if ((nv = buf_array_room(*rows, *n, cap, sizeof(**rows), 8)) == NULL)
		return NULL;
	*rows = nv;
	memset(&(*rows)[*n], 0, sizeof(**rows));
	text_copy((*rows)[*n].login, sizeof((*rows)[*n].login), login);
	text_copy((*rows)[*n].name, sizeof((*rows)[*n].name), login);
	return &(*rows)[(*n)++];
}

static json_object *
team_row_json(const struct team_row *t, const struct store_blocker_count *bc, size_t nbc)
{
	json_object	*o = json_object_new_object(), *counts, *arr, *b;
	size_t		 k;

	json_object_object_add(o, "login", rules_jstr(t->login));
	json_object_object_add(o, "display_name", rules_jstr(t->name));
	json_object_object_add(o, "active", json_object_new_boolean(t->active));
	json_object_object_add(o, "customers", json_object_new_int64(t->customers));
	/* The page's cells in order, each a link to the portfolio it counts. */
	counts = json_object_new_array();
	json_object_array_add(counts, team_count_json("customers", "customers", t->login, NULL,
	    t->customers));
	for (k = 0; k < TEAM__MAX; k++) {
		json_object_object_add(o, team_keys[k], json_object_new_int64(t->count[k]));
		json_object_array_add(counts, team_count_json(team_keys[k], team_titles[k], t->login,
		    team_keys[k], t->count[k]));
	}
	json_object_object_add(o, "counts", counts);
	arr = json_object_new_array();
	for (k = 0; k < nbc; k++) {
		if (strcmp(bc[k].owner_fm, t->login) != 0)
			continue;
		b = json_object_new_object();
		json_object_object_add(b, "l2_reason", rules_jstr(bc[k].l2_reason));
		json_object_object_add(b, "title", rules_jstr(week_l2_title(bc[k].l2_reason)));
		json_object_object_add(b, "count", json_object_new_int64(bc[k].n));
		json_object_object_add(b, "link", team_link_json(t->login, NULL));
		json_object_array_add(arr, b);
	}
	json_object_object_add(o, "blockers", arr);
	json_object_object_add(o, "open_blockers", json_object_new_int64(t->blockers));
	return o;
}

/* Tally every customer of facts into its owner's row. */
static int
team_tally(const struct playbook *pb, const struct store_facts *facts, size_t n,
    struct team_row **rows, size_t *nrows, size_t *cap, struct result *r)
{
	struct playbook_readiness	*rd;
	struct team_row			*t;
	size_t				 i;

	if ((rd = malloc(sizeof(*rd))) == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: team view: out of memory");
	for (i = 0; i < n; i++) {
		if ((t = team_find(rows, nrows, cap, facts[i].customer.owner_fm)) == NULL) {
			free(rd);
			return result_set(r, RESULT_IO, NULL, "playbook: team view: out of memory");
		}
		rules_readiness_quiet(&facts[i], text_date_today(facts[i].customer.timezone,
		    (time_t)pb->now), rd);
		t->customers++;
		t->blockers += (int64_t)facts[i].n_open_blockers;
		if (rd->state == PLAYBOOK_STATE_READY)
			t->count[TEAM_READY]++;
		else if (rd->state == PLAYBOOK_STATE_IN_PROGRESS)
			t->count[TEAM_IN_PROGRESS]++;
		else if (rd->state == PLAYBOOK_STATE_AT_RISK)
			t->count[TEAM_AT_RISK]++;
		/* "overdue" overlaps the states, as in the portfolio's counts. */
		if (rd->overdue)
			t->count[TEAM_OVERDUE]++;
	}
	free(rd);
	return 0;
}

int
playbook_team(const struct playbook *pb, json_object **out, struct result *r)
{
	struct store_facts_filter	 filter;
	struct store_facts		*facts = NULL;
	struct store_user		*users = NULL;
	struct store_blocker_count	*bc = NULL;
	struct team_row			*rows = NULL, *t;
	size_t				 n = 0, nu = 0, nbc = 0, nrows = 0, cap = 0, i;
	int				 rc = -1;
	json_object			*arr;

	*out = NULL;
	if (playbook_need_role(pb, PLAYBOOK_ROLE_MANAGER, "The team view", r) == -1)
		return -1;
	memset(&filter, 0, sizeof(filter));
	if (store_user_list(pb->st, &users, &nu, r) == -1 ||
	    store_facts_list(pb->st, &filter, &facts, &n, r) == -1 ||
	    store_blocker_count_by_fm(pb->st, &bc, &nbc, r) == -1)
		goto out;
	/* Every active FM has a row, with or without customers; any other owner too. */
	for (i = 0; i < nu; i++) {
		if (!users[i].active || strcmp(users[i].role, "fm") != 0)
			continue;
		if ((t = team_find(&rows, &nrows, &cap, users[i].login)) == NULL) {
			result_set(r, RESULT_IO, NULL, "playbook: team view: out of memory");
			goto out;
		}
		t->active = 1;
		text_copy(t->name, sizeof(t->name), users[i].display_name);
	}
	if (team_tally(pb, facts, n, &rows, &nrows, &cap, r) == -1)
		goto out;
	for (i = 0; i < nrows; i++) {
		size_t k;

		for (k = 0; k < nu; k++)
			if (strcmp(users[k].login, rows[i].login) == 0) {
				text_copy(rows[i].name, sizeof(rows[i].name), users[k].display_name);
				rows[i].active = users[k].active;
			}
	}
	*out = json_object_new_object();
	arr = json_object_new_array();
	for (i = 0; i < nrows; i++)
		json_object_array_add(arr, team_row_json(&rows[i], bc, nbc));
	json_object_object_add(*out, "fms", arr);
	json_object_object_add(*out, "customers", json_object_new_int64((int64_t)n));
	rc = 0;
out:
	free(rows);
	free(users);
	free(bc);
	store_facts_free(facts, n);
	return rc;
}

/* ---------------------------------------------------------------- the calendar feed */

int
playbook_feed_items(const struct playbook *pb, struct playbook_feed *feed, struct result *r)
{
	struct store_facts_filter	 filter;
	struct store_facts		*facts = NULL;
	struct store_meeting		*list = NULL;
	struct store_checkin		 ck;
	struct result			 nr;
	size_t				 n = 0, nm = 0, i, k, cap_m = 0, cap_a = 0;
	void				*nv;

	memset(feed, 0, sizeof(*feed));
	memset(&filter, 0, sizeof(filter));
	filter.owner_fm = pb->actor;
	if (pb->actor == NULL || store_facts_list(pb->st, &filter, &facts, &n, r) == -1)
		return pb->actor == NULL ? result_set(r, RESULT_FORBIDDEN, "role",
		    "the feed needs a user") : -1;
	for (i = 0; i < n; i++) {
		const struct store_customer *c = &facts[i].customer;

		if (rules_customer_phase(c) == PLAYBOOK_PHASE_CLOSED)
			continue;
		if (store_meeting_list_active(pb->st, c->id, &list, &nm, r) == -1)
			goto fail;
		for (k = 0; k < nm; k++) {
			if ((nv = buf_array_room(feed->meetings, feed->n_meetings, &cap_m,
			    sizeof(*feed->meetings), 8)) == NULL)
				goto oom;
			feed->meetings = nv;
			feed->meetings[feed->n_meetings++] = list[k].id;
		}
		store_meeting_list_free(list, nm);
		list = NULL;
		result_clear(&nr);
		if (store_checkin_latest(pb->st, c->id, &ck, &nr) == -1) {
			if (nr.code == RESULT_NOTFOUND)
				continue;
			*r = nr;
			goto fail;
		}
		if (ck.next_action[0] == '\0' || ck.next_action_on[0] == '\0')
			continue;
		if ((nv = buf_array_room(feed->actions, feed->n_actions, &cap_a,
		    sizeof(*feed->actions), 8)) == NULL)
			goto oom;
		feed->actions = nv;
		memset(&feed->actions[feed->n_actions], 0, sizeof(*feed->actions));
		feed->actions[feed->n_actions].customer_id = c->id;
		feed->actions[feed->n_actions].checkin_id = ck.id;
		text_copy(feed->actions[feed->n_actions].customer_name,
		    sizeof(feed->actions->customer_name), c->name);
		text_copy(feed->actions[feed->n_actions].action, sizeof(feed->actions->action),
		    ck.next_action);
		text_copy(feed->actions[feed->n_actions].owner, sizeof(feed->actions->owner),
		    ck.next_action_owner);
		text_copy(feed->actions[feed->n_actions].due_on, sizeof(feed->actions->due_on),
		    ck.next_action_on);
		feed->n_actions++;
	}
	store_facts_free(facts, n);
	return 0;
oom:
	result_set(r, RESULT_IO, NULL, "playbook: feed: out of memory");
fail:
	store_meeting_list_free(list, nm);
	store_facts_free(facts, n);
	playbook_feed_free(feed);
	return -1;
}

void
playbook_feed_free(struct playbook_feed *feed)
{
	free(feed->meetings);
	free(feed->actions);
	memset(feed, 0, sizeof(*feed));
}

int
playbook_feed_token(const struct playbook *pb, const char *sha256_hex, struct result *r)
{
	struct store_user	 u;
	size_t			 i;

	if (pb->actor == NULL || store_user_get_login(pb->st, pb->actor, &u, r) == -1)
		return pb->actor == NULL ? result_set(r, RESULT_FORBIDDEN, "role",
		    "a calendar feed needs a signed-in user") : -1;
	if (sha256_hex != NULL) {
		for (i = 0; sha256_hex[i] != '\0'; i++)
			if (!((sha256_hex[i] >= '0' && sha256_hex[i] <= '9') ||
			    (sha256_hex[i] >= 'a' && sha256_hex[i] <= 'f')))
				break;
		if (i != 64 || sha256_hex[i] != '\0')
			return result_set(r, RESULT_INVALID, "token",
			    "a feed token's digest is 64 lower-case hex digits");
	}
	if (rules_begin(pb, r) == -1)
		return -1;
	if ((sha256_hex != NULL ? store_user_feed_set(pb->st, u.id, sha256_hex, pb->now, r) :
	    store_user_feed_clear(pb->st, u.id, r)) == -1 ||
	    rules_audit(pb, sha256_hex != NULL ? "user.feed_regenerate" : "user.feed_revoke",
	    "user", u.id, 0, NULL, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}
