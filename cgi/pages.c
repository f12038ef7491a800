/* pages.c -- shared plumbing of the page handlers: request context, failed forms shown again, results to responses. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "i18n.h"
#include "log.h"
#include "mustache.h"
#include "pages.h"
#include "text.h"

/* Notices shown after a redirect, chosen by key so the URL never carries text to the page. */
static const struct {
	const char *key;
	const char *text;
	/* A stored value of the page (never the URL's) after text, then after: "Carla Mendes". */
	const char *member, *after;
} notices[] = {
	{ .key = "customer_created", .text = N_("Customer created.") },
	{ .key = "customer_saved", .text = N_("Customer saved.") },
	{ .key = "contact_added", .text = N_("Contact added; scheduled check-ins were updated for them.") },
	{ .key = "contact_invites", .text = N_("Contact's invitations changed; the check-in series were updated.") },
	{ .key = "service_added", .text = N_("Service saved.") },
	{ .key = "target_saved", .text = N_("Target saved.") },
	{ .key = "csm_saved", .text = "", .member = "csm_name",
	    .after = N_(" is the CSM: handshake mails are queued for the live Modern Comms services.") },
	{ .key = "csm_saved_none", .text = "", .member = "csm_name", .after = N_(" is the CSM; no handshake "
	    "queued: no Modern Comms service is live, or each was handed over already.") },
	{ .key = "csm_unchanged", .text = N_("Nothing changed: "), .member = "csm_name",
	    .after = N_(" was already the CSM; no handshake queued.") },
	{ .key = "owner_saved", .text = N_("The customer has a new FM; its check-in series were updated.") },
	{ .key = "adoption_joined", .text = N_("Joined the Adoption Program: tasks created.") },
	{ .key = "accelerator_requested", .text = N_("Accelerator requested: task created.") },
	{ .key = "usage_recorded", .text = N_("Active usage recorded.") },
	{ .key = "usage_imported", .text = N_("Usage report imported.") },
	{ .key = "checkin_logged", .text = N_("Check-in logged.") },
	{ .key = "task_completed", .text = N_("Task completed.") },
	{ .key = "blocker_opened", .text = N_("Blocker recorded.") },
	{ .key = "blocker_resolved", .text = N_("Blocker resolved.") },
	{ .key = "meeting_scheduled", .text = N_("Check-ins scheduled: the invitation is queued.") },
	{ .key = "meeting_rescheduled", .text = N_("Check-ins rescheduled: the update is queued.") },
	{ .key = "meeting_cancelled", .text = N_("Check-ins cancelled: the cancellation is queued.") },
	{ .key = "occurrence_skipped", .text = N_("Check-in skipped: its cancellation is queued.") },
	{ .key = "occurrence_moved", .text = N_("Check-in moved: the update is queued.") },
	{ .key = "review_started", .text = N_("Success Review started: task 3735 created.") },
	{ .key = "review_recorded", .text = N_("Success Review outcome recorded; the customer is closed.") },
	{ .key = "outbox_retry", .text = N_("The message is queued again.") },
	{ .key = "contact_saved", .text = N_("Contact saved.") },
	{ .key = "checkin_saved", .text = N_("Check-in corrected; the audit trail records what changed.") },
	{ .key = "contact_removed", .text = N_("Contact removed; any check-in series they attended "
	    "was updated and they were sent its cancellation.") },
	{ .key = "customer_archived", .text = N_("Customer archived: it no longer shows in the portfolio.") },
	{ .key = "customer_unarchived", .text = N_("Customer unarchived: it is back in the portfolio.") },
	{ .key = NULL },
};

/* The notice of notices[i] on the page, with its stored value when it names one. */
static void
notice_add(json_object *view, size_t i)
{
	json_object	*v;
	char		 text[400];

	if (notices[i].member == NULL) {
		json_object_object_add(view, "notice", json_object_new_string(_(notices[i].text)));
		return;
	}
	/* The value it names is gone (a link kept from before): no notice rather than half of one. */
	if (!json_object_object_get_ex(view, notices[i].member, &v) || v == NULL)
		return;
	snprintf(text, sizeof(text), "%s%s%s", *notices[i].text ? _(notices[i].text) : "",
	    json_object_get_string(v), _(notices[i].after));
	json_object_object_add(view, "notice", json_object_new_string(text));
}

