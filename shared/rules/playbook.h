/*
 * playbook.h -- the rules of PLAYBOOK.md as domain functions.  Each action
 * validates its input first (a refused call changes nothing and says why in
 * struct result, naming the API field), then writes the change, an audit row
 * and any outbox rows in one transaction.  Readiness is a pure function of
 * the facts the store returns.
 */
#ifndef FTS_PLAYBOOK_H
#define FTS_PLAYBOOK_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "result.h"
#include "store.h"

/* A blocker open longer than this puts the customer at risk. */
#define PLAYBOOK_OLD_BLOCKER_DAYS	14
/* A service still under target this long after activation puts the customer at risk. */
#define PLAYBOOK_SLOW_ADOPTION_DAYS	30
/* The AU target when none was agreed (rule 6). */
#define PLAYBOOK_DEFAULT_TARGET		10.0

/* A process's memo of computed portfolio verdicts (see playbook_portfolio). */
struct playbook_cache;
struct playbook_cache *playbook_cache_new(void);
void playbook_cache_free(struct playbook_cache *cache);

/*
 * What a user may do (roles.c): an FM changes the customers they own, a
 * manager every customer (and reassigns them), an admin also the users.
 * The order matters: each role may do what the ones before it may.
 */
enum playbook_role {
	PLAYBOOK_ROLE_FM,
	PLAYBOOK_ROLE_MANAGER,
	PLAYBOOK_ROLE_ADMIN,
	PLAYBOOK_ROLE__MAX
};
/* "fm", "manager", "admin". */
const char *playbook_role_key(enum playbook_role role);
/* 0 and *out, or -1 when key is no role's key. */
int playbook_role_parse(const char *key, enum playbook_role *out);

/* Who acts and when: every call records actor and now in the audit trail. */
struct playbook {
	struct store	*st;
	const char	*actor;		/* the acting user's login (REMOTE_USER, or the demo user) */
	int64_t		 now;		/* Unix seconds */
	int		 default_cadence_weeks;	/* from config checkin_cadence_weeks */
	struct playbook_cache *cache;	/* NULL = compute every time */
	enum playbook_role role;	/* the actor's role; 0 = fm, the least */
	int		 own_only;	/* config visibility = own: an FM sees only their customers */
};

/* ---- customers and contacts ---- */
struct playbook_customer_input {
	const char	*name;
	const char	*tenant_domain;
	const char	*timezone;	/* IANA */
	const char	*owner_fm;	/* NULL or "" = the actor */
	int		 cadence_weeks;	/* 0 = default */
	const char	*language;	/* its contacts' mail: "en", "pt-BR", "" = its FM's; NULL = unchanged */
};
int playbook_customer_create(const struct playbook *pb, const struct playbook_customer_input *in,
    int64_t *id, struct result *r);
/*
 * The tenant domain's shape as playbook_customer_create checks it (a DNS
 * name such as contoso.onmicrosoft.com): 0, or -1 with r (field
 * "tenant_domain"), so a form can report it with its other fields at once.
 */
int playbook_domain_check(const char *tenant_domain, struct result *r);
/* Fields left NULL (or cadence 0) keep their value. */
int playbook_customer_edit(const struct playbook *pb, int64_t id,
    const struct playbook_customer_input *in, struct result *r);

/*
 * Roles (roles.c).  may_see: whether the customer exists for the actor
 * (an FM with own_only sees only their own); may_change: whether the
 * actor may change it (its FM, a manager, an admin).  Every action checks
 * these itself: a refusal is RESULT_FORBIDDEN naming the role it needs,
 * or RESULT_NOTFOUND for a customer the actor may not see.
 */
int playbook_may_see(const struct playbook *pb, const struct store_customer *c);
int playbook_may_change(const struct playbook *pb, const struct store_customer *c);
/*
 * 0 when customer id exists for the actor (and, change = 1, the actor may
 * change it); else NOTFOUND or FORBIDDEN as the actions answer.  For a
 * caller that refuses before reading a form (the answer does not depend on
 * the input); the actions check again themselves.
 */
