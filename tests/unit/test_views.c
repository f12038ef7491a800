/*
 * test_views.c -- the view fixtures of test_templates (tests/data/views) held
 * against the views the page handlers really build: a temporary database is
 * filled through the JSON API as a user would, each page is requested as
 * HTML through the real route table, and every view handed to the template
 * set is captured.  A fixture key must exist in the real view with the same
 * JSON type, and a real key whose name a template reads must be in the
 * fixture.  FTS_VIEWS_DUMP=dir writes the captured views there (to update a
 * fixture from them).
 */
#include "autoconfig.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <dirent.h>

#include <cmocka.h>

#include "app.h"
#include "config.h"
#include "csrf.h"
#include "http.h"
#include "mustache.h"
#include "outbox.h"
#include "result.h"
#include "router.h"
#include "store.h"
#include "text.h"
#include "tmpdb.h"
#include "unit.h"
#include "webreq.h"

#define XSS	"<img src=x onerror=alert(1)>"
#define CSV_HEAD "Report Refresh Date,Exchange Active,Exchange Inactive,Yammer Active,Yammer Inactive," \
	"Report Period"

/* One request of the scenario: JSON (API, filling the database) or HTML (a page whose view is kept). */
struct step {
	const char	*method;
	const char	*path;
	const char	*body;		/* JSON, or a urlencoded form (HTML; the CSRF token is added) */
	int		 status;	/* expected */
	const char	*fixture;	/* HTML: the fixture this view is compared with */
};

/*
 * The scenario: one customer with every kind of record (escaped name,
 * services, contacts with and without invites, CSM, programs, usage,
 * check-in, open and resolved blockers, a cancelled and a live series),
 * one in Success Review and one closed; then each page as the browser asks
 * for it, failed forms included.
 */
