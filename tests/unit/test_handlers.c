/*
 * test_handlers.c -- the page and API handlers through the real route table
 * and router_serve, without a server: status codes, JSON shapes, forms shown
 * again with their errors, escaping, the .ics download, the CSV import, and
 * refused input leaving the database unchanged.
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
#include <unistd.h>

#include <cmocka.h>

#include "app.h"
#include "config.h"
#include "csrf.h"
#include "fields.h"
#include "http.h"
#include "mustache.h"
#include "result.h"
#include "router.h"
#include "store.h"
#include "unit.h"
#include "tmpdb.h"
#include "webreq.h"

struct fixture {
	char			 dir[64];
	struct webreq_app	 web;
};

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct result	 r;
	char		 db[128];

	if (fx == NULL)
		return -1;
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_handlers.XXXXXX");
	if (mkdtemp(fx->dir) == NULL)
		return -1;
	snprintf(db, sizeof(db), "%s/db.sqlite", fx->dir);
	result_clear(&r);
	if (webreq_app_open(&fx->web, db, &r) == -1) {
		fprintf(stderr, "test_handlers setup: %s\n", r.message);
		return -1;
	}
	if (tmpdb_user_add(fx->web.app.store, "fm.ana", "fm") == -1)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	webreq_app_close(&fx->web);
	webreq_dir_remove(fx->dir);
	free(fx);
	return 0;
}

/*
 * One request: method, path (query after '?'), content type and body (may be
 * NULL).  Returns the status; out holds the whole CGI response.
 */
static int
request(struct fixture *fx, const char *method, const char *target, const char *type,
    const char *body, size_t blen, struct buf *out)
{
	struct http_request	 req;
	struct result		 err;

	if (webreq_user_request(&req, method, target, body != NULL ? type : NULL,
	    body ? blen : 0, &err) == -1)
		fail_msg("bad test request: %s", err.message);
	return webreq_serve(&fx->web.app, &req, body, blen, out);
}

static int
json(struct fixture *fx, const char *method, const char *path, const char *body, struct buf *out)
{
	return request(fx, method, path, "application/json", body, body ? strlen(body) : 0, out);
}

/* An HTML form post with the user's CSRF token prepended. */
static int
form(struct fixture *fx, const char *path, const char *fields, struct buf *out)
{
	char body[4096];

	snprintf(body, sizeof(body), "csrf=%s%s%s", fx->web.token, *fields ? "&" : "", fields);
	return request(fx, "POST", path, "application/x-www-form-urlencoded", body, strlen(body), out);
}

/* The customer every scripted test starts from (seed) and test_api_create makes. */
#define CONTOSO_JSON "{\"name\":\"Contoso\",\"tenant_domain\":\"contoso.onmicrosoft.com\"," \
	"\"timezone\":\"America/Sao_Paulo\"}"

/* How a step's body is sent. */
enum step_kind {
	STEP_JSON,		/* body (NULL for none) as application/json, with method */
	STEP_FORM,		/* a POST of the form fields in body, the user's CSRF token first */
	STEP_FORM_RAW,		/* a POST of body as the whole form: its token, or none, as given */
};

#define STEP_WANT_MAX 8

/*
 * One request of a scripted test and what must come back: the status, texts
 * the answer holds and one it must not, and, when table is set, how many
 * rows that table has afterwards.
 */
struct step {
	enum step_kind	 kind;
	const char	*method;
	const char	*path;
	const char	*body;
	int		 status;
	const char	*want[STEP_WANT_MAX];
	const char	*absent;
	const char	*table;
	long long	 rows;
};

/* Runs n steps in order; a failure names the step's index, request and the answer. */
static void
steps_run(struct fixture *fx, const struct step *steps, size_t n, struct buf *out)
{
	const struct step	*s;
	const char		*method;
	size_t			 i, w;
	int			 status;

	for (i = 0; i < n; i++) {
		s = &steps[i];
		method = s->kind == STEP_JSON ? s->method : "POST";
		if (s->kind == STEP_FORM)
			status = form(fx, s->path, s->body, out);
		else if (s->kind == STEP_FORM_RAW)
			status = request(fx, method, s->path, "application/x-www-form-urlencoded",
			    s->body, strlen(s->body), out);
		else
			status = json(fx, method, s->path, s->body, out);
		if (status != s->status)
			fail_msg("step %zu (%s %s): status %d, want %d: %.600s", i, method, s->path,
			    status, s->status, buf_cstr(out));
		for (w = 0; w < STEP_WANT_MAX && s->want[w] != NULL; w++)
			if (strstr(buf_cstr(out), s->want[w]) == NULL)
				fail_msg("step %zu (%s %s): no \"%s\" in %.600s", i, method, s->path,
				    s->want[w], buf_cstr(out));
		if (s->absent != NULL && strstr(buf_cstr(out), s->absent) != NULL)
			fail_msg("step %zu (%s %s): \"%s\" should not be in %.600s", i, method, s->path,
			    s->absent, buf_cstr(out));
		if (s->table != NULL && store_count(fx->web.app.store, s->table) != s->rows)
			fail_msg("step %zu (%s %s): %lld rows in %s, want %lld", i, method, s->path,
			    store_count(fx->web.app.store, s->table), s->table, s->rows);
	}
}

#define STEPS_RUN(fx, steps, out) \
	steps_run((fx), (steps), sizeof(steps) / sizeof((steps)[0]), (out))

/* The tables whose row counts a refused request must leave as they were. */
static const char *const counted[] = {
	"customer", "contact", "customer_service", "usage_sample", "blocker", "checkin",
};

#define COUNTED_N (sizeof(counted) / sizeof(counted[0]))

struct counts {
	long long	 rows[COUNTED_N];
};

static void
counts_take(struct fixture *fx, struct counts *c)
{
	size_t	 i;

	for (i = 0; i < COUNTED_N; i++)
		c->rows[i] = store_count(fx->web.app.store, counted[i]);
}

/* Fails naming the table whose row count is no longer the one c took plus added. */
static void
counts_grown(struct fixture *fx, const struct counts *c, const char *table, long long added)
{
	size_t		 i;
	long long	 now, want;

	for (i = 0; i < COUNTED_N; i++) {
		now = store_count(fx->web.app.store, counted[i]);
		want = c->rows[i] + (table != NULL && strcmp(table, counted[i]) == 0 ? added : 0);
		if (now != want)
			fail_msg("%s has %lld rows, want %lld", counted[i], now, want);
	}
}

/* dst (size bytes) is unit written n times; the test fails when it does not fit. */
static void
repeat(char *dst, size_t size, const char *unit, size_t n)
{
	size_t	 i, ulen = strlen(unit);

	if (n * ulen >= size)
		fail_msg("%zu times \"%s\" does not fit in %zu bytes", n, unit, size);
	for (i = 0; i < n; i++)
		memcpy(dst + i * ulen, unit, ulen);
	dst[n * ulen] = '\0';
}

static void seed(struct fixture *, struct buf *);

