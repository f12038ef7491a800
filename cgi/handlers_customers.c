/* handlers_customers.c -- portfolio, customer page and form, contacts, services, targets, CSM, programs. */
#include "autoconfig.h"

#include <dirent.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "fields.h"
#include "handlers.h"
#include "i18n.h"
#include "pages.h"
#include "store.h"
#include "text.h"

int
handlers_key_service(const char *text, long long num)
{
	(void)num;
	return catalog_service_find(text) != NULL;
}

/* ---------------------------------------------------------------- portfolio */

enum { PF_Q, PF_STATE, PF_PHASE, PF_FM, PF_SORT, PF_PAGE, PF_PER_PAGE, PF_ARCHIVED, PF__MAX };
static const char *const pf_states[] = { "ready", "at_risk", "overdue", "in_progress", NULL };
static const char *const pf_phases[] = { "execution", "success_review", "closed", NULL };
static const char *const pf_sorts[] = { "name", "state", "next_checkin", "au", NULL };
static const struct form_field pf_fields[PF__MAX] = {
	[PF_Q] = { .spec = &field_search },
	[PF_STATE] = { .name = "state", .type = FORM_ENUM, .allowed = pf_states },
	[PF_PHASE] = { .name = "phase", .type = FORM_ENUM, .allowed = pf_phases },
	[PF_FM] = { .spec = &field_fm_filter },
	[PF_SORT] = { .name = "sort", .type = FORM_ENUM, .allowed = pf_sorts },
	[PF_PAGE] = { .name = "page", .type = FORM_INT, .min = 1, .max = 1000000 },
	[PF_PER_PAGE] = { .name = "per_page", .type = FORM_INT, .min = 1, .max = 200 },
	/* Issue 13: archived customers are listed only when asked for (?archived=1). */
	[PF_ARCHIVED] = { .name = "archived", .type = FORM_BOOL },
};

/* Append "&key=value" (URL-encoded) to b when value is set. */
static void
url_param(struct buf *b, const char *key, const char *value)
{
	if (value == NULL || *value == '\0')
		return;
	buf_printf(b, "%s%s=", b->len ? "&" : "", key);
	buf_put_urlencoded(b, value);
}

/*
 * "/?filters&page=n", grown as needed: a search of 100 accented characters
 * alone is 600 bytes once encoded, so no fixed array can hold the link (one
 * of 512 bytes cut it inside a "%C3" and lost "page=").  NULL (no link)
 * when memory ran out, never a cut link.
 */
static json_object *
pager_url(const struct buf *filters, int page)
{
	struct buf	 u;
	json_object	*o = NULL;

	buf_init(&u);
	if (!filters->failed &&
	    buf_printf(&u, "/?%s%spage=%d", buf_cstr(filters), filters->len ? "&" : "", page) == 0)
		o = json_object_new_string(buf_cstr(&u));
	buf_free(&u);
	return o;
}

static json_object *
choice(const char *key, const char *title, int selected)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "key", json_object_new_string(key));
	if (title)
		json_object_object_add(o, "title", json_object_new_string(title));
	json_object_object_add(o, "selected", json_object_new_boolean(selected));
	return o;
}

static const char *
val(const struct form *f, int i)
{
	return f->values[i].present && f->values[i].error[0] == '\0' ? f->values[i].text : NULL;
}

/* The pager of a portfolio page (page and pages from view): links to the neighbours that keep the filters. */
static json_object *
portfolio_pager(json_object *view, const char *qs, const char *state, const char *phase,
    const char *fm, const char *sort)
{
	json_object	*pager, *v;
	struct buf	 link;
	int		 page, pages;

	json_object_object_get_ex(view, "page", &v);
	page = json_object_get_int(v);
	json_object_object_get_ex(view, "pages", &v);
	pages = json_object_get_int(v);
	pager = json_object_new_object();
	json_object_object_add(pager, "page", json_object_new_int(page));
	json_object_object_add(pager, "pages", json_object_new_int(pages));
	buf_init(&link);
	url_param(&link, "q", qs);
	url_param(&link, "state", state);
	url_param(&link, "phase", phase);
	url_param(&link, "fm", fm);
	url_param(&link, "sort", sort);
	if (page > 1)
		json_object_object_add(pager, "prev_url", pager_url(&link, page - 1));
	if (page < pages)
		json_object_object_add(pager, "next_url", pager_url(&link, page + 1));
	buf_free(&link);
	return pager;
}

