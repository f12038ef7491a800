/* handlers_progress.c -- AU samples and the usage-report import, check-ins, tasks, blockers, Success Review. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fields.h"
#include "handlers.h"
#include "pages.h"
#include "store.h"
#include "usagecsv.h"

static int
key_l1(const char *text, long long num)
{
	(void)num;
	return catalog_l1_find(text) != NULL;
}

static int
key_l2(const char *text, long long num)
{
	(void)num;
	return catalog_l2_find(text) != NULL;
}

static int
key_outcome(const char *text, long long num)
{
	(void)num;
	return catalog_outcome_find(text) != NULL;
}

static int
ftop_known(const char *text, long long num)
{
	(void)text;
	return num > 0 && num < 100000 && catalog_task_find((int)num) != NULL;
}

/* ---------------------------------------------------------------- usage */

enum { US_SERVICE, US_ON, US_ACTIVE, US_ELIGIBLE, US__MAX };
static const struct form_field us_fields[US__MAX] = {
	[US_SERVICE] = { .name = "service", .type = FORM_KEY, .required = 1, .check = handlers_key_service },
	[US_ON] = { .name = "measured_on", .type = FORM_DATE, .required = 1 },
	[US_ACTIVE] = { .name = "active_users", .type = FORM_INT, .required = 1, .max = 1000000000 },
	[US_ELIGIBLE] = { .name = "eligible_users", .type = FORM_INT, .required = 1, .min = 1, .max = 1000000000 },
};

void
handlers_usage_record(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	json_object	*o;
	int64_t		 cid = req->ids[0];
	char		 loc[96];

	/* "0" is a value here, not an absent field: the form marks required ints present. */
	if (pages_validate(app, req, resp, &f, us_fields, US__MAX, "usage", cid) == -1)
		return;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_usage_record(&pb, cid, f.values[US_SERVICE].text, f.values[US_ON].text,
	    f.values[US_ACTIVE].num, f.values[US_ELIGIBLE].num, "manual", &r) == -1) {
		pages_fail(app, req, resp, &r, "usage", &f, cid);
		form_free(&f);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "customer_id", json_object_new_int64(cid));
	json_object_object_add(o, "service", json_object_new_string(f.values[US_SERVICE].text));
	json_object_object_add(o, "measured_on", json_object_new_string(f.values[US_ON].text));
	json_object_object_add(o, "active_users", json_object_new_int64(f.values[US_ACTIVE].num));
	json_object_object_add(o, "eligible_users", json_object_new_int64(f.values[US_ELIGIBLE].num));
	json_object_object_add(o, "au_percent", playbook_json_percent(
	    playbook_au_percent(f.values[US_ACTIVE].num, f.values[US_ELIGIBLE].num)));
	snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, cid);
	form_free(&f);
	pages_done(app, req, resp, cid, "usage_recorded", 201, o, loc);
}

enum { IM_FILE, IM_CSV, IM_CONFIRM, IM__MAX };
static const struct form_field im_fields[IM__MAX] = {
	[IM_FILE] = { .name = "file", .type = FORM_FILE, .max = 512 * 1024 },
	[IM_CSV] = { .name = "csv", .type = FORM_MULTILINE, .max = 512 * 1024 },
	[IM_CONFIRM] = { .name = "confirm", .type = FORM_BOOL },
};

/*
 * Two steps: a file (or csv text) without confirm answers a preview of what
 * would be imported; with confirm the same text is imported in one
 * transaction.  JSON clients send {"csv": "...", "confirm": true}.
 */
