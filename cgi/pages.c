/* pages.c -- shared plumbing of the page handlers: request context, failed forms shown again, results to responses. */
#include "autoconfig.h"

#include <sys/stat.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mustache.h"
#include "pages.h"

/* Notices shown after a redirect, chosen by key so the URL never carries text to the page. */
static const struct {
	const char *key;
	const char *text;
} notices[] = {
	{ "customer_created", "Customer created." },
	{ "customer_saved", "Customer saved." },
	{ "contact_added", "Contact added; scheduled check-ins were updated for them." },
	{ "contact_invites", "Contact's invitations changed; the check-in series were updated." },
	{ "service_added", "Service saved." },
	{ "target_saved", "Target saved." },
	{ "csm_saved", "CSM saved; handshakes are queued for every live Modern Comms service." },
	{ "owner_saved", "The customer has a new FM; its check-in series were updated." },
	{ "adoption_joined", "Joined the Adoption Program: tasks created." },
	{ "accelerator_requested", "Accelerator requested: task created." },
	{ "usage_recorded", "Active usage recorded." },
	{ "usage_imported", "Usage report imported." },
	{ "checkin_logged", "Check-in logged." },
	{ "task_completed", "Task completed." },
	{ "blocker_opened", "Blocker recorded." },
	{ "blocker_resolved", "Blocker resolved." },
	{ "meeting_scheduled", "Check-ins scheduled: the invitation is queued." },
	{ "meeting_rescheduled", "Check-ins rescheduled: the update is queued." },
	{ "meeting_cancelled", "Check-ins cancelled: the cancellation is queued." },
	{ "review_started", "Success Review started: task 3735 created." },
	{ "review_recorded", "Success Review outcome recorded; the customer is closed." },
	{ "outbox_retry", "The message is queued again." },
	{ NULL, NULL },
};

/* "YYYY-MM-DDTHH:MM:SSZ" as the store writes instants. */
static int
iso_utc_shape(const char *v)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	size_t i;

	for (i = 0; shape[i] != '\0'; i++) {
		if (v[i] == '\0')
			return 0;
		if (shape[i] == 'd' ? (v[i] < '0' || v[i] > '9') : v[i] != shape[i])
			return 0;
	}
	return v[i] == '\0';
}

