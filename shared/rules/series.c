/* series.c -- check-in meeting series (rule 3): schedule, reschedule, cancel, and who is invited to which. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "playbook.h"
#include "rules_impl.h"
#include "text.h"


/* ---------------------------------------------------------------- series attendees */

/* Does the JSON attendee array contain email (case-insensitive)? */
int
rules_attendees_index(json_object *arr, const char *email)
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

json_object *
rules_person_json(const char *name, const char *email)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "name", rules_jstr(name));
	json_object_object_add(o, "email", rules_jstr(email));
	return o;
}

/* Replace the malloc'd JSON text field *dst with the text of o. */
int
rules_set_json_field(char **dst, json_object *o, struct result *r)
{
	char *p = strdup(rules_json_text(o));

	if (p == NULL)
		return result_set(r, RESULT_IO, NULL, "playbook: out of memory");
	free(*dst);
	*dst = p;
	return 0;
}

/* Bump the series, store it and send the REQUEST to its current attendees. */
int
rules_meeting_update_and_request(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, struct result *r)
{
	json_object	*to;
	int		 rc;

	m->sequence++;
	if (store_meeting_update(pb->st, m, pb->now, r) == -1)
		return -1;
	if ((to = json_tokener_parse(m->attendees)) == NULL)
		return result_set(r, RESULT_IO, NULL, "meeting %" PRId64 ": attendees are not JSON", m->id);
	rc = rules_queue_meeting_mail(pb, c, m, "REQUEST", to, NULL, r);
	json_object_put(to);
	return rc;
}

/* Cancel series m for all its attendees (SEQUENCE + 1, METHOD:CANCEL; RFC 5546 3.2.5). */
int
rules_meeting_cancel_all(const struct playbook *pb, const struct store_customer *c,
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
	rc = rules_queue_meeting_mail(pb, c, m, "CANCEL", to, NULL, r);
	json_object_put(to);
	if (rc == -1)
		return -1;
	d = json_object_new_object();
	json_object_object_add(d, "uid", rules_jstr(m->uid));
	json_object_object_add(d, "sequence", json_object_new_int(m->sequence));
	json_object_object_add(d, "reason", rules_jstr(why));
	return rules_audit(pb, "meeting.cancel", "meeting", m->id, c->id, d, r);
}

/*
 * Rule 2 after a service became CSM-led: each scheduled series keeps only
 * the services the FM still covers; one left with none is cancelled.
 */
int
rules_series_apply_suppression(const struct playbook *pb, const struct store_customer *c,
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
				if (strcmp(svcs[j].service, key) == 0 && rules_fm_covers(&svcs[j]))
					json_object_array_add(keep, rules_jstr(key));
		}
		if (json_object_array_length(keep) == 0) {
			json_object_put(covered);
			json_object_put(keep);
			if (rules_meeting_cancel_all(pb, c, &ms[i],
			    "every service the series covered is now CSM-led", r) == -1)
				goto out;
			continue;
		}
		if (json_object_array_length(keep) != json_object_array_length(covered)) {
			/* Coverage narrowed: the agenda changes, the meeting does not. */
			if (rules_set_json_field(&ms[i].services, keep, r) == -1 ||
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
int
rules_series_add_service(const struct playbook *pb, int64_t customer_id, const char *service,
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
			json_object_array_add(covered, rules_jstr(service));
			if (rules_set_json_field(&ms[i].services, covered, r) == -1 ||
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
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_in_execution(pb, customer_id, &c, r) == -1)
		goto fail;
	/* No interval given: the customer's agreed cadence. */
	if (every_weeks == 0)
		every_weeks = c.cadence_weeks > 0 ? c.cadence_weeks : 2;
	if (day < rules_customer_today(pb, &c)) {
		result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at %s is in the past in the customer's time zone %s", starts_at, c.timezone);
		goto fail;
	}
	if (store_service_list(pb->st, customer_id, &svcs, &ns, r) == -1)
		goto fail;
	covered = json_object_new_array();
	for (i = 0; i < ns; i++)
		if (rules_fm_covers(&svcs[i]))
			json_object_array_add(covered, rules_jstr(svcs[i].service));
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
			json_object_array_add(att, rules_person_json(ks[i].name, ks[i].email));
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
	if ((m.attendees = strdup(rules_json_text(att))) == NULL ||
	    (m.services = strdup(rules_json_text(covered))) == NULL) {
		result_set(r, RESULT_IO, NULL, "playbook: out of memory");
		goto fail;
	}
	if (store_meeting_insert(pb->st, &m, pb->now, r) == -1 ||
	    rules_queue_meeting_mail(pb, &c, &m, "REQUEST", att, NULL, r) == -1)
		goto fail;
	d = json_object_new_object();
	json_object_object_add(d, "uid", rules_jstr(m.uid));
	json_object_object_add(d, "starts_at", rules_jstr(starts_at));
	json_object_object_add(d, "every_weeks", json_object_new_int(every_weeks));
	json_object_object_add(d, "duration_minutes", json_object_new_int(duration_minutes));
	if (rules_audit(pb, "meeting.schedule", "meeting", m.id, customer_id, d, r) == -1)
		goto fail;
	if (rules_commit(pb, r) == -1)
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
	if (rules_begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rules_rollback(pb);
	if (starts_at && *starts_at) {
		if (day < rules_customer_today(pb, &c)) {
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
	if (rules_meeting_update_and_request(pb, &c, &m, r) == -1)
		goto fail;
	d = json_object_new_object();
	json_object_object_add(d, "uid", rules_jstr(m.uid));
	json_object_object_add(d, "sequence", json_object_new_int(m.sequence));
	json_object_object_add(d, "starts_at", rules_jstr(m.starts_at));
	json_object_object_add(d, "every_weeks", json_object_new_int(m.every_weeks));
	json_object_object_add(d, "duration_minutes", json_object_new_int(m.duration_minutes));
	if (rules_audit(pb, "meeting.reschedule", "meeting", m.id, c.id, d, r) == -1)
		goto fail;
	store_meeting_free(&m);
	return rules_commit(pb, r);
fail:
	store_meeting_free(&m);
	return rules_rollback(pb);
}

int
playbook_meeting_cancel(const struct playbook *pb, int64_t meeting_id, struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	 m;

	if (rules_begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rules_rollback(pb);
	if (rules_meeting_cancel_all(pb, &c, &m, "cancelled by the FM", r) == -1) {
		store_meeting_free(&m);
		return rules_rollback(pb);
	}
	store_meeting_free(&m);
	return rules_commit(pb, r);
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
	*payload = rules_invite_payload(pb, &c, &m, cancelled ? "CANCEL" : "REQUEST", to, r);
	json_object_put(to);
	store_meeting_free(&m);
	return *payload ? 0 : -1;
}
