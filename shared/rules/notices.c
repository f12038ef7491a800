/* notices.c -- the outbox payloads the rules queue: invitations, updates, cancels and the CSM handshake, in the customer's words. */
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

/* ---------------------------------------------------------------- payloads */

/*
 * The payloads are typed (notice.h): these functions fill a struct notice
 * and notice_encode() writes the JSON of docs/notifications.md, so the
 * writer and the notifier's reader cannot drift apart.
 */

/* A copy owned by the notice; *failed notes a failed allocation, checked once at the end. */
static char *
notice_dup(const char *s, int *failed)
{
	char	*d = strdup(s != NULL ? s : "");

	if (d == NULL)
		*failed = 1;
	return d;
}

/* As notice_dup(), but "" (not set) becomes NULL (JSON null). */
static char *
notice_dup_set(const char *s, int *failed)
{
	return s == NULL || *s == '\0' ? NULL : notice_dup(s, failed);
}

/*
 * The language of the customer's mail: its own, else its FM's (a user's
 * profile), else English; NULL for English, so an English row keeps the
 * payload version an older notifier reads.
 */
static int
notice_language_fill(const struct playbook *pb, const struct store_customer *c,
    struct notice_customer *nc, int *failed, struct result *r)
{
	struct store_user	 u;
	const char		*lang = c->language;

	if (*lang == '\0') {
		if (store_user_get_login(pb->st, c->owner_fm, &u, r) == 0)
			lang = u.language;
		else if (r->code != RESULT_NOTFOUND)
			return -1;
		else
			result_clear(r);
	}
	nc->language = *lang != '\0' && strcmp(lang, "en") != 0 ? notice_dup(lang, failed) : NULL;
	return 0;
}

/*
 * The agenda's titles in the customer's language: the catalog has the
 * playbook's own Portuguese titles (the mail is for one customer, so its
 * payload is in that customer's words).
 */
static void
notice_agenda_titles(struct notice_agenda *a, const char *lang, int *failed)
{
	const struct catalog_service	*cs;
	const struct catalog_entry	*e;
	size_t				 i;

	if (lang == NULL || strcmp(lang, "pt-BR") != 0)
		return;
	for (i = 0; i < a->n_services; i++)
		if ((cs = catalog_service_find(a->services[i].key)) != NULL) {
			free(a->services[i].title);
			a->services[i].title = notice_dup(cs->title[CATALOG_PT], failed);
		}
	for (i = 0; i < a->n_blockers; i++)
		if ((e = catalog_find(CATALOG_L2, a->blockers[i].l2_reason)) != NULL) {
			free(a->blockers[i].l2_title);
			a->blockers[i].l2_title = notice_dup(e->title[CATALOG_PT], failed);
		}
}

static int
notice_customer_fill(const struct playbook *pb, const struct store_customer *c,
    struct notice_customer *nc, int *failed, struct result *r)
{
	nc->id = c->id;
	nc->name = notice_dup(c->name, failed);
	nc->tenant_domain = notice_dup(c->tenant_domain, failed);
	nc->timezone = notice_dup(c->timezone, failed);
	return notice_language_fill(pb, c, nc, failed, r);
}

static void
notice_service_fill(const struct store_service *s, struct notice_service *ns, int *failed)
{
	double		 au = playbook_au_percent(s->latest_active, s->latest_eligible);
	const struct catalog_service *cs = catalog_service_find(s->service);

	ns->key = notice_dup(s->service, failed);
	/* The payload is for any reader: English, the mail picks its language by key. */
	ns->title = notice_dup(catalog_service_find(s->service) != NULL ?
	    catalog_service_find(s->service)->title[CATALOG_EN] : s->service, failed);
	ns->activated_on = notice_dup_set(s->activated_on, failed);
	ns->has_au = s->latest_on[0] != '\0' && au >= 0;
	ns->au_percent = ns->has_au ? au : 0;
	ns->has_target = 1;
	ns->target_percent = s->target_percent;
	ns->custom_metric = notice_dup_set(s->custom_metric, failed);
	ns->measured_on = notice_dup_set(s->latest_on, failed);
	ns->ftop_id = cs != NULL ? cs->handshake_ftop : 0;
}

