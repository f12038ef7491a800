/* progress.c -- what happens between check-ins (rules 4, 5, 6) and the exit to Success Review. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "playbook.h"
#include "rules_impl.h"
#include "text.h"
#include "usagecsv.h"


/* ---------------------------------------------------------------- progress */

/* Check one AU sample against the rules; the customer row must be loaded. */
int
playbook_usage_counts_check(long long active, long long eligible, struct result *r)
{
	if (eligible <= 0)
		return result_set(r, RESULT_INVALID, "eligible_users",
		    "eligible_users must be greater than 0, not %lld", eligible);
	if (active < 0)
		return result_set(r, RESULT_INVALID, "active_users",
		    "active_users must not be negative (%lld)", active);
	if (active > eligible)
		return result_set(r, RESULT_INVALID, "active_users",
		    "active_users (%lld) cannot exceed eligible_users (%lld)", active, eligible);
	return 0;
}

static int
usage_check(const struct playbook *pb, const struct store_customer *c, const char *service,
    const char *measured_on, long long active, long long eligible,
    const struct catalog_service **csp, struct result *r)
{
	int32_t day;

	if ((*csp = rules_check_service(r, service)) == NULL ||
	    rules_check_date(r, "measured_on", measured_on, &day) == -1)
		return -1;
	if (playbook_usage_counts_check(active, eligible, r) == -1)
		return -1;
	if (day > rules_customer_today(pb, c))
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
	json_object_object_add(d, "service", rules_jstr(s->service));
	json_object_object_add(d, "measured_on", rules_jstr(measured_on));
	json_object_object_add(d, "active_users", json_object_new_int64(active));
	json_object_object_add(d, "eligible_users", json_object_new_int64(eligible));
	json_object_object_add(d, "source", rules_jstr(u.source));
	return rules_audit(pb, "usage.record", "customer_service", s->id, customer_id, d, r);
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
	if (rules_check_service(r, service) == NULL ||
	    rules_check_date(r, "measured_on", measured_on, &day) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_USAGE, &c, r) == -1 ||
	    usage_check(pb, &c, service, measured_on, active, eligible, &cs, r) == -1)
		return rules_rollback(pb);
	if (store_service_get(pb->st, customer_id, cs->key, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "%s is not an intended service of this customer", cs->title[CATALOG_EN]);
		return rules_rollback(pb);
	}
	if (usage_put(pb, customer_id, &s, measured_on, active, eligible, source, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
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
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_USAGE, &c, r) == -1)
		return rules_rollback(pb);
	arr = json_object_new_array();
	for (i = 0; i < n; i++) {
		const char *why = NULL;
		char pct[32];

		eligible = samples[i].active + samples[i].inactive;
		o = json_object_new_object();
		json_object_object_add(o, "service", rules_jstr(samples[i].service));
		json_object_object_add(o, "title", rules_jstr(rules_service_title(samples[i].service)));
		json_object_object_add(o, "measured_on", rules_jstr(samples[i].measured_on));
		json_object_object_add(o, "active_users", json_object_new_int64(samples[i].active));
		json_object_object_add(o, "inactive_users", json_object_new_int64(samples[i].inactive));
		json_object_object_add(o, "eligible_users", json_object_new_int64(eligible));
		au = playbook_au_percent(samples[i].active, eligible);
		json_object_object_add(o, "au_percent", playbook_json_percent(au));
		i18n_percent(au, pct, sizeof(pct));
		json_object_object_add(o, "au_percent_text", rules_jstr(pct));
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
			json_object_object_add(o, "skip_reason", rules_jstr(why));
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
	} else if (rules_commit(pb, r) == -1) {
		json_object_put(arr);
		return -1;
	}
	*report = arr;
	*imported = ok;
	return 0;
fail:
	json_object_put(arr);
	return rules_rollback(pb);
}

/* The checks of a check-in that need no store: every field's shape, the dates' order. */
static int
checkin_shape(const struct playbook_checkin_input *in, int32_t *held, struct result *r)
{
	int32_t next;

	if (rules_check_date(r, "held_on", in->held_on, held) == -1 ||
	    rules_check_field(r, &field_checkin_summary, in->summary, 0) == -1 ||
	    rules_check_field(r, &field_next_action, in->next_action, 1) == -1 ||
	    rules_check_date(r, "next_action_on", in->next_action_on, &next) == -1 ||
	    rules_check_field(r, &field_next_action_owner, in->next_action_owner, 1) == -1)
		return -1;
	if (next < *held)
		return result_set(r, RESULT_INVALID, "next_action_on",
		    N_("the next action's date %s is before the meeting (%s)"), in->next_action_on,
		    in->held_on);
	if (in->n_services > STORE_CHECKIN_SERVICES_MAX)
		return result_set(r, RESULT_INVALID, "services", "too many services (%zu)", in->n_services);
	return 0;
}