/* Where a script starts: the empty database, or Contoso as seed() makes it. */
enum script_start {
	SCRIPT_FRESH,
	SCRIPT_SEEDED,
};

/* A test that is only a script, run on the test's own fixture. */
static void
script_run(void **state, enum script_start start, const struct step *steps, size_t n)
{
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	if (start == SCRIPT_SEEDED)
		seed(fx, &out);
	steps_run(fx, steps, n, &out);
	buf_free(&out);
}

#define SCRIPT_RUN(state, start, steps) \
	script_run((state), (start), (steps), sizeof(steps) / sizeof((steps)[0]))

static void
seed(struct fixture *fx, struct buf *out)
{
	static const struct step steps[] = {
		{ .method = "POST", .path = "/api/customers", .body = CONTOSO_JSON, .status = 201 },
		{ .method = "POST", .path = "/api/customers/1/services",
		  .body = "{\"service\":\"exchange\",\"activated_on\":\"2026-11-01\"}", .status = 201 },
		{ .method = "POST", .path = "/api/customers/1/contacts",
		  .body = "{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}", .status = 201 },
	};

	STEPS_RUN(fx, steps, out);
}

static void
test_api_create(void **state)
{
	static const struct step created[] = {
		{ .method = "POST", .path = "/api/customers", .body = CONTOSO_JSON, .status = 201,
		  .want = { "\"id\":1,", "\"owner_fm\":\"fm.ana\"", "\"readiness\":{" } },
	};
	/* The audit trail names the server-given user; its times read as ISO-8601 like every other instant. */
	static const struct step audit[] = {
		{ .method = "GET", .path = "/api/customers/1", .status = 200,
		  .want = { "\"actor\":\"fm.ana\"", "\"action\":\"customer.create\"", "\"at\":\"20" } },
	};
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	STEPS_RUN(fx, created, &out);
	assert_non_null(strstr(out.data, "\r\nLocation: https://fm.example.com/api/customers/1\r\n") ?
	    out.data : strstr(out.data, "\r\nLocation: /api/customers/1\r\n"));
	STEPS_RUN(fx, audit, &out);
	buf_free(&out);
}

static void
test_api_refusals_change_nothing(void **state)
{
	static const struct step refused[] = {
		{ .method = "POST", .path = "/api/customers",
		  .body = "{\"name\":\"X\",\"tenant_domain\":\"x.example.com\",\"timezone\":\"Mars/Base\"}",
		  .status = 422, .want = { "\"fields\":{\"timezone\":" } },
		{ .method = "POST", .path = "/api/customers",
		  .body = "{\"name\":\"X\",\"tenant_domain\":\"x.example.com\",\"timezone\":\"UTC\","
		      "\"language\":\"fr\"}",
		  .status = 422, .want = { "\"fields\":{\"language\":" } },
		{ .method = "POST", .path = "/api/customers",
		  .body = "{\"name\":\"Dup\",\"tenant_domain\":\"CONTOSO.onmicrosoft.com\",\"timezone\":\"UTC\"}",
		  .status = 409, .want = { "\"fields\":{\"tenant_domain\":" } },
		/* CR/LF in a value bound for a mail header. */
		{ .method = "POST", .path = "/api/customers/1/contacts",
		  .body = "{\"name\":\"Rui\\r\\nBcc: x@evil.example\",\"email\":\"rui@contoso.com\"}",
		  .status = 422, .want = { "\"fields\":{\"name\":" } },
		{ .method = "POST", .path = "/api/customers/1/contacts",
		  .body = "{\"name\":\"Rui\",\"email\":\"rui@contoso.com\\r\\nBcc: x@evil.example\"}",
		  .status = 422 },
		{ .method = "POST", .path = "/api/customers/1/contacts",
		  .body = "{\"name\":5,\"email\":\"rui@contoso.com\"}", .status = 422 },
		{ .method = "POST", .path = "/api/customers/42/contacts",
		  .body = "{\"name\":\"Rui\",\"email\":\"rui@contoso.com\"}",
		  .status = 404, .want = { "{\"error\":\"no customer with id 42\"}" } },
		{ .method = "POST", .path = "/api/customers/1/usage",
		  .body = "{\"service\":\"exchange\",\"measured_on\":\"2026-11-10\",\"active_users\":11,"
		      "\"eligible_users\":10}", .status = 422 },
		{ .method = "POST", .path = "/api/customers/1/usage",
		  .body = "{\"service\":\"exchange\",\"measured_on\":\"2026-11-10\",\"active_users\":\"1\","
		      "\"eligible_users\":10}", .status = 422 },
		{ .method = "POST", .path = "/api/customers/1/blockers",
		  .body = "{\"description\":\"x\",\"owner\":\"y\",\"l2_reason\":\"bogus\"}", .status = 422 },
		{ .method = "GET", .path = "/api/customers?state=bogus", .status = 400 },
	};
	struct fixture	*fx = *state;
	struct buf	 out;
	struct counts	 before;

	buf_init(&out);
	seed(fx, &out);
	counts_take(fx, &before);
	STEPS_RUN(fx, refused, &out);
	counts_grown(fx, &before, NULL, 0);
	assert_int_equal(store_count(fx->web.app.store, "usage_sample"), 0);
	assert_int_equal(store_count(fx->web.app.store, "blocker"), 0);
	buf_free(&out);
}

static void
test_meetings_and_ics(void **state)
{
	static const struct step scheduled[] = {
		{ .method = "POST", .path = "/api/customers/1/meetings",
		  .body = "{\"starts_at\":\"2030-01-07T10:00\",\"duration_minutes\":30,\"every_weeks\":2}",
		  .status = 201, .want = { "\"sequence\":0" } },
		{ .method = "PATCH", .path = "/api/meetings/1", .body = "{\"starts_at\":\"2030-01-08T11:30\"}",
		  .status = 200, .want = { "\"sequence\":1" } },
		{ .method = "GET", .path = "/meetings/1/invite.ics", .status = 200,
		  /* A download is a copy to keep, not a request to answer (RFC 5546 3.2.1). */
		  .want = { "Content-Type: text/calendar; charset=utf-8\r\n", "BEGIN:VCALENDAR\r\n",
		      "METHOD:PUBLISH\r\n", "STATUS:CONFIRMED\r\n", "SEQUENCE:1\r\n",
		      "DTSTART;TZID=America/Sao_Paulo:20300108T113000\r\n", "RRULE:FREQ=WEEKLY;INTERVAL=2" },
		  .absent = "ATTENDEE" },
	};
	/* No organizer_email: the sender's address stands in, as in the notifier... */
	static const struct step sender[] = {
		{ .method = "GET", .path = "/meetings/1/invite.ics", .status = 200,
		  .want = { "mailto:ft@fm.example.com" } },
	};
	/* ...unless it is no address a calendar accepts: a clear 500. */
	static const struct step no_organizer[] = {
		{ .method = "GET", .path = "/meetings/1/invite.ics", .status = 500,
		  .want = { "organizer_email is not set" } },
		{ .method = "POST", .path = "/api/meetings/1/cancel", .body = "{}", .status = 200,
		  .want = { "\"status\":\"cancelled\"" } },
		{ .method = "POST", .path = "/api/meetings/1/cancel", .body = "{}", .status = 409 },
		{ .method = "GET", .path = "/api/outbox", .status = 200,
		  .want = { "\"total\":3", "\"kind\":\"cancel\"" } },
		{ .method = "GET", .path = "/meetings/9/invite.ics", .status = 404 },
	};
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	seed(fx, &out);
	STEPS_RUN(fx, scheduled, &out);
	fx->web.cfg.organizer_email[0] = '\0';
	snprintf(fx->web.cfg.smtp_from, sizeof(fx->web.cfg.smtp_from), "FastTrack <ft@fm.example.com>");
	STEPS_RUN(fx, sender, &out);
	snprintf(fx->web.cfg.smtp_from, sizeof(fx->web.cfg.smtp_from), "ftsuccess <ftsuccess@localhost>");
	STEPS_RUN(fx, no_organizer, &out);
	buf_free(&out);
}