/* The exports of this page (handlers_team.c): {csv, json} with the page's filters. */
static json_object *
portfolio_exports(const char *qs, const char *state, const char *phase, const char *fm,
    const char *sort)
{
	static const char *const kinds[] = { "csv", "json" };
	json_object	*o = json_object_new_object();
	struct buf	 q, u;
	size_t		 i;

	buf_init(&q);
	url_param(&q, "q", qs);
	url_param(&q, "state", state);
	url_param(&q, "phase", phase);
	url_param(&q, "fm", fm);
	url_param(&q, "sort", sort);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		buf_init(&u);
		if (!q.failed && buf_printf(&u, "/export/portfolio.%s%s%s", kinds[i],
		    q.len ? "?" : "", buf_cstr(&q)) == 0)
			json_object_object_add(o, kinds[i], json_object_new_string(buf_cstr(&u)));
		buf_free(&u);
	}
	buf_free(&q);
	return o;
}

void
handlers_portfolio(struct app *app, struct http_request *req, struct http_response *resp)
{
	static const char *const state_titles[] = { N_("Ready"), N_("At risk"), N_("Overdue"),
	    N_("In progress") };
	static const char *const phase_titles[] = { N_("Success Execution"), N_("Success Review"),
	    N_("Closed") };
	static const char *const sort_titles[] = { N_("Name"), N_("State"), N_("Next check-in"),
	    N_("Lowest AU") };
	struct playbook			 pb;
	struct playbook_portfolio_query	 q;
	struct form			 f;
	struct result			 r;
	json_object			*o, *view, *filters, *arr, *v, *query, *counts;
	struct store_fm			*fms;
	size_t				 nfms;
	size_t				 i;
	int				 rc;
	const char			*state, *phase, *fm, *sort, *qs;

	if ((rc = form_validate_fields(&f, pf_fields, PF__MAX, &req->query_fields)) == -1) {
		http_error(resp, req, app->templates, 500, "out of memory");
		return;
	}
	if (rc == 1) {
		/* A hand-made URL: say which parameter was wrong. */
		json_object *errs = form_errors_json(&f);

		if (!pages_is_html(req))
			http_json_error(resp, 400, "bad query parameter", errs);
		else
			http_error(resp, req, app->templates, 400,
			    "A search parameter is not valid (state, phase, sort, page or per_page).");
		json_object_put(errs);
		form_free(&f);
		return;
	}
	memset(&q, 0, sizeof(q));
	q.q = qs = val(&f, PF_Q);
	q.state = state = val(&f, PF_STATE);
	q.phase = phase = val(&f, PF_PHASE);
	q.fm = fm = val(&f, PF_FM);
	q.sort = sort = val(&f, PF_SORT);
	q.page = f.values[PF_PAGE].present ? (int)f.values[PF_PAGE].num : 1;
	q.per_page = f.values[PF_PER_PAGE].present ? (int)f.values[PF_PER_PAGE].num : 50;
	q.with_archived = f.values[PF_ARCHIVED].num != 0;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_portfolio(&pb, &q, &o, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		form_free(&f);
		return;
	}
	if (!pages_is_html(req)) {
		http_json(resp, 200, o);
		json_object_put(o);
		form_free(&f);
		return;
	}
	view = o;
	json_object_object_add(view, "title", json_object_new_string(_("Portfolio")));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	query = json_object_new_object();
	json_object_object_add(query, "q", qs ? json_object_new_string(qs) : NULL);
	json_object_object_add(query, "state", state ? json_object_new_string(state) : NULL);
	json_object_object_add(query, "phase", phase ? json_object_new_string(phase) : NULL);
	json_object_object_add(query, "fm", fm ? json_object_new_string(fm) : NULL);
	json_object_object_add(query, "sort", sort ? json_object_new_string(sort) : NULL);
	json_object_object_add(view, "query", query);

	filters = json_object_new_object();
	json_object_object_get_ex(view, "counts", &counts);
	arr = json_object_new_array();
	for (i = 0; pf_states[i]; i++) {
		json_object *c = choice(pf_states[i], _(state_titles[i]), state && !strcmp(state, pf_states[i]));

		if (counts && json_object_object_get_ex(counts, pf_states[i], &v))
			json_object_object_add(c, "count", json_object_get(v));
		json_object_array_add(arr, c);
	}
	json_object_object_add(filters, "states", arr);
	arr = json_object_new_array();
	for (i = 0; pf_phases[i]; i++)
		json_object_array_add(arr, choice(pf_phases[i], _(phase_titles[i]),
		    phase && !strcmp(phase, pf_phases[i])));
	json_object_object_add(filters, "phases", arr);
	arr = json_object_new_array();
	for (i = 0; pf_sorts[i]; i++)
		json_object_array_add(arr, choice(pf_sorts[i], _(sort_titles[i]),
		    sort ? !strcmp(sort, pf_sorts[i]) : i == 0));
	json_object_object_add(filters, "sorts", arr);
	arr = json_object_new_array();
	if (store_fm_list(app->store, &fms, &nfms, &r) == 0) {
		for (i = 0; i < nfms; i++)
			json_object_array_add(arr, choice(fms[i].owner_fm, NULL,
			    fm && !strcmp(fm, fms[i].owner_fm)));
		free(fms);
	}
	json_object_object_add(filters, "fms", arr);
	json_object_object_add(view, "filters", filters);

	json_object_object_add(view, "pager", portfolio_pager(view, qs, state, phase, fm, sort));
	json_object_object_add(view, "exports", portfolio_exports(qs, state, phase, fm, sort));
	http_render(resp, req, app->templates, 200, "portfolio", view);
	json_object_put(view);
	form_free(&f);
}

