/*
 * playbook.c -- what every rule shares (input guards, one transaction per
 * action with its audit row, the payloads of the mail an action queues) and
 * the actions on customers and contacts.  The other rules live beside it:
 * series.c (rule 3), services.c (rules 1, 2, 6), progress.c (rules 4-6 and
 * the exit), readiness.c (rule 7, pure), views.c (pages and JSON).  Every
 * action checks its input before it touches the store, then writes the
 * change, an audit row and the outbox rows of the notifications it causes in
 * one transaction, so a refused call changes nothing and an acknowledged one
 * cannot lose its mail.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "playbook.h"
#include "rules_impl.h"
#include "text.h"


/* ---------------------------------------------------------------- validation */

/*
 * Text from a person against its spec (fields.h), by the same field_check
 * the forms and the JSON API use, so a limit or a screen cannot disagree.
 * Precondition of every action: its text was checked against these specs
 * (the web forms and the API do it, with messages for people).  This guard
 * keeps callers that skip the form (tools, tests) from storing what a form
 * would refuse; it adds no rule of its own.
 */
int
rules_check_field(struct result *r, const struct field_spec *fs, const char *v, int required)
{
	const char	*field = fs->name;
	size_t		 chars;

	switch (field_check(fs, v, v ? strlen(v) : 0, &chars)) {
	case FIELD_OK:
		return 0;
	case FIELD_EMPTY:
		return required ? result_set(r, RESULT_INVALID, field, "%s is required", field) : 0;
	case FIELD_NOT_UTF8:
		return result_set(r, RESULT_INVALID, field, "%s is not valid UTF-8", field);
	case FIELD_CONTROL:
		return result_set(r, RESULT_INVALID, field, fs->kind == FIELD_LINE ?
		    "%s must be one line without control characters" :
		    "%s contains control characters", field);
	case FIELD_BIDI:
		return result_set(r, RESULT_INVALID, field,
		    "%s contains a bidirectional text control character", field);
	case FIELD_INVISIBLE:
		return result_set(r, RESULT_INVALID, field,
		    "%s has no visible character (only spaces or invisible ones)", field);
	case FIELD_SHORT:
		return result_set(r, RESULT_INVALID, field, "%s is shorter than %zu characters (%zu)",
		    field, fs->min, chars);
	case FIELD_LONG:
		return result_set(r, RESULT_INVALID, field, "%s is longer than %zu characters (%zu)",
		    field, fs->max, chars);
	}
	return result_set(r, RESULT_INVALID, field, "%s cannot be checked", field);
}

int
rules_check_email(struct result *r, const char *field, const char *v)
{
	if (v == NULL || *v == '\0')
		return result_set(r, RESULT_INVALID, field, "%s is required", field);
	if (!text_header_safe(v, strlen(v)) || !text_email_valid(v))
		return result_set(r, RESULT_INVALID, field, "\"%.100s\" is not a valid e-mail address", v);
	return 0;
}

int
rules_check_date(struct result *r, const char *field, const char *v, int32_t *day)
{
	if (v == NULL || *v == '\0')
		return result_set(r, RESULT_INVALID, field, "%s is required", field);
	if (text_date_parse(v, day) == -1)
		return result_set(r, RESULT_INVALID, field,
		    "%s \"%.40s\" is not a date (YYYY-MM-DD)", field, v);
	return 0;
}

/* Tenant domain: DNS name shape, e.g. contoso.onmicrosoft.com. */
static int
check_domain(struct result *r, const char *v)
{
	size_t	 i, len = v ? strlen(v) : 0, label = 0;
	int	 dots = 0;

	if (len == 0)
		return result_set(r, RESULT_INVALID, "tenant_domain", "tenant_domain is required");
	if (len > field_tenant_domain.max)
		return result_set(r, RESULT_INVALID, "tenant_domain", "tenant_domain is longer than %zu characters",
		    field_tenant_domain.max);
	for (i = 0; i < len; i++) {
		char c = v[i];

		if (c == '.') {
			if (label == 0 || v[i - 1] == '-')
				break;
			dots++;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c == '-' && label > 0)))
			break;
		if (++label > 63)
			break;
	}
	if (i < len || label == 0 || dots == 0 || v[len - 1] == '-')
		return result_set(r, RESULT_INVALID, "tenant_domain",
		    "\"%.100s\" is not a domain name like contoso.onmicrosoft.com", v);
	return 0;
}