void
pages_humanize(json_object *o)
{
	json_object	*add[64];
	char		 keys[64][64], text[32];
	size_t		 n = 0, i, len;

	if (json_object_is_type(o, json_type_array)) {
		len = json_object_array_length(o);
		for (i = 0; i < len; i++)
			pages_humanize(json_object_array_get_idx(o, i));
		return;
	}
	if (!json_object_is_type(o, json_type_object))
		return;
	/* Collect first: adding members while iterating the object is not safe. */
	json_object_object_foreach(o, key, val) {
		len = strlen(key);
		if (json_object_is_type(val, json_type_string) && n < 64 && len + 6 < sizeof(keys[0]) &&
		    ((len > 3 && strcmp(key + len - 3, "_at") == 0) || strcmp(key, "at") == 0) &&
		    iso_utc_shape(json_object_get_string(val))) {
			const char *v = json_object_get_string(val);

			snprintf(keys[n], sizeof(keys[0]), "%s_text", key);
			snprintf(text, sizeof(text), "%.10s %.5s UTC", v, v + 11);
			add[n++] = json_object_new_string(text);
		} else
			pages_humanize(val);
	}
	for (i = 0; i < n; i++)
		json_object_object_add(o, keys[i], add[i]);
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

/* [{field, message}] of the fields in error, for the summary at the top. */
static json_object *
errors_list(const struct form *f, const char *form_name)
{
	json_object	*list = json_object_new_array(), *e;
	char		 anchor[96];
	size_t		 i;

	for (i = 0; f != NULL && i < f->nfields; i++) {
		if (f->values[i].error[0] == '\0')
			continue;
		e = json_object_new_object();
		json_object_object_add(e, "field", json_object_new_string(f->fields[i].name));
		json_object_object_add(e, "message", json_object_new_string(f->values[i].error));
		snprintf(anchor, sizeof(anchor), "f-%s-%s", form_name ? form_name : "form",
		    f->fields[i].name);
		json_object_object_add(e, "anchor", json_object_new_string(anchor));
		json_object_array_add(list, e);
	}
	return list;
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
	size_t i, k;

	for (i = 0; i < f->nfields; i++) {
		const char		*name = f->fields[i].name;
		const struct form_value	*v = &f->values[i];

		if (strcmp(name, "services") == 0)
			for (k = 0; k < v->nitems; k++)
				mark(member(view, "covered_services", NULL), v->items[k], "checked");
		else if (strcmp(name, "service") == 0)
			mark(strcmp(form_name, "service") == 0 ?
			    member(view, "catalog", "services") : member(view, "services", NULL),
			    v->raw, "selected");
		else if (strcmp(name, "l1_status") == 0)
			mark(member(view, "catalog", "l1"), v->raw, "selected");
		else if (strcmp(name, "l2_reason") == 0)
			mark(member(view, "catalog", "l2"), v->raw, "selected");
		else if (strcmp(name, "outcome") == 0)
			mark(member(view, "catalog", "outcomes"), v->raw, "selected");
	}
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
	char		 title[256];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_customer_view(&pb, id, &c, &r) == -1) {
		http_error(resp, req, app->templates, http_status_of(r.code), r.message);
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
	json_object_object_add(view, "errors", errors_list(f, form_name));
	if (message != NULL && *message)
		json_object_object_add(view, "error_message", json_object_new_string(message));
	if (status == 200 && (done = http_query_get(req, "done")) != NULL)
		for (i = 0; notices[i].key; i++)
			if (strcmp(notices[i].key, done) == 0)
				json_object_object_add(view, "notice", json_object_new_string(notices[i].text));
	pages_humanize(view);
	http_render(resp, req, app->templates, status, "customer", view);
	json_object_put(view);
}

/* The new/edit customer form again, with the typed values and errors. */
static void
customer_form_again(struct app *app, struct http_request *req, struct http_response *resp,
    int status, struct form *f, const char *message, int64_t customer_id)
{
	json_object	*view = json_object_new_object(), *forms = json_object_new_object(), *c;

	json_object_object_add(view, "mode", json_object_new_string(customer_id > 0 ? "edit" : "new"));
	json_object_object_add(view, "title", json_object_new_string(
	    customer_id > 0 ? "Edit customer" : "New customer"));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	if (customer_id > 0) {
		c = json_object_new_object();
		json_object_object_add(c, "id", json_object_new_int64(customer_id));
		json_object_object_add(view, "customer", c);
	}
	json_object_object_add(forms, "customer", form_view_json(f));
	json_object_object_add(view, "forms", forms);
	json_object_object_add(view, "errors", errors_list(f, "customer"));
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
	if (form_name != NULL && strcmp(form_name, "customer") == 0)
		customer_form_again(app, req, resp, 422, f, "Some fields are not valid.", customer_id);
	else
		pages_customer(app, req, resp, customer_id, 422, form_name, f,
		    "Some fields are not valid: see the messages next to them.");
}

void
pages_fail(struct app *app, struct http_request *req, struct http_response *resp,
    const struct result *r, const char *form_name, struct form *f, int64_t customer_id)
{
	int		 status = http_status_of(r->code);
	json_object	*fields;
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
	if (status != 422 && status != 409) {
		http_error(resp, req, app->templates, status, r->message);
		return;
	}
	if (f != NULL && r->field[0] != '\0')
		form_error_set(f, r->field, r->message);
	if (form_name != NULL && strcmp(form_name, "customer") == 0)
		customer_form_again(app, req, resp, status, f, r->message, customer_id);
	else if (customer_id > 0)
		pages_customer(app, req, resp, customer_id, status, form_name, f, r->message);
	else
		http_error(resp, req, app->templates, status, r->message);
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
	if (pages_validate(app, req, resp, &c.f, fields, a->nfields, a->form, cid) == -1)
		return;
	if (a->run(&c, &r) == -1) {
		json_object_put(c.body);
		pages_fail(app, req, resp, &r, a->form, &c.f, cid);
	} else if (a->created) {
		snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, cid);
		pages_done(app, req, resp, cid, a->notice, 201, c.body, loc);
	} else
		pages_done(app, req, resp, cid, a->notice, 200, c.body, NULL);
	form_free(&c.f);
}

/* The templates the handlers render by name: without one of them a page would fail at its first request. */
static const char *const pages_templates[] = {
	"error", "portfolio", "customer", "customer_form", "outbox", "outbox_item",
	"usage_import", "form_expired",
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