/* ---------------------------------------------------------------- customer */

enum { CU_NAME, CU_TENANT, CU_TZ, CU_FM, CU_CADENCE, CU_LANG, CU__MAX };

/* A customer's mail language: "fm" (its FM's; an empty value means "not given", as for every field) or a tag. */
static const char *const cu_languages[] = { "fm", "en", "pt-BR", NULL };

/* The language the rules take of a checked form value: NULL (not given), "" (its FM's) or a tag. */
static const char *
customer_language(const struct form_value *v)
{
	if (!v->present)
		return NULL;
	return strcmp(v->text, "fm") == 0 ? "" : v->text;
}
static const struct form_field cu_fields[CU__MAX] = {
	[CU_NAME] = { .spec = &field_customer_name, .required = 1 },
	[CU_TENANT] = { .spec = &field_tenant_domain, .required = 1, .rule = playbook_domain_check },
	[CU_TZ] = { .name = "timezone", .label = "Time zone", .type = FORM_TIMEZONE, .required = 1 },
	[CU_FM] = { .spec = &field_owner_fm },
	[CU_CADENCE] = { .name = "cadence_weeks", .label = "Check-in cadence", .type = FORM_INT, .min = 1, .max = 4 },
	[CU_LANG] = { .name = "language", .label = N_("Language of the customer's mail"), .type = FORM_ENUM,
	    .allowed = cu_languages },
};
/* Editing: every field optional (PATCH semantics for the API). */
static const struct form_field cu_edit_fields[CU__MAX] = {
	[CU_NAME] = { .spec = &field_customer_name },
	[CU_TENANT] = { .spec = &field_tenant_domain, .rule = playbook_domain_check },
	[CU_TZ] = { .name = "timezone", .label = "Time zone", .type = FORM_TIMEZONE },
	[CU_FM] = { .spec = &field_owner_fm },
	[CU_CADENCE] = { .name = "cadence_weeks", .label = "Check-in cadence", .type = FORM_INT, .min = 1, .max = 4 },
	[CU_LANG] = { .name = "language", .label = N_("Language of the customer's mail"), .type = FORM_ENUM,
	    .allowed = cu_languages },
};

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The zones of zone1970.tab (one per region, what people pick), sorted, plus UTC. */
static json_object *
timezones_json(const char *selected)
{
	json_object	*arr = json_object_new_array(), *o;
	FILE		*fp;
	char		 line[512], *names[600], *tab, *end;
	size_t		 n = 0, i;

	if ((fp = fopen("/usr/share/zoneinfo/zone1970.tab", "r")) != NULL) {
		while (n < 599 && fgets(line, sizeof(line), fp) != NULL) {
			if (line[0] == '#' || (tab = strchr(line, '\t')) == NULL ||
			    (tab = strchr(tab + 1, '\t')) == NULL)
				continue;
			tab++;
			end = tab + strcspn(tab, "\t\n");
			*end = '\0';
			if ((names[n] = strdup(tab)) != NULL)
				n++;
		}
		fclose(fp);
	}
	names[n] = strdup("UTC");
	if (names[n] != NULL)
		n++;
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", json_object_new_string(names[i]));
		json_object_object_add(o, "selected", json_object_new_boolean(
		    selected && strcmp(selected, names[i]) == 0));
		json_object_array_add(arr, o);
		free(names[i]);
	}
	return arr;
}

