/*
 * rules_impl.h -- what the rules files (playbook.c, series.c, services.c,
 * progress.c, readiness.c, views.c) share among themselves; callers outside
 * shared/rules see only playbook.h.
 */
#ifndef FTS_RULES_IMPL_H
#define FTS_RULES_IMPL_H

#include <stdint.h>

#include <json-c/json.h>

#include "catalog.h"
#include "fields.h"
#include "playbook.h"
#include "result.h"
#include "store.h"

/* ---- input guards (playbook.c): the same checks the forms make, for callers that skip them */
int rules_check_field(struct result *r, const struct field_spec *fs, const char *v, int required);
int rules_check_email(struct result *r, const char *field, const char *v);
int rules_check_date(struct result *r, const char *field, const char *v, int32_t *day);
const struct catalog_service *rules_check_service(struct result *r, const char *v);

/* The index of key among keys[0..n) (an enum's API words), or -1. */
int rules_key_index(const char *const *keys, size_t n, const char *key);

/* ---- facts every rule reads (playbook.c) */
const char *rules_service_title(const char *key);
int32_t rules_customer_today(const struct playbook *pb, const struct store_customer *c);
int rules_service_met(const struct store_service *s);
int rules_fm_covers(const struct store_service *s);
enum playbook_phase rules_customer_phase(const struct store_customer *c);
/* 0 when c's phase takes action (playbook_phase_allows), else RESULT_CONFLICT in words. */
int rules_phase_check(const struct store_customer *c, enum playbook_action action,
    struct result *r);
/* rules_customer_get for a change, then rules_phase_check. */
int rules_customer_for(const struct playbook *pb, int64_t id, enum playbook_action action,
    struct store_customer *c, struct result *r);

/* ---- roles (roles.c) */
/* 0 when the actor may see c (and, change = 1, change it); else NOTFOUND or FORBIDDEN. */
int rules_customer_access(const struct playbook *pb, const struct store_customer *c, int change,
    struct result *r);
/* store_customer_get, then rules_customer_access. */
int rules_customer_get(const struct playbook *pb, int64_t id, struct store_customer *c, int change,
    struct result *r);
/*
 * An online-meeting link (a user's, a series'): the meeting_url field spec
 * and an https:// link, or "" for none; else RESULT_INVALID on meeting_url.
 */
int rules_check_meeting_url(struct result *r, const char *v);
/* 0 when login is an active user who may own customers; else RESULT_INVALID on owner_fm. */
int rules_check_owner(const struct playbook *pb, const char *login, struct result *r);

/*
 * Inside the caller's transaction: c (read for change) gets owner_fm (the
 * manager role and an active user needed) and is stored, each active series
 * re-sent; c->owner_fm is the new FM after.
 */
int rules_customer_reassign_tx(const struct playbook *pb, struct store_customer *c,
    const char *owner_fm, struct result *r);

/* ---- one transaction per action, with its audit row (playbook.c) */
int rules_begin(const struct playbook *pb, struct result *r);
int rules_commit(const struct playbook *pb, struct result *r);
/* Roll back and return -1, for "return rules_rollback(pb);". */
int rules_rollback(const struct playbook *pb);
/* details (may be NULL) is consumed. */
int rules_audit(const struct playbook *pb, const char *action, const char *entity, int64_t entity_id,
    int64_t customer_id, json_object *details, struct result *r);
/* Audit details whose members are all text: key, value, ..., then (char *)NULL. */
json_object *rules_details(const char *key, ...) __attribute__((sentinel));
/*
 * The end of an action that created row entity_id: its audit row, the
 * commit, then *id (when id is not NULL).  -1 rolled back; details consumed.
 */
int rules_finish_create(const struct playbook *pb, const char *action, const char *entity,
    int64_t entity_id, int64_t customer_id, json_object *details, int64_t *id, struct result *r);
/* "old -> new" into the audit details d under key, when the value changed (who changed what). */
void rules_audit_change(json_object *d, const char *key, const char *old, const char *new);
const char *rules_json_text(json_object *o);
json_object *rules_jstr(const char *s);

/* ---- mail the actions queue (playbook.c) */
/* The invite or cancel payload of series m as it stands, to its attendees; NULL with r filled. */
json_object *rules_invite_payload(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, struct result *r);
/* Queue method for series m to the nto people `to`; who (not NULL) marks a personal cancel. */
int rules_queue_meeting_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const char *method, const struct store_person *to,
    size_t nto, const char *who, struct result *r);
/*
 * Queue the update REQUEST of series m to its attendees and FM, saying what
 * changed since before (its schedule then: start, zone, length, interval).
 */
int rules_queue_meeting_change(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting *before, struct result *r);
/*
 * Queue the message about one occurrence of m to all its attendees: a
 * CANCEL with RECURRENCE-ID when occ is skipped, a REQUEST with
 * RECURRENCE-ID and its new start when moved (docs/notifications.md).
 */
int rules_queue_occurrence_mail(const struct playbook *pb, const struct store_customer *c,
    const struct store_meeting *m, const struct store_meeting_exception *occ, struct result *r);
/* The handshake of service s (rule 1), once per customer, service and CSM; *queued (may be NULL) counts one queued. */
int rules_handshake(const struct playbook *pb, const struct store_customer *c,
    struct store_service *s, int *queued, struct result *r);

/* ---- series attendees and covered services (series.c) */
/* People as JSON [{"name", "email"}]: a series' attendees, an outbox row's recipients. */
json_object *rules_people_json(const struct store_person *people, size_t n);
int rules_meeting_update_and_request(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, struct result *r);
/*
 * The customer page's "fm_no_email": true when c's FM has no e-mail in
 * their profile, so the series' messages go out without them as chair.
 */
void rules_series_chair_view(const struct playbook *pb, const struct store_customer *c,
    json_object *view);
/* As rules_meeting_update_and_request(), the REQUEST saying what changed since before. */
int rules_meeting_update_from(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const struct store_meeting *before, struct result *r);
int rules_meeting_cancel_all(const struct playbook *pb, const struct store_customer *c,
    struct store_meeting *m, const char *why, struct result *r);
int rules_series_apply_suppression(const struct playbook *pb, const struct store_customer *c,
    struct result *r);
int rules_series_add_service(const struct playbook *pb, int64_t customer_id, const char *service,
    struct result *r);

/* ---- readiness (readiness.c): the verdict alone, reason texts left empty */
void rules_readiness_quiet(const struct store_facts *f, int32_t today,
    struct playbook_readiness *out);

#endif