void
pages_playbook(struct app *app, const struct http_request *req, struct playbook *pb)
{
	memset(pb, 0, sizeof(*pb));
	pb->st = app->store;
	pb->actor = req->user;
	pb->role = (enum playbook_role)req->role;
	pb->own_only = app->cfg->visibility == CONFIG_VISIBILITY_OWN;
	pb->now = (int64_t)time(NULL);
	pb->default_cadence_weeks = app->cfg->checkin_cadence_weeks;
	pb->cache = app->cache;
}

int
pages_is_html(const struct http_request *req)
{
	return !http_wants_json(req);
}

static int
http_status_of(enum result_code code)
{
	switch (code) {
	case RESULT_NOTFOUND:
		return 404;
	case RESULT_CONFLICT:
		return 409;
	case RESULT_FORBIDDEN:
		return 403;
	case RESULT_INVALID:
		return 422;
	case RESULT_BUSY:
	case RESULT_STORAGE:
		return 503;
	default:
		return 500;
	}
}

/*
 * [{text, anchor}] of the fields in error, for the short summary at the top:
 * each the field's sentence (form_sentence), led by its label when the
 * sentence does not name it, linking to the field.  No API key reaches it.
 */
static json_object *
errors_list(const struct form *f, const char *form_name, const char *prefix)
{
	json_object	*list = json_object_new_array(), *e;
	char		 anchor[96], sentence[400], text[480];
	const char	*label;
	size_t		 i;

	for (i = 0; f != NULL && i < f->nfields; i++) {
		if (f->values[i].error[0] == '\0')
			continue;
		form_sentence(f, i, sentence, sizeof(sentence));
		label = form_label(&f->fields[i]);
		if (strncmp(sentence, label, strlen(label)) == 0)
			snprintf(text, sizeof(text), "%s%s", prefix, sentence);
		else
			snprintf(text, sizeof(text), "%s%s: %s", prefix, label, sentence);
		e = json_object_new_object();
		json_object_object_add(e, "text", json_object_new_string(text));
		snprintf(anchor, sizeof(anchor), "f-%s-%s", form_name ? form_name : "form",
		    f->fields[i].name);
		json_object_object_add(e, "anchor", json_object_new_string(anchor));
		json_object_array_add(list, e);
	}
	return list;
}

/* The summary of the errors: the list, and how many there are, said in words. */
static void
errors_add(json_object *view, const struct form *f, const char *form_name, const char *prefix)
{
	json_object	*list = errors_list(f, form_name, prefix);
	size_t		 n = json_object_array_length(list);
	char		 head[64];

	if (n == 0) {
		json_object_put(list);
		return;
	}
	if (n == 1)
		snprintf(head, sizeof(head), "%s", _("There is a problem:"));
	else
		snprintf(head, sizeof(head), ngettext("There is %zu problem:", "There are %zu problems:",
		    (unsigned long)n), n);
	json_object_object_add(view, "errors", list);
	json_object_object_add(view, "errors_head", json_object_new_string(head));
}

/* Set flag on the items of arr whose "key" equals value. */
static void
mark(json_object *arr, const char *value, const char *flag)
{
	json_object	*v;
	size_t		 i;

	if (arr == NULL || value == NULL || *value == '\0')
		return;
	for (i = 0; i < json_object_array_length(arr); i++)
		if (json_object_object_get_ex(json_object_array_get_idx(arr, i), "key", &v) &&
		    strcmp(json_object_get_string(v), value) == 0)
			json_object_object_add(json_object_array_get_idx(arr, i), flag,
			    json_object_new_boolean(1));
}

static json_object *
member(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v))
		return NULL;
	if (b != NULL && !json_object_object_get_ex(v, b, &v))
		return NULL;
	return v;
}

/*
 * A form shown again keeps its choices: logic-less templates cannot compare
 * the typed key with each option, so the options carry selected/checked.
 */
static void
keep_choices(json_object *view, const char *form_name, const struct form *f)
{
	size_t	 i, k;
	char	 flag[64];

	for (i = 0; i < f->nfields; i++) {
		const char		*name = f->fields[i].name;
		const struct form_value	*v = &f->values[i];

		if (strcmp(name, "services") == 0)
			for (k = 0; k < v->nitems; k++)
				mark(member(view, "covered_services", NULL), v->items[k], "checked");
		else if (strcmp(name, "service") == 0 && strcmp(form_name, "service") == 0)
			mark(member(view, "catalog", "services"), v->raw, "selected");
		else if (strcmp(name, "service") == 0) {
			/*
			 * The customer's services feed the target, usage and
			 * blocker selects alike: the flag names the form, so
			 * only the form shown again keeps its choice.
			 */
			snprintf(flag, sizeof(flag), "selected_%s", form_name);
			mark(member(view, "services", NULL), v->raw, flag);
		}
		else if (strcmp(name, "l1_status") == 0)
			mark(member(view, "catalog", "l1"), v->raw, "selected");
		else if (strcmp(name, "l2_reason") == 0)
			mark(member(view, "catalog", "l2"), v->raw, "selected");
		else if (strcmp(name, "outcome") == 0)
			mark(member(view, "catalog", "outcomes"), v->raw, "selected");
	}
}

