/*
 * test_team.c -- the views of issue 11 through the real route table: My week
 * (overdue first, skipped check-ins left out), the team view (manager only,
 * links to the filtered portfolio), the exports (CSV escaping and the
 * formula guard, visibility = own) and the calendar feed (token shown once,
 * stored as a digest, no sign-in, no METHOD, revoked = 404).
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
#include "router.h"
#include "store.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"
#include "webreq.h"

struct fixture {
	struct tmpdb		 db;	/* first: a tmpdb fixture (its file, not opened by it) */
	struct webreq_app	 web;
	char			 day[4][11];	/* today - 3, today - 1, today + 1, today + 8 (UTC) */
};

/*
 * One request as login (NULL: no REMOTE_USER, as a calendar client) with an
 * optional JSON or form body; the status, the whole response in out.
 */
static int
send(struct fixture *fx, const char *login, const char *method, const char *path,
    const char *type, const char *body, struct buf *out)
{
	const int		 json = type != NULL && strcmp(type, "application/json") == 0;
	const struct webreq_call c = { .login = login, .accept = json ? "application/json" : NULL,
	    .method = method, .target = path, .type = body != NULL ? type : NULL,
	    .len = body != NULL ? strlen(body) : 0 };
	struct http_request	 req;
	struct result		 err;

	if (webreq_request(&req, &c, &err) == -1)
		fail_msg("bad test request: %s", err.message);
	return webreq_serve(&fx->web.app, &req, body, c.len, out);
}

/* A JSON API call as login that must answer want. */
static void
api(struct fixture *fx, const char *login, const char *method, const char *path,
    const char *body, int want, struct buf *out)
{
	int st = send(fx, login, method, path, body ? "application/json" : NULL, body, out);

	if (st != want)
		fail_msg("%s %s as %s: %d, want %d: %.400s", method, path, login, st, want,
		    buf_cstr(out));
}

/* The JSON body of a CGI response (after the blank line). */
static json_object *
body_json(const struct buf *out)
{
	const char *b = strstr(buf_cstr(out), "\r\n\r\n");

	return b ? json_tokener_parse(b + 4) : NULL;
}

static int
setup(void **state)
{
	static const int	 offs[4] = { -3, -1, 1, 8 };
	struct fixture		*fx;
	struct result		 r;
	int32_t			 today;
	size_t			 i;

	if (tmpdb_fixture_new(state, sizeof(*fx), "team", 0) == -1)
		return -1;
	fx = *state;
	result_clear(&r);
	if (webreq_app_open(&fx->web, fx->db.path, &r) == -1) {
		fprintf(stderr, "test_team setup: %s\n", r.message);
		return -1;
	}
	/* Two FMs and a manager; the feed's digest and the views are about them. */
	if (tmpdb_user_add(fx->web.app.store, "fm.ana", "fm") == -1 ||
	    tmpdb_user_add(fx->web.app.store, "fm.bruno", "fm") == -1 ||
	    tmpdb_user_add(fx->web.app.store, "marina", "manager") == -1)
		return -1;
	today = text_date_today("UTC", time(NULL));
	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		text_date_format(today + offs[i], fx->day[i], sizeof(fx->day[i]));
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *fx = *state;

	webreq_app_close(&fx->web);
	return tmpdb_fixture_free(state);
}

/*
 * Ana's customer 1 "Contoso, Ltd" (UTC) with an overdue next action, a
 * weekly series from tomorrow with the check-in a week later skipped, and an
 * open blocker; Bruno's customer 2 "=cmd|' /C calc'!A0" (a formula).
 */