/*
 * The checks that need customer c (the day in its zone, the services the FM
 * covers), then k's fields from in (k->id, customer_id and held_by are the
 * caller's); *services gets the keys as JSON for the audit (caller's).
 */
static int
checkin_fill(const struct playbook *pb, const struct store_customer *c, int32_t held,
    const struct playbook_checkin_input *in, struct store_checkin *k, json_object **services,
    struct result *r)
{
	struct store_service	*svcs = NULL;
	size_t			 ns, i, j;
	json_object		*arr;

	*services = NULL;
	if (held > rules_customer_today(pb, c))
		return result_set(r, RESULT_INVALID, "held_on",
		    "held_on %s is in the future: log a check-in after it happened", in->held_on);
	if (store_service_list(pb->st, c->id, &svcs, &ns, r) == -1)
		return -1;
	arr = json_object_new_array();
	for (i = 0; i < in->n_services; i++) {
		for (j = 0; j < ns; j++)
			if (strcmp(svcs[j].service, in->services[i]) == 0 && rules_fm_covers(&svcs[j]))
				break;
		if (j == ns) {
			result_set(r, RESULT_INVALID, "services",
			    "\"%.40s\" is not a live service the FM covers for this customer "
			    "(CSM-led services are the CSM's)", in->services[i]);
			free(svcs);
			json_object_put(arr);
			return -1;
		}
		json_object_array_add(arr, rules_jstr(in->services[i]));
	}
	free(svcs);
	text_copy(k->held_on, sizeof(k->held_on), in->held_on);
	text_copy(k->summary, sizeof(k->summary), in->summary ? in->summary : "");
	text_copy(k->next_action, sizeof(k->next_action), in->next_action);
	text_copy(k->next_action_on, sizeof(k->next_action_on), in->next_action_on);
	text_copy(k->next_action_owner, sizeof(k->next_action_owner), in->next_action_owner);
	/* Each key matched a customer_service row's key, which has the same size. */
	for (i = 0; i < in->n_services; i++)
		text_copy_fit(k->services[i], sizeof(k->services[i]), in->services[i]);
	k->n_services = in->n_services;
	*services = arr;
	return 0;
}

int
playbook_checkin_log(const struct playbook *pb, int64_t customer_id,
    const struct playbook_checkin_input *in, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_checkin	 k;
	int32_t			 held;
	json_object		*arr, *d;

	if (checkin_shape(in, &held, r) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	memset(&k, 0, sizeof(k));
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_CHECKINS, &c, r) == -1 ||
	    checkin_fill(pb, &c, held, in, &k, &arr, r) == -1)
		return rules_rollback(pb);
	k.customer_id = customer_id;
	text_copy(k.held_by, sizeof(k.held_by), pb->actor);
	if (store_checkin_insert(pb->st, &k, pb->now, r) == -1) {
		json_object_put(arr);
		return rules_rollback(pb);
	}
	d = rules_details("held_on", in->held_on, "next_action_on", in->next_action_on, (char *)NULL);
	json_object_object_add(d, "services", arr);
	return rules_finish_create(pb, "checkin.log", "checkin", k.id, customer_id, d, id, r);
}

/* A check-in's services as one text, "exchange, teams", for the audit's old -> new. */
static void
checkin_services_text(const struct store_checkin *k, char *out, size_t size)
{
	size_t i;

	out[0] = '\0';
	for (i = 0; i < k->n_services; i++)
		snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? ", " : "", k->services[i]);
}

