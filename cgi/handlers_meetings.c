/* handlers_meetings.c -- check-in series: schedule, reschedule, cancel, and the .ics download. */
#include "autoconfig.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "handlers.h"
#include "ical.h"
#include "pages.h"
#include "store.h"
#include "text.h"

enum { MT_STARTS, MT_DURATION, MT_EVERY, MT__MAX };
static const struct form_field mt_fields[MT__MAX] = {
	[MT_STARTS] = { .name = "starts_at", .type = FORM_DATETIME, .required = 1 },
	[MT_DURATION] = { .name = "duration_minutes", .type = FORM_INT, .min = 15, .max = 480 },
	[MT_EVERY] = { .name = "every_weeks", .type = FORM_INT, .min = 1, .max = 8 },
};
/* Rescheduling: change any of them. */
static const struct form_field mr_fields[MT__MAX] = {
	[MT_STARTS] = { .name = "starts_at", .type = FORM_DATETIME },
	[MT_DURATION] = { .name = "duration_minutes", .type = FORM_INT, .min = 15, .max = 480 },
	[MT_EVERY] = { .name = "every_weeks", .type = FORM_INT, .min = 1, .max = 8 },
};

/* The series as the API shows it, or NULL (the answer then carries no body, as before). */
static json_object *
meeting_json(const struct playbook *pb, int64_t id, struct result *r)
{
	json_object *o;

	return playbook_meeting_json(pb, id, &o, r) == 0 ? o : NULL;
}

/* The customer of meeting id into *cid: 0, or -1 when the answer (404, 503...) is made. */
static int
meeting_customer(struct app *app, struct http_request *req, struct http_response *resp,
    int64_t id, int64_t *cid)
{
	struct store_meeting	 m;
	struct result		 r;

	result_clear(&r);
	if (store_meeting_get(app->store, id, &m, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return -1;
	}
	*cid = m.customer_id;
	store_meeting_free(&m);
	return 0;
}

void
handlers_meeting_schedule(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct form	 f;
	struct result	 r;
	json_object	*o;
	int64_t		 cid = req->ids[0], id;
	char		 loc[96];

	if (pages_validate(app, req, resp, &f, mt_fields, MT__MAX, "schedule", cid) == -1)
		return;
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_meeting_schedule(&pb, cid, f.values[MT_STARTS].text,
	    (int)f.values[MT_DURATION].num, (int)f.values[MT_EVERY].num, &id, &r) == -1) {
		pages_fail(app, req, resp, &r, "schedule", &f, cid);
		form_free(&f);
		return;
	}
	form_free(&f);
	o = pages_is_html(req) ? NULL : meeting_json(&pb, id, &r);
	snprintf(loc, sizeof(loc), "/api/meetings/%" PRId64, id);
	pages_done(app, req, resp, cid, "meeting_scheduled", 201, o, loc);
}

void
handlers_meeting_reschedule(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct form		 f;
	struct result		 r;
	int64_t			 id = req->ids[0], cid;

	if (meeting_customer(app, req, resp, id, &cid) == -1)
		return;
	result_clear(&r);
	if (pages_validate(app, req, resp, &f, mr_fields, MT__MAX, "reschedule", cid) == -1)
		return;
	pages_playbook(app, req, &pb);
	if (playbook_meeting_reschedule(&pb, id, f.values[MT_STARTS].present ? f.values[MT_STARTS].text : NULL,
	    (int)f.values[MT_DURATION].num, (int)f.values[MT_EVERY].num, &r) == -1) {
		pages_fail(app, req, resp, &r, "reschedule", &f, cid);
		form_free(&f);
		return;
	}
	form_free(&f);
	pages_done(app, req, resp, cid, "meeting_rescheduled", 200,
	    pages_is_html(req) ? NULL : meeting_json(&pb, id, &r), NULL);
}

void
handlers_meeting_cancel(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct result		 r;
	int64_t			 id = req->ids[0], cid;

	if (meeting_customer(app, req, resp, id, &cid) == -1)
		return;
	result_clear(&r);
	pages_playbook(app, req, &pb);
	if (playbook_meeting_cancel(&pb, id, &r) == -1) {
		pages_fail(app, req, resp, &r, "reschedule", NULL, cid);
		return;
	}
	pages_done(app, req, resp, cid, "meeting_cancelled", 200,
	    pages_is_html(req) ? NULL : meeting_json(&pb, id, &r), NULL);
}

void
handlers_meeting_show(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct result	 r;
	json_object	*o;

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if ((o = meeting_json(&pb, req->ids[0], &r)) == NULL) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	http_json(resp, 200, o);
	json_object_put(o);
}

/* The address in "Name <addr>" or a bare "addr" into out: 0, or -1. */
static int
sender_address(const char *from, char *out, size_t size)
{
	const char	*lt = strrchr(from, '<'), *gt;
	size_t		 len;

	if (lt != NULL && (gt = strchr(lt, '>')) != NULL) {
		from = lt + 1;
		len = (size_t)(gt - from);
	} else
		len = strlen(from);
	if (len == 0 || len >= size)
		return -1;
	memcpy(out, from, len);
	out[len] = '\0';
	return 0;
}

/*
 * The series as an .ics file, the same calendar the invitation carries
 * (RFC 5545 text/calendar; METHOD:REQUEST, or CANCEL once cancelled), so
 * an FM can add it to their own calendar.
 */
void
handlers_meeting_ics(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook		 pb;
	struct result		 r;
	struct ical_invite	 inv;
	struct ical_person	 org;
	struct notice		 notice = { 0 };
	json_object		*payload;
	struct buf		 out;
	char			 disp[96], from[320];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_meeting_payload(&pb, req->ids[0], &payload, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	memset(&inv, 0, sizeof(inv));
	org.name = app->cfg->organizer_name;
	org.email = app->cfg->organizer_email;
	/* As the notifier does: without organizer_email the sender's address stands in. */
	if (org.email[0] == '\0' && sender_address(app->cfg->smtp_from, from, sizeof(from)) == 0)
		org.email = from;
	if (org.email[0] == '\0' || !text_email_valid(org.email)) {
		json_object_put(payload);
		http_error(resp, req, app->templates, 500,
		    "organizer_email is not set in ftsuccess.conf: the calendar needs an organizer");
		return;
	}
	buf_init(&out);
	if (notice_decode_meeting_json(payload, &notice, &r) == -1 ||
	    ical_invite_from_notice(&notice.meeting, &org, app->cfg->base_url, &inv, &r) == -1 ||
	    ical_invite_build(&inv, pb.now, &out, &r) == -1) {
		ical_invite_free(&inv);
		notice_free(&notice);
		json_object_put(payload);
		buf_free(&out);
		r.code = RESULT_IO;
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	ical_invite_free(&inv);
	notice_free(&notice);
	json_object_put(payload);
	http_respond(resp, 200, "text/calendar; charset=utf-8", out.data, out.len);
	snprintf(disp, sizeof(disp), "attachment; filename=\"checkin-%" PRId64 ".ics\"", req->ids[0]);
	http_header_add(resp, "Content-Disposition", disp);
	buf_free(&out);
}