static void
test_html_form_flow(void **state)
{
	static const struct step steps[] = {
		{ .kind = STEP_FORM, .path = "/customers",
		  .body = "name=Fabrikam+%26+Co&tenant_domain=fabrikam.com&timezone=Europe%2FBerlin",
		  .status = 303, .want = { "/customers/1?done=customer_created\r\n" } },
		/* Without the token: refused, nothing written. */
		{ .kind = STEP_FORM_RAW, .path = "/customers",
		  .body = "name=X&tenant_domain=x.example.com&timezone=UTC", .status = 403,
		  .table = "customer", .rows = 1 },
		/* The notice is a fixed text chosen by key. */
		{ .method = "GET", .path = "/customers/1?done=customer_created", .status = 200,
		  .want = { "Customer created.", "Fabrikam &amp; Co" } },
		{ .method = "GET", .path = "/customers/1?done=%3Cscript%3E", .status = 200,
		  .absent = "<script>" },
	};
	SCRIPT_RUN(state, SCRIPT_FRESH, steps);
}

static void
test_html_invalid_form_kept(void **state)
{
	static const struct step steps[] = {
		/* No next action: 422, the error next to the field, the summary still there. */
		{ .kind = STEP_FORM, .path = "/customers/1/checkins",
		  .body = "held_on=2026-11-20&summary=Talked+about+%3Cb%3Edrive%3C%2Fb%3E+sync&next_action="
		      "&next_action_on=2026-11-27&next_action_owner=Ana&services=exchange",
		  .status = 422, .want = { "Talked about &lt;b&gt;drive&lt;/b&gt; sync",
		      "value=\"exchange\" checked", "Next action is required." },
		  .table = "checkin", .rows = 0 },
		/* A rule of the playbook lands next to its field too. */
		{ .kind = STEP_FORM, .path = "/customers/1/checkins",
		  .body = "held_on=2026-11-20&summary=ok&next_action=Send+kit&next_action_on=2026-11-19"
		      "&next_action_owner=Ana",
		  .status = 422, .want = { "is before the meeting" }, .table = "checkin", .rows = 0 },
		{ .kind = STEP_FORM, .path = "/customers/1/checkins",
		  .body = "held_on=2026-11-20&summary=ok&next_action=Send+kit&next_action_on=2026-11-27"
		      "&next_action_owner=Ana&services=exchange",
		  .status = 303, .table = "checkin", .rows = 1 },
	};
	SCRIPT_RUN(state, SCRIPT_SEEDED, steps);
}

static void
test_portfolio_escapes(void **state)
{
	static const struct step steps[] = {
		{ .method = "POST", .path = "/api/customers",
		  .body = "{\"name\":\"<img src=x onerror=alert(1)>\",\"tenant_domain\":\"xss.example.com\","
		      "\"timezone\":\"UTC\"}", .status = 201 },
		{ .method = "GET", .path = "/", .status = 200,
		  .want = { "&lt;img src=x onerror=alert(1)&gt;" }, .absent = "<img src=x" },
		{ .method = "GET", .path = "/api/customers?q=xss", .status = 200, .want = { "\"total\":1" } },
	};
	SCRIPT_RUN(state, SCRIPT_FRESH, steps);
}

/*
 * The pager link keeps a search of 100 accented characters whole: encoded it
 * is 600 bytes, and a link built in 512 bytes came out cut inside a "%C3"
 * with no "page=", which the next request refused with 400.
 */
static void
test_pager_long_accented_query(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 body[2048], name[512], q[1024], want[1200], link[1200];
	const char	*p, *end;
	size_t		 o;

	buf_init(&out);
	repeat(name, sizeof(name), "\xc3\xa9", 100);
	repeat(q, sizeof(q), "%C3%A9", 100);
	snprintf(body, sizeof(body), "{\"name\":\"%s A\",\"tenant_domain\":\"pa.example.com\","
	    "\"timezone\":\"UTC\"}", name);
	assert_int_equal(json(fx, "POST", "/api/customers", body, &out), 201);
	snprintf(body, sizeof(body), "{\"name\":\"%s B\",\"tenant_domain\":\"pb.example.com\","
	    "\"timezone\":\"UTC\"}", name);
	assert_int_equal(json(fx, "POST", "/api/customers", body, &out), 201);
	snprintf(want, sizeof(want), "/?q=%s&page=2", q);
	snprintf(link, sizeof(link), "/?q=%s&per_page=1", q);
	assert_int_equal(json(fx, "GET", link, NULL, &out), 200);
	/* The href, HTML-escaped ("&amp;"), of the next page: find it and undo the escape. */
	assert_non_null(p = strstr(out.data, "rel=\"next\" href=\""));
	assert_non_null(p = strstr(p, "/?q="));
	assert_non_null(end = strchr(p, '"'));
	for (o = 0; p < end && o + 1 < sizeof(link); o++) {
		if (strncmp(p, "&amp;", 5) == 0) {
			link[o] = '&';
			p += 5;
		} else
			link[o] = *p++;
	}
	link[o] = '\0';
	assert_string_equal(link, want);
	/* Following it is a good request, not a 400. */
	assert_int_equal(json(fx, "GET", link, NULL, &out), 200);
	buf_free(&out);
}

/*
 * Issue 10: 600 "é" in next_action (1,200 bytes, 600 characters) passed the
 * form and was refused by the playbook ("longer than 1000 bytes").  Now the
 * form, the API and the rules count characters from one spec: 600 is taken
 * by both, 1,001 is refused by the form naming the limit, and nothing is kept.
 */