static const struct step scenario[] = {
	{ "POST", "/api/customers", "{\"name\":\"Contoso " XSS "\",\"tenant_domain\":"
	    "\"contoso.onmicrosoft.com\",\"timezone\":\"America/Sao_Paulo\",\"cadence_weeks\":2}", 201, NULL },
	{ "POST", "/api/customers/1/services", "{\"service\":\"exchange\",\"activated_on\":\"2026-11-01\","
	    "\"licensed_users\":1000}", 201, NULL },
	{ "POST", "/api/customers/1/services", "{\"service\":\"onedrive\",\"activated_on\":\"2026-11-01\"}",
	    201, NULL },
	{ "POST", "/api/customers/1/services", "{\"service\":\"teams\",\"activated_on\":\"2026-10-01\"}",
	    201, NULL },
	{ "POST", "/api/customers/1/services", "{\"service\":\"office_proplus\"}", 201, NULL },
	{ "POST", "/api/customers/1/targets", "{\"service\":\"exchange\",\"target_percent\":10}", 200, NULL },
	{ "POST", "/api/customers/1/targets", "{\"service\":\"onedrive\",\"custom_metric\":"
	    "\"Three team sites in daily use\",\"custom_metric_met\":false}", 200, NULL },
	{ "POST", "/api/customers/1/contacts", "{\"name\":\"Ana Souza\",\"email\":\"ana@contoso.com\"}",
	    201, NULL },
	{ "POST", "/api/customers/1/contacts", "{\"name\":\"Rui\",\"email\":\"rui@contoso.com\","
	    "\"receives_invites\":false}", 201, NULL },
	{ "POST", "/api/customers/1/csm", "{\"name\":\"Carla Mendes\",\"email\":\"carla@microsoft.example\"}",
	    200, NULL },
	{ "POST", "/api/customers/1/adoption", "{\"service\":\"onedrive\"}", 200, NULL },
	{ "POST", "/api/customers/1/accelerator", "{\"service\":\"office_proplus\"}", 200, NULL },
	{ "POST", "/api/customers/1/usage", "{\"service\":\"exchange\",\"measured_on\":\"2026-11-10\","
	    "\"active_users\":100,\"eligible_users\":1000}", 201, NULL },
	{ "POST", "/api/customers/1/usage", "{\"service\":\"exchange\",\"measured_on\":\"2026-11-20\","
	    "\"active_users\":131,\"eligible_users\":1000}", 201, NULL },
	{ "POST", "/api/customers/1/checkins", "{\"held_on\":\"2026-11-10\",\"summary\":\"Talked " XSS "\","
	    "\"next_action\":\"Send adoption kit\",\"next_action_on\":\"2026-11-27\","
	    "\"next_action_owner\":\"Ana\",\"services\":[\"exchange\"]}", 201, NULL },
	{ "POST", "/api/customers/1/blockers", "{\"description\":\"Proxy blocks OneDrive sync <script>\","
	    "\"owner\":\"IT\",\"service\":\"onedrive\",\"l2_reason\":\"customer_it_infrastructure\"}", 201, NULL },
	{ "POST", "/api/customers/1/blockers", "{\"description\":\"DNS\",\"owner\":\"IT\",\"l2_reason\":\"billing_licensing\"}", 201, NULL },
	{ "POST", "/api/blockers/2/resolve", "{\"resolution\":\"Proxy rule added\"}", 200, NULL },
	{ "POST", "/api/customers/1/meetings", "{\"starts_at\":\"2030-01-07T10:00\",\"duration_minutes\":30,"
	    "\"every_weeks\":2}", 201, NULL },
	{ "POST", "/api/meetings/1/cancel", "{}", 200, NULL },
	{ "POST", "/api/customers/1/meetings", "{\"starts_at\":\"2030-01-14T10:00\",\"duration_minutes\":30,"
	    "\"every_weeks\":2}", 201, NULL },
	{ "POST", "/api/customers", "{\"name\":\"Fabrikam\",\"tenant_domain\":\"fabrikam.onmicrosoft.com\","
	    "\"timezone\":\"Europe/Berlin\"}", 201, NULL },
	{ "POST", "/api/customers/2/services", "{\"service\":\"exchange\",\"activated_on\":\"2026-11-01\"}",
	    201, NULL },
	{ "POST", "/api/customers/2/contacts", "{\"name\":\"Eva\",\"email\":\"eva@fabrikam.com\"}", 201, NULL },
	{ "POST", "/api/customers/2/usage", "{\"service\":\"exchange\",\"measured_on\":\"2026-11-20\","
	    "\"active_users\":123,\"eligible_users\":1000}", 201, NULL },
	{ "POST", "/api/customers/2/success-review", "{}", 200, NULL },
	{ "POST", "/api/customers", "{\"name\":\"Northwind\",\"tenant_domain\":\"northwind.onmicrosoft.com\","
	    "\"timezone\":\"UTC\"}", 201, NULL },
	{ "POST", "/api/customers/3/services", "{\"service\":\"exchange\",\"activated_on\":\"2026-11-01\"}",
	    201, NULL },
	{ "POST", "/api/customers/3/usage", "{\"service\":\"exchange\",\"measured_on\":\"2026-11-20\","
	    "\"active_users\":123,\"eligible_users\":1000}", 201, NULL },
	{ "POST", "/api/customers/3/success-review", "{}", 200, NULL },
	{ "POST", "/api/customers/3/success-review/outcome", "{\"outcome\":\"transition_to_csm\"}", 200, NULL },
	{ .method = NULL },	/* the notifier's pass: deliver() */
	/*
	 * The live series as if it had started (only time can do that), then
	 * rescheduled: it ends and a new series (3) replaces it; one of the new
	 * series' check-ins is skipped and another moved.
	 */
	{ .method = "AGE", .path = "2" },
	{ "POST", "/api/meetings/2", "{\"starts_at\":\"2030-01-14T10:00\"}", 200, NULL },
	{ "POST", "/api/meetings/3/skip", "{\"occurs_on\":\"2030-01-28\"}", 200, NULL },
	{ "POST", "/api/meetings/3/move", "{\"occurs_on\":\"2030-02-11\","
	    "\"starts_at\":\"2030-02-12T11:00\"}", 200, NULL },
	/* Calendar replies to series 3 as the notifier applies them: answers, a proposal, the rest. */
	{ .method = "REPLY", .path = "3" },

	{ "GET", "/", NULL, 200, "portfolio" },
	{ "GET", "/?state=at_risk&sort=au&q=con", NULL, 200, "portfolio" },
	{ "GET", "/?per_page=1&page=2", NULL, 200, "portfolio" },
	{ "GET", "/customers/1", NULL, 200, "customer" },
	{ "GET", "/customers/2", NULL, 200, "customer" },
	{ "GET", "/customers/3", NULL, 200, "customer" },
	{ "POST", "/customers/1/checkins", "held_on=2026-11-20&summary=x&next_action=&"
	    "next_action_on=2026-13-01&next_action_owner=Ana&services=exchange", 422, "customer" },
	{ "POST", "/meetings/3/skip", "occurs_on=2030-01-29", 422, "customer" },
	{ "POST", "/meetings/3/move", "occurs_on=2030-02-25&starts_at=2030-02-30T10:00", 422,
	    "customer" },
	{ "GET", "/customers/1/edit", NULL, 200, "customer_form" },
	{ "POST", "/customers/1", "name=Contoso&tenant_domain=fabrikam.onmicrosoft.com&"
	    "timezone=America%2FSao_Paulo&cadence_weeks=2", 409, "customer_form" },
	{ "POST", "/customers/1/usage/import", "csv=" "Report+Refresh+Date%2CExchange+Active%2C"
	    "Exchange+Inactive%2CYammer+Active%2CYammer+Inactive%2CReport+Period%0A"
	    "2026-11-20%2C131%2C869%2C1%2C9%2C7%0A", 200, "usage_import" },
	{ "GET", "/meetings/3/cancel", NULL, 200, "confirm" },
	{ "GET", "/contacts/1/invites", NULL, 200, "confirm" },
	{ "GET", "/outbox", NULL, 200, "outbox" },
	{ "GET", "/outbox?state=queued", NULL, 200, "outbox" },
	{ "GET", "/outbox/1", NULL, 200, "outbox_item_handshake" },
	{ "GET", "/outbox/2", NULL, 200, "outbox_item" },
	{ "GET", "/week", NULL, 200, "week" },
	{ "GET", "/profile", NULL, 200, "profile" },
	{ "GET", "/replies/unmatched", NULL, 200, "replies_unmatched" },
};

