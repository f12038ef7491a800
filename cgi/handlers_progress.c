/* handlers_progress.c -- AU samples and the usage-report import, check-ins, tasks, blockers, Success Review. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fields.h"
#include "handlers.h"
#include "i18n.h"
#include "pages.h"
#include "store.h"
#include "usagecsv.h"

static int
key_l1(const char *text, long long num)
{
	(void)num;
	return catalog_find(CATALOG_L1, text) != NULL;
}

static int
key_l2(const char *text, long long num)
{
	(void)num;
	return catalog_find(CATALOG_L2, text) != NULL;
}

static int
key_outcome(const char *text, long long num)
{
	(void)num;
	return catalog_find(CATALOG_OUTCOMES, text) != NULL;
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
	[US_SERVICE] = { .name = "service", .label = "Service", .type = FORM_KEY, .required = 1, .check = handlers_key_service },
	[US_ON] = { .name = "measured_on", .label = "Measured on", .type = FORM_DATE, .required = 1 },
	[US_ACTIVE] = { .name = "active_users", .label = "Active users", .type = FORM_INT, .required = 1, .max = 1000000000 },
	[US_ELIGIBLE] = { .name = "eligible_users", .label = "Licensed (eligible) users", .type = FORM_INT, .required = 1, .min = 1, .max = 1000000000 },
};

static int
usage_record(struct pages_call *c, struct result *r)
{
	const struct form_value	*v = c->f.values;
	json_object		*o;

	/* "0" is a value here, not an absent field: the form marks required ints present. */
	if (playbook_usage_record(&c->pb, c->cid, v[US_SERVICE].text, v[US_ON].text,
	    v[US_ACTIVE].num, v[US_ELIGIBLE].num, "manual", r) == -1)
		return -1;
	o = pages_body(c, 0);
	PAGES_ECHO(c, o, 0, US_SERVICE, US_ON, US_ACTIVE, US_ELIGIBLE);
	json_object_object_add(o, "au_percent", playbook_json_percent(
	    playbook_au_percent(v[US_ACTIVE].num, v[US_ELIGIBLE].num)));
	return 0;
}

/* The two counts go together: their error joins the others of the form. */
static void
usage_check(struct pages_call *c)
{
	const struct form_value	*v = c->f.values;
	struct result		 r;

	if (!v[US_ACTIVE].present || !v[US_ELIGIBLE].present || v[US_ACTIVE].error[0] != '\0' ||
	    v[US_ELIGIBLE].error[0] != '\0')
		return;
	result_clear(&r);
	if (playbook_usage_counts_check(v[US_ACTIVE].num, v[US_ELIGIBLE].num, &r) == -1)
		(void)form_error_set_text(&c->f, r.field, r.message, r.text);
}

static const struct pages_action us_action = {
	.form = "usage", .fields = us_fields, .nfields = US__MAX, .notice = "usage_recorded",
	.created = 1, .run = usage_record, .check = usage_check,
};
PAGES_ACTION_HANDLER(handlers_usage_record, us_action)