/* The notice's copy of n people (the attendees, or the one a personal cancel goes to). */
static void
notice_people_fill(const struct store_person *to, size_t n, struct notice_person **people,
    size_t *np, int *failed)
{
	size_t i;

	*np = 0;
	if (n == 0)
		return;
	if ((*people = calloc(n, sizeof(**people))) == NULL) {
		*failed = 1;
		return;
	}
	*np = n;
	for (i = 0; i < n; i++) {
		(*people)[i].name = notice_dup(to[i].name, failed);
		(*people)[i].email = notice_dup(to[i].email, failed);
	}
}

/*
 * Open blockers and the last next action, as the agenda and the handshake
 * show them: two small reads, not the whole customer page.
 */
static int
agenda_extras(const struct playbook *pb, int64_t customer_id, struct notice_agenda *a,
    int *failed, struct result *r)
{
	struct store_blocker		*bl;
	struct store_checkin		 k;
	struct notice_next_action	*na;
	const struct catalog_entry	*l2;
	size_t				 n, i;

	if (store_blocker_list_open(pb->st, customer_id, &bl, &n, r) == -1)
		return -1;
	if (n > 0 && (a->blockers = calloc(n, sizeof(*a->blockers))) == NULL) {
		free(bl);
		return result_set(r, RESULT_IO, NULL, "out of memory listing blockers");
	}
	a->n_blockers = n;
	for (i = 0; i < n; i++) {
		a->blockers[i].id = bl[i].id;
		a->blockers[i].description = notice_dup(bl[i].description, failed);
		a->blockers[i].owner = notice_dup(bl[i].owner, failed);
		a->blockers[i].l2_reason = notice_dup(bl[i].l2_reason, failed);
		l2 = catalog_find(CATALOG_L2, bl[i].l2_reason);
		a->blockers[i].l2_title = l2 ? notice_dup(l2->title[CATALOG_EN], failed) : NULL;
		a->blockers[i].service = notice_dup_set(bl[i].service, failed);
		a->blockers[i].opened_on = notice_dup(bl[i].opened_on, failed);
	}
	free(bl);
	if (store_checkin_latest(pb->st, customer_id, &k, r) == 0) {
		if ((na = a->next_action = calloc(1, sizeof(*na))) == NULL)
			return result_set(r, RESULT_IO, NULL, "out of memory");
		na->text = notice_dup(k.next_action, failed);
		na->on = notice_dup(k.next_action_on, failed);
		na->owner = notice_dup(k.next_action_owner, failed);
		na->held_on = notice_dup(k.held_on, failed);
	} else if (r->code == RESULT_NOTFOUND)
		result_clear(r);
	else
		return -1;
	return 0;
}

static char *
customer_url(int64_t id, int *failed)
{
	char url[64];

	snprintf(url, sizeof(url), "/customers/%" PRId64, id);
	return notice_dup(url, failed);
}

/* One skipped or moved occurrence as the notice carries it. */
static void
occurrence_fill(const struct store_meeting_exception *e, struct notice_occurrence *o, int *failed)
{
	o->on = notice_dup(e->occurs_on, failed);
	o->moved_to = notice_dup_set(e->moved_to, failed);
}

/*
 * The customer's FM as the chair of the series (docs/notifications.md):
 * the owner's profile name and e-mail, or no chair (*chair NULL) when the
 * FM has no e-mail: the customer's invites still go out (their series
 * should not wait on an internal profile), the page says the FM is not in
 * them.
 */
static int
chair_fill(const struct playbook *pb, const struct store_customer *c,
    struct notice_person **chair, int *failed, struct result *r)
{
	struct store_user	 u;

