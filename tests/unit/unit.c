/* unit.c -- the shared test helpers of unit.h: a base64 decoder independent of the encoders, a whole-file reader, JSON edits and the invite refusal table. */
#include "autoconfig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* The value of one base64 character, -1 outside the alphabet ('=' included). */
static int
unit_b64_value(int c)
{
	static const char	 alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char		*p = c != '\0' ? strchr(alphabet, c) : NULL;

	return p != NULL ? (int)(p - alphabet) : -1;
}

int
unit_b64_decode(const char *s, size_t len, enum unit_b64_mode mode, struct buf *out)
{
	unsigned long	v = 0;
	size_t		i, pad = 0;
	int		n = 0, d;

	if (mode == UNIT_B64_STRICT) {
		/* Padding is the last one or two characters, and only there. */
		if (len % 4 != 0)
			return -1;
		while (pad < 2 && len > pad && s[len - 1 - pad] == '=')
			pad++;
		len -= pad;
	}
	for (i = 0; i < len; i++) {
		if (mode == UNIT_B64_LOOSE && s[i] == '=')
			break;
		if (mode == UNIT_B64_LOOSE && (s[i] == '\r' || s[i] == '\n'))
			continue;
		d = unit_b64_value((unsigned char)s[i]);
		if (d < 0)
			return -1;
		v = (v << 6) | (unsigned long)d;
		if (++n == 4) {
			buf_putc(out, (int)((v >> 16) & 0xff));
			buf_putc(out, (int)((v >> 8) & 0xff));
			buf_putc(out, (int)(v & 0xff));
			v = 0;
			n = 0;
		}
	}
	/* A strict text ends on a whole quad once its padding is counted back in. */
	if (mode == UNIT_B64_STRICT && (size_t)n + pad != (n == 0 ? 0 : 4))
		return -1;
	if (n == 3) {
		buf_putc(out, (int)((v >> 10) & 0xff));
		buf_putc(out, (int)((v >> 2) & 0xff));
	} else if (n == 2)
		buf_putc(out, (int)((v >> 4) & 0xff));
	return out->failed ? -1 : 0;
}

char *
unit_file_read(const char *path, size_t *len, struct result *r)
{
	struct buf	 b = { 0 };
	char		 chunk[4096], *data;
	size_t		 n;
	FILE		*fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		result_set(r, RESULT_IO, NULL, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(fp) || b.failed) {
		result_set(r, RESULT_IO, NULL, "cannot read %s: %s", path,
		    b.failed ? "out of memory" : "read error");
		fclose(fp);
		buf_free(&b);
		return NULL;
	}
	fclose(fp);
	if (len != NULL)
		*len = b.len;
	if ((data = buf_detach(&b)) == NULL)
		result_set(r, RESULT_IO, NULL, "cannot read %s: out of memory", path);
	return data;
}

int
unit_refused_naming(const struct result *r, const char *field)
{
	return r->code == RESULT_INVALID && strcmp(r->field, field) == 0 &&
	    strstr(r->message, field) != NULL;
}

char *
unit_unfolded(const char *text)
{
	char	*u = malloc(strlen(text) + 1), *o = u;

	if (u == NULL)
		return NULL;
	for (; *text != '\0'; text++) {
		if (text[0] == '\r' && text[1] == '\n' && (text[2] == ' ' || text[2] == '\t')) {
			text += 2;
			continue;
		}
		*o++ = *text;
	}
	*o = '\0';
	return u;
}

int
unit_replaced(const char *text, const char *from, const char *to, struct buf *out)
{
	const char	*at = from != NULL ? strstr(text, from) : NULL;

	buf_reset(out);
	if (from == NULL)
		buf_puts(out, text);
	else if (at == NULL)
		return -1;
	else {
		buf_append(out, text, (size_t)(at - text));
		buf_puts(out, to);
		buf_puts(out, at + strlen(from));
	}
	return out->failed ? -1 : 0;
}

json_object *
unit_json_edited(const char *text, const char *parent, const char *key, const char *value,
    struct result *r)
{
	enum json_tokener_error	 jerr;
	json_object		*doc, *at, *v;
	const char		*p = parent;
	char			 seg[64];
	size_t			 n;

	if ((doc = json_tokener_parse_verbose(text, &jerr)) == NULL) {
		result_set(r, RESULT_INVALID, NULL, "the document does not parse: %s",
		    json_tokener_error_desc(jerr));
		return NULL;
	}
	for (at = doc; at != NULL && *p != '\0'; p += n + (p[n] == '/')) {
		n = strcspn(p, "/");
		if (n >= sizeof(seg))
			break;
		memcpy(seg, p, n);
		seg[n] = '\0';
		at = json_object_is_type(at, json_type_array) ?
		    json_object_array_get_idx(at, (size_t)strtoul(seg, NULL, 10)) :
		    json_object_object_get(at, seg);
	}
	if (at == NULL || *p != '\0' || !json_object_is_type(at, json_type_object)) {
		result_set(r, RESULT_INVALID, NULL, "no object at \"%s\"", parent);
		goto fail;
	}
	if (value == NULL) {
		json_object_object_del(at, key);
		return doc;
	}
	/* "null" parses to NULL too: only the error code tells it from a failure. */
	if ((v = json_tokener_parse_verbose(value, &jerr)) == NULL && jerr != json_tokener_success) {
		result_set(r, RESULT_INVALID, NULL, "\"%s\" does not parse: %s", value,
		    json_tokener_error_desc(jerr));
		goto fail;
	}
	json_object_object_add(at, key, v);
	return doc;
fail:
	json_object_put(doc);
	return NULL;
}