/*
 * The forms that act on one row of a list (an id of the route names the
 * row): shown again on that row, not above the list, and named by it.
 */
static const struct {
	const char	*form;		/* the form's name */
	const char	*list;		/* the view's list of rows (of groups, when sub is set) */
	const char	*sub;		/* each group's list of rows, or NULL */
	const char	*key;		/* the row's member that holds the id */
	size_t		 id;		/* which id of the route names the row */
	const char	*what;		/* how a person names a row, with its name member */
	const char	*name;
} row_forms[] = {
	{ .form = "resolve", .list = "blockers", .key = "id", .id = 0, .what = N_("Blocker"),
	    .name = "description" },
	{ .form = "contact_invites", .list = "contacts", .key = "id", .id = 0, .what = N_("Contact"),
	    .name = "name" },
	{ .form = "contact_edit", .list = "contacts", .key = "id", .id = 0, .what = N_("Contact"),
	    .name = "name" },
	{ .form = "checkin_edit", .list = "checkins", .key = "id", .id = 0, .what = N_("Check-in of"),
	    .name = "held_on" },
	{ .form = "task", .list = "task_groups", .sub = "tasks", .key = "ftop_id", .id = 1,
	    .what = N_("Task"), .name = "title" },
};

/* The row of rows (an array) whose member key is id, or NULL. */
static json_object *
row_find(json_object *rows, const char *key, int64_t id)
{
	json_object	*row, *v;
	size_t		 k;

	for (k = 0; rows != NULL && k < json_object_array_length(rows); k++) {
		row = json_object_array_get_idx(rows, k);
		if (json_object_object_get_ex(row, key, &v) && json_object_get_int64(v) == id)
			return row;
	}
	return NULL;
}

/*
 * A failed row form: its view goes to the row ("row_form") whose id is the
 * route's, the anchor of its fields is FORM<id> (as the template's ids) and
 * the summary names the row ("Blocker “Proxy blocks sync”: ").  0, or -1
 * when form_name is no row form or the row is not in the view.
 */
static int
row_form(json_object *view, const struct http_request *req, const char *form_name,
    const struct form *f, char *anchor, size_t asize, char *prefix, size_t psize)
{
	json_object	*rows, *row = NULL, *v;
	const char	*name;
	size_t		 i, g;
	int64_t		 id;
	char		 cut[64];

	for (i = 0; i < sizeof(row_forms) / sizeof(row_forms[0]) && row == NULL; i++) {
		if (strcmp(row_forms[i].form, form_name) != 0 || row_forms[i].id >= HTTP_MAX_IDS ||
		    !json_object_object_get_ex(view, row_forms[i].list, &rows))
			continue;
		id = req->ids[row_forms[i].id];
		if (row_forms[i].sub == NULL)
			row = row_find(rows, row_forms[i].key, id);
		for (g = 0; row_forms[i].sub != NULL && row == NULL &&
		    g < json_object_array_length(rows); g++)
			if (json_object_object_get_ex(json_object_array_get_idx(rows, g),
			    row_forms[i].sub, &v))
				row = row_find(v, row_forms[i].key, id);
		if (row == NULL)
			continue;
		json_object_object_add(row, "row_form", form_view_json(f));
		snprintf(anchor, asize, "%s%" PRId64, form_name, id);
		name = json_object_object_get_ex(row, row_forms[i].name, &v) ?
		    json_object_get_string(v) : "";
		/* A long description is cut on a character boundary, with an ellipsis. */
		if (text_copy(cut, sizeof(cut) - 3, name) == -1)
			snprintf(cut + strlen(cut), 4, "\u2026");
		snprintf(prefix, psize, "%s \u201c%s\u201d: ", _(row_forms[i].what), cut);
		return 0;
	}
	return -1;
}

