/* notice.c -- encodes the typed outbox payloads to versioned JSON and decodes them back, checking every member. */
#include "autoconfig.h"

#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"
#include "notice.h"
#include "result.h"

/* Longest member path we name ("agenda.services[12].custom_metric" is 34). */
#define NOTICE_PATH_MAX		96

static const char *const notice_kind_names[NOTICE__MAX] = {
	[NOTICE_INVITE] = "invite",
	[NOTICE_CANCEL] = "cancel",
	[NOTICE_HANDSHAKE] = "handshake",
};

int
notice_kind_parse(const char *s, enum notice_kind *kind, struct result *r)
{
	int	 k;

	for (k = 0; k < NOTICE__MAX; k++)
		if (s != NULL && strcmp(s, notice_kind_names[k]) == 0) {
			*kind = (enum notice_kind)k;
			return 0;
		}
	return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %.16s",
	    s != NULL ? s : "(none)");
}

void
notice_percent(double v, char *buf, size_t size)
{
	size_t	 len;

	/* The payload holds one decimal (notice_json); show what it holds. */
	snprintf(buf, size, "%.1f", round(v * 10.0) / 10.0);
	len = strlen(buf);
	if (len > 2 && strcmp(buf + len - 2, ".0") == 0)
		buf[len - 2] = '\0';
}

/* ---- encoding ---- */

/* Building state: json-c reports a failed allocation as NULL, noted here once. */
struct enc {
	int	 failed;
};

static void
enc_add(struct enc *e, json_object *o, const char *key, json_object *v)
{
	if (o == NULL || v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		e->failed = 1;
	}
}

/* A string member; NULL is written as JSON null. */
static void
enc_str(struct enc *e, json_object *o, const char *key, const char *s)
{
	if (s == NULL) {
		if (o == NULL || json_object_object_add(o, key, NULL) != 0)
			e->failed = 1;
		return;
	}
	enc_add(e, o, key, json_object_new_string(s));
}

static void
enc_null(struct enc *e, json_object *o, const char *key)
{
	enc_str(e, o, key, NULL);
}

/*
 * A percentage with one decimal written as such: json-c would print the
 * double with 17 digits (12.300000000000001).
 */
static void
enc_percent(struct enc *e, json_object *o, const char *key, int has, double v)
{
	char	 text[32];

	if (!has) {
		enc_null(e, o, key);
		return;
	}
	v = round(v * 10.0) / 10.0;
	snprintf(text, sizeof(text), "%.1f", v);
	enc_add(e, o, key, json_object_new_double_s(v, text));
}

/* Append element v to list; a failure (v or list NULL included) is noted. */
static void
enc_push(struct enc *e, json_object *list, json_object *v)
{
	if (list == NULL || v == NULL || json_object_array_add(list, v) != 0) {
		json_object_put(v);
		e->failed = 1;
	}
}

static json_object *
enc_person(struct enc *e, const struct notice_person *p)
{
	json_object	*o = json_object_new_object();

	enc_str(e, o, "name", p->name);
	enc_str(e, o, "email", p->email);
	return o;
}

static json_object *
enc_people(struct enc *e, const struct notice_person *p, size_t n)
{
	json_object	*a = json_object_new_array();
	size_t		 i;

	for (i = 0; i < n; i++)
		enc_push(e, a, enc_person(e, &p[i]));
	return a;
}

static json_object *
enc_customer(struct enc *e, const struct notice_customer *c, int with_contacts)
{
	json_object	*o = json_object_new_object();

	enc_add(e, o, "id", json_object_new_int64(c->id));
	enc_str(e, o, "name", c->name);
	enc_str(e, o, "tenant_domain", c->tenant_domain);
	enc_str(e, o, "timezone", c->timezone);
	if (with_contacts)
		enc_add(e, o, "contacts", enc_people(e, c->contacts, c->n_contacts));
	return o;
}