int playbook_customer_check(const struct playbook *pb, int64_t id, int change, struct result *r);
/* 0 when the actor has at least role need, else RESULT_FORBIDDEN saying what needs it. */
int playbook_need_role(const struct playbook *pb, enum playbook_role need, const char *what,
    struct result *r);
/*
 * Manager: give the customer to another FM (an active user).  Each active
 * series is re-sent (SEQUENCE + 1) so its invitation names the new FM.
 */
int playbook_customer_reassign(const struct playbook *pb, int64_t id, const char *owner_fm,
    struct result *r);

/* ---- users (users.c): admins, and ftsuccess-admin acting as one ---- */
struct playbook_user_input {
	const char	*login;		/* add only: the REMOTE_USER */
	const char	*display_name;	/* NULL = keep (add: the login) */
	const char	*email;		/* NULL = keep; "" = none */
	const char	*role;		/* NULL = keep (add: fm) */
	const char	*language;	/* NULL = keep (add: ""); en | pt-BR | "" (the browser's) */
	const char	*timezone;	/* NULL = keep (add: UTC); IANA */
	const char	*meeting_url;	/* NULL = keep; "" = none; else https://... */
	int		 active;	/* -1 = keep (add: active), 0, 1 */
};
/* A new user as ftsuccess makes one: an active FM named by its login, in the browser's language and UTC. */
void playbook_user_defaults(struct store_user *u, const char *login);
int playbook_user_add(const struct playbook *pb, const struct playbook_user_input *in,
    int64_t *id, struct result *r);
int playbook_user_edit(const struct playbook *pb, const char *login,
    const struct playbook_user_input *in, struct result *r);
/* The actor's own language ("" = the browser's, en, pt-BR), audited old -> new. */
int playbook_user_language(const struct playbook *pb, const char *language, struct result *r);
/*
 * The user behind a login as the web program sees it: 0 and *u when an
 * active user; RESULT_FORBIDDEN when unknown or disabled (the message says
 * so and who to ask).  provision (config auth_autoprovision = fm) creates
 * an unknown login as an active FM named by its login, audited.
 */
int playbook_user_identify(const struct playbook *pb, const char *login, int provision,
    struct store_user *u, struct result *r);

/* A contact with receives_invites joins every scheduled series (update sent to all). */
int playbook_contact_add(const struct playbook *pb, int64_t customer_id, const char *name,
    const char *email, int receives_invites, int64_t *id, struct result *r);
/*
 * Turn a contact's invites on or off.  Off removes them from every scheduled
 * series: they get a CANCEL of their own and the others an update.
 */
int playbook_contact_set_invites(const struct playbook *pb, int64_t contact_id,
    int receives_invites, struct result *r);

/* ---- services ---- */
struct playbook_service_input {
	const char	*service;	/* catalog key */
	const char	*activated_on;	/* "YYYY-MM-DD", NULL/"" = intended, not live yet */
	double		 target_percent;/* 0 = keep (default 10) */
	const char	*custom_metric;	/* NULL = keep; "" = clear */
	long long	 licensed_users;/* -1 = keep */
};
/*
 * Add an intended service or activate it.  Activating a Modern Comms service
 * of a customer with a CSM makes it CSM-led: handshake task and mail (rule 1),
 * and series that no longer cover an FM-led service are cancelled (rule 2).
 * Activating an already active service is a conflict.
 */
int playbook_service_activate(const struct playbook *pb, int64_t customer_id,
    const struct playbook_service_input *in, struct result *r);
/* Change target, custom metric, met flag or licensed users of a present service. */
int playbook_service_target(const struct playbook *pb, int64_t customer_id, const char *service,
    double target_percent, const char *custom_metric, int custom_metric_met, struct result *r);

/* What an assignment of the CSM did, so the page can say it. */
struct playbook_csm_outcome {
	int	 changed;	/* the name or the e-mail differs from the CSM before */
	int	 replaced;	/* another CSM (another e-mail) was there before */
	int	 queued;	/* handshake mails queued by this call */
};
/*
 * Assign or replace the CSM.  Every activated Modern Comms service becomes
 * CSM-led and gets one handshake per customer, service and CSM (never twice).
 * The same name and e-mail again change nothing (no audit row); handshakes
 * still missing are queued.  out (may be NULL) says what was done.
 */