static int
check_timezone(struct result *r, const char *v)
{
	if (v == NULL || *v == '\0')
		return result_set(r, RESULT_INVALID, "timezone", "timezone is required");
	if (!text_timezone_valid(v))
		return result_set(r, RESULT_INVALID, "timezone",
		    "\"%.64s\" is not a known IANA time zone (e.g. America/Sao_Paulo)", v);
	return 0;
}

const struct catalog_service *
rules_check_service(struct result *r, const char *v)
{
	const struct catalog_service *cs;

	if (v == NULL || *v == '\0') {
		result_set(r, RESULT_INVALID, "service", "service is required");
		return NULL;
	}
	if ((cs = catalog_service_find(v)) == NULL)
		result_set(r, RESULT_INVALID, "service", "\"%.40s\" is not a known service", v);
	return cs;
}

const char *
rules_service_title(const char *key)
{
	const struct catalog_service *cs = catalog_service_find(key);

	return cs ? cs->title[CATALOG_EN] : key;
}

/* Today in the customer's zone: "no future dates" means the customer's calendar. */
int32_t
rules_customer_today(const struct playbook *pb, const struct store_customer *c)
{
	return text_date_today(c->timezone[0] ? c->timezone : NULL, (time_t)pb->now);
}

double
playbook_au_percent(long long active, long long eligible)
{
	if (eligible <= 0 || active < 0)
		return -1;
	return 100.0 * (double)active / (double)eligible;
}

/* A service meets its target: the described metric was marked met, or AU >= target. */
int
rules_service_met(const struct store_service *s)
{
	double au;

	if (s->custom_metric[0] != '\0')
		return s->custom_metric_met;
	if (s->latest_on[0] == '\0')
		return 0;
	au = playbook_au_percent(s->latest_active, s->latest_eligible);
	/* Compare in integer space: 10 of 100 is exactly 10 %, not 9.999... */
	return (double)s->latest_active * 100.0 >= s->target_percent * (double)s->latest_eligible - 1e-9 &&
	    au >= 0;
}

/* The FM covers an activated service that is not CSM-led (rule 2). */
int
rules_fm_covers(const struct store_service *s)
{
	return s->intended && s->activated_on[0] != '\0' && !s->csm_led;
}

/* The API's words for the states and phases (their titles for people are in present.c). */
static const char *const state_keys[PLAYBOOK_STATE__MAX] = {
	[PLAYBOOK_STATE_IN_PROGRESS] = "in_progress",
	[PLAYBOOK_STATE_READY] = "ready",
	[PLAYBOOK_STATE_AT_RISK] = "at_risk",
	[PLAYBOOK_STATE_SUCCESS_REVIEW] = "success_review",
	[PLAYBOOK_STATE_CLOSED] = "closed",
};

static const char *const phase_keys[PLAYBOOK_PHASE__MAX] = {
	[PLAYBOOK_PHASE_EXECUTION] = "execution",
	[PLAYBOOK_PHASE_SUCCESS_REVIEW] = "success_review",
	[PLAYBOOK_PHASE_CLOSED] = "closed",
};

const char *
playbook_state_key(enum playbook_state state)
{
	return (unsigned)state < PLAYBOOK_STATE__MAX ? state_keys[state] : "";
}

const char *
playbook_phase_key(enum playbook_phase phase)
{
	return (unsigned)phase < PLAYBOOK_PHASE__MAX ? phase_keys[phase] : "";
}

int
playbook_phase_parse(const char *key, enum playbook_phase *out)
{
	size_t i;

	for (i = 0; key != NULL && i < PLAYBOOK_PHASE__MAX; i++)
		if (strcmp(phase_keys[i], key) == 0) {
			*out = (enum playbook_phase)i;
			return 0;
		}
	return -1;
}

/*
 * The phase of a stored customer.  The schema's CHECK allows only the three
 * keys; anything else is read as Success Review, as the string tests did
 * (not in execution, not closed).
 */
enum playbook_phase
rules_customer_phase(const struct store_customer *c)
{
	enum playbook_phase p;

	return playbook_phase_parse(c->phase, &p) == 0 ? p : PLAYBOOK_PHASE_SUCCESS_REVIEW;
}