static void
seed(struct fixture *fx, struct buf *out)
{
	char	 body[512];

	api(fx, "fm.ana", "POST", "/api/customers", "{\"name\":\"Contoso, Ltd\","
	    "\"tenant_domain\":\"contoso.example\",\"timezone\":\"UTC\"}", 201, out);
	api(fx, "fm.ana", "POST", "/api/customers/1/contacts",
	    "{\"name\":\"Kim\",\"email\":\"kim@contoso.example\"}", 201, out);
	snprintf(body, sizeof(body), "{\"service\":\"exchange\",\"activated_on\":\"%s\"}",
	    fx->day[0]);
	api(fx, "fm.ana", "POST", "/api/customers/1/services", body, 201, out);
	snprintf(body, sizeof(body), "{\"held_on\":\"%s\",\"summary\":\"Kick-off\","
	    "\"next_action\":\"Send the \\\"quote\\\"\",\"next_action_on\":\"%s\","
	    "\"next_action_owner\":\"Ana\"}", fx->day[0], fx->day[1]);
	api(fx, "fm.ana", "POST", "/api/customers/1/checkins", body, 201, out);
	snprintf(body, sizeof(body), "{\"starts_at\":\"%sT10:00\",\"duration_minutes\":30,"
	    "\"every_weeks\":1}", fx->day[2]);
	api(fx, "fm.ana", "POST", "/api/customers/1/meetings", body, 201, out);
	snprintf(body, sizeof(body), "{\"occurs_on\":\"%s\"}", fx->day[3]);
	api(fx, "fm.ana", "POST", "/api/meetings/1/skip", body, 200, out);
	api(fx, "fm.ana", "POST", "/api/customers/1/blockers", "{\"description\":\"Proxy blocks "
	    "Teams\",\"owner\":\"IT\",\"l2_reason\":\"customer_it_infrastructure\"}", 201, out);
	api(fx, "marina", "POST", "/api/customers", "{\"name\":\"=cmd|' /C calc'!A0\","
	    "\"tenant_domain\":\"evil.example\",\"timezone\":\"UTC\",\"owner_fm\":\"fm.bruno\"}",
	    201, out);
}

/* The starts_at of every check-in in view.key, joined. */
static void
starts_of(json_object *view, const char *key, char *out, size_t size)
{
	json_object	*arr, *v;
	size_t		 i, o = 0;

	out[0] = '\0';
	if (!json_object_object_get_ex(view, key, &arr))
		return;
	for (i = 0; i < json_object_array_length(arr) && o + 20 < size; i++) {
		json_object_object_get_ex(json_object_array_get_idx(arr, i), "starts_at", &v);
		o += (size_t)snprintf(out + o, size - o, "%s ", json_object_get_string(v));
	}
}