/* The fixtures checked, each with the page template that renders it. */
static const struct {
	const char *fixture, *page;
} fixtures[] = {
	{ .fixture = "portfolio", .page = "portfolio" },
	{ .fixture = "customer", .page = "customer" },
	{ .fixture = "customer_form", .page = "customer_form" },
	{ .fixture = "usage_import", .page = "usage_import" },
	{ .fixture = "confirm", .page = "confirm" },
	{ .fixture = "outbox", .page = "outbox" },
	{ .fixture = "outbox_item", .page = "outbox_item" },
	{ .fixture = "outbox_item_handshake", .page = "outbox_item" },
	{ .fixture = "week", .page = "week" },
	{ .fixture = "profile", .page = "profile" },
	{ .fixture = "replies_unmatched", .page = "replies_unmatched" },
};

struct fixture {
	char			 dir[PATH_MAX], db[PATH_MAX];
	struct webreq_app	 web;
	const char		*capture_as;	/* fixture name of the request under way, or NULL */
	json_object		*shapes;	/* fixture name -> {path -> type mask} of the captured views */
	unsigned		 captured;
};

/* JSON types as bits; int and double are one kind: the templates print both as numbers. */
static unsigned
type_bit(json_object *v)
{
	enum json_type t = json_object_get_type(v);

	if (t == json_type_int)
		t = json_type_double;
	return 1u << (unsigned)t;
}

static const char *
types_name(unsigned mask, char *out, size_t size)
{
	static const char *const names[] = {
		[json_type_null] = "null", [json_type_boolean] = "boolean",
		[json_type_double] = "number", [json_type_int] = "int",
		[json_type_object] = "object", [json_type_array] = "array",
		[json_type_string] = "string",
	};
	size_t i;

	out[0] = '\0';
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (mask & (1u << i))
			snprintf(out + strlen(out), size - strlen(out), "%s%s", out[0] ? "|" : "", names[i]);
	return out;
}

/*
 * Add every path of v to shape: ".a.b" for members, "[]" for the items of
 * an array (all items merged), each with the mask of the types seen there.
 */
static void
shape_add(json_object *shape, const char *path, json_object *v)
{
	json_object	*seen;
	unsigned	 mask = type_bit(v);
	char		 sub[512];
	size_t		 i;

	if (json_object_object_get_ex(shape, path, &seen))
		mask |= (unsigned)json_object_get_int(seen);
	json_object_object_add(shape, path, json_object_new_int((int)mask));
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			assert_true((size_t)snprintf(sub, sizeof(sub), "%s.%s", path, key) < sizeof(sub));
			shape_add(shape, sub, val);
		}
	} else if (json_object_is_type(v, json_type_array)) {
		assert_true((size_t)snprintf(sub, sizeof(sub), "%s[]", path) < sizeof(sub));
		for (i = 0; i < json_object_array_length(v); i++)
			shape_add(shape, sub, json_object_array_get_idx(v, i));
	}
}

