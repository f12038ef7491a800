/* handlers_meetings.c -- check-in series: schedule, reschedule, cancel, skip or move one occurrence, and the .ics download. */
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

enum { MT_STARTS, MT_DURATION, MT_EVERY, MT_URL, MT__MAX };
static const struct form_field mt_fields[MT__MAX] = {
	[MT_STARTS] = { .name = "starts_at", .label = "First meeting starts", .type = FORM_DATETIME, .required = 1 },
	[MT_DURATION] = { .name = "duration_minutes", .label = "Duration", .type = FORM_INT, .min = 15, .max = 480 },
	[MT_EVERY] = { .name = "every_weeks", .label = "Weeks between meetings", .type = FORM_INT, .min = 1, .max = 8 },
	/* The series' online meeting (LOCATION); none given: the FM's profile link. */
	[MT_URL] = { .spec = &field_user_meeting_url },
};
/* Rescheduling: change any of them. */
static const struct form_field mr_fields[MT__MAX] = {
	[MT_STARTS] = { .name = "starts_at", .label = "First meeting starts", .type = FORM_DATETIME },
	[MT_DURATION] = { .name = "duration_minutes", .label = "Duration", .type = FORM_INT, .min = 15, .max = 480 },
	[MT_EVERY] = { .name = "every_weeks", .label = "Weeks between meetings", .type = FORM_INT, .min = 1, .max = 8 },
	[MT_URL] = { .spec = &field_user_meeting_url },
};

/* The link given, or NULL when the field was not sent. */
static const char *
meeting_url_of(const struct form *f)
{
	return f->values[MT_URL].present ? f->values[MT_URL].text : NULL;
}

/* One occurrence: its own date, and for a move the new local start. */
enum { MO_OCCURS_ON, MO_STARTS, MO__MAX };
static const struct form_field skip_fields[] = {
	[MO_OCCURS_ON] = { .name = "occurs_on", .type = FORM_DATE, .required = 1 },
};
static const struct form_field move_fields[MO__MAX] = {
	[MO_OCCURS_ON] = { .name = "occurs_on", .type = FORM_DATE, .required = 1 },
	[MO_STARTS] = { .name = "starts_at", .type = FORM_DATETIME, .required = 1 },
};

static int
run_schedule(const struct playbook *pb, int64_t cid, const struct form *f, int64_t *id,
    struct result *r)
{
	return playbook_meeting_schedule_link(pb, cid, f->values[MT_STARTS].text,
	    (int)f->values[MT_DURATION].num, (int)f->values[MT_EVERY].num, meeting_url_of(f), id,
	    r);
}

static int
run_reschedule(const struct playbook *pb, int64_t id, const struct form *f, int64_t *out,
    struct result *r)
{
	/*
	 * A starts_at not given keeps the series' (NULL); so do 0 minutes and 0
	 * weeks.  The answer is the series that carries the new schedule: a new
	 * one when a started series was split.
	 */
	return playbook_meeting_reschedule_link(pb, id,
	    f->values[MT_STARTS].present ? f->values[MT_STARTS].text : NULL,
	    (int)f->values[MT_DURATION].num, (int)f->values[MT_EVERY].num, meeting_url_of(f), out,
	    r);
}

static int
run_cancel(const struct playbook *pb, int64_t id, const struct form *f, int64_t *out,
    struct result *r)
{
	(void)f;
	(void)out;
	return playbook_meeting_cancel(pb, id, r);
}

static int
run_skip(const struct playbook *pb, int64_t id, const struct form *f, int64_t *out,
    struct result *r)
{
	(void)out;
	return playbook_meeting_skip(pb, id, f->values[MO_OCCURS_ON].text, r);
}

static int
run_move(const struct playbook *pb, int64_t id, const struct form *f, int64_t *out,
    struct result *r)
{
	(void)out;
	return playbook_meeting_move(pb, id, f->values[MO_OCCURS_ON].text,
	    f->values[MO_STARTS].text, r);
}

/*
 * The changes to a series answer alike: check the form (if any), run
 * the rule, then the customer page (HTML) or the series as JSON.
 */