static void
test_week(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	json_object	*v, *a, *x;
	char		 starts[512], want[32];

	buf_init(&out);
	seed(fx, &out);
	api(fx, "fm.ana", "GET", "/api/week", NULL, 200, &out);
	assert_non_null(v = body_json(&out));
	/* The overdue action first, with its day in words. */
	assert_true(json_object_object_get_ex(v, "actions", &a));
	assert_int_equal(json_object_array_length(a), 1);
	x = json_object_array_get_idx(a, 0);
	assert_true(json_object_object_get_ex(x, "overdue", &a) && json_object_get_boolean(a));
	assert_true(json_object_object_get_ex(x, "due_on_text", &a));
	/* Tomorrow's check-in is there; the one skipped a week later is not. */
	starts_of(v, "this_week", starts, sizeof(starts));
	starts_of(v, "next_week", starts + strlen(starts), sizeof(starts) - strlen(starts));
	snprintf(want, sizeof(want), "%sT10:00", fx->day[2]);
	if (strstr(starts, want) == NULL)
		fail_msg("My week lacks %s: %s", want, starts);
	snprintf(want, sizeof(want), "%sT10:00", fx->day[3]);
	if (strstr(starts, want) != NULL)
		fail_msg("My week shows the skipped %s: %s", want, starts);
	assert_true(json_object_object_get_ex(v, "blockers", &a));
	assert_int_equal(json_object_array_length(a), 1);
	json_object_put(v);
	/* Tomorrow's check-in moved to the day after at 15:00: shown there, marked moved. */
	{
		int32_t	 today = text_date_today("UTC", time(NULL));
		char	 later[11], body[160];

		text_date_format(today + 2, later, sizeof(later));
		snprintf(body, sizeof(body), "{\"occurs_on\":\"%s\",\"starts_at\":\"%sT15:00\"}",
		    fx->day[2], later);
		api(fx, "fm.ana", "POST", "/api/meetings/1/move", body, 200, &out);
		api(fx, "fm.ana", "GET", "/api/week", NULL, 200, &out);
		assert_non_null(v = body_json(&out));
		starts_of(v, "this_week", starts, sizeof(starts));
		starts_of(v, "next_week", starts + strlen(starts), sizeof(starts) - strlen(starts));
		json_object_put(v);
		snprintf(want, sizeof(want), "%sT15:00", later);
		if (strstr(starts, want) == NULL)
			fail_msg("My week lacks the moved check-in %s: %s", want, starts);
		snprintf(want, sizeof(want), "%sT10:00", fx->day[2]);
		if (strstr(starts, want) != NULL)
			fail_msg("My week shows the moved check-in at its old time %s: %s", want, starts);
		assert_non_null(strstr(buf_cstr(&out), "\"moved\":true"));
	}
	/* Bruno owns nothing of this: his week is empty, Ana's customer absent. */
	api(fx, "fm.bruno", "GET", "/api/week", NULL, 200, &out);
	assert_null(strstr(buf_cstr(&out), "Contoso"));
	/* The page, linked from the nav. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/week", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "<h1>My week</h1>"));
	assert_non_null(strstr(buf_cstr(&out), "Contoso, Ltd"));
	assert_non_null(strstr(buf_cstr(&out), "href=\"/week\""));
	assert_null(strstr(buf_cstr(&out), "href=\"/team\""));
	buf_free(&out);
}

static void
test_team(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	seed(fx, &out);
	/* An FM is refused, naming the role; a manager and an admin see it. */
	api(fx, "fm.ana", "GET", "/api/team", NULL, 403, &out);
	assert_non_null(strstr(buf_cstr(&out), "manager"));
	assert_int_equal(send(fx, "fm.ana", "GET", "/team", NULL, NULL, &out), 403);
	api(fx, "marina", "GET", "/api/team", NULL, 200, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"login\":\"fm.ana\""));
	assert_non_null(strstr(buf_cstr(&out), "\"link\":\"/?fm=fm.ana&state=overdue\""));
	assert_non_null(strstr(buf_cstr(&out), "\"l2_reason\":\"customer_it_infrastructure\","
	    "\"title\":"));
	/* An FM without customers has a row too; a login with '@' is encoded in the link. */
	assert_int_equal(tmpdb_user_add(fx->web.app.store, "carla@example.com", "fm"), 0);
	api(fx, "marina", "GET", "/api/team", NULL, 200, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"link\":\"/?fm=carla%40example.com&state=ready\""));
	assert_int_equal(send(fx, "marina", "GET", "/team", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "href=\"/?fm=fm.bruno&amp;state=ready\""));
	assert_non_null(strstr(buf_cstr(&out), "href=\"/team\""));
	/* The link's filter is the portfolio's: it answers with Bruno's customers only. */
	api(fx, "marina", "GET", "/api/customers?fm=fm.bruno", NULL, 200, &out);
	assert_null(strstr(buf_cstr(&out), "Contoso"));
	buf_free(&out);
}

