/*
 * routes.c -- the route table of ftsuccess.fcgi.  HTML forms and the JSON API
 * share paths: each resource is listed once under its page path and once
 * under /api (JSON whatever the Accept header); API-only verbs (PUT, PATCH)
 * and form pages (new/edit) appear once.
 */
#include "autoconfig.h"

#include <stddef.h>

#include "handlers.h"
#include "router.h"

#define GET	HTTP_METHOD_GET
#define POST	HTTP_METHOD_POST
#define PUT	HTTP_METHOD_PUT
#define PATCH	HTTP_METHOD_PATCH
/* A resource served as HTML at path and as JSON at /api + path. */
#define BOTH(m, path, fn)	{ m, path, fn, 0 }, { m, "/api" path, fn, 0 }

const struct route routes_table[] = {
	{ GET,	"/healthz",	router_healthz,	ROUTE_PUBLIC },
	{ GET,	"/api/healthz",	router_healthz,	ROUTE_PUBLIC },
	{ GET,	"/static/*",	router_static,	ROUTE_PUBLIC },

	{ GET,	"/",		handlers_portfolio, 0 },
	BOTH(GET, "/customers", handlers_portfolio),
	BOTH(POST, "/customers", handlers_customer_create),
	{ GET,	"/customers/new", handlers_customer_new, 0 },
	BOTH(GET, "/customers/{id}", handlers_customer_show),
	BOTH(POST, "/customers/{id}", handlers_customer_update),
	{ PATCH, "/api/customers/{id}", handlers_customer_update, 0 },
	{ GET,	"/customers/{id}/edit", handlers_customer_edit, 0 },
	BOTH(POST, "/customers/{id}/contacts", handlers_contact_add),
	{ GET,	"/contacts/{id}/invites", handlers_contact_invites_confirm, 0 },
	BOTH(POST, "/contacts/{id}/invites", handlers_contact_invites),
	{ PATCH, "/api/contacts/{id}", handlers_contact_invites, 0 },
	BOTH(POST, "/customers/{id}/services", handlers_service_add),
	BOTH(POST, "/customers/{id}/targets", handlers_service_target),
	BOTH(POST, "/customers/{id}/csm", handlers_csm_assign),
	{ PUT,	"/api/customers/{id}/csm", handlers_csm_assign, 0 },
	BOTH(POST, "/customers/{id}/owner", handlers_customer_reassign),
	BOTH(POST, "/customers/{id}/adoption", handlers_adoption),
	BOTH(POST, "/customers/{id}/accelerator", handlers_accelerator),
	BOTH(POST, "/customers/{id}/usage", handlers_usage_record),
	BOTH(POST, "/customers/{id}/usage/import", handlers_usage_import),
	BOTH(POST, "/customers/{id}/checkins", handlers_checkin_log),
	BOTH(POST, "/customers/{id}/tasks/{id}/complete", handlers_task_complete),
	BOTH(POST, "/customers/{id}/blockers", handlers_blocker_open),
	BOTH(POST, "/blockers/{id}/resolve", handlers_blocker_resolve),
	BOTH(POST, "/customers/{id}/meetings", handlers_meeting_schedule),
	BOTH(POST, "/meetings/{id}", handlers_meeting_reschedule),
	{ PATCH, "/api/meetings/{id}", handlers_meeting_reschedule, 0 },
	{ GET,	"/api/meetings/{id}", handlers_meeting_show, 0 },
	{ GET,	"/meetings/{id}/cancel", handlers_meeting_cancel_confirm, 0 },
	BOTH(POST, "/meetings/{id}/cancel", handlers_meeting_cancel),
	BOTH(POST, "/meetings/{id}/skip", handlers_meeting_skip),
	BOTH(POST, "/meetings/{id}/move", handlers_meeting_move),
	{ GET,	"/meetings/{id}/invite.ics", handlers_meeting_ics, 0 },
	BOTH(POST, "/customers/{id}/success-review", handlers_review_start),
	BOTH(POST, "/customers/{id}/success-review/outcome", handlers_review_outcome),
	BOTH(GET, "/outbox", handlers_outbox_list),
	BOTH(GET, "/outbox/{id}", handlers_outbox_show),
	BOTH(POST, "/outbox/{id}/retry", handlers_outbox_retry),
	/* Issue 11: the views an FM and a manager open, exports, the profile and the feed. */
	BOTH(GET, "/week", handlers_week),
	BOTH(GET, "/team", handlers_team),
	{ GET,	"/export/portfolio.csv", handlers_export_portfolio_csv, 0 },
	{ GET,	"/export/portfolio.json", handlers_export_portfolio_json, 0 },
	{ GET,	"/customers/{id}/checkins.csv", handlers_export_checkins_csv, 0 },
	{ GET,	"/customers/{id}/blockers.csv", handlers_export_blockers_csv, 0 },
	BOTH(GET, "/profile", handlers_profile),
	BOTH(POST, "/profile/feed", handlers_profile_feed),
	BOTH(POST, "/profile/language", handlers_profile_language),
	/* Outside the sign-in: the secret in the address is the credential (docs/deploy.md). */
	{ GET,	"/feed/*", handlers_feed, ROUTE_PUBLIC },
	/* Issue 13, item 11 and 9: correct or remove a contact, archive a customer, ask first. */
	BOTH(POST, "/contacts/{id}", handlers_contact_edit),
	{ GET,	"/contacts/{id}/remove", handlers_contact_remove_confirm, 0 },
	BOTH(POST, "/contacts/{id}/remove", handlers_contact_remove),
	{ GET,	"/customers/{id}/archive", handlers_customer_archive_confirm, 0 },
	BOTH(POST, "/customers/{id}/archive", handlers_customer_archive),
	BOTH(POST, "/customers/{id}/unarchive", handlers_customer_unarchive),
	{ GET,	"/customers/{id}/owner", handlers_customer_reassign_confirm, 0 },
	BOTH(POST, "/checkins/{id}", handlers_checkin_edit),
	BOTH(GET, "/replies/unmatched", handlers_replies_unmatched),

	{ HTTP_METHOD_OTHER, NULL, NULL, 0 }
};