int playbook_csm_assign(const struct playbook *pb, int64_t customer_id, const char *name,
    const char *email, struct playbook_csm_outcome *out, struct result *r);

/* Rule 4: the customer joins the OneDrive Adoption Program (tasks 3740, 3741, 3743). */
int playbook_adoption_join(const struct playbook *pb, int64_t customer_id, const char *service,
    struct result *r);
/* Rule 5: accelerator for a service whose catalog entry offers one (3650). */
int playbook_accelerator_request(const struct playbook *pb, int64_t customer_id,
    const char *service, struct result *r);

/* ---- progress ---- */
/*
 * The counts of an AU sample as playbook_usage_record checks them (eligible
 * above 0, active from 0 to eligible): 0, or -1 with r naming the field, so
 * a form can report it with its other fields at once.
 */
int playbook_usage_counts_check(long long active, long long eligible, struct result *r);
/* AU sample: 0 <= active <= eligible, eligible > 0, not in the future (customer's zone). */
int playbook_usage_record(const struct playbook *pb, int64_t customer_id, const char *service,
    const char *measured_on, long long active_users, long long eligible_users,
    const char *source, struct result *r);

/*
 * Import the samples of a usage report (usagecsv_parse) in one transaction.
 * Lines for services the customer does not intend are skipped; any other bad
 * line refuses the whole import.  dry_run checks and reports without writing.
 * *report: [{service, title, measured_on, active_users, inactive_users,
 * eligible_users, au_percent, import, skip_reason}] (caller puts it).
 */
struct usagecsv_sample;
int playbook_usage_import(const struct playbook *pb, int64_t customer_id,
    const struct usagecsv_sample *samples, size_t n, int dry_run, json_object **report,
    size_t *imported, struct result *r);

struct playbook_checkin_input {
	const char	*held_on;
	const char	*summary;
	const char	*next_action;		/* required */
	const char	*next_action_on;	/* required, not before held_on */
	const char	*next_action_owner;	/* required */
	const char	*const *services;	/* keys discussed; each must be FM-covered */
	size_t		 n_services;
};
int playbook_checkin_log(const struct playbook *pb, int64_t customer_id,
    const struct playbook_checkin_input *in, int64_t *id, struct result *r);
/*
 * Correct a logged check-in with the same checks as logging it; the audit
 * row "checkin.edit" names each changed field "old -> new" (held_by stays
 * who held it).  Nothing changed: nothing written.
 */
int playbook_checkin_edit(const struct playbook *pb, int64_t checkin_id,
    const struct playbook_checkin_input *in, struct result *r);

int playbook_task_complete(const struct playbook *pb, int64_t customer_id, int ftop_id,
    const char *note, struct result *r);

struct playbook_blocker_input {
	const char	*description;
	const char	*owner;
	const char	*l2_reason;	/* catalog L2 key */
	const char	*l1_status;	/* NULL = "blocked" */
	const char	*service;	/* NULL/"" = whole customer */
};
int playbook_blocker_open(const struct playbook *pb, int64_t customer_id,
    const struct playbook_blocker_input *in, int64_t *id, struct result *r);
/*
 * The L1 status and L2 reason of a blocker as playbook_blocker_open checks
 * them (a Blocked entry, the default, needs its L2 reason): 0, or -1 with r
 * naming the field, so a form can report it with its other fields at once.
 */
int playbook_blocker_status_check(const char *l1_status, const char *l2_reason,
    struct result *r);
int playbook_blocker_resolve(const struct playbook *pb, int64_t blocker_id,
    const char *resolution, struct result *r);

/* ---- check-in series (rule 3) ---- */
/*
 * Schedule a series: starts_at local "YYYY-MM-DDTHH:MM" in the customer's
 * zone, 15..480 minutes (0 = 30), every 1..8 weeks (0 = the customer's cadence).  Refused when the FM covers no
 * activated service (all CSM-led) or no contact receives invites.  Queues
 * the REQUEST.
 */
