/*
 * playbook.c -- what every rule shares (input guards, one transaction per
 * action with its audit row) and the actions on customers and contacts; the
 * payloads of the mail an action queues are built in notices.c.  The other rules live beside it:
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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "notice.h"
#include "present.h"
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

int
playbook_domain_check(const char *tenant_domain, struct result *r)
{
	return check_domain(r, tenant_domain);
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

	return cs ? cs->title[catalog_lang_now()] : key;
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

/* The API's words for the states and phases, from their one list in playbook.h. */
#define STATE_KEY(e, key)	[PLAYBOOK_STATE_##e] = #key,
static const char *const state_keys[PLAYBOOK_STATE__MAX] = { PLAYBOOK_STATES(STATE_KEY) };
#define PHASE_KEY(e, key)	[PLAYBOOK_PHASE_##e] = #key,
static const char *const phase_keys[PLAYBOOK_PHASE__MAX] = { PLAYBOOK_PHASES(PHASE_KEY) };

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
rules_key_index(const char *const *keys, size_t n, const char *key)
{
	size_t i;

	for (i = 0; key != NULL && i < n; i++)
		if (strcmp(keys[i], key) == 0)
			return (int)i;
	return -1;
}

int
playbook_phase_parse(const char *key, enum playbook_phase *out)
{
	int i = rules_key_index(phase_keys, PLAYBOOK_PHASE__MAX, key);

	if (i == -1)
		return -1;
	*out = (enum playbook_phase)i;
	return 0;
}