static void
observe(void *arg, const char *name, json_object *view)
{
	struct fixture	*fx = arg;
	json_object	*shape;
	const char	*dump = getenv("FTS_VIEWS_DUMP");
	char		 path[PATH_MAX];

	(void)name;
	if (fx->capture_as == NULL)
		return;
	if (!json_object_object_get_ex(fx->shapes, fx->capture_as, &shape)) {
		shape = json_object_new_object();
		json_object_object_add(fx->shapes, fx->capture_as, shape);
	}
	shape_add(shape, "", view);
	fx->captured++;
	if (dump != NULL && (size_t)snprintf(path, sizeof(path), "%s/%s-%u.json", dump, fx->capture_as,
	    fx->captured) < sizeof(path) &&
	    json_object_to_file_ext(path, view, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE) == -1)
		fprintf(stderr, "FTS_VIEWS_DUMP: cannot write %s\n", path);
}

/*
 * What the notifier records, through the same store calls: the handshake
 * and the cancel sent, the first invite dead, the live invite sent to one
 * recipient and refused by another (so it may be retried).
 */
static void
deliver(struct fixture *fx)
{
	static const struct store_outbox_rcpt rcpt[] = {
		{ .email = "ana@contoso.com", .state = STORE_RCPT_SENT, .attempts = 1, .reply = "250 2.0.0 OK" },
		{ .email = "rui@contoso.com", .state = STORE_RCPT_DEAD, .attempts = 1,
		    .reply = "550 5.1.1 User unknown" },
	};
	struct store_outbox_row	*rows;
	struct store_outbox_finish f;
	struct result		 r;
	int64_t			 now = (int64_t)time(NULL);
	size_t			 n, i, done = 0;

	result_clear(&r);
	do {
		if (store_outbox_claim(fx->web.app.store, "test", now, 60, "fm.example.com", 16, &rows, &n, &r) == -1)
			fail_msg("store_outbox_claim: %s", r.message);
		for (i = 0; i < n; i++, done++) {
			f = (struct store_outbox_finish){ .state = "sent", .smtp_reply = "250 2.0.0 OK",
			    .rcpt = rcpt, .nrcpt = 1 };
			if (rows[i].id == 2)
				f = (struct store_outbox_finish){ .state = "dead", .error = "550 5.1.1 User unknown",
				    .smtp_reply = "550 5.1.1 User unknown", .rcpt = rcpt + 1, .nrcpt = 1 };
			else if (rows[i].id == 4)
				f.nrcpt = 2;
			if (store_outbox_finish(fx->web.app.store, rows[i].id, "test", now, &f, &r) == -1)
				fail_msg("store_outbox_finish %lld: %s", (long long)rows[i].id, r.message);
			store_outbox_row_free(&rows[i]);
		}
		free(rows);
	} while (n > 0);
	assert_int_equal(done, 4);
}

/* Series id as if it had started three weeks before today: its first check-in is past. */
static void
age_series(struct fixture *fx, const char *id)
{
	struct store_meeting	 m;
	struct result		 r;
	char			 day[11];

	result_clear(&r);
	if (store_meeting_get(fx->web.app.store, strtoll(id, NULL, 10), &m, &r) == -1)
		fail_msg("meeting %s: %s", id, r.message);
	text_date_format(text_date_today(m.timezone, time(NULL)) - 21, day, sizeof(day));
	memcpy(m.starts_at, day, 10);
	if (store_meeting_update(fx->web.app.store, &m, (int64_t)time(NULL), &r) == -1)
		fail_msg("meeting %s: %s", id, r.message);
	store_meeting_free(&m);
}

/*
 * Replies to series id as store_reply_apply records what the notifier read:
 * Ana accepts the series, Rui declines one check-in, Ana proposes a new
 * time; a human reply and a reply to an older SEQUENCE are kept unmatched.
 */