/* A form value as a failed post shows it again: {"value": text}. */
static void
form_value_add(json_object *fv, const char *key, const char *text)
{
	json_object *x = json_object_new_object();

	json_object_object_add(x, "value", json_object_new_string(text));
	json_object_object_add(fv, key, x);
}

/*
 * The edit page starts from the saved customer: each field goes to the view's
 * "customer" and, as text, to the form's values (the same "forms" values a
 * failed post uses), from one list.
 */
static void
customer_prefill(const struct store_customer *sc, json_object *c, json_object *fv)
{
	const struct {
		const char	*key, *text;
	} text[] = {
		{ .key = "name", .text = sc->name },
		{ .key = "tenant_domain", .text = sc->tenant_domain },
		{ .key = "timezone", .text = sc->timezone },
		{ .key = "owner_fm", .text = sc->owner_fm },
	};
	char	 cw[16];
	size_t	 i;

	json_object_object_add(c, "id", json_object_new_int64(sc->id));
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		json_object_object_add(c, text[i].key, json_object_new_string(text[i].text));
		form_value_add(fv, text[i].key, text[i].text);
	}
	json_object_object_add(c, "cadence_weeks", json_object_new_int(sc->cadence_weeks));
	json_object_object_add(c, "language", json_object_new_string(sc->language));
	form_value_add(fv, "language", *sc->language ? sc->language : "fm");
	snprintf(cw, sizeof(cw), "%d", sc->cadence_weeks);
	form_value_add(fv, "cadence_weeks", cw);
}

static void
customer_form_page(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t id)
{
	json_object		*view = json_object_new_object(), *c, *forms, *fv;
	struct store_customer	 sc;
	struct result		 r;

	json_object_object_add(view, "mode", json_object_new_string(id > 0 ? "edit" : "new"));
	json_object_object_add(view, "title", json_object_new_string(id > 0 ? _("Edit customer") :
	    _("New customer")));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	forms = json_object_new_object();
	fv = json_object_new_object();
	if (id > 0) {
		if (store_customer_get(app->store, id, &sc, &r) == -1) {
			json_object_put(view);
			json_object_put(forms);
			json_object_put(fv);
			http_error(resp, req, app->templates, r.code == RESULT_NOTFOUND ? 404 : 500, r.message);
			return;
		}
		c = json_object_new_object();
		customer_prefill(&sc, c, fv);
		json_object_object_add(view, "customer", c);
		json_object_object_add(view, "timezones", timezones_json(sc.timezone));
		json_object_object_add(view, "languages", pages_languages_json(sc.language, "fm",
		    _("The FM's language")));
	} else {
		json_object_object_add(view, "timezones", timezones_json(NULL));
		json_object_object_add(view, "languages", pages_languages_json(NULL, "fm",
		    _("The FM's language")));
	}
	json_object_object_add(forms, "customer", fv);
	json_object_object_add(view, "forms", forms);
	http_render(resp, req, app->templates, 200, "customer_form", view);
	json_object_put(view);
}

