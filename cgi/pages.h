/*
 * pages.h -- what the page handlers share: the playbook context of a
 * request, the customer page with a failed form shown again, and the one
 * mapping from a playbook result to an HTTP answer (HTML or JSON).
 */
#ifndef FTS_PAGES_H
#define FTS_PAGES_H

#include <stdint.h>

#include <json-c/json.h>

#include "app.h"
#include "form.h"
#include "http.h"
#include "playbook.h"

/*
 * At start, before serving: dir must be a directory holding every page
 * template the web program renders, and every template under it must
 * compile.  0, or -1 with r (field "templates_dir") naming the directory or
 * the file: RESULT_INVALID for a missing template or a syntax error, the
 * template loader's code otherwise.
 */
int pages_templates_check(const char *dir, struct result *r);

/* The acting user and the clock of this request. */
void pages_playbook(struct app *app, const struct http_request *req, struct playbook *pb);

/*
 * Render the customer page with status.  form_name/f (may be NULL) is the
 * form to show again with its errors; message (may be NULL) goes at the top.
 */
void pages_customer(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t id, int status, const char *form_name, const struct form *f, const char *message);

/*
 * A form's fields failed validation (422): JSON {"error", "fields"}, or the
 * customer page (customer_id > 0) or the customer form (customer_id <= 0,
 * form "customer") with the input kept and each error next to its field.
 */
void pages_invalid(struct app *app, struct http_request *req, struct http_response *resp,
    const char *form_name, struct form *f, int64_t customer_id);

/*
 * A playbook call failed: not found 404, busy 503, I/O 500; invalid (422)
 * and conflict (409) show the page again with the message next to the field
 * it names (when the form has it) and at the top.
 */
void pages_fail(struct app *app, struct http_request *req, struct http_response *resp,
    const struct result *r, const char *form_name, struct form *f, int64_t customer_id);

/*
 * Success: HTML gets 303 to the customer page with a notice key (a fixed
 * message chosen by key, so no text is reflected); JSON gets status with
 * body (201 adds Location when given), or the customer page model when body
 * is NULL.  body is consumed.
 */
void pages_done(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t customer_id, const char *notice, int status, json_object *body,
    const char *location);

/*
 * The end of a form handler whose playbook call (rc 0, or -1 with r) needs
 * no body: pages_fail with the form shown again, or pages_done with notice
 * and 200 (the customer page model for JSON).  f is freed either way.
 */
void pages_form_done(struct app *app, struct http_request *req, struct http_response *resp,
    int rc, const struct result *r, const char *form_name, struct form *f, int64_t customer_id,
    const char *notice);


/*
 * Validate the request against a form table: 0 to go on (free f later), or
 * -1 when the answer is made (422 with the form, or 500) and f is freed.
 */
int pages_validate(struct app *app, struct http_request *req, struct http_response *resp,
    struct form *f, const struct form_field *fields, size_t n, const char *form, int64_t cid);

/* What the rule of a form action sees: the request, its playbook context and the checked form. */
struct pages_call {
	struct app		*app;
	struct http_request	*req;
	struct playbook		 pb;
	struct form		 f;
	int64_t			 cid;	/* the customer the form belongs to */
	json_object		*body;	/* the JSON answer, NULL for the customer page model */
	const char		*notice;	/* the rule's own notice key (what it did), NULL = the action's */
};

/*
 * Start the JSON answer of a created resource: {"id": id, "customer_id":
 * cid} (no "id" when id is 0), kept in c->body for the rule to add to.
 */
json_object *pages_body(struct pages_call *c, int64_t id);

/*
 * Echo what was saved into the JSON answer o: for each checked field
 * c->f.values[idx[i]], a member named like the field (so the API answers with
 * the names it accepts), holding the integer of a FORM_INT, the array of a
 * multiple field, else the text ("" when absent, or null when absent_null).
 */
void pages_body_echo(const struct pages_call *c, json_object *o, const int *idx, size_t n,
    int absent_null);
/* pages_body_echo of the fields listed: PAGES_ECHO(c, o, 0, CO_NAME, CO_EMAIL). */
#define PAGES_ECHO(c, o, absent_null, ...)						\
	pages_body_echo((c), (o), (const int[]){ __VA_ARGS__ },				\
	    sizeof((const int[]){ __VA_ARGS__ }) / sizeof(int), (absent_null))

/*
 * A form action stated once as a table row, so a handler says only what
 * differs: which fields, which form to show again, which notice, which rule.
 * run returns 0, or -1 with r (the form is shown again, pages_fail).  On
 * success it may start c->body (pages_body), the JSON answer; left NULL,
 * JSON gets the customer page model.  The status is 200, or 201 with Location
 * /api/customers/<cid> when created is set.  HTML always gets 303 to the
 * customer page with the notice.
 */
struct pages_action {
	const char		*form;
	const struct form_field	*fields;
	size_t			 nfields;
	const char		*notice;
	int			 created;
	int			(*run)(struct pages_call *c, struct result *r);
	/*
	 * A JSON client's fields when they differ from the HTML form's (an
	 * edit sends only what changes), nfields of them; NULL = fields.
	 */
	const struct form_field	*json_fields;
	/*
	 * Before the form is checked, when the route's first id is not the
	 * customer (or must be checked first): set c->cid (c->app and c->req
	 * are set), or return -1 with r to refuse the request (pages_fail, no
	 * form).  NULL = the route's first id is the customer.
	 */
	int			(*customer)(struct pages_call *c, struct result *r);
	/*
	 * After the fields are checked, whether or not all are valid: the
	 * rule's checks that span fields (a Blocked entry needs its L2
	 * reason), each adding its error with form_error_set, so every error
	 * of the form is reported in one pass.  NULL = none.
	 */
	void			(*check)(struct pages_call *c);
};

/*
 * Find the customer (a->customer or the route's first id), validate, fill
 * the playbook context, call a->run and answer (see struct pages_action).
 */
void pages_action(struct app *app, struct http_request *req, struct http_response *resp,
    const struct pages_action *a);

/*
 * Define the route handler `name` that serves the form action row `action`:
 * a route handler takes no argument, so each row needs a named one, and this
 * is its one body.
 */
#define PAGES_ACTION_HANDLER(name, action)						\
	void										\
	name(struct app *app, struct http_request *req, struct http_response *resp)	\
	{										\
		pages_action(app, req, resp, &(action));				\
	}

/* 1 when the request came from an HTML form (not the JSON API). */
int pages_is_html(const struct http_request *req);

/*
 * Language choices for a select ([{key, title, selected}]): own_key (a
 * customer's "fm", a user's "browser") titled own_title, then each language
 * named in itself; selected "" or NULL is own_key.
 */
json_object *pages_languages_json(const char *selected, const char *own_key,
    const char *own_title);

#endif