	*chair = NULL;
	if (store_user_get_login(pb->st, c->owner_fm, &u, r) == -1) {
		if (r->code != RESULT_NOTFOUND)
			return -1;
		result_clear(r);
		return 0;
	}
	if (u.email[0] == '\0')
		return 0;
	if ((*chair = calloc(1, sizeof(**chair))) == NULL) {
		*failed = 1;
		return 0;
	}
	(*chair)->name = notice_dup(u.display_name, failed);
	(*chair)->email = notice_dup(u.email, failed);
	return 0;
}

/* The schedule before an update, for the mail to say what changed. */
static struct notice_schedule *
previous_fill(const struct store_meeting *before, int *failed)
{
	struct notice_schedule	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		*failed = 1;
		return NULL;
	}
	p->starts_at = notice_dup(before->starts_at, failed);
	p->timezone = notice_dup(before->timezone, failed);
	p->duration_minutes = before->duration_minutes;
	p->every_weeks = before->every_weeks;
	return p;
}

/*
 * The invite/cancel notice of docs/notifications.md for a series as it is
 * in m, sent to the nto people `to`: the attendees and the FM as chair, or
 * (personal) one removed attendee, whose CANCEL keeps the series' status
 * CONFIRMED because the series goes on for the others (RFC 5546 3.2.5).
 * before (may be NULL) is the schedule an update changed.  n is the
 * caller's to notice_free(), also on failure.
 */
static int
invite_notice(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting *before, const char *method,
    const struct store_person *to, size_t nto, int personal, struct notice *n,
    struct result *r)
{
	struct notice_meeting	*nm = &n->meeting;
	struct store_service	*list;
	size_t			 ns, i;
	int			 failed = 0, cancel = strcmp(method, "CANCEL") == 0;

	memset(n, 0, sizeof(*n));
	n->kind = cancel ? NOTICE_CANCEL : NOTICE_INVITE;
	n->version = NOTICE_VERSION;
	if (store_service_list(pb->st, c->id, &list, &ns, r) == -1)
		return -1;
	if (agenda_extras(pb, c->id, &nm->agenda, &failed, r) == -1) {
		free(list);
		return -1;
	}
	/* The agenda lists the covered services in the customer's order, not the series'. */
	if (ns > 0 && m->n_services > 0 &&
	    (nm->agenda.services = calloc(ns, sizeof(*nm->agenda.services))) == NULL)
		failed = 1;
	for (i = 0; i < ns && nm->agenda.services != NULL; i++)
		if (store_meeting_service_find(m, list[i].service) >= 0)
			notice_service_fill(&list[i], &nm->agenda.services[nm->agenda.n_services++],
			    &failed);
	free(list);

	nm->method = notice_dup(method, &failed);
	if (notice_customer_fill(pb, c, &nm->customer, &failed, r) == -1)
		return -1;
	notice_agenda_titles(&nm->agenda, nm->customer.language, &failed);
	nm->meeting.id = m->id;
	nm->meeting.uid = notice_dup(m->uid, &failed);
	nm->meeting.sequence = m->sequence;
	nm->meeting.status = notice_dup(cancel && !personal ? "CANCELLED" : "CONFIRMED", &failed);
	nm->meeting.starts_at = notice_dup(m->starts_at, &failed);
	nm->meeting.timezone = notice_dup(m->timezone, &failed);
	nm->meeting.duration_minutes = m->duration_minutes;
	nm->meeting.every_weeks = m->every_weeks;
	nm->meeting.until = notice_dup_set(m->until_on, &failed);
	if (m->n_exceptions > 0 && (nm->meeting.exceptions = calloc(m->n_exceptions,
	    sizeof(*nm->meeting.exceptions))) == NULL)
		failed = 1;
	for (i = 0; i < m->n_exceptions && nm->meeting.exceptions != NULL; i++)
		occurrence_fill(&m->exceptions[i], &nm->meeting.exceptions[nm->meeting.n_exceptions++],
		    &failed);
	notice_people_fill(to, nto, &nm->attendees, &nm->n_attendees, &failed);
	nm->meeting.meeting_url = notice_dup_set(m->meeting_url, &failed);
	/* A personal cancel names its one recipient only: no chair. */
	if (!personal && chair_fill(pb, c, &nm->chair, &failed, r) == -1)
		return -1;
	if (before != NULL)
		nm->previous = previous_fill(before, &failed);
	nm->url = customer_url(c->id, &failed);
	if (failed)
		return result_set(r, RESULT_IO, NULL, "out of memory building the %s notice",
		    method);
	return 0;
}