static json_object *
enc_services(struct enc *e, const struct notice_agenda *a)
{
	const struct notice_service	*s;
	json_object			*list = json_object_new_array(), *o;
	size_t				 i;

	for (i = 0; i < a->n_services; i++) {
		s = &a->services[i];
		o = json_object_new_object();
		enc_str(e, o, "key", s->key);
		enc_str(e, o, "title", s->title);
		enc_str(e, o, "activated_on", s->activated_on);
		enc_percent(e, o, "au_percent", s->has_au, s->au_percent);
		enc_percent(e, o, "target_percent", s->has_target, s->target_percent);
		enc_str(e, o, "custom_metric", s->custom_metric);
		enc_str(e, o, "measured_on", s->measured_on);
		if (s->ftop_id != 0)
			enc_add(e, o, "ftop_id", json_object_new_int(s->ftop_id));
		enc_push(e, list, o);
	}
	return list;
}

static json_object *
enc_blockers(struct enc *e, const struct notice_agenda *a)
{
	const struct notice_blocker	*b;
	json_object			*list = json_object_new_array(), *o;
	size_t				 i;

	for (i = 0; i < a->n_blockers; i++) {
		b = &a->blockers[i];
		o = json_object_new_object();
		enc_add(e, o, "id", json_object_new_int64(b->id));
		enc_str(e, o, "description", b->description);
		enc_str(e, o, "owner", b->owner);
		enc_str(e, o, "l2_reason", b->l2_reason);
		enc_str(e, o, "l2_title", b->l2_title);
		enc_str(e, o, "service", b->service);
		enc_str(e, o, "opened_on", b->opened_on);
		enc_push(e, list, o);
	}
	return list;
}

/* services, blockers and next_action as members of o (the agenda, or the handshake's root). */
static void
enc_agenda(struct enc *e, json_object *o, const struct notice_agenda *a)
{
	const struct notice_next_action	*na = a->next_action;
	json_object			*v;

	enc_add(e, o, "services", enc_services(e, a));
	enc_add(e, o, "blockers", enc_blockers(e, a));
	if (na == NULL) {
		enc_null(e, o, "next_action");
		return;
	}
	v = json_object_new_object();
	enc_str(e, v, "text", na->text);
	enc_str(e, v, "on", na->on);
	enc_str(e, v, "owner", na->owner);
	enc_str(e, v, "held_on", na->held_on);
	enc_add(e, o, "next_action", v);
}

static void
enc_meeting(struct enc *e, json_object *p, const struct notice_meeting *m)
{
	const struct notice_series	*s = &m->meeting;
	json_object			*o, *agenda;

	enc_str(e, p, "method", m->method);
	enc_add(e, p, "customer", enc_customer(e, &m->customer, 0));
	o = json_object_new_object();
	enc_add(e, o, "id", json_object_new_int64(s->id));
	enc_str(e, o, "uid", s->uid);
	enc_add(e, o, "sequence", json_object_new_int(s->sequence));
	enc_str(e, o, "status", s->status);
	enc_str(e, o, "starts_at", s->starts_at);
	enc_str(e, o, "timezone", s->timezone);
	enc_add(e, o, "duration_minutes", json_object_new_int(s->duration_minutes));
	enc_add(e, o, "every_weeks", json_object_new_int(s->every_weeks));
	enc_add(e, p, "meeting", o);
	enc_add(e, p, "attendees", enc_people(e, m->attendees, m->n_attendees));
	agenda = json_object_new_object();
	enc_agenda(e, agenda, &m->agenda);
	enc_add(e, p, "agenda", agenda);
	enc_str(e, p, "url", m->url);
}

static void
enc_handshake(struct enc *e, json_object *p, const struct notice_handshake *h)
{
	enc_add(e, p, "customer", enc_customer(e, &h->customer, 1));
	enc_add(e, p, "csm", enc_person(e, &h->csm));
	enc_agenda(e, p, &h->agenda);
	enc_str(e, p, "url", h->url);
}