int
playbook_state_parse(const char *key, enum playbook_state *out)
{
	int i = rules_key_index(state_keys, PLAYBOOK_STATE__MAX, key);

	return i == -1 ? -1 : (*out = (enum playbook_state)i, 0);
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

json_object *
rules_details(const char *key, ...)
{
	json_object	*d = json_object_new_object();
	va_list		 ap;

	va_start(ap, key);
	for (; key != NULL; key = va_arg(ap, const char *))
		json_object_object_add(d, key, rules_jstr(va_arg(ap, const char *)));
	va_end(ap);
	return d;
}

int
rules_finish_create(const struct playbook *pb, const char *action, const char *entity,
    int64_t entity_id, int64_t customer_id, json_object *details, int64_t *id, struct result *r)
{
	if (rules_audit(pb, action, entity, entity_id, customer_id, details, r) == -1)
		return rules_rollback(pb);
	if (rules_commit(pb, r) == -1)
		return -1;
	if (id)
		*id = entity_id;
	return 0;
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

#define PLAYBOOK_ACTION_KEY(e, key)	#key,
static const char *const action_keys[PLAYBOOK_ACTION__MAX] = { PLAYBOOK_ACTIONS(PLAYBOOK_ACTION_KEY) };

const char *
playbook_action_key(enum playbook_action action)
{
	return (unsigned)action < PLAYBOOK_ACTION__MAX ? action_keys[action] : "";
}

#define ACT(a)	(1u << PLAYBOOK_ACTION_##a)
/*
 * Success Execution takes everything but the review's outcome.  In Success
 * Review the customer met its targets: services, check-ins, series and the
 * CSM are settled, while the review's own task (3735), a blocker it raises,
 * the contacts and the outcome remain.  A closed customer keeps its
 * contacts, so the record of who is who can still be corrected.  Usage is
 * a measurement of the tenant, not a step of the engagement: the admin
 * center's reports keep coming whatever the phase (the sample data imports
 * them weekly up to today), so every phase records them.
 */
static const unsigned phase_allows[PLAYBOOK_PHASE__MAX] = {
	[PLAYBOOK_PHASE_EXECUTION] = ((1u << PLAYBOOK_ACTION__MAX) - 1u) & ~ACT(REVIEW_OUTCOME),
	[PLAYBOOK_PHASE_SUCCESS_REVIEW] = ACT(USAGE) | ACT(TASKS) | ACT(BLOCKERS) | ACT(CONTACTS) |
	    ACT(REVIEW_OUTCOME),
	[PLAYBOOK_PHASE_CLOSED] = ACT(USAGE) | ACT(CONTACTS),
};
#undef ACT

int
playbook_phase_allows(enum playbook_phase phase, enum playbook_action action)
{
	if ((unsigned)phase >= PLAYBOOK_PHASE__MAX || (unsigned)action >= PLAYBOOK_ACTION__MAX)
		return 0;
	return (phase_allows[phase] >> action) & 1u;
}

int
playbook_customer_allows(const struct store_customer *c, enum playbook_action action)
{
	return c->archived_at == 0 && playbook_phase_allows(rules_customer_phase(c), action);
}

int
rules_phase_check(const struct store_customer *c, enum playbook_action action, struct result *r)
{
	enum playbook_phase phase = rules_customer_phase(c);

	if (playbook_customer_allows(c, action))
		return 0;
	if (c->archived_at != 0)
		return result_set(r, RESULT_CONFLICT, "id", "%s is archived: unarchive it first",
		    c->name);
	return result_set(r, RESULT_CONFLICT, "id", "%s is in %s: %s", c->name,
	    present_phase_title(phase), present_action_refusal(action));
}

/* Load a customer for a change by action, which its phase must allow. */
int
rules_customer_for(const struct playbook *pb, int64_t id, enum playbook_action action,
    struct store_customer *c, struct result *r)
{
	if (rules_customer_get(pb, id, c, 1, r) == -1)
		return -1;
	return rules_phase_check(c, action, r);
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
	if (in->language && *in->language && i18n_index(in->language) < 0)
		return result_set(r, RESULT_INVALID, "language",
		    "language must be en, pt-BR or empty (the FM's), not \"%.20s\"", in->language);
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
	/* An FM creates their own customers; giving one to someone else is a manager's call. */
	if (strcmp(c.owner_fm, pb->actor ? pb->actor : "") != 0 &&
	    playbook_need_role(pb, PLAYBOOK_ROLE_MANAGER, "Creating a customer for another FM",
	    r) == -1)
		return -1;
	c.cadence_weeks = in->cadence_weeks ? in->cadence_weeks :
	    (pb->default_cadence_weeks ? pb->default_cadence_weeks : 2);
	text_copy(c.language, sizeof(c.language), in->language ? in->language : "");
	text_copy(c.phase, sizeof(c.phase), playbook_phase_key(PLAYBOOK_PHASE_EXECUTION));
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_check_owner(pb, c.owner_fm, r) == -1 ||
	    store_customer_insert(pb->st, &c, pb->now, r) == -1)
		return rules_rollback(pb);
	d = rules_details("name", c.name, "tenant_domain", c.tenant_domain, "timezone", c.timezone,
	    (char *)NULL);
	return rules_finish_create(pb, "customer.create", "customer", c.id, c.id, d, id, r);
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
	if (rules_customer_get(pb, id, &c, 1, r) == -1)
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
	if (in->owner_fm && *in->owner_fm && strcmp(in->owner_fm, c.owner_fm) != 0) {
		/* A new FM is a reassignment: the manager's, with the series re-sent. */
		if (rules_customer_reassign_tx(pb, &c, in->owner_fm, r) == -1) {
			json_object_put(d);
			return rules_rollback(pb);
		}
		json_object_object_add(d, "owner_fm", rules_jstr(in->owner_fm));
	}
	if (in->cadence_weeks) {
		c.cadence_weeks = in->cadence_weeks;
		json_object_object_add(d, "cadence_weeks", json_object_new_int(in->cadence_weeks));
	}
	if (in->language && strcmp(in->language, c.language) != 0) {
		text_copy(c.language, sizeof(c.language), in->language);
		json_object_object_add(d, "language", rules_jstr(in->language));
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

	if (rules_check_field(r, &field_contact_name, name, 1) == -1 ||
	    rules_check_email(r, "email", email) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_CONTACTS, &c, r) == -1)
		return rules_rollback(pb);
	memset(&k, 0, sizeof(k));
	k.customer_id = customer_id;
	text_copy(k.name, sizeof(k.name), name);
	text_copy(k.email, sizeof(k.email), email);
	k.receives_invites = receives_invites;
	if (store_contact_insert(pb->st, &k, pb->now, r) == -1)
		return rules_rollback(pb);

	/* RFC 5546 3.2.2: a new attendee is added by a REQUEST to everyone, SEQUENCE + 1. */
	if (receives_invites) {
		if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
			return rules_rollback(pb);
		for (i = 0; i < nm; i++)
			if (store_meeting_attendee_add(&ms[i], name, email, r) == -1 ||
			    rules_meeting_update_and_request(pb, &c, &ms[i], r) == -1)
				break;
		store_meeting_list_free(ms, nm);
		if (i < nm)
			return rules_rollback(pb);
	}
	return rules_finish_create(pb, "contact.add", "contact", k.id, customer_id,
	    rules_details("name", name, "email", email, (char *)NULL), id, r);
}

/*
 * Contact k stopped receiving invites: it leaves series m with a CANCEL of
 * its own (RFC 5546 3.2.5) while the others get the updated REQUEST; the
 * series is cancelled instead when k was its last attendee.
 */
static int
attendee_leave(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, size_t idx, const struct store_contact *k, struct result *r)
{
	struct store_person one;

	if (m->n_attendees == 1)
		return rules_meeting_cancel_all(pb, c, m,
		    "its last attendee stopped receiving invites", r);
	one = m->attendees[idx];
	store_meeting_attendee_remove(m, idx);
	if (rules_meeting_update_and_request(pb, c, m, r) == -1)
		return -1;
	return rules_queue_meeting_mail(pb, c, m, "CANCEL", &one, 1, k->email, r);
}

int
playbook_customer_archive(const struct playbook *pb, int64_t id, int archive, struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	*ms = NULL;
	size_t			 nm = 0;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_get(pb, id, &c, 1, r) == -1)
		return rules_rollback(pb);
	if ((c.archived_at != 0) == (archive != 0)) {
		result_set(r, RESULT_CONFLICT, "id", "%s is %s archived", c.name,
		    archive ? "already" : "not");
		return rules_rollback(pb);
	}
	if (archive) {
		/* Archiving mails no one: a running series would go on inviting people. */
		if (store_meeting_list_active(pb->st, id, &ms, &nm, r) == -1)
			return rules_rollback(pb);
		store_meeting_list_free(ms, nm);
		if (nm > 0) {
			result_set(r, RESULT_CONFLICT, "id", "%s has a check-in series running:"
			    " cancel it before archiving the customer", c.name);
			return rules_rollback(pb);
		}
	}
	if (store_customer_archive(pb->st, id, archive ? pb->now : 0, pb->now, r) == -1 ||
	    rules_audit(pb, archive ? "customer.archive" : "customer.unarchive", "customer", id,
	    id, rules_details("name", c.name, (char *)NULL), r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

/*
 * Contact k joins (join = 1) or leaves each active series of customer c it
 * is (not) an attendee of: a joiner is added with a REQUEST to everyone, a
 * leaver gets its own CANCEL (attendee_leave).
 */
static int
contact_series_sync(const struct playbook *pb, const struct store_customer *c,
    const struct store_contact *k, int join, struct result *r)
{
	struct store_meeting	*ms = NULL;
	size_t			 nm = 0, i;
	int			 idx, rc = 0;

	if (store_meeting_list_active(pb->st, c->id, &ms, &nm, r) == -1)
		return -1;
	for (i = 0; i < nm && rc == 0; i++) {
		idx = store_meeting_attendee_find(&ms[i], k->email);
		if (join && idx < 0)
			rc = store_meeting_attendee_add(&ms[i], k->name, k->email, r) == -1 ? -1 :
			    rules_meeting_update_and_request(pb, c, &ms[i], r);
		else if (!join && idx >= 0)
			rc = attendee_leave(pb, c, &ms[i], (size_t)idx, k, r);
	}
	store_meeting_list_free(ms, nm);
	return rc;
}

int
playbook_contact_set_invites(const struct playbook *pb, int64_t contact_id,
    int receives_invites, struct result *r)
{
	struct store_customer	 c;
	struct store_contact	 k;
	json_object		*d;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_contact_get(pb->st, contact_id, &k, r) == -1 ||
	    rules_customer_for(pb, k.customer_id, PLAYBOOK_ACTION_CONTACTS, &c, r) == -1)
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
	d = rules_details("email", k.email, (char *)NULL);
	json_object_object_add(d, "receives_invites", json_object_new_boolean(receives_invites));
	if (rules_audit(pb, "contact.invites", "contact", k.id, c.id, d, r) == -1 ||
	    contact_series_sync(pb, &c, &k, receives_invites, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

void
rules_audit_change(json_object *d, const char *key, const char *old, const char *new)
{
	size_t	 n = strlen(old) + strlen(new) + 5;
	char	*both;

	if (strcmp(old, new) == 0)
		return;
	/* A failed allocation still records that the field changed. */
	if ((both = malloc(n)) == NULL) {
		json_object_object_add(d, key, json_object_new_string("changed"));
		return;
	}
	snprintf(both, n, "%s -> %s", old, new);
	json_object_object_add(d, key, json_object_new_string(both));
	free(both);
}

int
playbook_contact_edit(const struct playbook *pb, int64_t contact_id, const char *name,
    const char *email, struct result *r)
{
	struct store_customer	 c;
	struct store_contact	 k, was;
	json_object		*d;

	if (rules_check_field(r, &field_contact_name, name, 1) == -1 ||
	    rules_check_email(r, "email", email) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_contact_get(pb->st, contact_id, &k, r) == -1 ||
	    rules_customer_for(pb, k.customer_id, PLAYBOOK_ACTION_CONTACTS, &c, r) == -1)
		return rules_rollback(pb);
	was = k;
	text_copy(k.name, sizeof(k.name), name);
	text_copy(k.email, sizeof(k.email), email);
	d = json_object_new_object();
	rules_audit_change(d, "name", was.name, k.name);
	rules_audit_change(d, "email", was.email, k.email);
	if (json_object_object_length(d) == 0) {	/* nothing changed: nothing written */
		json_object_put(d);
		return rules_commit(pb, r);
	}
	if (store_contact_update(pb->st, &k, r) == -1) {
		json_object_put(d);
		return rules_rollback(pb);
	}
	if (rules_audit(pb, "contact.edit", "contact", k.id, c.id, d, r) == -1)
		return rules_rollback(pb);
	/*
	 * A new address for an attendee: the old one leaves each active series
	 * with a CANCEL of its own, the new one joins it (RFC 5546 3.2.5, 3.2.2).
	 * A new name alone mails no one: invitations keep the name they had.
	 */
	if (k.receives_invites && strcasecmp(was.email, k.email) != 0 &&
	    (contact_series_sync(pb, &c, &was, 0, r) == -1 ||
	    contact_series_sync(pb, &c, &k, 1, r) == -1))
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_contact_remove(const struct playbook *pb, int64_t contact_id, struct result *r)
{
	struct store_customer	 c;
	struct store_contact	 k;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_contact_get(pb->st, contact_id, &k, r) == -1 ||
	    rules_customer_for(pb, k.customer_id, PLAYBOOK_ACTION_CONTACTS, &c, r) == -1)
		return rules_rollback(pb);
	/* The removal flow of the invitations: a CANCEL of their own, the others an update. */
	if (contact_series_sync(pb, &c, &k, 0, r) == -1 ||
	    store_contact_delete(pb->st, k.id, r) == -1 ||
	    rules_audit(pb, "contact.remove", "contact", k.id, c.id,
	    rules_details("name", k.name, "email", k.email, (char *)NULL), r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}
