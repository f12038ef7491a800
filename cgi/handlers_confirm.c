/* handlers_confirm.c -- the confirmation step of actions that mail the customer: who will be mailed, then the POST. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "handlers.h"
#include "i18n.h"
#include "pages.h"
#include "store.h"

/*
 * A GET page that asks before a destructive or customer-visible action and
 * names everyone the action will mail.  It works without JavaScript: its
 * form POSTs the action itself (with the CSRF token), so a click on the
 * customer page never mails anyone on its own.
 */
struct confirm {
	int64_t		 cid;		/* the customer, for the crumbs and "go back" */
	const char	*title;		/* the page's h1 */
	char		 question[2400];	/* what will happen, in words (names are up to 800 bytes) */
	const char	*mail_what;	/* "a cancellation of the series" */
	const char	*no_mail;	/* said when nobody is mailed */
	char		 action[96];	/* the path the form posts to */
	const char	*hidden_name;	/* a hidden field sent with the form, or NULL */
	const char	*hidden_value;
	const char	*button;	/* the submit button: says it mails */
	const char	*back;		/* the link back: "Keep the series" */
	const char	*back_anchor;	/* the section of the customer page to go back to */
	json_object	*mailed;	/* [{name, email}] (consumed) */
};

/* The member of a view's list whose "id" is id, or NULL. */
static json_object *
confirm_find(json_object *view, const char *list, int64_t id)
{
	json_object	*arr, *o, *v;
	size_t		 i;

	if (!json_object_object_get_ex(view, list, &arr) || !json_object_is_type(arr, json_type_array))
		return NULL;
	for (i = 0; i < json_object_array_length(arr); i++) {
		o = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(o, "id", &v) && json_object_get_int64(v) == id)
			return o;
	}
	return NULL;
}

static const char *
confirm_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v != NULL ? json_object_get_string(v) : "";
}

static int
confirm_bool(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_get_boolean(v);
}

/* Render the confirmation page of k with the customer's name from cv (consumed). */
static void
confirm_render(struct app *app, struct http_request *req, struct http_response *resp,
    struct confirm *k, json_object *cv)
{
	json_object	*view = json_object_new_object(), *c = json_object_new_object();

	json_object_object_add(c, "id", json_object_new_int64(k->cid));
	json_object_object_add(c, "name", json_object_new_string(confirm_str(cv, "name")));
	json_object_object_add(view, "customer", c);
	json_object_object_add(view, "title", json_object_new_string(*k->title ? _(k->title) : ""));
	json_object_object_add(view, "question", json_object_new_string(k->question));
	json_object_object_add(view, "mail_what", json_object_new_string(*k->mail_what ? _(k->mail_what) : ""));
	json_object_object_add(view, "no_mail", json_object_new_string(*k->no_mail ? _(k->no_mail) : ""));
	json_object_object_add(view, "mail_any",
	    json_object_new_boolean(json_object_array_length(k->mailed) > 0));
	json_object_object_add(view, "mailed", k->mailed);
	json_object_object_add(view, "action", json_object_new_string(k->action));
	if (k->hidden_name != NULL) {
		json_object_object_add(view, "hidden_name", json_object_new_string(k->hidden_name));
		json_object_object_add(view, "hidden_value", json_object_new_string(k->hidden_value));
	}
	json_object_object_add(view, "button", json_object_new_string(*k->button ? _(k->button) : ""));
	json_object_object_add(view, "back", json_object_new_string(*k->back ? _(k->back) : ""));
	json_object_object_add(view, "back_anchor", json_object_new_string(k->back_anchor));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	json_object_put(cv);
	http_render(resp, req, app->templates, 200, "confirm", view);
	json_object_put(view);
}

/* The customer page model of cid, or -1 when the answer (an error page) is made. */
static int
confirm_customer(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t cid, json_object **cv)
{
	struct playbook	 pb;
	struct result	 r;

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_customer_view(&pb, cid, cv, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return -1;
	}
	return 0;
}

/* The route's contact and its customer's page model; -1 when the answer (an error page) is made. */
static int
confirm_contact(struct app *app, struct http_request *req, struct http_response *resp,
    struct store_contact *c, struct confirm *k, json_object **cv)
{
	struct result	 r;

	result_clear(&r);
	if (store_contact_get(app->store, req->ids[0], c, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return -1;
	}
	k->cid = c->customer_id;
	return confirm_customer(app, req, resp, k->cid, cv);
}

/* A person {name, email} for the list of those mailed. */
static json_object *
confirm_person(const char *name, const char *email)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "email", json_object_new_string(email));
	return o;
}