void
handlers_usage_import(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct form		 f;
	struct result		 r;
	struct usagecsv_sample	*samples = NULL;
	struct store_customer	 c;
	json_object		*report = NULL, *view, *cust, *v;
	size_t			 n = 0, imported = 0, i, importable = 0;
	int64_t			 cid = req->ids[0];
	const char		*text;
	size_t			 len;
	int			 confirm;

	if (pages_validate(app, req, resp, &f, im_fields, IM__MAX, "import", cid) == -1)
		return;
	result_clear(&r);
	if (store_customer_get(app->store, cid, &c, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		form_free(&f);
		return;
	}
	if (f.values[IM_FILE].present) {
		text = f.values[IM_FILE].text;
		len = f.values[IM_FILE].len;
	} else if (f.values[IM_CSV].present) {
		text = f.values[IM_CSV].text;
		len = f.values[IM_CSV].len;
	} else {
		form_error_set(&f, "file", "Choose the usage report CSV file to import.");
		pages_invalid(app, req, resp, "import", &f, cid);
		form_free(&f);
		return;
	}
	confirm = f.values[IM_CONFIRM].num != 0;
	if (usagecsv_parse(text, len, &samples, &n, &r) == -1) {
		pages_fail(app, req, resp, &r, "import", &f, cid);
		form_free(&f);
		return;
	}
	pages_playbook(app, req, &pb);
	if (playbook_usage_import(&pb, cid, samples, n, !confirm, &report, &imported, &r) == -1) {
		free(samples);
		pages_fail(app, req, resp, &r, "import", &f, cid);
		form_free(&f);
		return;
	}
	free(samples);
	if (confirm) {
		view = json_object_new_object();
		json_object_object_add(view, "imported", json_object_new_int64((int64_t)imported));
		json_object_object_add(view, "rows", report);
		form_free(&f);
		pages_done(app, req, resp, cid, "usage_imported", 200, view, NULL);
		return;
	}
	for (i = 0; i < json_object_array_length(report); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(report, i), "import", &v) &&
		    json_object_get_boolean(v))
			importable++;
	view = json_object_new_object();
	json_object_object_add(view, "title", json_object_new_string("Import usage report"));
	cust = json_object_new_object();
	json_object_object_add(cust, "id", json_object_new_int64(cid));
	json_object_object_add(cust, "name", json_object_new_string(c.name));
	json_object_object_add(cust, "timezone", json_object_new_string(c.timezone));
	json_object_object_add(view, "customer", cust);
	json_object_object_add(view, "rows", report);
	json_object_object_add(view, "importable", json_object_new_int64((int64_t)importable));
	json_object_object_add(view, "preview", json_object_new_boolean(1));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	if (pages_is_html(req))
		json_object_object_add(view, "csv", json_object_new_string_len(text, (int)len));
	form_free(&f);
	http_render(resp, req, app->templates, 200, "usage_import", view);
	json_object_put(view);
}

/* ---------------------------------------------------------------- check-ins */

enum { CK_HELD, CK_SUMMARY, CK_ACTION, CK_ACTION_ON, CK_OWNER, CK_SERVICES, CK__MAX };
static const struct form_field ck_fields[CK__MAX] = {
	[CK_HELD] = { .name = "held_on", .type = FORM_DATE, .required = 1 },
	[CK_SUMMARY] = { .spec = &field_checkin_summary },
	[CK_ACTION] = { .spec = &field_next_action, .required = 1 },
	[CK_ACTION_ON] = { .name = "next_action_on", .type = FORM_DATE, .required = 1 },
	[CK_OWNER] = { .spec = &field_next_action_owner, .required = 1 },
	[CK_SERVICES] = { .name = "services", .type = FORM_KEY, .check = handlers_key_service, .multiple = 1 },
};

void
handlers_checkin_log(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook			 pb;
	struct playbook_checkin_input	 in;
	struct form			 f;
	struct result			 r;
	json_object			*o, *arr;
	int64_t				 cid = req->ids[0], id;
	size_t				 i;
	char				 loc[96];

	if (pages_validate(app, req, resp, &f, ck_fields, CK__MAX, "checkin", cid) == -1)
		return;
	memset(&in, 0, sizeof(in));
	in.held_on = f.values[CK_HELD].text;
	in.summary = f.values[CK_SUMMARY].text;
	in.next_action = f.values[CK_ACTION].text;
	in.next_action_on = f.values[CK_ACTION_ON].text;
	in.next_action_owner = f.values[CK_OWNER].text;
	in.services = (const char *const *)f.values[CK_SERVICES].items;
	in.n_services = f.values[CK_SERVICES].nitems;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_checkin_log(&pb, cid, &in, &id, &r) == -1) {
		pages_fail(app, req, resp, &r, "checkin", &f, cid);
		form_free(&f);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "customer_id", json_object_new_int64(cid));
	json_object_object_add(o, "held_on", json_object_new_string(in.held_on));
	json_object_object_add(o, "held_by", json_object_new_string(req->user));
	json_object_object_add(o, "summary", json_object_new_string(in.summary ? in.summary : ""));
	json_object_object_add(o, "next_action", json_object_new_string(in.next_action));
	json_object_object_add(o, "next_action_on", json_object_new_string(in.next_action_on));
	json_object_object_add(o, "next_action_owner", json_object_new_string(in.next_action_owner));
	arr = json_object_new_array();
	for (i = 0; i < in.n_services; i++)
		json_object_array_add(arr, json_object_new_string(in.services[i]));
	json_object_object_add(o, "services", arr);
	snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, cid);
	form_free(&f);
	pages_done(app, req, resp, cid, "checkin_logged", 201, o, loc);
}

/* ---------------------------------------------------------------- tasks */

enum { TK_NOTE, TK__MAX };
static const struct form_field tk_fields[TK__MAX] = {
	[TK_NOTE] = { .spec = &field_task_note },
};