/* ---------------------------------------------------------------- transactions */

int
rules_begin(const struct playbook *pb, struct result *r)
{
	if (pb == NULL || pb->st == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: no store");
	if (pb->actor == NULL || *pb->actor == '\0')
		return result_set(r, RESULT_INVALID, "actor", "no user is acting (REMOTE_USER empty)");
	return store_begin(pb->st, r);
}

int
rules_commit(const struct playbook *pb, struct result *r)
{
	return store_commit(pb->st, r);
}

int
rules_rollback(const struct playbook *pb)
{
	store_rollback(pb->st);
	return -1;
}

/* Write an audit row; details (may be NULL) is consumed. */
int
rules_audit(const struct playbook *pb, const char *action, const char *entity, int64_t entity_id,
    int64_t customer_id, json_object *details, struct result *r)
{
	const char	*text = "{}";
	int		 rc;

	if (details != NULL)
		text = json_object_to_json_string_ext(details, JSON_C_TO_STRING_PLAIN |
		    JSON_C_TO_STRING_NOSLASHESCAPE);
	rc = store_audit_insert(pb->st, pb->now, pb->actor, action, entity, entity_id,
	    customer_id, text, r);
	json_object_put(details);
	return rc;
}

const char *
rules_json_text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

json_object *
rules_jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

json_object *
playbook_json_percent(double v)
{
	char text[32];

	/* json-c prints doubles with 17 digits (12.300000000000001): one decimal is the truth here. */
	v = round(v * 10.0) / 10.0;
	snprintf(text, sizeof(text), "%.1f", v);
	return json_object_new_double_s(v, text);
}

/* Load a customer that must be in the execution phase for this action. */
int
rules_customer_in_execution(const struct playbook *pb, int64_t id, struct store_customer *c,
    struct result *r)
{
	if (store_customer_get(pb->st, id, c, r) == -1)
		return -1;
	if (rules_customer_phase(c) != PLAYBOOK_PHASE_EXECUTION)
		return result_set(r, RESULT_CONFLICT, "id",
		    "customer %" PRId64 " is in phase %s; this action belongs to Success Execution",
		    id, c->phase);
	return 0;
}

/* ---------------------------------------------------------------- payloads */

static json_object *
customer_json_brief(const struct store_customer *c)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "id", json_object_new_int64(c->id));
	json_object_object_add(o, "name", rules_jstr(c->name));
	json_object_object_add(o, "tenant_domain", rules_jstr(c->tenant_domain));
	json_object_object_add(o, "timezone", rules_jstr(c->timezone));
	return o;
}

static json_object *
service_agenda_json(const struct store_service *s)
{
	json_object	*o = json_object_new_object();
	double		 au = playbook_au_percent(s->latest_active, s->latest_eligible);
	const struct catalog_service *cs = catalog_service_find(s->service);

	json_object_object_add(o, "key", rules_jstr(s->service));
	json_object_object_add(o, "title", rules_jstr(rules_service_title(s->service)));
	json_object_object_add(o, "activated_on", s->activated_on[0] ? rules_jstr(s->activated_on) : NULL);
	json_object_object_add(o, "au_percent", s->latest_on[0] && au >= 0 ?
	    playbook_json_percent(au) : NULL);
	json_object_object_add(o, "target_percent", playbook_json_percent(s->target_percent));
	json_object_object_add(o, "custom_metric", s->custom_metric[0] ? rules_jstr(s->custom_metric) : NULL);
	json_object_object_add(o, "measured_on", s->latest_on[0] ? rules_jstr(s->latest_on) : NULL);
	if (cs != NULL && cs->handshake_ftop)
		json_object_object_add(o, "ftop_id", json_object_new_int(cs->handshake_ftop));
	return o;
}

/*
 * Open blockers and the last next action, as the agenda and the handshake
 * show them: two small reads, not the whole customer page.
 */