/* The active series of the customer page model cv in words ("; " between), and how many. */
static size_t
confirm_series(json_object *cv, char *out, size_t size)
{
	json_object	*arr, *mo;
	size_t		 i, n = 0;

	out[0] = '\0';
	if (json_object_object_get_ex(cv, "meetings", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			mo = json_object_array_get_idx(arr, i);
			if (!confirm_bool(mo, "active"))
				continue;
			snprintf(out + strlen(out), size - strlen(out), "%s%s", n++ > 0 ? "; " : "",
			    confirm_str(mo, "schedule_text"));
		}
	return n;
}

/* GET /meetings/{id}/cancel: the series in words and its attendees, who get the cancellation. */
void
handlers_meeting_cancel_confirm(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct confirm		 k = {
		.title = N_("Cancel a check-in series"),
		.mail_what = N_("the cancellation of every meeting of the series"),
		.no_mail = N_("the series has no attendee, so nobody is mailed."),
		.button = N_("Cancel the series and mail the cancellation"),
		.back = N_("Keep the series"), .back_anchor = "checkins",
	};
	struct store_meeting	 m;
	struct result		 r;
	json_object		*cv, *mo;
	size_t			 i;

	result_clear(&r);
	if (store_meeting_get(app->store, req->ids[0], &m, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	k.cid = m.customer_id;
	if (confirm_customer(app, req, resp, k.cid, &cv) == -1) {
		store_meeting_free(&m);
		return;
	}
	mo = confirm_find(cv, "meetings", m.id);
	if (mo == NULL || !confirm_bool(mo, "active")) {
		store_meeting_free(&m);
		json_object_put(cv);
		http_error(resp, req, app->templates, 409, "This check-in series is already cancelled.");
		return;
	}
	snprintf(k.question, sizeof(k.question), _("Cancel the check-ins of %s, %s (local time, %s)?"),
	    confirm_str(cv, "name"), confirm_str(mo, "schedule_text"), m.timezone);
	snprintf(k.action, sizeof(k.action), "/meetings/%" PRId64 "/cancel", m.id);
	k.mailed = json_object_new_array();
	for (i = 0; i < m.n_attendees; i++)
		json_object_array_add(k.mailed, confirm_person(m.attendees[i].name, m.attendees[i].email));
	store_meeting_free(&m);
	confirm_render(app, req, resp, &k, cv);
}

/*
 * GET /contacts/{id}/invites: stopping (or starting) a contact's invites
 * mails that contact a cancellation (or an invitation) of each active
 * series, so the page says so and names the series.
 */
void
handlers_contact_invites_confirm(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	struct confirm		 k = { .back_anchor = "contacts" };
	struct store_contact	 c;
	json_object		*cv;
	size_t			 n;
	char			 series[400];
	int			 stop;

	if (confirm_contact(app, req, resp, &c, &k, &cv) == -1)
		return;
	stop = c.receives_invites != 0;
	n = confirm_series(cv, series, sizeof(series));
	k.title = stop ? N_("Stop a contact's check-in invites") : N_("Send a contact check-in invites");
	if (n == 0)
		snprintf(k.question, sizeof(k.question), stop ?
		    _("Stop check-in invites for %s (%s)? There is no active check-in series now.") :
		    _("Send check-in invites to %s (%s)? There is no active check-in series now."),
		    c.name, c.email);
	else
		snprintf(k.question, sizeof(k.question), stop ?
		    _("Stop check-in invites for %s (%s)? Active series: %s.") :
		    _("Send check-in invites to %s (%s)? Active series: %s."), c.name, c.email, series);
	k.mail_what = stop ? N_("a cancellation of each active series") : N_("an invitation to each active series");
	k.no_mail = N_("there is no active series, so nobody is mailed.");
	k.button = stop ? N_("Stop invites and mail the cancellation") : N_("Send invites and mail the invitation");
	k.back = stop ? N_("Keep the invites") : N_("Do not send invites");
	snprintf(k.action, sizeof(k.action), "/contacts/%" PRId64 "/invites", c.id);
	k.hidden_name = "receives_invites";
	k.hidden_value = stop ? "0" : "1";
	k.mailed = json_object_new_array();
	if (n > 0)
		json_object_array_add(k.mailed, confirm_person(c.name, c.email));
	confirm_render(app, req, resp, &k, cv);
}

/*
 * GET /contacts/{id}/remove: removing a contact who receives invites mails
 * them a cancellation of each active series (the others get its update).
 */
void
handlers_contact_remove_confirm(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	struct confirm		 k = {
		.title = N_("Remove a contact"),
		.mail_what = N_("a cancellation of each active series they attend"),
		.no_mail = N_("they attend no active check-in series, so nobody is mailed."),
		.button = N_("Remove the contact"), .back = N_("Keep the contact"), .back_anchor = "contacts",
	};
	struct store_contact	 c;
	json_object		*cv;
	char			 series[400];
	size_t			 n;

	if (confirm_contact(app, req, resp, &c, &k, &cv) == -1)
		return;
	n = c.receives_invites ? confirm_series(cv, series, sizeof(series)) : 0;
	if (n > 0)
		snprintf(k.question, sizeof(k.question), _("Remove %s (%s) from the contacts of %s? "
		    "They leave the check-in series: %s."), c.name, c.email, confirm_str(cv, "name"),
		    series);
	else
		snprintf(k.question, sizeof(k.question), _("Remove %s (%s) from the contacts of %s?"),
		    c.name, c.email, confirm_str(cv, "name"));
	snprintf(k.action, sizeof(k.action), "/contacts/%" PRId64 "/remove", c.id);
	k.mailed = json_object_new_array();
	if (n > 0)
		json_object_array_add(k.mailed, confirm_person(c.name, c.email));
	confirm_render(app, req, resp, &k, cv);
}

/* GET /customers/{id}/archive: archiving mails no one; a running series must be cancelled first. */
void
handlers_customer_archive_confirm(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	struct confirm	 k = {
		.title = N_("Archive a customer"),
		.mail_what = "",
		.no_mail = N_("Archiving mails no one."),
		.button = N_("Archive the customer"), .back = N_("Keep it in the portfolio"),
		.back_anchor = "about-h",
	};
	json_object	*cv;
	char		 series[400];

	k.cid = req->ids[0];
	if (confirm_customer(app, req, resp, k.cid, &cv) == -1)
		return;
	if (confirm_series(cv, series, sizeof(series)) > 0)
		snprintf(k.question, sizeof(k.question), _("%s still has a check-in series (%s): cancel"
		    " it under Check-in meetings first; archiving is refused while it runs."),
		    confirm_str(cv, "name"), series);
	else
		snprintf(k.question, sizeof(k.question), _("Archive %s? It leaves the portfolio, its "
		    "tiles and search; its page, audit trail and export stay, and it can be unarchived."),
		    confirm_str(cv, "name"));
	snprintf(k.action, sizeof(k.action), "/customers/%" PRId64 "/archive", k.cid);
	k.mailed = json_object_new_array();
	confirm_render(app, req, resp, &k, cv);
}

/*
 * GET /customers/{id}/owner?owner_fm=login: the customer page's "Reassign"
 * form asks here first; each active series is re-sent to its attendees with
 * the new FM as organizer.
 */
void
handlers_customer_reassign_confirm(struct app *app, struct http_request *req,
    struct http_response *resp)
{
	struct confirm		 k = {
		.title = N_("Give a customer to another FM"),
		.mail_what = N_("the update of each active check-in series"),
		.no_mail = N_("there is no active check-in series, so nobody is mailed."),
		.hidden_name = "owner_fm",
		.button = N_("Reassign and mail the update"), .back = N_("Keep the FM"),
		.back_anchor = "about-h",
	};
	struct store_meeting	*ms = NULL;
	struct result		 r;
	json_object		*cv;
	const char		*to = http_query_get(req, "owner_fm");
	size_t			 nm = 0, i, j;

	k.cid = req->ids[0];
	if (to == NULL || *to == '\0') {
		http_error(resp, req, app->templates, 400,
		    "Say who gets the customer: the FM's login is missing.");
		return;
	}
	if (confirm_customer(app, req, resp, k.cid, &cv) == -1)
		return;
	result_clear(&r);
	if (store_meeting_list_active(app->store, k.cid, &ms, &nm, &r) == -1) {
		json_object_put(cv);
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	snprintf(k.question, sizeof(k.question), _("Give %s to %.200s? Its check-in series then come"
	    " from them."), confirm_str(cv, "name"), to);
	k.hidden_value = to;
	snprintf(k.action, sizeof(k.action), "/customers/%" PRId64 "/owner", k.cid);
	k.mailed = json_object_new_array();
	for (i = 0; i < nm; i++)
		for (j = 0; j < ms[i].n_attendees; j++)
			json_object_array_add(k.mailed, confirm_person(ms[i].attendees[j].name,
			    ms[i].attendees[j].email));
	store_meeting_list_free(ms, nm);
	confirm_render(app, req, resp, &k, cv);
}