int
notice_json(const struct notice *n, json_object **out, struct result *r)
{
	struct enc	 e = { 0 };
	json_object	*p;

	*out = NULL;
	if ((unsigned)n->kind >= NOTICE__MAX)
		return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %d", (int)n->kind);
	p = json_object_new_object();
	enc_add(&e, p, "version", json_object_new_int(NOTICE_VERSION));
	if (n->kind == NOTICE_HANDSHAKE)
		enc_handshake(&e, p, &n->handshake);
	else
		enc_meeting(&e, p, &n->meeting);
	if (e.failed) {
		json_object_put(p);
		return result_set(r, RESULT_IO, NULL, "out of memory encoding a %s notice",
		    notice_kind_names[n->kind]);
	}
	*out = p;
	return 0;
}

int
notice_encode(const struct notice *n, struct buf *out, struct result *r)
{
	json_object	*p;
	const char	*text;
	int		 rc = 0;

	if (notice_json(n, &p, r) == -1)
		return -1;
	text = json_object_to_json_string_ext(p, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL || buf_puts(out, text) == -1)
		rc = result_set(r, RESULT_IO, NULL, "out of memory writing a %s notice",
		    notice_kind_names[n->kind]);
	json_object_put(p);
	return rc;
}

/* ---- decoding ---- */

/* How a member may be absent: DEC_REQUIRED refuses a missing or null member. */
enum dec_need { DEC_OPTIONAL, DEC_REQUIRED };

/* "parent.key", or "key" at the root; a path longer than size is cut (it only names). */
static void
dec_path_n(char *path, size_t size, const char *parent, const char *key)
{
	snprintf(path, size, "%s%s%s", parent, *parent != '\0' ? "." : "", key);
}

static void
dec_path(char *path, const char *parent, const char *key)
{
	dec_path_n(path, NOTICE_PATH_MAX, parent, key);
}

static int
dec_fail(struct result *r, const char *path, const char *what)
{
	return result_set(r, RESULT_INVALID, path, "payload: %s: %s", path, what);
}

static int
dec_nomem(struct result *r)
{
	return result_set(r, RESULT_IO, NULL, "out of memory decoding a notice");
}

/*
 * Member key of o (whose path is parent) of type want, or *out = NULL when
 * it is optional and missing or null.  A number member takes an integer too.
 */
static int
dec_member(json_object *o, const char *parent, const char *key, json_type want,
    enum dec_need need, json_object **out, struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v = NULL;

	*out = NULL;
	dec_path(path, parent, key);
	if (!json_object_object_get_ex(o, key, &v))
		return need == DEC_REQUIRED ? dec_fail(r, path, "missing") : 0;
	if (v == NULL)
		return need == DEC_REQUIRED ? dec_fail(r, path, "null") : 0;
	if (want == json_type_double && json_object_is_type(v, json_type_int)) {
		*out = v;
		return 0;
	}
	if (!json_object_is_type(v, want))
		return result_set(r, RESULT_INVALID, path, "payload: %s: not a%s %s", path,
		    want == json_type_array || want == json_type_object ||
		    want == json_type_int ? "n" : "", want == json_type_int ? "integer" :
		    want == json_type_double ? "number" : json_type_to_name(want));
	*out = v;
	return 0;
}