void
handlers_task_complete(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	int		 rc;
	int64_t		 cid = req->ids[0], ftop = req->ids[1];

	if (!ftop_known(NULL, ftop)) {
		r.code = RESULT_NOTFOUND;
		snprintf(r.field, sizeof(r.field), "ftop_id");
		snprintf(r.message, sizeof(r.message), "%" PRId64 " is not an FTOP task of this playbook",
		    ftop);
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (pages_validate(app, req, resp, &f, tk_fields, TK__MAX, "task", cid) == -1)
		return;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	rc = playbook_task_complete(&pb, cid, (int)ftop, f.values[TK_NOTE].text, &r);
	pages_form_done(app, req, resp, rc, &r, "task", &f, cid, "task_completed");
}

/* ---------------------------------------------------------------- blockers */

enum { BL_DESC, BL_OWNER, BL_L2, BL_L1, BL_SERVICE, BL__MAX };
static const struct form_field bl_fields[BL__MAX] = {
	[BL_DESC] = { .spec = &field_blocker_description, .required = 1 },
	[BL_OWNER] = { .spec = &field_blocker_owner, .required = 1 },
	[BL_L2] = { .name = "l2_reason", .type = FORM_KEY, .check = key_l2 },
	[BL_L1] = { .name = "l1_status", .type = FORM_KEY, .check = key_l1 },
	[BL_SERVICE] = { .name = "service", .type = FORM_KEY, .check = handlers_key_service },
};

void
handlers_blocker_open(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook			 pb;
	struct playbook_blocker_input	 in;
	struct form			 f;
	struct result			 r;
	json_object			*o;
	int64_t				 cid = req->ids[0], id;
	char				 loc[96];

	if (pages_validate(app, req, resp, &f, bl_fields, BL__MAX, "blocker", cid) == -1)
		return;
	memset(&in, 0, sizeof(in));
	in.description = f.values[BL_DESC].text;
	in.owner = f.values[BL_OWNER].text;
	in.l2_reason = f.values[BL_L2].present ? f.values[BL_L2].text : NULL;
	in.l1_status = f.values[BL_L1].present ? f.values[BL_L1].text : NULL;
	in.service = f.values[BL_SERVICE].present ? f.values[BL_SERVICE].text : NULL;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_blocker_open(&pb, cid, &in, &id, &r) == -1) {
		pages_fail(app, req, resp, &r, "blocker", &f, cid);
		form_free(&f);
		return;
	}
	o = json_object_new_object();
	json_object_object_add(o, "id", json_object_new_int64(id));
	json_object_object_add(o, "customer_id", json_object_new_int64(cid));
	json_object_object_add(o, "description", json_object_new_string(in.description));
	json_object_object_add(o, "owner", json_object_new_string(in.owner));
	json_object_object_add(o, "l1_status", json_object_new_string(in.l1_status ? in.l1_status : "blocked"));
	json_object_object_add(o, "l2_reason", in.l2_reason ? json_object_new_string(in.l2_reason) : NULL);
	json_object_object_add(o, "service", in.service ? json_object_new_string(in.service) : NULL);
	snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, cid);
	form_free(&f);
	pages_done(app, req, resp, cid, "blocker_opened", 201, o, loc);
}

enum { BR_RESOLUTION, BR__MAX };
static const struct form_field br_fields[BR__MAX] = {
	[BR_RESOLUTION] = { .spec = &field_blocker_resolution, .required = 1 },
};

void
handlers_blocker_resolve(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct form		 f;
	struct result		 r;
	int			 rc;
	struct store_blocker	 b;

	result_clear(&r);
	if (store_blocker_get(app->store, req->ids[0], &b, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (pages_validate(app, req, resp, &f, br_fields, BR__MAX, "resolve", b.customer_id) == -1)
		return;
	pages_playbook(app, req, &pb);
	rc = playbook_blocker_resolve(&pb, b.id, f.values[BR_RESOLUTION].text, &r);
	pages_form_done(app, req, resp, rc, &r, "resolve", &f, b.customer_id, "blocker_resolved");
}

/* ---------------------------------------------------------------- Success Review */

void
handlers_review_start(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct result	 r;
	int64_t		 cid = req->ids[0];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_review_start(&pb, cid, &r) == -1) {
		/* The page lists every reason under Readiness: say so, not all of them again. */
		if (pages_is_html(req) && r.code == RESULT_INVALID)
			pages_customer(app, req, resp, cid, 422, NULL, NULL,
			    "This customer is not ready for Success Review yet: the reasons are listed under Readiness.");
		else
			pages_fail(app, req, resp, &r, "review", NULL, cid);
		return;
	}
	pages_done(app, req, resp, cid, "review_started", 200, NULL, NULL);
}

enum { RO_OUTCOME, RO__MAX };
static const struct form_field ro_fields[RO__MAX] = {
	[RO_OUTCOME] = { .name = "outcome", .type = FORM_KEY, .required = 1, .check = key_outcome },
};

void
handlers_review_outcome(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	int		 rc;
	int64_t		 cid = req->ids[0];

	if (pages_validate(app, req, resp, &f, ro_fields, RO__MAX, "outcome", cid) == -1)
		return;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	rc = playbook_review_outcome(&pb, cid, f.values[RO_OUTCOME].text, &r);
	pages_form_done(app, req, resp, rc, &r, "outcome", &f, cid, "review_recorded");
}