static void
reply_series(struct fixture *fx, const char *id)
{
	struct store_meeting	 m;
	struct store_reply	 in[5];
	enum store_reply_outcome out;
	struct result		 r;
	size_t			 i;

	result_clear(&r);
	if (store_meeting_get(fx->web.app.store, strtoll(id, NULL, 10), &m, &r) == -1)
		fail_msg("meeting %s: %s", id, r.message);
	memset(in, 0, sizeof(in));
	for (i = 0; i < 5; i++) {
		in[i].kind = "reply";
		in[i].uid = m.uid;
		in[i].sequence = m.sequence;
		in[i].attendee = "ana@contoso.com";
		in[i].partstat = "accepted";
		in[i].from = in[i].attendee;
		in[i].subject = "Accepted: Check-in " XSS;
	}
	in[0].key = "<r0@contoso.com>";
	in[1].key = "<r1@contoso.com>";
	in[1].attendee = "rui@contoso.com";
	in[1].partstat = "declined";
	in[1].has_recurrence = 1;
	in[1].recurrence_day = "2030-02-25";
	in[2].key = "<r2@contoso.com>";
	in[2].kind = "counter";
	in[2].has_recurrence = 1;
	in[2].recurrence_day = "2030-02-25";
	in[2].proposed_start = INT64_C(1898251200);	/* 2030-02-25T12:00:00Z */
	in[2].proposed_end = INT64_C(1898253000);
	in[3].key = "<r3@contoso.com>";
	in[3].kind = "unmatched";
	in[3].reason = "no_calendar";
	in[3].uid = NULL;
	in[3].attendee = NULL;
	in[4].key = "<r4@contoso.com>";
	in[4].sequence = m.sequence - 1;
	in[4].partstat = "declined";
	for (i = 0; i < 5; i++)
		if (store_reply_apply(fx->web.app.store, &in[i], (int64_t)time(NULL), &out, &r) == -1)
			fail_msg("reply %zu: %s", i, r.message);
	store_meeting_free(&m);
}

/* Serve one step through the real route table; returns the status. */
static int
serve(struct fixture *fx, const struct step *s)
{
	struct http_request	 req;
	struct http_response	 resp;
	struct webreq_body	 b = { .data = "" };
	struct result		 r;
	char			 form[4096];
	int			 status;

	if (s->body != NULL && s->fixture != NULL) {
		assert_true((size_t)snprintf(form, sizeof(form), "csrf=%s&%s", fx->web.token, s->body) < sizeof(form));
		b.data = form;
	} else if (s->body != NULL)
		b.data = s->body;
	b.len = strlen(b.data);
	http_response_init(&resp);
	if (webreq_user_request(&req, s->method, s->path, strncmp(s->path, "/api/", 5) == 0 ?
	    "application/json" : "application/x-www-form-urlencoded", b.len, &r) == -1)
		fail_msg("bad test request %s %s: %s", s->method, s->path, r.message);
	fx->capture_as = s->fixture;
	router_serve(&fx->web.app, routes_table, &req, s->body != NULL ? webreq_read : NULL, &b, &resp);
	fx->capture_as = NULL;
	status = resp.status;
	if (status != s->status)
		fail_msg("%s %s: status %d, want %d: %.300s", s->method, s->path, status, s->status,
		    buf_cstr(&resp.body));
	http_response_free(&resp);
	http_request_free(&req);
	return status;
}

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));
	struct result	 r;
	char		 eml[PATH_MAX];
	FILE		*fp;

	result_clear(&r);
	if (fx == NULL || tmpdb_make("views", fx->dir, sizeof(fx->dir), fx->db, sizeof(fx->db)) == -1)
		return -1;
	/* fm.ana, the acting user, must be a user (issue 11: owner_fm refers to one). */
	if (webreq_app_open(&fx->web, fx->db, &r) == -1 ||
	    tmpdb_user_add(fx->web.app.store, "fm.ana", "fm") == -1) {
		fprintf(stderr, "test_views setup: %s\n", r.message);
		return -1;
	}
	/* The demo's copy of the dead invite (message 2), shown on its page. */
	if ((size_t)snprintf(fx->web.cfg.mail_copy_dir, sizeof(fx->web.cfg.mail_copy_dir), "%s", fx->dir) >=
	    sizeof(fx->web.cfg.mail_copy_dir) ||
	    (size_t)snprintf(eml, sizeof(eml), "%s/000002-invite.eml", fx->dir) >= sizeof(eml) ||
	    (fp = fopen(eml, "w")) == NULL)
		return -1;
	fputs("From: FM <fm@example.com>\r\nSubject: Success Check-in\r\n\r\nBEGIN:VCALENDAR\r\n"
	    "END:VCALENDAR\r\n", fp);
	if (fclose(fp) != 0)
		return -1;
	fx->shapes = json_object_new_object();
	mustache_set_observe(fx->web.app.templates, observe, fx);
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;
	char		 eml[PATH_MAX];

	if ((size_t)snprintf(eml, sizeof(eml), "%s/000002-invite.eml", fx->dir) < sizeof(eml))
		unlink(eml);
	webreq_app_close(&fx->web);
	json_object_put(fx->shapes);
	tmpdb_remove(fx->dir, fx->db);
	free(fx);
	return 0;
}