static int
dec_str(json_object *o, const char *parent, const char *key, enum dec_need need, char **dst,
    struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v;

	if (dec_member(o, parent, key, json_type_string, need, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	/* JSON allows \u0000; a C string would silently end there, so it is refused. */
	if ((size_t)json_object_get_string_len(v) != strlen(json_object_get_string(v))) {
		dec_path(path, parent, key);
		return dec_fail(r, path, "contains a NUL character");
	}
	if ((*dst = strdup(json_object_get_string(v))) == NULL)
		return dec_nomem(r);
	return 0;
}

static int
dec_int64(json_object *o, const char *parent, const char *key, enum dec_need need,
    int64_t min, int64_t max, int64_t *dst, struct result *r)
{
	char		 path[NOTICE_PATH_MAX];
	json_object	*v;
	int64_t		 n;

	if (dec_member(o, parent, key, json_type_int, need, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	n = json_object_get_int64(v);
	if (n < min || n > max) {
		dec_path(path, parent, key);
		return result_set(r, RESULT_INVALID, path, "payload: %s: %" PRId64 " is out of range",
		    path, n);
	}
	*dst = n;
	return 0;
}

static int
dec_int(json_object *o, const char *parent, const char *key, int *dst, struct result *r)
{
	int64_t	 n = 0;

	if (dec_int64(o, parent, key, DEC_REQUIRED, INT_MIN, INT_MAX, &n, r) == -1)
		return -1;
	*dst = (int)n;	/* in range: checked above */
	return 0;
}

static int
dec_percent(json_object *o, const char *parent, const char *key, int *has, double *dst,
    struct result *r)
{
	json_object	*v;

	if (dec_member(o, parent, key, json_type_double, DEC_OPTIONAL, &v, r) == -1)
		return -1;
	*has = v != NULL;
	*dst = v != NULL ? json_object_get_double(v) : 0;
	return 0;
}

/*
 * The array member key of o as *n zeroed elements of size each in *items
 * (NULL when empty); *arr is the JSON array, or NULL when optional and absent.
 */
static int
dec_array(json_object *o, const char *parent, const char *key, enum dec_need need,
    size_t size, json_object **arr, void **items, size_t *n, struct result *r)
{
	*items = NULL;
	*n = 0;
	if (dec_member(o, parent, key, json_type_array, need, arr, r) == -1)
		return -1;
	if (*arr == NULL || (*n = json_object_array_length(*arr)) == 0)
		return 0;
	if ((*items = calloc(*n, size)) == NULL) {
		*n = 0;
		return dec_nomem(r);
	}
	return 0;
}

/* Element i of arr, which must be an object; its path is written to path. */
static json_object *
dec_element(json_object *arr, const char *parent, const char *key, size_t i, char *path,
    struct result *r)
{
	json_object	*e = json_object_array_get_idx(arr, i);
	char		 base[NOTICE_PATH_MAX - 24];	/* room for "[index]" */

	dec_path_n(base, sizeof(base), parent, key);
	snprintf(path, NOTICE_PATH_MAX, "%s[%zu]", base, i);
	if (e == NULL || !json_object_is_type(e, json_type_object)) {
		dec_fail(r, path, "not an object");
		return NULL;
	}
	return e;
}

static int
dec_people(json_object *o, const char *parent, const char *key, enum dec_need need,
    struct notice_person **people, size_t *n, struct result *r)
{
	json_object	*arr, *e;
	char		 path[NOTICE_PATH_MAX];
	void		*items;
	size_t		 i;

	if (dec_array(o, parent, key, need, sizeof(**people), &arr, &items, n, r) == -1)
		return -1;
	*people = items;
	for (i = 0; i < *n; i++) {
		if ((e = dec_element(arr, parent, key, i, path, r)) == NULL ||
		    dec_str(e, path, "name", DEC_OPTIONAL, &(*people)[i].name, r) == -1 ||
		    dec_str(e, path, "email", DEC_REQUIRED, &(*people)[i].email, r) == -1)
			return -1;
	}
	return 0;
}

static int
dec_customer(json_object *p, int with_contacts, struct notice_customer *c, struct result *r)
{
	json_object	*o;

	if (dec_member(p, "", "customer", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_int64(o, "customer", "id", DEC_OPTIONAL, INT64_MIN, INT64_MAX, &c->id, r) == -1 ||
	    dec_str(o, "customer", "name", DEC_REQUIRED, &c->name, r) == -1 ||
	    dec_str(o, "customer", "tenant_domain", DEC_OPTIONAL, &c->tenant_domain, r) == -1 ||
	    dec_str(o, "customer", "timezone", DEC_OPTIONAL, &c->timezone, r) == -1)
		return -1;
	if (with_contacts)
		return dec_people(o, "customer", "contacts", DEC_OPTIONAL, &c->contacts,
		    &c->n_contacts, r);
	return 0;
}

static int
dec_services(json_object *o, const char *parent, struct notice_agenda *a, struct result *r)
{
	struct notice_service	*s;
	json_object		*arr, *e;
	char			 path[NOTICE_PATH_MAX];
	void			*items;
	int64_t			 ftop = 0;
	size_t			 i;

	if (dec_array(o, parent, "services", DEC_REQUIRED, sizeof(*s), &arr, &items,
	    &a->n_services, r) == -1)
		return -1;
	a->services = items;
	for (i = 0; i < a->n_services; i++) {
		s = &a->services[i];
		if ((e = dec_element(arr, parent, "services", i, path, r)) == NULL ||
		    dec_str(e, path, "key", DEC_OPTIONAL, &s->key, r) == -1 ||
		    dec_str(e, path, "title", DEC_REQUIRED, &s->title, r) == -1 ||
		    dec_str(e, path, "activated_on", DEC_OPTIONAL, &s->activated_on, r) == -1 ||
		    dec_percent(e, path, "au_percent", &s->has_au, &s->au_percent, r) == -1 ||
		    dec_percent(e, path, "target_percent", &s->has_target, &s->target_percent,
		    r) == -1 ||
		    dec_str(e, path, "custom_metric", DEC_OPTIONAL, &s->custom_metric, r) == -1 ||
		    dec_str(e, path, "measured_on", DEC_OPTIONAL, &s->measured_on, r) == -1 ||
		    dec_int64(e, path, "ftop_id", DEC_OPTIONAL, 0, INT_MAX, &ftop, r) == -1)
			return -1;
		s->ftop_id = (int)ftop;	/* in range: checked above */
		ftop = 0;
	}
	return 0;
}

static int
dec_blockers(json_object *o, const char *parent, struct notice_agenda *a, struct result *r)
{
	struct notice_blocker	*b;
	json_object		*arr, *e;
	char			 path[NOTICE_PATH_MAX];
	void			*items;
	size_t			 i;

	if (dec_array(o, parent, "blockers", DEC_REQUIRED, sizeof(*b), &arr, &items,
	    &a->n_blockers, r) == -1)
		return -1;
	a->blockers = items;
	for (i = 0; i < a->n_blockers; i++) {
		b = &a->blockers[i];
		if ((e = dec_element(arr, parent, "blockers", i, path, r)) == NULL ||
		    dec_int64(e, path, "id", DEC_OPTIONAL, INT64_MIN, INT64_MAX, &b->id, r) == -1 ||
		    dec_str(e, path, "description", DEC_REQUIRED, &b->description, r) == -1 ||
		    dec_str(e, path, "owner", DEC_OPTIONAL, &b->owner, r) == -1 ||
		    dec_str(e, path, "l2_reason", DEC_OPTIONAL, &b->l2_reason, r) == -1 ||
		    dec_str(e, path, "l2_title", DEC_REQUIRED, &b->l2_title, r) == -1 ||
		    dec_str(e, path, "service", DEC_OPTIONAL, &b->service, r) == -1 ||
		    dec_str(e, path, "opened_on", DEC_OPTIONAL, &b->opened_on, r) == -1)
			return -1;
	}
	return 0;
}

/* services, blockers and next_action: members of o, whose path is parent. */
static int
dec_agenda(json_object *o, const char *parent, struct notice_agenda *a, struct result *r)
{
	struct notice_next_action	*na;
	json_object			*v;
	char				 path[NOTICE_PATH_MAX];

	if (dec_services(o, parent, a, r) == -1 || dec_blockers(o, parent, a, r) == -1 ||
	    dec_member(o, parent, "next_action", json_type_object, DEC_OPTIONAL, &v, r) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if ((na = a->next_action = calloc(1, sizeof(*na))) == NULL)
		return dec_nomem(r);
	dec_path(path, parent, "next_action");
	if (dec_str(v, path, "text", DEC_REQUIRED, &na->text, r) == -1 ||
	    dec_str(v, path, "on", DEC_OPTIONAL, &na->on, r) == -1 ||
	    dec_str(v, path, "owner", DEC_OPTIONAL, &na->owner, r) == -1 ||
	    dec_str(v, path, "held_on", DEC_OPTIONAL, &na->held_on, r) == -1)
		return -1;
	return 0;
}

static int
dec_meeting(json_object *p, enum notice_kind kind, struct notice_meeting *m, struct result *r)
{
	struct notice_series	*s = &m->meeting;
	json_object		*o, *agenda;
	int64_t			 id = 0;
	const char		*want = kind == NOTICE_CANCEL ? "CANCEL" : "REQUEST";

	if (dec_str(p, "", "method", DEC_REQUIRED, &m->method, r) == -1)
		return -1;
	/* The row's kind and the payload's method say the same thing twice: they must agree. */
	if (strcmp(m->method, want) != 0)
		return result_set(r, RESULT_INVALID, "method",
		    "payload: method: %.16s in a %s notice, want %s", m->method,
		    notice_kind_names[kind], want);
	if (dec_customer(p, 0, &m->customer, r) == -1 ||
	    dec_member(p, "", "meeting", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_int64(o, "meeting", "id", DEC_OPTIONAL, INT64_MIN, INT64_MAX, &id, r) == -1 ||
	    dec_str(o, "meeting", "uid", DEC_REQUIRED, &s->uid, r) == -1 ||
	    dec_int(o, "meeting", "sequence", &s->sequence, r) == -1 ||
	    dec_str(o, "meeting", "status", DEC_REQUIRED, &s->status, r) == -1 ||
	    dec_str(o, "meeting", "starts_at", DEC_REQUIRED, &s->starts_at, r) == -1 ||
	    dec_str(o, "meeting", "timezone", DEC_REQUIRED, &s->timezone, r) == -1 ||
	    dec_int(o, "meeting", "duration_minutes", &s->duration_minutes, r) == -1 ||
	    dec_int(o, "meeting", "every_weeks", &s->every_weeks, r) == -1 ||
	    dec_people(p, "", "attendees", DEC_REQUIRED, &m->attendees, &m->n_attendees, r) == -1)
		return -1;
	s->id = id;
	if (m->n_attendees == 0)
		return dec_fail(r, "attendees", "empty");
	if (dec_member(p, "", "agenda", json_type_object, DEC_REQUIRED, &agenda, r) == -1 ||
	    dec_agenda(agenda, "agenda", &m->agenda, r) == -1 ||
	    dec_str(p, "", "url", DEC_REQUIRED, &m->url, r) == -1)
		return -1;
	return 0;
}

static int
dec_handshake(json_object *p, struct notice_handshake *h, struct result *r)
{
	json_object	*o;

	if (dec_customer(p, 1, &h->customer, r) == -1 ||
	    dec_member(p, "", "csm", json_type_object, DEC_REQUIRED, &o, r) == -1 ||
	    dec_str(o, "csm", "name", DEC_OPTIONAL, &h->csm.name, r) == -1 ||
	    dec_str(o, "csm", "email", DEC_REQUIRED, &h->csm.email, r) == -1 ||
	    dec_agenda(p, "", &h->agenda, r) == -1 ||
	    dec_str(p, "", "url", DEC_REQUIRED, &h->url, r) == -1)
		return -1;
	if (h->agenda.n_services == 0)
		return dec_fail(r, "services", "empty");
	return 0;
}

int
notice_decode_json(json_object *payload, enum notice_kind kind, struct notice *n,
    struct result *r)
{
	int64_t	 version = NOTICE_VERSION;

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	if ((unsigned)kind >= NOTICE__MAX)
		return result_set(r, RESULT_INVALID, "kind", "unknown notice kind %d", (int)kind);
	if (payload == NULL || !json_object_is_type(payload, json_type_object))
		return result_set(r, RESULT_INVALID, "payload", "payload is not a JSON object");
	/* Rows queued before the member existed have no version: they are version 1. */
	if (dec_int64(payload, "", "version", DEC_OPTIONAL, INT_MIN, INT_MAX, &version, r) == -1)
		return -1;
	if (version != NOTICE_VERSION)
		return result_set(r, RESULT_INVALID, "version",
		    "payload: version: %" PRId64 " is not %d", version, NOTICE_VERSION);
	n->version = (int)version;
	if (kind == NOTICE_HANDSHAKE)
		return dec_handshake(payload, &n->handshake, r);
	return dec_meeting(payload, kind, &n->meeting, r);
}

int
notice_decode_meeting_json(json_object *payload, struct notice *n, struct result *r)
{
	json_object	*v;
	const char	*method = NULL;

	if (payload != NULL && json_object_object_get_ex(payload, "method", &v) &&
	    json_object_is_type(v, json_type_string))
		method = json_object_get_string(v);
	return notice_decode_json(payload, method != NULL && strcmp(method, "CANCEL") == 0 ?
	    NOTICE_CANCEL : NOTICE_INVITE, n, r);
}

int
notice_decode(const char *text, enum notice_kind kind, struct notice *n, struct result *r)
{
	json_object	*p;
	int		 rc;

	memset(n, 0, sizeof(*n));
	p = json_tokener_parse(text != NULL ? text : "");
	if (p == NULL || !json_object_is_type(p, json_type_object)) {
		json_object_put(p);
		return result_set(r, RESULT_INVALID, "payload", "payload is not a JSON object");
	}
	rc = notice_decode_json(p, kind, n, r);
	json_object_put(p);
	return rc;
}

int
notice_recipients_decode(const char *text, struct notice_person **people, size_t *n,
    struct result *r)
{
	json_object	*arr, *wrap;
	int		 rc;

	*people = NULL;
	*n = 0;
	arr = json_tokener_parse(text != NULL ? text : "");
	if (arr == NULL || !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return dec_fail(r, "recipients", "not a JSON array");
	}
	/* One member of a wrapper object: the paths come out as "recipients[i].email". */
	if ((wrap = json_object_new_object()) == NULL ||
	    json_object_object_add(wrap, "recipients", arr) != 0) {
		json_object_put(wrap);
		json_object_put(arr);
		return dec_nomem(r);
	}
	rc = dec_people(wrap, "", "recipients", DEC_REQUIRED, people, n, r);
	json_object_put(wrap);
	if (rc == 0 && *n == 0)
		return dec_fail(r, "recipients", "empty");
	return rc;
}

int
notice_decode_row(const char *kind, const char *text, struct notice *n, struct result *r)
{
	enum notice_kind	 k;

	memset(n, 0, sizeof(*n));
	if (notice_kind_parse(kind, &k, r) == -1)
		return -1;
	return notice_decode(text, k, n, r);
}

/* ---- releasing ---- */

void
notice_people_free(struct notice_person *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].email);
	}
	free(p);
}

static void
free_customer(struct notice_customer *c)
{
	free(c->name);
	free(c->tenant_domain);
	free(c->timezone);
	notice_people_free(c->contacts, c->n_contacts);
}

static void
free_agenda(struct notice_agenda *a)
{
	size_t	 i;

	for (i = 0; i < a->n_services; i++) {
		free(a->services[i].key);
		free(a->services[i].title);
		free(a->services[i].activated_on);
		free(a->services[i].custom_metric);
		free(a->services[i].measured_on);
	}
	free(a->services);
	for (i = 0; i < a->n_blockers; i++) {
		free(a->blockers[i].description);
		free(a->blockers[i].owner);
		free(a->blockers[i].l2_reason);
		free(a->blockers[i].l2_title);
		free(a->blockers[i].service);
		free(a->blockers[i].opened_on);
	}
	free(a->blockers);
	if (a->next_action != NULL) {
		free(a->next_action->text);
		free(a->next_action->on);
		free(a->next_action->owner);
		free(a->next_action->held_on);
		free(a->next_action);
	}
}

void
notice_free(struct notice *n)
{
	struct notice_meeting	*m;

	if (n == NULL)
		return;
	m = &n->meeting;
	free(m->method);
	free_customer(&m->customer);
	free(m->meeting.uid);
	free(m->meeting.status);
	free(m->meeting.starts_at);
	free(m->meeting.timezone);
	notice_people_free(m->attendees, m->n_attendees);
	free_agenda(&m->agenda);
	free(m->url);
	free_customer(&n->handshake.customer);
	free(n->handshake.csm.name);
	free(n->handshake.csm.email);
	free_agenda(&n->handshake.agenda);
	free(n->handshake.url);
	memset(n, 0, sizeof(*n));
}
