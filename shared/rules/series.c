/* series.c -- check-in meeting series (rule 3): schedule, reschedule, cancel, and who is invited to which. */
#include "autoconfig.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"
#include "ical.h"
#include "playbook.h"
#include "rules_impl.h"
#include "text.h"


/* ---------------------------------------------------------------- a series as JSON */

/* The members of a series the API and the audit rows show, each written one way. */
enum meeting_member {
	MM_ID, MM_CUSTOMER_ID, MM_UID, MM_SEQUENCE, MM_STARTS_AT, MM_TIMEZONE, MM_DURATION,
	MM_EVERY, MM_STATUS, MM_ATTENDEES, MM_SERVICES, MM_UNTIL, MM_REPLACES, MM_EXCEPTIONS,
	MM_URL, MM__MAX
};

static const char *const member_keys[MM__MAX] = {
	[MM_ID] = "id",
	[MM_CUSTOMER_ID] = "customer_id",
	[MM_UID] = "uid",
	[MM_SEQUENCE] = "sequence",
	[MM_STARTS_AT] = "starts_at",
	[MM_TIMEZONE] = "timezone",
	[MM_DURATION] = "duration_minutes",
	[MM_EVERY] = "every_weeks",
	[MM_STATUS] = "status",
	[MM_ATTENDEES] = "attendees",
	[MM_SERVICES] = "services",
	[MM_UNTIL] = "until",
	[MM_REPLACES] = "replaces",
	[MM_EXCEPTIONS] = "exceptions",
	[MM_URL] = "meeting_url",
};

json_object *
rules_people_json(const struct store_person *people, size_t n)
{
	json_object	*a = json_object_new_array(), *o;
	size_t		 i;

	for (i = 0; i < n; i++) {
		o = json_object_new_object();
		json_object_object_add(o, "name", rules_jstr(people[i].name));
		json_object_object_add(o, "email", rules_jstr(people[i].email));
		json_object_array_add(a, o);
	}
	return a;
}

static json_object *
member_value(const struct store_meeting *m, enum meeting_member k)
{
	json_object	*a;
	size_t		 i;

	switch (k) {
	case MM_ID:		return json_object_new_int64(m->id);
	case MM_CUSTOMER_ID:	return json_object_new_int64(m->customer_id);
	case MM_UID:		return rules_jstr(m->uid);
	case MM_SEQUENCE:	return json_object_new_int(m->sequence);
	case MM_STARTS_AT:	return rules_jstr(m->starts_at);
	case MM_TIMEZONE:	return rules_jstr(m->timezone);
	case MM_DURATION:	return json_object_new_int(m->duration_minutes);
	case MM_EVERY:		return json_object_new_int(m->every_weeks);
	case MM_STATUS:		return rules_jstr(m->status);
	case MM_ATTENDEES:	return rules_people_json(m->attendees, m->n_attendees);
	case MM_SERVICES:
		a = json_object_new_array();
		for (i = 0; i < m->n_services; i++)
			json_object_array_add(a, rules_jstr(m->services[i]));
		return a;
	case MM_UNTIL:		return m->until_on[0] ? rules_jstr(m->until_on) : NULL;
	case MM_REPLACES:	return m->replaces_id > 0 ? json_object_new_int64(m->replaces_id) : NULL;
	case MM_URL:		return m->meeting_url[0] ? rules_jstr(m->meeting_url) : NULL;
	case MM_EXCEPTIONS:
		a = json_object_new_array();
		for (i = 0; i < m->n_exceptions; i++) {
			json_object *e = json_object_new_object();

			json_object_object_add(e, "on", rules_jstr(m->exceptions[i].occurs_on));
			json_object_object_add(e, "moved_to", m->exceptions[i].moved_to[0] ?
			    rules_jstr(m->exceptions[i].moved_to) : NULL);
			json_object_array_add(a, e);
		}
		return a;
	case MM__MAX:
		break;
	}
	return NULL;
}