int
playbook_checkin_edit(const struct playbook *pb, int64_t checkin_id,
    const struct playbook_checkin_input *in, struct result *r)
{
	struct store_customer	 c;
	struct store_checkin	 was, k;
	int32_t			 held;
	json_object		*arr, *d;
	char			 a[STORE_CHECKIN_SERVICES_MAX * (STORE_SERVICE_SIZE + 2)];
	char			 b[sizeof(a)];

	if (checkin_shape(in, &held, r) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_checkin_get(pb->st, checkin_id, &was, r) == -1 ||
	    rules_customer_for(pb, was.customer_id, PLAYBOOK_ACTION_CHECKINS, &c, r) == -1)
		return rules_rollback(pb);
	k = was;
	if (checkin_fill(pb, &c, held, in, &k, &arr, r) == -1)
		return rules_rollback(pb);
	json_object_put(arr);
	/* Who changed what: each changed field as "old -> new"; the actor is the audit row's. */
	d = json_object_new_object();
	rules_audit_change(d, "held_on", was.held_on, k.held_on);
	rules_audit_change(d, "summary", was.summary, k.summary);
	rules_audit_change(d, "next_action", was.next_action, k.next_action);
	rules_audit_change(d, "next_action_on", was.next_action_on, k.next_action_on);
	rules_audit_change(d, "next_action_owner", was.next_action_owner, k.next_action_owner);
	checkin_services_text(&was, a, sizeof(a));
	checkin_services_text(&k, b, sizeof(b));
	rules_audit_change(d, "services", a, b);
	if (json_object_object_length(d) == 0) {	/* nothing changed: nothing written */
		json_object_put(d);
		return rules_commit(pb, r);
	}
	if (store_checkin_update(pb->st, &k, r) == -1) {
		json_object_put(d);
		return rules_rollback(pb);
	}
	if (rules_audit(pb, "checkin.edit", "checkin", k.id, c.id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
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
	if (rules_check_field(r, &field_task_note, note, 0) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_TASKS, &c, r) == -1 ||
	    store_task_get(pb->st, customer_id, ftop_id, &t, r) == -1 ||
	    store_task_complete(pb->st, customer_id, ftop_id, pb->actor, note ? note : "",
	    pb->now, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "ftop_id", json_object_new_int(ftop_id));
	if (note && *note)
		json_object_object_add(d, "note", rules_jstr(note));
	if (rules_audit(pb, "task.complete", "task", t.id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_blocker_status_check(const char *l1_status, const char *l2_reason, struct result *r)
{
	const char	*l1 = l1_status && *l1_status ? l1_status : "blocked";

	if (catalog_find(CATALOG_L1, l1) == NULL)
		return result_set(r, RESULT_INVALID, "l1_status", "\"%.40s\" is not an L1 status", l1);
	if (l2_reason == NULL || *l2_reason == '\0') {
		if (strcmp(l1, "blocked") == 0)
			return result_set(r, RESULT_INVALID, "l2_reason",
			    "a Blocked entry needs its L2 reason");
	} else if (catalog_find(CATALOG_L2, l2_reason) == NULL)
		return result_set(r, RESULT_INVALID, "l2_reason",
		    "\"%.40s\" is not one of the ten L2 reasons", l2_reason);
	return 0;
}

int
playbook_blocker_open(const struct playbook *pb, int64_t customer_id,
    const struct playbook_blocker_input *in, int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_service	 s;
	struct store_blocker	 b;
	char			 today[11];
	const char		*l1 = in->l1_status && *in->l1_status ? in->l1_status : "blocked";

	if (rules_check_field(r, &field_blocker_description, in->description, 1) == -1 ||
	    rules_check_field(r, &field_blocker_owner, in->owner, 1) == -1)
		return -1;
	if (playbook_blocker_status_check(in->l1_status, in->l2_reason, r) == -1)
		return -1;
	if (in->service && *in->service && rules_check_service(r, in->service) == NULL)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_BLOCKERS, &c, r) == -1)
		return rules_rollback(pb);
	if (in->service && *in->service &&
	    store_service_get(pb->st, customer_id, in->service, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "%s is not a service of this customer", rules_service_title(in->service));
		return rules_rollback(pb);
	}
	memset(&b, 0, sizeof(b));
	b.customer_id = customer_id;
	text_copy(b.service, sizeof(b.service), in->service ? in->service : "");
	text_copy(b.l1_status, sizeof(b.l1_status), l1);
	text_copy(b.l2_reason, sizeof(b.l2_reason), in->l2_reason ? in->l2_reason : "");
	text_copy(b.description, sizeof(b.description), in->description);
	text_copy(b.owner, sizeof(b.owner), in->owner);
	text_date_format(rules_customer_today(pb, &c), today, sizeof(today));
	text_copy(b.opened_on, sizeof(b.opened_on), today);
	if (store_blocker_insert(pb->st, &b, pb->now, r) == -1)
		return rules_rollback(pb);
	return rules_finish_create(pb, "blocker.open", "blocker", b.id, customer_id,
	    rules_details("l2_reason", b.l2_reason, "service", b.service, "owner", b.owner,
	    (char *)NULL), id, r);
}

int
playbook_blocker_resolve(const struct playbook *pb, int64_t blocker_id, const char *resolution,
    struct result *r)
{
	struct store_blocker	 b;
	struct store_customer	 c;
	json_object		*d;
	char			 today[11];

	if (rules_check_field(r, &field_blocker_resolution, resolution, 1) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_blocker_get(pb->st, blocker_id, &b, r) == -1 ||
	    rules_customer_for(pb, b.customer_id, PLAYBOOK_ACTION_BLOCKERS, &c, r) == -1)
		return rules_rollback(pb);
	text_date_format(rules_customer_today(pb, &c), today, sizeof(today));
	if (store_blocker_resolve(pb->st, blocker_id, today, resolution, pb->now, r) == -1)
		return rules_rollback(pb);
	d = rules_details("resolution", resolution, (char *)NULL);
	if (rules_audit(pb, "blocker.resolve", "blocker", blocker_id, b.customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
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

	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_facts_get(pb->st, customer_id, &f, r) == -1)
		return rules_rollback(pb);
	if (rules_customer_access(pb, &f.customer, 1, r) == -1) {
		store_facts_clear(&f);
		return rules_rollback(pb);
	}
	if (rules_phase_check(&f.customer, PLAYBOOK_ACTION_REVIEW_START, r) == -1) {
		store_facts_clear(&f);
		return rules_rollback(pb);
	}
	if ((rd = malloc(sizeof(*rd))) == NULL) {
		store_facts_clear(&f);
		result_set(r, RESULT_IO, NULL, "playbook: out of memory");
		return rules_rollback(pb);
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
		return rules_rollback(pb);
	}
	free(rd);
	f.customer.phase[0] = '\0';
	text_copy(f.customer.phase, sizeof(f.customer.phase),
	    playbook_phase_key(PLAYBOOK_PHASE_SUCCESS_REVIEW));
	if (store_customer_update(pb->st, &f.customer, pb->now, r) == -1) {
		store_facts_clear(&f);
		return rules_rollback(pb);
	}
	store_facts_clear(&f);
	memset(&t, 0, sizeof(t));
	t.customer_id = customer_id;
	t.ftop_id = CATALOG_FTOP_SUCCESS_REVIEW;
	ct = catalog_task_find(CATALOG_FTOP_SUCCESS_REVIEW);
	t.required = ct ? ct->required : 1;
	if (store_task_ensure(pb->st, &t, pb->now, &created, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "ftop_id", json_object_new_int(CATALOG_FTOP_SUCCESS_REVIEW));
	if (rules_audit(pb, "review.start", "customer", customer_id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
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
	if ((oc = catalog_find(CATALOG_OUTCOMES, outcome)) == NULL)
		return result_set(r, RESULT_INVALID, "outcome",
		    "\"%.40s\" is not one of the four Success Review outcomes", outcome);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_REVIEW_OUTCOME, &c, r) == -1)
		return rules_rollback(pb);
	text_copy(c.review_outcome, sizeof(c.review_outcome), oc->key);
	text_copy(c.phase, sizeof(c.phase), playbook_phase_key(PLAYBOOK_PHASE_CLOSED));
	if (store_customer_update(pb->st, &c, pb->now, r) == -1)
		return rules_rollback(pb);
	if (store_task_get(pb->st, customer_id, CATALOG_FTOP_SUCCESS_REVIEW, &t, r) == 0 &&
	    strcmp(t.status, "open") == 0 &&
	    store_task_complete(pb->st, customer_id, CATALOG_FTOP_SUCCESS_REVIEW, pb->actor,
	    oc->title[CATALOG_EN], pb->now, r) == -1)
		return rules_rollback(pb);
	result_clear(r);
	/* The engagement ends: the check-in series leave the customer's calendars. */
	if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
		return rules_rollback(pb);
	for (i = 0; i < nm; i++)
		if (rules_meeting_cancel_all(pb, &c, &ms[i], "Success Review completed", r) == -1)
			break;
	store_meeting_list_free(ms, nm);
	if (i < nm)
		return rules_rollback(pb);
	d = rules_details("outcome", oc->key, (char *)NULL);
	if (rules_audit(pb, "review.outcome", "customer", customer_id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_outbox_retry(const struct playbook *pb, int64_t outbox_id, struct result *r)
{
	struct store_outbox_row	 row;
	struct store_customer	 c;
	json_object		*d;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (store_outbox_get(pb->st, outbox_id, &row, r) == -1)
		return rules_rollback(pb);
	if (rules_customer_get(pb, row.customer_id, &c, 1, r) == -1) {
		store_outbox_row_free(&row);
		return rules_rollback(pb);
	}
	if (store_outbox_requeue(pb->st, outbox_id, pb->now, r) == -1) {
		store_outbox_row_free(&row);
		return rules_rollback(pb);
	}
	d = rules_details("kind", row.kind, (char *)NULL);
	if (rules_audit(pb, "outbox.retry", "outbox", outbox_id, row.customer_id, d, r) == -1) {
		store_outbox_row_free(&row);
		return rules_rollback(pb);
	}
	store_outbox_row_free(&row);
	return rules_commit(pb, r);
}