static int
agenda_extras(const struct playbook *pb, int64_t customer_id, json_object **blockers,
    json_object **next_action, struct result *r)
{
	struct store_blocker		*bl;
	struct store_checkin		 k;
	const struct catalog_entry	*l2;
	json_object			*o;
	size_t				 n, i;

	*blockers = *next_action = NULL;
	if (store_blocker_list_open(pb->st, customer_id, &bl, &n, r) == -1)
		return -1;
	*blockers = json_object_new_array();
	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "id", json_object_new_int64(bl[i].id));
		json_object_object_add(o, "description", rules_jstr(bl[i].description));
		json_object_object_add(o, "owner", rules_jstr(bl[i].owner));
		json_object_object_add(o, "l2_reason", rules_jstr(bl[i].l2_reason));
		l2 = catalog_l2_find(bl[i].l2_reason);
		json_object_object_add(o, "l2_title", l2 ? rules_jstr(l2->title[CATALOG_EN]) : NULL);
		json_object_object_add(o, "service", bl[i].service[0] ? rules_jstr(bl[i].service) : NULL);
		json_object_object_add(o, "opened_on", rules_jstr(bl[i].opened_on));
		json_object_array_add(*blockers, o);
	}
	free(bl);
	if (store_checkin_latest(pb->st, customer_id, &k, r) == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "text", rules_jstr(k.next_action));
		json_object_object_add(o, "on", rules_jstr(k.next_action_on));
		json_object_object_add(o, "owner", rules_jstr(k.next_action_owner));
		json_object_object_add(o, "held_on", rules_jstr(k.held_on));
		*next_action = o;
	} else if (r->code == RESULT_NOTFOUND)
		result_clear(r);
	else {
		json_object_put(*blockers);
		*blockers = NULL;
		return -1;
	}
	return 0;
}

static json_object *
customer_url(int64_t id)
{
	char url[64];

	snprintf(url, sizeof(url), "/customers/%" PRId64, id);
	return rules_jstr(url);
}

/*
 * The invite/cancel payload of docs/notifications.md for a series as it is
 * in m, sent to `to` (the attendees, or one removed attendee).
 */
json_object *
rules_invite_payload(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, json_object *to, struct result *r)
{
	json_object		*p, *meet, *agenda, *svcs, *covered, *blockers, *next;
	struct store_service	*list;
	size_t			 n, i, k;

	if (store_service_list(pb->st, c->id, &list, &n, r) == -1)
		return NULL;
	if (agenda_extras(pb, c->id, &blockers, &next, r) == -1) {
		free(list);
		return NULL;
	}
	covered = json_tokener_parse(m->services ? m->services : "[]");
	svcs = json_object_new_array();
	for (i = 0; i < n; i++)
		for (k = 0; covered && k < json_object_array_length(covered); k++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(covered, k)),
			    list[i].service) == 0)
				json_object_array_add(svcs, service_agenda_json(&list[i]));
	json_object_put(covered);
	free(list);

	p = json_object_new_object();
	json_object_object_add(p, "version", json_object_new_int(1));
	json_object_object_add(p, "method", rules_jstr(method));
	json_object_object_add(p, "customer", customer_json_brief(c));
	meet = json_object_new_object();
	json_object_object_add(meet, "id", json_object_new_int64(m->id));
	json_object_object_add(meet, "uid", rules_jstr(m->uid));
	json_object_object_add(meet, "sequence", json_object_new_int(m->sequence));
	json_object_object_add(meet, "status", rules_jstr(strcmp(method, "CANCEL") == 0 ?
	    "CANCELLED" : "CONFIRMED"));
	json_object_object_add(meet, "starts_at", rules_jstr(m->starts_at));
	json_object_object_add(meet, "timezone", rules_jstr(m->timezone));
	json_object_object_add(meet, "duration_minutes", json_object_new_int(m->duration_minutes));
	json_object_object_add(meet, "every_weeks", json_object_new_int(m->every_weeks));
	json_object_object_add(p, "meeting", meet);
	json_object_object_add(p, "attendees", json_object_get(to));
	agenda = json_object_new_object();
	json_object_object_add(agenda, "services", svcs);
	json_object_object_add(agenda, "blockers", blockers);
	json_object_object_add(agenda, "next_action", next);
	json_object_object_add(p, "agenda", agenda);
	json_object_object_add(p, "url", customer_url(c->id));
	return p;
}

/* Queue an invite or cancel for meeting m to `to`; suffix distinguishes personal cancels. */
int
rules_queue_meeting_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, json_object *to, const char *who,
    struct result *r)
{
	struct store_outbox_new	 o;
	json_object		*p;
	char			 key[256];
	int			 inserted, rc;