/* An object with the members `which` of m, in that order (the order the API and audit always had). */
static json_object *
meeting_object(const struct store_meeting *m, const enum meeting_member *which, size_t n)
{
	json_object	*o = json_object_new_object();
	size_t		 i;

	for (i = 0; i < n; i++)
		json_object_object_add(o, member_keys[which[i]], member_value(m, which[i]));
	return o;
}

#define MEETING_OBJECT(m, ...) meeting_object((m), (const enum meeting_member[]){ __VA_ARGS__ }, \
	sizeof((const enum meeting_member[]){ __VA_ARGS__ }) / sizeof(enum meeting_member))

int
playbook_meeting_json(const struct playbook *pb, int64_t meeting_id, json_object **out,
    struct result *r)
{
	struct store_meeting	 m;
	struct store_customer	 c;

	*out = NULL;
	if (store_meeting_get(pb->st, meeting_id, &m, r) == -1)
		return -1;
	if (rules_customer_get(pb, m.customer_id, &c, 0, r) == -1) {	/* visibility = own */
		store_meeting_free(&m);
		return -1;
	}
	*out = MEETING_OBJECT(&m, MM_ID, MM_CUSTOMER_ID, MM_UID, MM_SEQUENCE, MM_STARTS_AT,
	    MM_TIMEZONE, MM_DURATION, MM_EVERY, MM_STATUS, MM_ATTENDEES, MM_SERVICES, MM_UNTIL,
	    MM_REPLACES, MM_EXCEPTIONS, MM_URL);
	store_meeting_free(&m);
	return 0;
}

/* ---------------------------------------------------------------- series attendees */

/*
 * Bump the series, store it and send method (REQUEST, or CANCEL once its
 * status says so) to its current attendees.
 */
static int
meeting_bump_and_send(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const char *method, struct result *r)
{
	m->sequence++;
	if (store_meeting_update(pb->st, m, pb->now, r) == -1)
		return -1;
	return rules_queue_meeting_mail(pb, c, m, method, m->attendees, m->n_attendees, NULL, r);
}

/* Bump the series, store it and send the REQUEST to its current attendees. */
int
rules_meeting_update_and_request(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, struct result *r)
{
	return meeting_bump_and_send(pb, c, m, "REQUEST", r);
}

int
rules_meeting_update_from(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const struct store_meeting *before, struct result *r)
{
	m->sequence++;
	if (store_meeting_update(pb->st, m, pb->now, r) == -1)
		return -1;
	return rules_queue_meeting_change(pb, c, m, before, r);
}

/* Cancel series m for all its attendees (SEQUENCE + 1, METHOD:CANCEL; RFC 5546 3.2.5). */
int
rules_meeting_cancel_all(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const char *why, struct result *r)
{
	json_object *d;

	text_copy(m->status, sizeof(m->status), "cancelled");
	if (meeting_bump_and_send(pb, c, m, "CANCEL", r) == -1)
		return -1;
	d = MEETING_OBJECT(m, MM_UID, MM_SEQUENCE);
	json_object_object_add(d, "reason", rules_jstr(why));
	return rules_audit(pb, "meeting.cancel", "meeting", m->id, c->id, d, r);
}

/* Whether the FM covers service key among the customer's services (rule 2). */
static int
fm_covers_key(const struct store_service *svcs, size_t ns, const char *key)
{
	size_t j;

	for (j = 0; j < ns; j++)
		if (strcmp(svcs[j].service, key) == 0 && rules_fm_covers(&svcs[j]))
			return 1;
	return 0;
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
	size_t			 nm, ns, i, k, kept;
	int			 rc = -1;

	if (store_meeting_list_active(pb->st, c->id, &ms, &nm, r) == -1)
		return -1;
	if (store_service_list(pb->st, c->id, &svcs, &ns, r) == -1)
		goto out;
	for (i = 0; i < nm; i++) {
		struct store_meeting *m = &ms[i];

		for (kept = 0, k = 0; k < m->n_services; k++) {
			if (!fm_covers_key(svcs, ns, m->services[k]))
				continue;
			if (kept != k)
				memcpy(m->services[kept], m->services[k], sizeof(m->services[0]));
			kept++;
		}
		if (kept == 0) {
			/* Nothing moved: the series is cancelled with the services it had. */
			if (rules_meeting_cancel_all(pb, c, m,
			    "every service the series covered is now CSM-led", r) == -1)
				goto out;
		} else if (kept != m->n_services) {
			/* Coverage narrowed: the agenda changes, the meeting does not. */
			m->n_services = kept;
			if (store_meeting_update(pb->st, m, pb->now, r) == -1)
				goto out;
		}
	}
	rc = 0;
out:
	store_meeting_list_free(ms, nm);
	free(svcs);
	return rc;
}