struct meeting_action {
	const struct form_field	*fields;	/* nfields of them; NULL: no form */
	size_t			 nfields;
	const char		*form;		/* the form shown again on failure */
	const char		*notice;	/* pages_done's notice */
	int			 status;
	int			 creates;	/* ids[0] is the customer; answer with Location */
	int			(*run)(const struct playbook *, int64_t, const struct form *,
				    int64_t *, struct result *);
};

static const struct meeting_action schedule_action = { .fields = mt_fields, .nfields = MT__MAX,
	.form = "schedule", .notice = "meeting_scheduled", .status = 201, .creates = 1,
	.run = run_schedule };
static const struct meeting_action reschedule_action = { .fields = mr_fields, .nfields = MT__MAX,
	.form = "reschedule", .notice = "meeting_rescheduled", .status = 200,
	.run = run_reschedule };
/* A failed cancel shows the reschedule form again, where the cancel button is. */
static const struct meeting_action cancel_action = { .form = "reschedule",
	.notice = "meeting_cancelled", .status = 200, .run = run_cancel };
static const struct meeting_action skip_action = { .fields = skip_fields,
	.nfields = sizeof(skip_fields) / sizeof(skip_fields[0]), .form = "occurrence",
	.notice = "occurrence_skipped", .status = 200, .run = run_skip };
static const struct meeting_action move_action = { .fields = move_fields, .nfields = MO__MAX,
	.form = "occurrence", .notice = "occurrence_moved", .status = 200, .run = run_move };

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

static void
meeting_answer(struct app *app, struct http_request *req, struct http_response *resp,
    const struct meeting_action *a)
{
	struct playbook	 pb;
	struct form	 f, *fp = NULL;
	struct result	 r;
	json_object	*o = NULL;
	int64_t		 target = req->ids[0], cid = target, id = target;
	char		 loc[96];

	if (!a->creates && meeting_customer(app, req, resp, target, &cid) == -1)
		return;
	if (a->fields != NULL) {
		if (pages_validate(app, req, resp, &f, a->fields, a->nfields, a->form, cid) == -1)
			return;
		fp = &f;
	}
	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (a->run(&pb, target, fp, &id, &r) == -1) {
		pages_fail(app, req, resp, &r, a->form, fp, cid);
		if (fp != NULL)
			form_free(fp);
		return;
	}
	if (fp != NULL)
		form_free(fp);
	/* No body when the series cannot be read back: the change is made all the same. */
	if (!pages_is_html(req) && playbook_meeting_json(&pb, id, &o, &r) == -1)
		o = NULL;
	if (a->creates)
		snprintf(loc, sizeof(loc), "/api/meetings/%" PRId64, id);
	pages_done(app, req, resp, cid, a->notice, a->status, o, a->creates ? loc : NULL);
}

/* Each change to a series is meeting_answer() with its action row. */
#define MEETING_HANDLER(name) \
void \
handlers_meeting_##name(struct app *app, struct http_request *req, struct http_response *resp) \
{ \
	meeting_answer(app, req, resp, &name##_action); \
}

MEETING_HANDLER(schedule)
MEETING_HANDLER(reschedule)
MEETING_HANDLER(cancel)
MEETING_HANDLER(skip)
MEETING_HANDLER(move)

void
handlers_meeting_show(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct result	 r;
	json_object	*o;

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_meeting_json(&pb, req->ids[0], &o, &r) == -1) {
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
 * The series as an .ics file, the calendar the invitation carries as a
 * METHOD:PUBLISH (RFC 5546 3.2.1): a copy to add to a calendar, not a request
 * to answer, so it has no ATTENDEE and a client does not offer to RSVP or
 * send replies to the organizer; STATUS:CANCELLED once cancelled.
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
	char			 disp[96], from[320], why[sizeof(r.message)];

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
	    (inv.method = "PUBLISH", ical_invite_build(&inv, pb.now, &out, &r)) == -1) {
		ical_invite_free(&inv);
		notice_free(&notice);
		json_object_put(payload);
		buf_free(&out);
		/*
		 * A series stored before starts were checked may start in a DST
		 * gap: the FM can mend that (409, reschedule); anything else
		 * here is the server's fault.
		 */
		if (r.code == RESULT_INVALID && strcmp(r.field, "starts_at") == 0) {
			text_copy(why, sizeof(why), r.message);
			result_set(&r, RESULT_CONFLICT, NULL, "%s: reschedule the series to a "
			    "time that exists", why);
		} else
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