/* {"percent": {"min", "max", "step"}}: the HTML attributes of a target, from fields.h. */
static json_object *
limits_json(void)
{
	json_object	*o = json_object_new_object(), *p = json_object_new_object();
	char		 t[32];

	snprintf(t, sizeof(t), "%g", FIELD_PERCENT_MIN);
	json_object_object_add(p, "min", json_object_new_string(t));
	snprintf(t, sizeof(t), "%g", FIELD_PERCENT_MAX);
	json_object_object_add(p, "max", json_object_new_string(t));
	snprintf(t, sizeof(t), "%g", FIELD_PERCENT_STEP);
	json_object_object_add(p, "step", json_object_new_string(t));
	json_object_object_add(o, "percent", p);
	return o;
}

void
pages_customer(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t id, int status, const char *form_name, const struct form *f, const char *message)
{
	struct playbook	 pb;
	struct result	 r;
	json_object	*view, *forms, *c, *v;
	const char	*done;
	size_t		 i;
	char		 title[256], anchor[64], prefix[128];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_customer_view(&pb, id, &c, &r) == -1) {
		http_error(resp, req, app->templates, http_status_of(r.code), pages_is_html(req) &&
		    r.text[0] ? r.text : r.message);
		return;
	}
	if (!pages_is_html(req)) {
		http_json(resp, status, c);
		json_object_put(c);
		return;
	}
	view = c;
	json_object_object_get_ex(c, "name", &v);
	snprintf(title, sizeof(title), "%s", json_object_get_string(v));
	json_object_object_add(view, "title", json_object_new_string(title));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	forms = json_object_new_object();
	if (form_name != NULL && f != NULL) {
		json_object_object_add(forms, form_name, form_view_json(f));
		keep_choices(view, form_name, f);
	}
	json_object_object_add(view, "forms", forms);
	json_object_object_add(view, "limits", limits_json());
	if (form_name != NULL && f != NULL && row_form(view, req, form_name, f, anchor, sizeof(anchor),
	    prefix, sizeof(prefix)) == 0)
		errors_add(view, f, anchor, prefix);
	else
		errors_add(view, f, form_name, "");
	if (message != NULL && *message)
		json_object_object_add(view, "error_message", json_object_new_string(message));
	if (status == 200 && (done = http_query_get(req, "done")) != NULL)
		for (i = 0; notices[i].key; i++)
			if (strcmp(notices[i].key, done) == 0)
				notice_add(view, i);
	http_render(resp, req, app->templates, status, "customer", view);
	json_object_put(view);
}

json_object *
pages_languages_json(const char *selected, const char *own_key, const char *own_title)
{
	static const struct {
		const char *key, *title;
	} langs[] = {
		/* A language is named in itself, so its readers find it. */
		{ .key = "en", .title = "English" },
		{ .key = "pt-BR", .title = "Portugu\xc3\xaas (Brasil)" },
	};
	json_object	*a = json_object_new_array(), *o;
	const char	*want = selected != NULL && *selected ? selected : own_key;
	size_t		 i;

	for (i = 0; a != NULL && i <= sizeof(langs) / sizeof(langs[0]); i++) {
		const char *key = i == 0 ? own_key : langs[i - 1].key;

		o = json_object_new_object();
		json_object_object_add(o, "key", json_object_new_string(key));
		json_object_object_add(o, "title", json_object_new_string(i == 0 ? own_title :
		    langs[i - 1].title));
		json_object_object_add(o, "selected", json_object_new_boolean(strcmp(key, want) == 0));
		json_object_array_add(a, o);
	}
	return a;
}

/* The new/edit customer form again, with the typed values and errors. */
static void
customer_form_again(struct app *app, struct http_request *req, struct http_response *resp,
    int status, struct form *f, const char *message, int64_t customer_id)
{
	json_object	*view = json_object_new_object(), *forms = json_object_new_object(), *c;
	size_t		 i;

	json_object_object_add(view, "mode", json_object_new_string(customer_id > 0 ? "edit" : "new"));
	json_object_object_add(view, "title", json_object_new_string(
	    customer_id > 0 ? _("Edit customer") : _("New customer")));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	if (customer_id > 0) {
		c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(customer_id));
		json_object_object_add(view, "customer", c);
	}
	json_object_object_add(forms, "customer", form_view_json(f));
	json_object_object_add(view, "forms", forms);
	for (i = 0; i < f->nfields; i++)
		if (strcmp(f->fields[i].name, "language") == 0)
			json_object_object_add(view, "languages",
			    pages_languages_json(f->values[i].raw, "fm", _("The FM's language")));
	errors_add(view, f, "customer", "");
	if (message != NULL && *message)
		json_object_object_add(view, "error_message", json_object_new_string(message));
	http_render(resp, req, app->templates, status, "customer_form", view);
	json_object_put(view);
}