static void
test_export(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	const char	*b;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.csv", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "Content-Type: text/csv; charset=utf-8"));
	assert_non_null(b = strstr(buf_cstr(&out), "\r\n\r\n"));
	/* BOM, header, CRLF rows; the comma quoted; the formula neutralised. */
	assert_memory_equal(b + 4, "\xEF\xBB\xBF" "Customer,Tenant domain,FM,", 29);
	assert_non_null(strstr(b, "\r\n\"Contoso, Ltd\",contoso.example,fm.ana,"));
	assert_non_null(strstr(b, "\r\n'=cmd|' /C calc'!A0,evil.example,fm.bruno,"));
	/* The pages offer them: the portfolio with its filters, the customer page its two lists. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/?state=in_progress&q=S%C3%A3o", NULL, NULL, &out),
	    200);
	assert_non_null(strstr(buf_cstr(&out),
	    "href=\"/export/portfolio.csv?q=S%C3%A3o&amp;state=in_progress\""));
	assert_int_equal(send(fx, "fm.ana", "GET", "/customers/1", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "href=\"/customers/1/checkins.csv\""));
	assert_non_null(strstr(buf_cstr(&out), "href=\"/customers/1/blockers.csv\""));
	/* The filters of the page apply. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.csv?fm=fm.bruno", NULL, NULL,
	    &out), 200);
	assert_null(strstr(buf_cstr(&out), "Contoso"));
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.csv?state=nonsense", NULL,
	    NULL, &out), 400);
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.json", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "\"total\":2"));
	/* A customer's check-ins and blockers; the quotes of the action doubled. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/customers/1/checkins.csv", NULL, NULL, &out),
	    200);
	assert_non_null(strstr(buf_cstr(&out), "\"Send the \"\"quote\"\"\""));
	assert_int_equal(send(fx, "fm.ana", "GET", "/customers/1/blockers.csv", NULL, NULL, &out),
	    200);
	assert_non_null(strstr(buf_cstr(&out), "Proxy blocks Teams,IT,,\r\n"));
	/* visibility = own: Bruno's customer is absent for Ana, and 404 by id. */
	fx->web.cfg.visibility = CONFIG_VISIBILITY_OWN;
	fx->web.app.cache = NULL;
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.csv", NULL, NULL, &out), 200);
	assert_null(strstr(buf_cstr(&out), "evil.example"));
	assert_non_null(strstr(buf_cstr(&out), "contoso.example"));
	assert_int_equal(send(fx, "fm.ana", "GET", "/customers/2/checkins.csv", NULL, NULL, &out),
	    404);
	fx->web.cfg.visibility = CONFIG_VISIBILITY_TEAM;
	/* An archived customer leaves the portfolio but stays in the export. */
	fx->web.app.cache = NULL;
	api(fx, "fm.bruno", "POST", "/api/customers/2/archive", "{}", 200, &out);
	api(fx, "fm.ana", "GET", "/api/customers", NULL, 200, &out);
	assert_null(strstr(buf_cstr(&out), "evil.example"));
	assert_int_equal(send(fx, "fm.ana", "GET", "/export/portfolio.csv", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "evil.example"));
	buf_free(&out);
}

/* The token of the feed address in a profile page: 64 hex digits after "/feed/". */
static void
token_of(const struct buf *out, char tok[65])
{
	const char *p = strstr(buf_cstr(out), "/feed/");

	if (p == NULL)
		fail_msg("no feed address in %.300s", buf_cstr(out));
	memcpy(tok, p + 6, 64);
	tok[64] = '\0';
	assert_int_equal(strncmp(p + 70, ".ics", 4), 0);
}

