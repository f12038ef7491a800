/* handlers_outbox.c -- the notification outbox: list, one message (with its captured copy in demo mode), retry. */
#include "autoconfig.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "handlers.h"
#include "i18n.h"
#include "http_form.h"
#include "pages.h"
#include "present.h"
#include "store.h"
#include "store_json.h"
#include "text.h"

#define OUTBOX_PER_PAGE	50
#define COPY_MAX	(256 * 1024)	/* bytes of a captured message shown */

enum { OB_STATE, OB_PAGE, OB__MAX };
static const char *const ob_states[] = { "queued", "sending", "sent", "dead", NULL };
static const struct form_field ob_fields[OB__MAX] = {
	[OB_STATE] = { .name = "state", .type = FORM_ENUM, .allowed = ob_states },
	[OB_PAGE] = { .name = "page", .type = FORM_INT, .min = 1, .max = 1000000 },
};

/*
 * A row's JSON-text members parsed for display, and its flags: dead (the
 * whole message failed for good) and retryable (dead, or sent with some
 * recipients dead: a person may queue it again for those).
 */
static void
outbox_row_view(json_object *row)
{
	static const char *const keys[] = { "recipients", "recipient_states" };
	json_object	*v, *p, *e, *st;
	size_t		 k, i;
	int		 dead = 0, dead_rcpt = 0;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
		if (json_object_object_get_ex(row, keys[k], &v) &&
		    json_object_is_type(v, json_type_string) &&
		    (p = json_tokener_parse(json_object_get_string(v))) != NULL)
			json_object_object_add(row, keys[k], p);
	if (json_object_object_get_ex(row, "state", &v))
		dead = strcmp(json_object_get_string(v), "dead") == 0;
	if (json_object_object_get_ex(row, "recipient_states", &v) &&
	    json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++) {
			e = json_object_array_get_idx(v, i);
			if (json_object_object_get_ex(e, "state", &st) &&
			    strcmp(json_object_get_string(st), "dead") == 0)
				dead_rcpt = 1;
		}
	json_object_object_add(row, "rcpt_known", json_object_new_boolean(
	    json_object_object_get_ex(row, "recipient_states", &v) &&
	    json_object_is_type(v, json_type_array) && json_object_array_length(v) > 0));
	json_object_object_add(row, "dead", json_object_new_boolean(dead));
	json_object_object_add(row, "retryable", json_object_new_boolean(dead ||
	    (dead_rcpt && json_object_object_get_ex(row, "state", &v) &&
	    strcmp(json_object_get_string(v), "sent") == 0)));
	present_outbox_words(row);
}

static void
parse_recipients(json_object *rows)
{
	size_t	i;

	for (i = 0; i < json_object_array_length(rows); i++)
		outbox_row_view(json_object_array_get_idx(rows, i));
}