int playbook_meeting_schedule(const struct playbook *pb, int64_t customer_id,
    const char *starts_at, int duration_minutes, int every_weeks, int64_t *id, struct result *r);
/*
 * NULL / 0 keep a value.  A series that has not started yet (its first
 * occurrence is today or later in the customer's zone) changes in place:
 * same UID, SEQUENCE + 1, REQUEST to the attendees.  One that has started is
 * split: it ends after its last occurrence before today (RRULE UNTIL, an
 * update REQUEST) and the new schedule is a new series with its own UID.
 * *id (may be NULL) is the series that carries the schedule afterwards.
 */
int playbook_meeting_reschedule(const struct playbook *pb, int64_t meeting_id,
    const char *starts_at, int duration_minutes, int every_weeks, int64_t *id,
    struct result *r);
/*
 * playbook_meeting_schedule() and playbook_meeting_reschedule() with the
 * series' online-meeting link (LOCATION and the mail's "Join" line): an
 * https:// URL (the meeting_url field spec).  Scheduling: NULL or "" takes
 * the FM's profile link.  Rescheduling: NULL keeps the series' link, ""
 * removes it; a change of the link alone is an update in place (no split:
 * no occurrence moves).
 */
int playbook_meeting_schedule_link(const struct playbook *pb, int64_t customer_id,
    const char *starts_at, int duration_minutes, int every_weeks, const char *meeting_url,
    int64_t *id, struct result *r);
int playbook_meeting_reschedule_link(const struct playbook *pb, int64_t meeting_id,
    const char *starts_at, int duration_minutes, int every_weeks, const char *meeting_url,
    int64_t *id, struct result *r);
/*
 * One occurrence, named by its own local date occurs_on ("YYYY-MM-DD", a day
 * of the series, today or later): skip it (a CANCEL with RECURRENCE-ID to
 * every attendee; later requests carry it as EXDATE) or move it to local
 * starts_at (a REQUEST with RECURRENCE-ID).  SEQUENCE + 1; stored as an
 * exception of the series and audited.  A skipped occurrence stays skipped
 * (409); a moved one may move again or be skipped.
 */
int playbook_meeting_skip(const struct playbook *pb, int64_t meeting_id, const char *occurs_on,
    struct result *r);
int playbook_meeting_move(const struct playbook *pb, int64_t meeting_id, const char *occurs_on,
    const char *starts_at, struct result *r);
/* Same UID, SEQUENCE + 1, METHOD:CANCEL to the attendees. */
int playbook_meeting_cancel(const struct playbook *pb, int64_t meeting_id, struct result *r);
/* A series as the JSON API shows it (GET /api/meetings/{id}); *out is the caller's. */
int playbook_meeting_json(const struct playbook *pb, int64_t meeting_id, json_object **out,
    struct result *r);
/* The invite payload of a series as it stands (for the .ics download); caller frees. */
int playbook_meeting_payload(const struct playbook *pb, int64_t meeting_id,
    json_object **payload, struct result *r);

/* ---- exit (rule 7) ---- */
/*
 * Where a customer stands, and the process phase it is in: each value once,
 * with its key (the JSON API's and the store's word), so an enum value and
 * its key cannot drift apart.  Titles for people are in present.c.
 */
#define PLAYBOOK_STATES(X) \
	X(IN_PROGRESS, in_progress) X(READY, ready) X(AT_RISK, at_risk) \
	X(SUCCESS_REVIEW, success_review) X(CLOSED, closed)
#define PLAYBOOK_PHASES(X) \
	X(EXECUTION, execution) X(SUCCESS_REVIEW, success_review) X(CLOSED, closed)