static void
test_next_action_accented(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 form600[8192], json600[8192], json1001[8192], enc[4096], raw[4096];
	const struct step steps[] = {
		{ .kind = STEP_FORM, .path = "/customers/1/checkins", .body = form600, .status = 303 },
		{ .method = "POST", .path = "/api/customers/1/checkins", .body = json600, .status = 201,
		  .table = "checkin", .rows = 2 },
		{ .method = "POST", .path = "/api/customers/1/checkins", .body = json1001, .status = 422,
		  .want = { "\"next_action\":\"Must be at most 1000 characters." },
		  .table = "checkin", .rows = 2 },
	};

	buf_init(&out);
	seed(fx, &out);
	repeat(enc, sizeof(enc), "%C3%A9", 600);
	repeat(raw, sizeof(raw), "\xc3\xa9", 600);
	snprintf(form600, sizeof(form600), "held_on=2026-11-20&next_action=%s&next_action_on=2026-11-27"
	    "&next_action_owner=Ana&services=exchange", enc);
	snprintf(json600, sizeof(json600), "{\"held_on\":\"2026-11-21\",\"next_action\":\"%s\","
	    "\"next_action_on\":\"2026-11-28\",\"next_action_owner\":\"Ana\"}", raw);
	repeat(raw, sizeof(raw), "\xc3\xa9", 1001);
	snprintf(json1001, sizeof(json1001), "{\"held_on\":\"2026-11-22\",\"next_action\":\"%s\","
	    "\"next_action_on\":\"2026-11-29\",\"next_action_owner\":\"Ana\"}", raw);
	STEPS_RUN(fx, steps, &out);
	buf_free(&out);
}

#define USAGE_CSV "\"csv\":\"Report Refresh Date,Exchange Active,Exchange Inactive," \
	"Teams Active,Teams Inactive,Report Period\\n2026-11-20,120,880,5,95,7\\n\""

static void
test_usage_import(void **state)
{
	static const struct step steps[] = {
		{ .method = "POST", .path = "/api/customers/1/usage/import", .body = "{" USAGE_CSV "}",
		  .status = 200, .want = { "\"importable\":1",
		      "\"skip_reason\":\"not an intended service of this customer\"" },
		  .table = "usage_sample", .rows = 0 },
		{ .method = "POST", .path = "/api/customers/1/usage/import",
		  .body = "{" USAGE_CSV ",\"confirm\":true}", .status = 200,
		  .want = { "\"imported\":1" }, .table = "usage_sample", .rows = 1 },
		{ .method = "POST", .path = "/api/customers/1/usage/import",
		  .body = "{\"csv\":\"a,b\\n1,2\\n\",\"confirm\":true}", .status = 422,
		  .want = { "Report Refresh Date" }, .table = "usage_sample", .rows = 1 },
	};
	SCRIPT_RUN(state, SCRIPT_SEEDED, steps);
}

static void
test_review_flow(void **state)
{
	static const struct step steps[] = {
		{ .method = "POST", .path = "/api/customers/1/success-review", .body = "{}", .status = 422,
		  .want = { "not ready for Success Review" } },
		/* One decimal, not json-c's 17 digits. */
		{ .method = "POST", .path = "/api/customers/1/usage",
		  .body = "{\"service\":\"exchange\",\"measured_on\":\"2026-11-20\",\"active_users\":100,"
		      "\"eligible_users\":1000}", .status = 201, .want = { "\"au_percent\":10.0}" } },
		{ .method = "POST", .path = "/api/customers/1/usage",
		  .body = "{\"service\":\"exchange\",\"measured_on\":\"2026-11-21\",\"active_users\":123,"
		      "\"eligible_users\":1000}", .status = 201, .want = { "\"au_percent\":12.3}" } },
		{ .method = "POST", .path = "/api/customers/1/success-review", .body = "{}", .status = 200,
		  .want = { "\"phase\":\"success_review\"" } },
		{ .method = "POST", .path = "/api/customers/1/success-review/outcome",
		  .body = "{\"outcome\":\"nope\"}", .status = 422 },
		{ .method = "POST", .path = "/api/customers/1/success-review/outcome",
		  .body = "{\"outcome\":\"transition_to_csm\"}", .status = 200,
		  .want = { "\"phase\":\"closed\"" } },
	};
	SCRIPT_RUN(state, SCRIPT_SEEDED, steps);
}

/*
 * Issue 9, validation gaps: JSON numbers must be JSON numbers for every
 * numeric field; lengths are characters in form, API and rules alike; text
 * with nothing visible is refused.
 */
static void
test_validation_gaps(void **state)
{
	/* Decimal percentages as JSON numbers (json-c printed 0.1 as 0.10000000000000001). */
	static const struct step decimals[] = {
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":0.1}", .status = 200 },
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":33.3}", .status = 200 },
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":99.99}", .status = 200 },
		{ .method = "POST", .path = "/api/customers/1/services",
		  .body = "{\"service\":\"teams\",\"target_percent\":12.5}", .status = 201,
		  .want = { "\"target_percent\":12.5" } },
		/* The HTML form sends text and keeps doing so. */
		{ .kind = STEP_FORM, .path = "/customers/1/targets",
		  .body = "service=teams&target_percent=33.3", .status = 303 },
		/* A customer's mail language: set, kept by a PATCH that does not name it, back to the FM's. */
		{ .method = "PATCH", .path = "/api/customers/1", .body = "{\"language\":\"pt-BR\"}",
		  .status = 200, .want = { "\"language\":\"pt-BR\"" } },
		{ .method = "PATCH", .path = "/api/customers/1", .body = "{\"cadence_weeks\":3}",
		  .status = 200, .want = { "\"language\":\"pt-BR\"" } },
		{ .method = "PATCH", .path = "/api/customers/1", .body = "{\"language\":\"fm\"}",
		  .status = 200, .want = { "\"language\":\"\"" } },
	};
	static const struct step refused[] = {
		/* One rule for numbers in JSON: a string is refused for every numeric field. */
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":\"50\"}", .status = 422,
		  .want = { "\"target_percent\":\"Must be a number" } },
		{ .method = "POST", .path = "/api/customers/1/services",
		  .body = "{\"service\":\"sharepoint\",\"target_percent\":\"50\"}", .status = 422 },
		{ .method = "PATCH", .path = "/api/customers/1", .body = "{\"cadence_weeks\":\"2\"}",
		  .status = 422, .want = { "\"cadence_weeks\":\"Must be a whole number" } },
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":0.05}", .status = 422 },
		{ .method = "POST", .path = "/api/customers/1/targets",
		  .body = "{\"service\":\"exchange\",\"target_percent\":true}", .status = 422 },
		/* Nothing visible: a zero-width joiner, or ZWSP + NBSP + BOM. */
		{ .method = "POST", .path = "/api/customers",
		  .body = "{\"name\":\"\\u200d\",\"tenant_domain\":\"zwj.example.com\",\"timezone\":\"UTC\"}",
		  .status = 422, .want = { "\"name\":\"Must contain a visible character" } },
		{ .method = "POST", .path = "/api/customers/1/contacts",
		  .body = "{\"name\":\"\\u200b\\u00a0\\ufeff\",\"email\":\"zw@contoso.com\"}", .status = 422 },
		{ .kind = STEP_FORM, .path = "/customers/1/contacts",
		  .body = "name=%E2%80%8D&email=zw%40contoso.com", .status = 422,
		  .want = { "Contact name must contain a visible character" } },
	};
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 body[2048], name[1024];
	struct counts	 before;

	buf_init(&out);
	seed(fx, &out);
	STEPS_RUN(fx, decimals, &out);
	counts_take(fx, &before);
	STEPS_RUN(fx, refused, &out);
	/* 201 characters is over the limit however it is sent. */
	repeat(name, sizeof(name), "\xc3\xa9", 201);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"tenant_domain\":\"e201.example.com\","
	    "\"timezone\":\"UTC\"}", name);
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers", body, &out), 422,
	    &out, "at most 200 characters");
	counts_grown(fx, &before, NULL, 0);

	/* 150 "é" (300 bytes) and 51 emoji (204 bytes) are within 200 characters. */
	repeat(name, sizeof(name), "\xc3\xa9", 150);
	snprintf(body, sizeof(body), "{\"name\":\"%s\",\"tenant_domain\":\"e150.example.com\","
	    "\"timezone\":\"UTC\"}", name);
	assert_int_equal(json(fx, "POST", "/api/customers", body, &out), 201);
	repeat(name, sizeof(name), "%F0%9F%98%80", 51);
	snprintf(body, sizeof(body), "name=%s&tenant_domain=emoji.example.com&timezone=UTC", name);
	assert_int_equal(form(fx, "/customers", body, &out), 303);
	counts_grown(fx, &before, "customer", 2);
	buf_free(&out);
}