int
unit_json_edits_refused(const char *text, const struct unit_json_edit *e, size_t n,
    unit_decode_fn *decode, void *arg, struct result *r)
{
	struct result	 got;
	json_object	*doc;
	size_t		 i;
	int		 rc;

	for (i = 0; i < n; i++) {
		result_clear(&got);
		if ((doc = unit_json_edited(text, e[i].parent, e[i].key, e[i].value, &got)) == NULL)
			return result_set(r, RESULT_INVALID, e[i].field, "edit %zu (%s): %s", i,
			    e[i].field, got.message);
		rc = decode(doc, arg, &got);
		json_object_put(doc);
		if (rc != -1)
			return result_set(r, RESULT_INVALID, e[i].field, "edit %zu (%s): accepted", i,
			    e[i].field);
		if (!unit_refused_naming(&got, e[i].field))
			return result_set(r, RESULT_INVALID, e[i].field,
			    "edit %zu (%s): refused as %s, field \"%s\": %s", i, e[i].field,
			    result_code_name(got.code), got.field, got.message);
	}
	result_clear(r);
	return 0;
}

/*
 * Edits of an invite payload that every decoder of one must refuse, naming
 * the member: test_notice runs them through notice_decode, test_ical
 * through the notifier's decode-then-fill.  (A method of CANCEL is refused
 * only where the kind is known: test_notice checks it on its own.)
 */
const struct unit_json_edit unit_invite_refusals[] = {
	{ "", "method", NULL, "method" },
	{ "", "customer", "[]", "customer" },
	{ "customer", "name", NULL, "customer.name" },
	{ "customer", "name", "7", "customer.name" },
	{ "customer", "id", "\"7\"", "customer.id" },
	{ "customer", "timezone", "true", "customer.timezone" },
	{ "", "meeting", NULL, "meeting" },
	{ "meeting", "uid", NULL, "meeting.uid" },
	{ "meeting", "sequence", "99999999999", "meeting.sequence" },
	{ "meeting", "sequence", "null", "meeting.sequence" },
	{ "meeting", "status", NULL, "meeting.status" },
	{ "meeting", "starts_at", NULL, "meeting.starts_at" },
	{ "meeting", "timezone", "1", "meeting.timezone" },
	{ "meeting", "duration_minutes", "30.5", "meeting.duration_minutes" },
	{ "meeting", "every_weeks", "\"2\"", "meeting.every_weeks" },
	{ "", "attendees", NULL, "attendees" },
	{ "", "attendees", "[]", "attendees" },
	{ "", "attendees", "[7]", "attendees[0]" },
	{ "", "attendees", "[{\"name\":\"X\",\"email\":\"x@y.z\"},{\"name\":\"X\"}]",
	    "attendees[1].email" },
	{ "", "attendees", "[{\"name\":3,\"email\":\"x@y.z\"}]", "attendees[0].name" },
	{ "", "agenda", NULL, "agenda" },
	{ "agenda", "services", NULL, "agenda.services" },
	{ "agenda/services/1", "title", NULL, "agenda.services[1].title" },
	{ "agenda/services/0", "au_percent", "\"7.5\"", "agenda.services[0].au_percent" },
	{ "agenda/services/0", "target_percent", "{}", "agenda.services[0].target_percent" },
	{ "agenda/services/1", "custom_metric", "[]", "agenda.services[1].custom_metric" },
	{ "agenda/services/0", "measured_on", "20261120", "agenda.services[0].measured_on" },
	{ "agenda", "blockers", "{}", "agenda.blockers" },
	{ "agenda/blockers/0", "description", NULL, "agenda.blockers[0].description" },
	{ "agenda/blockers/0", "l2_title", "null", "agenda.blockers[0].l2_title" },
	{ "agenda/blockers/0", "owner", "4", "agenda.blockers[0].owner" },
	{ "agenda/next_action", "text", NULL, "agenda.next_action.text" },
	{ "agenda", "next_action", "\"soon\"", "agenda.next_action" },
	{ "", "url", NULL, "url" },
	{ "", "url", "\"/customers/7\\u0000/x\"", "url" },
	{ "", "version", "5", "version" },
	{ "", "chair", "{\"name\": \"Fernanda\"}", "chair.email" },
	{ "", "chair", "[]", "chair" },
	{ "", "previous", "{\"timezone\": \"UTC\", \"duration_minutes\": 30, \"every_weeks\": 1}",
	    "previous.starts_at" },
	{ "", "previous", "{\"starts_at\": \"2026-12-01T10:00\", \"timezone\": \"UTC\","
	    " \"duration_minutes\": 30}", "previous.every_weeks" },
	{ "meeting", "meeting_url", "7", "meeting.meeting_url" },
	{ "", "attendees", "[{\"name\": \"X\"}]", "attendees[0].email" },
	{ "agenda", "services", "[{\"key\": \"x\"}]", "agenda.services[0].title" },
	{ "agenda", "blockers", "[{\"description\": \"d\"}]", "agenda.blockers[0].l2_title" },
	{ "agenda", "next_action", "{\"on\": \"2026-12-03\"}", "agenda.next_action.text" },
};

const size_t unit_invite_refusals_n = sizeof(unit_invite_refusals) / sizeof(unit_invite_refusals[0]);