#define PLAYBOOK_STATE_ENUM(e, key)	PLAYBOOK_STATE_##e,
enum playbook_state { PLAYBOOK_STATES(PLAYBOOK_STATE_ENUM) PLAYBOOK_STATE__MAX };
#define PLAYBOOK_PHASE_ENUM(e, key)	PLAYBOOK_PHASE_##e,
enum playbook_phase { PLAYBOOK_PHASES(PLAYBOOK_PHASE_ENUM) PLAYBOOK_PHASE__MAX };
/* "ready", "at_risk", ...; never NULL ("" for a value out of range). */
const char *playbook_state_key(enum playbook_state state);
/* "execution", "success_review", "closed"; never NULL ("" out of range). */
const char *playbook_phase_key(enum playbook_phase phase);
/* 0 and *out for a state key, -1 for anything else (out untouched). */
int playbook_state_parse(const char *key, enum playbook_state *out);
/* 0 and *out for a phase key, -1 for anything else (out untouched). */
int playbook_phase_parse(const char *key, enum playbook_phase *out);
/*
 * What a customer in each phase takes: the one list behind both the forms a
 * customer page shows and the 409 the rules answer (playbook_phase_allows).
 * Each action once, with its key (the page model's "may" member).
 */
#define PLAYBOOK_ACTIONS(X) \
	X(SERVICES, services) X(CSM, csm) X(USAGE, usage) X(CHECKINS, checkins) \
	X(TASKS, tasks) X(BLOCKERS, blockers) X(SERIES, series) X(CONTACTS, contacts) \
	X(REVIEW_START, review_start) X(REVIEW_OUTCOME, review_outcome)
#define PLAYBOOK_ACTION_ENUM(e, key)	PLAYBOOK_ACTION_##e,
enum playbook_action { PLAYBOOK_ACTIONS(PLAYBOOK_ACTION_ENUM) PLAYBOOK_ACTION__MAX };
/* "services", "checkins", ...; never NULL ("" out of range). */
const char *playbook_action_key(enum playbook_action action);
/* Pure: 1 when a customer in phase takes action, else 0 (also for values out of range). */
int playbook_phase_allows(enum playbook_phase phase, enum playbook_action action);
/* Pure: playbook_phase_allows for c's phase, and 0 for every action while c is archived. */
int playbook_customer_allows(const struct store_customer *c, enum playbook_action action);
/*
 * Archive (archive = 1) or unarchive customer id: it leaves the portfolio and
 * keeps its rows, audit and export.  Refused (409) while a check-in series
 * runs (cancel it first: archiving mails no one) or when already so.
 */
/*
 * A contact's new name and e-mail, audited old -> new; an attendee with a new
 * address leaves each active series (a CANCEL of its own) and the new address
 * joins it.  Nothing changed: nothing written.
 */
int playbook_contact_edit(const struct playbook *pb, int64_t contact_id, const char *name,
    const char *email, struct result *r);
/* Removes a contact; an attendee leaves each active series as when its invites stop. */
int playbook_contact_remove(const struct playbook *pb, int64_t contact_id, struct result *r);
int playbook_customer_archive(const struct playbook *pb, int64_t id, int archive,
    struct result *r);
struct playbook_reason {
	char		 code[24];	/* no_au | under_target | metric_unmet | task_open | blocker_open | overdue | no_service | old_blocker | slow_adoption | nobody_accepted */
	char		 service[32];
	int		 ftop_id;
	int64_t		 blocker_id;
	int		 days;		/* slow_adoption: since activation; old_blocker: open; overdue: past due */
	char		 text[300];
};
#define PLAYBOOK_REASONS_MAX 32
struct playbook_readiness {
	enum playbook_state state;
	int		 ready;
	int		 at_risk;
	int		 overdue;
	char		 last_checkin[11];
	char		 next_checkin[11];	/* next occurrence of the series, "" = none */
	char		 due_by[11];		/* a check-in is expected by then, "" = none expected */
	size_t		 n_reasons;		/* why not ready */
	struct playbook_reason reasons[PLAYBOOK_REASONS_MAX];
	size_t		 n_risks;		/* why at risk */
	struct playbook_reason risks[PLAYBOOK_REASONS_MAX];
	int		 quiet;			/* private: texts left empty */
};
/* Pure: readiness and risk of a customer on day `today` (days since 1970-01-01). */
void playbook_readiness(const struct store_facts *f, int32_t today, struct playbook_readiness *out);
/* As JSON {state, ready, at_risk, overdue, last_checkin, next_checkin, due_by, reasons[], risks[]}. */
json_object *playbook_readiness_json(const struct playbook_readiness *rd);
/* Pure: first occurrence on or after today of a series starting at starts_at every N weeks. */
int playbook_next_occurrence(const char *starts_at, int every_weeks, int32_t today,
    char *out, size_t size);