	if ((p = rules_invite_payload(pb, c, m, method, to, r)) == NULL)
		return -1;
	if (who != NULL)
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:cancel:%s", m->id, m->sequence, who);
	else
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:%s", m->id, m->sequence,
		    strcmp(method, "CANCEL") == 0 ? "cancel" : "request");
	o.customer_id = c->id;
	o.kind = strcmp(method, "CANCEL") == 0 ? "cancel" : "invite";
	o.dedupe_key = key;
	o.payload = rules_json_text(p);
	o.recipients = rules_json_text(to);
	rc = store_outbox_insert(pb->st, &o, pb->now, &inserted, r);
	json_object_put(p);
	return rc;
}

/* ---------------------------------------------------------------- customers */

static int
check_customer_input(const struct playbook_customer_input *in, int creating, struct result *r)
{
	if ((creating || in->name) && rules_check_field(r, &field_customer_name, in->name, 1) == -1)
		return -1;
	if ((creating || in->tenant_domain) && check_domain(r, in->tenant_domain) == -1)
		return -1;
	if ((creating || in->timezone) && check_timezone(r, in->timezone) == -1)
		return -1;
	if (in->owner_fm && rules_check_field(r, &field_owner_fm, in->owner_fm, 0) == -1)
		return -1;
	if (in->cadence_weeks != 0 && (in->cadence_weeks < 1 || in->cadence_weeks > 4))
		return result_set(r, RESULT_INVALID, "cadence_weeks",
		    "cadence_weeks must be 1 to 4 (check-ins every 1-2 weeks are the norm), not %d",
		    in->cadence_weeks);
	return 0;
}

int
playbook_customer_create(const struct playbook *pb, const struct playbook_customer_input *in,
    int64_t *id, struct result *r)
{
	struct store_customer	 c;
	json_object		*d;

	if (check_customer_input(in, 1, r) == -1)
		return -1;
	memset(&c, 0, sizeof(c));
	text_copy(c.name, sizeof(c.name), in->name);
	text_copy(c.tenant_domain, sizeof(c.tenant_domain), in->tenant_domain);
	text_copy(c.timezone, sizeof(c.timezone), in->timezone);
	text_copy(c.owner_fm, sizeof(c.owner_fm),
	    in->owner_fm && *in->owner_fm ? in->owner_fm : pb->actor);
	c.cadence_weeks = in->cadence_weeks ? in->cadence_weeks :
	    (pb->default_cadence_weeks ? pb->default_cadence_weeks : 2);
	text_copy(c.phase, sizeof(c.phase), playbook_phase_key(PLAYBOOK_PHASE_EXECUTION));
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_customer_insert(pb->st, &c, pb->now, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "name", rules_jstr(c.name));
	json_object_object_add(d, "tenant_domain", rules_jstr(c.tenant_domain));
	json_object_object_add(d, "timezone", rules_jstr(c.timezone));
	if (rules_audit(pb, "customer.create", "customer", c.id, c.id, d, r) == -1)
		return rules_rollback(pb);
	if (rules_commit(pb, r) == -1)
		return -1;
	if (id)
		*id = c.id;
	return 0;
}