json_object *
rules_invite_payload(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, struct result *r)
{
	struct notice	 n;
	json_object	*p = NULL;

	if (invite_notice(pb, c, m, NULL, method, m->attendees, m->n_attendees, 0, &n, r) == 0)
		(void)notice_json(&n, &p, r);
	notice_free(&n);
	return p;
}

/* Queue a notice: its payload is notice_encode() of n, its recipients the nto people to. */
static int
queue_notice(const struct playbook *pb, const struct notice *n, int64_t customer_id,
    const char *kind, const char *dedupe_key, const struct store_person *to, size_t nto,
    int *inserted, struct result *r)
{
	struct store_outbox_new	 o;
	struct buf		 payload = { 0 };
	json_object		*rcpt;
	int			 rc;

	if (notice_encode(n, &payload, r) == -1) {
		buf_free(&payload);
		return -1;
	}
	o.customer_id = customer_id;
	o.kind = kind;
	o.dedupe_key = dedupe_key;
	o.payload = buf_cstr(&payload);
	/* The recipients column is the JSON array [{"name", "email"}] of docs/notifications.md. */
	rcpt = rules_people_json(to, nto);
	o.recipients = rules_json_text(rcpt);
	rc = store_outbox_insert(pb->st, &o, pb->now, inserted, r);
	json_object_put(rcpt);
	buf_free(&payload);
	return rc;
}

/*
 * Queue an invite or cancel for meeting m to `to`, about the whole series
 * or (occ not NULL) one occurrence; who distinguishes personal cancels.
 */
static int
queue_meeting_notice(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting *before, const char *method,
    const struct store_person *to, size_t nto, const char *who,
    const struct store_meeting_exception *occ, struct result *r)
{
	struct notice	 n;
	char		 key[256];
	int		 inserted, rc, failed = 0, cancel = strcmp(method, "CANCEL") == 0;

	if (invite_notice(pb, c, m, before, method, to, nto, who != NULL, &n, r) == -1) {
		notice_free(&n);
		return -1;
	}
	if (occ != NULL) {
		if ((n.meeting.occurrence = calloc(1, sizeof(*n.meeting.occurrence))) != NULL)
			occurrence_fill(occ, n.meeting.occurrence, &failed);
		if (n.meeting.occurrence == NULL || failed) {
			notice_free(&n);
			return result_set(r, RESULT_IO, NULL, "out of memory building the %s notice",
			    method);
		}
		/* The occurrence's STATUS is its own: a skip cancels it, the series goes on. */
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:%s:%s", m->id, m->sequence,
		    cancel ? "skip" : "move", occ->occurs_on);
	} else if (who != NULL)
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:cancel:%s", m->id, m->sequence, who);
	else
		snprintf(key, sizeof(key), "meeting:%" PRId64 ":%d:%s", m->id, m->sequence,
		    cancel ? "cancel" : "request");
	rc = queue_notice(pb, &n, c->id, cancel ? "cancel" : "invite", key, to, nto, &inserted, r);
	notice_free(&n);
	return rc;
}

int
rules_queue_meeting_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, const struct store_person *to,
    size_t nto, const char *who, struct result *r)
{
	return queue_meeting_notice(pb, c, m, NULL, method, to, nto, who, NULL, r);
}