/* The body of an answer holds none of the needles (API keys a page must not show). */
static void
expect_none(const struct buf *out, const char *const *needles)
{
	const char	*p;

	for (; *needles != NULL; needles++)
		if ((p = strstr(out->data, *needles)) != NULL)
			fail_msg("found \"%s\" at: %.120s", *needles, p > out->data + 80 ? p - 80 : p);
}

/*
 * Issue 13, items 1 and 2: every field's error in one pass, the rules'
 * checks included; on pages each once, at the field, named by its label,
 * with a summary at the top linking to it; the JSON API keeps its keys.
 */
static void
test_errors_at_once(void **state)
{
	static const char *const keys[] = { "name:", "tenant_domain:", "timezone:",
	    "cadence_weeks:", "l2_reason:", "This field is required.", "Some fields are not valid",
	    NULL };
	static const char *const sentences[] = { "Customer name is required.",
	    "&quot;not a domain&quot; is not a domain name like contoso.onmicrosoft.com.",
	    "Time zone must be a time zone name such as Europe/Berlin.",
	    "Check-in cadence must be between 1 and 4.", "There are 4 problems:", NULL };
	struct fixture		*fx = *state;
	struct buf		 out;
	const char *const	*s;
	const char		*p;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(form(fx, "/customers",
	    "name=&tenant_domain=not+a+domain&timezone=Sao+Paulo&cadence_weeks=9", &out), 422);
	for (s = sentences; *s != NULL; s++) {
		/* Twice: at the field and in the summary, and no third time. */
		p = strstr(out.data, *s);
		if (p == NULL)
			fail_msg("no \"%s\" in:\n%s", *s, out.data);
		if (strcmp(*s, "There are 4 problems:") != 0) {
			assert_non_null(p = strstr(p + 1, *s));
			assert_null(strstr(p + 1, *s));
		}
	}
	assert_non_null(strstr(out.data, "<a href=\"#f-customer-cadence_weeks\">"));
	assert_non_null(strstr(out.data, "role=\"alert\" tabindex=\"-1\""));
	expect_none(&out, keys);
	assert_int_equal(store_count(fx->web.app.store, "customer"), 1);
	/* The API: the same four at once, under their keys, in its words. */
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers", "{\"name\":\"\",\"tenant_domain\":"
	    "\"not a domain\",\"timezone\":\"Sao Paulo\",\"cadence_weeks\":9}", &out), 422,
	    &out, "\"cadence_weeks\":\"Must be between 1 and 4.\"");
	assert_non_null(strstr(out.data, "\"tenant_domain\":\"\\\"not a domain\\\" is not a domain name"));
	assert_non_null(strstr(out.data, "\"name\":\"This field is required.\""));
	assert_non_null(strstr(out.data, "\"timezone\":"));
	/* An empty blocker: description, owner and the L2 reason together. */
	assert_int_equal(form(fx, "/customers/1/blockers", "description=&owner=&l2_reason=", &out), 422);
	assert_non_null(strstr(out.data, "Description is required."));
	assert_non_null(strstr(out.data, "Owner is required."));
	assert_non_null(strstr(out.data, "A Blocked entry needs its L2 reason."));
	assert_non_null(strstr(out.data, "There are 3 problems:"));
	expect_none(&out, keys);
	assert_int_equal(store_count(fx->web.app.store, "blocker"), 0);
	/* A rule's refusal of a valid form: once at its field, no banner repeating it. */
	assert_int_equal(form(fx, "/customers/1/usage",
	    "service=exchange&measured_on=2026-11-20&active_users=600&eligible_users=500", &out), 422);
	assert_null(strstr(out.data, "class=\"alert\""));
	assert_non_null(strstr(out.data, "There is a problem:"));
	/* The counts' rule joins the form's own errors, in words (no key inside the sentence either). */
	assert_int_equal(form(fx, "/customers/1/usage",
	    "service=exchange&measured_on=2026-13-01&active_users=600&eligible_users=500", &out), 422);
	assert_non_null(strstr(out.data, "There are 2 problems:"));
	assert_non_null(strstr(out.data, "Measured on must be a date written YYYY-MM-DD."));
	assert_non_null(strstr(out.data, "Active users (600) cannot exceed licensed (eligible) users (500)."));
	assert_null(strstr(out.data, "eligible_users ("));
	assert_int_equal(store_count(fx->web.app.store, "usage_sample"), 0);
	buf_free(&out);
}

/* The <select> whose id is id, up to its end, copied into out (size bytes). */
static void
select_of(const struct buf *out, const char *id, char *sel, size_t size)
{
	char		 pat[96];
	const char	*p, *e;

	snprintf(pat, sizeof(pat), "<select id=\"%s\"", id);
	assert_non_null(p = strstr(out->data, pat));
	assert_non_null(e = strstr(p, "</select>"));
	assert_true((size_t)(e - p) < size);
	memcpy(sel, p, (size_t)(e - p));
	sel[e - p] = '\0';
}