void
handlers_outbox_list(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct form	 f;
	struct result	 r;
	json_object	*rows, *view, *states, *s, *pager;
	long long	 total;
	int		 rc, page, pages;
	size_t		 i;
	const char	*state;
	char		 url[96];

	if ((rc = form_validate_fields(&f, ob_fields, OB__MAX, &req->query_fields)) != 0) {
		if (rc == -1)
			http_error(resp, req, app->templates, 500, "out of memory");
		else
			http_error(resp, req, app->templates, 400,
			    "state must be queued, sending, sent or dead; page a positive number");
		form_free(&f);
		return;
	}
	state = f.values[OB_STATE].present ? f.values[OB_STATE].text : "";
	page = f.values[OB_PAGE].present ? (int)f.values[OB_PAGE].num : 1;
	result_clear(&r);
	if (store_outbox_object(app->store, 0, state, OUTBOX_PER_PAGE, (page - 1) * OUTBOX_PER_PAGE,
	    &rows, &total, &r) == -1) {
		form_free(&f);
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	parse_recipients(rows);
	pages = total == 0 ? 1 : (int)((total + OUTBOX_PER_PAGE - 1) / OUTBOX_PER_PAGE);
	view = json_object_new_object();
	json_object_object_add(view, "messages", rows);
	json_object_object_add(view, "total", json_object_new_int64(total));
	json_object_object_add(view, "page", json_object_new_int(page));
	json_object_object_add(view, "pages", json_object_new_int(pages));
	if (!pages_is_html(req)) {
		http_json(resp, 200, view);
		json_object_put(view);
		form_free(&f);
		return;
	}
	json_object_object_add(view, "title", json_object_new_string(_("Outbox")));
	json_object_object_add(view, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	states = json_object_new_array();
	for (i = 0; ob_states[i]; i++) {
		s = json_object_new_object();
		json_object_object_add(s, "key", json_object_new_string(ob_states[i]));
		json_object_object_add(s, "title", json_object_new_string(
		    present_outbox_state(ob_states[i])));
		json_object_object_add(s, "selected", json_object_new_boolean(strcmp(state, ob_states[i]) == 0));
		json_object_array_add(states, s);
	}
	json_object_object_add(view, "states", states);
	pager = json_object_new_object();
	json_object_object_add(pager, "page", json_object_new_int(page));
	json_object_object_add(pager, "pages", json_object_new_int(pages));
	if (page > 1) {
		snprintf(url, sizeof(url), "/outbox?%s%s%spage=%d", *state ? "state=" : "", state,
		    *state ? "&" : "", page - 1);
		json_object_object_add(pager, "prev_url", json_object_new_string(url));
	}
	if (page < pages) {
		snprintf(url, sizeof(url), "/outbox?%s%s%spage=%d", *state ? "state=" : "", state,
		    *state ? "&" : "", page + 1);
		json_object_object_add(pager, "next_url", json_object_new_string(url));
	}
	json_object_object_add(view, "pager", pager);
	present_humanize(view);
	http_render(resp, req, app->templates, 200, "outbox", view);
	json_object_put(view);
	form_free(&f);
}

/*
 * The text/plain part of a MIME message as a person reads it: the body of
 * the first part typed text/plain, quoted-printable decoded (RFC 2045 6.7),
 * up to the next boundary line.  NULL when there is none or it does not
 * decode to UTF-8 (the raw message is shown then).
 */
static json_object *
plain_text_part(const char *msg)
{
	const char	*p, *body, *end, *hdr_end;
	struct buf	 out;
	json_object	*o = NULL;
	int		 qp, hi, lo;

	if ((p = strstr(msg, "Content-Type: text/plain")) == NULL ||
	    (hdr_end = strstr(p, "\r\n\r\n")) == NULL)
		return NULL;
	body = hdr_end + 4;
	qp = memmem(p, (size_t)(hdr_end - p), "quoted-printable", 16) != NULL;
	if ((end = strstr(body, "\r\n--")) == NULL)
		end = body + strlen(body);
	buf_init(&out);
	for (p = body; p < end; p++) {
		if (qp && *p == '=') {
			if (p + 2 < end && p[1] == '\r' && p[2] == '\n') {
				p += 2;		/* soft line break */
				continue;
			}
			if (p + 2 < end && (hi = text_hex_value(p[1])) >= 0 && (lo = text_hex_value(p[2])) >= 0) {
				buf_putc(&out, hi * 16 + lo);
				p += 2;
				continue;
			}
		}
		if (*p != '\r')
			buf_putc(&out, *p);
	}
	if (!out.failed && text_utf8_valid(buf_cstr(&out), out.len))
		o = json_object_new_string_len(buf_cstr(&out), (int)out.len);
	buf_free(&out);
	return o;
}

/*
 * The notifier's copy of a sent message (mail_copy_dir, demo): headers, the
 * text part decoded, and the raw MIME source, bounded, read without
 * following a symlink out.
 */
static json_object *
captured_copy(struct app *app, int64_t id, const char *kind)
{
	char		 path[1200], data[COPY_MAX + 1], *sep;
	struct stat	 sb;
	size_t		 len = 0;
	int		 fd;
	json_object	*o;

	if (app->cfg->mail_copy_dir[0] == '\0')
		return NULL;
	snprintf(path, sizeof(path), "%s/%06" PRId64 "-%s.eml", app->cfg->mail_copy_dir, id, kind);
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return NULL;
	}
	/* A read error shows what came before it, like a copy cut at COPY_MAX. */
	(void)fileio_read(fd, data, COPY_MAX, &len);
	close(fd);
	data[len] = '\0';
	o = json_object_new_object();
	if ((sep = strstr(data, "\r\n\r\n")) != NULL) {
		json_object	*text = plain_text_part(sep + 4);

		json_object_object_add(o, "headers", json_object_new_string_len(data, (int)(sep - data)));
		json_object_object_add(o, "text", text ? text : json_object_new_string(sep + 4));
		json_object_object_add(o, "source", json_object_new_string(sep + 4));
	} else
		json_object_object_add(o, "text", json_object_new_string(data));
	json_object_object_add(o, "truncated", json_object_new_boolean(len >= COPY_MAX));
	return o;
}

void
handlers_outbox_show(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct result	 r;
	json_object	*row, *v, *copy, *p, *m, *when;
	char		 title[64], buf[128];

	result_clear(&r);
	if (store_outbox_row_object(app->store, req->ids[0], &row, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (!pages_is_html(req)) {
		http_json(resp, 200, row);
		json_object_put(row);
		return;
	}
	snprintf(title, sizeof(title), _("Message %" PRId64), req->ids[0]);
	json_object_object_add(row, "title", json_object_new_string(title));
	json_object_object_add(row, "demo", json_object_new_boolean(app->cfg->auth == CONFIG_AUTH_NONE));
	outbox_row_view(row);
	json_object_object_get_ex(row, "kind", &v);
	if ((copy = captured_copy(app, req->ids[0], json_object_get_string(v))) != NULL) {
		/* The invite's times as the customer's calendar shows them. */
		if (json_object_object_get_ex(row, "payload", &p) && json_object_object_get_ex(p, "meeting", &m)) {
			json_object *s, *tz;

			if (json_object_object_get_ex(m, "starts_at", &s) &&
			    json_object_object_get_ex(m, "timezone", &tz)) {
				snprintf(buf, sizeof(buf), "%s (%s)", json_object_get_string(s),
				    json_object_get_string(tz));
				when = json_object_new_string(buf);
				json_object_object_add(copy, "when", when);
			}
		}
		json_object_object_add(row, "copy", copy);
	}
	present_humanize(row);
	http_render(resp, req, app->templates, 200, "outbox_item", row);
	json_object_put(row);
}

void
handlers_outbox_retry(struct app *app, struct http_request *req, struct http_response *resp)
{
	struct playbook	 pb;
	struct result	 r;
	json_object	*row;
	char		 path[64];

	pages_playbook(app, req, &pb);
	result_clear(&r);
	if (playbook_outbox_retry(&pb, req->ids[0], &r) == -1) {
		if (pages_is_html(req) && r.code == RESULT_CONFLICT) {
			http_error(resp, req, app->templates, 409, r.message);
			return;
		}
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	if (pages_is_html(req)) {
		snprintf(path, sizeof(path), "/outbox/%" PRId64, req->ids[0]);
		http_redirect(resp, req, path);
		return;
	}
	if (store_outbox_row_object(app->store, req->ids[0], &row, &r) == -1) {
		pages_fail(app, req, resp, &r, NULL, NULL, 0);
		return;
	}
	http_json(resp, 200, row);
	json_object_put(row);
}