void
pages_invalid(struct app *app, struct http_request *req, struct http_response *resp,
    const char *form_name, struct form *f, int64_t customer_id)
{
	json_object *errs;

	if (!pages_is_html(req)) {
		errs = form_errors_json(f);
		http_json_error(resp, 422, "Some fields are not valid.", errs);
		json_object_put(errs);
		return;
	}
	/* The summary at the top says it, linking to each field: no banner repeats it. */
	if (form_name != NULL && strcmp(form_name, "customer") == 0)
		customer_form_again(app, req, resp, 422, f, NULL, customer_id);
	else
		pages_customer(app, req, resp, customer_id, 422, form_name, f, NULL);
}

void
pages_fail(struct app *app, struct http_request *req, struct http_response *resp,
    const struct result *r, const char *form_name, struct form *f, int64_t customer_id)
{
	int		 status = http_status_of(r->code);
	json_object	*fields;
	const char	*message;
	char		 q[600];

	if (status >= 500)
		log_warnx("request failed: method=%s path=%s code=%s err=%s", req->method_name,
		    req->path, result_code_name(r->code), log_quote(r->message, q, sizeof(q)));
	/* The store's own words name the file; a person needs what to do. */
	if (r->code == RESULT_STORAGE) {
		if (pages_is_html(req))
			http_error(resp, req, app->templates, status, HTTP_MSG_STORAGE);
		else
			http_json_error(resp, status, HTTP_MSG_STORAGE, NULL);
		http_header_add(resp, "Retry-After", "30");
		return;
	}
	if (!pages_is_html(req)) {
		fields = NULL;
		if (r->field[0] != '\0' && (status == 422 || status == 409)) {
			fields = json_object_new_object();
			json_object_object_add(fields, r->field, json_object_new_string(r->message));
		}
		http_json_error(resp, status, r->message, fields);
		json_object_put(fields);
		return;
	}
	/* A page is for a person: the message in their language (the log keeps the English). */
	if (status != 422 && status != 409) {
		http_error(resp, req, app->templates, status, r->text[0] ? r->text : r->message);
		return;
	}
	/* A message that names a field of the form is shown there (and in the summary), once. */
	message = r->text[0] ? r->text : r->message;
	if (f != NULL && r->field[0] != '\0' &&
	    form_error_set_text(f, r->field, r->message, r->text) == 0)
		message = NULL;
	if (form_name != NULL && strcmp(form_name, "customer") == 0)
		customer_form_again(app, req, resp, status, f, message, customer_id);
	else if (customer_id > 0)
		pages_customer(app, req, resp, customer_id, status, form_name, f, message);
	else
		http_error(resp, req, app->templates, status, r->text[0] ? r->text : r->message);
}

void
pages_done(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t customer_id, const char *notice, int status, json_object *body,
    const char *location)
{
	char path[128];

	if (pages_is_html(req)) {
		json_object_put(body);
		snprintf(path, sizeof(path), "/customers/%" PRId64 "?done=%s", customer_id, notice);
		http_redirect(resp, req, path);
		return;
	}
	if (body == NULL) {
		pages_customer(app, req, resp, customer_id, status, NULL, NULL, NULL);
		return;
	}
	if (status == 201 && location != NULL)
		http_created(resp, req, location, body);
	else
		http_json(resp, status, body);
	json_object_put(body);
}

void
pages_form_done(struct app *app, struct http_request *req, struct http_response *resp,
    int rc, const struct result *r, const char *form_name, struct form *f, int64_t customer_id,
    const char *notice)
{
	if (rc == -1)
		pages_fail(app, req, resp, r, form_name, f, customer_id);
	else
		pages_done(app, req, resp, customer_id, notice, 200, NULL, NULL);
	form_free(f);
}

int
pages_validate(struct app *app, struct http_request *req, struct http_response *resp,
    struct form *f, const struct form_field *fields, size_t n, const char *form, int64_t cid)
{
	int rc = form_validate(f, fields, n, req);

	if (rc == 0)
		return 0;
	if (rc == 1)
		pages_invalid(app, req, resp, form, f, cid);
	else
		http_error(resp, req, app->templates, 500, "out of memory");
	form_free(f);
	return -1;
}

json_object *
pages_body(struct pages_call *c, int64_t id)
{
	json_object_put(c->body);
	c->body = json_object_new_object();
	if (id != 0)
		json_object_object_add(c->body, "id", json_object_new_int64(id));
	json_object_object_add(c->body, "customer_id", json_object_new_int64(c->cid));
	return c->body;
}

