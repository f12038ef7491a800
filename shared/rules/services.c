/* services.c -- services going live, their AU targets, the CSM, and the programs that lift adoption (rules 1, 2, 6). */
#include "autoconfig.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "playbook.h"
#include "rules_impl.h"
#include "text.h"

/* ---------------------------------------------------------------- services */

/* A target given (0 = none) within the one limit of fields.h, as the form and the page state it. */
static int
check_target(double target_percent, struct result *r)
{
	if (target_percent != 0 && !field_percent_valid(target_percent))
		return result_set(r, RESULT_INVALID, "target_percent",
		    "target_percent must be between %g and %g, not %g", FIELD_PERCENT_MIN,
		    FIELD_PERCENT_MAX, target_percent);
	return 0;
}

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

	if ((cs = rules_check_service(r, in->service)) == NULL)
		return -1;
	if (in->activated_on && *in->activated_on &&
	    rules_check_date(r, "activated_on", in->activated_on, &day) == -1)
		return -1;
	if (check_target(in->target_percent, r) == -1)
		return -1;
	if (in->custom_metric && rules_check_field(r, &field_custom_metric, in->custom_metric, 0) == -1)
		return -1;
	if (in->licensed_users < -1 || in->licensed_users > 100000000)
		return result_set(r, RESULT_INVALID, "licensed_users",
		    "licensed_users must be 0 to 100000000, not %lld", in->licensed_users);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_SERVICES, &c, r) == -1)
		return rules_rollback(pb);
	if (in->activated_on && *in->activated_on) {
		today = rules_customer_today(pb, &c);
		if (day > today) {
			result_set(r, RESULT_INVALID, "activated_on",
			    "activated_on %s is in the future (today is later in the customer's zone)",
			    in->activated_on);
			return rules_rollback(pb);
		}
	}
	exists = store_service_get(pb->st, customer_id, cs->key, &s, r) == 0;
	if (!exists) {
		if (r->code != RESULT_NOTFOUND)
			return rules_rollback(pb);
		result_clear(r);
		memset(&s, 0, sizeof(s));
		s.customer_id = customer_id;
		text_copy(s.service, sizeof(s.service), cs->key);
		s.licensed_users = -1;
		s.target_percent = PLAYBOOK_DEFAULT_TARGET;
	} else if (s.activated_on[0] != '\0') {
		result_set(r, RESULT_CONFLICT, "service", "%s was already activated on %s",
		    cs->title[CATALOG_EN], s.activated_on);
		return rules_rollback(pb);
	} else if (!(in->activated_on && *in->activated_on)) {
		result_set(r, RESULT_CONFLICT, "service", "%s is already an intended service",
		    cs->title[CATALOG_EN]);
		return rules_rollback(pb);
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
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "service", rules_jstr(cs->key));
	json_object_object_add(d, "activated_on", s.activated_on[0] ? rules_jstr(s.activated_on) : NULL);
	if (rules_audit(pb, s.activated_on[0] ? "service.activate" : "service.intend",
	    "customer_service", s.id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	if (s.activated_on[0] != '\0') {
		if (cs->modern_comms && c.csm_email[0] != '\0') {
			if (rules_handshake(pb, &c, &s, NULL, r) == -1 ||
			    rules_series_apply_suppression(pb, &c, r) == -1)
				return rules_rollback(pb);
		} else if (rules_series_add_service(pb, customer_id, cs->key, r) == -1)
			return rules_rollback(pb);
	}
	return rules_commit(pb, r);
}

int
playbook_service_target(const struct playbook *pb, int64_t customer_id, const char *service,
    double target_percent, const char *custom_metric, int custom_metric_met, struct result *r)
{
	struct store_customer	 c;
	struct store_service	 s;
	json_object		*d;

	if (rules_check_service(r, service) == NULL)
		return -1;
	if (check_target(target_percent, r) == -1)
		return -1;
	if (custom_metric && rules_check_field(r, &field_custom_metric, custom_metric, 0) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_SERVICES, &c, r) == -1 ||
	    store_service_get(pb->st, customer_id, service, &s, r) == -1)
		return rules_rollback(pb);
	if (target_percent != 0)
		s.target_percent = target_percent;
	if (custom_metric)
		text_copy(s.custom_metric, sizeof(s.custom_metric), custom_metric);
	s.custom_metric_met = s.custom_metric[0] ? custom_metric_met : 0;
	if (store_service_upsert(pb->st, &s, r) == -1)
		return rules_rollback(pb);
	d = json_object_new_object();
	json_object_object_add(d, "service", rules_jstr(service));
	json_object_object_add(d, "target_percent", playbook_json_percent(s.target_percent));
	json_object_object_add(d, "custom_metric", rules_jstr(s.custom_metric));
	json_object_object_add(d, "custom_metric_met", json_object_new_boolean(s.custom_metric_met));
	if (rules_audit(pb, "service.target", "customer_service", s.id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
}

int
playbook_csm_assign(const struct playbook *pb, int64_t customer_id, const char *name,
    const char *email, struct playbook_csm_outcome *out, struct result *r)
{
	struct playbook_csm_outcome	 o = { 0 };
	struct store_customer		 c;
	struct store_service		*svcs = NULL;
	size_t				 n, i;
	json_object			*d;
	char				 old[255];

	if (rules_check_field(r, &field_csm_name, name, 1) == -1 ||
	    rules_check_email(r, "email", email) == -1)
		return -1;
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_CSM, &c, r) == -1)
		return rules_rollback(pb);
	text_copy(old, sizeof(old), c.csm_email);
	/* An e-mail address is one whatever its case: the handshake key folds it too. */
	o.replaced = old[0] != '\0' && strcasecmp(old, email) != 0;
	o.changed = strcmp(c.csm_name, name) != 0 || strcmp(old, email) != 0;
	if (o.changed) {
		text_copy(c.csm_name, sizeof(c.csm_name), name);
		text_copy(c.csm_email, sizeof(c.csm_email), email);
		if (store_customer_update(pb->st, &c, pb->now, r) == -1)
			return rules_rollback(pb);
		d = rules_details("name", name, "email", email, (char *)NULL);
		if (old[0])
			json_object_object_add(d, "replaces", rules_jstr(old));
		if (rules_audit(pb, old[0] ? "csm.replace" : "csm.assign", "customer", customer_id,
		    customer_id, d, r) == -1)
			return rules_rollback(pb);
	}
	/* Rule 1, late: every Modern Comms service already live is handed over now. */
	if (store_service_list(pb->st, customer_id, &svcs, &n, r) == -1)
		return rules_rollback(pb);
	for (i = 0; i < n; i++)
		if (rules_handshake(pb, &c, &svcs[i], &o.queued, r) == -1) {
			free(svcs);
			return rules_rollback(pb);
		}
	free(svcs);
	if (rules_series_apply_suppression(pb, &c, r) == -1)
		return rules_rollback(pb);
	if (rules_commit(pb, r) == -1)
		return -1;
	if (out != NULL)
		*out = o;
	return 0;
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

	if ((cs = rules_check_service(r, service)) == NULL)
		return -1;
	if (accelerator ? !cs->accelerator_ftop : !cs->adoption_program)
		return result_set(r, RESULT_INVALID, "service",
		    "the catalog offers no %s for %s", what, cs->title[CATALOG_EN]);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_SERVICES, &c, r) == -1)
		return rules_rollback(pb);
	if (store_service_get(pb->st, customer_id, cs->key, &s, r) == -1) {
		if (r->code == RESULT_NOTFOUND)
			result_set(r, RESULT_INVALID, "service",
			    "add %s as an intended service before its %s", cs->title[CATALOG_EN], what);
		return rules_rollback(pb);
	}
	flag = accelerator ? &s.accelerator : &s.adoption_program;
	if (*flag) {
		result_set(r, RESULT_CONFLICT, "service", "the %s of %s was already %s",
		    what, cs->title[CATALOG_EN], accelerator ? "requested" : "joined");
		return rules_rollback(pb);
	}
	*flag = 1;
	if (store_service_upsert(pb->st, &s, r) == -1 ||
	    ensure_tasks(pb, customer_id, accelerator ? CATALOG_ACT_ACCELERATOR :
	    CATALOG_ACT_ADOPTION, cs->key, &created, r) == -1)
		return rules_rollback(pb);
	d = rules_details("service", cs->key, (char *)NULL);
	if (rules_audit(pb, accelerator ? "accelerator.request" : "adoption.join", "customer_service",
	    s.id, customer_id, d, r) == -1)
		return rules_rollback(pb);
	return rules_commit(pb, r);
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