/* A newly activated FM-covered service joins the agenda of every scheduled series. */
int
rules_series_add_service(const struct playbook *pb, int64_t customer_id, const char *service,
    struct result *r)
{
	struct store_meeting	*ms = NULL;
	size_t			 nm, i;
	int			 rc = 0;

	if (store_meeting_list_active(pb->st, customer_id, &ms, &nm, r) == -1)
		return -1;
	for (i = 0; i < nm && rc == 0; i++)
		if (store_meeting_service_find(&ms[i], service) < 0 &&
		    (store_meeting_service_add(&ms[i], service, r) == -1 ||
		    store_meeting_update(pb->st, &ms[i], pb->now, r) == -1))
			rc = -1;
	store_meeting_list_free(ms, nm);
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

/*
 * A start the notifier could not turn into an invite is refused here, by the
 * same check (ical_local_time): a time inside a DST gap in the customer's
 * zone was once accepted, then every invite went dead.
 */
static int
check_start_exists(const struct store_customer *c, const char *starts_at, struct result *r)
{
	struct ical_local	 lt;

	return ical_local_time(starts_at, c->timezone, &lt, r);
}

/* A customer has at most one active series: a second would double every invite. */
static int
check_no_active_series(const struct playbook *pb, const struct store_customer *c,
    struct result *r)
{
	struct store_meeting	*ms = NULL;
	size_t			 nm;
	int			 rc = 0;