/* The sections open where a tag stands, outermost first: a name may resolve in any of them. */
struct scope {
	char	 sections[32][128];
	size_t	 n;
};

/* Add to reads every path name may stand for in scope: s1.name, s1.s2.name, ... and name alone. */
static void
reads_add(json_object *reads, const struct scope *sc, const char *name)
{
	char	 path[1024];
	size_t	 j, k, len;

	for (j = 0; j <= sc->n; j++) {
		len = 0;
		path[0] = '\0';
		for (k = 0; k < j; k++)
			len += (size_t)snprintf(path + len, sizeof(path) - len, "%s.", sc->sections[k]);
		assert_true(len + strlen(name) < sizeof(path));
		memcpy(path + len, name, strlen(name) + 1);
		json_object_object_add(reads, path, json_object_new_boolean(1));
	}
}

/*
 * Add to reads the view paths (dotted, without array steps) that template
 * name (relative to www/templates, without .mustache) and the partials it
 * includes may read.  Our templates keep the default {{ }} delimiters.
 */
static void
template_reads(const char *name, struct scope *sc, json_object *reads, int depth)
{
	FILE		*fp;
	char		 path[PATH_MAX], text[65536], tag[128];
	const char	*p, *end, *src = getenv("top_srcdir");
	char		 sigil;
	size_t		 len, n;

	assert_true(depth < 8);
	assert_true((size_t)snprintf(path, sizeof(path), "%s/www/templates/%s.mustache",
	    src != NULL ? src : ".", name) < sizeof(path));
	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	len = fread(text, 1, sizeof(text) - 1, fp);
	assert_true(len < sizeof(text) - 1);
	fclose(fp);
	text[len] = '\0';
	for (p = text; (p = strstr(p, "{{")) != NULL; p = end + 2) {
		if ((end = strstr(p + 2, "}}")) == NULL)
			fail_msg("%s: a tag without its end", path);
		p += 2;
		sigil = strchr("#^/>!&{", *p) != NULL ? *p++ : '\0';
		p += strspn(p, " ");
		n = strcspn(p, " }");
		assert_true(n < sizeof(tag));
		memcpy(tag, p, n);
		tag[n] = '\0';
		if (sigil == '!' || strcmp(tag, ".") == 0)
			continue;
		if (sigil == '>')
			template_reads(tag, sc, reads, depth + 1);
		else if (sigil == '/') {
			assert_true(sc->n > 0 && strcmp(sc->sections[sc->n - 1], tag) == 0);
			sc->n--;
		} else
			reads_add(reads, sc, tag);
		if (sigil == '#' || sigil == '^') {
			assert_true(sc->n < sizeof(sc->sections) / sizeof(sc->sections[0]));
			memcpy(sc->sections[sc->n++], tag, n + 1);
		}
	}
}

/* A shape path as the templates name it: ".a[].b" -> "a.b". */
static const char *
dotted(const char *path, char *out, size_t size)
{
	size_t n = 0;

	for (path += *path == '.'; *path != '\0'; path++) {
		if (*path == '[' || *path == ']')
			continue;
		assert_true(n + 1 < size);
		out[n++] = *path;
	}
	out[n] = '\0';
	return out;
}

/*
 * Compare one fixture's shape with the real one; each disagreement is
 * printed and counted.  want: fixture path -> mask; real: the same for the
 * captured views; reads: the paths the templates may read (template_reads).
 */