int
rules_queue_meeting_change(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting *before, struct result *r)
{
	return queue_meeting_notice(pb, c, m, before, "REQUEST", m->attendees, m->n_attendees,
	    NULL, NULL, r);
}

int
rules_queue_occurrence_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting_exception *occ, struct result *r)
{
	return queue_meeting_notice(pb, c, m, NULL, occ->moved_to[0] ? "REQUEST" : "CANCEL",
	    m->attendees, m->n_attendees, NULL, occ, r);
}

/* ---------------------------------------------------------------- handshake (rule 1) */

/*
 * For service s of customer c with a CSM: mark it CSM-led, ensure its FTOP
 * task and queue one handshake per customer, service and CSM.
 */
int
rules_handshake(const struct playbook *pb, const struct store_customer *c, struct store_service *s,
    int *queued, struct result *r)
{
	const struct catalog_service *cs = catalog_service_find(s->service);
	const struct catalog_task *ct;
	struct store_task	 t;
	struct notice		 n;
	struct notice_handshake	*h;
	struct store_person	 csm;
	json_object		*d;
	struct store_contact	*ks;
	size_t			 nk, i;
	char			 key[512];
	int			 created, inserted, rc, failed = 0;

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
	memset(&n, 0, sizeof(n));
	n.kind = NOTICE_HANDSHAKE;
	n.version = NOTICE_VERSION;
	h = &n.handshake;
	if (agenda_extras(pb, c->id, &h->agenda, &failed, r) == -1) {
		free(ks);
		notice_free(&n);
		return -1;
	}
	if (notice_customer_fill(pb, c, &h->customer, &failed, r) == -1) {
		free(ks);
		notice_free(&n);
		return -1;
	}
	if (nk > 0 && (h->customer.contacts = calloc(nk, sizeof(*h->customer.contacts))) == NULL)
		failed = 1;
	for (i = 0; i < nk && h->customer.contacts != NULL; i++) {
		h->customer.contacts[i].name = notice_dup(ks[i].name, &failed);
		h->customer.contacts[i].email = notice_dup(ks[i].email, &failed);
		h->customer.n_contacts++;
	}
	free(ks);
	h->csm.name = notice_dup(c->csm_name, &failed);
	h->csm.email = notice_dup(c->csm_email, &failed);
	if ((h->agenda.services = calloc(1, sizeof(*h->agenda.services))) == NULL)
		failed = 1;
	else {
		h->agenda.n_services = 1;
		notice_service_fill(s, &h->agenda.services[0], &failed);
	}
	notice_agenda_titles(&h->agenda, h->customer.language, &failed);
	h->url = customer_url(c->id, &failed);
	memset(&csm, 0, sizeof(csm));
	text_copy_fit(csm.name, sizeof(csm.name), c->csm_name);
	text_copy_fit(csm.email, sizeof(csm.email), c->csm_email);

	/* The key makes "never twice" a property of the data, not of the caller. */
	snprintf(key, sizeof(key), "handshake:%" PRId64 ":%s:%s", c->id, s->service, c->csm_email);
	for (i = 0; key[i]; i++)
		if (key[i] >= 'A' && key[i] <= 'Z')
			key[i] = (char)(key[i] - 'A' + 'a');
	if (failed)
		rc = result_set(r, RESULT_IO, NULL, "out of memory building the handshake notice");
	else
		rc = queue_notice(pb, &n, c->id, "handshake", key, &csm, 1, &inserted, r);
	notice_free(&n);
	if (rc == -1)
		return -1;
	if (inserted) {
		if (queued != NULL)
			(*queued)++;
		d = rules_details("service", s->service, "csm_email", c->csm_email, (char *)NULL);
		if (rules_audit(pb, "handshake.queue", "customer_service", s->id, c->id, d, r) == -1)
			return -1;
	}
	return 0;
}