int
playbook_customer_edit(const struct playbook *pb, int64_t id,
    const struct playbook_customer_input *in, struct result *r)
{
	struct store_customer	 c;
	json_object		*d;

	if (check_customer_input(in, 0, r) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, id, &c, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	if (in->name) {
		text_copy(c.name, sizeof(c.name), in->name);
		json_object_object_add(d, "name", rules_jstr(in->name));
	}
	if (in->tenant_domain) {
		text_copy(c.tenant_domain, sizeof(c.tenant_domain), in->tenant_domain);
		json_object_object_add(d, "tenant_domain", rules_jstr(in->tenant_domain));
	}
	if (in->timezone) {
		text_copy(c.timezone, sizeof(c.timezone), in->timezone);
		json_object_object_add(d, "timezone", rules_jstr(in->timezone));
	}
	if (in->owner_fm && *in->owner_fm) {
		text_copy(c.owner_fm, sizeof(c.owner_fm), in->owner_fm);
		json_object_object_add(d, "owner_fm", rules_jstr(in->owner_fm));
	}
	if (in->cadence_weeks) {
		c.cadence_weeks = in->cadence_weeks;
		json_object_object_add(d, "cadence_weeks", json_object_new_int(in->cadence_weeks));
	}
	if (store_customer_update(pb->st, &c, pb->now, r) == -1) {
		json_object_put(d);
		return rules_rollback(pb);
	}
	if (rules_audit(pb, "customer.edit", "customer", id, id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

/* ---------------------------------------------------------------- contacts */

int
playbook_contact_add(const struct playbook *pb, int64_t customer_id, const char *name,
    const char *email, int receives_invites, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_contact	 k;
	struct store_meeting	*ms = NULL;
	size_t			 nm = 0, i;
	json_object		*att, *d;

	if (rules_check_field(r, &field_contact_name, name, 1) == -1 ||
	    rules_check_email(r, "email", email) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rules_rollback(pb);
	memset(&k, 0, sizeof(k));
	k.customer_id = customer_id;
	text_copy(k.name, sizeof(k.name), name);
	text_copy(k.email, sizeof(k.email), email);
	k.receives_invites = receives_invites;
	if (store_contact_insert(pb->st, &k, pb->now, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "name", rules_jstr(name));
	json_object_object_add(d, "email", rules_jstr(email));
	if (rules_audit(pb, "contact.add", "contact", k.id, customer_id, d, r) == -1)
		return rules_rollback(pb);

	/* RFC 5546 3.2.2: a new attendee is added by a REQUEST to everyone, SEQUENCE + 1. */
	if (receives_invites) {
		if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
			return rules_rollback(pb);
		for (i = 0; i < nm; i++) {
			if ((att = json_tokener_parse(ms[i].attendees)) == NULL)
				att = json_object_new_array();
			json_object_array_add(att, rules_person_json(name, email));
			if (rules_set_json_field(&ms[i].attendees, att, r) == -1 ||
			    rules_meeting_update_and_request(pb, &c, &ms[i], r) == -1) {
				json_object_put(att);
				goto fail;
			}
			json_object_put(att);
		}
	}
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	if (rules_commit(pb, r) == -1)
		return -1;
	if (id)
		*id = k.id;
	return 0;
fail:
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rules_rollback(pb);
}

int
playbook_contact_set_invites(const struct playbook *pb, int64_t contact_id,
    int receives_invites, struct result *r)
{
	struct store_customer	 c;
	struct store_contact	 k;
	struct store_meeting	*ms = NULL;
	size_t			 nm = 0, i;
	json_object		*att, *one, *d;
	int			 idx;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_contact_get(pb->st, contact_id, &k, r) == -1 ||
	    store_customer_get(pb->st, k.customer_id, &c, r) == -1)
		return rules_rollback(pb);
	if ((k.receives_invites != 0) == (receives_invites != 0)) {
		result_set(r, RESULT_CONFLICT, "receives_invites",
		    "contact %" PRId64 " %s", contact_id, receives_invites ?
		    "already receives invites" : "already receives no invites");
		return rules_rollback(pb);
	}
	k.receives_invites = receives_invites;
	if (store_contact_update(pb->st, &k, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "email", rules_jstr(k.email));
	json_object_object_add(d, "receives_invites", json_object_new_boolean(receives_invites));
	if (rules_audit(pb, "contact.invites", "contact", k.id, c.id, d, r) == -1)
		return rules_rollback(pb);
	if (store_meeting_list_active(pb->st, c.id, &ms, &nm, r) == -1)
		return rules_rollback(pb);
	for (i = 0; i < nm; i++) {
		if ((att = json_tokener_parse(ms[i].attendees)) == NULL)
			att = json_object_new_array();
		idx = rules_attendees_index(att, k.email);
		if (receives_invites && idx < 0) {
			json_object_array_add(att, rules_person_json(k.name, k.email));
			if (rules_set_json_field(&ms[i].attendees, att, r) == -1 ||
			    rules_meeting_update_and_request(pb, &c, &ms[i], r) == -1)
				goto fail_att;
		} else if (!receives_invites && idx >= 0) {
			/* RFC 5546 3.2.5: the removed attendee gets a CANCEL of their own. */
			one = json_object_new_array();
			json_object_array_add(one, json_object_get(json_object_array_get_idx(att, (size_t)idx)));
			json_object_array_del_idx(att, (size_t)idx, 1);
			if (json_object_array_length(att) == 0) {
				json_object_put(one);
				if (rules_meeting_cancel_all(pb, &c, &ms[i],
				    "its last attendee stopped receiving invites", r) == -1)
					goto fail_att;
			} else {
				if (rules_set_json_field(&ms[i].attendees, att, r) == -1 ||
				    rules_meeting_update_and_request(pb, &c, &ms[i], r) == -1 ||
				    rules_queue_meeting_mail(pb, &c, &ms[i], "CANCEL", one, k.email, r) == -1) {
					json_object_put(one);
					goto fail_att;
				}
				json_object_put(one);
			}
		}
		json_object_put(att);
		continue;
fail_att:
		json_object_put(att);
		goto fail;
	}
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rules_commit(pb, r);
fail:
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rules_rollback(pb);
}

/* ---------------------------------------------------------------- handshake (rule 1) */

/*
 * For service s of customer c with a CSM: mark it CSM-led, ensure its FTOP
 * task and queue one handshake per customer, service and CSM.
 */
int
rules_handshake(const struct playbook *pb, const struct store_customer *c, struct store_service *s,
    struct result *r)
{
	const struct catalog_service *cs = catalog_service_find(s->service);
	const struct catalog_task *ct;
	struct store_outbox_new	 o;
	struct store_task	 t;
	json_object		*p, *cust, *contacts, *svcs, *blockers, *next, *to, *d;
	struct store_contact	*ks;
	size_t			 nk, i;
	char			 key[512];
	int			 created, inserted, rc;

	if (cs == NULL || !cs->modern_comms || c->csm_email[0] == '\0' ||
	    s->activated_on[0] == '\0')
		return 0;
	if (!s->csm_led) {
		s->csm_led = 1;
		if (store_service_upsert(pb->st, s, r) == -1)
			return -1;
	}
	if (cs->handshake_ftop) {
		memset(&t, 0, sizeof(t));
		t.customer_id = c->id;
		t.ftop_id = cs->handshake_ftop;
		text_copy(t.service, sizeof(t.service), s->service);
		ct = catalog_task_find(cs->handshake_ftop);
		t.required = ct ? ct->required : 0;
		if (store_task_ensure(pb->st, &t, pb->now, &created, r) == -1)
			return -1;
	}

	if (store_contact_list(pb->st, c->id, &ks, &nk, r) == -1)
		return -1;
	if (agenda_extras(pb, c->id, &blockers, &next, r) == -1) {
		free(ks);
		return -1;
	}
	cust = customer_json_brief(c);
	contacts = json_object_new_array();
	for (i = 0; i < nk; i++)
		json_object_array_add(contacts, rules_person_json(ks[i].name, ks[i].email));
	free(ks);
	json_object_object_add(cust, "contacts", contacts);
	svcs = json_object_new_array();
	json_object_array_add(svcs, service_agenda_json(s));
	p = json_object_new_object();
	json_object_object_add(p, "version", json_object_new_int(1));
	json_object_object_add(p, "customer", cust);
	json_object_object_add(p, "csm", rules_person_json(c->csm_name, c->csm_email));
	json_object_object_add(p, "services", svcs);
	json_object_object_add(p, "blockers", blockers);
	json_object_object_add(p, "next_action", next);
	json_object_object_add(p, "url", customer_url(c->id));
	to = json_object_new_array();
	json_object_array_add(to, rules_person_json(c->csm_name, c->csm_email));

	/* The key makes "never twice" a property of the data, not of the caller. */
	snprintf(key, sizeof(key), "handshake:%" PRId64 ":%s:%s", c->id, s->service, c->csm_email);
	for (i = 0; key[i]; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
	o.customer_id = c->id;
	o.kind = "handshake";
	o.dedupe_key = key;
	o.payload = rules_json_text(p);
	o.recipients = rules_json_text(to);
	rc = store_outbox_insert(pb->st, &o, pb->now, &inserted, r);
	json_object_put(p);
	json_object_put(to);
	if (rc == -1)
		return -1;
	if (inserted) {
		d = json_object_new_object();
		json_object_object_add(d, "service", rules_jstr(s->service));
		json_object_object_add(d, "csm_email", rules_jstr(c->csm_email));
		if (rules_audit(pb, "handshake.queue", "customer_service", s->id, c->id, d, r) == -1)
			return -1;
	}
	return 0;
}