	if (store_meeting_list_active(pb->st, c->id, &ms, &nm, r) == -1)
		return -1;
	if (nm > 0)
		rc = result_set(r, RESULT_CONFLICT, NULL,
		    "%s already has an active check-in series (meeting %" PRId64 ", every %d "
		    "week(s) from %s): reschedule or cancel it instead of scheduling another",
		    c->name, ms[0].id, ms[0].every_weeks, ms[0].starts_at);
	store_meeting_list_free(ms, nm);
	return rc;
}

static int
random_hex(char *out, size_t bytes)
{
	unsigned char	 b[32];

	if (bytes > sizeof(b)) {
		errno = EINVAL;
		return -1;
	}
	if (fileio_random(b, bytes) == -1)
		return -1;
	text_hex_encode(b, bytes, out);
	return 0;
}

void
rules_series_chair_view(const struct playbook *pb, const struct store_customer *c,
    json_object *view)
{
	struct store_user	 u;
	struct result		 r;
	int			 missing;

	/* A user that cannot be read is not said to lack an e-mail: the note is for a fixable gap. */
	result_clear(&r);
	missing = store_user_get_login(pb->st, c->owner_fm, &u, &r) == 0 && u.email[0] == '\0';
	json_object_object_add(view, "fm_no_email", json_object_new_boolean(missing));
}

/* The online-meeting link of c's FM's profile into url ("" when none or no such user). */
static int
owner_meeting_url(const struct playbook *pb, const struct store_customer *c, char *url,
    size_t size, struct result *r)
{
	struct store_user	 u;

	url[0] = '\0';
	if (store_user_get_login(pb->st, c->owner_fm, &u, r) == -1) {
		if (r->code != RESULT_NOTFOUND)
			return -1;
		result_clear(r);
		return 0;
	}
	text_copy(url, size, u.meeting_url);
	return 0;
}

int
playbook_meeting_schedule(const struct playbook *pb, int64_t customer_id,
    const char *starts_at, int duration_minutes, int every_weeks, int64_t *id, struct result *r)
{
	return playbook_meeting_schedule_link(pb, customer_id, starts_at, duration_minutes,
	    every_weeks, NULL, id, r);
}

int
playbook_meeting_schedule_link(const struct playbook *pb, int64_t customer_id,
    const char *starts_at, int duration_minutes, int every_weeks, const char *meeting_url,
    int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_service	*svcs = NULL;
	struct store_contact	*ks = NULL;
	struct store_meeting	 m;
	size_t			 ns, nk, i;
	int32_t			 day;
	int			 rc;
	char			 rnd[33];

	if (starts_at == NULL || *starts_at == '\0')
		return result_set(r, RESULT_INVALID, "starts_at", "starts_at is required");
	if (duration_minutes == 0)
		duration_minutes = 30;
	if (check_meeting_values(r, starts_at, duration_minutes, every_weeks, &day) == -1 ||
	    (meeting_url != NULL && rules_check_meeting_url(r, meeting_url) == -1))
		return -1;
	memset(&m, 0, sizeof(m));
	if (rules_begin(pb, r) == -1)
		return -1;
	if (rules_customer_for(pb, customer_id, PLAYBOOK_ACTION_SERIES, &c, r) == -1)
		goto fail;
	/* No interval given: the customer's agreed cadence. */
	if (every_weeks == 0)
		every_weeks = c.cadence_weeks > 0 ? c.cadence_weeks : 2;
	if (day < rules_customer_today(pb, &c)) {
		result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at %s is in the past in the customer's time zone %s", starts_at, c.timezone);
		goto fail;
	}
	if (check_start_exists(&c, starts_at, r) == -1 || check_no_active_series(pb, &c, r) == -1)
		goto fail;
	if (store_service_list(pb->st, customer_id, &svcs, &ns, r) == -1)
		goto fail;
	for (i = 0, rc = 0; i < ns && rc == 0; i++)
		if (rules_fm_covers(&svcs[i]))
			rc = store_meeting_service_add(&m, svcs[i].service, r);
	free(svcs);
	if (rc == -1)
		goto fail;
	if (m.n_services == 0) {
		/* Rule 2: CSM-led services get no check-ins from the FM. */
		result_set(r, RESULT_INVALID, "services",
		    "no activated service is left for the FM to cover: every live service is "
		    "CSM-led or none is activated yet, so no check-ins are scheduled");
		goto fail;
	}
	if (store_contact_list(pb->st, customer_id, &ks, &nk, r) == -1)
		goto fail;
	for (i = 0; i < nk && rc == 0; i++)
		if (ks[i].receives_invites && ks[i].email[0])
			rc = store_meeting_attendee_add(&m, ks[i].name, ks[i].email, r);
	free(ks);
	if (rc == -1)
		goto fail;
	if (m.n_attendees == 0) {
		result_set(r, RESULT_INVALID, "contacts",
		    "no contact of this customer receives invites: add a contact with an e-mail first");
		goto fail;
	}
	if (random_hex(rnd, 8) == -1) {
		result_set(r, RESULT_IO, NULL, "playbook: no random bytes for a UID: %s", strerror(errno));
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
	if (meeting_url != NULL && *meeting_url != '\0')
		text_copy(m.meeting_url, sizeof(m.meeting_url), meeting_url);
	else if (owner_meeting_url(pb, &c, m.meeting_url, sizeof(m.meeting_url), r) == -1)
		goto fail;
	if (store_meeting_insert(pb->st, &m, pb->now, r) == -1 ||
	    rules_queue_meeting_mail(pb, &c, &m, "REQUEST", m.attendees, m.n_attendees, NULL,
	    r) == -1)
		goto fail;
	rc = rules_finish_create(pb, "meeting.schedule", "meeting", m.id, customer_id,
	    MEETING_OBJECT(&m, MM_UID, MM_STARTS_AT, MM_EVERY, MM_DURATION), id, r);
	store_meeting_free(&m);
	return rc;
fail:
	store_meeting_free(&m);
	return rules_rollback(pb);
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
	if (m->until_on[0] != '\0') {
		store_meeting_free(m);
		return result_set(r, RESULT_CONFLICT, "id", "meeting %" PRId64 " ended on %s when it"
		    " was rescheduled; change the series that replaced it", meeting_id, m->until_on);
	}
	if (rules_customer_for(pb, m->customer_id, PLAYBOOK_ACTION_SERIES, c, r) == -1) {
		store_meeting_free(m);
		return -1;
	}
	return 0;
}

/* The local date of the series' first occurrence (days since 1970-01-01), or -1. */
static int32_t
meeting_first_day(const struct store_meeting *m)
{
	int32_t	 day;
	int	 minute;

	return text_local_datetime_parse(m->starts_at, &day, &minute) == 0 ? day : -1;
}

/*
 * End series old after its last occurrence before today (RRULE UNTIL, an
 * update REQUEST with SEQUENCE + 1) and make *nw, the schedule it had with
 * the change applied, a new series of its own UID (a REQUEST, SEQUENCE 0).
 * A started series is split rather than moved: Outlook and Google drop the
 * past occurrences of a series whose DTSTART moves under the same UID.
 */
static int
meeting_split(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *old, struct store_meeting *nw, int32_t today, struct result *r)
{
	int32_t	 first = meeting_first_day(old), period = old->every_weeks * 7, last;
	size_t	 i, kept;
	char	 rnd[33];

	/* The last occurrence before today: today's, if any, moves to the new series. */
	last = first + (today - 1 - first) / period * period;
	text_date_format(last, old->until_on, sizeof(old->until_on));
	/* Exceptions after the end belong to occurrences that no longer exist. */
	for (i = kept = 0; i < old->n_exceptions; i++)
		if (strcmp(old->exceptions[i].occurs_on, old->until_on) <= 0)
			old->exceptions[kept++] = old->exceptions[i];
	old->n_exceptions = kept;
	if (rules_meeting_update_and_request(pb, c, old, r) == -1)
		return -1;
	if (random_hex(rnd, 8) == -1)
		return result_set(r, RESULT_IO, NULL, "playbook: no random bytes for a UID: %s", strerror(errno));
	snprintf(nw->uid, sizeof(nw->uid), "checkin-%" PRId64 "-%s@ftsuccess", c->id, rnd);
	nw->sequence = 0;
	nw->until_on[0] = '\0';
	nw->replaces_id = old->id;
	nw->n_exceptions = 0;
	if (store_meeting_insert(pb->st, nw, pb->now, r) == -1)
		return -1;
	return rules_queue_meeting_mail(pb, c, nw, "REQUEST", nw->attendees, nw->n_attendees,
	    NULL, r);
}

/* Copy src into *dst with attendees of its own (store_meeting_free() both). */
static int
meeting_copy(const struct store_meeting *src, struct store_meeting *dst, struct result *r)
{
	size_t i;

	*dst = *src;
	dst->attendees = NULL;
	dst->n_attendees = 0;
	for (i = 0; i < src->n_attendees; i++)
		if (store_meeting_attendee_add(dst, src->attendees[i].name, src->attendees[i].email,
		    r) == -1) {
			store_meeting_free(dst);
			return -1;
		}
	return 0;
}

int
playbook_meeting_reschedule(const struct playbook *pb, int64_t meeting_id,
    const char *starts_at, int duration_minutes, int every_weeks, int64_t *id, struct result *r)
{
	return playbook_meeting_reschedule_link(pb, meeting_id, starts_at, duration_minutes,
	    every_weeks, NULL, id, r);
}

int
playbook_meeting_reschedule_link(const struct playbook *pb, int64_t meeting_id,
    const char *starts_at, int duration_minutes, int every_weeks, const char *meeting_url,
    int64_t *id, struct result *r)
{
	struct store_customer	 c;
	struct store_meeting	 m, nw;
	int32_t			 day = 0, today;
	int			 split, link_only;
	char			 next[11];

	memset(&nw, 0, sizeof(nw));
	if (id != NULL)
		*id = meeting_id;
	if (check_meeting_values(r, starts_at && *starts_at ? starts_at : NULL, duration_minutes,
	    every_weeks, &day) == -1 ||
	    (meeting_url != NULL && rules_check_meeting_url(r, meeting_url) == -1))
		return -1;
	/* Only the link changes: no occurrence moves, so the series is updated in place. */
	link_only = (starts_at == NULL || *starts_at == '\0') && duration_minutes == 0 &&
	    every_weeks == 0;
	if (link_only && meeting_url == NULL)
		return result_set(r, RESULT_INVALID, "starts_at", "nothing to change: give starts_at,"
		    " duration_minutes, every_weeks or meeting_url");
	if (rules_begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rules_rollback(pb);
	today = rules_customer_today(pb, &c);
	split = !link_only && meeting_first_day(&m) < today;
	if (meeting_copy(&m, &nw, r) == -1)
		goto fail;
	if (meeting_url != NULL)
		text_copy(nw.meeting_url, sizeof(nw.meeting_url), meeting_url);
	if (starts_at && *starts_at) {
		if (day < today) {
			result_set(r, RESULT_INVALID, "starts_at",
			    "starts_at %s is in the past in the customer's time zone %s",
			    starts_at, c.timezone);
			goto fail;
		}
		if (check_start_exists(&c, starts_at, r) == -1)
			goto fail;
		text_copy(nw.starts_at, sizeof(nw.starts_at), starts_at);
	} else if (split) {
		/* The same time from the next occurrence on: the new series starts there. */
		if (playbook_next_occurrence(m.starts_at, m.every_weeks, today, next,
		    sizeof(next)) == -1) {
			result_set(r, RESULT_IO, "starts_at", "meeting %" PRId64 " starts at \"%s\","
			    " not a local date and time", m.id, m.starts_at);
			goto fail;
		}
		snprintf(nw.starts_at, sizeof(nw.starts_at), "%.10s%.6s", next, m.starts_at + 10);
	}
	if (duration_minutes)
		nw.duration_minutes = duration_minutes;
	if (every_weeks)
		nw.every_weeks = every_weeks;
	if (split) {
		if (meeting_split(pb, &c, &m, &nw, today, r) == -1)
			goto fail;
		if (id != NULL)
			*id = nw.id;
	} else {
		/* RFC 5546 2.1.4: same UID, higher SEQUENCE replaces the earlier request. */
		if ((starts_at && *starts_at) || every_weeks)
			nw.n_exceptions = 0;	/* the occurrences they named have moved */
		if (rules_meeting_update_from(pb, &c, &nw, &m, r) == -1)
			goto fail;
	}
	if (rules_audit(pb, "meeting.reschedule", "meeting", nw.id, c.id,
	    split ? MEETING_OBJECT(&nw, MM_UID, MM_SEQUENCE, MM_STARTS_AT, MM_EVERY, MM_DURATION,
	    MM_REPLACES) : MEETING_OBJECT(&nw, MM_UID, MM_SEQUENCE, MM_STARTS_AT, MM_EVERY,
	    MM_DURATION), r) == -1)
		goto fail;
	if (split && rules_audit(pb, "meeting.end", "meeting", m.id, c.id,
	    MEETING_OBJECT(&m, MM_UID, MM_SEQUENCE, MM_UNTIL), r) == -1)
		goto fail;
	store_meeting_free(&m);
	store_meeting_free(&nw);
	return rules_commit(pb, r);
fail:
	store_meeting_free(&m);
	store_meeting_free(&nw);
	return rules_rollback(pb);
}

/*
 * Skip (moved_to NULL) or move one occurrence of a series, the one of local
 * date occurs_on: SEQUENCE + 1, the exception stored, and the message about
 * that occurrence alone to every attendee (docs/notifications.md says why a
 * skip is a CANCEL with RECURRENCE-ID and later requests carry EXDATE).
 */
static int
meeting_occurrence_change(const struct playbook *pb, int64_t meeting_id, const char *occurs_on,
    const char *moved_to, struct result *r)
{
	const struct store_meeting_exception	*had;
	struct store_customer			 c;
	struct store_meeting			 m;
	int32_t					 day, first, today, to_day = 0;
	int					 minute;
	json_object				*d;

	if (occurs_on == NULL || text_date_parse(occurs_on, &day) == -1)
		return result_set(r, RESULT_INVALID, "occurs_on",
		    "occurs_on \"%.40s\" is not a date (YYYY-MM-DD)", occurs_on ? occurs_on : "");
	if (moved_to != NULL && text_local_datetime_parse(moved_to, &to_day, &minute) == -1)
		return result_set(r, RESULT_INVALID, "starts_at",
		    "starts_at \"%.40s\" is not a local date and time (YYYY-MM-DDTHH:MM)", moved_to);
	if (rules_begin(pb, r) == -1)
		return -1;
	if (meeting_for_change(pb, meeting_id, &m, &c, r) == -1)
		return rules_rollback(pb);
	first = meeting_first_day(&m);
	today = rules_customer_today(pb, &c);
	if (day < first || (day - first) % (m.every_weeks * 7) != 0) {
		result_set(r, RESULT_INVALID, "occurs_on", "%s is not a day of meeting %" PRId64
		    " (every %d week(s) from %.10s)", occurs_on, m.id, m.every_weeks, m.starts_at);
		goto fail;
	}
	if (day < today) {
		result_set(r, RESULT_INVALID, "occurs_on", "the occurrence of %s is in the past in"
		    " the customer's time zone %s", occurs_on, c.timezone);
		goto fail;
	}
	if ((had = store_meeting_exception_find(&m, occurs_on)) != NULL && had->moved_to[0] == '\0') {
		result_set(r, RESULT_CONFLICT, "occurs_on", "the occurrence of %s of meeting %" PRId64
		    " is skipped already: its cancellation was sent", occurs_on, m.id);
		goto fail;
	}
	if (moved_to != NULL) {
		if (to_day < today) {
			result_set(r, RESULT_INVALID, "starts_at", "starts_at %s is in the past in the"
			    " customer's time zone %s", moved_to, c.timezone);
			goto fail;
		}
		if (check_start_exists(&c, moved_to, r) == -1)
			goto fail;
	}
	m.sequence++;
	if (store_meeting_exception_set(&m, occurs_on, moved_to, r) == -1 ||
	    store_meeting_update(pb->st, &m, pb->now, r) == -1 ||
	    rules_queue_occurrence_mail(pb, &c, &m, store_meeting_exception_find(&m, occurs_on),
	    r) == -1)
		goto fail;
	d = MEETING_OBJECT(&m, MM_UID, MM_SEQUENCE);
	json_object_object_add(d, "occurs_on", rules_jstr(occurs_on));
	if (moved_to != NULL)
		json_object_object_add(d, "moved_to", rules_jstr(moved_to));
	if (rules_audit(pb, moved_to != NULL ? "meeting.move" : "meeting.skip", "meeting", m.id,
	    c.id, d, r) == -1)
		goto fail;
	store_meeting_free(&m);
	return rules_commit(pb, r);
fail:
	store_meeting_free(&m);
	return rules_rollback(pb);
}

int
playbook_meeting_skip(const struct playbook *pb, int64_t meeting_id, const char *occurs_on,
    struct result *r)
{
	return meeting_occurrence_change(pb, meeting_id, occurs_on, NULL, r);
}

int
playbook_meeting_move(const struct playbook *pb, int64_t meeting_id, const char *occurs_on,
    const char *starts_at, struct result *r)
{
	if (starts_at == NULL || *starts_at == '\0')
		return result_set(r, RESULT_INVALID, "starts_at", "starts_at is required: the new"
		    " local date and time of the occurrence");
	return meeting_occurrence_change(pb, meeting_id, occurs_on, starts_at, r);
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
	int			 cancelled;

	*payload = NULL;
	if (store_meeting_get(pb->st, meeting_id, &m, r) == -1)
		return -1;
	if (rules_customer_get(pb, m.customer_id, &c, 0, r) == -1) {
		store_meeting_free(&m);
		return -1;
	}
	cancelled = strcmp(m.status, "cancelled") == 0;
	*payload = rules_invite_payload(pb, &c, &m, cancelled ? "CANCEL" : "REQUEST", r);
	store_meeting_free(&m);
	return *payload ? 0 : -1;
}