enum { IM_FILE, IM_CSV, IM_CONFIRM, IM__MAX };
static const struct form_field im_fields[IM__MAX] = {
	[IM_FILE] = { .name = "file", .label = "Usage report", .type = FORM_FILE, .max = 512 * 1024 },
	[IM_CSV] = { .name = "csv", .label = "Usage report text", .type = FORM_MULTILINE, .max = 512 * 1024 },
	[IM_CONFIRM] = { .name = "confirm", .label = "Confirmation", .type = FORM_BOOL },
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

	result_clear(&r);
	pages_playbook(app, req, &pb);
	/* Refused before the file is read, as every form action (pages_action). */
	if (playbook_customer_check(&pb, cid, 1, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (pages_validate(app, req, resp, &f, im_fields, IM__MAX, "import", cid) == -1)
		return;
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
	json_object_object_add(view, "title", json_object_new_string(_("Import usage report")));
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
	[CK_HELD] = { .name = "held_on", .label = "Held on", .type = FORM_DATE, .required = 1 },
	[CK_SUMMARY] = { .spec = &field_checkin_summary },
	[CK_ACTION] = { .spec = &field_next_action, .required = 1 },
	[CK_ACTION_ON] = { .name = "next_action_on", .label = "Next action by", .type = FORM_DATE, .required = 1 },
	[CK_OWNER] = { .spec = &field_next_action_owner, .required = 1 },
	[CK_SERVICES] = { .name = "services", .label = "Services discussed", .type = FORM_KEY, .check = handlers_key_service, .multiple = 1 },
};

/* The check-in form's values as the rule takes them. */
static void
checkin_input(const struct pages_call *c, struct playbook_checkin_input *in)
{
	const struct form_value	*v = c->f.values;

	memset(in, 0, sizeof(*in));
	in->held_on = v[CK_HELD].text;
	in->summary = v[CK_SUMMARY].text;
	in->next_action = v[CK_ACTION].text;
	in->next_action_on = v[CK_ACTION_ON].text;
	in->next_action_owner = v[CK_OWNER].text;
	in->services = (const char *const *)v[CK_SERVICES].items;
	in->n_services = v[CK_SERVICES].nitems;
}

static int
checkin_log(struct pages_call *c, struct result *r)
{
	struct playbook_checkin_input	 in;
	json_object			*o;
	int64_t				 id;

	checkin_input(c, &in);
	if (playbook_checkin_log(&c->pb, c->cid, &in, &id, r) == -1)
		return -1;
	o = pages_body(c, id);
	PAGES_ECHO(c, o, 0, CK_HELD);
	json_object_object_add(o, "held_by", json_object_new_string(c->req->user));
	PAGES_ECHO(c, o, 0, CK_SUMMARY, CK_ACTION, CK_ACTION_ON, CK_OWNER, CK_SERVICES);
	return 0;
}

static const struct pages_action ck_action = {
	.form = "checkin", .fields = ck_fields, .nfields = CK__MAX, .notice = "checkin_logged",
	.created = 1, .run = checkin_log,
};
PAGES_ACTION_HANDLER(handlers_checkin_log, ck_action)

/* Correct a logged check-in (issue 13, item 11): the same fields, on its row of the page. */
static int
checkin_edit(struct pages_call *c, struct result *r)
{
	struct playbook_checkin_input	 in;

	checkin_input(c, &in);
	return playbook_checkin_edit(&c->pb, c->req->ids[0], &in, r);
}

/* The route names the check-in: its form belongs to its customer's page. */
static int
checkin_customer(struct pages_call *c, struct result *r)
{
	struct store_checkin	 k;

	if (store_checkin_get(c->app->store, c->req->ids[0], &k, r) == -1)
		return -1;
	c->cid = k.customer_id;
	return 0;
}

static const struct pages_action ce_action = {
	.form = "checkin_edit", .fields = ck_fields, .nfields = CK__MAX, .notice = "checkin_saved",
	.run = checkin_edit, .customer = checkin_customer,
};
PAGES_ACTION_HANDLER(handlers_checkin_edit, ce_action)

/* ---------------------------------------------------------------- tasks */

enum { TK_NOTE, TK__MAX };
static const struct form_field tk_fields[TK__MAX] = {
	[TK_NOTE] = { .spec = &field_task_note },
};

static int
task_complete(struct pages_call *c, struct result *r)
{
	return playbook_task_complete(&c->pb, c->cid, (int)c->req->ids[1], c->f.values[TK_NOTE].text, r);
}

/* The task must be one the playbook knows: else 404 before the form is looked at. */
static int
task_known(struct pages_call *c, struct result *r)
{
	int64_t	 ftop = c->req->ids[1];

	if (ftop_known(NULL, ftop))
		return 0;
	return result_set(r, RESULT_NOTFOUND, "ftop_id", "%" PRId64 " is not an FTOP task of this playbook",
	    ftop);
}

static const struct pages_action tk_action = {
	.form = "task", .fields = tk_fields, .nfields = TK__MAX, .notice = "task_completed",
	.run = task_complete, .customer = task_known,
};
PAGES_ACTION_HANDLER(handlers_task_complete, tk_action)

/* ---------------------------------------------------------------- blockers */

enum { BL_DESC, BL_OWNER, BL_L2, BL_L1, BL_SERVICE, BL__MAX };
static const struct form_field bl_fields[BL__MAX] = {
	[BL_DESC] = { .spec = &field_blocker_description, .required = 1 },
	[BL_OWNER] = { .spec = &field_blocker_owner, .required = 1 },
	[BL_L2] = { .name = "l2_reason", .label = "Reason (L2)", .type = FORM_KEY, .check = key_l2 },
	[BL_L1] = { .name = "l1_status", .label = "Status (L1)", .type = FORM_KEY, .check = key_l1 },
	[BL_SERVICE] = { .name = "service", .label = "Service", .type = FORM_KEY, .check = handlers_key_service },
};

static int
blocker_open(struct pages_call *c, struct result *r)
{
	const struct form_value		*v = c->f.values;
	struct playbook_blocker_input	 in;
	json_object			*o;
	int64_t				 id;

	memset(&in, 0, sizeof(in));
	in.description = v[BL_DESC].text;
	in.owner = v[BL_OWNER].text;
	in.l2_reason = v[BL_L2].present ? v[BL_L2].text : NULL;
	in.l1_status = v[BL_L1].present ? v[BL_L1].text : NULL;
	in.service = v[BL_SERVICE].present ? v[BL_SERVICE].text : NULL;
	if (playbook_blocker_open(&c->pb, c->cid, &in, &id, r) == -1)
		return -1;
	o = pages_body(c, id);
	PAGES_ECHO(c, o, 0, BL_DESC, BL_OWNER);
	json_object_object_add(o, "l1_status", json_object_new_string(in.l1_status ? in.l1_status : "blocked"));
	PAGES_ECHO(c, o, 1, BL_L2, BL_SERVICE);
	return 0;
}

/* The status and reason go together: their error joins the others of the form. */
static void
blocker_check(struct pages_call *c)
{
	const struct form_value	*v = c->f.values;
	struct result		 r;

	if (v[BL_L1].error[0] != '\0' || v[BL_L2].error[0] != '\0')
		return;
	result_clear(&r);
	if (playbook_blocker_status_check(v[BL_L1].present ? v[BL_L1].text : NULL,
	    v[BL_L2].present ? v[BL_L2].text : NULL, &r) == -1)
		(void)form_error_set_text(&c->f, r.field, r.message, r.text);
}

static const struct pages_action bl_action = {
	.form = "blocker", .fields = bl_fields, .nfields = BL__MAX, .notice = "blocker_opened",
	.created = 1, .run = blocker_open, .check = blocker_check,
};
PAGES_ACTION_HANDLER(handlers_blocker_open, bl_action)

enum { BR_RESOLUTION, BR__MAX };
static const struct form_field br_fields[BR__MAX] = {
	[BR_RESOLUTION] = { .spec = &field_blocker_resolution, .required = 1 },
};

/* The route names the blocker; the form belongs to its customer. */
static int
blocker_resolve(struct pages_call *c, struct result *r)
{
	return playbook_blocker_resolve(&c->pb, c->req->ids[0], c->f.values[BR_RESOLUTION].text, r);
}

/* The route names the blocker: the form is shown on its customer's page. */
static int
blocker_customer(struct pages_call *c, struct result *r)
{
	struct store_blocker	 b;

	if (store_blocker_get(c->app->store, c->req->ids[0], &b, r) == -1)
		return -1;
	c->cid = b.customer_id;
	return 0;
}

static const struct pages_action br_action = {
	.form = "resolve", .fields = br_fields, .nfields = BR__MAX, .notice = "blocker_resolved",
	.run = blocker_resolve, .customer = blocker_customer,
};
PAGES_ACTION_HANDLER(handlers_blocker_resolve, br_action)

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
			    _("This customer is not ready for Success Review yet: the reasons are listed "
			    "under Readiness."));
		else
			pages_fail(app, req, resp, &r, "review", NULL, cid);
		return;
	}
	pages_done(app, req, resp, cid, "review_started", 200, NULL, NULL);
}

enum { RO_OUTCOME, RO__MAX };
static const struct form_field ro_fields[RO__MAX] = {
	[RO_OUTCOME] = { .name = "outcome", .label = "Outcome", .type = FORM_KEY, .required = 1, .check = key_outcome },
};

static int
review_outcome(struct pages_call *c, struct result *r)
{
	return playbook_review_outcome(&c->pb, c->cid, c->f.values[RO_OUTCOME].text, r);
}

static const struct pages_action ro_action = {
	.form = "outcome", .fields = ro_fields, .nfields = RO__MAX, .notice = "review_recorded",
	.run = review_outcome,
};
PAGES_ACTION_HANDLER(handlers_review_outcome, ro_action)
