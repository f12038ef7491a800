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

/* Calendar replies the notifier kept but did not apply, with the reason (GET only). */
void handlers_replies_unmatched(struct app *, struct http_request *, struct http_response *);

#endif