static size_t
shape_diff(const char *fixture, json_object *want, json_object *real, json_object *reads)
{
	json_object	*m;
	char		 a[64], b[64], key[512];
	size_t		 bad = 0;
	unsigned	 fm, rm;

	json_object_object_foreach(want, path, wm) {
		fm = (unsigned)json_object_get_int(wm);
		if (!json_object_object_get_ex(real, path, &m)) {
			print_error("%s: fixture key %s (%s) is in no real view\n", fixture, path,
			    types_name(fm, a, sizeof(a)));
			bad++;
			continue;
		}
		rm = (unsigned)json_object_get_int(m);
		/* A fixture's null stands for a value the real view may lack. */
		if ((fm & ~rm & ~(1u << json_type_null)) != 0) {
			print_error("%s: %s is %s in the fixture but %s in the real views\n", fixture, path,
			    types_name(fm, a, sizeof(a)), types_name(rm, b, sizeof(b)));
			bad++;
		}
	}
	json_object_object_foreach(real, rpath, rmask) {
		if (json_object_object_get_ex(want, rpath, NULL) ||
		    !json_object_object_get_ex(reads, dotted(rpath, key, sizeof(key)), NULL))
			continue;
		print_error("%s: the real view has %s (%s), which the templates read, but the fixture "
		    "has not\n", fixture, rpath, types_name((unsigned)json_object_get_int(rmask), a, sizeof(a)));
		bad++;
	}
	return bad;
}

static void
test_fixtures_match_real_views(void **state)
{
	struct fixture	*fx = *state;
	json_object	*view, *want, *real, *reads;
	struct scope	 sc = { .n = 0 };
	const char	*src = getenv("top_srcdir");
	char		 path[PATH_MAX];
	size_t		 i, bad = 0;

	for (i = 0; i < sizeof(scenario) / sizeof(scenario[0]); i++)
		if (scenario[i].method == NULL)
			deliver(fx);
		else if (strcmp(scenario[i].method, "AGE") == 0)
			age_series(fx, scenario[i].path);
		else if (strcmp(scenario[i].method, "REPLY") == 0)
			reply_series(fx, scenario[i].path);
		else
			serve(fx, &scenario[i]);
	for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
		assert_true((size_t)snprintf(path, sizeof(path), "%s/tests/data/views/%s.json",
		    src != NULL ? src : ".", fixtures[i].fixture) < sizeof(path));
		if ((view = json_object_from_file(path)) == NULL)
			fail_msg("cannot read %s: %s", path, json_util_get_last_err());
		if (!json_object_object_get_ex(fx->shapes, fixtures[i].fixture, &real))
			fail_msg("%s: no request of the scenario rendered it", fixtures[i].fixture);
		want = json_object_new_object();
		shape_add(want, "", view);
		reads = json_object_new_object();
		template_reads(fixtures[i].page, &sc, reads, 0);
		assert_int_equal(sc.n, 0);
		bad += shape_diff(fixtures[i].fixture, want, real, reads);
		json_object_put(reads);
		json_object_put(want);
		json_object_put(view);
	}
	if (bad > 0)
		fail_msg("%zu disagreement(s) between the view fixtures and the real views (above)", bad);
}

/* The comparison catches what it claims to: a renamed key, a changed type, a key the fixture lacks. */
static void
test_diff_fails(void **state)
{
	json_object	*want = json_object_new_object(), *real = json_object_new_object();
	json_object	*names = json_tokener_parse("{\"name\": true, \"list.id\": true}");
	json_object	*f = json_tokener_parse("{\"name\": \"x\", \"n\": 1, \"list\": [{\"id\": 1}]}");
	json_object	*r1 = json_tokener_parse("{\"name\": \"y\", \"n\": 2.5, \"list\": [{\"id\": 2}]}");
	json_object	*r2 = json_tokener_parse("{\"title\": \"y\", \"n\": \"2\", \"list\": []}");

	(void)state;
	shape_add(want, "", f);
	shape_add(real, "", r1);
	assert_int_equal(shape_diff("same", want, real, names), 0);
	json_object_put(real);
	real = json_object_new_object();
	shape_add(real, "", r2);
	/* .name and .list[].id missing, .list[] never seen, .n a string: 4; .title not read. */
	assert_int_equal(shape_diff("renamed", want, real, names), 4);
	json_object_put(want);
	want = json_object_new_object();
	shape_add(want, "", r2);
	json_object_put(real);
	real = json_object_new_object();
	shape_add(real, "", r1);
	/* r1 as real, r2 as fixture: .name (read) lacking, .title not real, .n type. */
	assert_int_equal(shape_diff("lacking", want, real, names), 4);
	json_object_put(want);
	json_object_put(real);
	json_object_put(names);
	json_object_put(f);
	json_object_put(r1);
	json_object_put(r2);
}

UNIT_MAIN("views",
	cmocka_unit_test(test_diff_fails),
	cmocka_unit_test_setup_teardown(test_fixtures_match_real_views, setup, teardown),
)