/* Issue 13, item 3: a form shown again keeps every input, its selects included (and only its own). */
static void
test_selects_kept(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 sel[4096];

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(form(fx, "/customers/1/usage",
	    "service=exchange&measured_on=2026-11-20&active_users=600&eligible_users=500", &out), 422);
	select_of(&out, "f-usage-service", sel, sizeof(sel));
	assert_non_null(strstr(sel, "<option value=\"exchange\" selected>"));
	assert_non_null(strstr(out.data, "name=\"active_users\" value=\"600\""));
	assert_non_null(strstr(out.data, "name=\"eligible_users\" value=\"500\""));
	assert_non_null(strstr(out.data, "name=\"measured_on\" value=\"2026-11-20\""));
	/* The other forms fed by the same services choose nothing. */
	select_of(&out, "f-target-service", sel, sizeof(sel));
	assert_null(strstr(sel, " selected"));
	select_of(&out, "f-blocker-service", sel, sizeof(sel));
	assert_null(strstr(sel, " selected"));
	/* A blocker keeps its service and its reasons. */
	assert_int_equal(form(fx, "/customers/1/blockers",
	    "description=&owner=Ana&l1_status=in_progress&l2_reason=legal_regulatory&service=exchange", &out), 422);
	select_of(&out, "f-blocker-service", sel, sizeof(sel));
	assert_non_null(strstr(sel, "<option value=\"exchange\" selected>"));
	select_of(&out, "f-blocker-l2_reason", sel, sizeof(sel));
	assert_non_null(strstr(sel, "<option value=\"legal_regulatory\" selected>"));
	select_of(&out, "f-usage-service", sel, sizeof(sel));
	assert_null(strstr(sel, " selected"));
	buf_free(&out);
}

/* Issue 13, item 4: a failed Resolve shows its error on the blocker's row, naming the blocker. */
static void
test_resolve_error_on_row(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	const char	*row, *end, *err;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(json(fx, "POST", "/api/customers/1/blockers", "{\"description\":\"Proxy blocks "
	    "sync\",\"owner\":\"Ana\",\"l2_reason\":\"legal_regulatory\"}", &out), 201);
	assert_int_equal(json(fx, "POST", "/api/customers/1/blockers", "{\"description\":\"Second "
	    "one\",\"owner\":\"Ana\",\"l2_reason\":\"legal_regulatory\"}", &out), 201);
	assert_int_equal(form(fx, "/blockers/2/resolve", "resolution=", &out), 422);
	/* In the row of blocker 2, at its input, and nowhere above "Record a blocker". */
	assert_non_null(row = strstr(out.data, "Second one<span"));
	assert_non_null(end = strstr(row, "</tr>"));
	assert_non_null(err = strstr(row, "<p class=\"field-error\" id=\"e-resolve2-resolution\">"
	    "Resolution is required.</p>"));
	assert_true(err < end);
	assert_non_null(strstr(err, "id=\"f-resolve2-resolution\" name=\"resolution\" placeholder="
	    "\"How it was resolved\" value=\"\" aria-invalid=\"true\""));
	assert_null(strstr(out.data, "Resolving a blocker"));
	assert_null(strstr(out.data, "e-resolve1-resolution"));
	/* The summary names the blocker and links to its input. */
	assert_non_null(strstr(out.data, "<a href=\"#f-resolve2-resolution\">Blocker \u201cSecond one\u201d: "
	    "Resolution is required.</a>"));
	assert_int_equal(store_count(fx->web.app.store, "blocker"), 2);
	/* A task's note too: on the task's row, named by its title. */
	assert_int_equal(json(fx, "POST", "/api/customers/1/services",
	    "{\"service\":\"teams\",\"activated_on\":\"2026-11-01\"}", &out), 201);
	assert_int_equal(json(fx, "PUT", "/api/customers/1/csm",
	    "{\"name\":\"Carla\",\"email\":\"carla@csm.example\"}", &out), 200);
	assert_int_equal(form(fx, "/customers/1/tasks/3731/complete", "note=a%01b", &out), 422);
	assert_non_null(err = strstr(out.data, "<p class=\"field-error\" id=\"e-task3731-note\">"
	    "Note must not contain control characters.</p>"));
	assert_non_null(strstr(err, "id=\"f-task3731-note\" name=\"note\""));
	assert_non_null(strstr(out.data, "<a href=\"#f-task3731-note\">Task \u201c"));
	assert_null(strstr(out.data, "Completing a task"));
	buf_free(&out);
}

/* Issue 13, item 5: one AU target limit: the page's min/max/step are the spec's, the server says the same. */
static void
test_target_limit_one(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 attrs[128], said[128];

	buf_init(&out);
	seed(fx, &out);
	snprintf(attrs, sizeof(attrs), "min=\"%g\" max=\"%g\" step=\"%g\"", FIELD_PERCENT_MIN,
	    FIELD_PERCENT_MAX, FIELD_PERCENT_STEP);
	snprintf(said, sizeof(said), "AU target must be a percentage between %g and %g.",
	    FIELD_PERCENT_MIN, FIELD_PERCENT_MAX);
	assert_int_equal(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200);
	assert_non_null(strstr(strstr(out.data, "id=\"f-service-target_percent\""), attrs));
	assert_non_null(strstr(strstr(out.data, "id=\"f-target-target_percent\""), attrs));
	assert_string_equal(attrs, "min=\"0.1\" max=\"100\" step=\"0.1\"");
	/* The lowest the page allows is taken; just under it is refused in the same words. */
	assert_int_equal(form(fx, "/customers/1/targets", "service=exchange&target_percent=0.1", &out), 303);
	assert_int_equal(form(fx, "/customers/1/targets", "service=exchange&target_percent=0.09", &out), 422);
	assert_non_null(strstr(out.data, said));
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/targets",
	    "{\"service\":\"exchange\",\"target_percent\":100.5}", &out), 422,
	    &out, "between 0.1 and 100");
	buf_free(&out);
}

/* Issue 13, item 6: re-saving the same CSM says nothing changed and nothing was queued. */
static void
test_csm_says_what_happened(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	long long	 mails;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(json(fx, "POST", "/api/customers/1/services",
	    "{\"service\":\"teams\",\"activated_on\":\"2026-11-01\"}", &out), 201);
	assert_int_equal(form(fx, "/customers/1/csm", "name=Carla+Mendes&email=carla%40csm.example", &out), 303);
	assert_non_null(strstr(out.data, "?done=csm_saved\r\n"));
	WEBREQ_EXPECT(request(fx, "GET", "/customers/1?done=csm_saved", NULL, NULL, 0, &out), 200, &out,
	    "Carla Mendes is the CSM: handshake mails are queued for the live Modern Comms services.");
	mails = store_count(fx->web.app.store, "outbox");
	assert_int_equal(form(fx, "/customers/1/csm", "name=Carla+Mendes&email=carla%40csm.example", &out), 303);
	assert_non_null(strstr(out.data, "?done=csm_unchanged\r\n"));
	assert_int_equal(store_count(fx->web.app.store, "outbox"), mails);
	WEBREQ_EXPECT(request(fx, "GET", "/customers/1?done=csm_unchanged", NULL, NULL, 0, &out), 200, &out,
	    "Nothing changed: Carla Mendes was already the CSM; no handshake queued.");
	assert_null(strstr(out.data, "handshakes are queued"));
	/* Another name, same address: saved, and still nothing queued. */
	assert_int_equal(form(fx, "/customers/1/csm", "name=Carla+M.&email=carla%40csm.example", &out), 303);
	assert_non_null(strstr(out.data, "?done=csm_saved_none\r\n"));
	buf_free(&out);
}

/*
 * Issue 13, item 9: cancelling a series and stopping a contact's invites
 * ask first, on a page that names who will be mailed; the GET mails no one,
 * the page's form POSTs the action.
 */
