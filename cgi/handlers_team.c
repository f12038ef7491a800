/* handlers_team.c -- My week, the team view, CSV/JSON exports, the profile and the personal calendar feed (issue 11). */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "csv.h"
#include "feed.h"
#include "fileio.h"
#include "handlers.h"
#include "i18n.h"
#include "hmac.h"
#include "ical.h"
#include "log.h"
#include "notice.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "text.h"

/* Bytes of a feed token: 256 random bits, as 64 hex digits in the URL. */
#define FEED_TOKEN_BYTES	32

/* The view's title and the demo flag every HTML page carries, then the page. */
static void
team_render(struct app *app, struct http_request *req, struct http_response *resp,
    const char *name, const char *title, json_object *view)
{
	json_object_object_add(view, "title", json_object_new_string(title));
	json_object_object_add(view, "demo", json_object_new_boolean(
	    app->cfg->auth == CONFIG_AUTH_NONE));
	http_render(resp, req, app->templates, 200, name, view);
	json_object_put(view);
}

/* A view model of the rules (playbook_week, playbook_team) as JSON or as its page. */
static void
team_view(struct app *app, struct http_request *req, struct http_response *resp,
    int (*model)(const struct playbook *, json_object **, struct result *), const char *name,
    const char *title)
{
	struct playbook	 pb;
	struct result	 r;
	json_object	*view;

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (model(&pb, &view, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (!pages_is_html(req)) {
		http_json(resp, 200, view);
		json_object_put(view);
		return;
	}
	team_render(app, req, resp, name, title, view);
}

void
handlers_week(struct app *app, struct http_request *req, struct http_response *resp)
{
	team_view(app, req, resp, playbook_week, "week", _("My week"));
}

void
handlers_team(struct app *app, struct http_request *req, struct http_response *resp)
{
	team_view(app, req, resp, playbook_team, "team", _("Team"));
}

/* ---------------------------------------------------------------- exports */

/* One CSV column: its header for people and the member of each row it shows. */
struct export_col {
	const char	*header;
	const char	*key;
};

/* A member as one cell: text as is, numbers, yes/no, a list joined with "; ", null empty. */
static void
export_cell(struct csv *c, json_object *v)
{
	struct buf	 joined;
	size_t		 i;

	switch (json_object_get_type(v)) {
	case json_type_int:
		csv_cell_int(c, (long long)json_object_get_int64(v));
		break;
	case json_type_boolean:
		csv_cell(c, json_object_get_boolean(v) ? "yes" : "no");
		break;
	case json_type_array:
		buf_init(&joined);
		for (i = 0; i < json_object_array_length(v); i++)
			buf_printf(&joined, "%s%s", i ? "; " : "",
			    json_object_get_string(json_object_array_get_idx(v, i)));
		csv_cell(c, buf_cstr(&joined));
		buf_free(&joined);
		break;
	case json_type_null:
		csv_cell(c, NULL);
		break;
	default:
		csv_cell(c, json_object_get_string(v));
		break;
	}
}

/* The rows of arr (objects) as CSV lines of cols, after the header line when with_header. */
static void
export_rows(struct csv *c, json_object *arr, const struct export_col *cols, size_t ncols,
    int with_header)
{
	json_object	*row, *v;
	size_t		 i, k;

	for (k = 0; with_header && k < ncols; k++)
		csv_cell(c, _(cols[k].header));
	if (with_header)
		csv_row_end(c);
	for (i = 0; arr != NULL && i < json_object_array_length(arr); i++) {
		row = json_object_array_get_idx(arr, i);
		for (k = 0; k < ncols; k++)
			export_cell(c, json_object_object_get_ex(row, cols[k].key, &v) ? v : NULL);
		csv_row_end(c);
	}
}

/* Answer out as a download named filename of type. */
static void
export_send(struct http_response *resp, const char *type, const char *filename, struct buf *out)
{
	char	 disp[128];

	if (out->failed) {
		http_respond(resp, 500, "text/plain; charset=utf-8", "out of memory\n", 14);
		return;
	}
	http_respond(resp, 200, type, out->data ? out->data : "", out->len);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	http_header_add(resp, "Content-Disposition", disp);
}

static const struct export_col portfolio_cols[] = {
	{ .header = N_("Customer"), .key = "name" },
	{ .header = N_("Tenant domain"), .key = "tenant_domain" },
	{ .header = N_("FM"), .key = "owner_fm" },
	{ .header = N_("Phase"), .key = "phase_title" },
	{ .header = N_("State"), .key = "state_title" },
	{ .header = N_("Overdue"), .key = "overdue" },
	{ .header = N_("Last check-in"), .key = "last_checkin" },
	{ .header = N_("Next check-in"), .key = "next_checkin" },
	{ .header = N_("Open blockers"), .key = "open_blockers" },
	{ .header = N_("CSM"), .key = "csm_name" },
	{ .header = N_("Review outcome"), .key = "review_outcome" },
};

/*
 * Every row of the portfolio under req's filters (what the page shows,
 * across its pages; visibility applies as on the page), each page handed
 * to each(rows, arg).  0, or -1 with the answer made.
 */
static int
export_portfolio(struct app *app, struct http_request *req, struct http_response *resp,
    void (*each)(json_object *rows, void *arg), void *arg)
{
	struct playbook			 pb;
	struct playbook_portfolio_query	 q;
	struct form			 f;
	struct result			 r;
	json_object			*o, *rows, *v;
	int				 rc, pages = 1;

	if ((rc = handlers_portfolio_query(req, &f, &q)) != 0) {
		http_error(resp, req, app->templates, rc == -1 ? 500 : 400, rc == -1 ?
		    "out of memory" : "A filter is not valid (state, phase, fm, sort or q).");
		form_free(&f);
		return -1;
	}
	pages_playbook(app, req, &pb);
	/* An archived customer leaves the portfolio, not the export (issue 13, item 11). */
	q.with_archived = 1;
	q.per_page = 200;
	for (q.page = 1; q.page <= pages; q.page++) {
		result_clear(&r);
		if (playbook_portfolio(&pb, &q, &o, &r) == -1) {
			form_free(&f);
			pages_fail(app, req, resp, &r, NULL, NULL, 0);
			return -1;
		}
		if (json_object_object_get_ex(o, "pages", &v))
			pages = json_object_get_int(v);
		json_object_object_get_ex(o, "customers", &rows);
		each(rows, arg);
		json_object_put(o);
	}
	form_free(&f);
	return 0;
}

static void
portfolio_csv_rows(json_object *rows, void *arg)
{
	export_rows(arg, rows, portfolio_cols, sizeof(portfolio_cols) / sizeof(portfolio_cols[0]),
	    0);
}

void
handlers_export_portfolio_csv(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	struct buf	 out;
	struct csv	 c;

	buf_init(&out);
	csv_begin(&c, &out);
	export_rows(&c, NULL, portfolio_cols, sizeof(portfolio_cols) / sizeof(portfolio_cols[0]), 1);
	if (export_portfolio(app, req, resp, portfolio_csv_rows, &c) == 0)
		export_send(resp, "text/csv; charset=utf-8; header=present", "portfolio.csv", &out);
	buf_free(&out);
}

static void
portfolio_json_rows(json_object *rows, void *arg)
{
	size_t	 i;

	for (i = 0; i < json_object_array_length(rows); i++)
		json_object_array_add(arg, json_object_get(json_object_array_get_idx(rows, i)));
}

void
handlers_export_portfolio_json(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	json_object	*all = json_object_new_array(), *o;

	if (export_portfolio(app, req, resp, portfolio_json_rows, all) == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "total", json_object_new_int64(
		    (int64_t)json_object_array_length(all)));
		json_object_object_add(o, "customers", json_object_get(all));
		http_json(resp, 200, o);
		http_header_add(resp, "Content-Disposition", "attachment; filename=\"portfolio.json\"");
		json_object_put(o);
	}
	json_object_put(all);
}

static const struct export_col checkin_cols[] = {
	{ .header = N_("Held on"), .key = "held_on" },
	{ .header = N_("Held by"), .key = "held_by" },
	{ .header = N_("Services"), .key = "services" },
	{ .header = N_("Summary"), .key = "summary" },
	{ .header = N_("Next action"), .key = "next_action" },
	{ .header = N_("Next action due"), .key = "next_action_on" },
	{ .header = N_("Next action owner"), .key = "next_action_owner" },
};

static const struct export_col blocker_cols[] = {
	{ .header = N_("Opened on"), .key = "opened_on" },
	{ .header = N_("Service"), .key = "service_title" },
	{ .header = N_("Status (L1)"), .key = "l1_title" },
	{ .header = N_("Reason (L2)"), .key = "l2_title" },
	{ .header = N_("Description"), .key = "description" },
	{ .header = N_("Owner"), .key = "owner" },
	{ .header = N_("Resolved on"), .key = "resolved_on" },
	{ .header = N_("Resolution"), .key = "resolution" },
};

/* One list of a customer's page (the customer read as the page reads it: visibility applies) as CSV. */
static void
export_customer_list(struct app *app, struct http_request *req, struct http_response *resp,
    const char *list, const struct export_col *cols, size_t ncols)
{
	struct playbook	 pb;
	struct result	 r;
	struct buf	 out;
	struct csv	 c;
	json_object	*view, *arr;
	char		 name[64];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_customer_view(&pb, req->ids[0], &view, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	buf_init(&out);
	csv_begin(&c, &out);
	json_object_object_get_ex(view, list, &arr);
	export_rows(&c, arr, cols, ncols, 1);
	snprintf(name, sizeof(name), "customer-%" PRId64 "-%s.csv", req->ids[0], list);
	export_send(resp, "text/csv; charset=utf-8; header=present", name, &out);
	buf_free(&out);
	json_object_put(view);
}

void
handlers_export_checkins_csv(struct app *app, struct http_request *req, struct http_response *resp)
{
	export_customer_list(app, req, resp, "checkins", checkin_cols,
	    sizeof(checkin_cols) / sizeof(checkin_cols[0]));
}

void
handlers_export_blockers_csv(struct app *app, struct http_request *req, struct http_response *resp)
{
	export_customer_list(app, req, resp, "blockers", blocker_cols,
	    sizeof(blocker_cols) / sizeof(blocker_cols[0]));
}

/* ---------------------------------------------------------------- profile and feed token */

/* The feed's address for token (64 hex digits): base_url + "/feed/" + token + ".ics". */
static json_object *
feed_url(const struct app *app, const struct http_request *req, const char *scheme,
    const char *token)
{
	const char	*base = app->cfg->base_url[0] ? app->cfg->base_url : req->base ? req->base : "";
	struct buf	 u;
	json_object	*o = NULL;

	/* webcal:// is the same address that a click opens in the calendar application. */
	if (scheme != NULL && strncmp(base, "https://", 8) != 0)
		return NULL;
	buf_init(&u);
	if (buf_printf(&u, "%s%s/feed/%s.ics", scheme ? scheme : "", scheme ? base + 8 : base,
	    token) == 0)
		o = json_object_new_string(buf_cstr(&u));
	buf_free(&u);
	return o;
}

/* The profile page (and its JSON): who you are and whether a feed exists; token just made, or NULL. */
static void
profile_show(struct app *app, struct http_request *req, struct http_response *resp,
    const char *token)
{
	struct store_user	 u;
	struct result		 r;
	json_object		*view;
	int64_t			 since;
	char			 day[11], words[48];

	result_clear(&r);
	if (store_user_get_login(app->store, req->user, &u, &r) == -1 ||
	    store_user_feed_since(app->store, u.id, &since, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	view = json_object_new_object();
	json_object_object_add(view, "login", json_object_new_string(u.login));
	json_object_object_add(view, "display_name", json_object_new_string(u.display_name));
	json_object_object_add(view, "email", json_object_new_string(u.email));
	json_object_object_add(view, "role", json_object_new_string(u.role));
	json_object_object_add(view, "timezone", json_object_new_string(u.timezone));
	json_object_object_add(view, "language", json_object_new_string(u.language));
	json_object_object_add(view, "languages", pages_languages_json(u.language, "browser",
	    _("My browser's language")));
	json_object_object_add(view, "has_feed", json_object_new_boolean(since > 0));
	if (since > 0) {
		text_date_format(text_date_today(u.timezone, (time_t)since), day, sizeof(day));
		json_object_object_add(view, "feed_since", json_object_new_string(day));
		if (present_date(day, words, sizeof(words)) == 0)
			json_object_object_add(view, "feed_since_text", json_object_new_string(words));
	}
	/* Only the digest is stored: the address can be shown once, now, and never again. */
	if (token != NULL) {
		json_object_object_add(view, "feed_url", feed_url(app, req, NULL, token));
		json_object_object_add(view, "webcal_url", feed_url(app, req, "webcal://", token));
	}
	if (!pages_is_html(req)) {
		http_json(resp, 200, view);
		json_object_put(view);
		return;
	}
	team_render(app, req, resp, "profile", _("Profile"), view);
}

void
handlers_profile(struct app *app, struct http_request *req, struct http_response *resp)
{
	profile_show(app, req, resp, NULL);
}

enum { PL_LANGUAGE, PL__MAX };
static const char *const profile_language_keys[] = { "browser", "en", "pt-BR", NULL };
static const struct form_field language_fields[PL__MAX] = {
	[PL_LANGUAGE] = { .name = "language", .label = N_("Language"), .type = FORM_ENUM, .required = 1,
	    .allowed = profile_language_keys },
};

/* POST /profile/language: the pages' language of the signed-in user ("browser": Accept-Language decides). */
void
handlers_profile_language(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	const char	*lang;
	int		 rc;

	if ((rc = form_validate(&f, language_fields, PL__MAX, req)) != 0) {
		if (rc == 1 && !pages_is_html(req)) {
			json_object *errs = form_errors_json(&f);

			http_json_error(resp, 422, "language must be browser, en or pt-BR", errs);
			json_object_put(errs);
		} else
			http_error(resp, req, app->templates, rc == -1 ? 500 : 422, rc == -1 ?
			    "out of memory" : "language must be browser, en or pt-BR");
		form_free(&f);
		return;
	}
	lang = strcmp(f.values[PL_LANGUAGE].text, "browser") == 0 ? "" : f.values[PL_LANGUAGE].text;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	rc = playbook_user_language(&pb, lang, &r);
	form_free(&f);
	if (rc == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	/* The next page speaks it: the request's language was decided before the change. */
	if (pages_is_html(req)) {
		http_redirect(resp, req, "/profile");
		return;
	}
	profile_show(app, req, resp, NULL);
}

enum { PF_ACTION, PFEED__MAX };
static const char *const feed_actions[] = { "regenerate", "revoke", NULL };
static const struct form_field feed_fields[PFEED__MAX] = {
	[PF_ACTION] = { .name = "action", .type = FORM_ENUM, .required = 1, .allowed = feed_actions },
};

void
handlers_profile_feed(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	unsigned char	 raw[FEED_TOKEN_BYTES], digest[HMAC_SHA256_LEN];
	char		 token[2 * FEED_TOKEN_BYTES + 1], hex[2 * HMAC_SHA256_LEN + 1];
	int		 regenerate, rc;

	if ((rc = form_validate(&f, feed_fields, PFEED__MAX, req)) != 0) {
		if (rc == 1 && !pages_is_html(req)) {
			json_object *errs = form_errors_json(&f);

			http_json_error(resp, 422, "action must be regenerate or revoke", errs);
			json_object_put(errs);
		} else
			http_error(resp, req, app->templates, rc == -1 ? 500 : 422, rc == -1 ?
			    "out of memory" : "action must be regenerate or revoke");
		form_free(&f);
		return;
	}
	regenerate = strcmp(f.values[PF_ACTION].text, "regenerate") == 0;
	form_free(&f);
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (regenerate) {
		if (fileio_random(raw, sizeof(raw)) == -1) {
			http_error(resp, req, app->templates, 500,
			    "No random bytes for a feed token; nothing was changed.");
			return;
		}
		text_hex_encode(raw, sizeof(raw), token);
		hmac_sha256_hash(token, strlen(token), digest);
		text_hex_encode(digest, sizeof(digest), hex);
	}
	if (playbook_feed_token(&pb, regenerate ? hex : NULL, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (!regenerate && pages_is_html(req)) {
		http_redirect(resp, req, "/profile");
		return;
	}
	profile_show(app, req, resp, regenerate ? token : NULL);
}

/* The series' VCALENDAR as the .ics download writes it, added to fd. */
static int
feed_series(struct playbook *pb, int64_t meeting_id, const struct ical_person *org,
    const char *base_url, struct feed *fd, struct result *r)
{
	struct notice	 notice = { 0 };
	json_object	*payload = NULL;
	int		 rc = -1;

	if (playbook_meeting_payload(pb, meeting_id, &payload, r) == 0 &&
	    notice_decode_meeting_json(payload, &notice, r) == 0 &&
	    feed_add_series(fd, &notice.meeting, org, base_url, pb->now, r) == 0)
		rc = 0;
	notice_free(&notice);
	json_object_put(payload);
	return rc;
}

/* The next actions as all-day events. */
static int
feed_actions_add(const struct app *app, const struct playbook_feed *items, int64_t now,
    struct feed *fd, struct result *r)
{
	const struct playbook_feed_action	*a;
	struct feed_day				 d;
	struct buf				 uid, summary, desc, url;
	size_t					 i;
	int					 rc = 0;

	for (i = 0; rc == 0 && i < items->n_actions; i++) {
		a = &items->actions[i];
		buf_init(&uid);
		buf_init(&summary);
		buf_init(&desc);
		buf_init(&url);
		/* The check-in that set the action names it: the event stays one event across polls. */
		buf_printf(&uid, "next-action-%" PRId64 "@ftsuccess", a->checkin_id);
		buf_printf(&summary, "Next action \xe2\x80\x94 %s: %s", a->customer_name, a->action);
		buf_printf(&desc, "Owner: %s", a->owner);
		buf_printf(&url, "%s/customers/%" PRId64, app->cfg->base_url, a->customer_id);
		d = (struct feed_day){ .uid = buf_cstr(&uid), .on = a->due_on,
		    .summary = buf_cstr(&summary), .description = buf_cstr(&desc),
		    .url = app->cfg->base_url[0] ? buf_cstr(&url) : NULL };
		if (uid.failed || summary.failed || desc.failed || url.failed)
			rc = result_set(r, RESULT_IO, NULL, "feed: out of memory");
		else
			rc = feed_add_day(fd, &d, now, r);
		buf_free(&uid);
		buf_free(&summary);
		buf_free(&desc);
		buf_free(&url);
	}
	return rc;
}

/*
 * GET /feed/<token>.ics, outside the sign-in (a calendar client has no
 * session): the token is the credential, compared by its SHA-256 digest.
 */
void
handlers_feed(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct store_user	 u;
	struct playbook		 pb;
	struct playbook_feed	 items;
	struct feed		 fd;
	struct ical_person	 org;
	struct result		 r;
	struct buf		 out;
	unsigned char		 digest[HMAC_SHA256_LEN];
	char			 hex[2 * HMAC_SHA256_LEN + 1];
	struct buf		 name;
	const char		*t = req->rest ? req->rest : "";
	size_t			 i, n = strlen(t);
	enum playbook_role	 role;

	/* 64 hex digits and ".ics": anything else is no feed, answered alike. */
	for (i = 0; i < n && ((t[i] >= '0' && t[i] <= '9') || (t[i] >= 'a' && t[i] <= 'f')); i++)
		;
	if (i != 2 * FEED_TOKEN_BYTES || strcmp(t + i, ".ics") != 0 || app->store == NULL) {
		http_error(resp, req, app->templates, app->store == NULL ? 503 : 404,
		    app->store == NULL ? "The database is not available; try again shortly." :
		    "There is no calendar feed at this address.");
		return;
	}
	hmac_sha256_hash(t, i, digest);
	text_hex_encode(digest, sizeof(digest), hex);
	result_clear(&r);
	if (store_user_feed_find(app->store, hex, &u, &r) == -1) {
		http_error(resp, req, app->templates, r.code == RESULT_NOTFOUND ? 404 : 503,
		    r.code == RESULT_NOTFOUND ? "There is no calendar feed at this address "
		    "(revoked or regenerated: take the new one from your profile)." :
		    "The database is busy; try again shortly.");
		return;
	}
	memset(&pb, 0, sizeof(pb));
	pb.st = app->store;
	pb.actor = u.login;
	pb.role = playbook_role_parse(u.role, &role) == 0 ? role : PLAYBOOK_ROLE_FM;
	pb.now = (int64_t)time(NULL);
	pb.default_cadence_weeks = app->cfg->checkin_cadence_weeks;
	/* The series' organizer as in the invites; the user's own address stands in without one. */
	org.name = app->cfg->organizer_email[0] ? app->cfg->organizer_name : u.display_name;
	org.email = app->cfg->organizer_email[0] ? app->cfg->organizer_email : u.email;
	if (playbook_feed_items(&pb, &items, &r) == -1) {
		http_error(resp, req, app->templates, 503, "The feed could not be read; try again.");
		return;
	}
	feed_begin(&fd);
	for (i = 0; i < items.n_meetings; i++)
		/* A series the calendar cannot describe (no organizer, a start in a DST gap) is left out. */
		if (!text_email_valid(org.email) ||
		    feed_series(&pb, items.meetings[i], &org, app->cfg->base_url, &fd, &r) == -1)
			log_warnx("feed: user=%s series %" PRId64 " left out: %s", u.login,
			    items.meetings[i], text_email_valid(org.email) ? r.message :
			    "no organizer_email in ftsuccess.conf and no e-mail for the user");
	buf_init(&out);
	buf_init(&name);
	buf_printf(&name, "ftsuccess \xe2\x80\x94 %s", u.display_name);
	if (feed_actions_add(app, &items, pb.now, &fd, &r) == -1 ||
	    feed_end(&fd, buf_cstr(&name), &out, &r) == -1) {
		buf_free(&name);
		feed_free(&fd);
		playbook_feed_free(&items);
		buf_free(&out);
		http_error(resp, req, app->templates, 500, "The feed could not be written.");
		return;
	}
	buf_free(&name);
	playbook_feed_free(&items);
	http_respond(resp, 200, "text/calendar; charset=utf-8", out.data, out.len);
	/* Cache-Control stays no-store: the address is the credential, no shared cache may keep it. */
	buf_free(&out);
}