/* A user picks the language of their own pages; unset, the browser's decides. */
static void
test_profile_language(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	seed(fx, &out);
	api(fx, "fm.ana", "GET", "/api/profile", NULL, 200, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"language\":\"\""));
	api(fx, "fm.ana", "POST", "/api/profile/language", "{\"language\":\"fr\"}", 422, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"fields\":{\"language\":"));
	api(fx, "fm.ana", "POST", "/api/profile/language", "{\"language\":\"pt-BR\"}", 200, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"language\":\"pt-BR\""));
	/* The next page speaks it. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/profile", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "<html lang=\"pt-BR\">"));
	api(fx, "fm.ana", "POST", "/api/profile/language", "{\"language\":\"browser\"}", 200, &out);
	assert_non_null(strstr(buf_cstr(&out), "\"language\":\"\""));
	assert_int_equal(send(fx, "fm.ana", "GET", "/profile", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "<html lang=\"en\">"));
	buf_free(&out);
}

static void
test_feed(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	struct result	 r;
	char		 form[160], tok[65], path[96], *dbtext;
	size_t		 dblen;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(send(fx, "fm.ana", "GET", "/profile", NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "You have no feed address."));
	snprintf(form, sizeof(form), "csrf=%s&action=regenerate", fx->web.token);
	assert_int_equal(send(fx, "fm.ana", "POST", "/profile/feed",
	    "application/x-www-form-urlencoded", form, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "webcal://fm.example.com/feed/"));
	token_of(&out, tok);
	/* Shown once: the profile no longer has it, and the database holds only its digest. */
	assert_int_equal(send(fx, "fm.ana", "GET", "/profile", NULL, NULL, &out), 200);
	assert_null(strstr(buf_cstr(&out), tok));
	assert_int_equal(store_count(fx->web.app.store, "user_feed"), 1);
	assert_non_null(dbtext = unit_file_read(fx->db.path, &dblen, &r));
	assert_null(memmem(dbtext, dblen, tok, 64));
	free(dbtext);
	/* No sign-in: the token is the credential; a subscription, not an iTIP message. */
	snprintf(path, sizeof(path), "/feed/%s.ics", tok);
	assert_int_equal(send(fx, NULL, "GET", path, NULL, NULL, &out), 200);
	assert_non_null(strstr(buf_cstr(&out), "Content-Type: text/calendar; charset=utf-8"));
	assert_null(strstr(buf_cstr(&out), "METHOD:"));
	assert_non_null(strstr(buf_cstr(&out), "RRULE:FREQ=WEEKLY"));
	assert_non_null(strstr(buf_cstr(&out), "EXDATE"));
	assert_non_null(strstr(buf_cstr(&out), "X-WR-CALNAME:"));
	assert_non_null(strstr(buf_cstr(&out), "DTSTART;VALUE=DATE:"));
	assert_non_null(strstr(buf_cstr(&out), "SUMMARY:Next action \xe2\x80\x94 Contoso\\, Ltd: "));
	/* A wrong token and a malformed one are alike "no feed". */
	path[7] = path[7] == '0' ? '1' : '0';
	assert_int_equal(send(fx, NULL, "GET", path, NULL, NULL, &out), 404);
	assert_int_equal(send(fx, NULL, "GET", "/feed/xyz.ics", NULL, NULL, &out), 404);
	/* A bad action changes nothing; revoked, the address is dead. */
	snprintf(form, sizeof(form), "csrf=%s&action=delete", fx->web.token);
	assert_int_equal(send(fx, "fm.ana", "POST", "/profile/feed",
	    "application/x-www-form-urlencoded", form, &out), 422);
	assert_int_equal(store_count(fx->web.app.store, "user_feed"), 1);
	snprintf(form, sizeof(form), "csrf=%s&action=revoke", fx->web.token);
	assert_int_equal(send(fx, "fm.ana", "POST", "/profile/feed",
	    "application/x-www-form-urlencoded", form, &out), 303);
	assert_int_equal(store_count(fx->web.app.store, "user_feed"), 0);
	snprintf(path, sizeof(path), "/feed/%s.ics", tok);
	assert_int_equal(send(fx, NULL, "GET", path, NULL, NULL, &out), 404);
	buf_free(&out);
}

UNIT_MAIN("team",
	cmocka_unit_test_setup_teardown(test_week, setup, teardown),
	cmocka_unit_test_setup_teardown(test_team, setup, teardown),
	cmocka_unit_test_setup_teardown(test_export, setup, teardown),
	cmocka_unit_test_setup_teardown(test_feed, setup, teardown),
	cmocka_unit_test_setup_teardown(test_profile_language, setup, teardown),
)