/* A percentage as JSON with one decimal ("12.3", not 12.300000000000001). */
json_object *playbook_json_percent(double v);
/* Pure: AU percent of a sample (eligible > 0), else -1. */
double playbook_au_percent(long long active, long long eligible);

int playbook_review_start(const struct playbook *pb, int64_t customer_id, struct result *r);
/* Records one of the four outcomes, completes 3735, closes the customer, cancels its series. */
int playbook_review_outcome(const struct playbook *pb, int64_t customer_id, const char *outcome,
    struct result *r);

/* A person asks for a dead message to be tried again. */
int playbook_outbox_retry(const struct playbook *pb, int64_t outbox_id, struct result *r);

/* ---- views ---- */
struct playbook_portfolio_query {
	const char	*q;		/* name or domain substring */
	const char	*state;		/* ready | at_risk | overdue | in_progress | "" */
	const char	*phase;
	const char	*fm;
	const char	*sort;		/* name (default) | state | next_checkin | au */
	int		 page;		/* 1-based */
	int		 per_page;	/* 1..200, default 50 */
	int		 with_archived;	/* 1: archived customers too (exports), rows flagged "archived" */
};
/*
 * The portfolio: {customers[], total, page, pages, per_page, counts{all,
 * ready, at_risk, overdue, in_progress}}, in a fixed number of queries
 * whatever the number of customers.  With pb->cache, the verdicts of every
 * customer are computed once and reused while the database is unchanged
 * (store_version) within the same quarter hour; a page then costs the
 * queries for its own rows.
 */
int playbook_portfolio(const struct playbook *pb, const struct playbook_portfolio_query *q,
    json_object **out, struct result *r);
/*
 * The customer page model: the store's customer JSON with readiness,
 * decorated services (title, au_percent, met, fm_covered), tasks grouped by
 * activity with titles, blockers with L1/L2 titles, covered services.
 */
int playbook_customer_view(const struct playbook *pb, int64_t id, json_object **out,
    struct result *r);

/*
 * The views an FM and a manager open (week.c).  My week: the actor's own
 * customers' next actions ("actions", overdue first), their check-ins of
 * this week and the next from the series (skipped ones left out, moved ones
 * where they now are: "this_week", "next_week") and open blockers, each
 * day with its words (<key>_text); weeks start on Monday in the actor's
 * time zone.  The team view (manager and admin; an FM is RESULT_FORBIDDEN):
 * per FM ("fms") customers, ready / in_progress / at_risk / overdue and
 * open blockers by L2 reason, each with the portfolio link it filters to.
 */
int playbook_week(const struct playbook *pb, json_object **out, struct result *r);
int playbook_team(const struct playbook *pb, json_object **out, struct result *r);

/* What the actor's calendar feed holds: their customers' active series and next actions. */
struct playbook_feed_action {
	int64_t		 customer_id;
	int64_t		 checkin_id;	/* the check-in that set it: a stable UID */
	char		 customer_name[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 action[FIELD_SIZE(FIELD_ACTION_MAX)];
	char		 owner[FIELD_SIZE(FIELD_NAME_MAX)];
	char		 due_on[11];
};
struct playbook_feed {
	int64_t				*meetings;	/* ids of active series (playbook_meeting_payload) */
	size_t				 n_meetings;
	struct playbook_feed_action	*actions;
	size_t				 n_actions;
};
/* Fill feed for pb->actor (closed customers left out); release with playbook_feed_free. */
int playbook_feed_items(const struct playbook *pb, struct playbook_feed *feed, struct result *r);
void playbook_feed_free(struct playbook_feed *feed);
/*
 * The actor's own feed token, audited: sha256_hex (64 lower-case hex
 * digits) replaces the digest of their token, NULL revokes it.  Anyone
 * signed in may, for themselves only; RESULT_INVALID for a malformed digest.
 */
int playbook_feed_token(const struct playbook *pb, const char *sha256_hex, struct result *r);

#endif
