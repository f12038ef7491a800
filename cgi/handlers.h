/* handlers.h -- the page and API handlers of ftsuccess.fcgi, named in cgi/routes.c. */
#ifndef FTS_HANDLERS_H
#define FTS_HANDLERS_H

#include "router.h"

/* FORM_KEY check: a service key of the catalog. */
int handlers_key_service(const char *text, long long num);

void handlers_portfolio(struct app *, struct http_request *, struct http_response *);
void handlers_customer_new(struct app *, struct http_request *, struct http_response *);
void handlers_customer_create(struct app *, struct http_request *, struct http_response *);
void handlers_customer_show(struct app *, struct http_request *, struct http_response *);
void handlers_customer_edit(struct app *, struct http_request *, struct http_response *);
void handlers_customer_update(struct app *, struct http_request *, struct http_response *);
void handlers_contact_add(struct app *, struct http_request *, struct http_response *);
void handlers_contact_invites(struct app *, struct http_request *, struct http_response *);
void handlers_service_add(struct app *, struct http_request *, struct http_response *);
void handlers_service_target(struct app *, struct http_request *, struct http_response *);
void handlers_csm_assign(struct app *, struct http_request *, struct http_response *);
void handlers_customer_reassign(struct app *, struct http_request *, struct http_response *);
/* Issue 13, item 11: contact edit and removal, archive; with their confirmation pages. */
void handlers_contact_edit(struct app *, struct http_request *, struct http_response *);
void handlers_contact_remove(struct app *, struct http_request *, struct http_response *);
void handlers_contact_remove_confirm(struct app *, struct http_request *, struct http_response *);
void handlers_customer_archive(struct app *, struct http_request *, struct http_response *);
void handlers_customer_archive_confirm(struct app *, struct http_request *, struct http_response *);
void handlers_customer_unarchive(struct app *, struct http_request *, struct http_response *);
void handlers_checkin_edit(struct app *, struct http_request *, struct http_response *);
void handlers_customer_reassign_confirm(struct app *, struct http_request *, struct http_response *);
void handlers_adoption(struct app *, struct http_request *, struct http_response *);
void handlers_accelerator(struct app *, struct http_request *, struct http_response *);

void handlers_usage_record(struct app *, struct http_request *, struct http_response *);
void handlers_usage_import(struct app *, struct http_request *, struct http_response *);
void handlers_checkin_log(struct app *, struct http_request *, struct http_response *);
void handlers_task_complete(struct app *, struct http_request *, struct http_response *);
void handlers_blocker_open(struct app *, struct http_request *, struct http_response *);
void handlers_blocker_resolve(struct app *, struct http_request *, struct http_response *);
void handlers_review_start(struct app *, struct http_request *, struct http_response *);
void handlers_review_outcome(struct app *, struct http_request *, struct http_response *);

void handlers_meeting_schedule(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_reschedule(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_cancel(struct app *, struct http_request *, struct http_response *);
/* The confirmation pages (GET) of actions that mail the customer: who will be mailed, then the POST. */
void handlers_meeting_cancel_confirm(struct app *, struct http_request *, struct http_response *);
void handlers_contact_invites_confirm(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_skip(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_move(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_show(struct app *, struct http_request *, struct http_response *);
void handlers_meeting_ics(struct app *, struct http_request *, struct http_response *);

void handlers_outbox_list(struct app *, struct http_request *, struct http_response *);
void handlers_outbox_show(struct app *, struct http_request *, struct http_response *);
void handlers_outbox_retry(struct app *, struct http_request *, struct http_response *);

/* handlers_team.c: My week, the team view, exports, the profile and the calendar feed (issue 11). */
void handlers_week(struct app *, struct http_request *, struct http_response *);
void handlers_team(struct app *, struct http_request *, struct http_response *);
void handlers_export_portfolio_csv(struct app *, struct http_request *, struct http_response *);
void handlers_export_portfolio_json(struct app *, struct http_request *, struct http_response *);
void handlers_export_checkins_csv(struct app *, struct http_request *, struct http_response *);
void handlers_export_blockers_csv(struct app *, struct http_request *, struct http_response *);
void handlers_profile(struct app *, struct http_request *, struct http_response *);
void handlers_profile_feed(struct app *, struct http_request *, struct http_response *);
void handlers_profile_language(struct app *, struct http_request *, struct http_response *);
void handlers_feed(struct app *, struct http_request *, struct http_response *);
struct form;
struct playbook_portfolio_query;
/*
 * The portfolio's filters (q, state, phase, fm, sort) of req's query into
 * q, its strings borrowed from f (form_free(f) after): 0, 1 when a
 * parameter is not valid, -1 when memory ran out.
 */
int handlers_portfolio_query(const struct http_request *req, struct form *f,
    struct playbook_portfolio_query *q);
/* Calendar replies the notifier kept but did not apply, with the reason (GET only). */
void handlers_replies_unmatched(struct app *, struct http_request *, struct http_response *);

#endif