static void
test_confirm_before_mailing(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	long long	 mails;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(json(fx, "POST", "/api/customers/1/contacts",
	    "{\"name\":\"Bruno <b>Lima</b>\",\"email\":\"bruno@contoso.com\"}", &out), 201);
	assert_int_equal(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2030-01-07T10:00\",\"duration_minutes\":30,\"every_weeks\":2}", &out), 201);
	/* The customer page links to the question; no form there posts the cancellation. */
	assert_int_equal(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200);
	assert_non_null(strstr(out.data, "href=\"/meetings/1/cancel\" data-confirm>Cancel this series…"));
	assert_null(strstr(out.data, "action=\"/meetings/1/cancel\""));
	assert_null(strstr(out.data, "action=\"/contacts/1/invites\""));
	mails = store_count(fx->web.app.store, "outbox");
	WEBREQ_EXPECT(request(fx, "GET", "/meetings/1/cancel", NULL, NULL, 0, &out), 200, &out,
	    "<h1>Cancel a check-in series</h1>");
	assert_non_null(strstr(out.data, "Who will be mailed the cancellation of every meeting of the series:"));
	assert_non_null(strstr(out.data, "<li>Ana Souza &lt;ana@contoso.com&gt;</li>"));
	assert_non_null(strstr(out.data, "<li>Bruno &lt;b&gt;Lima&lt;/b&gt; &lt;bruno@contoso.com&gt;</li>"));
	assert_non_null(strstr(out.data, "<form method=\"post\" action=\"/meetings/1/cancel\">"));
	assert_non_null(strstr(out.data, "name=\"csrf\" value=\""));
	assert_non_null(strstr(out.data, ">Cancel the series and mail the cancellation</button>"));
	assert_non_null(strstr(out.data, "href=\"/customers/1#checkins\">Keep the series</a>"));
	assert_int_equal(store_count(fx->web.app.store, "outbox"), mails);
	/* Stopping a contact's invites: that contact is mailed, and the page says so. */
	WEBREQ_EXPECT(request(fx, "GET", "/contacts/2/invites", NULL, NULL, 0, &out), 200, &out,
	    "Who will be mailed a cancellation of each active series:");
	assert_non_null(strstr(out.data, "<li>Bruno &lt;b&gt;Lima&lt;/b&gt; &lt;bruno@contoso.com&gt;</li>"));
	assert_null(strstr(out.data, "<li>Ana Souza"));
	assert_non_null(strstr(out.data, "<input type=\"hidden\" name=\"receives_invites\" value=\"0\">"));
	assert_int_equal(store_count(fx->web.app.store, "outbox"), mails);
	/* The page's form does it. */
	assert_int_equal(form(fx, "/contacts/2/invites", "receives_invites=0", &out), 303);
	assert_true(store_count(fx->web.app.store, "outbox") > mails);
	assert_int_equal(form(fx, "/meetings/1/cancel", "", &out), 303);
	/* Cancelled: nothing left to ask about. */
	assert_int_equal(request(fx, "GET", "/meetings/1/cancel", NULL, NULL, 0, &out), 409);
	assert_int_equal(request(fx, "GET", "/meetings/9/cancel", NULL, NULL, 0, &out), 404);
	/* No active series: starting invites mails nobody, and the page says that. */
	WEBREQ_EXPECT(request(fx, "GET", "/contacts/2/invites", NULL, NULL, 0, &out), 200, &out,
	    "there is no active series, so nobody is mailed.");
	buf_free(&out);
}

/*
 * Issue 9, CSRF: a form posted with a genuine token of an older window gets
 * a page that says it expired and posts the same input again with a fresh
 * token; a wrong token gets a plain 403.  Neither changes anything.
 */
static void
test_form_expired(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 old[CSRF_TOKEN_SIZE], fresh[CSRF_TOKEN_SIZE], bob[CSRF_TOKEN_SIZE];
	char		 expired[512], foreign[512], want[200];
	long long	 now = (long long)time(NULL);
	struct counts	 before;
	const struct step steps[] = {
		{ .kind = STEP_FORM_RAW, .path = "/customers/1/contacts", .body = expired, .status = 403,
		  .want = { "This form has expired", "submit it again", "action=\"/customers/1/contacts\"",
		      /* the input is kept, escaped, for one click to post it again */
		      "name=\"name\" value=\"Kim &quot;K&quot; Lee\"",
		      "name=\"email\" value=\"kim@contoso.com\"", want },
		  .absent = old },
		/* another user's current token is not "expired", just refused */
		{ .kind = STEP_FORM_RAW, .path = "/customers/1/contacts", .body = foreign, .status = 403,
		  .want = { "not valid" }, .absent = "This form has expired" },
	};

	buf_init(&out);
	seed(fx, &out);
	counts_take(fx, &before);
	csrf_token(fx->web.app.secret, "fm.ana", now - 2 * fx->web.cfg.csrf_window, fx->web.cfg.csrf_window, old);
	snprintf(expired, sizeof(expired), "csrf=%s&name=Kim+%%22K%%22+Lee&email=kim%%40contoso.com"
	    "&receives_invites=1", old);
	csrf_token(fx->web.app.secret, "fm.ana", now, fx->web.cfg.csrf_window, fresh);
	snprintf(want, sizeof(want), "name=\"csrf\" value=\"%s\"", fresh);
	csrf_token(fx->web.app.secret, "fm.bob", now, fx->web.cfg.csrf_window, bob);
	snprintf(foreign, sizeof(foreign), "csrf=%s&name=Kim&email=kim%%40contoso.com", bob);
	STEPS_RUN(fx, steps, &out);
	counts_grown(fx, &before, NULL, 0);
	/* posting the kept input with the fresh token works */
	assert_int_equal(form(fx, "/customers/1/contacts", "name=Kim+%22K%22+Lee&email=kim%40contoso.com",
	    &out), 303);
	counts_grown(fx, &before, "contact", 1);
	buf_free(&out);
}

/* Demo mode: the outbox page shows the notifier's copy, its text part decoded. */
static void
test_outbox_copy(void **state)
{
	static const struct step shown[] = {
		{ .method = "GET", .path = "/outbox/1", .status = 200,
		  .want = { "Invited: Caf\xc3\xa9 &lt;Aurora&gt; with a soft break",
		      "2030-01-07T10:00 (America/Sao_Paulo)" } },
		/* Without a copy the page still answers. */
		{ .method = "GET", .path = "/outbox/2", .status = 404 },
	};
	struct fixture	*fx = *state;
	struct buf	 out;
	char		 path[256];
	FILE		*fp;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2030-01-07T10:00\"}", &out), 201);
	snprintf(fx->web.cfg.mail_copy_dir, sizeof(fx->web.cfg.mail_copy_dir), "%s", fx->dir);
	snprintf(path, sizeof(path), "%s/000001-invite.eml", fx->dir);
	assert_non_null(fp = fopen(path, "w"));
	fputs("Subject: x\r\nMIME-Version: 1.0\r\n\r\n--b\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
	    "Invited: Caf=C3=A9 <Aurora> with a soft=\r\n break\r\n--b--\r\n", fp);
	fclose(fp);
	STEPS_RUN(fx, shown, &out);
	buf_free(&out);
}

