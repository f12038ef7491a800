/*
 * playbook.c -- the seven rules of PLAYBOOK.md.  Every action checks its
 * input before it touches the store, then writes the change, an audit row and
 * the outbox rows of the notifications it causes in one transaction, so a
 * refused call changes nothing and an acknowledged one cannot lose its mail.
 */
#include "autoconfig.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "catalog.h"
#include "fields.h"
#include "playbook.h"
#include "present.h"
#include "text.h"
#include "usagecsv.h"


/* ---------------------------------------------------------------- validation */

/*
 * Text from a person against its spec (fields.h), by the same field_check
 * the forms and the JSON API use, so a limit or a screen cannot disagree.
 * Precondition of every action: its text was checked against these specs
 * (the web forms and the API do it, with messages for people).  This guard
 * keeps callers that skip the form (tools, tests) from storing what a form
 * would refuse; it adds no rule of its own.
 */
static int
check_field(struct result *r, const struct field_spec *fs, const char *v, int required)
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

static int
check_email(struct result *r, const char *field, const char *v)
{
	if (v == NULL || *v == '\0')
		return result_set(r, RESULT_INVALID, field, "%s is required", field);
	if (!text_header_safe(v, strlen(v)) || !text_email_valid(v))
		return result_set(r, RESULT_INVALID, field, "\"%.100s\" is not a valid e-mail address", v);
	return 0;
}

static int
check_date(struct result *r, const char *field, const char *v, int32_t *day)
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

static const struct catalog_service *
check_service(struct result *r, const char *v)
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

static const char *
service_title(const char *key)
{
	const struct catalog_service *cs = catalog_service_find(key);

	return cs ? cs->title[CATALOG_EN] : key;
}

/* Today in the customer's zone: "no future dates" means the customer's calendar. */
static int32_t
customer_today(const struct playbook *pb, const struct store_customer *c)
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
static int
service_met(const struct store_service *s)
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
static int
fm_covers(const struct store_service *s)
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
static enum playbook_phase
customer_phase(const struct store_customer *c)
{
	enum playbook_phase p;

	return playbook_phase_parse(c->phase, &p) == 0 ? p : PLAYBOOK_PHASE_SUCCESS_REVIEW;
}

/* ---------------------------------------------------------------- transactions */

