/*
 * test_roles.c -- who may change what (issue 11), through the real route
 * table: every state-changing route (POST, PUT, PATCH, DELETE) has a
 * decision in one table, and each role's requests are answered accordingly
 * (a refusal is 403 and changes nothing).  A mutating route added to
 * cgi/routes.c without a row here fails the test.
 */
#include "autoconfig.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "app.h"
#include "config.h"
#include "csrf.h"
#include "http.h"
#include "mustache.h"
#include "playbook.h"
#include "router.h"
#include "store.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"
#include "webreq.h"

/* Who may use a route: the customer's FM, managers and admins; or every user. */
enum decision { OWNER_OR_MANAGER, ANY_USER, MANAGER };

/*
 * Each mutating route with its decision and a body that passes its form, so
 * a refusal can only come from the role.  In the path, C is the customer, K
 * its contact, B its blocker, M its series, O an outbox row, D a day a week
 * ahead (YYYY-MM-DD); each row runs in order on the same database.
 */
static const struct role_row {
	enum http_method	 method;
	const char		*pattern, *path, *body;
	enum decision		 who;
} rows[] = {
	{ HTTP_METHOD_POST, "/customers", "/customers",
	    "{\"name\":\"N\",\"tenant_domain\":\"n1.example\",\"timezone\":\"UTC\"}", ANY_USER },
	{ HTTP_METHOD_POST, "/api/customers", "/api/customers",
	    "{\"name\":\"N\",\"tenant_domain\":\"n2.example\",\"timezone\":\"UTC\"}", ANY_USER },
	{ HTTP_METHOD_POST, "/customers/{id}", "/customers/C", "{\"cadence_weeks\":3}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}", "/api/customers/C", "{\"name\":\"Renamed\"}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_PATCH, "/api/customers/{id}", "/api/customers/C", "{\"cadence_weeks\":2}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/contacts", "/customers/C/contacts",
	    "{\"name\":\"X\",\"email\":\"x1@c.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/contacts", "/api/customers/C/contacts",
	    "{\"name\":\"Y\",\"email\":\"x2@c.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/contacts/{id}/invites", "/contacts/K/invites",
	    "{\"receives_invites\":true}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/contacts/{id}/invites", "/api/contacts/K/invites",
	    "{\"receives_invites\":true}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_PATCH, "/api/contacts/{id}", "/api/contacts/K", "{\"receives_invites\":true}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/services", "/customers/C/services",
	    "{\"service\":\"sharepoint\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/services", "/api/customers/C/services",
	    "{\"service\":\"yammer\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/targets", "/customers/C/targets",
	    "{\"service\":\"exchange\",\"target_percent\":20}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/targets", "/api/customers/C/targets",
	    "{\"service\":\"exchange\",\"target_percent\":25}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/csm", "/customers/C/csm",
	    "{\"name\":\"Carla\",\"email\":\"carla@csm.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/csm", "/api/customers/C/csm",
	    "{\"name\":\"Carla\",\"email\":\"carla@csm.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_PUT, "/api/customers/{id}/csm", "/api/customers/C/csm",
	    "{\"name\":\"Carla\",\"email\":\"carla@csm.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/adoption", "/customers/C/adoption",
	    "{\"service\":\"onedrive\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/adoption", "/api/customers/C/adoption",
	    "{\"service\":\"onedrive\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/accelerator", "/customers/C/accelerator",
	    "{\"service\":\"office_proplus\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/accelerator", "/api/customers/C/accelerator",
	    "{\"service\":\"office_proplus\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/usage", "/customers/C/usage",
	    "{\"service\":\"exchange\",\"measured_on\":\"Y\",\"active_users\":5,\"eligible_users\":50}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/usage", "/api/customers/C/usage",
	    "{\"service\":\"exchange\",\"measured_on\":\"Y\",\"active_users\":6,\"eligible_users\":50}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/usage/import", "/customers/C/usage/import",
	    "{\"csv\":\"x\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/usage/import", "/api/customers/C/usage/import",
	    "{\"csv\":\"x\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/checkins", "/customers/C/checkins",
	    "{\"held_on\":\"Y\",\"next_action\":\"Call\",\"next_action_on\":\"D\","
	    "\"next_action_owner\":\"Ana\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/checkins", "/api/customers/C/checkins",
	    "{\"held_on\":\"Y\",\"next_action\":\"Mail\",\"next_action_on\":\"D\","
	    "\"next_action_owner\":\"Ana\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/tasks/{id}/complete", "/customers/C/tasks/3740/complete",
	    "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/tasks/{id}/complete",
	    "/api/customers/C/tasks/3741/complete", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/blockers", "/customers/C/blockers",
	    "{\"description\":\"Proxy\",\"owner\":\"IT\",\"l2_reason\":\"customer_it_infrastructure\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/blockers", "/api/customers/C/blockers",
	    "{\"description\":\"DNS\",\"owner\":\"IT\",\"l2_reason\":\"customer_it_infrastructure\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/blockers/{id}/resolve", "/blockers/B/resolve",
	    "{\"resolution\":\"Fixed\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/blockers/{id}/resolve", "/api/blockers/B/resolve",
	    "{\"resolution\":\"Fixed\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/meetings", "/customers/C/meetings",
	    "{\"starts_at\":\"DT10:00\",\"duration_minutes\":30,\"every_weeks\":2}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/meetings", "/api/customers/C/meetings",
	    "{\"starts_at\":\"DT11:00\",\"duration_minutes\":30,\"every_weeks\":2}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/meetings/{id}", "/meetings/M", "{\"duration_minutes\":45}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/meetings/{id}", "/api/meetings/M", "{\"duration_minutes\":50}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_PATCH, "/api/meetings/{id}", "/api/meetings/M", "{\"duration_minutes\":55}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/outbox/{id}/retry", "/outbox/O/retry", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/outbox/{id}/retry", "/api/outbox/O/retry", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/owner", "/customers/C/owner",
	    "{\"owner_fm\":\"bruno\"}", MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/owner", "/api/customers/C/owner",
	    "{\"owner_fm\":\"ana\"}", MANAGER },
	{ HTTP_METHOD_POST, "/meetings/{id}/skip", "/meetings/M/skip", "{\"occurs_on\":\"D\"}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/meetings/{id}/skip", "/api/meetings/M/skip",
	    "{\"occurs_on\":\"D\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/meetings/{id}/move", "/meetings/M/move",
	    "{\"occurs_on\":\"D\",\"starts_at\":\"DT12:00\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/meetings/{id}/move", "/api/meetings/M/move",
	    "{\"occurs_on\":\"D\",\"starts_at\":\"DT13:00\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/meetings/{id}/cancel", "/meetings/M/cancel", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/meetings/{id}/cancel", "/api/meetings/M/cancel", "{}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/success-review", "/customers/C/success-review", "{}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/success-review", "/api/customers/C/success-review",
	    "{}", OWNER_OR_MANAGER },
	/* Issue 11: every user makes or revokes their own calendar feed token, nobody else's. */
	{ HTTP_METHOD_POST, "/profile/feed", "/profile/feed", "{\"action\":\"regenerate\"}",
	    ANY_USER },
	{ HTTP_METHOD_POST, "/api/profile/feed", "/api/profile/feed", "{\"action\":\"revoke\"}",
	    ANY_USER },
	/* Issue 11: every user picks the language of their own pages. */
	{ HTTP_METHOD_POST, "/profile/language", "/profile/language", "{\"language\":\"pt-BR\"}",
	    ANY_USER },
	{ HTTP_METHOD_POST, "/api/profile/language", "/api/profile/language",
	    "{\"language\":\"browser\"}", ANY_USER },
	{ HTTP_METHOD_POST, "/customers/{id}/success-review/outcome",
	    "/customers/C/success-review/outcome", "{\"outcome\":\"additional_workloads\"}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/success-review/outcome",
	    "/api/customers/C/success-review/outcome", "{\"outcome\":\"additional_workloads\"}",
	    OWNER_OR_MANAGER },
	/* Issue 13, item 11: a contact corrected and removed, the customer archived and back. */
	{ HTTP_METHOD_POST, "/contacts/{id}", "/contacts/K",
	    "{\"name\":\"Kim B\",\"email\":\"kim@contoso.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/contacts/{id}", "/api/contacts/K",
	    "{\"name\":\"Kim C\",\"email\":\"kim.c@contoso.example\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/archive", "/customers/C/archive", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/archive", "/api/customers/C/archive", "{}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/customers/{id}/unarchive", "/customers/C/unarchive", "{}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/customers/{id}/unarchive", "/api/customers/C/unarchive", "{}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/checkins/{id}", "/checkins/1", "{\"held_on\":\"Y\",\"next_action\":"
	    "\"phone\",\"next_action_on\":\"D\",\"next_action_owner\":\"ana\"}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/checkins/{id}", "/api/checkins/1", "{\"held_on\":\"Y\","
	    "\"next_action\":\"phone again\",\"next_action_on\":\"D\",\"next_action_owner\":\"ana\"}",
	    OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/contacts/{id}/remove", "/contacts/K/remove", "{}", OWNER_OR_MANAGER },
	{ HTTP_METHOD_POST, "/api/contacts/{id}/remove", "/api/contacts/K/remove", "{}",
	    OWNER_OR_MANAGER },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/* The actors: their login, role in the users table (NULL: not a user), and the verdicts. */
static const struct actor {
	const char	*login, *role;
	int		 owner;		/* owns customer C */
} actors[] = {
	{ .login = "ana", .role = "fm", .owner = 1 },
	{ .login = "bruno", .role = "fm" },
	{ .login = "marina", .role = "manager" },
	{ .login = "root", .role = "admin" },
	{ .login = "zed" },
};

/* 1 when actor a may use a route decided who. */
static int
allowed(const struct actor *a, enum decision who)
{
	if (a->role == NULL)
		return 0;
	switch (who) {
	case ANY_USER:
		return 1;
	case MANAGER:
		return strcmp(a->role, "fm") != 0;
	case OWNER_OR_MANAGER:
		return a->owner || strcmp(a->role, "fm") != 0;
	}
	return 0;
}

struct fx {
	struct tmpdb		 db;	/* first: a tmpdb fixture, owner of the store */
	struct webreq_app	 web;
	int64_t			 c, k, b, m, o;
	char			 day[11], yesterday[11];
};

/* The world every actor starts from: users, and customer C (ana's) with a contact, services, a series, a blocker. */
static void
seed(struct fx *fx)
{
	struct playbook				 pb;
	struct playbook_customer_input		 ci = { .name = "Contoso", .tenant_domain =
	    "contoso.example", .timezone = "UTC", .owner_fm = "ana" };
	struct playbook_service_input		 si = { .service = "exchange", .licensed_users = -1 };
	struct playbook_service_input		 od = { .service = "onedrive", .licensed_users = -1 };
	struct playbook_blocker_input		 bi = { .description = "Licences", .owner = "IT",
	    .l2_reason = "customer_it_infrastructure" };
	struct result				 r;
	char					 start[17];
	int32_t					 today;
	int64_t					 checkin;	/* 1: the rows' /checkins/1 */
	size_t					 i;

	for (i = 0; i < sizeof(actors) / sizeof(actors[0]); i++)
		if (actors[i].role != NULL)
			assert_int_equal(tmpdb_user_add(fx->db.st, actors[i].login, actors[i].role), 0);
	memset(&pb, 0, sizeof(pb));
	pb.st = fx->db.st;
	pb.actor = "root";
	pb.role = PLAYBOOK_ROLE_ADMIN;
	pb.now = (int64_t)time(NULL);
	today = text_date_today("UTC", (time_t)pb.now);
	text_date_format(today + 7, fx->day, sizeof(fx->day));
	text_date_format(today - 1, fx->yesterday, sizeof(fx->yesterday));
	si.activated_on = fx->yesterday;
	snprintf(start, sizeof(start), "%sT09:00", fx->day);
	result_clear(&r);
	if (playbook_customer_create(&pb, &ci, &fx->c, &r) == -1 ||
	    playbook_contact_add(&pb, fx->c, "Kim", "kim@contoso.example", 1, &fx->k, &r) == -1 ||
	    playbook_service_activate(&pb, fx->c, &si, &r) == -1 ||
	    playbook_service_activate(&pb, fx->c, &od, &r) == -1 ||
	    playbook_adoption_join(&pb, fx->c, "onedrive", &r) == -1 ||
	    playbook_blocker_open(&pb, fx->c, &bi, &fx->b, &r) == -1 ||
	    playbook_meeting_schedule(&pb, fx->c, start, 30, 2, &fx->m, &r) == -1 ||
	    playbook_checkin_log(&pb, fx->c, &(const struct playbook_checkin_input){
	    .held_on = fx->yesterday, .next_action = "write", .next_action_on = fx->day,
	    .next_action_owner = "ana" }, &checkin, &r) == -1)
		fail_msg("seed: %s", r.message);
	fx->o = 1;
}

static int
setup(void **state)
{
	struct fx	*fx;
	struct result	 r;

	if (tmpdb_fixture_new(state, sizeof(*fx), "roles", 1) == -1)
		return -1;
	fx = *state;
	/* The pages' application on the fixture's store, which the fixture keeps and closes. */
	if (webreq_app_init(&fx->web, fx->db.path, &r) == -1) {
		fprintf(stderr, "test_roles setup: %s\n", r.message);
		tmpdb_fixture_free(state);
		return -1;
	}
	fx->web.app.store = fx->db.st;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	mustache_set_close(fx->web.app.templates);
	return tmpdb_fixture_free(state);
}

/* row's path with C, K, B, M, O and the days D, Y put in. */
static void
expand(const struct fx *fx, const char *t, char *out, size_t size)
{
	size_t o = 0;

	for (; *t != '\0' && o + 24 < size; t++) {
		int64_t	 v = *t == 'C' ? fx->c : *t == 'K' ? fx->k : *t == 'B' ? fx->b :
		    *t == 'M' ? fx->m : *t == 'O' ? fx->o : 0;
		int	 n;

		if (v > 0)
			n = snprintf(out + o, size - o, "%lld", (long long)v);
		else if (*t == 'D' && (t[1] == '"' || t[1] == 'T'))
			n = snprintf(out + o, size - o, "%s", fx->day);
		else if (*t == 'Y' && t[1] == '"')
			n = snprintf(out + o, size - o, "%s", fx->yesterday);
		else
			n = snprintf(out + o, size - o, "%c", *t);
		o += (size_t)n;
	}
	out[o] = '\0';
}

/* One JSON request as login: its status. */
static int
send(struct fx *fx, const char *login, enum http_method method, const char *path, const char *body)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct webreq_body	 rd;
	struct result		 err;
	char			 token[CSRF_TOKEN_SIZE], withtok[640];
	int			 status;

	/* The user's CSRF token in the body, as the pages' forms carry it (the API needs none). */
	csrf_token(fx->web.app.secret, login, (long long)time(NULL), fx->web.cfg.csrf_window, token);
	snprintf(withtok, sizeof(withtok), "{\"csrf\":\"%s\"%s%s", token, body[1] == '}' ? "" : ",",
	    body + 1);
	rd = (struct webreq_body){ .data = withtok, .len = strlen(withtok) };
	http_response_init(&resp);
	if (webreq_request(&req, &(const struct webreq_call){ .login = login,
	    .accept = "application/json", .method = http_method_name(method), .target = path,
	    .type = "application/json", .len = rd.len }, &err) == -1)
		fail_msg("bad test request: %s", err.message);
	router_serve(&fx->web.app, routes_table, &req, webreq_read, &rd, &resp);
	status = resp.status;
	if (status == 403 && strstr(buf_cstr(&resp.body), "role") == NULL && strcmp(login, "zed") != 0)
		fail_msg("%s %s as %s: a 403 that names no role: %s", http_method_name(method), path,
		    login, buf_cstr(&resp.body));
	http_response_free(&resp);
	http_request_free(&req);
	return status;
}

/* The customer page's view of C for login with role (own_only: visibility = own). */
static int
playbook_view_as(struct fx *fx, const char *login, enum playbook_role role, int own_only,
    json_object **v, struct result *r)
{
	struct playbook pb = { .st = fx->db.st, .actor = login, .now = (int64_t)time(NULL),
	    .role = role, .own_only = own_only };

	return playbook_customer_view(&pb, fx->c, v, r);
}

/* How many customers the portfolio lists for login. */
static int
portfolio_total(struct fx *fx, const char *login, enum playbook_role role, int own_only)
{
	struct playbook			 pb = { .st = fx->db.st, .actor = login,
	    .now = (int64_t)time(NULL), .role = role, .own_only = own_only };
	struct playbook_portfolio_query	 q;
	struct result			 r;
	json_object			*v, *o;
	int				 n;

	memset(&q, 0, sizeof(q));
	assert_int_equal(playbook_portfolio(&pb, &q, &v, &r), 0);
	assert_true(json_object_object_get_ex(v, "customers", &o));
	n = (int)json_object_array_length(o);
	json_object_put(v);
	return n;
}

/* Every state-changing route of cgi/routes.c has a row (a new one must be decided here). */
static void
test_every_route_decided(void **state)
{
	const struct route	*rt;
	size_t			 i;

	(void)state;
	for (rt = routes_table; rt->pattern != NULL; rt++) {
		if (!http_method_unsafe(rt->method))
			continue;
		for (i = 0; i < NROWS; i++)
			if (rows[i].method == rt->method && strcmp(rows[i].pattern, rt->pattern) == 0)
				break;
		if (i == NROWS)
			fail_msg("%s %s changes data but test_roles.c has no decision for it: add a row",
			    http_method_name(rt->method), rt->pattern);
	}
}

/* Each actor, on a fresh world, through every row: allowed (not 403, no 5xx) or refused (403). */
static void
test_roles_through_routes(void **state)
{
	struct fx		*fx = *state;
	char			 path[256], body[512];
	struct result		 r;
	long long		 before, after;
	size_t			 a, i;
	int			 st;
	static const char *const tables[] = { "customer", "contact", "customer_service",
	    "usage_sample", "task", "checkin", "meeting", "blocker", "outbox", "audit", NULL };

	for (a = 0; a < sizeof(actors) / sizeof(actors[0]); a++) {
		const struct actor *ac = &actors[a];

		/* A database of its own per actor: each runs the rows from the same start. */
		snprintf(body, sizeof(body), "actor%zu.db", a);
		assert_int_equal(tmpdir_path(&fx->db.tmp, body, path, sizeof(path)), 0);
		store_close(fx->db.st);
		assert_int_equal(store_open(&fx->db.st, path, &r), 0);
		fx->web.app.store = fx->db.st;
		fx->web.app.cache = NULL;
		seed(fx);
		for (i = 0; i < NROWS; i++) {
			const char *const *t;

			expand(fx, rows[i].path, path, sizeof(path));
			expand(fx, rows[i].body, body, sizeof(body));
			before = 0;
			for (t = tables; *t != NULL; t++)
				before += store_count(fx->db.st, *t);
			st = send(fx, ac->login, rows[i].method, path, body);
			after = 0;
			for (t = tables; *t != NULL; t++)
				after += store_count(fx->db.st, *t);
			if (allowed(ac, rows[i].who)) {
				if (st == 403 || st >= 500)
					fail_msg("%s %s as %s (%s): %d, want allowed",
					    http_method_name(rows[i].method), path, ac->login,
					    ac->role, st);
			} else {
				if (st != 403)
					fail_msg("%s %s as %s (%s): %d, want 403",
					    http_method_name(rows[i].method), path, ac->login,
					    ac->role ? ac->role : "not a user", st);
				if (after != before)
					fail_msg("%s %s as %s: refused, yet rows went from %lld to %lld",
					    http_method_name(rows[i].method), path, ac->login, before,
					    after);
			}
		}
	}
}

/* The views of issue 11 per actor: My week and the exports for every user, the team view for managers and admins. */
static void
test_views_by_role(void **state)
{
	static const struct { const char *path; enum decision who; } views[] = {
		{ "/api/week", ANY_USER },
		{ "/api/team", MANAGER },
		{ "/api/profile", ANY_USER },
		{ "/export/portfolio.csv", ANY_USER },
		{ "/export/portfolio.json", ANY_USER },
	};
	struct fx	*fx = *state;
	size_t		 a, i;
	int		 st;

	seed(fx);
	for (a = 0; a < sizeof(actors) / sizeof(actors[0]); a++)
		for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
			st = send(fx, actors[a].login, HTTP_METHOD_GET, views[i].path, "{}");
			if (allowed(&actors[a], views[i].who) ? st != 200 : st != 403)
				fail_msg("GET %s as %s: %d, want %s", views[i].path, actors[a].login,
				    st, allowed(&actors[a], views[i].who) ? "200" : "403");
		}
}

/* The page offers forms only to who may use them; visibility = own hides others' customers (404, absent). */
static void
test_visibility_and_flags(void **state)
{
	struct fx	*fx = *state;
	json_object	*v = NULL, *o;
	char		 path[64];
	struct result	 r;

	seed(fx);
	snprintf(path, sizeof(path), "/api/customers/%lld", (long long)fx->c);
	assert_int_equal(playbook_view_as(fx, "ana", PLAYBOOK_ROLE_FM, 0, &v, &r), 0);
	assert_true(json_object_object_get_ex(v, "can_edit", &o) && json_object_get_boolean(o));
	assert_true(json_object_object_get_ex(v, "can_reassign", &o) && !json_object_get_boolean(o));
	json_object_put(v);
	assert_int_equal(playbook_view_as(fx, "bruno", PLAYBOOK_ROLE_FM, 0, &v, &r), 0);
	assert_true(json_object_object_get_ex(v, "can_edit", &o) && !json_object_get_boolean(o));
	json_object_put(v);
	assert_int_equal(playbook_view_as(fx, "marina", PLAYBOOK_ROLE_MANAGER, 1, &v, &r), 0);
	assert_true(json_object_object_get_ex(v, "can_reassign", &o) && json_object_get_boolean(o));
	json_object_put(v);
	/* visibility = own: bruno does not see it, through the routes too. */
	assert_int_equal(playbook_view_as(fx, "bruno", PLAYBOOK_ROLE_FM, 1, &v, &r), -1);
	assert_int_equal(r.code, RESULT_NOTFOUND);
	fx->web.cfg.visibility = CONFIG_VISIBILITY_OWN;
	assert_int_equal(send(fx, "bruno", HTTP_METHOD_GET, path, "{}"), 404);
	assert_int_equal(send(fx, "ana", HTTP_METHOD_GET, path, "{}"), 200);
	assert_int_equal(send(fx, "marina", HTTP_METHOD_GET, path, "{}"), 200);
	assert_int_equal(portfolio_total(fx, "bruno", PLAYBOOK_ROLE_FM, 1), 0);
	assert_int_equal(portfolio_total(fx, "ana", PLAYBOOK_ROLE_FM, 1), 1);
	assert_int_equal(portfolio_total(fx, "bruno", PLAYBOOK_ROLE_FM, 0), 1);
	fx->web.cfg.visibility = CONFIG_VISIBILITY_TEAM;
	assert_int_equal(send(fx, "bruno", HTTP_METHOD_GET, path, "{}"), 200);
}

UNIT_MAIN("roles",
	cmocka_unit_test(test_every_route_decided),
	cmocka_unit_test_setup_teardown(test_roles_through_routes, setup, teardown),
	cmocka_unit_test_setup_teardown(test_visibility_and_flags, setup, teardown),
	cmocka_unit_test_setup_teardown(test_views_by_role, setup, teardown),
)