/*
 * Issue 12, defect 5 through the web: a series' meeting_url that is not an
 * https:// link is a 422 naming the field at the API and the form (nothing
 * queued); a good one is the series' and the page's link; PATCH with the
 * link alone updates the series.
 */
static void
test_meeting_link(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	seed(fx, &out);
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2030-01-07T10:00\",\"meeting_url\":\"http://teams.example/x\"}", &out),
	    422, &out, "\"meeting_url\":\"meeting_url \\\"http://teams.example/x\\\" is not an https:// link");
	WEBREQ_EXPECT(form(fx, "/customers/1/meetings",
	    "starts_at=2030-01-07T10%3A00&meeting_url=javascript%3Aalert(1)", &out), 422, &out,
	    "is not an https:// link");
	WEBREQ_EXPECT(json(fx, "GET", "/api/outbox", NULL, &out), 200, &out, "\"total\":0");
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2030-01-07T10:00\",\"meeting_url\":\"https://teams.example/l/x\"}",
	    &out), 201, &out, "\"meeting_url\":\"https://teams.example/l/x\"");
	WEBREQ_EXPECT(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200, &out,
	    "Online meeting: <a href=\"https://teams.example/l/x\">");
	WEBREQ_EXPECT(json(fx, "PATCH", "/api/meetings/1", "{\"meeting_url\":\"https://meet.example/y\"}",
	    &out), 200, &out, "\"sequence\":1,");
	WEBREQ_EXPECT(json(fx, "GET", "/api/meetings/1", NULL, &out), 200, &out,
	    "\"meeting_url\":\"https://meet.example/y\"");
	/* Defect 3: the page says when the FM, without an e-mail, is not in the invitations. */
	WEBREQ_EXPECT(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200, &out,
	    "has no e-mail in their profile, so the check-in invitations go to the contacts "
	    "without the FM as chair");
	{
		struct store_customer	 c;
		struct store_user	 u;
		struct result		 r;

		assert_int_equal(store_customer_get(fx->web.app.store, 1, &c, &r), 0);
		assert_int_equal(store_user_get_login(fx->web.app.store, c.owner_fm, &u, &r), 0);
		snprintf(u.email, sizeof(u.email), "fm@fm.example");
		assert_int_equal(store_user_update(fx->web.app.store, &u, 0, &r), 0);
	}
	assert_int_equal(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200);
	assert_null(strstr(buf_cstr(&out), "has no e-mail in their profile"));
	buf_free(&out);
}

/*
 * Issue 12, defects 1 and 2 through the web: a start the clocks skip is a 422
 * naming the field at the form and the API (schedule and reschedule) and
 * changes nothing; a second active series is a 409 naming the first.
 */
static void
test_meeting_dst_gap_and_second_series(void **state)
{
	struct fixture	*fx = *state;
	struct buf	 out;

	buf_init(&out);
	seed(fx, &out);
	assert_int_equal(json(fx, "PATCH", "/api/customers/1",
	    "{\"timezone\":\"America/New_York\"}", &out), 200);
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2027-03-14T02:30\"}", &out), 422, &out,
	    "\"starts_at\":\"starts_at 2027-03-14T02:30 does not exist in America/New_York");
	WEBREQ_EXPECT(form(fx, "/customers/1/meetings", "starts_at=2027-03-14T02%3A30", &out), 422,
	    &out, "does not exist in America/New_York");
	assert_non_null(strstr(out.data, "aria-invalid=\"true\""));
	WEBREQ_EXPECT(json(fx, "GET", "/api/customers/1", NULL, &out), 200, &out, "\"meetings\":[]");
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2027-11-07T01:30\"}", &out), 201, &out, "\"sequence\":0");
	/* The page says which of the two 01:30s the invites mean. */
	WEBREQ_EXPECT(request(fx, "GET", "/customers/1", NULL, NULL, 0, &out), 200, &out,
	    "The invites mean the first, at UTC-04:00 (as the iCalendar standard says), but some calendar apps show the repeat, at UTC-05:00");
	WEBREQ_EXPECT(json(fx, "PATCH", "/api/meetings/1", "{\"starts_at\":\"2028-03-12T02:15\"}",
	    &out), 422, &out, "clocks skip it");
	WEBREQ_EXPECT(json(fx, "POST", "/api/customers/1/meetings",
	    "{\"starts_at\":\"2027-12-01T10:00\"}", &out), 409, &out,
	    "already has an active check-in series (meeting 1");
	WEBREQ_EXPECT(form(fx, "/customers/1/meetings", "starts_at=2027-12-01T10%3A00", &out), 409,
	    &out, "already has an active check-in series");
	WEBREQ_EXPECT(json(fx, "GET", "/api/outbox", NULL, &out), 200, &out, "\"total\":1");
	/* A series stored in a gap before the check: the download says what to do, not 500. */
	{
		struct store_meeting	 m;
		struct result		 r;

		assert_int_equal(store_meeting_get(fx->web.app.store, 1, &m, &r), 0);
		snprintf(m.starts_at, sizeof(m.starts_at), "2027-03-14T02:30");
		assert_int_equal(store_meeting_update(fx->web.app.store, &m, 0, &r), 0);
		store_meeting_free(&m);
	}
	WEBREQ_EXPECT(request(fx, "GET", "/meetings/1/invite.ics", NULL, NULL, 0, &out), 409,
	    &out, "reschedule the series to a time that exists");
	buf_free(&out);
}

UNIT_MAIN("handlers",
	UNIT_TEST_FIXTURE(test_meeting_dst_gap_and_second_series),
	UNIT_TEST_FIXTURE(test_meeting_link),
	UNIT_TEST_FIXTURE(test_api_create),
	UNIT_TEST_FIXTURE(test_api_refusals_change_nothing),
	UNIT_TEST_FIXTURE(test_meetings_and_ics),
	UNIT_TEST_FIXTURE(test_html_form_flow),
	UNIT_TEST_FIXTURE(test_html_invalid_form_kept),
	UNIT_TEST_FIXTURE(test_portfolio_escapes),
	UNIT_TEST_FIXTURE(test_pager_long_accented_query),
	UNIT_TEST_FIXTURE(test_next_action_accented),
	UNIT_TEST_FIXTURE(test_usage_import),
	UNIT_TEST_FIXTURE(test_review_flow),
	UNIT_TEST_FIXTURE(test_outbox_copy),
	UNIT_TEST_FIXTURE(test_validation_gaps),
	UNIT_TEST_FIXTURE(test_form_expired),
	UNIT_TEST_FIXTURE(test_errors_at_once),
	UNIT_TEST_FIXTURE(test_selects_kept),
	UNIT_TEST_FIXTURE(test_resolve_error_on_row),
	UNIT_TEST_FIXTURE(test_target_limit_one),
	UNIT_TEST_FIXTURE(test_csm_says_what_happened),
	UNIT_TEST_FIXTURE(test_confirm_before_mailing),
)