static int
begin(const struct playbook *pb, struct result *r)
{
	if (pb == NULL || pb->st == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: no store");
	if (pb->actor == NULL || *pb->actor == '\0')
		return result_set(r, RESULT_INVALID, "actor", "no user is acting (REMOTE_USER empty)");
	return store_begin(pb->st, r);
}

static int
commit(const struct playbook *pb, struct result *r)
{
	return store_commit(pb->st, r);
}

static int
rollback(const struct playbook *pb)
{
	store_rollback(pb->st);
	return -1;
}

/* Write an audit row; details (may be NULL) is consumed. */
static int
audit(const struct playbook *pb, const char *action, const char *entity, int64_t entity_id,
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

static const char *
json_text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

static json_object *
jstr(const char *s)
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
static int
customer_in_execution(const struct playbook *pb, int64_t id, struct store_customer *c,
    struct result *r)
{
	if (store_customer_get(pb->st, id, c, r) == -1)
		return -1;
	if (customer_phase(c) != PLAYBOOK_PHASE_EXECUTION)
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
	json_object_object_add(o, "name", jstr(c->name));
	json_object_object_add(o, "tenant_domain", jstr(c->tenant_domain));
	json_object_object_add(o, "timezone", jstr(c->timezone));
	return o;
}

static json_object *
service_agenda_json(const struct store_service *s)
{
	json_object	*o = json_object_new_object();
	double		 au = playbook_au_percent(s->latest_active, s->latest_eligible);
	const struct catalog_service *cs = catalog_service_find(s->service);

	json_object_object_add(o, "key", jstr(s->service));
	json_object_object_add(o, "title", jstr(service_title(s->service)));
	json_object_object_add(o, "activated_on", s->activated_on[0] ? jstr(s->activated_on) : NULL);
	json_object_object_add(o, "au_percent", s->latest_on[0] && au >= 0 ?
	    playbook_json_percent(au) : NULL);
	json_object_object_add(o, "target_percent", playbook_json_percent(s->target_percent));
	json_object_object_add(o, "custom_metric", s->custom_metric[0] ? jstr(s->custom_metric) : NULL);
	json_object_object_add(o, "measured_on", s->latest_on[0] ? jstr(s->latest_on) : NULL);
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
		json_object_object_add(o, "description", jstr(bl[i].description));
		json_object_object_add(o, "owner", jstr(bl[i].owner));
		json_object_object_add(o, "l2_reason", jstr(bl[i].l2_reason));
		l2 = catalog_l2_find(bl[i].l2_reason);
		json_object_object_add(o, "l2_title", l2 ? jstr(l2->title[CATALOG_EN]) : NULL);
		json_object_object_add(o, "service", bl[i].service[0] ? jstr(bl[i].service) : NULL);
		json_object_object_add(o, "opened_on", jstr(bl[i].opened_on));
		json_object_array_add(*blockers, o);
	}
	free(bl);
	if (store_checkin_latest(pb->st, customer_id, &k, r) == 0) {
		o = json_object_new_object();
		json_object_object_add(o, "text", jstr(k.next_action));
		json_object_object_add(o, "on", jstr(k.next_action_on));
		json_object_object_add(o, "owner", jstr(k.next_action_owner));
		json_object_object_add(o, "held_on", jstr(k.held_on));
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
	return jstr(url);
}

/*
 * The invite/cancel payload of docs/notifications.md for a series as it is
 * in m, sent to `to` (the attendees, or one removed attendee).
 */
static json_object *
invite_payload(const struct playbook *pb, const struct store_customer *c,
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
	json_object_object_add(p, "method", jstr(method));
	json_object_object_add(p, "customer", customer_json_brief(c));
	meet = json_object_new_object();
	json_object_object_add(meet, "id", json_object_new_int64(m->id));
	json_object_object_add(meet, "uid", jstr(m->uid));
	json_object_object_add(meet, "sequence", json_object_new_int(m->sequence));
	json_object_object_add(meet, "status", jstr(strcmp(method, "CANCEL") == 0 ?
	    "CANCELLED" : "CONFIRMED"));
	json_object_object_add(meet, "starts_at", jstr(m->starts_at));
	json_object_object_add(meet, "timezone", jstr(m->timezone));
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
static int
queue_meeting_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, json_object *to, const char *who,
    struct result *r)
{
	struct store_outbox_new	 o;
	json_object		*p;
	char			 key[256];
	int			 inserted, rc;

	if ((p = invite_payload(pb, c, m, method, to, r)) == NULL)
		return -1;
	if (who != NULL)
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:cancel:%s", m->id, m->sequence, who);
	else
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:%s", m->id, m->sequence,
		    strcmp(method, "CANCEL") == 0 ? "cancel" : "request");
	o.customer_id = c->id;
	o.kind = strcmp(method, "CANCEL") == 0 ? "cancel" : "invite";
	o.dedupe_key = key;
	o.payload = json_text(p);
	o.recipients = json_text(to);
	rc = store_outbox_insert(pb->st, &o, pb->now, &inserted, r);
	json_object_put(p);
	return rc;
}

/* ---------------------------------------------------------------- customers */

static int
check_customer_input(const struct playbook_customer_input *in, int creating, struct result *r)
{
	if ((creating || in->name) && check_field(r, &field_customer_name, in->name, 1) == -1)
		return -1;
	if ((creating || in->tenant_domain) && check_domain(r, in->tenant_domain) == -1)
		return -1;
	if ((creating || in->timezone) && check_timezone(r, in->timezone) == -1)
		return -1;
	if (in->owner_fm && check_field(r, &field_owner_fm, in->owner_fm, 0) == -1)
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
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_insert(pb->st, &c, pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "name", jstr(c.name));
	json_object_object_add(d, "tenant_domain", jstr(c.tenant_domain));
	json_object_object_add(d, "timezone", jstr(c.timezone));
	if (audit(pb, "customer.create", "customer", c.id, c.id, d, r) == -1)
		return rollback(pb);
	if (commit(pb, r) == -1)
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
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, id, &c, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	if (in->name) {
		text_copy(c.name, sizeof(c.name), in->name);
		json_object_object_add(d, "name", jstr(in->name));
	}
	if (in->tenant_domain) {
		text_copy(c.tenant_domain, sizeof(c.tenant_domain), in->tenant_domain);
		json_object_object_add(d, "tenant_domain", jstr(in->tenant_domain));
	}
	if (in->timezone) {
		text_copy(c.timezone, sizeof(c.timezone), in->timezone);
		json_object_object_add(d, "timezone", jstr(in->timezone));
	}
	if (in->owner_fm && *in->owner_fm) {
		text_copy(c.owner_fm, sizeof(c.owner_fm), in->owner_fm);
		json_object_object_add(d, "owner_fm", jstr(in->owner_fm));
	}
	if (in->cadence_weeks) {
		c.cadence_weeks = in->cadence_weeks;
		json_object_object_add(d, "cadence_weeks", json_object_new_int(in->cadence_weeks));
	}
	if (store_customer_update(pb->st, &c, pb->now, r) == -1) {
		json_object_put(d);
		return rollback(pb);
	}
	if (audit(pb, "customer.edit", "customer", id, id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

/* ---------------------------------------------------------------- series attendees */

/* Does the JSON attendee array contain email (case-insensitive)? */
static int
attendees_index(json_object *arr, const char *email)
{
	json_object	*a, *v;
	size_t		 i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		a = json_object_array_get_idx(arr, i);
		if (json_object_object_get_ex(a, "email", &v) &&
		    strcasecmp(json_object_get_string(v), email) == 0)
			return (int)i;
	}
	return -1;
}

static json_object *
person_json(const char *name, const char *email)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", jstr(name));
	json_object_object_add(o, "email", jstr(email));
	return o;
}

/* Replace the malloc'd JSON text field *dst with the text of o. */
static int
set_json_field(char **dst, json_object *o, struct result *r)
{
	char *p = strdup(json_text(o));

	if (p == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: out of memory");
	free(*dst);
	*dst = p;
	return 0;
}

/* Bump the series, store it and send the REQUEST to its current attendees. */
static int
meeting_update_and_request(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, struct result *r)
{
	json_object	*to;
	int		 rc;

	m->sequence++;
	if (store_meeting_update(pb->st, m, pb->now, r) == -1)
		return -1;
	if ((to = json_tokener_parse(m->attendees)) == NULL)
		return result_set(r, RESULT_IO, NULL, "meeting %" PRId64 ": attendees are not JSON", m->id);
	rc = queue_meeting_mail(pb, c, m, "REQUEST", to, NULL, r);
	json_object_put(to);
	return rc;
}

/* Cancel series m for all its attendees (SEQUENCE + 1, METHOD:CANCEL; RFC 5546 3.2.5). */
static int
meeting_cancel_all(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const char *why, struct result *r)
{
	json_object	*to, *d;
	int		 rc;

	m->sequence++;
	text_copy(m->status, sizeof(m->status), "cancelled");
	if (store_meeting_update(pb->st, m, pb->now, r) == -1)
		return -1;
	if ((to = json_tokener_parse(m->attendees)) == NULL)
		return result_set(r, RESULT_IO, NULL, "meeting %" PRId64 ": attendees are not JSON", m->id);
	rc = queue_meeting_mail(pb, c, m, "CANCEL", to, NULL, r);
	json_object_put(to);
	if (rc == -1)
		return -1;
	d = json_object_new_object();
	json_object_object_add(d, "uid", jstr(m->uid));
	json_object_object_add(d, "sequence", json_object_new_int(m->sequence));
	json_object_object_add(d, "reason", jstr(why));
	return audit(pb, "meeting.cancel", "meeting", m->id, c->id, d, r);
}

/*
 * Rule 2 after a service became CSM-led: each scheduled series keeps only
 * the services the FM still covers; one left with none is cancelled.
 */
static int
series_apply_suppression(const struct playbook *pb, const struct store_customer *c,
    struct result *r)
{
	struct store_meeting	*ms = NULL;
	struct store_service	*svcs = NULL;
	size_t			 nm, ns, i, k, j;
	json_object		*covered, *keep;
	int			 rc = -1;

	if (store_meeting_list_active(pb->st, c->id, &ms, &nm, r) == -1)
		return -1;
	if (store_service_list(pb->st, c->id, &svcs, &ns, r) == -1)
		goto out;
	for (i = 0; i < nm; i++) {
		if ((covered = json_tokener_parse(ms[i].services)) == NULL)
			covered = json_object_new_array();
		keep = json_object_new_array();
		for (k = 0; k < json_object_array_length(covered); k++) {
			const char *key = json_object_get_string(json_object_array_get_idx(covered, k));

			for (j = 0; j < ns; j++)
				if (strcmp(svcs[j].service, key) == 0 && fm_covers(&svcs[j]))
					json_object_array_add(keep, jstr(key));
		}
		if (json_object_array_length(keep) == 0) {
			json_object_put(covered);
			json_object_put(keep);
			if (meeting_cancel_all(pb, c, &ms[i],
			    "every service the series covered is now CSM-led", r) == -1)
				goto out;
			continue;
		}
		if (json_object_array_length(keep) != json_object_array_length(covered)) {
			/* Coverage narrowed: the agenda changes, the meeting does not. */
			if (set_json_field(&ms[i].services, keep, r) == -1 ||
			    store_meeting_update(pb->st, &ms[i], pb->now, r) == -1) {
				json_object_put(covered);
				json_object_put(keep);
				goto out;
			}
		}
		json_object_put(covered);
		json_object_put(keep);
	}
	rc = 0;
out:
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	free(svcs);
	return rc;
}

/* A newly activated FM-covered service joins the agenda of every scheduled series. */
static int
series_add_service(const struct playbook *pb, int64_t customer_id, const char *service,
    struct result *r)
{
	struct store_meeting	*ms = NULL;
	size_t			 nm, i, k;
	json_object		*covered;
	int			 rc = 0, found;

	if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
		return -1;
	for (i = 0; i < nm && rc == 0; i++) {
		if ((covered = json_tokener_parse(ms[i].services)) == NULL)
			covered = json_object_new_array();
		for (found = 0, k = 0; k < json_object_array_length(covered); k++)
			if (strcmp(json_object_get_string(json_object_array_get_idx(covered, k)),
			    service) == 0)
				found = 1;
		if (!found) {
			json_object_array_add(covered, jstr(service));
			if (set_json_field(&ms[i].services, covered, r) == -1 ||
			    store_meeting_update(pb->st, &ms[i], pb->now, r) == -1)
				rc = -1;
		}
		json_object_put(covered);
	}
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rc;
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

	if (check_field(r, &field_contact_name, name, 1) == -1 ||
	    check_email(r, "email", email) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rollback(pb);
	memset(&k, 0, sizeof(k));
	k.customer_id = customer_id;
	text_copy(k.name, sizeof(k.name), name);
	text_copy(k.email, sizeof(k.email), email);
	k.receives_invites = receives_invites;
	if (store_contact_insert(pb->st, &k, pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "name", jstr(name));
	json_object_object_add(d, "email", jstr(email));
	if (audit(pb, "contact.add", "contact", k.id, customer_id, d, r) == -1)
		return rollback(pb);

	/* RFC 5546 3.2.2: a new attendee is added by a REQUEST to everyone, SEQUENCE + 1. */
	if (receives_invites) {
		if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
			return rollback(pb);
		for (i = 0; i < nm; i++) {
			if ((att = json_tokener_parse(ms[i].attendees)) == NULL)
				att = json_object_new_array();
			json_object_array_add(att, person_json(name, email));
			if (set_json_field(&ms[i].attendees, att, r) == -1 ||
			    meeting_update_and_request(pb, &c, &ms[i], r) == -1) {
				json_object_put(att);
				goto fail;
			}
			json_object_put(att);
		}
	}
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	if (commit(pb, r) == -1)
		return -1;
	if (id)
		*id = k.id;
	return 0;
fail:
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rollback(pb);
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

	if (begin(pb, r) == -1)
		return -1;
	if (store_contact_get(pb->st, contact_id, &k, r) == -1 ||
	    store_customer_get(pb->st, k.customer_id, &c, r) == -1)
		return rollback(pb);
	if ((k.receives_invites != 0) == (receives_invites != 0)) {
		result_set(r, RESULT_CONFLICT, "receives_invites",
		    "contact %" PRId64 " %s", contact_id, receives_invites ?
		    "already receives invites" : "already receives no invites");
		return rollback(pb);
	}
	k.receives_invites = receives_invites;
	if (store_contact_update(pb->st, &k, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "email", jstr(k.email));
	json_object_object_add(d, "receives_invites", json_object_new_boolean(receives_invites));
	if (audit(pb, "contact.invites", "contact", k.id, c.id, d, r) == -1)
		return rollback(pb);
	if (store_meeting_list_active(pb->st, c.id, &ms, &nm, r) == -1)
		return rollback(pb);
	for (i = 0; i < nm; i++) {
		if ((att = json_tokener_parse(ms[i].attendees)) == NULL)
			att = json_object_new_array();
		idx = attendees_index(att, k.email);
		if (receives_invites && idx < 0) {
			json_object_array_add(att, person_json(k.name, k.email));
			if (set_json_field(&ms[i].attendees, att, r) == -1 ||
			    meeting_update_and_request(pb, &c, &ms[i], r) == -1)
				goto fail_att;
		} else if (!receives_invites && idx >= 0) {
			/* RFC 5546 3.2.5: the removed attendee gets a CANCEL of their own. */
			one = json_object_new_array();
			json_object_array_add(one, json_object_get(json_object_array_get_idx(att, (size_t)idx)));
			json_object_array_del_idx(att, (size_t)idx, 1);
			if (json_object_array_length(att) == 0) {
				json_object_put(one);
				if (meeting_cancel_all(pb, &c, &ms[i],
				    "its last attendee stopped receiving invites", r) == -1)
					goto fail_att;
			} else {
				if (set_json_field(&ms[i].attendees, att, r) == -1 ||
				    meeting_update_and_request(pb, &c, &ms[i], r) == -1 ||
				    queue_meeting_mail(pb, &c, &ms[i], "CANCEL", one, k.email, r) == -1) {
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
	return commit(pb, r);
fail:
	for (i = 0; i < nm; i++)
		store_meeting_free(&ms[i]);
	free(ms);
	return rollback(pb);
}

/* ---------------------------------------------------------------- handshake (rule 1) */

/*
 * For service s of customer c with a CSM: mark it CSM-led, ensure its FTOP
 * task and queue one handshake per customer, service and CSM.
 */
static int
handshake(const struct playbook *pb, const struct store_customer *c, struct store_service *s,
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
		json_object_array_add(contacts, person_json(ks[i].name, ks[i].email));
	free(ks);
	json_object_object_add(cust, "contacts", contacts);
	svcs = json_object_new_array();
	json_object_array_add(svcs, service_agenda_json(s));
	p = json_object_new_object();
	json_object_object_add(p, "version", json_object_new_int(1));
	json_object_object_add(p, "customer", cust);
	json_object_object_add(p, "csm", person_json(c->csm_name, c->csm_email));
	json_object_object_add(p, "services", svcs);
	json_object_object_add(p, "blockers", blockers);
	json_object_object_add(p, "next_action", next);
	json_object_object_add(p, "url", customer_url(c->id));
	to = json_object_new_array();
	json_object_array_add(to, person_json(c->csm_name, c->csm_email));

	/* The key makes "never twice" a property of the data, not of the caller. */
	snprintf(key, sizeof(key), "handshake:%" PRId64 ":%s:%s", c->id, s->service, c->csm_email);
	for (i = 0; key[i]; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
	o.customer_id = c->id;
	o.kind = "handshake";
	o.dedupe_key = key;
	o.payload = json_text(p);
	o.recipients = json_text(to);
	rc = store_outbox_insert(pb->st, &o, pb->now, &inserted, r);
	json_object_put(p);
	json_object_put(to);
	if (rc == -1)
		return -1;
	if (inserted) {
		d = json_object_new_object();
		json_object_object_add(d, "service", jstr(s->service));
		json_object_object_add(d, "csm_email", jstr(c->csm_email));
		if (audit(pb, "handshake.queue", "customer_service", s->id, c->id, d, r) == -1)
			return -1;
	}
	return 0;
}

/* ---------------------------------------------------------------- services */

int
playbook_service_activate(const struct playbook *pb, int64_t customer_id,
    const struct playbook_service_input *in, struct result *r)
{
	const struct catalog_service *cs;
	struct store_customer	 c;
	struct store_service	 s;
	int32_t			 day, today;
	int			 exists;
	json_object		*d;

	if ((cs = check_service(r, in->service)) == NULL)
		return -1;
	if (in->activated_on && *in->activated_on &&
	    check_date(r, "activated_on", in->activated_on, &day) == -1)
		return -1;
	if (in->target_percent != 0 && (in->target_percent < 0.1 || in->target_percent > 100 ||
	    isnan(in->target_percent)))
		return result_set(r, RESULT_INVALID, "target_percent",
		    "target_percent must be between 0.1 and 100, not %g", in->target_percent);
	if (in->custom_metric && check_field(r, &field_custom_metric, in->custom_metric, 0) == -1)
		return -1;
	if (in->licensed_users < -1 || in->licensed_users > 100000000)
		return result_set(r, RESULT_INVALID, "licensed_users",
		    "licensed_users must be 0 to 100000000, not %lld", in->licensed_users);
	if (begin(pb, r) == -1)
		return -1;
	if (customer_in_execution(pb, customer_id, &c, r) == -1)
		return rollback(pb);
	if (in->activated_on && *in->activated_on) {
		today = customer_today(pb, &c);
		if (day > today) {
			result_set(r, RESULT_INVALID, "activated_on",
			    "activated_on %s is in the future (today is later in the customer's zone)",
			    in->activated_on);
			return rollback(pb);
		}
	}
	exists = store_service_get(pb->st, customer_id, cs->key, &s, r) == 0;
	if (!exists) {
		if (r->code != RESULT_NOTFOUND)
			return rollback(pb);
		result_clear(r);
		memset(&s, 0, sizeof(s));
		s.customer_id = customer_id;
		text_copy(s.service, sizeof(s.service), cs->key);
		s.licensed_users = -1;
		s.target_percent = PLAYBOOK_DEFAULT_TARGET;
	} else if (s.activated_on[0] != '\0') {
		result_set(r, RESULT_CONFLICT, "service", "%s was already activated on %s",
		    cs->title[CATALOG_EN], s.activated_on);
		return rollback(pb);
	} else if (!(in->activated_on && *in->activated_on)) {
		result_set(r, RESULT_CONFLICT, "service", "%s is already an intended service",
		    cs->title[CATALOG_EN]);
		return rollback(pb);
	}
	s.intended = 1;
	if (in->activated_on)
		text_copy(s.activated_on, sizeof(s.activated_on), in->activated_on);
	if (in->target_percent != 0)
		s.target_percent = in->target_percent;
	if (in->custom_metric)
		text_copy(s.custom_metric, sizeof(s.custom_metric), in->custom_metric);
	if (in->licensed_users >= 0)
		s.licensed_users = in->licensed_users;
	if (store_service_upsert(pb->st, &s, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "service", jstr(cs->key));
	json_object_object_add(d, "activated_on", s.activated_on[0] ? jstr(s.activated_on) : NULL);
	if (audit(pb, s.activated_on[0] ? "service.activate" : "service.intend",
	    "customer_service", s.id, customer_id, d, r) == -1)
		return rollback(pb);
	if (s.activated_on[0] != '\0') {
		if (cs->modern_comms && c.csm_email[0] != '\0') {
			if (handshake(pb, &c, &s, r) == -1 ||
			    series_apply_suppression(pb, &c, r) == -1)
				return rollback(pb);
		} else if (series_add_service(pb, customer_id, cs->key, r) == -1)
			return rollback(pb);
	}
	return commit(pb, r);
}

int
playbook_service_target(const struct playbook *pb, int64_t customer_id, const char *service,
    double target_percent, const char *custom_metric, int custom_metric_met, struct result *r)
{
	struct store_customer	 c;
	struct store_service	 s;
	json_object		*d;

	if (check_service(r, service) == NULL)
		return -1;
	if (target_percent != 0 && (target_percent < 0.1 || target_percent > 100 ||
	    isnan(target_percent)))
		return result_set(r, RESULT_INVALID, "target_percent",
		    "target_percent must be between 0.1 and 100, not %g", target_percent);
	if (custom_metric && check_field(r, &field_custom_metric, custom_metric, 0) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1 ||
	    store_service_get(pb->st, customer_id, service, &s, r) == -1)
		return rollback(pb);
	if (target_percent != 0)
		s.target_percent = target_percent;
	if (custom_metric)
		text_copy(s.custom_metric, sizeof(s.custom_metric), custom_metric);
	s.custom_metric_met = s.custom_metric[0] ? custom_metric_met : 0;
	if (store_service_upsert(pb->st, &s, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "service", jstr(service));
	json_object_object_add(d, "target_percent", playbook_json_percent(s.target_percent));
	json_object_object_add(d, "custom_metric", jstr(s.custom_metric));
	json_object_object_add(d, "custom_metric_met", json_object_new_boolean(s.custom_metric_met));
	if (audit(pb, "service.target", "customer_service", s.id, customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_csm_assign(const struct playbook *pb, int64_t customer_id, const char *name,
    const char *email, struct result *r)
{
	struct store_customer	 c;
	struct store_service	*svcs = NULL;
	size_t			 n, i;
	json_object		*d;
	char			 old[255];

	if (check_field(r, &field_csm_name, name, 1) == -1 ||
	    check_email(r, "email", email) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (customer_in_execution(pb, customer_id, &c, r) == -1)
		return rollback(pb);
	text_copy(old, sizeof(old), c.csm_email);
	text_copy(c.csm_name, sizeof(c.csm_name), name);
	text_copy(c.csm_email, sizeof(c.csm_email), email);
	if (store_customer_update(pb->st, &c, pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "name", jstr(name));
	json_object_object_add(d, "email", jstr(email));
	if (old[0])
		json_object_object_add(d, "replaces", jstr(old));
	if (audit(pb, old[0] ? "csm.replace" : "csm.assign", "customer", customer_id,
	    customer_id, d, r) == -1)
		return rollback(pb);
	/* Rule 1, late: every Modern Comms service already live is handed over now. */
	if (store_service_list(pb->st, customer_id, &svcs, &n, r) == -1)
		return rollback(pb);
	for (i = 0; i < n; i++)
		if (handshake(pb, &c, &svcs[i], r) == -1) {
			free(svcs);
			return rollback(pb);
		}
	free(svcs);
	if (series_apply_suppression(pb, &c, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

/* Create the catalog tasks of an activity for a service; count what was new. */
static int
ensure_tasks(const struct playbook *pb, int64_t customer_id, enum catalog_activity act,
    const char *service, int *created_any, struct result *r)
{
	const struct catalog_task	*ts[16];
	struct store_task		 t;
	size_t				 n, i;
	int				 created;

	*created_any = 0;
	n = catalog_tasks_of(act, service, ts, 16);
	for (i = 0; i < n; i++) {
		memset(&t, 0, sizeof(t));
		t.customer_id = customer_id;
		t.ftop_id = ts[i]->ftop_id;
		text_copy(t.service, sizeof(t.service), service ? service : "");
		t.required = ts[i]->required;
		if (store_task_ensure(pb->st, &t, pb->now, &created, r) == -1)
			return -1;
		*created_any |= created;
	}
	return (int)n;
}

/*
 * Rules 4 and 5 share one shape: the service must be intended, the program
 * is joined once, its catalog tasks are created, the flag is kept on the
 * service.  `accelerator` picks which program.
 */
static int
program_enrol(const struct playbook *pb, int64_t customer_id, const char *service,
    int accelerator, struct result *r)
{
	const struct catalog_service *cs;
	struct store_customer	 c;
	struct store_service	 s;
	int			 created, *flag;
	json_object		*d;
	const char		*what = accelerator ? "accelerator" : "adoption program";

	if ((cs = check_service(r, service)) == NULL)
		return -1;
	if (accelerator ? !cs->accelerator_ftop : !cs->adoption_program)
		return result_set(r, RESULT_INVALID, "service",
		    "the catalog offers no %s for %s", what, cs->title[CATALOG_EN]);
	if (begin(pb, r) == -1)
		return -1;
	if (customer_in_execution(pb, customer_id, &c, r) == -1)
		return rollback(pb);
	if (store_service_get(pb->st, customer_id, cs->key, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "add %s as an intended service before its %s", cs->title[CATALOG_EN], what);
		return rollback(pb);
	}
	flag = accelerator ? &s.accelerator : &s.adoption_program;
	if (*flag) {
		result_set(r, RESULT_CONFLICT, "service", "the %s of %s was already %s",
		    what, cs->title[CATALOG_EN], accelerator ? "requested" : "joined");
		return rollback(pb);
	}
	*flag = 1;
	if (store_service_upsert(pb->st, &s, r) == -1 ||
	    ensure_tasks(pb, customer_id, accelerator ? CATALOG_ACT_ACCELERATOR :
	    CATALOG_ACT_ADOPTION, cs->key, &created, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "service", jstr(cs->key));
	if (audit(pb, accelerator ? "accelerator.request" : "adoption.join", "customer_service",
	    s.id, customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_adoption_join(const struct playbook *pb, int64_t customer_id, const char *service,
    struct result *r)
{
	return program_enrol(pb, customer_id, service ? service : "onedrive", 0, r);
}

int
playbook_accelerator_request(const struct playbook *pb, int64_t customer_id,
    const char *service, struct result *r)
{
	return program_enrol(pb, customer_id, service, 1, r);
}

/* ---------------------------------------------------------------- progress */

/* Check one AU sample against the rules; the customer row must be loaded. */
static int
usage_check(const struct playbook *pb, const struct store_customer *c, const char *service,
    const char *measured_on, long long active, long long eligible,
    const struct catalog_service **csp, struct result *r)
{
	int32_t day;

	if ((*csp = check_service(r, service)) == NULL ||
	    check_date(r, "measured_on", measured_on, &day) == -1)
		return -1;
	if (eligible <= 0)
		return result_set(r, RESULT_INVALID, "eligible_users",
		    "eligible_users must be greater than 0, not %lld", eligible);
	if (active < 0)
		return result_set(r, RESULT_INVALID, "active_users",
		    "active_users must not be negative (%lld)", active);
	if (active > eligible)
		return result_set(r, RESULT_INVALID, "active_users",
		    "active_users (%lld) cannot exceed eligible_users (%lld)", active, eligible);
	if (day > customer_today(pb, c))
		return result_set(r, RESULT_INVALID, "measured_on",
		    "measured_on %s is in the future for the customer's time zone %s",
		    measured_on, c->timezone);
	return 0;
}

/* Write a checked sample and its audit row (inside the caller's transaction). */
static int
usage_put(const struct playbook *pb, int64_t customer_id, const struct store_service *s,
    const char *measured_on, long long active, long long eligible, const char *source,
    struct result *r)
{
	struct store_usage	 u;
	json_object		*d;

	memset(&u, 0, sizeof(u));
	u.customer_id = customer_id;
	text_copy(u.service, sizeof(u.service), s->service);
	text_copy(u.measured_on, sizeof(u.measured_on), measured_on);
	u.active_users = active;
	u.eligible_users = eligible;
	text_copy(u.source, sizeof(u.source), source && *source ? source : "manual");
	if (store_usage_put(pb->st, &u, pb->now, r) == -1)
		return -1;
	d = json_object_new_object();
	json_object_object_add(d, "service", jstr(s->service));
	json_object_object_add(d, "measured_on", jstr(measured_on));
	json_object_object_add(d, "active_users", json_object_new_int64(active));
	json_object_object_add(d, "eligible_users", json_object_new_int64(eligible));
	json_object_object_add(d, "source", jstr(u.source));
	return audit(pb, "usage.record", "customer_service", s->id, customer_id, d, r);
}

int
playbook_usage_record(const struct playbook *pb, int64_t customer_id, const char *service,
    const char *measured_on, long long active, long long eligible, const char *source,
    struct result *r)
{
	const struct catalog_service *cs;
	struct store_customer	 c;
	struct store_service	 s;
	int32_t			 day;

	/* Shape first (no store access), then the rules that need the customer. */
	if (check_service(r, service) == NULL ||
	    check_date(r, "measured_on", measured_on, &day) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1 ||
	    usage_check(pb, &c, service, measured_on, active, eligible, &cs, r) == -1)
		return rollback(pb);
	if (store_service_get(pb->st, customer_id, cs->key, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "%s is not an intended service of this customer", cs->title[CATALOG_EN]);
		return rollback(pb);
	}
	if (usage_put(pb, customer_id, &s, measured_on, active, eligible, source, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_usage_import(const struct playbook *pb, int64_t customer_id,
    const struct usagecsv_sample *samples, size_t n, int dry_run, json_object **report,
    size_t *imported, struct result *r)
{
	const struct catalog_service *cs;
	struct store_customer	 c;
	struct store_service	 s;
	json_object		*arr = NULL, *o;
	size_t			 i, ok = 0;
	long long		 eligible;
	double			 au;

	*report = NULL;
	*imported = 0;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rollback(pb);
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		const char *why = NULL;

		eligible = samples[i].active + samples[i].inactive;
		o = json_object_new_object();
		json_object_object_add(o, "service", jstr(samples[i].service));
		json_object_object_add(o, "title", jstr(service_title(samples[i].service)));
		json_object_object_add(o, "measured_on", jstr(samples[i].measured_on));
		json_object_object_add(o, "active_users", json_object_new_int64(samples[i].active));
		json_object_object_add(o, "inactive_users", json_object_new_int64(samples[i].inactive));
		json_object_object_add(o, "eligible_users", json_object_new_int64(eligible));
		au = playbook_au_percent(samples[i].active, eligible);
		json_object_object_add(o, "au_percent", playbook_json_percent(au));
		if (store_service_get(pb->st, customer_id, samples[i].service, &s, r) == -1) {
			if (r->code != RESULT_NOTFOUND) {
				json_object_put(o);
				goto fail;
			}
			result_clear(r);
			why = "not an intended service of this customer";
		} else if (usage_check(pb, &c, samples[i].service, samples[i].measured_on,
		    samples[i].active, eligible, &cs, r) == -1) {
			/* A bad line refuses the whole import: nothing half-applied. */
			json_object_put(o);
			goto fail;
		}
		json_object_object_add(o, "import", json_object_new_boolean(why == NULL));
		if (why)
			json_object_object_add(o, "skip_reason", jstr(why));
		json_object_array_add(arr, o);
		if (why == NULL) {
			if (!dry_run && usage_put(pb, customer_id, &s, samples[i].measured_on,
			    samples[i].active, eligible, "csv", r) == -1)
				goto fail;
			ok++;
		}
	}
	if (ok == 0 && !dry_run) {
		result_set(r, RESULT_INVALID, "file",
		    "the report has no line for a service this customer intends");
		goto fail;
	}
	if (dry_run) {
		store_rollback(pb->st);
	} else if (commit(pb, r) == -1) {
		json_object_put(arr);
		return -1;
	}
	*report = arr;
	*imported = ok;
	return 0;
fail:
	json_object_put(arr);
	return rollback(pb);
}

int
playbook_checkin_log(const struct playbook *pb, int64_t customer_id,
    const struct playbook_checkin_input *in, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_checkin	 k;
	struct store_service	*svcs = NULL;
	size_t			 ns, i, j;
	int32_t			 held, next;
	json_object		*arr, *d;

	if (check_date(r, "held_on", in->held_on, &held) == -1 ||
	    check_field(r, &field_checkin_summary, in->summary, 0) == -1 ||
	    check_field(r, &field_next_action, in->next_action, 1) == -1 ||
	    check_date(r, "next_action_on", in->next_action_on, &next) == -1 ||
	    check_field(r, &field_next_action_owner, in->next_action_owner, 1) == -1)
		return -1;
	if (next < held)
		return result_set(r, RESULT_INVALID, "next_action_on",
		    "the next action's date %s is before the meeting (%s)", in->next_action_on,
		    in->held_on);
	if (in->n_services > 16)
		return result_set(r, RESULT_INVALID, "services", "too many services (%zu)", in->n_services);
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rollback(pb);
	if (held > customer_today(pb, &c)) {
		result_set(r, RESULT_INVALID, "held_on",
		    "held_on %s is in the future: log a check-in after it happened", in->held_on);
		return rollback(pb);
	}
	if (store_service_list(pb->st, customer_id, &svcs, &ns, r) == -1)
		return rollback(pb);
	arr = json_object_new_array();
	for (i = 0; i < in->n_services; i++) {
		for (j = 0; j < ns; j++)
			if (strcmp(svcs[j].service, in->services[i]) == 0 && fm_covers(&svcs[j]))
				break;
		if (j == ns) {
			result_set(r, RESULT_INVALID, "services",
			    "\"%.40s\" is not a live service the FM covers for this customer "
			    "(CSM-led services are the CSM's)", in->services[i]);
			free(svcs);
			json_object_put(arr);
			return rollback(pb);
		}
		json_object_array_add(arr, jstr(in->services[i]));
	}
	free(svcs);
	memset(&k, 0, sizeof(k));
	k.customer_id = customer_id;
	text_copy(k.held_on, sizeof(k.held_on), in->held_on);
	text_copy(k.held_by, sizeof(k.held_by), pb->actor);
	text_copy(k.summary, sizeof(k.summary), in->summary ? in->summary : "");
	text_copy(k.next_action, sizeof(k.next_action), in->next_action);
	text_copy(k.next_action_on, sizeof(k.next_action_on), in->next_action_on);
	text_copy(k.next_action_owner, sizeof(k.next_action_owner), in->next_action_owner);
	text_copy(k.services, sizeof(k.services), json_text(arr));
	if (store_checkin_insert(pb->st, &k, pb->now, r) == -1) {
		json_object_put(arr);
		return rollback(pb);
	}
	d = json_object_new_object();
	json_object_object_add(d, "held_on", jstr(in->held_on));
	json_object_object_add(d, "next_action_on", jstr(in->next_action_on));
	json_object_object_add(d, "services", arr);
	if (audit(pb, "checkin.log", "checkin", k.id, customer_id, d, r) == -1)
		return rollback(pb);
	if (commit(pb, r) == -1)
		return -1;
	if (id)
		*id = k.id;
	return 0;
}

int
playbook_task_complete(const struct playbook *pb, int64_t customer_id, int ftop_id,
    const char *note, struct result *r)
{
	struct store_customer	 c;
	struct store_task	 t;
	json_object		*d;

	if (catalog_task_find(ftop_id) == NULL)
		return result_set(r, RESULT_INVALID, "ftop_id", "%d is not an FTOP task of this playbook",
		    ftop_id);
	if (check_field(r, &field_task_note, note, 0) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1 ||
	    store_task_get(pb->st, customer_id, ftop_id, &t, r) == -1 ||
	    store_task_complete(pb->st, customer_id, ftop_id, pb->actor, note ? note : "",
	    pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "ftop_id", json_object_new_int(ftop_id));
	if (note && *note)
		json_object_object_add(d, "note", jstr(note));
	if (audit(pb, "task.complete", "task", t.id, customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_blocker_open(const struct playbook *pb, int64_t customer_id,
    const struct playbook_blocker_input *in, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_service	 s;
	struct store_blocker	 b;
	json_object		*d;
	char			 today[11];
	const char		*l1 = in->l1_status && *in->l1_status ? in->l1_status : "blocked";

	if (check_field(r, &field_blocker_description, in->description, 1) == -1 ||
	    check_field(r, &field_blocker_owner, in->owner, 1) == -1)
		return -1;
	if (catalog_l1_find(l1) == NULL)
		return result_set(r, RESULT_INVALID, "l1_status", "\"%.40s\" is not an L1 status", l1);
	if (in->l2_reason == NULL || *in->l2_reason == '\0') {
		if (strcmp(l1, "blocked") == 0)
			return result_set(r, RESULT_INVALID, "l2_reason",
			    "a Blocked entry needs its L2 reason");
	} else if (catalog_l2_find(in->l2_reason) == NULL)
		return result_set(r, RESULT_INVALID, "l2_reason",
		    "\"%.40s\" is not one of the ten L2 reasons", in->l2_reason);
	if (in->service && *in->service && check_service(r, in->service) == NULL)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rollback(pb);
	if (in->service && *in->service &&
	    store_service_get(pb->st, customer_id, in->service, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "%s is not a service of this customer", service_title(in->service));
		return rollback(pb);
	}
	memset(&b, 0, sizeof(b));
	b.customer_id = customer_id;
	text_copy(b.service, sizeof(b.service), in->service ? in->service : "");
	text_copy(b.l1_status, sizeof(b.l1_status), l1);
	text_copy(b.l2_reason, sizeof(b.l2_reason), in->l2_reason ? in->l2_reason : "");
	text_copy(b.description, sizeof(b.description), in->description);
	text_copy(b.owner, sizeof(b.owner), in->owner);
	text_date_format(customer_today(pb, &c), today, sizeof(today));
	text_copy(b.opened_on, sizeof(b.opened_on), today);
	if (store_blocker_insert(pb->st, &b, pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "l2_reason", jstr(b.l2_reason));
	json_object_object_add(d, "service", jstr(b.service));
	json_object_object_add(d, "owner", jstr(b.owner));
	if (audit(pb, "blocker.open", "blocker", b.id, customer_id, d, r) == -1)
		return rollback(pb);
	if (commit(pb, r) == -1)
		return -1;
	if (id)
		*id = b.id;
	return 0;
}

int
playbook_blocker_resolve(const struct playbook *pb, int64_t blocker_id, const char *resolution,
    struct result *r)
{
	struct store_blocker	 b;
	struct store_customer	 c;
	json_object		*d;
	char			 today[11];

	if (check_field(r, &field_blocker_resolution, resolution, 1) == -1)
		return -1;
	if (begin(pb, r) == -1)
		return -1;
	if (store_blocker_get(pb->st, blocker_id, &b, r) == -1 ||
	    store_customer_get(pb->st, b.customer_id, &c, r) == -1)
		return rollback(pb);
	text_date_format(customer_today(pb, &c), today, sizeof(today));
	if (store_blocker_resolve(pb->st, blocker_id, today, resolution, pb->now, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "resolution", jstr(resolution));
	if (audit(pb, "blocker.resolve", "blocker", blocker_id, b.customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

/* ---------------------------------------------------------------- meetings (rule 3) */

static int
check_meeting_values(struct result *r, const char *starts_at, int duration, int every,
    int32_t *day)
{
	int minute;

	if (starts_at && text_local_datetime_parse(starts_at, day, &minute) == -1)
		return result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at \"%.40s\" is not a local date and time (YYYY-MM-DDTHH:MM)", starts_at);
	if (duration != 0 && (duration < 15 || duration > 480))
		return result_set(r, RESULT_INVALID, "duration_minutes",
		    "duration_minutes must be 15 to 480, not %d", duration);
	if (every != 0 && (every < 1 || every > 8))
		return result_set(r, RESULT_INVALID, "every_weeks",
		    "every_weeks must be 1 to 8, not %d", every);
	return 0;
}

static int
random_hex(char *out, size_t bytes)
{
	static const char	 hex[] = "0123456789abcdef";
	unsigned char		 b[32];
	FILE			*f;
	size_t			 i;

	if (bytes > sizeof(b) || (f = fopen("/dev/urandom", "rb")) == NULL)
		return -1;
	if (fread(b, 1, bytes, f) != bytes) {
		fclose(f);
		return -1;
	}
	fclose(f);
	for (i = 0; i < bytes; i++) {
		out[i * 2] = hex[b[i] >> 4];
		out[i * 2 + 1] = hex[b[i] & 15];
	}
	out[bytes * 2] = '\0';
	return 0;
}

int
playbook_meeting_schedule(const struct playbook *pb, int64_t customer_id,
    const char *starts_at, int duration_minutes, int every_weeks, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_service	*svcs = NULL;
	struct store_contact	*ks = NULL;
	struct store_meeting	 m;
	size_t			 ns, nk, i;
	json_object		*covered = NULL, *att = NULL, *d;
	int32_t			 day;
	char			 rnd[33];

	if (starts_at == NULL || *starts_at == '\0')
		return result_set(r, RESULT_INVALID, "starts_at", "starts_at is required");
	if (duration_minutes == 0)
		duration_minutes = 30;
	if (check_meeting_values(r, starts_at, duration_minutes, every_weeks, &day) == -1)
		return -1;
	memset(&m, 0, sizeof(m));
	if (begin(pb, r) == -1)
		return -1;
	if (customer_in_execution(pb, customer_id, &c, r) == -1)
		goto fail;
	/* No interval given: the customer's agreed cadence. */
	if (every_weeks == 0)
		every_weeks = c.cadence_weeks > 0 ? c.cadence_weeks : 2;
	if (day < customer_today(pb, &c)) {
		result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at %s is in the past in the customer's time zone %s", starts_at, c.timezone);
		goto fail;
	}
	if (store_service_list(pb->st, customer_id, &svcs, &ns, r) == -1)
		goto fail;
	covered = json_object_new_array();
	for (i = 0; i < ns; i++)
		if (fm_covers(&svcs[i]))
			json_object_array_add(covered, jstr(svcs[i].service));
	free(svcs);
	if (json_object_array_length(covered) == 0) {
		/* Rule 2: CSM-led services get no check-ins from the FM. */
		result_set(r, RESULT_INVALID, "services",
		    "no activated service is left for the FM to cover: every live service is "
		    "CSM-led or none is activated yet, so no check-ins are scheduled");
		goto fail;
	}
	if (store_contact_list(pb->st, customer_id, &ks, &nk, r) == -1)
		goto fail;
	att = json_object_new_array();
	for (i = 0; i < nk; i++)
		if (ks[i].receives_invites && ks[i].email[0])
			json_object_array_add(att, person_json(ks[i].name, ks[i].email));
	free(ks);
	if (json_object_array_length(att) == 0) {
		result_set(r, RESULT_INVALID, "contacts",
		    "no contact of this customer receives invites: add a contact with an e-mail first");
		goto fail;
	}
	if (random_hex(rnd, 8) == -1) {
		result_set(r, RESULT_IO, NULL, "playbook: cannot read /dev/urandom for a UID");
		goto fail;
	}
	m.customer_id = customer_id;
	/* RFC 5545 3.8.4.7: globally unique and stable for the life of the series. */
	snprintf(m.uid, sizeof(m.uid), "checkin-%" PRId64 "-%s@ftsuccess", customer_id, rnd);
	m.sequence = 0;
	text_copy(m.starts_at, sizeof(m.starts_at), starts_at);
	text_copy(m.timezone, sizeof(m.timezone), c.timezone);
	m.duration_minutes = duration_minutes;
	m.every_weeks = every_weeks;
	text_copy(m.status, sizeof(m.status), "scheduled");
	if ((m.attendees = strdup(json_text(att))) == NULL ||
	    (m.services = strdup(json_text(covered))) == NULL) {
		result_set(r, RESULT_IO, NULL, "playbook: out of memory");
		goto fail;
	}
	if (store_meeting_insert(pb->st, &m, pb->now, r) == -1 ||
	    queue_meeting_mail(pb, &c, &m, "REQUEST", att, NULL, r) == -1)
		goto fail;
	d = json_object_new_object();
	json_object_object_add(d, "uid", jstr(m.uid));
	json_object_object_add(d, "starts_at", jstr(starts_at));
	json_object_object_add(d, "every_weeks", json_object_new_int(every_weeks));
	json_object_object_add(d, "duration_minutes", json_object_new_int(duration_minutes));
	if (audit(pb, "meeting.schedule", "meeting", m.id, customer_id, d, r) == -1)
		goto fail;
	if (commit(pb, r) == -1)
		goto out;
	if (id)
		*id = m.id;
	json_object_put(covered);
	json_object_put(att);
	store_meeting_free(&m);
	return 0;
fail:
	store_rollback(pb->st);
out:
	json_object_put(covered);
	json_object_put(att);
	store_meeting_free(&m);
	return -1;
}

/* Load a scheduled series and its customer for a change. */
static int
meeting_for_change(const struct playbook *pb, int64_t meeting_id, struct store_meeting *m,
    struct store_customer *c, struct result *r)
{
	if (store_meeting_get(pb->st, meeting_id, m, r) == -1)
		return -1;
	if (strcmp(m->status, "scheduled") != 0) {
		store_meeting_free(m);
		return result_set(r, RESULT_CONFLICT, "id",
		    "meeting %" PRId64 " was cancelled; schedule a new series", meeting_id);
	}
	if (store_customer_get(pb->st, m->customer_id, c, r) == -1) {
		store_meeting_free(m);
		return -1;
	}
	return 0;
}

int
playbook_meeting_reschedule(const struct playbook *pb, int64_t meeting_id,
    const char *starts_at, int duration_minutes, int every_weeks, struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	 m;
	json_object		*d;
	int32_t			 day = 0;

	if (check_meeting_values(r, starts_at && *starts_at ? starts_at : NULL, duration_minutes,
	    every_weeks, &day) == -1)
		return -1;
	if ((starts_at == NULL || *starts_at == '\0') && duration_minutes == 0 && every_weeks == 0)
		return result_set(r, RESULT_INVALID, "starts_at",
		    "nothing to change: give starts_at, duration_minutes or every_weeks");
	if (begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rollback(pb);
	if (starts_at && *starts_at) {
		if (day < customer_today(pb, &c)) {
			result_set(r, RESULT_INVALID, "starts_at",
			    "starts_at %s is in the past in the customer's time zone %s",
			    starts_at, c.timezone);
			goto fail;
		}
		text_copy(m.starts_at, sizeof(m.starts_at), starts_at);
	}
	if (duration_minutes)
		m.duration_minutes = duration_minutes;
	if (every_weeks)
		m.every_weeks = every_weeks;
	/* RFC 5546 2.1.4: same UID, higher SEQUENCE replaces the earlier request. */
	if (meeting_update_and_request(pb, &c, &m, r) == -1)
		goto fail;
	d = json_object_new_object();
	json_object_object_add(d, "uid", jstr(m.uid));
	json_object_object_add(d, "sequence", json_object_new_int(m.sequence));
	json_object_object_add(d, "starts_at", jstr(m.starts_at));
	json_object_object_add(d, "every_weeks", json_object_new_int(m.every_weeks));
	json_object_object_add(d, "duration_minutes", json_object_new_int(m.duration_minutes));
	if (audit(pb, "meeting.reschedule", "meeting", m.id, c.id, d, r) == -1)
		goto fail;
	store_meeting_free(&m);
	return commit(pb, r);
fail:
	store_meeting_free(&m);
	return rollback(pb);
}

int
playbook_meeting_cancel(const struct playbook *pb, int64_t meeting_id, struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	 m;

	if (begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rollback(pb);
	if (meeting_cancel_all(pb, &c, &m, "cancelled by the FM", r) == -1) {
		store_meeting_free(&m);
		return rollback(pb);
	}
	store_meeting_free(&m);
	return commit(pb, r);
}

int
playbook_meeting_payload(const struct playbook *pb, int64_t meeting_id, json_object **payload,
    struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	 m;
	json_object		*to;
	int			 cancelled;

	*payload = NULL;
	if (store_meeting_get(pb->st, meeting_id, &m, r) == -1)
		return -1;
	if (store_customer_get(pb->st, m.customer_id, &c, r) == -1) {
		store_meeting_free(&m);
		return -1;
	}
	if ((to = json_tokener_parse(m.attendees)) == NULL)
		to = json_object_new_array();
	cancelled = strcmp(m.status, "cancelled") == 0;
	*payload = invite_payload(pb, &c, &m, cancelled ? "CANCEL" : "REQUEST", to, r);
	json_object_put(to);
	store_meeting_free(&m);
	return *payload ? 0 : -1;
}

/* ---------------------------------------------------------------- readiness (rule 7) */

static void readiness(const struct store_facts *, int32_t, struct playbook_readiness *);

static void
add_reason(struct playbook_readiness *out, int risk, const char *code, const char *service,
    int ftop, int64_t blocker, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Record a reason (risk = 0) or a risk; the text only when asked for (a portfolio sorts 10,000). */
static void
add_reason(struct playbook_readiness *out, int risk, const char *code, const char *service,
    int ftop, int64_t blocker, const char *fmt, ...)
{
	struct playbook_reason	*x;
	size_t			*n = risk ? &out->n_risks : &out->n_reasons;
	va_list			 ap;

	if (*n >= PLAYBOOK_REASONS_MAX)
		return;
	x = &(risk ? out->risks : out->reasons)[(*n)++];
	text_copy(x->code, sizeof(x->code), code);
	text_copy(x->service, sizeof(x->service), service ? service : "");
	x->ftop_id = ftop;
	x->blocker_id = blocker;
	x->text[0] = '\0';
	if (out->quiet)
		return;
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof(x->text), fmt, ap);
	va_end(ap);
}

int
playbook_next_occurrence(const char *starts_at, int every_weeks, int32_t today, char *out,
    size_t size)
{
	int32_t	 d0, k, period;
	int	 minute;

	if (size > 0)
		out[0] = '\0';
	if (every_weeks < 1 || text_local_datetime_parse(starts_at, &d0, &minute) == -1)
		return -1;
	period = every_weeks * 7;
	if (today > d0) {
		k = (today - d0 + period - 1) / period;
		d0 += k * period;
	}
	text_date_format(d0, out, size);
	return 0;
}

void
playbook_readiness(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	out->quiet = 0;
	readiness(f, today, out);
}

/* The verdict alone: reasons and risks counted and coded, their texts left empty. */
static void
readiness_quiet(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	out->quiet = 1;
	readiness(f, today, out);
}

static void
readiness(const struct store_facts *f, int32_t today, struct playbook_readiness *out)
{
	const struct store_customer *c = &f->customer;
	const struct catalog_task *ct;
	size_t		 i;
	int32_t		 ref = -1, d, act;
	int		 n_intended = 0, covers = 0, cadence;
	double		 au;
	enum playbook_phase phase = customer_phase(c);

	/* Only the scalars: the reason arrays are large and filled by count. */
	out->state = PLAYBOOK_STATE_IN_PROGRESS;
	out->ready = out->at_risk = out->overdue = 0;
	out->last_checkin[0] = out->next_checkin[0] = out->due_by[0] = '\0';
	out->n_reasons = out->n_risks = 0;
	text_copy(out->last_checkin, sizeof(out->last_checkin), f->last_checkin);
	if (f->n_active_series > 0 && f->series_every_weeks > 0)
		playbook_next_occurrence(f->series_starts_at, f->series_every_weeks, today,
		    out->next_checkin, sizeof(out->next_checkin));

	for (i = 0; i < f->n_services; i++) {
		const struct store_service *s = &f->services[i];
		const char *title = service_title(s->service);

		if (!s->intended)
			continue;
		n_intended++;
		if (fm_covers(s)) {
			covers = 1;
			if (text_date_parse(s->activated_on, &act) == 0 && (ref < 0 || act < ref))
				ref = act;
		}
		if (service_met(s))
			continue;
		if (s->custom_metric[0] != '\0')
			add_reason(out, 0, "metric_unmet", s->service, 0, 0,
			    "%s: the agreed metric \"%s\" is not met yet", title, s->custom_metric);
		else if (s->latest_on[0] == '\0')
			add_reason(out, 0, "no_au", s->service, 0, 0,
			    "%s: no active usage recorded yet (target %.1f%%)", title, s->target_percent);
		else {
			au = playbook_au_percent(s->latest_active, s->latest_eligible);
			add_reason(out, 0, "under_target", s->service, 0, 0,
			    "%s: AU %.1f%% on %s is under the %.1f%% target", title, au, s->latest_on,
			    s->target_percent);
		}
		/* Still under target a month after going live: adoption is stalling. */
		if (s->activated_on[0] != '\0' && text_date_parse(s->activated_on, &act) == 0 &&
		    today - act > PLAYBOOK_SLOW_ADOPTION_DAYS)
			add_reason(out, 1, "slow_adoption", s->service, 0, 0,
			    s->latest_on[0] == '\0' && s->custom_metric[0] == '\0' ?
			    "%s: no active usage recorded %d days after activation" :
			    "%s: under target %d days after activation", title, (int)(today - act));
	}
	if (n_intended == 0)
		add_reason(out, 0, "no_service", NULL, 0, 0,
		    "no intended service recorded yet");
	for (i = 0; i < f->n_open_required; i++) {
		ct = catalog_task_find(f->open_required[i]);
		add_reason(out, 0, "task_open", NULL, f->open_required[i], 0,
		    "required task %d (%s) is open", f->open_required[i],
		    ct ? ct->title[CATALOG_EN] : "FTOP task");
	}
	for (i = 0; i < f->n_open_blockers; i++) {
		const struct store_blocker_fact *b = &f->open_blockers[i];

		add_reason(out, 0, "blocker_open", b->service, 0, b->id,
		    "blocker #%" PRId64 " is open: %s", b->id, b->description);
		if (text_date_parse(b->opened_on, &d) == 0 && today - d > PLAYBOOK_OLD_BLOCKER_DAYS)
			add_reason(out, 1, "old_blocker", b->service, 0, b->id,
			    "blocker #%" PRId64 " has been open for %d days", b->id, (int)(today - d));
	}

	/*
	 * Check-ins are expected only while the FM covers a live service (rule
	 * 2): within the cadence of the last check-in, or of the first
	 * activation when none was held yet.
	 */
	if (phase == PLAYBOOK_PHASE_EXECUTION && covers) {
		cadence = f->series_every_weeks > 0 ? f->series_every_weeks :
		    (c->cadence_weeks > 0 ? c->cadence_weeks : 2);
		if (f->last_checkin[0] != '\0' && text_date_parse(f->last_checkin, &d) == 0)
			ref = d;
		if (ref >= 0) {
			text_date_format(ref + cadence * 7, out->due_by, sizeof(out->due_by));
			if (today > ref + cadence * 7) {
				out->overdue = 1;
				if (f->last_checkin[0])
					add_reason(out, 1, "overdue", NULL, 0, 0,
					    "check-in overdue: last held %s, cadence every %d week%s",
					    f->last_checkin, cadence, cadence == 1 ? "" : "s");
				else
					add_reason(out, 1, "overdue", NULL, 0, 0,
					    "check-in overdue: none held since activation, due by %s",
					    out->due_by);
			}
		}
	}

	out->ready = out->n_reasons == 0;
	out->at_risk = !out->ready && out->n_risks > 0;
	if (phase != PLAYBOOK_PHASE_EXECUTION)
		out->state = phase == PLAYBOOK_PHASE_CLOSED ? PLAYBOOK_STATE_CLOSED :
		    PLAYBOOK_STATE_SUCCESS_REVIEW;
	else if (out->ready)
		out->state = PLAYBOOK_STATE_READY;
	else if (out->at_risk)
		out->state = PLAYBOOK_STATE_AT_RISK;
	else
		out->state = PLAYBOOK_STATE_IN_PROGRESS;
}

static json_object *
reasons_json(const struct playbook_reason *arr, size_t n)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "code", jstr(arr[i].code));
		json_object_object_add(o, "text", jstr(arr[i].text));
		if (arr[i].service[0])
			json_object_object_add(o, "service", jstr(arr[i].service));
		if (arr[i].ftop_id)
			json_object_object_add(o, "ftop_id", json_object_new_int(arr[i].ftop_id));
		if (arr[i].blocker_id)
			json_object_object_add(o, "blocker_id", json_object_new_int64(arr[i].blocker_id));
		json_object_array_add(a, o);
	}
	return a;
}

json_object *
playbook_readiness_json(const struct playbook_readiness *rd)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "state", jstr(playbook_state_key(rd->state)));
	json_object_object_add(o, "state_title", jstr(present_state_title(rd->state)));
	json_object_object_add(o, "ready", json_object_new_boolean(rd->ready));
	json_object_object_add(o, "at_risk", json_object_new_boolean(rd->at_risk));
	json_object_object_add(o, "overdue", json_object_new_boolean(rd->overdue));
	json_object_object_add(o, "last_checkin", rd->last_checkin[0] ? jstr(rd->last_checkin) : NULL);
	json_object_object_add(o, "next_checkin", rd->next_checkin[0] ? jstr(rd->next_checkin) : NULL);
	json_object_object_add(o, "due_by", rd->due_by[0] ? jstr(rd->due_by) : NULL);
	json_object_object_add(o, "reasons", reasons_json(rd->reasons, rd->n_reasons));
	json_object_object_add(o, "risks", reasons_json(rd->risks, rd->n_risks));
	return o;
}

/* ---------------------------------------------------------------- exit */

int
playbook_review_start(const struct playbook *pb, int64_t customer_id, struct result *r)
{
	struct store_facts		 f;
	struct playbook_readiness	*rd;
	struct store_task		 t;
	const struct catalog_task	*ct;
	json_object			*d;
	int				 created;
	size_t				 i, len;

	if (begin(pb, r) == -1)
		return -1;
	if (store_facts_get(pb->st, customer_id, &f, r) == -1)
		return rollback(pb);
	if (customer_phase(&f.customer) != PLAYBOOK_PHASE_EXECUTION) {
		result_set(r, RESULT_CONFLICT, "id", "customer %" PRId64 " is already in phase %s",
		    customer_id, f.customer.phase);
		store_facts_clear(&f);
		return rollback(pb);
	}
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		result_set(r, RESULT_IO, NULL, "playbook: out of memory");
		return rollback(pb);
	}
	playbook_readiness(&f, text_date_today(f.customer.timezone, (time_t)pb->now), rd);
	if (!rd->ready) {
		/* Say every reason, so the FM sees the whole list at once. */
		result_set(r, RESULT_INVALID, NULL, "not ready for Success Review: ");
		for (i = 0; i < rd->n_reasons; i++) {
			len = strlen(r->message);
			snprintf(r->message + len, sizeof(r->message) - len, "%s%s",
			    i ? "; " : "", rd->reasons[i].text);
		}
		free(rd);
		store_facts_clear(&f);
		return rollback(pb);
	}
	free(rd);
	f.customer.phase[0] = '\0';
	text_copy(f.customer.phase, sizeof(f.customer.phase),
	    playbook_phase_key(PLAYBOOK_PHASE_SUCCESS_REVIEW));
	if (store_customer_update(pb->st, &f.customer, pb->now, r) == -1) {
		store_facts_clear(&f);
		return rollback(pb);
	}
	store_facts_clear(&f);
	memset(&t, 0, sizeof(t));
	t.customer_id = customer_id;
	t.ftop_id = CATALOG_FTOP_SUCCESS_REVIEW;
	ct = catalog_task_find(CATALOG_FTOP_SUCCESS_REVIEW);
	t.required = ct ? ct->required : 1;
	if (store_task_ensure(pb->st, &t, pb->now, &created, r) == -1)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "ftop_id", json_object_new_int(CATALOG_FTOP_SUCCESS_REVIEW));
	if (audit(pb, "review.start", "customer", customer_id, customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_review_outcome(const struct playbook *pb, int64_t customer_id, const char *outcome,
    struct result *r)
{
	const struct catalog_entry *oc;
	struct store_customer	 c;
	struct store_task	 t;
	struct store_meeting	*ms = NULL;
	size_t			 nm = 0, i;
	json_object		*d;

	if (outcome == NULL || *outcome == '\0')
		return result_set(r, RESULT_INVALID, "outcome", "outcome is required");
	if ((oc = catalog_outcome_find(outcome)) == NULL)
		return result_set(r, RESULT_INVALID, "outcome",
		    "\"%.40s\" is not one of the four Success Review outcomes", outcome);
	if (begin(pb, r) == -1)
		return -1;
	if (store_customer_get(pb->st, customer_id, &c, r) == -1)
		return rollback(pb);
	if (customer_phase(&c) != PLAYBOOK_PHASE_SUCCESS_REVIEW) {
		result_set(r, RESULT_CONFLICT, "id",
		    "customer %" PRId64 " is in phase %s: start Success Review first", customer_id,
		    c.phase);
		return rollback(pb);
	}
	text_copy(c.review_outcome, sizeof(c.review_outcome), oc->key);
	text_copy(c.phase, sizeof(c.phase), playbook_phase_key(PLAYBOOK_PHASE_CLOSED));
	if (store_customer_update(pb->st, &c, pb->now, r) == -1)
		return rollback(pb);
	if (store_task_get(pb->st, customer_id, CATALOG_FTOP_SUCCESS_REVIEW, &t, r) == 0 &&
	    strcmp(t.status, "open") == 0 &&
	    store_task_complete(pb->st, customer_id, CATALOG_FTOP_SUCCESS_REVIEW, pb->actor,
	    oc->title[CATALOG_EN], pb->now, r) == -1)
		return rollback(pb);
	result_clear(r);
	/* The engagement ends: the check-in series leave the customer's calendars. */
	if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
		return rollback(pb);
	for (i = 0; i < nm; i++)
		if (meeting_cancel_all(pb, &c, &ms[i], "Success Review completed", r) == -1)
			break;
	for (size_t k = 0; k < nm; k++)
		store_meeting_free(&ms[k]);
	free(ms);
	if (i < nm)
		return rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "outcome", jstr(oc->key));
	if (audit(pb, "review.outcome", "customer", customer_id, customer_id, d, r) == -1)
		return rollback(pb);
	return commit(pb, r);
}

int
playbook_outbox_retry(const struct playbook *pb, int64_t outbox_id, struct result *r)
{
	struct store_outbox_row	 row;
	json_object		*d;

	if (begin(pb, r) == -1)
		return -1;
	if (store_outbox_get(pb->st, outbox_id, &row, r) == -1)
		return rollback(pb);
	if (store_outbox_requeue(pb->st, outbox_id, pb->now, r) == -1) {
		store_outbox_row_free(&row);
		return rollback(pb);
	}
	d = json_object_new_object();
	json_object_object_add(d, "kind", jstr(row.kind));
	if (audit(pb, "outbox.retry", "outbox", outbox_id, row.customer_id, d, r) == -1) {
		store_outbox_row_free(&row);
		return rollback(pb);
	}
	store_outbox_row_free(&row);
	return commit(pb, r);
}

/* ---------------------------------------------------------------- views */

/* phase_title and one phase_is_<phase> flag beside a "phase" member. */
static void
add_phase_words(json_object *o, enum playbook_phase phase)
{
	char key[48];

	json_object_object_add(o, "phase_title", jstr(present_phase_title(phase)));
	snprintf(key, sizeof(key), "phase_is_%s", playbook_phase_key(phase));
	json_object_object_add(o, key, json_object_new_boolean(1));
}

/* Today per zone, remembered: a portfolio of thousands shares a handful of zones. */
struct today_cache {
	char	tz[16][64];
	int32_t	day[16];
	size_t	n;
};

static int32_t
today_in(struct today_cache *tc, const char *tz, int64_t now)
{
	size_t	i;
	int32_t	d;

	for (i = 0; i < tc->n; i++)
		if (strcmp(tc->tz[i], tz) == 0)
			return tc->day[i];
	d = text_date_today(tz[0] ? tz : NULL, (time_t)now);
	if (tc->n < 16) {
		text_copy(tc->tz[tc->n], sizeof(tc->tz[0]), tz);
		tc->day[tc->n++] = d;
	}
	return d;
}

/* The service as lists and bars show it. */
static json_object *
service_view(const struct store_service *s)
{
	const struct catalog_service *cs = catalog_service_find(s->service);
	json_object	*o = json_object_new_object();
	double		 au = s->latest_on[0] ? playbook_au_percent(s->latest_active, s->latest_eligible) : -1;

	json_object_object_add(o, "key", jstr(s->service));
	json_object_object_add(o, "title", jstr(service_title(s->service)));
	json_object_object_add(o, "intended", json_object_new_boolean(s->intended));
	json_object_object_add(o, "activated", json_object_new_boolean(s->activated_on[0] != '\0'));
	json_object_object_add(o, "activated_on", s->activated_on[0] ? jstr(s->activated_on) : NULL);
	json_object_object_add(o, "csm_led", json_object_new_boolean(s->csm_led));
	json_object_object_add(o, "modern_comms", json_object_new_boolean(cs && cs->modern_comms));
	json_object_object_add(o, "fm_covered", json_object_new_boolean(fm_covers(s)));
	json_object_object_add(o, "adoption_program", json_object_new_boolean(s->adoption_program));
	json_object_object_add(o, "adoption_available", json_object_new_boolean(cs && cs->adoption_program));
	json_object_object_add(o, "accelerator", json_object_new_boolean(s->accelerator));
	json_object_object_add(o, "accelerator_available", json_object_new_boolean(cs && cs->accelerator_ftop));
	json_object_object_add(o, "target_percent", playbook_json_percent(s->target_percent));
	json_object_object_add(o, "custom_metric", s->custom_metric[0] ? jstr(s->custom_metric) : NULL);
	json_object_object_add(o, "custom_metric_met", json_object_new_boolean(s->custom_metric_met));
	json_object_object_add(o, "licensed_users", s->licensed_users >= 0 ?
	    json_object_new_int64(s->licensed_users) : NULL);
	json_object_object_add(o, "measured_on", s->latest_on[0] ? jstr(s->latest_on) : NULL);
	json_object_object_add(o, "active_users", s->latest_on[0] ? json_object_new_int64(s->latest_active) : NULL);
	json_object_object_add(o, "eligible_users", s->latest_on[0] ? json_object_new_int64(s->latest_eligible) : NULL);
	json_object_object_add(o, "au_percent", au >= 0 ? playbook_json_percent(au) : NULL);
	json_object_object_add(o, "met", json_object_new_boolean(service_met(s)));
	json_object_object_add(o, "bar_percent",
	    json_object_new_int(present_bar_percent(au, s->target_percent)));
	return o;
}

struct port_row {
	size_t		 idx;		/* into the facts list, when loaded with it */
	int64_t		 customer_id;
	enum playbook_state state;
	int		 ready, at_risk, overdue;
	char		 next_checkin[11];
	double		 au_score;	/* lowest AU/target among intended services, for sorting */
};

static int
cmp_state_rank(enum playbook_state s)
{
	/* Who needs the FM first. */
	static const int rank[PLAYBOOK_STATE__MAX] = {
		[PLAYBOOK_STATE_AT_RISK] = 0,
		[PLAYBOOK_STATE_IN_PROGRESS] = 1,
		[PLAYBOOK_STATE_READY] = 2,
		[PLAYBOOK_STATE_SUCCESS_REVIEW] = 3,
		[PLAYBOOK_STATE_CLOSED] = 4,
	};

	return (unsigned)s < PLAYBOOK_STATE__MAX ? rank[s] : 4;
}

static int
cmp_by_state(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	int d = cmp_state_rank(x->state) - cmp_state_rank(y->state);

	return d ? d : (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_by_next(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;
	int d;

	/* Customers with no series sort last. */
	if (x->next_checkin[0] == '\0' || y->next_checkin[0] == '\0')
		d = (x->next_checkin[0] == '\0') - (y->next_checkin[0] == '\0');
	else
		d = strcmp(x->next_checkin, y->next_checkin);
	return d ? d : (x->idx > y->idx) - (x->idx < y->idx);
}

static int
cmp_by_au(const void *a, const void *b)
{
	const struct port_row *x = a, *y = b;

	if (x->au_score != y->au_score)
		return x->au_score < y->au_score ? -1 : 1;
	return (x->idx > y->idx) - (x->idx < y->idx);
}

static json_object *
portfolio_row(const struct store_facts *f, const struct playbook_readiness *rd)
{
	json_object	*o = json_object_new_object(), *svcs, *reasons;
	size_t		 i;

	json_object_object_add(o, "id", json_object_new_int64(f->customer.id));
	json_object_object_add(o, "name", jstr(f->customer.name));
	json_object_object_add(o, "tenant_domain", jstr(f->customer.tenant_domain));
	json_object_object_add(o, "phase", jstr(f->customer.phase));
	json_object_object_add(o, "owner_fm", jstr(f->customer.owner_fm));
	json_object_object_add(o, "csm_name", f->customer.csm_name[0] ? jstr(f->customer.csm_name) : NULL);
	json_object_object_add(o, "review_outcome", f->customer.review_outcome[0] ?
	    jstr(f->customer.review_outcome) : NULL);
	json_object_object_add(o, "open_blockers", json_object_new_int((int)f->n_open_blockers));
	svcs = json_object_new_array();
	for (i = 0; i < f->n_services; i++)
		if (f->services[i].intended)
			json_object_array_add(svcs, service_view(&f->services[i]));
	json_object_object_add(o, "services", svcs);
	json_object_object_add(o, "readiness", playbook_readiness_json(rd));
	/* Flattened for templates and for scripts that only want the verdict. */
	json_object_object_add(o, "state", jstr(playbook_state_key(rd->state)));
	json_object_object_add(o, "state_title", jstr(present_state_title(rd->state)));
	add_phase_words(o, customer_phase(&f->customer));
	json_object_object_add(o, "ready", json_object_new_boolean(rd->ready));
	json_object_object_add(o, "at_risk", json_object_new_boolean(rd->at_risk));
	json_object_object_add(o, "overdue", json_object_new_boolean(rd->overdue));
	json_object_object_add(o, "last_checkin", rd->last_checkin[0] ? jstr(rd->last_checkin) : NULL);
	json_object_object_add(o, "next_checkin", rd->next_checkin[0] ? jstr(rd->next_checkin) : NULL);
	/* Why a customer is not ready matters while it is in Success Execution. */
	reasons = json_object_new_array();
	for (i = 0; customer_phase(&f->customer) == PLAYBOOK_PHASE_EXECUTION && i < rd->n_risks; i++)
		json_object_array_add(reasons, jstr(rd->risks[i].text));
	for (i = 0; customer_phase(&f->customer) == PLAYBOOK_PHASE_EXECUTION && i < rd->n_reasons; i++)
		json_object_array_add(reasons, jstr(rd->reasons[i].text));
	json_object_object_add(o, "reason_texts", reasons);
	return o;
}

/*
 * The verdicts of every customer a filter selects, in name order, with the
 * portfolio counts: what a page needs before it picks its rows.  Kept per
 * worker in struct playbook_cache while the database is unchanged and the
 * quarter of an hour the same (a customer's "today" moves with its zone).
 */
struct playbook_cache {
	int		 valid;
	int64_t		 version;
	int64_t		 stamp;
	char		 q[FIELD_SIZE(100)], phase[24], fm[FIELD_SIZE(FIELD_FM_MAX)];
	struct port_row	*rows;
	size_t		 n;
	long		 counts[5];
};

#define CACHE_STAMP_SECONDS	900

struct playbook_cache *
playbook_cache_new(void)
{
	return calloc(1, sizeof(struct playbook_cache));
}

void
playbook_cache_free(struct playbook_cache *c)
{
	if (c == NULL)
		return;
	free(c->rows);
	free(c);
}

/* Verdict rows of every matching customer, name order; facts kept when loaded. */
static int
portfolio_rows(const struct playbook *pb, const struct store_facts_filter *filter,
    struct port_row **rowsp, size_t *np, long counts[5], struct store_facts **factsp,
    size_t *nfacts, struct playbook_readiness *rd, struct today_cache *tc, struct result *r)
{
	struct store_facts	*facts = NULL;
	struct port_row		*rows = NULL;
	size_t			 n = 0, i, k;

	if (store_facts_list(pb->st, filter, &facts, &n, r) == -1)
		return -1;
	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL) {
		store_facts_free(facts, n);
		return result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
	}
	for (i = 0; i < 5; i++)
		counts[i] = 0;
	for (i = 0; i < n; i++) {
		struct port_row	*pr = &rows[i];
		double		 score = 1e9;

		readiness_quiet(&facts[i], today_in(tc, facts[i].customer.timezone, pb->now), rd);
		counts[0]++;
		if (rd->ready && rd->state == PLAYBOOK_STATE_READY)
			counts[1]++;
		if (rd->at_risk && customer_phase(&facts[i].customer) == PLAYBOOK_PHASE_EXECUTION)
			counts[2]++;
		if (rd->overdue)
			counts[3]++;
		if (rd->state == PLAYBOOK_STATE_IN_PROGRESS)
			counts[4]++;
		pr->idx = i;
		pr->customer_id = facts[i].customer.id;
		pr->state = rd->state;
		pr->ready = rd->ready;
		pr->at_risk = rd->at_risk;
		pr->overdue = rd->overdue;
		text_copy(pr->next_checkin, sizeof(pr->next_checkin), rd->next_checkin);
		for (k = 0; k < facts[i].n_services; k++) {
			const struct store_service *sv = &facts[i].services[k];
			double ratio;

			if (!sv->intended)
				continue;
			ratio = sv->latest_on[0] && sv->target_percent > 0 ?
			    playbook_au_percent(sv->latest_active, sv->latest_eligible) /
			    sv->target_percent : 0;
			if (ratio < score)
				score = ratio;
		}
		pr->au_score = score;
	}
	*rowsp = rows;
	*np = n;
	*factsp = facts;
	*nfacts = n;
	return 0;
}

static int
cache_matches(const struct playbook_cache *c, const struct store_facts_filter *f,
    int64_t version, int64_t stamp)
{
	return c->valid && c->version == version && c->stamp == stamp &&
	    strcmp(c->q, f->q ? f->q : "") == 0 && strcmp(c->phase, f->phase ? f->phase : "") == 0 &&
	    strcmp(c->fm, f->owner_fm ? f->owner_fm : "") == 0;
}

int
playbook_portfolio(const struct playbook *pb, const struct playbook_portfolio_query *q,
    json_object **out, struct result *r)
{
	struct store_facts_filter	 filter;
	struct store_facts		*facts = NULL, *page_facts = NULL;
	struct playbook_readiness	*rd = NULL;
	struct port_row			*all = NULL, *rows = NULL;
	struct playbook_cache		*cache = pb->cache;
	struct today_cache		 tc;
	size_t				 n = 0, nfacts = 0, npage = 0, nrows = 0, i, k, first, last;
	int64_t				 version = 0, stamp = pb->now / CACHE_STAMP_SECONDS, *ids = NULL;
	int				 page, per_page, pages, cached = 0;
	long				 counts[5];
	const char			*want = q && q->state ? q->state : "";
	enum playbook_state		 want_state = PLAYBOOK_STATE__MAX;	/* __MAX = any */
	int				 want_overdue = 0;
	json_object			*o, *arr, *cnt;

	*out = NULL;
	/* "overdue" is a filter, not a state: a ready customer can be overdue too. */
	if (strcmp(want, "overdue") == 0)
		want_overdue = 1;
	else if (strcmp(want, "ready") == 0)
		want_state = PLAYBOOK_STATE_READY;
	else if (strcmp(want, "at_risk") == 0)
		want_state = PLAYBOOK_STATE_AT_RISK;
	else if (strcmp(want, "in_progress") == 0)
		want_state = PLAYBOOK_STATE_IN_PROGRESS;
	else if (*want)
		return result_set(r, RESULT_INVALID, "state",
		    "state must be ready, at_risk, overdue or in_progress, not \"%.30s\"", want);
	if (q && q->sort && *q->sort && strcmp(q->sort, "name") != 0 &&
	    strcmp(q->sort, "state") != 0 && strcmp(q->sort, "next_checkin") != 0 &&
	    strcmp(q->sort, "au") != 0)
		return result_set(r, RESULT_INVALID, "sort",
		    "sort must be name, state, next_checkin or au, not \"%.30s\"", q->sort);
	per_page = q && q->per_page > 0 ? q->per_page : 50;
	if (per_page > 200)
		per_page = 200;
	page = q && q->page > 0 ? q->page : 1;

	memset(&filter, 0, sizeof(filter));
	filter.q = q ? q->q : NULL;
	filter.phase = q ? q->phase : NULL;
	filter.owner_fm = q ? q->fm : NULL;
	memset(&tc, 0, sizeof(tc));
	if ((rd = malloc(sizeof(*rd))) == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");

	/* 1. The verdicts of every matching customer: from the cache, or computed. */
	if (cache != NULL && store_version(pb->st, &version, r) == -1)
		goto fail;
	if (cache != NULL && cache_matches(cache, &filter, version, stamp)) {
		all = cache->rows;
		n = cache->n;
		memcpy(counts, cache->counts, sizeof(counts));
		cached = 1;
	} else {
		if (portfolio_rows(pb, &filter, &all, &n, counts, &facts, &nfacts, rd, &tc, r) == -1)
			goto fail;
		if (cache != NULL) {
			free(cache->rows);
			cache->rows = all;
			cache->n = n;
			memcpy(cache->counts, counts, sizeof(counts));
			cache->version = version;
			cache->stamp = stamp;
			text_copy(cache->q, sizeof(cache->q), filter.q ? filter.q : "");
			text_copy(cache->phase, sizeof(cache->phase), filter.phase ? filter.phase : "");
			text_copy(cache->fm, sizeof(cache->fm), filter.owner_fm ? filter.owner_fm : "");
			/* A filter too long for the key is simply not cached. */
			cache->valid = strlen(filter.q ? filter.q : "") < sizeof(cache->q) &&
			    strlen(filter.owner_fm ? filter.owner_fm : "") < sizeof(cache->fm);
			cached = 1;
		}
	}

	/* 2. The state filter and the sort, on a copy (the cached rows stay in name order). */
	if (n > 0 && (rows = calloc(n, sizeof(*rows))) == NULL) {
		result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if (want_overdue ? !all[i].overdue :
		    want_state != PLAYBOOK_STATE__MAX && all[i].state != want_state)
			continue;
		rows[nrows++] = all[i];
	}
	if (q && q->sort && strcmp(q->sort, "state") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_state);
	else if (q && q->sort && strcmp(q->sort, "next_checkin") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_next);
	else if (q && q->sort && strcmp(q->sort, "au") == 0)
		qsort(rows, nrows, sizeof(*rows), cmp_by_au);

	pages = nrows == 0 ? 1 : (int)((nrows + (size_t)per_page - 1) / (size_t)per_page);
	if (page > pages)
		page = pages;
	first = (size_t)(page - 1) * (size_t)per_page;
	last = first + (size_t)per_page < nrows ? first + (size_t)per_page : nrows;

	/* 3. The page's rows in full: facts already loaded, or five queries for their ids. */
	if (facts == NULL && last > first) {
		if ((ids = calloc(last - first, sizeof(*ids))) == NULL) {
			result_set(r, RESULT_IO, NULL, "playbook: portfolio: out of memory");
			goto fail;
		}
		for (i = first; i < last; i++)
			ids[i - first] = rows[i].customer_id;
		if (store_facts_list_ids(pb->st, ids, last - first, &page_facts, &npage, r) == -1)
			goto fail;
	}
	o = json_object_new_object();
	arr = json_object_new_array();
	for (i = first; i < last; i++) {
		const struct store_facts *f = NULL;

		if (facts != NULL)
			f = &facts[rows[i].idx];
		else
			for (k = 0; k < npage && f == NULL; k++)
				if (page_facts[k].customer.id == rows[i].customer_id)
					f = &page_facts[k];
		if (f == NULL)
			continue;	/* deleted since the verdicts were cached */
		playbook_readiness(f, today_in(&tc, f->customer.timezone, pb->now), rd);
		json_object_array_add(arr, portfolio_row(f, rd));
	}
	json_object_object_add(o, "customers", arr);
	json_object_object_add(o, "total", json_object_new_int64((int64_t)nrows));
	json_object_object_add(o, "page", json_object_new_int(page));
	json_object_object_add(o, "pages", json_object_new_int(pages));
	json_object_object_add(o, "per_page", json_object_new_int(per_page));
	cnt = json_object_new_object();
	json_object_object_add(cnt, "all", json_object_new_int64(counts[0]));
	json_object_object_add(cnt, "ready", json_object_new_int64(counts[1]));
	json_object_object_add(cnt, "at_risk", json_object_new_int64(counts[2]));
	json_object_object_add(cnt, "overdue", json_object_new_int64(counts[3]));
	json_object_object_add(cnt, "in_progress", json_object_new_int64(counts[4]));
	json_object_object_add(o, "counts", cnt);
	*out = o;
	if (!cached)
		free(all);
	free(rows);
	free(ids);
	free(rd);
	store_facts_free(facts, nfacts);
	store_facts_free(page_facts, npage);
	return 0;
fail:
	if (!cached)
		free(all);
	free(rows);
	free(ids);
	free(rd);
	store_facts_free(facts, nfacts);
	store_facts_free(page_facts, npage);
	return -1;
}

/* The AU samples of a service, oldest first, drawn as a trend line (present_trend). */
static json_object *
trend_json(json_object *usage, const char *service, double target)
{
	struct present_point	 pts[64];
	json_object		*s, *v;
	double			 au;
	size_t			 n = 0, i, total = json_object_array_length(usage);
	int32_t			 d;

	for (i = 0; i < total; i++) {
		s = json_object_array_get_idx(usage, i);
		if (!json_object_object_get_ex(s, "service", &v) ||
		    strcmp(json_object_get_string(v), service) != 0)
			continue;
		json_object_object_get_ex(s, "measured_on", &v);
		if (text_date_parse(json_object_get_string(v), &d) == -1)
			continue;
		json_object_object_get_ex(s, "active_users", &v);
		au = (double)json_object_get_int64(v);
		json_object_object_get_ex(s, "eligible_users", &v);
		au = playbook_au_percent((long long)au, json_object_get_int64(v));
		if (n == 64)	/* keep the latest 64: shift left */
			memmove(pts, pts + 1, sizeof(pts[0]) * 63), n = 63;
		pts[n].day = d;
		pts[n].au = au;
		n++;
	}
	return present_trend(pts, n, target);
}

static json_object *
catalog_view(void)
{
	const struct catalog_service	*cs;
	const struct catalog_entry	*e;
	json_object			*o = json_object_new_object(), *a, *x;
	size_t				 n, i;
	struct {
		const char *key;
		const struct catalog_entry *(*fn)(size_t *);
	} lists[] = { { "l1", catalog_l1 }, { "l2", catalog_l2 }, { "outcomes", catalog_outcomes } };

	cs = catalog_services(&n);
	a = json_object_new_array();
	for (i = 0; i < n; i++) {
		x = json_object_new_object();
		json_object_object_add(x, "key", jstr(cs[i].key));
		json_object_object_add(x, "title", jstr(cs[i].title[CATALOG_EN]));
		json_object_object_add(x, "modern_comms", json_object_new_boolean(cs[i].modern_comms));
		json_object_array_add(a, x);
	}
	json_object_object_add(o, "services", a);
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		e = lists[l].fn(&n);
		a = json_object_new_array();
		for (i = 0; i < n; i++) {
			x = json_object_new_object();
			json_object_object_add(x, "key", jstr(e[i].key));
			json_object_object_add(x, "title", jstr(e[i].title[CATALOG_EN]));
			json_object_object_add(x, "title_pt", jstr(e[i].title[CATALOG_PT]));
			json_object_array_add(a, x);
		}
		json_object_object_add(o, lists[l].key, a);
	}
	return o;
}

/* Replace a JSON-text member with its parsed value (recipients, details). */
static void
parse_member(json_object *obj, const char *key)
{
	json_object *v, *parsed;

	if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string) &&
	    (parsed = json_tokener_parse(json_object_get_string(v))) != NULL)
		json_object_object_add(obj, key, parsed);
}

int
playbook_customer_view(const struct playbook *pb, int64_t id, json_object **out, struct result *r)
{
	struct store_facts		 f;
	struct playbook_readiness	*rd;
	json_object			*c, *arr, *x, *v, *svcs, *covered, *groups, *g, *gt, *usage;
	const struct catalog_task	*ct;
	const struct catalog_entry	*e;
	size_t				 i, k;
	int32_t				 today;
	char				 next[11];

	*out = NULL;
	if (store_customer_json(pb->st, id, &c, r) == -1)
		return -1;
	if (store_facts_get(pb->st, id, &f, r) == -1) {
		json_object_put(c);
		return -1;
	}
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		json_object_put(c);
		return result_set(r, RESULT_IO, NULL, "playbook: out of memory");
	}
	today = text_date_today(f.customer.timezone, (time_t)pb->now);
	playbook_readiness(&f, today, rd);
	json_object_object_add(c, "readiness", playbook_readiness_json(rd));
	free(rd);

	/* Services: decorated, with a trend line from the samples. */
	json_object_object_get_ex(c, "usage", &usage);
	svcs = json_object_new_array();
	covered = json_object_new_array();
	for (i = 0; i < f.n_services; i++) {
		x = service_view(&f.services[i]);
		if (usage && (v = trend_json(usage, f.services[i].service, f.services[i].target_percent)))
			json_object_object_add(x, "trend", v);
		if (fm_covers(&f.services[i])) {
			json_object *cv = json_object_new_object();

			json_object_object_add(cv, "key", jstr(f.services[i].service));
			json_object_object_add(cv, "title", jstr(service_title(f.services[i].service)));
			json_object_array_add(covered, cv);
		}
		json_object_array_add(svcs, x);
	}
	json_object_object_add(c, "services", svcs);
	json_object_object_add(c, "covered_services", covered);
	json_object_object_add(c, "all_csm_led", json_object_new_boolean(
	    json_object_array_length(covered) == 0 && f.n_services > 0));

	/* Tasks grouped by activity, in catalog order. */
	groups = json_object_new_array();
	json_object_object_get_ex(c, "tasks", &arr);
	for (int act = 0; act < CATALOG_ACT__MAX; act++) {
		gt = json_object_new_array();
		for (i = 0; arr && i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "ftop_id", &v);
			ct = catalog_task_find(json_object_get_int(v));
			if (ct == NULL || (int)ct->activity != act)
				continue;
			json_object_object_add(x, "title", jstr(ct->title[CATALOG_EN]));
			json_object_object_add(x, "title_pt", jstr(ct->title[CATALOG_PT]));
			json_object_object_get_ex(x, "status", &v);
			json_object_object_add(x, "done", json_object_new_boolean(
			    strcmp(json_object_get_string(v), "done") == 0));
			json_object_array_add(gt, json_object_get(x));
		}
		if (json_object_array_length(gt) == 0) {
			json_object_put(gt);
			continue;
		}
		g = json_object_new_object();
		json_object_object_add(g, "activity", jstr(catalog_activity_key(act)));
		json_object_object_add(g, "title", jstr(catalog_activity_title(act, CATALOG_EN)));
		json_object_object_add(g, "tasks", gt);
		json_object_array_add(groups, g);
	}
	json_object_object_add(c, "task_groups", groups);

	/* Blockers with their L1/L2 titles. */
	if (json_object_object_get_ex(c, "blockers", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "l1_status", &v);
			e = catalog_l1_find(json_object_get_string(v));
			json_object_object_add(x, "l1_title", jstr(e ? e->title[CATALOG_EN] : ""));
			json_object_object_get_ex(x, "l2_reason", &v);
			e = catalog_l2_find(json_object_get_string(v));
			json_object_object_add(x, "l2_title", e ? jstr(e->title[CATALOG_EN]) : NULL);
			json_object_object_get_ex(x, "service", &v);
			json_object_object_add(x, "service_title", json_object_get_string_len(v) ?
			    jstr(service_title(json_object_get_string(v))) : NULL);
			json_object_object_get_ex(x, "resolved_on", &v);
			json_object_object_add(x, "open", json_object_new_boolean(
			    json_object_get_string_len(v) == 0));
		}
	/* Meetings: next occurrence and whether they can still change. */
	if (json_object_object_get_ex(c, "meetings", &arr))
		for (i = 0; i < json_object_array_length(arr); i++) {
			x = json_object_array_get_idx(arr, i);
			json_object_object_get_ex(x, "status", &v);
			k = strcmp(json_object_get_string(v), "scheduled") == 0;
			json_object_object_add(x, "active", json_object_new_boolean((int)k));
			/* Present only once the series changed: templates test presence, not 0. */
			json_object_object_get_ex(x, "sequence", &v);
			if (json_object_get_int(v) > 0)
				json_object_object_add(x, "update", json_object_new_int(json_object_get_int(v)));
			json_object_object_get_ex(x, "starts_at", &v);
			{
				json_object *ew;
				json_object_object_get_ex(x, "every_weeks", &ew);
				if (k && playbook_next_occurrence(json_object_get_string(v),
				    json_object_get_int(ew), today, next, sizeof(next)) == 0)
					json_object_object_add(x, "next_on", jstr(next));
			}
		}
	if (json_object_object_get_ex(c, "outbox", &arr))
		for (i = 0; i < json_object_array_length(arr); i++)
			parse_member(json_object_array_get_idx(arr, i), "recipients");
	if (json_object_object_get_ex(c, "audit", &arr))
		for (i = 0; i < json_object_array_length(arr); i++)
			parse_member(json_object_array_get_idx(arr, i), "details");
	json_object_object_add(c, "catalog", catalog_view());
	add_phase_words(c, customer_phase(&f.customer));
	if (f.customer.review_outcome[0] != '\0') {
		const struct catalog_entry *oc = catalog_outcome_find(f.customer.review_outcome);

		json_object_object_add(c, "review_outcome_title",
		    jstr(oc ? oc->title[CATALOG_EN] : f.customer.review_outcome));
	}
	{
		char today_s[11];

		text_date_format(today, today_s, sizeof(today_s));
		json_object_object_add(c, "today", jstr(today_s));
	}
	store_facts_clear(&f);
	*out = c;
	return 0;
}