void
handlers_customer_new(struct app *app, struct http_request *req, struct http_response *resp)
{
	customer_form_page(app, req, resp, 0);
}

void
handlers_customer_edit(struct app *app, struct http_request *req, struct http_response *resp)
{
	customer_form_page(app, req, resp, req->ids[0]);
}

void
handlers_customer_show(struct app *app, struct http_request *req, struct http_response *resp)
{
	pages_customer(app, req, resp, req->ids[0], 200, NULL, NULL, NULL);
}

void
handlers_customer_create(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook				 pb;
	struct playbook_customer_input		 in;
	struct form				 f;
	struct result				 r;
	json_object				*view;
	int64_t					 id;
	char					 loc[64];

	if (pages_validate(app, req, resp, &f, cu_fields, CU__MAX, "customer", 0) == -1)
		return;
	memset(&in, 0, sizeof(in));
	in.name = f.values[CU_NAME].text;
	in.tenant_domain = f.values[CU_TENANT].text;
	in.timezone = f.values[CU_TZ].text;
	in.owner_fm = f.values[CU_FM].present ? f.values[CU_FM].text : NULL;
	in.cadence_weeks = f.values[CU_CADENCE].present ? (int)f.values[CU_CADENCE].num : 0;
	in.language = customer_language(&f.values[CU_LANG]);
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_customer_create(&pb, &in, &id, &r) == -1) {
		pages_fail(app, req, resp, &r, "customer", &f, 0);
		form_free(&f);
		return;
	}
	form_free(&f);
	if (pages_is_html(req)) {
		pages_done(app, req, resp, id, "customer_created", 201, NULL, NULL);
		return;
	}
	snprintf(loc, sizeof(loc), "/api/customers/%" PRId64, id);
	if (playbook_customer_view(&pb, id, &view, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	pages_done(app, req, resp, id, "customer_created", 201, view, loc);
}

/* An edit changes only what it is given: an absent field keeps its value. */
static int
customer_update(struct pages_call *c, struct result *r)
{
	const struct form_value			*v = c->f.values;
	struct playbook_customer_input		 in;

	memset(&in, 0, sizeof(in));
	in.name = v[CU_NAME].present ? v[CU_NAME].text : NULL;
	in.tenant_domain = v[CU_TENANT].present ? v[CU_TENANT].text : NULL;
	in.timezone = v[CU_TZ].present ? v[CU_TZ].text : NULL;
	in.owner_fm = v[CU_FM].present ? v[CU_FM].text : NULL;
	in.cadence_weeks = v[CU_CADENCE].present ? (int)v[CU_CADENCE].num : 0;
	in.language = customer_language(&v[CU_LANG]);
	return playbook_customer_edit(&c->pb, c->cid, &in, r);
}

/* The HTML form sends every field, so it needs them all; a JSON client sends what changes. */
static const struct pages_action cu_action = {
	.form = "customer", .fields = cu_fields, .json_fields = cu_edit_fields, .nfields = CU__MAX,
	.notice = "customer_saved", .run = customer_update,
};
PAGES_ACTION_HANDLER(handlers_customer_update, cu_action)

/* ---------------------------------------------------------------- contacts */

enum { CO_NAME, CO_EMAIL, CO_INVITES, CO__MAX };
static const struct form_field co_fields[CO__MAX] = {
	[CO_NAME] = { .spec = &field_contact_name, .required = 1 },
	[CO_EMAIL] = { .name = "email", .label = "Email", .type = FORM_EMAIL, .required = 1 },
	[CO_INVITES] = { .name = "receives_invites", .label = "Check-in invites", .type = FORM_BOOL },
};

/* A JSON client that leaves receives_invites out means yes; an HTML checkbox left out means no. */
static int
bool_default(const struct http_request *req, const struct form *f, int i, int json_default)
{
	json_object *v;

	if (req->json != NULL && !json_object_object_get_ex(req->json, f->fields[i].name, &v))
		return json_default;
	return f->values[i].num != 0;
}

static int
contact_add(struct pages_call *c, struct result *r)
{
	const struct form_value	*v = c->f.values;
	json_object		*o;
	int64_t			 id;
	int			 invites = bool_default(c->req, &c->f, CO_INVITES, 1);

	if (playbook_contact_add(&c->pb, c->cid, v[CO_NAME].text, v[CO_EMAIL].text, invites,
	    &id, r) == -1)
		return -1;
	o = pages_body(c, id);
	PAGES_ECHO(c, o, 0, CO_NAME, CO_EMAIL);
	json_object_object_add(o, "receives_invites", json_object_new_boolean(invites));
	return 0;
}

static const struct pages_action co_action = {
	.form = "contact", .fields = co_fields, .nfields = CO__MAX, .notice = "contact_added",
	.created = 1, .run = contact_add,
};
PAGES_ACTION_HANDLER(handlers_contact_add, co_action)

/* The route names the contact: its forms belong to its customer's page. */
static int
contact_customer(struct pages_call *c, struct result *r)
{
	struct store_contact	 k;

	if (store_contact_get(c->app->store, c->req->ids[0], &k, r) == -1)
		return -1;
	c->cid = k.customer_id;
	return 0;
}

/* A contact's name and e-mail corrected (issue 13, item 11): the first two contact fields. */
static int
contact_edit(struct pages_call *c, struct result *r)
{
	return playbook_contact_edit(&c->pb, c->req->ids[0], c->f.values[CO_NAME].text,
	    c->f.values[CO_EMAIL].text, r);
}

static const struct pages_action ce_action = {
	.form = "contact_edit", .fields = co_fields, .nfields = CO_INVITES,
	.notice = "contact_saved", .run = contact_edit, .customer = contact_customer,
};
PAGES_ACTION_HANDLER(handlers_contact_edit, ce_action)

static int
contact_remove(struct pages_call *c, struct result *r)
{
	return playbook_contact_remove(&c->pb, c->req->ids[0], r);
}

static const struct pages_action cr_action = {
	.form = "contact_remove", .nfields = 0, .notice = "contact_removed",
	.run = contact_remove, .customer = contact_customer,
};
PAGES_ACTION_HANDLER(handlers_contact_remove, cr_action)

enum { CI_INVITES, CI__MAX };
static const struct form_field ci_fields[CI__MAX] = {
	[CI_INVITES] = { .name = "receives_invites", .label = "Check-in invites", .type = FORM_BOOL },
};

void
handlers_contact_invites(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct form		 f;
	struct result		 r;
	struct store_contact	 k;
	json_object		*v;
	int			 rc;

	result_clear(&r);
	if (store_contact_get(app->store, req->ids[0], &k, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if ((rc = form_validate(&f, ci_fields, CI__MAX, req)) != 0 ||
	    (req->json != NULL && !json_object_object_get_ex(req->json, "receives_invites", &v))) {
		if (rc == -1)
			http_error(resp, req, app->templates, 500, "out of memory");
		else {
			if (rc == 0)
				form_error_set(&f, "receives_invites", "receives_invites (true or false) is required.");
			pages_invalid(app, req, resp, "contact_invites", &f, k.customer_id);
		}
		form_free(&f);
		return;
	}
	pages_playbook(app, req, &pb);
	rc = playbook_contact_set_invites(&pb, k.id, (int)f.values[CI_INVITES].num, &r);
	pages_form_done(app, req, resp, rc, &r, "contact_invites", &f, k.customer_id,
	    "contact_invites");
}

/* ---------------------------------------------------------------- services */

enum { SV_SERVICE, SV_ACTIVATED, SV_TARGET, SV_METRIC, SV_LICENSED, SV__MAX };
static const struct form_field sv_fields[SV__MAX] = {
	[SV_SERVICE] = { .name = "service", .label = "Service", .type = FORM_KEY, .required = 1, .check = handlers_key_service },
	[SV_ACTIVATED] = { .name = "activated_on", .label = "Activated on", .type = FORM_DATE },
	[SV_TARGET] = { .name = "target_percent", .label = "AU target", .type = FORM_PERCENT },
	[SV_METRIC] = { .spec = &field_custom_metric },
	[SV_LICENSED] = { .name = "licensed_users", .label = "Licensed users", .type = FORM_INT, .max = 100000000 },
};

static int
service_add(struct pages_call *c, struct result *r)
{
	const struct form_value			*v = c->f.values;
	struct playbook_service_input		 in;
	struct store_service			 s;
	json_object				*o;

	memset(&in, 0, sizeof(in));
	in.service = v[SV_SERVICE].text;
	in.activated_on = v[SV_ACTIVATED].present ? v[SV_ACTIVATED].text : NULL;
	in.target_percent = v[SV_TARGET].present ? v[SV_TARGET].dec : 0;
	in.custom_metric = v[SV_METRIC].present ? v[SV_METRIC].text : NULL;
	in.licensed_users = v[SV_LICENSED].present ? v[SV_LICENSED].num : -1;
	if (playbook_service_activate(&c->pb, c->cid, &in, r) == -1)
		return -1;
	/* Saved: a failed read-back answers the customer page model, not an error. */
	if (store_service_get(c->app->store, c->cid, in.service, &s, r) == -1)
		return 0;
	o = pages_body(c, s.id);
	json_object_object_add(o, "service", json_object_new_string(s.service));
	json_object_object_add(o, "activated_on", s.activated_on[0] ?
	    json_object_new_string(s.activated_on) : NULL);
	json_object_object_add(o, "target_percent", playbook_json_percent(s.target_percent));
	json_object_object_add(o, "custom_metric", s.custom_metric[0] ?
	    json_object_new_string(s.custom_metric) : NULL);
	json_object_object_add(o, "csm_led", json_object_new_boolean(s.csm_led));
	return 0;
}

static const struct pages_action sv_action = {
	.form = "service", .fields = sv_fields, .nfields = SV__MAX, .notice = "service_added",
	.created = 1, .run = service_add,
};
PAGES_ACTION_HANDLER(handlers_service_add, sv_action)

enum { TG_SERVICE, TG_TARGET, TG_METRIC, TG_MET, TG__MAX };
static const struct form_field tg_fields[TG__MAX] = {
	[TG_SERVICE] = { .name = "service", .label = "Service", .type = FORM_KEY, .required = 1, .check = handlers_key_service },
	[TG_TARGET] = { .name = "target_percent", .label = "AU target", .type = FORM_PERCENT },
	[TG_METRIC] = { .spec = &field_custom_metric },
	[TG_MET] = { .name = "custom_metric_met", .label = "Custom metric met", .type = FORM_BOOL },
};

static int
service_target(struct pages_call *c, struct result *r)
{
	const struct form_value	*v = c->f.values;
	json_object		*x;
	const char		*metric;

	/*
	 * The HTML form always sends custom_metric: empty clears it.  A JSON
	 * client that leaves it out keeps the current one.
	 */
	metric = v[TG_METRIC].text ? v[TG_METRIC].text : "";
	if (c->req->json != NULL && !json_object_object_get_ex(c->req->json, "custom_metric", &x))
		metric = NULL;
	return playbook_service_target(&c->pb, c->cid, v[TG_SERVICE].text,
	    v[TG_TARGET].present ? v[TG_TARGET].dec : 0, metric, (int)v[TG_MET].num, r);
}

static const struct pages_action tg_action = {
	.form = "target", .fields = tg_fields, .nfields = TG__MAX, .notice = "target_saved",
	.run = service_target,
};
PAGES_ACTION_HANDLER(handlers_service_target, tg_action)

enum { CS_NAME, CS_EMAIL, CS__MAX };
static const struct form_field cs_fields[CS__MAX] = {
	[CS_NAME] = { .spec = &field_csm_name, .required = 1 },
	[CS_EMAIL] = { .name = "email", .label = "CSM email", .type = FORM_EMAIL, .required = 1 },
};

/* The notice says what the rule did: saved with handshakes, saved without, or nothing at all. */
static int
csm_assign(struct pages_call *c, struct result *r)
{
	struct playbook_csm_outcome	 o;

	if (playbook_csm_assign(&c->pb, c->cid, c->f.values[CS_NAME].text,
	    c->f.values[CS_EMAIL].text, &o, r) == -1)
		return -1;
	c->notice = o.queued > 0 ? "csm_saved" : o.changed ? "csm_saved_none" : "csm_unchanged";
	return 0;
}

static const struct pages_action cs_action = {
	.form = "csm", .fields = cs_fields, .nfields = CS__MAX, .notice = "csm_saved",
	.run = csm_assign,
};
PAGES_ACTION_HANDLER(handlers_csm_assign, cs_action)

/* A manager gives the customer to another FM (issue 11); the rule checks the role. */
enum { RA_FM, RA__MAX };
static const struct form_field ra_fields[RA__MAX] = {
	[RA_FM] = { .spec = &field_owner_fm, .required = 1 },
};

static int
customer_reassign(struct pages_call *c, struct result *r)
{
	return playbook_customer_reassign(&c->pb, c->cid, c->f.values[RA_FM].text, r);
}

static const struct pages_action ra_action = {
	.form = "reassign", .fields = ra_fields, .nfields = RA__MAX, .notice = "owner_saved",
	.run = customer_reassign,
};
PAGES_ACTION_HANDLER(handlers_customer_reassign, ra_action)

/* Archive and unarchive (issue 13, item 11): no field, the rule says what it refuses. */
static int
customer_archive(struct pages_call *c, struct result *r)
{
	return playbook_customer_archive(&c->pb, c->cid, 1, r);
}

static int
customer_unarchive(struct pages_call *c, struct result *r)
{
	return playbook_customer_archive(&c->pb, c->cid, 0, r);
}

static const struct pages_action archive_action = {
	.form = "archive", .nfields = 0, .notice = "customer_archived", .run = customer_archive,
};
static const struct pages_action unarchive_action = {
	.form = "unarchive", .nfields = 0, .notice = "customer_unarchived",
	.run = customer_unarchive,
};
PAGES_ACTION_HANDLER(handlers_customer_archive, archive_action)
PAGES_ACTION_HANDLER(handlers_customer_unarchive, unarchive_action)

enum { PG_SERVICE, PG__MAX };
static const struct form_field pg_fields[PG__MAX] = {
	[PG_SERVICE] = { .name = "service", .label = "Service", .type = FORM_KEY, .check = handlers_key_service },
};

/* Adoption program and accelerator: one optional service field, each with its default. */
static const char *
program_service(const struct pages_call *c, const char *fallback)
{
	return c->f.values[PG_SERVICE].present ? c->f.values[PG_SERVICE].text : fallback;
}

static int
adoption_join(struct pages_call *c, struct result *r)
{
	return playbook_adoption_join(&c->pb, c->cid, program_service(c, "onedrive"), r);
}

static int
accelerator_request(struct pages_call *c, struct result *r)
{
	return playbook_accelerator_request(&c->pb, c->cid, program_service(c, "office_proplus"), r);
}

static const struct pages_action adoption_action = {
	.form = "adoption", .fields = pg_fields, .nfields = PG__MAX, .notice = "adoption_joined",
	.run = adoption_join,
};
static const struct pages_action accelerator_action = {
	.form = "accelerator", .fields = pg_fields, .nfields = PG__MAX,
	.notice = "accelerator_requested", .run = accelerator_request,
};
PAGES_ACTION_HANDLER(handlers_adoption, adoption_action)
PAGES_ACTION_HANDLER(handlers_accelerator, accelerator_action)

/* ---------------------------------------------------------------- the portfolio's filters, for its exports */

int
handlers_portfolio_query(const struct http_request *req, struct form *f,
    struct playbook_portfolio_query *q)
{
	int	 rc;

	if ((rc = form_validate_fields(f, pf_fields, PF__MAX, &req->query_fields)) != 0)
		return rc;
	memset(q, 0, sizeof(*q));
	q->q = val(f, PF_Q);
	q->state = val(f, PF_STATE);
	q->phase = val(f, PF_PHASE);
	q->fm = val(f, PF_FM);
	q->sort = val(f, PF_SORT);
	return 0;
}