void
pages_body_echo(const struct pages_call *c, json_object *o, const int *idx, size_t n,
    int absent_null)
{
	const struct form_field	*fl;
	const struct form_value	*v;
	json_object		*x;
	size_t			 i, k;

	for (i = 0; i < n; i++) {
		fl = &c->f.fields[idx[i]];
		v = &c->f.values[idx[i]];
		if (fl->multiple) {
			x = json_object_new_array();
			for (k = 0; k < v->nitems; k++)
				json_object_array_add(x, json_object_new_string(v->items[k]));
		} else if (fl->type == FORM_INT)
			x = json_object_new_int64(v->num);
		else if (!v->present && absent_null)
			x = NULL;
		else
			x = json_object_new_string(v->text);
		json_object_object_add(o, fl->name, x);
	}
}

void
pages_action(struct app *app, struct http_request *req, struct http_response *resp,
    const struct pages_action *a)
{
	struct pages_call		 c;
	struct result			 r;
	const struct form_field		*fields = a->fields;
	int64_t				 cid;
	int				 rc;
	char				 loc[96];

	memset(&c, 0, sizeof(c));
	c.app = app;
	c.req = req;
	c.cid = req->ids[0];
	result_clear(&r);
	if (a->customer != NULL && a->customer(&c, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	cid = c.cid;
	pages_playbook(app, req, &c.pb);
	/* A customer the actor may not change is refused before its form is read. */
	if (cid > 0 && playbook_customer_check(&c.pb, cid, 1, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (a->json_fields != NULL && !pages_is_html(req))
		fields = a->json_fields;
	if ((rc = form_validate(&c.f, fields, a->nfields, req)) == -1) {
		http_error(resp, req, app->templates, 500, "out of memory");
		return;
	}
	if (a->check != NULL)
		a->check(&c);
	if (c.f.nerrors > 0) {
		pages_invalid(app, req, resp, a->form, &c.f, cid);
		form_free(&c.f);
		return;
	}
	pages_playbook(app, req, &c.pb);
	if (a->run(&c, &r) == -1) {
		json_object_put(c.body);
		pages_fail(app, req, resp, &r, a->form, &c.f, cid);
	} else if (a->created) {
		snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, cid);
		pages_done(app, req, resp, cid, c.notice ? c.notice : a->notice, 201, c.body, loc);
	} else
		pages_done(app, req, resp, cid, c.notice ? c.notice : a->notice, 200, c.body, NULL);
	form_free(&c.f);
}

/* The templates the handlers render by name: without one of them a page would fail at its first request. */
static const char *const pages_templates[] = {
	"error", "portfolio", "customer", "customer_form", "outbox", "outbox_item",
	"usage_import", "form_expired", "confirm", "week", "team", "profile",
	"replies_unmatched",
};

int
pages_templates_check(const char *dir, struct result *r)
{
	struct mustache_set	*set = NULL;
	struct result		 mr;
	struct stat		 sb;
	char			 path[1200];
	size_t			 i;

	result_clear(&mr);
	if (mustache_set_open(&set, dir, &mr) == -1)
		return result_set(r, mr.code, "templates_dir", "templates_dir: %s", mr.message);
	/* Every language compiles: a translation that breaks a template stops the start too. */
	if (mustache_set_languages(set, i18n_languages, I18N_NLANG, i18n_translate, NULL, &mr) == -1) {
		mustache_set_close(set);
		return result_set(r, mr.code, "templates_dir", "templates_dir: %s", mr.message);
	}
	for (i = 0; i < sizeof(pages_templates) / sizeof(pages_templates[0]); i++) {
		errno = 0;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s.mustache", dir,
		    pages_templates[i]) >= sizeof(path) || stat(path, &sb) == -1 ||
		    !S_ISREG(sb.st_mode)) {
			result_set(r, RESULT_INVALID, "templates_dir",
			    "templates_dir: template %s.mustache missing in %s: %s",
			    pages_templates[i], dir, errno != 0 ? strerror(errno) : "not a file");
			mustache_set_close(set);
			return -1;
		}
	}
	/* Compile them all now: a syntax error names its file at start, not at a user's click. */
	if (mustache_set_preload(set, &mr) == -1) {
		result_set(r, mr.code, "templates_dir", "templates_dir: %s", mr.message);
		mustache_set_close(set);
		return -1;
	}
	mustache_set_close(set);
	return 0;
}
